//! Blocking: which pairs of records are compared at all.
//!
//! A [`BlockingRule`] is data: a list of [`BlockKey`] parts that must all be present and equal.
//! Each rule gives every record a 64-bit key (0 when a part is missing); records with equal keys
//! form a block. Pairs are generated rule by rule and a pair is emitted by the first rule that
//! admits it only (Splink's "not matched by an earlier rule"), so the union of the rules has no
//! duplicates without a hash set of pairs. Blocks larger than the cap are skipped and reported:
//! their records get key 0 for that rule, which keeps the "earlier rule" test exact.

use super::compare::{Features, Field, NO_DOB};
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
            })
            .collect();
        parts.join(" + ")
    }

    /// The value of one key part for a record, 0 when missing.
    fn part(f: &Features, key: BlockKey, i: usize) -> u32 {
        let dob = f.dob[i];
        match key {
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
/// the postcode or the city; first and last name; their Soundex codes; Soundex of the last name
/// with the year of birth; phone; address with the last initial; year and month of birth with
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
        BlockingRule::new(&[Soundex(Field::LastName), DobYear]),
        BlockingRule::new(&[Exact(Field::Phone)]),
        BlockingRule::new(&[Exact(Field::Address), Initial(Field::LastName)]),
        BlockingRule::new(&[DobYearMonth, Soundex(Field::LastName)]),
    ]
}

/// Blocks of every rule, ready to generate pairs.
#[derive(Clone, Debug, Default)]
pub struct Blocks {
    /// Per rule, per record: its key (0 = not in any block of that rule).
    pub keys: Vec<Vec<u64>>,
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
        let mut b = Blocks {
            link_type,
            ..Blocks::default()
        };
        for rule in rules {
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
            b.keys.push(keys);
            b.order.push(kept);
            b.oversized_blocks.push(n_big);
            b.oversized_records.push(r_big);
        }
        b
    }

    /// Whether rule `r` puts records `i` and `j` in the same block.
    #[inline]
    pub fn admits(&self, r: usize, i: usize, j: usize) -> bool {
        let k = &self.keys[r];
        k[i] != 0 && k[i] == k[j]
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
            let keys = &self.keys[r];
            for group in self.order[r].chunk_by(|&x, &y| keys[x as usize] == keys[y as usize]) {
                for (a, &x) in group.iter().enumerate() {
                    for &y in &group[a + 1..] {
                        let (i, j) = (x as usize, y as usize); // sorted by index within a block
                        if !self.allowed(f, i, j) || (0..r).any(|e| self.admits(e, i, j)) {
                            continue;
                        }
                        visit(r, i, j);
                    }
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
