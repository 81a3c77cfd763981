//! Import of the FBI Crime Data Explorer NIBRS CSV extract, and classification of its
//! victim–offender pairs; and the summary of the pairs of any imported dataset ([`summarize`]).
//!
//! The reader here ([`analyze_extract`]) is kept only as the reference the tests compare the one
//! path against (the generic import with the built-in profile
//! [`crate::import::Profile::nibrs_extract`], the pipeline's classification and [`summarize`]).
//! No command and not the app calls it: `ipvi classify` and the app read the extract through the
//! generic import like every other export. The types ([`ClassifiedPair`], [`NibrsSummary`],
//! [`NibrsAnalysis`]) and [`pairs_to_csv`] are shared by both paths.
//!
//! The caller hands over the extract's files as names and bytes ([`crate::input::InputFile`]); this module does
//! no IO. Files are recognised by name, case-insensitively and ignoring any folder prefix
//! (`AZ/NIBRS_incident.csv`); files it does not need are ignored.
//!
//! | file | needed | columns read |
//! |---|---|---|
//! | `NIBRS_incident.csv` | required | `INCIDENT_ID`, `AGENCY_ID`, `INCIDENT_DATE` |
//! | `NIBRS_VICTIM.csv` | required | `VICTIM_ID`, `INCIDENT_ID`, `SEX_CODE` |
//! | `NIBRS_OFFENDER.csv` | required | `OFFENDER_ID`, `INCIDENT_ID`, `SEX_CODE` |
//! | `NIBRS_VICTIM_OFFENDER_REL.csv` | required | `VICTIM_ID`, `OFFENDER_ID`, `RELATIONSHIP_CODE` or `RELATIONSHIP_ID` |
//! | `NIBRS_RELATIONSHIP.csv` | required when the pairs carry `RELATIONSHIP_ID` only | `RELATIONSHIP_ID`, `RELATIONSHIP_CODE` |
//! | `NIBRS_OFFENSE.csv` | optional | `INCIDENT_ID`, `OFFENSE_CODE` or `OFFENSE_TYPE_ID` |
//! | `NIBRS_OFFENSE_TYPE.csv` | optional (needed for `OFFENSE_TYPE_ID`) | `OFFENSE_CODE`, `OFFENSE_NAME`, `OFFENSE_TYPE_ID` |
//! | `NIBRS_VICTIM_CIRCUMSTANCES.csv` | optional | `VICTIM_ID`, `CIRCUMSTANCES_ID` or `CIRCUMSTANCES_CODE` |
//! | `NIBRS_CIRCUMSTANCES.csv` | optional | `CIRCUMSTANCES_ID`, `CIRCUMSTANCES_CODE` |
//!
//! Both CDE layouts are accepted: the pre-2021 one (upper-case quoted headers, `OFFENSE_TYPE_ID`,
//! dates like `25-NOV-19`) and the 2021+ one (lower-case headers, `offense_code`, ISO dates).
//! Headers are matched case-insensitively. Relationships and offences are joined on their codes
//! (`SE`, `13A`): the lookup tables only turn the numeric ids into codes, and classification is by
//! code, through a [`CodeTable`].
//!
//! Encoding: UTF-8 (with or without a byte-order mark) is expected. A file with a UTF-16 byte-order
//! mark is decoded as UTF-16. A file that is not valid UTF-8 is decoded as Windows-1252 (the usual
//! encoding of Windows exports) with a warning, so the import goes on; only names and labels can be
//! affected, never ids or codes, which are ASCII.
//!
//! Bad rows never abort the import: a row that cannot be used (a short row, a dangling id, an
//! empty id) is rejected with a [`Diagnostic`] naming the file, row, column and value; a value that
//! can be set aside (an unreadable date, an unlisted relationship code) gives a warning and the
//! row is used. Only a missing or unusable required file stops the import ([`ImportError`]).

use crate::classify::{Classification, CodeTable};
use crate::date::Date;
use crate::diag::{Diagnostic, FileSummary, Severity};
use crate::export::push_csv_row;
use crate::input::{ImportError, InputFile, Progress};
use crate::model::{Dataset, RelClass};
use csv::ByteRecord;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One victim–offender relationship row, classified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassifiedPair {
    /// `INCIDENT_ID` of the victim's incident.
    pub incident_id: String,
    /// The incident's `AGENCY_ID` (empty when the file has none).
    pub agency: String,
    /// The incident date (`None` when missing or unreadable; a diagnostic says which).
    pub date: Option<Date>,
    /// `VICTIM_ID` as in the relationship file.
    pub victim_id: String,
    /// `OFFENDER_ID` as in the relationship file.
    pub offender_id: String,
    /// The two-letter code, trimmed and upper-cased (empty when the row had none).
    pub relationship_code: String,
    /// The class from the code table ([`RelClass::Unknown`] for unlisted or missing codes).
    pub class: RelClass,
    /// `VO`: the victim was the offender (mutual fight).
    pub victim_was_offender: bool,
    /// Circumstance 6 (domestic violence) on the victim.
    pub dv_circumstance: bool,
    /// The incident's offence codes, distinct, sorted, space-separated.
    pub offenses: String,
    /// The victim's sex code as in the file (`M`, `F`, `U`, or empty).
    pub victim_sex: String,
    /// The offender's sex code as in the file.
    pub offender_sex: String,
}

/// Pairs and incidents in one class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassCount {
    /// The class counted.
    pub class: RelClass,
    /// Victim–offender pairs of this class.
    pub pairs: u64,
    /// Incidents holding at least one pair of this class.
    pub incidents: u64,
}

/// The totals shown after an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NibrsSummary {
    /// Incidents read from the incident file.
    pub incidents_total: u64,
    /// Incidents holding at least one victim–offender pair.
    pub incidents_with_pairs: u64,
    /// One entry per class, in [`RelClass::ALL`] order. An incident is counted in every class it
    /// holds a pair of, so the incident counts can add up to more than `incidents_with_pairs`.
    pub by_class: Vec<ClassCount>,
    /// Incidents holding both an intimate-partner pair and an other-family pair.
    pub mixed_ipv_family_incidents: u64,
    /// Pairs whose code means the victim was the offender (`VO`).
    pub victim_was_offender_pairs: u64,
    /// Pairs whose victim carries circumstance 6 (domestic violence).
    pub dv_circumstance_pairs: u64,
    /// (offence code, offence name, IPV pairs), most frequent first, then by code. For each
    /// offence code: the number of intimate-partner pairs whose incident holds at least one
    /// offence with that code (a pair counts once per distinct code of its incident, so one pair
    /// can count under several codes). Every code is listed; the name is empty when no offence
    /// type table named it.
    pub ipv_top_offenses: Vec<(String, String, u64)>,
    /// (sex code, IPV victims): distinct victims (by victim id) in intimate-partner pairs, by the
    /// victim's sex code; an empty code is reported as `U`. Sorted by code.
    pub ipv_victims_by_sex: Vec<(String, u64)>,
}

impl NibrsSummary {
    /// The counts of one class.
    pub fn class(&self, class: RelClass) -> ClassCount {
        self.by_class
            .iter()
            .find(|c| c.class == class)
            .cloned()
            .unwrap_or(ClassCount {
                class,
                pairs: 0,
                incidents: 0,
            })
    }
}

/// Everything an import produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NibrsAnalysis {
    /// One entry per used row of the victim–offender relationship file, in file order.
    pub pairs: Vec<ClassifiedPair>,
    /// The totals.
    pub summary: NibrsSummary,
    /// Rows read, used and rejected per file read.
    pub files: Vec<FileSummary>,
    /// Every problem found, in reading order (at most 1,000 listed per file; a last line per file
    /// counts the rest).
    pub diagnostics: Vec<Diagnostic>,
}

