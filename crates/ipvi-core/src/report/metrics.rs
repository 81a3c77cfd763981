//! A site's aggregate metrics: what the report shows and what peer sites compare.
//!
//! The metrics hold counts and shares only: no names, no record ids, no victim identifiers.
//! [`SiteMetrics::shareable`] suppresses small cells (see [`super::suppress`]); the JSON is
//! versioned so that files from several sites and releases can be compared.
//!
//! Three sources: a NIBRS extract ([`from_nibrs`]), an agency dataset after the whole inquiry
//! ([`from_case`]), and incidents alone ([`from_incidents`]: exports with one row per incident
//! or offence and no person rows, classed by their offences and domestic flags).

use super::suppress::{suppress_list, suppress_with_margins, Count};
use crate::date::Date;
use crate::fidelity::{Fidelity, SharedFidelity};
use crate::model::{Dataset, RelClass};
use crate::nibrs::NibrsAnalysis;
use crate::offenders::outputs::OffenderReport;
use crate::offenders::CaseFile;
use crate::textclass::incident::{classify_incidents, IncidentClass, IncidentClasses};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The JSON's format name.
pub const FORMAT: &str = "ipvi-site-metrics";
/// The JSON's version. Readers accept this version and older ones.
pub const VERSION: u32 = 1;

/// Incidents of one month by class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Incidents with an intimate-partner pair.
    pub ipv: Count,
    /// Incidents with an other-family pair and no intimate-partner pair.
    pub other_family: Count,
    /// All other incidents with a victim–offender pair.
    pub other: Count,
    /// Incidents marked domestic (flag, generic offence) whose relationship is unspecified;
    /// set only by [`from_incidents`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domestic_unspecified: Option<Count>,
}

/// Domestic incidents of one offence, place or agency, by class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassBreakdown {
    /// The offence (as exported), place or agency.
    pub key: String,
    pub ipv: Count,
    pub other_family: Count,
    pub domestic_unspecified: Count,
}

/// Domestic incidents by kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomesticSplit {
    pub ipv_only: Count,
    pub other_family_only: Count,
    /// Incidents holding both an intimate-partner and an other-family pair.
    pub both: Count,
}

/// How concentrated harm is among IPV offenders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HarmConcentration {
    pub offenders: Count,
    /// (share of offenders, share of harm), most harmful first, from (0,0) to (1,1).
    pub lorenz: Vec<(f64, f64)>,
    /// Share of harm caused by the most harmful 5% of offenders.
    pub top5_share: f64,
    /// Smallest share of offenders that accounts for 80% of harm.
    pub share_for_80: f64,
}

/// Non-domestic offending of IPV offenders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Versatility {
    pub offenders: Count,
    pub any_non_domestic: Count,
    /// Crime type → IPV offenders with a non-domestic record of that type.
    pub by_type: Vec<(String, Count)>,
}

/// Intimate-partner victims with more than one incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepeatVictims {
    pub victims: Count,
    pub repeat: Count,
}

/// List sizes and how people moved since the previous run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListFlows {
    pub sizes: Vec<(String, Count)>,
    /// (list, change, people).
    pub changes: Vec<(String, String, Count)>,
}

/// What the data says about its own quality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub pairs: Count,
    pub relationship_unknown: Count,
    pub undated_incidents: Count,
    /// Person records without a date of birth (agency data only).
    pub missing_dob: Option<Count>,
    pub person_records: Option<Count>,
}

/// A section the data cannot support, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unavailable {
    pub section: String,
    pub reason: String,
}

