//! Scenario tests of the offender path: timelines, window edges, every default list rule,
//! escalation and the victim separation.

use super::features::{features, Features, Window};
use super::harm::{HarmTable, Markers};
use super::lists::{assign, changes, snapshot, Change, ListRules, Snapshot};
use super::timeline::{timelines, victims_by_offender};
use super::{CaseFile, List, Notification, PersonIx};
use crate::date::Date;
use crate::model::{Arrest, Dataset, Incident, Involvement, Offense, Pair, RelClass, Role};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap_or(Date(0))
}

/// Builds a small dataset in which people are numbered and get a fresh record per incident.
#[derive(Default)]
struct Fixture {
    data: Dataset,
    classes: Vec<RelClass>,
    person_of: Vec<PersonIx>,
    notes: Vec<Notification>,
    people: u32,
}

impl Fixture {
    fn record(&mut self, incident: &str, person: PersonIx, role: Role) -> String {
        let id = format!("{incident}-p{person}-{}", self.data.involvements.len());
        self.data.involvements.push(Involvement {
            record_id: id.clone().into(),
            incident_id: incident.into(),
            role: Some(role),
            ..Involvement::default()
        });
        self.person_of.push(person);
        self.people = self.people.max(person + 1);
        id
    }

    /// An incident in which `offender` offends against `victim` with the given class and offences
    /// (`code` or `code:weapon` or `code/charge text`).
    fn incident(
        &mut self,
        id: &str,
        date: &str,
        offender: PersonIx,
        victim: PersonIx,
        class: RelClass,
        offs: &[&str],
    ) -> String {
        self.data.incidents.push(Incident {
            incident_id: id.into(),
            date: Some(d(date)),
            ..Incident::default()
        });
        for (k, o) in offs.iter().enumerate() {
            let (code, rest) = o.split_once(['/', ':']).unwrap_or((o, ""));
            let weapons = if o.contains(':') { vec![rest.into()] } else { vec![] };
            let local = if o.contains('/') { Some(rest.to_string()) } else { None };
            self.data.offenses.push(Offense {
                incident_id: id.into(),
                offense_id: compact_str::format_compact!("{id}-{k}"),
                nibrs_code: code.into(),
                local_code: local.map(Into::into),
                weapons,
                ..Offense::default()
            });
        }
        let o = self.record(id, offender, Role::Offender);
        let v = self.record(id, victim, Role::Victim);
        self.data.pairs.push(Pair {
            incident_id: id.into(),
            victim_record_id: v.into(),
            offender_record_id: o.clone().into(),
            ..Pair::default()
        });
        self.classes.push(class);
        o
    }

    fn arrest(&mut self, incident: &str, record: &str, date: &str, code: &str, felony: bool) {
        self.data.arrests.push(Arrest {
            arrest_id: compact_str::format_compact!("a{}", self.data.arrests.len()),
            incident_id: Some(incident.into()),
            record_id: record.into(),
            date: Some(d(date)),
            nibrs_code: code.into(),
            felony: Some(felony),
            ..Arrest::default()
        });
    }

    fn run(&self, as_of: &str, previous: &Snapshot) -> (Vec<Features>, Vec<super::lists::Assignment>, Vec<String>) {
        let ids: Vec<String> = (0..self.people).map(|p| format!("P{p}")).collect();
        let cf =
            CaseFile::new(&self.data, &self.classes, &self.person_of, &ids, &self.notes).expect("consistent fixture");
        let (harm, markers) = (HarmTable::default_table(), Markers::default());
        let tl = timelines(&cf, &harm, &markers);
        let f = features(&cf, &tl, Window::five_years(d(as_of)), &harm, &markers);
        let a = assign(&f, &ListRules::default(), previous, &ids, d(as_of));
        (f, a, ids)
    }
}

fn list_of(a: &[super::lists::Assignment], person: PersonIx) -> Option<List> {
    a.iter().find(|x| x.person == person).map(|x| x.list)
}

fn rules_of(a: &[super::lists::Assignment], person: PersonIx) -> Vec<String> {
    a.iter()
        .find(|x| x.person == person)
        .map(|x| x.reasons.iter().map(|r| r.rule.clone()).collect())
        .unwrap_or_default()
}

