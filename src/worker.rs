//! The analysis worker: runs inside a `DedicatedWorkerGlobalScope`, receives [`ToWorker`]
//! messages, runs the core and posts [`FromWorker`] messages back.
//!
//! A panic here kills this wasm instance; the panic hook first posts a `fatal` message so the
//! page can show the error for the job, terminate this worker and start a fresh one. Nothing
//! about the data is ever logged.

use crate::protocol::{self, FromWorker, ToWorker};
use js_sys::{Object, Reflect};
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
        Ok(msg) => crate::inquiry_worker::handle(msg, &data),
        Err(e) => post(&FromWorker::Fatal { message: e.to_string() }),
    }
}
