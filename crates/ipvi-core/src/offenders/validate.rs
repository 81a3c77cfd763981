//! Judging a ranking honestly: AUC and precision among the top of the list, against what
//! happened after the as-of date, for our score and two baselines, all judged the same way.
//!
//! Ties are handled identically for every method and never by one method's own order:
//! - AUC (Mann–Whitney) counts a tied positive–negative pair as half a win;
//! - precision among the top `k` counts the people strictly above the cut in full and the
//!   group tied at the cut at its own rate of positives for the places left (the expected
//!   precision when ties are put in a random order). A method that cannot tell people apart
//!   gets the average of the tied group, neither its luckiest nor its unluckiest order.

use super::features::Features;
use super::outputs::Offender;
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Area under the ROC curve of `scores` for the binary `outcome` (Mann–Whitney, ties count
/// half). `None` when one of the two groups is empty.
pub fn auc(scores: &[f64], outcome: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..scores.len().min(outcome.len())).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut pos, mut neg) = (0u64, 0u64);
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if outcome[k] {
                pos += 1;
                rank_sum += mid_rank;
            } else {
                neg += 1;
            }
        }
        i = j + 1;
    }
    if pos == 0 || neg == 0 {
        return None;
    }
    Some((rank_sum - pos as f64 * (pos as f64 + 1.0) / 2.0) / (pos as f64 * neg as f64))
}

/// The number of people in the top `fraction` of `n` (rounded up, at least one).
pub fn top_k(n: usize, fraction: f64) -> usize {
    ((n as f64 * fraction).ceil() as usize).clamp(1, n.max(1))
}

/// Share of positives among the top `fraction` by score (at least one person). The group tied
/// at the cut fills the places left at its own rate of positives (see the module header), so
/// the result does not depend on the input order.
pub fn precision_at(scores: &[f64], outcome: &[bool], fraction: f64) -> Option<f64> {
    let n = scores.len().min(outcome.len());
    if n == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let k = top_k(n, fraction);
    let cut = scores[idx[k - 1]];
    let above = idx.iter().take_while(|&&i| scores[i] > cut).count();
    let tied: Vec<usize> = idx[above..]
        .iter()
        .take_while(|&&i| scores[i] == cut)
        .copied()
        .collect();
    let hits_above = idx[..above].iter().filter(|&&i| outcome[i]).count() as f64;
    let tied_rate = tied.iter().filter(|&&i| outcome[i]).count() as f64 / tied.len().max(1) as f64;
    Some((hits_above + (k - above) as f64 * tied_rate) / k as f64)
}

/// The methods judged side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Our ranking score (`Score::rfgv`).
    Ours,
    /// Baseline: the count of prior IPV incidents as offender, all years up to the as-of date.
    PriorCount,
    /// Baseline: plain recency-frequency, MATAC-style bands (see [`recency_frequency_points`]).
    RecencyFrequency,
}

impl Method {
    /// Every method, ours first.
    pub const ALL: [Method; 3] = [Method::Ours, Method::PriorCount, Method::RecencyFrequency];

    /// A label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Method::Ours => "ours (RFGV extended)",
            Method::PriorCount => "prior IPV incidents",
            Method::RecencyFrequency => "recency + frequency",
        }
    }

    /// The method's score of one offender (higher = riskier).
    pub fn score(self, o: &Offender) -> f64 {
        match self {
            Method::Ours => o.score.rfgv,
            Method::PriorCount => o.features.prior_ipv_all as f64,
            Method::RecencyFrequency => recency_frequency_points(&o.features),
        }
    }
}

/// The plain recency-frequency baseline: recency points 5 (≤ 30 days since the last IPV
/// incident), 4 (≤ 90), 3 (≤ 180), 2 (≤ 365), 1 (older), plus frequency points 1, 2, 3 for 1, 2,
/// 3 IPV incidents in the window, 4 for 4–5, 5 for 6 or more — the banded points our score
/// used before it was made continuous, kept fixed so that the baseline does not move.
pub fn recency_frequency_points(f: &Features) -> f64 {
    let band = |bands: &[(f64, f64)], v: f64| bands.iter().find(|b| v <= b.0).map(|b| b.1).unwrap_or(0.0);
    let r = band(
        &[(30.0, 5.0), (90.0, 4.0), (180.0, 3.0), (365.0, 2.0), (f64::MAX, 1.0)],
        f.recency_days.map(f64::from).unwrap_or(f64::MAX),
    );
    let fr = band(
        &[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0), (5.0, 4.0), (f64::MAX, 5.0)],
        f.frequency as f64,
    );
    r + fr
}

/// One method's results on one outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judged {
    pub method: Method,
    pub auc: Option<f64>,
    /// Precision among the top 1%.
    pub precision_top1: Option<f64>,
    /// Precision among the top 5%.
    pub precision_top5: Option<f64>,
}

/// Judge every method against `outcome` (parallel to `offenders`).
pub fn judge(offenders: &[Offender], outcome: &[bool]) -> Vec<Judged> {
    Method::ALL
        .iter()
        .map(|&m| {
            let s: Vec<f64> = offenders.iter().map(|o| m.score(o)).collect();
            Judged {
                method: m,
                auc: auc(&s, outcome),
                precision_top1: precision_at(&s, outcome, 0.01),
                precision_top5: precision_at(&s, outcome, 0.05),
            }
        })
        .collect()
}

