//! The CSV stream at realistic sizes: a generated export of a few MB, with quoted separators,
//! quoted line breaks, CRLF, multi-byte letters, ragged rows and blank lines, read whole and in
//! chunks cut at random places. Both reads agree exactly, and every data row is counted once:
//! rows read = kept + rejected = the rows written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::import::{read_csv, CsvStream, Table};
use proptest::prelude::*;
use std::sync::OnceLock;

/// A generated export of `rows` data rows (about 130 bytes each) and how many rows it holds;
/// every 97th row has an extra value (rejected), every 89th one value too few (kept, padded).
fn generated(rows: usize) -> (String, usize) {
    let mut s = String::from("case_no,occurred,role,surname,given,dob,relationship,narrative\r\n");
    for i in 0..rows {
        let narrative = match i % 5 {
            0 => "\"HE SAID \"\"LEAVE\"\", THEN LEFT\"".to_string(),
            1 => "\"LINE ONE\r\nLINE TWO, WITH A COMMA\"".to_string(),
            2 => "Zoë and Ñandú, café".replace(',', ";"),
            _ => format!("RPT {i}"),
        };
        let mut cells = vec![
            format!("KPD-{i}"),
            format!("{:02}/{:02}/2019", i % 12 + 1, i % 28 + 1),
            (if i % 2 == 0 { "VICTIM" } else { "SUSPECT" }).to_string(),
            format!("SURNAME{}", i % 997),
            format!("GIVEN{}", i % 389),
            "02/11/1990".to_string(),
            ["GIRLFRIEND", "WIFE", "SON", "EX-BOYFRIEND"][i % 4].to_string(),
            narrative,
        ];
        if i % 97 == 0 {
            cells.push("EXTRA".into());
        } else if i % 89 == 0 {
            cells.pop();
        }
        let row = cells.join(",");
        s.push_str(&row);
        s.push_str(if i % 3 == 0 { "\n" } else { "\r\n" });
        if i % 1000 == 999 {
            s.push_str("\r\n"); // a blank line is no row
        }
    }
    (s, rows)
}

fn utf8_export() -> &'static (Vec<u8>, usize) {
    static E: OnceLock<(Vec<u8>, usize)> = OnceLock::new();
    E.get_or_init(|| {
        let (s, n) = generated(30_000);
        (s.into_bytes(), n)
    })
}

fn utf16_export() -> &'static (Vec<u8>, usize) {
    static E: OnceLock<(Vec<u8>, usize)> = OnceLock::new();
    E.get_or_init(|| {
        let (s, n) = generated(6_000);
        let mut b = vec![0xFF, 0xFE];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        (b, n)
    })
}

fn chunked(bytes: &[u8], cuts: &[usize]) -> Table {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    let mut s = CsvStream::new("g.csv", Some(bytes.len() as u64));
    let mut at = 0;
    for c in cuts.into_iter().chain([bytes.len()]) {
        s.push(&bytes[at..c]).unwrap();
        at = c;
    }
    s.finish().unwrap()
}

fn assert_same(whole: &Table, part: &Table, rows_written: usize) {
    assert_eq!(whole.rows_read, rows_written as u64, "every row written is read once");
    assert_eq!(
        whole.rows_read,
        (whole.len() + whole.rejected.len()) as u64,
        "rows read = kept + rejected"
    );
    assert_eq!(
        whole.rejected.len(),
        rows_written.div_ceil(97),
        "the rows with an extra value"
    );
    assert_eq!(whole.headers, part.headers);
    assert_eq!(whole.rows_read, part.rows_read);
    assert_eq!(whole.len(), part.len());
    for r in 0..whole.len() {
        assert_eq!(whole.row(r), part.row(r), "row {r}");
        assert_eq!(whole.line(r), part.line(r), "line of row {r}");
    }
    assert_eq!(whole.rejected, part.rejected);
    assert_eq!(whole.diagnostics, part.diagnostics);
}

#[test]
fn a_few_mb_export_is_read_whole_with_every_row_counted() {
    let (bytes, rows) = utf8_export();
    assert!(bytes.len() > 2_500_000, "{} bytes", bytes.len());
    let t = read_csv("g.csv", bytes).unwrap();
    assert_same(&t, &t, *rows);
    // Row 0 (the first written) has an extra value and was rejected.
    assert_eq!(t.row(1)[7], "Zoë and Ñandú; café");
    assert_eq!(t.row(0)[7], "LINE ONE\r\nLINE TWO, WITH A COMMA");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn a_few_mb_export_read_in_random_chunks_is_the_whole_read(cuts in proptest::collection::vec(any::<usize>(), 1..40)) {
        let (bytes, rows) = utf8_export();
        let whole = read_csv("g.csv", bytes).unwrap();
        assert_same(&whole, &chunked(bytes, &cuts), *rows);
    }

    #[test]
    fn a_utf16_export_read_in_random_chunks_is_the_whole_read(cuts in proptest::collection::vec(any::<usize>(), 1..40)) {
        let (bytes, rows) = utf16_export();
        let whole = read_csv("g.csv", bytes).unwrap();
        assert_same(&whole, &chunked(bytes, &cuts), *rows);
    }
}
