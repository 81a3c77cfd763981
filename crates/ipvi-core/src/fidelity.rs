//! Implementation evaluation (fidelity): what the partnership did, measured from its own records.
//!
//! The measures, each with the plain-words definition shown beside it ([`DEFINITIONS`]):
//! the share of each list notified; days from the qualifying incident to the first delivered
//! notification (median and 90th percentile) by list, means and agency; failed attempts;
//! re-notification after escalation; advocates' contacts (counts only); and each of them by
//! month. [`measure`] computes them from resolved records ([`Attempt`], [`Contact`]) and the
//! lists as of a date; [`measure_run`] resolves the partnership's files against a run first.
//! [`Fidelity::shareable`] and [`fidelity_sheet`] give the small-cell-suppressed version that can
//! leave the agency: counts only, no names, no person or victim identifiers.

use crate::contacts::ContactRecord;
use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use crate::export::{Cell, Sheet};
use crate::notify::{NotificationRecord, Outcome, PersonLookup};
use crate::offenders::outputs::OffenderReport;
use crate::offenders::timeline::Event;
use crate::offenders::{CaseFile, List, PersonIx};
use crate::report::suppress::{suppress_list, suppress_with_margins, Count};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The measures and their definitions, as shown on screen and in the shareable sheet.
pub const DEFINITIONS: [(&str, &str); 6] = [
    (
        "Share of each list notified",
        "Of the people on each list as of the date, the share with a delivered notification for that \
         list or a higher one. Failed attempts do not count.",
    ),
    (
        "Days from the qualifying incident to notification",
        "Days from the qualifying incident to the first delivered notification for each list a person \
         was notified for (one value per person and list): the median (the middle value; the lower of \
         the two middle ones when the count is even) and the 90th percentile (the smallest value at or \
         above 90% of them). The qualifying incident is the one recorded with the notification; when \
         none is recorded, the person's latest IPV incident on or before the notification. By list, by \
         means (letter, in-person, call-in, ...) and by the agency that delivered it.",
    ),
    (
        "Failed attempts",
        "Attempts to notify recorded as failed (not found, refused, returned), as a count and a share of \
         all attempts. Never delivered: people with an attempt for a list and no delivered notification \
         for that list or a higher one.",
    ),
    (
        "Re-notification after escalation",
        "Escalated: people notified whose list as of the date is higher than the list of their first \
         delivered notification. Re-notified: those of them with a delivered notification for their new \
         list or a higher one.",
    ),
    (
        "Advocates' contacts",
        "Advocates' attempts to reach the victims of offenders' cases, counted only: contacts, contacts \
         that reached the victim, offenders' cases with a contact, and cases with one that reached. Never \
         shown per victim.",
    ),
    (
        "By month",
        "Attempts and failed attempts by the month of the attempt; first delivered notifications, their \
         days from the qualifying incident, and re-notifications by the month of the notification; \
         contacts by the month of the contact.",
    ),
];

/// One attempt to notify, resolved to a person of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub person: PersonIx,
    pub date: Date,
    pub list: List,
    /// The means (letter, in-person, call-in, ...).
    pub kind: String,
    /// The agency or partner that delivered (or tried to).
    pub by: String,
    pub delivered: bool,
    /// The qualifying incident's date, when known.
    pub qualifying: Option<Date>,
}

/// One advocate's contact, resolved to the offender whose case it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contact {
    pub person: PersonIx,
    pub date: Date,
    pub reached: bool,
}

/// The share of one list notified.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub list: String,
    pub on_list: u64,
    pub notified: u64,
}

/// Days from the qualifying incident to notification in one group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Delay {
    pub group: String,
    /// First delivered notifications with a known qualifying incident.
    pub n: u64,
    pub median: Option<i32>,
    pub p90: Option<i32>,
    /// First delivered notifications without a qualifying incident (none recorded and no IPV
    /// incident before it in the data).
    pub unknown: u64,
}

