//! The month-by-month replay on a generated jurisdiction with an intervention (so that
//! notifications, and re-offending after them, move people up): every replayed month's lists
//! equal the lists `analyze` computes as of that month's end from the month end before, tiers
//! never go down, and the month's due and overdue notifications add up.
//!
//! People and classes are taken from the truth so that what is judged is the replay, not linkage.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::cycle::due::DueRules;
use ipvi_core::cycle::{replay, this_month, DueStatus};
use ipvi_core::date::Date;
use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::notify;
use ipvi_core::offenders::features::Window;
use ipvi_core::offenders::lists::{Change, Snapshot};
use ipvi_core::offenders::outputs::{analyze, OffenderConfig};
use ipvi_core::offenders::{CaseFile, List, PersonIx};
use ipvi_core::synth::{self, calibration, export, truth, InterventionConfig, SynthConfig};
use std::collections::HashMap;

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_else(|| panic!("{name} missing from the export"))
}

#[test]
fn replayed_month_ends_equal_the_lists_computed_as_of_each_month_end() {
    let cfg = SynthConfig {
        seed: 23,
        population: 8_000,
        years: 3,
        followup_months: 0,
        intervention: Some(InterventionConfig {
            start: Date::from_ymd(2021, 1, 1).expect("date"),
            ..InterventionConfig::default()
        }),
        ..SynthConfig::default()
    };
    let j = synth::generate(&cfg, &mut |_| true).expect("generated");
    let files = export::export(&j, &calibration::calibrate(&j)).expect("exported");
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let data = import::import_files(&inputs, None, None).expect("imported").0.dataset;
    let (person_of, ids, d1) = truth::true_people(&data, file(&files, "truth/person_records.csv"));
    let (classes, d2) = truth::true_classes(&data, file(&files, "truth/pairs.csv"));
    assert!(d1.is_empty() && d2.is_empty(), "{d1:?} {d2:?}");
    let (records, d3) = notify::read_csv("notifications.csv", file(&files, "notifications.csv"));
    assert!(d3.is_empty(), "{d3:?}");
    let cf0 = CaseFile::new(&data, &classes, &person_of, &ids, &[]).expect("case file");
    let (notes, d4) = notify::to_case_notifications(&records, &cf0, "notifications.csv");
    assert!(
        d4.is_empty() && notes.len() > 50,
        "{} notifications, {d4:?}",
        notes.len()
    );
    let cf = CaseFile::new(&data, &classes, &person_of, &ids, &notes).expect("case file");

    let as_of = j.export_end.add_days(-1);
    // A one-year look-back, so that incidents leave the window and tiers are held.
    let oc = OffenderConfig {
        lookback_days: 365,
        ..OffenderConfig::default()
    };
    let r = replay(&cf, &oc, as_of, None, &mut |_| true).expect("not cancelled");
    assert!(r.months.len() >= 30, "{} months", r.months.len());
    assert_eq!(r.months.last().map(|m| m.as_of), Some(as_of));

    let mut prev = Snapshot::default();
    let mut last_list: HashMap<PersonIx, List> = HashMap::new();
    let (mut escalations, mut held) = (0, 0);
    for m in &r.months {
        let rep = analyze(
            &cf,
            Window {
                as_of: m.as_of,
                lookback_days: oc.lookback_days,
            },
            &oc,
            &prev,
        );
        let mut lists: Vec<(PersonIx, List)> = rep
            .offenders
            .iter()
            .map(|o| (o.info.person, o.assignment.list))
            .collect();
        lists.sort_unstable();
        assert_eq!(lists, m.lists, "month {}", m.month);
        // The moves are analyze's new and escalated people, with the same reasons.
        let mut moved: Vec<(String, Change, Vec<String>)> = rep
            .offenders
            .iter()
            .filter(|o| matches!(o.change, Change::New | Change::Escalated))
            .map(|o| {
                (
                    o.info.person_id.clone(),
                    o.change,
                    o.assignment.reasons.iter().map(|x| x.rule.clone()).collect(),
                )
            })
            .collect();
        moved.sort();
        let mut ours: Vec<(String, Change, Vec<String>)> = m
            .moves
            .iter()
            .map(|x| {
                (
                    x.person_id.clone(),
                    x.change,
                    x.reasons.iter().map(|y| y.rule.clone()).collect(),
                )
            })
            .collect();
        ours.sort();
        assert_eq!(ours, moved, "month {}", m.month);
        escalations += m.moves.iter().filter(|x| x.change == Change::Escalated).count();
        held += rep.offenders.iter().filter(|o| o.change == Change::Held).count();
        // Tiers never go down from one month end to the next.
        for &(p, l) in &m.lists {
            if let Some(&before) = last_list.get(&p) {
                assert!(l >= before, "person {p} went from {before:?} to {l:?} in {}", m.month);
            }
            last_list.insert(p, l);
        }
        prev = rep.snapshot;
    }
    assert_eq!(prev, r.snapshot);
    assert!(escalations > 0, "the jurisdiction escalates someone");
    assert!(held > 0, "someone is held on a higher list");
    eprintln!(
        "{} months, {} escalations, {} person-months held, last sizes {:?}",
        r.months.len(),
        escalations,
        held,
        r.months.last().map(|m| m.sizes)
    );

    // The month's notifications: everyone listed at the last month end is notified for their
    // list since entering it, due, or overdue; each due date follows the rule.
    let rules = DueRules::default();
    let tm = this_month(&r, &notes, &rules, &ids);
    let last = r.months.last().expect("a month");
    assert_eq!(tm.sizes, last.sizes);
    assert!(!tm.due.is_empty() || !tm.overdue.is_empty());
    for x in tm.due.iter().chain(&tm.overdue) {
        let allowed = rules.days(x.list, x.escalated) as i32;
        assert_eq!(x.due, x.entered.add_days(allowed), "{x:?}");
        match x.status {
            DueStatus::Due => assert!(x.due >= as_of && x.days == i64::from(x.due.days_since(as_of))),
            DueStatus::Overdue => assert!(x.due < as_of && x.days == i64::from(as_of.days_since(x.due))),
        }
        assert!(
            last.lists.binary_search(&(x.person, x.list)).is_ok(),
            "{x:?} is on the list"
        );
    }
    eprintln!("due {}, overdue {}", tm.due.len(), tm.overdue.len());
}
