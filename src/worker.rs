//! The analysis worker: runs inside a `DedicatedWorkerGlobalScope`, receives [`ToWorker`]
//! messages, runs the core and posts [`FromWorker`] messages back.
//!
//! A panic here kills this wasm instance; the panic hook first posts a `fatal` message so the
//! page can show the error for the job, terminate this worker and start a fresh one. Nothing
//! about the data is ever logged.

use crate::protocol::{self, FromWorker, Timings, ToWorker};
use ipvi_core::input::{InputFile, Progress};
use ipvi_core::nibrs::analyze_extract;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Post a message to the page as `{ json }`.
pub(crate) fn post(msg: &FromWorker) {
    let obj = Object::new();
    let _ = Reflect::set(
        &obj,
        &JsValue::from_str("json"),
        &JsValue::from_str(&protocol::encode(msg)),
    );
    // Posting a plain object with one string cannot fail to clone.
    let _ = scope().post_message(&obj);
}

/// Post a prepared object to the page.
pub(crate) fn scope_post(obj: &JsValue) -> Result<(), JsValue> {
    scope().post_message(obj)
}

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
        Ok(ToWorker::Analyze {
            job_id,
            file_names,
            code_table,
        }) => {
            let started = js_sys::Date::now();
            let buffers: Vec<Vec<u8>> = Reflect::get(&data, &JsValue::from_str("buffers"))
                .ok()
                .and_then(|b| b.dyn_into::<Array>().ok())
                .map(|a| a.iter().map(|b| Uint8Array::new(&b).to_vec()).collect())
                .unwrap_or_default();
            if buffers.len() != file_names.len() {
                post(&FromWorker::Fatal {
                    message: format!(
                        "the worker received {} file names but {} file contents",
                        file_names.len(),
                        buffers.len()
                    ),
                });
                return;
            }
            let inputs: Vec<InputFile<'_>> = file_names
                .iter()
                .zip(&buffers)
                .map(|(name, bytes)| InputFile { name, bytes })
                .collect();
            let received = js_sys::Date::now();
            let mut last_stage = String::new();
            let mut last_fraction = -1.0f32;
            let mut on_progress = |p: Progress| {
                // Post at most about a hundred updates per stage.
                if p.stage != last_stage || p.fraction - last_fraction >= 0.01 || p.fraction >= 1.0 {
                    last_fraction = p.fraction;
                    last_stage.clone_from(&p.stage);
                    post(&FromWorker::Progress {
                        job_id,
                        stage: p.stage,
                        fraction: p.fraction,
                    });
                }
                // Cancelling terminates the worker; nothing to check here.
                true
            };
            let result = analyze_extract(&inputs, &code_table, &mut on_progress);
            let analysed = js_sys::Date::now();
            match result {
                Ok(analysis) => {
                    let timings = Timings {
                        receive_ms: received - started,
                        analyze_ms: analysed - received,
                        encode_ms: 0.0,
                    };
                    let text = protocol::encode(&FromWorker::Done {
                        job_id,
                        result: Box::new(analysis),
                        timings,
                    });
                    // The encoding time cannot be inside the text it measures: it rides beside it.
                    let obj = Object::new();
                    let _ = Reflect::set(&obj, &JsValue::from_str("json"), &JsValue::from_str(&text));
                    let encode_ms = js_sys::Date::now() - analysed;
                    let _ = Reflect::set(&obj, &JsValue::from_str("encodeMs"), &JsValue::from_f64(encode_ms));
                    let _ = scope().post_message(&obj);
                }
                Err(error) => post(&FromWorker::Failed { job_id, error }),
            }
        }
        Ok(other) => crate::inquiry_worker::handle(other, &data),
        Err(e) => post(&FromWorker::Fatal { message: e.to_string() }),
    }
}
