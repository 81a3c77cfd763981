//! The app's sample with an intervention, at its defaults (`synth::sample`: the same seed, years,
//! population, start and effect the app generates), evaluated as the app evaluates it: the export
//! read back through the generic import, people linked and pairs classified by the pipeline, the
//! sample's notifications mapped to the linked people by record id, and the comparison of
//! notified with not-yet-notified offenders from the first notification to the last incident.
//! Its 95% interval must exclude 1 and cover the true effect, and the smallest detectable ratio
//! the screen states must be below 1 and no smaller than the estimate's own reach.
//!
//! Generating and linking 400,000 people takes minutes in a debug build, so the test is opt-in:
//! `cargo test --release -p ipvi-core --test sample_intervention -- --ignored` (about 30 s
//! natively). The study over 20 seeds behind the defaults is in docs/evaluation.md.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::evaluate::notified::{evaluate, EvalConfig, Outcome};
use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::notify;
use ipvi_core::pipeline::{self, Kept, PipelineConfig};
use ipvi_core::synth::{self, calibration, export, sample};

#[test]
#[ignore = "400,000 people: run with --release -- --ignored"]
fn the_apps_sample_with_an_intervention_detects_its_effect() {
    let cfg = sample::config(sample::INTERVENTION_POPULATION, Some(sample::default_intervention()));
    let j = synth::generate(&cfg, &mut |_| true).expect("not cancelled");
    let files = export::export(&j, &calibration::calibrate(&j)).expect("export");
    drop(j);
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let data = import::import_files(&inputs, None, None).expect("imported").0.dataset;
    let notes_file = files
        .iter()
        .find(|(n, _)| n == "notifications.csv")
        .expect("notifications.csv");
    let (records, d) = notify::read_csv("notifications.csv", &notes_file.1);
    assert!(d.is_empty(), "{d:?}");

    let result = pipeline::run(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |_, _| {
        true
    })
    .expect("the pipeline runs");
    let cf0 = result.case_file(&data, &[]).expect("case file");
    let (notes, unmatched) = notify::to_case_notifications(&records, &cf0, "notifications.csv");
    assert!(unmatched.is_empty(), "{} notifications matched nobody", unmatched.len());
    drop(cf0);
    let cf = result.case_file(&data, &notes).expect("case file");
    // As the app asks: from the first recorded notification to the last incident.
    let start = records.iter().map(|r| r.date).min().expect("notifications");
    let as_of = pipeline::last_date(&data).expect("dated incidents");
    let ev = evaluate(&cf, &EvalConfig::new(start, as_of, Outcome::IpvIncident));

    let c = &ev.comparison;
    let rr = c.rate_ratio.as_ref().expect("a rate ratio");
    let mdr = c.minimum_detectable_ratio.expect("a smallest detectable ratio");
    eprintln!(
        "rate ratio {:.3} ({:.3}–{:.3}), smallest detectable {mdr:.2}; {} people, {} notified, events {} / {}",
        rr.value, rr.lower, rr.upper, c.people, c.people_notified, c.events_notified, c.events_not_notified
    );
    assert!(rr.upper < 1.0, "the interval excludes 1: {rr:?}");
    assert!(
        rr.lower <= sample::EFFECT && sample::EFFECT <= rr.upper,
        "the interval covers the true effect: {rr:?}"
    );
    assert!(mdr < 1.0 && mdr > 0.0, "{mdr}");
}
