//! `ipvi bench-link --records N --seed S [--records-out FILE.csv] [--threads N]`: generate noisy person records
//! with known truth, link them, and print time, pairs compared, precision/recall/F1 and peak
//! memory. `--records-out` writes the same records (the normalised columns a Splink model reads,
//! as `ipvi link --features-out` writes them) with `true_id` and `trap` columns, so another tool
//! can be judged on exactly the same data (bench/splink); with `--synthetic-population` it writes
//! the synthetic jurisdiction's person records the same way.

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
    let args = Args::parse(
        argv,
        &[
            "records",
            "seed",
            "synthetic-population",
            "years",
            "records-out",
            "threads",
        ],
        &[],
    )?;
    let threads = crate::threads::Threads::from_args(&args)?;
    if let Some(n) = args.get("synthetic-population") {
        let n: u32 = n.parse().context("--synthetic-population: expected a number")?;
        let years: u32 = args
            .get("years")
            .unwrap_or("5")
            .parse()
            .context("--years: expected a number")?;
        let seed: u64 = args
            .get("seed")
            .unwrap_or("1")
            .parse()
            .context("--seed: expected a number")?;
        return synthetic(n, years, seed, args.get("records-out"), &threads);
    }
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
    let out = linkage::link_with(
        &[],
        &g.records,
        &LinkSettings::default(),
        &Decisions::default(),
        &threads,
        &mut |_, _| true,
    )?;
    let t_link = t1.elapsed();
    let s = linkage::pairwise_scores(&out.person_ids, &g.truth);
    println!("records            {}", g.records.len());
    println!("generate           {:.2} s", t_gen.as_secs_f64());
    println!(
        "link               {:.2} s ({} threads)",
        t_link.as_secs_f64(),
        threads.0
    );
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
    if let Some(path) = args.get("records-out") {
        write_records(path, &out, &g)?;
    }
    Ok(())
}

/// Write the generated records as the normalised feature columns plus `true_id` and `trap`.
fn write_records(path: &str, out: &linkage::LinkOutput, g: &synth::Generated) -> Result<()> {
    let traps: Vec<&str> = g
        .trap
        .iter()
        .map(|t| match t {
            synth::Trap::None => "none",
            synth::Trap::Generation => "generation",
            synth::Trap::Twin => "twin",
        })
        .collect();
    let truth: Vec<String> = g.truth.iter().map(u64::to_string).collect();
    write_features(path, out, &truth, &traps)
}

/// Write the normalised feature columns of linked records plus `true_id` and `trap`
/// (`none`, `generation`, `twin` or `generation+twin`).
fn write_features(path: &str, out: &linkage::LinkOutput, truth: &[String], traps: &[&str]) -> Result<()> {
    let nick = linkage::names::Nicknames::default_table();
    let (mut header, rows) = linkage::splink::features_table(&out.features, &out.record_ids, &nick);
    header.extend(["true_id".to_string(), "trap".to_string()]);
    let mut w = csv::Writer::from_path(path).with_context(|| format!("cannot write {path}"))?;
    w.write_record(&header)?;
    for (i, mut row) in rows.into_iter().enumerate() {
        row.push(truth.get(i).cloned().unwrap_or_default());
        row.push(traps.get(i).copied().unwrap_or("none").to_string());
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Link the person records of a synthetic jurisdiction and judge them against its truth, with
/// the father/son (Jr/Sr) and twin people counted separately.
fn synthetic(
    population: u32,
    years: u32,
    seed: u64,
    records_out: Option<&str>,
    threads: &crate::threads::Threads,
) -> Result<()> {
    use ipvi_core::synth::{generate_export, SynthConfig};
    use std::collections::{HashMap, HashSet};
    let cfg = SynthConfig {
        seed,
        population,
        years,
        ..SynthConfig::default()
    };
    let (files, _) = generate_export(&cfg, &mut |_| true).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let exported: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .cloned()
        .collect();
    let data = super::common::import(&exported, None)?.0.dataset;
    let table = |name: &str| -> Result<Vec<csv::StringRecord>> {
        let (_, b) = files
            .iter()
            .find(|(n, _)| n.ends_with(name))
            .with_context(|| format!("no {name}"))?;
        Ok(csv::Reader::from_reader(b.as_slice())
            .records()
            .collect::<Result<_, _>>()?)
    };
    let truth_of: HashMap<String, String> = table("truth/person_records.csv")?
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    // person_id,first_name,middle_name,last_name,birth_last_name,suffix,dob,sex,race,twin,mother_id,father_id,...
    let people = table("truth/people.csv")?;
    let name_of: HashMap<&str, (&str, &str)> = people.iter().map(|r| (&r[0], (&r[1], &r[3]))).collect();
    let mut jr_sr: HashSet<String> = HashSet::new();
    let mut twins: HashSet<String> = HashSet::new();
    for r in &people {
        if &r[9] == "Y" {
            twins.insert(r[0].to_string());
        }
        if !r[5].is_empty() {
            jr_sr.insert(r[0].to_string());
        }
        if let Some(&(f_first, f_last)) = name_of.get(&r[11]) {
            if f_first == &r[1] && f_last == &r[3] {
                jr_sr.insert(r[0].to_string());
                jr_sr.insert(r[11].to_string());
            }
        }
    }
    let records = ipvi_core::pipeline::link_records(&data);
    let t0 = Instant::now();
    let out = linkage::link_with(
        &[],
        &records,
        &LinkSettings::default(),
        &Decisions::default(),
        threads,
        &mut |_, _| true,
    )?;
    let elapsed = t0.elapsed();
    let truth: Vec<String> = data
        .involvements
        .iter()
        .map(|i| truth_of.get(i.record_id).cloned().unwrap_or_default())
        .collect();
    let s = linkage::pairwise_scores(&out.person_ids, &truth);
    println!(
        "synthetic jurisdiction: {} people, {years} years, seed {seed}: {} person records, linked in {:.2} s",
        population,
        records.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "all records: precision {:.4} recall {:.4} F1 {:.4} ({} true pairs)",
        s.precision, s.recall, s.f1, s.true_pairs
    );
    if let Some(path) = records_out {
        let traps: Vec<&str> = truth
            .iter()
            .map(|t| match (jr_sr.contains(t), twins.contains(t)) {
                (true, true) => "generation+twin",
                (true, false) => "generation",
                (false, true) => "twin",
                (false, false) => "none",
            })
            .collect();
        write_features(path, &out, &truth, &traps)?;
    }
    for (label, set) in [("Jr/Sr father and son", &jr_sr), ("twins", &twins)] {
        let idx: Vec<usize> = (0..truth.len()).filter(|&i| set.contains(&truth[i])).collect();
        let pred: Vec<u64> = idx.iter().map(|&i| out.person_ids[i]).collect();
        let t: Vec<&String> = idx.iter().map(|&i| &truth[i]).collect();
        let ts = linkage::pairwise_scores(&pred, &t);
        println!(
            "{label} records: {} — precision {:.4} recall {:.4} F1 {:.4} ({} true pairs)",
            idx.len(),
            ts.precision,
            ts.recall,
            ts.f1,
            ts.true_pairs
        );
    }
    Ok(())
}
