//! The whole inquiry as one call: classify every pair, link every person record, and run the
//! offender analysis, with progress and cancel. The worker and `ipvi analyze` both call this.

use crate::classify::CodeTable;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::linkage::{self, Decisions, LinkOutput, LinkRecord, LinkSettings, LinkStats, ReviewPair};
use crate::model::{Dataset, DecisionSource, RelClass};
use crate::notify::{to_case_notifications, NotificationRecord};
use crate::offenders::features::Window;
use crate::offenders::lists::{ListRules, Snapshot};
use crate::offenders::outputs::{analyze, OffenderConfig, OffenderReport};
use crate::offenders::{CaseFile, CaseFileError, Notification, PersonIx};
use crate::textclass::incident::{self, IncidentClasses};
use crate::textclass::offense::{self, OffenseEvidence, OffensePatterns};
use crate::textclass::{self, Overrides, PairDecision, PairPolicy};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Every setting of a run (all data, all editable, all serde).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineConfig {
    pub codes: CodeTable,
    pub policy: PairPolicy,
    pub link: LinkSettings,
    pub offenders: OffenderConfig,
    /// The date the lists are computed as of; `None` = the last incident date in the data.
    pub as_of: Option<Date>,
    /// The analyst's offence patterns; `None` = the built-in table
    /// (`data/text/offense_patterns.tsv`).
    pub offense_patterns: Option<OffensePatterns>,
}

impl PipelineConfig {
    /// The offence patterns of the run: the analyst's, else the built-in table.
    pub fn patterns(&self) -> Result<&OffensePatterns, PipelineError> {
        match &self.offense_patterns {
            Some(p) => Ok(p),
            None => offense::builtin().ok_or(PipelineError::Classifier),
        }
    }
}

/// The analyst's decisions carried from run to run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Kept {
    /// Relationship overrides.
    pub overrides: Overrides,
    /// Linkage review decisions (confirm / split).
    pub link_decisions: Decisions,
    /// Person ids of the previous run, by record id (stable ids).
    pub previous_persons: Vec<(String, u64)>,
    /// The previous run's lists (tiers only escalate).
    pub previous_lists: Snapshot,
    /// Notifications the analyst recorded or imported. Each run maps them to its people (by
    /// record id, else person id; see [`crate::notify::to_case_notifications`]) and adds them to
    /// the timelines and the list rules; those matching nobody become warnings.
    pub notifications: Vec<NotificationRecord>,
    /// The list rules the analyst applied (`None`: the configuration's, by default
    /// `data/list_rules.json`).
    pub list_rules: Option<ListRules>,
}

/// How many pairs each source decided.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCounts {
    pub code: u64,
    pub free_text: u64,
    pub narrative: u64,
    #[serde(default)]
    pub offense: u64,
    pub analyst: u64,
    pub none: u64,
    pub conflicts: u64,
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct PipelineResult {
    pub decisions: Vec<PairDecision>,
    pub pair_class: Vec<RelClass>,
    pub sources: SourceCounts,
    /// The dense person index of each involvement.
    pub person_of: Vec<PersonIx>,
    /// The external person id of each dense index (`P` + the linkage id).
    pub person_ids: Vec<String>,
    /// Linkage person id per involvement (for the next run's stable ids).
    pub link_ids: Vec<u64>,
    pub link_stats: LinkStats,
    pub link_review: Vec<ReviewPair>,
    pub report: OffenderReport,
    pub diagnostics: Vec<Diagnostic>,
    /// The notifications of the run mapped to its people (the `notifications` argument and
    /// [`Kept::notifications`]), sorted by person and date.
    pub notifications: Vec<Notification>,
    /// The whole linkage output, for explanations (`linkage::explain`).
    pub link: LinkOutput,
}

