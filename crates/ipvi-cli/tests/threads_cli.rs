//! `--threads N`: the linkage's jobs on one thread or several give the same files, byte for byte
//! (`ipvi link` on generated records, `ipvi analyze` on a synthetic jurisdiction).

#![allow(clippy::unwrap_used)]

mod common;
use common::{ipvi, ok, s, scratch};
use std::path::Path;

/// The bytes of a file that must exist and hold more than a header.
fn bytes(p: &Path) -> Vec<u8> {
    let b = std::fs::read(p).unwrap();
    assert!(
        b.iter().filter(|&&c| c == b'\n').count() > 1,
        "{} is empty",
        p.display()
    );
    b
}

#[test]
fn link_on_one_thread_and_on_four_writes_the_same_files() {
    let d = scratch("link_threads");
    let records = d.join("records.csv");
    ok(&ipvi(&[
        "bench-link",
        "--records",
        "4000",
        "--seed",
        "3",
        "--threads",
        "1",
        "--records-out",
        s(&records),
    ]));
    let run = |n: &str| {
        let out = |name: &str| d.join(format!("{name}-{n}"));
        let mut args = vec!["link", s(&records), "--id", "unique_id", "--threads", n];
        let maps: Vec<String> = [
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
        ]
        .iter()
        .map(|c| format!("{c}={c}"))
        .collect();
        for m in &maps {
            args.extend(["--map", m.as_str()]);
        }
        let files = [
            out("persons.csv"),
            out("pairs.csv"),
            out("model.json"),
            out("review.csv"),
        ];
        args.extend(["--out", s(&files[0]), "--pairs-out", s(&files[1])]);
        args.extend(["--model-out", s(&files[2]), "--review-out", s(&files[3])]);
        ok(&ipvi(&args));
        files.map(|f| bytes(&f))
    };
    let one = run("1");
    let four = run("4");
    for (k, name) in ["persons", "pairs", "model", "review"].iter().enumerate() {
        assert!(one[k] == four[k], "{name} differs between 1 and 4 threads");
    }
}

#[test]
fn analyze_on_one_thread_and_on_four_writes_the_same_lists() {
    let d = scratch("analyze_threads");
    let export = d.join("export");
    ok(&ipvi(&[
        "synth",
        "--seed",
        "2",
        "--population",
        "3000",
        "--years",
        "3",
        "--out",
        s(&export),
    ]));
    let run = |n: &str| {
        let out = d.join(format!("out-{n}"));
        ok(&ipvi(&["analyze", s(&export), "--threads", n, "--out", s(&out)]));
        let mut summary = common::json(&out.join("summary.json"));
        // The only part that may differ: how long the steps took.
        summary.as_object_mut().unwrap().remove("seconds").unwrap();
        let files = ["offenders.csv", "persons.csv"].map(|f| bytes(&out.join(f)));
        (files, summary)
    };
    let one = run("1");
    let four = run("4");
    for (k, name) in ["offenders.csv", "persons.csv"].iter().enumerate() {
        assert!(one.0[k] == four.0[k], "{name} differs between 1 and 4 threads");
    }
    assert!(one.1["linkage"]["pairs_compared"].as_u64().unwrap() > 0);
    assert_eq!(one.1, four.1, "summary.json differs between 1 and 4 threads");
}

#[test]
fn threads_must_be_a_positive_number() {
    for bad in ["0", "two"] {
        let o = ipvi(&["bench-link", "--records", "10", "--threads", bad]);
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("--threads"), "{bad}");
    }
}
