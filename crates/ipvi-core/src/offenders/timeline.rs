//! A person's timeline across all crime types and roles.
//!
//! Every incident in which the person appears (as offender, suspect, arrestee, victim, witness),
//! every arrest and charge, every protective order against them and every notification, in date
//! order. The timeline is offender-facing: it names no victim. Victims of an offender are only
//! available through [`victims_by_offender`], for the advocates' outreach view.

use super::harm::{HarmTable, Markers};
use super::{CaseFile, PersonIx};
use crate::date::Date;
use crate::model::{RelClass, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Incident,
    Arrest,
    OrderIssued,
    Notification,
}

/// One event of a person's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub date: Option<Date>,
    pub kind: EventKind,
    pub incident_id: Option<String>,
    pub role: Option<Role>,
    /// For an incident: the most intimate class among the person's pairs in it (as offender
    /// when they offended, else as victim).
    pub class: Option<RelClass>,
    /// NIBRS offence codes (incident) or the charge's code (arrest).
    pub offenses: Vec<String>,
    /// Harm of the offences, in days (offender roles only).
    pub harm_days: f64,
    pub weapon: bool,
    pub firearm: bool,
    pub strangulation: bool,
    pub injury: bool,
    pub order_violation: bool,
    pub felony: Option<bool>,
    /// For a notification: the list it was delivered for.
    pub list: Option<super::List>,
    /// A short description without victim information (charge text, list and kind, ...).
    pub detail: String,
}

impl Event {
    /// Whether the person offended in this event (offender, suspect or arrestee).
    pub fn as_offender(&self) -> bool {
        matches!(self.role, Some(Role::Offender | Role::Suspect | Role::Arrestee))
    }

    /// An incident in which the person offended against an intimate partner.
    pub fn ipv_offence(&self) -> bool {
        self.kind == EventKind::Incident && self.as_offender() && self.class == Some(RelClass::IntimatePartner)
    }
}

fn rank(c: RelClass) -> u8 {
    match c {
        RelClass::IntimatePartner => 0,
        RelClass::OtherFamily => 1,
        RelClass::KnownNonFamily => 2,
        RelClass::Stranger => 3,
        RelClass::Unknown => 4,
    }
}

fn closer(a: Option<RelClass>, b: RelClass) -> Option<RelClass> {
    match a {
        Some(x) if rank(x) <= rank(b) => Some(x),
        _ => Some(b),
    }
}

