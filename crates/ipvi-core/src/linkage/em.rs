//! Parameter estimation: u by random sampling, m (and the match share) by expectation
//! maximisation over comparison-vector patterns.
//!
//! Comparison vectors are aggregated into distinct patterns with counts before EM, so an
//! iteration costs the number of distinct patterns, not the number of pairs. Levels whose
//! condition is "value missing" carry no evidence and are skipped in both steps (as in Splink).

use super::compare::{level_of, Comparison, Features, LevelKind};
use super::parallel::{Executor, Serial};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Distinct comparison vectors and how often each was seen.
pub type Patterns = Vec<(u64, f64)>;

/// Aggregate comparison vectors into patterns (sorted, so results do not depend on hashing).
pub fn aggregate(vectors: impl IntoIterator<Item = u64>) -> Patterns {
    let mut map: HashMap<u64, f64> = HashMap::new();
    for v in vectors {
        *map.entry(v).or_insert(0.0) += 1.0;
    }
    let mut p: Patterns = map.into_iter().collect();
    p.sort_unstable_by_key(|&(v, _)| v);
    p
}

/// Estimate u for every level from random record pairs, assumed to be non-matches (Splink's
/// `estimate_u_using_random_sampling`). When all pairs number at most `max_pairs` they are all
/// used. Otherwise, as Splink does, a random sample of records is drawn (without replacement,
/// seeded) just large enough to hold `max_pairs` pairs, and every pair within it is compared:
/// each such pair is a uniformly random pair of records, and the sample's records and strings
/// stay in the processor's cache while they are compared (random pairs over all records would
/// miss it on nearly every read). In link-only mode random pairs across the files are drawn. A level never seen gets u = 1 / (pairs sampled), so no weight is infinite. Returns the
/// number of pairs used.
pub fn estimate_u(f: &Features, comparisons: &mut [Comparison], max_pairs: usize, seed: u64, link_only: bool) -> usize {
    estimate_u_with(f, comparisons, max_pairs, seed, link_only, &Serial, &mut |_| true).unwrap_or(0)
}

