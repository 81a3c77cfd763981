//! Noisy person records with known truth, for benchmarks and tests of the linkage.
//!
//! A small seeded generator (not the synthetic jurisdiction): people with names drawn from
//! skewed (Zipf-like) lists so common names are common, dates of birth, addresses, phones and
//! identifiers, each appearing in one or more records with typing errors, nicknames, swapped
//! day and month, missing values and moves. It also plants the known traps: fathers and sons
//! with the same name at one address (dates of birth 20–35 years apart, a suffix on some
//! records) and twins (same date of birth, last name and address, different first names).

use super::names::{normalize, Nicknames, DEFAULT_NICKNAMES_CSV};
use super::LinkRecord;
use crate::date::Date;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SYLLABLES: &[&str] = &[
    "AN", "BER", "CAR", "DEL", "EN", "FOR", "GAR", "HAR", "IN", "JO", "KEL", "LAN", "MAR", "NOR", "OL", "PER", "QUIN",
    "ROS", "SAN", "TER", "UL", "VAN", "WIL", "YOR", "ZEL", "SON", "MAN", "TON", "LEY", "RICK", "BY", "DON", "FIELD",
    "STEIN", "BERG", "WOOD", "HILL", "MOR", "GAN", "RO", "LI", "KO", "SKI", "EZ", "NEZ", "EL", "AS", "ER",
];
const STREETS: &[&str] = &[
    "MAIN ST", "OAK AVE", "PINE RD", "ELM ST", "MAPLE DR", "CEDAR LN", "PARK AVE", "LAKE RD",
];

/// What a generated record is part of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trap {
    None,
    /// A father or son of a same-name pair at one address.
    Generation,
    /// One of a pair of twins.
    Twin,
}

/// Generated records, the true person of each, and the trap each belongs to.
#[derive(Clone, Debug)]
pub struct Generated {
    pub records: Vec<LinkRecord>,
    pub truth: Vec<u64>,
    pub trap: Vec<Trap>,
}

fn zipf(rng: &mut ChaCha8Rng, n: usize) -> usize {
    // Inverse of a continuous 1/x law: index ~ n^u - 1, skewed to small indices.
    let u: f64 = rng.random();
    (((n as f64 + 1.0).powf(u)) - 1.0).floor().min(n as f64 - 1.0) as usize
}

struct Pools {
    first: Vec<String>,
    last: Vec<String>,
    nick: Vec<(String, String)>,
    cities: Vec<(String, String)>,
    table: Nicknames,
}

fn pools(rng: &mut ChaCha8Rng) -> Pools {
    let t = Nicknames::parse(DEFAULT_NICKNAMES_CSV);
    let mut first: Vec<String> = Vec::new();
    let mut nick = Vec::new();
    for line in DEFAULT_NICKNAMES_CSV.lines().skip(2) {
        if let Some((a, b)) = line.split_once(',') {
            let (a, b) = (normalize(a), normalize(b));
            if !first.contains(&a) {
                first.push(a.clone());
            }
            nick.push((a, b));
        }
    }
    // More first names from syllables so that the name space is realistic.
    for _ in 0..1500 {
        let s: String = (0..2)
            .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
            .collect();
        if t.groups(&s).is_empty() && !first.contains(&s) {
            first.push(s);
        }
    }
    let mut last: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while last.len() < 60_000 {
        let k = rng.random_range(2..=3);
        let s: String = (0..k)
            .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
            .collect();
        if seen.insert(s.clone()) {
            last.push(s);
        }
    }
    let cities = (0..400)
        .map(|k| {
            let s: String = (0..2)
                .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
                .collect();
            (format!("{s} CITY"), format!("{:05}", 10000 + k * 97))
        })
        .collect();
    Pools {
        first,
        last,
        nick,
        cities,
        table: t,
    }
}

