//! Probabilistic record linkage (Fellegi–Sunter with EM, Splink-compatible), fast enough for a
//! browser tab.
//!
//! The path of a run ([`link`], [`link_incremental`]):
//! 1. [`compare::Features::build`] normalises every [`LinkRecord`] once into columns of interned
//!    ids, Soundex codes, nickname groups, character histograms and date digits.
//! 2. [`blocking::Blocks`] gives every record one key per blocking rule; candidate pairs are the
//!    union of the rules without duplicates (a pair belongs to the first rule that admits it).
//! 3. When the model is untrained: u from all pairs within a seeded random sample of records
//!    ([`em::estimate_u`]); m by EM in one
//!    training session per blocking rule on a deterministic sample of that rule's pairs, with
//!    the comparisons the rule fixes left out of the session (as Splink does), m averaged over
//!    sessions; then the probability that two random records match (λ) from the expected number
//!    of matches among all candidate pairs (E-step over a sample, scaled to all pairs) divided by
//!    the number of possible pairs.
//! 4. Every candidate pair gets its match weight `log2(λ/(1-λ)) + Σ log2(m/u)` plus Splink's
//!    term-frequency adjustment `log2(u_exact / max(tf_l, tf_r))` on tf levels. Pairs that
//!    cannot reach the kept band stop early (`PrunedScorer`: cheapest comparisons first, an
//!    upper bound on what the rest can add); the pairs kept get exactly the full weight.
//! 5. [`cluster`] joins pairs above the threshold, strongest first, refusing a join when any
//!    pair across the two groups trips a guard (Jr/Sr, generations, twins, contradiction, an
//!    analyst's split), then gives stable person ids.
//!
//! Everything is seeded: the same records and settings give the same output.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod em;
pub mod explain;
pub mod names;
pub mod parallel;
pub mod splink;
pub mod strings;
pub mod synth;
pub mod wire;

use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use blocking::{BlockingRule, Blocks};
use compare::{level_of, Comparison, Features, Field, Level, LevelKind};
use names::Nicknames;
use parallel::{Executor, Serial};
use serde::{Deserialize, Serialize};

pub use cluster::{Decisions, Guards};

/// One person record to link. Text fields may be empty (missing).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkRecord {
    pub record_id: String,
    /// Which input file (0, or 1 for the `--with` file).
    pub source: u8,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub suffix: String,
    pub dob: Option<Date>,
    pub sex: String,
    pub address: String,
    pub city: String,
    pub postcode: String,
    pub phone: String,
    pub identifier: String,
}

/// The fields linkage reads of one record, borrowed from wherever the records are held.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LinkFields<'a> {
    pub record_id: &'a str,
    /// Which input file (0, or 1 for the `--with` file).
    pub source: u8,
    pub first_name: &'a str,
    pub middle_name: &'a str,
    pub last_name: &'a str,
    pub suffix: &'a str,
    pub dob: Option<Date>,
    pub sex: &'a str,
    pub address: &'a str,
    pub city: &'a str,
    pub postcode: &'a str,
    pub phone: &'a str,
    pub identifier: &'a str,
}

/// Records that linkage reads in place, one at a time: the rows of a file
/// (`[LinkRecord]`) or a dataset's person records ([`crate::model::Persons`], read without
/// copying them into owned strings).
pub trait LinkSource {
    /// The number of records.
    fn count(&self) -> usize;
    /// The fields of record `i` (`i < count()`).
    fn fields(&self, i: usize) -> LinkFields<'_>;
}

impl LinkRecord {
    /// The record's fields, borrowed.
    pub fn fields(&self) -> LinkFields<'_> {
        LinkFields {
            record_id: &self.record_id,
            source: self.source,
            first_name: &self.first_name,
            middle_name: &self.middle_name,
            last_name: &self.last_name,
            suffix: &self.suffix,
            dob: self.dob,
            sex: &self.sex,
            address: &self.address,
            city: &self.city,
            postcode: &self.postcode,
            phone: &self.phone,
            identifier: &self.identifier,
        }
    }
}

impl LinkSource for [LinkRecord] {
    fn count(&self) -> usize {
        self.len()
    }
    fn fields(&self, i: usize) -> LinkFields<'_> {
        self.get(i).map(LinkRecord::fields).unwrap_or_default()
    }
}

impl LinkSource for Vec<LinkRecord> {
    fn count(&self) -> usize {
        self.len()
    }
    fn fields(&self, i: usize) -> LinkFields<'_> {
        self.as_slice().fields(i)
    }
}

/// A dataset's person records as linkage compares them (one input: source 0, no identifier).
impl LinkSource for crate::model::Persons {
    fn count(&self) -> usize {
        self.len()
    }
    fn fields(&self, i: usize) -> LinkFields<'_> {
        self.get(i)
            .map(|p| LinkFields {
                record_id: p.record_id,
                source: 0,
                first_name: p.first_name,
                middle_name: p.middle_name,
                last_name: p.last_name,
                suffix: p.suffix,
                dob: p.dob,
                sex: p.sex,
                address: p.address,
                city: p.city,
                postcode: p.postcode,
                phone: p.phone,
                identifier: "",
            })
            .unwrap_or_default()
    }
}

/// Which pairs are compared (Splink's `link_type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    /// All pairs within one file.
    #[default]
    DedupeOnly,
    /// Only pairs across files.
    LinkOnly,
    /// Pairs within and across files.
    LinkAndDedupe,
}

