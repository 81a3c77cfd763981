//! The offender inquiry as the page sees it: what the worker sends after classifying, linking and
//! scoring (the ranked offenders with their timelines, the review queues, the counts by source,
//! the fairness composition and, kept apart, the victim outreach rows for advocates).
//!
//! Built in the worker from the dataset and the [`PipelineResult`]; pure, so it is tested
//! natively. Offender-facing parts ([`InquiryView::offenders`], [`InquiryView::timelines`]) hold
//! no victim information; victims appear only in [`InquiryView::outreach`].

use ipvi_core::date::Date;
use ipvi_core::linkage::explain::{explain_pair, explain_person, FieldContribution, PersonEdge};
use ipvi_core::linkage::LinkStats;
use ipvi_core::model::{Dataset, DecisionSource, RelClass, Role};
use ipvi_core::notify::NotificationRecord;
use ipvi_core::offenders::advocates::{advocates, AdvocateRow};
use ipvi_core::offenders::fairness::{composition, GroupShare};
use ipvi_core::offenders::features::Window;
use ipvi_core::offenders::lists::{ListRules, Snapshot};
use ipvi_core::offenders::outputs::year_on;
use ipvi_core::offenders::outputs::{Offender, OffenderReport};
use ipvi_core::offenders::timeline::{victims_by_offender, Event};
use ipvi_core::offenders::{people, List, PersonIx};
use ipvi_core::pipeline::{PipelineConfig, PipelineResult, SourceCounts};
use ipvi_core::report::assessment::{indicators, Indicator};
use ipvi_core::report::metrics::{from_case, SiteMetrics};
use ipvi_core::report::workload::{flows, ListFlow};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Decisions below this confidence go to the relationship review queue.
pub const REVIEW_CONFIDENCE: f32 = 0.8;
/// At most this many rows in each review queue (the least confident first).
pub const MAX_REVIEW: usize = 500;

/// A relationship decision the analyst should look at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelReview {
    pub incident_id: String,
    pub victim_record_id: String,
    pub offender_record_id: String,
    pub code: Option<String>,
    pub text: Option<String>,
    pub class: RelClass,
    pub confidence: f32,
    pub source: DecisionSource,
    pub reason: String,
    pub conflict: bool,
}

/// One person record, briefly (for linkage review and explanations; analyst screens only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordBrief {
    pub record_id: String,
    pub incident_id: String,
    pub role: String,
    pub name: String,
    pub dob: Option<Date>,
    pub sex: String,
    pub address: String,
}

/// A borderline linkage pair with each field's contribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkReviewRow {
    pub a: RecordBrief,
    pub b: RecordBrief,
    pub probability: f64,
    pub weight: f64,
    pub same_person: bool,
    pub fields: Vec<FieldContribution>,
}

/// A victim of one offender, with contact (advocates only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VictimContact {
    pub person_id: String,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub incidents: Vec<String>,
    pub last_date: Option<Date>,
}

/// An offender's IPV victims (advocates only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outreach {
    pub offender_id: String,
    pub list: List,
    pub victims: Vec<VictimContact>,
}

/// Why a person's records are one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainView {
    pub person_id: String,
    pub records: Vec<RecordBrief>,
    pub edges: Vec<PersonEdge>,
}

