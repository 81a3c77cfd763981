//! `ipvi evaluate` end to end: a synthetic jurisdiction with an intervention, evaluated with the
//! true people and with linkage, and the errors a user can make.

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
fn evaluates_a_synthetic_jurisdiction_and_writes_json() {
    let dir = scratch("evaluate");
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
    for (json, extra) in [("truth.json", Some("--truth-ids")), ("linked.json", None)] {
        let json = dir.join(json);
        let mut args = vec![
            "evaluate",
            ex,
            "--notifications",
            notes.to_str().unwrap(),
            "--start",
            "2021-01-01",
            "--json",
            json.to_str().unwrap(),
            "--outcome",
            "arrest",
        ];
        args.extend(extra);
        let out = ipvi(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("Re-offending after notification"), "{stdout}");
        assert!(stdout.contains("a new IPV arrest"), "{stdout}");
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert!(
            v["notifications_used"].as_u64().unwrap() > 10,
            "{}",
            v["notifications_used"]
        );
        assert_eq!(v["series"].as_array().unwrap().len(), 3);
        assert!(v["survival"][0]["method"].as_str().unwrap().contains("Kaplan"));
        assert!(v["comparison"]["method"].as_str().unwrap().contains("Poisson"));
    }
}

#[test]
fn bad_arguments_say_what_to_do() {
    let out = ipvi(&[
        "evaluate",
        "/nonexistent-folder",
        "--notifications",
        "n.csv",
        "--json",
        "o.json",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--start"));
    let out = ipvi(&[
        "evaluate",
        "/nonexistent-folder",
        "--notifications",
        "n.csv",
        "--json",
        "o.json",
        "--start",
        "2021-01-01",
        "--outcome",
        "call",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("incident or arrest"));
}
