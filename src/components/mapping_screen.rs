//! The mapping screen: for every file (or sheet) of an export no profile matched, what it holds
//! and, per column, the proposed field (a select to correct it or set "not used"), sample
//! values, the confidence and why; the required fields still missing; the profile's name and its
//! local code tables. Confirming imports the files with the resulting profile and keeps it.

use super::code_tables_editor::CodeTablesEditor;
use crate::import_state::{kind_value, parse_target, target_choices, target_value, DraftAction, MappingDraft, KINDS};
use ipvi_core::date::SlashOrder;
use ipvi_core::model::Role;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The roles a whole table can have (a victims file, a suspects file).
const ROLES: [Role; 6] = [
    Role::Victim,
    Role::Offender,
    Role::Suspect,
    Role::Arrestee,
    Role::Witness,
    Role::Other,
];

/// The day/month order select of a date column.
fn date_order(
    ti: usize,
    ci: usize,
    order: Option<SlashOrder>,
    format: Option<&str>,
    on: &Callback<DraftAction>,
) -> Html {
    let id = format!("date-order-{ti}-{ci}");
    let day_first = order == Some(SlashOrder::DayFirst);
    let on_change = on.reform(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        let order = if s.value() == "day_first" {
            SlashOrder::DayFirst
        } else {
            SlashOrder::MonthFirst
        };
        DraftAction::SetDateOrder {
            table: ti,
            column: ci,
            order,
        }
    });
    html! {
        <span class="date-order">
            <label for={id.clone()}>{ format!(" dates{}: ", format.map(|f| format!(" (seen: {f})")).unwrap_or_default()) }</label>
            <select id={id} class="date-order" onchange={on_change}>
                <option value="month_first" selected={!day_first}>{ "month first (03/14/2021)" }</option>
                <option value="day_first" selected={day_first}>{ "day first (14/03/2021)" }</option>
            </select>
        </span>
    }
}

