//! Export tables: CSV text and sheets for XLSX, with spreadsheet-formula injection neutralised.
//!
//! A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run as a
//! formula by a spreadsheet; such cells are prefixed with `'` so they stay text. Numbers are
//! written as numbers and never need it.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Neutralise a text cell for spreadsheets.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
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

/// A named table: one sheet of a workbook, or one CSV file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The table as CSV text (RFC 4180 quoting).
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing into a Vec cannot fail; a failure would only drop the row.
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
    fn formula_cells_are_neutralised() {
        for (input, want) in [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2", "'-2"),
            ("@cmd", "'@cmd"),
            ("\t=x", "'\t=x"),
            ("Smith", "Smith"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(safe_cell(input), want, "input {input:?}");
        }
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
        };
        assert_eq!(s.to_csv(), "a,b\n\"'=HYPERLINK(\"\"x\"\")\",3\n\"x,y\",0.250\n");
    }
}
