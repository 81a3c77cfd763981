//! What the commands that read an export share: the one way files and folders are collected
//! ([`input_paths`]) and imported ([`import_paths`]: the core's streamed import, the file read
//! twice and never held whole), the profile file ([`read_profile`]) and the choice of profile
//! (the one given, else a matching built-in one, else the proposed mapping, printed so the
//! analyst can check it). `audit`, `analyze`, `cycle`, `report`, `evaluate` and `advocates` all
//! read their input through [`import_paths`] ([`load`]).

use crate::threads::Threads;
use anyhow::{bail, Context, Result};
use ipvi_core::date::Date;
use ipvi_core::diag::{Diagnostic, FileSummary};
use ipvi_core::import::{self, ImportOutcome, Profile, ProfileChoice};
use ipvi_core::input::InputFile;
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

/// The files given (see [`input_paths`]), open for the core's streamed import
/// ([`import::sample_files`] then [`import::import_sampled`], as the app imports a `File`): each
/// CSV file is read from disk in slices twice, first its header and first rows for the profile,
/// then its rows straight into the dataset, so neither the file nor its decoded table is held
/// whole; a workbook is read whole. A file that cannot be opened is a problem of the import.
pub struct Opened {
    names: Vec<String>,
    files: Vec<std::io::Result<(std::fs::File, u64)>>,
    /// The bytes of the files.
    pub bytes: u64,
}

impl Opened {
    /// Open the files and folders given.
    pub fn open(paths: &[String]) -> Result<Opened> {
        let found = input_paths(paths)?;
        let files: Vec<std::io::Result<(std::fs::File, u64)>> = found
            .iter()
            .map(|f| {
                std::fs::File::open(f)
                    .and_then(|h| Ok((h.metadata()?.len(), h)))
                    .map(|(n, h)| (h, n))
            })
            .collect();
        Ok(Opened {
            names: found.iter().map(|f| crate::io::file_name(f)).collect(),
            bytes: files.iter().map(|f| f.as_ref().map_or(0, |(_, n)| *n)).sum(),
            files,
        })
    }

    /// Run `f` on the files as the core's sources.
    fn with_sources<R>(&mut self, f: impl FnOnce(&mut [import::FileSource<'_>]) -> R) -> R {
        let mut readers: Vec<(u64, Box<import::ReadAt<'_>>)> =
            self.files.iter_mut().map(crate::io::reader_at).collect();
        let mut sources: Vec<import::FileSource<'_>> = self
            .names
            .iter()
            .zip(readers.iter_mut())
            .map(|(name, (size, read_at))| import::FileSource {
                name,
                size: *size,
                read_at: &mut **read_at,
            })
            .collect();
        f(&mut sources)
    }

    /// The first pass: every file's header and first rows (a workbook whole).
    pub fn sample(&mut self) -> Result<import::Sampled> {
        let plan = import::ReadPlan::default();
        self.with_sources(|files| {
            import::sample_files(files, Some(ipvi_xlsx::read::READER), None, &plan, &mut |_, _| {})
        })
        .context("import")
    }

    /// The second pass: the files imported with the profile given, else a matching built-in
    /// one, else the proposed mapping (said on stderr), and the command's as-of date (without
    /// one, the date the incident dates imply); with `threads` 2 or more, each CSV file parsed
    /// on a thread of its own ahead of the import ([`crate::threads::ParseThreads`]: the same
    /// outcome).
    pub fn import(
        &mut self,
        sampled: import::Sampled,
        profile: Option<&Profile>,
        as_of: Option<Date>,
        threads: Threads,
    ) -> Result<(ImportOutcome, ProfileChoice)> {
        if sampled.tables.is_empty() {
            let why: Vec<String> = sampled.problems.iter().map(|d| d.to_string()).collect();
            bail!("import: {}", why.join("; "));
        }
        let choice = import::choose_profile(&sampled.tables, profile);
        let plan = import::ReadPlan::default();
        let mut ahead = crate::threads::ParseThreads::new(&self.files, threads);
        let outcome = self
            .with_sources(|files| {
                let p = choice.profile();
                import::import_sampled_ahead(sampled, files, p, as_of, (None, &plan), &mut ahead, &mut |_| true)
            })
            .context("import")?;
        print_choice(&choice);
        Ok((outcome, choice))
    }
}

/// Import the files and folders given (see [`Opened`]) with the profile given and the as-of
/// date, parsing on `threads` (see [`Opened::import`]); also the bytes of the files.
pub fn import_paths(
    paths: &[String],
    profile: Option<&Profile>,
    as_of: Option<Date>,
    threads: Threads,
) -> Result<(ImportOutcome, ProfileChoice, u64)> {
    let mut files = Opened::open(paths)?;
    let sampled = files.sample()?;
    let (outcome, choice) = files.import(sampled, profile, as_of, threads)?;
    Ok((outcome, choice, files.bytes))
}

/// The import profile in a file saved from the app or by `ipvi audit --save-profile`.
pub fn read_profile(path: Option<&str>) -> Result<Option<Profile>> {
    let Some(p) = path else { return Ok(None) };
    let text = crate::io::read_text(p, "the profile")?;
    Ok(Some(Profile::from_json(&text).with_context(|| format!("profile {p}"))?))
}

/// Import files held in memory through the generic import (workbooks included), as
/// [`import_paths`] imports files on disk, with the profile given, else a built-in profile that
/// matches, else the proposed mapping; says on stderr which.
pub fn import(files: &[(String, Vec<u8>)], profile: Option<&Profile>) -> Result<(ImportOutcome, ProfileChoice)> {
    let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
    let (outcome, choice) = import::import_files(&inputs, profile, Some(ipvi_xlsx::read::READER)).context("import")?;
    print_choice(&choice);
    Ok((outcome, choice))
}

/// Read the files and folders given and import them with the profile file given and the
/// command's as-of date, if any, parsing on `threads` (see [`import_paths`], [`read_profile`]).
pub fn load(
    paths: &[String],
    profile: Option<&str>,
    as_of: Option<Date>,
    threads: Threads,
) -> Result<(ImportOutcome, ProfileChoice)> {
    let profile = read_profile(profile)?;
    let (outcome, choice, _) = import_paths(paths, profile.as_ref(), as_of, threads)?;
    Ok((outcome, choice))
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
