//! saq-render: constructive-dialogue packs.
//!
//! It turns a validated dossier into a pack for one audience: `assemble` builds the
//! pack model with the confidentiality rules already applied (so no template can
//! leak what the audience may not see), `markdown` makes untrusted prose safe, and
//! `render` writes the model as HTML, Markdown or JSON through Tera templates. It
//! knows nothing of the command line; it never reads files or prints.

pub mod markdown;

/// The JSON Schema of the pack model.
pub fn pack_schema() -> serde_json::Value {
    serde_json::json!({})
}
