//! Offences as evidence of the relationship: the pattern table, statute and local-code wordings,
//! the pair decision (pipeline and audit alike), conflicts, and the domestic flag's meaning.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::import::audit::{self, AuditThresholds};
use ipvi_core::import::profile::Profile;
use ipvi_core::import::ImportOutcome;
use ipvi_core::model::{Dataset, DecisionSource, Incident, Offense, Pair, RelClass};
use ipvi_core::pipeline::{classify_pairs, PipelineConfig};
use ipvi_core::textclass::offense::{OffenseClass, OffensePattern, OffensePatterns, PatternKind};
use ipvi_core::textclass::{Overrides, PairDecision};

fn patterns() -> OffensePatterns {
    OffensePatterns::builtin().expect("the built-in offence patterns parse")
}

#[test]
fn the_pattern_table_parses_and_every_line_names_a_class() {
    let p = patterns();
    let src = OffensePatterns::builtin_source();
    let lines: Vec<&str> = src
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(p.patterns().len(), lines.len(), "every data line is a pattern");
    for l in &lines {
        let cols: Vec<&str> = l.split('\t').collect();
        assert!(cols.len() >= 5, "kind, pattern, class, confidence and a note: {l:?}");
        assert!(OffenseClass::parse(cols[2]).is_some(), "no class in {l:?}");
        assert!(!cols[4].trim().is_empty(), "no note or source in {l:?}");
    }
    for c in [
        OffenseClass::IntimatePartner,
        OffenseClass::OtherFamily,
        OffenseClass::Domestic,
        OffenseClass::None,
    ] {
        assert!(p.patterns().iter().any(|x| x.class == c), "no pattern of class {c:?}");
    }
    // Saved and loaded as JSON, the table is the same.
    assert_eq!(OffensePatterns::from_json(&p.to_json()).unwrap(), p);
}

#[test]
fn broken_pattern_lines_say_where() {
    let e = OffensePatterns::from_tsv("mine.tsv", "# c\nwords\tSPOUSE\tpartner\t0.9\tx\n").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("mine.tsv") && msg.contains("line 2") && msg.contains("partner"),
        "{msg}"
    );
    let e = OffensePatterns::from_tsv("mine.tsv", "statute\t273.5\tintimate_partner\t1.5\tx\n").unwrap_err();
    assert!(e.to_string().contains("between 0 and 1"), "{e}");
    assert!(OffensePatterns::from_json("{\"patterns\": 3}").is_err());
}