/// A site's metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteMetrics {
    pub format: String,
    pub version: u32,
    pub site: String,
    /// `nibrs` or `agency`.
    pub source: String,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    /// Set when small cells have been suppressed (the threshold).
    pub suppression_threshold: Option<u64>,
    pub incidents_total: Count,
    pub pairs_by_class: Vec<(String, Count)>,
    pub monthly: Vec<MonthRow>,
    /// `month`, or `quarter` when a shareable version had to be coarsened so that small counts
    /// do not blank out the series.
    #[serde(default = "month_granularity")]
    pub granularity: String,
    pub domestic: DomesticSplit,
    pub harm: Option<HarmConcentration>,
    pub versatility: Option<Versatility>,
    pub repeat_victims: Option<RepeatVictims>,
    /// Days between an offender's consecutive IPV incidents, binned.
    pub repeat_gaps: Option<Vec<(String, Count)>>,
    pub lists: Option<ListFlows>,
    pub quality: Quality,
    pub unavailable: Vec<Unavailable>,
    /// Incidents by class (intimate partner, other family, domestic unspecified, ..., not
    /// domestic); set by [`from_incidents`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents_by_class: Option<Vec<(String, Count)>>,
    /// Domestic incidents by offence, most first (the rest summed as "all other offences").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_offense: Vec<ClassBreakdown>,
    /// Domestic incidents by place (area, district, beat), most first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_place: Vec<ClassBreakdown>,
    /// Domestic incidents by agency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_agency: Vec<ClassBreakdown>,
    /// Made from synthetic records ([`Dataset::synthetic`]): the report says so on every page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// Implementation (fidelity) measures, when the partnership's notification records were
    /// given ([`SiteMetrics::with_fidelity`]); suppressed at the metrics' threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fidelity: Option<SharedFidelity>,
    /// The exact measures behind `fidelity` (internal metrics only): what
    /// [`SiteMetrics::shareable`] suppresses, and drops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fidelity_exact: Option<Fidelity>,
}

fn month_granularity() -> String {
    "month".into()
}

/// Monthly rows summed into quarters (`YYYY-Qn`).
fn quarters(rows: &[MonthRow]) -> Vec<MonthRow> {
    let mut out: Vec<MonthRow> = Vec::new();
    for r in rows {
        let (y, m) = parse_month(&r.month);
        let key = format!("{y:04}-Q{}", (m - 1) / 3 + 1);
        let add = |a: Count, b: Count| Count::Value(a.value().unwrap_or(0) + b.value().unwrap_or(0));
        match out.last_mut() {
            Some(last) if last.month == key => {
                last.ipv = add(last.ipv, r.ipv);
                last.other_family = add(last.other_family, r.other_family);
                last.other = add(last.other, r.other);
                last.domestic_unspecified = match (last.domestic_unspecified, r.domestic_unspecified) {
                    (Some(a), Some(b)) => Some(add(a, b)),
                    (a, b) => a.or(b),
                };
            }
            _ => out.push(MonthRow {
                month: key,
                ..r.clone()
            }),
        }
    }
    out
}

/// Why a metrics file cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MetricsError {
    #[error("{file}: not a site-metrics file ({detail})")]
    NotMetrics { file: String, detail: String },
    #[error("{file}: made by a newer version (metrics version {found}, this analyzer reads up to {VERSION}); update the analyzer")]
    Newer { file: String, found: u32 },
}

