//! `ipvi cycle` end to end on a synthetic jurisdiction with an intervention (so notifications
//! exist): the files it writes add up with one another, notifications take people off the due
//! list, a month picked mid-year ends on its as-of date, no victim record id or name appears in
//! any output, and a bad due-rule file is refused naming its field and value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
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

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const NOTE: &str = "\"Synthetic data: these records were made up";

/// Headers and rows, after the synthetic-data note.
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

fn col(headers: &[String], name: &str) -> usize {
    headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn tokens(s: &str) -> HashSet<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).collect()
}

#[test]
fn cycle_writes_the_month_its_lists_and_the_agenda_without_victims() {
    let dir = scratch("cycle");
    let export = dir.join("export");
    let ex = export.to_str().unwrap();
    ok(&ipvi(&[
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
    ]));
    let notes = export.join("notifications.csv");
    let out = dir.join("cycle");
    let stdout = ok(&ipvi(&[
        "cycle",
        ex,
        "--as-of",
        "2022-12-31",
        "--notifications",
        notes.to_str().unwrap(),
        "--contacts",
        export.join("advocate_contacts.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(stdout.starts_with("2022-12: 48 month ends replayed"), "{stdout}");

    // Month-end sizes: four lists a month, from the first month with records to the as-of date.
    let (h, sizes) = read_csv(&out.join("month_end_lists.csv"));
    assert_eq!(h, ["month", "as_of", "list", "count"]);
    assert_eq!(sizes.len(), 48 * 4);
    assert_eq!(sizes[0][0], "2019-01");
    assert_eq!(sizes.last().unwrap()[..3], ["2022-12", "2022-12-31", "D"]);
    let mut per_month: BTreeMap<String, u64> = BTreeMap::new();
    for r in &sizes {
        *per_month.entry(r[0].clone()).or_default() += r[3].parse::<u64>().unwrap();
    }
    // ... equal the people listed at each month end.
    let (ph, people) = read_csv(&out.join("month_end_people.csv"));
    assert_eq!(ph, ["month", "person_id", "list", "change"]);
    let mut counted: BTreeMap<String, u64> = BTreeMap::new();
    for r in &people {
        *counted.entry(r[0].clone()).or_default() += 1;
    }
    counted.retain(|_, n| *n > 0);
    per_month.retain(|_, n| *n > 0);
    assert_eq!(counted, per_month);
    assert!(people.iter().any(|r| r[3] == "escalated"), "someone moves up");
    // Tiers never go down from one month end to the next.
    let mut last: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &people {
        if let Some(before) = last.insert(&r[1], &r[2]) {
            // A < B < C < D as letters: a lower letter is a higher list.
            assert!(r[2].as_str() <= before, "{} went from {before} to {}", r[1], r[2]);
        }
    }

    // This month's moves are the last month's new and escalated people.
    let (th, this) = read_csv(&out.join("this_month.csv"));
    assert_eq!(
        th,
        ["month", "person_id", "change", "from", "list", "entered", "reasons"]
    );
    let moved_last: Vec<&Vec<String>> = people
        .iter()
        .filter(|r| r[0] == "2022-12" && (r[3] == "new" || r[3] == "escalated"))
        .collect();
    assert_eq!(this.len(), moved_last.len());

    // Notifications due: statuses, and fewer people once the notifications are given.
    let (dh, due) = read_csv(&out.join("notifications_due.csv"));
    assert_eq!(
        dh,
        [
            "person_id",
            "list",
            "status",
            "entered",
            "escalated",
            "due",
            "days",
            "last_notified"
        ]
    );
    assert!(due.iter().all(|r| r[2] == "due" || r[2] == "overdue"));
    assert!(
        due.iter().any(|r| !r[7].is_empty()),
        "someone notified for a lower list"
    );
    let bare = dir.join("bare");
    ok(&ipvi(&[
        "cycle",
        ex,
        "--as-of",
        "2022-12-31",
        "--out",
        bare.to_str().unwrap(),
    ]));
    let (_, due_bare) = read_csv(&bare.join("notifications_due.csv"));
    let listed_last = people.iter().filter(|r| r[0] == "2022-12").count();
    assert_eq!(
        due_bare.len(),
        listed_last,
        "without notifications everyone listed is due"
    );
    assert!(due.len() < due_bare.len(), "{} vs {}", due.len(), due_bare.len());

    let agenda = std::fs::read_to_string(out.join("agenda.html")).unwrap();
    assert!(agenda.contains("IPVI partnership meeting — 2022-12"), "agenda");
    assert!(agenda.contains(&format!(
        "Notifications overdue ({})",
        due.iter().filter(|r| r[2] == "overdue").count()
    )));
    assert!(agenda.contains("6. Implementation as of 2022-12-31"), "agenda");

    // The implementation measures with the lists as they stood at the as-of date: the people on
    // each list in fidelity.csv are the month-end sizes (or suppressed when small); none without
    // the programme's records.
    let (fh, fid) = read_csv(&out.join("fidelity.csv"));
    let (fm, fg, fw, fv) = (
        col(&fh, "measure"),
        col(&fh, "group"),
        col(&fh, "what"),
        col(&fh, "value"),
    );
    let mut compared = 0;
    for r in sizes.iter().filter(|r| r[0] == "2022-12") {
        let row = fid
            .iter()
            .find(|f| f[fm] == "Share of each list notified" && f[fg] == r[2] && f[fw] == "on_list")
            .unwrap_or_else(|| panic!("no coverage row for list {}", r[2]));
        // A small list is suppressed (and a second one with it, so that no total gives it away).
        if row[fv] != "<11" {
            assert_eq!(row[fv], r[3], "list {}", r[2]);
            compared += 1;
        }
    }
    assert!(compared >= 2, "{compared} lists shown");
    assert!(!bare.join("fidelity.csv").exists());
    let xlsx = std::fs::read(out.join("cycle.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"), "cycle.xlsx is a workbook");

    // No victim record id or name in any output; every person id is a listed person's.
    let listed: HashSet<&str> = people.iter().map(|r| r[1].as_str()).collect();
    let texts: Vec<String> = [
        "agenda.html",
        "this_month.csv",
        "notifications_due.csv",
        "month_end_lists.csv",
        "month_end_people.csv",
        "fidelity.csv",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(out.join(f)).unwrap())
    .collect();
    let (p_headers, persons) = read_csv(&export.join("persons.csv"));
    let (rid, role, first, lastn) = (
        col(&p_headers, "record_id"),
        col(&p_headers, "role"),
        col(&p_headers, "first_name"),
        col(&p_headers, "last_name"),
    );
    let mut checked = 0;
    for t in &texts {
        let toks = tokens(t);
        for r in persons.iter().filter(|r| r[role] == "victim") {
            assert!(
                !toks.contains(r[rid].as_str()),
                "victim record {} in a cycle output",
                r[rid]
            );
            let name = format!("{}, {}", r[lastn].trim(), r[first].trim()).to_uppercase();
            assert!(!t.to_uppercase().contains(&name), "{name} in a cycle output");
            checked += 1;
        }
        for tok in toks
            .iter()
            .filter(|x| x.len() == 7 && x.starts_with('P') && x[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            assert!(listed.contains(tok), "{tok} is not a listed person");
        }
    }
    assert!(checked > 500, "{checked}");

    // A month picked mid-year ends on its as-of date.
    let june = dir.join("june");
    let stdout = ok(&ipvi(&[
        "cycle",
        ex,
        "--as-of",
        "2022-06-15",
        "--out",
        june.to_str().unwrap(),
    ]));
    assert!(stdout.starts_with("2022-06: 42 month ends replayed"), "{stdout}");
    let (_, sizes) = read_csv(&june.join("month_end_lists.csv"));
    assert_eq!(sizes.last().unwrap()[..2], ["2022-06", "2022-06-15"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_due_rule_or_a_missing_date_is_refused_saying_what_to_do() {
    let dir = scratch("cycle-bad");
    let due = dir.join("due.json");
    std::fs::write(
        &due,
        r#"{"version":1,"lists":{"A":{"days_from_entry":14,"days_from_escalation":14},
        "B":{"days_from_entry":30,"days_from_escalation":30},"C":{"days_from_entry":-5,"days_from_escalation":30},
        "D":{"days_from_entry":60,"days_from_escalation":60}}}"#,
    )
    .unwrap();
    let out = ipvi(&[
        "cycle",
        "/nonexistent-folder",
        "--as-of",
        "2022-12-31",
        "--due",
        due.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lists.C.days_from_entry is -5"), "{err}");
    let out = ipvi(&["cycle", "/nonexistent-folder", "--out", "o"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as-of"));
    let _ = std::fs::remove_dir_all(&dir);
}
