//! Workload and capacity: each partner agency's staff and weekly hours (rows added and removed),
//! the hours each list's notification takes per deliverer, and the hours available per
//! deliverer. The projection of notifications a week needs the lists, which need linked agency
//! records; for a NIBRS extract the screen and the report say so and show the capacity entered.
//! With an inquiry loaded the projection is drawn from each list's stock (people on it now) and
//! inflow of the last 12 months, against the hours and the places a year entered per list.

use crate::workstate::{Work, WorkAction};
use ipvi_core::offenders::outputs::html_escape as esc;
use ipvi_core::offenders::List;
use ipvi_core::report::workload::{Deliverer, Partner};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Hours a week available per deliverer.
pub fn available(work: &Work) -> Vec<(Deliverer, f64)> {
    Deliverer::ALL
        .iter()
        .map(|&d| {
            let h = work
                .partners
                .iter()
                .filter(|p| p.role == d)
                .map(|p| p.staff * p.hours_per_week)
                .sum();
            (d, h)
        })
        .collect()
}

/// The report section when the lists cannot be projected (NIBRS): the capacity entered and why
/// the projection is missing.
pub fn capacity_section_html(work: &Work) -> String {
    let mut s = String::from(
        "<section><h2>Workload and capacity</h2><p class=\"unavailable\">The weekly notifications each list brings \
         cannot be projected from this data: the lists need one person's incidents linked across incidents, which needs \
         an agency export with names and dates of birth. The capacity the partners entered is below.</p>\
         <table><caption>Hours a week available</caption><thead><tr><th scope=\"col\">Who delivers</th>\
         <th scope=\"col\">Partner agencies</th><th scope=\"col\">Hours available</th></tr></thead><tbody>",
    );
    for (d, h) in available(work) {
        let names: Vec<&str> = work
            .partners
            .iter()
            .filter(|p| p.role == d && !p.name.trim().is_empty())
            .map(|p| p.name.as_str())
            .collect();
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{h:.1}</td></tr>",
            d.label(),
            esc(&names.join("; "))
        ));
    }
    s.push_str("</tbody></table></section>");
    s
}

fn role_value(d: Deliverer) -> &'static str {
    match d {
        Deliverer::Officers => "officers",
        Deliverer::Advocates => "advocates",
        Deliverer::Prosecutors => "prosecutors",
    }
}

fn parse_hours(s: &str) -> f64 {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .unwrap_or(0.0)
}

/// People a year as typed: a whole number of 0 or more, else not entered.
pub fn parse_places(s: &str) -> Option<u64> {
    s.trim().parse::<u64>().ok()
}

#[derive(Properties, PartialEq)]
pub struct WorkloadFormProps {
    pub work: Work,
    pub on_work: Callback<WorkAction>,
    /// The lists' inflow of the loaded inquiry (`None`: a NIBRS extract or nothing loaded).
    #[prop_or_default]
    pub inflow: Option<crate::inquiry::Inflow>,
}

