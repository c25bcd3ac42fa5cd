//! Rendering a pack model as HTML, Markdown or JSON.
//!
//! HTML and Markdown come from Tera templates (`pack.html`, `pack.md`): the shipped
//! ones, embedded by the binary, or a user's `--templates DIR`. HTML templates are
//! autoescaped (Tera escapes templates whose name ends in `.html`); prose fields are
//! already sanitized HTML and are the only values templates mark `safe`. Markdown
//! templates escape plain text with the `md` filter. JSON is the model itself.

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use crate::markdown::escape_markdown;
use crate::model::Pack;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Json,
}

impl Format {
    /// The template a format renders with.
    pub fn template(self) -> Option<&'static str> {
        match self {
            Format::Html => Some("pack.html"),
            Format::Markdown => Some("pack.md"),
            Format::Json => None,
        }
    }
}

/// Why rendering failed: a broken template, not a problem of the dossier.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("no template named {0}")]
    MissingTemplate(String),
    #[error("cannot serialize the pack: {0}")]
    Json(String),
}

/// Templates compiled once, then used for any number of packs.
pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    /// `templates` are (name, content) pairs; names are paths relative to the
    /// templates folder, e.g. `pack.html`, `partials/comment.html`.
    pub fn new<'a>(
        templates: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Renderer, RenderError> {
        let mut tera = Tera::default();
        tera.register_filter("md", |s: &str, _: Kwargs, _: &State| escape_markdown(s));
        let list: Vec<(&str, &str)> = templates.into_iter().collect();
        tera.add_raw_templates(list.iter().copied())
            .map_err(|e| RenderError::Template {
                name: "templates".into(),
                message: describe(&e),
            })?;
        Ok(Renderer { tera })
    }

    pub fn render(&self, pack: &Pack, format: Format) -> Result<String, RenderError> {
        let Some(name) = format.template() else {
            return to_json(pack);
        };
        if !self.tera.contains_template(name) {
            return Err(RenderError::MissingTemplate(name.to_string()));
        }
        let context = Context::from_serialize(pack).map_err(|e| RenderError::Json(describe(&e)))?;
        self.tera
            .render(name, &context)
            .map_err(|e| RenderError::Template {
                name: name.to_string(),
                message: describe(&e),
            })
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, RenderError> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| RenderError::Json(e.to_string()))
}

/// Tera's errors nest their causes; users need all of them to find the line.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
