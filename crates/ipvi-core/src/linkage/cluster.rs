//! Clustering scored pairs into people, with guards against the known traps, analyst decisions,
//! and stable person ids across runs.
//!
//! Pairs at or above the threshold are joined strongest first (union-find). Two groups are
//! joined only when no pair of records across them trips a guard, so one bad edge cannot chain
//! two different people: every record of the merged person must be compatible with every other.
//! The guards (each can be switched off in [`Guards`]):
//! - **split decision**: an analyst said the two records are different people;
//! - **suffix** (Jr/Sr): both records carry a generational suffix and they differ;
//! - **generation**: dates of birth at least `generation_years` apart and not explained by a
//!   typing error (one digit off, day and month swapped) — a father and son at one address;
//! - **twins**: same date of birth and same last name but different first names (not equal, not
//!   nicknames of each other, more than one typing error apart, Jaro-Winkler below 0.9);
//! - **contradiction**: dates of birth that differ beyond a typing error and first names that are
//!   unrelated (Jaro-Winkler below 0.8, not nicknames);
//! - a shared identifier (equal, or one typing error apart) overrules the generation, twins and
//!   contradiction guards (not the suffix guard or a decision): twins and fathers and sons carry
//!   different identifiers;
//! - **cluster size**: a person never grows beyond `max_cluster_size` records.
//!
//! People who share a common name are kept apart by the term-frequency adjustment in the weights
//! (a match on "JOHN SMITH" is worth less than on a rare name) and by the guards above.

use super::compare::{Features, Field, NO_DOB};
use super::names::intersects;
use super::strings::{jaro_winkler, osa_distance};
use super::{Edge, LinkSettings};
use crate::diag::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which guards are on (see the module documentation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Guards {
    pub suffix: bool,
    /// Years of difference in dates of birth that mean another generation (0 = off).
    pub generation_years: u32,
    pub twins: bool,
    pub contradiction: bool,
    pub max_cluster_size: usize,
}

impl Default for Guards {
    fn default() -> Self {
        Guards {
            suffix: true,
            generation_years: 15,
            twins: true,
            contradiction: true,
            max_cluster_size: 500,
        }
    }
}

/// Why a join was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    SplitDecision,
    Suffix,
    Generation,
    Twins,
    Contradiction,
    ClusterSize,
}

/// What clustering did with an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "guard")]
pub enum EdgeStatus {
    /// The edge joined two groups.
    Joined,
    /// Both records were already in one person.
    AlreadyTogether,
    /// Below the threshold (kept for review).
    BelowThreshold,
    /// A guard refused the join (on this pair or a pair across the two groups).
    Refused(Guard),
}

/// An analyst's decisions, keyed by record-id pairs: `confirm` pairs are always one person
/// (must-link), `split` pairs never (cannot-link). Kept between runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decisions {
    pub confirm: Vec<(String, String)>,
    pub split: Vec<(String, String)>,
}

/// Result of clustering: a representative record per record.
#[derive(Clone, Debug)]
pub struct Clustered {
    pub root: Vec<u32>,
    pub status: Vec<EdgeStatus>,
}

fn names_related(f: &Features, a: u32, b: u32) -> bool {
    a == b || intersects(f.nick_groups(a), f.nick_groups(b))
}

fn dob_typo(f: &Features, i: usize, j: usize) -> bool {
    let (x, y) = (&f.dob_digits[i], &f.dob_digits[j]);
    osa_distance(x, y) <= 1 || (x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6])
}

