//! One module per subcommand.

pub mod bench_link;
pub mod classify;
pub mod link;
