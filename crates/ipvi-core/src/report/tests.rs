//! The shareable report holds no names or record ids and suppresses every small cell.

use super::html::{page, ReportOptions};
use super::metrics::{from_case, SiteMetrics};
use super::suppress::Count;
use crate::date::Date;
use crate::model::{Dataset, Incident, Involvement, Offense, Pair, RelClass, Role};
use crate::offenders::features::Window;
use crate::offenders::lists::Snapshot;
use crate::offenders::outputs::{analyze, OffenderConfig};
use crate::offenders::CaseFile;

fn counts(m: &SiteMetrics) -> Vec<Count> {
    let mut out = vec![
        m.incidents_total,
        m.domestic.ipv_only,
        m.domestic.other_family_only,
        m.domestic.both,
    ];
    out.extend(m.monthly.iter().flat_map(|r| [r.ipv, r.other_family, r.other]));
    out.extend(m.pairs_by_class.iter().map(|x| x.1));
    if let Some(l) = &m.lists {
        out.extend(l.sizes.iter().map(|x| x.1));
        out.extend(l.changes.iter().map(|x| x.2));
    }
    if let Some(g) = &m.repeat_gaps {
        out.extend(g.iter().map(|x| x.1));
    }
    if let Some(v) = &m.versatility {
        out.extend(v.by_type.iter().map(|x| x.1));
    }
    out
}

#[test]
fn shareable_report_has_no_identifiers_and_no_small_cells() {
    let mut data = Dataset::default();
    let (mut classes, mut person_of) = (Vec::new(), Vec::new());
    // 300 incidents over a year: offenders 0..40 (some repeat), victims 100.., a few other-family.
    for i in 0..300u32 {
        let id = format!("INC{i:05}");
        let date = Date::from_ymd(2024, 1 + (i % 12), 1 + (i % 27)).unwrap_or(Date(0));
        data.incidents.push(Incident {
            incident_id: id.clone().into(),
            agency: "PD".into(),
            date: Some(date),
            ..Incident::default()
        });
        data.offenses.push(Offense {
            incident_id: id.clone().into(),
            nibrs_code: if i % 7 == 0 { "13A".into() } else { "13B".into() },
            ..Offense::default()
        });
        let (o, v) = (i % 40, 100 + i % 90);
        for (p, role) in [(o, Role::Offender), (v, Role::Victim)] {
            data.involvements.push(Involvement {
                record_id: compact_str::format_compact!("REC{}-{p}", data.involvements.len()),
                incident_id: id.clone().into(),
                role: Some(role),
                first_name: compact_str::format_compact!("Givenname{p}"),
                last_name: compact_str::format_compact!("Surname{p}"),
                ..Involvement::default()
            });
            person_of.push(p);
        }
        let n = data.involvements.len();
        data.pairs.push(Pair {
            incident_id: id.into(),
            offender_record_id: data.involvements.record_id(n - 2).unwrap_or_default().into(),
            victim_record_id: data.involvements.record_id(n - 1).unwrap_or_default().into(),
            ..Pair::default()
        });
        classes.push(if i % 10 == 0 {
            RelClass::OtherFamily
        } else if i % 13 == 0 {
            RelClass::Unknown
        } else {
            RelClass::IntimatePartner
        });
    }
    let ids: Vec<String> = (0..200).map(|p| format!("PERSON-{p:04}")).collect();
    let cf = CaseFile::new(&data, &classes, &person_of, &ids, &[]).expect("fixture");
    let as_of = Date::from_ymd(2024, 12, 31).unwrap_or(Date(0));
    let report = analyze(
        &cf,
        Window::five_years(as_of),
        &OffenderConfig::default(),
        &Snapshot::default(),
    );
    let metrics = from_case(&cf, &report, "Test site");
    let shared = metrics.shareable(11);
    let html = page(
        &shared,
        &ReportOptions {
            prepared_on: "2025-01-02".into(),
            extra_sections: vec![],
        },
    );
    let json = serde_json::to_string(&shared).expect("json");
    for out in [&html, &json] {
        assert!(!out.contains("Surname") && !out.contains("Givenname"), "a name leaked");
        assert!(
            !out.contains("REC") && !out.contains("PERSON-") && !out.contains("INC0"),
            "an id leaked"
        );
    }
    let all = counts(&shared);
    assert!(
        all.iter().all(|c| c.value().is_none_or(|v| v == 0 || v >= 11)),
        "a small cell is published: {all:?}"
    );
    assert!(
        all.iter().any(|c| c.value().is_none()),
        "the fixture should need suppression"
    );
    // The internal metrics still hold the small cells.
    assert!(counts(&metrics)
        .iter()
        .any(|c| c.value().is_some_and(|v| v > 0 && v < 11)));
    // Round trip and version check of the peer-learning file.
    let back = SiteMetrics::from_json("site.json", &json).expect("reads back");
    assert_eq!(serde_json::to_string(&back).expect("json"), json);
    let newer = json.replacen("\"version\":1", "\"version\":99", 1);
    assert!(SiteMetrics::from_json("site.json", &newer)
        .unwrap_err()
        .to_string()
        .contains("newer version"));
    assert!(html.contains("<svg") && !html.contains("<script"));
}

fn opts() -> ReportOptions {
    ReportOptions {
        prepared_on: "2025-01-02".into(),
        extra_sections: vec![],
    }
}

