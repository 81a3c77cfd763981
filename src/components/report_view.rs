//! The report screen: the core's report (charts drawn as SVG by our code, a table beside each,
//! plain-language captions, what the data cannot show), the shareable switch, and the report's
//! exports (self-contained HTML, site metrics JSON) and print.
//!
//! The report is drawn from the inquiry on any input: the metrics the worker computed (with
//! `from_case` when people can be identified across incidents, else from the incidents and pairs
//! alone, saying what such data cannot show), with the workload projected from the lists'
//! inflow and the capacity the partners entered.
//!
//! Shareable mode is on by default: the shown, printed and downloaded report and the metrics
//! file then have small cells suppressed and hold no names, record ids or victim identifiers.
//! Turning it off needs a confirmation.

use super::workload_form::capacity_section_html;
use crate::inquiry::InquiryView;
use crate::state::Shared;
use crate::workstate::{Work, WorkAction};
use ipvi_core::report::assessment;
use ipvi_core::report::html::{body, page, ReportOptions};
use ipvi_core::report::metrics::SiteMetrics;
use ipvi_core::report::suppress::THRESHOLD;
use ipvi_core::report::workload;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Today's date as `YYYY-MM-DD` (the core reads no clock).
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// The metrics as exported: shareable unless the analyst confirmed otherwise.
pub fn exported(m: &SiteMetrics, shareable: bool) -> SiteMetrics {
    if shareable {
        m.shareable(THRESHOLD)
    } else {
        m.clone()
    }
}

/// What the report is drawn from.
#[derive(Clone, Debug, PartialEq)]
pub enum ReportSource {
    Inquiry(Shared<InquiryView>),
}

/// The extra sections for an inquiry: the projected workload against the partners' capacity
/// (the partners' capacity alone when there are no lists), and the site assessment beside what
/// the data shows.
pub fn inquiry_sections(v: &InquiryView, work: &Work) -> Vec<String> {
    let workload = if v.data.identifiable {
        workload::section_html(&workload::capacity(
            &v.inflow,
            &work.efforts,
            &work.partners,
            &work.places,
        ))
    } else {
        capacity_section_html(work)
    };
    vec![workload, assessment::section_html(&work.assessment, &v.indicators)]
}

/// The site metrics of a source with the site's name (`None`: an inquiry without metrics).
pub fn metrics_of(source: &ReportSource, site: &str) -> Option<SiteMetrics> {
    match source {
        ReportSource::Inquiry(v) => v.metrics.clone().map(|mut m| {
            m.site = site.to_string();
            m
        }),
    }
}

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub source: ReportSource,
    pub work: Work,
    pub on_work: Callback<WorkAction>,
    pub on_error: Callback<String>,
}

/// The report screen.
#[function_component(ReportView)]
pub fn report_view(p: &ReportViewProps) -> Html {
    let confirming = use_state(|| false);
    let metrics = {
        let site = p.work.site.clone();
        use_memo((p.source.clone(), site), |(source, site)| metrics_of(source, site))
    };
    let Some(metrics) = metrics.as_ref() else {
        return html! {
            <section class="panel screen" id="report">
                <p class="empty">{ "The inquiry produced no metrics (no case file could be built): load the data again." }</p>
            </section>
        };
    };
    let shown = exported(metrics, p.work.shareable);
    let opts = ReportOptions {
        prepared_on: today(),
        extra_sections: match &p.source {
            ReportSource::Inquiry(v) => inquiry_sections(v, &p.work),
        },
    };
    let body_html = body(&shown, &opts);

    let on_site = p.on_work.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        WorkAction::SetSite(input.value())
    });
    let on_switch = {
        let on_work = p.on_work.clone();
        let confirming = confirming.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if input.checked() {
                confirming.set(false);
                on_work.emit(WorkAction::SetShareable(true));
            } else {
                // Stay shareable until the analyst confirms.
                input.set_checked(true);
                confirming.set(true);
            }
        })
    };
    let on_confirm = {
        let on_work = p.on_work.clone();
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            on_work.emit(WorkAction::SetShareable(false));
        })
    };
    let on_keep = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let on_download_report = {
        let on_error = p.on_error.clone();
        let html = page(&shown, &opts);
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = crate::download::download_text("ipvi-report.html", "text/html", &html) {
                on_error.emit(e);
            }
        })
    };
    let on_download_metrics = {
        let on_error = p.on_error.clone();
        let json = serde_json::to_string_pretty(&shown).unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = crate::download::download_text("ipvi-site-metrics.json", "application/json", &json) {
                on_error.emit(e);
            }
        })
    };
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <section class="panel screen" id="report" aria-labelledby="screen-title">
            <div class="report-controls">
                <label for="site-name">{ "Site name on the report " }
                    <input id="site-name" type="text" value={p.work.site.clone()} oninput={on_site} />
                </label>
                <label class="switch" for="shareable">
                    <input id="shareable" type="checkbox" role="switch" checked={p.work.shareable} onchange={on_switch} />
                    { format!(" Shareable: suppress counts under {THRESHOLD}, no names, no record ids") }
                </label>
                if *confirming {
                    <div class="confirm" id="confirm-internal" role="alertdialog" aria-labelledby="confirm-internal-text">
                        <p id="confirm-internal-text">
                            { "Turn shareable mode off? The report and metrics you export will then show every count, \
                               including counts under 11 that can identify people. Keep such files inside the agency." }
                        </p>
                        <button type="button" id="confirm-internal-yes" onclick={on_confirm}>{ "Turn it off" }</button>
                        <button type="button" id="confirm-internal-no" class="secondary" onclick={on_keep}>{ "Keep shareable" }</button>
                    </div>
                }
                <div class="buttons">
                    <button type="button" id="download-report" onclick={on_download_report}>{ "Download the report (HTML)" }</button>
                    <button type="button" id="download-metrics" class="secondary" onclick={on_download_metrics}>{ "Download the site metrics (JSON)" }</button>
                    <button type="button" id="print-report" class="secondary" onclick={on_print}>{ "Print" }</button>
                </div>
                <p class="mode" id="report-mode">
                    { if p.work.shareable { "Shareable version shown: this is what is printed and downloaded." }
                      else { "Internal version shown: every count, not for release outside the agency." } }
                </p>
            </div>
            <article class="report-body" id="report-body">
                { Html::from_html_unchecked(AttrValue::from(body_html)) }
            </article>
        </section>
    }
}
