//! Relationship texts and narratives on their own, without a whole jurisdiction: the officers'
//! writing of [`super::narrative`] for randomly drawn pairs, from a seed. For the text
//! classifier's throughput benchmarks (`ipvi bench-text`, the browser's `ipvi_bench("text")`),
//! which must classify the same strings natively and in wasm32.

use super::careers::{Outcome, Rel};
use super::narrative::{self, Story};
use super::population::Sex;
use super::rng::{pick_weighted, Rng};
use super::{NoiseConfig, OffenseKind};
use crate::model::RelClass;

/// Generated texts with the relationship class they were written from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleTexts {
    /// Free-text relationships as officers write them (`B/F`, `EX-WIFE`, `novia`...); some empty.
    pub relationships: Vec<String>,
    /// Incident narratives in the generator's officer styles.
    pub narratives: Vec<String>,
    /// The true class of each narrative's pair (and of the relationship text at the same index).
    pub classes: Vec<RelClass>,
}

/// Relationships drawn with roughly the mix of a police extract: partners and family first.
const RELS: [(f64, Rel); 16] = [
    (0.14, Rel::Spouse),
    (0.05, Rel::CommonLaw),
    (0.16, Rel::Dating),
    (0.05, Rel::ExSpouse),
    (0.1, Rel::ExDating),
    (0.06, Rel::Parent),
    (0.07, Rel::Child),
    (0.06, Rel::Sibling),
    (0.02, Rel::InLaw),
    (0.02, Rel::StepChild),
    (0.02, Rel::PartnersChild),
    (0.02, Rel::ParentsPartner),
    (0.07, Rel::Acquaintance),
    (0.04, Rel::Friend),
    (0.04, Rel::ExsNewPartner),
    (0.08, Rel::Stranger),
];

const CRIMES: [OffenseKind; 6] = [
    OffenseKind::SimpleAssault,
    OffenseKind::AggravatedAssault,
    OffenseKind::Strangulation,
    OffenseKind::Intimidation,
    OffenseKind::Vandalism,
    OffenseKind::OrderViolation,
];

/// `n` relationship texts and `n` narratives from `seed` (the same strings on every platform).
pub fn sample_texts(n: usize, seed: u64) -> SampleTexts {
    let mut rng = Rng::new(seed, 0x7e47);
    let noise = NoiseConfig::default();
    let mut out = SampleTexts {
        relationships: Vec::with_capacity(n),
        narratives: Vec::with_capacity(n),
        classes: Vec::with_capacity(n),
    };
    let mut offenses = [OffenseKind::SimpleAssault];
    for i in 0..n {
        let rel = pick_weighted(&mut rng, &RELS);
        let victim_sex = if rng.chance(0.75) { Sex::Female } else { Sex::Male };
        let offender_sex = if rng.chance(0.9) {
            match victim_sex {
                Sex::Female => Sex::Male,
                Sex::Male => Sex::Female,
            }
        } else {
            victim_sex
        };
        let spanish = rng.chance(0.12);
        let child = rng.chance(0.2);
        let year = 2019 + (i % 6) as i32;
        let (_, text) = narrative::relationship(rel, child, victim_sex, offender_sex, spanish, year, &noise, &mut rng);
        let outcome = pick_weighted(
            &mut rng,
            &[
                (0.15, Outcome::CallOnly),
                (0.25, Outcome::ReportNoCrime),
                (0.6, Outcome::Crime),
            ],
        );
        offenses[0] = *rng.pick(&CRIMES);
        let weapon = if offenses[0] == OffenseKind::Strangulation {
            "40"
        } else {
            pick_weighted(&mut rng, &[(0.7, "99"), (0.2, "40"), (0.1, "12")])
        };
        let injury = pick_weighted(&mut rng, &[(0.5, "N"), (0.45, "M"), (0.05, "L")]);
        let date = format!("{:02}/{:02}/{year}", 1 + rng.below(12), 1 + rng.below(28));
        let address = format!("{} W MAIN ST", 100 + rng.below(900));
        let story = Story {
            outcome,
            rel,
            child,
            victim_sex,
            offender_sex,
            spanish,
            offenses: &offenses,
            weapon,
            injury,
            arrested: outcome == Outcome::Crime && rng.chance(0.4),
            order_in_force: rng.chance(0.05),
            victim_name: "JANE DOE",
            offender_name: "JOHN ROE",
            address: &address,
            date: &date,
            hour: rng.below(24) as u8,
            has_victim: true,
        };
        out.narratives.push(narrative::narrative(&story, &mut rng));
        out.relationships.push(text);
        out.classes.push(rel.class());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_texts_are_deterministic_and_varied() {
        let a = sample_texts(300, 7);
        assert_eq!(a, sample_texts(300, 7));
        assert_ne!(a.narratives, sample_texts(300, 8).narratives);
        assert_eq!(a.narratives.len(), 300);
        assert_eq!(a.relationships.len(), 300);
        let distinct: std::collections::HashSet<&String> = a.narratives.iter().collect();
        assert!(distinct.len() > 250, "{}", distinct.len());
        assert!(a.classes.contains(&RelClass::IntimatePartner) && a.classes.contains(&RelClass::OtherFamily));
        assert!(a.relationships.iter().any(|t| !t.is_empty()));
    }
}
