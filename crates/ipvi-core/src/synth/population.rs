//! The people of the synthetic jurisdiction: households at fictional addresses, families across
//! households (parents, children, siblings, grandparents, in-laws, step relations, twins, Jr/Sr),
//! and intimate relationships over time (marriage, cohabiting, dating, separation, exes, children
//! in common, same-sex couples), with the moves that separations bring.
//!
//! Everything is drawn from one seeded stream in a fixed order, and stored in flat vectors
//! (compressed adjacency lists for partners and children), so a million people fit in a few
//! hundred megabytes and the result never depends on hash order.

use super::rng::{stream, Rng, Weighted};
use super::SynthConfig;
use crate::date::Date;
use crate::names;

/// "No person" in index fields.
pub const NONE: u32 = u32::MAX;
/// "No name" in name-index fields.
pub const NO_NAME: u16 = u16::MAX;

/// Race codes as NIBRS writes them (W, B, A, I, P), with their shares in the population.
pub const RACES: [(&str, f64); 5] = [("W", 0.60), ("B", 0.31), ("A", 0.05), ("I", 0.03), ("P", 0.01)];

/// A person's sex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// `M` or `F`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }
}

/// One person (the truth; clerks later write it down imperfectly).
#[derive(Clone, Debug)]
pub struct Person {
    pub sex: Sex,
    /// Index into [`RACES`].
    pub race: u8,
    pub hispanic: bool,
    pub dob: Date,
    /// Index into the first-name list of the person's sex.
    pub first: u16,
    /// Index into the first-name list of the person's sex, or [`NO_NAME`].
    pub middle: u16,
    /// Birth surname (index into the surname list).
    pub last: u16,
    /// Married surname, or [`NO_NAME`].
    pub married_last: u16,
    /// Writes the surname hyphenated (birth-married).
    pub hyphenated: bool,
    /// 0 none, 1 JR, 2 SR.
    pub suffix: u8,
    /// Goes by a nickname: 0 no, n = the n-th nickname of the first name.
    pub nick: u8,
    /// An alias first name sometimes given to officers (index into the same list), or [`NO_NAME`].
    pub alias_first: u16,
    pub household: u32,
    pub mother: u32,
    pub father: u32,
    /// Phone: area code and line number, exchange 555 (fictional); unique per person for up
    /// to eight million people.
    pub phone: u32,
    pub area: u16,
    /// Latent offending risk (0: never offends).
    pub risk: f32,
    /// Twin of another person in the household.
    pub twin: bool,
    /// In the chronic group (latent risk multiplied).
    pub chronic: bool,
}

/// A fictional address.
#[derive(Clone, Copy, Debug)]
pub struct Address {
    pub number: u16,
    pub street: u16,
    /// Apartment number, 0 for none.
    pub unit: u16,
    pub city: u8,
}

/// A household: the address it lived at when the data begins.
#[derive(Clone, Copy, Debug)]
pub struct Household {
    pub address: u32,
}

/// The kind of an intimate relationship while it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerKind {
    Married,
    Cohabiting,
    Dating,
}

/// An intimate relationship between two people over time.
#[derive(Clone, Copy, Debug)]
pub struct Partnership {
    pub a: u32,
    pub b: u32,
    pub kind: PartnerKind,
    pub start: Date,
    /// The day it ended (separation, divorce, break-up), or `Date(i32::MAX)`.
    pub end: Date,
    pub child_in_common: bool,
}

impl Partnership {
    /// The other partner.
    pub fn other(&self, p: u32) -> u32 {
        if self.a == p {
            self.b
        } else {
            self.a
        }
    }
    /// Current on `t`.
    pub fn current(&self, t: Date) -> bool {
        self.start <= t && t < self.end
    }
    /// Over by `t`.
    pub fn former(&self, t: Date) -> bool {
        self.end <= t
    }
}

/// A compressed adjacency list: the items of node `i` are `items[offsets[i]..offsets[i+1]]`.
#[derive(Clone, Debug, Default)]
pub struct Csr {
    pub offsets: Vec<u32>,
    pub items: Vec<u32>,
}

