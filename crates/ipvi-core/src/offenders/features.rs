//! Features of each IPV offender over a look-back window, as of a date.
//!
//! Only what the person did counts: incidents in which they were the offender, suspect or
//! arrestee, their arrests and charges, orders against them. Being a victim, a witness or the
//! subject of a call or a stop never adds to a score, and race is never read.

use super::harm::{HarmTable, Markers};
use super::timeline::{Event, EventKind};
use super::{CaseFile, List, PersonIx};
use crate::date::Date;
use crate::model::RelClass;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The date and window the features are computed for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Events after this date are ignored: lists can be computed as of any date.
    pub as_of: Date,
    /// Days before `as_of` that count (default five years). An event exactly `lookback_days`
    /// before `as_of` is inside; one day earlier is outside.
    pub lookback_days: i32,
}

impl Window {
    /// Five years back from `as_of`.
    pub fn five_years(as_of: Date) -> Window {
        Window {
            as_of,
            lookback_days: 1826,
        }
    }

    /// The first date inside the window.
    pub fn start(&self) -> Date {
        self.as_of.add_days(-self.lookback_days)
    }

    /// Whether a date is inside.
    pub fn contains(&self, d: Option<Date>) -> bool {
        d.is_some_and(|d| d >= self.start() && d <= self.as_of)
    }
}

/// Everything the scores and list rules read about one IPV offender.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Features {
    pub person: PersonIx,
    /// IPV incidents as offender inside the window, oldest first.
    pub ipv_incidents: Vec<String>,
    pub first_ipv: Option<Date>,
    pub last_ipv: Option<Date>,
    /// Days from the last IPV incident to the as-of date.
    pub recency_days: Option<i32>,
    /// IPV incidents inside the window.
    pub frequency: u32,
    /// Sum over IPV incidents of the most serious offence's harm weight (days).
    pub gravity_days: f64,
    /// Crime Harm Index: every offence as offender inside the window, all crime types (days).
    pub harm_days: f64,
    /// The part of `harm_days` from incidents that are not IPV (other family, non-domestic,
    /// unknown relationship): the person's other offending, weighed by the harm table.
    pub other_harm_days: f64,
    /// Distinct intimate-partner victims inside the window.
    pub victims: u32,
    /// Incidents (IPV) that led to a charge or arrest, inside the window.
    pub ipv_charge_incidents: Vec<String>,
    /// Non-domestic violent incidents as offender inside the window.
    pub non_domestic_violence: Vec<String>,
    /// Any non-domestic incident as offender inside the window.
    pub non_domestic_records: u32,
    /// Crime types (NIBRS codes) of non-domestic offending, for the versatility view.
    pub non_domestic_codes: BTreeSet<String>,
    pub order_violations: Vec<String>,
    pub weapon_incidents: Vec<String>,
    pub firearm_incidents: Vec<String>,
    pub strangulation_incidents: Vec<String>,
    pub injury_incidents: Vec<String>,
    pub felony_arrests: u32,
    /// Violent felony offending (by offence) or a felony arrest for a violent offence.
    pub violent_felony: Vec<String>,
    /// The last notification on or before the as-of date.
    pub notified: Option<(Date, List)>,
    /// IPV incidents after that notification.
    pub ipv_after_notification: Vec<String>,
    /// All IPV incidents as offender up to the as-of date, whatever the window (a baseline).
    pub prior_ipv_all: u32,
}

