//! The evaluation screen for the offender inquiry (an agency export or the sample jurisdiction),
//! as of a chosen date: re-offending after notification (a new IPV incident or a new IPV arrest,
//! as the analyst chooses) with Kaplan–Meier curves and 6- and 12-month rates with 95% intervals
//! by list and notification type; notified against not-yet-notified offenders (the comparison
//! group); and monthly IPV incidents, arrests and injuries before and after the start with an
//! interrupted time series. Each result states its window, its cohort and its method.
//!
//! The worker evaluates the notifications recorded on the notifications screen (or loaded with a
//! sample generated with an intervention) on the people of the last run; the screen asks it when
//! it opens and whenever a setting changes.

use super::evaluation::{chart_data, est, its_effects, its_lines};
use crate::format::count;
use crate::inquiry::InquiryView;
use crate::km_chart::km_svg;
use crate::state::{EvalDone, Shared};
use crate::workstate::{Work, WorkAction};
use ipvi_core::date::Date;
use ipvi_core::evaluate::km::Rate;
use ipvi_core::evaluate::notified::{Evaluation, Outcome, Series, Survival, Window};
use ipvi_core::report::svg::line_chart;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the worker is asked to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalRequest {
    pub start: Date,
    pub as_of: Option<Date>,
    pub outcome: Outcome,
}

