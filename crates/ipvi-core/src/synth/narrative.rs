//! How officers write relationships and incidents down: the NIBRS relationship code as
//! recorded (sometimes missing, `RU`, or a slip), the free text ("B/F", "EX-BF", "X-WIFE",
//! "baby mother", "novia", "mother's boyfriend"...), and short narratives in several distinct
//! officer styles (terse capitals, first-person formal, abbreviation-heavy, with Spanish terms),
//! mentioning the relationship in different ways, sometimes with a negation or a third party.

use super::careers::{Outcome, Rel};
use super::population::Sex;
use super::rng::{pick_weighted, Rng};
use super::{NoiseConfig, OffenseKind};

/// The code an officer records for the victim's relation to the offender (before noise).
fn true_code(rel: Rel, same_sex: bool, year: i32, rng: &mut Rng) -> &'static str {
    use Rel::*;
    match rel {
        Spouse => "SE",
        CommonLaw => pick_weighted(rng, &[(0.55, "CS"), (0.45, "BG")]),
        Dating => {
            if same_sex && rng.chance(0.3) {
                "HR"
            } else {
                "BG"
            }
        }
        ExSpouse => pick_weighted(rng, &[(0.85, "XS"), (0.15, "XR")]),
        ExDating => pick_weighted(rng, &[(0.6, "XR"), (0.2, "BG"), (0.12, "OK"), (0.08, "AQ")]),
        Parent => "PA",
        Child => "CH",
        Sibling => "SB",
        Grandparent => "GP",
        Grandchild => "GC",
        InLaw => "IL",
        StepParent => "SP",
        StepChild => "SC",
        PartnersChild => pick_weighted(rng, &[(0.6, "CF"), (0.2, "OF"), (0.2, "OK")]),
        ParentsPartner => pick_weighted(rng, &[(0.5, "OK"), (0.3, "OF"), (0.2, "SP")]),
        Acquaintance => "AQ",
        Friend => "FR",
        Neighbor => "NE",
        Roommate => {
            if year >= 2023 && rng.chance(0.4) {
                "CO"
            } else {
                pick_weighted(rng, &[(0.6, "OK"), (0.4, "AQ")])
            }
        }
        ExsNewPartner => pick_weighted(rng, &[(0.6, "AQ"), (0.3, "OK"), (0.1, "ST")]),
        Stranger => "ST",
        NoVictim => "",
    }
}

const WRONG_CODES: [&str; 8] = ["AQ", "OK", "FR", "BG", "PA", "SB", "ST", "OF"];

/// The recorded code and free text of a pair: `(code, text)`.
#[allow(clippy::too_many_arguments)]
pub fn relationship(
    rel: Rel,
    child: bool,
    victim_sex: Sex,
    offender_sex: Sex,
    spanish: bool,
    year: i32,
    noise: &NoiseConfig,
    rng: &mut Rng,
) -> (&'static str, String) {
    let same_sex = victim_sex == offender_sex;
    let r = rng.f64();
    let code = if r < noise.relationship_missing {
        ""
    } else if r < noise.relationship_missing + noise.relationship_unknown {
        "RU"
    } else if r < noise.relationship_missing + noise.relationship_unknown + noise.relationship_wrong {
        rng.pick_str(&WRONG_CODES)
    } else {
        true_code(rel, same_sex, year, rng)
    };
    let text = if rng.chance(noise.relationship_text_missing) {
        String::new()
    } else {
        let t = victim_text(
            rel,
            child,
            victim_sex,
            offender_sex,
            spanish && rng.chance(noise.spanish_terms),
            rng,
        );
        if rng.chance(0.1) {
            t.to_lowercase()
        } else {
            t.to_string()
        }
    };
    (code, text)
}

