//! The analyzer's target fields and the proposal of a mapping from an export's columns to them.
//!
//! [`propose_mapping`] reads the header names (against synonym lists kept as data in
//! `data/import/synonyms.tsv`) and the values of each column (dates, NIBRS offence codes,
//! two-letter relationship codes, sex codes, roles, phone numbers, names, long text), and
//! proposes for each column a [`Target`] with a confidence and the evidence behind it, and for
//! each table what it holds ([`TableKind`]). The analyst confirms or corrects it on the mapping
//! screen; [`crate::import::profile::Profile::from_proposal`] turns the result into a profile.
//!
//! The per-column sample values in a proposal are for the screen only: they may be personal
//! data and are never written into a profile.

use super::table::Table;
use crate::classify::CodeTable;
use crate::date::{Date, SlashOrder};
use crate::model::Role;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A field of the analyzer's data model that a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    IncidentId,
    IncidentDate,
    /// The report date: the incident's date when no occurrence date is mapped.
    ReportDate,
    IncidentHour,
    Agency,
    Narrative,
    DomesticFlag,
    /// Where the incident happened: area, district, beat, neighbourhood, cross street.
    Place,
    RecordId,
    /// The person's number within the incident (V1, S2, 001): persons are distinct per
    /// incident, never global ids.
    PersonNumber,
    Role,
    FirstName,
    MiddleName,
    LastName,
    /// A whole name in one column ("LAST, FIRST MIDDLE" or "FIRST MIDDLE LAST").
    FullName,
    Suffix,
    Dob,
    Age,
    Sex,
    Race,
    Address,
    City,
    Zip,
    Phone,
    Injury,
    RelationshipCode,
    RelationshipText,
    /// NIBRS circumstance code (6 = domestic violence).
    DvCircumstance,
    OffenseId,
    /// Offence or charge sequence number within its incident or arrest.
    Sequence,
    /// NIBRS offence code (of an offence, or of an arrest's charge).
    OffenseCode,
    /// Statute or charge text.
    Statute,
    LocalOffenseCode,
    Weapon,
    Attempted,
    ArrestId,
    ArrestDate,
    Felony,
    ArrestDomestic,
    OrderId,
    RespondentId,
    PetitionerId,
    OrderIssued,
    OrderExpires,
    OrderType,
    CallId,
    CallDate,
    CallType,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 48] = [
        Field::IncidentId,
        Field::IncidentDate,
        Field::ReportDate,
        Field::IncidentHour,
        Field::Agency,
        Field::Narrative,
        Field::DomesticFlag,
        Field::Place,
        Field::RecordId,
        Field::PersonNumber,
        Field::Role,
        Field::FirstName,
        Field::MiddleName,
        Field::LastName,
        Field::FullName,
        Field::Suffix,
        Field::Dob,
        Field::Age,
        Field::Sex,
        Field::Race,
        Field::Address,
        Field::City,
        Field::Zip,
        Field::Phone,
        Field::Injury,
        Field::RelationshipCode,
        Field::RelationshipText,
        Field::DvCircumstance,
        Field::OffenseId,
        Field::Sequence,
        Field::OffenseCode,
        Field::Statute,
        Field::LocalOffenseCode,
        Field::Weapon,
        Field::Attempted,
        Field::ArrestId,
        Field::ArrestDate,
        Field::Felony,
        Field::ArrestDomestic,
        Field::OrderId,
        Field::RespondentId,
        Field::PetitionerId,
        Field::OrderIssued,
        Field::OrderExpires,
        Field::OrderType,
        Field::CallId,
        Field::CallDate,
        Field::CallType,
    ];

    /// The snake_case name used in files.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Parse the snake_case name.
    pub fn parse(s: &str) -> Option<Field> {
        serde_json::from_value(serde_json::Value::String(s.trim().to_string())).ok()
    }

    /// Fields that describe a person (and can carry a victim or offender side).
    pub fn is_person(self) -> bool {
        matches!(
            self,
            Field::RecordId
                | Field::PersonNumber
                | Field::Role
                | Field::FirstName
                | Field::MiddleName
                | Field::LastName
                | Field::FullName
                | Field::Suffix
                | Field::Dob
                | Field::Age
                | Field::Sex
                | Field::Race
                | Field::Address
                | Field::City
                | Field::Zip
                | Field::Phone
                | Field::Injury
        )
    }

    /// Fields holding dates.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::IncidentDate
                | Field::ReportDate
                | Field::Dob
                | Field::ArrestDate
                | Field::OrderIssued
                | Field::OrderExpires
                | Field::CallDate
        )
    }
}

