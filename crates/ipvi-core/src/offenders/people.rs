//! What is known of each person across their records: the name, date of birth, sex and race
//! most often recorded, and the agencies that recorded them.

use super::{CaseFile, PersonIx};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// A person as the records describe them most often.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonInfo {
    pub person: PersonIx,
    pub person_id: String,
    /// "LAST, First Middle Suffix" as most often recorded.
    pub name: String,
    /// Other names recorded (aliases, married names, misspellings), most frequent first.
    pub other_names: Vec<String>,
    pub dob: Option<Date>,
    pub sex: String,
    /// For the fairness audit of list composition only; never an input to a score or rule.
    pub race: String,
    pub agencies: BTreeSet<String>,
    pub records: u32,
}

fn mode<T: Clone + Ord + std::hash::Hash>(counts: &HashMap<T, u32>) -> Option<T> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k.clone())
}

/// Describe every person.
pub fn people(cf: &CaseFile<'_>) -> Vec<PersonInfo> {
    #[derive(Default)]
    struct Acc {
        names: HashMap<String, u32>,
        dobs: HashMap<Date, u32>,
        sex: HashMap<String, u32>,
        race: HashMap<String, u32>,
        agencies: BTreeSet<String>,
        records: u32,
    }
    let mut acc: Vec<Acc> = (0..cf.people()).map(|_| Acc::default()).collect();
    for (i, inv) in cf.data.involvements.iter().enumerate() {
        let Some(a) = acc.get_mut(cf.person_of[i] as usize) else {
            continue;
        };
        a.records += 1;
        let mut name = inv.last_name.trim().to_uppercase();
        let given = [inv.first_name.trim(), inv.middle_name.trim(), inv.suffix.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if !given.is_empty() {
            name.push_str(", ");
            name.push_str(&given);
        }
        if !name.is_empty() {
            *a.names.entry(name).or_default() += 1;
        }
        if let Some(d) = inv.dob {
            *a.dobs.entry(d).or_default() += 1;
        }
        if !inv.sex.trim().is_empty() {
            *a.sex.entry(inv.sex.trim().to_uppercase()).or_default() += 1;
        }
        if !inv.race.trim().is_empty() {
            *a.race.entry(inv.race.trim().to_uppercase()).or_default() += 1;
        }
        if let Some(ix) = cf.incident(inv.incident_id) {
            let agency = cf.data.incidents.get(ix).map_or("", |i| i.agency);
            if !agency.is_empty() {
                a.agencies.insert(agency.to_string());
            }
        }
    }
    acc.into_iter()
        .enumerate()
        .map(|(p, a)| {
            let name = mode(&a.names).unwrap_or_default();
            let mut others: Vec<(String, u32)> = a.names.into_iter().filter(|(n, _)| *n != name).collect();
            others.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            PersonInfo {
                person: p as PersonIx,
                person_id: cf.person_ids.get(p).cloned().unwrap_or_default(),
                name,
                other_names: others.into_iter().map(|(n, _)| n).collect(),
                dob: mode(&a.dobs),
                sex: mode(&a.sex).unwrap_or_else(|| "U".into()),
                race: mode(&a.race).unwrap_or_else(|| "U".into()),
                agencies: a.agencies,
                records: a.records,
            }
        })
        .collect()
}
