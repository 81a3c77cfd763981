//! The person records of a dataset, stored compactly and read in place.
//!
//! A flat export has one person row per victim or offender per incident, and most of a row's
//! values repeat: names, sex, race, address, city, postcode and phone recur across a person's
//! incidents, and the incident id across the people of one incident. [`Persons`] stores each
//! row as a fixed block of 4-byte [`Sym`]s into one per-dataset [`Pool`] (plus the date of birth,
//! age and role), the record ids (distinct by definition) one after another in a [`Strs`]
//! column without an index, and the injury codes as an interned list. Readers get a
//! [`PersonRef`], a `Copy` view with the fields of [`Involvement`] as `&str`, so they read the
//! values in place; importers, the synthetic jurisdiction and tests still build an owned
//! [`Involvement`] and [`Persons::push`] interns it.
//!
//! Why rows of syms and not one vector per field: every reader here takes several fields of a
//! row at once (linkage's features, a record's brief, the timelines), and one vector of 64-byte
//! rows is one reservation and one bounds check per row. Measured with `size_of` (see the tests):
//! an [`Involvement`] is 328 bytes natively (172 in wasm32) before the heap of its values; a
//! stored row is 64 bytes plus its record id (its bytes and an 8-byte end, 4 in wasm32) plus its
//! share of the pool.

use super::pool::{Lists, Pool, Strs, Sym};
use super::rows::stored_table;
use super::{Involvement, Role, Text};
use crate::date::Date;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::fmt;

/// One stored person row: the values as syms of the dataset's pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    incident_id: Sym,
    first_name: Sym,
    middle_name: Sym,
    last_name: Sym,
    suffix: Sym,
    sex: Sym,
    race: Sym,
    address: Sym,
    city: Sym,
    postcode: Sym,
    phone: Sym,
    /// The injury codes, a list of [`Lists`].
    injuries: u32,
    dob: Option<Date>,
    age: Option<u16>,
    role: Option<Role>,
}

// The sizes the module documentation gives, checked by the compiler on every target (natively
// and for wasm32, where the owned record is smaller but a row is the same).
const _: () = assert!(std::mem::size_of::<Row>() == 64);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Involvement>() == 328);
#[cfg(target_pointer_width = "32")]
const _: () = assert!(std::mem::size_of::<Involvement>() == 172);

/// The person records of a dataset (one per person per incident), in the order imported.
#[derive(Clone, Default)]
pub struct Persons {
    rows: Vec<Row>,
    record_ids: Strs,
    pool: Pool,
    lists: Lists,
}

/// A person record read in place: the fields of [`Involvement`], borrowed from [`Persons`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PersonRef<'a> {
    /// The agency's id of this person record (unique across the dataset).
    pub record_id: &'a str,
    pub incident_id: &'a str,
    pub role: Option<Role>,
    pub first_name: &'a str,
    pub middle_name: &'a str,
    pub last_name: &'a str,
    /// Jr, Sr, II, III ...
    pub suffix: &'a str,
    pub dob: Option<Date>,
    pub age: Option<u16>,
    /// M, F, U (or X).
    pub sex: &'a str,
    /// Kept for the fairness audit of list composition only; never a scoring input.
    pub race: &'a str,
    pub address: &'a str,
    pub city: &'a str,
    pub postcode: &'a str,
    pub phone: &'a str,
    /// Injury codes recorded for this person (NIBRS N, B, I, L, M, O, T, U), victims only.
    pub injuries: Codes<'a>,
}

/// A short list of codes read in place (a person's injuries).
#[derive(Clone, Copy)]
pub struct Codes<'a> {
    syms: &'a [Sym],
    pool: &'a Pool,
}

impl<'a> Codes<'a> {
    /// The codes `syms` of `pool`.
    pub(super) fn new(syms: &'a [Sym], pool: &'a Pool) -> Self {
        Codes { syms, pool }
    }

    /// The codes, in the order recorded.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + Clone + 'a {
        let pool = self.pool;
        self.syms.iter().map(move |&s| pool.get(s))
    }

    /// How many codes.
    pub fn len(&self) -> usize {
        self.syms.len()
    }

    /// Whether none is recorded.
    pub fn is_empty(&self) -> bool {
        self.syms.is_empty()
    }
}

impl PartialEq for Codes<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Codes<'_> {}

impl fmt::Debug for Codes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Codes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for c in self.iter() {
            seq.serialize_element(c)?;
        }
        seq.end()
    }
}

impl fmt::Debug for PersonRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonRef")
            .field("record_id", &self.record_id)
            .field("incident_id", &self.incident_id)
            .field("role", &self.role)
            .field("first_name", &self.first_name)
            .field("middle_name", &self.middle_name)
            .field("last_name", &self.last_name)
            .field("suffix", &self.suffix)
            .field("dob", &self.dob)
            .field("age", &self.age)
            .field("sex", &self.sex)
            .field("race", &self.race)
            .field("address", &self.address)
            .field("city", &self.city)
            .field("postcode", &self.postcode)
            .field("phone", &self.phone)
            .field("injuries", &self.injuries)
            .finish()
    }
}

