//! Classification settings: where the household-family codes go, and the code table for
//! reference.

use ipvi_core::classify::CodeTable;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Settings properties.
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub code_table: CodeTable,
    pub busy: bool,
    pub on_household_as_family: Callback<bool>,
}

/// `#settings` with `input#household-as-family` and `table#code-table`.
#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let on_change = {
        let cb = props.on_household_as_family.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    let table = &props.code_table;
    let household: Vec<String> = table.household_codes.iter().cloned().collect();
    html! {
        <details class="settings" id="settings">
            <summary>{ "Classification settings" }</summary>
            <div class="field-check">
                <input type="checkbox" id="household-as-family" checked={table.household_family_as_family()}
                    disabled={props.busy} onchange={on_change} />
                <label for="household-as-family">
                    { format!("Count household-family codes ({}) as other family; otherwise as known, not family", household.join(", ")) }
                </label>
            </div>
            <table id="code-table">
                <caption>{ format!("Relationship codes by class (defaults version {}). A code not listed is classed unknown and reported.", table.version) }</caption>
                <thead><tr><th scope="col">{ "Class" }</th><th scope="col">{ "Codes" }</th></tr></thead>
                <tbody>
                    { for table.codes_by_class().into_iter().map(|(class, codes)| html! {
                        <tr data-class={class.as_str()}>
                            <th scope="row">{ class.label() }</th>
                            <td>
                                { for codes.iter().map(|c| {
                                    let name = table.names.get(c).cloned().unwrap_or_default();
                                    html! { <span class="code-chip" title={name.clone()}><abbr title={name}>{ c }</abbr>{ " " }</span> }
                                }) }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </details>
    }
}
