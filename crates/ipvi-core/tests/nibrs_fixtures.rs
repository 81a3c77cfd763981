//! Data-driven tests of the NIBRS import on small hand-made extracts in `tests/fixtures/nibrs/`.
//!
//! `base/` is a complete four-incident extract (pre-2021 layout). Every other folder is a case:
//! its files replace the base's files of the same name (or, for cases that do not start from the
//! base, are the whole input). One helper, [`check`], takes a case and what must come out: an
//! error text, or the pair count, the diagnostics (each warning or error must be expected, and
//! each expected text must appear) and the rejected rows per file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::diag::Severity;
use ipvi_core::input::InputFile;
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::{analyze_extract, NibrsAnalysis};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/nibrs"))
}

fn read_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The input files of a case: the base with the case's files put over it (and `remove`d files
/// taken out), or the case's files alone.
fn case_files(case: &Case) -> Vec<(String, Vec<u8>)> {
    let own = if case.on_base && case.dir == "base" {
        Vec::new()
    } else {
        read_dir(&fixtures().join(case.dir))
    };
    if !case.on_base {
        return own;
    }
    let mut files: Vec<(String, Vec<u8>)> = read_dir(&fixtures().join("base"))
        .into_iter()
        .filter(|(n, _)| !case.remove.contains(&n.as_str()))
        .collect();
    for (name, bytes) in own {
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = bytes,
            None => files.push((name, bytes)),
        }
    }
    files
}

enum Expect {
    /// The import fails with an error holding every fragment.
    Error(&'static [&'static str]),
    /// The import works.
    Ok {
        pairs: usize,
        /// Every warning and error diagnostic holds one of these fragments, and each fragment is in one.
        diagnostics: &'static [&'static str],
        /// (file name, rows rejected).
        rejected: &'static [(&'static str, u64)],
    },
}

struct Case {
    dir: &'static str,
    on_base: bool,
    remove: &'static [&'static str],
    expect: Expect,
}

fn run(files: &[(String, Vec<u8>)]) -> Result<NibrsAnalysis, ipvi_core::input::ImportError> {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    analyze_extract(&inputs, &CodeTable::nibrs_default(), &mut |_| true)
}

fn check(case: &Case) {
    let name = if case.remove.is_empty() {
        case.dir.to_string()
    } else {
        format!("{} minus {:?}", case.dir, case.remove)
    };
    let result = run(&case_files(case));
    match (&case.expect, result) {
        (Expect::Error(fragments), Err(e)) => {
            let text = e.to_string();
            for f in *fragments {
                assert!(text.contains(f), "case {name}: error {text:?} lacks {f:?}");
            }
        }
        (Expect::Error(_), Ok(a)) => panic!("case {name}: expected an error, got {} pairs", a.pairs.len()),
        (Expect::Ok { .. }, Err(e)) => panic!("case {name}: unexpected error {e}"),
        (
            Expect::Ok {
                pairs,
                diagnostics,
                rejected,
            },
            Ok(a),
        ) => {
            assert_eq!(a.pairs.len(), *pairs, "case {name}: pairs");
            let shown: Vec<String> = a
                .diagnostics
                .iter()
                .filter(|d| d.severity >= Severity::Warning)
                .map(|d| d.to_string())
                .collect();
            for d in &shown {
                assert!(
                    diagnostics.iter().any(|f| d.contains(f)),
                    "case {name}: unexpected diagnostic {d:?}"
                );
            }
            for f in *diagnostics {
                let all: Vec<String> = a.diagnostics.iter().map(|d| d.to_string()).collect();
                assert!(
                    all.iter().any(|d| d.contains(f)),
                    "case {name}: no diagnostic holds {f:?}; got {all:#?}"
                );
            }
            for f in &a.files {
                let want = rejected
                    .iter()
                    .find(|(n, _)| *n == f.file)
                    .map(|(_, r)| *r)
                    .unwrap_or(0);
                assert_eq!(f.rows_rejected, want, "case {name}: rejected rows of {}", f.file);
                assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "case {name}: {f:?}");
            }
            for (file, _) in *rejected {
                assert!(
                    a.files.iter().any(|f| f.file == *file),
                    "case {name}: no summary for {file}"
                );
            }
        }
    }
}

