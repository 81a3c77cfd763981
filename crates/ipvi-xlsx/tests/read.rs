//! Workbooks read into the core's import tables and imported end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::import::{self, audit::AuditThresholds};
use ipvi_core::input::InputFile;
use ipvi_core::model::RelClass;
use ipvi_xlsx::read::READER;

fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("mm/dd/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Incidents").unwrap();
    ws.write_string(0, 0, "Kestrel County Sheriff - DV report").unwrap();
    for (c, h) in [
        "CASE_NUMBER",
        "DATE_OCCURRED",
        "ROLE",
        "LAST_NAME",
        "FIRST_NAME",
        "DOB",
        "RELATIONSHIP",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        ("K1", (2021, 3, 14), "V", "SMITH", "ANN", (1990, 2, 11), "SE"),
        ("K1", (2021, 3, 14), "O", "SMITH", "BOB", (1988, 7, 30), ""),
        ("K2", (2021, 4, 1), "V", "LEE", "KIM", (1960, 1, 1), "CH"),
        ("K2", (2021, 4, 1), "O", "LEE", "TOM", (1990, 1, 1), ""),
    ];
    for (i, (id, d, role, last, first, dob, rel)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_datetime_with_format(r, 1, ExcelDateTime::from_ymd(d.0, d.1, d.2).unwrap(), &date)
            .unwrap();
        ws.write_string(r, 2, *role).unwrap();
        ws.write_string(r, 3, *last).unwrap();
        ws.write_string(r, 4, *first).unwrap();
        // Dates of birth as Excel serial numbers without a date format, as some exports do.
        let serial = ExcelDateTime::from_ymd(dob.0, dob.1, dob.2).unwrap().to_excel();
        ws.write_number(r, 5, serial).unwrap();
        ws.write_string(r, 6, *rel).unwrap();
    }
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "Exported by RMS").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn workbooks_read_every_sheet_with_dates() {
    let bytes = workbook();
    let (tables, diags) = import::read_tables(
        &[InputFile {
            name: "report.xlsx",
            bytes: &bytes,
        }],
        Some(READER),
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0].label(), "report.xlsx [Incidents]");
    assert_eq!(tables[0].header_line, 3);
    assert_eq!(tables[0].row(0)[1], "2021-03-14");
    let (out, choice) = import::import_files(
        &[InputFile {
            name: "report.xlsx",
            bytes: &bytes,
        }],
        None,
        Some(READER),
    )
    .unwrap();
    let ds = &out.dataset;
    assert_eq!((ds.incidents.len(), ds.involvements.len(), ds.pairs.len()), (2, 4, 2));
    assert_eq!(
        ds.incidents.date(0).map(|d| d.to_string()).as_deref(),
        Some("2021-03-14")
    );
    assert_eq!(
        ds.involvements
            .get(0)
            .and_then(|p| p.dob)
            .map(|d| d.to_string())
            .as_deref(),
        Some("1990-02-11")
    );
    let a = import::audit(
        &out,
        choice.profile(),
        &CodeTable::nibrs_default(),
        &AuditThresholds::default(),
    );
    let counts: Vec<u64> = RelClass::ALL.iter().map(|c| a.pairs_by_class[c.as_str()]).collect();
    assert_eq!(counts, [1, 1, 0, 0, 0]);
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Regression: a workbook with one cell at A1 and one at XFD1048576 asked for 512 GiB (the
/// rectangle its dimension declares). Read cell by cell it is two rows.
#[test]
fn a_sheet_with_a_far_corner_cell_is_read_as_the_rows_it_holds() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "CASE_NUMBER").unwrap();
    ws.write_string(0, 1, "ROLE").unwrap();
    ws.write_string(1, 0, "K1").unwrap();
    ws.write_string(1, 1, "V").unwrap();
    ws.write_string(1_048_575, 16_383, "far").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let tables = READER("far.xlsx", &bytes).unwrap();
    assert_eq!(tables.len(), 1);
    let t = &tables[0];
    assert_eq!(t.width(), 16_384, "the header row spans the sheet's width");
    assert_eq!(t.len(), 2);
    assert_eq!(t.cell(0, 0), "K1");
    assert_eq!(t.line(1), 1_048_576);
    assert_eq!(t.cell(1, 16_383), "far");
    // Past the cell budget the file is refused, naming it and the limit.
    let small = ipvi_xlsx::read::Limits {
        cells: 10_000,
        ..Default::default()
    };
    let e = ipvi_xlsx::read::read_workbook_within("far.xlsx", &bytes, &small).unwrap_err();
    assert!(
        e.to_string().contains("far.xlsx") && e.to_string().contains("10000 cells"),
        "{e}"
    );
}

/// Regression (found by the `workbook` fuzz target): a workbook whose first bytes are not a
/// zip's (an XLS signature in front, or a damaged first header) was handed to calamine's own
/// detection, which found the zip behind them and read the sheet as the rectangle its cells
/// span: one cell at XFD1048576 asked for 512 GiB and aborted. The container's checks were
/// skipped too. Now only the kind the first bytes name is opened.
#[test]
fn a_zip_behind_other_first_bytes_is_not_opened_as_a_workbook() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "CASE_NUMBER").unwrap();
    ws.write_string(1_048_575, 16_383, "far").unwrap();
    let xlsx = wb.save_to_buffer().unwrap();
    let mut behind_xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    behind_xls.extend_from_slice(&xlsx);
    let mut damaged = xlsx.clone();
    damaged[3] = b'P'; // the fuzzer's input: "PK\x03P"
    for (name, bytes) in [("behind_xls.xls", &behind_xls), ("damaged.xlsx", &damaged)] {
        let e = READER(name, bytes).unwrap_err();
        assert!(e.to_string().contains(name), "{e}");
    }
    // Through the import, as the command line reads a folder: an error for that file, no abort.
    let files = [InputFile {
        name: "behind_xls.xls",
        bytes: &behind_xls,
    }];
    let (tables, diags) = import::read_tables(&files, Some(READER));
    assert!(tables.is_empty() && diags.len() == 1, "{diags:?}");
}

/// Regression: a 10 MB zip that inflates to 10 GiB of whitespace asked for 8.4 GB. The
/// container is inflated into nothing first and refused past the limit (here a small one).
#[test]
fn a_zip_bomb_is_refused_before_anything_is_kept() {
    let sheet = vec![b' '; 4 << 20];
    let bytes = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", &sheet),
    ]);
    assert!(bytes.len() < 64 << 10, "a small file: {}", bytes.len());
    let small = ipvi_xlsx::read::Limits {
        inflated_bytes: 1 << 20,
        ..Default::default()
    };
    let e = ipvi_xlsx::read::read_workbook_within("bomb.xlsx", &bytes, &small).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("bomb.xlsx") && text.contains("once unpacked"), "{text}");
    assert!(matches!(e, ipvi_core::input::ImportError::TooBig(_)));
    // A damaged container says so, not "cannot detect file format".
    let mut cut = bytes.clone();
    cut.truncate(bytes.len() / 2);
    let e = READER("cut.xlsx", &cut).unwrap_err().to_string();
    assert!(e.contains("cut.xlsx") && e.contains("damaged"), "{e}");
}
