//! The generic import end to end, on small fixture files (tests/fixtures/import/), generated
//! workbooks, the real AZ 2019 NIBRS extract and a generated synthetic export.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::diag::Severity;
use ipvi_core::import::{
    self, audit::AuditThresholds, mapping::TableKind, profile::Profile, read_csv, CsvStream, ImportOutcome,
    ProfileChoice,
};
use ipvi_core::input::InputFile;
use ipvi_core::model::{RelClass, Role};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let p = format!("{}/tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn load(names: &[&str]) -> (ImportOutcome, ProfileChoice) {
    let data: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), fixture(n))).collect();
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    import::import_files(&files, None, None).unwrap()
}

/// Every fragment must appear in some diagnostic's text (file, row, column, value, message).
fn assert_diags(out: &ImportOutcome, fragments: &[&str]) {
    let all: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    for f in fragments {
        assert!(
            all.iter().any(|d| d.contains(f)),
            "no diagnostic contains {f:?}; got:\n{}",
            all.join("\n")
        );
    }
}

fn audit_of(out: &ImportOutcome, profile: &Profile) -> import::Audit {
    import::audit(out, profile, &CodeTable::nibrs_default(), &AuditThresholds::default())
}

fn class_counts(a: &import::Audit) -> Vec<u64> {
    RelClass::ALL.iter().map(|c| a.pairs_by_class[c.as_str()]).collect()
}

#[test]
fn flat_export_one_row_per_person() {
    let (out, choice) = load(&["flat_involvement.csv"]);
    let ProfileChoice::Proposed(profile, proposal) = &choice else {
        panic!("expected a proposal")
    };
    assert_eq!(proposal.tables[0].kind, TableKind::Flat);
    assert_eq!(out.dataset.incidents.len(), 4);
    assert_eq!(out.dataset.involvements.len(), 8);
    assert_eq!(out.dataset.pairs.len(), 4);
    let codes: Vec<&str> = out.dataset.offenses.iter().map(|o| o.nibrs_code).collect();
    assert_eq!(codes, ["13B", "13C", "90Z", "290"]);
    assert_eq!(out.files[0].rows_read, 8);
    assert_eq!(out.files[0].rows_used, 8);
    assert_diags(
        &out,
        &[
            "the header row is line 3",
            "row 8, column OCCURRED_DATE, value \"31/02/2019\": not a date; dates in this column look like MM/DD/YYYY. \
             Fix the value or map the column to another date format",
        ],
    );
    // GF is a local code: unknown until the profile's relationship table names it.
    let a = audit_of(&out, profile);
    assert_eq!(class_counts(&a), [0, 1, 0, 1, 2]);
    assert_eq!(a.domestic_pairs, 3);
    let mut p = profile.clone();
    p.relationship_codes.insert("GF".into(), RelClass::IntimatePartner);
    let a = audit_of(&out, &p);
    assert_eq!(class_counts(&a), [1, 1, 0, 1, 1]);
    assert!(a
        .verdict
        .headline
        .starts_with("IPV can be distinguished for 67% of domestic pairs; 33% have an unknown"));
}

#[test]
fn flat_export_one_row_per_pair_in_utf16_with_tabs() {
    let (out, choice) = load(&["flat_pair_utf16le.tsv"]);
    let ProfileChoice::Proposed(profile, proposal) = &choice else {
        panic!("expected a proposal")
    };
    assert_eq!(proposal.tables[0].kind, TableKind::Flat);
    assert_diags(&out, &["UTF-16LE", "separated by tabs"]);
    let ds = &out.dataset;
    assert_eq!((ds.incidents.len(), ds.involvements.len(), ds.pairs.len()), (3, 7, 4));
    assert!(ds
        .involvements
        .iter()
        .any(|p| p.first_name == "JOSÉ" && p.last_name == "PÉREZ" && p.role == Some(Role::Victim)));
    let a = audit_of(&out, profile);
    // BG (code), AQ (code), RU + "ESPOSA" (free text), no code + "SON" (free text).
    assert_eq!(class_counts(&a), [2, 1, 1, 0, 0]);
    assert_eq!(a.pairs_by_source.get("free_text"), Some(&2));
}

