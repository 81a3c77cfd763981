//! The root component: owns the app state (a reducer), the analysis worker and the job flow
//! (choose files → read them → send them to the worker → show the result), and the lock: by hand
//! or after the idle time it clears every result and loaded file from the page, replaces the
//! worker (dropping what it held) and shows only the workspace's unlock form.

use super::alerts::Alerts;
use super::audit_view::AuditView;
use super::class_summary::ClassSummary;
use super::file_picker::{FilePicker, Picked};
use super::import_report::ImportReportView;
use super::inquiry_screens::InquiryScreens;
use super::mapping_screen::MappingScreen;
use super::offenses_table::OffensesTable;
use super::pairs_table::PairsTable;
use super::profiles_panel::ProfilesPanel;
use super::progress_panel::ProgressPanel;
use super::sample_data::SampleData;
use super::screens::{use_hash, Screens};
use super::settings::Settings;
use super::victims_by_sex::VictimsBySex;
use super::workspace::{Restored, Workspace};
use crate::files;
use crate::protocol::ToWorker;
use crate::state::{Action, AppState};
use crate::worker_client::{WorkerClient, WorkerEvent};
use ipvi_core::classify::CodeTable;
use ipvi_core::import::Profile;
use ipvi_core::pipeline::Kept;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::File;
use yew::platform::spawn_local;
use yew::prelude::*;

/// How the generic import runs: the analyst's saved profiles and the mapping just confirmed.
#[derive(Clone, Default)]
struct ImportOptions {
    profiles: Vec<Profile>,
    confirmed: Option<Profile>,
}

