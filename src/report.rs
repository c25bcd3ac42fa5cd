//! Printing diagnostics: rustc-style on a terminal, a stable JSON shape for tools.
//!
//! Colour comes from `anstream`, which strips it when the output is not a terminal
//! and honours `NO_COLOR` and `CLICOLOR_FORCE`.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use saq_core::diagnostic::Severity;
use saq_core::source::SourceFile;
use saq_core::Diagnostic;
use serde::Serialize;

use crate::Failure;

/// The texts of the files diagnostics refer to, so snippets can be shown.
///
/// Only files that diagnostics point at need their text kept: commands that check
/// many files register them with [`Sources::add_quoted`] once each file or dossier
/// is validated, so memory grows with the problems found, not with the input.
#[derive(Default)]
pub struct Sources {
    files: HashMap<PathBuf, Lines>,
}

/// A file's text and where each of its lines starts, so that quoting a line costs the
/// same however far down the file it is (a file may have thousands of diagnostics).
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: String) -> Lines {
        let starts = saq_core::source::line_starts(&text);
        Lines { text, starts }
    }

    /// Lines `first..=last` (1-based), with their line breaks.
    fn span(&self, first: usize, last: usize) -> &str {
        let at = |line: usize| {
            self.starts
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or(self.text.len())
        };
        &self.text[at(first)..at(last + 1).max(at(first))]
    }
}

impl Sources {
    pub fn add(&mut self, file: &SourceFile) {
        self.files
            .insert(file.path.clone(), Lines::new(file.text.clone()));
    }

    /// Keeps the texts of those `files` that some diagnostic points at.
    pub fn add_quoted<'a>(
        &mut self,
        files: impl IntoIterator<Item = &'a SourceFile>,
        diagnostics: &[Diagnostic],
    ) {
        if diagnostics.is_empty() {
            return;
        }
        let quoted: HashSet<&Path> = diagnostics.iter().map(|d| d.file.as_path()).collect();
        for file in files {
            if quoted.contains(file.path.as_path()) {
                self.add(file);
            }
        }
    }

    /// Takes over the texts another set holds (e.g. one built on a worker thread).
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// The line a diagnostic points at, for JSON consumers that show context.
    pub fn snippet(&self, d: &Diagnostic) -> Option<String> {
        let line = d.span?.start.line;
        let lines = self.files.get(&d.file)?;
        if line == 0 || line > lines.starts.len() || lines.starts[line - 1] == lines.text.len() {
            return None;
        }
        let text = lines.span(line, line);
        let text = text.strip_suffix('\n').unwrap_or(text);
        Some(text.strip_suffix('\r').unwrap_or(text).to_string())
    }
}

/// Renders one diagnostic the way rustc does.
pub fn render(d: &Diagnostic, sources: &Sources, renderer: &Renderer) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.file.display().to_string();
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let mut group = match (d.span, sources.files.get(&d.file)) {
        (Some(span), Some(lines)) => {
            // Show only the lines the span covers: cheap even for large files.
            let first = span.start.line.max(1);
            let last = span.end.line.max(first);
            // A byte-order mark is not a column anyone sees; leave it out of the snippet.
            let excerpt: String = lines
                .span(first, last)
                .trim_start_matches('\u{feff}')
                .to_string();
            let excerpt_file = SourceFile {
                path: d.file.clone(),
                text: excerpt.clone(),
            };
            let shift = |p: saq_core::Position| saq_core::Position {
                line: p.line + 1 - first,
                column: p.column,
            };
            let mut range =
                excerpt_file.byte_range(saq_core::Span::new(shift(span.start), shift(span.end)));
            if range.is_empty() {
                // Underline one character (or the end of the line) for a point.
                let end = excerpt[range.start..]
                    .chars()
                    .next()
                    .filter(|c| *c != '\n')
                    .map_or(0, char::len_utf8);
                range.end = range.start + end;
            }
            let snippet = Snippet::source(excerpt.trim_end_matches(['\n', '\r']).to_string())
                .line_start(first)
                .path(path.clone())
                .annotation(
                    AnnotationKind::Primary.span(
                        range
                            .start
                            .min(excerpt.trim_end_matches(['\n', '\r']).len())
                            ..range.end.min(excerpt.trim_end_matches(['\n', '\r']).len()),
                    ),
                );
            title.element(snippet)
        }
        // No text to quote (e.g. bytes that are not UTF-8): still say where.
        (Some(span), None) => title.element(
            annotate_snippets::Origin::path(path.clone())
                .line(span.start.line)
                .char_column(span.start.column),
        ),
        (None, _) => title.element(annotate_snippets::Origin::path(path.clone())),
    };
    for hint in &d.hints {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    renderer.render(&report)
}

/// Prints diagnostics to stderr in the human format.
pub fn print_human(diagnostics: &[Diagnostic], sources: &Sources) {
    let renderer = Renderer::styled();
    let mut err = anstream::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}\n", render(d, sources, &renderer));
    }
}

/// The JSON form of a diagnostic: a contract for tools, so fields are only ever added.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'static str,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub message: &'a str,
    pub hints: &'a [String],
    pub snippet: Option<String>,
}

pub fn to_json<'a>(d: &'a Diagnostic, sources: &Sources) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        severity: d.severity,
        code: d.code.as_str(),
        file: d.file.display().to_string(),
        line: d.span.map(|s| s.start.line),
        column: d.span.map(|s| s.start.column),
        end_line: d.span.map(|s| s.end.line),
        end_column: d.span.map(|s| s.end.column),
        message: &d.message,
        hints: &d.hints,
        snippet: sources.snippet(d),
    }
}

/// Tells the user why a command could not run.
pub fn failure(f: &Failure) {
    let mut err = anstream::stderr().lock();
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let _ = writeln!(err, "{style}error{style:#}: {f}");
}

/// Counts for the summary line every checking command ends with.
pub fn summary(files: usize, diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}: {}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
