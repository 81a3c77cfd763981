//! Notification tracking: who was notified, when, for which list, how and by whom, and what
//! happened afterwards.
//!
//! Records are plain serde data so that the app keeps them in the workspace and the command reads
//! them from CSV. [`read_csv`] is tolerant: a bad row becomes a [`Diagnostic`] naming the file,
//! row, column and value, and the rest is read. [`to_case_notifications`] maps each record to a
//! person of a [`CaseFile`] (by the record id of one of the person's records, else by person id).

use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use crate::export::push_csv_row;
use crate::offenders::{CaseFile, List, Notification, PersonIx};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How a notification was delivered.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    Letter,
    InPerson,
    CallIn,
    /// Any other way, named by the partnership.
    Custom(String),
}

impl NotificationKind {
    /// Parse a type as written (`letter`, `in-person`, `visit`, `call-in`, ...); anything else is
    /// kept as a custom kind. `None` for an empty text.
    pub fn parse(s: &str) -> Option<NotificationKind> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        let k = key(t);
        Some(match k.as_str() {
            "letter" | "mail" | "mailed" | "letters" => NotificationKind::Letter,
            "inperson" | "visit" | "homevisit" | "facetoface" | "doorstep" => NotificationKind::InPerson,
            "callin" | "callins" | "forum" | "meeting" => NotificationKind::CallIn,
            _ => NotificationKind::Custom(t.to_string()),
        })
    }

    /// The name used in files and reports.
    pub fn as_str(&self) -> &str {
        match self {
            NotificationKind::Letter => "letter",
            NotificationKind::InPerson => "in-person",
            NotificationKind::CallIn => "call-in",
            NotificationKind::Custom(s) => s,
        }
    }
}

/// Whether an attempt to notify reached the offender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The notification was delivered (the default when the file does not say).
    #[default]
    Delivered,
    /// The attempt failed (not found, refused, returned letter, no show).
    Failed,
}

impl Outcome {
    /// Parse an outcome as written (`delivered`, `served`, `yes`; `failed`, `not found`,
    /// `refused`, `returned`, `no`, ...). An empty text is delivered; `None` for anything else.
    pub fn parse(s: &str) -> Option<Outcome> {
        match key(s).as_str() {
            "" | "delivered" | "delivery" | "served" | "success" | "successful" | "succeeded" | "done" | "yes"
            | "y" | "notified" | "completed" | "complete" | "ok" | "reached" | "attended" => Some(Outcome::Delivered),
            "failed" | "fail" | "failure" | "unsuccessful" | "notdelivered" | "undelivered" | "notfound"
            | "notserved" | "refused" | "returned" | "noshow" | "no" | "n" | "attempted" | "notreached"
            | "unreached" => Some(Outcome::Failed),
            _ => None,
        }
    }

    /// The name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Failed => "failed",
        }
    }
}

/// Something that happened after a notification ("reoffended", "call-in attended", ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub date: Option<Date>,
    pub what: String,
}

/// One notification as the partnership recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRecord {
    /// The person's id (from linkage, or the agency's own), may be empty when `record_id` is set.
    pub person_id: String,
    /// A record id of the person in the agency's data, when known: the surest link.
    pub record_id: Option<String>,
    pub date: Date,
    pub list: List,
    pub kind: NotificationKind,
    pub delivered_by: String,
    pub notes: String,
    pub events: Vec<FollowUp>,
    /// Whether the attempt reached the offender (a failed attempt is one row too).
    #[serde(default)]
    pub outcome: Outcome,
    /// The id of the qualifying incident, when the partnership recorded it; otherwise the
    /// person's latest IPV incident on or before the notification is taken.
    #[serde(default)]
    pub incident: Option<String>,
}

/// The columns of the notification CSV, in order.
pub const CSV_COLUMNS: [&str; 10] = [
    "person_id",
    "record_id",
    "notification_date",
    "list",
    "type",
    "delivered_by",
    "notes",
    "events",
    "outcome",
    "incident",
];

/// Column names accepted for each field (lower case, first match wins).
const ALIASES: [(&str, &[&str]); 10] = [
    ("person_id", &["person_id", "person", "offender_id"]),
    ("record_id", &["record_id", "record"]),
    (
        "notification_date",
        &["notification_date", "date", "notified", "notified_on"],
    ),
    ("list", &["list", "tier"]),
    ("type", &["type", "kind", "notification_type", "method"]),
    ("delivered_by", &["delivered_by", "by", "agency", "deliverer"]),
    ("notes", &["notes", "note", "comments"]),
    ("events", &["events", "later_events", "follow_up"]),
    ("outcome", &["outcome", "status", "result", "delivered"]),
    (
        "incident",
        &[
            "incident",
            "qualifying_incident",
            "incident_id",
            "qualifying_incident_id",
        ],
    ),
];

