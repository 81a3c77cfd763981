//! The error messages of the current job, each an ARIA alert the analyst can dismiss.

use crate::state::Alert;
use yew::prelude::*;

/// Alerts properties.
#[derive(Properties, PartialEq)]
pub struct AlertsProps {
    pub alerts: Vec<Alert>,
    pub on_dismiss: Callback<usize>,
}

/// The list of alerts (`[role=alert].error`).
#[function_component(Alerts)]
pub fn alerts(props: &AlertsProps) -> Html {
    if props.alerts.is_empty() {
        return html! {};
    }
    html! {
        <div class="alerts" id="alerts">
            { for props.alerts.iter().enumerate().map(|(i, a)| {
                let on_dismiss = props.on_dismiss.clone();
                html! {
                    <div class="error" role="alert" data-job={a.job_id.map(|j| j.to_string())}>
                        <p class="error-text">{ &a.text }</p>
                        <button type="button" class="dismiss" aria-label="Dismiss this message"
                            onclick={Callback::from(move |_| on_dismiss.emit(i))}>{ "Dismiss" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
