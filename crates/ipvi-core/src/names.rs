//! Name frequency lists and the nickname table, shared by the synthetic jurisdiction and by
//! record linkage.
//!
//! The frequency lists are the U.S. Census Bureau's 1990 name files (public domain), cut to the
//! most frequent names; the nickname table is written for this project. All three ship inside the
//! binary (`include_str!`) so the browser needs no download. See `data/names/README.md`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const SURNAMES: &str = include_str!("../data/names/surnames.txt");
const MALE_FIRST: &str = include_str!("../data/names/male_first.txt");
const FEMALE_FIRST: &str = include_str!("../data/names/female_first.txt");
const NICKNAMES: &str = include_str!("../data/names/nicknames.txt");

/// One name and its frequency in percent of the population it was counted in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NameFreq {
    /// The name, upper case.
    pub name: &'static str,
    /// Percent of the population (surnames: everyone; first names: men or women).
    pub percent: f64,
}

fn parse_freq(text: &'static str) -> Vec<NameFreq> {
    text.lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let name = it.next()?;
            let percent = it.next()?.parse::<f64>().ok()?;
            Some(NameFreq { name, percent })
        })
        .collect()
}

/// The most frequent U.S. surnames, most frequent first.
pub fn surnames() -> &'static [NameFreq] {
    static S: OnceLock<Vec<NameFreq>> = OnceLock::new();
    S.get_or_init(|| parse_freq(SURNAMES))
}

/// The most frequent U.S. male first names, most frequent first.
pub fn male_first_names() -> &'static [NameFreq] {
    static S: OnceLock<Vec<NameFreq>> = OnceLock::new();
    S.get_or_init(|| parse_freq(MALE_FIRST))
}

/// The most frequent U.S. female first names, most frequent first.
pub fn female_first_names() -> &'static [NameFreq] {
    static S: OnceLock<Vec<NameFreq>> = OnceLock::new();
    S.get_or_init(|| parse_freq(FEMALE_FIRST))
}

/// Formal given names and their nicknames (William: Bill, Billy, Will, ...), both ways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Nicknames {
    /// Formal name → its nicknames, in the table's order.
    pub by_formal: BTreeMap<&'static str, Vec<&'static str>>,
    /// Nickname → the formal names it can stand for (Chris: Christopher, Christina, Christine).
    pub by_nickname: BTreeMap<&'static str, Vec<&'static str>>,
}

impl Nicknames {
    /// The nicknames of a formal name (upper case), or an empty slice.
    pub fn nicknames_of(&self, formal: &str) -> &[&'static str] {
        self.by_formal.get(formal).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The formal names a nickname (upper case) can stand for, or an empty slice.
    pub fn formals_of(&self, nickname: &str) -> &[&'static str] {
        self.by_nickname.get(nickname).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether two upper-case given names can name the same person: equal, one a nickname of
    /// the other, or both nicknames of one formal name.
    pub fn equivalent(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        let fa: Vec<&str> = std::iter::once(a).chain(self.formals_of(a).iter().copied()).collect();
        let fb: Vec<&str> = std::iter::once(b).chain(self.formals_of(b).iter().copied()).collect();
        fa.iter().any(|x| fb.contains(x))
    }
}

/// The nickname table (`data/names/nicknames.txt`).
pub fn nicknames() -> &'static Nicknames {
    static S: OnceLock<Nicknames> = OnceLock::new();
    S.get_or_init(|| {
        let mut t = Nicknames::default();
        for line in NICKNAMES.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((formal, nicks)) = line.split_once(':') else {
                continue;
            };
            let formal = formal.trim();
            let list: Vec<&'static str> = nicks.split_whitespace().collect();
            for n in &list {
                t.by_nickname.entry(*n).or_default().push(formal);
            }
            t.by_formal.insert(formal, list);
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_loaded_and_ordered() {
        assert_eq!(surnames().len(), 900);
        assert_eq!(surnames()[0].name, "SMITH");
        assert!(male_first_names().len() >= 450);
        assert_eq!(female_first_names()[0].name, "MARY");
        assert!(surnames().windows(2).all(|w| w[0].percent >= w[1].percent));
    }

    #[test]
    fn nicknames_go_both_ways() {
        let t = nicknames();
        assert!(t.nicknames_of("WILLIAM").contains(&"BILL"));
        assert!(t.formals_of("CHRIS").contains(&"CHRISTOPHER"));
        assert!(t.equivalent("BILL", "WILLIAM"));
        assert!(t.equivalent("BILLY", "WILL"));
        assert!(!t.equivalent("BILL", "ROBERT"));
    }
}
