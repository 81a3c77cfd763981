//! The streamed import (each file read twice: a sample for the profile, then its rows straight
//! into the dataset block by block) gives exactly what importing the whole decoded tables gives:
//! the same dataset, diagnostics in the same order, rejected rows, per-file counts and profile,
//! on every fixture, on generated flat and normalized exports larger than a block, and on files
//! with ragged rows, bad encodings, open quotes, duplicate ids and rows, and future dates
//! placed across slice and block boundaries; each file's second pass parsed in place, and
//! parsed on a thread of its own ahead of the import.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::date::Date;
use ipvi_core::import::table::BLOCK_ROWS;
use ipvi_core::import::{self, ImportOutcome, ProfileChoice, ReadPlan};
use ipvi_core::input::{ImportError, InputFile};
use std::path::Path;

type Files = Vec<(String, Vec<u8>)>;

/// The whole-table import: every file decoded into its table, then imported.
fn whole(files: &Files, as_of: Option<Date>) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let (tables, diags) = import::read_tables(&inputs, None);
    import::import_read_tables(tables, diags, None, as_of)
}

/// The streamed import; `ahead`: each file's second pass parsed on a thread of its own, ahead
/// of the import, as the `ipvi` command parses it.
fn streamed(
    files: &Files,
    as_of: Option<Date>,
    plan: &ReadPlan,
    ahead: bool,
) -> Result<(ImportOutcome, ProfileChoice), ImportError> {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    if !ahead {
        return import::import_files_with(&inputs, None, as_of, None, plan);
    }
    import::import_files_ahead(&inputs, None, as_of, None, plan, &mut Threaded(files))
}

/// Parses a file on a thread of its own while the import takes its rows (the core starts no
/// thread; the `ipvi` command does this with the files on disk).
struct Threaded<'f>(&'f Files);

