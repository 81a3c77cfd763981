//! The synthetic jurisdiction: realistic offending careers in messy agency records, with the
//! ground truth beside them.
//!
//! [`generate`] draws a population ([`population`]), simulates offending careers
//! ([`careers`]), writes what an agency's records-management system would hold, with clerks'
//! noise ([`records`]) and officers' narratives ([`narrative`]), and keeps the truth. [`export`]
//! turns a [`Jurisdiction`] into the CSV files of an agency export plus `truth/`;
//! [`calibration`] measures the generated data against the published shape of real data;
//! the export is read back like any agency's export, through the generic import
//! ([`crate::import::import_files`]) and its built-in profile `data/profiles/synthetic_export.json`.
//!
//! Deterministic: one seed gives the same bytes natively and in wasm32 (ChaCha8 streams, `libm`,
//! no hash-order iteration, no OS randomness).

pub mod calibration;
pub mod careers;
pub mod export;
pub mod narrative;
pub mod population;
pub mod programme;
pub mod records;
pub mod rng;
pub mod sample;
pub mod texts;
pub mod truth;

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// How big, how long, and how noisy the jurisdiction is. Every field has a documented default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SynthConfig {
    /// The seed: the same seed and settings give the same bytes. Default 1.
    pub seed: u64,
    /// People living in the jurisdiction. Default 100,000.
    pub population: u32,
    /// Years of records in the export. Default 5.
    pub years: u32,
    /// First day of the export. Default 2019-01-01.
    pub start: Date,
    /// Months simulated after the export ends, written only to `truth/`. Default 12.
    pub followup_months: u32,
    /// Years simulated before the export begins (histories, never written). Default 1.
    pub burn_in_years: u32,
    /// Offending careers.
    pub offending: OffendingConfig,
    /// Clerks' and officers' noise.
    pub noise: NoiseConfig,
    /// An optional intervention (notifications with an effect on re-offending).
    pub intervention: Option<InterventionConfig>,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            seed: 1,
            population: 100_000,
            years: 5,
            start: Date::from_ymd(2019, 1, 1).unwrap_or(Date(17897)),
            followup_months: 12,
            burn_in_years: 1,
            offending: OffendingConfig::default(),
            noise: NoiseConfig::default(),
            intervention: None,
        }
    }
}

/// Offending careers. Rates are per year for a latent risk of 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OffendingConfig {
    /// Share of males aged 15–75 with a positive latent risk (most of them never offend in the window). Default 0.35.
    pub offender_share_male: f64,
    /// Share of females with a positive latent risk. Default 0.12.
    pub offender_share_female: f64,
    /// Females' latent risk relative to males'. Default 0.6.
    pub female_risk_scale: f64,
    /// σ of the log-normal latent risk. Default 1.0.
    pub risk_sigma: f64,
    /// Share of offenders in the chronic group (flagged in truth). Default 0.03.
    pub chronic_share: f64,
    /// Latent-risk multiplier of the chronic group. Default 5.
    pub chronic_multiplier: f64,
    /// Highest latent risk (the tail is cut here). Default 30.
    pub max_risk: f64,
    /// Domestic events per year at risk 1. Default 0.03.
    pub domestic_rate: f64,
    /// Non-domestic events per year at risk 1. Default 0.09.
    pub other_rate: f64,
    /// Share of offenders who offend only at home. Default 0.15.
    pub domestic_only_share: f64,
    /// Hazard increase per prior event (frequency rises with each prior incident). Default 0.17.
    pub prior_boost: f64,
    /// Prior events counted at most. Default 10.
    pub prior_cap: u32,
    /// Extra events per year right after an event (repeats come early), decaying. Default 1.6.
    pub excite: f64,
    /// Decay time of that extra hazard in days. Default 45.
    pub excite_days: f64,
    /// Chance that a domestic event targets a partner rather than another relative. Default 0.74.
    pub ipv_preference: f64,
    /// Chance that a repeat domestic event targets the previous victim. Default 0.65.
    pub same_victim: f64,
    /// Share of domestic events that end as a call with no report. Default 0.3.
    pub call_only: f64,
    /// Share of reported domestic events that are crimes. Default 0.6.
    pub domestic_crime: f64,
    /// Chance that an IPV crime leads to a protective order. Default 0.15.
    pub order_share: f64,
    /// Latent risk at which serious offences have their base weight. Default 6.0.
    pub severity_reference: f64,
    /// How strongly seriousness grows with latent risk (exponent). Default 3.0.
    pub severity_exponent: f64,
    /// Share of people with a positive latent risk who have a former partner. Default 0.75.
    pub ex_share_offenders: f64,
}

