//! Notifications: record who was notified, when, for which list, how and by whom, or import them
//! from a CSV file (bad rows are listed with their row, column and value; the rest is read).
//! The records live in the shared app state (`AppState::work.notifications`), so the person page
//! and the evaluation use them, and the workspace saves them.

use crate::files;
use crate::workstate::{Work, WorkAction};
use ipvi_core::date::Date;
use ipvi_core::notify::{read_csv, NotificationKind, NotificationRecord};
use ipvi_core::offenders::List;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

fn value_of(id: &str) -> String {
    let doc = web_sys::window().and_then(|w| w.document());
    let Some(el) = doc.and_then(|d| d.get_element_by_id(id)) else {
        return String::new();
    };
    use wasm_bindgen::JsCast;
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        return i.value();
    }
    if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
        return s.value();
    }
    String::new()
}

/// A record from the form's fields, or what is missing.
pub fn from_form(
    person: &str,
    date: &str,
    list: &str,
    kind: &str,
    custom: &str,
    by: &str,
) -> Result<NotificationRecord, String> {
    let person = person.trim();
    if person.is_empty() {
        return Err("Enter the person's id.".into());
    }
    let date = Date::parse(date).ok_or_else(|| format!("\"{date}\" is not a date: enter it as YYYY-MM-DD."))?;
    let list = List::parse(list).ok_or_else(|| format!("\"{list}\" is not a list: choose A, B, C or D."))?;
    let kind = if kind == "custom" {
        NotificationKind::parse(custom).ok_or("Name the custom notification type.")?
    } else {
        NotificationKind::parse(kind).ok_or("Choose the notification type.")?
    };
    Ok(NotificationRecord {
        person_id: person.to_string(),
        record_id: None,
        date,
        list,
        kind,
        delivered_by: by.trim().to_string(),
        notes: String::new(),
        events: Vec::new(),
        outcome: Default::default(),
        incident: None,
    })
}

#[derive(Properties, PartialEq)]
pub struct NotificationsProps {
    pub work: Work,
    pub on_work: Callback<WorkAction>,
    /// The implementation measures of the last run, shown below the records.
    #[prop_or_default]
    pub fidelity: Option<ipvi_core::fidelity::Fidelity>,
    /// The loaded data is the sample (the shareable download says so).
    #[prop_or_default]
    pub synthetic: bool,
    #[prop_or_default]
    pub on_error: Callback<String>,
}

/// The notifications screen.
#[function_component(Notifications)]
pub fn notifications(p: &NotificationsProps) -> Html {
    let message = use_state(String::new);
    let problems = use_state(Vec::<String>::new);
    let on_add = {
        let on_work = p.on_work.clone();
        let message = message.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match from_form(
                &value_of("notif-person"),
                &value_of("notif-date"),
                &value_of("notif-list"),
                &value_of("notif-type"),
                &value_of("notif-custom"),
                &value_of("notif-by"),
            ) {
                Ok(r) => {
                    message.set(format!("Recorded the notification of {} on {}.", r.person_id, r.date));
                    on_work.emit(WorkAction::AddNotifications(vec![r]));
                }
                Err(why) => message.set(why),
            }
        })
    };
    let on_csv = {
        let on_work = p.on_work.clone();
        let message = message.clone();
        let problems = problems.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let on_work = on_work.clone();
            let message = message.clone();
            let problems = problems.clone();
            spawn_local(async move {
                let name = file.name();
                match files::read(&file).await {
                    Ok(buf) => {
                        let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                        let (records, diags) = read_csv(&name, &bytes);
                        message.set(format!(
                            "Imported {} notifications from {name}; {} problems.",
                            records.len(),
                            diags.len()
                        ));
                        problems.set(diags.iter().take(50).map(|d| d.to_string()).collect());
                        if !records.is_empty() {
                            on_work.emit(WorkAction::AddNotifications(records));
                        }
                    }
                    Err(e) => message.set(e),
                }
            });
        })
    };
    html! {
        <>
        <section class="panel screen" id="notifications" aria-labelledby="notifications-title">
            <h2 id="notifications-title">{ "Notifications" }</h2>
            <p class="help" id="notif-help">{ "The evaluation uses these records at once. They enter the lists and the person \
                pages' timelines when the data is analysed again (\"Apply the decisions and analyse again\"). A record is \
                matched to a person by its record id, else by the person id shown on the offender list." }</p>
            <form id="notif-form" class="notif-form" onsubmit={on_add}>
                <label for="notif-person">{ "Person id" }</label>
                <input id="notif-person" type="text" required=true />
                <label for="notif-date">{ "Date" }</label>
                <input id="notif-date" type="date" required=true />
                <label for="notif-list">{ "List" }</label>
                <select id="notif-list">
                    { for ["A", "B", "C", "D"].iter().map(|l| html! { <option value={*l}>{ *l }</option> }) }
                </select>
                <label for="notif-type">{ "Type" }</label>
                <select id="notif-type">
                    <option value="letter">{ "Letter" }</option>
                    <option value="in-person">{ "In person" }</option>
                    <option value="call-in">{ "Call-in" }</option>
                    <option value="custom">{ "Other (name it)" }</option>
                </select>
                <label for="notif-custom">{ "Other type" }</label>
                <input id="notif-custom" type="text" />
                <label for="notif-by">{ "Delivered by" }</label>
                <input id="notif-by" type="text" />
                <button type="submit" id="notif-add">{ "Record the notification" }</button>
            </form>
            <p>
                <label for="notif-csv">{ "Import notifications from a CSV file, one row per attempt (person_id, record_id, notification_date, list, type, delivered_by, notes, events, outcome, incident) " }</label>
                <input id="notif-csv" type="file" accept=".csv,text/csv" onchange={on_csv} />
            </p>
            <p id="notif-message" role="status" aria-live="polite">{ (*message).clone() }</p>
            if !problems.is_empty() {
                <ul id="notif-problems" class="diagnostics">{ for problems.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            }
            <table id="notif-table">
                <caption>{ format!("{} notifications recorded", p.work.notifications.len()) }</caption>
                <thead><tr><th scope="col">{ "Person" }</th><th scope="col">{ "Date" }</th><th scope="col">{ "List" }</th>
                    <th scope="col">{ "Type" }</th><th scope="col">{ "Delivered by" }</th><th scope="col">{ "Outcome" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>
                    { for p.work.notifications.iter().enumerate().map(|(i, n)| {
                        let on_remove = p.on_work.reform(move |_: MouseEvent| WorkAction::RemoveNotification(i));
                        html! { <tr>
                            <td>{ &n.person_id }</td><td>{ n.date.to_string() }</td><td>{ n.list.as_str() }</td>
                            <td>{ n.kind.as_str() }</td><td>{ &n.delivered_by }</td><td>{ n.outcome.as_str() }</td>
                            <td><button type="button" class="secondary" onclick={on_remove}
                                aria-label={format!("Remove notification {}", i + 1)}>{ "Remove" }</button></td>
                        </tr> }
                    }) }
                </tbody>
            </table>
        </section>
        <super::implementation::Implementation fidelity={p.fidelity.clone()} synthetic={p.synthetic} on_error={p.on_error.clone()} />
        </>
    }
}
