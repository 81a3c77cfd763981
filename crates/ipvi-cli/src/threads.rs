//! The work the core cuts out for threads, run on threads: the linkage's jobs (the native
//! [`Executor`] behind `--threads N` of `ipvi link`, `ipvi analyze`, `ipvi cycle` and `ipvi
//! bench-link`), and the CSV parsing of the import's second pass, on a thread of its own ahead
//! of the import ([`ParseThreads`], `--threads` 2 or more of `ipvi audit`, `analyze` and
//! `cycle`).
//!
//! `std::thread::scope` and a shared job counter are enough here:
//! a thread pool crate would add a dependency for one loop, and progress and cancel must stay on
//! the calling thread, which a channel gives. The core cuts the work into jobs and merges their
//! results in job order, so the output does not depend on the number of threads.

use crate::args::Args;
use anyhow::{bail, Context, Result};
use ipvi_core::import::{FileSource, ParseAhead};
use ipvi_core::linkage::parallel::{Executor, Serial};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs jobs on up to this many threads (1: on the calling thread).
#[derive(Clone, Copy, Debug)]
pub struct Threads(pub usize);

impl Threads {
    /// `--threads N` (at least 1), default the number of processors available.
    pub fn from_args(args: &Args) -> Result<Threads> {
        match args.get("threads") {
            Some(v) => {
                let n: usize = v
                    .parse()
                    .with_context(|| format!("--threads: expected a number of threads, got {v:?}"))?;
                if n == 0 {
                    bail!("--threads: give at least 1");
                }
                Ok(Threads(n))
            }
            None => Ok(Threads(
                std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            )),
        }
    }
}

impl Executor for Threads {
    fn run<T: Send>(
        &self,
        jobs: usize,
        job: &(dyn Fn(usize) -> T + Sync),
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Option<Vec<T>> {
        let threads = self.0.min(jobs);
        if threads <= 1 {
            return Serial.run(jobs, job, progress);
        }
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, stop) = (&next, &stop);
                s.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= jobs || tx.send((k, job(k))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut out: Vec<Option<T>> = (0..jobs).map(|_| None).collect();
            let mut done = 0;
            for (k, result) in rx.iter() {
                out[k] = Some(result);
                done += 1;
                if !progress(done) {
                    stop.store(true, Ordering::Relaxed);
                    return None;
                }
                if done == jobs {
                    break;
                }
            }
            // Every job's result, in job order (None only if a thread ended early: a panic,
            // which the scope passes on).
            out.into_iter().collect()
        })
    }
}

/// Each CSV file the import reads again is parsed on a thread of its own while the import
/// takes its rows on the calling thread (one file at a time, in the import's order; the rows
/// handed over a slice at a time through a channel bounded by
/// [`ipvi_core::import::AHEAD_SLICES`]), so reading and parsing overlap the
/// import. The import stays one consumer in the same order, so its outcome does not depend on
/// this. `std::thread::scope` is all it takes (the core hands over a bounded `std` channel):
/// no crate.
pub struct ParseThreads {
    /// A handle of its own on each file given (the import's readers keep theirs), or why
    /// there is none; none at all for one thread.
    files: Vec<std::io::Result<(std::fs::File, u64)>>,
}

impl ParseThreads {
    /// For the files open for the import (in its order), with `threads` (1: parsed in place).
    pub fn new(files: &[std::io::Result<(std::fs::File, u64)>], threads: Threads) -> ParseThreads {
        if threads.0 <= 1 {
            return ParseThreads { files: Vec::new() };
        }
        let own = |f: &std::io::Result<(std::fs::File, u64)>| match f {
            Ok((h, n)) => h.try_clone().map(|h| (h, *n)),
            Err(e) => Err(std::io::Error::new(e.kind(), e.to_string())),
        };
        ParseThreads {
            files: files.iter().map(own).collect(),
        }
    }
}

impl ParseAhead for ParseThreads {
    fn ahead(&mut self, file: usize, parse: &mut (dyn FnMut(FileSource<'_>) + Send), import: &mut dyn FnMut()) -> bool {
        // No handle of its own (one thread, or it could not be had): parsed in place, where a
        // file that cannot be read says so as it always did.
        let Some(f) = self.files.get_mut(file).filter(|f| f.is_ok()) else {
            return false;
        };
        std::thread::scope(|s| {
            s.spawn(move || {
                let (size, mut read_at) = crate::io::reader_at(f);
                parse(FileSource {
                    name: "",
                    size,
                    read_at: &mut *read_at,
                });
            });
            import();
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_job_order_whatever_the_threads() {
        let job = |k: usize| (0..k as u64 * 1000).sum::<u64>();
        let serial = Serial.run(50, &job, &mut |_| true);
        for n in [1, 2, 4, 7] {
            assert_eq!(Threads(n).run(50, &job, &mut |_| true), serial, "{n} threads");
        }
    }

    #[test]
    fn progress_false_cancels() {
        let mut calls = 0;
        let out = Threads(3).run(100, &|k| k, &mut |_| {
            calls += 1;
            calls < 5
        });
        assert_eq!(out, None);
        assert_eq!(calls, 5);
    }
}
