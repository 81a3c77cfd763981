//! "Load sample data": generate a synthetic jurisdiction in the worker and analyse it, optionally
//! with an intervention (offenders notified from a start date, with a known effect on their
//! re-offending) whose notifications are loaded into the notification list for the evaluation.

use ipvi_core::date::Date;
use ipvi_core::synth::{sample, InterventionConfig};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The populations offered (the first is the default; with an intervention,
/// [`sample::INTERVENTION_POPULATION`]).
pub const POPULATIONS: [u32; 4] = [20_000, 5_000, 100_000, 400_000];
/// The default start of the sample's intervention (the sample covers 2019–2021).
pub const DEFAULT_START: &str = sample::INTERVENTION_START;

/// The default effect as the form shows it ([`sample::EFFECT`]).
pub fn default_effect() -> String {
    sample::EFFECT.to_string()
}

/// What the analyst asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleRequest {
    pub population: u32,
    pub intervention: Option<InterventionConfig>,
}

/// The intervention from the form's start date and effect, or what to correct.
pub fn intervention(start: &str, effect: &str) -> Result<InterventionConfig, String> {
    let start_date = Date::parse(start.trim())
        .ok_or_else(|| format!("\"{start}\" is not a date: enter the start as YYYY-MM-DD."))?;
    let (first, last) = (Date::from_ymd(2019, 1, 1), Date::from_ymd(2021, 12, 31));
    if first.is_some_and(|f| start_date <= f) || last.is_some_and(|l| start_date >= l) {
        return Err(format!(
            "The start {start_date} must fall inside the sample's years (2019 to 2021), with time on each side."
        ));
    }
    let effect_value = effect
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x > 0.0 && *x <= 3.0)
        .ok_or_else(|| {
            format!("\"{effect}\" is not an effect: enter the multiplier of re-offending, e.g. 0.7 (30% fewer) or 1 (none).")
        })?;
    Ok(sample::intervention(start_date, effect_value))
}

/// Sample data properties.
#[derive(Properties, PartialEq)]
pub struct SampleDataProps {
    pub busy: bool,
    /// Called with the population and intervention chosen.
    pub on_load: Callback<SampleRequest>,
}

/// `select#sample-population`, `input#sample-intervention` (with `#sample-start`,
/// `#sample-effect`) and `button#load-sample`.
#[function_component(SampleData)]
pub fn sample_data(props: &SampleDataProps) -> Html {
    let population = use_state(|| POPULATIONS[0]);
    let with_intervention = use_state(|| false);
    let start = use_state(|| DEFAULT_START.to_string());
    let effect = use_state(default_effect);
    let problem = use_state(|| None::<String>);
    let on_change = {
        let population = population.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = select.value().parse::<u32>() {
                population.set(n);
            }
        })
    };
    // Checking the intervention offers the size at which the evaluation finds the default effect.
    let on_toggle = {
        let with_intervention = with_intervention.clone();
        let population = population.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if input.checked() {
                population.set(sample::INTERVENTION_POPULATION);
            }
            with_intervention.set(input.checked());
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
        })
    };
    let on_click = {
        let cb = props.on_load.clone();
        let population = population.clone();
        let with_intervention = with_intervention.clone();
        let (start, effect, problem) = (start.clone(), effect.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let intervention = if *with_intervention {
                match intervention(&start, &effect) {
                    Ok(i) => Some(i),
                    Err(why) => return problem.set(Some(why)),
                }
            } else {
                None
            };
            problem.set(None);
            cb.emit(SampleRequest {
                population: *population,
                intervention,
            })
        })
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
            <div class="field">
                <label for="sample-intervention">
                    <input id="sample-intervention" type="checkbox" checked={*with_intervention}
                        onchange={on_toggle} disabled={props.busy} />
                    { " With an intervention (for the evaluation)" }
                </label>
            </div>
            if *with_intervention {
                <div class="field">
                    <label for="sample-start">{ "Notifications start on" }</label>
                    <input id="sample-start" type="date" value={(*start).clone()} oninput={text_input(&start)}
                        disabled={props.busy} aria-describedby="sample-intervention-help" />
                </div>
                <div class="field">
                    <label for="sample-effect">{ "Effect on re-offending (multiplier)" }</label>
                    <input id="sample-effect" type="text" inputmode="decimal" value={(*effect).clone()}
                        oninput={text_input(&effect)} disabled={props.busy} aria-describedby="sample-intervention-help" />
                </div>
                <p class="help" id="sample-intervention-help">
                    { format!("Offenders on the lists are notified from the start date; a notified offender's re-offending \
                       is multiplied by the effect (0.7 = 30% fewer, 1 = no effect). The notifications are added to \
                       the notification list, and the evaluation screen can then be checked against this known effect. \
                       The defaults ({} people, effect {}) are sized so that the evaluation usually finds the effect; \
                       smaller samples or effects give wider intervals, and the evaluation screen says the smallest \
                       effect the loaded data could detect.",
                       crate::format::count(u64::from(sample::INTERVENTION_POPULATION)), sample::EFFECT) }
                </p>
            }
            if let Some(why) = (*problem).clone() {
                <p class="error" id="sample-problem" role="alert">{ why }</p>
            }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_intervention_form_is_checked() {
        let i = intervention(DEFAULT_START, &default_effect()).unwrap();
        assert_eq!(i, sample::default_intervention(), "the form's defaults are the core's");
        assert!(POPULATIONS.contains(&sample::INTERVENTION_POPULATION));
        assert!((intervention("2020-07-01", "1,0").unwrap().effect - 1.0).abs() < 1e-12);
        assert!(intervention("July", "0.7").unwrap_err().contains("not a date"));
        assert!(intervention("2024-01-01", "0.7")
            .unwrap_err()
            .contains("inside the sample's years"));
        assert!(intervention("2020-07-01", "-1").unwrap_err().contains("not an effect"));
        assert!(intervention("2020-07-01", "x").is_err());
    }
}
