//! Advocates' contacts with victims, as the partnership records them: one row per attempt to
//! reach the victim of a listed offender's case (`contact_date,person_id,record_id,result,by`).
//!
//! The case is named by the *offender* (their person id or one of their record ids), never by the
//! victim: these records are only ever counted (see [`crate::fidelity`]) and never shown per
//! victim. [`read_csv`] is tolerant: a bad row becomes a [`Diagnostic`] naming the file, row,
//! column and value, and the rest is read.

use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use crate::export::push_csv_row;
use serde::{Deserialize, Serialize};

/// One attempt by an advocate to reach the victim of an offender's case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// The offender's person id (may be empty when `record_id` is set).
    pub person_id: String,
    /// A record id of the offender, when known: the surest link.
    pub record_id: Option<String>,
    pub date: Date,
    /// Whether the victim was reached.
    pub reached: bool,
    /// Who made the contact (advocate, agency).
    pub by: String,
}

/// The columns of the contacts CSV, in order.
pub const CSV_COLUMNS: [&str; 5] = ["contact_date", "person_id", "record_id", "result", "by"];

/// Column names accepted for each field (lower case, first match wins).
const ALIASES: [(&str, &[&str]); 5] = [
    ("contact_date", &["contact_date", "date", "contacted_on"]),
    ("person_id", &["person_id", "offender_id", "person"]),
    ("record_id", &["record_id", "record"]),
    ("result", &["result", "outcome", "reached", "status"]),
    ("by", &["by", "advocate", "agency", "contacted_by"]),
];

/// Parse a result: reached (`reached`, `yes`, `contacted`, `spoke`) or not (`not reached`,
/// `no`, `no answer`, `failed`, `left message`). `None` for anything else.
pub fn parse_reached(s: &str) -> Option<bool> {
    match crate::notify::key(s).as_str() {
        "reached" | "yes" | "y" | "contacted" | "spoke" | "success" | "successful" | "connected" => Some(true),
        "notreached" | "no" | "n" | "noanswer" | "failed" | "unreached" | "leftmessage" | "unsuccessful"
        | "noresponse" | "notcontacted" => Some(false),
        _ => None,
    }
}

/// Read contacts from CSV bytes (`file` names the file in diagnostics). Rows without an
/// offender, a readable date or a readable result are skipped with an error diagnostic.
pub fn read_csv(file: &str, bytes: &[u8]) -> (Vec<ContactRecord>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Vec::new();
    let (mut rd, headers) = match crate::notify::open_csv(file, bytes, "the contacts") {
        Ok(opened) => opened,
        Err(d) => return (out, vec![d]),
    };
    let [date_c, person_c, record_c, result_c, by_c] =
        ALIASES.map(|(field, _)| crate::notify::column(&ALIASES, &headers, field));
    for (need, c) in [("contact_date", date_c), ("result", result_c)] {
        if c.is_none() {
            diags.push(Diagnostic::file(
                Severity::Error,
                file,
                format!("column {need:?} is missing; the file needs {}", CSV_COLUMNS.join(",")),
            ));
        }
    }
    if person_c.is_none() && record_c.is_none() {
        diags.push(Diagnostic::file(
            Severity::Error,
            file,
            "neither a person_id nor a record_id column: add the offender whose case each contact belongs to",
        ));
    }
    if !diags.is_empty() {
        return (out, diags);
    }
    for (k, rec) in rd.records().enumerate() {
        let row = k as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                diags.push(Diagnostic::cell(
                    Severity::Error,
                    file,
                    row,
                    "",
                    "",
                    format!("unreadable row ({e}); skipped"),
                ));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("");
        let person_id = get(person_c).to_string();
        let record_id = Some(get(record_c).to_string()).filter(|s| !s.is_empty());
        if person_id.is_empty() && record_id.is_none() {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "person_id",
                "",
                "no person_id and no record_id: the row is skipped; fill in the offender whose case it is",
            ));
            continue;
        }
        let dtext = get(date_c);
        let Some(date) = Date::parse(dtext) else {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "contact_date",
                dtext,
                "not a date (use YYYY-MM-DD or MM/DD/YYYY): the row is skipped",
            ));
            continue;
        };
        let rtext = get(result_c);
        let Some(reached) = parse_reached(rtext) else {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "result",
                rtext,
                "not a result (reached or not reached): the row is skipped",
            ));
            continue;
        };
        out.push(ContactRecord {
            person_id,
            record_id,
            date,
            reached,
            by: get(by_c).to_string(),
        });
    }
    (out, diags)
}

/// Write contacts as CSV with the columns of [`CSV_COLUMNS`].
pub fn write_csv(records: &[ContactRecord]) -> String {
    let mut s = String::new();
    push_csv_row(&mut s, CSV_COLUMNS);
    for r in records {
        let date = r.date.to_string();
        push_csv_row(
            &mut s,
            [
                date.as_str(),
                r.person_id.as_str(),
                r.record_id.as_deref().unwrap_or(""),
                if r.reached { "reached" } else { "not reached" },
                r.by.as_str(),
            ],
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "contact_date,person_id,record_id,result,by\n\
        2022-02-01,P1,,reached,ADVOCATE\n\
        03/05/2022,,R7,No answer,ADVOCATE\n\
        2022-02-30,P2,,reached,ADVOCATE\n\
        2022-03-01,,,reached,ADVOCATE\n\
        2022-03-02,P3,,maybe,ADVOCATE\n";

    #[test]
    fn reads_good_rows_and_names_every_bad_cell() {
        let (recs, diags) = read_csv("c.csv", SAMPLE.as_bytes());
        let got: Vec<(&str, Option<&str>, bool)> = recs
            .iter()
            .map(|r| (r.person_id.as_str(), r.record_id.as_deref(), r.reached))
            .collect();
        assert_eq!(got, vec![("P1", None, true), ("", Some("R7"), false)]);
        let at: Vec<(Option<u64>, Option<&str>, Option<&str>)> = diags
            .iter()
            .map(|d| (d.row, d.column.as_deref(), d.value.as_deref()))
            .collect();
        assert_eq!(
            at,
            vec![
                (Some(4), Some("contact_date"), Some("2022-02-30")),
                (Some(5), Some("person_id"), Some("")),
                (Some(6), Some("result"), Some("maybe")),
            ]
        );
    }

    #[test]
    fn csv_round_trip_keeps_every_field() {
        let (recs, _) = read_csv("c.csv", SAMPLE.as_bytes());
        let (again, diags) = read_csv("again.csv", write_csv(&recs).as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(again, recs);
    }

    #[test]
    fn a_file_without_a_result_column_says_so() {
        let (recs, diags) = read_csv("c.csv", b"date,person_id\n2022-01-01,P1\n");
        assert!(recs.is_empty());
        assert!(diags.iter().any(|d| d.message.contains("\"result\"")), "{diags:?}");
    }
}
