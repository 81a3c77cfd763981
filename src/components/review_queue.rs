//! The relationship review queue: decisions with low confidence or a conflict between the code,
//! the free text and the narrative. The analyst sets the class; it is kept as an override and
//! applied on the next run.

use crate::inquiry::InquiryView;
use crate::inquiry_state::InquiryAction;
use crate::state::Shared;
use ipvi_core::model::{DecisionSource, RelClass};
use ipvi_core::pipeline::Kept;
use ipvi_core::textclass::Override;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Review queue properties.
#[derive(Properties, PartialEq)]
pub struct ReviewQueueProps {
    pub view: Shared<InquiryView>,
    pub kept: std::rc::Rc<Kept>,
    pub on_action: Callback<InquiryAction>,
}

/// A label for a decision source.
pub fn source_label(s: DecisionSource) -> &'static str {
    match s {
        DecisionSource::Code => "code",
        DecisionSource::FreeText => "free text",
        DecisionSource::Narrative => "narrative",
        DecisionSource::Offense => "offence",
        DecisionSource::Analyst => "analyst",
        DecisionSource::None => "none",
    }
}

/// Rows shown at most.
const SHOWN: usize = 100;

/// `#review-relationships` with one `select.set-class` per row.
#[function_component(ReviewQueue)]
pub fn review_queue(props: &ReviewQueueProps) -> Html {
    let v = &props.view;
    html! {
        <section class="panel" id="review-relationships" aria-labelledby="review-rel-title">
            <h2 id="review-rel-title">{ "Relationships to review" }</h2>
            <p class="help">{ format!(
                "{} pairs decided with low confidence or with sources that disagree (showing {}). Set the class: \
                 it is kept and applied on the next run ({} kept).",
                crate::format::count(v.relationship_review.len() as u64),
                SHOWN.min(v.relationship_review.len()),
                props.kept.overrides.len()) }</p>
            <div class="table-wrap">
            <table id="review-relationships-table" aria-labelledby="review-rel-title">
                <thead><tr>
                    <th scope="col">{ "Incident" }</th><th scope="col">{ "Code" }</th><th scope="col">{ "Free text" }</th>
                    <th scope="col">{ "Class" }</th><th scope="col">{ "Confidence" }</th><th scope="col">{ "Source" }</th>
                    <th scope="col">{ "Reason" }</th><th scope="col">{ "Analyst's class" }</th>
                </tr></thead>
                <tbody>
                { for v.relationship_review.iter().take(SHOWN).map(|r| {
                    let kept = props.kept.overrides.get(&r.incident_id, &r.victim_record_id, &r.offender_record_id).map(|o| o.class);
                    let on_change = {
                        let cb = props.on_action.clone();
                        let (inc, vic, off) = (r.incident_id.clone(), r.victim_record_id.clone(), r.offender_record_id.clone());
                        Callback::from(move |e: Event| {
                            let s: HtmlSelectElement = e.target_unchecked_into();
                            match RelClass::parse(&s.value()) {
                                Some(class) => cb.emit(InquiryAction::SetOverride(Override {
                                    incident_id: inc.clone(),
                                    victim_record_id: vic.clone(),
                                    offender_record_id: off.clone(),
                                    class,
                                    note: String::new(),
                                    by: String::new(),
                                    date: String::new(),
                                })),
                                None => cb.emit(InquiryAction::RemoveOverride {
                                    incident_id: inc.clone(),
                                    victim_record_id: vic.clone(),
                                    offender_record_id: off.clone(),
                                }),
                            }
                        })
                    };
                    html! {
                        <tr class={classes!(r.conflict.then_some("conflict"))}>
                            <td>{ &r.incident_id }</td>
                            <td>{ r.code.clone().unwrap_or_default() }</td>
                            <td>{ r.text.clone().unwrap_or_default() }</td>
                            <td>{ r.class.label() }</td>
                            <td class="num">{ format!("{:.2}", r.confidence) }</td>
                            <td>{ source_label(r.source) }{ if r.conflict { " (conflict)" } else { "" } }</td>
                            <td>{ &r.reason }</td>
                            <td>
                                <select class="set-class" aria-label={format!("Class of the pair in incident {}", r.incident_id)} onchange={on_change}>
                                    <option value="" selected={kept.is_none()}>{ "(as decided)" }</option>
                                    { for RelClass::ALL.iter().map(|c| html! {
                                        <option value={c.as_str()} selected={kept == Some(*c)}>{ c.label() }</option>
                                    }) }
                                </select>
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
