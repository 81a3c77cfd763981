//! The linkage's candidate pairs scored in helper workers: the analysis worker's pool, and the
//! helpers' side of it.
//!
//! The scoring pass is the longest step of a large inquiry, and its jobs are independent
//! (`ipvi_core::linkage::LinkRun`). The analysis worker starts helper workers of its own
//! (`ipviSpawnHelper` in www/bootstrap.js: the same code, from a blob: URL the worker makes
//! itself, which also works from a page opened from disk; no `SharedArrayBuffer`, which a page
//! opened from disk cannot have). As soon as the record features are built it sends them to every
//! helper ([`send_features`]), which builds the blocks and jobs again while the analysis worker
//! trains the model; then it sends the trained model and hands out batches of jobs
//! ([`score`]), a couple in flight per helper, the next to whichever helper answers first. The
//! results are put back in job order, so the people found are those of one worker, bit for bit.
//!
//! When a helper dies (out of memory, say), its batches go to the others; when none is left, the
//! caller is told (`done(None)`) and scores the pairs itself. Cancelling terminates the analysis
//! worker, and its helpers with it. Nothing about the data is logged; the messages between the
//! workers carry numbers (features as interned ids and strings, scored pairs as indices).

use crate::worker_scope::scope;
use ipvi_core::linkage::compare::Features;
use ipvi_core::linkage::{wire, LinkRun, LinkSettings, ScoredJob, CHUNK_PAIRS};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::ops::Range;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

#[wasm_bindgen]
extern "C" {
    /// Provided by the worker's bootstrap: a helper worker running this code, its wasm being
    /// initialised (messages posted before that are kept).
    #[wasm_bindgen(catch, js_name = ipviSpawnHelper)]
    fn spawn_helper() -> Result<Worker, JsValue>;
}

/// Below this many person records the pool is not used unless asked for (the page's `?helpers=`):
/// the blocks are built again in each helper, which only pays on large data.
const MIN_RECORDS: usize = 20_000;

/// At most this many helpers.
const MAX_HELPERS: usize = 4;

/// Scoring batches in flight per helper: the next is queued while one is scored.
const IN_FLIGHT: usize = 2;

/// How many helpers a run on `records` person records should use: the page's `?helpers=N`
/// when given (tests and benchmarks; 0 turns the pool off), else one per processor the browser
/// reports (the analysis worker waits while they score), none on one processor or small data.
pub(crate) fn wanted(records: usize) -> usize {
    let global = js_sys::global();
    let asked = Reflect::get(&global, &JsValue::from_str("ipviHelpers"))
        .ok()
        .and_then(|v| v.as_f64())
        .filter(|n| *n >= 0.0);
    if let Some(n) = asked {
        return (n as usize).min(MAX_HELPERS);
    }
    let processors = Reflect::get(&global, &JsValue::from_str("navigator"))
        .and_then(|n| Reflect::get(&n, &JsValue::from_str("hardwareConcurrency")))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1.0) as usize;
    if processors < 2 || records < MIN_RECORDS {
        0
    } else {
        processors.min(MAX_HELPERS)
    }
}

/// A helper worker and its handlers.
struct Helper {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
    alive: bool,
    /// Batches sent and not answered yet.
    in_flight: Vec<usize>,
}

/// What a scoring pass ends with: the jobs' results in job order and the helpers still alive,
/// or None when every helper died.
pub(crate) type Done = Box<dyn FnOnce(Option<(Vec<ScoredJob>, usize)>)>;

/// A scoring pass under way.
struct Active {
    batches: Vec<Range<usize>>,
    /// Batches to send (first the ones of a helper that died).
    queue: Vec<usize>,
    results: Vec<Option<Vec<ScoredJob>>>,
    pairs: Vec<u64>,
    done_pairs: u64,
    total_pairs: u64,
    progress: Box<dyn FnMut(f32)>,
    done: Done,
}

#[derive(Default)]
struct Pool {
    helpers: Vec<Helper>,
    /// The run the helpers work for: messages of an earlier run are ignored.
    run: u32,
    active: Option<Active>,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool::default());
}

