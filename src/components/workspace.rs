//! The encrypted workspace screen: set a passphrase, then the work is saved in this browser
//! (IndexedDB, AES-GCM, see [`crate::storage`]) automatically after every change; it is exported
//! and imported as one encrypted file. A wrong passphrase or damaged file, a truncated file and a
//! file from a newer version each get a message, and nothing is changed.
//!
//! When the app locks the page (`locked`: by hand or after the idle time), this component drops
//! the key and the files' bytes it keeps for saving, saves the last changes first, and becomes
//! the lock screen: only the unlock form (or, with no workspace saved, a notice). Passphrase
//! boxes are emptied after every attempt and are not offered to password managers (no form is
//! submitted; `autocomplete` is `off` or `new-password`).

use crate::files;
use crate::storage::{self, Vault};
use crate::workspace_file::{self as wf, SavedFile};
use crate::workstate::Work;
use ipvi_core::pipeline::Kept;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
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

/// The state of one render, as a save needs it (shared, not copied: see [`ToSave::json`]).
#[derive(Clone, Debug, PartialEq)]
struct ToSave {
    household_as_family: bool,
    work: Work,
    kept: Rc<Kept>,
}

impl ToSave {
    /// The saved state as the workspace file holds it.
    fn json(&self) -> serde_json::Value {
        serde_json::to_value(SavedState {
            household_as_family: self.household_as_family,
            work: self.work.clone(),
            kept: (*self.kept).clone(),
        })
        .unwrap_or_default()
    }
}

/// The saved state and the files of one render, as a save needs them.
type Snapshot = (ToSave, Vec<File>);

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
    pub kept: Rc<Kept>,
    pub on_restore: Callback<Restored>,
    /// Hidden while another screen is shown (it stays mounted to keep saving).
    pub hidden: bool,
    /// The page is locked: drop the key and show only the unlock form.
    #[prop_or_default]
    pub locked: bool,
    /// Lock the page (the Lock button).
    #[prop_or_default]
    pub on_lock: Callback<()>,
    /// Leave the lock screen without opening the workspace (nothing is loaded then).
    #[prop_or_default]
    pub on_leave: Callback<()>,
    /// The workspace was opened (`true`) or closed.
    #[prop_or_default]
    pub on_open_change: Callback<bool>,
    /// Minutes without activity before the page locks, and its change.
    #[prop_or(crate::lock_store::DEFAULT_MINUTES)]
    pub lock_minutes: u32,
    #[prop_or_default]
    pub on_lock_minutes: Callback<u32>,
}

fn input_value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

/// Empty the passphrase boxes.
fn clear(boxes: &[&NodeRef]) {
    for b in boxes {
        if let Some(i) = b.cast::<HtmlInputElement>() {
            i.set_value("");
        }
    }
}

fn clock() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// A save time as "2026-12-06 14:02" in this computer's time, or `None` when unknown.
fn saved_on(ms: u64) -> Option<String> {
    (ms > 0).then(|| {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        )
    })
}

/// The files' bytes for a save: the cached ones while the files are the same (or not loaded yet,
/// during a restore), else read again.
async fn bytes_for(files: &[File], cached: &(Vec<File>, Vec<SavedFile>)) -> Result<Option<Vec<SavedFile>>, String> {
    if files.is_empty() || cached.0 == files {
        return Ok(None);
    }
    let mut saved = Vec::with_capacity(files.len());
    for f in files {
        let b = files::read(f).await?;
        saved.push(SavedFile {
            name: f.name(),
            bytes: js_sys::Uint8Array::new(&b).to_vec(),
        });
    }
    Ok(Some(saved))
}

/// Seal `plain` and keep it in this browser; remembers the save's number. Returns it.
async fn seal_and_store(v: &Vault, plain: &[u8]) -> Result<(Vec<u8>, u32), String> {
    let (sealed, saves) = v.seal(plain).await?;
    storage::store(&sealed).await?;
    // Only a number per workspace; failing to keep it loses nothing but the older-copy warning.
    let _ = crate::lock_store::remember(&v.id(), saves);
    Ok((sealed, saves))
}