/// Free text for what the victim is to the offender, as officers write it.
fn victim_text(rel: Rel, child: bool, v: Sex, o: Sex, spanish: bool, rng: &mut Rng) -> &'static str {
    use Rel::*;
    let f = v == Sex::Female;
    let list: &[&str] = match rel {
        Spouse if spanish => {
            if f {
                &["ESPOSA"]
            } else {
                &["ESPOSO"]
            }
        }
        Spouse => {
            if f {
                &["WIFE", "SPOUSE", "WIFE", "MARRIED - WIFE", "SPOUSE/WIFE"]
            } else {
                &["HUSBAND", "SPOUSE", "HUSBAND", "HUSB"]
            }
        }
        CommonLaw if child => {
            if f {
                &[
                    "BABY MOTHER",
                    "CHILD IN COMMON",
                    "LIVE-IN GF/CHILD IN COMMON",
                    "BM",
                    "MOTHER OF HIS CHILD",
                ]
            } else {
                &[
                    "BABY DADDY",
                    "CHILD IN COMMON",
                    "FATHER OF HER CHILD",
                    "LIVE IN BF",
                    "CHILDS FATHER",
                ]
            }
        }
        CommonLaw => {
            if f {
                &[
                    "LIVE-IN GF",
                    "COMMON LAW WIFE",
                    "COHABITANT - GIRLFRIEND",
                    "GIRLFRIEND",
                    "LIVE IN GIRLFRIEND",
                ]
            } else {
                &[
                    "LIVE-IN BF",
                    "COMMON LAW HUSBAND",
                    "BOYFRIEND (LIVES W/ V)",
                    "BOYFRIEND",
                    "COMMON-LAW",
                ]
            }
        }
        Dating if spanish => {
            if f {
                &["NOVIA"]
            } else {
                &["NOVIO"]
            }
        }
        Dating if same_sex_text(v, o) => &["PARTNER", "SAME SEX PARTNER", "DATING", "SIGNIFICANT OTHER"],
        Dating => {
            if f {
                &[
                    "GF",
                    "GIRLFRIEND",
                    "G/F",
                    "DATING",
                    "GIRL FRIEND",
                    "FIANCEE",
                    "GIRLFRIEND",
                ]
            } else {
                &["BF", "B/F", "BOYFRIEND", "BOY FRIEND", "FIANCE", "BOYFRIEND", "DATING"]
            }
        }
        ExSpouse if spanish => {
            if f {
                &["EX-ESPOSA"]
            } else {
                &["EX ESPOSO"]
            }
        }
        ExSpouse => {
            if f {
                &["EX-WIFE", "X-WIFE", "FMR SPOUSE", "EX WIFE", "DIVORCED", "FORMER WIFE"]
            } else {
                &["EX-HUSBAND", "X-HUSBAND", "FMR SPOUSE", "EX HUSBAND", "DIVORCED"]
            }
        }
        ExDating if child => {
            if f {
                &[
                    "BABY MOTHER",
                    "BABY MAMA",
                    "CHILD'S MOTHER",
                    "CHILD IN COMMON",
                    "MOTHER OF CHILD",
                    "EX-GF/CHILD IN COMMON",
                ]
            } else {
                &[
                    "BABY DADDY",
                    "CHILD'S FATHER",
                    "CHILD IN COMMON",
                    "FATHER OF CHILD",
                    "EX BF - CHILD IN COMMON",
                ]
            }
        }
        ExDating if spanish => {
            if f {
                &["EX-NOVIA", "EX NOVIA"]
            } else {
                &["EX-NOVIO", "EX NOVIO"]
            }
        }
        ExDating => {
            if f {
                &[
                    "EX-GF",
                    "EX GIRLFRIEND",
                    "X-GF",
                    "FORMER GF",
                    "EX-GIRLFRIEND",
                    "PREVIOUSLY DATED",
                    "EX",
                ]
            } else {
                &[
                    "EX-BF",
                    "EX BOYFRIEND",
                    "X-BF",
                    "FMR BF",
                    "EX-BOYFRIEND",
                    "FORMER BOYFRIEND",
                    "EX",
                ]
            }
        }
        Parent if spanish => {
            if f {
                &["MADRE"]
            } else {
                &["PADRE"]
            }
        }
        Parent => {
            if f {
                &["MOTHER", "MOM", "MOTHER", "PARENT"]
            } else {
                &["FATHER", "DAD", "FATHER", "PARENT"]
            }
        }
        Child if spanish => {
            if f {
                &["HIJA"]
            } else {
                &["HIJO"]
            }
        }
        Child => {
            if f {
                &["DAUGHTER", "DAU", "DAUGHTER", "CHILD"]
            } else {
                &["SON", "SON", "CHILD"]
            }
        }
        Sibling if spanish => {
            if f {
                &["HERMANA"]
            } else {
                &["HERMANO"]
            }
        }
        Sibling => {
            if f {
                &["SISTER", "SIS", "SISTER", "SIBLING"]
            } else {
                &["BROTHER", "BRO", "BROTHER", "SIBLING"]
            }
        }
        Grandparent => {
            if f {
                &["GRANDMOTHER", "GRANDMA", "ABUELA"]
            } else {
                &["GRANDFATHER", "GRANDPA", "ABUELO"]
            }
        }
        Grandchild => {
            if f {
                &["GRANDDAUGHTER", "GRAND DAUGHTER"]
            } else {
                &["GRANDSON", "GRAND SON"]
            }
        }
        InLaw => {
            if f {
                if spanish {
                    &["SUEGRA"]
                } else {
                    &["MOTHER-IN-LAW", "MIL", "MOTHER IN LAW", "SISTER-IN-LAW"]
                }
            } else if spanish {
                &["SUEGRO"]
            } else {
                &["FATHER-IN-LAW", "FATHER IN LAW", "BROTHER IN LAW"]
            }
        }
        StepParent => {
            if f {
                &["STEPMOTHER", "STEP-MOM", "STEP MOTHER"]
            } else {
                &["STEPFATHER", "STEP-DAD", "STEP FATHER"]
            }
        }
        StepChild => {
            if f {
                &["STEPDAUGHTER", "STEP-DAUGHTER", "STEP DAUGHTER"]
            } else {
                &["STEPSON", "STEP SON", "STEP-SON"]
            }
        }
        PartnersChild => match (o, f) {
            (Sex::Male, true) => &["GIRLFRIEND'S DAUGHTER", "GF'S DAUGHTER", "PARTNER'S CHILD"],
            (Sex::Male, false) => &["GIRLFRIEND'S SON", "GF'S SON", "GIRLFRIENDS SON", "PARTNER'S CHILD"],
            (Sex::Female, true) => &["BOYFRIEND'S DAUGHTER", "BF'S DAUGHTER"],
            (Sex::Female, false) => &["BOYFRIEND'S SON", "BF'S SON", "BOYFRIENDS SON"],
        },
        ParentsPartner => {
            if f {
                &["FATHER'S GIRLFRIEND", "DAD'S GF", "FATHERS GIRLFRIEND"]
            } else {
                &[
                    "MOTHER'S BOYFRIEND",
                    "MOMS BF",
                    "MOTHERS BOYFRIEND",
                    "MOTHER'S BOYFRIEND",
                ]
            }
        }
        Acquaintance => &["ACQUAINTANCE", "ACQ", "KNOWS", "ACQUAINTED"],
        Friend => {
            if spanish {
                &["AMIGO", "FRIEND"]
            } else {
                &["FRIEND", "FRIENDS", "FRIEND"]
            }
        }
        Neighbor => &["NEIGHBOR", "NEIGHBOUR", "NEXT DOOR NEIGHBOR"],
        Roommate => &[
            "ROOMMATE",
            "ROOM MATE",
            "RESIDES TOGETHER - NOT DATING",
            "ROOMMATE (NOT IN RELATIONSHIP)",
        ],
        ExsNewPartner => {
            if f {
                &["EX-BF'S NEW GF", "EX BOYFRIENDS NEW GIRLFRIEND", "ACQUAINTANCE"]
            } else {
                &["EX-GF'S NEW BF", "EX GIRLFRIENDS NEW BOYFRIEND", "ACQUAINTANCE"]
            }
        }
        Stranger => &["STRANGER", "UNKNOWN TO VICTIM", "STRANGER", "NONE"],
        NoVictim => &[""],
    };
    list[rng.below(list.len())]
}

