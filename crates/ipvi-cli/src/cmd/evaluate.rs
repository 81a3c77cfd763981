//! `ipvi evaluate <DIR> --notifications <FILE> --start <DATE> --json <OUT> [--outcome incident|arrest]
//! [--as-of <DATE>] [--truth-ids] [--truth-classes] [--dump <DIR>]`
//!
//! Reads any export through the generic import (`--profile`, else a matching built-in profile,
//! else the proposed mapping, as `ipvi audit` does), links person records into people
//! (or, with `--truth-ids`, takes the true people from `truth/person_records.csv`), classifies the
//! victim–offender pairs (code table, free text, narrative), maps the notifications to people and
//! evaluates them as of a date: re-offending after notification, notified against
//! not-yet-notified person-time, and monthly IPV counts before and after the start. Writes the
//! whole result as JSON and prints a summary (no personal data). `--dump` writes the inputs of
//! each statistic (follow-up times, the stacked trials' rows, the monthly counts) as CSV, for
//! checking them with other software (`bench/evaluation/`); they carry row numbers, no names.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::evaluate::its::Estimate;
use ipvi_core::evaluate::notified::{comparison_rows, evaluate, survival_follows, EvalConfig, Evaluation, Outcome};
use ipvi_core::linkage::{self, Decisions, LinkSettings};
use ipvi_core::model::{Dataset, RelClass};
use ipvi_core::notify;
use ipvi_core::offenders::CaseFile;
use ipvi_core::pipeline::{self, PipelineConfig};
use ipvi_core::synth::truth;
use ipvi_core::textclass::Overrides;
use std::collections::HashMap;
use std::path::Path;

const HELP: &str = "\
ipvi evaluate <DIR> --notifications <FILE.csv> --start <DATE> --json <OUT.json> [--profile <P.json>]
          [--outcome incident|arrest]   re-offending = a new IPV incident (default) or a new IPV arrest
          [--as-of <DATE>]              use only what was known on this day (default: the last incident date)
          [--truth-ids]                 take people from DIR/truth/person_records.csv instead of linking
          [--truth-classes]             take pair classes from DIR/truth/pairs.csv instead of classifying
          [--dump <DIR>]                write each statistic's inputs as CSV (km.csv, trials.csv, series.csv)
          [--profile <P.json>]          an import profile (default: a matching built-in one, else the proposal)
DIR holds the export's files (CSV or XLSX, any layout), read as `ipvi audit` reads them.
The notifications file has person_id or record_id, notification_date, list, type, delivered_by[, notes, events].";

/// Link every person record of the dataset; returns the person of each involvement and the ids.
fn link_people(data: &Dataset) -> Result<(Vec<u32>, Vec<String>)> {
    let records = pipeline::link_records(data);
    let out = linkage::link(&records, &LinkSettings::default(), &Decisions::default()).context("linkage failed")?;
    let mut index: HashMap<u64, u32> = HashMap::new();
    let mut ids = Vec::new();
    let person_of = out
        .person_ids
        .iter()
        .map(|&p| {
            let next = ids.len() as u32;
            *index.entry(p).or_insert_with(|| {
                ids.push(format!("L{p}"));
                next
            })
        })
        .collect();
    Ok((person_of, ids))
}

fn classify_pairs(data: &Dataset) -> Result<Vec<RelClass>> {
    let (decisions, _) =
        pipeline::classify_pairs(data, &PipelineConfig::default(), &Overrides::default(), &mut |_, _| {
            true
        })?;
    Ok(decisions.iter().map(|d| d.class).collect())
}

fn parse_date(args: &Args, name: &str) -> Result<Option<Date>> {
    match args.get(name) {
        None => Ok(None),
        Some(v) => match Date::parse(v) {
            Some(d) => Ok(Some(d)),
            None => bail!("--{name} {v:?} is not a date (use YYYY-MM-DD)"),
        },
    }
}

fn warn(diags: &[Diagnostic]) {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    if !diags.is_empty() {
        eprintln!(
            "{} problem(s) in the input ({errors} rows skipped); the first ones:",
            diags.len()
        );
        for d in diags.iter().take(5) {
            eprintln!(
                "  {} row {} column {}: {}",
                d.file,
                d.row.map(|r| r.to_string()).unwrap_or_default(),
                d.column.as_deref().unwrap_or(""),
                d.message
            );
        }
    }
}