/// Whose value a person field is, in exports with one row per victim–offender pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The row's own person (or not a person field).
    #[default]
    Any,
    Victim,
    Offender,
}

/// Where a column goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Target {
    pub field: Field,
    #[serde(default, skip_serializing_if = "is_any")]
    pub side: Side,
}

fn is_any(s: &Side) -> bool {
    *s == Side::Any
}

impl Target {
    /// A target with no side.
    pub fn of(field: Field) -> Target {
        Target { field, side: Side::Any }
    }
}

/// What one table (file or sheet) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// A flat export: incident columns repeated on rows of one person involvement or of one
    /// victim–offender pair (victim and offender columns side by side), maybe with offences.
    Flat,
    Incidents,
    /// People in incidents (one row per person per incident).
    Persons,
    /// Victim–offender pairs.
    Pairs,
    Offenses,
    Arrests,
    Orders,
    Calls,
    /// A code lookup table (id → code) used by another table's column.
    Lookup,
    /// Circumstances of victims (NIBRS `VICTIM_CIRCUMSTANCES`): a victim's record id and a
    /// circumstance code per row; code 6 (domestic violence) marks the victim's pairs.
    Circumstances,
    /// Not used.
    Ignore,
}

/// Flat or normalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One file (or sheet) with incident columns repeated.
    Flat,
    /// Separate files joined by keys.
    Normalized,
}

/// The proposal for one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnProposal {
    /// Position in the table.
    pub index: usize,
    pub header: String,
    /// `None`: not used.
    pub target: Option<Target>,
    /// 0 to 1.
    pub confidence: f32,
    /// Why, for people ("header DOB is a name for date of birth", "96% of values are dates").
    pub evidence: Vec<String>,
    /// The order of day and month in slash dates, for date columns.
    pub date_order: Option<SlashOrder>,
    /// How the dates are written ("MM/DD/YYYY"), for messages.
    pub date_format: Option<String>,
    /// Up to five distinct values, for the mapping screen only (never saved in a profile).
    pub samples: Vec<String>,
}

/// The proposal for one table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableProposal {
    pub file: String,
    pub sheet: Option<String>,
    pub kind: TableKind,
    /// Why this kind.
    pub kind_evidence: String,
    /// The role of every row when the table holds one role only (a victims file).
    pub role: Option<Role>,
    pub columns: Vec<ColumnProposal>,
    /// Headers, in order (for matching the profile next time).
    pub headers: Vec<String>,
}

/// The proposed mapping of a set of tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MappingProposal {
    pub tables: Vec<TableProposal>,
    pub layout: Layout,
    /// What is missing or doubtful, for people.
    pub notes: Vec<String>,
}

/// Upper-case, and every run of characters other than letters and digits as one underscore.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut sep = false;
    for c in h.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_alphanumeric() {
            if sep && !out.is_empty() {
                out.push('_');
            }
            sep = false;
            out.extend(c.to_uppercase());
        } else {
            sep = true;
        }
    }
    out
}

const SYNONYMS_TSV: &str = include_str!("../../data/import/synonyms.tsv");

/// The synonym lists: (field, normalized names).
pub fn synonyms() -> &'static [(Field, Vec<String>)] {
    static CELL: OnceLock<Vec<(Field, Vec<String>)>> = OnceLock::new();
    CELL.get_or_init(|| parse_synonyms(SYNONYMS_TSV))
}

/// Parse a synonym file (`field<TAB>name|name…`, `#` comments); unknown fields are skipped.
pub fn parse_synonyms(tsv: &str) -> Vec<(Field, Vec<String>)> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (f, names) = l.split_once('\t')?;
            let field = Field::parse(f)?;
            Some((
                field,
                names
                    .split('|')
                    .map(normalize_header)
                    .filter(|s| !s.is_empty())
                    .collect(),
            ))
        })
        .collect()
}

