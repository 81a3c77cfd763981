//! Pairs and incidents by relationship class, and the incident totals.

use crate::format::{count, share};
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::NibrsSummary;
use yew::prelude::*;

/// Class summary properties.
#[derive(Properties, PartialEq)]
pub struct ClassSummaryProps {
    pub summary: NibrsSummary,
    pub pairs_total: u64,
}

/// `table#pairs-by-class` (rows `tr[data-class]`, cells `td.pairs`, `td.incidents`),
/// `#incidents-total`, `#mixed-incidents`.
#[function_component(ClassSummary)]
pub fn class_summary(props: &ClassSummaryProps) -> Html {
    let s = &props.summary;
    let row = |class: RelClass| {
        let c = s.by_class.iter().find(|c| c.class == class);
        let (pairs, incidents) = c.map(|c| (c.pairs, c.incidents)).unwrap_or((0, 0));
        html! {
            <tr data-class={class.as_str()}>
                <th scope="row">{ class.label() }</th>
                <td class="pairs num">{ count(pairs) }</td>
                <td class="share num">{ share(pairs, props.pairs_total) }</td>
                <td class="incidents num">{ count(incidents) }</td>
            </tr>
        }
    };
    html! {
        <section class="panel" aria-labelledby="by-class-title">
            <h2 id="by-class-title">{ "Victim–offender pairs by relationship" }</h2>
            <table id="pairs-by-class" class="numbers">
                <caption>
                    { "Each victim–offender pair, classed by the inquiry (relationship code, then text, narrative \
                       or offence; see the decision sources below). An incident counts in a class when it holds at \
                       least one pair of that class." }
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Class" }</th>
                        <th scope="col">{ "Pairs" }</th>
                        <th scope="col">{ "Share of pairs" }</th>
                        <th scope="col">{ "Incidents" }</th>
                    </tr>
                </thead>
                <tbody>{ for RelClass::ALL.into_iter().map(row) }</tbody>
                <tfoot>
                    <tr id="pairs-by-class-total">
                        <th scope="row">{ "All pairs" }</th>
                        <td class="num" id="pairs-total">{ count(props.pairs_total) }</td>
                        <td class="num">{ if props.pairs_total > 0 { "100%" } else { "–" } }</td>
                        <td class="num" id="incidents-with-pairs">{ count(s.incidents_with_pairs) }</td>
                    </tr>
                </tfoot>
            </table>
            <dl class="facts">
                <div>
                    <dt>{ "Incidents in the data" }</dt>
                    <dd id="incidents-total">{ count(s.incidents_total) }</dd>
                </div>
                <div>
                    <dt>{ "Incidents with both an intimate-partner and an other-family pair" }</dt>
                    <dd id="mixed-incidents">{ count(s.mixed_ipv_family_incidents) }</dd>
                </div>
                <div>
                    <dt>{ "Pairs where the victim was also the offender (VO)" }</dt>
                    <dd id="vo-pairs">{ count(s.victim_was_offender_pairs) }</dd>
                </div>
                <div>
                    <dt>{ "Pairs with the domestic-violence circumstance" }</dt>
                    <dd id="dv-pairs">{ count(s.dv_circumstance_pairs) }</dd>
                </div>
            </dl>
        </section>
    }
}
