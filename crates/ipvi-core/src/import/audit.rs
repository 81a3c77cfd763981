//! The data-quality audit: can this export tell intimate-partner violence apart from other
//! family violence, and what stands in the way?
//!
//! From an [`ImportOutcome`]: pairs by relationship class and by where the class came from
//! (code, free text, narrative, offence — the same decision as the pipeline's,
//! [`crate::textclass::combine::decide_dataset_pair`]), incidents by class (from their pairs,
//! else their offences and domestic flags: [`crate::textclass::incident`]), the share of
//! domestic pairs whose relationship is usable, codes
//! that disagree with the free text or narrative (the conflict flag of
//! [`crate::textclass::decide_pair`]), months with no or few incidents, duplicate and identical
//! records, missing dates of birth, all broken down by agency and year, and a readiness verdict
//! with its reasons. The thresholds are data ([`AuditThresholds`]). The audit holds counts only:
//! no names, no ids.

use super::profile::Profile;
use super::validate::ImportOutcome;
use crate::classify::CodeTable;
use crate::diag::FileSummary;
use crate::model::{DecisionSource, PairRef, RelClass};
use crate::textclass::combine::decide_dataset_pair;
use crate::textclass::incident::{classify_incidents_with, IncidentClass};
use crate::textclass::offense::{self, OffenseEvidence, OffenseMatch, OffensePatterns};
use crate::textclass::{Overrides, PairPolicy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Thresholds of the readiness verdict: editable defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditThresholds {
    /// Ready when at least this share of domestic pairs has a usable relationship.
    pub ready_usable_share: f64,
    /// Not ready below this share.
    pub caution_usable_share: f64,
    /// A caution when more than this share of person records has no date of birth.
    pub max_missing_dob_share: f64,
    /// A caution when more than this share of rows was rejected.
    pub max_rejected_share: f64,
    /// A month with fewer incidents than this share of the agency's median month is "low".
    pub low_month_share: f64,
}

impl Default for AuditThresholds {
    fn default() -> Self {
        AuditThresholds {
            ready_usable_share: 0.8,
            caution_usable_share: 0.6,
            max_missing_dob_share: 0.3,
            max_rejected_share: 0.02,
            low_month_share: 0.25,
        }
    }
}

/// A month with no or few incidents for an agency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthGap {
    pub agency: String,
    /// `YYYY-MM`.
    pub month: String,
    pub incidents: u64,
    /// The agency's median month.
    pub median: u64,
}

/// Counts for one agency and year.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    pub agency: String,
    /// `None`: incidents without a readable date.
    pub year: Option<i32>,
    pub incidents: u64,
    pub pairs: u64,
    pub domestic_pairs: u64,
    pub usable_relationship: u64,
    pub unknown_relationship: u64,
    pub ipv_pairs: u64,
    pub conflicts: u64,
    pub persons: u64,
    pub missing_dob: u64,
    pub usable_relationship_share: f64,
}

/// How ready the data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    Ready,
    Caution,
    NotReady,
}

/// The verdict and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub readiness: Readiness,
    /// One sentence: "IPV can be distinguished for 91% of domestic pairs; 9% have an unknown relationship".
    pub headline: String,
    pub reasons: Vec<String>,
}

