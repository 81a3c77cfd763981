//! The offence records of a dataset, stored compactly and read in place, as [`super::Persons`]
//! stores the person records.
//!
//! An offence's NIBRS code, local code or statute text and weapon codes come from short lists
//! of values that recur across thousands of offences, and its incident id is shared with the
//! other offences of the incident. [`Offenses`] stores each offence as a 20-byte row of
//! [`Sym`]s into the table's own [`Pool`] (the weapon codes as an interned list, the attempted
//! flag and whether a local code was recorded in one byte), and the offence ids, distinct by
//! definition, one after another in a [`Strs`] column without an index. Readers get an
//! [`OffenseRef`], a `Copy` view with the fields of [`Offense`] as `&str`; importers and tests
//! still build an owned [`Offense`] and [`Offenses::push`] interns it. Serialised, the table is
//! exactly a `Vec<Offense>`.
//!
//! Its own pool, not the persons' one, decided by measurement: the tables are separate fields
//! of [`super::Dataset`], and a pool shared between them would have to be handed to every
//! reader beside the table (an `OffenseRef` borrows the pool it reads from), for a saving of
//! the incident ids that the offences hold again. On the generated 20 MB flat export (106,000
//! offences of 106,000 incidents) that is 2.2 MB (`ipvi bench-import` prints it) against a
//! heaptrack peak of 104 MB; the whole table takes 8.7 MB where the owned offences took 16.8.
//!
//! Sizes (checked by the compiler below): an [`Offense`] is 128 bytes natively before the heap
//! of its values (its weapon vector and any value over 24 bytes); a stored row is 20 bytes
//! plus its offence id (its bytes and an 8-byte end, 4 in wasm32) plus its share of the pool.

use super::persons::Codes;
use super::pool::{Lists, Pool, Strs, Sym};
use super::rows::stored_table;
use super::{Offense, Text};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::fmt;

/// `Row::flags`: the offence was attempted.
const ATTEMPTED: u8 = 1;
/// `Row::flags`: a local code was recorded (`local_code` is `Some`, possibly empty).
const HAS_LOCAL: u8 = 2;

/// One stored offence: the values as syms of the table's pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    incident_id: Sym,
    nibrs_code: Sym,
    local_code: Sym,
    /// The weapon codes, a list of [`Lists`].
    weapons: u32,
    flags: u8,
}

const _: () = assert!(std::mem::size_of::<Row>() == 20);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Offense>() == 128);

/// The offence records of a dataset, in the order imported.
#[derive(Clone, Default)]
pub struct Offenses {
    rows: Vec<Row>,
    offense_ids: Strs,
    pool: Pool,
    lists: Lists,
}

/// An offence read in place: the fields of [`Offense`], borrowed from [`Offenses`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OffenseRef<'a> {
    pub incident_id: &'a str,
    pub offense_id: &'a str,
    /// NIBRS offence code (13A, 13B, 90Z, ...), after any local code table.
    pub nibrs_code: &'a str,
    /// The agency's own code or statute text, as exported.
    pub local_code: Option<&'a str>,
    pub attempted: bool,
    /// Weapon or force codes (NIBRS 11–95), when recorded.
    pub weapons: Codes<'a>,
}

impl fmt::Debug for OffenseRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OffenseRef")
            .field("incident_id", &self.incident_id)
            .field("offense_id", &self.offense_id)
            .field("nibrs_code", &self.nibrs_code)
            .field("local_code", &self.local_code)
            .field("attempted", &self.attempted)
            .field("weapons", &self.weapons)
            .finish()
    }
}

/// The same fields, names and order as [`Offense`]'s derived `Serialize`.
impl Serialize for OffenseRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Offense", 6)?;
        st.serialize_field("incident_id", self.incident_id)?;
        st.serialize_field("offense_id", self.offense_id)?;
        st.serialize_field("nibrs_code", self.nibrs_code)?;
        st.serialize_field("local_code", &self.local_code)?;
        st.serialize_field("attempted", &self.attempted)?;
        st.serialize_field("weapons", &self.weapons)?;
        st.end()
    }
}

