//! The cycle as tables (CSV or XLSX sheets) and as the partnership's printable meeting agenda.
//!
//! Offender-facing: person ids, lists, dates, rule ids and descriptions, and the person's own
//! incident ids. No victim name, record or id appears in any of them.

use super::{DueNotification, Move, Replay, ThisMonth};
use crate::export::{Cell, Sheet};
use crate::offenders::lists::Change;
use crate::offenders::outputs::html_escape;
use crate::offenders::List;

const LISTS: [List; 4] = [List::A, List::B, List::C, List::D];

/// A section another part of the analyzer adds to the agenda and the screen (for example the
/// implementation measures): a heading and its HTML body, already escaped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtraSection {
    pub heading: String,
    pub html: String,
}

/// The implementation measures as an agenda section: every measure of the shareable
/// `fidelity.csv` (small cells suppressed, no names, no victim identifiers) but the monthly
/// series, each measure's definition once under its name.
pub fn fidelity_section(f: &crate::fidelity::Fidelity) -> ExtraSection {
    let sheet = crate::fidelity::fidelity_sheet(f, crate::report::suppress::THRESHOLD);
    let monthly = crate::fidelity::DEFINITIONS[crate::fidelity::DEFINITIONS.len() - 1].0;
    let text = |c: &Cell| match c {
        Cell::Text(t) => html_escape(t),
        Cell::Number(n) => n.to_string(),
    };
    let mut html = String::new();
    let mut open = false;
    for row in sheet
        .rows
        .iter()
        .filter(|r| r.first().map(text).as_deref() != Some(monthly))
    {
        let [measure, group, what, value, definition] = &row[..] else {
            continue;
        };
        let definition = text(definition);
        if !definition.is_empty() {
            if open {
                html.push_str("</tbody></table>\n");
            }
            html.push_str(&format!(
                "<table><caption>{}: {definition}</caption><thead><tr><th scope=\"col\">Group</th>\
<th scope=\"col\">Measure</th><th scope=\"col\">Value</th></tr></thead><tbody>",
                text(measure)
            ));
            open = true;
        }
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(group),
            text(what),
            text(value)
        ));
    }
    if open {
        html.push_str("</tbody></table>\n");
    }
    let as_of = f.as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
    ExtraSection {
        heading: format!("6. Implementation{as_of} (small counts suppressed)"),
        html,
    }
}

fn change_str(c: Change) -> &'static str {
    match c {
        Change::New => "new",
        Change::Escalated => "escalated",
        Change::Unchanged => "unchanged",
        Change::Held => "held",
    }
}

/// A move's reasons as one line: `B [B-second-charge]: A second IPV charge (I1 I2); flag ...`.
pub fn reasons_text(m: &Move) -> String {
    m.reasons
        .iter()
        .map(|r| {
            format!(
                "{} [{}]: {} ({})",
                r.list.as_str(),
                r.rule,
                r.description,
                r.incidents.join(" ")
            )
        })
        .chain(
            m.flags
                .iter()
                .map(|f| format!("flag [{}]: {} ({})", f.flag, f.description, f.incidents.join(" "))),
        )
        .collect::<Vec<_>>()
        .join("; ")
}

/// `month,list,count`: the list sizes at every month end.
pub fn month_end_sizes_sheet(replay: &Replay) -> Sheet {
    Sheet {
        name: "Month-end lists".into(),
        headers: ["month", "as_of", "list", "count"].map(String::from).to_vec(),
        rows: replay
            .months
            .iter()
            .flat_map(|m| {
                LISTS.iter().zip(m.sizes).map(move |(l, n)| {
                    vec![
                        Cell::text(&m.month),
                        Cell::text(&m.as_of.to_string()),
                        Cell::text(l.as_str()),
                        Cell::Number(n as f64),
                    ]
                })
            })
            .collect(),
        note: None,
    }
}

/// `month,person_id,list,change`: every listed person at every month end (`change` against the
/// month end before: new, escalated, unchanged, held).
pub fn month_end_people_sheet(replay: &Replay, person_ids: &[String]) -> Sheet {
    let mut rows = Vec::new();
    for m in &replay.months {
        let moved: std::collections::HashMap<u32, Change> = m.moves.iter().map(|x| (x.person, x.change)).collect();
        for &(p, l) in &m.lists {
            let c = moved.get(&p).copied().unwrap_or(Change::Unchanged);
            rows.push(vec![
                Cell::text(&m.month),
                Cell::text(person_ids.get(p as usize).map(String::as_str).unwrap_or("")),
                Cell::text(l.as_str()),
                Cell::text(change_str(c)),
            ]);
        }
    }
    Sheet {
        name: "Month-end people".into(),
        headers: ["month", "person_id", "list", "change"].map(String::from).to_vec(),
        rows,
        note: None,
    }
}