impl SiteMetrics {
    /// Read a metrics JSON file.
    pub fn from_json(file: &str, text: &str) -> Result<SiteMetrics, MetricsError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| MetricsError::NotMetrics {
            file: file.into(),
            detail: e.to_string(),
        })?;
        if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(MetricsError::NotMetrics {
                file: file.into(),
                detail: format!("format is not {FORMAT:?}"),
            });
        }
        let found = v.get("version").and_then(|x| x.as_u64()).unwrap_or(0) as u32;
        if found > VERSION {
            return Err(MetricsError::Newer {
                file: file.into(),
                found,
            });
        }
        serde_json::from_value(v).map_err(|e| MetricsError::NotMetrics {
            file: file.into(),
            detail: e.to_string(),
        })
    }

    /// The metrics with the implementation measures (every count kept, as the rest of the
    /// metrics until [`SiteMetrics::shareable`]).
    pub fn with_fidelity(mut self, f: &Fidelity) -> SiteMetrics {
        self.fidelity = Some(f.shareable(1));
        self.fidelity_exact = Some(f.clone());
        self
    }

    /// The same metrics with cells under `threshold` suppressed (and those that would reveal
    /// them). Shares computed from suppressed counts are dropped.
    pub fn shareable(&self, threshold: u64) -> SiteMetrics {
        let mut m = self.clone();
        m.suppression_threshold = Some(threshold);
        let raw = |c: Count| c.value().unwrap_or(0);
        let fourth = m.monthly.iter().any(|r| r.domestic_unspecified.is_some());
        let suppress_rows = |rows: &mut Vec<MonthRow>| -> usize {
            let grid: Vec<Vec<u64>> = rows
                .iter()
                .map(|r| {
                    let mut v = vec![raw(r.ipv), raw(r.other_family), raw(r.other)];
                    if fourth {
                        v.push(r.domestic_unspecified.map_or(0, raw));
                    }
                    v
                })
                .collect();
            // Column totals are published (the domestic split, the pairs by class); row totals
            // are not.
            let t = suppress_with_margins(&grid, threshold, false, true);
            let mut hidden = 0;
            for (row, s) in rows.iter_mut().zip(t) {
                (row.ipv, row.other_family, row.other) = (s[0], s[1], s[2]);
                if fourth {
                    row.domestic_unspecified = s.get(3).copied();
                }
                hidden += s.iter().filter(|c| c.value().is_none()).count();
            }
            hidden
        };
        // When small counts would blank out much of the monthly series, publish quarters.
        let cells = (if fourth { 4 } else { 3 }) * m.monthly.len();
        if suppress_rows(&mut m.monthly) * 5 > cells && m.granularity == "month" {
            m.monthly = quarters(&self.monthly);
            m.granularity = "quarter".into();
            suppress_rows(&mut m.monthly);
        }
        let d = suppress_list(
            &[
                raw(self.domestic.ipv_only),
                raw(self.domestic.other_family_only),
                raw(self.domestic.both),
            ],
            threshold,
        );
        m.domestic = DomesticSplit {
            ipv_only: d[0],
            other_family_only: d[1],
            both: d[2],
        };
        let list = |xs: &[(String, Count)]| -> Vec<(String, Count)> {
            let s = suppress_list(&xs.iter().map(|x| raw(x.1)).collect::<Vec<_>>(), threshold);
            xs.iter().map(|x| x.0.clone()).zip(s).collect()
        };
        m.pairs_by_class = list(&self.pairs_by_class);
        m.incidents_by_class = self.incidents_by_class.as_deref().map(list);
        let breakdown = |rows: &[ClassBreakdown]| -> Vec<ClassBreakdown> {
            let grid: Vec<Vec<u64>> = rows
                .iter()
                .map(|r| vec![raw(r.ipv), raw(r.other_family), raw(r.domestic_unspecified)])
                .collect();
            let t = suppress_with_margins(&grid, threshold, false, true);
            rows.iter()
                .zip(t)
                .map(|(r, s)| ClassBreakdown {
                    key: r.key.clone(),
                    ipv: s[0],
                    other_family: s[1],
                    domestic_unspecified: s[2],
                })
                .collect()
        };
        m.by_offense = breakdown(&self.by_offense);
        m.by_place = breakdown(&self.by_place);
        m.by_agency = breakdown(&self.by_agency);
        let one = |c: Count| suppress_list(&[raw(c)], threshold)[0];
        m.incidents_total = one(self.incidents_total);
        if let Some(h) = &mut m.harm {
            h.offenders = one(h.offenders);
            if h.offenders.value().is_none() {
                m.harm = None;
                m.unavailable.push(Unavailable {
                    section: "harm".into(),
                    reason: "fewer than 11 IPV offenders".into(),
                });
            }
        }
        if let Some(v) = &mut m.versatility {
            v.offenders = one(v.offenders);
            v.any_non_domestic = one(v.any_non_domestic);
            v.by_type = list(&v.by_type);
        }
        if let Some(r) = &mut m.repeat_victims {
            let s = suppress_list(
                &[raw(r.repeat), raw(r.victims) - raw(r.repeat).min(raw(r.victims))],
                threshold,
            );
            r.repeat = s[0];
            r.victims = if s[1].value().is_none() {
                Count::Suppressed
            } else {
                one(r.victims)
            };
        }
        if let Some(g) = &mut m.repeat_gaps {
            *g = list(g);
        }
        if let Some(l) = &mut m.lists {
            l.sizes = list(&l.sizes);
            let s = suppress_list(&l.changes.iter().map(|x| raw(x.2)).collect::<Vec<_>>(), threshold);
            for (c, v) in l.changes.iter_mut().zip(s) {
                c.2 = v;
            }
        }
        let q = &mut m.quality;
        q.pairs = one(q.pairs);
        q.relationship_unknown = one(q.relationship_unknown);
        q.undated_incidents = one(q.undated_incidents);
        q.missing_dob = q.missing_dob.map(one);
        q.person_records = q.person_records.map(one);
        // Fidelity: suppressed from the exact measures; a section read from a file whose
        // threshold is lower than asked cannot be suppressed again, so it is left out.
        match (&self.fidelity_exact, &self.fidelity) {
            (Some(f), _) => {
                m.fidelity = Some(f.shareable(threshold));
                m.fidelity_exact = None;
            }
            (None, Some(f)) if f.threshold < threshold => {
                m.fidelity = None;
                m.unavailable.push(Unavailable {
                    section: "fidelity".into(),
                    reason: format!("read with cells under {} kept; not suppressed again", f.threshold),
                });
            }
            _ => {}
        }
        m
    }
}

