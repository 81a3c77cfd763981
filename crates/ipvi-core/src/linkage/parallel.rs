//! Splitting the costly passes of a linkage run into jobs that can run side by side.
//!
//! The core does not start threads (it runs in a browser worker too): a pass is cut into jobs
//! whose boundaries depend on the data only (never on how many threads run them), each job
//! returns its own partial result, and the partial results are merged in job order. An
//! [`Executor`] decides where the jobs run: [`Serial`] runs them one after another on the calling
//! thread (the browser, and `--threads 1`); the `ipvi` command runs them on several threads. Since
//! the jobs and the merge order are fixed, the output is the same, bit for bit, whatever runs the
//! jobs and in whatever order they finish: the candidate pairs and edges are concatenated in job
//! order (the order of a serial pass), and the counts summed are integers.

/// Runs the jobs of a pass.
pub trait Executor: Sync {
    /// Run `job(0)`, …, `job(jobs - 1)` and return their results in job order, or None when
    /// `progress` asked to stop. `progress(done)` is called on the calling thread after each job
    /// ends, with the number of jobs ended so far; it returns false to cancel (jobs already
    /// running may finish, their results are dropped).
    fn run<T: Send>(
        &self,
        jobs: usize,
        job: &(dyn Fn(usize) -> T + Sync),
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Option<Vec<T>>;
}

/// Runs every job on the calling thread, in order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Serial;

impl Executor for Serial {
    fn run<T: Send>(
        &self,
        jobs: usize,
        job: &(dyn Fn(usize) -> T + Sync),
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Option<Vec<T>> {
        let mut out = Vec::with_capacity(jobs);
        for k in 0..jobs {
            out.push(job(k));
            if !progress(k + 1) {
                return None;
            }
        }
        Some(out)
    }
}

/// Cut `items` weighted items into consecutive ranges of about `target` weight each (at least
/// one item a range): `weight(k)` is the cost of item `k`. The ranges depend on the weights only.
pub fn ranges(items: usize, target: u64, weight: impl Fn(usize) -> u64) -> Vec<std::ops::Range<usize>> {
    let target = target.max(1);
    let mut out = Vec::new();
    let (mut start, mut acc) = (0, 0u64);
    for k in 0..items {
        acc += weight(k);
        if acc >= target {
            out.push(start..k + 1);
            start = k + 1;
            acc = 0;
        }
    }
    if start < items {
        out.push(start..items);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_item_once_in_order() {
        let r = ranges(10, 5, |k| k as u64);
        assert_eq!(r, vec![0..4, 4..6, 6..7, 7..8, 8..9, 9..10]);
        assert_eq!(ranges(0, 5, |_| 1), vec![]);
        assert_eq!(ranges(3, 100, |_| 1), vec![0..3]);
    }

    #[test]
    fn serial_stops_when_progress_says_so() {
        let mut seen = Vec::new();
        let out = Serial.run(5, &|k| k * 2, &mut |d| {
            seen.push(d);
            d < 3
        });
        assert_eq!(out, None);
        assert_eq!(seen, vec![1, 2, 3]);
        assert_eq!(Serial.run(3, &|k| k * 2, &mut |_| true), Some(vec![0, 2, 4]));
    }
}