/// Mapping screen properties.
#[derive(Properties, PartialEq)]
pub struct MappingScreenProps {
    pub draft: MappingDraft,
    /// A job is running: confirming waits.
    pub busy: bool,
    pub on_action: Callback<DraftAction>,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// `section#mapping`: `input#profile-name`, one `fieldset.mapping-table[data-file]` per table
/// with `select#kind-<t>` and a `select[data-column=<header>]` per column, the missing fields
/// in `#mapping-missing`, the code tables, `button#mapping-confirm` and `button#mapping-cancel`.
#[function_component(MappingScreen)]
pub fn mapping_screen(props: &MappingScreenProps) -> Html {
    let d = &props.draft;
    let choices = use_memo((), |_| target_choices());
    let missing = d.missing();
    let on_name = props.on_action.reform(|e: Event| {
        let i: HtmlInputElement = e.target_unchecked_into();
        DraftAction::SetName(i.value())
    });
    let confirm = props.on_confirm.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="panel mapping" id="mapping" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{ "Map the export's columns" }</h2>
            <p class="help">{ "The analyzer proposes where each column goes from its name and its values. Check each \
                proposal, correct it with the list, and set columns you do not need to \"not used\". The mapping is \
                kept as an import profile (column names and code tables only, never values) and used again without \
                questions when an export has the same columns." }</p>
            <div class="field">
                <label for="profile-name">{ "Profile name" }</label>
                <input id="profile-name" type="text" value={d.name.clone()} onchange={on_name} />
            </div>
            <p id="mapping-layout">{ match d.proposal.layout {
                ipvi_core::import::mapping::Layout::Flat => "Layout: a flat export (incident columns repeated on each row).",
                ipvi_core::import::mapping::Layout::Normalized => "Layout: separate files joined by keys (incidents, people, offences, ...).",
            } }</p>
            if !d.proposal.notes.is_empty() {
                <ul class="notes" id="mapping-notes" aria-label="Notes on the proposal">
                    { for d.proposal.notes.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
            { for d.proposal.tables.iter().enumerate().map(|(ti, t)| {
                let label = match &t.sheet { Some(s) => format!("{} [{s}]", t.file), None => t.file.clone() };
                let on_kind = props.on_action.reform(move |e: Event| {
                    let s: HtmlSelectElement = e.target_unchecked_into();
                    let kind = KINDS.iter().find(|k| k.1 == s.value()).map(|k| k.0).unwrap_or(ipvi_core::import::TableKind::Ignore);
                    DraftAction::SetKind { table: ti, kind }
                });
                let current_kind = kind_value(t.kind);
                let on_role = props.on_action.reform(move |e: Event| {
                    let s: HtmlSelectElement = e.target_unchecked_into();
                    DraftAction::SetRole { table: ti, role: Role::parse(&s.value()) }
                });
                let current_role = t.role.map(Role::as_str).unwrap_or("");
                html! {
                    <fieldset class="mapping-table" data-file={label.clone()} data-table={ti.to_string()}>
                        <legend>{ label.clone() }</legend>
                        <div class="field">
                            <label for={format!("kind-{ti}")}>{ "This file holds" }</label>
                            <select id={format!("kind-{ti}")} class="kind" onchange={on_kind}>
                                { for KINDS.iter().map(|(_, v, l)| html! {
                                    <option value={*v} selected={*v == current_kind}>{ *l }</option>
                                }) }
                            </select>
                            <span class="help">{ &t.kind_evidence }</span>
                        </div>
                        <div class="field">
                            <label for={format!("role-{ti}")}>{ "Every row is a" }</label>
                            <select id={format!("role-{ti}")} class="role" onchange={on_role}>
                                <option value="" selected={current_role.is_empty()}>{ "person whose role is in a column (or not a person)" }</option>
                                { for ROLES.iter().map(|r| html! {
                                    <option value={r.as_str()} selected={r.as_str() == current_role}>{ r.as_str() }</option>
                                }) }
                            </select>
                        </div>
                        <div class="table-scroll">
                            <table class="mapping-columns">
                                <caption class="visually-hidden">{ format!("Columns of {label}") }</caption>
                                <thead><tr>
                                    <th scope="col">{ "Column" }</th>
                                    <th scope="col">{ "Goes to" }</th>
                                    <th scope="col">{ "Confidence" }</th>
                                    <th scope="col">{ "Sample values" }</th>
                                    <th scope="col">{ "Why" }</th>
                                </tr></thead>
                                <tbody>
                                    { for t.columns.iter().enumerate().map(|(ci, c)| {
                                        let id = format!("map-{ti}-{ci}");
                                        let current = target_value(c.target);
                                        let on_change = props.on_action.reform(move |e: Event| {
                                            let s: HtmlSelectElement = e.target_unchecked_into();
                                            DraftAction::SetTarget { table: ti, column: ci, target: parse_target(&s.value()) }
                                        });
                                        html! {
                                            <tr data-column={c.header.clone()} class={classes!(c.target.is_none().then_some("unused"))}>
                                                <th scope="row"><label for={id.clone()}>{ &c.header }</label></th>
                                                <td><select id={id.clone()} data-column={c.header.clone()} onchange={on_change}>
                                                    { for choices.iter().map(|(v, l)| html! {
                                                        <option value={v.clone()} selected={*v == current}>{ l }</option>
                                                    }) }
                                                </select>
                                                if c.target.is_some_and(|t| t.field.is_date()) {
                                                    { date_order(ti, ci, c.date_order, c.date_format.as_deref(), &props.on_action) }
                                                }
                                                </td>
                                                <td class="num confidence">{ format!("{:.0}%", c.confidence * 100.0) }</td>
                                                <td class="samples">{ c.samples.join(" · ") }</td>
                                                <td class="evidence">{ c.evidence.join("; ") }</td>
                                            </tr>
                                        }
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    </fieldset>
                }
            }) }
            if missing.is_empty() {
                <p id="mapping-missing" class="ok">{ "Every required field is mapped." }</p>
            } else {
                <div id="mapping-missing" class="missing">
                    <p>{ "Required fields still missing (rows without them will be rejected):" }</p>
                    <ul>{ for missing.iter().map(|(_, m)| html! { <li>{ m }</li> }) }</ul>
                </div>
            }
            <CodeTablesEditor id_prefix="map" offense={d.offense_codes.codes.clone()} relationship={d.relationship_codes.clone()}
                on_edit={props.on_action.reform(DraftAction::Codes)} />
            <div class="actions">
                <button type="button" id="mapping-confirm" disabled={props.busy} onclick={confirm}>{ "Import with this mapping" }</button>
                <button type="button" id="mapping-cancel" class="secondary" onclick={cancel}>{ "Cancel" }</button>
            </div>
        </section>
    }
}
