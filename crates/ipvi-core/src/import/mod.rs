//! Import of any agency's export: CSV or XLSX files in any usual encoding and layout, mapped
//! onto the analyzer's [`crate::model::Dataset`] through a profile, with every problem reported.
//!
//! The path: files as readers of byte ranges ([`FileSource`]) → [`sample_files`], the first
//! pass (encoding, separator and header row sniffed in [`sniff`]; CSV parsed in chunks with
//! [`table::CsvStream`], only each file's first [`SAMPLE_ROWS`] rows kept; workbooks whole
//! through a [`WorkbookReader`]) → a [`profile::Profile`] (given, a built-in one that
//! [`profile::Profile::matches`] the files, or one made from [`mapping::propose_mapping`] and the
//! analyst's corrections) → [`import_sampled`], the second pass (each CSV file read again, its
//! rows put into the dataset block by block as they are read, with diagnostics, per-file
//! summaries and rejected rows; [`validate::import_tables`] does the same for tables held whole)
//! → [`audit::audit`] (data quality and readiness).
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
pub use table::{read_csv, too_big_message, CsvStream, Table, MAX_BROWSER_BYTES, SAMPLE_ROWS};
pub use validate::{import_tables, import_tables_as_of, import_tables_with_progress, ImportOutcome, ImportProgress};

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

/// The slices a file is read in (8 MiB): large enough that the per-slice overhead (a
/// `FileReaderSync` call in the browser, a system call natively) is small, small enough that
/// memory stays flat and progress moves.
pub const CHUNK_BYTES: u64 = 8 << 20;

/// How [`read_file`] reads: the file's size, and a function that fills a buffer with the
/// file's bytes `start..end` (the app: a `FileReaderSync` slice of the `File`; the command line:
/// the file on disk; [`read_tables`]: bytes in memory).
pub struct FileSource<'a> {
    pub name: &'a str,
    pub size: u64,
    pub read_at: &'a mut ReadAt<'a>,
}

/// Fill the buffer with the file's bytes `start..end`, or say why they could not be read.
pub type ReadAt<'a> = dyn FnMut(u64, u64, &mut Vec<u8>) -> Result<(), String> + 'a;

/// The opening both passes share: refuse a file over `limit`, then read a workbook whole
/// (through `workbooks`: its tables) or leave a text file to be read slice by slice (`None`).
fn open(
    name: &str,
    size: u64,
    read_at: &mut ReadAt<'_>,
    workbooks: Option<WorkbookReader>,
    limit: Option<u64>,
    buf: &mut Vec<u8>,
) -> Result<Option<Vec<Table>>, ImportError> {
    if let Some(l) = limit {
        if size > l {
            return Err(ImportError::TooBig(too_big_message(name, size)));
        }
    }
    let unreadable = |e: String| ImportError::Unusable(format!("{name} could not be read ({e})"));
    read_at(0, size.min(8), buf).map_err(unreadable)?;
    if !is_workbook(buf) {
        return Ok(None);
    }
    let Some(read) = workbooks else {
        return Err(ImportError::Unusable(format!(
            "{name} is an Excel workbook, and this reader has no workbook support: export the sheet as CSV"
        )));
    };
    read_at(0, size, buf).map_err(unreadable)?;
    read(name, buf).map(Some)
}

/// Read one file into whole tables (for a caller that needs the table itself, such as `ipvi
/// link`'s records; an import reads files through [`sample_files`] and [`import_sampled`]): its first bytes tell a
/// workbook (read whole, through `workbooks`: one table per sheet) from a text file (read
/// [`CHUNK_BYTES`] at a time into a [`CsvStream`], so the file is never held whole, only its
/// table). `limit`: refuse a file over that many bytes. `progress(bytes read, rows read)` after
/// each slice.
pub fn read_file(
    src: FileSource<'_>,
    workbooks: Option<WorkbookReader>,
    limit: Option<u64>,
    progress: &mut dyn FnMut(u64, usize),
) -> Result<Vec<Table>, ImportError> {
    let FileSource { name, size, read_at } = src;
    let mut buf = Vec::new();
    if let Some(tables) = open(name, size, read_at, workbooks, limit, &mut buf)? {
        return Ok(tables);
    }
    let unreadable = |e: String| ImportError::Unusable(format!("{name} could not be read ({e})"));
    let mut stream = CsvStream::new(name, Some(size));
    if let Some(l) = limit {
        stream = stream.with_limit(l);
    }
    let mut at = 0u64;
    while at < size {
        let end = (at + CHUNK_BYTES).min(size);
        read_at(at, end, &mut buf).map_err(unreadable)?;
        stream.push(&buf)?;
        at = end;
        progress(at, stream.rows());
    }
    stream.finish().map(|t| vec![t])
}

