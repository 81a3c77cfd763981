//! Blocking: which pairs of records are compared at all.
//!
//! A [`BlockingRule`] is data: a list of [`BlockKey`] parts that must all be present and equal.
//! Each rule gives every record a 64-bit key (0 when a part is missing); records with equal keys
//! form a block. Pairs are generated rule by rule and a pair is emitted by the first rule that
//! admits it only (Splink's "not matched by an earlier rule"), so the union of the rules has no
//! duplicates without a hash set of pairs. Blocks larger than the cap are skipped and reported:
//! their records get key 0 for that rule, which keeps the "earlier rule" test exact.

use super::compare::{Features, Field, NO_DOB};
use super::parallel::{Executor, Serial};
use super::LinkType;
use serde::{Deserialize, Serialize};

/// One part of a blocking key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKey {
    /// The whole normalised value of a text field.
    Exact(Field),
    /// The first letter of a text field.
    Initial(Field),
    /// The Soundex code of a text field.
    Soundex(Field),
    /// The date of birth.
    Dob,
    /// Year of birth.
    DobYear,
    /// Year and month of birth.
    DobYearMonth,
    /// Every record (a rule of this key alone admits all pairs, Splink's `1 = 1`).
    All,
}

/// A blocking rule: the conjunction of its keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockingRule {
    pub keys: Vec<BlockKey>,
}

impl BlockingRule {
    /// A rule from its key parts.
    pub fn new(keys: &[BlockKey]) -> BlockingRule {
        BlockingRule { keys: keys.to_vec() }
    }

    /// Human-readable description (no data values).
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .keys
            .iter()
            .map(|k| match k {
                BlockKey::Exact(f) => f.column().to_string(),
                BlockKey::Initial(f) => format!("initial({})", f.column()),
                BlockKey::Soundex(f) => format!("soundex({})", f.column()),
                BlockKey::Dob => "dob".into(),
                BlockKey::DobYear => "year(dob)".into(),
                BlockKey::DobYearMonth => "year_month(dob)".into(),
                BlockKey::All => "all".into(),
            })
            .collect();
        parts.join(" + ")
    }

    /// The value of one key part for a record, 0 when missing.
    fn part(f: &Features, key: BlockKey, i: usize) -> u32 {
        let dob = f.dob[i];
        match key {
            BlockKey::All => 1,
            BlockKey::Exact(field) => f.id(field, i),
            BlockKey::Initial(field) => {
                let t = f.bytes(f.id(field, i));
                t.first().map(|&c| u32::from(c)).unwrap_or(0)
            }
            BlockKey::Soundex(field) => f.soundex[f.id(field, i) as usize],
            BlockKey::Dob => {
                if dob != NO_DOB {
                    dob as u32 ^ 0x8000_0000
                } else {
                    0
                }
            }
            BlockKey::DobYear | BlockKey::DobYearMonth => {
                if dob == NO_DOB {
                    return 0;
                }
                let d = &f.dob_digits[i];
                let num = |s: &[u8]| s.iter().fold(0u32, |a, &c| a * 10 + u32::from(c.wrapping_sub(b'0')));
                if key == BlockKey::DobYear {
                    num(&d[..4]) + 1
                } else {
                    num(&d[..6]) + 1
                }
            }
        }
    }

    /// The key of a record under this rule: exact packing for one or two parts, a 64-bit hash
    /// beyond; 0 when any part is missing.
    pub fn key(&self, f: &Features, i: usize) -> u64 {
        let mut parts = [0u32; 8];
        for (k, &key) in self.keys.iter().take(8).enumerate() {
            let p = Self::part(f, key, i);
            if p == 0 {
                return 0;
            }
            parts[k] = p;
        }
        match self.keys.len() {
            0 => 0,
            1 => u64::from(parts[0]),
            2 => (u64::from(parts[0]) << 32) | u64::from(parts[1]),
            n => {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for &p in &parts[..n.min(8)] {
                    h = (h ^ u64::from(p)).wrapping_mul(0x0000_0100_0000_01b3);
                    h ^= h >> 29;
                }
                h | 1
            }
        }
    }
}

/// The default rules. Each is specific enough that blocks stay small at a million records
/// (no rule on a postcode or a name alone): identifier; date of birth with either initial,
/// the postcode or the city; first and last name; their Soundex codes; phone; address with the last initial; year and month of birth with
/// Soundex of the last name.
pub fn default_rules() -> Vec<BlockingRule> {
    use BlockKey::*;
    vec![
        BlockingRule::new(&[Exact(Field::Identifier)]),
        BlockingRule::new(&[Dob, Initial(Field::FirstName)]),
        BlockingRule::new(&[Dob, Initial(Field::LastName)]),
        BlockingRule::new(&[Dob, Exact(Field::Postcode)]),
        BlockingRule::new(&[Dob, Exact(Field::City)]),
        BlockingRule::new(&[Exact(Field::FirstName), Exact(Field::LastName)]),
        BlockingRule::new(&[Soundex(Field::FirstName), Soundex(Field::LastName)]),
        BlockingRule::new(&[Exact(Field::Phone)]),
        BlockingRule::new(&[Exact(Field::Address), Initial(Field::LastName)]),
        BlockingRule::new(&[DobYearMonth, Soundex(Field::LastName)]),
    ]
}