fn message(kind: &str, run: u32) -> Object {
    let obj = Object::new();
    set(&obj, "ipviPool", &JsValue::from_str(kind));
    set(&obj, "run", &JsValue::from_f64(f64::from(run)));
    obj
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property of a plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn get_f64(data: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(data, &JsValue::from_str(key)).ok()?.as_f64()
}

/// Start a new run on `helpers` helpers (started now if fewer are running) and send them the
/// features and the settings their blocks are built with. False when no helper could be
/// started or reached: the caller scores the pairs itself.
pub(crate) fn send_features(helpers: usize, f: &Features, settings: &LinkSettings) -> bool {
    let Ok(settings) = serde_json::to_string(settings) else {
        return false;
    };
    let bytes = Uint8Array::from(f.to_bytes().as_slice());
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        p.run = p.run.wrapping_add(1);
        p.active = None;
        // A helper's handlers know it by its place: a dead one is replaced in its place.
        p.helpers.truncate(helpers);
        for i in 0..helpers {
            if p.helpers.get(i).is_some_and(|h| h.alive) {
                continue;
            }
            let Some(h) = start_helper(i) else {
                break;
            };
            if i < p.helpers.len() {
                p.helpers[i] = h;
            } else {
                p.helpers.push(h);
            }
        }
        let msg = message("features", p.run);
        set(&msg, "settings", &JsValue::from_str(&settings));
        set(&msg, "bytes", &bytes);
        for h in p.helpers.iter_mut().filter(|h| h.alive) {
            h.in_flight.clear();
            // Copied to each helper (structured clone): each builds its own blocks from it.
            if h.worker.post_message(&msg).is_err() {
                h.alive = false;
            }
        }
        p.helpers.iter().any(|h| h.alive)
    })
}

fn start_helper(index: usize) -> Option<Helper> {
    let worker = spawn_helper().ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        on_helper_message(index, &event.data());
    });
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
        event.prevent_default();
        helper_died(index);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Helper {
        worker,
        _on_message: on_message,
        _on_error: on_error,
        alive: true,
        in_flight: Vec::new(),
    })
}

/// Score the run's jobs in the helpers, `jobs` of them, job `k` of `pairs[k]` candidate pairs,
/// with the trained `model`: `progress(share of pairs done)` as batches come back, then
/// `done((the jobs' results in job order, the helpers still alive))`, or `done(None)` when every
/// helper died.
pub(crate) fn score(model: &LinkSettings, pairs: Vec<u64>, progress: Box<dyn FnMut(f32)>, done: Done) {
    let Ok(model) = serde_json::to_string(model) else {
        return done(None);
    };
    let alive = POOL.with(|p| p.borrow().helpers.iter().filter(|h| h.alive).count());
    if alive == 0 {
        // Every helper died while this worker trained the model.
        return done(None);
    }
    let batches = POOL.with(|p| {
        let mut p = p.borrow_mut();
        let total: u64 = pairs.iter().sum();
        // About sixteen batches a helper: enough to share the work evenly and to move progress.
        let batches =
            ipvi_core::linkage::parallel::ranges(pairs.len(), total.div_ceil(alive as u64 * 16), |k| pairs[k] + 1);
        let msg = message("model", p.run);
        set(&msg, "model", &JsValue::from_str(&model));
        for h in p.helpers.iter_mut().filter(|h| h.alive) {
            if h.worker.post_message(&msg).is_err() {
                h.alive = false;
            }
        }
        p.active = Some(Active {
            queue: (0..batches.len()).rev().collect(),
            results: vec![None; batches.len()],
            pairs: batches.iter().map(|b| pairs[b.clone()].iter().sum()).collect(),
            batches,
            done_pairs: 0,
            total_pairs: total,
            progress,
            done,
        });
        p.active.as_ref().map_or(0, |a| a.batches.len())
    });
    if batches == 0 {
        return finish_if_done();
    }
    for i in 0..MAX_HELPERS {
        for _ in 0..IN_FLIGHT {
            send_next(i);
        }
    }
    finish_if_done();
}

