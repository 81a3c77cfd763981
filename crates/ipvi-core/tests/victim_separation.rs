//! Victim information stays where it belongs, on a synthetic jurisdiction with known victims:
//! the advocates' export holds no narrative, charge or relationship text and no police-only
//! field; the offender-facing outputs (the offender list, its detail sheet and every
//! notification worksheet) hold no victim name, address, phone or record id.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::date::Date;
use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::model::{Dataset, RelClass};
use ipvi_core::notify;
use ipvi_core::offenders::advocates::{advocates, advocates_sheet, COLUMNS};
use ipvi_core::offenders::features::Window;
use ipvi_core::offenders::lists::Snapshot;
use ipvi_core::offenders::outputs::{
    analyze, offenders_detail_sheet, offenders_sheet, worksheet_html, OffenderConfig, OffenderReport,
};
use ipvi_core::offenders::CaseFile;
use ipvi_core::synth::{self, calibration, export, truth, InterventionConfig, SynthConfig};
use std::collections::HashSet;

struct World {
    data: Dataset,
    classes: Vec<RelClass>,
    person_of: Vec<u32>,
    ids: Vec<String>,
    notes: Vec<ipvi_core::offenders::Notification>,
    as_of: Date,
}

fn world() -> World {
    let cfg = SynthConfig {
        seed: 5,
        population: 6_000,
        years: 4,
        followup_months: 0,
        intervention: Some(InterventionConfig {
            start: Date::from_ymd(2021, 1, 1).unwrap(),
            ..InterventionConfig::default()
        }),
        ..SynthConfig::default()
    };
    let j = synth::generate(&cfg, &mut |_| true).unwrap();
    let files = export::export(&j, &calibration::calibrate(&j)).unwrap();
    let get = |n: &str| files.iter().find(|f| f.0 == n).map(|f| f.1.as_slice()).unwrap();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let data = import::import_files(&inputs, None, None).expect("imported").0.dataset;
    let (person_of, ids, _) = truth::true_people(&data, get("truth/person_records.csv"));
    let (classes, _) = truth::true_classes(&data, get("truth/pairs.csv"));
    let (records, _) = notify::read_csv("notifications.csv", get("notifications.csv"));
    let cf = CaseFile::new(&data, &classes, &person_of, &ids, &[]).unwrap();
    let (notes, _) = notify::to_case_notifications(&records, &cf, "notifications.csv");
    World {
        data,
        classes,
        person_of,
        ids,
        notes,
        as_of: j.export_end.add_days(-1),
    }
}

fn run(w: &World) -> (CaseFile<'_>, OffenderReport) {
    let cf = CaseFile::new(&w.data, &w.classes, &w.person_of, &w.ids, &w.notes).unwrap();
    let report = analyze(
        &cf,
        Window::five_years(w.as_of),
        &OffenderConfig::default(),
        &Snapshot::default(),
    );
    (cf, report)
}

