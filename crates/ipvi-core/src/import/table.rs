//! Tables read from CSV text: a quoted-field parser that takes the file in chunks
//! ([`CsvStream`]), and the compact [`Table`] it fills.
//!
//! A table keeps all its cells in one byte buffer with their end offsets (no allocation per
//! cell or row), the physical line of each row, and what went wrong while reading: ragged rows
//! (reported; short rows are padded, rows with extra non-empty cells are rejected and kept as
//! [`RejectedRow`]s), quotes left open, title lines skipped above the header.
//!
//! The browser reads a big file as `File.slice()` chunks and pushes them one by one
//! ([`CsvStream::push`]), showing [`CsvStream::progress`]; the raw file is never held whole.

use super::sniff::{self, TextEncoding, SNIFF_BYTES};
use super::RejectedRow;
use crate::diag::{Diagnostic, Severity};
use crate::input::ImportError;

/// The largest file the browser app reads (1,024 MB): beyond it the app stops and shows
/// [`too_big_message`]. A wasm32 module addresses at most 4 GB, and a flat export takes about
/// three and a half times its size while it is imported and audited (a generated 1,000 MB flat
/// export with one row per person, 10.3 million rows, peaked at 3,471 MB of wasm memory in
/// headless Chromium; see docs/benchmarks.md); the `ipvi` command has no such limit.
pub const MAX_BROWSER_BYTES: u64 = 1024 * 1024 * 1024;

/// The message the app shows for a file over [`MAX_BROWSER_BYTES`].
pub fn too_big_message(file: &str, bytes: u64) -> String {
    format!(
        "{file} is {:.0} MB, more than the {:.0} MB a browser tab can hold. Run the same analysis on this \
         computer with the ipvi command: `ipvi audit {file} --json audit.json` (nothing leaves the computer \
         either way)",
        bytes as f64 / 1_048_576.0,
        MAX_BROWSER_BYTES as f64 / 1_048_576.0
    )
}

/// Diagnostics kept per file; beyond this, problems are counted in one last line.
pub use crate::limits::MAX_DIAGNOSTICS_PER_FILE;

/// One table: a CSV file or one sheet of a workbook.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// The file's name as the user chose it.
    pub file: String,
    /// The sheet's name, for workbooks.
    pub sheet: Option<String>,
    /// The header row's cells, trimmed.
    pub headers: Vec<String>,
    /// The 1-based line (or sheet row) of the header.
    pub header_line: u64,
    /// The encoding the text was read in (`None` for workbooks).
    pub encoding: Option<TextEncoding>,
    /// The field separator (`None` for workbooks).
    pub delimiter: Option<u8>,
    /// The size of the file in bytes.
    pub bytes: u64,
    /// Problems found while reading (ragged rows, open quotes, title lines skipped).
    pub diagnostics: Vec<Diagnostic>,
    /// Rows that could not be read as a row of this table, kept for download.
    pub rejected: Vec<RejectedRow>,
    /// Data rows seen (used or rejected while reading).
    pub rows_read: u64,
    /// The rows in blocks of [`BLOCK_ROWS`]: a block whose rows were imported can be freed
    /// ([`Table::free_rows_before`]) while the rest is still read, so a big export's decoded
    /// cells and the records made from them are not held whole at once.
    blocks: Vec<Block>,
    /// Data rows kept (freed ones included).
    rows: usize,
    /// The text bytes a row is expected to take (0: unknown), and the bytes of the file not yet
    /// stored: a new block makes room for its rows at once, up to what is left.
    bytes_per_row: usize,
    bytes_left: usize,
    /// The data rows the whole file is expected to hold, from its size and its first rows (0:
    /// unknown): what a streamed import makes room for before the rows arrive.
    expected_rows: usize,
    suppressed: usize,
}

/// Rows of a [`Block`] (65,536): about 6.5 MB of text for rows of 100 bytes; a row's block is
/// its number divided by this, with no search.
pub const BLOCK_ROWS: usize = 1 << 16;

/// The rows of a table that choosing its profile looks at (the mapping proposal reads the first
/// 500 values of each column; the import the first 200 for a column's date form): the first
/// pass of a streamed import keeps only these ([`super::sample_file`]).
pub const SAMPLE_ROWS: usize = 500;

/// Rows moved from a table as it is parsed to the import's copy of it
/// ([`Table::take_new_rows`], [`Table::append_moved`]): each block's rows, with its number.
pub(crate) type MovedRows = Vec<(usize, Block)>;

/// [`BLOCK_ROWS`] rows of a table.
#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    /// Every cell, trimmed, one after the other (valid UTF-8 by construction).
    text: String,
    /// Where each row's text starts in `text`.
    starts: Vec<usize>,
    /// Where each cell ends, counted from the start of its row: 4 bytes a cell instead of 8 (a
    /// 500 MB export of 11 columns has 56 million cells). A row is far shorter than 4 GiB.
    ends: Vec<u32>,
    lines: Vec<u64>,
}

impl Block {
    /// A cell's text as [`Table::cell`] gives it: trimmed, and empty when it is not UTF-8 (the
    /// table is read many times per cell, so this is done once here).
    #[inline]
    fn push_cell(&mut self, c: &[u8]) {
        // ASCII text without surrounding spaces needs no work beyond the UTF-8 check.
        let plain = match (c.first(), c.last()) {
            (Some(a), Some(z)) => *a > b' ' && *a < 0x80 && *z > b' ' && *z < 0x80,
            _ => true,
        };
        if let Ok(t) = std::str::from_utf8(c) {
            self.text.push_str(if plain { t } else { t.trim() });
        }
    }

