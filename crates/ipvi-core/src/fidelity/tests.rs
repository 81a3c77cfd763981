//! Hand-made cases for the fidelity measures: percentiles, coverage, escalation, suppression.

use super::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap_or(Date(0))
}

fn att(person: PersonIx, date: &str, list: List, delivered: bool, qualifying: Option<&str>) -> Attempt {
    Attempt {
        person,
        date: d(date),
        list,
        kind: "letter".into(),
        by: "PATROL".into(),
        delivered,
        qualifying: qualifying.map(d),
    }
}

#[test]
fn nearest_rank_percentiles() {
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&[7], 0.9), Some(7));
    // Even count: the lower middle one.
    assert_eq!(percentile(&[1, 2, 3, 4], 0.5), Some(2));
    assert_eq!(percentile(&[1, 2, 3, 4, 5], 0.5), Some(3));
    let ten: Vec<i32> = (1..=10).collect();
    assert_eq!(percentile(&ten, 0.9), Some(9));
    let eleven: Vec<i32> = (1..=11).collect();
    assert_eq!(percentile(&eleven, 0.9), Some(10));
}

#[test]
fn coverage_counts_a_higher_list_and_not_a_failed_attempt() {
    let attempts = vec![
        // Person 0 on C, notified for B: covered.
        att(0, "2022-01-10", List::B, true, Some("2022-01-01")),
        // Person 1 on C, only a failed attempt: not covered, never delivered.
        att(1, "2022-01-10", List::C, false, Some("2022-01-01")),
        // Person 2 on C, notified for D: not covered for C; escalated, not re-notified.
        att(2, "2022-01-05", List::D, true, Some("2022-01-01")),
        // Person 3 on B, notified D then B: escalated and re-notified.
        att(3, "2022-01-05", List::D, true, Some("2022-01-01")),
        att(3, "2022-03-01", List::B, false, Some("2022-02-01")),
        att(3, "2022-03-04", List::B, true, Some("2022-02-01")),
        // After the date: left out.
        att(4, "2023-01-01", List::A, true, None),
    ];
    let listed = vec![(0, List::C), (1, List::C), (2, List::C), (3, List::B), (4, List::A)];
    let f = measure(&attempts, &[], &listed, d("2022-12-31"));
    let cov: Vec<(&str, u64, u64)> = f
        .coverage
        .iter()
        .map(|c| (c.list.as_str(), c.on_list, c.notified))
        .collect();
    assert_eq!(cov, vec![("A", 1, 0), ("B", 1, 1), ("C", 3, 1), ("D", 0, 0)]);
    assert_eq!(
        f.renotification,
        Renotification {
            escalated: 2,
            renotified: 1
        }
    );
    let c = f.attempts.iter().find(|a| a.group == "C").cloned().unwrap_or_default();
    assert_eq!((c.attempts, c.failed, c.never_delivered), (1, 1, 1));
    let all = f
        .attempts
        .iter()
        .find(|a| a.group == "all")
        .cloned()
        .unwrap_or_default();
    assert_eq!((all.attempts, all.failed), (6, 2));
    // Days: 0 → 9 (B), 2 → 4 (D), 3 → 4 (D) and 3 → 31 (B, from its own qualifying incident).
    assert_eq!(f.delay_all.n, 4);
    assert_eq!(f.delay_all.median, Some(4));
    assert_eq!(f.delay_all.p90, Some(31));
    let b = f
        .delay_by_list
        .iter()
        .find(|x| x.group == "B")
        .cloned()
        .unwrap_or_default();
    assert_eq!((b.n, b.median, b.p90), (2, Some(9), Some(31)));
    // By month: March has one failed attempt, one delivered re-notification.
    let march = f
        .monthly
        .iter()
        .find(|m| m.month == "2022-03")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (march.attempts, march.failed, march.notified, march.renotified),
        (2, 1, 1, 1)
    );
    assert_eq!(march.median_days, Some(31));
}

#[test]
fn contacts_are_counts_per_case() {
    let contacts = vec![
        Contact {
            person: 0,
            date: d("2022-01-01"),
            reached: false,
        },
        Contact {
            person: 0,
            date: d("2022-01-03"),
            reached: true,
        },
        Contact {
            person: 1,
            date: d("2022-02-03"),
            reached: false,
        },
    ];
    let f = measure(&[], &contacts, &[], d("2022-12-31"));
    assert_eq!(
        f.contacts,
        Contacts {
            contacts: 3,
            reached: 1,
            cases: 2,
            cases_reached: 1
        }
    );
}

#[test]
fn small_cells_and_their_medians_are_suppressed() {
    // 30 people on D, 25 notified (5 not: a small cell, so the notified count goes too);
    // 12 on C all notified.
    let mut attempts = Vec::new();
    let mut listed = Vec::new();
    for p in 0..30u32 {
        listed.push((p, List::D));
        if p < 25 {
            attempts.push(att(p, "2022-02-01", List::D, true, Some("2022-01-20")));
        }
    }
    for p in 30..42u32 {
        listed.push((p, List::C));
        attempts.push(att(p, "2022-02-01", List::C, true, Some("2022-01-30")));
    }
    for p in 45..60u32 {
        listed.push((p, List::B));
        attempts.push(att(p, "2022-02-01", List::B, true, Some("2022-01-30")));
    }
    // Three failed attempts for A: suppressed, with their share.
    for p in 42..45u32 {
        listed.push((p, List::A));
        attempts.push(att(p, "2022-02-01", List::A, false, None));
    }
    let f = measure(&attempts, &[], &listed, d("2022-12-31"));
    let sh = f.shareable(11);
    let row = |g: &str| sh.coverage.iter().find(|r| r.group == g).cloned();
    let dl = row("D").map(|r| (r.counts, r.shares));
    assert_eq!(
        dl,
        Some((
            vec![
                ("on_list".to_string(), Count::Value(30)),
                ("notified".to_string(), Count::Suppressed)
            ],
            vec![("notified".to_string(), None)]
        ))
    );
    assert_eq!(
        row("B").map(|r| r.shares),
        Some(vec![("notified".to_string(), Some(1.0))])
    );
    // A's size (3) is the only small list size, so the next smallest (C, 12) goes too.
    assert_eq!(row("A").map(|r| r.counts[0].1), Some(Count::Suppressed));
    assert_eq!(row("C").map(|r| r.shares), Some(vec![("notified".to_string(), None)]));
    let a = sh
        .attempts
        .iter()
        .find(|r| r.group == "A")
        .cloned()
        .map(|r| (r.counts[1].1, r.shares[0].1));
    assert_eq!(a, Some((Count::Suppressed, None)));
    // Days: D has 25 values (published), C 12 (published), A none.
    let dd = sh.delay_by_list.iter().find(|x| x.group == "D").cloned();
    assert_eq!(dd.map(|x| (x.n, x.median)), Some((Count::Value(25), Some(12))));
    // The sheet says <11 and names nobody.
    let sheet = fidelity_sheet(&f, 11);
    let csv = sheet.to_csv();
    assert!(csv.contains("<11"), "{csv}");
    assert!(!csv.contains("P0"), "{csv}");
}

#[test]
fn a_median_of_a_small_group_is_withheld() {
    let attempts: Vec<Attempt> = (0..5u32)
        .map(|p| att(p, "2022-02-01", List::B, true, Some("2022-01-01")))
        .collect();
    let f = measure(&attempts, &[], &[], d("2022-12-31"));
    assert_eq!(f.delay_all.median, Some(31));
    let sh = f.shareable(11);
    assert_eq!((sh.delay_all.n, sh.delay_all.median), (Count::Suppressed, None));
}