/// Attempts and failures for one list (or all).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attempts {
    pub group: String,
    pub attempts: u64,
    pub failed: u64,
    /// People with an attempt for this list and no delivered notification for it or higher.
    pub never_delivered: u64,
}

/// Re-notification after escalation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Renotification {
    pub escalated: u64,
    pub renotified: u64,
}

/// Advocates' contacts, as counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Contacts {
    pub contacts: u64,
    pub reached: u64,
    pub cases: u64,
    pub cases_reached: u64,
}

/// One month of the programme.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub attempts: u64,
    pub failed: u64,
    /// First delivered notifications (per person and list).
    pub notified: u64,
    /// Of those, notifications at a higher list than the person's earlier one.
    pub renotified: u64,
    pub median_days: Option<i32>,
    pub p90_days: Option<i32>,
    pub contacts: u64,
    pub reached: u64,
}

/// Every fidelity measure as of a date (exact counts: for the partnership's own use).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fidelity {
    pub as_of: Option<Date>,
    /// Lists A, B, C, D.
    pub coverage: Vec<Coverage>,
    pub delay_all: Delay,
    pub delay_by_list: Vec<Delay>,
    pub delay_by_means: Vec<Delay>,
    pub delay_by_agency: Vec<Delay>,
    /// Lists A, B, C, D, then "all".
    pub attempts: Vec<Attempts>,
    pub renotification: Renotification,
    pub contacts: Contacts,
    pub monthly: Vec<Month>,
}

const LISTS: [List; 4] = [List::A, List::B, List::C, List::D];

/// The nearest-rank percentile `p` (0 < p ≤ 1) of sorted values: the smallest value at or above
/// a share `p` of them. `None` for no values.
pub fn percentile(sorted: &[i32], p: f64) -> Option<i32> {
    if sorted.is_empty() {
        return None;
    }
    let k = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(k.clamp(1, sorted.len()) - 1).copied()
}

fn delay(group: &str, mut days: Vec<i32>, unknown: u64) -> Delay {
    days.sort_unstable();
    Delay {
        group: group.to_string(),
        n: days.len() as u64,
        median: percentile(&days, 0.5),
        p90: percentile(&days, 0.9),
        unknown,
    }
}

/// A first delivered notification for a person and list.
struct First<'a> {
    attempt: &'a Attempt,
    escalation: bool,
}