/// What opening a file says: its save count and time, and a warning if it is an older copy.
struct Opened {
    vault: Vault,
    saved: Vec<SavedFile>,
    saves_text: String,
    warning: Option<String>,
}

/// Open `bytes` with `passphrase` and hand the contents to the app.
async fn open_and_restore(
    name: &str,
    bytes: &[u8],
    passphrase: &str,
    on_restore: &Callback<Restored>,
) -> Result<Opened, String> {
    let (vault, plain, header) = storage::open(name, bytes, passphrase).await?;
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
    let seen = crate::lock_store::seen(&vault.id());
    let warning = wf::older_copy_warning(name, header.saves, seen);
    // The counter goes on from the newest save this browser knows, so it never goes back.
    vault.count_from(seen.unwrap_or(0));
    let _ = crate::lock_store::remember(&vault.id(), header.saves);
    on_restore.emit(Restored {
        files,
        work: state.work,
        household_as_family: state.household_as_family,
        kept: state.kept,
    });
    Ok(Opened {
        vault,
        saved: saved_files,
        saves_text: wf::saves_text(header.saves, saved_on(header.saved_at_ms).as_deref()),
        warning,
    })
}

/// The workspace screen. It stays mounted, hidden while other screens are shown, so that it
/// keeps saving; while the page is locked it is the lock screen.
/// The open workspace's key, shared by the screen's tasks.
type VaultCell = Rc<RefCell<Option<Rc<Vault>>>>;
/// The files saved last and their bytes, read once per set of files.
type FileCache = Rc<RefCell<(Vec<File>, Vec<SavedFile>)>>;

/// The screen's messages and state, cloned into its tasks as one value.
#[derive(Clone)]
struct Ui {
    phase: UseStateHandle<Phase>,
    message: UseStateHandle<String>,
    warning: UseStateHandle<String>,
    status: UseStateHandle<String>,
    busy: UseStateHandle<bool>,
}

/// Export: save (the copy in this browser is the same file, same number), then download it.
async fn export_file(
    ui: Ui,
    v: Rc<Vault>,
    cache: Rc<RefCell<(Vec<File>, Vec<SavedFile>)>>,
    files: Vec<File>,
    to_save: ToSave,
) {
    let cached = cache.borrow().clone();
    match bytes_for(&files, &cached).await {
        Ok(Some(read)) => *cache.borrow_mut() = (files.clone(), read),
        Ok(None) => {}
        Err(e) => {
            ui.message.set(e);
            return;
        }
    }
    let plain = wf::pack(&to_save.json(), &cache.borrow().1);
    match seal_and_store(&v, &plain).await {
        Ok((sealed, saves)) => {
            match crate::download::download_bytes(EXPORT_NAME, "application/octet-stream", &sealed) {
                Ok(()) => ui.status.set(format!(
                    "Exported {EXPORT_NAME} (encrypted with the same passphrase; save number {saves})."
                )),
                Err(e) => ui.message.set(e),
            }
        }
        Err(e) => ui.message.set(e),
    }
}

/// Import a workspace file: check its header first (before the passphrase's slow key
/// derivation), open it, restore the work and keep it in this browser.
async fn import_file(
    ui: Ui,
    file: File,
    passphrase: String,
    (vault, cache): (VaultCell, FileCache),
    on_restore: Callback<Restored>,
) {
    let name = file.name();
    let bytes = match files::read(&file).await {
        Ok(b) => js_sys::Uint8Array::new(&b).to_vec(),
        Err(e) => {
            ui.message.set(e);
            ui.busy.set(false);
            return;
        }
    };
    if let Err(e) = wf::parse(&name, &bytes) {
        ui.message.set(e.to_string());
        ui.busy.set(false);
        return;
    }
    if passphrase.is_empty() {
        ui.message.set(format!(
            "Type the passphrase of {name} above, then choose the file again. Nothing was changed."
        ));
        ui.busy.set(false);
        return;
    }
    ui.status.set(format!("Opening {name}…"));
    match open_and_restore(&name, &bytes, &passphrase, &on_restore).await {
        Ok(o) => {
            *cache.borrow_mut() = (Vec::new(), o.saved);
            *vault.borrow_mut() = Some(Rc::new(o.vault));
            ui.message.set(String::new());
            ui.warning.set(o.warning.unwrap_or_default());
            match storage::store(&bytes).await {
                Ok(()) => ui.status.set(format!(
                    "Imported {name} ({}): your work is restored and saved in this browser.",
                    o.saves_text
                )),
                Err(e) => ui.message.set(e),
            }
            ui.phase.set(Phase::Unlocked);
        }
        Err(e) => {
            ui.status.set(String::new());
            ui.message.set(e);
        }
    }
    ui.busy.set(false);
}

