//! Offending careers: when each offender offends, against whom, and what the police record.
//!
//! Each person with a positive latent risk is simulated on their own seeded stream, so the
//! result does not depend on the order people are processed in. The hazard of a new event is
//!
//! ```text
//! λ_dom(t) = [risk · age(t) · d · (1 + b·n_dom) + e · exp(-(t - t_dom)/τ)] · notified(t)
//! λ_other(t) = risk · age(t) · v · (1 + b·n_all) + e/2 · exp(-(t - t_any)/τ)
//! ```
//!
//! The early-repeat term `e` is additive, so the process stays subcritical (each event brings
//! `e·τ/365` further events on average) however high the latent risk.
//!
//! with a heavy-tailed `risk` (a small chronic group), frequency rising with each prior event
//! (`b`), early repeats (`e`, `τ`), a domestic propensity `d` and a versatility `v` per person,
//! and an optional notification effect that multiplies the domestic hazard. Events are drawn by
//! thinning (Ogata), restarting at change points (the intervention's start, notification days).

use super::population::{PartnerKind, Population, Sex, NONE};
use super::rng::{pick_weighted, stream, Rng};
use super::{OffenseKind, SynthConfig};
use crate::date::Date;
use crate::model::RelClass;

/// What the victim is to the offender (the victim's relation to the offender, as NIBRS codes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rel {
    Spouse,
    CommonLaw,
    Dating,
    ExSpouse,
    ExDating,
    Parent,
    Child,
    Sibling,
    Grandparent,
    Grandchild,
    InLaw,
    StepParent,
    StepChild,
    /// The victim is the child of the offender's partner (not the offender's own child).
    PartnersChild,
    /// The victim is the partner of the offender's parent ("mother's boyfriend").
    ParentsPartner,
    Acquaintance,
    Friend,
    Neighbor,
    /// Lives with the offender, not a partner or relative.
    Roommate,
    /// The victim is the new partner of the offender's former partner.
    ExsNewPartner,
    Stranger,
    /// No person victim (business, society).
    NoVictim,
}

impl Rel {
    /// The true relationship class.
    pub fn class(self) -> RelClass {
        use Rel::*;
        match self {
            Spouse | CommonLaw | Dating | ExSpouse | ExDating => RelClass::IntimatePartner,
            Parent | Child | Sibling | Grandparent | Grandchild | InLaw | StepParent | StepChild | PartnersChild
            | ParentsPartner => RelClass::OtherFamily,
            Acquaintance | Friend | Neighbor | Roommate | ExsNewPartner => RelClass::KnownNonFamily,
            Stranger => RelClass::Stranger,
            NoVictim => RelClass::Unknown,
        }
    }

    /// Domestic (intimate partner or other family).
    pub fn domestic(self) -> bool {
        self.class().is_domestic()
    }
}

/// How an event ended up in the records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A call for service, no report written.
    CallOnly,
    /// A report with no crime (a domestic disturbance documented).
    ReportNoCrime,
    /// A report with one or more offences.
    Crime,
}

/// Which part of the simulated time an event falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Before the export: shapes histories, never written.
    BurnIn,
    /// In the export.
    Export,
    /// After the export: written only to `truth/`.
    Followup,
}

/// One event of an offender's career.
#[derive(Clone, Debug)]
pub struct Event {
    pub date: Date,
    pub hour: u8,
    pub offender: u32,
    /// Sequence within the offender's career.
    pub seq: u32,
    pub victim: u32,
    pub rel: Rel,
    /// The offender and victim have a child in common.
    pub child_in_common: bool,
    pub outcome: Outcome,
    /// Offence kinds, most serious first.
    pub offenses: Vec<OffenseKind>,
    /// NIBRS weapon/force code ("99" none).
    pub weapon: &'static str,
    /// NIBRS injury code of the victim ("N" none).
    pub injury: &'static str,
    pub strangulation: bool,
    pub attempted: bool,
    pub arrested: bool,
    /// A protective order protecting this victim from this offender was in force.
    pub order_in_force: bool,
    /// The victim got a protective order after this event: (issued, expires).
    pub new_order: Option<(Date, Date)>,
    pub phase: Phase,
}

