//! The worker's side of the generic import: reads any agency export (CSV in UTF-8, UTF-16 or
//! Windows-1252, any separator; XLSX through `ipvi-xlsx`), chooses the profile (the one the
//! analyst confirmed, else a saved one whose columns match, else a built-in one, else it sends
//! the proposed mapping back), imports, audits, posts the report, and hands the dataset to the
//! inquiry.
//!
//! A CSV `File` is read by the core's streamed import in slices with `FileReaderSync`
//! (synchronous reading is allowed in workers), twice: first its header and first rows
//! ([`import::sample_files`], for the profile and the mapping screen), then its rows straight
//! into the dataset block by block ([`import::import_sampled`]), with progress (bytes and rows)
//! after each slice: neither the raw file nor its decoded table is held whole in wasm memory,
//! and the page stays responsive because all of this runs in the worker. Cancelling terminates
//! the worker. Nothing about the data is logged.

use crate::import_state::{ImportReport, ProfileSource};
use crate::inquiry_worker::{failed, hold_with_codes, inquire, Reporter};
use crate::protocol::FromWorker;
use crate::worker_client::js_error_text;
use crate::worker_scope::post;
use ipvi_core::classify::CodeTable;
use ipvi_core::diag::{Diagnostic, Severity};
use ipvi_core::import::{self, audit::AuditThresholds, ImportProgress, Profile, ReadPlan, Table, MAX_BROWSER_BYTES};
use ipvi_core::input::ImportError;
use ipvi_core::pipeline::Kept;
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, FileReaderSync};

/// The share of the progress bar for the first pass (the files' first rows); reading the files
/// again and importing their rows takes it on to [`IMPORTED_AT`].
const READ_SHARE: f32 = 0.05;
const IMPORTED_AT: f32 = 0.55;

/// One file as it came from the page.
enum Source {
    Blob(Blob),
    Bytes(Vec<u8>),
}

impl Source {
    fn size(&self) -> u64 {
        match self {
            Source::Blob(b) => b.size() as u64,
            Source::Bytes(b) => b.len() as u64,
        }
    }
}

fn sources(data: &JsValue) -> Vec<Source> {
    let list = js_sys::Reflect::get(data, &JsValue::from_str("files"))
        .ok()
        .and_then(|b| b.dyn_into::<Array>().ok())
        .or_else(|| {
            js_sys::Reflect::get(data, &JsValue::from_str("buffers"))
                .ok()
                .and_then(|b| b.dyn_into::<Array>().ok())
        });
    list.map(|a| {
        a.iter()
            .map(|v| match v.dyn_into::<Blob>() {
                Ok(b) => Source::Blob(b),
                Err(v) => Source::Bytes(
                    v.dyn_into::<ArrayBuffer>()
                        .map(|b| Uint8Array::new(&b).to_vec())
                        .unwrap_or_default(),
                ),
            })
            .collect()
    })
    .unwrap_or_default()
}

fn read_slice(reader: &FileReaderSync, blob: &Blob, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<(), String> {
    let part = blob
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|e| js_error_text(&e))?;
    let ab = reader.read_as_array_buffer(&part).map_err(|e| js_error_text(&e))?;
    let view = Uint8Array::new(&ab);
    buf.resize(view.length() as usize, 0);
    view.copy_to(buf);
    Ok(())
}

/// A reader of one file's bytes for the core: a `File` slice by slice, bytes from the page as
/// they are.
fn reader_at<'a>(src: &'a Source, reader: Option<&'a FileReaderSync>) -> Box<import::ReadAt<'a>> {
    Box::new(move |start: u64, end: u64, buf: &mut Vec<u8>| -> Result<(), String> {
        match (src, reader) {
            (Source::Bytes(b), _) => {
                buf.clear();
                buf.extend_from_slice(b.get(start as usize..end as usize).unwrap_or_default());
                Ok(())
            }
            (Source::Blob(blob), Some(r)) => read_slice(r, blob, start, end, buf),
            (Source::Blob(_), None) => Err("this browser cannot read files in the analysis worker".into()),
        }
    })
}

/// What the progress bar says while the files are read again: the incident dates first (for
/// the as-of date), then the rows.
fn import_stage(profile: &str, p: &ImportProgress) -> String {
    let mb = |b: u64| b as f64 / 1_048_576.0;
    if p.dates {
        format!(
            "Reading the incident dates: {:.0} of {:.0} MB",
            mb(p.bytes),
            mb(p.total_bytes)
        )
    } else if p.total_bytes > 0 {
        format!(
            "Importing with the profile {profile:?}: {:.0} of {:.0} MB read, {} rows",
            mb(p.bytes),
            mb(p.total_bytes),
            crate::format::count(p.rows)
        )
    } else {
        format!(
            "Importing with the profile {profile:?}: {} rows",
            crate::format::count(p.rows)
        )
    }
}

