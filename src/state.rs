//! The app's state and its reducer, pure so it is tested natively.
//!
//! The state holds the running job (if any), the last result, the alerts to show and the
//! generation of the analysis worker. Side effects live in the components: when the reducer bumps
//! `worker_generation` (the worker died, or the analyst cancelled), the app terminates the worker
//! and starts a fresh one. Messages from an older job or an older worker are ignored, so a late
//! message can never overwrite newer work.

use crate::protocol::FromWorker;
use ipvi_core::classify::CodeTable;
use ipvi_core::diag::Severity;
use ipvi_core::input::ImportError;
use ipvi_core::nibrs::NibrsAnalysis;
use std::rc::Rc;
use yew::Reducible;

pub use crate::shared::Shared;

/// The job in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub job_id: u32,
    /// The files being analysed, as the analyst chose them.
    pub files: Vec<String>,
    pub stage: String,
    /// 0.0 to 1.0.
    pub fraction: f32,
}

/// An error shown to the analyst as an alert.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub job_id: Option<u32>,
    pub text: String,
}

/// Everything the app shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub running: Option<Running>,
    /// The loaded dataset's pairs and classes in the shape of the incident-level screens (report,
    /// evaluation, peers and assessment of data without linkable people), from the last inquiry.
    pub dataset: Option<Shared<NibrsAnalysis>>,
    pub alerts: Vec<Alert>,
    /// A short status for the live region ("Cancelled.", "Analysed 42 files.").
    pub status: String,
    /// Bumped whenever the worker must be replaced.
    pub worker_generation: u32,
    /// The relationship code table the next analysis uses.
    pub code_table: CodeTable,
    /// The analyst's own work: report settings, capacity, assessment, notifications, peers.
    pub work: crate::workstate::Work,
    /// The offender inquiry (sample data, agency exports).
    pub inquiry: crate::inquiry_state::InquiryState,
    /// The generic import: the mapping screen and the import's summary and audit.
    pub import: crate::import_state::ImportState,
    /// The evaluation asked of the worker and not answered yet (its job id).
    pub evaluating: Option<u32>,
    /// The last evaluation of the inquiry's data.
    pub evaluation: Option<EvalDone>,
    /// The month's cycle asked of the worker and not answered yet (its job id and what was asked).
    pub cycling: Option<(u32, CycleKey)>,
    /// The last cycle of the inquiry's data.
    pub cycle: Option<CycleDone>,
    /// The results shown before the running job started, put back if the job does not finish
    /// (the worker died, or the analyst cancelled).
    pub previous: Option<Box<Previous>>,
    /// The page is locked: nothing decrypted or loaded is held; only the unlock form is shown.
    pub locked: bool,
}

/// What a new job set aside: the last results, the import's report and mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Previous {
    pub dataset: Option<Shared<NibrsAnalysis>>,
    pub inquiry: crate::inquiry_state::InquiryState,
    pub import: crate::import_state::ImportState,
    pub evaluation: Option<EvalDone>,
}

/// What a cycle was asked for: the as-of date (`None`: the data's) and how many notifications
/// were recorded, so that the screen asks again when either changes.
pub type CycleKey = (Option<ipvi_core::date::Date>, usize);

/// A cycle the worker answered.
#[derive(Clone, Debug, PartialEq)]
pub struct CycleDone {
    pub key: CycleKey,
    pub result: Result<Shared<crate::inquiry_cycle::CycleView>, String>,
}

/// An evaluation the worker answered.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalDone {
    pub job_id: u32,
    pub result: Result<Shared<ipvi_core::evaluate::notified::Evaluation>, String>,
    /// Notifications that matched nobody in the data.
    pub unmatched: u64,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            running: None,
            dataset: None,
            alerts: Vec::new(),
            status: String::new(),
            worker_generation: 0,
            code_table: CodeTable::nibrs_default(),
            work: crate::workstate::Work::default(),
            inquiry: Default::default(),
            import: Default::default(),
            evaluating: None,
            evaluation: None,
            cycling: None,
            cycle: None,
            previous: None,
            locked: false,
        }
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The analyst chose files; `skipped` were not CSV files and are not sent.
    Start {
        job_id: u32,
        files: Vec<String>,
        skipped: Vec<String>,
    },
    /// The analyst chose nothing usable.
    NothingToLoad { skipped: Vec<String> },
    /// A message from the worker of the given generation.
    Worker {
        generation: u32,
        msg: FromWorker,
        decode_ms: f64,
    },
    /// The worker of the given generation crashed or could not be read.
    WorkerDied { generation: u32, message: String },
    /// A job failed on the page side (a file could not be read, no worker).
    PageFailed { job_id: u32, error: String },
    /// Progress of the page's own part of a job (reading the files).
    PageProgress { job_id: u32, stage: String, fraction: f32 },
    /// Something the analyst chose could not be used (a folder that could not be read).
    Alert(String),
    /// Household-family codes (CF, FP, FC) count as other family (`true`) or known non-family.
    SetHouseholdAsFamily(bool),
    /// The analyst pressed Cancel.
    Cancel,
    /// The analyst dismissed an alert.
    Dismiss(usize),
    /// A change to the analyst's own work (see [`crate::workstate`]).
    Work(crate::workstate::WorkAction),
    /// A workspace was opened: its decisions and last lists replace the current ones.
    RestoreKept(ipvi_core::pipeline::Kept),
    /// Something on the inquiry screens.
    Inquiry(crate::inquiry_state::InquiryAction),
    /// Something on the mapping screen.
    Import(crate::import_state::ImportAction),
    /// An evaluation was asked of the worker (its job id).
    EvalStarted(u32),
    /// The month's cycle was asked of the worker (its job id and what was asked).
    CycleStarted(u32, CycleKey),
    /// Lock the page (by hand or after the idle time): drop every result and loaded file, replace
    /// the worker (and the data it holds), keep only settings without data.
    Lock,
    /// The workspace was opened again, or the analyst chose to go on without it.
    Unlock,
}

