//! Evaluating notifications as of a date: re-offending after notification (Kaplan–Meier by list
//! and by notification type), a comparison of notified with not-yet-notified offenders (stacked
//! target trials, [`super::trial`]), and monthly IPV counts before and after the start
//! (interrupted time series).
//!
//! Every result states its window, its cohort and its method. The outcome is the user's choice:
//! a new IPV incident as offender, or a new IPV arrest.
//!
//! The comparison is a sequence of weekly trials from the start: those notified in a week against
//! those eligible then and notified later, from the same time zero, within the same list and time
//! since the last IPV incident. An earlier design compared all notified with all not-yet-notified
//! person-time adjusted for recent history; on generated jurisdictions with a known effect it was
//! biased towards no effect (docs/evaluation.md).

use super::its::{interrupted, Estimate, ItsResult};
use super::km::{kaplan_meier, Curve, Follow, Rate};
use super::trial::{self, Row, Subject, TrialConfig};
use super::Z95;
use crate::date::Date;
use crate::model::{RelClass, Role};
use crate::offenders::{CaseFile, PersonIx};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What counts as re-offending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new IPV incident with the person as offender, suspect or arrestee.
    IpvIncident,
    /// A new arrest of the person for an IPV incident.
    IpvArrest,
}

impl Outcome {
    /// Parse `incident` or `arrest`.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s.trim().to_ascii_lowercase().as_str() {
            "incident" | "ipv_incident" => Some(Outcome::IpvIncident),
            "arrest" | "ipv_arrest" => Some(Outcome::IpvArrest),
            _ => None,
        }
    }

    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::IpvIncident => "a new IPV incident as offender",
            Outcome::IpvArrest => "a new IPV arrest",
        }
    }
}

/// Every setting of the evaluation (all data, all editable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalConfig {
    /// First day of the intervention.
    pub start: Date,
    /// The evaluation looks only at what was known on this day (inclusive).
    pub as_of: Date,
    pub outcome: Outcome,
    /// Times (days after notification) at which cumulative re-offending rates are given.
    pub rate_days: Vec<f64>,
    /// The stacked-trial comparison of notified and not-yet-notified offenders.
    pub trial: TrialConfig,
    /// Pairs of Fourier terms for seasonality in the time series.
    pub harmonics: usize,
}

impl EvalConfig {
    /// Defaults: 6- and 12-month rates, weekly trials with 91 days of follow-up
    /// ([`TrialConfig::default`]), two seasonal harmonics. (Checked against synthetic
    /// jurisdictions with a known effect: `tests/evaluate_notifications.rs`, docs/evaluation.md.)
    pub fn new(start: Date, as_of: Date, outcome: Outcome) -> EvalConfig {
        EvalConfig {
            start,
            as_of,
            outcome,
            rate_days: vec![183.0, 365.0],
            trial: TrialConfig::default(),
            harmonics: 2,
        }
    }
}

/// Dates a result covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: Date,
    pub to: Date,
}

/// Who a survival result is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    pub people: u64,
    pub first_notified: Option<Date>,
    pub last_notified: Option<Date>,
}

/// Re-offending after notification for one group of notified people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Survival {
    /// `all`, `list D`, `type letter`, ...
    pub group: String,
    pub window: Window,
    pub cohort: Cohort,
    pub method: String,
    pub curve: Curve,
    /// Cumulative re-offending at each of the configured times; `None` where nobody was followed
    /// that long.
    pub rates: Vec<(f64, Option<Rate>)>,
}

/// Notified against not-yet-notified person-time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub window: Window,
    pub method: String,
    /// IPV offenders in the trials that inform the ratio (either arm).
    pub people: u64,
    /// Of them, those in the notified arm of a trial.
    pub people_notified: u64,
    pub person_years_notified: f64,
    pub person_years_not_notified: f64,
    pub events_notified: u64,
    pub events_not_notified: u64,
    /// Rate ratio of the same trials' follow-up pooled, without strata (for reference only).
    pub crude_rate_ratio: Option<Estimate>,
    /// The rate ratio (notified / not yet notified) within trials and strata, with its
    /// person-clustered 95% interval.
    pub rate_ratio: Option<Estimate>,
    /// The smallest rate ratio the comparison could detect with 80% power (two-sided 5%), from
    /// the precision it achieved ([`super::power`]).
    pub minimum_detectable_ratio: Option<f64>,
    /// Why there is no estimate, when there is none.
    pub note: Option<String>,
}

