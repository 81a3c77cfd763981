//! `ipvi report <DIR> [--site <NAME>] [--internal] [--metrics <FILE.json>] --out <FILE.html>`
//!
//! Writes the problem-analysis report as one self-contained HTML file. DIR is either a NIBRS
//! extract (the CDE CSV files) or an agency export. The report is shareable by default: no
//! names, no record ids, no victim identifiers, and counts under 11 suppressed together with
//! any count that would reveal them. `--internal` keeps every count (not for release).

use super::common::{load_dataset, read_dir_files};
use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::classify::CodeTable;
use ipvi_core::date::Date;
use ipvi_core::input::InputFile;
use ipvi_core::nibrs::analyze_extract;
use ipvi_core::offenders::features::Window;
use ipvi_core::offenders::lists::Snapshot;
use ipvi_core::offenders::outputs::analyze;
use ipvi_core::pipeline::{run as run_pipeline, Kept, PipelineConfig};
use ipvi_core::report::html::{page, ReportOptions};
use ipvi_core::report::metrics::{from_case, from_nibrs};
use ipvi_core::report::suppress::THRESHOLD;
use ipvi_core::report::{assessment, workload};
use std::path::Path;

const HELP: &str = "\
ipvi report — the problem-analysis report as one self-contained HTML file

USAGE:
    ipvi report <DIR> --out <FILE.html> [--site <NAME>] [--internal] [--metrics <FILE.json>]

DIR is a NIBRS extract (the CDE CSV files) or an agency export.
    --site <NAME>        the site's name on the report (default: the folder's name)
    --internal           keep small counts (not for release outside the agency)
    --metrics <FILE>     also write the site's aggregate metrics (peer-learning JSON)
";

fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date((secs / 86_400) as i32).to_string()
}

/// Run `ipvi report`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(argv, &["out", "site", "metrics"], &["internal", "help"])?;
    if a.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    let [dir] = a.positional.as_slice() else {
        bail!("give one input folder\n\n{HELP}")
    };
    let out = a.required("out")?;
    let dir_path = Path::new(dir);
    let site = a.get("site").map(str::to_string).unwrap_or_else(|| {
        dir_path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("site")
            .to_string()
    });
    let files = read_dir_files(dir_path)?;
    let is_nibrs = files.iter().any(|(n, _)| n.to_ascii_lowercase().starts_with("nibrs_"));
    let mut opts = ReportOptions {
        prepared_on: today(),
        extra_sections: Vec::new(),
    };
    let metrics = if is_nibrs {
        let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
        let analysis =
            analyze_extract(&inputs, &CodeTable::nibrs_default(), &mut |_| true).map_err(|e| anyhow::anyhow!("{e}"))?;
        from_nibrs(&analysis, &site)
    } else {
        let (data, _) = load_dataset(&files)?;
        let cfg = PipelineConfig::default();
        let result = run_pipeline(&data, &cfg, &Kept::default(), &[], &mut |_, _| true)?;
        let cf = result.case_file(&data, &[])?;
        // Inflow: the lists a year earlier, then now escalating from them.
        let now = result.report.window;
        let before = Window {
            as_of: now.as_of.add_days(-365),
            lookback_days: now.lookback_days,
        };
        let earlier = analyze(&cf, before, &cfg.offenders, &Snapshot::default());
        let flow = analyze(&cf, now, &cfg.offenders, &earlier.snapshot);
        let w = workload::project(&flow, &workload::default_efforts(), &[]);
        opts.extra_sections.push(workload::section_html(&w));
        opts.extra_sections.push(assessment::section_html(
            &assessment::checklist(),
            &assessment::indicators(&data, &result.pair_class),
        ));
        from_case(&cf, &flow, &site)
    };
    let metrics = if a.flag("internal") {
        metrics
    } else {
        metrics.shareable(THRESHOLD)
    };
    std::fs::write(out, page(&metrics, &opts)).with_context(|| format!("cannot write {out}"))?;
    if let Some(m) = a.get("metrics") {
        std::fs::write(m, serde_json::to_string_pretty(&metrics)?).with_context(|| format!("cannot write {m}"))?;
    }
    println!(
        "wrote {out} ({} version, {} data{})",
        if a.flag("internal") { "internal" } else { "shareable" },
        if is_nibrs { "NIBRS" } else { "agency" },
        if metrics.unavailable.is_empty() {
            String::new()
        } else {
            format!("; {} sections unavailable", metrics.unavailable.len())
        }
    );
    Ok(())
}
