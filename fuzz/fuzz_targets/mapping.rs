//! The mapping proposal and the profile choice: tables read from up to four files (each part's
//! first line is the file's name), `propose_mapping` and `choose_profile`, then the import with
//! the profile chosen. Rows read = used + rejected in every file.
#![no_main]

use ipvi_core::input::InputFile;
use ipvi_fuzz::{import_checked, split_files};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = split_files(data, 4);
    let mut named: Vec<(String, &[u8])> = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let (mut name, bytes) = match p.iter().position(|&b| b == b'\n') {
            Some(n) if n > 0 && n < 64 => (String::from_utf8_lossy(&p[..n]).into_owned(), &p[n + 1..]),
            _ => (format!("file{i}.csv"), *p),
        };
        // Distinct names: two files of one name are a case of their own (hostile corpus).
        if named.iter().any(|(n, _)| *n == name) {
            name = format!("{i}_{name}");
        }
        named.push((name, bytes));
    }
    let files: Vec<InputFile<'_>> = named.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let Some((out, proposal)) = import_checked(&files) else {
        return;
    };
    let _ = proposal;
    let _ = ipvi_core::import::rejected_to_csv(&out.rejected);
});
