//! One class per incident, for every export: from its victim–offender pairs where it has
//! pairs, else from its offences and the agency's domestic markers.
//!
//! An incident takes the class of its most serious pair (intimate partner, then other family);
//! an incident with no such pair but a domestic marker — the incident's domestic flag, an
//! arrest's domestic flag, NIBRS circumstance 6 on a victim, a generic domestic offence
//! ("DOMESTIC BATTERY SIMPLE") — is domestic with the relationship unspecified: a flag alone
//! cannot tell partners from other family. An incident with no pair and nothing domestic is
//! not domestic. Incident-level exports (one row per incident or offence, no person rows) get
//! their whole inquiry from this.

use super::offense::{OffenseEvidence, OffensePatterns};
use crate::model::{Dataset, RelClass};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The class of one incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentClass {
    IntimatePartner,
    OtherFamily,
    /// Marked domestic (flag, circumstance, generic offence), relationship not known.
    DomesticUnspecified,
    /// Pairs known to each other but not family, and nothing domestic.
    KnownNonFamily,
    Stranger,
    /// Pairs whose relationship is unknown, and nothing domestic.
    Unknown,
    /// No pair, and nothing domestic.
    NotDomestic,
}

impl IncidentClass {
    /// Every class, most serious first (the order an incident's pairs are weighed in).
    pub const ALL: [IncidentClass; 7] = [
        IncidentClass::IntimatePartner,
        IncidentClass::OtherFamily,
        IncidentClass::DomesticUnspecified,
        IncidentClass::KnownNonFamily,
        IncidentClass::Stranger,
        IncidentClass::Unknown,
        IncidentClass::NotDomestic,
    ];

    /// The snake_case name (the pair classes' names plus `domestic_unspecified`, `not_domestic`).
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentClass::IntimatePartner => "intimate_partner",
            IncidentClass::OtherFamily => "other_family",
            IncidentClass::DomesticUnspecified => "domestic_unspecified",
            IncidentClass::KnownNonFamily => "known_non_family",
            IncidentClass::Stranger => "stranger",
            IncidentClass::Unknown => "unknown",
            IncidentClass::NotDomestic => "not_domestic",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            IncidentClass::IntimatePartner => "Intimate partner",
            IncidentClass::OtherFamily => "Other family",
            IncidentClass::DomesticUnspecified => "Domestic, relationship unspecified",
            IncidentClass::KnownNonFamily => "Known, not family",
            IncidentClass::Stranger => "Stranger",
            IncidentClass::Unknown => "Relationship unknown",
            IncidentClass::NotDomestic => "Not domestic",
        }
    }

    /// The incident class of a pair class.
    pub fn of_pair(c: RelClass) -> IncidentClass {
        match c {
            RelClass::IntimatePartner => IncidentClass::IntimatePartner,
            RelClass::OtherFamily => IncidentClass::OtherFamily,
            RelClass::KnownNonFamily => IncidentClass::KnownNonFamily,
            RelClass::Stranger => IncidentClass::Stranger,
            RelClass::Unknown => IncidentClass::Unknown,
        }
    }

    /// Intimate partner, other family or domestic unspecified.
    pub fn is_domestic(self) -> bool {
        matches!(
            self,
            IncidentClass::IntimatePartner | IncidentClass::OtherFamily | IncidentClass::DomesticUnspecified
        )
    }
}

/// The classes of a dataset's incidents and why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncidentClasses {
    /// One class per incident, in the dataset's order.
    pub classes: Vec<IncidentClass>,
    /// Incidents holding both an intimate-partner and an other-family pair (or, with no pairs,
    /// offences naming both).
    pub both: Vec<bool>,
}

impl IncidentClasses {
    /// Class name → incidents, every class listed.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        let mut m: BTreeMap<String, u64> = IncidentClass::ALL.iter().map(|c| (c.as_str().to_string(), 0)).collect();
        for c in &self.classes {
            *m.entry(c.as_str().to_string()).or_insert(0) += 1;
        }
        m
    }

    /// Incidents that are domestic (partner, other family or unspecified).
    pub fn domestic(&self) -> u64 {
        self.classes.iter().filter(|c| c.is_domestic()).count() as u64
    }
}