/// Hand the chosen files to the worker, reporting to the reducer. Every file — the FBI extract,
/// any agency export — goes to the generic import as a `File` handle (the worker reads it in
/// slices), then to the one inquiry.
async fn run_job(
    picked: Picked,
    job_id: u32,
    active: Rc<RefCell<u32>>,
    worker: Rc<RefCell<Option<WorkerClient>>>,
    last_files: Rc<RefCell<Vec<File>>>,
    (code_table, kept, import): (CodeTable, Kept, ImportOptions),
    dispatch: Callback<Action>,
) {
    let chosen: Vec<File> = match picked {
        Picked::Files(f) => f,
        Picked::Entries(entries, mut plain) => match files::walk(entries).await {
            Ok(mut walked) => {
                walked.append(&mut plain);
                walked
            }
            Err(e) => {
                dispatch.emit(Action::Alert(e));
                return;
            }
        },
    };
    let (csv, skipped): (Vec<File>, Vec<File>) = chosen.into_iter().partition(|f| files::is_table_file(&f.name()));
    let skipped: Vec<String> = skipped.iter().map(|f| f.name()).collect();
    if csv.is_empty() {
        dispatch.emit(Action::NothingToLoad { skipped });
        return;
    }
    let names: Vec<String> = csv.iter().map(|f| f.name()).collect();
    last_files.borrow_mut().clone_from(&csv);
    *active.borrow_mut() = job_id;
    dispatch.emit(Action::Start {
        job_id,
        files: names.clone(),
        skipped,
    });
    if let Some(big) = csv
        .iter()
        .find(|f| f.size() > ipvi_core::import::MAX_BROWSER_BYTES as f64)
    {
        let error = ipvi_core::import::too_big_message(&big.name(), big.size() as u64);
        dispatch.emit(Action::PageFailed { job_id, error });
        return;
    }
    if *active.borrow() != job_id {
        return; // cancelled meanwhile
    }
    let sent = match worker.borrow().as_ref() {
        Some(w) => w.send_files(
            &ToWorker::Import {
                job_id,
                file_names: names,
                kept,
                profiles: import.profiles,
                confirmed: import.confirmed.map(Box::new),
                code_table,
            },
            &csv,
        ),
        None => Err("the analysis worker is not running; reload the page".to_string()),
    };
    if let Err(error) = sent {
        dispatch.emit(Action::PageFailed { job_id, error });
    }
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    // The import profiles kept in this browser (no data values, so no passphrase): read once.
    let stored = use_memo((), |_| crate::profile_store::load());
    let state = {
        let profiles = stored.0.clone();
        use_reducer(move || {
            let mut s = AppState::default();
            s.work.profiles = profiles;
            s
        })
    };
    let worker: Rc<RefCell<Option<WorkerClient>>> = use_mut_ref(|| None);
    let next_job = use_mut_ref(|| 0u32);
    let active: Rc<RefCell<u32>> = use_mut_ref(|| 0u32);
    // The CSV files of the last job, to analyse again with other settings.
    let last_files: Rc<RefCell<Vec<File>>> = use_mut_ref(Vec::new);

    // One worker per generation: the reducer bumps the generation when it must be replaced.
    {
        let worker = worker.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(state.worker_generation, move |&generation| {
            let on_event = Callback::from(move |ev: WorkerEvent| match ev {
                WorkerEvent::Message { msg, decode_ms } => dispatcher.dispatch(Action::Worker {
                    generation,
                    msg,
                    decode_ms,
                }),
                WorkerEvent::Died(message) => dispatcher.dispatch(Action::WorkerDied { generation, message }),
            });
            let spawned = WorkerClient::spawn(on_event.clone());
            match spawned {
                Ok(client) => *worker.borrow_mut() = Some(client),
                Err(message) => {
                    *worker.borrow_mut() = None;
                    on_event.emit(WorkerEvent::Died(message));
                }
            }
            let worker = worker.clone();
            move || {
                // Dropping the client terminates the worker.
                worker.borrow_mut().take();
            }
        });
    }

    // Saved profiles are kept in this browser's storage whenever they change; entries that could
    // not be read back are said once.
    {
        let dispatcher = state.dispatcher();
        let notes = stored.1.clone();
        use_effect_with((), move |_| {
            for n in notes {
                dispatcher.dispatch(Action::Alert(n));
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.work.profiles.clone(), move |profiles| {
            if let Err(e) = crate::profile_store::save(profiles) {
                dispatcher.dispatch(Action::Alert(e));
            }
        });
    }

    // A file dropped next to the drop zone must not make the browser leave the page to show it.
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

    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let hash = use_hash();

    // The lock. The reducer drops the results and replaces the worker; the files chosen and the
    // job in flight are forgotten here.
    let lock_minutes = use_state(crate::lock_store::load_minutes);
    let workspace_open = use_state(|| false);
    let do_lock = {
        let dispatch = dispatch.clone();
        let last_files = last_files.clone();
        let active = active.clone();
        Callback::from(move |()| {
            last_files.borrow_mut().clear();
            *active.borrow_mut() = 0;
            dispatch.emit(Action::Lock);
        })
    };
    let on_lock_minutes = {
        let lock_minutes = lock_minutes.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |m: u32| {
            lock_minutes.set(m);
            if let Err(e) = crate::lock_store::save_minutes(m) {
                dispatch.emit(Action::Alert(e));
            }
        })
    };
    // Inactivity: any key or pointer press counts; a check every 15 s locks the page when it has
    // something to clear (results, loaded files, the analyst's work, an open workspace).
    let lockable = use_mut_ref(|| false);
    *lockable.borrow_mut() =
        !state.locked && (state.holds_data() || *workspace_open || !last_files.borrow().is_empty());
    {
        let lockable = lockable.clone();
        let do_lock = do_lock.clone();
        use_effect_with(*lock_minutes, move |&minutes| {
            let last_activity = Rc::new(RefCell::new(js_sys::Date::now()));
            let touch = {
                let last_activity = last_activity.clone();
                Closure::<dyn Fn()>::new(move || *last_activity.borrow_mut() = js_sys::Date::now())
            };
            let check = Closure::<dyn Fn()>::new(move || {
                let idle = js_sys::Date::now() - *last_activity.borrow();
                if *lockable.borrow() && idle > f64::from(minutes) * 60_000.0 {
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
    // A workspace opened: take back the work and settings, and analyse its files again.
    let on_restore = {
        let dispatch = dispatch.clone();
        let worker = worker.clone();
        let active = active.clone();
        let last_files = last_files.clone();
        let next_job = next_job.clone();
        Callback::from(move |r: Restored| {
            dispatch.emit(Action::Unlock);
            dispatch.emit(Action::Work(crate::workstate::WorkAction::Restore(Box::new(
                r.work.clone(),
            ))));
            dispatch.emit(Action::SetHouseholdAsFamily(r.household_as_family));
            if r.files.is_empty() {
                return;
            }
            dispatch.emit(Action::RestoreKept(r.kept.clone()));
            let mut code_table = CodeTable::nibrs_default();
            code_table.set_household_family_as_family(r.household_as_family);
            let job_id = {
                let mut n = next_job.borrow_mut();
                *n = n.wrapping_add(1);
                *n
            };
            let import = ImportOptions {
                profiles: r.work.profiles.clone(),
                ..ImportOptions::default()
            };
            spawn_local(run_job(
                Picked::Files(r.files),
                job_id,
                active.clone(),
                worker.clone(),
                last_files.clone(),
                (code_table, r.kept, import),
                dispatch.clone(),
            ));
        })
    };
    // The analyst's notifications go with every run: the pipeline puts them on the timelines.
    let kept_with_notes = {
        let mut k = state.inquiry.kept.clone();
        k.notifications = state.work.notifications.clone();
        k.list_rules = state.work.list_rules.clone();
        k
    };
    let run_with = {
        let dispatch = dispatch.clone();
        let worker = worker.clone();
        let active = active.clone();
        let last_files = last_files.clone();
        let code_table = state.code_table.clone();
        let kept = kept_with_notes.clone();
        let profiles = state.work.profiles.clone();
        let next_job = next_job.clone();
        Callback::from(move |(picked, confirmed): (Picked, Option<Profile>)| {
            let job_id = {
                let mut n = next_job.borrow_mut();
                *n = n.wrapping_add(1);
                *n
            };
            let import = ImportOptions {
                profiles: profiles.clone(),
                confirmed,
            };
            spawn_local(run_job(
                picked,
                job_id,
                active.clone(),
                worker.clone(),
                last_files.clone(),
                (code_table.clone(), kept.clone(), import),
                dispatch.clone(),
            ));
        })
    };
    let on_pick = run_with.reform(|picked: Picked| (picked, None));
    // The analyst confirmed the mapping: keep the profile and import the same files with it.
    let on_confirm_mapping = {
        let dispatch = dispatch.clone();
        let last_files = last_files.clone();
        let draft = state.import.draft.clone();
        Callback::from(move |()| {
            let Some(d) = draft.as_ref() else { return };
            let profile = d.to_profile();
            dispatch.emit(Action::Work(crate::workstate::WorkAction::SaveProfile(Box::new(
                profile.clone(),
            ))));
            run_with.emit((Picked::Files(last_files.borrow().clone()), Some(profile)));
        })
    };
    let on_reanalyse = {
        let on_pick = on_pick.clone();
        let last_files = last_files.clone();
        Callback::from(move |_: MouseEvent| on_pick.emit(Picked::Files(last_files.borrow().clone())))
    };
    let can_reanalyse = state.running.is_none() && !last_files.borrow().is_empty();
    let on_cancel = {
        let dispatch = dispatch.clone();
        let active = active.clone();
        Callback::from(move |_| {
            *active.borrow_mut() = 0;
            dispatch.emit(Action::Cancel);
        })
    };
    // A job the worker runs without files from the page (sample data, reruns).
    let start_job = {
        let dispatch = dispatch.clone();
        let worker = worker.clone();
        let active = active.clone();
        let next_job = next_job.clone();
        Callback::from(move |(label, make): (String, std::rc::Rc<dyn Fn(u32) -> ToWorker>)| {
            let job_id = {
                let mut n = next_job.borrow_mut();
                *n = n.wrapping_add(1);
                *n
            };
            *active.borrow_mut() = job_id;
            dispatch.emit(Action::Start {
                job_id,
                files: vec![label],
                skipped: vec![],
            });
            let sent = match worker.borrow().as_ref() {
                Some(w) => w.send(&make(job_id), Vec::new()),
                None => Err("the analysis worker is not running; reload the page".to_string()),
            };
            if let Err(error) = sent {
                dispatch.emit(Action::PageFailed { job_id, error });
            }
        })
    };
    let on_sample = {
        let start_job = start_job.clone();
        let kept = kept_with_notes.clone();
        Callback::from(move |req: super::sample_data::SampleRequest| {
            let kept = kept.clone();
            let (population, intervention) = (req.population, req.intervention);
            start_job.emit((
                format!(
                    "the sample jurisdiction ({} people{})",
                    crate::format::count(u64::from(population)),
                    if intervention.is_some() {
                        ", with an intervention"
                    } else {
                        ""
                    }
                ),
                std::rc::Rc::new(move |job_id| ToWorker::Sample {
                    job_id,
                    population,
                    years: 3,
                    seed: 1,
                    kept: kept.clone(),
                    intervention: intervention.clone(),
                }),
            ));
        })
    };
    let on_rerun = {
        let kept = kept_with_notes.clone();
        let label = state
            .inquiry
            .loaded
            .as_ref()
            .map(|l| l.source.clone())
            .unwrap_or_default();
        Callback::from(move |()| {
            let kept = kept.clone();
            start_job.emit((
                label.clone(),
                std::rc::Rc::new(move |job_id| ToWorker::Rerun {
                    job_id,
                    kept: kept.clone(),
                }),
            ));
        })
    };
    let can_rerun = state.running.is_none()
        && state
            .inquiry
            .loaded
            .as_ref()
            .is_some_and(|l| l.generation == state.worker_generation);
    let on_inquiry = dispatch.reform(Action::Inquiry);
    // Ask the worker why the open person's records are one person.
    {
        let worker = worker.clone();
        let key = (
            state.inquiry.person.clone(),
            state.inquiry.loaded.as_ref().map(|l| (l.job_id, l.generation)),
            state.worker_generation,
        );
        use_effect_with(key, move |(person, loaded, generation)| {
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
    // Ask the worker to evaluate the recorded notifications on the data it holds.
    let on_evaluate = {
        let worker = worker.clone();
        let next_job = next_job.clone();
        let dispatch = dispatch.clone();
        let notifications = state.work.notifications.clone();
        Callback::from(move |req: crate::components::inquiry_evaluation::EvalRequest| {
            let job_id = {
                let mut n = next_job.borrow_mut();
                *n = n.wrapping_add(1);
                *n
            };
            let msg = ToWorker::Evaluate {
                job_id,
                start: req.start,
                as_of: req.as_of,
                outcome: req.outcome,
                notifications: notifications.clone(),
            };
            let sent = match worker.borrow().as_ref() {
                Some(w) => w.send(&msg, Vec::new()),
                None => Err("the analysis worker is not running; reload the page".to_string()),
            };
            match sent {
                Ok(()) => dispatch.emit(Action::EvalStarted(job_id)),
                Err(e) => dispatch.emit(Action::Alert(e)),
            }
        })
    };
    let on_dismiss = dispatch.reform(Action::Dismiss);
    let on_household = dispatch.reform(Action::SetHouseholdAsFamily);
    let on_error = dispatch.reform(Action::Alert);

    let on_open_change = {
        let workspace_open = workspace_open.clone();
        Callback::from(move |open: bool| workspace_open.set(open))
    };
    let workspace = html! {
        // Always mounted, at the same place whether locked or not, so that it keeps saving and
        // the key it holds survives the lock screen's unlocking.
        <Workspace work={state.work.clone()} files={last_files.borrow().clone()}
            household_as_family={state.code_table.household_family_as_family()} kept={state.inquiry.kept.clone()}
            on_restore={on_restore} hidden={!state.locked && hash.as_str() != "workspace"}
            locked={state.locked} on_lock={do_lock.clone()} on_leave={dispatch.reform(|()| Action::Unlock)}
            on_open_change={on_open_change} lock_minutes={*lock_minutes} on_lock_minutes={on_lock_minutes} />
    };
    let on_lock_click = do_lock.reform(|_: MouseEvent| ());

    html! {
        <div class="app">
            <header class="app-header">
                if !state.locked {
                    <button type="button" id="lock-now" class="secondary lock-button" onclick={on_lock_click}
                        title="Clear every result and loaded file from this page now">{ "Lock" }</button>
                }
                <h1>{ "IPVI Analyzer" }</h1>
                <p class="tagline">
                    { "Tells intimate-partner violence apart from other family violence in police records. \
                       Everything runs in this browser: no file and no result leaves this computer." }
                </p>
            </header>
            <main id="main">
                // Three fixed parts, so that the workspace keeps its place (and its key) whether
                // the page is locked or not.
                <div class="part">
                if !state.locked {
                    <section class="panel load" aria-labelledby="load-title">
                        <h2 id="load-title">{ "Load a NIBRS extract or an agency export" }</h2>
                        <FilePicker busy={state.running.is_some()} on_pick={on_pick} />
                        <SampleData busy={state.running.is_some()} on_load={on_sample} />
                        if let Some(running) = state.running.clone() {
                            <ProgressPanel running={running} on_cancel={on_cancel} />
                        }
                        <p id="status" class="status" role="status" aria-live="polite">{ &state.status }</p>
                        <Alerts alerts={state.alerts.clone()} on_dismiss={on_dismiss} />
                        <Settings code_table={state.code_table.clone()} busy={state.running.is_some()} on_household_as_family={on_household} />
                        <ProfilesPanel profiles={state.work.profiles.clone()} on_work={dispatch.reform(Action::Work)} on_error={on_error.clone()} />
                        if can_reanalyse {
                            <button type="button" id="reanalyse" class="secondary" onclick={on_reanalyse}>
                                { "Analyse the same files again" }
                            </button>
                        }
                    </section>
                    if let Some(draft) = state.import.draft.clone() {
                        <MappingScreen draft={draft} busy={state.running.is_some()}
                            on_action={dispatch.reform(|a| Action::Import(crate::import_state::ImportAction::Draft(a)))}
                            on_confirm={on_confirm_mapping}
                            on_cancel={dispatch.reform(|()| Action::Import(crate::import_state::ImportAction::CloseMapping))} />
                    }
                    if let Some(report) = state.import.report.clone() {
                        <ImportReportView report={report.clone()} on_error={on_error.clone()} />
                        <AuditView report={report} sources={state.inquiry.loaded.as_ref().map(|l| l.view.sources.clone())} on_error={on_error.clone()} />
                    }
                    <Screens analysis={state.dataset.clone()} work={state.work.clone()}
                        on_work={dispatch.reform(Action::Work)} on_error={on_error.clone()}
                        inquiry={state.inquiry.loaded.as_ref().map(|l| l.view.clone())}
                        evaluating={state.evaluating.is_some()} evaluation={state.evaluation.clone()}
                        on_evaluate={on_evaluate} />
                }
                </div>
                <div class="part">{ workspace }</div>
                <div class="part">
                if !state.locked {
                    if let (Some(loaded), Some(analysis)) = (state.inquiry.loaded.as_ref(), state.dataset.clone()) {
                        <div id="results" class="results" data-job={loaded.job_id.to_string()}>
                            <nav class="results-nav" aria-label="Results">
                                <a href="#by-class-title">{ "By relationship" }</a>
                                <a href="#offenses-title">{ "Top offences" }</a>
                                <a href="#victims-sex-title">{ "Victims by sex" }</a>
                                <a href="#pairs-title">{ "Pairs" }</a>
                                <a href="#inquiry-summary-title">{ "Inquiry" }</a>
                            </nav>
                            <ClassSummary summary={loaded.view.data.summary.clone()} pairs_total={loaded.view.data.pairs_total} />
                            <div class="two-columns">
                                <OffensesTable offenses={loaded.view.data.summary.ipv_top_offenses.clone()} />
                                <VictimsBySex rows={loaded.view.data.summary.ipv_victims_by_sex.clone()} />
                            </div>
                            <PairsTable analysis={analysis} on_error={on_error.clone()} />
                        </div>
                    }
                    <InquiryScreens inquiry={state.inquiry.clone()} can_rerun={can_rerun} on_action={on_inquiry}
                        notifications={state.work.notifications.clone()}
                        list_rules={state.work.list_rules.clone()}
                        on_list_rules={dispatch.reform(|r: Option<ipvi_core::offenders::lists::ListRules>| Action::Work(crate::workstate::WorkAction::SetListRules(r.map(Box::new))))}
                        on_rerun={on_rerun} on_error={on_error.clone()} />
                }
                </div>
            </main>
        </div>
    }
}
