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

use super::profile::OffenseCodeTable;
use super::table::Table;
use crate::classify::CodeTable;
use crate::date::{Date, SlashOrder};
use crate::limits::MAX_HEADER_SEARCHED_BYTES;
use crate::model::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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

    /// Person fields that say who or what a person is (not an id or number, and not an address,
    /// city or ZIP code, which in an incident export are the incident's location).
    pub fn describes_a_person(self) -> bool {
        self.is_person()
            && !matches!(
                self,
                Field::RecordId | Field::PersonNumber | Field::Address | Field::City | Field::Zip
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
    normalize(h, true)
}

/// A header in upper case with words joined by `_`; with `camel`, a lower-case letter or a
/// digit followed by an upper-case one starts a new word (`IncidentNumber` → `INCIDENT_NUMBER`,
/// `VictimSeq` → `VICTIM_SEQ`), as records-management exports write their headers.
fn normalize(h: &str, camel: bool) -> String {
    let mut out = String::with_capacity(h.len() + 4);
    let mut sep = false;
    let mut prev_lower = false;
    for c in h.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_alphanumeric() {
            if camel && prev_lower && c.is_uppercase() {
                sep = true;
            }
            if sep && !out.is_empty() {
                out.push('_');
            }
            sep = false;
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            out.extend(c.to_uppercase());
        } else {
            sep = true;
            prev_lower = false;
        }
    }
    out
}

