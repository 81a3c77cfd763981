//! The root component: owns the app state (a reducer), the analysis worker and the job flow
//! (choose files → read them → send them to the worker → show the result), and the lock: by hand
//! or after the idle time it clears every result and loaded file from the page, replaces the
//! worker (dropping what it held) and shows only the workspace's unlock form.

use super::alerts::Alerts;
use super::app_hooks::{use_drop_guard, use_explain, use_idle_lock, use_kept_profiles, use_worker};
use super::class_summary::ClassSummary;
use super::data_screen::DataScreen;
use super::fairness::Fairness;
use super::file_picker::Picked;
use super::inquiry_evaluation::EvalRequest;
use super::inquiry_screens::{ListsView, OutreachView, PeopleView};
use super::list_rules::ListRulesPanel;
use super::month::MonthView;
use super::offenses_table::OffensesTable;
use super::pairs_table::PairsTable;
use super::progress_panel::ProgressPanel;
use super::review_queue::ReviewQueue;
use super::screens::Screens;
use super::shell::{use_route, use_scrollable_tables, AppHeader, Loaded, ScreenFrame, SideNav};
use super::tour::{Tour, TourHandout};
use super::victims_by_sex::VictimsBySex;
use super::workspace::{Restored, Workspace};
use crate::files;
use crate::inquiry_state::InquiryAction;
use crate::protocol::ToWorker;
use crate::route::{Route, Screen};
use crate::state::{Action, AppState};
use crate::worker_client::WorkerClient;
use crate::workstate::WorkAction;
use ipvi_core::classify::CodeTable;
use ipvi_core::import::Profile;
use ipvi_core::offenders::lists::ListRules;
use ipvi_core::pipeline::Kept;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::File;
use yew::platform::spawn_local;
use yew::prelude::*;

/// How the sample is named in the header and the summary.
const SAMPLE_LABEL: &str = "the sample jurisdiction";

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
        None => Err(NO_WORKER.to_string()),
    };
    if let Err(error) = sent {
        dispatch.emit(Action::PageFailed { job_id, error });
    }
}

/// What starting a job needs: the worker, the job counter and the active job, the files of the
/// last job, and the reducer.
#[derive(Clone)]
struct Jobs {
    worker: Rc<RefCell<Option<WorkerClient>>>,
    next_job: Rc<RefCell<u32>>,
    active: Rc<RefCell<u32>>,
    last_files: Rc<RefCell<Vec<File>>>,
    dispatch: Callback<Action>,
}

impl Jobs {
    /// Read `picked` and send it to the worker with these settings.
    fn files(&self, picked: Picked, settings: (CodeTable, Kept, ImportOptions)) {
        let job_id = next_id(&self.next_job);
        spawn_local(run_job(
            picked,
            job_id,
            self.active.clone(),
            self.worker.clone(),
            self.last_files.clone(),
            settings,
            self.dispatch.clone(),
        ));
    }
}

impl Jobs {
    /// Ask the worker to evaluate the recorded `notifications` on the data it holds.
    fn evaluate(&self, notifications: Vec<ipvi_core::notify::NotificationRecord>) -> Callback<EvalRequest> {
        let jobs = self.clone();
        Callback::from(move |req: EvalRequest| {
            let job_id = next_id(&jobs.next_job);
            let msg = ToWorker::Evaluate {
                job_id,
                start: req.start,
                as_of: req.as_of,
                outcome: req.outcome,
                notifications: notifications.clone(),
            };
            match send(&jobs.worker, &msg) {
                Ok(()) => jobs.dispatch.emit(Action::EvalStarted(job_id)),
                Err(e) => jobs.dispatch.emit(Action::Alert(e)),
            }
        })
    }
}

impl Jobs {
    /// Ask the worker for the month's cycle as of a date, with the run's list rules and the
    /// recorded `notifications`.
    fn cycle(
        &self,
        notifications: Vec<ipvi_core::notify::NotificationRecord>,
        list_rules: Option<ListRules>,
    ) -> Callback<crate::state::CycleKey> {
        let jobs = self.clone();
        Callback::from(move |key: crate::state::CycleKey| {
            let job_id = next_id(&jobs.next_job);
            let msg = ToWorker::Cycle {
                job_id,
                as_of: key.0,
                list_rules: list_rules.clone(),
                notifications: notifications.clone(),
            };
            match send(&jobs.worker, &msg) {
                Ok(()) => jobs.dispatch.emit(Action::CycleStarted(job_id, key)),
                Err(e) => jobs.dispatch.emit(Action::Alert(e)),
            }
        })
    }
}

