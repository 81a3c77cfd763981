//! Notified against not-yet-notified offenders as a sequence of stacked target trials.
//!
//! Comparing all notified person-time with all not-yet-notified person-time compares different
//! people at different times: notification selects people by list and by a recent incident, risk
//! decays with the time since that incident, and the not-notified time is mostly other people's
//! (before the start, or long after their last incident). No adjustment for history removes that
//! fully, and the ratio came out biased towards 1 on jurisdictions generated with a known effect
//! (docs/evaluation.md).
//!
//! Here the comparison is confined to where notification came at a time not chosen by risk: the
//! weeks in which eligible offenders were waiting to be notified. Every week from the start is one
//! trial. Its cohort is everyone *eligible* at the week's start (time zero): an IPV incident in the
//! look-back before it, and a notification in the data (so that their list is known). The
//! *notified* arm is those first notified in the `recent_days` before time zero; the
//! *not-yet-notified* arm is those first notified on or after it, followed only until their
//! notification. Both arms are followed through the week from the same time zero, counting
//! re-offences. Arms are compared within strata of calendar period (four weeks), list and days
//! since the last IPV incident at time zero: a Poisson model with a baseline rate per stratum
//! (conditional on each stratum's events), so only people alike in list, recency and calendar
//! time are compared. People recur across weeks; the interval uses person-clustered (sandwich)
//! standard errors.
//!
//! A limit: someone eligible by the look-back but notified only after a new incident sits in the
//! not-yet-notified arm with that incident; in the generated programme everyone eligible is
//! notified without waiting for one, and the study in docs/evaluation.md measures what linkage and
//! classification errors do.
//!
//! Pure: no IO, no clock.

use super::its::Estimate;
use super::Z95;
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Settings of the stacked-trial comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialConfig {
    /// Days between successive trials' time zeros, and the follow-up of each trial.
    pub step_days: i32,
    /// Trials are compared within calendar periods of this many days (a whole number of steps):
    /// long enough to hold both arms, short enough that seasons and trends do not differ.
    pub period_days: i32,
    /// The notified arm: first notified at most this many days before time zero.
    pub recent_days: i32,
    /// An IPV incident this many days before time zero makes a person eligible.
    pub lookback_days: i32,
    /// Upper edges (days since the last IPV incident at time zero) of the matching bands; the last
    /// band is everything beyond the last edge.
    pub gap_edges: Vec<i32>,
}

impl Default for TrialConfig {
    /// Weekly trials compared within four-week periods, the notified arm notified in the past 91 days, eligibility by an IPV
    /// incident in the past 730 days, recency matched by week up to 13 weeks and coarser beyond.
    fn default() -> Self {
        TrialConfig {
            step_days: 7,
            period_days: 28,
            recent_days: 91,
            lookback_days: 730,
            gap_edges: vec![
                7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 120, 150, 180, 270, 365, 545,
            ],
        }
    }
}

/// One person as the trials see them.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    /// IPV incidents as offender, sorted.
    pub incidents: &'a [Date],
    /// Outcome events (incidents or arrests), sorted.
    pub outcomes: &'a [Date],
    /// The first notification's date and list (any small code, compared for equality).
    pub first_notified: Option<(Date, u8)>,
}

/// One person's follow-up in one stratum of one trial.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Index of the subject.
    pub person: u32,
    /// Trial number (0 = the week starting on the start date).
    pub trial: u32,
    /// Calendar period of the trial (trials compared together).
    pub period: u32,
    pub list: u8,
    /// Band of days since the last IPV incident at time zero.
    pub gap_band: u8,
    /// In the notified arm (first notified in the recent days before time zero).
    pub notified: bool,
    /// Re-offences during the follow-up.
    pub events: u32,
    pub days: f64,
}

impl Row {
    /// The stratum the row is compared within.
    pub fn stratum(&self) -> (u32, u8, u8) {
        (self.period, self.list, self.gap_band)
    }
}

fn band(v: i32, edges: &[i32]) -> u8 {
    edges.iter().position(|&e| v <= e).unwrap_or(edges.len()) as u8
}

