//! The victim outreach view, for advocates only: each offender's intimate-partner victims with
//! their name and contact. Kept apart from the offender list and the person pages. The
//! advocates' export (CSV or XLSX) holds one row per IPV victim with only what advocates need:
//! name, contact, incident dates, the offenders' list letters and notification dates; nothing
//! from narratives, charges or relationship texts.

use crate::inquiry::InquiryView;
use crate::state::Shared;
use ipvi_core::offenders::advocates::advocates_sheet;
use yew::prelude::*;

/// Victim outreach properties.
#[derive(Properties, PartialEq)]
pub struct VictimOutreachProps {
    pub view: Shared<InquiryView>,
    #[prop_or_default]
    pub on_error: Callback<String>,
}

/// Rows shown at most (by offender rank).
const MAX_OFFENDERS: usize = 200;

/// `#victim-outreach` with `table#outreach-table`.
#[function_component(VictimOutreach)]
pub fn victim_outreach(props: &VictimOutreachProps) -> Html {
    let v = &props.view;
    let with_victims = v.outreach.iter().filter(|o| !o.victims.is_empty()).count();
    let on_csv = {
        let (view, on_error) = (v.clone(), props.on_error.clone());
        Callback::from(move |_: MouseEvent| {
            let csv = advocates_sheet(&view.advocates).synthetic(view.data.synthetic).to_csv();
            if let Err(e) = crate::download::download_text("victim-outreach-advocates-only.csv", "text/csv", &csv) {
                on_error.emit(e);
            }
        })
    };
    let on_xlsx = {
        let (view, on_error) = (v.clone(), props.on_error.clone());
        Callback::from(move |_: MouseEvent| {
            let result = ipvi_xlsx::workbook(&[advocates_sheet(&view.advocates).synthetic(view.data.synthetic)])
                .map_err(|e| format!("the XLSX file could not be written: {e}"))
                .and_then(|bytes| {
                    crate::download::download_bytes(
                        "victim-outreach-advocates-only.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        &bytes,
                    )
                });
            if let Err(e) = result {
                on_error.emit(e);
            }
        })
    };
    html! {
        <section class="panel outreach" id="victim-outreach" aria-labelledby="outreach-title">
            <h2 id="outreach-title">{ "Victim outreach — for advocates only" }</h2>
            <p class="advocates-only" role="note">
                { "For victim advocates only. Never share this view with the people notified, and never print it \
                   with a notification worksheet." }
            </p>
            <p>{ format!("{} offenders with intimate-partner victims; the first {} by rank are shown.",
                crate::format::count(with_victims as u64), MAX_OFFENDERS.min(with_victims)) }</p>
            <div class="buttons">
                <button type="button" id="export-advocates-csv" onclick={on_csv}>
                    { format!("Download the advocates' list ({} victims, CSV)", crate::format::count(v.advocates.len() as u64)) }
                </button>
                <button type="button" id="export-advocates-xlsx" class="secondary" onclick={on_xlsx}>{ "Download it as XLSX" }</button>
            </div>
            <div class="table-wrap">
            <table id="outreach-table" aria-labelledby="outreach-title">
                <thead><tr>
                    <th scope="col">{ "Offender" }</th><th scope="col">{ "List" }</th><th scope="col">{ "Victim" }</th>
                    <th scope="col">{ "Phone" }</th><th scope="col">{ "Address" }</th><th scope="col">{ "Incidents" }</th>
                    <th scope="col">{ "Last" }</th>
                </tr></thead>
                <tbody>
                { for v.outreach.iter().filter(|o| !o.victims.is_empty()).take(MAX_OFFENDERS).flat_map(|o| {
                    o.victims.iter().map(move |c| html! {
                        <tr data-offender={o.offender_id.clone()} data-victim={c.person_id.clone()}>
                            <td>{ &o.offender_id }</td>
                            <td>{ o.list.as_str() }</td>
                            <td class="victim-name">{ &c.name }</td>
                            <td>{ &c.phone }</td>
                            <td>{ &c.address }</td>
                            <td>{ c.incidents.join(", ") }</td>
                            <td>{ c.last_date.map(|d| d.to_string()).unwrap_or_default() }</td>
                        </tr>
                    })
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
