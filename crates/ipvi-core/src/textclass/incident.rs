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
use std::collections::{BTreeMap, HashMap, HashSet};

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
    let mut by_incident: HashMap<&str, (Option<IncidentClass>, bool, bool)> = HashMap::new();
    let mut marked: HashSet<&str> = HashSet::new();
    for (p, &c) in data.pairs.iter().zip(pair_class) {
        let e = by_incident
            .entry(p.incident_id.as_str())
            .or_insert((None, false, false));
        let ic = IncidentClass::of_pair(c);
        e.0 = Some(e.0.map_or(ic, |x| x.min(ic)));
        e.1 |= c == RelClass::IntimatePartner;
        e.2 |= c == RelClass::OtherFamily;
        if p.dv_circumstance {
            marked.insert(p.incident_id.as_str());
        }
    }
    for a in &data.arrests {
        if let (Some(iid), Some(true)) = (a.incident_id.as_deref(), a.domestic) {
            marked.insert(iid);
        }
    }
    let mut out = IncidentClasses::default();
    for (row, inc) in data.incidents.iter().enumerate() {
        let id = inc.incident_id.as_str();
        let off = offenses.of_row(row);
        let marker = inc.domestic_flag == Some(true) || marked.contains(id) || off.is_some_and(|o| o.is_domestic());
        let (class, both) = match by_incident.get(id) {
            Some(&(Some(c), ipv, fam)) => {
                if c < IncidentClass::DomesticUnspecified || !marker {
                    (c, ipv && fam)
                } else {
                    (IncidentClass::DomesticUnspecified, false)
                }
            }
            _ => match off {
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
