//! The IPVI lists D, C, B and A as rules that are data.
//!
//! A rule names a list and the conditions that must all hold; a person goes on the highest list
//! one of whose rules holds, and every rule that held is kept as a reason with the incidents
//! behind it. Tiers only escalate: given the previous run, nobody moves down. Flags are rules
//! without a list: each that holds is shown beside the person with its reason (the danger
//! markers: a firearm, strangulation, a protective-order violation).
//!
//! The defaults are data (`data/list_rules.json`, in the format the analyst saves and loads)
//! and follow High Point's published description: A is the few most dangerous ("multiple
//! complaints, charges, a history of convictions and/or weapon use"), so a danger marker puts
//! someone on A only together with a chronic or violent history; alone it flags the person and
//! puts them on C at least (no formal rule set is published; these are design choices the
//! analyst edits). [`impact`] shows what a candidate rule set would do before it is applied.

use super::features::Features;
use super::score::Score;
use super::{List, PersonIx};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The default rules, in the saved format.
const DEFAULT_RULES: &str = include_str!("../../data/list_rules.json");

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
    /// Violent felony offending in an incident that is not one of the person's IPV incidents
    /// (another victim, another kind of crime): a violent history beyond the IPV itself.
    OtherViolentFelony,
    /// At least one of the conditions holds (e.g. "a chronic or a violent history").
    AnyOf { of: Vec<Condition> },
}

/// A rule: all conditions must hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub list: List,
    pub description: String,
    pub all_of: Vec<Condition>,
}

/// A flag: all conditions must hold; it marks the person with its reason and places nobody.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlagRule {
    pub id: String,
    pub description: String,
    pub all_of: Vec<Condition>,
}

/// The rule set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListRules {
    pub version: u32,
    pub rules: Vec<Rule>,
    /// Flags shown beside the person (the danger markers by default).
    #[serde(default)]
    pub flags: Vec<FlagRule>,
}

/// Why a rule set could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListRulesError {
    #[error("list rules {file}, line {line}, column {column}: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("list rules {file}: rule {rule:?} has no condition (it would hold for nobody); add one under all_of")]
    Empty { file: String, rule: String },
    #[error("list rules {file}: the id {rule:?} is used twice; give each rule its own id")]
    Duplicate { file: String, rule: String },
}

impl Default for ListRules {
    fn default() -> Self {
        // The embedded file is tested; an error here would be a build defect, so fall back to
        // the one rule every list needs (an IPV incident: D) rather than panic.
        Self::from_json("list_rules.json", DEFAULT_RULES).unwrap_or_else(|_| ListRules {
            version: 2,
            rules: vec![Rule {
                id: "D-incident".into(),
                list: List::D,
                description: "An IPV incident".into(),
                all_of: vec![Condition::IpvIncidentsAtLeast { n: 1 }],
            }],
            flags: Vec::new(),
        })
    }
}

impl ListRules {
    /// Read a rule set saved as JSON (`file` names it in errors).
    pub fn from_json(file: &str, text: &str) -> Result<ListRules, ListRulesError> {
        let rules: ListRules = serde_json::from_str(text).map_err(|e| ListRulesError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let ids = rules
            .rules
            .iter()
            .map(|r| (&r.id, r.all_of.is_empty()))
            .chain(rules.flags.iter().map(|f| (&f.id, f.all_of.is_empty())));
        let mut seen = std::collections::BTreeSet::new();
        for (id, empty) in ids {
            if empty {
                return Err(ListRulesError::Empty {
                    file: file.to_string(),
                    rule: id.clone(),
                });
            }
            if !seen.insert(id.clone()) {
                return Err(ListRulesError::Duplicate {
                    file: file.to_string(),
                    rule: id.clone(),
                });
            }
        }
        Ok(rules)
    }

    /// The rule set as the JSON the analyst saves and loads.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
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
    /// Every flag that held (danger markers), with the incidents behind it.
    #[serde(default)]
    pub flags: Vec<Flag>,
}

/// A flag that held, and the incidents behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub flag: String,
    pub description: String,
    pub incidents: Vec<String>,
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
        Condition::OtherViolentFelony => {
            let other: Vec<String> = f
                .violent_felony
                .iter()
                .filter(|id| !f.ipv_incidents.contains(id))
                .cloned()
                .collect();
            (!other.is_empty()).then_some(other)
        }
        Condition::AnyOf { of } => {
            let mut out: Option<Vec<String>> = None;
            for c in of {
                if let Some(ev) = holds(c, f, harm_cut) {
                    let v = out.get_or_insert_with(Vec::new);
                    for id in ev {
                        if !v.contains(&id) {
                            v.push(id);
                        }
                    }
                }
            }
            out
        }
    }
}

