//! Per-record features in columns, and comparison levels evaluated on them.
//!
//! [`Features::build`] normalises every record once: names are interned (equal strings share
//! one id, so an exact match is an integer comparison), Soundex codes and nickname groups are
//! computed per distinct string, dates of birth are split into digits. Comparing a pair then
//! reads a few integers and, only for fuzzy levels, the two interned byte strings; nothing is
//! allocated in the pair loop.
//!
//! A [`Comparison`] is data: a field and an ordered list of [`Level`]s, the first level whose
//! condition holds wins (as in Splink). The level index of every comparison packs into one
//! `u64` comparison vector (4 bits per comparison).

use super::names::{intersects, normalize_into, split_suffix, Nicknames};
use super::strings::{
    common_upper_bound, histogram, jaro_winkler, jaro_winkler_bound_from, osa_bounded, osa_lower_bound,
    osa_same_length_upto1, soundex, Histogram,
};
use super::LinkSource;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A field of [`super::LinkRecord`] that comparisons and blocking rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FirstName,
    MiddleName,
    LastName,
    Suffix,
    Dob,
    Sex,
    Address,
    City,
    Postcode,
    Phone,
    Identifier,
}

/// Text fields, in column order of [`Features::cols`].
pub const TEXT_FIELDS: [Field; 10] = [
    Field::FirstName,
    Field::MiddleName,
    Field::LastName,
    Field::Suffix,
    Field::Sex,
    Field::Address,
    Field::City,
    Field::Postcode,
    Field::Phone,
    Field::Identifier,
];

impl Field {
    /// Column name used in exports and Splink SQL.
    pub fn column(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::MiddleName => "middle_name",
            Field::LastName => "last_name",
            Field::Suffix => "suffix",
            Field::Dob => "dob",
            Field::Sex => "sex",
            Field::Address => "address",
            Field::City => "city",
            Field::Postcode => "postcode",
            Field::Phone => "phone",
            Field::Identifier => "identifier",
        }
    }

    /// The field with a column name.
    pub fn from_column(s: &str) -> Option<Field> {
        TEXT_FIELDS
            .iter()
            .copied()
            .chain([Field::Dob])
            .find(|f| f.column() == s)
    }

    /// Index into [`Features::cols`] (None for the date of birth).
    #[inline]
    pub fn text_index(self) -> Option<usize> {
        Some(match self {
            Field::FirstName => 0,
            Field::MiddleName => 1,
            Field::LastName => 2,
            Field::Suffix => 3,
            Field::Sex => 4,
            Field::Address => 5,
            Field::City => 6,
            Field::Postcode => 7,
            Field::Phone => 8,
            Field::Identifier => 9,
            Field::Dob => return None,
        })
    }
}

/// The condition of one comparison level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LevelKind {
    /// Either value missing: contributes nothing (Bayes factor 1).
    Null,
    /// Equal normalised values.
    Exact,
    /// Names related through the nickname table (William/Bill).
    Nickname,
    /// First and last name swapped between the records (this field of one record equals the
    /// other field of the other record).
    Swapped { other: Field },
    /// Jaro-Winkler similarity at least `threshold`.
    JaroWinkler { threshold: f64 },
    /// Damerau-Levenshtein (OSA) distance at most `max`.
    DamerauLevenshtein { max: u32 },
    /// First and last name swapped with typing errors: Jaro-Winkler of this field against the
    /// other record's `other` field, both ways, at least `threshold`.
    SwappedFuzzy { other: Field, threshold: f64 },
    /// Equal Soundex codes.
    Soundex,
    /// Equal first letters (initials).
    Initial,
    /// Date of birth as `YYYYMMDD`: one digit changed or two adjacent digits swapped.
    DobOneDigit,
    /// Date of birth with day and month swapped, same year.
    DobDayMonthSwapped,
    /// Dates of birth in the same year.
    DobSameYear,
    /// Dates of birth at most `days` apart.
    DobWithinDays { days: u32 },
    /// Anything else.
    Else,
}

/// One level of a comparison, with its trained probabilities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// Short label shown in explanations ("exact", "jaro_winkler >= 0.92").
    pub label: String,
    pub kind: LevelKind,
    /// P(level | match).
    #[serde(default)]
    pub m: f64,
    /// P(level | non-match).
    #[serde(default)]
    pub u: f64,
    /// Apply a term-frequency adjustment (Splink's `tf_adjustment_column`) on this level.
    #[serde(default)]
    pub tf_adjust: bool,
}

