//! `ipvi`: the IPVI Analyzer core on the command line, for batch work, CI and benchmarks.
//!
//! Each subcommand lives in its own module under `cmd/` and parses its own arguments with the
//! small parser in [`args`]. Errors are reported with `anyhow` here, at the edge; the core
//! returns typed errors and diagnostics.

mod args;
mod cmd;
mod io;
mod threads;

use std::process::ExitCode;

const USAGE: &str = "\
ipvi — IPVI Analyzer on the command line (all processing is local)

USAGE:
    ipvi <COMMAND> [OPTIONS]

COMMANDS:
    classify   Classify NIBRS victim–offender pairs: ipvi classify --nibrs <DIR> --out <FILE.csv>
    synth      Generate a synthetic jurisdiction: ipvi synth --seed <S> --population <N> --years <Y> --out <DIR>
    classify-text  Classify relationship text or narratives: ipvi classify-text --kind relationship|narrative
               --in <FILE.csv> --column <NAME> --out <FILE.csv>
    score-text     Score the text classifier on a labelled set: ipvi score-text --kind relationship|narrative
               --in <LABELLED.csv> [--errors]
    link       Link person records into people: ipvi link <FILE.csv> --id <COL> --map first_name=<COL> … --out <FILE.csv>
    bench-link Benchmark linkage on generated records: ipvi bench-link --records <N> --seed <S>
               [--records-out <FILE.csv>] [--threads <N>]; or on a synthetic jurisdiction's person records:
               ipvi bench-link --synthetic-population <N> [--years <Y>] --seed <S> [--records-out <FILE.csv>]
    bench-import   Benchmark the generic import: ipvi bench-import [<FILE|DIR>...] [--population <N> --years <Y>]
    bench-text     Benchmark the text classifier: ipvi bench-text [--count <N>] [--seed <S>]
    audit      Load any agency's export and audit its data quality: ipvi audit <FILE|DIR>... [--profile <P>]
               --json <OUT.json>
    evaluate   Evaluate notifications: ipvi evaluate <DIR> --notifications <FILE> --start <DATE> --json <OUT>
               [--outcome incident|arrest] [--as-of <DATE>] [--truth-ids]
    analyze    Classify, link, score and list IPV offenders: ipvi analyze <DIR> [--as-of <DATE>] --out <DIR>
    report     The problem-analysis report (shareable by default): ipvi report <DIR> --out <FILE.html>
    advocates  The victim-outreach list for advocates only: ipvi advocates <DIR> [--profile <P>] [--as-of <DATE>]
               [--notifications <FILE>] --out <FILE.csv|.xlsx>
    cycle      The month's cycle and meeting agenda: ipvi cycle <DIR> --as-of <DATE> [--profile <P>]
               [--notifications <FILE>] [--rules <R>] [--due <F>] --out <DIR>
    bench-rank Validate the ranking against a synthetic follow-up: ipvi bench-rank [--seed S | --seeds S1,S2,...]
               [--population N] [--years Y] [--score-weights FILE.csv] [--json OUT]
    help       Print this text

Run `ipvi <COMMAND> --help` for a command's options.
";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = argv.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "classify" => cmd::classify::run(rest),
        "synth" => cmd::synth::run(rest),
        "analyze" => cmd::analyze::run(rest),
        "report" => cmd::report::run(rest),
        "advocates" => cmd::advocates::run(rest),
        "cycle" => cmd::cycle::run(rest),
        "bench-rank" => cmd::bench_rank::run(rest),
        "classify-text" => cmd::classify_text::run(rest),
        "score-text" => cmd::classify_text::run_score(rest),
        "link" => cmd::link::run(rest),
        "bench-link" => cmd::bench_link::run(rest),
        "bench-import" => cmd::bench_import::run(rest),
        "bench-text" => cmd::bench_import::run_text(rest),
        "audit" => cmd::audit::run(rest),
        "evaluate" => cmd::evaluate::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        "--version" | "-V" => {
            println!("ipvi {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        other => {
            eprintln!("ipvi: unknown command {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ipvi {command}: {e:#}");
            ExitCode::FAILURE
        }
    }
}
