//! The classified pairs: a sortable, filterable, paged table, and its download as CSV.

use super::column_chooser::{use_column_choice, ColumnChooser};
use crate::format::count;
use crate::state::Shared;
use crate::table::{self, SortKey, TableAction, TableState, PAGE_SIZES, PAIR_COLUMNS};
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::{ClassifiedPair, NibrsAnalysis};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Pairs table properties.
#[derive(Properties, PartialEq)]
pub struct PairsTableProps {
    pub analysis: Shared<NibrsAnalysis>,
    /// A download failed: show why.
    pub on_error: Callback<String>,
}

use ipvi_core::codes::{label, CodeKind};

fn cell(key: SortKey, p: &ClassifiedPair) -> Html {
    match key {
        SortKey::Incident => html! { <td>{ &p.incident_id }</td> },
        SortKey::Agency => html! { <td>{ &p.agency }</td> },
        SortKey::Date => html! { <td>{ p.date.map(|d| d.to_string()).unwrap_or_default() }</td> },
        SortKey::Victim => html! { <td>{ &p.victim_id }</td> },
        SortKey::Offender => html! { <td>{ &p.offender_id }</td> },
        SortKey::Relationship => {
            html! { <td class="code">{ label(CodeKind::Relationship, &p.relationship_code) }</td> }
        }
        SortKey::Class => html! { <td class="class">{ p.class.label() }</td> },
        SortKey::Offenses => {
            html! { <td>{ p.offenses.split_whitespace().map(|c| label(CodeKind::Offense, c)).collect::<Vec<_>>().join("; ") }</td> }
        }
        SortKey::VictimSex => html! { <td>{ label(CodeKind::Sex, &p.victim_sex) }</td> },
        SortKey::OffenderSex => html! { <td>{ label(CodeKind::Sex, &p.offender_sex) }</td> },
        SortKey::Flags => html! { <td>{ table::flags(p) }</td> },
    }
}

/// `table#pairs-table` with sort buttons in its headers (`th[aria-sort] > button`),
/// `input#pairs-filter`, `select#class-filter`, paging and `button#download-pairs`.
#[function_component(PairsTable)]
pub fn pairs_table(props: &PairsTableProps) -> Html {
    let state = use_reducer(TableState::default);
    let (columns, on_column) = use_column_choice("pairs-table", &PAIR_COLUMNS);
    let shown: Vec<SortKey> = SortKey::ALL.into_iter().filter(|k| columns.shows(k.id())).collect();
    let selection = {
        let deps = (props.analysis.clone(), state.sort, state.filter.clone(), state.class);
        use_memo(deps, |(analysis, _, _, _)| table::select(&analysis.pairs, &state))
    };
    let pairs = &props.analysis.pairs;
    let view = table::page_view(selection.len(), &state);

    let on_filter = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.dispatch(TableAction::SetFilter(input.value()));
        })
    };
    let on_class = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            state.dispatch(TableAction::SetClass(RelClass::parse(&select.value())));
        })
    };
    let on_page_size = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = select.value().parse() {
                state.dispatch(TableAction::SetPageSize(n));
            }
        })
    };
    let go = |page: usize| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(TableAction::GoTo(page)))
    };
    let on_download = {
        let analysis = props.analysis.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let text = ipvi_core::nibrs::pairs_to_csv(&analysis.pairs);
            if let Err(e) = crate::download::download_text("ipvi-pairs.csv", "text/csv;charset=utf-8", &text) {
                on_error.emit(e);
            }
        })
    };

    let header = |key: SortKey| {
        let state = state.clone();
        let aria = state.aria_sort(key);
        let arrow = match aria {
            "ascending" => "▲",
            "descending" => "▼",
            _ => "↕",
        };
        html! {
            <th scope="col" aria-sort={aria} data-key={key.id()}>
                <button type="button" class="sort" data-key={key.id()}
                    onclick={Callback::from(move |_| state.dispatch(TableAction::SortBy(key)))}>
                    { key.label() }<span class="sort-arrow" aria-hidden="true">{ arrow }</span>
                </button>
            </th>
        }
    };

    html! {
        <section class="panel" id="pairs" aria-labelledby="pairs-title">
            <h2 id="pairs-title">{ "Victim–offender pairs" }</h2>
            <div class="table-tools">
                <div class="field">
                    <label for="pairs-filter">{ "Filter" }</label>
                    <input id="pairs-filter" type="search" value={state.filter.clone()} oninput={on_filter}
                        placeholder="incident, id, code, offence…" aria-controls="pairs-table" />
                </div>
                <div class="field">
                    <label for="class-filter">{ "Class" }</label>
                    <select id="class-filter" onchange={on_class} aria-controls="pairs-table">
                        <option value="" selected={state.class.is_none()}>{ "All classes" }</option>
                        { for RelClass::ALL.into_iter().map(|c| html! {
                            <option value={c.as_str()} selected={state.class == Some(c)}>{ c.label() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="page-size">{ "Rows per page" }</label>
                    <select id="page-size" onchange={on_page_size}>
                        { for PAGE_SIZES.into_iter().map(|n| html! {
                            <option value={n.to_string()} selected={state.page_size == n}>{ n }</option>
                        }) }
                    </select>
                </div>
                <button type="button" id="download-pairs" onclick={on_download} disabled={pairs.is_empty()}>
                    { "Download all pairs (CSV)" }
                </button>
                <ColumnChooser table="pairs-table" columns={&PAIR_COLUMNS[..]} choice={columns.clone()} on_toggle={on_column} />
            </div>
            <p id="pairs-count" role="status" aria-live="polite">
                if selection.is_empty() {
                    { format!("No pairs match (of {}).", count(pairs.len() as u64)) }
                } else {
                    { format!("Showing {}–{} of {} pairs", count(view.start as u64 + 1), count(view.end as u64), count(selection.len() as u64)) }
                    if selection.len() != pairs.len() {
                        { format!(" (filtered from {})", count(pairs.len() as u64)) }
                    }
                    { "." }
                }
            </p>
            <div class="table-scroll">
                <table id="pairs-table">
                    <caption class="visually-hidden">{ "Victim–offender pairs; the column headers sort the table." }</caption>
                    <thead><tr>{ for shown.iter().copied().map(header) }</tr></thead>
                    <tbody>
                        { for selection[view.start..view.end].iter().filter_map(|&i| pairs.get(i as usize)).map(|p| html! {
                            <tr data-class={p.class.as_str()}>
                                { for shown.iter().map(|&k| cell(k, p)) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Pages of the pairs table">
                <button type="button" id="page-first" onclick={go(0)} disabled={view.page == 0}>{ "First" }</button>
                <button type="button" id="page-prev" onclick={go(view.page.saturating_sub(1))} disabled={view.page == 0}>{ "Previous" }</button>
                <span id="page-status">{ format!("Page {} of {}", count(view.page as u64 + 1), count(view.pages as u64)) }</span>
                <button type="button" id="page-next" onclick={go(view.page + 1)} disabled={view.page + 1 >= view.pages}>{ "Next" }</button>
                <button type="button" id="page-last" onclick={go(view.pages - 1)} disabled={view.page + 1 >= view.pages}>{ "Last" }</button>
            </nav>
        </section>
    }
}
