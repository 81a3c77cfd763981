//! Workload and capacity: how many notifications a week each list will bring, who delivers
//! them, and whether the partner agencies have the hours.
//!
//! Inflow is measured, not assumed: the lists are computed as of a year before the as-of date
//! and again as of the as-of date; everyone who entered a list, or moved up to it, in between is
//! that list's yearly inflow. The hours each notification takes are design defaults the
//! partnership edits.

use crate::offenders::lists::Change;
use crate::offenders::outputs::html_escape as esc;
use crate::offenders::outputs::OffenderReport;
use crate::offenders::List;
use serde::{Deserialize, Serialize};

/// Who delivers notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deliverer {
    Officers,
    Advocates,
    Prosecutors,
}

impl Deliverer {
    /// Every deliverer.
    pub const ALL: [Deliverer; 3] = [Deliverer::Officers, Deliverer::Advocates, Deliverer::Prosecutors];

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Deliverer::Officers => "Officers",
            Deliverer::Advocates => "Advocates",
            Deliverer::Prosecutors => "Prosecutors",
        }
    }
}

/// Hours each deliverer spends on one person's notification on a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Effort {
    pub list: List,
    /// The kind of notification (letter, face-to-face warning, call-in, ...).
    pub kind: String,
    pub hours: Vec<(Deliverer, f64)>,
}

/// Default efforts, following the graduated messages of the intervention.
pub fn default_efforts() -> Vec<Effort> {
    use Deliverer::*;
    vec![
        Effort {
            list: List::D,
            kind: "Letter or visit: put on notice".into(),
            hours: vec![(Officers, 0.5), (Advocates, 0.5)],
        },
        Effort {
            list: List::C,
            kind: "Face-to-face warning".into(),
            hours: vec![(Officers, 2.0), (Advocates, 1.5)],
        },
        Effort {
            list: List::B,
            kind: "Call-in".into(),
            hours: vec![(Officers, 3.0), (Advocates, 2.0), (Prosecutors, 1.0)],
        },
        Effort {
            list: List::A,
            kind: "Fast-tracked prosecution, focused enforcement".into(),
            hours: vec![(Officers, 6.0), (Advocates, 3.0), (Prosecutors, 8.0)],
        },
    ]
}

/// One partner agency's capacity for the intervention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub name: String,
    pub role: Deliverer,
    pub staff: f64,
    /// Hours a week each staff member gives to the intervention.
    pub hours_per_week: f64,
}

/// The projection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// (list, people entering the list in the last 12 months, notifications per week).
    pub inflow: Vec<(List, u64, f64)>,
    /// (deliverer, hours needed per week, hours available per week, utilisation).
    pub capacity: Vec<(Deliverer, f64, f64, Option<f64>)>,
}

/// Project the weekly workload from the change between two runs a year apart (`report` was
/// computed with the earlier run's snapshot as its previous snapshot).
pub fn project(report: &OffenderReport, efforts: &[Effort], partners: &[Partner]) -> Workload {
    let weeks = 365.25 / 7.0;
    let inflow: Vec<(List, u64, f64)> = [List::A, List::B, List::C, List::D]
        .iter()
        .map(|&l| {
            let n = report
                .offenders
                .iter()
                .filter(|o| o.assignment.list == l && matches!(o.change, Change::New | Change::Escalated))
                .count() as u64;
            (l, n, n as f64 / weeks)
        })
        .collect();
    capacity(inflow, efforts, partners)
}

/// The capacity part of the projection for a given inflow ((list, people entering in 12 months,
/// notifications per week), as in [`Workload::inflow`]): the hours each deliverer needs a week
/// against the hours the partners give. The app keeps the inflow of the last run and recomputes
/// this as the analyst edits the partners and the hours per notification.
pub fn capacity(inflow: Vec<(List, u64, f64)>, efforts: &[Effort], partners: &[Partner]) -> Workload {
    let capacity = Deliverer::ALL
        .iter()
        .map(|&d| {
            let need: f64 = inflow
                .iter()
                .map(|&(l, _, per_week)| {
                    per_week
                        * efforts
                            .iter()
                            .filter(|e| e.list == l)
                            .flat_map(|e| e.hours.iter())
                            .filter(|(who, _)| *who == d)
                            .map(|(_, h)| h)
                            .sum::<f64>()
                })
                .sum();
            let have: f64 = partners
                .iter()
                .filter(|p| p.role == d)
                .map(|p| p.staff * p.hours_per_week)
                .sum();
            (d, need, have, (have > 0.0).then(|| need / have))
        })
        .collect();
    Workload { inflow, capacity }
}

