//! Incident-level exports (one row per incident or offence, no person rows): incidents by class
//! from offences and flags, the audit's `incidents_by_class` and verdict, the report from
//! incidents alone and the interrupted time series of monthly IPV incidents; and incident
//! classes for person-level exports, the real AZ 2019 NIBRS extract included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::date::Date;
use ipvi_core::evaluate::its::interrupted;
use ipvi_core::import::{self, profile::Profile, AuditThresholds, ImportOutcome};
use ipvi_core::input::InputFile;
use ipvi_core::model::{Dataset, Incident, Offense, Pair, RelClass};
use ipvi_core::pipeline::{classify_incidents, classify_pairs, PipelineConfig};
use ipvi_core::report::html::{page, ReportOptions};
use ipvi_core::report::metrics::{from_incidents, monthly_incidents};
use ipvi_core::report::suppress::{Count, THRESHOLD};
use ipvi_core::textclass::{IncidentClass, Overrides};

/// Offence descriptions of the generated export, as LAPD and Chicago publish them, with the
/// incident class each should give: (description, class).
const KINDS: &[(&str, IncidentClass)] = &[
    ("INTIMATE PARTNER - SIMPLE ASSAULT", IncidentClass::IntimatePartner),
    ("INTIMATE PARTNER - AGGRAVATED ASSAULT", IncidentClass::IntimatePartner),
    ("CHILD ABUSE (PHYSICAL) - SIMPLE ASSAULT", IncidentClass::OtherFamily),
    ("DOMESTIC BATTERY SIMPLE", IncidentClass::DomesticUnspecified),
    ("BATTERY - SIMPLE ASSAULT", IncidentClass::NotDomestic),
    ("THEFT PLAIN - PETTY ($950 & UNDER)", IncidentClass::NotDomestic),
    ("VEHICLE - STOLEN", IncidentClass::NotDomestic),
];

const AREAS: [&str; 4] = ["Central", "Rampart", "Southwest", "Hollenbeck"];

/// A generated incident-level export: `months` months from January 2020, incident `k` of a
/// month with offence `KINDS[k % 7]`; the flag is set on every fourth "BATTERY - SIMPLE
/// ASSAULT" (domestic, relationship unspecified). Intimate-partner incidents per month:
/// `ipv(month)`.
fn incident_export(months: i32, ipv: impl Fn(i32) -> usize) -> (Dataset, Vec<IncidentClass>) {
    let mut d = Dataset::default();
    let mut want = Vec::new();
    let mut n = 0;
    for m in 0..months {
        let date = Date::from_ymd(2020 + m / 12, (m % 12 + 1) as u32, 15);
        let mut kinds: Vec<usize> = (0..14)
            .filter(|k| KINDS[k % 7].1 != IncidentClass::IntimatePartner)
            .collect();
        kinds.extend((0..ipv(m)).map(|k| k % 2));
        for (j, k) in kinds.into_iter().enumerate() {
            n += 1;
            let id = format!("2{:08}", n);
            let (text, mut class) = KINDS[k % 7];
            let flag = text == "BATTERY - SIMPLE ASSAULT" && n % 4 == 0;
            if flag {
                class = IncidentClass::DomesticUnspecified;
            }
            d.incidents.push(Incident {
                incident_id: id.clone().into(),
                agency: "LAPD".into(),
                date,
                domestic_flag: Some(flag),
                place: AREAS[j % 4].into(),
                ..Default::default()
            });
            d.offenses.push(Offense {
                incident_id: id.clone().into(),
                offense_id: format!("{id}-1").into(),
                nibrs_code: String::new().into(),
                local_code: Some(text.into()),
                ..Default::default()
            });
            want.push(class);
        }
    }
    (d, want)
}

fn audit_of(d: &Dataset) -> import::Audit {
    let out = ImportOutcome {
        dataset: d.clone(),
        profile: "incident export".into(),
        ..Default::default()
    };
    import::audit(
        &out,
        &Profile::new("incident export"),
        &CodeTable::nibrs_default(),
        &AuditThresholds::default(),
    )
}

