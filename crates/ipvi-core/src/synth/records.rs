//! What the agency's records hold: incidents, offences, person records typed by clerks (with
//! misspellings, nicknames, married and hyphenated names, swapped or missing dates of birth,
//! aliases, old addresses...), victim–offender pairs, arrests and charges, protective orders,
//! calls for service and notifications. Each incident draws from its own seeded stream.

use super::careers::{Outcome, Phase, Rel};
use super::narrative::{self, Story};
use super::population::{first_name_text, surname_text, Population, Sex, CITIES, NONE, NO_NAME, RACES, STREET_SUFFIX};
use super::rng::{pick_weighted, stream, Rng};
use super::{
    FollowupOffense, Jurisdiction, NoiseConfig, SynArrest, SynCall, SynIncident, SynOffense, SynOrder, SynPair,
    SynPerson,
};
use crate::date::Date;
use crate::model::RelClass;
use crate::names;

/// A statute text for an offence: domestic wordings only on domestic incidents, "assault on a
/// female" only for a man's assault on a woman.
fn statute(k: super::OffenseKind, domestic: bool, female_victim: bool, rng: &mut Rng) -> &'static str {
    let fits = |s: &&&'static str| {
        let s: &str = s;
        (domestic || !(s.contains("DOMESTIC") || s.contains("DV ") || s.contains("50B")))
            && (female_victim || !s.contains("FEMALE"))
    };
    let all = k.statutes();
    let n = all.iter().filter(fits).count();
    if n == 0 {
        return all[0];
    }
    let i = rng.below(n);
    all.iter().filter(fits).nth(i).copied().unwrap_or(all[0])
}

const KEYBOARD: [&str; 26] = [
    "QWSZ", "VGHN", "XDFV", "SERFCX", "WSDR", "DRTGVC", "FTYHBV", "GYUJNB", "UJKO", "HUIKMN", "JIOLM", "KOP", "NJK",
    "BHJM", "IKLP", "OL", "WA", "EDFT", "AWEDXZ", "RFGY", "YHJI", "CFGB", "QASE", "ZSDC", "TGHU", "ASX",
];

/// Put one typo into an upper-case name.
pub fn typo(s: &str, rng: &mut Rng) -> String {
    let mut b: Vec<u8> = s.bytes().collect();
    if b.len() < 3 {
        return s.to_string();
    }
    let i = 1 + rng.below(b.len() - 1);
    match rng.below(6) {
        0 => {
            // Keyboard neighbour.
            let c = b[i];
            if c.is_ascii_uppercase() {
                let n = KEYBOARD[(c - b'A') as usize].as_bytes();
                b[i] = n[rng.below(n.len())];
            }
        }
        1 => {
            if i + 1 < b.len() {
                b.swap(i, i + 1);
            } else {
                b.swap(i - 1, i);
            }
        }
        2 => {
            b.remove(i);
        }
        3 => {
            let c = b[i];
            b.insert(i, c);
        }
        4 => {
            // Phonetic spellings.
            let t = String::from_utf8_lossy(&b).to_string();
            let swaps = [
                ("PH", "F"),
                ("CK", "K"),
                ("IE", "EI"),
                ("Y", "I"),
                ("EE", "EA"),
                ("LL", "L"),
                ("SON", "SEN"),
            ];
            for (a, z) in swaps {
                if t.contains(a) {
                    return t.replacen(a, z, 1);
                }
            }
            b.remove(i);
        }
        _ => {
            // A vowel for a vowel.
            const V: &[u8] = b"AEIOU";
            if V.contains(&b[i]) {
                b[i] = V[rng.below(5)];
            } else if i + 1 < b.len() {
                b.swap(i, i + 1);
            }
        }
    }
    String::from_utf8_lossy(&b).to_string()
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for ch in s.chars() {
        if start {
            out.extend(ch.to_uppercase());
        } else {
            out.extend(ch.to_lowercase());
        }
        start = !ch.is_alphabetic() && ch != '\'';
    }
    out
}

