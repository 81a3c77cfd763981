//! The FBI NIBRS extract as `ipvi classify` reads it: a folder of extract files read with the
//! generic import (the built-in extract profile is chosen when the files match), the pairs
//! classified by the pipeline and summarized. Rows read = used + rejected in every file.
//!
//! Input: up to ten files separated by `\n#FILE#\n`, named in turn as the extract's files.
#![no_main]

use ipvi_core::classify::CodeTable;
use ipvi_core::input::InputFile;
use ipvi_core::nibrs::{pairs_to_csv, summarize};
use ipvi_core::pipeline::{classify_pairs, PipelineConfig};
use ipvi_fuzz::{import_checked, split_files};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 10] = [
    "NIBRS_incident.csv",
    "NIBRS_OFFENSE.csv",
    "NIBRS_OFFENDER.csv",
    "NIBRS_VICTIM.csv",
    "NIBRS_VICTIM_OFFENDER_REL.csv",
    "NIBRS_RELATIONSHIP.csv",
    "NIBRS_OFFENSE_TYPE.csv",
    "NIBRS_CIRCUMSTANCES.csv",
    "NIBRS_VICTIM_CIRCUMSTANCES.csv",
    "NIBRS_ACTIVITY_TYPE.csv",
];

fuzz_target!(|data: &[u8]| {
    let parts = split_files(data, NAMES.len());
    let files: Vec<InputFile<'_>> = parts
        .iter()
        .zip(NAMES)
        .map(|(b, n)| InputFile { name: n, bytes: b })
        .collect();
    let Some((out, _)) = import_checked(&files) else {
        return;
    };
    let cfg = PipelineConfig::default();
    let Ok((decisions, _)) = classify_pairs(&out.dataset, &cfg, &Default::default(), &mut |_, _| true) else {
        return;
    };
    assert_eq!(decisions.len(), out.dataset.pairs.len());
    let classes: Vec<_> = decisions.iter().map(|d| d.class).collect();
    let analysis = summarize(&out.dataset, &classes, &CodeTable::nibrs_default(), usize::MAX);
    assert_eq!(analysis.pairs.len(), out.dataset.pairs.len());
    let _ = pairs_to_csv(&analysis.pairs);
});
