//! The "Implementation" section of the Notifications screen: the fidelity measures of the last
//! run ([`ipvi_core::fidelity`]), each table with its definition in plain words, the monthly
//! table, and the shareable `fidelity.csv` (small cells suppressed, no names). Counts and days
//! only: nothing about any victim.

use ipvi_core::fidelity::{fidelity_sheet, Delay, Fidelity, DEFINITIONS};
use ipvi_core::report::suppress::{thousands, THRESHOLD};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImplementationProps {
    /// The measures of the last run (`None`: no notification records yet).
    pub fidelity: Option<Fidelity>,
    /// Made from the sample: the download says so.
    #[prop_or_default]
    pub synthetic: bool,
    #[prop_or_default]
    pub on_error: Callback<String>,
}

fn pct(num: u64, den: u64) -> String {
    if den == 0 {
        "–".into()
    } else {
        format!("{:.0}%", num as f64 * 100.0 / den as f64)
    }
}

fn days(d: Option<i32>) -> String {
    d.map(|v| v.to_string()).unwrap_or_else(|| "–".into())
}

/// A measure's heading and its definition in plain words.
fn definition(i: usize) -> Html {
    let (title, def) = DEFINITIONS[i];
    html! { <><h4>{ title }</h4><p class="help definition">{ def }</p></> }
}

fn delay_rows(label: &str, rows: &[Delay]) -> Html {
    rows.iter()
        .map(|d| {
            html! {
                <tr>
                    <th scope="row">{ format!("{label}{}", d.group) }</th>
                    <td>{ thousands(d.n) }</td><td>{ days(d.median) }</td><td>{ days(d.p90) }</td><td>{ thousands(d.unknown) }</td>
                </tr>
            }
        })
        .collect()
}

