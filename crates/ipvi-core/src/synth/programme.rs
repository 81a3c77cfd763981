//! The programme's own records in the synthetic jurisdiction: every attempt to notify an offender
//! (failed ones first, a few days apart, then the delivered one; some re-notifications after
//! escalation never succeed) and advocates' attempts to reach the victims of notified offenders'
//! cases. Each notification and each person draws from its own stream (`stream::PROGRAMME`), so
//! these records never change the careers, the incidents or the kind of each notification.

use super::rng::{pick_weighted, stream, Rng};
use super::{Jurisdiction, SynContact, SynNotification, SynthConfig};
use crate::date::Date;
use std::collections::HashMap;

/// At most this many failed attempts before a delivery (or in a never-delivered one).
const MAX_FAILED: u32 = 3;

/// Fill `j.notifications` (every attempt in the export) and `j.contacts` from
/// `j.notification_truth`.
pub fn write_programme(j: &mut Jurisdiction, cfg: &SynthConfig) {
    let Some(iv) = cfg.intervention.as_ref() else {
        return;
    };
    // A representative record of each person: their latest record on or before a date.
    let mut by_person: Vec<(u32, Date, u32)> = j
        .persons
        .iter()
        .enumerate()
        .map(|(i, r)| (r.person, j.incidents[r.incident as usize].occurred_date, i as u32))
        .collect();
    by_person.sort_unstable();
    let record_of = |person: u32, on: Date| -> Option<u32> {
        let lo = by_person.partition_point(|x| x.0 < person);
        let hi = by_person.partition_point(|x| x.0 <= person);
        by_person[lo..hi]
            .iter()
            .rev()
            .find(|x| x.1 <= on)
            .or(by_person[lo..hi].first())
            .map(|x| x.2)
    };
    // The incident of each recorded event, by (offender, seq).
    let incident_of: HashMap<(u32, u32), u32> = j
        .incidents
        .iter()
        .enumerate()
        .filter_map(|(i, inc)| {
            let e = j.events.get(inc.event as usize)?;
            Some(((e.offender, e.seq), i as u32))
        })
        .collect();

    let mut notes: Vec<SynNotification> = Vec::new();
    let mut first_delivered: HashMap<u32, Date> = HashMap::new();
    let mut seen: std::collections::HashSet<u32> = std::collections::HashSet::new();
    for (ni, note) in j.notification_truth.iter().enumerate() {
        let escalation = !seen.insert(note.person);
        if note.date >= j.export_end {
            continue;
        }
        // The kind and the deliverer, from the stream they always came from.
        let mut rng = Rng::new(cfg.seed, stream::MISC + 1 + ni as u64);
        let Some(record) = record_of(note.person, note.date) else {
            continue;
        };
        let (kind, by) = match note.list {
            'D' => pick_weighted(
                &mut rng,
                &[(0.7, ("letter", "PATROL")), (0.3, ("in-person", "DV UNIT"))],
            ),
            'C' => pick_weighted(
                &mut rng,
                &[(0.8, ("in-person", "DV UNIT")), (0.2, ("in-person", "PATROL"))],
            ),
            'B' => pick_weighted(
                &mut rng,
                &[(0.7, ("call-in", "DV UNIT")), (0.3, ("in-person", "PROBATION"))],
            ),
            _ => pick_weighted(
                &mut rng,
                &[(0.6, ("in-person", "DISTRICT ATTORNEY")), (0.4, ("call-in", "DV UNIT"))],
            ),
        };
        let mut rng = Rng::new(cfg.seed, stream::PROGRAMME + ni as u64);
        let never = escalation && rng.chance(iv.never_delivered_share);
        let failed = if never {
            rng.range(1, MAX_FAILED as i32) as u32
        } else {
            let mut k = 0;
            while k < MAX_FAILED && rng.chance(iv.failed_attempt_share) {
                k += 1;
            }
            k
        };
        let qualifying_date = note.qualifying.map(|q| q.0);
        let incident = note
            .qualifying
            .and_then(|(_, seq)| incident_of.get(&(note.person, seq)).copied());
        // Failed attempts a few days apart before the last one, never before the qualifying
        // incident nor the programme's start.
        let floor = qualifying_date.unwrap_or(iv.start).max(iv.start);
        let mut dates = Vec::with_capacity(failed as usize + 1);
        let mut d = note.date;
        dates.push(d);
        for _ in 0..failed {
            d = d.add_days(-rng.range(3, 10)).max(floor);
            dates.push(d);
        }
        dates.reverse();
        let last = dates.len() - 1;
        for (k, date) in dates.into_iter().enumerate() {
            let delivered = k == last && !never;
            notes.push(SynNotification {
                person: note.person,
                record,
                date,
                list: note.list,
                kind,
                delivered_by: by,
                delivered,
                incident,
                qualifying_date,
                escalation,
            });
            if delivered {
                first_delivered.entry(note.person).or_insert(date);
            }
        }
    }
    notes.sort_by_key(|n| (n.date, n.person, n.delivered));

    // Advocates' contacts: for a share of notified offenders' cases, one to four attempts to
    // reach the victim within 60 days of the first delivered notification.
    let mut people: Vec<(u32, Date)> = first_delivered.into_iter().collect();
    people.sort_unstable();
    let mut contacts = Vec::new();
    for (person, first) in people {
        let mut rng = Rng::new(cfg.seed, stream::PROGRAMME + (1 << 32) + person as u64);
        if !rng.chance(iv.advocate_share) {
            continue;
        }
        let n = rng.range(1, 4);
        let mut d = first;
        for _ in 0..n {
            d = d.add_days(rng.range(0, 20));
            if d >= j.export_end {
                break;
            }
            let Some(record) = record_of(person, d) else { break };
            let reached = rng.chance(iv.reached_share);
            let by = *rng.pick(&["ADVOCATE", "ADVOCATE", "SHELTER"]);
            contacts.push(SynContact {
                person,
                record,
                date: d,
                reached,
                by,
            });
        }
    }
    contacts.sort_by_key(|c| (c.date, c.person));
    j.notifications = notes;
    j.contacts = contacts;
}
