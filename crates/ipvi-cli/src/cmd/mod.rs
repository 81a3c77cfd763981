//! One module per subcommand.

pub mod audit;
pub mod classify;
pub mod bench_link;
pub mod classify_text;
pub mod link;
pub mod synth;