/// The model and every setting of a run. Serde-serialisable; the trained parameters are part of
/// it, so a saved settings file reproduces a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkSettings {
    pub link_type: LinkType,
    pub comparisons: Vec<Comparison>,
    pub blocking_rules: Vec<BlockingRule>,
    /// Probability that two random records match (Splink's
    /// `probability_two_random_records_match`).
    pub lambda: f64,
    /// Whether m, u and λ are trained (otherwise they are estimated on the data).
    pub trained: bool,
    /// Blocks with more records are skipped (and reported).
    pub max_block_size: usize,
    /// Pairs at or above this match probability are joined.
    pub threshold: f64,
    /// Pairs with a match probability in `[low, high)` go to the review queue.
    pub review_band: (f64, f64),
    pub seed: u64,
    /// Random pairs drawn to estimate u.
    pub u_max_pairs: usize,
    /// Blocked pairs sampled for EM (over all training sessions).
    pub em_max_pairs: usize,
    pub em_max_iterations: usize,
    pub em_tolerance: f64,
    /// Lower bound on the term frequency used in adjustments (Splink's `tf_minimum_u_value`).
    pub tf_minimum_u: f64,
    pub guards: Guards,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings {
            link_type: LinkType::DedupeOnly,
            comparisons: default_comparisons(),
            blocking_rules: blocking::default_rules(),
            lambda: 0.0,
            trained: false,
            max_block_size: 200,
            threshold: 0.95,
            review_band: (0.5, 0.95),
            seed: 42,
            u_max_pairs: 1_000_000,
            em_max_pairs: 500_000,
            em_max_iterations: 50,
            em_tolerance: 1e-5,
            tf_minimum_u: 0.0,
            guards: Guards::default(),
        }
    }
}

/// The default comparisons: names with nickname, swap, Jaro-Winkler, Damerau-Levenshtein,
/// Soundex and initial levels; date of birth with exact, one digit off, day/month swapped and
/// within a year; sex, address, city, postcode, phone and identifier.
pub fn default_comparisons() -> Vec<Comparison> {
    use LevelKind::*;
    let name = |field: Field, other: Option<Field>, nick: bool| {
        let mut levels = vec![Level::new("null", Null), Level::new("exact", Exact).with_tf()];
        if nick {
            levels.push(Level::new("nickname", Nickname));
        }
        if let Some(other) = other {
            levels.push(Level::new("swapped with other name", Swapped { other }));
        }
        levels.extend([
            Level::new("jaro_winkler >= 0.92", JaroWinkler { threshold: 0.92 }),
            Level::new("damerau_levenshtein <= 1", DamerauLevenshtein { max: 1 }),
            Level::new("jaro_winkler >= 0.88", JaroWinkler { threshold: 0.88 }),
            Level::new("damerau_levenshtein <= 2", DamerauLevenshtein { max: 2 }),
        ]);
        if let Some(other) = other {
            levels.push(Level::new(
                "swapped with typos",
                SwappedFuzzy { other, threshold: 0.88 },
            ));
        }
        levels.extend([
            Level::new("soundex", Soundex),
            Level::new("initial", Initial),
            Level::new("else", Else),
        ]);
        Comparison {
            name: field.column().to_string(),
            field,
            levels,
        }
    };
    let simple = |field: Field, fuzzy: Option<Level>| {
        let mut levels = vec![Level::new("null", Null), Level::new("exact", Exact)];
        levels.extend(fuzzy);
        levels.push(Level::new("else", Else));
        Comparison {
            name: field.column().to_string(),
            field,
            levels,
        }
    };
    vec![
        name(Field::FirstName, Some(Field::LastName), true),
        simple(Field::MiddleName, Some(Level::new("initial", Initial))),
        name(Field::LastName, Some(Field::FirstName), false),
        simple(Field::Suffix, None),
        Comparison {
            name: "dob".into(),
            field: Field::Dob,
            levels: vec![
                Level::new("null", Null),
                Level::new("exact", Exact),
                Level::new("one digit off", DobOneDigit),
                Level::new("day and month swapped", DobDayMonthSwapped),
                Level::new("within a year", DobWithinDays { days: 365 }),
                Level::new("else", Else),
            ],
        },
        simple(Field::Sex, None),
        simple(
            Field::Address,
            Some(Level::new("jaro_winkler >= 0.9", JaroWinkler { threshold: 0.9 })),
        ),
        simple(
            Field::City,
            Some(Level::new("jaro_winkler >= 0.9", JaroWinkler { threshold: 0.9 })),
        ),
        simple(
            Field::Postcode,
            Some(Level::new("damerau_levenshtein <= 1", DamerauLevenshtein { max: 1 })),
        ),
        simple(
            Field::Phone,
            Some(Level::new("damerau_levenshtein <= 1", DamerauLevenshtein { max: 1 })),
        ),
        simple(
            Field::Identifier,
            Some(Level::new("damerau_levenshtein <= 1", DamerauLevenshtein { max: 1 })),
        ),
    ]
}

/// Errors of a linkage run (bad settings; bad data become diagnostics).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LinkError {
    #[error("linkage settings: {0}. Fix the settings file (or start from the defaults).")]
    Settings(String),
    #[error("Splink settings JSON: {0}. Export a model with `ipvi link --model-out` to see the expected form.")]
    Splink(String),
    #[error("the user cancelled")]
    Cancelled,
}

