//! One module per subcommand.

pub mod advocates;
pub mod analyze;
pub mod audit;
pub mod bench_import;
pub mod bench_link;
pub mod bench_rank;
pub mod classify;
pub mod classify_text;
pub mod common;
pub mod cycle;
pub mod evaluate;
pub mod link;
pub mod report;
pub mod synth;
