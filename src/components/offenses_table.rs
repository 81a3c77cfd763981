//! The offences most often recorded on intimate-partner pairs.

use super::bar::Bar;
use crate::format::count;
use yew::prelude::*;

/// How many offences to show.
pub const TOP: usize = 10;

/// Offences table properties.
#[derive(Properties, PartialEq)]
pub struct OffensesTableProps {
    /// (code, name, IPV pairs), most frequent first.
    pub offenses: Vec<(String, String, u64)>,
}

/// `table#ipv-top-offenses`, rows `tr[data-code]`.
#[function_component(OffensesTable)]
pub fn offenses_table(props: &OffensesTableProps) -> Html {
    let max = props.offenses.iter().map(|o| o.2).max().unwrap_or(0);
    // Offence names come only where the data names its codes.
    let named = props.offenses.iter().any(|o| !o.1.is_empty());
    html! {
        <section class="panel" aria-labelledby="offenses-title">
            <h2 id="offenses-title">{ "Top offences on intimate-partner pairs" }</h2>
            if props.offenses.is_empty() {
                <p id="ipv-top-offenses-empty">{ "No intimate-partner pairs in these files." }</p>
            } else {
                <table id="ipv-top-offenses" class="numbers">
                    <caption>{ format!("The {} offences most often in incidents with an intimate-partner pair, counted per pair.", TOP.min(props.offenses.len())) }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Code" }</th>
                            if named { <th scope="col">{ "Offence" }</th> }
                            <th scope="col">{ "IPV pairs" }</th>
                            <th scope="col"><span class="visually-hidden">{ "Bar" }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for props.offenses.iter().take(TOP).map(|(code, name, n)| html! {
                            <tr data-code={code.clone()}>
                                if named {
                                    <td class="code">{ code }</td>
                                    <th scope="row" class="name">{ name }</th>
                                } else {
                                    <th scope="row" class="code">{ code }</th>
                                }
                                <td class="pairs num">{ count(*n) }</td>
                                <td><Bar value={*n} max={max} /></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