/// The audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    pub profile: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub files: Vec<FileSummary>,
    pub incidents: u64,
    pub persons: u64,
    pub pairs: u64,
    /// Class name → pairs, every class listed.
    pub pairs_by_class: BTreeMap<String, u64>,
    /// Source (code, free_text, narrative, none) → pairs.
    pub pairs_by_source: BTreeMap<String, u64>,
    /// What "domestic" means here: the agency's flags or all pairs.
    pub domestic_basis: String,
    pub domestic_pairs: u64,
    pub usable_relationship_share: f64,
    pub unknown_relationship_share: f64,
    /// Intimate-partner pairs among domestic pairs with a usable relationship.
    pub ipv_share_of_usable: f64,
    /// Pairs whose code disagrees with the free text, narrative or offence.
    pub conflicts: u64,
    /// Class name → incidents, every class listed: the names of `pairs_by_class` plus
    /// `domestic_unspecified` (marked domestic by a flag or a generic offence, relationship not
    /// known) and `not_domestic` (no pair and nothing domestic). An incident takes the class of
    /// its most serious pair (intimate partner, then other family, then domestic unspecified).
    #[serde(default)]
    pub incidents_by_class: BTreeMap<String, u64>,
    /// Incidents classed intimate partner, other family or domestic unspecified.
    #[serde(default)]
    pub domestic_incidents: u64,
    pub months_with_gaps: Vec<MonthGap>,
    pub duplicate_ids: u64,
    pub identical_rows: u64,
    /// Dates set aside as implausible (before 1900-01-01, or more than a year after the as-of
    /// date): their rows were used with the date missing.
    #[serde(default)]
    pub implausible_dates: u64,
    pub persons_missing_dob: u64,
    pub missing_dob_share: f64,
    pub by_agency_year: Vec<GroupStats>,
    pub verdict: Verdict,
}