#[test]
fn normalized_export_in_windows_1252_with_semicolons() {
    let (out, choice) = load(&[
        "norm_incidents.csv",
        "norm_people.csv",
        "norm_relationships.csv",
        "norm_offenses.csv",
    ]);
    let ProfileChoice::Proposed(profile, proposal) = &choice else {
        panic!("expected a proposal")
    };
    let kinds: Vec<TableKind> = proposal.tables.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [
            TableKind::Incidents,
            TableKind::Persons,
            TableKind::Pairs,
            TableKind::Offenses
        ]
    );
    let ds = &out.dataset;
    assert_eq!(
        (
            ds.incidents.len(),
            ds.involvements.len(),
            ds.pairs.len(),
            ds.offenses.len()
        ),
        (3, 6, 3, 3)
    );
    assert!(ds.involvements.iter().any(|p| p.last_name == "MUÑOZ"));
    assert!(
        ds.incidents.iter().all(|i| i.date.is_some()),
        "the report date stands in for the incident date"
    );
    assert_diags(
        &out,
        &[
            "read as Windows-1252",
            "separated by semicolons",
            "norm_people.csv, row 8, column INCIDENT_ID, value \"999\": no incident with this id in norm_incidents.csv",
            "norm_relationships.csv, row 5, column OFFENDER_ID, value \"P9\": no offender with this id",
            "norm_offenses.csv, row 3, column STATUTE, value \"PARKING VIOLATION\": unknown offence code",
        ],
    );
    assert_eq!(out.rejected.len(), 2);
    let csv = import::rejected_to_csv(&out.rejected);
    assert!(csv.starts_with("file,row,reason,cell_1"));
    assert!(csv.contains("norm_people.csv,8,"));
    let codes: Vec<&str> = ds.offenses.iter().map(|o| o.nibrs_code).collect();
    assert_eq!(codes, ["13B", "", "13A"]);
    let a = audit_of(&out, profile);
    assert_eq!(class_counts(&a), [2, 0, 0, 0, 1]);
    assert_eq!((a.rows_read, a.rows_rejected), (17, 2));
    // A saved profile holds no sample values and loads the same files again without questions.
    let json = profile.to_json();
    assert!(!json.contains("MUÑOZ") && !json.contains("P1"));
    let again = Profile::from_json(&json).unwrap();
    let data: Vec<(String, Vec<u8>)> = [
        "norm_incidents.csv",
        "norm_people.csv",
        "norm_relationships.csv",
        "norm_offenses.csv",
    ]
    .iter()
    .map(|n| (n.to_string(), fixture(n)))
    .collect();
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let (tables, _) = import::read_tables(&files, None);
    assert!(again.matches(&tables));
    assert!(!Profile::synthetic_export().matches(&tables));
    assert_eq!(import::import_tables(&tables, &again).unwrap().dataset, out.dataset);
}

#[test]
fn every_encoding_reads_the_same_names() {
    let cases: [(&str, Option<&str>); 5] = [
        ("enc_utf8.csv", None),
        ("enc_utf8_bom.csv", None),
        ("enc_utf16le.csv", Some("the file is in UTF-16LE")),
        ("enc_utf16be_nobom.csv", Some("the file is in UTF-16BE")),
        ("enc_windows1252.csv", Some("read as Windows-1252")),
    ];
    for (name, note) in cases {
        let (out, _) = load(&[name]);
        let names: Vec<(&str, &str)> = out
            .dataset
            .involvements
            .iter()
            .map(|p| (p.last_name, p.first_name))
            .collect();
        assert_eq!(names, [("PEÑA", "JOSÉ"), ("OTERO", "ANDRÉ")], "{name}");
        assert_eq!(
            out.dataset.involvements.record_id(0),
            Some("R1"),
            "{name}: a byte-order mark must not stick to the header"
        );
        if let Some(n) = note {
            assert_diags(&out, &[n]);
        }
    }
}

#[test]
fn separators_are_detected() {
    for d in [",", ";", "\t", "|"] {
        let text = format!("Report{d}{d}\nINCIDENT_ID{d}OCCURRED_DATE{d}NARRATIVE\nI1{d}01/02/2021{d}\"a{d} b\"\nI2{d}01/03/2021{d}c\n");
        let t = read_csv("d.csv", text.as_bytes()).unwrap();
        assert_eq!(t.headers, ["INCIDENT_ID", "OCCURRED_DATE", "NARRATIVE"], "{d:?}");
        assert_eq!(t.header_line, 2);
        assert_eq!(t.row(0), ["I1", "01/02/2021", &format!("a{d} b")], "{d:?}");
    }
}