impl Default for OffendingConfig {
    fn default() -> Self {
        OffendingConfig {
            offender_share_male: 0.35,
            offender_share_female: 0.12,
            female_risk_scale: 0.6,
            risk_sigma: 1.0,
            chronic_share: 0.03,
            chronic_multiplier: 5.0,
            max_risk: 30.0,
            domestic_rate: 0.03,
            other_rate: 0.09,
            domestic_only_share: 0.15,
            prior_boost: 0.17,
            prior_cap: 10,
            excite: 1.6,
            excite_days: 45.0,
            ipv_preference: 0.74,
            same_victim: 0.65,
            call_only: 0.3,
            domestic_crime: 0.6,
            order_share: 0.15,
            severity_reference: 6.0,
            severity_exponent: 3.0,
            ex_share_offenders: 0.75,
        }
    }
}

/// Noise rates: how clerks and officers write people and relationships down. Each is the chance
/// per record (or per pair) unless said otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoiseConfig {
    /// A typo in the first or last name (substitution, transposition, dropped or doubled letter). Default 0.03.
    pub name_typo: f64,
    /// Share of people who go by a nickname (Bill for William). Default 0.25.
    pub goes_by_nickname: f64,
    /// Chance that a record of such a person uses the nickname. Default 0.5.
    pub nickname_used: f64,
    /// Share of people with an alias first name. Default 0.02.
    pub alias: f64,
    /// Chance that a record of such a person uses the alias. Default 0.3.
    pub alias_used: f64,
    /// Chance that a married woman's record carries her birth surname. Default 0.15.
    pub maiden_name_used: f64,
    /// First and last name typed into each other's fields. Default 0.005.
    pub name_swapped: f64,
    /// Name typed in mixed or lower case instead of upper case. Default 0.08.
    pub case_variant: f64,
    /// Middle name left blank. Default 0.35.
    pub middle_missing: f64,
    /// Middle name cut to an initial. Default 0.3.
    pub middle_initial: f64,
    /// Jr/Sr suffix dropped. Default 0.3.
    pub suffix_dropped: f64,
    /// Share of first sons named after their father (Jr/Sr at one address). Default 0.06.
    pub junior_share: f64,
    /// Share of births that are twins. Default 0.02.
    pub twin_share: f64,
    /// Date of birth missing (the age is then estimated). Default 0.06.
    pub dob_missing: f64,
    /// Day and month swapped (when the day is 12 or less). Default 0.02.
    pub dob_swapped: f64,
    /// One digit of the date of birth mistyped. Default 0.02.
    pub dob_digit: f64,
    /// Age left blank when the date of birth is there. Default 0.2.
    pub age_missing: f64,
    /// Sex unknown (`U`) or blank. Default 0.01.
    pub sex_missing: f64,
    /// Race unknown or blank. Default 0.05.
    pub race_missing: f64,
    /// Race recorded differently from other records. Default 0.03.
    pub race_inconsistent: f64,
    /// An old address given after a move. Default 0.25.
    pub old_address: f64,
    /// Address written in another form (STREET for ST, unit as #). Default 0.3.
    pub address_format: f64,
    /// Address missing or TRANSIENT. Default 0.04.
    pub address_missing: f64,
    /// Phone missing. Default 0.4.
    pub phone_missing: f64,
    /// Relationship code left blank, for pairs. Default 0.1.
    pub relationship_missing: f64,
    /// Relationship code RU (unknown), for pairs. Default 0.12.
    pub relationship_unknown: f64,
    /// Relationship code that contradicts the truth (officer's slip), for pairs. Default 0.03.
    pub relationship_wrong: f64,
    /// Free-text relationship left blank, for pairs. Default 0.25.
    pub relationship_text_missing: f64,
    /// Narrative missing. Default 0.04.
    pub narrative_missing: f64,
    /// Domestic flag missing on a domestic incident (it is then blank or N). Default 0.12.
    pub domestic_flag_missing: f64,
    /// Spanish relationship words in a Spanish-speaking household's pair. Default 0.3.
    pub spanish_terms: f64,
}