fn c(v: u64) -> Count {
    Count::Value(v)
}

#[derive(Default, Clone, Copy)]
struct Flags {
    ipv: bool,
    family: bool,
    other: bool,
}

fn month_rows(incidents: &BTreeMap<String, (Option<Date>, Flags)>) -> (Vec<MonthRow>, DomesticSplit, u64) {
    let mut by_month: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    let (mut ipv_only, mut fam_only, mut both, mut undated) = (0, 0, 0, 0);
    for (date, f) in incidents.values() {
        match (f.ipv, f.family) {
            (true, true) => both += 1,
            (true, false) => ipv_only += 1,
            (false, true) => fam_only += 1,
            _ => {}
        }
        let Some(d) = date else {
            undated += 1;
            continue;
        };
        let row = by_month.entry(d.month_key()).or_default();
        if f.ipv {
            row[0] += 1;
        } else if f.family {
            row[1] += 1;
        } else if f.other {
            row[2] += 1;
        }
    }
    let rows: Vec<MonthRow> = every_month(by_month.keys())
        .into_iter()
        .map(|key| {
            let v = by_month.get(&key).copied().unwrap_or_default();
            MonthRow {
                month: key,
                ipv: c(v[0]),
                other_family: c(v[1]),
                other: c(v[2]),
                domestic_unspecified: None,
            }
        })
        .collect();
    (
        rows,
        DomesticSplit {
            ipv_only: c(ipv_only),
            other_family_only: c(fam_only),
            both: c(both),
        },
        undated,
    )
}

