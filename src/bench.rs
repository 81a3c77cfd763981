//! Benchmarks of the core inside the browser, for `tests/e2e/bench.mjs` (`scripts/bench.sh
//! --browser`): the same fixed generated data as the native benchmarks, timed with the
//! browser's clock. Never called by the app itself.

use ipvi_core::linkage::{self, synth as people, Decisions, LinkSettings};
use ipvi_core::pipeline::{run as run_pipeline, Kept, PipelineConfig};
use ipvi_core::synth::{generate_export, read::read_synthetic_export, SynthConfig};
use serde_json::json;
use wasm_bindgen::prelude::*;

fn now() -> f64 {
    js_sys::Date::now()
}

/// Bytes of wasm memory: it only grows, so after a run it is the run's peak.
fn wasm_memory() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

/// Run one benchmark and return its timings as JSON. `kind` is `link` (n generated person
/// records), `synth` (a jurisdiction of n people over `years`) or `inquiry` (synth, then
/// classify, link, score and list).
#[wasm_bindgen]
pub fn ipvi_bench(kind: &str, n: u32, years: u32, seed: u64) -> String {
    let t0 = now();
    let result = match kind {
        "link" => {
            let g = people::noisy_people(n as usize, seed);
            let t1 = now();
            match linkage::link(&g.records, &LinkSettings::default(), &Decisions::default()) {
                Ok(out) => {
                    let s = linkage::pairwise_scores(&out.person_ids, &g.truth);
                    json!({"generate_ms": t1 - t0, "link_ms": now() - t1, "records": n, "pairs_compared": out.stats.pairs_compared,
                           "precision": s.precision, "recall": s.recall, "f1": s.f1})
                }
                Err(e) => json!({"error": e.to_string()}),
            }
        }
        "synth" | "inquiry" => {
            let cfg = SynthConfig {
                seed,
                population: n,
                years,
                ..SynthConfig::default()
            };
            match generate_export(&cfg, &mut |_| true) {
                Ok((files, _)) => {
                    let t1 = now();
                    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
                    if kind == "synth" {
                        json!({"generate_ms": t1 - t0, "population": n, "years": years, "bytes": bytes})
                    } else {
                        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
                        let (data, _) = read_synthetic_export(&refs);
                        let t2 = now();
                        match run_pipeline(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |_, _| {
                            true
                        }) {
                            Ok(r) => json!({"generate_ms": t1 - t0, "read_ms": t2 - t1, "inquiry_ms": now() - t2,
                                            "population": n, "records": data.involvements.len(), "offenders": r.report.offenders.len()}),
                            Err(e) => json!({"error": e.to_string()}),
                        }
                    }
                }
                Err(e) => json!({"error": format!("{e:?}")}),
            }
        }
        other => json!({"error": format!("unknown benchmark {other:?}")}),
    };
    let mut result = result;
    result["total_ms"] = json!(now() - t0);
    result["wasm_memory_bytes"] = json!(wasm_memory());
    result.to_string()
}
