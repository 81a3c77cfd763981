//! `ipvi link`: link person records in one or two files (CSV in any usual encoding, or XLSX) and write `record_id,person_id`.
//!
//! ```text
//! ipvi link <FILE.csv> [--with <FILE2.csv>] --id <COL> --map first_name=<COL> --map last_name=<COL>
//!     --map dob=<COL> [--map sex=… address=… city=… postcode=… phone=… identifier=… middle_name=… suffix=…]
//!     --out <FILE.csv> [--model <settings.json>] [--model-out <settings.json>] [--splink-out <splink.json>]
//!     [--features-out <features.csv>] [--pairs-out <pairs.csv>] [--decisions <decisions.json>]
//!     [--previous <ids.csv>] [--review-out <review.csv>] [--threshold P] [--explain]
//! ```
//! Dates are read as YYYYMMDD, ISO or MM/DD/YYYY. Unreadable dates become warnings (the record is
//! linked without a date of birth), never silently dropped.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::linkage::{self, explain, splink, Decisions, LinkRecord, LinkSettings, LinkType};
use std::collections::HashMap;

const HELP: &str = "\
ipvi link <FILE.csv> [--with <FILE2.csv>] --id <COL> --map first_name=<COL> --map last_name=<COL> --map dob=<COL>
          [--map sex=<COL> --map address=<COL> --map city=<COL> --map postcode=<COL> --map phone=<COL>
           --map identifier=<COL> --map middle_name=<COL> --map suffix=<COL>] --out <FILE.csv>
          [--model <settings.json>]       use a saved model (ours or a Splink settings JSON) instead of training
          [--model-out <settings.json>]   save the trained model as Splink settings JSON
          [--features-out <FILE.csv>]     the normalised columns the Splink model reads (for checks with Splink)
          [--pairs-out <FILE.csv>]        every kept pair with its match weight
          [--decisions <FILE.json>]       analyst decisions {\"confirm\": [[a,b]], \"split\": [[a,b]]}
          [--previous <FILE.csv>]         record_id,person_id of an earlier run (keeps person ids stable)
          [--review-out <FILE.csv>]       borderline pairs for review
          [--threshold <P>]               match probability to join (default 0.95)
          [--keep-all-pairs]              keep every candidate pair (not only likely ones) for --pairs-out
          [--explain]                     print each person with more than one record and the edges joining them
          [--diagnostics <FILE.csv>]      write every problem found (file, row, column, value, message)
          [--threads <N>]                 score candidate pairs on N threads (default: the processors
                                          available; the output is the same for any N)
Writes record_id,person_id (record_id,source,person_id with --with).";

const FIELDS: &[&str] = &[
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "dob",
    "sex",
    "address",
    "city",
    "postcode",
    "phone",
    "identifier",
];

fn read_file(
    path: &str,
    source: u8,
    id_col: &str,
    map: &HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<LinkRecord>> {
    let (t, read_diags) = crate::io::read_table(path)?;
    crate::io::report_diagnostics(&read_diags);
    diags.extend(read_diags);
    let id_idx = crate::io::column(&t, id_col, path)?;
    let mut idx: HashMap<&str, usize> = HashMap::new();
    for f in FIELDS {
        if let Some(c) = map.get(*f) {
            idx.insert(f, crate::io::column(&t, c, path)?);
        }
    }
    let mut out = Vec::with_capacity(t.len());
    for r in 0..t.len() {
        let line = t.line(r);
        let get = |f: &str| idx.get(f).map(|&i| t.cell(r, i)).unwrap_or("").to_string();
        let dob_text = get("dob");
        let dob = if dob_text.is_empty() {
            None
        } else {
            Date::parse(&dob_text)
        };
        if dob.is_none() && !dob_text.is_empty() {
            diags.push(Diagnostic::cell(
                Severity::Warning,
                path,
                line,
                map.get("dob").map(String::as_str).unwrap_or("dob"),
                &dob_text,
                "date of birth not readable (use YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY); linked without it",
            ));
        }
        out.push(LinkRecord {
            record_id: t.cell(r, id_idx).to_string(),
            source,
            first_name: get("first_name"),
            middle_name: get("middle_name"),
            last_name: get("last_name"),
            suffix: get("suffix"),
            dob,
            sex: get("sex"),
            address: get("address"),
            city: get("city"),
            postcode: get("postcode"),
            phone: get("phone"),
            identifier: get("identifier"),
        });
    }
    if !t.rejected.is_empty() {
        eprintln!(
            "{path}: {} rows read, {} used, {} rejected (see the problems above)",
            t.rows_read,
            out.len(),
            t.rejected.len()
        );
    }
    Ok(out)
}

fn parse_maps(args: &Args) -> Result<HashMap<String, String>> {
    let mut map = HashMap::new();
    for m in args.all("map") {
        let Some((k, v)) = m.split_once('=') else {
            bail!("--map {m:?}: expected FIELD=COLUMN")
        };
        if !FIELDS.contains(&k) {
            bail!("--map {m:?}: unknown field {k:?}; fields are {}", FIELDS.join(", "));
        }
        map.insert(k.to_string(), v.to_string());
    }
    for need in ["first_name", "last_name", "dob"] {
        if !map.contains_key(need) {
            bail!("--map {need}=<COLUMN> is required");
        }
    }
    Ok(map)
}

fn load_model(path: &str) -> Result<LinkSettings> {
    let text = crate::io::read_text(path, "the linkage model")?;
    let v: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{path}: not JSON"))?;
    if v.get("comparisons")
        .and_then(|c| c.get(0))
        .and_then(|c| c.get("comparison_levels"))
        .is_some()
    {
        Ok(splink::import(&v, &LinkSettings::default())?)
    } else {
        Ok(serde_json::from_value(v).with_context(|| format!("{path}: not a linkage settings file"))?)
    }
}

/// Run `ipvi link`.
pub fn run(argv: &[String]) -> Result<()> {
    let args = Args::parse(
        argv,
        &[
            "with",
            "id",
            "map",
            "out",
            "model",
            "model-out",
            "features-out",
            "pairs-out",
            "decisions",
            "previous",
            "review-out",
            "threshold",
            "diagnostics",
            "threads",
        ],
        &["explain", "help", "keep-all-pairs"],
    )?;
    if args.flag("help") {
        println!("{HELP}");
        return Ok(());
    }
    let [file] = args.positional.as_slice() else {
        bail!("expected one input file\n\n{HELP}")
    };
    let id_col = args.required("id")?;
    let out_path = args.required("out")?;
    let map = parse_maps(&args)?;
    let mut diags = Vec::new();
    let mut records = read_file(file, 0, id_col, &map, &mut diags)?;
    let two = args.get("with").is_some();
    if let Some(with) = args.get("with") {
        records.extend(read_file(with, 1, id_col, &map, &mut diags)?);
    }
    let mut settings = match args.get("model") {
        Some(p) => load_model(p)?,
        None => LinkSettings::default(),
    };
    if two && args.get("model").is_none() {
        settings.link_type = LinkType::LinkAndDedupe;
    }
    if args.flag("keep-all-pairs") {
        // Keep every candidate pair as an edge (for --pairs-out), not only likely ones.
        settings.review_band.0 = 0.0;
    }
    if let Some(t) = args.get("threshold") {
        settings.threshold = t
            .parse()
            .with_context(|| format!("--threshold {t:?}: expected a probability"))?;
    }
    let decisions: Decisions = match args.get("decisions") {
        Some(p) => serde_json::from_str(&crate::io::read_text(p, "the decisions file")?)
            .with_context(|| format!("{p}: not a decisions file"))?,
        None => Decisions::default(),
    };
    let previous: Vec<(String, u64)> = match args.get("previous") {
        Some(p) => {
            let (t, d) = crate::io::read_table(p)?;
            crate::io::report_diagnostics(&d);
            let mut v = Vec::with_capacity(t.len());
            for r in 0..t.len() {
                let pid = t.cell(r, t.width().saturating_sub(1));
                let Ok(pid) = pid.parse::<u64>() else {
                    bail!(
                        "{p}: row {}: person_id {pid:?} is not a number; use the file an earlier run wrote",
                        t.line(r)
                    )
                };
                v.push((t.cell(r, 0).to_string(), pid));
            }
            v
        }
        None => Vec::new(),
    };
    let threads = crate::threads::Threads::from_args(&args)?;
    let out = linkage::link_with(&previous, &records, &settings, &decisions, &threads, &mut |_, _| true)?;
    diags.extend(out.diagnostics.iter().cloned());
    let rows = records.iter().zip(&out.person_ids).map(|(r, p)| {
        if two {
            vec![r.record_id.clone(), r.source.to_string(), p.to_string()]
        } else {
            vec![r.record_id.clone(), p.to_string()]
        }
    });
    let header: &[&str] = if two {
        &["record_id", "source", "person_id"]
    } else {
        &["record_id", "person_id"]
    };
    crate::io::write_csv(out_path, header, rows)?;
    if let Some(p) = args.get("model-out") {
        std::fs::write(p, serde_json::to_string_pretty(&splink::export(&out.model))?)
            .with_context(|| format!("cannot write {p}"))?;
    }
    if let Some(p) = args.get("features-out") {
        let nick = linkage::names::Nicknames::default_table();
        let (h, rows) = splink::features_table(&out.features, &out.record_ids, &nick);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        crate::io::write_csv(p, &h, rows)?;
    }
    if let Some(p) = args.get("pairs-out") {
        let rows = out.edges.iter().map(|e| {
            vec![
                out.record_ids[e.i as usize].clone(),
                out.record_ids[e.j as usize].clone(),
                format!("{:.6}", e.weight),
            ]
        });
        crate::io::write_csv(p, &["unique_id_l", "unique_id_r", "match_weight"], rows)?;
    }
    if let Some(p) = args.get("review-out") {
        let rows = out.review.iter().map(|r| {
            vec![
                r.record_a.clone(),
                r.record_b.clone(),
                format!("{:.3}", r.weight),
                format!("{:.4}", r.probability),
                r.same_person.to_string(),
            ]
        });
        crate::io::write_csv(
            p,
            &["record_a", "record_b", "weight", "probability", "same_person"],
            rows,
        )?;
    }
    let s = &out.stats;
    eprintln!(
        "ipvi link: {} records, {} candidate pairs compared, {} people, λ = {:.3e}, {} pairs for review, {} merges of earlier people",
        s.records,
        s.pairs_compared,
        s.persons,
        s.lambda,
        out.review.len(),
        out.merges.len()
    );
    if let Some(p) = args.get("diagnostics") {
        crate::io::write_diagnostics(p, &diags)?;
        eprintln!("{} problems found; all of them written to {p}", diags.len());
    }
    for d in &diags {
        eprintln!(
            "{:?}: {}{}",
            d.severity,
            d.row.map(|r| format!("{}: row {r}: ", d.file)).unwrap_or_default(),
            d.message
        );
    }
    if args.flag("explain") {
        let mut sizes: HashMap<u64, usize> = HashMap::new();
        for p in &out.person_ids {
            *sizes.entry(*p).or_default() += 1;
        }
        let mut ids: Vec<u64> = sizes.iter().filter(|(_, &n)| n > 1).map(|(&p, _)| p).collect();
        ids.sort_unstable();
        for p in ids {
            let e = explain::explain_person(&out, p);
            println!("person {}: records {}", p, e.records.join(", "));
            for edge in &e.edges {
                println!(
                    "  {} – {}: weight {:.2} (p = {:.4}) {:?}",
                    edge.record_a, edge.record_b, edge.weight, edge.probability, edge.status
                );
            }
        }
    }
    Ok(())
}
