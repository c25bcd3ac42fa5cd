//! The questionnaires and templates compiled into the binary (see `build.rs`).
//!
//! Paths are relative to `questionnaires/` and `templates/`, so an embedded file and
//! one from `--questionnaires DIR` are named the same way in diagnostics.

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
pub use files::*;
