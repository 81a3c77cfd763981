//! Workbooks (XLSX, and XLS/ODS where calamine reads them) from bytes in memory: every sheet
//! with data becomes a core [`Table`]. This lives here, not in the core, because calamine's zip
//! dependency pulls js-sys into wasm32 builds; the core takes it as a [`WorkbookReader`]. Dates stored as Excel dates become ISO text; numbers that are
//! whole become integers ("12345", not "12345.0"), so ids and codes read as typed.

use calamine::{Data, Reader, Sheets, Xlsx};
use ipvi_core::date::Date;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::import::sniff;
use ipvi_core::import::table::Table;
use ipvi_core::import::WorkbookReader;
use ipvi_core::input::ImportError;
use ipvi_core::limits::{MAX_WORKBOOK_CELLS, MAX_WORKBOOK_INFLATED_BYTES, MAX_WORKBOOK_PARTS};
use std::io::{Cursor, Read};

/// The first bytes of an OLE2 compound file (XLS).
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

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
///
/// Bounded by the input ([`ipvi_core::limits`]): a zip container is first inflated into nothing,
/// part by part, and refused past [`MAX_WORKBOOK_INFLATED_BYTES`] or [`MAX_WORKBOOK_PARTS`] (a
/// zip bomb is refused before anything is kept); XLSX sheets are then read cell by cell, never as
/// the rectangle their dimension declares, and refused past [`MAX_WORKBOOK_CELLS`] (rows holding
/// data × the sheet's width), so one cell at A1 and one at XFD1048576 cost two rows, not 17
/// billion cells.
pub fn read_workbook(name: &str, bytes: &[u8]) -> Result<Vec<Table>, ImportError> {
    read_workbook_within(name, bytes, &Limits::default())
}

/// The bounds a workbook is read within (the defaults are [`ipvi_core::limits`]'s; tests use
/// small ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub inflated_bytes: u64,
    pub parts: usize,
    pub cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            inflated_bytes: MAX_WORKBOOK_INFLATED_BYTES,
            parts: MAX_WORKBOOK_PARTS,
            cells: MAX_WORKBOOK_CELLS,
        }
    }
}

/// [`read_workbook`] within given limits.
pub fn read_workbook_within(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Table>, ImportError> {
    // The kind is taken from the first bytes, and only that kind is opened: calamine's own
    // detection also opens a zip found behind other bytes (an XLS signature, a damaged first
    // header), which would skip the checks of the container and read the sheet as the
    // rectangle its cells span (one cell at XFD1048576: 17 billion cells, an abort).
    let tables = if bytes.starts_with(b"PK\x03\x04") {
        if check_zip(name, bytes, limits)? {
            read_xlsx(name, bytes, limits.cells)?
        } else {
            let book = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| cannot_open(name, &e))?;
            read_other(name, bytes.len(), Sheets::Ods(book), limits.cells)?
        }
    } else if bytes.starts_with(OLE2) {
        let book = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| cannot_open(name, &e))?;
        read_other(name, bytes.len(), Sheets::Xls(book), limits.cells)?
    } else {
        return Err(ImportError::Unusable(format!(
            "{name} is not an Excel workbook (XLSX, XLS or ODS): it does not start as one. Choose the export itself, \
             or export the data as CSV"
        )));
    };
    if tables.is_empty() {
        return Err(ImportError::Unusable(format!(
            "{name} is an empty workbook: no sheet holds any data. Export the data again"
        )));
    }
    Ok(tables)
}

/// Inflate every part of a zip container into nothing, counting: refuse it past the limits.
/// Returns whether it is an XLSX workbook (it has `xl/workbook.xml`).
fn check_zip(name: &str, bytes: &[u8], limits: &Limits) -> Result<bool, ImportError> {
    let broken = |e: &dyn std::fmt::Display| {
        ImportError::Unusable(format!(
            "{name} looks like an Excel workbook (a zip container) but the container is damaged ({e}). Open it in \
             Excel and save it again as .xlsx, or export the data as CSV"
        ))
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    if archive.len() > limits.parts {
        return Err(ImportError::Unusable(format!(
            "{name} holds {} parts, more than a workbook has (the limit is {}): it was not read. Export the data \
             as CSV",
            archive.len(),
            limits.parts
        )));
    }
    let mut total: u64 = 0;
    let mut is_xlsx = false;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| broken(&e))?;
        let part_name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        is_xlsx |= part_name == "xl/workbook.xml";
        let left = limits.inflated_bytes - total;
        let n = std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink()).map_err(|e| broken(&e))?;
        total += n;
        if total > limits.inflated_bytes {
            return Err(ImportError::TooBig(format!(
                "{name} would take more than {} MiB once unpacked (a {} KiB file; its part {} alone reaches the \
                 limit): it is damaged or built to exhaust memory, or bigger than can be read here. It was not read. \
                 Export the sheet as CSV",
                limits.inflated_bytes >> 20,
                bytes.len() >> 10,
                part_name
            )));
        }
    }
    Ok(is_xlsx)
}

fn cannot_open(name: &str, e: &dyn std::fmt::Display) -> ImportError {
    ImportError::Unusable(format!(
        "{name} looks like an Excel workbook but cannot be opened ({e}). Open it in Excel and save it again as \
         .xlsx, or export the data as CSV"
    ))
}

fn skipped_sheet(name: &str, sheet: &str, e: &dyn std::fmt::Display) -> Table {
    let mut t = Table::new(name, Some(sheet), Vec::new());
    t.diagnostics.push(Diagnostic::file(
        Severity::Warning,
        &t.label(),
        format!("the sheet cannot be read ({e}); it was skipped. Save the workbook again as .xlsx"),
    ));
    t
}

