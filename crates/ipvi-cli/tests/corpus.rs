//! The corpus of export layouts (`tests/fixtures/corpus/`, see its README): every layout read by
//! `ipvi audit` with no profile, and checked against the truth its generator wrote
//! (`expected.json`): rows in = rows used + rows rejected per file, the proposed mapping of the
//! columns that matter (read from `--save-profile`), incidents, victim–offender pairs by class and,
//! when the audit has them, incidents by class and domestic incidents.
//!
//! The check prints one line per layout (columns right of those that matter, counts right or
//! wrong) and fails listing every layout that is wrong, with what it saw. The two XLSX layouts are
//! written as workbooks from their CSV here, so the repository holds no binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::export::{Cell, Sheet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/corpus"))
}

/// Every layout folder (one with an `expected.json`), sorted.
fn layouts() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ipvi-corpus-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The workbook the layout's `xlsx` entry asks for: one sheet written from the CSV, the listed
/// columns as numbers.
fn write_xlsx(dir: &Path, spec: &Value, out: &Path) {
    let from = spec["from"].as_str().unwrap();
    let numbers: Vec<&str> = spec["number_columns"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut reader = csv::Reader::from_path(dir.join(from)).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let is_number: Vec<bool> = headers.iter().map(|h| numbers.contains(&h.as_str())).collect();
    let rows: Vec<Vec<Cell>> = reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .zip(&is_number)
                .map(|(v, &num)| match v.parse::<f64>() {
                    Ok(n) if num => Cell::Number(n),
                    _ => Cell::Text(v.to_string()),
                })
                .collect()
        })
        .collect();
    let sheet = Sheet {
        name: spec["sheet"].as_str().unwrap().to_string(),
        headers,
        rows,
        note: None,
    };
    std::fs::write(out, ipvi_xlsx::workbook(&[sheet]).unwrap()).unwrap();
}

/// What one layout gave.
#[derive(Default)]
struct Outcome {
    layout: String,
    /// Files and rows as expected, and rows in = used + rejected for each.
    rows_ok: bool,
    columns_right: usize,
    columns_total: usize,
    /// "incidents 150/150", "pairs ok", ... for the table.
    counts: Vec<String>,
    /// Everything wrong, for the failure message.
    problems: Vec<String>,
    /// The audit could not run at all.
    failed: bool,
}

impl Outcome {
    fn ok(&self) -> bool {
        !self.failed && self.problems.is_empty()
    }
}

/// Does the target (field, side) fit one alternative of the expected spec?
fn fits(alt: &str, got: Option<&(String, String)>) -> bool {
    let alt = alt.trim();
    if alt == "-" {
        return got.is_none();
    }
    let (field, side) = alt.split_once(':').unwrap_or((alt, "any"));
    got.is_some_and(|(f, s)| f == field && s == side)
}

fn spec_ok(spec: &str, got: Option<&(String, String)>) -> bool {
    if let Some(not) = spec.strip_prefix('!') {
        return got.is_none_or(|(f, _)| f != not);
    }
    spec.split('|').any(|alt| fits(alt, got))
}

fn show(got: Option<&(String, String)>) -> String {
    match got {
        None => "(not used)".into(),
        Some((f, s)) if s == "any" => f.clone(),
        Some((f, s)) => format!("{f}:{s}"),
    }
}

/// Incidents that are not domestic: `not_domestic`, plus the incidents an audit may class by
/// their pairs when nothing about them is domestic (`known_non_family`, `stranger`, `unknown`).
/// The truth has one class for them all.
fn not_domestic(by_class: &serde_json::Map<String, Value>) -> Option<u64> {
    let keys = ["not_domestic", "known_non_family", "stranger", "unknown"];
    let found: Vec<u64> = keys
        .iter()
        .filter_map(|k| by_class.get(*k).and_then(Value::as_u64))
        .collect();
    (!found.is_empty()).then(|| found.iter().sum())
}

/// Compare one count with the truth, noting it in the outcome.
fn count(o: &mut Outcome, what: &str, got: Option<u64>, want: u64) {
    match got {
        Some(g) if g == want => o.counts.push(format!("{what} ok")),
        Some(g) => {
            o.counts.push(format!("{what} WRONG"));
            o.problems.push(format!("{what}: {g}, want {want}"));
        }
        None => {
            o.counts.push(format!("{what} MISSING"));
            o.problems.push(format!("{what}: not in the audit, want {want}"));
        }
    }
}

