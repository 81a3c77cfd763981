//! The list rules: the rules the lists were made with, a candidate set the analyst edits as JSON
//! (or loads from a file saved earlier), and what the candidate would do on the loaded data
//! before it is applied — how many people each rule holds for, places and raises, and the list
//! sizes now and with the candidate ([`ipvi_core::offenders::lists::impact`], computed on the page
//! from the offenders' features). Applying keeps the rules in the workspace; the next analysis
//! makes the lists with them.

use crate::inquiry::InquiryView;
use crate::state::Shared;
use ipvi_core::offenders::features::Features;
use ipvi_core::offenders::lists::{impact, Impact, ListRules};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

/// List rules panel properties.
#[derive(Properties, PartialEq)]
pub struct ListRulesPanelProps {
    pub view: Shared<InquiryView>,
    /// The rules the analyst applied (`None`: the defaults).
    pub applied: Option<ListRules>,
    /// Keep rules for the next analysis (`None`: back to the defaults).
    pub on_apply: Callback<Option<ListRules>>,
    /// Analyse again with the rules kept; `None` when no analysis can run now.
    pub on_rerun: Option<Callback<()>>,
    pub on_error: Callback<String>,
}

/// The impact as a table: one row per rule of the candidate, then the list sizes.
pub fn impact_html(i: &Impact) -> Html {
    let sizes = |s: &[u64; 4]| format!("A {}, B {}, C {}, D {}", s[0], s[1], s[2], s[3]);
    html! {
        <>
        <table id="rules-impact">
            <caption>{ "What these rules do on the loaded data (before they are applied)" }</caption>
            <thead><tr>
                <th scope="col">{ "Rule" }</th><th scope="col">{ "List" }</th>
                <th scope="col">{ "Holds for" }</th><th scope="col">{ "Places on its list" }</th>
                <th scope="col">{ "Raises (lower without it)" }</th>
            </tr></thead>
            <tbody>
                { for i.rules.iter().map(|r| html! {
                    <tr data-rule={r.rule.clone()}>
                        <th scope="row" title={r.description.clone()}>{ &r.rule }</th>
                        <td>{ r.list.as_str() }</td>
                        <td class="num">{ r.holds }</td>
                        <td class="num">{ r.places }</td>
                        <td class="num">{ r.raises }</td>
                    </tr>
                }) }
            </tbody>
        </table>
        <p id="rules-sizes" role="status">{ format!(
            "List sizes now: {}. With these rules: {}. {} people would move up, {} down.",
            sizes(&i.now), sizes(&i.with_candidate), i.up, i.down) }</p>
        if !i.flags.is_empty() {
            <p id="rules-flags">{ format!("Flagged: {}.", i.flags.iter().map(|(f, n)| format!("{f} {n}")).collect::<Vec<_>>().join(", ")) }</p>
        }
        </>
    }
}

async fn load(file: web_sys::File, draft: UseStateHandle<String>, on_error: Callback<String>) {
    let name = file.name();
    let buf = match crate::files::read(&file).await {
        Ok(b) => b,
        Err(e) => return on_error.emit(e),
    };
    match String::from_utf8(js_sys::Uint8Array::new(&buf).to_vec()) {
        Ok(text) => draft.set(text),
        Err(_) => on_error.emit(format!(
            "{name} is not list rules (not UTF-8 text): load rules saved from the analyzer"
        )),
    }
}

