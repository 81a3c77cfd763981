//! The command line's one way in and one way out of files.
//!
//! Every command reads its inputs here: only regular files (a FIFO or a device named on the
//! command line would block or never end), and tables through the core's one reader
//! ([`ipvi_core::import::read_file`]: UTF-8, UTF-16 or Windows-1252, any usual separator, header
//! rows found below titles, workbooks through `ipvi-xlsx`). Every CSV a command writes goes
//! through the core's one writer ([`ipvi_core::export::push_csv_row`]), which neutralises
//! spreadsheet formulas (`=`, `+`, `-`, `@` at the start of a cell).

use anyhow::{bail, Context, Result};
use ipvi_core::diag::Diagnostic;
use ipvi_core::export::push_csv_row;
use ipvi_core::import::{FileSource, Table};
use ipvi_core::input::ImportError;
use std::path::Path;

/// The bytes of a regular file; anything else (a folder, a FIFO, a device) is refused with a
/// message naming it, before it is opened.
pub fn read_regular(path: &Path) -> Result<Vec<u8>> {
    check_regular(path)?;
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Refuse what is not a regular file (a folder, a pipe or a device), which would block or fail
/// when read.
pub fn check_regular(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{} is not a regular file (a folder, a pipe or a device): give the path of a file",
            path.display()
        );
    }
    Ok(())
}

/// The text of a regular file (a profile, a code table, a settings or decisions file): read by
/// [`read_regular`], so a folder, a FIFO or a device is refused instead of blocking; `what`
/// names the file in messages ("the profile").
pub fn read_text(path: &str, what: &str) -> Result<String> {
    let bytes = read_regular(Path::new(path)).with_context(|| format!("cannot read {what} {path}"))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{what} {path} is not UTF-8 text (a byte that is not UTF-8 at offset {}): save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Write every diagnostic (not only the ones shown) as CSV through the core's writer
/// (`severity,file,row,column,value,message`, formulas neutralised): `--diagnostics`.
pub fn write_diagnostics(path: &str, diags: &[Diagnostic]) -> Result<()> {
    std::fs::write(path, ipvi_core::export::diagnostics_to_csv(diags))
        .with_context(|| format!("cannot write the diagnostics to {path}"))
}

/// One table from a file (a CSV file, or a workbook's first sheet with data), with the
/// problems found while reading it. Fails when the file is not a table at all.
pub fn read_table(path: &str) -> Result<(Table, Vec<Diagnostic>)> {
    check_regular(Path::new(path))?;
    let tables = match read_file(Path::new(path)) {
        Ok(t) => t,
        Err(e) => bail!("{e}"),
    };
    let Some(mut t) = tables.into_iter().next() else {
        bail!("{path} holds no table");
    };
    let diags = std::mem::take(&mut t.diagnostics);
    Ok((t, diags))
}

/// A file's name without its folder, as the import names it.
pub fn file_name(f: &Path) -> String {
    f.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A reader of an open file's bytes `start..end` for the core's readers ([`FileSource`]), with
/// the file's size; a file that could not be opened gives size 0 and a reader that says why.
pub fn reader_at(file: &mut std::io::Result<(std::fs::File, u64)>) -> (u64, Box<ipvi_core::import::ReadAt<'_>>) {
    use std::io::{Read, Seek, SeekFrom};
    match file {
        Ok((file, size)) => (
            *size,
            Box::new(move |start: u64, end: u64, buf: &mut Vec<u8>| -> Result<(), String> {
                buf.resize(end.saturating_sub(start) as usize, 0);
                file.seek(SeekFrom::Start(start)).map_err(|e| e.to_string())?;
                file.read_exact(buf).map_err(|e| e.to_string())
            }),
        ),
        Err(e) => {
            let why = e.to_string();
            (0, Box::new(move |_, _, _| Err(why.clone())))
        }
    }
}

/// One file from disk into tables through the core's one file reader
/// ([`ipvi_core::import::read_file`], as the app reads a `File`): a CSV file streamed from disk in
/// slices, never held whole; a workbook read whole, one table per sheet.
pub fn read_file(path: &Path) -> Result<Vec<Table>, ImportError> {
    use std::io::{Read, Seek, SeekFrom};
    let name = file_name(path);
    let unreadable = |e: std::io::Error| ImportError::Unusable(format!("{name} could not be read ({e})"));
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    let mut read_at = |start: u64, end: u64, buf: &mut Vec<u8>| -> Result<(), String> {
        buf.resize(end.saturating_sub(start) as usize, 0);
        file.seek(SeekFrom::Start(start)).map_err(|e| e.to_string())?;
        file.read_exact(buf).map_err(|e| e.to_string())
    };
    let src = FileSource {
        name: &name,
        size,
        read_at: &mut read_at,
    };
    ipvi_core::import::read_file(src, Some(ipvi_xlsx::read::READER), None, &mut |_, _| {})
}

/// The position of a column by its header (case and surrounding spaces ignored).
pub fn column(t: &Table, name: &str, file: &str) -> Result<usize> {
    match t
        .headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    {
        Some(i) => Ok(i),
        None => bail!(
            "{file}: no column named {name:?}; the columns are: {}",
            t.headers.join(", ")
        ),
    }
}

/// Write a CSV file through the core's writer (formulas neutralised).
pub fn write_csv<R, S>(path: &str, header: &[&str], rows: impl IntoIterator<Item = R>) -> Result<()>
where
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    push_csv_row(&mut out, header.iter().copied());
    let mut cells: Vec<S> = Vec::new();
    for r in rows {
        cells.clear();
        cells.extend(r);
        push_csv_row(&mut out, cells.iter().map(AsRef::as_ref));
    }
    std::fs::write(path, out).with_context(|| format!("cannot write {path}"))
}

/// Print the reading problems of a file on stderr (counted, the first few listed).
pub fn report_diagnostics(diags: &[Diagnostic]) {
    for d in diags.iter().take(20) {
        eprintln!("{d}");
    }
    if diags.len() > 20 {
        eprintln!("… and {} more problems", diags.len() - 20);
    }
}
