//! Offences as evidence of the relationship: offence codes, statute numbers and descriptions
//! that name it ("INTIMATE PARTNER - SIMPLE ASSAULT", "BATTERY, FORMER SPOUSE OR DATING
//! RELATIONSHIP", CA PC 273.5, CO CRS 18-6-800.3).
//!
//! The patterns are data: `data/text/offense_patterns.tsv` (kind, pattern, class, confidence,
//! note), embedded in the build and parsed once; an analyst's edited table replaces it
//! ([`OffensePatterns::from_tsv`], or the JSON of [`OffensePatterns::to_json`]). A generic
//! domestic wording ("domestic battery", "family violence", "household member") gives
//! [`OffenseClass::Domestic`]: domestic with the relationship unspecified, never IPV on its own.
//! NIBRS offence codes (13A, 13B, ...) name no relationship and match no pattern.

use crate::model::{Dataset, RelClass};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

const PATTERNS_TSV: &str = include_str!("../../data/text/offense_patterns.tsv");

/// What an offence says about the relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffenseClass {
    /// The offence names an intimate partner (spouse, former spouse, dating, child in common).
    IntimatePartner,
    /// The offence names another family member (child abuse, elder abuse, parent, sibling).
    OtherFamily,
    /// Domestic, relationship unspecified (family or household member, "domestic battery").
    Domestic,
    /// Names no relationship; hides the shorter patterns it overlaps ("non-domestic").
    None,
}

impl OffenseClass {
    /// Every class.
    pub const ALL: [OffenseClass; 4] = [
        OffenseClass::IntimatePartner,
        OffenseClass::OtherFamily,
        OffenseClass::Domestic,
        OffenseClass::None,
    ];

    /// The name used in the pattern file.
    pub fn as_str(self) -> &'static str {
        match self {
            OffenseClass::IntimatePartner => "intimate_partner",
            OffenseClass::OtherFamily => "other_family",
            OffenseClass::Domestic => "domestic",
            OffenseClass::None => "none",
        }
    }

    /// Parse the name used in the pattern file.
    pub fn parse(s: &str) -> Option<OffenseClass> {
        OffenseClass::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// The relationship class it names, for intimate partner and other family only.
    pub fn rel_class(self) -> Option<RelClass> {
        match self {
            OffenseClass::IntimatePartner => Some(RelClass::IntimatePartner),
            OffenseClass::OtherFamily => Some(RelClass::OtherFamily),
            _ => None,
        }
    }

    /// Words for a reason: "names an intimate partner".
    pub fn phrase(self) -> &'static str {
        match self {
            OffenseClass::IntimatePartner => "names an intimate partner",
            OffenseClass::OtherFamily => "names a family member other than a partner",
            OffenseClass::Domestic => "marks it domestic without saying whether partners or other family",
            OffenseClass::None => "names no relationship",
        }
    }
}

/// How a pattern is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternKind {
    /// Words in order, upper case, punctuation as spaces; a trailing `*` matches any ending.
    Words,
    /// A statute or section number, matched with spaces and brackets removed.
    Statute,
}

/// One line of the pattern table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffensePattern {
    pub kind: PatternKind,
    pub pattern: String,
    pub class: OffenseClass,
    pub confidence: f32,
    /// What the wording is and where it comes from.
    #[serde(default)]
    pub note: String,
}

/// Why a pattern table could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum OffensePatternError {
    /// A line of the TSV is wrong.
    #[error("offence pattern file {file}, line {line}: {value:?}: {message}; fix the line or remove it")]
    Line {
        file: String,
        line: usize,
        value: String,
        message: String,
    },
    /// The JSON does not have the table's shape.
    #[error("the offence pattern file is not a valid pattern table: {0}. Load a table saved by the analyzer, or start again from the defaults")]
    Json(String),
}

#[derive(Clone, Debug)]
struct Compiled {
    /// Words (upper case); the last may end with `*` (prefix).
    words: Vec<String>,
    /// Statute number in both forms of [`statute_forms`].
    statute: [String; 2],
}

/// The offence patterns: an editable table (serde JSON) with its matcher.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "PatternTable", into = "PatternTable")]
pub struct OffensePatterns {
    patterns: Vec<OffensePattern>,
    compiled: Vec<Compiled>,
}

impl PartialEq for OffensePatterns {
    fn eq(&self, other: &Self) -> bool {
        self.patterns == other.patterns
    }
}