#[test]
fn an_incident_only_export_gives_incidents_by_class() {
    let (d, want) = incident_export(12, |_| 4);
    let classes = classify_incidents(&d, &PipelineConfig::default(), &[]).unwrap();
    assert_eq!(classes.classes, want);
    let a = audit_of(&d);
    let count = |c: IncidentClass| want.iter().filter(|x| **x == c).count() as u64;
    for c in IncidentClass::ALL {
        assert_eq!(a.incidents_by_class[c.as_str()], count(c), "{}", c.as_str());
    }
    // The same class names as the pairs, plus the two incident-only ones.
    for k in a.pairs_by_class.keys() {
        assert!(a.incidents_by_class.contains_key(k), "{k}");
    }
    assert_eq!(a.incidents_by_class.values().sum::<u64>(), d.incidents.len() as u64);
    assert_eq!(
        a.domestic_incidents,
        count(IncidentClass::IntimatePartner)
            + count(IncidentClass::OtherFamily)
            + count(IncidentClass::DomesticUnspecified)
    );
    assert_eq!(count(IncidentClass::IntimatePartner), 48);
    // Not "not ready: no pairs", but the incident-level inquiry and what it cannot do.
    assert_eq!(a.verdict.readiness, import::audit::Readiness::Caution);
    assert!(
        a.verdict.headline.starts_with("Incident-level inquiry"),
        "{}",
        a.verdict.headline
    );
    assert!(
        a.verdict.headline.contains("48 intimate partner"),
        "{}",
        a.verdict.headline
    );
    let reasons = a.verdict.reasons.join("\n");
    for words in [
        "offender lists and linkage need person records with names or ids",
        "ask the records unit for a person-level export",
        "a domestic flag alone cannot tell partners from other family",
    ] {
        assert!(reasons.contains(words), "no {words:?} in\n{reasons}");
    }
    let text = a.summary_text();
    assert!(text.contains("Incidents by class: intimate_partner 48"), "{text}");
    // The JSON carries both counts beside the pair counts.
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(
        json["incidents_by_class"]["not_domestic"],
        count(IncidentClass::NotDomestic)
    );
    assert!(json["domestic_incidents"].as_u64().unwrap() > 0 && json["pairs_by_class"].is_object());
}

#[test]
fn an_incident_export_with_nothing_domestic_is_not_ready_and_says_why() {
    let (mut d, _) = incident_export(2, |_| 0);
    for k in 0..d.incidents.len() {
        d.incidents.update(k, |i| i.domestic_flag = None);
    }
    d.offenses.retain(|o| o.local_code == Some("VEHICLE - STOLEN"));
    let a = audit_of(&d);
    assert_eq!(a.verdict.readiness, import::audit::Readiness::NotReady);
    assert!(
        a.verdict.headline.contains("IPV cannot be counted"),
        "{}",
        a.verdict.headline
    );
    assert_eq!(a.incidents_by_class["not_domestic"], d.incidents.len() as u64);
}

#[test]
fn the_report_from_incidents_alone_is_shareable() {
    let (d, want) = incident_export(12, |m| 3 + (m as usize % 3));
    let m = from_incidents(&d, &[], "Test City");
    let ic = m.incidents_by_class.as_ref().unwrap();
    let ipv = want.iter().filter(|c| **c == IncidentClass::IntimatePartner).count() as u64;
    assert_eq!(ic[0], ("intimate_partner".to_string(), Count::Value(ipv)));
    assert_eq!(m.monthly.len(), 12);
    assert_eq!(m.monthly.iter().map(|r| r.ipv.value().unwrap()).sum::<u64>(), ipv);
    assert!(m.monthly.iter().all(|r| r.domestic_unspecified.is_some()));
    assert!(m
        .by_offense
        .iter()
        .any(|r| r.key == "INTIMATE PARTNER - SIMPLE ASSAULT"));
    assert_eq!(m.by_place.len(), 4);
    assert_eq!(m.by_agency[0].key, "LAPD");
    assert!(m
        .unavailable
        .iter()
        .any(|u| u.section == "IPVI lists" && u.reason.contains("person-level export")));
    // Shareable: monthly cells under the threshold are suppressed, and no incident id appears.
    let shared = m.shareable(THRESHOLD);
    assert!(shared
        .monthly
        .iter()
        .any(|r| r.ipv.value().is_none() || r.other_family.value().is_none()));
    let html = page(&shared, &ReportOptions::default());
    for words in [
        "Incidents by class",
        "Domestic incidents by place",
        "cannot tell partners from other family",
        "Rampart",
    ] {
        assert!(html.contains(words), "no {words:?} in the report");
    }
    assert!(
        !d.incidents.iter().any(|i| html.contains(i.incident_id)),
        "an incident id in the report"
    );
    // The metrics JSON reads back.
    let back =
        ipvi_core::report::metrics::SiteMetrics::from_json("m.json", &serde_json::to_string(&shared).unwrap()).unwrap();
    assert_eq!(back, shared);
}