const CASES: &[Case] = &[
    Case { dir: "base", on_base: false, remove: &[], expect: Expect::Ok { pairs: 5, diagnostics: &[], rejected: &[] } },
    Case { dir: "layout_2021", on_base: false, remove: &[], expect: Expect::Ok { pairs: 5, diagnostics: &[], rejected: &[] } },
    Case { dir: "utf8_bom", on_base: true, remove: &[], expect: Expect::Ok { pairs: 5, diagnostics: &[], rejected: &[] } },
    Case {
        dir: "utf16",
        on_base: true,
        remove: &[],
        expect: Expect::Ok { pairs: 5, diagnostics: &["NIBRS_RELATIONSHIP.csv: the file is in UTF-16LE"], rejected: &[] },
    },
    Case {
        dir: "windows_1252",
        on_base: true,
        remove: &[],
        expect: Expect::Ok {
            pairs: 5,
            diagnostics: &["NIBRS_OFFENSE_TYPE.csv, row 4, value \"byte 0xF3 at offset", "read as Windows-1252"],
            rejected: &[],
        },
    },
    Case {
        dir: "semicolons",
        on_base: true,
        remove: &[],
        expect: Expect::Ok {
            pairs: 5,
            diagnostics: &["NIBRS_VICTIM.csv: the values are separated by semicolons instead of commas"],
            rejected: &[],
        },
    },
    Case {
        dir: "not_nibrs",
        on_base: false,
        remove: &[],
        expect: Expect::Error(&["none of the chosen files is a NIBRS extract table (chosen: people.csv)", "NIBRS_incident.csv"]),
    },
    Case {
        dir: "base",
        on_base: true,
        remove: &["NIBRS_VICTIM.csv"],
        expect: Expect::Error(&["missing required file: NIBRS_VICTIM.csv", "Choose all the CSV files"]),
    },
    Case {
        dir: "base",
        on_base: true,
        remove: &["NIBRS_VICTIM.csv", "NIBRS_incident.csv"],
        expect: Expect::Error(&["missing required files: NIBRS_incident.csv", "; NIBRS_VICTIM.csv"]),
    },
    Case {
        dir: "base",
        on_base: true,
        remove: &["NIBRS_RELATIONSHIP.csv"],
        expect: Expect::Error(&["missing required file: NIBRS_RELATIONSHIP.csv", "RELATIONSHIP_ID only"]),
    },
    Case {
        dir: "base",
        on_base: true,
        remove: &["NIBRS_OFFENSE.csv", "NIBRS_VICTIM_CIRCUMSTANCES.csv", "NIBRS_OFFENSE_TYPE.csv", "NIBRS_CIRCUMSTANCES.csv"],
        expect: Expect::Ok {
            pairs: 5,
            diagnostics: &[
                "NIBRS_OFFENSE.csv: not among the chosen files: the import goes on without the offences",
                "NIBRS_VICTIM_CIRCUMSTANCES.csv: not among the chosen files: the import goes on without the victims' circumstances",
            ],
            rejected: &[],
        },
    },
    Case {
        dir: "base",
        on_base: true,
        remove: &["NIBRS_OFFENSE_TYPE.csv"],
        expect: Expect::Ok { pairs: 5, diagnostics: &["NIBRS_OFFENSE.csv: offences are given by OFFENSE_TYPE_ID"], rejected: &[] },
    },
    Case {
        dir: "wrong_columns",
        on_base: true,
        remove: &[],
        expect: Expect::Error(&["NIBRS_VICTIM.csv has no VICTIM_ID column (its header row is: name, address)"]),
    },
    Case {
        dir: "truncated",
        on_base: true,
        remove: &[],
        expect: Expect::Ok {
            pairs: 4,
            diagnostics: &["NIBRS_VICTIM_OFFENDER_REL.csv, row 6, column RELATIONSHIP_ID, value \"2\": the row has 4 fields but the header has 5: the row was rejected. The file may have been cut short"],
            rejected: &[("NIBRS_VICTIM_OFFENDER_REL.csv", 1)],
        },
    },
    Case {
        dir: "truncated_quote",
        on_base: true,
        remove: &[],
        expect: Expect::Ok {
            pairs: 5,
            diagnostics: &["NIBRS_OFFENDER.csv, row 6, column SEX_CODE"],
            rejected: &[("NIBRS_OFFENDER.csv", 1)],
        },
    },
    Case {
        dir: "empty_required",
        on_base: true,
        remove: &[],
        expect: Expect::Error(&["NIBRS_OFFENDER.csv is empty (no header row)", "Export or download the file again"]),
    },
    Case {
        dir: "empty_optional",
        on_base: true,
        remove: &[],
        expect: Expect::Ok { pairs: 5, diagnostics: &["NIBRS_OFFENSE.csv: NIBRS_OFFENSE.csv is empty (no header row)"], rejected: &[] },
    },
    Case {
        dir: "header_only",
        on_base: true,
        remove: &[],
        expect: Expect::Ok {
            pairs: 0,
            diagnostics: &["NIBRS_VICTIM_OFFENDER_REL.csv: no usable victim–offender rows"],
            rejected: &[],
        },
    },
    Case {
        dir: "bad_rows",
        on_base: true,
        remove: &[],
        expect: Expect::Ok {
            pairs: 7,
            diagnostics: &[
                "NIBRS_incident.csv, row 3, column INCIDENT_DATE, value \"31-FEB-19\": unreadable date",
                "NIBRS_VICTIM_OFFENDER_REL.csv, row 7, column VICTIM_ID, value \"9999\": no victim with this id in NIBRS_VICTIM.csv",
                "NIBRS_VICTIM_OFFENDER_REL.csv, row 8, column OFFENDER_ID, value \"3004\": the victim and the offender belong to different incidents",
                "NIBRS_VICTIM_OFFENDER_REL.csv, row 9, column RELATIONSHIP_ID, value \"99\": relationship id not in NIBRS_RELATIONSHIP.csv",
                "NIBRS_VICTIM_OFFENDER_REL.csv, row 10, column RELATIONSHIP_ID 28 → RELATIONSHIP_CODE, value \"ZZ\": relationship code \"ZZ\" is not in the code table",
                "NIBRS_VICTIM_OFFENDER_REL.csv, row 11, column (beyond the last column), value \"extra\": the row has 6 fields",
                "NIBRS_OFFENSE.csv, row 7, column INCIDENT_ID, value \"7777\": no incident with this id",
                "NIBRS_OFFENSE.csv, row 8, column OFFENSE_TYPE_ID, value \"88\": offence type id not in NIBRS_OFFENSE_TYPE.csv",
            ],
            rejected: &[("NIBRS_VICTIM_OFFENDER_REL.csv", 3), ("NIBRS_OFFENSE.csv", 2)],
        },
    },
];