impl Level {
    /// A level with untrained probabilities.
    pub fn new(label: &str, kind: LevelKind) -> Level {
        Level {
            label: label.to_string(),
            kind,
            m: 0.0,
            u: 0.0,
            tf_adjust: false,
        }
    }

    /// The same level with term-frequency adjustment on.
    pub fn with_tf(mut self) -> Level {
        self.tf_adjust = true;
        self
    }

    /// log2(m/u): this level's match weight, 0 for the null level.
    pub fn log2_bf(&self) -> f64 {
        if self.kind == LevelKind::Null || self.m <= 0.0 || self.u <= 0.0 {
            0.0
        } else {
            (self.m / self.u).log2()
        }
    }
}

/// A comparison of one field: levels tried in order, the first that holds wins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Name of the comparison (Splink's `output_column_name`).
    pub name: String,
    pub field: Field,
    pub levels: Vec<Level>,
}

impl Comparison {
    /// The index of the first exact level (its `u` is the base of term-frequency adjustment).
    pub fn exact_level(&self) -> Option<usize> {
        self.levels.iter().position(|l| l.kind == LevelKind::Exact)
    }
}

/// The core's one fast hash (rustc-hash's FxHash) for interning strings: the strings are the
/// user's own data, so hash flooding is not a concern.
type FxBuild = rustc_hash::FxBuildHasher;

/// Null marker for the date-of-birth column.
pub const NO_DOB: i32 = i32::MIN;

/// Every record's normalised features, in columns.
#[derive(Clone, Debug, Default)]
pub struct Features {
    /// Number of records.
    pub n: usize,
    /// Source file of each record (0 or 1 in two-file mode).
    pub source: Vec<u8>,
    /// Interned text ids per record, in [`TEXT_FIELDS`] order; id 0 is the empty (missing)
    /// value. Record-major, so a pair's comparisons touch two cache lines, not twenty.
    pub ids: Vec<[u32; 10]>,
    /// Date of birth as days since 1970 ([`NO_DOB`] when missing).
    pub dob: Vec<i32>,
    /// Date of birth as the eight digits of `YYYYMMDD`.
    pub dob_digits: Vec<[u8; 8]>,
    /// The distinct strings, end to end (string `id` is `arena[offsets[id]..offsets[id + 1]]`).
    arena: Vec<u8>,
    offsets: Vec<u32>,
    /// Soundex code per string id.
    pub soundex: Vec<u32>,
    /// Character counts per string id (for cheap bounds on Jaro-Winkler and edit distance).
    pub hist: Vec<Histogram>,
    /// Nickname groups per string id: range into `nick_pool`.
    pub nick: Vec<(u32, u32)>,
    nick_pool: Vec<u32>,
    /// Term frequency per text column and string id (share of non-missing values), filled only
    /// for columns with term-frequency adjustment.
    pub tf: Vec<Vec<f32>>,
}