/// Read every file held in memory into tables (CSV: one table; workbook: one per sheet, through
/// `workbooks`), each through [`read_file`]. A file that is not a table gives an error
/// diagnostic and no table; the others go on.
pub fn read_tables(files: &[InputFile<'_>], workbooks: Option<WorkbookReader>) -> (Vec<Table>, Vec<Diagnostic>) {
    let mut tables = Vec::new();
    let mut diags = Vec::new();
    for f in files {
        let bytes = f.bytes;
        let mut read_at = |start: u64, end: u64, buf: &mut Vec<u8>| {
            let part = bytes.get(start as usize..end as usize).unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(part);
            Ok(())
        };
        let src = FileSource {
            name: f.name,
            size: bytes.len() as u64,
            read_at: &mut read_at,
        };
        match read_file(src, workbooks, None, &mut |_, _| {}) {
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

/// How the streamed import reads its files: the first slice of each file (its encoding and
/// separator are told from it, so both passes read the same first slice), the slices after it,
/// and whether a file read to its end in the first pass is held whole instead of being read
/// again. The default ([`CHUNK_BYTES`] slices, such files held) is what every caller uses;
/// tests read in small slices, every file twice, to cross many slice and block boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadPlan {
    pub first_slice: u64,
    pub slice: u64,
    pub hold_read_files: bool,
}

impl Default for ReadPlan {
    fn default() -> Self {
        ReadPlan {
            first_slice: CHUNK_BYTES,
            slice: CHUNK_BYTES,
            hold_read_files: true,
        }
    }
}

/// One file after the first pass of the import ([`sample_file`]).
#[derive(Clone, Debug)]
pub struct Sample {
    /// A workbook's sheets, or a CSV file's table: whole, or its header and first
    /// [`SAMPLE_ROWS`] rows (without its reading problems, found again when it is read again).
    pub tables: Vec<Table>,
    /// The tables are whole (a workbook, or a CSV file read to its end).
    pub whole: bool,
}

/// The first pass of the import over one file: what choosing the profile and the mapping screen
/// need (headers and the first [`SAMPLE_ROWS`] rows), without reading the rest of a CSV file
/// ([`import_sampled`] reads it again, block by block). A workbook is read whole (through
/// `workbooks`). Errors as [`read_file`]'s. `progress(bytes read)` after each slice.
pub fn sample_file(
    src: FileSource<'_>,
    workbooks: Option<WorkbookReader>,
    limit: Option<u64>,
    plan: &ReadPlan,
    progress: &mut dyn FnMut(u64),
) -> Result<Sample, ImportError> {
    let FileSource { name, size, read_at } = src;
    let mut buf = Vec::new();
    if let Some(tables) = open(name, size, read_at, workbooks, limit, &mut buf)? {
        progress(size);
        return Ok(Sample { tables, whole: true });
    }
    let unreadable = |e: String| ImportError::Unusable(format!("{name} could not be read ({e})"));
    // No size given: the sample makes no room for the whole file.
    let mut stream = CsvStream::new(name, None);
    if let Some(l) = limit {
        stream = stream.with_limit(l);
    }
    let mut at = 0u64;
    while at < size {
        let end = (at + if at == 0 { plan.first_slice } else { plan.slice }.max(1)).min(size);
        read_at(at, end, &mut buf).map_err(unreadable)?;
        stream.push(&buf)?;
        at = end;
        progress(at);
        if stream.is_binary() {
            break;
        }
        if stream.rows() >= SAMPLE_ROWS && at < size {
            return match stream.into_sample(SAMPLE_ROWS) {
                Some(mut t) => {
                    t.bytes = size;
                    Ok(Sample {
                        tables: vec![t],
                        whole: false,
                    })
                }
                None => Err(ImportError::Unusable(format!("{name} holds no header row"))),
            };
        }
    }
    let mut t = stream.finish()?;
    if plan.hold_read_files {
        return Ok(Sample {
            tables: vec![t],
            whole: true,
        });
    }
    t.truncate(SAMPLE_ROWS);
    t.diagnostics.clear();
    t.rejected.clear();
    Ok(Sample {
        tables: vec![t],
        whole: false,
    })
}

/// Every file after the first pass ([`sample_files`]): the tables the profile is chosen from,
/// and which of them are samples of a CSV file that [`import_sampled`] reads again.
#[derive(Clone, Debug, Default)]
pub struct Sampled {
    /// The tables in the files' order (a workbook: one per sheet).
    pub tables: Vec<Table>,
    /// The file each table is a sample of (`None`: held whole).
    streamed: Vec<Option<usize>>,
    /// Files that are not tables, each as an error naming it.
    pub problems: Vec<Diagnostic>,
}

impl Sampled {
    /// Add file `file` (its position among the files given), named `name`, as [`sample_file`]
    /// read it: a file that is not a table becomes an error in [`Sampled::problems`].
    pub fn add(&mut self, file: usize, name: &str, sample: Result<Sample, ImportError>) {
        match sample {
            Ok(s) => {
                let streamed = (!s.whole).then_some(file);
                self.streamed.extend(s.tables.iter().map(|_| streamed));
                self.tables.extend(s.tables);
            }
            Err(e) => self
                .problems
                .push(Diagnostic::file(Severity::Error, name, e.to_string())),
        }
    }
}

/// [`sample_file`] for every file, in order. Stops only when a file is over `limit`
/// ([`ImportError::TooBig`]); a file that is not a table is a problem and the others go on.
/// `progress(file, bytes read of it)`.
pub fn sample_files(
    files: &mut [FileSource<'_>],
    workbooks: Option<WorkbookReader>,
    limit: Option<u64>,
    plan: &ReadPlan,
    progress: &mut dyn FnMut(usize, u64),
) -> Result<Sampled, ImportError> {
    let mut out = Sampled::default();
    for (i, f) in files.iter_mut().enumerate() {
        let src = FileSource {
            name: f.name,
            size: f.size,
            read_at: &mut *f.read_at,
        };
        match sample_file(src, workbooks, limit, plan, &mut |at| progress(i, at)) {
            Err(e @ ImportError::TooBig(_)) => return Err(e),
            r => out.add(i, f.name, r),
        }
    }
    Ok(out)
}

/// Read a CSV file from its start in [`ReadPlan`] slices into a [`CsvStream`], calling
/// `after(stream, bytes read so far)` after each slice; when it returns `false`, stop with
/// [`ImportError::Cancelled`]. The finished table. The one loop of the second pass, on the
/// calling thread or on the thread a [`ParseAhead`] gives it.
fn stream_file(
    src: FileSource<'_>,
    limit: Option<u64>,
    plan: &ReadPlan,
    after: &mut dyn FnMut(&mut CsvStream, u64) -> bool,
) -> Result<Table, ImportError> {
    let FileSource { name, size, read_at } = src;
    let unreadable = |e: String| ImportError::Unusable(format!("{name} could not be read ({e})"));
    let mut stream = CsvStream::new(name, Some(size));
    if let Some(l) = limit {
        stream = stream.with_limit(l);
    }
    let mut buf = Vec::new();
    let mut at = 0u64;
    while at < size {
        let step = if at == 0 { plan.first_slice } else { plan.slice };
        let end = (at + step.max(1)).min(size);
        read_at(at, end, &mut buf).map_err(unreadable)?;
        stream.push(&buf)?;
        at = end;
        if !after(&mut stream, at) {
            return Err(ImportError::Cancelled);
        }
    }
    stream.finish()
}

/// Where the CSV parsing of the import's second pass runs. The core starts no thread (it runs
/// in a browser worker too): [`InPlace`] parses on the calling thread as the file is read (the
/// browser, `ipvi --threads 1`); the `ipvi` command parses each file on a thread of its own,
/// ahead of the import. Either way the import takes the same rows in the same order, after
/// the same slices, so the outcome is the same bit for bit.
pub trait ParseAhead {
    /// Run `parse` on another thread, with a reader of file `file` (its position among the
    /// files given), while `import` runs on the calling thread; return once both have ended,
    /// with `true`. `false`: neither was called, the file is parsed in place (no thread, or no
    /// reader of that file to give another thread). `parse` reads the file through the reader
    /// given (the core's name and size of the file are used, not the reader's) and ends by
    /// itself when `import` stops early (a cancel, an error).
    fn ahead(&mut self, file: usize, parse: &mut (dyn FnMut(FileSource<'_>) + Send), import: &mut dyn FnMut()) -> bool;
}

/// Parses on the calling thread, as the file is read.
#[derive(Clone, Copy, Debug, Default)]
pub struct InPlace;

impl ParseAhead for InPlace {
    fn ahead(&mut self, _: usize, _: &mut (dyn FnMut(FileSource<'_>) + Send), _: &mut dyn FnMut()) -> bool {
        false
    }
}

/// Slices parsed ahead of the import that wait to be taken, per file: the bound of the channel
/// between the parsing thread and the import, so the memory held does not grow with the file
/// (besides the slice the import takes, at most this many wait and one is being parsed). One
/// is enough for the parsing of the next slices to overlap the import of this one. Measured
/// (`ipvi audit` of the 1,000,000-person export): with glibc's mmap threshold fixed, the peak
/// is 3 to 9 MB over parsing in place with 0 to 2 waiting; with its default (a threshold that
/// moves with the blocks freed), 225 MB with 1 or 2 waiting but 274 to 295 MB with none (a
/// rendezvous), against 198 MB in place: the allocator's doing, not rows held.
pub const AHEAD_SLICES: usize = 1;

/// What the parsing thread hands the import, in order.
enum Parsed {
    /// After a slice: the bytes read so far, the table's header (the first time the table is
    /// there, as [`Table::without_rows`]) and the rows parsed since the last slice.
    Slice {
        at: u64,
        head: Option<Table>,
        rows: table::MovedRows,
    },
    /// The end: the finished table (rows moved out) and its last rows, or why it failed.
    End(Result<(Table, table::MovedRows), ImportError>),
}

/// The parsing side of a file parsed ahead: what moves its rows out after each slice.
#[derive(Default)]
struct Mover {
    from: usize,
    head_sent: bool,
}

impl Mover {
    fn take(&mut self, t: Option<&mut Table>) -> (Option<Table>, table::MovedRows) {
        let Some(t) = t else {
            return (None, Vec::new());
        };
        let head = (!self.head_sent).then(|| t.without_rows());
        self.head_sent = true;
        (head, t.take_new_rows(&mut self.from))
    }
}

/// The import's side of a file parsed ahead: its copy of the table gets the rows of each slice,
/// then `batch` is called with it as [`stream_file`]'s `after` would call it with the parsed
/// table (the same rows, the same bytes read); at the end, the finished table with the copy's
/// rows. A `false` from `batch` stops with [`ImportError::Cancelled`] (the receiver dropped, so
/// the parsing thread stops at its next slice).
fn take_parsed(
    name: &str,
    rx: std::sync::mpsc::Receiver<Parsed>,
    batch: &mut dyn FnMut(Option<&mut Table>, u64) -> bool,
) -> Result<Table, ImportError> {
    let mut copy: Option<Table> = None;
    for p in rx.iter() {
        match p {
            Parsed::Slice { at, head, rows } => {
                if head.is_some() {
                    copy = head;
                }
                if let Some(c) = copy.as_mut() {
                    c.append_moved(rows);
                }
                if !batch(copy.as_mut(), at) {
                    return Err(ImportError::Cancelled);
                }
            }
            Parsed::End(r) => {
                let (finished, rows) = r?;
                let mut c = copy.unwrap_or_else(|| finished.without_rows());
                c.append_moved(rows);
                return Ok(finished.with_rows_of(c));
            }
        }
    }
    // The parsing thread ended without a word: it panicked (which its scope passes on).
    Err(ImportError::Unusable(format!(
        "{name} could not be read (its parsing stopped)"
    )))
}

/// The files of a streamed import, read again in [`ReadPlan`] slices, parsed where `ahead`
/// says.
struct Rereader<'s, 'a> {
    files: &'s mut [FileSource<'a>],
    limit: Option<u64>,
    plan: ReadPlan,
    ahead: &'s mut dyn ParseAhead,
}

impl validate::Reread for Rereader<'_, '_> {
    fn size(&self, file: usize) -> u64 {
        self.files.get(file).map_or(0, |f| f.size)
    }

    fn reread(
        &mut self,
        file: usize,
        batch: &mut dyn FnMut(Option<&mut Table>, u64) -> bool,
    ) -> Result<Table, ImportError> {
        let Some(src) = self.files.get_mut(file) else {
            return Err(ImportError::Unusable(format!("file {} was not given again", file + 1)));
        };
        let (name, size, limit, plan) = (src.name, src.size, self.limit, self.plan);
        // A bounded channel from std: one producer, one consumer, blocking both ways, is all
        // this needs (no crate for it).
        let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(AHEAD_SLICES);
        let mut tx = Some(tx);
        let mut parse = move |theirs: FileSource<'_>| {
            // Taken, so that the sender is dropped when the parsing ends, even by a panic.
            let Some(tx) = tx.take() else { return };
            let src = FileSource {
                name,
                size,
                read_at: theirs.read_at,
            };
            let mut mover = Mover::default();
            let r = stream_file(src, limit, &plan, &mut |s, at| {
                let (head, rows) = mover.take(s.table_mut());
                tx.send(Parsed::Slice { at, head, rows }).is_ok()
            });
            let end = r.map(|mut t| {
                let (_, rows) = mover.take(Some(&mut t));
                (t, rows)
            });
            // The import may have stopped already: nobody to tell.
            let _ = tx.send(Parsed::End(end));
        };
        let mut rx = Some(rx);
        let mut out = None;
        let mut import = || {
            if let Some(rx) = rx.take() {
                out = Some(take_parsed(name, rx, batch));
            }
        };
        if self.ahead.ahead(file, &mut parse, &mut import) {
            return out.unwrap_or_else(|| {
                Err(ImportError::Unusable(format!(
                    "{name} could not be read (it was not parsed)"
                )))
            });
        }
        stream_file(
            FileSource {
                name,
                size,
                read_at: &mut *src.read_at,
            },
            limit,
            &plan,
            &mut |s, at| batch(s.table_mut(), at),
        )
    }
}

/// The second pass of the import: every table of `sampled` imported with `profile` (see
/// [`validate::import_tables_as_of`] for `as_of`), a sampled CSV file read again from `files`
/// (the same files, in the same order, as [`sample_files`] was given) and its rows put into the
/// dataset block by block as they are read, so at most a block or two of decoded rows is held.
/// When no as-of date is given, the files with the incident dates are read once more first, for
/// the dates alone. The outcome is the one importing the whole tables gives; the problems of
/// files that are not tables come first in its diagnostics. `progress` returns `false` to stop
/// with [`ImportError::Cancelled`].
pub fn import_sampled(
    sampled: Sampled,
    files: &mut [FileSource<'_>],
    profile: &Profile,
    as_of: Option<crate::date::Date>,
    (limit, plan): (Option<u64>, &ReadPlan),
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<ImportOutcome, ImportError> {
    import_sampled_ahead(sampled, files, profile, as_of, (limit, plan), &mut InPlace, progress)
}

/// [`import_sampled`] with each CSV file's parsing run where `ahead` says (the `ipvi` command:
/// on a thread of its own, ahead of the import). The outcome, errors, progress and cancel are
/// those of [`import_sampled`].
pub fn import_sampled_ahead(
    sampled: Sampled,
    files: &mut [FileSource<'_>],
    profile: &Profile,
    as_of: Option<crate::date::Date>,
    (limit, plan): (Option<u64>, &ReadPlan),
    ahead: &mut dyn ParseAhead,
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let Sampled {
        tables,
        streamed,
        mut problems,
    } = sampled;
    let mut reread = Rereader {
        files,
        limit,
        plan: *plan,
        ahead,
    };
    let mut out = validate::import_streamed(tables, streamed, profile, as_of, &mut reread, progress)?;
    problems.append(&mut out.diagnostics);
    out.diagnostics = problems;
    Ok(out)
}

/// Both passes of the import over `files`: [`sample_files`], the profile ([`choose_profile`]),
/// [`import_sampled_ahead`] (each CSV file parsed where `ahead` says). Fails when no file is a
/// table.
pub fn import_sources(
    files: &mut [FileSource<'_>],
    given: Option<&Profile>,
    as_of: Option<crate::date::Date>,
    workbooks: Option<WorkbookReader>,
    plan: &ReadPlan,
    ahead: &mut dyn ParseAhead,
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    let sampled = sample_files(files, workbooks, None, plan, &mut |_, _| {})?;
    if sampled.tables.is_empty() {
        return Err(no_table(&sampled.problems));
    }
    let choice = choose_profile(&sampled.tables, given);
    let out = import_sampled_ahead(sampled, files, choice.profile(), as_of, (None, plan), ahead, progress)?;
    Ok((out, choice))
}

/// Why nothing could be imported: the problems of the files, or that none was given.
fn no_table(problems: &[Diagnostic]) -> ImportError {
    let why: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    ImportError::Unusable(if why.is_empty() {
        "no file was given: choose the export's CSV or XLSX files".to_string()
    } else {
        why.join("; ")
    })
}

/// Readers of files held in memory, one per file, for the [`FileSource`]s of [`import_sources`].
fn in_memory<'a>(files: &'a [InputFile<'a>]) -> Vec<Box<ReadAt<'a>>> {
    files
        .iter()
        .map(|f| {
            let bytes = f.bytes;
            Box::new(move |start: u64, end: u64, buf: &mut Vec<u8>| {
                let part = bytes.get(start as usize..end as usize).unwrap_or_default();
                buf.clear();
                buf.extend_from_slice(part);
                Ok(())
            }) as Box<ReadAt<'a>>
        })
        .collect()
}

/// Import files held in memory with a profile (see [`choose_profile`]), through the streamed
/// import ([`import_sources`]) as files on disk are. Reading problems of files that are not
/// tables are added to the outcome's diagnostics.
pub fn import_files(
    files: &[InputFile<'_>],
    given: Option<&Profile>,
    workbooks: Option<WorkbookReader>,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    import_files_with(files, given, None, workbooks, &ReadPlan::default())
}

/// [`import_files`] with an as-of date and a [`ReadPlan`].
pub fn import_files_with(
    files: &[InputFile<'_>],
    given: Option<&Profile>,
    as_of: Option<crate::date::Date>,
    workbooks: Option<WorkbookReader>,
    plan: &ReadPlan,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    import_files_ahead(files, given, as_of, workbooks, plan, &mut InPlace)
}

/// [`import_files_with`] with each CSV file's second pass parsed where `ahead` says.
pub fn import_files_ahead(
    files: &[InputFile<'_>],
    given: Option<&Profile>,
    as_of: Option<crate::date::Date>,
    workbooks: Option<WorkbookReader>,
    plan: &ReadPlan,
    ahead: &mut dyn ParseAhead,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    let mut readers = in_memory(files);
    let mut sources: Vec<FileSource<'_>> = files
        .iter()
        .zip(readers.iter_mut())
        .map(|(f, r)| FileSource {
            name: f.name,
            size: f.bytes.len() as u64,
            read_at: &mut **r,
        })
        .collect();
    import_sources(&mut sources, given, as_of, workbooks, plan, ahead, &mut |_| true)
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
        return Err(no_table(&read_diags));
    }
    let choice = choose_profile(&tables, given);
    let mut out = import_tables_as_of(tables, choice.profile(), as_of, &mut |_| true)?;
    read_diags.append(&mut out.diagnostics);
    out.diagnostics = read_diags;
    Ok((out, choice))
}

#[cfg(test)]
mod tests {
    use super::validate::Reread;
    use super::*;

    type Files = Vec<(String, Vec<u8>)>;

    /// A reader of bytes in memory that fails for every slice past `fail_at`.
    fn reader(bytes: &[u8], fail_at: Option<u64>) -> impl FnMut(u64, u64, &mut Vec<u8>) -> Result<(), String> + '_ {
        move |start, end, buf| {
            if fail_at.is_some_and(|f| end > f) {
                return Err("the disk is gone".into());
            }
            buf.clear();
            buf.extend_from_slice(&bytes[start as usize..end as usize]);
            Ok(())
        }
    }

    /// Parses each file on a thread of its own while the import runs on the calling one, as
    /// the `ipvi` command does with files on disk; counts the files it parsed.
    struct Threaded<'f> {
        files: &'f Files,
        fail_at: Option<u64>,
        runs: usize,
    }

    impl ParseAhead for Threaded<'_> {
        fn ahead(
            &mut self,
            file: usize,
            parse: &mut (dyn FnMut(FileSource<'_>) + Send),
            import: &mut dyn FnMut(),
        ) -> bool {
            let Some((_, bytes)) = self.files.get(file) else {
                return false;
            };
            self.runs += 1;
            let fail_at = self.fail_at;
            std::thread::scope(|s| {
                s.spawn(move || {
                    let mut read_at = reader(bytes, fail_at);
                    parse(FileSource {
                        name: "another name",
                        size: bytes.len() as u64,
                        read_at: &mut read_at,
                    });
                });
                import();
            });
            true
        }
    }

    /// Rows as text, with their lines.
    type Rows = Vec<(u64, Vec<String>)>;

    /// A table's rows `from..`.
    fn rows_of(t: &Table, from: usize) -> Rows {
        (from..t.len())
            .map(|r| (t.line(r), t.row(r).into_iter().map(str::to_string).collect()))
            .collect()
    }

    /// A `batch` call: the bytes read, and once there is a table its header, length and rows
    /// not seen before.
    type Call = (u64, Option<(Vec<String>, usize, Rows)>);

    /// The finished table: its rows not seen before, rows read, bytes, problems, rejected rows,
    /// problems not listed.
    type End = (Rows, u64, u64, Vec<Diagnostic>, Vec<RejectedRow>, usize);

    /// What reading a file again showed the import: each `batch` call, then the finished table
    /// or the error.
    #[derive(Debug, PartialEq)]
    struct Seen {
        calls: Vec<Call>,
        end: Result<End, String>,
    }

    /// Every file read again, rows freed as the import frees them, parsed in place or on a
    /// thread; `stop`: `batch` says stop at its call number `stop`.
    fn reread_all(
        files: &Files,
        plan: ReadPlan,
        limit: Option<u64>,
        fail_at: Option<u64>,
        threaded: bool,
        stop: usize,
    ) -> (Vec<Seen>, usize) {
        let mut readers: Vec<_> = files.iter().map(|(_, b)| reader(b, fail_at)).collect();
        let mut sources: Vec<FileSource<'_>> = files
            .iter()
            .zip(readers.iter_mut())
            .map(|((n, b), r)| FileSource {
                name: n,
                size: b.len() as u64,
                read_at: r,
            })
            .collect();
        let mut th = Threaded {
            files,
            fail_at,
            runs: 0,
        };
        let mut in_place = InPlace;
        let ahead: &mut dyn ParseAhead = if threaded { &mut th } else { &mut in_place };
        let mut rr = Rereader {
            files: &mut sources,
            limit,
            plan,
            ahead,
        };
        let mut seen = Vec::new();
        for f in 0..files.len() {
            let mut calls = Vec::new();
            let mut done = 0;
            let mut batch = |t: Option<&mut Table>, at: u64| {
                let Some(t) = t else {
                    calls.push((at, None));
                    return calls.len() != stop;
                };
                calls.push((at, Some((t.headers.clone(), t.len(), rows_of(t, done)))));
                done = t.len();
                t.free_rows_before(done);
                calls.len() != stop
            };
            let end = rr
                .reread(f, &mut batch)
                .map(|t| {
                    (
                        rows_of(&t, done),
                        t.rows_read,
                        t.bytes,
                        t.diagnostics.clone(),
                        t.rejected.clone(),
                        t.suppressed(),
                    )
                })
                .map_err(|e| e.to_string());
            seen.push(Seen { calls, end });
        }
        (seen, th.runs)
    }

    /// Files of every kind: over a block of rows with ragged rows at block boundaries, with a
    /// title line and semicolons in Windows-1252, with a quote never closed, binary, empty.
    fn files() -> Files {
        let mut big = String::from("id,name,n\n");
        for i in 0..table::BLOCK_ROWS + 5_000 {
            match i {
                3 | 65_535 | 65_536 => big.push_str(&format!("{i},name {i},{},EXTRA\n", i % 7)),
                70_000 => big.push_str(&format!("{i}\n")),
                _ => big.push_str(&format!("{i}, name {i} ,{}\n", i % 7)),
            }
        }
        let mut latin = b"Export of 2019\r\nid;name\r\n".to_vec();
        for i in 0..3_000 {
            latin.extend_from_slice(format!("{i};Jos\u{1}{i}\r\n").as_bytes());
        }
        let latin: Vec<u8> = latin.into_iter().map(|c| if c == 1 { 0xE9 } else { c }).collect();
        let mut open = String::from("a,b\n");
        for i in 0..2_000 {
            open.push_str(&format!("{i},x\n"));
        }
        open.push_str("7,\"never closed\n8,y\n9,z\n");
        vec![
            ("big.csv".into(), big.into_bytes()),
            ("latin.csv".into(), latin),
            ("open.csv".into(), open.into_bytes()),
            (
                "binary.csv".into(),
                (0..20_000u32).map(|i| (i * 7 % 256) as u8).collect(),
            ),
            ("empty.csv".into(), Vec::new()),
        ]
    }

    fn plans() -> [ReadPlan; 2] {
        [
            ReadPlan::default(),
            ReadPlan {
                first_slice: 70_001,
                slice: 4_093,
                hold_read_files: false,
            },
        ]
    }

    #[test]
    fn parsed_ahead_the_import_sees_what_it_sees_parsed_in_place() {
        let files = files();
        for plan in plans() {
            let (want, none) = reread_all(&files, plan, None, None, false, 0);
            let (got, runs) = reread_all(&files, plan, None, None, true, 0);
            assert_eq!((none, runs), (0, files.len()), "{plan:?}");
            assert_eq!(want.len(), got.len());
            for (f, (w, g)) in want.iter().zip(&got).enumerate() {
                assert_eq!(w, g, "{plan:?}: file {f}");
            }
            // The test can fail: the big file's rows all came, in many calls, and the files
            // that are not tables failed.
            let big = want[0].end.as_ref().map(|e| e.1);
            assert_eq!(big, Ok(table::BLOCK_ROWS as u64 + 5_000), "{plan:?}");
            let rows: usize = want[0]
                .calls
                .iter()
                .filter_map(|c| c.1.as_ref())
                .map(|c| c.2.len())
                .sum();
            let last = want[0].end.as_ref().map_or(0, |e| e.0.len());
            assert_eq!(
                rows + last,
                table::BLOCK_ROWS + 5_000 - 3,
                "{plan:?}: three ragged rows rejected"
            );
            assert!(
                want[3].end.as_ref().is_err_and(|e| e.contains("binary")),
                "{:?}",
                want[3].end
            );
            assert!(
                want[4].end.as_ref().is_err_and(|e| e.contains("empty")),
                "{:?}",
                want[4].end
            );
        }
        let (small, _) = reread_all(&files, plans()[1], None, None, false, 0);
        assert!(small[0].calls.len() > 100, "{} calls", small[0].calls.len());
    }

    #[test]
    fn parsed_ahead_errors_and_stops_are_the_same() {
        let files = files();
        let plan = plans()[1];
        // Too big, a reader that fails halfway, a stop asked at the fifth slice.
        for (limit, fail_at, stop) in [(Some(100_000), None, 0), (None, Some(300_000), 0), (None, None, 5)] {
            let (want, _) = reread_all(&files, plan, limit, fail_at, false, stop);
            let (got, runs) = reread_all(&files, plan, limit, fail_at, true, stop);
            assert_eq!(runs, files.len());
            assert_eq!(want, got, "{limit:?} {fail_at:?} {stop}");
            let why = |e: &Result<_, String>| e.as_ref().err().cloned().unwrap_or_default();
            let first = why(&want[0].end);
            match (limit, fail_at) {
                (Some(_), _) => assert!(first.starts_with("big.csv is 1 MB, more than"), "{first}"),
                (_, Some(_)) => assert!(
                    first.contains("big.csv could not be read (the disk is gone)"),
                    "{first}"
                ),
                _ => assert_eq!(want[0].end, Err(ImportError::Cancelled.to_string())),
            }
        }
    }

    /// Several files through the whole import, parsed in place and ahead, with a stop asked
    /// at every tenth progress call.
    #[test]
    fn parsed_ahead_the_import_and_its_progress_are_the_same() {
        let mut files = files();
        files.truncate(3);
        let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
        for plan in plans() {
            let want = import_files_with(&inputs, None, None, None, &plan);
            let mut th = Threaded {
                files: &files,
                fail_at: None,
                runs: 0,
            };
            let got = import_files_ahead(&inputs, None, None, None, &plan, &mut th);
            assert_eq!(want, got, "{plan:?}");
            assert!(want.is_ok_and(|(o, _)| o.files.iter().map(|f| f.rows_read).sum::<u64>() > 70_000));
            // Files read whole in the first pass are held, not read again.
            assert_eq!(th.runs > 0, !plan.hold_read_files, "{plan:?}");
            let run = |ahead: &mut dyn ParseAhead, stop: usize| {
                let mut readers: Vec<_> = files.iter().map(|(_, b)| reader(b, None)).collect();
                let mut sources: Vec<FileSource<'_>> = files
                    .iter()
                    .zip(readers.iter_mut())
                    .map(|((n, b), r)| FileSource {
                        name: n,
                        size: b.len() as u64,
                        read_at: r,
                    })
                    .collect();
                let mut calls = Vec::new();
                let r = import_sources(&mut sources, None, None, None, &plan, ahead, &mut |p| {
                    calls.push((p.bytes, p.rows));
                    calls.len() < stop
                });
                (r.map(|(o, _)| o.files), calls)
            };
            let threaded = || Threaded {
                files: &files,
                fail_at: None,
                runs: 0,
            };
            let all = run(&mut InPlace, usize::MAX);
            assert_eq!(all, run(&mut threaded(), usize::MAX), "{plan:?}");
            let n = all.1.len();
            assert!(n >= 3, "{plan:?}: {n} progress calls");
            for stop in [1, 2, n / 2] {
                let want = run(&mut InPlace, stop);
                assert_eq!(want, run(&mut threaded(), stop), "{plan:?} stop at {stop}");
                assert!(matches!(want.0, Err(ImportError::Cancelled)), "{plan:?} stop at {stop}");
            }
        }
    }
}
