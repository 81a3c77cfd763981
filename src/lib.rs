//! TEMPORARY build stand-in, not the app: the smallest module that honours the page contract
//! (`start_app`, `start_worker`, `window.ipviSpawnWorker`, `window.ipviFatal`) so that the build,
//! the single-file output and the browser test harness can be proven before the Yew app lands.
//! The real app replaces this file when the branches are merged.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Reports a panic through `window.ipviFatal` (main thread) or to the console (worker).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("The analyzer stopped: {info}");
        let global = js_sys::global();
        let fatal = js_sys::Reflect::get(&global, &JsValue::from_str("ipviFatal")).ok();
        match fatal.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            Some(f) => {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&message));
            }
            None => web_sys::console::error_1(&JsValue::from_str(&message)),
        }
    }));
}

/// Main thread: mounts a placeholder into `<div id="app">` and does one worker round trip.
#[wasm_bindgen]
pub fn start_app() -> Result<(), JsValue> {
    install_panic_hook();
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let app = document.get_element_by_id("app").ok_or("no #app element")?;
    app.set_inner_html(
        "<h1>IPVI Analyzer</h1><p>Build stand-in: the app is not part of this build.</p>\
         <p>Worker: <output id=\"standin-worker\">starting</output></p>",
    );
    let spawn = js_sys::Reflect::get(&window, &JsValue::from_str("ipviSpawnWorker"))?.dyn_into::<js_sys::Function>()?;
    let worker = spawn.call0(&JsValue::NULL)?.dyn_into::<web_sys::Worker>()?;
    let on_reply = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        if let Some(out) = document.get_element_by_id("standin-worker") {
            out.set_text_content(event.data().as_string().as_deref());
        }
    });
    worker.set_onmessage(Some(on_reply.as_ref().unchecked_ref()));
    on_reply.forget();
    worker.post_message(&JsValue::from_str("ping"))?;
    Ok(())
}

/// Worker: answers every text message `m` with `"pong: m"`.
#[wasm_bindgen]
pub fn start_worker() -> Result<(), JsValue> {
    install_panic_hook();
    let scope = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>()?;
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let _ = reply_scope.post_message(&JsValue::from_str(&format!("pong: {text}")));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    Ok(())
}