/// The words for a worker's death: out of memory is said as such. A WebAssembly `unreachable`
/// trap with no panic message before it is how the worker ends when an allocation fails (Rust
/// aborts, and abort is that trap in wasm32; a panic posts its message first): a 1,000 MB flat
/// export's analysis ended so in headless Chromium at the 4 GB of wasm32 (docs/benchmarks.md).
pub fn death_cause(message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("memory") || lower.contains("allocation") || lower.contains("runtimeerror: unreachable") {
        format!(
            "the browser ran out of memory for this analysis ({message}). The files may be too large for a \
             browser tab: try fewer files, or the same files with `ipvi audit` or `ipvi analyze` on the command line"
        )
    } else {
        format!("an error inside the analyzer ({message})")
    }
}

/// "NIBRS_incident.csv", "3 files (NIBRS_incident.csv, …)" for messages.
pub fn describe_files(files: &[String]) -> String {
    match files {
        [] => "no files".to_string(),
        [one] => one.clone(),
        [first, ..] => format!("{} files ({first}, …)", files.len()),
    }
}

/// The share of the progress bar given to reading the files on the page; the worker's own
/// progress fills the rest.
pub const PAGE_SHARE: f32 = 0.05;

/// At most this many alerts for one analysis; the diagnostics list holds everything.
pub const MAX_ALERTS: usize = 12;

/// Alerts for an import: every file that could not be read at all (file-level errors and
/// warnings, such as an empty file), and one line per file with rejected rows naming the first
/// problem (file, row, column and value) and pointing to the list and the download. Other row
/// problems stay in the list.
pub fn import_alerts(job_id: u32, report: &crate::import_state::ImportReport) -> Vec<Alert> {
    file_alerts(job_id, &report.summaries, &report.diagnostics)
}

/// [`import_alerts`] from the import's per-file counts and problems.
pub fn file_alerts(
    job_id: u32,
    summaries: &[ipvi_core::diag::FileSummary],
    diagnostics: &[ipvi_core::diag::Diagnostic],
) -> Vec<Alert> {
    let mut alerts: Vec<Alert> = diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info && d.row.is_none())
        .map(|d| Alert {
            job_id: Some(job_id),
            text: d.to_string(),
        })
        .collect();
    for f in summaries.iter().filter(|f| f.rows_rejected > 0) {
        let first = diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error && d.row.is_some() && f.file.starts_with(d.file.as_str()))
            .map(|d| format!(" The first problem: {d}."))
            .unwrap_or_default();
        alerts.push(Alert {
            job_id: Some(job_id),
            text: format!(
                "{}: {} of {} rows were rejected.{first} See the import's problems below and download the rejected rows.",
                f.file,
                crate::format::count(f.rows_rejected),
                crate::format::count(f.rows_read)
            ),
        });
    }
    alerts.truncate(MAX_ALERTS);
    alerts
}

impl AppState {
    /// The analyst's decisions that go with every run: what was kept, plus the notifications and
    /// the list rules of the work (the pipeline puts the notifications on the timelines).
    pub fn kept_with_notes(&self) -> ipvi_core::pipeline::Kept {
        let mut k = (*self.inquiry.kept).clone();
        k.notifications = self.work.notifications.clone();
        k.list_rules = self.work.list_rules.clone();
        k
    }

    fn is_current(&self, job_id: u32) -> bool {
        self.running.as_ref().is_some_and(|r| r.job_id == job_id)
    }

