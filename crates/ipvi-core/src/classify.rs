//! Relationship classification of victim–offender pairs from a code table that is data.
//!
//! A [`CodeTable`] maps relationship codes (NIBRS two-letter codes, or an agency's own codes) to a
//! [`RelClass`]. The defaults ([`CodeTable::nibrs_default`]) follow the class table in the NIBRS
//! data README; the analyst can edit them and save them as JSON ([`CodeTable::to_json`],
//! [`CodeTable::from_json`]). Codes are compared trimmed and upper-cased. A code the table does not
//! list is classed [`RelClass::Unknown`] and reported as a [`Diagnostic`], never dropped.
//!
//! Household-family codes (NIBRS `CF` child of boyfriend/girlfriend, `FP` foster parent, `FC`
//! foster child) are kept apart in [`CodeTable::household_codes`] so that one setting,
//! [`CodeTable::household_class`], decides where they go (other family by default).

use crate::diag::{Diagnostic, Severity};
use crate::model::RelClass;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The version of the built-in NIBRS defaults. Raised whenever the defaults change, so a saved
/// table can be told apart from the current defaults.
pub const NIBRS_DEFAULT_VERSION: u32 = 1;

/// Relationship codes to classes: versioned defaults the user can edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeTable {
    /// Version of the defaults this table started from ([`NIBRS_DEFAULT_VERSION`] for the
    /// built-in table).
    pub version: u32,
    /// Code to class, for every code except the household-family ones.
    pub classes: BTreeMap<String, RelClass>,
    /// Household-family codes (`CF`, `FP`, `FC`): all take [`CodeTable::household_class`].
    #[serde(default)]
    pub household_codes: BTreeSet<String>,
    /// The class of the household-family codes: [`RelClass::OtherFamily`] by default; set it to
    /// [`RelClass::KnownNonFamily`] to count them outside the family.
    #[serde(default = "default_household_class")]
    pub household_class: RelClass,
    /// Codes meaning "the victim was the offender" (`VO`, mutual fights): flagged on the pair.
    #[serde(default)]
    pub victim_was_offender_codes: BTreeSet<String>,
    /// Code to a description for people (for the table editor); optional.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

fn default_household_class() -> RelClass {
    RelClass::OtherFamily
}

/// Why a saved code table could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum CodeTableError {
    /// The JSON does not parse or does not have the table's shape.
    #[error("the code table file is not a valid code table (line {line}, column {column}): {reason}. Load a table saved by the analyzer, or start again from the defaults")]
    Json { line: usize, column: usize, reason: String },
    /// A code is listed twice with different meanings.
    #[error(
        "code {code:?} is listed both as a household-family code and in the class list; keep it in one place only"
    )]
    Duplicate { code: String },
    /// An empty code.
    #[error("the code table holds an empty code; give every entry a code or delete it")]
    EmptyCode,
}

/// The outcome of classifying one code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The class ([`RelClass::Unknown`] when the code is not listed).
    pub class: RelClass,
    /// The code means the victim was the offender.
    pub victim_was_offender: bool,
    /// The table lists the code.
    pub listed: bool,
}

/// Trim and upper-case a code the way the table stores it.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

impl CodeTable {
    /// The NIBRS defaults (version [`NIBRS_DEFAULT_VERSION`]), from the data README:
    ///
    /// | class | codes |
    /// |---|---|
    /// | intimate partner | SE CS XS BG XR HR |
    /// | other family | PA SB CH GP GC IL SP SC SS OF; household CF FP FC (configurable) |
    /// | known, not family | AQ FR NE BE EE ER OK CO |
    /// | stranger | ST |
    /// | unknown | RU, VO (VO flagged: victim was offender) |
    pub fn nibrs_default() -> CodeTable {
        let mut classes = BTreeMap::new();
        let mut names = BTreeMap::new();
        for (code, class, name) in NIBRS_CODES {
            names.insert(code.to_string(), name.to_string());
            if !HOUSEHOLD.contains(&code) {
                classes.insert(code.to_string(), class);
            }
        }
        CodeTable {
            version: NIBRS_DEFAULT_VERSION,
            classes,
            household_codes: HOUSEHOLD.iter().map(|c| c.to_string()).collect(),
            household_class: RelClass::OtherFamily,
            victim_was_offender_codes: ["VO".to_string()].into_iter().collect(),
            names,
        }
    }