#[test]
fn every_fixture_case_gives_what_is_expected() {
    for case in CASES {
        check(case);
    }
}

/// The base extract's tallies, worked out by hand: 1001 holds SE + CH (mixed), 1002 BG + VO,
/// 1003 ST, 1004 no pair.
#[test]
fn base_and_2021_layout_give_the_hand_counted_tallies() {
    for dir in ["base", "layout_2021"] {
        let a = run(&read_dir(&fixtures().join(dir))).unwrap();
        let s = &a.summary;
        let counts: Vec<(RelClass, u64, u64)> = s.by_class.iter().map(|c| (c.class, c.pairs, c.incidents)).collect();
        assert_eq!(
            counts,
            vec![
                (RelClass::IntimatePartner, 2, 2),
                (RelClass::OtherFamily, 1, 1),
                (RelClass::KnownNonFamily, 0, 0),
                (RelClass::Stranger, 1, 1),
                (RelClass::Unknown, 1, 1),
            ],
            "{dir}"
        );
        assert_eq!(
            (s.incidents_total, s.incidents_with_pairs, s.mixed_ipv_family_incidents),
            (4, 3, 1),
            "{dir}"
        );
        assert_eq!((s.victim_was_offender_pairs, s.dv_circumstance_pairs), (1, 1), "{dir}");
        // IPV pairs: 2001–3001 in 1001 (13A, 13B) and 2003–3002 in 1002 (13B).
        assert_eq!(
            s.ipv_top_offenses,
            vec![
                ("13B".into(), "Simple Assault".into(), 2),
                ("13A".into(), "Aggravated Assault".into(), 1)
            ],
            "{dir}"
        );
        assert_eq!(s.ipv_victims_by_sex, vec![("F".into(), 2)], "{dir}");
        let p = &a.pairs[0];
        assert_eq!(
            (p.incident_id.as_str(), p.agency.as_str(), p.date.map(|d| d.to_string())),
            ("1001", "10", Some("2019-11-25".into()))
        );
        assert_eq!(
            (p.offenses.as_str(), p.victim_sex.as_str(), p.offender_sex.as_str()),
            ("13A 13B", "F", "M")
        );
        assert!(p.dv_circumstance && !p.victim_was_offender);
        assert!(a.pairs[3].victim_was_offender && a.pairs[3].relationship_code == "VO");
    }
}

