//! The real Arizona 2019 NIBRS extract: the import must reproduce the tallies in the data README,
//! in the pre-2021 layout as shipped and converted to the 2021+ layout.
//!
//! The data lives beside the repository, in `<workspace root>/../shared/data/nibrs/AZ_2019`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::date::Date;
use ipvi_core::diag::Severity;
use ipvi_core::input::{InputFile, Progress};
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::{analyze_extract, incidents_in_classes, pairs_to_csv, NibrsAnalysis};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// `<workspace root>/../shared/data/nibrs/AZ_2019`; `IPVI_SHARED_DIR` overrides the shared folder,
/// and a git worktree one level deeper (`<dir>/<worktrees>/<checkout>`) also finds `<dir>/shared`.
fn az_dir() -> PathBuf {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut candidates: Vec<PathBuf> = std::env::var_os("IPVI_SHARED_DIR")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    candidates.push(root.join("../shared"));
    candidates.push(root.join("../../shared"));
    let found = candidates
        .iter()
        .map(|c| c.join("data/nibrs/AZ_2019"))
        .find(|p| p.is_dir());
    found.unwrap_or_else(|| candidates[0].join("data/nibrs/AZ_2019"))
}

/// Every CSV of the extract as (name, bytes), read once for all tests.
fn load() -> Vec<(String, Vec<u8>)> {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(read_extract).clone()
}

/// The analysis of the extract as shipped, computed once for all tests.
fn original() -> &'static NibrsAnalysis {
    static ANALYSIS: OnceLock<NibrsAnalysis> = OnceLock::new();
    ANALYSIS.get_or_init(|| analyze(&load()))
}

