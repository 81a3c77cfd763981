//! The cycle on a hand-made case file: month ends, moves with their reasons, due and overdue
//! notifications (read from CSV text, as a partnership records them), and no victim
//! information in any output.

use super::due::DueRules;
use super::sheets::{agenda_document, all_sheets, ExtraSection};
use super::*;
use crate::model::{Arrest, Dataset, Incident, Involvement, Offense, Pair, RelClass, Role};
use crate::offenders::outputs::analyze;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap_or(Date(0))
}

/// Offenders are even persons (`P0`, `P2`, ...), each one's partner the next odd person
/// (`VICTIM1`, ...), whose records carry a distinctive name.
#[derive(Default)]
struct Fixture {
    data: Dataset,
    classes: Vec<RelClass>,
    person_of: Vec<PersonIx>,
}

const VICTIM_FIRST: &str = "Zebulona";
const VICTIM_LAST: &str = "Quixotica-Vandermeer";

impl Fixture {
    fn record(&mut self, incident: &str, person: PersonIx, role: Role) -> String {
        let id = format!("{incident}-r{}", self.data.involvements.len());
        let victim = role == Role::Victim;
        self.data.involvements.push(Involvement {
            record_id: id.clone().into(),
            incident_id: incident.into(),
            role: Some(role),
            first_name: if victim { VICTIM_FIRST } else { "Alan" }.into(),
            last_name: if victim { VICTIM_LAST } else { "Smith" }.into(),
            ..Involvement::default()
        });
        self.person_of.push(person);
        id
    }

    /// An IPV incident of `offender` against `offender + 1`, with an arrest when `charged`.
    fn incident(&mut self, id: &str, date: &str, offender: PersonIx, charged: bool) {
        self.data.incidents.push(Incident {
            incident_id: id.into(),
            date: Some(d(date)),
            ..Incident::default()
        });
        self.data.offenses.push(Offense {
            incident_id: id.into(),
            offense_id: compact_str::format_compact!("{id}-0"),
            nibrs_code: "13B".into(),
            ..Offense::default()
        });
        let o = self.record(id, offender, Role::Offender);
        let v = self.record(id, offender + 1, Role::Victim);
        self.data.pairs.push(Pair {
            incident_id: id.into(),
            victim_record_id: v.into(),
            offender_record_id: o.clone().into(),
            ..Pair::default()
        });
        self.classes.push(RelClass::IntimatePartner);
        if charged {
            self.data.arrests.push(Arrest {
                arrest_id: compact_str::format_compact!("a{}", self.data.arrests.len()),
                incident_id: Some(id.into()),
                record_id: o.into(),
                date: Some(d(date)),
                nibrs_code: "13B".into(),
                felony: Some(false),
                ..Arrest::default()
            });
        }
    }
}

fn ids(n: u32) -> Vec<String> {
    (0..n)
        .map(|p| {
            if p % 2 == 0 {
                format!("P{p}")
            } else {
                format!("VICTIM{p}")
            }
        })
        .collect()
}

/// The scenario: P6 on D in January (never notified: overdue in April); P2 on C in February
/// (notified in March); P4 on D in March (notified only after the as-of date: due); P0 on D in
/// January (notified for D in February), raised to B in April; P8 new on D in April and notified
/// in April before the month's refresh.
fn scenario() -> Fixture {
    let mut fx = Fixture::default();
    fx.incident("i6", "2023-01-05", 6, false);
    fx.incident("i0a", "2023-01-10", 0, false);
    fx.incident("i2", "2023-02-14", 2, true);
    fx.incident("i4", "2023-03-20", 4, false);
    fx.incident("i8", "2023-04-02", 8, false);
    fx.incident("i0b", "2023-04-03", 0, true);
    fx
}

const NOTES: &str = "person_id,notification_date,list,type,delivered_by\n\
P0,2023-02-15,D,letter,DV unit\n\
P2,2023-03-10,C,in-person,DV unit\n\
P4,2023-05-01,D,letter,DV unit\n\
P8,2023-04-10,D,letter,DV unit\n";

fn notifications(cf: &CaseFile<'_>) -> Vec<Notification> {
    let (records, diags) = crate::notify::read_csv("notifications.csv", NOTES.as_bytes());
    assert!(diags.is_empty(), "{diags:?}");
    let (notes, diags) = crate::notify::to_case_notifications(&records, cf, "notifications.csv");
    assert!(diags.is_empty(), "{diags:?}");
    notes
}

