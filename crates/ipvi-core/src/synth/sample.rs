//! The sample jurisdictions the app generates ("Load sample data"), defined once so that the app
//! and the tests generate the same data: the seed, the years, and the defaults of the sample with
//! an intervention.
//!
//! The evaluation compares notified offenders with eligible offenders not yet notified, within the
//! weeks in which some were still waiting (`evaluate::trial`); with a roll-out of 90 days that
//! leaves few re-offences to compare, and the interval is wide. The defaults here are chosen so
//! that the comparison finds the sample's effect (docs/evaluation.md, "The app's sample with an
//! intervention": the study over 20 seeds behind these numbers).

use super::{InterventionConfig, SynthConfig};
use crate::date::Date;

/// The seed of every sample the app generates.
pub const SEED: u64 = 1;
/// Years of records in the sample (2019–2021).
pub const YEARS: u32 = 3;
/// The population offered first for a sample with an intervention (people living in the
/// jurisdiction): enough re-offences for the evaluation to find [`EFFECT`].
pub const INTERVENTION_POPULATION: u32 = 400_000;
/// The default start of the sample's intervention: the earliest day that leaves the interrupted
/// time series its 12 months before the start, and so the longest follow-up after it.
pub const INTERVENTION_START: &str = "2020-01-01";
/// The default effect: a notified offender's domestic re-offending hazard times 0.5.
pub const EFFECT: f64 = 0.5;

/// The sample's intervention from a start and an effect (the generator's other defaults).
pub fn intervention(start: Date, effect: f64) -> InterventionConfig {
    InterventionConfig {
        start,
        effect,
        ..InterventionConfig::default()
    }
}

/// The sample's intervention at its defaults ([`INTERVENTION_START`], [`EFFECT`]).
pub fn default_intervention() -> InterventionConfig {
    let start = Date::parse(INTERVENTION_START).unwrap_or(Date(18262));
    intervention(start, EFFECT)
}

/// The configuration the app generates for `population` people: [`SEED`], [`YEARS`], and with an
/// intervention no follow-up year (its truth is not needed in the app).
pub fn config(population: u32, intervention: Option<InterventionConfig>) -> SynthConfig {
    SynthConfig {
        seed: SEED,
        population,
        years: YEARS,
        followup_months: if intervention.is_some() { 0 } else { 12 },
        intervention,
        ..SynthConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_fall_inside_the_sample_years() {
        let iv = default_intervention();
        let cfg = config(INTERVENTION_POPULATION, Some(iv.clone()));
        assert_eq!(Some(iv.start), Date::from_ymd(2020, 1, 1));
        assert!((iv.effect - EFFECT).abs() < 1e-12);
        // A year of data before the start (the time series needs 12 months) and after it.
        assert!(iv.start.days_since(cfg.start) >= 365);
        assert!(cfg.start.add_days(365 * YEARS as i32).days_since(iv.start) >= 365);
        assert_eq!((cfg.seed, cfg.years, cfg.followup_months), (SEED, YEARS, 0));
        assert_eq!(config(20_000, None).followup_months, 12);
    }
}
