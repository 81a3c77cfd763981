//! `ipvi bench-rank [--seed S] [--population N] [--years Y] [--json OUT]`
//!
//! Honest validation of the ranking: generate a synthetic jurisdiction, run the whole inquiry
//! as of the export's last day (linkage included, no truth used), and judge the ranking of IPV
//! offenders against what they did in the follow-up period, which only `truth/` knows. Reports
//! AUC and precision among the top 1% and 5% for serious IPV (and any IPV) within 12 months,
//! for our RFGV score and two baselines: the count of prior IPV incidents, and plain
//! recency-frequency. Ties are broken by person index, never by our own rank.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::offenders::validate::{auc, precision_at};
use ipvi_core::pipeline::{run as run_pipeline, Kept, PipelineConfig};
use ipvi_core::synth::{calibration, export, generate, read::read_synthetic_export, SynthConfig};
use serde_json::json;
use std::collections::HashMap;
use std::time::Instant;

fn csv_rows(files: &[(String, Vec<u8>)], name: &str) -> Result<Vec<csv::StringRecord>> {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n.ends_with(name))
        .with_context(|| format!("the export has no {name}"))?;
    Ok(csv::Reader::from_reader(bytes.as_slice())
        .records()
        .collect::<Result<_, _>>()?)
}

/// Run `ipvi bench-rank`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(argv, &["seed", "population", "years", "json"], &[])?;
    let num = |k: &str, d: u64| -> Result<u64> {
        a.get(k)
            .map(|v| v.parse::<u64>().with_context(|| format!("--{k} {v:?} is not a number")))
            .unwrap_or(Ok(d))
    };
    let cfg = SynthConfig {
        seed: num("seed", 1)?,
        population: num("population", 100_000)? as u32,
        years: num("years", 5)? as u32,
        ..SynthConfig::default()
    };
    let t0 = Instant::now();
    let j = generate(&cfg, &mut |_| true).map_err(|_| anyhow::anyhow!("cancelled"))?;
    let files = export::export(&j, &calibration::calibrate(&j)).context("export")?;
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let (data, _) = read_synthetic_export(&refs);
    let t_gen = t0.elapsed();
    let pipe_cfg = PipelineConfig {
        as_of: Some(j.export_end),
        ..PipelineConfig::default()
    };
    let result = run_pipeline(&data, &pipe_cfg, &Kept::default(), &[], &mut |_, _| true)?;
    let t_run = t0.elapsed() - t_gen;

    // Our person → the true person most of their records belong to.
    let truth_of_record: HashMap<String, String> = csv_rows(&files, "truth/person_records.csv")?
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let mut votes: HashMap<u32, HashMap<&str, u32>> = HashMap::new();
    for (inv, &p) in data.involvements.iter().zip(&result.person_of) {
        if let Some(t) = truth_of_record.get(&inv.record_id) {
            *votes.entry(p).or_default().entry(t.as_str()).or_default() += 1;
        }
    }
    let truth_person = |p: u32| -> Option<&str> {
        votes
            .get(&p)
            .and_then(|v| v.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(k, _)| *k))
    };
    let end = j.export_end;
    let horizon = end.add_days(365);
    let (mut serious, mut any): (HashMap<String, bool>, HashMap<String, bool>) = (HashMap::new(), HashMap::new());
    for r in csv_rows(&files, "truth/followup_offenses.csv")? {
        let Some(d) = ipvi_core::date::Date::parse(&r[1]) else {
            continue;
        };
        if d <= end || d > horizon || &r[3] != "Y" {
            continue;
        }
        any.insert(r[0].to_string(), true);
        if &r[4] == "Y" {
            serious.insert(r[0].to_string(), true);
        }
    }
    let mut offenders: Vec<_> = result.report.offenders.iter().collect();
    offenders.sort_by_key(|o| o.info.person);
    if offenders.len() < 20 {
        bail!("only {} IPV offenders: use a larger --population", offenders.len());
    }
    let ours: Vec<f64> = offenders.iter().map(|o| o.score.rfgv + o.score.harm / 1e7).collect();
    let prior: Vec<f64> = offenders.iter().map(|o| o.features.prior_ipv_all as f64).collect();
    let rf: Vec<f64> = offenders.iter().map(|o| o.score.recency + o.score.frequency).collect();
    let outcome = |m: &HashMap<String, bool>| -> Vec<bool> {
        offenders
            .iter()
            .map(|o| truth_person(o.info.person).is_some_and(|t| m.contains_key(t)))
            .collect()
    };
    let (y_serious, y_any) = (outcome(&serious), outcome(&any));
    let mut table = Vec::new();
    println!(
        "{} IPV offenders ranked as of {end}; serious IPV within 12 months: {} ({:.1}%); any IPV: {}",
        offenders.len(),
        y_serious.iter().filter(|&&x| x).count(),
        100.0 * y_serious.iter().filter(|&&x| x).count() as f64 / offenders.len() as f64,
        y_any.iter().filter(|&&x| x).count()
    );
    println!(
        "{:<28} {:>7} {:>9} {:>9}   {:>7} {:>9} {:>9}",
        "score", "AUC", "prec@1%", "prec@5%", "AUC", "prec@1%", "prec@5%"
    );
    println!(
        "{:<28} {:>27}   {:>27}",
        "", "serious IPV, 12 months", "any IPV, 12 months"
    );
    for (name, s) in [
        ("RFGV (ours)", &ours),
        ("prior IPV incidents", &prior),
        ("recency + frequency", &rf),
    ] {
        let row = json!({
            "score": name,
            "serious": {"auc": auc(s, &y_serious), "precision_top1": precision_at(s, &y_serious, 0.01), "precision_top5": precision_at(s, &y_serious, 0.05)},
            "any": {"auc": auc(s, &y_any), "precision_top1": precision_at(s, &y_any, 0.01), "precision_top5": precision_at(s, &y_any, 0.05)},
        });
        let f = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "—".into());
        println!(
            "{:<28} {:>7} {:>9} {:>9}   {:>7} {:>9} {:>9}",
            name,
            f(auc(s, &y_serious)),
            f(precision_at(s, &y_serious, 0.01)),
            f(precision_at(s, &y_serious, 0.05)),
            f(auc(s, &y_any)),
            f(precision_at(s, &y_any, 0.01)),
            f(precision_at(s, &y_any, 0.05))
        );
        table.push(row);
    }
    eprintln!(
        "bench-rank: generate {:.1} s, inquiry {:.1} s",
        t_gen.as_secs_f64(),
        t_run.as_secs_f64()
    );
    if let Some(path) = a.get("json") {
        let out = json!({"seed": cfg.seed, "population": cfg.population, "years": cfg.years, "as_of": end.to_string(), "offenders": offenders.len(), "scores": table});
        std::fs::write(path, serde_json::to_string_pretty(&out)?).with_context(|| format!("cannot write {path}"))?;
    }
    Ok(())
}
