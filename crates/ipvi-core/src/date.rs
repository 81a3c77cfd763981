//! Civil dates as agencies write them, stored as days since 1970-01-01.
//!
//! Parsing accepts ISO (`2019-11-25`, with an optional time), `YYYYMMDD`, US `MM/DD/YYYY`
//! (and two-digit years), the CDE/Oracle `DD-MON-YY` form and Excel serial day numbers.
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

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

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

    /// Parse any supported form, US month-first for slash dates.
    pub fn parse(s: &str) -> Option<Date> {
        Self::parse_with(s, SlashOrder::MonthFirst)
    }

    /// Parse any supported form with the given order for slash dates.
    pub fn parse_with(s: &str, order: SlashOrder) -> Option<Date> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        // Drop a time part: "2019-11-25 00:00:00", "2019-11-25T13:00", "11/25/2019 1:00 PM".
        // Only an ISO date takes a `T` separator: "29-OCT-19" must keep its T.
        let head = s.split(' ').next().unwrap_or(s);
        let head = match head.as_bytes().get(10) {
            Some(b'T') => &head[..10],
            _ => head,
        };
        let b = head.as_bytes();
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            return Self::from_ymd(num(&head[0..4])?, num(&head[5..7])? as u32, num(&head[8..10])? as u32);
        }
        if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
            return Self::from_ymd(num(&head[0..4])?, num(&head[4..6])? as u32, num(&head[6..8])? as u32);
        }
        if head.contains('/') {
            let parts: Vec<&str> = head.split('/').collect();
            if parts.len() != 3 {
                return None;
            }
            let (a, b2, y) = (num(parts[0])?, num(parts[1])?, parts[2]);
            let year = year_of(y)?;
            let (m, d) = match order {
                SlashOrder::MonthFirst => (a, b2),
                SlashOrder::DayFirst => (b2, a),
            };
            return Self::from_ymd(year, m as u32, d as u32);
        }
        let dash: Vec<&str> = head.split('-').collect();
        if dash.len() == 3 && dash[1].len() == 3 {
            let mon = dash[1].to_ascii_uppercase();
            let m = MONTHS.iter().position(|x| *x == mon)? as u32 + 1;
            return Self::from_ymd(year_of(dash[2])?, m, num(dash[0])? as u32);
        }
        // Excel serial day number (1900 date system, with its 1900-02-29 bug): 1 = 1900-01-01.
        if let Ok(f) = head.parse::<f64>() {
            if (1.0..2_958_466.0).contains(&f) {
                let serial = f.floor() as i32;
                // 25569 = serial of 1970-01-01.
                return Some(Date(serial - 25569));
            }
        }
        None
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
