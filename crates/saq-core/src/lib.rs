//! saq-core: the model of saq's files, and everything that reads and checks them.
//!
//! It owns the vocabulary of DESIGN.md as Rust types (questionnaire, response,
//! submission, dossier), loading them from YAML with positions, their JSON Schemas,
//! and validation with one diagnostic type for every stage. It knows nothing of
//! rendering and never prints: it returns values and `Vec<Diagnostic>`, and callers
//! decide what to show and which exit code to use.

pub mod codes;
pub mod condition;
pub mod diagnostic;
pub mod dossier;
pub mod emit;
pub mod migrate;
pub mod skeleton;
pub mod source;

pub use codes::Code;
pub use diagnostic::{Diagnostic, Position, Severity, Span};
pub mod progress;
pub mod questionnaire;
pub mod response;
pub mod schema;
pub mod structure;
pub mod text;

pub use text::Text;
pub mod state;
pub mod submission;
pub mod validate;
