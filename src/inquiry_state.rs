//! The offender inquiry's part of the app state: the last inquiry, the open person,
//! and the analyst's decisions kept from run to run ([`Kept`], serialisable so a workspace can
//! save it). Pure and tested natively; [`crate::state::AppState`] holds one and forwards
//! [`InquiryAction`]s to it.

use crate::inquiry::{ExplainView, InquiryView};
use crate::protocol::Timings;
use crate::shared::Shared;
use ipvi_core::pipeline::Kept;
use ipvi_core::textclass::combine::Override;
use std::rc::Rc;

/// A finished inquiry.
#[derive(Clone, Debug, PartialEq)]
pub struct InquiryLoaded {
    pub job_id: u32,
    /// The worker generation that holds its dataset (reruns and explanations need it).
    pub generation: u32,
    /// What was analysed ("Sample jurisdiction …", file names).
    pub source: String,
    pub view: Shared<InquiryView>,
    pub timings: Timings,
    pub decode_ms: f64,
}

/// The inquiry's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InquiryState {
    pub loaded: Option<InquiryLoaded>,
    /// The analyst's decisions and the last lists, applied on the next run (shared: the page's
    /// state is copied on every action, and the last lists of a large inquiry are large).
    pub kept: Rc<Kept>,
    /// The person page open (a person id), if any.
    pub person: Option<String>,
    /// Why the open person's records are one person (from the worker).
    pub explained: Option<Shared<ExplainView>>,
    /// Decisions made since the last run (to say "apply them").
    pub unapplied: u32,
}

/// What the analyst did on the inquiry screens.
#[derive(Clone, Debug, PartialEq)]
pub enum InquiryAction {
    OpenPerson(String),
    ClosePerson,
    /// Set a pair's relationship class (kept as an override).
    SetOverride(Override),
    /// Drop an override.
    RemoveOverride {
        incident_id: String,
        victim_record_id: String,
        offender_record_id: String,
    },
    /// Confirm (`same = true`) or split two records; kept for the next linkage.
    LinkDecision {
        record_a: String,
        record_b: String,
        same: bool,
    },
    /// Forget every decision and the last lists.
    ForgetDecisions,
}

fn same_pair(p: &(String, String), a: &str, b: &str) -> bool {
    (p.0 == a && p.1 == b) || (p.0 == b && p.1 == a)
}

impl InquiryState {
    /// A new inquiry arrived: show it, and keep its lists for the next run's changes.
    pub fn arrived(&mut self, loaded: InquiryLoaded) {
        Rc::make_mut(&mut self.kept).previous_lists = loaded.view.snapshot.clone();
        if let Some(p) = &self.person {
            if loaded.view.offender(p).is_none() {
                self.person = None;
            }
        }
        self.explained = None;
        self.unapplied = 0;
        self.loaded = Some(loaded);
    }

    /// A new job started: the old result goes.
    pub fn cleared(&mut self) {
        self.loaded = None;
        self.explained = None;
    }

    /// The worker explained a person; kept only if it is the one open.
    pub fn explanation(&mut self, person_id: String, explanation: Option<Box<ExplainView>>) -> bool {
        if self.person.as_deref() != Some(person_id.as_str()) {
            return false;
        }
        self.explained = explanation.map(|e| Shared(Rc::new(*e)));
        true
    }

