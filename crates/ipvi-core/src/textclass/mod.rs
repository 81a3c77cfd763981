//! Relationship classes from text: free-text relationship fields and incident narratives.
//!
//! Relationship codes are missing, "unknown" or "otherwise known" for 10–40% of domestic pairs,
//! and many records management systems keep the relationship as free text. This module reads
//! that text and says which [`RelClass`] it names, how sure it is, and which words it used.
//!
//! # Pipeline (the same for both kinds of text)
//! 1. **Normalise and tokenise** ([`lexicon`]): lower case, accents folded, `b/f` and `b.f.`
//!    joined to `bf`, `'s` kept as a possessive mark, `n't` turned into `not`, `exwife`,
//!    `stepson`, `motherinlaw` split; plurals and typos (one edit, long words) mapped to
//!    lexicon words.
//! 2. **Match phrases** from the lexicon data files (`data/text/*.tsv`, embedded in the build
//!    and editable as data): relation words (`relations.tsv`), modifiers such as `ex`, `step`,
//!    `in law` (`modifiers.tsv`), and cue words for the narrative (`cues.tsv`: participants,
//!    negation, hedges, verbs that state a couple, places).
//! 3. **Chain possessives** (`her ex-boyfriend's new girlfriend`, `father of her child`) and
//!    compose them with `compose.tsv` (a child's parent is a co-parent; a boyfriend's girlfriend
//!    is an acquaintance).
//! 4. **Attach** each relation to the participants (narratives: `her BF S1`, `S1 is V's son`,
//!    `V and S1 have been dating`), find negation (`not in a relationship`), former relations
//!    (`no longer dating`), hedges (`possibly dating`) and third parties (`her mother called`,
//!    `at her sister's house`).
//! 5. **Score** each piece of evidence (phrase weight × attachment × hedge) and keep the best
//!    class; a close runner-up of another class lowers the confidence.
//!
//! [`classify_relationship`] and [`classify_narrative`] use the built-in lexicon and the
//! default [`TextConfig`]; [`TextClassifier`] takes an edited lexicon or configuration.
//! [`combine::decide_pair`] joins a code, free text, a narrative and analyst overrides;
//! [`combine::decide_pair_full`] also weighs the incident's offences that name the relationship
//! ([`offense`], patterns as data in `data/text/offense_patterns.tsv`). [`incident`] gives every
//! incident a class, from its pairs or, with no pairs, from its offences and domestic flags.

pub mod combine;
pub mod eval;
pub mod incident;
pub mod lexicon;
pub mod narrative;
pub mod offense;
mod reading;
pub mod relationship;

use crate::model::{DecisionSource, RelClass};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use combine::{decide_pair, decide_pair_full, decide_pair_with, Override, Overrides, PairDecision, PairPolicy};
pub use incident::{IncidentClass, IncidentClasses};
pub use lexicon::{Lexicon, LexiconError};
pub use offense::{IncidentOffenses, OffenseClass, OffenseEvidence, OffenseMatch, OffensePatterns};

/// A specific relation, read as "the victim is the offender's …" when the text says which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Spouse,
    ExSpouse,
    /// Boyfriend, girlfriend, fiancé(e), partner, paramour (same-sex included).
    Partner,
    ExPartner,
    /// The two have a child in common.
    CoParent,
    Parent,
    Child,
    Sibling,
    Grandparent,
    Grandchild,
    ParentInLaw,
    ChildInLaw,
    SiblingInLaw,
    /// An in-law, side not stated.
    InLaw,
    StepParent,
    StepChild,
    StepSibling,
    AuntUncle,
    NieceNephew,
    Cousin,
    /// Family, degree not stated.
    Relative,
    /// The partner of a parent ("mother's boyfriend"): household, not blood family.
    ParentsPartner,
    /// The child of a partner ("girlfriend's son"): household, not blood family.
    PartnersChild,
    FosterParent,
    FosterChild,
    /// Roommate or other cohabitant who is not a partner.
    Roommate,
    /// Friend, neighbour, co-worker, employer and other people known to each other.
    Acquaintance,
    Stranger,
    Unknown,
}

impl Relation {
    /// Every relation.
    pub const ALL: [Relation; 29] = [
        Relation::Spouse,
        Relation::ExSpouse,
        Relation::Partner,
        Relation::ExPartner,
        Relation::CoParent,
        Relation::Parent,
        Relation::Child,
        Relation::Sibling,
        Relation::Grandparent,
        Relation::Grandchild,
        Relation::ParentInLaw,
        Relation::ChildInLaw,
        Relation::SiblingInLaw,
        Relation::InLaw,
        Relation::StepParent,
        Relation::StepChild,
        Relation::StepSibling,
        Relation::AuntUncle,
        Relation::NieceNephew,
        Relation::Cousin,
        Relation::Relative,
        Relation::ParentsPartner,
        Relation::PartnersChild,
        Relation::FosterParent,
        Relation::FosterChild,
        Relation::Roommate,
        Relation::Acquaintance,
        Relation::Stranger,
        Relation::Unknown,
    ];