/// Everything the inquiry screens show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InquiryView {
    pub window: Window,
    /// Ranked, rank 1 first (offender-facing: no victim information).
    pub offenders: Vec<Offender>,
    /// The timeline of each offender, in the order of `offenders`.
    pub timelines: Vec<Vec<Event>>,
    pub snapshot: Snapshot,
    pub sources: SourceCounts,
    pub link_stats: LinkStats,
    pub relationship_review: Vec<RelReview>,
    pub link_review: Vec<LinkReviewRow>,
    pub fairness: Vec<GroupShare>,
    /// Victims per offender: advocates only, never on the offender list or person page.
    pub outreach: Vec<Outreach>,
    pub incidents: u64,
    pub records: u64,
    pub pairs: u64,
    pub people: u64,
    pub diagnostics: u64,
    /// The site's aggregate metrics (internal: every count; the report screen suppresses them in
    /// shareable mode). No names, no record ids.
    #[serde(default)]
    pub metrics: Option<SiteMetrics>,
    /// What the data shows for the site assessment.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Each list's stock (people on it now) and inflow (entered in the last 12 months)
    /// ([`ipvi_core::report::workload::flows`]); the capacity is computed on the page.
    #[serde(default)]
    pub inflow: Inflow,
    /// Notifications that came with the data (a sample jurisdiction generated with an
    /// intervention), to add to the analyst's notification list.
    #[serde(default)]
    pub loaded_notifications: Vec<NotificationRecord>,
    /// The notifications of this run matched to people (recorded ones that matched nobody are
    /// counted in `diagnostics`).
    #[serde(default)]
    pub notifications_matched: u64,
    /// The advocates' export rows ([`ipvi_core::offenders::advocates`]): one per IPV victim in
    /// the window, with only what advocates need. Advocates only, like `outreach`.
    #[serde(default)]
    pub advocates: Vec<AdvocateRow>,
    /// The dataset's pairs and classes as the page shows them for every input (class summary,
    /// offences, victims by sex, the pairs table), and whether people can be identified.
    #[serde(default)]
    pub data: crate::dataset_view::DatasetView,
    /// The list rules the lists were made with (`None`: the defaults).
    #[serde(default)]
    pub list_rules: Option<ipvi_core::offenders::lists::ListRules>,
    /// The implementation measures of this run's notification records and advocates' contacts
    /// (counts and days only: no names, no victims).
    #[serde(default)]
    pub fidelity: Option<ipvi_core::fidelity::Fidelity>,
}

impl InquiryView {
    /// The offender with this person id, with its timeline.
    pub fn offender(&self, person_id: &str) -> Option<(&Offender, &[Event])> {
        let i = self.offenders.iter().position(|o| o.info.person_id == person_id)?;
        Some((
            &self.offenders[i],
            self.timelines.get(i).map(Vec::as_slice).unwrap_or(&[]),
        ))
    }

    /// The report the core's exports take (timelines left out: the sheets do not use them).
    pub fn report(&self) -> OffenderReport {
        OffenderReport {
            window: self.window,
            offenders: self.offenders.clone(),
            timelines: Vec::new(),
            snapshot: self.snapshot.clone(),
        }
    }
}

fn role_text(r: Option<Role>) -> String {
    r.map(|r| format!("{r:?}").to_lowercase()).unwrap_or_default()
}