/// `#implementation`: one table per measure, then the months.
#[function_component(Implementation)]
pub fn implementation(p: &ImplementationProps) -> Html {
    let Some(f) = p.fidelity.as_ref() else {
        return html! {
            <section class="panel" id="implementation" aria-labelledby="implementation-title">
                <h3 id="implementation-title">{ "Implementation" }</h3>
                <p>{ "Record or import notifications (and load the data again) to see the implementation measures." }</p>
            </section>
        };
    };
    let on_csv = {
        let (f, synthetic, on_error) = (f.clone(), p.synthetic, p.on_error.clone());
        Callback::from(move |_: MouseEvent| {
            let csv = fidelity_sheet(&f, THRESHOLD).synthetic(synthetic).to_csv();
            if let Err(e) = crate::download::download_text("fidelity.csv", "text/csv", &csv) {
                on_error.emit(e);
            }
        })
    };
    let as_of = f.as_of.map(|d| d.to_string()).unwrap_or_default();
    let r = &f.renotification;
    let c = &f.contacts;
    html! {
        <section class="panel" id="implementation" aria-labelledby="implementation-title">
            <h3 id="implementation-title">{ "Implementation" }</h3>
            <p>{ format!("What the partnership did, as of {as_of}, from its notification records and advocates' contacts \
                (exact counts, for the partnership). The shareable file suppresses counts under {THRESHOLD}.") }</p>
            <button type="button" id="fidelity-csv" onclick={on_csv}>{ "Download fidelity.csv (shareable)" }</button>

            { definition(0) }
            <table id="fidelity-coverage">
                <caption>{ "Share of each list notified" }</caption>
                <thead><tr><th scope="col">{ "List" }</th><th scope="col">{ "On the list" }</th>
                    <th scope="col">{ "Notified" }</th><th scope="col">{ "Share" }</th></tr></thead>
                <tbody>{ for f.coverage.iter().map(|c| html! {
                    <tr><th scope="row">{ &c.list }</th><td>{ thousands(c.on_list) }</td><td>{ thousands(c.notified) }</td>
                        <td>{ pct(c.notified, c.on_list) }</td></tr>
                }) }</tbody>
            </table>

            { definition(1) }
            <div class="table-scroll" tabindex="0" role="region" aria-label="Days to notification">
                <table id="fidelity-days">
                    <caption>{ "Days from the qualifying incident to notification" }</caption>
                    <thead><tr><th scope="col">{ "Group" }</th><th scope="col">{ "Notifications" }</th>
                        <th scope="col">{ "Median days" }</th><th scope="col">{ "90th percentile days" }</th>
                        <th scope="col">{ "No qualifying incident" }</th></tr></thead>
                    <tbody>
                        { delay_rows("", std::slice::from_ref(&f.delay_all)) }
                        { delay_rows("List ", &f.delay_by_list) }
                        { delay_rows("Means: ", &f.delay_by_means) }
                        { delay_rows("Agency: ", &f.delay_by_agency) }
                    </tbody>
                </table>
            </div>

            { definition(2) }
            <table id="fidelity-attempts">
                <caption>{ "Failed attempts" }</caption>
                <thead><tr><th scope="col">{ "List" }</th><th scope="col">{ "Attempts" }</th><th scope="col">{ "Failed" }</th>
                    <th scope="col">{ "Share failed" }</th><th scope="col">{ "Never delivered" }</th></tr></thead>
                <tbody>{ for f.attempts.iter().map(|a| html! {
                    <tr><th scope="row">{ &a.group }</th><td>{ thousands(a.attempts) }</td><td>{ thousands(a.failed) }</td>
                        <td>{ pct(a.failed, a.attempts) }</td><td>{ thousands(a.never_delivered) }</td></tr>
                }) }</tbody>
            </table>

            { definition(3) }
            <table id="fidelity-renotification">
                <caption>{ "Re-notification after escalation" }</caption>
                <thead><tr><th scope="col">{ "Escalated" }</th><th scope="col">{ "Re-notified" }</th><th scope="col">{ "Share" }</th></tr></thead>
                <tbody><tr><td>{ thousands(r.escalated) }</td><td>{ thousands(r.renotified) }</td><td>{ pct(r.renotified, r.escalated) }</td></tr></tbody>
            </table>

            { definition(4) }
            <table id="fidelity-contacts">
                <caption>{ "Advocates' contacts (counts only)" }</caption>
                <thead><tr><th scope="col">{ "Contacts" }</th><th scope="col">{ "Reached" }</th>
                    <th scope="col">{ "Cases" }</th><th scope="col">{ "Cases reached" }</th></tr></thead>
                <tbody><tr><td>{ thousands(c.contacts) }</td><td>{ thousands(c.reached) }</td>
                    <td>{ thousands(c.cases) }</td><td>{ thousands(c.cases_reached) }</td></tr></tbody>
            </table>

            { definition(5) }
            <div class="table-scroll" tabindex="0" role="region" aria-label="Implementation by month">
                <table id="fidelity-monthly">
                    <caption>{ "By month" }</caption>
                    <thead><tr><th scope="col">{ "Month" }</th><th scope="col">{ "Attempts" }</th><th scope="col">{ "Failed" }</th>
                        <th scope="col">{ "Notified" }</th><th scope="col">{ "Re-notified" }</th><th scope="col">{ "Median days" }</th>
                        <th scope="col">{ "90th percentile days" }</th><th scope="col">{ "Contacts" }</th><th scope="col">{ "Reached" }</th></tr></thead>
                    <tbody>{ for f.monthly.iter().map(|m| html! {
                        <tr><th scope="row">{ &m.month }</th><td>{ thousands(m.attempts) }</td><td>{ thousands(m.failed) }</td>
                            <td>{ thousands(m.notified) }</td><td>{ thousands(m.renotified) }</td><td>{ days(m.median_days) }</td>
                            <td>{ days(m.p90_days) }</td><td>{ thousands(m.contacts) }</td><td>{ thousands(m.reached) }</td></tr>
                    }) }</tbody>
                </table>
            </div>
        </section>
    }
}