/// The serialised form of [`OffensePatterns`].
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PatternTable {
    patterns: Vec<OffensePattern>,
}

impl From<PatternTable> for OffensePatterns {
    fn from(t: PatternTable) -> Self {
        OffensePatterns::new(t.patterns)
    }
}

impl From<OffensePatterns> for PatternTable {
    fn from(p: OffensePatterns) -> Self {
        PatternTable { patterns: p.patterns }
    }
}

/// Upper case, every run of characters other than letters and digits as one space.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect()
}

/// A text's two statute forms, upper case with letters, digits, `.`, `-` and `/` kept: spaced
/// (spaces and opening brackets as one space, `273A(A) PC` is `273A A PC`) and compact (every
/// space and bracket removed, `243 (e)(1)` is `243E1`). A pattern matches in either.
fn statute_forms(text: &str) -> [String; 2] {
    let mut spaced = String::with_capacity(text.len());
    let mut compact = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/') {
            spaced.push(c.to_ascii_uppercase());
            compact.push(c.to_ascii_uppercase());
        } else if (c.is_whitespace() || c == '(' || c == ',' || c == ';') && !spaced.ends_with(' ') {
            spaced.push(' ');
        }
    }
    [spaced.trim().to_string(), compact]
}

fn statute_of(text: &str) -> String {
    let [_, compact] = statute_forms(text);
    compact
}

/// Occurrences of a statute number in one statute form that are not inside a longer number or
/// section: before it no letter or digit directly attached to a number (no digit, `.`, `-`);
/// after it no digit when it ends in a digit, no letter when it ends in a letter, and no `.` or
/// `-` followed by a digit.
fn statute_spans(hay: &str, pat: &str) -> Vec<(usize, usize)> {
    let h = hay.as_bytes();
    let Some(&last) = pat.as_bytes().last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = hay.get(from..).and_then(|s| s.find(pat)) {
        let (a, b) = (from + k, from + k + pat.len());
        from = a + 1;
        let before_ok = a == 0 || !(h[a - 1].is_ascii_digit() || matches!(h[a - 1], b'.' | b'-'));
        let after_ok = match h.get(b) {
            None => true,
            Some(c) if c.is_ascii_digit() => !last.is_ascii_digit(),
            Some(c) if c.is_ascii_alphabetic() => !last.is_ascii_alphabetic(),
            Some(b'.') | Some(b'-') => !h.get(b + 1).is_some_and(|c| c.is_ascii_digit()),
            Some(_) => true,
        };
        if before_ok && after_ok {
            out.push((a, b));
        }
    }
    out
}

fn word_matches(w: &str, p: &str) -> bool {
    match p.strip_suffix('*') {
        Some(prefix) => w.starts_with(prefix),
        None => w == p,
    }
}

/// One pattern found in one offence text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffenseMatch {
    pub class: OffenseClass,
    pub confidence: f32,
    /// The offence text as exported.
    pub text: String,
    /// The pattern that matched.
    pub pattern: String,
    pub note: String,
}

impl OffenseMatch {
    /// "offence 'INTIMATE PARTNER - SIMPLE ASSAULT' names an intimate partner".
    pub fn reason(&self) -> String {
        format!(
            "offence '{}' {} ({})",
            self.text.trim(),
            self.class.phrase(),
            self.pattern
        )
    }
}

impl OffensePatterns {
    /// A table from its lines.
    pub fn new(patterns: Vec<OffensePattern>) -> OffensePatterns {
        let compiled = patterns
            .iter()
            .map(|p| match p.kind {
                PatternKind::Words => Compiled {
                    words: p
                        .pattern
                        .split_whitespace()
                        .flat_map(|w| {
                            let star = w.ends_with('*');
                            let mut ws = words_of(w);
                            if star {
                                if let Some(l) = ws.last_mut() {
                                    l.push('*');
                                }
                            }
                            ws
                        })
                        .collect(),
                    statute: Default::default(),
                },
                PatternKind::Statute => Compiled {
                    words: Vec::new(),
                    statute: statute_forms(&p.pattern),
                },
            })
            .collect();
        OffensePatterns { patterns, compiled }
    }

