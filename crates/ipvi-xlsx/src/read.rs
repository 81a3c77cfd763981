//! Workbooks (XLSX, and XLS/ODS where calamine reads them) from bytes in memory: every sheet
//! with data becomes a core [`Table`]. This lives here, not in the core, because calamine's zip
//! dependency pulls js-sys into wasm32 builds; the core takes it as a [`WorkbookReader`]. Dates stored as Excel dates become ISO text; numbers that are
//! whole become integers ("12345", not "12345.0"), so ids and codes read as typed.

use calamine::{Data, Reader};
use ipvi_core::date::Date;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::import::sniff;
use ipvi_core::import::table::Table;
use ipvi_core::import::WorkbookReader;
use ipvi_core::input::ImportError;
use std::io::Cursor;

/// [`read_workbook`] as the core's workbook reader.
pub const READER: WorkbookReader = read_workbook;

/// The text of a cell, as the analyst would read it in Excel.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_datetime() && (1.0..2_958_466.0).contains(&serial) {
                // 25569 = the serial of 1970-01-01 (Excel's 1900 date system).
                Date(serial.floor() as i32 - 25569).to_string()
            } else {
                serial.to_string()
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Every sheet of a workbook with at least one non-empty cell, as a table.
pub fn read_workbook(name: &str, bytes: &[u8]) -> Result<Vec<Table>, ImportError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        ImportError::Unusable(format!(
            "{name} looks like an Excel workbook but cannot be opened ({e}). Open it in Excel and save it again as \
             .xlsx, or export the data as CSV"
        ))
    })?;
    let mut tables = Vec::new();
    for sheet in book.sheet_names() {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                let mut t = Table::new(name, Some(&sheet), Vec::new());
                t.diagnostics.push(Diagnostic::file(
                    Severity::Warning,
                    &t.label(),
                    format!("the sheet cannot be read ({e}); it was skipped. Save the workbook again as .xlsx"),
                ));
                tables.push(t);
                continue;
            }
        };
        if range.is_empty() {
            continue;
        }
        let first_row = range.start().map(|(r, _)| u64::from(r)).unwrap_or(0);
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        let probe = &rows[..rows.len().min(30)];
        let h = sniff::detect_header(probe);
        let mut t = Table::new(name, Some(&sheet), Vec::new());
        t.bytes = bytes.len() as u64;
        t.header_line = first_row + h as u64 + 1;
        t.headers = rows
            .get(h)
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, s)| match s.trim() {
                        "" => format!("column {}", i + 1),
                        x => x.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Trailing unnamed, empty columns are Excel's formatting, not data.
        while t.headers.len() > 1
            && t.headers.last().is_some_and(|x| x.starts_with("column "))
            && rows
                .iter()
                .skip(h + 1)
                .all(|r| r.get(t.headers.len() - 1).is_none_or(|c| c.trim().is_empty()))
        {
            t.headers.pop();
        }
        if h > 0 {
            t.diagnostics.push(Diagnostic::file(
                Severity::Info,
                &t.label(),
                format!(
                    "the header row is row {}: the {h} row(s) above it (titles or notes) were skipped",
                    t.header_line
                ),
            ));
        }
        for (i, r) in rows.iter().enumerate().skip(h + 1) {
            if r.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let refs: Vec<&[u8]> = r.iter().map(|s| s.as_bytes()).collect();
            t.push_record(first_row + i as u64 + 1, &refs);
        }
        tables.push(t);
    }
    if tables.is_empty() {
        return Err(ImportError::Unusable(format!(
            "{name} is an empty workbook: no sheet holds any data. Export the data again"
        )));
    }
    Ok(tables)
}