    /// The state after an action; `None` when nothing changes (stale messages).
    pub fn apply(&self, action: Action) -> Option<AppState> {
        match action {
            Action::Start { job_id, files, skipped } => Some(self.started(job_id, files, &skipped)),
            Action::NothingToLoad { skipped } => Some(self.nothing_to_load(&skipped)),
            Action::Worker {
                generation,
                msg,
                decode_ms,
            } => {
                if generation != self.worker_generation {
                    return None;
                }
                self.worker_message(generation, msg, decode_ms)
            }
            Action::WorkerDied { generation, message } => self.worker_died(generation, &message),
            Action::PageFailed { job_id, error } => self.page_failed(job_id, error),
            Action::PageProgress {
                job_id,
                stage,
                fraction,
            } => {
                let mut next = self.clone();
                let r = next.running.as_mut().filter(|r| r.job_id == job_id)?;
                r.stage = stage;
                r.fraction = fraction.clamp(0.0, 1.0);
                Some(next)
            }
            Action::Alert(text) => {
                let mut next = self.clone();
                next.alerts.push(Alert { job_id: None, text });
                Some(next)
            }
            Action::SetHouseholdAsFamily(as_family) => {
                if self.code_table.household_family_as_family() == as_family {
                    return None;
                }
                let mut next = self.clone();
                next.code_table.set_household_family_as_family(as_family);
                next.status = "The classification changed: analyse the files again to apply it.".into();
                Some(next)
            }
            Action::Cancel => {
                let mut next = self.clone();
                next.running.take()?;
                next.take_back_previous();
                next.status = "Cancelled.".into();
                // The worker may be deep in a synchronous step: replace it rather than wait.
                next.worker_generation = next.worker_generation.wrapping_add(1);
                Some(next)
            }
            Action::Dismiss(i) => {
                if i >= self.alerts.len() {
                    return None;
                }
                let mut next = self.clone();
                next.alerts.remove(i);
                Some(next)
            }
            Action::Inquiry(a) => {
                let inquiry = self.inquiry.apply(a)?;
                Some(AppState {
                    inquiry,
                    ..self.clone()
                })
            }
            Action::Import(a) => {
                let import = self.import.apply(a)?;
                Some(AppState { import, ..self.clone() })
            }
            Action::Work(a) => {
                let work = self.work.apply(a)?;
                Some(AppState { work, ..self.clone() })
            }
            Action::RestoreKept(kept) => {
                let mut next = self.clone();
                next.inquiry.kept = std::rc::Rc::new(kept);
                Some(next)
            }
            Action::EvalStarted(job_id) => Some(AppState {
                evaluating: Some(job_id),
                ..self.clone()
            }),
            Action::CycleStarted(job_id, key) => Some(AppState {
                cycling: Some((job_id, key)),
                ..self.clone()
            }),
            Action::Lock => Some(self.locked_state()),
            Action::Unlock => {
                if !self.locked {
                    return None;
                }
                Some(AppState {
                    locked: false,
                    ..self.clone()
                })
            }
        }
    }

    /// A job started: the results so far go aside until the new ones arrive.
    fn started(&self, job_id: u32, files: Vec<String>, skipped: &[String]) -> AppState {
        let mut next = self.clone();
        next.alerts.clear();
        if next.previous.is_none() && (next.dataset.is_some() || next.import != Default::default()) {
            next.previous = Some(Box::new(Previous {
                dataset: next.dataset.clone(),
                inquiry: next.inquiry.clone(),
                import: next.import.clone(),
                evaluation: next.evaluation.clone(),
            }));
        }
        next.dataset = None;
        next.inquiry.cleared();
        next.import.cleared();
        next.evaluating = None;
        next.evaluation = None;
        next.cycling = None;
        next.cycle = None;
        next.status = format!("Reading {}.", describe_files(&files));
        if !skipped.is_empty() {
            next.status.push_str(&format!(
                " Skipped {} that {} not CSV: {}.",
                crate::format::count(skipped.len() as u64),
                if skipped.len() == 1 { "is" } else { "are" },
                skipped.join(", ")
            ));
        }
        next.running = Some(Running {
            job_id,
            files,
            stage: "Reading files".into(),
            fraction: 0.0,
        });
        next
    }

    /// The analyst chose nothing usable: say what to choose.
    fn nothing_to_load(&self, skipped: &[String]) -> AppState {
        let text = if skipped.is_empty() {
            "No files were chosen. Choose the CSV or XLSX files of an export or a NIBRS extract, or its folder."
                .to_string()
        } else {
            format!(
                "None of the chosen files is a CSV or XLSX file ({}). Choose the CSV or XLSX files of an \
                 export or a NIBRS extract, or its folder.",
                skipped.join(", ")
            )
        };
        AppState {
            alerts: vec![Alert { job_id: None, text }],
            ..self.clone()
        }
    }

