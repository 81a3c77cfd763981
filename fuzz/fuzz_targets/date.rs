//! The date parser: any text, both slash orders. A date read back from what it prints is the
//! same date; a value with a form parses; the year and day arithmetic agree.
#![no_main]

use ipvi_core::date::{Date, SlashOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for order in [SlashOrder::MonthFirst, SlashOrder::DayFirst] {
        let d = Date::parse_with(s, order);
        let form = Date::form(s, order);
        // A form names only values the parser reads (not every value read has a form: a
        // number is an Excel serial only with five digits).
        assert!(form.is_none() || d.is_some(), "{s:?}: form {form:?} but not parsed");
        if let Some(d) = d {
            let (y, m, day) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, day), Some(d), "{s:?}");
            let printed = d.to_string();
            assert_eq!(Date::parse(&printed), Some(d), "{s:?} printed as {printed}");
            assert_eq!(d.add_days(1).days_since(d), 1);
            assert!(d.weekday() < 7);
            let _ = d.month_key();
        }
    }
    let _ = SlashOrder::infer(s.lines());
});
