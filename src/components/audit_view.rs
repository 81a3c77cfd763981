//! The data-quality audit of an import: the readiness verdict with its reasons, the usable and
//! unknown relationship shares, pairs by class and by decision source (code, free text,
//! narrative; the inquiry's counts too once it ran), code–text disagreements, months with
//! missing data, duplicates, missing dates of birth, and all of it by agency and year.
//! Downloadable as JSON, the same document as `ipvi audit --json`.

use crate::format::count;
use crate::import_state::ImportReport;
use crate::state::Shared;
use ipvi_core::import::audit::Readiness;
use ipvi_core::model::RelClass;
use ipvi_core::pipeline::SourceCounts;
use ipvi_core::textclass::incident::IncidentClass;
use yew::prelude::*;

/// Audit view properties.
#[derive(Properties, PartialEq)]
pub struct AuditViewProps {
    pub report: Shared<ImportReport>,
    /// The inquiry's counts by decision source, once it ran on this import.
    #[prop_or_default]
    pub sources: Option<SourceCounts>,
    pub on_error: Callback<String>,
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// `section#audit` with `#audit-verdict[data-readiness]`, `#audit-reasons`,
/// `table#audit-incidents-by-class` (`tr[data-class] td.incidents`),
/// `table#audit-by-class` (`tr[data-class] td.pairs`), `table#audit-by-source`,
/// `table#audit-by-agency-year`, `#audit-gaps` and `button#download-audit`.
#[function_component(AuditView)]
pub fn audit_view(props: &AuditViewProps) -> Html {
    let a = &props.report.audit;
    let readiness = match a.verdict.readiness {
        Readiness::Ready => ("ready", "Ready"),
        Readiness::Caution => ("caution", "Ready with caution"),
        Readiness::NotReady => ("not_ready", "Not ready"),
    };
    let on_download = {
        let r = props.report.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = crate::download::download_text("ipvi-audit.json", "application/json", &r.audit_json()) {
                on_error.emit(e);
            }
        })
    };
    let by_source: Vec<(String, u64)> = a
        .pairs_by_source
        .iter()
        .map(|(k, v)| (k.replace('_', " "), *v))
        .collect();
    html! {
        <section class="panel audit" id="audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{ "Data-quality audit" }</h2>
            <div id="audit-verdict" class={classes!("verdict", readiness.0)} data-readiness={readiness.0}>
                <p class="verdict-label"><strong>{ readiness.1 }</strong>{ ": " }<span id="audit-headline">{ &a.verdict.headline }</span></p>
                <ul id="audit-reasons">{ for a.verdict.reasons.iter().map(|r| html! { <li>{ r }</li> }) }</ul>
            </div>
            <dl class="facts" id="audit-facts">
                <div><dt>{ "Rows read, used, rejected" }</dt><dd id="audit-rows">{ format!("{} / {} / {}", count(a.rows_read), count(a.rows_used), count(a.rows_rejected)) }</dd></div>
                <div><dt>{ "Incidents, people, pairs" }</dt><dd id="audit-counts">{ format!("{} / {} / {}", count(a.incidents), count(a.persons), count(a.pairs)) }</dd></div>
                <div><dt>{ format!("Domestic pairs ({})", a.domestic_basis) }</dt><dd id="audit-domestic">{ count(a.domestic_pairs) }</dd></div>
                <div><dt>{ "Usable relationship" }</dt><dd id="audit-usable" data-share={format!("{:.4}", a.usable_relationship_share)}>{ pct(a.usable_relationship_share) }</dd></div>
                <div><dt>{ "Unknown relationship" }</dt><dd id="audit-unknown">{ pct(a.unknown_relationship_share) }</dd></div>
                <div><dt>{ "Code disagrees with text or narrative" }</dt><dd id="audit-conflicts">{ count(a.conflicts) }</dd></div>
                <div><dt>{ "Duplicate ids, identical rows" }</dt><dd id="audit-duplicates">{ format!("{} / {}", count(a.duplicate_ids), count(a.identical_rows)) }</dd></div>
                <div><dt>{ "Implausible dates set aside (rows used)" }</dt><dd id="audit-implausible-dates">{ count(a.implausible_dates) }</dd></div>
                <div><dt>{ "People without a date of birth" }</dt><dd id="audit-missing-dob">{ format!("{} ({})", count(a.persons_missing_dob), pct(a.missing_dob_share)) }</dd></div>
            </dl>
            <table id="audit-incidents-by-class" class="numbers">
                <caption>{ "Incidents by class (every incident once: by its most serious pair, else its offences and domestic flag)" }</caption>
                <thead><tr><th scope="col">{ "Class" }</th><th scope="col">{ "Incidents" }</th></tr></thead>
                <tbody>
                    { for IncidentClass::ALL.iter().filter(|c| a.incidents_by_class.get(c.as_str()).copied().unwrap_or(0) > 0
                        || matches!(c, IncidentClass::IntimatePartner | IncidentClass::OtherFamily | IncidentClass::DomesticUnspecified)).map(|c| html! {
                        <tr data-class={c.as_str()}>
                            <th scope="row">{ c.label() }</th>
                            <td class="incidents num">{ count(a.incidents_by_class.get(c.as_str()).copied().unwrap_or(0)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if a.incidents_by_class.get(IncidentClass::DomesticUnspecified.as_str()).copied().unwrap_or(0) > 0 {
                <p class="help" id="audit-flag-note">{ "“Domestic, relationship unspecified”: the incident is marked domestic (a domestic flag, a domestic-violence circumstance, or an offence such as “domestic battery” that names no relationship). A flag alone cannot tell partners from other family, so these incidents are never counted as intimate-partner violence." }</p>
            }
            <div class="two-columns">
                <table id="audit-by-class" class="numbers">
                    <caption>{ "Victim–offender pairs by relationship class" }</caption>
                    <thead><tr><th scope="col">{ "Class" }</th><th scope="col">{ "Pairs" }</th></tr></thead>
                    <tbody>
                        { for RelClass::ALL.iter().map(|c| html! {
                            <tr data-class={c.as_str()}>
                                <th scope="row">{ c.label() }</th>
                                <td class="pairs num">{ count(a.pairs_by_class.get(c.as_str()).copied().unwrap_or(0)) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <table id="audit-by-source" class="numbers">
                    <caption>{ "Pairs by what decided the relationship" }</caption>
                    <thead><tr><th scope="col">{ "Source" }</th><th scope="col">{ "Audit" }</th>
                        if props.sources.is_some() { <th scope="col">{ "Inquiry" }</th> }</tr></thead>
                    <tbody>
                        { for ["code", "free_text", "narrative", "offense", "analyst", "none"].iter().map(|k| {
                            let inquiry = props.sources.as_ref().map(|s| match *k {
                                "code" => s.code, "free_text" => s.free_text, "narrative" => s.narrative, "offense" => s.offense,
                                "analyst" => s.analyst, _ => s.none,
                            });
                            html! {
                                <tr data-source={*k}>
                                    <th scope="row">{ match *k { "none" => "undecided".to_string(), "offense" => "offence".to_string(), k => k.replace('_', " ") } }</th>
                                    <td class="num audit-count">{ count(a.pairs_by_source.get(*k).copied().unwrap_or(0)) }</td>
                                    if let Some(n) = inquiry { <td class="num inquiry-count">{ count(n) }</td> }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if by_source.iter().any(|(k, _)| !["code", "free text", "narrative", "offense", "analyst", "none"].contains(&k.as_str())) {
                <p class="help">{ by_source.iter().map(|(k, v)| format!("{k}: {}", count(*v))).collect::<Vec<_>>().join(", ") }</p>
            }
            if a.months_with_gaps.is_empty() {
                <p id="audit-gaps">{ "No month with missing data." }</p>
            } else {
                <div id="audit-gaps">
                    <p>{ format!("{} months look incomplete (far fewer incidents than the agency's median):", a.months_with_gaps.len()) }</p>
                    <ul>{ for a.months_with_gaps.iter().take(24).map(|g| html! {
                        <li>{ format!("{} {}: {} incidents (median {})", g.agency, g.month, count(g.incidents), count(g.median)) }</li>
                    }) }</ul>
                </div>
            }
            <div class="table-scroll">
                <table id="audit-by-agency-year" class="numbers">
                    <caption>{ "By agency and year" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Agency" }</th><th scope="col">{ "Year" }</th><th scope="col">{ "Incidents" }</th>
                        <th scope="col">{ "Pairs" }</th><th scope="col">{ "Domestic" }</th><th scope="col">{ "Usable relationship" }</th>
                        <th scope="col">{ "Unknown" }</th><th scope="col">{ "IPV pairs" }</th><th scope="col">{ "Conflicts" }</th>
                        <th scope="col">{ "People" }</th><th scope="col">{ "No date of birth" }</th>
                    </tr></thead>
                    <tbody>
                        { for a.by_agency_year.iter().map(|g| html! {
                            <tr>
                                <th scope="row">{ &g.agency }</th>
                                <td>{ g.year.map(|y| y.to_string()).unwrap_or_else(|| "—".into()) }</td>
                                <td class="num">{ count(g.incidents) }</td>
                                <td class="num">{ count(g.pairs) }</td>
                                <td class="num">{ count(g.domestic_pairs) }</td>
                                <td class="num">{ pct(g.usable_relationship_share) }</td>
                                <td class="num">{ count(g.unknown_relationship) }</td>
                                <td class="num">{ count(g.ipv_pairs) }</td>
                                <td class="num">{ count(g.conflicts) }</td>
                                <td class="num">{ count(g.persons) }</td>
                                <td class="num">{ count(g.missing_dob) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <button type="button" id="download-audit" class="secondary" onclick={on_download}>
                { "Download the audit (JSON, as ipvi audit --json)" }
            </button>
        </section>
    }
}
