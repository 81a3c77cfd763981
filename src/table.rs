//! The pairs table's logic, without the DOM: sorting, filtering and paging over the classified
//! pairs. The component keeps a [`TableState`] in a reducer and renders one page of
//! [`select`]'s indices, so 8,380 rows (or 100 times more) stay fast: only the visible page is
//! ever turned into DOM nodes.

use crate::columns::Column;
use ipvi_core::model::RelClass;
use ipvi_core::nibrs::ClassifiedPair;
use std::cmp::Ordering;
use std::rc::Rc;
use yew::Reducible;

/// A column the table can sort on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    Incident,
    Agency,
    Date,
    Victim,
    Offender,
    Relationship,
    Class,
    Offenses,
    VictimSex,
    OffenderSex,
    Flags,
}

impl SortKey {
    /// The columns in display order.
    pub const ALL: [SortKey; 11] = [
        SortKey::Incident,
        SortKey::Agency,
        SortKey::Date,
        SortKey::Victim,
        SortKey::Offender,
        SortKey::Relationship,
        SortKey::Class,
        SortKey::Offenses,
        SortKey::VictimSex,
        SortKey::OffenderSex,
        SortKey::Flags,
    ];

    /// The column header.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Incident => "Incident",
            SortKey::Agency => "Agency",
            SortKey::Date => "Date",
            SortKey::Victim => "Victim",
            SortKey::Offender => "Offender",
            SortKey::Relationship => "Relationship",
            SortKey::Class => "Class",
            SortKey::Offenses => "Offences",
            SortKey::VictimSex => "Victim sex",
            SortKey::OffenderSex => "Offender sex",
            SortKey::Flags => "Flags",
        }
    }

    /// A stable name for the DOM (`data-key`).
    pub fn id(self) -> &'static str {
        match self {
            SortKey::Incident => "incident_id",
            SortKey::Agency => "agency",
            SortKey::Date => "date",
            SortKey::Victim => "victim_id",
            SortKey::Offender => "offender_id",
            SortKey::Relationship => "relationship_code",
            SortKey::Class => "class",
            SortKey::Offenses => "offenses",
            SortKey::VictimSex => "victim_sex",
            SortKey::OffenderSex => "offender_sex",
            SortKey::Flags => "flags",
        }
    }
}

/// The pairs table's columns for the "Columns" control, in [`SortKey::ALL`]'s order, with
/// [`SortKey::id`] and [`SortKey::label`].
pub const PAIR_COLUMNS: [Column; 11] = [
    Column {
        id: "incident_id",
        label: "Incident",
    },
    Column {
        id: "agency",
        label: "Agency",
    },
    Column {
        id: "date",
        label: "Date",
    },
    Column {
        id: "victim_id",
        label: "Victim",
    },
    Column {
        id: "offender_id",
        label: "Offender",
    },
    Column {
        id: "relationship_code",
        label: "Relationship",
    },
    Column {
        id: "class",
        label: "Class",
    },
    Column {
        id: "offenses",
        label: "Offences",
    },
    Column {
        id: "victim_sex",
        label: "Victim sex",
    },
    Column {
        id: "offender_sex",
        label: "Offender sex",
    },
    Column {
        id: "flags",
        label: "Flags",
    },
];

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDir {
    Ascending,
    Descending,
}

impl SortDir {
    /// The `aria-sort` value.
    pub fn aria(self) -> &'static str {
        match self {
            SortDir::Ascending => "ascending",
            SortDir::Descending => "descending",
        }
    }
}

/// Page sizes offered.
pub const PAGE_SIZES: [usize; 4] = [25, 50, 100, 250];

/// What the analyst chose: sort, filters and page.
#[derive(Clone, Debug, PartialEq)]
pub struct TableState {
    /// `None`: the order of the file.
    pub sort: Option<(SortKey, SortDir)>,
    /// Free text, matched case-insensitively against ids, agency, code, class and offences.
    pub filter: String,
    /// Only pairs of this class.
    pub class: Option<RelClass>,
    /// 0-based page.
    pub page: usize,
    pub page_size: usize,
}

impl Default for TableState {
    fn default() -> Self {
        TableState {
            sort: None,
            filter: String::new(),
            class: None,
            page: 0,
            page_size: 50,
        }
    }
}

/// What the analyst did.
#[derive(Clone, Debug, PartialEq)]
pub enum TableAction {
    /// Sort on a column: ascending first, then descending, then ascending again.
    SortBy(SortKey),
    SetFilter(String),
    SetClass(Option<RelClass>),
    /// Go to a page (clamped when rendering).
    GoTo(usize),
    SetPageSize(usize),
}

impl TableState {
    /// The state after an action. Changing what is shown goes back to the first page.
    pub fn apply(&self, action: TableAction) -> TableState {
        let mut next = self.clone();
        match action {
            TableAction::SortBy(key) => {
                next.sort = match self.sort {
                    Some((k, SortDir::Ascending)) if k == key => Some((key, SortDir::Descending)),
                    _ => Some((key, SortDir::Ascending)),
                };
                next.page = 0;
            }
            TableAction::SetFilter(text) => {
                next.filter = text;
                next.page = 0;
            }
            TableAction::SetClass(class) => {
                next.class = class;
                next.page = 0;
            }
            TableAction::GoTo(page) => next.page = page,
            TableAction::SetPageSize(size) => {
                next.page_size = size.max(1);
                next.page = 0;
            }
        }
        next
    }

