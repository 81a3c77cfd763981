//! The CSV reader: `read_csv` on the whole input, and `CsvStream` fed the same bytes in chunks
//! of sizes chosen by the input. Both must agree exactly, and every table must account for its
//! rows (read = kept + rejected).
//!
//! Input: byte 0 picks the mode (bit 0: repeat the rest past the 64 KB sniffing window, so the
//! chunk boundaries fall in the streamed part); bytes 1..9 seed the chunk sizes; the rest is the
//! file.
#![no_main]

use ipvi_core::import::{read_csv, CsvStream, Table};
use ipvi_fuzz::assert_table_rows_accounted;
use libfuzzer_sys::fuzz_target;

fn same(a: &Table, b: &Table) {
    assert_eq!(a.headers, b.headers);
    assert_eq!(a.header_line, b.header_line);
    assert_eq!(a.encoding, b.encoding);
    assert_eq!(a.delimiter, b.delimiter);
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.rows_read, b.rows_read);
    assert_eq!(a.len(), b.len());
    for r in 0..a.len() {
        assert_eq!(a.row(r), b.row(r), "row {r}");
        assert_eq!(a.line(r), b.line(r), "line of row {r}");
    }
    assert_eq!(a.rejected, b.rejected);
    assert_eq!(a.diagnostics, b.diagnostics);
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 9 {
        return;
    }
    let (mode, seed, body) = (data[0], &data[1..9], &data[9..]);
    let owned;
    let file: &[u8] = if mode & 1 == 1 && !body.is_empty() {
        // Past the sniffing window (64 KB) so the stream decodes and parses chunk by chunk.
        let mut v = Vec::with_capacity(70_000 + body.len());
        while v.len() < 70_000 {
            v.extend_from_slice(body);
        }
        owned = v;
        &owned
    } else {
        body
    };

    let whole = read_csv("f.csv", file);
    let mut s = CsvStream::new("f.csv", Some(file.len() as u64));
    let mut rest = file;
    let mut k = 0usize;
    while !rest.is_empty() {
        // Sizes 1..=256, or a larger jump, from the seed bytes in turn.
        let b = seed[k % seed.len()] as usize;
        let size = if b >= 250 { (b - 249) * 4099 } else { b % 97 + 1 };
        let size = size.min(rest.len());
        s.push(&rest[..size]).expect("no limit was set");
        rest = &rest[size..];
        k += 1;
    }
    let chunked = s.finish();
    match (&whole, &chunked) {
        (Ok(a), Ok(b)) => {
            assert_table_rows_accounted(a);
            same(a, b);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("whole {:?} but chunked {:?}", whole.is_ok(), chunked.is_ok()),
    }
});