impl PipelineResult {
    /// The case file over `data` (the dataset the run was made on).
    pub fn case_file<'a>(
        &'a self,
        data: &'a Dataset,
        notifications: &'a [Notification],
    ) -> Result<CaseFile<'a>, CaseFileError> {
        CaseFile::new(data, &self.pair_class, &self.person_of, &self.person_ids, notifications)
    }

    /// `record_id,person_id` rows.
    pub fn persons_csv(&self, data: &Dataset) -> String {
        let mut out = String::from("record_id,person_id\n");
        for (inv, &p) in data.involvements.iter().zip(&self.person_of) {
            crate::export::push_csv_row(&mut out, [inv.record_id, self.person_ids[p as usize].as_str()]);
        }
        out
    }
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PipelineError {
    #[error("the user cancelled")]
    Cancelled,
    #[error("linkage: {0}")]
    Link(String),
    #[error("{0}")]
    CaseFile(#[from] CaseFileError),
    #[error("the built-in text classifier did not load; reinstall the analyzer")]
    Classifier,
    #[error("the data has no dated incident, so there is no date to compute the lists as of; give one")]
    NoDate,
}

/// The as-of date the data implies when none is given: the last plausible incident date
/// ([`crate::date::derived_as_of`]: never a placeholder such as 9999-12-31 or a lone date far
/// beyond the rest). The import sets such dates aside already; this holds for any dataset.
pub fn last_date(data: &Dataset) -> Option<Date> {
    crate::date::derived_as_of(data.incidents.iter().filter_map(|i| i.date))
}

/// Whether the people in the data can be told apart across incidents, which offender lists
/// need: `Err` says plainly why not. An export with no person records (one row per incident or
/// offence) or whose person records carry no name and no date of birth (the FBI extract: its
/// victim and offender ids exist only within one incident, and no export here carries a person
/// id kept across incidents) gives incident counts and classes, never lists of anonymous records.
/// `ipvi analyze` and the app both ask this before they link and list.
pub fn identifiable(data: &Dataset) -> Result<(), String> {
    const ASK: &str = "ask the records unit for the person records (victims, suspects, arrestees) \
                       with names and dates of birth";
    if data.involvements.is_empty() {
        return Err(format!(
            "people cannot be identified across incidents: the export has no person records \
             (no names, dates of birth or person ids), so there are no offender lists; {ASK}"
        ));
    }
    let named = data
        .involvements
        .iter()
        .any(|i| !i.last_name.trim().is_empty() || !i.first_name.trim().is_empty() || i.dob.is_some());
    if named {
        Ok(())
    } else {
        Err(format!(
            "people cannot be identified across incidents (no names, dates of birth or person ids \
             in {} person records), so there are no offender lists of anonymous records; {ASK}",
            data.involvements.len()
        ))
    }
}

/// Person record → the fields linkage compares, as owned records (for callers that change them
/// or write them out; the pipeline itself links `data.involvements` in place).
pub fn link_records(data: &Dataset) -> Vec<LinkRecord> {
    data.involvements
        .iter()
        .map(|i| LinkRecord {
            record_id: i.record_id.to_string(),
            source: 0,
            first_name: i.first_name.to_string(),
            middle_name: i.middle_name.to_string(),
            last_name: i.last_name.to_string(),
            suffix: i.suffix.to_string(),
            dob: i.dob,
            sex: i.sex.to_string(),
            address: i.address.to_string(),
            city: i.city.to_string(),
            postcode: i.postcode.to_string(),
            phone: i.phone.to_string(),
            identifier: String::new(),
        })
        .collect()
}

/// The offence evidence of `data`'s incidents under the run's patterns, found once and shared
/// by [`classify_pairs_with`] and [`classify_incidents_with`].
pub fn offense_evidence<'a>(data: &'a Dataset, cfg: &PipelineConfig) -> Result<OffenseEvidence<'a>, PipelineError> {
    Ok(OffenseEvidence::new(data, cfg.patterns()?))
}