const IP: RelClass = RelClass::IntimatePartner;

#[test]
fn d_list_for_an_ipv_incident_without_charge() {
    let mut fx = Fixture::default();
    fx.incident("i1", "2024-03-01", 0, 1, IP, &["13B"]);
    fx.incident("i2", "2024-03-02", 2, 3, RelClass::OtherFamily, &["13B"]);
    let (f, a, _) = fx.run("2024-12-31", &Snapshot::default());
    assert_eq!(list_of(&a, 0), Some(List::D));
    assert_eq!(rules_of(&a, 0), vec!["D-incident"]);
    assert_eq!(list_of(&a, 2), None, "other-family offenders are not on the IPV lists");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].recency_days, Some(305));
}

#[test]
fn c_list_for_a_first_charge_and_b_for_a_second() {
    let mut fx = Fixture::default();
    let r = fx.incident("i1", "2023-01-10", 0, 1, IP, &["13B"]);
    fx.arrest("i1", &r, "2023-01-10", "13B", false);
    let r = fx.incident("i2", "2023-05-10", 4, 5, IP, &["13B"]);
    fx.arrest("i2", &r, "2023-05-10", "13B", false);
    let r = fx.incident("i3", "2024-02-10", 4, 5, IP, &["13C"]);
    fx.arrest("i3", &r, "2024-02-10", "13C", false);
    let (_, a, _) = fx.run("2024-12-31", &Snapshot::default());
    assert_eq!(list_of(&a, 0), Some(List::C));
    assert_eq!(list_of(&a, 4), Some(List::B));
    let b = a.iter().find(|x| x.person == 4).expect("person 4 listed");
    assert_eq!(b.reasons[0].incidents, vec!["i2".to_string(), "i3".to_string()]);
}

#[test]
fn b_list_for_reoffending_after_notification() {
    let mut fx = Fixture::default();
    fx.incident("i1", "2024-01-10", 0, 1, IP, &["13C"]);
    fx.incident("i2", "2024-06-10", 0, 1, IP, &["13C"]);
    fx.notes.push(Notification {
        person: 0,
        date: d("2024-02-01"),
        list: List::D,
        kind: "letter".into(),
        delivered_by: "officer".into(),
    });
    let (f, a, _) = fx.run("2024-12-31", &Snapshot::default());
    assert_eq!(f[0].ipv_after_notification, vec!["i2".to_string()]);
    assert_eq!(list_of(&a, 0), Some(List::B));
    // As of a date before the second incident, the same person is on D.
    let (_, a, _) = fx.run("2024-05-31", &Snapshot::default());
    assert_eq!(list_of(&a, 0), Some(List::D));
}

