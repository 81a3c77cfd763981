//! `ipvi bench-link --records-out`: the generated records are written with their truth, so that
//! another tool (bench/splink) can be judged on exactly the records we link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::process::Command;

#[test]
fn bench_link_writes_the_records_it_links_with_their_truth() {
    let dir = std::env::temp_dir().join(format!("ipvi-cli-test-{}-bench-link", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("records.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_ipvi"))
        .args(["bench-link", "--records", "400", "--seed", "3", "--records-out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let n: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("records"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut rd = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "unique_id",
        "first_name",
        "last_name",
        "dob",
        "first_name_soundex",
        "true_id",
        "trap",
    ] {
        assert!(header.iter().any(|h| h == col), "no column {col} in {header:?}");
    }
    let rows: Vec<HashMap<String, String>> = rd
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), n);
    // Several records per true person, and the traps are planted.
    let people: std::collections::HashSet<&str> = rows.iter().map(|r| r["true_id"].as_str()).collect();
    assert!(
        people.len() < n && people.len() > n / 4,
        "{} people for {n} records",
        people.len()
    );
    assert!(rows
        .iter()
        .all(|r| ["none", "generation", "twin"].contains(&r["trap"].as_str())));
    assert!(rows.iter().any(|r| r["trap"] != "none"));
    // Dates are written as YYYYMMDD, the form the Splink model reads.
    assert!(rows
        .iter()
        .filter(|r| !r["dob"].is_empty())
        .all(|r| r["dob"].len() == 8 && r["dob"].bytes().all(|b| b.is_ascii_digit())));
    let _ = std::fs::remove_dir_all(&dir);
}