/// `person_id,change,from,list,entered,reasons`: who is new and who moved up this month, why.
pub fn this_month_sheet(tm: &ThisMonth) -> Sheet {
    let entered = tm.as_of.map(|d| d.to_string()).unwrap_or_default();
    Sheet {
        name: "This month".into(),
        headers: ["month", "person_id", "change", "from", "list", "entered", "reasons"]
            .map(String::from)
            .to_vec(),
        rows: tm
            .new
            .iter()
            .chain(&tm.escalated)
            .map(|m| {
                vec![
                    Cell::text(&tm.month),
                    Cell::text(&m.person_id),
                    Cell::text(change_str(m.change)),
                    Cell::text(m.from.map(List::as_str).unwrap_or("")),
                    Cell::text(m.list.as_str()),
                    Cell::text(&entered),
                    Cell::text(&reasons_text(m)),
                ]
            })
            .collect(),
        note: None,
    }
}

/// `person_id,list,status,entered,escalated,due,days,last_notified`: notifications due and
/// overdue (`days`: until the due date when due, past it when overdue).
pub fn due_sheet(tm: &ThisMonth) -> Sheet {
    Sheet {
        name: "Notifications due".into(),
        headers: [
            "person_id",
            "list",
            "status",
            "entered",
            "escalated",
            "due",
            "days",
            "last_notified",
        ]
        .map(String::from)
        .to_vec(),
        rows: tm
            .overdue
            .iter()
            .chain(&tm.due)
            .map(|d| {
                vec![
                    Cell::text(&d.person_id),
                    Cell::text(d.list.as_str()),
                    Cell::text(d.status.as_str()),
                    Cell::text(&d.entered.to_string()),
                    Cell::text(if d.escalated { "yes" } else { "no" }),
                    Cell::text(&d.due.to_string()),
                    Cell::Number(d.days as f64),
                    Cell::text(
                        &d.last_notified
                            .map(|(date, l)| format!("{date} ({})", l.as_str()))
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
        note: None,
    }
}

/// Every sheet of the cycle, in the order of `cycle.xlsx`.
pub fn all_sheets(replay: &Replay, tm: &ThisMonth, person_ids: &[String]) -> Vec<Sheet> {
    vec![
        this_month_sheet(tm),
        due_sheet(tm),
        month_end_sizes_sheet(replay),
        month_end_people_sheet(replay, person_ids),
    ]
}

fn sizes_row(label: &str, s: &[u64; 4]) -> String {
    format!(
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        html_escape(label),
        s[0],
        s[1],
        s[2],
        s[3],
        s.iter().sum::<u64>()
    )
}

fn moves_table(caption: &str, moves: &[Move], with_from: bool) -> String {
    if moves.is_empty() {
        return format!("<p>None this month ({}).</p>\n", html_escape(caption));
    }
    let rows: String = moves
        .iter()
        .map(|m| {
            let from = if with_from {
                format!("<td>{}</td>", m.from.map(List::as_str).unwrap_or(""))
            } else {
                String::new()
            };
            let reasons: String = m
                .reasons
                .iter()
                .map(|r| {
                    format!(
                        "<li>{} — {} ({}): incidents {}</li>",
                        r.list.as_str(),
                        html_escape(&r.description),
                        html_escape(&r.rule),
                        html_escape(&r.incidents.join(", "))
                    )
                })
                .chain(m.flags.iter().map(|f| {
                    format!(
                        "<li>Flag: {}: incidents {}</li>",
                        html_escape(&f.description),
                        html_escape(&f.incidents.join(", "))
                    )
                }))
                .collect();
            format!(
                "<tr><td>{}</td>{from}<td>{}</td><td><ul>{reasons}</ul></td><td class=\"tick\">☐</td></tr>",
                html_escape(&m.person_id),
                m.list.as_str()
            )
        })
        .collect();
    let from_head = if with_from { "<th scope=\"col\">From</th>" } else { "" };
    format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">Person</th>{from_head}<th scope=\"col\">List</th>\
<th scope=\"col\">Why</th><th scope=\"col\">Done</th></tr></thead><tbody>{rows}</tbody></table>\n",
        html_escape(caption)
    )
}

fn due_table(caption: &str, rows: &[DueNotification], days_head: &str) -> String {
    if rows.is_empty() {
        return format!("<p>None ({}).</p>\n", html_escape(caption));
    }
    let body: String = rows
        .iter()
        .map(|d| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"tick\">☐</td></tr>",
                html_escape(&d.person_id),
                d.list.as_str(),
                d.entered,
                if d.escalated { " (escalated)" } else { "" },
                d.due,
                d.days,
                d.last_notified
                    .map(|(date, l)| format!("{date} ({})", l.as_str()))
                    .unwrap_or_else(|| "never".into()),
            )
        })
        .collect();
    format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">Person</th><th scope=\"col\">List</th>\
<th scope=\"col\">On the list since</th><th scope=\"col\">Due</th><th scope=\"col\">{}</th>\
<th scope=\"col\">Last notified</th><th scope=\"col\">Done</th></tr></thead><tbody>{body}</tbody></table>\n",
        html_escape(caption),
        html_escape(days_head)
    )
}

