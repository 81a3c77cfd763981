//! `ipvi bench-link --records N --seed S`: generate noisy person records with known truth, link
//! them, and print time, pairs compared, precision/recall/F1 and peak memory.

use crate::args::Args;
use anyhow::{Context, Result};
use ipvi_core::linkage::{self, synth, Decisions, LinkSettings};
use std::time::Instant;

/// Peak resident memory of this process in MiB (Linux only).
fn peak_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run `ipvi bench-link`.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(argv, &["records", "seed"], &[])?;
    let n: usize = args
        .get("records")
        .unwrap_or("100000")
        .parse()
        .context("--records: expected a number")?;
    let seed: u64 = args
        .get("seed")
        .unwrap_or("1")
        .parse()
        .context("--seed: expected a number")?;
    let t0 = Instant::now();
    let g = synth::noisy_people(n, seed);
    let t_gen = t0.elapsed();
    let t1 = Instant::now();
    let out = linkage::link(&g.records, &LinkSettings::default(), &Decisions::default())?;
    let t_link = t1.elapsed();
    let s = linkage::pairwise_scores(&out.person_ids, &g.truth);
    println!("records            {}", g.records.len());
    println!("generate           {:.2} s", t_gen.as_secs_f64());
    println!("link               {:.2} s", t_link.as_secs_f64());
    println!(
        "pairs compared     {} (per rule {:?})",
        out.stats.pairs_compared, out.stats.pairs_per_rule
    );
    println!(
        "u pairs / EM pairs {} / {} ({} EM iterations)",
        out.stats.u_pairs, out.stats.em_pairs, out.stats.em_iterations
    );
    println!("edges kept         {}", out.stats.edges);
    println!("people             {} (true {})", out.stats.persons, {
        let mut t = g.truth.clone();
        t.dedup();
        t.len()
    });
    println!("lambda             {:.3e}", out.stats.lambda);
    println!("precision          {:.5}", s.precision);
    println!("recall             {:.5}", s.recall);
    println!("F1                 {:.5}", s.f1);
    for trap in [synth::Trap::Generation, synth::Trap::Twin] {
        // Pairs within trap families: wrongly merged (different true person, same predicted).
        let idx: Vec<usize> = (0..g.records.len()).filter(|&i| g.trap[i] == trap).collect();
        let pred: Vec<u64> = idx.iter().map(|&i| out.person_ids[i]).collect();
        let truth: Vec<u64> = idx.iter().map(|&i| g.truth[i]).collect();
        let ts = linkage::pairwise_scores(&pred, &truth);
        println!(
            "{trap:?} records: {} — precision {:.4} recall {:.4} F1 {:.4}",
            idx.len(),
            ts.precision,
            ts.recall,
            ts.f1
        );
    }
    for d in &out.diagnostics {
        println!("note: {}", d.message);
    }
    if let Some(m) = peak_mib() {
        println!("peak memory        {m:.0} MiB");
    }
    Ok(())
}
