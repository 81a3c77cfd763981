//! The versioned message protocol between the page and the analysis worker.
//!
//! Every message is a JSON text `{"v":<PROTOCOL_VERSION>,"msg":{...}}` carried in the `json`
//! field of a plain JS object. File bytes do not go through JSON: they travel beside it, in the
//! object's `files` array: the `File` objects themselves (structured-cloneable handles, not
//! contents; `ArrayBuffer`s in `buffers` are read too), in the order of `file_names`, so the
//! worker reads a large CSV in `File.slice()` chunks and never holds the raw file whole.
//!
//! Both ends check the version: a page and a worker built from different versions refuse each
//! other's messages with a clear error instead of misreading them.
//!
//! JSON was chosen over `serde-wasm-bindgen` by measurement: the AZ_2019 NIBRS result (8,380 pairs,
//! 2.2 MB of JSON) encoded, structured-cloned and decoded in headless Chromium took 112 ms with
//! JSON against 340 ms with `serde-wasm-bindgen` (`to_value`, clone, `from_value`; best of three
//! on the shared 2-core machine). One string crosses the boundary instead of one JS value per
//! field of each pair. A large inquiry view's lists go as UTF-8 JSON bytes beside `Piece`
//! messages instead ([`crate::view_pieces`]): no text conversion, and one short decoding task
//! each.

use crate::import_state::ImportReport;
use crate::inquiry::{ExplainView, InquiryView};
use crate::inquiry_cycle::CycleView;
use ipvi_core::classify::CodeTable;
use ipvi_core::date::Date;
use ipvi_core::diag::Diagnostic;
use ipvi_core::evaluate::notified::{Evaluation, Outcome};
use ipvi_core::import::{MappingProposal, Profile};
use ipvi_core::input::ImportError;
use ipvi_core::notify::NotificationRecord;
use ipvi_core::offenders::lists::ListRules;
use ipvi_core::pipeline::Kept;
use ipvi_core::synth::InterventionConfig;
use serde::{Deserialize, Serialize};

/// The protocol version. Bump it whenever a message changes shape (2: one path for every file,
/// `Analyze`, `Inquire` and `Done` removed, the dataset's view in [`InquiryView::data`]; 3:
/// `Cycle` and `Cycled`, the month's cycle; 4: `Piece`, a large view's lists sent ahead of it).
pub const PROTOCOL_VERSION: u32 = 4;

/// A message from the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorker {
    /// Generate a synthetic jurisdiction in the worker, then run the inquiry on it.
    Sample {
        job_id: u32,
        population: u32,
        years: u32,
        seed: u64,
        kept: Kept,
        /// Generate the jurisdiction with an intervention (notifications from `start` with a
        /// known effect); its notifications come back in [`InquiryView::loaded_notifications`].
        #[serde(default)]
        intervention: Option<InterventionConfig>,
    },
    /// Import any input — the FBI extract, an agency export — through the generic import (CSV in
    /// any usual encoding, XLSX), then run the inquiry: the one path for every file. The files travel beside the JSON in `files`, in the order of
    /// `file_names`: `File` objects (read by the worker in slices, never whole) or
    /// `ArrayBuffer`s. `confirmed` is the mapping the analyst confirmed; without it the first of
    /// `profiles` (the analyst's saved ones) that matches the columns is used, else a built-in
    /// one, else the worker answers with [`FromWorker::NeedsMapping`].
    Import {
        job_id: u32,
        file_names: Vec<String>,
        kept: Kept,
        #[serde(default)]
        profiles: Vec<Profile>,
        #[serde(default)]
        confirmed: Option<Box<Profile>>,
        code_table: CodeTable,
    },
    /// Run the inquiry again on the dataset the worker holds, with the analyst's decisions.
    Rerun { job_id: u32, kept: Kept },
    /// Why the records of a person are one person.
    Explain { person_id: String },
    /// Evaluate the notifications on the dataset and people of the last run, as of a date.
    Evaluate {
        job_id: u32,
        start: Date,
        /// `None`: the last incident date of the data.
        as_of: Option<Date>,
        outcome: Outcome,
        notifications: Vec<NotificationRecord>,
    },
    /// The month's cycle on the dataset and people of the last run, as of a date (`None`: the
    /// data's as-of date), with the run's list rules and the recorded notifications.
    Cycle {
        job_id: u32,
        as_of: Option<Date>,
        #[serde(default)]
        list_rules: Option<ListRules>,
        notifications: Vec<NotificationRecord>,
    },
}

