//! Questionnaires: the versioned definitions that responses answer and submissions
//! comment on.
//!
//! `model` holds the types (the file format of DESIGN.md as Rust), `check` the
//! definition checks that the JSON Schema cannot express (ids, conditions, options,
//! translations, version changes), and `catalog` the set of questionnaires saq knows,
//! shipped or from `--questionnaires DIR`, looked up by `id@version`.

pub mod catalog;
pub mod check;
pub mod model;

pub use catalog::{Catalog, QuestionnaireRef};
pub use model::*;