/// Distinct incidents holding at least one pair of any of `classes` (for combined classes such
/// as "known, not family" plus "stranger").
pub fn incidents_in_classes(pairs: &[ClassifiedPair], classes: &[RelClass]) -> u64 {
    let mut ids: Vec<&str> = pairs
        .iter()
        .filter(|p| classes.contains(&p.class))
        .map(|p| p.incident_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len() as u64
}

/// Import and classify an extract: the reference reader. Only the tests call it, to check that
/// the one path (the generic import with the built-in extract profile, then
/// [`crate::pipeline::classify_pairs`] and [`summarize`]) gives the same pairs and totals; no
/// command and not the app use it. `progress` is called at the start of every file, every
/// 10,000 rows and at the end; when it returns `false` the import stops with
/// [`ImportError::Cancelled`].
pub fn analyze_extract(
    files: &[InputFile<'_>],
    table: &CodeTable,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<NibrsAnalysis, ImportError> {
    let mut ctx = Ctx::new(progress);
    let set = FileSet::identify(files, &mut ctx)?;
    ctx.total_bytes = set
        .files
        .iter()
        .flatten()
        .map(|f| f.bytes.len() as u64)
        .sum::<u64>()
        .max(1);
    Importer::new(table).run(&set, &mut ctx)
}

/// The pairs as CSV: `incident_id,victim_id,offender_id,relationship_code,class`, one row per
/// pair, cells made spreadsheet-safe with [`crate::export::safe_cell`].
pub fn pairs_to_csv(pairs: &[ClassifiedPair]) -> String {
    let mut out = String::with_capacity(64 + pairs.len() * 48);
    push_csv_row(
        &mut out,
        ["incident_id", "victim_id", "offender_id", "relationship_code", "class"],
    );
    for p in pairs {
        push_csv_row(
            &mut out,
            [
                p.incident_id.as_str(),
                p.victim_id.as_str(),
                p.offender_id.as_str(),
                p.relationship_code.as_str(),
                p.class.as_str(),
            ],
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Files

/// The NIBRS tables this importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Incident,
    Victim,
    Offender,
    VictimOffenderRel,
    Relationship,
    Offense,
    OffenseType,
    VictimCircumstances,
    Circumstances,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Incident,
        Kind::Victim,
        Kind::Offender,
        Kind::VictimOffenderRel,
        Kind::Relationship,
        Kind::Offense,
        Kind::OffenseType,
        Kind::VictimCircumstances,
        Kind::Circumstances,
    ];

    /// The file name as the CDE writes it.
    fn file_name(self) -> &'static str {
        match self {
            Kind::Incident => "NIBRS_incident.csv",
            Kind::Victim => "NIBRS_VICTIM.csv",
            Kind::Offender => "NIBRS_OFFENDER.csv",
            Kind::VictimOffenderRel => "NIBRS_VICTIM_OFFENDER_REL.csv",
            Kind::Relationship => "NIBRS_RELATIONSHIP.csv",
            Kind::Offense => "NIBRS_OFFENSE.csv",
            Kind::OffenseType => "NIBRS_OFFENSE_TYPE.csv",
            Kind::VictimCircumstances => "NIBRS_VICTIM_CIRCUMSTANCES.csv",
            Kind::Circumstances => "NIBRS_CIRCUMSTANCES.csv",
        }
    }

    /// What the file is needed for, for error messages.
    fn purpose(self) -> &'static str {
        match self {
            Kind::Incident => "the incidents (agency, date) that the pairs belong to",
            Kind::Victim => "the victims, which place each pair in its incident",
            Kind::Offender => "the offenders of each pair",
            Kind::VictimOffenderRel => "the victim–offender relationships that are classified",
            Kind::Relationship => "the relationship codes behind RELATIONSHIP_ID",
            Kind::Offense => "the offences of each incident (the top offences on IPV pairs will be empty)",
            Kind::OffenseType => "the offence codes and names (offences given by OFFENSE_TYPE_ID cannot be read)",
            Kind::VictimCircumstances => {
                "the victims' circumstances (circumstance 6, domestic violence, will not be flagged)"
            }
            Kind::Circumstances => "the circumstance codes behind CIRCUMSTANCES_ID (the ids are taken as codes)",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The recognised files, one per kind.
struct FileSet<'a> {
    files: [Option<InputFile<'a>>; 9],
}

impl<'a> FileSet<'a> {
    fn identify(files: &[InputFile<'a>], ctx: &mut Ctx<'_>) -> Result<FileSet<'a>, ImportError> {
        let mut set = FileSet { files: [None; 9] };
        for f in files {
            let Some(kind) = kind_of(f.name) else { continue };
            let slot = &mut set.files[kind.index()];
            match slot {
                Some(first) => ctx.push(Diagnostic::file(
                    Severity::Warning,
                    f.name,
                    format!(
                        "a second {} was chosen; only {} is read. Choose the files of one extract at a time",
                        kind.file_name(),
                        first.name
                    ),
                )),
                None => *slot = Some(*f),
            }
        }
        if set.files.iter().all(Option::is_none) {
            let mut names: Vec<&str> = files.iter().take(5).map(|f| f.name).collect();
            if files.len() > 5 {
                names.push("...");
            }
            let found = if names.is_empty() {
                "no files".to_string()
            } else {
                names.join(", ")
            };
            return Err(ImportError::Unusable(format!(
                "none of the chosen files is a NIBRS extract table (chosen: {found}). Choose the CSV files of an FBI \
                 Crime Data Explorer NIBRS extract: at least NIBRS_incident.csv, NIBRS_VICTIM.csv, NIBRS_OFFENDER.csv, \
                 NIBRS_VICTIM_OFFENDER_REL.csv and NIBRS_RELATIONSHIP.csv"
            )));
        }
        let missing: Vec<Kind> = [Kind::Incident, Kind::Victim, Kind::Offender, Kind::VictimOffenderRel]
            .into_iter()
            .filter(|k| set.get(*k).is_none())
            .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|k| format!("{} ({})", k.file_name(), k.purpose()))
                .collect();
            return Err(ImportError::Unusable(format!(
                "missing required file{}: {}. Choose all the CSV files of the extract (or its whole folder)",
                if missing.len() > 1 { "s" } else { "" },
                list.join("; ")
            )));
        }
        Ok(set)
    }

    fn get(&self, kind: Kind) -> Option<InputFile<'a>> {
        self.files[kind.index()]
    }
}

/// The kind of a file from its name: the last path component, case-insensitive.
fn kind_of(name: &str) -> Option<Kind> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    Kind::ALL.into_iter().find(|k| k.file_name().eq_ignore_ascii_case(base))
}

/// The text of a file as UTF-8 bytes: borrowed when it already is UTF-8 (a byte-order mark is
/// skipped), decoded otherwise (UTF-16 by its byte-order mark or its zero bytes, else
/// Windows-1252, with a warning). The sniffing is shared with the generic importer
/// ([`crate::import::sniff`]).
fn decode<'a>(file: &InputFile<'a>, ctx: &mut Ctx<'_>) -> Cow<'a, [u8]> {
    let (text, _, note) = crate::import::sniff::decode(file.name, file.bytes);
    if let Some(d) = note {
        ctx.push(d);
    }
    text
}

use crate::import::sniff::sniff_delimiter;

// ---------------------------------------------------------------------------------------------
// Context: diagnostics, file summaries, progress

/// Diagnostics kept per file (as in the import); beyond this, further problems are counted in one summary line.
const MAX_DIAGNOSTICS_PER_FILE: u64 = crate::limits::MAX_DIAGNOSTICS_PER_FILE as u64;
/// Rows between progress reports.
const PROGRESS_EVERY: u64 = 10_000;

struct Ctx<'p> {
    progress: &'p mut dyn FnMut(Progress) -> bool,
    total_bytes: u64,
    done_bytes: u64,
    diagnostics: Vec<Diagnostic>,
    files: Vec<FileSummary>,
    file_diagnostics: u64,
    suppressed: u64,
}

