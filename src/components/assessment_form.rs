//! The site assessment: the checklist of policies and operations the intervention depends on,
//! answered with radio groups (yes, partly, no) and notes, each beside what the loaded data shows
//! for that item where it can. The answers go into the report.

use crate::inquiry::InquiryView;
use crate::state::Shared;
use crate::workstate::{Work, WorkAction};
use ipvi_core::report::assessment::Answer;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AssessmentFormProps {
    /// The inquiry of the loaded data (its indicators), if any.
    pub inquiry: Option<Shared<InquiryView>>,
    pub work: Work,
    pub on_work: Callback<WorkAction>,
}

const ANSWERS: [(Answer, &str, &str); 3] = [
    (Answer::Yes, "yes", "Yes"),
    (Answer::Partly, "partly", "Partly"),
    (Answer::No, "no", "No"),
];

/// The site assessment screen.
#[function_component(AssessmentForm)]
pub fn assessment_form(p: &AssessmentFormProps) -> Html {
    let indicators = p.inquiry.as_ref().map(|v| v.indicators.clone()).unwrap_or_default();
    let items = p.work.assessment.iter().map(|it| {
        let shown = if p.inquiry.is_none() {
            "Load data to see what it shows.".to_string()
        } else {
            indicators
                .iter()
                .find(|i| i.id == it.id)
                .map(|i| i.text.clone())
                .unwrap_or_else(|| "Not measurable from these records.".into())
        };
        let id = it.id.clone();
        let on_notes = {
            let id = id.clone();
            p.on_work.reform(move |e: Event| {
                WorkAction::SetNotes(id.clone(), e.target_unchecked_into::<HtmlTextAreaElement>().value())
            })
        };
        html! {
            <fieldset class="assessment-item" id={format!("assess-{id}")}>
                <legend>{ &it.question }</legend>
                <p class="why">{ &it.why }</p>
                <div class="radios">
                    { for ANSWERS.iter().map(|&(answer, value, label)| {
                        let input_id = format!("assess-{id}-{value}");
                        let on = {
                            let id = id.clone();
                            p.on_work.reform(move |_: Event| WorkAction::SetAnswer(id.clone(), answer))
                        };
                        html! {
                            <label for={input_id.clone()}>
                                <input type="radio" id={input_id} name={format!("assess-{id}")} value={value}
                                    checked={it.answer == answer} onchange={on} />
                                { format!(" {label}") }
                            </label>
                        }
                    }) }
                </div>
                <p class="indicator"><strong>{ "What the data shows: " }</strong>{ shown }</p>
                <label for={format!("assess-{id}-notes")}>{ "Notes" }</label>
                <textarea id={format!("assess-{id}-notes")} rows="2" value={it.notes.clone()} onchange={on_notes} />
            </fieldset>
        }
    });
    html! {
        <section class="panel screen" id="assessment" aria-labelledby="screen-title">
            <p>{ "Answer each point for this site. The answers appear in the report beside what the data shows." }</p>
            { for items }
        </section>
    }
}