/// Send helper `index` the next batch waiting, if it is alive and has room.
fn send_next(index: usize) {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        let run = p.run;
        let Pool { helpers, active, .. } = &mut *p;
        let (Some(h), Some(a)) = (helpers.get_mut(index), active.as_mut()) else {
            return;
        };
        if !h.alive || h.in_flight.len() >= IN_FLIGHT {
            return;
        }
        let Some(b) = a.queue.pop() else {
            return;
        };
        let msg = message("score", run);
        set(&msg, "batch", &JsValue::from_f64(b as f64));
        set(&msg, "from", &JsValue::from_f64(a.batches[b].start as f64));
        set(&msg, "to", &JsValue::from_f64(a.batches[b].end as f64));
        if h.worker.post_message(&msg).is_ok() {
            h.in_flight.push(b);
        } else {
            a.queue.push(b);
            h.alive = false;
        }
    });
}

/// A helper's answer.
fn on_helper_message(index: usize, data: &JsValue) {
    // The helper's bootstrap could not start its wasm.
    if Reflect::get(data, &JsValue::from_str("ipviBootstrap"))
        .ok()
        .and_then(|v| v.as_string())
        .is_some_and(|k| k == "fatal")
    {
        return helper_died(index);
    }
    let kind = Reflect::get(data, &JsValue::from_str("ipviPool"))
        .ok()
        .and_then(|v| v.as_string());
    let run = get_f64(data, "run");
    let current = POOL.with(|p| run == Some(f64::from(p.borrow().run)));
    match kind.as_deref() {
        _ if !current => {}
        Some("scored") => {
            let batch = get_f64(data, "batch").map(|b| b as usize);
            let parts = Reflect::get(data, &JsValue::from_str("bytes"))
                .ok()
                .and_then(|b| b.dyn_into::<Uint8Array>().ok())
                .and_then(|b| wire::scored_from_bytes(&b.to_vec()).ok());
            match (batch, parts) {
                (Some(b), Some(parts)) => {
                    let progress = POOL.with(|p| {
                        let mut p = p.borrow_mut();
                        let Pool { helpers, active, .. } = &mut *p;
                        if let Some(h) = helpers.get_mut(index) {
                            h.in_flight.retain(|&x| x != b);
                        }
                        let a = active.as_mut()?;
                        let expected = a.batches.get(b)?.len();
                        if a.results[b].is_some() || parts.len() != expected {
                            return None;
                        }
                        a.results[b] = Some(parts);
                        a.done_pairs += a.pairs[b];
                        Some(a.done_pairs as f32 / a.total_pairs.max(1) as f32)
                    });
                    if let Some(x) = progress {
                        report(x);
                    }
                    send_next(index);
                    finish_if_done();
                }
                _ => helper_died(index),
            }
        }
        Some("failed") => helper_died(index),
        _ => {}
    }
}

fn report(x: f32) {
    // The progress callback is taken out while it runs (it posts to the page, never back here).
    let taken = POOL.with(|p| {
        p.borrow_mut()
            .active
            .as_mut()
            .map(|a| std::mem::replace(&mut a.progress, Box::new(|_| {})))
    });
    if let Some(mut progress) = taken {
        progress(x);
        POOL.with(|p| {
            if let Some(a) = p.borrow_mut().active.as_mut() {
                a.progress = progress;
            }
        });
    }
}

/// A helper is gone: its batches go back to the queue for the others; with none left, the
/// caller scores the pairs itself.
fn helper_died(index: usize) {
    let (left, others) = POOL.with(|p| {
        let mut p = p.borrow_mut();
        let Pool { helpers, active, .. } = &mut *p;
        // Its error events may keep coming until it is stopped: the first one counts.
        let Some(h) = helpers.get_mut(index).filter(|h| h.alive) else {
            return (None, Vec::new());
        };
        h.alive = false;
        h.worker.terminate();
        let lost = std::mem::take(&mut h.in_flight);
        if let Some(a) = active.as_mut() {
            a.queue.extend(lost);
        }
        let others: Vec<usize> = (0..helpers.len()).filter(|&i| helpers[i].alive).collect();
        if others.is_empty() {
            return (active.take(), others);
        }
        (None, others)
    });
    if let Some(a) = left {
        return (a.done)(None);
    }
    for i in others {
        for _ in 0..IN_FLIGHT {
            send_next(i);
        }
    }
}

