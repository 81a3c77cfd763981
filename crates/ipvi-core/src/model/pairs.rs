//! The victim–offender pairs of a dataset, stored compactly and read in place, as
//! [`super::Persons`] stores the person records.
//!
//! A pair names an incident and two person records, and carries the relationship as recorded:
//! a code from a short table and, in some exports, a free text that recurs ("GIRLFRIEND",
//! "WIFE"). [`Pairs`] stores each pair as a 16-byte row: the incident id, code and text as
//! [`Sym`]s of the table's own [`Pool`] (whether a code and a text were recorded and the
//! domestic-violence circumstance in one byte); the victim's and the offender's record ids one
//! after another in two [`Strs`] columns without an index. Readers get a [`PairRef`], a `Copy`
//! view with the fields of [`Pair`] as `&str`; importers and tests still build an owned
//! [`Pair`] and [`Pairs::push`] stores it. Serialised, the table is exactly a `Vec<Pair>`.
//!
//! Record ids are not interned, by measurement: in a flat export each pair has its own victim
//! and offender records, so an interned id costs its bytes, an 8-byte end and an index slot
//! (4 bytes and a control byte) where a column costs the bytes and the end. Interning all
//! three ids made the pairs of the generated 20 MB flat export (106,000 pairs, 318,000
//! distinct ids) 17.2 MB, more than the 16.0 MB of the owned vector; with the record ids in
//! columns they take 10.5 MB (`ipvi bench-import` prints it). Its own pool and not one shared with the other tables, for the
//! reason given in [`super::offenses`].
//!
//! Sizes (checked by the compiler below): a [`Pair`] is 128 bytes natively before the heap of
//! any value over 24 bytes; a stored row is 16 bytes plus its two record ids (their bytes and
//! two 8-byte ends, 4 in wasm32) plus its share of the pool.

use super::pool::{Pool, Strs, Sym};
use super::rows::stored_table;
use super::{Pair, Text};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// `Row::flags`: NIBRS circumstance 6 (domestic violence) on the victim.
const DV: u8 = 1;
/// `Row::flags`: a relationship code was recorded (`Some`, possibly empty).
const HAS_CODE: u8 = 2;
/// `Row::flags`: a relationship text was recorded (`Some`, possibly empty).
const HAS_TEXT: u8 = 4;

/// One stored pair: the values as syms of the table's pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    incident_id: Sym,
    relationship_code: Sym,
    relationship_text: Sym,
    flags: u8,
}

const _: () = assert!(std::mem::size_of::<Row>() == 16);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Pair>() == 128);

/// The victim–offender pairs of a dataset, in the order imported.
#[derive(Clone, Default)]
pub struct Pairs {
    rows: Vec<Row>,
    victims: Strs,
    offenders: Strs,
    pool: Pool,
}

/// A pair read in place: the fields of [`Pair`], borrowed from [`Pairs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairRef<'a> {
    pub incident_id: &'a str,
    pub victim_record_id: &'a str,
    pub offender_record_id: &'a str,
    /// The relationship code as exported (NIBRS two-letter, or local).
    pub relationship_code: Option<&'a str>,
    /// Free-text relationship, when the export has one.
    pub relationship_text: Option<&'a str>,
    /// NIBRS circumstance 6 (domestic violence) on the victim.
    pub dv_circumstance: bool,
}

/// The same fields, names and order as [`Pair`]'s derived `Serialize`.
impl Serialize for PairRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Pair", 6)?;
        st.serialize_field("incident_id", self.incident_id)?;
        st.serialize_field("victim_record_id", self.victim_record_id)?;
        st.serialize_field("offender_record_id", self.offender_record_id)?;
        st.serialize_field("relationship_code", &self.relationship_code)?;
        st.serialize_field("relationship_text", &self.relationship_text)?;
        st.serialize_field("dv_circumstance", &self.dv_circumstance)?;
        st.end()
    }
}

