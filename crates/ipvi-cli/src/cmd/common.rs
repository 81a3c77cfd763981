//! What the commands that read an export share: the one way files and folders are collected
//! ([`input_paths`]) and read into tables ([`read_files`]), the profile file ([`read_profile`]) and the one import ([`import`]: the
//! generic import with the profile given, else a matching built-in one, else the proposed
//! mapping, printed so the analyst can check it). `audit`, `analyze`, `report`, `evaluate` and
//! `advocates` all read their input through [`load`].

use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::diag::{Diagnostic, FileSummary, Severity};
use ipvi_core::import::{self, ImportOutcome, Profile, ProfileChoice, Table};
use ipvi_core::input::{ImportError, InputFile};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Extensions read from a folder.
pub const EXTENSIONS: [&str; 6] = ["csv", "tsv", "txt", "xlsx", "xls", "ods"];

/// The files given: a file as it is; a folder: every file directly in it whose extension is one
/// of [`EXTENSIONS`], sorted by name. Subfolders are not read (so the synthetic export's
/// `truth/` never enters an import). Only regular files: a FIFO or a device named on the
/// command line would block, so it is refused here, before anything is read.
pub fn input_paths(paths: &[String]) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the folder {p}"))?
                .flatten()
                .map(|e| e.path())
                .filter(|f| {
                    f.is_file()
                        && f.extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
                })
                .collect();
            if files.is_empty() {
                bail!(
                    "the folder {p} holds no export file ({})",
                    EXTENSIONS.map(|e| format!(".{e}")).join(", ")
                );
            }
            files.sort();
            found.extend(files);
        } else {
            crate::io::check_regular(path)?;
            found.push(path.to_path_buf());
        }
    }
    Ok(found)
}

/// The files given (see [`input_paths`]) read into tables by the core's one file reader
/// ([`import::read_file`], as the app reads them): a CSV file streamed from disk in slices, never
/// held whole; a workbook read whole. Files are read on separate threads, up to the machine's
/// cores; the tables come in the order of the files, the same as reading them one by one. Also
/// the problems of files that are not tables, and the bytes read.
pub fn read_files(paths: &[String]) -> Result<(Vec<Table>, Vec<Diagnostic>, u64)> {
    let files = input_paths(paths)?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<Vec<Table>, ImportError>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        done.push((i, crate::io::read_file(f)));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let mut tables = Vec::new();
    let mut diags = Vec::new();
    let mut bytes = 0;
    for (i, r) in results {
        let name = crate::io::file_name(&files[i]);
        match r {
            Ok(ts) => {
                bytes += ts.first().map(|t| t.bytes).unwrap_or(0);
                tables.extend(ts);
            }
            Err(e) => diags.push(Diagnostic::file(Severity::Error, &name, e.to_string())),
        }
    }
    Ok((tables, diags, bytes))
}

/// The import profile in a file saved from the app or by `ipvi audit --save-profile`.
pub fn read_profile(path: Option<&str>) -> Result<Option<Profile>> {
    let Some(p) = path else { return Ok(None) };
    let text = crate::io::read_text(p, "the profile")?;
    Ok(Some(Profile::from_json(&text).with_context(|| format!("profile {p}"))?))
}

/// Import the files through the generic import (workbooks included) with the profile given,
/// else a built-in profile that matches, else the proposed mapping; says on stderr which.
pub fn import(files: &[(String, Vec<u8>)], profile: Option<&Profile>) -> Result<(ImportOutcome, ProfileChoice)> {
    import_as_of(files, profile, None)
}

/// [`import`] with the as-of date the command was given: dates more than a year after it are
/// set aside (without one, the as-of date the incident dates imply is used).
pub fn import_as_of(
    files: &[(String, Vec<u8>)],
    profile: Option<&Profile>,
    as_of: Option<Date>,
) -> Result<(ImportOutcome, ProfileChoice)> {
    let (tables, diags) = read_tables(files);
    import_tables(tables, diags, profile, as_of)
}

/// The files as tables (CSV in any usual encoding, workbooks through `ipvi-xlsx`), with the
/// problems of files that are not tables.
pub fn read_tables(files: &[(String, Vec<u8>)]) -> (Vec<Table>, Vec<Diagnostic>) {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    import::read_tables(&inputs, Some(ipvi_xlsx::read::READER))
}

/// [`import_as_of`] of tables already read by [`read_tables`] or [`read_files`].
pub fn import_tables(
    tables: Vec<Table>,
    diags: Vec<Diagnostic>,
    profile: Option<&Profile>,
    as_of: Option<Date>,
) -> Result<(ImportOutcome, ProfileChoice)> {
    let (outcome, choice) = import::import_read_tables(tables, diags, profile, as_of).context("import")?;
    print_choice(&choice);
    Ok((outcome, choice))
}