impl Csr {
    fn build(n: usize, edges: &[(u32, u32)]) -> Csr {
        let mut counts = vec![0u32; n + 1];
        for &(a, _) in edges {
            counts[a as usize + 1] += 1;
        }
        for i in 1..=n {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut items = vec![0u32; edges.len()];
        for &(a, b) in edges {
            let slot = &mut fill[a as usize];
            items[*slot as usize] = b;
            *slot += 1;
        }
        Csr { offsets: counts, items }
    }
    /// The items of node `i`.
    pub fn of(&self, i: u32) -> &[u32] {
        let i = i as usize;
        if i + 1 >= self.offsets.len() {
            return &[];
        }
        &self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// Everyone, where they live, and who they are to each other.
#[derive(Clone, Debug, Default)]
pub struct Population {
    pub persons: Vec<Person>,
    pub households: Vec<Household>,
    pub addresses: Vec<Address>,
    pub partnerships: Vec<Partnership>,
    /// Person → indexes into `partnerships`.
    pub partners_of: Csr,
    /// Person → their children.
    pub children_of: Csr,
    /// Person moves: (person, date, new address), sorted by person then date.
    pub moves: Vec<(u32, Date, u32)>,
    /// Street names (fictional).
    pub streets: Vec<String>,
}

/// Fictional cities of the jurisdiction, with their ZIP code prefix and agency.
pub const CITIES: [(&str, u32, usize); 4] = [
    ("NORTHAVEN", 27460, 0),
    ("EASTMERE", 27470, 0),
    ("KESTREL BEND", 27480, 1),
    ("ORLAND HOLLOW", 27490, 1),
];

/// The agencies: (name, incident-id prefix).
pub const AGENCIES: [(&str, &str); 2] = [
    ("NORTHAVEN POLICE DEPARTMENT", "NPD"),
    ("KESTREL COUNTY SHERIFF", "KCS"),
];

const STREET_FIRST: [&str; 48] = [
    "OAK", "MAPLE", "CEDAR", "BIRCH", "WILLOW", "ASPEN", "HAWTHORN", "ALDER", "LINDEN", "SPRUCE", "HAZEL", "JUNIPER",
    "BRIAR", "FERN", "HOLLY", "LAUREL", "MEADOW", "RIDGE", "BROOK", "STONE", "RIVER", "LAKE", "HILL", "VALLEY",
    "FALCON", "HERON", "SPARROW", "WREN", "KESTREL", "OSPREY", "QUAIL", "FINCH", "AMBER", "SILVER", "COPPER", "IVORY",
    "NORTH", "SOUTH", "EAST", "WEST", "MILL", "FORGE", "CHAPEL", "MARKET", "HARBOR", "ORCHARD", "CLOVER", "THISTLE",
];
const STREET_SECOND: [&str; 24] = [
    "", "", "", "", "", "", "WOOD", "FIELD", "CREST", "GATE", "VIEW", "DALE", "HAVEN", "MONT", "WICK", "TON", "BURY",
    "SIDE", "MERE", "SHIRE", "GLEN", "POINT", "RUN", "BEND",
];
/// Street suffixes as written in full and abbreviated.
pub const STREET_SUFFIX: [(&str, &str); 10] = [
    ("STREET", "ST"),
    ("AVENUE", "AVE"),
    ("ROAD", "RD"),
    ("DRIVE", "DR"),
    ("LANE", "LN"),
    ("COURT", "CT"),
    ("WAY", "WAY"),
    ("BOULEVARD", "BLVD"),
    ("PLACE", "PL"),
    ("CIRCLE", "CIR"),
];

/// Surnames written by Spanish-speaking households (a subset of the census list).
fn is_hispanic_surname(s: &str) -> bool {
    const LIST: [&str; 40] = [
        "GARCIA",
        "MARTINEZ",
        "RODRIGUEZ",
        "HERNANDEZ",
        "LOPEZ",
        "GONZALEZ",
        "PEREZ",
        "SANCHEZ",
        "RIVERA",
        "TORRES",
        "RAMIREZ",
        "FLORES",
        "GONZALES",
        "DIAZ",
        "CRUZ",
        "ORTIZ",
        "GOMEZ",
        "MORALES",
        "RAMOS",
        "REYES",
        "CHAVEZ",
        "RUIZ",
        "GUTIERREZ",
        "VASQUEZ",
        "CASTILLO",
        "ALVAREZ",
        "FERNANDEZ",
        "GARZA",
        "ROMERO",
        "MENDOZA",
        "MORENO",
        "MEDINA",
        "VARGAS",
        "HERRERA",
        "SOTO",
        "JIMENEZ",
        "CASTRO",
        "PENA",
        "MENDEZ",
        "SANTIAGO",
    ];
    LIST.contains(&s) || (s.len() > 5 && s.ends_with("EZ"))
}

/// Weighted pickers for the name lists.
pub struct NamePickers {
    pub surname: Weighted,
    pub hispanic_surnames: Vec<u16>,
    pub hispanic_surname: Weighted,
    pub male: Weighted,
    pub female: Weighted,
    pub hispanic_male: Vec<u16>,
    pub hispanic_female: Vec<u16>,
}

impl NamePickers {
    fn new() -> NamePickers {
        let hispanic_surnames: Vec<u16> = names::surnames()
            .iter()
            .enumerate()
            .filter(|(_, n)| is_hispanic_surname(n.name))
            .map(|(i, _)| i as u16)
            .collect();
        let hw = hispanic_surnames.iter().map(|&i| names::surnames()[i as usize].percent);
        let hispanic_given = |list: &[names::NameFreq], wanted: &[&str]| -> Vec<u16> {
            list.iter()
                .enumerate()
                .filter(|(_, n)| wanted.contains(&n.name))
                .map(|(i, _)| i as u16)
                .collect()
        };
        const HM: [&str; 30] = [
            "JOSE",
            "JUAN",
            "CARLOS",
            "LUIS",
            "ANTONIO",
            "MANUEL",
            "JESUS",
            "FRANCISCO",
            "MIGUEL",
            "JORGE",
            "PEDRO",
            "ROBERTO",
            "HECTOR",
            "RICARDO",
            "RAMON",
            "RAFAEL",
            "RAUL",
            "JAVIER",
            "FERNANDO",
            "JULIO",
            "ARMANDO",
            "ALFREDO",
            "ALBERTO",
            "SERGIO",
            "EDUARDO",
            "ENRIQUE",
            "ARTURO",
            "ALEJANDRO",
            "MARIO",
            "ANGEL",
        ];
        const HF: [&str; 24] = [
            "MARIA",
            "ROSA",
            "CARMEN",
            "JUANITA",
            "ANA",
            "GLORIA",
            "TERESA",
            "YOLANDA",
            "GUADALUPE",
            "MARGARITA",
            "ISABEL",
            "LUZ",
            "JUANA",
            "BLANCA",
            "LETICIA",
            "ELENA",
            "CLAUDIA",
            "SONIA",
            "OLGA",
            "IRMA",
            "ALMA",
            "VERONICA",
            "CRISTINA",
            "RAQUEL",
        ];
        NamePickers {
            surname: Weighted::new(names::surnames().iter().map(|n| n.percent)),
            hispanic_surname: Weighted::new(hw),
            hispanic_surnames,
            male: Weighted::new(names::male_first_names().iter().map(|n| n.percent)),
            female: Weighted::new(names::female_first_names().iter().map(|n| n.percent)),
            hispanic_male: hispanic_given(names::male_first_names(), &HM),
            hispanic_female: hispanic_given(names::female_first_names(), &HF),
        }
    }

    fn first(&self, rng: &mut Rng, sex: Sex, hispanic: bool) -> u16 {
        if hispanic && rng.chance(0.6) {
            let l = if sex == Sex::Male {
                &self.hispanic_male
            } else {
                &self.hispanic_female
            };
            if !l.is_empty() {
                return *rng.pick(l);
            }
        }
        match sex {
            Sex::Male => self.male.sample(rng) as u16,
            Sex::Female => self.female.sample(rng) as u16,
        }
    }

    fn surname(&self, rng: &mut Rng, hispanic: bool) -> u16 {
        if hispanic && !self.hispanic_surnames.is_empty() {
            self.hispanic_surnames[self.hispanic_surname.sample(rng)]
        } else {
            self.surname.sample(rng) as u16
        }
    }
}

/// The given name text for a person's first-name index.
pub fn first_name_text(sex: Sex, idx: u16) -> &'static str {
    let list = match sex {
        Sex::Male => names::male_first_names(),
        Sex::Female => names::female_first_names(),
    };
    list.get(idx as usize).map(|n| n.name).unwrap_or("")
}

/// The surname text for a surname index.
pub fn surname_text(idx: u16) -> &'static str {
    names::surnames().get(idx as usize).map(|n| n.name).unwrap_or("")
}

struct Builder<'a> {
    cfg: &'a SynthConfig,
    rng: Rng,
    names: NamePickers,
    pop: Population,
    /// Reference date: the first day of the export.
    reference: Date,
    edges_partner: Vec<(u32, u32)>,
    /// Households whose adults are old enough to be someone's parents: (mother, father).
    elder_pool: Vec<(u32, u32)>,
    /// Single parents whose children's other parent lives elsewhere.
    pending_other_parent: Vec<u32>,
    streets_per_city: usize,
}