impl Features {
    /// Normalise and intern every record. Term frequencies are computed for `tf_fields`.
    pub fn build<R: LinkSource + ?Sized>(records: &R, nicknames: &Nicknames, tf_fields: &[Field]) -> Features {
        let n = records.count();
        let mut f = Features {
            n,
            source: Vec::with_capacity(n),
            ids: Vec::with_capacity(n),
            dob: Vec::with_capacity(n),
            dob_digits: Vec::with_capacity(n),
            offsets: vec![0, 0],
            ..Features::default()
        };
        let mut index: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
        index.insert("".into(), 0);
        let mut buf = String::new();
        let mut intern = |s: &str, f: &mut Features| -> u32 {
            if let Some(&id) = index.get(s) {
                return id;
            }
            let id = (f.offsets.len() - 1) as u32;
            f.arena.extend_from_slice(s.as_bytes());
            f.offsets.push(f.arena.len() as u32);
            index.insert(s.into(), id);
            id
        };
        for r in (0..n).map(|i| records.fields(i)) {
            f.source.push(r.source);
            // Names, with a suffix split off the last (or first) name when not given apart.
            normalize_into(r.last_name, &mut buf);
            let (last, suffix_from_last) = split_suffix(&buf);
            let last = last.to_string();
            let mut first_buf = String::new();
            normalize_into(r.first_name, &mut first_buf);
            let (first, suffix_from_first) = split_suffix(&first_buf);
            let mut suffix = String::new();
            normalize_into(r.suffix, &mut suffix);
            let suffix = super::names::canonical_suffix(&suffix)
                .or(suffix_from_last)
                .or(suffix_from_first)
                .map(str::to_string)
                .unwrap_or(suffix);
            let mut middle = String::new();
            normalize_into(r.middle_name, &mut middle);
            let sex = normalize_sex(r.sex);
            let mut address = String::new();
            normalize_into(r.address, &mut address);
            let mut city = String::new();
            normalize_into(r.city, &mut city);
            let postcode = alnum(r.postcode);
            let phone = phone_digits(r.phone);
            let identifier = alnum(r.identifier);
            let values: [&str; 10] = [
                first,
                &middle,
                &last,
                &suffix,
                sex,
                &address,
                &city,
                &postcode,
                &phone,
                &identifier,
            ];
            let mut row = [0u32; 10];
            for (c, v) in values.iter().enumerate() {
                row[c] = intern(v, &mut f);
            }
            f.ids.push(row);
            match r.dob {
                Some(d) => {
                    f.dob.push(d.0);
                    let (y, m, dd) = d.ymd();
                    let s = format!("{:04}{:02}{:02}", y.clamp(0, 9999), m, dd);
                    let mut digits = [b'0'; 8];
                    digits.copy_from_slice(&s.as_bytes()[..8]);
                    f.dob_digits.push(digits);
                }
                None => {
                    f.dob.push(NO_DOB);
                    f.dob_digits.push([0; 8]);
                }
            }
        }
        for id in 0..f.n_strings() as u32 {
            let code = soundex(f.bytes(id));
            f.soundex.push(code);
            f.hist.push(histogram(f.bytes(id)));
            let g = nicknames.groups(f.text(id));
            f.nick.push((f.nick_pool.len() as u32, g.len() as u32));
            let g = g.to_vec();
            f.nick_pool.extend_from_slice(&g);
        }
        f.tf = vec![Vec::new(); TEXT_FIELDS.len()];
        for field in tf_fields {
            if let Some(c) = field.text_index() {
                f.tf[c] = term_frequencies(f.ids.iter().map(|r| r[c]), f.n_strings());
            }
        }
        f
    }

