//! A dataset's own string pool: every distinct value (a name, a sex code, an address, an incident
//! id) stored once, and named by a 4-byte [`Sym`].
//!
//! One pool belongs to one dataset and is freed with it: there is no global or thread-local
//! interner, so memory is bounded by the input. The values are one `String` arena cut by end
//! offsets, and the index is a [`hashbrown::HashTable`] of the ids alone (4 bytes a slot plus a
//! control byte), hashed from the arena, so no value is stored twice. No interner crate was in
//! the project's registry cache (lasso, string-interner); `hashbrown` is already in the lockfile
//! (through `indexmap`) and its `HashTable` is what those crates build on.
//!
//! The hash is rustc-hash's FxHash (`rustc_hash::FxHasher`, the core's one fast hash), whose
//! final rotation mixes the table's buckets (its low bits): values are short, and a crafted
//! collision could only slow down the import of one's own file.

use hashbrown::HashTable;
use std::fmt;

/// A value in a [`Pool`]: its position among the pool's distinct values. `Sym::EMPTY` is the
/// empty string in every pool. Two syms of one pool are equal exactly when their values are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

impl Sym {
    /// The empty string, interned first in every pool.
    pub const EMPTY: Sym = Sym(0);

    /// The position of the value in its pool.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The hash of a value (rustc-hash's FxHash of its bytes, the one fast hash of the core).
#[inline]
pub(crate) fn fx_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// The value of sym `i` in an arena cut by `ends`.
#[inline]
fn cut<'a>(bytes: &'a str, ends: &[usize], i: usize) -> &'a str {
    let start = if i == 0 {
        0
    } else {
        ends.get(i - 1).copied().unwrap_or(0)
    };
    let end = ends.get(i).copied().unwrap_or(start);
    bytes.get(start..end).unwrap_or("")
}

/// Distinct strings, each stored once, named by [`Sym`].
#[derive(Clone)]
pub struct Pool {
    bytes: String,
    /// End of each value in `bytes`; a value starts where the one before ends.
    ends: Vec<usize>,
    index: HashTable<u32>,
}

impl Default for Pool {
    fn default() -> Self {
        let mut pool = Pool {
            bytes: String::new(),
            ends: Vec::new(),
            index: HashTable::new(),
        };
        // The empty string is sym 0 (found without the index).
        pool.ends.push(0);
        pool
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("values", &self.len())
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Pool {
    /// An empty pool (holding only the empty string).
    pub fn new() -> Self {
        Pool::default()
    }

    /// The number of distinct values, the empty string included.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the pool holds nothing but the empty string.
    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// The sym of `s`, adding it when new.
    ///
    /// A pool holds at most 4,294,967,295 distinct values (the sym is 4 bytes): reaching it would
    /// take over 50 GB of distinct values natively and cannot happen in wasm32's 4 GB, so a
    /// pool past it stops with a message rather than give two values one sym.
    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::EMPTY;
        }
        let h = fx_hash(s.as_bytes());
        let Pool { bytes, ends, index } = self;
        if let Some(&id) = index.find(h, |&id| cut(bytes, ends, id as usize) == s) {
            return Sym(id);
        }
        let Ok(id) = u32::try_from(ends.len()) else {
            panic!("a dataset holds more than 4,294,967,295 distinct values");
        };
        bytes.push_str(s);
        ends.push(bytes.len());
        index.insert_unique(h, id, |&id| fx_hash(cut(bytes, ends, id as usize).as_bytes()));
        Sym(id)
    }

    /// The sym of `s` if the pool holds it.
    pub fn find(&self, s: &str) -> Option<Sym> {
        if s.is_empty() {
            return Some(Sym::EMPTY);
        }
        let h = fx_hash(s.as_bytes());
        self.index
            .find(h, |&id| cut(&self.bytes, &self.ends, id as usize) == s)
            .map(|&id| Sym(id))
    }

    /// The value of `sym` (empty for a sym of another, larger pool).
    #[inline]
    pub fn get(&self, sym: Sym) -> &str {
        cut(&self.bytes, &self.ends, sym.index())
    }

    /// Bytes held on the heap (values, offsets, index), for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.index.capacity() * (std::mem::size_of::<u32>() + 1)
    }

    /// Room for `values` more distinct values of about `bytes` bytes in all.
    pub fn reserve(&mut self, values: usize, bytes: usize) {
        self.bytes.reserve(bytes);
        self.ends.reserve(values);
        let Pool { bytes, ends, index } = self;
        index.reserve(values, |&id| fx_hash(cut(bytes, ends, id as usize).as_bytes()));
    }
}

/// Strings stored one after another without an index: a column of values that are all or
/// nearly all distinct (record ids), where an index would only cost memory.
#[derive(Clone, Default)]
pub struct Strs {
    bytes: String,
    ends: Vec<usize>,
}

impl fmt::Debug for Strs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries((0..self.len()).map(|i| self.get(i))).finish()
    }
}