/// A slice of one rule's blocks (whole blocks only): `order[rule][range]`, see
/// [`Blocks::chunks`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub rule: usize,
    pub range: std::ops::Range<usize>,
}

/// Blocks of every rule, ready to generate pairs.
#[derive(Clone, Debug, Default)]
pub struct Blocks {
    /// Per record, per rule (record-major, `n_rules` keys a record): the record's key (0 = not
    /// in any block of that rule). Record-major so the "earlier rule" test reads one cache line.
    keys: Vec<u64>,
    n_rules: usize,
    /// Per rule: record indices sorted by key (records with key 0 left out).
    pub order: Vec<Vec<u32>>,
    /// Per rule: number of blocks skipped because larger than the cap.
    pub oversized_blocks: Vec<usize>,
    /// Per rule: number of records in skipped blocks.
    pub oversized_records: Vec<usize>,
    link_type: LinkType,
}

impl Blocks {
    /// Compute every rule's keys and blocks; blocks above `max_block_size` records are skipped.
    pub fn build(f: &Features, rules: &[BlockingRule], max_block_size: usize, link_type: LinkType) -> Blocks {
        Self::build_progress(f, rules, max_block_size, link_type, &Serial, &mut |_| true)
            .unwrap_or_else(|| Self::empty(f, rules, link_type))
    }

    fn empty(f: &Features, rules: &[BlockingRule], link_type: LinkType) -> Blocks {
        Blocks {
            link_type,
            n_rules: rules.len(),
            keys: vec![0; f.n * rules.len()],
            order: vec![Vec::new(); rules.len()],
            oversized_blocks: vec![0; rules.len()],
            oversized_records: vec![0; rules.len()],
        }
    }

    /// [`Blocks::build`] with one job a rule run by `exec` (the result does not depend on it);
    /// `progress` gets the share of rules done and returns false to cancel (then None).
    pub fn build_progress<E: Executor>(
        f: &Features,
        rules: &[BlockingRule],
        max_block_size: usize,
        link_type: LinkType,
        exec: &E,
        progress: &mut dyn FnMut(f32) -> bool,
    ) -> Option<Blocks> {
        let per_rule = exec.run(
            rules.len(),
            &|r| {
                let rule = &rules[r];
                let mut keys: Vec<u64> = (0..f.n).map(|i| rule.key(f, i)).collect();
                let mut order: Vec<u32> = (0..f.n as u32).filter(|&i| keys[i as usize] != 0).collect();
                order.sort_unstable_by_key(|&i| (keys[i as usize], i));
                let (mut n_big, mut r_big) = (0, 0);
                let mut kept = Vec::with_capacity(order.len());
                let mut dropped = Vec::new();
                for group in order.chunk_by(|&x, &y| keys[x as usize] == keys[y as usize]) {
                    if group.len() > max_block_size {
                        n_big += 1;
                        r_big += group.len();
                        dropped.extend_from_slice(group);
                    } else {
                        kept.extend_from_slice(group);
                    }
                }
                for i in dropped {
                    keys[i as usize] = 0;
                }
                (keys, kept, n_big, r_big)
            },
            &mut |done| progress(done as f32 / rules.len().max(1) as f32),
        )?;
        let mut b = Blocks {
            link_type,
            n_rules: rules.len(),
            keys: vec![0; f.n * rules.len()],
            ..Blocks::default()
        };
        for (r, (keys, kept, n_big, r_big)) in per_rule.into_iter().enumerate() {
            for (i, k) in keys.into_iter().enumerate() {
                b.keys[i * b.n_rules + r] = k;
            }
            b.order.push(kept);
            b.oversized_blocks.push(n_big);
            b.oversized_records.push(r_big);
        }
        Some(b)
    }

    /// Whether rule `r` puts records `i` and `j` in the same block.
    #[inline]
    pub fn admits(&self, r: usize, i: usize, j: usize) -> bool {
        let (a, b) = (self.key(r, i), self.key(r, j));
        a != 0 && a == b
    }

    /// The key of record `i` under rule `r` (0 = in no block of that rule).
    #[inline]
    pub fn key(&self, r: usize, i: usize) -> u64 {
        self.keys[i * self.n_rules + r]
    }

    /// Call `visit(i, j)` for every pair in a block of rule `r` (duplicates across rules
    /// included).
    pub fn for_each_rule_pair(&self, r: usize, visit: impl FnMut(usize, usize)) {
        self.for_each_rule_pair_in(&self.whole(r), visit);
    }

