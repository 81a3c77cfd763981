//! The bytes a linkage run's scoring pass travels in between two copies of the same build (the
//! browser's analysis worker and its helper workers): the normalised features one way ([`super::compare::Features::to_bytes`]) and
//! the scored jobs ([`ScoredJob`]) back.
//!
//! Written by hand, little-endian, each column as its length then its values: the data is
//! columns of plain numbers, a serialisation crate would add a dependency to write loops like
//! these, and the bytes are never stored (both ends are one build, so the layout has no
//! versions). Reading checks every length against the bytes left and fails with a message, never
//! a panic.

use super::{Edge, ScoredJob};

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8s(&mut self, v: &[u8]) {
        self.len(v.len());
        self.out.extend_from_slice(v);
    }

    pub(crate) fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    /// A column of fixed-size items, each written by `item`.
    pub(crate) fn column<T>(&mut self, v: &[T], size: usize, mut item: impl FnMut(&mut Writer, &T)) {
        self.len(v.len());
        self.out.reserve(v.len() * size);
        for x in v {
            item(self, x);
        }
    }
}

/// Reads values back in the order a [`Writer`] wrote them.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { bytes, what }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.bytes.len() {
            return Err(format!("{}: the bytes end early", self.what));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// A length, checked against the bytes left (items of `size` bytes each).
    pub(crate) fn len(&mut self, size: usize) -> Result<usize, String> {
        let n = self.u64()?;
        let n = usize::try_from(n).map_err(|_| format!("{}: a length is too large", self.what))?;
        if n.saturating_mul(size.max(1)) > self.bytes.len() {
            return Err(format!("{}: a length runs past the end", self.what));
        }
        Ok(n)
    }

    pub(crate) fn u8s(&mut self) -> Result<Vec<u8>, String> {
        let n = self.len(1)?;
        Ok(self.take(n)?.to_vec())
    }

    /// A column of fixed-size items, each read by `item`.
    pub(crate) fn column<T>(
        &mut self,
        size: usize,
        mut item: impl FnMut(&mut Reader<'a>) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        let n = self.len(size)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(item(self)?);
        }
        Ok(v)
    }

    /// Fails unless every byte was read.
    pub(crate) fn end(&self) -> Result<(), String> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(format!("{}: {} bytes left over", self.what, self.bytes.len()))
        }
    }
}

/// The scored jobs as bytes (see [`scored_from_bytes`]).
pub fn scored_to_bytes(jobs: &[ScoredJob]) -> Vec<u8> {
    let mut w = Writer::default();
    w.len(jobs.len());
    for job in jobs {
        w.u64(job.pairs);
        w.column(&job.edges, 20, |w, e| {
            w.u32(e.i);
            w.u32(e.j);
            w.u32(e.weight.to_bits());
            w.u64(e.vector);
        });
    }
    w.out
}

/// The scored jobs written by [`scored_to_bytes`].
pub fn scored_from_bytes(bytes: &[u8]) -> Result<Vec<ScoredJob>, String> {
    let mut r = Reader::new(bytes, "scored pairs");
    let n = r.len(12)?;
    let mut jobs = Vec::with_capacity(n);
    for _ in 0..n {
        let pairs = r.u64()?;
        let edges = r.column(20, |r| {
            Ok(Edge {
                i: r.u32()?,
                j: r.u32()?,
                weight: f32::from_bits(r.u32()?),
                vector: r.u64()?,
            })
        })?;
        jobs.push(ScoredJob { pairs, edges });
    }
    r.end()?;
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scored_jobs_come_back_the_same_and_bad_bytes_are_refused() {
        let jobs = vec![
            ScoredJob {
                pairs: 7,
                edges: vec![
                    Edge {
                        i: 1,
                        j: 2,
                        weight: -3.25,
                        vector: 0x1234_5678_9abc,
                    },
                    Edge {
                        i: u32::MAX,
                        j: 0,
                        weight: f32::MIN_POSITIVE,
                        vector: u64::MAX,
                    },
                ],
            },
            ScoredJob::default(),
        ];
        let bytes = scored_to_bytes(&jobs);
        assert_eq!(scored_from_bytes(&bytes).unwrap(), jobs);
        assert!(scored_from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(scored_from_bytes(&longer).is_err());
        // A length that claims more than the bytes hold is refused before any allocation.
        let mut huge = Writer::default();
        huge.len(usize::MAX / 2);
        assert!(scored_from_bytes(&huge.out).is_err());
    }
}
