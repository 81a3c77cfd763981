//! The implementation measures from the command line: `ipvi analyze --notifications --contacts`
//! writes `fidelity.csv` (suppressed, no person ids) and `ipvi report` puts them in the metrics
//! JSON; a bad row of a contacts file is counted, not fatal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ipvi-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ipvi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipvi")).args(args).output().unwrap()
}

#[test]
fn analyze_and_report_write_the_implementation_measures() {
    let dir = scratch("fidelity");
    let export = dir.join("export");
    let ex = export.to_str().unwrap();
    let out = ipvi(&[
        "synth",
        "--seed",
        "4",
        "--population",
        "3000",
        "--years",
        "4",
        "--intervention-start",
        "2021-01-01",
        "--out",
        ex,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let notes = export.join("notifications.csv");
    // A contacts file with one bad row at the end.
    let mut contacts = std::fs::read_to_string(export.join("advocate_contacts.csv")).unwrap();
    contacts.push_str("13/45/2022,P0000001,,reached,ADVOCATE\r\n");
    let cpath = dir.join("contacts.csv");
    std::fs::write(&cpath, &contacts).unwrap();
    let analyzed = dir.join("analyzed");
    let diags = dir.join("diags.csv");
    let out = ipvi(&[
        "analyze",
        ex,
        "--notifications",
        notes.to_str().unwrap(),
        "--contacts",
        cpath.to_str().unwrap(),
        "--diagnostics",
        diags.to_str().unwrap(),
        "--out",
        analyzed.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(analyzed.join("fidelity.csv")).unwrap();
    assert!(csv.contains("measure,group,what,value,definition"), "{csv}");
    for measure in [
        "Share of each list notified",
        "Days from the qualifying incident to notification",
        "Failed attempts",
        "Re-notification after escalation",
        "Advocates' contacts",
        "By month",
    ] {
        assert!(csv.contains(measure), "{measure} missing");
    }
    assert!(csv.contains("<11"), "small cells are suppressed");
    assert!(!csv.contains(",P0"), "no person id in fidelity.csv");
    let d = std::fs::read_to_string(&diags).unwrap();
    assert!(d.contains("contact_date") && d.contains("13/45/2022"), "{d}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(analyzed.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["fidelity"]["threshold"], 11);

    let metrics = dir.join("metrics.json");
    let out = ipvi(&[
        "report",
        ex,
        "--notifications",
        notes.to_str().unwrap(),
        "--metrics",
        metrics.to_str().unwrap(),
        "--out",
        dir.join("report.html").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&metrics).unwrap()).unwrap();
    let f = &m["fidelity"];
    assert_eq!(f["threshold"], 11);
    assert_eq!(f["coverage"].as_array().map(Vec::len), Some(4));
    assert!(f["attempts"].as_array().is_some_and(|a| !a.is_empty()));
    // Without the records there is no section.
    let out = ipvi(&[
        "report",
        ex,
        "--metrics",
        metrics.to_str().unwrap(),
        "--out",
        dir.join("report.html").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&metrics).unwrap()).unwrap();
    assert!(m.get("fidelity").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}