/// The same fields, names and order as [`Involvement`]'s derived `Serialize`, so a serialised
/// dataset is byte-identical to the one of owned records.
impl Serialize for PersonRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Involvement", 16)?;
        st.serialize_field("record_id", self.record_id)?;
        st.serialize_field("incident_id", self.incident_id)?;
        st.serialize_field("role", &self.role)?;
        st.serialize_field("first_name", self.first_name)?;
        st.serialize_field("middle_name", self.middle_name)?;
        st.serialize_field("last_name", self.last_name)?;
        st.serialize_field("suffix", self.suffix)?;
        st.serialize_field("dob", &self.dob)?;
        st.serialize_field("age", &self.age)?;
        st.serialize_field("sex", self.sex)?;
        st.serialize_field("race", self.race)?;
        st.serialize_field("address", self.address)?;
        st.serialize_field("city", self.city)?;
        st.serialize_field("postcode", self.postcode)?;
        st.serialize_field("phone", self.phone)?;
        st.serialize_field("injuries", &self.injuries)?;
        st.end()
    }
}

impl PersonRef<'_> {
    /// An owned copy of the record.
    pub fn to_involvement(&self) -> Involvement {
        Involvement {
            record_id: Text::from(self.record_id),
            incident_id: Text::from(self.incident_id),
            role: self.role,
            first_name: Text::from(self.first_name),
            middle_name: Text::from(self.middle_name),
            last_name: Text::from(self.last_name),
            suffix: Text::from(self.suffix),
            dob: self.dob,
            age: self.age,
            sex: Text::from(self.sex),
            race: Text::from(self.race),
            address: Text::from(self.address),
            city: Text::from(self.city),
            postcode: Text::from(self.postcode),
            phone: Text::from(self.phone),
            injuries: self.injuries.iter().map(Text::from).collect(),
        }
    }
}

impl PartialEq<Involvement> for PersonRef<'_> {
    fn eq(&self, o: &Involvement) -> bool {
        self.record_id == o.record_id
            && self.incident_id == o.incident_id
            && self.role == o.role
            && self.first_name == o.first_name
            && self.middle_name == o.middle_name
            && self.last_name == o.last_name
            && self.suffix == o.suffix
            && self.dob == o.dob
            && self.age == o.age
            && self.sex == o.sex
            && self.race == o.race
            && self.address == o.address
            && self.city == o.city
            && self.postcode == o.postcode
            && self.phone == o.phone
            && self.injuries.len() == o.injuries.len()
            && self.injuries.iter().zip(&o.injuries).all(|(a, b)| a == b)
    }
}

impl Persons {
    /// Room for `n` more records.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.record_ids.reserve(n, n.saturating_mul(12));
    }

    /// Add a copy of a record at the end, interning its values.
    pub fn push_ref(&mut self, p: &Involvement) {
        let row = self.row_of(p);
        self.record_ids.push(&p.record_id);
        self.rows.push(row);
    }

    fn row_of(&mut self, p: &Involvement) -> Row {
        let pool = &mut self.pool;
        let injuries = if p.injuries.is_empty() {
            0
        } else {
            let syms: Vec<Sym> = p.injuries.iter().map(|c| pool.intern(c)).collect();
            self.lists.intern(&syms)
        };
        Row {
            incident_id: pool.intern(&p.incident_id),
            first_name: pool.intern(&p.first_name),
            middle_name: pool.intern(&p.middle_name),
            last_name: pool.intern(&p.last_name),
            suffix: pool.intern(&p.suffix),
            sex: pool.intern(&p.sex),
            race: pool.intern(&p.race),
            address: pool.intern(&p.address),
            city: pool.intern(&p.city),
            postcode: pool.intern(&p.postcode),
            phone: pool.intern(&p.phone),
            injuries,
            dob: p.dob,
            age: p.age,
            role: p.role,
        }
    }

    #[inline]
    fn view(&self, i: usize, r: &Row) -> PersonRef<'_> {
        let s = |sym| self.pool.get(sym);
        PersonRef {
            record_id: self.record_ids.get(i),
            incident_id: s(r.incident_id),
            role: r.role,
            first_name: s(r.first_name),
            middle_name: s(r.middle_name),
            last_name: s(r.last_name),
            suffix: s(r.suffix),
            dob: r.dob,
            age: r.age,
            sex: s(r.sex),
            race: s(r.race),
            address: s(r.address),
            city: s(r.city),
            postcode: s(r.postcode),
            phone: s(r.phone),
            injuries: Codes {
                syms: self.lists.get(r.injuries),
                pool: &self.pool,
            },
        }
    }

    /// The record id at `i` (without reading the rest of the record).
    #[inline]
    pub fn record_id(&self, i: usize) -> Option<&str> {
        (i < self.rows.len()).then(|| self.record_ids.get(i))
    }

    /// The incident id of the record at `i`.
    #[inline]
    pub fn incident_id(&self, i: usize) -> Option<&str> {
        self.rows.get(i).map(|r| self.pool.get(r.incident_id))
    }

    /// Change the record at `i` through its owned copy (tests and the rare edit; the old values
    /// stay in the pool). Nothing happens past the end.
    pub fn update(&mut self, i: usize, f: impl FnOnce(&mut Involvement)) {
        let Some(mut owned) = self.get(i).map(|p| p.to_involvement()) else {
            return;
        };
        f(&mut owned);
        let row = self.row_of(&owned);
        if self.record_ids.get(i) != owned.record_id.as_str() {
            self.record_ids.set(i, &owned.record_id);
        }
        if let Some(r) = self.rows.get_mut(i) {
            *r = row;
        }
    }

    /// The dataset's pool of values.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Bytes held on the heap by the records (rows, record ids, pool, lists), for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.record_ids.heap_bytes()
            + self.pool.heap_bytes()
            + self.lists.heap_bytes()
    }

    /// The size of one stored row, without its record id and pool share (64 bytes).
    pub const ROW_BYTES: usize = std::mem::size_of::<Row>();
}

