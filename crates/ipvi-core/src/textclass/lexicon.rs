//! The lexicon (relation words, modifiers, cue words, possession rules) and the tokenizer.
//!
//! The lexicon is data: four tab-separated files under `crates/ipvi-core/data/text/`, embedded
//! in the build with `include_str!` and parsed once. [`Lexicon::from_sources`] takes edited
//! copies of the files. Phrases are normalised exactly like the input text, so a phrase is
//! written in the files as an officer would type it.

use super::Relation;
use std::collections::HashMap;
use thiserror::Error;

const RELATIONS: &str = include_str!("../../data/text/relations.tsv");
const MODIFIERS: &str = include_str!("../../data/text/modifiers.tsv");
const CUES: &str = include_str!("../../data/text/cues.tsv");
const COMPOSE: &str = include_str!("../../data/text/compose.tsv");

/// A problem in a lexicon file.
#[derive(Debug, Error, PartialEq)]
pub enum LexiconError {
    #[error("lexicon file {file}, line {line}: {value:?}: {message}; fix the line or remove it")]
    Line {
        file: String,
        line: usize,
        value: String,
        message: String,
    },
}

/// What a modifier does to the relation next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModEffect {
    Former,
    Step,
    Half,
    InLaw,
    Foster,
    Neutral,
}

/// Kinds of cue words in narratives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    Victim,
    Offender,
    Third,
    Anchor,
    Negation,
    Former,
    Hedge,
    PartnerVerb,
    Copula,
    Breaker,
    ThirdVerb,
    Place,
    Label,
}

/// What a phrase means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item {
    /// A relation word; `rel_only`: only in relationship fields; `code`: a NIBRS code.
    Rel {
        rel: Relation,
        weight: f32,
        rel_only: bool,
        code: bool,
    },
    Mod(ModEffect),
    Cue(Cue),
}

#[derive(Clone, Debug)]
struct Phrase {
    words: Vec<String>,
    items: Vec<Item>,
}

/// The parsed lexicon.
#[derive(Clone, Debug)]
pub struct Lexicon {
    phrases: Vec<Phrase>,
    /// First word → phrase indices, longest phrase first.
    by_first: HashMap<String, Vec<usize>>,
    /// One-deletion variants of relation words → the words (for typo correction).
    deletions: HashMap<String, Vec<String>>,
    /// Possession rules: (first, second, result); `None` is the wildcard.
    compose: Vec<(Option<Relation>, Option<Relation>, Relation)>,
}

fn lines(src: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    src.lines().enumerate().filter_map(|(i, l)| {
        let t = l.trim_end_matches('\r');
        if t.trim().is_empty() || t.trim_start().starts_with('#') {
            None
        } else {
            Some((i + 1, t.split('\t').map(str::trim).collect()))
        }
    })
}

fn err(file: &str, line: usize, value: &str, message: &str) -> LexiconError {
    LexiconError::Line {
        file: file.to_string(),
        line,
        value: value.to_string(),
        message: message.to_string(),
    }
}

