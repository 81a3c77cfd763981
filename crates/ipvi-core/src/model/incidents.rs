//! The incidents of a dataset, stored compactly and read in place, as [`super::Persons`] stores
//! the person records.
//!
//! An incident's agency and place recur across thousands of incidents; its id is its own (one
//! incident, one id); its date, hour and domestic-violence flag are a few bytes; few exports
//! have a narrative. [`Incidents`] stores each incident as a 24-byte row (the agency and place
//! as [`Sym`]s of the table's own [`Pool`], the date, hour and flag inline, and the position of
//! its narrative among the narratives recorded), the ids one after another in a [`Strs`]
//! column without an index, and the narratives in a second [`Strs`] column holding only the
//! incidents that have one. Readers get an [`IncidentRef`], a `Copy` view with the fields of
//! [`Incident`] as `&str`; importers and tests still build an owned [`Incident`] and
//! [`Incidents::push`] stores it. Serialised, the table is exactly a `Vec<Incident>`.
//!
//! Its own pool and not one shared with the other tables, for the reason given in
//! [`super::offenses`]: here the incident ids are not interned at all (they are distinct), and
//! the pool holds only agencies and places, a few hundred values.
//!
//! Sizes (checked by the compiler below): an [`Incident`] is 104 bytes natively before the heap
//! of its values (a narrative, any value over 24 bytes); a stored row is 24 bytes plus its id
//! (its bytes and an 8-byte end, 4 in wasm32) plus any narrative.

use super::pool::{Pool, Strs, Sym};
use super::rows::stored_table;
use super::{Incident, Text};
use crate::date::Date;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// `Row::narrative` of an incident without a narrative.
const NO_NARRATIVE: u32 = u32::MAX;

/// One stored incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    agency: Sym,
    place: Sym,
    date: Option<Date>,
    /// The position of the narrative in [`Incidents::narratives`], or [`NO_NARRATIVE`].
    narrative: u32,
    hour: Option<u8>,
    domestic_flag: Option<bool>,
}

const _: () = assert!(std::mem::size_of::<Row>() == 24);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Incident>() == 112);

/// The incidents of a dataset, in the order imported.
#[derive(Clone, Default)]
pub struct Incidents {
    rows: Vec<Row>,
    ids: Strs,
    narratives: Strs,
    pool: Pool,
}

/// An incident read in place: the fields of [`Incident`], borrowed from [`Incidents`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IncidentRef<'a> {
    pub incident_id: &'a str,
    pub agency: &'a str,
    pub date: Option<Date>,
    pub hour: Option<u8>,
    /// The officer's short narrative, when the export has one (police-only).
    pub narrative: Option<&'a str>,
    /// A domestic-violence flag set by the agency, when there is one.
    pub domestic_flag: Option<bool>,
    /// Where it happened, as the agency groups places; empty when the export has none.
    pub place: &'a str,
}

/// The same fields, names and order as [`Incident`]'s derived `Serialize`.
impl Serialize for IncidentRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Incident", 7)?;
        st.serialize_field("incident_id", self.incident_id)?;
        st.serialize_field("agency", self.agency)?;
        st.serialize_field("date", &self.date)?;
        st.serialize_field("hour", &self.hour)?;
        st.serialize_field("narrative", &self.narrative)?;
        st.serialize_field("domestic_flag", &self.domestic_flag)?;
        st.serialize_field("place", self.place)?;
        st.end()
    }
}

impl IncidentRef<'_> {
    /// An owned copy of the incident.
    pub fn to_incident(&self) -> Incident {
        Incident {
            incident_id: Text::from(self.incident_id),
            agency: Text::from(self.agency),
            date: self.date,
            hour: self.hour,
            narrative: self.narrative.map(str::to_string),
            domestic_flag: self.domestic_flag,
            place: Text::from(self.place),
        }
    }
}

impl PartialEq<Incident> for IncidentRef<'_> {
    fn eq(&self, o: &Incident) -> bool {
        self.incident_id == o.incident_id
            && self.agency == o.agency
            && self.date == o.date
            && self.hour == o.hour
            && self.narrative == o.narrative.as_deref()
            && self.domestic_flag == o.domestic_flag
            && self.place == o.place
    }
}