/// Compute every measure from resolved attempts and contacts and the lists as of `as_of`
/// (`listed`: each listed person's list). Records after `as_of` are left out.
pub fn measure(attempts: &[Attempt], contacts: &[Contact], listed: &[(PersonIx, List)], as_of: Date) -> Fidelity {
    let mut att: Vec<&Attempt> = attempts.iter().filter(|a| a.date <= as_of).collect();
    att.sort_by_key(|a| (a.person, a.date, !a.delivered, a.list));
    // Per person: the first delivered notification for each list, in date order.
    let mut firsts: Vec<First> = Vec::new();
    let mut best: HashMap<PersonIx, List> = HashMap::new();
    let mut first_list: HashMap<PersonIx, List> = HashMap::new();
    let mut seen: HashSet<(PersonIx, List)> = HashSet::new();
    for a in att.iter().filter(|a| a.delivered) {
        if seen.insert((a.person, a.list)) {
            let escalation = first_list.get(&a.person).is_some_and(|&l| a.list > l);
            first_list.entry(a.person).or_insert(a.list);
            firsts.push(First { attempt: a, escalation });
        }
        let b = best.entry(a.person).or_insert(a.list);
        *b = (*b).max(a.list);
    }

    let coverage = LISTS
        .iter()
        .map(|&l| {
            let on: Vec<PersonIx> = listed.iter().filter(|x| x.1 == l).map(|x| x.0).collect();
            Coverage {
                list: l.as_str().to_string(),
                on_list: on.len() as u64,
                notified: on.iter().filter(|p| best.get(p).is_some_and(|&b| b >= l)).count() as u64,
            }
        })
        .collect();

    let days_of = |f: &First| f.attempt.qualifying.map(|q| f.attempt.date.days_since(q));
    let group_delays = |key: &dyn Fn(&Attempt) -> String| -> Vec<Delay> {
        let mut groups: BTreeMap<String, (Vec<i32>, u64)> = BTreeMap::new();
        for f in &firsts {
            let g = groups.entry(key(f.attempt)).or_default();
            match days_of(f) {
                Some(d) => g.0.push(d),
                None => g.1 += 1,
            }
        }
        groups.into_iter().map(|(k, (d, u))| delay(&k, d, u)).collect()
    };
    let all: Vec<i32> = firsts.iter().filter_map(days_of).collect();
    let unknown = firsts.len() as u64 - all.len() as u64;
    let delay_all = delay("all", all, unknown);
    let mut delay_by_list = group_delays(&|a| a.list.as_str().to_string());
    delay_by_list.sort_by_key(|d| List::parse(&d.group).map(std::cmp::Reverse));
    let delay_by_means = group_delays(&|a| a.kind.clone());
    let delay_by_agency = group_delays(&|a| a.by.clone());

    let mut attempts_rows: Vec<Attempts> = LISTS
        .iter()
        .map(|&l| {
            let of_list: Vec<&&Attempt> = att.iter().filter(|a| a.list == l).collect();
            let people: HashSet<PersonIx> = of_list.iter().map(|a| a.person).collect();
            Attempts {
                group: l.as_str().to_string(),
                attempts: of_list.len() as u64,
                failed: of_list.iter().filter(|a| !a.delivered).count() as u64,
                never_delivered: people.iter().filter(|p| best.get(p).is_none_or(|&b| b < l)).count() as u64,
            }
        })
        .collect();
    attempts_rows.push(Attempts {
        group: "all".into(),
        attempts: attempts_rows.iter().map(|r| r.attempts).sum(),
        failed: attempts_rows.iter().map(|r| r.failed).sum(),
        never_delivered: attempts_rows.iter().map(|r| r.never_delivered).sum(),
    });

    let mut renotification = Renotification::default();
    for &(p, l) in listed {
        if let Some(&f) = first_list.get(&p) {
            if l > f {
                renotification.escalated += 1;
                if best.get(&p).is_some_and(|&b| b >= l) {
                    renotification.renotified += 1;
                }
            }
        }
    }

    let con: Vec<&Contact> = contacts.iter().filter(|c| c.date <= as_of).collect();
    let cases: HashSet<PersonIx> = con.iter().map(|c| c.person).collect();
    let cases_reached: HashSet<PersonIx> = con.iter().filter(|c| c.reached).map(|c| c.person).collect();
    let contacts_out = Contacts {
        contacts: con.len() as u64,
        reached: con.iter().filter(|c| c.reached).count() as u64,
        cases: cases.len() as u64,
        cases_reached: cases_reached.len() as u64,
    };

    let mut months: BTreeMap<String, (Month, Vec<i32>)> = BTreeMap::new();
    fn month(months: &mut BTreeMap<String, (Month, Vec<i32>)>, d: Date) -> &mut (Month, Vec<i32>) {
        let key = d.month_key();
        months.entry(key.clone()).or_insert_with(|| {
            (
                Month {
                    month: key,
                    ..Month::default()
                },
                Vec::new(),
            )
        })
    }
    for a in &att {
        let m = &mut month(&mut months, a.date).0;
        m.attempts += 1;
        m.failed += u64::from(!a.delivered);
    }
    for f in &firsts {
        let m = month(&mut months, f.attempt.date);
        m.0.notified += 1;
        m.0.renotified += u64::from(f.escalation);
        if let Some(d) = days_of(f) {
            m.1.push(d);
        }
    }
    for c in &con {
        let m = &mut month(&mut months, c.date).0;
        m.contacts += 1;
        m.reached += u64::from(c.reached);
    }
    let monthly = months
        .into_values()
        .map(|(mut m, mut d)| {
            d.sort_unstable();
            m.median_days = percentile(&d, 0.5);
            m.p90_days = percentile(&d, 0.9);
            m
        })
        .collect();

    Fidelity {
        as_of: Some(as_of),
        coverage,
        delay_all,
        delay_by_list,
        delay_by_means,
        delay_by_agency,
        attempts: attempts_rows,
        renotification,
        contacts: contacts_out,
        monthly,
    }
}

