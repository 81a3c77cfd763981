//! The month-by-month cycle of the intervention: the lists as they stood at the end of every
//! month (replayed from the records, tiers only escalating), who is new and who moved up in the
//! month and why, and whose notification is due or overdue.
//!
//! [`replay`] computes every month end with the same steps as
//! [`crate::offenders::outputs::analyze`] (features over the look-back window as of the month's
//! last day, the list rules, tiers held from the previous month end), computing the timelines
//! once for all months. [`this_month`] reads the replay and the notifications against the due
//! rule ([`due::DueRules`], data). [`sheets`] turns both into tables and the printable agenda.
//!
//! Offender-facing: nothing here carries a victim's name, record or id.

pub mod due;
pub mod sheets;

use crate::date::Date;
use crate::offenders::features::{features, Window};
use crate::offenders::lists::{assign, changes, list_index, snapshot, Change, Flag, Reason, Snapshot};
use crate::offenders::outputs::OffenderConfig;
use crate::offenders::timeline::timelines;
use crate::offenders::{CaseFile, List, Notification, PersonIx};
use due::DueRules;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A person who entered a list, or moved up to a higher one, at a month end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Move {
    pub person: PersonIx,
    pub person_id: String,
    /// [`Change::New`] or [`Change::Escalated`].
    pub change: Change,
    /// The list at the previous month end (`None` when new).
    pub from: Option<List>,
    pub list: List,
    /// Every rule that held, most serious list first, with the incidents behind it.
    pub reasons: Vec<Reason>,
    /// The danger flags that held.
    pub flags: Vec<Flag>,
}

/// The lists at the end of one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthEnd {
    /// `YYYY-MM`.
    pub month: String,
    /// The date the lists were computed as of: the month's last day, or the as-of date for the
    /// last month.
    pub as_of: Date,
    /// List sizes in the order A, B, C, D.
    pub sizes: [u64; 4],
    /// Every listed person and their list, in person order.
    pub lists: Vec<(PersonIx, List)>,
    /// People new on a list, or raised to a higher one, since the previous month end.
    pub moves: Vec<Move>,
}

/// Where a person stands on their current list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub list: List,
    /// The month end at which the person entered this list (or was raised to it).
    pub entered: Date,
    /// The first day after the month end before it: a notification for this list delivered on
    /// or after this day counts (officers may act before the month's refresh).
    pub since: Date,
    /// Raised to this list from a lower one (else entered from no list).
    pub escalated: bool,
}

/// Every month end from the first month with records to the as-of date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    pub as_of: Option<Date>,
    pub months: Vec<MonthEnd>,
    /// The snapshot after the last month end (what the next refresh escalates from).
    pub snapshot: Snapshot,
    /// Each person's standing on their current list, indexed by person (`None`: never listed).
    pub standing: Vec<Option<Standing>>,
}

/// The last day of the month of `d`.
pub fn month_end(d: Date) -> Date {
    let (y, m, _) = d.ymd();
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Date::from_ymd(ny, nm, 1).map(|x| x.add_days(-1)).unwrap_or(d)
}

/// The month ends from the month of `first` to `as_of` (the last one is `as_of` itself).
pub fn month_ends(first: Date, as_of: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = month_end(first);
    while d < as_of {
        out.push(d);
        d = month_end(d.add_days(1));
    }
    if first <= as_of {
        out.push(as_of);
    }
    out
}

/// The first dated incident on or before `as_of`.
pub fn first_date(cf: &CaseFile<'_>, as_of: Date) -> Option<Date> {
    cf.data
        .incidents
        .iter()
        .filter_map(|i| i.date)
        .filter(|&d| d <= as_of && d >= crate::date::EARLIEST_PLAUSIBLE)
        .min()
}