impl Default for NoiseConfig {
    fn default() -> Self {
        NoiseConfig {
            name_typo: 0.03,
            goes_by_nickname: 0.25,
            nickname_used: 0.5,
            alias: 0.02,
            alias_used: 0.3,
            maiden_name_used: 0.15,
            name_swapped: 0.005,
            case_variant: 0.08,
            middle_missing: 0.35,
            middle_initial: 0.3,
            suffix_dropped: 0.3,
            junior_share: 0.06,
            twin_share: 0.02,
            dob_missing: 0.06,
            dob_swapped: 0.02,
            dob_digit: 0.02,
            age_missing: 0.2,
            sex_missing: 0.01,
            race_missing: 0.05,
            race_inconsistent: 0.03,
            old_address: 0.25,
            address_format: 0.3,
            address_missing: 0.04,
            phone_missing: 0.4,
            relationship_missing: 0.1,
            relationship_unknown: 0.12,
            relationship_wrong: 0.03,
            relationship_text_missing: 0.25,
            narrative_missing: 0.04,
            domestic_flag_missing: 0.12,
            spanish_terms: 0.3,
        }
    }
}

/// An intervention: offenders notified by list from a start date, with a known effect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterventionConfig {
    /// First day of notifications. Default 2022-01-01.
    pub start: Date,
    /// Multiplier of a notified offender's domestic re-offending hazard (0.7 = 30% fewer). Default 0.7.
    pub effect: f64,
    /// Look-back for the list assignment, in days. Default 730.
    pub lookback_days: i32,
    /// Offenders known at the start are notified within this many days. Default 90.
    pub initial_days: i32,
    /// Later offenders are notified this many days after their incident (min..max). Default 7..45.
    pub delay_days_min: i32,
    /// See `delay_days_min`. Default 45.
    pub delay_days_max: i32,
    /// Chance that an attempt to notify fails (not found, refused); failed attempts come before
    /// the delivered one, a few days apart, at most three. Default 0.2.
    pub failed_attempt_share: f64,
    /// Chance that a re-notification after escalation never succeeds (one to three failed
    /// attempts, no delivery). First notifications always end delivered, so the known effect
    /// applies from the first notification as before. Default 0.15.
    pub never_delivered_share: f64,
    /// Chance that an advocate tries to reach the victim of a notified offender's case. Default 0.6.
    pub advocate_share: f64,
    /// Chance that one advocate's attempt reaches the victim. Default 0.55.
    pub reached_share: f64,
}

impl Default for InterventionConfig {
    fn default() -> Self {
        InterventionConfig {
            start: Date::from_ymd(2022, 1, 1).unwrap_or(Date(18993)),
            effect: 0.7,
            lookback_days: 730,
            initial_days: 90,
            delay_days_min: 7,
            delay_days_max: 45,
            failed_attempt_share: 0.2,
            never_delivered_share: 0.15,
            advocate_share: 0.6,
            reached_share: 0.55,
        }
    }
}

/// The generation was cancelled through the progress callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("generating the synthetic jurisdiction was cancelled")]
pub struct Cancelled;

/// The offence kinds of the synthetic jurisdiction, with their NIBRS codes and the local codes
/// and statute texts an agency uses for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OffenseKind {
    Murder,
    Rape,
    Kidnapping,
    Strangulation,
    AggravatedAssault,
    Robbery,
    Burglary,
    OrderViolation,
    SimpleAssault,
    Intimidation,
    Weapons,
    VehicleTheft,
    Drugs,
    Fraud,
    Larceny,
    Shoplifting,
    Vandalism,
    Warrant,
    Resisting,
}

