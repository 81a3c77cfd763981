//! The analyst's screens beyond the import: report, workload, site assessment, peer sites,
//! notifications and evaluation, and the link to the encrypted workspace (drawn by the app, which
//! keeps it mounted). A navigation bar of links; the location's hash (`#report`, `#workload`, ...)
//! says which screen is shown, so the browser's back button and keyboard (Tab, Enter) work as on
//! any page.

use super::assessment_form::AssessmentForm;
use super::evaluation::Evaluation;
use super::inquiry_evaluation::{EvalRequest, InquiryEvaluation};
use super::notifications::Notifications;
use super::peer_compare::PeerCompare;
use super::report_view::{ReportSource, ReportView};
use super::workload_form::WorkloadForm;
use crate::inquiry::InquiryView;
use crate::state::{EvalDone, Shared};
use crate::workstate::{Work, WorkAction};
use ipvi_core::nibrs::NibrsAnalysis;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The screens, by hash and label.
pub const SCREENS: [(&str, &str); 7] = [
    ("report", "Report"),
    ("workload", "Workload and capacity"),
    ("assessment", "Site assessment"),
    ("peers", "Peer sites"),
    ("notifications", "Notifications"),
    ("evaluation", "Evaluation"),
    ("workspace", "Workspace"),
];

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct ScreensProps {
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

/// The location's hash without `#`, kept up to date.
#[hook]
pub fn use_hash() -> UseStateHandle<String> {
    let hash = use_state(current_hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || hash.set(current_hash()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    hash
}

/// The navigation and the screen named by the hash.
#[function_component(Screens)]
pub fn screens(p: &ScreensProps) -> Html {
    let hash = use_hash();
    let screen = match p.analysis.as_ref() {
        _ if hash.as_str() == "peers" => html! {
            <PeerCompare inquiry={p.inquiry.clone()} work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        _ if hash.as_str() == "notifications" => html! {
            <Notifications work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        _ if hash.as_str() == "workload" => html! {
            <WorkloadForm work={p.work.clone()} on_work={p.on_work.clone()} inflow={p.inquiry.as_ref().map(|v| v.inflow.clone())} />
        },
        _ if hash.as_str() == "assessment" => html! {
            <AssessmentForm inquiry={p.inquiry.clone()} work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        _ if hash.as_str() == "report" && p.inquiry.is_some() => match p.inquiry.as_ref() {
            Some(v) => html! {
                <ReportView source={ReportSource::Inquiry(v.clone())} work={p.work.clone()} on_work={p.on_work.clone()} on_error={p.on_error.clone()} />
            },
            None => html! {},
        },
        // People who can be identified: the notifications' evaluation. Otherwise the incidents'.
        _ if hash.as_str() == "evaluation" && p.inquiry.as_ref().is_some_and(|v| v.data.identifiable) => {
            match p.inquiry.as_ref() {
                Some(v) => html! {
                    <InquiryEvaluation view={v.clone()} work={p.work.clone()} on_work={p.on_work.clone()}
                        evaluating={p.evaluating} evaluation={p.evaluation.clone()} on_evaluate={p.on_evaluate.clone()} />
                },
                None => html! {},
            }
        }
        Some(a) if hash.as_str() == "evaluation" => html! {
            <Evaluation analysis={a.clone()} work={p.work.clone()} on_work={p.on_work.clone()} />
        },
        None if hash.as_str() == "report" || hash.as_str() == "evaluation" => html! {
            <section class="panel screen" id={(*hash).clone()}>
                <p class="empty">{ "Load an export, a NIBRS extract or the sample data first: this screen is drawn from the loaded data." }</p>
            </section>
        },
        _ => html! {},
    };
    html! {
        <>
            <nav class="screens-nav" aria-label="Screens">
                <ul>
                    { for SCREENS.iter().map(|(id, label)| {
                        let current = hash.as_str() == *id;
                        html! {
                            <li><a href={format!("#{id}")} id={format!("nav-{id}")}
                                aria-current={current.then_some("page")}>{ *label }</a></li>
                        }
                    }) }
                </ul>
            </nav>
            { screen }
        </>
    }
}