/// Classify the pairs of a dataset.
pub fn classify_pairs(
    data: &Dataset,
    cfg: &PipelineConfig,
    overrides: &Overrides,
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Result<(Vec<PairDecision>, SourceCounts), PipelineError> {
    classify_pairs_with(data, cfg, &offense_evidence(data, cfg)?, overrides, progress)
}

/// [`classify_pairs`] with the offence evidence of `data` already found ([`offense_evidence`]).
pub fn classify_pairs_with(
    data: &Dataset,
    cfg: &PipelineConfig,
    offenses: &OffenseEvidence,
    overrides: &Overrides,
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Result<(Vec<PairDecision>, SourceCounts), PipelineError> {
    let classifier = textclass::builtin().ok_or(PipelineError::Classifier)?;
    // Each pair's incident is found once, through the evidence's id index. When an id repeats,
    // the narrative is the last one among its incidents that has one (a map, built only then).
    let repeated: Option<HashMap<&str, &str>> = offenses.repeated_ids().then(|| {
        data.incidents
            .iter()
            .filter_map(|i| i.narrative.map(|n| (i.incident_id, n)))
            .collect()
    });
    let mut decisions = Vec::with_capacity(data.pairs.len());
    let mut counts = SourceCounts::default();
    for (k, pair) in data.pairs.iter().enumerate() {
        if k % 5000 == 0 && !progress("Classifying relationships", k as f32 / data.pairs.len().max(1) as f32) {
            return Err(PipelineError::Cancelled);
        }
        let id = pair.incident_id;
        let row = offenses.pair_row(k);
        let narrative = match &repeated {
            Some(m) => m.get(id).copied(),
            None => row.and_then(|r| data.incidents.get(r)).and_then(|i| i.narrative),
        };
        let offense = match row {
            Some(r) => offenses.of_row(r),
            None => offenses.of_incident(id),
        };
        let d = textclass::combine::decide_dataset_pair(
            classifier,
            &cfg.policy,
            pair,
            &cfg.codes,
            narrative,
            offense.and_then(|o| o.pair_evidence()),
            overrides,
        );
        match d.source {
            DecisionSource::Code => counts.code += 1,
            DecisionSource::FreeText => counts.free_text += 1,
            DecisionSource::Narrative => counts.narrative += 1,
            DecisionSource::Offense => counts.offense += 1,
            DecisionSource::Analyst => counts.analyst += 1,
            DecisionSource::None => counts.none += 1,
        }
        counts.conflicts += u64::from(d.conflict);
        decisions.push(d);
    }
    Ok((decisions, counts))
}

/// The class of every incident (see [`crate::textclass::incident`]) from the pairs' classes
/// of a run and the incidents' offences and domestic flags. For an incident-level export (no
/// pairs), `pair_class` is empty and the offences and flags decide.
pub fn classify_incidents(
    data: &Dataset,
    cfg: &PipelineConfig,
    pair_class: &[RelClass],
) -> Result<IncidentClasses, PipelineError> {
    Ok(classify_incidents_with(data, &offense_evidence(data, cfg)?, pair_class))
}

/// [`classify_incidents`] with the offence evidence of `data` already found
/// ([`offense_evidence`]), as [`classify_pairs_with`] used it.
pub fn classify_incidents_with(data: &Dataset, offenses: &OffenseEvidence, pair_class: &[RelClass]) -> IncidentClasses {
    incident::classify_incidents_with(data, pair_class, offenses)
}

/// Run the inquiry on a dataset.
pub fn run(
    data: &Dataset,
    cfg: &PipelineConfig,
    kept: &Kept,
    notifications: &[Notification],
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Result<PipelineResult, PipelineError> {
    run_with(data, cfg, kept, notifications, &linkage::parallel::Serial, progress)
}

/// [`run`] with the linkage's passes over pairs run by `exec` (threads in the `ipvi` command);
/// the result is the same whatever runs them.
pub fn run_with<E: linkage::parallel::Executor>(
    data: &Dataset,
    cfg: &PipelineConfig,
    kept: &Kept,
    notifications: &[Notification],
    exec: &E,
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Result<PipelineResult, PipelineError> {
    let begun = begin(data, cfg, kept, exec, progress, &mut |_| {})?;
    let parts = begun
        .link
        .score_with(exec, &mut |x| {
            progress(linkage::SCORING_PHASE, Begun::scoring_progress(x))
        })
        .ok_or(PipelineError::Cancelled)?;
    begun.finish(data, cfg, kept, notifications, parts, progress)
}

/// The share of the inquiry done while linking: from 15% to 85%.
const LINKING: (f32, f32) = (0.15, 0.85);

/// An inquiry up to the linkage's scoring pass (see [`begin`]): the pairs classified and the
/// linkage run begun ([`linkage::LinkRun`]). The browser's analysis worker keeps it while its
/// helper workers score the candidate pairs, then calls [`Begun::finish`].
#[derive(Debug)]
pub struct Begun {
    pub link: linkage::LinkRun,
    decisions: Vec<PairDecision>,
    sources: SourceCounts,
    pair_class: Vec<RelClass>,
    as_of: Date,
}

/// The steps of [`run_with`] before the linkage's scoring pass: classify every pair, then
/// [`linkage::begin`] (`on_features` as there).
pub fn begin<E: linkage::parallel::Executor>(
    data: &Dataset,
    cfg: &PipelineConfig,
    kept: &Kept,
    exec: &E,
    progress: &mut dyn FnMut(&str, f32) -> bool,
    on_features: &mut dyn FnMut(&linkage::compare::Features),
) -> Result<Begun, PipelineError> {
    let as_of = cfg.as_of.or_else(|| last_date(data)).ok_or(PipelineError::NoDate)?;
    let mut stage = |name: &str, from: f32, to: f32, f: f32| progress(name, from + (to - from) * f);
    let (decisions, sources) = classify_pairs(data, cfg, &kept.overrides, &mut |s, f| stage(s, 0.0, 0.15, f))?;
    let pair_class: Vec<RelClass> = decisions.iter().map(|d| d.class).collect();
    if !stage("Linking person records", LINKING.0, LINKING.1, 0.0) {
        return Err(PipelineError::Cancelled);
    }
    // The person records are read in place (no owned copy for linkage).
    let link = linkage::begin(
        &data.involvements,
        &cfg.link,
        exec,
        &mut |name, x| stage(name, LINKING.0, LINKING.1, x),
        linkage::CHUNK_PAIRS,
        on_features,
    )
    .map_err(link_error)?;
    Ok(Begun {
        link,
        decisions,
        sources,
        pair_class,
        as_of,
    })
}

fn link_error(e: linkage::LinkError) -> PipelineError {
    match e {
        linkage::LinkError::Cancelled => PipelineError::Cancelled,
        e => PipelineError::Link(e.to_string()),
    }
}

impl Begun {
    /// The inquiry's progress when `x` of the linkage's scoring pass is done.
    pub fn scoring_progress(x: f32) -> f32 {
        LINKING.0 + (LINKING.1 - LINKING.0) * linkage::scoring_share(x)
    }

    /// The rest of the inquiry: the linkage finished with `parts`, the results of every job of
    /// its scoring pass in job order, then the offenders scored and listed. `data`, `cfg` and
    /// `kept` must be the ones [`begin`] was given.
    pub fn finish(
        self,
        data: &Dataset,
        cfg: &PipelineConfig,
        kept: &Kept,
        notifications: &[Notification],
        parts: Vec<linkage::ScoredJob>,
        progress: &mut dyn FnMut(&str, f32) -> bool,
    ) -> Result<PipelineResult, PipelineError> {
        let Begun {
            link,
            decisions,
            sources,
            pair_class,
            as_of,
        } = self;
        if !progress("Clustering", LINKING.0 + (LINKING.1 - LINKING.0) * 0.9) {
            return Err(PipelineError::Cancelled);
        }
        let linked = link.finish(&kept.previous_persons, &data.involvements, &kept.link_decisions, parts);
        finish(
            data,
            cfg,
            kept,
            notifications,
            (decisions, sources, pair_class, as_of),
            linked,
            progress,
        )
    }
}

/// The inquiry after the linkage: people, offender scores and lists.
fn finish(
    data: &Dataset,
    cfg: &PipelineConfig,
    kept: &Kept,
    notifications: &[Notification],
    (decisions, sources, pair_class, as_of): (Vec<PairDecision>, SourceCounts, Vec<RelClass>, Date),
    linked: LinkOutput,
    progress: &mut dyn FnMut(&str, f32) -> bool,
) -> Result<PipelineResult, PipelineError> {
    if !progress("Scoring offenders", 0.85) {
        return Err(PipelineError::Cancelled);
    }
    // Dense person indices in order of first appearance.
    let mut dense: HashMap<u64, PersonIx> = HashMap::new();
    let mut person_ids = Vec::new();
    let person_of: Vec<PersonIx> = linked
        .person_ids
        .iter()
        .map(|&id| {
            *dense.entry(id).or_insert_with(|| {
                person_ids.push(format!("P{id:06}"));
                (person_ids.len() - 1) as PersonIx
            })
        })
        .collect();
    let mut diagnostics = linked.diagnostics.clone();
    let mut all_notes: Vec<Notification> = notifications.to_vec();
    if !kept.notifications.is_empty() {
        let cf0 = CaseFile::new(data, &pair_class, &person_of, &person_ids, &[])?;
        let (mapped, d) = to_case_notifications(&kept.notifications, &cf0, "notifications");
        all_notes.extend(mapped);
        all_notes.sort_by_key(|n| (n.person, n.date));
        diagnostics.extend(d);
    }
    let cf = CaseFile::new(data, &pair_class, &person_of, &person_ids, &all_notes)?;
    let window = Window {
        as_of,
        lookback_days: cfg.offenders.lookback_days,
    };
    let report = match &kept.list_rules {
        Some(rules) => {
            let cfg = OffenderConfig {
                rules: rules.clone(),
                ..cfg.offenders.clone()
            };
            analyze(&cf, window, &cfg, &kept.previous_lists)
        }
        None => analyze(&cf, window, &cfg.offenders, &kept.previous_lists),
    };
    drop(cf);
    progress("Done", 1.0);
    Ok(PipelineResult {
        decisions,
        pair_class,
        sources,
        person_of,
        person_ids,
        link_ids: linked.person_ids.clone(),
        link_stats: linked.stats.clone(),
        link_review: linked.review.clone(),
        report,
        diagnostics,
        notifications: all_notes,
        link: linked,
    })
}