/// (offence text as exported, class it names or None).
const CASES: &[(&str, Option<OffenseClass>)] = &[
    // Local code descriptions (LAPD, SFPD, Chicago IUCR).
    ("INTIMATE PARTNER - SIMPLE ASSAULT", Some(OffenseClass::IntimatePartner)),
    (
        "INTIMATE PARTNER - AGGRAVATED ASSAULT",
        Some(OffenseClass::IntimatePartner),
    ),
    (
        "626 INTIMATE PARTNER - SIMPLE ASSAULT",
        Some(OffenseClass::IntimatePartner),
    ),
    (
        "BATTERY, FORMER SPOUSE OR DATING RELATIONSHIP",
        Some(OffenseClass::IntimatePartner),
    ),
    (
        "Battery, former Spouse or Dating Relationship",
        Some(OffenseClass::IntimatePartner),
    ),
    ("INFLICT INJURY ON COHABITEE", Some(OffenseClass::IntimatePartner)),
    (
        "CORPORAL INJURY ON SPOUSE/COHABITANT",
        Some(OffenseClass::IntimatePartner),
    ),
    ("SPOUSAL ABUSE", Some(OffenseClass::IntimatePartner)),
    ("DOMESTIC PARTNER BATTERY", Some(OffenseClass::IntimatePartner)),
    (
        "CHILD ABUSE (PHYSICAL) - SIMPLE ASSAULT",
        Some(OffenseClass::OtherFamily),
    ),
    (
        "CHILD ABUSE (PHYSICAL) - AGGRAVATED ASSAULT",
        Some(OffenseClass::OtherFamily),
    ),
    (
        "CRM AGNST CHLD (13 OR UNDER) (14-15 & SUSP 10 YRS OLDER)",
        Some(OffenseClass::OtherFamily),
    ),
    (
        "ELDER ADULT OR DEPENDENT ABUSE (NOT EMBEZZLEMENT OR THEFT)",
        Some(OffenseClass::OtherFamily),
    ),
    ("WILLFUL CRUELTY TO CHILD", Some(OffenseClass::OtherFamily)),
    ("CRIM SEX ABUSE BY FAM MEMBER", Some(OffenseClass::OtherFamily)),
    ("DOMESTIC BATTERY SIMPLE", Some(OffenseClass::Domestic)),
    ("AGGRAVATED DOMESTIC BATTERY: HANDGUN", Some(OffenseClass::Domestic)),
    ("ASSAULT CAUSES BODILY INJ FAMILY MEMBER", Some(OffenseClass::Domestic)),
    (
        "ASSAULT FAM/HOUSE MEM IMPEDE BREATH/CIRCULAT",
        Some(OffenseClass::Domestic),
    ),
    ("BATTERY ON FAMILY OR HOUSEHOLD MEMBER", Some(OffenseClass::Domestic)),
    ("assault-dv", Some(OffenseClass::Domestic)),
    // Texas "family or dating" wordings (Austin PD) name no single class: "dating" inside them
    // does not make IPV.
    ("ASSAULT W/INJURY-FAM/DATE VIOL", Some(OffenseClass::Domestic)),
    ("AGG ASSAULT FAM/DATE VIOLENCE", Some(OffenseClass::Domestic)),
    ("ASSAULT BY CONTACT FAM/DATING", Some(OffenseClass::Domestic)),
    ("INJ TO ELDERLY   FAM/DATE VIOL", Some(OffenseClass::Domestic)),
    (
        "ASSLT CAUSES BODILY INJ DATE/FAM/HOUSE (F3",
        Some(OffenseClass::Domestic),
    ),
    (
        "ASSLT CAUSE BODILY INJ FAMILY VIO ENH (F3)",
        Some(OffenseClass::Domestic),
    ),
    (
        "ASSLT CAUSES BODILY INJ:FAMILY MEMBER (MA)",
        Some(OffenseClass::Domestic),
    ),
    // Denver offense type ids.
    ("aggravated-assault-dv", Some(OffenseClass::Domestic)),
    ("harassment-dv", Some(OffenseClass::Domestic)),
    ("homicide-family", Some(OffenseClass::Domestic)),
    ("assault-simple", None),
    // Florida charge files and New Orleans item types.
    ("SIMPLE BATTERY (DOMESTIC)", Some(OffenseClass::Domestic)),
    ("784.03(1A2) SIMPLE BATTERY (DOMESTIC)", Some(OffenseClass::Domestic)),
    ("AGGRAVATED BATTERY (DOMESTIC)", Some(OffenseClass::Domestic)),
    // A text naming both a partner and other family is only domestic.
    ("BATTERY ON SPOUSE; CHILD ABUSE", Some(OffenseClass::Domestic)),
    // Statute numbers, written the ways charge files write them.
    ("PC 273.5(A)", Some(OffenseClass::IntimatePartner)),
    ("273.5 PC CORPORAL INJURY", Some(OffenseClass::IntimatePartner)),
    ("243(E)(1) PC", Some(OffenseClass::IntimatePartner)),
    ("PC 243 (e)(1) BATTERY", Some(OffenseClass::IntimatePartner)),
    ("CRS 18-6-800.3", Some(OffenseClass::IntimatePartner)),
    ("PC 273A(A)", Some(OffenseClass::OtherFamily)),
    ("273D PC", Some(OffenseClass::OtherFamily)),
    ("PC 368(B)(1)", Some(OffenseClass::OtherFamily)),
    ("F.S. 741.28", Some(OffenseClass::Domestic)),
    ("720 ILCS 5/12-3.2", Some(OffenseClass::Domestic)),
    ("720 ILCS 5/12-3.2(a)(1)", Some(OffenseClass::Domestic)),
    ("ARS 13-3601", Some(OffenseClass::Domestic)),
    ("PC 22.01(b)(2)", Some(OffenseClass::Domestic)),
    ("ORC 2919.25", Some(OffenseClass::Domestic)),
    // No relationship named.
    ("784.03 BATTERY", None),
    ("BATTERY - SIMPLE ASSAULT", None),
    ("ASSAULT WITH DEADLY WEAPON, AGGRAVATED ASSAULT", None),
    ("CHILD ANNOYING (17YRS & UNDER)", None),
    ("CRUELTY TO DOMESTIC ANIMAL", None),
    ("NON-DOMESTIC AGGRAVATED ASSAULT", None),
    ("THEFT-GRAND ($950.01 & OVER)EXCPT,GUNS,FOWL,LIVESTK,PROD", None),
    ("PC 22.01(a)(1)", None),
    ("12-3.25", None),
    ("2273.5", None),
    ("273.55", None),
    ("PC 273AX", None),
    // NIBRS offence codes and names name no relationship.
    ("13B", None),
    ("13A", None),
    ("Simple Assault", None),
    ("Aggravated Assault", None),
    ("", None),
];

