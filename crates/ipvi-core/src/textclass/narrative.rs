//! Incident narratives: the relation stated between the victim and the offender.
//!
//! After the shared reading steps (tokens, phrases, possessive chains), each relation phrase is
//! attached to the participants:
//! - **named sides**: `her BF S1`, `S1, her ex-husband,`, `S1 is V's son`, `his girlfriend V1`,
//!   `V and S1 are brothers`, `relationship: dating` → fully attached;
//! - **anchored**: `her boyfriend`, `the victim's son` → likely the offender (more so when an
//!   action verb follows: `her son pushed her`);
//! - **third parties**: a witness (`her brother W1`), a caller (`her mother called 911`), an
//!   owner (`at her sister's house`) → weak evidence; a possessive chain (`her ex-boyfriend's new
//!   girlfriend`, `her brother's girlfriend`) is composed before it is attached;
//! - verbs and phrases that state a couple (`have been dating`, `were married`, `broke up`) are
//!   partner evidence for the participants, or for a relative when one is their subject
//!   (`V's sister is dating S1`).
//!
//! Negation (`not her boyfriend`, `denied dating`) turns a relation into "known, not family";
//! `no longer dating` stays a (former) partner; hedges (`possibly dating`) lower the score.

use super::lexicon::{Cue, TokKind};
use super::reading::{decide, read, Chain, El, Evidence, Read, Side};
use super::relationship::{anchor_after, verb_relation};
use super::{Decision, Relation, TextClassifier};
use crate::model::{DecisionSource, RelClass};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Pronoun,
    Side(Side),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Side(Side),
    Pair,
}

/// Words that make a subject the two participants together.
const PAIR_WORDS: &[&str] = &[
    "they", "both", "two", "parties", "pair", "couple", "each", "ellos", "ambos",
];

/// Small words allowed between a participant and a relation phrase describing it.
const LINK_WORDS: &[&str] = &[
    "is",
    "was",
    "are",
    "were",
    "who",
    "that",
    "named",
    "identified",
    "as",
    "also",
    "currently",
    "has",
    "been",
    "being",
    "known",
    "listed",
    "of",
    "and",
];

/// Classify one narrative with a classifier (see [`super::classify_narrative`]).
pub fn classify(c: &TextClassifier, text: &str) -> Decision {
    let r = read(c, text, true);
    if r.t.toks.iter().all(|t| t.kind != TokKind::Word) {
        return Decision::nothing(DecisionSource::Narrative, "blank");
    }
    let chains = r.chains();
    let mut ev: Vec<Evidence> = Vec::with_capacity(chains.len() + 2);
    // Anchors, with "her mother (V) and stepfather (S1)" sharing one.
    let mut seen: Vec<Seen> = Vec::with_capacity(chains.len());
    let mut prev: Option<(&Chain, Option<Anchor>)> = None;
    for ch in &chains {
        let mut anchor = anchor_of(&r, ch);
        if anchor.is_none() && ch.inner_anchor.is_none() {
            if let Some((p, Some(pa))) = prev {
                if coordinated(&r, p, ch) {
                    anchor = Some((pa, usize::MAX));
                }
            }
        }
        prev = None;
        if let Some((e, sn)) = chain_evidence(c, &r, ch, anchor) {
            prev = Some((ch, sn.anchor));
            seen.push(sn);
            ev.push(e);
        }
    }
    // Victim and offender both named as relatives of a third person ("RP stated her mother (V)
    // and stepfather (S1) were fighting"): their relation is composed through that person.
    let mut derived = Vec::new();
    for (i, a) in seen.iter().enumerate() {
        for (j, b) in seen.iter().enumerate() {
            let third_anchor = matches!(a.anchor, Some(Anchor::Pronoun | Anchor::Side(Side::Third)));
            if a.target == Some(Target::Side(Side::Victim))
                && b.target == Some(Target::Side(Side::Offender))
                && a.anchor == b.anchor
                && third_anchor
                && a.sentence == b.sentence
            {
                let rel = r.lex.compose(a.rel.inverse(), b.rel);
                derived.push((
                    i,
                    j,
                    Evidence {
                        class: c.config.class_of(rel),
                        score: 0.9 * a.weight.min(b.weight),
                        reason: format!(
                            "victim is the {} and offender the {} of a third person → {}",
                            a.rel.as_str(),
                            b.rel.as_str(),
                            rel.as_str()
                        ),
                        direction: Some(rel.inverse()),
                    },
                ));
            }
        }
    }
    for (i, j, e) in derived {
        ev[i].score *= 0.3;
        ev[j].score *= 0.3;
        ev.push(e);
    }
    for (k, el) in r.els.iter().enumerate() {
        if let El::Cue {
            cue: Cue::PartnerVerb,
            start,
            end,
        } = el
        {
            if let Some(e) = verb_evidence(c, &r, &chains, k, *start, *end) {
                ev.push(e);
            }
        }
    }
    match decide(&ev) {
        Some((best, conf)) => {
            let mut reason = best.reason.clone();
            let mut others: Vec<&Evidence> = ev.iter().filter(|e| e.class != best.class && e.score > 0.1).collect();
            others.sort_by(|a, b| b.score.total_cmp(&a.score));
            for o in others.iter().take(2) {
                reason.push_str(&format!("; against: {} ({:.2})", o.reason, o.score));
            }
            Decision {
                class: best.class,
                confidence: conf,
                source: DecisionSource::Narrative,
                reason,
                direction: best.direction,
            }
        }
        None => Decision {
            class: RelClass::Unknown,
            confidence: 0.0,
            source: DecisionSource::Narrative,
            reason: "no relation stated".to_string(),
            direction: None,
        },
    }
}

