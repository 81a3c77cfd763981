//! IPVI Analyzer in the browser: the Yew app and the Web Worker that runs the core.
//!
//! One wasm module serves both sides. The page's bootstrap calls [`start_app`] on the main thread
//! and [`start_worker`] inside each worker it spawns (`window.ipviSpawnWorker()`).
//!
//! Code map: [`protocol`] (page ↔ worker messages, versioned), [`state`] (the app's reducer),
//! [`table`] (sorting, filtering, paging of the pairs), [`format`] and [`export`] (numbers and
//! CSV), all pure and tested natively; [`inquiry`], [`inquiry_state`] and [`offender_table`] are
//! the offender inquiry's view, state and list logic (pure, tested natively), `inquiry_worker` its
//! worker side; [`import_state`] is the generic import's mapping draft and report (pure),
//! `import_worker` its worker side; [`workspace_file`] (pure) and `storage` are the encrypted
//! workspace, [`lock_store`] the lock's idle time and the newest save seen per workspace; `worker`,
//! `worker_client`, `files` and `download` talk to the browser; `components` holds one Yew
//! component per file.

#[cfg(target_arch = "wasm32")]
pub mod bench;
pub mod columns;
pub mod components;
pub mod dataset_view;
pub mod download;
pub mod export;
pub mod files;
pub mod format;
pub mod import_state;
pub mod import_worker;
pub mod inquiry;
pub mod inquiry_cycle;
pub mod inquiry_eval;
pub mod inquiry_state;
pub mod inquiry_worker;
pub mod km_chart;
pub mod lock_store;
#[cfg(test)]
mod module_graph;
pub mod offender_table;
pub mod pool;
pub mod profile_store;
pub mod protocol;
pub mod route;
pub mod shared;
pub mod state;
pub mod storage;
pub mod table;
pub mod view_pieces;
pub mod worker;
pub mod worker_client;
pub mod worker_scope;
pub mod workspace_file;
pub mod workstate;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

/// Main thread: install the panic hook (it calls `window.ipviFatal(message)`) and mount the app
/// into `<div id="app">`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn start_app() -> Result<(), JsValue> {
    // Through Yew, or its renderer would replace the hook with its own console hook.
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = format!("The analyzer stopped: {info}");
        let global = js_sys::global();
        let fatal = js_sys::Reflect::get(&global, &JsValue::from_str("ipviFatal")).ok();
        if let Some(f) = fatal.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&message));
        }
    }));
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .ok_or_else(|| JsValue::from_str("the page has no <div id=\"app\">"))?;
    yew::Renderer::<components::app::App>::with_root(root).render();
    Ok(())
}

/// Inside a dedicated worker: install the panic hook (it posts a `fatal` message to the page) and
/// start answering the page's messages.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn start_worker() {
    worker::start();
}
