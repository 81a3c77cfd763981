//! `ipvi analyze <FILE|DIR>... [--profile <P>] [--as-of <DATE>] [--lookback-days <N>]
//! [--score-weights <FILE.csv>] [--rules <FILE.json>] [--diagnostics <FILE.csv>]
//! [--notifications <FILE.csv>] [--contacts <FILE.csv>] --out <DIR>`
//!
//! Runs the generic import (the profile given, else a matching built-in one, else the proposed
//! mapping), relationship classification, person linkage and the offender analysis on any
//! export, and writes `offenders.csv` (`person_id,list,score,harm,recency_days,
//! frequency,victims,reasons`), `persons.csv` (`record_id,person_id`), `summary.json`,
//! `offenders.xlsx` (internal, with names and score components) and `worksheets.html`
//! (printable notification worksheets for lists A and B, without victim information).
//!
//! When people cannot be identified across incidents ([`pipeline::identifiable`]: no person
//! records, or none with a name or date of birth), it says so and writes only `summary.json`
//! (incidents, pairs by class, rows per file): no lists of anonymous records. `summary.json`
//! says the rows read, used and rejected per file (`rows`, as the audit counts them).
//!
//! With `--rules` the lists are made with the rules given (the JSON the app saves), and what
//! they do against the defaults is printed first: per rule, the people it holds for, places and
//! raises, and the list sizes with the defaults and with the rules given.
//!
//! With `--notifications` (the partnership's attempts, delivered or failed) and/or `--contacts`
//! (advocates' contacts), the notifications join the timelines and the lists, and `fidelity.csv`
//! holds the implementation measures ([`ipvi_core::fidelity`]), small cells suppressed.
//!
//! Every problem found (the import's, with the dates set aside as implausible, and the
//! inquiry's) is counted on stderr with the first few listed; `--diagnostics` writes them all.

use super::common::load;
use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::diag::Diagnostic;
use ipvi_core::fidelity::{fidelity_sheet, measure_run};
use ipvi_core::import::ImportOutcome;
use ipvi_core::model::Dataset;
use ipvi_core::offenders::lists::{impact, Impact, ListRules};
use ipvi_core::offenders::outputs::{offenders_detail_sheet, offenders_sheet, worksheet_html};
use ipvi_core::offenders::List;
use ipvi_core::pipeline::{self, run_with as run_pipeline, Kept, PipelineConfig};
use ipvi_core::report::suppress::THRESHOLD;
use ipvi_core::textclass::Overrides;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const HELP: &str = "\
ipvi analyze — classify, link, score and list every IPV offender in an agency export

USAGE:
    ipvi analyze <FILE|DIR>... [--profile <P.json>] [--as-of <DATE>] [--lookback-days <N>]
                 [--score-weights <FILE.csv>] [--rules <FILE.json>] [--diagnostics <FILE.csv>]
                 [--notifications <FILE.csv>] [--contacts <FILE.csv>] --out <DIR>

Any export (CSV or XLSX, any layout), read as `ipvi audit` reads it. Without names or dates of
birth people cannot be identified across incidents: then only summary.json is written.

OPTIONS:
    --profile <P.json>    an import profile saved from the app or by `ipvi audit --save-profile`
                          (default: a built-in profile that matches the files, else the proposed
                          mapping, printed)
    --as-of <DATE>        compute the lists as of this date (default: the last plausible incident
                          date; dates before 1900 or more than a year after the as-of date are set
                          aside with a warning, their rows used)
    --lookback-days <N>   look-back window in days (default 1826, five years)
    --score-weights <F>   the ranking score's weights (component,weight,transform,unit,basis; the
                          default is crates/ipvi-core/data/score_weights.csv, see docs/ranking.md)
    --rules <F.json>      the list rules (the JSON the app saves; the default is
                          crates/ipvi-core/data/list_rules.json, see docs/lists.md); what they do
                          against the defaults is printed per rule before the lists are made
    --diagnostics <F.csv> write every problem found (file, row, column, value, message)
    --threads <N>         score candidate pairs on N threads, and with 2 or more parse each CSV
                          file on a thread of its own ahead of the import (default: the
                          processors available; the output is the same for any N)
    --notifications <F>   the partnership's notification attempts (CSV, docs/notifications.md):
                          they join the timelines and lists, and fidelity.csv is written
    --contacts <F>        advocates' contacts (CSV, docs/notifications.md), counted in fidelity.csv
    --out <DIR>           output folder (created): offenders.csv, persons.csv, summary.json,
                          offenders.xlsx, worksheets.html, and fidelity.csv (the implementation
                          measures, small cells suppressed) with --notifications or --contacts