impl<'p> Ctx<'p> {
    fn new(progress: &'p mut dyn FnMut(Progress) -> bool) -> Self {
        Ctx {
            progress,
            total_bytes: 1,
            done_bytes: 0,
            diagnostics: Vec::new(),
            files: Vec::new(),
            file_diagnostics: 0,
            suppressed: 0,
        }
    }

    fn push(&mut self, d: Diagnostic) {
        self.file_diagnostics += 1;
        if self.file_diagnostics <= MAX_DIAGNOSTICS_PER_FILE {
            self.diagnostics.push(d);
        } else {
            self.suppressed += 1;
        }
    }

    fn report(&mut self, stage: &str, within_file: u64) -> Result<(), ImportError> {
        let fraction = ((self.done_bytes + within_file) as f64 / self.total_bytes as f64).clamp(0.0, 1.0) as f32;
        if (self.progress)(Progress {
            stage: stage.to_string(),
            fraction,
        }) {
            Ok(())
        } else {
            Err(ImportError::Cancelled)
        }
    }

    /// Close a file: count its bytes as done, note suppressed diagnostics, keep its summary.
    fn finish_file(&mut self, name: &str, len: u64, summary: FileSummary) {
        self.done_bytes += len;
        if self.suppressed > 0 {
            self.diagnostics.push(Diagnostic::file(
                Severity::Warning,
                name,
                format!(
                    "{} more problems in this file are not listed (only the first {MAX_DIAGNOSTICS_PER_FILE} are); \
                     the rejected-row count includes them",
                    self.suppressed
                ),
            ));
        }
        self.file_diagnostics = 0;
        self.suppressed = 0;
        self.files.push(summary);
    }
}

// ---------------------------------------------------------------------------------------------
// Tables

/// One opened CSV table: its decoded text and its headers.
struct Table<'a> {
    name: &'a str,
    kind: Kind,
    data: Cow<'a, [u8]>,
    headers: Vec<String>,
    raw_len: u64,
    /// The field separator (`,` for CDE files; `;`, tab or `|` when a file was re-saved so).
    delimiter: u8,
}

/// One row of a table, with its 1-based line number.
struct Row<'r> {
    rec: &'r ByteRecord,
    line: u64,
}

impl Row<'_> {
    /// The trimmed text of a field ("" when absent).
    fn get(&self, i: usize) -> &str {
        self.rec
            .get(i)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
            .trim()
    }
}

impl<'a> Table<'a> {
    /// Open a file: decode it and read its header row. `Ok(None)` for an optional file that is
    /// empty (with a warning); an error for a required one.
    fn open(
        file: InputFile<'a>,
        kind: Kind,
        required: bool,
        ctx: &mut Ctx<'_>,
    ) -> Result<Option<Table<'a>>, ImportError> {
        let data = decode(&file, ctx);
        let delimiter = sniff_delimiter(&data);
        if delimiter != b',' {
            ctx.push(Diagnostic::file(
                Severity::Info,
                file.name,
                format!(
                    "the values are separated by {} instead of commas; the file was read that way",
                    match delimiter {
                        b';' => "semicolons",
                        b'\t' => "tabs",
                        _ => "vertical bars",
                    }
                ),
            ));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(&data[..]);
        let mut rec = ByteRecord::new();
        let has_header = matches!(rdr.read_byte_record(&mut rec), Ok(true));
        if !has_header || rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            let msg = format!(
                "{} is empty (no header row): it should hold {}. Export or download the file again",
                file.name,
                kind.purpose()
            );
            if required {
                return Err(ImportError::Unusable(msg));
            }
            ctx.push(Diagnostic::file(
                Severity::Warning,
                file.name,
                format!("{msg}; without it, {}", lost(kind)),
            ));
            ctx.finish_file(
                file.name,
                file.bytes.len() as u64,
                FileSummary {
                    file: file.name.to_string(),
                    ..Default::default()
                },
            );
            return Ok(None);
        }
        let headers = rec
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .trim_matches('"')
                    .trim()
                    .to_string()
            })
            .collect();
        Ok(Some(Table {
            name: file.name,
            kind,
            data,
            headers,
            raw_len: file.bytes.len() as u64,
            delimiter,
        }))
    }

    /// About how many data rows the table holds (its line breaks), to size maps up front.
    fn rows_hint(&self) -> usize {
        self.data.iter().filter(|b| **b == b'\n').count()
    }

    /// The index of the first of `names` present (case-insensitive).
    fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.headers.iter().position(|h| h.eq_ignore_ascii_case(n)))
    }

    /// The index of a required column, or an error naming the file, the column and the headers found.
    fn require(&self, names: &[&str]) -> Result<usize, ImportError> {
        self.col(names).ok_or_else(|| self.missing_column(names))
    }

    fn missing_column(&self, names: &[&str]) -> ImportError {
        let mut found: Vec<&str> = self.headers.iter().take(8).map(String::as_str).collect();
        if self.headers.len() > 8 {
            found.push("...");
        }
        let wanted = names
            .iter()
            .map(|n| n.to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(" or ");
        ImportError::Unusable(format!(
            "{} has no {wanted} column (its header row is: {}), so it is not the {} table of a NIBRS extract. \
             Choose the {} file of a Crime Data Explorer NIBRS extract",
            self.name,
            crate::diag::shorten(&found.join(", ")),
            self.kind.file_name(),
            self.kind.file_name()
        ))
    }

    /// Call `f` on every data row; `f` returns whether the row was used (it pushes a diagnostic
    /// when it rejects one). Short or long rows are rejected here.
    fn scan(&self, ctx: &mut Ctx<'_>, mut f: impl FnMut(&mut Ctx<'_>, &Row<'_>) -> bool) -> Result<(), ImportError> {
        let stage = format!("Reading {}", self.name);
        ctx.report(&stage, 0)?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .delimiter(self.delimiter)
            .from_reader(&self.data[..]);
        let mut rec = ByteRecord::new();
        let width = self.headers.len();
        let mut s = FileSummary {
            file: self.name.to_string(),
            ..Default::default()
        };
        let scale = self.raw_len as f64 / self.data.len().max(1) as f64;
        let mut lines = LineCounter::default();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = lines.line_at(&self.data, e.position().map(|p| p.byte()).unwrap_or(0));
                    s.rows_read += 1;
                    s.rows_rejected += 1;
                    ctx.push(Diagnostic {
                        severity: Severity::Error,
                        file: self.name.to_string(),
                        row: Some(line),
                        column: None,
                        value: None,
                        message: format!("the rest of the file could not be read ({e}); export the file again"),
                    });
                    break;
                }
            }
            let line = lines.line_at(&self.data, rec.position().map(|p| p.byte()).unwrap_or(0));
            s.rows_read += 1;
            if s.rows_read.is_multiple_of(PROGRESS_EVERY) {
                let at = rec.position().map(|p| p.byte()).unwrap_or(0);
                ctx.report(&stage, (at as f64 * scale) as u64)?;
            }
            if rec.len() != width {
                s.rows_rejected += 1;
                // A short row names its last field (where a cut file stops); a long one its first extra field.
                let (column, value) = if rec.len() < width {
                    let last = rec.len().saturating_sub(1);
                    (
                        self.headers[last].as_str(),
                        rec.get(last).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(""),
                    )
                } else {
                    (
                        "(beyond the last column)",
                        rec.get(width).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(""),
                    )
                };
                ctx.push(Diagnostic::cell(
                    Severity::Error,
                    self.name,
                    line,
                    column,
                    value,
                    format!(
                        "the row has {} fields but the header has {width}: the row was rejected. {}",
                        rec.len(),
                        if rec.len() < width {
                            "The file may have been cut short (truncated) or a quote left open; download or export it again"
                        } else {
                            "A value probably holds an unquoted comma; fix the row or export the file again"
                        }
                    ),
                ));
                continue;
            }
            if f(ctx, &Row { rec: &rec, line }) {
                s.rows_used += 1;
            } else {
                s.rows_rejected += 1;
            }
        }
        ctx.finish_file(self.name, self.raw_len, s);
        Ok(())
    }

    /// A rejected-row diagnostic for a cell.
    fn reject(&self, ctx: &mut Ctx<'_>, row: &Row<'_>, col: usize, message: String) {
        let value = row.get(col);
        ctx.push(Diagnostic::cell(
            Severity::Error,
            self.name,
            row.line,
            &self.headers[col],
            value,
            message,
        ));
    }

    /// A warning for a cell whose value was set aside (the row is used).
    fn warn(&self, ctx: &mut Ctx<'_>, row: &Row<'_>, col: usize, message: String) {
        let value = row.get(col);
        ctx.push(Diagnostic::cell(
            Severity::Warning,
            self.name,
            row.line,
            &self.headers[col],
            value,
            message,
        ));
    }
}