impl Lexicon {
    /// The lexicon built into the program.
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        Lexicon::from_sources(RELATIONS, MODIFIERS, CUES, COMPOSE)
    }

    /// The built-in files' text, for an editor to start from: (name, contents).
    pub fn builtin_sources() -> [(&'static str, &'static str); 4] {
        [
            ("relations.tsv", RELATIONS),
            ("modifiers.tsv", MODIFIERS),
            ("cues.tsv", CUES),
            ("compose.tsv", COMPOSE),
        ]
    }

    /// Parse the four lexicon files.
    pub fn from_sources(relations: &str, modifiers: &str, cues: &str, compose: &str) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon {
            phrases: Vec::new(),
            by_first: HashMap::new(),
            deletions: HashMap::new(),
            compose: Vec::new(),
        };
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        let mut add = |lex: &mut Lexicon, phrase: &str, item: Item| {
            let words = normalise_phrase(phrase);
            if words.is_empty() {
                return;
            }
            match index.get(&words) {
                Some(&i) => lex.phrases[i].items.push(item),
                None => {
                    index.insert(words.clone(), lex.phrases.len());
                    lex.phrases.push(Phrase {
                        words,
                        items: vec![item],
                    });
                }
            }
        };
        for (n, cols) in lines(relations) {
            let (Some(p), Some(r)) = (cols.first(), cols.get(1)) else {
                return Err(err("relations.tsv", n, &cols.join(" "), "needs phrase and relation"));
            };
            let rel = Relation::parse(r).ok_or_else(|| err("relations.tsv", n, r, "unknown relation"))?;
            let weight = match cols.get(2) {
                Some(w) => w
                    .parse::<f32>()
                    .map_err(|_| err("relations.tsv", n, w, "weight must be a number"))?,
                None => 0.9,
            };
            if !(0.0..=1.0).contains(&weight) {
                return Err(err(
                    "relations.tsv",
                    n,
                    &weight.to_string(),
                    "weight must be between 0 and 1",
                ));
            }
            let flags = cols.get(3).copied().unwrap_or("");
            let item = Item::Rel {
                rel,
                weight,
                rel_only: flags.contains("rel"),
                code: flags.contains("code"),
            };
            add(&mut lex, p, item);
        }
        for (n, cols) in lines(modifiers) {
            let (Some(p), Some(e)) = (cols.first(), cols.get(1)) else {
                return Err(err("modifiers.tsv", n, &cols.join(" "), "needs phrase and effect"));
            };
            let eff = match *e {
                "former" => ModEffect::Former,
                "step" => ModEffect::Step,
                "half" => ModEffect::Half,
                "inlaw" => ModEffect::InLaw,
                "foster" => ModEffect::Foster,
                "neutral" => ModEffect::Neutral,
                _ => return Err(err("modifiers.tsv", n, e, "unknown effect")),
            };
            add(&mut lex, p, Item::Mod(eff));
        }
        for (n, cols) in lines(cues) {
            let (Some(p), Some(k)) = (cols.first(), cols.get(1)) else {
                return Err(err("cues.tsv", n, &cols.join(" "), "needs phrase and kind"));
            };
            let cue = match *k {
                "victim" => Cue::Victim,
                "offender" => Cue::Offender,
                "third" => Cue::Third,
                "anchor" => Cue::Anchor,
                "negation" => Cue::Negation,
                "former" => Cue::Former,
                "hedge" => Cue::Hedge,
                "partner_verb" => Cue::PartnerVerb,
                "copula" => Cue::Copula,
                "breaker" => Cue::Breaker,
                "third_verb" => Cue::ThirdVerb,
                "place" => Cue::Place,
                "label" => Cue::Label,
                _ => return Err(err("cues.tsv", n, k, "unknown kind")),
            };
            add(&mut lex, p, Item::Cue(cue));
        }
        for (n, cols) in lines(compose) {
            if cols.len() < 3 {
                return Err(err("compose.tsv", n, &cols.join(" "), "needs first, second and result"));
            }
            let side = |s: &str| -> Result<Option<Relation>, LexiconError> {
                if s == "*" {
                    Ok(None)
                } else {
                    Relation::parse(s)
                        .map(Some)
                        .ok_or_else(|| err("compose.tsv", n, s, "unknown relation"))
                }
            };
            let res = Relation::parse(cols[2]).ok_or_else(|| err("compose.tsv", n, cols[2], "unknown relation"))?;
            lex.compose.push((side(cols[0])?, side(cols[1])?, res));
        }
        for (i, p) in lex.phrases.iter().enumerate() {
            lex.by_first.entry(p.words[0].clone()).or_default().push(i);
        }
        let phrases = &lex.phrases;
        for v in lex.by_first.values_mut() {
            v.sort_by_key(|&i| std::cmp::Reverse(phrases[i].words.len()));
        }
        // Typo index: single relation words of five letters or more.
        for p in &lex.phrases {
            if p.words.len() == 1 && p.items.iter().any(|i| matches!(i, Item::Rel { code: false, .. })) {
                let w = &p.words[0];
                if w.chars().count() >= 5 && w.is_ascii() {
                    for d in deletions(w) {
                        lex.deletions.entry(d).or_default().push(w.clone());
                    }
                }
            }
        }
        Ok(lex)
    }

    /// Whether a word starts any phrase.
    pub(crate) fn knows(&self, w: &str) -> bool {
        self.by_first.contains_key(w)
    }

    /// Whether a word is a (single-word) relation or participant, for plural and prefix handling.
    fn is_rel_word(&self, w: &str) -> bool {
        self.single(w)
            .is_some_and(|p| p.items.iter().any(|i| matches!(i, Item::Rel { code: false, .. })))
    }

    fn is_participant_word(&self, w: &str) -> bool {
        self.single(w).is_some_and(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Cue(Cue::Victim | Cue::Offender | Cue::Third)))
        })
    }

    fn single(&self, w: &str) -> Option<&Phrase> {
        self.by_first
            .get(w)?
            .iter()
            .map(|&i| &self.phrases[i])
            .find(|p| p.words.len() == 1)
    }

    /// The relation word one edit away from `w` (deletion, insertion, substitution or swap).
    fn correct(&self, w: &str, min_len: usize) -> Option<&str> {
        // One edit from a relation word is never longer than the longest one plus a letter; the
        // cap also keeps a hostile 100,000-letter word from building 100,000 deletions.
        if w.len() < min_len
            || w.len() > crate::limits::MAX_CORRECTED_WORD_BYTES
            || !w.is_ascii()
            || STOP_FUZZY.contains(&w)
        {
            return None;
        }
        let mut keys = vec![w.to_string()];
        keys.extend(deletions(w));
        for k in keys {
            if let Some(cands) = self.deletions.get(&k) {
                for c in cands {
                    if c.len() >= min_len && osa_le1(w, c) {
                        return Some(c.as_str());
                    }
                }
            }
            if k.len() + 1 == w.len() && k.len() >= min_len && self.is_rel_word(&k) {
                return self.single(&k).map(|p| p.words[0].as_str());
            }
        }
        None
    }

    /// The result of "first's second" from the possession rules.
    pub fn compose(&self, first: Relation, second: Relation) -> Relation {
        for &(a, b, r) in &self.compose {
            if a.is_none_or(|a| a == first) && b.is_none_or(|b| b == second) {
                return r;
            }
        }
        if first.is_family() && second.is_family() {
            Relation::Relative
        } else {
            Relation::Acquaintance
        }
    }
}