    /// [`Blocks::for_each_rule_pair`] within one chunk of the rule's blocks.
    pub fn for_each_rule_pair_in(&self, chunk: &Chunk, mut visit: impl FnMut(usize, usize)) {
        let r = chunk.rule;
        let slice = &self.order[r][chunk.range.clone()];
        for group in slice.chunk_by(|&x, &y| self.key(r, x as usize) == self.key(r, y as usize)) {
            for (a, &x) in group.iter().enumerate() {
                for &y in &group[a + 1..] {
                    visit(x as usize, y as usize);
                }
            }
        }
    }

    /// All the blocks of rule `r` as one chunk.
    fn whole(&self, r: usize) -> Chunk {
        Chunk {
            rule: r,
            range: 0..self.order[r].len(),
        }
    }

    /// The blocks of every rule cut into chunks of whole blocks of about `target_pairs` pairs
    /// each (duplicates across rules included), in the order of a serial pass: rule by rule,
    /// block by block. The chunks depend on the blocks only, so passes that run the chunks side
    /// by side and merge their results in chunk order give the result of one serial pass.
    pub fn chunks(&self, target_pairs: u64) -> Vec<Chunk> {
        let mut out = Vec::new();
        for r in 0..self.order.len() {
            let order = &self.order[r];
            let sizes: Vec<usize> = order
                .chunk_by(|&x, &y| self.key(r, x as usize) == self.key(r, y as usize))
                .map(<[u32]>::len)
                .collect();
            let mut starts = Vec::with_capacity(sizes.len() + 1);
            starts.push(0);
            for &n in &sizes {
                starts.push(starts[starts.len() - 1] + n);
            }
            // A block of n records costs its n(n-1)/2 pairs, plus one for reading it.
            for blocks in super::parallel::ranges(sizes.len(), target_pairs, |b| {
                (sizes[b] * sizes[b].saturating_sub(1) / 2) as u64 + 1
            }) {
                out.push(Chunk {
                    rule: r,
                    range: starts[blocks.start]..starts[blocks.end],
                });
            }
        }
        out
    }

    /// Number of pairs in the blocks of rule `r` (duplicates across rules included).
    pub fn rule_pairs(&self, r: usize) -> u64 {
        self.pairs_in(r, &self.order[r])
    }

    /// The candidate pairs of a chunk's blocks, duplicates across rules included (the cost that
    /// [`Blocks::chunks`] cuts by).
    pub fn chunk_pairs(&self, chunk: &Chunk) -> u64 {
        let r = chunk.rule;
        self.order
            .get(r)
            .and_then(|o| o.get(chunk.range.clone()))
            .map_or(0, |slice| self.pairs_in(r, slice))
    }

    /// The pairs in the whole blocks of rule `r` that `slice` of its order holds.
    fn pairs_in(&self, r: usize, slice: &[u32]) -> u64 {
        slice
            .chunk_by(|&x, &y| self.key(r, x as usize) == self.key(r, y as usize))
            .map(|g| (g.len() * (g.len() - 1) / 2) as u64)
            .sum()
    }

    /// Whether the link type allows comparing the two records.
    #[inline]
    pub fn allowed(&self, f: &Features, i: usize, j: usize) -> bool {
        match self.link_type {
            LinkType::DedupeOnly | LinkType::LinkAndDedupe => true,
            LinkType::LinkOnly => f.source[i] != f.source[j],
        }
    }

    /// Call `visit(rule, i, j)` (with `i < j`) once for every candidate pair, in rule order: a
    /// pair is visited by the first rule that admits it.
    pub fn for_each_pair(&self, f: &Features, mut visit: impl FnMut(usize, usize, usize)) {
        for r in 0..self.order.len() {
            self.for_each_pair_in(f, &self.whole(r), &mut visit);
        }
    }

    /// [`Blocks::for_each_pair`] within one chunk of a rule's blocks: the candidate pairs whose
    /// first admitting rule is the chunk's rule, in the chunk's blocks.
    pub fn for_each_pair_in(&self, f: &Features, chunk: &Chunk, mut visit: impl FnMut(usize, usize, usize)) {
        let nr = self.n_rules;
        let r = chunk.rule;
        let slice = &self.order[r][chunk.range.clone()];
        for group in slice.chunk_by(|&x, &y| self.key(r, x as usize) == self.key(r, y as usize)) {
            for (a, &x) in group.iter().enumerate() {
                let ki = &self.keys[x as usize * nr..x as usize * nr + r];
                for &y in &group[a + 1..] {
                    let (i, j) = (x as usize, y as usize); // sorted by index within a block
                    let kj = &self.keys[j * nr..j * nr + r];
                    if !self.allowed(f, i, j) || ki.iter().zip(kj).any(|(&p, &q)| p != 0 && p == q) {
                        continue;
                    }
                    visit(r, i, j);
                }
            }
        }
    }

    /// Number of candidate pairs (after removing duplicates across rules).
    pub fn count_pairs(&self, f: &Features) -> u64 {
        let mut n = 0u64;
        self.for_each_pair(f, |_, _, _| n += 1);
        n
    }
}
