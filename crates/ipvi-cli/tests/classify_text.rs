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
        String::from_utf8_lossy(&o.stderr).contains("row 4"),
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

/// Regression: `classify-text` copied `=HYPERLINK(...)`, `+cmd` and `-2+3` into its CSV
/// unchanged, and failed on UTF-16 with a raw "invalid utf-8".
#[test]
fn classify_text_reads_utf16_and_writes_formulas_as_text() {
    let input = tmp("rel_utf16.csv");
    let out = tmp("rel_utf16_out.csv");
    let text = "id,relationship\n=HYPERLINK(\"http://x\"),GIRLFRIEND\n+cmd,-2+3\n@SUM(A1),MOTHER\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&input, bytes).unwrap();
    let o = ipvi(&[
        "classify-text",
        "--kind",
        "relationship",
        "--in",
        input.to_str().unwrap(),
        "--column",
        "relationship",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(written.as_bytes());
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    for r in &rows {
        for c in r {
            assert!(!c.starts_with(['=', '+', '-', '@']), "formula written out: {c:?}");
        }
    }
    assert_eq!(rows[0][0], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[0][2], "intimate_partner");
    assert_eq!(rows[1][1], "'-2+3");
}

/// A FIFO named as input would block the command for ever: only regular files are read.
#[cfg(unix)]
#[test]
fn classify_text_refuses_a_fifo() {
    let fifo = tmp("rel_fifo.csv");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to check
    }
    let o = ipvi(&[
        "classify-text",
        "--kind",
        "relationship",
        "--in",
        fifo.to_str().unwrap(),
        "--column",
        "relationship",
        "--out",
        tmp("rel_fifo_out.csv").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
    let _ = std::fs::remove_file(&fifo);
}