/// Counts of a run, for the report and the benchmark.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkStats {
    pub records: usize,
    /// Candidate pairs from blocking (after removing duplicates), all compared.
    pub pairs_compared: u64,
    /// Candidate pairs per blocking rule.
    pub pairs_per_rule: Vec<u64>,
    /// Pairs kept as edges (probability at or above the lower review bound or the threshold).
    pub edges: usize,
    pub u_pairs: usize,
    pub em_pairs: usize,
    pub em_iterations: usize,
    pub lambda: f64,
    pub persons: usize,
}

/// A scored candidate pair kept for clustering, explanation and review.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub i: u32,
    pub j: u32,
    pub weight: f32,
    /// Packed comparison vector (see [`compare::level_of`]).
    pub vector: u64,
}

impl Edge {
    /// Match probability from the weight.
    pub fn probability(&self) -> f64 {
        probability(f64::from(self.weight))
    }
}

/// Match probability of a match weight: `2^w / (1 + 2^w)`.
pub fn probability(weight: f64) -> f64 {
    let b = weight.exp2();
    if b.is_infinite() {
        1.0
    } else {
        b / (1.0 + b)
    }
}

/// A pair for the analyst's review queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPair {
    pub record_a: String,
    pub record_b: String,
    pub weight: f64,
    pub probability: f64,
    /// Whether the pair ended in the same person.
    pub same_person: bool,
}

/// Everything a run produces.
#[derive(Clone, Debug)]
pub struct LinkOutput {
    /// Person id per record, in input order.
    pub person_ids: Vec<u64>,
    /// The trained model (settings with m, u and λ).
    pub model: LinkSettings,
    pub features: Features,
    /// Record ids in input order (for explanations).
    pub record_ids: Vec<String>,
    /// Scored pairs kept (probability at or above the lower review bound).
    pub edges: Vec<Edge>,
    /// What happened to each edge during clustering, same order as `edges`.
    pub edge_status: Vec<cluster::EdgeStatus>,
    /// Existing people merged by this run.
    pub merges: Vec<cluster::Merge>,
    /// Existing people whose records were split by this run.
    pub splits: Vec<cluster::Split>,
    pub review: Vec<ReviewPair>,
    pub stats: LinkStats,
    pub diagnostics: Vec<Diagnostic>,
}

/// The model with weights precomputed per level.
pub(crate) struct Scorer {
    prior: f64,
    bf: Vec<Vec<f64>>,
    /// Per comparison: (field, level is tf-adjusted per level, u of the exact level).
    tf: Vec<(Field, Vec<bool>, f64)>,
    tf_min: f64,
}

impl Scorer {
    pub(crate) fn new(s: &LinkSettings) -> Scorer {
        let lambda = s.lambda.clamp(1e-15, 1.0 - 1e-15);
        Scorer {
            prior: (lambda / (1.0 - lambda)).log2(),
            bf: s
                .comparisons
                .iter()
                .map(|c| c.levels.iter().map(Level::log2_bf).collect())
                .collect(),
            tf: s
                .comparisons
                .iter()
                .map(|c| {
                    let u_exact = c.exact_level().map(|l| c.levels[l].u).unwrap_or(0.0);
                    (c.field, c.levels.iter().map(|l| l.tf_adjust).collect(), u_exact)
                })
                .collect(),
            tf_min: s.tf_minimum_u,
        }
    }

    /// Weight of a pair: prior + per-level log2 Bayes factors + tf adjustments.
    #[inline]
    pub(crate) fn weight(&self, f: &Features, v: u64, i: usize, j: usize) -> f64 {
        let mut w = self.prior;
        for (k, bf) in self.bf.iter().enumerate() {
            let l = level_of(v, k).min(bf.len() - 1);
            w += bf[l];
            w += self.tf_adjustment(f, k, l, i, j);
        }
        w
    }

    /// Splink's term-frequency adjustment: log2(u_exact / max(tf_l, tf_r, tf_min)).
    #[inline]
    pub(crate) fn tf_adjustment(&self, f: &Features, k: usize, l: usize, i: usize, j: usize) -> f64 {
        let (field, on, u_exact) = &self.tf[k];
        if !on[l] || *u_exact <= 0.0 {
            return 0.0;
        }
        let tf = f.tf_of(*field, i).max(f.tf_of(*field, j)).max(self.tf_min);
        if tf <= 0.0 {
            0.0
        } else {
            (u_exact / tf).log2()
        }
    }
}

/// Rough relative cost of evaluating a level (integer tests 1, string metrics more).
fn level_cost(k: &LevelKind) -> u32 {
    match k {
        LevelKind::JaroWinkler { .. } | LevelKind::DamerauLevenshtein { .. } => 8,
        LevelKind::SwappedFuzzy { .. } => 16,
        LevelKind::Nickname => 2,
        _ => 1,
    }
}

/// Scoring that stops as soon as a pair cannot reach a weight: comparisons are evaluated
/// cheapest first, and after each one the weight so far plus the largest weight the remaining
/// comparisons could still add (their best level, with the largest term-frequency adjustment
/// the data allows) is checked against the bound. Most candidate pairs are different people and
/// stop before the costly name comparisons; the pairs that reach the bound get exactly the
/// weight and comparison vector of [`Scorer::weight`] and [`Features::vector`].
pub(crate) struct PrunedScorer {
    /// Comparison indices, cheapest first.
    order: Vec<usize>,
    /// `rest[t]`: the most the comparisons `order[t..]` can add.
    rest: Vec<f64>,
}

