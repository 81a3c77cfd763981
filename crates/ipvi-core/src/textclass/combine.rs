//! One decision per victim–offender pair from everything the records hold.
//!
//! Order: an analyst's override; a specific relationship code; for a vague or missing code
//! (by default RU, OK, VO, or a code the table does not know) the free-text relationship, then
//! the narrative, weighed against an offence of the incident that names the relationship
//! ([`super::offense`]): the more confident of text and offence decides, so an offence beats
//! weak text and a missing code. A code that another source (text or offence) contradicts is
//! kept but flagged for review, as is a disagreement between free text, narrative and offence.
//! Every source that contradicts the decision (at [`PairPolicy::conflict_confidence`] or more)
//! lowers its confidence: it is multiplied by `1 − disagreement_weight × that source's
//! confidence`, so a code contradicted by a sure narrative no longer reads as 0.95.
//! A domestic flag or a generic domestic offence is never evidence of the class. Which codes are
//! vague and how sure text must be are policy ([`PairPolicy`]), serde-serialisable with
//! editable defaults.

use super::offense::OffenseMatch;
use super::{Decision, TextClassifier};
use crate::classify::CodeTable;
use crate::model::{DecisionSource, PairRef, RelClass};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An analyst's decision on one pair, kept and applied on the next load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Override {
    pub incident_id: String,
    pub victim_record_id: String,
    pub offender_record_id: String,
    pub class: RelClass,
    /// Why (free text from the analyst; police-only, like the narrative).
    #[serde(default)]
    pub note: String,
    /// Who decided and when, as the analyst typed them.
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub date: String,
}

/// The analyst's overrides, keyed by (incident, victim record, offender record). Serialised as
/// a list so the JSON is plain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<Override>", into = "Vec<Override>")]
pub struct Overrides {
    map: BTreeMap<(String, String, String), Override>,
}

impl From<Vec<Override>> for Overrides {
    fn from(v: Vec<Override>) -> Self {
        let mut o = Overrides::default();
        for x in v {
            o.set(x);
        }
        o
    }
}

impl From<Overrides> for Vec<Override> {
    fn from(o: Overrides) -> Self {
        o.map.into_values().collect()
    }
}

impl Overrides {
    /// Add or replace the override of a pair.
    pub fn set(&mut self, o: Override) {
        let key = (
            o.incident_id.clone(),
            o.victim_record_id.clone(),
            o.offender_record_id.clone(),
        );
        self.map.insert(key, o);
    }

    /// The override of a pair, if any.
    pub fn get(&self, incident_id: &str, victim_record_id: &str, offender_record_id: &str) -> Option<&Override> {
        // No override (the audit, a first run): no key to build for each pair.
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&(
            incident_id.to_string(),
            victim_record_id.to_string(),
            offender_record_id.to_string(),
        ))
    }

    /// Remove the override of a pair.
    pub fn remove(&mut self, incident_id: &str, victim_record_id: &str, offender_record_id: &str) -> Option<Override> {
        self.map.remove(&(
            incident_id.to_string(),
            victim_record_id.to_string(),
            offender_record_id.to_string(),
        ))
    }

    /// How many overrides.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// No overrides.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// How codes and text are weighed: editable defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairPolicy {
    /// Codes that say too little and defer to text (upper case).
    pub vague_codes: Vec<String>,
    /// Text decisions below this confidence are not used to decide a pair.
    pub min_text_confidence: f32,
    /// Text decisions at or above this confidence that disagree with the code raise a conflict.
    pub conflict_confidence: f32,
    /// Confidence given to a decision from a specific code.
    pub code_confidence: f32,
    /// How much a contradicting source lowers the decision's confidence: the confidence is
    /// multiplied by `1 − disagreement_weight × c` for each contradicting source of confidence
    /// `c` (0 = disagreement does not lower it; 1 = a certain contradiction leaves nothing).
    #[serde(default = "default_disagreement_weight")]
    pub disagreement_weight: f32,
}

fn default_disagreement_weight() -> f32 {
    0.5
}

/// The confidence left after the contradicting sources' confidences `against`.
fn lowered(confidence: f32, against: impl IntoIterator<Item = f32>, policy: &PairPolicy) -> f32 {
    let w = policy.disagreement_weight.clamp(0.0, 1.0);
    against
        .into_iter()
        .fold(confidence, |c, a| c * (1.0 - w * a.clamp(0.0, 1.0)))
}