/// The workload as a report section.
pub fn section_html(w: &Workload) -> String {
    let mut s = String::from(
        "<section><h2>Workload and capacity</h2><p>People who entered each list, or moved up to it, in the last 12 months, \
         and the notifications a week that inflow brings.</p><table><caption>Projected notifications</caption>\
         <thead><tr><th scope=\"col\">List</th><th scope=\"col\">Entered in 12 months</th><th scope=\"col\">Per week</th></tr></thead><tbody>",
    );
    for (l, n, pw) in &w.inflow {
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{n}</td><td>{pw:.1}</td></tr>",
            l.as_str()
        ));
    }
    s.push_str("</tbody></table><table><caption>Hours a week</caption><thead><tr><th scope=\"col\">Who delivers</th><th scope=\"col\">Needed</th><th scope=\"col\">Available</th><th scope=\"col\">Utilisation</th></tr></thead><tbody>");
    let mut short = Vec::new();
    for (d, need, have, u) in &w.capacity {
        let util = match u {
            Some(u) => format!("{:.0}%", u * 100.0),
            None if *need > 0.0 => "no capacity entered".into(),
            None => "—".into(),
        };
        if u.is_some_and(|u| u > 1.0) || (u.is_none() && *need > 0.0) {
            short.push(d.label());
        }
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{need:.1}</td><td>{have:.1}</td><td>{}</td></tr>",
            d.label(),
            esc(&util)
        ));
    }
    s.push_str("</tbody></table>");
    if short.is_empty() {
        s.push_str("<p>The hours entered cover the projected workload.</p>");
    } else {
        s.push_str(&format!(
            "<p class=\"unavailable\">Capacity falls short for: {}.</p>",
            short.join(", ")
        ));
    }
    s.push_str("</section>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::offenders::features::{Features, Window};
    use crate::offenders::lists::{Assignment, Snapshot};
    use crate::offenders::outputs::Offender;
    use crate::offenders::people::PersonInfo;
    use crate::offenders::score::Score;

    fn offender(list: List, change: Change) -> Offender {
        Offender {
            info: PersonInfo::default(),
            features: Features::default(),
            score: Score {
                rank: 1,
                ..Score::default()
            },
            assignment: Assignment {
                person: 0,
                list,
                reasons: vec![],
                held_from: None,
            },
            change,
        }
    }

    #[test]
    fn inflow_counts_new_and_escalated_and_utilisation_follows() {
        let mut offenders = vec![
            offender(List::A, Change::Escalated),
            offender(List::A, Change::Unchanged),
        ];
        offenders.extend((0..104).map(|_| offender(List::D, Change::New)));
        let report = OffenderReport {
            window: Window::five_years(Date(0)),
            offenders,
            timelines: vec![],
            snapshot: Snapshot::default(),
        };
        let partners = vec![Partner {
            name: "PD".into(),
            role: Deliverer::Officers,
            staff: 1.0,
            hours_per_week: 1.0,
        }];
        let w = project(&report, &default_efforts(), &partners);
        assert_eq!(w.inflow[0].1, 1);
        assert_eq!(w.inflow[3].1, 104);
        let weeks = 365.25 / 7.0;
        let officers = w.capacity[0];
        assert!((officers.1 - (104.0 * 0.5 + 6.0) / weeks).abs() < 1e-9);
        assert_eq!(officers.2, 1.0);
        assert!(officers.3.is_some_and(|u| u > 1.0));
        let html = section_html(&w);
        assert!(
            html.contains("Capacity falls short for: Officers, Advocates, Prosecutors"),
            "{html}"
        );
    }
}
