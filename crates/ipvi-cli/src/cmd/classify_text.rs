//! `ipvi classify-text` and `ipvi score-text`: the relationship and narrative text classifier
//! on CSV files.
//!
//! `classify-text --kind relationship|narrative --in <FILE.csv> --column <NAME> --out <FILE.csv>`
//! writes every input row with `class,confidence,reason` appended. Rows with a different number
//! of fields are kept and reported on stderr with their line number.
//!
//! `score-text --kind relationship|narrative --in <LABELLED.csv> [--text-column <NAME>]
//! [--min-recall R] [--min-precision P]` reads a labelled set (a text column, a `class` column
//! and an optional `half` column), prints per-class precision, recall and F1, the confusion
//! matrix, the intimate-partner scores (overall and per half) and the throughput, and fails when
//! the intimate-partner targets are missed. `--errors` lists the misclassified items.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::model::RelClass;
use ipvi_core::textclass::eval::Scores;
use ipvi_core::textclass::{builtin, Decision, TextClassifier};
use std::time::Instant;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Relationship,
    Narrative,
}

fn kind(a: &Args) -> Result<Kind> {
    match a.required("kind")? {
        "relationship" => Ok(Kind::Relationship),
        "narrative" => Ok(Kind::Narrative),
        k => bail!("--kind must be relationship or narrative, not {k:?}"),
    }
}

fn classify(c: &TextClassifier, k: Kind, text: &str) -> Decision {
    match k {
        Kind::Relationship => c.relationship(text),
        Kind::Narrative => c.narrative(text),
    }
}

fn classifier() -> Result<&'static TextClassifier> {
    builtin().context("the built-in text lexicon failed to load (a broken data file in this build)")
}

fn find_column(headers: &csv::StringRecord, name: &str, file: &str) -> Result<usize> {
    match headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name)) {
        Some(i) => Ok(i),
        None => bail!(
            "{file}: no column named {name:?}; the header has {:?}. Pass the column's name with --column",
            headers.iter().collect::<Vec<_>>()
        ),
    }
}

/// `ipvi classify-text`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(argv, &["kind", "in", "column", "out"], &[])?;
    let k = kind(&a)?;
    let input = a.required("in")?;
    let column = a.required("column")?;
    let out = a.required("out")?;
    let c = classifier()?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(input)
        .with_context(|| format!("cannot open {input}; check the path"))?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{input}: cannot read the header row"))?
        .clone();
    let col = find_column(&headers, column, input)?;
    let mut w = csv::Writer::from_path(out).with_context(|| format!("cannot create {out}"))?;
    let mut h = headers.clone();
    h.push_field("class");
    h.push_field("confidence");
    h.push_field("reason");
    w.write_record(&h)?;
    let (mut rows, mut short) = (0u64, 0u64);
    let mut rec = csv::StringRecord::new();
    let started = Instant::now();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => bail!("{input}: {e}; the file stops being valid CSV there"),
        }
        rows += 1;
        let line = rec.position().map(|p| p.line()).unwrap_or(rows + 1);
        if rec.len() != headers.len() {
            short += 1;
            eprintln!(
                "{input}: line {line}: {} fields where the header has {}; row kept, missing cells read as empty",
                rec.len(),
                headers.len()
            );
        }
        let text = rec.get(col).unwrap_or("");
        let d = classify(c, k, text);
        let mut o = rec.clone();
        while o.len() < headers.len() {
            o.push_field("");
        }
        o.push_field(d.class.as_str());
        o.push_field(&format!("{:.2}", d.confidence));
        o.push_field(&d.reason);
        w.write_record(&o)?;
    }
    w.flush()?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!("{rows} rows classified ({short} with a wrong number of fields) in {secs:.3}s → {out}");
    Ok(())
}

