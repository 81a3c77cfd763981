//! Nothing is lost without a word: implausible dates are set aside with a warning (and never
//! become the as-of date), duplicate and orphan rows are rejected with an error each and kept
//! for download, rows in = rows used + rows rejected for every file, and every problem is kept
//! for the download, not only the first thousand of a file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::date::Date;
use ipvi_core::diag::Severity;
use ipvi_core::import::{self, ImportOutcome};
use ipvi_core::input::InputFile;
use ipvi_core::pipeline;

/// The agency export fixture (the synthetic export's layout), with `edit` applied to its files.
fn agency_export(edit: impl Fn(&str, String) -> String) -> Vec<(String, Vec<u8>)> {
    let dir = format!("{}/../../tests/fixtures/agency_export", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let text = edit(&name, text);
            (name, text.into_bytes())
        })
        .collect();
    files.sort();
    files
}

fn import_as_of(files: &[(String, Vec<u8>)], as_of: Option<Date>) -> ImportOutcome {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let (tables, diags) = import::read_tables(&inputs, None);
    import::import_read_tables(tables, diags, None, as_of).unwrap().0
}

/// The `field`-th (0-based) value of line `line` (1-based, header = 1) replaced by `value`.
fn set_cell(text: String, line: usize, field: usize, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    cells[field] = value.to_string();
    lines[line - 1] = cells.join(",");
    lines.join("\n") + "\n"
}

fn rows_add_up(out: &ImportOutcome) {
    for f in out.files.iter().filter(|f| f.rows_used + f.rows_rejected > 0) {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{f:?}");
    }
}

fn diag_texts(out: &ImportOutcome, severity: Severity) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.to_string())
        .collect()
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn dates_in_year_1_and_9999_are_set_aside_and_never_the_as_of_date() {
    let files = agency_export(|name, text| match name {
        // incidents.csv: incident_id,agency,report_date,occurred_date,...
        "incidents.csv" => set_cell(set_cell(text, 5, 3, "01/01/9999"), 6, 3, "01/01/0001"),
        // persons.csv: a date of birth in year 1.
        "persons.csv" => set_cell(text, 2, 7, "0001-01-01"),
        _ => text,
    });
    let out = import_as_of(&files, None);
    let warnings = diag_texts(&out, Severity::Warning);
    for want in [
        "incidents.csv, row 5, column occurred_date, value \"01/01/9999\": not a plausible date: more than a year after \
         the as-of date 2020-12-30 (derived from the incident dates). The date was set aside and treated as missing; \
         the row is used",
        "incidents.csv, row 6, column occurred_date, value \"01/01/0001\": not a plausible date: before 1900-01-01",
        "persons.csv, row 2, column dob, value \"0001-01-01\": not a plausible date: before 1900-01-01",
    ] {
        assert!(warnings.iter().any(|w| w.starts_with(want)), "no {want:?} in {warnings:#?}");
    }
    assert_eq!(out.implausible_dates, 3);
    assert_eq!(out.as_of, Some(d("2020-12-30")));
    // The rows are used, with the date missing.
    let inc = |id: &str| out.dataset.incidents.iter().find(|i| i.incident_id == id).unwrap();
    assert_eq!((inc("NPD19-000003").date, inc("NPD19-000004").date), (None, None));
    assert_eq!(out.dataset.incidents.len(), 134);
    rows_add_up(&out);
    assert_eq!(pipeline::last_date(&out.dataset), Some(d("2020-12-30")));
    // The audit (the app's audit screen and `ipvi audit --json`) counts and says them.
    let profile = import::profile::Profile::builtins()
        .into_iter()
        .find(|p| p.name == out.profile)
        .unwrap();
    let audit = import::audit(
        &out,
        &profile,
        &ipvi_core::classify::CodeTable::nibrs_default(),
        &import::AuditThresholds::default(),
    );
    assert_eq!(audit.implausible_dates, 3);
    assert_eq!(audit.rows_read, audit.rows_used + audit.rows_rejected);
    assert!(
        audit
            .verdict
            .reasons
            .iter()
            .any(|r| r.starts_with("3 date(s) cannot be right")),
        "{:?}",
        audit.verdict.reasons
    );

    // The same lists as without the bad dates but for the two incidents' dates.
    let clean = import_as_of(&agency_export(|_, t| t), None);
    assert_eq!(clean.implausible_dates, 0);
    assert_eq!(clean.as_of, out.as_of);
}

