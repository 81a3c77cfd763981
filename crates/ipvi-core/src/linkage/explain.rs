//! Explanations: why two records match (each field's level and its contribution to the weight)
//! and why a person is one person (the records and the edges that joined them).

use super::cluster::EdgeStatus;
use super::compare::level_of;
use super::{probability, LinkOutput, Scorer};
use serde::{Deserialize, Serialize};

/// One comparison's part in a pair's weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldContribution {
    pub comparison: String,
    pub level: String,
    /// log2(m/u) of the level (0 for a missing value).
    pub log2_bayes_factor: f64,
    /// Term-frequency adjustment added (log2).
    pub tf_adjustment: f64,
}

/// A pair's weight, field by field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairExplanation {
    pub record_a: String,
    pub record_b: String,
    /// log2(λ/(1-λ)).
    pub prior: f64,
    pub fields: Vec<FieldContribution>,
    pub weight: f64,
    pub probability: f64,
}

/// Explain the pair of records at input positions `i` and `j` (any pair, blocked or not).
pub fn explain_pair(out: &LinkOutput, i: usize, j: usize) -> PairExplanation {
    let s = &out.model;
    let f = &out.features;
    let scorer = Scorer::new(s);
    let v = f.vector(&s.comparisons, i, j);
    let fields = s
        .comparisons
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let l = level_of(v, k).min(c.levels.len() - 1);
            FieldContribution {
                comparison: c.name.clone(),
                level: c.levels[l].label.clone(),
                log2_bayes_factor: c.levels[l].log2_bf(),
                tf_adjustment: scorer.tf_adjustment(f, k, l, i, j),
            }
        })
        .collect();
    let weight = scorer.weight(f, v, i, j);
    PairExplanation {
        record_a: out.record_ids[i].clone(),
        record_b: out.record_ids[j].clone(),
        prior: scorer.prior,
        fields,
        weight,
        probability: probability(weight),
    }
}

/// An edge inside (or refused at the edge of) a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonEdge {
    pub record_a: String,
    pub record_b: String,
    pub weight: f64,
    pub probability: f64,
    pub status: EdgeStatus,
}

/// A person: the records that form them and the edges that joined them (plus edges a guard
/// refused, which tell why someone is not part of them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonExplanation {
    pub person_id: u64,
    pub records: Vec<String>,
    pub edges: Vec<PersonEdge>,
}

/// Explain a person by id.
pub fn explain_person(out: &LinkOutput, person_id: u64) -> PersonExplanation {
    let records: Vec<String> = out
        .person_ids
        .iter()
        .zip(&out.record_ids)
        .filter(|(&p, _)| p == person_id)
        .map(|(_, r)| r.clone())
        .collect();
    let edges = out
        .edges
        .iter()
        .zip(&out.edge_status)
        .filter(|(e, st)| {
            let (a, b) = (out.person_ids[e.i as usize], out.person_ids[e.j as usize]);
            (a == person_id || b == person_id) && !matches!(st, EdgeStatus::BelowThreshold)
        })
        .map(|(e, st)| PersonEdge {
            record_a: out.record_ids[e.i as usize].clone(),
            record_b: out.record_ids[e.j as usize].clone(),
            weight: f64::from(e.weight),
            probability: e.probability(),
            status: *st,
        })
        .collect();
    PersonExplanation {
        person_id,
        records,
        edges,
    }
}

/// A comparison's name in plain words: `first_name` → "First name", `dob` → "Date of birth".
pub fn plain_comparison(name: &str) -> String {
    match name {
        "dob" => "Date of birth".to_string(),
        "identifier" => "Identifier (e.g. state id)".to_string(),
        other => {
            let words = other.replace('_', " ");
            let mut c = words.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

/// A comparison level's label in plain words for the analyst: "null" → "missing on a record (no
/// evidence either way)", "else" → "different", "jaro_winkler >= 0.92" → "spelt very nearly the
/// same". Labels the function does not know are shown with underscores as spaces.
pub fn plain_level(label: &str) -> String {
    let l = label.trim();
    let fixed = match l {
        "null" => Some("missing on a record (no evidence either way)"),
        "exact" => Some("the same"),
        "else" => Some("different"),
        "nickname" => Some("a nickname of the other (William and Bill)"),
        "swapped with other name" => Some("first and last name swapped"),
        "swapped with typos" => Some("first and last name swapped, with typing errors"),
        "soundex" => Some("sounds the same (Soundex)"),
        "initial" => Some("same initial only"),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.to_string();
    }
    if let Some(t) = l
        .strip_prefix("jaro_winkler >=")
        .and_then(|t| t.trim().parse::<f64>().ok())
    {
        return if t >= 0.92 {
            format!("spelt very nearly the same (similarity {t} or more)")
        } else {
            format!("spelt nearly the same (similarity {t} or more)")
        };
    }
    if let Some(n) = l
        .strip_prefix("damerau_levenshtein <=")
        .and_then(|t| t.trim().parse::<u32>().ok())
    {
        return if n == 1 {
            "one letter different, missing or swapped".to_string()
        } else {
            format!("up to {n} letters different, missing or swapped")
        };
    }
    l.replace('_', " ")
}

/// A field's part in a pair's weight in plain words: "+3.2: 9.2 times likelier one person",
/// "−2.0: 4.0 times likelier two people", "0.0: no evidence".
pub fn plain_contribution(log2: f64) -> String {
    if !log2.is_finite() || log2.abs() < 0.05 {
        return "no evidence either way".to_string();
    }
    let times = 2f64.powf(log2.abs());
    let times = if times >= 100.0 {
        format!("{times:.0}")
    } else {
        format!("{times:.1}")
    };
    if log2 > 0.0 {
        format!("{times} times likelier one person")
    } else {
        format!("{times} times likelier two people")
    }
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    /// Regression: the linkage review showed "null", "else" and "Contribution (log2)".
    #[test]
    fn every_default_level_and_comparison_reads_in_plain_words() {
        for c in super::super::default_comparisons() {
            let n = plain_comparison(&c.name);
            assert!(!n.contains('_') && n != "dob", "{n}");
            for l in &c.levels {
                let p = plain_level(&l.label);
                assert!(
                    !p.contains('_') && !["null", "else"].contains(&p.as_str()),
                    "{} → {p}",
                    l.label
                );
            }
        }
        assert_eq!(plain_level("else"), "different");
        assert_eq!(plain_comparison("first_name"), "First name");
        assert_eq!(plain_contribution(3.2), "9.2 times likelier one person");
        assert_eq!(plain_contribution(-2.0), "4.0 times likelier two people");
        assert_eq!(plain_contribution(0.0), "no evidence either way");
    }
}
