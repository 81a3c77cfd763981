//! "This month": the partnership's monthly cycle. A month picker (the data's as-of month by
//! default), the list sizes at each past month end, who is new on a list and who moved up with
//! the reasons, notifications overdue and due (sortable), downloads of the same tables
//! `ipvi cycle` writes (CSV and XLSX), and "Print agenda", which prints the meeting agenda alone
//! (`#print-agenda`; see `www/month.css`). The worker replays the lists
//! (`ToWorker::Cycle`); this component asks again when the month or the notifications change.
//!
//! Offender-facing: no victim information is shown or printed here.

use crate::inquiry::InquiryView;
use crate::inquiry_cycle::{as_of_of_month, CycleView};
use crate::route::Route;
use crate::state::{CycleDone, CycleKey, Shared};
use ipvi_core::cycle::sheets::reasons_text;
use ipvi_core::cycle::{DueNotification, Move};
use ipvi_core::date::Date;
use ipvi_core::export::Sheet;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MonthProps {
    pub view: Shared<InquiryView>,
    /// How many notifications are recorded (the cycle is asked again when it changes).
    pub notifications: usize,
    pub cycling: bool,
    pub cycle: Option<CycleDone>,
    /// Ask the worker for the cycle as of a date (`None`: the data's as-of date).
    pub on_request: Callback<CycleKey>,
    pub on_error: Callback<String>,
}

/// A column of the due and overdue tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueColumn {
    Person,
    List,
    Entered,
    Due,
    Days,
    Notified,
}

impl DueColumn {
    const ALL: [DueColumn; 6] = [
        DueColumn::Person,
        DueColumn::List,
        DueColumn::Entered,
        DueColumn::Due,
        DueColumn::Days,
        DueColumn::Notified,
    ];