/// Classify every incident of `data`. `pair_class` is the class of each pair (in the dataset's
/// order, from the pair decision, which already weighs the offences); `offenses` is the
/// offence evidence of `data`'s incidents ([`OffenseEvidence::new`]).
pub fn classify_incidents_with(data: &Dataset, pair_class: &[RelClass], offenses: &OffenseEvidence) -> IncidentClasses {
    // By incident row (the row of its id, [`OffenseEvidence::id_row`]), found once through the
    // evidence's id index: the most serious pair class, and bits for an intimate-partner pair,
    // an other-family pair and a domestic marker (circumstance 6, an arrest's flag).
    const IPV: u8 = 1;
    const FAMILY: u8 = 2;
    const MARKED: u8 = 4;
    let n = data.incidents.len();
    let mut worst: Vec<Option<IncidentClass>> = vec![None; n];
    let mut bits: Vec<u8> = vec![0; n];
    for (k, (p, &c)) in data.pairs.iter().zip(pair_class).enumerate() {
        // A pair of an incident that was not read classes no incident.
        let Some(r) = offenses.pair_row(k) else {
            continue;
        };
        let ic = IncidentClass::of_pair(c);
        worst[r] = Some(worst[r].map_or(ic, |x| x.min(ic)));
        if c == RelClass::IntimatePartner {
            bits[r] |= IPV;
        }
        if c == RelClass::OtherFamily {
            bits[r] |= FAMILY;
        }
        if p.dv_circumstance {
            bits[r] |= MARKED;
        }
    }
    for a in &data.arrests {
        if let (Some(iid), Some(true)) = (a.incident_id.as_deref(), a.domestic) {
            if let Some(r) = offenses.row_of(iid) {
                bits[r] |= MARKED;
            }
        }
    }
    let mut out = IncidentClasses {
        classes: Vec::with_capacity(n),
        both: Vec::with_capacity(n),
    };
    for (row, inc) in data.incidents.iter().enumerate() {
        let r = offenses.id_row(row, inc.incident_id);
        let off = offenses.of_row(row);
        let b = bits[r];
        let marker = inc.domestic_flag == Some(true) || b & MARKED != 0 || off.is_some_and(|o| o.is_domestic());
        let (class, both) = match worst[r] {
            Some(c) => {
                if c < IncidentClass::DomesticUnspecified || !marker {
                    (c, b & IPV != 0 && b & FAMILY != 0)
                } else {
                    (IncidentClass::DomesticUnspecified, false)
                }
            }
            None => match off {
                Some(o) if o.intimate_partner().is_some() => {
                    (IncidentClass::IntimatePartner, o.other_family().is_some())
                }
                Some(o) if o.other_family().is_some() => (IncidentClass::OtherFamily, false),
                _ if marker => (IncidentClass::DomesticUnspecified, false),
                _ => (IncidentClass::NotDomestic, false),
            },
        };
        out.classes.push(class);
        out.both.push(both);
    }
    out
}

/// [`classify_incidents_with`] with the offence evidence of the given patterns.
pub fn classify_incidents(data: &Dataset, pair_class: &[RelClass], patterns: &OffensePatterns) -> IncidentClasses {
    classify_incidents_with(data, pair_class, &OffenseEvidence::new(data, patterns))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::model::{Arrest, Incident, Offense, Pair};

    fn incident(id: &str) -> Incident {
        Incident {
            incident_id: id.into(),
            ..Default::default()
        }
    }

    fn pair(id: &str, dv: bool) -> Pair {
        Pair {
            incident_id: id.into(),
            dv_circumstance: dv,
            ..Default::default()
        }
    }

    /// What is gathered by incident id (pairs, arrests' flags, offences) reaches every incident
    /// carrying the id, and records of incidents that were not read class none.
    #[test]
    fn evidence_gathered_by_id_reaches_every_incident_of_the_id() {
        let mut d = Dataset::default();
        for id in ["A", "B", "A", "C", "D", "E"] {
            d.incidents.push(incident(id));
        }
        d.pairs = vec![
            pair("A", false),
            pair("B", false),
            pair("B", false),
            pair("Z", true),
            pair("C", true),
        ]
        .into();
        let pair_class = [
            RelClass::IntimatePartner,
            RelClass::Unknown,
            RelClass::OtherFamily,
            RelClass::Stranger,
            RelClass::Unknown,
        ];
        d.arrests.push(Arrest {
            incident_id: Some("D".into()),
            domestic: Some(true),
            ..Default::default()
        });
        d.offenses.push(Offense {
            incident_id: "E".into(),
            nibrs_code: "13B".into(),
            local_code: Some("BATTERY - SPOUSE AND CHILD ABUSE".into()),
            ..Default::default()
        });
        let p = OffensePatterns::builtin().unwrap();
        let got = classify_incidents(&d, &pair_class, &p);
        use IncidentClass::*;
        assert_eq!(
            got.classes,
            vec![
                IntimatePartner,
                OtherFamily,
                IntimatePartner,
                DomesticUnspecified,
                DomesticUnspecified,
                DomesticUnspecified
            ]
        );
        assert_eq!(got.both, vec![false; 6]);
        d.pairs.update(1, |p| *p = pair("A", false));
        d.pairs.update(2, |p| *p = pair("A", false));
        let got = classify_incidents(
            &d,
            &[RelClass::IntimatePartner, RelClass::OtherFamily, RelClass::OtherFamily],
            &p,
        );
        assert_eq!(got.classes[..3], [IntimatePartner, NotDomestic, IntimatePartner]);
        assert_eq!(got.both[..3], [true, false, true]);
    }
}
