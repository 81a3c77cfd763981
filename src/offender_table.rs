//! Sorting, filtering and paging of the offender list (pure, tested natively).

use crate::columns::Column;
use ipvi_core::date::Date;
use ipvi_core::offenders::outputs::Offender;
use ipvi_core::offenders::score::{Component, Score};
use ipvi_core::offenders::List;
use std::cmp::Ordering;

/// Rows per page of the offender list.
pub const PAGE_SIZE: usize = 50;

/// The columns the list sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Rank,
    List,
    Score,
    Harm,
    Recency,
    Incidents,
    Victims,
}

/// The filters of the offender list (all optional).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OffenderFilter {
    pub list: Option<List>,
    /// Minimum RFGV score.
    pub min_score: Option<f64>,
    /// An agency the person has records in (exact code).
    pub agency: String,
    /// Last IPV incident on or after / on or before.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl OffenderFilter {
    /// Whether an offender passes every filter.
    pub fn keeps(&self, o: &Offender) -> bool {
        if self.list.is_some_and(|l| l != o.assignment.list) {
            return false;
        }
        if self.min_score.is_some_and(|m| o.score.rfgv < m) {
            return false;
        }
        if !self.agency.is_empty() && !o.info.agencies.contains(&self.agency) {
            return false;
        }
        let last = o.features.last_ipv;
        if self.from.is_some_and(|f| last.is_none_or(|d| d < f)) {
            return false;
        }
        if self.to.is_some_and(|t| last.is_none_or(|d| d > t)) {
            return false;
        }
        true
    }
}

fn compare(a: &Offender, b: &Offender, key: SortKey) -> Ordering {
    match key {
        SortKey::Rank => a.score.rank.cmp(&b.score.rank),
        SortKey::List => a.assignment.list.cmp(&b.assignment.list),
        SortKey::Score => a.score.rfgv.total_cmp(&b.score.rfgv),
        SortKey::Harm => a.score.harm.total_cmp(&b.score.harm),
        // Unknown recency sorts last when ascending.
        SortKey::Recency => a
            .features
            .recency_days
            .unwrap_or(i32::MAX)
            .cmp(&b.features.recency_days.unwrap_or(i32::MAX)),
        SortKey::Incidents => a.features.ipv_incidents.len().cmp(&b.features.ipv_incidents.len()),
        SortKey::Victims => a.features.victims.cmp(&b.features.victims),
    }
}

/// The indices of the offenders that pass `filter`, sorted by `key` (ties by rank).
pub fn select(offenders: &[Offender], filter: &OffenderFilter, key: SortKey, descending: bool) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..offenders.len()).filter(|&i| filter.keeps(&offenders[i])).collect();
    rows.sort_by(|&i, &j| {
        let (a, b) = (&offenders[i], &offenders[j]);
        let o = compare(a, b, key);
        let o = if descending { o.reverse() } else { o };
        o.then(a.score.rank.cmp(&b.score.rank))
    });
    rows
}

/// Every agency in the list, sorted, for the agency filter.
pub fn agencies(offenders: &[Offender]) -> Vec<String> {
    let mut all: Vec<String> = offenders.iter().flat_map(|o| o.info.agencies.iter().cloned()).collect();
    all.sort();
    all.dedup();
    all
}

/// The number of pages for `rows` rows (at least one).
pub fn pages(rows: usize) -> usize {
    rows.div_ceil(PAGE_SIZE).max(1)
}

/// How many offenders are on each list, most serious first: `[(A, n), (B, n), (C, n), (D, n)]`.
/// The data screen's summary and the lists screen both show these counts.
pub fn list_sizes(offenders: &[Offender]) -> [(List, u64); 4] {
    let mut sizes = [(List::A, 0), (List::B, 0), (List::C, 0), (List::D, 0)];
    for o in offenders {
        if let Some(s) = sizes.iter_mut().find(|(l, _)| *l == o.assignment.list) {
            s.1 += 1;
        }
    }
    sizes
}