/// Every month ("YYYY-MM") from the first to the last of `months` (sorted), so gaps in the
/// data show as zeros, not as missing points.
fn every_month<'a>(mut months: impl DoubleEndedIterator<Item = &'a String>) -> Vec<String> {
    let Some(first) = months.next() else {
        return Vec::new();
    };
    let last = months.next_back().unwrap_or(first);
    let (mut y, mut m) = parse_month(first);
    let (ly, lm) = parse_month(last);
    let mut out = Vec::new();
    while (y, m) <= (ly, lm) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

fn parse_month(s: &str) -> (i32, u32) {
    let y = s.get(0..4).and_then(|x| x.parse().ok()).unwrap_or(0);
    let m = s.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
    (y, m)
}

fn class_counts(classes: impl Iterator<Item = RelClass>) -> (Vec<(String, Count)>, u64, u64) {
    let mut n = [0u64; 5];
    for k in classes {
        n[RelClass::ALL.iter().position(|x| *x == k).unwrap_or(4)] += 1;
    }
    let total = n.iter().sum();
    (
        RelClass::ALL
            .iter()
            .zip(n)
            .map(|(k, v)| (k.as_str().to_string(), c(v)))
            .collect(),
        total,
        n[4],
    )
}

/// Metrics of a NIBRS extract. NIBRS has no person identifiers across incidents, so the
/// person-level sections are reported as unavailable, with the reason.
pub fn from_nibrs(a: &NibrsAnalysis, site: &str) -> SiteMetrics {
    let mut incidents: BTreeMap<String, (Option<Date>, Flags)> = BTreeMap::new();
    for p in &a.pairs {
        let e = incidents
            .entry(p.incident_id.clone())
            .or_insert((p.date, Flags::default()));
        match p.class {
            RelClass::IntimatePartner => e.1.ipv = true,
            RelClass::OtherFamily => e.1.family = true,
            _ => e.1.other = true,
        }
    }
    let (monthly, domestic, undated) = month_rows(&incidents);
    let (pairs_by_class, pairs, unknown) = class_counts(a.pairs.iter().map(|p| p.class));
    let why = "NIBRS offender and victim ids exist only within one incident, so one person's incidents cannot be \
               linked: this needs an agency export with names and dates of birth";
    SiteMetrics {
        format: FORMAT.into(),
        version: VERSION,
        site: site.into(),
        synthetic: false,
        fidelity: None,
        fidelity_exact: None,
        source: "nibrs".into(),
        first_month: monthly.first().map(|r| r.month.clone()),
        last_month: monthly.last().map(|r| r.month.clone()),
        suppression_threshold: None,
        incidents_total: c(a.summary.incidents_total),
        pairs_by_class,
        monthly,
        granularity: month_granularity(),
        domestic,
        harm: None,
        versatility: None,
        repeat_victims: None,
        repeat_gaps: None,
        lists: None,
        quality: Quality {
            pairs: c(pairs),
            relationship_unknown: c(unknown),
            undated_incidents: c(undated),
            missing_dob: None,
            person_records: None,
        },
        unavailable: [
            "harm concentration",
            "versatility",
            "repeat victimisation",
            "time between repeats",
            "IPVI lists",
        ]
        .iter()
        .map(|s| Unavailable {
            section: s.to_string(),
            reason: why.into(),
        })
        .collect(),
        incidents_by_class: None,
        by_offense: Vec::new(),
        by_place: Vec::new(),
        by_agency: Vec::new(),
    }
}

/// Crime-type group of a NIBRS code, for the versatility view.
pub fn crime_type(code: &str) -> &'static str {
    match code {
        "09A" | "09B" | "100" | "11A" | "11B" | "11C" | "11D" | "120" | "13A" | "13B" | "13C" | "64A" | "64B" => {
            "Violence"
        }
        "35A" | "35B" => "Drugs",
        "520" => "Weapons",
        "90Z" => "Order violations and other",
        "200" | "210" | "220" | "240" | "250" | "270" | "280" | "290" | "510" => "Property",
        c if c.starts_with("23") || c.starts_with("26") => "Property",
        _ => "Other",
    }
}

