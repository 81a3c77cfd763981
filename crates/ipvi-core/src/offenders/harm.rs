//! The harm table and the markers of dangerousness, as data.
//!
//! Harm follows the Cambridge Crime Harm Index: each offence weighs the days of custody a
//! sentencing guideline starts from, and proactively found offences (drugs, weapons law, DUI)
//! weigh nothing. The default weights are a US-style analogue, written in
//! `data/harm_weights.csv` with the basis of each weight; they are design choices the analyst
//! can edit, not published constants.

use crate::model::OffenseRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const DEFAULT_WEIGHTS: &str = include_str!("../../data/harm_weights.csv");

/// One offence's harm weight and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HarmWeight {
    pub name: String,
    /// Days of custody at the guideline's starting point.
    pub days: f64,
    pub basis: String,
}

/// NIBRS offence code → harm weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HarmTable {
    pub version: u32,
    pub weights: BTreeMap<String, HarmWeight>,
    /// Weight of an offence code the table does not list.
    pub unlisted_days: f64,
}

/// Why a harm table could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HarmTableError {
    #[error("harm table, row {row}: {message}")]
    Row { row: u64, message: String },
}

impl HarmTable {
    /// The shipped defaults.
    pub fn default_table() -> HarmTable {
        // The embedded table is tested; an error here would be a build defect, so fall back to
        // an empty table rather than panic.
        Self::from_csv(DEFAULT_WEIGHTS).unwrap_or(HarmTable {
            version: 1,
            weights: BTreeMap::new(),
            unlisted_days: 0.0,
        })
    }

    /// Read `code,name,days,basis` CSV.
    pub fn from_csv(text: &str) -> Result<HarmTable, HarmTableError> {
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let mut weights = BTreeMap::new();
        for (i, rec) in rdr.records().enumerate() {
            let row = i as u64 + 2;
            let rec = rec.map_err(|e| HarmTableError::Row {
                row,
                message: e.to_string(),
            })?;
            let code = rec.get(0).unwrap_or("").trim().to_ascii_uppercase();
            let days: f64 = rec
                .get(2)
                .unwrap_or("")
                .trim()
                .parse()
                .map_err(|_| HarmTableError::Row {
                    row,
                    message: format!("days {:?} is not a number", rec.get(2).unwrap_or("")),
                })?;
            if code.is_empty() || days < 0.0 {
                return Err(HarmTableError::Row {
                    row,
                    message: "needs a code and non-negative days".into(),
                });
            }
            weights.insert(
                code,
                HarmWeight {
                    name: rec.get(1).unwrap_or("").to_string(),
                    days,
                    basis: rec.get(3).unwrap_or("").to_string(),
                },
            );
        }
        Ok(HarmTable {
            version: 1,
            weights,
            unlisted_days: 0.0,
        })
    }

    /// The weight of one NIBRS offence code.
    pub fn days(&self, code: &str) -> f64 {
        self.weights
            .get(code.trim())
            .map(|w| w.days)
            .unwrap_or(self.unlisted_days)
    }
}

/// Codes and words that mark violence, weapons, strangulation and order violations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Markers {
    /// Violent offences (NIBRS codes).
    pub violent: Vec<String>,
    /// Violent offences that are felonies wherever they are charged.
    pub violent_felony: Vec<String>,
    /// NIBRS weapon/force codes for firearms (a trailing `A`, automatic, is ignored).
    pub firearm_weapons: Vec<String>,
    /// Weapon/force codes for other weapons (knife, blunt object, vehicle, ...).
    pub other_weapons: Vec<String>,
    /// Weapon/force codes that mean strangulation or suffocation.
    pub strangulation_weapons: Vec<String>,
    /// Offence codes that are weapons markers in themselves.
    pub weapon_offenses: Vec<String>,
    /// Lower-case word stems in narratives or charge texts that mean strangulation.
    pub strangulation_terms: Vec<String>,
    /// Lower-case word stems in charge texts that mean a protective-order violation.
    pub order_violation_terms: Vec<String>,
}

impl Default for Markers {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Markers {
            violent: v(&[
                "09A", "09B", "100", "11A", "11B", "11C", "11D", "120", "13A", "13B", "13C", "64A", "64B",
            ]),
            violent_felony: v(&["09A", "09B", "100", "11A", "11B", "11C", "120", "13A", "64A", "64B"]),
            firearm_weapons: v(&["11", "12", "13", "14", "15"]),
            other_weapons: v(&["20", "30", "35", "50", "60", "65", "90"]),
            strangulation_weapons: v(&["85"]),
            weapon_offenses: v(&["520"]),
            strangulation_terms: v(&[
                "strangl",
                "strangul",
                "chok",
                "by the neck",
                "by her neck",
                "by his neck",
                "throat",
                "ahorc",
                "asfixi",
            ]),
            order_violation_terms: v(&[
                "protective order",
                "protection order",
                "order of protection",
                "restraining order",
                "no contact order",
                "no-contact order",
                "violation of order",
                "viol order",
                "viol of order",
            ]),
        }
    }
}

