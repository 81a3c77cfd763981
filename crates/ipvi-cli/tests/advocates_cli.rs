//! `ipvi advocates` and `ipvi analyze` end to end on a synthetic export whose police-only texts
//! (narratives, relationship texts written by officers, charge texts) carry a unique marker: the
//! advocates' export (CSV and XLSX) never holds the marker, a record id or an incident id; the
//! offender-facing files `ipvi analyze` writes (offenders.csv, offenders.xlsx, worksheets.html)
//! never hold a victim's record id, name, address or phone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MARKER: &str = "ZQXPOLICEONLY";

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ipvi-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ipvi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipvi")).args(args).output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Read a CSV file as (headers, rows).
const NOTE: &str = "\"Synthetic data: these records were made up";

/// Whether the file starts with the synthetic-data note.
fn says_synthetic(path: &Path) -> bool {
    std::fs::read_to_string(path).unwrap().starts_with(NOTE)
}

/// Headers and rows, after the synthetic-data note if the file starts with one.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let body = if text.starts_with(NOTE) {
        text.split_once('\n').map_or("", |x| x.1)
    } else {
        text.as_str()
    };
    let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let headers = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

fn write_csv(path: &Path, headers: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(headers).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

/// Prefix every non-empty cell of `column` in `file` with the marker; returns how many.
fn mark(dir: &Path, file: &str, column: &str) -> usize {
    let path = dir.join(file);
    let (headers, mut rows) = read_csv(&path);
    let col = headers.iter().position(|h| h == column).unwrap();
    let mut n = 0;
    for r in &mut rows {
        if let Some(c) = r.get_mut(col).filter(|c| !c.trim().is_empty()) {
            *c = format!("{MARKER} {c}");
            n += 1;
        }
    }
    write_csv(&path, &headers, &rows);
    n
}

fn column(rows: &[Vec<String>], headers: &[String], name: &str) -> Vec<String> {
    let col = headers.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| r.get(col).cloned().unwrap_or_default()).collect()
}

fn tokens(text: &str) -> HashSet<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Every cell of every sheet of a workbook, joined by newlines.
fn workbook_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let tables = ipvi_xlsx::read::read_workbook("x.xlsx", &bytes).unwrap();
    let mut s = String::new();
    for t in &tables {
        s.push_str(&t.headers.join(","));
        s.push('\n');
        for r in 0..t.len() {
            s.push_str(&t.row(r).join(","));
            s.push('\n');
        }
    }
    s
}