/// XLSX: each sheet read cell by cell (the rows that hold data only), within the cell budget.
fn read_xlsx(name: &str, bytes: &[u8], max_cells: u64) -> Result<Vec<Table>, ImportError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| cannot_open(name, &e))?;
    let mut budget = max_cells;
    let mut tables = Vec::new();
    for sheet in book.sheet_names() {
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut reader = match book.worksheet_cells_reader(&sheet) {
            Ok(r) => r,
            Err(e) => {
                tables.push(skipped_sheet(name, &sheet, &e));
                continue;
            }
        };
        let mut failed = None;
        loop {
            match reader.next_cell() {
                Ok(Some(c)) => {
                    let text = cell_text(&Data::from(c.get_value().clone()));
                    if text.trim().is_empty() {
                        continue;
                    }
                    if cells.len() as u64 >= budget {
                        return Err(too_many_cells(name, &sheet, max_cells));
                    }
                    let (r, col) = c.get_position();
                    cells.push((r, col, text));
                }
                Ok(None) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(reader);
        if let Some(e) = failed {
            tables.push(skipped_sheet(name, &sheet, &e));
            continue;
        }
        if cells.is_empty() {
            continue;
        }
        cells.sort_by_key(|&(r, c, _)| (r, c));
        let width = cells.iter().map(|&(_, c, _)| c as u64 + 1).max().unwrap_or(0);
        let mut rows_with_data = 0u64;
        let mut last = None;
        for &(r, _, _) in &cells {
            if last != Some(r) {
                rows_with_data += 1;
                last = Some(r);
            }
        }
        let laid_out = rows_with_data.saturating_mul(width);
        if laid_out > budget {
            return Err(too_many_cells(name, &sheet, max_cells));
        }
        budget -= laid_out;
        let mut rows: Vec<(u64, Vec<String>)> = Vec::with_capacity(rows_with_data as usize);
        for (r, c, text) in cells {
            if rows.last().is_none_or(|(line, _)| *line != u64::from(r) + 1) {
                rows.push((u64::from(r) + 1, vec![String::new(); width as usize]));
            }
            if let Some((_, row)) = rows.last_mut() {
                row[c as usize] = text;
            }
        }
        tables.push(sheet_table(name, &sheet, bytes.len() as u64, rows));
    }
    Ok(tables)
}

fn too_many_cells(name: &str, sheet: &str, max_cells: u64) -> ImportError {
    ImportError::TooBig(format!(
        "{name} [{sheet}]: the workbook holds more than {max_cells} cells (rows with data × the sheet's width), more \
         than can be read here: it was not read. Remove empty formatted columns, or export the sheet as CSV"
    ))
}

/// XLS and ODS through calamine's ranges (the XLS format itself is bounded at 65,536 × 256
/// cells; an ODS container was inflated within the limit by [`check_zip`]).
fn read_other(
    name: &str,
    size: usize,
    mut book: Sheets<Cursor<&[u8]>>,
    max_cells: u64,
) -> Result<Vec<Table>, ImportError> {
    let mut tables = Vec::new();
    for sheet in book.sheet_names() {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                tables.push(skipped_sheet(name, &sheet, &e));
                continue;
            }
        };
        if range.is_empty() {
            continue;
        }
        let (h, w) = range.get_size();
        if (h as u64).saturating_mul(w as u64) > max_cells {
            return Err(too_many_cells(name, &sheet, max_cells));
        }
        let first_row = range.start().map(|(r, _)| u64::from(r)).unwrap_or(0);
        let rows: Vec<(u64, Vec<String>)> = range
            .rows()
            .enumerate()
            .map(|(i, r)| (first_row + i as u64 + 1, r.iter().map(cell_text).collect()))
            .filter(|(_, r): &(u64, Vec<String>)| r.iter().any(|c| !c.trim().is_empty()))
            .collect();
        tables.push(sheet_table(name, &sheet, size as u64, rows));
    }
    Ok(tables)
}

/// A sheet's rows that hold data (1-based sheet row, cells) as a table: the header row found
/// among the first 30, trailing unnamed empty columns dropped.
fn sheet_table(name: &str, sheet: &str, bytes: u64, rows: Vec<(u64, Vec<String>)>) -> Table {
    let probe: Vec<Vec<String>> = rows.iter().take(30).map(|(_, r)| r.clone()).collect();
    let h = sniff::detect_header(&probe);
    let mut t = Table::new(name, Some(sheet), Vec::new());
    t.bytes = bytes;
    t.header_line = rows.get(h).map(|(line, _)| *line).unwrap_or(1);
    let mut headers: Vec<String> = rows
        .get(h)
        .map(|(_, r)| r.iter().map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    ipvi_core::import::table::name_columns(&mut headers);
    t.headers = headers;
    // Trailing unnamed, empty columns are Excel's formatting, not data.
    while t.headers.len() > 1
        && t.headers.last().is_some_and(|x| x.starts_with("column "))
        && rows
            .iter()
            .skip(h + 1)
            .all(|(_, r)| r.get(t.headers.len() - 1).is_none_or(|c| c.trim().is_empty()))
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
    for (line, r) in rows.iter().skip(h + 1) {
        let refs: Vec<&[u8]> = r.iter().map(|s| s.as_bytes()).collect();
        t.push_record(*line, &refs);
    }
    t
}
