//! Workload and capacity: how many people each list holds and takes in, the notifications a
//! week that brings, who delivers them, and whether the partner agencies have the hours and
//! the places.
//!
//! Each list has a stock and an inflow. The stock is everyone on the list as of the as-of date:
//! when the programme starts, each of them needs the list's action in the first year. The inflow
//! is measured, not assumed: the lists are computed as of a year before the as-of date and again
//! as of the as-of date; everyone who entered a list, or moved up to it, in between is that
//! list's yearly inflow. The first year's work is the stock and a year's inflow; after that, the
//! inflow. The hours each notification takes are design defaults the partnership edits, and so
//! is the capacity of each list (people a year); a list whose stock and inflow exceed the
//! capacity entered is named in a warning.

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

/// One list's people: on it now, and entering it in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFlow {
    pub list: List,
    /// People on the list as of the as-of date (each needs the list's action in the first year).
    pub stock: u64,
    /// People who entered the list, or moved up to it, in the last 12 months.
    pub inflow: u64,
}

impl ListFlow {
    /// People needing the list's action in the first year: the stock and a year's inflow.
    pub fn first_year(&self) -> u64 {
        self.stock + self.inflow
    }
}

/// One list's load against the capacity entered for it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListLoad {
    pub flow: ListFlow,
    /// Notifications a week in the first year (stock and inflow).
    pub first_year_per_week: f64,
    /// Notifications a week after the first year (inflow).
    pub later_per_week: f64,
    /// People a year the partnership can take on this list, as entered (`None`: not entered).
    pub capacity: Option<u64>,
}

impl ListLoad {
    /// Whether the first year's people exceed the capacity entered.
    pub fn over(&self) -> bool {
        self.capacity.is_some_and(|c| self.flow.first_year() > c)
    }
}

/// Hours a week one kind of deliverer needs and has.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hours {
    pub deliverer: Deliverer,
    /// Hours a week needed in the first year (stock and inflow).
    pub first_year: f64,
    /// Hours a week needed after the first year (inflow).
    pub later: f64,
    /// Hours a week the partners give.
    pub available: f64,
}

impl Hours {
    /// Needed over available in the first year (`None`: no hours entered).
    pub fn utilisation(&self) -> Option<f64> {
        (self.available > 0.0).then(|| self.first_year / self.available)
    }

    /// Whether the first year needs more hours than are entered.
    pub fn short(&self) -> bool {
        self.first_year > self.available + 1e-9
    }
}

/// The projection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// Lists A, B, C, D.
    pub lists: Vec<ListLoad>,
    pub hours: Vec<Hours>,
}

impl Workload {
    /// The lists whose first year exceeds the capacity entered.
    pub fn lists_over(&self) -> Vec<List> {
        self.lists.iter().filter(|l| l.over()).map(|l| l.flow.list).collect()
    }
}

const WEEKS: f64 = 365.25 / 7.0;

/// Each list's stock (everyone on it in `report`) and inflow (new or escalated in `report`,
/// which was computed with the run of a year earlier as its previous snapshot), A first.
pub fn flows(report: &OffenderReport) -> Vec<ListFlow> {
    [List::A, List::B, List::C, List::D]
        .iter()
        .map(|&l| {
            let on = report.offenders.iter().filter(|o| o.assignment.list == l);
            ListFlow {
                list: l,
                stock: on.clone().count() as u64,
                inflow: on
                    .filter(|o| matches!(o.change, Change::New | Change::Escalated))
                    .count() as u64,
            }
        })
        .collect()
}

/// Project the workload of the lists in `report` (see [`flows`]) against the partners' hours
/// and the places entered per list (`(list, people a year)`).
pub fn project(report: &OffenderReport, efforts: &[Effort], partners: &[Partner], places: &[(List, u64)]) -> Workload {
    capacity(&flows(report), efforts, partners, places)
}

