//! The worker's side of the offender inquiry: generates the sample jurisdiction, hands agency
//! exports to the generic import (`import_worker`), runs the pipeline with progress, keeps the dataset and the last result for reruns and
//! explanations, and posts [`InquiryView`]s back. Nothing about the data is ever logged.

use crate::dataset_view::dataset_view;
use crate::inquiry::{build_view, explain, without_people, InquiryView};
use crate::pool;
use crate::protocol::{self, FromWorker, Timings};
use crate::worker_scope::post;
use ipvi_core::date::Date;
use ipvi_core::diag::Diagnostic;
use ipvi_core::evaluate::notified::Outcome;
use ipvi_core::input::ImportError;
use ipvi_core::input::InputFile;
use ipvi_core::linkage::{self, parallel::Serial, ScoredJob};
use ipvi_core::model::Dataset;
use ipvi_core::notify::NotificationRecord;
use ipvi_core::pipeline::{self, Begun, Kept, PipelineConfig, PipelineError, PipelineResult};
use ipvi_core::synth::{calibration::calibrate, export::export, generate, InterventionConfig, SynthConfig};
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

struct Held {
    data: Dataset,
    result: Option<PipelineResult>,
    /// The relationship code table of the inquiry (`None`: the NIBRS defaults).
    codes: Option<ipvi_core::classify::CodeTable>,
    /// Notifications that came with the data (a sample generated with an intervention): used in
    /// the first run and sent to the page once, relabelled with the run's person ids.
    loaded_notifications: Vec<ipvi_core::notify::NotificationRecord>,
    /// Advocates' contacts that came with the data (the sample with an intervention): counted in
    /// the implementation measures of every run on this data, never sent to the page.
    contacts: Vec<ipvi_core::contacts::ContactRecord>,
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// Posts progress at most about a hundred times per stage.
pub(crate) struct Reporter {
    job_id: u32,
    stage: String,
    fraction: f32,
}

impl Reporter {
    /// A reporter for a job that has posted nothing yet.
    pub(crate) fn new(job_id: u32) -> Reporter {
        Reporter {
            job_id,
            stage: String::new(),
            fraction: -1.0,
        }
    }

