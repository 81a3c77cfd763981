//! The workbook reader (XLSX, XLS, ODS) within small limits: never a panic, and never more
//! cells than the limits allow. (What is done with the tables read is the mapping target's.)
#![no_main]

use ipvi_xlsx::read::{read_workbook_within, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        inflated_bytes: 8 << 20,
        parts: 64,
        cells: 200_000,
    };
    if let Ok(tables) = read_workbook_within("w.xlsx", data, &limits) {
        assert!(!tables.is_empty(), "an empty workbook is an error");
        for t in &tables {
            let cells = t.len() as u64 * t.width() as u64;
            assert!(cells <= limits.cells, "{} cells kept, limit {}", cells, limits.cells);
        }
    }
});
