//! The ranked offender list: sortable, filterable by list, score, agency and date, paginated,
//! with CSV and XLSX exports. Offender-facing: it never holds victim information.

use super::column_chooser::{use_column_choice, ColumnChooser};
use crate::inquiry::InquiryView;
use crate::offender_table::{
    agencies, pages, select, shown_components, tenths, ColumnHelp, OffenderFilter, SortKey, COMPONENT_COLUMNS,
    HARM_HELP, OFFENDER_COLUMNS, PAGE_SIZE, RECENCY_HELP, SCORE_HELP,
};
use crate::state::Shared;
use ipvi_core::date::Date;
use ipvi_core::offenders::lists::Change;
use ipvi_core::offenders::outputs::{offenders_detail_sheet, offenders_sheet, Offender};
use ipvi_core::offenders::score::Component;
use ipvi_core::offenders::List;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Sets one filter from a control's value.
type FilterSetter = Box<dyn Fn(&mut OffenderFilter, String)>;

/// Offender list properties.
#[derive(Properties, PartialEq)]
pub struct OffenderListProps {
    pub view: Shared<InquiryView>,
    /// Open a person page (person id).
    pub on_open: Callback<String>,
    pub on_error: Callback<String>,
}

fn change_text(c: &Change) -> &'static str {
    match c {
        Change::New => "new",
        Change::Escalated => "escalated",
        Change::Unchanged => "unchanged",
        Change::Held => "held (tiers only escalate)",
    }
}

fn key_label(k: SortKey) -> &'static str {
    match k {
        SortKey::Rank => "Rank",
        SortKey::List => "List",
        SortKey::Score => "RFGV score",
        SortKey::Harm => "Harm (days)",
        SortKey::Recency => "Recency (days)",
        SortKey::Incidents => "IPV incidents",
        SortKey::Victims => "Victims",
    }
}

/// One cell of an offender's row, by column id ([`OFFENDER_COLUMNS`]); `parts` are the score's
/// components as shown ([`shown_components`]).
fn cell(id: &str, o: &Offender, parts: &[(Component, i64); 8]) -> Html {
    let s = &o.score;
    match id {
        "rank" => html! { <td class="num">{ s.rank }</td> },
        "name" => html! { <td>{ &o.info.name }</td> },
        "list" => html! {
            <td class="list-cell">{ o.assignment.list.as_str() }
                if !o.assignment.flags.is_empty() {
                    <span class="flag" data-flags={o.assignment.flags.iter().map(|f| f.flag.as_str()).collect::<Vec<_>>().join(" ")}>
                        { format!(" ⚑ {}", o.assignment.flags.iter().map(|f| f.description.trim_start_matches("Danger: ")).collect::<Vec<_>>().join("; ")) }
                    </span>
                }
            </td>
        },
        "score" => html! { <td class="num score">{ format!("{:.1}", s.rfgv) }</td> },
        "harm" => html! { <td class="num">{ format!("{:.0}", s.harm) }</td> },
        "recency-days" => {
            html! { <td class="num">{ o.features.recency_days.map(|d| d.to_string()).unwrap_or_default() }</td> }
        }
        "incidents" => html! { <td class="num">{ o.features.ipv_incidents.len() }</td> },
        "victim-count" => html! { <td class="num">{ o.features.victims }</td> },
        "agencies" => html! { <td>{ o.info.agencies.iter().cloned().collect::<Vec<_>>().join(", ") }</td> },
        "change" => html! { <td>{ change_text(&o.change) }</td> },
        other => match parts.iter().find(|(c, _)| c.as_str() == other) {
            Some((c, t)) => html! { <td class="num component" data-component={c.as_str()}>{ tenths(*t) }</td> },
            None => html! {},
        },
    }
}

/// The synthetic-data note ([`ipvi_core::export::SYNTHETIC_NOTE`]) when the data is the sample;
/// nothing otherwise. Every screen made from the data shows it (`p.synthetic-note`).
pub fn synthetic_note(synthetic: bool) -> Html {
    if synthetic {
        html! { <p class="synthetic-note" role="note">{ ipvi_core::export::SYNTHETIC_NOTE }</p> }
    } else {
        html! {}
    }
}

/// A column's help: a button that shows the help on hover and on keyboard focus (the help is its
/// description, `role=tooltip`), for headers `th` of derived columns.
pub fn column_help(h: &ColumnHelp) -> Html {
    let id = format!("col-help-{}", h.key);
    // Escape hides the help shown by focus (the focus leaves the button).
    let onkeydown = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Escape" {
            let b: web_sys::HtmlElement = e.target_unchecked_into();
            let _ = b.blur();
        }
    });
    html! {
        <span class="col-help">
            <button type="button" class="col-help-button" aria-label={format!("What is {}?", h.name)} aria-describedby={id.clone()} {onkeydown}>{ "?" }</button>
            <span role="tooltip" id={id} class="col-help-tip">{ format!("{}: {}", h.name, h.help) }</span>
        </span>
    }
}

