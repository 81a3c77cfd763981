//! A small, strict argument parser shared by the subcommands.
//!
//! Accepts `--name value`, `--name=value`, repeated options (`--map a=b --map c=d`), boolean
//! flags and positional arguments. Unknown options are errors, so a typo never silently
//! changes what a batch job does.

use anyhow::{bail, Result};
use std::collections::BTreeMap;

/// Parsed arguments of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, Vec<String>>,
    flags: Vec<String>,
    /// Positional arguments, in order.
    pub positional: Vec<String>,
}

impl Args {
    /// Parse `argv` given the names of options that take a value and of boolean flags.
    pub fn parse(argv: &[String], with_value: &[&str], flags: &[&str]) -> Result<Args> {
        let mut out = Args::default();
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if with_value.contains(&name) {
                    let v = match inline {
                        Some(v) => v,
                        None => match it.next() {
                            Some(v) => v.clone(),
                            None => bail!("--{name} needs a value"),
                        },
                    };
                    out.values.entry(name.to_string()).or_default().push(v);
                } else if flags.contains(&name) {
                    out.flags.push(name.to_string());
                } else {
                    bail!("unknown option --{name}");
                }
            } else {
                out.positional.push(a.clone());
            }
        }
        Ok(out)
    }

    /// The last value of an option.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.last()).map(String::as_str)
    }

    /// The value of a required option.
    pub fn required(&self, name: &str) -> Result<&str> {
        match self.get(name) {
            Some(v) => Ok(v),
            None => bail!("missing --{name}"),
        }
    }

    /// Every value of a repeated option.
    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether a boolean flag was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_values_flags_and_positionals() -> Result<()> {
        let a = Args::parse(
            &v(&["in.csv", "--out", "o.csv", "--map=a=b", "--map", "c=d", "--json"]),
            &["out", "map"],
            &["json"],
        )?;
        assert_eq!(a.positional, v(&["in.csv"]));
        assert_eq!(a.get("out"), Some("o.csv"));
        assert_eq!(a.all("map"), &v(&["a=b", "c=d"])[..]);
        assert!(a.flag("json"));
        assert!(Args::parse(&v(&["--nope"]), &[], &[]).is_err());
        assert!(Args::parse(&v(&["--out"]), &["out"], &[]).is_err());
        Ok(())
    }
}
