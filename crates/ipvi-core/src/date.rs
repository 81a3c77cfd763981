//! Civil dates as agencies write them, stored as days since 1970-01-01.
//!
//! Parsing accepts ISO (`2019-11-25`, with an optional time and fractions of a second),
//! `YYYY/MM/DD`, `YYYYMMDD`, US `MM/DD/YYYY` or `MM-DD-YYYY` (or day first, by column; with
//! two-digit years; with a 24-hour or AM/PM time after), the CDE/Oracle `DD-MON-YY` form, month
//! names (`Mar 4 2019`, `March 4, 2019`, `4 March 2019`) and Excel serial day numbers. The one
//! date parser of the product: the import, the mapping proposal and the readers all use it.
//! Two-digit years are read as 1930–2029, the window in which police records live.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date (proleptic Gregorian), as a count of days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Date(pub i32);

/// Which textual forms [`Date::parse_with`] accepts for an ambiguous slash date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SlashOrder {
    /// `MM/DD/YYYY`, the US form (default).
    #[default]
    MonthFirst,
    /// `DD/MM/YYYY`.
    DayFirst,
}

impl Date {
    /// The date for a year, month (1–12) and day (1–31), or `None` when it does not exist.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The month as `YYYY-MM`.
    pub fn month_key(self) -> String {
        let (y, m, _) = self.ymd();
        format!("{y:04}-{m:02}")
    }

    /// Months since year 0 (for monthly series).
    pub fn month_index(self) -> i32 {
        let (y, m, _) = self.ymd();
        y * 12 + m as i32 - 1
    }

    /// This date plus `n` days.
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// Days from `other` to `self`.
    pub fn days_since(self, other: Date) -> i32 {
        self.0 - other.0
    }

    /// Day of week, 0 = Monday.
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The same day one year later (29 February becomes 28 February).
    pub fn plus_one_year(self) -> Date {
        let (y, m, d) = self.ymd();
        Date::from_ymd(y + 1, m, d)
            .or_else(|| Date::from_ymd(y + 1, m, 28))
            .unwrap_or(self.add_days(365))
    }

    /// Parse any supported form, US month-first for slash dates.
    pub fn parse(s: &str) -> Option<Date> {
        Self::parse_with(s, SlashOrder::MonthFirst)
    }