/// A notification of the intervention (truth: every one, including follow-up).
#[derive(Clone, Debug, PartialEq)]
pub struct NotificationEvent {
    pub person: u32,
    pub date: Date,
    /// 'D', 'C', 'B' or 'A'.
    pub list: char,
    /// The qualifying incident: the recorded IPV event that put the person on this list (its
    /// date and its `seq` in the offender's career), or the latest one before the programme's
    /// start for those notified at the start.
    pub qualifying: Option<(Date, u32)>,
}

/// One offender's simulated career.
#[derive(Clone, Debug, Default)]
pub struct Career {
    pub events: Vec<Event>,
    pub notifications: Vec<NotificationEvent>,
}

/// The time frame of the simulation.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub sim_start: Date,
    pub export_start: Date,
    pub export_end: Date,
    pub followup_end: Date,
}

fn age_factor(age: f64) -> f64 {
    if age < 15.0 {
        0.0
    } else if age < 18.0 {
        0.5
    } else if age < 36.0 {
        1.0
    } else if age < 50.0 {
        0.7
    } else if age < 65.0 {
        0.35
    } else {
        0.1
    }
}

/// The victim's relation to the offender for a domestic candidate.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    victim: u32,
    rel: Rel,
    child: bool,
}

fn partner_rel(kind: PartnerKind, current: bool) -> Rel {
    match (kind, current) {
        (PartnerKind::Married, true) => Rel::Spouse,
        (PartnerKind::Cohabiting, true) => Rel::CommonLaw,
        (PartnerKind::Dating, true) => Rel::Dating,
        (PartnerKind::Married, false) => Rel::ExSpouse,
        (_, false) => Rel::ExDating,
    }
}

fn old_enough(pop: &Population, p: u32, t: Date, age: i32) -> bool {
    pop.age_on(p, t) >= age
}

/// Intimate partners (current and former) of `p` on `t`.
fn intimate_candidates(pop: &Population, p: u32, t: Date, out: &mut Vec<Candidate>) {
    for &pi in pop.partners_of.of(p) {
        let pt = &pop.partnerships[pi as usize];
        if pt.start > t {
            continue;
        }
        let o = pt.other(p);
        let current = pt.current(t);
        out.push(Candidate {
            victim: o,
            rel: partner_rel(pt.kind, current),
            child: pt.child_in_common,
        });
    }
}

/// Relatives and household members of `p` on `t` (not partners).
fn family_candidates(pop: &Population, p: u32, t: Date, out: &mut Vec<Candidate>) {
    let me = &pop.persons[p as usize];
    let push = |out: &mut Vec<Candidate>, v: u32, rel: Rel| {
        if v != NONE && v != p && old_enough(pop, v, t, 10) && pop.age_on(v, t) < 95 {
            out.push(Candidate {
                victim: v,
                rel,
                child: false,
            });
        }
    };
    for parent in [me.mother, me.father] {
        if parent == NONE {
            continue;
        }
        push(out, parent, Rel::Parent);
        let pp = &pop.persons[parent as usize];
        for gp in [pp.mother, pp.father] {
            push(out, gp, Rel::Grandparent);
        }
        for &c in pop.children_of.of(parent) {
            if c != p && !out.iter().any(|x| x.victim == c) {
                push(out, c, Rel::Sibling);
            }
        }
        // The parent's current partner who is not the other parent.
        for &pi in pop.partners_of.of(parent) {
            let pt = &pop.partnerships[pi as usize];
            let o = pt.other(parent);
            if pt.current(t) && o != me.mother && o != me.father {
                push(
                    out,
                    o,
                    if pt.kind == PartnerKind::Married {
                        Rel::StepParent
                    } else {
                        Rel::ParentsPartner
                    },
                );
            }
        }
    }
    for &c in pop.children_of.of(p) {
        push(out, c, Rel::Child);
        for &g in pop.children_of.of(c) {
            push(out, g, Rel::Grandchild);
        }
    }
    // In-laws and step-children through current partners.
    for &pi in pop.partners_of.of(p) {
        let pt = &pop.partnerships[pi as usize];
        if !pt.current(t) {
            continue;
        }
        let o = pt.other(p);
        let op = &pop.persons[o as usize];
        if pt.kind == PartnerKind::Married {
            push(out, op.mother, Rel::InLaw);
            push(out, op.father, Rel::InLaw);
        }
        for &c in pop.children_of.of(o) {
            let cp = &pop.persons[c as usize];
            if cp.mother != p && cp.father != p {
                push(
                    out,
                    c,
                    if pt.kind == PartnerKind::Married {
                        Rel::StepChild
                    } else {
                        Rel::PartnersChild
                    },
                );
            }
        }
    }
}

