//! The offender analysis as one call, and its offender-facing outputs: the ranked list as a
//! table (CSV or XLSX) and a printable notification worksheet per offender.
//!
//! Offender-facing means: no victim name, record, address or statement, ever. The only victim
//! datum is the count of distinct victims, a number.

use super::features::{features, Features, Window};
use super::harm::{HarmTable, Markers};
use super::lists::{assign, changes, Assignment, Change, ListRules, Snapshot};
use super::people::{people, PersonInfo};
use super::score::{score, RfgvConfig, Score};
use super::timeline::{timelines, Event, EventKind};
use super::CaseFile;
use crate::export::{Cell, Sheet};
use serde::{Deserialize, Serialize};

/// Every setting of the offender analysis (all data, all editable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffenderConfig {
    pub lookback_days: i32,
    pub harm: HarmTable,
    pub markers: Markers,
    pub rfgv: RfgvConfig,
    pub rules: ListRules,
}

impl Default for OffenderConfig {
    fn default() -> Self {
        OffenderConfig {
            lookback_days: 1826,
            harm: HarmTable::default_table(),
            markers: Markers::default(),
            rfgv: RfgvConfig::default(),
            rules: ListRules::default(),
        }
    }
}

/// One listed offender: everything shown in the list and on the person page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offender {
    pub info: PersonInfo,
    pub features: Features,
    pub score: Score,
    pub assignment: Assignment,
    pub change: Change,
}

/// The result of an offender analysis as of a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffenderReport {
    pub window: Window,
    /// Ranked: rank 1 first.
    pub offenders: Vec<Offender>,
    /// Every person's timeline (offender-facing: no victims), indexed by person.
    pub timelines: Vec<Vec<Event>>,
    /// The snapshot to keep so that the next run escalates from this one.
    pub snapshot: Snapshot,
}

/// Run timelines, features, scores and lists as of `window.as_of`.
pub fn analyze(cf: &CaseFile<'_>, window: Window, cfg: &OffenderConfig, previous: &Snapshot) -> OffenderReport {
    let tl = timelines(cf, &cfg.harm, &cfg.markers);
    analyze_in(cf, tl, &people(cf), window, cfg, previous)
}

/// The lists now as they grew from the lists a year earlier (the report's inflow, workload and
/// metrics are made from this run, by `ipvi report` and the app alike). The timelines and the
/// people do not depend on the date: they are built once for both runs (on a 1,000,000-person
/// export each took 1.3–1.7 s).
pub fn year_on(cf: &CaseFile<'_>, now: Window, cfg: &OffenderConfig) -> OffenderReport {
    let before = Window {
        as_of: now.as_of.add_days(-365),
        lookback_days: now.lookback_days,
    };
    let infos = people(cf);
    let tl = timelines(cf, &cfg.harm, &cfg.markers);
    let OffenderReport {
        timelines: tl,
        snapshot,
        ..
    } = analyze_in(cf, tl, &infos, before, cfg, &Snapshot::default());
    analyze_in(cf, tl, &infos, now, cfg, &snapshot)
}

/// [`analyze`] with the timelines (`tl`, from [`timelines`]) and the people (from [`people`])
/// already built.
fn analyze_in(
    cf: &CaseFile<'_>,
    tl: Vec<Vec<Event>>,
    infos: &[PersonInfo],
    window: Window,
    cfg: &OffenderConfig,
    previous: &Snapshot,
) -> OffenderReport {
    let feats = features(cf, &tl, window, &cfg.harm, &cfg.markers);
    let scores = score(&feats, &cfg.rfgv);
    let assignments = assign(&feats, &cfg.rules, previous, cf.person_ids, window.as_of);
    let change = changes(&assignments, previous, cf.person_ids);
    let snapshot = super::lists::snapshot(&assignments, previous, cf.person_ids, window.as_of);
    let mut offenders: Vec<Offender> = feats
        .into_iter()
        .zip(scores)
        .zip(assignments)
        .zip(change)
        .map(|(((features, score), assignment), change)| Offender {
            info: infos.get(features.person as usize).cloned().unwrap_or_default(),
            features,
            score,
            assignment,
            change,
        })
        .collect();
    offenders.sort_by_key(|o| o.score.rank);
    OffenderReport {
        window,
        offenders,
        timelines: tl,
        snapshot,
    }
}