/// Build the stacked trials from `start` to `as_of` (inclusive).
pub fn stack(subjects: &[Subject<'_>], start: Date, as_of: Date, cfg: &TrialConfig) -> Vec<Row> {
    let step = cfg.step_days.max(1);
    let per_period = (cfg.period_days / step).max(1) as u32;
    let end_of_data = as_of.add_days(1);
    // Only people notified at some time can be in either arm; take them in notification order.
    let mut order: Vec<(Date, u32)> = subjects
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.first_notified.map(|(d, _)| (d, i as u32)))
        .filter(|&(d, _)| d >= start && d <= as_of)
        .collect();
    order.sort_unstable();
    let mut rows = Vec::new();
    let mut k = 0u32;
    loop {
        let zero = start.add_days(k as i32 * step);
        if zero >= end_of_data {
            break;
        }
        let week_end = zero.add_days(step).min(end_of_data);
        let first = order.partition_point(|&(d, _)| d < zero.add_days(-cfg.recent_days));
        for &(n, i) in &order[first..] {
            let s = &subjects[i as usize];
            let Some((_, list)) = s.first_notified else { continue };
            let before = s.incidents.partition_point(|&d| d < zero);
            let Some(&last) = s.incidents[..before].last() else {
                continue;
            };
            let gap = zero.days_since(last);
            if gap > cfg.lookback_days {
                continue;
            }
            let notified = n < zero;
            let end = if notified { week_end } else { week_end.min(n) };
            if end <= zero {
                continue;
            }
            let from = s.outcomes.partition_point(|&d| d < zero);
            let to = s.outcomes.partition_point(|&d| d < end);
            rows.push(Row {
                person: i,
                trial: k,
                period: k / per_period,
                list,
                gap_band: band(gap, &cfg.gap_edges),
                notified,
                events: (to - from) as u32,
                days: end.days_since(zero) as f64,
            });
        }
        k += 1;
    }
    rows
}

/// The stratified (conditional) Poisson rate ratio of the notified arm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StratifiedFit {
    /// Log rate ratio.
    pub log_ratio: f64,
    /// Person-clustered (sandwich) standard error, with the G/(G−1) small-sample factor.
    pub se: f64,
    /// Model-based standard error (inverse information), for reference.
    pub se_model: f64,
    /// Strata with events in both arms' reach (both arms present and at least one event).
    pub strata_used: u64,
    /// People with rows in those strata (the clusters).
    pub clusters: u64,
}

impl StratifiedFit {
    /// The rate ratio with its 95% interval.
    pub fn estimate(&self) -> Estimate {
        Estimate {
            value: self.log_ratio.exp(),
            lower: (self.log_ratio - Z95 * self.se).exp(),
            upper: (self.log_ratio + Z95 * self.se).exp(),
        }
    }
}

/// Stratum totals: events and days of the notified arm, then of the other.
type Totals = (f64, f64, f64, f64);

/// Rows in strata that carry information on the ratio: both arms present and at least one event.
pub fn informative(rows: &[Row]) -> Vec<Row> {
    let totals = totals(rows);
    rows.iter()
        .copied()
        .filter(|r| {
            let (y1, t1, y0, t0) = totals[&r.stratum()];
            t1 > 0.0 && t0 > 0.0 && y1 + y0 > 0.0
        })
        .collect()
}

fn totals(rows: &[Row]) -> BTreeMap<(u32, u8, u8), Totals> {
    let mut m: BTreeMap<(u32, u8, u8), Totals> = BTreeMap::new();
    for r in rows {
        let e = m.entry(r.stratum()).or_default();
        if r.notified {
            e.0 += r.events as f64;
            e.1 += r.days;
        } else {
            e.2 += r.events as f64;
            e.3 += r.days;
        }
    }
    m
}