fn years(y: f64) -> i32 {
    (y * 365.25) as i32
}

impl<'a> Builder<'a> {
    fn age_at_reference(&self, p: u32) -> f64 {
        self.reference.days_since(self.pop.persons[p as usize].dob) as f64 / 365.25
    }

    fn new_address(&mut self, city: Option<u8>) -> u32 {
        let city = city.unwrap_or_else(|| {
            // Most people live in the two city-police cities.
            let r = self.rng.f64();
            if r < 0.45 {
                0
            } else if r < 0.75 {
                1
            } else if r < 0.90 {
                2
            } else {
                3
            }
        });
        let street = (city as usize * self.streets_per_city + self.rng.below(self.streets_per_city)) as u16;
        let unit = if self.rng.chance(0.3) {
            (self.rng.range(1, 40)
                + if self.rng.chance(0.3) {
                    100 * self.rng.range(1, 4)
                } else {
                    0
                }) as u16
        } else {
            0
        };
        let number =
            (self.rng.range(1, 99) * 10 + self.rng.range(0, 9) + if self.rng.chance(0.5) { 1000 } else { 100 }) as u16;
        self.pop.addresses.push(Address {
            number,
            street,
            unit,
            city,
        });
        (self.pop.addresses.len() - 1) as u32
    }

