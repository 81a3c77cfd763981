//! Sniffing what a file is before reading it: its encoding, its field separator and where its
//! header row is.
//!
//! Agencies' exports come as UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
//! "Unicode text", with a byte-order mark or without one) or Windows-1252 (older Windows tools).
//! Values are separated by commas, semicolons (European Excel), tabs or vertical bars, and a title
//! line or blank lines often sit above the header row. All of this is guessed from a sample of
//! the file's start; the guesses are reported as [`Diagnostic`]s so the user sees what was done.

use crate::diag::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How many bytes of a file's start are used to guess its encoding and separator.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The text encodings the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian (with or without a byte-order mark).
    Utf16Le,
    /// UTF-16 big-endian (with or without a byte-order mark).
    Utf16Be,
    /// Windows-1252, the fallback for bytes that are not UTF-8.
    Windows1252,
}

impl TextEncoding {
    /// The encoding_rs encoding that decodes it.
    pub fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with a byte-order mark",
            TextEncoding::Utf16Le => "UTF-16 (little-endian)",
            TextEncoding::Utf16Be => "UTF-16 (big-endian)",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// The encoding of a file from its first bytes, and the length of its byte-order mark.
/// `complete` says the sample is the whole file (an incomplete UTF-8 sequence at the end of a
/// partial sample is not an error).
pub fn sniff_encoding(sample: &[u8], complete: bool) -> (TextEncoding, usize) {
    if let Some(rest) = sample.strip_prefix(b"\xEF\xBB\xBF") {
        // A UTF-8 mark in front of Windows-1252 text (a tool added it without converting).
        return match std::str::from_utf8(rest) {
            Err(e) if complete || e.error_len().is_some() => (TextEncoding::Windows1252, 3),
            _ => (TextEncoding::Utf8Bom, 3),
        };
    }
    if sample.starts_with(b"\xFF\xFE") {
        return (TextEncoding::Utf16Le, 2);
    }
    if sample.starts_with(b"\xFE\xFF") {
        return (TextEncoding::Utf16Be, 2);
    }
    // UTF-16 without a mark: ASCII text has a zero byte in every other position.
    let n = sample.len().min(1024) & !1;
    if n >= 4 {
        let even_zero = sample[..n].iter().step_by(2).filter(|b| **b == 0).count();
        let odd_zero = sample[1..n].iter().step_by(2).filter(|b| **b == 0).count();
        let half = n / 2;
        if odd_zero * 10 >= half * 3 && even_zero * 10 < half {
            return (TextEncoding::Utf16Le, 0);
        }
        if even_zero * 10 >= half * 3 && odd_zero * 10 < half {
            return (TextEncoding::Utf16Be, 0);
        }
    }
    match std::str::from_utf8(sample) {
        Ok(_) => (TextEncoding::Utf8, 0),
        // Cut in the middle of a character at the end of a partial sample: still UTF-8.
        Err(e) if e.error_len().is_none() && !complete => (TextEncoding::Utf8, 0),
        Err(_) => (TextEncoding::Windows1252, 0),
    }
}

/// The diagnostic that tells the user how a file was decoded (none for plain UTF-8).
pub fn encoding_note(file: &str, enc: TextEncoding, sample: &[u8]) -> Option<Diagnostic> {
    match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => Some(Diagnostic::file(
            Severity::Info,
            file,
            format!("the file is in {}; it was converted to UTF-8", enc.encoding().name()),
        )),
        TextEncoding::Windows1252 => {
            let at = std::str::from_utf8(sample).err().map(|e| e.valid_up_to()).unwrap_or(0);
            let line = 1 + sample[..at.min(sample.len())].iter().filter(|b| **b == b'\n').count() as u64;
            Some(Diagnostic {
                severity: Severity::Warning,
                file: file.to_string(),
                row: Some(line),
                column: None,
                value: sample.get(at).map(|b| format!("byte 0x{b:02X} at offset {at}")),
                message: "the file is not UTF-8; it was read as Windows-1252. Check names and labels with accents; \
                          save the file as UTF-8 to silence this warning"
                    .to_string(),
            })
        }
    }
}

/// The text of a whole file as UTF-8 bytes: borrowed when it already is UTF-8 (a byte-order mark
/// is skipped), decoded otherwise. The diagnostic says how it was decoded.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> (Cow<'a, [u8]>, TextEncoding, Option<Diagnostic>) {
    let (enc, bom) = sniff_encoding(bytes, true);
    let note = encoding_note(file, enc, bytes);
    let body = &bytes[bom.min(bytes.len())..];
    match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => (Cow::Borrowed(body), enc, note),
        _ => {
            let (text, _) = enc.encoding().decode_without_bom_handling(body);
            (Cow::Owned(text.into_owned().into_bytes()), enc, note)
        }
    }
}

/// Whether decoded text looks like binary data rather than a table: more than 2% control
/// characters (other than tab, line feed, carriage return, form feed) in the sample.
pub fn looks_binary(text: &[u8]) -> bool {
    let sample = &text[..text.len().min(SNIFF_BYTES)];
    if sample.is_empty() {
        return false;
    }
    let control = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 50 > sample.len()
}

/// The candidate field separators, in order of preference.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A name for a separator, for people.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "commas",
        b';' => "semicolons",
        b'\t' => "tabs",
        b'|' => "vertical bars",
        _ => "another character",
    }
}