fn fmt_mdy(d: Date) -> String {
    let (y, m, dd) = d.ymd();
    format!("{m:02}/{dd:02}/{y:04}")
}

/// An address as text: (street line, city, zip).
fn address_text(pop: &Population, addr: u32, noise: &NoiseConfig, rng: &mut Rng) -> (String, String, String) {
    let a = pop.addresses[addr as usize];
    let (street, suf) = pop.street(a.street);
    let full = rng.chance(noise.address_format * 0.5);
    let suffix = if full {
        STREET_SUFFIX[suf].0
    } else {
        STREET_SUFFIX[suf].1
    };
    let mut line = format!("{} {} {}", a.number, street, suffix);
    if a.unit != 0 {
        let f = if rng.chance(noise.address_format) {
            pick_weighted(rng, &[(0.5, "#"), (0.5, "UNIT ")])
        } else {
            "APT "
        };
        line.push(' ');
        line.push_str(f);
        line.push_str(&a.unit.to_string());
    }
    let (city, zip, _) = CITIES[a.city as usize];
    (line, city.to_string(), (zip + (a.street as u32 % 7)).to_string())
}

/// One person record as a clerk typed it.
fn person_record(
    pop: &Population,
    p: u32,
    date: Date,
    role: &'static str,
    noise: &NoiseConfig,
    rng: &mut Rng,
) -> SynPerson {
    let pp = &pop.persons[p as usize];
    let mut first = first_name_text(pp.sex, pp.first).to_string();
    if pp.nick > 0 && rng.chance(noise.nickname_used) {
        if let Some(n) = names::nicknames().nicknames_of(&first).get(pp.nick as usize - 1) {
            first = n.to_string();
        }
    }
    if pp.alias_first != NO_NAME && rng.chance(noise.alias_used) {
        first = first_name_text(pp.sex, pp.alias_first).to_string();
    }
    let (cur, maiden) = pop.surname_on(p);
    let mut last = surname_text(cur).to_string();
    if let Some(m) = maiden {
        if pp.hyphenated && rng.chance(0.7) {
            last = format!("{}-{}", surname_text(m), surname_text(cur));
        } else if rng.chance(noise.maiden_name_used) {
            last = surname_text(m).to_string();
        }
    }
    if rng.chance(noise.name_typo) {
        if rng.chance(0.5) {
            first = typo(&first, rng);
        } else {
            last = typo(&last, rng);
        }
    }
    let mut middle = if pp.middle == NO_NAME || rng.chance(noise.middle_missing) {
        String::new()
    } else {
        let m = first_name_text(pp.sex, pp.middle);
        if rng.chance(noise.middle_initial) {
            m.chars().take(1).collect()
        } else {
            m.to_string()
        }
    };
    let mut suffix = match pp.suffix {
        1 => "JR".to_string(),
        2 => "SR".to_string(),
        _ => String::new(),
    };
    if !suffix.is_empty() {
        if rng.chance(noise.suffix_dropped) {
            suffix.clear();
        } else if rng.chance(0.15) {
            last = format!("{last} {suffix}");
            suffix.clear();
        }
    }
    if rng.chance(noise.name_swapped) {
        std::mem::swap(&mut first, &mut last);
    }
    if rng.chance(noise.case_variant) {
        first = title_case(&first);
        last = title_case(&last);
        middle = title_case(&middle);
        suffix = title_case(&suffix);
    }
    // Date of birth and age.
    let true_age = pop.age_on(p, date);
    let (dob, age) = if rng.chance(noise.dob_missing) {
        let est = (true_age + rng.range(-3, 3)).max(1);
        (String::new(), Some(est as u16))
    } else {
        let (y, m, d) = pp.dob.ymd();
        let (mut y, mut m, mut d) = (y, m, d);
        if d <= 12 && m != d && rng.chance(noise.dob_swapped) {
            std::mem::swap(&mut m, &mut d);
        }
        if rng.chance(noise.dob_digit) {
            match rng.below(3) {
                0 => y += if rng.chance(0.5) { 1 } else { -1 },
                1 => {
                    d = if d >= 28 {
                        d - 1 - rng.below(8) as u32
                    } else {
                        d + 1 + rng.below(3) as u32
                    }
                }
                _ => {
                    // A neighbouring digit in the year's last place.
                    let last = y.rem_euclid(10);
                    y = y - last + (last + 9 + 2 * rng.below(2) as i32).rem_euclid(10);
                }
            }
        }
        let text = match Date::from_ymd(y, m, d) {
            Some(x) => fmt_mdy(x),
            None => fmt_mdy(pp.dob),
        };
        let age = if rng.chance(noise.age_missing) {
            None
        } else {
            Some(true_age.max(0) as u16)
        };
        (text, age)
    };
    let sex = if rng.chance(noise.sex_missing) {
        if rng.chance(0.5) {
            "U"
        } else {
            ""
        }
    } else {
        pp.sex.code()
    };
    let race = if rng.chance(noise.race_missing) {
        if rng.chance(0.5) {
            "U"
        } else {
            ""
        }
    } else if rng.chance(noise.race_inconsistent) {
        RACES[rng.below(RACES.len())].0
    } else {
        RACES[pp.race as usize].0
    };
    let (address, city, zip) = if rng.chance(noise.address_missing) {
        if rng.chance(0.5) {
            ("TRANSIENT".to_string(), String::new(), String::new())
        } else {
            (String::new(), String::new(), String::new())
        }
    } else {
        let addr = match pop.previous_address(p, date) {
            Some(prev) if rng.chance(noise.old_address) => prev,
            _ => pop.address_at(p, date),
        };
        address_text(pop, addr, noise, rng)
    };
    let phone = if rng.chance(noise.phone_missing) || true_age < 14 {
        String::new()
    } else {
        let area = pp.area;
        let n = pp.phone;
        match rng.below(3) {
            0 => format!("({area}) 555-{n:04}"),
            1 => format!("{area}-555-{n:04}"),
            _ => format!("{area}555{n:04}"),
        }
    };
    SynPerson {
        record_id: String::new(),
        incident: 0,
        role,
        last,
        first,
        middle,
        suffix,
        dob,
        age,
        sex,
        race,
        address,
        city,
        zip,
        phone,
        injury: "",
        person: p,
    }
}