/// Append one line to a report.
macro_rules! say {
    ($out:ident, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Print a report; a closed pipe (`| head`) is not an error.
fn emit(s: &str) -> Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(s.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// `ipvi score-text`.
pub fn run_score(argv: &[String]) -> Result<()> {
    let a = Args::parse(
        argv,
        &["kind", "in", "text-column", "min-recall", "min-precision"],
        &["errors"],
    )?;
    let k = kind(&a)?;
    let input = a.required("in")?;
    let min_recall: f64 = a
        .get("min-recall")
        .unwrap_or("0.97")
        .parse()
        .context("--min-recall must be a number")?;
    let min_precision: f64 = a
        .get("min-precision")
        .unwrap_or("0.95")
        .parse()
        .context("--min-precision must be a number")?;
    let c = classifier()?;
    let mut out = String::new();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(input)
        .with_context(|| format!("cannot open {input}; check the path"))?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{input}: cannot read the header row"))?
        .clone();
    let text_col = match a.get("text-column") {
        Some(n) => find_column(&headers, n, input)?,
        None => 0,
    };
    let class_col = find_column(&headers, "class", input)?;
    let half_col = headers.iter().position(|h| h.trim().eq_ignore_ascii_case("half"));
    let mut items: Vec<(String, RelClass, String)> = Vec::new();
    for (i, r) in rdr.records().enumerate() {
        let r = r.with_context(|| format!("{input}: row {} is not valid CSV", i + 2))?;
        let label = r.get(class_col).unwrap_or("");
        let Some(class) = RelClass::parse(label) else {
            bail!(
                "{input}: line {}: class {label:?} is not one of intimate_partner, other_family, known_non_family, stranger, unknown",
                i + 2
            );
        };
        let half = half_col.and_then(|h| r.get(h)).unwrap_or("").trim().to_string();
        items.push((r.get(text_col).unwrap_or("").to_string(), class, half));
    }
    if items.is_empty() {
        bail!("{input}: no labelled rows");
    }
    let started = Instant::now();
    let decisions: Vec<Decision> = items.iter().map(|(t, _, _)| classify(c, k, t)).collect();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let pairs: Vec<(RelClass, RelClass)> = items.iter().zip(&decisions).map(|(i, d)| (i.1, d.class)).collect();
    let all = Scores::from_pairs(&pairs);
    say!(out, "{input} ({} items)", items.len());
    out.push_str(&all.report());
    let mut halves: Vec<String> = items.iter().map(|i| i.2.clone()).filter(|h| !h.is_empty()).collect();
    halves.sort();
    halves.dedup();
    for h in &halves {
        let p: Vec<(RelClass, RelClass)> = items
            .iter()
            .zip(&pairs)
            .filter(|(i, _)| &i.2 == h)
            .map(|(_, p)| *p)
            .collect();
        let s = Scores::from_pairs(&p);
        say!(out, "half {h}: n={} accuracy={:.3}", s.n, s.accuracy);
        for cs in &s.per_class {
            let f = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
            say!(
                out,
                "  {:<18} P={} R={} (support {})",
                cs.class.as_str(),
                f(cs.precision),
                f(cs.recall),
                cs.support
            );
        }
    }
    say!(
        out,
        "intimate partner: precision {:.3} recall {:.3} (targets {min_precision} and {min_recall})",
        all.ipv_precision(),
        all.ipv_recall()
    );
    // Throughput over repeated passes, so the timer sees enough work.
    let reps = (20_000 / items.len()).max(1);
    let t0 = Instant::now();
    let mut n = 0usize;
    for _ in 0..reps {
        for (t, _, _) in &items {
            n += classify(c, k, t).reason.len().min(1);
        }
    }
    let rate = (reps * items.len()) as f64 / t0.elapsed().as_secs_f64().max(1e-9);
    say!(
        out,
        "throughput: {rate:.0} items/s ({} items, first pass {secs:.4}s; {n} decisions)",
        reps * items.len()
    );
    if a.flag("errors") {
        for ((t, truth, half), d) in items.iter().zip(&decisions) {
            if *truth != d.class {
                say!(
                    out,
                    "MISS [{half}] {} → {} ({:.2}) {:?}: {}",
                    truth.as_str(),
                    d.class.as_str(),
                    d.confidence,
                    t,
                    d.reason
                );
            }
        }
    }
    emit(&out)?;
    let mut failed = all.ipv_recall() < min_recall || all.ipv_precision() < min_precision;
    for h in &halves {
        let p: Vec<(RelClass, RelClass)> = items
            .iter()
            .zip(&pairs)
            .filter(|(i, _)| &i.2 == h)
            .map(|(_, p)| *p)
            .collect();
        let s = Scores::from_pairs(&p);
        failed |= s.ipv_recall() < min_recall || s.ipv_precision() < min_precision;
    }
    if failed {
        bail!("intimate-partner targets missed (precision >= {min_precision}, recall >= {min_recall}, overall and per half)");
    }
    Ok(())
}
