//! Import profiles: how an agency's export maps onto the analyzer's model, saved as JSON and
//! reused on next week's export without questions when its columns match.
//!
//! A [`Profile`] holds no personal data: header names, the target of each column, the date order
//! of date columns, the layout (which table holds what) and the local code tables — agency
//! offence codes or statute texts to NIBRS codes ([`OffenseCodeTable`], with a default keyword
//! table kept as data in `data/import/statute_keywords.tsv`) and local relationship codes or
//! texts to relationship classes. Built-in profiles read the FBI's NIBRS CSV extract
//! ([`Profile::nibrs_extract`]) and the synthetic export ([`Profile::synthetic_export`]) through
//! the same generic path as any agency's files; they are data files in the saved format
//! (`data/profiles/*.json`, [`BUILTIN_FILES`]), shown and edited like saved ones.

use super::mapping::{normalize_header, ColumnProposal, MappingProposal, TableKind, Target};
use super::table::Table;
use crate::date::SlashOrder;
use crate::model::{RelClass, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `format` tag of a profile file.
pub const PROFILE_FORMAT: &str = "ipvi-import-profile";
/// The version of the profile format this build writes and reads.
pub const PROFILE_VERSION: u32 = 1;

/// Why a profile file could not be used.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum ProfileError {
    #[error("the profile is not valid JSON or not a profile (line {line}, column {column}): {reason}. Load a profile saved by the analyzer")]
    Json { line: usize, column: usize, reason: String },
    #[error("the profile is of format {found:?}, version {version}; this analyzer reads {PROFILE_FORMAT:?} version {PROFILE_VERSION} or lower. Save the profile again from a current analyzer")]
    Version { found: String, version: u32 },
}

/// One column's rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnRule {
    /// The header as in the export.
    pub header: String,
    pub target: Target,
    /// Put before every value (to keep ids of different tables apart: `V` + VICTIM_ID).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// The name of a lookup table that turns the value into a code (RELATIONSHIP_ID → code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<String>,
    /// Day and month order of slash dates (date columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<SlashOrder>,
}

/// One table of the layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableProfile {
    /// A short name (`incidents`, `victims`, the lookup's name).
    pub name: String,
    /// The file name it came from (lower case, no folder), preferred when several files match.
    #[serde(default)]
    pub file_hint: String,
    pub kind: TableKind,
    /// The role of every row (a victims file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The import cannot go on without it.
    #[serde(default)]
    pub required: bool,
    pub columns: Vec<ColumnRule>,
    /// Lookup tables: the key and value headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_value: Option<String>,
}

impl TableProfile {
    /// The headers a table must have to match, normalized.
    pub fn needed_headers(&self) -> Vec<String> {
        let mut h: Vec<String> = self.columns.iter().map(|c| normalize_header(&c.header)).collect();
        h.extend(
            self.lookup_key
                .iter()
                .chain(self.lookup_value.iter())
                .map(|s| normalize_header(s)),
        );
        h
    }
}

/// One keyword rule of the statute table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeywordRule {
    /// The NIBRS code.
    pub nibrs: String,
    /// Any of these (upper case, as substrings of the statute text).
    pub words: Vec<String>,
}

/// Agency offence codes and statute texts to NIBRS offence codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffenseCodeTable {
    /// Exact local codes or statute texts (upper case, trimmed) to NIBRS codes.
    #[serde(default)]
    pub codes: BTreeMap<String, String>,
    /// Keyword rules, first match wins.
    #[serde(default)]
    pub keywords: Vec<KeywordRule>,
}

const STATUTE_KEYWORDS_TSV: &str = include_str!("../../data/import/statute_keywords.tsv");

impl Default for OffenseCodeTable {
    fn default() -> Self {
        OffenseCodeTable {
            codes: BTreeMap::new(),
            keywords: parse_keywords(STATUTE_KEYWORDS_TSV),
        }
    }
}

/// Parse a keyword file (`code<TAB>word|word`, `#` comments).
pub fn parse_keywords(tsv: &str) -> Vec<KeywordRule> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (c, w) = l.split_once('\t')?;
            Some(KeywordRule {
                nibrs: c.trim().to_string(),
                words: w
                    .split('|')
                    .map(|x| x.to_ascii_uppercase())
                    .filter(|x| !x.trim().is_empty())
                    .collect(),
            })
        })
        .collect()
}

