//! Sorting, filtering and paging of the offender list (pure, tested natively).

use ipvi_core::date::Date;
use ipvi_core::offenders::outputs::Offender;
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
}