const VICTIM_MARKS: [&str; 4] = ["VICTIM", "VICT", "VIC", "V"];
const OFFENDER_MARKS: [&str; 8] = ["OFFENDER", "OFF", "SUSPECT", "SUSP", "SUS", "PERP", "S", "O"];

/// Split a victim or offender mark off a normalized header: `VIC_DOB` → (Victim, `DOB`).
fn split_side(h: &str) -> Option<(Side, &str)> {
    for (side, marks) in [(Side::Victim, &VICTIM_MARKS[..]), (Side::Offender, &OFFENDER_MARKS[..])] {
        for m in marks {
            if let Some(rest) = h.strip_prefix(m).and_then(|r| r.strip_prefix('_')) {
                if !rest.is_empty() {
                    return Some((side, rest));
                }
            }
            if let Some(rest) = h.strip_suffix(m).and_then(|r| r.strip_suffix('_')) {
                if !rest.is_empty() && m.len() > 1 {
                    return Some((side, rest));
                }
            }
        }
    }
    None
}

/// The field a header names, with a confidence and the evidence.
fn from_header(header: &str) -> Option<(Target, f32, String)> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let syn = synonyms();
    let exact = |name: &str| {
        syn.iter()
            .find(|(_, names)| names.iter().any(|n| n == name))
            .map(|(f, _)| *f)
    };
    if let Some(f) = exact(&h) {
        return Some((
            Target::of(f),
            0.9,
            format!("header {header:?} is a usual name for {}", f.as_str()),
        ));
    }
    if let Some((side, rest)) = split_side(&h) {
        if let Some(f) = exact(rest) {
            if f.is_person() || matches!(f, Field::RelationshipCode | Field::RelationshipText) {
                let side = if f.is_person() { side } else { Side::Any };
                return Some((
                    Target { field: f, side },
                    0.85,
                    format!("header {header:?} names the {} of the {side:?}", f.as_str()).to_lowercase(),
                ));
            }
        }
    }
    // A synonym of at least four letters inside the header, on underscore boundaries.
    let padded = format!("_{h}_");
    let mut best: Option<(Field, usize)> = None;
    for (f, names) in syn {
        for n in names {
            if n.len() >= 4 && padded.contains(&format!("_{n}_")) && best.is_none_or(|(_, l)| n.len() > l) {
                best = Some((*f, n.len()));
            }
        }
    }
    best.map(|(f, _)| {
        let side = match split_side(&h) {
            Some((s, _)) if f.is_person() => s,
            _ => Side::Any,
        };
        (
            Target { field: f, side },
            0.55,
            format!("header {header:?} contains a name for {}", f.as_str()),
        )
    })
}

/// NIBRS Group A and B offence codes.
pub const NIBRS_OFFENSE_CODES: [&str; 71] = [
    "09A", "09B", "09C", "100", "11A", "11B", "11C", "11D", "120", "13A", "13B", "13C", "200", "210", "220", "23A",
    "23B", "23C", "23D", "23E", "23F", "23G", "23H", "240", "250", "26A", "26B", "26C", "26D", "26E", "26F", "26G",
    "26H", "270", "280", "290", "35A", "35B", "36A", "36B", "370", "39A", "39B", "39C", "39D", "40A", "40B", "40C",
    "510", "520", "64A", "64B", "720", "90A", "90B", "90C", "90D", "90E", "90F", "90G", "90H", "90I", "90J", "90Z",
    "11E", "13D", "26I", "36C", "40D", "90K", "90L",
];

/// Whether a value is a NIBRS offence code.
pub fn is_nibrs_offense(v: &str) -> bool {
    let v = v.trim();
    NIBRS_OFFENSE_CODES.iter().any(|c| c.eq_ignore_ascii_case(v))
}

