//! The advocates' export for victim outreach: one row per IPV victim with only what advocates
//! need to reach them.
//!
//! A row holds the victim's name and contact (address and phone from their most recent record
//! that has one), the dates of the IPV incidents against them, and for their offenders only the
//! list letter and the date of the offender's latest notification. Nothing from police-only
//! records: no narrative, no charge or offence text, no relationship text, no offender name or
//! criminal history beyond the list letter. This is the only output that names victims; it is
//! never offender-facing.

use super::outputs::OffenderReport;
use super::{CaseFile, List, PersonIx};
use crate::date::Date;
use crate::export::{Cell, Sheet};
use crate::model::RelClass;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The columns of the advocates' export, in order.
pub const COLUMNS: [&str; 8] = [
    "victim_name",
    "address",
    "city",
    "postcode",
    "phone",
    "ipv_incident_dates",
    "offender_lists",
    "offender_notification_dates",
];

/// One IPV victim for outreach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdvocateRow {
    pub victim: PersonIx,
    pub name: String,
    pub address: String,
    pub city: String,
    pub postcode: String,
    pub phone: String,
    /// Dates of the IPV incidents against the victim (within the report's window), oldest first.
    pub incident_dates: Vec<Date>,
    /// The list letter of each of the victim's offenders who is listed, most serious first.
    pub offender_lists: Vec<List>,
    /// The date of each listed offender's latest notification (on or before the as-of date).
    pub offender_notified: Vec<Date>,
}

/// One row per person who was the victim of an IPV incident inside the report's window.
pub fn advocates(cf: &CaseFile<'_>, report: &OffenderReport) -> Vec<AdvocateRow> {
    let as_of = report.window.as_of;
    let from = report.window.start();
    let list_of: HashMap<PersonIx, List> = report
        .offenders
        .iter()
        .map(|o| (o.assignment.person, o.assignment.list))
        .collect();
    let mut notified: HashMap<PersonIx, Date> = HashMap::new();
    for n in cf.notifications.iter().filter(|n| n.date <= as_of) {
        let e = notified.entry(n.person).or_insert(n.date);
        *e = (*e).max(n.date);
    }
    struct Acc {
        dates: BTreeSet<Date>,
        offenders: BTreeSet<PersonIx>,
    }
    let mut victims: BTreeMap<PersonIx, Acc> = BTreeMap::new();
    for (pair, &class) in cf.data.pairs.iter().zip(cf.pair_class) {
        if class != RelClass::IntimatePartner {
            continue;
        }
        let date = cf.incident(pair.incident_id).and_then(|i| cf.data.incidents.date(i));
        let Some(date) = date.filter(|d| *d >= from && *d <= as_of) else {
            continue;
        };
        let (Some(v), off) = (
            cf.person_of_record(pair.victim_record_id),
            cf.person_of_record(pair.offender_record_id),
        ) else {
            continue;
        };
        let acc = victims.entry(v).or_insert_with(|| Acc {
            dates: BTreeSet::new(),
            offenders: BTreeSet::new(),
        });
        acc.dates.insert(date);
        if let Some(o) = off {
            acc.offenders.insert(o);
        }
    }
    // The most recent record of each victim (and the most recent with an address, a phone).
    let mut latest: HashMap<PersonIx, (Date, usize)> = HashMap::new();
    let mut latest_addr: HashMap<PersonIx, (Date, usize)> = HashMap::new();
    let mut latest_phone: HashMap<PersonIx, (Date, usize)> = HashMap::new();
    for (i, inv) in cf.data.involvements.iter().enumerate() {
        let p = cf.person_of[i];
        if !victims.contains_key(&p) {
            continue;
        }
        let Some(d) = cf
            .incident(inv.incident_id)
            .and_then(|ix| cf.data.incidents.date(ix))
            .filter(|d| *d <= as_of)
        else {
            continue;
        };
        let newer = |m: &mut HashMap<PersonIx, (Date, usize)>| {
            let e = m.entry(p).or_insert((d, i));
            if d >= e.0 {
                *e = (d, i);
            }
        };
        newer(&mut latest);
        let addr = inv.address.trim();
        if !addr.is_empty() && !addr.eq_ignore_ascii_case("TRANSIENT") {
            newer(&mut latest_addr);
        }
        if !inv.phone.trim().is_empty() {
            newer(&mut latest_phone);
        }
    }
    victims
        .into_iter()
        .map(|(v, acc)| {
            let rec = |m: &HashMap<PersonIx, (Date, usize)>| m.get(&v).and_then(|&(_, i)| cf.data.involvements.get(i));
            let name = rec(&latest)
                .map(|r| {
                    [
                        r.first_name.trim(),
                        r.middle_name.trim(),
                        r.last_name.trim(),
                        r.suffix.trim(),
                    ]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
                })
                .unwrap_or_default();
            let a = rec(&latest_addr);
            let mut lists: Vec<List> = acc.offenders.iter().filter_map(|o| list_of.get(o).copied()).collect();
            lists.sort_by(|a, b| b.cmp(a));
            let mut dates: Vec<Date> = acc
                .offenders
                .iter()
                .filter(|o| list_of.contains_key(o))
                .filter_map(|o| notified.get(o).copied())
                .collect();
            dates.sort_unstable();
            AdvocateRow {
                victim: v,
                name,
                address: a.map(|r| r.address.trim().to_string()).unwrap_or_default(),
                city: a.map(|r| r.city.trim().to_string()).unwrap_or_default(),
                postcode: a.map(|r| r.postcode.trim().to_string()).unwrap_or_default(),
                phone: rec(&latest_phone)
                    .map(|r| r.phone.trim().to_string())
                    .unwrap_or_default(),
                incident_dates: acc.dates.into_iter().collect(),
                offender_lists: lists,
                offender_notified: dates,
            }
        })
        .collect()
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// The export as a table with the columns of [`COLUMNS`] (CSV or XLSX; cells neutralised on
/// writing).
pub fn advocates_sheet(rows: &[AdvocateRow]) -> Sheet {
    Sheet {
        name: "Victim outreach (advocates only)".into(),
        headers: COLUMNS.iter().map(|s| s.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.name),
                    Cell::text(&r.address),
                    Cell::text(&r.city),
                    Cell::text(&r.postcode),
                    Cell::text(&r.phone),
                    Cell::text(&join(&r.incident_dates)),
                    Cell::text(&join(&r.offender_lists.iter().map(|l| l.as_str()).collect::<Vec<_>>())),
                    Cell::text(&join(&r.offender_notified)),
                ]
            })
            .collect(),
        note: None,
    }
}