    /// The end of the cell just pushed, from the start of its row at `base`.
    #[inline]
    fn push_end(&mut self, base: usize) {
        self.ends
            .push(u32::try_from(self.text.len() - base).unwrap_or(u32::MAX));
    }
}

impl Table {
    /// An empty table with these headers (for building tables in code and tests).
    pub fn new(file: &str, sheet: Option<&str>, headers: Vec<String>) -> Table {
        Table {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            headers,
            header_line: 1,
            ..Default::default()
        }
    }

    /// The name to show: `file` or `file [sheet]`.
    pub fn label(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{} [{s}]", self.file),
            None => self.file.clone(),
        }
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.headers.len()
    }

    /// Number of data rows kept.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// No data rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// A row's block and its position in it.
    #[inline]
    fn at(&self, row: usize) -> Option<(&Block, usize)> {
        self.blocks.get(row / BLOCK_ROWS).map(|b| (b, row % BLOCK_ROWS))
    }

    /// The physical line of a row (0 for a row freed or out of range).
    pub fn line(&self, row: usize) -> u64 {
        self.at(row).and_then(|(b, r)| b.lines.get(r).copied()).unwrap_or(0)
    }

    /// The trimmed text of a cell ("" out of range, or freed).
    pub fn cell(&self, row: usize, col: usize) -> &str {
        let w = self.width();
        if col >= w {
            return "";
        }
        let Some((b, r)) = self.at(row) else {
            return "";
        };
        let Some(&base) = b.starts.get(r) else {
            return "";
        };
        let i = r * w + col;
        let end = match b.ends.get(i) {
            Some(e) => *e as usize,
            None => return "",
        };
        let start = match col {
            0 => 0,
            _ => b.ends.get(i - 1).map_or(0, |&e| e as usize),
        };
        // Stored trimmed and checked by `push_cell`.
        b.text.get(base + start..base + end).unwrap_or("")
    }

    /// Every cell of a row, trimmed.
    pub fn row(&self, row: usize) -> Vec<&str> {
        (0..self.width()).map(|c| self.cell(row, c)).collect()
    }

    /// A diagnostic, counted against the per-file cap.
    pub fn push_diag(&mut self, d: Diagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS_PER_FILE {
            self.diagnostics.push(d);
        } else {
            self.suppressed += 1;
        }
    }

    /// Free the cells, keeping the headers, counts and problems: for a table whose rows were
    /// imported (the rows read stay counted in [`Table::rows_read`]; [`Table::len`] becomes 0).
    pub fn free_cells(&mut self) {
        self.blocks = Vec::new();
        self.rows = 0;
    }

    /// Free the blocks of rows that all come before `row` (rows already imported): their cells
    /// read as empty from then on; [`Table::len`] stays.
    pub fn free_rows_before(&mut self, row: usize) {
        for b in self.blocks.iter_mut().take(row / BLOCK_ROWS) {
            *b = Block::default();
        }
    }

    /// The block the next row goes into (counted), made when the last one is full, with room
    /// for its rows when the size of the file is known.
    fn open_row(&mut self) -> Option<&mut Block> {
        if self.rows.is_multiple_of(BLOCK_ROWS) {
            // The full block gives back the room its rows did not take (the size of a row is
            // a guess from the first rows).
            if let Some(full) = self.blocks.last_mut() {
                full.text.shrink_to_fit();
                full.ends.shrink_to_fit();
            }
            let mut b = Block::default();
            if self.bytes_per_row > 0 && self.bytes_left > 0 {
                let bytes = self.bytes_left.min(self.bytes_per_row.saturating_mul(BLOCK_ROWS));
                self.bytes_left -= bytes;
                let rows = (bytes / self.bytes_per_row + 16).min(BLOCK_ROWS);
                b.text.reserve(bytes);
                b.ends.reserve(rows.saturating_mul(self.headers.len()));
                b.starts.reserve(rows);
                b.lines.reserve(rows);
            }
            self.blocks.push(b);
        }
        self.rows += 1;
        self.blocks.last_mut()
    }

    /// The table without its rows: the import's copy of a table that another thread parses
    /// ([`super::ParseAhead`]), which gets the rows through [`Table::append_moved`]. Every
    /// field is listed, so that a new one is thought about here.
    pub(crate) fn without_rows(&self) -> Table {
        Table {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            headers: self.headers.clone(),
            header_line: self.header_line,
            encoding: self.encoding,
            delimiter: self.delimiter,
            bytes: self.bytes,
            diagnostics: self.diagnostics.clone(),
            rejected: self.rejected.clone(),
            rows_read: self.rows_read,
            blocks: Vec::new(),
            rows: 0,
            bytes_per_row: self.bytes_per_row,
            bytes_left: self.bytes_left,
            expected_rows: self.expected_rows,
            suppressed: self.suppressed,
        }
    }

    /// Move out the rows added since the last move, each with the number of its block: a full
    /// block whole, the rows of the last one (still filling) copied, then cleared from it with
    /// its room kept. `from`: the first block that may hold rows not yet moved (0 at first;
    /// updated). The table's own cells read wrong from then on, so this is only for the parsing
    /// side of a table whose rows are read from its copy ([`Table::append_moved`]); rows are
    /// still added after the rows moved, in the right blocks (by [`Table::len`]).
    pub(crate) fn take_new_rows(&mut self, from: &mut usize) -> MovedRows {
        let mut out = Vec::new();
        let last = self.blocks.len().saturating_sub(1);
        // The last block is full: nothing more goes into it, move it whole too.
        let last_full = self.rows.is_multiple_of(BLOCK_ROWS);
        for (i, b) in self.blocks.iter_mut().enumerate().skip(*from) {
            if b.starts.is_empty() {
                continue;
            }
            if i < last || last_full {
                out.push((i, std::mem::take(b)));
            } else {
                out.push((i, b.clone()));
                b.text.clear();
                b.starts.clear();
                b.ends.clear();
                b.lines.clear();
            }
        }
        *from = last;
        out
    }

    /// Add the rows that [`Table::take_new_rows`] moved out of the parsed table, in the order
    /// they were moved: the copy then holds the same rows, in the same blocks, as the parsed
    /// table would have.
    pub(crate) fn append_moved(&mut self, rows: MovedRows) {
        for (i, b) in rows {
            let n = b.starts.len();
            while self.blocks.len() <= i {
                self.blocks.push(Block::default());
            }
            let Some(to) = self.blocks.get_mut(i) else { continue };
            if to.starts.is_empty() {
                *to = b;
            } else {
                let base = to.text.len();
                to.text.push_str(&b.text);
                to.starts.extend(b.starts.iter().map(|s| s + base));
                to.ends.extend_from_slice(&b.ends);
                to.lines.extend_from_slice(&b.lines);
            }
            self.rows += n;
        }
    }

    /// The finished table of a file whose rows were moved to `copy` as they were parsed: its
    /// counts and problems, with the copy's rows (those the import has not freed yet).
    pub(crate) fn with_rows_of(mut self, copy: Table) -> Table {
        debug_assert_eq!(self.rows, copy.rows, "every row parsed was moved");
        self.blocks = copy.blocks;
        self.rows = copy.rows;
        self
    }

    /// Problems beyond the cap, not listed.
    pub fn suppressed(&self) -> usize {
        self.suppressed
    }

    /// Add a data row of exactly `width` cells (shorter rows are padded, longer cut).
    pub fn push_row<S: AsRef<[u8]>>(&mut self, line: u64, cells: &[S]) {
        let w = self.width();
        let Some(b) = self.open_row() else { return };
        let base = b.text.len();
        b.starts.push(base);
        for i in 0..w {
            if let Some(c) = cells.get(i) {
                b.push_cell(c.as_ref());
            }
            b.push_end(base);
        }
        b.lines.push(line);
    }

    /// A record from the parser: the fast path of [`Table::push_record`] for rows of the
    /// header's width (no allocation); other rows take the checked path.
    fn push_parsed(&mut self, r: &Record<'_>) {
        if r.len() != self.width() {
            self.push_record(r.line, &r.cells());
            return;
        }
        self.rows_read += 1;
        let Some(b) = self.open_row() else { return };
        let base = b.text.len();
        b.starts.push(base);
        let mut start = 0;
        for &e in r.ends {
            b.push_cell(r.buf.get(start..e).unwrap_or(&[]));
            b.push_end(base);
            start = e;
        }
        b.lines.push(r.line);
    }

    /// Make room for about `bytes` of the file's text (its size is known) at `bytes_per_row`:
    /// each block grows once instead of doubling, copying and touching new memory at each step.
    fn reserve_for(&mut self, bytes: usize, bytes_per_row: usize) {
        self.bytes_per_row = bytes_per_row.max(1);
        self.bytes_left = bytes;
        self.expected_rows = bytes / self.bytes_per_row;
    }

    /// The data rows the whole file is expected to hold (from its size and its first rows; at
    /// least the rows kept so far).
    pub fn expected_rows(&self) -> usize {
        self.expected_rows.max(self.rows)
    }

    /// Keep only the first `rows` data rows (a sample of the file for the profile choice).
    pub fn truncate(&mut self, rows: usize) {
        if rows >= self.rows {
            return;
        }
        let w = self.width();
        self.blocks.truncate(rows.div_ceil(BLOCK_ROWS));
        let full = self.blocks.len().saturating_sub(1) * BLOCK_ROWS;
        if let Some(b) = self.blocks.last_mut() {
            let keep = rows - full;
            let end = b.starts.get(keep).copied().unwrap_or(b.text.len());
            b.text.truncate(end);
            b.text.shrink_to_fit();
            b.starts.truncate(keep);
            b.starts.shrink_to_fit();
            b.ends.truncate(keep * w);
            b.ends.shrink_to_fit();
            b.lines.truncate(keep);
            b.lines.shrink_to_fit();
        }
        self.rows = rows;
    }

    /// The bytes of a row's cells as stored (trimmed, concatenated) and the cells' ends from
    /// the start of the row: two rows with the same cells have the same bytes and the same ends.
    pub(crate) fn row_bytes(&self, row: usize) -> (&[u8], &[u32]) {
        let w = self.width();
        let Some((b, r)) = self.at(row) else {
            return (&[], &[]);
        };
        let (first, last) = (r * w, (r + 1) * w);
        let (Some(&base), Some(ends)) = (b.starts.get(r), b.ends.get(first..last)) else {
            return (&[], &[]);
        };
        let end = ends.last().map_or(0, |&e| e as usize);
        (b.text.as_bytes().get(base..base + end).unwrap_or(&[]), ends)
    }

    /// Take a record read at `line` (1-based) of the file: check its width against the header,
    /// keep or reject it.
    pub fn push_record(&mut self, line: u64, cells: &[&[u8]]) {
        self.rows_read += 1;
        let w = self.width();
        if cells.len() > w {
            let extra = cells[w..].iter().find(|c| !c.iter().all(u8::is_ascii_whitespace));
            if let Some(x) = extra {
                let value = String::from_utf8_lossy(x).into_owned();
                let reason = format!(
                    "the row has {} values but the header has {w}: a value probably holds an unquoted separator. \
                     The row was rejected; fix it in the file or export the file again with quoted values",
                    cells.len()
                );
                self.push_diag(Diagnostic::cell(
                    Severity::Error,
                    &self.label(),
                    line,
                    "(beyond the last column)",
                    &value,
                    reason.clone(),
                ));
                self.rejected.push(RejectedRow {
                    file: self.label(),
                    row: line,
                    cells: cells.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect(),
                    reason,
                });
                return;
            }
        } else if cells.len() < w {
            let last = cells.len().saturating_sub(1);
            let col = self.headers.get(last).cloned().unwrap_or_default();
            let value = cells
                .get(last)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .unwrap_or_default();
            self.push_diag(Diagnostic::cell(
                Severity::Warning,
                &self.label(),
                line,
                &col,
                &value,
                format!(
                    "the row has {} values but the header has {w}: the missing values at the end were left empty. \
                     If the row was cut short, fix it in the file",
                    cells.len()
                ),
            ));
        }
        self.push_row(line, cells);
    }
}