impl Default for PairPolicy {
    fn default() -> Self {
        PairPolicy {
            vague_codes: vec!["RU".into(), "OK".into(), "VO".into()],
            min_text_confidence: 0.3,
            conflict_confidence: 0.5,
            code_confidence: 0.95,
            disagreement_weight: default_disagreement_weight(),
        }
    }
}

/// The decision on one pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairDecision {
    pub class: RelClass,
    pub confidence: f32,
    pub source: DecisionSource,
    pub reason: String,
    /// Sources disagree: the pair goes to the review queue.
    pub conflict: bool,
    /// The victim's relation to the offender, when known from text.
    pub direction: Option<super::Relation>,
}

fn usable(d: &Decision, p: &PairPolicy) -> bool {
    d.class != RelClass::Unknown && d.confidence >= p.min_text_confidence
}

/// Decide one pair with the built-in text classifier and the default policy.
/// `analyst` is the pair's override (see [`Overrides::get`]).
pub fn decide_pair(
    code: Option<&str>,
    code_table: &CodeTable,
    free_text: Option<&str>,
    narrative: Option<&str>,
    analyst: Option<&Override>,
) -> PairDecision {
    match super::builtin() {
        Some(c) => decide_pair_with(
            c,
            &PairPolicy::default(),
            code,
            code_table,
            free_text,
            narrative,
            analyst,
        ),
        None => PairDecision {
            class: RelClass::Unknown,
            confidence: 0.0,
            source: DecisionSource::None,
            reason: "built-in lexicon failed to load".into(),
            conflict: false,
            direction: None,
        },
    }
}

/// Decide a [`Pair`] from the dataset, with its incident's narrative, the offence of its
/// incident that names the relationship ([`super::offense::IncidentOffenses::pair_evidence`])
/// and the overrides. The pipeline and the audit both decide pairs with this.
pub fn decide_dataset_pair(
    c: &TextClassifier,
    policy: &PairPolicy,
    pair: PairRef<'_>,
    code_table: &CodeTable,
    narrative: Option<&str>,
    offense: Option<&OffenseMatch>,
    overrides: &Overrides,
) -> PairDecision {
    let o = overrides.get(pair.incident_id, pair.victim_record_id, pair.offender_record_id);
    decide_pair_full(
        c,
        policy,
        pair.relationship_code,
        code_table,
        pair.relationship_text,
        narrative,
        offense,
        o,
    )
}

/// Decide one pair with a given classifier and policy (no offence evidence).
pub fn decide_pair_with(
    c: &TextClassifier,
    policy: &PairPolicy,
    code: Option<&str>,
    code_table: &CodeTable,
    free_text: Option<&str>,
    narrative: Option<&str>,
    analyst: Option<&Override>,
) -> PairDecision {
    decide_pair_full(c, policy, code, code_table, free_text, narrative, None, analyst)
}

/// An offence's class as text-like evidence ([`DecisionSource::Offense`]); a generic domestic
/// offence gives none.
fn offense_decision(m: &OffenseMatch) -> Option<Decision> {
    Some(Decision {
        class: m.class.rel_class()?,
        confidence: m.confidence,
        source: DecisionSource::Offense,
        reason: m.reason(),
        direction: None,
    })
}