/// Ordinary words one edit away from a relation word, never corrected.
const STOP_FUZZY: &[&str] = &[
    "laughter",
    "slaughter",
    "bother",
    "farther",
    "another",
    "smother",
    "fiend",
    "friday",
];

fn deletions(w: &str) -> Vec<String> {
    let b = w.as_bytes();
    (0..b.len())
        .map(|i| {
            let mut s = String::with_capacity(b.len());
            s.push_str(&w[..i]);
            s.push_str(&w[i + 1..]);
            s
        })
        .collect()
}

/// Optimal string alignment distance at most one.
fn osa_le1(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        if a[p + 1..] == b[p + 1..] {
            return true;
        }
        p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..]
    } else if la > lb {
        a[p + 1..] == b[p..]
    } else {
        a[p..] == b[p + 1..]
    }
}

/// Kinds of tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Word,
    /// `,` `(` `)` `:` `"` and similar: a light boundary.
    Comma,
    /// `.` `;` `!` and line breaks: the end of a sentence.
    Stop,
    /// `?`: a hedge and the end of a sentence.
    Question,
}

/// One token: a range of the normalised buffer.
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub start: u32,
    pub end: u32,
    pub kind: TokKind,
    /// Followed by `'s` or `s'`, or a plural `s` used as a possessive ("moms bf").
    pub poss: bool,
    /// The word had a plural `s` removed ("sons" → "son").
    pub plural: bool,
    /// Preceded by `/` ("mother/son").
    pub slash: bool,
}