/// The request from the analyst's settings: the start as typed, else the first recorded
/// notification, else a year before the lists' date; the as-of date as typed, else the last
/// incident date (the worker's default); the outcome as chosen (a new IPV incident by default).
pub fn request(work: &Work, view: &InquiryView) -> Result<EvalRequest, String> {
    let start = if work.eval_start.trim().is_empty() {
        work.notifications
            .iter()
            .map(|n| n.date)
            .min()
            .unwrap_or_else(|| view.window.as_of.add_days(-365))
    } else {
        Date::parse(work.eval_start.trim())
            .ok_or_else(|| format!("\"{}\" is not a date: enter the start as YYYY-MM-DD.", work.eval_start))?
    };
    let as_of = if work.eval_as_of.trim().is_empty() {
        None
    } else {
        Some(Date::parse(work.eval_as_of.trim()).ok_or_else(|| {
            format!(
                "\"{}\" is not a date: enter the as-of date as YYYY-MM-DD.",
                work.eval_as_of
            )
        })?)
    };
    let outcome = Outcome::parse(&work.eval_outcome).unwrap_or(Outcome::IpvIncident);
    Ok(EvalRequest { start, as_of, outcome })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn rate_text(r: &Option<Rate>) -> String {
    match r {
        Some(r) => format!(
            "{} (95% CI {} to {}; {} still followed)",
            pct(r.rate),
            pct(r.lower),
            pct(r.upper),
            count(r.at_risk)
        ),
        None => "not reached (nobody followed that long)".into(),
    }
}

fn window_text(w: &Window) -> String {
    format!("{} to {}", w.from, w.to)
}

/// The cohort of a survival group in words.
pub fn cohort_text(s: &Survival) -> String {
    let span = match (s.cohort.first_notified, s.cohort.last_notified) {
        (Some(a), Some(b)) => format!(", first notified between {a} and {b}"),
        _ => String::new(),
    };
    format!("{} people{span}", count(s.cohort.people))
}

/// The rate at `days` of a survival group, if configured.
fn rate_at(s: &Survival, days: f64) -> Option<&Option<Rate>> {
    s.rates.iter().find(|(d, _)| (*d - days).abs() < 1.0).map(|(_, r)| r)
}

fn km_block(id: &str, title: &str, groups: &[&Survival], ev: &Evaluation) -> Html {
    if groups.is_empty() {
        return html! {};
    }
    let curves: Vec<(String, ipvi_core::evaluate::km::Curve)> =
        groups.iter().map(|s| (s.group.clone(), s.curve.clone())).collect();
    let svg = km_svg(
        id,
        title,
        &format!(
            "Share of notified people with {} by months since their first notification, one line per group; \
             the table beside gives the 6- and 12-month rates with 95% intervals.",
            ev.outcome
        ),
        &curves,
        365.0,
    );
    // The curves' values at the chart's month ticks, for the data table under the chart.
    let months: Vec<String> = (0..=12).step_by(3).map(|m| format!("{m} months")).collect();
    let at: Vec<(String, Vec<Option<f64>>)> = curves
        .iter()
        .map(|(g, c)| {
            let values = (0..=12)
                .step_by(3)
                .map(|m| {
                    let day = m as f64 * 30.4;
                    let s = c
                        .steps
                        .iter()
                        .take_while(|st| st.days <= day)
                        .last()
                        .map_or(1.0, |st| st.survival);
                    Some(100.0 * (1.0 - s))
                })
                .collect();
            (g.clone(), values)
        })
        .collect();
    html! {
        <div class="km">
            { Html::from_html_unchecked(AttrValue::from(svg)) }
            { chart_data(&format!("{title}: cumulative re-offending (%)"), "Since notification", &months, &at) }
            <table id={format!("{id}-table")} class="km-table">
                <caption>{ format!("{title}: cumulative re-offending") }</caption>
                <thead><tr>
                    <th scope="col">{ "Group" }</th><th scope="col">{ "Cohort" }</th><th scope="col">{ "Window" }</th>
                    <th scope="col">{ "6 months" }</th><th scope="col">{ "12 months" }</th>
                </tr></thead>
                <tbody>
                    { for groups.iter().map(|s| html! {
                        <tr data-group={s.group.clone()}>
                            <th scope="row">{ &s.group }</th>
                            <td>{ cohort_text(s) }</td>
                            <td>{ window_text(&s.window) }</td>
                            <td>{ rate_at(s, 183.0).map(rate_text).unwrap_or_default() }</td>
                            <td>{ rate_at(s, 365.0).map(rate_text).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn series_block(i: usize, s: &Series, start: Date) -> Html {
    let window = match (s.months.first(), s.months.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no months".into(),
    };
    let total: f64 = s.counts.iter().sum();
    let cohort = format!(
        "{} in the data ({} in all), counted by month",
        s.name,
        count(total as u64)
    );
    let Some(r) = &s.its else {
        return html! {
            <div class="its-series" data-series={s.name.clone()}>
                <h3>{ &s.name }</h3>
                <p class="meta">{ format!("Window: {window}. Cohort: {cohort}.") }</p>
                <p class="unavailable">{ s.note.clone().unwrap_or_else(|| "No model could be fitted.".into()) }</p>
            </div>
        };
    };
    let series = its_lines(&s.counts, r);
    let chart = line_chart(
        &format!("its-{i}"),
        &format!("Monthly {} before and after the start", s.name),
        &format!(
            "Observed monthly {}, the fitted segmented Poisson model, and the model's counterfactual without the \
             intervention from {start}.",
            s.name
        ),
        &s.months,
        &series,
    );
    html! {
        <div class="its-series" data-series={s.name.clone()}>
            <h3>{ &s.name }</h3>
            <p class="meta">{ format!(
                "Window: {window} ({} months before the start, {} from it). Cohort: {cohort}. Method: {} (dispersion {:.2}).",
                r.months_before, r.months_after, r.method, r.dispersion) }</p>
            { its_effects(chart, chart_data(&format!("monthly {}", s.name), "Month", &s.months, &series), None, format!("{}: rate ratios", s.name), r) }
        </div>
    }
}

fn result_html(ev: &Evaluation, unmatched: u64) -> Html {
    let c = &ev.config;
    let by = |prefix: &str| -> Vec<&Survival> {
        ev.survival
            .iter()
            .filter(|s| s.group == "all" || s.group.starts_with(prefix))
            .collect()
    };
    let (lists, kinds) = (by("list "), by("type "));
    let cmp = &ev.comparison;
    let method = ev.survival.first().map(|s| s.method.clone()).unwrap_or_default();
    html! {
        <div id="evaluation-result">
            <p class="meta" id="eval-summary">{ format!(
                "As of {} with the intervention starting {}; re-offending = {}. Data from {} to {}. {} notifications used, {} after the as-of date ignored, {} matched nobody in the data.",
                c.as_of, c.start, ev.outcome, ev.data_window.from, ev.data_window.to,
                count(ev.notifications_used), count(ev.notifications_ignored), count(unmatched)) }</p>
            <h2>{ "Re-offending after notification" }</h2>
            if ev.survival.is_empty() {
                <p class="unavailable" id="km-none">{ "No notification on or before the as-of date matches a person in the data: record notifications (or import them) on the notifications screen." }</p>
            } else {
                <p class="meta" id="km-method">{ format!("Method: {method}") }</p>
                { km_block("km-list", "By list", &lists, ev) }
                { km_block("km-type", "By notification type", &kinds, ev) }
            }
            <h2>{ "Compared with offenders not yet notified" }</h2>
            <div id="comparison">
                <p class="meta">{ format!(
                    "Window: {}. Cohort: {} IPV offenders with person-time, {} of them notified; {:.0} person-years notified and {:.0} not yet notified; {} and {} events. Method: {}",
                    window_text(&cmp.window), count(cmp.people), count(cmp.people_notified),
                    cmp.person_years_notified, cmp.person_years_not_notified,
                    count(cmp.events_notified), count(cmp.events_not_notified), cmp.method) }</p>
                if let Some(e) = &cmp.rate_ratio {
                    <p id="rate-ratio">{ format!("Rate ratio, notified against eligible offenders not yet notified, within weekly trials matched on list and days since the last IPV incident: {}.", est(e)) }
                        { if e.excludes_one() { " The interval excludes 1." } else { " The interval includes 1: no clear difference." } }</p>
                }
                if let Some(r) = cmp.minimum_detectable_ratio {
                    <p id="minimum-detectable">{ format!(
                        "The smallest effect this comparison could detect on these data (80% power, 5% two-sided): a rate ratio of {r:.2}, {:.0}% fewer re-offences. A smaller true effect would more often than not show as no clear difference.",
                        100.0 * (1.0 - r)) }</p>
                }
                if let Some(e) = &cmp.crude_rate_ratio {
                    <p>{ format!("Crude rate ratio (the same follow-up pooled, for reference only): {}.", est(e)) }</p>
                }
                if let Some(n) = &cmp.note {
                    <p class="unavailable">{ n }</p>
                }
            </div>
            <h2>{ "Monthly counts: interrupted time series" }</h2>
            <div id="its-result">
                { for ev.series.iter().enumerate().map(|(i, s)| series_block(i, s, c.start)) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct InquiryEvaluationProps {
    pub view: Shared<InquiryView>,
    pub work: Work,
    pub on_work: Callback<WorkAction>,
    pub evaluating: bool,
    pub evaluation: Option<EvalDone>,
    pub on_evaluate: Callback<EvalRequest>,
}

/// `#evaluation` for the inquiry: `#eval-start`, `#eval-as-of`, `#eval-outcome`,
/// `button#run-evaluation`, and `#evaluation-result` (`#km-list-table`, `#comparison`,
/// `#its-result`).
#[function_component(InquiryEvaluation)]
pub fn inquiry_evaluation(p: &InquiryEvaluationProps) -> Html {
    let req = request(&p.work, &p.view);
    // Evaluate when the screen opens without a result.
    {
        let ask = (p.evaluation.is_none() && !p.evaluating)
            .then(|| req.clone().ok())
            .flatten();
        let on_evaluate = p.on_evaluate.clone();
        use_effect_with((), move |_| {
            if let Some(r) = ask {
                on_evaluate.emit(r);
            }
        });
    }
    let setting = |f: fn(&Work, String) -> WorkAction| {
        let on_work = p.on_work.clone();
        let work = p.work.clone();
        let view = p.view.clone();
        let on_evaluate = p.on_evaluate.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            let action = f(&work, value);
            if let Some(next) = work.apply(action.clone()) {
                if let Ok(r) = request(&next, &view) {
                    on_evaluate.emit(r);
                }
            }
            on_work.emit(action);
        })
    };
    let on_start = setting(|w, v| WorkAction::SetEval {
        start: v,
        as_of: w.eval_as_of.clone(),
    });
    let on_as_of = setting(|w, v| WorkAction::SetEval {
        start: w.eval_start.clone(),
        as_of: v,
    });
    let on_outcome = setting(|_, v| WorkAction::SetEvalOutcome(v));
    let on_run = {
        let on_evaluate = p.on_evaluate.clone();
        let req = req.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(r) = req.clone() {
                on_evaluate.emit(r);
            }
        })
    };
    let (start_value, outcome) = match &req {
        Ok(r) => (r.start.to_string(), r.outcome),
        Err(_) => (p.work.eval_start.clone(), Outcome::IpvIncident),
    };
    html! {
        <section class="panel screen report-body" id="evaluation" aria-labelledby="screen-title" aria-busy={p.evaluating.to_string()}>
            <p>{ format!("{} notifications are recorded; the evaluation uses those matching a person of the loaded data.",
                count(p.work.notifications.len() as u64)) }</p>
            <div class="eval-controls">
                <label for="eval-start">{ "Start of the intervention " }</label>
                <input id="eval-start" type="date" value={start_value} onchange={on_start} />
                <label for="eval-as-of">{ " As of " }</label>
                <input id="eval-as-of" type="date" value={p.work.eval_as_of.clone()} onchange={on_as_of}
                    aria-describedby="eval-as-of-help" />
                <label for="eval-outcome">{ " Re-offending is " }</label>
                <select id="eval-outcome" onchange={on_outcome}>
                    <option value="incident" selected={outcome == Outcome::IpvIncident}>{ "a new IPV incident" }</option>
                    <option value="arrest" selected={outcome == Outcome::IpvArrest}>{ "a new IPV arrest" }</option>
                </select>
                <button type="button" id="run-evaluation" onclick={on_run} disabled={p.evaluating || req.is_err()}>{ "Evaluate" }</button>
                <p class="help" id="eval-as-of-help">{ "Empty: the last incident date in the data. Only what was known on that day is used." }</p>
            </div>
            if let Err(why) = &req {
                <p class="error" role="alert" id="eval-problem">{ why }</p>
            }
            if p.evaluating {
                <p class="status" id="eval-running" role="status">{ "Evaluating…" }</p>
            }
            { match &p.evaluation {
                Some(EvalDone { result: Ok(ev), unmatched, .. }) => result_html(ev, *unmatched),
                Some(EvalDone { result: Err(why), .. }) => html! {
                    <p class="unavailable" id="evaluation-result">{ format!("No evaluation: {why}.") }</p>
                },
                None => html! {},
            } }
        </section>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ipvi_core::notify::{NotificationKind, NotificationRecord};

    fn view() -> InquiryView {
        InquiryView {
            window: ipvi_core::offenders::features::Window {
                as_of: Date::from_ymd(2021, 12, 31).unwrap(),
                lookback_days: 730,
            },
            offenders: vec![],
            timelines: vec![],
            snapshot: Default::default(),
            sources: Default::default(),
            link_stats: Default::default(),
            relationship_review: vec![],
            link_review: vec![],
            fairness: vec![],
            outreach: vec![],
            incidents: 0,
            records: 0,
            pairs: 0,
            people: 0,
            diagnostics: 0,
            metrics: None,
            indicators: vec![],
            inflow: vec![],
            loaded_notifications: vec![],
            notifications_matched: 0,
            advocates: vec![],
            data: Default::default(),
            list_rules: None,
            fidelity: None,
        }
    }

    #[test]
    fn the_request_takes_the_typed_settings_else_the_first_notification() {
        let v = view();
        let mut w = Work::default();
        let r = request(&w, &v).unwrap();
        assert_eq!(r.start, Date::from_ymd(2020, 12, 31).unwrap());
        assert_eq!((r.as_of, r.outcome), (None, Outcome::IpvIncident));
        w.notifications.push(NotificationRecord {
            person_id: "P1".into(),
            record_id: None,
            date: Date::from_ymd(2020, 7, 3).unwrap(),
            list: ipvi_core::offenders::List::D,
            kind: NotificationKind::parse("letter").unwrap(),
            delivered_by: String::new(),
            notes: String::new(),
            events: vec![],
            outcome: Default::default(),
            incident: None,
        });
        assert_eq!(request(&w, &v).unwrap().start, Date::from_ymd(2020, 7, 3).unwrap());
        w.eval_start = "2020-08-01".into();
        w.eval_as_of = "2021-06-30".into();
        w.eval_outcome = "arrest".into();
        let r = request(&w, &v).unwrap();
        assert_eq!(r.start, Date::from_ymd(2020, 8, 1).unwrap());
        assert_eq!(r.as_of, Date::from_ymd(2021, 6, 30));
        assert_eq!(r.outcome, Outcome::IpvArrest);
        w.eval_as_of = "soon".into();
        assert!(request(&w, &v).unwrap_err().contains("as-of"));
    }
}
