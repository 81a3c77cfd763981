//! The encrypted workspace screen: set a passphrase, then the work is saved in this browser
//! (IndexedDB, AES-GCM, see [`crate::storage`]) automatically after every change; it locks after
//! a period without activity (the key is dropped) and opens again with the passphrase; it is
//! exported and imported as one encrypted file. A wrong passphrase, a damaged or truncated file
//! and a file from a newer version each get a message, and nothing is changed.

use crate::files;
use crate::storage::{self, Vault};
use crate::workspace_file::{self as wf, SavedFile};
use crate::workstate::Work;
use ipvi_core::pipeline::Kept;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// The saved state besides the files' bytes (versioned through the file header).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SavedState {
    pub household_as_family: bool,
    pub work: Work,
    /// Relationship overrides, linkage decisions and the last lists.
    pub kept: Kept,
}

/// A workspace opened: what the app must take back.
#[derive(Clone, Debug)]
pub struct Restored {
    pub files: Vec<File>,
    pub work: Work,
    pub household_as_family: bool,
    pub kept: Kept,
}

/// Minutes without activity before the workspace locks.
pub const DEFAULT_LOCK_MINUTES: f64 = 15.0;
/// The exported file's name.
pub const EXPORT_NAME: &str = "ipvi-workspace.ipviw";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Checking,
    Empty,
    Locked,
    Unlocked,
}

#[derive(Properties, PartialEq)]
pub struct WorkspaceProps {
    pub work: Work,
    pub files: Vec<File>,
    pub household_as_family: bool,
    pub kept: Kept,
    pub on_restore: Callback<Restored>,
    /// Hidden while another screen is shown (it stays mounted to keep saving).
    pub hidden: bool,
}

fn input_value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn clock() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// Open `bytes` with `passphrase` and hand the contents to the app.
async fn open_and_restore(
    name: &str,
    bytes: &[u8],
    passphrase: &str,
    on_restore: &Callback<Restored>,
) -> Result<(Vault, Vec<SavedFile>), String> {
    let (vault, plain) = storage::open(name, bytes, passphrase).await?;
    let (state, saved_files) = wf::unpack(name, &plain).map_err(|e| e.to_string())?;
    let state: SavedState = serde_json::from_value(state).map_err(|e| {
        wf::WorkspaceFileError::Corrupt {
            file: name.into(),
            detail: format!("the saved settings: {e}"),
        }
        .to_string()
    })?;
    let mut files = Vec::with_capacity(saved_files.len());
    for f in &saved_files {
        files.push(storage::to_file(&f.name, &f.bytes)?);
    }
    on_restore.emit(Restored {
        files,
        work: state.work,
        household_as_family: state.household_as_family,
        kept: state.kept,
    });
    Ok((vault, saved_files))
}