#[test]
fn broken_files_say_what_is_wrong() {
    let (out, _) = load(&["broken_ragged.csv"]);
    assert_diags(
        &out,
        &[
            "broken_ragged.csv, row 3, column (beyond the last column), value \"EXTRA\": the row has 7 values but the header has 5",
            "broken_ragged.csv, row 4, column LAST_NAME, value \"SHORT\": the row has 4 values but the header has 5",
            "row 6, column (whole row)",
            "repeats an earlier row exactly",
        ],
    );
    assert_eq!(
        (
            out.files[0].rows_read,
            out.files[0].rows_used,
            out.files[0].rows_rejected
        ),
        (5, 3, 2)
    );
    assert_eq!(out.identical_rows, 1);

    let (out, choice) = load(&["broken_missing_key.csv"]);
    assert_diags(
        &out,
        &[
            "no column is mapped to the incident number",
            "all 2 rows of the file were rejected",
        ],
    );
    assert_eq!(out.files[0].rows_rejected, 2);
    let ProfileChoice::Proposed(_, proposal) = choice else {
        panic!()
    };
    assert!(proposal
        .notes
        .iter()
        .any(|n| n.contains("no column was recognised as the incident number")));

    let (out, _) = load(&["broken_open_quote.csv"]);
    assert_diags(&out, &["row 2: a quote opened on this line is never closed"]);

    for (name, want) in [
        ("broken_empty.csv", "broken_empty.csv is empty"),
        ("broken_junk.bin", "broken_junk.bin is not a CSV or Excel file"),
    ] {
        let bytes = fixture(name);
        let err = import::import_files(&[InputFile { name, bytes: &bytes }], None, None).unwrap_err();
        assert!(err.to_string().contains(want), "{name}: {err}");
    }
    // Beside a good file, a bad one is reported and the good one is still read.
    let (a, b) = (fixture("broken_junk.bin"), fixture("enc_utf8.csv"));
    let (out, _) = import::import_files(
        &[
            InputFile {
                name: "broken_junk.bin",
                bytes: &a,
            },
            InputFile {
                name: "enc_utf8.csv",
                bytes: &b,
            },
        ],
        None,
        None,
    )
    .unwrap();
    assert_eq!(out.dataset.involvements.len(), 2);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.file == "broken_junk.bin"));
}

#[test]
fn streamed_chunks_give_the_same_table_and_a_limit() {
    let bytes = fixture("flat_involvement.csv");
    let whole = read_csv("f.csv", &bytes).unwrap();
    for size in [1, 7, 64, 100_000] {
        let mut s = CsvStream::new("f.csv", Some(bytes.len() as u64));
        for c in bytes.chunks(size) {
            s.push(c).unwrap();
        }
        assert_eq!(s.progress(), Some(1.0));
        let t = s.finish().unwrap();
        assert_eq!(
            (t.headers.clone(), t.len()),
            (whole.headers.clone(), whole.len()),
            "chunks of {size}"
        );
        for r in 0..t.len() {
            assert_eq!(t.row(r), whole.row(r));
            assert_eq!(t.line(r), whole.line(r));
        }
    }
    let mut s = CsvStream::new("big.csv", Some(10)).with_limit(5);
    let err = s.push(b"0123456789").unwrap_err();
    assert!(
        err.to_string().contains("use") || err.to_string().contains("ipvi audit"),
        "{err}"
    );
    assert!(import::too_big_message("big.csv", 1100 << 20).contains("1100 MB, more than the 1024 MB"));
}

#[test]
fn a_workbook_without_a_reader_is_refused_by_name() {
    // A ZIP container's first bytes: the core reads workbooks only through ipvi-xlsx.
    let bytes = b"PK\x03\x04 not really a workbook".to_vec();
    let (tables, diags) = import::read_tables(
        &[InputFile {
            name: "report.xlsx",
            bytes: &bytes,
        }],
        None,
    );
    assert!(tables.is_empty());
    assert!(
        diags[0].to_string().contains("report.xlsx is an Excel workbook"),
        "{diags:?}"
    );
}

/// `<workspace root>/../shared/data` (a worktree one level deeper also looks one level up).
fn shared_data() -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let near = root.join("../shared/data");
    if near.exists() {
        return near;
    }
    root.join("../../shared/data")
}