/// How long the worker's steps took, in milliseconds (no data, only times).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Bytes copied into the worker's memory.
    pub receive_ms: f64,
    /// The import and the inquiry themselves.
    pub analyze_ms: f64,
    /// Encoding the result as JSON. It cannot be inside the text it times: the worker sends it
    /// beside the JSON (`encodeMs`) and the page fills it in.
    pub encode_ms: f64,
    /// The helper workers that scored the linkage's candidate pairs (0: the analysis worker did).
    #[serde(default)]
    pub helpers: u32,
}

/// A message from the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWorker {
    /// Where the job is.
    Progress { job_id: u32, stage: String, fraction: f32 },
    /// A piece of the next `Inquiry` view's lists ([`crate::view_pieces`]): its JSON travels
    /// beside this message as bytes (`bytes`, transferred). The pieces come before the `Inquiry`
    /// message that completes them, so the page decodes a large view in steps.
    Piece {
        job_id: u32,
        part: crate::view_pieces::Part,
    },
    /// An inquiry finished.
    Inquiry {
        job_id: u32,
        result: Box<InquiryView>,
        timings: Timings,
    },
    /// No profile matches the files: the proposed mapping, for the mapping screen. The job ends
    /// here; confirming sends `Import` again with the profile.
    NeedsMapping {
        job_id: u32,
        file_names: Vec<String>,
        proposal: Box<MappingProposal>,
        /// Files that could not be read at all.
        read_problems: Vec<Diagnostic>,
    },
    /// The import is done (summary, diagnostics, rejected rows, audit); the inquiry goes on.
    Imported { job_id: u32, report: Box<ImportReport> },
    /// The answer to `Explain` (`None`: the worker holds no such person).
    Explained {
        person_id: String,
        explanation: Option<Box<ExplainView>>,
    },
    /// The answer to `Evaluate`: the evaluation, or why there is none.
    Evaluated {
        job_id: u32,
        result: Result<Box<Evaluation>, String>,
        /// Notifications that matched nobody in the data (left out).
        unmatched: u64,
    },
    /// The answer to `Cycle`: the month's cycle, or why there is none.
    Cycled {
        job_id: u32,
        result: Result<Box<CycleView>, String>,
    },
    /// The job could not be done; the worker is still usable.
    Failed { job_id: u32, error: ImportError },
    /// The worker is broken (a panic, or a message it could not read): replace it.
    Fatal { message: String },
}

/// A message that could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    /// The other end speaks another version.
    #[error(
        "the page and the analysis worker come from different versions of the analyzer \
         (this end speaks protocol {ours}, the other {theirs}): reload the page"
    )]
    Version { ours: u32, theirs: u32 },
    /// Not a message of this protocol at all.
    #[error("a message between the page and the analysis worker could not be read ({0}): reload the page")]
    Malformed(String),
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    v: u32,
    msg: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn<T> {
    v: u32,
    msg: T,
}

#[derive(Deserialize)]
struct VersionOnly {
    v: u32,
}

/// Encode a message with the current version.
pub fn encode<T: Serialize>(msg: &T) -> String {
    // Serialising these plain structs cannot fail (no maps with non-string keys, no NaN floats
    // in keys); a failure would still yield a message the other end rejects as malformed.
    serde_json::to_string(&EnvelopeOut {
        v: PROTOCOL_VERSION,
        msg,
    })
    .unwrap_or_else(|e| format!("{{\"v\":{PROTOCOL_VERSION},\"error\":{:?}}}", e.to_string()))
}

