//! A large inquiry view sent to the page in pieces, so that the page decodes it in steps.
//!
//! A 1,000,000-person export's view is about 85 MB of JSON: the offender list, every offender's
//! timeline, the pairs table, the outreach and the advocates' rows. Decoded in one message it
//! held the page's main thread for 1.8 s (measured in Chromium: 0.4 s copying the text into the
//! page's memory, 1.2 s decoding it). The worker now takes those lists out of the view
//! ([`split`]) and sends them first, as pieces of about [`PIECE_BYTES`] of UTF-8 JSON each, one
//! message per piece; the page decodes each piece in its own task ([`Pieces::add`]) and puts them
//! back when the rest of the view arrives ([`Pieces::fill`]). The view the page ends with is the
//! one the worker made (tested below).

use crate::inquiry::{InquiryView, LinkReviewRow, Outreach, RelReview};
use ipvi_core::nibrs::ClassifiedPair;
use ipvi_core::offenders::advocates::AdvocateRow;
use ipvi_core::offenders::outputs::Offender;
use ipvi_core::offenders::timeline::Event;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// About how many bytes of JSON a piece holds (one row more at most): small enough to decode in
/// well under the 100 ms a page may be busy, large enough that the messages stay few.
pub const PIECE_BYTES: usize = 1 << 20;

/// Which list of the view a piece belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Offenders,
    Timelines,
    Outreach,
    Advocates,
    LinkReview,
    RelationshipReview,
    Pairs,
}

/// One piece: rows of one list, as a JSON array.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub part: Part,
    pub json: Vec<u8>,
}

/// Take the large lists out of `view` and write them as pieces of about `piece_bytes` each, in
/// the lists' order. What is left in `view` is small.
pub fn split(view: &mut InquiryView, piece_bytes: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let v = view;
    write(std::mem::take(&mut v.offenders), Part::Offenders, piece_bytes, &mut out);
    write(std::mem::take(&mut v.timelines), Part::Timelines, piece_bytes, &mut out);
    write(std::mem::take(&mut v.outreach), Part::Outreach, piece_bytes, &mut out);
    write(std::mem::take(&mut v.advocates), Part::Advocates, piece_bytes, &mut out);
    write(
        std::mem::take(&mut v.link_review),
        Part::LinkReview,
        piece_bytes,
        &mut out,
    );
    write(
        std::mem::take(&mut v.relationship_review),
        Part::RelationshipReview,
        piece_bytes,
        &mut out,
    );
    write(std::mem::take(&mut v.data.pairs), Part::Pairs, piece_bytes, &mut out);
    out
}

/// `rows` as JSON arrays of about `piece_bytes` each.
fn write<T: Serialize>(rows: Vec<T>, part: Part, piece_bytes: usize, out: &mut Vec<Piece>) {
    let mut json = Vec::new();
    for row in rows {
        json.push(if json.is_empty() { b'[' } else { b',' });
        // Serialising the view's own types to memory cannot fail (no maps with non-string keys).
        if serde_json::to_writer(&mut json, &row).is_err() {
            continue;
        }
        if json.len() >= piece_bytes {
            json.push(b']');
            out.push(Piece {
                part,
                json: std::mem::take(&mut json),
            });
        }
    }
    if !json.is_empty() {
        json.push(b']');
        out.push(Piece { part, json });
    }
}

/// The pieces of one view as the page receives them.
#[derive(Debug, Default)]
pub struct Pieces {
    offenders: Vec<Offender>,
    timelines: Vec<Vec<Event>>,
    outreach: Vec<Outreach>,
    advocates: Vec<AdvocateRow>,
    link_review: Vec<LinkReviewRow>,
    relationship_review: Vec<RelReview>,
    pairs: Vec<ClassifiedPair>,
    /// Milliseconds spent decoding the pieces (the page adds them to the view's decoding time).
    pub decode_ms: f64,
}

