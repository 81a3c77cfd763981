//! The whole inquiry on a small synthetic jurisdiction, judged against its truth: the export
//! is read, every pair classified, every record linked and the offenders listed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::linkage::pairwise_scores;
use ipvi_core::model::RelClass;
use ipvi_core::pipeline::{run, Kept, PipelineConfig};
use ipvi_core::synth::{calibration, export, generate, SynthConfig};
use std::collections::HashMap;

fn truth_csv(files: &[(String, Vec<u8>)], name: &str) -> Vec<csv::StringRecord> {
    let (_, bytes) = files.iter().find(|(n, _)| n.ends_with(name)).expect("truth file");
    csv::Reader::from_reader(bytes.as_slice())
        .records()
        .map(|r| r.expect("record"))
        .collect()
}

#[test]
fn the_inquiry_recovers_classes_people_and_lists_on_synthetic_data() {
    let cfg = SynthConfig {
        seed: 11,
        population: 5_000,
        years: 3,
        ..SynthConfig::default()
    };
    let j = generate(&cfg, &mut |_| true).expect("generated");
    let files = export::export(&j, &calibration::calibrate(&j)).expect("exported");
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let (imported, _) = import::import_files(&inputs, None, None).expect("imported");
    let (data, diags) = (imported.dataset, imported.diagnostics);
    assert!(
        !data.pairs.is_empty() && !data.involvements.is_empty(),
        "diagnostics: {diags:?}"
    );

    let mut stages = Vec::new();
    let result = run(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |s, f| {
        stages.push((s.to_string(), f));
        true
    })
    .expect("pipeline");
    assert!(
        stages.windows(2).all(|w| w[0].1 <= w[1].1 + 1e-6),
        "progress goes forward: {stages:?}"
    );

    // Classes against the true classes.
    let truth: HashMap<(String, String, String), String> = truth_csv(&files, "truth/pairs.csv")
        .iter()
        .map(|r| ((r[0].to_string(), r[1].to_string(), r[2].to_string()), r[3].to_string()))
        .collect();
    let (mut tp, mut fp, mut fnn) = (0, 0, 0);
    for (p, c) in data.pairs.iter().zip(&result.pair_class) {
        let key = (
            p.incident_id.to_string(),
            p.victim_record_id.to_string(),
            p.offender_record_id.to_string(),
        );
        let Some(t) = truth.get(&key) else { continue };
        let t_ipv = t == "intimate_partner";
        let ipv = *c == RelClass::IntimatePartner;
        match (ipv, t_ipv) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fnn += 1,
            _ => {}
        }
    }
    let (precision, recall) = (tp as f64 / (tp + fp) as f64, tp as f64 / (tp + fnn) as f64);
    assert!(
        precision > 0.9 && recall > 0.85,
        "IPV precision {precision:.3} recall {recall:.3}"
    );

    // People against the true people.
    let person_truth: HashMap<String, String> = truth_csv(&files, "truth/person_records.csv")
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let predicted: Vec<(String, u32)> = data
        .involvements
        .iter()
        .zip(&result.person_of)
        .map(|(i, &p)| (i.record_id.to_string(), p))
        .collect();
    let truth_ids: Vec<String> = data
        .involvements
        .iter()
        .map(|i| person_truth.get(i.record_id).cloned().unwrap_or_default())
        .collect();
    let scores = pairwise_scores(&predicted.iter().map(|x| x.1).collect::<Vec<_>>(), &truth_ids);
    assert!(scores.f1 > 0.9, "linkage {scores:?}");

    // Lists: every IPV offender is on one, and the persons file has one row per record.
    let report = &result.report;
    assert!(!report.offenders.is_empty());
    assert!(report.offenders.iter().all(|o| o.features.frequency >= 1));
    assert_eq!(result.persons_csv(&data).lines().count(), data.involvements.len() + 1);
    let lists: std::collections::BTreeSet<_> = report.offenders.iter().map(|o| o.assignment.list).collect();
    assert!(lists.len() >= 3, "lists used: {lists:?}");
}

#[test]
fn kept_notifications_are_mapped_to_people_put_on_timelines_and_strays_reported() {
    use ipvi_core::notify::{NotificationKind, NotificationRecord};
    use ipvi_core::offenders::timeline::EventKind;
    use ipvi_core::offenders::List;
    let cfg = SynthConfig {
        seed: 12,
        population: 3_000,
        years: 2,
        ..SynthConfig::default()
    };
    let j = generate(&cfg, &mut |_| true).expect("generated");
    let files = export::export(&j, &calibration::calibrate(&j)).expect("exported");
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let data = import::import_files(&inputs, None, None).expect("imported").0.dataset;
    let first = run(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |_, _| {
        true
    })
    .expect("pipeline");
    assert!(first.notifications.is_empty());
    // The top offender, named by one of their record ids; and a record nobody has.
    let top = first.report.offenders[0].info.person;
    let record = data
        .involvements
        .iter()
        .zip(&first.person_of)
        .find(|(_, &p)| p == top)
        .map(|(i, _)| i.record_id.to_string())
        .expect("a record of the top offender");
    let note = |record_id: &str| NotificationRecord {
        person_id: String::new(),
        record_id: Some(record_id.to_string()),
        date: first.report.window.as_of.add_days(-10),
        list: List::C,
        kind: NotificationKind::parse("in-person").expect("kind"),
        delivered_by: "officer".into(),
        notes: String::new(),
        events: Vec::new(),
        outcome: Default::default(),
        incident: None,
    };
    let kept = Kept {
        notifications: vec![note(&record), note("NO-SUCH-RECORD")],
        ..Kept::default()
    };
    let second = run(&data, &PipelineConfig::default(), &kept, &[], &mut |_, _| true).expect("pipeline");
    assert_eq!(second.notifications.len(), 1);
    let person = second.notifications[0].person;
    assert_eq!(
        second.person_of[data
            .involvements
            .iter()
            .position(|i| i.record_id == record)
            .expect("record")],
        person
    );
    assert!(second.report.timelines[person as usize]
        .iter()
        .any(|e| e.kind == EventKind::Notification && e.list == Some(List::C)));
    assert_eq!(
        second.diagnostics.len(),
        first.diagnostics.len() + 1,
        "the stray notification is reported"
    );
    assert!(second
        .diagnostics
        .iter()
        .any(|d| d.value.as_deref() == Some("NO-SUCH-RECORD")));
}
