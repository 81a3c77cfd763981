//! The analyst's own work beside the loaded data: report settings, partner capacity, the site
//! assessment, notifications, peer sites' metrics and the import profiles. Pure (a reducer), tested natively; it is
//! part of the app state and of the saved workspace.

use ipvi_core::notify::NotificationRecord;
use ipvi_core::offenders::lists::ListRules;
use ipvi_core::offenders::List;
use ipvi_core::report::assessment::{checklist, Answer, Item};
use ipvi_core::report::metrics::SiteMetrics;
use ipvi_core::report::suppress::Count;
use ipvi_core::report::workload::{default_efforts, Deliverer, Effort, Partner};
use serde::{Deserialize, Serialize};

/// The analyst's work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Work {
    /// The site's name on the report.
    pub site: String,
    /// Exports are shareable (small cells suppressed, no names or ids). On by default.
    pub shareable: bool,
    pub partners: Vec<Partner>,
    pub efforts: Vec<Effort>,
    pub assessment: Vec<Item>,
    pub notifications: Vec<NotificationRecord>,
    /// Other sites' metrics, for comparison.
    pub peers: Vec<SiteMetrics>,
    /// Evaluation start (ISO date) and as-of date, as typed.
    pub eval_start: String,
    pub eval_as_of: String,
    /// Import profiles the analyst confirmed or loaded (column mappings and local code tables;
    /// no personal data), tried in order on the next load.
    pub profiles: Vec<ipvi_core::import::Profile>,
    /// What counts as re-offending in the evaluation: `incident` (default) or `arrest`.
    pub eval_outcome: String,
    /// People a year each list's action can take, as the partnership entered them (a list not
    /// here has no capacity entered).
    pub places: Vec<(List, u64)>,
    /// The list rules the analyst applied (`None`: the defaults, `data/list_rules.json`).
    pub list_rules: Option<ListRules>,
}

impl Default for Work {
    fn default() -> Self {
        Work {
            site: "This site".into(),
            shareable: true,
            partners: vec![
                Partner {
                    name: "Police department".into(),
                    role: Deliverer::Officers,
                    staff: 2.0,
                    hours_per_week: 4.0,
                },
                Partner {
                    name: "Victim advocates".into(),
                    role: Deliverer::Advocates,
                    staff: 2.0,
                    hours_per_week: 4.0,
                },
                Partner {
                    name: "Prosecutor's office".into(),
                    role: Deliverer::Prosecutors,
                    staff: 1.0,
                    hours_per_week: 2.0,
                },
            ],
            efforts: default_efforts(),
            assessment: checklist(),
            notifications: Vec::new(),
            peers: Vec::new(),
            eval_start: String::new(),
            eval_as_of: String::new(),
            profiles: Vec::new(),
            eval_outcome: "incident".into(),
            places: Vec::new(),
            list_rules: None,
        }
    }
}

/// A change to the work.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkAction {
    SetSite(String),
    SetShareable(bool),
    AddPartner,
    RemovePartner(usize),
    SetPartner(usize, Partner),
    /// Effort `i`, deliverer, hours.
    SetEffortHours(usize, Deliverer, f64),
    SetAnswer(String, Answer),
    SetNotes(String, String),
    AddNotifications(Vec<NotificationRecord>),
    RemoveNotification(usize),
    AddPeers(Vec<SiteMetrics>),
    RemovePeer(usize),
    SetEval {
        start: String,
        as_of: String,
    },
    /// Keep an import profile (one of the same name is replaced; the newest is tried first).
    SaveProfile(Box<ipvi_core::import::Profile>),
    RemoveProfile(usize),
    /// A profile's local code tables were edited.
    SetProfile(usize, Box<ipvi_core::import::Profile>),
    /// `incident` or `arrest`.
    SetEvalOutcome(String),
    /// People a year a list can take (`None`: not entered).
    SetPlaces(List, Option<u64>),
    /// Apply list rules (`None`: back to the defaults).
    SetListRules(Option<Box<ListRules>>),
    /// A restored workspace replaces everything.
    Restore(Box<Work>),
}