impl Incidents {
    /// Room for `n` more incidents.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.ids.reserve(n, n.saturating_mul(10));
    }

    /// Add a copy of an incident at the end.
    pub fn push_ref(&mut self, i: &Incident) {
        let row = self.row_of(i, NO_NARRATIVE);
        self.ids.push(&i.incident_id);
        self.rows.push(row);
    }

    /// The row of `i`, its narrative added at the end of the narratives unless it is the one
    /// at `old` already.
    fn row_of(&mut self, i: &Incident, old: u32) -> Row {
        let narrative = match i.narrative.as_deref() {
            None => NO_NARRATIVE,
            Some(n) if old != NO_NARRATIVE && self.narratives.get(old as usize) == n => old,
            Some(n) => {
                // At most u32::MAX - 1 narratives: past that (over 4 billion incidents, beyond
                // wasm32's memory) the narrative is dropped rather than mistaken for another.
                match u32::try_from(self.narratives.len()) {
                    Ok(k) if k != NO_NARRATIVE => {
                        self.narratives.push(n);
                        k
                    }
                    _ => NO_NARRATIVE,
                }
            }
        };
        Row {
            agency: self.pool.intern(&i.agency),
            place: self.pool.intern(&i.place),
            date: i.date,
            narrative,
            hour: i.hour,
            domestic_flag: i.domestic_flag,
        }
    }

    #[inline]
    fn view(&self, i: usize, r: &Row) -> IncidentRef<'_> {
        IncidentRef {
            incident_id: self.ids.get(i),
            agency: self.pool.get(r.agency),
            date: r.date,
            hour: r.hour,
            narrative: (r.narrative != NO_NARRATIVE).then(|| self.narratives.get(r.narrative as usize)),
            domestic_flag: r.domestic_flag,
            place: self.pool.get(r.place),
        }
    }

    /// The id of the incident at `i` (without reading the rest of the incident).
    #[inline]
    pub fn incident_id(&self, i: usize) -> Option<&str> {
        (i < self.rows.len()).then(|| self.ids.get(i))
    }

    /// The date of the incident at `i`.
    #[inline]
    pub fn date(&self, i: usize) -> Option<Date> {
        self.rows.get(i).and_then(|r| r.date)
    }

    /// The last incident.
    pub fn last(&self) -> Option<IncidentRef<'_>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Change the incident at `i` through its owned copy (importers' later rows, tests; an
    /// old narrative stays stored). Nothing happens past the end.
    pub fn update(&mut self, i: usize, f: impl FnOnce(&mut Incident)) {
        let Some(mut owned) = self.get(i).map(|x| x.to_incident()) else {
            return;
        };
        f(&mut owned);
        let old = self.rows.get(i).map_or(NO_NARRATIVE, |r| r.narrative);
        let row = self.row_of(&owned, old);
        if self.ids.get(i) != owned.incident_id.as_str() {
            self.ids.set(i, &owned.incident_id);
        }
        if let Some(r) = self.rows.get_mut(i) {
            *r = row;
        }
    }

    /// Bytes held on the heap by the incidents (rows, ids, narratives, pool), for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.ids.heap_bytes()
            + self.narratives.heap_bytes()
            + self.pool.heap_bytes()
    }

    /// The size of one stored row, without its id, narrative and pool share (24 bytes).
    pub const ROW_BYTES: usize = std::mem::size_of::<Row>();
}

stored_table!(Incidents, Incident, IncidentRef);

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(k: usize) -> Incident {
        Incident {
            incident_id: format!("2019-{k:06}").into(),
            agency: if k.is_multiple_of(3) {
                "PHOENIX PD".into()
            } else {
                "MESA PD".into()
            },
            date: (k != 4).then(|| Date::from_ymd(2019, 1 + (k % 12) as u32, 1)).flatten(),
            hour: (!k.is_multiple_of(5)).then_some((k % 24) as u8),
            narrative: match k % 4 {
                0 => None,
                1 => Some(String::new()),
                _ => Some(format!("V{k} STATED HER BOYFRIEND PUSHED HER AGAINST THE WALL")),
            },
            domestic_flag: match k % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            },
            place: if k.is_multiple_of(2) {
                "".into()
            } else {
                "BEAT 12".into()
            },
        }
    }

    #[test]
    fn incidents_read_back_as_they_were_pushed() {
        let owned: Vec<Incident> = (0..20).map(incident).collect();
        let xs = Incidents::from(owned.clone());
        assert_eq!(xs.len(), 20);
        for (k, (x, o)) in xs.iter().zip(&owned).enumerate() {
            assert_eq!(x, *o, "incident {k}");
            assert_eq!(x.to_incident(), *o);
            assert_eq!(xs.incident_id(k), Some(o.incident_id.as_str()));
            assert_eq!(xs.date(k), o.date);
        }
        assert_eq!(xs.get(0).map(|x| x.narrative), Some(None));
        assert_eq!(xs.get(1).map(|x| x.narrative), Some(Some("")));
        assert_eq!(xs.last().map(|x| x.incident_id), Some("2019-000019"));
        assert!(xs.get(20).is_none() && xs.incident_id(20).is_none());
    }

    #[test]
    fn serialises_exactly_as_owned_incidents() {
        let owned: Vec<Incident> = (0..12).map(incident).collect();
        let xs = Incidents::from(owned.clone());
        let a = serde_json::to_string(&owned).unwrap_or_default();
        let b = serde_json::to_string(&xs).unwrap_or_default();
        assert!(!a.is_empty());
        assert_eq!(a, b);
        let back: Incidents = serde_json::from_str(&b).unwrap_or_default();
        assert_eq!(back, xs);
    }

    #[test]
    fn update_changes_one_incident_only() {
        let mut xs: Incidents = (0..6).map(incident).collect();
        xs.update(2, |i| {
            i.narrative = Some("S1 STRANGLED V".into());
            i.incident_id = "A-LONGER-INCIDENT-ID-2".into();
            i.domestic_flag = None;
        });
        xs.update(3, |i| i.narrative = None);
        xs.update(0, |i| i.narrative = Some("NEW".into()));
        assert_eq!(
            xs.get(2).map(|x| (x.incident_id, x.narrative, x.domestic_flag)),
            Some(("A-LONGER-INCIDENT-ID-2", Some("S1 STRANGLED V"), None))
        );
        assert_eq!(xs.get(3).map(|x| x.narrative), Some(None));
        assert_eq!(xs.get(0).map(|x| x.narrative), Some(Some("NEW")));
        for k in [1, 4, 5] {
            assert_eq!(xs.get(k).map(|x| x.to_incident()), Some(incident(k)));
        }
    }
}