fn same_sex_text(v: Sex, o: Sex) -> bool {
    v == o
}

/// How the victim names the offender in a narrative ("her boyfriend", "his mother's boyfriend").
fn offender_phrase(rel: Rel, child: bool, v: Sex, o: Sex, spanish: bool, rng: &mut Rng) -> String {
    use Rel::*;
    let m = o == Sex::Male;
    let poss = if v == Sex::Female { "her" } else { "his" };
    let word: &str = match rel {
        Spouse if spanish => {
            if m {
                "esposo"
            } else {
                "esposa"
            }
        }
        Spouse => rng.pick_str(if m {
            &["husband", "husband", "spouse"][..]
        } else {
            &["wife", "wife", "spouse"][..]
        }),
        CommonLaw if child => {
            if m {
                "live-in boyfriend and the father of her child"
            } else {
                "live-in girlfriend, the mother of his children,"
            }
        }
        CommonLaw => rng.pick_str(if m {
            &[
                "live-in boyfriend",
                "boyfriend, who lives with her,",
                "common law husband",
            ][..]
        } else {
            &[
                "live-in girlfriend",
                "girlfriend, who lives with him,",
                "common law wife",
            ][..]
        }),
        Dating if spanish => {
            if m {
                "novio"
            } else {
                "novia"
            }
        }
        Dating if v == o => rng.pick_str(&["partner", "girlfriend", "boyfriend", "significant other"]),
        Dating => rng.pick_str(if m {
            &["boyfriend", "boyfriend of two years", "b/f", "fiance", "boyfriend"][..]
        } else {
            &["girlfriend", "g/f", "girlfriend of six months", "fiancee", "girlfriend"][..]
        }),
        ExSpouse => rng.pick_str(if m {
            &["ex-husband", "estranged husband", "former husband", "ex husband"][..]
        } else {
            &["ex-wife", "estranged wife", "former wife", "ex wife"][..]
        }),
        ExDating if child => rng.pick_str(if m {
            &[
                "child's father",
                "ex-boyfriend, the father of her son,",
                "baby daddy",
                "ex-boyfriend with whom she shares a child",
            ][..]
        } else {
            &[
                "child's mother",
                "ex-girlfriend, the mother of his daughter,",
                "baby mother",
                "ex-girlfriend with whom he has a child",
            ][..]
        }),
        ExDating if spanish => {
            if m {
                "ex-novio"
            } else {
                "ex-novia"
            }
        }
        ExDating => rng.pick_str(if m {
            &["ex-boyfriend", "ex boyfriend", "former boyfriend", "ex-bf", "ex"][..]
        } else {
            &["ex-girlfriend", "ex girlfriend", "former girlfriend", "ex-gf", "ex"][..]
        }),
        Parent if spanish => {
            if m {
                "hijo"
            } else {
                "hija"
            }
        }
        Parent => {
            if m {
                "son"
            } else {
                "daughter"
            }
        }
        Child => {
            if m {
                "father"
            } else {
                "mother"
            }
        }
        Sibling => {
            if m {
                "brother"
            } else {
                "sister"
            }
        }
        Grandparent => {
            if m {
                "grandson"
            } else {
                "granddaughter"
            }
        }
        Grandchild => {
            if m {
                "grandfather"
            } else {
                "grandmother"
            }
        }
        InLaw => {
            if m {
                "son-in-law"
            } else {
                "daughter-in-law"
            }
        }
        StepParent => {
            if m {
                "stepson"
            } else {
                "stepdaughter"
            }
        }
        StepChild => {
            if m {
                "stepfather"
            } else {
                "stepmother"
            }
        }
        PartnersChild => {
            if m {
                "mother's boyfriend"
            } else {
                "father's girlfriend"
            }
        }
        ParentsPartner => {
            if m {
                "girlfriend's son"
            } else {
                "boyfriend's daughter"
            }
        }
        Acquaintance => "acquaintance",
        Friend => "friend",
        Neighbor => "neighbor",
        Roommate => "roommate",
        ExsNewPartner => {
            if m {
                if v == Sex::Female {
                    "boyfriend's ex"
                } else {
                    "girlfriend's ex-boyfriend"
                }
            } else if v == Sex::Male {
                "girlfriend's ex"
            } else {
                "boyfriend's ex-girlfriend"
            }
        }
        Stranger | NoVictim => return "an unknown subject".to_string(),
    };
    format!("{poss} {word}")
}