/// The partnership's meeting agenda for the month, as one printable HTML fragment (an
/// `<article class="agenda">`): list sizes at this and the previous month end, people new on a
/// list, people raised with the reasons, notifications overdue and due, then `extra` sections.
/// It holds no victim information.
pub fn agenda_html(tm: &ThisMonth, extra: &[ExtraSection]) -> String {
    let as_of = tm.as_of.map(|d| d.to_string()).unwrap_or_default();
    let mut sizes = sizes_row(&format!("End of {} (as of {as_of})", tm.month), &tm.sizes);
    if let Some(p) = &tm.previous_sizes {
        sizes = sizes_row("Previous month end", p) + &sizes;
    }
    let extra: String = extra
        .iter()
        .map(|s| format!("<section><h3>{}</h3>\n{}</section>\n", html_escape(&s.heading), s.html))
        .collect();
    format!(
        "<article class=\"agenda\">\n<h2>IPVI partnership meeting — {month}</h2>\n\
<p class=\"meta\">Lists as of {as_of}, replayed month by month from the records (tiers only escalate). \
Offender-facing: no victim information.</p>\n\
<section><h3>1. List sizes</h3>\n<table><caption>People on each list</caption><thead><tr><th scope=\"col\">Month end</th>\
<th scope=\"col\">A</th><th scope=\"col\">B</th><th scope=\"col\">C</th><th scope=\"col\">D</th><th scope=\"col\">All</th></tr></thead>\
<tbody>{sizes}</tbody></table></section>\n\
<section><h3>2. New on a list ({n_new})</h3>\n{new}</section>\n\
<section><h3>3. Escalated ({n_esc})</h3>\n{esc}</section>\n\
<section><h3>4. Notifications overdue ({n_over})</h3>\n{over}</section>\n\
<section><h3>5. Notifications due ({n_due})</h3>\n{due}</section>\n{extra}</article>\n",
        month = html_escape(&tm.month),
        n_new = tm.new.len(),
        new = moves_table("People new on a list this month", &tm.new, false),
        n_esc = tm.escalated.len(),
        esc = moves_table("People raised to a higher list this month", &tm.escalated, true),
        n_over = tm.overdue.len(),
        over = due_table("Notifications past their due date", &tm.overdue, "Days overdue"),
        n_due = tm.due.len(),
        due = due_table("Notifications due", &tm.due, "Days left"),
    )
}

/// The agenda as a whole HTML document (what `ipvi cycle` writes as `agenda.html`).
pub fn agenda_document(tm: &ThisMonth, extra: &[ExtraSection], synthetic: bool) -> String {
    let note = if synthetic {
        format!(
            "<p class=\"synthetic\">{}</p>",
            html_escape(crate::export::SYNTHETIC_NOTE)
        )
    } else {
        String::new()
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>IPVI meeting agenda {}</title>\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:auto}}table{{border-collapse:collapse;margin:.5rem 0}}\
td,th{{border:1px solid #bbb;padding:.2rem .4rem;text-align:left;vertical-align:top}}caption{{text-align:left;font-style:italic}}\
ul{{margin:0;padding-left:1rem}}section{{break-inside:avoid-page}}</style></head><body>{note}{}</body></html>\n",
        html_escape(&tm.month),
        agenda_html(tm, extra)
    )
}