#[test]
fn advocates_get_no_police_only_text_and_offender_files_get_no_victim() {
    let dir = scratch("advocates");
    let export = dir.join("export");
    let ex = export.to_str().unwrap();
    ok(&ipvi(&[
        "synth",
        "--seed",
        "9",
        "--population",
        "4000",
        "--years",
        "3",
        "--intervention-start",
        "2020-07-01",
        "--out",
        ex,
    ]));
    let narratives = mark(&export, "incidents.csv", "narrative");
    let texts = mark(&export, "relationships.csv", "relationship_text");
    let charges = mark(&export, "arrests.csv", "charge");
    assert!(
        narratives > 100 && texts > 100 && charges > 50,
        "{narratives} {texts} {charges}"
    );

    // The advocates' export, as CSV and as XLSX.
    let notes = export.join("notifications.csv");
    let csv_out = dir.join("outreach.csv");
    let stdout = ok(&ipvi(&[
        "advocates",
        ex,
        "--notifications",
        notes.to_str().unwrap(),
        "--out",
        csv_out.to_str().unwrap(),
    ]));
    assert!(stdout.contains("advocates only"), "{stdout}");
    let xlsx_out = dir.join("outreach.xlsx");
    ok(&ipvi(&["advocates", ex, "--out", xlsx_out.to_str().unwrap()]));
    let csv_text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(
        says_synthetic(&csv_out),
        "the sample's outreach list is not marked synthetic"
    );
    let (headers, rows) = read_csv(&csv_out);
    assert_eq!(
        headers,
        ipvi_core::offenders::advocates::COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert!(rows.len() > 20, "{} victims", rows.len());
    assert!(
        column(&rows, &headers, "offender_notification_dates")
            .iter()
            .any(|d| !d.is_empty()),
        "the notifications give dates"
    );
    let xlsx_text = workbook_text(&xlsx_out);
    assert_eq!(
        xlsx_text.lines().count(),
        rows.len() + 1,
        "the workbook has the same rows"
    );
    for text in [&csv_text, &xlsx_text] {
        assert!(!text.contains(MARKER), "police-only text in the advocates' export");
        assert!(!text.to_ascii_uppercase().contains("ZQX"));
    }

    // No record or incident id in the advocates' export.
    let (p_headers, persons) = read_csv(&export.join("persons.csv"));
    let (i_headers, incidents) = read_csv(&export.join("incidents.csv"));
    let csv_tokens = tokens(&csv_text);
    for id in column(&persons, &p_headers, "record_id")
        .iter()
        .chain(column(&incidents, &i_headers, "incident_id").iter())
    {
        assert!(!csv_tokens.contains(id.as_str()), "id {id} in the advocates' export");
    }

    // The offender-facing files.
    let out = dir.join("analysis");
    ok(&ipvi(&["analyze", ex, "--out", out.to_str().unwrap()]));
    let offender_files = [
        std::fs::read_to_string(out.join("offenders.csv")).unwrap(),
        std::fs::read_to_string(out.join("worksheets.html")).unwrap(),
        workbook_text(&out.join("offenders.xlsx")),
    ];
    assert!(offender_files[1].contains("<article"), "worksheets were written");
    // Victim records of IPV or family pairs, and what identifies victims who never offend.
    let (r_headers, rels) = read_csv(&export.join("relationships.csv"));
    let victim_records: HashSet<String> = column(&rels, &r_headers, "victim_record_id").into_iter().collect();
    let offender_records: HashSet<String> = column(&rels, &r_headers, "offender_record_id").into_iter().collect();
    let field = |name: &str| p_headers.iter().position(|h| h == name).unwrap();
    let (rid, first, last, addr, phone) = (
        field("record_id"),
        field("first_name"),
        field("last_name"),
        field("address"),
        field("phone"),
    );
    // Names, addresses and phones that some offender record also has are not victim-only.
    let mut on_offenders: HashMap<&str, HashSet<String>> = HashMap::new();
    for r in persons.iter().filter(|r| offender_records.contains(&r[rid])) {
        // Every part of a hyphenated or double name (LEWIS-NGUYEN gives NGUYEN).
        for t in tokens(&r[last]) {
            on_offenders.entry("name").or_default().insert(t.to_uppercase());
        }
        on_offenders.entry("addr").or_default().insert(r[addr].clone());
        on_offenders.entry("phone").or_default().insert(r[phone].clone());
    }
    let upper: Vec<String> = offender_files.iter().map(|f| f.to_uppercase()).collect();
    // A victim record the linkage put into a listed offender is that offender's own record.
    assert!(
        says_synthetic(&out.join("offenders.csv")),
        "offenders.csv of the sample is not marked synthetic"
    );
    let (o_headers, offenders) = read_csv(&out.join("offenders.csv"));
    let listed: HashSet<String> = column(&offenders, &o_headers, "person_id").into_iter().collect();
    let (l_headers, links) = read_csv(&out.join("persons.csv"));
    let person_of: HashMap<String, String> = column(&links, &l_headers, "record_id")
        .into_iter()
        .zip(column(&links, &l_headers, "person_id"))
        .collect();
    let mut checked = (0, 0, 0);
    for r in persons.iter().filter(|r| victim_records.contains(&r[rid])) {
        for f in &offender_files {
            assert!(
                !tokens(f).contains(r[rid].as_str()),
                "victim record id {} offender-facing",
                r[rid]
            );
        }
        if person_of.get(&r[rid]).is_some_and(|p| listed.contains(p)) {
            continue;
        }
        let last_name = r[last].trim().to_uppercase();
        if last_name.len() > 3
            && last_name.chars().all(|c| c.is_ascii_alphanumeric())
            && !on_offenders["name"].contains(&last_name)
        {
            // Names are written "LAST, First Middle".
            let full = format!("{last_name}, {}", r[first].trim().to_uppercase());
            for f in &upper {
                assert!(!f.contains(&full), "victim name {full:?} offender-facing");
            }
            checked.0 += 1;
        }
        if r[addr].len() >= 6 && !on_offenders["addr"].contains(&r[addr]) {
            for f in &offender_files {
                assert!(!f.contains(&r[addr]), "victim address offender-facing");
            }
            checked.1 += 1;
        }
        if r[phone].len() >= 7 && !on_offenders["phone"].contains(&r[phone]) {
            for f in &offender_files {
                assert!(!f.contains(&r[phone]), "victim phone offender-facing");
            }
            checked.2 += 1;
        }
    }
    assert!(
        checked.0 > 20 && checked.1 > 20 && checked.2 > 20,
        "{checked:?} checked"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_output_name_or_date_is_refused_with_what_to_do() {
    let dir = scratch("advocates-errors");
    let out = ipvi(&["advocates", dir.to_str().unwrap(), "--out", "x.pdf"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(".csv or .xlsx"));
    let out = ipvi(&["advocates", dir.to_str().unwrap(), "--as-of", "soon", "--out", "x.csv"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
    let _ = std::fs::remove_dir_all(&dir);
}