fn share(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The class of one pair, where it came from, and whether sources disagree: the pipeline's
/// decision ([`decide_dataset_pair`]) with `codes` (the profile's local relationship codes
/// already joined, see [`CodeTable::with_local`]) and the incident's offence evidence. A free
/// text that is exactly one of the profile's local relationship codes counts as that code's
/// class when no code decides.
pub fn classify_pair(
    pair: PairRef<'_>,
    narrative: Option<&str>,
    offense: Option<&OffenseMatch>,
    profile: &Profile,
    codes: &CodeTable,
    policy: &PairPolicy,
) -> (RelClass, DecisionSource, bool) {
    let Some(classifier) = crate::textclass::builtin() else {
        return (RelClass::Unknown, DecisionSource::None, false);
    };
    let d = decide_dataset_pair(
        classifier,
        policy,
        pair,
        codes,
        narrative,
        offense,
        &Overrides::default(),
    );
    if d.source != DecisionSource::Code {
        let text = pair.relationship_text.map(|t| t.trim().to_ascii_uppercase());
        if let Some(cl) = text.and_then(|t| profile.relationship_codes.get(&t)) {
            return (*cl, DecisionSource::FreeText, false);
        }
    }
    (d.class, d.source, d.conflict)
}

/// Audit an import with the built-in offence patterns.
pub fn audit(out: &ImportOutcome, profile: &Profile, codes: &CodeTable, th: &AuditThresholds) -> Audit {
    match offense::builtin() {
        Some(p) => audit_with(out, profile, codes, p, th),
        None => audit_with(out, profile, codes, &OffensePatterns::new(Vec::new()), th),
    }
}

/// Audit an import with the analyst's offence patterns.
pub fn audit_with(
    out: &ImportOutcome,
    profile: &Profile,
    codes: &CodeTable,
    patterns: &OffensePatterns,
    th: &AuditThresholds,
) -> Audit {
    let ds = &out.dataset;
    let policy = PairPolicy::default();
    let codes = &codes.with_local(&profile.relationship_codes);
    // The offence evidence, found once; its incident id → row index serves the whole audit.
    let offenses = OffenseEvidence::new(ds, patterns);
    let mut pair_class = Vec::with_capacity(ds.pairs.len());
    let markers = ds.incidents.iter().any(|i| i.domestic_flag.is_some()) || ds.pairs.iter().any(|p| p.dv_circumstance);
    let mut groups: BTreeMap<(String, Option<i32>), GroupStats> = BTreeMap::new();
    // Each incident's group (agency, year) as a number, found once: the pairs and persons
    // count into a vector by that number instead of building the group's key for each record.
    let mut group_numbers: HashMap<(&str, Option<i32>), usize> = HashMap::new();
    let mut group_stats: Vec<GroupStats> = Vec::new();
    let mut incident_group: Vec<u32> = Vec::with_capacity(ds.incidents.len());
    for inc in &ds.incidents {
        let key = (inc.agency, inc.date.map(|d| d.year()));
        let next = group_numbers.len();
        let n = *group_numbers.entry(key).or_insert(next);
        if n == group_stats.len() {
            group_stats.push(GroupStats::default());
        }
        group_stats[n].incidents += 1;
        incident_group.push(n as u32);
    }
    // Records of no incident read: the group with no agency and no year.
    let orphan = match group_numbers.get(&("", None)) {
        Some(&n) => n,
        None => {
            group_stats.push(GroupStats::default());
            group_stats.len() - 1
        }
    };
    let group_of = |iid: &str| -> usize { offenses.row_of(iid).map_or(orphan, |i| incident_group[i] as usize) };
    let mut touched = vec![false; group_stats.len()];
    for &n in &incident_group {
        touched[n as usize] = true;
    }
    // Pairs by class, counted by the class's place in `RelClass::ALL` (named once, at the end).
    let mut class_counts = [0u64; RelClass::ALL.len()];
    // Pairs by source, counted by the order each source is first met, named once at the end.
    let mut source_counts: Vec<(DecisionSource, u64)> = Vec::new();
    let (mut domestic, mut usable, mut unknown, mut ipv, mut conflicts) = (0u64, 0u64, 0u64, 0u64, 0u64);
    // Decisions of pairs without a narrative by (code, free text, offence evidence), at most
    // MEMO_LIMIT of them (free texts may all differ).
    const MEMO_LIMIT: usize = 1 << 16;
    type Key<'k> = (Option<&'k str>, Option<&'k str>, Option<*const OffenseMatch>);
    let mut decided: HashMap<Key, (RelClass, DecisionSource, bool)> = HashMap::new();
    for (k, p) in ds.pairs.iter().enumerate() {
        let row = offenses.pair_row(k);
        let inc = row.and_then(|i| ds.incidents.get(i));
        let narrative = inc.and_then(|i| i.narrative);
        let offense = match row {
            Some(r) => offenses.of_row(r),
            None => offenses.of_incident(p.incident_id),
        }
        .and_then(|o| o.pair_evidence());
        // A pair with no narrative is decided by its code, free text and offence alone: the
        // same three give the same decision, found once (exports repeat a few codes and texts).
        let memo_key = narrative.is_none_or(|n| n.trim().is_empty()).then(|| {
            (
                p.relationship_code,
                p.relationship_text,
                offense.map(std::ptr::from_ref),
            )
        });
        let known = memo_key.and_then(|k| decided.get(&k).copied());
        let (class, source, conflict) = match known {
            Some(d) => d,
            None => {
                let d = classify_pair(p, narrative, offense, profile, codes, &policy);
                if let Some(k) = memo_key.filter(|_| decided.len() < MEMO_LIMIT) {
                    decided.insert(k, d);
                }
                d
            }
        };
        pair_class.push(class);
        if let Some(k) = RelClass::ALL.iter().position(|&c| c == class) {
            class_counts[k] += 1;
        }
        match source_counts.iter_mut().find(|(s, _)| *s == source) {
            Some((_, n)) => *n += 1,
            None => source_counts.push((source, 1)),
        }
        let is_domestic = if markers {
            class.is_domestic() || p.dv_circumstance || inc.is_some_and(|i| i.domestic_flag == Some(true))
        } else {
            true
        };
        let gn = row.map_or(orphan, |i| incident_group[i] as usize);
        touched[gn] = true;
        let g = &mut group_stats[gn];
        g.pairs += 1;
        conflicts += u64::from(conflict);
        g.conflicts += u64::from(conflict);
        if is_domestic {
            domestic += 1;
            g.domestic_pairs += 1;
            if class == RelClass::Unknown {
                unknown += 1;
                g.unknown_relationship += 1;
            } else {
                usable += 1;
                g.usable_relationship += 1;
            }
            if class == RelClass::IntimatePartner {
                ipv += 1;
                g.ipv_pairs += 1;
            }
        }
    }
    let by_class: BTreeMap<String, u64> = RelClass::ALL
        .iter()
        .zip(class_counts)
        .map(|(c, n)| (c.as_str().to_string(), n))
        .collect();
    // The sources' names as serde writes them.
    let by_source: BTreeMap<String, u64> = source_counts
        .into_iter()
        .map(|(source, n)| {
            let name = serde_json::to_value(source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            (name, n)
        })
        .collect();
    let mut missing_dob = 0u64;
    // A person's incident is usually the one of the record before it: its group is reused.
    let mut last: Option<(&str, usize)> = None;
    for v in &ds.involvements {
        let iid = v.incident_id;
        let gn = match last {
            Some((id, n)) if id == iid => n,
            _ => {
                let n = group_of(iid);
                last = Some((iid, n));
                n
            }
        };
        touched[gn] = true;
        let g = &mut group_stats[gn];
        g.persons += 1;
        if v.dob.is_none() {
            missing_dob += 1;
            g.missing_dob += 1;
        }
    }
    // In the order of (agency, year), as before: a map from the group's key to its counts.
    let mut keys: Vec<((&str, Option<i32>), usize)> = group_numbers.into_iter().collect();
    if orphan == group_stats.len() - 1 && !keys.iter().any(|(_, n)| *n == orphan) {
        keys.push((("", None), orphan));
    }
    let mut stats: Vec<Option<GroupStats>> = group_stats.into_iter().map(Some).collect();
    for ((agency, year), n) in keys {
        if !touched[n] {
            continue;
        }
        if let Some(g) = stats.get_mut(n).and_then(Option::take) {
            groups.insert((agency.to_string(), year), g);
        }
    }
    for g in groups.values_mut() {
        g.usable_relationship_share = share(g.usable_relationship, g.domestic_pairs);
    }
    let by_agency_year: Vec<GroupStats> = groups
        .into_iter()
        .map(|((agency, year), mut g)| {
            g.agency = agency;
            g.year = year;
            g
        })
        .collect();

    // Months with no or few incidents, per agency, between its first and last month.
    let mut months: BTreeMap<&str, BTreeMap<i32, u64>> = BTreeMap::new();
    for inc in &ds.incidents {
        if let Some(d) = inc.date {
            *months
                .entry(inc.agency)
                .or_default()
                .entry(d.month_index())
                .or_insert(0) += 1;
        }
    }
    let mut gaps = Vec::new();
    for (agency, m) in &months {
        let (Some((&first, _)), Some((&last, _))) = (m.iter().next(), m.iter().next_back()) else {
            continue;
        };
        let mut counts: Vec<u64> = (first..=last).map(|k| m.get(&k).copied().unwrap_or(0)).collect();
        let all = counts.clone();
        counts.sort_unstable();
        let median = counts[counts.len() / 2];
        for (k, n) in (first..=last).zip(all) {
            if n == 0 || (n as f64) < th.low_month_share * median as f64 {
                gaps.push(MonthGap {
                    agency: agency.to_string(),
                    month: format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
                    incidents: n,
                    median,
                });
            }
        }
    }

    // Totals over the files the profile used (a file outside it is listed but not counted).
    let used_files = out.files.iter().filter(|f| f.rows_used + f.rows_rejected > 0);
    let rows_read: u64 = used_files.clone().map(|f| f.rows_read).sum();
    let rows_used: u64 = used_files.clone().map(|f| f.rows_used).sum();
    let rows_rejected: u64 = used_files.map(|f| f.rows_rejected).sum();
    let usable_share = share(usable, domestic);
    let unknown_share = share(unknown, domestic);
    let dob_share = share(missing_dob, ds.involvements.len() as u64);
    let domestic_basis = if markers {
        "pairs classed as family or partner, or in an incident the agency flagged domestic".to_string()
    } else {
        "all pairs (the export has no domestic flag)".to_string()
    };

    // Incidents by class, for every export.
    let inc_classes = classify_incidents_with(ds, &pair_class, &offenses);
    let incidents_by_class = inc_classes.counts();
    let n_of = |c: IncidentClass| incidents_by_class.get(c.as_str()).copied().unwrap_or(0);
    let (inc_ipv, inc_fam, inc_dom) = (
        n_of(IncidentClass::IntimatePartner),
        n_of(IncidentClass::OtherFamily),
        n_of(IncidentClass::DomesticUnspecified),
    );

    // The verdict.
    let mut reasons = Vec::new();
    let mut level = Readiness::Ready;
    let headline = if ds.pairs.is_empty() && !ds.incidents.is_empty() {
        reasons.push(
            "the export has one row per incident or offence and no person rows: incidents can be counted by \
             class, month, offence, place and agency, with the report; offender lists and linkage need person \
             records with names or ids"
                .to_string(),
        );
        reasons.push(
            "ask the records unit for a person-level export: the victims and suspects of each incident, with \
             names, dates of birth and the victim's relationship to the suspect"
                .to_string(),
        );
        if inc_ipv + inc_fam + inc_dom == 0 {
            level = Readiness::NotReady;
            format!(
                "Incident-level export of {} incidents: no offence names a relationship and nothing is flagged \
                 domestic, so IPV cannot be counted",
                ds.incidents.len()
            )
        } else {
            level = Readiness::Caution;
            format!(
                "Incident-level inquiry: of {} incidents, {inc_ipv} intimate partner and {inc_fam} other family by \
                 their offences, {inc_dom} domestic with the relationship unspecified; there are no victim–offender pairs",
                ds.incidents.len()
            )
        }
    } else if ds.pairs.is_empty() {
        level = Readiness::NotReady;
        reasons.push(
            "the export holds no victim–offender pairs: the analyzer needs to know who was the victim and who the \
             offender in each incident (a relationship file, or victim and offender rows)"
                .to_string(),
        );
        "IPV cannot be distinguished: there are no victim–offender pairs".to_string()
    } else {
        if usable_share < th.caution_usable_share {
            level = Readiness::NotReady;
            reasons.push(format!(
                "only {} of domestic pairs have a usable relationship (at least {} is needed, {} is ready): add the \
                 relationship code or free text to the export, or the narratives",
                pct(usable_share),
                pct(th.caution_usable_share),
                pct(th.ready_usable_share)
            ));
        } else if usable_share < th.ready_usable_share {
            level = Readiness::Caution;
            reasons.push(format!(
                "{} of domestic pairs have a usable relationship (below {}): counts of IPV will be low by up to {}",
                pct(usable_share),
                pct(th.ready_usable_share),
                pct(unknown_share)
            ));
        }
        format!(
            "IPV can be distinguished for {} of domestic pairs; {} have an unknown relationship",
            pct(usable_share),
            pct(unknown_share)
        )
    };
    let caution = |level: &mut Readiness| {
        if *level == Readiness::Ready {
            *level = Readiness::Caution;
        }
    };
    if share(rows_rejected, rows_read) > th.max_rejected_share {
        caution(&mut level);
        reasons.push(format!(
            "{rows_rejected} of {rows_read} rows ({}) were rejected: download the rejected rows and fix them",
            pct(share(rows_rejected, rows_read))
        ));
    }
    let empty_months = gaps.iter().filter(|g| g.incidents == 0).count();
    if !gaps.is_empty() {
        caution(&mut level);
        reasons.push(format!(
            "{} month(s) have no incidents and {} have few for their agency (first: {} {}): the export may be incomplete; \
             trends over these months are not reliable",
            empty_months,
            gaps.len() - empty_months,
            gaps[0].agency,
            gaps[0].month
        ));
    }
    if !ds.involvements.is_empty() && missing_dob == ds.involvements.len() as u64 {
        caution(&mut level);
        reasons.push(
            "the export has no dates of birth: people can only be linked across incidents by name and address, or not at all"
                .to_string(),
        );
    } else if dob_share > th.max_missing_dob_share {
        caution(&mut level);
        reasons.push(format!(
            "{} of person records have no date of birth: linking records into people will be weaker",
            pct(dob_share)
        ));
    }
    if conflicts > 0 {
        reasons.push(format!(
            "{conflicts} pair(s) have a relationship that the free text, narrative or offence contradicts: review them"
        ));
    }
    if inc_dom > 0 {
        reasons.push(format!(
            "{inc_dom} incident(s) are marked domestic by a flag or a generic offence (\"domestic battery\", \
             \"family or household member\") with the relationship unspecified: a domestic flag alone cannot tell \
             partners from other family, so they are not counted as IPV"
        ));
    }
    if out.duplicate_ids + out.identical_rows > 0 {
        reasons.push(format!(
            "{} row(s) repeat a record id and {} repeat an earlier row exactly: they were rejected as duplicates",
            out.duplicate_ids, out.identical_rows
        ));
    }
    if out.implausible_dates > 0 {
        reasons.push(format!(
            "{} date(s) cannot be right (before 1900-01-01, or more than a year after the as-of date{}): they were \
             set aside and treated as missing, their rows used",
            out.implausible_dates,
            out.as_of.map(|d| format!(" {d}")).unwrap_or_default()
        ));
    }
    if reasons.is_empty() {
        reasons.push("no problem found".to_string());
    }
    Audit {
        profile: out.profile.clone(),
        rows_read,
        rows_used,
        rows_rejected,
        files: out.files.clone(),
        incidents: ds.incidents.len() as u64,
        persons: ds.involvements.len() as u64,
        pairs: ds.pairs.len() as u64,
        pairs_by_class: by_class,
        pairs_by_source: by_source,
        domestic_basis,
        domestic_pairs: domestic,
        usable_relationship_share: usable_share,
        unknown_relationship_share: unknown_share,
        ipv_share_of_usable: share(ipv, usable),
        conflicts,
        domestic_incidents: inc_classes.domestic(),
        incidents_by_class,
        months_with_gaps: gaps,
        duplicate_ids: out.duplicate_ids,
        identical_rows: out.identical_rows,
        implausible_dates: out.implausible_dates,
        persons_missing_dob: missing_dob,
        missing_dob_share: dob_share,
        by_agency_year,
        verdict: Verdict {
            readiness: level,
            headline,
            reasons,
        },
    }
}

impl Audit {
    /// A readable summary for the terminal.
    pub fn summary_text(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!("Profile: {}\n", self.profile));
        for f in &self.files {
            if f.rows_read > 0 && f.rows_used + f.rows_rejected == 0 {
                s.push_str(&format!(
                    "  {}: not used ({} rows read; the profile does not take this file, so its rows are not in the counts)\n",
                    f.file, f.rows_read
                ));
            } else {
                s.push_str(&format!(
                    "  {}: {} rows read, {} used, {} rejected\n",
                    f.file, f.rows_read, f.rows_used, f.rows_rejected
                ));
            }
        }
        s.push_str(&format!(
            "Incidents {}, person records {}, victim–offender pairs {}\n",
            self.incidents, self.persons, self.pairs
        ));
        s.push_str("Pairs by class:");
        for c in RelClass::ALL {
            s.push_str(&format!(
                " {} {}",
                c.as_str(),
                self.pairs_by_class.get(c.as_str()).copied().unwrap_or(0)
            ));
        }
        s.push('\n');
        s.push_str("Incidents by class:");
        for c in IncidentClass::ALL {
            s.push_str(&format!(
                " {} {}",
                c.as_str(),
                self.incidents_by_class.get(c.as_str()).copied().unwrap_or(0)
            ));
        }
        s.push_str(&format!("; domestic incidents {}\n", self.domestic_incidents));
        s.push_str("Decided by:");
        for (k, v) in &self.pairs_by_source {
            s.push_str(&format!(" {k} {v}"));
        }
        s.push('\n');
        s.push_str(&format!(
            "Domestic pairs ({}): {}; usable relationship {}; unknown {}\n",
            self.domestic_basis,
            self.domestic_pairs,
            pct(self.usable_relationship_share),
            pct(self.unknown_relationship_share)
        ));
        s.push_str(&format!(
            "Missing dates of birth: {} ({}); duplicates rejected: {} ids, {} identical rows; implausible dates set \
             aside: {}; months with gaps: {}\n",
            self.persons_missing_dob,
            pct(self.missing_dob_share),
            self.duplicate_ids,
            self.identical_rows,
            self.implausible_dates,
            self.months_with_gaps.len()
        ));
        s.push_str(&format!(
            "Verdict: {:?} — {}\n",
            self.verdict.readiness, self.verdict.headline
        ));
        for r in &self.verdict.reasons {
            s.push_str(&format!("  - {r}\n"));
        }
        s
    }
}