/// Who offended in the follow-up, read from the synthetic export's
/// `truth/followup_offenses.csv` (`person_id,date,nibrs_code,ipv,serious`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowUp {
    /// True person ids with a serious IPV offence in the horizon.
    pub serious_ipv: HashSet<String>,
    /// True person ids with any IPV offence in the horizon.
    pub any_ipv: HashSet<String>,
    /// Rows that could not be read (row number, reason).
    pub bad_rows: Vec<(u64, String)>,
}

/// Read the follow-up offences dated in the `days` days from `from` (inclusive) — for the
/// synthetic export, `from` is its end date, the first day the export does not cover.
pub fn follow_up(csv_bytes: &[u8], from: Date, days: i32) -> FollowUp {
    let horizon = from.add_days(days);
    let mut out = FollowUp::default();
    let mut rd = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_bytes);
    for (i, rec) in rd.records().enumerate() {
        let row = i as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.bad_rows.push((row, e.to_string()));
                continue;
            }
        };
        let (Some(person), Some(date), Some(ipv), Some(serious)) = (rec.get(0), rec.get(1), rec.get(3), rec.get(4))
        else {
            out.bad_rows.push((row, "fewer than five columns".into()));
            continue;
        };
        let Some(d) = Date::parse(date) else {
            out.bad_rows.push((row, format!("date {date:?} cannot be read")));
            continue;
        };
        if d < from || d >= horizon || ipv != "Y" {
            continue;
        }
        out.any_ipv.insert(person.to_string());
        if serious == "Y" {
            out.serious_ipv.insert(person.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_hand_counts() {
        assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[false, false, true, true]), Some(1.0));
        assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, false]), Some(0.0));
        assert_eq!(auc(&[1.0, 1.0], &[true, false]), Some(0.5));
        // 3 positives, 2 negatives: pairs won 5 of 6.
        assert_eq!(
            auc(&[0.1, 0.4, 0.35, 0.8, 0.9], &[false, false, true, true, true]),
            Some(5.0 / 6.0)
        );
        assert_eq!(auc(&[1.0], &[true]), None);
    }

    #[test]
    fn precision_at_the_top() {
        let s = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0];
        let o = [true, false, true, false, false, false, false, false, false, true];
        assert_eq!(precision_at(&s, &o, 0.1), Some(1.0));
        assert_eq!(precision_at(&s, &o, 0.2), Some(0.5));
        assert_eq!(precision_at(&s, &o, 0.5), Some(0.4));
        assert_eq!(precision_at(&[], &[], 0.1), None);
    }

    #[test]
    fn ties_at_the_cut_count_at_their_rate_whatever_the_input_order() {
        // Top 20% of 10 = 2 places: one person strictly above (a positive), then four tied at
        // 5.0 of whom one is positive: 1 + 1 × 1/4 hits in 2 places.
        let s = [9.0, 5.0, 5.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let a = [true, true, false, false, false, false, false, false, false, false];
        let b = [true, false, false, false, true, false, false, false, false, false];
        assert_eq!(precision_at(&s, &a, 0.2), Some(0.625));
        assert_eq!(precision_at(&s, &b, 0.2), Some(0.625));
        // A score that ties everyone gets the base rate.
        let flat = [1.0; 10];
        assert_eq!(precision_at(&flat, &a, 0.1), Some(0.2));
    }

    #[test]
    fn the_recency_frequency_baseline_keeps_its_bands() {
        let f = |r: Option<i32>, n: u32| Features {
            recency_days: r,
            frequency: n,
            ..Features::default()
        };
        assert_eq!(recency_frequency_points(&f(Some(30), 1)), 6.0);
        assert_eq!(recency_frequency_points(&f(Some(31), 6)), 9.0);
        assert_eq!(recency_frequency_points(&f(Some(366), 4)), 5.0);
        assert_eq!(recency_frequency_points(&f(None, 2)), 3.0);
    }

    #[test]
    fn follow_up_reads_the_horizon_and_reports_bad_rows() {
        let csv = "person_id,date,nibrs_code,ipv,serious\n\
                   T0,2023-12-31,13B,Y,N\n\
                   T1,2024-01-01,13B,Y,N\n\
                   T2,2024-01-02,13A,Y,Y\n\
                   T3,2024-12-30,13B,Y,N\n\
                   T4,2024-12-31,13A,Y,Y\n\
                   T5,2024-03-01,13A,N,Y\n\
                   T6,someday,13A,Y,Y\n";
        // 2024 is a leap year: the 365 days from 2024-01-01 end on 2024-12-30.
        let from = Date::parse("2024-01-01").unwrap();
        let fu = follow_up(csv.as_bytes(), from, 365);
        let set = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
        assert_eq!(fu.any_ipv, set(&["T1", "T2", "T3"]));
        assert_eq!(fu.serious_ipv, set(&["T2"]));
        assert_eq!(fu.bad_rows.len(), 1);
        assert_eq!(fu.bad_rows[0].0, 8);
    }
}
