//! The agency export as CSV files, plus `truth/` and `calibration.json`, built in memory as
//! `(file name, bytes)` so the browser and the `ipvi` command write the same bytes. The files
//! and their columns are documented in `docs/synthetic-export.md`.

use super::calibration::Calibration;
use super::{person_id, Jurisdiction};
use crate::date::Date;

/// Writing the export failed (only an internal CSV or JSON error can cause this).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write {file}: {message}. This is a bug; please report it with the seed and settings.")]
    Write { file: String, message: String },
}

fn mdy(d: Date) -> String {
    let (y, m, dd) = d.ymd();
    format!("{m:02}/{dd:02}/{y:04}")
}

fn yn(b: bool) -> &'static str {
    if b {
        "Y"
    } else {
        "N"
    }
}

struct Csv {
    name: &'static str,
    w: csv::Writer<Vec<u8>>,
}

impl Csv {
    fn new(name: &'static str, header: &[&str]) -> Result<Csv, ExportError> {
        let mut c = Csv {
            name,
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        };
        c.row(header)?;
        Ok(c)
    }
    fn row<S: AsRef<[u8]>>(&mut self, fields: &[S]) -> Result<(), ExportError> {
        self.w.write_record(fields).map_err(|e| ExportError::Write {
            file: self.name.into(),
            message: e.to_string(),
        })
    }
    fn finish(self) -> Result<(String, Vec<u8>), ExportError> {
        let name = self.name;
        let bytes = self.w.into_inner().map_err(|e| ExportError::Write {
            file: name.into(),
            message: e.to_string(),
        })?;
        Ok((name.to_string(), bytes))
    }
}