impl OffenseRef<'_> {
    /// An owned copy of the offence.
    pub fn to_offense(&self) -> Offense {
        Offense {
            incident_id: Text::from(self.incident_id),
            offense_id: Text::from(self.offense_id),
            nibrs_code: Text::from(self.nibrs_code),
            local_code: self.local_code.map(Text::from),
            attempted: self.attempted,
            weapons: self.weapons.iter().map(Text::from).collect(),
        }
    }
}

impl PartialEq<Offense> for OffenseRef<'_> {
    fn eq(&self, o: &Offense) -> bool {
        self.incident_id == o.incident_id
            && self.offense_id == o.offense_id
            && self.nibrs_code == o.nibrs_code
            && self.local_code == o.local_code.as_deref()
            && self.attempted == o.attempted
            && self.weapons.len() == o.weapons.len()
            && self.weapons.iter().zip(&o.weapons).all(|(a, b)| a == b)
    }
}

impl Offenses {
    /// Room for `n` more offences.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.offense_ids.reserve(n, n.saturating_mul(10));
    }

    /// Add a copy of an offence at the end, interning its values.
    pub fn push_ref(&mut self, o: &Offense) {
        let row = self.row_of(o);
        self.offense_ids.push(&o.offense_id);
        self.rows.push(row);
    }

    fn row_of(&mut self, o: &Offense) -> Row {
        let pool = &mut self.pool;
        let weapons = if o.weapons.is_empty() {
            0
        } else {
            let syms: Vec<Sym> = o.weapons.iter().map(|c| pool.intern(c)).collect();
            self.lists.intern(&syms)
        };
        let mut flags = 0;
        if o.attempted {
            flags |= ATTEMPTED;
        }
        if o.local_code.is_some() {
            flags |= HAS_LOCAL;
        }
        Row {
            incident_id: pool.intern(&o.incident_id),
            nibrs_code: pool.intern(&o.nibrs_code),
            local_code: o.local_code.as_deref().map_or(Sym::EMPTY, |c| pool.intern(c)),
            weapons,
            flags,
        }
    }

    #[inline]
    fn view(&self, i: usize, r: &Row) -> OffenseRef<'_> {
        let s = |sym| self.pool.get(sym);
        OffenseRef {
            incident_id: s(r.incident_id),
            offense_id: self.offense_ids.get(i),
            nibrs_code: s(r.nibrs_code),
            local_code: (r.flags & HAS_LOCAL != 0).then(|| s(r.local_code)),
            attempted: r.flags & ATTEMPTED != 0,
            weapons: Codes::new(self.lists.get(r.weapons), &self.pool),
        }
    }

    /// The incident id of the offence at `i`.
    #[inline]
    pub fn incident_id(&self, i: usize) -> Option<&str> {
        self.rows.get(i).map(|r| self.pool.get(r.incident_id))
    }

    /// Change the offence at `i` through its owned copy (tests and the rare edit; the old values
    /// stay in the pool). Nothing happens past the end.
    pub fn update(&mut self, i: usize, f: impl FnOnce(&mut Offense)) {
        let Some(mut owned) = self.get(i).map(|o| o.to_offense()) else {
            return;
        };
        f(&mut owned);
        let row = self.row_of(&owned);
        if self.offense_ids.get(i) != owned.offense_id.as_str() {
            self.offense_ids.set(i, &owned.offense_id);
        }
        if let Some(r) = self.rows.get_mut(i) {
            *r = row;
        }
    }

    /// Keep only the offences for which `keep` holds, in order (their values stay in the pool).
    pub fn retain(&mut self, mut keep: impl FnMut(OffenseRef<'_>) -> bool) {
        let kept: Vec<usize> = self
            .iter()
            .enumerate()
            .filter(|&(_, o)| keep(o))
            .map(|(i, _)| i)
            .collect();
        let mut ids = Strs::default();
        let mut rows = Vec::with_capacity(kept.len());
        for i in kept {
            ids.push(self.offense_ids.get(i));
            if let Some(&r) = self.rows.get(i) {
                rows.push(r);
            }
        }
        self.rows = rows;
        self.offense_ids = ids;
    }

    /// Bytes held on the heap by the offences (rows, offence ids, pool, lists), for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.offense_ids.heap_bytes()
            + self.pool.heap_bytes()
            + self.lists.heap_bytes()
    }

    /// The size of one stored row, without its offence id and pool share (20 bytes).
    pub const ROW_BYTES: usize = std::mem::size_of::<Row>();
}

