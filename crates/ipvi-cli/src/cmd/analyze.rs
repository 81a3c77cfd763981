//! `ipvi analyze <DIR> [--as-of <DATE>] [--lookback-days <N>] [--score-weights <FILE.csv>] --out <DIR>`
//!
//! Runs import, relationship classification, person linkage and the offender analysis on an
//! agency export, and writes `offenders.csv` (`person_id,list,score,harm,recency_days,
//! frequency,victims,reasons`), `persons.csv` (`record_id,person_id`), `summary.json`,
//! `offenders.xlsx` (internal, with names and score components) and `worksheets.html`
//! (printable notification worksheets for lists A and B, without victim information).

use super::common::{load_dataset, read_dir_files};
use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::offenders::outputs::{offenders_detail_sheet, offenders_sheet, worksheet_html};
use ipvi_core::offenders::List;
use ipvi_core::pipeline::{run as run_pipeline, Kept, PipelineConfig};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const HELP: &str = "\
ipvi analyze — classify, link, score and list every IPV offender in an agency export

USAGE:
    ipvi analyze <DIR> [--as-of <DATE>] [--lookback-days <N>] [--score-weights <FILE.csv>] --out <DIR>

OPTIONS:
    --as-of <DATE>        compute the lists as of this date (default: the last incident date)
    --lookback-days <N>   look-back window in days (default 1826, five years)
    --score-weights <F>   the ranking score's weights (component,weight,transform,unit,basis; the
                          default is crates/ipvi-core/data/score_weights.csv, see docs/ranking.md)
    --out <DIR>           output folder (created): offenders.csv, persons.csv, summary.json,
                          offenders.xlsx, worksheets.html
";

/// Run `ipvi analyze`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(argv, &["as-of", "lookback-days", "score-weights", "out"], &["help"])?;
    if a.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    let [dir] = a.positional.as_slice() else {
        bail!("give one input folder\n\n{HELP}")
    };
    let out = Path::new(a.required("out")?);
    let mut cfg = PipelineConfig::default();
    if let Some(d) = a.get("as-of") {
        cfg.as_of = Some(Date::parse(d).with_context(|| format!("--as-of {d:?} is not a date (use YYYY-MM-DD)"))?);
    }
    if let Some(n) = a.get("lookback-days") {
        cfg.offenders.lookback_days = n
            .parse()
            .ok()
            .filter(|&n: &i32| n > 0)
            .with_context(|| format!("--lookback-days {n:?} is not a positive number"))?;
    }
    if let Some(path) = a.get("score-weights") {
        cfg.offenders.rfgv = super::common::read_score_weights(path)?;
    }
    let t0 = Instant::now();
    let files = read_dir_files(Path::new(dir))?;
    let (data, import_diags) = load_dataset(&files)?;
    let t_import = t0.elapsed();
    let result = run_pipeline(&data, &cfg, &Kept::default(), &[], &mut |_, _| true)?;
    let elapsed = t0.elapsed();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let report = &result.report;
    let write = |name: &str, bytes: &[u8]| -> Result<()> {
        std::fs::write(out.join(name), bytes).with_context(|| format!("cannot write {}", out.join(name).display()))
    };
    write("offenders.csv", offenders_sheet(report).to_csv().as_bytes())?;
    write("persons.csv", result.persons_csv(&data).as_bytes())?;
    let xlsx = ipvi_xlsx::workbook(&[offenders_detail_sheet(report)]).context("cannot build offenders.xlsx")?;
    write("offenders.xlsx", &xlsx)?;
    let mut sheets = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>IPVI notification worksheets</title>\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:auto}article{break-after:page;border-bottom:1px solid #999;padding:1rem 0}\
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .4rem;text-align:left}</style></head><body>",
    );
    for o in report.offenders.iter().filter(|o| o.assignment.list >= List::B) {
        let tl = report
            .timelines
            .get(o.info.person as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        sheets.push_str(&worksheet_html(o, tl, report.window.as_of));
    }
    sheets.push_str("</body></html>\n");
    write("worksheets.html", sheets.as_bytes())?;

    let mut lists: BTreeMap<&str, u64> = BTreeMap::new();
    for o in &report.offenders {
        *lists.entry(o.assignment.list.as_str()).or_default() += 1;
    }
    let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
    for c in &result.pair_class {
        *by_class.entry(c.as_str()).or_default() += 1;
    }
    let summary = json!({
        "as_of": report.window.as_of.to_string(),
        "lookback_days": report.window.lookback_days,
        "incidents": data.incidents.len(),
        "person_records": data.involvements.len(),
        "persons": result.person_ids.len(),
        "pairs": data.pairs.len(),
        "pairs_by_class": by_class,
        "decision_sources": result.sources,
        "ipv_offenders": report.offenders.len(),
        "lists": lists,
        "linkage": result.link_stats,
        "linkage_review_pairs": result.link_review.len(),
        "diagnostics": import_diags.len() + result.diagnostics.len(),
        "seconds": { "import": t_import.as_secs_f64(), "total": elapsed.as_secs_f64() },
    });
    write("summary.json", serde_json::to_string_pretty(&summary)?.as_bytes())?;
    println!(
        "{} incidents, {} person records → {} people; {} IPV offenders: A {}, B {}, C {}, D {} (as of {})",
        data.incidents.len(),
        data.involvements.len(),
        result.person_ids.len(),
        report.offenders.len(),
        lists.get("A").unwrap_or(&0),
        lists.get("B").unwrap_or(&0),
        lists.get("C").unwrap_or(&0),
        lists.get("D").unwrap_or(&0),
        report.window.as_of
    );
    eprintln!(
        "ipvi analyze: {:.2} s ({:.2} s import); wrote {}",
        elapsed.as_secs_f64(),
        t_import.as_secs_f64(),
        out.display()
    );
    Ok(())
}