impl PairRef<'_> {
    /// An owned copy of the pair.
    pub fn to_pair(&self) -> Pair {
        Pair {
            incident_id: Text::from(self.incident_id),
            victim_record_id: Text::from(self.victim_record_id),
            offender_record_id: Text::from(self.offender_record_id),
            relationship_code: self.relationship_code.map(Text::from),
            relationship_text: self.relationship_text.map(Text::from),
            dv_circumstance: self.dv_circumstance,
        }
    }
}

impl PartialEq<Pair> for PairRef<'_> {
    fn eq(&self, o: &Pair) -> bool {
        self.incident_id == o.incident_id
            && self.victim_record_id == o.victim_record_id
            && self.offender_record_id == o.offender_record_id
            && self.relationship_code == o.relationship_code.as_deref()
            && self.relationship_text == o.relationship_text.as_deref()
            && self.dv_circumstance == o.dv_circumstance
    }
}

impl Pairs {
    /// Room for `n` more pairs.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.victims.reserve(n, n.saturating_mul(10));
        self.offenders.reserve(n, n.saturating_mul(10));
    }

    /// Add a copy of a pair at the end, interning its values.
    pub fn push_ref(&mut self, p: &Pair) {
        let row = self.row_of(p);
        self.victims.push(&p.victim_record_id);
        self.offenders.push(&p.offender_record_id);
        self.rows.push(row);
    }

    fn row_of(&mut self, p: &Pair) -> Row {
        let pool = &mut self.pool;
        let mut flags = 0;
        if p.dv_circumstance {
            flags |= DV;
        }
        if p.relationship_code.is_some() {
            flags |= HAS_CODE;
        }
        if p.relationship_text.is_some() {
            flags |= HAS_TEXT;
        }
        Row {
            incident_id: pool.intern(&p.incident_id),
            relationship_code: p.relationship_code.as_deref().map_or(Sym::EMPTY, |c| pool.intern(c)),
            relationship_text: p.relationship_text.as_deref().map_or(Sym::EMPTY, |t| pool.intern(t)),
            flags,
        }
    }

    #[inline]
    fn view(&self, i: usize, r: &Row) -> PairRef<'_> {
        let s = |sym| self.pool.get(sym);
        PairRef {
            incident_id: s(r.incident_id),
            victim_record_id: self.victims.get(i),
            offender_record_id: self.offenders.get(i),
            relationship_code: (r.flags & HAS_CODE != 0).then(|| s(r.relationship_code)),
            relationship_text: (r.flags & HAS_TEXT != 0).then(|| s(r.relationship_text)),
            dv_circumstance: r.flags & DV != 0,
        }
    }

    /// The incident id of the pair at `i`.
    #[inline]
    pub fn incident_id(&self, i: usize) -> Option<&str> {
        self.rows.get(i).map(|r| self.pool.get(r.incident_id))
    }

    /// Change the pair at `i` through its owned copy (tests and the rare edit; the old values
    /// stay in the pool). Nothing happens past the end.
    pub fn update(&mut self, i: usize, f: impl FnOnce(&mut Pair)) {
        let Some(mut owned) = self.get(i).map(|p| p.to_pair()) else {
            return;
        };
        f(&mut owned);
        let row = self.row_of(&owned);
        if self.victims.get(i) != owned.victim_record_id.as_str() {
            self.victims.set(i, &owned.victim_record_id);
        }
        if self.offenders.get(i) != owned.offender_record_id.as_str() {
            self.offenders.set(i, &owned.offender_record_id);
        }
        if let Some(r) = self.rows.get_mut(i) {
            *r = row;
        }
    }

    /// Set the domestic-violence circumstance of the pair at `i` (nothing past the end): the
    /// import marks the pairs of a victim with circumstance 6 once every table is read.
    pub fn set_dv_circumstance(&mut self, i: usize, dv: bool) {
        if let Some(r) = self.rows.get_mut(i) {
            if dv {
                r.flags |= DV;
            } else {
                r.flags &= !DV;
            }
        }
    }

    /// Remove every pair (the pool's values stay).
    pub fn clear(&mut self) {
        self.rows.clear();
        self.victims = Strs::default();
        self.offenders = Strs::default();
    }

    /// Bytes held on the heap by the pairs (rows, record ids and pool), for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.victims.heap_bytes()
            + self.offenders.heap_bytes()
            + self.pool.heap_bytes()
    }

    /// The size of one stored row, without its record ids and pool share (16 bytes).
    pub const ROW_BYTES: usize = std::mem::size_of::<Row>();
}

