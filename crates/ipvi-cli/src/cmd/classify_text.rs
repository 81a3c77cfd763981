//! `ipvi classify-text` and `ipvi score-text`: the relationship and narrative text classifier
//! on CSV files.
//!
//! `classify-text --kind relationship|narrative --in <FILE> --column <NAME> --out <FILE.csv>`
//! writes every input row with `class,confidence,reason` appended. The input is read by the one
//! reader (CSV in any usual encoding and separator, or XLSX); short rows are padded, rows with
//! extra cells are rejected and reported on stderr with their line number, and the counts say
//! rows read = classified + rejected. Cells are written formula-safe. `--diagnostics
//! <FILE.csv>` writes every problem found (stderr lists the first 20).
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

/// `ipvi classify-text`.
pub fn run(argv: &[String]) -> Result<()> {
    let a = Args::parse(argv, &["kind", "in", "column", "out", "diagnostics"], &[])?;
    let k = kind(&a)?;
    let input = a.required("in")?;
    let column = a.required("column")?;
    let out = a.required("out")?;
    let c = classifier()?;
    let (t, diags) = crate::io::read_table(input)?;
    crate::io::report_diagnostics(&diags);
    if let Some(p) = a.get("diagnostics") {
        crate::io::write_diagnostics(p, &diags)?;
    }
    let col = crate::io::column(&t, column, input)?;
    let mut header: Vec<&str> = t.headers.iter().map(String::as_str).collect();
    header.extend(["class", "confidence", "reason"]);
    let started = Instant::now();
    let rows = (0..t.len()).map(|r| {
        let d = classify(c, k, t.cell(r, col));
        let mut o: Vec<String> = t.row(r).into_iter().map(str::to_string).collect();
        o.push(d.class.as_str().to_string());
        o.push(format!("{:.2}", d.confidence));
        o.push(d.reason);
        o
    });
    crate::io::write_csv(out, &header, rows)?;
    let rows = t.len();
    let short = t.rejected.len();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "{} rows read: {rows} classified, {short} rejected (extra cells; listed above) in {secs:.3}s → {out}",
        t.rows_read
    );
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
    let (t, diags) = crate::io::read_table(input)?;
    crate::io::report_diagnostics(&diags);
    if !t.rejected.is_empty() {
        bail!(
            "{input}: {} rows could not be read (listed above); fix the labelled set",
            t.rejected.len()
        );
    }
    let text_col = match a.get("text-column") {
        Some(n) => crate::io::column(&t, n, input)?,
        None => 0,
    };
    let class_col = crate::io::column(&t, "class", input)?;
    let half_col = t.headers.iter().position(|h| h.trim().eq_ignore_ascii_case("half"));
    let mut items: Vec<(String, RelClass, String)> = Vec::with_capacity(t.len());
    for r in 0..t.len() {
        let label = t.cell(r, class_col);
        let Some(class) = RelClass::parse(label) else {
            bail!(
                "{input}: line {}: class {label:?} is not one of intimate_partner, other_family, known_non_family, stranger, unknown",
                t.line(r)
            );
        };
        let half = half_col.map(|h| t.cell(r, h)).unwrap_or("").to_string();
        items.push((t.cell(r, text_col).to_string(), class, half));
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