#[test]
fn the_interrupted_time_series_runs_on_monthly_ipv_incidents() {
    // 36 months; from month 24 on, half as many IPV incidents.
    let (d, _) = incident_export(36, |m| if m < 24 { 40 } else { 20 });
    let classes = classify_incidents(&d, &PipelineConfig::default(), &[]).unwrap();
    let series = monthly_incidents(&d, &classes, IncidentClass::IntimatePartner);
    assert_eq!(series.len(), 36);
    assert_eq!(series[0], ("2020-01".to_string(), 40));
    assert_eq!(series[30].1, 20);
    let counts: Vec<f64> = series.iter().map(|(_, n)| *n as f64).collect();
    let r = interrupted(&counts, 24, 2).unwrap();
    assert!((r.level_change.value - 0.5).abs() < 0.05, "{:?}", r.level_change);
    assert!(r.level_change.excludes_one());
}

#[test]
fn person_level_incidents_take_their_most_serious_pair() {
    let mut d = Dataset::default();
    let pair = |iid: &str, v: &str, code: &str| Pair {
        incident_id: iid.into(),
        victim_record_id: v.into(),
        offender_record_id: format!("{iid}-O").into(),
        relationship_code: Some(code.into()),
        ..Default::default()
    };
    for (iid, flag) in [
        ("A", None),
        ("B", None),
        ("C", Some(true)),
        ("D", None),
        ("E", Some(true)),
    ] {
        d.incidents.push(Incident {
            incident_id: iid.into(),
            domestic_flag: flag,
            ..Default::default()
        });
    }
    d.pairs = vec![
        pair("A", "A1", "ST"),
        pair("A", "A2", "SE"),
        pair("A", "A3", "CH"),
        pair("B", "B1", "PA"),
        pair("B", "B2", "AQ"),
        pair("C", "C1", "AQ"),
        pair("D", "D1", "RU"),
    ]
    .into();
    let cfg = PipelineConfig::default();
    let (dec, _) = classify_pairs(&d, &cfg, &Overrides::default(), &mut |_, _| true).unwrap();
    let pc: Vec<RelClass> = dec.iter().map(|x| x.class).collect();
    let classes = classify_incidents(&d, &cfg, &pc).unwrap();
    assert_eq!(
        classes.classes,
        [
            IncidentClass::IntimatePartner,
            IncidentClass::OtherFamily,
            IncidentClass::DomesticUnspecified,
            IncidentClass::Unknown,
            IncidentClass::DomesticUnspecified,
        ]
    );
    assert_eq!(classes.both, [true, false, false, false, false]);
    let a = audit_of(&d);
    assert_eq!(a.incidents_by_class["intimate_partner"], 1);
    assert_eq!(a.incidents_by_class["domestic_unspecified"], 2);
    assert_eq!(a.domestic_incidents, 4);
}

/// `<workspace root>/../shared/data` (a worktree one level deeper also looks one level up).
fn shared_data() -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let near = root.join("../shared/data");
    if near.exists() {
        return near;
    }
    root.join("../../shared/data")
}

#[test]
fn az_2019_class_counts_by_pairs_are_unchanged_and_incidents_are_classed() {
    let dir = shared_data().join("nibrs/AZ_2019");
    let mut data: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the AZ 2019 extract is expected at {}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    data.sort();
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let table = CodeTable::nibrs_default();
    let reference = ipvi_core::nibrs::analyze_extract(&files, &table, &mut |_| true).unwrap();
    let (out, choice) = import::import_files(&files, None, None).unwrap();
    let a = import::audit(&out, choice.profile(), &table, &AuditThresholds::default());
    // NIBRS offence codes are not relationship evidence: the README's pair counts stand.
    for c in RelClass::ALL {
        assert_eq!(
            a.pairs_by_class[c.as_str()],
            reference.summary.class(c).pairs,
            "{}",
            c.as_str()
        );
    }
    assert_eq!(a.pairs_by_class["intimate_partner"], 1832);
    assert_eq!(a.pairs_by_source.get("offense"), None);
    // The pipeline's decision gives the same classes (one decision function).
    let (dec, src) = classify_pairs(
        &out.dataset,
        &PipelineConfig::default(),
        &Overrides::default(),
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(src.offense, 0);
    for c in RelClass::ALL {
        let n = dec.iter().filter(|x| x.class == c).count() as u64;
        assert_eq!(n, a.pairs_by_class[c.as_str()], "pipeline vs audit, {}", c.as_str());
    }
    // Every incident has a class; IPV incidents are those with an IPV pair (README: 1,719).
    assert_eq!(
        a.incidents_by_class.values().sum::<u64>(),
        reference.summary.incidents_total
    );
    assert_eq!(a.incidents_by_class["intimate_partner"], 1719);
    assert_eq!(
        a.incidents_by_class["other_family"],
        reference.summary.class(RelClass::OtherFamily).incidents - reference.summary.mixed_ipv_family_incidents
    );
    assert!(a.domestic_incidents >= 1719 + a.incidents_by_class["other_family"]);
}
