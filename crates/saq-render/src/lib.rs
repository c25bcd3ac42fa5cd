//! saq-render: constructive-dialogue packs.
//!
//! It turns a validated dossier into a pack for one audience: `assemble` builds the
//! pack model with the confidentiality rules already applied (so no template can
//! leak what the audience may not see), `markdown` makes untrusted prose safe, and
//! `render` writes the model as HTML, Markdown or JSON through Tera templates. It
//! knows nothing of the command line; it never reads files or prints.

pub mod assemble;
pub mod i18n;
mod i18n_tables;
pub mod markdown;
pub mod model;
pub mod render;

pub use assemble::{assemble, assemble_for, PackOptions};
pub use model::Pack;
pub use render::{Format, RenderError, Renderer};

/// The JSON Schema of the pack model.
pub fn pack_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Pack>();
    serde_json::to_value(schema).unwrap_or_default()
}
