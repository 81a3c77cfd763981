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
            offender_record_id: data.involvements[n - 2].record_id.clone(),
            victim_record_id: data.involvements[n - 1].record_id.clone(),
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