impl PrunedScorer {
    pub(crate) fn new(scorer: &Scorer, s: &LinkSettings, f: &Features) -> PrunedScorer {
        let best: Vec<f64> = (0..s.comparisons.len())
            .map(|k| {
                let (field, on, u_exact) = &scorer.tf[k];
                // The largest tf adjustment: the rarest value (or the floor) against u_exact.
                let max_tf = if on.iter().any(|&x| x) && *u_exact > 0.0 {
                    let rarest = field
                        .text_index()
                        .and_then(|col| f.tf[col].iter().copied().filter(|&t| t > 0.0).min_by(f32::total_cmp))
                        .map(f64::from)
                        .unwrap_or(0.0)
                        .max(scorer.tf_min);
                    if rarest > 0.0 {
                        (u_exact / rarest).log2().max(0.0)
                    } else {
                        0.0
                    }
                } else {
                    0.0
                };
                scorer.bf[k]
                    .iter()
                    .zip(on)
                    .map(|(&bf, &tf)| bf + if tf { max_tf } else { 0.0 })
                    .fold(0.0f64, f64::max)
            })
            .collect();
        let mut order: Vec<usize> = (0..s.comparisons.len()).collect();
        order.sort_by_key(|&k| s.comparisons[k].levels.iter().map(|l| level_cost(&l.kind)).sum::<u32>());
        let mut rest = vec![0.0; order.len() + 1];
        for t in (0..order.len()).rev() {
            rest[t] = rest[t + 1] + best[order[t]];
        }
        PrunedScorer { order, rest }
    }

    /// The comparison vector and weight of a pair whose weight is at least `min_weight`, None
    /// for a pair that cannot reach it.
    #[inline]
    pub(crate) fn score(
        &self,
        scorer: &Scorer,
        f: &Features,
        comparisons: &[Comparison],
        i: usize,
        j: usize,
        min_weight: f64,
    ) -> Option<(u64, f64)> {
        // A margin so that summing in another order never prunes a pair at the bound.
        let min_weight = min_weight - 1e-6;
        let mut v = 0u64;
        let mut w = scorer.prior;
        for (t, &k) in self.order.iter().enumerate() {
            if w + self.rest[t] < min_weight {
                return None;
            }
            let bf = &scorer.bf[k];
            let l = usize::from(f.level(&comparisons[k], i, j)).min(bf.len() - 1);
            v |= (l as u64) << (4 * k);
            w += bf[l] + scorer.tf_adjustment(f, k, l, i, j);
        }
        if w < min_weight {
            return None;
        }
        Some((v, scorer.weight(f, v, i, j)))
    }
}

/// Fields that need term frequencies.
fn tf_fields(s: &LinkSettings) -> Vec<Field> {
    s.comparisons
        .iter()
        .filter(|c| c.levels.iter().any(|l| l.tf_adjust))
        .map(|c| c.field)
        .collect()
}

fn validate(s: &LinkSettings) -> Result<(), LinkError> {
    if s.comparisons.is_empty() || s.comparisons.len() > 16 {
        return Err(LinkError::Settings(format!(
            "{} comparisons; 1 to 16 are supported",
            s.comparisons.len()
        )));
    }
    for c in &s.comparisons {
        if c.levels.is_empty() || c.levels.len() > 15 {
            return Err(LinkError::Settings(format!(
                "comparison {:?} has {} levels; 1 to 15 are supported",
                c.name,
                c.levels.len()
            )));
        }
    }
    if s.blocking_rules.iter().any(|r| r.keys.is_empty()) {
        return Err(LinkError::Settings("a blocking rule has no keys".into()));
    }
    if !(0.0..=1.0).contains(&s.threshold) {
        return Err(LinkError::Settings(format!(
            "threshold {} is not a probability",
            s.threshold
        )));
    }
    Ok(())
}

/// Deterministic 1-in-`stride` sample of pairs.
#[inline]
fn sampled(i: usize, j: usize, seed: u64, stride: u64) -> bool {
    if stride <= 1 {
        return true;
    }
    let mut h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (j as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F) ^ seed;
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    h.is_multiple_of(stride)
}

/// Starting m for EM: decreasing over the non-null levels, small for "else".
fn initial_m(c: &mut Comparison) {
    let n = c.levels.iter().filter(|l| l.kind != LevelKind::Null).count();
    let mut weights = Vec::with_capacity(c.levels.len());
    let mut k = 0;
    for l in &c.levels {
        let w = match l.kind {
            LevelKind::Null => 0.0,
            LevelKind::Else => 0.05,
            _ => {
                k += 1;
                0.5f64.powi(k)
            }
        };
        weights.push(w);
    }
    let total: f64 = weights.iter().sum();
    for (l, w) in c.levels.iter_mut().zip(weights) {
        l.m = if total > 0.0 && n > 0 { w / total } else { 0.0 };
    }
}