/// Create the workspace: derive the key from the new passphrase; saving starts.
async fn create(ui: Ui, passphrase: String, vault: VaultCell) {
    match Vault::create(&passphrase).await {
        Ok(v) => {
            *vault.borrow_mut() = Some(Rc::new(v));
            ui.message.set(String::new());
            ui.status
                .set("Workspace created: your work is saved in this browser, encrypted.".into());
            ui.phase.set(Phase::Unlocked);
        }
        Err(e) => ui.message.set(e),
    }
    ui.busy.set(false);
}

/// Open the workspace saved in this browser with the passphrase typed on the lock screen.
async fn unlock_stored(
    ui: Ui,
    passphrase: String,
    (vault, cache): (VaultCell, FileCache),
    on_restore: Callback<Restored>,
) {
    let stored = match storage::load_stored().await {
        Ok(Some(b)) => b,
        Ok(None) => {
            ui.message.set("There is no saved workspace in this browser.".into());
            ui.busy.set(false);
            return;
        }
        Err(e) => {
            ui.message.set(e);
            ui.busy.set(false);
            return;
        }
    };
    match open_and_restore("The saved workspace", &stored, &passphrase, &on_restore).await {
        Ok(o) => {
            *cache.borrow_mut() = (Vec::new(), o.saved);
            *vault.borrow_mut() = Some(Rc::new(o.vault));
            ui.message.set(String::new());
            ui.warning.set(o.warning.unwrap_or_default());
            ui.status
                .set(format!("Workspace opened ({}): your work is restored.", o.saves_text));
            ui.phase.set(Phase::Unlocked);
        }
        Err(e) => {
            ui.status.set(String::new());
            ui.message.set(e);
        }
    }
    ui.busy.set(false);
}

/// The idle time typed in: kept and said, or the reason it is refused.
fn set_minutes(ui: &Ui, input: &HtmlInputElement, on_lock_minutes: &Callback<u32>) {
    match crate::lock_store::parse_minutes(&input.value()) {
        Ok(m) => {
            input.set_value(&m.to_string());
            ui.message.set(String::new());
            ui.status.set(format!(
                "The page locks after {m} minute{} without activity.",
                if m == 1 { "" } else { "s" }
            ));
            on_lock_minutes.emit(m);
        }
        Err(e) => ui.message.set(e),
    }
}

