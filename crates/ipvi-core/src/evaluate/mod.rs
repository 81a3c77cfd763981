//! Evaluating the intervention: survival after notification and interrupted time series.
//!
//! [`km`] estimates re-offending after notification (Kaplan–Meier, Greenwood intervals);
//! [`glm`] fits Poisson regressions by iteratively reweighted least squares; [`its`] uses it for
//! a segmented Poisson model of monthly counts before and after the start, with seasonality.
//! Every result carries its window, cohort and method so that a rate is never quoted bare.

pub mod glm;
pub mod its;
pub mod km;
pub mod notified;
pub mod power;
pub mod trial;

/// The two-sided 95% normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;
