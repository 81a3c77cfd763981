//! One module per subcommand.

pub mod classify;
pub mod bench_link;
pub mod link;