fn read_extract() -> Vec<(String, Vec<u8>)> {
    let dir = az_dir();
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for e in entries {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
            let name = format!("AZ_2019/{}", p.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    assert!(
        out.len() >= 40,
        "expected the 42 CSV files of the extract in {}",
        dir.display()
    );
    out
}

fn analyze(files: &[(String, Vec<u8>)]) -> NibrsAnalysis {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let mut calls = 0;
    let mut last = 0.0f32;
    let mut progress = |p: Progress| {
        assert!(
            p.fraction >= last - 1e-6 && p.fraction <= 1.0,
            "progress went from {last} to {}",
            p.fraction
        );
        last = p.fraction;
        calls += 1;
        true
    };
    let a = analyze_extract(&inputs, &CodeTable::nibrs_default(), &mut progress).unwrap();
    assert!(calls >= 5, "progress was reported {calls} times");
    a
}

/// The tallies of the data README.
fn assert_readme_tallies(a: &NibrsAnalysis) {
    let s = &a.summary;
    let count = |c| {
        let cc = s.class(c);
        (cc.pairs, cc.incidents)
    };
    assert_eq!(count(RelClass::IntimatePartner), (1832, 1719));
    assert_eq!(count(RelClass::OtherFamily), (1653, 1335));
    assert_eq!(count(RelClass::Unknown), (1259, 799));
    let known = count(RelClass::KnownNonFamily).0 + count(RelClass::Stranger).0;
    assert_eq!(known, 3636);
    assert_eq!(
        incidents_in_classes(&a.pairs, &[RelClass::KnownNonFamily, RelClass::Stranger]),
        2624
    );
    assert_eq!(s.mixed_ipv_family_incidents, 67);
    assert_eq!(a.pairs.len(), 8380);
    assert_eq!(s.incidents_with_pairs, 6043);
    assert_eq!(s.incidents_total, 20387);
    assert_eq!(s.victim_was_offender_pairs, 384);
    let errors: Vec<String> = a
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "unexpected diagnostics: {errors:?}");
    for f in &a.files {
        assert_eq!(f.rows_rejected, 0, "{f:?}");
        assert_eq!(f.rows_read, f.rows_used, "{f:?}");
    }
}

#[test]
fn az2019_pre2021_layout_reproduces_the_readme_tallies() {
    let a = original();
    assert_readme_tallies(a);
    let s = &a.summary;
    // Summary details that the app shows.
    assert_eq!(
        s.ipv_top_offenses.first().map(|t| (t.0.as_str(), t.1.as_str())),
        Some(("13B", "Simple Assault"))
    );
    let victims: u64 = s.ipv_victims_by_sex.iter().map(|(_, n)| n).sum();
    let distinct: std::collections::HashSet<&str> = a
        .pairs
        .iter()
        .filter(|p| p.class == RelClass::IntimatePartner)
        .map(|p| p.victim_id.as_str())
        .collect();
    assert_eq!(victims, distinct.len() as u64);
    assert!(s.dv_circumstance_pairs > 0 && s.dv_circumstance_pairs < 8380);
    let first = &a.pairs[0];
    assert!(first.date.is_some_and(|d| d.year() == 2019), "{first:?}");
    let csv = pairs_to_csv(&a.pairs);
    assert_eq!(csv.lines().count(), 8381);
    assert!(csv.starts_with("incident_id,victim_id,offender_id,relationship_code,class\n"));
}

/// Rewrite one file of the pre-2021 extract the way 2021+ extracts are written.
fn to_2021(name: &str, bytes: &[u8], offense_codes: &HashMap<String, String>, code_in_pairs: bool) -> Vec<u8> {
    let base = name.rsplit('/').next().unwrap().to_ascii_lowercase();
    let mut rdr = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(|h| h.to_ascii_lowercase()).collect();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let type_col = headers.iter().position(|h| h == "offense_type_id");
    let rel_col = headers.iter().position(|h| h == "relationship_id");
    let out_headers: Vec<String> = headers
        .iter()
        .filter_map(|h| match (base.as_str(), h.as_str()) {
            ("nibrs_offense.csv", "offense_type_id") => Some("offense_code".to_string()),
            ("nibrs_offense_type.csv", "offense_type_id") => None,
            ("nibrs_victim_offender_rel.csv", "relationship_id") if code_in_pairs => {
                Some("relationship_code".to_string())
            }
            _ => Some(h.clone()),
        })
        .collect();
    w.write_record(&out_headers).unwrap();
    let rel: HashMap<&str, &str> = [
        ("1", "AQ"),
        ("2", "BE"),
        ("3", "BG"),
        ("4", "CF"),
        ("5", "CH"),
        ("6", "CS"),
        ("7", "EE"),
        ("8", "ER"),
        ("9", "FR"),
        ("10", "GC"),
        ("11", "GP"),
        ("12", "HR"),
        ("13", "IL"),
        ("14", "NE"),
        ("15", "OF"),
        ("16", "OK"),
        ("17", "PA"),
        ("18", "RU"),
        ("19", "SB"),
        ("20", "SC"),
        ("21", "SE"),
        ("22", "SP"),
        ("23", "SS"),
        ("24", "ST"),
        ("25", "VO"),
        ("26", "XS"),
        ("27", "XR"),
    ]
    .into_iter()
    .collect();
    for r in rdr.records() {
        let r = r.unwrap();
        let mut out: Vec<String> = Vec::new();
        for (i, v) in r.iter().enumerate() {
            if base == "nibrs_offense_type.csv" && Some(i) == type_col {
                continue;
            }
            let v = if base == "nibrs_offense.csv" && Some(i) == type_col {
                offense_codes[v].clone()
            } else if code_in_pairs && base == "nibrs_victim_offender_rel.csv" && Some(i) == rel_col {
                rel[v].to_string()
            } else if headers[i].ends_with("_date") && !v.is_empty() {
                Date::parse(v).unwrap().to_string()
            } else {
                v.to_string()
            };
            out.push(v);
        }
        w.write_record(&out).unwrap();
    }
    w.into_inner().unwrap()
}

fn converted(code_in_pairs: bool) -> Vec<(String, Vec<u8>)> {
    let files = load();
    let types = files
        .iter()
        .find(|(n, _)| n.ends_with("NIBRS_OFFENSE_TYPE.csv"))
        .unwrap();
    let mut offense_codes = HashMap::new();
    for r in csv::Reader::from_reader(&types.1[..]).records() {
        let r = r.unwrap();
        offense_codes.insert(r[0].to_string(), r[1].to_string());
    }
    files
        .into_iter()
        .filter(|(n, _)| !(code_in_pairs && n.ends_with("NIBRS_RELATIONSHIP.csv")))
        .map(|(n, b)| {
            let lower = n.to_ascii_lowercase();
            let b = to_2021(&n, &b, &offense_codes, code_in_pairs);
            (lower, b)
        })
        .collect()
}

#[test]
fn az2019_converted_to_the_2021_layout_gives_the_same_totals() {
    let original = original();
    let files = converted(false);
    // The conversion really changed the layout.
    let offense = files.iter().find(|(n, _)| n.ends_with("nibrs_offense.csv")).unwrap();
    assert!(offense.1.starts_with(b"data_year,offense_id,incident_id,offense_code,"));
    let incident = files.iter().find(|(n, _)| n.ends_with("nibrs_incident.csv")).unwrap();
    assert!(String::from_utf8_lossy(&incident.1[..400]).contains(",2019-11-25,"));
    let a = analyze(&files);
    assert_readme_tallies(&a);
    assert_eq!(a.summary, original.summary);
    assert_eq!(a.pairs, original.pairs);
}

#[test]
fn az2019_with_relationship_codes_in_the_pair_file_gives_the_same_totals() {
    let original = original();
    let files = converted(true);
    assert!(!files.iter().any(|(n, _)| n.ends_with("nibrs_relationship.csv")));
    let a = analyze(&files);
    assert_readme_tallies(&a);
    assert_eq!(a.summary, original.summary);
}

#[test]
fn az2019_household_codes_moved_out_of_the_family() {
    let files = load();
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let mut table = CodeTable::nibrs_default();
    table.set_household_family_as_family(false);
    let a = analyze_extract(&inputs, &table, &mut |_| true).unwrap();
    // 29 CF pairs in the extract move from other family to known, not family.
    assert_eq!(a.summary.class(RelClass::OtherFamily).pairs, 1653 - 29);
    assert_eq!(
        a.summary.class(RelClass::KnownNonFamily).pairs + a.summary.class(RelClass::Stranger).pairs,
        3636 + 29
    );
}

#[test]
fn az2019_cancel_stops_the_import() {
    let files = load();
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let mut calls = 0;
    let r = analyze_extract(&inputs, &CodeTable::nibrs_default(), &mut |_| {
        calls += 1;
        calls < 4
    });
    assert_eq!(r, Err(ipvi_core::input::ImportError::Cancelled));
    assert_eq!(calls, 4);
}
