//! Helpers shared by every CSV export: spreadsheet-safe cells and CSV quoting.
//!
//! A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is read as a formula
//! by spreadsheet programs ("CSV injection"). [`safe_cell`] neutralises such a cell by prefixing
//! it with an apostrophe, which spreadsheets show as text. [`push_csv_field`] and
//! [`push_csv_row`] write RFC 4180 fields through it.

use std::borrow::Cow;

/// The cell, made safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return gets a `'` in front. Other cells are returned unchanged (no allocation).
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Append one CSV field (made safe with [`safe_cell`], quoted when it holds a comma, quote or line
/// break) to `out`.
pub fn push_csv_field(out: &mut String, cell: &str) {
    let cell = safe_cell(cell);
    if cell.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        for ch in cell.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

/// Append one CSV row (fields separated by commas, ended by `\n`) to `out`.
pub fn push_csv_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_field(out, c);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+31", "'+31"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("SE", "SE"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (input, want) in cases {
            assert_eq!(safe_cell(input), want, "{input:?}");
        }
    }

    #[test]
    fn fields_are_quoted_when_needed() {
        let mut s = String::new();
        push_csv_row(&mut s, ["a", "b,c", "say \"hi\"", "=x", "line\nbreak"]);
        assert_eq!(s, "a,\"b,c\",\"say \"\"hi\"\"\",'=x,\"line\nbreak\"\n");
    }
}