/// Replay the lists month by month up to `as_of`, from `start` (the first month with records
/// when `None`). Each month end is what `analyze` gives as of that day fed the previous month
/// end's snapshot, so tiers only escalate. `progress` gets the fraction done and may cancel
/// (`None` is returned).
pub fn replay(
    cf: &CaseFile<'_>,
    cfg: &OffenderConfig,
    as_of: Date,
    start: Option<Date>,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Option<Replay> {
    let Some(first) = start.or_else(|| first_date(cf, as_of)) else {
        return Some(Replay {
            as_of: Some(as_of),
            standing: vec![None; cf.people()],
            ..Replay::default()
        });
    };
    let ends = month_ends(first, as_of);
    // Timelines do not depend on the date: built once, read by every month's features.
    let tl = timelines(cf, &cfg.harm, &cfg.markers);
    let mut previous = Snapshot::default();
    let mut standing: Vec<Option<Standing>> = vec![None; cf.people()];
    let mut months = Vec::with_capacity(ends.len());
    let mut since = first;
    for (k, &end) in ends.iter().enumerate() {
        if !progress(k as f32 / ends.len() as f32) {
            return None;
        }
        let window = Window {
            as_of: end,
            lookback_days: cfg.lookback_days,
        };
        let feats = features(cf, &tl, window, &cfg.harm, &cfg.markers);
        let assignments = assign(&feats, &cfg.rules, &previous, cf.person_ids, end);
        let change = changes(&assignments, &previous, cf.person_ids);
        let mut sizes = [0u64; 4];
        let mut lists = Vec::with_capacity(assignments.len());
        let mut moves = Vec::new();
        for (a, c) in assignments.iter().zip(&change) {
            sizes[list_index(a.list)] += 1;
            lists.push((a.person, a.list));
            if matches!(c, Change::New | Change::Escalated) {
                let id = cf.person_ids.get(a.person as usize).cloned().unwrap_or_default();
                let from = previous.lists.get(&id).map(|&(l, _)| l);
                if let Some(s) = standing.get_mut(a.person as usize) {
                    *s = Some(Standing {
                        list: a.list,
                        entered: end,
                        since,
                        escalated: from.is_some(),
                    });
                }
                moves.push(Move {
                    person: a.person,
                    person_id: id,
                    change: *c,
                    from,
                    list: a.list,
                    reasons: a.reasons.clone(),
                    flags: a.flags.clone(),
                });
            }
        }
        lists.sort_unstable();
        moves.sort_by(|x, y| y.list.cmp(&x.list).then(x.person_id.cmp(&y.person_id)));
        previous = snapshot(&assignments, &previous, cf.person_ids, end);
        months.push(MonthEnd {
            month: end.month_key(),
            as_of: end,
            sizes,
            lists,
            moves,
        });
        since = end.add_days(1);
    }
    progress(1.0);
    Some(Replay {
        as_of: Some(as_of),
        months,
        snapshot: previous,
        standing,
    })
}

/// Whether a notification is due or overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    /// The due date is on or after the as-of date.
    Due,
    /// The due date has passed.
    Overdue,
}

impl DueStatus {
    /// The name used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            DueStatus::Due => "due",
            DueStatus::Overdue => "overdue",
        }
    }
}

/// A person on a list with no delivered notification for that list since entering it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueNotification {
    pub person: PersonIx,
    pub person_id: String,
    pub list: List,
    /// The month end at which the person entered the list (or was raised to it).
    pub entered: Date,
    pub escalated: bool,
    pub due: Date,
    pub status: DueStatus,
    /// Days from the as-of date to the due date (0 or more when due), or past it (more than 0
    /// when overdue).
    pub days: i64,
    /// The last notification delivered before (for a lower list or an earlier spell), if any.
    pub last_notified: Option<(Date, List)>,
}

/// The cycle as of a date: the month's moves and the notifications due.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThisMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub as_of: Option<Date>,
    /// List sizes at this month end and at the previous one (A, B, C, D).
    pub sizes: [u64; 4],
    pub previous_sizes: Option<[u64; 4]>,
    /// People new on a list this month.
    pub new: Vec<Move>,
    /// People raised to a higher list this month, with the reasons.
    pub escalated: Vec<Move>,
    /// Notifications due (due date on or after the as-of date), soonest first.
    pub due: Vec<DueNotification>,
    /// Notifications overdue, most overdue first.
    pub overdue: Vec<DueNotification>,
}

