//! Helpers shared by the fuzz targets: splitting one fuzz input into several files, and the
//! invariants every import must keep (rows read = used + rejected, file by file).

use ipvi_core::import::{self, ImportOutcome, Table};
use ipvi_core::input::InputFile;

/// The line that separates files inside one fuzz input (the seed corpora use it).
pub const FILE_SEPARATOR: &[u8] = b"\n#FILE#\n";

/// Split a fuzz input into at most `max` parts at [`FILE_SEPARATOR`].
pub fn split_files(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < max {
        match find(rest, FILE_SEPARATOR) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + FILE_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Every file summary of an import accounts for its rows: read = used + rejected (a file the
/// profile does not take, such as a code list, has rows read and none used or rejected: it is
/// listed apart as not used).
pub fn assert_rows_accounted(out: &ImportOutcome) {
    for f in out.files.iter().filter(|f| f.rows_used + f.rows_rejected > 0) {
        assert_eq!(
            f.rows_read,
            f.rows_used + f.rows_rejected,
            "rows unaccounted in {}: {f:?}",
            f.file
        );
    }
}

/// A table read from a CSV accounts for its rows: read = kept + rejected.
pub fn assert_table_rows_accounted(t: &Table) {
    assert_eq!(
        t.rows_read,
        (t.len() + t.rejected.len()) as u64,
        "rows unaccounted in {}: {} read, {} kept, {} rejected",
        t.file,
        t.rows_read,
        t.len(),
        t.rejected.len()
    );
}

/// Read the files as the command line does (CSV or workbook), import them with the profile
/// [`import::choose_profile`] picks, and check the rows are accounted for. Returns the outcome
/// when the files hold a table at all.
pub fn import_checked(files: &[InputFile<'_>]) -> Option<(ImportOutcome, import::mapping::MappingProposal)> {
    let (tables, diags) = import::read_tables(files, Some(ipvi_xlsx::read::READER));
    for t in &tables {
        if t.sheet.is_none() {
            assert_table_rows_accounted(t);
        }
    }
    let proposal = import::propose_mapping(&tables);
    let (out, _) = import::import_read_tables(tables, diags, None).ok()?;
    assert_rows_accounted(&out);
    Some((out, proposal))
}
