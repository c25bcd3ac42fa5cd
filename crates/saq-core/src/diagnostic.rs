//! The one diagnostic type every stage of saq reports problems with.
//!
//! Loading, schema validation and semantic checks all speak `Diagnostic`, so the
//! binary can print any problem the same way (rustc-like on a terminal, JSON for
//! tools) and a test can assert on codes and positions without caring which stage
//! found them. Diagnostics carry positions, never rendered text: printing is the
//! binary's business.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::codes::Code;

/// Whether a problem stops a file from being accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing, but the file is still usable (unless `--deny-warnings`).
    Warning,
    /// The file cannot be used as it is.
    Error,
}

/// A position in a source file, as people count: both 1-based, column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A stretch of a source file. `end` is exclusive and never before `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    pub fn new(start: Position, end: Position) -> Self {
        let end = if end < start { start } else { end };
        Span { start, end }
    }

    /// A span of `len` characters on one line, for tokens found inside a scalar.
    pub fn on_line(line: usize, column: usize, len: usize) -> Self {
        let start = Position { line, column };
        Span::new(
            start,
            Position {
                line,
                column: column + len,
            },
        )
    }

    pub fn point(at: Position) -> Self {
        Span { start: at, end: at }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// The file the problem is in, as the user named it.
    pub file: PathBuf,
    /// Where in the file; `None` when the problem is about the file as a whole.
    pub span: Option<Span>,
    pub message: String,
    /// Suggestions, each a sentence: "did you mean …", what the allowed values are.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            file: file.as_ref().to_path_buf(),
            span: None,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span.or(self.span);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn hint_opt(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics the way a reader scans a file: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.span.map(|s| s.start), a.code.as_str()).cmp(&(
            &b.file,
            b.span.map(|s| s.start),
            b.code.as_str(),
        ))
    });
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// The closest candidate to `word`, if one is close enough to be a plausible typo.
/// A candidate that differs only in case (`Yes` for `yes`) is the likeliest slip of
/// all, whatever the string distance says.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if let Some(same) = candidates
        .iter()
        .find(|c| **c != word && c.to_lowercase() == word.to_lowercase())
    {
        return Some(same);
    }
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_prefers_the_same_word_in_another_case() {
        let options = ["yes", "partially", "no"];
        // Jaro-Winkler alone rates `Yes` too far from `yes`.
        assert_eq!(did_you_mean("Yes", options), Some("yes"));
        assert_eq!(did_you_mean("NO", options), Some("no"));
        assert_eq!(did_you_mean("partialy", options), Some("partially"));
        assert_eq!(did_you_mean("maybe", options), None);
    }
}
