//! One offender's page: who, the list and every reason, the score components, the timeline, the
//! records that form the person and why, and the printable notification worksheet. It holds no
//! victim information (the timeline is the person's own record).

use crate::inquiry::{ExplainView, InquiryView};
use crate::state::Shared;
use ipvi_core::linkage::cluster::EdgeStatus;
use ipvi_core::offenders::outputs::worksheet_html;
use ipvi_core::offenders::timeline::{Event, EventKind};
use yew::prelude::*;

/// Person page properties.
#[derive(Properties, PartialEq)]
pub struct PersonPageProps {
    pub view: Shared<InquiryView>,
    pub person_id: String,
    pub explained: Option<Shared<ExplainView>>,
    pub on_close: Callback<()>,
    /// The analyst's notification records of this person (by person id).
    #[prop_or_default]
    pub recorded: Vec<ipvi_core::notify::NotificationRecord>,
}

fn markers(e: &Event) -> String {
    let mut m = Vec::new();
    for (flag, label) in [
        (e.weapon, "weapon"),
        (e.firearm, "firearm"),
        (e.strangulation, "strangulation"),
        (e.injury, "injury"),
        (e.order_violation, "order violation"),
    ] {
        if flag {
            m.push(label);
        }
    }
    m.join(", ")
}

fn kind_text(k: &EventKind) -> &'static str {
    match k {
        EventKind::Incident => "incident",
        EventKind::Arrest => "arrest",
        EventKind::OrderIssued => "protective order",
        EventKind::Notification => "notification",
    }
}

fn edge_status(s: &EdgeStatus) -> String {
    match s {
        EdgeStatus::Joined => "joined".into(),
        EdgeStatus::AlreadyTogether => "already together".into(),
        EdgeStatus::BelowThreshold => "below the threshold".into(),
        EdgeStatus::Refused(g) => format!("refused by a guard ({g:?})"),
    }
}