/// Parse `events`: `DATE what; DATE what` (a date first is optional).
fn parse_events(s: &str) -> Vec<FollowUp> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            let (first, rest) = x.split_once(' ').unwrap_or((x, ""));
            match Date::parse(first) {
                Some(d) => FollowUp {
                    date: Some(d),
                    what: rest.trim().to_string(),
                },
                None => FollowUp {
                    date: None,
                    what: x.to_string(),
                },
            }
        })
        .collect()
}

fn events_text(ev: &[FollowUp]) -> String {
    ev.iter()
        .map(|e| match e.date {
            Some(d) => format!("{d} {}", e.what),
            None => e.what.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A value as a key to match against a list of spellings: its letters and digits, lower case
/// (`In-Person` → `inperson`, `Not found` → `notfound`).
pub(crate) fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A partnership's CSV file opened for reading (a UTF-8 byte-order mark dropped, rows of any
/// length, cells trimmed) with its lower-cased headers; an unreadable header row is an error
/// naming the file and saying what to save (`what`: "the notifications").
pub(crate) fn open_csv<'a>(
    file: &str,
    bytes: &'a [u8],
    what: &str,
) -> Result<(csv::Reader<&'a [u8]>, Vec<String>), Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    match rd.headers() {
        Ok(h) => {
            let headers = h.iter().map(|s| s.to_ascii_lowercase()).collect();
            Ok((rd, headers))
        }
        Err(e) => Err(Diagnostic::file(
            Severity::Error,
            file,
            format!("the header row cannot be read ({e}); save {what} as CSV with a header row"),
        )),
    }
}

/// The column of `field` among `headers`: the first of its spellings in `aliases` that is a
/// header.
pub(crate) fn column(aliases: &[(&str, &[&str])], headers: &[String], field: &str) -> Option<usize> {
    let names = aliases.iter().find(|a| a.0 == field).map(|a| a.1).unwrap_or(&[]);
    names.iter().find_map(|n| headers.iter().position(|h| h == n))
}

/// Read notifications from CSV bytes (`file` names the file in diagnostics). Rows without a
/// person, a readable date, a list or a readable outcome are skipped with an error diagnostic; an
/// empty type is read as a letter with a warning; an empty or missing outcome is delivered.
pub fn read_csv(file: &str, bytes: &[u8]) -> (Vec<NotificationRecord>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Vec::new();
    let (mut rd, headers) = match open_csv(file, bytes, "the notifications") {
        Ok(opened) => opened,
        Err(d) => return (out, vec![d]),
    };
    let c: HashMap<&str, Option<usize>> = CSV_COLUMNS
        .iter()
        .map(|f| (*f, column(&ALIASES, &headers, f)))
        .collect();
    for need in ["notification_date", "list"] {
        if c.get(need).copied().flatten().is_none() {
            diags.push(Diagnostic::file(
                Severity::Error,
                file,
                format!("column {need:?} is missing; the file needs {}", CSV_COLUMNS.join(",")),
            ));
        }
    }
    if c.get("person_id").copied().flatten().is_none() && c.get("record_id").copied().flatten().is_none() {
        diags.push(Diagnostic::file(
            Severity::Error,
            file,
            "neither a person_id nor a record_id column: add one so each notification names its person",
        ));
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
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
        let get = |f: &str| c.get(f).copied().flatten().and_then(|i| rec.get(i)).unwrap_or("");
        let person_id = get("person_id").to_string();
        let record_id = Some(get("record_id").to_string()).filter(|s| !s.is_empty());
        if person_id.is_empty() && record_id.is_none() {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "person_id",
                "",
                "no person_id and no record_id: the row is skipped; fill in who was notified",
            ));
            continue;
        }
        let dtext = get("notification_date");
        let Some(date) = Date::parse(dtext) else {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "notification_date",
                dtext,
                "not a date (use YYYY-MM-DD or MM/DD/YYYY): the row is skipped",
            ));
            continue;
        };
        let ltext = get("list");
        let Some(list) = List::parse(ltext) else {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "list",
                ltext,
                "not a list letter (A, B, C or D): the row is skipped",
            ));
            continue;
        };
        let ktext = get("type");
        let kind = NotificationKind::parse(ktext).unwrap_or_else(|| {
            diags.push(Diagnostic::cell(
                Severity::Warning,
                file,
                row,
                "type",
                ktext,
                "no notification type: read as a letter; fill in letter, in-person, call-in or your own",
            ));
            NotificationKind::Letter
        });
        let otext = get("outcome");
        let Some(outcome) = Outcome::parse(otext) else {
            diags.push(Diagnostic::cell(
                Severity::Error,
                file,
                row,
                "outcome",
                otext,
                "not an outcome (delivered or failed; empty means delivered): the row is skipped",
            ));
            continue;
        };
        out.push(NotificationRecord {
            person_id,
            record_id,
            date,
            list,
            kind,
            delivered_by: get("delivered_by").to_string(),
            notes: get("notes").to_string(),
            events: parse_events(get("events")),
            outcome,
            incident: Some(get("incident").to_string()).filter(|s| !s.is_empty()),
        });
    }
    (out, diags)
}