// ---------------------------------------------------------------------------------------------
// The parser

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    Start,
    /// Inside an unquoted field.
    Field,
    /// Inside a quoted field.
    Quoted,
    /// After a quote inside a quoted field (a closing quote or the first of a doubled one).
    QuoteInQuoted,
    /// After a carriage return that ended a record (a line feed may follow).
    AfterCr,
}

/// A quoted-field CSV parser over UTF-8 text fed in chunks. Separators, quotes and line ends
/// are ASCII, so chunks may split a character anywhere.
#[derive(Debug)]
struct Parser {
    delimiter: u8,
    state: State,
    buf: Vec<u8>,
    ends: Vec<usize>,
    /// Line breaks seen so far.
    line: u64,
    /// The line the current record started on.
    record_line: u64,
    /// A stray character followed a closing quote in this record.
    stray_quote: bool,
    /// The line where the open quoted field started.
    quote_line: u64,
}

/// A complete record from the parser: its fields are `buf[ends[i-1]..ends[i]]` (no allocation
/// per record).
struct Record<'p> {
    line: u64,
    buf: &'p [u8],
    ends: &'p [usize],
    stray_quote: bool,
}

impl<'p> Record<'p> {
    /// The number of fields.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The fields as slices.
    fn cells(&self) -> Vec<&'p [u8]> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&e| {
                let c = self.buf.get(start..e).unwrap_or(&[]);
                start = e;
                c
            })
            .collect()
    }
}