impl Strs {
    /// The number of values.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Add a value at the end.
    pub fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len());
    }

    /// The value at `i` (empty past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        cut(&self.bytes, &self.ends, i)
    }

    /// Replace the value at `i` (the rest move): used only by the rare edits of a record.
    pub fn set(&mut self, i: usize, s: &str) {
        if i >= self.ends.len() {
            return;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let end = self.ends[i];
        self.bytes.replace_range(start..end, s);
        let grow = s.len() as isize - (end - start) as isize;
        for e in &mut self.ends[i..] {
            *e = (*e as isize + grow) as usize;
        }
    }

    /// Room for `n` more values of about `bytes` bytes in all.
    pub fn reserve(&mut self, n: usize, bytes: usize) {
        self.ends.reserve(n);
        self.bytes.reserve(bytes);
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

/// Distinct short lists of syms (a person's injury codes), each stored once; list 0 is empty.
#[derive(Clone)]
pub struct Lists {
    items: Vec<Sym>,
    ends: Vec<usize>,
    index: HashTable<u32>,
}

impl Default for Lists {
    fn default() -> Self {
        let mut lists = Lists {
            items: Vec::new(),
            ends: Vec::new(),
            index: HashTable::new(),
        };
        lists.intern(&[]);
        lists
    }
}

impl fmt::Debug for Lists {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lists").field("lists", &self.ends.len()).finish()
    }
}

fn list_hash(items: &[Sym]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for s in items {
        h.write_u32(s.0);
    }
    h.write_usize(items.len());
    h.finish()
}

fn list_cut<'a>(items: &'a [Sym], ends: &[usize], i: usize) -> &'a [Sym] {
    let start = if i == 0 {
        0
    } else {
        ends.get(i - 1).copied().unwrap_or(0)
    };
    let end = ends.get(i).copied().unwrap_or(start);
    items.get(start..end).unwrap_or(&[])
}

impl Lists {
    /// The id of the list `items`, adding it when new (the same bound as [`Pool::intern`]).
    pub fn intern(&mut self, items: &[Sym]) -> u32 {
        let h = list_hash(items);
        let Lists {
            items: all,
            ends,
            index,
        } = self;
        if let Some(&id) = index.find(h, |&id| list_cut(all, ends, id as usize) == items) {
            return id;
        }
        let Ok(id) = u32::try_from(ends.len()) else {
            panic!("a dataset holds more than 4,294,967,295 distinct lists");
        };
        all.extend_from_slice(items);
        ends.push(all.len());
        index.insert_unique(h, id, |&id| list_hash(list_cut(all, ends, id as usize)));
        id
    }

    /// The list with id `id` (empty for an unknown id).
    #[inline]
    pub fn get(&self, id: u32) -> &[Sym] {
        list_cut(&self.items, &self.ends, id as usize)
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.items.capacity() * 4
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.index.capacity() * (std::mem::size_of::<u32>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_interned_twice_has_one_sym_and_reads_back() {
        let mut p = Pool::new();
        assert_eq!(p.intern(""), Sym::EMPTY);
        let a = p.intern("SMITH");
        let b = p.intern("MUÑOZ");
        assert_ne!(a, b);
        assert_eq!(p.intern("SMITH"), a);
        assert_eq!((p.get(a), p.get(b), p.get(Sym::EMPTY)), ("SMITH", "MUÑOZ", ""));
        assert_eq!(p.find("MUÑOZ"), Some(b));
        assert_eq!(p.find("JONES"), None);
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn many_values_survive_the_index_growing() {
        let mut p = Pool::new();
        let syms: Vec<Sym> = (0..50_000).map(|i| p.intern(&format!("v{i}"))).collect();
        for (i, s) in syms.iter().enumerate() {
            assert_eq!(p.get(*s), format!("v{i}"));
            assert_eq!(p.intern(&format!("v{i}")), *s);
        }
        assert_eq!(p.len(), 50_001);
    }

    #[test]
    fn strs_set_moves_the_values_after() {
        let mut s = Strs::default();
        for v in ["a", "bb", "ccc"] {
            s.push(v);
        }
        s.set(1, "BBBBB");
        assert_eq!((s.get(0), s.get(1), s.get(2), s.get(3)), ("a", "BBBBB", "ccc", ""));
        s.set(0, "");
        assert_eq!((s.get(0), s.get(1), s.get(2)), ("", "BBBBB", "ccc"));
    }

    #[test]
    fn lists_are_interned_by_content_and_order() {
        let mut p = Pool::new();
        let (n, b) = (p.intern("N"), p.intern("B"));
        let mut l = Lists::default();
        assert_eq!(l.intern(&[]), 0);
        let nb = l.intern(&[n, b]);
        assert_ne!(nb, l.intern(&[b, n]));
        assert_eq!(l.intern(&[n, b]), nb);
        assert_eq!(l.get(nb), &[n, b]);
        assert!(l.get(0).is_empty());
    }
}
