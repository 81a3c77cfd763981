//! Calibration: each "shape of real data" target from DOMAIN.md measured on the generated
//! records (never read back from the settings), with its range and whether it holds.
//!
//! Measures use the recorded reports (not calls without a report) and the truth only for who is
//! who (person ids) and the true relationship class, as an analyst with perfect linkage and
//! classification would.

use super::{Jurisdiction, OffenseKind};
use crate::model::RelClass;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One calibration target and the generated value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Short key (`single_incident_2y`, ...).
    pub key: String,
    /// What is measured, and the published figure.
    pub target: String,
    /// Accepted range [low, high] (the published range, widened only where DOMAIN.md gives a
    /// point value).
    pub range: [f64; 2],
    pub value: f64,
    /// How many units (offenders, incidents, pairs) the value is computed over.
    pub n: u64,
    pub ok: bool,
}

/// The calibration table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub seed: u64,
    pub population: u32,
    pub years: u32,
    pub targets: Vec<Target>,
}

impl Calibration {
    /// Whether every target is within its range.
    pub fn all_ok(&self) -> bool {
        self.targets.iter().all(|t| t.ok)
    }

    /// The table as text, one target per line.
    pub fn table(&self) -> String {
        let mut s = format!("{:<26} {:>8} {:>15} {:>8}  {}\n", "target", "value", "range", "n", "ok");
        for t in &self.targets {
            s.push_str(&format!(
                "{:<26} {:>7.1}% {:>6.1}%–{:>5.1}% {:>8}  {}   {}\n",
                t.key,
                t.value * 100.0,
                t.range[0] * 100.0,
                t.range[1] * 100.0,
                t.n,
                if t.ok { "ok" } else { "OUT" },
                t.target
            ));
        }
        s
    }
}

/// Harm weights in days of custody, by offence kind, without and with a major injury to the
/// victim (broken bones, laceration, internal, teeth, unconsciousness, other major): a Cambridge
/// Crime Harm Index-style starting point used for the concentration-of-harm target. A design
/// choice, not a sentencing table; the scoring step has its own editable table.
pub const HARM_DAYS: [(OffenseKind, f64, f64); 19] = [
    (OffenseKind::Murder, 5475.0, 5475.0),
    (OffenseKind::Rape, 1825.0, 1825.0),
    (OffenseKind::Kidnapping, 365.0, 730.0),
    (OffenseKind::Strangulation, 90.0, 730.0),
    (OffenseKind::AggravatedAssault, 30.0, 730.0),
    (OffenseKind::Robbery, 180.0, 730.0),
    (OffenseKind::Burglary, 90.0, 90.0),
    (OffenseKind::Weapons, 30.0, 30.0),
    (OffenseKind::VehicleTheft, 20.0, 20.0),
    (OffenseKind::OrderViolation, 7.0, 7.0),
    (OffenseKind::Fraud, 5.0, 5.0),
    (OffenseKind::SimpleAssault, 2.0, 2.0),
    (OffenseKind::Intimidation, 2.0, 2.0),
    (OffenseKind::Vandalism, 1.0, 1.0),
    (OffenseKind::Larceny, 1.0, 1.0),
    (OffenseKind::Shoplifting, 1.0, 1.0),
    (OffenseKind::Drugs, 1.0, 1.0),
    (OffenseKind::Resisting, 1.0, 1.0),
    (OffenseKind::Warrant, 0.0, 0.0),
];

/// Whether a NIBRS injury code is a major injury.
pub fn major_injury(code: &str) -> bool {
    matches!(code, "B" | "I" | "L" | "O" | "T" | "U")
}

/// The harm weight of an offence kind, given whether the victim had a major injury.
pub fn harm(k: OffenseKind, major: bool) -> f64 {
    HARM_DAYS
        .iter()
        .find(|(x, _, _)| *x == k)
        .map(|x| if major { x.2 } else { x.1 })
        .unwrap_or(0.0)
}

