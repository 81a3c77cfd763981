//! The root component's effects, one hook each: the analysis worker of each generation, the
//! import profiles kept in this browser, the guard against drops that would leave the page, the
//! idle lock, and the request for the open person's linkage explanation.

use crate::protocol::ToWorker;
use crate::state::{Action, AppState};
use crate::worker_client::{WorkerClient, WorkerEvent};
use ipvi_core::import::Profile;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One worker per generation: the reducer bumps the generation when it must be replaced; the
/// old client is dropped (which terminates its worker) and a new one spawned.
#[hook]
pub fn use_worker(
    generation: u32,
    worker: Rc<RefCell<Option<WorkerClient>>>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    use_effect_with(generation, move |&generation| {
        let on_event = Callback::from(move |ev: WorkerEvent| match ev {
            WorkerEvent::Message { msg, decode_ms } => dispatcher.dispatch(Action::Worker {
                generation,
                msg,
                decode_ms,
            }),
            WorkerEvent::Died(message) => dispatcher.dispatch(Action::WorkerDied { generation, message }),
        });
        match WorkerClient::spawn(on_event.clone()) {
            Ok(client) => *worker.borrow_mut() = Some(client),
            Err(message) => {
                *worker.borrow_mut() = None;
                on_event.emit(WorkerEvent::Died(message));
            }
        }
        move || {
            // Dropping the client terminates the worker.
            worker.borrow_mut().take();
        }
    });
}

/// Saved profiles are kept in this browser's storage whenever they change; entries that could
/// not be read back (`notes`) are said once.
#[hook]
pub fn use_kept_profiles(notes: Vec<String>, profiles: Vec<Profile>, dispatcher: UseReducerDispatcher<AppState>) {
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            for n in notes {
                dispatcher.dispatch(Action::Alert(n));
            }
        });
    }
    use_effect_with(profiles, move |profiles| {
        if let Err(e) = crate::profile_store::save(profiles) {
            dispatcher.dispatch(Action::Alert(e));
        }
    });
}

/// A file dropped next to the drop zone must not make the browser leave the page to show it.
#[hook]
pub fn use_drop_guard() {
    use_effect_with((), |_| {
        let guard = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
            // File inputs take drops themselves.
            let on_file_input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.type_() == "file");
            if !on_file_input {
                e.prevent_default();
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            for kind in ["dragover", "drop"] {
                let _ = w.add_event_listener_with_callback(kind, guard.as_ref().unchecked_ref());
            }
        }
        move || {
            if let Some(w) = &window {
                for kind in ["dragover", "drop"] {
                    let _ = w.remove_event_listener_with_callback(kind, guard.as_ref().unchecked_ref());
                }
            }
        }
    });
}

/// Inactivity: any key or pointer press counts; a check every 15 s calls `do_lock` when the page
/// has been idle for `minutes` and has something to clear (`lockable`, as of the last render).
#[hook]
pub fn use_idle_lock(minutes: u32, lockable: bool, do_lock: Callback<()>) {
    let lockable_now = use_mut_ref(|| false);
    *lockable_now.borrow_mut() = lockable;
    use_effect_with(minutes, move |&minutes| {
        let last_activity = Rc::new(RefCell::new(js_sys::Date::now()));
        let touch = {
            let last_activity = last_activity.clone();
            Closure::<dyn Fn()>::new(move || *last_activity.borrow_mut() = js_sys::Date::now())
        };
        let check = Closure::<dyn Fn()>::new(move || {
            let idle = js_sys::Date::now() - *last_activity.borrow();
            if *lockable_now.borrow() && idle > f64::from(minutes) * 60_000.0 {
                *last_activity.borrow_mut() = js_sys::Date::now();
                do_lock.emit(());
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

/// Ask the worker why the open person's records are one person, whenever the person, the
/// inquiry (`(job id, generation)` of the worker holding it) or the worker changes, and only from
/// the worker that holds the data.
#[hook]
pub fn use_explain(
    person: Option<String>,
    loaded: Option<(u32, u32)>,
    generation: u32,
    worker: Rc<RefCell<Option<WorkerClient>>>,
) {
    use_effect_with((person, loaded, generation), move |(person, loaded, generation)| {
        if let (Some(person_id), Some((_, held_by))) = (person, loaded) {
            if held_by == generation {
                if let Some(w) = worker.borrow().as_ref() {
                    let _ = w.send(
                        &ToWorker::Explain {
                            person_id: person_id.clone(),
                        },
                        Vec::new(),
                    );
                }
            }
        }
    });
}
