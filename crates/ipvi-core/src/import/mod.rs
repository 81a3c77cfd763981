//! Import of any agency's export: CSV or XLSX files in any usual encoding and layout, mapped
//! onto the analyzer's [`crate::model::Dataset`] through a profile, with every problem reported.
//!
//! The path: files as names and bytes → [`read_tables`] (encoding, separator and header row
//! sniffed in [`sniff`]; CSV parsed in [`table`], also in chunks with [`table::CsvStream`];
//! workbooks through a [`WorkbookReader`]) → a [`profile::Profile`] (given, a built-in one that
//! [`profile::Profile::matches`] the files, or one made from [`mapping::propose_mapping`] and the
//! analyst's corrections) → [`validate::import_tables`] (the dataset, diagnostics, per-file
//! summaries, rejected rows) → [`audit::audit`] (data quality and readiness).
//!
//! This module does no IO. Bad rows never abort an import; only a file that is not a table at
//! all, or a profile whose required files are missing, gives an [`crate::input::ImportError`].

pub mod audit;
pub mod mapping;
pub mod profile;
pub mod sniff;
pub mod table;
pub mod validate;

pub use audit::{audit, Audit, AuditThresholds};
pub use mapping::{propose_mapping, Field, MappingProposal, Side, TableKind, Target};
pub use profile::Profile;
pub use table::{read_csv, too_big_message, CsvStream, Table, MAX_BROWSER_BYTES};
pub use validate::{import_tables, import_tables_as_of, import_tables_with_progress, ImportOutcome};

use crate::diag::{Diagnostic, Severity};
use crate::export::push_csv_row;
use crate::input::{ImportError, InputFile};
use serde::{Deserialize, Serialize};

/// A row that was not used, kept for download with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// The file (and sheet) as shown to the user.
    pub file: String,
    /// The 1-based line (or sheet row).
    pub row: u64,
    /// The row's cells as read.
    pub cells: Vec<String>,
    pub reason: String,
}

/// The rejected rows as CSV: `file,row,reason,cells...`, cells made spreadsheet-safe.
pub fn rejected_to_csv(rows: &[RejectedRow]) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut head = vec!["file".to_string(), "row".to_string(), "reason".to_string()];
    head.extend((1..=width).map(|i| format!("cell_{i}")));
    push_csv_row(&mut out, head.iter().map(String::as_str));
    for r in rows {
        let line = r.row.to_string();
        let mut cells: Vec<&str> = vec![r.file.as_str(), line.as_str(), r.reason.as_str()];
        cells.extend(r.cells.iter().map(String::as_str));
        push_csv_row(&mut out, cells);
    }
    out
}

/// Reads a workbook's sheets into tables. The core does no ZIP or XML work itself: the
/// `ipvi-xlsx` crate provides one (`ipvi_xlsx::read::READER`), so the core stays free of the
/// web dependencies that calamine's zip brings into wasm32 builds.
pub type WorkbookReader = fn(&str, &[u8]) -> Result<Vec<Table>, ImportError>;

/// Whether bytes look like a workbook: a ZIP container (XLSX, ODS) or an OLE2 file (XLS).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// Read every file into tables (CSV: one table; workbook: one per sheet, through `workbooks`).
/// A file that is not a table gives an error diagnostic and no table; the others go on.
pub fn read_tables(files: &[InputFile<'_>], workbooks: Option<WorkbookReader>) -> (Vec<Table>, Vec<Diagnostic>) {
    let mut tables = Vec::new();
    let mut diags = Vec::new();
    for f in files {
        let result = if is_workbook(f.bytes) {
            match workbooks {
                Some(read) => read(f.name, f.bytes),
                None => Err(ImportError::Unusable(format!(
                    "{} is an Excel workbook, and this reader has no workbook support: export the sheet as CSV",
                    f.name
                ))),
            }
        } else {
            read_csv(f.name, f.bytes).map(|t| vec![t])
        };
        match result {
            Ok(ts) => tables.extend(ts),
            Err(e) => diags.push(Diagnostic::file(Severity::Error, f.name, e.to_string())),
        }
    }
    (tables, diags)
}

/// Which profile an import used.
#[derive(Clone, Debug, PartialEq)]
pub enum ProfileChoice {
    /// The one the user gave.
    Given(Profile),
    /// A built-in profile that matches the files.
    Builtin(Profile),
    /// Made from the proposal, unconfirmed (the command line uses it as proposed).
    Proposed(Profile, MappingProposal),
}

impl ProfileChoice {
    /// The profile.
    pub fn profile(&self) -> &Profile {
        match self {
            ProfileChoice::Given(p) | ProfileChoice::Builtin(p) | ProfileChoice::Proposed(p, _) => p,
        }
    }
}

/// The given profile, else the first built-in that matches, else one proposed from the tables.
pub fn choose_profile(tables: &[Table], given: Option<&Profile>) -> ProfileChoice {
    if let Some(p) = given {
        return ProfileChoice::Given(p.clone());
    }
    if let Some(p) = Profile::builtins().into_iter().find(|p| p.matches(tables)) {
        return ProfileChoice::Builtin(p);
    }
    let proposal = propose_mapping(tables);
    ProfileChoice::Proposed(Profile::from_proposal("proposed mapping", &proposal), proposal)
}

/// Read files and import them with a profile (see [`choose_profile`]). Reading problems of
/// files that are not tables are added to the outcome's diagnostics.
pub fn import_files(
    files: &[InputFile<'_>],
    given: Option<&Profile>,
    workbooks: Option<WorkbookReader>,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    let (tables, read_diags) = read_tables(files, workbooks);
    import_read_tables(tables, read_diags, given, None)
}

/// [`import_files`] for tables already read by [`read_tables`] (with its reading problems), for
/// a caller that looks at the tables first and must not parse the files twice; `as_of` is the
/// as-of date the analysis will use, if given (see [`import_tables_as_of`]).
pub fn import_read_tables(
    tables: Vec<Table>,
    mut read_diags: Vec<Diagnostic>,
    given: Option<&Profile>,
    as_of: Option<crate::date::Date>,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    if tables.is_empty() {
        let why: Vec<String> = read_diags.iter().map(|d| d.to_string()).collect();
        return Err(ImportError::Unusable(if why.is_empty() {
            "no file was given: choose the export's CSV or XLSX files".to_string()
        } else {
            why.join("; ")
        }));
    }
    let choice = choose_profile(&tables, given);
    let mut out = import_tables_as_of(tables, choice.profile(), as_of, &mut |_| true)?;
    read_diags.append(&mut out.diagnostics);
    out.diagnostics = read_diags;
    Ok((out, choice))
}