/// The projection for given flows: notifications a week per list in the first year and after,
/// the hours each deliverer needs against the hours the partners give, and each list against
/// the places entered for it. The app keeps the flows of the last run and recomputes this as
/// the analyst edits the partners, the hours per notification and the places.
pub fn capacity(flows: &[ListFlow], efforts: &[Effort], partners: &[Partner], places: &[(List, u64)]) -> Workload {
    let lists: Vec<ListLoad> = flows
        .iter()
        .map(|&flow| ListLoad {
            flow,
            first_year_per_week: flow.first_year() as f64 / WEEKS,
            later_per_week: flow.inflow as f64 / WEEKS,
            capacity: places.iter().find(|(l, _)| *l == flow.list).map(|&(_, n)| n),
        })
        .collect();
    let hours = Deliverer::ALL
        .iter()
        .map(|&d| {
            let per = |l: List| -> f64 {
                efforts
                    .iter()
                    .filter(|e| e.list == l)
                    .flat_map(|e| e.hours.iter())
                    .filter(|(who, _)| *who == d)
                    .map(|(_, h)| h)
                    .sum()
            };
            let first_year = lists.iter().map(|l| l.first_year_per_week * per(l.flow.list)).sum();
            let later = lists.iter().map(|l| l.later_per_week * per(l.flow.list)).sum();
            let available: f64 = partners
                .iter()
                .filter(|p| p.role == d)
                .map(|p| p.staff * p.hours_per_week)
                .sum();
            Hours {
                deliverer: d,
                first_year,
                later,
                available,
            }
        })
        .collect();
    Workload { lists, hours }
}