/// One monthly series with its interrupted time-series fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    /// `YYYY-MM` of each month.
    pub months: Vec<String>,
    pub counts: Vec<f64>,
    pub its: Option<ItsResult>,
    pub note: Option<String>,
}

/// The whole evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub config: EvalConfig,
    pub outcome: String,
    pub data_window: Window,
    pub notifications_used: u64,
    /// Notifications after the as-of date, ignored.
    pub notifications_ignored: u64,
    pub survival: Vec<Survival>,
    pub comparison: Comparison,
    pub series: Vec<Series>,
}

/// Each person's IPV history as offender: incident dates, arrest dates (sorted, one per day).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IpvHistory {
    pub incidents: Vec<Vec<Date>>,

    pub arrests: Vec<Vec<Date>>,
    /// Per IPV incident (by incident index): whether an IPV victim in it was injured.
    pub injured: BTreeMap<usize, bool>,
}

fn offends(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Offender | Role::Suspect | Role::Arrestee))
}

fn injured(codes: crate::model::Codes<'_>) -> bool {
    codes
        .iter()
        .any(|c| !c.trim().is_empty() && !matches!(c.trim().to_ascii_uppercase().as_str(), "N" | "NONE" | "99"))
}

/// Collect every person's IPV incidents and arrests as offender.
pub fn ipv_history(cf: &CaseFile<'_>) -> IpvHistory {
    let n = cf.people();
    let mut h = IpvHistory {
        incidents: vec![Vec::new(); n],
        arrests: vec![Vec::new(); n],
        injured: BTreeMap::new(),
    };
    let mut ipv_of: HashSet<(PersonIx, usize)> = HashSet::new();

    let role_of: HashMap<&str, Option<Role>> = cf.data.involvements.iter().map(|i| (i.record_id, i.role)).collect();
    let inj_of: HashMap<&str, bool> = cf
        .data
        .involvements
        .iter()
        .map(|i| (i.record_id, injured(i.injuries)))
        .collect();
    for (pair, &class) in cf.data.pairs.iter().zip(cf.pair_class) {
        if class != RelClass::IntimatePartner {
            continue;
        }
        let Some(ix) = cf.incident(pair.incident_id) else {
            continue;
        };
        let hurt = inj_of.get(pair.victim_record_id).copied().unwrap_or(false);
        let e = h.injured.entry(ix).or_insert(false);
        *e |= hurt;
        let Some(p) = cf.person_of_record(pair.offender_record_id) else {
            continue;
        };
        // A pair's offender side is an offender whatever the role column says, unless it says victim.
        let role = role_of.get(pair.offender_record_id).copied().flatten();
        if role.is_some() && !offends(role) {
            continue;
        }
        if let Some(d) = cf.data.incidents.date(ix) {
            if ipv_of.insert((p, ix)) {
                h.incidents[p as usize].push(d);
            }
        }
    }
    for a in &cf.data.arrests {
        let Some(p) = cf.person_of_record(&a.record_id) else {
            continue;
        };
        let ix = a.incident_id.as_deref().and_then(|id| cf.incident(id));
        let Some(ix) = ix.filter(|&ix| ipv_of.contains(&(p, ix))) else {
            continue;
        };
        if let Some(d) = a.date.or(cf.data.incidents.date(ix)) {
            h.arrests[p as usize].push(d);
        }
    }
    for v in h.incidents.iter_mut().chain(h.arrests.iter_mut()) {
        v.sort_unstable();
        v.dedup();
    }
    h
}

/// Run the evaluation.
pub fn evaluate(cf: &CaseFile<'_>, cfg: &EvalConfig) -> Evaluation {
    let hist = ipv_history(cf);
    let data_from = cf
        .data
        .incidents
        .iter()
        .filter_map(|i| i.date)
        .min()
        .unwrap_or(cfg.start);
    let data_window = Window {
        from: data_from,
        to: cfg.as_of,
    };
    let used: Vec<&crate::offenders::Notification> = cf.notifications.iter().filter(|n| n.date <= cfg.as_of).collect();
    let ignored = (cf.notifications.len() - used.len()) as u64;
    let outcomes = match cfg.outcome {
        Outcome::IpvIncident => &hist.incidents,
        Outcome::IpvArrest => &hist.arrests,
    };
    let survival = survival_by_group(&used, outcomes, cfg);
    let (comparison, _) = compare(&hist.incidents, outcomes, &used, cfg);
    let series = monthly_series(cf, &hist, data_from, cfg);
    Evaluation {
        config: cfg.clone(),
        outcome: cfg.outcome.label().to_string(),
        data_window,
        notifications_used: used.len() as u64,
        notifications_ignored: ignored,
        survival,
        comparison,
        series,
    }
}