impl Parser {
    fn new(delimiter: u8) -> Parser {
        Parser {
            delimiter,
            state: State::Start,
            buf: Vec::with_capacity(256),
            ends: Vec::with_capacity(32),
            line: 0,
            record_line: 1,
            stray_quote: false,
            quote_line: 0,
        }
    }

    fn end_field(&mut self) {
        self.ends.push(self.buf.len());
    }

    /// Feed text; `emit` gets every complete record.
    fn feed(&mut self, data: &[u8], emit: &mut dyn FnMut(Record<'_>)) {
        let d = self.delimiter;
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            i += 1;
            match self.state {
                State::AfterCr if b == b'\n' => {
                    self.line += 1;
                    self.record_line = self.line + 1;
                    self.state = State::Start;
                    continue;
                }
                State::AfterCr => {
                    self.state = State::Start;
                    i -= 1;
                    continue;
                }
                State::Start | State::Field => {
                    if b == d {
                        self.end_field();
                        self.state = State::Start;
                    } else if b == b'\n' || b == b'\r' {
                        self.end_field();
                        self.flush(emit);
                        if b == b'\n' {
                            self.line += 1;
                            self.record_line = self.line + 1;
                            // A new record: its first value may open a quote.
                            self.state = State::Start;
                        } else {
                            self.state = State::AfterCr;
                            // The record after a lone CR starts on the same counted line.
                            self.record_line = self.line + 1;
                        }
                    } else if b == b'"' && self.state == State::Start {
                        self.state = State::Quoted;
                        self.quote_line = self.line + 1;
                    } else {
                        // Copy the run of ordinary bytes at once.
                        let start = i - 1;
                        let mut j = i;
                        while j < data.len() && !matches!(data[j], b'\n' | b'\r') && data[j] != d {
                            j += 1;
                        }
                        self.buf.extend_from_slice(&data[start..j]);
                        i = j;
                        self.state = State::Field;
                    }
                }
                State::Quoted => {
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else {
                        let start = i - 1;
                        let mut j = i;
                        while j < data.len() && data[j] != b'"' {
                            j += 1;
                        }
                        let run = &data[start..j];
                        self.line += run.iter().filter(|c| **c == b'\n').count() as u64;
                        self.buf.extend_from_slice(run);
                        i = j;
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        self.buf.push(b'"');
                        self.state = State::Quoted;
                    } else if b == d {
                        self.end_field();
                        self.state = State::Start;
                    } else if b == b'\n' || b == b'\r' {
                        self.state = State::Start;
                        i -= 1;
                    } else {
                        self.stray_quote = true;
                        self.buf.push(b);
                        self.state = State::Field;
                    }
                }
            }
        }
    }