/// Write notifications as CSV with the columns of [`CSV_COLUMNS`] (cells that start with
/// = + - @ are neutralised).
pub fn write_csv(records: &[NotificationRecord]) -> String {
    let mut s = String::new();
    push_csv_row(&mut s, CSV_COLUMNS);
    for r in records {
        let date = r.date.to_string();
        let events = events_text(&r.events);
        push_csv_row(
            &mut s,
            [
                r.person_id.as_str(),
                r.record_id.as_deref().unwrap_or(""),
                date.as_str(),
                r.list.as_str(),
                r.kind.as_str(),
                r.delivered_by.as_str(),
                r.notes.as_str(),
                events.as_str(),
                r.outcome.as_str(),
                r.incident.as_deref().unwrap_or(""),
            ],
        );
    }
    s
}

/// Finds the person of a row that names a record id and/or a person id: by the record id when it
/// is one of the case file's records, else by the person id.
pub struct PersonLookup<'c, 'a> {
    cf: &'c CaseFile<'a>,
    by_id: HashMap<&'c str, PersonIx>,
}

impl<'c, 'a> PersonLookup<'c, 'a> {
    /// Index the people of `cf` by their ids.
    pub fn new(cf: &'c CaseFile<'a>) -> PersonLookup<'c, 'a> {
        PersonLookup {
            cf,
            by_id: cf
                .person_ids
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), i as PersonIx))
                .collect(),
        }
    }

    /// The person of a row, if any.
    pub fn person(&self, record_id: Option<&str>, person_id: &str) -> Option<PersonIx> {
        record_id
            .and_then(|rid| self.cf.person_of_record(rid))
            .or_else(|| self.by_id.get(person_id).copied())
    }
}