/// What the values of a column look like.
#[derive(Debug, Default, Clone)]
struct ValueStats {
    n: usize,
    date: usize,
    day_first: bool,
    formats: Vec<(&'static str, usize)>,
    offense: usize,
    rel: usize,
    sex: usize,
    role: usize,
    phone: usize,
    flag: usize,
    small_int: usize,
    name: usize,
    long_text: usize,
    injury: usize,
    total_len: usize,
}

impl ValueStats {
    fn share(&self, k: usize) -> f32 {
        if self.n == 0 {
            0.0
        } else {
            k as f32 / self.n as f32
        }
    }
    fn pct(&self, k: usize) -> String {
        format!("{:.0}%", 100.0 * self.share(k))
    }
    fn date_format(&self) -> Option<String> {
        self.formats.iter().max_by_key(|(_, n)| *n).map(|(f, _)| f.to_string())
    }
}

/// The written form of a date value ("MM/DD/YYYY"), or `None` when it is not a date
/// ([`Date::form`]).
pub fn date_form(v: &str, day_first: bool) -> Option<&'static str> {
    let order = if day_first {
        SlashOrder::DayFirst
    } else {
        SlashOrder::MonthFirst
    };
    Date::form(v, order)
}

fn stats(values: &[&str], codes: &CodeTable) -> ValueStats {
    let mut s = ValueStats::default();
    let order = SlashOrder::infer(values.iter().copied());
    s.day_first = order == SlashOrder::DayFirst;
    for v in values {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        s.n += 1;
        s.total_len += v.chars().count();
        let up = v.to_ascii_uppercase();
        if let Some(f) = Date::form(v, order) {
            s.date += 1;
            match s.formats.iter_mut().find(|(k, _)| *k == f) {
                Some(e) => e.1 += 1,
                None => s.formats.push((f, 1)),
            }
        }
        if is_nibrs_offense(v) {
            s.offense += 1;
        }
        if v.len() == 2 && codes.lookup(v).is_some() {
            s.rel += 1;
        }
        if matches!(up.as_str(), "M" | "F" | "U" | "X" | "MALE" | "FEMALE" | "UNKNOWN") {
            s.sex += 1;
        }
        if Role::parse(v).is_some() && v.len() > 1 {
            s.role += 1;
        }
        let digits = v.bytes().filter(u8::is_ascii_digit).count();
        if (digits == 10 || (digits == 11 && v.starts_with('1')))
            && v.bytes().all(|b| b.is_ascii_digit() || b" ()-.+".contains(&b))
        {
            s.phone += 1;
        }
        if matches!(
            up.as_str(),
            "Y" | "N" | "YES" | "NO" | "TRUE" | "FALSE" | "T" | "F" | "0" | "1"
        ) {
            s.flag += 1;
        }
        if v.parse::<u32>().is_ok_and(|n| n <= 120) {
            s.small_int += 1;
        }
        if v.len() <= 25
            && v.chars().all(|c| c.is_alphabetic() || " '-.,".contains(c))
            && v.chars().any(char::is_alphabetic)
        {
            s.name += 1;
        }
        if v.chars().count() > 60 && v.contains(' ') {
            s.long_text += 1;
        }
        if v.len() == 1 && "NBILMOTU".contains(&up) {
            s.injury += 1;
        }
    }
    s
}

/// Check a header's proposal against the values; `None` drops it.
fn check_values(t: Target, conf: f32, s: &ValueStats, ev: &mut Vec<String>) -> f32 {
    if s.n == 0 {
        ev.push("the column is empty".into());
        return conf * 0.8;
    }
    let f = t.field;
    let (ok, what) = if f.is_date() {
        (s.share(s.date), "dates")
    } else {
        match f {
            Field::OffenseCode => (s.share(s.offense), "NIBRS offence codes"),
            Field::RelationshipCode => (s.share(s.rel), "relationship codes"),
            Field::Sex => (s.share(s.sex), "sex codes"),
            Field::Phone => (s.share(s.phone), "phone numbers"),
            Field::DomesticFlag | Field::ArrestDomestic => (s.share(s.flag), "yes/no flags"),
            Field::Age | Field::IncidentHour => (s.share(s.small_int), "small whole numbers"),
            Field::FirstName | Field::LastName | Field::MiddleName => (s.share(s.name), "names"),
            Field::Role => (s.share(s.role), "roles"),
            _ => return conf,
        }
    };
    ev.push(format!("{:.0}% of the values are {what}", ok * 100.0));
    if ok >= 0.8 {
        (conf + 0.08).min(0.99)
    } else if ok >= 0.3 {
        conf
    } else if matches!(f, Field::OffenseCode | Field::RelationshipCode) {
        // Local codes: still the right column, but they need a code table.
        ev.push("the values are not standard codes: add them to the profile's code table".into());
        conf * 0.8
    } else {
        conf * 0.5
    }
}