/// The qualifying incident's date of a notification of `person` on `date`: the recorded
/// incident's date when it is in the data (else a warning and the fallback), else the person's
/// latest IPV incident on or before `date`.
fn qualifying_date(
    cf: &CaseFile<'_>,
    timeline: &[Event],
    incident: Option<&str>,
    date: Date,
    at: (&str, u64),
    diags: &mut Vec<Diagnostic>,
) -> Option<Date> {
    if let Some(id) = incident {
        match cf
            .incident(id)
            .and_then(|i| cf.data.incidents.get(i))
            .and_then(|i| i.date)
        {
            Some(d) => return Some(d),
            None => diags.push(Diagnostic::cell(
                Severity::Warning,
                at.0,
                at.1,
                "incident",
                id,
                "no such dated incident in the loaded data: the person's latest IPV incident on or before \
                 the notification is taken as the qualifying one",
            )),
        }
    }
    timeline
        .iter()
        .filter(|e| e.ipv_offence())
        .filter_map(|e| e.date)
        .filter(|&d| d <= date)
        .max()
}

/// Resolve the partnership's notification and contact records against a run (people by record
/// id, else person id; rows matching nobody become warnings naming file, row, column and value)
/// and compute every measure as of the report's date with the report's lists.
pub fn measure_run(
    notifications: &[NotificationRecord],
    contacts: &[ContactRecord],
    cf: &CaseFile<'_>,
    report: &OffenderReport,
    files: (&str, &str),
) -> (Fidelity, Vec<Diagnostic>) {
    let (attempts, resolved, diags) = resolve(notifications, contacts, cf, report, files);
    let listed: Vec<(PersonIx, List)> = report
        .offenders
        .iter()
        .map(|o| (o.assignment.person, o.assignment.list))
        .collect();
    (measure(&attempts, &resolved, &listed, report.window.as_of), diags)
}

/// The partnership's notification and contact records resolved to the run's people: the
/// attempts (with their qualifying incident) and contacts [`measure`] counts, and a warning for
/// each row that matches nobody (naming file, row, column and value). The month's cycle measures
/// the same attempts with the lists as they stood at a past month end.
pub fn resolve(
    notifications: &[NotificationRecord],
    contacts: &[ContactRecord],
    cf: &CaseFile<'_>,
    report: &OffenderReport,
    files: (&str, &str),
) -> (Vec<Attempt>, Vec<Contact>, Vec<Diagnostic>) {
    let lookup = PersonLookup::new(cf);
    let mut diags = Vec::new();
    let unknown = |file: &str, row: u64, rid: Option<&str>, pid: &str| {
        Diagnostic::cell(
            Severity::Warning,
            file,
            row,
            if rid.is_some() { "record_id" } else { "person_id" },
            rid.unwrap_or(pid),
            "no such person or record in the loaded data: left out of the implementation measures",
        )
    };
    let mut attempts = Vec::with_capacity(notifications.len());
    for (i, r) in notifications.iter().enumerate() {
        let row = i as u64 + 2;
        let Some(person) = lookup.person(r.record_id.as_deref(), &r.person_id) else {
            diags.push(unknown(files.0, row, r.record_id.as_deref(), &r.person_id));
            continue;
        };
        let timeline = report.timelines.get(person as usize).map(Vec::as_slice).unwrap_or(&[]);
        let mut qualifying = qualifying_date(cf, timeline, r.incident.as_deref(), r.date, (files.0, row), &mut diags);
        if qualifying.is_some_and(|q| q > r.date) {
            diags.push(Diagnostic::cell(
                Severity::Warning,
                files.0,
                row,
                "incident",
                r.incident.as_deref().unwrap_or(""),
                "the qualifying incident is after the notification: its days to notification are left out",
            ));
            qualifying = None;
        }
        attempts.push(Attempt {
            person,
            date: r.date,
            list: r.list,
            kind: r.kind.as_str().to_string(),
            by: r.delivered_by.clone(),
            delivered: r.outcome == Outcome::Delivered,
            qualifying,
        });
    }
    let mut resolved = Vec::with_capacity(contacts.len());
    for (i, c) in contacts.iter().enumerate() {
        match lookup.person(c.record_id.as_deref(), &c.person_id) {
            Some(person) => resolved.push(Contact {
                person,
                date: c.date,
                reached: c.reached,
            }),
            None => diags.push(unknown(files.1, i as u64 + 2, c.record_id.as_deref(), &c.person_id)),
        }
    }
    (attempts, resolved, diags)
}