/// A normalised text and its tokens.
#[derive(Debug, Default)]
pub struct Tokens {
    pub buf: String,
    pub toks: Vec<Tok>,
}

impl Tokens {
    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) => self.buf.get(t.start as usize..t.end as usize).unwrap_or(""),
            None => "",
        }
    }
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        '’' | '‘' | '`' | '´' => '\'',
        c => c.to_ascii_lowercase(),
    }
}

/// Normalise a lexicon phrase into words (no lexicon-dependent steps).
fn normalise_phrase(p: &str) -> Vec<String> {
    let t = raw_tokens(p);
    t.toks
        .iter()
        .filter(|k| k.kind == TokKind::Word)
        .map(|k| t.buf[k.start as usize..k.end as usize].to_string())
        .collect()
}

/// First pass: characters to words and boundaries.
fn raw_tokens(text: &str) -> Tokens {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut out = Tokens {
        buf: String::with_capacity(text.len() + 16),
        toks: Vec::with_capacity(text.len() / 4 + 4),
    };
    let mut cur: Option<u32> = None;
    let mut slash_pending = false;
    let is_an = |c: char| c.is_ascii_alphanumeric() || (c.is_alphanumeric() && !c.is_ascii());
    let n = chars.len();
    let mut i = 0;
    macro_rules! close {
        () => {
            if let Some(s) = cur.take() {
                let e = out.buf.len() as u32;
                if e > s {
                    out.toks.push(Tok {
                        start: s,
                        end: e,
                        kind: TokKind::Word,
                        poss: false,
                        plural: false,
                        slash: slash_pending,
                    });
                }
                slash_pending = false;
            }
        };
    }
    while i < n {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let next2 = chars.get(i + 2).copied().unwrap_or(' ');
        let cur_len = cur.map(|s| out.buf.len() as u32 - s).unwrap_or(0);
        if is_an(c) {
            if cur.is_none() {
                cur = Some(out.buf.len() as u32);
            }
            out.buf.push(c);
        } else if c == '\'' {
            let pronoun = cur.is_some_and(|st| {
                matches!(
                    &out.buf[st as usize..],
                    "he" | "she" | "it" | "that" | "there" | "who" | "what" | "where" | "here" | "everything"
                )
            });
            if pronoun && next == 's' && !is_an(next2) {
                // she's → she is
                close!();
                let s = out.buf.len() as u32;
                out.buf.push_str("is");
                out.toks.push(Tok {
                    start: s,
                    end: s + 2,
                    kind: TokKind::Word,
                    poss: false,
                    plural: false,
                    slash: false,
                });
                i += 2;
                continue;
            }
            if cur.is_some() && next == 's' && !is_an(next2) {
                // possessive 's
                close!();
                if let Some(t) = out.toks.last_mut() {
                    t.poss = true;
                }
                i += 2;
                continue;
            } else if cur.is_some() && next == 't' && !is_an(next2) && out.buf.ends_with('n') {
                // n't → not
                out.buf.pop();
                if out.buf.len() as u32 == cur.unwrap_or(0) {
                    cur = None;
                }
                close!();
                let s = out.buf.len() as u32;
                out.buf.push_str("not");
                out.toks.push(Tok {
                    start: s,
                    end: s + 3,
                    kind: TokKind::Word,
                    poss: false,
                    plural: false,
                    slash: false,
                });
                i += 2;
                continue;
            } else if let Some((word, skip)) = contraction(&chars, i).filter(|_| cur.is_some()) {
                // they've → they have, she's handled above as a possessive
                close!();
                let s = out.buf.len() as u32;
                out.buf.push_str(word);
                out.toks.push(Tok {
                    start: s,
                    end: out.buf.len() as u32,
                    kind: TokKind::Word,
                    poss: false,
                    plural: false,
                    slash: false,
                });
                i += skip;
                continue;
            } else if cur.is_some() && prev == 's' && !is_an(next) {
                close!();
                if let Some(t) = out.toks.last_mut() {
                    t.poss = true;
                }
            } else {
                // o'brien, don't-like forms: keep the word together
            }
        } else if (c == '/' || c == '.' || c == '\\' || c == '-')
            && cur_len == 1
            && is_an(next)
            && !is_an(next2)
            && !is_an(prev_prev(&chars, i))
        {
            // b/f, g.f., s/o: join single letters
            if c == '/' && out.buf.ends_with('s') && next == 'o' {
                out.buf.pop();
                out.buf.push_str("sigother");
                i += 2;
                continue;
            }
        } else {
            close!();
            let kind = match c {
                '.' | ';' | '!' | '\n' | '\r' => Some(TokKind::Stop),
                '?' => Some(TokKind::Question),
                ',' | '(' | ')' | ':' | '"' | '[' | ']' | '{' | '}' | '|' => Some(TokKind::Comma),
                '/' => {
                    slash_pending = true;
                    None
                }
                _ => None,
            };
            if let Some(kind) = kind {
                let s = out.buf.len() as u32;
                out.toks.push(Tok {
                    start: s,
                    end: s,
                    kind,
                    poss: false,
                    plural: false,
                    slash: false,
                });
            }
        }
        i += 1;
    }
    if let Some(s) = cur {
        let e = out.buf.len() as u32;
        if e > s {
            out.toks.push(Tok {
                start: s,
                end: e,
                kind: TokKind::Word,
                poss: false,
                plural: false,
                slash: slash_pending,
            });
        }
    }
    out
}