/// Fit `log E[events] = log days + α_stratum + β·notified` by maximising the likelihood
/// conditional on each stratum's events (equal to the Poisson fit with a parameter per stratum),
/// Newton's method on β. `None` when no stratum has both arms and an event, or when the notified
/// or the other arm has no event in those strata (the ratio is then 0 or unbounded).
pub fn stratified_rate_ratio(rows: &[Row]) -> Option<StratifiedFit> {
    let all = totals(rows);
    let strata: Vec<Totals> = all
        .values()
        .copied()
        .filter(|&(y1, t1, y0, t0)| t1 > 0.0 && t0 > 0.0 && y1 + y0 > 0.0)
        .collect();
    let (y1s, y0s) = strata.iter().fold((0.0, 0.0), |a, s| (a.0 + s.0, a.1 + s.2));
    if strata.is_empty() || y1s == 0.0 || y0s == 0.0 {
        return None;
    }
    let p_of = |b: f64, t1: f64, t0: f64| {
        let w = b.exp() * t1;
        w / (w + t0)
    };
    let mut b = 0.0f64;
    let mut info = 0.0;
    for _ in 0..100 {
        let (mut score, mut inf) = (0.0, 0.0);
        for &(y1, t1, y0, t0) in &strata {
            let n = y1 + y0;
            let p = p_of(b, t1, t0);
            score += y1 - n * p;
            inf += n * p * (1.0 - p);
        }
        info = inf;
        if inf <= 0.0 {
            return None;
        }
        let delta = (score / inf).clamp(-2.0, 2.0);
        b += delta;
        if delta.abs() < 1e-12 {
            break;
        }
    }
    if !b.is_finite() || info <= 0.0 {
        return None;
    }
    // Each row's contribution to the score for β with the strata's rates profiled out:
    // (x − p_s)(y − μ), μ = days·exp(β·x)·λ_s, λ_s = n_s / (exp(β)·T1_s + T0_s).
    let mut per_person: BTreeMap<u32, f64> = BTreeMap::new();
    for r in rows {
        let (y1, t1, y0, t0) = all[&r.stratum()];
        if !(t1 > 0.0 && t0 > 0.0 && y1 + y0 > 0.0) {
            continue;
        }
        let lambda = (y1 + y0) / (b.exp() * t1 + t0);
        let x = if r.notified { 1.0 } else { 0.0 };
        let mu = r.days * (b * x).exp() * lambda;
        let p = p_of(b, t1, t0);
        *per_person.entry(r.person).or_default() += (x - p) * (r.events as f64 - mu);
    }
    let g = per_person.len() as f64;
    let meat: f64 = per_person.values().map(|u| u * u).sum();
    let scale = if g > 1.0 { g / (g - 1.0) } else { 1.0 };
    let se = (scale * meat).sqrt() / info;
    if !se.is_finite() {
        return None;
    }
    Some(StratifiedFit {
        log_ratio: b,
        se,
        se_model: info.sqrt().recip(),
        strata_used: strata.len() as u64,
        clusters: per_person.len() as u64,
    })
}