/// A proposal from the values alone, for a header nobody named.
fn from_values(s: &ValueStats) -> Option<(Target, f32, String)> {
    if s.n == 0 {
        return None;
    }
    let cands = [
        (s.offense, Field::OffenseCode, 0.6, "NIBRS offence codes"),
        (s.rel, Field::RelationshipCode, 0.55, "two-letter relationship codes"),
        (s.sex, Field::Sex, 0.6, "sex codes"),
        (s.role, Field::Role, 0.5, "roles"),
        (s.phone, Field::Phone, 0.55, "phone numbers"),
        (s.long_text, Field::Narrative, 0.45, "long texts"),
        (s.date, Field::IncidentDate, 0.35, "dates"),
    ];
    cands
        .iter()
        .find(|(k, ..)| s.share(*k) >= 0.85)
        .map(|(k, f, c, what)| (Target::of(*f), *c, format!("{} of the values are {what}", s.pct(*k))))
}

/// Propose a mapping for every table.
pub fn propose_mapping(tables: &[Table]) -> MappingProposal {
    let codes = CodeTable::nibrs_default();
    let mut out = MappingProposal {
        tables: Vec::new(),
        layout: Layout::Normalized,
        notes: Vec::new(),
    };
    for t in tables {
        let n = t.len().min(500);
        let mut columns = Vec::with_capacity(t.width());
        for (i, h) in t.headers.iter().enumerate() {
            let values: Vec<&str> = (0..n).map(|r| t.cell(r, i)).filter(|v| !v.is_empty()).collect();
            let s = stats(&values, &codes);
            let mut evidence = Vec::new();
            let (target, confidence) = match from_header(h) {
                Some((tg, c, e)) => {
                    evidence.push(e);
                    let c = check_values(tg, c, &s, &mut evidence);
                    (Some(tg), c)
                }
                None => match from_values(&s) {
                    Some((tg, c, e)) => {
                        evidence.push(e);
                        (Some(tg), c)
                    }
                    None => {
                        evidence.push("no usual name and no recognised values: not used".into());
                        (None, 0.0)
                    }
                },
            };
            let mut samples: Vec<String> = Vec::new();
            for v in &values {
                if samples.len() >= 5 {
                    break;
                }
                if !samples.iter().any(|x| x == v) {
                    samples.push(crate::diag::shorten(v));
                }
            }
            let is_date = target.is_some_and(|t| t.field.is_date());
            columns.push(ColumnProposal {
                index: i,
                header: h.clone(),
                target,
                confidence,
                evidence,
                date_order: is_date.then_some(if s.day_first {
                    SlashOrder::DayFirst
                } else {
                    SlashOrder::MonthFirst
                }),
                date_format: if is_date { s.date_format() } else { None },
                samples,
            });
        }
        dedupe_targets(&mut columns);
        let (kind, kind_evidence, role) = infer_kind(&t.file, t.sheet.as_deref(), &mut columns);
        out.tables.push(TableProposal {
            file: t.file.clone(),
            sheet: t.sheet.clone(),
            kind,
            kind_evidence,
            role,
            columns,
            headers: t.headers.clone(),
        });
    }
    if out.tables.iter().any(|t| t.kind == TableKind::Flat) {
        out.layout = Layout::Flat;
    }
    for tp in &out.tables {
        for (field, what) in required_fields(tp.kind) {
            if !tp.columns.iter().any(|c| c.target.is_some_and(|t| t.field == *field)) {
                out.notes.push(format!(
                    "{}: no column was recognised as {what}; map one on the mapping screen or the file cannot be used",
                    tp.file
                ));
            }
        }
    }
    out
}