/// A derived column of the offender list: its short heading, its full name and what it means.
pub struct ColumnHelp {
    /// Id suffix (`col-help-<key>`).
    pub key: &'static str,
    pub short: &'static str,
    pub name: &'static str,
    pub help: &'static str,
}

/// The score's components as columns, in the score's order ([`Component::ALL`]).
pub const COMPONENT_COLUMNS: [ColumnHelp; 8] = [
    ColumnHelp { key: "recency", short: "R", name: "Recency points", help: "Points for how recent the last IPV incident is: the full weight for an incident today, half after a year (the weights table's half-life)." },
    ColumnHelp { key: "frequency", short: "F", name: "Frequency points", help: "Points for the number of IPV incidents as offender in the look-back window: each doubling adds the weight." },
    ColumnHelp { key: "gravity", short: "G", name: "Gravity points", help: "Points for how grave the IPV incidents were: each incident's most serious offence in days of custody (the harm table), summed, in units of a simple assault (30 days); each doubling adds the weight." },
    ColumnHelp { key: "victims", short: "V", name: "Victims points", help: "Points for distinct intimate-partner victims: none for one victim, the weight for two, twice the weight for four." },
    ColumnHelp { key: "other_harm", short: "O", name: "Other harm points", help: "Points for offending that is not IPV (all crime types), in harm days, in units of a simple assault: each doubling adds the weight." },
    ColumnHelp { key: "strangulation", short: "S", name: "Strangulation points", help: "Points for incidents as offender with strangulation recorded." },
    ColumnHelp { key: "weapons", short: "W", name: "Weapons points", help: "Points for incidents as offender with a weapon or firearm recorded." },
    ColumnHelp { key: "order_violations", short: "P", name: "Protective-order violation points", help: "Points for protective-order violations." },
];

/// The other derived columns of the offender list.
pub const SCORE_HELP: ColumnHelp = ColumnHelp { key: "score", short: "Score", name: "RFGV score", help: "The ranking score: the sum of the eight component columns R, F, G, V, O, S, W and P (rounded so that the shown parts add up to the shown score)." };
/// Harm column help.
pub const HARM_HELP: ColumnHelp = ColumnHelp { key: "harm", short: "Harm (days)", name: "Crime harm (days)", help: "Crime Harm Index: every offence in the window, of any type, weighed by the days of custody a sentencing guideline starts at (the harm table; a simple assault is 30 days, an aggravated assault 545). Shown beside the score; not part of it." };
/// Recency column help.
pub const RECENCY_HELP: ColumnHelp = ColumnHelp {
    key: "recency-days",
    short: "Recency (days)",
    name: "Days since the last IPV incident",
    help: "Days from the last IPV incident as offender to the as-of date.",
};

/// The offender list's columns the analyst can hide ("Columns"), in the table's order. The person
/// column, which opens the person page, is always shown. The component columns' ids are
/// [`COMPONENT_COLUMNS`]' keys.
pub const OFFENDER_COLUMNS: [Column; 18] = [
    Column {
        id: "rank",
        label: "Rank",
    },
    Column {
        id: "name",
        label: "Name",
    },
    Column {
        id: "list",
        label: "List",
    },
    Column {
        id: "score",
        label: "RFGV score",
    },
    Column {
        id: "recency",
        label: "R: recency points",
    },
    Column {
        id: "frequency",
        label: "F: frequency points",
    },
    Column {
        id: "gravity",
        label: "G: gravity points",
    },
    Column {
        id: "victims",
        label: "V: victims points",
    },
    Column {
        id: "other_harm",
        label: "O: other harm points",
    },
    Column {
        id: "strangulation",
        label: "S: strangulation points",
    },
    Column {
        id: "weapons",
        label: "W: weapons points",
    },
    Column {
        id: "order_violations",
        label: "P: protective-order violation points",
    },
    Column {
        id: "harm",
        label: "Harm (days)",
    },
    Column {
        id: "recency-days",
        label: "Recency (days)",
    },
    Column {
        id: "incidents",
        label: "IPV incidents",
    },
    Column {
        id: "victim-count",
        label: "Victims",
    },
    Column {
        id: "agencies",
        label: "Agencies",
    },
    Column {
        id: "change",
        label: "Change",
    },
];