/// Metrics of an agency dataset after classification, linkage and the offender analysis.
pub fn from_case(cf: &CaseFile<'_>, report: &OffenderReport, site: &str) -> SiteMetrics {
    let data = cf.data;
    let mut incidents: BTreeMap<String, (Option<Date>, Flags)> = BTreeMap::new();
    for (p, &class) in data.pairs.iter().zip(cf.pair_class) {
        let date = cf.incident(p.incident_id).and_then(|i| data.incidents.date(i));
        let e = incidents
            .entry(p.incident_id.to_string())
            .or_insert((date, Flags::default()));
        match class {
            RelClass::IntimatePartner => e.1.ipv = true,
            RelClass::OtherFamily => e.1.family = true,
            _ => e.1.other = true,
        }
    }
    let (monthly, domestic, undated) = month_rows(&incidents);
    let (pairs_by_class, pairs, unknown) = class_counts(cf.pair_class.iter().copied());
    let mut unavailable = Vec::new();

    // Harm concentration over IPV offenders.
    let mut harms: Vec<f64> = report.offenders.iter().map(|o| o.score.harm).collect();
    harms.sort_by(|a, b| b.total_cmp(a));
    let total_harm: f64 = harms.iter().sum();
    let harm = if harms.is_empty() || total_harm <= 0.0 {
        unavailable.push(Unavailable {
            section: "harm concentration".into(),
            reason: "no IPV offender has recorded harm".into(),
        });
        None
    } else {
        let n = harms.len() as f64;
        let mut cum = 0.0;
        let mut lorenz = vec![(0.0, 0.0)];
        let mut share_for_80 = 1.0;
        let step = (harms.len() / 200).max(1);
        for (i, h) in harms.iter().enumerate() {
            cum += h;
            let x = (i + 1) as f64 / n;
            let y = cum / total_harm;
            if y >= 0.8 && share_for_80 == 1.0 {
                share_for_80 = x;
            }
            if (i + 1) % step == 0 || i + 1 == harms.len() {
                lorenz.push((x, y));
            }
        }
        let k = ((n * 0.05).ceil() as usize).clamp(1, harms.len());
        let top5_share = harms[..k].iter().sum::<f64>() / total_harm;
        Some(HarmConcentration {
            offenders: c(harms.len() as u64),
            lorenz,
            top5_share,
            share_for_80,
        })
    };

    // Versatility.
    let mut by_type: BTreeMap<&str, u64> = BTreeMap::new();
    let mut any = 0;
    for o in &report.offenders {
        let types: HashSet<&str> = o.features.non_domestic_codes.iter().map(|c| crime_type(c)).collect();
        if o.features.non_domestic_records > 0 {
            any += 1;
        }
        for t in types {
            *by_type.entry(t).or_default() += 1;
        }
    }
    let versatility = Some(Versatility {
        offenders: c(report.offenders.len() as u64),
        any_non_domestic: c(any),
        by_type: by_type.into_iter().map(|(k, v)| (k.to_string(), c(v))).collect(),
    });

    // Repeat victimisation: IPV victims (people) with more than one IPV incident.
    let mut per_victim: HashMap<u32, HashSet<&str>> = HashMap::new();
    for (p, &class) in data.pairs.iter().zip(cf.pair_class) {
        if class == RelClass::IntimatePartner {
            if let Some(v) = cf.person_of_record(p.victim_record_id) {
                per_victim.entry(v).or_default().insert(p.incident_id);
            }
        }
    }
    let repeat_victims = Some(RepeatVictims {
        victims: c(per_victim.len() as u64),
        repeat: c(per_victim.values().filter(|s| s.len() > 1).count() as u64),
    });

    // Time between an offender's consecutive IPV incidents.
    let bins = [
        (30, "0–30 days"),
        (90, "31–90 days"),
        (182, "91–182 days"),
        (365, "183–365 days"),
        (i32::MAX, "over a year"),
    ];
    let mut gaps = [0u64; 5];
    for tl in &report.timelines {
        let dates: Vec<Date> = tl.iter().filter(|e| e.ipv_offence()).filter_map(|e| e.date).collect();
        for w in dates.windows(2) {
            let g = w[1].days_since(w[0]);
            let i = bins.iter().position(|(upto, _)| g <= *upto).unwrap_or(4);
            gaps[i] += 1;
        }
    }
    let repeat_gaps = Some(bins.iter().zip(gaps).map(|((_, l), n)| (l.to_string(), c(n))).collect());

    // Lists.
    let mut sizes: BTreeMap<String, u64> = ["A", "B", "C", "D"].iter().map(|l| (l.to_string(), 0)).collect();
    let mut changes: BTreeMap<(String, String), u64> = BTreeMap::new();
    for o in &report.offenders {
        *sizes.entry(o.assignment.list.as_str().into()).or_default() += 1;
        *changes
            .entry((
                o.assignment.list.as_str().into(),
                format!("{:?}", o.change).to_lowercase(),
            ))
            .or_default() += 1;
    }
    let lists = Some(ListFlows {
        sizes: sizes.into_iter().map(|(k, v)| (k, c(v))).collect(),
        changes: changes.into_iter().map(|((l, ch), v)| (l, ch, c(v))).collect(),
    });

    let missing_dob = data.involvements.iter().filter(|i| i.dob.is_none()).count() as u64;
    SiteMetrics {
        format: FORMAT.into(),
        version: VERSION,
        site: site.into(),
        synthetic: data.synthetic,
        fidelity: None,
        fidelity_exact: None,
        source: "agency".into(),
        first_month: monthly.first().map(|r| r.month.clone()),
        last_month: monthly.last().map(|r| r.month.clone()),
        suppression_threshold: None,
        incidents_total: c(data.incidents.len() as u64),
        pairs_by_class,
        monthly,
        granularity: month_granularity(),
        domestic,
        harm,
        versatility,
        repeat_victims,
        repeat_gaps,
        lists,
        quality: Quality {
            pairs: c(pairs),
            relationship_unknown: c(unknown),
            undated_incidents: c(undated),
            missing_dob: Some(c(missing_dob)),
            person_records: Some(c(data.involvements.len() as u64)),
        },
        unavailable,
        incidents_by_class: None,
        by_offense: Vec::new(),
        by_place: Vec::new(),
        by_agency: Vec::new(),
    }
}