    fn flush(&mut self, emit: &mut dyn FnMut(Record<'_>)) {
        let blank = self.ends.len() == 1 && self.buf.iter().all(u8::is_ascii_whitespace);
        if !blank {
            emit(Record {
                line: self.record_line,
                buf: &self.buf,
                ends: &self.ends,
                stray_quote: self.stray_quote,
            });
        }
        self.buf.clear();
        self.ends.clear();
        self.stray_quote = false;
    }

    /// End of input: the last record. When a quote was left open, the record it swallowed is not
    /// emitted: it comes back as an [`OpenQuote`] to be rejected line by line.
    fn finish(&mut self, emit: &mut dyn FnMut(Record<'_>)) -> Option<OpenQuote> {
        if self.state == State::Quoted {
            self.end_field();
            // The row's values as they stood in the file, joined again by the separator: the
            // text from the row's start to the end of the file.
            let mut text = Vec::with_capacity(self.buf.len() + self.ends.len());
            let mut start = 0;
            for (i, &e) in self.ends.iter().enumerate() {
                if i > 0 {
                    text.push(self.delimiter);
                }
                text.extend_from_slice(self.buf.get(start..e).unwrap_or(&[]));
                start = e;
            }
            let open = OpenQuote {
                quote_line: self.quote_line,
                record_line: self.record_line,
                text,
            };
            self.buf.clear();
            self.ends.clear();
            self.state = State::Start;
            return Some(open);
        }
        if !(self.state == State::Start && self.ends.is_empty() && self.buf.is_empty()) && self.state != State::AfterCr
        {
            self.end_field();
            self.flush(emit);
        }
        self.state = State::Start;
        None
    }
}

/// A quote opened and never closed: everything from its row to the end of the file.
struct OpenQuote {
    /// The line where the quote opened.
    quote_line: u64,
    /// The line where its row starts.
    record_line: u64,
    /// The row's text to the end of the file (the values joined by the separator).
    text: Vec<u8>,
}

// ---------------------------------------------------------------------------------------------
// The stream

/// Records read before the header row is known.
const HEADER_SEARCH_RECORDS: usize = 30;

/// The most bytes decoded and parsed at once (a whole file pushed at once is read as the
/// browser reads it, in 1 MB slices).
const PIECE_BYTES: usize = 1 << 20;

/// A CSV file read in chunks: `push` each chunk as it comes (any size, any boundary), then
/// `finish`. Encoding and separator are guessed from the first 64 KB.
#[derive(Debug)]
pub struct CsvStream {
    name: String,
    total: Option<u64>,
    bytes_in: u64,
    /// The first bytes, held until the encoding is known.
    head: Vec<u8>,
    decoder: Option<encoding_rs::Decoder>,
    encoding: Option<TextEncoding>,
    decoded: String,
    replaced: bool,
    parser: Option<Parser>,
    /// Records before the header is found.
    early: Vec<(u64, Vec<Vec<u8>>)>,
    table: Option<Table>,
    notes: Vec<Diagnostic>,
    stray_quotes: u64,
    limit: Option<u64>,
    binary: bool,
}

impl CsvStream {
    /// A stream for a file; `total_bytes` (when known) gives the progress fraction.
    pub fn new(name: &str, total_bytes: Option<u64>) -> CsvStream {
        CsvStream {
            name: name.to_string(),
            total: total_bytes,
            bytes_in: 0,
            head: Vec::new(),
            decoder: None,
            encoding: None,
            decoded: String::new(),
            replaced: false,
            parser: None,
            early: Vec::new(),
            table: None,
            notes: Vec::new(),
            stray_quotes: 0,
            limit: None,
            binary: false,
        }
    }

    /// Stop with [`ImportError::TooBig`] once more than `bytes` were pushed (the browser app
    /// passes [`MAX_BROWSER_BYTES`]).
    pub fn with_limit(mut self, bytes: u64) -> CsvStream {
        self.limit = Some(bytes);
        self
    }

    /// Bytes pushed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_in
    }

    /// 0.0 to 1.0 when the total size is known.
    pub fn progress(&self) -> Option<f32> {
        self.total
            .map(|t| (self.bytes_in as f64 / t.max(1) as f64).clamp(0.0, 1.0) as f32)
    }

    /// Data rows kept so far.
    pub fn rows(&self) -> usize {
        self.table.as_ref().map(Table::len).unwrap_or(0)
    }

    /// The table as far as it is read, once its header row is found: rows are only ever added
    /// at its end, so a caller may import the rows read so far and free their blocks
    /// ([`Table::free_rows_before`]) while the rest of the file is still to come.
    pub fn table_mut(&mut self) -> Option<&mut Table> {
        self.table.as_mut()
    }

    /// The text read so far is not text (the file holds binary data): [`CsvStream::finish`]
    /// will say so, and reading more is of no use.
    pub fn is_binary(&self) -> bool {
        self.binary
    }

    /// The table's header and its first `rows` data rows, when the header row was found: for
    /// a file read only in part (its sample). Problems found while reading are not kept.
    pub fn into_sample(mut self, rows: usize) -> Option<Table> {
        let mut t = self.table.take()?;
        t.truncate(rows);
        t.diagnostics.clear();
        t.rejected.clear();
        t.bytes = self.total.unwrap_or(self.bytes_in);
        Some(t)
    }

    /// Feed the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ImportError> {
        self.bytes_in += chunk.len() as u64;
        if let Some(l) = self.limit {
            if self.bytes_in > l {
                return Err(ImportError::TooBig(too_big_message(
                    &self.name,
                    self.total.unwrap_or(self.bytes_in),
                )));
            }
        }
        if self.binary {
            return Ok(());
        }
        if self.decoder.is_none() {
            if self.head.is_empty() && chunk.len() >= SNIFF_BYTES {
                // A big first chunk (a whole file): sniffed where it is, not copied.
                let skip = self.start(chunk, false);
                self.decode_pieces(&chunk[skip..]);
                return Ok(());
            }
            self.head.extend_from_slice(chunk);
            if self.head.len() < SNIFF_BYTES {
                return Ok(());
            }
            let head = std::mem::take(&mut self.head);
            let skip = self.start(&head, false);
            self.decode_pieces(&head[skip..]);
            return Ok(());
        }
        self.decode_pieces(chunk);
        Ok(())
    }