stored_table!(Persons, Involvement, PersonRef);

#[cfg(test)]
mod tests {
    use super::*;

    fn person(k: usize) -> Involvement {
        Involvement {
            record_id: format!("R{k}").into(),
            incident_id: format!("I{}", k / 3).into(),
            role: if k.is_multiple_of(2) {
                Some(Role::Victim)
            } else {
                Some(Role::Offender)
            },
            first_name: if k.is_multiple_of(4) {
                "ANA".into()
            } else {
                "JOSÉ".into()
            },
            middle_name: "".into(),
            last_name: "GARCÍA".into(),
            suffix: if k == 5 { "JR".into() } else { "".into() },
            dob: Date::from_ymd(1980 + (k % 7) as i32, 1, 2),
            age: (!k.is_multiple_of(5)).then_some(30 + k as u16),
            sex: "F".into(),
            race: "W".into(),
            address: format!("{} MAIN ST", k % 2).into(),
            city: "PHOENIX".into(),
            postcode: "85001".into(),
            phone: "".into(),
            injuries: match k % 3 {
                0 => vec![],
                1 => vec!["N".into()],
                _ => vec!["B".into(), "I".into()],
            },
        }
    }

    #[test]
    fn records_read_back_as_they_were_pushed() {
        let owned: Vec<Involvement> = (0..20).map(person).collect();
        let ps = Persons::from(owned.clone());
        assert_eq!(ps.len(), 20);
        for (k, (p, o)) in ps.iter().zip(&owned).enumerate() {
            assert_eq!(p, *o, "record {k}");
            assert_eq!(p.to_involvement(), *o);
            assert_eq!(ps.record_id(k), Some(o.record_id.as_str()));
            assert_eq!(ps.incident_id(k), Some(o.incident_id.as_str()));
        }
        assert_eq!(ps.iter().rev().map(|p| p.record_id).next(), Some("R19"));
        assert!(ps.get(20).is_none() && ps.record_id(20).is_none());
        // Repeated values are stored once: the empty string, 7 incidents, 2 first names, one
        // last name, JR, F, W, two addresses, a city, a postcode and three injury codes.
        assert_eq!(ps.pool().len(), 1 + 7 + 2 + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 3);
    }

    #[test]
    fn serialises_exactly_as_owned_records() {
        let owned: Vec<Involvement> = (0..10).map(person).collect();
        let ps = Persons::from(owned.clone());
        let a = serde_json::to_string(&owned).unwrap_or_default();
        let b = serde_json::to_string(&ps).unwrap_or_default();
        assert!(!a.is_empty());
        assert_eq!(a, b);
        let back: Persons = serde_json::from_str(&b).unwrap_or_default();
        assert_eq!(back, ps);
    }

    #[test]
    fn update_changes_one_record_only() {
        let mut ps: Persons = (0..6).map(person).collect();
        ps.update(2, |p| {
            p.last_name = "DOE".into();
            p.record_id = "LONGER-ID-2".into();
            p.injuries.clear();
        });
        assert_eq!(
            ps.get(2).map(|p| (p.last_name, p.record_id, p.injuries.len())),
            Some(("DOE", "LONGER-ID-2", 0))
        );
        for k in [0, 1, 3, 4, 5] {
            assert_eq!(ps.get(k).map(|p| p.to_involvement()), Some(person(k)));
        }
        ps.update(99, |p| p.last_name = "X".into());
        assert_eq!(ps.len(), 6);
    }

    #[test]
    fn a_stored_row_is_a_fifth_of_an_owned_record() {
        // Natively an Involvement is 328 bytes before its values' heap; a row is 64.
        assert_eq!(Persons::ROW_BYTES, 64);
        assert!(std::mem::size_of::<Involvement>() >= 4 * Persons::ROW_BYTES);
    }
}