/// Offence tables: (weight, kind). Severity-linked kinds get their weight times `sev`.
const DOMESTIC_BASE: [(f64, OffenseKind); 5] = [
    (0.58, OffenseKind::SimpleAssault),
    (0.17, OffenseKind::Intimidation),
    (0.09, OffenseKind::Vandalism),
    (0.03, OffenseKind::Larceny),
    (0.02, OffenseKind::Burglary),
];
const DOMESTIC_SERIOUS: [(f64, OffenseKind); 5] = [
    (0.120, OffenseKind::AggravatedAssault),
    (0.060, OffenseKind::Strangulation),
    (0.014, OffenseKind::Rape),
    (0.012, OffenseKind::Kidnapping),
    (0.0012, OffenseKind::Murder),
];
const OTHER_BASE: [(f64, OffenseKind); 11] = [
    (0.16, OffenseKind::Larceny),
    (0.08, OffenseKind::Shoplifting),
    (0.16, OffenseKind::Drugs),
    (0.14, OffenseKind::SimpleAssault),
    (0.07, OffenseKind::Vandalism),
    (0.06, OffenseKind::Burglary),
    (0.06, OffenseKind::Weapons),
    (0.04, OffenseKind::VehicleTheft),
    (0.09, OffenseKind::Warrant),
    (0.03, OffenseKind::Fraud),
    (0.05, OffenseKind::Intimidation),
];
const OTHER_SERIOUS: [(f64, OffenseKind); 3] = [
    (0.04, OffenseKind::AggravatedAssault),
    (0.025, OffenseKind::Robbery),
    (0.0005, OffenseKind::Murder),
];

fn pick_offense(rng: &mut Rng, base: &[(f64, OffenseKind)], serious: &[(f64, OffenseKind)], sev: f64) -> OffenseKind {
    let total_base: f64 = base.iter().map(|x| x.0).sum();
    let total_serious: f64 = serious.iter().map(|x| x.0 * sev).sum();
    if rng.f64() * (total_base + total_serious) < total_serious {
        let t: Vec<(f64, OffenseKind)> = serious.iter().map(|&(w, k)| (w * sev, k)).collect();
        pick_weighted(rng, &t)
    } else {
        pick_weighted(rng, base)
    }
}

fn arrest_probability(k: OffenseKind, domestic: bool) -> f64 {
    use OffenseKind::*;
    let p: f64 = match k {
        Murder => 0.9,
        Rape => 0.45,
        AggravatedAssault | Strangulation => 0.6,
        Kidnapping => 0.6,
        Robbery => 0.35,
        SimpleAssault => 0.42,
        Intimidation => 0.25,
        OrderViolation => 0.55,
        Vandalism => 0.2,
        Larceny | Shoplifting => 0.3,
        Burglary => 0.2,
        VehicleTheft => 0.2,
        Drugs | Weapons => 0.85,
        Warrant => 0.95,
        Fraud => 0.15,
        Resisting => 0.95,
    };
    if domestic {
        (p * 1.1).min(0.95)
    } else {
        p
    }
}

struct Weapons;
impl Weapons {
    fn draw(rng: &mut Rng, k: OffenseKind) -> &'static str {
        use OffenseKind::*;
        match k {
            Strangulation => "40",
            AggravatedAssault | Robbery | Murder => pick_weighted(
                rng,
                &[
                    (0.10, "11"),
                    (0.12, "12"),
                    (0.25, "20"),
                    (0.18, "30"),
                    (0.05, "35"),
                    (0.25, "40"),
                    (0.05, "90"),
                ],
            ),
            SimpleAssault | Rape | Kidnapping => {
                if rng.chance(0.85) {
                    "40"
                } else {
                    "99"
                }
            }
            Weapons => pick_weighted(rng, &[(0.6, "12"), (0.2, "11"), (0.2, "20")]),
            _ => "",
        }
    }
}