/// A share, or `None` when a count behind it is suppressed or the denominator is zero.
fn share(num: Count, den: Count) -> Option<f64> {
    match (num.value(), den.value()) {
        (Some(n), Some(d)) if d > 0 => Some(n as f64 / d as f64),
        _ => None,
    }
}

/// A published median or percentile: only for groups of at least `threshold` values.
fn days(n: u64, v: Option<i32>, threshold: u64) -> Option<i32> {
    if n >= threshold {
        v
    } else {
        None
    }
}

/// Days to notification in one group, suppressed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedDelay {
    pub group: String,
    pub n: Count,
    pub median: Option<i32>,
    pub p90: Option<i32>,
}

/// One row of a shareable count table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedRow {
    pub group: String,
    /// (measure, count), in the order of the table's columns.
    pub counts: Vec<(String, Count)>,
    /// Shares computed from published counts only.
    pub shares: Vec<(String, Option<f64>)>,
    /// Published only for groups of at least the threshold.
    pub median_days: Option<i32>,
    pub p90_days: Option<i32>,
}

/// The fidelity measures with small cells suppressed ([`crate::report::suppress`]): counts from
/// 1 to `threshold − 1` and the cells that would reveal them, medians and percentiles of groups
/// under the threshold, and shares built on a suppressed count. No person is named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedFidelity {
    pub threshold: u64,
    pub as_of: Option<Date>,
    pub coverage: Vec<SharedRow>,
    pub delay_by_list: Vec<SharedDelay>,
    pub delay_by_means: Vec<SharedDelay>,
    pub delay_by_agency: Vec<SharedDelay>,
    pub delay_all: SharedDelay,
    pub attempts: Vec<SharedRow>,
    pub renotification: SharedRow,
    pub contacts: SharedRow,
    pub monthly: Vec<SharedRow>,
}

fn shared_delays(rows: &[Delay], threshold: u64) -> Vec<SharedDelay> {
    let n = suppress_list(&rows.iter().map(|d| d.n).collect::<Vec<_>>(), threshold);
    rows.iter()
        .zip(n)
        .map(|(d, c)| SharedDelay {
            group: d.group.clone(),
            n: c,
            median: days(d.n, d.median, threshold),
            p90: days(d.n, d.p90, threshold),
        })
        .collect()
}

/// One count alone (no table around it): suppressed when it is from 1 to `threshold − 1`.
fn single(v: u64, threshold: u64) -> Count {
    if v > 0 && v < threshold {
        Count::Suppressed
    } else {
        Count::Value(v)
    }
}