fn reasons_text(a: &Assignment) -> String {
    let mut parts: Vec<String> = a
        .reasons
        .iter()
        .map(|r| {
            format!(
                "{} [{}]: {} ({})",
                r.list.as_str(),
                r.rule,
                r.description,
                r.incidents.join(" ")
            )
        })
        .collect();
    if let Some((l, since)) = a.held_from {
        parts.insert(0, format!("held on {} since {since}: tiers only escalate", l.as_str()));
    }
    parts.extend(
        a.flags
            .iter()
            .map(|f| format!("flag [{}]: {} ({})", f.flag, f.description, f.incidents.join(" "))),
    );
    parts.join("; ")
}

/// The ranked list with the columns of `offenders.csv`:
/// `person_id,list,score,harm,recency_days,frequency,victims,reasons` (the reasons end with the
/// danger flags, `flag [firearm]: Danger: a firearm in an incident (incidents)`).
pub fn offenders_sheet(report: &OffenderReport) -> Sheet {
    Sheet {
        name: "Offenders".into(),
        headers: [
            "person_id",
            "list",
            "score",
            "harm",
            "recency_days",
            "frequency",
            "victims",
            "reasons",
        ]
        .map(String::from)
        .to_vec(),
        rows: report
            .offenders
            .iter()
            .map(|o| {
                vec![
                    Cell::text(&o.info.person_id),
                    Cell::text(o.assignment.list.as_str()),
                    Cell::Number(o.score.rfgv),
                    Cell::Number(o.score.harm),
                    o.features
                        .recency_days
                        .map(|d| Cell::Number(d as f64))
                        .unwrap_or(Cell::text("")),
                    Cell::Number(o.features.frequency as f64),
                    Cell::Number(o.features.victims as f64),
                    Cell::text(&reasons_text(&o.assignment)),
                ]
            })
            .collect(),
        note: None,
    }
}

/// The ranked list for officers, with names and each score component (internal use only:
/// it holds offender names, so it is not a shareable output).
pub fn offenders_detail_sheet(report: &OffenderReport) -> Sheet {
    let headers = [
        "rank",
        "person_id",
        "name",
        "dob",
        "sex",
        "agencies",
        "list",
        "change",
        "rfgv",
        "recency_pts",
        "frequency_pts",
        "gravity_pts",
        "victims_pts",
        "other_harm_pts",
        "strangulation_pts",
        "weapons_pts",
        "order_violations_pts",
        "harm_days",
        "recency_days",
        "ipv_incidents",
        "ipv_charges",
        "victims",
        "non_domestic_violence",
        "order_violations",
        "weapon",
        "firearm",
        "strangulation",
        "reasons",
    ];
    let n = |x: f64| Cell::Number(x);
    let b = |v: &Vec<String>| Cell::Number(v.len() as f64);
    Sheet {
        name: "Offenders (internal)".into(),
        headers: headers.map(String::from).to_vec(),
        rows: report
            .offenders
            .iter()
            .map(|o| {
                let f = &o.features;
                vec![
                    n(o.score.rank as f64),
                    Cell::text(&o.info.person_id),
                    Cell::text(&o.info.name),
                    Cell::text(&o.info.dob.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::text(&o.info.sex),
                    Cell::text(&o.info.agencies.iter().cloned().collect::<Vec<_>>().join(" ")),
                    Cell::text(o.assignment.list.as_str()),
                    Cell::text(&format!("{:?}", o.change).to_lowercase()),
                    n(o.score.rfgv),
                    n(o.score.recency),
                    n(o.score.frequency),
                    n(o.score.gravity),
                    n(o.score.victims),
                    n(o.score.other_harm),
                    n(o.score.strangulation),
                    n(o.score.weapons),
                    n(o.score.order_violations),
                    n(o.score.harm),
                    f.recency_days.map(|d| n(d as f64)).unwrap_or(Cell::text("")),
                    n(f.frequency as f64),
                    b(&f.ipv_charge_incidents),
                    n(f.victims as f64),
                    b(&f.non_domestic_violence),
                    b(&f.order_violations),
                    b(&f.weapon_incidents),
                    b(&f.firearm_incidents),
                    b(&f.strangulation_incidents),
                    Cell::text(&reasons_text(&o.assignment)),
                ]
            })
            .collect(),
        note: None,
    }
}

/// Escape text for HTML.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Offence codes with their names ("13B Simple assault; 90Z All other offenses").
fn offence_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| crate::codes::label(crate::codes::CodeKind::Offense, c))
        .collect::<Vec<_>>()
        .join("; ")
}