impl OffenseCodeTable {
    /// The NIBRS code of a local code or statute text, and how it was found.
    pub fn lookup(&self, text: &str) -> Option<(String, String)> {
        let key = text.trim().to_ascii_uppercase();
        if key.is_empty() {
            return None;
        }
        if let Some(c) = self.codes.get(&key) {
            return Some((c.clone(), format!("{key:?} is in the profile's offence code table")));
        }
        let padded = format!(" {key} ");
        self.keywords.iter().find_map(|r| {
            r.words
                .iter()
                .find(|w| padded.contains(w.as_str()))
                .map(|w| (r.nibrs.clone(), format!("statute keyword {:?}", w.trim())))
        })
    }
}

/// A saved mapping: versioned, no personal data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Always [`PROFILE_FORMAT`].
    pub format: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub tables: Vec<TableProfile>,
    #[serde(default)]
    pub offense_codes: OffenseCodeTable,
    /// Local relationship codes or texts (upper case) to classes, before the NIBRS code table
    /// and the free-text classifier.
    #[serde(default)]
    pub relationship_codes: BTreeMap<String, RelClass>,
    /// The files this profile reads are made up (the synthetic jurisdiction's export): every
    /// output made from them says so ([`crate::model::Dataset::synthetic`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
}

/// How a profile's tables were found among the input tables.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileMatch {
    /// (profile table index, input table index).
    pub assigned: Vec<(usize, usize)>,
    /// Required profile tables with no matching input, with what was missing.
    pub missing: Vec<String>,
    /// Input tables no profile table took.
    pub unused: Vec<usize>,
}

fn base_name(file: &str) -> String {
    file.rsplit(['/', '\\']).next().unwrap_or(file).to_ascii_lowercase()
}

impl Profile {
    /// An empty profile.
    pub fn new(name: &str) -> Profile {
        Profile {
            format: PROFILE_FORMAT.into(),
            version: PROFILE_VERSION,
            name: name.into(),
            description: String::new(),
            tables: Vec::new(),
            offense_codes: OffenseCodeTable::default(),
            relationship_codes: BTreeMap::new(),
            synthetic: false,
        }
    }

    /// The profile as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read a saved profile.
    pub fn from_json(json: &str) -> Result<Profile, ProfileError> {
        let p: Profile = serde_json::from_str(json).map_err(|e| ProfileError::Json {
            line: e.line(),
            column: e.column(),
            reason: e.to_string(),
        })?;
        if p.format != PROFILE_FORMAT || p.version > PROFILE_VERSION {
            return Err(ProfileError::Version {
                found: p.format,
                version: p.version,
            });
        }
        Ok(p)
    }

    /// The confirmed mapping screen as a profile (sample values are not kept).
    pub fn from_proposal(name: &str, proposal: &MappingProposal) -> Profile {
        let mut p = Profile::new(name);
        for t in &proposal.tables {
            if t.kind == TableKind::Ignore {
                continue;
            }
            let columns = t
                .columns
                .iter()
                .filter_map(|c: &ColumnProposal| {
                    c.target.map(|target| ColumnRule {
                        header: c.header.clone(),
                        target,
                        prefix: String::new(),
                        lookup: None,
                        date_order: c.date_order,
                    })
                })
                .collect();
            p.tables.push(TableProfile {
                name: match &t.sheet {
                    Some(s) => format!("{} [{s}]", base_name(&t.file)),
                    None => base_name(&t.file),
                },
                file_hint: base_name(&t.file),
                kind: t.kind,
                role: t.role,
                required: true,
                columns,
                lookup_key: None,
                lookup_value: None,
            });
        }
        p
    }

    /// Whether every required table of the profile finds a file with its columns.
    pub fn matches(&self, tables: &[Table]) -> bool {
        let m = self.match_tables(tables);
        m.missing.is_empty() && !m.assigned.is_empty()
    }

