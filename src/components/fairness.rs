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

fn kind(attribute: &str) -> ipvi_core::codes::CodeKind {
    if attribute == "sex" {
        ipvi_core::codes::CodeKind::Sex
    } else {
        ipvi_core::codes::CodeKind::Race
    }
}

/// `#fairness` with `table#fairness-table`.
#[function_component(Fairness)]
pub fn fairness(props: &FairnessProps) -> Html {
    let rows = &props.view.fairness;
    html! {
        <section class="panel" id="fairness" aria-labelledby="fairness-title">
            <h2 id="fairness-title">{ "Fairness: who is on each list" }</h2>
            { super::offender_list::synthetic_note(props.view.data.synthetic) }
            <p class="note" id="race-note" role="note">
                { "Race is never an input to a score or a list; it is shown only to audit the lists." }
            </p>
            <p class="help">{ format!("Disparity ratio: a group's share of the list divided by its share of all IPV offenders (1.0 = the same). \
                 A group with fewer than {} people on a list gets a caution instead of a ratio: one person more or less would move it too far.",
                 ipvi_core::report::suppress::THRESHOLD) }</p>
            <div class="table-wrap">
            <table id="fairness-table" aria-labelledby="fairness-title">
                <thead><tr>
                    <th scope="col">{ "Attribute" }</th><th scope="col">{ "Group" }</th><th scope="col">{ "List" }</th>
                    <th scope="col">{ "People" }</th><th scope="col">{ "Share" }</th><th scope="col">{ "Disparity" }</th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|g| html! {
                    <tr>
                        <td>{ &g.attribute }</td>
                        <td>{ if g.label.is_empty() { ipvi_core::codes::label(kind(&g.attribute), &g.group) } else { g.label.clone() } }</td>
                        <td>{ &g.list }</td>
                        <td class="num">{ g.count }</td>
                        <td class="num">{ format!("{:.1}%", g.share * 100.0) }</td>
                        <td class={classes!(if g.caution.is_some() { "caution" } else { "num" })}>{
                            match (g.disparity, &g.caution) {
                                (Some(d), _) => format!("{d:.2}"),
                                (None, Some(c)) => c.clone(),
                                (None, None) => "–".into(),
                            }
                        }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