fn event_row(e: &Event) -> String {
    let what = match e.kind {
        EventKind::Incident => {
            let role = e.role.map(|r| r.as_str()).unwrap_or("involved");
            let class = e.class.map(|c| c.label()).unwrap_or("—");
            format!("Incident as {role} ({class}); offences {}", offence_names(&e.offenses))
        }
        EventKind::Arrest => format!("Arrest/charge {} {}", offence_names(&e.offenses), e.detail),
        EventKind::OrderIssued | EventKind::Notification => e.detail.clone(),
    };
    let mut marks = Vec::new();
    for (flag, label) in [
        (e.firearm, "firearm"),
        (e.weapon && !e.firearm, "weapon"),
        (e.strangulation, "strangulation"),
        (e.injury, "injury"),
        (e.order_violation, "order violation"),
    ] {
        if flag {
            marks.push(label);
        }
    }
    format!(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        e.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
        html_escape(e.incident_id.as_deref().unwrap_or("")),
        html_escape(&what),
        marks.join(", ")
    )
}

/// A printable notification worksheet for one offender: who, which list and why, their own
/// history, and the fields the delivering officer fills in. It holds no victim information.
pub fn worksheet_html(o: &Offender, timeline: &[Event], as_of: crate::date::Date) -> String {
    let reasons: String = o
        .assignment
        .reasons
        .iter()
        .map(|r| {
            format!(
                "<li><strong>{} — {}</strong> ({}): incidents {}</li>",
                r.list.as_str(),
                html_escape(&r.description),
                html_escape(&r.rule),
                html_escape(&r.incidents.join(", "))
            )
        })
        .collect();
    let flags: String = o
        .assignment
        .flags
        .iter()
        .map(|f| {
            format!(
                "<li><strong>{}</strong>: incidents {}</li>",
                html_escape(&f.description),
                html_escape(&f.incidents.join(", "))
            )
        })
        .collect();
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!("<h3>Danger flags</h3>\n<ul class=\"flags\">{flags}</ul>\n")
    };
    let rows: String = timeline
        .iter()
        .filter(|e| e.role != Some(crate::model::Role::Victim))
        .map(event_row)
        .collect();
    format!(
        "<article class=\"worksheet\">\n<h2>IPVI notification worksheet — List {list}</h2>\n\
<p class=\"meta\">As of {as_of}. Person {pid}. Prepared from the agency's records; confirm identity before delivery.</p>\n\
<table class=\"who\"><tr><th>Name</th><td>{name}</td></tr><tr><th>Date of birth</th><td>{dob}</td></tr>\
<tr><th>Other names recorded</th><td>{aka}</td></tr><tr><th>Agencies</th><td>{agencies}</td></tr></table>\n\
<h3>Why this list</h3>\n<ul>{reasons}</ul>\n{flags}\
<h3>Score</h3>\n<p>Score {score}; harm {harm} days; rank {rank}.</p>\n\
<h3>History (this person's own record)</h3>\n<table class=\"history\"><thead><tr><th>Date</th><th>Incident</th><th>What</th><th>Markers</th></tr></thead><tbody>{rows}</tbody></table>\n\
<h3>Delivery</h3>\n<table class=\"delivery\"><tr><th>Type</th><td>☐ Letter ☐ In person ☐ Call-in ☐ Other: ________</td></tr>\
<tr><th>Delivered by</th><td></td></tr><tr><th>Date and time</th><td></td></tr><tr><th>Notes</th><td></td></tr></table>\n</article>\n",
        list = o.assignment.list.as_str(),
        pid = html_escape(&o.info.person_id),
        name = html_escape(&o.info.name),
        dob = o.info.dob.map(|d| d.to_string()).unwrap_or_else(|| "not recorded".into()),
        aka = html_escape(&o.info.other_names.join("; ")),
        agencies = html_escape(&o.info.agencies.iter().cloned().collect::<Vec<_>>().join(", ")),
        score = html_escape(&o.score.explain()),
        harm = o.score.harm,
        rank = o.score.rank,
    )
}