/// The cycle of the last replayed month: moves from the replay, and for every person on a list
/// at that month end with no notification for the current list delivered since entering it, the
/// due date from `rules`. `notifications` are the case file's (person, date, list), each one a
/// delivered notification; those after the as-of date are ignored.
pub fn this_month(
    replay: &Replay,
    notifications: &[Notification],
    rules: &DueRules,
    person_ids: &[String],
) -> ThisMonth {
    let Some(last) = replay.months.last() else {
        return ThisMonth {
            month: replay.as_of.map(|d| d.month_key()).unwrap_or_default(),
            as_of: replay.as_of,
            ..ThisMonth::default()
        };
    };
    let as_of = last.as_of;
    let mut by_person: HashMap<PersonIx, Vec<&Notification>> = HashMap::new();
    for n in notifications.iter().filter(|n| n.date <= as_of) {
        by_person.entry(n.person).or_default().push(n);
    }
    let (mut due, mut overdue) = (Vec::new(), Vec::new());
    for &(p, list) in &last.lists {
        let Some(Some(st)) = replay.standing.get(p as usize) else {
            continue;
        };
        let notes = by_person.get(&p).map(Vec::as_slice).unwrap_or(&[]);
        if notes.iter().any(|n| n.list >= st.list && n.date >= st.since) {
            continue;
        }
        let last_notified = notes.iter().max_by_key(|n| n.date).map(|n| (n.date, n.list));
        let days_allowed = rules.days(st.list, st.escalated);
        let due_date = st.entered.add_days(days_allowed.clamp(0, due::MAX_DAYS) as i32);
        let row = |status, days| DueNotification {
            person: p,
            person_id: person_ids.get(p as usize).cloned().unwrap_or_default(),
            list,
            entered: st.entered,
            escalated: st.escalated,
            due: due_date,
            status,
            days,
            last_notified,
        };
        if due_date >= as_of {
            due.push(row(DueStatus::Due, i64::from(due_date.days_since(as_of))));
        } else {
            overdue.push(row(DueStatus::Overdue, i64::from(as_of.days_since(due_date))));
        }
    }
    due.sort_by(|a, b| {
        a.days
            .cmp(&b.days)
            .then(b.list.cmp(&a.list))
            .then(a.person_id.cmp(&b.person_id))
    });
    overdue.sort_by(|a, b| {
        b.days
            .cmp(&a.days)
            .then(b.list.cmp(&a.list))
            .then(a.person_id.cmp(&b.person_id))
    });
    let previous_sizes = replay
        .months
        .len()
        .checked_sub(2)
        .and_then(|i| replay.months.get(i))
        .map(|m| m.sizes);
    ThisMonth {
        month: last.month.clone(),
        as_of: Some(as_of),
        sizes: last.sizes,
        previous_sizes,
        new: last.moves.iter().filter(|m| m.change == Change::New).cloned().collect(),
        escalated: last
            .moves
            .iter()
            .filter(|m| m.change == Change::Escalated)
            .cloned()
            .collect(),
        due,
        overdue,
    }
}

/// The cycle of one run of the pipeline: the replay and its last month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cycle {
    pub replay: Replay,
    pub this_month: ThisMonth,
}

/// The cycle as of `as_of` on the people and classes of a pipeline run (the one the app's worker
/// and `ipvi cycle` both make), with the delivered `notifications` resolved to its people (the
/// run's own, or the analyst's records as they stand now) and the offender settings `cfg` (the
/// list rules the analyst applied, if any). `None` when cancelled.
pub fn from_run(
    data: &crate::model::Dataset,
    result: &crate::pipeline::PipelineResult,
    notifications: &[Notification],
    cfg: &OffenderConfig,
    rules: &DueRules,
    as_of: Date,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Option<Cycle>, crate::offenders::CaseFileError> {
    let cf = result.case_file(data, notifications)?;
    let Some(replay) = replay(&cf, cfg, as_of, None, progress) else {
        return Ok(None);
    };
    let this_month = this_month(&replay, notifications, rules, &result.person_ids);
    Ok(Some(Cycle { replay, this_month }))
}

/// The implementation measures ([`crate::fidelity`]) as of the cycle's date, with the lists as
/// they stood at its last month end (attempts and contacts after it are left out). `None` when
/// nothing was replayed.
pub fn fidelity(
    replay: &Replay,
    attempts: &[crate::fidelity::Attempt],
    contacts: &[crate::fidelity::Contact],
) -> Option<crate::fidelity::Fidelity> {
    let last = replay.months.last()?;
    Some(crate::fidelity::measure(attempts, contacts, &last.lists, last.as_of))
}

#[cfg(test)]
mod tests;
