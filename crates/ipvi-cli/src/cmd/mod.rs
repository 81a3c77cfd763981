//! One module per subcommand.

pub mod analyze;
pub mod bench_link;
pub mod classify;
pub mod common;
pub mod classify_text;
pub mod evaluate;
pub mod link;
pub mod synth;