/// Physical line numbers from byte offsets. The csv reader's own line count is one short after
/// a `\r\n` line end (CDE files use them), so lines are counted here, incrementally.
#[derive(Default)]
struct LineCounter {
    /// Bytes already counted.
    counted: usize,
    /// Line breaks in `data[..counted]`.
    breaks: u64,
}

impl LineCounter {
    /// The 1-based line of the record that the reader says starts at `byte` (line breaks left
    /// over from the previous record are skipped).
    fn line_at(&mut self, data: &[u8], byte: u64) -> u64 {
        let mut start = (byte as usize).min(data.len());
        while start < data.len() && matches!(data[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted {
            self.breaks += data[self.counted..start].iter().filter(|b| **b == b'\n').count() as u64;
            self.counted = start;
        }
        self.breaks + 1
    }
}

/// What is lost without an optional file.
fn lost(kind: Kind) -> String {
    format!("the import goes on without {}", kind.purpose())
}

// ---------------------------------------------------------------------------------------------
// Interning

/// Record ids to dense indices. CDE ids are decimal numbers: those are keyed by their value (no
/// allocation per row); anything else (letters, leading zeros, more than 19 digits) by its text.
#[derive(Default)]
struct IdMap {
    numbers: FastMap<u64, u32>,
    texts: FastMap<Box<str>, u32>,
}

/// The value of a canonical decimal id: digits only, no leading zero, at most 19 digits.
fn numeric_id(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 19 || (b[0] == b'0' && b.len() > 1) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

impl IdMap {
    fn with_capacity(n: usize) -> Self {
        IdMap {
            numbers: FastMap::with_capacity_and_hasher(n, Default::default()),
            texts: FastMap::default(),
        }
    }

    fn get(&self, id: &str) -> Option<u32> {
        match numeric_id(id) {
            Some(n) => self.numbers.get(&n).copied(),
            None => self.texts.get(id).copied(),
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    fn insert(&mut self, id: &str, index: u32) {
        match numeric_id(id) {
            Some(n) => {
                self.numbers.insert(n, index);
            }
            None => {
                self.texts.insert(id.into(), index);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.numbers.is_empty() && self.texts.is_empty()
    }
}

/// Many short strings in one buffer (the incident ids): no allocation per row.
#[derive(Default)]
struct Arena {
    text: String,
    ends: Vec<u32>,
}

impl Arena {
    fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        (self.ends.len() - 1) as u32
    }

    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.text.get(start..end).unwrap_or("")
    }
}

/// The core's one fast hash (rustc-hash's FxHash): the inputs are not adversarial in a way that
/// matters here (the worst case is a slower import of one's own file).
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Strings to dense indices (agencies, sex codes, offence and relationship codes).
#[derive(Default)]
struct Interner {
    map: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.map.get(s) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.into());
        self.map.insert(s.into(), i);
        i
    }

    fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map(|s| &**s).unwrap_or("")
    }
}

// ---------------------------------------------------------------------------------------------
// The import

struct IncidentRec {
    agency: u32,
    date: Option<Date>,
}

struct PersonRec {
    incident: u32,
    sex: u32,
    dv: bool,
}

/// One pair before it is turned into a [`ClassifiedPair`].
struct RawPair {
    incident: u32,
    victim: u32,
    offender: u32,
    code: u32,
    victim_id: String,
    offender_id: String,
}

struct Importer<'t> {
    table: &'t CodeTable,
    /// Relationship id → relationship code index.
    relationship_ids: IdMap,
    /// Relationship codes, with their classification cached by index.
    codes: Interner,
    code_class: Vec<Classification>,
    /// Offence type id → offence code index.
    offense_type_ids: IdMap,
    offense_codes: Interner,
    offense_names: Vec<String>,
    /// Circumstance id → whether it is circumstance code 6 (domestic violence).
    circumstance_dv: FastMap<Box<str>, bool>,
    incident_ids: IdMap,
    incident_id_text: Arena,
    incidents: Vec<IncidentRec>,
    agencies: Interner,
    /// (incident, offence code) pairs, turned into per-incident lists later.
    incident_offenses: Vec<(u32, u32)>,
    victim_ids: IdMap,
    victims: Vec<PersonRec>,
    offender_ids: IdMap,
    offenders: Vec<PersonRec>,
    sexes: Interner,
    pairs: Vec<RawPair>,
}

impl<'t> Importer<'t> {
    fn new(table: &'t CodeTable) -> Self {
        let mut sexes = Interner::default();
        sexes.intern("");
        Importer {
            table,
            relationship_ids: IdMap::default(),
            codes: Interner::default(),
            code_class: Vec::new(),
            offense_type_ids: IdMap::default(),
            offense_codes: Interner::default(),
            offense_names: Vec::new(),
            circumstance_dv: FastMap::default(),
            incident_ids: IdMap::default(),
            incident_id_text: Arena::default(),
            incidents: Vec::new(),
            agencies: Interner::default(),
            incident_offenses: Vec::new(),
            victim_ids: IdMap::default(),
            victims: Vec::new(),
            offender_ids: IdMap::default(),
            offenders: Vec::new(),
            sexes,
            pairs: Vec::new(),
        }
    }

