//! Offenders: from linked records to every IPV offender's history, scores and IPVI list.
//!
//! The path is [`CaseFile`] (a dataset whose pairs are classified and whose person records are
//! linked to people) → [`timeline`] (every event of a person, all crime types and roles) →
//! [`features`] over a look-back window as of a date → [`score`] (RFGV and harm, each shown as
//! its components) → [`lists`] (D, C, B, A from rules that are data, each with its reasons).
//! [`validate`] judges a ranking against what happened afterwards.
//!
//! Never an input: race, or mere police contacts and stops. Race is carried only so that the
//! fairness view can audit list composition.

pub mod advocates;
pub mod fairness;
pub mod features;
pub mod harm;
pub mod lists;
pub mod outputs;
pub mod people;
pub mod score;
pub mod timeline;
pub mod validate;

use crate::date::Date;
use crate::model::{Dataset, RelClass};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A person's dense index in a [`CaseFile`].
pub type PersonIx = u32;

/// The four IPVI lists, from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum List {
    D,
    C,
    B,
    A,
}

impl List {
    /// The one-letter name.
    pub fn as_str(self) -> &'static str {
        match self {
            List::D => "D",
            List::C => "C",
            List::B => "B",
            List::A => "A",
        }
    }

    /// Parse `A`, `B`, `C` or `D` (any case).
    pub fn parse(s: &str) -> Option<List> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A" => Some(List::A),
            "B" => Some(List::B),
            "C" => Some(List::C),
            "D" => Some(List::D),
            _ => None,
        }
    }
}

/// A notification delivered to an offender (recorded by the partnership).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub person: PersonIx,
    pub date: Date,
    pub list: List,
    /// letter, in-person, call-in, or a custom kind.
    pub kind: String,
    pub delivered_by: String,
}

/// A dataset ready for offender analysis: classified pairs and linked people.
#[derive(Debug)]
pub struct CaseFile<'a> {
    pub data: &'a Dataset,
    /// The class of each pair, parallel to `data.pairs`.
    pub pair_class: &'a [RelClass],
    /// The person of each involvement, parallel to `data.involvements`.
    pub person_of: &'a [PersonIx],
    /// The external id of each person (from linkage), indexed by [`PersonIx`].
    pub person_ids: &'a [String],
    pub notifications: &'a [Notification],
    index: Index,
}

/// Lookups built once per case file.
#[derive(Debug, Default)]
struct Index {
    incident_of: HashMap<String, usize>,
    involvement_of: HashMap<String, usize>,
    /// Offence indices per incident.
    offenses_of: Vec<Vec<usize>>,
}

/// Why a case file cannot be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseFileError {
    #[error("{what} has {got} entries but the dataset has {want}: classify and link the same dataset")]
    Length {
        what: &'static str,
        got: usize,
        want: usize,
    },
    #[error("person index {0} has no person id: the linkage result is incomplete")]
    PersonOutOfRange(PersonIx),
}

impl<'a> CaseFile<'a> {
    /// Put the pieces together and build the lookups.
    pub fn new(
        data: &'a Dataset,
        pair_class: &'a [RelClass],
        person_of: &'a [PersonIx],
        person_ids: &'a [String],
        notifications: &'a [Notification],
    ) -> Result<CaseFile<'a>, CaseFileError> {
        if pair_class.len() != data.pairs.len() {
            return Err(CaseFileError::Length {
                what: "pair classes",
                got: pair_class.len(),
                want: data.pairs.len(),
            });
        }
        if person_of.len() != data.involvements.len() {
            return Err(CaseFileError::Length {
                what: "person links",
                got: person_of.len(),
                want: data.involvements.len(),
            });
        }
        if let Some(&p) = person_of.iter().find(|&&p| p as usize >= person_ids.len()) {
            return Err(CaseFileError::PersonOutOfRange(p));
        }
        let mut index = Index::default();
        for (i, inc) in data.incidents.iter().enumerate() {
            index.incident_of.entry(inc.incident_id.to_string()).or_insert(i);
        }
        for (i, inv) in data.involvements.iter().enumerate() {
            index.involvement_of.entry(inv.record_id.to_string()).or_insert(i);
        }
        index.offenses_of = vec![Vec::new(); data.incidents.len()];
        for (i, off) in data.offenses.iter().enumerate() {
            if let Some(&ix) = index.incident_of.get(off.incident_id) {
                index.offenses_of[ix].push(i);
            }
        }
        Ok(CaseFile {
            data,
            pair_class,
            person_of,
            person_ids,
            notifications,
            index,
        })
    }

    /// The number of people.
    pub fn people(&self) -> usize {
        self.person_ids.len()
    }

    /// The incident's index.
    pub fn incident(&self, id: &str) -> Option<usize> {
        self.index.incident_of.get(id).copied()
    }

    /// The person behind a record id.
    pub fn person_of_record(&self, record_id: &str) -> Option<PersonIx> {
        self.index.involvement_of.get(record_id).map(|&i| self.person_of[i])
    }

    /// The offences of an incident (by incident index).
    pub fn offenses(&self, incident: usize) -> impl Iterator<Item = crate::model::OffenseRef<'_>> + '_ {
        self.index
            .offenses_of
            .get(incident)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.data.offenses.get(i))
    }
}

#[cfg(test)]
mod tests;
