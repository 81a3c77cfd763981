//! `ipvi link` end to end: the one reader in, the one formula-safe writer out.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Regression: `ipvi link` copied record ids such as `=HYPERLINK(...)`, `+cmd` and `-2+3` into
/// its person-id file and `--pairs-out` unchanged, where a spreadsheet would run them.
#[test]
fn link_writes_record_ids_as_text_not_formulas() {
    let input = tmp("link_in.csv");
    let out = tmp("link_out.csv");
    let pairs = tmp("link_pairs.csv");
    let mut text = String::from("id,first,last,dob\n");
    let ids = ["=HYPERLINK(\"http://x\",\"a\")", "+cmd", "-2+3", "@SUM(A1)", "R5"];
    for (i, id) in ids.iter().enumerate() {
        let quoted = format!("\"{}\"", id.replace('"', "\"\""));
        // Two records of the same person, so that a pair is written.
        let (first, last) = if i < 2 {
            ("JOHN", "SMITH")
        } else {
            ("ANA", format!("LEE{i}").leak() as &str)
        };
        text.push_str(&format!(
            "{quoted},{first},{last},1980-0{}-01\n",
            if i < 2 { 1 } else { i + 1 }
        ));
    }
    std::fs::write(&input, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_ipvi"))
        .args([
            "link",
            input.to_str().unwrap(),
            "--id",
            "id",
            "--map",
            "first_name=first",
            "--map",
            "last_name=last",
            "--map",
            "dob=dob",
            "--keep-all-pairs",
            "--out",
            out.to_str().unwrap(),
            "--pairs-out",
            pairs.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for path in [&out, &pairs] {
        let written = std::fs::read_to_string(path).unwrap();
        let mut rdr = csv::Reader::from_reader(written.as_bytes());
        let mut cells = 0;
        for r in rdr.records() {
            for c in r.unwrap().iter() {
                cells += 1;
                assert!(
                    !c.starts_with(['=', '+', '@']),
                    "{}: formula written out: {c:?}",
                    path.display()
                );
                assert!(
                    !(c.starts_with('-') && c.len() > 1 && !c[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.')),
                    "{}: {c:?}",
                    path.display()
                );
            }
        }
        assert!(cells > 0, "{} is empty", path.display());
    }
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("'=HYPERLINK"), "{written}");
    assert!(written.contains("'-2+3"), "{written}");
}
