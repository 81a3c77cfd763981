//! `ipvi analyze --rules`: the lists are made with the rules given, what they do against the
//! defaults is printed per rule first, and a broken rules file is refused naming its line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn analyze_with_rules_prints_their_impact_and_uses_them() {
    let dir = scratch("list-rules");
    let export = fixtures().join("agency_export");
    // Every offender on D: one rule.
    let rules = dir.join("rules.json");
    std::fs::write(
        &rules,
        r#"{"version":2,"rules":[{"id":"D-all","list":"D","description":"Any IPV incident",
            "all_of":[{"when":"ipv_incidents_at_least","n":1}]}],"flags":[]}"#,
    )
    .unwrap();
    let base = dir.join("base");
    ok(&ipvi(&["analyze", s(&export), "--out", s(&base)]));
    let before = json(&base.join("summary.json"));
    let n: u64 = before["lists"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(n > 0 && before["lists"]["A"].as_u64().unwrap_or(0) > 0, "{before}");
    let out = dir.join("out");
    let (stdout, err) = ok(&ipvi(&["analyze", s(&export), "--rules", s(&rules), "--out", s(&out)]));
    let sizes = |l: &str| before["lists"][l].as_u64().unwrap_or(0);
    let want = format!(
        "lists with the default rules: A {}, B {}, C {}, D {}; with these rules: A 0, B 0, C 0, D {n}",
        sizes("A"),
        sizes("B"),
        sizes("C"),
        sizes("D")
    );
    assert!(stdout.contains(&want), "{stdout}\n{err}");
    assert!(
        stdout.contains(&format!(
            "D-all                    D            {n}         {n}         0"
        )),
        "{stdout}"
    );
    let after = json(&out.join("summary.json"));
    assert_eq!(after["lists"]["D"].as_u64(), Some(n));
    assert!(after["lists"].get("A").is_none());

    std::fs::write(&rules, "{\n\"version\": 2,\n\"rules\": [ {\"id\": 3} ]\n}").unwrap();
    let bad = ipvi(&[
        "analyze",
        s(&export),
        "--rules",
        s(&rules),
        "--out",
        s(&dir.join("bad")),
    ]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("rules.json, line 3, column"), "{err}");
}