impl Work {
    /// The work after a change; `None` when nothing changes.
    pub fn apply(&self, action: WorkAction) -> Option<Work> {
        let mut w = self.clone();
        match action {
            WorkAction::SetSite(s) => w.site = s,
            WorkAction::SetShareable(on) => w.shareable = on,
            WorkAction::AddPartner => w.partners.push(Partner {
                name: String::new(),
                role: Deliverer::Officers,
                staff: 1.0,
                hours_per_week: 0.0,
            }),
            WorkAction::RemovePartner(i) => {
                if i >= w.partners.len() {
                    return None;
                }
                w.partners.remove(i);
            }
            WorkAction::SetPartner(i, p) => *w.partners.get_mut(i)? = p,
            WorkAction::SetEffortHours(i, who, hours) => {
                let e = w.efforts.get_mut(i)?;
                let hours = if hours.is_finite() { hours.max(0.0) } else { 0.0 };
                match e.hours.iter_mut().find(|(d, _)| *d == who) {
                    Some(slot) => slot.1 = hours,
                    None => e.hours.push((who, hours)),
                }
            }
            WorkAction::SetAnswer(id, a) => w.assessment.iter_mut().find(|it| it.id == id)?.answer = a,
            WorkAction::SetNotes(id, n) => w.assessment.iter_mut().find(|it| it.id == id)?.notes = n,
            WorkAction::AddNotifications(mut n) => w.notifications.append(&mut n),
            WorkAction::RemoveNotification(i) => {
                if i >= w.notifications.len() {
                    return None;
                }
                w.notifications.remove(i);
            }
            WorkAction::AddPeers(p) => {
                for m in p {
                    // The same site again replaces its older file.
                    match w
                        .peers
                        .iter_mut()
                        .find(|x| x.site == m.site && x.last_month == m.last_month)
                    {
                        Some(slot) => *slot = m,
                        None => w.peers.push(m),
                    }
                }
            }
            WorkAction::RemovePeer(i) => {
                if i >= w.peers.len() {
                    return None;
                }
                w.peers.remove(i);
            }
            WorkAction::SetEval { start, as_of } => {
                w.eval_start = start;
                w.eval_as_of = as_of;
            }
            WorkAction::SaveProfile(p) => {
                w.profiles.retain(|x| x.name != p.name);
                w.profiles.insert(0, *p);
            }
            WorkAction::RemoveProfile(i) => {
                if i >= w.profiles.len() {
                    return None;
                }
                w.profiles.remove(i);
            }
            WorkAction::SetProfile(i, p) => *w.profiles.get_mut(i)? = *p,
            WorkAction::SetEvalOutcome(o) => w.eval_outcome = o,
            WorkAction::SetPlaces(list, n) => {
                w.places.retain(|(l, _)| *l != list);
                if let Some(n) = n {
                    w.places.push((list, n));
                    w.places.sort_by_key(|(l, _)| std::cmp::Reverse(*l));
                }
            }
            WorkAction::SetListRules(rules) => w.list_rules = rules.map(|r| *r),
            WorkAction::Restore(work) => w = *work,
        }
        (w != *self).then_some(w)
    }
}

fn ratio(part: Count, whole: Count) -> Option<f64> {
    let whole = whole.value()? as f64;
    (whole > 0.0).then_some(())?;
    Some(part.value()? as f64 / whole)
}

/// The intimate-partner share of domestic incidents (incidents with both count as IPV).
fn share_of_domestic(m: &SiteMetrics) -> Option<f64> {
    let d = &m.domestic;
    let ipv = d.ipv_only.value()? + d.both.value()?;
    let total = ipv + d.other_family_only.value()?;
    (total > 0).then(|| ipv as f64 / total as f64)
}