#[test]
fn statute_and_local_code_wordings_are_classified() {
    let p = patterns();
    let mut wrong = Vec::new();
    for (text, want) in CASES {
        let got = p.classify(text).map(|m| m.class);
        if got != *want {
            wrong.push(format!("{text:?}: got {got:?}, want {want:?} ({:?})", p.matches(text)));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

fn incident(id: &str, flag: Option<bool>) -> Incident {
    Incident {
        incident_id: id.into(),
        agency: "AG".into(),
        date: ipvi_core::date::Date::parse("2023-05-01"),
        domestic_flag: flag,
        ..Default::default()
    }
}

fn offense(iid: &str, text: &str) -> Offense {
    Offense {
        incident_id: iid.into(),
        offense_id: format!("{iid}-1").into(),
        nibrs_code: "13B".into(),
        local_code: Some(text.into()),
        ..Default::default()
    }
}

fn pair(iid: &str, code: Option<&str>, text: Option<&str>) -> Pair {
    Pair {
        incident_id: iid.into(),
        victim_record_id: format!("{iid}-V").into(),
        offender_record_id: format!("{iid}-O").into(),
        relationship_code: code.map(Into::into),
        relationship_text: text.map(Into::into),
        dv_circumstance: false,
    }
}

/// One incident with one pair: (offence text, relationship code, free text, domestic flag).
type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<bool>);

/// One pair per incident.
fn dataset(rows: &[Row<'_>]) -> Dataset {
    let mut d = Dataset::default();
    for (k, (off, code, text, flag)) in rows.iter().enumerate() {
        let iid = format!("I{k}");
        d.incidents.push(incident(&iid, *flag));
        if !off.is_empty() {
            d.offenses.push(offense(&iid, off));
        }
        d.pairs.push(pair(&iid, *code, *text));
    }
    d
}

fn decide(d: &Dataset, cfg: &PipelineConfig) -> Vec<PairDecision> {
    classify_pairs(d, cfg, &Overrides::default(), &mut |_, _| true)
        .unwrap()
        .0
}

fn audit_of(d: &Dataset) -> audit::Audit {
    let out = ImportOutcome {
        dataset: d.clone(),
        profile: "test".into(),
        ..Default::default()
    };
    audit::audit(
        &out,
        &Profile::new("test"),
        &CodeTable::nibrs_default(),
        &AuditThresholds::default(),
    )
}

#[test]
fn an_offence_naming_the_relationship_decides_a_pair_with_no_usable_code() {
    let d = dataset(&[
        ("INTIMATE PARTNER - SIMPLE ASSAULT", None, None, None),
        ("BATTERY, FORMER SPOUSE OR DATING RELATIONSHIP", Some("RU"), None, None),
        ("CHILD ABUSE (PHYSICAL) - SIMPLE ASSAULT", Some("ZZ"), None, None),
        ("PC 273.5(A)", None, None, None),
        ("BATTERY - SIMPLE ASSAULT", None, None, None),
    ]);
    let ds = decide(&d, &PipelineConfig::default());
    let classes: Vec<RelClass> = ds.iter().map(|x| x.class).collect();
    assert_eq!(
        classes,
        [
            RelClass::IntimatePartner,
            RelClass::IntimatePartner,
            RelClass::OtherFamily,
            RelClass::IntimatePartner,
            RelClass::Unknown
        ]
    );
    assert_eq!(ds[0].source, DecisionSource::Offense);
    assert!(
        ds[0]
            .reason
            .contains("offence 'INTIMATE PARTNER - SIMPLE ASSAULT' names an intimate partner"),
        "{}",
        ds[0].reason
    );
    assert!(ds[0].confidence >= 0.9 && !ds[0].conflict);
    assert_eq!(ds[4].source, DecisionSource::None);
    // The audit decides the same way and counts the source.
    let a = audit_of(&d);
    assert_eq!(a.pairs_by_class["intimate_partner"], 3);
    assert_eq!(a.pairs_by_class["other_family"], 1);
    assert_eq!(a.pairs_by_source.get("offense"), Some(&4));
}

#[test]
fn a_specific_code_stays_strongest_and_a_contradicting_offence_goes_to_review() {
    let d = dataset(&[
        // Code parent, offence names an intimate partner.
        ("INTIMATE PARTNER - AGGRAVATED ASSAULT", Some("PA"), None, None),
        // Code spouse, offence child abuse.
        ("CHILD ABUSE (PHYSICAL) - SIMPLE ASSAULT", Some("SE"), None, None),
        // Code spouse, offence agrees.
        ("CORPORAL INJURY ON SPOUSE", Some("SE"), None, None),
        // Code spouse, generic domestic offence: no conflict.
        ("DOMESTIC BATTERY SIMPLE", Some("SE"), None, None),
        // Stranger code, offence names a partner.
        ("INTIMATE PARTNER - SIMPLE ASSAULT", Some("ST"), None, None),
    ]);
    let ds = decide(&d, &PipelineConfig::default());
    let got: Vec<(RelClass, DecisionSource, bool)> = ds.iter().map(|x| (x.class, x.source, x.conflict)).collect();
    assert_eq!(
        got,
        [
            (RelClass::OtherFamily, DecisionSource::Code, true),
            (RelClass::IntimatePartner, DecisionSource::Code, true),
            (RelClass::IntimatePartner, DecisionSource::Code, false),
            (RelClass::IntimatePartner, DecisionSource::Code, false),
            (RelClass::Stranger, DecisionSource::Code, true),
        ]
    );
    assert!(
        ds[0].reason.contains("offence says intimate_partner"),
        "{}",
        ds[0].reason
    );
    let a = audit_of(&d);
    assert_eq!(a.conflicts, 3);
    assert!(a
        .verdict
        .reasons
        .iter()
        .any(|r| r.contains("3 pair(s)") && r.contains("offence")));
}

#[test]
fn text_and_offence_weighed_by_confidence() {
    let d = dataset(&[
        // Strong free text beats a weaker offence; the disagreement is flagged.
        (
            "CHILD ABUSE (PHYSICAL) - SIMPLE ASSAULT",
            None,
            Some("GIRLFRIEND"),
            None,
        ),
        // A strong offence beats weak or unusable text.
        ("INTIMATE PARTNER - SIMPLE ASSAULT", None, Some("UNK"), None),
        // Text and offence agree: the text decides, the reason says the offence agrees.
        ("INTIMATE PARTNER - SIMPLE ASSAULT", None, Some("EX-BOYFRIEND"), None),
    ]);
    let ds = decide(&d, &PipelineConfig::default());
    assert_eq!(
        (ds[0].class, ds[0].source, ds[0].conflict),
        (RelClass::IntimatePartner, DecisionSource::FreeText, true)
    );
    assert_eq!(
        (ds[1].class, ds[1].source),
        (RelClass::IntimatePartner, DecisionSource::Offense)
    );
    assert_eq!(
        (ds[2].class, ds[2].source, ds[2].conflict),
        (RelClass::IntimatePartner, DecisionSource::FreeText, false)
    );
    assert!(ds[2].reason.contains("the offence agrees"), "{}", ds[2].reason);
}

#[test]
fn a_domestic_flag_alone_never_gives_ipv() {
    let generic = [
        "DOMESTIC BATTERY SIMPLE",
        "DOMESTIC VIOLENCE",
        "FAMILY VIOLENCE",
        "ASSAULT FAMILY/HOUSEHOLD MEMBER",
        "720 ILCS 5/12-3.2",
        "ARS 13-3601",
        "FS 741.28",
        "",
    ];
    let rows: Vec<Row<'_>> = generic.iter().map(|g| (*g, None, None, Some(true))).collect();
    let mut d = dataset(&rows);
    for k in 0..d.pairs.len() {
        d.pairs.set_dv_circumstance(k, true);
    }
    let ds = decide(&d, &PipelineConfig::default());
    assert!(ds.iter().all(|x| x.class == RelClass::Unknown), "{ds:?}");
    let a = audit_of(&d);
    assert_eq!(a.pairs_by_class["intimate_partner"], 0);
    assert_eq!(a.incidents_by_class["intimate_partner"], 0);
    assert_eq!(a.incidents_by_class["domestic_unspecified"], generic.len() as u64);
    assert_eq!(a.domestic_incidents, generic.len() as u64);
    assert!(
        a.verdict
            .reasons
            .iter()
            .any(|r| r.contains("a domestic flag alone cannot tell partners from other family")),
        "{:?}",
        a.verdict.reasons
    );
    // The same without pairs: incidents, flags and generic offences only.
    d.pairs.clear();
    let a = audit_of(&d);
    assert_eq!(a.incidents_by_class["intimate_partner"], 0);
    assert_eq!(a.incidents_by_class["domestic_unspecified"], generic.len() as u64);
}

#[test]
fn the_analysts_table_replaces_the_default() {
    // A Colorado site: "DV" means an intimate relationship (CRS 18-6-800.3).
    let d = dataset(&[("assault-dv", None, None, None)]);
    assert_eq!(decide(&d, &PipelineConfig::default())[0].class, RelClass::Unknown);
    let mut mine: Vec<OffensePattern> = patterns().patterns().to_vec();
    for p in &mut mine {
        if p.kind == PatternKind::Words && p.pattern == "DV" {
            p.class = OffenseClass::IntimatePartner;
        }
    }
    let cfg = PipelineConfig {
        offense_patterns: Some(OffensePatterns::new(mine)),
        ..PipelineConfig::default()
    };
    let got = &decide(&d, &cfg)[0];
    assert_eq!(
        (got.class, got.source),
        (RelClass::IntimatePartner, DecisionSource::Offense)
    );
    // The configuration with its table survives JSON.
    let back: PipelineConfig = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
    assert_eq!(back, cfg);
}

#[test]
fn offences_naming_both_a_partner_and_other_family_decide_no_pair() {
    // Two victims in one incident: spouse battery and child abuse. The offences cannot say
    // which pair is which, so the pairs stay unknown, and the incident counts as IPV.
    let mut d = dataset(&[("CORPORAL INJURY ON SPOUSE", None, None, None)]);
    d.offenses.push(Offense {
        offense_id: "I0-2".into(),
        ..offense("I0", "CHILD ABUSE (PHYSICAL) - SIMPLE ASSAULT")
    });
    let ds = decide(&d, &PipelineConfig::default());
    assert_eq!(ds[0].class, RelClass::Unknown);
    d.pairs.clear();
    let a = audit_of(&d);
    assert_eq!(a.incidents_by_class["intimate_partner"], 1);
}

#[test]
fn arrest_charges_of_the_incident_are_evidence_too() {
    let mut d = dataset(&[("", None, None, None)]);
    d.arrests.push(ipvi_core::model::Arrest {
        arrest_id: "A1".into(),
        incident_id: Some("I0".into()),
        record_id: "I0-O".into(),
        charge_text: Some("243(E)(1) PC BATTERY ON SPOUSE".into()),
        ..Default::default()
    });
    let got = &decide(&d, &PipelineConfig::default())[0];
    assert_eq!(
        (got.class, got.source),
        (RelClass::IntimatePartner, DecisionSource::Offense)
    );
}
