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
