//! Kaplan–Meier survival with Greenwood variance and log–log confidence intervals.

use super::Z95;
use serde::{Deserialize, Serialize};

/// One person's follow-up: time from notification to the event or to censoring (days).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Follow {
    pub days: f64,
    /// True when the event (re-offending) happened at `days`; false when follow-up ended then.
    pub event: bool,
}

/// One step of the survival curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub days: f64,
    pub at_risk: u64,
    pub events: u64,
    pub censored: u64,
    pub survival: f64,
    pub lower: f64,
    pub upper: f64,
}

/// A Kaplan–Meier curve.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub n: u64,
    pub events: u64,
    pub steps: Vec<Step>,
}

/// A cumulative rate (1 − survival) at a time, with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub days: f64,
    pub rate: f64,
    pub lower: f64,
    pub upper: f64,
    /// People still followed at that time.
    pub at_risk: u64,
}

/// Fit the curve. Events at the same time as censorings are taken first (the usual convention).
pub fn kaplan_meier(data: &[Follow]) -> Curve {
    let mut d: Vec<Follow> = data
        .iter()
        .copied()
        .filter(|f| f.days.is_finite() && f.days >= 0.0)
        .collect();
    d.sort_by(|a, b| a.days.total_cmp(&b.days).then(b.event.cmp(&a.event)));
    let n = d.len() as u64;
    let mut at_risk = n;
    let (mut s, mut greenwood) = (1.0f64, 0.0f64);
    let mut steps = Vec::new();
    let mut total_events = 0;
    let mut i = 0;
    while i < d.len() {
        let t = d[i].days;
        let (mut ev, mut cens) = (0u64, 0u64);
        while i < d.len() && d[i].days == t {
            if d[i].event {
                ev += 1;
            } else {
                cens += 1;
            }
            i += 1;
        }
        if ev > 0 {
            let r = at_risk as f64;
            s *= 1.0 - ev as f64 / r;
            if r > ev as f64 {
                greenwood += ev as f64 / (r * (r - ev as f64));
            }
            let (lower, upper) = loglog_ci(s, greenwood);
            steps.push(Step {
                days: t,
                at_risk,
                events: ev,
                censored: cens,
                survival: s,
                lower,
                upper,
            });
            total_events += ev;
        } else if let Some(last) = steps.last_mut().filter(|l| l.days == t) {
            last.censored += cens;
        }
        at_risk -= ev + cens;
    }
    Curve {
        n,
        events: total_events,
        steps,
    }
}

/// Log–log interval: exp(−exp(log(−log S) ± z·se)), se = sqrt(Greenwood) / |log S|.
fn loglog_ci(s: f64, greenwood: f64) -> (f64, f64) {
    if s <= 0.0 || s >= 1.0 {
        return (s, s);
    }
    let ls = s.ln();
    let se = greenwood.sqrt() / ls.abs();
    let a = (-ls).ln();
    let lower = (-(a + Z95 * se).exp()).exp();
    let upper = (-(a - Z95 * se).exp()).exp();
    (lower, upper)
}

impl Curve {
    /// Survival just after `days` (1.0 before the first event).
    pub fn survival_at(&self, days: f64) -> (f64, f64, f64) {
        self.steps
            .iter()
            .take_while(|s| s.days <= days)
            .last()
            .map(|s| (s.survival, s.lower, s.upper))
            .unwrap_or((1.0, 1.0, 1.0))
    }

    /// The cumulative re-offending rate by `days`, or `None` when nobody was followed that long
    /// with an event possible (the curve does not reach it).
    pub fn rate_at(&self, days: f64, data: &[Follow]) -> Option<Rate> {
        let followed = data.iter().filter(|f| f.days >= days).count() as u64;
        let reached = followed > 0 || self.steps.iter().any(|s| s.survival == 0.0 && s.days <= days);
        if !reached {
            return None;
        }
        let (s, lo, hi) = self.survival_at(days);
        Some(Rate {
            days,
            rate: 1.0 - s,
            lower: 1.0 - hi,
            upper: 1.0 - lo,
            at_risk: followed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Freireich et al. (1963) 6-MP arm, the textbook Kaplan–Meier example.
    fn six_mp() -> Vec<Follow> {
        let times: [(f64, bool); 21] = [
            (6.0, true),
            (6.0, true),
            (6.0, true),
            (6.0, false),
            (7.0, true),
            (9.0, false),
            (10.0, true),
            (10.0, false),
            (11.0, false),
            (13.0, true),
            (16.0, true),
            (17.0, false),
            (19.0, false),
            (20.0, false),
            (22.0, true),
            (23.0, true),
            (25.0, false),
            (32.0, false),
            (32.0, false),
            (34.0, false),
            (35.0, false),
        ];
        times.iter().map(|&(days, event)| Follow { days, event }).collect()
    }

    #[test]
    fn reproduces_the_textbook_curve() {
        let c = kaplan_meier(&six_mp());
        let got: Vec<(f64, f64)> = c
            .steps
            .iter()
            .map(|s| (s.days, (s.survival * 1000.0).round() / 1000.0))
            .collect();
        assert_eq!(
            got,
            vec![
                (6.0, 0.857),
                (7.0, 0.807),
                (10.0, 0.753),
                (13.0, 0.690),
                (16.0, 0.627),
                (22.0, 0.538),
                (23.0, 0.448)
            ]
        );
        assert_eq!((c.n, c.events), (21, 9));
        // Greenwood standard error at t = 6 is 0.0764 (textbook); the log-log interval holds S.
        let s6 = c.steps[0];
        assert!(s6.lower < s6.survival && s6.survival < s6.upper);
        assert!((s6.lower - 0.620).abs() < 0.005, "lower {}", s6.lower);
        assert!((s6.upper - 0.952).abs() < 0.005, "upper {}", s6.upper);
    }

    #[test]
    fn rates_are_one_minus_survival_and_need_follow_up() {
        let data = six_mp();
        let c = kaplan_meier(&data);
        let r = c.rate_at(12.0, &data).expect("followed");
        assert!((r.rate - (1.0 - 0.753)).abs() < 0.001);
        assert!(r.lower <= r.rate && r.rate <= r.upper);
        assert_eq!(r.at_risk, 12);
        assert_eq!(c.rate_at(40.0, &data), None);
    }
}