/// Decode a message, checking its version.
pub fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, ProtocolError> {
    match serde_json::from_str::<EnvelopeIn<T>>(json) {
        Ok(env) if env.v == PROTOCOL_VERSION => Ok(env.msg),
        Ok(env) => Err(ProtocolError::Version {
            ours: PROTOCOL_VERSION,
            theirs: env.v,
        }),
        Err(e) => match serde_json::from_str::<VersionOnly>(json) {
            Ok(only) if only.v != PROTOCOL_VERSION => Err(ProtocolError::Version {
                ours: PROTOCOL_VERSION,
                theirs: only.v,
            }),
            _ => Err(ProtocolError::Malformed(e.to_string())),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ipvi_core::model::RelClass;
    use ipvi_core::nibrs::ClassifiedPair;

    fn round_trip_from(msg: FromWorker) {
        let text = encode(&msg);
        assert!(text.starts_with(&format!("{{\"v\":{PROTOCOL_VERSION},")), "{text}");
        assert_eq!(decode::<FromWorker>(&text), Ok(msg));
    }

    #[test]
    fn every_worker_message_round_trips() {
        round_trip_from(FromWorker::Progress {
            job_id: 3,
            stage: "Reading NIBRS_VICTIM.csv".into(),
            fraction: 0.25,
        });
        let mut view = crate::dataset_view::DatasetView::default();
        view.pairs.push(ClassifiedPair {
            incident_id: "101".into(),
            agency: "AZ0070100".into(),
            date: ipvi_core::date::Date::from_ymd(2019, 11, 25),
            victim_id: "V7".into(),
            offender_id: "O8".into(),
            relationship_code: "BG".into(),
            class: RelClass::IntimatePartner,
            victim_was_offender: false,
            dv_circumstance: true,
            offenses: "13A 13B".into(),
            victim_sex: "F".into(),
            offender_sex: "M".into(),
        });
        view.summary.ipv_top_offenses = vec![("13A".into(), String::new(), 1)];
        view.identifiable = false;
        let text = serde_json::to_string(&view).unwrap();
        assert!(text.contains("\"identifiable\":false"), "{text}");
        assert_eq!(
            serde_json::from_str::<crate::dataset_view::DatasetView>(&text).unwrap(),
            view
        );
        round_trip_from(FromWorker::Failed {
            job_id: 4,
            error: ImportError::Unusable("no file".into()),
        });
        round_trip_from(FromWorker::Failed {
            job_id: 4,
            error: ImportError::Cancelled,
        });
        round_trip_from(FromWorker::Fatal {
            message: "panicked at src/x.rs:1:1".into(),
        });
    }

    #[test]
    fn inquiry_messages_round_trip() {
        for msg in [
            ToWorker::Sample {
                job_id: 1,
                population: 20_000,
                years: 3,
                seed: 7,
                kept: Kept::default(),
                intervention: Some(InterventionConfig::default()),
            },
            ToWorker::Evaluate {
                job_id: 5,
                start: Date::from_ymd(2021, 1, 1).unwrap(),
                as_of: None,
                outcome: Outcome::IpvArrest,
                notifications: Vec::new(),
            },
            ToWorker::Cycle {
                job_id: 6,
                as_of: Date::from_ymd(2022, 3, 31),
                list_rules: Some(ListRules::default()),
                notifications: Vec::new(),
            },
            ToWorker::Rerun {
                job_id: 3,
                kept: Kept::default(),
            },
            ToWorker::Import {
                job_id: 4,
                file_names: vec!["export.xlsx".into()],
                kept: Kept::default(),
                profiles: vec![Profile::synthetic_export()],
                confirmed: Some(Box::new(Profile::nibrs_extract())),
                code_table: CodeTable::nibrs_default(),
            },
            ToWorker::Explain {
                person_id: "P000001".into(),
            },
        ] {
            assert_eq!(decode::<ToWorker>(&encode(&msg)), Ok(msg));
        }
        round_trip_from(FromWorker::Explained {
            person_id: "P000001".into(),
            explanation: None,
        });
    }

    #[test]
    fn another_version_is_refused_with_both_versions_named() {
        let other = PROTOCOL_VERSION + 1;
        let well_formed = format!("{{\"v\":{other},\"msg\":{{\"type\":\"fatal\",\"message\":\"x\"}}}}");
        let reshaped = format!("{{\"v\":{other},\"msg\":{{\"type\":\"new_kind\"}}}}");
        for text in [well_formed, reshaped] {
            let err = decode::<FromWorker>(&text).unwrap_err();
            assert_eq!(
                err,
                ProtocolError::Version {
                    ours: PROTOCOL_VERSION,
                    theirs: other
                }
            );
            assert!(err.to_string().contains("reload the page"));
        }
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        let v = PROTOCOL_VERSION;
        for text in [
            "".to_string(),
            "null".into(),
            "{}".into(),
            "[1,2]".into(),
            format!("{{\"v\":{v}}}"),
            format!("{{\"v\":{v},\"msg\":{{\"type\":\"nope\"}}}}"),
            // The messages this version no longer has.
            format!("{{\"v\":{v},\"msg\":{{\"type\":\"analyze\",\"job_id\":1,\"file_names\":[]}}}}"),
            format!("{{\"v\":{v},\"msg\":{{\"type\":\"inquire\",\"job_id\":1,\"file_names\":[]}}}}"),
            "\u{0}".into(),
        ] {
            let text = text.as_str();
            assert!(
                matches!(decode::<FromWorker>(text), Err(ProtocolError::Malformed(_))),
                "{text:?}"
            );
            assert!(
                matches!(decode::<ToWorker>(text), Err(ProtocolError::Malformed(_))),
                "{text:?}"
            );
        }
    }
}
