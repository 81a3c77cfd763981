//! `ipvi cycle <DIR> --as-of <DATE> [--profile <P>] [--notifications <F>] [--contacts <F>]
//! [--rules <R>] [--due <F>] --out <DIR>`
//!
//! The month's cycle for the partnership's meeting: runs the same pipeline as `ipvi analyze`
//! (import, classification, linkage, lists), then replays the lists month by month from the
//! first month with records to the as-of date (tiers only escalate) and writes
//! `month_end_lists.csv` (`month,as_of,list,count`), `month_end_people.csv`
//! (`month,person_id,list,change`), `this_month.csv` (new and escalated people with the
//! reasons), `notifications_due.csv` (due and overdue under the due rule), `cycle.xlsx` (the four
//! tables) and `agenda.html` (the printable meeting agenda). With `--notifications` or
//! `--contacts`, also `fidelity.csv` (the implementation measures as of the date, with the lists
//! as they stood then, small cells suppressed), in `cycle.xlsx` and as the agenda's last section.
//! Offender-facing: no victim information in any of them. See docs/cycle.md.

use super::common::load;
use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::cycle::due::DueRules;
use ipvi_core::cycle::sheets::{
    agenda_document, due_sheet, fidelity_section, month_end_people_sheet, month_end_sizes_sheet, this_month_sheet,
};
use ipvi_core::cycle::{self};
use ipvi_core::date::Date;
use ipvi_core::fidelity::{fidelity_sheet, resolve};
use ipvi_core::offenders::lists::ListRules;
use ipvi_core::pipeline::{self, run_with as run_pipeline, Kept, PipelineConfig};
use ipvi_core::report::suppress::THRESHOLD;
use std::path::Path;
use std::time::Instant;

const HELP: &str = "\
ipvi cycle — the month's lists, moves and notifications due, and the meeting agenda

USAGE:
    ipvi cycle <FILE|DIR>... --as-of <DATE> [--profile <P.json>] [--notifications <FILE.csv>]
               [--contacts <FILE.csv>] [--rules <FILE.json>] [--due <FILE.json>] --out <DIR>

The lists are replayed month by month from the first month with records to the as-of date,
each month end computed as `ipvi analyze --as-of` would from the month end before (tiers only
escalate). The month is the as-of date's month.

OPTIONS:
    --as-of <DATE>            the meeting's date: the month's moves and the notifications due as of it
    --profile <P.json>        an import profile (default: a built-in profile that matches, else the
                              proposed mapping)
    --notifications <F.csv>   notification attempts (person_id or record_id, notification_date,
                              list, type, delivered_by, outcome, incident; docs/notifications.md):
                              who no longer needs one (failed attempts do not count)
    --contacts <F.csv>        advocates' contacts (docs/notifications.md), counted in fidelity.csv
    --rules <F.json>          the list rules (default crates/ipvi-core/data/list_rules.json)
    --due <F.json>            days allowed per list from entering it or an escalation to the
                              notification (default crates/ipvi-core/data/notification_due.json)
    --threads <N>             score candidate pairs on N threads, and with 2 or more parse each CSV
                              file on a thread of its own ahead of the import (the output is the
                              same for any N)
    --out <DIR>               output folder (created): month_end_lists.csv, month_end_people.csv,
                              this_month.csv, notifications_due.csv, cycle.xlsx, agenda.html,
                              and fidelity.csv with --notifications or --contacts
";

