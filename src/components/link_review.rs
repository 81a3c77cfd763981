//! The linkage review queue: borderline pairs of person records, each field's contribution to
//! the match weight, and Confirm / Split buttons kept as linkage decisions for the next run.

use crate::inquiry::{InquiryView, RecordBrief};
use crate::inquiry_state::InquiryAction;
use crate::state::Shared;
use ipvi_core::linkage::explain::{plain_comparison, plain_contribution, plain_level};
use ipvi_core::pipeline::Kept;
use yew::prelude::*;

/// Link review properties.
#[derive(Properties, PartialEq)]
pub struct LinkReviewProps {
    pub view: Shared<InquiryView>,
    pub kept: std::rc::Rc<Kept>,
    pub on_action: Callback<InquiryAction>,
}

/// Pairs shown at most.
const SHOWN: usize = 50;

fn record(r: &RecordBrief) -> Html {
    html! {
        <div class="record">
            <strong>{ &r.name }</strong>
            <span>{ format!(" {} · {} · {}", r.dob.map(|d| d.to_string()).unwrap_or_else(|| "no DOB".into()), r.sex, r.address) }</span>
            <span class="help">{ format!(" (record {}, incident {}, {})", r.record_id, r.incident_id, r.role) }</span>
        </div>
    }
}

/// `#review-links` with `button.confirm-link` / `button.split-link` per pair.
#[function_component(LinkReview)]
pub fn link_review(props: &LinkReviewProps) -> Html {
    let v = &props.view;
    let d = &props.kept.link_decisions;
    let decided = |a: &str, b: &str, list: &[(String, String)]| {
        list.iter().any(|p| (p.0 == a && p.1 == b) || (p.0 == b && p.1 == a))
    };
    html! {
        <section class="panel" id="review-links" aria-labelledby="review-links-title">
            <h2 id="review-links-title">{ "Person records to review" }</h2>
            <p class="help">{ format!(
                "{} borderline pairs (showing the {} closest to even odds). Confirm that two records are one person, \
                 or split them: kept and respected on the next run ({} confirmed, {} split).",
                crate::format::count(v.link_review.len() as u64), SHOWN.min(v.link_review.len()), d.confirm.len(), d.split.len()) }</p>
            <ol class="link-pairs">
            { for v.link_review.iter().take(SHOWN).map(|p| {
                let send = |same: bool| {
                    let cb = props.on_action.clone();
                    let (a, b) = (p.a.record_id.clone(), p.b.record_id.clone());
                    Callback::from(move |_: MouseEvent| cb.emit(InquiryAction::LinkDecision {
                        record_a: a.clone(), record_b: b.clone(), same,
                    }))
                };
                let confirmed = decided(&p.a.record_id, &p.b.record_id, &d.confirm);
                let split = decided(&p.a.record_id, &p.b.record_id, &d.split);
                html! {
                    <li class="link-pair">
                        { record(&p.a) }
                        { record(&p.b) }
                        <p>{ format!("Chance that these are one person: {:.0}%; now counted as {}.", p.probability * 100.0,
                            if p.same_person { "one person" } else { "two people" }) }</p>
                        <table class="fields">
                            <caption>{ "What each field says: how much likelier it makes one person than two (odds are multiplied field by field)" }</caption>
                            <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "The two records' values are" }</th><th scope="col">{ "Evidence" }</th></tr></thead>
                            <tbody>
                            { for p.fields.iter().map(|f| html! {
                                <tr><td>{ plain_comparison(&f.comparison) }</td><td>{ plain_level(&f.level) }</td>
                                    <td>{ plain_contribution(f.log2_bayes_factor + f.tf_adjustment) }</td></tr>
                            }) }
                            </tbody>
                        </table>
                        <button type="button" class="confirm-link" aria-pressed={confirmed.to_string()} onclick={send(true)}>{ "Same person" }</button>
                        <button type="button" class="split-link secondary" aria-pressed={split.to_string()} onclick={send(false)}>{ "Different people" }</button>
                    </li>
                }
            }) }
            </ol>
        </section>
    }
}
