//! Benchmark of the NIBRS import and classification on a fixed generated extract.
//!
//! `cargo bench -p ipvi-core --bench nibrs_import [-- INCIDENTS]` builds a pre-2021-layout extract
//! from a fixed seed (200,000 incidents by default, about ten times Arizona 2019), runs
//! [`analyze_extract`] five times and prints the best and median times and the throughput. No
//! timing is asserted: this is a measurement, not a test.

use ipvi_core::classify::CodeTable;
use ipvi_core::input::InputFile;
use ipvi_core::nibrs::analyze_extract;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::time::Instant;

const CODES: [&str; 26] = [
    "AQ", "BE", "BG", "CF", "CH", "CS", "EE", "ER", "FR", "GC", "GP", "HR", "IL", "NE", "OF", "OK", "PA", "RU", "SB",
    "SC", "SE", "SP", "SS", "ST", "VO", "XS",
];
const OFFENSES: [(&str, &str); 6] = [
    ("13A", "Aggravated Assault"),
    ("13B", "Simple Assault"),
    ("13C", "Intimidation"),
    ("290", "Destruction/Damage/Vandalism of Property"),
    ("23H", "All Other Larceny"),
    ("90Z", "All Other Offenses"),
];
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// A generated extract: (file name, content).
fn generate(incidents: u64, seed: u64) -> Vec<(String, String)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut inc = String::from("\"DATA_YEAR\",\"AGENCY_ID\",\"INCIDENT_ID\",\"INCIDENT_DATE\",\"INCIDENT_HOUR\"\r\n");
    let mut vic = String::from("\"DATA_YEAR\",\"VICTIM_ID\",\"INCIDENT_ID\",\"VICTIM_SEQ_NUM\",\"SEX_CODE\"\r\n");
    let mut off = String::from("\"DATA_YEAR\",\"OFFENDER_ID\",\"INCIDENT_ID\",\"OFFENDER_SEQ_NUM\",\"SEX_CODE\"\r\n");
    let mut vor = String::from("\"DATA_YEAR\",\"VICTIM_ID\",\"OFFENDER_ID\",\"RELATIONSHIP_ID\"\r\n");
    let mut ofs = String::from("\"DATA_YEAR\",\"OFFENSE_ID\",\"INCIDENT_ID\",\"OFFENSE_TYPE_ID\"\r\n");
    let mut circ = String::from("\"DATA_YEAR\",\"VICTIM_ID\",\"CIRCUMSTANCES_ID\"\r\n");
    let (mut victim_id, mut offender_id, mut offense_id) = (200_000_000u64, 300_000_000u64, 400_000_000u64);
    for i in 0..incidents {
        let id = 100_000_000 + i;
        let day = rng.random_range(1..=28);
        let month = MONTHS[rng.random_range(0..12)];
        let _ = write!(
            inc,
            "2019,{},{id},{day:02}-{month}-19,{}\r\n",
            900 + rng.random_range(0..11),
            rng.random_range(0..24)
        );
        for _ in 0..rng.random_range(1..=2) {
            offense_id += 1;
            let _ = write!(
                ofs,
                "2019,{offense_id},{id},{}\r\n",
                rng.random_range(1..=OFFENSES.len())
            );
        }
        let victims: Vec<u64> = (0..rng.random_range(1..=2u32))
            .map(|k| {
                victim_id += 1;
                let sex = ["F", "M", "U"][rng.random_range(0..3)];
                let _ = write!(vic, "2019,{victim_id},{id},{},\"{sex}\"\r\n", k + 1);
                if rng.random_bool(0.02) {
                    let _ = write!(circ, "2019,{victim_id},{}\r\n", rng.random_range(1..=10));
                }
                victim_id
            })
            .collect();
        let offenders: Vec<u64> = (0..rng.random_range(1..=2u32))
            .map(|k| {
                offender_id += 1;
                let _ = write!(off, "2019,{offender_id},{id},{},\"M\"\r\n", k + 1);
                offender_id
            })
            .collect();
        // About 40% of incidents carry relationships, as in Arizona 2019 (6,043 of 20,387).
        if rng.random_bool(0.4) {
            for v in &victims {
                for o in &offenders {
                    let _ = write!(vor, "2019,{v},{o},{}\r\n", rng.random_range(1..=CODES.len()));
                }
            }
        }
    }
    let mut rel = String::from("\"RELATIONSHIP_ID\",\"RELATIONSHIP_CODE\"\r\n");
    for (k, c) in CODES.iter().enumerate() {
        let _ = write!(rel, "{},\"{c}\"\r\n", k + 1);
    }
    let mut types = String::from("\"OFFENSE_TYPE_ID\",\"OFFENSE_CODE\",\"OFFENSE_NAME\"\r\n");
    for (k, (c, n)) in OFFENSES.iter().enumerate() {
        let _ = write!(types, "{},\"{c}\",\"{n}\"\r\n", k + 1);
    }
    vec![
        ("NIBRS_incident.csv".into(), inc),
        ("NIBRS_VICTIM.csv".into(), vic),
        ("NIBRS_OFFENDER.csv".into(), off),
        ("NIBRS_VICTIM_OFFENDER_REL.csv".into(), vor),
        ("NIBRS_RELATIONSHIP.csv".into(), rel),
        ("NIBRS_OFFENSE.csv".into(), ofs),
        ("NIBRS_OFFENSE_TYPE.csv".into(), types),
        ("NIBRS_VICTIM_CIRCUMSTANCES.csv".into(), circ),
    ]
}

/// CPU time of this thread in seconds (Linux `/proc/self/schedstat`), when it can be read: on a
/// shared, loaded machine the wall clock mostly measures waiting.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    let incidents: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200_000);
    let files = generate(incidents, 20_191_125);
    let bytes: usize = files.iter().map(|(_, c)| c.len()).sum();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(n, c)| InputFile {
            name: n,
            bytes: c.as_bytes(),
        })
        .collect();
    let table = CodeTable::nibrs_default();
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut pairs = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let c = cpu_seconds();
        match analyze_extract(&inputs, &table, &mut |_| true) {
            Ok(a) => pairs = a.pairs.len(),
            Err(e) => {
                eprintln!("nibrs_import: {e}");
                std::process::exit(1);
            }
        }
        times.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, cpu_seconds()) {
            cpu.push(b - a);
        }
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let (best, median) = (times[0], times[times.len() / 2]);
    println!(
        "nibrs_import: {incidents} incidents, {pairs} pairs, {:.1} MB: wall best {:.3} s, median {:.3} s, {:.0} MB/s",
        bytes as f64 / 1e6,
        best,
        median,
        bytes as f64 / 1e6 / best
    );
    if let Some(c) = cpu.first() {
        println!(
            "nibrs_import: CPU time best {c:.3} s, {:.0} MB/s of CPU",
            bytes as f64 / 1e6 / c
        );
    }
}