const DOMESTIC_CALL_TYPES: [(f64, &str); 5] = [
    (0.45, "DOMESTIC"),
    (0.2, "DOMESTIC DISTURBANCE"),
    (0.15, "DISTURBANCE"),
    (0.1, "FAMILY DISTURBANCE"),
    (0.1, "ASSAULT"),
];
const NO_REPORT: [(f64, &str); 5] = [
    (0.45, "NO REPORT"),
    (0.2, "ADVISED"),
    (0.15, "GOA"),
    (0.1, "UNFOUNDED"),
    (0.1, "SETTLED"),
];
const BACKGROUND_CALLS: [(f64, &str); 6] = [
    (0.3, "DISTURBANCE"),
    (0.2, "NOISE COMPLAINT"),
    (0.2, "SUSPICIOUS PERSON"),
    (0.1, "CHECK WELFARE"),
    (0.1, "DOMESTIC"),
    (0.1, "ALARM"),
];

fn other_call_type(k: super::OffenseKind) -> &'static str {
    use super::OffenseKind::*;
    match k {
        Murder | AggravatedAssault | Strangulation | SimpleAssault | Rape | Kidnapping => "ASSAULT",
        Robbery => "ROBBERY",
        Intimidation | OrderViolation => "THREATS",
        Burglary => "BURGLARY",
        Larceny | Shoplifting | VehicleTheft | Fraud => "LARCENY",
        Vandalism => "DAMAGE TO PROPERTY",
        Weapons => "SHOTS FIRED",
        _ => "SUSPICIOUS PERSON",
    }
}

fn two_digit_year(d: Date) -> i32 {
    d.year().rem_euclid(100)
}