/// `'ve`, `'re`, `'ll`, `'d`, `'m` at `chars[i]` (the apostrophe): the word and the characters to skip.
fn contraction(chars: &[char], i: usize) -> Option<(&'static str, usize)> {
    let at = |k: usize| chars.get(i + k).copied().unwrap_or(' ');
    let end = |k: usize| !at(k).is_alphanumeric();
    match (at(1), at(2)) {
        ('v', 'e') if end(3) => Some(("have", 3)),
        ('r', 'e') if end(3) => Some(("are", 3)),
        ('l', 'l') if end(3) => Some(("will", 3)),
        ('d', _) if end(2) => Some(("would", 2)),
        ('m', _) if end(2) => Some(("am", 2)),
        _ => None,
    }
}

fn prev_prev(chars: &[char], i: usize) -> char {
    if i >= 2 {
        chars[i - 2]
    } else {
        ' '
    }
}

/// Prefixes split off a word when the rest is a relation word ("exwife", "stepson").
const PREFIXES: &[&str] = &["ex", "x", "step", "half", "former", "fmr"];

/// Tokenise a text for the lexicon: words, boundaries, possessives, plurals, typos.
pub fn tokenize(lex: &Lexicon, text: &str, fuzzy_min_len: usize) -> Tokens {
    let mut t = raw_tokens(text);
    let mut out: Vec<Tok> = Vec::with_capacity(t.toks.len() + 4);
    // Words added by the tokenizer (typo corrections, "in law") go after the text, so that the
    // text's words can be borrowed while the loop runs.
    let base = t.buf.len() as u32;
    let mut extra = String::new();
    for idx in 0..t.toks.len() {
        let tok = t.toks[idx];
        if tok.kind != TokKind::Word {
            out.push(tok);
            continue;
        }
        let (s, e) = (tok.start as usize, tok.end as usize);
        let w = &t.buf[s..e];
        if lex.knows(w) {
            // "kids mom", "parents house": a known plural can be a possessive without apostrophe
            let plural = w.len() > 3
                && w.strip_suffix('s')
                    .is_some_and(|st| lex.is_rel_word(st) || lex.is_participant_word(st));
            out.push(Tok {
                plural: tok.plural || plural,
                ..tok
            });
            continue;
        }
        // "inlaw" suffix: motherinlaw → mother in law
        if let Some(stem) = w.strip_suffix("inlaw").or_else(|| w.strip_suffix("inlaws")) {
            if lex.is_rel_word(stem) {
                let l = stem.len() as u32;
                out.push(Tok {
                    end: tok.start + l,
                    poss: false,
                    ..tok
                });
                let ns = base + extra.len() as u32;
                extra.push_str("in law");
                out.push(Tok {
                    start: ns,
                    end: ns + 2,
                    slash: false,
                    ..tok
                });
                out.push(Tok {
                    start: ns + 3,
                    end: ns + 6,
                    slash: false,
                    ..tok
                });
                continue;
            }
        }
        if let Some((p, rest)) = PREFIXES.iter().find_map(|p| w.strip_prefix(p).map(|r| (p, r))) {
            let rest_ok = lex.is_rel_word(rest) || rest.strip_suffix('s').is_some_and(|r| lex.is_rel_word(r));
            if rest_ok && !rest.is_empty() {
                let l = p.len() as u32;
                out.push(Tok {
                    end: tok.start + l,
                    poss: false,
                    ..tok
                });
                let mut second = Tok {
                    start: tok.start + l,
                    slash: false,
                    ..tok
                };
                if !lex.is_rel_word(rest) {
                    second.end -= 1;
                    second.plural = true;
                }
                out.push(second);
                continue;
            }
        }
        if let Some(stem) = w.strip_suffix('s') {
            if lex.is_rel_word(stem) || lex.is_participant_word(stem) {
                out.push(Tok {
                    end: tok.end - 1,
                    plural: true,
                    ..tok
                });
                continue;
            }
        }
        if fuzzy_min_len > 0 {
            if let Some(c) = lex.correct(w, fuzzy_min_len) {
                let ns = t.buf.len() as u32;
                t.buf.push_str(c);
                out.push(Tok {
                    start: ns,
                    end: t.buf.len() as u32,
                    ..tok
                });
                continue;
            }
        }
        out.push(tok);
    }
    t.buf.push_str(&extra);
    t.toks = out;
    t
}

