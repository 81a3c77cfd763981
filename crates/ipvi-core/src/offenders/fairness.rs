//! The fairness view: who is on each list, by sex and by race, beside all IPV offenders.
//!
//! Race is never an input to a score or a list rule; it is read here only to audit the lists'
//! composition. A disparity ratio is a group's share of a list divided by its share of all IPV
//! offenders: 1.0 means the list looks like the offender population.

use super::lists::Assignment;
use super::people::PersonInfo;
use super::List;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One group on one list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupShare {
    /// `sex` or `race`.
    pub attribute: String,
    pub group: String,
    /// `all` or a list letter.
    pub list: String,
    pub count: u64,
    pub share: f64,
    /// share on the list / share among all IPV offenders (None for `all` or an empty list).
    pub disparity: Option<f64>,
}

/// Composition of each list by sex and race.
pub fn composition(assignments: &[Assignment], people: &[PersonInfo]) -> Vec<GroupShare> {
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
        for (g, &n) in &all {
            out.push(GroupShare {
                attribute: attribute.into(),
                group: g.clone(),
                list: "all".into(),
                count: n,
                share: n as f64 / total,
                disparity: None,
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
                out.push(GroupShare {
                    attribute: attribute.into(),
                    group: g.clone(),
                    list: list.as_str().into(),
                    count: n,
                    share,
                    disparity: (list_total > 0 && base > 0.0).then(|| share / base),
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
        let c = composition(&assignments, &people);
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
    }
}