fn injury(rng: &mut Rng, k: OffenseKind, sev: f64) -> &'static str {
    use OffenseKind::*;
    // Major injuries (B, I, L, O, T, U) grow with the offender's seriousness.
    let major = (0.04 * sev).clamp(0.01, 0.7);
    match k {
        Murder => "O",
        AggravatedAssault | Strangulation | Kidnapping | Robbery | Rape => {
            if rng.chance(major) {
                pick_weighted(
                    rng,
                    &[
                        (0.25, "B"),
                        (0.3, "L"),
                        (0.2, "O"),
                        (0.1, "I"),
                        (0.08, "T"),
                        (0.07, "U"),
                    ],
                )
            } else {
                pick_weighted(rng, &[(0.4, "N"), (0.6, "M")])
            }
        }
        SimpleAssault => pick_weighted(rng, &[(0.45, "N"), (0.55, "M")]),
        _ => "N",
    }
}

/// The D/C/B/A list of an offender from their recorded IPV history (see docs/synthetic-export.md).
#[derive(Clone, Debug, Default)]
struct IpvHistory {
    /// Dates of recorded IPV reports.
    reports: Vec<Date>,
    /// Dates of IPV arrests.
    arrests: Vec<Date>,
    /// Dates of IPV incidents with a weapon, strangulation, a felony or a major injury.
    grave: Vec<Date>,
    /// Dates of arrests for non-domestic violence or weapons.
    violent_other: Vec<Date>,
}

impl IpvHistory {
    fn list_on(&self, t: Date, lookback: i32, notified_before: bool, reoffended: bool) -> Option<char> {
        let from = t.add_days(-lookback);
        let within = |v: &Vec<Date>| v.iter().filter(|&&d| d >= from && d <= t).count();
        let reports = within(&self.reports);
        if reports == 0 {
            return None;
        }
        let arrests = within(&self.arrests);
        let grave = within(&self.grave);
        let violent = within(&self.violent_other);
        Some(if arrests >= 3 || (arrests >= 1 && (grave >= 1 || violent >= 2)) {
            'A'
        } else if arrests == 2 || (notified_before && reoffended) {
            'B'
        } else if arrests == 1 {
            'C'
        } else {
            'D'
        })
    }
}

fn rank(list: char) -> u8 {
    match list {
        'A' => 4,
        'B' => 3,
        'C' => 2,
        _ => 1,
    }
}