/// How many offences, places or agencies a breakdown lists before summing the rest.
const BREAKDOWN_ROWS: usize = 15;

fn breakdown(counts: BTreeMap<String, [u64; 3]>, rest: &str) -> Vec<ClassBreakdown> {
    let mut rows: Vec<(String, [u64; 3])> = counts.into_iter().collect();
    rows.sort_by(|a, b| {
        b.1.iter()
            .sum::<u64>()
            .cmp(&a.1.iter().sum::<u64>())
            .then_with(|| a.0.cmp(&b.0))
    });
    if rows.len() > BREAKDOWN_ROWS {
        let tail = rows.split_off(BREAKDOWN_ROWS - 1);
        let mut sum = [0u64; 3];
        for (_, v) in tail {
            for (s, x) in sum.iter_mut().zip(v) {
                *s += x;
            }
        }
        rows.push((rest.to_string(), sum));
    }
    rows.into_iter()
        .map(|(key, v)| ClassBreakdown {
            key,
            ipv: c(v[0]),
            other_family: c(v[1]),
            domestic_unspecified: c(v[2]),
        })
        .collect()
}

/// Metrics from incidents alone, with the built-in offence patterns: for an export with no
/// person rows (one row per incident or offence), and usable for any export. `pair_class` is
/// the class of each pair of `data` (empty when there are none). See [`from_incident_classes`].
pub fn from_incidents(data: &Dataset, pair_class: &[RelClass], site: &str) -> SiteMetrics {
    let classes = match crate::textclass::offense::builtin() {
        Some(p) => classify_incidents(data, pair_class, p),
        None => classify_incidents(data, pair_class, &crate::textclass::OffensePatterns::new(Vec::new())),
    };
    from_incident_classes(data, &classes, pair_class, site)
}

