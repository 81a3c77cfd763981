//! The shared reading steps: units to relation chains, then evidence with scores.
//!
//! A *chain* is one relation phrase, possibly possessive ("her ex-boyfriend's new girlfriend",
//! "father of her child"), composed into one [`Relation`]. The relationship-field reader and
//! the narrative reader both build chains here and differ in how they attach them.

use super::lexicon::{tokenize, units, Cue, Item, Lexicon, ModEffect, TokKind, Tokens, Unit};
use super::{Relation, TextClassifier};
use crate::model::RelClass;

/// Which side a mention is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Victim,
    Offender,
    Third,
}

/// One element of the text after phrase matching.
#[derive(Clone, Debug)]
pub(crate) enum El {
    /// A relation phrase (with its modifiers).
    Rel {
        rel: Relation,
        weight: f32,
        start: usize,
        end: usize,
        code: bool,
    },
    Cue {
        cue: Cue,
        start: usize,
        end: usize,
    },
    Bound {
        kind: TokKind,
        pos: usize,
    },
}

impl El {
    pub(crate) fn start(&self) -> usize {
        match self {
            El::Rel { start, .. } | El::Cue { start, .. } => *start,
            El::Bound { pos, .. } => *pos,
        }
    }
    pub(crate) fn end(&self) -> usize {
        match self {
            El::Rel { end, .. } | El::Cue { end, .. } => *end,
            El::Bound { pos, .. } => pos + 1,
        }
    }
}

/// A composed relation phrase.
#[derive(Clone, Debug)]
pub(crate) struct Chain {
    pub rel: Relation,
    pub weight: f32,
    /// Token range of the whole phrase (anchor excluded).
    pub start: usize,
    pub end: usize,
    /// Element range in the element list.
    pub el_start: usize,
    pub el_end: usize,
    /// Ends with a possessive that owns something other than a relation ("her sister's house").
    pub owner: bool,
    /// An anchor inside the chain ("father of her child"): the side, if a participant.
    pub inner_anchor: Option<Option<Side>>,
    pub code: bool,
}

/// A text read into tokens and elements.
pub(crate) struct Read<'l> {
    pub t: Tokens,
    pub els: Vec<El>,
    pub lex: &'l Lexicon,
    /// The sentence number of each token.
    pub sent: Vec<u32>,
}

/// Articles and fillers skipped when looking for adjacency.
pub(crate) fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "el"
            | "la"
            | "los"
            | "las"
            | "un"
            | "una"
            | "own"
            | "then"
            | "now"
            | "currently"
            | "also"
            | "two"
            | "three"
            | "four"
            | "2"
            | "3"
            | "4"
            | "young"
            | "little"
            | "minor"
            | "infant"
            | "newborn"
            | "unborn"
            | "older"
            | "younger"
            | "oldest"
            | "youngest"
            | "teenage"
            | "juvenile"
            | "mutual"
            | "only"
    )
}

