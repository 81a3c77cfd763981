//! The smallest effect an evaluation could detect (its power), from the precision it achieved.
//!
//! For an estimate of a log rate ratio with standard error `se`, a two-sided test at 5% detects a
//! true ratio `r < 1` with 80% power when `|ln r| ≥ (z₀.₉₇₅ + z₀.₈₀)·se`. The minimum detectable
//! ratio is therefore `exp(−2.80·se)`: a reduction smaller than `1 − exp(−2.80·se)` would more
//! often than not go unnoticed. (Standard normal-approximation power; no data-dependent choices.)

use super::Z95;

/// The 80% quantile of the standard normal distribution.
pub const Z80: f64 = 0.841_621_233_572_914_3;

/// The smallest rate ratio below 1 detected with 80% power by a two-sided 5% test, given the
/// standard error of the log ratio. `None` when the standard error is not a positive number.
pub fn minimum_detectable_ratio(se_log: f64) -> Option<f64> {
    (se_log.is_finite() && se_log > 0.0).then(|| (-(Z95 + Z80) * se_log).exp())
}

/// The standard error of a log rate ratio expected from `events_a` and `events_b` events in two
/// independent groups (`sqrt(1/a + 1/b)`), for planning before an estimate exists.
pub fn expected_se(events_a: f64, events_b: f64) -> Option<f64> {
    (events_a > 0.0 && events_b > 0.0).then(|| (1.0 / events_a + 1.0 / events_b).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detectable_ratio_by_hand() {
        // se 0.1: exp(−0.1·(1.95996 + 0.84162)) = exp(−0.280158) = 0.75566.
        let r = minimum_detectable_ratio(0.1).expect("ratio");
        assert!((r - 0.755_66).abs() < 1e-5, "{r}");
        // 100 events on each side: se = sqrt(0.02) = 0.141421 → exp(−0.396205) = 0.67290.
        let r = minimum_detectable_ratio(expected_se(100.0, 100.0).expect("se")).expect("ratio");
        assert!((r - 0.672_87).abs() < 1e-5, "{r}");
        // More precision, smaller detectable effects.
        assert!(minimum_detectable_ratio(0.05).expect("r") > minimum_detectable_ratio(0.1).expect("r"));
        assert_eq!(minimum_detectable_ratio(0.0), None);
        assert_eq!(minimum_detectable_ratio(f64::NAN), None);
        assert_eq!(expected_se(0.0, 10.0), None);
    }
}
