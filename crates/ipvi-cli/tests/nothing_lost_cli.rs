//! Nothing is lost without a word, through the commands: `ipvi analyze` sets implausible dates
//! aside (and never takes 9999-12-31 as its as-of date), `--diagnostics` of `analyze`, `link`
//! and `classify-text` writes every problem (not only the first thousand of a file), and a FIFO
//! given as a profile or a notifications file is refused at once instead of blocking.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The agency export fixture copied to `dir`, with `edit` applied to each file's text.
fn copy_export(dir: &Path, edit: impl Fn(&str, String) -> String) {
    for e in std::fs::read_dir(fixtures().join("agency_export")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(dir.join(&name), edit(&name, text)).unwrap();
    }
}

/// Line `line` (1-based) with its fourth value (incidents.csv: occurred_date) set to `date`.
fn set_date(text: String, line: usize, date: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[line - 1].split(',').collect();
    cells[3] = date;
    lines[line - 1] = cells.join(",");
    lines.join("\n") + "\n"
}

fn lists(summary: &Value) -> u64 {
    summary["lists"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum()
}

#[test]
fn analyze_sets_dates_in_year_1_and_9999_aside_and_keeps_its_lists() {
    let root = scratch("dates");
    let (clean, bad) = (root.join("clean"), root.join("bad"));
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::create_dir_all(&bad).unwrap();
    copy_export(&clean, |_, t| t);
    copy_export(&bad, |name, t| match name {
        "incidents.csv" => set_date(set_date(t, 5, "12/31/9999"), 6, "01/01/0001"),
        _ => t,
    });
    let (out_clean, out_bad) = (root.join("out_clean"), root.join("out_bad"));
    ok(&ipvi(&["analyze", s(&clean), "--out", s(&out_clean)]));
    let diags = root.join("problems.csv");
    let (stdout, stderr) = ok(&ipvi(&[
        "analyze",
        s(&bad),
        "--out",
        s(&out_bad),
        "--diagnostics",
        s(&diags),
    ]));
    assert!(stdout.contains("(as of 2020-12-30)"), "{stdout}");
    assert!(stderr.contains("2 dates were set aside as implausible"), "{stderr}");
    let read = |p: &Path| -> Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let (a, b) = (
        read(&out_clean.join("summary.json")),
        read(&out_bad.join("summary.json")),
    );
    assert_eq!(b["as_of"], "2020-12-30");
    assert_eq!(b["as_of"], a["as_of"]);
    assert_eq!(b["implausible_dates"], 2);
    assert_eq!(b["incidents"], a["incidents"], "the rows are used");
    assert!(lists(&a) > 0);
    assert_eq!(lists(&b), lists(&a), "{b}");
    let text = std::fs::read_to_string(&diags).unwrap();
    for want in [
        "warning,incidents.csv,5,occurred_date,12/31/9999,\"not a plausible date: more than a year after the as-of date 2020-12-30",
        "warning,incidents.csv,6,occurred_date,01/01/0001,not a plausible date: before 1900-01-01",
    ] {
        assert!(text.contains(want), "no {want:?} in\n{text}");
    }
}

#[test]
fn diagnostics_files_hold_every_problem_not_only_the_first_thousand() {
    let dir = scratch("many");
    // analyze: 2,500 unreadable dates in one file (after 500 good rows, so the column is a date).
    let mut csv = String::from("Incident Number,Report Date,Agency,Narrative\n");
    for i in 0..3000 {
        let date = if i >= 500 {
            "31/02/2019".to_string()
        } else {
            format!("2019-03-{:02}", i % 28 + 1)
        };
        csv.push_str(&format!("24-{i:05},{date},METRO PD,SHE SAID HER BOYFRIEND HIT HER\n"));
    }
    let input = dir.join("incidents.csv");
    std::fs::write(&input, csv).unwrap();
    let diags = dir.join("analyze_problems.csv");
    ok(&ipvi(&[
        "analyze",
        s(&input),
        "--out",
        s(&dir.join("out")),
        "--diagnostics",
        s(&diags),
    ]));
    let text = std::fs::read_to_string(&diags).unwrap();
    let bad = text.lines().filter(|l| l.contains(",31/02/2019,")).count();
    assert_eq!(bad, 2500);
    assert_eq!(text.lines().count(), 2501, "a header and one line a problem");
    assert!(
        text.contains("warning,incidents.csv,3001,Report Date,31/02/2019,not a date"),
        "the last one is there"
    );

    // classify-text: 2,500 rows with an extra value are rejected, each written.
    let mut csv = String::from("id,relationship\n");
    for i in 0..3000 {
        if i % 6 == 5 {
            csv.push_str(&format!("{i},GIRLFRIEND\n"));
        } else {
            csv.push_str(&format!("{i},GIRLFRIEND,EXTRA\n"));
        }
    }
    let input = dir.join("relationships.csv");
    std::fs::write(&input, csv).unwrap();
    let diags = dir.join("text_problems.csv");
    ok(&ipvi(&[
        "classify-text",
        "--kind",
        "relationship",
        "--in",
        s(&input),
        "--column",
        "relationship",
        "--out",
        s(&dir.join("classified.csv")),
        "--diagnostics",
        s(&diags),
    ]));
    let text = std::fs::read_to_string(&diags).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("error,relationships.csv,"))
            .count(),
        2500
    );
    assert_eq!(text.lines().count(), 2501, "{}", &text[..text.len().min(2000)]);

    // link: the problems of its input (here rows with an extra value), every one written.
    let mut csv = String::from("rid,first,last,dob\n");
    for i in 0..3000 {
        if i % 6 == 5 {
            csv.push_str(&format!("R{i},ANN,SMITH{i},1990-01-01\n"));
        } else {
            csv.push_str(&format!("R{i},ANN,SMITH{i},1990-01-01,EXTRA\n"));
        }
    }
    let input = dir.join("people.csv");
    std::fs::write(&input, csv).unwrap();
    let diags = dir.join("link_problems.csv");
    ok(&ipvi(&[
        "link",
        s(&input),
        "--id",
        "rid",
        "--map",
        "first_name=first",
        "--map",
        "last_name=last",
        "--map",
        "dob=dob",
        "--out",
        s(&dir.join("linked.csv")),
        "--diagnostics",
        s(&diags),
    ]));
    let text = std::fs::read_to_string(&diags).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("error,people.csv,")).count(),
        2500
    );
}