    /// The features as bytes, for a helper worker of the same build (see [`super::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = super::wire::Writer::default();
        w.len(self.n);
        w.u8s(&self.source);
        w.column(&self.ids, 40, |w, row| row.iter().for_each(|&x| w.u32(x)));
        w.column(&self.dob, 4, |w, &d| w.u32(d as u32));
        w.column(&self.dob_digits, 8, |w, d| w.out.extend_from_slice(d));
        w.u8s(&self.arena);
        w.column(&self.offsets, 4, |w, &x| w.u32(x));
        w.column(&self.soundex, 4, |w, &x| w.u32(x));
        w.column(&self.hist, 32, |w, h| w.out.extend_from_slice(h));
        w.column(&self.nick, 8, |w, &(a, b)| {
            w.u32(a);
            w.u32(b);
        });
        w.column(&self.nick_pool, 4, |w, &x| w.u32(x));
        w.column(&self.tf, 8, |w, col| w.column(col, 4, |w, &t| w.u32(t.to_bits())));
        w.out
    }

    /// Features written by [`Features::to_bytes`]. Every length and index is checked, so that
    /// bytes that are not such features give an error here, never a panic later.
    pub fn from_bytes(bytes: &[u8]) -> Result<Features, String> {
        let mut r = super::wire::Reader::new(bytes, "linkage features");
        let n = r.len(0)?;
        let source = r.u8s()?;
        let ids = r.column(40, |r| {
            let mut row = [0u32; 10];
            for x in &mut row {
                *x = r.u32()?;
            }
            Ok(row)
        })?;
        let dob = r.column(4, |r| Ok(r.u32()? as i32))?;
        let dob_digits = r.column(8, |r| r.array::<8>())?;
        let arena = r.u8s()?;
        let offsets = r.column(4, |r| r.u32())?;
        let soundex = r.column(4, |r| r.u32())?;
        let hist = r.column(32, |r| r.array::<32>())?;
        let nick = r.column(8, |r| Ok((r.u32()?, r.u32()?)))?;
        let nick_pool = r.column(4, |r| r.u32())?;
        let tf = r.column(8, |r| r.column(4, |r| Ok(f32::from_bits(r.u32()?))))?;
        r.end()?;
        let bad = |what: &str| Err(format!("linkage features: {what}"));
        let strings = offsets.len().saturating_sub(1);
        if [source.len(), ids.len(), dob.len(), dob_digits.len()]
            .iter()
            .any(|&l| l != n)
        {
            return bad("the columns of the records differ in length");
        }
        if offsets.first() != Some(&0)
            || offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last().is_none_or(|&e| e as usize != arena.len())
        {
            return bad("the string offsets do not cover the strings");
        }
        if [soundex.len(), hist.len(), nick.len()].iter().any(|&l| l != strings)
            || ids.iter().flatten().any(|&id| id as usize >= strings)
            || nick.iter().any(|&(a, b)| a as usize + b as usize > nick_pool.len())
            || tf.len() != TEXT_FIELDS.len()
            || tf.iter().any(|col| !col.is_empty() && col.len() != strings)
        {
            return bad("an index runs past the strings");
        }
        Ok(Features {
            n,
            source,
            ids,
            dob,
            dob_digits,
            arena,
            offsets,
            soundex,
            hist,
            nick,
            nick_pool,
            tf,
        })
    }

    /// Number of distinct strings (id 0, the empty string, included).
    pub fn n_strings(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The bytes of a string id.
    #[inline]
    pub fn bytes(&self, id: u32) -> &[u8] {
        let id = id as usize;
        match (self.offsets.get(id), self.offsets.get(id + 1)) {
            (Some(&a), Some(&b)) => &self.arena[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The text of a string id.
    pub fn text(&self, id: u32) -> &str {
        std::str::from_utf8(self.bytes(id)).unwrap_or("")
    }

    /// Interned id of a record's text field.
    #[inline]
    pub fn id(&self, field: Field, i: usize) -> u32 {
        match field.text_index() {
            Some(c) => self.ids[i][c],
            None => u32::from(self.dob[i] != NO_DOB),
        }
    }

    /// Nickname groups of a string id.
    pub fn nick_groups(&self, id: u32) -> &[u32] {
        let (s, l) = self.nick[id as usize];
        &self.nick_pool[s as usize..(s + l) as usize]
    }

    /// Term frequency of a record's value in a field (0 when not computed).
    pub fn tf_of(&self, field: Field, i: usize) -> f64 {
        match field.text_index() {
            Some(c) => self.tf[c]
                .get(self.ids[i][c] as usize)
                .map(|&x| f64::from(x))
                .unwrap_or(0.0),
            None => 0.0,
        }
    }

    /// The level index of comparison `c` for records `i` and `j`.
    #[inline]
    pub fn level(&self, c: &Comparison, i: usize, j: usize) -> u8 {
        let mut jw: Option<f64> = None;
        let mut jw_bound: Option<f64> = None;
        let mut dl: Option<usize> = None;
        let mut common: Option<usize> = None;
        let (a, b) = (self.id(c.field, i), self.id(c.field, j));
        for (k, level) in c.levels.iter().enumerate() {
            let hit = match &level.kind {
                LevelKind::Null => a == 0 || b == 0,
                LevelKind::Else => true,
                LevelKind::Exact => {
                    if c.field == Field::Dob {
                        self.dob[i] == self.dob[j]
                    } else {
                        a == b
                    }
                }
                LevelKind::Nickname => a == b || intersects(self.nick_groups(a), self.nick_groups(b)),
                LevelKind::Swapped { other } => {
                    let (oa, ob) = (self.id(*other, i), self.id(*other, j));
                    a != 0 && oa != 0 && a == ob && b == oa
                }
                LevelKind::SwappedFuzzy { other, threshold } => {
                    let (oa, ob) = (self.id(*other, i), self.id(*other, j));
                    a != 0 && b != 0 && oa != 0 && ob != 0 && {
                        self.jw_at_least(a, ob, *threshold) && self.jw_at_least(b, oa, *threshold)
                    }
                }
                LevelKind::JaroWinkler { threshold } => {
                    let bound = *jw_bound.get_or_insert_with(|| self.jw_bound(c.field, a, b, &mut common));
                    bound >= *threshold && *jw.get_or_insert_with(|| self.jw(c.field, a, b, i, j)) >= *threshold
                }
                LevelKind::DamerauLevenshtein { max } => {
                    let v = *dl.get_or_insert_with(|| self.dl(c, a, b, i, j, &mut common));
                    v <= *max as usize
                }
                LevelKind::Soundex => {
                    let (sa, sb) = (self.soundex[a as usize], self.soundex[b as usize]);
                    sa != 0 && sa == sb
                }
                LevelKind::Initial => {
                    let (ta, tb) = (self.bytes(a), self.bytes(b));
                    !ta.is_empty() && !tb.is_empty() && ta[0] == tb[0]
                }
                LevelKind::DobOneDigit => {
                    let v = *dl.get_or_insert_with(|| self.dl(c, a, b, i, j, &mut common));
                    v <= 1
                }
                LevelKind::DobDayMonthSwapped => {
                    let (x, y) = (&self.dob_digits[i], &self.dob_digits[j]);
                    x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6]
                }
                LevelKind::DobSameYear => self.dob_digits[i][..4] == self.dob_digits[j][..4],
                LevelKind::DobWithinDays { days } => self.dob[i].abs_diff(self.dob[j]) <= *days,
            };
            if hit {
                return k as u8;
            }
        }
        (c.levels.len().saturating_sub(1)) as u8
    }

    fn jw(&self, field: Field, a: u32, b: u32, i: usize, j: usize) -> f64 {
        if field == Field::Dob {
            return jaro_winkler(&self.dob_digits[i], &self.dob_digits[j]);
        }
        if a == b {
            return 1.0;
        }
        jaro_winkler(self.bytes(a), self.bytes(b))
    }

    fn jw_bound(&self, field: Field, a: u32, b: u32, common: &mut Option<usize>) -> f64 {
        if field == Field::Dob || a == b {
            return 1.0;
        }
        let m = *common.get_or_insert_with(|| self.common(a, b));
        jaro_winkler_bound_from(self.bytes(a), self.bytes(b), m)
    }

    /// Upper bound of the characters two strings have in common (see [`common_upper_bound`]).
    #[inline]
    fn common(&self, a: u32, b: u32) -> usize {
        match (self.hist.get(a as usize), self.hist.get(b as usize)) {
            (Some(x), Some(y)) => common_upper_bound(x, y),
            _ => usize::MAX,
        }
    }

    /// Whether Jaro-Winkler similarity of two strings is at least `t`, trying the cheap upper
    /// bound first.
    #[inline]
    fn jw_at_least(&self, a: u32, b: u32, t: f64) -> bool {
        if a == b {
            return true;
        }
        let (ta, tb) = (self.bytes(a), self.bytes(b));
        jaro_winkler_bound_from(ta, tb, self.common(a, b)) >= t && jaro_winkler(ta, tb) >= t
    }

    /// Distance capped just above the largest distance any level of the comparison asks about.
    fn dl(&self, c: &Comparison, a: u32, b: u32, i: usize, j: usize, common: &mut Option<usize>) -> usize {
        let bound = c
            .levels
            .iter()
            .map(|l| match l.kind {
                LevelKind::DamerauLevenshtein { max } => max as usize,
                LevelKind::DobOneDigit => 1,
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        if c.field == Field::Dob {
            if bound <= 1 {
                return osa_same_length_upto1(&self.dob_digits[i], &self.dob_digits[j]);
            }
            return osa_bounded(&self.dob_digits[i], &self.dob_digits[j], bound);
        }
        if a == b {
            return 0;
        }
        let (ta, tb) = (self.bytes(a), self.bytes(b));
        let m = *common.get_or_insert_with(|| self.common(a, b));
        if osa_lower_bound(ta.len(), tb.len(), m) > bound {
            return bound + 1;
        }
        osa_bounded(ta, tb, bound)
    }

    /// The comparison vector of a pair: level indices packed 4 bits per comparison.
    #[inline]
    pub fn vector(&self, comparisons: &[Comparison], i: usize, j: usize) -> u64 {
        let mut v = 0u64;
        for (k, c) in comparisons.iter().enumerate() {
            v |= u64::from(self.level(c, i, j)) << (4 * k);
        }
        v
    }
}

/// The level index of comparison `k` in a packed comparison vector.
#[inline]
pub fn level_of(vector: u64, k: usize) -> usize {
    ((vector >> (4 * k)) & 0xF) as usize
}

fn term_frequencies(col: impl Iterator<Item = u32>, n_strings: usize) -> Vec<f32> {
    let mut counts = vec![0u32; n_strings];
    let mut total = 0u32;
    for id in col {
        if id != 0 {
            counts[id as usize] += 1;
            total += 1;
        }
    }
    let total = f64::from(total.max(1));
    counts.into_iter().map(|c| (f64::from(c) / total) as f32).collect()
}

fn normalize_sex(s: &str) -> &'static str {
    match s.trim().chars().next().map(|c| c.to_ascii_uppercase()) {
        Some('M') => "M",
        Some('F') | Some('W') => "F",
        Some('U') | None => "",
        Some(_) => "X",
    }
}

fn alnum(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Digits of a phone number, the last ten only (drops a country code).
fn phone_digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    let skip = d.len().saturating_sub(10);
    d[skip..].to_string()
}