/// The fields a table of a kind cannot do without, with a description for people.
pub fn required_fields(kind: TableKind) -> &'static [(Field, &'static str)] {
    match kind {
        TableKind::Flat | TableKind::Incidents | TableKind::Offenses => &[(
            Field::IncidentId,
            "the incident number (INCIDENT_ID, CASE_NO, REPORT_NO, ...)",
        )],
        TableKind::Persons => &[
            (Field::RecordId, "the person record id (PERSON_ID, NAME_ID, ...)"),
            (Field::IncidentId, "the incident number (INCIDENT_ID, CASE_NO, ...)"),
        ],
        TableKind::Pairs => &[(
            Field::RecordId,
            "the victim's and the offender's record ids (VICTIM_ID, OFFENDER_ID)",
        )],
        TableKind::Arrests => &[(Field::RecordId, "the arrested person's record id")],
        TableKind::Orders => &[
            (Field::OrderId, "the order number"),
            (Field::RespondentId, "the respondent's record id"),
        ],
        TableKind::Calls => &[(Field::CallId, "the call number")],
        TableKind::Circumstances => &[
            (Field::RecordId, "the victim's record id (VICTIM_ID)"),
            (Field::DvCircumstance, "the circumstance code or id (CIRCUMSTANCES_ID)"),
        ],
        TableKind::Lookup | TableKind::Ignore => &[],
    }
}

/// Keep one column per target: the most confident; the others are left unmapped.
fn dedupe_targets(columns: &mut [ColumnProposal]) {
    for i in 0..columns.len() {
        let Some(t) = columns[i].target else { continue };
        for j in 0..columns.len() {
            if i == j || columns[j].target != Some(t) {
                continue;
            }
            // Keep the earlier of equals (the usual order of exports: the main column first).
            let loses = columns[j].confidence < columns[i].confidence
                || (columns[j].confidence == columns[i].confidence && j > i);
            if loses {
                let winner = columns[i].header.clone();
                columns[j].target = None;
                columns[j].evidence.push(format!(
                    "column {winner:?} is a better match for {}: this one is not used",
                    t.field.as_str()
                ));
            }
        }
    }
    // An occurrence date wins the incident date; a second date column becomes the report date.
}

fn has(columns: &[ColumnProposal], f: Field) -> bool {
    columns.iter().any(|c| c.target.is_some_and(|t| t.field == f))
}

fn has_side(columns: &[ColumnProposal], side: Side) -> bool {
    columns.iter().any(|c| c.target.is_some_and(|t| t.side == side))
}

fn rename(columns: &mut [ColumnProposal], from: Field, to: Field, why: &str) {
    if has(columns, to) {
        return;
    }
    for c in columns.iter_mut() {
        if let Some(t) = c.target.as_mut() {
            if t.field == from {
                t.field = to;
                c.evidence.push(why.to_string());
                return;
            }
        }
    }
}