/// Compute the features of every person with at least one IPV incident as offender inside the
/// window. `timelines` comes from [`super::timeline::timelines`] on the same case file.
pub fn features(
    cf: &CaseFile<'_>,
    timelines: &[Vec<Event>],
    window: Window,
    harm: &HarmTable,
    markers: &Markers,
) -> Vec<Features> {
    let victims = ipv_victims(cf, window);
    let mut out = Vec::new();
    for (p, tl) in timelines.iter().enumerate() {
        let person = p as PersonIx;
        let mut f = Features {
            person,
            ..Features::default()
        };
        let mut ipv_ids: HashSet<&str> = HashSet::new();
        for ev in tl.iter().filter(|e| e.date.is_some_and(|d| d <= window.as_of)) {
            if ev.ipv_offence() {
                f.prior_ipv_all += 1;
            }
            if !window.contains(ev.date) {
                continue;
            }
            let id = ev.incident_id.clone().unwrap_or_default();
            match ev.kind {
                EventKind::Incident if ev.as_offender() => {
                    if ev.ipv_offence() {
                        f.ipv_incidents.push(id.clone());
                        ipv_ids.insert(ev.incident_id.as_deref().unwrap_or(""));
                        f.first_ipv = f.first_ipv.or(ev.date);
                        f.last_ipv = ev.date;
                        f.gravity_days += ev.offenses.iter().map(|c| harm.days(c)).fold(0.0, f64::max);
                    } else if !ev.class.is_some_and(RelClass::is_domestic) {
                        f.non_domestic_records += 1;
                        f.non_domestic_codes.extend(ev.offenses.iter().cloned());
                        if ev.offenses.iter().any(|c| markers.violent(c)) {
                            f.non_domestic_violence.push(id.clone());
                        }
                    }
                    f.harm_days += ev.harm_days;
                    if !ev.ipv_offence() {
                        f.other_harm_days += ev.harm_days;
                    }
                    if ev.weapon {
                        f.weapon_incidents.push(id.clone());
                    }
                    if ev.firearm {
                        f.firearm_incidents.push(id.clone());
                    }
                    if ev.strangulation {
                        f.strangulation_incidents.push(id.clone());
                    }
                    if ev.injury {
                        f.injury_incidents.push(id.clone());
                    }
                    if ev.order_violation {
                        f.order_violations.push(id.clone());
                    }
                    if ev.offenses.iter().any(|c| markers.violent_felony(c)) {
                        f.violent_felony.push(id);
                    }
                }
                EventKind::Arrest if ev.felony == Some(true) => {
                    f.felony_arrests += 1;
                    if ev.offenses.iter().any(|c| markers.violent(c)) {
                        f.violent_felony.push(id.clone());
                    }
                }
                _ => {}
            }
        }
        if f.ipv_incidents.is_empty() {
            continue;
        }
        // Charges: an arrest tied to one of the person's IPV incidents (or flagged domestic
        // with no incident), counted once per incident.
        let mut charged: BTreeSet<String> = BTreeSet::new();
        for ev in tl
            .iter()
            .filter(|e| e.kind == EventKind::Arrest && window.contains(e.date))
        {
            match &ev.incident_id {
                Some(id) if ipv_ids.contains(id.as_str()) => {
                    charged.insert(id.clone());
                }
                _ => {}
            }
        }
        f.ipv_charge_incidents = charged.into_iter().collect();
        f.recency_days = f.last_ipv.map(|d| window.as_of.days_since(d));
        f.frequency = f.ipv_incidents.len() as u32;
        f.victims = victims.get(&person).map(|s| s.len() as u32).unwrap_or(0);
        f.notified = tl
            .iter()
            .filter(|e| e.kind == EventKind::Notification && e.date.is_some_and(|d| d <= window.as_of))
            .filter_map(|e| Some((e.date?, e.list?)))
            .next_back();
        if let Some((nd, _)) = f.notified {
            f.ipv_after_notification = tl
                .iter()
                .filter(|e| e.ipv_offence() && e.date.is_some_and(|d| d > nd && d <= window.as_of))
                .filter_map(|e| e.incident_id.clone())
                .collect();
        }
        dedup(&mut f.violent_felony);
        out.push(f);
    }
    out
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// Distinct intimate-partner victims of each offender inside the window.
fn ipv_victims(cf: &CaseFile<'_>, window: Window) -> HashMap<PersonIx, HashSet<PersonIx>> {
    let mut out: HashMap<PersonIx, HashSet<PersonIx>> = HashMap::new();
    for (pair, &class) in cf.data.pairs.iter().zip(cf.pair_class) {
        if class != RelClass::IntimatePartner {
            continue;
        }
        let date = cf.incident(pair.incident_id).and_then(|i| cf.data.incidents.date(i));
        if !window.contains(date) {
            continue;
        }
        if let (Some(o), Some(v)) = (
            cf.person_of_record(pair.offender_record_id),
            cf.person_of_record(pair.victim_record_id),
        ) {
            out.entry(o).or_default().insert(v);
        }
    }
    out
}
