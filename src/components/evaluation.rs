//! The evaluation screen, as of a chosen date: monthly IPV incidents before and after the start
//! of the intervention with an interrupted time-series model (segmented Poisson regression with
//! seasonal terms, `ipvi_core::evaluate::its`), stating its window, cohort and method.
//! Re-offending after notification (Kaplan–Meier by list and type) needs one person's incidents
//! linked across incidents; for a NIBRS extract the screen says so instead of guessing.

use crate::state::Shared;
use crate::workstate::{Work, WorkAction};
use ipvi_core::evaluate::its::{interrupted, Estimate, ItsResult};
use ipvi_core::nibrs::NibrsAnalysis;
use ipvi_core::report::metrics::from_nibrs;
use ipvi_core::report::svg::line_chart;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Months and IPV counts up to `as_of` (`YYYY-MM-DD`, empty = all), from the metrics.
pub fn ipv_series(a: &NibrsAnalysis, as_of: &str) -> (Vec<String>, Vec<f64>) {
    let m = from_nibrs(a, "");
    let limit = as_of.get(..7).unwrap_or("9999-12").to_string();
    m.monthly
        .iter()
        .filter(|r| r.month <= limit)
        .map(|r| (r.month.clone(), r.ipv.value().unwrap_or(0) as f64))
        .unzip()
}

/// An estimate with its 95% interval, as the evaluation screens print it.
pub fn est(e: &Estimate) -> String {
    format!("{:.2} (95% CI {:.2} to {:.2})", e.value, e.lower, e.upper)
}

/// The lines of an interrupted time-series chart: observed counts, the fitted model, and the
/// model's counterfactual from the start month (`r.months_before`) on.
pub fn its_lines(counts: &[f64], r: &ItsResult) -> Vec<(String, Vec<Option<f64>>)> {
    let start_ix = r.months_before;
    vec![
        ("Observed".to_string(), counts.iter().map(|&c| Some(c)).collect()),
        ("Model".to_string(), r.fitted.iter().map(|&c| Some(c)).collect()),
        (
            "Without the intervention (model)".to_string(),
            r.counterfactual
                .iter()
                .enumerate()
                .map(|(i, &c)| (i >= start_ix).then_some(c))
                .collect(),
        ),
    ]
}

/// The data a line chart draws, as a table under it (in a disclosure, open from the keyboard):
/// one row per x label, one column per series, blank where a series has no value.
pub fn chart_data(caption: &str, x_header: &str, x: &[String], series: &[(String, Vec<Option<f64>>)]) -> Html {
    html! {
        <details class="chart-data">
            <summary>{ format!("The chart's data: {caption}") }</summary>
            <table class="numbers">
                <caption>{ caption }</caption>
                <thead><tr>
                    <th scope="col">{ x_header }</th>
                    { for series.iter().map(|(name, _)| html! { <th scope="col">{ name }</th> }) }
                </tr></thead>
                <tbody>
                    { for x.iter().enumerate().map(|(i, label)| html! {
                        <tr>
                            <th scope="row">{ label }</th>
                            { for series.iter().map(|(_, ys)| html! {
                                <td class="num">{ ys.get(i).copied().flatten().map(|v| format!("{v:.1}")).unwrap_or_default() }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </details>
    }
}

/// The chart with its data table under it, its table of rate ratios, and the sentence on the
/// average effect.
pub fn its_effects(chart: String, data: Html, table_id: Option<&'static str>, caption: String, r: &ItsResult) -> Html {
    html! {
        <>
            <div class="pair">
                { Html::from_html_unchecked(AttrValue::from(chart)) }
                { data }
                <table id={table_id}>
                    <caption>{ caption }</caption>
                    <thead><tr><th scope="col">{ "Effect" }</th><th scope="col">{ "Rate ratio" }</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">{ "Change in level at the start" }</th><td>{ est(&r.level_change) }</td></tr>
                        <tr><th scope="row">{ "Change in monthly trend" }</th><td>{ est(&r.slope_change) }</td></tr>
                        <tr><th scope="row">{ "Average effect after the start" }</th><td>{ est(&r.average_effect) }</td></tr>
                    </tbody>
                </table>
            </div>
            <p>{ if r.average_effect.excludes_one() {
                "The interval of the average effect excludes 1: the monthly counts after the start differ from what the trend and season predict."
            } else {
                "The interval of the average effect includes 1: these data show no clear change after the start."
            } }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct EvaluationProps {
    pub analysis: Shared<NibrsAnalysis>,
    pub work: Work,
    pub on_work: Callback<WorkAction>,
}

/// The evaluation screen.
#[function_component(Evaluation)]
pub fn evaluation(p: &EvaluationProps) -> Html {
    let (months, counts) = ipv_series(&p.analysis, &p.work.eval_as_of);
    let start_month = if p.work.eval_start.is_empty() {
        months.get(months.len() / 2).cloned().unwrap_or_default()
    } else {
        p.work.eval_start.get(..7).unwrap_or("").to_string()
    };
    let start_ix = months.iter().position(|m| *m >= start_month).unwrap_or(months.len());
    let on_start = {
        let on_work = p.on_work.clone();
        let as_of = p.work.eval_as_of.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            on_work.emit(WorkAction::SetEval {
                start: v,
                as_of: as_of.clone(),
            })
        })
    };
    let on_as_of = {
        let on_work = p.on_work.clone();
        let start = p.work.eval_start.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            on_work.emit(WorkAction::SetEval {
                start: start.clone(),
                as_of: v,
            })
        })
    };
    let its = interrupted(&counts, start_ix, 2);
    let window = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no dated incidents".into(),
    };
    let its_html = match &its {
        Ok(r) => {
            let series = its_lines(&counts, r);
            let chart = line_chart(
                "its",
                "Monthly IPV incidents before and after the start",
                "Observed monthly IPV incidents, the fitted segmented Poisson model, and the model's counterfactual without the intervention after the start month.",
                &months,
                &series,
            );
            html! {
                <div id="its-result">
                    <p class="meta">{ format!(
                        "Window: {window}. Cohort: every IPV incident in the extract ({} months before {start_month}, {} from it). Method: {} (dispersion {:.2}).",
                        r.months_before, r.months_after, r.method, r.dispersion) }</p>
                    { its_effects(chart, chart_data("monthly IPV incidents", "Month", &months, &series), Some("its-table"), "Interrupted time series: rate ratios".into(), r) }
                </div>
            }
        }
        Err(e) => html! {
            <p id="its-result" class="unavailable">{ format!(
                "The time series cannot be fitted for {window} with the start in {start_month}: {e}. Choose a start with several months of data on each side.") }</p>
        },
    };
    html! {
        <section class="panel screen report-body" id="evaluation" aria-labelledby="screen-title">
            <div class="eval-controls">
                <label for="eval-start">{ "Start of the intervention (month) " }</label>
                <input id="eval-start" type="month" value={start_month.clone()} onchange={on_start} />
                <label for="eval-as-of">{ " As of " }</label>
                <input id="eval-as-of" type="date" value={p.work.eval_as_of.clone()} onchange={on_as_of} />
            </div>
            <h2>{ "Monthly IPV incidents: interrupted time series" }</h2>
            { its_html }
            <h2>{ "Re-offending after notification" }</h2>
            <p class="unavailable" id="km-unavailable">{ format!(
                "Kaplan–Meier curves and 6- and 12-month re-offending rates need one person's incidents linked across \
                 incidents; NIBRS offender ids exist only within one incident, so this extract cannot support them. \
                 Load an agency export with names and dates of birth. {} notifications are recorded.",
                p.work.notifications.len()) }</p>
        </section>
    }
}
