//! Throughput of the generic import on a generated flat CSV export.
//!
//! `cargo bench -p ipvi-core --bench import [-- MB]` writes a flat export (one row per person
//! involvement, incident columns repeated, 100 MB by default) from a fixed seed, then measures
//! (1) reading it as a stream of 1 MB chunks ([`CsvStream`], what the browser does with
//! `File.slice()`) and (2) the whole import through the proposed mapping to a dataset
//! ([`import::import_files`]), and prints MB/s. A measurement, not a test: nothing is asserted.

use ipvi_core::import::{self, CsvStream};
use ipvi_core::input::InputFile;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::time::Instant;

const LAST: [&str; 8] = [
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS",
];
const FIRST: [&str; 8] = [
    "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA",
];
const REL: [&str; 8] = ["SE", "BG", "XS", "PA", "CH", "AQ", "RU", ""];
const STATUTE: [&str; 5] = [
    "ARS 13-1203 ASSAULT",
    "AGGRAVATED ASSAULT",
    "THREATENING",
    "CRIMINAL DAMAGE",
    "BURGLARY",
];

fn generate(mb: usize) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut s = String::with_capacity(mb << 20);
    s.push_str("CASE_NO,OCCURRED_DATE,AGENCY,DV_FLAG,ROLE,LAST,FNAME,DOB,SEX,ADDRESS,PHONE,REL,STATUTE,NARRATIVE\r\n");
    let mut incident = 0u64;
    while s.len() < mb << 20 {
        incident += 1;
        let (m, d) = (rng.random_range(1..=12), rng.random_range(1..=28));
        let statute = STATUTE[rng.random_range(0..STATUTE.len())];
        for role in ["VICTIM", "SUSPECT"] {
            let _ = write!(
                s,
                "NPD-{incident:08},{m:02}/{d:02}/2021,NORTHAVEN PD,{},{role},{},{},{:02}/{:02}/19{},{},{} MAIN ST,555-01{:02},{},{statute},\"R/O responded to a disturbance; V stated S pushed her, \"\"no injuries\"\"\"\r\n",
                if rng.random_bool(0.8) { "Y" } else { "N" },
                LAST[rng.random_range(0..8)],
                FIRST[rng.random_range(0..8)],
                rng.random_range(1..=12),
                rng.random_range(1..=28),
                rng.random_range(50..=99),
                if role == "VICTIM" { "F" } else { "M" },
                rng.random_range(1..9999),
                rng.random_range(0..100),
                if role == "VICTIM" { REL[rng.random_range(0..8)] } else { "" },
            );
        }
    }
    s.into_bytes()
}

fn main() {
    let mb: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100);
    let data = generate(mb);
    let size = data.len() as f64 / 1_048_576.0;
    println!("generated flat CSV: {size:.1} MB");
    let mut stream_best = f64::MAX;
    let mut import_best = f64::MAX;
    let mut rows = 0;
    let mut pairs = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let mut s = CsvStream::new("bench.csv", Some(data.len() as u64));
        for c in data.chunks(1 << 20) {
            if s.push(c).is_err() {
                return;
            }
        }
        let Ok(table) = s.finish() else { return };
        rows = table.len();
        stream_best = stream_best.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let Ok((out, _)) = import::import_files(
            &[InputFile {
                name: "bench.csv",
                bytes: &data,
            }],
            None,
            None,
        ) else {
            return;
        };
        pairs = out.dataset.pairs.len();
        import_best = import_best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "CSV stream (1 MB chunks) to table: {rows} rows in {stream_best:.2} s = {:.0} MB/s",
        size / stream_best
    );
    println!(
        "read + propose mapping + import to dataset: {pairs} pairs in {import_best:.2} s = {:.0} MB/s",
        size / import_best
    );
}
