//! Development check: the synthetic jurisdiction gives the same bytes natively and in wasm32.
//! `hash` builds a small export and folds every file name and byte into an FNV-1a hash;
//! `synth_hash` exports it to WebAssembly with no imports, so Node can run it.

use ipvi_core::synth::{generate_export, SynthConfig};

/// FNV-1a over every file name and byte of the export.
pub fn hash(seed: u64, population: u32) -> u64 {
    let cfg = SynthConfig {
        seed,
        population,
        years: 3,
        ..SynthConfig::default()
    };
    let (files, _) = match generate_export(&cfg, &mut |_| true) {
        Ok(x) => x,
        Err(_) => return 0,
    };
    let mut h: u64 = 0xcbf29ce484222325;
    for (n, b) in &files {
        for x in n.as_bytes().iter().chain(b.iter()) {
            h ^= *x as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

#[no_mangle]
pub extern "C" fn synth_hash(seed: u64, population: u32) -> u64 {
    hash(seed, population)
}
