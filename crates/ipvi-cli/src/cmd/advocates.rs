//! `ipvi advocates <DIR> [--profile <P>] [--as-of <DATE>] [--notifications <FILE>] --out <FILE.csv|.xlsx>`
//!
//! The advocates' export for victim outreach: runs the inquiry on an agency export (classify,
//! link, score, lists) and writes one row per IPV victim with only what advocates need to reach
//! them ([`ipvi_core::offenders::advocates::COLUMNS`]: name, address, phone, the dates of the IPV
//! incidents against them, their offenders' list letters and latest notification dates). Nothing
//! from police-only records: no narrative, charge, relationship text or offender history. This
//! file names victims: it is for advocates only and never offender-facing.

use super::common::load;
use crate::args::Args;
use crate::threads::Threads;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::notify;
use ipvi_core::offenders::advocates::{advocates, advocates_sheet};
use ipvi_core::pipeline::{self, run as run_pipeline, Kept, PipelineConfig};

const HELP: &str = "\
ipvi advocates — the victim-outreach list for advocates (names victims: advocates only)

USAGE:
    ipvi advocates <DIR> [--profile <P.json>] [--as-of <DATE>] [--notifications <FILE.csv>] --out <FILE.csv|FILE.xlsx>

OPTIONS:
    --profile <P.json>         an import profile saved from the app or by `ipvi audit --save-profile`
                               (default: a built-in profile that matches, else the proposed mapping)
    --as-of <DATE>             victims of IPV incidents in the five years up to this date
                               (default: the last incident date)
    --notifications <FILE>     notifications (person_id or record_id, notification_date, list, type,
                               delivered_by): each offender's latest notification date is given
    --out <FILE>               .csv or .xlsx

Columns: victim_name, address, city, postcode, phone, ipv_incident_dates, offender_lists,
offender_notification_dates. Nothing from narratives, charges or relationship texts.
";

/// Run `ipvi advocates`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(argv, &["profile", "as-of", "notifications", "out"], &["help"])?;
    if a.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    let [dir] = a.positional.as_slice() else {
        bail!("give one input folder\n\n{HELP}")
    };
    let out = a.required("out")?;
    let lower = out.to_ascii_lowercase();
    let xlsx = if lower.ends_with(".xlsx") {
        true
    } else if lower.ends_with(".csv") {
        false
    } else {
        bail!("--out {out:?}: name a .csv or .xlsx file");
    };
    let mut cfg = PipelineConfig::default();
    if let Some(d) = a.get("as-of") {
        cfg.as_of = Some(Date::parse(d).with_context(|| format!("--as-of {d:?} is not a date (use YYYY-MM-DD)"))?);
    }
    let (outcome, _) = load(std::slice::from_ref(dir), a.get("profile"), cfg.as_of, Threads(1))?;
    let (data, diags) = (outcome.dataset, outcome.diagnostics);
    if data.incidents.is_empty() {
        bail!("no incident could be read from {dir}: check the mapping with `ipvi audit`");
    }
    if let Err(why) = pipeline::identifiable(&data) {
        bail!("{why}: the outreach list needs the victims' names");
    }
    let mut kept = Kept::default();
    let mut problems = diags.len();
    if let Some(path) = a.get("notifications") {
        let bytes = crate::io::read_regular(std::path::Path::new(path))
            .with_context(|| format!("cannot read the notifications {path}"))?;
        let (records, d) = notify::read_csv(path, &bytes);
        problems += d.len();
        kept.notifications = records;
    }
    let result = run_pipeline(&data, &cfg, &kept, &[], &mut |_, _| true)?;
    let cf = result.case_file(&data, &result.notifications)?;
    let rows = advocates(&cf, &result.report);
    let sheet = advocates_sheet(&rows).synthetic(data.synthetic);
    let bytes = if xlsx {
        ipvi_xlsx::workbook(&[sheet]).context("cannot build the workbook")?
    } else {
        sheet.to_csv().into_bytes()
    };
    std::fs::write(out, bytes).with_context(|| format!("cannot write {out}"))?;
    println!(
        "{} IPV victims for outreach (as of {}; {} notifications matched) written to {out}; advocates only",
        rows.len(),
        result.report.window.as_of,
        result.notifications.len()
    );
    if problems + result.diagnostics.len() > 0 {
        eprintln!(
            "{} problem(s) in the input; run `ipvi audit` on the folder to see them",
            problems + result.diagnostics.len()
        );
    }
    Ok(())
}