    /// Decode and parse in pieces of at most [`PIECE_BYTES`]: the records before the header is
    /// found are few, and the decoded text stays small, whatever the size of the chunk pushed.
    fn decode_pieces(&mut self, bytes: &[u8]) {
        for piece in bytes.chunks(PIECE_BYTES) {
            if self.binary {
                return;
            }
            self.decode(piece, false);
        }
    }

    /// Choose the decoder; the bytes of the head to skip (a UTF-8 mark in front of
    /// Windows-1252 text; other marks are removed by the decoder itself).
    fn start(&mut self, head: &[u8], complete: bool) -> usize {
        let (enc, bom) = sniff::sniff_encoding(head, complete);
        if let Some(d) = sniff::encoding_note(&self.name, enc, head) {
            self.notes.push(d);
        }
        self.encoding = Some(enc);
        // encoding_rs removes a byte-order mark of the chosen encoding itself.
        self.decoder = Some(enc.encoding().new_decoder_with_bom_removal());
        if enc == TextEncoding::Windows1252 {
            bom.min(head.len())
        } else {
            0
        }
    }

    fn decode(&mut self, bytes: &[u8], last: bool) {
        let Some(dec) = self.decoder.as_mut() else {
            return;
        };
        self.decoded.clear();
        let need = dec.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
        self.decoded.reserve(need);
        let (_, _, replaced) = dec.decode_to_string(bytes, &mut self.decoded, last);
        if replaced && !self.replaced {
            self.replaced = true;
            self.notes.push(Diagnostic::file(
                Severity::Warning,
                &self.name,
                format!(
                    "some bytes are not valid {}; they were replaced by \u{fffd}. Check names and labels; save the \
                     file as UTF-8 to silence this warning",
                    self.encoding.map(TextEncoding::label).unwrap_or("text")
                ),
            ));
        }
        let text = std::mem::take(&mut self.decoded);
        if self.parser.is_none() {
            if sniff::looks_binary(text.as_bytes()) {
                self.binary = true;
                return;
            }
            let d = sniff::sniff_delimiter(text.as_bytes());
            if d != b',' {
                self.notes.push(Diagnostic::file(
                    Severity::Info,
                    &self.name,
                    format!(
                        "the values are separated by {} instead of commas; the file was read that way",
                        sniff::delimiter_name(d)
                    ),
                ));
            }
            self.parser = Some(Parser::new(d));
        }
        self.parse(text.as_bytes(), false);
        self.decoded = text;
    }

    /// The rows a never-closed quote swallowed, rejected one line at a time (each with its line
    /// number and its cells as split by the separator, for download), with one error naming
    /// the line where the quote opened and how many lines it took. Rows in = used + rejected.
    fn reject_open_quote(&mut self, open: OpenQuote, delimiter: u8) {
        if self.table.is_none() {
            let early = std::mem::take(&mut self.early);
            if early.is_empty() {
                // The quote opened in the header itself: there is no table to count rows in.
                self.notes.push(Diagnostic {
                    severity: Severity::Error,
                    file: self.name.clone(),
                    row: Some(open.quote_line),
                    column: None,
                    value: None,
                    message: "a quote opened in the header row is never closed: the whole file was read as one \
                              value. Fix the quote in the file or export it again"
                        .into(),
                });
                return;
            }
            self.table = Some(make_table(
                &self.name,
                self.encoding,
                Some(delimiter),
                self.total,
                early,
            ));
        }
        let Some(t) = self.table.as_mut() else { return };
        let label = t.label();
        let text = String::from_utf8_lossy(&open.text);
        let (mut lines, mut last_line) = (0u64, open.record_line);
        for (i, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            lines += 1;
            last_line = open.record_line + i as u64;
            t.rows_read += 1;
            t.rejected.push(RejectedRow {
                file: label.clone(),
                row: open.record_line + i as u64,
                cells: line.split(char::from(delimiter)).map(str::to_string).collect(),
                reason: format!(
                    "inside a quote opened on line {} and never closed: the row was rejected",
                    open.quote_line
                ),
            });
        }
        self.notes.push(Diagnostic {
            severity: Severity::Error,
            file: self.name.clone(),
            row: Some(open.quote_line),
            column: None,
            value: None,
            message: format!(
                "a quote opened on this line is never closed: it took the {lines} row(s) from line {} to line \
                 {last_line} (the end of the file) as one value, so they were rejected (download them with the \
                 rejected rows). Fix the quote in the file or export it again",
                open.record_line
            ),
        });
    }

    fn parse(&mut self, text: &[u8], last: bool) {
        let Some(mut parser) = self.parser.take() else {
            return;
        };
        let mut stray = 0u64;
        let table = &mut self.table;
        let early = &mut self.early;
        let (name, encoding, total, delimiter) = (&self.name, self.encoding, self.total, parser.delimiter);
        let mut emit = |r: Record<'_>| {
            stray += u64::from(r.stray_quote);
            match table.as_mut() {
                Some(t) => t.push_parsed(&r),
                None => {
                    early.push((r.line, r.cells().iter().map(|c| c.to_vec()).collect()));
                    // The header is looked for among the first records; the rest go straight
                    // to the table.
                    if early.len() >= HEADER_SEARCH_RECORDS {
                        *table = Some(make_table(
                            name,
                            encoding,
                            Some(delimiter),
                            total,
                            std::mem::take(early),
                        ));
                    }
                }
            }
        };
        parser.feed(text, &mut emit);
        let open = if last { parser.finish(&mut emit) } else { None };
        self.stray_quotes += stray;
        let delimiter = parser.delimiter;
        self.parser = Some(parser);
        if let Some(open) = open {
            self.reject_open_quote(open, delimiter);
        }
        if self.table.is_none() && (self.early.len() >= HEADER_SEARCH_RECORDS || last) {
            let early = std::mem::take(&mut self.early);
            self.table = Some(make_table(
                &self.name,
                self.encoding,
                self.parser.as_ref().map(|p| p.delimiter),
                self.total,
                early,
            ));
        }
    }
}

