//! `ipvi classify --nibrs <DIR> --out <FILE.csv>`: classify the victim–offender pairs of an FBI
//! Crime Data Explorer NIBRS extract.
//!
//! Reads every `*.csv` in DIR (the command does the IO; the core does not), runs
//! [`ipvi_core::nibrs::analyze_extract`], writes one CSV row per victim–offender relationship
//! row (`incident_id,victim_id,offender_id,relationship_code,class`), prints the totals by class
//! to stdout, and the diagnostics and elapsed time to stderr.
//!
//! Options: `--codes <TABLE.json>` uses a saved code table instead of the defaults;
//! `--household-outside-family` counts CF, FP and FC as known non-family;
//! `--diagnostics <FILE.csv>` writes every diagnostic to a CSV file.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::classify::CodeTable;
use ipvi_core::diag::Severity;
use ipvi_core::export::diagnostics_to_csv;
use ipvi_core::input::InputFile;
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::{analyze_extract, incidents_in_classes, pairs_to_csv};
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
    --diagnostics <FILE.csv>      write every problem found in the input to a CSV file
";

/// How many diagnostics are printed to stderr; the rest are counted (use --diagnostics for all).
const SHOWN_DIAGNOSTICS: usize = 10;

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(
        argv,
        &["nibrs", "out", "codes", "diagnostics"],
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
            let json = std::fs::read_to_string(p).with_context(|| format!("cannot read the code table {p}"))?;
            CodeTable::from_json(&json).with_context(|| format!("code table {p}"))?
        }
        None => CodeTable::nibrs_default(),
    };
    if args.flag("household-outside-family") {
        table.set_household_family_as_family(false);
    }

    let files = read_csv_files(dir)?;
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let read_time = started.elapsed();
    let analysis = analyze_extract(&inputs, &table, &mut |_| true).with_context(|| format!("{}", dir.display()))?;
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
    for d in analysis.diagnostics.iter().take(SHOWN_DIAGNOSTICS) {
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
        "elapsed: {:.3} s (reading files {:.3} s, import and classification {:.3} s, total with writing)",
        started.elapsed().as_secs_f64(),
        read_time.as_secs_f64(),
        analyze_time.as_secs_f64()
    );
    Ok(())
}

/// Every `*.csv` file directly in `dir` (case-insensitive extension), as (file name, bytes), sorted by name.
fn read_csv_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let mut files = Vec::new();
    for e in entries {
        let path = e.with_context(|| format!("cannot list {}", dir.display()))?.path();
        let is_csv = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        if !is_csv || !path.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        files.push((name, bytes));
    }
    if files.is_empty() {
        bail!(
            "no .csv files in {}: point --nibrs at the folder holding the extract's CSV files",
            dir.display()
        );
    }
    files.sort();
    Ok(files)
}
