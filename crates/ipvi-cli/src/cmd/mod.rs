//! One module per subcommand.

pub mod classify;
pub mod classify_text;
pub mod synth;