    /// This table with an agency's local relationship codes added (a local code replaces a
    /// built-in one of the same name, household codes included).
    pub fn with_local(&self, local: &BTreeMap<String, RelClass>) -> CodeTable {
        let mut t = self.clone();
        for (k, c) in local {
            let k = normalize_code(k);
            t.household_codes.remove(&k);
            t.classes.insert(k, *c);
        }
        t
    }

    /// Put the household-family codes (CF, FP, FC) in the family (`true`, the default) or with
    /// known non-family (`false`).
    pub fn set_household_family_as_family(&mut self, as_family: bool) {
        self.household_class = if as_family {
            RelClass::OtherFamily
        } else {
            RelClass::KnownNonFamily
        };
    }

    /// Whether household-family codes count as family.
    pub fn household_family_as_family(&self) -> bool {
        self.household_class == RelClass::OtherFamily
    }

    /// The class of a code, or `None` when the table does not list it.
    pub fn lookup(&self, code: &str) -> Option<RelClass> {
        let c = code.trim();
        let owned;
        let key = if c.bytes().any(|b| b.is_ascii_lowercase()) {
            owned = c.to_ascii_uppercase();
            owned.as_str()
        } else {
            c
        };
        if self.household_codes.contains(key) {
            return Some(self.household_class);
        }
        self.classes.get(key).copied()
    }

    /// Classify one code: unlisted codes are [`RelClass::Unknown`] with `listed == false`.
    pub fn classify(&self, code: &str) -> Classification {
        let found = self.lookup(code);
        let vo = self.victim_was_offender_codes.contains(&normalize_code(code));
        Classification {
            class: found.unwrap_or(RelClass::Unknown),
            victim_was_offender: vo,
            listed: found.is_some(),
        }
    }

    /// Classify the code found in a cell; an unlisted or empty code gives [`RelClass::Unknown`]
    /// and a warning naming the file, row, column and value.
    pub fn classify_cell(
        &self,
        code: &str,
        file: &str,
        row: u64,
        column: &str,
    ) -> (Classification, Option<Diagnostic>) {
        let c = self.classify(code);
        if c.listed {
            return (c, None);
        }
        let message = if code.trim().is_empty() {
            "no relationship code: the pair is counted as unknown. Fill in the code in the source system if it is known"
                .to_string()
        } else {
            format!(
                "relationship code {:?} is not in the code table: the pair is counted as unknown. Add the code to the code table with its class",
                code.trim()
            )
        };
        (
            c,
            Some(Diagnostic::cell(Severity::Warning, file, row, column, code, message)),
        )
    }

    /// Every code the table knows with its class, sorted by code.
    pub fn entries(&self) -> Vec<(String, RelClass)> {
        let mut v: Vec<(String, RelClass)> = self.classes.iter().map(|(k, c)| (k.clone(), *c)).collect();
        v.extend(self.household_codes.iter().map(|k| (k.clone(), self.household_class)));
        v.sort();
        v
    }

    /// Codes by class, in report order ([`RelClass::ALL`]).
    pub fn codes_by_class(&self) -> Vec<(RelClass, Vec<String>)> {
        let entries = self.entries();
        RelClass::ALL
            .into_iter()
            .map(|class| {
                (
                    class,
                    entries
                        .iter()
                        .filter(|(_, c)| *c == class)
                        .map(|(k, _)| k.clone())
                        .collect(),
                )
            })
            .collect()
    }

