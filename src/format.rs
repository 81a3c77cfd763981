//! Numbers and codes as people read them: thousands separators, shares, sex codes.

/// `1832` → `"1,832"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `part` of `whole` as a percentage with one decimal (`"21.9%"`); `"–"` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// A NIBRS sex code for people.
pub fn sex_label(code: &str) -> &'static str {
    match code.trim() {
        "F" | "f" => "Female",
        "M" | "m" => "Male",
        "U" | "u" | "" => "Unknown",
        "X" | "x" => "Non-binary",
        _ => "Other code",
    }
}

/// Milliseconds for the timings line: `"412 ms"` or `"2.4 s"`.
pub fn millis(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        for (n, want) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (1832, "1,832"),
            (8380, "8,380"),
            (20387, "20,387"),
            (100000, "100,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(count(n), want, "{n}");
        }
    }

    #[test]
    fn shares_round_to_one_decimal_and_survive_zero() {
        assert_eq!(share(1832, 8380), "21.9%");
        assert_eq!(share(0, 5), "0.0%");
        assert_eq!(share(5, 0), "–");
    }

    #[test]
    fn sex_codes_read_as_words() {
        assert_eq!(sex_label("F"), "Female");
        assert_eq!(sex_label("M"), "Male");
        assert_eq!(sex_label(" U "), "Unknown");
        assert_eq!(sex_label("Q"), "Other code");
    }

    #[test]
    fn millis_switch_to_seconds() {
        assert_eq!(millis(412.4), "412 ms");
        assert_eq!(millis(2440.0), "2.4 s");
    }
}