/// [`estimate_u`] with the pairs compared in jobs of about 50,000 pairs run by `exec` (the result
/// does not depend on it: the level counts are integers); `progress` gets the share done and
/// returns false to cancel (then None).
pub fn estimate_u_with<E: Executor>(
    f: &Features,
    comparisons: &mut [Comparison],
    max_pairs: usize,
    seed: u64,
    link_only: bool,
    exec: &E,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Option<usize> {
    let n = f.n;
    let mut counts: Vec<Vec<f64>> = comparisons.iter().map(|c| vec![0.0; c.levels.len()]).collect();
    let mut used = 0usize;
    let all = (n as u128) * (n.saturating_sub(1) as u128) / 2;
    // Every pair within a set of records (all of them, or a seeded sample), up to `cap` pairs.
    let within = if all <= max_pairs as u128 {
        Some(((0..n).collect::<Vec<usize>>(), usize::MAX))
    } else if !link_only {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // k records hold k(k-1)/2 >= max_pairs pairs.
        let k = ((1.0 + (1.0 + 8.0 * max_pairs as f64).sqrt()) / 2.0).ceil() as usize;
        let mut sample: Vec<usize> = rand::seq::index::sample(&mut rng, n, k.min(n)).into_vec();
        sample.sort_unstable();
        Some((sample, max_pairs))
    } else {
        None
    };
    if let Some((rows, cap)) = within {
        let k = rows.len();
        // The pairs (a, b > a) of rows in order; `first[a]` is the index of row a's first pair.
        let mut first = Vec::with_capacity(k + 1);
        first.push(0usize);
        for a in 0..k {
            first.push(first[a] + (k - 1 - a));
        }
        let jobs = super::parallel::ranges(k, 50_000, |a| (k - 1 - a) as u64 + 1);
        let parts = exec.run(
            jobs.len(),
            &|job| {
                let mut counts: Vec<Vec<u64>> = comparisons.iter().map(|c| vec![0; c.levels.len()]).collect();
                let mut used = 0usize;
                'rows: for a in jobs[job].clone() {
                    let i = rows[a];
                    for (t, &j) in rows[a + 1..].iter().enumerate() {
                        if first[a] + t >= cap {
                            break 'rows;
                        }
                        if link_only && f.source[i] == f.source[j] {
                            continue;
                        }
                        for (k, c) in comparisons.iter().enumerate() {
                            counts[k][f.level(c, i, j) as usize] += 1;
                        }
                        used += 1;
                    }
                }
                (counts, used)
            },
            &mut |done| progress(done as f32 / jobs.len().max(1) as f32),
        )?;
        // Integer counts: the sums do not depend on the order the jobs ran in.
        let mut total: Vec<Vec<u64>> = comparisons.iter().map(|c| vec![0; c.levels.len()]).collect();
        for (part, u) in parts {
            used += u;
            for (t, p) in total.iter_mut().zip(part) {
                for (x, y) in t.iter_mut().zip(p) {
                    *x += y;
                }
            }
        }
        for (c, t) in counts.iter_mut().zip(total) {
            for (x, y) in c.iter_mut().zip(t) {
                *x = y as f64;
            }
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut tries = 0usize;
        while used < max_pairs && tries < max_pairs * 20 {
            tries += 1;
            let i = rng.random_range(0..n);
            let j = rng.random_range(0..n);
            if i == j || (link_only && f.source[i] == f.source[j]) {
                continue;
            }
            for (k, c) in comparisons.iter().enumerate() {
                counts[k][f.level(c, i, j) as usize] += 1.0;
            }
            used += 1;
        }
        if !progress(1.0) {
            return None;
        }
    }
    for (k, c) in comparisons.iter_mut().enumerate() {
        let total: f64 = c
            .levels
            .iter()
            .zip(&counts[k])
            .filter(|(l, _)| l.kind != LevelKind::Null)
            .map(|(_, &x)| x)
            .sum();
        let floor = 1.0 / (used.max(1) as f64);
        for (l, &x) in c.levels.iter_mut().zip(&counts[k]) {
            if l.kind == LevelKind::Null {
                l.u = 0.0;
                continue;
            }
            l.u = if total > 0.0 { (x / total).max(floor) } else { floor };
        }
    }
    Some(used)
}

/// Options of the EM fit.
#[derive(Clone, Debug)]
pub struct EmOptions {
    pub max_iterations: usize,
    /// Stop when no parameter moves more than this.
    pub tolerance: f64,
    /// Re-estimate u as well (off in linkage: u comes from random sampling).
    pub estimate_u: bool,
    /// Comparisons left out of this fit (neither used in the posterior nor updated): a
    /// training session leaves out the comparisons its blocking rule fixes.
    pub frozen: Vec<bool>,
}

impl Default for EmOptions {
    fn default() -> Self {
        EmOptions {
            max_iterations: 100,
            tolerance: 1e-6,
            estimate_u: false,
            frozen: Vec::new(),
        }
    }
}

/// Result of an EM fit.
#[derive(Clone, Debug)]
pub struct EmFit {
    /// Share of matches among the pairs fitted.
    pub lambda: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Posterior match probability of a pattern under the current parameters.
pub fn posterior(comparisons: &[Comparison], lambda: f64, v: u64) -> f64 {
    posterior_masked(comparisons, lambda, v, &[])
}

/// Posterior match probability ignoring the comparisons marked in `excluded`.
pub fn posterior_masked(comparisons: &[Comparison], lambda: f64, v: u64, excluded: &[bool]) -> f64 {
    let (mut pm, mut pu) = (lambda, 1.0 - lambda);
    for (k, c) in comparisons.iter().enumerate() {
        if excluded.get(k).copied().unwrap_or(false) {
            continue;
        }
        let l = &c.levels[level_of(v, k).min(c.levels.len() - 1)];
        if l.kind == LevelKind::Null {
            continue;
        }
        pm *= l.m.max(1e-300);
        pu *= l.u.max(1e-300);
    }
    if pm + pu <= 0.0 {
        0.0
    } else {
        pm / (pm + pu)
    }
}

/// Fit m (and optionally u) and the match share by EM, starting from the parameters in
/// `comparisons` and `lambda`.
pub fn fit(comparisons: &mut [Comparison], patterns: &Patterns, mut lambda: f64, opts: &EmOptions) -> EmFit {
    let total: f64 = patterns.iter().map(|p| p.1).sum();
    let mut it = 0;
    let mut converged = false;
    if total <= 0.0 {
        return EmFit {
            lambda,
            iterations: 0,
            converged: true,
        };
    }
    while it < opts.max_iterations {
        it += 1;
        let mut m_acc: Vec<Vec<f64>> = comparisons.iter().map(|c| vec![0.0; c.levels.len()]).collect();
        let mut u_acc = m_acc.clone();
        let mut matches = 0.0;
        for &(v, count) in patterns {
            let p = posterior_masked(comparisons, lambda, v, &opts.frozen);
            matches += p * count;
            for (k, c) in comparisons.iter().enumerate() {
                let l = level_of(v, k).min(c.levels.len() - 1);
                m_acc[k][l] += p * count;
                u_acc[k][l] += (1.0 - p) * count;
            }
        }
        let mut delta = 0.0f64;
        for (k, c) in comparisons.iter_mut().enumerate() {
            if opts.frozen.get(k).copied().unwrap_or(false) {
                continue;
            }
            let null: Vec<bool> = c.levels.iter().map(|l| l.kind == LevelKind::Null).collect();
            let m_tot: f64 = m_acc[k].iter().zip(&null).filter(|(_, &n)| !n).map(|(x, _)| x).sum();
            let u_tot: f64 = u_acc[k].iter().zip(&null).filter(|(_, &n)| !n).map(|(x, _)| x).sum();
            for (l, level) in c.levels.iter_mut().enumerate() {
                if null[l] {
                    continue;
                }
                if m_tot > 0.0 {
                    let m = (m_acc[k][l] / m_tot).max(1e-9);
                    delta = delta.max((m - level.m).abs());
                    level.m = m;
                }
                if opts.estimate_u && u_tot > 0.0 {
                    let u = (u_acc[k][l] / u_tot).max(1e-9);
                    delta = delta.max((u - level.u).abs());
                    level.u = u;
                }
            }
        }
        let new_lambda = (matches / total).clamp(1e-12, 1.0 - 1e-12);
        delta = delta.max((new_lambda - lambda).abs());
        lambda = new_lambda;
        if delta < opts.tolerance {
            converged = true;
            break;
        }
    }
    EmFit {
        lambda,
        iterations: it,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linkage::compare::{Field, Level};

    fn comparison(n_levels: usize) -> Comparison {
        let mut levels = vec![Level::new("null", LevelKind::Null)];
        for k in 1..n_levels {
            levels.push(Level::new(
                &format!("l{k}"),
                if k + 1 == n_levels {
                    LevelKind::Else
                } else {
                    LevelKind::Exact
                },
            ));
        }
        Comparison {
            name: "c".into(),
            field: Field::FirstName,
            levels,
        }
    }

    /// Draw a level from a distribution over non-null levels (index 0 is null, chosen with
    /// probability `p_null`).
    fn draw(rng: &mut ChaCha8Rng, probs: &[f64], p_null: f64) -> u64 {
        if rng.random::<f64>() < p_null {
            return 0;
        }
        let x: f64 = rng.random();
        let mut acc = 0.0;
        for (k, p) in probs.iter().enumerate() {
            acc += p;
            if x < acc {
                return k as u64 + 1;
            }
        }
        probs.len() as u64
    }

    #[test]
    fn em_recovers_known_m_and_u_from_simulated_vectors() {
        // Five comparisons with 3 or 4 non-null levels, known m and u, 10% matches.
        let true_m: Vec<Vec<f64>> = vec![
            vec![0.85, 0.10, 0.05],
            vec![0.80, 0.12, 0.05, 0.03],
            vec![0.90, 0.07, 0.03],
            vec![0.70, 0.20, 0.10],
            vec![0.75, 0.15, 0.10],
        ];
        let true_u: Vec<Vec<f64>> = vec![
            vec![0.02, 0.08, 0.90],
            vec![0.01, 0.04, 0.15, 0.80],
            vec![0.05, 0.15, 0.80],
            vec![0.10, 0.30, 0.60],
            vec![0.01, 0.09, 0.90],
        ];
        let lambda_true = 0.1;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let vectors: Vec<u64> = (0..200_000)
            .map(|_| {
                let is_match = rng.random::<f64>() < lambda_true;
                let mut v = 0u64;
                for k in 0..true_m.len() {
                    let probs = if is_match { &true_m[k] } else { &true_u[k] };
                    v |= draw(&mut rng, probs, 0.05) << (4 * k);
                }
                v
            })
            .collect();
        let patterns = aggregate(vectors);
        let mut comps: Vec<Comparison> = true_m.iter().map(|m| comparison(m.len() + 1)).collect();
        // Neutral-ish start: first level favours matches, last level non-matches.
        for c in comps.iter_mut() {
            let n = c.levels.len() - 1;
            for (l, level) in c.levels.iter_mut().enumerate().skip(1) {
                level.m = if l == 1 { 0.6 } else { 0.4 / (n - 1) as f64 };
                level.u = if l == n { 0.6 } else { 0.4 / (n - 1) as f64 };
            }
        }
        let opts = EmOptions {
            estimate_u: true,
            max_iterations: 500,
            tolerance: 1e-7,
            ..EmOptions::default()
        };
        let fit = fit(&mut comps, &patterns, 0.3, &opts);
        assert!(fit.converged, "{fit:?}");
        assert!((fit.lambda - lambda_true).abs() < 0.01, "lambda {}", fit.lambda);
        for (k, c) in comps.iter().enumerate() {
            for l in 0..true_m[k].len() {
                let (m, u) = (c.levels[l + 1].m, c.levels[l + 1].u);
                assert!((m - true_m[k][l]).abs() < 0.02, "m[{k}][{l}] = {m} vs {}", true_m[k][l]);
                assert!((u - true_u[k][l]).abs() < 0.01, "u[{k}][{l}] = {u} vs {}", true_u[k][l]);
            }
        }
    }

    #[test]
    fn em_with_fixed_u_recovers_m() {
        let true_m = [0.9, 0.06, 0.04];
        let true_u = [0.05, 0.15, 0.80];
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let vectors: Vec<u64> = (0..100_000)
            .map(|_| {
                let is_match = rng.random::<f64>() < 0.2;
                let mut v = 0;
                for k in 0..3 {
                    let probs: &[f64] = if is_match { &true_m } else { &true_u };
                    v |= draw(&mut rng, probs, 0.0) << (4 * k);
                }
                v
            })
            .collect();
        let mut comps: Vec<Comparison> = (0..3).map(|_| comparison(4)).collect();
        for c in comps.iter_mut() {
            for (l, level) in c.levels.iter_mut().enumerate().skip(1) {
                level.u = true_u[l - 1];
                level.m = [0.5, 0.3, 0.2][l - 1];
            }
        }
        let fit = fit(&mut comps, &aggregate(vectors), 0.5, &EmOptions::default());
        assert!((fit.lambda - 0.2).abs() < 0.01, "{}", fit.lambda);
        for c in &comps {
            for (level, want) in c.levels[1..].iter().zip(true_m) {
                assert!((level.m - want).abs() < 0.02);
            }
        }
    }
}
