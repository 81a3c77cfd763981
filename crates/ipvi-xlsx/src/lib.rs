//! XLSX for the core, kept out of it: output of the core's export tables
//! ([`ipvi_core::export::Sheet`]) written into memory, and workbooks read into the core's import
//! tables ([`read`]).
//!
//! Cells arrive already neutralised by the core (a leading `=`, `+`, `-` or `@` is quoted), and
//! are written as strings or numbers, never as formulas.

pub mod read;

use ipvi_core::export::{Cell, Sheet};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Write the sheets into one workbook and return its bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&sheet.name))?;
        // A note (synthetic data) goes above the headers.
        let top = u32::from(sheet.note.is_some());
        if let Some(n) = &sheet.note {
            ws.write_string_with_format(0, 0, n, &bold)?;
        }
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(top, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1 + top;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => ws.write_string(r, c as u16, t)?,
                    Cell::Number(n) => ws.write_number(r, c as u16, *n)?,
                };
            }
        }
        ws.set_freeze_panes(top + 1, 0)?;
        ws.autofilter(
            top,
            0,
            sheet.rows.len() as u32 + top,
            sheet.headers.len().saturating_sub(1) as u16,
        )?;
    }
    wb.save_to_buffer()
}

/// Excel's sheet-name rules: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if clean.is_empty() {
        "Sheet".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_zip_with_the_sheet() {
        let sheet = Sheet {
            name: "Offenders: A/B".into(),
            headers: vec!["person_id".into(), "score".into()],
            rows: vec![vec![Cell::Text("'=HYPERLINK()".into()), Cell::Number(12.0)]],
            note: None,
        };
        let bytes = workbook(&[sheet]).expect("workbook");
        assert_eq!(&bytes[..2], b"PK");
        assert_eq!(sheet_name("Offenders: A/B"), "Offenders AB");
        let marked = workbook(&[Sheet {
            name: "x".into(),
            headers: vec!["a".into()],
            rows: vec![vec![Cell::Number(1.0)]],
            note: None,
        }
        .synthetic(true)])
        .expect("workbook");
        assert_eq!(&marked[..2], b"PK");
    }
}