    /// The table as pretty JSON, for saving.
    pub fn to_json(&self) -> String {
        // Serializing plain maps and enums cannot fail; fall back to an empty object rather than panic.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Read a saved table. Codes are normalised (trimmed, upper-cased); a code listed both as a
    /// household code and in the class list is an error.
    pub fn from_json(json: &str) -> Result<CodeTable, CodeTableError> {
        let raw: CodeTable = serde_json::from_str(json).map_err(|e| CodeTableError::Json {
            line: e.line(),
            column: e.column(),
            reason: e.to_string(),
        })?;
        raw.normalized()
    }

    /// The same table with every code trimmed and upper-cased, checked for empty and duplicate codes.
    pub fn normalized(self) -> Result<CodeTable, CodeTableError> {
        let mut classes = BTreeMap::new();
        for (k, c) in self.classes {
            let k = normalize_code(&k);
            if k.is_empty() {
                return Err(CodeTableError::EmptyCode);
            }
            classes.insert(k, c);
        }
        let mut household_codes = BTreeSet::new();
        for k in self.household_codes {
            let k = normalize_code(&k);
            if k.is_empty() {
                return Err(CodeTableError::EmptyCode);
            }
            if classes.contains_key(&k) {
                return Err(CodeTableError::Duplicate { code: k });
            }
            household_codes.insert(k);
        }
        let victim_was_offender_codes = self
            .victim_was_offender_codes
            .iter()
            .map(|k| normalize_code(k))
            .collect();
        let names = self.names.into_iter().map(|(k, v)| (normalize_code(&k), v)).collect();
        Ok(CodeTable {
            version: self.version,
            classes,
            household_codes,
            household_class: self.household_class,
            victim_was_offender_codes,
            names,
        })
    }
}

impl Default for CodeTable {
    fn default() -> Self {
        CodeTable::nibrs_default()
    }
}

const HOUSEHOLD: [&str; 3] = ["CF", "FP", "FC"];

/// The NIBRS relationship codes (victim's relation to the offender), their default class and name.
const NIBRS_CODES: [(&str, RelClass, &str); 30] = [
    ("SE", RelClass::IntimatePartner, "Victim was spouse"),
    ("CS", RelClass::IntimatePartner, "Victim was common-law spouse"),
    ("XS", RelClass::IntimatePartner, "Victim was ex-spouse"),
    ("BG", RelClass::IntimatePartner, "Victim was boyfriend/girlfriend"),
    (
        "XR",
        RelClass::IntimatePartner,
        "Victim was ex-relationship (ex-boyfriend/girlfriend)",
    ),
    ("HR", RelClass::IntimatePartner, "Homosexual relationship (legacy code)"),
    ("PA", RelClass::OtherFamily, "Victim was parent"),
    ("SB", RelClass::OtherFamily, "Victim was sibling"),
    ("CH", RelClass::OtherFamily, "Victim was child"),
    ("GP", RelClass::OtherFamily, "Victim was grandparent"),
    ("GC", RelClass::OtherFamily, "Victim was grandchild"),
    ("IL", RelClass::OtherFamily, "Victim was in-law"),
    ("SP", RelClass::OtherFamily, "Victim was stepparent"),
    ("SC", RelClass::OtherFamily, "Victim was stepchild"),
    ("SS", RelClass::OtherFamily, "Victim was stepsibling"),
    ("OF", RelClass::OtherFamily, "Victim was other family member"),
    (
        "CF",
        RelClass::OtherFamily,
        "Victim was child of boyfriend or girlfriend",
    ),
    ("FP", RelClass::OtherFamily, "Victim was foster parent"),
    ("FC", RelClass::OtherFamily, "Victim was foster child"),
    ("AQ", RelClass::KnownNonFamily, "Victim was acquaintance"),
    ("FR", RelClass::KnownNonFamily, "Victim was friend"),
    ("NE", RelClass::KnownNonFamily, "Victim was neighbor"),
    ("BE", RelClass::KnownNonFamily, "Victim was babysittee"),
    ("EE", RelClass::KnownNonFamily, "Victim was employee"),
    ("ER", RelClass::KnownNonFamily, "Victim was employer"),
    ("OK", RelClass::KnownNonFamily, "Victim was otherwise known"),
    ("CO", RelClass::KnownNonFamily, "Victim was cohabitant (non-intimate)"),
    ("ST", RelClass::Stranger, "Victim was stranger"),
    ("RU", RelClass::Unknown, "Relationship unknown"),
    ("VO", RelClass::Unknown, "Victim was offender"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// (code, expected class, expected victim_was_offender, expected listed)
    fn check(table: &CodeTable, cases: &[(&str, RelClass, bool, bool)]) {
        for (code, class, vo, listed) in cases {
            let c = table.classify(code);
            assert_eq!(
                (c.class, c.victim_was_offender, c.listed),
                (*class, *vo, *listed),
                "code {code:?}"
            );
        }
    }

    #[test]
    fn defaults_follow_the_readme() {
        let t = CodeTable::nibrs_default();
        let ip = ["SE", "CS", "XS", "BG", "XR", "HR"];
        let fam = [
            "PA", "SB", "CH", "GP", "GC", "IL", "SP", "SC", "SS", "OF", "CF", "FP", "FC",
        ];
        let known = ["AQ", "FR", "NE", "BE", "EE", "ER", "OK", "CO"];
        let mut cases = Vec::new();
        cases.extend(ip.iter().map(|c| (*c, RelClass::IntimatePartner, false, true)));
        cases.extend(fam.iter().map(|c| (*c, RelClass::OtherFamily, false, true)));
        cases.extend(known.iter().map(|c| (*c, RelClass::KnownNonFamily, false, true)));
        cases.push(("ST", RelClass::Stranger, false, true));
        cases.push(("RU", RelClass::Unknown, false, true));
        cases.push(("VO", RelClass::Unknown, true, true));
        cases.push((" vo ", RelClass::Unknown, true, true));
        cases.push(("se", RelClass::IntimatePartner, false, true));
        cases.push(("ZZ", RelClass::Unknown, false, false));
        cases.push(("", RelClass::Unknown, false, false));
        check(&t, &cases);
        assert_eq!(t.entries().len(), 30);
        assert_eq!(t.version, NIBRS_DEFAULT_VERSION);
    }

    #[test]
    fn household_codes_are_configurable() {
        let mut t = CodeTable::nibrs_default();
        assert!(t.household_family_as_family());
        t.set_household_family_as_family(false);
        assert!(!t.household_family_as_family());
        check(
            &t,
            &[
                ("CF", RelClass::KnownNonFamily, false, true),
                ("FP", RelClass::KnownNonFamily, false, true),
                ("FC", RelClass::KnownNonFamily, false, true),
                ("PA", RelClass::OtherFamily, false, true),
            ],
        );
    }

    #[test]
    fn json_round_trip_keeps_edits() -> Result<(), CodeTableError> {
        let mut t = CodeTable::nibrs_default();
        t.set_household_family_as_family(false);
        t.classes.insert("DP".into(), RelClass::IntimatePartner);
        let back = CodeTable::from_json(&t.to_json())?;
        assert_eq!(back, t);
        Ok(())
    }

    #[test]
    fn json_is_normalised_and_checked() {
        let json = r#"{"version":1,"classes":{" se ":"intimate_partner"},"household_codes":["cf"]}"#;
        let t = CodeTable::from_json(json);
        assert!(
            matches!(&t, Ok(t) if t.lookup("SE") == Some(RelClass::IntimatePartner) && t.lookup("CF") == Some(RelClass::OtherFamily))
        );
        let dup = r#"{"version":1,"classes":{"CF":"stranger"},"household_codes":["CF"]}"#;
        assert_eq!(
            CodeTable::from_json(dup),
            Err(CodeTableError::Duplicate { code: "CF".into() })
        );
        let bad = CodeTable::from_json(r#"{"version":1,"classes":{"SE":"partner"}}"#);
        assert!(matches!(bad, Err(CodeTableError::Json { .. })), "{bad:?}");
    }

    #[test]
    fn unlisted_code_gives_a_diagnostic() {
        let t = CodeTable::nibrs_default();
        let (c, d) = t.classify_cell("ZZ", "NIBRS_VICTIM_OFFENDER_REL.csv", 7, "RELATIONSHIP_CODE");
        assert_eq!(c.class, RelClass::Unknown);
        let d = d.map(|d| d.to_string()).unwrap_or_default();
        assert!(
            d.contains("NIBRS_VICTIM_OFFENDER_REL.csv, row 7, column RELATIONSHIP_CODE, value \"ZZ\""),
            "{d}"
        );
        assert!(t.classify_cell("SE", "f", 2, "c").1.is_none());
    }
}
