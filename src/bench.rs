//! Benchmarks of the core inside the browser, for `tests/e2e/bench.mjs` (`scripts/bench.sh
//! --browser`): the same fixed generated data as the native benchmarks, timed with the
//! browser's clock. Never called by the app itself.

use ipvi_core::import;
use ipvi_core::input::InputFile;
use ipvi_core::linkage::{self, synth as people, Decisions, LinkSettings};
use ipvi_core::pipeline::{run as run_pipeline, Kept, PipelineConfig};
use ipvi_core::synth::{generate_export, texts::sample_texts, SynthConfig};
use ipvi_core::textclass;
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
/// records), `synth` (a jurisdiction of n people over `years`), `inquiry` (synth, then
/// classify, link, score and list), `text` (n generated relationship texts and n narratives
/// classified; per-second rates) or `import` (the synthetic export of n people over `years`
/// through the generic import: `read_tables` + `choose_profile` + `import_tables`; MB/s). The
/// native rows of the same benchmarks are `ipvi bench-text` and `ipvi bench-import`.
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
                        let inputs: Vec<InputFile<'_>> = files
                            .iter()
                            .filter(|(n, _)| !n.starts_with("truth/"))
                            .map(|(n, b)| InputFile { name: n, bytes: b })
                            .collect();
                        match ipvi_core::import::import_files(&inputs, None, None) {
                            Ok((out, _)) => {
                                let data = out.dataset;
                                let t2 = now();
                                match run_pipeline(
                                    &data,
                                    &PipelineConfig::default(),
                                    &Kept::default(),
                                    &[],
                                    &mut |_, _| true,
                                ) {
                                    Ok(r) => {
                                        json!({"generate_ms": t1 - t0, "read_ms": t2 - t1, "inquiry_ms": now() - t2,
                                                    "population": n, "records": data.involvements.len(), "offenders": r.report.offenders.len()})
                                    }
                                    Err(e) => json!({"error": e.to_string()}),
                                }
                            }
                            Err(e) => json!({"error": e.to_string()}),
                        }
                    }
                }
                Err(e) => json!({"error": format!("{e:?}")}),
            }
        }
        "text" => text_bench(n as usize, seed),
        "import" => import_bench(n, years, seed),
        other => json!({"error": format!("unknown benchmark {other:?}")}),
    };
    let mut result = result;
    result["total_ms"] = json!(now() - t0);
    result["wasm_memory_bytes"] = json!(wasm_memory());
    result.to_string()
}

/// Relationship texts and narratives: generated from the seed, then classified one by one with
/// the built-in classifier (built before the timing).
fn text_bench(n: usize, seed: u64) -> serde_json::Value {
    let t0 = now();
    let texts = sample_texts(n, seed);
    let t1 = now();
    textclass::classify_relationship("");
    let t2 = now();
    let mut agree_rel = 0;
    for (s, c) in texts.relationships.iter().zip(&texts.classes) {
        agree_rel += usize::from(textclass::classify_relationship(s).class == *c);
    }
    let t3 = now();
    let mut agree_nar = 0;
    for (s, c) in texts.narratives.iter().zip(&texts.classes) {
        agree_nar += usize::from(textclass::classify_narrative(s).class == *c);
    }
    let t4 = now();
    let per_s = |ms: f64| if ms > 0.0 { n as f64 * 1000.0 / ms } else { 0.0 };
    json!({"generate_ms": t1 - t0, "classifier_build_ms": t2 - t1, "texts": n,
           "relationships_ms": t3 - t2, "relationships_per_s": per_s(t3 - t2), "relationships_agree": agree_rel,
           "narratives_ms": t4 - t3, "narratives_per_s": per_s(t4 - t3), "narratives_agree": agree_nar,
           "narrative_bytes": texts.narratives.iter().map(String::len).sum::<usize>()})
}

/// The synthetic export of `n` people, generated in memory, through the generic import.
fn import_bench(n: u32, years: u32, seed: u64) -> serde_json::Value {
    let t0 = now();
    let cfg = SynthConfig {
        seed,
        population: n,
        years,
        ..SynthConfig::default()
    };
    let files = match generate_export(&cfg, &mut |_| true) {
        Ok((files, _)) => files,
        Err(e) => return json!({"error": format!("{e:?}")}),
    };
    let files: Vec<(String, Vec<u8>)> = files.into_iter().filter(|(n, _)| !n.contains("truth/")).collect();
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mb = bytes as f64 / 1_048_576.0;
    let t1 = now();
    let (tables, _) = import::read_tables(&inputs, None);
    let t2 = now();
    let choice = import::choose_profile(&tables, None);
    let t3 = now();
    let out = match import::import_tables(&tables, choice.profile()) {
        Ok(out) => out,
        Err(e) => return json!({"error": e.to_string()}),
    };
    let t4 = now();
    let rate = |ms: f64| if ms > 0.0 { mb * 1000.0 / ms } else { 0.0 };
    json!({"generate_ms": t1 - t0, "population": n, "years": years, "bytes": bytes, "files": inputs.len(),
           "profile": choice.profile().name, "read_tables_ms": t2 - t1, "read_tables_mb_s": rate(t2 - t1),
           "choose_profile_ms": t3 - t2, "import_tables_ms": t4 - t3, "import_tables_mb_s": rate(t4 - t3),
           "import_ms": t4 - t1, "import_mb_s": rate(t4 - t1),
           "rows_read": out.files.iter().map(|f| f.rows_read).sum::<u64>(),
           "rows_rejected": out.files.iter().map(|f| f.rows_rejected).sum::<u64>(),
           "pairs": out.dataset.pairs.len()})
}