/// The workspace screen. It stays mounted, hidden while other screens are shown, so that it
/// keeps saving and locking.
#[function_component(Workspace)]
pub fn workspace(p: &WorkspaceProps) -> Html {
    let vault: Rc<RefCell<Option<Rc<Vault>>>> = use_mut_ref(|| None);
    let cache: Rc<RefCell<(Vec<File>, Vec<SavedFile>)>> = use_mut_ref(|| (Vec::new(), Vec::new()));
    let generation = use_mut_ref(|| 0u32);
    let last_activity = use_mut_ref(now);
    let lock_minutes = use_state(|| DEFAULT_LOCK_MINUTES);
    let phase = use_state(|| Phase::Checking);
    let message = use_state(String::new);
    let status = use_state(String::new);
    let busy = use_state(|| false);
    let pass = use_node_ref();
    let pass2 = use_node_ref();

    // Is there a saved workspace?
    {
        let phase = phase.clone();
        let message = message.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match storage::load_stored().await {
                    Ok(Some(_)) => phase.set(Phase::Locked),
                    Ok(None) => phase.set(Phase::Empty),
                    Err(e) => {
                        message.set(e);
                        phase.set(Phase::Empty);
                    }
                }
            });
        });
    }

    // Inactivity: any key or pointer press counts; a check every 15 s locks when it is time.
    {
        let last_activity = last_activity.clone();
        let vault = vault.clone();
        let phase = phase.setter();
        let status = status.setter();
        let minutes = *lock_minutes;
        use_effect_with(minutes, move |&minutes| {
            let touch = {
                let last_activity = last_activity.clone();
                Closure::<dyn Fn()>::new(move || *last_activity.borrow_mut() = now())
            };
            let check = Closure::<dyn Fn()>::new(move || {
                if vault.borrow().is_some() && now() - *last_activity.borrow() > minutes * 60_000.0 {
                    vault.borrow_mut().take();
                    phase.set(Phase::Locked);
                    status.set(format!(
                        "Locked after {minutes} minutes without activity: the key was dropped. Enter the passphrase to keep saving."
                    ));
                }
            });
            let window = web_sys::window();
            let mut interval = None;
            if let Some(w) = &window {
                for ev in ["keydown", "pointerdown"] {
                    let _ = w.add_event_listener_with_callback(ev, touch.as_ref().unchecked_ref());
                }
                interval = w
                    .set_interval_with_callback_and_timeout_and_arguments_0(check.as_ref().unchecked_ref(), 15_000)
                    .ok();
            }
            move || {
                if let Some(w) = window {
                    for ev in ["keydown", "pointerdown"] {
                        let _ = w.remove_event_listener_with_callback(ev, touch.as_ref().unchecked_ref());
                    }
                    if let Some(id) = interval {
                        w.clear_interval_with_handle(id);
                    }
                }
                drop(check);
            }
        });
    }

    let state_json = serde_json::to_value(SavedState {
        household_as_family: p.household_as_family,
        work: p.work.clone(),
        kept: p.kept.clone(),
    })
    .unwrap_or_default();

    // Save: the files' bytes are read once per set of files and kept (so a restore in progress,
    // whose files are not loaded yet, does not save an empty workspace).
    let save = {
        let vault = vault.clone();
        let cache = cache.clone();
        let generation = generation.clone();
        let status = status.setter();
        let message = message.setter();
        let files = p.files.clone();
        let state_json = state_json.clone();
        move |delay_ms: u64| {
            let Some(v) = vault.borrow().clone() else { return };
            let gen = {
                let mut g = generation.borrow_mut();
                *g = g.wrapping_add(1);
                *g
            };
            let cache = cache.clone();
            let generation = generation.clone();
            let status = status.clone();
            let message = message.clone();
            let files = files.clone();
            let state_json = state_json.clone();
            spawn_local(async move {
                if delay_ms > 0 {
                    sleep(Duration::from_millis(delay_ms)).await;
                }
                if *generation.borrow() != gen {
                    return; // a newer save follows
                }
                if !files.is_empty() && cache.borrow().0 != files {
                    let mut saved = Vec::with_capacity(files.len());
                    for f in &files {
                        match files::read(f).await {
                            Ok(b) => saved.push(SavedFile {
                                name: f.name(),
                                bytes: js_sys::Uint8Array::new(&b).to_vec(),
                            }),
                            Err(e) => {
                                message.set(e);
                                return;
                            }
                        }
                    }
                    *cache.borrow_mut() = (files.clone(), saved);
                }
                let plain = wf::pack(&state_json, &cache.borrow().1);
                match v.seal(&plain).await {
                    Ok(sealed) => {
                        if *generation.borrow() != gen {
                            return;
                        }
                        match storage::store(&sealed).await {
                            Ok(()) => status.set(format!("Saved in this browser, encrypted, at {}.", clock())),
                            Err(e) => message.set(e),
                        }
                    }
                    Err(e) => message.set(e),
                }
            });
        }
    };

    // Save automatically after every change while unlocked.
    {
        let save = save.clone();
        let unlocked = *phase == Phase::Unlocked;
        use_effect_with(
            (state_json.clone(), p.files.clone(), unlocked),
            move |(_, _, unlocked)| {
                if *unlocked {
                    save(600);
                }
            },
        );
    }

    let on_create = {
        let vault = vault.clone();
        let phase = phase.clone();
        let message = message.clone();
        let status = status.clone();
        let busy = busy.clone();
        let (pass, pass2) = (pass.clone(), pass2.clone());
        let last_activity = last_activity.clone();
        Callback::from(move |_: MouseEvent| {
            let a = input_value(&pass);
            let b = input_value(&pass2);
            if a.chars().count() < 8 {
                message.set("Choose a passphrase of at least 8 characters (a few words are best).".into());
                return;
            }
            if a != b {
                message.set("The two passphrases differ. Type the same passphrase twice.".into());
                return;
            }
            if let Some(i) = pass.cast::<HtmlInputElement>() {
                i.set_value("");
            }
            if let Some(i) = pass2.cast::<HtmlInputElement>() {
                i.set_value("");
            }
            let (vault, phase, message, status, busy) = (
                vault.clone(),
                phase.clone(),
                message.clone(),
                status.clone(),
                busy.clone(),
            );
            *last_activity.borrow_mut() = now();
            busy.set(true);
            spawn_local(async move {
                match Vault::create(&a).await {
                    Ok(v) => {
                        *vault.borrow_mut() = Some(Rc::new(v));
                        message.set(String::new());
                        status.set("Workspace created: your work is saved in this browser, encrypted.".into());
                        phase.set(Phase::Unlocked);
                    }
                    Err(e) => message.set(e),
                }
                busy.set(false);
            });
        })
    };

    let on_unlock = {
        let vault = vault.clone();
        let phase = phase.clone();
        let message = message.clone();
        let status = status.clone();
        let busy = busy.clone();
        let pass = pass.clone();
        let cache = cache.clone();
        let on_restore = p.on_restore.clone();
        let last_activity = last_activity.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let passphrase = input_value(&pass);
            let (vault, phase, message, status, busy, cache, on_restore) = (
                vault.clone(),
                phase.clone(),
                message.clone(),
                status.clone(),
                busy.clone(),
                cache.clone(),
                on_restore.clone(),
            );
            let pass = pass.clone();
            *last_activity.borrow_mut() = now();
            busy.set(true);
            status.set("Opening the workspace…".into());
            spawn_local(async move {
                let stored = match storage::load_stored().await {
                    Ok(Some(b)) => b,
                    Ok(None) => {
                        message.set("There is no saved workspace in this browser.".into());
                        busy.set(false);
                        return;
                    }
                    Err(e) => {
                        message.set(e);
                        busy.set(false);
                        return;
                    }
                };
                match open_and_restore("The saved workspace", &stored, &passphrase, &on_restore).await {
                    Ok((v, saved)) => {
                        *cache.borrow_mut() = (Vec::new(), saved);
                        *vault.borrow_mut() = Some(Rc::new(v));
                        if let Some(i) = pass.cast::<HtmlInputElement>() {
                            i.set_value("");
                        }
                        message.set(String::new());
                        status.set("Workspace opened: your work is restored.".into());
                        phase.set(Phase::Unlocked);
                    }
                    Err(e) => {
                        status.set(String::new());
                        message.set(e);
                    }
                }
                busy.set(false);
            });
        })
    };

    let on_save_now = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save(0))
    };
    let on_lock = {
        let vault = vault.clone();
        let phase = phase.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            vault.borrow_mut().take();
            phase.set(Phase::Locked);
            status.set("Locked: the key was dropped. Enter the passphrase to keep saving.".into());
        })
    };
    let on_export = {
        let vault = vault.clone();
        let cache = cache.clone();
        let message = message.clone();
        let status = status.clone();
        let files = p.files.clone();
        let state_json = state_json.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(v) = vault.borrow().clone() else {
                message.set("Open the workspace with its passphrase first.".into());
                return;
            };
            let (cache, message, status, files, state_json) = (
                cache.clone(),
                message.clone(),
                status.clone(),
                files.clone(),
                state_json.clone(),
            );
            spawn_local(async move {
                if !files.is_empty() && cache.borrow().0 != files {
                    let mut saved = Vec::new();
                    for f in &files {
                        match files::read(f).await {
                            Ok(b) => saved.push(SavedFile {
                                name: f.name(),
                                bytes: js_sys::Uint8Array::new(&b).to_vec(),
                            }),
                            Err(e) => {
                                message.set(e);
                                return;
                            }
                        }
                    }
                    *cache.borrow_mut() = (files.clone(), saved);
                }
                let plain = wf::pack(&state_json, &cache.borrow().1);
                match v.seal(&plain).await {
                    Ok(sealed) => {
                        match crate::download::download_bytes(EXPORT_NAME, "application/octet-stream", &sealed) {
                            Ok(()) => {
                                status.set(format!("Exported {EXPORT_NAME} (encrypted with the same passphrase)."))
                            }
                            Err(e) => message.set(e),
                        }
                    }
                    Err(e) => message.set(e),
                }
            });
        })
    };
    let on_import = {
        let vault = vault.clone();
        let phase = phase.clone();
        let message = message.clone();
        let status = status.clone();
        let busy = busy.clone();
        let pass = pass.clone();
        let cache = cache.clone();
        let on_restore = p.on_restore.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let passphrase = input_value(&pass);
            let (vault, phase, message, status, busy, cache, on_restore) = (
                vault.clone(),
                phase.clone(),
                message.clone(),
                status.clone(),
                busy.clone(),
                cache.clone(),
                on_restore.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let name = file.name();
                let bytes = match files::read(&file).await {
                    Ok(b) => js_sys::Uint8Array::new(&b).to_vec(),
                    Err(e) => {
                        message.set(e);
                        busy.set(false);
                        return;
                    }
                };
                // Check the header before asking for the passphrase's slow key derivation.
                if let Err(e) = wf::parse(&name, &bytes) {
                    message.set(e.to_string());
                    busy.set(false);
                    return;
                }
                if passphrase.is_empty() {
                    message.set(format!(
                        "Type the passphrase of {name} above, then choose the file again. Nothing was changed."
                    ));
                    busy.set(false);
                    return;
                }
                status.set(format!("Opening {name}…"));
                match open_and_restore(&name, &bytes, &passphrase, &on_restore).await {
                    Ok((v, saved)) => {
                        *cache.borrow_mut() = (Vec::new(), saved);
                        *vault.borrow_mut() = Some(Rc::new(v));
                        message.set(String::new());
                        match storage::store(&bytes).await {
                            Ok(()) => status.set(format!(
                                "Imported {name}: your work is restored and saved in this browser."
                            )),
                            Err(e) => message.set(e),
                        }
                        phase.set(Phase::Unlocked);
                    }
                    Err(e) => {
                        status.set(String::new());
                        message.set(e);
                    }
                }
                busy.set(false);
            });
        })
    };
    let on_minutes = {
        let lock_minutes = lock_minutes.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Some(m) = v.trim().parse::<f64>().ok().filter(|m| *m >= 1.0 && *m <= 24.0 * 60.0) {
                lock_minutes.set(m);
            }
        })
    };

    let phase_text = match *phase {
        Phase::Checking => "Checking this browser for a saved workspace…",
        Phase::Empty => "No workspace is saved in this browser. Set a passphrase to save your work, encrypted.",
        Phase::Locked => "A workspace is saved in this browser, locked. Enter its passphrase to open it.",
        Phase::Unlocked => "The workspace is open: changes are saved automatically, encrypted.",
    };
    html! {
        <section class="panel screen" id="workspace" aria-labelledby="workspace-title" data-phase={format!("{:?}", *phase).to_lowercase()} hidden={p.hidden}>
            <h2 id="workspace-title">{ "Workspace" }</h2>
            <p id="workspace-phase">{ phase_text }</p>
            <form class="workspace-form" onsubmit={on_unlock}>
                <label for="workspace-passphrase">{ "Passphrase" }</label>
                <input id="workspace-passphrase" type="password" autocomplete="current-password" ref={pass} />
                if *phase == Phase::Empty {
                    <label for="workspace-passphrase2">{ "The same passphrase again" }</label>
                    <input id="workspace-passphrase2" type="password" autocomplete="new-password" ref={pass2} />
                    <button type="button" id="workspace-create" onclick={on_create} disabled={*busy}>{ "Set the passphrase and save" }</button>
                }
                if *phase == Phase::Locked {
                    <button type="submit" id="workspace-unlock" disabled={*busy}>{ "Open" }</button>
                }
            </form>
            if *phase == Phase::Unlocked {
                <div class="buttons">
                    <button type="button" id="workspace-save" onclick={on_save_now}>{ "Save now" }</button>
                    <button type="button" id="workspace-lock" class="secondary" onclick={on_lock}>{ "Lock" }</button>
                    <button type="button" id="export-workspace" class="secondary" onclick={on_export}>{ "Export the workspace (encrypted file)" }</button>
                </div>
            }
            <p>
                <label for="import-workspace">{ "Import a workspace file (type its passphrase above first) " }</label>
                <input id="import-workspace" type="file" accept=".ipviw" onchange={on_import} disabled={*busy} />
            </p>
            <p>
                <label for="workspace-timeout">{ "Lock after this many minutes without activity " }</label>
                <input id="workspace-timeout" type="number" min="1" value={lock_minutes.to_string()} onchange={on_minutes} />
            </p>
            <p id="workspace-status" role="status" aria-live="polite">{ (*status).clone() }</p>
            if !message.is_empty() {
                <p id="workspace-message" class="alert" role="alert">{ (*message).clone() }</p>
            }
        </section>
    }
}
