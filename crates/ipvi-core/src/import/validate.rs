//! Applying a profile to tables: every row becomes records of the [`Dataset`] or a rejected row
//! with its reason, and every doubtful value a [`Diagnostic`] naming the file, row, column and
//! value and what to do.
//!
//! Tables are read in the order of their dependencies (incidents, flat rows, persons, pairs,
//! offences, arrests, orders, calls), so that a row that points to a missing incident or person
//! is rejected where it is read. Rows rejected: empty or repeated keys, dangling references,
//! rows identical to an earlier one. Values set aside with a warning (the row is used): an
//! unreadable date, an unknown code, a number that is not one.

use super::mapping::{date_form, is_nibrs_offense, parse_hour, required_fields, whole_number, Field, Side, TableKind};
use super::profile::ProfileMatch;
use super::profile::{ColumnRule, Profile, TableProfile};
use super::table::{Table, BLOCK_ROWS, MAX_DIAGNOSTICS_PER_FILE};
use super::RejectedRow;
use crate::date::{derived_as_of, Date, SlashOrder, EARLIEST_PLAUSIBLE};
use crate::diag::{Diagnostic, FileSummary, Severity};
use crate::input::ImportError;
use crate::limits::MAX_PAIRS_PER_INCIDENT;
use crate::model::{Arrest, Call, Dataset, Incident, Involvement, Offense, Pair, ProtectiveOrder, Role, Text};
use hashbrown::HashTable;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;

/// Ids to their positions in the vector that holds them (incidents, involvements), without a
/// copy of each id as a key: a [`HashTable`] of the positions alone (4 bytes a slot and one
/// control byte), hashed from the ids stored in the vector and compared there. It replaced a map
/// from each id's hash to its last position with a chain through the positions (16 bytes a slot
/// and 4 a position; see docs/benchmarks.md, item 11).
#[derive(Default)]
struct IdIndex {
    table: HashTable<u32>,
}

impl IdIndex {
    fn hash(id: &str) -> u64 {
        crate::model::pool::fx_hash(id.as_bytes())
    }

    /// The position of `id`, where `id_at` gives the id at a position.
    #[inline]
    fn find<'v>(&self, id: &str, id_at: impl Fn(usize) -> &'v str) -> Option<usize> {
        self.table
            .find(Self::hash(id), |&at| id_at(at as usize) == id)
            .map(|&at| at as usize)
    }

    /// Room for `n` more ids.
    fn reserve<'v>(&mut self, n: usize, id_at: impl Fn(usize) -> &'v str) {
        self.table.reserve(n, |&at| Self::hash(id_at(at as usize)));
    }

    /// Record that the id stored at `position` is there (an id must not be indexed twice): the
    /// id is read back through `id_at`, as are those of the positions already indexed when the
    /// table grows.
    fn insert<'v>(&mut self, position: usize, id_at: impl Fn(usize) -> &'v str) {
        // Positions fit in 4 bytes (see [`position`]).
        let Ok(at) = u32::try_from(position) else { return };
        let h = Self::hash(id_at(position));
        self.table.insert_unique(h, at, |&at| Self::hash(id_at(at as usize)));
    }
}

type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
type FastSet<K> = rustc_hash::FxHashSet<K>;
/// Lookup tables by name: key → code.
type Lookups = FastMap<String, FastMap<String, String>>;

/// Everything an import produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub dataset: Dataset,
    /// Every problem, file by file (up to [`crate::limits::MAX_DIAGNOSTICS_PER_FILE`] a file, a
    /// million; past it a last line counts the rest). Screens list the first few; downloads and
    /// `--diagnostics` write them all.
    pub diagnostics: Vec<Diagnostic>,
    /// Rows read, used and rejected per file (or sheet).
    pub files: Vec<FileSummary>,
    /// The rejected rows, for download ([`super::rejected_to_csv`]).
    pub rejected: Vec<RejectedRow>,
    /// Rows rejected because their record or incident id was already read.
    pub duplicate_ids: u64,
    /// Rows rejected because they repeat an earlier row exactly.
    pub identical_rows: u64,
    /// Rows used that added no new victim–offender pair: their incident, victim and offender
    /// were those of an earlier row (an export with one pair row per offence, or people that no
    /// id, number, name or birth date tells apart). Said with the reason in an info diagnostic.
    pub collapsed_pair_rows: u64,
    /// Rows of one person per row used that added no new person: the person was read on an
    /// earlier row (one row per person per offence). Said in an info diagnostic.
    pub collapsed_person_rows: u64,
    /// The as-of date dates were checked against: the one given, else the one the incident dates
    /// imply ([`crate::date::derived_as_of`]); `None` when no incident is dated.
    pub as_of: Option<Date>,
    /// Dates set aside as implausible (before 1900-01-01, or more than a year after the as-of
    /// date), each with a warning; their rows were used with the date left empty.
    pub implausible_dates: u64,
    /// Relationship values of a code column that are words, not codes (GIRLFRIEND, EX WIFE):
    /// read as relationship text.
    pub relationship_words_as_text: u64,
    /// The profile used.
    pub profile: String,
}

/// Words in a call type that make the call domestic when the export has no domestic flag.
pub const DOMESTIC_CALL_WORDS: [&str; 4] = ["DOMESTIC", "FAMILY", "DV ", "IPV"];

/// A yes/no value: `Some` for the usual spellings.
pub fn parse_flag(v: &str) -> Option<bool> {
    match v.trim().to_ascii_uppercase().as_str() {
        "Y" | "YES" | "TRUE" | "T" | "1" | "X" | "DV" => Some(true),
        "N" | "NO" | "FALSE" | "F" | "0" => Some(false),
        _ => None,
    }
}

struct Sink {
    diags: Vec<Diagnostic>,
    /// Dates set aside as implausible.
    implausible_dates: u64,
    listed: usize,
    suppressed: usize,
    rejected: Vec<RejectedRow>,
    summary: FileSummary,
}

impl Sink {
    fn new(label: &str) -> Sink {
        Sink {
            diags: Vec::new(),
            implausible_dates: 0,
            listed: 0,
            suppressed: 0,
            rejected: Vec::new(),
            summary: FileSummary {
                file: label.to_string(),
                ..Default::default()
            },
        }
    }
    fn push(&mut self, d: Diagnostic) {
        if self.listed < MAX_DIAGNOSTICS_PER_FILE {
            self.listed += 1;
            self.diags.push(d);
        } else {
            self.suppressed += 1;
        }
    }
}