/// Run `ipvi cycle`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(
        argv,
        &[
            "profile",
            "as-of",
            "notifications",
            "contacts",
            "rules",
            "due",
            "out",
            "threads",
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
    let as_of_text = a.required("as-of")?;
    let as_of =
        Date::parse(as_of_text).with_context(|| format!("--as-of {as_of_text:?} is not a date (use YYYY-MM-DD)"))?;
    let mut cfg = PipelineConfig {
        as_of: Some(as_of),
        ..PipelineConfig::default()
    };
    if let Some(path) = a.get("rules") {
        let text = crate::io::read_text(path, "the list rules")?;
        cfg.offenders.rules = ListRules::from_json(path, &text)?;
    }
    let due = match a.get("due") {
        Some(path) => DueRules::from_json(path, &crate::io::read_text(path, "the notification due rule")?)?,
        None => DueRules::default(),
    };
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
    if let Err(why) = pipeline::identifiable(data) {
        bail!("{why}: the cycle lists people");
    }
    let mut problems = outcome.diagnostics.len();
    let programme = super::common::read_programme(a.get("notifications"), a.get("contacts"))?;
    let kept = Kept {
        notifications: programme.as_ref().map(|p| p.notifications.clone()).unwrap_or_default(),
        ..Kept::default()
    };
    if let Some(p) = &programme {
        for x in p.diagnostics.iter().take(10) {
            eprintln!("{x}");
        }
        problems += p.diagnostics.len();
    }
    let result = run_pipeline(data, &cfg, &kept, &[], &threads, &mut |_, _| true)?;
    problems += result.diagnostics.len();
    let t_pipeline = t0.elapsed();
    let Some(c) = cycle::from_run(
        data,
        &result,
        &result.notifications,
        &cfg.offenders,
        &due,
        as_of,
        &mut |_| true,
    )?
    else {
        bail!("the replay was cancelled");
    };
    // The implementation measures as of the date, with the lists as they stood then.
    let fidelity = match &programme {
        Some(p) => {
            let cf = result.case_file(data, &result.notifications)?;
            let files = (a.get("notifications").unwrap_or(""), a.get("contacts").unwrap_or(""));
            let (attempts, contacts, d) = resolve(&p.notifications, &p.contacts, &cf, &result.report, files);
            problems += d.len();
            cycle::fidelity(&c.replay, &attempts, &contacts)
        }
        None => None,
    };
    let t_cycle = t0.elapsed() - t_pipeline;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let write = |name: &str, bytes: &[u8]| -> Result<()> {
        std::fs::write(out.join(name), bytes).with_context(|| format!("cannot write {}", out.join(name).display()))
    };
    let synthetic = data.synthetic;
    let sheets = [
        ("this_month.csv", this_month_sheet(&c.this_month)),
        ("notifications_due.csv", due_sheet(&c.this_month)),
        ("month_end_lists.csv", month_end_sizes_sheet(&c.replay)),
        (
            "month_end_people.csv",
            month_end_people_sheet(&c.replay, &result.person_ids),
        ),
    ]
    .map(|(n, s)| (n, s.synthetic(synthetic)));
    let fidelity_sheet = fidelity
        .as_ref()
        .map(|f| fidelity_sheet(f, THRESHOLD).synthetic(synthetic));
    for (name, sheet) in sheets
        .iter()
        .chain(fidelity_sheet.as_ref().map(|s| ("fidelity.csv", s.clone())).iter())
    {
        write(name, sheet.to_csv().as_bytes())?;
    }
    let all: Vec<_> = sheets.iter().map(|(_, s)| s.clone()).chain(fidelity_sheet).collect();
    write(
        "cycle.xlsx",
        &ipvi_xlsx::workbook(&all).context("cannot build cycle.xlsx")?,
    )?;
    let extra: Vec<_> = fidelity.iter().map(fidelity_section).collect();
    write(
        "agenda.html",
        agenda_document(&c.this_month, &extra, synthetic).as_bytes(),
    )?;
    let tm = &c.this_month;
    if c.replay.months.is_empty() {
        eprintln!("no dated incident on or before {as_of}: nothing to replay; choose a later --as-of");
    }
    println!(
        "{}: {} month ends replayed; as of {as_of}: A {}, B {}, C {}, D {}; {} new, {} escalated; \
         notifications {} due, {} overdue ({} notifications matched)",
        tm.month,
        c.replay.months.len(),
        tm.sizes[0],
        tm.sizes[1],
        tm.sizes[2],
        tm.sizes[3],
        tm.new.len(),
        tm.escalated.len(),
        tm.due.len(),
        tm.overdue.len(),
        result.notifications.len()
    );
    if problems > 0 {
        eprintln!("{problems} problem(s) in the input; run `ipvi audit` on the folder to see them");
    }
    eprintln!(
        "ipvi cycle: {:.2} s (pipeline {:.2} s, replay {:.2} s); wrote {}",
        t0.elapsed().as_secs_f64(),
        t_pipeline.as_secs_f64(),
        t_cycle.as_secs_f64(),
        out.display()
    );
    Ok(())
}