/// The workload as a report section.
pub fn section_html(w: &Workload) -> String {
    let mut s = String::from(
        "<section><h2>Workload and capacity</h2><p>Each list's stock (people on it now: each needs the list's \
         action in the first year) and inflow (people who entered it, or moved up to it, in the last 12 months), the \
         notifications a week they bring, and the places a year entered for each list.</p>\
         <table><caption>Projected notifications: people by list</caption><thead><tr><th scope=\"col\">List</th>\
         <th scope=\"col\">On the list now</th><th scope=\"col\">Entering a year</th>\
         <th scope=\"col\">First year (now + entering)</th><th scope=\"col\">Places a year entered</th>\
         <th scope=\"col\">A week, first year</th><th scope=\"col\">A week, after</th></tr></thead><tbody>",
    );
    for l in &w.lists {
        let places = match l.capacity {
            Some(c) if l.over() => format!("{c} (exceeded)"),
            Some(c) => c.to_string(),
            None => "not entered".into(),
        };
        s.push_str(&format!(
            "<tr{}><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td></tr>",
            if l.over() { " class=\"over\"" } else { "" },
            l.flow.list.as_str(),
            l.flow.stock,
            l.flow.inflow,
            l.flow.first_year(),
            esc(&places),
            l.first_year_per_week,
            l.later_per_week
        ));
    }
    s.push_str("</tbody></table>");
    let over: Vec<String> = w
        .lists
        .iter()
        .filter(|l| l.over())
        .map(|l| {
            format!(
                "list {} needs {} places in the first year against {} entered",
                l.flow.list.as_str(),
                l.flow.first_year(),
                l.capacity.unwrap_or(0)
            )
        })
        .collect();
    if !over.is_empty() {
        s.push_str(&format!(
            "<p class=\"unavailable\" role=\"alert\">Over capacity: {}.</p>",
            esc(&over.join("; "))
        ));
    }
    s.push_str("<table><caption>Hours a week</caption><thead><tr><th scope=\"col\">Who delivers</th><th scope=\"col\">Needed, first year</th><th scope=\"col\">Needed, after</th><th scope=\"col\">Available</th><th scope=\"col\">Utilisation, first year</th></tr></thead><tbody>");
    let mut short = Vec::new();
    for h in &w.hours {
        let util = match h.utilisation() {
            Some(u) => format!("{:.0}%", u * 100.0),
            None if h.first_year > 0.0 => "no capacity entered".into(),
            None => "—".into(),
        };
        if h.short() {
            short.push(h.deliverer.label());
        }
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td></tr>",
            h.deliverer.label(),
            h.first_year,
            h.later,
            h.available,
            esc(&util)
        ));
    }
    s.push_str("</tbody></table>");
    if short.is_empty() {
        s.push_str("<p>The hours entered cover the first year's workload.</p>");
    } else {
        s.push_str(&format!(
            "<p class=\"unavailable\">Capacity falls short in the first year for: {}.</p>",
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
                flags: Vec::new(),
            },
            change,
        }
    }

    fn report(offenders: Vec<Offender>) -> OffenderReport {
        OffenderReport {
            window: Window::five_years(Date(0)),
            offenders,
            timelines: vec![],
            snapshot: Snapshot::default(),
        }
    }

    #[test]
    fn stock_and_inflow_make_the_first_year_and_hours_follow() {
        // A: 2 on the list (1 moved up this year); D: 104 new and 52 already there.
        let mut offenders = vec![
            offender(List::A, Change::Escalated),
            offender(List::A, Change::Unchanged),
        ];
        offenders.extend((0..104).map(|_| offender(List::D, Change::New)));
        offenders.extend((0..52).map(|_| offender(List::D, Change::Held)));
        let partners = vec![Partner {
            name: "PD".into(),
            role: Deliverer::Officers,
            staff: 1.0,
            hours_per_week: 1.0,
        }];
        let w = project(&report(offenders), &default_efforts(), &partners, &[]);
        let a = w.lists[0].flow;
        let d = w.lists[3].flow;
        assert_eq!((a.list, a.stock, a.inflow, a.first_year()), (List::A, 2, 1, 3));
        assert_eq!((d.list, d.stock, d.inflow, d.first_year()), (List::D, 156, 104, 260));
        assert_eq!((w.lists[1].flow.stock, w.lists[2].flow.stock), (0, 0));
        let weeks = 365.25 / 7.0;
        // Officers: A 6 h, D 0.5 h a notification.
        let officers = w.hours[0];
        assert_eq!(officers.deliverer, Deliverer::Officers);
        assert!((officers.first_year - (260.0 * 0.5 + 3.0 * 6.0) / weeks).abs() < 1e-9);
        assert!((officers.later - (104.0 * 0.5 + 6.0) / weeks).abs() < 1e-9);
        assert_eq!(officers.available, 1.0);
        assert!(officers.utilisation().is_some_and(|u| u > 1.0));
        assert!(w.lists_over().is_empty(), "no places entered, no list over");
        let html = section_html(&w);
        assert!(
            html.contains("Capacity falls short in the first year for: Officers, Advocates, Prosecutors"),
            "{html}"
        );
        assert!(
            html.contains("<td>156</td><td>104</td><td>260</td><td>not entered</td>"),
            "{html}"
        );
    }

    #[test]
    fn a_list_over_the_places_entered_is_warned_of() {
        // A: 3 on the list, 2 of them new; places: A 4 (3 + 2 = 5 > 4), D 10 (1 + 1 ≤ 10).
        let mut offenders: Vec<Offender> = (0..2).map(|_| offender(List::A, Change::New)).collect();
        offenders.push(offender(List::A, Change::Unchanged));
        offenders.push(offender(List::D, Change::New));
        let w = project(
            &report(offenders),
            &default_efforts(),
            &[],
            &[(List::A, 4), (List::D, 10)],
        );
        assert_eq!(w.lists_over(), vec![List::A]);
        assert_eq!(w.lists[0].capacity, Some(4));
        assert!(!w.lists[3].over());
        let html = section_html(&w);
        assert!(
            html.contains("Over capacity: list A needs 5 places in the first year against 4 entered."),
            "{html}"
        );
        assert!(html.contains("4 (exceeded)"), "{html}");
        // Four new on D need 4 + 4 places: exactly the places entered is no warning.
        let w = project(
            &report((0..4).map(|_| offender(List::D, Change::New)).collect()),
            &default_efforts(),
            &[],
            &[(List::D, 8)],
        );
        assert!(w.lists_over().is_empty());
        assert!(!section_html(&w).contains("Over capacity"));
    }
}
