//! The offender inquiry's screens behind tabs: the summary (with the counts by decision source),
//! the offender list and person pages, the victim outreach view (advocates only), the review
//! queues and the fairness view.

use super::fairness::Fairness;
use super::link_review::LinkReview;
use super::list_rules::ListRulesPanel;
use super::offender_list::OffenderList;
use super::person_page::PersonPage;
use super::review_queue::ReviewQueue;
use super::victim_outreach::VictimOutreach;
use crate::format::{count, millis};
use crate::inquiry_state::{InquiryAction, InquiryState, Tab};
use yew::prelude::*;

/// Inquiry screen properties.
#[derive(Properties, PartialEq)]
pub struct InquiryScreensProps {
    pub inquiry: InquiryState,
    /// Whether the worker still holds the data (a rerun is possible) and nothing runs.
    pub can_rerun: bool,
    pub on_action: Callback<InquiryAction>,
    pub on_rerun: Callback<()>,
    pub on_error: Callback<String>,
    /// The analyst's notification records (the person page lists those of its person).
    #[prop_or_default]
    pub notifications: Vec<ipvi_core::notify::NotificationRecord>,
    /// The list rules kept for the next analysis (`None`: the defaults).
    #[prop_or_default]
    pub list_rules: Option<ipvi_core::offenders::lists::ListRules>,
    /// Keep list rules for the next analysis.
    #[prop_or_default]
    pub on_list_rules: Callback<Option<ipvi_core::offenders::lists::ListRules>>,
}

/// `#inquiry` with `#inquiry-summary`, the tab buttons `#tab-offenders`, `#tab-outreach`,
/// `#tab-review`, `#tab-fairness`, and the screen of the tab chosen.
#[function_component(InquiryScreens)]
pub fn inquiry_screens(props: &InquiryScreensProps) -> Html {
    let q = &props.inquiry;
    let Some(loaded) = q.loaded.as_ref() else {
        return html! {};
    };
    let v = &loaded.view;
    let s = &v.sources;
    let tab = |t: Tab, id: &str, label: &str| {
        let cb = props.on_action.clone();
        html! {
            <button type="button" role="tab" id={id.to_string()} aria-selected={(q.tab == t).to_string()}
                class={classes!("tab", (q.tab == t).then_some("active"))}
                onclick={Callback::from(move |_: MouseEvent| cb.emit(InquiryAction::SetTab(t)))}>
                { label.to_string() }
            </button>
        }
    };
    let by_list = |l: &str| v.offenders.iter().filter(|o| o.assignment.list.as_str() == l).count() as u64;
    let rerun = {
        let cb = props.on_rerun.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_open = props.on_action.reform(InquiryAction::OpenPerson);
    let on_close = props.on_action.reform(|()| InquiryAction::ClosePerson);
    html! {
        <div id="inquiry" class="inquiry" data-job={loaded.job_id.to_string()}>
            <section class="panel" id="inquiry-summary" aria-labelledby="inquiry-summary-title">
                <h2 id="inquiry-summary-title">{ format!("Summary of {}", loaded.source) }</h2>
                if !v.data.identifiable {
                    <p>{ format!("{} incidents, {} person records, {} victim–offender pairs, as of {}.",
                        count(v.incidents), count(v.records), count(v.pairs), v.window.as_of) }</p>
                    <p id="no-people" class="pending">{ format!("No offender list: {}.", crate::inquiry::CANNOT_IDENTIFY) }</p>
                    <p id="source-counts">{ format!(
                        "Relationships decided by code {}, free text {}, narrative {}, offence {}, analyst {}; undecided {}; conflicts {}.",
                        count(s.code), count(s.free_text), count(s.narrative), count(s.offense), count(s.analyst), count(s.none), count(s.conflicts)) }</p>
                } else {
                <p>{ format!("{} incidents, {} person records linked into {} people, {} victim–offender pairs; lists as of {}.",
                    count(v.incidents), count(v.records), count(v.people), count(v.pairs), v.window.as_of) }</p>
                <p id="list-counts">{ format!("On the lists: A {}, B {}, C {}, D {}.", count(by_list("A")), count(by_list("B")), count(by_list("C")), count(by_list("D"))) }</p>
                <p id="source-counts">{ format!(
                    "Relationships decided by code {}, free text {}, narrative {}, offence {}, analyst {}; undecided {}; conflicts {}.",
                    count(s.code), count(s.free_text), count(s.narrative), count(s.offense), count(s.analyst), count(s.none), count(s.conflicts)) }</p>
                }
                if q.unapplied > 0 {
                    <p class="pending" id="unapplied">{ format!("{} decisions not applied yet.", q.unapplied) }</p>
                }
                if props.can_rerun {
                    <button type="button" id="rerun" onclick={rerun}>{ "Apply the decisions and analyse again" }</button>
                }
                <p class="timings" id="inquiry-timings">{ format!("Times: generating or reading the data {}, analysis {}, encoding the result {}, decoding it on the page {}.",
                    millis(loaded.timings.receive_ms), millis(loaded.timings.analyze_ms), millis(loaded.timings.encode_ms), millis(loaded.decode_ms)) }</p>
            </section>
            if v.data.identifiable {
            <div class="tabs" role="tablist" aria-label="Inquiry screens">
                { tab(Tab::Offenders, "tab-offenders", "Offender list") }
                { tab(Tab::Review, "tab-review", "Review queues") }
                { tab(Tab::Fairness, "tab-fairness", "Fairness") }
                { tab(Tab::Outreach, "tab-outreach", "Victim outreach (advocates only)") }
            </div>
            { match q.tab {
                Tab::Offenders => match &q.person {
                    Some(p) => html! { <PersonPage view={v.clone()} person_id={p.clone()} explained={q.explained.clone()} on_close={on_close}
                        recorded={props.notifications.iter().filter(|n| n.person_id == *p).cloned().collect::<Vec<_>>()} /> },
                    None => html! {
                        <>
                        <OffenderList view={v.clone()} on_open={on_open} on_error={props.on_error.clone()} />
                        <ListRulesPanel view={v.clone()} applied={props.list_rules.clone()} on_apply={props.on_list_rules.clone()}
                            on_rerun={props.can_rerun.then(|| props.on_rerun.clone())} on_error={props.on_error.clone()} />
                        </>
                    },
                },
                Tab::Outreach => html! { <VictimOutreach view={v.clone()} on_error={props.on_error.clone()} /> },
                Tab::Review => html! {
                    <>
                    <ReviewQueue view={v.clone()} kept={q.kept.clone()} on_action={props.on_action.clone()} />
                    <LinkReview view={v.clone()} kept={q.kept.clone()} on_action={props.on_action.clone()} />
                    </>
                },
                Tab::Fairness => html! { <Fairness view={v.clone()} /> },
            } }
            } else {
                <ReviewQueue view={v.clone()} kept={q.kept.clone()} on_action={props.on_action.clone()} />
            }
        </div>
    }
}