    fn label(self, days: &'static str) -> &'static str {
        match self {
            DueColumn::Person => "Person",
            DueColumn::List => "List",
            DueColumn::Entered => "On the list since",
            DueColumn::Due => "Due",
            DueColumn::Days => days,
            DueColumn::Notified => "Last notified",
        }
    }
}

/// The rows sorted by a column (ties by person id), descending when asked.
pub fn sort_due(rows: &[DueNotification], col: DueColumn, descending: bool) -> Vec<DueNotification> {
    let mut out = rows.to_vec();
    out.sort_by(|a, b| {
        let o = match col {
            DueColumn::Person => a.person_id.cmp(&b.person_id),
            // A is the highest list: "descending" puts it first.
            DueColumn::List => a.list.cmp(&b.list),
            DueColumn::Entered => a.entered.cmp(&b.entered),
            DueColumn::Due => a.due.cmp(&b.due),
            DueColumn::Days => a.days.cmp(&b.days),
            DueColumn::Notified => a.last_notified.map(|x| x.0).cmp(&b.last_notified.map(|x| x.0)),
        }
        .then_with(|| a.person_id.cmp(&b.person_id));
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    out
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

fn download_sheet(sheet: &Sheet, file: &str, on_error: &Callback<String>) {
    if let Err(e) = crate::download::download_text(file, "text/csv", &sheet.to_csv()) {
        on_error.emit(e);
    }
}

#[derive(Properties, PartialEq)]
struct DueTableProps {
    id: AttrValue,
    caption: AttrValue,
    days: &'static str,
    rows: Vec<DueNotification>,
    /// The column sorted first (days: most overdue or soonest due).
    descending: bool,
}

/// A sortable table of notifications due or overdue.
#[function_component(DueTable)]
fn due_table(p: &DueTableProps) -> Html {
    let sort = use_state(|| (DueColumn::Days, p.descending));
    if p.rows.is_empty() {
        return html! { <p id={p.id.clone()} class="empty">{ format!("None: {}.", p.caption.to_lowercase()) }</p> };
    }
    let rows = sort_due(&p.rows, sort.0, sort.1);
    let header = |col: DueColumn| {
        let aria = if sort.0 == col {
            if sort.1 {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        let arrow = match aria {
            "descending" => "▼",
            "ascending" => "▲",
            _ => "",
        };
        let sort = sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let descending = if sort.0 == col { !sort.1 } else { col == DueColumn::Days };
            sort.set((col, descending));
        });
        html! {
            <th scope="col" aria-sort={aria}>
                <button type="button" class="sort" {onclick}>{ col.label(p.days) }
                    <span class="sort-arrow" aria-hidden="true">{ arrow }</span></button>
            </th>
        }
    };
    html! {
        <div class="table-scroll">
        <table id={p.id.clone()} tabindex="0" aria-label={p.caption.clone()}>
            <caption>{ p.caption.clone() }</caption>
            <thead><tr>{ for DueColumn::ALL.iter().map(|c| header(*c)) }</tr></thead>
            <tbody>
            { for rows.iter().map(|d| html! {
                <tr>
                    <td><a href={Route::person(&d.person_id).hash()}>{ &d.person_id }</a></td>
                    <td>{ d.list.as_str() }</td>
                    <td>{ format!("{}{}", d.entered, if d.escalated { " (escalated)" } else { "" }) }</td>
                    <td>{ d.due.to_string() }</td>
                    <td class="num">{ d.days }</td>
                    <td>{ d.last_notified.map(|(date, l)| format!("{date} ({})", l.as_str())).unwrap_or_else(|| "never".into()) }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
    }
}

fn moves_table(id: &str, caption: &str, moves: &[Move], with_from: bool) -> Html {
    if moves.is_empty() {
        return html! { <p id={id.to_string()} class="empty">{ format!("None: {}.", caption.to_lowercase()) }</p> };
    }
    html! {
        <div class="table-scroll">
        <table id={id.to_string()} tabindex="0" aria-label={caption.to_string()}>
            <caption>{ caption }</caption>
            <thead><tr><th scope="col">{ "Person" }</th>
                if with_from { <th scope="col">{ "From" }</th> }
                <th scope="col">{ "List" }</th><th scope="col">{ "Why (rule, incidents)" }</th></tr></thead>
            <tbody>
            { for moves.iter().map(|m| html! {
                <tr>
                    <td><a href={Route::person(&m.person_id).hash()}>{ &m.person_id }</a></td>
                    if with_from { <td>{ m.from.map(|l| l.as_str()).unwrap_or("") }</td> }
                    <td>{ m.list.as_str() }</td>
                    <td class="reasons">{ reasons_text(m) }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
    }
}

fn sizes_table(v: &CycleView) -> Html {
    html! {
        <div class="table-scroll">
        <table id="cycle-sizes" tabindex="0" aria-label="People on each list at each month end, newest first">
            <caption>{ "People on each list at each month end (newest first)" }</caption>
            <thead><tr><th scope="col">{ "Month end" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th>
                <th scope="col">{ "C" }</th><th scope="col">{ "D" }</th><th scope="col">{ "All" }</th></tr></thead>
            <tbody>
            { for v.months.iter().rev().map(|m| html! {
                <tr data-month={m.month.clone()}>
                    <th scope="row">{ m.as_of.to_string() }</th>
                    { for m.sizes.iter().map(|n| html! { <td class="num">{ n }</td> }) }
                    <td class="num">{ m.sizes.iter().sum::<u64>() }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
    }
}

/// The "This month" screen's content.
#[function_component(MonthView)]
pub fn month_view(p: &MonthProps) -> Html {
    let data_as_of: Date = p.view.window.as_of;
    // The as-of date asked for (`None`: the data's), kept across visits by the app's state.
    let selected = use_state(|| p.cycle.as_ref().and_then(|c| c.key.0));
    let want: CycleKey = (*selected, p.notifications);
    {
        let have = p.cycle.as_ref().map(|c| c.key);
        let on_request = p.on_request.clone();
        use_effect_with((want, p.cycling, have), move |(want, cycling, have)| {
            if !*cycling && *have != Some(*want) {
                on_request.emit(*want);
            }
        });
    }
    let Some(done) = p.cycle.as_ref().filter(|c| c.key == want) else {
        return html! { <p class="help" id="cycle-waiting">{ "Replaying the lists month by month…" }</p> };
    };
    let v = match &done.result {
        Ok(v) => v.clone(),
        Err(e) => return html! { <p class="alert" id="cycle-error" role="alert">{ format!("No cycle: {e}") }</p> },
    };
    let tm = &v.month;
    let on_month = {
        let selected = selected.clone();
        let last = v.available.last().cloned();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let key = sel.value();
            let as_of = if Some(&key) == last.as_ref() {
                None
            } else {
                as_of_of_month(&key, data_as_of)
            };
            selected.set(as_of);
        })
    };
    let sheet_button = |id: &str, label: &str, k: usize, file: &str| {
        let sheet = v.sheets.get(k).cloned();
        let on_error = p.on_error.clone();
        let file = format!("{}-{}", tm.month, file);
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(s) = &sheet {
                download_sheet(s, &file, &on_error);
            }
        });
        html! { <button type="button" id={id.to_string()} {onclick}>{ label }</button> }
    };
    let on_xlsx = {
        let sheets = v.sheets.clone();
        let on_error = p.on_error.clone();
        let file = format!("{}-cycle.xlsx", tm.month);
        Callback::from(move |_: MouseEvent| {
            let result = ipvi_xlsx::workbook(&sheets)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    crate::download::download_bytes(
                        &file,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        &bytes,
                    )
                });
            if let Err(e) = result {
                on_error.emit(e);
            }
        })
    };
    let synthetic = p.view.data.synthetic;
    let s = tm.sizes;
    html! {
        <>
        <section class="panel" id="cycle" aria-labelledby="cycle-title">
            <h2 id="cycle-title">{ format!("The cycle of {}", tm.month) }</h2>
            <div class="cycle-controls">
                <label for="cycle-month">{ "Month" }</label>
                <select id="cycle-month" onchange={on_month}>
                    { for v.available.iter().rev().map(|m| html! {
                        <option value={m.clone()} selected={*m == tm.month}>{ m }</option>
                    }) }
                </select>
                if p.cycling { <span class="help" role="status">{ "Replaying…" }</span> }
            </div>
            <p id="cycle-summary">{ format!(
                "Lists as of {}: A {}, B {}, C {}, D {}. This month {} new on a list, {} escalated; \
                 notifications {} overdue, {} due.",
                tm.as_of.map(|d| d.to_string()).unwrap_or_default(), s[0], s[1], s[2], s[3],
                tm.new.len(), tm.escalated.len(), tm.overdue.len(), tm.due.len()) }</p>
            <p class="help">{ "Each month end is the lists as computed on that day from the records then known, \
                starting from the month end before: tiers only escalate. A notification counts for a list when it \
                was delivered for that list (or a higher one) after the month end before the person entered it." }</p>
            if v.unmatched > 0 {
                <p class="unavailable" id="cycle-unmatched">{ format!("{} recorded notifications match nobody in the data and are left out.", v.unmatched) }</p>
            }
            <div class="buttons">
                <button type="button" id="print-agenda-button" onclick={Callback::from(|_: MouseEvent| print())}>{ "Print agenda" }</button>
                { sheet_button("cycle-csv-this-month", "This month (CSV)", 0, "this_month.csv") }
                { sheet_button("cycle-csv-due", "Notifications due (CSV)", 1, "notifications_due.csv") }
                { sheet_button("cycle-csv-sizes", "Month-end lists (CSV)", 2, "month_end_lists.csv") }
                { sheet_button("cycle-csv-people", "Month-end people (CSV)", 3, "month_end_people.csv") }
                <button type="button" id="cycle-xlsx" onclick={on_xlsx}>{ "All tables (XLSX)" }</button>
            </div>
        </section>
        <section class="panel" aria-labelledby="cycle-moves-title">
            <h2 id="cycle-moves-title">{ "New and escalated" }</h2>
            { moves_table("cycle-new", &format!("New on a list in {}", tm.month), &tm.new, false) }
            { moves_table("cycle-escalated", &format!("Raised to a higher list in {}", tm.month), &tm.escalated, true) }
        </section>
        <section class="panel" aria-labelledby="cycle-due-title">
            <h2 id="cycle-due-title">{ "Notifications" }</h2>
            <DueTable id="cycle-overdue" caption="Notifications overdue" days="Days overdue" rows={tm.overdue.clone()} descending={true} />
            <DueTable id="cycle-due" caption="Notifications due" days="Days left" rows={tm.due.clone()} descending={false} />
            <details class="help"><summary>{ "The due rule" }</summary><p id="cycle-due-rule">{ &v.due_rule }</p></details>
        </section>
        <section class="panel" aria-labelledby="cycle-sizes-title">
            <h2 id="cycle-sizes-title">{ "The lists at each month end" }</h2>
            { sizes_table(&v) }
        </section>
        <section id="print-agenda" class="print-agenda" aria-hidden="true">
            if synthetic { <p class="synthetic">{ ipvi_core::export::SYNTHETIC_NOTE }</p> }
            { Html::from_html_unchecked(AttrValue::from(v.agenda.clone())) }
        </section>
        </>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ipvi_core::cycle::DueStatus;
    use ipvi_core::offenders::List;

    fn row(id: &str, list: List, days: i64, due: &str) -> DueNotification {
        let d = Date::parse(due).unwrap();
        DueNotification {
            person: 0,
            person_id: id.into(),
            list,
            entered: d.add_days(-30),
            escalated: false,
            due: d,
            status: DueStatus::Overdue,
            days,
            last_notified: None,
        }
    }

    #[test]
    fn due_rows_sort_by_any_column_with_ties_by_person() {
        let rows = vec![
            row("P2", List::D, 5, "2024-01-05"),
            row("P1", List::A, 9, "2024-01-01"),
            row("P3", List::D, 5, "2024-01-03"),
        ];
        let ids = |v: Vec<DueNotification>| v.into_iter().map(|r| r.person_id).collect::<Vec<_>>();
        assert_eq!(ids(sort_due(&rows, DueColumn::Days, true)), ["P1", "P3", "P2"]);
        assert_eq!(ids(sort_due(&rows, DueColumn::Days, false)), ["P2", "P3", "P1"]);
        assert_eq!(ids(sort_due(&rows, DueColumn::List, true)), ["P1", "P3", "P2"]);
        assert_eq!(ids(sort_due(&rows, DueColumn::Due, false)), ["P1", "P3", "P2"]);
        assert_eq!(ids(sort_due(&rows, DueColumn::Person, false)), ["P1", "P2", "P3"]);
    }
}
