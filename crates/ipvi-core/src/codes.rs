//! Names for the codes the records hold, so that no screen, report or export shows a bare code.
//!
//! Person codes (race, sex, ethnicity: the NIBRS values) are data in `data/code_names.tsv`;
//! offence names are the name column of the harm table (`data/harm_weights.csv`) and
//! relationship names those of the NIBRS code table ([`crate::classify::CodeTable`]), so each
//! code is named in one place. The app, the report and the command all name codes through
//! [`name`] and [`label`]. A code the tables do not know is shown as it is.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const CODE_NAMES: &str = include_str!("../data/code_names.tsv");
const HARM_TABLE: &str = include_str!("../data/harm_weights.csv");

/// What a code stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CodeKind {
    /// NIBRS offence code (13A, 13B, 90Z, ...).
    Offense,
    /// Race (W, B, I, A, P, U).
    Race,
    /// Sex (M, F, U).
    Sex,
    /// Ethnicity (H, N, U).
    Ethnicity,
    /// NIBRS victim-to-offender relationship (SE, BG, XS, ...).
    Relationship,
}

impl CodeKind {
    fn parse(s: &str) -> Option<CodeKind> {
        match s.trim() {
            "offense" | "offence" => Some(CodeKind::Offense),
            "race" => Some(CodeKind::Race),
            "sex" => Some(CodeKind::Sex),
            "ethnicity" => Some(CodeKind::Ethnicity),
            _ => None,
        }
    }
}

type Table = BTreeMap<(CodeKind, String), String>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table::new();
        for line in CODE_NAMES.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            if let (Some(k), Some(code), Some(name)) = (f.next().and_then(CodeKind::parse), f.next(), f.next()) {
                t.insert((k, code.trim().to_ascii_uppercase()), name.trim().to_string());
            }
        }
        let mut rdr = csv::ReaderBuilder::new().from_reader(HARM_TABLE.as_bytes());
        for rec in rdr.records().flatten() {
            if let (Some(code), Some(name)) = (rec.get(0), rec.get(1)) {
                if !name.trim().is_empty() {
                    t.insert(
                        (CodeKind::Offense, code.trim().to_ascii_uppercase()),
                        name.trim().to_string(),
                    );
                }
            }
        }
        for (code, n) in crate::classify::CodeTable::nibrs_default().names {
            t.insert((CodeKind::Relationship, code.trim().to_ascii_uppercase()), n);
        }
        t
    })
}

/// The name of `code` (case and surrounding spaces ignored), if the tables know it.
pub fn name(kind: CodeKind, code: &str) -> Option<&'static str> {
    table()
        .get(&(kind, code.trim().to_ascii_uppercase()))
        .map(String::as_str)
}

/// `code` with its name for display: "Asian (A)", "13B Simple assault"; the code alone when the
/// tables do not know it, and "not recorded" when it is empty.
pub fn label(kind: CodeKind, code: &str) -> String {
    let c = code.trim();
    if c.is_empty() {
        return "not recorded".to_string();
    }
    match (kind, name(kind, c)) {
        (CodeKind::Offense, Some(n)) => format!("{c} {n}"),
        (_, Some(n)) => format!("{n} ({c})"),
        (_, None) => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn race_sex_and_offence_codes_have_names() {
        for (k, c, n) in [
            (CodeKind::Race, "A", "Asian"),
            (CodeKind::Race, "B", "Black or African American"),
            (CodeKind::Race, "I", "American Indian or Alaska Native"),
            (CodeKind::Race, "P", "Native Hawaiian or Other Pacific Islander"),
            (CodeKind::Race, "U", "Unknown"),
            (CodeKind::Race, "w", "White"),
            (CodeKind::Sex, "F", "Female"),
            (CodeKind::Offense, "13B", "Simple assault"),
            (CodeKind::Offense, "90z", "All other offenses"),
            (CodeKind::Relationship, "xs", "Victim was ex-spouse"),
        ] {
            assert_eq!(name(k, c), Some(n), "{k:?} {c}");
        }
        assert_eq!(label(CodeKind::Race, "A"), "Asian (A)");
        assert_eq!(label(CodeKind::Offense, "13A"), "13A Aggravated assault");
        assert_eq!(label(CodeKind::Race, "Q"), "Q");
        assert_eq!(label(CodeKind::Race, " "), "not recorded");
    }

    #[test]
    fn every_code_of_the_default_relationship_table_is_named() {
        let t = crate::classify::CodeTable::nibrs_default();
        for code in t.classes.keys().chain(t.household_codes.iter()) {
            assert!(name(CodeKind::Relationship, code).is_some(), "{code}");
        }
    }

    #[test]
    fn every_offence_in_the_harm_table_is_named() {
        let harm = crate::offenders::harm::HarmTable::default_table();
        assert!(!harm.weights.is_empty());
        for code in harm.weights.keys() {
            assert!(name(CodeKind::Offense, code).is_some(), "{code}");
        }
    }
}