impl import::ParseAhead for Threaded<'_> {
    fn ahead(
        &mut self,
        file: usize,
        parse: &mut (dyn FnMut(import::FileSource<'_>) + Send),
        import: &mut dyn FnMut(),
    ) -> bool {
        let Some((_, bytes)) = self.0.get(file) else {
            return false;
        };
        std::thread::scope(|s| {
            s.spawn(move || {
                let mut read_at = |start: u64, end: u64, buf: &mut Vec<u8>| -> Result<(), String> {
                    buf.clear();
                    buf.extend_from_slice(&bytes[start as usize..end as usize]);
                    Ok(())
                };
                parse(import::FileSource {
                    name: "",
                    size: bytes.len() as u64,
                    read_at: &mut read_at,
                });
            });
            import();
        });
        true
    }
}

/// The plans a streamed import is checked with: the default (files read to their end in the
/// first pass are held), and small odd slices after the first with every file read again. The
/// first slice is the one the whole-table reader reads first ([`import::CHUNK_BYTES`]): a file's
/// encoding is told from its first slice, as it always was, so a byte that is not UTF-8 beyond
/// a smaller first slice would make a different (and as valid) guess.
fn plans() -> Vec<ReadPlan> {
    vec![
        ReadPlan::default(),
        ReadPlan {
            first_slice: import::CHUNK_BYTES,
            slice: 4_093,
            hold_read_files: false,
        },
    ]
}

/// For text that is all UTF-8, any first slice of 64 KiB or more reads the same: small slices
/// from the start.
fn utf8_plans() -> Vec<ReadPlan> {
    let mut p = plans();
    p.push(ReadPlan {
        first_slice: 70_001,
        slice: 4_093,
        hold_read_files: false,
    });
    p
}

/// Both ways, with and without an as-of date, for every plan: equal outcomes (or equal errors).
fn same_both_ways(what: &str, files: &Files) -> usize {
    same_with(what, files, &plans(), &[None, Date::from_ymd(2019, 6, 30)])
}

fn same_with(what: &str, files: &Files, plans: &[ReadPlan], dates: &[Option<Date>]) -> usize {
    let mut rows = 0;
    for &as_of in dates {
        let want = whole(files, as_of);
        if let Ok((o, _)) = &want {
            rows = o.files.iter().map(|f| f.rows_read).sum::<u64>() as usize;
        }
        for (plan, ahead) in plans.iter().flat_map(|p| [(p, false), (p, true)]) {
            let plan = &(plan, ahead);
            let got = streamed(files, as_of, plan.0, ahead);
            match (&want, &got) {
                (Ok(w), Ok(g)) => {
                    let (w, g) = (&w.0, &g.0);
                    assert_eq!(w.files, g.files, "{what} {as_of:?} {plan:?}: per-file counts");
                    assert_eq!(w.diagnostics.len(), g.diagnostics.len(), "{what} {as_of:?} {plan:?}");
                    for (a, b) in w.diagnostics.iter().zip(&g.diagnostics) {
                        assert_eq!(a, b, "{what} {as_of:?} {plan:?}: diagnostics");
                    }
                    assert_eq!(w.rejected, g.rejected, "{what} {as_of:?} {plan:?}: rejected rows");
                    assert!(w.dataset == g.dataset, "{what} {as_of:?} {plan:?}: dataset");
                    assert_eq!(w, g, "{what} {as_of:?} {plan:?}");
                }
                (Err(w), Err(g)) => assert_eq!(w.to_string(), g.to_string(), "{what} {as_of:?} {plan:?}"),
                (w, g) => panic!(
                    "{what} {as_of:?} {plan:?}: whole {:?}, streamed {:?}",
                    w.as_ref().map(|_| ()),
                    g.as_ref().map(|_| ())
                ),
            }
            if let (Ok(w), Ok(g)) = (&want, &got) {
                assert_eq!(w.1, g.1, "{what} {as_of:?} {plan:?}: profile choice");
            }
        }
    }
    rows
}

fn read_dir(dir: &Path) -> Files {
    let mut files: Files = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.extension().is_some_and(|x| x == "md" || x == "py" || x == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Every folder of files under `tests/fixtures` (each folder one import; a folder of loose files
/// also each file alone).
#[test]
fn every_fixture_imports_the_same_streamed_as_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut dirs = vec![root.clone()];
    let mut checked = 0;
    while let Some(d) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        dirs.extend(entries.iter().filter(|p| p.is_dir()).cloned());
        let files = read_dir(&d);
        if files.is_empty() {
            continue;
        }
        same_both_ways(&d.display().to_string(), &files);
        checked += 1;
        if files.len() > 1 && files.len() <= 8 {
            for f in &files {
                same_both_ways(&format!("{}/{}", d.display(), f.0), &vec![f.clone()]);
            }
        }
    }
    assert!(checked >= 30, "only {checked} fixture folders were found");
}

/// A flat export (the benchmark's layout, one row per person, two per incident) of `rows`
/// rows, with `edit(row number, line)` applied to each data line.
fn flat_export(rows: usize, edit: impl Fn(usize, String) -> String) -> Vec<u8> {
    let rels = ["GIRLFRIEND", "WIFE", "SON", "EX-BOYFRIEND", "MOTHER", "FRIEND"];
    let mut out =
        String::from("Case No.,Occurred On,Dept,DV?,Party Type,Surname,Given Name,Born,Gender,Tie,Charge\r\n");
    for r in 0..rows {
        let i = r / 2;
        let date = format!("{:02}/{:02}/{}", i % 12 + 1, i % 28 + 1, 2016 + i % 4);
        let line = if r % 2 == 0 {
            format!(
                "KPD-{i},{date},KINGSPORT PD,Y,VICTIM,SURNAME{},GIVEN{},02/11/1990,F,{},ASSAULT - DOMESTIC",
                i % 997,
                i % 389,
                rels[i % rels.len()]
            )
        } else {
            format!(
                "KPD-{i},{date},KINGSPORT PD,Y,SUSPECT,SURNAME{},GIVEN{},07/30/1988,M,,ASSAULT - DOMESTIC",
                (i * 7) % 991,
                (i * 3) % 383
            )
        };
        out.push_str(&edit(r, line));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Generated flat exports over two blocks of rows: clean, and with every kind of problem placed
/// at the start, at block boundaries and at the end.
#[test]
fn a_flat_export_over_blocks_imports_the_same_streamed_as_whole() {
    let n = BLOCK_ROWS + 30_000;
    let rows = same_with(
        "flat",
        &vec![("flat.csv".into(), flat_export(n, |_, l| l))],
        &utf8_plans(),
        &[None],
    );
    assert_eq!(rows, n);
    let b = BLOCK_ROWS;
    let near = |r: usize| [3, 4, b - 2, b - 1, b, b + 1, n - 2].contains(&r);
    let bad = flat_export(n, |r, line| {
        if !near(r) && r % 5_003 != 0 {
            return line;
        }
        match r % 7 {
            // A ragged row: extra values, or too few.
            0 => format!("{line},EXTRA,MORE"),
            1 => line.split(',').take(6).collect::<Vec<_>>().join(","),
            // A date far in the future, and an unreadable one.
            2 => line.replacen("/201", "/209", 1),
            3 => line.replacen("/201", "/2O1", 1),
            // A duplicate of the row before's incident and person (an identical row).
            4 => format!("{line}\r\n{line}"),
            // A Windows-1252 byte in a name (not UTF-8).
            5 => line.replacen("SURNAME", "SUR\u{00C9}NAME", 1),
            _ => line.replacen(",Y,", ",MAYBE,", 1),
        }
    });
    // The Windows-1252 byte as such (the line above wrote it as UTF-8).
    let bad: Vec<u8> = String::from_utf8(bad)
        .unwrap()
        .replace('\u{00C9}', "\u{0001}")
        .into_bytes()
        .into_iter()
        .map(|c| if c == 1 { 0xC9 } else { c })
        .collect();
    same_with(
        "flat with problems",
        &vec![("flat.csv".into(), bad.clone())],
        &plans()[1..],
        &[None, Date::from_ymd(2019, 6, 30)],
    );
    // A quote opened near the end and never closed.
    let mut open = bad;
    let at = open.len() - 300;
    open.insert(at, b'"');
    same_with(
        "flat with an open quote",
        &vec![("flat.csv".into(), open)],
        &plans()[1..],
        &[None],
    );
}

/// The synthetic jurisdiction's normalized export (incidents, persons, pairs, offences,
/// arrests, orders, calls), its files read in hundreds of slices, with duplicate ids, future
/// dates and orphan rows added.
#[test]
fn a_normalized_export_over_blocks_imports_the_same_streamed_as_whole() {
    use ipvi_core::synth::{calibration, export, generate, SynthConfig};
    let cfg = SynthConfig {
        seed: 5,
        population: 20_000,
        years: 3,
        ..SynthConfig::default()
    };
    let j = generate(&cfg, &mut |_| true).unwrap();
    let mut files: Files = export::export(&j, &calibration::calibrate(&j))
        .unwrap()
        .into_iter()
        .filter(|(n, _)| !n.starts_with("truth/"))
        .collect();
    files.sort();
    let big = files.iter().map(|(_, b)| b.len()).max().unwrap();
    assert!(big > 100 * 4_093, "the largest file is {big} bytes");
    same_with("normalized", &files, &utf8_plans()[2..], &[None]);
    for (name, bytes) in &mut files {
        let text = String::from_utf8(std::mem::take(bytes)).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let n = lines.len();
        for k in [1, 2, n / 3, n / 2, n - 1] {
            if k < n {
                // A duplicate id (the line repeated with another last value), and a future date.
                let dup = match lines[k].rsplit_once(',') {
                    Some((head, _)) => format!("{head},X"),
                    None => lines[k].clone(),
                };
                lines.push(dup);
                lines[k] = lines[k].replacen(",20", ",29", 1);
            }
        }
        if name.starts_with("persons") {
            lines.push("P-ORPHAN,I-NONE,,,,".into());
        }
        *bytes = (lines.join("\n") + "\n").into_bytes();
    }
    same_with(
        "normalized with problems",
        &files,
        &utf8_plans()[2..],
        &[None, Date::from_ymd(2019, 6, 30)],
    );
}

/// The test can fail: a streamed import that lost one slice of a file differs from the whole.
#[test]
fn a_lost_slice_is_seen() {
    let files: Files = vec![("flat.csv".into(), flat_export(3_000, |_, l| l))];
    let (w, _) = whole(&files, None).unwrap();
    let mut cut = files.clone();
    let len = cut[0].1.len();
    cut[0].1.drain(len / 2..len / 2 + 4_093);
    let (g, _) = streamed(&cut, None, &utf8_plans()[2], true).unwrap();
    assert_ne!(w, g);
}
