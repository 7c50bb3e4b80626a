//! The command-line tools beside `serve`. Each subcommand's logic lives here, in the
//! library, writing to the streams it is given, so `main.rs` only parses arguments and the
//! tests can drive the real binary or the function alike.

pub mod compute;
pub mod sweep;