/// Run the audit on one layout and compare with its truth. `full`: also the proposal and the
/// class counts (else only the files and rows).
fn check(dir: &Path, full: bool) -> Outcome {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut o = Outcome {
        layout: name.clone(),
        ..Outcome::default()
    };
    // One folder per check: the tests run in parallel threads of one process.
    let work = scratch(&format!("{name}-{}", if full { "full" } else { "rows" }));
    let files = expected["files"].as_object().unwrap();
    let mut inputs: Vec<PathBuf> = Vec::new();
    for f in files.keys() {
        match &expected["xlsx"] {
            x if x["file"].as_str() == Some(f.as_str()) => {
                let out = work.join(f);
                write_xlsx(dir, x, &out);
                inputs.push(out);
            }
            _ => inputs.push(dir.join(f)),
        }
    }
    let audit_path = work.join("audit.json");
    let profile_path = work.join("profile.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ipvi"));
    cmd.arg("audit").args(&inputs);
    cmd.arg("--json")
        .arg(&audit_path)
        .arg("--save-profile")
        .arg(&profile_path);
    let run = cmd.output().unwrap();
    if !run.status.success() {
        o.failed = true;
        o.problems.push(format!(
            "ipvi audit failed: {}",
            String::from_utf8_lossy(&run.stderr).lines().last().unwrap_or("")
        ));
        return o;
    }
    let audit: Value = serde_json::from_str(&std::fs::read_to_string(&audit_path).unwrap()).unwrap();

    // Rows in = used + rejected, per file (with `full`), and the files' row counts.
    o.rows_ok = true;
    let summaries = audit["files"].as_array().cloned().unwrap_or_default();
    for s in summaries.iter().filter(|_| full) {
        let (read, used, rej) = (
            s["rows_read"].as_u64().unwrap_or(0),
            s["rows_used"].as_u64().unwrap_or(0),
            s["rows_rejected"].as_u64().unwrap_or(0),
        );
        if read != used + rej {
            o.rows_ok = false;
            o.problems.push(format!(
                "{}: {read} rows read but {used} used + {rej} rejected",
                s["file"].as_str().unwrap_or("?")
            ));
        }
    }
    for (f, want) in files {
        let want = want["rows"].as_u64().unwrap();
        let got: Option<u64> = summaries
            .iter()
            .filter(|s| s["file"].as_str().is_some_and(|x| x.starts_with(f.as_str())))
            .map(|s| s["rows_read"].as_u64().unwrap_or(0))
            .reduce(|a, b| a + b);
        if got != Some(want) {
            o.rows_ok = false;
            o.problems.push(format!("{f}: {got:?} rows read, want {want}"));
        }
    }
    if !full {
        return o;
    }

    // The proposal, as saved: (file, header) → (field, side).
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(&profile_path).unwrap()).unwrap();
    let mut targets: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for t in profile["tables"].as_array().cloned().unwrap_or_default() {
        let hint = t["file_hint"].as_str().unwrap_or("").to_string();
        for c in t["columns"].as_array().cloned().unwrap_or_default() {
            let field = c["target"]["field"].as_str().unwrap_or("").to_string();
            let side = c["target"]["side"].as_str().unwrap_or("any").to_string();
            let header = c["header"].as_str().unwrap_or("").to_string();
            targets.entry((hint.clone(), header)).or_insert((field, side));
        }
    }
    for (f, cols) in expected["proposal"].as_object().unwrap() {
        for (header, spec) in cols.as_object().unwrap() {
            let spec = spec.as_str().unwrap();
            let got = targets.get(&(f.to_lowercase(), header.clone()));
            o.columns_total += 1;
            if spec_ok(spec, got) {
                o.columns_right += 1;
            } else {
                o.problems
                    .push(format!("{f}: column {header:?} → {}, want {spec}", show(got)));
            }
        }
    }

    // Of several columns that may hold a field (place columns), at least one must.
    for (f, fields) in expected["at_least_one"].as_object().into_iter().flatten() {
        for (field, headers) in fields.as_object().unwrap() {
            let headers: Vec<&str> = headers.as_array().unwrap().iter().filter_map(Value::as_str).collect();
            o.columns_total += 1;
            let found = headers.iter().any(|h| {
                targets
                    .get(&(f.to_lowercase(), h.to_string()))
                    .is_some_and(|(g, _)| g == field)
            });
            if found {
                o.columns_right += 1;
            } else {
                o.problems.push(format!("{f}: none of {headers:?} → {field}"));
            }
        }
    }

    // Counts.
    count(
        &mut o,
        "incidents",
        audit["incidents"].as_u64(),
        expected["incidents"].as_u64().unwrap(),
    );
    if let Some(pairs) = expected["pairs_by_class"].as_object() {
        count(
            &mut o,
            "pairs",
            audit["pairs"].as_u64(),
            expected["pairs"].as_u64().unwrap(),
        );
        for (class, want) in pairs {
            count(
                &mut o,
                &format!("pairs {class}"),
                audit["pairs_by_class"][class].as_u64(),
                want.as_u64().unwrap(),
            );
        }
    }
    if let Some(by_class) = audit["incidents_by_class"].as_object() {
        for (class, want) in expected["incidents_by_class"].as_object().unwrap() {
            let got = if class == "not_domestic" {
                not_domestic(by_class)
            } else {
                by_class.get(class).and_then(Value::as_u64)
            };
            count(&mut o, &format!("incidents {class}"), got, want.as_u64().unwrap());
        }
    } else {
        o.counts.push("incidents_by_class MISSING".into());
        o.problems.push(format!(
            "incidents_by_class: not in the audit, want {}",
            expected["incidents_by_class"]
        ));
    }
    count(
        &mut o,
        "domestic_incidents",
        audit["domestic_incidents"].as_u64(),
        expected["domestic_incidents"].as_u64().unwrap(),
    );
    o
}