/// Key metrics of a site for the side-by-side comparison: (label, value as text).
pub fn key_metrics(m: &SiteMetrics) -> Vec<(&'static str, String)> {
    let pct = |x: Option<f64>| x.map(|x| format!("{:.0}%", 100.0 * x)).unwrap_or_else(|| "—".into());
    let ipv_share = share_of_domestic(m);
    let unknown = ratio(m.quality.relationship_unknown, m.quality.pairs);
    let versatility = m
        .versatility
        .as_ref()
        .and_then(|x| ratio(x.any_non_domestic, x.offenders));
    let lists = m
        .lists
        .as_ref()
        .map(|l| {
            l.sizes
                .iter()
                .map(|(k, c)| format!("{k}: {}", c.show(m.suppression_threshold.unwrap_or(0))))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| "—".into());
    let period = match (&m.first_month, &m.last_month) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "—".into(),
    };
    vec![
        ("Source", m.source.clone()),
        ("Period", period),
        (
            "Incidents",
            m.incidents_total.show(m.suppression_threshold.unwrap_or(0)),
        ),
        ("IPV share of domestic incidents", pct(ipv_share)),
        ("Pairs with an unknown relationship", pct(unknown)),
        (
            "Share of IPV offenders causing 80% of harm",
            pct(m.harm.as_ref().map(|h| h.share_for_80)),
        ),
        (
            "Harm caused by the most harmful 5%",
            pct(m.harm.as_ref().map(|h| h.top5_share)),
        ),
        ("IPV offenders with non-domestic records", pct(versatility)),
        ("List sizes", lists),
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn partners_add_edit_remove_and_out_of_range_is_no_change() {
        let w = Work::default();
        let n = w.partners.len();
        let w2 = w.apply(WorkAction::AddPartner).unwrap();
        assert_eq!(w2.partners.len(), n + 1);
        let mut p = w2.partners[n].clone();
        p.staff = 3.0;
        let w3 = w2.apply(WorkAction::SetPartner(n, p)).unwrap();
        assert_eq!(w3.partners[n].staff, 3.0);
        assert!(w3.apply(WorkAction::RemovePartner(99)).is_none());
        assert_eq!(w3.apply(WorkAction::RemovePartner(0)).unwrap().partners.len(), n);
    }

    #[test]
    fn places_and_list_rules_are_set_and_cleared() {
        let w = Work::default()
            .apply(WorkAction::SetPlaces(List::D, Some(400)))
            .unwrap();
        let w = w.apply(WorkAction::SetPlaces(List::A, Some(20))).unwrap();
        assert_eq!(w.places, vec![(List::A, 20), (List::D, 400)]);
        let w = w.apply(WorkAction::SetPlaces(List::A, Some(25))).unwrap();
        assert_eq!(w.places, vec![(List::A, 25), (List::D, 400)]);
        let w = w.apply(WorkAction::SetPlaces(List::D, None)).unwrap();
        assert_eq!(w.places, vec![(List::A, 25)]);
        let rules = ListRules::default();
        let w = w
            .apply(WorkAction::SetListRules(Some(Box::new(rules.clone()))))
            .unwrap();
        assert_eq!(w.list_rules, Some(rules));
        // Saved and restored with the workspace; an older workspace without them reads.
        let back: Work = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!(back, w);
        let old: Work = serde_json::from_str(r#"{"site":"X"}"#).unwrap();
        assert!(old.places.is_empty() && old.list_rules.is_none());
        assert!(w.apply(WorkAction::SetListRules(None)).unwrap().list_rules.is_none());
    }

    #[test]
    fn effort_hours_are_clamped_and_answers_recorded() {
        let w = Work::default()
            .apply(WorkAction::SetEffortHours(0, Deliverer::Prosecutors, -2.0))
            .unwrap();
        assert!(w.efforts[0].hours.contains(&(Deliverer::Prosecutors, 0.0)));
        let w = w
            .apply(WorkAction::SetAnswer("coded-relationship".into(), Answer::Partly))
            .unwrap();
        assert_eq!(
            w.assessment
                .iter()
                .find(|i| i.id == "coded-relationship")
                .unwrap()
                .answer,
            Answer::Partly
        );
        assert!(w.apply(WorkAction::SetAnswer("nope".into(), Answer::Yes)).is_none());
    }

    #[test]
    fn profiles_are_kept_newest_first_and_replaced_by_name() {
        use ipvi_core::import::Profile;
        let a = Profile::new("A");
        let mut b = Profile::new("B");
        let w = Work::default()
            .apply(WorkAction::SaveProfile(Box::new(a.clone())))
            .unwrap()
            .apply(WorkAction::SaveProfile(Box::new(b.clone())))
            .unwrap();
        assert_eq!(
            w.profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["B", "A"]
        );
        b.description = "edited".into();
        let w = w.apply(WorkAction::SaveProfile(Box::new(b.clone()))).unwrap();
        assert_eq!(w.profiles.len(), 2);
        assert_eq!(w.profiles[0].description, "edited");
        assert!(w.apply(WorkAction::SaveProfile(Box::new(b))).is_none());
        assert!(w.apply(WorkAction::RemoveProfile(5)).is_none());
        let w = w.apply(WorkAction::RemoveProfile(0)).unwrap();
        assert_eq!(w.profiles, vec![a]);
        // Saved with the workspace.
        let back: Work = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!(back.profiles, w.profiles);
    }

    #[test]
    fn shareable_is_on_by_default_and_work_round_trips_as_json() {
        let w = Work::default();
        assert!(w.shareable);
        let back: Work = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!(back, w);
        // Older saves without newer fields still load.
        let old: Work = serde_json::from_str("{\"site\":\"X\"}").unwrap();
        assert!(old.shareable && old.site == "X");
    }
}
