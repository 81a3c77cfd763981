//! End-to-end runs of `ipvi classify-text` and `ipvi score-text` on small files.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn ipvi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ipvi")).args(args).output().unwrap()
}

#[test]
fn classify_text_appends_class_confidence_reason_and_keeps_ragged_rows() {
    let input = tmp("rel_in.csv");
    let out = tmp("rel_out.csv");
    std::fs::write(&input, "id,relationship\n1,B/F\n2,MOTHER\n3\n4,\"UNK\"\n").unwrap();
    let o = ipvi(&[
        "classify-text",
        "--kind",
        "relationship",
        "--in",
        input.to_str().unwrap(),
        "--column",
        "RELATIONSHIP",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("line 4"),
        "ragged row reported"
    );
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(h, ["id", "relationship", "class", "confidence", "reason"]);
    let classes: Vec<String> = rdr.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert_eq!(classes, ["intimate_partner", "other_family", "unknown", "unknown"]);
}

#[test]
fn classify_text_names_a_missing_column() {
    let input = tmp("nar_in.csv");
    std::fs::write(&input, "id,text\n1,V STATES HER BF HIT HER\n").unwrap();
    let o = ipvi(&[
        "classify-text",
        "--kind",
        "narrative",
        "--in",
        input.to_str().unwrap(),
        "--column",
        "narrative",
        "--out",
        tmp("nar_out.csv").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no column named \"narrative\""));
}

#[test]
fn score_text_passes_on_the_evaluation_set_and_fails_when_targets_are_missed() {
    let set = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/eval/narratives.csv");
    let o = ipvi(&["score-text", "--kind", "narrative", "--in", set]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("precision") && text.contains("throughput") && text.contains("confusion"));
    let bad = tmp("bad_labels.csv");
    std::fs::write(&bad, "text,class\nBOYFRIEND,other_family\nMOTHER,intimate_partner\n").unwrap();
    let o = ipvi(&["score-text", "--kind", "relationship", "--in", bad.to_str().unwrap()]);
    assert!(!o.status.success());
}