/// The anchor right before a chain ("her", "V's", "the victim's") and the index of its element.
fn anchor_of(r: &Read, ch: &Chain) -> Option<(Anchor, usize)> {
    let k = ch.el_start.checked_sub(1)?;
    match &r.els[k] {
        El::Cue {
            cue: Cue::Anchor, end, ..
        } if r.adjacent(*end, ch.start) => Some((Anchor::Pronoun, k)),
        El::Cue { cue, end, .. } if r.adjacent(*end, ch.start) && r.poss_at(end - 1, true) => {
            Read::side(*cue).map(|s| (Anchor::Side(s), k))
        }
        _ => None,
    }
}

/// A participant named before the phrase ("S1, her boyfriend", "S1 is V's son", "V and S1 are
/// siblings", "relationship: ex-wife"). Returns the target and whether a label was seen.
fn target_before(r: &Read, k0: usize, start: usize) -> (Option<Target>, bool) {
    let mut pos = start;
    let mut j = k0;
    let mut label = false;
    let mut hops = 0;
    let mut copula = false;
    let mut and = false;
    while j > 0 && hops < 5 {
        j -= 1;
        hops += 1;
        let el = &r.els[j];
        if !r.only_words(el.end(), pos, LINK_WORDS) {
            break;
        }
        and |= (el.end()..pos).any(|i| matches!(r.t.word(i), "and" | "y"));
        match el {
            // "her mother (V) and stepfather (S1)": V is not the stepfather
            El::Cue { cue, .. } if and && !copula && Read::side(*cue).is_some() => return (None, label),
            El::Cue { cue: Cue::Copula, .. } => copula = true,
            El::Cue {
                cue: Cue::Negation | Cue::Hedge,
                ..
            } => {}
            El::Bound {
                kind: TokKind::Comma, ..
            } => {}
            El::Cue { cue: Cue::Label, .. } => label = true,
            El::Cue { cue, start: s, end: e } if Read::side(*cue).is_some() && !r.poss_at(e - 1, false) => {
                // "V and S1 are ..." / "they are ..."
                let pair = j > 0
                    && matches!(&r.els[j - 1], El::Cue { cue: c2, end: e2, .. }
                        if Read::side(*c2).is_some() && r.only_words(*e2, *s, &["and", "y", "&"]) && !(*e2..*s).is_empty());
                let side = Read::side(*cue).unwrap_or(Side::Third);
                return (Some(if pair { Target::Pair } else { Target::Side(side) }), label);
            }
            _ => return (None, label),
        }
        pos = el.start();
    }
    // "they are sisters", "both are friends", "he is her cousin"
    let lo = pos.saturating_sub(3);
    if (lo..pos).any(|i| PAIR_WORDS.contains(&r.t.word(i)) || matches!(r.t.word(i), "he" | "she"))
        && (lo..start).any(|i| matches!(r.t.word(i), "is" | "was" | "are" | "were" | "been"))
    {
        return (Some(Target::Pair), label);
    }
    (None, label)
}