/// Decide one pair from everything: code, free text, narrative, the incident's offence that
/// names the relationship, and the analyst's override.
#[allow(clippy::too_many_arguments)]
pub fn decide_pair_full(
    c: &TextClassifier,
    policy: &PairPolicy,
    code: Option<&str>,
    code_table: &CodeTable,
    free_text: Option<&str>,
    narrative: Option<&str>,
    offense: Option<&OffenseMatch>,
    analyst: Option<&Override>,
) -> PairDecision {
    let off = offense.and_then(offense_decision);
    let ft = free_text.filter(|s| !s.trim().is_empty()).map(|s| c.relationship(s));
    let nar = narrative.filter(|s| !s.trim().is_empty()).map(|s| c.narrative(s));
    let texts: Vec<&Decision> = [ft.as_ref(), nar.as_ref(), off.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(o) = analyst {
        return PairDecision {
            class: o.class,
            confidence: 1.0,
            source: DecisionSource::Analyst,
            reason: format!(
                "analyst override{}",
                if o.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", o.note)
                }
            ),
            conflict: false,
            direction: None,
        };
    }
    let code_norm = code.map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty());
    let code_class = code_norm.as_deref().and_then(|k| code_table.lookup(k));
    let vague = match (&code_norm, code_class) {
        (None, _) | (_, None) | (_, Some(RelClass::Unknown)) => true,
        (Some(k), Some(_)) => policy.vague_codes.iter().any(|v| v.eq_ignore_ascii_case(k)),
    };
    let direction = texts.iter().find_map(|d| d.direction);
    if let (false, Some(k), Some(cc)) = (vague, code_norm.as_deref(), code_class) {
        let contra: Vec<&&Decision> = texts
            .iter()
            .filter(|d| usable(d, policy) && d.confidence >= policy.conflict_confidence && d.class != cc)
            .collect();
        let against: Vec<String> = contra
            .iter()
            .map(|d| format!("{} says {} ({})", source_name(d.source), d.class.as_str(), d.reason))
            .collect();
        return PairDecision {
            class: cc,
            confidence: lowered(policy.code_confidence, contra.iter().map(|d| d.confidence), policy),
            source: DecisionSource::Code,
            reason: if against.is_empty() {
                format!("code {k} → {}", cc.as_str())
            } else {
                format!("code {k} → {}; contradicted: {}", cc.as_str(), against.join("; "))
            },
            conflict: !against.is_empty(),
            direction,
        };
    }
    // Vague or missing code: free text first, then the narrative; the offence against them.
    let ft_ok = ft.as_ref().filter(|d| usable(d, policy));
    let nar_ok = nar.as_ref().filter(|d| usable(d, policy));
    let text_pick = match (ft_ok, nar_ok) {
        (Some(a), Some(b)) if a.class != b.class => {
            let (win, lose) = if a.confidence >= b.confidence { (a, b) } else { (b, a) };
            Some((win, Some(lose)))
        }
        (Some(a), _) => Some((a, None)),
        (None, Some(b)) => Some((b, None)),
        (None, None) => None,
    };
    let off_ok = off.as_ref().filter(|d| usable(d, policy));
    let pick = match (text_pick, off_ok) {
        // Text and offence disagree: the more confident decides (the offence on a tie, as it
        // is the agency's own classification), the other is the disagreement.
        (Some((t, lose)), Some(o)) if t.class != o.class => {
            if o.confidence >= t.confidence {
                Some((o, Some(t)))
            } else {
                Some((t, Some(lose.unwrap_or(o))))
            }
        }
        (Some(t), _) => Some(t),
        (None, Some(o)) => Some((o, None)),
        (None, None) => None,
    };
    let code_note = match &code_norm {
        Some(k) => format!("code {k} is vague; "),
        None => "no code; ".to_string(),
    };
    match pick {
        Some((d, lose)) => {
            // A vague code with a class (OK = known, not family) contradicted by text is worth a look.
            let code_conflict = code_class.is_some_and(|cc| cc != RelClass::Unknown && cc != d.class);
            let mut reason = format!("{code_note}{}: {}", source_name(d.source), d.reason);
            if let Some(l) = lose {
                reason.push_str(&format!(
                    "; {} disagrees: {} ({})",
                    source_name(l.source),
                    l.class.as_str(),
                    l.reason
                ));
            }
            if let Some(o) = off_ok.filter(|o| o.class == d.class && d.source != DecisionSource::Offense) {
                reason.push_str(&format!("; the offence agrees: {}", o.reason));
            }
            let lose_conflict = lose.filter(|l| l.confidence >= policy.conflict_confidence);
            PairDecision {
                class: d.class,
                confidence: lowered(d.confidence, lose_conflict.map(|l| l.confidence), policy),
                source: d.source,
                reason,
                conflict: lose_conflict.is_some() || code_conflict,
                direction: d.direction,
            }
        }
        None => match (code_norm, code_class) {
            (Some(k), Some(cc)) => PairDecision {
                class: cc,
                confidence: if cc == RelClass::Unknown { 0.0 } else { 0.5 },
                source: if cc == RelClass::Unknown {
                    DecisionSource::None
                } else {
                    DecisionSource::Code
                },
                reason: format!("code {k} → {}; no usable text", cc.as_str()),
                conflict: false,
                direction: None,
            },
            (k, _) => PairDecision {
                class: RelClass::Unknown,
                confidence: 0.0,
                source: DecisionSource::None,
                reason: match k {
                    Some(k) => format!("code {k} not in the code table; no usable text"),
                    None => "no code and no usable text".to_string(),
                },
                conflict: false,
                direction: None,
            },
        },
    }
}

fn source_name(s: DecisionSource) -> &'static str {
    match s {
        DecisionSource::Code => "code",
        DecisionSource::FreeText => "free text",
        DecisionSource::Narrative => "narrative",
        DecisionSource::Offense => "offence",
        DecisionSource::Analyst => "analyst",
        DecisionSource::None => "none",
    }
}
