//! The text classifiers: a relationship text and a narrative, any bytes read as UTF-8. Never a
//! panic, and the same text always gets the same decision.
#![no_main]

use ipvi_core::textclass::{classify_narrative, classify_relationship};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let r = classify_relationship(&text);
    let n = classify_narrative(&text);
    assert_eq!(format!("{r:?}"), format!("{:?}", classify_relationship(&text)));
    assert_eq!(format!("{n:?}"), format!("{:?}", classify_narrative(&text)));
});
