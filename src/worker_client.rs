//! The page's side of the analysis worker: spawns it through the bootstrap's
//! `window.ipviSpawnWorker()`, turns its messages, crashes and error events into
//! [`WorkerEvent`]s, and terminates it when dropped.

use crate::protocol::{self, FromWorker, ToWorker};
use crate::view_pieces::Pieces;
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

#[wasm_bindgen]
extern "C" {
    /// Provided by the page's bootstrap: a worker whose wasm is initialised (messages posted
    /// before that are buffered).
    #[wasm_bindgen(catch, js_name = ipviSpawnWorker)]
    fn ipvi_spawn_worker() -> Result<Worker, JsValue>;
}

/// What the worker said or did.
#[derive(Debug)]
pub enum WorkerEvent {
    /// A message, with the milliseconds the page spent decoding it.
    Message { msg: FromWorker, decode_ms: f64 },
    /// The worker crashed, or sent something unreadable: it must be replaced.
    Died(String),
}

/// A running worker. Dropping it terminates the worker.
pub struct WorkerClient {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// Text for an exception thrown by the browser.
pub fn js_error_text(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| "unknown error".to_string())
}

impl WorkerClient {
    /// Start a worker; its events go to `on_event`.
    pub fn spawn(on_event: Callback<WorkerEvent>) -> Result<WorkerClient, String> {
        let worker = ipvi_spawn_worker()
            .map_err(|e| format!("the analysis worker could not be started: {}", js_error_text(&e)))?;
        let on_msg = on_event.clone();
        // The pieces of the view on its way (job id, rows so far).
        let mut pieces: Option<(u32, Pieces)> = None;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            // The bootstrap's own messages (health checks) are not ours.
            if Reflect::has(&data, &JsValue::from_str("ipviBootstrap")).unwrap_or(false) {
                return;
            }
            let Some(json) = Reflect::get(&data, &JsValue::from_str("json"))
                .ok()
                .and_then(|v| v.as_string())
            else {
                on_msg.emit(WorkerEvent::Died(
                    "the analysis worker sent a message the page cannot read".into(),
                ));
                return;
            };
            let t0 = js_sys::Date::now();
            match protocol::decode::<FromWorker>(&json) {
                Ok(FromWorker::Piece { job_id, part }) => {
                    let Some(bytes) = Reflect::get(&data, &JsValue::from_str("bytes"))
                        .ok()
                        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
                    else {
                        on_msg.emit(WorkerEvent::Died(
                            "the analysis worker sent a piece of its result without its data".into(),
                        ));
                        return;
                    };
                    if !matches!(&pieces, Some((id, _)) if *id == job_id) {
                        pieces = Some((job_id, Pieces::default()));
                    }
                    if let Some((_, kept)) = pieces.as_mut() {
                        if let Err(e) = kept.add(part, &bytes.to_vec()) {
                            on_msg.emit(WorkerEvent::Died(e));
                            return;
                        }
                        kept.decode_ms += js_sys::Date::now() - t0;
                    }
                }
                Ok(mut msg) => {
                    let mut pieces_ms = 0.0;
                    if let FromWorker::Inquiry {
                        job_id,
                        result,
                        timings,
                    } = &mut msg
                    {
                        timings.encode_ms = Reflect::get(&data, &JsValue::from_str("encodeMs"))
                            .ok()
                            .and_then(|v| v.as_f64())
                            .unwrap_or(0.0);
                        if let Some((id, kept)) = pieces.take() {
                            if id == *job_id {
                                pieces_ms = kept.decode_ms;
                                kept.fill(result);
                            }
                        }
                    }
                    on_msg.emit(WorkerEvent::Message {
                        msg,
                        decode_ms: js_sys::Date::now() - t0 + pieces_ms,
                    });
                }
                Err(e) => on_msg.emit(WorkerEvent::Died(e.to_string())),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            // Handled here: keep the bootstrap from showing its full-page error screen.
            event.prevent_default();
            let message = event.message();
            on_event.emit(WorkerEvent::Died(if message.is_empty() {
                "unknown error".into()
            } else {
                message
            }));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

impl WorkerClient {
    /// Send any message, with file buffers beside it (transferred, not copied).
    pub fn send(&self, msg: &ToWorker, buffers: Vec<ArrayBuffer>) -> Result<(), String> {
        let list = Array::new();
        for b in &buffers {
            list.push(b);
        }
        let obj = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&obj, &JsValue::from_str(k), v);
        set("json", &JsValue::from_str(&protocol::encode(msg))).map_err(|e| js_error_text(&e))?;
        set("buffers", &list).map_err(|e| js_error_text(&e))?;
        self.worker
            .post_message_with_transfer(&obj, &list)
            .map_err(|e| format!("the analysis worker could not be reached: {}", js_error_text(&e)))
    }
}

impl WorkerClient {
    /// Send a message with `File` handles beside it (in `files`): structured-cloned handles, not
    /// contents, so the worker can read a large file in slices.
    pub fn send_files(&self, msg: &ToWorker, files: &[web_sys::File]) -> Result<(), String> {
        let list = Array::new();
        for f in files {
            list.push(f);
        }
        let obj = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&obj, &JsValue::from_str(k), v);
        set("json", &JsValue::from_str(&protocol::encode(msg))).map_err(|e| js_error_text(&e))?;
        set("files", &list).map_err(|e| js_error_text(&e))?;
        self.worker
            .post_message(&obj)
            .map_err(|e| format!("the analysis worker could not be reached: {}", js_error_text(&e)))
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        // An error event already on its way (a panic's trap right after its `fatal` message) was
        // dealt with: keep it from reaching the bootstrap's full-page error screen.
        let swallow = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default());
        self.worker.set_onerror(Some(&swallow.into_js_value().unchecked_into()));
        self.worker.terminate();
    }
}
