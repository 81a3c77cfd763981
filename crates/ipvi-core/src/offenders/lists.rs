//! The IPVI lists D, C, B and A as rules that are data.
//!
//! A rule names a list and the conditions that must all hold; a person goes on the highest list
//! one of whose rules holds, and every rule that held is kept as a reason with the incidents
//! behind it. Tiers only escalate: given the previous run, nobody moves down. The defaults
//! follow High Point's published description (no formal rule set is published; these are
//! design choices the analyst edits).

use super::features::Features;
use super::score::Score;
use super::{List, PersonIx};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One condition of a rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum Condition {
    /// At least `n` IPV incidents as offender in the window.
    IpvIncidentsAtLeast { n: u32 },
    /// At least `n` IPV incidents that led to a charge or arrest.
    IpvChargesAtLeast { n: u32 },
    /// No IPV incident led to a charge or arrest.
    NoIpvCharge,
    /// Violent felony offending in the window, any crime type.
    ViolentFelony,
    /// A firearm in any incident as offender.
    Firearm,
    /// Any weapon (firearm included) in any incident as offender.
    Weapon,
    /// Strangulation recorded in an incident as offender.
    Strangulation,
    /// At least `n` protective-order violations.
    OrderViolationsAtLeast { n: u32 },
    /// Among the top `percent` of offenders by harm, with at least `min_days` of harm (so that
    /// a small jurisdiction's top percent is not just whoever ranks first).
    HarmTopPercent { percent: f64, min_days: f64 },
    /// At least `n` non-domestic violent incidents.
    NonDomesticViolenceAtLeast { n: u32 },
    /// At least `n` distinct intimate-partner victims.
    VictimsAtLeast { n: u32 },
    /// A new IPV incident after a notification.
    ReoffendedAfterNotification,
}

/// A rule: all conditions must hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub list: List,
    pub description: String,
    pub all_of: Vec<Condition>,
}

/// The rule set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListRules {
    pub version: u32,
    pub rules: Vec<Rule>,
}

impl Default for ListRules {
    fn default() -> Self {
        use Condition::*;
        let r = |id: &str, list, description: &str, all_of: Vec<Condition>| Rule {
            id: id.into(),
            list,
            description: description.into(),
            all_of,
        };
        ListRules {
            version: 1,
            rules: vec![
                r(
                    "A-charges",
                    List::A,
                    "Three or more IPV incidents charged",
                    vec![IpvChargesAtLeast { n: 3 }],
                ),
                r(
                    "A-violent-felony",
                    List::A,
                    "Violent felony offending and a repeat IPV incident",
                    vec![ViolentFelony, IpvIncidentsAtLeast { n: 2 }],
                ),
                r("A-firearm", List::A, "A firearm in an incident", vec![Firearm]),
                r(
                    "A-strangulation",
                    List::A,
                    "Strangulation recorded",
                    vec![Strangulation],
                ),
                r(
                    "A-order",
                    List::A,
                    "Protective-order violation",
                    vec![OrderViolationsAtLeast { n: 1 }],
                ),
                r(
                    "A-harm",
                    List::A,
                    "Top 1% of offenders by harm (at least a year's worth)",
                    vec![HarmTopPercent {
                        percent: 1.0,
                        min_days: 365.0,
                    }],
                ),
                r(
                    "B-second-charge",
                    List::B,
                    "A second IPV incident charged",
                    vec![IpvChargesAtLeast { n: 2 }],
                ),
                r(
                    "B-after-notice",
                    List::B,
                    "A new IPV incident after notification",
                    vec![ReoffendedAfterNotification],
                ),
                r(
                    "C-first-charge",
                    List::C,
                    "A first IPV charge or arrest",
                    vec![IpvChargesAtLeast { n: 1 }],
                ),
                r(
                    "D-incident",
                    List::D,
                    "An IPV incident without a charge",
                    vec![IpvIncidentsAtLeast { n: 1 }, NoIpvCharge],
                ),
            ],
        }
    }
}

/// A rule that held, and the incidents behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub list: List,
    pub description: String,
    pub incidents: Vec<String>,
}

/// One person's list and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub person: PersonIx,
    pub list: List,
    /// Every rule that held, most serious list first.
    pub reasons: Vec<Reason>,
    /// Set when the person is kept on a higher list from an earlier run.
    pub held_from: Option<(List, Date)>,
}

/// A previous run's lists, keyed by the person's external id: what tiers escalate from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub as_of: Option<Date>,
    /// person id → (list, first date on that list).
    pub lists: BTreeMap<String, (List, Date)>,
}

/// How a person's list changed since the previous run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    New,
    Escalated,
    Unchanged,
    /// Held on a higher list because tiers only escalate.
    Held,
}