stored_table!(Pairs, Pair, PairRef);

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(k: usize) -> Pair {
        Pair {
            incident_id: format!("I{}", k / 2).into(),
            victim_record_id: format!("V{}", k / 2).into(),
            offender_record_id: format!("O{}", k % 3).into(),
            relationship_code: match k % 3 {
                0 => None,
                1 => Some("".into()),
                _ => Some("BG".into()),
            },
            relationship_text: match k % 4 {
                0 => None,
                1 => Some("".into()),
                2 => Some("EX-BOYFRIEND OF THE VICTIM'S SISTER, LIVED WITH HER".into()),
                _ => Some("GIRLFRIEND".into()),
            },
            dv_circumstance: k.is_multiple_of(5),
        }
    }

    #[test]
    fn pairs_read_back_as_they_were_pushed() {
        let owned: Vec<Pair> = (0..20).map(pair).collect();
        let ps = Pairs::from(owned.clone());
        assert_eq!(ps.len(), 20);
        for (k, (p, o)) in ps.iter().zip(&owned).enumerate() {
            assert_eq!(p, *o, "pair {k}");
            assert_eq!(p.to_pair(), *o);
            assert_eq!(ps.incident_id(k), Some(o.incident_id.as_str()));
        }
        // None and an empty value stay apart.
        assert_eq!(
            ps.get(0).map(|p| (p.relationship_code, p.relationship_text)),
            Some((None, None))
        );
        assert_eq!(
            ps.get(1).map(|p| (p.relationship_code, p.relationship_text)),
            Some((Some(""), Some("")))
        );
        assert_eq!(ps.iter().rev().map(|p| p.victim_record_id).next(), Some("V9"));
        assert!(ps.get(20).is_none() && ps.incident_id(20).is_none());
    }

    #[test]
    fn serialises_exactly_as_owned_pairs() {
        let owned: Vec<Pair> = (0..12).map(pair).collect();
        let ps = Pairs::from(owned.clone());
        let a = serde_json::to_string(&owned).unwrap_or_default();
        let b = serde_json::to_string(&ps).unwrap_or_default();
        assert!(!a.is_empty());
        assert_eq!(a, b);
        let back: Pairs = serde_json::from_str(&b).unwrap_or_default();
        assert_eq!(back, ps);
    }

    #[test]
    fn update_changes_one_pair_only() {
        let mut ps: Pairs = (0..6).map(pair).collect();
        ps.update(2, |p| {
            p.victim_record_id = "A-LONGER-VICTIM-RECORD-ID".into();
            p.relationship_code = Some("XS".into());
            p.relationship_text = None;
            p.dv_circumstance = true;
        });
        assert_eq!(
            ps.get(2)
                .map(|p| (p.relationship_code, p.relationship_text, p.dv_circumstance)),
            Some((Some("XS"), None, true))
        );
        for k in [0, 1, 3, 4, 5] {
            assert_eq!(ps.get(k).map(|p| p.to_pair()), Some(pair(k)));
        }
        ps.set_dv_circumstance(0, false);
        assert_eq!(ps.get(0).map(|p| p.dv_circumstance), Some(false));
        ps.set_dv_circumstance(0, true);
        assert_eq!(ps.get(0).map(|p| p.to_pair()), Some(pair(0)));
        ps.clear();
        assert!(ps.is_empty() && ps.get(0).is_none());
        ps.push(pair(7));
        assert_eq!(ps.get(0).map(|p| p.to_pair()), Some(pair(7)));
    }
}
