//! Name normalisation and the nickname table (William/Bill/Billy).
//!
//! Names are folded to upper-case ASCII letters, digits and single spaces; common Latin accents
//! are folded to their base letter. Generational suffixes ("SMITH JR", "JOHN III") are split off
//! so that they can be compared on their own. The nickname table is data
//! (`crates/ipvi-core/data/nicknames.csv`, `name,nickname` per line) that users can replace.

use std::collections::HashMap;

/// The nickname table shipped with the crate.
pub const DEFAULT_NICKNAMES_CSV: &str = include_str!("../../data/nicknames.csv");

/// Generational suffixes recognised at the end of a name, with their canonical form.
pub const SUFFIXES: &[(&str, &str)] = &[
    ("JR", "JR"),
    ("JNR", "JR"),
    ("JUNIOR", "JR"),
    ("SR", "SR"),
    ("SNR", "SR"),
    ("SENIOR", "SR"),
    ("II", "II"),
    ("III", "III"),
    ("IV", "IV"),
    ("2ND", "II"),
    ("3RD", "III"),
    ("4TH", "IV"),
];

/// Fold one character to upper-case ASCII, or `None` to drop it (punctuation becomes a space).
fn fold(c: char) -> Option<char> {
    let c = match c {
        'a'..='z' => c.to_ascii_uppercase(),
        'A'..='Z' | '0'..='9' => c,
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'ç' | 'Ç' => 'C',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ñ' | 'Ñ' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' | 'Ý' => 'Y',
        '\'' | '’' => return None, // O'BRIEN -> OBRIEN
        _ => ' ',
    };
    Some(c)
}

/// Normalise free text: upper case, accents folded, apostrophes dropped, other punctuation and
/// runs of whitespace turned into one space, trimmed.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    let mut space = true;
    for c in s.chars().filter_map(fold) {
        if c == ' ' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
}

/// Normalise free text (see [`normalize_into`]).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// The canonical suffix for a token ("JNR" → "JR"), if it is one.
pub fn canonical_suffix(token: &str) -> Option<&'static str> {
    SUFFIXES.iter().find(|(t, _)| *t == token).map(|(_, c)| *c)
}

/// Split a trailing generational suffix off a normalised name: `"SMITH JR"` → `("SMITH", "JR")`.
/// A name that is only a suffix is kept as a name.
pub fn split_suffix(name: &str) -> (&str, Option<&'static str>) {
    if let Some((head, last)) = name.rsplit_once(' ') {
        if let Some(c) = canonical_suffix(last) {
            return (head, Some(c));
        }
    }
    (name, None)
}

/// Which names are nicknames of which: every name maps to the sorted list of canonical names it
/// belongs to (itself included), and two names match when their lists intersect.
#[derive(Clone, Debug, Default)]
pub struct Nicknames {
    groups: HashMap<String, Vec<u32>>,
    canon: Vec<String>,
}

impl Nicknames {
    /// Parse a `name,nickname` table; `#` lines and a `name,nickname` header are skipped, as
    /// are lines without two fields.
    pub fn parse(csv: &str) -> Nicknames {
        let mut t = Nicknames::default();
        let mut canon_ids: HashMap<String, u32> = HashMap::new();
        for line in csv.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.eq_ignore_ascii_case("name,nickname") {
                continue;
            }
            let Some((a, b)) = line.split_once(',') else { continue };
            let (a, b) = (normalize(a), normalize(b));
            if a.is_empty() || b.is_empty() {
                continue;
            }
            let next = canon_ids.len() as u32;
            let id = *canon_ids.entry(a.clone()).or_insert(next);
            if id as usize == t.canon.len() {
                t.canon.push(a.clone());
            }
            for n in [a, b] {
                let g = t.groups.entry(n).or_default();
                if let Err(pos) = g.binary_search(&id) {
                    g.insert(pos, id);
                }
            }
        }
        t
    }

    /// The table shipped with the crate.
    pub fn default_table() -> Nicknames {
        Nicknames::parse(DEFAULT_NICKNAMES_CSV)
    }

    /// The canonical groups a normalised name belongs to (empty when not in the table).
    pub fn groups(&self, name: &str) -> &[u32] {
        self.groups.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The canonical names a normalised name belongs to, joined by `|` (for export).
    pub fn group_names(&self, name: &str) -> String {
        let g: Vec<&str> = self
            .groups(name)
            .iter()
            .filter_map(|&i| self.canon.get(i as usize))
            .map(String::as_str)
            .collect();
        g.join("|")
    }

    /// Whether two normalised names are the same name or nicknames of a common name.
    pub fn related(&self, a: &str, b: &str) -> bool {
        a == b || intersects(self.groups(a), self.groups(b))
    }

    /// Number of distinct names in the table.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Whether two sorted slices share an element.
pub fn intersects(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        for (raw, want) in [
            ("  o'Brien-Smith ", "OBRIEN SMITH"),
            ("José", "JOSE"),
            ("mc  donald,  jr.", "MC DONALD JR"),
            ("", ""),
            ("...", ""),
        ] {
            assert_eq!(normalize(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn suffixes() {
        assert_eq!(split_suffix("SMITH JR"), ("SMITH", Some("JR")));
        assert_eq!(split_suffix("JOHN SNR"), ("JOHN", Some("SR")));
        assert_eq!(split_suffix("JOHN III"), ("JOHN", Some("III")));
        assert_eq!(split_suffix("JR"), ("JR", None));
        assert_eq!(split_suffix("SMITH"), ("SMITH", None));
    }

    #[test]
    fn nickname_table() {
        let t = Nicknames::default_table();
        assert!(t.len() > 300, "{}", t.len());
        assert!(t.related("WILLIAM", "BILL"));
        assert!(t.related("BILLY", "WILLIAM"));
        assert!(t.related("BILL", "WILL")); // both William
        assert!(t.related("AL", "ALBERT"));
        assert!(t.related("AL", "ALFRED"));
        assert!(!t.related("WILLIAM", "ROBERT"));
        assert!(!t.related("ALBERT", "ALFRED") || t.groups("ALBERT").iter().any(|g| t.groups("ALFRED").contains(g)));
        assert!(t.related("ZORRO", "ZORRO"));
        assert!(!t.related("ZORRO", "ZORA"));
    }
}