    /// Find each profile table among the input tables by its headers (the file name breaks ties).
    pub fn match_tables(&self, tables: &[Table]) -> ProfileMatch {
        let heads: Vec<Vec<String>> = tables
            .iter()
            .map(|t| t.headers.iter().map(|h| normalize_header(h)).collect())
            .collect();
        let mut taken = vec![false; tables.len()];
        let mut m = ProfileMatch::default();
        // Required tables not found: (name, what is missing), reported unless an alternative
        // of the same name is found.
        let mut lacking: Vec<(&str, String)> = Vec::new();
        for (pi, tp) in self.tables.iter().enumerate() {
            // Tables of the same name are alternatives (layouts of one file): the first that
            // fits is used.
            if m.assigned.iter().any(|&(qi, _)| self.tables[qi].name == tp.name) {
                continue;
            }
            let need = tp.needed_headers();
            let fits = |ti: usize| need.iter().all(|h| heads[ti].contains(h));
            let by_name = (0..tables.len()).find(|&ti| {
                !taken[ti] && !tp.file_hint.is_empty() && base_name(&tables[ti].file) == tp.file_hint && fits(ti)
            });
            let pick = by_name.or_else(|| (0..tables.len()).find(|&ti| !taken[ti] && fits(ti)));
            match pick {
                Some(ti) => {
                    taken[ti] = true;
                    m.assigned.push((pi, ti));
                }
                None if tp.required => {
                    // Name the closest file and what it lacks.
                    let best =
                        (0..tables.len()).max_by_key(|&ti| need.iter().filter(|h| heads[ti].contains(h)).count());
                    let detail = match best {
                        Some(ti) => {
                            let lacks: Vec<&str> = need
                                .iter()
                                .filter(|h| !heads[ti].contains(h))
                                .map(String::as_str)
                                .collect();
                            format!(
                                "the closest file, {}, has no column {}",
                                tables[ti].label(),
                                lacks.join(", ")
                            )
                        }
                        None => "no file was given".to_string(),
                    };
                    lacking.push((
                        tp.name.as_str(),
                        format!(
                            "{} ({}): no file has the columns {}; {detail}",
                            tp.name,
                            if tp.file_hint.is_empty() {
                                "any file"
                            } else {
                                tp.file_hint.as_str()
                            },
                            need.join(", ")
                        ),
                    ));
                }
                None => {}
            }
        }
        for (i, (name, why)) in lacking.iter().enumerate() {
            let found = m.assigned.iter().any(|&(qi, _)| self.tables[qi].name == *name);
            let first = !lacking[..i].iter().any(|(n, _)| n == name);
            if !found && first {
                m.missing.push(why.clone());
            }
        }
        m.unused = (0..tables.len()).filter(|i| !taken[*i]).collect();
        m
    }

    /// The built-in profile of the FBI Crime Data Explorer NIBRS CSV extract, in both layouts:
    /// the pre-2021 one (upper-case headers, ids for relationship and offence codes) and the
    /// 2021+ one (lower-case headers, `offense_code` on offences, an offence type table without
    /// ids); headers are matched whatever their case. Relationships, offences and circumstances
    /// are read by code where the file has the code, else by id through their lookup tables
    /// (tables of the same name are alternatives). Circumstance 6 (domestic violence) on a
    /// victim marks the victim's pairs; without `NIBRS_CIRCUMSTANCES.csv` the ids are taken as
    /// codes, as in the CDE extracts. Victim and offender ids are prefixed `V` and `O` to keep
    /// them apart as person record ids. The same totals as [`crate::nibrs::analyze_extract`].
    /// Kept as data in `data/profiles/nibrs_extract.json`.
    pub fn nibrs_extract() -> Profile {
        builtin(BUILTIN_FILES[0])
    }

    /// The built-in profile of the synthetic jurisdiction's export (`docs/synthetic-export.md`),
    /// kept as data in `data/profiles/synthetic_export.json`.
    pub fn synthetic_export() -> Profile {
        builtin(BUILTIN_FILES[1])
    }

    /// Every built-in profile, read from the JSON files shipped with the build
    /// ([`BUILTIN_FILES`]), in that order. They are shown and edited like saved profiles; an
    /// edited copy saved under its own name is a saved profile.
    pub fn builtins() -> Vec<Profile> {
        BUILTIN_FILES.iter().map(|f| builtin(*f)).collect()
    }

