//! The fairness view: the composition of each list by sex and race beside that of all IPV
//! offenders, with disparity ratios. Race is never an input to a score or a list.

use crate::inquiry::InquiryView;
use crate::state::Shared;
use yew::prelude::*;

/// Fairness properties.
#[derive(Properties, PartialEq)]
pub struct FairnessProps {
    pub view: Shared<InquiryView>,
}

/// `#fairness` with `table#fairness-table`.
#[function_component(Fairness)]
pub fn fairness(props: &FairnessProps) -> Html {
    let rows = &props.view.fairness;
    html! {
        <section class="panel" id="fairness" aria-labelledby="fairness-title">
            <h2 id="fairness-title">{ "Fairness: who is on each list" }</h2>
            <p class="note" id="race-note" role="note">
                { "Race is never an input to a score or a list; it is shown only to audit the lists." }
            </p>
            <p class="help">{ "Disparity ratio: a group's share of the list divided by its share of all IPV offenders (1.0 = the same)." }</p>
            <div class="table-wrap">
            <table id="fairness-table">
                <thead><tr>
                    <th scope="col">{ "Attribute" }</th><th scope="col">{ "Group" }</th><th scope="col">{ "List" }</th>
                    <th scope="col">{ "People" }</th><th scope="col">{ "Share" }</th><th scope="col">{ "Disparity" }</th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|g| html! {
                    <tr>
                        <td>{ &g.attribute }</td>
                        <td>{ if g.group.is_empty() { "not recorded".to_string() } else { g.group.clone() } }</td>
                        <td>{ &g.list }</td>
                        <td class="num">{ g.count }</td>
                        <td class="num">{ format!("{:.1}%", g.share * 100.0) }</td>
                        <td class="num">{ g.disparity.map(|d| format!("{d:.2}")).unwrap_or_else(|| "–".into()) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
