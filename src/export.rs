//! CSV exports built in the page: the diagnostics list and the import summary. Cells go through
//! the core's spreadsheet-safe CSV writer ([`ipvi_core::export`]), like every other export.

use ipvi_core::diag::{Diagnostic, FileSummary};
use ipvi_core::export::push_csv_row;

/// The diagnostics as CSV (`severity,file,row,column,value,message`): the core's writer, the
/// same one the `ipvi` command uses.
pub fn diagnostics_csv(diags: &[Diagnostic]) -> String {
    ipvi_core::export::diagnostics_to_csv(diags)
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
    use ipvi_core::diag::Severity;

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