/// Map records to the people of a case file: by `record_id` when it is one of the case file's
/// records, else by `person_id`. Records matching nobody get a warning (row = position + 2, as in
/// the CSV) and are left out. Failed attempts are not notifications: they are left out without a
/// warning (the fidelity measures count them, see [`crate::fidelity`]).
pub fn to_case_notifications(
    records: &[NotificationRecord],
    cf: &CaseFile<'_>,
    file: &str,
) -> (Vec<Notification>, Vec<Diagnostic>) {
    let lookup = PersonLookup::new(cf);
    let mut out = Vec::with_capacity(records.len());
    let mut diags = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if r.outcome == Outcome::Failed {
            continue;
        }
        match lookup.person(r.record_id.as_deref(), &r.person_id) {
            Some(person) => out.push(Notification {
                person,
                date: r.date,
                list: r.list,
                kind: r.kind.as_str().to_string(),
                delivered_by: r.delivered_by.clone(),
            }),
            None => diags.push(Diagnostic::cell(
                Severity::Warning,
                file,
                i as u64 + 2,
                if r.record_id.is_some() {
                    "record_id"
                } else {
                    "person_id"
                },
                r.record_id.as_deref().unwrap_or(&r.person_id),
                "no such person or record in the loaded data: the notification is left out of the evaluation",
            )),
        }
    }
    out.sort_by_key(|n| (n.person, n.date));
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Involvement};

    const SAMPLE: &str = "person_id,record_id,notification_date,list,type,delivered_by,notes,events\n\
        P1,R1,01/15/2022,D,letter,PATROL,,\n\
        P2,,2022-02-01,c,In Person,DV UNIT,\"asked, about \"\"kids\"\"\",2022-05-01 reoffended; call-in attended\n\
        P3,,2022-13-01,B,call-in,DV UNIT,,\n\
        P4,,2022-03-01,E,letter,,,\n\
        ,,2022-03-01,A,letter,,,\n\
        P5,,2022-03-02,A,,DA,,\n\
        P6,,2022-03-03,A,door hanger,DA,,\n";

    #[test]
    fn reads_good_rows_and_names_every_bad_cell() {
        let (recs, diags) = read_csv("n.csv", SAMPLE.as_bytes());
        let got: Vec<(&str, &str, &str)> = recs
            .iter()
            .map(|r| (r.person_id.as_str(), r.list.as_str(), r.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("P1", "D", "letter"),
                ("P2", "C", "in-person"),
                ("P5", "A", "letter"),
                ("P6", "A", "door hanger")
            ]
        );
        type At<'a> = (Option<u64>, Option<&'a str>, Option<&'a str>, Severity);
        let where_: Vec<At> = diags
            .iter()
            .map(|d| (d.row, d.column.as_deref(), d.value.as_deref(), d.severity))
            .collect();
        assert_eq!(
            where_,
            vec![
                (Some(4), Some("notification_date"), Some("2022-13-01"), Severity::Error),
                (Some(5), Some("list"), Some("E"), Severity::Error),
                (Some(6), Some("person_id"), Some(""), Severity::Error),
                (Some(7), Some("type"), Some(""), Severity::Warning),
            ]
        );
        assert_eq!(recs[1].notes, "asked, about \"kids\"");
        assert_eq!(
            recs[1].events,
            vec![
                FollowUp {
                    date: Date::from_ymd(2022, 5, 1),
                    what: "reoffended".into()
                },
                FollowUp {
                    date: None,
                    what: "call-in attended".into()
                }
            ]
        );
        assert_eq!(recs[0].record_id.as_deref(), Some("R1"));
    }

    #[test]
    fn csv_round_trip_keeps_every_field() {
        let (recs, _) = read_csv("n.csv", SAMPLE.as_bytes());
        let text = write_csv(&recs);
        let (again, diags) = read_csv("again.csv", text.as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(again, recs);
    }

    #[test]
    fn reads_the_outcome_and_the_qualifying_incident() {
        let text = "person_id,date,list,type,status,qualifying_incident\n\
            P1,2022-01-01,D,letter,Not found,I-1\n\
            P1,2022-01-05,D,letter,,I-1\n\
            P2,2022-01-05,C,visit,served,\n\
            P3,2022-01-05,C,visit,perhaps,\n";
        let (recs, diags) = read_csv("n.csv", text.as_bytes());
        let got: Vec<(Outcome, Option<&str>)> = recs.iter().map(|r| (r.outcome, r.incident.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                (Outcome::Failed, Some("I-1")),
                (Outcome::Delivered, Some("I-1")),
                (Outcome::Delivered, None)
            ]
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].row, diags[0].column.as_deref(), diags[0].value.as_deref()),
            (Some(5), Some("outcome"), Some("perhaps"))
        );
        // A failed attempt is no notification for the evaluation.
        let data = Dataset {
            involvements: vec![Involvement {
                record_id: "R1".into(),
                ..Involvement::default()
            }]
            .into(),
            ..Dataset::default()
        };
        let ids = vec!["P1".to_string()];
        let cf = CaseFile::new(&data, &[], &[0], &ids, &[]).expect("case file");
        let (notes, _) = to_case_notifications(&recs, &cf, "n.csv");
        assert_eq!(
            notes.iter().map(|n| n.date.to_string()).collect::<Vec<_>>(),
            vec!["2022-01-05"]
        );
    }

    #[test]
    fn a_saved_workspace_without_outcome_loads_as_delivered() {
        let old = r#"{"person_id":"P1","record_id":null,"date":"2022-01-01","list":"D","kind":"letter","delivered_by":"","notes":"","events":[]}"#;
        let r: NotificationRecord = serde_json::from_str(old).expect("old record");
        assert_eq!((r.outcome, r.incident), (Outcome::Delivered, None));
    }

    #[test]
    fn a_file_without_the_needed_columns_says_so() {
        let (recs, diags) = read_csv("n.csv", b"who,when\nP1,2022-01-01\n");
        assert!(recs.is_empty());
        assert!(diags.iter().any(|d| d.message.contains("\"notification_date\"")));
        assert!(diags.iter().any(|d| d.message.contains("person_id")));
    }

    #[test]
    fn maps_by_record_first_then_person_id() {
        let data = Dataset {
            involvements: vec![
                Involvement {
                    record_id: "R1".into(),
                    ..Involvement::default()
                },
                Involvement {
                    record_id: "R2".into(),
                    ..Involvement::default()
                },
            ]
            .into(),
            ..Dataset::default()
        };
        let ids = vec!["X".to_string(), "P2".to_string()];
        let person_of = [1, 0];
        let cf = CaseFile::new(&data, &[], &person_of, &ids, &[]).expect("case file");
        let (recs, _) = read_csv("n.csv", SAMPLE.as_bytes());
        let (notes, diags) = to_case_notifications(&recs, &cf, "n.csv");
        // R1 is person 1 although its person_id column says P1; P2 is person 1 by id.
        assert_eq!(notes.iter().map(|n| n.person).collect::<Vec<_>>(), vec![1, 1]);
        assert_eq!(diags.len(), 2, "P5 and P6 are unknown: {diags:?}");
        assert_eq!(diags[0].value.as_deref(), Some("P5"));
    }
}