/// A participant named right after the phrase ("her boyfriend S1", "his girlfriend (V1)").
fn target_after(r: &Read, ch: &Chain) -> Option<Target> {
    let mut pos = ch.end;
    for j in ch.el_end..ch.el_end + 3 {
        let el = r.els.get(j)?;
        if !r.only_words(
            pos,
            el.start(),
            &["named", "identified", "as", "known", "listed", "now", "who", "is"],
        ) {
            return None;
        }
        match el {
            El::Bound {
                kind: TokKind::Comma, ..
            } => {}
            El::Cue { cue: Cue::Copula, .. } => {}
            El::Cue { cue, end, .. } => {
                return Read::side(*cue).filter(|_| !r.t.toks[end - 1].poss).map(Target::Side);
            }
            _ => return None,
        }
        pos = el.end();
    }
    None
}

/// Whether an element of kind `want` starts within `n` tokens after `end`, same sentence.
fn cue_after(r: &Read, k: usize, end: usize, n: usize, want: Cue) -> bool {
    for el in r.els.iter().skip(k) {
        if el.start() > end + n {
            return false;
        }
        match el {
            El::Bound {
                kind: TokKind::Stop | TokKind::Question,
                ..
            } => return false,
            El::Cue { cue, .. } if *cue == want => return true,
            _ => {}
        }
    }
    false
}

/// What the reader saw of one chain, for the pair rule.
struct Seen {
    target: Option<Target>,
    anchor: Option<Anchor>,
    rel: Relation,
    weight: f32,
    sentence: usize,
}

/// Two phrases joined by "and" with at most a participant between ("her mother (V) and
/// stepfather (S1)").
fn coordinated(r: &Read, a: &Chain, b: &Chain) -> bool {
    if b.start.saturating_sub(a.end) > 8 {
        return false;
    }
    let mut and = false;
    for i in a.end..b.start {
        let tk = r.t.toks[i];
        if tk.kind == TokKind::Stop || tk.kind == TokKind::Question {
            return false;
        }
        if tk.kind != TokKind::Word {
            continue;
        }
        let w = r.t.word(i);
        if matches!(w, "and" | "y" | "&") {
            and = true;
            continue;
        }
        let in_participant = r.els.iter().any(|el| {
            matches!(el, El::Cue { cue: Cue::Victim | Cue::Offender | Cue::Third, start, end } if *start <= i && i < *end)
        });
        if !in_participant && !super::reading::is_filler(w) {
            return false;
        }
    }
    and
}