/// The worker's WebAssembly memory in bytes (it only grows, so this is the peak so far).
fn memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as u64 * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// The profile to use, and how it was chosen; `None`: the analyst must map the columns.
pub fn choose(tables: &[Table], confirmed: Option<Profile>, saved: &[Profile]) -> Option<(Profile, ProfileSource)> {
    if let Some(p) = confirmed {
        return Some((p, ProfileSource::Confirmed));
    }
    if let Some(p) = saved.iter().find(|p| p.matches(tables)) {
        return Some((p.clone(), ProfileSource::Saved));
    }
    Profile::builtins()
        .into_iter()
        .find(|p| p.matches(tables))
        .map(|p| (p, ProfileSource::Builtin))
}

/// The built-in layouts the files almost are (most of their tables found, a required one
/// missing), each as an error naming the missing file: "a NIBRS extract without its relationship
/// file" says more than "no profile matches".
pub fn near_misses(tables: &[Table]) -> Vec<Diagnostic> {
    Profile::builtins()
        .into_iter()
        .filter_map(|p| {
            let m = p.match_tables(tables);
            (!m.missing.is_empty() && m.assigned.len() >= 2).then(|| {
                Diagnostic::file(
                    Severity::Error,
                    &p.name,
                    format!(
                        "these files look like this layout, but a required file is missing: {}",
                        m.missing.join("; ")
                    ),
                )
            })
        })
        .collect()
}

/// What an import job needs besides the files.
pub struct ImportJob {
    pub job_id: u32,
    pub file_names: Vec<String>,
    pub kept: Kept,
    pub profiles: Vec<Profile>,
    pub confirmed: Option<Profile>,
    pub code_table: CodeTable,
}

