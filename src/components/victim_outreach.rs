//! The victim outreach view, for advocates only: each offender's intimate-partner victims with
//! their name and contact. Kept apart from the offender list and the person pages.

use crate::inquiry::InquiryView;
use crate::state::Shared;
use yew::prelude::*;

/// Victim outreach properties.
#[derive(Properties, PartialEq)]
pub struct VictimOutreachProps {
    pub view: Shared<InquiryView>,
}

/// Rows shown at most (by offender rank).
const MAX_OFFENDERS: usize = 200;

/// `#victim-outreach` with `table#outreach-table`.
#[function_component(VictimOutreach)]
pub fn victim_outreach(props: &VictimOutreachProps) -> Html {
    let v = &props.view;
    let with_victims = v.outreach.iter().filter(|o| !o.victims.is_empty()).count();
    html! {
        <section class="panel outreach" id="victim-outreach" aria-labelledby="outreach-title">
            <h2 id="outreach-title">{ "Victim outreach — for advocates only" }</h2>
            <p class="advocates-only" role="note">
                { "For victim advocates only. Never share this view with the people notified, and never print it \
                   with a notification worksheet." }
            </p>
            <p>{ format!("{} offenders with intimate-partner victims; the first {} by rank are shown.",
                crate::format::count(with_victims as u64), MAX_OFFENDERS.min(with_victims)) }</p>
            <div class="table-wrap">
            <table id="outreach-table">
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