    /// The built-in table's text, for an editor to start from.
    pub fn builtin_source() -> &'static str {
        PATTERNS_TSV
    }

    /// The built-in table.
    pub fn builtin() -> Result<OffensePatterns, OffensePatternError> {
        OffensePatterns::from_tsv("offense_patterns.tsv", PATTERNS_TSV)
    }

    /// Parse a pattern file (kind, pattern, class, confidence, note; `#` comments).
    pub fn from_tsv(file: &str, text: &str) -> Result<OffensePatterns, OffensePatternError> {
        let err = |line: usize, value: &str, message: &str| OffensePatternError::Line {
            file: file.to_string(),
            line,
            value: value.to_string(),
            message: message.to_string(),
        };
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            let l = l.trim_end_matches('\r');
            if l.trim().is_empty() || l.trim_start().starts_with('#') {
                continue;
            }
            let n = i + 1;
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            let (Some(kind), Some(pattern), Some(class), Some(conf)) =
                (cols.first(), cols.get(1), cols.get(2), cols.get(3))
            else {
                return Err(err(
                    n,
                    l,
                    "needs kind, pattern, class and confidence, separated by tabs",
                ));
            };
            let kind = match *kind {
                "words" => PatternKind::Words,
                "statute" => PatternKind::Statute,
                k => return Err(err(n, k, "kind must be words or statute")),
            };
            let class = OffenseClass::parse(class).ok_or_else(|| {
                err(
                    n,
                    class,
                    "class must be intimate_partner, other_family, domestic or none",
                )
            })?;
            let confidence: f32 = conf.parse().map_err(|_| err(n, conf, "confidence must be a number"))?;
            if !(0.0..=1.0).contains(&confidence) {
                return Err(err(n, conf, "confidence must be between 0 and 1"));
            }
            let empty = match kind {
                PatternKind::Words => words_of(pattern).is_empty(),
                PatternKind::Statute => statute_of(pattern).is_empty(),
            };
            if empty {
                return Err(err(n, pattern, "the pattern is empty"));
            }
            out.push(OffensePattern {
                kind,
                pattern: pattern.to_string(),
                class,
                confidence,
                note: cols.get(4).copied().unwrap_or("").to_string(),
            });
        }
        Ok(OffensePatterns::new(out))
    }

    /// The table as JSON (for saving an edited table).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read a table saved as JSON.
    pub fn from_json(text: &str) -> Result<OffensePatterns, OffensePatternError> {
        serde_json::from_str(text).map_err(|e| OffensePatternError::Json(e.to_string()))
    }

    /// The table's lines.
    pub fn patterns(&self) -> &[OffensePattern] {
        &self.patterns
    }

    /// Every pattern found in one offence text, except those lying inside a longer match.
    pub fn matches(&self, text: &str) -> Vec<OffenseMatch> {
        let words = words_of(text);
        let statute = statute_forms(text);
        // (0 = words, 1 = spaced statute form, 2 = compact statute form; start, end, pattern)
        let mut found: Vec<(u8, usize, usize, usize)> = Vec::new();
        for (k, c) in self.compiled.iter().enumerate() {
            match self.patterns[k].kind {
                PatternKind::Words => {
                    let n = c.words.len();
                    if n == 0 || n > words.len() {
                        continue;
                    }
                    for s in 0..=words.len() - n {
                        if c.words.iter().zip(&words[s..s + n]).all(|(p, w)| word_matches(w, p)) {
                            found.push((0, s, s + n, k));
                        }
                    }
                }
                PatternKind::Statute => {
                    for (f, (hay, pat)) in statute.iter().zip(&c.statute).enumerate() {
                        for (a, b) in statute_spans(hay, pat) {
                            found.push((1 + f as u8, a, b, k));
                        }
                    }
                }
            }
        }
        let kept: Vec<&(u8, usize, usize, usize)> = found
            .iter()
            .filter(|x| {
                !found
                    .iter()
                    .any(|y| y.0 == x.0 && y.1 <= x.1 && x.2 <= y.2 && (y.2 - y.1) > (x.2 - x.1))
            })
            .collect();
        let mut out: Vec<OffenseMatch> = Vec::new();
        for &&(_, _, _, k) in &kept {
            let p = &self.patterns[k];
            if out.iter().any(|m| m.pattern == p.pattern && m.class == p.class) {
                continue;
            }
            out.push(OffenseMatch {
                class: p.class,
                confidence: p.confidence,
                text: text.trim().to_string(),
                pattern: p.pattern.clone(),
                note: p.note.clone(),
            });
        }
        out
    }

    /// What one offence text says: the strongest specific class it names (intimate partner or
    /// other family), else a generic domestic wording, else nothing. A text naming both a
    /// partner and other family ("spouse or child") says only that it is domestic.
    pub fn classify(&self, text: &str) -> Option<OffenseMatch> {
        let ms = self.matches(text);
        let best = |c: OffenseClass| {
            ms.iter()
                .filter(|m| m.class == c)
                .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
                .cloned()
        };
        match (best(OffenseClass::IntimatePartner), best(OffenseClass::OtherFamily)) {
            (Some(a), None) => Some(a),
            (None, Some(b)) => Some(b),
            (Some(a), Some(b)) => Some(OffenseMatch {
                class: OffenseClass::Domestic,
                confidence: a.confidence.min(b.confidence),
                pattern: format!("{} and {}", a.pattern, b.pattern),
                note: "names both a partner and other family".into(),
                ..a
            }),
            (None, None) => best(OffenseClass::Domestic),
        }
    }
}