    /// The state after an action; `None` when nothing changes.
    pub fn apply(&self, action: InquiryAction) -> Option<InquiryState> {
        let mut next = self.clone();
        match action {
            InquiryAction::OpenPerson(p) => {
                if self.person.as_deref() == Some(p.as_str()) {
                    return None;
                }
                next.person = Some(p);
                next.explained = None;
            }
            InquiryAction::ClosePerson => {
                next.person.take()?;
                next.explained = None;
            }
            InquiryAction::SetOverride(o) => {
                let same = self
                    .kept
                    .overrides
                    .get(&o.incident_id, &o.victim_record_id, &o.offender_record_id)
                    .is_some_and(|x| *x == o);
                if same {
                    return None;
                }
                Rc::make_mut(&mut next.kept).overrides.set(o);
                next.unapplied += 1;
            }
            InquiryAction::RemoveOverride {
                incident_id,
                victim_record_id,
                offender_record_id,
            } => {
                Rc::make_mut(&mut next.kept)
                    .overrides
                    .remove(&incident_id, &victim_record_id, &offender_record_id)?;
                next.unapplied += 1;
            }
            InquiryAction::LinkDecision {
                record_a,
                record_b,
                same,
            } => {
                if record_a == record_b {
                    return None;
                }
                let d = &mut Rc::make_mut(&mut next.kept).link_decisions;
                d.confirm.retain(|p| !same_pair(p, &record_a, &record_b));
                d.split.retain(|p| !same_pair(p, &record_a, &record_b));
                if same {
                    d.confirm.push((record_a, record_b));
                } else {
                    d.split.push((record_a, record_b));
                }
                if next.kept.link_decisions == self.kept.link_decisions {
                    return None;
                }
                next.unapplied += 1;
            }
            InquiryAction::ForgetDecisions => {
                if *self.kept == Kept::default() {
                    return None;
                }
                next.kept = Rc::default();
                next.unapplied = 0;
            }
        }
        Some(next)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ipvi_core::model::RelClass;

    fn ov(class: RelClass) -> Override {
        Override {
            incident_id: "I1".into(),
            victim_record_id: "R1".into(),
            offender_record_id: "R2".into(),
            class,
            note: String::new(),
            by: String::new(),
            date: String::new(),
        }
    }

    #[test]
    fn person_pages_open_and_close() {
        let s = InquiryState::default();
        let s = s.apply(InquiryAction::OpenPerson("P000001".into())).unwrap();
        assert_eq!(s.person.as_deref(), Some("P000001"));
        assert!(s.apply(InquiryAction::OpenPerson("P000001".into())).is_none());
        let s = s.apply(InquiryAction::ClosePerson).unwrap();
        assert!(s.person.is_none());
        assert!(s.apply(InquiryAction::ClosePerson).is_none());
    }

    #[test]
    fn explanations_only_for_the_open_person() {
        let mut s = InquiryState::default()
            .apply(InquiryAction::OpenPerson("P1".into()))
            .unwrap();
        let e = ExplainView {
            person_id: "P2".into(),
            records: vec![],
            edges: vec![],
        };
        assert!(!s.explanation("P2".into(), Some(Box::new(e.clone()))));
        assert!(s.explained.is_none());
        let e1 = ExplainView {
            person_id: "P1".into(),
            ..e
        };
        assert!(s.explanation("P1".into(), Some(Box::new(e1))));
        assert_eq!(s.explained.as_ref().unwrap().person_id, "P1");
        let s = s.apply(InquiryAction::OpenPerson("P3".into())).unwrap();
        assert!(s.explained.is_none());
    }

    #[test]
    fn overrides_are_kept_and_counted() {
        let s = InquiryState::default();
        let s = s
            .apply(InquiryAction::SetOverride(ov(RelClass::IntimatePartner)))
            .unwrap();
        assert_eq!(s.unapplied, 1);
        assert_eq!(
            s.kept.overrides.get("I1", "R1", "R2").unwrap().class,
            RelClass::IntimatePartner
        );
        assert!(s
            .apply(InquiryAction::SetOverride(ov(RelClass::IntimatePartner)))
            .is_none());
        let s = s.apply(InquiryAction::SetOverride(ov(RelClass::OtherFamily))).unwrap();
        assert_eq!(s.kept.overrides.len(), 1);
        assert_eq!(
            s.kept.overrides.get("I1", "R1", "R2").unwrap().class,
            RelClass::OtherFamily
        );
        let remove = InquiryAction::RemoveOverride {
            incident_id: "I1".into(),
            victim_record_id: "R1".into(),
            offender_record_id: "R2".into(),
        };
        let s = s.apply(remove.clone()).unwrap();
        assert_eq!(s.kept.overrides.len(), 0);
        assert!(s.apply(remove).is_none());
        // The kept decisions serialise (a workspace saves them).
        let json = serde_json::to_string(&*s.kept).unwrap();
        assert_eq!(serde_json::from_str::<Kept>(&json).unwrap(), *s.kept);
    }

    #[test]
    fn link_decisions_replace_each_other_in_either_order() {
        let s = InquiryState::default();
        let confirm = |a: &str, b: &str, same| InquiryAction::LinkDecision {
            record_a: a.into(),
            record_b: b.into(),
            same,
        };
        let s = s.apply(confirm("A", "B", true)).unwrap();
        assert_eq!(s.kept.link_decisions.confirm, vec![("A".to_string(), "B".to_string())]);
        assert!(s.apply(confirm("A", "B", true)).is_none());
        let s = s.apply(confirm("B", "A", false)).unwrap();
        assert!(s.kept.link_decisions.confirm.is_empty());
        assert_eq!(s.kept.link_decisions.split, vec![("B".to_string(), "A".to_string())]);
        assert!(s.apply(confirm("A", "A", true)).is_none());
        assert_eq!(s.unapplied, 2);
        let s = s.apply(InquiryAction::ForgetDecisions).unwrap();
        assert_eq!(*s.kept, Kept::default());
        assert!(s.apply(InquiryAction::ForgetDecisions).is_none());
    }
}