impl OffenseKind {
    /// Seriousness order (0 most serious).
    pub fn rank(self) -> u8 {
        self as u8
    }
    /// NIBRS offence code.
    pub fn nibrs(self) -> &'static str {
        use OffenseKind::*;
        match self {
            Murder => "09A",
            Rape => "11A",
            Kidnapping => "100",
            Strangulation | AggravatedAssault => "13A",
            Robbery => "120",
            Burglary => "220",
            OrderViolation | Warrant | Resisting => "90Z",
            SimpleAssault => "13B",
            Intimidation => "13C",
            Weapons => "520",
            VehicleTheft => "240",
            Drugs => "35A",
            Fraud => "26A",
            Larceny => "23H",
            Shoplifting => "23C",
            Vandalism => "290",
        }
    }
    /// The agency's local offence code.
    pub fn local_code(self) -> &'static str {
        use OffenseKind::*;
        match self {
            Murder => "0910",
            Rape => "1101",
            Kidnapping => "1000",
            Strangulation => "1305",
            AggravatedAssault => "1301",
            Robbery => "1200",
            Burglary => "2200",
            OrderViolation => "5015",
            SimpleAssault => "1313",
            Intimidation => "1316",
            Weapons => "5200",
            VehicleTheft => "2400",
            Drugs => "3500",
            Fraud => "2600",
            Larceny => "2399",
            Shoplifting => "2303",
            Vandalism => "2900",
            Warrant => "9001",
            Resisting => "9002",
        }
    }
    /// Statute texts officers and clerks use for it.
    pub fn statutes(self) -> &'static [&'static str] {
        use OffenseKind::*;
        match self {
            Murder => &["MURDER - FIRST DEGREE", "HOMICIDE"],
            Rape => &["SECOND DEGREE FORCIBLE RAPE", "RAPE - FORCIBLE"],
            Kidnapping => &["SECOND DEGREE KIDNAPPING", "FALSE IMPRISONMENT"],
            Strangulation => &["ASSAULT BY STRANGULATION", "ASLT BY STRANGULATION"],
            AggravatedAssault => &[
                "AWDW INFLICTING SERIOUS INJURY",
                "ASSAULT WITH A DEADLY WEAPON",
                "AGGRAVATED ASSAULT",
                "ASSAULT INFLICTING SERIOUS INJURY",
            ],
            Robbery => &["ROBBERY WITH DANGEROUS WEAPON", "COMMON LAW ROBBERY"],
            Burglary => &["BREAKING AND/OR ENTERING", "FIRST DEGREE BURGLARY"],
            OrderViolation => &[
                "VIOLATION OF DV PROTECTIVE ORDER",
                "50B VIOLATION",
                "VIOL PROTECTIVE ORDER",
            ],
            SimpleAssault => &[
                "SIMPLE ASSAULT",
                "ASSAULT ON A FEMALE",
                "SIMPLE ASSAULT - DOMESTIC",
                "ASSAULT AND BATTERY",
            ],
            Intimidation => &["COMMUNICATING THREATS", "INTIMIDATION"],
            Weapons => &["CARRYING CONCEALED WEAPON", "POSSESSION OF FIREARM BY FELON"],
            VehicleTheft => &["LARCENY OF MOTOR VEHICLE", "UNAUTHORIZED USE OF MOTOR VEHICLE"],
            Drugs => &["POSSESSION OF MARIJUANA", "POSSESSION SCH II CS", "PWISD COCAINE"],
            Fraud => &["OBTAIN PROPERTY FALSE PRETENSE", "FRAUD"],
            Larceny => &["MISDEMEANOR LARCENY", "LARCENY - ALL OTHER"],
            Shoplifting => &["SHOPLIFTING", "LARCENY - SHOPLIFTING"],
            Vandalism => &["INJURY TO PERSONAL PROPERTY", "DAMAGE TO PROPERTY"],
            Warrant => &["ORDER FOR ARREST", "FAILURE TO APPEAR", "WARRANT SERVICE"],
            Resisting => &["RESIST DELAY OBSTRUCT", "RESISTING PUBLIC OFFICER"],
        }
    }
    /// Felony.
    pub fn felony(self) -> bool {
        use OffenseKind::*;
        matches!(
            self,
            Murder | Rape | Kidnapping | Strangulation | AggravatedAssault | Robbery | Burglary | VehicleTheft | Fraud
        )
    }
    /// A crime against a person.
    pub fn person_crime(self) -> bool {
        use OffenseKind::*;
        matches!(
            self,
            Murder
                | Rape
                | Kidnapping
                | Strangulation
                | AggravatedAssault
                | Robbery
                | SimpleAssault
                | Intimidation
                | OrderViolation
        )
    }
    /// A property crime with a possible person victim.
    pub fn property_crime(self) -> bool {
        use OffenseKind::*;
        matches!(self, Burglary | VehicleTheft | Fraud | Larceny | Vandalism)
    }
    /// An assault.
    pub fn is_assault(self) -> bool {
        use OffenseKind::*;
        matches!(self, Strangulation | AggravatedAssault | SimpleAssault)
    }
    /// Serious violence: murder, rape, kidnapping, aggravated assault, strangulation, robbery.
    pub fn serious(self) -> bool {
        use OffenseKind::*;
        matches!(
            self,
            Murder | Rape | Kidnapping | Strangulation | AggravatedAssault | Robbery
        )
    }
}