pub(crate) fn read<'l>(c: &'l TextClassifier, text: &str, narrative: bool) -> Read<'l> {
    let fuzzy = if narrative {
        c.config.fuzzy_min_len_narrative
    } else {
        c.config.fuzzy_min_len
    };
    let t = tokenize(&c.lexicon, text, fuzzy);
    let us = units(&c.lexicon, &t, narrative);
    let n_words = t.toks.iter().filter(|k| k.kind == TokKind::Word).count();
    let first_word = t.toks.iter().position(|k| k.kind == TokKind::Word).unwrap_or(0);
    let mut els: Vec<El> = Vec::with_capacity(us.len());
    let mut pending: Vec<(ModEffect, usize)> = Vec::new();
    let rel_item = |u: &Unit| -> Option<(Relation, f32, bool)> {
        u.items.iter().find_map(|it| match *it {
            Item::Rel {
                rel,
                weight,
                rel_only,
                code,
            } => {
                if code {
                    (!narrative && u.start == first_word && n_words <= 4).then_some((rel, weight, true))
                } else if rel_only && narrative && !u.possessed {
                    None
                } else {
                    Some((rel, weight, false))
                }
            }
            _ => None,
        })
    };
    for (k, u) in us.iter().enumerate() {
        if u.items.is_empty() {
            pending.clear();
            els.push(El::Bound {
                kind: t.toks[u.start].kind,
                pos: u.start,
            });
            continue;
        }
        let next = us.get(k + 1).filter(|n| n.start == u.end);
        let next_is_rel_or_mod = next
            .is_some_and(|n| rel_item(n).is_some_and(|r| !r.2) || n.items.iter().any(|i| matches!(i, Item::Mod(_))));
        let modifier = u.items.iter().find_map(|i| match i {
            Item::Mod(m) => Some(*m),
            _ => None,
        });
        // "in law" after a relation
        if modifier == Some(ModEffect::InLaw) {
            if let Some(El::Rel { rel, end, .. }) = els.last_mut() {
                if *end == u.start {
                    *rel = match *rel {
                        Relation::Parent => Relation::ParentInLaw,
                        Relation::Child => Relation::ChildInLaw,
                        Relation::Sibling => Relation::SiblingInLaw,
                        r if r.is_family() => Relation::InLaw,
                        r => r,
                    };
                    *end = u.end;
                    continue;
                }
            }
        }
        if let Some(m) = modifier {
            if next_is_rel_or_mod && m != ModEffect::InLaw {
                pending.push((m, u.start));
                continue;
            }
        }
        if let Some((mut rel, weight, code)) = rel_item(u) {
            let mut start = u.start;
            for &(m, s) in &pending {
                start = start.min(s);
                rel = match (m, rel) {
                    (ModEffect::Former, r) => r.former(),
                    (ModEffect::Step, Relation::Parent) => Relation::StepParent,
                    (ModEffect::Step, Relation::Child) => Relation::StepChild,
                    (ModEffect::Step, Relation::Sibling) => Relation::StepSibling,
                    (ModEffect::Step, r) if r.is_family() => Relation::Relative,
                    (ModEffect::Foster, Relation::Parent) => Relation::FosterParent,
                    (ModEffect::Foster, Relation::Child) => Relation::FosterChild,
                    (_, r) => r,
                };
            }
            pending.clear();
            els.push(El::Rel {
                rel,
                weight,
                start,
                end: u.end,
                code,
            });
            continue;
        }
        pending.clear();
        if let Some(cue) = u.items.iter().find_map(|i| match i {
            Item::Cue(c) => Some(*c),
            _ => None,
        }) {
            els.push(El::Cue {
                cue,
                start: u.start,
                end: u.end,
            });
        }
    }
    // The reporting party is the victim unless a victim is named besides: then a third party.
    if narrative {
        let is_rp = |t: &Tokens, start: usize, end: usize| {
            matches!(
                t.word(start),
                "rp" | "r" | "reporting" | "comp" | "compl" | "complainant" | "the"
            ) && !(start..end).any(|i| matches!(t.word(i), "victim" | "vic" | "vict"))
        };
        let other_victim = els
            .iter()
            .any(|e| matches!(e, El::Cue { cue: Cue::Victim, start, end } if !is_rp(&t, *start, *end)));
        if other_victim {
            for e in els.iter_mut() {
                if let El::Cue { cue, start, end } = e {
                    if *cue == Cue::Victim && is_rp(&t, *start, *end) {
                        *cue = Cue::Third;
                    }
                }
            }
        }
    }
    let mut n = 0u32;
    let sent = t
        .toks
        .iter()
        .map(|k| {
            let here = n;
            if matches!(k.kind, TokKind::Stop | TokKind::Question) {
                n += 1;
            }
            here
        })
        .collect();
    Read {
        t,
        els,
        lex: &c.lexicon,
        sent,
    }
}