/// A normalized header without the numbers of a numbered series (`CHARGE_1_TYPE` →
/// `CHARGE_TYPE`, Dallas' `DATE1_OF_OCCURRENCE` → `DATE_OF_OCCURRENCE`): the name the series'
/// columns share.
fn without_numbers(h: &str) -> String {
    h.split('_')
        .map(|w| {
            if w.chars().any(|c| c.is_alphabetic()) {
                w.trim_end_matches(|c: char| c.is_ascii_digit())
            } else {
                ""
            }
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Words of a date column's header that name an event after the incident (a jail release, a
/// court date, a record's update): such a date is not the incident's, the report's or the arrest's.
const LATER_EVENTS: [&str; 7] = [
    "RELEASE",
    "RELEASED",
    "DISCHARGE",
    "COURT",
    "DISPOSITION",
    "UPDATED",
    "UPDATE",
];

/// The dates of the incident, its report and its arrest (not an order's or a call's own dates).
fn incident_date_field(f: Field) -> bool {
    matches!(f, Field::IncidentDate | Field::ReportDate | Field::ArrestDate)
}

/// Whether a normalized header names an event after the incident ([`LATER_EVENTS`]).
fn later_event(h: &str) -> bool {
    h.split('_').any(|w| LATER_EVENTS.contains(&w))
}

/// Synonyms too general to be read inside a longer header ("Description" alone is the
/// offence's text in Chicago's export; "Location Description" is not an offence).
const WHOLE_HEADER_ONLY: [&str; 3] = ["DESCRIPTION", "TYPE", "OFFENSE"];

const SYNONYMS_TSV: &str = include_str!("../../data/import/synonyms.tsv");

/// The synonym lists: (field, normalized names).
pub fn synonyms() -> &'static [(Field, Vec<String>)] {
    static CELL: OnceLock<Vec<(Field, Vec<String>)>> = OnceLock::new();
    CELL.get_or_init(|| parse_synonyms(SYNONYMS_TSV))
}

/// Each usual name's field (the first field that lists it, as a search of [`synonyms`] in order
/// finds it), looked up in constant time: every column's header is looked up three times.
fn synonym_index() -> &'static HashMap<&'static str, Field> {
    static CELL: OnceLock<HashMap<&'static str, Field>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut m = HashMap::new();
        for (f, names) in synonyms() {
            for n in names {
                m.entry(n.as_str()).or_insert(*f);
            }
        }
        m
    })
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

/// Split a victim or offender mark off a normalized header: `VIC_DOB` → (Victim, `DOB`);
/// the long marks also glued to a short rest (New Orleans' `OffenderID`: (Offender, `ID`)).
fn split_side(h: &str) -> Option<(Side, &str)> {
    for (side, marks) in [(Side::Victim, &VICTIM_MARKS[..]), (Side::Offender, &OFFENDER_MARKS[..])] {
        for m in marks {
            if m.len() >= 6 {
                if let Some(rest) = h.strip_prefix(m) {
                    if matches!(
                        rest,
                        "ID" | "NO" | "NUM" | "NUMBER" | "AGE" | "SEX" | "RACE" | "DOB" | "NAME"
                    ) {
                        return Some((side, rest));
                    }
                }
            }
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

/// What follows a victim or offender mark in the header of a person's number within the
/// incident (`VIC_SEQ`, `SUSPECT_NO`).
const PERSON_NUMBER_WORDS: [&str; 10] = [
    "NUMBER",
    "NO",
    "NUM",
    "NBR",
    "SEQ",
    "SEQUENCE",
    "SEQ_NO",
    "SEQ_NUM",
    "SEQUENCE_NUMBER",
    "SEQ_NUMBER",
];

/// The field a header names, with a confidence and the evidence.
fn from_header(header: &str) -> Option<(Target, f32, String)> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let syn = synonyms();
    let exact = |name: &str| synonym_index().get(name).copied();
    // The header as written (`CrimeCode` as one word), then split at its case changes
    // (`IncidentNumber`), then without the numbers of a series (`CHARGE 2 TYPE`).
    let flat = normalize(header, false);
    let bare = without_numbers(&h);
    let named = [flat.as_str(), h.as_str(), bare.as_str()]
        .into_iter()
        .find_map(|name| exact(name).map(|f| (f, name.to_string())));
    if let Some((f, name)) = named {
        let h = name;
        // VICTIM_NUMBER, SUSPECT_NO: a person field whose usual name carries the side.
        let side = match split_side(&h) {
            Some((side, _)) if f.is_person() => side,
            _ => Side::Any,
        };
        return Some((
            Target { field: f, side },
            0.9,
            format!("header {header:?} is a usual name for {}", f.as_str()),
        ));
    }
    if let Some((side, rest)) = split_side(&h) {
        // VIC_SEQ, SUSP_NO, V_NUM: the person's number within the incident.
        if PERSON_NUMBER_WORDS.contains(&rest) {
            return Some((
                Target {
                    field: Field::PersonNumber,
                    side,
                },
                0.85,
                format!("header {header:?} numbers the {side:?}s of the incident").to_lowercase(),
            ));
        }
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
    // A synonym of at least four letters inside the header, on underscore boundaries (not in a
    // header longer than any export writes: see the limit).
    // A header of one word holds a usual name only as the whole of it, which was looked up
    // above: nothing to search (a header of a million columns `c1`…`c1000000` costs a lookup
    // each).
    if h.len() > MAX_HEADER_SEARCHED_BYTES || !h.contains('_') {
        return None;
    }
    let mut best: Option<(Field, usize)> = None;
    for (f, names) in syn {
        for n in names {
            if n.len() >= 4
                && !WHOLE_HEADER_ONLY.contains(&n.as_str())
                && contains_word(&h, n)
                && best.is_none_or(|(_, l)| n.len() > l)
            {
                best = Some((*f, n.len()));
            }
        }
    }
    // "Release Date", "Court Date": a date of what came after, never the incident's.
    if best.is_some_and(|(f, _)| incident_date_field(f)) && later_event(&h) {
        return None;
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

/// Whether `word` is in `h` between underscores or at its ends (`h` padded with `_` on both
/// sides contains `_word_`), without building either string.
fn contains_word(h: &str, word: &str) -> bool {
    let b = h.as_bytes();
    h.match_indices(word).any(|(i, _)| {
        let end = i + word.len();
        (i == 0 || b[i - 1] == b'_') && (end == b.len() || b[end] == b'_')
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
    /// Roles including one-letter codes (V, S, O, A, W): enough for a column whose header names
    /// a role, not for proposing a role from values alone.
    role_code: usize,
    phone: usize,
    flag: usize,
    small_int: usize,
    name: usize,
    long_text: usize,
    injury: usize,
    total_len: usize,
    /// Relationship words (GIRLFRIEND, EX WIFE): values the relationship text classifier reads.
    rel_word: usize,
    rel_word_examples: Vec<String>,
    /// Offence words (ASSAULT, BATTERY - SIMPLE): values the statute keyword table reads.
    offence_word: usize,
    offence_word_examples: Vec<String>,
    /// Short numbers of a person within an incident: V1, S2, 001, 1.
    person_no: usize,
    /// Of those, with a victim (V) or an offender (S, O) letter.
    person_no_victim: usize,
    person_no_offender: usize,
    person_no_examples: Vec<String>,
    /// Hours of the day (13, 1345, 13:45, 1:45 PM).
    hour: usize,
    /// Distinct values.
    distinct: usize,
    /// Sentences ("S1 struck V."): narratives, however short.
    sentence: usize,
    /// Values that are only digits.
    digits_only: usize,
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
    fn avg_len(&self) -> f32 {
        if self.n == 0 {
            0.0
        } else {
            self.total_len as f32 / self.n as f32
        }
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

/// A whole number written as an integer or with a zero fraction ("23", "23.0", "23.00"), as
/// spreadsheets and statistics packages export them.
pub fn whole_number(v: &str) -> Option<u64> {
    let v = v.trim();
    let int = match v.split_once('.') {
        Some((i, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => i,
        Some(_) => return None,
        None => v,
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    int.parse().ok()
}

/// The hour of the day in a time value: "13", "13.0", "1345" (HHMM, as LAPD's TIME OCC),
/// "13:45", "13:45:00", "1:45 PM", "01:45:00 PM"; `None` when it is not one.
pub fn parse_hour(v: &str) -> Option<u8> {
    let up = v.trim().to_ascii_uppercase();
    let (clock, pm) = match (up.strip_suffix("PM"), up.strip_suffix("AM")) {
        (Some(c), _) => (c.trim(), Some(true)),
        (_, Some(c)) => (c.trim(), Some(false)),
        _ => (up.as_str(), None),
    };
    let h = if let Some((h, rest)) = clock.split_once(':') {
        let m = rest.split(':').next().unwrap_or("");
        if m.len() != 2 || whole_number(m).is_none_or(|m| m > 59) {
            return None;
        }
        whole_number(h)?
    } else if clock.len() >= 3 && clock.len() <= 4 && clock.bytes().all(|b| b.is_ascii_digit()) {
        let n = whole_number(clock)?;
        if n % 100 > 59 {
            return None;
        }
        n / 100
    } else {
        whole_number(clock)?
    };
    let h = match pm {
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => h,
    };
    u8::try_from(h).ok().filter(|h| *h < 24)
}

/// Whether a value is written as a person's number within an incident: V1, S2, VIC1, 001, 1.
fn person_number_shape(v: &str) -> Option<char> {
    let letters = v.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = v[letters..].trim_start_matches(['-', '_', '#']);
    if letters > 3 || rest.is_empty() || rest.len() > 3 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        v.chars()
            .next()
            .map(|c| c.to_ascii_uppercase())
            .filter(|_| letters > 0)
            .unwrap_or('#'),
    )
}

/// Whether a short value reads as a relationship (GIRLFRIEND, EX WIFE, SAME SEX PARTNER,
/// STRANGER) rather than an offence: the text classifier finds a relation in it and the statute
/// keyword table finds no offence.
fn relationship_word(v: &str, offences: &OffenseCodeTable) -> bool {
    v.len() >= 3
        && v.len() <= 40
        && v.bytes().filter(u8::is_ascii_alphabetic).count() >= 3
        && v.chars().all(|c| c.is_alphabetic() || " -/'&().,".contains(c))
        && offences.lookup(v).is_none()
        && crate::textclass::classify_relationship(v).class != crate::model::RelClass::Unknown
}

fn stats(values: &[&str], codes: &CodeTable, offences: &OffenseCodeTable) -> ValueStats {
    let mut s = ValueStats::default();
    // Word tests once per distinct value: an export repeats a few words on many rows.
    let mut words: HashMap<&str, (bool, bool)> = HashMap::new();
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
        if Role::parse(v).is_some() {
            s.role_code += 1;
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
        if whole_number(v).is_some_and(|n| n <= 120) {
            s.small_int += 1;
        }
        if parse_hour(v).is_some() {
            s.hour += 1;
        }
        if v.bytes().all(|b| b.is_ascii_digit()) {
            s.digits_only += 1;
        }
        if v.ends_with('.') || v.contains(". ") {
            s.sentence += 1;
        }
        if let Some(c) = person_number_shape(v) {
            s.person_no += 1;
            s.person_no_victim += usize::from(c == 'V');
            s.person_no_offender += usize::from(c == 'S' || c == 'O');
            if s.person_no_examples.len() < 3 && !s.person_no_examples.iter().any(|x| x == v) {
                s.person_no_examples.push(v.to_string());
            }
        }
        let distinct = words.len();
        let (rel, off) = *words.entry(v).or_insert_with(|| {
            if distinct > 200 || v.len() > 60 {
                (false, false)
            } else {
                (
                    relationship_word(v, offences),
                    offences.lookup(v).is_some() && v.bytes().any(|b| b.is_ascii_alphabetic()),
                )
            }
        });
        if rel {
            s.rel_word += 1;
            if s.rel_word_examples.len() < 2 && !s.rel_word_examples.iter().any(|x| x == v) {
                s.rel_word_examples.push(v.to_string());
            }
        }
        if off {
            s.offence_word += 1;
            if s.offence_word_examples.len() < 2 && !s.offence_word_examples.iter().any(|x| x == v) {
                s.offence_word_examples.push(v.to_string());
            }
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
    s.distinct = words.len();
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
            Field::Age => (s.share(s.small_int), "small whole numbers"),
            Field::IncidentHour => (s.share(s.hour), "hours of the day"),
            Field::FirstName | Field::LastName | Field::MiddleName => (s.share(s.name), "names"),
            Field::Role => (s.share(s.role_code), "roles"),
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

/// Correct a proposal by what the values are: relationship words are text, per-incident
/// numbers are persons' numbers, roles only where the values are roles, offence words are
/// charge texts, short descriptions are not narratives.
fn refine(
    header: &str,
    target: Option<Target>,
    conf: f32,
    s: &ValueStats,
    ev: &mut Vec<String>,
) -> (Option<Target>, f32) {
    let field = target.map(|t| t.field);
    if s.n == 0 {
        // An empty column named only in part ("Street Suffix", "Hate Crime"): nothing to map.
        if conf < 0.5 {
            ev.push("empty, and its header only contains a usual name: not used".into());
            return (None, 0.0);
        }
        return (target, conf);
    }
    let examples = |v: &[String]| v.iter().map(|x| crate::diag::shorten(x)).collect::<Vec<_>>().join(", ");
    // Relationship words in a code column, or in a column nobody named.
    let words = s.share(s.rel_word);
    if words >= 0.5
        && s.share(s.rel) < 0.5
        && s.avg_len() <= 30.0
        && matches!(field, None | Some(Field::RelationshipCode | Field::Narrative))
        && (field.is_some() || words >= 0.6)
    {
        // The advice for local codes does not apply to words.
        ev.retain(|e| !e.contains("add them to the profile's code table"));
        ev.push(format!(
            "{} of the values are relationship words ({}): read as relationship text",
            s.pct(s.rel_word),
            examples(&s.rel_word_examples)
        ));
        let c = if field.is_some() { conf.max(0.8) } else { 0.6 };
        return (Some(Target::of(Field::RelationshipText)), c);
    }
    // A person's number within the incident: short numbers that repeat (few distinct values).
    let h = normalize_header(header);
    let a_count = ["COUNT", "TOTAL", "NUMBER_OF", "NUM_OF"].iter().any(|w| h.contains(w));
    let numbers = s.share(s.person_no) >= 0.9 && s.n >= 4 && s.distinct * 3 <= s.n && !a_count;
    if numbers
        && matches!(
            field,
            None | Some(Field::RecordId | Field::PersonNumber | Field::Sequence)
        )
    {
        let by_value = if s.person_no_victim * 10 >= s.n * 9 {
            Side::Victim
        } else if s.person_no_offender * 10 >= s.n * 9 {
            Side::Offender
        } else {
            Side::Any
        };
        let side = match target {
            Some(t) if t.side != Side::Any => t.side,
            _ => split_side(&normalize_header(header))
                .map(|(s, _)| s)
                .unwrap_or(by_value),
        };
        // A plain SEQ column without a side is the offence's sequence, not a person's; and
        // bare numbers in a column nobody named (LAPD's "Part 1-2") are not persons' numbers.
        if side == Side::Any && matches!(field, None | Some(Field::Sequence)) {
            return (target, conf);
        }
        ev.push(format!(
            "values {} repeat from incident to incident ({} distinct in {} rows): the person's number within the \
             incident, not an id across incidents",
            examples(&s.person_no_examples),
            s.distinct,
            s.n
        ));
        let c = if field.is_some() { conf.max(0.8) } else { 0.55 };
        return (
            Some(Target {
                field: Field::PersonNumber,
                side,
            }),
            c,
        );
    }
    let offences = s.share(s.offence_word);
    // Written dates (not five-digit numbers, which are as often codes as Excel serials).
    let serials = s
        .formats
        .iter()
        .find(|(f, _)| *f == "Excel serial")
        .map_or(0, |(_, n)| *n);
    if field.is_some_and(|f| !f.is_date() && f != Field::IncidentHour) && s.share(s.date - serials) >= 0.8 {
        // Seattle's "Offense End DateTime" holds dates, not offence codes.
        ev.push(format!("but {} of the values are dates: read as a date", s.pct(s.date)));
        return (Some(Target::of(Field::IncidentDate)), 0.4);
    }
    match field {
        Some(Field::Role) if s.share(s.role_code) < 0.5 => {
            ev.push(format!(
                "only {} of the values are roles (victim, suspect, V, S, ...): not used as the person's role",
                s.pct(s.role_code)
            ));
            if offences >= 0.5 {
                ev.push(offence_evidence(s));
                return (Some(Target::of(Field::Statute)), 0.6);
            }
            (None, 0.0)
        }
        Some(Field::Narrative) if s.avg_len() < 40.0 && offences >= 0.3 && s.share(s.sentence) < 0.3 => {
            ev.push(offence_evidence(s));
            ev.push("short texts, not narratives: read as the offence's description".into());
            (Some(Target::of(Field::Statute)), conf.min(0.75))
        }
        Some(Field::Narrative)
            if s.avg_len() < 25.0 && s.distinct * 2 <= s.n && s.n >= 6 && s.share(s.sentence) < 0.3 =>
        {
            // Chicago's "Location Description" (RESIDENCE, STREET): a category, not a story.
            ev.push(format!(
                "short values repeated ({} distinct in {} rows): a category, not narratives",
                s.distinct, s.n
            ));
            if h == "DESCRIPTION" {
                // A bare "Description" beside the offence's type (Chicago's Primary Type
                // BATTERY, Description DOMESTIC BATTERY SIMPLE): the offence's own description.
                ev.push("a bare description of the row: read as the offence's description".into());
                return (Some(Target::of(Field::Statute)), 0.6);
            }
            ev.push("not used".into());
            (None, 0.0)
        }
        Some(Field::FullName | Field::FirstName | Field::LastName) if offences >= 0.5 => {
            ev.push(offence_evidence(s));
            (Some(Target::of(Field::Statute)), 0.6)
        }
        // An id whose values name offences is no id: San Francisco's "Incident Description"
        // ("Battery, Former Spouse or Dating Relationship") only contains the word INCIDENT.
        Some(
            Field::IncidentId
            | Field::RecordId
            | Field::OffenseId
            | Field::ArrestId
            | Field::OrderId
            | Field::CallId
            | Field::PersonNumber
            | Field::Sequence,
        ) if offences >= 0.5 && s.avg_len() <= 80.0 => {
            ev.push(format!("the values are not ids: {}", offence_evidence(s)));
            (Some(Target::of(Field::Statute)), 0.6)
        }
        None if offences >= 0.5 && s.avg_len() <= 60.0 => {
            ev.push(offence_evidence(s));
            (Some(Target::of(Field::Statute)), 0.5)
        }
        Some(Field::OffenseCode) if s.share(s.offense) < 0.3 && offences < 0.5 => {
            ev.push("the values are the agency's own offence codes: read as local codes".into());
            (Some(Target::of(Field::LocalOffenseCode)), conf)
        }
        Some(Field::OffenseCode) if s.share(s.offense) < 0.3 => {
            ev.push(offence_evidence(s));
            (Some(Target::of(Field::Statute)), conf)
        }
        Some(Field::Age) if s.share(s.small_int) < 0.3 => {
            // Cincinnati's "26-30", "JUVENILE (UNDER 18)": age groups, not ages.
            ev.push("the values are not ages in years (age groups?): not used".into());
            (None, 0.0)
        }
        Some(Field::Statute) if s.share(s.flag) >= 0.8 => {
            ev.push(format!(
                "{} of the values are yes/no flags, not charge texts: not used",
                s.pct(s.flag)
            ));
            (None, 0.0)
        }
        Some(Field::Place) if s.share(s.digits_only) >= 0.8 => {
            // A district number beside a district name: the name is the better place.
            ev.push("the values are numbers: a place name, when there is one, is preferred".into());
            (target, conf - 0.05)
        }
        _ => (target, conf),
    }
}

fn offence_evidence(s: &ValueStats) -> String {
    format!(
        "{} of the values name offences ({}): read as the offence's description (charge text)",
        s.pct(s.offence_word),
        s.offence_word_examples
            .iter()
            .map(|x| crate::diag::shorten(x))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Propose a mapping for every table.
pub fn propose_mapping(tables: &[Table]) -> MappingProposal {
    let codes = CodeTable::nibrs_default();
    // Built once: a header of a million columns must not parse the keyword list a million times.
    let offences = OffenseCodeTable::default();
    let mut out = MappingProposal {
        tables: Vec::new(),
        layout: Layout::Normalized,
        notes: Vec::new(),
    };
    for t in tables {
        let n = t.len().min(super::table::SAMPLE_ROWS);
        let mut columns = Vec::with_capacity(t.width());
        for (i, h) in t.headers.iter().enumerate() {
            let values: Vec<&str> = (0..n).map(|r| t.cell(r, i)).filter(|v| !v.is_empty()).collect();
            let s = stats(&values, &codes, &offences);
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
            let (mut target, mut confidence) = refine(h, target, confidence, &s, &mut evidence);
            if target.is_some_and(|t| incident_date_field(t.field)) && later_event(&normalize_header(h)) {
                evidence
                    .push("its header names an event after the incident (a release, a court date): not used".into());
                (target, confidence) = (None, 0.0);
            }
            if target.is_some() {
                evidence.retain(|e| !e.starts_with("no usual name and no recognised values"));
            }
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
            let stand_in = *field == Field::RecordId
                && (has(&tp.columns, Field::PersonNumber) && has(&tp.columns, Field::IncidentId)
                    || tp.kind == TableKind::Arrests && has(&tp.columns, Field::ArrestId));
            if !stand_in && !tp.columns.iter().any(|c| c.target.is_some_and(|t| t.field == *field)) {
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

/// A header without its trailing number: `CRM_CD_2` → `CRM_CD`.
fn numbered_stem(h: &str) -> String {
    let n = normalize_header(h);
    n.trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('_')
        .to_string()
}

/// Whether two columns with the same target are both kept: numbered offence-code columns
/// (`Crm Cd 1` … `Crm Cd 4`: every one is an offence of the incident) and charge texts (read
/// together as one description).
fn kept_together(t: Target, a: &str, b: &str) -> bool {
    match t.field {
        Field::Statute => true,
        Field::OffenseCode | Field::LocalOffenseCode => numbered_stem(a) == numbered_stem(b),
        _ => false,
    }
}

/// Keep one column per target: the most confident; the others are left unmapped. Several
/// offence-code columns of one numbered series and several charge texts are all kept.
fn dedupe_targets(columns: &mut [ColumnProposal]) {
    for i in 0..columns.len() {
        let Some(t) = columns[i].target else { continue };
        for j in 0..columns.len() {
            if i == j || columns[j].target != Some(t) {
                continue;
            }
            if kept_together(t, &columns[i].header, &columns[j].header) {
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
    let person_columns = cols
        .iter()
        .any(|c| c.target.is_some_and(|t| t.field.describes_a_person()));
    if !person_columns && has(cols, Field::IncidentId) && (incident_info || offense) {
        // An id beside the incident number with no person columns (Chicago's ID): not a person's.
        for c in cols.iter_mut() {
            if c.target
                .is_some_and(|t| t.field == Field::RecordId && t.side == Side::Any)
            {
                c.target = None;
                c.evidence
                    .push("no name, birth date, role, age or sex beside it: not a person's id, not used".into());
            }
        }
    }
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
    } else if offense && incident_info && has(cols, Field::IncidentId) && !rel {
        (
            TableKind::Flat,
            "incident columns with offence columns and no person rows: one row per incident or offence",
        )
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
    if kind == TableKind::Flat && !sided && person_any && !has(cols, Field::RecordId) && !has(cols, Field::PersonNumber)
    {
        // One person per row with no person id: a plain sequence column numbers the persons
        // of the incident (an offence's sequence says OFFENSE or CHARGE in its header).
        for c in cols.iter_mut() {
            let h = normalize_header(&c.header);
            let offence_like = ["OFF", "CHARGE", "COUNT", "LINE", "STAT"].iter().any(|w| h.contains(w));
            if let Some(t) = c.target.as_mut() {
                if t.field == Field::Sequence && !offence_like {
                    t.field = Field::PersonNumber;
                    c.evidence.push(
                        "one person per row and no person id: the sequence numbers the persons of the incident".into(),
                    );
                    break;
                }
            }
        }
    }
    if kind == TableKind::Arrests && !has(cols, Field::RecordId) && has(cols, Field::ArrestId) {
        for c in cols.iter_mut() {
            if c.target.is_some_and(|t| t.field == Field::ArrestId) {
                c.evidence.push(
                    "no person id: each booking's arrestee is a person of their own, not linked to other bookings"
                        .into(),
                );
            }
        }
    }
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
        let cases: [(&str, Option<(Field, Side)>); 18] = [
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
            // Phoenix's open-data crime file (held out from the corpus).
            ("INC NUMBER", Some((Field::IncidentId, Side::Any))),
            ("GRID", Some((Field::Place, Side::Any))),
            ("zzz", None),
        ];
        for (h, want) in cases {
            assert_eq!(from_header(h).map(|(t, ..)| (t.field, t.side)), want, "{h}");
        }
    }

    #[test]
    fn camel_case_and_numbered_headers_are_read_as_words() {
        assert_eq!(normalize_header("IncidentNumber"), "INCIDENT_NUMBER");
        assert_eq!(normalize_header("NIBRSCode"), "NIBRSCODE");
        assert_eq!(normalize_header("CHARGE 1 TYPE"), "CHARGE_1_TYPE");
        assert_eq!(without_numbers("DATE1_OF_OCCURRENCE"), "DATE_OF_OCCURRENCE");
        let cases: [(&str, Option<(Field, Side)>); 16] = [
            ("IncidentNumber", Some((Field::IncidentId, Side::Any))),
            ("OccurredDate", Some((Field::IncidentDate, Side::Any))),
            ("ReportedDate", Some((Field::ReportDate, Side::Any))),
            ("DomesticViolence", Some((Field::DomesticFlag, Side::Any))),
            ("VictimSeq", Some((Field::PersonNumber, Side::Victim))),
            ("OffenderSeq", Some((Field::PersonNumber, Side::Offender))),
            ("BookingNumber", Some((Field::ArrestId, Side::Any))),
            // Written as one word in the synonyms: still read whole.
            ("CrimeCode", Some((Field::LocalOffenseCode, Side::Any))),
            ("CHARGE 3 TYPE", Some((Field::Felony, Side::Any))),
            ("CHARGE 2 CLASS", Some((Field::Felony, Side::Any))),
            ("CHARGE 4 DESCRIPTION", Some((Field::Statute, Side::Any))),
            ("Date1 of Occurrence", Some((Field::IncidentDate, Side::Any))),
            ("Date of Report", Some((Field::ReportDate, Side::Any))),
            ("ARS Code", Some((Field::LocalOffenseCode, Side::Any))),
            ("ReleaseDate", None),
            ("Location Description", None),
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

    /// The word search is the padded `contains` it replaced, without its two strings.
    #[test]
    fn a_word_is_found_between_underscores_as_before() {
        for (h, w) in [
            ("VICTIM_DOB", "DOB"),
            ("DOB", "DOB"),
            ("DOBX", "DOB"),
            ("X_DOBX_DOB", "DOB"),
            ("A_B_C", "B_C"),
            ("AB_C", "B_C"),
            ("", "DOB"),
            ("DOB_", "DOB"),
            ("__", "_"),
        ] {
            assert_eq!(
                contains_word(h, w),
                format!("_{h}_").contains(&format!("_{w}_")),
                "{h:?} {w:?}"
            );
        }
    }

    /// Regression: a file of one 50 MB line (one header of 50 MB) took minutes in the mapping
    /// proposal, which looked for each usual name in the header, building a string each time.
    #[test]
    fn a_header_longer_than_any_export_writes_is_not_searched_for_names() {
        let within = format!("SURNAME_{}", "X".repeat(200));
        assert!(from_header(&within).is_some());
        let beyond = format!("SURNAME_{}", "X".repeat(MAX_HEADER_SEARCHED_BYTES));
        assert_eq!(from_header(&beyond).map(|(t, ..)| t.field), None);
        let mut t = Table::new(
            "one_line.csv",
            None,
            vec![format!("{} {}", "A".repeat(2_000_000), "DOB")],
        );
        t.push_row(2, &["01/02/1990"]);
        let p = propose_mapping(&[t]);
        assert_eq!(p.tables[0].columns.len(), 1);
    }
}