    /// Parse any supported form with the given order for slash dates (the order only matters
    /// for `NN/NN/YYYY` and `NN-NN-YYYY`; every other form says which part is which).
    pub fn parse_with(s: &str, order: SlashOrder) -> Option<Date> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if s.as_bytes()[0].is_ascii_alphabetic() {
            return month_name_first(s);
        }
        let head = date_head(s);
        let b = head.as_bytes();
        // ISO (and YYYY/MM/DD): four-digit year first.
        if b.len() >= 8 && matches!(b.get(4), Some(b'-' | b'/')) {
            let parts: Vec<&str> = head.split(['-', '/']).collect();
            if parts.len() == 3 && parts[0].len() == 4 {
                return Self::from_ymd(num(parts[0])?, num(parts[1])? as u32, num(parts[2])? as u32);
            }
        }
        if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
            return Self::from_ymd(num(&head[0..4])?, num(&head[4..6])? as u32, num(&head[6..8])? as u32);
        }
        for sep in ['/', '-', '.'] {
            if !head.contains(sep) {
                continue;
            }
            let parts: Vec<&str> = head.split(sep).collect();
            if parts.len() != 3 {
                if sep == '.' {
                    continue; // an Excel serial with a time of day: 43794.5
                }
                return None;
            }
            if parts[1].bytes().all(|c| c.is_ascii_alphabetic()) {
                // DD-MON-YY, 04-MAR-2019.
                let m = month_of(parts[1])?;
                return Self::from_ymd(year_of(parts[2])?, m, num(parts[0])? as u32);
            }
            let (a, b2, year) = (num(parts[0])?, num(parts[1])?, year_of(parts[2])?);
            if parts[0].len() > 2 || parts[1].len() > 2 {
                return None;
            }
            let (m, d) = match order {
                SlashOrder::MonthFirst => (a, b2),
                SlashOrder::DayFirst => (b2, a),
            };
            return Self::from_ymd(year, m as u32, d as u32);
        }
        // "4 March 2019", "04 MAR 2019", and Seattle's "2020 Mar 04 01:45:00 PM".
        let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        if words.len() >= 3 && words[1].bytes().all(|c| c.is_ascii_alphabetic()) {
            let m = month_of(words[1])?;
            if words[0].len() == 4 {
                return Self::from_ymd(num(words[0])?, m, num(words[2])? as u32);
            }
            return Self::from_ymd(year_of(words[2])?, m, num(words[0])? as u32);
        }
        // Excel serial day number (1900 date system, with its 1900-02-29 bug): 1 = 1900-01-01.
        // Whole days only, from 1900 to 2199 (a time of day is a fraction).
        if let Ok(f) = head.parse::<f64>() {
            if (1.0..109_575.0).contains(&f) && b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
                let serial = f.floor() as i32;
                // 25569 = serial of 1970-01-01.
                return Some(Date(serial - 25569));
            }
        }
        None
    }

    /// How a value is written ("MM/DD/YYYY", "YYYY-MM-DD", "Mon D, YYYY"...), or `None` when it
    /// is not a date this parser reads. `order` names the slash forms. Numbers are Excel serials
    /// only with five digits before any fraction (1927 to 2173): a year, an HHMM time or a
    /// census tract in a column nobody named is not a date.
    pub fn form(s: &str, order: SlashOrder) -> Option<&'static str> {
        let s = s.trim();
        Self::parse_with(s, order)?;
        let time = s.len() > date_head(s).len() && !s.as_bytes()[0].is_ascii_alphabetic();
        if s.as_bytes()[0].is_ascii_alphabetic() {
            return Some("Mon D, YYYY");
        }
        let head = date_head(s);
        let b = head.as_bytes();
        let f = if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
            "YYYYMMDD"
        } else if b.len() >= 8 && b[4] == b'-' {
            if time {
                "YYYY-MM-DD hh:mm"
            } else {
                "YYYY-MM-DD"
            }
        } else if b.len() >= 8 && b[4] == b'/' {
            "YYYY/MM/DD"
        } else if let Some(sep) = ['/', '-', '.'].into_iter().find(|c| head.split(*c).count() == 3) {
            let parts: Vec<&str> = head.split(sep).collect();
            let four = parts.get(2).is_some_and(|y| y.len() == 4);
            if parts.get(1).is_some_and(|p| p.bytes().all(|c| c.is_ascii_alphabetic())) {
                if four {
                    "DD-MON-YYYY"
                } else {
                    "DD-MON-YY"
                }
            } else {
                match (order, sep, four, time) {
                    (SlashOrder::MonthFirst, '/', true, false) => "MM/DD/YYYY",
                    (SlashOrder::MonthFirst, '/', true, true) => "MM/DD/YYYY hh:mm",
                    (SlashOrder::MonthFirst, '/', false, _) => "MM/DD/YY",
                    (SlashOrder::MonthFirst, _, true, _) => "MM-DD-YYYY",
                    (SlashOrder::MonthFirst, _, false, _) => "MM-DD-YY",
                    (SlashOrder::DayFirst, '/', true, false) => "DD/MM/YYYY",
                    (SlashOrder::DayFirst, '/', true, true) => "DD/MM/YYYY hh:mm",
                    (SlashOrder::DayFirst, '/', false, _) => "DD/MM/YY",
                    (SlashOrder::DayFirst, _, true, _) => "DD-MM-YYYY",
                    (SlashOrder::DayFirst, _, false, _) => "DD-MM-YY",
                }
            }
        } else if head.len() < s.len() {
            if head.len() == 4 {
                "YYYY Mon DD"
            } else {
                "D Mon YYYY"
            }
        } else if head.split('.').next().is_some_and(|whole| whole.len() == 5) {
            // Serials of 1927 to 2173: smaller numbers (a year, a time, a tract) are not taken
            // for dates when a column's values are read.
            "Excel serial"
        } else {
            return None;
        };
        Some(f)
    }
}