/// `table#offender-list` with `select#list-filter`, `input#min-score`, `select#agency-filter`,
/// `input#from-date`, `input#to-date`, paging buttons and `button#export-offenders-csv` /
/// `button#export-offenders-xlsx`.
#[function_component(OffenderList)]
pub fn offender_list(props: &OffenderListProps) -> Html {
    let filter = use_state(OffenderFilter::default);
    let sort = use_state(|| (SortKey::Rank, false));
    let page = use_state(|| 0usize);
    let (columns, on_column) = use_column_choice("offender-list", &OFFENDER_COLUMNS);
    let view = &props.view;
    let rows = select(&view.offenders, &filter, sort.0, sort.1);
    let n_pages = pages(rows.len());
    let current = (*page).min(n_pages - 1);

    let set_filter = |f: FilterSetter| {
        let filter = filter.clone();
        let page = page.clone();
        Callback::from(move |e: Event| {
            let value = if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                s.value()
            } else {
                e.target_unchecked_into::<HtmlInputElement>().value()
            };
            let mut next = (*filter).clone();
            f(&mut next, value);
            filter.set(next);
            page.set(0);
        })
    };
    let on_list = set_filter(Box::new(|f, v| f.list = List::parse(&v)));
    let on_min = set_filter(Box::new(|f, v| f.min_score = v.trim().parse::<f64>().ok()));
    let on_agency = set_filter(Box::new(|f, v| f.agency = v));
    let on_from = set_filter(Box::new(|f, v| f.from = Date::parse(&v)));
    let on_to = set_filter(Box::new(|f, v| f.to = Date::parse(&v)));

    let synthetic = view.data.synthetic;
    let shown_report = {
        let view = view.clone();
        let filter = (*filter).clone();
        move || {
            let mut report = view.report();
            report.offenders.retain(|o| filter.keeps(o));
            report
        }
    };
    let on_csv = {
        let on_error = props.on_error.clone();
        let shown = shown_report.clone();
        Callback::from(move |_: MouseEvent| {
            let csv = offenders_sheet(&shown()).synthetic(synthetic).to_csv();
            if let Err(e) = crate::download::download_text("offenders.csv", "text/csv", &csv) {
                on_error.emit(e);
            }
        })
    };
    let on_xlsx = {
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let result = ipvi_xlsx::workbook(&[offenders_detail_sheet(&shown_report()).synthetic(synthetic)])
                .map_err(|e| format!("the XLSX file could not be written: {e}"))
                .and_then(|bytes| {
                    crate::download::download_bytes(
                        "offenders-internal.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        &bytes,
                    )
                });
            if let Err(e) = result {
                on_error.emit(e);
            }
        })
    };

    let header = |key: SortKey| {
        let sort = sort.clone();
        let aria = if sort.0 != key {
            "none"
        } else if sort.1 {
            "descending"
        } else {
            "ascending"
        };
        let arrow = match aria {
            "ascending" => "▲",
            "descending" => "▼",
            _ => "↕",
        };
        let onclick = Callback::from(move |_: MouseEvent| {
            let descending = if sort.0 == key { !sort.1 } else { key != SortKey::Rank };
            sort.set((key, descending));
        });
        html! {
            <th scope="col" aria-sort={aria}>
                <button type="button" class="sort" data-key={format!("{key:?}").to_lowercase()} {onclick}>
                    { key_label(key) }<span class="sort-arrow" aria-hidden="true">{ arrow }</span>
                </button>
                { match key {
                    SortKey::Score => column_help(&SCORE_HELP),
                    SortKey::Harm => column_help(&HARM_HELP),
                    SortKey::Recency => column_help(&RECENCY_HELP),
                    _ => html! {},
                } }
            </th>
        }
    };
    let plain = |label: &str| html! { <th scope="col">{ label.to_string() }</th> };
    let head = |id: &str| match id {
        "rank" => header(SortKey::Rank),
        "list" => header(SortKey::List),
        "score" => header(SortKey::Score),
        "harm" => header(SortKey::Harm),
        "recency-days" => header(SortKey::Recency),
        "incidents" => header(SortKey::Incidents),
        "victim-count" => header(SortKey::Victims),
        "name" => plain("Name"),
        "agencies" => plain("Agencies"),
        "change" => plain("Change"),
        other => match COMPONENT_COLUMNS.iter().find(|c| c.key == other) {
            Some(c) => html! {
                <th scope="col" class="component" data-component={c.key}>
                    <abbr title={c.name}>{ c.short }</abbr>{ column_help(c) }
                </th>
            },
            None => html! {},
        },
    };
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };

    html! {
        <section class="panel" id="offenders" aria-labelledby="offenders-title">
            <h2 id="offenders-title">{ format!("Offender list as of {}", view.window.as_of) }</h2>
            { synthetic_note(view.data.synthetic) }
            <p class="help">
                { "Ranked by the RFGV score, the sum of its eight components: R recency, F frequency, G gravity, V victims, O other harm, S strangulation, \
                   W weapons, P protective-order violations (each column's ? explains it). Harm (days) is shown beside the score, not part of it. Open a person for the \
                   reasons, the timeline and the notification worksheet. This list holds no victim information." }
            </p>
            <div class="table-tools">
                <div class="field">
                    <label for="list-filter">{ "List" }</label>
                    <select id="list-filter" onchange={on_list} aria-controls="offender-list">
                        <option value="" selected={filter.list.is_none()}>{ "All lists" }</option>
                        { for [List::A, List::B, List::C, List::D].into_iter().map(|l| html! {
                            <option value={l.as_str()} selected={filter.list == Some(l)}>{ format!("List {}", l.as_str()) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="min-score">{ "Minimum score" }</label>
                    <input id="min-score" type="number" min="0" step="1" onchange={on_min} />
                </div>
                <div class="field">
                    <label for="agency-filter">{ "Agency" }</label>
                    <select id="agency-filter" onchange={on_agency}>
                        <option value="" selected={filter.agency.is_empty()}>{ "All agencies" }</option>
                        { for agencies(&view.offenders).into_iter().map(|a| html! {
                            <option value={a.clone()} selected={filter.agency == a}>{ a.clone() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="from-date">{ "Last IPV incident from" }</label>
                    <input id="from-date" type="date" onchange={on_from} />
                </div>
                <div class="field">
                    <label for="to-date">{ "to" }</label>
                    <input id="to-date" type="date" onchange={on_to} />
                </div>
                <button type="button" id="export-offenders-csv" class="secondary" onclick={on_csv}>
                    { "Export offenders.csv" }
                </button>
                <button type="button" id="export-offenders-xlsx" class="secondary" onclick={on_xlsx}>
                    { "Export XLSX (internal, with names)" }
                </button>
                <ColumnChooser table="offender-list" columns={&OFFENDER_COLUMNS[..]} choice={columns.clone()} on_toggle={on_column} />
            </div>
            <p id="offender-count" role="status">
                { format!("{} of {} offenders", crate::format::count(rows.len() as u64), crate::format::count(view.offenders.len() as u64)) }
            </p>
            <div class="table-wrap">
            <table id="offender-list" aria-labelledby="offenders-title">
                <thead><tr>
                    { for OFFENDER_COLUMNS[..1].iter().filter(|c| columns.shows(c.id)).map(|c| head(c.id)) }
                    { plain("Person") }
                    { for OFFENDER_COLUMNS[1..].iter().filter(|c| columns.shows(c.id)).map(|c| head(c.id)) }
                </tr></thead>
                <tbody>
                    { for rows.iter().skip(current * PAGE_SIZE).take(PAGE_SIZE).map(|&i| {
                        let o = &view.offenders[i];
                        let pid = o.info.person_id.clone();
                        let open = {
                            let cb = props.on_open.clone();
                            let pid = pid.clone();
                            Callback::from(move |_: MouseEvent| cb.emit(pid.clone()))
                        };
                        let parts = shown_components(&o.score);
                        html! {
                            <tr data-rank={o.score.rank.to_string()} data-list={o.assignment.list.as_str()} data-person={pid.clone()}>
                                { for OFFENDER_COLUMNS[..1].iter().filter(|c| columns.shows(c.id)).map(|c| cell(c.id, o, &parts)) }
                                <td><button type="button" class="link open-person" onclick={open}>{ &pid }</button></td>
                                { for OFFENDER_COLUMNS[1..].iter().filter(|c| columns.shows(c.id)).map(|c| cell(c.id, o, &parts)) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            <nav class="pager" aria-label="Offender list pages">
                <button type="button" id="offenders-prev" class="secondary" disabled={current == 0}
                    onclick={go(current.saturating_sub(1))}>{ "Previous" }</button>
                <span id="offenders-page">{ format!("Page {} of {}", current + 1, n_pages) }</span>
                <button type="button" id="offenders-next" class="secondary" disabled={current + 1 >= n_pages}
                    onclick={go(current + 1)}>{ "Next" }</button>
            </nav>
        </section>
    }
}
