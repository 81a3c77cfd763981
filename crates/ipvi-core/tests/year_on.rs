//! `year_on` (the report's lists a year earlier, then now escalating from them) builds the
//! timelines and the people once for both dates: its report is the two `analyze` runs' to the
//! last field.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::offenders::features::Window;
use ipvi_core::offenders::lists::{Change, Snapshot};
use ipvi_core::offenders::outputs::{analyze, year_on};
use ipvi_core::pipeline::{run, Kept, PipelineConfig};
use ipvi_core::synth::{generate_export, SynthConfig};

#[test]
fn a_year_on_is_the_lists_a_year_earlier_then_now_escalating_from_them() {
    let cfg = SynthConfig {
        seed: 5,
        population: 4_000,
        years: 3,
        ..SynthConfig::default()
    };
    let (files, _) = generate_export(&cfg, &mut |_| true).expect("generated");
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let data = import::import_files(&inputs, None, None).expect("imported").0.dataset;
    let config = PipelineConfig::default();
    let result = run(&data, &config, &Kept::default(), &[], &mut |_, _| true).expect("pipeline");
    let cf = result.case_file(&data, &result.notifications).expect("case file");
    let now = result.report.window;
    let before = Window {
        as_of: now.as_of.add_days(-365),
        lookback_days: now.lookback_days,
    };
    let earlier = analyze(&cf, before, &config.offenders, &Snapshot::default());
    let expected = analyze(&cf, now, &config.offenders, &earlier.snapshot);
    let got = year_on(&cf, now, &config.offenders);
    // People who were on a list a year earlier and are still on one: the escalation shows.
    assert!(!earlier.snapshot.lists.is_empty(), "nobody on the lists a year earlier");
    assert!(expected.offenders.iter().any(|o| o.change != Change::New));
    assert_eq!(got, expected);
    // And it is not the run that starts from no lists.
    assert_ne!(got, analyze(&cf, now, &config.offenders, &Snapshot::default()));
}
