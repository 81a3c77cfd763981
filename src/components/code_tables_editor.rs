//! The local code tables of an import profile: agency offence codes or statute texts to NIBRS
//! offence codes, and local relationship codes or texts to relationship classes. Two small
//! tables with a remove button per row and an add row of labelled inputs (Enter adds).

use crate::import_state::{check_code_edit, CodeEdit};
use ipvi_core::model::RelClass;
use std::collections::BTreeMap;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Code tables editor properties.
#[derive(Properties, PartialEq)]
pub struct CodeTablesEditorProps {
    /// Keeps the element ids of several editors apart (`map`, `profile-0`, ...).
    pub id_prefix: String,
    pub offense: BTreeMap<String, String>,
    pub relationship: BTreeMap<String, RelClass>,
    /// A checked, normalised edit.
    pub on_edit: Callback<CodeEdit>,
}

fn class_label(c: RelClass) -> &'static str {
    c.label()
}

/// `#<prefix>-offense-codes` and `#<prefix>-relationship-codes` tables; inputs
/// `#<prefix>-offense-key`, `#<prefix>-offense-nibrs`, `#<prefix>-rel-key`, `#<prefix>-rel-class`
/// and the add buttons `#<prefix>-offense-add`, `#<prefix>-rel-add`.
#[function_component(CodeTablesEditor)]
pub fn code_tables_editor(props: &CodeTablesEditorProps) -> Html {
    let p = props.id_prefix.clone();
    let error = use_state(String::new);
    let off_key = use_node_ref();
    let off_code = use_node_ref();
    let rel_key = use_node_ref();
    let rel_class = use_node_ref();
    let submit = {
        let on_edit = props.on_edit.clone();
        let error = error.clone();
        move |edit: CodeEdit, clear: Vec<NodeRef>| match check_code_edit(edit) {
            Ok(e) => {
                error.set(String::new());
                for r in clear {
                    if let Some(i) = r.cast::<HtmlInputElement>() {
                        i.set_value("");
                    }
                }
                on_edit.emit(e);
            }
            Err(why) => error.set(why),
        }
    };
    let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
    let add_offense = {
        let submit = submit.clone();
        let (k, c) = (off_key.clone(), off_code.clone());
        Callback::from(move |_: ()| submit(CodeEdit::AddOffense(value(&k), value(&c)), vec![k.clone(), c.clone()]))
    };
    let add_rel = {
        let submit = submit.clone();
        let (k, c) = (rel_key.clone(), rel_class.clone());
        Callback::from(move |_: ()| {
            let class = c
                .cast::<HtmlSelectElement>()
                .and_then(|s| RelClass::parse(&s.value()))
                .unwrap_or(RelClass::Unknown);
            submit(CodeEdit::AddRelationship(value(&k), class), vec![k.clone()])
        })
    };
    let on_enter = |cb: Callback<()>| {
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                cb.emit(());
            }
        })
    };
    let remove = |edit: CodeEdit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| on_edit.emit(edit.clone()))
    };
    html! {
        <div class="code-tables" id={format!("{p}-code-tables")}>
            <h3>{ "Local code tables" }</h3>
            <p class="help">{ "Codes and texts are matched in upper case. Local offence codes and statute texts become \
                NIBRS offence codes; local relationship codes and texts become relationship classes before the \
                NIBRS table and the free-text rules are tried." }</p>
            <div class="two-columns">
                <table id={format!("{p}-offense-codes")} class="code-table">
                    <caption>{ "Offence codes and statute texts → NIBRS offence code" }</caption>
                    <thead><tr><th scope="col">{ "Local code or text" }</th><th scope="col">{ "NIBRS" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                    <tbody>
                        { for props.offense.iter().map(|(k, v)| html! {
                            <tr data-key={k.clone()}>
                                <th scope="row">{ k }</th>
                                <td>{ v }</td>
                                <td><button type="button" class="secondary" aria-label={format!("Remove {k}")}
                                    onclick={remove(CodeEdit::RemoveOffense(k.clone()))}>{ "Remove" }</button></td>
                            </tr>
                        }) }
                        <tr class="add-row">
                            <td><label class="visually-hidden" for={format!("{p}-offense-key")}>{ "Local offence code or statute text" }</label>
                                <input id={format!("{p}-offense-key")} ref={off_key} type="text" placeholder="ARS 13-1203" onkeydown={on_enter(add_offense.clone())} /></td>
                            <td><label class="visually-hidden" for={format!("{p}-offense-nibrs")}>{ "NIBRS offence code" }</label>
                                <input id={format!("{p}-offense-nibrs")} ref={off_code} type="text" size="4" placeholder="13B" onkeydown={on_enter(add_offense.clone())} /></td>
                            <td><button type="button" id={format!("{p}-offense-add")} onclick={add_offense.reform(|_: MouseEvent| ())}>{ "Add" }</button></td>
                        </tr>
                    </tbody>
                </table>
                <table id={format!("{p}-relationship-codes")} class="code-table">
                    <caption>{ "Relationship codes and texts → class" }</caption>
                    <thead><tr><th scope="col">{ "Local code or text" }</th><th scope="col">{ "Class" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                    <tbody>
                        { for props.relationship.iter().map(|(k, v)| html! {
                            <tr data-key={k.clone()}>
                                <th scope="row">{ k }</th>
                                <td>{ class_label(*v) }</td>
                                <td><button type="button" class="secondary" aria-label={format!("Remove {k}")}
                                    onclick={remove(CodeEdit::RemoveRelationship(k.clone()))}>{ "Remove" }</button></td>
                            </tr>
                        }) }
                        <tr class="add-row">
                            <td><label class="visually-hidden" for={format!("{p}-rel-key")}>{ "Local relationship code or text" }</label>
                                <input id={format!("{p}-rel-key")} ref={rel_key} type="text" placeholder="GF" onkeydown={on_enter(add_rel.clone())} /></td>
                            <td><label class="visually-hidden" for={format!("{p}-rel-class")}>{ "Relationship class" }</label>
                                <select id={format!("{p}-rel-class")} ref={rel_class}>
                                    { for RelClass::ALL.iter().map(|c| html! { <option value={c.as_str()}>{ class_label(*c) }</option> }) }
                                </select></td>
                            <td><button type="button" id={format!("{p}-rel-add")} onclick={add_rel.reform(|_: MouseEvent| ())}>{ "Add" }</button></td>
                        </tr>
                    </tbody>
                </table>
            </div>
            <p class="field-error" role="status" aria-live="polite" id={format!("{p}-code-error")}>{ (*error).clone() }</p>
        </div>
    }
}