fn sizes(a: u64, b: u64, c: u64, d: u64) -> [u64; 4] {
    [a, b, c, d]
}

#[test]
fn month_ends_run_from_the_first_month_to_the_as_of_date() {
    assert_eq!(month_end(d("2024-02-10")), d("2024-02-29"));
    assert_eq!(month_end(d("2023-12-31")), d("2023-12-31"));
    assert_eq!(
        month_ends(d("2023-11-20"), d("2024-01-15")),
        vec![d("2023-11-30"), d("2023-12-31"), d("2024-01-15")]
    );
    assert_eq!(month_ends(d("2023-11-20"), d("2023-11-30")), vec![d("2023-11-30")]);
    assert!(month_ends(d("2023-12-01"), d("2023-11-30")).is_empty());
}

#[test]
fn the_replay_keeps_each_month_end_with_its_moves_and_reasons() {
    let fx = scenario();
    let ids = ids(10);
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &[]).expect("fixture");
    let r = replay(&cf, &OffenderConfig::default(), d("2023-04-15"), None, &mut |_| true).expect("not cancelled");
    let months: Vec<(&str, [u64; 4])> = r.months.iter().map(|m| (m.month.as_str(), m.sizes)).collect();
    assert_eq!(
        months,
        vec![
            ("2023-01", sizes(0, 0, 0, 2)),
            ("2023-02", sizes(0, 0, 1, 2)),
            ("2023-03", sizes(0, 0, 1, 3)),
            ("2023-04", sizes(0, 1, 1, 3)),
        ]
    );
    let april = &r.months[3];
    assert_eq!(april.as_of, d("2023-04-15"));
    let moved: Vec<(&str, Change, Option<List>, List)> = april
        .moves
        .iter()
        .map(|m| (m.person_id.as_str(), m.change, m.from, m.list))
        .collect();
    assert_eq!(
        moved,
        vec![
            ("P0", Change::Escalated, Some(List::D), List::B),
            ("P8", Change::New, None, List::D)
        ]
    );
    let rules: Vec<&str> = april.moves[0].reasons.iter().map(|x| x.rule.as_str()).collect();
    assert_eq!(rules, ["B-repeat-charged", "C-first-charge"]);
    assert_eq!(april.moves[0].reasons[0].incidents, ["i0a", "i0b"]);
    // Replayed from nothing, each month is what `analyze` gives as of its end from the month
    // end before.
    let mut prev = Snapshot::default();
    for m in &r.months {
        let rep = analyze(&cf, Window::five_years(m.as_of), &OffenderConfig::default(), &prev);
        let mut lists: Vec<(PersonIx, List)> = rep
            .offenders
            .iter()
            .map(|o| (o.info.person, o.assignment.list))
            .collect();
        lists.sort_unstable();
        assert_eq!(lists, m.lists, "{}", m.month);
        prev = rep.snapshot;
    }
    assert_eq!(prev, r.snapshot);
}

#[test]
fn due_and_overdue_notifications_follow_the_due_rule() {
    let fx = scenario();
    let ids = ids(10);
    let cf0 = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &[]).expect("fixture");
    let notes = notifications(&cf0);
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &notes).expect("fixture");
    let r = replay(&cf, &OffenderConfig::default(), d("2023-04-15"), None, &mut |_| true).expect("not cancelled");
    let tm = this_month(&r, &notes, &DueRules::default(), &ids);
    assert_eq!(tm.month, "2023-04");
    assert_eq!(tm.previous_sizes, Some(sizes(0, 0, 1, 3)));
    assert_eq!(tm.new.iter().map(|m| m.person_id.as_str()).collect::<Vec<_>>(), ["P8"]);
    assert_eq!(
        tm.escalated.iter().map(|m| m.person_id.as_str()).collect::<Vec<_>>(),
        ["P0"]
    );
    let row = |x: &DueNotification| (x.person_id.clone(), x.list, x.due, x.days, x.last_notified);
    // P0: raised to B at the April refresh (the as-of date); the February letter was for D.
    // P4: on D since 31 March, 60 days; the May letter is after the as-of date.
    assert_eq!(
        tm.due.iter().map(row).collect::<Vec<_>>(),
        vec![
            (
                "P0".to_string(),
                List::B,
                d("2023-05-15"),
                30,
                Some((d("2023-02-15"), List::D))
            ),
            ("P4".to_string(), List::D, d("2023-05-30"), 45, None),
        ]
    );
    assert!(tm.due[0].escalated && !tm.due[1].escalated);
    // P6: on D since 31 January, due 1 April, never notified: 14 days overdue.
    assert_eq!(
        tm.overdue.iter().map(row).collect::<Vec<_>>(),
        vec![("P6".to_string(), List::D, d("2023-04-01"), 14, None)]
    );
    assert!(tm
        .overdue
        .iter()
        .chain(&tm.due)
        .all(|x| x.person_id != "P2" && x.person_id != "P8"));

    // A stricter rule for D makes P4 overdue too.
    let mut strict = DueRules::default();
    if let Some(x) = strict.lists.get_mut("D") {
        x.days_from_entry = 7;
    }
    let tm = this_month(&r, &notes, &strict, &ids);
    let over: Vec<(&str, i64)> = tm.overdue.iter().map(|x| (x.person_id.as_str(), x.days)).collect();
    assert_eq!(over, [("P6", 67), ("P4", 8)]);
}

