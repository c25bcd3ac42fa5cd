//! Validating files of any kind: the entry point `saq validate` uses.
//!
//! A file's kind is detected from its content (a questionnaire has `clusters`, a
//! response `answers`, a submission `contributor` or `comments`), then it goes
//! through its format's layers. Problems are returned, never printed.

use serde_json::Value;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Position, Span};
use crate::questionnaire::catalog;
use crate::questionnaire::check::{check, CheckContext};
use crate::questionnaire::Catalog;
use crate::source::{self, SourceFile};

/// The kinds of file saq reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Questionnaire,
    Response,
    Submission,
}

impl FileKind {
    /// Guesses the kind from the top-level keys.
    pub fn detect(value: &Value) -> Option<FileKind> {
        let map = value.as_object()?;
        if map.contains_key("clusters") {
            Some(FileKind::Questionnaire)
        } else if map.contains_key("answers") {
            Some(FileKind::Response)
        } else if map.contains_key("contributor") || map.contains_key("comments") {
            Some(FileKind::Submission)
        } else {
            None
        }
    }
}

/// The outcome of validating one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub kind: Option<FileKind>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates one file on its own (cross-file checks need a dossier).
pub fn file(catalog: &Catalog, file: &SourceFile) -> FileReport {
    let doc = match source::parse(file) {
        Ok(doc) => doc,
        Err(diagnostics) => {
            return FileReport {
                kind: None,
                diagnostics,
            }
        }
    };
    let Some(kind) = FileKind::detect(&doc.value) else {
        return FileReport {
            kind: None,
            diagnostics: vec![unknown_kind(file)],
        };
    };
    let diagnostics = match kind {
        FileKind::Questionnaire => questionnaire(catalog, file),
        FileKind::Response => crate::response::validate_parsed(catalog, file, doc).1,
        FileKind::Submission => crate::submission::validate_parsed(catalog, file, doc).1,
    };
    FileReport {
        kind: Some(kind),
        diagnostics,
    }
}

fn questionnaire(catalog: &Catalog, file: &SourceFile) -> Vec<Diagnostic> {
    // The previous version is looked up by the file's own id and version, which
    // are only known after loading; load once to learn them, then check.
    match catalog::load(file) {
        Ok(loaded) => {
            let previous = catalog.previous(&loaded.value.id, &loaded.value.version);
            let mut diagnostics = loaded.diagnostics;
            diagnostics.extend(check(
                &loaded.value,
                &CheckContext {
                    source: file,
                    doc: &loaded.doc,
                    previous,
                },
            ));
            diagnostics
        }
        Err(d) => d,
    }
}

fn unknown_kind(file: &SourceFile) -> Diagnostic {
    Diagnostic::new(Code::UnknownFileKind, &file.path, "this is not a questionnaire, response or submission")
        .at(Span::point(Position { line: 1, column: 1 }))
        .hint("a questionnaire has `clusters`, a response `answers`, a submission `contributor` and `comments`")
}