/// The next job id.
fn next_id(next_job: &RefCell<u32>) -> u32 {
    let mut n = next_job.borrow_mut();
    *n = n.wrapping_add(1);
    *n
}

/// Send a message that carries no files to the worker, if one runs.
fn send(worker: &RefCell<Option<WorkerClient>>, msg: &ToWorker) -> Result<(), String> {
    match worker.borrow().as_ref() {
        Some(w) => w.send(msg, Vec::new()),
        None => Err(NO_WORKER.to_string()),
    }
}

/// What the page says when the worker is gone.
const NO_WORKER: &str = "the analysis worker is not running; reload the page";

/// Choosing the idle-lock time keeps it in this browser (a setting, no data).
fn lock_minutes_callback(lock_minutes: UseStateHandle<u32>, dispatch: Callback<Action>) -> Callback<u32> {
    Callback::from(move |m: u32| {
        lock_minutes.set(m);
        if let Err(e) = crate::lock_store::save_minutes(m) {
            dispatch.emit(Action::Alert(e));
        }
    })
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
    use_worker(state.worker_generation, worker.clone(), state.dispatcher());
    use_kept_profiles(stored.1.clone(), state.work.profiles.clone(), state.dispatcher());
    use_drop_guard();

    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let jobs = Jobs {
        worker: worker.clone(),
        next_job: next_job.clone(),
        active: active.clone(),
        last_files: last_files.clone(),
        dispatch: dispatch.clone(),
    };
    let (route, go) = use_route();
    let tour = use_state(|| None::<usize>);
    use_scrollable_tables();

    // The lock. The reducer drops the results and replaces the worker; the files chosen and the
    // job in flight are forgotten here.
    let lock_minutes = use_state(crate::lock_store::load_minutes);
    let workspace_open = use_state(|| false);
    let do_lock = {
        let dispatch = dispatch.clone();
        let last_files = last_files.clone();
        let active = active.clone();
        let go = go.clone();
        Callback::from(move |()| {
            last_files.borrow_mut().clear();
            *active.borrow_mut() = 0;
            dispatch.emit(Action::Lock);
            // Nothing is loaded any more: the page opens again on the data screen, and the
            // address no longer names a person.
            go.emit(Route::screen(Screen::Data));
        })
    };
    let on_lock_minutes = lock_minutes_callback(lock_minutes.clone(), dispatch.clone());
    // Inactivity locks the page when it has something to clear (results, loaded files, the
    // analyst's work, an open workspace).
    use_idle_lock(
        *lock_minutes,
        !state.locked && (state.holds_data() || *workspace_open || !last_files.borrow().is_empty()),
        do_lock.clone(),
    );
    // A workspace opened: take back the work and settings, and analyse its files again.
    let on_restore = {
        let jobs = jobs.clone();
        Callback::from(move |r: Restored| {
            let dispatch = &jobs.dispatch;
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
            let import = ImportOptions {
                profiles: r.work.profiles.clone(),
                ..ImportOptions::default()
            };
            jobs.files(Picked::Files(r.files), (code_table, r.kept, import));
        })
    };
    // The analyst's notifications go with every run: the pipeline puts them on the timelines.
    // Made when a run starts, not on every render: the last lists of a large inquiry are large.
    let kept_with_notes = {
        let state = state.clone();
        Rc::new(move || state.kept_with_notes())
    };
    let run_with = {
        let (jobs, code_table, kept) = (jobs.clone(), state.code_table.clone(), kept_with_notes.clone());
        let profiles = state.work.profiles.clone();
        Callback::from(move |(picked, confirmed): (Picked, Option<Profile>)| {
            let import = ImportOptions {
                profiles: profiles.clone(),
                confirmed,
            };
            jobs.files(picked, (code_table.clone(), kept(), import));
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
        Callback::from(move |()| on_pick.emit(Picked::Files(last_files.borrow().clone())))
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
            let job_id = next_id(&next_job);
            *active.borrow_mut() = job_id;
            dispatch.emit(Action::Start {
                job_id,
                files: vec![label],
                skipped: vec![],
            });
            let sent = send(&worker, &make(job_id));
            if let Err(error) = sent {
                dispatch.emit(Action::PageFailed { job_id, error });
            }
        })
    };
    let on_sample = {
        let start_job = start_job.clone();
        let kept = kept_with_notes.clone();
        Callback::from(move |req: super::sample_data::SampleRequest| {
            let kept = kept();
            let (population, intervention) = (req.population, req.intervention);
            start_job.emit((
                format!(
                    "{SAMPLE_LABEL} ({} people{})",
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
                    years: ipvi_core::synth::sample::YEARS,
                    seed: ipvi_core::synth::sample::SEED,
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
            let kept = kept();
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
    // The route names the person page open; the reducer keeps it (explanations are asked for it).
    {
        let dispatch = dispatch.clone();
        use_effect_with(route.person.clone(), move |person| {
            dispatch.emit(Action::Inquiry(match person {
                Some(p) => InquiryAction::OpenPerson(p.clone()),
                None => InquiryAction::ClosePerson,
            }));
        });
    }
    use_explain(
        state.inquiry.person.clone(),
        state.inquiry.loaded.as_ref().map(|l| (l.job_id, l.generation)),
        state.worker_generation,
        worker.clone(),
    );
    // Ask the worker to evaluate the recorded notifications on the data it holds.
    let on_evaluate = jobs.evaluate(state.work.notifications.clone());
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
            on_restore={on_restore} hidden={!state.locked && route.screen != Screen::Workspace}
            locked={state.locked} on_lock={do_lock.clone()} on_leave={dispatch.reform(|()| Action::Unlock)}
            on_open_change={on_open_change} lock_minutes={*lock_minutes} on_lock_minutes={on_lock_minutes} />
    };
    let loaded = state.inquiry.loaded.as_ref().map(|l| Loaded {
        source: l.source.clone(),
        as_of: l.view.window.as_of.to_string(),
        synthetic: l.view.data.synthetic,
    });
    let has_data = loaded.is_some();
    let imported = state
        .import
        .report
        .as_ref()
        .map(|r| crate::state::describe_files(&r.files));
    let identifiable = state.inquiry.loaded.as_ref().is_some_and(|l| l.view.data.identifiable);
    let inquiry_view = state.inquiry.loaded.as_ref().map(|l| l.view.clone());
    let needs_data = |what: &str| {
        html! {
            <p class="empty" id="needs-data">{ format!("Load an export, a NIBRS extract or the sample data first \
                (on the “Data and audit” screen): {what}") }</p>
        }
    };
    let screens = |screen: Screen| {
        html! {
            <Screens screen={screen} analysis={state.dataset.clone()} work={state.work.clone()}
                on_work={dispatch.reform(Action::Work)} on_error={on_error.clone()}
                inquiry={inquiry_view.clone()}
                evaluating={state.evaluating.is_some()} evaluation={state.evaluation.clone()}
                on_evaluate={on_evaluate.clone()} />
        }
    };
    let data_screen = html! {
        <DataScreen import={state.import.clone()} inquiry={state.inquiry.clone()} busy={state.running.is_some()}
            can_rerun={can_rerun} can_reanalyse={can_reanalyse} code_table={state.code_table.clone()}
            profiles={state.work.profiles.clone()} on_pick={on_pick} on_sample={on_sample} on_rerun={on_rerun.clone()}
            on_reanalyse={on_reanalyse} on_household={on_household} on_work={dispatch.reform(Action::Work)}
            on_draft={dispatch.reform(|a| Action::Import(crate::import_state::ImportAction::Draft(a)))}
            on_confirm_mapping={on_confirm_mapping}
            on_close_mapping={dispatch.reform(|()| Action::Import(crate::import_state::ImportAction::CloseMapping))}
            on_error={on_error.clone()} />
    };
    let go_person = go.reform(|id: String| Route::person(&id));
    let go_people = go.reform(|()| Route::screen(Screen::People));
    let body = match route.screen {
        Screen::Data => data_screen,
        Screen::Relationships => match (state.inquiry.loaded.as_ref(), state.dataset.clone()) {
            (Some(loaded), Some(analysis)) => html! {
                <div id="results" class="results" data-job={loaded.job_id.to_string()}>
                    <ClassSummary summary={loaded.view.data.summary.clone()} pairs_total={loaded.view.data.pairs_total} />
                    <div class="two-columns">
                        <OffensesTable offenses={loaded.view.data.summary.ipv_top_offenses.clone()} />
                        <VictimsBySex rows={loaded.view.data.summary.ipv_victims_by_sex.clone()} />
                    </div>
                    <ReviewQueue view={loaded.view.clone()} kept={state.inquiry.kept.clone()} on_action={on_inquiry.clone()} />
                    <PairsTable analysis={analysis} on_error={on_error.clone()} />
                </div>
            },
            _ => needs_data("the relationships are read from it."),
        },
        Screen::People => match state.inquiry.loaded.as_ref() {
            Some(_) => html! {
                <PeopleView inquiry={state.inquiry.clone()} person={route.person.clone()} on_action={on_inquiry.clone()}
                    on_open={go_person} on_close={go_people} on_error={on_error.clone()}
                    notifications={state.work.notifications.clone()} />
            },
            None => needs_data("people are linked from its records."),
        },
        Screen::Lists => html! {
            <>
                if let Some(v) = inquiry_view.clone() { <ListsView view={v} /> } else { { needs_data("the lists are made from it.") } }
                if let Some(v) = inquiry_view.clone().filter(|v| v.data.identifiable) {
                    <ListRulesPanel view={v} applied={state.work.list_rules.clone()} on_error={on_error.clone()}
                        on_apply={dispatch.reform(|r: Option<ListRules>| Action::Work(WorkAction::SetListRules(r.map(Box::new))))}
                        on_rerun={can_rerun.then(|| on_rerun.clone())} />
                }
                { screens(Screen::Lists) }
                if let Some(v) = inquiry_view.clone().filter(|v| v.data.identifiable) { <Fairness view={v} /> }
            </>
        },
        Screen::Month => match inquiry_view.clone().filter(|v| v.data.identifiable) {
            Some(v) => html! {
                <MonthView view={v.clone()} notifications={state.work.notifications.len()}
                    cycling={state.cycling.is_some()} cycle={state.cycle.clone()}
                    on_request={jobs.cycle(state.work.notifications.clone(), v.list_rules.clone())}
                    on_error={on_error.clone()} />
            },
            None if has_data => html! {
                <p class="empty" id="needs-people">{ "The month's cycle lists people: this data cannot tell people apart across incidents." }</p>
            },
            None => needs_data("the month's lists are replayed from it."),
        },
        Screen::Outreach => match inquiry_view.clone() {
            Some(v) => html! { <OutreachView view={v} on_error={on_error.clone()} /> },
            None => needs_data("victims to reach are found in it."),
        },
        Screen::Workspace => html! {},
        other => screens(other),
    };
    let running_label = state.running.as_ref().map(|r| r.stage.clone());
    // The guided tour: offered on the sample; each step opens its screen.
    let on_tour_step = {
        let tour = tour.clone();
        let go = go.clone();
        Callback::from(move |step: Option<usize>| {
            tour.set(step);
            go.emit(
                step.map(super::tour::route_of)
                    .unwrap_or_else(|| Route::screen(Screen::Data)),
            );
        })
    };
    let on_tour = loaded
        .as_ref()
        .filter(|l| l.synthetic && tour.is_none())
        .map(|_| on_tour_step.reform(|()| Some(0)));
    let notices = html! {
        <div class="notices">
            if let Some(step) = *tour {
                <Tour step={step} on_step={on_tour_step} />
            }
            if let Some(running) = state.running.clone() {
                <ProgressPanel running={running} on_cancel={on_cancel} />
            }
            <p id="status" class="status" role="status" aria-live="polite">{ &state.status }</p>
            <Alerts alerts={state.alerts.clone()} on_dismiss={on_dismiss} />
        </div>
    };

    html! {
        <div class={classes!("app", state.locked.then_some("is-locked"))}>
            if tour.is_some() { <TourHandout /> }
            <AppHeader loaded={loaded} imported={imported} locked={state.locked} unapplied={state.inquiry.unapplied}
                can_rerun={can_rerun} on_rerun={on_rerun} on_lock={do_lock.clone()} running={running_label} on_tour={on_tour} />
            <div class="app-body">
                if !state.locked {
                    <SideNav route={route.clone()} has_data={has_data} identifiable={identifiable} />
                }
                <main id="content" class="content" tabindex="-1">
                    // Fixed parts, so that the workspace keeps its place (and its key) whether
                    // the page is locked or not.
                    <div class="part">
                    if !state.locked {
                        if route.screen != Screen::Workspace {
                            <ScreenFrame screen={route.screen} notices={notices}>{ body }</ScreenFrame>
                        } else {
                            // The workspace's own part stays mounted below: the frame holds only
                            // the screen's title and question here.
                            <div class="screen-frame" id="screen-workspace" data-screen="workspace">
                                <h1 id="screen-title" tabindex="-1">{ Screen::Workspace.label() }</h1>
                                <p class="screen-question">{ Screen::Workspace.question() }</p>
                                { notices }
                            </div>
                        }
                    }
                    </div>
                    <div class="part">{ workspace }</div>
                </main>
            </div>
        </div>
    }
}