/// One incident (report) as exported.
#[derive(Clone, Debug, PartialEq)]
pub struct SynIncident {
    pub incident_id: String,
    /// Index into [`population::AGENCIES`].
    pub agency: u8,
    pub report_date: Date,
    pub occurred_date: Date,
    pub hour: u8,
    pub call_id: Option<String>,
    /// `Some(true)` = Y, `Some(false)` = N, `None` = blank.
    pub domestic_flag: Option<bool>,
    pub narrative: String,
    /// Truth: index of the event behind it (into the jurisdiction's events).
    pub event: u32,
}

/// One offence of an incident.
#[derive(Clone, Debug, PartialEq)]
pub struct SynOffense {
    pub incident: u32,
    pub seq: u8,
    pub kind: OffenseKind,
    pub statute: &'static str,
    pub attempted: bool,
    pub weapon: &'static str,
}

/// One person record (a person's involvement in one incident), as typed.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SynPerson {
    pub record_id: String,
    pub incident: u32,
    /// victim, offender, suspect, arrestee, witness.
    pub role: &'static str,
    pub last: String,
    pub first: String,
    pub middle: String,
    pub suffix: String,
    /// As typed (MM/DD/YYYY), possibly wrong, or empty.
    pub dob: String,
    pub age: Option<u16>,
    pub sex: &'static str,
    pub race: &'static str,
    pub address: String,
    pub city: String,
    pub zip: String,
    pub phone: String,
    pub injury: &'static str,
    /// Truth: the person.
    pub person: u32,
}

/// One victim–offender pair, as recorded, with the true class.
#[derive(Clone, Debug, PartialEq)]
pub struct SynPair {
    pub incident: u32,
    pub victim_record: u32,
    pub offender_record: u32,
    /// NIBRS two-letter code as recorded ("" when missing).
    pub code: &'static str,
    /// Free text as the officer wrote it ("" when missing).
    pub text: String,
    pub class: crate::model::RelClass,
}

/// One charge of an arrest.
#[derive(Clone, Debug, PartialEq)]
pub struct SynArrest {
    pub arrest_id: String,
    pub incident: u32,
    pub record: u32,
    pub date: Date,
    pub charge_seq: u8,
    pub kind: OffenseKind,
    pub charge: &'static str,
    pub domestic: bool,
}

/// A protective order.
#[derive(Clone, Debug, PartialEq)]
pub struct SynOrder {
    pub order_id: String,
    pub incident: u32,
    pub respondent_record: u32,
    pub petitioner_record: u32,
    pub order_type: &'static str,
    pub issued: Date,
    pub expires: Date,
}

/// A call for service.
#[derive(Clone, Debug, PartialEq)]
pub struct SynCall {
    pub call_id: String,
    pub date: Date,
    pub hour: u8,
    pub call_type: &'static str,
    pub disposition: &'static str,
    pub address: String,
    pub incident: Option<u32>,
    /// Truth: the event behind it, if any.
    pub event: Option<u32>,
}