/// The stacked trials' rows behind the comparison (for checking the estimate elsewhere).
pub fn comparison_rows(cf: &CaseFile<'_>, cfg: &EvalConfig) -> Vec<Row> {
    let hist = ipv_history(cf);
    let used: Vec<&crate::offenders::Notification> = cf.notifications.iter().filter(|n| n.date <= cfg.as_of).collect();
    let outcomes = match cfg.outcome {
        Outcome::IpvIncident => &hist.incidents,
        Outcome::IpvArrest => &hist.arrests,
    };
    compare(&hist.incidents, outcomes, &used, cfg).1
}

/// Each survival group's people: group name → each person's first notification in the group.
type Groups = BTreeMap<(u8, String), BTreeMap<PersonIx, Date>>;

fn groups_of(notes: &[&crate::offenders::Notification]) -> Groups {
    let mut groups: Groups = BTreeMap::new();
    for n in notes {
        for key in [
            (0u8, "all".to_string()),
            (1, format!("list {}", n.list.as_str())),
            (2, format!("type {}", n.kind)),
        ] {
            let g = groups.entry(key).or_default();
            let e = g.entry(n.person).or_insert(n.date);
            if n.date < *e {
                *e = n.date;
            }
        }
    }
    groups
}

fn follows_of(firsts: &BTreeMap<PersonIx, Date>, outcomes: &[Vec<Date>], cfg: &EvalConfig) -> Vec<Follow> {
    firsts
        .iter()
        .map(|(&p, &d)| {
            let next = outcomes
                .get(p as usize)
                .and_then(|v| v.iter().find(|&&o| o > d && o <= cfg.as_of));
            match next {
                Some(&o) => Follow {
                    days: o.days_since(d) as f64,
                    event: true,
                },
                None => Follow {
                    days: cfg.as_of.days_since(d) as f64,
                    event: false,
                },
            }
        })
        .collect()
}

/// Each survival group's follow-up times behind its Kaplan–Meier curve (for checking elsewhere).
pub fn survival_follows(cf: &CaseFile<'_>, cfg: &EvalConfig) -> Vec<(String, Vec<Follow>)> {
    let hist = ipv_history(cf);
    let used: Vec<&crate::offenders::Notification> = cf.notifications.iter().filter(|n| n.date <= cfg.as_of).collect();
    let outcomes = match cfg.outcome {
        Outcome::IpvIncident => &hist.incidents,
        Outcome::IpvArrest => &hist.arrests,
    };
    groups_of(&used)
        .into_iter()
        .map(|((_, g), firsts)| (g, follows_of(&firsts, outcomes, cfg)))
        .collect()
}

fn survival_by_group(
    notes: &[&crate::offenders::Notification],
    outcomes: &[Vec<Date>],
    cfg: &EvalConfig,
) -> Vec<Survival> {
    let groups = groups_of(notes);
    groups
        .into_iter()
        .map(|((_, group), firsts)| {
            let follows = follows_of(&firsts, outcomes, cfg);
            let curve = kaplan_meier(&follows);
            let rates = cfg.rate_days.iter().map(|&t| (t, curve.rate_at(t, &follows))).collect();
            let first = firsts.values().min().copied();
            Survival {
                group,
                window: Window {
                    from: first.unwrap_or(cfg.start),
                    to: cfg.as_of,
                },
                cohort: Cohort {
                    people: firsts.len() as u64,
                    first_notified: first,
                    last_notified: firsts.values().max().copied(),
                },
                method: format!(
                    "Kaplan–Meier: days from each person's first notification in the group to {}, censored on {}; \
                     Greenwood variance, 95% log–log intervals",
                    cfg.outcome.label(),
                    cfg.as_of
                ),
                curve,
                rates,
            }
        })
        .collect()
}