    fn run(mut self, set: &FileSet<'_>, ctx: &mut Ctx<'_>) -> Result<NibrsAnalysis, ImportError> {
        // Open the required tables first, so that a wrong or empty file is reported before any work.
        let open_req = |kind: Kind, ctx: &mut Ctx<'_>| -> Result<Table<'_>, ImportError> {
            let file = set.get(kind).ok_or_else(|| {
                ImportError::Unusable(format!("{} is missing: it holds {}", kind.file_name(), kind.purpose()))
            })?;
            Table::open(file, kind, true, ctx)?.ok_or_else(|| ImportError::Unusable(format!("{} is empty", file.name)))
        };
        let incident = open_req(Kind::Incident, ctx)?;
        let victim = open_req(Kind::Victim, ctx)?;
        let offender = open_req(Kind::Offender, ctx)?;
        let vor = open_req(Kind::VictimOffenderRel, ctx)?;
        let vor_code_col = vor.col(&["relationship_code"]);
        if vor_code_col.is_none() {
            // The pairs carry RELATIONSHIP_ID only: the relationship table is required.
            vor.require(&["relationship_id"])?;
            let Some(file) = set.get(Kind::Relationship) else {
                return Err(ImportError::Unusable(format!(
                    "missing required file: {} ({}: {} gives RELATIONSHIP_ID only). Choose all the CSV files of the \
                     extract (or its whole folder)",
                    Kind::Relationship.file_name(),
                    Kind::Relationship.purpose(),
                    vor.name
                )));
            };
            let rel = Table::open(file, Kind::Relationship, true, ctx)?
                .ok_or_else(|| ImportError::Unusable(format!("{} is empty", file.name)))?;
            self.read_relationships(&rel, ctx)?;
        }
        self.read_offense_types(set, ctx)?;
        self.read_circumstance_codes(set, ctx)?;
        self.read_incidents(&incident, ctx)?;
        self.read_offenses(set, ctx)?;
        self.read_people(&victim, true, ctx)?;
        self.read_victim_circumstances(set, ctx)?;
        self.read_people(&offender, false, ctx)?;
        self.read_pairs(&vor, vor_code_col, ctx)?;
        if self.pairs.is_empty() {
            ctx.diagnostics.push(Diagnostic::file(
                Severity::Warning,
                vor.name,
                "no usable victim–offender rows: there is nothing to classify. Check that this is the extract's own \
                 relationship file and that it is complete",
            ));
        }
        ctx.report("Classifying pairs", ctx.total_bytes.saturating_sub(ctx.done_bytes))?;
        Ok(self.finish(ctx))
    }

    fn read_relationships(&mut self, t: &Table<'_>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let id = t.require(&["relationship_id"])?;
        let code = t.require(&["relationship_code"])?;
        t.scan(ctx, |ctx, row| {
            let (i, c) = (row.get(id), row.get(code));
            if i.is_empty() || c.is_empty() {
                let col = if i.is_empty() { id } else { code };
                t.reject(
                    ctx,
                    row,
                    col,
                    "empty id or code: the row was rejected; fix the relationship table".into(),
                );
                return false;
            }
            let idx = self.intern_code(c);
            self.relationship_ids.insert(i, idx);
            true
        })
    }

    /// The index of a relationship code (normalised), classifying it the first time it is seen.
    /// Codes already in normal form are found without allocating.
    fn intern_code(&mut self, code: &str) -> u32 {
        if let Some(i) = self.codes.map.get(code.trim()) {
            return *i;
        }
        let norm = crate::classify::normalize_code(code);
        let idx = self.codes.intern(&norm);
        if idx as usize == self.code_class.len() {
            self.code_class.push(self.table.classify(&norm));
        }
        idx
    }

    /// The index of an offence code (trimmed, upper-cased), found without allocating when seen before.
    fn intern_offense(&mut self, code: &str) -> u32 {
        if let Some(i) = self.offense_codes.map.get(code.trim()) {
            return *i;
        }
        let idx = self.offense_codes.intern(&code.trim().to_ascii_uppercase());
        if idx as usize == self.offense_names.len() {
            self.offense_names.push(String::new());
        }
        idx
    }

    fn optional<'a>(set: &FileSet<'a>, kind: Kind, ctx: &mut Ctx<'_>) -> Result<Option<Table<'a>>, ImportError> {
        match set.get(kind) {
            Some(file) => Table::open(file, kind, false, ctx),
            None => Ok(None),
        }
    }

    fn read_offense_types(&mut self, set: &FileSet<'_>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let Some(t) = Self::optional(set, Kind::OffenseType, ctx)? else {
            return Ok(());
        };
        let code = t.require(&["offense_code"])?;
        let name = t.col(&["offense_name"]);
        let id = t.col(&["offense_type_id"]);
        t.scan(ctx, |ctx, row| {
            let c = row.get(code);
            if c.is_empty() {
                t.reject(
                    ctx,
                    row,
                    code,
                    "empty offence code: the row was rejected; fix the offence type table".into(),
                );
                return false;
            }
            let idx = self.intern_offense(c);
            if let Some(n) = name {
                self.offense_names[idx as usize] = row.get(n).to_string();
            }
            if let Some(i) = id {
                let v = row.get(i);
                if !v.is_empty() {
                    self.offense_type_ids.insert(v, idx);
                }
            }
            true
        })
    }

