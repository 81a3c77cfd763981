//! What the four stored tables ([`super::Incidents`], [`super::Offenses`], [`super::Persons`],
//! [`super::Pairs`]) share: an iterator of their read-in-place views, and the standard traits
//! (iteration, building from owned records, equality, debug output, and serde as the vector
//! of owned records serialises), written once here for all four.

/// A table of rows read in place as `Ref` views, built from `Owned` records.
pub trait Rows {
    /// The view of one row.
    type Ref<'a>
    where
        Self: 'a;
    /// The row at `i`, `None` past the end.
    fn row(&self, i: usize) -> Option<Self::Ref<'_>>;
    /// The number of rows.
    fn rows(&self) -> usize;
}

/// The rows of a table in order, as views (double-ended, exact size).
pub struct RowIter<'a, T: Rows> {
    table: &'a T,
    front: usize,
    back: usize,
}

impl<'a, T: Rows> RowIter<'a, T> {
    /// Every row of `table`.
    pub(super) fn new(table: &'a T) -> Self {
        RowIter {
            table,
            front: 0,
            back: table.rows(),
        }
    }
}

impl<T: Rows> Clone for RowIter<'_, T> {
    fn clone(&self) -> Self {
        RowIter { ..*self }
    }
}

impl<'a, T: Rows> Iterator for RowIter<'a, T> {
    type Item = T::Ref<'a>;

    #[inline]
    fn next(&mut self) -> Option<T::Ref<'a>> {
        if self.front >= self.back {
            return None;
        }
        let i = self.front;
        self.front += 1;
        self.table.row(i)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<T::Ref<'a>> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<T: Rows> DoubleEndedIterator for RowIter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.table.row(self.back)
    }
}

impl<T: Rows> ExactSizeIterator for RowIter<'_, T> {}

/// What a stored table `$table` of `$owned` records read as `$view`s has in common, for a table
/// with a `rows` vector, a `view(i, &row)` method and a `push_ref(&$owned)` method: `new`, `len`,
/// `is_empty`, `push`, `get` and `iter` (with its `Iter` type), then the traits: [`Rows`],
/// iteration by reference, `FromIterator`, `Extend` and `From<Vec<_>>` of owned records
/// (`push` interns each), equality of what the rows read (whatever the order values entered the
/// pools), `Debug` as a list of views, and serde as `Vec<$owned>` does.
macro_rules! stored_table {
    ($table:ident, $owned:ty, $view:ident) => {
        /// The rows of the table's `iter`, as views.
        pub type Iter<'a> = $crate::model::rows::RowIter<'a, $table>;

        impl $table {
            /// An empty table.
            pub fn new() -> Self {
                $table::default()
            }

            /// The number of rows.
            pub fn len(&self) -> usize {
                self.rows.len()
            }

            /// Whether there is none.
            pub fn is_empty(&self) -> bool {
                self.rows.is_empty()
            }

            /// Add a record at the end, interning its values.
            pub fn push(&mut self, x: $owned) {
                self.push_ref(&x);
            }

            /// The row at `i`, read in place.
            #[inline]
            pub fn get(&self, i: usize) -> Option<$view<'_>> {
                self.rows.get(i).map(|r| self.view(i, r))
            }

            /// Every row, in order.
            pub fn iter(&self) -> Iter<'_> {
                $crate::model::rows::RowIter::new(self)
            }
        }

        impl $crate::model::rows::Rows for $table {
            type Ref<'a> = $view<'a>;
            #[inline]
            fn row(&self, i: usize) -> Option<$view<'_>> {
                self.get(i)
            }
            fn rows(&self) -> usize {
                self.len()
            }
        }

        impl<'a> IntoIterator for &'a $table {
            type Item = $view<'a>;
            type IntoIter = $crate::model::rows::RowIter<'a, $table>;

            fn into_iter(self) -> Self::IntoIter {
                self.iter()
            }
        }

        impl FromIterator<$owned> for $table {
            fn from_iter<I: IntoIterator<Item = $owned>>(it: I) -> Self {
                let mut t = $table::new();
                t.extend(it);
                t
            }
        }

        impl Extend<$owned> for $table {
            fn extend<I: IntoIterator<Item = $owned>>(&mut self, it: I) {
                for x in it {
                    self.push(x);
                }
            }
        }

        impl From<Vec<$owned>> for $table {
            fn from(v: Vec<$owned>) -> Self {
                let mut t = $table::new();
                t.reserve(v.len());
                t.extend(v);
                t
            }
        }

        impl PartialEq for $table {
            fn eq(&self, other: &Self) -> bool {
                self.len() == other.len() && self.iter().eq(other.iter())
            }
        }

        impl std::fmt::Debug for $table {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        impl serde::Serialize for $table {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let mut seq = s.serialize_seq(Some(self.len()))?;
                for row in self {
                    seq.serialize_element(&row)?;
                }
                seq.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $table {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Vec::<$owned>::deserialize(d).map($table::from)
            }
        }
    };
}
pub(crate) use stored_table;