/// Read the files and folders given and import them with the profile file given and the
/// command's as-of date, if any (see [`read_files`], [`read_profile`], [`import_as_of`]).
pub fn load(paths: &[String], profile: Option<&str>, as_of: Option<Date>) -> Result<(ImportOutcome, ProfileChoice)> {
    let profile = read_profile(profile)?;
    let (tables, diags, _) = read_files(paths)?;
    import_tables(tables, diags, profile.as_ref(), as_of)
}

/// Columns "not used" listed per table when the proposed mapping is printed; the rest are
/// counted (a header of a million columns is one line, not a million).
const SHOWN_UNUSED_COLUMNS: usize = 20;

/// Which profile the import used, on stderr; a proposal column by column (the first unused ones), so the analyst can check it.
fn print_choice(choice: &ProfileChoice) {
    use std::fmt::Write as _;
    match choice {
        ProfileChoice::Given(p) => eprintln!("Profile given: {}", p.name),
        ProfileChoice::Builtin(p) => eprintln!("Built-in profile: {}", p.name),
        ProfileChoice::Proposed(_, proposal) => {
            // Written at once: stderr is not buffered.
            let mut s = String::from(
                "No profile matches: the proposed mapping was used (check it; save it with `ipvi audit --save-profile`):\n",
            );
            for t in &proposal.tables {
                let _ = writeln!(s, "  {} — {:?} ({})", t.file, t.kind, t.kind_evidence);
                let mut unused = 0usize;
                for c in &t.columns {
                    let header = ipvi_core::diag::shorten(&c.header);
                    match c.target {
                        Some(tg) => {
                            let _ = writeln!(
                                s,
                                "    {header:<28} → {}{} ({:.0}%)",
                                tg.field.as_str(),
                                match tg.side {
                                    import::Side::Any => String::new(),
                                    side => format!(" of the {}", format!("{side:?}").to_lowercase()),
                                },
                                c.confidence * 100.0
                            );
                        }
                        None => {
                            unused += 1;
                            if unused <= SHOWN_UNUSED_COLUMNS {
                                let _ = writeln!(s, "    {header:<28} → (not used)");
                            }
                        }
                    }
                }
                if unused > SHOWN_UNUSED_COLUMNS {
                    let _ = writeln!(s, "    … and {} more columns not used", unused - SHOWN_UNUSED_COLUMNS);
                }
            }
            for n in &proposal.notes {
                let _ = writeln!(s, "  ! {n}");
            }
            eprint!("{s}");
        }
    }
}

/// Rows per file for a summary, as the audit counts them: `files` are the files the profile
/// read into the dataset, each with rows read = rows used + rows rejected, and their totals;
/// `files_not_used` the files it does not take (not part of the layout), with their rows read.
pub fn rows_json(files: &[FileSummary]) -> Value {
    let (used, unused): (Vec<&FileSummary>, Vec<&FileSummary>) =
        files.iter().partition(|f| f.rows_used + f.rows_rejected > 0);
    let total = |k: fn(&FileSummary) -> u64| used.iter().map(|f| k(f)).sum::<u64>();
    json!({
        "rows_read": total(|f| f.rows_read),
        "rows_used": total(|f| f.rows_used),
        "rows_rejected": total(|f| f.rows_rejected),
        "files": used,
        "files_not_used": unused
            .iter()
            .map(|f| json!({ "file": f.file, "rows_read": f.rows_read }))
            .collect::<Vec<_>>(),
    })
}

/// Read a ranking-score weights table (`component,weight,transform,unit,basis`).
pub fn read_score_weights(path: &str) -> Result<ipvi_core::offenders::score::RfgvConfig> {
    let text = crate::io::read_text(path, "the score weights")?;
    ipvi_core::offenders::score::RfgvConfig::from_csv(&text).with_context(|| format!("in {path}"))
}

/// The partnership's programme records: notification attempts (`--notifications`) and advocates'
/// contacts (`--contacts`), each read with diagnostics naming file, row, column and value.
pub struct Programme {
    pub notifications: Vec<ipvi_core::notify::NotificationRecord>,
    pub contacts: Vec<ipvi_core::contacts::ContactRecord>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Read `--notifications` and `--contacts` when given (`None` when neither is).
pub fn read_programme(notifications: Option<&str>, contacts: Option<&str>) -> Result<Option<Programme>> {
    if notifications.is_none() && contacts.is_none() {
        return Ok(None);
    }
    let mut p = Programme {
        notifications: Vec::new(),
        contacts: Vec::new(),
        diagnostics: Vec::new(),
    };
    if let Some(path) = notifications {
        let bytes = crate::io::read_regular(Path::new(path))
            .with_context(|| format!("cannot read the notifications {path}"))?;
        let (r, d) = ipvi_core::notify::read_csv(path, &bytes);
        p.notifications = r;
        p.diagnostics.extend(d);
    }
    if let Some(path) = contacts {
        let bytes =
            crate::io::read_regular(Path::new(path)).with_context(|| format!("cannot read the contacts {path}"))?;
        let (r, d) = ipvi_core::contacts::read_csv(path, &bytes);
        p.contacts = r;
        p.diagnostics.extend(d);
    }
    Ok(Some(p))
}