/// Every person's timeline, indexed by [`PersonIx`], each in date order (undated last).
pub fn timelines(cf: &CaseFile<'_>, harm: &HarmTable, markers: &Markers) -> Vec<Vec<Event>> {
    let data = cf.data;
    // The class of each record's pairs, as offender and as victim.
    let mut as_offender: HashMap<&str, RelClass> = HashMap::new();
    let mut as_victim: HashMap<&str, RelClass> = HashMap::new();
    for (pair, &class) in data.pairs.iter().zip(cf.pair_class) {
        let o = as_offender.entry(pair.offender_record_id).or_insert(class);
        *o = closer(Some(*o), class).unwrap_or(class);
        let v = as_victim.entry(pair.victim_record_id).or_insert(class);
        *v = closer(Some(*v), class).unwrap_or(class);
    }
    let mut out: Vec<Vec<Event>> = vec![Vec::new(); cf.people()];
    for (i, inv) in data.involvements.iter().enumerate() {
        let person = cf.person_of[i] as usize;
        let Some(ix) = cf.incident(inv.incident_id) else {
            continue;
        };
        let Some(incident) = data.incidents.get(ix) else {
            continue;
        };
        let offender_role = matches!(inv.role, Some(Role::Offender | Role::Suspect | Role::Arrestee));
        let class = if offender_role {
            as_offender.get(inv.record_id).copied()
        } else {
            as_victim.get(inv.record_id).copied()
        };
        let mut ev = Event {
            date: incident.date,
            kind: EventKind::Incident,
            incident_id: Some(inv.incident_id.to_string()),
            role: inv.role,
            class,
            offenses: Vec::new(),
            harm_days: 0.0,
            weapon: false,
            firearm: false,
            strangulation: false,
            injury: !inv.injuries.is_empty() && inv.injuries.iter().any(|c| c != "N"),
            order_violation: false,
            felony: None,
            list: None,
            detail: String::new(),
        };
        for off in cf.offenses(ix) {
            ev.offenses.push(off.nibrs_code.to_string());
            if offender_role {
                ev.harm_days += harm.days(off.nibrs_code);
            }
            ev.weapon |= markers.weapon(off);
            ev.firearm |= markers.firearm(off);
            ev.strangulation |= markers.strangulation_offense(off);
            ev.order_violation |= markers.order_violation(off);
        }
        if let Some(n) = &incident.narrative {
            ev.strangulation |= markers.strangulation_text(n);
        }
        out[person].push(ev);
    }
    mark_offender_injuries(cf, &mut out);
    for a in &data.arrests {
        let Some(person) = cf.person_of_record(&a.record_id) else {
            continue;
        };
        out[person as usize].push(Event {
            date: a.date,
            kind: EventKind::Arrest,
            incident_id: a.incident_id.clone().map(Into::into),
            role: Some(Role::Arrestee),
            class: None,
            offenses: vec![a.nibrs_code.to_string()],
            harm_days: 0.0,
            weapon: false,
            firearm: false,
            strangulation: a.charge_text.as_deref().is_some_and(|t| markers.strangulation_text(t)),
            injury: false,
            order_violation: false,
            felony: a.felony,
            list: None,
            detail: a.charge_text.clone().unwrap_or_default().to_string(),
        });
    }
    for o in &cf.data.orders {
        let Some(person) = cf.person_of_record(&o.respondent_record_id) else {
            continue;
        };
        let until = o.expires.map(|d| format!(" until {d}")).unwrap_or_default();
        out[person as usize].push(Event {
            date: o.issued,
            kind: EventKind::OrderIssued,
            incident_id: None,
            role: None,
            class: None,
            offenses: Vec::new(),
            harm_days: 0.0,
            weapon: false,
            firearm: false,
            strangulation: false,
            injury: false,
            order_violation: false,
            felony: None,
            list: None,
            detail: format!("Protective order {}{until}", o.order_id),
        });
    }
    for n in cf.notifications {
        if let Some(tl) = out.get_mut(n.person as usize) {
            tl.push(Event {
                date: Some(n.date),
                kind: EventKind::Notification,
                incident_id: None,
                role: None,
                class: None,
                offenses: Vec::new(),
                harm_days: 0.0,
                weapon: false,
                firearm: false,
                strangulation: false,
                injury: false,
                order_violation: false,
                felony: None,
                list: Some(n.list),
                detail: format!(
                    "List {} notification: {} by {}",
                    n.list.as_str(),
                    n.kind,
                    n.delivered_by
                ),
            });
        }
    }
    for tl in &mut out {
        tl.sort_by(|a, b| match (a.date, b.date) {
            (Some(x), Some(y)) => x.cmp(&y).then(a.kind.cmp(&b.kind)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.kind.cmp(&b.kind),
        });
    }
    out
}

/// An offender's incident is marked injured when a victim of theirs in it was injured.
fn mark_offender_injuries(cf: &CaseFile<'_>, out: &mut [Vec<Event>]) {
    let data = cf.data;
    let injured: HashMap<&str, bool> = data
        .involvements
        .iter()
        .map(|v| (v.record_id, v.injuries.iter().any(|c| c != "N" && !c.is_empty())))
        .collect();
    let mut hurt: HashMap<(PersonIx, &str), bool> = HashMap::new();
    for pair in &data.pairs {
        if injured.get(pair.victim_record_id).copied().unwrap_or(false) {
            if let Some(p) = cf.person_of_record(pair.offender_record_id) {
                hurt.insert((p, pair.incident_id), true);
            }
        }
    }
    for (p, tl) in out.iter_mut().enumerate() {
        for ev in tl
            .iter_mut()
            .filter(|e| e.kind == EventKind::Incident && e.as_offender())
        {
            if let Some(id) = &ev.incident_id {
                ev.injury = hurt.contains_key(&(p as PersonIx, id.as_str()));
            }
        }
    }
}

/// A victim of an offender, for the advocates' outreach view only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VictimLink {
    pub victim: PersonIx,
    pub incident_id: String,
    pub date: Option<Date>,
    pub class: RelClass,
}

/// The victims of every offender's IPV pairs, indexed by the offender's [`PersonIx`] (advocates
/// only: never in an offender-facing output), each offender's by date, then victim. One pass
/// over the pairs for all offenders: a pass per offender made the outreach view quadratic
/// (about four minutes in a browser tab for a jurisdiction of a million people).
pub fn victims_by_offender(cf: &CaseFile<'_>) -> Vec<Vec<VictimLink>> {
    let mut out: Vec<Vec<VictimLink>> = vec![Vec::new(); cf.person_ids.len()];
    for (pair, &class) in cf.data.pairs.iter().zip(cf.pair_class) {
        if class != RelClass::IntimatePartner {
            continue;
        }
        let (Some(offender), Some(victim)) = (
            cf.person_of_record(pair.offender_record_id),
            cf.person_of_record(pair.victim_record_id),
        ) else {
            continue;
        };
        let Some(list) = out.get_mut(offender as usize) else {
            continue;
        };
        let date = cf.incident(pair.incident_id).and_then(|i| cf.data.incidents.date(i));
        list.push(VictimLink {
            victim,
            incident_id: pair.incident_id.to_string(),
            date,
            class,
        });
    }
    for list in &mut out {
        list.sort_by(|a, b| a.date.cmp(&b.date).then(a.victim.cmp(&b.victim)));
    }
    out
}