#[test]
fn a_given_as_of_date_bounds_the_dates() {
    let files = agency_export(|_, t| t);
    let out = import_as_of(&files, Some(d("2019-03-31")));
    assert_eq!(out.as_of, Some(d("2019-03-31")));
    let warnings = diag_texts(&out, Severity::Warning);
    assert!(out.implausible_dates > 0);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("more than a year after the as-of date 2019-03-31 (given)")),
        "{warnings:#?}"
    );
    // Nothing dated after 2020-03-31 is left, and nothing up to it was set aside.
    let limit = d("2020-03-31");
    assert!(out.dataset.incidents.iter().filter_map(|i| i.date).all(|x| x <= limit));
    let clean = import_as_of(&files, None);
    let later = clean
        .dataset
        .incidents
        .iter()
        .filter(|i| i.date.is_some_and(|x| x > limit))
        .count();
    assert!(later > 0);
    let undated = |o: &ImportOutcome| o.dataset.incidents.iter().filter(|i| i.date.is_none()).count();
    assert_eq!(undated(&out), undated(&clean) + later);
    rows_add_up(&out);
}

#[test]
fn duplicates_and_orphans_are_rejected_one_by_one() {
    let files = agency_export(|name, mut text| {
        let line = |n: usize| text.lines().nth(n - 1).unwrap().to_string();
        match name {
            "incidents.csv" => {
                let (exact, other) = (line(2), line(3).replace(",0,", ",1,"));
                text.push_str(&format!("{exact}\n{other}\n"));
            }
            "persons.csv" => {
                let again = line(3).replace("MARTINEZ", "MARTIN");
                text.push_str(&format!(
                    "{again}\nNPD19-999999-P01,NPD19-999999,victim,DOE,JANE,,,01/01/1990,30,F,W,,,,,\n"
                ));
            }
            "relationships.csv" => text.push_str("NPD19-999999,NPD19-999999-P01,NPD19-000001-P02,GF,GIRLFRIEND\n"),
            "offenses.csv" => text.push_str("NPD19-999999,1,1300,ASSAULT,13B,C,\n"),
            _ => {}
        }
        text
    });
    let out = import_as_of(&files, None);
    let errors = diag_texts(&out, Severity::Error);
    for want in [
        "incidents.csv, row 136, column (whole row), value \"\": the row repeats an earlier row exactly (a duplicate): it was rejected",
        "incidents.csv, row 137, column incident_id, value \"NPD19-000002\": this incident id was already read on an earlier row (a duplicate record): the repeat was rejected",
        "persons.csv, row 233, column record_id, value \"NPD19-000001-P02\": this person record id was already read on an earlier row (a duplicate record): the repeat was rejected",
        "persons.csv, row 234, column incident_id, value \"NPD19-999999\": no incident with this id in incidents.csv: the person was rejected",
        "relationships.csv, row 83, column victim_record_id, value \"NPD19-999999-P01\": no victim with this id in persons.csv: the pair was rejected",
        "offenses.csv, row 139, column incident_id, value \"NPD19-999999\": no incident with this id in incidents.csv: the offence was rejected",
    ] {
        assert!(errors.iter().any(|e| e.starts_with(want)), "no {want:?} in {errors:#?}");
    }
    assert_eq!(errors.len(), 6, "{errors:#?}");
    assert_eq!(out.rejected.len(), 6);
    let csv = import::rejected_to_csv(&out.rejected);
    assert_eq!(csv.lines().count(), 7, "{csv}");
    assert_eq!((out.duplicate_ids, out.identical_rows), (2, 1));
    // The first of each is kept, the rest not: the counts are those of the fixture.
    let clean = import_as_of(&agency_export(|_, t| t), None);
    assert_eq!(out.dataset.incidents.len(), clean.dataset.incidents.len());
    assert_eq!(out.dataset.involvements, clean.dataset.involvements);
    assert_eq!(out.dataset.pairs.len(), clean.dataset.pairs.len());
    assert_eq!(out.dataset.offenses.len(), clean.dataset.offenses.len());
    rows_add_up(&out);
    let rejected: u64 = out.files.iter().map(|f| f.rows_rejected).sum();
    assert_eq!(rejected, 6);
    let profile = import::profile::Profile::builtins()
        .into_iter()
        .find(|p| p.name == out.profile)
        .unwrap();
    let audit = import::audit(
        &out,
        &profile,
        &ipvi_core::classify::CodeTable::nibrs_default(),
        &import::AuditThresholds::default(),
    );
    assert_eq!(
        (audit.rows_rejected, audit.duplicate_ids, audit.identical_rows),
        (6, 2, 1)
    );
    assert_eq!(audit.rows_read, audit.rows_used + audit.rows_rejected);
}