/// Metrics from each incident's class ([`crate::textclass::incident`]): incidents by class, by
/// month, by offence, place and agency. The person-level sections are unavailable, with what to
/// ask the records unit for.
pub fn from_incident_classes(
    data: &Dataset,
    classes: &IncidentClasses,
    pair_class: &[RelClass],
    site: &str,
) -> SiteMetrics {
    let slot = |k: IncidentClass| match k {
        IncidentClass::IntimatePartner => Some(0),
        IncidentClass::OtherFamily => Some(1),
        IncidentClass::DomesticUnspecified => Some(2),
        _ => None,
    };
    let mut by_month: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let (mut ipv_only, mut fam_only, mut both, mut undated) = (0, 0, 0, 0);
    let mut offenses_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for o in &data.offenses {
        let text = o
            .local_code
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(o.nibrs_code);
        if !text.is_empty() {
            let v = offenses_of.entry(o.incident_id).or_default();
            if !v.contains(&text) {
                v.push(text);
            }
        }
    }
    let mut by_offense: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    let mut by_place: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    let mut by_agency: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    for ((inc, &k), &mixed) in data.incidents.iter().zip(&classes.classes).zip(&classes.both) {
        match k {
            IncidentClass::IntimatePartner if mixed => both += 1,
            IncidentClass::IntimatePartner => ipv_only += 1,
            IncidentClass::OtherFamily => fam_only += 1,
            _ => {}
        }
        let s = slot(k);
        match inc.date {
            Some(d) => {
                let row = by_month.entry(d.month_key()).or_default();
                match (s, k) {
                    (Some(i), _) => row[if i == 2 { 3 } else { i }] += 1,
                    (None, IncidentClass::NotDomestic) => {}
                    (None, _) => row[2] += 1,
                }
            }
            None => undated += 1,
        }
        let Some(i) = s else { continue };
        let named = |m: &mut BTreeMap<String, [u64; 3]>, key: &str, none: &str| {
            let key = if key.trim().is_empty() { none } else { key.trim() };
            m.entry(key.to_string()).or_default()[i] += 1;
        };
        named(&mut by_place, inc.place, "(no place)");
        named(&mut by_agency, inc.agency, "(no agency)");
        match offenses_of.get(inc.incident_id) {
            Some(v) => {
                for t in v {
                    named(&mut by_offense, t, "(no offence)");
                }
            }
            None => named(&mut by_offense, "", "(no offence)"),
        }
    }
    let monthly: Vec<MonthRow> = every_month(by_month.keys())
        .into_iter()
        .map(|key| {
            let v = by_month.get(&key).copied().unwrap_or_default();
            MonthRow {
                month: key,
                ipv: c(v[0]),
                other_family: c(v[1]),
                other: c(v[2]),
                domestic_unspecified: Some(c(v[3])),
            }
        })
        .collect();
    let (pairs_by_class, pairs, unknown) = class_counts(pair_class.iter().copied());
    let counts = classes.counts();
    let why = "offender lists and linkage need person records with names or ids: ask the records unit for a \
               person-level export (the victims and suspects of each incident, with names, dates of birth and the \
               victim's relationship to the suspect)";
    let mut unavailable: Vec<Unavailable> = [
        "harm concentration",
        "versatility",
        "repeat victimisation",
        "time between repeats",
        "IPVI lists",
    ]
    .iter()
    .map(|s| Unavailable {
        section: s.to_string(),
        reason: why.into(),
    })
    .collect();
    if counts.get("domestic_unspecified").copied().unwrap_or(0) > 0 {
        unavailable.push(Unavailable {
            section: "relationship of flagged incidents".into(),
            reason: "incidents marked domestic by a flag or a generic offence (\"domestic battery\") do not say \
                     whether the parties were partners or other family: a domestic flag alone cannot tell partners \
                     from other family"
                .into(),
        });
    }
    SiteMetrics {
        format: FORMAT.into(),
        version: VERSION,
        site: site.into(),
        synthetic: data.synthetic,
        fidelity: None,
        fidelity_exact: None,
        source: "incidents".into(),
        first_month: monthly.first().map(|r| r.month.clone()),
        last_month: monthly.last().map(|r| r.month.clone()),
        suppression_threshold: None,
        incidents_total: c(data.incidents.len() as u64),
        pairs_by_class,
        monthly,
        granularity: month_granularity(),
        domestic: DomesticSplit {
            ipv_only: c(ipv_only),
            other_family_only: c(fam_only),
            both: c(both),
        },
        harm: None,
        versatility: None,
        repeat_victims: None,
        repeat_gaps: None,
        lists: None,
        quality: Quality {
            pairs: c(pairs),
            relationship_unknown: c(unknown),
            undated_incidents: c(undated),
            missing_dob: None,
            person_records: None,
        },
        unavailable,
        incidents_by_class: Some(
            IncidentClass::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), c(counts.get(k.as_str()).copied().unwrap_or(0))))
                .collect(),
        ),
        by_offense: breakdown(by_offense, "all other offences"),
        by_place: breakdown(by_place, "all other places"),
        by_agency: breakdown(by_agency, "all other agencies"),
    }
}

/// The monthly counts of one incident class, every month from the first to the last dated
/// incident (empty months as zero): the series for the interrupted time series
/// ([`crate::evaluate::its::interrupted`]).
pub fn monthly_incidents(data: &Dataset, classes: &IncidentClasses, want: IncidentClass) -> Vec<(String, u64)> {
    let mut by: BTreeMap<i32, u64> = BTreeMap::new();
    for (inc, &k) in data.incidents.iter().zip(&classes.classes) {
        if let Some(d) = inc.date {
            *by.entry(d.month_index()).or_default() += u64::from(k == want);
        }
    }
    let (Some((&a, _)), Some((&b, _))) = (by.iter().next(), by.iter().next_back()) else {
        return Vec::new();
    };
    (a..=b)
        .map(|k| {
            (
                format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
                by.get(&k).copied().unwrap_or(0),
            )
        })
        .collect()
}