/// Everything a narrative may mention.
pub struct Story<'a> {
    pub outcome: Outcome,
    pub rel: Rel,
    pub child: bool,
    pub victim_sex: Sex,
    pub offender_sex: Sex,
    pub spanish: bool,
    pub offenses: &'a [OffenseKind],
    pub weapon: &'static str,
    pub injury: &'static str,
    pub arrested: bool,
    pub order_in_force: bool,
    pub victim_name: &'a str,
    pub offender_name: &'a str,
    pub address: &'a str,
    pub date: &'a str,
    pub hour: u8,
    pub has_victim: bool,
}

fn action(k: Option<OffenseKind>, weapon: &str, rng: &mut Rng) -> &'static str {
    use OffenseKind::*;
    match k {
        None => rng.pick_str(&[
            "got into a verbal argument with {o}",
            "was yelling at {o} over money",
            "argued with {o} about the kids",
            "would not leave when asked",
        ]),
        Some(SimpleAssault) => rng.pick_str(&[
            "pushed {o} to the ground",
            "slapped {o} in the face",
            "grabbed {o} by the arm and shoved {o} into a wall",
            "punched {o} in the chest",
            "pulled {o} by the hair",
            "struck {o} with a closed fist",
        ]),
        Some(AggravatedAssault) => match weapon {
            "11" | "12" => rng.pick_str(&[
                "pointed a handgun at {o}",
                "pistol-whipped {o}",
                "fired a gun toward {o}",
            ]),
            "20" => rng.pick_str(&[
                "cut {o} with a kitchen knife",
                "stabbed {o} in the arm",
                "came at {o} with a knife",
            ]),
            "30" => rng.pick_str(&["struck {o} with a baseball bat", "hit {o} with a metal pipe"]),
            "35" => "tried to run {o} over with a car",
            _ => rng.pick_str(&[
                "beat {o} repeatedly, causing serious injury",
                "kicked {o} in the head several times",
            ]),
        },
        Some(Strangulation) => rng.pick_str(&[
            "choked {o} with both hands",
            "put {o} in a chokehold",
            "strangled {o} until {s} could not breathe",
            "squeezed {p} neck",
        ]),
        Some(Intimidation) => rng.pick_str(&[
            "threatened to kill {o}",
            "sent {o} threatening text messages",
            "said he would burn the house down with {o} in it",
        ]),
        Some(Vandalism) => rng.pick_str(&[
            "broke {p} phone",
            "kicked in the bedroom door",
            "smashed the TV",
            "keyed {p} car",
        ]),
        Some(Larceny) | Some(Shoplifting) => rng.pick_str(&["took {p} car keys and wallet", "took {p} phone and left"]),
        Some(Burglary) => "forced entry into {p} residence",
        Some(Rape) => "sexually assaulted {o}",
        Some(Kidnapping) => rng.pick_str(&[
            "would not let {o} leave the residence",
            "forced {o} into a vehicle and drove off",
        ]),
        Some(Murder) => "fatally assaulted {o}",
        Some(OrderViolation) => rng.pick_str(&[
            "came to {p} residence in violation of a protective order",
            "contacted {o} repeatedly despite an active 50B order",
        ]),
        Some(Robbery) => "took {p} property by force",
        Some(_) => "was involved",
    }
}

