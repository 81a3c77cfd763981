//! The synthetic export goes through the generic import like any agency's export: the built-in
//! profile is chosen by matching, and the inquiry gives the numbers the export's former reader
//! gave (seed 3, 2,000 people, 2 years; written down from that reader before it was retired).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::import::{self, Profile, ProfileChoice};
use ipvi_core::input::InputFile;
use ipvi_core::pipeline::{run, Kept, PipelineConfig};
use ipvi_core::synth::{calibration, export, generate, SynthConfig};
use std::collections::BTreeMap;

#[test]
fn the_synthetic_export_gives_the_former_readers_classes_and_lists() {
    let cfg = SynthConfig {
        seed: 3,
        population: 2_000,
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
    let (out, choice) = import::import_files(&inputs, None, None).expect("imported");
    assert!(matches!(choice, ProfileChoice::Builtin(ref p) if p.name == Profile::synthetic_export().name));
    let data = out.dataset;
    let result = run(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |_, _| {
        true
    })
    .expect("pipeline");
    let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
    for c in &result.pair_class {
        *by_class.entry(c.as_str()).or_default() += 1;
    }
    let mut lists: BTreeMap<&str, u64> = BTreeMap::new();
    for o in &result.report.offenders {
        *lists.entry(o.assignment.list.as_str()).or_default() += 1;
    }
    // incidents, person records, pairs, offences, arrests, orders, calls
    let counts = (
        data.incidents.len(),
        data.involvements.len(),
        data.pairs.len(),
        data.offenses.len(),
        data.arrests.len(),
        data.orders.len(),
        data.calls.len(),
    );
    assert_eq!(counts, (164, 267, 82, 169, 82, 0, 149));
    assert!(
        out.rejected.is_empty(),
        "{:?}",
        &out.rejected[..out.rejected.len().min(3)]
    );
    let want: BTreeMap<&str, u64> = [
        ("intimate_partner", 9),
        ("known_non_family", 35),
        ("other_family", 13),
        ("stranger", 25),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_class, want);
    // The default rules of data/list_rules.json: the two on A before (one danger marker each)
    // are on B and D now that A needs a history beside the marker.
    assert_eq!(lists, [("B", 1), ("C", 3), ("D", 3)].into_iter().collect());
    assert_eq!(result.person_ids.len(), 141);
}
