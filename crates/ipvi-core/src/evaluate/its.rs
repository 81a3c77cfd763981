//! Interrupted time series: a segmented Poisson regression of monthly counts.
//!
//! `log E[y_t] = β0 + β1·t + β2·post_t + β3·(t − s)·post_t + Σ_k (a_k sin 2πkt/12 + b_k cos 2πkt/12)`
//!
//! with `s` the first month of the intervention. β2 is the immediate change in level and β3 the
//! change in trend, both as rate ratios; the average effect over the post period combines them.
//! Standard errors are quasi-Poisson (scaled by the dispersion when counts are overdispersed).

use super::glm::{poisson, GlmError};
use super::Z95;
use serde::{Deserialize, Serialize};

/// A ratio with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Estimate {
    fn from_log(b: f64, se: f64) -> Estimate {
        Estimate {
            value: b.exp(),
            lower: (b - Z95 * se).exp(),
            upper: (b + Z95 * se).exp(),
        }
    }

    /// Whether the interval excludes 1 (no change).
    pub fn excludes_one(&self) -> bool {
        self.upper < 1.0 || self.lower > 1.0
    }

    /// Whether the ratio and both limits are finite numbers.
    pub fn is_finite(&self) -> bool {
        self.value.is_finite() && self.lower.is_finite() && self.upper.is_finite()
    }
}

/// The result of an interrupted time-series analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItsResult {
    pub method: String,
    pub months_before: usize,
    pub months_after: usize,
    pub harmonics: usize,
    /// Immediate change in level at the start (rate ratio).
    pub level_change: Estimate,
    /// Change in the monthly trend (rate ratio per month).
    pub slope_change: Estimate,
    /// Average rate ratio over the post period against the counterfactual.
    pub average_effect: Estimate,
    pub dispersion: f64,
    pub fitted: Vec<f64>,
    /// What the model predicts without the intervention.
    pub counterfactual: Vec<f64>,
}

impl ItsResult {
    /// Whether every number is finite: on a few events a month the fit can diverge, and an
    /// infinite limit is neither a result to show nor a number JSON can carry.
    pub fn is_finite(&self) -> bool {
        [self.level_change, self.slope_change, self.average_effect]
            .iter()
            .all(Estimate::is_finite)
            && self.dispersion.is_finite()
            && self.fitted.iter().chain(&self.counterfactual).all(|x| x.is_finite())
    }
}

/// Fit the model. `counts[t]` is month t; `start` is the index of the first intervention month.
/// `harmonics` pairs of Fourier terms model seasonality (reduced when the series is short).
pub fn interrupted(counts: &[f64], start: usize, harmonics: usize) -> Result<ItsResult, GlmError> {
    let n = counts.len();
    if start == 0 || start >= n {
        return Err(GlmError::TooFewRows { rows: n, columns: 4 });
    }
    // Keep at least 6 residual degrees of freedom.
    let mut h = harmonics.min(6);
    while h > 0 && n < 4 + 2 * h + 6 {
        h -= 1;
    }
    if n < 4 + 6 {
        return Err(GlmError::TooFewRows {
            rows: n,
            columns: 4 + 2 * h,
        });
    }
    let row = |t: usize, with_effect: bool| -> Vec<f64> {
        let tf = t as f64;
        let post = if t >= start && with_effect { 1.0 } else { 0.0 };
        let mut r = vec![1.0, tf / 12.0, post, post * (tf - start as f64) / 12.0];
        for k in 1..=h {
            let w = 2.0 * std::f64::consts::PI * k as f64 * tf / 12.0;
            r.push(w.sin());
            r.push(w.cos());
        }
        r
    };
    let x: Vec<Vec<f64>> = (0..n).map(|t| row(t, true)).collect();
    let fit = poisson(&x, counts, None, true)?;
    let predict = |r: &[f64]| r.iter().zip(&fit.coef).map(|(a, b)| a * b).sum::<f64>().exp();
    let fitted: Vec<f64> = x.iter().map(|r| predict(r)).collect();
    let counterfactual: Vec<f64> = (0..n).map(|t| predict(&row(t, false))).collect();
    // Average post-period log ratio: β2 + β3·m, m = mean of (t − s)/12 over the post period.
    let post: Vec<f64> = (start..n).map(|t| (t - start) as f64 / 12.0).collect();
    let m = post.iter().sum::<f64>() / post.len() as f64;
    let b = fit.coef[2] + fit.coef[3] * m;
    let var = fit.cov[2][2] + m * m * fit.cov[3][3] + 2.0 * m * fit.cov[2][3];
    Ok(ItsResult {
        method: format!(
            "Segmented quasi-Poisson regression of monthly counts: level and trend before and after the start, \
             {h} pair(s) of Fourier terms for seasonality, 95% Wald intervals"
        ),
        months_before: start,
        months_after: n - start,
        harmonics: h,
        level_change: Estimate::from_log(fit.coef[2], fit.se(2)),
        // Trend coefficients are per year; report per month.
        slope_change: Estimate::from_log(fit.coef[3] / 12.0, fit.se(3) / 12.0),
        average_effect: Estimate::from_log(b, var.max(0.0).sqrt()),
        dispersion: fit.dispersion,
        fitted,
        counterfactual,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn draw(rng: &mut ChaCha8Rng, lambda: f64) -> f64 {
        // Normal approximation is not good enough for coverage; use inversion.
        let u: f64 = rng.random();
        let (mut k, mut p) = (0.0, (-lambda).exp());
        let mut cdf = p;
        while u > cdf && k < 10_000.0 {
            k += 1.0;
            p *= lambda / k;
            cdf += p;
        }
        k
    }

    fn series(rng: &mut ChaCha8Rng, effect: f64) -> Vec<f64> {
        (0..60)
            .map(|t| {
                let season = 1.0 + 0.2 * (2.0 * std::f64::consts::PI * t as f64 / 12.0).sin();
                let level = 40.0 * (1.0 + 0.002 * t as f64) * season;
                draw(rng, if t >= 36 { level * effect } else { level })
            })
            .collect()
    }

    #[test]
    fn finds_a_known_drop_and_covers_it() {
        let mut covered = 0;
        for seed in 0..40 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let r = interrupted(&series(&mut rng, 0.8), 36, 2).expect("fit");
            if r.average_effect.lower <= 0.8 && 0.8 <= r.average_effect.upper {
                covered += 1;
            }
        }
        assert!(covered >= 34, "covered {covered} of 40");
    }

    #[test]
    fn finds_no_effect_when_there_is_none() {
        let mut false_alarms = 0;
        for seed in 100..140 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let r = interrupted(&series(&mut rng, 1.0), 36, 2).expect("fit");
            if r.average_effect.excludes_one() {
                false_alarms += 1;
            }
        }
        assert!(false_alarms <= 6, "{false_alarms} false alarms of 40");
    }

    #[test]
    fn a_diverged_fit_is_not_finite() {
        let counts: Vec<f64> = (0..36).map(|t| if t % 3 == 0 { 4.0 } else { 5.0 }).collect();
        let r = interrupted(&counts, 12, 2).expect("a fit");
        assert!(r.is_finite());
        let mut wide = r.clone();
        wide.average_effect.upper = f64::INFINITY;
        assert!(!wide.is_finite());
        let mut flat = r;
        flat.fitted[3] = f64::NAN;
        assert!(!flat.is_finite());
    }

    #[test]
    fn refuses_series_too_short_or_without_a_before() {
        assert!(interrupted(&[1.0; 8], 4, 2).is_err());
        assert!(interrupted(&[1.0; 30], 0, 2).is_err());
    }
}