/// A notification as the agency recorded it.
#[derive(Clone, Debug, PartialEq)]
pub struct SynNotification {
    pub person: u32,
    /// A representative person record of the notified offender.
    pub record: u32,
    pub date: Date,
    pub list: char,
    pub kind: &'static str,
    pub delivered_by: &'static str,
    /// Whether the attempt reached the offender.
    pub delivered: bool,
    /// The qualifying incident (index into `incidents`), when it is in the export.
    pub incident: Option<u32>,
    /// Truth: the qualifying incident's date (also when it happened before the export).
    pub qualifying_date: Option<Date>,
    /// Truth: a notification at a higher list than the person's earlier one.
    pub escalation: bool,
}

/// An advocate's attempt to reach the victim of a notified offender's case, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct SynContact {
    /// The offender whose case it is.
    pub person: u32,
    /// A representative person record of the offender.
    pub record: u32,
    pub date: Date,
    pub reached: bool,
    pub by: &'static str,
}

/// Truth about one offender.
#[derive(Clone, Debug, PartialEq)]
pub struct OffenderTruth {
    pub person: u32,
    pub latent_risk: f32,
    pub chronic: bool,
    pub sex: &'static str,
    pub race: &'static str,
}

/// The truth about one person who appears in the records (for judging linkage: Jr/Sr, twins).
#[derive(Clone, Debug, PartialEq)]
pub struct PersonTruth {
    pub person: u32,
    pub first: &'static str,
    pub middle: &'static str,
    /// Surname in use (married name once married).
    pub last: &'static str,
    pub birth_last: &'static str,
    /// JR, SR or empty.
    pub suffix: &'static str,
    pub dob: Date,
    pub sex: &'static str,
    pub race: &'static str,
    pub twin: bool,
    pub mother: Option<u32>,
    pub father: Option<u32>,
    pub household: u32,
}

/// One offence in the follow-up period (truth).
#[derive(Clone, Debug, PartialEq)]
pub struct FollowupOffense {
    pub person: u32,
    pub date: Date,
    pub kind: OffenseKind,
    pub ipv: bool,
    pub serious: bool,
}

/// A generated jurisdiction: the agency's records and the truth behind them.
#[derive(Clone, Debug)]
pub struct Jurisdiction {
    pub config: SynthConfig,
    pub export_start: Date,
    /// First day after the export.
    pub export_end: Date,
    /// First day after the follow-up.
    pub followup_end: Date,
    pub population: usize,
    /// Every event simulated in the export and follow-up (truth).
    pub events: Vec<careers::Event>,
    pub incidents: Vec<SynIncident>,
    pub offenses: Vec<SynOffense>,
    pub persons: Vec<SynPerson>,
    pub pairs: Vec<SynPair>,
    pub arrests: Vec<SynArrest>,
    pub orders: Vec<SynOrder>,
    pub calls: Vec<SynCall>,
    /// Every attempt to notify in the export, failed ones too, by date.
    pub notifications: Vec<SynNotification>,
    /// Advocates' contacts with victims in the export, by date (the programme's records).
    pub contacts: Vec<SynContact>,
    /// Every notification including those after the export (truth).
    pub notification_truth: Vec<careers::NotificationEvent>,
    pub offenders: Vec<OffenderTruth>,
    /// Every person who appears in the records (truth), by person id.
    pub people: Vec<PersonTruth>,
    pub followup: Vec<FollowupOffense>,
}

impl Default for SynIncident {
    fn default() -> Self {
        SynIncident {
            incident_id: String::new(),
            agency: 0,
            report_date: Date(0),
            occurred_date: Date(0),
            hour: 0,
            call_id: None,
            domestic_flag: None,
            narrative: String::new(),
            event: 0,
        }
    }
}

/// A person id as written in `truth/` (`P0000123`).
pub fn person_id(p: u32) -> String {
    format!("P{p:07}")
}