    #[allow(clippy::too_many_arguments)]
    fn person(&mut self, sex: Sex, age: f64, last: u16, race: u8, hispanic: bool, household: u32) -> u32 {
        let dob = self.reference.add_days(-years(age) - self.rng.range(0, 364));
        let first = self.names.first(&mut self.rng, sex, hispanic);
        let middle = if self.rng.chance(0.85) {
            self.names.first(&mut self.rng, sex, false)
        } else {
            NO_NAME
        };
        let nicks = names::nicknames().nicknames_of(first_name_text(sex, first)).len();
        let nick = if nicks > 0 && self.rng.chance(self.cfg.noise.goes_by_nickname) {
            1 + self.rng.below(nicks) as u8
        } else {
            0
        };
        let alias_first = if self.rng.chance(self.cfg.noise.alias) {
            self.names.first(&mut self.rng, sex, hispanic)
        } else {
            NO_NAME
        };
        let idx = self.pop.persons.len() as u32;
        let area = 200 + ((idx / 10_000) % 800) as u16;
        let phone = idx % 10_000;
        self.pop.persons.push(Person {
            sex,
            race,
            hispanic,
            dob,
            first,
            middle,
            last,
            married_last: NO_NAME,
            hyphenated: false,
            suffix: 0,
            nick,
            alias_first,
            household,
            mother: NONE,
            father: NONE,
            phone,
            area,
            risk: 0.0,
            twin: false,
            chronic: false,
        });
        (self.pop.persons.len() - 1) as u32
    }

    fn partnership(&mut self, a: u32, b: u32, kind: PartnerKind, start: Date, end: Date, child: bool) {
        let idx = self.pop.partnerships.len() as u32;
        self.pop.partnerships.push(Partnership {
            a,
            b,
            kind,
            start,
            end,
            child_in_common: child,
        });
        self.edges_partner.push((a, idx));
        self.edges_partner.push((b, idx));
    }

    fn adult_age(&mut self) -> f64 {
        // Adults 18–80, most between 22 and 55.
        let r = self.rng.f64();
        if r < 0.18 {
            18.0 + self.rng.f64() * 7.0
        } else if r < 0.78 {
            25.0 + self.rng.f64() * 30.0
        } else {
            55.0 + self.rng.f64() * 25.0
        }
    }

