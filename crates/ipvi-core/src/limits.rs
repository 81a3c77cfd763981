//! Every bound on what one input may cost, in one place.
//!
//! The analyzer reads files nobody on the team wrote, some of them broken and some hostile. Each
//! parser and step keeps its memory and time proportional to its input; where an input could ask
//! for more than that (a workbook that declares a billion cells, a zip that inflates a
//! thousandfold, one word of 100,000 letters, an incident with thousands of victims and
//! offenders), the step stops at one of these limits and says so, naming the file and the limit.
//! `docs/limits.md` lists them for analysts.

/// Words longer than this are not spell-corrected by the text classifier (no relation word is
/// near this long; the correction looks at every one-letter deletion of a word, so its cost
/// grows with the square of the word's length).
pub const MAX_CORRECTED_WORD_BYTES: usize = 32;

/// Inflated bytes of all the parts of one workbook (XLSX, ODS) together. A workbook over it is
/// refused with a message naming the file: it is either a zip bomb or bigger than a browser tab
/// can hold (export the sheet as CSV instead).
pub const MAX_WORKBOOK_INFLATED_BYTES: u64 = 1 << 30;

/// Parts (files) inside one workbook's zip container.
pub const MAX_WORKBOOK_PARTS: usize = 10_000;

/// Cells one workbook may hold once laid out as a table (rows that hold data × the sheet's
/// width), over all its sheets.
pub const MAX_WORKBOOK_CELLS: u64 = 50_000_000;

/// Victim–offender pairs made from one incident of a flat export with one row per person (each
/// victim with each offender). An incident over it keeps its first pairs only, with a warning
/// that names it.
pub const MAX_PAIRS_PER_INCIDENT: usize = 400;

/// Problems (diagnostics) kept per file. Every problem is kept for the download and for
/// `--diagnostics` (the page lists the first few); past this many in one file, which only a file
/// that is wrong from top to bottom reaches, the rest are counted in one last line, so that the
/// list cannot outgrow a browser tab (each problem takes a few hundred bytes). The rejected-row
/// count and the rejected-rows download include every rejected row whatever this limit.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 1_000_000;

/// Headers longer than this (in bytes, once normalized) are not searched for a usual name
/// inside them: no export names a column with a paragraph, and the search looks for each of
/// several hundred names in the header, so one header of 50 MB (a file of one line) cost
/// minutes. Such a column is still read, and mapped by its values or by hand.
pub const MAX_HEADER_SEARCHED_BYTES: usize = 256;