";

/// Run `ipvi analyze`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(
        argv,
        &[
            "profile",
            "as-of",
            "lookback-days",
            "score-weights",
            "rules",
            "diagnostics",
            "out",
            "threads",
            "notifications",
            "contacts",
        ],
        &["help"],
    )?;
    if a.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    if a.positional.is_empty() {
        bail!("give the export's files or folder\n\n{HELP}")
    }
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
    if let Some(path) = a.get("rules") {
        let text = crate::io::read_text(path, "the list rules")?;
        cfg.offenders.rules = ListRules::from_json(path, &text)?;
    }
    let threads = crate::threads::Threads::from_args(&a)?;
    let t0 = Instant::now();
    let (outcome, choice) = load(&a.positional, a.get("profile"), cfg.as_of, threads)?;
    let data = &outcome.dataset;
    if data.incidents.is_empty() {
        bail!(
            "no incident could be read with the profile {:?}: check the mapping with `ipvi audit`",
            choice.profile().name
        );
    }
    let t_import = t0.elapsed();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    if let Err(why) = pipeline::identifiable(data) {
        problems(&outcome, &[], a.get("diagnostics"))?;
        return incidents_only(&outcome, &cfg, out, &why);
    }
    let import_diags = &outcome.diagnostics;
    let programme = super::common::read_programme(a.get("notifications"), a.get("contacts"))?;
    let kept = Kept {
        notifications: programme.as_ref().map(|p| p.notifications.clone()).unwrap_or_default(),
        ..Kept::default()
    };
    let result = run_pipeline(data, &cfg, &kept, &[], &threads, &mut |_, _| true)?;
    // The implementation measures, when the programme's records were given.
    let mut inquiry_diags = result.diagnostics.clone();
    let fidelity = match &programme {
        Some(p) => {
            inquiry_diags.extend(p.diagnostics.iter().cloned());
            let cf = result.case_file(data, &result.notifications)?;
            let (f, d) = measure_run(
                &p.notifications,
                &p.contacts,
                &cf,
                &result.report,
                (a.get("notifications").unwrap_or(""), a.get("contacts").unwrap_or("")),
            );
            inquiry_diags.extend(d);
            Some(f)
        }
        None => None,
    };
    problems(&outcome, &inquiry_diags, a.get("diagnostics"))?;
    let elapsed = t0.elapsed();
    let report = &result.report;
    if a.get("rules").is_some() {
        let features: Vec<_> = report.offenders.iter().map(|o| o.features.clone()).collect();
        print!(
            "{}",
            impact_text(&impact(&features, &ListRules::default(), &cfg.offenders.rules))
        );
    }
    let write = |name: &str, bytes: &[u8]| -> Result<()> {
        std::fs::write(out.join(name), bytes).with_context(|| format!("cannot write {}", out.join(name).display()))
    };
    // Made from the sample jurisdiction: every file says so (a note above the headers).
    let synthetic = data.synthetic;
    write(
        "offenders.csv",
        offenders_sheet(report).synthetic(synthetic).to_csv().as_bytes(),
    )?;
    write("persons.csv", result.persons_csv(data).as_bytes())?;
    let xlsx = ipvi_xlsx::workbook(&[offenders_detail_sheet(report).synthetic(synthetic)])
        .context("cannot build offenders.xlsx")?;
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
    if let Some(f) = &fidelity {
        write(
            "fidelity.csv",
            fidelity_sheet(f, THRESHOLD).synthetic(synthetic).to_csv().as_bytes(),
        )?;
    }

    let mut lists: BTreeMap<&str, u64> = BTreeMap::new();
    for o in &report.offenders {
        *lists.entry(o.assignment.list.as_str()).or_default() += 1;
    }
    let by_class = class_counts(&result.pair_class);
    let summary = json!({
        "profile": choice.profile().name,
        "identifiable": true,
        "as_of": report.window.as_of.to_string(),
        "lookback_days": report.window.lookback_days,
        "rows": super::common::rows_json(&outcome.files),
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
        "diagnostics": import_diags.len() + inquiry_diags.len(),
        "fidelity": fidelity.as_ref().map(|f| f.shareable(THRESHOLD)),
        "implausible_dates": outcome.implausible_dates,
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

/// What a rule set does against the defaults, as printed by `--rules`.
fn impact_text(i: &Impact) -> String {
    let sizes = |s: &[u64; 4]| format!("A {}, B {}, C {}, D {}", s[0], s[1], s[2], s[3]);
    let mut out = format!(
        "{:<24} {:<4} {:>9} {:>9} {:>9}\n",
        "rule", "list", "holds", "places", "raises"
    );
    for r in &i.rules {
        out.push_str(&format!(
            "{:<24} {:<4} {:>9} {:>9} {:>9}\n",
            r.rule,
            r.list.as_str(),
            r.holds,
            r.places,
            r.raises
        ));
    }
    for (f, n) in &i.flags {
        out.push_str(&format!("flag {f}: {n}\n"));
    }
    out.push_str(&format!(
        "lists with the default rules: {}; with these rules: {} ({} up, {} down)\n",
        sizes(&i.now),
        sizes(&i.with_candidate),
        i.up,
        i.down
    ));
    out
}

/// The problems of the import and of the inquiry: counted on stderr with the first ten listed,
/// and every one written to `path` (`--diagnostics`) when given.
fn problems(outcome: &ImportOutcome, inquiry: &[Diagnostic], path: Option<&str>) -> Result<()> {
    let all: Vec<&Diagnostic> = outcome.diagnostics.iter().chain(inquiry).collect();
    for d in all.iter().take(10) {
        eprintln!("{d}");
    }
    if outcome.implausible_dates > 0 {
        eprintln!(
            "{} dates were set aside as implausible (before 1900-01-01 or more than a year after the as-of date); their rows were used",
            outcome.implausible_dates
        );
    }
    match path {
        Some(p) => {
            let owned: Vec<Diagnostic> = all.iter().map(|d| (*d).clone()).collect();
            crate::io::write_diagnostics(p, &owned)?;
            eprintln!("{} problems found; all of them written to {p}", all.len());
        }
        None if all.len() > 10 => eprintln!(
            "... {} problems found, the first 10 shown (use --diagnostics <FILE.csv> for all)",
            all.len()
        ),
        None => {}
    }
    Ok(())
}

fn class_counts(classes: &[ipvi_core::model::RelClass]) -> BTreeMap<&'static str, u64> {
    let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
    for c in classes {
        *by_class.entry(c.as_str()).or_default() += 1;
    }
    by_class
}

/// People cannot be identified across incidents: say so, and write the counts the data allows
/// (incidents, pairs by class, rows per file) to `summary.json`, with no lists.
fn incidents_only(outcome: &ImportOutcome, cfg: &PipelineConfig, out: &Path, why: &str) -> Result<()> {
    let data: &Dataset = &outcome.dataset;
    let (decisions, sources) = pipeline::classify_pairs(data, cfg, &Overrides::default(), &mut |_, _| true)?;
    let classes: Vec<_> = decisions.iter().map(|d| d.class).collect();
    let summary = json!({
        "profile": outcome.profile,
        "identifiable": false,
        "why_no_lists": why,
        "rows": super::common::rows_json(&outcome.files),
        "incidents": data.incidents.len(),
        "person_records": data.involvements.len(),
        "pairs": data.pairs.len(),
        "pairs_by_class": class_counts(&classes),
        "decision_sources": sources,
        "diagnostics": outcome.diagnostics.len(),
        "implausible_dates": outcome.implausible_dates,
    });
    let path = out.join("summary.json");
    std::fs::write(&path, serde_json::to_string_pretty(&summary)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "{} incidents, {} person records, {} victim–offender pairs; no offender lists: {why}",
        data.incidents.len(),
        data.involvements.len(),
        data.pairs.len()
    );
    eprintln!("ipvi analyze: wrote {} only", path.display());
    Ok(())
}
