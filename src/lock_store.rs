//! What the lock keeps in this browser's `localStorage`: the idle time before the page locks (1
//! to 30 minutes, so that it survives a reload) and, for each workspace, the number of the newest
//! save this browser has opened or made, so that an older copy is recognised. Neither holds data
//! or anything about the passphrase; a workspace is named by its salt, which is not secret.

/// The `localStorage` key of the idle time.
pub const MINUTES_KEY: &str = "ipvi-lock-minutes";
/// The `localStorage` key of the newest saves seen, `{ workspace id: saves }`.
pub const SEEN_KEY: &str = "ipvi-workspace-saves";
/// Minutes without activity before the page locks, unless the analyst chose otherwise.
pub const DEFAULT_MINUTES: u32 = 15;
/// The longest the page may stay open without activity.
pub const MAX_MINUTES: u32 = 30;

/// The idle time typed by the analyst: whole minutes from 1 to [`MAX_MINUTES`]; more is capped.
pub fn parse_minutes(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let n: f64 = t
        .parse()
        .map_err(|_| format!("\"{t}\" is not a number of minutes. Type a number from 1 to {MAX_MINUTES}."))?;
    if !n.is_finite() || n < 1.0 {
        return Err(format!(
            "The page locks after 1 to {MAX_MINUTES} minutes without activity. Type a number from 1 to {MAX_MINUTES}."
        ));
    }
    Ok(n.round().min(f64::from(MAX_MINUTES)) as u32)
}

/// The stored idle time, or the default when it is missing or not a valid setting.
pub fn minutes_from(stored: Option<&str>) -> u32 {
    stored.and_then(|s| parse_minutes(s).ok()).unwrap_or(DEFAULT_MINUTES)
}

/// The newest save of `id` in the stored map.
pub fn seen_in(stored: Option<&str>, id: &str) -> Option<u32> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(stored?).ok()?;
    map.get(id)?.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// The stored map with `id` at `saves` at least.
pub fn with_seen(stored: Option<&str>, id: &str, saves: u32) -> String {
    let mut map: serde_json::Map<String, serde_json::Value> =
        stored.and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    let newest = map
        .get(id)
        .and_then(|v| v.as_u64())
        .map_or(u64::from(saves), |n| n.max(u64::from(saves)));
    map.insert(id.to_string(), newest.into());
    serde_json::Value::Object(map).to_string()
}

#[cfg(target_arch = "wasm32")]
fn get(key: &str) -> Option<String> {
    crate::profile_store::call("getItem", &[key]).ok()?.as_string()
}

#[cfg(target_arch = "wasm32")]
fn set(key: &str, value: &str) -> Result<(), String> {
    crate::profile_store::call("setItem", &[key, value])
        .map(|_| ())
        .map_err(|e| format!("The setting could not be kept in this browser's storage: {e}."))
}

#[cfg(not(target_arch = "wasm32"))]
fn get(_key: &str) -> Option<String> {
    None
}

#[cfg(not(target_arch = "wasm32"))]
fn set(_key: &str, _value: &str) -> Result<(), String> {
    Ok(())
}

/// The idle time kept in this browser.
pub fn load_minutes() -> u32 {
    minutes_from(get(MINUTES_KEY).as_deref())
}

/// Keep the idle time in this browser.
pub fn save_minutes(minutes: u32) -> Result<(), String> {
    set(MINUTES_KEY, &minutes.clamp(1, MAX_MINUTES).to_string())
}

/// The newest save of workspace `id` this browser has opened or made.
pub fn seen(id: &str) -> Option<u32> {
    seen_in(get(SEEN_KEY).as_deref(), id)
}

/// Remember that this browser has opened or made save number `saves` of workspace `id`.
pub fn remember(id: &str, saves: u32) -> Result<(), String> {
    set(SEEN_KEY, &with_seen(get(SEEN_KEY).as_deref(), id, saves))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_time_is_whole_minutes_from_1_to_30() {
        assert_eq!(parse_minutes("5"), Ok(5));
        assert_eq!(parse_minutes(" 30 "), Ok(30));
        assert_eq!(parse_minutes("90"), Ok(30), "capped at 30");
        assert_eq!(parse_minutes("1440"), Ok(30));
        assert_eq!(parse_minutes("2.4"), Ok(2));
        assert!(parse_minutes("0").is_err());
        assert!(parse_minutes("-3").is_err());
        assert!(parse_minutes("soon").unwrap_err().contains("\"soon\""));
        assert!(parse_minutes("inf").is_err());
        assert_eq!(minutes_from(None), DEFAULT_MINUTES);
        assert_eq!(minutes_from(Some("7")), 7);
        assert_eq!(minutes_from(Some("600")), 30, "an old longer setting is capped too");
        assert_eq!(minutes_from(Some("x")), DEFAULT_MINUTES);
    }

    #[test]
    fn the_newest_save_only_goes_up() {
        let a = with_seen(None, "ab", 3);
        assert_eq!(seen_in(Some(&a), "ab"), Some(3));
        assert_eq!(seen_in(Some(&a), "cd"), None);
        let b = with_seen(Some(&a), "ab", 2);
        assert_eq!(seen_in(Some(&b), "ab"), Some(3));
        let c = with_seen(Some(&b), "cd", 9);
        assert_eq!((seen_in(Some(&c), "ab"), seen_in(Some(&c), "cd")), (Some(3), Some(9)));
        assert_eq!(seen_in(Some("not json"), "ab"), None);
        assert_eq!(seen_in(Some(&with_seen(Some("not json"), "ab", 1)), "ab"), Some(1));
    }
}