    /// A message from the current worker.
    fn worker_message(&self, generation: u32, msg: FromWorker, decode_ms: f64) -> Option<AppState> {
        let mut next = self.clone();
        match msg {
            FromWorker::Progress {
                job_id,
                stage,
                fraction,
            } => {
                let r = next.running.as_mut().filter(|r| r.job_id == job_id)?;
                r.stage = stage;
                // The page's reading took the first part of the bar.
                r.fraction = PAGE_SHARE + (1.0 - PAGE_SHARE) * fraction.clamp(0.0, 1.0);
            }
            FromWorker::Inquiry {
                job_id,
                result,
                timings,
            } => {
                if !self.is_current(job_id) {
                    return None;
                }
                next.inquiry_arrived(job_id, generation, result, timings, decode_ms);
            }
            FromWorker::NeedsMapping {
                job_id,
                file_names,
                proposal,
                read_problems,
            } => {
                if !self.is_current(job_id) {
                    return None;
                }
                next.needs_mapping(job_id, file_names, *proposal, read_problems);
            }
            FromWorker::Imported { job_id, report } => {
                if !self.is_current(job_id) {
                    return None;
                }
                next.alerts.extend(import_alerts(job_id, &report));
                next.status = format!(
                    "Imported {}: {} rows read, {} used, {} rejected. {}",
                    describe_files(&report.files),
                    crate::format::count(report.audit.rows_read),
                    crate::format::count(report.audit.rows_used),
                    crate::format::count(report.audit.rows_rejected),
                    report.audit.verdict.headline
                );
                next.import.draft = None;
                next.import.report = Some(Shared(Rc::new(*report)));
                // The worker now holds this import's dataset, and its summary and audit are
                // whole: they replace what was set aside, and stay if the analysis that follows
                // is cancelled or runs out of memory (a file near the tab's limit imports in
                // minutes, then has more records than a tab can link).
                next.previous = None;
            }
            FromWorker::Evaluated {
                job_id,
                result,
                unmatched,
            } => {
                if self.evaluating != Some(job_id) {
                    return None;
                }
                next.evaluating = None;
                next.evaluation = Some(EvalDone {
                    job_id,
                    result: result.map(|e| Shared(Rc::new(*e))),
                    unmatched,
                });
            }
            FromWorker::Cycled { job_id, result } => {
                let (asked, key) = self.cycling?;
                if asked != job_id {
                    return None;
                }
                next.cycling = None;
                next.cycle = Some(CycleDone {
                    key,
                    result: result.map(|c| Shared(Rc::new(*c))),
                });
            }
            FromWorker::Explained { person_id, explanation } => {
                if !next.inquiry.explanation(person_id, explanation) {
                    return None;
                }
            }
            FromWorker::Failed { job_id, error } => {
                if !self.is_current(job_id) {
                    return None;
                }
                next.job_failed(job_id, error);
            }
            FromWorker::Fatal { message } => return self.worker_died(generation, &message),
            // Kept by the worker client until the view they belong to arrives.
            FromWorker::Piece { .. } => return None,
        }
        Some(next)
    }

    /// The inquiry of the running job arrived: it replaces what was set aside.
    fn inquiry_arrived(
        &mut self,
        job_id: u32,
        generation: u32,
        mut result: Box<crate::inquiry::InquiryView>,
        timings: crate::protocol::Timings,
        decode_ms: f64,
    ) {
        // New lists: the month's cycle is asked again.
        self.cycle = None;
        let files = self.running.take().map(|r| r.files).unwrap_or_default();
        self.previous = None;
        self.status = format!(
            "Analysed {}: {} offenders on the lists.",
            describe_files(&files),
            crate::format::count(result.offenders.len() as u64)
        );
        // Notifications that came with the data join the analyst's list once.
        let new: Vec<_> = result
            .loaded_notifications
            .iter()
            .filter(|n| !self.work.notifications.contains(n))
            .cloned()
            .collect();
        if let Some(w) = self.work.apply(crate::workstate::WorkAction::AddNotifications(new)) {
            self.work = w;
        }
        self.dataset = Some(Shared(Rc::new(result.data.take_analysis())));
        self.inquiry.arrived(crate::inquiry_state::InquiryLoaded {
            job_id,
            generation,
            source: describe_files(&files),
            view: Shared(Rc::new(*result)),
            timings,
            decode_ms,
        });
    }

    /// No profile matched the running job's files: the mapping screen takes over.
    fn needs_mapping(
        &mut self,
        job_id: u32,
        file_names: Vec<String>,
        proposal: ipvi_core::import::MappingProposal,
        read_problems: Vec<ipvi_core::diag::Diagnostic>,
    ) {
        self.running = None;
        self.previous = None;
        let files = describe_files(&file_names);
        self.status = format!("Check the column mapping of {files}.");
        self.alerts.extend(read_problems.iter().map(|d| Alert {
            job_id: Some(job_id),
            text: d.to_string(),
        }));
        self.alerts.push(Alert {
            job_id: Some(job_id),
            text: format!(
                "{files} is not a NIBRS extract or the synthetic export, and no saved import profile \
                 matches its columns: check the proposed column mapping below and confirm it."
            ),
        });
        self.import.draft = Some(crate::import_state::MappingDraft::new(
            file_names,
            proposal,
            read_problems,
        ));
    }

    /// The running job failed in the worker (or was cancelled there).
    fn job_failed(&mut self, job_id: u32, error: ImportError) {
        let files = self.running.take().map(|r| r.files).unwrap_or_default();
        self.previous = None;
        match error {
            ImportError::Cancelled => self.status = "Cancelled.".into(),
            ImportError::Unusable(why) | ImportError::TooBig(why) => {
                self.status = "The files could not be analysed.".into();
                self.alerts.push(Alert {
                    job_id: Some(job_id),
                    text: format!("Could not analyse {}: {why}", describe_files(&files)),
                });
            }
        }
    }

    /// The worker of `generation` died: a new one starts, the running job's results so far come back.
    fn worker_died(&self, generation: u32, message: &str) -> Option<AppState> {
        if generation != self.worker_generation {
            return None;
        }
        let mut next = self.clone();
        next.worker_generation = next.worker_generation.wrapping_add(1);
        next.evaluating = None;
        next.cycling = None;
        let cause = death_cause(message);
        let text = match next.running.take() {
            Some(r) => {
                let kept = if next.take_back_previous() {
                    "the results shown before it, the mapping, the notifications and the workspace are kept"
                } else if next.import.report.is_some() {
                    "the import's summary and audit, the notifications and the workspace are kept"
                } else {
                    "the notifications and the workspace are kept"
                };
                format!(
                    "The analysis of {} stopped: {cause}. A new analysis worker was started; {kept}. \
                     You can load files again.",
                    describe_files(&r.files)
                )
            }
            None => format!(
                "The analysis worker stopped: {cause}. A new one was started; your work is kept, but load \
                 the files again to work on the results shown."
            ),
        };
        let job_id = self.running.as_ref().map(|r| r.job_id);
        next.status = "The analysis stopped with an error.".into();
        next.alerts.push(Alert { job_id, text });
        Some(next)
    }