/// The workload and capacity screen.
#[function_component(WorkloadForm)]
pub fn workload_form(p: &WorkloadFormProps) -> Html {
    let rows = p.work.partners.iter().enumerate().map(|(i, partner)| {
        let set = |f: fn(&mut Partner, String)| {
            let on_work = p.on_work.clone();
            let partner = partner.clone();
            move |value: String| {
                let mut next = partner.clone();
                f(&mut next, value);
                on_work.emit(WorkAction::SetPartner(i, next));
            }
        };
        let on_name = {
            let f = set(|x, v| x.name = v);
            Callback::from(move |e: Event| f(e.target_unchecked_into::<HtmlInputElement>().value()))
        };
        let on_staff = {
            let f = set(|x, v| x.staff = parse_hours(&v));
            Callback::from(move |e: Event| f(e.target_unchecked_into::<HtmlInputElement>().value()))
        };
        let on_hours = {
            let f = set(|x, v| x.hours_per_week = parse_hours(&v));
            Callback::from(move |e: Event| f(e.target_unchecked_into::<HtmlInputElement>().value()))
        };
        let on_role = {
            let f = set(|x, v| {
                x.role = match v.as_str() {
                    "advocates" => Deliverer::Advocates,
                    "prosecutors" => Deliverer::Prosecutors,
                    _ => Deliverer::Officers,
                }
            });
            Callback::from(move |e: Event| f(e.target_unchecked_into::<HtmlSelectElement>().value()))
        };
        let on_remove = p.on_work.reform(move |_: MouseEvent| WorkAction::RemovePartner(i));
        html! {
            <tr class="partner-row">
                <td><input type="text" aria-label={format!("Partner {} name", i + 1)} value={partner.name.clone()} onchange={on_name} /></td>
                <td>
                    <select aria-label={format!("Partner {} delivers as", i + 1)} onchange={on_role}>
                        { for Deliverer::ALL.iter().map(|&d| html! {
                            <option value={role_value(d)} selected={partner.role == d}>{ d.label() }</option>
                        }) }
                    </select>
                </td>
                <td><input type="number" min="0" step="0.5" aria-label={format!("Partner {} staff", i + 1)} value={partner.staff.to_string()} onchange={on_staff} /></td>
                <td><input type="number" min="0" step="0.5" aria-label={format!("Partner {} hours a week each", i + 1)} value={partner.hours_per_week.to_string()} onchange={on_hours} /></td>
                <td><button type="button" class="secondary remove-partner" onclick={on_remove}
                    aria-label={format!("Remove partner {}", i + 1)}>{ "Remove" }</button></td>
            </tr>
        }
    });
    let efforts = p.work.efforts.iter().enumerate().map(|(i, e)| {
        html! {
            <tr>
                <th scope="row">{ format!("{} — {}", e.list.as_str(), e.kind) }</th>
                { for Deliverer::ALL.iter().map(|&d| {
                    let hours = e.hours.iter().find(|(w, _)| *w == d).map(|x| x.1).unwrap_or(0.0);
                    let on = p.on_work.reform(move |ev: Event| {
                        WorkAction::SetEffortHours(i, d, parse_hours(&ev.target_unchecked_into::<HtmlInputElement>().value()))
                    });
                    html! { <td><input type="number" min="0" step="0.5" value={hours.to_string()} onchange={on}
                        aria-label={format!("List {} hours for {}", e.list.as_str(), d.label().to_lowercase())} /></td> }
                }) }
            </tr>
        }
    });
    let on_add = p.on_work.reform(|_: MouseEvent| WorkAction::AddPartner);
    let places = [List::A, List::B, List::C, List::D].map(|l| {
        let value = p
            .work
            .places
            .iter()
            .find(|(x, _)| *x == l)
            .map(|(_, n)| n.to_string())
            .unwrap_or_default();
        let on = p.on_work.reform(move |ev: Event| {
            WorkAction::SetPlaces(l, parse_places(&ev.target_unchecked_into::<HtmlInputElement>().value()))
        });
        html! {
            <tr>
                <th scope="row">{ l.as_str() }</th>
                <td><input type="number" min="0" step="1" class="list-places" value={value} onchange={on}
                    aria-label={format!("People a year list {} can take", l.as_str())} /></td>
            </tr>
        }
    });
    html! {
        <section class="panel screen" id="workload" aria-labelledby="workload-title">
            <h2 id="workload-title">{ "Workload and capacity" }</h2>
            <table id="partners-table">
                <caption>{ "Partner agencies: staff and hours a week each gives to the intervention" }</caption>
                <thead><tr><th scope="col">{ "Agency" }</th><th scope="col">{ "Delivers as" }</th>
                    <th scope="col">{ "Staff" }</th><th scope="col">{ "Hours a week each" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <button type="button" id="add-partner" class="secondary" onclick={on_add}>{ "Add a partner agency" }</button>
            <table id="efforts-table">
                <caption>{ "Hours one notification takes, by list and who delivers it (editable defaults)" }</caption>
                <thead><tr><th scope="col">{ "List and notification" }</th>
                    { for Deliverer::ALL.iter().map(|d| html! { <th scope="col">{ d.label() }</th> }) }</tr></thead>
                <tbody>{ for efforts }</tbody>
            </table>
            <table id="places-table">
                <caption>{ "Places: people a year each list's action can take (blank: not entered)" }</caption>
                <thead><tr><th scope="col">{ "List" }</th><th scope="col">{ "People a year" }</th></tr></thead>
                <tbody>{ for places }</tbody>
            </table>
            <div class="report-body" id="workload-projection">
                { Html::from_html_unchecked(AttrValue::from(match &p.inflow {
                    Some(inflow) => ipvi_core::report::workload::section_html(&ipvi_core::report::workload::capacity(
                        inflow,
                        &p.work.efforts,
                        &p.work.partners,
                        &p.work.places,
                    )),
                    None => capacity_section_html(&p.work),
                })) }
            </div>
        </section>
    }
}