#[test]
fn az_2019_loads_through_the_generic_path_with_the_same_totals() {
    let dir = shared_data().join("nibrs/AZ_2019");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("the AZ 2019 extract is expected at {}", dir.display());
    };
    let mut data: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    data.sort();
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let table = CodeTable::nibrs_default();
    let reference = ipvi_core::nibrs::analyze_extract(&files, &table, &mut |_| true).unwrap();
    let (out, choice) = import::import_files(&files, None, None).unwrap();
    let ProfileChoice::Builtin(profile) = &choice else {
        panic!("the built-in NIBRS profile should match")
    };
    assert_eq!(profile.name, Profile::nibrs_extract().name);
    let a = audit_of(&out, profile);
    let want: Vec<u64> = RelClass::ALL
        .iter()
        .map(|c| reference.summary.class(*c).pairs)
        .collect();
    assert_eq!(class_counts(&a), want);
    assert_eq!(a.pairs_by_class["intimate_partner"], 1832);
    assert_eq!(out.dataset.incidents.len() as u64, reference.summary.incidents_total);
    // The same profile saved and loaded gives the same dataset.
    let again = Profile::from_json(&profile.to_json()).unwrap();
    let (tables, _) = import::read_tables(&files, None);
    assert_eq!(
        import::import_tables(&tables, &again).unwrap().dataset.pairs.len(),
        out.dataset.pairs.len()
    );
}

