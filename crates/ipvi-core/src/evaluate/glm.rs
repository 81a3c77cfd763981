//! Poisson regression (log link) by iteratively reweighted least squares.
//!
//! Small dense problems only (a few dozen columns): the normal equations are solved by
//! Cholesky. Standard errors are model-based, optionally scaled by the Pearson dispersion
//! (quasi-Poisson) when counts vary more than a Poisson model allows.

// Index loops read like the matrix algebra they implement.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};

/// A fitted model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    pub coef: Vec<f64>,
    /// Covariance of the coefficients (already scaled by `dispersion`).
    pub cov: Vec<Vec<f64>>,
    pub deviance: f64,
    /// Pearson χ² / (n − p), floored at 1 when `quasi` was asked for; 1 otherwise.
    pub dispersion: f64,
    pub iterations: u32,
    pub converged: bool,
}

impl Fit {
    /// Standard error of coefficient `j`.
    pub fn se(&self, j: usize) -> f64 {
        self.cov
            .get(j)
            .and_then(|r| r.get(j))
            .map(|v| v.max(0.0).sqrt())
            .unwrap_or(f64::NAN)
    }
}

/// Why a model could not be fitted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GlmError {
    #[error("the model has {columns} columns but only {rows} observations")]
    TooFewRows { rows: usize, columns: usize },
    #[error("the design matrix is singular: a column is constant or repeats another")]
    Singular,
    #[error("rows have different lengths or a count is negative or not finite")]
    BadInput,
}

/// Cholesky decomposition of a symmetric positive-definite matrix; `None` when it is not.
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if s <= 1e-12 * a[i][i].abs().max(1e-300) {
                    return None;
                }
                l[i][j] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    Some(l)
}

fn solve_chol(l: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let n = l.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i][k] * y[k];
        }
        y[i] = s / l[i][i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= l[k][i] * x[k];
        }
        x[i] = s / l[i][i];
    }
    x
}

fn invert(l: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = l.len();
    let mut inv = vec![vec![0.0; n]; n];
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let col = solve_chol(l, &e);
        for i in 0..n {
            inv[i][j] = col[i];
        }
    }
    inv
}

