//! `ipvi bench-import` and `ipvi bench-text`: throughput of the generic import and of the text
//! classifier, the native rows of `scripts/bench.sh`. The browser runs the same steps on the same
//! generated data (`ipvi_bench("import" | "text", ...)` in the app's `src/bench.rs`).
//!
//! `bench-import` times the generic path in its stages, best of `--runs`: reading the files into
//! tables (`read_tables`: encoding, separator, header, CSV parsing), choosing the profile
//! (`choose_profile`), and applying it (`import_tables`: the dataset, diagnostics, rejected rows).
//! The input is the files given (a folder: its `.csv` files), or a synthetic export generated in
//! memory (`--population`, `--years`, `--seed`). MB/s are of the files' bytes (1 MB = 2^20 bytes).

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::import::{self, ProfileChoice};
use ipvi_core::input::InputFile;
use ipvi_core::synth::{generate_export, texts::sample_texts, SynthConfig};
use ipvi_core::textclass;
use std::time::Instant;

const HELP: &str = "\
ipvi bench-import — throughput of the generic import (read_tables + choose_profile + import_tables)

USAGE:
    ipvi bench-import <FILE|DIR>... [--runs R]
    ipvi bench-import [--population N] [--years Y] [--seed S] [--runs R]   (a synthetic export in memory)
";

const HELP_TEXT: &str = "\
ipvi bench-text — throughput of the text classifier on generated relationship texts and narratives

USAGE:
    ipvi bench-text [--count N] [--seed S] [--runs R]
";

/// A point in time: the wall clock and this thread's time on a CPU (`/proc/thread-self/schedstat`,
/// Linux; zero elsewhere). On a shared machine the CPU time is the steadier measure.
#[derive(Clone, Copy)]
struct Clock {
    wall: Instant,
    cpu_ns: u64,
}

impl Clock {
    fn now() -> Clock {
        let cpu_ns = std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
            .unwrap_or(0);
        Clock {
            wall: Instant::now(),
            cpu_ns,
        }
    }

    /// (wall seconds, CPU seconds) since `earlier`.
    fn since(self, earlier: Clock) -> (f64, f64) {
        (
            (self.wall - earlier.wall).as_secs_f64(),
            self.cpu_ns.saturating_sub(earlier.cpu_ns) as f64 / 1e9,
        )
    }
}

/// The best (smallest) wall and CPU times seen.
#[derive(Clone, Copy)]
struct Best(f64, f64);

impl Best {
    fn new() -> Best {
        Best(f64::MAX, f64::MAX)
    }
    fn add(&mut self, (wall, cpu): (f64, f64)) {
        self.0 = self.0.min(wall);
        self.1 = self.1.min(cpu);
    }
    /// `0.123 s wall (0.100 s CPU)` and, with `mb`, the MB/s of both.
    fn show(&self, mb: Option<f64>) -> String {
        match mb {
            Some(mb) => format!(
                "{:.3} s wall = {:.1} MB/s; {:.3} s CPU = {:.1} MB/s",
                self.0,
                mb / self.0,
                self.1,
                mb / self.1.max(1e-9)
            ),
            None => format!("{:.3} s wall; {:.3} s CPU", self.0, self.1),
        }
    }
}

fn number<T: std::str::FromStr>(args: &Args, name: &str, default: T) -> Result<T> {
    match args.get(name) {
        Some(v) => v
            .parse()
            .ok()
            .with_context(|| format!("--{name}: expected a number, got {v:?}")),
        None => Ok(default),
    }
}

/// The files given, collected as every command collects them ([`super::common::input_paths`]),
/// each read whole: the benchmark times parsing apart from reading the disk.
fn read_inputs(paths: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
    super::common::input_paths(paths)?
        .iter()
        .map(|f| Ok((crate::io::file_name(f), crate::io::read_regular(f)?)))
        .collect()
}

