//! The running job: a labelled progress bar and the Cancel button.

use crate::state::Running;
use yew::prelude::*;

/// Progress panel properties.
#[derive(Properties, PartialEq)]
pub struct ProgressPanelProps {
    pub running: Running,
    pub on_cancel: Callback<()>,
}

/// `progress#progress` with its stage as a label, and `button#cancel`.
#[function_component(ProgressPanel)]
pub fn progress_panel(props: &ProgressPanelProps) -> Html {
    let r = &props.running;
    let percent = (r.fraction * 100.0).round() as u32;
    let on_cancel = props.on_cancel.clone();
    html! {
        <div class="progress-panel" id="progress-panel" aria-busy="true">
            <label for="progress" id="progress-label">
                <span class="stage" id="progress-stage">{ &r.stage }</span>
                { format!(" — {percent}%") }
            </label>
            <progress id="progress" max="1" value={format!("{:.3}", r.fraction)}>{ format!("{percent}%") }</progress>
            <button type="button" id="cancel" class="secondary" onclick={Callback::from(move |_| on_cancel.emit(()))}>
                { "Cancel" }
            </button>
        </div>
    }
}