/// The built-in pattern table, parsed once. `None` only if the embedded file is broken, which
/// the crate's tests rule out.
pub fn builtin() -> Option<&'static OffensePatterns> {
    static CELL: OnceLock<Option<OffensePatterns>> = OnceLock::new();
    CELL.get_or_init(|| OffensePatterns::builtin().ok()).as_ref()
}

/// No match (an empty slot of [`OffenseEvidence`]).
const NONE: u32 = u32::MAX;

/// One incident's slots: the index in [`OffenseEvidence`]'s matches of its strongest offence
/// naming an intimate partner, naming other family, and generic domestic ([`NONE`] when none).
type Slots = [u32; 3];

const EMPTY: Slots = [NONE; 3];

/// The offence evidence of a dataset's incidents, found once per run and shared by the pair
/// decision, the audit and the incident classes: the offences' local codes and statute texts,
/// their NIBRS codes, and the charge texts of arrests that carry an incident id.
///
/// Each distinct offence text is classified once and each match is held once; an incident
/// holds three indices into the matches (twelve bytes), in the dataset's incident order, and
/// the incident id → row index is built once here and lent to the callers
/// ([`OffenseEvidence::row_of`]). Heaptrack on a generated 20 MB flat export, where every row
/// carries the same charge, put the former map of cloned matches per incident at 29% of the
/// audit's peak heap.
#[derive(Clone, Debug, Default)]
pub struct OffenseEvidence<'a> {
    /// Each distinct match, once.
    matches: Vec<OffenseMatch>,
    /// One entry per incident of the dataset, in its order.
    rows: Vec<Slots>,
    /// Incident id → its row in `data.incidents` (the last row when an id repeats).
    index: HashMap<&'a str, u32>,
    /// Evidence under incident ids that no incident carries (offences or charges of incidents
    /// that were not read): pairs of such an id still see it.
    orphans: HashMap<&'a str, Slots>,
    /// Some incident id is carried by more than one incident.
    repeated_ids: bool,
    /// Each pair's incident row ([`OffenseEvidence::row_of`] of its incident id; NONE when no
    /// incident carries it), in the dataset's order: found once for every step that needs it.
    pair_rows: Vec<u32>,
}

/// What the offences (and charges) of one incident say about its relationship: a view into
/// [`OffenseEvidence`].
#[derive(Clone, Copy, Debug)]
pub struct IncidentOffenses<'e> {
    matches: &'e [OffenseMatch],
    slots: Slots,
}

impl<'e> IncidentOffenses<'e> {
    fn slot(&self, k: usize) -> Option<&'e OffenseMatch> {
        let matches: &'e [OffenseMatch] = self.matches;
        self.slots.get(k).and_then(|&i| matches.get(i as usize))
    }

    /// The strongest offence naming an intimate partner.
    pub fn intimate_partner(&self) -> Option<&'e OffenseMatch> {
        self.slot(0)
    }

    /// The strongest offence naming other family.
    pub fn other_family(&self) -> Option<&'e OffenseMatch> {
        self.slot(1)
    }

    /// The strongest generic domestic offence (relationship unspecified).
    pub fn domestic(&self) -> Option<&'e OffenseMatch> {
        self.slot(2)
    }

    /// The evidence for a pair's class: the one specific class the offences name. When they
    /// name both a partner and other family (two victims, say) they cannot tell which pair is
    /// which, and give no class.
    pub fn pair_evidence(&self) -> Option<&'e OffenseMatch> {
        match (self.intimate_partner(), self.other_family()) {
            (Some(a), None) => Some(a),
            (None, Some(b)) => Some(b),
            _ => None,
        }
    }

    /// Any offence marks the incident domestic (specific or not).
    pub fn is_domestic(&self) -> bool {
        self.slots.iter().any(|&i| i != NONE)
    }
}

