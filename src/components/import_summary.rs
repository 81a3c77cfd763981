//! What the import read, used and rejected, per file.

use crate::format::count;
use ipvi_core::diag::FileSummary;
use yew::prelude::*;

/// Import summary properties.
#[derive(Properties, PartialEq)]
pub struct ImportSummaryProps {
    pub files: Vec<FileSummary>,
    /// A download failed: show why.
    pub on_error: Callback<String>,
}

/// `table#import-summary`, rows `tr[data-file]` with `td.rows-read`, `td.rows-used`,
/// `td.rows-rejected`.
#[function_component(ImportSummary)]
pub fn import_summary(props: &ImportSummaryProps) -> Html {
    let on_download = {
        let files = props.files.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let text = crate::export::file_summary_csv(&files);
            if let Err(e) = crate::download::download_text("ipvi-import-summary.csv", "text/csv;charset=utf-8", &text) {
                on_error.emit(e);
            }
        })
    };
    html! {
        <section class="panel" aria-labelledby="import-title">
            <h2 id="import-title">{ "Import summary" }</h2>
            <table id="import-summary" class="numbers">
                <caption>{ "Rows read, used and rejected in each file the analysis needs." }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "File" }</th>
                        <th scope="col">{ "Rows read" }</th>
                        <th scope="col">{ "Used" }</th>
                        <th scope="col">{ "Rejected" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for props.files.iter().map(|f| html! {
                        <tr data-file={f.file.clone()} class={classes!((f.rows_rejected > 0).then_some("has-rejects"))}>
                            <th scope="row">{ &f.file }</th>
                            <td class="rows-read num">{ count(f.rows_read) }</td>
                            <td class="rows-used num">{ count(f.rows_used) }</td>
                            <td class="rows-rejected num">{ count(f.rows_rejected) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" id="download-summary" class="secondary" onclick={on_download}>
                { "Download the import summary (CSV)" }
            </button>
        </section>
    }
}