/// The participant a possessive pronoun most likely points at: the nearest participant named
/// before it in the sentence (not possessive, not the one the phrase describes).
fn resolve_pronoun(r: &Read, anchor_el: usize, target: Option<Target>) -> Anchor {
    // Victim and offender first; a third party only when neither is named before the pronoun.
    let mut third = false;
    let mut j = anchor_el.min(r.els.len());
    let stop = j.saturating_sub(40);
    while j > stop {
        j -= 1;
        match &r.els[j] {
            El::Bound {
                kind: TokKind::Stop | TokKind::Question,
                ..
            } => break,
            El::Cue { cue, end, .. } => {
                if let Some(side) = Read::side(*cue) {
                    if !r.t.toks[end - 1].poss && target != Some(Target::Side(side)) {
                        if side == Side::Third {
                            third = true;
                        } else {
                            return Anchor::Side(side);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if third {
        Anchor::Side(Side::Third)
    } else {
        Anchor::Pronoun
    }
}

fn chain_evidence(
    c: &TextClassifier,
    r: &Read,
    ch: &Chain,
    anchor_found: Option<(Anchor, usize)>,
) -> Option<(Evidence, Seen)> {
    let phrase_words = r.text(ch.start, ch.end);
    // "did not know the suspect": a stranger only when a person follows
    if ch.rel == Relation::Stranger && (phrase_words.ends_with("know") || phrase_words.ends_with("recognize")) {
        let next = (ch.end..(ch.end + 2).min(r.t.toks.len()))
            .map(|i| r.t.word(i))
            .find(|w| !w.is_empty());
        let person = matches!(
            next,
            Some("him" | "her" | "them" | "who" | "the" | "this" | "s" | "s1" | "suspect")
        ) || matches!(r.els.get(ch.el_end), Some(El::Cue { cue: Cue::Offender | Cue::Victim, start, .. }) if *start <= ch.end + 1);
        // "a man she did not know"
        let lo = ch.start.saturating_sub(4);
        let before = (lo..ch.start).any(|i| {
            matches!(
                r.t.word(i),
                "man" | "woman" | "male" | "female" | "person" | "guy" | "someone" | "people" | "males" | "females"
            )
        });
        if !person && !before {
            return None;
        }
    }
    let (first_el, first_tok) = match anchor_found {
        Some((_, k)) if k < r.els.len() => (k, r.els[k].start()),
        _ => (ch.el_start, ch.start),
    };
    let (mut target, label) = target_before(r, first_el, first_tok);
    if target.is_none() {
        target = target_after(r, ch);
    }
    let anchor = match anchor_found {
        Some((Anchor::Pronoun, k)) if k < r.els.len() => Some(resolve_pronoun(r, k, target)),
        Some((a, _)) => Some(a),
        None => match ch.inner_anchor {
            Some(Some(s)) => Some(Anchor::Side(s)),
            Some(None) => Some(Anchor::Pronoun),
            None => anchor_after(r, ch.el_end, ch.end).map(Anchor::Side),
        },
    };
    let sentence = r.sentence_of(ch.start);
    let by = first_tok > 0 && r.t.word(first_tok - 1) == "by";
    // the owner of a thing is not the actor of the verb after it ("her boyfriend's car was damaged")
    let actor = !ch.owner && (by || cue_after(r, ch.el_end, ch.end, 5, Cue::Breaker));
    let caller = cue_after(r, ch.el_end, ch.end, 3, Cue::ThirdVerb);
    // "the victim's neighbor" said of the victim, "S1's brother" said of S1: someone else.
    let self_relation = matches!((target, anchor), (Some(Target::Side(t)), Some(Anchor::Side(a))) if t == a);
    // "has a child with", "shares a son", "pregnant with": a statement about the two people.
    let pair_phrase = ch.rel == Relation::CoParent
        && matches!(
            r.t.word(ch.start),
            "has" | "have" | "had" | "share" | "shares" | "shared" | "is" | "pregnant" | "expecting"
        );
    let mut attach: f32 = match (target, anchor) {
        _ if self_relation => 0.2,
        (Some(Target::Side(Side::Third)), _) | (_, Some(Anchor::Side(Side::Third))) => 0.2,
        (None, None) if pair_phrase => 0.9,
        // "her daughter V1": "her" may be the caller's, not the offender's
        (Some(Target::Side(Side::Victim)), Some(Anchor::Pronoun)) => 0.75,
        (Some(_), _) => 1.0,
        (None, Some(_)) if label => 1.0,
        (None, Some(_)) if actor => 0.9,
        (None, Some(_)) => 0.7,
        (None, None) if label => 0.9,
        (None, None) if actor => 0.6,
        (None, None) => 0.45,
    };
    if ch.rel == Relation::Unknown {
        attach = attach.min(0.5);
    }
    if ch.owner {
        attach *= 0.25;
    }
    if caller && target.is_none() {
        attach *= 0.3;
    }
    let negated = r.negated(first_el, first_tok, ch.end, 6);
    let mut rel = ch.rel;
    let mut score = ch.weight * attach;
    if negated {
        rel = if rel == Relation::Unknown {
            Relation::Unknown
        } else {
            Relation::Acquaintance
        };
        score *= 0.7;
    }
    if r.hedged(first_el, first_tok, ch.end) {
        score *= c.config.hedge_factor;
    }
    let direction =
        if negated || matches!(target, Some(Target::Pair)) || matches!(rel, Relation::Unknown | Relation::Stranger) {
            None
        } else {
            let victim_anchored = match anchor {
                Some(Anchor::Side(Side::Victim)) => Some(true),
                Some(Anchor::Side(_)) => Some(false),
                Some(Anchor::Pronoun) => Some(target != Some(Target::Side(Side::Victim))),
                None => match target {
                    Some(Target::Side(Side::Offender)) => Some(true),
                    Some(Target::Side(Side::Victim)) => Some(false),
                    _ => None,
                },
            };
            victim_anchored.map(|v| if v { rel.inverse() } else { rel })
        };
    let mut how = Vec::new();
    match target {
        Some(Target::Side(Side::Offender)) => how.push("names the offender"),
        Some(Target::Side(Side::Victim)) => how.push("names the victim"),
        Some(Target::Side(Side::Third)) => how.push("names a third party"),
        Some(Target::Pair) => how.push("names both"),
        None => {}
    }
    if anchor.is_some() && target.is_none() {
        how.push("possessive");
    }
    if ch.owner {
        how.push("owner of a place or thing");
    }
    if caller && target.is_none() {
        how.push("caller or witness");
    }
    if actor && target.is_none() {
        how.push("actor");
    }
    if negated {
        how.push("negated");
    }
    let phrase = match anchor {
        Some(_) if first_tok < ch.start => r.text(first_tok, ch.end),
        _ => phrase_words,
    };
    Some((
        Evidence {
            class: c.config.class_of(rel),
            score,
            reason: format!("\"{phrase}\" → {} [{}]", rel.as_str(), how.join(", ")),
            direction,
        },
        Seen {
            target,
            anchor,
            rel: ch.rel,
            weight: ch.weight,
            sentence,
        },
    ))
}

fn verb_evidence(
    c: &TextClassifier,
    r: &Read,
    chains: &[Chain],
    k: usize,
    start: usize,
    end: usize,
) -> Option<Evidence> {
    let words = r.text(start, end);
    let rel = verb_relation(&words);
    // A relative as the subject: "V's sister has been dating S1"
    let subject = chains.iter().rev().find(|ch| {
        ch.end <= start
            && r.only_words(
                ch.end,
                start,
                &[
                    "is",
                    "was",
                    "has",
                    "had",
                    "have",
                    "been",
                    "are",
                    "were",
                    "currently",
                    "got",
                    "also",
                    "now",
                ],
            )
    });
    if let Some(ch) = subject {
        if anchor_of(r, ch).is_some() && target_before(r, ch.el_start, ch.start).0.is_none() && !ch.rel.is_partner() {
            let composed = r.lex.compose(ch.rel, rel);
            return Some(Evidence {
                class: c.config.class_of(composed),
                score: 0.7,
                reason: format!(
                    "\"{} {words}\" → {} [relative is the subject]",
                    r.text(ch.start, ch.end),
                    composed.as_str()
                ),
                direction: None,
            });
        }
    }
    // Participants or "they" in the same sentence
    let mut lo = start;
    while lo > 0 && start - lo < 10 && !matches!(r.t.toks[lo - 1].kind, TokKind::Stop | TokKind::Question) {
        lo -= 1;
    }
    let mut hi = end;
    while hi < r.t.toks.len() && hi - end < 6 && !matches!(r.t.toks[hi].kind, TokKind::Stop | TokKind::Question) {
        hi += 1;
    }
    let window = &r.els[r.els.partition_point(|e| e.start() < lo)..r.els.partition_point(|e| e.start() < hi)];
    let named = window.iter().any(|el| {
        matches!(el, El::Cue { cue: Cue::Victim | Cue::Offender | Cue::Anchor, start: s, .. } if *s >= lo && *s < hi)
    }) || (lo..hi).any(|i| PAIR_WORDS.contains(&r.t.word(i)) || matches!(r.t.word(i), "she" | "he" | "we" | "i" | "with"));
    let third = window
        .iter()
        .any(|el| matches!(el, El::Cue { cue: Cue::Third, start: s, .. } if *s >= lo && *s < hi));
    let mut score: f32 = if third && !named {
        0.2
    } else if named {
        0.9
    } else {
        0.55
    };
    let negated = r.negated(k, start, end, 6);
    let mut out_rel = rel;
    if negated {
        out_rel = Relation::Acquaintance;
        score *= 0.7;
    }
    if r.hedged(k, start, end) {
        score *= c.config.hedge_factor;
    }
    Some(Evidence {
        class: c.config.class_of(out_rel),
        score,
        reason: format!(
            "\"{words}\" → {}{}",
            out_rel.as_str(),
            if negated { " [negated]" } else { "" }
        ),
        direction: None,
    })
}
