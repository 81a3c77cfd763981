//! Data-driven tests of the text classifier: one helper per kind, text → expected class (and
//! direction), grouped by the phenomenon each case covers; the pair decision; a property test
//! that no input panics.

#![allow(clippy::unwrap_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::model::{DecisionSource, RelClass};
use ipvi_core::textclass::{
    classify_narrative, classify_relationship, decide_pair, decide_pair_with, Lexicon, Override, Overrides, PairPolicy,
    Relation, TextClassifier, TextConfig,
};
use proptest::prelude::*;
use RelClass::*;

fn rel(cases: &[(&str, RelClass)]) {
    let mut bad = Vec::new();
    for (text, want) in cases {
        let d = classify_relationship(text);
        assert_eq!(d.source, DecisionSource::FreeText);
        if d.class != *want {
            bad.push(format!(
                "{text:?}: want {} got {} ({})",
                want.as_str(),
                d.class.as_str(),
                d.reason
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn nar(cases: &[(&str, RelClass)]) {
    let mut bad = Vec::new();
    for (text, want) in cases {
        let d = classify_narrative(text);
        assert_eq!(d.source, DecisionSource::Narrative);
        if d.class != *want {
            bad.push(format!(
                "{text:?}: want {} got {} ({})",
                want.as_str(),
                d.class.as_str(),
                d.reason
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn abbreviations_and_punctuation() {
    rel(&[
        ("B/F", IntimatePartner),
        ("bf", IntimatePartner),
        ("G/F", IntimatePartner),
        ("g.f.", IntimatePartner),
        ("EX-BF", IntimatePartner),
        ("X-WIFE", IntimatePartner),
        ("EXWIFE", IntimatePartner),
        ("FMR SPOUSE", IntimatePartner),
        ("W/F", IntimatePartner),
        ("S/O", IntimatePartner),
        ("  boyfriend  ", IntimatePartner),
    ]);
}

#[test]
fn child_in_common() {
    rel(&[
        ("CHILD IN COMMON", IntimatePartner),
        ("BABY MOTHER", IntimatePartner),
        ("BM", IntimatePartner),
        ("BD", IntimatePartner),
        ("FATHER OF HER CHILD", IntimatePartner),
        ("MOTHER OF HIS KIDS", IntimatePartner),
        ("CHILD'S FATHER", IntimatePartner),
        ("papa de mi hijo", IntimatePartner),
    ]);
    nar(&[
        (
            "RP stated the victim's son's father came over and hit her.",
            IntimatePartner,
        ),
        ("V says she has a son with S1. S1 pushed her.", IntimatePartner),
        ("V STATES HIS BM SCRATCHED HIM.", IntimatePartner),
    ]);
}

#[test]
fn spouses_fiances_common_law_same_sex() {
    rel(&[
        ("fiance", IntimatePartner),
        ("fiancé", IntimatePartner),
        ("FIANCEE", IntimatePartner),
        ("ESTRANGED HUSBAND", IntimatePartner),
        ("SEPARATED SPOUSE", IntimatePartner),
        ("COMMON-LAW WIFE", IntimatePartner),
        ("SAME SEX PARTNER", IntimatePartner),
        ("PARAMOUR", IntimatePartner),
        ("PARTNER", IntimatePartner),
    ]);
}

#[test]
fn family_in_laws_step_and_half() {
    rel(&[
        ("MOTHER-IN-LAW", OtherFamily),
        ("in laws", OtherFamily),
        ("STEPSON", OtherFamily),
        ("STEP-MOTHER", OtherFamily),
        ("HALF BROTHER", OtherFamily),
        ("grandmother", OtherFamily),
        ("COUSIN", OtherFamily),
    ]);
}

#[test]
fn household_members_follow_the_configured_class() {
    rel(&[
        ("MOTHER'S BOYFRIEND", OtherFamily),
        ("GIRLFRIEND'S SON", OtherFamily),
        ("FOSTER CHILD", OtherFamily),
    ]);
    let c = TextClassifier::new(TextConfig {
        household_class: KnownNonFamily,
        ..TextConfig::default()
    })
    .unwrap();
    assert_eq!(c.relationship("MOTHER'S BOYFRIEND").class, KnownNonFamily);
    assert_eq!(c.relationship("girlfriends son").class, KnownNonFamily);
    assert_eq!(c.relationship("MOTHER").class, OtherFamily);
    assert_eq!(c.relationship("BOYFRIEND").class, IntimatePartner);
}

#[test]
fn spanish() {
    rel(&[
        ("esposo", IntimatePartner),
        ("esposa", IntimatePartner),
        ("novio", IntimatePartner),
        ("NOVIA", IntimatePartner),
        ("ex-novio", IntimatePartner),
        ("pareja", IntimatePartner),
        ("concubino", IntimatePartner),
        ("suegra", OtherFamily),
        ("suegro", OtherFamily),
        ("cuñado", OtherFamily),
        ("hermano", OtherFamily),
        ("madre", OtherFamily),
        ("padre", OtherFamily),
        ("hijo", OtherFamily),
        ("hija", OtherFamily),
    ]);
    nar(&[
        ("V DICE QUE SU ESPOSO LA GOLPEO.", IntimatePartner),
        ("V DICE QUE SU HIJO LA EMPUJO.", OtherFamily),
    ]);
}

#[test]
fn nibrs_codes_typed_as_text() {
    rel(&[
        ("BG", IntimatePartner),
        ("SE", IntimatePartner),
        ("XS", IntimatePartner),
        ("CS", IntimatePartner),
        ("PA", OtherFamily),
        ("SB", OtherFamily),
        ("AQ", KnownNonFamily),
        ("ST", Stranger),
        ("RU", Unknown),
    ]);
    // a code is only a code when it leads a short field
    nar(&[("SE HABLA ESPANOL. V STATED SHE WAS HIT.", Unknown)]);
}

#[test]
fn unknowns_and_blank() {
    rel(&[
        ("UNK", Unknown),
        ("N/A", Unknown),
        ("OTHER", Unknown),
        ("RU", Unknown),
        ("", Unknown),
        ("   ", Unknown),
    ]);
    assert_eq!(classify_relationship("").confidence, 0.0);
}

#[test]
fn non_family_and_strangers() {
    rel(&[
        ("ROOMMATE", KnownNonFamily),
        ("FRIEND", KnownNonFamily),
        ("NEIGHBOR", KnownNonFamily),
        ("STRANGER", Stranger),
    ]);
}

#[test]
fn typos() {
    rel(&[
        ("girlfirend", IntimatePartner),
        ("BOYFREIND", IntimatePartner),
        ("HUSBNAD", IntimatePartner),
        ("DAUGHTR", OtherFamily),
    ]);
}

#[test]
fn direction_is_kept_where_given() {
    let cases: &[(&str, Option<Relation>)] = &[
        ("MOTHER", Some(Relation::Parent)),
        ("SON", Some(Relation::Child)),
        ("VICTIM IS OFFENDER'S MOTHER", Some(Relation::Parent)),
        ("SUSPECT IS VICTIM'S SON", Some(Relation::Parent)),
        ("VICTIM IS THE SON OF THE OFFENDER", Some(Relation::Child)),
        ("MOTHER/SON", None),
    ];
    for (t, want) in cases {
        assert_eq!(classify_relationship(t).direction, *want, "{t}");
    }
    assert_eq!(
        classify_narrative("V STATED HER SON S1 PUSHED HER").direction,
        Some(Relation::Parent)
    );
    assert_eq!(
        classify_narrative("V is S1's grandmother. S1 pushed V.").direction,
        Some(Relation::Grandparent)
    );
}

#[test]
fn narrative_participants_and_styles() {
    nar(&[
        ("V STATES HER BF S1 PUSHED HER", IntimatePartner),
        (
            "On 03/14 I responded to a domestic. The victim stated her husband struck her.",
            IntimatePartner,
        ),
        ("S1, the victim's ex-husband, violated the order.", IntimatePartner),
        ("V1 and S1 have been dating for a year.", IntimatePartner),
        ("A/P IS VICTS COMMON LAW HUSBAND.", IntimatePartner),
        ("S1 is V's brother. S1 punched V.", OtherFamily),
        ("V STATED HER ROOMMATE S1 PUNCHED HER", KnownNonFamily),
        ("V stated an unknown male grabbed her purse.", Stranger),
        ("V stated she did not know the suspect.", Stranger),
        ("V stated a man she did not know grabbed her.", Stranger),
        ("V ADV S1 (HUSB) PUNCHED HER.", IntimatePartner),
        ("V ADV S1 (BM) SCRATCHED HIM.", IntimatePartner),
        // "BM" alone in a narrative is "black male", not a baby mother
        ("V STATED A BM APPROACHED HER AND GRABBED HER PURSE.", Unknown),
        ("S1 PUNCHED V. V REFUSED MEDICAL.", Unknown),
    ]);
}

#[test]
fn negation_traps() {
    nar(&[
        (
            "V stated she is not in a relationship with S1. S1 punched her.",
            KnownNonFamily,
        ),
        ("S1 denied dating V. S1 grabbed V.", KnownNonFamily),
        (
            "V stated there is no romantic relationship between her and S1.",
            KnownNonFamily,
        ),
        ("S1 IS NOT HER BOYFRIEND, THEY ARE JUST FRIENDS.", KnownNonFamily),
        // a relation that is over is still a partner
        ("V stated she is no longer dating S1. S1 hit her.", IntimatePartner),
        ("V and S1 are not together anymore. S1 hit her.", IntimatePartner),
        // a denial of the act, not of the relation
        ("S1 denied hitting his girlfriend V1.", IntimatePartner),
        (
            "V did not want her boyfriend S1 to leave. S1 pushed her.",
            IntimatePartner,
        ),
        // "did not know" needs a person after it
        (
            "V did not know her boyfriend S1 had a gun. S1 hit her.",
            IntimatePartner,
        ),
    ]);
}

#[test]
fn possession_and_third_party_traps() {
    nar(&[
        (
            "V stated her ex-boyfriend's new girlfriend S1 attacked her.",
            KnownNonFamily,
        ),
        ("V stated her brother's girlfriend punched her.", KnownNonFamily),
        ("V stated her mother's boyfriend S1 hit her.", OtherFamily),
        ("V stated her boyfriend's mother slapped her.", KnownNonFamily),
        ("V's sister has been dating S1. S1 punched V.", KnownNonFamily),
        (
            "While at her sister's house, V was hit by her boyfriend.",
            IntimatePartner,
        ),
        ("V's mother called 911 after V's boyfriend hit her.", IntimatePartner),
        (
            "The RP, who is the victim's neighbor, heard yelling. V stated her husband hit her.",
            IntimatePartner,
        ),
        (
            "V STATED HER BROTHER W1 SAW HER EX-HUSBAND S1 PUNCH HER.",
            IntimatePartner,
        ),
    ]);
}

#[test]
fn who_the_pronoun_and_the_reporting_party_are() {
    nar(&[
        // the reporting party is a third party when a victim is named besides
        (
            "RP (mother) stated her son S1 assaulted his girlfriend V1 at RP's home.",
            IntimatePartner,
        ),
        ("RP STATED HER SON S1 PUNCHED HER.", OtherFamily),
        // victim and offender named as relatives of a third person
        (
            "RP IS VICT'S DAUGHTER. RP STATES HER MOTHER (V) AND STEPFATHER (S1) WERE FIGHTING.",
            IntimatePartner,
        ),
        (
            "The caller, W1, stated her mother (V1) and father (S1) were fighting and S1 hit V1.",
            IntimatePartner,
        ),
        ("W1 stated her brother (V) and sister (S1) were fighting.", OtherFamily),
        // the pronoun points at the nearest participant other than the one described
        ("S1 pushed his girlfriend V1 into the wall.", IntimatePartner),
        (
            "V1 said her brother W1 called police after S1, her ex-husband, slapped her.",
            IntimatePartner,
        ),
        // contractions
        (
            "V stated she's been with S1 for two years. They've got two kids. He hit her.",
            IntimatePartner,
        ),
    ]);
}

#[test]
fn weak_third_party_evidence_decides_nothing() {
    nar(&[
        ("V stated her boyfriend's car was damaged by S1.", Unknown),
        ("S1 hit V at her mother's house.", Unknown),
        ("V's sister called police. S1 hit V.", Unknown),
        ("V stated S1 hit her. Her brother W1 witnessed it.", Unknown),
        ("V said she went to her friend's party where S1 hit her.", Unknown),
        ("Jane stated that John, her boyfriend, hit her.", IntimatePartner),
        ("V STATED S1 (HER SON'S FATHER) HIT HER", IntimatePartner),
        ("V stated S1 is her husband's cousin.", OtherFamily),
    ]);
    let d = classify_narrative("S1 hit V at her mother's house.");
    assert!(d.reason.starts_with("too weak"), "{}", d.reason);
}

#[test]
fn hedges_lower_confidence() {
    let sure = classify_narrative("V stated S1 is her boyfriend.");
    let hedged = classify_narrative("V stated S1 is possibly her boyfriend.");
    assert_eq!(hedged.class, IntimatePartner);
    assert!(
        hedged.confidence < sure.confidence,
        "{} !< {}",
        hedged.confidence,
        sure.confidence
    );
    let friend = classify_narrative("S1, who V described as a friend, hit her.");
    assert_eq!(friend.class, KnownNonFamily);
    assert!(friend.confidence < 0.7, "{}", friend.confidence);
    let q = classify_relationship("BF?");
    assert_eq!(q.class, IntimatePartner);
    assert!(q.confidence < classify_relationship("BF").confidence);
}

#[test]
fn reasons_name_the_matched_words() {
    assert!(
        classify_relationship("EX-BF").reason.contains("ex bf"),
        "{}",
        classify_relationship("EX-BF").reason
    );
    let d = classify_narrative("V states her BF S1 pushed her");
    assert!(d.reason.contains("bf") && d.reason.contains("offender"), "{}", d.reason);
}

fn table() -> CodeTable {
    let mut t = CodeTable::nibrs_default();
    for (k, c) in [
        ("BG", IntimatePartner),
        ("SE", IntimatePartner),
        ("PA", OtherFamily),
        ("FR", KnownNonFamily),
        ("OK", KnownNonFamily),
        ("ST", Stranger),
        ("RU", Unknown),
    ] {
        t.classes.insert(k.to_string(), c);
    }
    t
}

#[test]
#[allow(clippy::type_complexity)]
fn pair_decisions() {
    let t = table();
    // (code, free text, narrative) → (class, source, conflict)
    let cases: &[(Option<&str>, Option<&str>, Option<&str>, RelClass, DecisionSource, bool)] = &[
        (Some("BG"), None, None, IntimatePartner, DecisionSource::Code, false),
        (
            Some("bg"),
            Some("BOYFRIEND"),
            None,
            IntimatePartner,
            DecisionSource::Code,
            false,
        ),
        (
            Some("PA"),
            Some("EX-BOYFRIEND"),
            None,
            OtherFamily,
            DecisionSource::Code,
            true,
        ),
        (
            Some("FR"),
            None,
            Some("V stated her husband S1 hit her."),
            KnownNonFamily,
            DecisionSource::Code,
            true,
        ),
        (
            Some("RU"),
            Some("GF"),
            None,
            IntimatePartner,
            DecisionSource::FreeText,
            false,
        ),
        (
            Some("OK"),
            None,
            Some("V STATES HER BF S1 PUSHED HER"),
            IntimatePartner,
            DecisionSource::Narrative,
            true,
        ),
        (
            None,
            None,
            Some("V stated her son S1 pushed her."),
            OtherFamily,
            DecisionSource::Narrative,
            false,
        ),
        (
            Some("RU"),
            Some("UNK"),
            Some("S1 hit V."),
            Unknown,
            DecisionSource::None,
            false,
        ),
        (None, None, None, Unknown, DecisionSource::None, false),
        (Some("OK"), None, None, KnownNonFamily, DecisionSource::Code, false),
        (
            Some("ZZ"),
            Some("MOTHER"),
            None,
            OtherFamily,
            DecisionSource::FreeText,
            false,
        ),
        (
            None,
            Some("MOTHER"),
            Some("V stated her boyfriend S1 hit her."),
            OtherFamily,
            DecisionSource::FreeText,
            true,
        ),
    ];
    for (code, ft, nv, class, source, conflict) in cases {
        let d = decide_pair(*code, &t, *ft, *nv, None);
        assert_eq!(
            (d.class, d.source, d.conflict),
            (*class, *source, *conflict),
            "{code:?} {ft:?} {nv:?}: {}",
            d.reason
        );
    }
}

/// Regression: a code contradicted by the free text and the narrative still showed the code's
/// confidence, 0.95. Each contradicting source now lowers it; agreeing sources do not.
#[test]
fn confidence_drops_when_sources_disagree() {
    let t = table();
    let alone = decide_pair(Some("PA"), &t, None, None, None);
    let agreed = decide_pair(Some("PA"), &t, Some("MOTHER"), None, None);
    let one = decide_pair(Some("PA"), &t, Some("EX-BOYFRIEND"), None, None);
    let two = decide_pair(
        Some("PA"),
        &t,
        Some("EX-BOYFRIEND"),
        Some("V stated her boyfriend S1 hit her."),
        None,
    );
    assert!((alone.confidence - 0.95).abs() < 1e-6, "{alone:?}");
    assert!((agreed.confidence - 0.95).abs() < 1e-6, "{agreed:?}");
    assert!(one.conflict && two.conflict);
    assert!(one.confidence < 0.8, "one contradiction: {}", one.confidence);
    assert!(
        two.confidence < one.confidence,
        "{} !< {}",
        two.confidence,
        one.confidence
    );
    // Free text against the narrative (no specific code): the winner is lowered too.
    let split = decide_pair(
        None,
        &t,
        Some("MOTHER"),
        Some("V stated her boyfriend S1 hit her."),
        None,
    );
    let plain = decide_pair(None, &t, Some("MOTHER"), None, None);
    assert!(split.conflict);
    assert!(
        split.confidence < plain.confidence,
        "{} !< {}",
        split.confidence,
        plain.confidence
    );
    // The weight is policy: 0 keeps the old behaviour.
    let c = ipvi_core::textclass::builtin().unwrap();
    let keep = PairPolicy {
        disagreement_weight: 0.0,
        ..PairPolicy::default()
    };
    let d = decide_pair_with(c, &keep, Some("PA"), &t, Some("EX-BOYFRIEND"), None, None);
    assert!((d.confidence - 0.95).abs() < 1e-6, "{d:?}");
    // A policy saved before the weight existed still loads, with the default weight.
    let old = r#"{"vague_codes":["RU"],"min_text_confidence":0.3,"conflict_confidence":0.5,"code_confidence":0.95}"#;
    let p: PairPolicy = serde_json::from_str(old).unwrap();
    assert!((p.disagreement_weight - 0.5).abs() < 1e-6);
}

#[test]
fn analyst_overrides_come_first_and_round_trip() {
    let t = table();
    let mut o = Overrides::default();
    o.set(Override {
        incident_id: "I1".into(),
        victim_record_id: "V1".into(),
        offender_record_id: "O1".into(),
        class: IntimatePartner,
        note: "confirmed by advocate".into(),
        by: "analyst".into(),
        date: "2026-11-27".into(),
    });
    let json = serde_json::to_string(&o).unwrap();
    let back: Overrides = serde_json::from_str(&json).unwrap();
    assert_eq!(back, o);
    let d = decide_pair(Some("PA"), &t, Some("MOTHER"), None, back.get("I1", "V1", "O1"));
    assert_eq!((d.class, d.source), (IntimatePartner, DecisionSource::Analyst));
    let d = decide_pair(Some("PA"), &t, Some("MOTHER"), None, back.get("I1", "V1", "O2"));
    assert_eq!((d.class, d.source), (OtherFamily, DecisionSource::Code));
}

#[test]
fn builtin_lexicon_files_parse_and_edits_take_effect() {
    let [(_, rels), (_, mods), (_, cues), (_, comp)] = Lexicon::builtin_sources();
    let edited = format!("{rels}\nmain squeeze\tpartner\t0.9\n");
    let lex = Lexicon::from_sources(&edited, mods, cues, comp).unwrap();
    let c = TextClassifier {
        lexicon: lex,
        config: TextConfig::default(),
    };
    assert_eq!(c.relationship("MAIN SQUEEZE").class, IntimatePartner);
    assert_eq!(classify_relationship("MAIN SQUEEZE").class, Unknown);
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let a = classify_relationship(&s);
        let b = classify_narrative(&s);
        prop_assert!((0.0..=1.0).contains(&a.confidence) && (0.0..=1.0).contains(&b.confidence));
    }

    #[test]
    fn officer_like_text_never_panics(s in "([A-Za-z]{1,3}[/'.-]?[A-Za-z]{0,2}[ ,.?'/-]{0,2}){0,40}") {
        let a = classify_relationship(&s);
        let b = classify_narrative(&s);
        prop_assert!((0.0..=1.0).contains(&a.confidence) && (0.0..=1.0).contains(&b.confidence));
    }
}