    /// Whether this profile is one of the built-in ones, unchanged.
    pub fn is_builtin(&self) -> bool {
        Profile::builtins().iter().any(|b| b == self)
    }
}

/// The built-in profiles as shipped: (file name under `data/profiles/`, JSON), in the format
/// of a saved profile ([`Profile::to_json`]). Their offence code table is left out, so it is the
/// default one (`data/import/statute_keywords.tsv`).
pub const BUILTIN_FILES: [(&str, &str); 2] = [
    (
        "nibrs_extract.json",
        include_str!("../../data/profiles/nibrs_extract.json"),
    ),
    (
        "synthetic_export.json",
        include_str!("../../data/profiles/synthetic_export.json"),
    ),
];

/// A built-in profile file read; a file that does not read (a broken build) gives an empty
/// profile that matches nothing, named after the file and saying why in its description.
fn builtin((file, json): (&str, &str)) -> Profile {
    Profile::from_json(json).unwrap_or_else(|e| {
        let mut p = Profile::new(file);
        p.description = format!("the built-in profile {file} does not read: {e}");
        p
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mapping::Field;

    #[test]
    fn statute_texts_find_their_codes() {
        let t = OffenseCodeTable::default();
        let cases = [
            ("ARS 13-1203 ASSAULT", Some("13B")),
            ("AGGRAVATED ASSAULT", Some("13A")),
            ("ASSAULT BY STRANGULATION", Some("13A")),
            ("THREATENING OR INTIMIDATING", Some("13C")),
            ("VIOLATION OF ORDER OF PROTECTION", Some("90Z")),
            ("BURGLARY 2ND DEGREE", Some("220")),
            ("CRIMINAL DAMAGE", Some("290")),
            ("domestic battery", Some("13B")),
            ("PARKING", None),
        ];
        for (text, want) in cases {
            assert_eq!(t.lookup(text).map(|(c, _)| c), want.map(str::to_string), "{text}");
        }
    }

    #[test]
    fn the_builtin_profile_files_read_and_hold_the_layouts() {
        for (file, json) in BUILTIN_FILES {
            let p = Profile::from_json(json).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(p.is_builtin() && !p.tables.is_empty(), "{file}");
            assert_eq!(
                p.offense_codes,
                OffenseCodeTable::default(),
                "{file}: the default statute table"
            );
        }
        // Both NIBRS layouts: codes in the file, or ids through the lookup tables.
        let nibrs = Profile::nibrs_extract();
        assert_eq!(nibrs.name, "NIBRS CSV extract (FBI Crime Data Explorer)");
        assert_eq!(nibrs.tables.len(), 12);
        let pairs: Vec<&TableProfile> = nibrs.tables.iter().filter(|t| t.kind == TableKind::Pairs).collect();
        assert_eq!(pairs.len(), 2);
        assert!(pairs[1]
            .columns
            .iter()
            .any(|c| c.lookup.as_deref() == Some("relationship codes")));
        assert!(pairs[0]
            .columns
            .iter()
            .all(|c| c.target.field != Field::RecordId || !c.prefix.is_empty()));
        let synth = Profile::synthetic_export();
        let names: Vec<&str> = synth.tables.iter().map(|t| t.file_hint.as_str()).collect();
        assert_eq!(
            names,
            [
                "incidents.csv",
                "persons.csv",
                "relationships.csv",
                "offenses.csv",
                "arrests.csv",
                "protective_orders.csv",
                "calls.csv"
            ]
        );
        let mut edited = synth.clone();
        edited.name = "Our export".into();
        assert!(!edited.is_builtin());
    }

    #[test]
    fn profiles_round_trip_through_json_and_reject_other_versions() {
        for p in Profile::builtins() {
            assert_eq!(Profile::from_json(&p.to_json()).unwrap(), p);
        }
        let mut p = Profile::synthetic_export();
        p.version = PROFILE_VERSION + 1;
        assert!(matches!(
            Profile::from_json(&p.to_json()),
            Err(ProfileError::Version { .. })
        ));
        assert!(matches!(Profile::from_json("{"), Err(ProfileError::Json { .. })));
    }
}