/// A small dataset with dated incidents of each class, for the report's page checks.
fn small(synthetic: bool) -> SiteMetrics {
    let mut data = Dataset {
        synthetic,
        ..Dataset::default()
    };
    let mut classes = Vec::new();
    for i in 0..40u32 {
        let id = format!("I{i}");
        data.incidents.push(Incident {
            incident_id: id.as_str().into(),
            date: Date::from_ymd(2024, 1 + i % 12, 1),
            ..Incident::default()
        });
        data.pairs.push(Pair {
            incident_id: id.as_str().into(),
            ..Pair::default()
        });
        classes.push(if i % 3 == 0 {
            RelClass::OtherFamily
        } else {
            RelClass::IntimatePartner
        });
    }
    super::metrics::from_incidents(&data, &classes, "Site")
}

/// Every output made from the sample says it is synthetic: the metrics carry the dataset's
/// mark, and the page says so in its title, heading and a note; real data says nothing of it.
#[test]
fn synthetic_data_is_marked_on_the_report() {
    let m = small(true);
    assert!(m.synthetic);
    for shown in [m.clone(), m.shareable(11)] {
        let html = page(&shown, &opts());
        assert!(html.contains("<title>Synthetic data — IPV problem analysis"), "title");
        assert!(html.contains("<h1>Synthetic data — "), "heading");
        assert!(html.contains(super::html::SYNTHETIC_NOTE), "note");
        let json = serde_json::to_string(&shown).expect("json");
        assert!(json.contains("\"synthetic\":true"), "the metrics file says so too");
    }
    let real = small(false);
    assert!(!real.synthetic);
    let html = page(&real, &opts());
    assert!(
        !html.contains("Synthetic data") && !html.contains("class=\"synthetic\""),
        "real data marked synthetic"
    );
    assert!(!serde_json::to_string(&real).expect("json").contains("synthetic"));
}

/// A data table under each chart: every chart of the page sits in a `.pair` with its table
/// after it, and the two "usable" figures are explained in the data-quality section.
#[test]
fn every_chart_has_a_table_under_it_and_usable_is_explained() {
    let html = page(&small(false), &opts());
    let charts = html.matches("<svg").count();
    assert!(charts >= 2, "{charts} charts");
    for part in html.split("<div class=\"pair\">").skip(1) {
        let block = part.split("</div>").next().unwrap_or("");
        let svg = block.find("<svg").unwrap_or(usize::MAX);
        let table = block.find("<table").unwrap_or(0);
        assert!(
            svg < table,
            "a chart without a table after it: {}",
            &block[..block.len().min(200)]
        );
    }
    assert_eq!(
        html.matches("<div class=\"pair\">").count(),
        charts,
        "a chart outside a chart-and-table pair"
    );
    assert!(html.contains(super::html::USABLE_NOTE));
    // Also when the unknown count is suppressed in the shareable version.
    let shared = page(&small(false).shareable(1000), &opts());
    assert!(
        shared.contains(super::html::USABLE_NOTE),
        "explained when the share is suppressed"
    );
    assert!(
        html.contains(".pair{display:flex;flex-direction:column"),
        "tables go under the charts"
    );
}

/// The implementation measures travel in the metrics JSON, suppressed like every other count.
#[test]
fn the_fidelity_section_is_suppressed_in_the_shareable_metrics() {
    use crate::fidelity::{measure, Attempt};
    use crate::offenders::List;
    let d = |s: &str| Date::parse(s).expect("date");
    let attempts: Vec<Attempt> = (0..5u32)
        .map(|p| Attempt {
            person: p,
            date: d("2024-02-01"),
            list: List::B,
            kind: "letter".into(),
            by: "PATROL".into(),
            delivered: true,
            qualifying: Some(d("2024-01-20")),
        })
        .collect();
    let f = measure(&attempts, &[], &[], d("2024-12-31"));
    let m = small(false).with_fidelity(&f);
    let internal = m.fidelity.clone().expect("fidelity");
    assert_eq!(
        (internal.delay_all.n, internal.delay_all.median),
        (Count::Value(5), Some(12))
    );
    let shared = m.shareable(11);
    let sf = shared.fidelity.clone().expect("fidelity");
    assert_eq!((sf.delay_all.n, sf.delay_all.median), (Count::Suppressed, None));
    let json = serde_json::to_string(&shared).expect("json");
    let back = SiteMetrics::from_json("m.json", &json).expect("metrics");
    assert_eq!(back.fidelity, shared.fidelity);
    assert!(
        back.fidelity_exact.is_none(),
        "the exact counts never leave in shareable metrics"
    );
    // Internal metrics read back (the app's worker sends them to the page) are suppressed alike.
    let json = serde_json::to_string(&m).expect("json");
    let read = SiteMetrics::from_json("m.json", &json).expect("metrics").shareable(11);
    assert_eq!(read.fidelity, shared.fidelity);
    // A section suppressed at a lower threshold cannot be suppressed again: it is left out.
    let json = serde_json::to_string(&m.shareable(3)).expect("json");
    let again = SiteMetrics::from_json("m.json", &json).expect("metrics").shareable(11);
    assert!(again.fidelity.is_none());
    assert!(again.unavailable.iter().any(|u| u.section == "fidelity"));
}
