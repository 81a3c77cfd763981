//! What every reader of input files shares, whatever the format: the files as names and bytes
//! ([`InputFile`]), where a long step is ([`Progress`]) and why files could not be imported at
//! all ([`ImportError`]). Row-level problems are [`crate::diag::Diagnostic`]s instead.
//!
//! The generic import ([`crate::import`]) and the NIBRS extract's reference reader
//! ([`crate::nibrs`]) both take and return these types, so callers hold one set of them.

use serde::{Deserialize, Serialize};

/// One file the user chose: its name (as shown to the user) and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    /// The file's name, possibly with a folder prefix (`AZ_2019/NIBRS_incident.csv`).
    pub name: &'a str,
    /// The file's content.
    pub bytes: &'a [u8],
}

/// Where a long step is, for a progress bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// What is being done, for people ("Reading NIBRS_OFFENSE.csv").
    pub stage: String,
    /// 0.0 to 1.0.
    pub fraction: f32,
}

/// Why a file or a set of files could not be imported at all.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize, Deserialize)]
pub enum ImportError {
    /// Not a table, empty, a required file missing or not fitting the profile; the text names
    /// the file and says what to do.
    #[error("{0}")]
    Unusable(String),
    /// Bigger than the browser can hold; the text names the limit and points to `ipvi`.
    #[error("{0}")]
    TooBig(String),
    /// The user cancelled (the progress callback returned `false`).
    #[error("the user cancelled")]
    Cancelled,
}