impl Markers {
    fn weapon_code(code: &str) -> &str {
        code.trim().trim_end_matches(['A', 'a'])
    }

    /// Whether the offence involved a firearm.
    pub fn firearm(&self, off: OffenseRef<'_>) -> bool {
        off.weapons
            .iter()
            .any(|w| self.firearm_weapons.iter().any(|f| f == Self::weapon_code(w)))
    }

    /// Whether the offence involved any weapon (firearm included) or was a weapons offence.
    pub fn weapon(&self, off: OffenseRef<'_>) -> bool {
        self.firearm(off)
            || self.weapon_offenses.iter().any(|w| *w == off.nibrs_code)
            || off
                .weapons
                .iter()
                .any(|w| self.other_weapons.iter().any(|f| f == Self::weapon_code(w)))
    }

    /// Whether the offence records strangulation (force code or charge text).
    pub fn strangulation_offense(&self, off: OffenseRef<'_>) -> bool {
        off.weapons
            .iter()
            .any(|w| self.strangulation_weapons.iter().any(|f| f == Self::weapon_code(w)))
            || off
                .local_code
                .is_some_and(|t| self.mentions(t, &self.strangulation_terms))
    }

    /// Whether a narrative mentions strangulation (a negated mention such as "denied choking"
    /// still counts: it is a marker for review, shown with its words).
    pub fn strangulation_text(&self, text: &str) -> bool {
        self.mentions(text, &self.strangulation_terms)
    }

    /// Whether the offence is a protective-order violation.
    pub fn order_violation(&self, off: OffenseRef<'_>) -> bool {
        off.local_code
            .is_some_and(|t| self.mentions(t, &self.order_violation_terms))
    }

    /// Whether the offence is violent.
    pub fn violent(&self, code: &str) -> bool {
        self.violent.iter().any(|c| c == code.trim())
    }

    /// Whether the offence is a violent felony by nature.
    pub fn violent_felony(&self, code: &str) -> bool {
        self.violent_felony.iter().any(|c| c == code.trim())
    }

    fn mentions(&self, text: &str, terms: &[String]) -> bool {
        let lower = text.to_lowercase();
        terms.iter().any(|t| lower.contains(t.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Offense, Offenses};

    #[test]
    fn default_table_reads_and_excludes_proactive_offences() {
        let t = HarmTable::default_table();
        assert!(t.weights.len() > 50, "{} weights", t.weights.len());
        assert!(t.days("09A") > t.days("13A"));
        assert!(t.days("13A") > t.days("13B"));
        assert_eq!(t.days("35A"), 0.0);
        assert_eq!(t.days("520"), 0.0);
        assert_eq!(t.days("ZZZ"), 0.0);
    }

    #[test]
    fn bad_tables_are_refused_with_the_row() {
        let e = HarmTable::from_csv("code,name,days,basis\n13A,x,lots,y\n");
        assert_eq!(
            e,
            Err(HarmTableError::Row {
                row: 2,
                message: "days \"lots\" is not a number".into()
            })
        );
    }

    #[test]
    fn markers_read_weapon_codes_and_charge_texts() {
        let m = Markers::default();
        // One stored offence, read as the inquiry reads it.
        let off = |code: &str, w: &[&str], text: Option<&str>| {
            Offenses::from(vec![Offense {
                nibrs_code: code.into(),
                weapons: w.iter().map(|s| (*s).into()).collect(),
                local_code: text.map(Into::into),
                ..Offense::default()
            }])
        };
        assert!(off("13A", &["12A"], None).iter().any(|o| m.firearm(o)));
        assert!(!off("13A", &["20"], None).iter().any(|o| m.firearm(o)));
        assert!(off("13A", &["20"], None).iter().any(|o| m.weapon(o)));
        assert!(off("520", &[], None).iter().any(|o| m.weapon(o)));
        assert!(!off("13B", &["40"], None).iter().any(|o| m.weapon(o)));
        assert!(off("13A", &["85"], None).iter().any(|o| m.strangulation_offense(o)));
        assert!(off("13A", &[], Some("AGG ASSLT - STRANGULATION"))
            .iter()
            .any(|o| m.strangulation_offense(o)));
        assert!(off("90Z", &[], Some("Violation of Protective Order"))
            .iter()
            .any(|o| m.order_violation(o)));
        assert!(!off("90Z", &[], Some("Trespass")).iter().any(|o| m.order_violation(o)));
    }
}