fn cells(csv_text: &str) -> HashSet<String> {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    rd.records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn tokens(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_advocates_export_holds_only_what_advocates_need() {
    let w = world();
    let (cf, report) = run(&w);
    let rows = advocates(&cf, &report);
    assert!(rows.len() > 50, "{} victims", rows.len());
    assert!(rows.iter().all(|r| !r.incident_dates.is_empty()));
    assert!(rows
        .iter()
        .any(|r| !r.offender_lists.is_empty() && !r.offender_notified.is_empty()));
    let sheet = advocates_sheet(&rows);
    assert_eq!(sheet.headers, COLUMNS.to_vec());
    let text = sheet.to_csv();
    let all = cells(&text);
    let mut checked = 0;
    for inc in &w.data.incidents {
        if let Some(n) = inc.narrative.filter(|n| n.len() >= 20) {
            assert!(
                !text.contains(n),
                "narrative of {} in the advocates' export",
                inc.incident_id
            );
            let head: String = n.chars().take(20).collect();
            assert!(
                !text.contains(&head),
                "narrative start {head:?} in the advocates' export"
            );
            checked += 1;
        }
    }
    assert!(checked > 100);
    for a in &w.data.arrests {
        if let Some(c) = a.charge_text.as_deref().filter(|c| c.len() >= 6) {
            assert!(!text.contains(c), "charge text {c:?} in the advocates' export");
        }
    }
    for p in &w.data.pairs {
        if let Some(t) = p.relationship_text.filter(|t| !t.trim().is_empty()) {
            assert!(!all.contains(t.trim()), "relationship text {t:?} as a cell");
        }
    }
    // No offence codes, record ids or incident ids.
    let toks = tokens(&text);
    for o in &w.data.offenses {
        assert!(!toks.contains(o.incident_id), "incident id {}", o.incident_id);
    }
    for inv in &w.data.involvements {
        assert!(!toks.contains(inv.record_id), "record id {}", inv.record_id);
    }
    // No offender's name (unless the offender is also one of the listed victims).
    let victims: HashSet<u32> = rows.iter().map(|r| r.victim).collect();
    for o in &report.offenders {
        if !victims.contains(&o.assignment.person) && !o.info.name.is_empty() {
            assert!(!text.contains(&o.info.name), "offender name {:?}", o.info.name);
        }
    }
}

#[test]
fn offender_facing_outputs_hold_no_victim_information() {
    let w = world();
    let (cf, report) = run(&w);
    let listed: HashSet<u32> = report.offenders.iter().map(|o| o.assignment.person).collect();
    let offender_names: HashSet<String> = report
        .offenders
        .iter()
        .flat_map(|o| std::iter::once(o.info.name.clone()).chain(o.info.other_names.iter().cloned()))
        .collect();
    let mut outputs = vec![
        offenders_sheet(&report).to_csv(),
        offenders_detail_sheet(&report).to_csv(),
    ];
    for o in &report.offenders {
        let tl = &report.timelines[o.assignment.person as usize];
        outputs.push(worksheet_html(o, tl, w.as_of));
    }
    assert!(outputs.len() > 50);
    let toks: Vec<HashSet<String>> = outputs.iter().map(|t| tokens(t)).collect();
    // Every victim record of an IPV pair, of a victim who is not a listed offender.
    let mut victim_records = HashSet::new();
    for (p, &c) in w.data.pairs.iter().zip(&w.classes) {
        if c.is_domestic() {
            victim_records.insert(p.victim_record_id);
        }
    }
    let (mut names, mut addresses, mut phones) = (0, 0, 0);
    for (i, inv) in w.data.involvements.iter().enumerate() {
        if !victim_records.contains(inv.record_id) {
            continue;
        }
        for t in &toks {
            assert!(!t.contains(inv.record_id), "victim record id {}", inv.record_id);
        }
        if listed.contains(&cf.person_of[i]) {
            continue;
        }
        let name = format!("{}, {}", inv.last_name.trim().to_uppercase(), inv.first_name.trim());
        // Skip a name that an offender also goes by (the same name, another person).
        if inv.last_name.trim().len() > 1
            && !offender_names
                .iter()
                .any(|n| n.starts_with(&name) || n.eq_ignore_ascii_case(&name))
        {
            for out in &outputs {
                assert!(
                    !out.contains(&name),
                    "victim name {name:?} in an offender-facing output"
                );
            }
            names += 1;
        }
        let addr = inv.address.trim();
        if addr.len() >= 6 && !addr.eq_ignore_ascii_case("TRANSIENT") {
            for out in &outputs {
                assert!(
                    !out.contains(addr),
                    "victim address {addr:?} in an offender-facing output"
                );
            }
            addresses += 1;
        }
        let phone = inv.phone.trim();
        if phone.len() >= 7 {
            for out in &outputs {
                assert!(
                    !out.contains(phone),
                    "victim phone {phone:?} in an offender-facing output"
                );
            }
            phones += 1;
        }
    }
    assert!(
        names > 100 && addresses > 100 && phones > 50,
        "{names} names, {addresses} addresses, {phones} phones checked"
    );
}