    /// The `aria-sort` of a column header.
    pub fn aria_sort(&self, key: SortKey) -> &'static str {
        match self.sort {
            Some((k, dir)) if k == key => dir.aria(),
            _ => "none",
        }
    }
}

impl Reducible for TableState {
    type Action = TableAction;
    fn reduce(self: Rc<Self>, action: TableAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// Case-insensitive (ASCII) substring test without allocating; `needle` must be lower case.
fn contains_folded(hay: &str, needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let hay = hay.as_bytes();
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// Does a pair match the free-text filter?
pub fn matches(p: &ClassifiedPair, needle_lower: &str) -> bool {
    let n = needle_lower.as_bytes();
    contains_folded(&p.incident_id, n)
        || contains_folded(&p.agency, n)
        || contains_folded(&p.victim_id, n)
        || contains_folded(&p.offender_id, n)
        || contains_folded(&p.relationship_code, n)
        || contains_folded(p.class.as_str(), n)
        || contains_folded(p.class.label(), n)
        || contains_folded(&p.offenses, n)
}

/// Ids compare as numbers when both are numbers ("9" before "10"), otherwise as text.
fn cmp_ids(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// The flags column's text: `VO` (victim was offender), `DV` (domestic-violence circumstance).
pub fn flags(p: &ClassifiedPair) -> &'static str {
    match (p.victim_was_offender, p.dv_circumstance) {
        (true, true) => "VO DV",
        (true, false) => "VO",
        (false, true) => "DV",
        (false, false) => "",
    }
}

fn cmp_by(key: SortKey, a: &ClassifiedPair, b: &ClassifiedPair) -> Ordering {
    match key {
        SortKey::Incident => cmp_ids(&a.incident_id, &b.incident_id),
        SortKey::Agency => a.agency.cmp(&b.agency),
        // Missing dates last when ascending.
        SortKey::Date => match (a.date, b.date) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortKey::Victim => cmp_ids(&a.victim_id, &b.victim_id),
        SortKey::Offender => cmp_ids(&a.offender_id, &b.offender_id),
        SortKey::Relationship => a.relationship_code.cmp(&b.relationship_code),
        SortKey::Class => a.class.cmp(&b.class),
        SortKey::Offenses => a.offenses.cmp(&b.offenses),
        SortKey::VictimSex => a.victim_sex.cmp(&b.victim_sex),
        SortKey::OffenderSex => a.offender_sex.cmp(&b.offender_sex),
        SortKey::Flags => flags(a).cmp(flags(b)),
    }
}

/// The indices of the pairs to show, filtered and sorted (ties keep the file's order).
pub fn select(pairs: &[ClassifiedPair], state: &TableState) -> Vec<u32> {
    let needle = state.filter.trim().to_ascii_lowercase();
    let mut idx: Vec<u32> = pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| state.class.is_none_or(|c| p.class == c) && matches(p, &needle))
        .map(|(i, _)| i as u32)
        .collect();
    if let Some((key, dir)) = state.sort {
        idx.sort_by(|&i, &j| {
            let o = cmp_by(key, &pairs[i as usize], &pairs[j as usize]);
            let o = if dir == SortDir::Descending { o.reverse() } else { o };
            o.then(i.cmp(&j))
        });
    }
    idx
}

/// One page of a selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageView {
    /// The page shown (clamped to the last page).
    pub page: usize,
    pub pages: usize,
    /// Half-open range into the selection.
    pub start: usize,
    pub end: usize,
}

/// The rows of the requested page, clamped so a shrinking selection never shows an empty page.
pub fn page_view(total: usize, state: &TableState) -> PageView {
    let size = state.page_size.max(1);
    let pages = total.div_ceil(size).max(1);
    let page = state.page.min(pages - 1);
    let start = (page * size).min(total);
    let end = (start + size).min(total);
    PageView {
        page,
        pages,
        start,
        end,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_column_choice_names_every_sortable_column_in_order() {
        assert_eq!(PAIR_COLUMNS.map(|c| c.id), SortKey::ALL.map(|k| k.id()));
        assert_eq!(PAIR_COLUMNS.map(|c| c.label), SortKey::ALL.map(|k| k.label()));
    }

    fn pair(incident: &str, victim: &str, code: &str, class: RelClass, offenses: &str) -> ClassifiedPair {
        ClassifiedPair {
            incident_id: incident.into(),
            agency: "AZ0070100".into(),
            date: None,
            victim_id: victim.into(),
            offender_id: "1".into(),
            relationship_code: code.into(),
            class,
            victim_was_offender: code == "VO",
            dv_circumstance: false,
            offenses: offenses.into(),
            victim_sex: "F".into(),
            offender_sex: "M".into(),
        }
    }

    fn sample() -> Vec<ClassifiedPair> {
        vec![
            pair("10", "3", "BG", RelClass::IntimatePartner, "13B"),
            pair("9", "2", "PA", RelClass::OtherFamily, "13A 290"),
            pair("100", "1", "ST", RelClass::Stranger, "120"),
            pair("10", "4", "SE", RelClass::IntimatePartner, "13A"),
            pair("x7", "5", "VO", RelClass::Unknown, "13B"),
        ]
    }

    fn run(actions: &[TableAction]) -> Vec<u32> {
        let mut st = TableState::default();
        for a in actions {
            st = st.apply(a.clone());
        }
        select(&sample(), &st)
    }

    #[test]
    fn selection_follows_the_actions() {
        use TableAction::*;
        let cases: Vec<(Vec<TableAction>, Vec<u32>)> = vec![
            (vec![], vec![0, 1, 2, 3, 4]),
            // numbers as numbers, text after, ties in file order
            (vec![SortBy(SortKey::Incident)], vec![1, 0, 3, 2, 4]),
            (
                vec![SortBy(SortKey::Incident), SortBy(SortKey::Incident)],
                vec![4, 2, 0, 3, 1],
            ),
            (
                vec![
                    SortBy(SortKey::Incident),
                    SortBy(SortKey::Incident),
                    SortBy(SortKey::Incident),
                ],
                vec![1, 0, 3, 2, 4],
            ),
            (vec![SortBy(SortKey::Class)], vec![0, 3, 1, 2, 4]),
            (
                vec![SortBy(SortKey::Flags), SortBy(SortKey::Flags)],
                vec![4, 0, 1, 2, 3],
            ),
            (vec![SetClass(Some(RelClass::IntimatePartner))], vec![0, 3]),
            (vec![SetFilter("13a".into())], vec![1, 3]),
            (vec![SetFilter("  PARTNER ".into())], vec![0, 3]),
            (
                vec![SetFilter("13A".into()), SetClass(Some(RelClass::OtherFamily))],
                vec![1],
            ),
            (vec![SetFilter("nothing like it".into())], vec![]),
            (vec![SetFilter("".into())], vec![0, 1, 2, 3, 4]),
        ];
        for (actions, want) in cases {
            assert_eq!(run(&actions), want, "{actions:?}");
        }
    }

    #[test]
    fn sorting_toggles_and_aria_follows() {
        let st = TableState::default();
        assert_eq!(st.aria_sort(SortKey::Date), "none");
        let st = st.apply(TableAction::SortBy(SortKey::Date));
        assert_eq!(st.aria_sort(SortKey::Date), "ascending");
        assert_eq!(st.aria_sort(SortKey::Incident), "none");
        let st = st.apply(TableAction::SortBy(SortKey::Date));
        assert_eq!(st.aria_sort(SortKey::Date), "descending");
        let st = st.apply(TableAction::SortBy(SortKey::Agency));
        assert_eq!(st.aria_sort(SortKey::Agency), "ascending");
        assert_eq!(st.aria_sort(SortKey::Date), "none");
    }

    #[test]
    fn changing_what_is_shown_goes_back_to_page_one() {
        let st = TableState::default().apply(TableAction::GoTo(4));
        assert_eq!(st.page, 4);
        for a in [
            TableAction::SortBy(SortKey::Victim),
            TableAction::SetFilter("x".into()),
            TableAction::SetClass(None),
            TableAction::SetPageSize(25),
        ] {
            assert_eq!(st.apply(a.clone()).page, 0, "{a:?}");
        }
    }

    #[test]
    fn pages_are_clamped() {
        let st = |page, page_size| TableState {
            page,
            page_size,
            ..TableState::default()
        };
        let cases = [
            (
                8380,
                st(0, 50),
                PageView {
                    page: 0,
                    pages: 168,
                    start: 0,
                    end: 50,
                },
            ),
            (
                8380,
                st(167, 50),
                PageView {
                    page: 167,
                    pages: 168,
                    start: 8350,
                    end: 8380,
                },
            ),
            (
                8380,
                st(500, 50),
                PageView {
                    page: 167,
                    pages: 168,
                    start: 8350,
                    end: 8380,
                },
            ),
            (
                0,
                st(3, 50),
                PageView {
                    page: 0,
                    pages: 1,
                    start: 0,
                    end: 0,
                },
            ),
            (
                50,
                st(1, 50),
                PageView {
                    page: 0,
                    pages: 1,
                    start: 0,
                    end: 50,
                },
            ),
            (
                51,
                st(1, 50),
                PageView {
                    page: 1,
                    pages: 2,
                    start: 50,
                    end: 51,
                },
            ),
            (
                5,
                st(0, 0),
                PageView {
                    page: 0,
                    pages: 5,
                    start: 0,
                    end: 1,
                },
            ),
        ];
        for (total, state, want) in cases {
            assert_eq!(page_view(total, &state), want, "{total} {state:?}");
        }
    }

    #[test]
    fn flags_name_both_markers() {
        let mut p = sample()[0].clone();
        assert_eq!(flags(&p), "");
        p.dv_circumstance = true;
        assert_eq!(flags(&p), "DV");
        p.victim_was_offender = true;
        assert_eq!(flags(&p), "VO DV");
    }
}
