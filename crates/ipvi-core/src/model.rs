//! The analyzer's data model: what every importer produces and every later step reads.
//!
//! One [`Dataset`] holds an agency's records: incidents, the people involved in them (one
//! [`Involvement`] per person per incident, with the role, stored compactly in [`Persons`] with
//! repeated values interned in the dataset's own [`Pool`]), offences, victim–offender pairs,
//! arrests and charges, protective orders and calls for service.
//! Record ids are the agency's own strings; a person id only exists after linkage.

use crate::date::Date;
use serde::{Deserialize, Serialize};

mod incidents;
mod offenses;
mod pairs;
mod persons;
pub mod pool;
mod rows;

pub use incidents::{IncidentRef, Incidents};
pub use offenses::{OffenseRef, Offenses};
pub use pairs::{PairRef, Pairs};
pub use persons::{Codes, PersonRef, Persons};
pub use pool::{Pool, Sym};

/// A short text value of a record (an id, a code, a name, an agency): stored inline, without a
/// heap allocation, up to 24 bytes ([`compact_str::CompactString`]). Most values of an export are
/// that short, so a dataset takes about half the memory of one `String` per value (measured on
/// a generated 1,000,000-person export: see docs/benchmarks.md).
pub type Text = compact_str::CompactString;

/// The relationship class of a victim–offender pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelClass {
    /// Current or former spouse, common-law spouse, dating partner, child in common (same-sex included).
    IntimatePartner,
    /// Parent, child, sibling, grandparent, in-law, step relation, other family member.
    OtherFamily,
    /// Acquaintance, friend, neighbour, employer, cohabitant who is not a partner, ...
    KnownNonFamily,
    /// Stranger.
    Stranger,
    /// Relationship unknown or not recorded.
    Unknown,
}

impl RelClass {
    /// Every class, in report order.
    pub const ALL: [RelClass; 5] = [
        RelClass::IntimatePartner,
        RelClass::OtherFamily,
        RelClass::KnownNonFamily,
        RelClass::Stranger,
        RelClass::Unknown,
    ];

    /// The snake_case name used in files (`intimate_partner`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RelClass::IntimatePartner => "intimate_partner",
            RelClass::OtherFamily => "other_family",
            RelClass::KnownNonFamily => "known_non_family",
            RelClass::Stranger => "stranger",
            RelClass::Unknown => "unknown",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            RelClass::IntimatePartner => "Intimate partner",
            RelClass::OtherFamily => "Other family",
            RelClass::KnownNonFamily => "Known, not family",
            RelClass::Stranger => "Stranger",
            RelClass::Unknown => "Unknown",
        }
    }

    /// Parse the snake_case name.
    pub fn parse(s: &str) -> Option<RelClass> {
        RelClass::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// Domestic: intimate partner or other family.
    pub fn is_domestic(self) -> bool {
        matches!(self, RelClass::IntimatePartner | RelClass::OtherFamily)
    }
}

/// Where a classification decision came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionSource {
    /// A relationship code looked up in the code table.
    Code,
    /// A free-text relationship description.
    FreeText,
    /// The incident narrative.
    Narrative,
    /// An offence code or description of the incident that names the relationship (a statute
    /// "battery, former spouse or dating relationship", a local code "INTIMATE PARTNER - ...").
    Offense,
    /// An analyst's override.
    Analyst,
    /// Nothing usable: the class is `unknown`.
    None,
}

/// A person's role in an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Victim,
    Offender,
    Suspect,
    Arrestee,
    Witness,
    Other,
}

impl Role {
    /// Parse the names and one-letter codes agencies use.
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "victim" | "v" | "vic" => Role::Victim,
            "offender" | "o" | "off" | "perpetrator" | "perp" => Role::Offender,
            "suspect" | "s" | "sus" | "susp" => Role::Suspect,
            "arrestee" | "a" | "arrested" | "arr" => Role::Arrestee,
            "witness" | "w" | "wit" => Role::Witness,
            "other" | "x" | "reporting party" | "rp" | "involved" => Role::Other,
            _ => return None,
        })
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Victim => "victim",
            Role::Offender => "offender",
            Role::Suspect => "suspect",
            Role::Arrestee => "arrestee",
            Role::Witness => "witness",
            Role::Other => "other",
        }
    }
}

