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
        ds.incidents[0].date.map(|d| d.to_string()).as_deref(),
        Some("2021-03-14")
    );
    assert_eq!(
        ds.involvements[0].dob.map(|d| d.to_string()).as_deref(),
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