/// When every batch is back: the results in job order to the caller, and the helpers' copies
/// of the data freed.
fn finish_if_done() {
    let finished = POOL.with(|p| {
        let mut p = p.borrow_mut();
        if !p.active.as_ref().is_some_and(|a| a.results.iter().all(Option::is_some)) {
            return None;
        }
        let release = message("release", p.run);
        let mut alive = 0;
        for h in p.helpers.iter().filter(|h| h.alive) {
            let _ = h.worker.post_message(&release);
            alive += 1;
        }
        p.active.take().map(|a| (a, alive))
    });
    if let Some((a, alive)) = finished {
        let jobs: Vec<ScoredJob> = a.results.into_iter().flatten().flatten().collect();
        (a.done)(Some((jobs, alive)));
    }
}

/// Forget a run under way (a new job came): its helpers' answers are ignored from now on.
pub(crate) fn abandon() {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        p.run = p.run.wrapping_add(1);
        p.active = None;
    });
}

// The helper's side.

thread_local! {
    /// The run this helper scores for, and its jobs.
    static HELPED: RefCell<Option<(u32, LinkRun)>> = const { RefCell::new(None) };
}

/// Whether a message to this worker is one of the pool's (then [`helper_message`] answers it).
pub(crate) fn is_pool_message(data: &JsValue) -> bool {
    Reflect::has(data, &JsValue::from_str("ipviPool")).unwrap_or(false)
}

/// A helper's answer to the analysis worker's message.
pub(crate) fn helper_message(data: &JsValue) {
    let kind = Reflect::get(data, &JsValue::from_str("ipviPool"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let run = get_f64(data, "run").unwrap_or(-1.0) as u32;
    let text = |key: &str| {
        Reflect::get(data, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let outcome: Result<(), String> = match kind.as_str() {
        "features" => (|| {
            let bytes = Reflect::get(data, &JsValue::from_str("bytes"))
                .ok()
                .and_then(|b| b.dyn_into::<Uint8Array>().ok())
                .ok_or("no features were sent")?;
            // The old run's blocks are freed before the new ones are built.
            HELPED.with(|h| *h.borrow_mut() = None);
            let f = Features::from_bytes(&bytes.to_vec())?;
            let settings: LinkSettings = serde_json::from_str(&text("settings")).map_err(|e| e.to_string())?;
            let run_jobs = LinkRun::for_scoring(f, &settings, CHUNK_PAIRS).map_err(|e| e.to_string())?;
            HELPED.with(|h| *h.borrow_mut() = Some((run, run_jobs)));
            Ok(())
        })(),
        "model" => (|| {
            let model: LinkSettings = serde_json::from_str(&text("model")).map_err(|e| e.to_string())?;
            HELPED.with(|h| match h.borrow_mut().as_mut() {
                Some((r, jobs)) if *r == run => jobs.set_model(model).map_err(|e| e.to_string()),
                _ => Err("the model came for a run this helper does not hold".to_string()),
            })
        })(),
        "score" => {
            let from = get_f64(data, "from").unwrap_or(0.0) as usize;
            let to = get_f64(data, "to").unwrap_or(0.0) as usize;
            let scored = HELPED.with(|h| match h.borrow().as_ref() {
                Some((r, jobs)) if *r == run => Some(wire::scored_to_bytes(&jobs.score(from..to))),
                _ => None,
            });
            match scored {
                Some(bytes) => {
                    let msg = message("scored", run);
                    let bytes = Uint8Array::from(bytes.as_slice());
                    set(
                        &msg,
                        "batch",
                        &JsValue::from_f64(get_f64(data, "batch").unwrap_or(-1.0)),
                    );
                    set(&msg, "bytes", &bytes);
                    let transfer = Array::of1(&bytes.buffer());
                    scope()
                        .post_message_with_transfer(&msg, &transfer)
                        .map_err(|_| "the answer could not be sent".to_string())
                }
                None => Err("jobs came for a run this helper does not hold".to_string()),
            }
        }
        "release" => {
            HELPED.with(|h| *h.borrow_mut() = None);
            Ok(())
        }
        other => Err(format!("an unknown pool message ({other})")),
    };
    if let Err(why) = outcome {
        let msg = message("failed", run);
        set(&msg, "message", &JsValue::from_str(&why));
        let _ = scope().post_message(&msg);
    }
}