/// Run an import job on the files beside the message.
pub fn handle(job: ImportJob, data: &JsValue) {
    let started = js_sys::Date::now();
    let ImportJob {
        job_id,
        file_names,
        kept,
        profiles,
        confirmed,
        code_table,
    } = job;
    let srcs = sources(data);
    if srcs.len() != file_names.len() {
        return post(&FromWorker::Fatal {
            message: format!(
                "the worker received {} file names but {} files",
                file_names.len(),
                srcs.len()
            ),
        });
    }
    let mut rep = Reporter::new(job_id);
    rep.report("Reading the files", 0.0);
    let reader = FileReaderSync::new().ok();
    let total: u64 = srcs.iter().map(Source::size).sum();
    let sizes: Vec<u64> = srcs.iter().map(Source::size).collect();
    let mut readers: Vec<Box<import::ReadAt<'_>>> = srcs.iter().map(|s| reader_at(s, reader.as_ref())).collect();
    let mut files: Vec<import::FileSource<'_>> = file_names
        .iter()
        .zip(&sizes)
        .zip(readers.iter_mut())
        .map(|((name, size), read_at)| import::FileSource {
            name,
            size: *size,
            read_at: &mut **read_at,
        })
        .collect();
    let plan = ReadPlan::default();
    // The first pass: each file's header and first rows (a workbook whole).
    let done_before: Vec<u64> = sizes
        .iter()
        .scan(0, |acc, s| Some(std::mem::replace(acc, *acc + s)))
        .collect();
    let sampled = import::sample_files(
        &mut files,
        Some(ipvi_xlsx::read::READER),
        Some(MAX_BROWSER_BYTES),
        &plan,
        &mut |i, at| {
            let (name, size) = (
                file_names.get(i).map_or("", String::as_str),
                sizes.get(i).copied().unwrap_or(0),
            );
            let before = done_before.get(i).copied().unwrap_or(0);
            rep.report(
                &format!(
                    "Reading {name}: {:.0} of {:.0} MB",
                    at as f64 / 1_048_576.0,
                    size as f64 / 1_048_576.0
                ),
                READ_SHARE * (before + at) as f32 / total.max(1) as f32,
            );
        },
    );
    let sampled = match sampled {
        Ok(s) => s,
        Err(e) => return failed(job_id, e.to_string()),
    };
    if sampled.tables.is_empty() {
        let why: Vec<String> = sampled.problems.iter().map(|d| d.to_string()).collect();
        return failed(
            job_id,
            if why.is_empty() {
                "no file was given: choose the export's CSV or XLSX files".to_string()
            } else {
                why.join("; ")
            },
        );
    }
    let Some((profile, source)) = choose(&sampled.tables, confirmed, &profiles) else {
        rep.report("Proposing a column mapping", READ_SHARE);
        let mut read_problems = sampled.problems.clone();
        read_problems.extend(near_misses(&sampled.tables));
        let proposal = import::propose_mapping(&sampled.tables);
        return post(&FromWorker::NeedsMapping {
            job_id,
            file_names,
            proposal: Box::new(proposal),
            read_problems,
        });
    };
    rep.report(&format!("Importing with the profile {:?}", profile.name), READ_SHARE);
    // The second pass: the files read again, their rows straight into the dataset.
    let imported = import::import_sampled(
        sampled,
        &mut files,
        &profile,
        None,
        (Some(MAX_BROWSER_BYTES), &plan),
        &mut |p| {
            rep.report(
                &import_stage(&profile.name, p),
                READ_SHARE + (IMPORTED_AT - READ_SHARE) * p.fraction(),
            )
        },
    );
    drop(files);
    drop(readers);
    drop(srcs);
    let mut out = match imported {
        Ok(out) => out,
        Err(ImportError::TooBig(why)) => return failed(job_id, why),
        Err(e) => return post(&FromWorker::Failed { job_id, error: e }),
    };
    let read_ms = js_sys::Date::now() - started;
    let t0 = js_sys::Date::now();
    rep.report("Auditing the data quality", IMPORTED_AT);
    let audit = import::audit(&out, &profile, &code_table, &AuditThresholds::default());
    let import_ms = js_sys::Date::now() - t0;
    let no_incidents = out.dataset.incidents.is_empty();
    let codes = crate::import_state::with_local_codes(&code_table, &profile.relationship_codes);
    let first_error = out
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .map(|d| format!(" The first problem: {d}"))
        .unwrap_or_default();
    post(&FromWorker::Imported {
        job_id,
        report: Box::new(ImportReport {
            files: file_names,
            profile,
            source,
            summaries: std::mem::take(&mut out.files),
            diagnostics: std::mem::take(&mut out.diagnostics),
            rejected: std::mem::take(&mut out.rejected),
            audit,
            bytes: total,
            read_ms,
            import_ms,
            memory_bytes: memory_bytes(),
        }),
    });
    if no_incidents {
        return failed(
            job_id,
            format!("no incident could be read from these files.{first_error}"),
        );
    }
    hold_with_codes(out.dataset, codes);
    inquire(job_id, kept, started, 0.6, rep);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ipvi_core::import::read_csv;

    #[test]
    fn confirmed_then_saved_then_built_in_then_the_mapping_screen() {
        let odd = read_csv("k.csv", b"Case No.,Born,Tie\nK-1,02/11/1990,GF\n").unwrap();
        let tables = vec![odd];
        // Nothing matches: the analyst maps the columns.
        assert_eq!(choose(&tables, None, &[]), None);
        let mine = Profile::from_proposal("mine", &import::propose_mapping(&tables));
        let other = Profile::from_proposal(
            "other",
            &import::propose_mapping(&[read_csv("x.csv", b"INCIDENT_ID,DOB\n1,2000-01-01\n").unwrap()]),
        );
        // A saved profile whose columns match is used without questions; others are skipped.
        let (p, how) = choose(&tables, None, &[other.clone(), mine.clone()]).unwrap();
        assert_eq!((p.name.as_str(), how), ("mine", ProfileSource::Saved));
        // The mapping just confirmed wins.
        let (p, how) = choose(&tables, Some(other), &[mine]).unwrap();
        assert_eq!((p.name.as_str(), how), ("other", ProfileSource::Confirmed));
        // The synthetic export finds its built-in profile.
        let synth = ["incidents.csv", "persons.csv", "relationships.csv"]
            .iter()
            .map(|n| {
                let path = format!("{}/tests/fixtures/agency_export/{n}", env!("CARGO_MANIFEST_DIR"));
                read_csv(n, &std::fs::read(path).unwrap()).unwrap()
            })
            .collect::<Vec<_>>();
        // Without one of its required files it is a near miss that names the file.
        let missing = near_misses(&synth[..2]);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].to_string().contains("relationships.csv"), "{}", missing[0]);
        assert!(missing[0].to_string().contains("missing"), "{}", missing[0]);
        assert!(near_misses(&tables).is_empty());
        assert!(near_misses(&synth).is_empty());
        let (p, how) = choose(&synth, None, &[]).unwrap();
        assert_eq!(
            (p.name, how),
            (Profile::synthetic_export().name, ProfileSource::Builtin)
        );
    }
}