    /// The snake_case name used in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Spouse => "spouse",
            Relation::ExSpouse => "ex_spouse",
            Relation::Partner => "partner",
            Relation::ExPartner => "ex_partner",
            Relation::CoParent => "co_parent",
            Relation::Parent => "parent",
            Relation::Child => "child",
            Relation::Sibling => "sibling",
            Relation::Grandparent => "grandparent",
            Relation::Grandchild => "grandchild",
            Relation::ParentInLaw => "parent_in_law",
            Relation::ChildInLaw => "child_in_law",
            Relation::SiblingInLaw => "sibling_in_law",
            Relation::InLaw => "in_law",
            Relation::StepParent => "step_parent",
            Relation::StepChild => "step_child",
            Relation::StepSibling => "step_sibling",
            Relation::AuntUncle => "aunt_uncle",
            Relation::NieceNephew => "niece_nephew",
            Relation::Cousin => "cousin",
            Relation::Relative => "relative",
            Relation::ParentsPartner => "parents_partner",
            Relation::PartnersChild => "partners_child",
            Relation::FosterParent => "foster_parent",
            Relation::FosterChild => "foster_child",
            Relation::Roommate => "roommate",
            Relation::Acquaintance => "acquaintance",
            Relation::Stranger => "stranger",
            Relation::Unknown => "unknown",
        }
    }

    /// Parse the snake_case name.
    pub fn parse(s: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The same relation seen from the other person ("parent" ↔ "child").
    pub fn inverse(self) -> Relation {
        match self {
            Relation::Parent => Relation::Child,
            Relation::Child => Relation::Parent,
            Relation::Grandparent => Relation::Grandchild,
            Relation::Grandchild => Relation::Grandparent,
            Relation::ParentInLaw => Relation::ChildInLaw,
            Relation::ChildInLaw => Relation::ParentInLaw,
            Relation::StepParent => Relation::StepChild,
            Relation::StepChild => Relation::StepParent,
            Relation::AuntUncle => Relation::NieceNephew,
            Relation::NieceNephew => Relation::AuntUncle,
            Relation::ParentsPartner => Relation::PartnersChild,
            Relation::PartnersChild => Relation::ParentsPartner,
            Relation::FosterParent => Relation::FosterChild,
            Relation::FosterChild => Relation::FosterParent,
            other => other,
        }
    }

    /// An intimate partner relation (High Point's definition).
    pub fn is_partner(self) -> bool {
        matches!(
            self,
            Relation::Spouse | Relation::ExSpouse | Relation::Partner | Relation::ExPartner | Relation::CoParent
        )
    }

    /// Blood, step or in-law family.
    pub fn is_family(self) -> bool {
        matches!(
            self,
            Relation::Parent
                | Relation::Child
                | Relation::Sibling
                | Relation::Grandparent
                | Relation::Grandchild
                | Relation::ParentInLaw
                | Relation::ChildInLaw
                | Relation::SiblingInLaw
                | Relation::InLaw
                | Relation::StepParent
                | Relation::StepChild
                | Relation::StepSibling
                | Relation::AuntUncle
                | Relation::NieceNephew
                | Relation::Cousin
                | Relation::Relative
        )
    }

    /// Household members who are neither partners nor family (class set by [`TextConfig`]).
    pub fn is_household(self) -> bool {
        matches!(
            self,
            Relation::ParentsPartner | Relation::PartnersChild | Relation::FosterParent | Relation::FosterChild
        )
    }

    /// The same relation after "ex", "former", "separated": spouse → ex-spouse, partner → ex-partner.
    pub fn former(self) -> Relation {
        match self {
            Relation::Spouse => Relation::ExSpouse,
            Relation::Partner => Relation::ExPartner,
            other => other,
        }
    }
}

