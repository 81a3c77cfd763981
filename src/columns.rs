//! Which columns of a table are shown: the analyst's choice in a table's "Columns" control, kept
//! for the session. Pure, so it is tested natively; exports ignore it and keep every column.

use std::collections::BTreeSet;

/// A column the analyst can hide: a stable id (`data-column`) and its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub id: &'static str,
    pub label: &'static str,
}

/// The hidden columns of one table (all shown by default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnChoice {
    hidden: BTreeSet<&'static str>,
}

impl ColumnChoice {
    /// Whether the column is shown.
    pub fn shows(&self, id: &str) -> bool {
        !self.hidden.contains(id)
    }

    /// How many of `columns` are shown.
    pub fn shown(&self, columns: &[Column]) -> usize {
        columns.iter().filter(|c| self.shows(c.id)).count()
    }

    /// Whether `id` may be hidden: it is one of `columns` and not the last one shown (a table
    /// always keeps one column).
    pub fn can_hide(&self, id: &str, columns: &[Column]) -> bool {
        self.shows(id) && columns.iter().any(|c| c.id == id) && self.shown(columns) > 1
    }

    /// The choice with `id` shown if it was hidden, hidden if it was shown (and may be).
    /// Unknown ids change nothing.
    pub fn toggled(&self, id: &str, columns: &[Column]) -> ColumnChoice {
        let mut next = self.clone();
        let Some(c) = columns.iter().find(|c| c.id == id) else {
            return next;
        };
        if !next.hidden.remove(c.id) && self.can_hide(c.id, columns) {
            next.hidden.insert(c.id);
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column { id: "a", label: "A" },
        Column { id: "b", label: "B" },
        Column { id: "c", label: "C" },
    ];

    #[test]
    fn toggling_hides_and_shows_again() {
        let all = ColumnChoice::default();
        assert_eq!(all.shown(&COLS), 3);
        let no_b = all.toggled("b", &COLS);
        assert!(!no_b.shows("b") && no_b.shows("a"));
        assert_eq!(no_b.shown(&COLS), 2);
        assert_eq!(no_b.toggled("b", &COLS), all);
    }

    #[test]
    fn the_last_shown_column_stays_and_unknown_ids_change_nothing() {
        let only_c = ColumnChoice::default().toggled("a", &COLS).toggled("b", &COLS);
        assert_eq!(only_c.shown(&COLS), 1);
        assert!(!only_c.can_hide("c", &COLS));
        assert_eq!(only_c.toggled("c", &COLS), only_c);
        assert_eq!(only_c.toggled("zz", &COLS), only_c);
        assert!(!ColumnChoice::default().can_hide("zz", &COLS));
    }
}