fn typo(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut b: Vec<u8> = s.bytes().collect();
    if b.len() < 2 {
        return s.to_string();
    }
    let k = rng.random_range(0..b.len());
    match rng.random_range(0..4) {
        0 => b[k] = b'A' + rng.random_range(0..26u8),
        1 => {
            b.remove(k);
        }
        2 => b.insert(k, b'A' + rng.random_range(0..26u8)),
        _ => {
            let k = k.min(b.len() - 2);
            b.swap(k, k + 1);
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

struct Person {
    first: String,
    middle: String,
    last: String,
    suffix: String,
    dob: Date,
    sex: &'static str,
    address: String,
    city: usize,
    phone: String,
    identifier: String,
}

/// Generate about `n` records (a little more or less) from a seed.
pub fn noisy_people(n: usize, seed: u64) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let p = pools(&mut rng);
    let mut out = Generated {
        records: Vec::with_capacity(n + 8),
        truth: Vec::new(),
        trap: Vec::new(),
    };
    let mut person_id = 0u64;
    let new_person = |rng: &mut ChaCha8Rng, p: &Pools| -> Person {
        let city = zipf(rng, p.cities.len());
        Person {
            first: p.first[zipf(rng, p.first.len())].clone(),
            middle: if rng.random_bool(0.5) {
                p.first[zipf(rng, p.first.len())].clone()
            } else {
                String::new()
            },
            last: p.last[zipf(rng, p.last.len())].clone(),
            suffix: String::new(),
            dob: Date::from_ymd(
                rng.random_range(1940..2006),
                rng.random_range(1..=12),
                rng.random_range(1..=28),
            )
            .unwrap_or(Date(0)),
            sex: if rng.random_bool(0.5) { "M" } else { "F" },
            address: format!(
                "{} {}",
                rng.random_range(1..9999),
                STREETS[rng.random_range(0..STREETS.len())]
            ),
            city,
            phone: format!("{}{:07}", rng.random_range(200..999), rng.random_range(0..10_000_000)),
            identifier: format!("{:08}", rng.random_range(0..100_000_000u64)),
        }
    };
    while out.records.len() < n {
        let trap_draw: f64 = rng.random();
        let mut people = vec![new_person(&mut rng, &p)];
        let trap = if trap_draw < 0.02 {
            // Father and son: same name and address, a generation apart.
            let mut son = new_person(&mut rng, &p);
            let (father, _) = people.split_at_mut(1);
            let f = &mut father[0];
            f.sex = "M";
            son.sex = "M";
            son.first = f.first.clone();
            son.last = f.last.clone();
            son.address = f.address.clone();
            son.city = f.city;
            son.phone = f.phone.clone();
            let (y, m, d) = f.dob.ymd();
            son.dob = Date::from_ymd(y + rng.random_range(20..36), m.max(1), d.min(28)).unwrap_or(f.dob);
            f.suffix = "SR".into();
            son.suffix = "JR".into();
            people.push(son);
            Trap::Generation
        } else if trap_draw < 0.03 {
            let mut twin = new_person(&mut rng, &p);
            let f = &people[0];
            twin.last = f.last.clone();
            twin.dob = f.dob;
            twin.address = f.address.clone();
            twin.city = f.city;
            twin.phone = f.phone.clone();
            while p.table.related(&twin.first, &f.first) || twin.first == f.first {
                twin.first = p.first[rng.random_range(0..p.first.len())].clone();
            }
            people.push(twin);
            Trap::Twin
        } else {
            Trap::None
        };
        for person in people {
            person_id += 1;
            let copies = 1 + (rng.random::<f64>().ln() / 0.5f64.ln()).floor().min(6.0) as usize; // geometric, mean 2
            for c in 0..copies {
                let mut r = LinkRecord {
                    record_id: format!("r{}", out.records.len() + 1),
                    first_name: person.first.clone(),
                    middle_name: person.middle.clone(),
                    last_name: person.last.clone(),
                    dob: Some(person.dob),
                    sex: person.sex.to_string(),
                    address: person.address.clone(),
                    city: p.cities[person.city].0.clone(),
                    postcode: p.cities[person.city].1.clone(),
                    phone: person.phone.clone(),
                    identifier: person.identifier.clone(),
                    ..LinkRecord::default()
                };
                if !person.suffix.is_empty() && rng.random_bool(0.5) {
                    r.last_name = format!("{} {}", r.last_name, person.suffix);
                }
                if c > 0 {
                    noise(&mut rng, &p, &mut r);
                }
                out.records.push(r);
                out.truth.push(person_id);
                out.trap.push(trap);
            }
        }
    }
    out
}

fn noise(rng: &mut ChaCha8Rng, p: &Pools, r: &mut LinkRecord) {
    if rng.random_bool(0.15) {
        r.first_name = typo(rng, &r.first_name);
    }
    if rng.random_bool(0.08) {
        if let Some((_, nick)) = p.nick.iter().find(|(a, _)| *a == r.first_name) {
            r.first_name = nick.clone();
        }
    }
    if rng.random_bool(0.12) {
        r.last_name = typo(rng, &r.last_name);
    }
    if rng.random_bool(0.3) {
        r.middle_name.clear();
    }
    if let Some(d) = r.dob {
        let (y, m, dd) = d.ymd();
        let x: f64 = rng.random();
        r.dob = if x < 0.04 {
            Date::from_ymd(y, m, (dd % 28) + 1)
        } else if x < 0.06 && dd <= 12 {
            Date::from_ymd(y, dd, m)
        } else if x < 0.09 {
            None
        } else {
            Some(d)
        };
    }
    if rng.random_bool(0.25) {
        r.address = format!(
            "{} {}",
            rng.random_range(1..9999),
            STREETS[rng.random_range(0..STREETS.len())]
        );
        let c = zipf(rng, p.cities.len());
        r.city = p.cities[c].0.clone();
        r.postcode = p.cities[c].1.clone();
    }
    if rng.random_bool(0.3) {
        r.phone = format!("{}{:07}", rng.random_range(200..999), rng.random_range(0..10_000_000));
    }
    if rng.random_bool(0.1) {
        r.phone.clear();
    }
    if rng.random_bool(0.6) {
        r.identifier.clear();
    }
    if rng.random_bool(0.05) {
        r.sex.clear();
    }
}