/// The per-layout table: layout, columns right / total, rows, counts right or wrong.
fn table(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<28} {:>9} {:>5} {:>6} {:>6}  wrong counts",
        "layout", "columns", "rows", "counts", "result"
    );
    for o in outcomes {
        let right = o.counts.iter().filter(|c| c.ends_with(" ok")).count();
        let wrong: Vec<&str> = o
            .counts
            .iter()
            .filter(|c| !c.ends_with(" ok"))
            .map(String::as_str)
            .collect();
        let _ = writeln!(
            s,
            "{:<28} {:>9} {:>5} {:>6} {:>6}  {}",
            o.layout,
            format!("{}/{}", o.columns_right, o.columns_total),
            if o.rows_ok { "ok" } else { "WRONG" },
            format!("{right}/{}", o.counts.len()),
            if o.ok() { "pass" } else { "FAIL" },
            wrong.join(", ")
        );
    }
    s
}

fn failures(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    for o in outcomes.iter().filter(|o| !o.ok()) {
        let _ = writeln!(s, "{}:", o.layout);
        for p in &o.problems {
            let _ = writeln!(s, "    {p}");
        }
    }
    s
}

#[test]
fn corpus_has_at_least_fifteen_layouts_of_every_kind() {
    let kinds: Vec<String> = layouts()
        .iter()
        .map(|d| {
            let e: Value = serde_json::from_str(&std::fs::read_to_string(d.join("expected.json")).unwrap()).unwrap();
            e["kind"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(kinds.len() >= 15, "{} layouts", kinds.len());
    for k in [
        "flat_per_person",
        "flat_per_pair",
        "normalized",
        "incident_level",
        "arrest_roster",
        "booking_roster",
    ] {
        assert!(kinds.iter().any(|x| x == k), "no layout of kind {k}: {kinds:?}");
    }
}

/// Every file of every layout is read (a table, in its encoding and separator, or a workbook
/// written from the CSV), with the rows its generator wrote.
#[test]
fn corpus_every_file_is_read_with_its_rows() {
    let outcomes: Vec<Outcome> = layouts().iter().map(|d| check(d, false)).collect();
    let bad: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok()).collect();
    assert!(bad.is_empty(), "\n{}", failures(&outcomes));
}

/// The whole truth: rows in = used + rejected per file, the proposal and the counts, with no
/// profile. Run with `cargo test -p ipvi-cli --test corpus -- --nocapture` to see the table.
#[test]
fn corpus_layouts_are_read_correctly_with_no_profile() {
    let outcomes: Vec<Outcome> = layouts().iter().map(|d| check(d, true)).collect();
    let t = table(&outcomes);
    println!("{t}");
    let bad: Vec<&str> = outcomes.iter().filter(|o| !o.ok()).map(|o| o.layout.as_str()).collect();
    assert!(
        bad.is_empty(),
        "{} of {} layouts are wrong: {}\n\n{t}\n{}",
        bad.len(),
        outcomes.len(),
        bad.join(", "),
        failures(&outcomes)
    );
}

#[test]
fn a_spec_accepts_alternatives_sides_and_exclusions() {
    let t = |f: &str, s: &str| (f.to_string(), s.to_string());
    assert!(spec_ok("place", Some(&t("place", "any"))));
    assert!(!spec_ok("place", Some(&t("full_name", "any"))));
    assert!(!spec_ok("place", None));
    assert!(spec_ok("incident_date|-", None));
    assert!(spec_ok("age:victim", Some(&t("age", "victim"))));
    assert!(!spec_ok("age:victim", Some(&t("age", "offender"))));
    assert!(!spec_ok("age", Some(&t("age", "victim"))));
    assert!(spec_ok("!role", None));
    assert!(spec_ok("!role", Some(&t("statute", "any"))));
    assert!(!spec_ok("!role", Some(&t("role", "any"))));
}

#[test]
fn not_domestic_counts_the_incidents_an_audit_classes_by_their_pairs() {
    let m = |j: &str| -> serde_json::Map<String, Value> { serde_json::from_str(j).unwrap() };
    assert_eq!(not_domestic(&m(r#"{"not_domestic": 4}"#)), Some(4));
    assert_eq!(
        not_domestic(&m(
            r#"{"intimate_partner": 9, "not_domestic": 4, "stranger": 2, "unknown": 1, "known_non_family": 3}"#
        )),
        Some(10)
    );
    assert_eq!(not_domestic(&m(r#"{"intimate_partner": 9}"#)), None);
}
