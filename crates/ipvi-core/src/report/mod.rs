//! The problem-analysis report: aggregate metrics, small-cell suppression, SVG charts drawn by
//! our own code, and the report as one self-contained HTML page.

pub mod assessment;
pub mod html;
pub mod metrics;
pub mod suppress;
pub mod svg;
pub mod workload;

#[cfg(test)]
mod tests;