fn compare(
    incidents: &[Vec<Date>],
    outcomes: &[Vec<Date>],
    notes: &[&crate::offenders::Notification],
    cfg: &EvalConfig,
) -> (Comparison, Vec<Row>) {
    let window = Window {
        from: cfg.start,
        to: cfg.as_of,
    };
    let mut first_note: HashMap<PersonIx, (Date, u8)> = HashMap::new();
    for n in notes {
        let code = n.list as u8;
        let e = first_note.entry(n.person).or_insert((n.date, code));
        if n.date < e.0 {
            *e = (n.date, code);
        }
    }
    let subjects: Vec<Subject<'_>> = incidents
        .iter()
        .zip(outcomes)
        .enumerate()
        .map(|(p, (inc, out))| Subject {
            incidents: inc,
            outcomes: out,
            first_notified: first_note.get(&(p as PersonIx)).copied(),
        })
        .collect();
    let rows = trial::stack(&subjects, cfg.start, cfg.as_of, &cfg.trial);
    let used = trial::informative(&rows);
    let (people, people_notified) = trial::people(&used);
    let (mut y1, mut t1, mut y0, mut t0) = (0u64, 0.0, 0u64, 0.0);
    for r in &used {
        if r.notified {
            y1 += r.events as u64;
            t1 += r.days;
        } else {
            y0 += r.events as u64;
            t0 += r.days;
        }
    }
    let crude = (y1 > 0 && y0 > 0 && t1 > 0.0 && t0 > 0.0).then(|| {
        let b = ((y1 as f64 / t1) / (y0 as f64 / t0)).ln();
        let se = (1.0 / y1 as f64 + 1.0 / y0 as f64).sqrt();
        est(b, se)
    });
    let tc = &cfg.trial;
    let mut cmp = Comparison {
        window,
        method: format!(
            "Stacked weekly trials from {start}: in each week, IPV offenders eligible at its start (an IPV incident in \
             the past {look} days) who were first notified in the {recent} days before it, against those notified later \
             (followed only until their notification), counting {outcome} during the week; compared within the same \
             {period} days, list and days since the last IPV incident (a Poisson model with a rate per stratum, conditional on each \
             stratum's events); 95% Wald interval with person-clustered (sandwich) standard errors, as people recur \
             across weeks",
            start = cfg.start,
            look = tc.lookback_days,
            recent = tc.recent_days,
            period = tc.period_days,
            outcome = cfg.outcome.label(),
        ),
        people,
        people_notified,
        person_years_notified: t1 / 365.25,
        person_years_not_notified: t0 / 365.25,
        events_notified: y1,
        events_not_notified: y0,
        crude_rate_ratio: crude,
        rate_ratio: None,
        minimum_detectable_ratio: None,
        note: None,
    };
    if used.is_empty() {
        cmp.note = Some(
            "no comparison: no trial has both people notified in its week and eligible people notified later".into(),
        );
        return (cmp, rows);
    }
    match trial::stratified_rate_ratio(&used) {
        Some(f) => {
            cmp.rate_ratio = Some(f.estimate());
            cmp.minimum_detectable_ratio = super::power::minimum_detectable_ratio(f.se);
        }
        None => cmp.note = Some("no estimate: no re-offending in one of the arms".into()),
    }
    (cmp, rows)
}

fn est(b: f64, se: f64) -> Estimate {
    Estimate {
        value: b.exp(),
        lower: (b - Z95 * se).exp(),
        upper: (b + Z95 * se).exp(),
    }
}

/// Whole months of data before the start that the time series needs (one seasonal cycle).
pub const MIN_MONTHS_BEFORE: i32 = 12;