impl Read<'_> {
    /// The sentence number of token `i`.
    pub(crate) fn sentence_of(&self, i: usize) -> usize {
        self.sent.get(i).copied().unwrap_or(0) as usize
    }

    /// Whether only fillers lie between tokens `a` (exclusive end) and `b` (start).
    pub(crate) fn adjacent(&self, a_end: usize, b_start: usize) -> bool {
        a_end <= b_start && (a_end..b_start).all(|i| self.t.toks[i].kind == TokKind::Word && is_filler(self.t.word(i)))
    }

    /// The words between two token positions, if they are all in `allowed` (or fillers).
    pub(crate) fn only_words(&self, a_end: usize, b_start: usize, allowed: &[&str]) -> bool {
        a_end <= b_start
            && (a_end..b_start).all(|i| {
                let w = self.t.word(i);
                self.t.toks[i].kind == TokKind::Word && (is_filler(w) || allowed.contains(&w))
            })
    }

    /// The side of a participant cue.
    pub(crate) fn side(cue: Cue) -> Option<Side> {
        match cue {
            Cue::Victim => Some(Side::Victim),
            Cue::Offender => Some(Side::Offender),
            Cue::Third => Some(Side::Third),
            _ => None,
        }
    }

    /// Whether the token at `i` is possessive (`'s`, or a plural `s` before a relation).
    pub(crate) fn poss_at(&self, i: usize, next_is_rel: bool) -> bool {
        self.t.toks.get(i).is_some_and(|t| t.poss || (t.plural && next_is_rel))
    }

    /// The text of tokens `a..b`, for reasons.
    pub(crate) fn text(&self, a: usize, b: usize) -> String {
        let mut s = String::new();
        for i in a..b.min(self.t.toks.len()) {
            if self.t.toks[i].kind != TokKind::Word {
                continue;
            }
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(self.t.word(i));
            if self.t.toks[i].poss {
                s.push_str("'s");
            }
        }
        s
    }

    /// Build the chains: possessives ("a's b") and "b of a" joined and composed.
    pub(crate) fn chains(&self) -> Vec<Chain> {
        let mut out: Vec<Chain> = Vec::new();
        let mut k = 0;
        while k < self.els.len() {
            let El::Rel {
                rel,
                weight,
                start,
                end,
                code,
            } = self.els[k]
            else {
                k += 1;
                continue;
            };
            let mut ch = Chain {
                rel,
                weight,
                start,
                end,
                el_start: k,
                el_end: k + 1,
                owner: false,
                inner_anchor: None,
                code,
            };
            loop {
                let j = ch.el_end;
                let next_rel = |idx: usize| match self.els.get(idx) {
                    Some(El::Rel {
                        rel,
                        weight,
                        start,
                        end,
                        ..
                    }) => Some((*rel, *weight, *start, *end)),
                    _ => None,
                };
                if let Some((r2, w2, s2, e2)) = next_rel(j) {
                    if self.poss_at(ch.end - 1, true) && self.adjacent(ch.end, s2) {
                        ch.rel = self.lex.compose(ch.rel, r2);
                        ch.weight = ch.weight.min(w2);
                        ch.end = e2;
                        ch.el_end = j + 1;
                        continue;
                    }
                    if self.only_words(ch.end, s2, &["of", "de", "del", "to"])
                        && (ch.end..s2).any(|i| matches!(self.t.word(i), "of" | "de" | "del"))
                    {
                        ch.rel = self.lex.compose(r2, ch.rel);
                        ch.weight = ch.weight.min(w2);
                        ch.end = e2;
                        ch.el_end = j + 1;
                        continue;
                    }
                }
                // "father of her child", "padre de mi hijo", "father of V's child"
                if let (
                    Some(El::Cue {
                        cue,
                        start: cs,
                        end: ce,
                    }),
                    Some((r2, w2, s2, e2)),
                ) = (self.els.get(j), next_rel(j + 1))
                {
                    let is_anchor = matches!(cue, Cue::Anchor)
                        || (matches!(cue, Cue::Victim | Cue::Offender) && self.poss_at(ce - 1, true));
                    if is_anchor
                        && self.only_words(ch.end, *cs, &["of", "de", "del", "to"])
                        && (ch.end..*cs).any(|i| matches!(self.t.word(i), "of" | "de" | "del" | "to"))
                        && self.adjacent(*ce, s2)
                    {
                        ch.rel = self.lex.compose(r2, ch.rel);
                        ch.weight = ch.weight.min(w2);
                        ch.inner_anchor = Some(Read::side(*cue));
                        ch.end = e2;
                        ch.el_end = j + 2;
                        continue;
                    }
                }
                break;
            }
            let next_is_rel = matches!(self.els.get(ch.el_end), Some(El::Rel { .. }));
            ch.owner = self.t.toks.get(ch.end - 1).is_some_and(|t| t.poss) && !next_is_rel;
            k = ch.el_end;
            out.push(ch);
        }
        out
    }

    /// A negation before element `k` (within `window` tokens, same clause, with only copulas,
    /// participants, possessives and small words between: "is not her boyfriend", "denied
    /// that they were dating"), unless the relation is said to be over ("not ... anymore").
    pub(crate) fn negated(&self, k: usize, start_tok: usize, end_tok: usize, window: usize) -> bool {
        let mut j = k;
        let mut pos = start_tok;
        while j > 0 {
            j -= 1;
            let el = &self.els[j];
            if start_tok.saturating_sub(el.end()) > window {
                return false;
            }
            if !(el.end()..pos).all(|i| NEG_GAP.contains(&self.t.word(i))) {
                return false;
            }
            match el {
                El::Cue { cue: Cue::Negation, .. } => {
                    // "not together anymore" = over, not denied
                    let after = (start_tok..(end_tok + 5).min(self.t.toks.len()))
                        .any(|i| matches!(self.t.word(i), "anymore" | "longer"));
                    return !after;
                }
                El::Cue {
                    cue:
                        Cue::Copula | Cue::Anchor | Cue::Victim | Cue::Offender | Cue::Label | Cue::Hedge | Cue::PartnerVerb,
                    ..
                } => {}
                _ => return false,
            }
            pos = el.start();
        }
        false
    }

    /// A hedge in the same sentence before element `k` (within 8 tokens) or a `?` just after.
    pub(crate) fn hedged(&self, k: usize, start_tok: usize, end_tok: usize) -> bool {
        let mut j = k;
        while j > 0 {
            j -= 1;
            let el = &self.els[j];
            if start_tok.saturating_sub(el.end()) > 8 {
                break;
            }
            match el {
                El::Bound {
                    kind: TokKind::Stop | TokKind::Question,
                    ..
                } => break,
                El::Cue { cue: Cue::Hedge, .. } => return true,
                _ => {}
            }
        }
        (end_tok..(end_tok + 3).min(self.t.toks.len())).any(|i| self.t.toks[i].kind == TokKind::Question)
    }
}

