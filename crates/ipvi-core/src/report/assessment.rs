//! The site assessment: the policies and operations the intervention depends on, answered by
//! the partnership, each beside what the data itself shows where it can.

use crate::model::{Dataset, RelClass};
use crate::offenders::outputs::html_escape as esc;
use serde::{Deserialize, Serialize};

/// An answer to a checklist item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    Partly,
    No,
    #[default]
    NotAnswered,
}

/// One item of the checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub question: String,
    pub why: String,
    pub answer: Answer,
    pub notes: String,
}

/// The checklist, in the order the partnership works through it.
pub fn checklist() -> Vec<Item> {
    let item = |id: &str, question: &str, why: &str| Item {
        id: id.into(),
        question: question.into(),
        why: why.into(),
        answer: Answer::NotAnswered,
        notes: String::new(),
    };
    vec![
        item(
            "document-every-encounter",
            "Officers document every IPV encounter, even without an assault.",
            "Without these reports the D list is empty and early offenders are missed.",
        ),
        item(
            "coded-relationship",
            "The victim's relationship to the offender is recorded in a coded field.",
            "IPV can only be told from other family violence where the relationship is recorded.",
        ),
        item(
            "flag-domestic",
            "Domestic arrests and charges are flagged as such.",
            "Charges drive the C and B lists.",
        ),
        item(
            "lists-shared",
            "Prosecutors and probation receive the lists.",
            "A-list offenders are fast-tracked by prosecutors; probation enforces conditions.",
        ),
        item(
            "advocate-reach",
            "Advocates can reach victims within days of an incident.",
            "Victim outreach runs in parallel with every notification.",
        ),
        item(
            "notification-records",
            "Every notification is recorded with its date, type and who delivered it.",
            "Escalation and evaluation depend on knowing who was notified when.",
        ),
    ]
}

/// What the data shows for an item, where it can.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub text: String,
    pub share: Option<f64>,
}

/// Measure the items the data can speak to.
pub fn indicators(data: &Dataset, classes: &[RelClass]) -> Vec<Indicator> {
    let mut out = Vec::new();
    let dom_calls = data.calls.iter().filter(|c| c.domestic).count();
    if dom_calls > 0 {
        let with = data
            .calls
            .iter()
            .filter(|c| c.domestic && c.incident_id.as_deref().is_some_and(|s| !s.is_empty()))
            .count();
        let share = with as f64 / dom_calls as f64;
        out.push(Indicator {
            id: "document-every-encounter".into(),
            text: format!(
                "{:.0}% of {dom_calls} domestic calls for service have a report.",
                share * 100.0
            ),
            share: Some(share),
        });
    } else {
        out.push(Indicator {
            id: "document-every-encounter".into(),
            text: "The data has no calls for service, so the share of domestic calls with a report cannot be measured."
                .into(),
            share: None,
        });
    }
    let usable = data
        .pairs
        .iter()
        .zip(classes)
        .filter(|(p, _)| {
            p.relationship_code
                .is_some_and(|c| !c.trim().is_empty() && !c.eq_ignore_ascii_case("RU"))
        })
        .count();
    if !data.pairs.is_empty() {
        let share = usable as f64 / data.pairs.len() as f64;
        out.push(Indicator {
            id: "coded-relationship".into(),
            text: format!(
                "{:.0}% of {} victim–offender pairs carry a usable relationship code (the code field alone, \
                 present and not RU; the data-quality section's unknown share counts pairs still unknown after \
                 the free text, narrative and offence are read too).",
                share * 100.0,
                data.pairs.len()
            ),
            share: Some(share),
        });
    }
    if !data.arrests.is_empty() {
        let flagged = data.arrests.iter().filter(|a| a.domestic.is_some()).count();
        let share = flagged as f64 / data.arrests.len() as f64;
        out.push(Indicator {
            id: "flag-domestic".into(),
            text: format!(
                "{:.0}% of {} arrests carry a domestic flag (yes or no).",
                share * 100.0,
                data.arrests.len()
            ),
            share: Some(share),
        });
    }
    out
}

/// The assessment as a report section.
pub fn section_html(items: &[Item], ind: &[Indicator]) -> String {
    let mut s = String::from(
        "<section><h2>Site assessment</h2><table><caption>Policies and operations, with what the data shows</caption><thead><tr>\
         <th scope=\"col\">Item</th><th scope=\"col\">Answer</th><th scope=\"col\">What the data shows</th><th scope=\"col\">Notes</th></tr></thead><tbody>",
    );
    for it in items {
        let shown = ind
            .iter()
            .find(|i| i.id == it.id)
            .map(|i| i.text.clone())
            .unwrap_or_else(|| "Not measurable from the records.".into());
        let answer = match it.answer {
            Answer::Yes => "Yes",
            Answer::Partly => "Partly",
            Answer::No => "No",
            Answer::NotAnswered => "Not answered",
        };
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{answer}</td><td>{}</td><td>{}</td></tr>",
            esc(&it.question),
            esc(&shown),
            esc(&it.notes)
        ));
    }
    s.push_str("</tbody></table></section>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Arrest, Call, Pair};

    #[test]
    fn indicators_measure_what_the_data_holds() {
        let d = Dataset {
            calls: (0..4)
                .map(|i| Call {
                    call_id: i.to_string().into(),
                    domestic: true,
                    incident_id: (i < 3).then(|| format!("I{i}")).map(Into::into),
                    ..Call::default()
                })
                .collect(),
            pairs: vec![
                Pair {
                    relationship_code: Some("BG".into()),
                    ..Pair::default()
                },
                Pair {
                    relationship_code: Some("RU".into()),
                    ..Pair::default()
                },
            ]
            .into(),
            arrests: vec![
                Arrest {
                    domestic: Some(true),
                    ..Arrest::default()
                },
                Arrest::default(),
            ],
            ..Dataset::default()
        };
        let ind = indicators(&d, &[RelClass::IntimatePartner, RelClass::Unknown]);
        let share = |id: &str| ind.iter().find(|i| i.id == id).and_then(|i| i.share);
        assert_eq!(share("document-every-encounter"), Some(0.75));
        assert_eq!(share("coded-relationship"), Some(0.5));
        assert_eq!(share("flag-domestic"), Some(0.5));
        let html = section_html(&checklist(), &ind);
        assert!(html.contains("75% of 4 domestic calls") && html.contains("Not measurable"));
    }
}
