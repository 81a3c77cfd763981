//! `ipvi audit <FILE|DIR>... [--profile <P>] --json <OUT>`: load any agency's export through the
//! generic import and audit its data quality.
//!
//! Reads every file given (a folder: every `.csv`, `.tsv`, `.txt`, `.xlsx`, `.xls` and `.ods` in
//! it, not its subfolders), picks the profile (the one given, else a built-in profile that
//! matches, else the proposed mapping, which it prints so the analyst can check it), imports,
//! audits, writes the audit as JSON, and prints a readable summary — through the same
//! [`super::common`] functions as every command that reads an export. The command does the IO;
//! the core does not.

use super::common::{import_paths, read_profile};
use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::classify::CodeTable;
use ipvi_core::import::{self as core_import, audit::AuditThresholds};
use std::time::Instant;

const HELP: &str = "\
ipvi audit — load an agency's export (CSV or XLSX, any layout) and audit its data quality

USAGE:
    ipvi audit <FILE|DIR>... --json <OUT.json> [OPTIONS]

OPTIONS:
    --json <OUT.json>            where to write the audit (rows_read, rows_rejected, pairs_by_class,
                                 usable_relationship_share, breakdowns by agency and year, verdict)
    --profile <P.json>           an import profile saved from the app (default: a built-in profile
                                 that matches the files, else the proposed mapping)
    --save-profile <P.json>      write the profile used (no personal data) to reuse it next time
    --codes <TABLE.json>         a relationship code table saved from the app (default: NIBRS)
    --rejected <FILE.csv>        write the rejected rows (file, row, reason, cells)
    --diagnostics <FILE.csv>     write every problem found
    --threads <N>                with 2 or more, parse each CSV file on a thread of its own ahead of
                                 the import (default: the processors available; 1: one thread; the
                                 output is the same for any N)
";

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(
        argv,
        &[
            "json",
            "profile",
            "save-profile",
            "codes",
            "rejected",
            "diagnostics",
            "threads",
        ],
        &["help"],
    )?;
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    if args.positional.is_empty() {
        bail!("no file given\n\n{HELP}");
    }
    let json_out = args.required("json")?;
    let threads = crate::threads::Threads::from_args(&args)?;
    let started = Instant::now();
    let profile = read_profile(args.get("profile"))?;
    let codes = match args.get("codes") {
        Some(p) => {
            let json = crate::io::read_text(p, "the code table")?;
            CodeTable::from_json(&json).with_context(|| format!("code table {p}"))?
        }
        None => CodeTable::nibrs_default(),
    };
    let (outcome, choice, total) = import_paths(&args.positional, profile.as_ref(), None, threads)?;
    let import_time = started.elapsed();
    let audit = core_import::audit(&outcome, choice.profile(), &codes, &AuditThresholds::default());
    let json = serde_json::to_string_pretty(&audit).context("audit as JSON")?;
    std::fs::write(json_out, json).with_context(|| format!("cannot write {json_out}"))?;
    if let Some(p) = args.get("save-profile") {
        std::fs::write(p, choice.profile().to_json()).with_context(|| format!("cannot write {p}"))?;
    }
    if let Some(p) = args.get("rejected") {
        std::fs::write(p, core_import::rejected_to_csv(&outcome.rejected))
            .with_context(|| format!("cannot write {p}"))?;
    }
    if let Some(p) = args.get("diagnostics") {
        crate::io::write_diagnostics(p, &outcome.diagnostics)?;
    }
    print!("{}", audit.summary_text());
    let shown = outcome.diagnostics.len().min(10);
    for d in &outcome.diagnostics[..shown] {
        eprintln!("{d}");
    }
    if outcome.diagnostics.len() > shown {
        eprintln!(
            "... and {} more problems (use --diagnostics <FILE.csv> for all)",
            outcome.diagnostics.len() - shown
        );
    }
    let all = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "{:.1} MB read, parsed and imported in {:.2} s; {:.2} s in all with the audit ({:.0} MB/s end to end)",
        total as f64 / 1_048_576.0,
        import_time.as_secs_f64(),
        all,
        total as f64 / 1_048_576.0 / all
    );
    Ok(())
}