/// One table with its rules resolved to column positions.
struct Mapped<'a> {
    t: &'a Table,
    label: String,
    tp: &'a TableProfile,
    /// (rule, column) per target, indexed by [`slot`] (no hashing per value).
    slots: Vec<Option<(&'a ColumnRule, usize)>>,
    /// The lookup table of each slot whose rule names one that was read.
    slot_lookups: Vec<Option<&'a FastMap<String, String>>>,
    date_forms: HashMap<(Field, Side), String>,
    /// Further columns mapped to an offence target already taken (`Crm Cd 2`, a second charge
    /// text): every non-empty code is an offence of the incident, texts are read together.
    extra: Vec<(Field, &'a ColumnRule, usize)>,
    /// The incident date column carries times of day (not all midnight): the hour is read
    /// from it when no hour column is mapped ("03/04/2019 01:45:00 PM").
    times_in_date: bool,
    /// The as-of date dates are checked against, whether it was given or derived, and the
    /// latest plausible date (a year after it).
    as_of: Option<(Date, &'static str, Date)>,
}

/// The hour of a date-and-time value ("2019-03-04T13:45:00.000", "03/04/2019 01:45:00 PM").
fn time_hour(v: &str) -> Option<u8> {
    let v = v.trim();
    let rest = match v.find(['T', ' ']) {
        Some(at) if v.as_bytes()[0].is_ascii_digit() => &v[at + 1..],
        _ => return None,
    };
    let rest = rest.trim_end_matches('Z');
    let rest = rest.split(['+']).next().unwrap_or(rest);
    if !rest.contains(':') {
        return None;
    }
    parse_hour(rest)
}

impl<'a> Mapped<'a> {
    fn new(t: &'a Table, tp: &'a TableProfile, lookups: &'a Lookups) -> Mapped<'a> {
        let heads: Vec<String> = t.headers.iter().map(|h| super::mapping::normalize_header(h)).collect();
        let mut slots = vec![None; Field::ALL.len() * 3];
        let mut date_forms = HashMap::new();
        let mut extra = Vec::new();
        let mut times_in_date = false;
        for rule in &tp.columns {
            let want = super::mapping::normalize_header(&rule.header);
            if let Some(ci) = heads.iter().position(|h| *h == want) {
                let key = (rule.target.field, rule.target.side);
                if slots[slot(key.0, key.1)].is_none() {
                    slots[slot(key.0, key.1)] = Some((rule, ci));
                } else if matches!(key.0, Field::OffenseCode | Field::LocalOffenseCode | Field::Statute)
                    && !extra.iter().any(|&(_, _, c)| c == ci)
                    && slots[slot(key.0, key.1)].is_some_and(|(_, c)| c != ci)
                {
                    extra.push((key.0, rule, ci));
                }
                if rule.target.field.is_date() {
                    let day_first = rule.date_order == Some(SlashOrder::DayFirst);
                    let mut counts: Vec<(&str, usize)> = Vec::new();
                    for r in 0..t.len().min(FORM_ROWS) {
                        if let Some(f) = date_form(t.cell(r, ci), day_first) {
                            match counts.iter_mut().find(|(k, _)| *k == f) {
                                Some(e) => e.1 += 1,
                                None => counts.push((f, 1)),
                            }
                        }
                    }
                    let form = counts
                        .iter()
                        .max_by_key(|(_, n)| *n)
                        .map(|(f, _)| *f)
                        .unwrap_or(if day_first { "DD/MM/YYYY" } else { "MM/DD/YYYY" });
                    date_forms.insert(key, form.to_string());
                    if key == (Field::IncidentDate, Side::Any)
                        && (0..t.len().min(FORM_ROWS)).any(|r| time_hour(t.cell(r, ci)).is_some_and(|h| h != 0))
                    {
                        times_in_date = true;
                    }
                }
            }
        }
        let slot_lookups = slots
            .iter()
            .map(|s| s.and_then(|(rule, _)| rule.lookup.as_ref().and_then(|name| lookups.get(name))))
            .collect();
        Mapped {
            t,
            label: t.label(),
            tp,
            slots,
            slot_lookups,
            date_forms,
            extra,
            times_in_date,
            as_of: None,
        }
    }

    /// The charge text of a row: the statute column and any further charge-text columns (a
    /// statute number and its description, a category and a subcategory), read together.
    fn statute(&self, r: usize, sink: &mut Sink) -> Option<String> {
        let mut statute = self.get(r, Field::Statute, Side::Any, sink);
        for &(f, _, c) in &self.extra {
            let v = self.t.cell(r, c);
            if f == Field::Statute && !v.is_empty() {
                statute = Some(match statute {
                    Some(s) if s != v => compact_str::format_compact!("{s} / {v}"),
                    Some(s) => s,
                    None => v.to_string().into(),
                });
            }
        }
        statute.map(Into::into)
    }

    /// Whether any person field other than ids and numbers is mapped for a side.
    fn has_person_columns(&self, side: Side) -> bool {
        Field::ALL.iter().any(|f| f.describes_a_person() && self.has(*f, side))
    }

    /// The record id of the row's person on a side: the id column, else the incident id and the
    /// person's number within the incident (`I1#V1`; victims and offenders apart, and persons
    /// of a per-person export apart by role), so that V1 of two incidents are two people.
    fn person_key(&self, r: usize, side: Side, iid: &str, sink: &mut Sink) -> Option<String> {
        if let Some(id) = self.get(r, Field::RecordId, side, sink) {
            return Some(id.to_string());
        }
        let n = self.get(r, Field::PersonNumber, side, sink)?;
        let n = n.trim();
        let tag = match side {
            Side::Victim => "V:".to_string(),
            Side::Offender => "O:".to_string(),
            Side::Any => match Role::parse(self.raw(r, Field::Role, Side::Any)) {
                Some(role) => format!("{}:", role.as_str()),
                None => String::new(),
            },
        };
        Some(format!(
            "{iid}#{tag}{}",
            whole_number(n).map(|k| k.to_string()).unwrap_or_else(|| n.to_string())
        ))
    }

    fn at(&self, f: Field, side: Side) -> Option<&(&'a ColumnRule, usize)> {
        self.slots.get(slot(f, side)).and_then(Option::as_ref)
    }

    fn has(&self, f: Field, side: Side) -> bool {
        self.at(f, side).is_some()
    }

    fn has_side(&self, side: Side) -> bool {
        Field::ALL.iter().any(|f| self.has(*f, side))
    }

    fn header(&self, f: Field, side: Side) -> &str {
        self.at(f, side).map(|(r, _)| r.header.as_str()).unwrap_or("")
    }

    /// The raw trimmed cell of a target ("" when unmapped).
    fn raw(&self, r: usize, f: Field, side: Side) -> &str {
        match self.at(f, side) {
            Some((_, c)) => self.t.cell(r, *c),
            None => "",
        }
    }

    /// The value of a target after its lookup and prefix; `None` when empty or not found in
    /// its lookup table (with a warning).
    fn get(&self, r: usize, f: Field, side: Side, sink: &mut Sink) -> Option<Text> {
        let (rule, c) = self.at(f, side)?;
        let v = self.t.cell(r, *c);
        if v.is_empty() {
            return None;
        }
        let v: &str = match &rule.lookup {
            Some(name) => match self.slot_lookups[slot(f, side)].and_then(|m| m.get(v)) {
                Some(code) => code,
                None => {
                    sink.push(Diagnostic::cell(
                        Severity::Warning,
                        &self.label,
                        self.t.line(r),
                        &rule.header,
                        v,
                        format!(
                            "not in the {name} table: the value was left empty. Choose the export's own {name} file, \
                             or add the value to it"
                        ),
                    ));
                    return None;
                }
            },
            None => v,
        };
        if rule.prefix.is_empty() {
            Some(Text::from(v))
        } else {
            let mut s = Text::with_capacity(rule.prefix.len() + v.len());
            s.push_str(&rule.prefix);
            s.push_str(v);
            Some(s)
        }
    }

    /// [`Mapped::get`] without a warning and without a copy when there is no prefix: for a key
    /// looked at before the row is read.
    fn key(&self, r: usize, f: Field, side: Side) -> Option<Cow<'_, str>> {
        let (rule, c) = self.at(f, side)?;
        let v = self.t.cell(r, *c);
        let v = match &rule.lookup {
            Some(_) => self.slot_lookups[slot(f, side)]?.get(v)?.as_str(),
            None => v,
        };
        match (v.is_empty(), rule.prefix.is_empty()) {
            (true, _) => None,
            (false, true) => Some(Cow::Borrowed(v)),
            (false, false) => Some(Cow::Owned(format!("{}{v}", rule.prefix))),
        }
    }

    fn text(&self, r: usize, f: Field, side: Side, sink: &mut Sink) -> Text {
        self.get(r, f, side, sink).unwrap_or_default()
    }

    fn warn(&self, sink: &mut Sink, r: usize, f: Field, side: Side, message: String) {
        let (h, v) = (self.header(f, side).to_string(), self.raw(r, f, side).to_string());
        sink.push(Diagnostic::cell(
            Severity::Warning,
            &self.label,
            self.t.line(r),
            &h,
            &v,
            message,
        ));
    }

    fn date(&self, r: usize, f: Field, side: Side, sink: &mut Sink) -> Option<Date> {
        let (rule, _) = self.at(f, side)?;
        let v = self.raw(r, f, side);
        if v.is_empty() {
            return None;
        }
        let d = Date::parse_with(v, rule.date_order.unwrap_or_default());
        if d.is_none() {
            let form = self
                .date_forms
                .get(&(f, side))
                .map(String::as_str)
                .unwrap_or("MM/DD/YYYY");
            self.warn(
                sink,
                r,
                f,
                side,
                format!(
                    "not a date; dates in this column look like {form}. Fix the value or map the column to another \
                     date format. The date was left empty"
                ),
            );
        }
        let d = d?;
        let why = if d < EARLIEST_PLAUSIBLE {
            "before 1900-01-01. The date was set aside and treated as missing; the row is used. Fix the value in \
             the file"
                .to_string()
        } else {
            match self.as_of {
                // An order may run for years: its end is only checked against 1900.
                Some((as_of, how, latest)) if f != Field::OrderExpires && d > latest => format!(
                    "more than a year after the as-of date {as_of} ({how}). The date was set aside and treated as \
                     missing; the row is used. Fix the value in the file, or give a later as-of date"
                ),
                _ => return Some(d),
            }
        };
        sink.implausible_dates += 1;
        self.warn(sink, r, f, side, format!("not a plausible date: {why}"));
        None
    }

    fn flag(&self, r: usize, f: Field, side: Side, sink: &mut Sink) -> Option<bool> {
        let v = self.raw(r, f, side);
        if v.is_empty() {
            return None;
        }
        let b = parse_flag(v);
        if b.is_none() {
            self.warn(
                sink,
                r,
                f,
                side,
                "not a yes/no value (Y, N, YES, NO, TRUE, FALSE, 1, 0): left empty. Fix the value or map another column"
                    .into(),
            );
        }
        b
    }

    fn number<T: std::str::FromStr>(&self, r: usize, f: Field, side: Side, sink: &mut Sink, what: &str) -> Option<T> {
        let v = self.raw(r, f, side);
        if v.is_empty() {
            return None;
        }
        let n = v
            .parse::<T>()
            .ok()
            .or_else(|| whole_number(v).and_then(|k| k.to_string().parse::<T>().ok()));
        if n.is_none() {
            self.warn(
                sink,
                r,
                f,
                side,
                format!("not {what}: left empty. Fix the value in the file"),
            );
        }
        n
    }

    /// The value of an id the row cannot do without; when it is empty the row is rejected with
    /// `why` and `None` is returned.
    fn required(&self, r: usize, f: Field, sink: &mut Sink, why: &str) -> Option<String> {
        let v = self.get(r, f, Side::Any, sink);
        if v.is_none() {
            self.reject(sink, r, self.header(f, Side::Any), "", why.to_string());
        }
        v.map(Into::into)
    }

    fn reject(&self, sink: &mut Sink, r: usize, column: &str, value: &str, reason: String) {
        sink.push(Diagnostic::cell(
            Severity::Error,
            &self.label,
            self.t.line(r),
            column,
            value,
            reason.clone(),
        ));
        sink.rejected.push(RejectedRow {
            file: self.label.clone(),
            row: self.t.line(r),
            cells: self.t.row(r).iter().map(|s| s.to_string()).collect(),
            reason,
        });
    }
}

/// The index of a target in [`Mapped::slots`].
fn slot(f: Field, side: Side) -> usize {
    f as usize * 3 + side as usize
}

/// A hash of a row's cells (their bytes and where each ends), to find rows repeated exactly.
///
/// The set of these hashes decides which rows are dropped as exact repeats, so the hash must be
/// 64 bits wide and well mixed on every target: SipHash-1-3 (the standard library's, fixed
/// keys). Not rustc-hash's FxHash, which is 32 bits wide in wasm32: there, 4,104,000 rows of a
/// generated flat export gave 1,894 false repeats (the birthday bound of 32 bits).
fn row_hash(t: &Table, r: usize) -> u64 {
    let (bytes, ends) = t.row_bytes(r);
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    for &e in ends {
        h.write_u64(e as u64);
    }
    h.finish()
}

/// Split a whole name: "LAST, FIRST MIDDLE" or "FIRST MIDDLE LAST" → (first, middle, last).
pub fn split_name(full: &str) -> (String, String, String) {
    let full = full.trim();
    if let Some((last, rest)) = full.split_once(',') {
        let mut it = rest.split_whitespace();
        let first = it.next().unwrap_or("").to_string();
        let middle = it.collect::<Vec<_>>().join(" ");
        return (first, middle, last.trim().to_string());
    }
    let parts: Vec<&str> = full.split_whitespace().collect();
    match parts.len() {
        0 => Default::default(),
        1 => (String::new(), String::new(), parts[0].to_string()),
        n => (
            parts[0].to_string(),
            parts[1..n - 1].join(" "),
            parts[n - 1].to_string(),
        ),
    }
}

struct Builder<'p, 'f> {
    profile: &'p Profile,
    /// Told the rows imported so far; `false` stops the import.
    progress: &'f mut dyn FnMut(u64) -> bool,
    /// Rows of the tables before this one.
    rows_done: u64,
    /// The progress callback asked to stop.
    cancelled: bool,
    ds: Dataset,
    incident_index: IdIndex,
    person_index: IdIndex,
    incidents_file: Option<String>,
    persons_file: Option<String>,
    duplicate_ids: u64,
    identical_rows: u64,
    /// Victims with circumstance 6 (domestic violence), by record id.
    dv_victims: FastSet<String>,
    /// The NIBRS relationship codes, to tell a code from a word.
    rel_codes: crate::classify::CodeTable,
    collapsed_pair_rows: u64,
    collapsed_person_rows: u64,
    relationship_words: u64,
    /// The first relationship word read as text, for the message.
    relationship_word_example: Option<String>,
    /// An arrest or booking roster with no incident file: each booking (or its case) is an
    /// incident of the inquiry, its charges the offences, its arrestee the offender.
    roster: bool,
    /// Offences numbered per roster incident.
    roster_offenses: FastMap<String, u32>,
    /// The profile's offence code table's answer for each text looked up (its NIBRS code, or
    /// none): an export repeats a few offence texts on millions of rows, and a lookup scans the
    /// table's keyword rules (11% of the audit of a 100 MB flat export before this).
    code_lookups: std::cell::RefCell<FastMap<Box<str>, Option<String>>>,
}

/// Rows imported between two calls of the progress callback.
const PROGRESS_ROWS: usize = 1 << 16;

/// NIBRS circumstance code 6: domestic violence (data from 2019 on).
const DV_CIRCUMSTANCE_CODE: &str = "6";

fn kind_order(k: TableKind) -> u8 {
    match k {
        TableKind::Lookup => 0,
        TableKind::Incidents => 1,
        TableKind::Flat => 2,
        TableKind::Persons => 3,
        TableKind::Pairs => 4,
        TableKind::Offenses => 5,
        TableKind::Arrests => 6,
        TableKind::Orders => 7,
        TableKind::Calls => 8,
        TableKind::Circumstances => 9,
        TableKind::Ignore => 10,
    }
}

/// Rows an import reads to learn a column's date form and whether its dates carry times of
/// day: a streamed table's first rows are waited for until it has these (or ends).
const FORM_ROWS: usize = 200;
const _: () = assert!(FORM_ROWS <= super::table::SAMPLE_ROWS);

/// How far an import has come, told after each slice of a file read and every 65,536 rows
/// imported.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ImportProgress {
    /// Bytes read so far of the files read again (the incident dates first, when the as-of date
    /// is derived; then every streamed file), and of all of them (0: every table was held).
    pub bytes: u64,
    pub total_bytes: u64,
    /// Rows imported so far, and the rows expected in all.
    pub rows: u64,
    pub total_rows: u64,
    /// The incident dates are being read (for the as-of date), before any row is imported.
    pub dates: bool,
}

impl ImportProgress {
    /// 0.0 to 1.0: by bytes when files are read again, else by rows.
    pub fn fraction(&self) -> f32 {
        let f = if self.total_bytes > 0 {
            self.bytes as f64 / self.total_bytes as f64
        } else {
            self.rows as f64 / self.total_rows.max(1) as f64
        };
        f.clamp(0.0, 1.0) as f32
    }
}

/// Reads a CSV file again for a streamed import (the caller's files; the core does no IO).
pub(crate) trait Reread {
    /// The size of file `file` in bytes.
    fn size(&self, file: usize) -> u64;
    /// Read file `file` again from its start, calling `batch` after each slice with the table as
    /// far as it is read (`None` until its header row is found) and the bytes read so far;
    /// when `batch` returns `false`, stop with [`ImportError::Cancelled`]. The finished table
    /// (rows freed by `batch` read as empty; its reading problems and counts whole).
    fn reread(
        &mut self,
        file: usize,
        batch: &mut dyn FnMut(Option<&mut Table>, u64) -> bool,
    ) -> Result<Table, ImportError>;
}

/// Tables all held: nothing to read again.
struct HeldOnly;

impl Reread for HeldOnly {
    fn size(&self, _: usize) -> u64 {
        0
    }
    fn reread(&mut self, _: usize, _: &mut dyn FnMut(Option<&mut Table>, u64) -> bool) -> Result<Table, ImportError> {
        Err(ImportError::Unusable("no file to read again was given".into()))
    }
}

/// Import tables with a profile. Fails only when a required table of the profile has no
/// matching file (the message names the closest file and its missing columns).
pub fn import_tables(tables: &[Table], profile: &Profile) -> Result<ImportOutcome, ImportError> {
    let m = profile.match_tables(tables);
    let n = tables.len();
    import(
        tables.iter().map(Cow::Borrowed).collect(),
        vec![None; n],
        m,
        profile,
        None,
        &mut HeldOnly,
        &mut |_| true,
    )
}

/// [`import_tables`] for a big import: it takes the tables and frees each one's cells as soon
/// as its rows are imported (so the tables and the whole dataset are not held at once), and
/// tells `progress` the fraction of rows imported (0.0 to 1.0) every 65,536 rows. When
/// `progress` returns `false` the import stops with [`ImportError::Cancelled`]. The outcome is
/// the same as [`import_tables`]'s.
pub fn import_tables_with_progress(
    tables: Vec<Table>,
    profile: &Profile,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<ImportOutcome, ImportError> {
    import_tables_as_of(tables, profile, None, progress)
}

/// [`import_tables_with_progress`] with the as-of date the analysis will use (`ipvi analyze
/// --as-of`): dates more than a year after it are set aside. Without one, the as-of date is the
/// one the incident dates imply ([`crate::date::derived_as_of`]).
pub fn import_tables_as_of(
    tables: Vec<Table>,
    profile: &Profile,
    as_of: Option<Date>,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let m = profile.match_tables(&tables);
    let n = tables.len();
    import(
        tables.into_iter().map(Cow::Owned).collect(),
        vec![None; n],
        m,
        profile,
        as_of,
        &mut HeldOnly,
        &mut |p| progress(p.fraction()),
    )
}

/// The streamed import ([`super::import_sampled`]): `tables` held whole or, where `streamed`
/// names a file, that file's header and first rows, its rows read again through `reread`.
pub(crate) fn import_streamed(
    tables: Vec<Table>,
    streamed: Vec<Option<usize>>,
    profile: &Profile,
    as_of: Option<Date>,
    reread: &mut dyn Reread,
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let m = profile.match_tables(&tables);
    import(
        tables.into_iter().map(Cow::Owned).collect(),
        streamed,
        m,
        profile,
        as_of,
        reread,
        progress,
    )
}

/// What reading a table found: its problems (the first of them; `suppressed` counts the
/// rest), the rows it could not read, the rows it read.
#[derive(Default)]
struct ReadInfo {
    diags: Vec<Diagnostic>,
    rejected: Vec<RejectedRow>,
    rows_read: u64,
    suppressed: usize,
}

impl ReadInfo {
    /// Taken from an owned table, copied from a borrowed one.
    fn take(t: &mut Cow<'_, Table>) -> ReadInfo {
        let (rows_read, suppressed) = (t.rows_read, t.suppressed());
        let (diags, rejected) = match t {
            Cow::Owned(t) => (std::mem::take(&mut t.diagnostics), std::mem::take(&mut t.rejected)),
            Cow::Borrowed(t) => (t.diagnostics.clone(), t.rejected.clone()),
        };
        ReadInfo {
            diags,
            rejected,
            rows_read,
            suppressed,
        }
    }
}

/// Hand the rows of a table to `each(table, rows)` in runs, in order, at least once (with no
/// rows for an empty table): a held table block by block, its blocks freed after each run when
/// `free` and it is owned; a streamed one (`streamed`: its file) as the file is read again
/// through `reread`, each run's blocks freed at once, the first run once the table has `wait`
/// rows or ends. `each` returns `false` to stop (cancel). `bytes` is moved on by the bytes read.
/// Returns the streamed table, finished.
fn for_rows(
    table: &mut Cow<'_, Table>,
    streamed: Option<usize>,
    reread: &mut dyn Reread,
    (free, wait): (bool, usize),
    bytes: &std::cell::Cell<u64>,
    each: &mut dyn FnMut(&Table, std::ops::Range<usize>) -> bool,
) -> Result<Option<Table>, ImportError> {
    let Some(file) = streamed else {
        let n = table.len();
        let mut from = 0;
        loop {
            let to = ((from / BLOCK_ROWS + 1) * BLOCK_ROWS).min(n);
            if !each(table, from..to) {
                return Err(ImportError::Cancelled);
            }
            if let (true, Cow::Owned(t)) = (free, &mut *table) {
                t.free_rows_before(to);
            }
            from = to;
            if from >= n {
                return Ok(None);
            }
        }
    };
    let base = bytes.get();
    let mut done = 0;
    let mut started = false;
    let mut batch = |t: Option<&mut Table>, at: u64| -> bool {
        bytes.set(base + at);
        let Some(t) = t else { return true };
        if !started && t.len() < wait {
            return true;
        }
        started = true;
        let n = t.len();
        let go = each(t, done..n);
        done = n;
        t.free_rows_before(done);
        go
    };
    let t = reread.reread(file, &mut batch)?;
    bytes.set(base + reread.size(file));
    if !each(&t, done..t.len()) {
        return Err(ImportError::Cancelled);
    }
    Ok(Some(t))
}

/// How a table's rows are being imported.
enum Run {
    /// Not begun: the first rows are awaited.
    Waiting,
    /// Begun ([`Builder::table_start`]), with what the first rows told about the columns (date
    /// forms, times in dates), kept for the runs read after those rows are freed.
    Rows(Box<TableRun>, HashMap<(Field, Side), String>, bool),
    /// No column is mapped to these keys: every row is rejected.
    Unmapped(String),
}

/// The import itself: tables held (owned ones emptied as they are done, borrowed ones left
/// alone) or streamed (`streamed[i]`: the file whose sample table `i` is, read again through
/// `reread`).
fn import(
    mut tables: Vec<Cow<'_, Table>>,
    streamed: Vec<Option<usize>>,
    m: ProfileMatch,
    profile: &Profile,
    as_of: Option<Date>,
    reread: &mut dyn Reread,
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<ImportOutcome, ImportError> {
    if !m.missing.is_empty() {
        return Err(ImportError::Unusable(format!(
            "the files do not fit the profile {:?}: {}. Choose the missing file, or map the files again",
            profile.name,
            m.missing.join("; ")
        )));
    }
    let mut out = ImportOutcome {
        profile: profile.name.clone(),
        ..Default::default()
    };
    let is_streamed = |ti: usize| streamed.get(ti).copied().flatten();
    // Reading problems of every table (ragged rows, encodings), put first in its file's problems
    // at the end: a held table's now, a streamed one's once its file is read again.
    let mut reads: Vec<Option<ReadInfo>> = tables
        .iter_mut()
        .enumerate()
        .map(|(ti, t)| is_streamed(ti).is_none().then(|| ReadInfo::take(t)))
        .collect();
    let mut sinks: Vec<Sink> = tables.iter().map(|t| Sink::new(&t.label())).collect();
    let mut all_rejected = vec![false; tables.len()];
    let mut order: Vec<(usize, usize)> = m.assigned.clone();
    order.sort_by_key(|&(pi, ti)| (kind_order(profile.tables[pi].kind), ti));
    let roster = !order
        .iter()
        .any(|&(pi, _)| matches!(profile.tables[pi].kind, TableKind::Incidents | TableKind::Flat));
    let date_tables: Vec<(usize, usize)> = order
        .iter()
        .copied()
        .filter(|&(pi, _)| as_of.is_none() && date_field(profile.tables[pi].kind, roster).is_some())
        .collect();
    let row_kind = |pi: usize| !matches!(profile.tables[pi].kind, TableKind::Lookup | TableKind::Ignore);
    let expected = |t: &Table, ti: usize| match is_streamed(ti) {
        Some(_) => t.expected_rows() as u64,
        None => t.len() as u64,
    };
    let total_rows: u64 = order
        .iter()
        .filter(|&&(pi, _)| row_kind(pi))
        .map(|&(_, ti)| expected(&tables[ti], ti))
        .sum();
    let total_bytes: u64 = date_tables
        .iter()
        .chain(order.iter())
        .map(|&(_, ti)| ti)
        .chain(m.unused.iter().copied())
        .filter_map(is_streamed)
        .map(|f| reread.size(f))
        .sum();
    let bytes = std::cell::Cell::new(0u64);
    let reading_dates = std::cell::Cell::new(false);
    let mut tick = |rows: u64| {
        progress(&ImportProgress {
            bytes: bytes.get(),
            total_bytes,
            rows,
            total_rows,
            dates: reading_dates.get(),
        })
    };
    let mut b = Builder {
        profile,
        progress: &mut tick,
        rows_done: 0,
        cancelled: false,
        ds: Dataset::default(),
        incident_index: IdIndex::default(),
        person_index: IdIndex::default(),
        incidents_file: None,
        persons_file: None,
        duplicate_ids: 0,
        dv_victims: FastSet::default(),
        identical_rows: 0,
        rel_codes: crate::classify::CodeTable::nibrs_default(),
        collapsed_pair_rows: 0,
        collapsed_person_rows: 0,
        relationship_words: 0,
        relationship_word_example: None,
        roster,
        roster_offenses: FastMap::default(),
        code_lookups: Default::default(),
    };
    // Lookup tables.
    let mut lookups: Lookups = FastMap::default();
    for &(pi, ti) in &order {
        let tp = &profile.tables[pi];
        if tp.kind != TableKind::Lookup {
            continue;
        }
        let t = &tables[ti];
        let find = |h: &Option<String>| {
            h.as_ref().and_then(|h| {
                let want = super::mapping::normalize_header(h);
                t.headers
                    .iter()
                    .position(|x| super::mapping::normalize_header(x) == want)
            })
        };
        let (Some(k), Some(v)) = (find(&tp.lookup_key), find(&tp.lookup_value)) else {
            // The file's rows are not read; a streamed one is read for its counts and problems
            // with the files not used, at the end.
            continue;
        };
        let map = lookups.entry(tp.name.clone()).or_default();
        let mut each = |t: &Table, rows: std::ops::Range<usize>| {
            for r in rows {
                let (key, val) = (t.cell(r, k), t.cell(r, v));
                if !key.is_empty() && !val.is_empty() {
                    map.insert(key.to_string(), val.to_string());
                }
            }
            true
        };
        let done = for_rows(&mut tables[ti], is_streamed(ti), reread, (false, 0), &bytes, &mut each)?;
        let used = done.as_ref().unwrap_or(&tables[ti]).len() as u64;
        sinks[ti].summary.rows_used = used;
        if let Some(t) = done {
            // The finished table's problems and rejected rows are moved, not copied.
            reads[ti] = Some(ReadInfo::take(&mut Cow::Owned(t)));
        }
    }
    let as_of = match as_of {
        Some(d) => Some((d, "given")),
        None => {
            reading_dates.set(true);
            let dates = incident_dates(
                &mut tables,
                (&streamed, &date_tables),
                profile,
                &lookups,
                roster,
                reread,
                (&bytes, &mut *b.progress),
            )?;
            reading_dates.set(false);
            derived_as_of(dates).map(|d| (d, "derived from the incident dates"))
        }
    }
    .map(|(d, how)| (d, how, d.plus_one_year()));
    for &(pi, ti) in &order {
        let tp = &profile.tables[pi];
        if !row_kind(pi) {
            continue;
        }
        let sink = &mut sinks[ti];
        let mut run = Run::Waiting;
        let mut each = |t: &Table, rows: std::ops::Range<usize>| {
            let upto = rows.end as u64;
            if let Run::Waiting = run {
                let mut mp = Mapped::new(t, tp, &lookups);
                mp.as_of = as_of;
                run = match b.table_start(&mp, expected(t, ti) as usize) {
                    Ok(r) => Run::Rows(Box::new(r), std::mem::take(&mut mp.date_forms), mp.times_in_date),
                    Err(missing) => Run::Unmapped(missing),
                };
            }
            match &mut run {
                Run::Rows(r, forms, times) => {
                    let mut mp = Mapped::new(t, tp, &lookups);
                    (mp.as_of, mp.date_forms, mp.times_in_date) = (as_of, forms.clone(), *times);
                    b.table_rows(&mp, rows, r, sink);
                }
                Run::Unmapped(missing) => b.reject_unmapped(t, rows, missing, sink),
                Run::Waiting => {}
            }
            !b.cancelled && (b.progress)(b.rows_done + upto)
        };
        let done = for_rows(
            &mut tables[ti],
            is_streamed(ti),
            reread,
            (true, FORM_ROWS),
            &bytes,
            &mut each,
        )?;
        let t: &Table = done.as_ref().unwrap_or(&tables[ti]);
        let flat = match run {
            Run::Rows(r, forms, times) => {
                let mut mp = Mapped::new(t, tp, &lookups);
                (mp.as_of, mp.date_forms, mp.times_in_date) = (as_of, forms, times);
                b.table_end(&mp, *r, sink)
            }
            Run::Unmapped(missing) => {
                b.unmapped_end(t, &missing, sink);
                all_rejected[ti] = true;
                None
            }
            Run::Waiting => None,
        };
        if let Some(t) = done {
            // The finished table's problems and rejected rows are moved, not copied.
            reads[ti] = Some(ReadInfo::take(&mut Cow::Owned(t)));
        }
        if let Cow::Owned(t) = &mut tables[ti] {
            t.free_cells();
        }
        if let Some(st) = flat {
            let label = tables[ti].label();
            b.flat_pairs(&label, st, sink);
        }
    }
    // Files read for their counts and problems only: those not used, and the tables of the
    // profile whose rows are not imported.
    for ti in 0..tables.len() {
        if reads[ti].is_none() {
            let done = for_rows(
                &mut tables[ti],
                is_streamed(ti),
                reread,
                (true, 0),
                &bytes,
                &mut |_, _| (b.progress)(b.rows_done),
            )?;
            if let Some(t) = done {
                reads[ti] = Some(ReadInfo::take(&mut Cow::Owned(t)));
            }
        }
    }
    (b.progress)(b.rows_done);
    let unused: HashSet<usize> = m.unused.iter().copied().collect();
    for (i, mut s) in sinks.into_iter().enumerate() {
        let read = reads[i].take().unwrap_or_default();
        let label = tables[i].label();
        s.summary.rows_read = read.rows_read;
        let mut diags = Vec::with_capacity(read.diags.len() + s.diags.len());
        let mut suppressed = read.suppressed + s.suppressed;
        let mut rejected = Vec::new();
        if unused.contains(&i) {
            // A file not used is out of the counts as a whole: the rows its reading rejected
            // are not rejected rows of the import (read = used + rejected holds for every file
            // that is used; the others are listed apart as not used).
            s.summary.rows_rejected = 0;
            s.push(Diagnostic::file(
                Severity::Info,
                &label,
                format!("not part of the profile {:?}: the file was not used", profile.name),
            ));
        } else {
            s.summary.rows_rejected += read.rejected.len() as u64;
            if all_rejected[i] {
                s.summary.rows_rejected = s.summary.rows_read;
            }
            rejected = read.rejected;
            rejected.append(&mut s.rejected);
        }
        for d in read.diags.into_iter().chain(s.diags) {
            if diags.len() < MAX_DIAGNOSTICS_PER_FILE {
                diags.push(d);
            } else {
                suppressed += 1;
            }
        }
        if suppressed > 0 {
            diags.push(Diagnostic::file(
                Severity::Warning,
                &label,
                format!(
                    "{suppressed} more problems in this file are not listed (only the first {} are); \
                     the rejected-row count includes them",
                    crate::report::suppress::thousands(MAX_DIAGNOSTICS_PER_FILE as u64)
                ),
            ));
        }
        out.implausible_dates += s.implausible_dates;
        out.diagnostics.append(&mut diags);
        out.rejected.append(&mut rejected);
        out.files.push(s.summary);
    }
    if !b.dv_victims.is_empty() {
        for k in 0..b.ds.pairs.len() {
            if b.ds
                .pairs
                .get(k)
                .is_some_and(|p| b.dv_victims.contains(p.victim_record_id))
            {
                b.ds.pairs.set_dv_circumstance(k, true);
            }
        }
    }
    out.as_of = as_of.map(|(d, _, _)| d);
    out.dataset = b.ds;
    out.dataset.synthetic = profile.synthetic;
    out.duplicate_ids = b.duplicate_ids;
    out.identical_rows = b.identical_rows;
    out.collapsed_pair_rows = b.collapsed_pair_rows;
    out.collapsed_person_rows = b.collapsed_person_rows;
    out.relationship_words_as_text = b.relationship_words;
    Ok(out)
}

/// The field whose dates the incidents of a table will carry (the occurrence date, else the
/// report date; a booking roster's arrest dates), by the kind of table; `None`: no incident
/// dates.
fn date_field(kind: TableKind, roster: bool) -> Option<Field> {
    match kind {
        TableKind::Incidents | TableKind::Flat => Some(Field::IncidentDate),
        TableKind::Arrests if roster => Some(Field::ArrestDate),
        _ => None,
    }
}

/// The dates the incidents will carry, read once before the import so that the as-of date they
/// imply is known when the first date is checked: from held tables as they are, from streamed
/// ones by reading their files (an extra pass over those files only, keeping no row), telling
/// `progress` after each run of rows.
fn incident_dates(
    tables: &mut [Cow<'_, Table>],
    (streamed, date_tables): (&[Option<usize>], &[(usize, usize)]),
    profile: &Profile,
    lookups: &Lookups,
    roster: bool,
    reread: &mut dyn Reread,
    (bytes, progress): (&std::cell::Cell<u64>, &mut dyn FnMut(u64) -> bool),
) -> Result<std::collections::BTreeSet<Date>, ImportError> {
    // Only distinct days count ([`derived_as_of`]).
    let mut dates = std::collections::BTreeSet::new();
    for &(pi, ti) in date_tables {
        let tp = &profile.tables[pi];
        let Some(field) = date_field(tp.kind, roster) else {
            continue;
        };
        let Some(t) = tables.get_mut(ti) else { continue };
        let mp = Mapped::new(t, tp, lookups);
        let field = if mp.has(field, Side::Any) {
            field
        } else {
            Field::ReportDate
        };
        let Some((rule, _)) = mp.at(field, Side::Any) else {
            continue;
        };
        let order = rule.date_order.unwrap_or_default();
        drop(mp);
        let mut each = |t: &Table, rows: std::ops::Range<usize>| {
            let mp = Mapped::new(t, tp, lookups);
            let mut last: (&str, Option<Date>) = ("", None);
            for r in rows {
                let v = mp.raw(r, field, Side::Any);
                // A flat export repeats the incident's date on each of its rows: parse it once.
                if v != last.0 {
                    last = (v, Date::parse_with(v, order));
                    dates.extend(last.1);
                }
            }
            progress(0)
        };
        let file = streamed.get(ti).copied().flatten();
        for_rows(t, file, reread, (false, 0), bytes, &mut each)?;
    }
    Ok(dates)
}

impl Builder<'_, '_> {
    /// Begin one table: check its key columns (without them every row is rejected: `Err` with
    /// the keys missing, see [`Builder::reject_unmapped`]), make room for its records
    /// (`rows`: the rows it is expected to have) and the state its rows share. The rows follow
    /// in runs ([`Builder::table_rows`]), then [`Builder::table_end`].
    fn table_start(&mut self, mp: &Mapped<'_>, rows: usize) -> Result<TableRun, String> {
        let kind = mp.tp.kind;
        // Key columns: without them the file cannot be used.
        let missing: Vec<&str> = required_fields(kind)
            .iter()
            .filter(|(f, _)| match (kind, f) {
                (TableKind::Pairs, Field::RecordId) => {
                    let has = |side| {
                        mp.has(Field::RecordId, side)
                            || (mp.has(Field::PersonNumber, side) && mp.has(Field::IncidentId, Side::Any))
                    };
                    !(has(Side::Victim) && has(Side::Offender))
                }
                (TableKind::Persons, Field::RecordId)
                    if mp.has(Field::PersonNumber, Side::Any) && mp.has(Field::IncidentId, Side::Any) =>
                {
                    false
                }
                (TableKind::Arrests, Field::RecordId) if mp.has(Field::ArrestId, Side::Any) => false,
                (TableKind::Flat, Field::IncidentId) | (_, _) => {
                    !(mp.has(*f, Side::Any) || mp.has(*f, Side::Victim) || mp.has(*f, Side::Offender))
                }
            })
            .map(|(_, what)| *what)
            .collect();
        if !missing.is_empty() {
            return Err(missing.join(" and "));
        }
        match kind {
            TableKind::Incidents => self.incidents_file = Some(mp.label.clone()),
            TableKind::Persons => self.persons_file = Some(mp.label.clone()),
            _ => {}
        }
        // Room for the table's rows at once (the records are large; doubling would copy them).
        let n = rows;
        match kind {
            TableKind::Incidents => {
                self.ds.incidents.reserve(n);
                self.reserve_incident_ids(n);
            }
            TableKind::Persons => {
                self.ds.involvements.reserve(n);
                self.reserve_person_ids(n);
            }
            TableKind::Flat => {
                self.ds.incidents.reserve(n / 2);
                self.reserve_incident_ids(n / 2);
                self.ds.involvements.reserve(n);
                self.reserve_person_ids(n);
            }
            TableKind::Pairs => self.ds.pairs.reserve(n),
            TableKind::Offenses => self.ds.offenses.reserve(n),
            TableKind::Arrests => self.ds.arrests.reserve(n),
            TableKind::Orders => self.ds.orders.reserve(n),
            TableKind::Calls => self.ds.calls.reserve(n),
            TableKind::Circumstances | TableKind::Lookup | TableKind::Ignore => {}
        }
        let seen: FastSet<u64> = FastSet::with_capacity_and_hasher(n, Default::default());
        let per_pair = mp.has_side(Side::Victim) && mp.has_side(Side::Offender);
        let person_side = [Side::Any, Side::Victim, Side::Offender].into_iter().find(|side| {
            mp.has_person_columns(*side) || mp.has(Field::RecordId, *side) || mp.has(Field::PersonNumber, *side)
        });
        let flat = FlatState {
            per_pair,
            person_side,
            ..Default::default()
        };
        Ok(TableRun {
            seen,
            flat,
            offense_counts: FastMap::default(),
            before: (
                self.collapsed_pair_rows,
                self.collapsed_person_rows,
                self.relationship_words,
            ),
            ids_as_codes: false,
        })
    }

    /// Reject the rows `rows` of a table whose key columns `missing` are not mapped.
    fn reject_unmapped(&mut self, t: &Table, rows: std::ops::Range<usize>, missing: &str, sink: &mut Sink) {
        let label = t.label();
        for r in rows {
            sink.rejected.push(RejectedRow {
                file: label.clone(),
                row: t.line(r),
                cells: t.row(r).iter().map(|s| s.to_string()).collect(),
                reason: format!("no column is mapped to {missing}"),
            });
        }
    }

    /// End a table whose key columns `missing` are not mapped: say so, with its rows (all
    /// rejected by [`Builder::reject_unmapped`]).
    fn unmapped_end(&mut self, t: &Table, missing: &str, sink: &mut Sink) {
        sink.push(Diagnostic::file(
            Severity::Error,
            &t.label(),
            format!(
                "no column is mapped to {missing}: all {} rows of the file were rejected. Map the column that holds it \
                 on the mapping screen",
                t.len()
            ),
        ));
        self.rows_done += t.len() as u64;
    }

    /// Import the rows `rows` of a table begun with [`Builder::table_start`]. Stops early when
    /// the progress callback says to ([`Builder::cancelled`]).
    fn table_rows(&mut self, mp: &Mapped<'_>, rows: std::ops::Range<usize>, run: &mut TableRun, sink: &mut Sink) {
        let t = mp.t;
        let kind = mp.tp.kind;
        let TableRun {
            seen,
            flat,
            offense_counts,
            ids_as_codes,
            ..
        } = run;
        for r in rows {
            if r % PROGRESS_ROWS == 0 && r > 0 && !(self.progress)(self.rows_done + r as u64) {
                self.cancelled = true;
                return;
            }
            if !seen.insert(row_hash(t, r)) {
                self.identical_rows += 1;
                sink.summary.rows_rejected += 1;
                mp.reject(
                    sink,
                    r,
                    "(whole row)",
                    "",
                    "the row repeats an earlier row exactly (a duplicate): it was rejected".into(),
                );
                continue;
            }
            let used = match kind {
                TableKind::Incidents => self.incident_row(mp, r, sink),
                TableKind::Flat => self.flat_row(mp, r, sink, flat),
                TableKind::Persons => self.person_row(mp, r, sink),
                TableKind::Pairs => self.pair_row(mp, r, sink),
                TableKind::Offenses => self.offense_row(mp, r, sink, offense_counts),
                TableKind::Arrests => self.arrest_row(mp, r, sink),
                TableKind::Orders => self.order_row(mp, r, sink),
                TableKind::Calls => self.call_row(mp, r, sink),
                TableKind::Circumstances => self.circumstance_row(mp, r, sink, ids_as_codes),
                TableKind::Lookup | TableKind::Ignore => true,
            };
            if used {
                sink.summary.rows_used += 1;
            } else {
                sink.summary.rows_rejected += 1;
            }
        }
    }

    /// End a table: its rows counted as done, the collapses said; a flat table's state is
    /// returned for [`Builder::flat_pairs`], which runs once the table's cells are freed.
    fn table_end(&mut self, mp: &Mapped<'_>, run: TableRun, sink: &mut Sink) -> Option<FlatState> {
        self.rows_done += mp.t.len() as u64;
        let (pairs_before, persons_before, words_before) = run.before;
        self.said_collapses(mp, sink, pairs_before, persons_before, words_before);
        (mp.tp.kind == TableKind::Flat).then_some(run.flat)
    }

    /// Info diagnostics for the rows of a table that added no pair or person, and for the
    /// relationship words read as text: nothing lost and nothing invented, but said.
    fn said_collapses(&mut self, mp: &Mapped<'_>, sink: &mut Sink, pairs: u64, persons: u64, words: u64) {
        let pairs = self.collapsed_pair_rows - pairs;
        if pairs > 0 {
            let told_apart = mp.has(Field::RecordId, Side::Victim) || mp.has(Field::PersonNumber, Side::Victim);
            let why = if told_apart {
                "the export has one pair row per offence (or repeats a pair): each pair is counted once, its \
                 offences kept"
            } else {
                "no person id or number column tells the people of an incident apart, so rows with the same names \
                 and birth dates (or none) are one victim and one offender. Map the victim and suspect number \
                 columns (V1, S1) if the export has them"
            };
            sink.push(Diagnostic::file(
                Severity::Info,
                &mp.label,
                format!("{pairs} row(s) repeat the incident, victim and offender of an earlier row: {why}"),
            ));
        }
        let persons = self.collapsed_person_rows - persons;
        if persons > 0 {
            sink.push(Diagnostic::file(
                Severity::Info,
                &mp.label,
                format!(
                    "{persons} row(s) are of a person read on an earlier row (one row per person per offence): each \
                     person is counted once, the row's offences kept"
                ),
            ));
        }
        let words = self.relationship_words - words;
        if words > 0 {
            sink.push(Diagnostic::file(
                Severity::Info,
                &mp.label,
                format!(
                    "{words} value(s) of the relationship code column {} are words, not codes (e.g. {:?}): they are \
                     read as relationship text by the text classifier",
                    mp.header(Field::RelationshipCode, Side::Any),
                    self.relationship_word_example.as_deref().unwrap_or("")
                ),
            ));
        }
    }

    /// The relationship code and text of a row. A code that is not a code but a word
    /// (GIRLFRIEND, EX WIFE: in neither the NIBRS table nor the profile's own codes) is read as
    /// the relationship text when the row has none.
    fn relationship(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> (Option<Text>, Option<Text>) {
        let code = mp.get(r, Field::RelationshipCode, Side::Any, sink);
        let text = mp.get(r, Field::RelationshipText, Side::Any, sink);
        if let (Some(c), None) = (&code, &text) {
            let t = c.trim();
            let word = t.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && (t.len() > 3 || t.contains(' '))
                && t.chars().all(|c| c.is_alphabetic() || " -/'&().,".contains(c))
                && self.rel_codes.lookup(t).is_none()
                && !self.profile.relationship_codes.contains_key(&t.to_ascii_uppercase());
            if word {
                self.relationship_words += 1;
                if self.relationship_word_example.is_none() {
                    self.relationship_word_example = Some(t.to_string());
                }
                return (None, code);
            }
        }
        (code, text)
    }

    fn known_incident(&self, mp: &Mapped<'_>, r: usize, id: &str, sink: &mut Sink, what: &str) -> bool {
        match &self.incidents_file {
            Some(f) if self.incident_at(id).is_none() => {
                mp.reject(
                    sink,
                    r,
                    mp.header(Field::IncidentId, Side::Any),
                    id,
                    format!("no incident with this id in {f}: the {what} was rejected. Check that the files are from the same export"),
                );
                false
            }
            _ => true,
        }
    }

    fn incident_fields(&self, mp: &Mapped<'_>, r: usize, id: String, sink: &mut Sink) -> Incident {
        let date = if mp.has(Field::IncidentDate, Side::Any) {
            mp.date(r, Field::IncidentDate, Side::Any, sink)
        } else {
            mp.date(r, Field::ReportDate, Side::Any, sink)
        };
        let hour = match mp.raw(r, Field::IncidentHour, Side::Any) {
            "" if mp.times_in_date => time_hour(mp.raw(r, Field::IncidentDate, Side::Any)),
            "" => None,
            v => {
                let h = parse_hour(v);
                if h.is_none() {
                    mp.warn(
                        sink,
                        r,
                        Field::IncidentHour,
                        Side::Any,
                        "not an hour 0–23 or a time (13, 1345, 13:45, 1:45 PM): left empty. Fix the value in the file"
                            .into(),
                    );
                }
                h
            }
        };
        Incident {
            incident_id: id.into(),
            agency: mp.text(r, Field::Agency, Side::Any, sink),
            date,
            hour,
            narrative: mp.get(r, Field::Narrative, Side::Any, sink).map(String::from),
            domestic_flag: mp.flag(r, Field::DomesticFlag, Side::Any, sink),
            place: mp.text(r, Field::Place, Side::Any, sink),
        }
    }

    fn incident_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> bool {
        let Some(id) = mp.required(
            r,
            Field::IncidentId,
            sink,
            "empty incident id: the row was rejected; fill in the id",
        ) else {
            return false;
        };
        if self.incident_at(&id).is_some() {
            self.duplicate_ids += 1;
            mp.reject(
                sink,
                r,
                mp.header(Field::IncidentId, Side::Any),
                &id,
                "this incident id was already read on an earlier row (a duplicate record): the repeat was rejected"
                    .into(),
            );
            return false;
        }
        let inc = self.incident_fields(mp, r, id, sink);
        self.push_incident(inc);
        true
    }

    /// Store an incident and index its id; its position.
    fn push_incident(&mut self, inc: Incident) -> usize {
        let at = self.ds.incidents.len();
        self.ds.incidents.push(inc);
        let v = &self.ds.incidents;
        self.incident_index.insert(at, |i| v.incident_id(i).unwrap_or(""));
        at
    }

    /// Store a person record and index its id; its position.
    fn push_person(&mut self, p: Involvement) -> usize {
        let at = self.ds.involvements.len();
        self.ds.involvements.push(p);
        let v = &self.ds.involvements;
        self.person_index.insert(at, |i| v.record_id(i).unwrap_or(""));
        at
    }

    fn reserve_incident_ids(&mut self, n: usize) {
        let v = &self.ds.incidents;
        self.incident_index.reserve(n, |i| v.incident_id(i).unwrap_or(""));
    }

    fn reserve_person_ids(&mut self, n: usize) {
        let v = &self.ds.involvements;
        self.person_index.reserve(n, |i| v.record_id(i).unwrap_or(""));
    }

    /// The position of an incident already read.
    fn incident_at(&self, id: &str) -> Option<usize> {
        let v = &self.ds.incidents;
        self.incident_index.find(id, |i| v.incident_id(i).unwrap_or(""))
    }

    /// The position of a person record already read.
    fn person_at(&self, id: &str) -> Option<usize> {
        let v = &self.ds.involvements;
        self.person_index.find(id, |i| v.record_id(i).unwrap_or(""))
    }

    fn person(
        &self,
        mp: &Mapped<'_>,
        r: usize,
        side: Side,
        record_id: String,
        incident_id: String,
        sink: &mut Sink,
    ) -> Involvement {
        let (mut first, mut middle, mut last) = (
            mp.text(r, Field::FirstName, side, sink),
            mp.text(r, Field::MiddleName, side, sink),
            mp.text(r, Field::LastName, side, sink),
        );
        if first.is_empty() && last.is_empty() {
            if let Some(full) = mp.get(r, Field::FullName, side, sink) {
                let (f, m, l) = split_name(&full);
                (first, middle, last) = (f.into(), m.into(), l.into());
            }
        }
        let role_v = mp.raw(r, Field::Role, side);
        let role = match side {
            Side::Victim => Some(Role::Victim),
            Side::Offender => Role::parse(role_v).or(Some(Role::Offender)),
            Side::Any => {
                let parsed = Role::parse(role_v);
                if parsed.is_none() && !role_v.is_empty() {
                    mp.warn(
                        sink,
                        r,
                        Field::Role,
                        side,
                        "unknown role (expected victim, offender, suspect, arrestee, witness or other, or V, O, S, A, W): \
                         left empty. Add the agency's role codes or fix the value"
                            .into(),
                    );
                }
                parsed.or(mp.tp.role)
            }
        };
        Involvement {
            record_id: record_id.into(),
            incident_id: incident_id.into(),
            role,
            first_name: first,
            middle_name: middle,
            last_name: last,
            suffix: mp.text(r, Field::Suffix, side, sink),
            dob: mp.date(r, Field::Dob, side, sink),
            age: mp.number::<u16>(r, Field::Age, side, sink, "a whole number of years"),
            sex: mp.text(r, Field::Sex, side, sink),
            race: mp.text(r, Field::Race, side, sink),
            address: mp.text(r, Field::Address, side, sink),
            city: mp.text(r, Field::City, side, sink),
            postcode: mp.text(r, Field::Zip, side, sink),
            phone: mp.text(r, Field::Phone, side, sink),
            injuries: mp.get(r, Field::Injury, side, sink).into_iter().collect(),
        }
    }

    fn person_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> bool {
        let by_number = !mp.has(Field::RecordId, Side::Any) && mp.has(Field::PersonNumber, Side::Any);
        let rid = if by_number {
            None
        } else {
            let Some(rid) = mp.required(
                r,
                Field::RecordId,
                sink,
                "empty person record id: the row was rejected; fill in the id",
            ) else {
                return false;
            };
            Some(rid)
        };
        let Some(iid) = mp.required(
            r,
            Field::IncidentId,
            sink,
            "empty incident id: the person was rejected; fill in the id",
        ) else {
            return false;
        };
        let rid = match rid.or_else(|| mp.person_key(r, Side::Any, &iid, sink)) {
            Some(rid) => rid,
            None => {
                mp.reject(
                    sink,
                    r,
                    mp.header(Field::PersonNumber, Side::Any),
                    "",
                    "empty person number: the row was rejected; fill in the number".into(),
                );
                return false;
            }
        };
        if !self.known_incident(mp, r, &iid, sink, "person") {
            return false;
        }
        if self.person_at(&rid).is_some() {
            self.duplicate_ids += 1;
            mp.reject(
                sink,
                r,
                mp.header(Field::RecordId, Side::Any),
                mp.raw(r, Field::RecordId, Side::Any),
                "this person record id was already read on an earlier row (a duplicate record): the repeat was rejected"
                    .into(),
            );
            return false;
        }
        let p = self.person(mp, r, Side::Any, rid, iid, sink);
        self.push_person(p);
        true
    }

    /// The persons file's key of a pair's person known by number (`I1#V:3`): the key itself when
    /// the persons file has it, else the incident's person of that number numbered once across
    /// the incident (`I1#3`), else numbered within its role (`I1#offender:3`).
    fn numbered_person(&self, key: String, side: Side) -> String {
        if self.person_at(&key).is_some() {
            return key;
        }
        let (mark, roles): (&str, &[Role]) = match side {
            Side::Victim => ("#V:", &[Role::Victim]),
            _ => ("#O:", &[Role::Offender, Role::Suspect, Role::Arrestee]),
        };
        let Some((iid, n)) = key.rsplit_once(mark) else {
            return key;
        };
        std::iter::once(format!("{iid}#{n}"))
            .chain(roles.iter().map(|role| format!("{iid}#{}:{n}", role.as_str())))
            .find(|k| self.person_at(k).is_some())
            .unwrap_or(key)
    }

    fn pair_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> bool {
        let given = mp.raw(r, Field::IncidentId, Side::Any).to_string();
        let v = mp.person_key(r, Side::Victim, &given, sink);
        let o = mp.person_key(r, Side::Offender, &given, sink);
        let numbered = v.is_some() && !mp.has(Field::RecordId, Side::Victim)
            || o.is_some() && !mp.has(Field::RecordId, Side::Offender);
        if numbered && given.is_empty() {
            mp.reject(
                sink,
                r,
                mp.header(Field::IncidentId, Side::Any),
                "",
                "no incident id for the pair, whose people are known by their numbers within the incident: it was \
                 rejected"
                    .into(),
            );
            return false;
        }
        let (Some(v), Some(o)) = (v, o) else {
            let side = if mp.raw(r, Field::RecordId, Side::Victim).is_empty() {
                Side::Victim
            } else {
                Side::Offender
            };
            mp.reject(
                sink,
                r,
                mp.header(Field::RecordId, side),
                "",
                "empty victim or offender id: the pair was rejected".into(),
            );
            return false;
        };
        // People known by their numbers within the incident: the persons file may number them
        // once across the incident (victims 1, 2 and the suspect 3) or per role.
        let (v, o) = if self.persons_file.is_some() {
            let v = if mp.has(Field::RecordId, Side::Victim) {
                v
            } else {
                self.numbered_person(v, Side::Victim)
            };
            let o = if mp.has(Field::RecordId, Side::Offender) {
                o
            } else {
                self.numbered_person(o, Side::Offender)
            };
            (v, o)
        } else {
            (v, o)
        };
        let mut incident = mp.get(r, Field::IncidentId, Side::Any, sink);
        if let Some(pf) = &self.persons_file {
            for (id, side, what) in [(&v, Side::Victim, "victim"), (&o, Side::Offender, "offender")] {
                if self.person_at(id).is_none() {
                    mp.reject(
                        sink,
                        r,
                        mp.header(Field::RecordId, side),
                        mp.raw(r, Field::RecordId, side),
                        format!("no {what} with this id in {pf}: the pair was rejected. Check that the files are from the same export"),
                    );
                    return false;
                }
            }
            let (Some(vp), Some(op)) = (self.person_at(&v), self.person_at(&o)) else {
                return false;
            };
            let vi = self.ds.involvements.incident_id(vp).unwrap_or("");
            let oi = self.ds.involvements.incident_id(op).unwrap_or("");
            if vi != oi || incident.as_ref().is_some_and(|i| i != vi) {
                mp.reject(
                    sink,
                    r,
                    mp.header(Field::RecordId, Side::Offender),
                    mp.raw(r, Field::RecordId, Side::Offender),
                    "the victim and the offender belong to different incidents: the pair was rejected".into(),
                );
                return false;
            }
            incident = Some(Text::from(vi));
        }
        let Some(incident) = incident else {
            mp.reject(
                sink,
                r,
                mp.header(Field::IncidentId, Side::Any),
                "",
                "no incident id for the pair: it was rejected".into(),
            );
            return false;
        };
        let (code, text) = self.relationship(mp, r, sink);
        self.ds.pairs.push(Pair {
            incident_id: incident,
            victim_record_id: v.into(),
            offender_record_id: o.into(),
            relationship_code: code,
            relationship_text: text,
            dv_circumstance: mp.get(r, Field::DvCircumstance, Side::Any, sink).as_deref() == Some(DV_CIRCUMSTANCE_CODE),
        });
        true
    }

    /// The NIBRS code of an offence or charge: the code column, else the profile's code
    /// table on the local code or statute text.
    fn offense_code(
        &self,
        mp: &Mapped<'_>,
        r: usize,
        sink: &mut Sink,
        local: Option<&str>,
        statute: Option<&str>,
    ) -> String {
        let given = mp
            .get(r, Field::OffenseCode, Side::Any, sink)
            .map(|c| c.trim().to_ascii_uppercase());
        if let Some(c) = &given {
            if is_nibrs_offense(c) {
                return c.clone();
            }
        }
        for cand in [given.as_deref(), local, statute].into_iter().flatten() {
            if let Some(code) = self.table_code(cand) {
                return code;
            }
        }
        let (f, v) = if given.is_some() {
            (Field::OffenseCode, given.clone().unwrap_or_default())
        } else if let Some(l) = local {
            (Field::LocalOffenseCode, l.to_string())
        } else {
            (Field::Statute, statute.unwrap_or("").to_string())
        };
        if !v.is_empty() {
            mp.warn(
                sink,
                r,
                f,
                Side::Any,
                "unknown offence code: not a NIBRS code and not in the profile's offence code table. Add it to the \
                 code table (local code → NIBRS code); the offence is kept without a NIBRS code"
                    .into(),
            );
        }
        given.unwrap_or_default()
    }

    /// The NIBRS code the profile's offence code table gives `text` (looked up once per text).
    fn table_code(&self, text: &str) -> Option<String> {
        if let Some(code) = self.code_lookups.borrow().get(text) {
            return code.clone();
        }
        let code = self.profile.offense_codes.lookup(text).map(|(code, _)| code);
        self.code_lookups.borrow_mut().insert(text.into(), code.clone());
        code
    }

    /// The offences of a row's further code columns (`Crm Cd 2` … `Crm Cd 4`): one per
    /// non-empty code that no column before it on the row holds. Each is (field, code).
    fn extra_codes(mp: &Mapped<'_>, r: usize) -> Vec<(Field, String)> {
        let mut out: Vec<(Field, String)> = Vec::new();
        for &(f, _, c) in &mp.extra {
            if f == Field::Statute {
                continue;
            }
            let v = mp.t.cell(r, c).trim();
            let same = |x: &str| x.trim().eq_ignore_ascii_case(v);
            if v.is_empty()
                || same(mp.raw(r, Field::OffenseCode, Side::Any))
                || same(mp.raw(r, Field::LocalOffenseCode, Side::Any))
                || out.iter().any(|(_, x)| same(x))
            {
                continue;
            }
            out.push((f, v.to_string()));
        }
        out
    }

    /// An offence from one further code column's value.
    fn extra_offense(
        &self,
        mp: &Mapped<'_>,
        r: usize,
        sink: &mut Sink,
        (f, v): (Field, String),
        incident_id: impl Into<Text>,
        offense_id: impl Into<Text>,
    ) -> Offense {
        let (incident_id, offense_id) = (incident_id.into(), offense_id.into());
        let up = v.to_ascii_uppercase();
        let nibrs_code = if f == Field::OffenseCode && is_nibrs_offense(&up) {
            up
        } else {
            match self.table_code(&v) {
                Some(code) => code,
                None => {
                    let header = mp
                        .extra
                        .iter()
                        .find(|&&(_, _, c)| mp.t.cell(r, c).trim() == v)
                        .map(|(_, rule, _)| rule.header.as_str())
                        .unwrap_or("");
                    sink.push(Diagnostic::cell(
                        Severity::Warning,
                        &mp.label,
                        mp.t.line(r),
                        header,
                        &v,
                        "unknown offence code: not a NIBRS code and not in the profile's offence code table. Add it to \
                         the code table (local code → NIBRS code); the offence is kept without a NIBRS code",
                    ));
                    String::new()
                }
            }
        };
        Offense {
            incident_id,
            offense_id,
            nibrs_code: nibrs_code.into(),
            local_code: Some(v.into()),
            attempted: false,
            weapons: Vec::new(),
        }
    }

    fn offense_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink, counts: &mut FastMap<String, u32>) -> bool {
        let Some(iid) = mp.required(
            r,
            Field::IncidentId,
            sink,
            "empty incident id: the offence was rejected",
        ) else {
            return false;
        };
        if !self.known_incident(mp, r, &iid, sink, "offence") {
            return false;
        }
        let n = counts.entry(iid.clone()).or_insert(0);
        *n += 1;
        let offense_id = match (
            mp.get(r, Field::OffenseId, Side::Any, sink),
            mp.get(r, Field::Sequence, Side::Any, sink),
        ) {
            (Some(id), _) => id,
            (None, Some(s)) => compact_str::format_compact!("{iid}-{s}"),
            (None, None) => compact_str::format_compact!("{iid}-{n}"),
        };
        let extra = Self::extra_codes(mp, r);
        for (k, code) in extra.into_iter().enumerate() {
            let oid = format!("{offense_id}.{}", k + 2);
            let off = self.extra_offense(mp, r, sink, code, iid.clone(), oid);
            self.ds.offenses.push(off);
        }
        let off = self.offense(mp, r, sink, iid, offense_id);
        self.ds.offenses.push(off);
        true
    }

    fn offense(
        &self,
        mp: &Mapped<'_>,
        r: usize,
        sink: &mut Sink,
        incident_id: impl Into<Text>,
        offense_id: impl Into<Text>,
    ) -> Offense {
        let (incident_id, offense_id) = (incident_id.into(), offense_id.into());
        let local = mp.get(r, Field::LocalOffenseCode, Side::Any, sink);
        let statute = mp.statute(r, sink);
        let nibrs_code = self.offense_code(mp, r, sink, local.as_deref(), statute.as_deref());
        let local_code = match (local, statute) {
            (None, None) => None,
            (Some(l), None) => Some(l),
            (None, Some(s)) => Some(s.into()),
            (Some(l), Some(s)) => Some(format!("{l} {s}").trim().into()),
        };
        let attempted = matches!(
            mp.raw(r, Field::Attempted, Side::Any).to_ascii_uppercase().as_str(),
            "A" | "ATT" | "ATTEMPT" | "ATTEMPTED"
        );
        Offense {
            incident_id,
            offense_id,
            nibrs_code: nibrs_code.into(),
            local_code,
            attempted,
            weapons: mp.get(r, Field::Weapon, Side::Any, sink).into_iter().collect(),
        }
    }

    /// A victim's circumstance: code 6 marks the victim's pairs as domestic violence. The code
    /// comes through the rule's lookup table when it was read, else the value is the code.
    fn circumstance_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink, ids_as_codes: &mut bool) -> bool {
        let Some(rid) = mp.required(
            r,
            Field::RecordId,
            sink,
            "empty victim record id: the circumstance was rejected",
        ) else {
            return false;
        };
        if let Some(pf) = &self.persons_file {
            if self.person_at(&rid).is_none() {
                mp.reject(
                    sink,
                    r,
                    mp.header(Field::RecordId, Side::Any),
                    mp.raw(r, Field::RecordId, Side::Any),
                    format!(
                        "no victim with this id in {pf}: the circumstance was rejected. Check that the files are from \
                         the same export"
                    ),
                );
                return false;
            }
        }
        let Some((rule, c)) = mp.at(Field::DvCircumstance, Side::Any) else {
            return true;
        };
        let value = mp.t.cell(r, *c);
        let code = match (&rule.lookup, mp.slot_lookups[slot(Field::DvCircumstance, Side::Any)]) {
            (Some(name), Some(map)) => match map.get(value) {
                Some(code) => code.as_str(),
                None => {
                    mp.reject(
                        sink,
                        r,
                        &rule.header,
                        value,
                        format!(
                            "not in the {name} table: the circumstance was rejected. Choose the export's own {name} \
                             file, or add the value to it"
                        ),
                    );
                    return false;
                }
            },
            (Some(name), None) => {
                if !*ids_as_codes {
                    *ids_as_codes = true;
                    sink.push(Diagnostic::file(
                        Severity::Info,
                        &mp.label,
                        format!(
                            "the {name} table was not chosen: the values of {} are taken as circumstance codes \
                             ({DV_CIRCUMSTANCE_CODE} is domestic violence), as in the NIBRS extracts",
                            rule.header
                        ),
                    ));
                }
                value
            }
            (None, _) => value,
        };
        if code.trim() == DV_CIRCUMSTANCE_CODE {
            self.dv_victims.insert(rid);
        }
        true
    }

    fn arrest_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> bool {
        // A booking roster with no person id: the booking number stands for its one arrestee
        // (one booking, one person), never joined to anyone else's.
        let by_booking = !mp.has(Field::RecordId, Side::Any) && mp.has(Field::ArrestId, Side::Any);
        let rid = if by_booking {
            mp.get(r, Field::ArrestId, Side::Any, sink)
                .map(|a| format!("{a}#arrestee"))
        } else {
            (mp.get(r, Field::RecordId, Side::Any, sink)).map(Into::into)
        };
        let Some(rid) = rid else {
            let f = if by_booking { Field::ArrestId } else { Field::RecordId };
            mp.reject(
                sink,
                r,
                mp.header(f, Side::Any),
                "",
                "empty person record id: the arrest was rejected; fill in the id".into(),
            );
            return false;
        };
        let arrest_id = match (
            mp.get(r, Field::ArrestId, Side::Any, sink),
            mp.get(r, Field::Sequence, Side::Any, sink),
        ) {
            (Some(a), Some(s)) => format!("{a}-{s}"),
            (Some(a), None) => a.to_string(),
            (None, _) => format!("{}:{}", mp.label, mp.t.line(r)),
        };
        let statute = mp.statute(r, sink);
        let local = mp.get(r, Field::LocalOffenseCode, Side::Any, sink);
        let nibrs_code = self.offense_code(mp, r, sink, local.as_deref(), statute.as_deref());
        let felony = match mp.raw(r, Field::Felony, Side::Any).to_ascii_uppercase().as_str() {
            "" => None,
            "F" | "FEL" | "FELONY" | "Y" => Some(true),
            "M" | "MISD" | "MISDEMEANOR" | "MISDEMEANOUR" | "N" => Some(false),
            // Degrees: F1, F2, F3, FC (felony); M1, M2, MC (misdemeanour).
            v if v.len() == 2 && v.starts_with('F') => Some(true),
            v if v.len() == 2 && v.starts_with('M') => Some(false),
            _ => {
                mp.warn(
                    sink,
                    r,
                    Field::Felony,
                    Side::Any,
                    "not F (felony) or M (misdemeanour): left empty".into(),
                );
                None
            }
        };
        let mut incident_id = mp.get(r, Field::IncidentId, Side::Any, sink);
        if self.roster {
            let iid = self.roster_incident(mp, r, sink, incident_id.clone().map(Into::into), &rid);
            if let Some(iid) = iid {
                incident_id = Some(iid.clone().into());
                let n = {
                    let n = self.roster_offenses.entry(iid.clone()).or_insert(0);
                    *n += 1;
                    *n
                };
                let oid = format!("{iid}-{n}");
                let mut off = self.offense(mp, r, sink, iid.clone(), oid);
                off.nibrs_code = nibrs_code.clone().into();
                self.ds.offenses.push(off);
                for (k, code) in Self::extra_codes(mp, r).into_iter().enumerate() {
                    let oid = format!("{iid}-{n}.{}", k + 2);
                    let off = self.extra_offense(mp, r, sink, code, iid.clone(), oid);
                    self.ds.offenses.push(off);
                }
            }
        }
        self.ds.arrests.push(Arrest {
            arrest_id: arrest_id.into(),
            incident_id,
            record_id: rid.into(),
            date: mp.date(r, Field::ArrestDate, Side::Any, sink),
            nibrs_code: nibrs_code.into(),
            charge_text: statute.map(Into::into),
            felony,
            domestic: mp.flag(r, Field::ArrestDomestic, Side::Any, sink),
        });
        true
    }

    /// The incident of a roster's row: the case or incident number when the row has one, else
    /// the booking number; dated by the incident date, else the arrest or booking date. The
    /// arrestee is the incident's offender. `None` when the row has neither number.
    fn roster_incident(
        &mut self,
        mp: &Mapped<'_>,
        r: usize,
        sink: &mut Sink,
        incident_id: Option<String>,
        record_id: &str,
    ) -> Option<String> {
        let iid = incident_id.or_else(|| (mp.get(r, Field::ArrestId, Side::Any, sink)).map(Into::into))?;
        if self.incident_at(&iid).is_none() {
            let mut inc = self.incident_fields(mp, r, iid.clone(), sink);
            if inc.date.is_none() {
                inc.date = mp.date(r, Field::ArrestDate, Side::Any, sink);
            }
            if inc.domestic_flag.is_none() {
                inc.domestic_flag = mp.flag(r, Field::ArrestDomestic, Side::Any, sink);
            }
            self.push_incident(inc);
        }
        // One person per booking and incident: a booking's further charges are the same person.
        let pid = format!("{record_id}@{iid}");
        if self.person_at(&pid).is_none() {
            let mut p = self.person(mp, r, Side::Any, pid.clone(), iid.clone(), sink);
            if !matches!(p.role, Some(Role::Offender | Role::Suspect | Role::Arrestee)) {
                p.role = Some(Role::Arrestee);
            }
            self.push_person(p);
        }
        Some(iid)
    }

    fn order_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> bool {
        let (Some(id), Some(resp)) = (
            mp.get(r, Field::OrderId, Side::Any, sink),
            mp.get(r, Field::RespondentId, Side::Any, sink),
        ) else {
            let f = if mp.raw(r, Field::OrderId, Side::Any).is_empty() {
                Field::OrderId
            } else {
                Field::RespondentId
            };
            mp.reject(
                sink,
                r,
                mp.header(f, Side::Any),
                "",
                "empty order id or respondent: the order was rejected".into(),
            );
            return false;
        };
        self.ds.orders.push(ProtectiveOrder {
            order_id: id,
            respondent_record_id: resp,
            petitioner_record_id: mp.get(r, Field::PetitionerId, Side::Any, sink),
            issued: mp.date(r, Field::OrderIssued, Side::Any, sink),
            expires: mp.date(r, Field::OrderExpires, Side::Any, sink),
        });
        true
    }

    fn call_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink) -> bool {
        let Some(id) = mp.required(r, Field::CallId, sink, "empty call id: the call was rejected") else {
            return false;
        };
        let call_type = mp.text(r, Field::CallType, Side::Any, sink);
        let domestic = if mp.has(Field::DomesticFlag, Side::Any) {
            mp.flag(r, Field::DomesticFlag, Side::Any, sink).unwrap_or(false)
        } else {
            let up = format!("{} ", call_type.to_ascii_uppercase());
            DOMESTIC_CALL_WORDS.iter().any(|w| up.contains(w))
        };
        self.ds.calls.push(Call {
            call_id: id.into(),
            date: mp.date(r, Field::CallDate, Side::Any, sink),
            call_type,
            domestic,
            incident_id: mp.get(r, Field::IncidentId, Side::Any, sink),
        });
        true
    }

    /// A flat row: its incident (first sight) and its person(s), offence and pair.
    fn flat_row(&mut self, mp: &Mapped<'_>, r: usize, sink: &mut Sink, st: &mut FlatState) -> bool {
        let Some(iid) = mp.required(
            r,
            Field::IncidentId,
            sink,
            "empty incident id: the row was rejected; fill in the id",
        ) else {
            return false;
        };
        if self.record_of_another_incident(mp, r, &iid, st, sink) {
            return false;
        }
        let same = st
            .last_incident
            .filter(|&at| self.ds.incidents.get(at).is_some_and(|i| i.incident_id == iid));
        let incident = match same.or_else(|| self.incident_at(&iid)) {
            Some(at) => at,
            None => {
                let inc = self.incident_fields(mp, r, iid.clone(), sink);
                self.push_incident(inc)
            }
        };
        st.last_incident = Some(incident);
        let line = mp.t.line(r);
        let per_pair = st.per_pair;
        if per_pair {
            let mut ids = [String::new(), String::new()];
            for (k, side, tag) in [(0, Side::Victim, 'V'), (1, Side::Offender, 'O')] {
                let rid = match mp.person_key(r, side, &iid, sink) {
                    Some(id) => id,
                    None => {
                        // No id column: the person is known by name and date of birth within the incident.
                        let key = format!(
                            "{}|{}|{}|{}",
                            mp.raw(r, Field::LastName, side),
                            mp.raw(r, Field::FirstName, side),
                            mp.raw(r, Field::FullName, side),
                            mp.raw(r, Field::Dob, side)
                        );
                        let n = st.named.len() + 1;
                        st.named
                            .entry((iid.clone(), tag, key))
                            .or_insert_with(|| format!("{iid}-{tag}{n}"))
                            .clone()
                    }
                };
                if self.person_at(&rid).is_none() {
                    let p = self.person(mp, r, side, rid.clone(), iid.clone(), sink);
                    self.push_person(p);
                }
                ids[k] = rid;
            }
            let [v, o] = ids;
            if st.pairs.insert((iid.clone(), v.clone(), o.clone())) {
                let (code, text) = self.relationship(mp, r, sink);
                self.ds.pairs.push(Pair {
                    incident_id: iid.clone().into(),
                    victim_record_id: v.into(),
                    offender_record_id: o.into(),
                    relationship_code: code,
                    relationship_text: text,
                    dv_circumstance: false,
                });
            } else {
                self.collapsed_pair_rows += 1;
            }
        } else if let Some(side) = st.person_side {
            // One person per row (or the victim's columns only, as in incident exports with
            // the victim's age and sex): no person is made up for a row without person columns.
            let rid = match mp.person_key(r, side, &iid, sink) {
                Some(rid) => rid,
                None => {
                    // No id or number: the person is known by role, name and date of birth
                    // within the incident (a row per offence repeats them); with none of
                    // those, each row is a person.
                    let (last, first, full, dob) = (
                        mp.raw(r, Field::LastName, side),
                        mp.raw(r, Field::FirstName, side),
                        mp.raw(r, Field::FullName, side),
                        mp.raw(r, Field::Dob, side),
                    );
                    if [last, first, full, dob].iter().all(|v| v.is_empty()) {
                        let tag = if side == Side::Victim { "V" } else { "L" };
                        format!("{iid}-{tag}{line}")
                    } else {
                        // Persons of the incident so far, compared in a reused buffer: no
                        // allocation for a person seen before (the rows of a person's offences).
                        st.key_buf.clear();
                        for part in [mp.raw(r, Field::Role, side), last, first, full, dob] {
                            st.key_buf.push_str(part);
                            st.key_buf.push('|');
                        }
                        st.key_buf.make_ascii_uppercase();
                        let key = person_key_hash(&st.key_buf);
                        if st.people.insert(incident, key).is_none() {
                            // The person of an earlier row of the incident.
                            self.collapsed_person_rows += 1;
                            return self.flat_offenses(mp, r, sink, st, incident, &iid);
                        }
                        st.people_count += 1;
                        format!("{iid}-P{}", st.people_count)
                    }
                }
            };
            if self.person_at(&rid).is_some() {
                self.collapsed_person_rows += 1;
            } else {
                let p = self.person(mp, r, side, rid.clone(), iid.clone(), sink);
                let at = self.ds.involvements.len();
                match p.role {
                    Some(Role::Victim) => {
                        let relationship = self.relationship(mp, r, sink);
                        let n = st.relationships.len();
                        let rel = *st.relationship_numbers.entry(relationship).or_insert_with_key(|k| {
                            st.relationships.push(k.clone());
                            position(n)
                        });
                        st.victims.push((position(incident), position(at), rel));
                    }
                    Some(Role::Offender | Role::Suspect | Role::Arrestee) => {
                        st.offenders.push((position(incident), position(at)));
                    }
                    _ => {}
                }
                self.push_person(p);
            }
        }
        self.flat_offenses(mp, r, sink, st, incident, &iid)
    }

    /// The offences of a flat row (its main code columns and any further ones), each once per
    /// incident; `true`: the row is used.
    fn flat_offenses(
        &mut self,
        mp: &Mapped<'_>,
        r: usize,
        sink: &mut Sink,
        st: &mut FlatState,
        incident: usize,
        iid: &str,
    ) -> bool {
        let has_offense = [Field::OffenseCode, Field::Statute, Field::LocalOffenseCode]
            .iter()
            .any(|f| !mp.raw(r, *f, Side::Any).is_empty());
        if has_offense {
            // The codes, numbered once: an export repeats a few of them on millions of rows.
            st.codes_buf.clear();
            for (i, f) in [Field::OffenseCode, Field::LocalOffenseCode, Field::Statute]
                .into_iter()
                .enumerate()
            {
                if i > 0 {
                    st.codes_buf.push('|');
                }
                st.codes_buf.push_str(mp.raw(r, f, Side::Any));
            }
            let codes = match st.code_numbers.get(st.codes_buf.as_str()) {
                Some(n) => *n,
                None => {
                    let n = st.code_numbers.len() as u32;
                    st.code_numbers.insert(st.codes_buf.clone(), n);
                    n
                }
            };
            if let Some(n) = st.offenses.insert(incident, codes) {
                let oid = format!("{iid}-{n}");
                let off = self.offense(mp, r, sink, iid, oid);
                self.ds.offenses.push(off);
            }
        }
        if !mp.extra.is_empty() {
            for (f, code) in Self::extra_codes(mp, r) {
                // Keyed as a main column's code alone would be, so that a code read on another
                // row of the incident (in the main column or a further one) is one offence.
                let key = if f == Field::OffenseCode {
                    format!("{code}||")
                } else {
                    format!("|{code}|")
                };
                let number = match st.code_numbers.get(key.as_str()) {
                    Some(n) => *n,
                    None => {
                        let n = st.code_numbers.len() as u32;
                        st.code_numbers.insert(key, n);
                        n
                    }
                };
                let Some(n) = st.offenses.insert(incident, number) else {
                    continue;
                };
                let oid = format!("{iid}-{n}");
                let off = self.extra_offense(mp, r, sink, (f, code), iid, oid);
                self.ds.offenses.push(off);
            }
        }
        true
    }

    /// A record id belongs to one incident: a flat row that gives the record id of a person
    /// read for another incident is rejected, with an error naming both (the first is kept).
    fn record_of_another_incident(
        &mut self,
        mp: &Mapped<'_>,
        r: usize,
        iid: &str,
        st: &FlatState,
        sink: &mut Sink,
    ) -> bool {
        let sides: &[Side] = match (st.per_pair, &st.person_side) {
            (true, _) => &[Side::Victim, Side::Offender],
            (false, Some(side)) => std::slice::from_ref(side),
            (false, None) => &[],
        };
        for &side in sides {
            let Some(rid) = mp.key(r, Field::RecordId, side) else {
                continue;
            };
            let Some(at) = self.person_at(&rid) else { continue };
            let other = self.ds.involvements.incident_id(at).unwrap_or("");
            if other != iid {
                let reason = format!(
                    "this person record id was already read for incident {other} on an earlier row, and a record id \
                     belongs to one incident: the row was rejected (the first is kept). If the column is a person \
                     number kept across incidents, map it as the person's number instead"
                );
                self.duplicate_ids += 1;
                mp.reject(
                    sink,
                    r,
                    mp.header(Field::RecordId, side),
                    mp.raw(r, Field::RecordId, side),
                    reason,
                );
                return true;
            }
        }
        false
    }

    /// Pairs of a flat export with one row per person: each victim with each offender of the
    /// incident, the relationship from the victim's row.
    /// The flat state holds positions in the dataset, not copies of the ids.
    fn flat_pairs(&mut self, label: &str, st: FlatState, sink: &mut Sink) {
        let mut alone = 0u64;
        // Pairs made per incident, and the incidents cut at the limit (each victim with each
        // offender grows with the product: 4,500 victims and 4,500 offenders would make 20
        // million pairs from one incident).
        let mut made: FastMap<usize, usize> = FastMap::default();
        let mut cut: Vec<usize> = Vec::new();
        let mut cut_set: FastSet<usize> = FastSet::default();
        let Dataset {
            incidents,
            involvements,
            pairs,
            ..
        } = &mut self.ds;
        let id = |at: usize| involvements.record_id(at).unwrap_or("");
        // Offenders by incident: sorted by incident, in the order read within one (a stable sort).
        let mut offenders = st.offenders;
        offenders.sort_by_key(|&(inc, _)| inc);
        let none = (None, None);
        for (inc, v, rel) in st.victims {
            let (code, text) = st.relationships.get(rel as usize).unwrap_or(&none);
            let (inc, v) = (inc as usize, v as usize);
            let from = offenders.partition_point(|&(i, _)| (i as usize) < inc);
            let to = offenders.partition_point(|&(i, _)| i as usize <= inc);
            match offenders.get(from..to).filter(|offs| !offs.is_empty()) {
                Some(offs) => {
                    let iid = incidents.incident_id(inc).unwrap_or("");
                    let n = made.entry(inc).or_insert(0);
                    for &(_, o) in offs {
                        let o = o as usize;
                        if *n >= MAX_PAIRS_PER_INCIDENT {
                            if cut_set.insert(inc) {
                                cut.push(inc);
                            }
                            break;
                        }
                        *n += 1;
                        pairs.push(Pair {
                            incident_id: iid.into(),
                            victim_record_id: id(v).into(),
                            offender_record_id: id(o).into(),
                            relationship_code: code.clone(),
                            relationship_text: text.clone(),
                            dv_circumstance: false,
                        });
                    }
                }
                None => alone += 1,
            }
        }
        for inc in cut {
            let iid = incidents.incident_id(inc).unwrap_or("");
            sink.push(Diagnostic {
                severity: Severity::Warning,
                file: label.to_string(),
                row: None,
                column: Some("incident".into()),
                value: Some(iid.to_string()),
                message: format!(
                    "this incident has more victims × offenders than {MAX_PAIRS_PER_INCIDENT} pairs: only its first \
                     {MAX_PAIRS_PER_INCIDENT} victim–offender pairs were made. Check the incident in the records system \
                     (a mass event, or rows of several incidents under one number)"
                ),
            });
        }
        if alone > 0 {
            sink.push(Diagnostic::file(
                Severity::Info,
                label,
                format!("{alone} victim(s) have no offender or suspect row in their incident: they are in no victim–offender pair"),
            ));
        }
    }
}

/// A position in the dataset's tables as 4 bytes: 2^32 records would take hundreds of GB (a
/// person row alone is 64 bytes) and cannot be held in wasm32's 4 GB.
fn position(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// The key of a person of a one-person-per-row export within its incident: a 64-bit SipHash-1-3
/// (the standard library's, fixed keys) of the joined role, names and birth date. Keys are
/// compared within one incident only ([`PerIncident`]), so two persons of one incident would be
/// taken for one only if their keys collided (about one chance in 2^64 per pair of persons of an
/// incident).
fn person_key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// Values kept per incident (the persons or the offences a flat export's rows have given each
/// incident so far), looked up within their incident only.
///
/// A flat export gives an incident's rows one after the other in every export seen, and an
/// incident has a few persons and offences: each incident's values are a chain through
/// `previous`, scanned in place, and an incident that reaches [`PerIncident::CHAIN`] values
/// moves to a hash set, so that a hostile file's incident of a million rows stays linear. Rows of
/// an incident that come back after other incidents find their chain as they left it. It
/// replaced two hash sets over all the incidents' values and a map of counts, probed at random
/// (see docs/benchmarks.md, item 11); it takes 12 bytes a person, 8 an offence and 8 an incident.
#[derive(Default)]
struct PerIncident<T> {
    /// The last value of each incident (an index into `values`), by incident position.
    last: Vec<u32>,
    /// The number of values of each incident, by incident position.
    count: Vec<u32>,
    values: Vec<T>,
    /// The value before each value in its incident's chain.
    previous: Vec<u32>,
    /// The values of incidents with `CHAIN` or more of them.
    many: FastSet<(u32, T)>,
}

impl<T: Copy + Eq + std::hash::Hash> PerIncident<T> {
    const NONE: u32 = u32::MAX;
    /// Values of one incident scanned in a chain before they move to the hash set.
    const CHAIN: u32 = 16;

    /// Add `value` to the incident at position `incident`: the incident's number of values when
    /// it is new, `None` when the incident has it already.
    fn insert(&mut self, incident: usize, value: T) -> Option<u32> {
        let key = position(incident);
        if self.count.len() <= incident {
            self.count.resize(incident + 1, 0);
            self.last.resize(incident + 1, Self::NONE);
        }
        let n = self.count[incident];
        if n >= Self::CHAIN {
            if !self.many.insert((key, value)) {
                return None;
            }
        } else {
            let mut at = self.last[incident];
            while at != Self::NONE {
                let k = at as usize;
                if self.values[k] == value {
                    return None;
                }
                at = self.previous[k];
            }
            if n + 1 == Self::CHAIN {
                // The incident's values move to the hash set: its next lookups are there.
                let mut at = self.last[incident];
                while at != Self::NONE {
                    self.many.insert((key, self.values[at as usize]));
                    at = self.previous[at as usize];
                }
                self.many.insert((key, value));
            } else {
                self.previous.push(self.last[incident]);
                self.last[incident] = position(self.values.len());
                self.values.push(value);
            }
        }
        self.count[incident] = n + 1;
        Some(n + 1)
    }
}

/// The state of one table's import that its rows share.
struct TableRun {
    /// Hashes of the rows read, to reject a row that repeats an earlier one.
    seen: FastSet<u64>,
    flat: FlatState,
    /// Offences numbered per incident (an offence file without offence ids).
    offense_counts: FastMap<String, u32>,
    /// The collapsed pair and person rows and the relationship words before the table.
    before: (u64, u64, u64),
    /// Circumstance ids read as codes (their lookup table was not chosen): said once.
    ids_as_codes: bool,
}

#[derive(Default)]
struct FlatState {
    /// Victim and offender columns side by side: one row per pair.
    per_pair: bool,
    /// Otherwise, whose person columns the rows have (`None`: no person columns at all, as in
    /// an incident-level export).
    person_side: Option<Side>,
    /// Victims of a row-per-person export: incident and involvement positions in the dataset
    /// and the number of their relationship in `relationships` (12 bytes a victim; with the code
    /// and text inline it was 64 natively and 32 in wasm32).
    victims: Vec<(u32, u32, u32)>,
    /// The distinct relationship codes and texts of the victims, numbered in `relationship_numbers`.
    relationships: Vec<(Option<Text>, Option<Text>)>,
    relationship_numbers: FastMap<(Option<Text>, Option<Text>), u32>,
    /// Offenders of a row-per-person export: incident and involvement positions, in the order
    /// read (one vector, not a vector per incident: 8 bytes an offender instead of a map entry
    /// and an allocation per incident).
    offenders: Vec<(u32, u32)>,
    named: FastMap<(String, char, String), String>,
    /// Persons of a one-person-per-row export with no id or number, by incident: the hash of
    /// the role, names and birth date joined ([`person_key_hash`]). A hash instead of the joined
    /// text and the record id kept by incident (two allocations a person, the largest part of
    /// this state on a generated flat export: see docs/benchmarks.md); the record id made for
    /// the person is found again through the dataset's index.
    people: PerIncident<u64>,
    /// The incident of the previous row: a flat export gives an incident's rows one after the
    /// other, so its position is known without a lookup.
    last_incident: Option<usize>,
    people_count: u64,
    key_buf: String,
    pairs: FastSet<(String, String, String)>,
    /// Offences already read, by incident: the number of their codes (the count of an
    /// incident's offences numbers the next one).
    offenses: PerIncident<u32>,
    /// Offence, local code and statute text joined by `|`, numbered.
    code_numbers: FastMap<String, u32>,
    codes_buf: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values are told apart within their incident only, before and after an incident's values
    /// move from its chain to the hash set, and when an incident's rows come back after others.
    #[test]
    fn per_incident_values_are_counted_once_per_incident() {
        let mut p = PerIncident::<u32>::default();
        assert_eq!(p.insert(0, 7), Some(1));
        assert_eq!(p.insert(0, 7), None);
        assert_eq!(p.insert(2, 7), Some(1), "another incident");
        assert_eq!(p.insert(0, 8), Some(2), "the first incident again");
        assert_eq!(p.insert(2, 7), None);
        let chain = PerIncident::<u32>::CHAIN;
        let mut n = 2;
        for v in 0..3 * chain {
            let expected = if v == 7 || v == 8 {
                None
            } else {
                n += 1;
                Some(n)
            };
            assert_eq!(p.insert(0, v), expected, "value {v}");
        }
        for v in 0..3 * chain {
            assert_eq!(p.insert(0, v), None, "value {v} again, in the hash set");
        }
        assert_eq!(p.insert(1, 0), Some(1), "an incident between two others");
        assert_eq!(p.insert(2, 8), Some(2));
        assert_eq!(p.count, vec![3 * chain, 1, 2]);
    }

    #[test]
    fn names_are_split() {
        let cases = [
            ("SMITH, JOHN A", ("JOHN", "A", "SMITH")),
            ("John Adam Smith", ("John", "Adam", "Smith")),
            ("CHER", ("", "", "CHER")),
        ];
        for (full, (f, m, l)) in cases {
            assert_eq!(
                split_name(full),
                (f.to_string(), m.to_string(), l.to_string()),
                "{full}"
            );
        }
        assert_eq!(parse_flag("yes"), Some(true));
        assert_eq!(parse_flag("maybe"), None);
    }

    /// A flat export whose incidents' rows are interleaved, with a person repeated on a row of
    /// another offence and the same name and birth date in another incident: persons are told
    /// apart by incident (not by the previous row's incident alone), repeats are collapsed, and
    /// the pairs come in the order of the victims read.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn interleaved_flat_rows_keep_their_incidents_and_persons() {
        let csv = "Case No.,Occurred On,Dept,DV?,Party Type,Surname,Given Name,Born,Gender,Tie,Charge\n\
                   K-1,01/08/2022,KPD,Y,VICTIM,DOE,JANE,02/11/1990,F,WIFE,ASSAULT\n\
                   K-2,01/09/2022,KPD,Y,VICTIM,ROE,ANN,03/12/1991,F,GIRLFRIEND,ASSAULT\n\
                   K-1,01/08/2022,KPD,Y,SUSPECT,DOE,JOHN,07/30/1988,M,,ASSAULT\n\
                   K-2,01/09/2022,KPD,Y,SUSPECT,ROE,RICK,05/05/1985,M,,ASSAULT\n\
                   K-1,01/08/2022,KPD,Y,SUSPECT,DOE,JOHN,07/30/1988,M,,THREATS\n\
                   K-2,01/09/2022,KPD,Y,VICTIM,DOE,JANE,02/11/1990,F,SISTER,ASSAULT\n";
        let t = super::super::read_csv("kingsport_1252.csv", csv.as_bytes()).unwrap();
        let profile = Profile::from_json(include_str!(
            "../../../../tests/fixtures/generic/kingsport_profile.json"
        ))
        .unwrap();
        let out = import_tables(&[t], &profile).unwrap();
        let ds = &out.dataset;
        let ids = |v: Vec<&str>| v.join(" ");
        assert_eq!(ids(ds.incidents.iter().map(|i| i.incident_id).collect()), "K-1 K-2");
        assert_eq!(
            ids(ds.involvements.iter().map(|p| p.record_id).collect()),
            "K-1-P1 K-2-P2 K-1-P3 K-2-P4 K-2-P5"
        );
        assert_eq!(out.collapsed_person_rows, 1);
        let pairs: Vec<String> = ds
            .pairs
            .iter()
            .map(|p| format!("{}:{}>{}", p.incident_id, p.victim_record_id, p.offender_record_id))
            .collect();
        assert_eq!(pairs, ["K-1:K-1-P1>K-1-P3", "K-2:K-2-P2>K-2-P4", "K-2:K-2-P5>K-2-P4"]);
        assert_eq!(ds.offenses.len(), 3);
        assert_eq!(out.files[0].rows_read, 6);
        assert_eq!(out.files[0].rows_used, 6);
    }
}
