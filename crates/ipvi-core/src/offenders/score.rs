//! Scores: RFGV (recency, frequency, gravity, victims) and harm, each shown as its components.
//!
//! RFGV follows Northumbria's MATAC approach: points for each component from bands, summed. The
//! bands and weights are not published by MATAC; ours are design choices, kept as data and
//! shown per component so that anyone can see why a person ranks where they do.

use super::features::Features;
use super::PersonIx;
use serde::{Deserialize, Serialize};

/// A band: values up to and including `upto` earn `points`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub upto: f64,
    pub points: f64,
}

/// The RFGV configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfgvConfig {
    pub version: u32,
    /// Days since the last IPV incident → points (more recent, more points).
    pub recency: Vec<Band>,
    /// IPV incidents in the window → points.
    pub frequency: Vec<Band>,
    /// Gravity days (sum of the most serious offence of each IPV incident) → points.
    pub gravity: Vec<Band>,
    /// Distinct IPV victims → points.
    pub victims: Vec<Band>,
    /// Multipliers of each component.
    pub weights: [f64; 4],
}

impl Default for RfgvConfig {
    fn default() -> Self {
        let b = |xs: &[(f64, f64)]| {
            xs.iter()
                .map(|&(upto, points)| Band { upto, points })
                .collect::<Vec<_>>()
        };
        RfgvConfig {
            version: 1,
            recency: b(&[(30.0, 5.0), (90.0, 4.0), (180.0, 3.0), (365.0, 2.0), (f64::MAX, 1.0)]),
            frequency: b(&[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0), (5.0, 4.0), (f64::MAX, 5.0)]),
            gravity: b(&[(30.0, 1.0), (60.0, 2.0), (180.0, 3.0), (545.0, 4.0), (f64::MAX, 5.0)]),
            victims: b(&[(1.0, 1.0), (2.0, 3.0), (f64::MAX, 5.0)]),
            weights: [1.0, 1.0, 1.0, 1.0],
        }
    }
}

fn points(bands: &[Band], value: f64) -> f64 {
    bands.iter().find(|b| value <= b.upto).map(|b| b.points).unwrap_or(0.0)
}

/// One offender's scores, with their components.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub person: PersonIx,
    pub recency: f64,
    pub frequency: f64,
    pub gravity: f64,
    pub victims: f64,
    /// Weighted sum of the four components.
    pub rfgv: f64,
    /// Crime Harm Index (days), all crime types in the window.
    pub harm: f64,
    /// 1 = highest; ties broken by harm, then recency, then the person index.
    pub rank: u32,
}

/// Score every offender and rank them.
pub fn score(features: &[Features], cfg: &RfgvConfig) -> Vec<Score> {
    let mut out: Vec<Score> = features
        .iter()
        .map(|f| {
            let r = cfg.weights[0] * points(&cfg.recency, f.recency_days.unwrap_or(i32::MAX) as f64);
            let fr = cfg.weights[1] * points(&cfg.frequency, f.frequency as f64);
            let g = cfg.weights[2] * points(&cfg.gravity, f.gravity_days);
            let v = cfg.weights[3] * points(&cfg.victims, f.victims as f64);
            Score {
                person: f.person,
                recency: r,
                frequency: fr,
                gravity: g,
                victims: v,
                rfgv: r + fr + g + v,
                harm: f.harm_days,
                rank: 0,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&out[a], &out[b]);
        y.rfgv
            .total_cmp(&x.rfgv)
            .then(y.harm.total_cmp(&x.harm))
            .then(y.recency.total_cmp(&x.recency))
            .then(x.person.cmp(&y.person))
    });
    for (rank, &i) in order.iter().enumerate() {
        out[i].rank = rank as u32 + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(person: PersonIx, recency: i32, frequency: u32, gravity: f64, victims: u32, harm: f64) -> Features {
        Features {
            person,
            recency_days: Some(recency),
            frequency,
            gravity_days: gravity,
            victims,
            harm_days: harm,
            ..Features::default()
        }
    }

    #[test]
    fn components_follow_the_bands() {
        let s = score(
            &[f(0, 30, 1, 30.0, 1, 30.0), f(1, 31, 6, 600.0, 3, 900.0)],
            &RfgvConfig::default(),
        );
        assert_eq!(
            (s[0].recency, s[0].frequency, s[0].gravity, s[0].victims, s[0].rfgv),
            (5.0, 1.0, 1.0, 1.0, 8.0)
        );
        assert_eq!(
            (s[1].recency, s[1].frequency, s[1].gravity, s[1].victims, s[1].rfgv),
            (4.0, 5.0, 5.0, 5.0, 19.0)
        );
        assert_eq!((s[0].rank, s[1].rank), (2, 1));
    }

    #[test]
    fn ties_break_on_harm_then_person() {
        let s = score(
            &[
                f(0, 10, 1, 10.0, 1, 5.0),
                f(1, 10, 1, 10.0, 1, 50.0),
                f(2, 10, 1, 10.0, 1, 5.0),
            ],
            &RfgvConfig::default(),
        );
        assert_eq!(s.iter().map(|x| x.rank).collect::<Vec<_>>(), vec![2, 1, 3]);
    }
}