#[test]
fn a_flat_row_with_the_record_id_of_another_incident_is_rejected() {
    let csv = "Incident Number,Report Date,Person ID,Role,Last Name,First Name,DOB,Relationship\n\
               24-001,2024-01-03,P-1,VICTIM,SMITH,ANN,1990-02-03,GIRLFRIEND\n\
               24-001,2024-01-03,P-2,SUSPECT,JONES,BOB,1988-04-05,\n\
               24-002,2024-02-03,P-3,VICTIM,SMITH,ANN,1990-02-03,GIRLFRIEND\n\
               24-002,2024-02-03,P-2,SUSPECT,JONES,BOB,1988-04-05,\n\
               24-001,2024-01-04,P-2,SUSPECT,JONES,BOB,1988-04-05,\n";
    let files = vec![("flat.csv".to_string(), csv.as_bytes().to_vec())];
    let out = import_as_of(&files, None);
    let errors = diag_texts(&out, Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "flat.csv, row 5, column Person ID, value \"P-2\": this person record id was already read for incident \
             24-001 on an earlier row, and a record id belongs to one incident: the row was rejected (the first is kept)"
        ),
        "{errors:#?}"
    );
    assert_eq!(out.rejected.len(), 1);
    assert_eq!(out.rejected[0].row, 5);
    // The same person on another row of the same incident (one row per offence) is not a problem.
    assert_eq!(out.dataset.involvements.len(), 3);
    assert_eq!(out.files[0].rows_read, 5);
    assert_eq!((out.files[0].rows_used, out.files[0].rows_rejected), (4, 1));
}

#[test]
fn every_problem_of_a_file_is_kept_not_only_the_first_thousand() {
    let mut csv = String::from("Incident Number,Report Date,Agency,Narrative\n");
    for i in 0..3000 {
        let date = if i >= 500 {
            "31/02/2019".to_string()
        } else {
            format!("2019-03-{:02}", i % 28 + 1)
        };
        csv.push_str(&format!("24-{i:05},{date},METRO PD,SHE SAID HER BOYFRIEND HIT HER\n"));
    }
    let files = vec![("incidents.csv".to_string(), csv.into_bytes())];
    let out = import_as_of(&files, None);
    let bad: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.value.as_deref() == Some("31/02/2019"))
        .collect();
    assert_eq!(bad.len(), 2500);
    assert_eq!((bad[0].row, bad[2499].row), (Some(502), Some(3001)));
    assert!(
        !out.diagnostics.iter().any(|d| d.message.contains("not listed")),
        "no problem is left out"
    );
    assert_eq!(out.dataset.incidents.len(), 3000);
}