/// Name empty or repeated headers so every column can be mapped: an empty one becomes
/// "column N", a repeat (ignoring case) "NAME (N)". Linear in the header's width (a set of the
/// names so far), so a header of a million columns costs no more than its bytes.
pub fn name_columns(headers: &mut [String]) {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::with_capacity(headers.len());
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = format!("column {}", i + 1);
        }
        if !seen.insert(h.to_lowercase()) {
            *h = format!("{h} ({})", i + 1);
            seen.insert(h.to_lowercase());
        }
    }
}

/// The table of a file from its first records: the header row found among them, the rows after
/// it added, room made for the rest of the file (`total` bytes).
fn make_table(
    name: &str,
    encoding: Option<TextEncoding>,
    delimiter: Option<u8>,
    total: Option<u64>,
    early: Vec<(u64, Vec<Vec<u8>>)>,
) -> Table {
    let texts: Vec<Vec<String>> = early
        .iter()
        .map(|(_, cells)| cells.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect())
        .collect();
    let h = sniff::detect_header(&texts);
    let mut t = Table::new(name, None, Vec::new());
    t.encoding = encoding;
    t.delimiter = delimiter;
    if let Some((line, _)) = early.get(h) {
        t.header_line = *line;
        t.headers = texts[h]
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        name_columns(&mut t.headers);
        if h > 0 {
            t.diagnostics.push(Diagnostic::file(
                Severity::Info,
                name,
                format!("the header row is line {line}: the {h} line(s) above it (titles or notes) were skipped"),
            ));
        }
    }
    // Room for the whole file at the bytes per row seen so far (bounded, so that a wrong
    // size given by the caller costs little).
    if let Some(total) = total {
        let seen: usize = early
            .iter()
            .map(|(_, c)| c.iter().map(|x| x.len() + 1).sum::<usize>())
            .sum();
        let total = usize::try_from(total).unwrap_or(usize::MAX).min(1 << 31);
        t.reserve_for(total, seen.div_ceil(early.len().max(1)));
    }
    for (line, cells) in early.iter().skip(h + 1) {
        let refs: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
        t.push_record(*line, &refs);
    }
    t
}

impl CsvStream {
    /// End of the file: the table, or why the file is not a table.
    pub fn finish(mut self) -> Result<Table, ImportError> {
        if self.decoder.is_none() {
            let head = std::mem::take(&mut self.head);
            if head.is_empty() {
                return Err(ImportError::Unusable(format!(
                    "{} is empty: it holds no header row and no data. Export or download the file again",
                    self.name
                )));
            }
            let skip = self.start(&head, true);
            self.decode(&head[skip..], true);
        } else {
            self.decode(&[], true);
        }
        if self.binary {
            return Err(ImportError::Unusable(format!(
                "{} is not a CSV or Excel file (it holds binary data). Choose the CSV or XLSX export itself",
                self.name
            )));
        }
        // `decode(.., true)` parses with `last = false`; close the parser here.
        self.parse(&[], true);
        let mut t = match self.table.take() {
            Some(t) => t,
            None => Table::new(&self.name, None, Vec::new()),
        };
        t.bytes = self.bytes_in;
        // The room made for the last block is a guess: give back what was not used.
        if let Some(b) = t.blocks.last_mut() {
            b.text.shrink_to_fit();
            b.ends.shrink_to_fit();
            b.starts.shrink_to_fit();
            b.lines.shrink_to_fit();
        }
        if t.headers.is_empty() {
            return Err(ImportError::Unusable(format!(
                "{} is empty: it holds no header row and no data. Export or download the file again",
                self.name
            )));
        }
        if self.stray_quotes > 0 {
            t.diagnostics.push(Diagnostic::file(
                Severity::Warning,
                &self.name,
                format!(
                    "{} row(s) have text right after a closing quote (\"abc\"def); it was kept in the value. \
                     Check the quoting of the export",
                    self.stray_quotes
                ),
            ));
        }
        let mut notes = self.notes;
        notes.append(&mut t.diagnostics);
        t.diagnostics = notes;
        Ok(t)
    }
}