/// Train m, u and λ on the records (see the module documentation). Returns (u pairs, EM pairs,
/// EM iterations), None when cancelled. The passes over pairs run as the jobs of `chunks` (see
/// [`parallel`]); `progress(phase, share)` reports each phase.
fn train<E: Executor>(
    f: &Features,
    blocks: &Blocks,
    chunks: &[blocking::Chunk],
    s: &mut LinkSettings,
    exec: &E,
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Option<(usize, usize, usize)> {
    let link_only = s.link_type == LinkType::LinkOnly;
    let u_pairs = em::estimate_u_with(
        f,
        &mut s.comparisons,
        s.u_max_pairs,
        s.seed,
        link_only,
        exec,
        &mut |x| progress("Estimating u on random pairs", x),
    )?;
    for c in s.comparisons.iter_mut() {
        initial_m(c);
    }
    let n_rules = s.blocking_rules.len().max(1);
    let per_session = (s.em_max_pairs / n_rules).max(1000);
    let mut m_sum: Vec<Vec<f64>> = s.comparisons.iter().map(|c| vec![0.0; c.levels.len()]).collect();
    let mut m_n: Vec<f64> = vec![0.0; s.comparisons.len()];
    let (mut em_pairs, mut iterations) = (0, 0);
    // Per rule: the comparisons it fixes (left out of its session) and its sampling stride, or
    // None when the rule has no session.
    let sessions: Vec<Option<(Vec<bool>, u64)>> = s
        .blocking_rules
        .iter()
        .enumerate()
        .map(|(r, rule)| {
            // The comparisons this rule fixes are left out of its session.
            let excluded: Vec<bool> = s
                .comparisons
                .iter()
                .map(|c| {
                    rule.keys.iter().any(|k| match k {
                        blocking::BlockKey::Exact(fl)
                        | blocking::BlockKey::Initial(fl)
                        | blocking::BlockKey::Soundex(fl) => *fl == c.field,
                        blocking::BlockKey::All => false,
                        _ => c.field == Field::Dob,
                    })
                })
                .collect();
            let rule_pairs: u64 = blocks.rule_pairs(r);
            if excluded.iter().all(|&x| x) || rule_pairs == 0 {
                return None;
            }
            Some((excluded, rule_pairs.div_ceil(per_session as u64)))
        })
        .collect();
    // The sampled comparison vectors of every chunk of a rule with a session.
    let comparisons = &s.comparisons;
    let seed = s.seed;
    let sampled_vectors = exec.run(
        chunks.len(),
        &|c| {
            let chunk = &chunks[c];
            let mut vectors = Vec::new();
            if let Some((_, stride)) = &sessions[chunk.rule] {
                blocks.for_each_rule_pair_in(chunk, |i, j| {
                    if blocks.allowed(f, i, j) && sampled(i, j, seed ^ chunk.rule as u64, *stride) {
                        vectors.push(f.vector(comparisons, i, j));
                    }
                });
            }
            vectors
        },
        &mut |done| progress("Sampling pairs for EM", done as f32 / chunks.len().max(1) as f32),
    )?;
    let mut per_rule_vectors: Vec<Vec<u64>> = vec![Vec::new(); s.blocking_rules.len()];
    for (chunk, v) in chunks.iter().zip(sampled_vectors) {
        per_rule_vectors[chunk.rule].extend(v);
    }
    for (r, vectors) in per_rule_vectors.into_iter().enumerate() {
        let Some((excluded, _)) = &sessions[r] else {
            continue;
        };
        em_pairs += vectors.len();
        let patterns = em::aggregate(vectors);
        let mut session = s.comparisons.clone();
        let opts = em::EmOptions {
            max_iterations: s.em_max_iterations,
            tolerance: s.em_tolerance,
            estimate_u: false,
            frozen: excluded.clone(),
        };
        let fit = em::fit(&mut session, &patterns, 0.3, &opts);
        iterations += fit.iterations;
        for (k, c) in session.iter().enumerate() {
            if excluded[k] {
                continue;
            }
            for (l, level) in c.levels.iter().enumerate() {
                m_sum[k][l] += level.m;
            }
            m_n[k] += 1.0;
        }
    }
    for (k, c) in s.comparisons.iter_mut().enumerate() {
        if m_n[k] > 0.0 {
            for (l, level) in c.levels.iter_mut().enumerate() {
                level.m = m_sum[k][l] / m_n[k];
            }
        }
    }
    // λ: expected matches among all candidate pairs over all possible pairs.
    // The sampling stride from the pairs of every rule with duplicates across rules (known
    // from block sizes alone): at most `em_max_pairs` pairs are sampled.
    let upper: u64 = (0..s.blocking_rules.len()).map(|r| blocks.rule_pairs(r)).sum();
    let stride = upper.div_ceil(s.em_max_pairs.max(1) as u64).max(1);
    let comparisons = &s.comparisons;
    let parts = exec.run(
        chunks.len(),
        &|c| {
            let mut vectors = Vec::new();
            let mut n = 0u64;
            blocks.for_each_pair_in(f, &chunks[c], |_, i, j| {
                n += 1;
                if sampled(i, j, seed ^ 0xA5A5, stride) {
                    vectors.push(f.vector(comparisons, i, j));
                }
            });
            (n, vectors)
        },
        &mut |done| progress("Estimating the match share", done as f32 / chunks.len().max(1) as f32),
    )?;
    let mut per_rule = vec![0u64; s.blocking_rules.len()];
    let mut vectors = Vec::new();
    for (chunk, (n, v)) in chunks.iter().zip(parts) {
        per_rule[chunk.rule] += n;
        vectors.extend(v);
    }
    let patterns = em::aggregate(vectors);
    let sampled_n: f64 = patterns.iter().map(|p| p.1).sum();
    let lambda_block = if sampled_n > 0.0 {
        // Start from a share and iterate the E-step on λ only (m and u fixed).
        let mut lam = 0.1;
        for _ in 0..200 {
            let e: f64 = patterns
                .iter()
                .map(|&(v, c)| c * em::posterior(&s.comparisons, lam, v))
                .sum();
            let next = (e / sampled_n).clamp(1e-12, 1.0 - 1e-12);
            if (next - lam).abs() < 1e-9 {
                lam = next;
                break;
            }
            lam = next;
        }
        lam
    } else {
        0.0
    };
    let possible = possible_pairs(f, s.link_type);
    let total_candidates: u64 = per_rule.iter().sum();
    let expected = lambda_block * total_candidates as f64;
    s.lambda = if possible > 0.0 {
        (expected / possible).clamp(1e-12, 0.5)
    } else {
        1e-6
    };
    s.trained = true;
    Some((u_pairs, em_pairs, iterations))
}

fn possible_pairs(f: &Features, t: LinkType) -> f64 {
    let n = f.n as f64;
    match t {
        LinkType::LinkOnly => {
            let a = f.source.iter().filter(|&&x| x == 0).count() as f64;
            a * (n - a)
        }
        _ => n * (n - 1.0) / 2.0,
    }
}

/// Link records into people (no earlier run): see [`link_incremental`].
pub fn link(records: &[LinkRecord], settings: &LinkSettings, decisions: &Decisions) -> Result<LinkOutput, LinkError> {
    link_incremental(&[], records, settings, decisions)
}

/// Link records into people, keeping the person ids of an earlier run: `previous` maps record
/// ids to person ids. Existing people keep their ids, new records join or start people, and a
/// merge of two existing people keeps the smaller (older) id and is reported in
/// [`LinkOutput::merges`].
pub fn link_incremental(
    previous: &[(String, u64)],
    records: &[LinkRecord],
    settings: &LinkSettings,
    decisions: &Decisions,
) -> Result<LinkOutput, LinkError> {
    link_with(previous, records, settings, decisions, &Serial, &mut |_, _| true)
}

/// Candidate pairs per job of a pass over pairs (see [`parallel`]): small enough that a million
/// records give a few hundred jobs to share between threads and progress reports, large enough
/// that a job's own cost does not count.
pub const CHUNK_PAIRS: u64 = 50_000;

/// [`link_incremental`] with the passes over pairs (blocking, u, EM samples, λ, scoring) run as
/// jobs by `exec`: the output is the same, bit for bit, whatever executor runs them (see
/// [`parallel`]). `progress(phase, share of the run)` is called between jobs on the calling
/// thread; when it returns false the run stops with [`LinkError::Cancelled`].
pub fn link_with<E: Executor, R: LinkSource + ?Sized>(
    previous: &[(String, u64)],
    records: &R,
    settings: &LinkSettings,
    decisions: &Decisions,
    exec: &E,
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Result<LinkOutput, LinkError> {
    link_chunked(previous, records, settings, decisions, exec, progress, CHUNK_PAIRS)
}

/// [`link_with`] with the size of a job given (tests cut small data into many jobs).
pub(crate) fn link_chunked<E: Executor, R: LinkSource + ?Sized>(
    previous: &[(String, u64)],
    records: &R,
    settings: &LinkSettings,
    decisions: &Decisions,
    exec: &E,
    progress: &mut dyn FnMut(&str, f32) -> bool,
    chunk_pairs: u64,
) -> Result<LinkOutput, LinkError> {
    let run = begin(records, settings, exec, progress, chunk_pairs, &mut |_| {})?;
    let parts = run
        .score_with(exec, &mut |x| progress(SCORING_PHASE, scoring_share(x)))
        .ok_or(LinkError::Cancelled)?;
    if !progress("Clustering", 0.9) {
        return Err(LinkError::Cancelled);
    }
    Ok(run.finish(previous, records, decisions, parts))
}

/// The name of the scoring pass's phase in progress reports.
pub const SCORING_PHASE: &str = "Scoring candidate pairs";

/// The share of a linkage run done when `x` of its scoring pass is done (the scoring pass runs
/// from 55% to 90% of a run, measured on 1,000,000 generated records on one thread).
pub fn scoring_share(x: f32) -> f32 {
    0.55 + (0.9 - 0.55) * x.clamp(0.0, 1.0)
}

/// Every step of a linkage run before its scoring pass (normalising, blocking, training), and
/// what the scoring pass and the clustering after it need. A run is [`begin`] →
/// [`LinkRun::score_with`] (or [`LinkRun::score`] on its jobs, run anywhere) →
/// [`LinkRun::finish`]; [`link_with`] does the three in a row. The scoring pass can also run in
/// another process that holds only the features and the trained model
/// ([`LinkRun::for_scoring`]): the browser's helper workers.
#[derive(Debug)]
pub struct LinkRun {
    s: LinkSettings,
    f: Features,
    blocks: Blocks,
    chunks: Vec<blocking::Chunk>,
    stats: LinkStats,
    diagnostics: Vec<Diagnostic>,
}

/// What one job of the scoring pass found: the candidate pairs it compared and the scored pairs
/// it kept, in the order of a serial pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScoredJob {
    pub pairs: u64,
    pub edges: Vec<Edge>,
}

/// The steps of a run before scoring (see [`LinkRun`]); `on_features` gets the normalised
/// features as soon as they are built, before blocking and training (the browser sends them to
/// its helper workers then, so that they build their blocks while this run trains).
pub fn begin<E: Executor, R: LinkSource + ?Sized>(
    records: &R,
    settings: &LinkSettings,
    exec: &E,
    progress: &mut dyn FnMut(&str, f32) -> bool,
    chunk_pairs: u64,
    on_features: &mut dyn FnMut(&Features),
) -> Result<LinkRun, LinkError> {
    validate(settings)?;
    // Shares of the run by phase (measured on 1,000,000 generated records, one thread).
    let mut phase = |name: &str, from: f32, to: f32, x: f32| {
        if progress(name, from + (to - from) * x.clamp(0.0, 1.0)) {
            Ok(())
        } else {
            Err(LinkError::Cancelled)
        }
    };
    let mut s = settings.clone();
    let mut diagnostics = Vec::new();
    let nick = Nicknames::default_table();
    phase("Normalising person records", 0.0, 0.2, 0.0)?;
    let f = Features::build(records, &nick, &tf_fields(&s));
    on_features(&f);
    let blocks = Blocks::build_progress(&f, &s.blocking_rules, s.max_block_size, s.link_type, exec, &mut |x| {
        phase("Blocking", 0.2, 0.27, x).is_ok()
    })
    .ok_or(LinkError::Cancelled)?;
    let chunks = blocks.chunks(chunk_pairs);
    for (r, rule) in s.blocking_rules.iter().enumerate() {
        if blocks.oversized_blocks[r] > 0 {
            diagnostics.push(Diagnostic::file(
                Severity::Warning,
                "linkage",
                format!(
                    "blocking rule {} ({}): {} blocks larger than {} records were skipped ({} records); \
                     other rules still compare these records. Raise max_block_size or add a more specific rule.",
                    r + 1,
                    rule.describe(),
                    blocks.oversized_blocks[r],
                    s.max_block_size,
                    blocks.oversized_records[r]
                ),
            ));
        }
    }
    let mut stats = LinkStats {
        records: f.n,
        pairs_per_rule: vec![0; s.blocking_rules.len()],
        ..LinkStats::default()
    };
    if !s.trained {
        let (u, e, it) = train(&f, &blocks, &chunks, &mut s, exec, &mut |name, x| {
            // u, the EM samples and λ take about a third of the run each.
            let (from, to) = match name {
                "Estimating u on random pairs" => (0.27, 0.37),
                "Sampling pairs for EM" => (0.37, 0.46),
                _ => (0.46, 0.55),
            };
            phase(name, from, to, x).is_ok()
        })
        .ok_or(LinkError::Cancelled)?;
        stats.u_pairs = u;
        stats.em_pairs = e;
        stats.em_iterations = it;
    }
    stats.lambda = s.lambda;
    Ok(LinkRun {
        s,
        f,
        blocks,
        chunks,
        stats,
        diagnostics,
    })
}

impl LinkRun {
    /// The scoring pass of a run begun elsewhere, from its features and settings alone:
    /// the blocks and jobs are built again here from the features (they depend on them and on
    /// the blocking rules only), so [`LinkRun::score`] gives the jobs' results of the run that
    /// sent them. `settings` must be the run's trained model before scoring
    /// ([`LinkRun::set_model`] when it comes later).
    pub fn for_scoring(f: Features, settings: &LinkSettings, chunk_pairs: u64) -> Result<LinkRun, LinkError> {
        validate(settings)?;
        let blocks = Blocks::build(
            &f,
            &settings.blocking_rules,
            settings.max_block_size,
            settings.link_type,
        );
        let chunks = blocks.chunks(chunk_pairs);
        Ok(LinkRun {
            s: settings.clone(),
            stats: LinkStats {
                records: f.n,
                ..LinkStats::default()
            },
            f,
            blocks,
            chunks,
            diagnostics: Vec::new(),
        })
    }

    /// Put in the trained model of the run that sent the features (see [`LinkRun::for_scoring`]).
    /// Refused when its blocking differs, since the jobs would not be that run's.
    pub fn set_model(&mut self, model: LinkSettings) -> Result<(), LinkError> {
        validate(&model)?;
        if model.blocking_rules != self.s.blocking_rules
            || model.max_block_size != self.s.max_block_size
            || model.link_type != self.s.link_type
        {
            return Err(LinkError::Settings(
                "the model's blocking differs from the one the jobs were built with".into(),
            ));
        }
        self.s = model;
        Ok(())
    }

    /// The run's model (trained once [`begin`] has returned).
    pub fn model(&self) -> &LinkSettings {
        &self.s
    }

    /// The normalised features of the run's records.
    pub fn features(&self) -> &Features {
        &self.f
    }

    /// The number of jobs of the scoring pass.
    pub fn jobs(&self) -> usize {
        self.chunks.len()
    }

    /// The candidate pairs of each job (a job's cost, to share jobs out).
    pub fn job_pairs(&self, job: usize) -> u64 {
        self.chunks.get(job).map_or(0, |c| self.blocks.chunk_pairs(c))
    }

    /// The results of the scoring pass's jobs `jobs` (a range past the last job gives fewer).
    pub fn score(&self, jobs: std::ops::Range<usize>) -> Vec<ScoredJob> {
        let scorer = Scorer::new(&self.s);
        let pruned = PrunedScorer::new(&scorer, &self.s, &self.f);
        let keep_weight = self.keep_weight();
        let end = jobs.end.min(self.chunks.len());
        (jobs.start.min(end)..end)
            .map(|c| self.score_job(&scorer, &pruned, keep_weight, c))
            .collect()
    }

    /// Every job of the scoring pass, run by `exec`; `progress(share done)` between jobs returns
    /// false to cancel (None).
    pub fn score_with<E: Executor>(&self, exec: &E, progress: &mut dyn FnMut(f32) -> bool) -> Option<Vec<ScoredJob>> {
        let scorer = Scorer::new(&self.s);
        let pruned = PrunedScorer::new(&scorer, &self.s, &self.f);
        let keep_weight = self.keep_weight();
        let jobs = self.chunks.len();
        exec.run(
            jobs,
            &|c| self.score_job(&scorer, &pruned, keep_weight, c),
            &mut |done| progress(done as f32 / jobs.max(1) as f32),
        )
    }

    /// Pairs below this weight are not kept: the lower of the threshold and the review band.
    fn keep_weight(&self) -> f64 {
        let keep = self.s.review_band.0.min(self.s.threshold);
        if keep <= 0.0 {
            f64::NEG_INFINITY
        } else {
            (keep / (1.0 - keep).max(1e-300)).log2()
        }
    }

    fn score_job(&self, scorer: &Scorer, pruned: &PrunedScorer, keep_weight: f64, c: usize) -> ScoredJob {
        let (f, comparisons) = (&self.f, &self.s.comparisons);
        let mut edges = Vec::new();
        let mut pairs = 0u64;
        self.blocks.for_each_pair_in(f, &self.chunks[c], |_, i, j| {
            pairs += 1;
            let Some((v, w)) = pruned.score(scorer, f, comparisons, i, j, keep_weight) else {
                return;
            };
            if w >= keep_weight {
                edges.push(Edge {
                    i: i as u32,
                    j: j as u32,
                    weight: w as f32,
                    vector: v,
                });
            }
        });
        ScoredJob { pairs, edges }
    }

    /// Cluster the scored pairs into people: `parts` are the results of every job of the
    /// scoring pass, in job order (as [`LinkRun::score_with`] gives them).
    pub fn finish<R: LinkSource + ?Sized>(
        self,
        previous: &[(String, u64)],
        records: &R,
        decisions: &Decisions,
        parts: Vec<ScoredJob>,
    ) -> LinkOutput {
        let LinkRun {
            s,
            f,
            chunks,
            mut stats,
            mut diagnostics,
            ..
        } = self;
        // In chunk order: the edges of a serial pass, in its order.
        let mut edges = Vec::with_capacity(parts.iter().map(|p| p.edges.len()).sum());
        for (chunk, part) in chunks.iter().zip(parts) {
            stats.pairs_per_rule[chunk.rule] += part.pairs;
            edges.extend(part.edges);
        }
        stats.pairs_compared = stats.pairs_per_rule.iter().sum();
        stats.edges = edges.len();
        let record_ids: Vec<String> = (0..records.count())
            .map(|i| records.fields(i).record_id.to_string())
            .collect();
        let clustered = cluster::cluster(&f, &s, &record_ids, &edges, decisions, &mut diagnostics);
        let ids = cluster::assign_ids(previous, &record_ids, &clustered.root);
        stats.persons = {
            let mut p = ids.person_ids.clone();
            p.sort_unstable();
            p.dedup();
            p.len()
        };
        let review = edges
            .iter()
            .filter(|e| {
                let p = e.probability();
                p >= s.review_band.0 && p < s.review_band.1
            })
            .map(|e| ReviewPair {
                record_a: record_ids[e.i as usize].clone(),
                record_b: record_ids[e.j as usize].clone(),
                weight: f64::from(e.weight),
                probability: e.probability(),
                same_person: ids.person_ids[e.i as usize] == ids.person_ids[e.j as usize],
            })
            .collect();
        LinkOutput {
            person_ids: ids.person_ids,
            model: s,
            features: f,
            record_ids,
            edges,
            edge_status: clustered.status,
            merges: ids.merges,
            splits: ids.splits,
            review,
            stats,
            diagnostics,
        }
    }
}

/// Pairwise precision, recall and F1 of predicted clusters against true ones (any id types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairScores {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub true_positives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Score predicted person ids against true person ids, pair by pair.
pub fn pairwise_scores<A: Ord + Clone, B: Ord + Clone>(predicted: &[A], truth: &[B]) -> PairScores {
    use std::collections::BTreeMap;
    fn pairs(n: u64) -> u64 {
        n * n.saturating_sub(1) / 2
    }
    let mut p: BTreeMap<&A, u64> = BTreeMap::new();
    let mut t: BTreeMap<&B, u64> = BTreeMap::new();
    let mut both: BTreeMap<(&A, &B), u64> = BTreeMap::new();
    for (a, b) in predicted.iter().zip(truth) {
        *p.entry(a).or_default() += 1;
        *t.entry(b).or_default() += 1;
        *both.entry((a, b)).or_default() += 1;
    }
    let predicted_pairs: u64 = p.values().map(|&n| pairs(n)).sum();
    let true_pairs: u64 = t.values().map(|&n| pairs(n)).sum();
    let tp: u64 = both.values().map(|&n| pairs(n)).sum();
    let precision = if predicted_pairs > 0 {
        tp as f64 / predicted_pairs as f64
    } else {
        1.0
    };
    let recall = if true_pairs > 0 {
        tp as f64 / true_pairs as f64
    } else {
        1.0
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    PairScores {
        true_pairs,
        predicted_pairs,
        true_positives: tp,
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests;