    /// The page's part of the running job failed (a file could not be read, no worker).
    fn page_failed(&self, job_id: u32, error: String) -> Option<AppState> {
        if !self.is_current(job_id) {
            return None;
        }
        let mut next = self.clone();
        next.running = None;
        // The worker never had this job (the page stopped it: a file too big or unreadable, no
        // worker), so what it holds is what was shown before: put it back.
        next.status = if next.take_back_previous() {
            "The files could not be read; the results shown before are kept.".into()
        } else {
            "The files could not be read.".into()
        };
        next.alerts.push(Alert {
            job_id: Some(job_id),
            text: error,
        });
        Some(next)
    }

    /// The lock: only what holds no data survives, the code table setting and the import profiles
    /// (column mappings, kept in this browser's storage anyway).
    fn locked_state(&self) -> AppState {
        let work = crate::workstate::Work {
            profiles: self.work.profiles.clone(),
            ..Default::default()
        };
        AppState {
            code_table: self.code_table.clone(),
            work,
            worker_generation: self.worker_generation.wrapping_add(1),
            locked: true,
            ..AppState::default()
        }
    }

    /// Put back the results set aside when the running job started; `true` if there were any.
    fn take_back_previous(&mut self) -> bool {
        let Some(p) = self.previous.take() else {
            return false;
        };
        self.dataset = p.dataset;
        self.inquiry = p.inquiry;
        self.import = p.import;
        self.evaluation = p.evaluation;
        true
    }

    /// Whether the page holds anything the lock must clear: a job, results, a mapping, or the
    /// analyst's own work.
    pub fn holds_data(&self) -> bool {
        let bare = crate::workstate::Work {
            profiles: self.work.profiles.clone(),
            ..Default::default()
        };
        self.running.is_some()
            || self.dataset.is_some()
            || self.inquiry.loaded.is_some()
            || self.import != Default::default()
            || self.previous.is_some()
            || self.work != bare
    }
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::protocol::Timings;
    use ipvi_core::diag::{Diagnostic, FileSummary};

    fn start(job_id: u32) -> Action {
        Action::Start {
            job_id,
            files: vec!["NIBRS_incident.csv".into(), "NIBRS_OFFENSE.csv".into()],
            skipped: vec![],
        }
    }

    fn worker(generation: u32, msg: FromWorker) -> Action {
        Action::Worker {
            generation,
            msg,
            decode_ms: 0.0,
        }
    }

    fn progress(job_id: u32, f: f32) -> FromWorker {
        FromWorker::Progress {
            job_id,
            stage: "Reading NIBRS_OFFENSE.csv".into(),
            fraction: f,
        }
    }

    fn done(job_id: u32) -> FromWorker {
        inquiry_done(job_id)
    }

    fn run(actions: Vec<Action>) -> AppState {
        let mut st = AppState::default();
        for a in actions {
            if let Some(next) = st.apply(a) {
                st = next;
            }
        }
        st
    }

    #[test]
    fn a_job_runs_to_its_result() {
        let st = run(vec![start(1), worker(0, progress(1, 0.5))]);
        let r = st.running.as_ref().unwrap();
        assert_eq!((r.job_id, r.fraction), (1, PAGE_SHARE + (1.0 - PAGE_SHARE) * 0.5));
        let whole = run(vec![start(1), worker(0, progress(1, 1.0))]);
        assert_eq!(whole.running.unwrap().fraction, 1.0);
        let st = run(vec![start(1), worker(0, progress(1, 0.5)), worker(0, done(1))]);
        assert!(st.running.is_none());
        assert_eq!(st.inquiry.loaded.as_ref().unwrap().job_id, 1);
        assert!(st.dataset.is_some());
        assert!(st.alerts.is_empty());
        assert!(st.status.contains("0 offenders"), "{}", st.status);
    }

    #[test]
    fn stale_messages_change_nothing() {
        let base = run(vec![start(2)]);
        for stale in [
            worker(0, progress(1, 0.9)),
            worker(0, done(1)),
            worker(
                0,
                FromWorker::Failed {
                    job_id: 1,
                    error: ImportError::Unusable("x".into()),
                },
            ),
            worker(7, done(2)),
            worker(
                7,
                FromWorker::Fatal {
                    message: "old worker".into(),
                },
            ),
            Action::WorkerDied {
                generation: 7,
                message: "old worker".into(),
            },
            Action::PageFailed {
                job_id: 1,
                error: "x".into(),
            },
            Action::PageProgress {
                job_id: 1,
                stage: "Reading files".into(),
                fraction: 0.5,
            },
            Action::Dismiss(0),
        ] {
            assert_eq!(base.apply(stale.clone()), None, "{stale:?}");
        }
        assert_eq!(AppState::default().apply(Action::Cancel), None);
    }