#[function_component(Workspace)]
pub fn workspace(p: &WorkspaceProps) -> Html {
    let vault: VaultCell = use_mut_ref(|| None);
    let cache: FileCache = use_mut_ref(|| (Vec::new(), Vec::new()));
    let generation = use_mut_ref(|| 0u32);
    // The state and files of the last render while not locked: the lock saves them one last time.
    let latest: Rc<RefCell<Option<Snapshot>>> = use_mut_ref(|| None);
    let phase = use_state(|| Phase::Checking);
    let message = use_state(String::new);
    let warning = use_state(String::new);
    let status = use_state(String::new);
    let busy = use_state(|| false);
    let pass = use_node_ref();
    let pass2 = use_node_ref();
    let ui = Ui {
        phase: phase.clone(),
        message: message.clone(),
        warning: warning.clone(),
        status: status.clone(),
        busy: busy.clone(),
    };

    // Is there a saved workspace?
    {
        let phase = phase.clone();
        let message = message.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                show_stored(&phase, &message).await;
            });
        });
    }

    // The app knows whether a workspace is open (an open one locks after the idle time).
    {
        let on_open_change = p.on_open_change.clone();
        use_effect_with(*phase, move |ph| on_open_change.emit(*ph == Phase::Unlocked));
    }

    // Serialised only when a save runs: a large inquiry's last lists take tens of milliseconds.
    let to_save = ToSave {
        household_as_family: p.household_as_family,
        work: p.work.clone(),
        kept: p.kept.clone(),
    };
    if !p.locked {
        *latest.borrow_mut() = Some((to_save.clone(), p.files.clone()));
    }

    // Locked: save the last changes, then drop the key, the files' bytes and the passphrase boxes'
    // contents; the screen shows the unlock form if a workspace is saved, else a notice.
    {
        let (vault, cache, generation, latest) = (vault.clone(), cache.clone(), generation.clone(), latest.clone());
        let (phase, message, warning, status) = (phase.clone(), message.clone(), warning.clone(), status.clone());
        let (pass, pass2) = (pass.clone(), pass2.clone());
        use_effect_with(p.locked, move |&locked| {
            if locked {
                let v = vault.borrow_mut().take();
                let last = latest.borrow_mut().take();
                let cached = std::mem::take(&mut *cache.borrow_mut());
                {
                    let mut g = generation.borrow_mut();
                    *g = g.wrapping_add(1); // pending saves give way to this last one
                }
                clear(&[&pass, &pass2]);
                message.set(String::new());
                warning.set(String::new());
                status.set(String::new());
                spawn_local(async move {
                    if let (Some(v), Some((to_save, files))) = (v, last) {
                        let saved = match bytes_for(&files, &cached).await {
                            Ok(Some(read)) => read,
                            Ok(None) => cached.1,
                            Err(e) => {
                                message.set(e);
                                Vec::new()
                            }
                        };
                        if message.is_empty() {
                            if let Err(e) = seal_and_store(&v, &wf::pack(&to_save.json(), &saved)).await {
                                message.set(e);
                            }
                        }
                    }
                    show_stored(&phase, &message).await;
                });
            }
        });
    }

    // On the lock screen the keyboard starts in the passphrase box (or on "Start again").
    {
        let pass = pass.clone();
        use_effect_with((p.locked, *phase), move |&(locked, phase)| {
            if locked {
                let target = match phase {
                    Phase::Locked => pass.cast::<web_sys::HtmlElement>(),
                    _ => web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("lock-leave"))
                        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()),
                };
                if let Some(t) = target {
                    let _ = t.focus();
                }
            }
        });
    }

    // Save: the files' bytes are read once per set of files and kept (so a restore in progress,
    // whose files are not loaded yet, does not save an empty workspace).
    let save = {
        let vault = vault.clone();
        let cache = cache.clone();
        let generation = generation.clone();
        let status = status.setter();
        let message = message.setter();
        let files = p.files.clone();
        let to_save = to_save.clone();
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
            let to_save = to_save.clone();
            spawn_local(async move {
                if delay_ms > 0 {
                    sleep(Duration::from_millis(delay_ms)).await;
                }
                if *generation.borrow() != gen {
                    return; // a newer save follows, or the page was locked
                }
                let cached = cache.borrow().clone();
                match bytes_for(&files, &cached).await {
                    Ok(Some(read)) => {
                        if *generation.borrow() != gen {
                            return;
                        }
                        *cache.borrow_mut() = (files.clone(), read);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        message.set(e);
                        return;
                    }
                }
                let plain = wf::pack(&to_save.json(), &cache.borrow().1);
                match v.seal(&plain).await {
                    Ok((sealed, saves)) => {
                        if *generation.borrow() != gen {
                            return;
                        }
                        match storage::store(&sealed).await {
                            Ok(()) => {
                                let _ = crate::lock_store::remember(&v.id(), saves);
                                status.set(format!("Saved in this browser, encrypted, at {}.", clock()))
                            }
                            Err(e) => message.set(e),
                        }
                    }
                    Err(e) => message.set(e),
                }
            });
        }
    };

    // Save automatically after every change while open.
    {
        let save = save.clone();
        let unlocked = *phase == Phase::Unlocked && !p.locked;
        use_effect_with((to_save.clone(), p.files.clone(), unlocked), move |(_, _, unlocked)| {
            if *unlocked {
                save(600);
            }
        });
    }

    let on_create = {
        let (ui, vault, pass, pass2) = (ui.clone(), vault.clone(), pass.clone(), pass2.clone());
        Callback::from(move |_: MouseEvent| {
            let (a, b) = (input_value(&pass), input_value(&pass2));
            clear(&[&pass, &pass2]);
            if a.chars().count() < 8 {
                ui.message.set(
                    "Choose a passphrase of at least 8 characters (a few words are best), and type it twice.".into(),
                );
            } else if a != b {
                ui.message
                    .set("The two passphrases differ. Type the same passphrase twice.".into());
            } else {
                ui.busy.set(true);
                spawn_local(create(ui.clone(), a, vault.clone()));
            }
        })
    };

    let unlock = {
        let (ui, vault, cache, pass, on_restore) = (
            ui.clone(),
            vault.clone(),
            cache.clone(),
            pass.clone(),
            p.on_restore.clone(),
        );
        Callback::from(move |()| {
            if *ui.busy || *ui.phase != Phase::Locked {
                return;
            }
            let passphrase = input_value(&pass);
            clear(&[&pass]);
            if passphrase.is_empty() {
                ui.message.set("Type the passphrase first.".into());
                return;
            }
            ui.busy.set(true);
            ui.status.set("Opening the workspace…".into());
            spawn_local(unlock_stored(
                ui.clone(),
                passphrase,
                (vault.clone(), cache.clone()),
                on_restore.clone(),
            ));
        })
    };
    let on_unlock_click = unlock.reform(|_: MouseEvent| ());
    let on_pass_key = {
        let unlock = unlock.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                unlock.emit(());
            }
        })
    };

    let on_save_now = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save(0))
    };
    let on_lock = p.on_lock.reform(|_: MouseEvent| ());
    let on_leave = p.on_leave.reform(|_: MouseEvent| ());
    let on_export = {
        let (ui, vault, cache, files, to_save) = (
            ui.clone(),
            vault.clone(),
            cache.clone(),
            p.files.clone(),
            to_save.clone(),
        );
        Callback::from(move |_: MouseEvent| match vault.borrow().clone() {
            Some(v) => spawn_local(export_file(
                ui.clone(),
                v,
                cache.clone(),
                files.clone(),
                to_save.clone(),
            )),
            None => ui.message.set("Open the workspace with its passphrase first.".into()),
        })
    };
    let on_import = {
        let (ui, vault, cache, pass, on_restore) = (
            ui.clone(),
            vault.clone(),
            cache.clone(),
            pass.clone(),
            p.on_restore.clone(),
        );
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let passphrase = input_value(&pass);
            clear(&[&pass]);
            ui.busy.set(true);
            spawn_local(import_file(
                ui.clone(),
                file,
                passphrase,
                (vault.clone(), cache.clone()),
                on_restore.clone(),
            ));
        })
    };
    let on_minutes = {
        let (ui, on_lock_minutes) = (ui.clone(), p.on_lock_minutes.clone());
        Callback::from(move |e: Event| {
            set_minutes(&ui, &e.target_unchecked_into::<HtmlInputElement>(), &on_lock_minutes)
        })
    };

    let notes = html! {
        <>
            <p id="workspace-status" role="status" aria-live="polite">{ (*status).clone() }</p>
            if !warning.is_empty() {
                <p id="workspace-warning" class="alert" role="alert">{ (*warning).clone() }</p>
            }
            if !message.is_empty() {
                <p id="workspace-message" class="alert" role="alert">{ (*message).clone() }</p>
            }
        </>
    };
    let phase_name = format!("{:?}", *phase).to_lowercase();
    let passphrase_box = html! {
        <>
            <label for="workspace-passphrase">{ "Passphrase" }</label>
            <input id="workspace-passphrase" type="password" autocomplete="off" spellcheck="false"
                data-lpignore="true" ref={pass.clone()} onkeydown={on_pass_key} />
        </>
    };

    if p.locked {
        return html! {
            <section class="panel screen lock-screen" id="workspace" aria-labelledby="workspace-title"
                data-phase={phase_name} data-locked="true">
                <h2 id="workspace-title">{ "Locked" }</h2>
                <p id="lock-notice">
                    { "The page is locked: every result and every loaded file was cleared from this page and from the analysis worker." }
                </p>
                if *phase == Phase::Locked {
                    <p>{ "Enter the passphrase to open the workspace again." }</p>
                    <div class="workspace-form" role="group" aria-label="Open the workspace">
                        { passphrase_box }
                        <button type="button" id="workspace-unlock" onclick={on_unlock_click} disabled={*busy}>{ "Open" }</button>
                    </div>
                    <p><button type="button" id="lock-leave" class="secondary" onclick={on_leave}>{ "Go on without opening the workspace" }</button></p>
                } else if *phase == Phase::Empty {
                    <p>{ "No workspace is saved in this browser, so nothing can be opened: load the files again to go on." }</p>
                    <p><button type="button" id="lock-leave" onclick={on_leave}>{ "Start again" }</button></p>
                } else {
                    <p>{ "Saving the last changes…" }</p>
                }
                { notes }
            </section>
        };
    }

    let phase_text = match *phase {
        Phase::Checking => "Checking this browser for a saved workspace…",
        Phase::Empty => "No workspace is saved in this browser. Set a passphrase to save your work, encrypted.",
        Phase::Locked => "A workspace is saved in this browser, locked. Enter its passphrase to open it.",
        Phase::Unlocked => "The workspace is open: changes are saved automatically, encrypted.",
    };
    html! {
        <section class="panel screen" id="workspace" aria-labelledby="workspace-title" data-phase={phase_name} hidden={p.hidden}>
            <h2 id="workspace-title">{ "Encrypted workspace" }</h2>
            <p id="workspace-phase">{ phase_text }</p>
            <div class="workspace-form" role="group" aria-label="Passphrase">
                { passphrase_box }
                if *phase == Phase::Empty {
                    <label for="workspace-passphrase2">{ "The same passphrase again" }</label>
                    <input id="workspace-passphrase2" type="password" autocomplete="new-password" spellcheck="false"
                        data-lpignore="true" ref={pass2} />
                    <button type="button" id="workspace-create" onclick={on_create} disabled={*busy}>{ "Set the passphrase and save" }</button>
                }
                if *phase == Phase::Locked {
                    <button type="button" id="workspace-unlock" onclick={on_unlock_click} disabled={*busy}>{ "Open" }</button>
                }
            </div>
            <div class="buttons">
                if *phase == Phase::Unlocked {
                    <button type="button" id="workspace-save" onclick={on_save_now}>{ "Save now" }</button>
                    <button type="button" id="export-workspace" class="secondary" onclick={on_export}>{ "Export the workspace (encrypted file)" }</button>
                }
                <button type="button" id="workspace-lock" class="secondary" onclick={on_lock}>{ "Lock now" }</button>
            </div>
            <p>
                <label for="import-workspace">{ "Import a workspace file (type its passphrase above first) " }</label>
                <input id="import-workspace" type="file" accept=".ipviw" onchange={on_import} disabled={*busy} />
            </p>
            <p>
                <label for="workspace-timeout">{ "Lock the page after this many minutes without activity (1 to 30) " }</label>
                <input id="workspace-timeout" type="number" min="1" max={crate::lock_store::MAX_MINUTES.to_string()} step="1"
                    value={p.lock_minutes.to_string()} onchange={on_minutes} />
            </p>
            <p class="hint">{ "Locking clears every result and loaded file from this page and from the analysis worker; with a workspace, the passphrase opens it again." }</p>
            { notes }
        </section>
    }
}

/// Show whether a workspace is stored in this browser: locked when there is one, empty when not
/// (with the reason when the storage cannot be read).
async fn show_stored(phase: &UseStateHandle<Phase>, message: &UseStateHandle<String>) {
    match storage::load_stored().await {
        Ok(Some(_)) => phase.set(Phase::Locked),
        Ok(None) => phase.set(Phase::Empty),
        Err(e) => {
            message.set(e);
            phase.set(Phase::Empty);
        }
    }
}
