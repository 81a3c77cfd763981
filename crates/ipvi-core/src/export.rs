//! Export tables and CSV helpers, with spreadsheet-formula injection neutralised.
//!
//! A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is read as a formula
//! by spreadsheet programs ("CSV injection"). [`safe_cell`] neutralises such a cell by prefixing
//! it with an apostrophe, which spreadsheets show as text. [`push_csv_field`] and
//! [`push_csv_row`] write RFC 4180 fields through it; [`Sheet`] is a named table for CSV or XLSX.
//! Numbers are written as numbers and never need it.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The cell, made safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return gets a `'` in front. Other cells are returned unchanged (no allocation), and so is a
/// cell that is wholly a plain decimal number (`-3.25`, `+31`, `1e-5`): a spreadsheet reads it as
/// that number and runs nothing, and a negative match weight must stay a number for the tools
/// that read it back. `-2+3` is not a plain number and is neutralised.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'-' | b'+') if is_plain_number(cell) => Cow::Borrowed(cell),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A sign, digits with at most one decimal point, and an optional exponent: nothing else.
fn is_plain_number(cell: &str) -> bool {
    let b = cell.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let (mut digits, mut dot) = (0, false);
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot => dot = true,
            b'e' | b'E' if digits > 0 => {
                let rest = &cell[i + 1..];
                let rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
                return !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit());
            }
            _ => return false,
        }
        i += 1;
    }
    digits > 0
}

/// Append one CSV field (made safe with [`safe_cell`], quoted when it holds a comma, quote or line
/// break) to `out`.
pub fn push_csv_field(out: &mut String, cell: &str) {
    let cell = safe_cell(cell);
    if cell.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        for ch in cell.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

/// Append one CSV row (fields separated by commas, ended by `\n`) to `out`.
pub fn push_csv_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_field(out, c);
    }
    out.push('\n');
}

/// Diagnostics as CSV (`severity,file,row,column,value,message`), for the user to download
/// next to the data they describe.
pub fn diagnostics_to_csv(diagnostics: &[crate::diag::Diagnostic]) -> String {
    use crate::diag::Severity;
    let mut out = String::with_capacity(64 + diagnostics.len() * 120);
    push_csv_row(&mut out, ["severity", "file", "row", "column", "value", "message"]);
    let mut row = String::new();
    for d in diagnostics {
        row.clear();
        if let Some(r) = d.row {
            row.push_str(&r.to_string());
        }
        let severity = match d.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        push_csv_row(
            &mut out,
            [
                severity,
                d.file.as_str(),
                row.as_str(),
                d.column.as_deref().unwrap_or(""),
                d.value.as_deref().unwrap_or(""),
                d.message.as_str(),
            ],
        );
    }
    out
}

/// One cell of an export table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// A text cell, neutralised.
    pub fn text(s: &str) -> Cell {
        Cell::Text(safe_cell(s).into_owned())
    }

    fn csv_field(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n:.3}"),
        }
    }
}

/// What every output made from synthetic records says (report, exports, screens).
pub const SYNTHETIC_NOTE: &str = "Synthetic data: these records were made up by the analyzer's generator \
(the sample jurisdiction). They describe no real people, incidents or place; do not cite these figures.";

/// A named table: one sheet of a workbook, or one CSV file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A note written above the headers (one cell), e.g. [`SYNTHETIC_NOTE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Sheet {
    /// The table marked as made from synthetic records when `synthetic` ([`SYNTHETIC_NOTE`]
    /// above the headers); unchanged otherwise.
    pub fn synthetic(mut self, synthetic: bool) -> Sheet {
        if synthetic {
            self.note = Some(SYNTHETIC_NOTE.to_string());
        }
        self
    }

    /// The table as CSV text (RFC 4180 quoting), the note (if any) as a first row of one field.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        // Writing into a Vec cannot fail; a failure would only drop the row.
        if let Some(n) = &self.note {
            let _ = w.write_record([safe_cell(n).as_ref()]);
        }
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(Cell::csv_field));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_sheet_says_so_above_its_headers() {
        let s = Sheet {
            name: "x".into(),
            headers: vec!["a".into(), "b".into()],
            rows: vec![vec![Cell::text("1"), Cell::Number(2.0)]],
            note: None,
        };
        assert_eq!(s.clone().synthetic(false).to_csv(), "a,b\n1,2\n");
        let csv = s.synthetic(true).to_csv();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some(format!("\"{SYNTHETIC_NOTE}\"").as_str()));
        assert_eq!(lines.next(), Some("a,b"));
    }

    #[test]
    fn formula_cells_are_neutralised() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+31", "+31"),
            ("-2", "-2"),
            ("-3.250000", "-3.250000"),
            ("-1e-5", "-1e-5"),
            ("-2+3", "'-2+3"),
            ("-", "'-"),
            ("-.", "'-."),
            ("+1-1", "'+1-1"),
            ("-1e", "'-1e"),
            ("+cmd", "'+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("SE", "SE"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (input, want) in cases {
            assert_eq!(safe_cell(input), want, "{input:?}");
        }
        for (input, want) in [
            ("+SUM(A1)", "'+SUM(A1)"),
            ("@cmd", "'@cmd"),
            ("\t=x", "'\t=x"),
            ("Smith", "Smith"),
        ] {
            assert_eq!(safe_cell(input), want, "input {input:?}");
        }
    }

    #[test]
    fn fields_are_quoted_when_needed() {
        let mut s = String::new();
        push_csv_row(&mut s, ["a", "b,c", "say \"hi\"", "=x", "line\nbreak"]);
        assert_eq!(s, "a,\"b,c\",\"say \"\"hi\"\"\",'=x,\"line\nbreak\"\n");
    }

    #[test]
    fn diagnostics_export_one_row_each() {
        use crate::diag::{Diagnostic, Severity};
        let d = [
            Diagnostic::cell(Severity::Error, "a.csv", 7, "DATE", "=31-FEB-19", "bad, very bad"),
            Diagnostic::file(Severity::Info, "b.csv", "note"),
        ];
        assert_eq!(
            diagnostics_to_csv(&d),
            "severity,file,row,column,value,message\nerror,a.csv,7,DATE,'=31-FEB-19,\"bad, very bad\"\ninfo,b.csv,,,,note\n"
        );
    }

    #[test]
    fn csv_quotes_and_keeps_numbers() {
        let s = Sheet {
            name: "t".into(),
            headers: vec!["a".into(), "b".into()],
            rows: vec![
                vec![Cell::text("=HYPERLINK(\"x\")"), Cell::Number(3.0)],
                vec![Cell::text("x,y"), Cell::Number(0.25)],
            ],
            note: None,
        };
        assert_eq!(s.to_csv(), "a,b\n\"'=HYPERLINK(\"\"x\"\")\",3\n\"x,y\",0.250\n");
    }
}