    fn read_circumstance_codes(&mut self, set: &FileSet<'_>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let Some(t) = Self::optional(set, Kind::Circumstances, ctx)? else {
            return Ok(());
        };
        let id = t.require(&["circumstances_id"])?;
        let code = t.require(&["circumstances_code"])?;
        t.scan(ctx, |ctx, row| {
            let i = row.get(id);
            if i.is_empty() {
                t.reject(ctx, row, id, "empty circumstance id: the row was rejected".into());
                return false;
            }
            self.circumstance_dv
                .insert(i.into(), row.get(code) == DV_CIRCUMSTANCE_CODE);
            true
        })
    }

    fn read_incidents(&mut self, t: &Table<'_>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let id = t.require(&["incident_id"])?;
        let agency = t.col(&["agency_id", "ori", "pub_agency_name"]);
        let date = t.col(&["incident_date"]);
        let hint = t.rows_hint();
        self.incident_ids = IdMap::with_capacity(hint);
        self.incidents.reserve(hint);
        if date.is_none() {
            ctx.push(Diagnostic::file(
                Severity::Warning,
                t.name,
                "no INCIDENT_DATE column: the pairs will have no dates. Use the extract's own incident file",
            ));
        }
        t.scan(ctx, |ctx, row| {
            let i = row.get(id);
            if i.is_empty() {
                t.reject(ctx, row, id, "empty incident id: the row was rejected".into());
                return false;
            }
            if self.incident_ids.contains(i) {
                t.reject(ctx, row, id, "this incident id was already read on an earlier row: the repeat was rejected".into());
                return false;
            }
            let d = match date {
                Some(c) => {
                    let v = row.get(c);
                    let parsed = Date::parse(v);
                    if parsed.is_none() {
                        let msg = if v.is_empty() {
                            "no incident date: the incident is kept without a date".to_string()
                        } else {
                            "unreadable date (expected like 25-NOV-19 or 2019-11-25): the incident is kept without a date"
                                .to_string()
                        };
                        t.warn(ctx, row, c, msg);
                    }
                    parsed
                }
                None => None,
            };
            let a = agency.map(|c| self.agencies.intern(row.get(c))).unwrap_or_else(|| self.agencies.intern(""));
            let idx = self.incidents.len() as u32;
            self.incidents.push(IncidentRec { agency: a, date: d });
            self.incident_id_text.push(i);
            self.incident_ids.insert(i, idx);
            true
        })
    }

    fn read_offenses(&mut self, set: &FileSet<'_>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let Some(t) = Self::optional(set, Kind::Offense, ctx)? else {
            if set.get(Kind::Offense).is_none() {
                ctx.push(Diagnostic::file(
                    Severity::Warning,
                    Kind::Offense.file_name(),
                    format!("not among the chosen files: {}", lost(Kind::Offense)),
                ));
            }
            return Ok(());
        };
        let inc = t.require(&["incident_id"])?;
        self.incident_offenses.reserve(t.rows_hint());
        let code = t.col(&["offense_code"]);
        let type_id = t.col(&["offense_type_id"]);
        let (col, by_code) = match (code, type_id) {
            (Some(c), _) => (c, true),
            (None, Some(c)) => {
                if self.offense_type_ids.is_empty() {
                    ctx.push(Diagnostic::file(
                        Severity::Warning,
                        t.name,
                        format!(
                            "offences are given by OFFENSE_TYPE_ID but {} was not chosen or has no OFFENSE_TYPE_ID column: \
                             the offences cannot be read and the top offences on IPV pairs will be empty. Choose {} too",
                            Kind::OffenseType.file_name(),
                            Kind::OffenseType.file_name()
                        ),
                    ));
                    ctx.finish_file(
                        t.name,
                        t.raw_len,
                        FileSummary {
                            file: t.name.to_string(),
                            ..Default::default()
                        },
                    );
                    return Ok(());
                }
                (c, false)
            }
            (None, None) => return Err(t.missing_column(&["offense_code", "offense_type_id"])),
        };
        t.scan(ctx, |ctx, row| {
            let Some(incident) = self.incident_ids.get(row.get(inc)) else {
                t.reject(
                    ctx,
                    row,
                    inc,
                    format!(
                        "no incident with this id in {}: the offence was rejected",
                        Kind::Incident.file_name()
                    ),
                );
                return false;
            };
            let v = row.get(col);
            let oc = if by_code {
                if v.is_empty() {
                    t.reject(ctx, row, col, "empty offence code: the offence was rejected".into());
                    return false;
                }
                self.intern_offense(v)
            } else {
                match self.offense_type_ids.get(v) {
                    Some(c) => c,
                    None => {
                        t.reject(
                            ctx,
                            row,
                            col,
                            format!(
                                "offence type id not in {}: the offence was rejected",
                                Kind::OffenseType.file_name()
                            ),
                        );
                        return false;
                    }
                }
            };
            self.incident_offenses.push((incident, oc));
            true
        })
    }

    fn read_people(&mut self, t: &Table<'_>, victims: bool, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let id = t.require(if victims { &["victim_id"] } else { &["offender_id"] })?;
        let inc = t.require(&["incident_id"])?;
        let sex = t.col(&["sex_code"]);
        let hint = t.rows_hint();
        if victims {
            self.victim_ids = IdMap::with_capacity(hint);
            self.victims.reserve(hint);
        } else {
            self.offender_ids = IdMap::with_capacity(hint);
            self.offenders.reserve(hint);
        }
        let what = if victims { "victim" } else { "offender" };
        t.scan(ctx, |ctx, row| {
            let i = row.get(id);
            if i.is_empty() {
                t.reject(ctx, row, id, format!("empty {what} id: the row was rejected"));
                return false;
            }
            let Some(incident) = self.incident_ids.get(row.get(inc)) else {
                t.reject(
                    ctx,
                    row,
                    inc,
                    format!(
                        "no incident with this id in {}: the {what} was rejected",
                        Kind::Incident.file_name()
                    ),
                );
                return false;
            };
            let (ids, people) = if victims {
                (&mut self.victim_ids, &mut self.victims)
            } else {
                (&mut self.offender_ids, &mut self.offenders)
            };
            if ids.contains(i) {
                t.reject(
                    ctx,
                    row,
                    id,
                    format!("this {what} id was already read on an earlier row: the repeat was rejected"),
                );
                return false;
            }
            let s = sex.map(|c| self.sexes.intern(row.get(c))).unwrap_or(0);
            ids.insert(i, people.len() as u32);
            people.push(PersonRec {
                incident,
                sex: s,
                dv: false,
            });
            true
        })
    }

    fn read_victim_circumstances(&mut self, set: &FileSet<'_>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let Some(t) = Self::optional(set, Kind::VictimCircumstances, ctx)? else {
            if set.get(Kind::VictimCircumstances).is_none() {
                ctx.push(Diagnostic::file(
                    Severity::Warning,
                    Kind::VictimCircumstances.file_name(),
                    format!("not among the chosen files: {}", lost(Kind::VictimCircumstances)),
                ));
            }
            return Ok(());
        };
        let victim = t.require(&["victim_id"])?;
        let (col, by_code) = match (
            t.col(&["circumstances_code", "circumstance_code"]),
            t.col(&["circumstances_id"]),
        ) {
            (Some(c), _) => (c, true),
            (None, Some(c)) => {
                if self.circumstance_dv.is_empty() {
                    ctx.push(Diagnostic::file(
                        Severity::Info,
                        t.name,
                        format!(
                            "{} was not chosen: CIRCUMSTANCES_ID 6 is taken as circumstance code 6 (domestic violence), \
                             as in the CDE extracts",
                            Kind::Circumstances.file_name()
                        ),
                    ));
                }
                (c, false)
            }
            (None, None) => return Err(t.missing_column(&["circumstances_id", "circumstances_code"])),
        };
        t.scan(ctx, |ctx, row| {
            let Some(v) = self.victim_ids.get(row.get(victim)) else {
                t.reject(
                    ctx,
                    row,
                    victim,
                    format!(
                        "no victim with this id in {}: the circumstance was rejected",
                        Kind::Victim.file_name()
                    ),
                );
                return false;
            };
            let value = row.get(col);
            let dv = if by_code || self.circumstance_dv.is_empty() {
                value == DV_CIRCUMSTANCE_CODE
            } else {
                match self.circumstance_dv.get(value) {
                    Some(dv) => *dv,
                    None => {
                        t.reject(
                            ctx,
                            row,
                            col,
                            format!(
                                "circumstance id not in {}: the row was rejected",
                                Kind::Circumstances.file_name()
                            ),
                        );
                        return false;
                    }
                }
            };
            if dv {
                self.victims[v as usize].dv = true;
            }
            true
        })
    }

    fn read_pairs(&mut self, t: &Table<'_>, code_col: Option<usize>, ctx: &mut Ctx<'_>) -> Result<(), ImportError> {
        let victim = t.require(&["victim_id"])?;
        let offender = t.require(&["offender_id"])?;
        let id_col = t.col(&["relationship_id"]);
        self.pairs.reserve(t.rows_hint());
        let table = self.table;
        t.scan(ctx, |ctx, row| {
            let vid = row.get(victim);
            let Some(v) = self.victim_ids.get(vid) else {
                t.reject(
                    ctx,
                    row,
                    victim,
                    format!(
                        "no victim with this id in {}: the pair was rejected",
                        Kind::Victim.file_name()
                    ),
                );
                return false;
            };
            let oid = row.get(offender);
            let Some(o) = self.offender_ids.get(oid) else {
                t.reject(
                    ctx,
                    row,
                    offender,
                    format!(
                        "no offender with this id in {}: the pair was rejected",
                        Kind::Offender.file_name()
                    ),
                );
                return false;
            };
            let incident = self.victims[v as usize].incident;
            if self.offenders[o as usize].incident != incident {
                t.reject(
                    ctx,
                    row,
                    offender,
                    "the victim and the offender belong to different incidents: the pair was rejected".into(),
                );
                return false;
            }
            let code = match (code_col, id_col) {
                (Some(c), _) => {
                    let raw = row.get(c);
                    let idx = self.intern_code(raw);
                    if !self.code_class[idx as usize].listed {
                        let (_, d) = table.classify_cell(raw, t.name, row.line, &t.headers[c]);
                        if let Some(d) = d {
                            ctx.push(d);
                        }
                    }
                    idx
                }
                (None, Some(c)) => match self.relationship_ids.get(row.get(c)) {
                    Some(idx) => {
                        if !self.code_class[idx as usize].listed {
                            let column = format!("{} {} → RELATIONSHIP_CODE", t.headers[c], row.get(c));
                            let (_, d) = table.classify_cell(self.codes.name(idx), t.name, row.line, &column);
                            if let Some(d) = d {
                                ctx.push(d);
                            }
                        }
                        idx
                    }
                    None => {
                        t.warn(
                            ctx,
                            row,
                            c,
                            format!(
                                "relationship id not in {}: the pair is counted as unknown. Choose the extract's own \
                                 relationship table",
                                Kind::Relationship.file_name()
                            ),
                        );
                        self.intern_code("")
                    }
                },
                (None, None) => self.intern_code(""),
            };
            self.pairs.push(RawPair {
                incident,
                victim: v,
                offender: o,
                code,
                victim_id: vid.to_string(),
                offender_id: oid.to_string(),
            });
            true
        })
    }

    fn finish(mut self, ctx: &mut Ctx<'_>) -> NibrsAnalysis {
        // Per-incident offence lists (compressed rows), codes sorted by text.
        let mut order: Vec<u32> = (0..self.offense_codes.names.len() as u32).collect();
        order.sort_by(|a, b| self.offense_codes.name(*a).cmp(self.offense_codes.name(*b)));
        let mut rank = vec![0u32; order.len()];
        for (r, c) in order.iter().enumerate() {
            rank[*c as usize] = r as u32;
        }
        self.incident_offenses
            .sort_unstable_by_key(|(i, c)| (*i, rank[*c as usize]));
        self.incident_offenses.dedup();
        let n = self.incidents.len();
        let mut start = vec![0u32; n + 1];
        for (i, _) in &self.incident_offenses {
            start[*i as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let offenses_of = |i: u32| -> &[(u32, u32)] {
            let (a, b) = (start[i as usize] as usize, start[i as usize + 1] as usize);
            self.incident_offenses.get(a..b).unwrap_or(&[])
        };

        let mut class_pairs = [0u64; 5];
        let mut masks = vec![0u8; n];
        let mut vo_pairs = 0;
        let mut dv_pairs = 0;
        let mut ipv_offense = vec![0u64; self.offense_codes.names.len()];
        let mut ipv_victim = vec![false; self.victims.len()];
        let mut pairs = Vec::with_capacity(self.pairs.len());
        let mut offenses = String::new();
        let raw_pairs = std::mem::take(&mut self.pairs);
        for p in raw_pairs {
            let cl = self.code_class[p.code as usize];
            let ci = class_index(cl.class);
            class_pairs[ci] += 1;
            masks[p.incident as usize] |= 1 << ci;
            let victim = &self.victims[p.victim as usize];
            vo_pairs += u64::from(cl.victim_was_offender);
            dv_pairs += u64::from(victim.dv);
            offenses.clear();
            for (k, (_, c)) in offenses_of(p.incident).iter().enumerate() {
                if k > 0 {
                    offenses.push(' ');
                }
                offenses.push_str(self.offense_codes.name(*c));
                if cl.class == RelClass::IntimatePartner {
                    ipv_offense[*c as usize] += 1;
                }
            }
            if cl.class == RelClass::IntimatePartner {
                ipv_victim[p.victim as usize] = true;
            }
            let inc = &self.incidents[p.incident as usize];
            pairs.push(ClassifiedPair {
                incident_id: self.incident_id_text.get(p.incident).to_string(),
                agency: self.agencies.name(inc.agency).to_string(),
                date: inc.date,
                victim_id: p.victim_id,
                offender_id: p.offender_id,
                relationship_code: self.codes.name(p.code).to_string(),
                class: cl.class,
                victim_was_offender: cl.victim_was_offender,
                dv_circumstance: victim.dv,
                offenses: offenses.clone(),
                victim_sex: self.sexes.name(victim.sex).to_string(),
                offender_sex: self.sexes.name(self.offenders[p.offender as usize].sex).to_string(),
            });
        }

        let ip_bit = 1u8 << class_index(RelClass::IntimatePartner);
        let of_bit = 1u8 << class_index(RelClass::OtherFamily);
        let by_class = RelClass::ALL
            .into_iter()
            .map(|class| {
                let ci = class_index(class);
                ClassCount {
                    class,
                    pairs: class_pairs[ci],
                    incidents: masks.iter().filter(|m| **m & (1 << ci) != 0).count() as u64,
                }
            })
            .collect();
        let mut ipv_top_offenses: Vec<(String, String, u64)> = ipv_offense
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| {
                let code = self.offense_codes.name(c as u32).to_string();
                // The extract's own name, else the one the code tables give.
                let name = match self.offense_names.get(c).filter(|n| !n.is_empty()) {
                    Some(n) => n.clone(),
                    None => crate::codes::name(crate::codes::CodeKind::Offense, &code)
                        .unwrap_or_default()
                        .to_string(),
                };
                (code, name, *n)
            })
            .collect();
        ipv_top_offenses.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        let mut by_sex: Vec<u64> = vec![0; self.sexes.names.len()];
        for (v, is_ipv) in ipv_victim.iter().enumerate() {
            if *is_ipv {
                by_sex[self.victims[v].sex as usize] += 1;
            }
        }
        let mut sex_counts: Vec<(String, u64)> = Vec::new();
        for (s, n) in by_sex.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let name = match self.sexes.name(s as u32) {
                "" => "U",
                x => x,
            };
            match sex_counts.iter_mut().find(|(k, _)| k == name) {
                Some(e) => e.1 += n,
                None => sex_counts.push((name.to_string(), *n)),
            }
        }
        sex_counts.sort();

        let summary = NibrsSummary {
            incidents_total: n as u64,
            incidents_with_pairs: masks.iter().filter(|m| **m != 0).count() as u64,
            by_class,
            mixed_ipv_family_incidents: masks.iter().filter(|m| **m & ip_bit != 0 && **m & of_bit != 0).count() as u64,
            victim_was_offender_pairs: vo_pairs,
            dv_circumstance_pairs: dv_pairs,
            ipv_top_offenses,
            ipv_victims_by_sex: sex_counts,
        };
        NibrsAnalysis {
            pairs,
            summary,
            files: std::mem::take(&mut ctx.files),
            diagnostics: std::mem::take(&mut ctx.diagnostics),
        }
    }
}