stored_table!(Offenses, Offense, OffenseRef);

#[cfg(test)]
mod tests {
    use super::*;

    fn offense(k: usize) -> Offense {
        Offense {
            incident_id: format!("I{}", k / 2).into(),
            offense_id: format!("I{}-{}", k / 2, k % 2 + 1).into(),
            nibrs_code: if k.is_multiple_of(3) {
                "13A".into()
            } else {
                "13B".into()
            },
            local_code: match k % 4 {
                0 => None,
                1 => Some("".into()),
                2 => Some("ASSAULT - DOMESTIC, A STATUTE TEXT LONGER THAN 24 BYTES".into()),
                _ => Some("13-3601".into()),
            },
            attempted: k == 5,
            weapons: match k % 3 {
                0 => vec![],
                1 => vec!["40".into()],
                _ => vec!["11A".into(), "40".into()],
            },
        }
    }

    #[test]
    fn offences_read_back_as_they_were_pushed() {
        let owned: Vec<Offense> = (0..20).map(offense).collect();
        let os = Offenses::from(owned.clone());
        assert_eq!(os.len(), 20);
        for (k, (o, w)) in os.iter().zip(&owned).enumerate() {
            assert_eq!(o, *w, "offence {k}");
            assert_eq!(o.to_offense(), *w);
            assert_eq!(os.incident_id(k), Some(w.incident_id.as_str()));
        }
        // None and an empty local code stay apart.
        assert_eq!(os.get(0).map(|o| o.local_code), Some(None));
        assert_eq!(os.get(1).map(|o| o.local_code), Some(Some("")));
        assert_eq!(os.iter().rev().map(|o| o.offense_id).next(), Some("I9-2"));
        assert!(os.get(20).is_none() && os.incident_id(20).is_none());
    }

    #[test]
    fn serialises_exactly_as_owned_offences() {
        let owned: Vec<Offense> = (0..12).map(offense).collect();
        let os = Offenses::from(owned.clone());
        let a = serde_json::to_string(&owned).unwrap_or_default();
        let b = serde_json::to_string(&os).unwrap_or_default();
        assert!(!a.is_empty());
        assert_eq!(a, b);
        let back: Offenses = serde_json::from_str(&b).unwrap_or_default();
        assert_eq!(back, os);
    }

    #[test]
    fn update_changes_one_offence_only() {
        let mut os: Offenses = (0..6).map(offense).collect();
        os.update(2, |o| {
            o.nibrs_code = "90Z".into();
            o.offense_id = "A-LONGER-OFFENCE-ID".into();
            o.local_code = None;
            o.weapons.clear();
        });
        assert_eq!(
            os.get(2)
                .map(|o| (o.nibrs_code, o.offense_id, o.local_code, o.weapons.len())),
            Some(("90Z", "A-LONGER-OFFENCE-ID", None, 0))
        );
        for k in [0, 1, 3, 4, 5] {
            assert_eq!(os.get(k).map(|o| o.to_offense()), Some(offense(k)));
        }
        os.retain(|o| o.nibrs_code == "13B");
        let left: Vec<&str> = os.iter().map(|o| o.offense_id).collect();
        assert_eq!(left, ["I0-2", "I2-1", "I2-2"]);
    }
}