/// Read a whole CSV file held in memory (the same path as [`CsvStream`]).
pub fn read_csv(name: &str, bytes: &[u8]) -> Result<Table, ImportError> {
    let mut s = CsvStream::new(name, Some(bytes.len() as u64));
    s.push(bytes)?;
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: after a row whose last value was not quoted, the next row's first value was
    /// not read as quoted ("SMITH, JOHN" became two values and the row was rejected).
    #[test]
    fn a_quoted_first_value_after_an_unquoted_last_value() {
        let t = read_csv(
            "q.csv",
            b"name,a,b\nJONES,1,2\n\"SMITH, JOHN\",3,4\n\"LEE, \"\"AL\"\"\",5,6",
        )
        .unwrap();
        assert!(t.rejected.is_empty(), "{:?}", t.rejected);
        assert_eq!(t.len(), 3);
        assert_eq!(t.row(1), ["SMITH, JOHN", "3", "4"]);
        assert_eq!(t.row(2), ["LEE, \"AL\"", "5", "6"]);
        let t = read_csv("q.csv", b"name,a\r\nJONES,1\r\n\"SMITH, JOHN\",3\r\n").unwrap();
        assert_eq!(t.row(1), ["SMITH, JOHN", "3"]);
    }

    /// Regression: a quote opened and never closed on row 21 of 256 swallowed the other 236
    /// rows into one value, and the counts said 20 read and 0 rejected.
    #[test]
    fn rows_swallowed_by_an_open_quote_are_rejected_and_counted() {
        let mut text = String::from("id,name,rel\n");
        for i in 1..=256 {
            if i == 21 {
                text.push_str(&format!("{i},\"SMITH, JOHN,GF\n"));
            } else {
                text.push_str(&format!("{i},NAME {i},GF\n"));
            }
        }
        for chunk in [usize::MAX, 7] {
            let mut s = CsvStream::new("persons.csv", None);
            for piece in text.as_bytes().chunks(chunk.min(text.len())) {
                s.push(piece).unwrap();
            }
            let t = s.finish().unwrap();
            assert_eq!(t.rows_read, 256, "rows in");
            assert_eq!(t.len() as u64 + t.rejected.len() as u64, 256, "used + rejected");
            assert_eq!(t.len(), 20);
            assert_eq!(t.rejected[0].row, 22, "the file's line of row 21");
            assert_eq!(t.rejected.last().unwrap().row, 257);
            let d = t
                .diagnostics
                .iter()
                .find(|d| d.message.contains("never closed"))
                .unwrap();
            assert_eq!(d.row, Some(22));
            assert!(
                d.message.contains("the 236 row(s) from line 22 to line 257"),
                "{}",
                d.message
            );
        }
    }

    #[test]
    fn repeated_and_empty_headers_are_named() {
        let mut h: Vec<String> = ["ID", "", "id", "Name", "ID"].iter().map(|s| s.to_string()).collect();
        name_columns(&mut h);
        assert_eq!(h, ["ID", "column 2", "id (3)", "Name", "ID (5)"]);
    }

    /// Regression: the check for repeated headers compared each header with every one before
    /// it (100,000 columns took 32 s; a million never finished). A million identical headers
    /// now cost one pass; a quadratic check would not finish within the test run.
    #[test]
    fn a_million_columns_are_named_in_one_pass() {
        let mut h = vec!["X".to_string(); 1_000_000];
        name_columns(&mut h);
        assert_eq!(h[999_999], "X (1000000)");
        let distinct: std::collections::HashSet<&String> = h.iter().collect();
        assert_eq!(distinct.len(), h.len());
    }

    fn parse_all(text: &str, d: u8) -> Vec<(u64, Vec<String>)> {
        let mut p = Parser::new(d);
        let mut out = Vec::new();
        let mut emit = |r: Record<'_>| {
            out.push((
                r.line,
                r.cells()
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect(),
            ));
        };
        // Feed one byte at a time: chunk boundaries must not matter.
        for b in text.as_bytes() {
            p.feed(std::slice::from_ref(b), &mut emit);
        }
        p.finish(&mut emit);
        out
    }

    #[test]
    fn quoted_fields_and_line_numbers() {
        let got = parse_all(
            "a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\r\n\"multi\nline\",z\n3,4",
            b',',
        );
        let want: Vec<(u64, Vec<String>)> = vec![
            (1, vec!["a".into(), "b".into()]),
            (2, vec!["x, y".into(), "he said \"hi\"".into()]),
            (4, vec!["multi\nline".into(), "z".into()]),
            (6, vec!["3".into(), "4".into()]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn chunked_and_whole_reads_agree() {
        let text = "Title line\n\nid;name;dob\n1;ANN;01/02/1990\n2;\"BO;B\";\n3;CY;03/04/1985;extra\n";
        let whole = read_csv("t.csv", text.as_bytes()).unwrap();
        let mut s = CsvStream::new("t.csv", Some(text.len() as u64));
        for c in text.as_bytes().chunks(3) {
            s.push(c).unwrap();
        }
        let chunked = s.finish().unwrap();
        for t in [&whole, &chunked] {
            assert_eq!(t.headers, ["id", "name", "dob"]);
            assert_eq!(t.header_line, 3);
            assert_eq!(t.len(), 2);
            assert_eq!(t.row(1), ["2", "BO;B", ""]);
            assert_eq!(t.line(1), 5);
            assert_eq!(t.rejected.len(), 1);
            assert_eq!(t.rejected[0].row, 6);
        }
    }

    /// Rows freed block by block read as empty; the others, the count and the lines stay.
    #[test]
    fn rows_are_freed_block_by_block() {
        let mut t = Table::new("t.csv", None, vec!["a".into(), "b".into()]);
        let n = BLOCK_ROWS * 2 + 10;
        for r in 0..n {
            t.push_row(r as u64 + 2, &[format!("x{r}"), "y".to_string()]);
        }
        assert_eq!(
            (t.len(), t.cell(BLOCK_ROWS - 1, 0), t.cell(n - 1, 1)),
            (n, "x65535", "y")
        );
        t.free_rows_before(BLOCK_ROWS + 5);
        assert_eq!(
            (t.cell(0, 0), t.cell(BLOCK_ROWS - 1, 0), t.line(BLOCK_ROWS - 1)),
            ("", "", 0)
        );
        assert_eq!(
            (t.cell(BLOCK_ROWS, 0), t.line(BLOCK_ROWS)),
            ("x65536", BLOCK_ROWS as u64 + 2)
        );
        assert_eq!((t.len(), t.cell(n - 1, 0)), (n, "x131081"));
        t.free_rows_before(n);
        assert_eq!((t.len(), t.cell(BLOCK_ROWS, 0), t.cell(n - 1, 0)), (n, "", "x131081"));
    }
}
