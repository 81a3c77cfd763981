//! The worker's own global scope and the one way it posts to the page. A leaf module: the
//! dispatcher (`worker`) and the steps (`inquiry_worker`, `import_worker`) all post through it.

use crate::protocol::{self, FromWorker};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

/// This worker's global scope.
pub(crate) fn scope() -> DedicatedWorkerGlobalScope {
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

/// Post a prepared object to the page, moving the buffers in `transfer` with it.
pub(crate) fn scope_post_with_transfer(obj: &JsValue, transfer: &JsValue) -> Result<(), JsValue> {
    scope().post_message_with_transfer(obj, transfer)
}

/// Post a prepared object to the page.
pub(crate) fn scope_post(obj: &JsValue) -> Result<(), JsValue> {
    scope().post_message(obj)
}