impl SlashOrder {
    /// The order of day and month in a column's `NN/NN/YY(YY)` dates, from the values that can
    /// only be read one way: day first when several of them (at least 10%) have a first part
    /// above 12 and none has a second part above 12; month first otherwise (one mistyped date
    /// does not flip a column). Dates with the year first or a month name do not count.
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str>) -> SlashOrder {
        let (mut n, mut first_big, mut second_big) = (0usize, 0usize, 0usize);
        for v in values {
            let head = date_head(v.trim());
            let Some(sep) = ['/', '-', '.'].into_iter().find(|c| head.contains(*c)) else {
                continue;
            };
            let p: Vec<&str> = head.split(sep).collect();
            if p.len() != 3 || p[0].len() > 2 || p[1].len() > 2 {
                continue;
            }
            let (Some(a), Some(b)) = (num(p[0]), num(p[1])) else {
                continue;
            };
            n += 1;
            first_big += usize::from(a > 12);
            second_big += usize::from(b > 12);
        }
        if first_big >= 2 && first_big * 10 >= n && second_big == 0 {
            SlashOrder::DayFirst
        } else {
            SlashOrder::MonthFirst
        }
    }
}

/// The date part of a value that starts with a digit: up to the first space, or up to an ISO
/// `T` ("2019-03-04T13:45:00.000"). "4 March 2019" keeps only "4" (read by word).
fn date_head(s: &str) -> &str {
    let head = s.split(' ').next().unwrap_or(s);
    match head.as_bytes().get(10) {
        Some(b'T') => &head[..10],
        _ => match head.as_bytes().get(8) {
            Some(b'T') if head.as_bytes()[..8].iter().all(u8::is_ascii_digit) => &head[..8],
            _ => head,
        },
    }
}

/// A month's number from its name or three-letter abbreviation ("MAR", "March", "Sept").
fn month_of(w: &str) -> Option<u32> {
    let up = w.trim_end_matches('.').to_ascii_uppercase();
    if up.len() < 3 {
        return None;
    }
    const FULL: [&str; 12] = [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "MAY",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ];
    FULL.iter().position(|f| f.starts_with(&up)).map(|i| i as u32 + 1)
}

/// "Mar 4 2019", "March 4, 2019", "MAR-04-2019", with an optional time after.
fn month_name_first(s: &str) -> Option<Date> {
    let words: Vec<&str> = s.split([' ', ',', '-', '/', '.']).filter(|w| !w.is_empty()).collect();
    if words.len() < 3 {
        return None;
    }
    let m = month_of(words[0])?;
    Date::from_ymd(year_of(words[2])?, m, num(words[1])? as u32)
}

