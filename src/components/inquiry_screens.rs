//! The offender inquiry's parts, one per screen: the summary on the data screen (with the counts
//! by decision source), the people screen (the offender list, person pages and the links to
//! review), the lists screen's counts and fairness view, and the victim outreach view (advocates
//! only). Which one shows is the route's business (`components::app`).

use super::link_review::LinkReview;
use super::offender_list::OffenderList;
use super::person_page::PersonPage;
use super::victim_outreach::VictimOutreach;
use crate::format::{count, millis};
use crate::inquiry::InquiryView;
use crate::inquiry_state::{InquiryAction, InquiryState};
use crate::offender_table::list_sizes;
use crate::state::Shared;
use yew::prelude::*;

/// Summary properties.
#[derive(Properties, PartialEq)]
pub struct InquirySummaryProps {
    pub inquiry: InquiryState,
    /// Whether the worker still holds the data (a rerun is possible) and nothing runs.
    pub can_rerun: bool,
    pub on_rerun: Callback<()>,
}

/// `#inquiry-summary`: what was analysed, the list counts, how relationships were decided, the
/// decisions not applied yet and the times.
#[function_component(InquirySummary)]
pub fn inquiry_summary(props: &InquirySummaryProps) -> Html {
    let q = &props.inquiry;
    let Some(loaded) = q.loaded.as_ref() else {
        return html! {};
    };
    let v = &loaded.view;
    let s = &v.sources;
    let rerun = props.on_rerun.reform(|_: MouseEvent| ());
    html! {
        <section class="panel" id="inquiry-summary" data-job={loaded.job_id.to_string()} aria-labelledby="inquiry-summary-title">
            <h2 id="inquiry-summary-title">{ format!("Summary of {}", loaded.source) }</h2>
            if !v.data.identifiable {
                <p>{ format!("{} incidents, {} person records, {} victim–offender pairs, as of {}.",
                    count(v.incidents), count(v.records), count(v.pairs), v.window.as_of) }</p>
                <p id="no-people" class="pending">{ format!("No offender list: {}.", crate::inquiry::CANNOT_IDENTIFY) }</p>
            } else {
                <p>{ format!("{} incidents, {} person records linked into {} people, {} victim–offender pairs; lists as of {}.",
                    count(v.incidents), count(v.records), count(v.people), count(v.pairs), v.window.as_of) }</p>
                <p id="list-counts">{ format!("On the lists: {}.", list_sizes(&v.offenders).map(|(l, n)| format!("{} {}", l.as_str(), count(n))).join(", ")) }</p>
            }
            <p id="source-counts">{ format!(
                "Relationships decided by code {}, free text {}, narrative {}, offence {}, analyst {}; undecided {}; conflicts {}.",
                count(s.code), count(s.free_text), count(s.narrative), count(s.offense), count(s.analyst), count(s.none), count(s.conflicts)) }</p>
            if q.unapplied > 0 {
                <p class="pending" id="unapplied">{ format!("{} decisions not applied yet.", q.unapplied) }</p>
            }
            if props.can_rerun {
                <button type="button" id="rerun" onclick={rerun}>{ "Apply the decisions and analyse again" }</button>
            }
            <p class="timings" id="inquiry-timings">{ format!("Times: generating or reading the data {}, analysis {}{}, encoding the result {}, decoding it on the page {}.",
                millis(loaded.timings.receive_ms), millis(loaded.timings.analyze_ms), helpers_note(loaded.timings.helpers),
                millis(loaded.timings.encode_ms), millis(loaded.decode_ms)) }</p>
        </section>
    }
}

/// Who scored the linkage's candidate pairs, when helper workers did.
fn helpers_note(helpers: u32) -> String {
    match helpers {
        0 => String::new(),
        1 => " (candidate pairs scored in 1 helper worker)".to_string(),
        n => format!(" (candidate pairs scored in {n} helper workers side by side)"),
    }
}

/// Where a screen needs people identified across incidents and the data does not allow it.
fn no_people() -> Html {
    html! {
        <p class="empty" id="no-people-here">{ format!("No offender list: {}.", crate::inquiry::CANNOT_IDENTIFY) }</p>
    }
}

/// The people screen's properties.
#[derive(Properties, PartialEq)]
pub struct PeopleViewProps {
    pub inquiry: InquiryState,
    /// The person page open (from the route).
    pub person: Option<String>,
    pub on_action: Callback<InquiryAction>,
    pub on_open: Callback<String>,
    pub on_close: Callback<()>,
    pub on_error: Callback<String>,
    /// The analyst's notification records (the person page lists those of its person).
    #[prop_or_default]
    pub notifications: Vec<ipvi_core::notify::NotificationRecord>,
}

/// The offender list or the open person's page, and the record links to confirm or split.
#[function_component(PeopleView)]
pub fn people_view(props: &PeopleViewProps) -> Html {
    let q = &props.inquiry;
    let Some(loaded) = q.loaded.as_ref() else {
        return html! {};
    };
    let v = &loaded.view;
    if !v.data.identifiable {
        return no_people();
    }
    // The list stays mounted under an open person page, so that its filters, sort and page are
    // as the analyst left them on the way back.
    let open = props.person.clone();
    html! {
        <>
            if let Some(p) = open.clone() {
                if v.offender(&p).is_none() {
                    <p><a href="#people" id="back-to-list">{ "Back to the offender list" }</a></p>
                }
                <PersonPage view={v.clone()} person_id={p.clone()} explained={q.explained.clone()} on_close={props.on_close.clone()}
                    recorded={props.notifications.iter().filter(|n| n.person_id == p).cloned().collect::<Vec<_>>()} />
            }
            <div hidden={open.is_some()}>
                <OffenderList view={v.clone()} on_open={props.on_open.clone()} on_error={props.on_error.clone()} />
                <LinkReview view={v.clone()} kept={q.kept.clone()} on_action={props.on_action.clone()} />
            </div>
        </>
    }
}

/// The lists screen's counts by list (the workload and the fairness view follow them).
#[derive(Properties, PartialEq)]
pub struct ListsViewProps {
    pub view: Shared<InquiryView>,
}

/// `#list-sizes`: how many people are on each list.
#[function_component(ListsView)]
pub fn lists_view(props: &ListsViewProps) -> Html {
    let v = &props.view;
    if !v.data.identifiable {
        return no_people();
    }
    html! {
        <>
            <section class="panel" id="list-sizes" aria-labelledby="list-sizes-title">
                <h2 id="list-sizes-title">{ format!("The lists as of {}", v.window.as_of) }</h2>
                <dl class="facts">
                    { for list_sizes(&v.offenders).into_iter().map(|(l, n)| html! {
                        <div><dt>{ format!("List {}", l.as_str()) }</dt><dd id={format!("list-size-{}", l.as_str().to_lowercase())}>{ count(n) }</dd></div>
                    }) }
                </dl>
            </section>
        </>
    }
}

/// The outreach screen's properties.
#[derive(Properties, PartialEq)]
pub struct OutreachViewProps {
    pub view: Shared<InquiryView>,
    pub on_error: Callback<String>,
}

/// The victim outreach view (advocates only).
#[function_component(OutreachView)]
pub fn outreach_view(props: &OutreachViewProps) -> Html {
    if !props.view.data.identifiable {
        return no_people();
    }
    html! { <VictimOutreach view={props.view.clone()} on_error={props.on_error.clone()} /> }
}