/// NIBRS circumstance code 6: "Lovers' Quarrel", domestic violence for data from 2019 on.
const DV_CIRCUMSTANCE_CODE: &str = "6";

fn class_index(c: RelClass) -> usize {
    match c {
        RelClass::IntimatePartner => 0,
        RelClass::OtherFamily => 1,
        RelClass::KnownNonFamily => 2,
        RelClass::Stranger => 3,
        RelClass::Unknown => 4,
    }
}

// ---------------------------------------------------------------------------------------------
// The summary of any imported dataset (the one path).

/// The summary and classified pairs of an imported [`Dataset`] whose pairs were classified as
/// `classes` (one per pair, in order; see [`crate::pipeline::classify_pairs`]): pairs and
/// incidents by class, incidents with both an intimate-partner and an other-family pair,
/// victim-was-offender pairs (by `codes`), domestic-violence circumstance pairs, the offences of
/// intimate-partner incidents and intimate-partner victims by sex, with the meaning the counts
/// have in [`NibrsSummary`]. At most `max_pairs` pairs are listed (the counts cover every pair).
/// `files` and `diagnostics` are left empty: they are the import's. What `ipvi classify` and
/// the app show, for the FBI extract and every other export alike.
pub fn summarize(data: &Dataset, classes: &[RelClass], codes: &CodeTable, max_pairs: usize) -> NibrsAnalysis {
    let incident: HashMap<&str, usize> = data
        .incidents
        .iter()
        .enumerate()
        .map(|(k, i)| (i.incident_id, k))
        .collect();
    let person: HashMap<&str, usize> = data
        .involvements
        .iter()
        .enumerate()
        .map(|(k, i)| (i.record_id, k))
        .collect();
    let mut offenses: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for o in &data.offenses {
        let code = o.nibrs_code.trim();
        if !code.is_empty() {
            offenses.entry(o.incident_id).or_default().insert(code);
        }
    }
    let sex = |record: &str| {
        person
            .get(record)
            .and_then(|&k| data.involvements.get(k))
            .map(|i| i.sex.trim().to_string())
            .unwrap_or_default()
    };

    let mut per_class: BTreeMap<RelClass, (u64, HashSet<&str>)> = BTreeMap::new();
    // Per incident: (intimate partner, other family).
    let mut mixed: HashMap<&str, (bool, bool)> = HashMap::new();
    let mut with_pairs: HashSet<&str> = HashSet::new();
    let mut vo = 0u64;
    let mut dv = 0u64;
    let mut ipv_offense: BTreeMap<&str, u64> = BTreeMap::new();
    let mut ipv_victims: BTreeMap<String, HashSet<&str>> = BTreeMap::new();
    let mut pairs = Vec::with_capacity(data.pairs.len().min(max_pairs));
    for (p, &class) in data.pairs.iter().zip(classes) {
        let inc = incident.get(p.incident_id).and_then(|&k| data.incidents.get(k));
        let code = p.relationship_code.unwrap_or("").trim().to_ascii_uppercase();
        let was_offender = !code.is_empty() && codes.victim_was_offender_codes.contains(&code);
        vo += u64::from(was_offender);
        dv += u64::from(p.dv_circumstance);
        with_pairs.insert(p.incident_id);
        let e = per_class.entry(class).or_default();
        e.0 += 1;
        e.1.insert(p.incident_id);
        let m = mixed.entry(p.incident_id).or_default();
        m.0 |= class == RelClass::IntimatePartner;
        m.1 |= class == RelClass::OtherFamily;
        let codes_here = offenses.get(p.incident_id);
        if class == RelClass::IntimatePartner {
            for c in codes_here.into_iter().flatten() {
                *ipv_offense.entry(c).or_default() += 1;
            }
            let s = match sex(p.victim_record_id) {
                s if s.is_empty() => "U".to_string(),
                s => s,
            };
            ipv_victims.entry(s).or_default().insert(p.victim_record_id);
        }
        if pairs.len() < max_pairs {
            pairs.push(ClassifiedPair {
                incident_id: p.incident_id.to_string(),
                agency: inc.map(|i| i.agency.to_string()).unwrap_or_default(),
                date: inc.and_then(|i| i.date),
                victim_id: p.victim_record_id.to_string(),
                offender_id: p.offender_record_id.to_string(),
                relationship_code: p
                    .relationship_code
                    .or(p.relationship_text)
                    .unwrap_or_default()
                    .to_string(),
                class,
                victim_was_offender: was_offender,
                dv_circumstance: p.dv_circumstance,
                offenses: codes_here
                    .map(|s| s.iter().copied().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default(),
                victim_sex: sex(p.victim_record_id),
                offender_sex: sex(p.offender_record_id),
            });
        }
    }
    let mut ipv_top_offenses: Vec<(String, String, u64)> = ipv_offense
        .into_iter()
        .map(|(c, n)| {
            let name = crate::codes::name(crate::codes::CodeKind::Offense, c).unwrap_or_default();
            (c.to_string(), name.to_string(), n)
        })
        .collect();
    ipv_top_offenses.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    NibrsAnalysis {
        pairs,
        summary: NibrsSummary {
            incidents_total: data.incidents.len() as u64,
            incidents_with_pairs: with_pairs.len() as u64,
            by_class: RelClass::ALL
                .into_iter()
                .map(|class| {
                    let (pairs, incidents) = per_class
                        .get(&class)
                        .map(|(n, s)| (*n, s.len() as u64))
                        .unwrap_or((0, 0));
                    ClassCount {
                        class,
                        pairs,
                        incidents,
                    }
                })
                .collect(),
            mixed_ipv_family_incidents: mixed.values().filter(|(a, b)| *a && *b).count() as u64,
            victim_was_offender_pairs: vo,
            dv_circumstance_pairs: dv,
            ipv_top_offenses,
            ipv_victims_by_sex: ipv_victims.into_iter().map(|(s, v)| (s, v.len() as u64)).collect(),
        },
        files: Vec::new(),
        diagnostics: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_name() {
        let cases = [
            ("NIBRS_incident.csv", Some(Kind::Incident)),
            ("nibrs_incident.CSV", Some(Kind::Incident)),
            ("AZ_2019/NIBRS_VICTIM.csv", Some(Kind::Victim)),
            ("C:\\data\\nibrs_victim_offender_rel.csv", Some(Kind::VictimOffenderRel)),
            ("NIBRS_VICTIM_OFFENSE.csv", None),
            ("NIBRS_incident.csv.bak", None),
            ("people.csv", None),
        ];
        for (name, want) in cases {
            assert_eq!(kind_of(name), want, "{name}");
        }
    }

    #[test]
    fn ids_are_keyed_by_value_or_by_text() {
        let cases = [
            ("123", Some(123)),
            ("0", Some(0)),
            ("9999999999999999999", Some(9_999_999_999_999_999_999)),
            ("10000000000000000000", None),
            ("007", None),
            ("12a", None),
            ("", None),
            ("-1", None),
        ];
        for (s, want) in cases {
            assert_eq!(numeric_id(s), want, "{s:?}");
        }
        let mut m = IdMap::default();
        for (i, id) in ["7", "007", "A7", "70"].iter().enumerate() {
            m.insert(id, i as u32);
        }
        assert_eq!(
            (m.get("7"), m.get("007"), m.get("A7"), m.get("70"), m.get("07")),
            (Some(0), Some(1), Some(2), Some(3), None)
        );
    }

    #[test]
    fn the_field_separator_is_found_from_the_header() {
        let cases: [(&[u8], u8); 7] = [
            (b"\"A\",\"B\"\r\n1,2", b','),
            (b"A;B;C\n1;2;3", b';'),
            (b"A\tB\n1\t2", b'\t'),
            (b"A|B\n1|2", b'|'),
            (b"\"A;B\",C\n", b','),
            (b"\"A,B\";C\n", b';'),
            (b"", b','),
        ];
        for (data, want) in cases {
            assert_eq!(sniff_delimiter(data), want, "{:?}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn the_arena_gives_back_each_string() {
        let mut a = Arena::default();
        let words = ["120107573", "", "x", "AZ-19-0001"];
        let idx: Vec<u32> = words.iter().map(|w| a.push(w)).collect();
        for (i, w) in idx.iter().zip(words) {
            assert_eq!(a.get(*i), w);
        }
        assert_eq!(a.get(99), "");
    }

    #[test]
    fn csv_export_has_the_fixed_header_and_safe_cells() {
        let p = ClassifiedPair {
            incident_id: "=1".into(),
            agency: "a".into(),
            date: None,
            victim_id: "2".into(),
            offender_id: "3".into(),
            relationship_code: "SE".into(),
            class: RelClass::IntimatePartner,
            victim_was_offender: false,
            dv_circumstance: false,
            offenses: String::new(),
            victim_sex: "F".into(),
            offender_sex: "M".into(),
        };
        assert_eq!(
            pairs_to_csv(&[p]),
            "incident_id,victim_id,offender_id,relationship_code,class\n'=1,2,3,SE,intimate_partner\n"
        );
    }
}
