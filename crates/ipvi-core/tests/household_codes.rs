//! The pipeline's per-pair decision takes the household-family codes (`CF`, `FP`, `FC`) as the
//! code table says, as the audit and the NIBRS reader do: other family by default, known
//! non-family when the analyst sets it so. (They live apart from the other codes in the table.)

#![allow(clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::model::{Pair, Pairs, RelClass};
use ipvi_core::textclass::{builtin, combine::decide_dataset_pair, Overrides, PairPolicy};

fn class_of(code: &str, table: &CodeTable) -> RelClass {
    let pair = Pair {
        incident_id: "1".into(),
        victim_record_id: "V1".into(),
        offender_record_id: "O1".into(),
        relationship_code: Some(code.into()),
        ..Default::default()
    };
    let pairs = Pairs::from(vec![pair]);
    let pair = pairs.get(0).expect("the pair just stored");
    let c = builtin().expect("the built-in text classifier");
    decide_dataset_pair(
        c,
        &PairPolicy::default(),
        pair,
        table,
        None,
        None,
        &Overrides::default(),
    )
    .class
}

#[test]
fn household_codes_follow_the_code_table() {
    let mut table = CodeTable::nibrs_default();
    for code in ["CF", "FP", "fc"] {
        assert_eq!(class_of(code, &table), table.classify(code).class, "{code}");
        assert_eq!(class_of(code, &table), RelClass::OtherFamily, "{code}");
    }
    table.set_household_family_as_family(false);
    assert_eq!(class_of("CF", &table), RelClass::KnownNonFamily);
    assert_eq!(class_of("SE", &table), RelClass::IntimatePartner);
}