impl Fidelity {
    /// The shareable version, suppressed at `threshold` (usually [`crate::report::suppress::THRESHOLD`]).
    pub fn shareable(&self, threshold: u64) -> SharedFidelity {
        let s = |v: u64| single(v, threshold);
        // Coverage: notified / not notified per list; the row totals (list sizes) are published,
        // the column totals are not.
        let cov_cells: Vec<Vec<u64>> = self
            .coverage
            .iter()
            .map(|c| vec![c.notified, c.on_list - c.notified.min(c.on_list)])
            .collect();
        let cov_sup = suppress_with_margins(&cov_cells, threshold, true, false);
        let sizes = suppress_list(&self.coverage.iter().map(|c| c.on_list).collect::<Vec<_>>(), threshold);
        let coverage = self
            .coverage
            .iter()
            .zip(cov_sup)
            .zip(sizes)
            .map(|((c, cells), size)| SharedRow {
                group: c.list.clone(),
                counts: vec![("on_list".into(), size), ("notified".into(), cells[0])],
                shares: vec![("notified".into(), share(cells[0], size))],
                median_days: None,
                p90_days: None,
            })
            .collect();
        // Attempts per list (the "all" row is the published total).
        let lists: Vec<&Attempts> = self.attempts.iter().filter(|a| a.group != "all").collect();
        let col =
            |f: &dyn Fn(&Attempts) -> u64| suppress_list(&lists.iter().map(|a| f(a)).collect::<Vec<_>>(), threshold);
        let (a, f, nd) = (col(&|a| a.attempts), col(&|a| a.failed), col(&|a| a.never_delivered));
        let mut attempts: Vec<SharedRow> = lists
            .iter()
            .enumerate()
            .map(|(i, r)| SharedRow {
                group: r.group.clone(),
                counts: vec![
                    ("attempts".into(), a[i]),
                    ("failed".into(), f[i]),
                    ("never_delivered".into(), nd[i]),
                ],
                shares: vec![("failed".into(), share(f[i], a[i]))],
                median_days: None,
                p90_days: None,
            })
            .collect();
        if let Some(all) = self.attempts.iter().find(|a| a.group == "all") {
            let (ta, tf) = (s(all.attempts), s(all.failed));
            attempts.push(SharedRow {
                group: "all".into(),
                counts: vec![
                    ("attempts".into(), ta),
                    ("failed".into(), tf),
                    ("never_delivered".into(), s(all.never_delivered)),
                ],
                shares: vec![("failed".into(), share(tf, ta))],
                median_days: None,
                p90_days: None,
            });
        }
        let r = &self.renotification;
        let (esc, ren) = (s(r.escalated), s(r.renotified));
        let renotification = SharedRow {
            group: "all".into(),
            counts: vec![("escalated".into(), esc), ("renotified".into(), ren)],
            shares: vec![("renotified".into(), share(ren, esc))],
            median_days: None,
            p90_days: None,
        };
        let c = &self.contacts;
        let (cc, cr, cs, csr) = (s(c.contacts), s(c.reached), s(c.cases), s(c.cases_reached));
        let contacts = SharedRow {
            group: "all".into(),
            counts: vec![
                ("contacts".into(), cc),
                ("reached".into(), cr),
                ("cases".into(), cs),
                ("cases_reached".into(), csr),
            ],
            shares: vec![
                ("reached".into(), share(cr, cc)),
                ("cases_reached".into(), share(csr, cs)),
            ],
            median_days: None,
            p90_days: None,
        };
        let monthly = self
            .monthly
            .iter()
            .map(|m| {
                let (ma, mf, mn, mr, mc, mre) = (
                    s(m.attempts),
                    s(m.failed),
                    s(m.notified),
                    s(m.renotified),
                    s(m.contacts),
                    s(m.reached),
                );
                SharedRow {
                    group: m.month.clone(),
                    counts: vec![
                        ("attempts".into(), ma),
                        ("failed".into(), mf),
                        ("notified".into(), mn),
                        ("renotified".into(), mr),
                        ("contacts".into(), mc),
                        ("reached".into(), mre),
                    ],
                    shares: vec![("failed".into(), share(mf, ma)), ("reached".into(), share(mre, mc))],
                    median_days: days(m.notified, m.median_days, threshold),
                    p90_days: days(m.notified, m.p90_days, threshold),
                }
            })
            .collect();
        SharedFidelity {
            threshold,
            as_of: self.as_of,
            coverage,
            delay_by_list: shared_delays(&self.delay_by_list, threshold),
            delay_by_means: shared_delays(&self.delay_by_means, threshold),
            delay_by_agency: shared_delays(&self.delay_by_agency, threshold),
            delay_all: shared_delays(std::slice::from_ref(&self.delay_all), threshold)
                .pop()
                .unwrap_or(SharedDelay {
                    group: "all".into(),
                    n: Count::Value(0),
                    median: None,
                    p90: None,
                }),
            attempts,
            renotification,
            contacts,
            monthly,
        }
    }
}

