//! Every command reads an export through the one import: `--profile` works for `analyze`, the
//! same files give the same incident and pair counts in `audit`, `analyze` and `report`, rows in
//! = rows used + rows rejected per file in `analyze`'s summary, and an export whose people cannot
//! be identified across incidents gets no offender lists.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use serde_json::Value;

/// Rows in = rows used + rows rejected for every file of a summary's `rows.files` and in total;
/// the rows read.
fn rows_add_up(rows: &Value) -> u64 {
    let files = rows["files"].as_array().unwrap();
    assert!(!files.is_empty());
    let mut read = 0;
    for f in files {
        let n = |k: &str| f[k].as_u64().unwrap();
        assert_eq!(n("rows_read"), n("rows_used") + n("rows_rejected"), "{f}");
        read += n("rows_read");
    }
    let n = |k: &str| rows[k].as_u64().unwrap();
    assert_eq!(n("rows_read"), read);
    assert_eq!(n("rows_read"), n("rows_used") + n("rows_rejected"));
    read
}

#[test]
fn analyze_with_a_profile_reads_the_agency_export() {
    let dir = scratch("agency");
    let export = fixtures().join("agency_export");
    let profile = dir.join("profile.json");
    let audit = dir.join("audit.json");
    // The profile the audit used (the built-in one, matched), saved and given back.
    let (_, err) = ok(&ipvi(&[
        "audit",
        s(&export),
        "--json",
        s(&audit),
        "--save-profile",
        s(&profile),
    ]));
    assert!(err.contains("Built-in profile: Synthetic jurisdiction export"), "{err}");
    let out = dir.join("out");
    let (stdout, err) = ok(&ipvi(&[
        "analyze",
        s(&export),
        "--profile",
        s(&profile),
        "--out",
        s(&out),
    ]));
    assert!(err.contains("Profile given: Synthetic jurisdiction export"), "{err}");
    assert!(stdout.contains("134 incidents, 231 person records"), "{stdout}");
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["identifiable"], true);
    assert_eq!(summary["incidents"], 134);
    assert_eq!(summary["pairs"], 81);
    assert_eq!(summary["pairs_by_class"]["intimate_partner"], 19);
    assert_eq!(summary["lists"]["A"], 1);
    let audit = json(&audit);
    assert_eq!(rows_add_up(&summary["rows"]), audit["rows_read"].as_u64().unwrap());
    assert!(out.join("offenders.csv").is_file());

    // The same files give the same incident and pair counts in audit, analyze and report.
    let metrics = dir.join("metrics.json");
    ok(&ipvi(&[
        "report",
        s(&export),
        "--internal",
        "--out",
        s(&dir.join("report.html")),
        "--metrics",
        s(&metrics),
    ]));
    let metrics = json(&metrics);
    assert_eq!(audit["incidents"], summary["incidents"]);
    assert_eq!(audit["pairs"], summary["pairs"]);
    assert_eq!(
        audit["pairs_by_class"]["intimate_partner"],
        summary["pairs_by_class"]["intimate_partner"]
    );
    assert_eq!(metrics["incidents_total"]["value"], summary["incidents"]);
    assert_eq!(metrics["quality"]["pairs"]["value"], summary["pairs"]);
    let ipv = metrics["pairs_by_class"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "intimate_partner")
        .map(|c| c[1]["value"].clone());
    assert_eq!(ipv, Some(summary["pairs_by_class"]["intimate_partner"].clone()));
}

