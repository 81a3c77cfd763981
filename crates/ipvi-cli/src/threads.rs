//! The linkage's jobs on several threads: the native [`Executor`] behind `--threads N` of
//! `ipvi link`, `ipvi analyze` and `ipvi bench-link`.
//!
//! `std::thread::scope` and a shared job counter are enough here:
//! a thread pool crate would add a dependency for one loop, and progress and cancel must stay on
//! the calling thread, which a channel gives. The core cuts the work into jobs and merges their
//! results in job order, so the output does not depend on the number of threads.

use crate::args::Args;
use anyhow::{bail, Context, Result};
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