    /// A file the page refuses (too big for a tab) after an analysis: the analysis, its import
    /// summary and its dataset stay on the page, since the worker never had the new job.
    #[test]
    fn a_file_the_page_refuses_keeps_the_results_shown_before() {
        let st = run(vec![
            start(1),
            worker(0, done(1)),
            start(2),
            Action::PageFailed {
                job_id: 2,
                error: "huge.csv is 1025 MB, more than the 1024 MB a browser tab can hold".into(),
            },
        ]);
        assert!(st.running.is_none() && st.previous.is_none());
        assert_eq!(st.inquiry.loaded.as_ref().map(|l| l.job_id), Some(1));
        assert!(st.dataset.is_some());
        assert!(st.status.contains("results shown before are kept"), "{}", st.status);
        assert!(st.alerts[0].text.contains("huge.csv"));
        // With nothing shown before, nothing comes back.
        let st = run(vec![
            start(1),
            Action::PageFailed {
                job_id: 1,
                error: "x".into(),
            },
        ]);
        assert!(st.inquiry.loaded.is_none() && st.dataset.is_none());
        assert_eq!(st.status, "The files could not be read.");
    }

    #[test]
    fn a_failure_names_the_files_and_keeps_the_app_usable() {
        let fail = FromWorker::Failed {
            job_id: 1,
            error: ImportError::Unusable("NIBRS_VICTIM_OFFENDER_REL.csv is missing".into()),
        };
        let st = run(vec![start(1), worker(0, fail)]);
        assert!(st.running.is_none());
        assert_eq!(st.alerts.len(), 1);
        assert!(
            st.alerts[0].text.contains("NIBRS_VICTIM_OFFENDER_REL.csv is missing"),
            "{}",
            st.alerts[0].text
        );
        assert!(
            st.alerts[0].text.contains("2 files (NIBRS_incident.csv"),
            "{}",
            st.alerts[0].text
        );
        // The next job starts clean and finishes.
        let st = run(vec![
            start(1),
            worker(
                0,
                FromWorker::Failed {
                    job_id: 1,
                    error: ImportError::Unusable("x".into()),
                },
            ),
            start(2),
            worker(0, done(2)),
        ]);
        assert!(st.alerts.is_empty());
        assert_eq!(st.inquiry.loaded.unwrap().job_id, 2);
    }

    #[test]
    fn a_failed_allocation_in_wasm_is_said_to_be_out_of_memory() {
        for message in [
            "Uncaught RuntimeError: unreachable",
            "RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded",
            "RangeError: Array buffer allocation failed",
        ] {
            assert!(death_cause(message).contains("ran out of memory"), "{message}");
        }
        assert!(death_cause("panicked at nibrs.rs:10:5").starts_with("an error inside the analyzer"));
    }

    #[test]
    fn a_worker_panic_is_shown_and_replaces_the_worker() {
        for died in [
            worker(
                0,
                FromWorker::Fatal {
                    message: "panicked at nibrs.rs:10:5".into(),
                },
            ),
            Action::WorkerDied {
                generation: 0,
                message: "panicked at nibrs.rs:10:5".into(),
            },
        ] {
            let st = run(vec![start(1), died.clone()]);
            assert_eq!(st.worker_generation, 1, "{died:?}");
            assert!(st.running.is_none());
            assert_eq!(st.alerts.len(), 1);
            assert!(st.alerts[0].text.contains("panicked at nibrs.rs:10:5"));
            assert!(st.alerts[0].text.contains("NIBRS_incident.csv"));
            // The same death reported twice (message and error event) restarts only once.
            let twice = run(vec![start(1), died.clone(), died.clone()]);
            assert_eq!(twice.worker_generation, 1);
            assert_eq!(twice.alerts.len(), 1);
            // The new worker serves the next job.
            let after = run(vec![start(1), died, start(2), worker(1, done(2))]);
            assert_eq!(after.inquiry.loaded.unwrap().job_id, 2);
        }
    }

    #[test]
    fn a_worker_that_dies_during_an_import_leaves_the_last_results_and_the_work() {
        use crate::workstate::WorkAction;
        let site = Action::Work(WorkAction::SetSite("Marker site".into()));
        let died = Action::WorkerDied {
            generation: 0,
            message: "RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded".into(),
        };
        let st = run(vec![start(1), worker(0, done(1)), site, start(2), died]);
        assert_eq!(st.worker_generation, 1);
        assert!(st.running.is_none() && st.previous.is_none());
        assert_eq!(
            st.inquiry.loaded.as_ref().unwrap().job_id,
            1,
            "the last results are back"
        );
        assert!(st.dataset.is_some());
        assert_eq!(st.work.site, "Marker site");
        let text = &st.alerts[0].text;
        assert!(text.contains("2 files (NIBRS_incident.csv"), "{text}");
        assert!(text.contains("ran out of memory"), "{text}");
        assert!(text.contains("results shown before it"), "{text}");
        // With nothing before, nothing comes back, and the message says less.
        let bare = run(vec![
            start(1),
            Action::WorkerDied {
                generation: 0,
                message: "boom".into(),
            },
        ]);
        assert!(bare.inquiry.loaded.is_none());
        assert!(bare.alerts[0].text.contains("an error inside the analyzer (boom)"));
        // A job that finishes drops what it set aside.
        let st = run(vec![start(1), worker(0, done(1)), start(2), worker(0, done(2))]);
        assert!(st.previous.is_none());
        assert_eq!(st.inquiry.loaded.unwrap().job_id, 2);
    }

