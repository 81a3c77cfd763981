//! Small-cell suppression for tables that leave the agency.
//!
//! Counts from 1 to `threshold − 1` (default: under 11) are suppressed, and so is any further
//! cell that would let a reader work a suppressed one out from a published total: in every row
//! and column with exactly one suppressed cell, the smallest other non-zero cell is suppressed
//! too, repeated until nothing changes (secondary suppression). Zeros are published.

// Index loops read like the row-and-column bookkeeping they do.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};

/// The default threshold: cells under 11 are suppressed.
pub const THRESHOLD: u64 = 11;

/// A published count or its suppression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    Value(u64),
    Suppressed,
}

impl Count {
    /// The value, if published.
    pub fn value(self) -> Option<u64> {
        match self {
            Count::Value(v) => Some(v),
            Count::Suppressed => None,
        }
    }

    /// For display: the number with thousands separators, or `<11`.
    pub fn show(self, threshold: u64) -> String {
        match self {
            Count::Value(v) => thousands(v),
            Count::Suppressed => format!("<{threshold}"),
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Suppress a table whose rows and columns both have published totals. Returns the table of
/// counts in the same shape.
pub fn suppress_table(cells: &[Vec<u64>], threshold: u64) -> Vec<Vec<Count>> {
    suppress_with_margins(cells, threshold, true, true)
}

/// Suppress a table of which only some totals are published: `row_totals` when each row's
/// total can be read elsewhere, `col_totals` for each column's. Secondary suppression protects
/// only the published totals, so it takes no more cells than it must.
pub fn suppress_with_margins(
    cells: &[Vec<u64>],
    threshold: u64,
    row_totals: bool,
    col_totals: bool,
) -> Vec<Vec<Count>> {
    let rows = cells.len();
    let cols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let get = |r: usize, c: usize| cells.get(r).and_then(|row| row.get(c)).copied().unwrap_or(0);
    let mut sup = vec![vec![false; cols]; rows];
    for r in 0..rows {
        for c in 0..cols {
            let v = get(r, c);
            sup[r][c] = v > 0 && v < threshold;
        }
    }
    loop {
        let mut changed = false;
        // Rows.
        for r in (0..rows).filter(|_| row_totals) {
            if sup[r].iter().filter(|&&s| s).count() == 1 {
                if let Some(c) = (0..cols)
                    .filter(|&c| !sup[r][c] && get(r, c) > 0)
                    .min_by_key(|&c| (get(r, c), c))
                {
                    sup[r][c] = true;
                    changed = true;
                }
            }
        }
        // Columns.
        for c in (0..cols).filter(|_| col_totals) {
            if (0..rows).filter(|&r| sup[r][c]).count() == 1 {
                if let Some(r) = (0..rows)
                    .filter(|&r| !sup[r][c] && get(r, c) > 0)
                    .min_by_key(|&r| (get(r, c), r))
                {
                    sup[r][c] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| {
                    if sup[r][c] {
                        Count::Suppressed
                    } else {
                        Count::Value(get(r, c))
                    }
                })
                .collect()
        })
        .collect()
}

/// Suppress a one-way table with a published total.
pub fn suppress_list(cells: &[u64], threshold: u64) -> Vec<Count> {
    let mut sup: Vec<bool> = cells.iter().map(|&v| v > 0 && v < threshold).collect();
    if sup.iter().filter(|&&s| s).count() == 1 {
        if let Some(i) = (0..cells.len())
            .filter(|&i| !sup[i] && cells[i] > 0)
            .min_by_key(|&i| (cells[i], i))
        {
            sup[i] = true;
        }
    }
    cells
        .iter()
        .zip(sup)
        .map(|(&v, s)| if s { Count::Suppressed } else { Count::Value(v) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(t: &[Vec<Count>]) -> Vec<String> {
        t.iter()
            .map(|r| r.iter().map(|c| if c.value().is_some() { '.' } else { 'S' }).collect())
            .collect()
    }

    #[test]
    fn primary_and_secondary_suppression_in_a_list() {
        let got = suppress_list(&[120, 4, 30, 0, 55], THRESHOLD);
        assert_eq!(
            got,
            vec![
                Count::Value(120),
                Count::Suppressed,
                Count::Suppressed,
                Count::Value(0),
                Count::Value(55)
            ]
        );
        // Two small cells protect each other.
        let got = suppress_list(&[120, 4, 3, 55], THRESHOLD);
        assert_eq!(
            got,
            vec![
                Count::Value(120),
                Count::Suppressed,
                Count::Suppressed,
                Count::Value(55)
            ]
        );
        assert_eq!(
            suppress_list(&[11, 12], THRESHOLD),
            vec![Count::Value(11), Count::Value(12)]
        );
    }

    #[test]
    fn no_suppressed_cell_can_be_recovered_from_row_or_column_totals() {
        let cells = vec![vec![50, 3, 40], vec![60, 70, 80], vec![20, 30, 90]];
        let t = suppress_table(&cells, THRESHOLD);
        for r in 0..3 {
            assert_ne!(
                t[r].iter().filter(|c| c.value().is_none()).count(),
                1,
                "row {r}: {:?}",
                shape(&t)
            );
        }
        for c in 0..3 {
            assert_ne!(
                (0..3).filter(|&r| t[r][c].value().is_none()).count(),
                1,
                "col {c}: {:?}",
                shape(&t)
            );
        }
        assert_eq!(t[0][1], Count::Suppressed);
    }

    #[test]
    fn only_published_margins_drive_secondary_suppression() {
        let cells = vec![vec![50, 3, 40], vec![60, 70, 80], vec![20, 30, 90]];
        let t = suppress_with_margins(&cells, THRESHOLD, false, true);
        // Column 1 has one primary cell: the next smallest in that column goes too; row 0 keeps
        // its other cells because row totals are not published.
        assert_eq!(shape(&t), vec![".S.", "...", ".S."]);
    }

    #[test]
    fn shows_thousands_and_the_threshold() {
        assert_eq!(Count::Value(1832).show(11), "1,832");
        assert_eq!(Count::Suppressed.show(11), "<11");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
