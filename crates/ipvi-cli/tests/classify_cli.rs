//! `ipvi classify` end to end: the built binary on the real AZ 2019 extract and on bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `<workspace root>/../shared/data/nibrs/AZ_2019` (`IPVI_SHARED_DIR` overrides the shared folder;
/// a git worktree one level deeper also finds it).
fn az_dir() -> PathBuf {
    let root = workspace();
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

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ipvi-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ipvi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipvi")).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn classify_az2019_writes_every_pair_and_prints_the_readme_totals() {
    let dir = scratch("az");
    let out = dir.join("pairs.csv");
    let o = ipvi(&[
        "classify",
        "--nibrs",
        az_dir().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    assert!(o.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    let csv = std::fs::read_to_string(&out).unwrap();
    // Row for row what the reference NIBRS reader gives (ids as in the files, codes, classes).
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(az_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    let inputs: Vec<ipvi_core::input::InputFile<'_>> = files
        .iter()
        .map(|(n, b)| ipvi_core::input::InputFile { name: n, bytes: b })
        .collect();
    let codes = ipvi_core::classify::CodeTable::nibrs_default();
    let reference = ipvi_core::nibrs::analyze_extract(&inputs, &codes, &mut |_| true).unwrap();
    assert!(
        csv == ipvi_core::nibrs::pairs_to_csv(&reference.pairs),
        "the pairs differ from the reader's"
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("incident_id,victim_id,offender_id,relationship_code,class")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 8380);
    let count = |class: &str| rows.iter().filter(|r| r.ends_with(&format!(",{class}"))).count();
    assert_eq!(
        (
            count("intimate_partner"),
            count("other_family"),
            count("known_non_family") + count("stranger"),
            count("unknown")
        ),
        (1832, 1653, 3636, 1259)
    );
    // The totals printed: class, pairs, incidents.
    let line = |label: &str| -> Vec<String> {
        let l = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(label))
            .unwrap_or_else(|| panic!("{stdout}"));
        l.split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(line("intimate_partner")[1..], ["1832", "1719"]);
    assert_eq!(line("other_family")[1..], ["1653", "1335"]);
    assert_eq!(line("known_non_family+stranger")[1..], ["3636", "2624"]);
    assert_eq!(line("unknown")[1..], ["1259", "799"]);
    assert!(
        stdout.contains("8380 pairs in 6043 incidents (20387 incidents in the extract)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("mixed intimate-partner and other-family incidents: 67"),
        "{stdout}"
    );
    // Only notes: the extract's files the profile does not read.
    assert!(stderr.contains(" (0 errors, 0 warnings, "), "{stderr}");
    assert!(stderr.contains("elapsed:"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !skip.contains(&name.as_str()) {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// One bad input: (case, files to drop from the base fixture, fixture folder laid over it, texts stderr must hold).
type BadCase = (
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    &'static [&'static str],
);

const BAD: &[BadCase] = &[
    (
        "missing",
        &["NIBRS_VICTIM.csv"],
        None,
        &["victims (nibrs_victim.csv): no file has the columns VICTIM_ID"],
    ),
    ("empty", &[], Some("empty_required"), &["NIBRS_OFFENDER.csv is empty"]),
    (
        "wrong",
        &[],
        Some("wrong_columns"),
        &["NIBRS_VICTIM.csv has no columns VICTIM_ID, INCIDENT_ID"],
    ),
];

#[test]
fn classify_bad_input_fails_with_a_message_naming_the_file() {
    let fixtures = workspace().join("tests/fixtures/nibrs");
    for (case, drop, over, want) in BAD {
        let dir = scratch(case);
        let input = dir.join("in");
        std::fs::create_dir_all(&input).unwrap();
        copy_dir(&fixtures.join("base"), &input, drop);
        if let Some(o) = over {
            copy_dir(&fixtures.join(o), &input, &[]);
        }
        let out = dir.join("pairs.csv");
        let o = ipvi(&[
            "classify",
            "--nibrs",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = text(&o.stderr);
        assert!(!o.status.success(), "case {case}: succeeded");
        for w in *want {
            assert!(stderr.contains(w), "case {case}: stderr {stderr:?} lacks {w:?}");
        }
        assert!(!out.exists(), "case {case}: wrote an output");
        let _ = std::fs::remove_dir_all(&dir);
    }
    // A folder of non-NIBRS CSV names the file it found.
    let o = ipvi(&[
        "classify",
        "--nibrs",
        fixtures.join("not_nibrs").to_str().unwrap(),
        "--out",
        "/nonexistent/x.csv",
    ]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("people.csv"), "{}", text(&o.stderr));
    // Missing options are reported.
    let o = ipvi(&["classify", "--out", "x.csv"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("missing --nibrs"), "{}", text(&o.stderr));
}

#[test]
fn classify_truncated_file_succeeds_and_reports_the_row() {
    // The last row is cut after `2` (of `24`): the generic import pads the row, warns, and
    // sets the unlisted relationship id aside, so the pair is used with an unknown class.
    let fixtures = workspace().join("tests/fixtures/nibrs");
    let dir = scratch("truncated");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    copy_dir(&fixtures.join("base"), &input, &[]);
    copy_dir(&fixtures.join("truncated"), &input, &[]);
    let out = dir.join("pairs.csv");
    let diags = dir.join("diagnostics.csv");
    let o = ipvi(&[
        "classify",
        "--nibrs",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--diagnostics",
        diags.to_str().unwrap(),
    ]);
    let stderr = text(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("NIBRS_VICTIM_OFFENDER_REL.csv, row 6, column RELATIONSHIP_ID"),
        "{stderr}"
    );
    let pairs = std::fs::read_to_string(&out).unwrap();
    assert_eq!(pairs.lines().count(), 6, "{pairs}");
    assert!(pairs.ends_with("\n1003,2004,3004,,unknown\n"), "{pairs}");
    let d = std::fs::read_to_string(&diags).unwrap();
    assert!(d.starts_with("severity,file,row,column,value,message\n"), "{d}");
    assert!(
        d.contains(
            "\nwarning,NIBRS_VICTIM_OFFENDER_REL.csv,6,RELATIONSHIP_ID,2,\"the row has 4 values but the header has 5"
        ),
        "{d}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
