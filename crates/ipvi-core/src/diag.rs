//! Diagnostics: what went wrong with the input, where, and what the user can do.
//!
//! Import never aborts on a bad row. Every step returns its result together with a list of
//! [`Diagnostic`]s that name the file, row, column and value; the app shows them and lets the
//! user download the problem rows.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; the row was used.
    Info,
    /// The row was used with a value set aside (for example an unreadable date).
    Warning,
    /// The row was rejected, or the file could not be used.
    Error,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file's name as the user chose it.
    pub file: String,
    /// 1-based line in the file (the header is line 1), when the problem is in a row.
    pub row: Option<u64>,
    /// The column's header, when the problem is in a cell.
    pub column: Option<String>,
    /// The offending value, shortened to 80 characters.
    pub value: Option<String>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn file(severity: Severity, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.to_string(),
            row: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    /// A problem in one cell.
    pub fn cell(
        severity: Severity,
        file: &str,
        row: u64,
        column: &str,
        value: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: file.to_string(),
            row: Some(row),
            column: Some(column.to_string()),
            value: Some(shorten(value)),
            message: message.into(),
        }
    }
}

/// Cut a value to at most 80 characters for display.
pub fn shorten(v: &str) -> String {
    if v.chars().count() <= 80 {
        v.to_string()
    } else {
        let mut s: String = v.chars().take(77).collect();
        s.push_str("...");
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        if let Some(v) = &self.value {
            write!(f, ", value {v:?}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Counts of what an import read, used and rejected, per file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    pub file: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
}