#[test]
fn the_synthetic_export_loads_through_the_generic_path() {
    use ipvi_core::synth;
    let cfg = synth::SynthConfig {
        population: 3_000,
        years: 2,
        ..Default::default()
    };
    let j = synth::generate(&cfg, &mut |_| true).unwrap();
    let cal = synth::calibration::calibrate(&j);
    let files = synth::export::export(&j, &cal).unwrap();
    let files: Vec<(String, Vec<u8>)> = files.into_iter().filter(|(n, _)| !n.contains("truth/")).collect();
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let (out, choice) = import::import_files(&inputs, None, None).unwrap();
    assert!(matches!(choice, ProfileChoice::Builtin(ref p) if p.name == Profile::synthetic_export().name));
    // Every record the jurisdiction exported, as the export's former reader read them
    // (tests/synth_one_path.rs keeps that reader's classes and lists).
    let ds = &out.dataset;
    assert_eq!(ds.incidents.len(), j.incidents.len());
    assert_eq!(ds.involvements.len(), j.persons.len());
    assert_eq!(ds.pairs.len(), j.pairs.len());
    assert_eq!(ds.offenses.len(), j.offenses.len());
    assert_eq!(ds.arrests.len(), j.arrests.len());
    assert_eq!(ds.orders.len(), j.orders.len());
    assert_eq!(ds.calls.len(), j.calls.len());
    assert!(
        out.rejected.is_empty(),
        "{:?}",
        &out.rejected[..out.rejected.len().min(3)]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_bytes_never_panic_and_chunks_do_not_matter(bytes in proptest::collection::vec(any::<u8>(), 0..600), cut in 0usize..600) {
        let whole = read_csv("x.csv", &bytes);
        let mut s = CsvStream::new("x.csv", None);
        let cut = cut.min(bytes.len());
        s.push(&bytes[..cut]).unwrap();
        s.push(&bytes[cut..]).unwrap();
        let chunked = s.finish();
        match (whole, chunked) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a.headers, &b.headers);
                prop_assert_eq!(a.len(), b.len());
                for r in 0..a.len() {
                    prop_assert_eq!(a.row(r), b.row(r));
                }
                let _ = import::propose_mapping(&[a]);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "whole {:?} chunked {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn csv_like_text_never_panics_the_whole_import(text in "[a-z0-9,;\"\\n\\r /-]{0,300}") {
        let _ = import::import_files(&[InputFile { name: "t.csv", bytes: text.as_bytes() }], None, None);
    }
}

/// The totals `nibrs::analyze_extract` shows, for comparing the two import paths.
#[derive(Debug, PartialEq)]
struct NibrsTotals {
    incidents_total: u64,
    incidents_with_pairs: u64,
    /// (class, pairs, incidents) in `RelClass::ALL` order.
    by_class: Vec<(RelClass, u64, u64)>,
    mixed_ipv_family_incidents: u64,
    victim_was_offender_pairs: u64,
    dv_circumstance_pairs: u64,
    /// (offence code, IPV pairs in incidents with it).
    ipv_top_offenses: Vec<(String, u64)>,
    ipv_victims_by_sex: Vec<(String, u64)>,
}

fn totals_of_dedicated(a: &ipvi_core::nibrs::NibrsAnalysis) -> NibrsTotals {
    let s = &a.summary;
    NibrsTotals {
        incidents_total: s.incidents_total,
        incidents_with_pairs: s.incidents_with_pairs,
        by_class: s.by_class.iter().map(|c| (c.class, c.pairs, c.incidents)).collect(),
        mixed_ipv_family_incidents: s.mixed_ipv_family_incidents,
        victim_was_offender_pairs: s.victim_was_offender_pairs,
        dv_circumstance_pairs: s.dv_circumstance_pairs,
        ipv_top_offenses: s.ipv_top_offenses.iter().map(|(c, _, n)| (c.clone(), *n)).collect(),
        ipv_victims_by_sex: s.ipv_victims_by_sex.clone(),
    }
}

/// The same totals computed from the generic import's dataset, the pairs classified by code.
fn totals_of_generic(out: &ImportOutcome, table: &CodeTable) -> NibrsTotals {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let ds = &out.dataset;
    let incident: HashMap<&str, usize> = ds
        .incidents
        .iter()
        .enumerate()
        .map(|(i, x)| (x.incident_id, i))
        .collect();
    let mut offenses: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); ds.incidents.len()];
    for o in &ds.offenses {
        if let Some(&i) = incident.get(o.incident_id) {
            if !o.nibrs_code.is_empty() {
                offenses[i].insert(o.nibrs_code);
            }
        }
    }
    let sex: HashMap<&str, &str> = ds.involvements.iter().map(|p| (p.record_id, p.sex)).collect();
    let mut masks = vec![0u8; ds.incidents.len()];
    let mut pairs = [0u64; 5];
    let (mut vo, mut dv) = (0, 0);
    let mut ipv_offense: BTreeMap<String, u64> = BTreeMap::new();
    let mut ipv_victims: BTreeSet<&str> = BTreeSet::new();
    for p in &ds.pairs {
        let cl = table.classify(p.relationship_code.unwrap_or(""));
        let ci = RelClass::ALL.iter().position(|c| *c == cl.class).unwrap();
        pairs[ci] += 1;
        let i = incident[p.incident_id];
        masks[i] |= 1 << ci;
        vo += u64::from(cl.victim_was_offender);
        dv += u64::from(p.dv_circumstance);
        if cl.class == RelClass::IntimatePartner {
            for c in &offenses[i] {
                *ipv_offense.entry(c.to_string()).or_default() += 1;
            }
            ipv_victims.insert(p.victim_record_id);
        }
    }
    let mut ipv_top_offenses: Vec<(String, u64)> = ipv_offense.into_iter().collect();
    ipv_top_offenses.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut by_sex: BTreeMap<String, u64> = BTreeMap::new();
    for v in ipv_victims {
        let s = match sex.get(v).copied().unwrap_or("") {
            "" => "U",
            x => x,
        };
        *by_sex.entry(s.to_string()).or_default() += 1;
    }
    let bit = |c: RelClass| 1u8 << RelClass::ALL.iter().position(|x| *x == c).unwrap();
    let (ip, of) = (bit(RelClass::IntimatePartner), bit(RelClass::OtherFamily));
    NibrsTotals {
        incidents_total: ds.incidents.len() as u64,
        incidents_with_pairs: masks.iter().filter(|m| **m != 0).count() as u64,
        by_class: RelClass::ALL
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                (
                    *c,
                    pairs[ci],
                    masks.iter().filter(|m| **m & (1 << ci) != 0).count() as u64,
                )
            })
            .collect(),
        mixed_ipv_family_incidents: masks.iter().filter(|m| **m & ip != 0 && **m & of != 0).count() as u64,
        victim_was_offender_pairs: vo,
        dv_circumstance_pairs: dv,
        ipv_top_offenses,
        ipv_victims_by_sex: by_sex.into_iter().collect(),
    }
}