    #[test]
    fn locking_clears_every_result_and_the_work_and_replaces_the_worker() {
        use crate::workstate::WorkAction;
        let st = run(vec![
            start(1),
            worker(0, done(1)),
            Action::Work(WorkAction::SetSite("Marker site".into())),
            Action::SetHouseholdAsFamily(false),
            start(2),
        ]);
        assert!(st.holds_data());
        let locked = st.apply(Action::Lock).unwrap();
        assert!(locked.locked);
        assert!(!locked.holds_data(), "{locked:?}");
        assert_eq!(locked.worker_generation, st.worker_generation + 1);
        assert!(locked.running.is_none() && locked.dataset.is_none() && locked.previous.is_none());
        assert!(locked.inquiry == Default::default() && locked.import == Default::default());
        assert_eq!(locked.work.site, crate::workstate::Work::default().site);
        assert!(
            !locked.code_table.household_family_as_family(),
            "settings without data stay"
        );
        // A late message from the old worker changes nothing.
        assert!(locked.apply(worker(0, done(2))).is_none());
        let open = locked.apply(Action::Unlock).unwrap();
        assert!(!open.locked);
        assert!(open.apply(Action::Unlock).is_none());
        assert!(!AppState::default().holds_data());
    }

    #[test]
    fn cancel_stops_the_job_and_replaces_the_worker() {
        let st = run(vec![start(1), worker(0, progress(1, 0.3)), Action::Cancel]);
        assert!(st.running.is_none());
        assert_eq!(st.worker_generation, 1);
        assert_eq!(st.status, "Cancelled.");
        assert!(st.alerts.is_empty());
        // A result the old worker still manages to post is ignored.
        let late = run(vec![start(1), Action::Cancel, worker(0, done(1))]);
        assert!(late.inquiry.loaded.is_none() && late.dataset.is_none());
    }

    #[test]
    fn import_alerts_name_unreadable_files_and_the_first_rejected_row() {
        let summaries = vec![
            FileSummary {
                file: "NIBRS_OFFENDER.csv".into(),
                rows_read: 9,
                rows_used: 8,
                rows_rejected: 1,
            },
            FileSummary {
                file: "NIBRS_OFFENSE.csv".into(),
                ..FileSummary::default()
            },
        ];
        let diagnostics = vec![
            Diagnostic::cell(
                Severity::Warning,
                "NIBRS_OFFENDER.csv",
                3,
                "AGE_NUM",
                "x",
                "not a number",
            ),
            Diagnostic::cell(
                Severity::Error,
                "NIBRS_OFFENDER.csv",
                5,
                "",
                "",
                "the file ends in the middle of a row",
            ),
            Diagnostic::file(Severity::Warning, "NIBRS_OFFENSE.csv", "the file is empty"),
            Diagnostic::file(Severity::Info, "NIBRS_OFFENSE.csv", "read as windows-1252"),
        ];
        let texts: Vec<String> = file_alerts(4, &summaries, &diagnostics)
            .into_iter()
            .map(|a| a.text)
            .collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(texts[0], "NIBRS_OFFENSE.csv: the file is empty");
        assert!(
            texts[1].starts_with("NIBRS_OFFENDER.csv: 1 of 9 rows were rejected."),
            "{}",
            texts[1]
        );
        assert!(texts[1].contains("row 5"), "{}", texts[1]);
    }

    #[test]
    fn choosing_nothing_usable_says_so() {
        let st = run(vec![Action::NothingToLoad {
            skipped: vec!["notes.txt".into()],
        }]);
        assert!(st.alerts[0].text.contains("notes.txt"));
        assert!(st.running.is_none());
        let st = run(vec![
            start(1),
            Action::PageFailed {
                job_id: 1,
                error: "NIBRS_OFFENSE.csv: unreadable".into(),
            },
        ]);
        assert!(st.running.is_none());
        assert_eq!(st.alerts[0].text, "NIBRS_OFFENSE.csv: unreadable");
    }

    #[test]
    fn the_household_setting_changes_the_code_table_once() {
        use ipvi_core::model::RelClass;
        let st = run(vec![Action::SetHouseholdAsFamily(false)]);
        assert_eq!(st.code_table.lookup("CF"), Some(RelClass::KnownNonFamily));
        assert_eq!(st.apply(Action::SetHouseholdAsFamily(false)), None);
        let back = run(vec![
            Action::SetHouseholdAsFamily(false),
            Action::SetHouseholdAsFamily(true),
        ]);
        assert_eq!(back.code_table.lookup("FP"), Some(RelClass::OtherFamily));
        assert_eq!(AppState::default().code_table.lookup("CF"), Some(RelClass::OtherFamily));
    }

    #[test]
    fn skipped_files_are_named_in_the_status() {
        let st = run(vec![Action::Start {
            job_id: 1,
            files: vec!["a.csv".into()],
            skipped: vec!["README.md".into()],
        }]);
        assert_eq!(st.status, "Reading a.csv. Skipped 1 that is not CSV: README.md.");
    }

