//! The data screen: the mapping of an export not seen before, the summary of what was analysed,
//! the files to load (or the sample), the import settings and saved profiles, and the import
//! report with the data-quality audit.

use super::audit_view::AuditView;
use super::file_picker::{FilePicker, Picked};
use super::import_report::ImportReportView;
use super::inquiry_screens::InquirySummary;
use super::mapping_screen::MappingScreen;
use super::profiles_panel::ProfilesPanel;
use super::sample_data::{SampleData, SampleRequest};
use super::settings::Settings;
use crate::import_state::{DraftAction, ImportState};
use crate::inquiry_state::InquiryState;
use crate::workstate::WorkAction;
use ipvi_core::classify::CodeTable;
use ipvi_core::import::Profile;
use yew::prelude::*;

/// The data screen's properties: what it shows and what the analyst can do there.
#[derive(Properties, PartialEq)]
pub struct DataScreenProps {
    pub import: ImportState,
    pub inquiry: InquiryState,
    /// A job runs: loading is disabled.
    pub busy: bool,
    pub can_rerun: bool,
    pub can_reanalyse: bool,
    pub code_table: CodeTable,
    pub profiles: Vec<Profile>,
    pub on_pick: Callback<Picked>,
    pub on_sample: Callback<SampleRequest>,
    pub on_rerun: Callback<()>,
    pub on_reanalyse: Callback<()>,
    pub on_household: Callback<bool>,
    pub on_work: Callback<WorkAction>,
    pub on_draft: Callback<DraftAction>,
    pub on_confirm_mapping: Callback<()>,
    pub on_close_mapping: Callback<()>,
    pub on_error: Callback<String>,
}

/// `#load-title` and the parts above.
#[function_component(DataScreen)]
pub fn data_screen(p: &DataScreenProps) -> Html {
    let has_data = p.inquiry.loaded.is_some();
    let sources = p.inquiry.loaded.as_ref().map(|l| l.view.sources.clone());
    let reanalyse = p.on_reanalyse.reform(|_: MouseEvent| ());
    html! {
        <>
            if let Some(draft) = p.import.draft.clone() {
                <MappingScreen draft={draft} busy={p.busy} on_action={p.on_draft.clone()}
                    on_confirm={p.on_confirm_mapping.clone()} on_cancel={p.on_close_mapping.clone()} />
            }
            <InquirySummary inquiry={p.inquiry.clone()} can_rerun={p.can_rerun} on_rerun={p.on_rerun.clone()} />
            <section class={classes!("panel", "load", has_data.then_some("load-again"))} aria-labelledby="load-title">
                <h2 id="load-title">{ if has_data { "Load other files" } else { "Load a NIBRS extract or an agency export" } }</h2>
                <FilePicker busy={p.busy} on_pick={p.on_pick.clone()} />
                <SampleData busy={p.busy} on_load={p.on_sample.clone()} />
                <Settings code_table={p.code_table.clone()} busy={p.busy} on_household_as_family={p.on_household.clone()} />
                <ProfilesPanel profiles={p.profiles.clone()} on_work={p.on_work.clone()} on_error={p.on_error.clone()} />
                if p.can_reanalyse {
                    <button type="button" id="reanalyse" class="secondary" onclick={reanalyse}>
                        { "Analyse the same files again" }
                    </button>
                }
            </section>
            if let Some(report) = p.import.report.clone() {
                <ImportReportView report={report.clone()} on_error={p.on_error.clone()} />
                <AuditView report={report} sources={sources} on_error={p.on_error.clone()} />
            }
        </>
    }
}
