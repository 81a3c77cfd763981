//! Downloads made in the page (text and binary files such as XLSX): a Blob, an object URL and
//! an anchor with the `download` attribute. Nothing goes over the network.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offer `text` as a file named `file_name` (UTF-8).
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    download_bytes(file_name, mime, text.as_bytes())
}

/// Offer `bytes` as a file named `file_name`.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let err = |e: JsValue| {
        format!(
            "{file_name} could not be downloaded: {}",
            crate::worker_client::js_error_text(&e)
        )
    };
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(err)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(err)?;
    let anchor: HtmlAnchorElement = document.create_element("a").map_err(err)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    let body = document.body().ok_or("no body")?;
    body.append_child(&anchor).map_err(err)?;
    anchor.click();
    anchor.remove();
    // Let the download start before the URL is released.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)
        .map_err(err)?;
    Ok(())
}
