//! Free-text relationship fields: "B/F", "EX-WIFE", "MOTHERS BOYFRIEND", "VICTIM IS OFFENDER'S
//! MOTHER", "esposa", "BG".
//!
//! The field is read as the victim's relation to the offender (the NIBRS convention), unless
//! it names the sides itself ("SUSPECT IS VICTIM'S SON"). A NIBRS code typed as text counts
//! only when it leads a short field. Every relation phrase becomes evidence; the strongest one
//! decides, and two phrases of different classes ("FRIEND/EX-BF") lower the confidence.

use super::lexicon::{Cue, TokKind};
use super::reading::{decide, read, El, Evidence, Read, Side};
use super::{Decision, Relation, TextClassifier};
use crate::model::{DecisionSource, RelClass};

/// Classify one relationship field with a classifier (see [`super::classify_relationship`]).
pub fn classify(c: &TextClassifier, text: &str) -> Decision {
    let r = read(c, text, false);
    if r.t.toks.iter().all(|t| t.kind != TokKind::Word) {
        return Decision::nothing(DecisionSource::FreeText, "blank");
    }
    let chains = r.chains();
    let mut ev: Vec<Evidence> = Vec::with_capacity(chains.len());
    let hedge_factor = c.config.hedge_factor;
    for (n, ch) in chains.iter().enumerate() {
        let (anchor, target) = orientation(&r, ch.el_start, ch.start);
        let anchor = match ch.inner_anchor {
            Some(Some(side)) => Some(side),
            _ => anchor.or_else(|| anchor_after(&r, ch.el_end, ch.end)),
        };
        let mut rel = ch.rel;
        let mut weight = ch.weight;
        let negated = r.negated(ch.el_start, ch.start, ch.end, 4);
        if negated {
            rel = match rel {
                Relation::Unknown => Relation::Unknown,
                _ => Relation::Acquaintance,
            };
            weight *= 0.7;
        }
        if r.hedged(ch.el_start, ch.start, ch.end) {
            weight *= hedge_factor;
        }
        let direction = if rel == Relation::Unknown || rel == Relation::Stranger || negated {
            None
        } else if anchor == Some(Side::Victim) || target == Some(Side::Offender) {
            Some(rel.inverse())
        } else {
            Some(rel)
        };
        // "MOTHER/SON": both sides named, so no direction.
        let pair_form = chains.iter().enumerate().any(|(m, o)| {
            m != n && o.rel != ch.rel && o.rel.inverse() == ch.rel && (r.t.toks[o.start.max(ch.start)].slash)
        });
        let phrase = r.text(ch.start, ch.end);
        let mut reason = format!("\"{phrase}\" → {}", rel.as_str());
        if negated {
            reason = format!("negated \"{phrase}\" → acquaintance");
        }
        if ch.code {
            reason = format!("code typed as text \"{phrase}\" → {}", rel.as_str());
        }
        ev.push(Evidence {
            class: c.config.class_of(rel),
            score: weight,
            reason,
            direction: if pair_form { None } else { direction },
        });
    }
    // "DATING RELATIONSHIP", "MARRIED", "BROKE UP": couple phrases count in a relationship field too.
    for (k, el) in r.els.iter().enumerate() {
        if let El::Cue {
            cue: Cue::PartnerVerb,
            start,
            end,
        } = el
        {
            let words = r.text(*start, *end);
            let rel = verb_relation(&words);
            let negated = r.negated(k, *start, *end, 4);
            let (rel, weight) = if negated {
                (Relation::Acquaintance, 0.6)
            } else {
                (rel, 0.85)
            };
            let weight = if r.hedged(k, *start, *end) {
                weight * hedge_factor
            } else {
                weight
            };
            ev.push(Evidence {
                class: c.config.class_of(rel),
                score: weight,
                reason: format!(
                    "{}\"{words}\" → {}",
                    if negated { "negated " } else { "" },
                    rel.as_str()
                ),
                direction: None,
            });
        }
    }
    match decide(&ev) {
        Some((best, conf)) => {
            let mut reason = best.reason.clone();
            let others: Vec<&str> = ev
                .iter()
                .filter(|e| e.class != best.class)
                .map(|e| e.reason.as_str())
                .take(2)
                .collect();
            if !others.is_empty() {
                reason.push_str("; also ");
                reason.push_str(&others.join("; "));
            }
            Decision {
                class: best.class,
                confidence: conf,
                source: DecisionSource::FreeText,
                reason,
                direction: best.direction,
            }
        }
        None => Decision {
            class: RelClass::Unknown,
            confidence: 0.0,
            source: DecisionSource::FreeText,
            reason: "no relation words".to_string(),
            direction: None,
        },
    }
}

/// Who the phrase at element `k` (token `start`) is anchored to ("OFFENDER'S mother") and who
/// it describes ("VICTIM IS ..."), as written before it.
fn orientation(r: &Read, k: usize, start: usize) -> (Option<Side>, Option<Side>) {
    let mut anchor = None;
    let mut target = None;
    let mut pos = start;
    let mut j = k;
    while j > 0 {
        j -= 1;
        match &r.els[j] {
            El::Cue { cue, start: s, end: e } if r.adjacent(*e, pos) || r.only_words(*e, pos, &["to", "of"]) => {
                if let Some(side) = Read::side(*cue) {
                    if r.poss_at(e - 1, true) && anchor.is_none() && *e == pos {
                        anchor = Some(side);
                    } else if target.is_none() {
                        target = Some(side);
                        break;
                    }
                } else if matches!(cue, Cue::Copula | Cue::Anchor | Cue::Label) {
                    // "is", "is her"
                } else {
                    break;
                }
                pos = *s;
            }
            _ => break,
        }
    }
    (anchor, target)
}

/// "MOTHER OF THE OFFENDER", "mother to the victim": a participant named after the phrase.
pub(crate) fn anchor_after(r: &Read, k: usize, end: usize) -> Option<Side> {
    match r.els.get(k) {
        Some(El::Cue { cue, start, .. })
            if r.only_words(end, *start, &["of", "to", "de", "del"])
                && (end..*start).any(|i| matches!(r.t.word(i), "of" | "to" | "de" | "del")) =>
        {
            Read::side(*cue)
        }
        _ => None,
    }
}

/// The relation a couple phrase states: "married" → spouse, "divorced" → ex-spouse, "broke up"
/// → ex-partner, otherwise partner.
pub(crate) fn verb_relation(words: &str) -> Relation {
    if words.contains("marri") || words.contains("marry") || words.contains("casados") {
        Relation::Spouse
    } else if words.contains("divorc") {
        Relation::ExSpouse
    } else if words.contains("broke")
        || words.contains("broken")
        || words.contains("split")
        || words.contains("separat")
    {
        Relation::ExPartner
    } else {
        Relation::Partner
    }
}