#[test]
fn windows_1252_names_are_decoded() {
    let case = Case {
        dir: "windows_1252",
        on_base: true,
        remove: &[],
        expect: Expect::Error(&[]),
    };
    let mut files = case_files(&case);
    let a = run(&files).unwrap();
    assert_eq!(a.summary.ipv_top_offenses[0].1, "Agresión simple");
    // A UTF-8 byte-order mark in front of Windows-1252 text does not spoil the header.
    let types = files.iter_mut().find(|(n, _)| n == "NIBRS_OFFENSE_TYPE.csv").unwrap();
    types.1.splice(0..0, [0xEF, 0xBB, 0xBF]);
    let a = run(&files).unwrap();
    assert_eq!(a.summary.ipv_top_offenses[0].1, "Agresión simple");
}

#[test]
fn folder_prefixes_and_duplicate_files() {
    let mut files: Vec<(String, Vec<u8>)> = read_dir(&fixtures().join("base"))
        .into_iter()
        .map(|(n, b)| (format!("AZ/{n}"), b))
        .collect();
    files.push(("other/nibrs_incident.csv".into(), b"x\n1\n".to_vec()));
    let a = run(&files).unwrap();
    assert_eq!(a.pairs.len(), 5);
    let d: Vec<String> = a.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        d.iter()
            .any(|d| d.contains("other/nibrs_incident.csv: a second NIBRS_incident.csv was chosen")),
        "{d:?}"
    );
}

#[test]
fn an_unlisted_code_in_a_2021_pair_file_is_unknown_with_a_diagnostic() {
    let mut files = read_dir(&fixtures().join("layout_2021"));
    files.retain(|(n, _)| n != "nibrs_relationship.csv");
    let vor = files
        .iter_mut()
        .find(|(n, _)| n == "nibrs_victim_offender_rel.csv")
        .unwrap();
    vor.1 =
        b"data_year,victim_id,offender_id,relationship_code\n2019,2001,3001,se\n2019,2002,3001,QQ\n2019,2003,3002,\n"
            .to_vec();
    let a = run(&files).unwrap();
    let classes: Vec<RelClass> = a.pairs.iter().map(|p| p.class).collect();
    assert_eq!(
        classes,
        vec![RelClass::IntimatePartner, RelClass::Unknown, RelClass::Unknown]
    );
    let d: Vec<String> = a.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        d.iter()
            .any(|d| d.contains("row 3, column relationship_code, value \"QQ\"")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|d| d.contains("row 4, column relationship_code, value \"\": no relationship code")),
        "{d:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary bytes in any one file never make the import panic.
    #[test]
    fn arbitrary_bytes_never_panic(which in 0usize..10, bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut files = read_dir(&fixtures().join("base"));
        let i = which % files.len();
        files[i].1 = bytes;
        let _ = run(&files);
    }

    /// A file cut at any byte never panics; every row read is counted as used or rejected, and
    /// every used relationship row gives one pair.
    #[test]
    fn files_cut_anywhere_keep_the_counts_straight(which in 0usize..10, cut in 0.0f64..1.0) {
        let mut files = read_dir(&fixtures().join("base"));
        let i = which % files.len();
        let len = files[i].1.len();
        files[i].1.truncate((len as f64 * cut) as usize);
        if let Ok(a) = run(&files) {
            for f in &a.files {
                prop_assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{:?}", f);
            }
            let vor = a.files.iter().find(|f| f.file == "NIBRS_VICTIM_OFFENDER_REL.csv");
            prop_assert_eq!(vor.map(|f| f.rows_used).unwrap_or(0), a.pairs.len() as u64);
        }
    }

    /// Arbitrary CSV-ish text (digits, commas, quotes, line breaks) in the pair file never panics.
    #[test]
    fn csv_like_noise_never_panics(text in "[0-9A-Z,\"\r\n ]{0,300}") {
        let mut files = read_dir(&fixtures().join("base"));
        let vor = files.iter_mut().find(|(n, _)| n == "NIBRS_VICTIM_OFFENDER_REL.csv").unwrap();
        vor.1 = format!("\"DATA_YEAR\",\"VICTIM_ID\",\"OFFENDER_ID\",\"RELATIONSHIP_ID\"\n{text}").into_bytes();
        let _ = run(&files);
    }
}
