//! "Load sample data": generate a synthetic jurisdiction in the worker and analyse it.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The populations offered (the first is the default).
pub const POPULATIONS: [u32; 2] = [20_000, 100_000];

/// Sample data properties.
#[derive(Properties, PartialEq)]
pub struct SampleDataProps {
    pub busy: bool,
    /// Called with the population chosen.
    pub on_load: Callback<u32>,
}

/// `select#sample-population` and `button#load-sample`.
#[function_component(SampleData)]
pub fn sample_data(props: &SampleDataProps) -> Html {
    let population = use_state(|| POPULATIONS[0]);
    let on_change = {
        let population = population.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = select.value().parse::<u32>() {
                population.set(n);
            }
        })
    };
    let on_click = {
        let cb = props.on_load.clone();
        let population = population.clone();
        Callback::from(move |_: MouseEvent| cb.emit(*population))
    };
    html! {
        <div class="sample-data inputs" id="sample-data">
            <div class="field">
                <label for="sample-population">{ "Sample jurisdiction" }</label>
                <select id="sample-population" onchange={on_change} disabled={props.busy}>
                    { for POPULATIONS.iter().map(|&n| html! {
                        <option value={n.to_string()} selected={n == *population}>
                            { format!("{} people, 3 years", crate::format::count(u64::from(n))) }
                        </option>
                    }) }
                </select>
            </div>
            <button type="button" id="load-sample" onclick={on_click} disabled={props.busy}>
                { "Load sample data" }
            </button>
            <p class="help">
                { "Generates a fictional jurisdiction's police records in this browser (no real person) and \
                   analyses them: relationships, linkage of person records, scores and lists." }
            </p>
        </div>
    }
}