/// Run `ipvi bench-import`.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(argv, &["population", "years", "seed", "runs"], &["help"])?;
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    let runs: usize = number(&args, "runs", 3)?;
    let data = if args.positional.is_empty() {
        let cfg = SynthConfig {
            seed: number(&args, "seed", 1)?,
            population: number(&args, "population", 100_000)?,
            years: number(&args, "years", 5)?,
            ..SynthConfig::default()
        };
        let t = Instant::now();
        let (files, _) = generate_export(&cfg, &mut |_| true).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        println!(
            "generated a synthetic export of {} people over {} years in {:.2} s",
            cfg.population,
            cfg.years,
            t.elapsed().as_secs_f64()
        );
        files.into_iter().filter(|(n, _)| !n.contains("truth/")).collect()
    } else {
        read_inputs(&args.positional)?
    };
    if data.is_empty() {
        bail!("no file to read\n\n{HELP}");
    }
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let bytes: usize = data.iter().map(|(_, b)| b.len()).sum();
    let mb = bytes as f64 / 1_048_576.0;
    println!("input              {} files, {bytes} bytes ({mb:.1} MB)", files.len());
    let (mut read_best, mut choose_best, mut import_best, mut total_best) =
        (Best::new(), Best::new(), Best::new(), Best::new());
    let mut summary = String::new();
    let mut heap = String::new();
    for _ in 0..runs.max(1) {
        let t0 = Clock::now();
        let (tables, _) = import::read_tables(&files, None);
        let t1 = Clock::now();
        let choice = import::choose_profile(&tables, None);
        let t2 = Clock::now();
        let out = import::import_tables(&tables, choice.profile())?;
        let t3 = Clock::now();
        read_best.add(t1.since(t0));
        choose_best.add(t2.since(t1));
        import_best.add(t3.since(t2));
        total_best.add(t3.since(t0));
        let how = match &choice {
            ProfileChoice::Given(_) => "given",
            ProfileChoice::Builtin(_) => "built-in",
            ProfileChoice::Proposed(..) => "proposed",
        };
        summary = format!(
            "profile            {} ({how})\nrows               {} read, {} rejected; {} incidents, {} involvements, {} pairs, {} offences, {} diagnostics",
            choice.profile().name,
            out.files.iter().map(|f| f.rows_read).sum::<u64>(),
            out.files.iter().map(|f| f.rows_rejected).sum::<u64>(),
            out.dataset.incidents.len(),
            out.dataset.involvements.len(),
            out.dataset.pairs.len(),
            out.dataset.offenses.len(),
            out.diagnostics.len()
        );
        heap = heap_line(&out.dataset);
    }
    println!("{summary}");
    println!("{heap}");
    println!("best of {runs} runs:");
    println!("read_tables        {}", read_best.show(Some(mb)));
    println!("choose_profile     {}", choose_best.show(None));
    println!("import_tables      {}", import_best.show(Some(mb)));
    println!("whole import       {}", total_best.show(Some(mb)));
    Ok(())
}

/// The heap each table of the dataset holds, and what the offences' and pairs' own pools spend
/// on the ids that another table holds too (the cost of one pool per table).
fn heap_line(ds: &ipvi_core::model::Dataset) -> String {
    use std::collections::HashSet;
    use std::mem::size_of;
    let mb = |b: usize| b as f64 / 1_048_576.0;
    // Each distinct id in a pool: its bytes, its end (a usize) and an index slot (4 bytes and a
    // control byte).
    let cost = |ids: &HashSet<&str>| ids.iter().map(|s| s.len() + size_of::<usize>() + 5).sum::<usize>();
    let offence_ids: HashSet<&str> = ds.offenses.iter().map(|o| o.incident_id).collect();
    let pair_ids: HashSet<&str> = ds.pairs.iter().map(|p| p.incident_id).collect();
    format!(
        "heap               persons {:.1} MB, offences {:.1} MB, incidents {:.1} MB, pairs {:.1} MB; \
         ids held again: {} incident ids in the offences' pool ({:.1} MB), {} incident ids in the \
         pairs' pool ({:.1} MB)",
        mb(ds.involvements.heap_bytes()),
        mb(ds.offenses.heap_bytes()),
        mb(ds.incidents.heap_bytes()),
        mb(ds.pairs.heap_bytes()),
        offence_ids.len(),
        mb(cost(&offence_ids)),
        pair_ids.len(),
        mb(cost(&pair_ids))
    )
}

/// Run `ipvi bench-text`.
pub fn run_text(argv: &[String]) -> Result<()> {
    let args = Args::parse(argv, &["count", "seed", "runs"], &["help"])?;
    if args.flag("help") {
        print!("{HELP_TEXT}");
        return Ok(());
    }
    let n: usize = number(&args, "count", 20_000)?;
    let seed: u64 = number(&args, "seed", 1)?;
    let runs: usize = number(&args, "runs", 3)?;
    let t = Instant::now();
    let texts = sample_texts(n, seed);
    println!(
        "generated {n} relationship texts and {n} narratives in {:.2} s ({:.1} MB of narrative text)",
        t.elapsed().as_secs_f64(),
        texts.narratives.iter().map(String::len).sum::<usize>() as f64 / 1_048_576.0
    );
    // The lexicon is built once, outside the timing.
    let t = Instant::now();
    textclass::classify_relationship("");
    println!("classifier built in {:.3} s", t.elapsed().as_secs_f64());
    let (mut rel_best, mut nar_best) = (Best::new(), Best::new());
    let mut agree = (0usize, 0usize);
    for _ in 0..runs.max(1) {
        let t = Clock::now();
        let mut a = 0;
        for (s, c) in texts.relationships.iter().zip(&texts.classes) {
            a += usize::from(textclass::classify_relationship(s).class == *c);
        }
        rel_best.add(Clock::now().since(t));
        let t = Clock::now();
        let mut b = 0;
        for (s, c) in texts.narratives.iter().zip(&texts.classes) {
            b += usize::from(textclass::classify_narrative(s).class == *c);
        }
        nar_best.add(Clock::now().since(t));
        agree = (a, b);
    }
    let rate = |b: Best| format!("{:.0}/s wall, {:.0}/s CPU", n as f64 / b.0, n as f64 / b.1.max(1e-9));
    println!("best of {runs} runs:");
    println!(
        "relationships      {n}: {} = {} ({} agree with the generator's class)",
        rel_best.show(None),
        rate(rel_best),
        agree.0
    );
    println!(
        "narratives         {n}: {} = {} ({} agree with the generator's class)",
        nar_best.show(None),
        rate(nar_best),
        agree.1
    );
    Ok(())
}