/// The export files in a fixed order: the agency's files, then `truth/`, then `calibration.json`.
pub fn export(j: &Jurisdiction, calibration: &Calibration) -> Result<super::ExportFiles, ExportError> {
    let mut out = Vec::new();
    let inc_id = |i: u32| j.incidents[i as usize].incident_id.as_str();
    let rec_id = |i: u32| j.persons[i as usize].record_id.as_str();

    let mut f = Csv::new(
        "incidents.csv",
        &[
            "incident_id",
            "agency",
            "report_date",
            "occurred_date",
            "hour",
            "call_id",
            "domestic_flag",
            "narrative",
        ],
    )?;
    for i in &j.incidents {
        f.row(&[
            i.incident_id.as_str(),
            super::population::AGENCIES[i.agency as usize].0,
            &mdy(i.report_date),
            &mdy(i.occurred_date),
            &i.hour.to_string(),
            i.call_id.as_deref().unwrap_or(""),
            i.domestic_flag.map(yn).unwrap_or(""),
            &i.narrative,
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "offenses.csv",
        &[
            "incident_id",
            "offense_seq",
            "local_code",
            "statute",
            "nibrs_code",
            "attempted",
            "weapon",
        ],
    )?;
    for o in &j.offenses {
        f.row(&[
            inc_id(o.incident),
            &o.seq.to_string(),
            o.kind.local_code(),
            o.statute,
            o.kind.nibrs(),
            if o.attempted { "A" } else { "C" },
            o.weapon,
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "persons.csv",
        &[
            "record_id",
            "incident_id",
            "role",
            "last_name",
            "first_name",
            "middle_name",
            "suffix",
            "dob",
            "age",
            "sex",
            "race",
            "address",
            "city",
            "zip",
            "phone",
            "injury",
        ],
    )?;
    for p in &j.persons {
        f.row(&[
            p.record_id.as_str(),
            inc_id(p.incident),
            p.role,
            &p.last,
            &p.first,
            &p.middle,
            &p.suffix,
            &p.dob,
            &p.age.map(|a| a.to_string()).unwrap_or_default(),
            p.sex,
            p.race,
            &p.address,
            &p.city,
            &p.zip,
            &p.phone,
            p.injury,
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "relationships.csv",
        &[
            "incident_id",
            "victim_record_id",
            "offender_record_id",
            "relationship_code",
            "relationship_text",
        ],
    )?;
    for p in &j.pairs {
        f.row(&[
            inc_id(p.incident),
            rec_id(p.victim_record),
            rec_id(p.offender_record),
            p.code,
            &p.text,
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "arrests.csv",
        &[
            "arrest_id",
            "incident_id",
            "record_id",
            "arrest_date",
            "charge_seq",
            "charge",
            "nibrs_code",
            "felony",
            "domestic",
        ],
    )?;
    for a in &j.arrests {
        f.row(&[
            a.arrest_id.as_str(),
            inc_id(a.incident),
            rec_id(a.record),
            &mdy(a.date),
            &a.charge_seq.to_string(),
            a.charge,
            a.kind.nibrs(),
            if a.kind.felony() { "F" } else { "M" },
            yn(a.domestic),
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "protective_orders.csv",
        &[
            "order_id",
            "incident_id",
            "respondent_record_id",
            "petitioner_record_id",
            "order_type",
            "issued_date",
            "expiration_date",
        ],
    )?;
    for o in &j.orders {
        f.row(&[
            o.order_id.as_str(),
            inc_id(o.incident),
            rec_id(o.respondent_record),
            rec_id(o.petitioner_record),
            o.order_type,
            &mdy(o.issued),
            &mdy(o.expires),
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "calls.csv",
        &[
            "call_id",
            "call_date",
            "hour",
            "call_type",
            "disposition",
            "address",
            "incident_id",
        ],
    )?;
    for c in &j.calls {
        f.row(&[
            c.call_id.as_str(),
            &mdy(c.date),
            &c.hour.to_string(),
            c.call_type,
            c.disposition,
            &c.address,
            c.incident.map(inc_id).unwrap_or(""),
        ])?;
    }
    out.push(f.finish()?);

    if j.config.intervention.is_some() {
        let mut f = Csv::new(
            "notifications.csv",
            &[
                "person_id",
                "record_id",
                "notification_date",
                "list",
                "type",
                "delivered_by",
                "outcome",
                "incident",
            ],
        )?;
        for n in &j.notifications {
            f.row(&[
                person_id(n.person).as_str(),
                rec_id(n.record),
                &mdy(n.date),
                &n.list.to_string(),
                n.kind,
                n.delivered_by,
                if n.delivered { "delivered" } else { "failed" },
                n.incident.map(inc_id).unwrap_or(""),
            ])?;
        }
        out.push(f.finish()?);
        let mut f = Csv::new(
            "advocate_contacts.csv",
            &["contact_date", "person_id", "record_id", "result", "by"],
        )?;
        for c in &j.contacts {
            f.row(&[
                mdy(c.date).as_str(),
                &person_id(c.person),
                rec_id(c.record),
                if c.reached { "reached" } else { "not reached" },
                c.by,
            ])?;
        }
        out.push(f.finish()?);
    }

    // Truth.
    let mut f = Csv::new("truth/person_records.csv", &["record_id", "person_id"])?;
    for p in &j.persons {
        f.row(&[p.record_id.as_str(), &person_id(p.person)])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "truth/people.csv",
        &[
            "person_id",
            "first_name",
            "middle_name",
            "last_name",
            "birth_last_name",
            "suffix",
            "dob",
            "sex",
            "race",
            "twin",
            "mother_id",
            "father_id",
            "household_id",
        ],
    )?;
    for p in &j.people {
        f.row(&[
            &person_id(p.person),
            p.first,
            p.middle,
            p.last,
            p.birth_last,
            p.suffix,
            &p.dob.to_string(),
            p.sex,
            p.race,
            yn(p.twin),
            &p.mother.map(person_id).unwrap_or_default(),
            &p.father.map(person_id).unwrap_or_default(),
            &format!("H{:07}", p.household),
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "truth/pairs.csv",
        &["incident_id", "victim_record_id", "offender_record_id", "class"],
    )?;
    for p in &j.pairs {
        f.row(&[
            inc_id(p.incident),
            rec_id(p.victim_record),
            rec_id(p.offender_record),
            p.class.as_str(),
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "truth/offenders.csv",
        &["person_id", "latent_risk", "chronic", "sex", "race"],
    )?;
    for o in &j.offenders {
        f.row(&[
            &person_id(o.person),
            &format!("{:.4}", o.latent_risk),
            yn(o.chronic),
            o.sex,
            o.race,
        ])?;
    }
    out.push(f.finish()?);

    let mut f = Csv::new(
        "truth/followup_offenses.csv",
        &["person_id", "date", "nibrs_code", "ipv", "serious"],
    )?;
    for o in &j.followup {
        f.row(&[
            &person_id(o.person),
            &o.date.to_string(),
            o.kind.nibrs(),
            yn(o.ipv),
            yn(o.serious),
        ])?;
    }
    out.push(f.finish()?);

    if let Some(iv) = &j.config.intervention {
        let mut f = Csv::new("truth/notifications.csv", &["person_id", "date", "list", "in_export"])?;
        for n in &j.notification_truth {
            f.row(&[
                &person_id(n.person),
                &n.date.to_string(),
                &n.list.to_string(),
                yn(n.date < j.export_end),
            ])?;
        }
        out.push(f.finish()?);
        let mut f = Csv::new(
            "truth/notification_attempts.csv",
            &[
                "person_id",
                "date",
                "list",
                "type",
                "delivered_by",
                "outcome",
                "qualifying_incident",
                "qualifying_date",
                "escalation",
            ],
        )?;
        for n in &j.notifications {
            f.row(&[
                person_id(n.person).as_str(),
                &n.date.to_string(),
                &n.list.to_string(),
                n.kind,
                n.delivered_by,
                if n.delivered { "delivered" } else { "failed" },
                n.incident.map(inc_id).unwrap_or(""),
                &n.qualifying_date.map(|d| d.to_string()).unwrap_or_default(),
                yn(n.escalation),
            ])?;
        }
        out.push(f.finish()?);
        let mut f = Csv::new("truth/advocate_contacts.csv", &["person_id", "date", "reached", "by"])?;
        for c in &j.contacts {
            f.row(&[person_id(c.person).as_str(), &c.date.to_string(), yn(c.reached), c.by])?;
        }
        out.push(f.finish()?);
        let mut by_list = std::collections::BTreeMap::new();
        let mut first_seen = std::collections::BTreeSet::new();
        for n in &j.notification_truth {
            if first_seen.insert(n.person) {
                *by_list.entry(n.list.to_string()).or_insert(0u64) += 1;
            }
        }
        let json = serde_json::json!({
            "start": iv.start.to_string(),
            "hazard_multiplier": iv.effect,
            "applies_to": "the domestic re-offending hazard of each notified offender, from the day of their first notification",
            "lookback_days": iv.lookback_days,
            "people_notified": first_seen.len(),
            "people_notified_by_first_list": by_list,
            "notifications_total": j.notification_truth.len(),
            "notifications_in_export": j.notifications.iter().filter(|n| n.delivered).count(),
            "attempts_in_export": j.notifications.len(),
            "failed_attempts_in_export": j.notifications.iter().filter(|n| !n.delivered).count(),
            "advocate_contacts_in_export": j.contacts.len(),
            "failed_attempt_share": iv.failed_attempt_share,
            "never_delivered_share": iv.never_delivered_share,
            "advocate_share": iv.advocate_share,
            "reached_share": iv.reached_share,
            "list_rule": "D: recorded IPV incident(s) in the look-back, no IPV arrest; C: one IPV arrest; B: two IPV arrests, or a new IPV incident after notification; A: three or more IPV arrests, or an IPV arrest plus a grave IPV incident (felony, firearm or knife, strangulation) or two arrests for non-domestic violence or weapons",
        });
        let bytes = serde_json::to_vec_pretty(&json).map_err(|e| ExportError::Write {
            file: "truth/intervention.json".into(),
            message: e.to_string(),
        })?;
        out.push(("truth/intervention.json".to_string(), bytes));
    }

    let cfg = serde_json::to_vec_pretty(&j.config).map_err(|e| ExportError::Write {
        file: "truth/synth_config.json".into(),
        message: e.to_string(),
    })?;
    out.push(("truth/synth_config.json".to_string(), cfg));
    let cal = serde_json::to_vec_pretty(calibration).map_err(|e| ExportError::Write {
        file: "calibration.json".into(),
        message: e.to_string(),
    })?;
    out.push(("calibration.json".to_string(), cal));
    Ok(out)
}