/// The incidents behind a conjunction of conditions, or `None` if one does not hold (or there
/// is none).
fn all_hold(all_of: &[Condition], f: &Features, harm_cut: &dyn Fn(f64) -> f64) -> Option<Vec<String>> {
    let mut incidents: Vec<String> = Vec::new();
    for c in all_of {
        for id in holds(c, f, harm_cut)? {
            if !incidents.contains(&id) {
                incidents.push(id);
            }
        }
    }
    (!all_of.is_empty()).then_some(incidents)
}

/// The harm at the top `percent` of offenders (the cut of [`Condition::HarmTopPercent`]).
fn harm_cutter(features: &[Features]) -> impl Fn(f64) -> f64 {
    let mut harms: Vec<f64> = features.iter().map(|f| f.harm_days).collect();
    harms.sort_by(|a, b| b.total_cmp(a));
    move |percent: f64| -> f64 {
        if harms.is_empty() {
            return f64::INFINITY;
        }
        let k = ((harms.len() as f64 * percent / 100.0).ceil() as usize).clamp(1, harms.len());
        harms[k - 1]
    }
}

/// Assign every offender a list. `person_ids` gives the external id of each person (to look up
/// the previous run).
pub fn assign(
    features: &[Features],
    rules: &ListRules,
    previous: &Snapshot,
    person_ids: &[String],
    as_of: Date,
) -> Vec<Assignment> {
    let harm_cut = harm_cutter(features);
    features
        .iter()
        .map(|f| {
            let mut reasons: Vec<Reason> = rules
                .rules
                .iter()
                .filter_map(|rule| {
                    all_hold(&rule.all_of, f, &harm_cut).map(|incidents| Reason {
                        rule: rule.id.clone(),
                        list: rule.list,
                        description: rule.description.clone(),
                        incidents,
                    })
                })
                .collect();
            reasons.sort_by_key(|r| std::cmp::Reverse(r.list));
            let flags: Vec<Flag> = rules
                .flags
                .iter()
                .filter_map(|flag| {
                    all_hold(&flag.all_of, f, &harm_cut).map(|incidents| Flag {
                        flag: flag.id.clone(),
                        description: flag.description.clone(),
                        incidents,
                    })
                })
                .collect();
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
                flags,
            }
        })
        .collect()
}

/// What one rule of a candidate set does on the loaded data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleImpact {
    pub rule: String,
    pub list: List,
    pub description: String,
    /// People for whom the rule holds.
    pub holds: u64,
    /// People this rule places: it is the first rule (in the set's order) of their list.
    pub places: u64,
    /// People it raises: without this rule they would be on a lower list.
    pub raises: u64,
}

/// What a candidate rule set would do, before it is applied: per rule, and the list sizes now
/// and with the candidate (before tiers are held from earlier runs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    pub rules: Vec<RuleImpact>,
    /// People flagged by each flag of the candidate set.
    pub flags: Vec<(String, u64)>,
    /// List sizes with the current rules, in the order A, B, C, D.
    pub now: [u64; 4],
    /// List sizes with the candidate rules, in the order A, B, C, D.
    pub with_candidate: [u64; 4],
    /// People whose list would go up, and down.
    pub up: u64,
    pub down: u64,
}

/// The index of a list in [`Impact::now`]: A 0, B 1, C 2, D 3.
pub fn list_index(l: List) -> usize {
    match l {
        List::A => 0,
        List::B => 1,
        List::C => 2,
        List::D => 3,
    }
}

/// The list of each person under a rule set, and which rules held (pure; no tiers held).
fn held_rules(features: &[Features], rules: &[Rule]) -> Vec<Vec<usize>> {
    let harm_cut = harm_cutter(features);
    features
        .iter()
        .map(|f| {
            (0..rules.len())
                .filter(|&i| all_hold(&rules[i].all_of, f, &harm_cut).is_some())
                .collect()
        })
        .collect()
}

fn top_list(rules: &[Rule], held: &[usize], without: Option<usize>) -> List {
    held.iter()
        .filter(|&&i| Some(i) != without)
        .map(|&i| rules[i].list)
        .max()
        .unwrap_or(List::D)
}