/// Run `ipvi` and fail (killing it) when it has not ended within a minute: a command that
/// opened a FIFO would wait for a writer for ever.
fn within_a_minute(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipvi"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{args:?} still waiting after a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// A FIFO given as a profile or a notifications file would block the command for ever: it is
/// refused at once with a message naming it.
#[cfg(unix)]
#[test]
fn a_fifo_given_as_a_profile_or_notifications_is_refused_at_once() {
    let dir = scratch("fifo");
    let fifo = dir.join("profile_fifo.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|st| st.success()) {
        return; // no mkfifo here: nothing to check
    }
    let export = s(&fixtures().join("agency_export")).to_string();
    let out = dir.join("out");
    let (json, csv) = (dir.join("a.json"), dir.join("adv.csv"));
    let runs: [Vec<&str>; 3] = [
        vec!["analyze", &export, "--profile", s(&fifo), "--out", s(&out)],
        vec!["audit", &export, "--profile", s(&fifo), "--json", s(&json)],
        vec!["advocates", &export, "--notifications", s(&fifo), "--out", s(&csv)],
    ];
    for args in runs {
        let o = within_a_minute(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?}");
        assert!(
            err.contains("is not a regular file (a folder, a pipe or a device)"),
            "{args:?}: {err}"
        );
        assert!(err.contains("profile_fifo.json"), "{err}");
    }
    // A folder as a profile too.
    let o = ipvi(&["analyze", &export, "--profile", s(&dir), "--out", s(&out)]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read the profile"));
}