fn fill(t: &str, victim_sex: Sex) -> String {
    let (o, p, s) = if victim_sex == Sex::Female {
        ("her", "her", "she")
    } else {
        ("him", "his", "he")
    };
    t.replace("{o}", o).replace("{p}", p).replace("{s}", s)
}

fn injury_text(code: &str, rng: &mut Rng) -> &'static str {
    match code {
        "" | "N" => rng.pick_str(&["No visible injuries.", "No injuries observed.", "V declined EMS."]),
        "M" => rng.pick_str(&[
            "Redness to the left cheek.",
            "Minor scratches on both arms.",
            "Swelling under the right eye.",
        ]),
        "B" => "Apparent broken bone, transported by EMS.",
        "L" => "Severe laceration, treated by EMS.",
        "T" => "Loss of teeth.",
        "U" => "V lost consciousness.",
        _ => "Injuries requiring treatment at the hospital.",
    }
}

/// A short narrative in one of several officer styles.
pub fn narrative(st: &Story<'_>, rng: &mut Rng) -> String {
    let domestic = st.rel.domestic();
    if !domestic {
        return other_narrative(st, rng);
    }
    let top = if st.outcome == Outcome::Crime {
        st.offenses.first().copied()
    } else {
        None
    };
    let rel_phrase = offender_phrase(st.rel, st.child, st.victim_sex, st.offender_sex, st.spanish, rng);
    let act = fill(action(top, st.weapon, rng), st.victim_sex);
    let inj = injury_text(st.injury, rng);
    let style = if st.spanish && rng.chance(0.5) { 3 } else { rng.below(3) };
    let extra = extra_sentence(st, rng);
    let hhmm = format!("{:02}{:02}", st.hour, (rng.below(12) * 5));
    let outcome = if st.arrested {
        rng.pick_str(&[
            "S was arrested and transported to the detention center.",
            "S placed under arrest.",
            "S arrested on scene.",
        ])
    } else if st.outcome == Outcome::Crime {
        rng.pick_str(&[
            "S left prior to arrival.",
            "V advised of warrant procedures.",
            "Case referred to DV unit.",
            "S GOA.",
        ])
    } else {
        rng.pick_str(&[
            "Parties separated for the night.",
            "No crime occurred.",
            "Advised both parties.",
            "Verbal only.",
        ])
    };
    let order = if st.order_in_force {
        " V has an active protective order against S."
    } else {
        ""
    };
    let text = match style {
        0 => format!(
            "RO RESP TO {addr} REF DOMESTIC. V {vn} STATED {rel} {on} {act}. {inj}{order} {extra}{outcome}",
            addr = st.address,
            vn = st.victim_name,
            rel = rel_phrase,
            on = st.offender_name,
            act = act,
        )
        .to_uppercase(),
        1 => format!(
            "On {date} at approximately {hhmm} hours I responded to {addr} in reference to a domestic disturbance. \
             Upon arrival I made contact with {vn}, who stated that {rel}, {on}, {act}. {inj}{order} {extra}{outcome}",
            date = st.date,
            addr = st.address,
            vn = st.victim_name,
            rel = rel_phrase,
            on = st.offender_name,
        ),
        2 => {
            let abbr = rel_phrase.replace("boyfriend", "BF").replace("girlfriend", "GF").replace("husband", "husb");
            format!(
                "R/O disp to {addr} ref DV. Cont'd V ({vn}) who adv'd {abbr} (S1 {on}) {act}. {inj}{order} {extra}{outcome}",
                addr = st.address,
                vn = st.victim_name,
                on = st.offender_name,
                act = act.replace(" with ", " w/ ").replace(" and ", " & "),
            )
        }
        _ => format!(
            "V {vn} (SPANISH SPEAKING, TRANSLATED VIA LANGUAGE LINE) STATED THAT {rel} {on} {act}. {inj}{order} {extra}{outcome}",
            vn = st.victim_name,
            rel = rel_phrase,
            on = st.offender_name,
        )
        .to_uppercase(),
    };
    text.trim().to_string()
}