/// Settings of the text classifier that are policy, not language: serde-serialisable defaults
/// an analyst can edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextConfig {
    /// The class of household members who are neither partners nor blood family: a parent's
    /// partner ("mother's boyfriend"), a partner's child ("girlfriend's son", NIBRS CF), foster
    /// parents and children. Default `other_family`, as the NIBRS default table files CF, FP and
    /// FC; set `known_non_family` to count only blood, step and in-law relations as family.
    pub household_class: RelClass,
    /// Factor applied to evidence under a hedge ("possibly dating", "described as a friend").
    pub hedge_factor: f32,
    /// Correct one-letter typos in relation words of at least this many letters in
    /// relationship fields ("girlfirend"); narratives use `fuzzy_min_len_narrative`.
    pub fuzzy_min_len: usize,
    /// The same for narratives, where more ordinary words sit near relation words.
    pub fuzzy_min_len_narrative: usize,
    /// Evidence weaker than this decides nothing: the class is `unknown` and the reason says
    /// what was seen ("her boyfriend's car", said of someone else's property).
    pub min_confidence: f32,
}

impl Default for TextConfig {
    fn default() -> Self {
        TextConfig {
            household_class: RelClass::OtherFamily,
            hedge_factor: 0.6,
            fuzzy_min_len: 5,
            fuzzy_min_len_narrative: 7,
            min_confidence: 0.2,
        }
    }
}

impl TextConfig {
    /// The class of a relation under this configuration.
    pub fn class_of(&self, r: Relation) -> RelClass {
        if r.is_partner() {
            RelClass::IntimatePartner
        } else if r.is_family() {
            RelClass::OtherFamily
        } else if r.is_household() {
            self.household_class
        } else {
            match r {
                Relation::Stranger => RelClass::Stranger,
                Relation::Unknown => RelClass::Unknown,
                _ => RelClass::KnownNonFamily,
            }
        }
    }
}

/// One classification of one text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub class: RelClass,
    /// 0 (nothing found) to 1.
    pub confidence: f32,
    /// `free_text` or `narrative`.
    pub source: DecisionSource,
    /// The matched words, e.g. `"ex bf" → ex_partner; attached to "s1"`.
    pub reason: String,
    /// The victim's relation to the offender when the text says which way ("victim is the
    /// offender's mother" → `parent`); `None` when it does not.
    pub direction: Option<Relation>,
}

impl Decision {
    /// Turn a decision weaker than `min` into `unknown`, keeping what was seen in the reason.
    pub(crate) fn floor(self, min: f32) -> Decision {
        if self.class != RelClass::Unknown && self.confidence < min {
            Decision {
                class: RelClass::Unknown,
                confidence: 0.0,
                reason: format!("too weak ({:.2}): {}", self.confidence, self.reason),
                direction: None,
                ..self
            }
        } else {
            self
        }
    }

    /// Nothing usable in the text.
    pub fn nothing(source: DecisionSource, reason: &str) -> Decision {
        Decision {
            class: RelClass::Unknown,
            confidence: 0.0,
            source,
            reason: reason.to_string(),
            direction: None,
        }
    }
}

/// A lexicon and a configuration: the classifier an analyst can edit.
#[derive(Clone, Debug)]
pub struct TextClassifier {
    pub lexicon: Lexicon,
    pub config: TextConfig,
}

impl TextClassifier {
    /// The built-in lexicon with a configuration.
    pub fn new(config: TextConfig) -> Result<TextClassifier, LexiconError> {
        Ok(TextClassifier {
            lexicon: Lexicon::builtin()?,
            config,
        })
    }

    /// Classify a free-text relationship field (the victim's relation to the offender).
    pub fn relationship(&self, text: &str) -> Decision {
        relationship::classify(self, text).floor(self.config.min_confidence)
    }

    /// Classify an incident narrative: the relation stated between victim and offender.
    pub fn narrative(&self, text: &str) -> Decision {
        narrative::classify(self, text).floor(self.config.min_confidence)
    }
}

/// The built-in classifier, built once. `None` only if the embedded data files are broken,
/// which the crate's tests rule out.
pub fn builtin() -> Option<&'static TextClassifier> {
    static CELL: OnceLock<Option<TextClassifier>> = OnceLock::new();
    CELL.get_or_init(|| TextClassifier::new(TextConfig::default()).ok())
        .as_ref()
}

/// Classify a free-text relationship field with the built-in lexicon and defaults.
pub fn classify_relationship(text: &str) -> Decision {
    match builtin() {
        Some(c) => c.relationship(text),
        None => Decision::nothing(DecisionSource::FreeText, "built-in lexicon failed to load"),
    }
}

/// Classify an incident narrative with the built-in lexicon and defaults.
pub fn classify_narrative(text: &str) -> Decision {
    match builtin() {
        Some(c) => c.narrative(text),
        None => Decision::nothing(DecisionSource::Narrative, "built-in lexicon failed to load"),
    }
}
