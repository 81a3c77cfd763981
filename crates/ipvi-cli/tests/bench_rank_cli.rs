//! `ipvi bench-rank` end to end on small jurisdictions: every method is judged on every seed,
//! the mean and the pooled ranking are written, and the errors a user can make are refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn ipvi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipvi")).args(args).output().unwrap()
}

#[test]
fn judges_three_methods_per_seed_with_the_mean_and_the_pool() {
    let dir = std::env::temp_dir().join(format!("ipvi-cli-test-{}-bench-rank", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("rank.json");
    let out = ipvi(&[
        "bench-rank",
        "--seeds",
        "1,2",
        "--population",
        "8000",
        "--years",
        "5",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "seed 1:",
        "seed 2:",
        "mean over seeds 1, 2",
        "pooled:",
        "ours (RFGV extended)",
        "prior IPV incidents",
        "recency + frequency",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let seeds = v["seeds"].as_array().unwrap();
    assert_eq!(seeds.len(), 2);
    for s in seeds {
        let methods: Vec<&str> = s["serious"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["method"].as_str().unwrap())
            .collect();
        assert_eq!(methods, ["ours", "prior_count", "recency_frequency"]);
        for j in s["serious"].as_array().unwrap() {
            for k in ["auc", "precision_top1", "precision_top5"] {
                let x = j[k].as_f64().unwrap_or_else(|| panic!("{k} missing in {j}"));
                assert!((0.0..=1.0).contains(&x), "{k} = {x}");
            }
        }
    }
    let pooled = v["pooled"]["offenders"].as_u64().unwrap();
    let sum: u64 = seeds.iter().map(|s| s["offenders"].as_u64().unwrap()).sum();
    assert_eq!(pooled, sum);
    assert_eq!(v["mean"]["serious"].as_array().unwrap().len(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_seed_lists_are_refused() {
    let out = ipvi(&["bench-rank", "--seeds", "1,x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"x\" is not a number"));
    let out = ipvi(&["bench-rank", "--population", "lots"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--population"));
}

#[test]
fn a_bad_weights_table_is_refused_with_its_row_and_column() {
    let dir = std::env::temp_dir().join(format!("ipvi-cli-test-{}-weights", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("weights.csv");
    std::fs::write(
        &path,
        "component,weight,transform,unit,basis\nrecency,1,half_life,365,x\nfrequency,-2,log2_1p,1,x\n",
    )
    .unwrap();
    let out = ipvi(&["bench-rank", "--score-weights", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 3, column weight, value \"-2\""), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
