//! `--threads N`: the linkage's jobs on one thread or several give the same files, byte for byte
//! (`ipvi link` on generated records, `ipvi analyze` on a synthetic jurisdiction), and so does
//! the import with each CSV file parsed on a thread of its own (`ipvi audit` on a flat export
//! larger than a slice, with bad rows, beside a small file).

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

/// A flat export of `rows` rows (about 100 bytes each), with a ragged row, a row with too few
/// values and a date that is not one every 9,973 rows.
fn flat_export(rows: usize) -> String {
    let mut out =
        String::from("Case No.,Occurred On,Dept,DV?,Party Type,Surname,Given Name,Born,Gender,Tie,Charge\r\n");
    for r in 0..rows {
        let i = r / 2;
        let date = format!("{:02}/{:02}/{}", i % 12 + 1, i % 28 + 1, 2016 + i % 4);
        let line = if r % 2 == 0 {
            format!(
                "KPD-{i},{date},KINGSPORT PD,Y,VICTIM,SURNAME{},GIVEN{},02/11/1990,F,GIRLFRIEND,ASSAULT - DOMESTIC",
                i % 997,
                i % 389
            )
        } else {
            format!(
                "KPD-{i},{date},KINGSPORT PD,Y,SUSPECT,SURNAME{},GIVEN{},07/30/1988,M,,ASSAULT - DOMESTIC",
                (i * 7) % 991,
                (i * 3) % 383
            )
        };
        let line = match r % 9_973 {
            1 => format!("{line},EXTRA"),
            2 => line.split(',').take(5).collect::<Vec<_>>().join(","),
            3 => line.replacen("/201", "/2O1", 1),
            _ => line,
        };
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out
}

#[test]
fn audit_on_one_thread_and_on_two_writes_the_same_files() {
    let d = scratch("audit_threads");
    let export = d.join("export");
    std::fs::create_dir_all(&export).unwrap();
    let big = flat_export(100_000);
    // Over the 8 MiB the first pass reads: the file is read again, parsed on a thread.
    assert!(big.len() > 8 << 20, "{} bytes", big.len());
    std::fs::write(export.join("a.csv"), big).unwrap();
    std::fs::write(export.join("b.csv"), flat_export(3_000)).unwrap();
    let run = |n: &str| {
        let out = |name: &str| d.join(format!("{n}-{name}"));
        let files = [out("audit.json"), out("rejected.csv"), out("diagnostics.csv")];
        let (stdout, _) = ok(&ipvi(&[
            "audit",
            s(&export),
            "--threads",
            n,
            "--json",
            s(&files[0]),
            "--rejected",
            s(&files[1]),
            "--diagnostics",
            s(&files[2]),
        ]));
        (files.map(|f| bytes(&f)), stdout)
    };
    let one = run("1");
    let two = run("2");
    for (k, name) in ["audit.json", "rejected.csv", "diagnostics.csv"].iter().enumerate() {
        assert!(one.0[k] == two.0[k], "{name} differs between 1 and 2 threads");
    }
    assert_eq!(one.1, two.1, "the summary differs between 1 and 2 threads");
    let rejected = String::from_utf8_lossy(&one.0[1]).lines().count();
    assert!(rejected > 10, "{rejected} lines of rejected rows");
}

#[test]
fn threads_must_be_a_positive_number() {
    for bad in ["0", "two"] {
        let o = ipvi(&["bench-link", "--records", "10", "--threads", bad]);
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("--threads"), "{bad}");
    }
}
