//! CSV exports built in the page: the diagnostics list and the import summary.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return) are neutralised with a leading apostrophe.

use ipvi_core::diag::{Diagnostic, FileSummary, Severity};

/// Neutralise a cell a spreadsheet would treat as a formula.
pub fn safe_cell(v: &str) -> std::borrow::Cow<'_, str> {
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}").into(),
        _ => v.into(),
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn write_rows<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail for IO reasons; a row of the right width cannot fail either.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(row.iter().map(|c| safe_cell(c).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The diagnostics as CSV: `severity,file,row,column,value,message`.
pub fn diagnostics_csv(diags: &[Diagnostic]) -> String {
    write_rows(
        ["severity", "file", "row", "column", "value", "message"],
        diags.iter().map(|d| {
            [
                severity_name(d.severity).to_string(),
                d.file.clone(),
                d.row.map(|r| r.to_string()).unwrap_or_default(),
                d.column.clone().unwrap_or_default(),
                d.value.clone().unwrap_or_default(),
                d.message.clone(),
            ]
        }),
    )
}

/// The import summary as CSV: `file,rows_read,rows_used,rows_rejected`.
pub fn file_summary_csv(files: &[FileSummary]) -> String {
    write_rows(
        ["file", "rows_read", "rows_used", "rows_rejected"],
        files.iter().map(|f| {
            [
                f.file.clone(),
                f.rows_read.to_string(),
                f.rows_used.to_string(),
                f.rows_rejected.to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_csv_has_a_row_per_diagnostic_and_neutralises_formulas() {
        let diags = vec![
            Diagnostic::cell(
                Severity::Error,
                "NIBRS_VICTIM.csv",
                17,
                "AGE_NUM",
                "=1+1",
                "not a number, \"fix\" it",
            ),
            Diagnostic::file(Severity::Warning, "README.md", "not part of the extract"),
        ];
        let text = diagnostics_csv(&diags);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "severity,file,row,column,value,message");
        assert_eq!(
            lines[1],
            "error,NIBRS_VICTIM.csv,17,AGE_NUM,'=1+1,\"not a number, \"\"fix\"\" it\""
        );
        assert_eq!(lines[2], "warning,README.md,,,,not part of the extract");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn file_summary_csv_lists_each_file() {
        let files = vec![FileSummary {
            file: "NIBRS_OFFENSE.csv".into(),
            rows_read: 10,
            rows_used: 9,
            rows_rejected: 1,
        }];
        assert_eq!(
            file_summary_csv(&files),
            "file,rows_read,rows_used,rows_rejected\nNIBRS_OFFENSE.csv,10,9,1\n"
        );
    }

    #[test]
    fn safe_cell_leaves_ordinary_text_alone() {
        assert_eq!(safe_cell("13A"), "13A");
        assert_eq!(safe_cell("-5"), "'-5");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell(""), "");
    }
}