/// People in the rows, and of them those in the notified arm of some trial.
pub fn people(rows: &[Row]) -> (u64, u64) {
    let all: HashSet<u32> = rows.iter().map(|r| r.person).collect();
    let notified: HashSet<u32> = rows.iter().filter(|r| r.notified).map(|r| r.person).collect();
    (all.len() as u64, notified.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn row(person: u32, trial: u32, notified: bool, events: u32, days: f64) -> Row {
        Row {
            person,
            trial,
            period: trial,
            list: 0,
            gap_band: 0,
            notified,
            events,
            days,
        }
    }

    #[test]
    fn one_stratum_gives_the_ratio_of_rates() {
        // Notified: 2 events in 100 days; not yet: 4 events in 100 days → 0.5.
        let rows = vec![
            row(0, 0, true, 1, 50.0),
            row(1, 0, true, 1, 50.0),
            row(2, 0, false, 2, 50.0),
            row(3, 0, false, 2, 50.0),
        ];
        let f = stratified_rate_ratio(&rows).expect("fit");
        assert!((f.log_ratio.exp() - 0.5).abs() < 1e-9, "{f:?}");
        // Model variance 1/y1 + 1/y0 = 0.75.
        assert!((f.se_model - 0.75f64.sqrt()).abs() < 1e-9, "{f:?}");
        // Sandwich by hand: p = 1/3, λ = 6/150 = 0.04; u = (x − p)(y − μ) with μ = 50·0.04·e^{βx}:
        // notified μ = 1, u = 0; not yet μ = 2, u = 0 → variance 0.
        assert!(f.se.abs() < 1e-9, "{f:?}");
    }

    #[test]
    fn strata_are_compared_within_not_across() {
        // Stratum A: rates 1/10 and 2/10 per day (ratio 0.5), mostly notified time.
        // Stratum B: rates 1/100 and 2/100 (ratio 0.5), mostly not-notified time.
        // Pooled, the notified look worse; within strata the ratio is 0.5.
        let rows = vec![
            row(0, 0, true, 9, 90.0),
            row(1, 0, false, 2, 10.0),
            row(2, 1, true, 1, 100.0),
            row(3, 1, false, 18, 900.0),
        ];
        let f = stratified_rate_ratio(&rows).expect("fit");
        assert!((f.log_ratio.exp() - 0.5).abs() < 1e-9, "{f:?}");
        let crude = (10.0 / 190.0) / (20.0 / 910.0);
        assert!(crude > 2.0, "{crude}");
    }

    #[test]
    fn no_ratio_without_events_on_both_sides() {
        assert!(stratified_rate_ratio(&[row(0, 0, true, 0, 10.0), row(1, 0, false, 3, 10.0)]).is_none());
        assert!(stratified_rate_ratio(&[row(0, 0, true, 2, 10.0)]).is_none());
    }

    #[test]
    fn trials_follow_both_arms_from_the_same_time_zero() {
        let cfg = TrialConfig {
            step_days: 7,
            period_days: 14,
            recent_days: 10,
            lookback_days: 730,
            gap_edges: vec![14],
        };
        let start = d("2022-01-01");
        // Person 0: incident 2021-12-20, notified 2022-01-03, re-offends 2022-01-10 and -12.
        // Person 1: incident 2021-12-25, notified 2022-01-12.
        // Person 2: never notified (no list): never in a trial.
        // Person 3: notified 2022-01-05 but no IPV incident in the look-back: never eligible.
        let i0 = [d("2021-12-20"), d("2022-01-10"), d("2022-01-12")];
        let i1 = [d("2021-12-25")];
        let i3 = [d("2019-01-01")];
        let subjects = [
            Subject {
                incidents: &i0,
                outcomes: &i0,
                first_notified: Some((d("2022-01-03"), 0)),
            },
            Subject {
                incidents: &i1,
                outcomes: &i1,
                first_notified: Some((d("2022-01-12"), 1)),
            },
            Subject {
                incidents: &i1,
                outcomes: &i1,
                first_notified: None,
            },
            Subject {
                incidents: &i3,
                outcomes: &i3,
                first_notified: Some((d("2022-01-05"), 0)),
            },
        ];
        let rows = stack(&subjects, start, d("2022-01-24"), &cfg);
        let at = |k: u32, p: u32| rows.iter().find(|r| r.trial == k && r.person == p).copied();
        // Week 0 (01-01 to 01-07): both not yet notified; person 0 until their notification (2 days).
        let r = at(0, 0).expect("row");
        assert_eq!((r.notified, r.days, r.events, r.gap_band), (false, 2.0, 0, 0));
        assert_eq!(at(0, 1).map(|r| (r.notified, r.days)), Some((false, 7.0)));
        // Week 1 (01-08 to 01-14): person 0 notified (both re-offences, 19 days since the last
        // incident: band 1); person 1 not yet, until 01-12 (4 days).
        let r = at(1, 0).expect("row");
        assert_eq!((r.notified, r.days, r.events, r.gap_band), (true, 7.0, 2, 1));
        assert_eq!(at(1, 1).map(|r| (r.notified, r.days, r.list)), Some((false, 4.0, 1)));
        // Week 2 (01-15 to 01-21): person 0 notified 12 days before: out; person 1 3 days before.
        assert_eq!(at(2, 0), None);
        assert_eq!(at(2, 1).map(|r| r.notified), Some(true));
        // Week 3 (01-22 to the end of data, 01-24): person 0 was notified more than 10 days
        // before: out; person 1 notified 10 days before: in, for 3 days.
        assert_eq!(at(3, 0), None);
        assert_eq!(at(3, 1).map(|r| r.days), Some(3.0));
        // Weeks 0 and 1 are compared together, and weeks 2 and 3.
        assert!(rows.iter().all(|r| r.period == r.trial / 2));
        // Persons 2 and 3 never appear.
        assert!(rows.iter().all(|r| r.person < 2));
        assert_eq!(rows.len(), 6, "{rows:?}");
    }
}
