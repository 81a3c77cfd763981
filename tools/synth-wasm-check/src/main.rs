//! Prints the native hashes that `run.js` prints from the wasm32 build.

fn main() {
    for (s, p) in [(1u64, 3000u32), (2, 5000)] {
        println!("{s} {p} {:016x}", wasmcheck::hash(s, p));
    }
}