/// `section#list-rules`: `textarea#rules-json` (the candidate), `input#rules-input` (load a
/// saved file), `button#rules-preview`, `#rules-error`, `table#rules-impact` with
/// `#rules-sizes`, `button#rules-apply`, `button#rules-defaults`, `button#rules-save` and,
/// when the lists shown were made with other rules, `button#rules-rerun`.
#[function_component(ListRulesPanel)]
pub fn list_rules_panel(p: &ListRulesPanelProps) -> Html {
    let applied = p.applied.clone().unwrap_or_default();
    let draft = {
        let text = applied.to_json();
        use_state(move || text)
    };
    let preview = use_state(|| None::<Result<(ListRules, Impact), String>>);
    let features: Vec<Features> = p.view.offenders.iter().map(|o| o.features.clone()).collect();
    let shown_with = p.view.list_rules.clone().unwrap_or_default();
    let on_input = {
        let draft = draft.clone();
        let preview = preview.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
            preview.set(None);
        })
    };
    let on_preview = {
        let draft = draft.clone();
        let preview = preview.clone();
        let current = shown_with.clone();
        Callback::from(move |_: MouseEvent| {
            let r = ListRules::from_json("the rules above", &draft)
                .map(|cand| {
                    let i = impact(&features, &current, &cand);
                    (cand, i)
                })
                .map_err(|e| e.to_string());
            preview.set(Some(r));
        })
    };
    let on_apply = {
        let preview = preview.clone();
        let cb = p.on_apply.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(Ok((rules, _))) = &*preview {
                cb.emit((*rules != ListRules::default()).then(|| rules.clone()));
            }
        })
    };
    let on_defaults = {
        let draft = draft.clone();
        let preview = preview.clone();
        Callback::from(move |_: MouseEvent| {
            draft.set(ListRules::default().to_json());
            preview.set(None);
        })
    };
    let on_save = {
        let draft = draft.clone();
        let on_error = p.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = crate::download::download_text("ipvi-list-rules.json", "application/json", &draft) {
                on_error.emit(e);
            }
        })
    };
    let on_file = {
        let draft = draft.clone();
        let preview = preview.clone();
        let on_error = p.on_error.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = input
                .files()
                .map(|l| crate::files::from_file_list(&l))
                .unwrap_or_default();
            if let Some(f) = files.into_iter().next() {
                preview.set(None);
                spawn_local(load(f, draft.clone(), on_error.clone()));
            }
            input.set_value("");
        })
    };
    let pending = shown_with != applied;
    html! {
        <section class="panel" id="list-rules" aria-labelledby="list-rules-title">
            <h2 id="list-rules-title">{ "List rules" }</h2>
            <p class="help">{ "Each rule names a list and conditions that must all hold; a person goes on the highest list \
                one of whose rules holds. By default a danger marker (a firearm, strangulation, a protective-order violation) \
                flags the person and puts them on C at least, on B with a repeat IPV incident, and on A only together with a \
                chronic or violent history. Edit the rules below, or load a file saved earlier, and preview what they do \
                before applying them. The preview applies the rules afresh: on the next analysis tiers only escalate, so \
                someone the lists shown put higher stays there." }</p>
            if pending {
                <p class="pending" id="rules-pending">
                    { "The rules kept differ from those the lists shown were made with. " }
                    if let Some(rerun) = p.on_rerun.clone() {
                        <button type="button" id="rules-rerun" onclick={rerun.reform(|_: MouseEvent| ())}>{ "Analyse again with them" }</button>
                    }
                </p>
            }
            <label for="rules-json">{ "Rules (JSON, the format saved here)" }</label>
            <textarea id="rules-json" rows="14" spellcheck="false" value={(*draft).clone()} oninput={on_input} />
            <div class="table-tools">
                <button type="button" id="rules-preview" onclick={on_preview}>{ "Preview on the loaded data" }</button>
                <button type="button" id="rules-apply" class="secondary" onclick={on_apply}
                    disabled={!matches!(&*preview, Some(Ok(_)))}>{ "Apply these rules" }</button>
                <button type="button" id="rules-defaults" class="secondary" onclick={on_defaults}>{ "Back to the default rules" }</button>
                <button type="button" id="rules-save" class="secondary" onclick={on_save}>{ "Save the rules (JSON)" }</button>
                <label for="rules-input">{ "Load rules" }</label>
                <input id="rules-input" type="file" accept=".json,application/json" onchange={on_file} />
            </div>
            { match &*preview {
                Some(Ok((_, i))) => impact_html(i),
                Some(Err(e)) => html! { <p id="rules-error" class="error" role="alert">{ e.clone() }</p> },
                None => html! {},
            } }
        </section>
    }
}
