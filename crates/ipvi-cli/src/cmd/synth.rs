//! `ipvi synth --seed <S> --population <N> --years <Y> --out <DIR> [--start <DATE>]
//! [--followup-months <M>] [--intervention-start <DATE> --effect <F>] [--config <FILE.json>]`
//!
//! Generates a synthetic jurisdiction, writes the agency export, `truth/` and
//! `calibration.json` into DIR, prints the calibration table and the elapsed time. The same
//! seed and settings give the same bytes.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::synth::{self, InterventionConfig, SynthConfig};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const HELP: &str = "\
ipvi synth — generate a synthetic jurisdiction (agency export + truth/ + calibration.json)

OPTIONS:
    --seed <S>                 seed (default 1); the same seed gives the same bytes
    --population <N>           people living in the jurisdiction (default 100000)
    --years <Y>                years of records (default 5)
    --start <DATE>             first day of the export (default 2019-01-01)
    --followup-months <M>      months simulated after the export, written to truth/ (default 12)
    --intervention-start <D>   notify offenders by list from this date
    --effect <F>               multiplier of notified offenders' domestic hazard (default 0.7)
    --config <FILE.json>       a full SynthConfig as JSON (options above override it)
    --out <DIR>                output folder (created)
";

fn parse_num<T: std::str::FromStr>(a: &Args, name: &str) -> Result<Option<T>> {
    match a.get(name) {
        None => Ok(None),
        Some(v) => match v.parse::<T>() {
            Ok(x) => Ok(Some(x)),
            Err(_) => bail!("--{name} {v:?} is not a valid number"),
        },
    }
}

fn parse_date(a: &Args, name: &str) -> Result<Option<Date>> {
    match a.get(name) {
        None => Ok(None),
        Some(v) => match Date::parse(v) {
            Some(d) => Ok(Some(d)),
            None => bail!("--{name} {v:?} is not a date (use YYYY-MM-DD)"),
        },
    }
}

/// Run `ipvi synth`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(
        argv,
        &[
            "seed",
            "population",
            "years",
            "start",
            "followup-months",
            "intervention-start",
            "effect",
            "config",
            "out",
        ],
        &["help"],
    )?;
    if a.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    let mut cfg = match a.get("config") {
        Some(p) => {
            let text = crate::io::read_text(p, "the synth configuration")?;
            serde_json::from_str::<SynthConfig>(&text)
                .with_context(|| format!("{p} is not a valid synth configuration"))?
        }
        None => SynthConfig::default(),
    };
    if let Some(s) = parse_num(&a, "seed")? {
        cfg.seed = s;
    }
    if let Some(n) = parse_num(&a, "population")? {
        cfg.population = n;
    }
    if let Some(y) = parse_num::<u32>(&a, "years")? {
        if y == 0 {
            bail!("--years must be at least 1");
        }
        cfg.years = y;
    }
    if let Some(d) = parse_date(&a, "start")? {
        cfg.start = d;
    }
    if let Some(m) = parse_num(&a, "followup-months")? {
        cfg.followup_months = m;
    }
    if let Some(d) = parse_date(&a, "intervention-start")? {
        let mut iv = cfg.intervention.take().unwrap_or_default();
        iv.start = d;
        if let Some(e) = parse_num::<f64>(&a, "effect")? {
            if e.is_nan() || e <= 0.0 {
                bail!("--effect must be a positive multiplier (0.7 = 30% fewer re-offences)");
            }
            iv.effect = e;
        }
        cfg.intervention = Some(iv);
    } else if a.get("effect").is_some() {
        bail!("--effect needs --intervention-start");
    }
    let _: Option<&InterventionConfig> = cfg.intervention.as_ref();
    let out = a.required("out")?;

    let t0 = Instant::now();
    let mut last = -1i32;
    // Stage boundaries reported by the generator: population up to 0.35, careers up to 0.65.
    let mut stage_at = [None::<f64>; 2];
    let j = synth::generate(&cfg, &mut |f| {
        let pct = (f * 100.0) as i32;
        if pct / 10 != last / 10 {
            last = pct;
            eprint!("\rgenerating… {pct:3}%");
        }
        for (i, b) in [0.35f32, 0.65].iter().enumerate() {
            if f >= *b && stage_at[i].is_none() {
                stage_at[i] = Some(t0.elapsed().as_secs_f64());
            }
        }
        true
    })?;
    let gen_time = t0.elapsed();
    eprintln!();
    let cal = synth::calibration::calibrate(&j);
    let files = synth::export::export(&j, &cal)?;
    let t_export = t0.elapsed();
    let root = Path::new(out);
    std::fs::create_dir_all(root.join("truth")).with_context(|| format!("creating {out}"))?;
    let mut bytes = 0usize;
    for (name, data) in &files {
        let path = root.join(name);
        let mut f = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        f.write_all(data)
            .with_context(|| format!("writing {}", path.display()))?;
        bytes += data.len();
    }
    let total = t0.elapsed();
    println!(
        "synthetic jurisdiction: seed {}, population {}, {} years from {}: {} incidents, {} person records, {} pairs, {} arrest charges, {} calls, {} orders, {} notifications",
        cfg.seed,
        j.population,
        cfg.years,
        cfg.start,
        j.incidents.len(),
        j.persons.len(),
        j.pairs.len(),
        j.arrests.len(),
        j.calls.len(),
        j.orders.len(),
        j.notifications.len()
    );
    print!("{}", cal.table());
    let (p, c) = (stage_at[0].unwrap_or(0.0), stage_at[1].unwrap_or(0.0));
    println!(
        "elapsed: generate {:.2}s (population {:.2}s, careers {:.2}s, records {:.2}s), calibrate+export {:.2}s, write {:.2}s, total {:.2}s ({} files, {:.1} MB)",
        gen_time.as_secs_f64(),
        p,
        c - p,
        gen_time.as_secs_f64() - c,
        (t_export - gen_time).as_secs_f64(),
        (total - t_export).as_secs_f64(),
        total.as_secs_f64(),
        files.len(),
        bytes as f64 / 1e6
    );
    Ok(())
}