/// What `candidate` would do on these features against `current`: for each candidate rule the
/// people it holds for, places and raises; each flag's count; and the list sizes before and
/// after. Both sets are applied afresh (tiers held from earlier runs are left out), so the
/// sizes show the rules alone.
pub fn impact(features: &[Features], current: &ListRules, candidate: &ListRules) -> Impact {
    let now_held = held_rules(features, &current.rules);
    let cand_held = held_rules(features, &candidate.rules);
    let mut out = Impact {
        rules: candidate
            .rules
            .iter()
            .map(|r| RuleImpact {
                rule: r.id.clone(),
                list: r.list,
                description: r.description.clone(),
                holds: 0,
                places: 0,
                raises: 0,
            })
            .collect(),
        flags: Vec::new(),
        now: [0; 4],
        with_candidate: [0; 4],
        up: 0,
        down: 0,
    };
    for (now, cand) in now_held.iter().zip(&cand_held) {
        let before = top_list(&current.rules, now, None);
        let after = top_list(&candidate.rules, cand, None);
        out.now[list_index(before)] += 1;
        out.with_candidate[list_index(after)] += 1;
        out.up += u64::from(after > before);
        out.down += u64::from(after < before);
        if let Some(&first) = cand.iter().find(|&&i| candidate.rules[i].list == after) {
            out.rules[first].places += 1;
        }
        for &i in cand {
            out.rules[i].holds += 1;
            if top_list(&candidate.rules, cand, Some(i)) < after {
                out.rules[i].raises += 1;
            }
        }
    }
    let harm_cut = harm_cutter(features);
    out.flags = candidate
        .flags
        .iter()
        .map(|fl| {
            let n = features
                .iter()
                .filter(|f| all_hold(&fl.all_of, f, &harm_cut).is_some())
                .count() as u64;
            (fl.id.clone(), n)
        })
        .collect();
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn person(p: PersonIx, ipv: usize, charges: usize) -> Features {
        let ids = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{p}-{i}")).collect::<Vec<_>>();
        let ipv_incidents = ids("i", ipv);
        Features {
            person: p,
            ipv_charge_incidents: ipv_incidents.iter().take(charges).cloned().collect(),
            frequency: ipv as u32,
            ipv_incidents,
            ..Features::default()
        }
    }

    #[test]
    fn the_default_rules_are_the_data_file_and_round_trip_in_the_saved_format() {
        let rules = ListRules::from_json("list_rules.json", DEFAULT_RULES).unwrap();
        assert_eq!(rules, ListRules::default());
        assert!(rules.rules.len() >= 8 && rules.flags.len() == 3);
        assert_eq!(ListRules::from_json("saved.json", &rules.to_json()), Ok(rules.clone()));
        // Every list has a rule, and every A rule with a danger marker asks for a history too
        // (three or more IPV incidents).
        for l in [List::A, List::B, List::C, List::D] {
            assert!(rules.rules.iter().any(|r| r.list == l), "no rule for {l:?}");
        }
        fn marker(c: &Condition) -> bool {
            match c {
                Condition::Firearm | Condition::Strangulation | Condition::OrderViolationsAtLeast { .. } => true,
                Condition::AnyOf { of } => of.iter().any(marker),
                _ => false,
            }
        }
        let dangerous: Vec<&Rule> = rules
            .rules
            .iter()
            .filter(|r| r.list == List::A && r.all_of.iter().any(marker))
            .collect();
        assert_eq!(dangerous.len(), 2);
        for r in dangerous {
            assert!(
                r.all_of
                    .iter()
                    .any(|c| matches!(c, Condition::IpvIncidentsAtLeast { n } if *n >= 3)),
                "{} places on A by a marker without a history",
                r.id
            );
        }
    }

    #[test]
    fn bad_rule_files_are_refused_with_file_line_and_column() {
        let e =
            ListRules::from_json("mine.json", "{\n  \"version\": 2,\n  \"rules\": [ { \"id\": 3 } ]\n}").unwrap_err();
        assert!(matches!(e, ListRulesError::Json { line: 3, .. }), "{e:?}");
        assert!(e.to_string().starts_with("list rules mine.json, line 3, column"), "{e}");
        let e = ListRules::from_json(
            "mine.json",
            r#"{"version":2,"rules":[{"id":"X","list":"A","description":"","all_of":[{"when":"gun"}]}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("gun"), "names the unknown condition: {e}");
        let e = ListRules::from_json(
            "mine.json",
            r#"{"version":2,"rules":[{"id":"X","list":"A","description":"","all_of":[]}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            ListRulesError::Empty {
                file: "mine.json".into(),
                rule: "X".into()
            }
        );
        let one = r#"{"id":"X","list":"D","description":"","all_of":[{"when":"no_ipv_charge"}]}"#;
        let e = ListRules::from_json("mine.json", &format!(r#"{{"version":2,"rules":[{one},{one}]}}"#)).unwrap_err();
        assert!(matches!(e, ListRulesError::Duplicate { .. }), "{e:?}");
    }

    #[test]
    fn any_of_holds_with_the_incidents_of_every_branch_that_holds() {
        let mut f = person(0, 1, 0);
        f.firearm_incidents = vec!["g".into()];
        f.order_violations = vec!["o".into()];
        let any = Condition::AnyOf {
            of: vec![
                Condition::Firearm,
                Condition::Strangulation,
                Condition::OrderViolationsAtLeast { n: 1 },
            ],
        };
        let cut = |_: f64| f64::INFINITY;
        assert_eq!(holds(&any, &f, &cut), Some(vec!["g".to_string(), "o".to_string()]));
        f.firearm_incidents.clear();
        f.order_violations.clear();
        assert_eq!(holds(&any, &f, &cut), None);
        assert_eq!(holds(&Condition::AnyOf { of: vec![] }, &f, &cut), None);
    }

    #[test]
    fn other_violent_felony_leaves_out_the_ipv_incidents_themselves() {
        let mut f = person(0, 2, 0);
        f.violent_felony = vec!["i0-0".into()];
        let cut = |_: f64| f64::INFINITY;
        assert_eq!(holds(&Condition::OtherViolentFelony, &f, &cut), None);
        f.violent_felony.push("robbery".into());
        assert_eq!(
            holds(&Condition::OtherViolentFelony, &f, &cut),
            Some(vec!["robbery".to_string()])
        );
    }

    #[test]
    fn impact_counts_what_each_rule_places_and_raises_and_the_sizes_before_and_after() {
        // Current: D for an incident, C for a charge. Candidate adds B for two incidents and A
        // for a firearm.
        let rule = |id: &str, list, all_of| Rule {
            id: id.into(),
            list,
            description: String::new(),
            all_of,
        };
        let current = ListRules {
            version: 2,
            rules: vec![
                rule("C", List::C, vec![Condition::IpvChargesAtLeast { n: 1 }]),
                rule("D", List::D, vec![Condition::IpvIncidentsAtLeast { n: 1 }]),
            ],
            flags: vec![],
        };
        let mut candidate = current.clone();
        candidate
            .rules
            .insert(0, rule("B2", List::B, vec![Condition::IpvIncidentsAtLeast { n: 2 }]));
        candidate
            .rules
            .insert(0, rule("Agun", List::A, vec![Condition::Firearm]));
        candidate.flags.push(FlagRule {
            id: "gun".into(),
            description: String::new(),
            all_of: vec![Condition::Firearm],
        });
        let mut gun = person(3, 2, 1);
        gun.firearm_incidents = vec!["i3-0".into()];
        // 0: one incident (D → D); 1: one charged (C → C); 2: two incidents (D → B);
        // 3: two incidents, one charged, a firearm (C → A; B2 holds but does not place).
        let feats = vec![person(0, 1, 0), person(1, 1, 1), person(2, 2, 0), gun];
        let i = impact(&feats, &current, &candidate);
        assert_eq!(i.now, [0, 0, 2, 2]);
        assert_eq!(i.with_candidate, [1, 1, 1, 1]);
        assert_eq!((i.up, i.down), (2, 0));
        let by = |id: &str| {
            i.rules
                .iter()
                .find(|r| r.rule == id)
                .map(|r| (r.holds, r.places, r.raises))
        };
        assert_eq!(by("Agun"), Some((1, 1, 1)));
        assert_eq!(by("B2"), Some((2, 1, 1)));
        // C raises person 1 from D; for person 3 the firearm rule is above it.
        assert_eq!(by("C"), Some((2, 1, 1)));
        assert_eq!(by("D"), Some((4, 1, 0)));
        assert_eq!(i.flags, vec![("gun".to_string(), 1)]);
        // The same set against itself moves nobody.
        let same = impact(&feats, &candidate, &candidate);
        assert_eq!(same.now, same.with_candidate);
        assert_eq!((same.up, same.down), (0, 0));
        // And it agrees with `assign`.
        let a = assign(&feats, &candidate, &Snapshot::default(), &[], Date(0));
        let mut sizes = [0u64; 4];
        for x in &a {
            sizes[list_index(x.list)] += 1;
        }
        assert_eq!(sizes, i.with_candidate);
    }
}