/// What a table holds, from its fields and its name.
fn infer_kind(file: &str, sheet: Option<&str>, cols: &mut [ColumnProposal]) -> (TableKind, String, Option<Role>) {
    let name = format!(
        "{} {}",
        file.rsplit(['/', '\\']).next().unwrap_or(file),
        sheet.unwrap_or("")
    )
    .to_ascii_lowercase();
    let by_name = [
        ("relationship", TableKind::Pairs),
        ("pair", TableKind::Pairs),
        ("arrest", TableKind::Arrests),
        ("order", TableKind::Orders),
        ("call", TableKind::Calls),
        ("cad", TableKind::Calls),
        ("offense", TableKind::Offenses),
        ("offence", TableKind::Offenses),
        ("charge", TableKind::Offenses),
        ("person", TableKind::Persons),
        ("people", TableKind::Persons),
        ("victim", TableKind::Persons),
        ("offender", TableKind::Persons),
        ("suspect", TableKind::Persons),
        ("involve", TableKind::Persons),
        ("incident", TableKind::Incidents),
    ]
    .iter()
    .find(|(k, _)| name.contains(k))
    .map(|(_, kind)| *kind);
    let person_any = [
        Field::FirstName,
        Field::LastName,
        Field::FullName,
        Field::Dob,
        Field::Role,
    ]
    .iter()
    .any(|f| {
        cols.iter()
            .any(|c| c.target.is_some_and(|t| t.field == *f && t.side == Side::Any))
    });
    let sided = has_side(cols, Side::Victim) && has_side(cols, Side::Offender);
    let incident_info = [
        Field::IncidentDate,
        Field::ReportDate,
        Field::Narrative,
        Field::DomesticFlag,
    ]
    .iter()
    .any(|f| has(cols, *f));
    let rel = has(cols, Field::RelationshipCode) || has(cols, Field::RelationshipText);
    let offense = has(cols, Field::OffenseCode) || has(cols, Field::Statute) || has(cols, Field::LocalOffenseCode);
    let (kind, why) = if sided && (incident_info || offense) {
        (
            TableKind::Flat,
            "victim and offender columns side by side with incident columns: one row per pair",
        )
    } else if sided {
        (
            TableKind::Pairs,
            "victim and offender columns: one row per victim–offender pair",
        )
    } else if person_any && incident_info {
        (
            TableKind::Flat,
            "person columns with incident columns: one row per person involvement",
        )
    } else if has(cols, Field::ArrestId) || has(cols, Field::ArrestDate) {
        (TableKind::Arrests, "arrest columns")
    } else if has(cols, Field::OrderId) || has(cols, Field::RespondentId) {
        (TableKind::Orders, "protective order columns")
    } else if has(cols, Field::CallId) && (has(cols, Field::CallType) || has(cols, Field::CallDate)) && !person_any {
        (TableKind::Calls, "call-for-service columns")
    } else if person_any {
        (TableKind::Persons, "person columns (names, dates of birth, roles)")
    } else if offense && has(cols, Field::IncidentId) {
        (TableKind::Offenses, "offence columns")
    } else if rel {
        (TableKind::Pairs, "relationship columns")
    } else if has(cols, Field::IncidentId) && incident_info {
        (TableKind::Incidents, "incident columns (dates, narrative, flags)")
    } else {
        match by_name {
            Some(k) => (k, "the file's name"),
            None => (TableKind::Ignore, "no recognised columns"),
        }
    };
    let mut role = None;
    match kind {
        TableKind::Incidents => rename(
            cols,
            Field::RecordId,
            Field::IncidentId,
            "in an incident table, the id is the incident's",
        ),
        TableKind::Calls => rename(
            cols,
            Field::IncidentDate,
            Field::CallDate,
            "in a call table, the date is the call's",
        ),
        TableKind::Arrests => rename(
            cols,
            Field::IncidentDate,
            Field::ArrestDate,
            "in an arrest table, the date is the arrest's",
        ),
        TableKind::Persons => {
            if name.contains("victim") {
                role = Some(Role::Victim);
            } else if name.contains("offender") || name.contains("suspect") {
                role = Some(Role::Offender);
            }
        }
        _ => {}
    }
    // Two date columns in an incident table: the later-named report date stays a report date.
    (kind, why.to_string(), role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_their_fields() {
        let cases: [(&str, Option<(Field, Side)>); 16] = [
            ("DOB", Some((Field::Dob, Side::Any))),
            ("BIRTH_DATE", Some((Field::Dob, Side::Any))),
            ("Date of Birth", Some((Field::Dob, Side::Any))),
            ("FNAME", Some((Field::FirstName, Side::Any))),
            ("LAST", Some((Field::LastName, Side::Any))),
            ("Surname", Some((Field::LastName, Side::Any))),
            ("REL", Some((Field::RelationshipCode, Side::Any))),
            ("VIC_OFF_REL", Some((Field::RelationshipCode, Side::Any))),
            ("Relationship to Offender", Some((Field::RelationshipCode, Side::Any))),
            ("OFFENSE_CODE", Some((Field::OffenseCode, Side::Any))),
            ("UCR", Some((Field::OffenseCode, Side::Any))),
            ("STATUTE", Some((Field::Statute, Side::Any))),
            ("VIC_DOB", Some((Field::Dob, Side::Victim))),
            ("SUSPECT LAST NAME", Some((Field::LastName, Side::Offender))),
            ("VICTIM_ID", Some((Field::RecordId, Side::Victim))),
            ("zzz", None),
        ];
        for (h, want) in cases {
            assert_eq!(from_header(h).map(|(t, ..)| (t.field, t.side)), want, "{h}");
        }
    }

    #[test]
    fn every_synonym_line_names_a_field() {
        let lines = SYNONYMS_TSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(synonyms().len(), lines);
        for f in Field::ALL {
            assert_eq!(Field::parse(&f.as_str()), Some(f));
        }
    }
}
