//! CSV exports built in the page: the diagnostics list and the import summary. Cells go through
//! the core's spreadsheet-safe CSV writer ([`ipvi_core::export`]), like every other export.

use ipvi_core::diag::{Diagnostic, FileSummary, Severity};
use ipvi_core::export::push_csv_row;

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// The diagnostics as CSV: `severity,file,row,column,value,message`.
pub fn diagnostics_csv(diags: &[Diagnostic]) -> String {
    let mut out = String::with_capacity(64 + diags.len() * 96);
    push_csv_row(&mut out, ["severity", "file", "row", "column", "value", "message"]);
    for d in diags {
        let row = d.row.map(|r| r.to_string()).unwrap_or_default();
        push_csv_row(
            &mut out,
            [
                severity_name(d.severity),
                d.file.as_str(),
                row.as_str(),
                d.column.as_deref().unwrap_or(""),
                d.value.as_deref().unwrap_or(""),
                d.message.as_str(),
            ],
        );
    }
    out
}

/// The import summary as CSV: `file,rows_read,rows_used,rows_rejected`.
pub fn file_summary_csv(files: &[FileSummary]) -> String {
    let mut out = String::new();
    push_csv_row(&mut out, ["file", "rows_read", "rows_used", "rows_rejected"]);
    for f in files {
        let (r, u, x) = (
            f.rows_read.to_string(),
            f.rows_used.to_string(),
            f.rows_rejected.to_string(),
        );
        push_csv_row(&mut out, [f.file.as_str(), r.as_str(), u.as_str(), x.as_str()]);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
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
}