/// The field separator of a text, from its first lines (up to 30): the candidate whose count
/// per line (outside quotes) is the same on the most lines, then the one with more fields, then
/// the comma. Title lines above the header do not mislead it, since they are outvoted.
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    let sample = &text[..text.len().min(SNIFF_BYTES)];
    let mut lines: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut quoted = false;
    let mut nonblank = false;
    for &b in sample {
        match b {
            b'"' => {
                quoted = !quoted;
                nonblank = true;
            }
            b'\n' if !quoted => {
                if nonblank {
                    lines.push(counts);
                }
                counts = [0; 4];
                nonblank = false;
                if lines.len() >= 30 {
                    break;
                }
            }
            _ if quoted => {}
            _ => {
                if let Some(i) = DELIMITERS.iter().position(|d| *d == b) {
                    counts[i] += 1;
                }
                if !b.is_ascii_whitespace() {
                    nonblank = true;
                }
            }
        }
    }
    if nonblank && lines.len() < 30 {
        lines.push(counts);
    }
    let mut best: Option<(usize, usize, usize)> = None; // (support, modal count, index)
    for i in 0..DELIMITERS.len() {
        let mut freq: Vec<(usize, usize)> = Vec::new();
        for l in &lines {
            let c = l[i];
            if c == 0 {
                continue;
            }
            match freq.iter_mut().find(|(k, _)| *k == c) {
                Some(e) => e.1 += 1,
                None => freq.push((c, 1)),
            }
        }
        let Some(&(modal, support)) = freq.iter().max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((s, m, _)) => support > s || (support == s && modal > m),
        };
        if better {
            best = Some((support, modal, i));
        }
    }
    best.map(|(_, _, i)| DELIMITERS[i]).unwrap_or(b',')
}

/// The index of the header row among a table's first records: the first record that holds at
/// least 60% as many non-empty cells as the widest of them (and at least two when the table has
/// two columns or more), and whose cells are mostly not numbers. Title lines ("Northaven PD —
/// export of 01/05/2022") and blank lines above it are skipped.
pub fn detect_header<S: AsRef<str>>(records: &[Vec<S>]) -> usize {
    let filled = |r: &Vec<S>| r.iter().filter(|c| !c.as_ref().trim().is_empty()).count();
    let widest = records.iter().map(filled).max().unwrap_or(0);
    if widest == 0 {
        return 0;
    }
    let need = (widest * 6).div_ceil(10).max(if widest >= 2 { 2 } else { 1 });
    for (i, r) in records.iter().enumerate() {
        let n = filled(r);
        if n < need {
            continue;
        }
        let numeric = r
            .iter()
            .filter(|c| {
                let t = c.as_ref().trim();
                !t.is_empty() && t.parse::<f64>().is_ok()
            })
            .count();
        if numeric * 2 <= n {
            return i;
        }
    }
    // No text row: the first wide row is taken as the header.
    records.iter().position(|r| filled(r) >= need).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_recognised() {
        let le: Vec<u8> = "id,name\n1,Ann\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = "id,name\n1,Ann\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let cases: [(&[u8], TextEncoding, usize); 8] = [
            (b"\xEF\xBB\xBFname\nJos\xE9\n", TextEncoding::Windows1252, 3),
            (b"id,name\n", TextEncoding::Utf8, 0),
            (b"\xEF\xBB\xBFid\n", TextEncoding::Utf8Bom, 3),
            (b"\xFF\xFEi\0d\0", TextEncoding::Utf16Le, 2),
            (b"\xFE\xFF\0i\0d", TextEncoding::Utf16Be, 2),
            (&le, TextEncoding::Utf16Le, 0),
            (&be, TextEncoding::Utf16Be, 0),
            (b"name\nJos\xE9\n", TextEncoding::Windows1252, 0),
        ];
        for (bytes, enc, bom) in cases {
            assert_eq!(sniff_encoding(bytes, true), (enc, bom), "{bytes:?}");
        }
        // A partial sample cut inside a character is still UTF-8.
        assert_eq!(
            sniff_encoding("Jos\u{e9}".as_bytes().split_at(4).0, false).0,
            TextEncoding::Utf8
        );
    }

    #[test]
    fn separators_are_found_despite_title_lines() {
        let cases: [(&[u8], u8); 5] = [
            (b"Export of 2021, Northaven\n\nA;B;C\n1;2;3\n4;5;6\n", b';'),
            (b"A|B|C\n1|2,5|3\n", b'|'),
            (b"A\tB\n1\t2\n", b'\t'),
            (b"only\none\n", b','),
            (b"\"A,B\";C\n", b';'),
        ];
        for (data, want) in cases {
            assert_eq!(sniff_delimiter(data), want, "{:?}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn header_rows_are_found_below_titles() {
        let t = |rows: &[&[&str]]| -> Vec<Vec<String>> {
            rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
        };
        let cases: Vec<(Vec<Vec<String>>, usize)> = vec![
            (t(&[&["id", "date"], &["1", "2"]]), 0),
            (
                t(&[&["Northaven PD export", ""], &["", ""], &["id", "date"], &["1", "2"]]),
                2,
            ),
            (t(&[&["1", "2"], &["3", "4"]]), 0),
            (t(&[&["x"]]), 0),
        ];
        for (rows, want) in cases {
            assert_eq!(detect_header(&rows), want, "{rows:?}");
        }
    }

    #[test]
    fn binary_junk_is_recognised() {
        assert!(looks_binary(&[0u8, 1, 2, 3, 4, 5, 200, 7, 8]));
        assert!(!looks_binary(b"a,b\n1,2\n"));
    }
}