    /// Post the stage and fraction if either moved enough.
    pub(crate) fn report(&mut self, stage: &str, fraction: f32) -> bool {
        if stage != self.stage || fraction - self.fraction >= 0.01 || fraction >= 1.0 {
            self.stage = stage.to_string();
            self.fraction = fraction;
            post(&FromWorker::Progress {
                job_id: self.job_id,
                stage: stage.to_string(),
                fraction,
            });
        }
        // Cancelling terminates the worker; nothing to check here.
        true
    }
}

pub(crate) fn failed(job_id: u32, why: String) {
    post(&FromWorker::Failed {
        job_id,
        error: ImportError::Unusable(why),
    });
}

/// A run of the inquiry between its two halves: what [`resume`] needs once the candidate
/// pairs are scored (in the helper workers, see `pool`, or here).
struct Paused {
    job_id: u32,
    kept: Kept,
    started: f64,
    t0: f64,
    from: f32,
    rep: Reporter,
    config: PipelineConfig,
    loaded: Vec<NotificationRecord>,
    begun: Begun,
    /// The helper workers that scored the candidate pairs to the end (0: this worker did).
    helpers: u32,
}

/// Run the pipeline on the held dataset and post the view: up to the linkage's scoring pass
/// here, the scoring pass in the helper workers when the pool is used (then [`resume`] runs
/// when their results are in) or here, then the rest.
pub(crate) fn inquire(job_id: u32, kept: Kept, started: f64, from: f32, mut rep: Reporter) {
    let t0 = js_sys::Date::now();
    let begun = HELD.with(|h| {
        let mut h = h.borrow_mut();
        let Some(held) = h.as_mut() else {
            return Err("there is no data in the analyzer; load it again".to_string());
        };
        let mut kept = kept;
        // Stable person ids: the previous run's, kept here (too large to send to the page).
        if let Some(prev) = &held.result {
            kept.previous_persons = held
                .data
                .involvements
                .iter()
                .zip(&prev.link_ids)
                .map(|(i, &id)| (i.record_id.to_string(), id))
                .collect();
        }
        let loaded = std::mem::take(&mut held.loaded_notifications);
        for n in &loaded {
            if !kept.notifications.contains(n) {
                kept.notifications.push(n.clone());
            }
        }
        let config = PipelineConfig {
            codes: held.codes.clone().unwrap_or_default(),
            ..PipelineConfig::default()
        };
        // Records nobody can tell apart (the FBI extract: no names, no dates of birth) give the
        // linkage nothing to compare: no helpers for them.
        let wanted = match pipeline::identifiable(&held.data) {
            Ok(()) => pool::wanted(held.data.involvements.len()),
            Err(_) => 0,
        };
        let mut pooled = false;
        let mut progress = |s: &str, f: f32| rep.report(s, shown(from, f));
        let begun = pipeline::begin(&held.data, &config, &kept, &Serial, &mut progress, &mut |f| {
            pooled = wanted > 0 && pool::send_features(wanted, f, &config.link);
        });
        Ok((begun, kept, config, loaded, (pooled, wanted)))
    });
    let (begun, kept, config, loaded, (pooled, helpers)) = match begun {
        Ok((Ok(begun), kept, config, loaded, pool)) => (begun, kept, config, loaded, pool),
        Ok((Err(e), ..)) => return ended(job_id, e),
        Err(why) => return failed(job_id, why),
    };
    let paused = Paused {
        job_id,
        kept,
        started,
        t0,
        from,
        rep,
        config,
        loaded,
        begun,
        helpers: if pooled { helpers as u32 } else { 0 },
    };
    if !pooled {
        return score_here(paused);
    }
    let pairs: Vec<u64> = (0..paused.begun.link.jobs())
        .map(|k| paused.begun.link.job_pairs(k))
        .collect();
    let model = paused.begun.link.model().clone();
    let mut rep = Reporter::new(job_id);
    pool::score(
        &model,
        pairs,
        Box::new(move |x| {
            rep.report(linkage::SCORING_PHASE, shown(from, Begun::scoring_progress(x)));
        }),
        Box::new(move |parts| match parts {
            Some((parts, alive)) => {
                let mut paused = paused;
                paused.helpers = alive as u32;
                resume(paused, parts)
            }
            // Every helper died: the pairs are scored here instead.
            None => score_here(paused),
        }),
    );
}

/// The bar's position when `f` of the inquiry is done, in a job whose first `from` went to
/// generating or importing the data (the last 3% is the view).
fn shown(from: f32, f: f32) -> f32 {
    from + (1.0 - from) * f * 0.97
}

/// The scoring pass in this worker, then the rest of the run.
fn score_here(mut p: Paused) {
    p.helpers = 0;
    let from = p.from;
    let rep = &mut p.rep;
    let parts = p.begun.link.score_with(&Serial, &mut |x| {
        rep.report(linkage::SCORING_PHASE, shown(from, Begun::scoring_progress(x)))
    });
    match parts {
        Some(parts) => resume(p, parts),
        None => ended(p.job_id, PipelineError::Cancelled),
    }
}

/// The run after its scoring pass: people, lists and the view posted.
fn resume(p: Paused, parts: Vec<ScoredJob>) {
    let Paused {
        job_id,
        kept,
        started,
        t0,
        from,
        mut rep,
        config,
        loaded,
        begun,
        helpers,
    } = p;
    let list_rules = kept.list_rules.clone();
    let outcome = HELD.with(|h| {
        let mut h = h.borrow_mut();
        let Some(held) = h.as_mut() else {
            return Err(PipelineError::Link(
                "the data was unloaded during the run; load it again".into(),
            ));
        };
        let mut progress = |s: &str, f: f32| rep.report(s, shown(from, f));
        let result = begun.finish(&held.data, &config, &kept, &[], parts, &mut progress)?;
        rep.report("Preparing the lists", 0.98);
        let mut view = build_view(&held.data, &result, list_rules.as_ref());
        view.data = dataset_view(&held.data, &result.pair_class, &config.codes);
        view.list_rules = list_rules;
        // The core's check, shared with `ipvi analyze` (the view carries its answer).
        if !view.data.identifiable {
            view = without_people(view, &held.data, &result.pair_class);
        } else {
            view.loaded_notifications = crate::inquiry_eval::relabel(loaded, &held.data, &result);
            let fidelity = crate::inquiry_eval::fidelity_of(&held.data, &result, &kept.notifications, &held.contacts);
            crate::inquiry_eval::put_fidelity(&mut view, fidelity);
        }
        held.result = Some(result);
        Ok(view)
    });
    let analysed = js_sys::Date::now();
    match outcome {
        Ok(view) => send_view(job_id, view, (started, t0, analysed), helpers),
        Err(e) => ended(job_id, e),
    }
}

/// A run that stopped: cancelled, or failed with the pipeline's reason.
fn ended(job_id: u32, e: PipelineError) {
    match e {
        PipelineError::Cancelled => post(&FromWorker::Failed {
            job_id,
            error: ImportError::Cancelled,
        }),
        e => failed(job_id, e.to_string()),
    }
}

/// Send the view: its lists first, in pieces the page decodes one message at a time
/// ([`crate::view_pieces`]), then the rest.
fn send_view(job_id: u32, mut view: InquiryView, (started, t0, analysed): (f64, f64, f64), helpers: u32) {
    for piece in crate::view_pieces::split(&mut view, crate::view_pieces::PIECE_BYTES) {
        let bytes = js_sys::Uint8Array::from(piece.json.as_slice());
        drop(piece.json);
        let head = protocol::encode(&FromWorker::Piece {
            job_id,
            part: piece.part,
        });
        let obj = Object::new();
        let _ = Reflect::set(&obj, &JsValue::from_str("json"), &JsValue::from_str(&head));
        let _ = Reflect::set(&obj, &JsValue::from_str("bytes"), &bytes);
        let transfer = js_sys::Array::of1(&bytes.buffer());
        let _ = crate::worker_scope::scope_post_with_transfer(&obj, &transfer);
    }
    let text = protocol::encode(&FromWorker::Inquiry {
        job_id,
        result: Box::new(view),
        timings: Timings {
            receive_ms: t0 - started,
            analyze_ms: analysed - t0,
            encode_ms: 0.0,
            helpers,
        },
    });
    let obj = Object::new();
    let _ = Reflect::set(&obj, &JsValue::from_str("json"), &JsValue::from_str(&text));
    let encode_ms = js_sys::Date::now() - analysed;
    let _ = Reflect::set(&obj, &JsValue::from_str("encodeMs"), &JsValue::from_f64(encode_ms));
    let _ = crate::worker_scope::scope_post(&obj);
}

pub(crate) fn hold(data: Dataset, diagnostics: Vec<Diagnostic>) -> usize {
    let n = diagnostics.len();
    HELD.with(|h| {
        *h.borrow_mut() = Some(Held {
            data,
            result: None,
            codes: None,
            loaded_notifications: Vec::new(),
            contacts: Vec::new(),
        })
    });
    n
}

/// Hold an imported dataset with the code table its inquiry runs with.
pub(crate) fn hold_with_codes(data: Dataset, codes: ipvi_core::classify::CodeTable) {
    HELD.with(|h| {
        *h.borrow_mut() = Some(Held {
            data,
            result: None,
            codes: Some(codes),
            loaded_notifications: Vec::new(),
            contacts: Vec::new(),
        })
    });
}

/// `ToWorker::Sample`: generate the synthetic jurisdiction, write its export, read it back through
/// the generic import and run the inquiry.
pub(crate) fn sample(
    job_id: u32,
    (population, years, seed): (u32, u32, u64),
    kept: Kept,
    intervention: Option<InterventionConfig>,
) {
    let started = js_sys::Date::now();

    let mut rep = Reporter::new(job_id);
    // The sample as the core defines it (`synth::sample`: with an intervention, no follow-up year).
    let cfg = SynthConfig {
        seed,
        years,
        ..ipvi_core::synth::sample::config(population, intervention)
    };
    let j = match generate(&cfg, &mut |f| rep.report("Generating the sample jurisdiction", f * 0.4)) {
        Ok(j) => j,
        Err(_) => {
            return post(&FromWorker::Failed {
                job_id,
                error: ImportError::Cancelled,
            })
        }
    };
    rep.report("Writing the agency export", 0.4);
    let files = match export(&j, &calibrate(&j)) {
        Ok(f) => f,
        Err(e) => return failed(job_id, e.to_string()),
    };
    drop(j);
    rep.report("Reading the agency export", 0.45);
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .map(|(n, b)| InputFile { name: n, bytes: b })
        .collect();
    let (dataset, diags) = match ipvi_core::import::import_files(&inputs, None, None) {
        Ok((out, _)) => (out.dataset, out.diagnostics),
        Err(e) => return failed(job_id, e.to_string()),
    };
    let loaded = files
        .iter()
        .find(|(n, _)| n == "notifications.csv")
        .map(|(n, b)| ipvi_core::notify::read_csv(n, b).0)
        .unwrap_or_default();
    let contacts = files
        .iter()
        .find(|(n, _)| n == "advocate_contacts.csv")
        .map(|(n, b)| ipvi_core::contacts::read_csv(n, b).0)
        .unwrap_or_default();
    drop(files);
    hold(dataset, diags);
    HELD.with(|h| {
        if let Some(held) = h.borrow_mut().as_mut() {
            held.loaded_notifications = loaded;
            held.contacts = contacts;
        }
    });
    inquire(job_id, kept, started, 0.5, rep);
}

/// `ToWorker::Rerun`: the inquiry again on the data held, with the analyst's decisions.
pub(crate) fn rerun(job_id: u32, kept: Kept) {
    let started = js_sys::Date::now();

    inquire(job_id, kept, started, 0.0, Reporter::new(job_id));
}

/// `ToWorker::Evaluate`: the recorded notifications evaluated on the data held.
pub(crate) fn evaluate(
    job_id: u32,
    (start, as_of): (Date, Option<Date>),
    outcome: Outcome,
    notifications: Vec<NotificationRecord>,
) {
    let (result, unmatched) = HELD.with(|h| {
        let h = h.borrow();
        match h.as_ref().and_then(|held| Some((&held.data, held.result.as_ref()?))) {
            Some((data, result)) => {
                crate::inquiry_eval::evaluate_run(data, result, start, as_of, outcome, &notifications)
            }
            None => (
                Err("there is no analysed data in the analyzer; load it again".to_string()),
                0,
            ),
        }
    });
    post(&FromWorker::Evaluated {
        job_id,
        result: result.map(Box::new),
        unmatched,
    });
}

/// `ToWorker::Cycle`: the month's cycle on the data held, with progress.
pub(crate) fn cycle(
    job_id: u32,
    as_of: Option<Date>,
    list_rules: Option<ipvi_core::offenders::lists::ListRules>,
    notifications: Vec<NotificationRecord>,
) {
    let mut rep = Reporter::new(job_id);
    let result = HELD.with(|h| {
        let h = h.borrow();
        match h.as_ref().and_then(|held| Some((held, held.result.as_ref()?))) {
            Some((held, result)) => crate::inquiry_cycle::cycle_run(
                &held.data,
                result,
                as_of,
                list_rules.as_ref(),
                &notifications,
                &held.contacts,
                &mut |f| rep.report("Replaying the lists month by month", f),
            ),
            None => Err("there is no analysed data in the analyzer; load it again".to_string()),
        }
    });
    post(&FromWorker::Cycled {
        job_id,
        result: result.map(Box::new),
    });
}

/// `ToWorker::Explain`: why the person's records are one person.
pub(crate) fn explain_person(person_id: String) {
    let explanation = HELD.with(|h| {
        let h = h.borrow();
        let held = h.as_ref()?;
        explain(&held.data, held.result.as_ref()?, &person_id)
    });
    post(&FromWorker::Explained {
        person_id,
        explanation: explanation.map(Box::new),
    });
}
