//! Import of the FBI Crime Data Explorer NIBRS CSV extract, and classification of its
//! victim–offender pairs.
//!
//! API CONTRACT (fixed; the browser worker codes against it). The implementation is being built.

use crate::classify::CodeTable;
use crate::date::Date;
use crate::diag::{Diagnostic, FileSummary};
use crate::model::RelClass;
use serde::{Deserialize, Serialize};

/// One file the user chose: its name (as shown to the user) and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    pub name: &'a str,
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

/// Why an extract could not be analysed at all. Row-level problems are diagnostics instead.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize, Deserialize)]
pub enum ImportError {
    #[error("the user cancelled")]
    Cancelled,
    #[error("{0}")]
    Unusable(String),
}

/// One victim–offender relationship row, classified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassifiedPair {
    pub incident_id: String,
    pub agency: String,
    pub date: Option<Date>,
    pub victim_id: String,
    pub offender_id: String,
    pub relationship_code: String,
    pub class: RelClass,
    /// `VO`: the victim was the offender (mutual fight).
    pub victim_was_offender: bool,
    /// Circumstance 6 (domestic violence) on the victim.
    pub dv_circumstance: bool,
    /// The incident's offence codes, space-separated.
    pub offenses: String,
    pub victim_sex: String,
    pub offender_sex: String,
}

/// Pairs and incidents in one class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassCount {
    pub class: RelClass,
    pub pairs: u64,
    /// Incidents holding at least one pair of this class.
    pub incidents: u64,
}

/// The totals shown after an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NibrsSummary {
    pub incidents_total: u64,
    pub incidents_with_pairs: u64,
    pub by_class: Vec<ClassCount>,
    /// Incidents holding both an intimate-partner pair and an other-family pair.
    pub mixed_ipv_family_incidents: u64,
    pub victim_was_offender_pairs: u64,
    pub dv_circumstance_pairs: u64,
    /// (offence code, offence name, IPV pairs) most frequent first.
    pub ipv_top_offenses: Vec<(String, String, u64)>,
    /// (sex code, IPV victims) — distinct victims in IPV pairs.
    pub ipv_victims_by_sex: Vec<(String, u64)>,
}

/// Everything an import produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NibrsAnalysis {
    pub pairs: Vec<ClassifiedPair>,
    pub summary: NibrsSummary,
    pub files: Vec<FileSummary>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Import and classify an extract. `progress` is called now and then; when it returns `false`
/// the import stops with [`ImportError::Cancelled`].
pub fn analyze_extract(
    files: &[InputFile<'_>],
    table: &CodeTable,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<NibrsAnalysis, ImportError> {
    let _ = (files, table, progress);
    Err(ImportError::Unusable("the NIBRS importer is being built".into()))
}

/// The pairs as CSV: `incident_id,victim_id,offender_id,relationship_code,class`.
pub fn pairs_to_csv(pairs: &[ClassifiedPair]) -> String {
    let _ = pairs;
    String::new()
}
