//! `ipvi classify --nibrs <DIR> --out <FILE.csv>`: classify the victim–offender pairs of an FBI
//! Crime Data Explorer NIBRS extract.
//!
//! Reads DIR as every other command does ([`common::Opened`], the generic streamed import with
//! the built-in FBI extract profile chosen by matching, or `--profile`),
//! classifies the pairs with the pipeline ([`ipvi_core::pipeline::classify_pairs`]), summarizes
//! them ([`ipvi_core::nibrs::summarize`]), writes one CSV row per victim–offender pair
//! (`incident_id,victim_id,offender_id,relationship_code,class`, the ids as in the files),
//! prints the totals by class to stdout, and the diagnostics and elapsed time to stderr.
//! Files that are not an FBI extract (no `--profile`, and the built-in extract profile does not
//! match) fail with the files and what they lack; no output is written then.
//!
//! Options: `--codes <TABLE.json>` uses a saved code table instead of the defaults;
//! `--household-outside-family` counts CF, FP and FC as known non-family;
//! `--profile <PROFILE.json>` reads the files with a saved profile instead;
//! `--diagnostics <FILE.csv>` writes every diagnostic to a CSV file.

use super::common;
use crate::args::Args;
use anyhow::{anyhow, bail, Context, Result};
use ipvi_core::classify::CodeTable;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::export::diagnostics_to_csv;
use ipvi_core::import::mapping::normalize_header;
use ipvi_core::import::{Field, Profile, ProfileChoice, Side, Table, TableKind};
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::{incidents_in_classes, pairs_to_csv, summarize};
use ipvi_core::pipeline::{classify_pairs, PipelineConfig};
use std::path::Path;
use std::time::Instant;

const HELP: &str = "\
ipvi classify — classify the victim–offender pairs of a NIBRS CSV extract

USAGE:
    ipvi classify --nibrs <DIR> --out <FILE.csv> [OPTIONS]

OPTIONS:
    --nibrs <DIR>                 folder holding the extract's CSV files (NIBRS_incident.csv, ...)
    --out <FILE.csv>              where to write one row per victim–offender pair
    --codes <TABLE.json>          a code table saved from the app (default: the NIBRS defaults)
    --household-outside-family    count CF, FP, FC (household family) as known, not family
    --profile <PROFILE.json>      read the files with a saved import profile (default: the
                                  built-in FBI extract profile, which the files must match)
    --diagnostics <FILE.csv>      write every problem found in the input to a CSV file
";