#[test]
fn no_victim_name_or_id_appears_in_any_cycle_sheet_or_the_agenda() {
    let fx = scenario();
    let ids = ids(10);
    let cf0 = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &[]).expect("fixture");
    let notes = notifications(&cf0);
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &notes).expect("fixture");
    let r = replay(&cf, &OffenderConfig::default(), d("2023-04-15"), None, &mut |_| true).expect("not cancelled");
    let tm = this_month(&r, &notes, &DueRules::default(), &ids);
    let mut text = agenda_document(&tm, &[], true);
    for s in all_sheets(&r, &tm, &ids) {
        text.push_str(&s.to_csv());
    }
    // The outputs are not empty: the offenders and their incidents are there.
    for want in ["P0", "P6", "i0b", "B-repeat-charged", "overdue"] {
        assert!(text.contains(want), "{want} missing");
    }
    let victim_records: Vec<String> = fx
        .data
        .involvements
        .iter()
        .filter(|i| i.role == Some(Role::Victim))
        .map(|i| i.record_id.to_string())
        .collect();
    assert_eq!(victim_records.len(), 6);
    for bad in [VICTIM_FIRST, VICTIM_LAST, "VICTIM"]
        .iter()
        .map(|s| s.to_string())
        .chain(victim_records)
    {
        assert!(!text.contains(&bad), "{bad} appears in a cycle output");
    }
}

#[test]
fn the_agenda_lists_every_part_and_an_extra_section() {
    let fx = scenario();
    let ids = ids(10);
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &[]).expect("fixture");
    let r = replay(&cf, &OffenderConfig::default(), d("2023-04-15"), None, &mut |_| true).expect("not cancelled");
    let tm = this_month(&r, &[], &DueRules::default(), &ids);
    let extra = ExtraSection {
        heading: "6. Implementation".into(),
        html: "<p>measures</p>".into(),
    };
    let html = super::sheets::agenda_html(&tm, &[extra]);
    for want in [
        "meeting — 2023-04",
        "New on a list (1)",
        "Escalated (1)",
        "overdue (2)",
        "Notifications due (3)",
        "<h3>6. Implementation</h3>",
    ] {
        assert!(html.contains(want), "{want} missing from {html}");
    }
    // Nobody notified: P2 (C since 28 February, 30 days: 16 days over) comes before P6 (14).
    assert_eq!(
        tm.overdue
            .iter()
            .map(|x| (x.person_id.as_str(), x.days))
            .collect::<Vec<_>>(),
        [("P2", 16), ("P6", 14)]
    );
}

#[test]
fn an_as_of_date_before_every_record_replays_nothing_and_names_its_month() {
    let fx = scenario();
    let ids = ids(10);
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &[]).expect("fixture");
    let r = replay(&cf, &OffenderConfig::default(), d("2022-06-15"), None, &mut |_| true).expect("not cancelled");
    assert!(r.months.is_empty());
    let tm = this_month(&r, &[], &DueRules::default(), &ids);
    assert_eq!((tm.month.as_str(), tm.sizes), ("2022-06", [0; 4]));
    assert!(tm.new.is_empty() && tm.due.is_empty() && tm.overdue.is_empty());
}

#[test]
fn a_cancelled_replay_returns_nothing() {
    let fx = scenario();
    let ids = ids(10);
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &[]).expect("fixture");
    assert!(replay(&cf, &OffenderConfig::default(), d("2023-04-15"), None, &mut |f| f < 0.5).is_none());
}