/// Put match `m` (index `i` in `matches`) in its class's slot when it is stronger than the one
/// there; on a tie the first found stays.
fn add(slots: &mut Slots, matches: &[OffenseMatch], i: u32) {
    let Some(m) = matches.get(i as usize) else {
        return;
    };
    let k = match m.class {
        OffenseClass::IntimatePartner => 0,
        OffenseClass::OtherFamily => 1,
        OffenseClass::Domestic => 2,
        OffenseClass::None => return,
    };
    let held = matches.get(slots[k] as usize);
    if held.is_none_or(|s| m.confidence > s.confidence) {
        slots[k] = i;
    }
}

impl<'a> OffenseEvidence<'a> {
    /// The offence evidence of every incident of `data` under `patterns`.
    pub fn new(data: &'a Dataset, patterns: &OffensePatterns) -> OffenseEvidence<'a> {
        let mut index: HashMap<&'a str, u32> = HashMap::with_capacity(data.incidents.len());
        for (i, inc) in data.incidents.iter().enumerate() {
            index.insert(inc.incident_id, i as u32);
        }
        let mut ev = OffenseEvidence {
            matches: Vec::new(),
            rows: vec![EMPTY; data.incidents.len()],
            orphans: HashMap::new(),
            repeated_ids: index.len() < data.incidents.len(),
            pair_rows: Vec::with_capacity(data.pairs.len()),
            index,
        };
        // A pair's incident is usually the one of the pair before it.
        let mut last: Option<(&str, u32)> = None;
        for p in &data.pairs {
            let id = p.incident_id;
            let r = match last {
                Some((l, r)) if l == id => r,
                _ => {
                    let r = ev.index.get(id).copied().unwrap_or(NONE);
                    last = Some((id, r));
                    r
                }
            };
            ev.pair_rows.push(r);
        }
        // Offence text → the index of its match (or NONE), so each text is classified once.
        let mut seen: HashMap<&'a str, u32> = HashMap::new();
        // The last incident id looked up and its row: an incident's offences are usually
        // consecutive, so most rows skip the hash lookup.
        let mut last_id: Option<(&'a str, Option<u32>)> = None;
        // `last` is the last text of the same column (local code, NIBRS code, charge) and its
        // match: exports repeat one code row after row.
        let mut look =
            |ev: &mut OffenseEvidence<'a>, iid: &'a str, text: &'a str, last: &mut Option<(&'a str, u32)>| {
                let i = match *last {
                    Some((t, i)) if t == text => i,
                    _ => {
                        if text.trim().is_empty() {
                            return;
                        }
                        let i = *seen.entry(text).or_insert_with(|| match patterns.classify(text) {
                            Some(m) => {
                                ev.matches.push(m);
                                (ev.matches.len() - 1) as u32
                            }
                            None => NONE,
                        });
                        *last = Some((text, i));
                        i
                    }
                };
                if i == NONE {
                    return;
                }
                let row = match last_id {
                    Some((id, r)) if id == iid => r,
                    _ => {
                        let r = ev.index.get(iid).copied();
                        last_id = Some((iid, r));
                        r
                    }
                };
                let slots = match row {
                    Some(r) => &mut ev.rows[r as usize],
                    None => ev.orphans.entry(iid).or_insert(EMPTY),
                };
                add(slots, &ev.matches, i);
            };
        let (mut local, mut nibrs, mut charge) = (None, None, None);
        for o in &data.offenses {
            if let Some(t) = o.local_code {
                look(&mut ev, o.incident_id, t, &mut local);
            }
            look(&mut ev, o.incident_id, o.nibrs_code, &mut nibrs);
        }
        for a in &data.arrests {
            if let (Some(iid), Some(t)) = (a.incident_id.as_deref(), a.charge_text.as_deref()) {
                look(&mut ev, iid, t, &mut charge);
            }
        }
        // An id carried by several incidents: every one of them holds the id's evidence, which
        // was gathered on its last row.
        if ev.repeated_ids {
            for (i, inc) in data.incidents.iter().enumerate() {
                if let Some(&r) = ev.index.get(inc.incident_id) {
                    ev.rows[i] = ev.rows[r as usize];
                }
            }
        }
        ev
    }

    /// The row in `data.incidents` of the incident of pair `k` (`data.pairs[k]`), as
    /// [`OffenseEvidence::row_of`] its incident id.
    pub fn pair_row(&self, k: usize) -> Option<usize> {
        self.pair_rows.get(k).filter(|&&r| r != NONE).map(|&r| r as usize)
    }

    /// The row in `data.incidents` of the incident with this id (the last one when an id
    /// repeats).
    pub fn row_of(&self, incident_id: &str) -> Option<usize> {
        self.index.get(incident_id).map(|&r| r as usize)
    }

    /// Whether some incident id is carried by more than one incident.
    pub fn repeated_ids(&self) -> bool {
        self.repeated_ids
    }

    /// The row that stands for the id of the incident at `row` (whose id is `incident_id`):
    /// `row` itself, or the id's last row when the id repeats, so that what is gathered by id
    /// ([`OffenseEvidence::row_of`]) is found for every incident carrying it.
    pub fn id_row(&self, row: usize, incident_id: &str) -> usize {
        if self.repeated_ids {
            self.row_of(incident_id).unwrap_or(row)
        } else {
            row
        }
    }

    /// The evidence of the incident at row `row` of `data.incidents`; `None` when its offences
    /// name nothing.
    pub fn of_row(&self, row: usize) -> Option<IncidentOffenses<'_>> {
        self.rows.get(row).and_then(|&s| self.view(s))
    }