impl Pieces {
    /// Decode one piece and keep its rows.
    pub fn add(&mut self, part: Part, json: &[u8]) -> Result<(), String> {
        match part {
            Part::Offenders => append(&mut self.offenders, json),
            Part::Timelines => append(&mut self.timelines, json),
            Part::Outreach => append(&mut self.outreach, json),
            Part::Advocates => append(&mut self.advocates, json),
            Part::LinkReview => append(&mut self.link_review, json),
            Part::RelationshipReview => append(&mut self.relationship_review, json),
            Part::Pairs => append(&mut self.pairs, json),
        }
        .map_err(|e| format!("a piece of the result could not be read ({part:?}): {e}"))
    }

    /// Put the rows back into the rest of the view.
    pub fn fill(self, view: &mut InquiryView) {
        view.offenders = self.offenders;
        view.timelines = self.timelines;
        view.outreach = self.outreach;
        view.advocates = self.advocates;
        view.link_review = self.link_review;
        view.relationship_review = self.relationship_review;
        view.data.pairs = self.pairs;
    }
}

fn append<T: DeserializeOwned>(to: &mut Vec<T>, json: &[u8]) -> Result<(), serde_json::Error> {
    to.extend(serde_json::from_slice::<Vec<T>>(json)?);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::inquiry::build_view;

    fn view() -> InquiryView {
        let (data, r) = crate::inquiry::tests::small();
        let mut v = build_view(&data, &r, None);
        let codes = ipvi_core::pipeline::PipelineConfig::default().codes;
        v.data = crate::dataset_view::dataset_view(&data, &r.pair_class, &codes);
        v
    }

    #[test]
    fn a_view_sent_in_pieces_arrives_whole() {
        let whole = view();
        for list in [whole.offenders.len(), whole.outreach.len(), whole.data.pairs.len()] {
            assert!(list > 10, "the sample has too few rows to cut: {list}");
        }
        let mut rest = whole.clone();
        let pieces = split(&mut rest, 4_096);
        // The lists went into pieces, of about the size asked, each valid JSON on its own.
        assert!(rest.offenders.is_empty() && rest.timelines.is_empty() && rest.data.pairs.is_empty());
        assert!(pieces.iter().filter(|p| p.part == Part::Offenders).count() > 2);
        assert!(pieces.iter().filter(|p| p.part == Part::Pairs).count() > 2);
        for p in &pieces {
            // A piece is cut at the first row that takes it to the size asked.
            let rows: Vec<serde_json::Value> = serde_json::from_slice(&p.json).unwrap();
            let before_last = serde_json::to_vec(&rows[..rows.len() - 1]).unwrap();
            assert!(
                before_last.len() < 4_096,
                "{} bytes before the last row",
                before_last.len()
            );
        }
        // The rest is small: the summary, the snapshot and the settings.
        let rest_size = serde_json::to_vec(&rest).unwrap().len();
        let whole_size = serde_json::to_vec(&whole).unwrap().len();
        assert!(rest_size * 4 < whole_size, "{rest_size} of {whole_size} bytes left");
        // Received one by one and put back, the view is the worker's.
        let mut got = Pieces::default();
        for p in &pieces {
            got.add(p.part, &p.json).unwrap();
        }
        got.fill(&mut rest);
        assert_eq!(rest, whole);
        // One large piece gives the same view.
        let mut again = whole.clone();
        let one = split(&mut again, usize::MAX);
        assert_eq!(one.iter().filter(|p| p.part == Part::Offenders).count(), 1);
        let mut got = Pieces::default();
        for p in &one {
            got.add(p.part, &p.json).unwrap();
        }
        got.fill(&mut again);
        assert_eq!(again, whole);
    }

    #[test]
    fn a_piece_that_is_not_its_part_is_refused() {
        let mut got = Pieces::default();
        assert!(got.add(Part::Offenders, b"[1,2,3]").is_err());
        assert!(got.add(Part::Pairs, b"[{\"a\":").is_err());
        assert!(got.add(Part::Timelines, b"not json").is_err());
        assert!(got.add(Part::Outreach, b"[]").is_ok());
    }
}
