//! What the generic import did: the profile it used and how it was chosen, rows read, used and
//! rejected per file, every problem with file, row, column, value and what to do, and the
//! downloads of the rejected rows, the problems and the profile.

use super::import_summary::ImportSummary;
use crate::format::count;
use crate::import_state::{ImportReport, ProfileSource};
use crate::state::Shared;
use ipvi_core::diag::Severity;
use yew::prelude::*;

use super::diagnostics_list::{diagnostics_table, SHOWN};

/// Import report properties.
#[derive(Properties, PartialEq)]
pub struct ImportReportProps {
    pub report: Shared<ImportReport>,
    pub on_error: Callback<String>,
}

fn download(
    name: &'static str,
    mime: &'static str,
    text: impl Fn() -> String + 'static,
    on_error: Callback<String>,
) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        if let Err(e) = crate::download::download_text(name, mime, &text()) {
            on_error.emit(e);
        }
    })
}

/// `section#import-report`: `#import-profile`, `#import-throughput`, the import summary table,
/// `table#import-problems`, `button#download-rejected`, `button#download-import-problems` and
/// `button#download-profile`.
#[function_component(ImportReportView)]
pub fn import_report_view(props: &ImportReportProps) -> Html {
    let r = &props.report;
    let how = match r.source {
        ProfileSource::Saved => "a saved profile whose columns match",
        ProfileSource::Builtin => "a built-in profile",
        ProfileSource::Confirmed => "the mapping you confirmed",
    };
    let n = |s: Severity| r.diagnostics.iter().filter(|d| d.severity == s).count() as u64;
    let on_rejected = {
        let r = r.clone();
        download(
            "ipvi-rejected-rows.csv",
            "text/csv;charset=utf-8",
            move || ipvi_core::import::rejected_to_csv(&r.rejected),
            props.on_error.clone(),
        )
    };
    let on_problems = {
        let r = r.clone();
        download(
            "ipvi-import-problems.csv",
            "text/csv;charset=utf-8",
            move || crate::export::diagnostics_csv(&r.diagnostics),
            props.on_error.clone(),
        )
    };
    let on_profile = {
        let r = r.clone();
        download(
            "ipvi-import-profile.json",
            "application/json",
            move || r.profile.to_json(),
            props.on_error.clone(),
        )
    };
    html! {
        <div id="import-report" class="import-report">
            <section class="panel" aria-labelledby="import-profile-title">
                <h2 id="import-profile-title">{ "Import" }</h2>
                <p id="import-profile">{ format!("Read with the profile \u{201c}{}\u{201d}: {how}.", r.profile.name) }</p>
                <p id="import-throughput" class="timings" data-bytes={r.bytes.to_string()} data-read-ms={format!("{:.0}", r.read_ms)} data-import-ms={format!("{:.0}", r.import_ms)} data-memory-bytes={r.memory_bytes.to_string()}>
                    { format!("{:.1} MB read and imported in {:.2} s{}; audit {:.2} s.",
                        r.bytes as f64 / 1_048_576.0, r.read_ms / 1000.0,
                        r.read_mb_per_s().map(|x| format!(" ({x:.1} MB/s)")).unwrap_or_default(),
                        r.import_ms / 1000.0) }
                </p>
                <button type="button" id="download-profile" class="secondary" onclick={on_profile}>
                    { "Download the import profile (JSON, no personal data)" }
                </button>
            </section>
            <ImportSummary files={r.summaries.clone()} on_error={props.on_error.clone()} />
            <section class="panel" id="import-problems-panel" aria-labelledby="import-problems-title">
                <h2 id="import-problems-title">{ "Problems found in the export" }</h2>
                <p id="import-problems-count">
                    { format!("{} errors, {} warnings, {} notes; {} rows rejected.", count(n(Severity::Error)), count(n(Severity::Warning)),
                        count(n(Severity::Info)), count(r.rejected.len() as u64)) }
                    if r.diagnostics.len() > SHOWN {
                        { crate::components::diagnostics_list::shown_of_all(r.diagnostics.len()) }
                    }
                </p>
                <div class="actions">
                    <button type="button" id="download-rejected" onclick={on_rejected} disabled={r.rejected.is_empty()}>
                        { "Download the rejected rows (CSV)" }
                    </button>
                    <button type="button" id="download-import-problems" class="secondary" onclick={on_problems} disabled={r.diagnostics.is_empty()}>
                        { "Download the problems (CSV)" }
                    </button>
                </div>
                if !r.diagnostics.is_empty() {
                    { diagnostics_table("import-problems", "Problems found in the export", "What is wrong and what to do", &r.diagnostics) }
                }
            </section>
        </div>
    }
}
