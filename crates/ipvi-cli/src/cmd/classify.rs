//! `ipvi classify --nibrs <DIR> --out <FILE.csv>` (filled in by the NIBRS work).

use anyhow::{bail, Result};

pub fn run(_argv: &[String]) -> Result<()> {
    bail!("not built yet")
}