fn holds(c: &Condition, f: &Features, harm_cut: &dyn Fn(f64) -> f64) -> Option<Vec<String>> {
    let some = |v: &Vec<String>, n: u32| (v.len() as u32 >= n && n > 0).then(|| v.clone());
    match c {
        Condition::IpvIncidentsAtLeast { n } => some(&f.ipv_incidents, *n),
        Condition::IpvChargesAtLeast { n } => some(&f.ipv_charge_incidents, *n),
        Condition::NoIpvCharge => f.ipv_charge_incidents.is_empty().then(Vec::new),
        Condition::ViolentFelony => some(&f.violent_felony, 1),
        Condition::Firearm => some(&f.firearm_incidents, 1),
        Condition::Weapon => some(&f.weapon_incidents, 1),
        Condition::Strangulation => some(&f.strangulation_incidents, 1),
        Condition::OrderViolationsAtLeast { n } => some(&f.order_violations, *n),
        Condition::HarmTopPercent { percent, min_days } => {
            let cut = harm_cut(*percent);
            (f.harm_days >= min_days.max(f64::MIN_POSITIVE) && f.harm_days >= cut).then(|| f.ipv_incidents.clone())
        }
        Condition::NonDomesticViolenceAtLeast { n } => some(&f.non_domestic_violence, *n),
        Condition::VictimsAtLeast { n } => (f.victims >= *n).then(|| f.ipv_incidents.clone()),
        Condition::ReoffendedAfterNotification => some(&f.ipv_after_notification, 1),
    }
}

/// Assign every offender a list. `person_ids` gives the external id of each person (to look up
/// the previous run); `scores` are not read by the default rules but keep the order stable.
pub fn assign(
    features: &[Features],
    rules: &ListRules,
    previous: &Snapshot,
    person_ids: &[String],
    as_of: Date,
) -> Vec<Assignment> {
    let mut harms: Vec<f64> = features.iter().map(|f| f.harm_days).collect();
    harms.sort_by(|a, b| b.total_cmp(a));
    let harm_cut = |percent: f64| -> f64 {
        if harms.is_empty() {
            return f64::INFINITY;
        }
        let k = ((harms.len() as f64 * percent / 100.0).ceil() as usize).clamp(1, harms.len());
        harms[k - 1]
    };
    features
        .iter()
        .map(|f| {
            let mut reasons: Vec<Reason> = rules
                .rules
                .iter()
                .filter_map(|rule| {
                    let mut incidents: Vec<String> = Vec::new();
                    for c in &rule.all_of {
                        let ev = holds(c, f, &harm_cut)?;
                        for id in ev {
                            if !incidents.contains(&id) {
                                incidents.push(id);
                            }
                        }
                    }
                    (!rule.all_of.is_empty()).then(|| Reason {
                        rule: rule.id.clone(),
                        list: rule.list,
                        description: rule.description.clone(),
                        incidents,
                    })
                })
                .collect();
            reasons.sort_by_key(|r| std::cmp::Reverse(r.list));
            let mut list = reasons.first().map(|r| r.list).unwrap_or(List::D);
            let mut held_from = None;
            let id = person_ids.get(f.person as usize).map(String::as_str).unwrap_or("");
            if let Some(&(prev, since)) = previous.lists.get(id) {
                if prev > list {
                    list = prev;
                    held_from = Some((prev, since));
                }
            }
            let _ = as_of;
            Assignment {
                person: f.person,
                list,
                reasons,
                held_from,
            }
        })
        .collect()
}

/// The snapshot to keep for the next run.
pub fn snapshot(assignments: &[Assignment], previous: &Snapshot, person_ids: &[String], as_of: Date) -> Snapshot {
    let mut lists = previous.lists.clone();
    for a in assignments {
        let Some(id) = person_ids.get(a.person as usize) else {
            continue;
        };
        match lists.get(id) {
            Some(&(prev, _)) if prev >= a.list => {}
            _ => {
                lists.insert(id.clone(), (a.list, as_of));
            }
        }
    }
    Snapshot {
        as_of: Some(as_of),
        lists,
    }
}

/// How each assignment changed since the previous run.
pub fn changes(assignments: &[Assignment], previous: &Snapshot, person_ids: &[String]) -> Vec<Change> {
    assignments
        .iter()
        .map(|a| {
            let id = person_ids.get(a.person as usize).map(String::as_str).unwrap_or("");
            match previous.lists.get(id) {
                None => Change::New,
                Some(_) if a.held_from.is_some() => Change::Held,
                Some(&(prev, _)) if a.list > prev => Change::Escalated,
                Some(_) => Change::Unchanged,
            }
        })
        .collect()
}

/// Scores are attached to assignments by person for display.
pub fn by_person(scores: &[Score]) -> BTreeMap<PersonIx, &Score> {
    scores.iter().map(|s| (s.person, s)).collect()
}
