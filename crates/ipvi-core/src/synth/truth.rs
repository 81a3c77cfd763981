//! Read the synthetic export's `truth/` back, to judge a step against the truth: the true person
//! of every record (`truth/person_records.csv`) and the true class of every pair
//! (`truth/pairs.csv`). Only for validation and for runs that ask for the true identities
//! explicitly; an analysis of real data links people and classifies pairs itself.

use crate::diag::{Diagnostic, Severity};
use crate::model::{Dataset, RelClass};
use std::collections::HashMap;

fn rows(file: &str, bytes: &[u8], cols: &[&str], diags: &mut Vec<Diagnostic>) -> Vec<Vec<String>> {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let Ok(headers) = rd.headers().cloned() else {
        diags.push(Diagnostic::file(Severity::Error, file, "the header row cannot be read"));
        return Vec::new();
    };
    let idx: Vec<Option<usize>> = cols.iter().map(|c| headers.iter().position(|h| h == *c)).collect();
    if let Some(k) = idx.iter().position(Option::is_none) {
        diags.push(Diagnostic::file(
            Severity::Error,
            file,
            format!("column {:?} is missing: is this the generator's truth file?", cols[k]),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, rec) in rd.records().enumerate() {
        match rec {
            Ok(r) => out.push(
                idx.iter()
                    .map(|i| i.and_then(|i| r.get(i)).unwrap_or("").to_string())
                    .collect(),
            ),
            Err(e) => diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                k as u64 + 2,
                "",
                "",
                format!("unreadable row ({e}); skipped"),
            )),
        }
    }
    out
}

/// The true person of each involvement of `data` (parallel to `data.involvements`) and the person
/// ids, from `truth/person_records.csv`. A record missing from the truth becomes a person of its
/// own, with a warning.
pub fn true_people(data: &Dataset, person_records: &[u8]) -> (Vec<u32>, Vec<String>, Vec<Diagnostic>) {
    let file = "truth/person_records.csv";
    let mut diags = Vec::new();
    let map: HashMap<String, String> = rows(file, person_records, &["record_id", "person_id"], &mut diags)
        .into_iter()
        .map(|mut r| {
            let p = r.pop().unwrap_or_default();
            let rec = r.pop().unwrap_or_default();
            (rec, p)
        })
        .collect();
    let mut ids: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut person_of = Vec::with_capacity(data.involvements.len());
    for inv in &data.involvements {
        let id = match map.get(inv.record_id) {
            Some(p) => p.clone(),
            None => {
                diags.push(Diagnostic::cell(
                    Severity::Warning,
                    file,
                    0,
                    "record_id",
                    inv.record_id,
                    "record not in the truth: kept as a person of its own",
                ));
                format!("record:{}", inv.record_id)
            }
        };
        let next = ids.len() as u32;
        let ix = *index.entry(id.clone()).or_insert_with(|| {
            ids.push(id);
            next
        });
        person_of.push(ix);
    }
    (person_of, ids, diags)
}

/// The true class of each pair of `data` (parallel to `data.pairs`), from `truth/pairs.csv`;
/// `Unknown` for a pair missing from the truth.
pub fn true_classes(data: &Dataset, pairs: &[u8]) -> (Vec<RelClass>, Vec<Diagnostic>) {
    let file = "truth/pairs.csv";
    let mut diags = Vec::new();
    let map: HashMap<(String, String, String), RelClass> = rows(
        file,
        pairs,
        &["incident_id", "victim_record_id", "offender_record_id", "class"],
        &mut diags,
    )
    .into_iter()
    .filter_map(|r| {
        let c = RelClass::parse(&r[3])?;
        Some(((r[0].clone(), r[1].clone(), r[2].clone()), c))
    })
    .collect();
    let classes = data
        .pairs
        .iter()
        .map(|p| {
            map.get(&(
                p.incident_id.to_string(),
                p.victim_record_id.to_string(),
                p.offender_record_id.to_string(),
            ))
            .copied()
            .unwrap_or(RelClass::Unknown)
        })
        .collect();
    (classes, diags)
}