/// A record of the dataset, briefly.
pub fn brief(data: &Dataset, ix: usize) -> RecordBrief {
    let Some(i) = data.involvements.get(ix) else {
        return RecordBrief::default();
    };
    let name = [i.first_name, i.middle_name, i.last_name, i.suffix]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    RecordBrief {
        record_id: i.record_id.to_string(),
        incident_id: i.incident_id.to_string(),
        role: role_text(i.role),
        name,
        dob: i.dob,
        sex: i.sex.to_string(),
        address: [i.address, i.city]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn record_index(data: &Dataset) -> HashMap<&str, usize> {
    data.involvements
        .iter()
        .enumerate()
        .map(|(k, i)| (i.record_id, k))
        .collect()
}

/// Build the view of a run made with `rules` (`None`: the default list rules).
pub fn build_view(data: &Dataset, result: &PipelineResult, rules: Option<&ListRules>) -> InquiryView {
    let report = &result.report;
    let timelines = report
        .offenders
        .iter()
        .map(|o| {
            report
                .timelines
                .get(o.info.person as usize)
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let mut relationship_review: Vec<RelReview> = data
        .pairs
        .iter()
        .zip(&result.decisions)
        .filter(|(_, d)| d.source != DecisionSource::Analyst && (d.conflict || d.confidence < REVIEW_CONFIDENCE))
        .map(|(p, d)| RelReview {
            incident_id: p.incident_id.to_string(),
            victim_record_id: p.victim_record_id.to_string(),
            offender_record_id: p.offender_record_id.to_string(),
            code: p.relationship_code.map(Into::into),
            text: p.relationship_text.map(Into::into),
            class: d.class,
            confidence: d.confidence,
            source: d.source,
            reason: d.reason.clone(),
            conflict: d.conflict,
        })
        .collect();
    relationship_review.sort_by(|a, b| {
        b.conflict
            .cmp(&a.conflict)
            .then(a.confidence.total_cmp(&b.confidence))
            .then_with(|| a.incident_id.cmp(&b.incident_id))
    });
    relationship_review.truncate(MAX_REVIEW);

    let index = record_index(data);
    let link_positions: HashMap<&str, usize> = result
        .link
        .record_ids
        .iter()
        .enumerate()
        .map(|(k, r)| (r.as_str(), k))
        .collect();
    let mut review: Vec<_> = result.link_review.iter().collect();
    review.sort_by(|a, b| (a.probability - 0.5).abs().total_cmp(&(b.probability - 0.5).abs()));
    let link_review = review
        .into_iter()
        .take(MAX_REVIEW)
        .filter_map(|r| {
            let (i, j) = (
                *link_positions.get(r.record_a.as_str())?,
                *link_positions.get(r.record_b.as_str())?,
            );
            let e = explain_pair(&result.link, i, j);
            Some(LinkReviewRow {
                a: brief(data, *index.get(r.record_a.as_str())?),
                b: brief(data, *index.get(r.record_b.as_str())?),
                probability: r.probability,
                weight: r.weight,
                same_person: r.same_person,
                fields: e.fields,
            })
        })
        .collect();

    let (metrics, inflow) = match report_parts(data, result, rules) {
        Some((m, i)) => (Some(m), i),
        None => (None, Vec::new()),
    };
    let (fairness, outreach, people_count) = match result.case_file(data, &[]) {
        Ok(cf) => {
            let infos = people::people(&cf);
            let assignments: Vec<_> = report.offenders.iter().map(|o| o.assignment.clone()).collect();
            let fairness = composition(&assignments, &infos);
            // The latest record with a phone or address of each person: their contact.
            let mut contact: HashMap<PersonIx, usize> = HashMap::new();
            for (k, (inv, &p)) in data.involvements.iter().zip(&result.person_of).enumerate() {
                if !inv.phone.is_empty() || !inv.address.is_empty() {
                    contact.insert(p, k);
                }
            }
            let victims_of = victims_by_offender(&cf);
            let outreach = report
                .offenders
                .iter()
                .map(|o| {
                    let mut victims: Vec<VictimContact> = Vec::new();
                    for v in victims_of.get(o.info.person as usize).cloned().unwrap_or_default() {
                        let pid = result.person_ids.get(v.victim as usize).cloned().unwrap_or_default();
                        if let Some(c) = victims.iter_mut().find(|c| c.person_id == pid) {
                            c.incidents.push(v.incident_id);
                            c.last_date = c.last_date.max(v.date);
                            continue;
                        }
                        let info = infos.get(v.victim as usize);
                        let rec = contact.get(&v.victim).and_then(|&k| data.involvements.get(k));
                        victims.push(VictimContact {
                            person_id: pid,
                            name: info.map(|i| i.name.clone()).unwrap_or_default(),
                            phone: rec.map(|r| r.phone).unwrap_or_default().to_string(),
                            address: rec
                                .map(|r| format!("{}, {} {}", r.address, r.city, r.postcode))
                                .unwrap_or_default(),
                            incidents: vec![v.incident_id],
                            last_date: v.date,
                        });
                    }
                    Outreach {
                        offender_id: o.info.person_id.clone(),
                        list: o.assignment.list,
                        victims,
                    }
                })
                .collect();
            (fairness, outreach, infos.len() as u64)
        }
        Err(_) => (Vec::new(), Vec::new(), result.person_ids.len() as u64),
    };

    InquiryView {
        window: report.window,
        offenders: report.offenders.clone(),
        timelines,
        snapshot: report.snapshot.clone(),
        sources: result.sources.clone(),
        link_stats: result.link_stats.clone(),
        relationship_review,
        link_review,
        fairness,
        outreach,
        incidents: data.incidents.len() as u64,
        records: data.involvements.len() as u64,
        pairs: data.pairs.len() as u64,
        people: people_count,
        diagnostics: result.diagnostics.len() as u64,
        metrics,
        indicators: indicators(data, &result.pair_class),
        inflow,
        loaded_notifications: Vec::new(),
        notifications_matched: result.notifications.len() as u64,
        advocates: result
            .case_file(data, &result.notifications)
            .map(|cf| advocates(&cf, report))
            .unwrap_or_default(),
        data: Default::default(),
        list_rules: None,
        fidelity: None,
    }
}

/// What the view may hold when people cannot be identified across incidents (no names, dates
/// of birth or person ids): no offender list, timelines, outreach, advocates' rows or linkage
/// review of anonymous records, and the report drawn from the incidents alone (each classed by
/// its most serious pair, else its offences and domestic flags: `report::metrics::from_incidents`,
/// as `ipvi report` does), saying what such data cannot show.
pub fn without_people(mut view: InquiryView, data: &Dataset, pair_class: &[RelClass]) -> InquiryView {
    view.offenders.clear();
    view.timelines.clear();
    view.snapshot = Snapshot::default();
    view.link_review.clear();
    view.fairness.clear();
    view.outreach.clear();
    view.advocates.clear();
    view.inflow.clear();
    view.people = 0;
    let mut m = ipvi_core::report::metrics::from_incidents(data, pair_class, "");
    for u in &mut m.unavailable {
        u.reason = CANNOT_IDENTIFY.to_string();
    }
    view.metrics = Some(m);
    view
}

/// Why there is no offender list for data without names, dates of birth or person ids.
pub const CANNOT_IDENTIFY: &str = "people cannot be identified across incidents in this data (no names, dates of \
     birth or person ids), so one person's incidents cannot be linked and no offender list is made: this needs \
     an export with names and dates of birth";

/// Each list's stock and inflow of the last 12 months, A first ([`ipvi_core::report::workload::flows`]).
pub type Inflow = Vec<ListFlow>;

/// The report's inputs from a run made with `rules` (`None`: the defaults), as `ipvi report`
/// computes them: the lists a year before the
/// run's date, the lists now escalating from them (the flow between lists and the inflow of the
/// last 12 months), and the site metrics over that flow. `None` when no case file can be built.
pub fn report_parts(
    data: &Dataset,
    result: &PipelineResult,
    rules: Option<&ListRules>,
) -> Option<(SiteMetrics, Inflow)> {
    let cf = result.case_file(data, &result.notifications).ok()?;
    let mut cfg = PipelineConfig::default();
    if let Some(r) = rules {
        cfg.offenders.rules = r.clone();
    }
    let flow = year_on(&cf, result.report.window, &cfg.offenders);
    let inflow = flows(&flow);
    Some((from_case(&cf, &flow, ""), inflow))
}

/// Why the records of `person_id` (`P000123`) are one person; `None` for an unknown id.
pub fn explain(data: &Dataset, result: &PipelineResult, person_id: &str) -> Option<ExplainView> {
    let dense = result.person_ids.iter().position(|p| p == person_id)?;
    let inv = result.person_of.iter().position(|&p| p as usize == dense)?;
    let link_id = *result.link_ids.get(inv)?;
    let e = explain_person(&result.link, link_id);
    let index = record_index(data);
    Some(ExplainView {
        person_id: person_id.to_string(),
        records: e
            .records
            .iter()
            .filter_map(|r| index.get(r.as_str()).map(|&k| brief(data, k)))
            .collect(),
        edges: e.edges,
    })
}

/// `offenders.csv`: `person_id,list,score,harm,recency_days,frequency,victims,reasons`, cells
/// neutralised by the core.
pub fn offenders_csv(view: &InquiryView) -> String {
    ipvi_core::offenders::outputs::offenders_sheet(&view.report())
        .synthetic(view.data.synthetic)
        .to_csv()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;
    use ipvi_core::input::InputFile;
    use ipvi_core::pipeline::{run, Kept, PipelineConfig};
    use ipvi_core::synth::{calibration::calibrate, export::export, generate, SynthConfig};

    /// A small synthetic jurisdiction and its inquiry (also for the view's pieces' test).
    pub(crate) fn small() -> (Dataset, PipelineResult) {
        let cfg = SynthConfig {
            population: 3000,
            years: 2,
            ..SynthConfig::default()
        };
        let j = generate(&cfg, &mut |_| true).unwrap();
        let files = export(&j, &calibrate(&j)).unwrap();
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .filter(|(n, _)| !n.starts_with("truth/"))
            .map(|(n, b)| InputFile { name: n, bytes: b })
            .collect();
        let data = ipvi_core::import::import_files(&inputs, None, None).unwrap().0.dataset;
        let r = run(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |_, _| {
            true
        })
        .unwrap();
        (data, r)
    }

    #[test]
    fn the_view_keeps_victims_out_of_the_offender_facing_parts() {
        let (data, r) = small();
        let v = build_view(&data, &r, None);
        assert!(!v.offenders.is_empty());
        assert_eq!(v.offenders.len(), v.timelines.len());
        assert!(v.offenders.windows(2).all(|w| w[0].score.rank <= w[1].score.rank));
        let victim_names: Vec<&str> = v
            .outreach
            .iter()
            .flat_map(|o| o.victims.iter().map(|c| c.name.as_str()))
            .filter(|n| n.len() > 3)
            .collect();
        assert!(!victim_names.is_empty());
        let offender_text = serde_json::to_string(&(&v.offenders, &v.timelines)).unwrap();
        let offender_names: Vec<&str> = v.offenders.iter().map(|o| o.info.name.as_str()).collect();
        // A victim who is never an offender is never named in the offender-facing parts.
        let only_victims: Vec<&&str> = victim_names.iter().filter(|n| !offender_names.contains(n)).collect();
        assert!(!only_victims.is_empty());
        for n in only_victims.iter().take(50) {
            assert!(!offender_text.contains(**n), "victim name in offender-facing data");
        }
        // The advocates' rows: victims only, nothing from narratives.
        assert!(!v.advocates.is_empty());
        let adv = ipvi_core::offenders::advocates::advocates_sheet(&v.advocates).to_csv();
        for inc in &data.incidents {
            if let Some(n) = inc.narrative.filter(|n| n.len() >= 20) {
                assert!(!adv.contains(n), "a narrative in the advocates' export");
            }
        }
        // The report's metrics and inflow come with the view, without names.
        let m = v.metrics.as_ref().expect("metrics");
        assert!(m.harm.is_some() && m.lists.is_some());
        assert_eq!(v.inflow.len(), 4);
        assert!(!v.indicators.is_empty());
        let mj = serde_json::to_string(m).unwrap();
        for o in v.offenders.iter().take(50) {
            assert!(!mj.contains(&o.info.person_id) && (o.info.name.len() < 4 || !mj.contains(&o.info.name)));
        }
        let csv = offenders_csv(&v);
        assert!(csv.starts_with("person_id,list,score,harm,recency_days,frequency,victims,reasons\n"));
        assert!(v
            .relationship_review
            .iter()
            .all(|r| r.conflict || r.confidence < REVIEW_CONFIDENCE));
        assert!(!v.fairness.is_empty());
        let pid = &v.offenders[0].info.person_id;
        let e = explain(&data, &r, pid).unwrap();
        assert!(!e.records.is_empty());
        assert!(explain(&data, &r, "P-none").is_none());
    }
}