/// One row of the person's notifications: date, list, how and by whom, and where it comes from.
pub type NotificationRow = (String, String, String, &'static str);

/// The person's notifications: the analyst's records of this person, and those the last run
/// placed on the timeline (records matched by record id, or loaded with the data) that are not
/// among them, oldest first.
pub fn notification_rows(
    timeline: &[Event],
    recorded: &[ipvi_core::notify::NotificationRecord],
) -> Vec<NotificationRow> {
    let mut rows: Vec<NotificationRow> = recorded
        .iter()
        .map(|n| {
            let by = if n.delivered_by.trim().is_empty() {
                String::new()
            } else {
                format!(" by {}", n.delivered_by.trim())
            };
            (
                n.date.to_string(),
                n.list.as_str().to_string(),
                format!("{}{by}", n.kind.as_str()),
                "recorded",
            )
        })
        .collect();
    for e in timeline.iter().filter(|e| e.kind == EventKind::Notification) {
        let (date, list) = (
            e.date.map(|d| d.to_string()).unwrap_or_default(),
            e.list.map(|l| l.as_str().to_string()).unwrap_or_default(),
        );
        if !rows.iter().any(|r| r.0 == date && r.1 == list) {
            rows.push((date, list, e.detail.clone(), "in the analysis"));
        }
    }
    rows.sort();
    rows
}

fn notifications_html(timeline: &[Event], recorded: &[ipvi_core::notify::NotificationRecord]) -> Html {
    let rows = notification_rows(timeline, recorded);
    if rows.is_empty() {
        return html! {
            <p class="help" id="person-notifications">{ "No notification recorded for this person. Record one on the \
                notifications screen; it enters the lists and the timeline when the data is analysed again." }</p>
        };
    }
    html! {
        <table id="person-notifications">
            <caption>{ format!("{} notifications", rows.len()) }</caption>
            <thead><tr><th scope="col">{ "Date" }</th><th scope="col">{ "List" }</th><th scope="col">{ "How and by whom" }</th>
                <th scope="col">{ "Source" }</th></tr></thead>
            <tbody>
                { for rows.iter().map(|(date, list, how, source)| html! {
                    <tr><td>{ date }</td><td>{ list }</td><td>{ how }</td><td>{ *source }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// `#person-page` (with `button#close-person`, `button#print-worksheet-button`) and the print
/// section `#print-worksheet`.
#[function_component(PersonPage)]
pub fn person_page(props: &PersonPageProps) -> Html {
    let Some((o, timeline)) = props.view.offender(&props.person_id) else {
        return html! {
            <section class="panel" id="person-page"><p>{ "This person is not on the lists any more." }</p></section>
        };
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let worksheet = worksheet_html(o, timeline, props.view.window.as_of);
    let s = &o.score;
    html! {
        <>
        <section class="panel person-page" id="person-page" aria-labelledby="person-title">
            <div class="person-head">
                <h2 id="person-title">{ format!("{} — {}", o.info.person_id, o.info.name) }</h2>
                <button type="button" id="close-person" class="secondary" onclick={close}>{ "Back to the list" }</button>
                <button type="button" id="print-worksheet-button" onclick={Callback::from(|_: MouseEvent| print())}>
                    { "Print notification worksheet" }
                </button>
            </div>
            <dl class="person-facts">
                <dt>{ "Date of birth" }</dt><dd id="person-dob">{ o.info.dob.map(|d| d.to_string()).unwrap_or_else(|| "not recorded".into()) }</dd>
                <dt>{ "Other names" }</dt><dd>{ if o.info.other_names.is_empty() { "none".to_string() } else { o.info.other_names.join("; ") } }</dd>
                <dt>{ "Agencies" }</dt><dd>{ o.info.agencies.iter().cloned().collect::<Vec<_>>().join(", ") }</dd>
                <dt>{ "List" }</dt><dd id="person-list">{ o.assignment.list.as_str() }</dd>
                <dt>{ "Danger flags" }</dt>
                <dd id="person-flags">{ if o.assignment.flags.is_empty() {
                    "none".to_string()
                } else {
                    o.assignment.flags.iter().map(|f| format!("{} (incidents {})", f.description, f.incidents.join(", "))).collect::<Vec<_>>().join("; ")
                } }</dd>
                <dt>{ "RFGV score" }</dt>
                <dd id="person-score">{ format!("{:.1} = {}; rank {}. Harm {:.0} days (every offence weighed by days of custody; beside the score, not part of it).",
                    s.rfgv,
                    crate::offender_table::shown_components(s).iter()
                        .map(|(c, t)| format!("{} {}", c.as_str().replace('_', " "), crate::offender_table::tenths(*t)))
                        .collect::<Vec<_>>().join(" + "),
                    s.rank, s.harm) }</dd>
            </dl>
            <h3>{ "Why this list" }</h3>
            <ul id="person-reasons">
                if let Some((l, since)) = o.assignment.held_from {
                    <li>{ format!("Held on list {} since {since}: tiers only escalate.", l.as_str()) }</li>
                }
                { for o.assignment.reasons.iter().map(|r| html! {
                    <li><strong>{ format!("List {} — {}", r.list.as_str(), r.description) }</strong>
                        { format!(" (rule {}): incidents {}", r.rule, r.incidents.join(", ")) }</li>
                }) }
            </ul>
            <h3>{ "Notifications" }</h3>
            { notifications_html(timeline, &props.recorded) }
            <h3>{ "Timeline" }</h3>
            <div class="table-wrap">
            <table id="person-timeline">
                <thead><tr>
                    <th scope="col">{ "Date" }</th><th scope="col">{ "Event" }</th><th scope="col">{ "Incident" }</th>
                    <th scope="col">{ "Role" }</th><th scope="col">{ "Class" }</th><th scope="col">{ "Offences" }</th>
                    <th scope="col">{ "Markers" }</th>
                </tr></thead>
                <tbody>
                    { for timeline.iter().map(|e| html! {
                        <tr>
                            <td>{ e.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()) }</td>
                            <td>{ kind_text(&e.kind) }</td>
                            <td>{ e.incident_id.clone().unwrap_or_default() }</td>
                            <td>{ e.role.map(|r| format!("{r:?}").to_lowercase()).unwrap_or_default() }</td>
                            <td>{ e.class.map(|c| c.label()).unwrap_or("") }</td>
                            <td class="offences">{ e.offenses.iter().map(|c| ipvi_core::codes::label(ipvi_core::codes::CodeKind::Offense, c)).collect::<Vec<_>>().join("; ") }</td>
                            <td>{ markers(e) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <h3>{ "The records that form this person, and why" }</h3>
            <div id="person-records">
            { match &props.explained {
                None => html! { <p class="help">{ "Asking the analyzer…" }</p> },
                Some(e) => html! {
                    <>
                    // Wide, and drawn when the worker's explanation arrives (after the check that makes
                    // scrolling tables focusable ran): a tab stop of their own, so they scroll from the keyboard.
                    <table id="person-record-table" tabindex="0" aria-label="The records that form this person">
                        <thead><tr><th scope="col">{ "Record" }</th><th scope="col">{ "Incident" }</th><th scope="col">{ "Role" }</th>
                            <th scope="col">{ "Name as recorded" }</th><th scope="col">{ "Date of birth" }</th><th scope="col">{ "Sex" }</th></tr></thead>
                        <tbody>
                        { for e.records.iter().map(|r| html! {
                            <tr><td>{ &r.record_id }</td><td>{ &r.incident_id }</td><td>{ &r.role }</td><td>{ &r.name }</td>
                                <td>{ r.dob.map(|d| d.to_string()).unwrap_or_default() }</td><td>{ &r.sex }</td></tr>
                        }) }
                        </tbody>
                    </table>
                    <table id="person-edges" tabindex="0">
                        <caption>{ "Pairs of records compared: match probability and what the clustering did" }</caption>
                        <thead><tr><th scope="col">{ "Records" }</th><th scope="col">{ "Probability" }</th><th scope="col">{ "Weight" }</th><th scope="col">{ "Outcome" }</th></tr></thead>
                        <tbody>
                        { for e.edges.iter().take(200).map(|x| html! {
                            <tr><td>{ format!("{} – {}", x.record_a, x.record_b) }</td><td class="num">{ format!("{:.3}", x.probability) }</td>
                                <td class="num">{ format!("{:.1}", x.weight) }</td><td>{ edge_status(&x.status) }</td></tr>
                        }) }
                        </tbody>
                    </table>
                    </>
                },
            } }
            </div>
        </section>
        <section id="print-worksheet" class="print-worksheet" aria-hidden="true">
            { Html::from_html_unchecked(AttrValue::from(worksheet)) }
        </section>
        </>
    }
}