/// Turn the simulated events into the agency's records (and the follow-up truth).
pub fn write_records(j: &mut Jurisdiction, pop: &Population, progress: &mut dyn FnMut(f32) -> bool) -> Option<()> {
    let cfg = j.config.clone();
    let noise = &cfg.noise;
    let mut seq_by_agency_year: Vec<(u8, i32, u32)> = Vec::new();
    let mut next_seq = |agency: u8, year: i32| -> u32 {
        match seq_by_agency_year.iter_mut().find(|x| x.0 == agency && x.1 == year) {
            Some(x) => {
                x.2 += 1;
                x.2
            }
            None => {
                seq_by_agency_year.push((agency, year, 1));
                1
            }
        }
    };
    let mut arrest_seq = 0u32;
    let mut order_seq = 0u32;
    let n = j.events.len();
    let step = (n / 20).max(1);
    // Call slots: (date, hour, type, disposition, address, incident, event), ids assigned after sorting.
    let mut calls: Vec<SynCall> = Vec::new();
    let events = std::mem::take(&mut j.events);
    for (ei, e) in events.iter().enumerate() {
        if ei % step == 0 && !progress(0.65 + 0.3 * ei as f32 / n.max(1) as f32) {
            return None;
        }
        if e.phase == Phase::Followup {
            if e.outcome == Outcome::Crime {
                let ipv = e.rel.class() == RelClass::IntimatePartner;
                let grave = e.strangulation
                    || matches!(e.weapon, "11" | "12" | "20")
                    || matches!(e.injury, "B" | "I" | "L" | "O" | "T" | "U");
                for k in &e.offenses {
                    j.followup.push(FollowupOffense {
                        person: e.offender,
                        date: e.date,
                        kind: *k,
                        ipv,
                        serious: k.serious() || grave,
                    });
                }
            }
            continue;
        }
        if e.phase != Phase::Export {
            continue;
        }
        let mut rng = Rng::new(cfg.seed, stream::RECORDS + ei as u64);
        let domestic = e.rel.domestic();
        let place_person = if e.victim != NONE && domestic {
            e.victim
        } else {
            e.offender
        };
        let place = pop.address_at(place_person, e.date);
        let city = pop.addresses[place as usize].city;
        let agency = CITIES[city as usize].2 as u8;
        let (addr_line, _, _) = address_text(pop, place, noise, &mut rng);
        let has_call = domestic || rng.chance(0.6);
        let call_type = if domestic {
            pick_weighted(&mut rng, &DOMESTIC_CALL_TYPES)
        } else {
            other_call_type(e.offenses.first().copied().unwrap_or(super::OffenseKind::Warrant))
        };
        if e.outcome == Outcome::CallOnly {
            calls.push(SynCall {
                call_id: String::new(),
                date: e.date,
                hour: e.hour,
                call_type,
                disposition: pick_weighted(&mut rng, &NO_REPORT),
                address: addr_line,
                incident: None,
                event: Some(ei as u32),
            });
            continue;
        }
        let inc_idx = j.incidents.len() as u32;
        let year = e.date.year();
        let seq = next_seq(agency, year);
        let incident_id = format!(
            "{}{:02}-{:06}",
            super::population::AGENCIES[agency as usize].1,
            two_digit_year(e.date),
            seq
        );
        let report_date = if rng.chance(0.85) {
            e.date
        } else {
            e.date.add_days(rng.range(1, 10))
        };
        let domestic_flag = if domestic {
            if rng.chance(noise.domestic_flag_missing) {
                if rng.chance(0.5) {
                    None
                } else {
                    Some(false)
                }
            } else {
                Some(true)
            }
        } else if rng.chance(0.05) {
            None
        } else {
            Some(e.rel == Rel::Roommate && rng.chance(0.3))
        };
        if has_call {
            calls.push(SynCall {
                call_id: String::new(),
                date: e.date,
                hour: e.hour,
                call_type,
                disposition: if e.arrested { "ARREST" } else { "REPORT TAKEN" },
                address: addr_line.clone(),
                incident: Some(inc_idx),
                event: Some(ei as u32),
            });
        }
        // People.
        let mut k = 0u32;
        let mut push = |j: &mut Jurisdiction, mut r: SynPerson| -> u32 {
            k += 1;
            r.record_id = format!("{incident_id}-P{k:02}");
            r.incident = inc_idx;
            j.persons.push(r);
            (j.persons.len() - 1) as u32
        };
        let mut victim_rec = None;
        if e.victim != NONE {
            let mut r = person_record(pop, e.victim, e.date, "victim", noise, &mut rng);
            r.injury = if e.injury.is_empty() && e.offenses.iter().any(|k| k.person_crime()) {
                "N"
            } else {
                e.injury
            };
            victim_rec = Some(push(j, r));
        }
        let role = if e.arrested {
            if rng.chance(0.5) {
                "arrestee"
            } else {
                "offender"
            }
        } else if rng.chance(0.08) {
            "suspect"
        } else {
            "offender"
        };
        let off_rec = push(j, person_record(pop, e.offender, e.date, role, noise, &mut rng));
        if rng.chance(if domestic { 0.2 } else { 0.1 }) {
            // A witness: a household member of the victim, or a neighbour.
            let hh = pop.persons[place_person as usize].household;
            let mut w = NONE;
            for _ in 0..6 {
                let c = rng.below(pop.persons.len()) as u32;
                if c != e.victim && c != e.offender && pop.age_on(c, e.date) >= 8 {
                    w = c;
                    if pop.persons[c as usize].household == hh {
                        break;
                    }
                }
            }
            if w != NONE {
                push(j, person_record(pop, w, e.date, "witness", noise, &mut rng));
            }
        }
        // Offences.
        let female_victim = e.victim != NONE
            && pop.persons[e.victim as usize].sex == Sex::Female
            && pop.persons[e.offender as usize].sex == Sex::Male;
        for (i, kind) in e.offenses.iter().enumerate() {
            j.offenses.push(SynOffense {
                incident: inc_idx,
                seq: i as u8 + 1,
                kind: *kind,
                statute: statute(*kind, domestic, female_victim, &mut rng),
                attempted: i == 0 && e.attempted,
                weapon: if i == 0 { e.weapon } else { "" },
            });
        }
        // Pair.
        let spanish = pop.persons[e.offender as usize].hispanic;
        if let Some(v) = victim_rec {
            let (code, text) = narrative::relationship(
                e.rel,
                e.child_in_common,
                pop.persons[e.victim as usize].sex,
                pop.persons[e.offender as usize].sex,
                spanish,
                year,
                noise,
                &mut rng,
            );
            j.pairs.push(SynPair {
                incident: inc_idx,
                victim_record: v,
                offender_record: off_rec,
                code,
                text,
                class: e.rel.class(),
            });
        }
        // Arrest and charges.
        if e.arrested {
            arrest_seq += 1;
            let arrest_id = format!("A{:02}-{:06}", two_digit_year(e.date), arrest_seq);
            let date = if rng.chance(0.8) {
                e.date
            } else {
                e.date.add_days(rng.range(1, 20))
            };
            for (i, kind) in e.offenses.iter().enumerate() {
                j.arrests.push(SynArrest {
                    arrest_id: arrest_id.clone(),
                    incident: inc_idx,
                    record: off_rec,
                    date,
                    charge_seq: i as u8 + 1,
                    kind: *kind,
                    charge: statute(*kind, domestic, female_victim, &mut rng),
                    domestic,
                });
            }
        }
        if let (Some((from, to)), Some(v)) = (e.new_order, victim_rec) {
            order_seq += 1;
            j.orders.push(SynOrder {
                order_id: format!("PO-{:02}-{:05}", two_digit_year(from), order_seq),
                incident: inc_idx,
                respondent_record: off_rec,
                petitioner_record: v,
                order_type: pick_weighted(
                    &mut rng,
                    &[
                        (0.4, "EX PARTE 50B"),
                        (0.45, "DVPO 50B - ONE YEAR"),
                        (0.15, "50C CIVIL NO-CONTACT"),
                    ],
                ),
                issued: from,
                expires: to,
            });
        }
        // Narrative.
        let narrative = if rng.chance(noise.narrative_missing) {
            String::new()
        } else {
            let vname = victim_rec
                .map(|v| {
                    let r = &j.persons[v as usize];
                    format!("{} {}", r.first, r.last)
                })
                .unwrap_or_default();
            let onm = {
                let r = &j.persons[off_rec as usize];
                format!("{} {}", r.first, r.last)
            };
            let date_txt = fmt_mdy(e.date);
            let story = Story {
                outcome: e.outcome,
                rel: e.rel,
                child: e.child_in_common,
                victim_sex: if e.victim != NONE {
                    pop.persons[e.victim as usize].sex
                } else {
                    Sex::Male
                },
                offender_sex: pop.persons[e.offender as usize].sex,
                spanish: spanish && rng.chance(noise.spanish_terms),
                offenses: &e.offenses,
                weapon: e.weapon,
                injury: e.injury,
                arrested: e.arrested,
                order_in_force: e.order_in_force,
                victim_name: &vname,
                offender_name: &onm,
                address: &addr_line,
                date: &date_txt,
                hour: e.hour,
                has_victim: e.victim != NONE,
            };
            narrative::narrative(&story, &mut rng)
        };
        j.incidents.push(SynIncident {
            incident_id,
            agency,
            report_date,
            occurred_date: e.date,
            hour: e.hour,
            call_id: None,
            domestic_flag,
            narrative,
            event: ei as u32,
        });
    }

    j.events = events;

    // Background calls that never involve a known offender.
    let mut rng = Rng::new(cfg.seed, stream::MISC);
    let span = j.export_end.days_since(j.export_start).max(1);
    let background = (pop.persons.len() as f64 * 0.01 * span as f64 / 365.25) as usize;
    for _ in 0..if pop.households.is_empty() { 0 } else { background } {
        let date = j.export_start.add_days(rng.range(0, span - 1));
        let hh = pop.households[rng.below(pop.households.len())].address;
        let (addr, _, _) = address_text(pop, hh, noise, &mut rng);
        calls.push(SynCall {
            call_id: String::new(),
            date,
            hour: rng.range(0, 23) as u8,
            call_type: pick_weighted(&mut rng, &BACKGROUND_CALLS),
            disposition: pick_weighted(&mut rng, &NO_REPORT),
            address: addr,
            incident: None,
            event: None,
        });
    }
    calls.sort_by_key(|c| (c.date, c.hour));
    let mut year_seq: (i32, u32) = (i32::MIN, 0);
    for c in calls.iter_mut() {
        let y = c.date.year();
        if y != year_seq.0 {
            year_seq = (y, 0);
        }
        year_seq.1 += 1;
        c.call_id = format!("C{:02}{:07}", two_digit_year(c.date), year_seq.1);
        if let Some(i) = c.incident {
            j.incidents[i as usize].call_id = Some(c.call_id.clone());
        }
    }
    j.calls = calls;

    // The people behind the records.
    let mut seen: Vec<u32> = j.persons.iter().map(|r| r.person).collect();
    seen.sort_unstable();
    seen.dedup();
    j.people = seen
        .into_iter()
        .map(|p| {
            let pp = &pop.persons[p as usize];
            let (cur, _) = pop.surname_on(p);
            let opt = |x: u32| if x == NONE { None } else { Some(x) };
            super::PersonTruth {
                person: p,
                first: first_name_text(pp.sex, pp.first),
                middle: if pp.middle == NO_NAME {
                    ""
                } else {
                    first_name_text(pp.sex, pp.middle)
                },
                last: surname_text(cur),
                birth_last: surname_text(pp.last),
                suffix: match pp.suffix {
                    1 => "JR",
                    2 => "SR",
                    _ => "",
                },
                dob: pp.dob,
                sex: pp.sex.code(),
                race: RACES[pp.race as usize].0,
                twin: pp.twin,
                mother: opt(pp.mother),
                father: opt(pp.father),
                household: pp.household,
            }
        })
        .collect();

    super::programme::write_programme(j, &cfg);
    Some(())
}