/// One piece of evidence for a class.
#[derive(Clone, Debug)]
pub(crate) struct Evidence {
    pub class: RelClass,
    pub score: f32,
    pub reason: String,
    pub direction: Option<Relation>,
}

/// Pick the best class from the evidence: its score is the confidence, lowered when another
/// class comes close.
pub(crate) fn decide(ev: &[Evidence]) -> Option<(&Evidence, f32)> {
    let best = ev.iter().fold(None::<&Evidence>, |b, e| match b {
        Some(b) if b.score >= e.score => Some(b),
        _ => Some(e),
    })?;
    let runner = ev
        .iter()
        .filter(|e| e.class != best.class)
        .map(|e| e.score)
        .fold(0.0f32, f32::max);
    let conf = if best.score > 0.0 {
        best.score * (1.0 - 0.5 * runner / best.score)
    } else {
        0.0
    };
    Some((best, conf.clamp(0.0, 1.0)))
}

/// Words that may sit between a negation and the relation it denies.
const NEG_GAP: &[&str] = &[
    "in",
    "a",
    "an",
    "the",
    "with",
    "that",
    "currently",
    "ever",
    "any",
    "kind",
    "type",
    "sort",
    "of",
    "he",
    "she",
    "they",
    "them",
    "we",
    "i",
    "it",
    "has",
    "have",
    "had",
    "having",
    "being",
    "to",
    "each",
    "other",
    "been",
    "romantic",
    "romantically",
    "intimate",
    "involved",
    "sexual",
    "and",
    "actually",
    "really",
    "even",
    "officially",
    "together",
    "one",
    "another",
    "her",
    "his",
    "him",
    "this",
    "person",
    "male",
    "female",
    "man",
    "woman",
    "s",
    "do",
    "does",
    "did",
    "at",
    "all",
    "ni",
    "es",
    "su",
    "son",
    "el",
    "ella",
    "yet",
    "married",
    "dating",
];