    fn household(&mut self) {
        let hid = self.pop.households.len() as u32;
        let address = self.new_address(None);
        self.pop.households.push(Household { address });
        let hispanic = self.rng.chance(0.17);
        let race = if hispanic {
            if self.rng.chance(0.9) {
                0
            } else {
                1
            }
        } else {
            let w = RACES.map(|r| r.1);
            super::rng::pick_weighted(
                &mut self.rng,
                &[(w[0], 0u8), (w[1], 1), (w[2], 2), (w[3], 3), (w[4], 4)],
            )
        };
        let surname = self.names.surname(&mut self.rng, hispanic);
        let kind = super::rng::pick_weighted(
            &mut self.rng,
            &[(0.30, 0u8), (0.18, 1), (0.14, 2), (0.26, 3), (0.12, 4)], // couple+kids, couple, single parent, single, elder
        );
        let age = if kind == 4 {
            50.0 + self.rng.f64() * 32.0
        } else {
            self.adult_age()
        };
        match kind {
            0 | 1 | 4 => {
                let same_sex = self.rng.chance(0.04) && kind != 4;
                let (sa, sb) = if same_sex {
                    if self.rng.chance(0.5) {
                        (Sex::Male, Sex::Male)
                    } else {
                        (Sex::Female, Sex::Female)
                    }
                } else {
                    (Sex::Male, Sex::Female)
                };
                let a = self.person(sa, age, surname, race, hispanic, hid);
                let b_age = (age + self.rng.normal() * 3.5 - 2.0).max(18.0);
                let b_last = self.names.surname(&mut self.rng, hispanic);
                let b = self.person(sb, b_age, b_last, race, hispanic, hid);
                self.maybe_parents(a);
                self.maybe_parents(b);
                let married = self.rng.chance(if kind == 4 { 0.8 } else { 0.55 });
                let max_len = (age.min(b_age) - 18.0).max(0.5);
                let start = self.reference.add_days(-years(self.rng.f64() * max_len.min(25.0)) - 30);
                let kind_p = if married {
                    PartnerKind::Married
                } else {
                    PartnerKind::Cohabiting
                };
                if married && sb == Sex::Female && sa == Sex::Male {
                    let r = self.rng.f64();
                    if r < 0.78 {
                        self.pop.persons[b as usize].married_last = surname;
                    } else if r < 0.88 {
                        self.pop.persons[b as usize].married_last = surname;
                        self.pop.persons[b as usize].hyphenated = true;
                    }
                }
                let has_kids = kind == 0 || (kind == 4 && self.rng.chance(0.25));
                self.partnership(a, b, kind_p, start, Date(i32::MAX), has_kids);
                let (mother, father) = if sa == Sex::Male { (b, a) } else { (a, b) };
                if kind == 4 && sa == Sex::Male && sb == Sex::Female {
                    self.elder_pool.push((b, a));
                }
                if has_kids {
                    let oldest_parent_age = age.min(b_age);
                    let max_child_age = if kind == 4 {
                        (oldest_parent_age - 20.0).min(32.0)
                    } else {
                        (oldest_parent_age - 18.0).min(22.0)
                    };
                    let min_child_age = if kind == 4 { 18.0 } else { 0.0 };
                    let n = 1 + self.rng.geometric(0.45, 5);
                    let n = if kind == 4 { 1 } else { n };
                    self.children(
                        mother,
                        father,
                        surname,
                        race,
                        hispanic,
                        hid,
                        n,
                        min_child_age,
                        max_child_age,
                    );
                }
            }
            2 => {
                let sex = if self.rng.chance(0.83) { Sex::Female } else { Sex::Male };
                let a = self.person(sex, age.min(55.0), surname, race, hispanic, hid);
                self.maybe_parents(a);
                let n = 1 + self.rng.geometric(0.4, 4);
                let max_child_age = (age.min(55.0) - 18.0).min(20.0);
                let (m, f) = if sex == Sex::Female { (a, NONE) } else { (NONE, a) };
                // Children carry the other parent's surname half the time; fixed up when the
                // other parent is chosen.
                self.children(m, f, surname, race, hispanic, hid, n, 0.0, max_child_age);
                self.pending_other_parent.push(a);
            }
            _ => {
                let sex = if self.rng.chance(0.5) { Sex::Male } else { Sex::Female };
                let a = self.person(sex, age, surname, race, hispanic, hid);
                self.maybe_parents(a);
            }
        }
    }