/// Sometimes a negation, a third party or a clarification.
fn extra_sentence(st: &Story<'_>, rng: &mut Rng) -> &'static str {
    use Rel::*;
    if !rng.chance(0.3) {
        return "";
    }
    match st.rel {
        ExDating | ExSpouse => rng.pick_str(&[
            "V stated they are no longer together. ",
            "V and S broke up two months ago. ",
            "S's new girlfriend was also at the residence. ",
        ]),
        Dating | CommonLaw => rng.pick_str(&[
            "They have been together about a year. ",
            "V stated she is not married to S. ",
        ]),
        Spouse => "V stated they are still married but not separated. ",
        Parent | Child | Sibling => rng.pick_str(&[
            "V's boyfriend was not present. ",
            "No intimate relationship between the parties. ",
            "S lives at the residence with V. ",
        ]),
        _ => "",
    }
}

fn other_narrative(st: &Story<'_>, rng: &mut Rng) -> String {
    let top = st.offenses.first().copied();
    let who = if st.has_victim {
        match st.rel {
            Rel::Roommate => format!(
                "V {} stated that S {}, {}. V and S are not in a relationship; they are roommates.",
                st.victim_name,
                st.offender_name,
                fill(action(top, st.weapon, rng), st.victim_sex)
            ),
            Rel::Stranger => format!(
                "V {} stated that an unknown {}, later identified as {}, {}.",
                st.victim_name,
                if st.offender_sex == Sex::Male { "male" } else { "female" },
                st.offender_name,
                fill(action(top, st.weapon, rng), st.victim_sex)
            ),
            Rel::ExsNewPartner => format!(
                "V {} stated that {}, {}, {}.",
                st.victim_name,
                offender_phrase(st.rel, false, st.victim_sex, st.offender_sex, false, rng),
                st.offender_name,
                fill(action(top, st.weapon, rng), st.victim_sex)
            ),
            _ => format!(
                "V {} stated that {} ({}) {}.",
                st.victim_name,
                offender_phrase(st.rel, false, st.victim_sex, st.offender_sex, false, rng),
                st.offender_name,
                fill(action(top, st.weapon, rng), st.victim_sex)
            ),
        }
    } else {
        match top {
            Some(OffenseKind::Drugs) => format!("Traffic stop. Located narcotics on {}.", st.offender_name),
            Some(OffenseKind::Weapons) => format!("Located a concealed handgun on {}.", st.offender_name),
            Some(OffenseKind::Warrant) => format!("{} located and served with outstanding OFA.", st.offender_name),
            Some(OffenseKind::Shoplifting) | Some(OffenseKind::Larceny) => {
                format!(
                    "Store LP reported {} concealed merchandise and left without paying.",
                    st.offender_name
                )
            }
            _ => format!(
                "Complainant reported property damage; {} identified as suspect.",
                st.offender_name
            ),
        }
    };
    let end = if st.arrested { " Arrested." } else { " Report only." };
    let s = format!("RO responded to {}. {}{}", st.address, who, end);
    if rng.chance(0.4) {
        s.to_uppercase()
    } else {
        s
    }
}