/// Monthly counts of IPV incidents, IPV arrests and IPV incidents with an injured victim, over the
/// months from the first record's month to the last whole month on the as-of date, each with its time series.
fn monthly_series(cf: &CaseFile<'_>, hist: &IpvHistory, data_from: Date, cfg: &EvalConfig) -> Vec<Series> {
    // From the month of the first record to the last whole month on the as-of date.
    let first = data_from.month_index();
    let next_day = cfg.as_of.add_days(1);
    let last = next_day.month_index() - 1; // the last whole month
    let n = (last - first + 1).max(0) as usize;
    let months: Vec<String> = (first..=last)
        .map(|m| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
        .collect();
    let bin = |d: Date| -> Option<usize> {
        let m = d.month_index();
        (m >= first && m <= last).then(|| (m - first) as usize)
    };
    let mut incidents = vec![0.0; n];
    let mut injuries = vec![0.0; n];
    for (&ix, &hurt) in &hist.injured {
        if let Some(b) = cf.data.incidents.date(ix).and_then(bin) {
            incidents[b] += 1.0;
            if hurt {
                injuries[b] += 1.0;
            }
        }
    }
    let mut arrests = vec![0.0; n];
    for d in hist.arrests.iter().flatten() {
        if let Some(b) = bin(*d) {
            arrests[b] += 1.0;
        }
    }
    let start_ix = cfg.start.month_index() - first;
    [
        ("IPV incidents", incidents),
        ("IPV arrests", arrests),
        ("IPV incidents with an injured victim", injuries),
    ]
    .into_iter()
    .map(|(name, counts)| {
        let fit = if start_ix <= 0 || start_ix as usize >= n {
            Err("the start is not inside the months of data: no before or no after".to_string())
        } else if start_ix < MIN_MONTHS_BEFORE {
            Err(format!(
                "only {start_ix} month(s) of data before the start; the time series needs at least {MIN_MONTHS_BEFORE} \
                 to learn the trend and the seasons it compares against, so no time-series model"
            ))
        } else {
            interrupted(&counts, start_ix as usize, cfg.harmonics)
                .map_err(|e| format!("no time-series model: {e}"))
                .and_then(|r| {
                    if r.is_finite() {
                        Ok(r)
                    } else {
                        Err("no time-series model: too few events a month for the model to settle \
                             (its estimates are not finite numbers)"
                            .to_string())
                    }
                })
        };
        let (its, note) = match fit {
            Ok(r) => (Some(r), None),
            Err(m) => (None, Some(m)),
        };
        Series {
            name: name.to_string(),
            months: months.clone(),
            counts,
            its,
            note,
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Arrest, Dataset, Incident, Involvement, Pair};
    use crate::offenders::{List, Notification};

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    /// People 0..n offend against person 1000+i on the given dates (one incident each).
    fn dataset(incidents: &[(u32, &str, bool)]) -> (Dataset, Vec<RelClass>, Vec<PersonIx>, Vec<String>) {
        let mut ds = Dataset::default();
        let mut person_of = Vec::new();
        let mut classes = Vec::new();
        let mut max = 0;
        for (k, &(p, date, arrested)) in incidents.iter().enumerate() {
            let id = format!("I{k}");
            ds.incidents.push(Incident {
                incident_id: id.clone().into(),
                date: Some(d(date)),
                ..Incident::default()
            });
            for (r, role, who) in [("o", Role::Offender, p), ("v", Role::Victim, 1000 + p)] {
                ds.involvements.push(Involvement {
                    record_id: compact_str::format_compact!("{id}{r}"),
                    incident_id: id.clone().into(),
                    role: Some(role),
                    injuries: if r == "v" { vec!["M".into()] } else { vec![] },
                    ..Involvement::default()
                });
                person_of.push(who);
                max = max.max(who);
            }
            ds.pairs.push(Pair {
                incident_id: id.clone().into(),
                victim_record_id: compact_str::format_compact!("{id}v"),
                offender_record_id: compact_str::format_compact!("{id}o"),
                ..Pair::default()
            });
            classes.push(RelClass::IntimatePartner);
            if arrested {
                ds.arrests.push(Arrest {
                    arrest_id: compact_str::format_compact!("A{k}"),
                    incident_id: Some(id.clone().into()),
                    record_id: compact_str::format_compact!("{id}o"),
                    date: Some(d(date)),
                    ..Arrest::default()
                });
            }
        }
        let ids = (0..=max).map(|i| format!("P{i}")).collect();
        (ds, classes, person_of, ids)
    }

    fn note(person: PersonIx, date: &str, list: List, kind: &str) -> Notification {
        Notification {
            person,
            date: d(date),
            list,
            kind: kind.into(),
            delivered_by: String::new(),
        }
    }

    #[test]
    fn survival_follows_each_group_from_its_first_notification() {
        let (ds, cl, po, ids) = dataset(&[
            (0, "2021-01-01", false),
            (0, "2022-03-01", true),
            (1, "2021-02-01", true),
            (2, "2021-03-01", false),
            (2, "2021-12-01", false),
        ]);
        let notes = vec![
            note(0, "2022-01-01", List::D, "letter"),
            note(1, "2022-01-01", List::C, "in-person"),
            note(2, "2022-02-01", List::D, "letter"),
            note(0, "2022-04-01", List::B, "call-in"),
            note(2, "2024-01-01", List::B, "call-in"),
        ];
        let cf = CaseFile::new(&ds, &cl, &po, &ids, &notes).expect("case file");
        let cfg = EvalConfig::new(d("2022-01-01"), d("2022-12-31"), Outcome::IpvIncident);
        let ev = evaluate(&cf, &cfg);
        assert_eq!((ev.notifications_used, ev.notifications_ignored), (4, 1));
        let all = ev.survival.iter().find(|s| s.group == "all").expect("all");
        assert_eq!(all.cohort.people, 3);
        assert_eq!(all.cohort.first_notified, Some(d("2022-01-01")));
        assert_eq!(all.cohort.last_notified, Some(d("2022-02-01")));
        // Person 0 re-offends 59 days after notification; the others are censored.
        assert_eq!((all.curve.events, all.curve.steps[0].days), (1, 59.0));
        let six = all.rates[0].1.expect("followed six months");
        assert!((six.rate - 1.0 / 3.0).abs() < 1e-9);
        let d_list = ev.survival.iter().find(|s| s.group == "list D").expect("list D");
        assert_eq!(d_list.cohort.people, 2);
        assert!(ev
            .survival
            .iter()
            .any(|s| s.group == "type call-in" && s.cohort.people == 1));
        // Arrests as the outcome: person 0's re-offence was an arrest too.
        let cfg = EvalConfig::new(d("2022-01-01"), d("2022-12-31"), Outcome::IpvArrest);
        let ev = evaluate(&cf, &cfg);
        let all = ev.survival.iter().find(|s| s.group == "all").expect("all");
        assert_eq!(all.curve.events, 1);
    }

    #[test]
    fn the_time_series_refuses_fewer_than_twelve_months_before_the_start() {
        let mut inc = Vec::new();
        for m in 1..=12 {
            for y in [2021, 2022] {
                inc.push((
                    m as u32,
                    Box::leak(format!("{y}-{m:02}-10").into_boxed_str()) as &str,
                    false,
                ));
            }
        }
        let (ds, cl, po, ids) = dataset(&inc);
        let cf = CaseFile::new(&ds, &cl, &po, &ids, &[]).expect("case file");
        // 11 months before 2021-12-01: refused, saying why.
        let ev = evaluate(
            &cf,
            &EvalConfig::new(d("2021-12-01"), d("2022-12-31"), Outcome::IpvIncident),
        );
        assert!(ev.series.iter().all(|s| s.its.is_none()));
        let note = ev.series[0].note.as_deref().expect("note");
        assert!(
            note.contains("only 11 month(s)") && note.contains("at least 12"),
            "{note}"
        );
        // 12 months before 2022-01-01: a model.
        let ev = evaluate(
            &cf,
            &EvalConfig::new(d("2022-01-01"), d("2022-12-31"), Outcome::IpvIncident),
        );
        assert!(ev.series[0].its.is_some(), "{:?}", ev.series[0].note);
    }

    #[test]
    fn monthly_series_count_ipv_incidents_arrests_and_injuries() {
        let mut inc = Vec::new();
        for m in 1..=12 {
            for y in [2020, 2021, 2022] {
                let k = if y == 2022 { 2 } else { 4 };
                for i in 0..k {
                    inc.push((
                        i as u32,
                        Box::leak(format!("{y}-{m:02}-{:02}", 10 + i).into_boxed_str()) as &str,
                        i == 0,
                    ));
                }
            }
        }
        let (ds, cl, po, ids) = dataset(&inc);
        let cf = CaseFile::new(&ds, &cl, &po, &ids, &[]).expect("case file");
        let cfg = EvalConfig::new(d("2022-01-01"), d("2022-12-31"), Outcome::IpvIncident);
        let ev = evaluate(&cf, &cfg);
        let s = &ev.series[0];
        assert_eq!(s.months.len(), 36);
        assert_eq!(s.counts[0], 4.0);
        assert_eq!(s.counts[35], 2.0);
        let its = s.its.as_ref().expect("model");
        assert!(
            (its.average_effect.value - 0.5).abs() < 0.05,
            "{:?}",
            its.average_effect
        );
        assert_eq!(ev.series[1].counts.iter().sum::<f64>(), 36.0);
        assert_eq!(ev.series[2].counts, s.counts);
        assert!(!ev.comparison.method.is_empty());
    }
}