/// How many diagnostics are printed to stderr; the rest are counted (use --diagnostics for all).
const SHOWN_DIAGNOSTICS: usize = 10;

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(
        argv,
        &["nibrs", "out", "codes", "diagnostics", "profile"],
        &["household-outside-family", "help"],
    )?;
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    if let Some(p) = args.positional.first() {
        bail!("unexpected argument {p:?}\n\n{HELP}");
    }
    let dir = Path::new(args.required("nibrs")?);
    let out = Path::new(args.required("out")?);
    let started = Instant::now();

    let mut table = match args.get("codes") {
        Some(p) => {
            let json = crate::io::read_text(p, "the code table")?;
            CodeTable::from_json(&json).with_context(|| format!("code table {p}"))?
        }
        None => CodeTable::nibrs_default(),
    };
    if args.flag("household-outside-family") {
        table.set_household_family_as_family(false);
    }

    let given = common::read_profile(args.get("profile"))?;
    let input = [dir.display().to_string()];
    let names: Vec<String> = common::input_paths(&input)?
        .iter()
        .map(|p| crate::io::file_name(p))
        .collect();
    // The extract check looks at the files' headers, from the import's first pass.
    let mut files = common::Opened::open(&input)?;
    let sampled = files.sample()?;
    let builtin = Profile::nibrs_extract();
    if given.is_none() {
        check_extract(dir, &names, &sampled.tables, &sampled.problems, &builtin)?;
    }
    let (outcome, choice) = files.import(sampled, given.as_ref(), None, crate::threads::Threads(1))?;
    let read_time = started.elapsed();
    if given.is_none() && !matches!(&choice, ProfileChoice::Builtin(p) if p.name == builtin.name) {
        bail!(
            "{} was read with the profile {:?}, not as an FBI NIBRS extract: give --profile to read it so",
            dir.display(),
            choice.profile().name
        );
    }
    let cfg = PipelineConfig {
        codes: table.clone(),
        ..PipelineConfig::default()
    };
    let (decisions, _) = classify_pairs(&outcome.dataset, &cfg, &Default::default(), &mut |_, _| true)
        .map_err(|e| anyhow!("classification: {e}"))?;
    let classes: Vec<RelClass> = decisions.iter().map(|d| d.class).collect();
    let mut analysis = summarize(&outcome.dataset, &classes, &table, usize::MAX);
    let (vp, op) = (
        id_prefix(choice.profile(), Side::Victim),
        id_prefix(choice.profile(), Side::Offender),
    );
    for p in &mut analysis.pairs {
        strip(&mut p.victim_id, &vp);
        strip(&mut p.offender_id, &op);
    }
    analysis.diagnostics = outcome.diagnostics;
    analysis.files = outcome.files;
    let analyze_time = started.elapsed() - read_time;

    std::fs::write(out, pairs_to_csv(&analysis.pairs)).with_context(|| format!("cannot write {}", out.display()))?;
    if let Some(p) = args.get("diagnostics") {
        let s = diagnostics_to_csv(&analysis.diagnostics);
        std::fs::write(p, s).with_context(|| format!("cannot write {p}"))?;
    }

    let s = &analysis.summary;
    println!(
        "{} pairs in {} incidents ({} incidents in the extract)",
        analysis.pairs.len(),
        s.incidents_with_pairs,
        s.incidents_total
    );
    println!("{:<26} {:>8} {:>10}", "class", "pairs", "incidents");
    for c in &s.by_class {
        println!("{:<26} {:>8} {:>10}", c.class.as_str(), c.pairs, c.incidents);
    }
    let known = [RelClass::KnownNonFamily, RelClass::Stranger];
    let known_pairs: u64 = known.iter().map(|c| s.class(*c).pairs).sum();
    println!(
        "{:<26} {:>8} {:>10}",
        "known_non_family+stranger",
        known_pairs,
        incidents_in_classes(&analysis.pairs, &known)
    );
    println!(
        "mixed intimate-partner and other-family incidents: {}",
        s.mixed_ipv_family_incidents
    );
    println!(
        "victim-was-offender pairs: {}; domestic-violence circumstance pairs: {}",
        s.victim_was_offender_pairs, s.dv_circumstance_pairs
    );
    println!("wrote {} rows to {}", analysis.pairs.len(), out.display());

    let count = |sev| analysis.diagnostics.iter().filter(|d| d.severity == sev).count();
    eprintln!(
        "diagnostics: {} ({} errors, {} warnings, {} notes)",
        analysis.diagnostics.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    // Errors and warnings first: the notes (files the extract profile does not read) follow.
    let mut shown: Vec<&ipvi_core::diag::Diagnostic> = analysis.diagnostics.iter().collect();
    shown.sort_by_key(|d| match d.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    for d in shown.into_iter().take(SHOWN_DIAGNOSTICS) {
        eprintln!("  {d}");
    }
    if analysis.diagnostics.len() > SHOWN_DIAGNOSTICS {
        eprintln!(
            "  ... {} more (write them all with --diagnostics <FILE.csv>)",
            analysis.diagnostics.len() - SHOWN_DIAGNOSTICS
        );
    }
    for f in &analysis.files {
        if f.rows_rejected > 0 {
            eprintln!(
                "  {}: {} rows read, {} used, {} rejected",
                f.file, f.rows_read, f.rows_used, f.rows_rejected
            );
        }
    }
    eprintln!(
        "elapsed: {:.3} s (reading and importing the files {:.3} s, classification {:.3} s, total with writing)",
        started.elapsed().as_secs_f64(),
        read_time.as_secs_f64(),
        analyze_time.as_secs_f64()
    );
    Ok(())
}

/// A file's name without its folder, lower-cased (as profiles' file hints are written).
fn base_name(file: &str) -> String {
    file.rsplit(['/', '\\']).next().unwrap_or(file).to_ascii_lowercase()
}

/// Fail unless the files are an FBI extract: the built-in extract profile must find every table
/// it requires. The error names the folder, its files, and what the profile's match report says
/// is missing, with any file that could not be read as a table.
fn check_extract(
    dir: &Path,
    names: &[String],
    tables: &[Table],
    read_diags: &[Diagnostic],
    profile: &Profile,
) -> Result<()> {
    let report = profile.match_tables(tables);
    if report.missing.is_empty() {
        return Ok(());
    }
    // A file named as the profile expects but lacking columns: say so first, by its name.
    let found: Vec<&str> = report
        .assigned
        .iter()
        .filter_map(|&(pi, _)| profile.tables.get(pi).map(|t| t.name.as_str()))
        .collect();
    let mut lacking: Vec<(String, Vec<String>)> = Vec::new();
    for tp in profile
        .tables
        .iter()
        .filter(|t| t.required && !found.contains(&t.name.as_str()))
    {
        for t in tables.iter().filter(|t| base_name(&t.file) == tp.file_hint) {
            let heads: Vec<String> = t.headers.iter().map(|h| normalize_header(h)).collect();
            let lacks: Vec<String> = tp.needed_headers().into_iter().filter(|h| !heads.contains(h)).collect();
            match lacking.iter_mut().find(|(f, _)| *f == t.label()) {
                Some(e) if e.1.len() <= lacks.len() => {}
                Some(e) => e.1 = lacks,
                None => lacking.push((t.label(), lacks)),
            }
        }
    }
    let named = lacking.into_iter().map(|(file, lacks)| match lacks.as_slice() {
        [one] => format!("{file} has no {one} column"),
        _ => format!("{file} has no columns {}", lacks.join(", ")),
    });
    let why: Vec<String> = read_diags
        .iter()
        .map(|d| d.to_string())
        .chain(named)
        .chain(report.missing)
        .collect();
    bail!(
        "{} is not an FBI NIBRS extract (files: {}):\n  {}\n(read other exports with --profile, or with `ipvi analyze`)",
        dir.display(),
        names.join(", "),
        why.join("\n  ")
    )
}

/// The prefix the profile puts before the record ids of one side of its pairs (the built-in
/// extract profile prefixes `V` and `O` to keep victims and offenders apart), so the pairs CSV
/// shows the ids as in the files.
fn id_prefix(profile: &Profile, side: Side) -> String {
    profile
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Pairs)
        .flat_map(|t| &t.columns)
        .find(|c| c.target.field == Field::RecordId && c.target.side == side)
        .map(|c| c.prefix.clone())
        .unwrap_or_default()
}

/// Remove `prefix` from the start of `id` when it is there.
fn strip(id: &mut String, prefix: &str) {
    if !prefix.is_empty() && id.starts_with(prefix) {
        id.drain(..prefix.len());
    }
}
