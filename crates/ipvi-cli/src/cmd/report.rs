//! `ipvi report <FILE|DIR>... [--profile <P>] [--site <NAME>] [--internal] [--metrics <FILE.json>]
//! [--notifications <FILE.csv>] [--contacts <FILE.csv>] --out <FILE.html>`
//!
//! Writes the problem-analysis report as one self-contained HTML file. The input is any export
//! (a NIBRS extract, an agency export), read through the generic import as `ipvi audit` reads
//! it. Where people can be identified across incidents the report comes from the inquiry
//! (lists, workload, assessment); otherwise from the incidents and their classes alone. The
//! report is shareable by default: no names, no record ids, no victim identifiers, and counts
//! under 11 suppressed together with any count that would reveal them. `--internal` keeps every
//! count (not for release). With `--notifications` and/or `--contacts` the metrics carry the
//! implementation measures (`fidelity`, suppressed like the rest).

use super::common::load;
use crate::args::Args;
use crate::threads::Threads;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::fidelity::measure_run;
use ipvi_core::model::Dataset;
use ipvi_core::model::RelClass;
use ipvi_core::offenders::outputs::year_on;
use ipvi_core::pipeline::{self, run as run_pipeline, Kept, PipelineConfig};
use ipvi_core::report::html::{page, ReportOptions};
use ipvi_core::report::metrics::SiteMetrics;
use ipvi_core::report::metrics::{from_case, from_incident_classes};
use ipvi_core::report::suppress::THRESHOLD;
use ipvi_core::report::{assessment, workload};
use ipvi_core::textclass::Overrides;
use std::path::Path;

const HELP: &str = "\
ipvi report — the problem-analysis report as one self-contained HTML file

USAGE:
    ipvi report <FILE|DIR>... --out <FILE.html> [--profile <P.json>] [--site <NAME>] [--internal]
                [--metrics <FILE.json>] [--notifications <FILE.csv>] [--contacts <FILE.csv>]

The input is any export (a NIBRS extract, an agency export), read as `ipvi audit` reads it.
    --profile <P.json>   an import profile (default: a matching built-in one, else the proposal)
    --site <NAME>        the site's name on the report (default: the folder's name)
    --internal           keep small counts (not for release outside the agency)
    --metrics <FILE>     also write the site's aggregate metrics (peer-learning JSON)
    --notifications <F>  the partnership's notification attempts (docs/notifications.md): they
                         join the lists, and the metrics get the implementation measures
    --contacts <F>       advocates' contacts, counted in the implementation measures
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
    let a = Args::parse(
        argv,
        &["out", "site", "metrics", "profile", "notifications", "contacts"],
        &["internal", "help"],
    )?;
    if a.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    let Some(first) = a.positional.first() else {
        bail!("give the export's files or folder\n\n{HELP}")
    };
    let out = a.required("out")?;
    let site = a.get("site").map(str::to_string).unwrap_or_else(|| {
        Path::new(first)
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("site")
            .to_string()
    });
    let (outcome, _) = load(&a.positional, a.get("profile"), None, Threads(1))?;
    let data = &outcome.dataset;
    if data.incidents.is_empty() {
        bail!("no incident could be read: check the mapping with `ipvi audit`");
    }
    let identified = pipeline::identifiable(data);
    let mut opts = ReportOptions {
        prepared_on: today(),
        extra_sections: Vec::new(),
    };
    let metrics = if let Err(why) = &identified {
        eprintln!("ipvi report: {why}");
        incident_metrics(data, &site)?
    } else {
        let cfg = PipelineConfig::default();
        let programme = super::common::read_programme(a.get("notifications"), a.get("contacts"))?;
        let kept = Kept {
            notifications: programme.as_ref().map(|p| p.notifications.clone()).unwrap_or_default(),
            ..Kept::default()
        };
        let result = run_pipeline(data, &cfg, &kept, &[], &mut |_, _| true)?;
        let cf = result.case_file(data, &result.notifications)?;
        // Inflow: the lists a year earlier, then now escalating from them.
        let flow = year_on(&cf, result.report.window, &cfg.offenders);
        let w = workload::project(&flow, &workload::default_efforts(), &[], &[]);
        opts.extra_sections.push(workload::section_html(&w));
        opts.extra_sections.push(assessment::section_html(
            &assessment::checklist(),
            &assessment::indicators(data, &result.pair_class),
        ));
        let m = from_case(&cf, &flow, &site);
        match &programme {
            Some(p) => {
                let (f, d) = measure_run(
                    &p.notifications,
                    &p.contacts,
                    &cf,
                    &flow,
                    (a.get("notifications").unwrap_or(""), a.get("contacts").unwrap_or("")),
                );
                let problems = p.diagnostics.len() + d.len();
                if problems > 0 {
                    eprintln!("ipvi report: {problems} problems in the notification and contact records (see `ipvi analyze --diagnostics`)");
                }
                m.with_fidelity(&f)
            }
            None => m,
        }
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
        if identified.is_ok() {
            "person-level"
        } else {
            "incident-level"
        },
        if metrics.unavailable.is_empty() {
            String::new()
        } else {
            format!("; {} sections unavailable", metrics.unavailable.len())
        }
    );
    Ok(())
}

/// The site metrics of data whose people cannot be identified across incidents: every incident
/// classed by its most serious pair, else its offences and domestic flags
/// ([`ipvi_core::report::metrics::from_incidents`]), by month, offence, place and agency; no
/// lists. The offence evidence is found once for the pairs and the incidents.
fn incident_metrics(data: &Dataset, site: &str) -> Result<SiteMetrics> {
    let cfg = PipelineConfig::default();
    let offenses = pipeline::offense_evidence(data, &cfg)?;
    let (decisions, _) = pipeline::classify_pairs_with(data, &cfg, &offenses, &Overrides::default(), &mut |_, _| true)?;
    let classes: Vec<RelClass> = decisions.iter().map(|d| d.class).collect();
    let incidents = pipeline::classify_incidents_with(data, &offenses, &classes);
    Ok(from_incident_classes(data, &incidents, &classes, site))
}