    fn inquiry_view() -> crate::inquiry::InquiryView {
        crate::inquiry::InquiryView {
            window: ipvi_core::offenders::features::Window {
                as_of: ipvi_core::date::Date::from_ymd(2021, 12, 31).unwrap(),
                lookback_days: 1826,
            },
            offenders: vec![],
            timelines: vec![],
            snapshot: Default::default(),
            sources: Default::default(),
            link_stats: Default::default(),
            relationship_review: vec![],
            link_review: vec![],
            fairness: vec![],
            outreach: vec![],
            incidents: 3,
            records: 4,
            pairs: 2,
            people: 4,
            diagnostics: 0,
            metrics: None,
            indicators: vec![],
            inflow: vec![],
            loaded_notifications: vec![],
            notifications_matched: 0,
            advocates: vec![],
            data: Default::default(),
            list_rules: None,
            fidelity: None,
        }
    }

    #[test]
    fn notifications_that_come_with_the_data_join_the_list_once_and_evaluations_match_their_job() {
        use ipvi_core::notify::{NotificationKind, NotificationRecord};
        let note = NotificationRecord {
            person_id: "P000001".into(),
            record_id: Some("R1".into()),
            date: ipvi_core::date::Date::from_ymd(2021, 1, 5).unwrap(),
            list: ipvi_core::offenders::List::C,
            kind: NotificationKind::parse("letter").unwrap(),
            delivered_by: "officer".into(),
            notes: String::new(),
            events: vec![],
            outcome: Default::default(),
            incident: None,
        };
        let mut v = inquiry_view();
        v.loaded_notifications = vec![note.clone()];
        let done = |job_id| FromWorker::Inquiry {
            job_id,
            result: Box::new(v.clone()),
            timings: Timings::default(),
        };
        let st = run(vec![start(1), worker(0, done(1)), start(2), worker(0, done(2))]);
        assert_eq!(st.work.notifications, vec![note]);

        let answer = |job_id| FromWorker::Evaluated {
            job_id,
            result: Err("no data".into()),
            unmatched: 2,
        };
        // An answer nobody asked for, or to an older question, changes nothing.
        assert!(st.apply(worker(0, answer(7))).is_none());
        let asked = st
            .apply(Action::EvalStarted(8))
            .unwrap()
            .apply(Action::EvalStarted(9))
            .unwrap();
        assert!(asked.apply(worker(0, answer(8))).is_none());
        let got = asked.apply(worker(0, answer(9))).unwrap();
        assert_eq!(got.evaluating, None);
        let e = got.evaluation.as_ref().unwrap();
        assert_eq!((e.job_id, e.unmatched), (9, 2));
        assert_eq!(e.result, Err("no data".to_string()));
        // New data drops the old evaluation.
        assert!(got.apply(start(10)).unwrap().evaluation.is_none());
    }

    fn inquiry_done(job_id: u32) -> FromWorker {
        FromWorker::Inquiry {
            job_id,
            result: Box::new(inquiry_view()),
            timings: Timings::default(),
        }
    }

    #[test]
    fn an_inquiry_arrives_for_the_current_job_only() {
        let st = run(vec![start(1), worker(0, inquiry_done(1))]);
        assert!(st.running.is_none());
        let loaded = st.inquiry.loaded.as_ref().unwrap();
        assert_eq!((loaded.job_id, loaded.generation), (1, 0));
        assert!(st.status.contains("0 offenders"), "{}", st.status);
        // A stale job, or an older worker, changes nothing.
        let st2 = run(vec![start(1), start(2), worker(0, inquiry_done(1))]);
        assert!(st2.inquiry.loaded.is_none());
        assert!(st2.running.is_some());
        let st3 = run(vec![start(1), worker(5, inquiry_done(1))]);
        assert!(st3.inquiry.loaded.is_none());
        // A new job clears the old inquiry.
        let st4 = st.apply(start(3)).unwrap();
        assert!(st4.inquiry.loaded.is_none());
    }

    #[test]
    fn explanations_and_inquiry_actions_go_through_the_app_reducer() {
        use crate::inquiry_state::InquiryAction;
        let st = run(vec![
            start(1),
            worker(0, inquiry_done(1)),
            Action::Inquiry(InquiryAction::OpenPerson("P000007".into())),
        ]);
        assert_eq!(st.inquiry.person.as_deref(), Some("P000007"));
        let explained = |p: &str| {
            worker(
                0,
                FromWorker::Explained {
                    person_id: p.into(),
                    explanation: Some(Box::new(crate::inquiry::ExplainView {
                        person_id: p.into(),
                        records: vec![],
                        edges: vec![],
                    })),
                },
            )
        };
        assert!(st.apply(explained("P000008")).is_none());
        let st = st.apply(explained("P000007")).unwrap();
        assert!(st.inquiry.explained.is_some());
        assert!(st.apply(Action::Inquiry(InquiryAction::ClosePerson)).is_some());
        // Cancel replaces the worker: the dataset it held is gone with it.
        let st = run(vec![start(1), worker(0, inquiry_done(1)), start(2), Action::Cancel]);
        assert_eq!(st.worker_generation, 1);
    }
}