#[test]
fn a_list_rules_each_fire_with_their_incidents() {
    let mut fx = Fixture::default();
    // 0: three charged IPV incidents.
    for (i, date) in ["2022-01-01", "2023-01-01", "2024-01-01"].iter().enumerate() {
        let id = format!("c{i}");
        let r = fx.incident(&id, date, 0, 1, IP, &["13B"]);
        fx.arrest(&id, &r, date, "13B", false);
    }
    // 2: a firearm, three IPV incidents and a robbery outside the home (violent history).
    fx.incident("v0", "2024-01-05", 2, 3, IP, &["13C:12"]);
    fx.incident("v1", "2024-02-01", 2, 3, IP, &["13B"]);
    fx.incident("v2", "2024-02-15", 2, 3, IP, &["13B"]);
    fx.incident("v3", "2024-03-01", 2, 9, RelClass::Stranger, &["120"]);
    // 4: a firearm and four IPV incidents (chronic).
    fx.incident("g1", "2024-02-01", 4, 5, IP, &["13C:12"]);
    fx.incident("g2", "2024-03-01", 4, 5, IP, &["13B"]);
    fx.incident("g3", "2024-04-01", 4, 5, IP, &["13B"]);
    fx.incident("g4", "2024-05-01", 4, 5, IP, &["13B"]);
    // 6: strangulation, three IPV incidents and a simple assault outside the home: the assault
    // is not a violent felony, so B (a danger marker and a repeat), not A.
    fx.incident("s1", "2024-02-01", 6, 7, IP, &["13B"]);
    let last = fx.data.incidents.len() - 1;
    fx.data.incidents.update(last, |i| {
        i.narrative = Some("V STATES S1 CHOKED HER UNTIL SHE ALMOST PASSED OUT".into())
    });
    fx.incident("s2", "2024-03-01", 6, 7, IP, &["13B"]);
    fx.incident("s3", "2024-04-01", 6, 7, IP, &["13B"]);
    fx.incident("s4", "2024-05-01", 6, 11, RelClass::Stranger, &["13B"]);
    // 8: an order violation and a second IPV incident.
    fx.incident("o1", "2024-02-01", 8, 10, IP, &["90Z/VIOLATION OF PROTECTIVE ORDER"]);
    fx.incident("o2", "2024-06-01", 8, 12, IP, &["13B"]);
    let (_, a, _) = fx.run("2024-12-31", &Snapshot::default());
    for (p, list, rule) in [
        (0, List::A, "A-charges"),
        (2, List::A, "A-danger-violent"),
        (4, List::A, "A-danger-chronic"),
        (6, List::B, "B-danger-repeat"),
        (8, List::B, "B-danger-repeat"),
    ] {
        assert_eq!(list_of(&a, p), Some(list), "person {p}: {:?}", rules_of(&a, p));
        assert!(
            rules_of(&a, p).contains(&rule.to_string()),
            "person {p} lacks {rule}: {:?}",
            rules_of(&a, p)
        );
    }
    let g = a.iter().find(|x| x.person == 4).expect("listed");
    assert_eq!(
        g.reasons
            .iter()
            .find(|r| r.rule == "A-danger-chronic")
            .map(|r| r.incidents.clone()),
        Some(vec![
            "g1".to_string(),
            "g2".to_string(),
            "g3".to_string(),
            "g4".to_string()
        ])
    );
    let v = a.iter().find(|x| x.person == 2).expect("listed");
    let behind = v
        .reasons
        .iter()
        .find(|r| r.rule == "A-danger-violent")
        .map(|r| r.incidents.clone());
    assert!(
        behind
            .as_ref()
            .is_some_and(|i| i.contains(&"v0".to_string()) && i.contains(&"v3".to_string())),
        "the firearm and the robbery are behind the rule: {behind:?}"
    );
    let flags = |p: PersonIx| -> Vec<String> {
        a.iter()
            .find(|x| x.person == p)
            .map(|x| x.flags.iter().map(|f| f.flag.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(flags(2), vec!["firearm"]);
    assert_eq!(flags(4), vec!["firearm"]);
    assert_eq!(flags(6), vec!["strangulation"]);
    assert_eq!(flags(8), vec!["order-violation"]);
    assert!(flags(0).is_empty());
}

#[test]
fn a_danger_marker_alone_flags_and_puts_on_c_not_a() {
    // The case: a firearm in one incident put one-incident offenders on A.
    let mut fx = Fixture::default();
    fx.incident("g1", "2024-02-01", 0, 1, IP, &["13A:12"]);
    fx.incident("s1", "2024-02-01", 2, 3, IP, &["13B"]);
    let last = fx.data.incidents.len() - 1;
    fx.data
        .incidents
        .update(last, |i| i.narrative = Some("S1 STRANGLED V".into()));
    fx.incident("o1", "2024-02-01", 4, 5, IP, &["90Z/VIOLATION OF PROTECTIVE ORDER"]);
    // A firearm and a second IPV incident: B, still not A.
    fx.incident("r1", "2024-01-01", 6, 7, IP, &["13C:12"]);
    fx.incident("r2", "2024-03-01", 6, 7, IP, &["13B"]);
    let (_, a, _) = fx.run("2024-12-31", &Snapshot::default());
    for (p, flag) in [(0, "firearm"), (2, "strangulation"), (4, "order-violation")] {
        assert_eq!(list_of(&a, p), Some(List::C), "person {p}: {:?}", rules_of(&a, p));
        assert_eq!(rules_of(&a, p), vec!["C-danger", "D-incident"], "person {p}");
        let x = a.iter().find(|x| x.person == p).expect("listed");
        assert_eq!(x.flags.len(), 1);
        assert_eq!(x.flags[0].flag, flag);
        assert!(x.flags[0].description.starts_with("Danger: "));
    }
    assert_eq!(list_of(&a, 6), Some(List::B));
    assert!(rules_of(&a, 6).contains(&"B-danger-repeat".to_string()));
    assert_eq!(a.iter().filter(|x| x.list == List::A).count(), 0);
}

#[test]
fn a_list_for_the_top_one_percent_of_harm() {
    let mut fx = Fixture::default();
    for p in 0..100u32 {
        fx.incident(&format!("i{p}"), "2024-01-01", 2 * p, 2 * p + 1, IP, &["13C"]);
    }
    // One offender with much more harm (burglary and vandalism, no violent felony) and three IPV
    // incidents; another with as much harm and one IPV incident stays on D.
    fx.incident("h1", "2024-02-01", 0, 500, RelClass::Stranger, &["220", "220", "290"]);
    fx.incident("i0b", "2024-03-01", 0, 1, IP, &["13C"]);
    fx.incident("i0c", "2024-04-01", 0, 1, IP, &["13C"]);
    fx.incident("h2", "2024-02-01", 2, 501, RelClass::Stranger, &["220", "220", "290"]);
    let (_, a, _) = fx.run("2024-12-31", &Snapshot::default());
    assert_eq!(list_of(&a, 0), Some(List::A));
    assert_eq!(rules_of(&a, 0), vec!["A-harm", "D-incident"]);
    assert_eq!(list_of(&a, 2), Some(List::D), "{:?}", rules_of(&a, 2));
    assert_eq!(a.iter().filter(|x| x.list == List::A).count(), 1);
}

#[test]
fn window_edges_are_inclusive_at_five_years_and_exclude_the_future() {
    let mut fx = Fixture::default();
    let as_of = d("2024-12-31");
    let w = Window::five_years(as_of);
    let inside = w.start().to_string();
    let outside = w.start().add_days(-1).to_string();
    fx.incident("in", &inside, 0, 1, IP, &["13B"]);
    fx.incident("out", &outside, 2, 3, IP, &["13B"]);
    fx.incident("later", "2025-01-01", 4, 5, IP, &["13B"]);
    fx.incident("today", "2024-12-31", 6, 7, IP, &["13B"]);
    let (f, _, _) = fx.run("2024-12-31", &Snapshot::default());
    let people: Vec<PersonIx> = f.iter().map(|x| x.person).collect();
    assert_eq!(people, vec![0, 6]);
    assert_eq!(f[0].recency_days, Some(w.lookback_days));
    assert_eq!(f[1].recency_days, Some(0));
}

#[test]
fn tiers_only_escalate_and_changes_are_reported() {
    let mut fx = Fixture::default();
    fx.incident("i1", "2024-01-01", 0, 1, IP, &["13B"]);
    fx.incident("i2", "2024-01-01", 2, 3, IP, &["13B"]);
    let r = fx.incident("i3", "2024-01-01", 4, 5, IP, &["13B"]);
    fx.arrest("i3", &r, "2024-01-01", "13B", false);
    let mut prev = Snapshot::default();
    prev.lists.insert("P0".into(), (List::A, d("2023-06-01")));
    prev.lists.insert("P2".into(), (List::D, d("2023-06-01")));
    let (_, a, ids) = fx.run("2024-12-31", &prev);
    assert_eq!(list_of(&a, 0), Some(List::A), "held on A");
    assert_eq!(
        a.iter().find(|x| x.person == 0).and_then(|x| x.held_from),
        Some((List::A, d("2023-06-01")))
    );
    assert_eq!(
        changes(&a, &prev, &ids),
        vec![Change::Held, Change::Unchanged, Change::New]
    );
    let snap = snapshot(&a, &prev, &ids, d("2024-12-31"));
    assert_eq!(snap.lists.get("P4"), Some(&(List::C, d("2024-12-31"))));
    assert_eq!(snap.lists.get("P0"), Some(&(List::A, d("2023-06-01"))));
}

#[test]
fn victims_are_counted_but_never_on_the_timeline() {
    let mut fx = Fixture::default();
    fx.incident("i1", "2024-01-01", 0, 1, IP, &["13B"]);
    fx.incident("i2", "2024-02-01", 0, 2, IP, &["13B"]);
    fx.incident("i3", "2024-03-01", 0, 1, IP, &["13B"]);
    let ids: Vec<String> = (0..fx.people).map(|p| format!("P{p}")).collect();
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &fx.notes).expect("fixture");
    let tl = timelines(&cf, &HarmTable::default_table(), &Markers::default());
    let text = format!("{:?}", tl[0]);
    assert!(
        !text.contains("p1-") && !text.contains("p2-"),
        "offender timeline names a victim record: {text}"
    );
    let (f, _, _) = fx.run("2024-12-31", &Snapshot::default());
    assert_eq!(f[0].victims, 2);
    let all = victims_by_offender(&cf);
    assert_eq!(all.len(), cf.person_ids.len());
    assert_eq!(all[0].iter().map(|x| x.victim).collect::<Vec<_>>(), vec![1, 2, 1]);
    // The victims are nobody's offenders here.
    assert!(all[1..].iter().all(Vec::is_empty), "{all:?}");
}

#[test]
fn mismatched_inputs_are_refused() {
    let fx = Fixture::default();
    let mut data = fx.data.clone();
    data.pairs.push(Pair::default());
    let err = CaseFile::new(&data, &[], &[], &[], &[]).err();
    assert!(matches!(
        err,
        Some(super::CaseFileError::Length {
            what: "pair classes",
            ..
        })
    ));
}

#[test]
fn offender_facing_outputs_hold_no_victim_information() {
    use super::outputs::{analyze, offenders_detail_sheet, offenders_sheet, worksheet_html, OffenderConfig};
    let mut fx = Fixture::default();
    let r = fx.incident("i1", "2024-01-01", 0, 1, IP, &["13A:85"]);
    fx.arrest("i1", &r, "2024-01-01", "13A", true);
    fx.incident("i2", "2024-02-01", 0, 2, IP, &["13B"]);
    for k in 0..fx.data.involvements.len() {
        let p = fx.person_of[k];
        fx.data.involvements.update(k, |inv| {
            inv.last_name = if p == 0 {
                "=OFFENDER".into()
            } else {
                compact_str::format_compact!("VICTIMNAME{p}")
            };
            inv.first_name = "Pat".into();
            inv.address = compact_str::format_compact!("{p} SECRET LANE");
        });
    }
    let ids: Vec<String> = (0..fx.people).map(|p| format!("P{p}")).collect();
    let cf = CaseFile::new(&fx.data, &fx.classes, &fx.person_of, &ids, &fx.notes).expect("fixture");
    let report = analyze(
        &cf,
        Window::five_years(d("2024-12-31")),
        &OffenderConfig::default(),
        &Snapshot::default(),
    );
    assert_eq!(report.offenders.len(), 1);
    let o = &report.offenders[0];
    // Strangulation (weapon code 85), a charge and a second IPV incident: B (A needs a chronic or
    // violent history beside the danger marker).
    assert_eq!(o.assignment.list, List::B);
    let html = worksheet_html(o, &report.timelines[0], d("2024-12-31"));
    let csv = offenders_sheet(&report).to_csv();
    let detail = offenders_detail_sheet(&report).to_csv();
    for out in [&html, &csv, &detail] {
        assert!(!out.contains("VICTIMNAME"), "victim name leaked: {out}");
        assert!(!out.contains("SECRET LANE"), "address leaked: {out}");
        for vr in fx.data.pairs.iter().map(|p| p.victim_record_id) {
            assert!(!out.contains(vr), "victim record id {vr} leaked");
        }
    }
    assert!(html.contains("=OFFENDER, Pat"));
    assert!(
        detail.contains("'=OFFENDER, Pat"),
        "formula cell not neutralised: {detail}"
    );
    assert!(csv.starts_with("person_id,list,score,harm,recency_days,frequency,victims,reasons\nP0,B,"));
    // The danger flag and its reason, on the worksheet and at the end of the reasons.
    assert!(
        html.contains("<h3>Danger flags</h3>")
            && html.contains("Danger: strangulation recorded</strong>: incidents i1")
    );
    assert!(
        csv.contains("flag [strangulation]: Danger: strangulation recorded (i1)"),
        "{csv}"
    );
}