/// The guard a pair of records trips, if any (decisions are checked by the caller).
pub fn guard(f: &Features, g: &Guards, i: usize, j: usize) -> Option<Guard> {
    let id = |fl: Field, k: usize| f.id(fl, k);
    if g.suffix {
        let (a, b) = (id(Field::Suffix, i), id(Field::Suffix, j));
        if a != 0 && b != 0 && a != b {
            return Some(Guard::Suffix);
        }
    }
    // A shared identifier (equal or one typing error apart) says "same person" more strongly
    // than dates and first names say "different": it overrules the guards below.
    let (ia, ib) = (id(Field::Identifier, i), id(Field::Identifier, j));
    if ia != 0 && ib != 0 && (ia == ib || osa_distance(f.bytes(ia), f.bytes(ib)) <= 1) {
        return None;
    }
    let both_dob = f.dob[i] != NO_DOB && f.dob[j] != NO_DOB;
    if both_dob && g.generation_years > 0 {
        let years = f.dob[i].abs_diff(f.dob[j]) / 365;
        if years >= g.generation_years && !dob_typo(f, i, j) {
            return Some(Guard::Generation);
        }
    }
    let (fa, fb) = (id(Field::FirstName, i), id(Field::FirstName, j));
    let first_present = fa != 0 && fb != 0;
    if g.twins && both_dob && first_present && f.dob[i] == f.dob[j] {
        let (la, lb) = (id(Field::LastName, i), id(Field::LastName, j));
        if la != 0
            && la == lb
            && !names_related(f, fa, fb)
            && osa_distance(f.bytes(fa), f.bytes(fb)) > 1
            && jaro_winkler(f.bytes(fa), f.bytes(fb)) < 0.9
        {
            return Some(Guard::Twins);
        }
    }
    if g.contradiction && both_dob && first_present && f.dob[i] != f.dob[j] && !dob_typo(f, i, j) {
        let swapped = fa == id(Field::LastName, j) || fb == id(Field::LastName, i);
        if !names_related(f, fa, fb) && !swapped && jaro_winkler(f.bytes(fa), f.bytes(fb)) < 0.8 {
            return Some(Guard::Contradiction);
        }
    }
    None
}

struct Groups {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            parent: (0..n as u32).collect(),
            members: (0..n as u32).map(|i| vec![i]).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (big, small) = if self.members[a as usize].len() >= self.members[b as usize].len() {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
    }
}

fn key(i: u32, j: u32) -> (u32, u32) {
    (i.min(j), i.max(j))
}

/// Cluster the edges (see the module documentation).
pub fn cluster(
    f: &Features,
    s: &LinkSettings,
    record_ids: &[String],
    edges: &[Edge],
    decisions: &Decisions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Clustered {
    let n = f.n;
    let index: HashMap<&str, u32> = record_ids
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i as u32))
        .collect();
    let mut lookup = |a: &str, b: &str, what: &str| -> Option<(u32, u32)> {
        match (index.get(a), index.get(b)) {
            (Some(&x), Some(&y)) => Some((x, y)),
            _ => {
                diagnostics.push(Diagnostic::file(
                    Severity::Warning,
                    "decisions",
                    format!("a {what} decision names a record id that is not in this run; it was not applied"),
                ));
                None
            }
        }
    };
    let cannot: HashSet<(u32, u32)> = decisions
        .split
        .iter()
        .filter_map(|(a, b)| lookup(a, b, "split"))
        .map(|(x, y)| key(x, y))
        .collect();
    let confirm: Vec<(u32, u32)> = decisions
        .confirm
        .iter()
        .filter_map(|(a, b)| lookup(a, b, "confirm"))
        .collect();
    let mut g = Groups::new(n);
    for (x, y) in confirm {
        let (rx, ry) = (g.find(x), g.find(y));
        if rx != ry {
            g.union(rx, ry);
        }
    }
    for &(x, y) in &cannot {
        if g.find(x) == g.find(y) {
            diagnostics.push(Diagnostic::file(
                Severity::Warning,
                "decisions",
                "a split decision contradicts confirm decisions (the records are confirmed into one person); \
                 the confirmations win — review the decisions",
            ));
        }
    }
    let min_weight = {
        let t = s.threshold.clamp(1e-12, 1.0 - 1e-12);
        (t / (1.0 - t)).log2()
    };
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.sort_by(|&a, &b| {
        edges[b]
            .weight
            .total_cmp(&edges[a].weight)
            .then(edges[a].i.cmp(&edges[b].i))
            .then(edges[a].j.cmp(&edges[b].j))
    });
    let mut status = vec![EdgeStatus::BelowThreshold; edges.len()];
    for e in order {
        let edge = &edges[e];
        if f64::from(edge.weight) < min_weight {
            continue;
        }
        let (ra, rb) = (g.find(edge.i), g.find(edge.j));
        if ra == rb {
            status[e] = EdgeStatus::AlreadyTogether;
            continue;
        }
        let (ma, mb) = (&g.members[ra as usize], &g.members[rb as usize]);
        if ma.len() + mb.len() > s.guards.max_cluster_size {
            status[e] = EdgeStatus::Refused(Guard::ClusterSize);
            continue;
        }
        let mut refused = None;
        'outer: for &x in ma {
            for &y in mb {
                if cannot.contains(&key(x, y)) {
                    refused = Some(Guard::SplitDecision);
                    break 'outer;
                }
                if let Some(why) = guard(f, &s.guards, x as usize, y as usize) {
                    refused = Some(why);
                    break 'outer;
                }
            }
        }
        match refused {
            Some(why) => status[e] = EdgeStatus::Refused(why),
            None => {
                g.union(ra, rb);
                status[e] = EdgeStatus::Joined;
            }
        }
    }
    let root = (0..n as u32).map(|i| g.find(i)).collect();
    Clustered { root, status }
}