    /// The evidence under an incident id (an incident's or one that no incident carries);
    /// `None` when its offences name nothing.
    pub fn of_incident(&self, incident_id: &str) -> Option<IncidentOffenses<'_>> {
        match self.index.get(incident_id) {
            Some(&r) => self.of_row(r as usize),
            None => self.orphans.get(incident_id).and_then(|&s| self.view(s)),
        }
    }

    fn view(&self, slots: Slots) -> Option<IncidentOffenses<'_>> {
        (slots != EMPTY).then_some(IncidentOffenses {
            matches: &self.matches,
            slots,
        })
    }

    /// The distinct matches found (each once).
    pub fn matches(&self) -> &[OffenseMatch] {
        &self.matches
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::model::{Arrest, Incident, Offense};

    /// Offence texts repeated across incidents: two partner wordings of equal strength and a
    /// weaker one, two family wordings, two generic domestic ones, one naming both, codes that
    /// name nothing and blanks.
    const TEXTS: &[&str] = &[
        "BATTERY - SPOUSE",
        "ASSAULT ON BOYFRIEND",
        "ASSAULT ON COHABITANT",
        "CHILD ABUSE",
        "ASSAULT ON MOTHER",
        "ASSAULT - DOMESTIC",
        "DV ASSAULT",
        "ASSAULT ON SPOUSE OR CHILD ABUSE",
        "13B",
        "13A",
        "  ",
    ];

    /// The strongest match of each class among one incident's offence texts, found for that
    /// incident alone (offences' local codes then NIBRS codes, then arrest charges; the first
    /// of equal strength stays).
    fn one_incident(data: &Dataset, p: &OffensePatterns, id: &str) -> [Option<OffenseMatch>; 3] {
        let mut texts: Vec<&str> = Vec::new();
        for o in data.offenses.iter().filter(|o| o.incident_id == id) {
            texts.extend(o.local_code);
            texts.push(o.nibrs_code);
        }
        for a in data.arrests.iter().filter(|a| a.incident_id.as_deref() == Some(id)) {
            texts.extend(a.charge_text.as_deref());
        }
        let mut best: [Option<OffenseMatch>; 3] = Default::default();
        for t in texts.into_iter().filter(|t| !t.trim().is_empty()) {
            let Some(m) = p.classify(t) else { continue };
            let k = match m.class {
                OffenseClass::IntimatePartner => 0,
                OffenseClass::OtherFamily => 1,
                OffenseClass::Domestic => 2,
                OffenseClass::None => continue,
            };
            if best[k].as_ref().is_none_or(|b| m.confidence > b.confidence) {
                best[k] = Some(m);
            }
        }
        best
    }

    /// A dataset of 400 incidents (two ids repeated) with 0–3 offences and 0–1 arrest each,
    /// drawn from [`TEXTS`] by a fixed generator, and arrests of incidents that were not read.
    fn dataset() -> Dataset {
        let mut x: u64 = 7;
        let mut next = |n: usize| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) % n as u64) as usize
        };
        let mut d = Dataset::default();
        for i in 0..400 {
            let id = match i {
                17 => "I3".to_string(),
                250 => "I200".to_string(),
                _ => format!("I{i}"),
            };
            d.incidents.push(Incident {
                incident_id: id.as_str().into(),
                ..Default::default()
            });
            for k in 0..next(4) {
                d.offenses.push(Offense {
                    incident_id: id.as_str().into(),
                    offense_id: format!("{id}-{k}").into(),
                    nibrs_code: TEXTS[next(TEXTS.len())].into(),
                    local_code: (next(3) > 0).then(|| TEXTS[next(TEXTS.len())].into()),
                    ..Default::default()
                });
            }
            for _ in 0..next(3) {
                d.pairs.push(crate::model::Pair {
                    incident_id: id.as_str().into(),
                    ..Default::default()
                });
            }
            if next(3) == 0 {
                d.arrests.push(Arrest {
                    arrest_id: format!("A{i}").into(),
                    incident_id: Some(id.as_str().into()),
                    charge_text: Some(TEXTS[next(TEXTS.len())].into()),
                    ..Default::default()
                });
            }
        }
        for i in 0..40 {
            d.arrests.push(Arrest {
                arrest_id: format!("B{i}").into(),
                incident_id: Some(format!("X{}", i % 9).into()),
                charge_text: Some(TEXTS[next(TEXTS.len())].into()),
                ..Default::default()
            });
        }
        d
    }

    #[test]
    fn shared_evidence_equals_each_incident_found_alone() {
        let p = OffensePatterns::builtin().unwrap();
        let mut d = dataset();
        let ev = OffenseEvidence::new(&d, &p);
        let ids = d
            .incidents
            .iter()
            .map(|i| i.incident_id.to_string())
            .chain((0..9).map(|i| format!("X{i}")));
        let mut with_evidence = 0;
        for id in ids {
            let want = one_incident(&d, &p, &id);
            let got = ev.of_incident(&id);
            let slots = got.map(|o| [o.intimate_partner(), o.other_family(), o.domestic()]);
            let got_all = slots.unwrap_or_default().map(|m| m.cloned());
            assert_eq!(got_all, want, "incident {id}");
            let want_pair = match (&want[0], &want[1]) {
                (Some(a), None) => Some(a),
                (None, Some(b)) => Some(b),
                _ => None,
            };
            assert_eq!(got.and_then(|o| o.pair_evidence()), want_pair, "pair evidence of {id}");
            let domestic = want.iter().any(Option::is_some);
            assert_eq!(got.is_some_and(|o| o.is_domestic()), domestic, "is_domestic of {id}");
            assert_eq!(got.is_some(), domestic, "evidence of {id}");
            with_evidence += usize::from(domestic);
        }
        for (row, inc) in d.incidents.iter().enumerate() {
            let a = ev.of_row(row).map(|o| o.slots);
            let b = ev.of_incident(inc.incident_id).map(|o| o.slots);
            assert_eq!(a, b, "row {row}");
        }
        d.pairs.push(crate::model::Pair {
            incident_id: "X1".into(),
            ..Default::default()
        });
        let ev = OffenseEvidence::new(&d, &p);
        for (k, pair) in d.pairs.iter().enumerate() {
            assert_eq!(ev.pair_row(k), ev.row_of(pair.incident_id), "pair {k}");
        }
        assert_eq!(ev.pair_row(d.pairs.len() - 1), None);
        // The data exercises what it should: most incidents have evidence, not all; each
        // distinct match is held once.
        assert!(with_evidence > 200 && with_evidence < 409, "{with_evidence}");
        assert!(ev.matches().len() <= TEXTS.len(), "{}", ev.matches().len());
        assert!(ev.of_incident("X1").is_some() && ev.of_incident("nowhere").is_none());
        assert_eq!(ev.row_of("I3"), Some(17), "a repeated id is found on its last row");
    }
}