    fn maybe_parents(&mut self, p: u32) {
        if self.elder_pool.is_empty() || !self.rng.chance(0.5) {
            return;
        }
        let age = self.age_at_reference(p);
        for _ in 0..4 {
            let (m, f) = *self.rng.pick(&self.elder_pool);
            let ma = self.age_at_reference(m);
            let d = ma - age;
            if (18.0..=42.0).contains(&d) {
                let pp = &mut self.pop.persons[p as usize];
                pp.mother = m;
                pp.father = f;
                // Children born into the family carry the father's surname (or keep the one
                // they married into).
                let fl = self.pop.persons[f as usize].last;
                self.pop.persons[p as usize].last = fl;
                return;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn children(
        &mut self,
        mother: u32,
        father: u32,
        surname: u16,
        race: u8,
        hispanic: bool,
        hid: u32,
        n: u32,
        min_age: f64,
        max_age: f64,
    ) {
        let max_age = max_age.max(min_age + 0.5);
        let mut k = 0;
        while k < n {
            let sex = if self.rng.chance(0.51) { Sex::Male } else { Sex::Female };
            let age = min_age + self.rng.f64() * (max_age - min_age);
            let c = self.person(sex, age, surname, race, hispanic, hid);
            {
                let cp = &mut self.pop.persons[c as usize];
                cp.mother = mother;
                cp.father = father;
            }
            // Jr: the first son named after his father.
            if k == 0 && sex == Sex::Male && father != NONE && self.rng.chance(self.cfg.noise.junior_share) {
                let (ff, fm) = {
                    let fp = &self.pop.persons[father as usize];
                    (fp.first, fp.middle)
                };
                if self.pop.persons[father as usize].sex == Sex::Male {
                    let cp = &mut self.pop.persons[c as usize];
                    cp.first = ff;
                    cp.middle = fm;
                    cp.suffix = 1;
                    cp.nick = 0;
                    self.pop.persons[father as usize].suffix = 2;
                }
            }
            // Twins: same date of birth, surname and address.
            if self.rng.chance(self.cfg.noise.twin_share) {
                let dob = self.pop.persons[c as usize].dob;
                let sex2 = if self.rng.chance(0.6) {
                    sex
                } else if sex == Sex::Male {
                    Sex::Female
                } else {
                    Sex::Male
                };
                let t = self.person(sex2, age, surname, race, hispanic, hid);
                let tp = &mut self.pop.persons[t as usize];
                tp.dob = dob;
                tp.mother = mother;
                tp.father = father;
                tp.twin = true;
                self.pop.persons[c as usize].twin = true;
                k += 1;
            }
            k += 1;
        }
    }

    /// A random adult (18–65 at the reference date) of the given sex not in `household`.
    fn random_adult(&mut self, sex: Sex, near_age: f64, household: u32) -> Option<u32> {
        let n = self.pop.persons.len();
        for _ in 0..12 {
            let c = self.rng.below(n) as u32;
            let p = &self.pop.persons[c as usize];
            if p.sex != sex || p.household == household {
                continue;
            }
            let a = self.age_at_reference(c);
            if (18.0..=65.0).contains(&a) && (a - near_age).abs() < 9.0 {
                return Some(c);
            }
        }
        None
    }
}

/// Draw the population.
pub fn build(cfg: &SynthConfig, progress: &mut dyn FnMut(f32) -> bool) -> Option<Population> {
    let reference = cfg.start;
    let mut b = Builder {
        cfg,
        rng: Rng::new(cfg.seed, stream::POPULATION),
        names: NamePickers::new(),
        pop: Population::default(),
        reference,
        edges_partner: Vec::new(),
        elder_pool: Vec::new(),
        pending_other_parent: Vec::new(),
        streets_per_city: (cfg.population as usize / 400).clamp(30, 5000),
    };
    // Street names: unique per city where possible.
    for _city in 0..CITIES.len() {
        for _ in 0..b.streets_per_city {
            let first = b.rng.pick_str(&STREET_FIRST);
            let second = b.rng.pick_str(&STREET_SECOND);
            let suffix = b.rng.below(STREET_SUFFIX.len());
            b.pop.streets.push(format!("{first}{second}|{suffix}"));
        }
    }
    let n = cfg.population as usize;
    b.pop.persons.reserve(n + 16);
    let mut next_report = n / 20;
    while b.pop.persons.len() < n {
        b.household();
        if b.pop.persons.len() >= next_report {
            next_report += n / 20;
            if !progress(0.25 * b.pop.persons.len() as f32 / n as f32) {
                return None;
            }
        }
    }
    let end_all = cfg
        .start
        .add_days(years(cfg.years as f64) + cfg.followup_months as i32 * 31);

    // The other parent of single parents' children: a former partner in another household.
    let pending = std::mem::take(&mut b.pending_other_parent);
    for a in pending {
        let (sex, hh) = {
            let p = &b.pop.persons[a as usize];
            (if p.sex == Sex::Male { Sex::Female } else { Sex::Male }, p.household)
        };
        let age = b.age_at_reference(a);
        if let Some(o) = b.random_adult(sex, age, hh) {
            let end = reference.add_days(-b.rng.range(60, 6 * 365));
            let start = end.add_days(-b.rng.range(180, 8 * 365));
            let kind = if b.rng.chance(0.3) {
                PartnerKind::Married
            } else {
                PartnerKind::Dating
            };
            b.partnership(a, o, kind, start, end, true);
            let other_last = b.pop.persons[o as usize].last;
            let use_other = b.rng.chance(0.5);
            // This household's children of `a` are stored right after `a`.
            for c in a + 1..b.pop.persons.len() as u32 {
                let cp = &b.pop.persons[c as usize];
                if cp.household != hh {
                    break;
                }
                let is_child = cp.mother == a || cp.father == a;
                if is_child {
                    let cp = &mut b.pop.persons[c as usize];
                    if sex == Sex::Male {
                        cp.father = o;
                    } else {
                        cp.mother = o;
                    }
                    if use_other {
                        cp.last = other_last;
                    }
                }
            }
        }
    }

    // Latent risk: heavy-tailed among the minority who offend at all.
    let oc = &cfg.offending;
    for i in 0..b.pop.persons.len() {
        let age = b.age_at_reference(i as u32);
        let p = &b.pop.persons[i];
        if age + cfg.years as f64 + 1.0 < 15.0 || age > 75.0 {
            continue;
        }
        let share = if p.sex == Sex::Male {
            oc.offender_share_male
        } else {
            oc.offender_share_female
        };
        if b.rng.chance(share) {
            let z = b.rng.normal();
            let scale = if p.sex == Sex::Male { 1.0 } else { oc.female_risk_scale };
            let mut r = libm::exp(oc.risk_sigma * z) * scale;
            if b.rng.chance(oc.chronic_share) {
                r *= oc.chronic_multiplier;
                b.pop.persons[i].chronic = true;
            }
            b.pop.persons[i].risk = r.min(oc.max_risk) as f32;
        }
    }

    // Exes and dating partners beyond the households.
    let count = b.pop.persons.len() as u32;
    let mut has_partner = vec![false; count as usize];
    for pt in &b.pop.partnerships {
        if pt.end == Date(i32::MAX) {
            has_partner[pt.a as usize] = true;
            has_partner[pt.b as usize] = true;
        }
    }
    for a in 0..count {
        let age = b.age_at_reference(a);
        if !(18.0..=60.0).contains(&age) {
            continue;
        }
        let (sex, hh, risky) = {
            let p = &b.pop.persons[a as usize];
            (p.sex, p.household, p.risk > 0.0)
        };
        let other_sex = if b.rng.chance(0.04) {
            sex
        } else if sex == Sex::Male {
            Sex::Female
        } else {
            Sex::Male
        };
        let p_ex = if risky { oc.ex_share_offenders } else { 0.2 };
        if b.rng.chance(p_ex) {
            if let Some(o) = b.random_adult(other_sex, age, hh) {
                let end = reference.add_days(-b.rng.range(30, 5 * 365));
                let start = end.add_days(-b.rng.range(90, 6 * 365));
                let kind = if b.rng.chance(0.25) {
                    PartnerKind::Married
                } else {
                    PartnerKind::Dating
                };
                let child = b.rng.chance(0.25);
                b.partnership(a, o, kind, start, end, child);
            }
        }
        // Dating partners for people living without one.
        let p_date = if risky { 0.45 } else { 0.2 };
        if !has_partner[a as usize] && age < 50.0 && b.rng.chance(p_date) {
            if let Some(o) = b.random_adult(other_sex, age, hh) {
                if !has_partner[o as usize] {
                    let start = reference.add_days(-b.rng.range(30, 3 * 365));
                    b.partnership(a, o, PartnerKind::Dating, start, Date(i32::MAX), false);
                    has_partner[a as usize] = true;
                    has_partner[o as usize] = true;
                }
            }
        }
    }
    if !progress(0.30) {
        return None;
    }

    // Separations during the years simulated, moves, and new partners after them.
    let mut moves: Vec<(u32, Date, u32)> = Vec::new();
    let n_part = b.pop.partnerships.len();
    for i in 0..n_part {
        let pt = b.pop.partnerships[i];
        if pt.end != Date(i32::MAX) {
            continue;
        }
        let risk = b.pop.persons[pt.a as usize].risk.max(b.pop.persons[pt.b as usize].risk) as f64;
        let base = match pt.kind {
            PartnerKind::Married => 0.04,
            PartnerKind::Cohabiting => 0.10,
            PartnerKind::Dating => 0.30,
        };
        let rate = base * (1.0 + 0.6 * risk.min(4.0)) / 365.25;
        let from = pt.start.max(reference.add_days(-365 * cfg.burn_in_years as i32));
        let end = from.add_days(b.rng.exponential(rate) as i32);
        if end < end_all {
            b.pop.partnerships[i].end = end;
            if pt.kind != PartnerKind::Dating {
                // One of them moves out.
                let mover = if b.rng.chance(0.7) {
                    if b.pop.persons[pt.a as usize].sex == Sex::Male {
                        pt.a
                    } else {
                        pt.b
                    }
                } else if b.rng.chance(0.5) {
                    pt.a
                } else {
                    pt.b
                };
                let addr = b.new_address(None);
                moves.push((mover, end.add_days(b.rng.range(0, 20)), addr));
            }
            // A new partner for one of them.
            for who in [pt.a, pt.b] {
                if b.rng.chance(0.45) {
                    let (sex, hh) = {
                        let p = &b.pop.persons[who as usize];
                        (if p.sex == Sex::Male { Sex::Female } else { Sex::Male }, p.household)
                    };
                    let age = b.age_at_reference(who);
                    if let Some(o) = b.random_adult(sex, age, hh) {
                        let start = end.add_days(b.rng.range(20, 400));
                        b.partnership(who, o, PartnerKind::Dating, start, Date(i32::MAX), false);
                    }
                }
            }
        }
    }
    // Other moves: about 6% of adults a year.
    let span_days = end_all
        .days_since(reference.add_days(-365 * cfg.burn_in_years as i32))
        .max(1);
    let expected = (count as f64) * 0.06 * span_days as f64 / 365.25 * 0.5;
    for _ in 0..expected as usize {
        let who = b.rng.below(count as usize) as u32;
        if b.age_at_reference(who) < 18.0 {
            continue;
        }
        let date = reference.add_days(-365 * cfg.burn_in_years as i32 + b.rng.range(0, span_days));
        let addr = b.new_address(None);
        moves.push((who, date, addr));
    }
    moves.sort_unstable_by_key(|&(p, d, _)| (p, d));
    b.pop.moves = moves;

    let np = b.pop.persons.len();
    b.pop.partners_of = Csr::build(np, &b.edges_partner);
    let mut child_edges: Vec<(u32, u32)> = Vec::new();
    for (i, p) in b.pop.persons.iter().enumerate() {
        if p.mother != NONE {
            child_edges.push((p.mother, i as u32));
        }
        if p.father != NONE {
            child_edges.push((p.father, i as u32));
        }
    }
    b.pop.children_of = Csr::build(np, &child_edges);
    if !progress(0.35) {
        return None;
    }
    Some(b.pop)
}

impl Population {
    /// The address a person lives at on `t`.
    pub fn address_at(&self, p: u32, t: Date) -> u32 {
        let start = self.moves.partition_point(|&(q, _, _)| q < p);
        let mut addr = self.households[self.persons[p as usize].household as usize].address;
        for &(q, d, a) in &self.moves[start..] {
            if q != p || d > t {
                break;
            }
            addr = a;
        }
        addr
    }

    /// A previous address of a person before `t`, if they moved.
    pub fn previous_address(&self, p: u32, t: Date) -> Option<u32> {
        let start = self.moves.partition_point(|&(q, _, _)| q < p);
        let mut prev = None;
        let mut addr = self.households[self.persons[p as usize].household as usize].address;
        for &(q, d, a) in &self.moves[start..] {
            if q != p || d > t {
                break;
            }
            prev = Some(addr);
            addr = a;
        }
        prev
    }

    /// Age in whole years on `t`.
    pub fn age_on(&self, p: u32, t: Date) -> i32 {
        let (y1, m1, d1) = self.persons[p as usize].dob.ymd();
        let (y2, m2, d2) = t.ymd();
        let mut a = y2 - y1;
        if (m2, d2) < (m1, d1) {
            a -= 1;
        }
        a
    }

    /// Whether the person is among the chronic offenders.
    pub fn chronic(&self, p: u32) -> bool {
        self.persons[p as usize].chronic
    }

    /// Surname in use on `t` (married name once married).
    pub fn surname_on(&self, p: u32) -> (u16, Option<u16>) {
        let pp = &self.persons[p as usize];
        if pp.married_last != NO_NAME {
            (pp.married_last, Some(pp.last))
        } else {
            (pp.last, None)
        }
    }

    /// Street name text and suffix index of a street.
    pub fn street(&self, street: u16) -> (&str, usize) {
        let s = self
            .streets
            .get(street as usize)
            .map(String::as_str)
            .unwrap_or("MAIN|0");
        let (name, suf) = s.split_once('|').unwrap_or((s, "0"));
        (name, suf.parse().unwrap_or(0))
    }
}