/// Simulate one offender's career.
pub fn simulate(cfg: &SynthConfig, pop: &Population, frame: &Frame, p: u32) -> Career {
    let oc = &cfg.offending;
    let me = &pop.persons[p as usize];
    let risk = me.risk as f64;
    let mut rng = Rng::new(cfg.seed, stream::CAREER + p as u64);
    // Personal propensities.
    let domestic_prop = libm::exp(0.6 * rng.normal()) * if me.sex == Sex::Male { 1.0 } else { 0.8 };
    let versatility = if rng.chance(oc.domestic_only_share) {
        0.0
    } else {
        libm::exp(0.8 * rng.normal())
    };
    let sev = libm::pow(risk / oc.severity_reference, oc.severity_exponent).clamp(0.15, 8.0);

    let sim_start = frame.sim_start;
    let end = frame.followup_end;
    let mut career = Career::default();
    let mut t = 0.0f64; // days since sim_start
    let horizon = end.days_since(sim_start) as f64;
    let tau = oc.excite_days;
    let mut n_dom = 0u32;
    let mut n_all = 0u32;
    let mut last_dom = f64::NEG_INFINITY;
    let mut last_any = f64::NEG_INFINITY;
    let mut last_victim: Option<(u32, Rel, bool)> = None;
    let mut orders: Vec<(u32, Date, Date)> = Vec::new();
    let mut cands: Vec<Candidate> = Vec::new();
    let mut fam: Vec<Candidate> = Vec::new();

    // Intervention state.
    let iv = cfg.intervention.as_ref();
    let iv_start = iv.map(|i| i.start.days_since(sim_start) as f64);
    let mut iv_evaluated = false;
    let mut notified_at: Option<f64> = None;
    let mut pending_notice: Option<(f64, char)> = None;
    // The qualifying event of the pending notice, and the latest recorded IPV event.
    let mut pending_qualifying: Option<(Date, u32)> = None;
    let mut last_report: Option<(Date, u32)> = None;
    let mut current_list: Option<char> = None;
    let mut history = IpvHistory::default();
    let mut reoffended_after_notice = false;

    let effect = iv.map(|i| i.effect).unwrap_or(1.0);
    let dom_rate = oc.domestic_rate / 365.25 * risk * domestic_prop;
    let oth_rate = oc.other_rate / 365.25 * risk * versatility;
    let cap = oc.prior_cap as f64;
    let excite = oc.excite / 365.25;
    let excite_other = if versatility > 0.0 {
        oc.excite * 0.5 / 365.25
    } else {
        0.0
    };

    let lam = |t: f64, age_f: f64, n_dom: u32, n_all: u32, last_dom: f64, last_any: f64, notif: f64| -> (f64, f64) {
        let ld = (dom_rate * age_f * (1.0 + oc.prior_boost * (n_dom as f64).min(cap))
            + excite * libm::exp(-(t - last_dom) / tau))
            * notif;
        let lo = oth_rate * age_f * (1.0 + oc.prior_boost * (n_all as f64).min(cap))
            + excite_other * libm::exp(-(t - last_any) / tau);
        (ld, lo)
    };

    let mut seq = 0u32;
    while t < horizon {
        let notif_now = if notified_at.is_some_and(|n| n <= t) {
            effect
        } else {
            1.0
        };
        let (bd, bo) = lam(t, 1.0, n_dom, n_all, last_dom, last_any, notif_now.max(1.0));
        let bound = bd + bo;
        if bound <= 0.0 {
            break;
        }
        let proposal = t + rng.exponential(bound);
        // Change points: restart the proposal there (the exponential is memoryless).
        let mut change: Option<f64> = None;
        if let (Some(s), false) = (iv_start, iv_evaluated) {
            if proposal >= s {
                change = Some(s);
            }
        }
        if let Some((d, _)) = pending_notice {
            if proposal >= d && change.is_none_or(|c| d < c) {
                change = Some(d);
            }
        }
        if let Some(c) = change {
            t = c.max(t);
            if iv_start == Some(c) && !iv_evaluated {
                iv_evaluated = true;
                if let Some(i) = iv {
                    let day = sim_start.add_days(c as i32);
                    if let Some(list) = history.list_on(day, i.lookback_days, false, false) {
                        let delay = rng.range(0, i.initial_days.max(0)) as f64;
                        pending_notice = Some((c + delay, list));
                        pending_qualifying = last_report;
                    }
                }
            } else if let Some((d, list)) = pending_notice {
                if d == c {
                    pending_notice = None;
                    let date = sim_start.add_days(d as i32);
                    if current_list.is_none_or(|cl| rank(list) > rank(cl)) || notified_at.is_none() {
                        career.notifications.push(NotificationEvent {
                            person: p,
                            date,
                            list,
                            qualifying: pending_qualifying,
                        });
                        current_list = Some(list);
                    }
                    if notified_at.is_none() {
                        notified_at = Some(d);
                    }
                }
            }
            continue;
        }
        t = proposal;
        if t >= horizon {
            break;
        }
        let date = sim_start.add_days(t as i32);
        let age = pop.age_on(p, date) as f64;
        let notif = if notified_at.is_some_and(|n| n <= t) {
            effect
        } else {
            1.0
        };
        let (ld, lo) = lam(t, age_factor(age), n_dom, n_all, last_dom, last_any, notif);
        let u = rng.f64() * bound;
        if u >= ld + lo {
            continue; // thinned away
        }
        let mut domestic = u < ld;

        // Whom.
        let mut victim = NONE;
        let mut rel = Rel::NoVictim;
        let mut child = false;
        if domestic {
            cands.clear();
            fam.clear();
            intimate_candidates(pop, p, date, &mut cands);
            family_candidates(pop, p, date, &mut fam);
            let reuse = last_victim
                .filter(|(v, _, _)| cands.iter().any(|c| c.victim == *v) || fam.iter().any(|c| c.victim == *v));
            if let (Some((v, _, _)), true) = (reuse, rng.chance(oc.same_victim)) {
                let c = cands.iter().chain(fam.iter()).find(|c| c.victim == v).copied();
                if let Some(c) = c {
                    victim = c.victim;
                    rel = c.rel;
                    child = c.child;
                }
            }
            if victim == NONE {
                let want_ipv = rng.chance(oc.ipv_preference);
                let pool = if (want_ipv && !cands.is_empty()) || fam.is_empty() {
                    &cands
                } else {
                    &fam
                };
                if !pool.is_empty() {
                    // Current partners are more often the victims than former ones.
                    let w: Vec<(f64, usize)> = pool
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            (
                                if matches!(c.rel, Rel::ExSpouse | Rel::ExDating) {
                                    0.5
                                } else {
                                    1.0
                                },
                                i,
                            )
                        })
                        .collect();
                    let c = pool[pick_weighted(&mut rng, &w)];
                    victim = c.victim;
                    rel = c.rel;
                    child = c.child;
                }
            }
            if victim == NONE {
                domestic = false;
            }
        }

        let phase = if date < frame.export_start {
            Phase::BurnIn
        } else if date < frame.export_end {
            Phase::Export
        } else {
            Phase::Followup
        };
        let order_in_force = domestic
            && orders
                .iter()
                .any(|&(v, from, to)| v == victim && from <= date && date <= to);
        let mut offenses: Vec<OffenseKind> = Vec::new();
        let outcome;
        if domestic {
            let r = rng.f64();
            outcome = if order_in_force {
                if r < oc.call_only * 0.5 {
                    Outcome::CallOnly
                } else {
                    Outcome::Crime
                }
            } else if r < oc.call_only {
                Outcome::CallOnly
            } else if rng.chance(oc.domestic_crime) {
                Outcome::Crime
            } else {
                Outcome::ReportNoCrime
            };
            if outcome == Outcome::Crime {
                if order_in_force {
                    if rng.chance(0.5) {
                        offenses.push(pick_offense(&mut rng, &DOMESTIC_BASE, &DOMESTIC_SERIOUS, sev));
                    }
                    offenses.push(OffenseKind::OrderViolation);
                } else {
                    offenses.push(pick_offense(&mut rng, &DOMESTIC_BASE, &DOMESTIC_SERIOUS, sev));
                    if offenses[0].is_assault() && rng.chance(0.12) {
                        offenses.push(OffenseKind::Vandalism);
                    }
                    if offenses[0].is_assault() && rng.chance(0.06) {
                        offenses.push(OffenseKind::Intimidation);
                    }
                }
            }
        } else {
            outcome = Outcome::Crime;
            let k = pick_offense(&mut rng, &OTHER_BASE, &OTHER_SERIOUS, sev);
            offenses.push(k);
            if k == OffenseKind::Drugs && rng.chance(0.15) {
                offenses.push(OffenseKind::Weapons);
            }
            if rng.chance(0.04) {
                offenses.push(OffenseKind::Resisting);
            }
            if k.person_crime() || (k.property_crime() && rng.chance(0.5)) {
                // Someone outside the family.
                let exs_new: Option<u32> = if k.person_crime() && rng.chance(0.1) {
                    exs_new_partner(pop, p, date)
                } else {
                    None
                };
                if let Some(v) = exs_new {
                    victim = v;
                    rel = Rel::ExsNewPartner;
                } else {
                    let n = pop.persons.len();
                    for _ in 0..8 {
                        let v = rng.below(n) as u32;
                        if v != p && old_enough(pop, v, date, 12) && pop.persons[v as usize].household != me.household {
                            victim = v;
                            break;
                        }
                    }
                    rel = if victim == NONE {
                        Rel::NoVictim
                    } else {
                        pick_weighted(
                            &mut rng,
                            &[
                                (0.40, Rel::Stranger),
                                (0.35, Rel::Acquaintance),
                                (0.12, Rel::Friend),
                                (0.10, Rel::Neighbor),
                                (0.03, Rel::Roommate),
                            ],
                        )
                    };
                }
            }
        }
        offenses.sort_by_key(|k| k.rank());
        let top = offenses.first().copied();
        let weapon = top.map(|k| Weapons::draw(&mut rng, k)).unwrap_or("");
        let strangulation = top == Some(OffenseKind::Strangulation);
        let injury = match top {
            Some(k) if victim != NONE && k.person_crime() => injury(&mut rng, k, sev),
            _ => "",
        };
        let attempted = top.is_some_and(|k| k.person_crime() && rng.chance(0.04));
        let arrested = outcome == Outcome::Crime && top.is_some_and(|k| rng.chance(arrest_probability(k, domestic)));
        let ipv = domestic && rel.class() == RelClass::IntimatePartner;
        let new_order = if ipv && outcome == Outcome::Crime && !order_in_force && rng.chance(oc.order_share) {
            let from = date.add_days(rng.range(1, 14));
            Some((from, from.add_days(365)))
        } else {
            None
        };
        if let Some((from, to)) = new_order {
            orders.push((victim, from, to));
        }

        // The intervention's view of the history (recorded IPV only).
        if ipv && outcome != Outcome::CallOnly {
            history.reports.push(date);
            last_report = Some((date, seq));
            if arrested {
                history.arrests.push(date);
            }
            let grave = offenses.iter().any(|k| k.felony()) || matches!(weapon, "11" | "12" | "20") || strangulation;
            if grave {
                history.grave.push(date);
            }
            if let Some(i) = iv {
                if date >= i.start {
                    if notified_at.is_some() {
                        reoffended_after_notice = true;
                    }
                    if let Some(list) =
                        history.list_on(date, i.lookback_days, notified_at.is_some(), reoffended_after_notice)
                    {
                        let escalates = current_list.is_none_or(|cl| rank(list) > rank(cl));
                        if escalates && pending_notice.is_none() {
                            let d = t + rng.range(i.delay_days_min, i.delay_days_max.max(i.delay_days_min)) as f64;
                            pending_notice = Some((d, list));
                            pending_qualifying = Some((date, seq));
                        }
                    }
                }
            }
        }
        if !domestic && arrested && top.is_some_and(|k| k.person_crime() || k == OffenseKind::Weapons) {
            history.violent_other.push(date);
        }

        let hour = if domestic {
            pick_weighted(&mut rng, &[(0.2, 0u8), (0.1, 1), (0.15, 2), (0.25, 3), (0.3, 4)]) * 4 + rng.range(0, 3) as u8
        } else {
            rng.range(0, 23) as u8
        };
        let hour = (hour + 10) % 24;
        career.events.push(Event {
            date,
            hour,
            offender: p,
            seq,
            victim,
            rel,
            child_in_common: child,
            outcome,
            offenses,
            weapon,
            injury,
            strangulation,
            attempted,
            arrested,
            order_in_force,
            new_order,
            phase,
        });
        seq += 1;
        if domestic {
            n_dom += 1;
            last_dom = t;
            last_victim = Some((victim, rel, child));
        }
        n_all += 1;
        last_any = t;
    }
    career
}

/// The current partner of one of `p`'s former partners (not `p`), on `t`.
fn exs_new_partner(pop: &Population, p: u32, t: Date) -> Option<u32> {
    for &pi in pop.partners_of.of(p) {
        let pt = &pop.partnerships[pi as usize];
        if !pt.former(t) {
            continue;
        }
        let ex = pt.other(p);
        for &qi in pop.partners_of.of(ex) {
            let qt = &pop.partnerships[qi as usize];
            let o = qt.other(ex);
            if o != p && qt.current(t) {
                return Some(o);
            }
        }
    }
    None
}