/// The column names of [`fidelity_sheet`].
pub const SHEET_COLUMNS: [&str; 5] = ["measure", "group", "what", "value", "definition"];

/// The shareable measures as one long table (`fidelity.csv`): one row per measure, group and
/// value, the definition on each measure's first row; suppressed counts read `<11`, withheld
/// medians and shares are empty. No names, no person or victim identifiers.
pub fn fidelity_sheet(f: &Fidelity, threshold: u64) -> Sheet {
    let sh = f.shareable(threshold);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut defined = [false; DEFINITIONS.len()];
    let mut push = |measure: usize, group: &str, what: &str, value: String| {
        let (title, def) = DEFINITIONS[measure];
        // The definition once, on the measure's first row.
        let def = if std::mem::replace(&mut defined[measure], true) {
            ""
        } else {
            def
        };
        rows.push(vec![
            Cell::text(title),
            Cell::text(group),
            Cell::text(what),
            Cell::text(&value),
            Cell::text(def),
        ]);
    };
    let count = |c: Count| c.show(threshold);
    let pct = |s: Option<f64>| s.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default();
    let opt = |d: Option<i32>| d.map(|v| v.to_string()).unwrap_or_default();
    let rows_of = |r: &SharedRow, m: usize, push: &mut dyn FnMut(usize, &str, &str, String)| {
        for (what, c) in &r.counts {
            push(m, &r.group, what, count(*c));
        }
        for (what, s) in &r.shares {
            push(m, &r.group, &format!("share {what}"), pct(*s));
        }
        if r.median_days.is_some() || r.p90_days.is_some() {
            push(m, &r.group, "median days", opt(r.median_days));
            push(m, &r.group, "90th percentile days", opt(r.p90_days));
        }
    };
    for r in &sh.coverage {
        rows_of(r, 0, &mut push);
    }
    for (prefix, ds) in [
        ("", std::slice::from_ref(&sh.delay_all)),
        ("list ", sh.delay_by_list.as_slice()),
        ("means ", sh.delay_by_means.as_slice()),
        ("agency ", sh.delay_by_agency.as_slice()),
    ] {
        for d in ds {
            let g = format!("{prefix}{}", d.group);
            push(1, &g, "notifications", count(d.n));
            push(1, &g, "median days", opt(d.median));
            push(1, &g, "90th percentile days", opt(d.p90));
        }
    }
    for r in &sh.attempts {
        rows_of(r, 2, &mut push);
    }
    rows_of(&sh.renotification, 3, &mut push);
    rows_of(&sh.contacts, 4, &mut push);
    for r in &sh.monthly {
        rows_of(r, 5, &mut push);
    }
    Sheet {
        name: "Implementation (fidelity)".into(),
        headers: SHEET_COLUMNS.iter().map(|s| s.to_string()).collect(),
        rows,
        note: None,
    }
}

#[cfg(test)]
mod tests;