/// Generate a jurisdiction. `progress` gets the fraction done now and then; returning `false`
/// cancels.
pub fn generate(cfg: &SynthConfig, progress: &mut dyn FnMut(f32) -> bool) -> Result<Jurisdiction, Cancelled> {
    let pop = population::build(cfg, progress).ok_or(Cancelled)?;
    let export_start = cfg.start;
    let export_end = add_years(export_start, cfg.years as i32);
    let followup_end = add_months(export_end, cfg.followup_months as i32);
    let frame = careers::Frame {
        sim_start: add_years(export_start, -(cfg.burn_in_years as i32)),
        export_start,
        export_end,
        followup_end,
    };
    let mut events: Vec<careers::Event> = Vec::new();
    let mut notes: Vec<careers::NotificationEvent> = Vec::new();
    let mut offenders: Vec<OffenderTruth> = Vec::new();
    let n = pop.persons.len();
    let step = (n / 40).max(1);
    for p in 0..n {
        if p % step == 0 && !progress(0.35 + 0.3 * p as f32 / n as f32) {
            return Err(Cancelled);
        }
        let person = &pop.persons[p];
        if person.risk <= 0.0 {
            continue;
        }
        let c = careers::simulate(cfg, &pop, &frame, p as u32);
        if c.events.iter().any(|e| e.phase != careers::Phase::BurnIn) {
            offenders.push(OffenderTruth {
                person: p as u32,
                latent_risk: person.risk,
                chronic: pop.chronic(p as u32),
                sex: person.sex.code(),
                race: population::RACES[person.race as usize].0,
            });
        }
        events.extend(c.events.into_iter().filter(|e| e.phase != careers::Phase::BurnIn));
        notes.extend(c.notifications);
    }
    events.sort_by_key(|e| (e.date, e.hour, e.offender, e.seq));
    notes.sort_by_key(|x| (x.date, x.person));
    let mut j = Jurisdiction {
        config: cfg.clone(),
        export_start,
        export_end,
        followup_end,
        population: n,
        events,
        offenders,
        notification_truth: notes,
        incidents: Vec::new(),
        offenses: Vec::new(),
        persons: Vec::new(),
        pairs: Vec::new(),
        arrests: Vec::new(),
        orders: Vec::new(),
        calls: Vec::new(),
        notifications: Vec::new(),
        contacts: Vec::new(),
        followup: Vec::new(),
        people: Vec::new(),
    };
    records::write_records(&mut j, &pop, progress).ok_or(Cancelled)?;
    progress(1.0);
    Ok(j)
}

/// The same day `n` years later (29 February becomes 28 February).
pub fn add_years(d: Date, n: i32) -> Date {
    let (y, m, day) = d.ymd();
    Date::from_ymd(y + n, m, day)
        .or_else(|| Date::from_ymd(y + n, m, day - 1))
        .unwrap_or(d.add_days(365 * n))
}

/// The same day `n` months later (clamped to the month's last day).
pub fn add_months(d: Date, n: i32) -> Date {
    let (y, m, day) = d.ymd();
    let total = y * 12 + (m as i32 - 1) + n;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let mut dd = day;
    loop {
        if let Some(x) = Date::from_ymd(ny, nm, dd) {
            return x;
        }
        if dd <= 28 {
            return d.add_days(30 * n);
        }
        dd -= 1;
    }
}

/// Export files in memory: `(file name, bytes)`, names relative to the export folder
/// (`incidents.csv`, `truth/pairs.csv`, ...).
pub type ExportFiles = Vec<(String, Vec<u8>)>;

/// Why [`generate_export`] produced no files.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    #[error(transparent)]
    Export(#[from] export::ExportError),
}

/// Generate a jurisdiction and build its files in memory (what the browser's "Load sample
/// data" and `ipvi synth` do): the export, `truth/` and `calibration.json`, with the
/// calibration table.
pub fn generate_export(
    cfg: &SynthConfig,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(ExportFiles, calibration::Calibration), SynthError> {
    let j = generate(cfg, progress)?;
    let cal = calibration::calibrate(&j);
    let files = export::export(&j, &cal)?;
    Ok((files, cal))
}

#[cfg(test)]
mod tests;
