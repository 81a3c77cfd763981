//! The screens drawn from the loaded data's report and the analyst's own records: report,
//! workload, site assessment, peer sites, notifications and evaluation. The route
//! (`crate::route`) says which one is shown; the workspace is drawn by the app, which keeps it
//! mounted.

use super::assessment_form::AssessmentForm;
use super::evaluation::Evaluation;
use super::inquiry_evaluation::{EvalRequest, InquiryEvaluation};
use super::notifications::Notifications;
use super::peer_compare::PeerCompare;
use super::report_view::{ReportSource, ReportView};
use super::workload_form::WorkloadForm;
use crate::inquiry::InquiryView;
use crate::route::Screen;
use crate::state::{EvalDone, Shared};
use crate::workstate::{Work, WorkAction};
use ipvi_core::nibrs::NibrsAnalysis;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScreensProps {
    /// Which screen (report, workload, assessment, peers, notifications or evaluation).
    pub screen: Screen,
    /// The loaded data's pairs and classes (incident-level screens).
    pub analysis: Option<Shared<NibrsAnalysis>>,
    pub work: Work,
    pub on_work: Callback<WorkAction>,
    pub on_error: Callback<String>,
    /// The inquiry, when data is loaded (any export, the FBI extract or the sample jurisdiction).
    #[prop_or_default]
    pub inquiry: Option<Shared<InquiryView>>,
    #[prop_or_default]
    pub evaluating: bool,
    #[prop_or_default]
    pub evaluation: Option<EvalDone>,
    #[prop_or_default]
    pub on_evaluate: Callback<EvalRequest>,
}

/// The screen named by the route.
#[function_component(Screens)]
pub fn screens(p: &ScreensProps) -> Html {
    let hash = p.screen.id();
    match p.analysis.as_ref() {
        _ if hash == "peers" => html! {
            <PeerCompare inquiry={p.inquiry.clone()} work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        _ if hash == "notifications" => html! {
            <Notifications work={p.work.clone()} on_work={p.on_work.clone()}
                fidelity={p.inquiry.as_ref().and_then(|v| v.fidelity.clone())}
                synthetic={p.inquiry.as_ref().is_some_and(|v| v.data.synthetic)} on_error={p.on_error.clone()} />
        },
        _ if hash == "lists" => html! {
            <WorkloadForm work={p.work.clone()} on_work={p.on_work.clone()} inflow={p.inquiry.as_ref().map(|v| v.inflow.clone())} />
        },
        _ if hash == "assessment" => html! {
            <AssessmentForm inquiry={p.inquiry.clone()} work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        _ if hash == "report" && p.inquiry.is_some() => match p.inquiry.as_ref() {
            Some(v) => html! {
                <ReportView source={ReportSource::Inquiry(v.clone())} work={p.work.clone()} on_work={p.on_work.clone()} on_error={p.on_error.clone()} />
            },
            None => html! {},
        },
        // People who can be identified: the notifications' evaluation. Otherwise the incidents'.
        _ if hash == "evaluation" && p.inquiry.as_ref().is_some_and(|v| v.data.identifiable) => {
            match p.inquiry.as_ref() {
                Some(v) => html! {
                    <InquiryEvaluation view={v.clone()} work={p.work.clone()} on_work={p.on_work.clone()}
                        evaluating={p.evaluating} evaluation={p.evaluation.clone()} on_evaluate={p.on_evaluate.clone()} />
                },
                None => html! {},
            }
        }
        Some(a) if hash == "evaluation" => html! {
            <Evaluation analysis={a.clone()} work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        None if hash == "report" || hash == "evaluation" => html! {
            <section class="panel screen" id={hash}>
                <p class="empty">{ "Load an export, a NIBRS extract or the sample data first: this screen is drawn from the loaded data." }</p>
            </section>
        },
        _ => html! {},
    }
}
