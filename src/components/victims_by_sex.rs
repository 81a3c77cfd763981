//! Distinct victims in intimate-partner pairs, by sex.

use super::bar::Bar;
use crate::format::{count, sex_label, share};
use yew::prelude::*;

/// Victims-by-sex properties.
#[derive(Properties, PartialEq)]
pub struct VictimsBySexProps {
    /// (sex code, IPV victims).
    pub rows: Vec<(String, u64)>,
}

/// `table#ipv-victims-by-sex`, rows `tr[data-sex]`.
#[function_component(VictimsBySex)]
pub fn victims_by_sex(props: &VictimsBySexProps) -> Html {
    let total: u64 = props.rows.iter().map(|r| r.1).sum();
    let max = props.rows.iter().map(|r| r.1).max().unwrap_or(0);
    html! {
        <section class="panel" aria-labelledby="victims-sex-title">
            <h2 id="victims-sex-title">{ "Intimate-partner victims by sex" }</h2>
            <table id="ipv-victims-by-sex" class="numbers">
                <caption>{ "Distinct victims in intimate-partner pairs." }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Sex" }</th>
                        <th scope="col">{ "Victims" }</th>
                        <th scope="col">{ "Share" }</th>
                        <th scope="col"><span class="visually-hidden">{ "Bar" }</span></th>
                    </tr>
                </thead>
                <tbody>
                    { for props.rows.iter().map(|(code, n)| html! {
                        <tr data-sex={code.clone()}>
                            <th scope="row">{ sex_label(code) }</th>
                            <td class="victims num">{ count(*n) }</td>
                            <td class="share num">{ share(*n, total) }</td>
                            <td><Bar value={*n} max={max} /></td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{ "All" }</th>
                        <td class="num" id="ipv-victims-total">{ count(total) }</td>
                        <td></td>
                        <td></td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}