/// Existing people joined into one by a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    /// The id kept (the smallest).
    pub kept: u64,
    /// The ids that now point to `kept`.
    pub absorbed: Vec<u64>,
}

/// An existing person whose records now belong to several people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// The earlier id (kept by the group holding most of its records).
    pub previous: u64,
    /// The ids the other records now carry.
    pub now: Vec<u64>,
}

/// Person ids per record with the merges and splits relative to an earlier run.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    pub person_ids: Vec<u64>,
    pub merges: Vec<Merge>,
    pub splits: Vec<Split>,
}

/// Give every cluster a person id: a cluster holding records of earlier people takes the
/// smallest earlier id it can (ties to an earlier id go to the cluster with more of its
/// records), other clusters get new ids above every earlier id, in order of their first record.
pub fn assign_ids(previous: &[(String, u64)], record_ids: &[String], root: &[u32]) -> Ids {
    let prev: HashMap<&str, u64> = previous.iter().map(|(r, p)| (r.as_str(), *p)).collect();
    // Clusters in order of first record.
    let mut cluster_of: HashMap<u32, usize> = HashMap::new();
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for (i, &r) in root.iter().enumerate() {
        let c = *cluster_of.entry(r).or_insert_with(|| {
            clusters.push(Vec::new());
            clusters.len() - 1
        });
        clusters[c].push(i);
    }
    // Earlier ids per cluster with record counts.
    let counts: Vec<BTreeMap<u64, usize>> = clusters
        .iter()
        .map(|members| {
            let mut m = BTreeMap::new();
            for &i in members {
                if let Some(&p) = record_ids.get(i).and_then(|r| prev.get(r.as_str())) {
                    *m.entry(p).or_insert(0) += 1;
                }
            }
            m
        })
        .collect();
    // Each earlier id goes to the cluster with most of its records (first such cluster on ties).
    let mut owner: BTreeMap<u64, (usize, usize)> = BTreeMap::new();
    for (c, m) in counts.iter().enumerate() {
        for (&p, &k) in m {
            let e = owner.entry(p).or_insert((c, k));
            if k > e.1 {
                *e = (c, k);
            }
        }
    }
    let mut next = previous.iter().map(|p| p.1).max().map(|m| m + 1).unwrap_or(1);
    let mut cluster_id = vec![0u64; clusters.len()];
    let mut merges = Vec::new();
    for (c, m) in counts.iter().enumerate() {
        let owned: Vec<u64> = m
            .keys()
            .copied()
            .filter(|p| owner.get(p).map(|o| o.0) == Some(c))
            .collect();
        match owned.split_first() {
            Some((&kept, rest)) => {
                cluster_id[c] = kept;
                if !rest.is_empty() {
                    merges.push(Merge {
                        kept,
                        absorbed: rest.to_vec(),
                    });
                }
            }
            None => {
                cluster_id[c] = next;
                next += 1;
            }
        }
    }
    let mut split_map: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for (c, m) in counts.iter().enumerate() {
        for &p in m.keys() {
            if owner.get(&p).map(|o| o.0) != Some(c) {
                split_map.entry(p).or_default().push(cluster_id[c]);
            }
        }
    }
    let splits = split_map
        .into_iter()
        .map(|(previous, now)| Split { previous, now })
        .collect();
    let mut person_ids = vec![0u64; root.len()];
    for (c, members) in clusters.iter().enumerate() {
        for &i in members {
            person_ids[i] = cluster_id[c];
        }
    }
    Ids {
        person_ids,
        merges,
        splits,
    }
}