#[test]
fn analyze_with_a_saved_profile_reads_a_generic_export() {
    let dir = scratch("generic");
    let file = fixtures().join("generic/kingsport_1252.csv");
    let profile = fixtures().join("generic/kingsport_profile.json");
    let audit = dir.join("audit.json");
    let (_, err) = ok(&ipvi(&[
        "audit",
        s(&file),
        "--profile",
        s(&profile),
        "--json",
        s(&audit),
    ]));
    assert!(err.contains("Profile given: Kingsport PD flat export"), "{err}");
    let out = dir.join("out");
    let (_, err) = ok(&ipvi(&[
        "analyze",
        s(&file),
        "--profile",
        s(&profile),
        "--out",
        s(&out),
    ]));
    assert!(err.contains("Profile given: Kingsport PD flat export"), "{err}");
    let summary = json(&out.join("summary.json"));
    let audit = json(&audit);
    assert_eq!(summary["identifiable"], true, "{summary}");
    assert_eq!(rows_add_up(&summary["rows"]), audit["rows_read"].as_u64().unwrap());
    assert_eq!(summary["incidents"], audit["incidents"]);
    assert_eq!(summary["pairs"], audit["pairs"]);
    assert_eq!(
        summary["pairs_by_class"]["intimate_partner"],
        audit["pairs_by_class"]["intimate_partner"]
    );
    assert!(
        summary["pairs_by_class"]["intimate_partner"].as_u64().unwrap() > 0,
        "{summary}"
    );
    assert!(out.join("offenders.csv").is_file());
}

#[test]
fn analyze_makes_no_lists_when_people_cannot_be_identified() {
    let dir = scratch("incidents");
    // One row per incident, no person rows: the shape of most open-data incident exports.
    let csv = dir.join("incidents_open_data.csv");
    std::fs::write(
        &csv,
        "Incident Number,Date Occurred,Agency,Domestic,Narrative\n\
         24-000101,2024-01-03,METRO PD,Y,RP STATES HER BOYFRIEND HIT HER\n\
         24-000102,2024-01-05,METRO PD,N,BURGLARY OF A GARAGE\n\
         24-000103,2024-02-11,METRO PD,Y,SON PUSHED HIS MOTHER\n",
    )
    .unwrap();
    let out = dir.join("out");
    let (stdout, _) = ok(&ipvi(&["analyze", s(&csv), "--out", s(&out)]));
    assert!(
        stdout.contains("people cannot be identified across incidents"),
        "{stdout}"
    );
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["identifiable"], false);
    assert_eq!(summary["incidents"], 3);
    assert_eq!(rows_add_up(&summary["rows"]), 3);
    for f in ["offenders.csv", "persons.csv", "offenders.xlsx", "worksheets.html"] {
        assert!(!out.join(f).exists(), "{f} written");
    }

    // The FBI extract: person records without names or dates of birth.
    let out = dir.join("nibrs");
    let (stdout, err) = ok(&ipvi(&["analyze", s(&fixtures().join("nibrs/base")), "--out", s(&out)]));
    assert!(err.contains("Built-in profile: NIBRS CSV extract"), "{err}");
    assert!(
        stdout.contains("people cannot be identified across incidents"),
        "{stdout}"
    );
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["identifiable"], false);
    assert!(summary["pairs"].as_u64().unwrap() > 0);
    rows_add_up(&summary["rows"]);
    // NIBRS_ACTIVITY_TYPE.csv is not part of the layout: listed, not counted.
    let unused = summary["rows"]["files_not_used"].as_array().unwrap();
    assert!(
        unused.iter().any(|f| f["file"] == "NIBRS_ACTIVITY_TYPE.csv"),
        "{unused:?}"
    );
    assert!(!out.join("offenders.csv").exists());
}

/// A FIFO named as an export would block `ipvi audit` for ever: only regular files are read.
#[cfg(unix)]
#[test]
fn audit_refuses_a_fifo_before_opening_it() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let fifo = dir.join("export_fifo.csv");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to check
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ipvi"))
        .args([
            "audit",
            fifo.to_str().unwrap_or_default(),
            "--json",
            dir.join("fifo_audit.json").to_str().unwrap_or_default(),
        ])
        .output()
        .expect("ipvi runs");
    let _ = std::fs::remove_file(&fifo);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not a regular file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