/// Fit `log E[y] = offset + X·β`. `x` holds one row per observation.
pub fn poisson(x: &[Vec<f64>], y: &[f64], offset: Option<&[f64]>, quasi: bool) -> Result<Fit, GlmError> {
    let n = y.len();
    let p = x.first().map(Vec::len).unwrap_or(0);
    if x.len() != n || x.iter().any(|r| r.len() != p) || y.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(GlmError::BadInput);
    }
    if n <= p || p == 0 {
        return Err(GlmError::TooFewRows { rows: n, columns: p });
    }
    let off = |i: usize| offset.and_then(|o| o.get(i)).copied().unwrap_or(0.0);
    // Start from the mean rate.
    let ybar = (y.iter().sum::<f64>() / n as f64).max(1e-8);
    let mut eta: Vec<f64> = (0..n).map(|i| off(i) + ybar.ln() - off(i)).collect();
    let mut beta = vec![0.0; p];
    let mut dev_old = f64::INFINITY;
    let mut converged = false;
    let mut iterations = 0;
    let mut xtwx = vec![vec![0.0; p]; p];
    for it in 0..100 {
        iterations = it + 1;
        for r in xtwx.iter_mut() {
            r.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut xtwz = vec![0.0; p];
        for i in 0..n {
            let mu = eta[i].exp().max(1e-10);
            let z = eta[i] - off(i) + (y[i] - mu) / mu;
            let w = mu;
            for a in 0..p {
                let xa = x[i][a] * w;
                xtwz[a] += xa * z;
                for b in 0..=a {
                    xtwx[a][b] += xa * x[i][b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[b][a] = xtwx[a][b];
            }
        }
        let l = cholesky(&xtwx).ok_or(GlmError::Singular)?;
        beta = solve_chol(&l, &xtwz);
        for i in 0..n {
            eta[i] = off(i) + x[i].iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>();
        }
        let dev = deviance(y, &eta);
        if (dev_old - dev).abs() <= 1e-10 * (dev.abs() + 0.1) {
            converged = true;
            break;
        }
        dev_old = dev;
    }
    // Covariance at the solution.
    for r in xtwx.iter_mut() {
        r.iter_mut().for_each(|v| *v = 0.0);
    }
    let mut pearson = 0.0;
    for i in 0..n {
        let mu = eta[i].exp().max(1e-10);
        pearson += (y[i] - mu).powi(2) / mu;
        for a in 0..p {
            for b in 0..p {
                xtwx[a][b] += x[i][a] * mu * x[i][b];
            }
        }
    }
    let l = cholesky(&xtwx).ok_or(GlmError::Singular)?;
    let dispersion = if quasi {
        (pearson / (n - p) as f64).max(1.0)
    } else {
        1.0
    };
    let cov = invert(&l)
        .into_iter()
        .map(|r| r.into_iter().map(|v| v * dispersion).collect())
        .collect();
    Ok(Fit {
        coef: beta,
        cov,
        deviance: deviance(y, &eta),
        dispersion,
        iterations,
        converged,
    })
}

fn deviance(y: &[f64], eta: &[f64]) -> f64 {
    2.0 * y
        .iter()
        .zip(eta)
        .map(|(&yi, &e)| {
            let mu = e.exp();
            if yi > 0.0 {
                yi * (yi / mu).ln() - (yi - mu)
            } else {
                mu
            }
        })
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn poisson_draw(rng: &mut ChaCha8Rng, lambda: f64) -> f64 {
        // Knuth's method; fine for the small means of these tests.
        let l = (-lambda).exp();
        let (mut k, mut p) = (0.0, 1.0);
        loop {
            p *= rng.random::<f64>();
            if p <= l {
                return k;
            }
            k += 1.0;
        }
    }

    #[test]
    fn a_binary_covariate_gives_the_log_ratio_of_means() {
        let x: Vec<Vec<f64>> = (0..6).map(|i| vec![1.0, if i < 3 { 0.0 } else { 1.0 }]).collect();
        let y = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let f = poisson(&x, &y, None, false).expect("fit");
        assert!((f.coef[0] - 3.0f64.ln()).abs() < 1e-8);
        assert!((f.coef[1] - 2.0f64.ln()).abs() < 1e-8);
        // Var(log mean) = 1 / total count.
        assert!((f.se(1) - (1.0 / 9.0 + 1.0 / 18.0f64).sqrt()).abs() < 1e-6);
        assert!(f.converged);
    }

    #[test]
    fn recovers_known_coefficients_from_simulated_counts() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let truth = [1.5, 0.3, -0.4];
        let mut x = Vec::new();
        let mut y = Vec::new();
        for _ in 0..4000 {
            let a: f64 = rng.random::<f64>() * 2.0 - 1.0;
            let b = if rng.random::<f64>() < 0.5 { 1.0 } else { 0.0 };
            let mu = (truth[0] + truth[1] * a + truth[2] * b).exp();
            x.push(vec![1.0, a, b]);
            y.push(poisson_draw(&mut rng, mu));
        }
        let f = poisson(&x, &y, None, true).expect("fit");
        for j in 0..3 {
            assert!(
                (f.coef[j] - truth[j]).abs() < 3.0 * f.se(j),
                "coef {j}: {} vs {}",
                f.coef[j],
                truth[j]
            );
        }
    }

    #[test]
    fn refuses_bad_designs() {
        let x = vec![vec![1.0, 1.0], vec![1.0, 1.0], vec![1.0, 1.0]];
        assert_eq!(
            poisson(&x, &[1.0, 2.0, 3.0], None, false).err(),
            Some(GlmError::Singular)
        );
        assert_eq!(
            poisson(&[vec![1.0]], &[1.0], None, false).err(),
            Some(GlmError::TooFewRows { rows: 1, columns: 1 })
        );
        assert_eq!(
            poisson(&[vec![1.0], vec![1.0]], &[1.0, -1.0], None, false).err(),
            Some(GlmError::BadInput)
        );
    }
}
