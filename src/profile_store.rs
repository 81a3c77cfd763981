//! The analyst's import profiles kept in the browser's storage (`localStorage`), so that they
//! survive a reload without the workspace passphrase. A profile holds no personal data — column
//! names, the fields they map to and local code tables, no sample values — so it need not be
//! encrypted; the encrypted workspace keeps the profiles too.
//!
//! The stored text is a JSON array of profiles under [`KEY`]. A stored profile that cannot be
//! read (another version of the analyzer, an edited entry) is skipped with a note, never a
//! failure. The browser side goes through `Reflect` so that no further `web-sys` feature is
//! needed; [`encode`] and [`decode`] are pure and tested natively.

use ipvi_core::import::Profile;

/// The `localStorage` key of the saved profiles.
pub const KEY: &str = "ipvi.import-profiles";

/// Where the profiles are kept, for the page to say.
pub const WHERE: &str = "Saved profiles are kept in this browser's storage on this computer (no data values, no \
     passphrase needed), and in the encrypted workspace when you save one.";

/// The stored text of `profiles`.
pub fn encode(profiles: &[Profile]) -> String {
    serde_json::to_string(profiles).unwrap_or_else(|_| "[]".to_string())
}

/// The profiles of a stored text, and a note per entry that could not be read.
pub fn decode(text: &str) -> (Vec<Profile>, Vec<String>) {
    let entries: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return (
                Vec::new(),
                vec![format!(
                    "The import profiles kept in this browser could not be read ({e}); load them again from their JSON files."
                )],
            )
        }
    };
    let mut profiles = Vec::new();
    let mut notes = Vec::new();
    for (k, entry) in entries.into_iter().enumerate() {
        match Profile::from_json(&entry.to_string()) {
            Ok(p) => profiles.push(p),
            Err(e) => notes.push(format!(
                "Import profile {} kept in this browser was skipped: {e}. Load it again from its JSON file.",
                k + 1
            )),
        }
    }
    (profiles, notes)
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Result<wasm_bindgen::JsValue, String> {
    use wasm_bindgen::JsValue;
    let window = web_sys::window().ok_or("no window")?;
    let s = js_sys::Reflect::get(&window, &JsValue::from_str("localStorage"))
        .map_err(|e| crate::worker_client::js_error_text(&e))?;
    if s.is_null() || s.is_undefined() {
        return Err("this browser keeps no storage for the page".into());
    }
    Ok(s)
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn call(name: &str, args: &[&str]) -> Result<wasm_bindgen::JsValue, String> {
    use wasm_bindgen::{JsCast, JsValue};
    let s = storage()?;
    let f: js_sys::Function = js_sys::Reflect::get(&s, &JsValue::from_str(name))
        .map_err(|e| crate::worker_client::js_error_text(&e))?
        .dyn_into()
        .map_err(|_| format!("the browser's storage has no {name}"))?;
    let r = match args {
        [a] => f.call1(&s, &JsValue::from_str(a)),
        [a, b] => f.call2(&s, &JsValue::from_str(a), &JsValue::from_str(b)),
        _ => f.call0(&s),
    };
    r.map_err(|e| crate::worker_client::js_error_text(&e))
}

/// The profiles kept in this browser, and notes on entries that could not be read.
#[cfg(target_arch = "wasm32")]
pub fn load() -> (Vec<Profile>, Vec<String>) {
    match call("getItem", &[KEY]) {
        Ok(v) => match v.as_string() {
            Some(text) => decode(&text),
            None => (Vec::new(), Vec::new()),
        },
        Err(e) => (
            Vec::new(),
            vec![format!(
                "The import profiles kept in this browser could not be read: {e}."
            )],
        ),
    }
}

/// Keep `profiles` in this browser (all of them, replacing what was kept).
#[cfg(target_arch = "wasm32")]
pub fn save(profiles: &[Profile]) -> Result<(), String> {
    let r = if profiles.is_empty() {
        call("removeItem", &[KEY])
    } else {
        call("setItem", &[KEY, &encode(profiles)])
    };
    r.map(|_| ())
        .map_err(|e| format!("The import profiles could not be kept in this browser's storage: {e}."))
}

/// Natively there is no browser storage: nothing is kept.
#[cfg(not(target_arch = "wasm32"))]
pub fn load() -> (Vec<Profile>, Vec<String>) {
    (Vec::new(), Vec::new())
}

/// Natively there is no browser storage: nothing is kept.
#[cfg(not(target_arch = "wasm32"))]
pub fn save(_profiles: &[Profile]) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ipvi_core::import::{propose_mapping, read_csv};

    #[test]
    fn profiles_round_trip_and_hold_no_data_values() {
        let t = read_csv(
            "k.csv",
            b"Case No.,Surname,Given Name,Born,Tie\nKPD21-0001,HALVORSEN,MARISOL,02/11/1990,GIRLFRIEND\n",
        )
        .unwrap();
        let mine = Profile::from_proposal("Kingsport RMS", &propose_mapping(&[t]));
        let kept = vec![mine.clone(), Profile::new("Other")];
        let text = encode(&kept);
        for value in ["HALVORSEN", "MARISOL", "02/11/1990", "KPD21-0001", "GIRLFRIEND"] {
            assert!(!text.contains(value), "{value} is kept in the browser's storage");
        }
        let (back, notes) = decode(&text);
        assert_eq!(back, kept);
        assert!(notes.is_empty());
    }

    #[test]
    fn unreadable_entries_are_skipped_with_a_note() {
        let good = serde_json::to_value(Profile::new("A")).unwrap();
        let mut newer = good.clone();
        newer["version"] = serde_json::json!(999);
        let text = serde_json::to_string(&vec![newer, serde_json::json!({"x": 1}), good]).unwrap();
        let (back, notes) = decode(&text);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].name, "A");
        assert_eq!(notes.len(), 2);
        assert!(notes[0].starts_with("Import profile 1 "), "{}", notes[0]);
        let (none, notes) = decode("not json");
        assert!(none.is_empty());
        assert!(notes[0].contains("could not be read"));
    }
}