fn target(key: &str, text: &str, range: [f64; 2], num: u64, den: u64) -> Target {
    let value = if den == 0 { 0.0 } else { num as f64 / den as f64 };
    Target {
        key: key.into(),
        target: text.into(),
        range,
        value,
        n: den,
        ok: den > 0 && value >= range[0] && value <= range[1],
    }
}

/// Measure the calibration targets on a generated jurisdiction.
pub fn calibrate(j: &Jurisdiction) -> Calibration {
    let n_inc = j.incidents.len();
    // Per incident: domestic class (IPV wins over other family), offender persons in domestic
    // pairs, and whether it holds an offence.
    let mut class: Vec<Option<RelClass>> = vec![None; n_inc];
    let mut has_offense = vec![false; n_inc];
    let mut harm_of = vec![0.0f64; n_inc];
    let mut major = vec![false; n_inc];
    for r in &j.persons {
        if r.role == "victim" && major_injury(r.injury) {
            major[r.incident as usize] = true;
        }
    }
    for o in &j.offenses {
        has_offense[o.incident as usize] = true;
        harm_of[o.incident as usize] += harm(o.kind, major[o.incident as usize]);
    }
    // (offender person, incident, victim person) for domestic pairs; (offender, incident) for all.
    let mut dom: Vec<(u32, u32, u32)> = Vec::new();
    let mut ipv_offenders: Vec<u32> = Vec::new();
    let mut dom_pairs = 0u64;
    let mut dom_pairs_missing = 0u64;
    for p in &j.pairs {
        if !p.class.is_domestic() {
            continue;
        }
        dom_pairs += 1;
        if p.code.is_empty() || p.code == "RU" {
            dom_pairs_missing += 1;
        }
        let c = &mut class[p.incident as usize];
        if p.class == RelClass::IntimatePartner || c.is_none() {
            *c = Some(p.class);
        }
        let off = j.persons[p.offender_record as usize].person;
        let vic = j.persons[p.victim_record as usize].person;
        dom.push((off, p.incident, vic));
        if p.class == RelClass::IntimatePartner {
            ipv_offenders.push(off);
        }
    }
    dom.sort_unstable();
    dom.dedup_by_key(|x| (x.0, x.1));
    ipv_offenders.sort_unstable();
    ipv_offenders.dedup();

    // Non-domestic incidents per offender person.
    let mut nondom_offenders: Vec<u32> = Vec::new();
    for r in &j.persons {
        if matches!(r.role, "offender" | "arrestee" | "suspect") && class[r.incident as usize].is_none() {
            nondom_offenders.push(r.person);
        }
    }
    nondom_offenders.sort_unstable();
    nondom_offenders.dedup();

    let date = |inc: u32| j.incidents[inc as usize].occurred_date;
    let start = j.export_start;
    let two_years = super::add_years(start, 2);
    let one_year = super::add_years(start, 1);

    // Group domestic incidents by offender, in date order.
    let mut by_off: BTreeMap<u32, Vec<(crate::date::Date, u32, u32)>> = BTreeMap::new();
    for &(o, inc, v) in &dom {
        by_off.entry(o).or_default().push((date(inc), inc, v));
    }
    for v in by_off.values_mut() {
        v.sort_unstable();
    }

    // 1. Single incident over two years.
    let (mut single, mut perps2) = (0u64, 0u64);
    for v in by_off.values() {
        let c = v.iter().filter(|x| x.0 >= start && x.0 < two_years).count();
        if c > 0 {
            perps2 += 1;
            if c == 1 {
                single += 1;
            }
        }
    }
    // 2. Harm concentration among domestic offenders.
    let mut harms: Vec<f64> = by_off
        .values()
        .map(|v| v.iter().map(|x| harm_of[x.1 as usize]).sum::<f64>())
        .collect();
    harms.sort_unstable_by(|a, b| b.total_cmp(a));
    let total: f64 = harms.iter().sum();
    let mut acc = 0.0;
    let mut k80 = 0u64;
    for h in &harms {
        if acc >= 0.8 * total {
            break;
        }
        acc += h;
        k80 += 1;
    }
    // 3. Versatility of IPV offenders.
    let versatile = ipv_offenders
        .iter()
        .filter(|o| nondom_offenders.binary_search(o).is_ok())
        .count() as u64;
    // 4. Repeaters with several victims.
    let (mut multi, mut repeaters) = (0u64, 0u64);
    for v in by_off.values() {
        if v.len() >= 2 {
            repeaters += 1;
            let mut vs: Vec<u32> = v.iter().map(|x| x.2).collect();
            vs.sort_unstable();
            vs.dedup();
            if vs.len() >= 2 {
                multi += 1;
            }
        }
    }
    // 5. One-year repeat after a first-year index incident.
    let (mut index_n, mut rep1y) = (0u64, 0u64);
    for v in by_off.values() {
        let Some(first) = v.first() else { continue };
        if first.0 >= one_year {
            continue;
        }
        index_n += 1;
        if v.get(1).is_some_and(|next| next.0.days_since(first.0) <= 365) {
            rep1y += 1;
        }
    }
    // 6. How early repeats come: offenders whose first domestic incident leaves two years of
    // records after it and who repeat within those two years; the share whose first repeat
    // came within six months.
    let last_index = super::add_years(j.export_end, -2);
    let (mut rep2y, mut rep6m) = (0u64, 0u64);
    for v in by_off.values() {
        let (Some(first), Some(next)) = (v.first(), v.get(1)) else {
            continue;
        };
        if first.0 >= last_index {
            continue;
        }
        let gap = next.0.days_since(first.0);
        if gap <= 730 {
            rep2y += 1;
            if gap <= 182 {
                rep6m += 1;
            }
        }
    }
    // 7 and 8. Domestic incidents: IPV share and crime share.
    let dom_inc = class.iter().filter(|c| c.is_some()).count() as u64;
    let ipv_inc = class.iter().filter(|c| **c == Some(RelClass::IntimatePartner)).count() as u64;
    let crime_inc = class
        .iter()
        .zip(&has_offense)
        .filter(|(c, h)| c.is_some() && **h)
        .count() as u64;

    let targets = vec![
        target(
            "single_incident_2y",
            "domestic perpetrators with a single recorded incident over two years: 75–78%",
            [0.72, 0.82],
            single,
            perps2,
        ),
        target(
            "harm_80_share",
            "share of domestic perpetrators accounting for 80% of harm: 2–5%",
            [0.02, 0.05],
            k80,
            harms.len() as u64,
        ),
        target(
            "ipv_versatile",
            "IPV perpetrators who also have non-domestic records: 40–85%",
            [0.40, 0.85],
            versatile,
            ipv_offenders.len() as u64,
        ),
        target(
            "repeaters_multi_victim",
            "repeat perpetrators with several victims: 25–43%",
            [0.25, 0.43],
            multi,
            repeaters,
        ),
        target(
            "repeat_1y",
            "perpetrators with a repeat within one year of a first incident: 10–30%",
            [0.10, 0.30],
            rep1y,
            index_n,
        ),
        target(
            "repeat_within_6m",
            "first repeats (within two years) that come within 6 months: 55–65%",
            [0.55, 0.65],
            rep6m,
            rep2y,
        ),
        target(
            "ipv_share_domestic",
            "intimate-partner share of domestic incidents: about 70%",
            [0.65, 0.75],
            ipv_inc,
            dom_inc,
        ),
        target(
            "crime_share_domestic",
            "recorded domestic incidents that are crimes: about 60%",
            [0.55, 0.65],
            crime_inc,
            dom_inc,
        ),
        target(
            "relationship_unknown",
            "domestic pairs with a missing or unknown (RU) relationship code: 10–40%",
            [0.10, 0.40],
            dom_pairs_missing,
            dom_pairs,
        ),
    ];
    Calibration {
        seed: j.config.seed,
        population: j.config.population,
        years: j.config.years,
        targets,
    }
}
