//! The analysis worker: runs inside a `DedicatedWorkerGlobalScope`, receives [`ToWorker`]
//! messages, hands each to the step that answers it (one dispatcher, [`dispatch`]: the sample
//! and reruns in `inquiry_worker`, every file in `import_worker`), and posts [`FromWorker`]
//! messages back (`worker_scope`).
//!
//! A panic here kills this wasm instance; the panic hook first posts a `fatal` message so the
//! page can show the error for the job, terminate this worker and start a fresh one. Nothing
//! about the data is ever logged.

use crate::protocol::{self, FromWorker, ToWorker};
use crate::worker_scope::{post, scope};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

/// Install the panic hook and the message handler.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post(&FromWorker::Fatal {
            message: format!("the analysis worker failed: {info}"),
        });
    }));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
}

fn on_message(event: MessageEvent) {
    let data = event.data();
    // A helper worker's work, from the analysis worker that started it (see `pool`).
    if crate::pool::is_pool_message(&data) {
        return crate::pool::helper_message(&data);
    }
    let json = Reflect::get(&data, &JsValue::from_str("json"))
        .ok()
        .and_then(|v| v.as_string());
    let Some(json) = json else {
        post(&FromWorker::Fatal {
            message: "the worker received a message without a `json` field".into(),
        });
        return;
    };
    match protocol::decode::<ToWorker>(&json) {
        Ok(msg) => dispatch(msg, &data),
        Err(e) => post(&FromWorker::Fatal { message: e.to_string() }),
    }
}

/// The worker's one dispatcher: each message to the step that answers it.
fn dispatch(msg: ToWorker, data: &JsValue) {
    use crate::{import_worker, inquiry_worker};
    if !matches!(msg, ToWorker::Explain { .. }) {
        // A new job: the answers of the helpers of a run left waiting are not wanted any more.
        crate::pool::abandon();
    }
    match msg {
        ToWorker::Sample {
            job_id,
            population,
            years,
            seed,
            kept,
            intervention,
        } => inquiry_worker::sample(job_id, (population, years, seed), kept, intervention),
        ToWorker::Import {
            job_id,
            file_names,
            kept,
            profiles,
            confirmed,
            code_table,
        } => import_worker::handle(
            import_worker::ImportJob {
                job_id,
                file_names,
                kept,
                profiles,
                confirmed: confirmed.map(|p| *p),
                code_table,
            },
            data,
        ),
        ToWorker::Rerun { job_id, kept } => inquiry_worker::rerun(job_id, kept),
        ToWorker::Evaluate {
            job_id,
            start,
            as_of,
            outcome,
            notifications,
        } => inquiry_worker::evaluate(job_id, (start, as_of), outcome, notifications),
        ToWorker::Cycle {
            job_id,
            as_of,
            list_rules,
            notifications,
        } => inquiry_worker::cycle(job_id, as_of, list_rules, notifications),
        ToWorker::Explain { person_id } => inquiry_worker::explain_person(person_id),
    }
}