fn num(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn year_of(s: &str) -> Option<i32> {
    let y = num(s)?;
    match s.trim().len() {
        2 => Some(if y < 30 { 2000 + y } else { 1900 + y }),
        4 => Some(y),
        _ => None,
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Date, String> {
        Date::parse(&s).ok_or_else(|| format!("not a date: {s:?}"))
    }
}

/// The earliest date a police record can plausibly carry, 1900-01-01: an earlier one
/// (0001-01-01, a placeholder) is set aside by the import.
pub const EARLIEST_PLAUSIBLE: Date = Date(-25_567);

/// The latest date an as-of date can be derived from, 2099-12-31: placeholders such as
/// 9999-12-31 lie beyond it.
pub const LATEST_DERIVABLE: Date = Date(47_481);

/// The as-of date that dates imply when none is given: the latest date between
/// [`EARLIEST_PLAUSIBLE`] and [`LATEST_DERIVABLE`] that is at most a year (366 days) after the
/// next earlier date among them. A lone date far beyond the rest (2109 typed for 2019) is never
/// the as-of date; neither is a placeholder (9999-12-31, 0001-01-01). `None` when no date is
/// plausible.
pub fn derived_as_of(dates: impl IntoIterator<Item = Date>) -> Option<Date> {
    let days: std::collections::BTreeSet<i32> = dates
        .into_iter()
        .filter(|d| (EARLIEST_PLAUSIBLE..=LATEST_DERIVABLE).contains(d))
        .map(|d| d.0)
        .collect();
    let mut from_top = days.iter().rev().peekable();
    while let Some(&d) = from_top.next() {
        match from_top.peek() {
            Some(&&before) if d - before > 366 => continue,
            _ => return Some(Date(d)),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_plausible_is_1900_01_01() {
        assert_eq!(Date::from_ymd(1900, 1, 1), Some(EARLIEST_PLAUSIBLE));
        assert_eq!(EARLIEST_PLAUSIBLE.to_string(), "1900-01-01");
        assert_eq!(LATEST_DERIVABLE.to_string(), "2099-12-31");
    }

    #[test]
    fn a_9999_date_is_never_the_derived_as_of_date() {
        let d = |s: &str| Date::parse(s).unwrap();
        let dates = ["2019-01-03", "2019-12-31", "2020-12-30", "9999-12-31", "0001-01-01"].map(d);
        assert_eq!(derived_as_of(dates), Some(d("2020-12-30")));
        // A typo far ahead, and two placeholders a year apart from each other only.
        let dates = ["2019-01-03", "2019-12-30", "2109-05-01", "9999-01-01", "9999-12-31"].map(d);
        assert_eq!(derived_as_of(dates), Some(d("2019-12-30")));
        let dates = ["2019-01-03", "2019-12-30", "2109-05-01"].map(d);
        assert_eq!(derived_as_of(dates), Some(d("2019-12-30")));
        // Dates a year apart or less follow each other: the last is the as-of date.
        let dates = ["2015-01-01", "2016-01-01", "2017-01-01", "2017-12-31"].map(d);
        assert_eq!(derived_as_of(dates), Some(d("2017-12-31")));
        assert_eq!(derived_as_of(["0001-01-01", "1899-12-31"].map(d)), None);
        assert_eq!(derived_as_of(std::iter::empty()), None);
    }

    #[test]
    fn plus_one_year_keeps_the_day() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(d("2020-12-30").plus_one_year(), d("2021-12-30"));
        assert_eq!(d("2020-02-29").plus_one_year(), d("2021-02-28"));
    }

    fn check(input: &str, want: Option<&str>) {
        assert_eq!(
            Date::parse(input).map(|d| d.to_string()).as_deref(),
            want,
            "input {input:?}"
        );
    }

    #[test]
    fn parses_the_forms_agencies_use() {
        check("2019-11-25", Some("2019-11-25"));
        check("2019-11-25 13:45:00", Some("2019-11-25"));
        check("2019-11-25T13:45", Some("2019-11-25"));
        check("20191125", Some("2019-11-25"));
        check("11/25/2019", Some("2019-11-25"));
        check("1/5/19", Some("2019-01-05"));
        check("25-NOV-19", Some("2019-11-25"));
        check("05-feb-20", Some("2020-02-05"));
        check("01-JAN-45", Some("1945-01-01"));
        check("43794", Some("2019-11-25"));
        check("43794.5", Some("2019-11-25"));
        check("", None);
        check("2019-02-29", None);
        check("13/01/2019", None);
        check("not a date", None);
        check("25-XYZ-19", None);
    }

    #[test]
    fn month_names_holding_a_t_are_not_cut_as_times() {
        check("29-OCT-19", Some("2019-10-29"));
        check("01-oct-2019", Some("2019-10-01"));
        check("2019-10-29T00:00:00", Some("2019-10-29"));
        check("OCT", None);
    }

    #[test]
    fn parses_the_forms_of_open_data_portals_and_records_systems() {
        check("2018/12/01", Some("2018-12-01"));
        check("2018/12/01 00:00:00", Some("2018-12-01"));
        check("2019-03-04T13:45:00.000", Some("2019-03-04"));
        check("2019-03-04 13:45:00.000000", Some("2019-03-04"));
        check("2019-03-04T13:45:00Z", Some("2019-03-04"));
        check("03/04/2019 01:45:00 PM", Some("2019-03-04"));
        check("3/4/2019 1:45 PM", Some("2019-03-04"));
        check("03-04-2019", Some("2019-03-04"));
        check("04-MAR-19", Some("2019-03-04"));
        check("04-Mar-2019", Some("2019-03-04"));
        check("Mar 4 2019", Some("2019-03-04"));
        check("March 4, 2019", Some("2019-03-04"));
        check("Sept 4, 2019", Some("2019-09-04"));
        check("MAR 04 2019 01:45PM", Some("2019-03-04"));
        check("4 March 2019", Some("2019-03-04"));
        check("2020 Mar 04 01:45:00 PM", Some("2020-03-04"));
        check("20190304", Some("2019-03-04"));
        check("Mrch 4 2019", None);
        check("Xyz 4 2019", None);
        check("2019/13/01", None);
        check("123/4/2019", None);
        check("999999", None);
    }

    #[test]
    fn the_order_of_a_column_comes_from_the_values_that_can_only_be_one_way() {
        let us = ["03/04/2019", "12/25/2019", "01/02/2019"];
        assert_eq!(SlashOrder::infer(us), SlashOrder::MonthFirst);
        let eu = ["03/04/2019", "25/12/2019", "31/01/2019 10:00", "01/02/2019"];
        assert_eq!(SlashOrder::infer(eu), SlashOrder::DayFirst);
        // Years first and month names say nothing about the order.
        let iso = ["2018/12/01", "2019/11/30", "2019-10-29", "29-OCT-19"];
        assert_eq!(SlashOrder::infer(iso), SlashOrder::MonthFirst);
    }

    #[test]
    fn every_form_has_a_name() {
        let cases = [
            ("2018/12/01", "YYYY/MM/DD"),
            ("2019-03-04", "YYYY-MM-DD"),
            ("2019-03-04T13:45:00.000", "YYYY-MM-DD hh:mm"),
            ("03/04/2019 01:45:00 PM", "MM/DD/YYYY hh:mm"),
            ("3/4/19", "MM/DD/YY"),
            ("04-MAR-19", "DD-MON-YY"),
            ("March 4, 2019", "Mon D, YYYY"),
            ("4 March 2019", "D Mon YYYY"),
            ("20190304", "YYYYMMDD"),
            ("43794", "Excel serial"),
            ("2020 Mar 04 01:45:00 PM", "YYYY Mon DD"),
        ];
        for (v, want) in cases {
            assert_eq!(Date::form(v, SlashOrder::MonthFirst), Some(want), "{v}");
        }
        assert_eq!(Date::form("nope", SlashOrder::MonthFirst), None);
        for not_read_as_dates in ["2020", "1345", "30.26", "9.02"] {
            assert_eq!(Date::form(not_read_as_dates, SlashOrder::MonthFirst), None);
        }
    }

    const MONTH_NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// A date written in every supported form, with the order its slash forms need.
    fn written(d: Date) -> Vec<(String, SlashOrder)> {
        let (y, m, dd) = d.ymd();
        let yy = y % 100;
        let name = MONTH_NAMES[m as usize - 1];
        let mon = name[..3].to_ascii_uppercase();
        let excel = d.0 + 25569;
        let (h12, ampm) = (((dd + 11) % 12) + 1, if dd % 2 == 0 { "AM" } else { "PM" });
        let mf = SlashOrder::MonthFirst;
        let df = SlashOrder::DayFirst;
        let mut v = vec![
            (format!("{y:04}-{m:02}-{dd:02}"), mf),
            (format!("{y:04}-{m:02}-{dd:02}T13:45:00.000"), mf),
            (format!("{y:04}-{m:02}-{dd:02} 13:45:00.000000"), mf),
            (format!("{y:04}/{m:02}/{dd:02}"), mf),
            (format!("{y:04}{m:02}{dd:02}"), mf),
            (format!("{m:02}/{dd:02}/{y:04}"), mf),
            (format!("{m}/{dd}/{y:04} {h12:02}:45:00 {ampm}"), mf),
            (format!("{m:02}-{dd:02}-{y:04}"), mf),
            (format!("{dd:02}/{m:02}/{y:04}"), df),
            (format!("{dd}.{m}.{y:04}"), df),
            (format!("{dd:02}-{mon}-{y:04}"), mf),
            (format!("{} {dd} {y:04}", &name[..3]), mf),
            (format!("{name} {dd}, {y:04}"), mf),
            (format!("{dd} {name} {y:04}"), mf),
            (format!("{y:04} {} {dd:02} 01:45:00 PM", &name[..3]), mf),
        ];
        if (1928..2173).contains(&y) {
            v.push((excel.to_string(), mf));
            v.push((format!("{excel}.25"), mf));
        }
        if (1930..2030).contains(&y) {
            v.push((format!("{m}/{dd}/{yy:02}"), mf));
            v.push((format!("{dd:02}-{mon}-{yy:02}"), mf));
        }
        v
    }

    proptest::proptest! {
        #[test]
        fn a_date_written_in_any_supported_form_parses_back_to_itself(z in -25_000i32..60_000) {
            let d = Date(z);
            for (text, order) in written(d) {
                proptest::prop_assert_eq!(Date::parse_with(&text, order), Some(d), "{}", text);
                proptest::prop_assert!(Date::form(&text, order).is_some(), "{}", text);
            }
        }
    }

    #[test]
    fn day_first_order() {
        assert_eq!(
            Date::parse_with("05/01/2019", SlashOrder::DayFirst).map(|d| d.to_string()),
            Some("2019-01-05".into())
        );
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        for z in -200_000..200_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date(0).weekday(), 3); // a Thursday
    }
}
