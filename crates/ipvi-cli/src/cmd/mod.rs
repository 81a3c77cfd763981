//! One module per subcommand.

pub mod classify;
pub mod bench_link;
pub mod classify_text;
pub mod evaluate;
pub mod link;
pub mod synth;
