//! `ipvi bench-rank [--seed S | --seeds S1,S2,...] [--population N] [--years Y] [--score-weights F] [--json OUT]`
//!
//! Honest validation of the ranking: for each seed, generate a synthetic jurisdiction, run the
//! whole inquiry as of the export's end date (linkage included, no truth used), and judge the
//! ranking of IPV offenders against what they did in the 12 months after, which only `truth/`
//! knows. Reports AUC and precision among the top 1% and 5% for serious IPV (and any IPV)
//! within 12 months, for our score and two baselines (the count of prior IPV incidents; plain
//! recency-frequency), per seed and the mean over seeds. Every method is judged by the same
//! code (`ipvi_core::offenders::validate`), ties included. docs/ranking.md has the method.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::offenders::outputs::Offender;
use ipvi_core::offenders::score::RfgvConfig;
use ipvi_core::offenders::validate::{follow_up, judge, Judged, Method};
use ipvi_core::pipeline::{run as run_pipeline, Kept, PipelineConfig};
use ipvi_core::synth::{calibration, export, generate, SynthConfig};
use serde_json::json;
use std::collections::HashMap;
use std::time::Instant;

/// The follow-up horizon in days.
const HORIZON_DAYS: i32 = 365;

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> Result<&'a [u8]> {
    files
        .iter()
        .find(|(n, _)| n.ends_with(name))
        .map(|(_, b)| b.as_slice())
        .with_context(|| format!("the export has no {name}"))
}

/// One seed's results.
struct SeedResult {
    seed: u64,
    offenders: usize,
    serious: usize,
    any: usize,
    serious_judged: Vec<Judged>,
    any_judged: Vec<Judged>,
    /// The offenders themselves (for the pooled judgement) and their outcomes.
    ranked: Vec<Offender>,
    y_serious: Vec<bool>,
    y_any: Vec<bool>,
}

fn run_seed(seed: u64, population: u32, years: u32, weights: &RfgvConfig) -> Result<SeedResult> {
    let cfg = SynthConfig {
        seed,
        population,
        years,
        ..SynthConfig::default()
    };
    let t0 = Instant::now();
    let j = generate(&cfg, &mut |_| true).map_err(|_| anyhow::anyhow!("cancelled"))?;
    let files = export::export(&j, &calibration::calibrate(&j)).context("export")?;
    let exported: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .cloned()
        .collect();
    let data = super::common::import(&exported, None)?.0.dataset;
    let t_gen = t0.elapsed();
    let mut pipe_cfg = PipelineConfig {
        as_of: Some(j.export_end),
        ..PipelineConfig::default()
    };
    pipe_cfg.offenders.rfgv = weights.clone();
    let result = run_pipeline(&data, &pipe_cfg, &Kept::default(), &[], &mut |_, _| true)?;
    let t_run = t0.elapsed() - t_gen;

    // Our person → the true person most of their records belong to.
    let mut truth_of_record: HashMap<String, String> = HashMap::new();
    for r in csv::Reader::from_reader(file(&files, "truth/person_records.csv")?).records() {
        let r = r.context("truth/person_records.csv")?;
        truth_of_record.insert(r[0].to_string(), r[1].to_string());
    }
    let mut votes: HashMap<u32, HashMap<&str, u32>> = HashMap::new();
    for (inv, &p) in data.involvements.iter().zip(&result.person_of) {
        if let Some(t) = truth_of_record.get(inv.record_id) {
            *votes.entry(p).or_default().entry(t.as_str()).or_default() += 1;
        }
    }
    let truth_person = |p: u32| -> Option<&str> {
        votes
            .get(&p)
            .and_then(|v| v.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(k, _)| *k))
    };
    let fu = follow_up(file(&files, "truth/followup_offenses.csv")?, j.export_end, HORIZON_DAYS);
    if let Some((row, why)) = fu.bad_rows.first() {
        bail!("truth/followup_offenses.csv, row {row}: {why}");
    }
    let offenders = &result.report.offenders;
    if offenders.len() < 20 {
        bail!("only {} IPV offenders: use a larger --population", offenders.len());
    }
    let outcome = |m: &std::collections::HashSet<String>| -> Vec<bool> {
        offenders
            .iter()
            .map(|o| truth_person(o.info.person).is_some_and(|t| m.contains(t)))
            .collect()
    };
    let (y_serious, y_any) = (outcome(&fu.serious_ipv), outcome(&fu.any_ipv));
    eprintln!(
        "bench-rank seed {seed}: generate {:.1} s, inquiry {:.1} s",
        t_gen.as_secs_f64(),
        t_run.as_secs_f64()
    );
    Ok(SeedResult {
        seed,
        offenders: offenders.len(),
        serious: y_serious.iter().filter(|&&x| x).count(),
        any: y_any.iter().filter(|&&x| x).count(),
        serious_judged: judge(offenders, &y_serious),
        any_judged: judge(offenders, &y_any),
        ranked: result.report.offenders.clone(),
        y_serious,
        y_any,
    })
}