/// The score's components rounded to tenths so that they add up to the score rounded to
/// tenths (largest remainder: the tenths lost by rounding each part down go to the parts that
/// lost most), in the order of [`Component::ALL`]. Values are in tenths.
pub fn shown_components(s: &Score) -> [(Component, i64); 8] {
    let parts = s.contributions();
    // The total as the table prints it (`{:.1}`), so the parts add up to the printed score.
    let total = format!("{:.1}", s.rfgv)
        .parse::<f64>()
        .map(|t| (t * 10.0).round() as i64)
        .unwrap_or(0);
    let mut out = parts.map(|(c, p)| (c, (p * 10.0).floor() as i64));
    let mut rest = total - out.iter().map(|x| x.1).sum::<i64>();
    let mut order: Vec<usize> = (0..8).collect();
    order.sort_by(|&a, &b| {
        let fa = parts[a].1 * 10.0 - (parts[a].1 * 10.0).floor();
        let fb = parts[b].1 * 10.0 - (parts[b].1 * 10.0).floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    // The sum of the parts is the score, so `rest` is between 0 and 8; any float drift beyond
    // that is taken from or given to the largest remainders in turn.
    let mut k = 0;
    while rest != 0 && k < 64 {
        let i = order[k % 8];
        if rest > 0 {
            out[i].1 += 1;
            rest -= 1;
        } else if out[i].1 > 0 {
            out[i].1 -= 1;
            rest += 1;
        }
        k += 1;
    }
    out
}

/// Tenths as text: `304` → `30.4`.
pub fn tenths(v: i64) -> String {
    format!("{}{}.{}", if v < 0 { "-" } else { "" }, v.abs() / 10, v.abs() % 10)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn offender(rank: u32, list: List, rfgv: f64, agency: &str, last: Option<Date>, victims: u32) -> Offender {
        let mut o = Offender {
            info: Default::default(),
            features: Default::default(),
            score: ipvi_core::offenders::score::Score {
                person: rank,
                rfgv,
                rank,
                ..Default::default()
            },
            assignment: ipvi_core::offenders::lists::Assignment {
                person: rank,
                list,
                reasons: vec![],
                held_from: None,
                flags: Vec::new(),
            },
            change: ipvi_core::offenders::lists::Change::New,
        };
        o.info.agencies.insert(agency.to_string());
        o.features.last_ipv = last;
        o.features.victims = victims;
        o
    }

    fn sample() -> Vec<Offender> {
        let d = |m| Date::from_ymd(2021, m, 1);
        vec![
            offender(3, List::C, 20.0, "X", d(3), 1),
            offender(1, List::A, 80.0, "Y", d(6), 3),
            offender(2, List::A, 50.0, "X", None, 2),
            offender(4, List::D, 5.0, "Y", d(9), 1),
        ]
    }

    #[test]
    fn sorts_by_rank_by_default_and_by_any_column_with_ties_by_rank() {
        let o = sample();
        let ranks = |rows: Vec<usize>| rows.iter().map(|&i| o[i].score.rank).collect::<Vec<_>>();
        let f = OffenderFilter::default();
        assert_eq!(ranks(select(&o, &f, SortKey::Rank, false)), vec![1, 2, 3, 4]);
        assert_eq!(ranks(select(&o, &f, SortKey::Rank, true)), vec![4, 3, 2, 1]);
        assert_eq!(ranks(select(&o, &f, SortKey::Score, false)), vec![4, 3, 2, 1]);
        assert_eq!(ranks(select(&o, &f, SortKey::List, true)), vec![1, 2, 3, 4]);
        assert_eq!(ranks(select(&o, &f, SortKey::Victims, true)), vec![1, 2, 3, 4]);
        assert_eq!(ranks(select(&o, &f, SortKey::Victims, false)), vec![3, 4, 2, 1]);
    }

    /// Regression: the table showed R, F, G and V only (0.9 + 10.8 + 7.2 + 1.0 against 30.4).
    #[test]
    fn shown_components_add_up_to_the_shown_score() {
        let cases = [
            [0.94, 10.84, 7.24, 1.04, 5.04, 2.04, 2.04, 1.24],
            [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05],
            [0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [0.333, 0.333, 0.333, 0.0, 0.0, 0.0, 0.0, 0.0],
            [0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96],
        ];
        for c in cases {
            let s = Score {
                recency: c[0],
                frequency: c[1],
                gravity: c[2],
                victims: c[3],
                other_harm: c[4],
                strangulation: c[5],
                weapons: c[6],
                order_violations: c[7],
                rfgv: c.iter().sum(),
                ..Default::default()
            };
            let shown = shown_components(&s);
            let sum: i64 = shown.iter().map(|x| x.1).sum();
            assert_eq!(tenths(sum), format!("{:.1}", s.rfgv), "{c:?} → {shown:?}");
            for ((_, t), v) in shown.iter().zip(c) {
                assert!((*t as f64 / 10.0 - v).abs() < 0.1 + 1e-9, "{c:?} → {shown:?}");
            }
        }
        assert_eq!(tenths(304), "30.4");
        assert_eq!(tenths(5), "0.5");
        assert_eq!(COMPONENT_COLUMNS.map(|c| c.key), Component::ALL.map(|c| c.as_str()));
        // The column choice names the components by the same keys, in the same order.
        assert_eq!(
            OFFENDER_COLUMNS[4..12].iter().map(|c| c.id).collect::<Vec<_>>(),
            COMPONENT_COLUMNS.map(|c| c.key)
        );
        let mut ids = OFFENDER_COLUMNS.map(|c| c.id).to_vec();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OFFENDER_COLUMNS.len(), "column ids are unique");
    }

    #[test]
    fn filters_by_list_score_agency_and_dates() {
        let o = sample();
        let ranks = |f: OffenderFilter| {
            select(&o, &f, SortKey::Rank, false)
                .iter()
                .map(|&i| o[i].score.rank)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ranks(OffenderFilter {
                list: Some(List::A),
                ..Default::default()
            }),
            vec![1, 2]
        );
        assert_eq!(
            ranks(OffenderFilter {
                min_score: Some(20.0),
                ..Default::default()
            }),
            vec![1, 2, 3]
        );
        assert_eq!(
            ranks(OffenderFilter {
                agency: "X".into(),
                ..Default::default()
            }),
            vec![2, 3]
        );
        // No last IPV date: outside any date range.
        assert_eq!(
            ranks(OffenderFilter {
                from: Date::from_ymd(2021, 3, 1),
                to: Date::from_ymd(2021, 6, 1),
                ..Default::default()
            }),
            vec![1, 3]
        );
        assert_eq!(agencies(&o), vec!["X".to_string(), "Y".to_string()]);
        assert_eq!(pages(0), 1);
        assert_eq!(pages(PAGE_SIZE), 1);
        assert_eq!(pages(PAGE_SIZE + 1), 2);
    }

    #[test]
    fn list_sizes_count_each_list_once_most_serious_first() {
        let o = sample();
        assert_eq!(list_sizes(&o), [(List::A, 2), (List::B, 0), (List::C, 1), (List::D, 1)]);
        assert_eq!(list_sizes(&[]).map(|(_, n)| n), [0; 4]);
    }
}