fn ci(e: &Estimate) -> String {
    format!("{:.2} (95% CI {:.2}–{:.2})", e.value, e.lower, e.upper)
}

/// The readable summary printed on stdout.
pub fn summary(ev: &Evaluation) -> String {
    let mut s = String::new();
    let c = &ev.config;
    s.push_str(&format!(
        "Evaluation as of {} (intervention start {}); re-offending = {}\nData {} to {}; {} notifications used, {} after the as-of date ignored\n\n",
        c.as_of, c.start, ev.outcome, ev.data_window.from, ev.data_window.to, ev.notifications_used, ev.notifications_ignored
    ));
    s.push_str("Re-offending after notification (Kaplan–Meier, 95% CI):\n");
    for sv in &ev.survival {
        let rates: Vec<String> = sv
            .rates
            .iter()
            .map(|(days, r)| match r {
                Some(r) => format!(
                    "{:.0} d: {:.1}% ({:.1}–{:.1}%, {} still followed)",
                    days,
                    100.0 * r.rate,
                    100.0 * r.lower,
                    100.0 * r.upper,
                    r.at_risk
                ),
                None => format!("{days:.0} d: not reached"),
            })
            .collect();
        s.push_str(&format!(
            "  {:<18} n={:<5} notified {}–{}: {}\n",
            sv.group,
            sv.cohort.people,
            sv.cohort.first_notified.map(|d| d.to_string()).unwrap_or_default(),
            sv.cohort.last_notified.map(|d| d.to_string()).unwrap_or_default(),
            rates.join("; ")
        ));
    }
    let cmp = &ev.comparison;
    s.push_str(&format!(
        "\nNotified vs not-yet-notified ({} to {}): {} offenders ({} notified); {:.0} vs {:.0} person-years; {} vs {} events\n",
        cmp.window.from,
        cmp.window.to,
        cmp.people,
        cmp.people_notified,
        cmp.person_years_notified,
        cmp.person_years_not_notified,
        cmp.events_notified,
        cmp.events_not_notified
    ));
    if let Some(e) = &cmp.rate_ratio {
        s.push_str(&format!("  rate ratio within trials {}\n", ci(e)));
    }
    if let Some(e) = &cmp.crude_rate_ratio {
        s.push_str(&format!(
            "  crude rate ratio {} (the same follow-up pooled, not within strata)\n",
            ci(e)
        ));
    }
    if let Some(r) = cmp.minimum_detectable_ratio {
        s.push_str(&format!(
            "  smallest effect this comparison could detect (80% power, 5% two-sided): a rate ratio of {r:.2} ({:.0}% fewer)\n",
            100.0 * (1.0 - r)
        ));
    }
    if let Some(n) = &cmp.note {
        s.push_str(&format!("  {n}\n"));
    }
    s.push_str(&format!(
        "  method: {}\n\nMonthly counts, interrupted time series:\n",
        cmp.method
    ));
    for sr in &ev.series {
        match &sr.its {
            Some(r) => s.push_str(&format!(
                "  {:<38} {} months before, {} after: average effect {}, level change {}\n",
                sr.name,
                r.months_before,
                r.months_after,
                ci(&r.average_effect),
                ci(&r.level_change)
            )),
            None => s.push_str(&format!(
                "  {:<38} {}\n",
                sr.name,
                sr.note.as_deref().unwrap_or("no model")
            )),
        }
    }
    if let Some(r) = ev.series.iter().find_map(|s| s.its.as_ref()) {
        s.push_str(&format!("  method: {}\n", r.method));
    }
    s
}

