//! Each fidelity measure equals its truth on a simulated programme.
//!
//! A synthetic jurisdiction runs the programme month by month (notifications after delays, failed
//! attempts, re-notification after escalation that sometimes never succeeds, advocates'
//! contacts). The agency's files are read back like any site's (with the true person of each
//! record and the true class of each pair, so that what is judged is the measure, not linkage);
//! the measures are computed by `fidelity::measure_run`. Beside them, every measure is computed
//! here again, plainly, from `truth/notification_attempts.csv` and `truth/advocate_contacts.csv`
//! with the same lists, and the two must agree exactly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::contacts;
use ipvi_core::date::Date;
use ipvi_core::fidelity::{self, Fidelity};
use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::notify;
use ipvi_core::offenders::features::Window;
use ipvi_core::offenders::lists::Snapshot;
use ipvi_core::offenders::outputs::{analyze, OffenderConfig};
use ipvi_core::offenders::{CaseFile, List, PersonIx};
use ipvi_core::synth::{self, calibration, export, truth, InterventionConfig, SynthConfig};
use std::collections::{BTreeMap, HashMap, HashSet};

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_else(|| panic!("{name} missing from the export"))
}

/// Rows of a truth CSV as maps from column to value.
fn rows(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut rd = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = rd.headers().expect("header").iter().map(str::to_string).collect();
    rd.records()
        .map(|r| {
            let r = r.expect("row");
            headers.iter().cloned().zip(r.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// The nearest-rank percentile, written out again.
fn nearest_rank(mut v: Vec<i32>, p: f64) -> Option<i32> {
    v.sort_unstable();
    if v.is_empty() {
        return None;
    }
    let k = ((p * v.len() as f64).ceil() as usize).max(1);
    Some(v[k - 1])
}

struct TruthAttempt {
    person: PersonIx,
    date: Date,
    list: List,
    kind: String,
    by: String,
    delivered: bool,
    qualifying: Option<Date>,
}

fn simulated() -> (synth::Jurisdiction, Vec<(String, Vec<u8>)>) {
    let cfg = SynthConfig {
        seed: 11,
        population: 12_000,
        years: 5,
        followup_months: 0,
        intervention: Some(InterventionConfig {
            start: Date::from_ymd(2021, 7, 1).expect("date"),
            ..InterventionConfig::default()
        }),
        ..SynthConfig::default()
    };
    let j = synth::generate(&cfg, &mut |_| true).expect("not cancelled");
    let files = export::export(&j, &calibration::calibrate(&j)).expect("export");
    (j, files)
}

#[test]
fn every_fidelity_measure_equals_its_truth_on_the_simulated_programme() {
    let (j, files) = simulated();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/") && n.as_str() != "advocate_contacts.csv")
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let data = import::import_files(&inputs, None, None).expect("imported").0.dataset;
    let (person_of, ids, d1) = truth::true_people(&data, file(&files, "truth/person_records.csv"));
    let (classes, d2) = truth::true_classes(&data, file(&files, "truth/pairs.csv"));
    assert!(d1.is_empty() && d2.is_empty(), "{d1:?} {d2:?}");
    let (records, d3) = notify::read_csv("notifications.csv", file(&files, "notifications.csv"));
    assert!(d3.is_empty(), "{d3:?}");
    let (contact_records, d4) = contacts::read_csv("advocate_contacts.csv", file(&files, "advocate_contacts.csv"));
    assert!(d4.is_empty(), "{d4:?}");
    let cf0 = CaseFile::new(&data, &classes, &person_of, &ids, &[]).expect("case file");
    let (notes, d5) = notify::to_case_notifications(&records, &cf0, "notifications.csv");
    assert!(d5.is_empty(), "{d5:?}");
    let cf = CaseFile::new(&data, &classes, &person_of, &ids, &notes).expect("case file");
    let as_of = j.export_end.add_days(-1);
    let report = analyze(
        &cf,
        Window::five_years(as_of),
        &OffenderConfig::default(),
        &Snapshot::default(),
    );
    let (got, d6) = fidelity::measure_run(
        &records,
        &contact_records,
        &cf,
        &report,
        ("notifications.csv", "advocate_contacts.csv"),
    );
    assert!(d6.is_empty(), "{d6:?}");

    // The truth side: the same lists, the truth files, plain code.
    let ix: HashMap<&str, PersonIx> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as PersonIx))
        .collect();
    let attempts: Vec<TruthAttempt> = rows(file(&files, "truth/notification_attempts.csv"))
        .into_iter()
        .map(|r| TruthAttempt {
            person: ix[r["person_id"].as_str()],
            date: Date::parse(&r["date"]).expect("date"),
            list: List::parse(&r["list"]).expect("list"),
            kind: r["type"].clone(),
            by: r["delivered_by"].clone(),
            delivered: r["outcome"] == "delivered",
            qualifying: Date::parse(&r["qualifying_date"]),
        })
        .collect();
    let truth_contacts: Vec<(PersonIx, bool)> = rows(file(&files, "truth/advocate_contacts.csv"))
        .into_iter()
        .map(|r| (ix[r["person_id"].as_str()], r["reached"] == "Y"))
        .collect();
    let listed: Vec<(PersonIx, List)> = report
        .offenders
        .iter()
        .map(|o| (o.assignment.person, o.assignment.list))
        .collect();
    check(&got, &attempts, &truth_contacts, &listed);

    // The simulation exercises every measure.
    let all = got.attempts.iter().find(|a| a.group == "all").expect("all");
    assert!(all.failed > 20 && all.never_delivered > 0, "{all:?}");
    assert!(got.renotification.escalated > 10, "{:?}", got.renotification);
    assert!(got.renotification.renotified < got.renotification.escalated);
    assert!(got.contacts.reached > 20 && got.contacts.reached < got.contacts.contacts);
    assert!(
        got.delay_all.n > 100 && got.delay_all.unknown == 0,
        "{:?}",
        got.delay_all
    );
    assert!(got.monthly.len() >= 12);
    eprintln!(
        "attempts {} failed {} never {} | escalated {} renotified {} | contacts {} reached {} | days median {:?} p90 {:?} n {}",
        all.attempts,
        all.failed,
        all.never_delivered,
        got.renotification.escalated,
        got.renotification.renotified,
        got.contacts.contacts,
        got.contacts.reached,
        got.delay_all.median,
        got.delay_all.p90,
        got.delay_all.n
    );
}

fn check(got: &Fidelity, attempts: &[TruthAttempt], contacts: &[(PersonIx, bool)], listed: &[(PersonIx, List)]) {
    // Highest delivered list and first delivered list of each person.
    let mut best: HashMap<PersonIx, List> = HashMap::new();
    let mut first: HashMap<PersonIx, (Date, List)> = HashMap::new();
    for a in attempts.iter().filter(|a| a.delivered) {
        let b = best.entry(a.person).or_insert(a.list);
        *b = (*b).max(a.list);
        let f = first.entry(a.person).or_insert((a.date, a.list));
        if a.date < f.0 {
            *f = (a.date, a.list);
        }
    }
    // Share of each list notified.
    for c in &got.coverage {
        let l = List::parse(&c.list).expect("list");
        let on: Vec<PersonIx> = listed.iter().filter(|x| x.1 == l).map(|x| x.0).collect();
        let notified = on.iter().filter(|p| best.get(p).is_some_and(|&b| b >= l)).count() as u64;
        assert_eq!(
            (c.on_list, c.notified),
            (on.len() as u64, notified),
            "coverage of {l:?}"
        );
    }
    // Days to notification: each person and list's first delivered notification.
    let mut firsts: BTreeMap<(PersonIx, List), &TruthAttempt> = BTreeMap::new();
    for a in attempts.iter().filter(|a| a.delivered) {
        let e = firsts.entry((a.person, a.list)).or_insert(a);
        if a.date < e.date {
            *e = a;
        }
    }
    let days = |a: &TruthAttempt| a.date.days_since(a.qualifying.expect("qualifying date in truth"));
    let groups = |key: &dyn Fn(&TruthAttempt) -> String| -> BTreeMap<String, Vec<i32>> {
        let mut g: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for a in firsts.values() {
            g.entry(key(a)).or_default().push(days(a));
        }
        g
    };
    let all: Vec<i32> = firsts.values().map(|a| days(a)).collect();
    assert_eq!(
        (got.delay_all.n, got.delay_all.median, got.delay_all.p90),
        (all.len() as u64, nearest_rank(all.clone(), 0.5), nearest_rank(all, 0.9)),
        "days to notification"
    );
    for (name, rows, key) in [
        (
            "list",
            &got.delay_by_list,
            &(|a: &TruthAttempt| a.list.as_str().to_string()) as &dyn Fn(&TruthAttempt) -> String,
        ),
        ("means", &got.delay_by_means, &|a: &TruthAttempt| a.kind.clone()),
        ("agency", &got.delay_by_agency, &|a: &TruthAttempt| a.by.clone()),
    ] {
        let want = groups(key);
        assert_eq!(rows.len(), want.len(), "groups by {name}");
        for d in rows.iter() {
            let v = want.get(&d.group).cloned().unwrap_or_default();
            assert_eq!(
                (d.n, d.median, d.p90),
                (v.len() as u64, nearest_rank(v.clone(), 0.5), nearest_rank(v, 0.9)),
                "days by {name} {}",
                d.group
            );
        }
    }
    // Failed attempts and never delivered, by list.
    for r in got.attempts.iter().filter(|r| r.group != "all") {
        let l = List::parse(&r.group).expect("list");
        let of: Vec<&TruthAttempt> = attempts.iter().filter(|a| a.list == l).collect();
        let people: HashSet<PersonIx> = of.iter().map(|a| a.person).collect();
        let never = people.iter().filter(|p| best.get(p).is_none_or(|&b| b < l)).count() as u64;
        let failed = of.iter().filter(|a| !a.delivered).count() as u64;
        assert_eq!(
            (r.attempts, r.failed, r.never_delivered),
            (of.len() as u64, failed, never),
            "attempts {l:?}"
        );
    }
    // Re-notification after escalation.
    let escalated: Vec<PersonIx> = listed
        .iter()
        .filter(|(p, l)| first.get(p).is_some_and(|f| *l > f.1))
        .map(|x| x.0)
        .collect();
    let renotified = escalated
        .iter()
        .filter(|p| {
            let l = listed.iter().find(|x| x.0 == **p).map(|x| x.1).expect("listed");
            best.get(p).is_some_and(|&b| b >= l)
        })
        .count() as u64;
    assert_eq!(
        (got.renotification.escalated, got.renotification.renotified),
        (escalated.len() as u64, renotified),
        "re-notification"
    );
    // Advocates' contacts.
    let cases: HashSet<PersonIx> = contacts.iter().map(|c| c.0).collect();
    let reached: HashSet<PersonIx> = contacts.iter().filter(|c| c.1).map(|c| c.0).collect();
    assert_eq!(
        (
            got.contacts.contacts,
            got.contacts.reached,
            got.contacts.cases,
            got.contacts.cases_reached
        ),
        (
            contacts.len() as u64,
            contacts.iter().filter(|c| c.1).count() as u64,
            cases.len() as u64,
            reached.len() as u64
        ),
        "contacts"
    );
    // By month: attempts and failures by the attempt's month.
    let mut months: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for a in attempts {
        let m = months.entry(a.date.month_key()).or_default();
        m.0 += 1;
        m.1 += u64::from(!a.delivered);
    }
    for m in &got.monthly {
        let w = months.get(&m.month).copied().unwrap_or_default();
        assert_eq!((m.attempts, m.failed), w, "month {}", m.month);
    }
    assert_eq!(
        got.monthly.iter().map(|m| m.notified).sum::<u64>(),
        firsts.len() as u64,
        "first notifications over the months"
    );
}