/// A matched phrase: tokens `start..end` and what the phrase can mean.
#[derive(Clone, Copy, Debug)]
pub struct Unit<'l> {
    pub start: usize,
    pub end: usize,
    pub items: &'l [Item],
    /// Right after a possessive ("her", "his", "V's"): abbreviations kept for relationship
    /// fields ("BM", "BD") are accepted in a narrative here.
    pub possessed: bool,
}

/// Match the lexicon's phrases left to right, longest first. Words that match nothing are
/// skipped; boundaries are kept as units with no items.
pub fn units<'l>(lex: &'l Lexicon, t: &Tokens, narrative: bool) -> Vec<Unit<'l>> {
    let mut out = Vec::with_capacity(t.toks.len());
    let mut i = 0;
    let n = t.toks.len();
    while i < n {
        if t.toks[i].kind != TokKind::Word {
            out.push(Unit {
                start: i,
                end: i + 1,
                items: &[],
                possessed: false,
            });
            i += 1;
            continue;
        }
        let possessed = i > 0
            && (t.toks[i - 1].poss
                || t.toks[i - 1].plural
                || matches!(t.word(i - 1), "her" | "his" | "their" | "my" | "su" | "mi")
                // "S1 (BM)": an abbreviation in brackets after a participant
                || (i >= 2 && t.toks[i - 1].kind == TokKind::Comma && lex.is_participant_word(t.word(i - 2))));
        let mut matched = None;
        if let Some(cands) = lex.by_first.get(t.word(i)) {
            for &pi in cands {
                let p = &lex.phrases[pi];
                let len = p.words.len();
                if i + len > n {
                    continue;
                }
                let ok = (1..len).all(|k| {
                    let tk = t.toks[i + k];
                    tk.kind == TokKind::Word && t.word(i + k) == p.words[k] && !t.toks[i + k - 1].poss
                });
                let usable =
                    !narrative || possessed || p.items.iter().any(|it| !matches!(it, Item::Rel { rel_only: true, .. }));
                if ok && usable {
                    matched = Some((len, p.items.as_slice()));
                    break;
                }
            }
        }
        match matched {
            Some((len, items)) => {
                out.push(Unit {
                    start: i,
                    end: i + len,
                    items,
                    possessed,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let lex = Lexicon::builtin().unwrap();
        let t = tokenize(&lex, text, 5);
        (0..t.toks.len())
            .filter(|&i| t.toks[i].kind == TokKind::Word)
            .map(|i| t.word(i).to_string())
            .collect()
    }

    /// Regression: one 100,000-letter word in a relationship text built every one-letter
    /// deletion of it (memory with the square of its length) and aborted the process.
    #[test]
    fn long_words_are_not_spell_corrected() {
        let lex = Lexicon::builtin().unwrap();
        let longest = lex
            .phrases
            .iter()
            .flat_map(|p| p.words.iter())
            .map(String::len)
            .max()
            .unwrap();
        assert!(longest < crate::limits::MAX_CORRECTED_WORD_BYTES, "{longest}");
        assert_eq!(lex.correct("girlfreind", 4), Some("girlfriend"));
        let long = "girlfreind".repeat(10_000);
        assert_eq!(lex.correct(&long, 4), None);
        let c = crate::textclass::builtin().unwrap();
        assert_eq!(c.relationship(&long).class, crate::model::RelClass::Unknown);
        assert_eq!(c.narrative(&long).class, crate::model::RelClass::Unknown);
    }

    #[test]
    fn normalises_as_clerks_write() {
        let cases: &[(&str, &[&str])] = &[
            ("B/F", &["bf"]),
            ("G.F.", &["gf"]),
            ("EX-BF", &["ex", "bf"]),
            ("X-WIFE", &["x", "wife"]),
            ("EXWIFE", &["ex", "wife"]),
            ("Stepgrandson", &["step", "grandson"]),
            ("HALFSISTER", &["half", "sister"]),
            ("MOTHERINLAW", &["mother", "in", "law"]),
            ("Fiancée", &["fiancee"]),
            ("cuñado", &["cunado"]),
            ("girlfirend", &["girlfriend"]),
            ("he didn't", &["he", "did", "not"]),
            ("S/O", &["sigother"]),
            ("they've been", &["they", "have", "been"]),
            ("she's been", &["she", "is", "been"]),
        ];
        for (input, want) in cases {
            assert_eq!(
                words(input),
                want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{input}"
            );
        }
    }

    #[test]
    fn one_edit_distance() {
        assert!(osa_le1("girlfirend", "girlfriend"));
        assert!(osa_le1("boyfrend", "boyfriend"));
        assert!(osa_le1("husbandd", "husband"));
        assert!(!osa_le1("brother", "another"));
    }

    #[test]
    fn possession_rules_compose() {
        let lex = Lexicon::builtin().unwrap();
        assert_eq!(lex.compose(Relation::Child, Relation::Parent), Relation::CoParent);
        assert_eq!(
            lex.compose(Relation::Parent, Relation::Partner),
            Relation::ParentsPartner
        );
        assert_eq!(
            lex.compose(Relation::ExPartner, Relation::Partner),
            Relation::Acquaintance
        );
        assert_eq!(lex.compose(Relation::Parent, Relation::Cousin), Relation::Relative);
    }

    #[test]
    fn bad_lexicon_lines_are_named() {
        let e = Lexicon::from_sources("boyfriend\tlover_of_mine\n", "", "", "").unwrap_err();
        assert!(e.to_string().contains("relations.tsv, line 1"), "{e}");
    }
}