/// Both import paths on the same files: the built-in NIBRS profile is chosen and the totals agree.
fn assert_same_nibrs_totals(what: &str, data: &[(String, Vec<u8>)]) -> NibrsTotals {
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let table = CodeTable::nibrs_default();
    let reference = ipvi_core::nibrs::analyze_extract(&files, &table, &mut |_| true).unwrap();
    let (out, choice) = import::import_files(&files, None, None).unwrap();
    assert!(
        matches!(&choice, ProfileChoice::Builtin(p) if p.name == Profile::nibrs_extract().name),
        "{what}: the built-in NIBRS profile should be chosen, got {:?}",
        choice.profile().name
    );
    let want = totals_of_dedicated(&reference);
    assert_eq!(totals_of_generic(&out, &table), want, "{what}");
    want
}

fn nibrs_fixture(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/nibrs")
        .join(dir);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
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

#[test]
fn nibrs_fixtures_give_the_dedicated_importers_totals_in_both_layouts() {
    for dir in ["base", "layout_2021"] {
        let t = assert_same_nibrs_totals(dir, &nibrs_fixture(dir));
        // The fixtures' hand counts (tests/fixtures/nibrs/README.md): circumstance 6 on one
        // victim, offences in both layouts.
        assert_eq!((t.dv_circumstance_pairs, t.victim_was_offender_pairs), (1, 1), "{dir}");
        assert_eq!(
            t.ipv_top_offenses,
            vec![("13B".to_string(), 2), ("13A".to_string(), 1)],
            "{dir}"
        );
    }
    // Circumstance ids taken as codes when the circumstance table is not chosen.
    let mut files = nibrs_fixture("base");
    files.retain(|(n, _)| n != "NIBRS_CIRCUMSTANCES.csv");
    assert_eq!(
        assert_same_nibrs_totals("base without circumstances", &files).dv_circumstance_pairs,
        1
    );
    // A 2021+ pair file with relationship codes instead of ids, no relationship table.
    let mut files = nibrs_fixture("layout_2021");
    files.retain(|(n, _)| n != "nibrs_relationship.csv");
    for (n, b) in files.iter_mut() {
        if n == "nibrs_victim_offender_rel.csv" {
            *b = b"data_year,victim_id,offender_id,relationship_code\n2019,2001,3001,se\n2019,2002,3001,QQ\n2019,2003,3002,BG\n"
                .to_vec();
        }
    }
    let t = assert_same_nibrs_totals("2021 pairs with codes", &files);
    assert_eq!(t.by_class[0], (RelClass::IntimatePartner, 2, 2));
}

#[test]
fn az_2019_gives_the_dedicated_importers_totals_through_the_generic_path() {
    let dir = shared_data().join("nibrs/AZ_2019");
    let mut data: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the AZ 2019 extract is expected at {}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    data.sort();
    let t = assert_same_nibrs_totals("AZ_2019", &data);
    // The README's pair counts.
    assert_eq!(t.by_class[0], (RelClass::IntimatePartner, 1832, 1719));
    assert!(t.dv_circumstance_pairs > 0 && !t.ipv_top_offenses.is_empty());
}

/// A flat export with one row per person, `incidents` incidents of a victim and a suspect, a
/// ragged row and a repeated row.
fn generated_flat_export(incidents: usize) -> Vec<u8> {
    let rels = ["GIRLFRIEND", "WIFE", "SON", "EX-BOYFRIEND", "MOTHER", "FRIEND"];
    let mut s =
        String::from("Case No.,Occurred On,Dept,DV?,Party Type,Surname,Given Name,DOB,Gender,Relationship,Charge\n");
    for i in 0..incidents {
        let date = format!("{:02}/{:02}/{}", i % 12 + 1, i % 28 + 1, 2018 + i % 4);
        s.push_str(&format!(
            "KPD-{i},{date},KINGSPORT PD,Y,VICTIM,SURNAME{},GIVEN{},02/11/1990,F,{},ASSAULT - DOMESTIC\n",
            i % 997,
            i % 389,
            rels[i % rels.len()]
        ));
        s.push_str(&format!(
            "KPD-{i},{date},KINGSPORT PD,Y,SUSPECT,SURNAME{},GIVEN{},07/30/1988,M,,ASSAULT - DOMESTIC\n",
            i * 7 % 991,
            i * 3 % 383
        ));
        if i == 10 {
            s.push_str("KPD-10,01/01/2019,KINGSPORT PD,Y,WITNESS,A,B,,,,,extra\n");
            s.push_str(&format!(
                "KPD-{i},{date},KINGSPORT PD,Y,SUSPECT,SURNAME{},GIVEN{},07/30/1988,M,,ASSAULT - DOMESTIC\n",
                i * 7 % 991,
                i * 3 % 383
            ));
        }
    }
    s.into_bytes()
}

#[test]
fn the_import_with_progress_gives_the_same_outcome_and_can_stop() {
    let table = read_csv("big.csv", &generated_flat_export(40_000)).unwrap();
    let profile = Profile::from_proposal("flat", &import::propose_mapping(std::slice::from_ref(&table)));
    let borrowed = import::import_tables(std::slice::from_ref(&table), &profile).unwrap();
    assert_eq!(borrowed.dataset.incidents.len(), 40_000);
    assert_eq!(borrowed.dataset.pairs.len(), 40_000);
    assert_eq!(borrowed.rejected.len(), 2, "the ragged row and the repeated row");
    let mut seen = Vec::new();
    let owned = import::import_tables_with_progress(vec![table.clone()], &profile, &mut |f| {
        seen.push(f);
        true
    })
    .unwrap();
    assert_eq!(owned, borrowed);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().any(|f| *f > 0.0 && *f < 1.0), "{seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
    let stopped = import::import_tables_with_progress(vec![table], &profile, &mut |_| false);
    assert_eq!(stopped, Err(ipvi_core::input::ImportError::Cancelled));
}

/// Regression: a 0.5 MB flat file with one incident of 4,500 victims and 4,500 offenders made
/// 20 million pairs (5 GB). Each incident makes at most `MAX_PAIRS_PER_INCIDENT` pairs, with a
/// warning that names it; the rows are all still used.
#[test]
fn one_huge_incident_makes_a_bounded_number_of_pairs() {
    let mut text = String::from("CASE_NUMBER,DATE_OCCURRED,ROLE,LAST_NAME,FIRST_NAME,DOB,RELATIONSHIP\n");
    for i in 0..4500 {
        text.push_str(&format!("MASS1,2021-03-14,VICTIM,VLAST{i},ANN,1990-01-01,SE\n"));
        text.push_str(&format!("MASS1,2021-03-14,SUSPECT,OLAST{i},BOB,1980-01-01,\n"));
    }
    text.push_str("K2,2021-04-01,VICTIM,LEE,KIM,1960-01-01,SE\nK2,2021-04-01,SUSPECT,LEE,TOM,1990-01-01,\n");
    let files = [InputFile {
        name: "mass.csv",
        bytes: text.as_bytes(),
    }];
    let (out, _) = import::import_files(&files, None, None).unwrap();
    let limit = ipvi_core::limits::MAX_PAIRS_PER_INCIDENT;
    let mass = out.dataset.pairs.iter().filter(|p| p.incident_id == "MASS1").count();
    assert_eq!(mass, limit);
    assert_eq!(out.dataset.pairs.iter().filter(|p| p.incident_id == "K2").count(), 1);
    assert_eq!(out.files[0].rows_read, 9002);
    assert_eq!(out.files[0].rows_used + out.files[0].rows_rejected, 9002);
    assert_diags(
        &out,
        &[
            "MASS1",
            &format!("only its first {limit} victim–offender pairs were made"),
        ],
    );
}

/// Regression (found by the `nibrs` and `mapping` fuzz targets): a file the profile does not
/// take, with a ragged row, was counted as "2 rows read, 0 used, 1 rejected": its reading's
/// rejections were counted though the file was not used, so rows read ≠ used + rejected.
#[test]
fn a_file_not_used_keeps_no_rejected_rows() {
    let dir = format!("{}/../../tests/fixtures/nibrs/base", env!("CARGO_MANIFEST_DIR"));
    let mut data: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    data.push(("extra.csv".into(), b"a,b\n1,2\n3,4,5\n".to_vec()));
    let files: Vec<InputFile<'_>> = data.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let (out, choice) = import::import_files(&files, None, None).unwrap();
    assert!(matches!(choice, ProfileChoice::Builtin(_)));
    let extra = out.files.iter().find(|f| f.file == "extra.csv").unwrap();
    assert_eq!((extra.rows_read, extra.rows_used, extra.rows_rejected), (2, 0, 0));
    assert!(out.rejected.iter().all(|r| r.file != "extra.csv"));
    for f in out.files.iter().filter(|f| f.rows_used + f.rows_rejected > 0) {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{f:?}");
    }
}