fn f3(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "—".into())
}

fn row(label: &str, s: &Judged, a: &Judged) -> String {
    format!(
        "{:<24} {:>7} {:>9} {:>9}   {:>7} {:>9} {:>9}",
        label,
        f3(s.auc),
        f3(s.precision_top1),
        f3(s.precision_top5),
        f3(a.auc),
        f3(a.precision_top1),
        f3(a.precision_top5)
    )
}

fn header() -> String {
    format!(
        "{:<24} {:>7} {:>9} {:>9}   {:>7} {:>9} {:>9}\n{:<24} {:>27}   {:>27}",
        "score",
        "AUC",
        "prec@1%",
        "prec@5%",
        "AUC",
        "prec@1%",
        "prec@5%",
        "",
        "serious IPV, 12 months",
        "any IPV, 12 months"
    )
}

/// The mean of each metric over seeds (a metric missing for a seed is left out of its mean).
fn mean(results: &[SeedResult], serious: bool, m: Method) -> Judged {
    let pick = |f: &dyn Fn(&Judged) -> Option<f64>| -> Option<f64> {
        let xs: Vec<f64> = results
            .iter()
            .filter_map(|r| {
                let js = if serious { &r.serious_judged } else { &r.any_judged };
                js.iter().find(|j| j.method == m).and_then(f)
            })
            .collect();
        (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
    };
    Judged {
        method: m,
        auc: pick(&|j| j.auc),
        precision_top1: pick(&|j| j.precision_top1),
        precision_top5: pick(&|j| j.precision_top5),
    }
}

/// Whether ours beats both baselines on all three serious-IPV metrics.
fn ours_beats_both(js: &[Judged]) -> bool {
    let get = |m: Method| js.iter().find(|j| j.method == m);
    let (Some(o), Some(p), Some(r)) = (
        get(Method::Ours),
        get(Method::PriorCount),
        get(Method::RecencyFrequency),
    ) else {
        return false;
    };
    let beats = |f: fn(&Judged) -> Option<f64>| match (f(o), f(p), f(r)) {
        (Some(a), Some(b), Some(c)) => a > b && a > c,
        _ => false,
    };
    beats(|j| j.auc) && beats(|j| j.precision_top1) && beats(|j| j.precision_top5)
}

/// Run `ipvi bench-rank`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(
        argv,
        &["seed", "seeds", "population", "years", "score-weights", "json"],
        &[],
    )?;
    let num = |k: &str, d: u64| -> Result<u64> {
        a.get(k)
            .map(|v| v.parse::<u64>().with_context(|| format!("--{k} {v:?} is not a number")))
            .unwrap_or(Ok(d))
    };
    let seeds: Vec<u64> = match a.get("seeds") {
        Some(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse::<u64>()
                    .with_context(|| format!("--seeds {list:?}: {s:?} is not a number"))
            })
            .collect::<Result<_>>()?,
        None => vec![num("seed", 1)?],
    };
    if seeds.is_empty() {
        bail!("--seeds needs at least one seed");
    }
    let population = num("population", 100_000)? as u32;
    let years = num("years", 5)? as u32;
    let weights = match a.get("score-weights") {
        Some(path) => super::common::read_score_weights(path)?,
        None => RfgvConfig::default(),
    };
    let mut results = Vec::new();
    for &seed in &seeds {
        let r = run_seed(seed, population, years, &weights)?;
        println!(
            "seed {seed}: {} IPV offenders ranked; serious IPV within 12 months: {} ({:.1}%); any IPV: {}",
            r.offenders,
            r.serious,
            100.0 * r.serious as f64 / r.offenders as f64,
            r.any
        );
        println!("{}", header());
        for (s, an) in r.serious_judged.iter().zip(&r.any_judged) {
            println!("{}", row(s.method.label(), s, an));
        }
        println!(
            "ours beats both baselines on AUC, prec@1% and prec@5% (serious IPV): {}\n",
            if ours_beats_both(&r.serious_judged) {
                "yes"
            } else {
                "NO"
            }
        );
        results.push(r);
    }
    let means: Vec<(Judged, Judged)> = Method::ALL
        .iter()
        .map(|&m| (mean(&results, true, m), mean(&results, false, m)))
        .collect();
    if results.len() > 1 {
        println!(
            "mean over seeds {}",
            seeds.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
        );
        println!("{}", header());
        for (s, an) in &means {
            println!("{}", row(s.method.label(), s, an));
        }
        let serious_means: Vec<Judged> = means.iter().map(|(s, _)| s.clone()).collect();
        println!(
            "ours beats both baselines on the means: {}; on each seed: {} of {}\n",
            if ours_beats_both(&serious_means) { "yes" } else { "NO" },
            results.iter().filter(|r| ours_beats_both(&r.serious_judged)).count(),
            results.len()
        );
    }
    // Every seed's offenders ranked together (all three scores are on absolute scales): the top
    // 1% then holds a few dozen people instead of a dozen, so it is less noisy.
    let pooled_offenders: Vec<Offender> = results.iter().flat_map(|r| r.ranked.iter().cloned()).collect();
    let pooled_serious: Vec<bool> = results.iter().flat_map(|r| r.y_serious.iter().copied()).collect();
    let pooled_any: Vec<bool> = results.iter().flat_map(|r| r.y_any.iter().copied()).collect();
    let pooled = (
        judge(&pooled_offenders, &pooled_serious),
        judge(&pooled_offenders, &pooled_any),
    );
    if results.len() > 1 {
        println!(
            "pooled: {} offenders of every seed ranked together; serious IPV within 12 months: {}",
            pooled_offenders.len(),
            pooled_serious.iter().filter(|&&x| x).count()
        );
        println!("{}", header());
        for (s, an) in pooled.0.iter().zip(&pooled.1) {
            println!("{}", row(s.method.label(), s, an));
        }
        println!(
            "ours beats both baselines pooled: {}",
            if ours_beats_both(&pooled.0) { "yes" } else { "NO" }
        );
    }
    if let Some(path) = a.get("json") {
        let per_seed: Vec<_> = results
            .iter()
            .map(|r| {
                json!({"seed": r.seed, "offenders": r.offenders, "serious_ipv_12m": r.serious, "any_ipv_12m": r.any,
                       "serious": r.serious_judged, "any": r.any_judged, "ours_beats_both": ours_beats_both(&r.serious_judged)})
            })
            .collect();
        let out = json!({
            "population": population, "years": years, "horizon_days": HORIZON_DAYS, "seeds": per_seed,
            "mean": {"serious": means.iter().map(|m| &m.0).collect::<Vec<_>>(), "any": means.iter().map(|m| &m.1).collect::<Vec<_>>()},
            "pooled": {"offenders": pooled_offenders.len(), "serious": pooled.0, "any": pooled.1},
        });
        std::fs::write(path, serde_json::to_string_pretty(&out)?).with_context(|| format!("cannot write {path}"))?;
    }
    Ok(())
}
