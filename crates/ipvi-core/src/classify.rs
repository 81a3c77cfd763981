//! Relationship classification of victim–offender pairs from a code table that is data.
//!
//! API CONTRACT (fixed); the implementation is being built.

use crate::model::RelClass;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Relationship codes to classes: versioned defaults the user can edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeTable {
    pub version: u32,
    pub classes: BTreeMap<String, RelClass>,
}

impl CodeTable {
    /// The NIBRS defaults.
    pub fn nibrs_default() -> CodeTable {
        CodeTable { version: 1, classes: BTreeMap::new() }
    }
}