/// One incident (a report): the owned form that importers and tests build; a [`Dataset`] stores
/// it in [`Incidents`] and gives it back as an [`IncidentRef`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub incident_id: Text,
    pub agency: Text,
    pub date: Option<Date>,
    pub hour: Option<u8>,
    /// The officer's short narrative, when the export has one (police-only).
    pub narrative: Option<String>,
    /// A domestic-violence flag set by the agency, when there is one.
    pub domestic_flag: Option<bool>,
    /// Where it happened, as the agency groups places (area, district, beat, neighbourhood,
    /// cross street); empty when the export has none.
    #[serde(default)]
    pub place: Text,
}

/// One offence in an incident: the owned form that importers and tests build; a [`Dataset`]
/// stores it in [`Offenses`] and gives it back as an [`OffenseRef`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Offense {
    pub incident_id: Text,
    pub offense_id: Text,
    /// NIBRS offence code (13A, 13B, 90Z, ...), after any local code table.
    pub nibrs_code: Text,
    /// The agency's own code or statute text, as exported.
    pub local_code: Option<Text>,
    pub attempted: bool,
    /// Weapon or force codes (NIBRS 11–95), when recorded.
    pub weapons: Vec<Text>,
}

/// A person as recorded in one incident: the unit that linkage joins into people. The owned
/// form that importers and tests build; a [`Dataset`] stores it in [`Persons`] and gives it back
/// as a [`PersonRef`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Involvement {
    /// The agency's id of this person record (unique across the dataset).
    pub record_id: Text,
    pub incident_id: Text,
    pub role: Option<Role>,
    pub first_name: Text,
    pub middle_name: Text,
    pub last_name: Text,
    /// Jr, Sr, II, III ...
    pub suffix: Text,
    pub dob: Option<Date>,
    pub age: Option<u16>,
    /// M, F, U (or X).
    pub sex: Text,
    /// Kept for the fairness audit of list composition only; never a scoring input.
    pub race: Text,
    pub address: Text,
    pub city: Text,
    pub postcode: Text,
    pub phone: Text,
    /// Injury codes recorded for this person (NIBRS N, B, I, L, M, O, T, U), victims only.
    pub injuries: Vec<Text>,
}

/// A victim–offender pair in an incident, with the relationship as recorded: the owned form
/// that importers and tests build; a [`Dataset`] stores it in [`Pairs`] and gives it back as a
/// [`PairRef`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub incident_id: Text,
    pub victim_record_id: Text,
    pub offender_record_id: Text,
    /// The relationship code as exported (NIBRS two-letter, or local).
    pub relationship_code: Option<Text>,
    /// Free-text relationship, when the export has one.
    pub relationship_text: Option<Text>,
    /// NIBRS circumstance 6 (domestic violence) on the victim.
    pub dv_circumstance: bool,
}

/// An arrest or charge of one person record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Arrest {
    pub arrest_id: Text,
    pub incident_id: Option<Text>,
    pub record_id: Text,
    pub date: Option<Date>,
    /// NIBRS code of the charge.
    pub nibrs_code: Text,
    pub charge_text: Option<Text>,
    /// Felony (true), misdemeanour (false), unknown (None).
    pub felony: Option<bool>,
    pub domestic: Option<bool>,
}

/// A protective order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProtectiveOrder {
    pub order_id: Text,
    /// The person record the order restrains.
    pub respondent_record_id: Text,
    /// The protected person's record (victim information: advocates only).
    pub petitioner_record_id: Option<Text>,
    pub issued: Option<Date>,
    pub expires: Option<Date>,
}

/// A call for service (which may or may not have led to a report).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub call_id: Text,
    pub date: Option<Date>,
    pub call_type: Text,
    pub domestic: bool,
    pub incident_id: Option<Text>,
}

/// An agency's records, as imported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// The incidents, stored compactly ([`Incidents`]; read as [`IncidentRef`]).
    pub incidents: Incidents,
    /// The offences, stored compactly ([`Offenses`]; read as [`OffenseRef`]).
    pub offenses: Offenses,
    /// The person records, stored compactly ([`Persons`]; read as [`PersonRef`]).
    pub involvements: Persons,
    /// The victim–offender pairs, stored compactly ([`Pairs`]; read as [`PairRef`]).
    pub pairs: Pairs,
    pub arrests: Vec<Arrest>,
    pub orders: Vec<ProtectiveOrder>,
    pub calls: Vec<Call>,
    /// The records are made up (read through a profile marked synthetic, such as the sample
    /// jurisdiction's): every report, export and screen made from them says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
}
