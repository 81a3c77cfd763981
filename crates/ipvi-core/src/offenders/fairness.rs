//! The fairness view: who is on each list, by sex and by race, beside all IPV offenders.
//!
//! Race is never an input to a score or a list rule; it is read here only to audit the lists'
//! composition. A disparity ratio is a group's share of a list divided by its share of all IPV
//! offenders: 1.0 means the list looks like the offender population. A ratio drawn from fewer
//! people than the suppression threshold ([`crate::report::suppress::THRESHOLD`], 11) says
//! nothing reliable (one person more or less moves it by half), so such a group gets a caution
//! instead of a ratio. Groups are named through [`crate::codes`] ("Asian (A)", not "A").

use super::lists::Assignment;
use super::people::PersonInfo;
use super::List;
use crate::codes::{label, CodeKind};
use crate::report::suppress::THRESHOLD;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One group on one list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupShare {
    /// `sex` or `race`.
    pub attribute: String,
    /// The code as recorded (empty when not recorded).
    pub group: String,
    /// The group's name for display ([`crate::codes::label`]).
    #[serde(default)]
    pub label: String,
    /// `all` or a list letter.
    pub list: String,
    pub count: u64,
    pub share: f64,
    /// share on the list / share among all IPV offenders (None for `all`, an empty list, or a
    /// group under the threshold).
    pub disparity: Option<f64>,
    /// Why there is no ratio for a group on a list with people on it (too few people).
    #[serde(default)]
    pub caution: Option<String>,
}

/// Composition of each list by sex and race, with ratios only for groups of at least
/// [`THRESHOLD`] people on the list.
pub fn composition(assignments: &[Assignment], people: &[PersonInfo]) -> Vec<GroupShare> {
    composition_with(assignments, people, THRESHOLD)
}

/// [`composition`] with another threshold: a group with fewer than `threshold` people on a list
/// gets a caution instead of a disparity ratio.
pub fn composition_with(assignments: &[Assignment], people: &[PersonInfo], threshold: u64) -> Vec<GroupShare> {
    let mut out = Vec::new();
    for attribute in ["sex", "race"] {
        let group_of = |a: &Assignment| -> String {
            people
                .get(a.person as usize)
                .map(|p| {
                    if attribute == "sex" {
                        p.sex.clone()
                    } else {
                        p.race.clone()
                    }
                })
                .unwrap_or_else(|| "U".into())
        };
        let mut all: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_list: BTreeMap<List, BTreeMap<String, u64>> = BTreeMap::new();
        for a in assignments {
            let g = group_of(a);
            *all.entry(g.clone()).or_default() += 1;
            *by_list.entry(a.list).or_default().entry(g).or_default() += 1;
        }
        let total = assignments.len() as f64;
        let kind = if attribute == "sex" {
            CodeKind::Sex
        } else {
            CodeKind::Race
        };
        for (g, &n) in &all {
            out.push(GroupShare {
                attribute: attribute.into(),
                group: g.clone(),
                label: label(kind, g),
                list: "all".into(),
                count: n,
                share: n as f64 / total,
                disparity: None,
                caution: None,
            });
        }
        for list in [List::A, List::B, List::C, List::D] {
            let groups = by_list.get(&list).cloned().unwrap_or_default();
            let list_total: u64 = groups.values().sum();
            for (g, &n_all) in &all {
                let n = groups.get(g).copied().unwrap_or(0);
                let share = if list_total > 0 {
                    n as f64 / list_total as f64
                } else {
                    0.0
                };
                let base = n_all as f64 / total;
                let small = list_total > 0 && n < threshold;
                out.push(GroupShare {
                    attribute: attribute.into(),
                    group: g.clone(),
                    label: label(kind, g),
                    list: list.as_str().into(),
                    count: n,
                    share,
                    disparity: (list_total > 0 && base > 0.0 && !small).then(|| share / base),
                    caution: small.then(|| format!("fewer than {threshold} people: no ratio")),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offenders::PersonIx;

    fn a(person: PersonIx, list: List) -> Assignment {
        Assignment {
            person,
            list,
            reasons: vec![],
            held_from: None,
            flags: Vec::new(),
        }
    }

    fn p(person: PersonIx, sex: &str, race: &str) -> PersonInfo {
        PersonInfo {
            person,
            sex: sex.into(),
            race: race.into(),
            ..PersonInfo::default()
        }
    }

    #[test]
    fn disparity_is_share_on_list_over_share_overall() {
        let assignments = [a(0, List::A), a(1, List::D), a(2, List::D), a(3, List::D)];
        let people = [p(0, "M", "W"), p(1, "M", "B"), p(2, "F", "W"), p(3, "F", "B")];
        let c = composition_with(&assignments, &people, 0);
        let get = |attr: &str, g: &str, l: &str| {
            c.iter()
                .find(|x| x.attribute == attr && x.group == g && x.list == l)
                .cloned()
        };
        let male_a = get("sex", "M", "A").expect("row");
        assert_eq!((male_a.count, male_a.share, male_a.disparity), (1, 1.0, Some(2.0)));
        let female_a = get("sex", "F", "A").expect("row");
        assert_eq!(female_a.disparity, Some(0.0));
        assert_eq!(get("race", "B", "all").map(|x| x.share), Some(0.5));
        assert_eq!(
            get("sex", "M", "B").and_then(|x| x.disparity),
            None,
            "empty list has no ratio"
        );
        assert_eq!(
            get("race", "B", "all").map(|x| x.label),
            Some("Black or African American (B)".into())
        );
    }

    /// Regression: a ratio of 2.81 was shown for a group of two people on a list.
    #[test]
    fn groups_under_the_threshold_get_a_caution_not_a_ratio() {
        // 40 people: 12 of race A on list D, 2 of race B on list A, the rest W on list D.
        let mut assignments = Vec::new();
        let mut people = Vec::new();
        for i in 0..40u32 {
            let (race, list) = match i {
                0..=11 => ("A", List::D),
                12..=13 => ("B", List::A),
                _ => ("W", List::D),
            };
            assignments.push(a(i, list));
            people.push(p(i, "M", race));
        }
        let c = composition(&assignments, &people);
        let get = |g: &str, l: &str| {
            c.iter()
                .find(|x| x.attribute == "race" && x.group == g && x.list == l)
                .cloned()
                .expect("row")
        };
        let small = get("B", "A");
        assert_eq!(small.count, 2);
        assert_eq!(small.disparity, None);
        assert!(small.caution.as_deref().is_some_and(|s| s.contains("fewer than 11")));
        let big = get("A", "D");
        assert_eq!(big.count, 12);
        assert!(big.disparity.is_some() && big.caution.is_none(), "{big:?}");
        // Every row with people on its list has exactly one of a ratio and a caution.
        for g in c.iter().filter(|g| g.list != "all" && g.list != "B" && g.list != "C") {
            assert!(g.disparity.is_some() != g.caution.is_some(), "{g:?}");
        }
    }
}