/// Write the inputs of each statistic as CSV into `out`.
fn dump(out: &Path, cf: &CaseFile<'_>, cfg: &EvalConfig, ev: &Evaluation) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut km = String::from("group,days,event\n");
    for (g, follows) in survival_follows(cf, cfg) {
        for f in follows {
            km.push_str(&format!("{g},{},{}\n", f.days, u8::from(f.event)));
        }
    }
    let mut tr = String::from("person,trial,period,list,gap_band,notified,events,days\n");
    for r in comparison_rows(cf, cfg) {
        tr.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            r.person,
            r.trial,
            r.period,
            r.list,
            r.gap_band,
            u8::from(r.notified),
            r.events,
            r.days
        ));
    }
    let start_month = format!("{:04}-{:02}", cfg.start.year(), cfg.start.ymd().1);
    let mut se = String::from("series,month,count,post\n");
    for s in &ev.series {
        for (m, c) in s.months.iter().zip(&s.counts) {
            se.push_str(&format!("{},{m},{c},{}\n", s.name, u8::from(*m >= start_month)));
        }
    }
    for (name, text) in [("km.csv", km), ("trials.csv", tr), ("series.csv", se)] {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Run `ipvi evaluate`.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(
        argv,
        &["notifications", "start", "json", "outcome", "as-of", "profile", "dump"],
        &["truth-ids", "truth-classes", "help"],
    )?;
    if args.flag("help") {
        println!("{HELP}");
        return Ok(());
    }
    let [dir_arg] = args.positional.as_slice() else {
        bail!("expected one export folder\n\n{HELP}")
    };
    let dir = Path::new(dir_arg);
    let notes_path = args.required("notifications")?;
    let json_path = args.required("json")?;
    let Some(start) = parse_date(&args, "start")? else {
        bail!("--start <DATE> is required\n\n{HELP}")
    };
    let outcome = match args.get("outcome") {
        None => Outcome::IpvIncident,
        Some(v) => Outcome::parse(v).with_context(|| format!("--outcome {v:?}: use incident or arrest"))?,
    };
    let given_as_of = parse_date(&args, "as-of")?;
    let (imported, _) = super::common::load(
        std::slice::from_ref(dir_arg),
        args.get("profile"),
        given_as_of,
        crate::threads::Threads(1),
    )?;
    let (data, mut diags) = (imported.dataset, imported.diagnostics);
    if data.incidents.is_empty() {
        warn(&diags);
        bail!(
            "{} has no incidents: is it an export folder (incidents.csv, persons.csv, ...)?",
            dir.display()
        );
    }
    if let Err(why) = pipeline::identifiable(&data) {
        bail!("{why}: evaluating notifications needs the people they were given to");
    }
    let (person_of, ids) = if args.flag("truth-ids") {
        let path = dir.join("truth").join("person_records.csv");
        let bytes =
            crate::io::read_regular(&path).with_context(|| format!("--truth-ids: cannot read {}", path.display()))?;
        let (p, ids, d) = truth::true_people(&data, &bytes);
        diags.extend(d);
        (p, ids)
    } else {
        link_people(&data)?
    };
    let classes = if args.flag("truth-classes") {
        let path = dir.join("truth").join("pairs.csv");
        let bytes = crate::io::read_regular(&path)
            .with_context(|| format!("--truth-classes: cannot read {}", path.display()))?;
        let (c, d) = truth::true_classes(&data, &bytes);
        diags.extend(d);
        c
    } else {
        classify_pairs(&data)?
    };
    let note_bytes = crate::io::read_regular(std::path::Path::new(notes_path))
        .with_context(|| format!("cannot read the notifications {notes_path}"))?;
    let (records, d) = notify::read_csv(notes_path, &note_bytes);
    diags.extend(d);
    let cf0 = CaseFile::new(&data, &classes, &person_of, &ids, &[])?;
    let (notes, d) = notify::to_case_notifications(&records, &cf0, notes_path);
    diags.extend(d);
    let cf = CaseFile::new(&data, &classes, &person_of, &ids, &notes)?;
    let as_of = given_as_of.unwrap_or(pipeline::last_date(&data).unwrap_or(start));
    if start > as_of {
        bail!("--start {start} is after the as-of date {as_of}: nothing to evaluate yet");
    }
    warn(&diags);
    let cfg = EvalConfig::new(start, as_of, outcome);
    let ev = evaluate(&cf, &cfg);
    if let Some(out) = args.get("dump") {
        dump(Path::new(out), &cf, &cfg, &ev)?;
    }
    let json = serde_json::to_vec_pretty(&ev)?;
    std::fs::write(json_path, json).with_context(|| format!("cannot write {json_path}"))?;
    print!("{}", summary(&ev));
    println!(
        "\n{} people from {}; {} pairs {}, {} IPV; results written to {json_path}",
        ids.len(),
        if args.flag("truth-ids") {
            "truth/person_records.csv"
        } else {
            "linkage"
        },
        classes.len(),
        if args.flag("truth-classes") {
            "classed by truth/pairs.csv"
        } else {
            "classified"
        },
        classes.iter().filter(|c| **c == RelClass::IntimatePartner).count()
    );
    Ok(())
}
