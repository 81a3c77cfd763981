//! The problems the import found, row by row, and their download as CSV.

use crate::format::count;
use crate::state::Shared;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::nibrs::NibrsAnalysis;
use yew::prelude::*;

/// How many diagnostics to list on the page; the download holds every one the import kept.
pub const SHOWN: usize = 200;

/// Diagnostics properties.
#[derive(Properties, PartialEq)]
pub struct DiagnosticsListProps {
    pub analysis: Shared<NibrsAnalysis>,
    /// A download failed: show why.
    pub on_error: Callback<String>,
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "Info",
        Severity::Warning => "Warning",
        Severity::Error => "Error",
    }
}

/// The first [`SHOWN`] problems as a table: severity, file, row, column, value and message (the
/// last column headed `message_header`).
pub fn diagnostics_table(
    id: &'static str,
    caption: &'static str,
    message_header: &'static str,
    diags: &[Diagnostic],
) -> Html {
    html! {
        <div class="table-scroll">
            <table id={id}>
                <caption class="visually-hidden">{ caption }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Severity" }</th>
                        <th scope="col">{ "File" }</th>
                        <th scope="col">{ "Row" }</th>
                        <th scope="col">{ "Column" }</th>
                        <th scope="col">{ "Value" }</th>
                        <th scope="col">{ message_header }</th>
                    </tr>
                </thead>
                <tbody>
                    { for diags.iter().take(SHOWN).map(|d| html! {
                        <tr class={format!("severity-{}", severity_label(d.severity).to_ascii_lowercase())}>
                            <td>{ severity_label(d.severity) }</td>
                            <td>{ &d.file }</td>
                            <td class="num">{ d.row.map(|r| r.to_string()).unwrap_or_default() }</td>
                            <td>{ d.column.clone().unwrap_or_default() }</td>
                            <td><code>{ d.value.clone().unwrap_or_default() }</code></td>
                            <td>{ &d.message }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// What the page lists of `n` problems, and that the download has every one.
pub fn shown_of_all(n: usize) -> String {
    format!(
        " Showing the first {SHOWN} of {}; the download has all of them.",
        count(n as u64)
    )
}

/// `section#diagnostics` with `table#diagnostics-table` and `button#download-diagnostics`.
#[function_component(DiagnosticsList)]
pub fn diagnostics_list(props: &DiagnosticsListProps) -> Html {
    let diags = &props.analysis.diagnostics;
    let n = |s: Severity| diags.iter().filter(|d| d.severity == s).count() as u64;
    let on_download = {
        let analysis = props.analysis.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let text = crate::export::diagnostics_csv(&analysis.diagnostics);
            if let Err(e) = crate::download::download_text("ipvi-diagnostics.csv", "text/csv;charset=utf-8", &text) {
                on_error.emit(e);
            }
        })
    };
    html! {
        <section class="panel" id="diagnostics" aria-labelledby="diagnostics-title">
            <h2 id="diagnostics-title">{ "Problems found in the files" }</h2>
            <p id="diagnostics-count">
                { format!("{} errors, {} warnings, {} notes.", count(n(Severity::Error)), count(n(Severity::Warning)), count(n(Severity::Info))) }
                if diags.len() > SHOWN {
                    { shown_of_all(diags.len()) }
                }
            </p>
            <button type="button" id="download-diagnostics" onclick={on_download} disabled={diags.is_empty()}>
                { "Download the problems (CSV)" }
            </button>
            if !diags.is_empty() {
                { diagnostics_table("diagnostics-table", "Problems found in the files", "What is wrong", diags) }
            }
        </section>
    }
}
