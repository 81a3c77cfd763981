//! What the analysis commands share: reading a folder of exports and loading a dataset.

use anyhow::{bail, Context, Result};
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::model::Dataset;
use ipvi_core::synth::read::read_synthetic_export;
use std::path::Path;

/// Every CSV/XLSX file directly in `dir` (and in `dir/truth`, which the readers skip), as
/// (name relative to `dir`, bytes), sorted by name.
pub fn read_dir_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for sub in ["", "truth"] {
        let d = dir.join(sub);
        if sub == "truth" && !d.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&d).with_context(|| format!("cannot read the folder {}", d.display()))?;
        for e in entries {
            let path = e?.path();
            let ext = path
                .extension()
                .and_then(|x| x.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if path.is_file() && (ext == "csv" || ext == "xlsx") {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
                let name = if sub.is_empty() { name } else { format!("{sub}/{name}") };
                let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                out.push((name, bytes));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    if out.is_empty() {
        bail!("{} holds no CSV or XLSX file", dir.display());
    }
    Ok(out)
}

/// Load an agency export (the synthetic export's layout) into a dataset.
pub fn load_dataset(files: &[(String, Vec<u8>)]) -> Result<(Dataset, Vec<Diagnostic>)> {
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let (data, diags) = read_synthetic_export(&refs);
    if data.incidents.is_empty() || data.involvements.is_empty() {
        let first = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .unwrap_or_default();
        bail!("no incidents or person records could be read; expected incidents.csv, persons.csv, relationships.csv … {first}");
    }
    Ok((data, diags))
}

/// Read a ranking-score weights table (`component,weight,transform,unit,basis`).
pub fn read_score_weights(path: &str) -> Result<ipvi_core::offenders::score::RfgvConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the score weights {path}"))?;
    ipvi_core::offenders::score::RfgvConfig::from_csv(&text).with_context(|| format!("in {path}"))
}
