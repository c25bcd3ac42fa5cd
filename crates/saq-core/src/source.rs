//! Reading a user's file into a JSON value that remembers where every node came from.
//!
//! Every format saq reads is YAML 1.2 (core schema: `yes`, `no` and `on` stay strings).
//! The file is parsed once with saphyr, which keeps a position on every node, keys
//! included; the tree is turned into a `serde_json::Value` (what JSON Schema validation
//! and serde work on) plus a map from JSON Pointer to position, so any later stage that
//! finds a problem at `/answers/art5.offence/value` can point at the line and column.
//! This module is also where the input limits live: size, nesting depth and alias
//! expansion are bounded, and exceeding them is a diagnostic, never a hang.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use serde_json::{Map, Number, Value};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Position, Span};

/// Files above this size are refused before parsing.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Mappings and sequences nested deeper than this are refused.
pub const MAX_DEPTH: usize = 64;

/// A user's file, kept whole so diagnostics can quote it.
///
/// Columns are counted the way an editor shows them: in characters, and on line 1
/// not counting a UTF-8 byte-order mark, which editors hide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// Decodes bytes as UTF-8, so that a file of random bytes is a diagnostic, not a panic.
    pub fn from_bytes(
        path: impl AsRef<Path>,
        bytes: Vec<u8>,
    ) -> Result<SourceFile, Box<Diagnostic>> {
        let path = path.as_ref();
        if bytes.len() > MAX_FILE_BYTES {
            return Err(Box::new(
                Diagnostic::new(
                    Code::FileTooLarge,
                    path,
                    format!(
                        "the file has {} bytes; saq reads at most {MAX_FILE_BYTES}",
                        bytes.len()
                    ),
                )
                .hint("check that this is the file you meant"),
            ));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile {
                path: path.to_path_buf(),
                text: normalize_line_breaks(text),
            }),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                // The prefix is valid UTF-8 by construction; lossy keeps this panic-free regardless.
                let prefix = String::from_utf8_lossy(valid);
                let at = position_after(prefix.strip_prefix(BOM).unwrap_or(&prefix));
                Err(Box::new(
                    Diagnostic::new(
                        Code::NotUtf8,
                        path,
                        format!("byte {} is not valid UTF-8", valid.len()),
                    )
                    .at(Span::on_line(at.line, at.column, 1))
                    .hint("save the file as UTF-8 text"),
                ))
            }
        }
    }

    /// Reads a file, refusing to read more than [`MAX_FILE_BYTES`] (plus one byte to
    /// know it is over): an endless or huge file is a diagnostic, not an out-of-memory.
    /// The outer error is I/O (the command cannot run); the inner one, the input's problem.
    pub fn read(path: &Path) -> std::io::Result<Result<SourceFile, Box<Diagnostic>>> {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        Ok(SourceFile::from_bytes(path, bytes))
    }

    /// The text of a 1-based line, without its line ending (and, on line 1, without a
    /// byte-order mark), so that skipping `column - 1` characters lands on the column.
    pub fn line(&self, line: usize) -> Option<&str> {
        let text = self.text.strip_prefix(BOM).unwrap_or(&self.text);
        text.lines().nth(line.checked_sub(1)?)
    }

    /// Byte offsets of a span, for renderers that label byte ranges.
    /// Positions past the end of a line or file are clamped.
    pub fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.byte_offset(span.start);
        let end = self.byte_offset(span.end).max(start);
        start..end
    }

    fn byte_offset(&self, at: Position) -> usize {
        let mut offset = 0;
        for (index, line) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == at.line {
                let mut content = line.trim_end_matches(['\n', '\r']);
                if index == 0 {
                    if let Some(rest) = content.strip_prefix(BOM) {
                        offset += BOM.len_utf8();
                        content = rest;
                    }
                }
                let within = content
                    .char_indices()
                    .nth(at.column.saturating_sub(1))
                    .map_or(content.len(), |(i, _)| i);
                return offset + within;
            }
            offset += line.len();
        }
        self.text.len()
    }
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: char = '\u{feff}';

/// YAML counts a lone carriage return as a line break; the rest of saq counts
/// lines by `\n`. Turning each lone `\r` into `\n` (same length, so no offset moves)
/// keeps every position the parser reports inside the file. `\r\n` is left alone.
fn normalize_line_breaks(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = text.clone().into_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    String::from_utf8(out).unwrap_or(text)
}

fn position_after(prefix: &str) -> Position {
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, column }
}

/// Where a node and (for a mapping value) its key sit in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpan {
    pub key: Option<Span>,
    pub value: Span,
}

/// A parsed file: its value, and the position of every node by JSON Pointer.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub value: Value,
    spans: HashMap<String, NodeSpan>,
    /// Scalars YAML read as something other than text, as the file writes them.
    literals: HashMap<String, String>,
}

impl Document {
    /// How the file writes the scalar at `pointer`, for scalars YAML resolved to a
    /// number, true/false or null: `1.10` where the value is the number 1.1, `True`
    /// where it is `true`. Hints quote this, so they show what the user typed.
    pub fn literal(&self, pointer: &str) -> Option<&str> {
        self.literals.get(pointer).map(String::as_str)
    }

    /// The span of the value at `pointer`, or of its nearest ancestor that has one.
    pub fn span(&self, pointer: &str) -> Option<Span> {
        self.lookup(pointer).map(|s| s.value)
    }

    /// The span of the key naming the value at `pointer` (where "this key is wrong" should
    /// point), falling back to the value and then to ancestors.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.lookup(pointer).map(|s| s.key.unwrap_or(s.value))
    }

    fn lookup(&self, pointer: &str) -> Option<&NodeSpan> {
        let mut pointer = pointer;
        loop {
            if let Some(span) = self.spans.get(pointer) {
                return Some(span);
            }
            if pointer.is_empty() {
                return None;
            }
            pointer = pointer.rfind('/').map_or("", |i| &pointer[..i]);
        }
    }
}

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a segment.
pub fn pointer_join(base: &str, segment: &str) -> String {
    format!("{base}/{}", escape_pointer(segment))
}

/// Parses a file into a [`Document`], or reports why it cannot be read.
pub fn parse(file: &SourceFile) -> Result<Document, Vec<Diagnostic>> {
    // Editors hide a byte-order mark, so positions are counted without it.
    let text = file.text.strip_prefix(BOM).unwrap_or(&file.text);
    let position = |line: usize, col: usize| Position {
        line,
        column: col + 1,
    };
    let span_of = |s: saphyr_parser::Span| {
        Span::new(
            position(s.start.line(), s.start.col()),
            position(s.end.line(), s.end.col()),
        )
    };

    // The tree saphyr builds is recursive (and so is dropping it): measure the
    // nesting on the event stream first, so a deep file never becomes a deep tree.
    if let Some(at) = too_deep(text) {
        return Err(vec![Diagnostic::new(
            Code::TooDeep,
            &file.path,
            format!("nesting goes deeper than {MAX_DEPTH} levels here"),
        )
        .at(Span::point(position(at.line(), at.col())))
        .hint(
            "saq's formats need fewer than ten levels; check the indentation",
        )]);
    }
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(docs) => docs,
        Err(err) => return Err(scan_error(file, text, &err, position)),
    };
    let mut docs = docs.into_iter();
    let Some(root) = docs.next() else {
        return Err(vec![Diagnostic::new(
            Code::EmptyFile,
            &file.path,
            "the file has no content",
        )
        .at(Span::point(Position { line: 1, column: 1 }))
        .hint(
            "`saq new response` and `saq new submission` write a skeleton to start from",
        )]);
    };
    if matches!(root.data, YamlData::Value(Scalar::Null)) && docs.len() == 0 {
        return Err(vec![Diagnostic::new(
            Code::EmptyFile,
            &file.path,
            "the file has no content",
        )
        .at(Span::point(Position { line: 1, column: 1 }))
        .hint(
            "`saq new response` and `saq new submission` write a skeleton to start from",
        )]);
    }
    if docs.next().is_some() {
        return Err(vec![second_document(file, text, span_of)]);
    }

    let mut builder = Builder {
        file: &file.path,
        lines: Lines::new(text),
        spans: HashMap::new(),
        literals: HashMap::new(),
        diagnostics: Vec::new(),
        span_of: &span_of,
    };
    let value = builder.convert(&root, String::new(), None, 0);
    if builder.diagnostics.is_empty() {
        Ok(Document {
            value,
            spans: builder.spans,
            literals: builder.literals,
        })
    } else {
        Err(builder.diagnostics)
    }
}

/// S009, pointing at what starts the second document: its `---` line, which the hint
/// tells the user to remove (not the document's first node, which may be lines further
/// down, or past the end of the file when nothing follows the `---`).
fn second_document(
    file: &SourceFile,
    text: &str,
    span_of: impl Fn(saphyr_parser::Span) -> Span,
) -> Diagnostic {
    let start = saphyr_parser::Parser::new_from_str(text)
        .map_while(Result::ok)
        .filter_map(|(event, span)| match event {
            saphyr_parser::Event::DocumentStart(explicit) => Some((explicit, span)),
            _ => None,
        })
        .nth(1);
    let d = Diagnostic::new(
        Code::MultipleDocuments,
        &file.path,
        "a second YAML document starts here",
    );
    match start {
        Some((true, span)) => d
            .at(span_of(span))
            .hint("put each document in its own file, or remove the `---` line"),
        // A document after a `...` end marker needs no `---`.
        Some((false, span)) => d
            .at(Span::point(span_of(span).start))
            .hint("put each document in its own file, or remove the `...` line before it"),
        // The loader found two documents, so the parser does too; stay located anyway.
        None => d
            .at(Span::point(Position { line: 1, column: 1 }))
            .hint("put each document in its own file, or remove the `---` line"),
    }
}

/// Where each line of a text starts, to slice a scalar out of it by its position.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The character at a 1-based line and 0-based column.
    fn char_at(&self, line: usize, col: usize) -> Option<char> {
        let from = *self.starts.get(line.checked_sub(1)?)?;
        self.text[from..].split('\n').next()?.chars().nth(col)
    }

    /// The text of a span that lies on one line.
    fn slice(&self, span: saphyr_parser::Span) -> Option<&'a str> {
        let (start, end) = (span.start, span.end);
        if start.line() != end.line() {
            return None;
        }
        let from = *self.starts.get(start.line().checked_sub(1)?)?;
        let line = self.text[from..].split('\n').next()?;
        let byte = |col: usize| line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
        line.get(byte(start.col())..byte(end.col()))
    }
}

/// Where the event stream first opens a collection deeper than [`MAX_DEPTH`], if it does.
/// Parse errors are left for the loader to report.
fn too_deep(text: &str) -> Option<saphyr_parser::Marker> {
    let mut depth = 0usize;
    for event in saphyr_parser::Parser::new_from_str(text) {
        match event {
            Ok((
                saphyr_parser::Event::SequenceStart(..) | saphyr_parser::Event::MappingStart(..),
                span,
            )) => {
                depth += 1;
                // The document's own collection is level 0, as in the tree walk below.
                if depth > MAX_DEPTH + 1 {
                    return Some(span.start);
                }
            }
            Ok((saphyr_parser::Event::SequenceEnd | saphyr_parser::Event::MappingEnd, _)) => {
                depth = depth.saturating_sub(1);
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

fn scan_error(
    file: &SourceFile,
    text: &str,
    err: &saphyr::ScanError,
    position: impl Fn(usize, usize) -> Position,
) -> Vec<Diagnostic> {
    let marker = err.marker();
    let at = position(marker.line(), marker.col());
    let info = err.info();
    if info.contains("recursion limit") {
        return vec![Diagnostic::new(
            Code::TooDeep,
            &file.path,
            format!("nesting goes deeper than {MAX_DEPTH} levels here"),
        )
        .at(Span::point(at))
        .hint("saq's formats need fewer than ten levels; check the brackets")];
    }
    if info.contains("duplicated key") {
        return vec![Diagnostic::new(
            Code::DuplicateKey,
            &file.path,
            "this key appears earlier in the same mapping",
        )
        .at(Span::on_line(at.line, at.column, key_len(file, at)))
        .hint("a key may appear once per mapping; remove or merge one of them")];
    }
    if info.contains("alias expansion") {
        return vec![Diagnostic::new(
            Code::AliasExpansion,
            &file.path,
            "aliases expand past saq's node budget",
        )
        .at(Span::point(at))
        .hint("write the content out instead of repeating it with anchors and aliases")];
    }
    let tab = tab_in_indentation(text, marker.line(), info);
    if let Some((line, column)) = tab {
        let at = position(line, column);
        return vec![
            Diagnostic::new(Code::TabIndentation, &file.path, "tab in indentation")
                .at(Span::on_line(at.line, at.column, 1))
                .hint("YAML indents with spaces only; replace the tab with spaces"),
        ];
    }
    // An error at the end of the input ("did not find expected '}'") points past the
    // last line; when a `{` or `[` is still open there, the mistake is that bracket,
    // never closed. (Not when a quote is: the quote then ate the closing bracket.)
    if !info.contains("quoted") && marker.index() >= text.chars().count() {
        if let Some((bracket, line, col)) = unclosed_bracket(text) {
            let at = position(line, col);
            let close = if bracket == '{' { '}' } else { ']' };
            return vec![Diagnostic::new(
                Code::YamlSyntax,
                &file.path,
                format!("this `{bracket}` is never closed"),
            )
            .at(Span::on_line(at.line, at.column, 1))
            .hint(format!(
                "add the `{close}` that closes it, or check that every `{{` and `[` inside it is closed"
            ))];
        }
    }
    vec![Diagnostic::new(Code::YamlSyntax, &file.path, info.to_string())
        .at(Span::point(at))
        .hint("the mistake is often just before this point: an unclosed quote or bracket, or a value with `: ` that needs quotes")]
}

/// The innermost flow collection (`{` or `[`) still open where the parser stopped, as
/// (bracket, 1-based line, 0-based column): the parser's own events say where each
/// collection starts, so brackets inside quoted text or comments are not counted.
fn unclosed_bracket(text: &str) -> Option<(char, usize, usize)> {
    let lines = Lines::new(text);
    let mut open: Vec<Option<(char, usize, usize)>> = Vec::new();
    for (event, span) in saphyr_parser::Parser::new_from_str(text).map_while(Result::ok) {
        match event {
            saphyr_parser::Event::MappingStart(..) | saphyr_parser::Event::SequenceStart(..) => {
                // A block collection starts at its first key or `-`, a flow one at its bracket.
                let (line, col) = (span.start.line(), span.start.col());
                let flow = lines
                    .char_at(line, col)
                    .filter(|c| matches!(c, '{' | '['))
                    .map(|c| (c, line, col));
                open.push(flow);
            }
            saphyr_parser::Event::MappingEnd | saphyr_parser::Event::SequenceEnd => {
                open.pop();
            }
            _ => {}
        }
    }
    open.into_iter().rev().flatten().next()
}

/// The tab (1-based line, 0-based column) that a scan error is about, when it is one in
/// the indentation of a line.
///
/// A tab in leading whitespace is not always a mistake (a block scalar may hold one as
/// content), so a tab is blamed only when the error plausibly comes from it:
/// - saphyr says the error is about a tab. It reports it at the start of the token it
///   was scanning (a plain scalar may continue over several lines before the tab) or
///   just after the tab, so the culprit is the first line from the error's line on with
///   a tab in its leading whitespace.
/// - Otherwise, the error is on the tab's line or the next, and goes away (or moves
///   further down) when the tab is removed or replaced with spaces.
fn tab_in_indentation(text: &str, error_line: usize, info: &str) -> Option<(usize, usize)> {
    let tab_column = |line: &str| {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        indent.chars().position(|c| c == '\t')
    };
    if info.contains("tab") {
        return text
            .lines()
            .enumerate()
            .skip(error_line.saturating_sub(1))
            .find_map(|(i, line)| Some((i + 1, tab_column(line)?)));
    }
    let first = error_line.saturating_sub(1).max(1);
    text.lines()
        .enumerate()
        .skip(first - 1)
        .take(error_line + 1 - first)
        .find_map(|(i, line)| {
            let column = tab_column(line)?;
            // The tab may have been meant as any width, or as nothing.
            let caused = ["", "  ", "    "].iter().any(|width| {
                let mut fixed = String::with_capacity(text.len() + 8);
                for (j, l) in text.split_inclusive('\n').enumerate() {
                    let rest = l.trim_start_matches([' ', '\t']);
                    if j == i {
                        fixed.push_str(&l[..l.len() - rest.len()].replace('\t', width));
                        fixed.push_str(rest);
                    } else {
                        fixed.push_str(l);
                    }
                }
                // Events only: building the tree of a deep file would recurse.
                let error = saphyr_parser::Parser::new_from_str(&fixed).find_map(Result::err);
                error.is_none_or(|e| e.marker().line() > error_line)
            });
            caused.then_some((i + 1, column))
        })
}

/// Length in characters of the key starting at `at`, for underlining a duplicate key.
fn key_len(file: &SourceFile, at: Position) -> usize {
    let Some(line) = file.line(at.line) else {
        return 1;
    };
    let rest: String = line.chars().skip(at.column.saturating_sub(1)).collect();
    let key = rest.split(':').next().unwrap_or("").trim_end();
    key.chars().count().max(1)
}

struct Builder<'a, F: Fn(saphyr_parser::Span) -> Span> {
    file: &'a Path,
    lines: Lines<'a>,
    spans: HashMap<String, NodeSpan>,
    literals: HashMap<String, String>,
    diagnostics: Vec<Diagnostic>,
    span_of: &'a F,
}

impl<F: Fn(saphyr_parser::Span) -> Span> Builder<'_, F> {
    fn convert(
        &mut self,
        node: &MarkedYaml<'_>,
        pointer: String,
        key: Option<Span>,
        depth: usize,
    ) -> Value {
        let span = (self.span_of)(node.span);
        self.spans
            .insert(pointer.clone(), NodeSpan { key, value: span });
        if depth > MAX_DEPTH {
            if !self.diagnostics.iter().any(|d| d.code == Code::TooDeep) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::TooDeep,
                        self.file,
                        format!("nesting goes deeper than {MAX_DEPTH} levels here"),
                    )
                    .at(Span::point(span.start)),
                );
            }
            return Value::Null;
        }
        match &node.data {
            YamlData::Value(scalar) => {
                if !matches!(scalar, Scalar::String(_)) {
                    if let Some(written) = self.lines.slice(node.span).filter(|w| !w.is_empty()) {
                        self.literals.insert(pointer, written.to_string());
                    }
                }
                self.scalar(scalar, span)
            }
            YamlData::Tagged(_, inner) => self.convert(inner, pointer, key, depth),
            YamlData::Sequence(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.convert(item, format!("{pointer}/{i}"), None, depth + 1))
                    .collect(),
            ),
            YamlData::Mapping(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    let key_span = (self.span_of)(k.span);
                    let Some(name) = key_text(k) else {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::ComplexKey,
                                self.file,
                                "a key must be a plain value such as text or a number",
                            )
                            .at(key_span),
                        );
                        continue;
                    };
                    let child = pointer_join(&pointer, &name);
                    let value = self.convert(v, child, Some(key_span), depth + 1);
                    map.insert(name, value);
                }
                Value::Object(map)
            }
            YamlData::Representation(text, _, _) => Value::String(text.to_string()),
            YamlData::Alias(_) | YamlData::BadValue => {
                self.diagnostics.push(
                    Diagnostic::new(Code::YamlSyntax, self.file, "this value cannot be read")
                        .at(span)
                        .hint("an alias may name an anchor that is not defined before it"),
                );
                Value::Null
            }
        }
    }

    fn scalar(&mut self, scalar: &Scalar<'_>, span: Span) -> Value {
        match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Number((*i).into()),
            Scalar::FloatingPoint(f) => match Number::from_f64(f.into_inner()) {
                Some(n) => Value::Number(n),
                None => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::NonFiniteNumber,
                            self.file,
                            "this number is infinite or not a number",
                        )
                        .at(span)
                        .hint("write a finite number, or quote the value if you meant text"),
                    );
                    Value::Null
                }
            },
            Scalar::String(s) => Value::String(s.to_string()),
        }
    }
}

fn key_text(key: &MarkedYaml<'_>) -> Option<String> {
    match &key.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.into_inner().to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Value(Scalar::Null) => Some("null".to_string()),
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        YamlData::Tagged(_, inner) => key_text(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse(&SourceFile {
            path: "t.yaml".into(),
            text: text.into(),
        })
    }

    fn codes(text: &str) -> Vec<(Code, usize, usize)> {
        match doc(text) {
            Ok(_) => vec![],
            Err(d) => d
                .iter()
                .map(|d| {
                    (
                        d.code,
                        d.span.unwrap_or_default().start.line,
                        d.span.unwrap_or_default().start.column,
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn yaml_1_2_core_schema_keeps_yes_no_on_as_strings() {
        let d = doc("a: yes\nb: no\nc: on\nd: 'yes'\ne: true\n").unwrap();
        assert_eq!(
            d.value,
            serde_json::json!({"a": "yes", "b": "no", "c": "on", "d": "yes", "e": true})
        );
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let d = doc("top:\n  inner: [1, two]\n").unwrap();
        let s = d.span("/top/inner/1").unwrap();
        assert_eq!((s.start.line, s.start.column), (2, 14));
        let k = d.key_span("/top/inner").unwrap();
        assert_eq!((k.start.line, k.start.column), (2, 3));
        // Unknown pointers fall back to the nearest ancestor.
        assert_eq!(d.span("/top/inner/7/x"), d.span("/top/inner"));
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let d = doc("\"a/b\": 1\n\"c~d\": 2\n").unwrap();
        assert_eq!(d.span("/a~1b").unwrap().start.line, 1);
        assert_eq!(d.span("/c~0d").unwrap().start.line, 2);
    }

    #[test]
    fn problems_are_located() {
        assert_eq!(codes("a: 1\na: 2\n"), vec![(Code::DuplicateKey, 2, 1)]);
        assert_eq!(codes("a:\n\tb: 1\n"), vec![(Code::TabIndentation, 2, 1)]);
        assert_eq!(codes(""), vec![(Code::EmptyFile, 1, 1)]);
        assert_eq!(codes("# only a comment\n"), vec![(Code::EmptyFile, 1, 1)]);
        assert_eq!(
            codes("a: 1\n---\nb: 2\n").first().map(|c| c.0),
            Some(Code::MultipleDocuments)
        );
        // A bracket never closed: the bracket, not the end of the file.
        assert_eq!(codes("a: [1, 2\n"), vec![(Code::YamlSyntax, 1, 4)]);
        assert_eq!(codes("a: .nan\n"), vec![(Code::NonFiniteNumber, 1, 4)]);
        assert_eq!(
            codes("? [a, b]\n: 1\n").first().map(|c| c.0),
            Some(Code::ComplexKey)
        );
    }

    #[test]
    fn nesting_and_aliases_are_bounded() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(codes(&deep).first().map(|c| c.0), Some(Code::TooDeep));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = (b'a' + i) as char;
            let next = (b'a' + i + 1) as char;
            bomb.push_str(&format!("{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert_eq!(
            codes(&bomb).first().map(|c| c.0),
            Some(Code::AliasExpansion)
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let err = SourceFile::from_bytes("x.yaml", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(err.code, Code::NotUtf8);
        assert_eq!(err.span.unwrap().start, Position { line: 2, column: 4 });
    }

    #[test]
    fn a_byte_order_mark_is_accepted_and_not_counted_as_a_column() {
        let d = doc("\u{feff}a: 1\n").unwrap();
        assert_eq!(d.value, serde_json::json!({"a": 1}));
        // Editors do not show the mark, so `a` is in column 1 and `1` in column 4.
        assert_eq!(d.key_span("/a").unwrap().start.column, 1);
        assert_eq!(d.span("/a").unwrap().start.column, 4);
        let f = SourceFile {
            path: "t".into(),
            text: "\u{feff}a: 1\nb: 2\n".into(),
        };
        assert_eq!(&f.text[f.byte_range(Span::on_line(1, 4, 1))], "1");
        assert_eq!(&f.text[f.byte_range(Span::on_line(1, 1, 1))], "a");
        assert_eq!(&f.text[f.byte_range(Span::on_line(2, 1, 1))], "b");
        assert_eq!(f.line(1), Some("a: 1"));
        // Problems found while reading are counted the same way.
        assert_eq!(
            codes("\u{feff}a: .nan\n"),
            vec![(Code::NonFiniteNumber, 1, 4)]
        );
        let err = SourceFile::from_bytes("x.yaml", b"\xef\xbb\xbfa: \xff\n".to_vec()).unwrap_err();
        assert_eq!(err.span.unwrap().start, Position { line: 1, column: 4 });
    }

    #[test]
    fn a_second_document_is_reported_at_its_marker() {
        let at = |text: &str| {
            let d = doc(text).unwrap_err();
            assert_eq!(d[0].code, Code::MultipleDocuments, "{text:?}");
            let s = d[0].span.unwrap();
            (s.start.line, s.start.column, s.end.line, s.end.column)
        };
        // The `---` line, underlined, however far below it the document's content is.
        assert_eq!(at("a: 1\n---\nb: 2\n"), (2, 1, 2, 4));
        assert_eq!(at("a: 1\n--- # more\n\n# c\nb: 2\n"), (2, 1, 2, 4));
        assert_eq!(at("--- \na: 1\n--- x\n"), (3, 1, 3, 4));
        // A bare `---` at the end (with or without a newline) stays inside the file.
        assert_eq!(at("a: 1\n---\n"), (2, 1, 2, 4));
        assert_eq!(at("a: 1\n---"), (2, 1, 2, 4));
        // After a `...` end marker a document needs no `---`: point at its start.
        assert_eq!(at("a: 1\n...\nb: 2\n"), (3, 1, 3, 1));
        // With a byte-order mark.
        assert_eq!(at("\u{feff}---\na: 1\n---\n"), (3, 1, 3, 4));
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let at = |text: &str| {
            let d = doc(text).unwrap_err();
            assert_eq!(d.len(), 1, "{d:?}");
            let s = d[0].span.unwrap();
            (
                d[0].code,
                s.start.line,
                s.start.column,
                d[0].message.clone(),
            )
        };
        // The innermost collection still open, not one closed on time.
        assert_eq!(
            at("{\n  \"a\": { \"b\": 1 },\n  \"c\": [1, 2\n"),
            (
                Code::YamlSyntax,
                3,
                8,
                "this `[` is never closed".to_string()
            )
        );
        assert_eq!(
            at("{\n  \"a\": {\n    \"b\": 1\n  }\n"),
            (
                Code::YamlSyntax,
                1,
                1,
                "this `{` is never closed".to_string()
            )
        );
        // Brackets in quoted text and in comments do not count.
        assert_eq!(
            at("a: \"[x\"\nb: { c: \"}\" # }\n"),
            (
                Code::YamlSyntax,
                2,
                4,
                "this `{` is never closed".to_string()
            )
        );
        // With a byte-order mark, the column is still the bracket's.
        assert_eq!(
            at("\u{feff}{\"a\": 1\n"),
            (
                Code::YamlSyntax,
                1,
                1,
                "this `{` is never closed".to_string()
            )
        );
        // Nothing after the bracket at all.
        assert_eq!(
            at("a: 1\nb: {\n"),
            (
                Code::YamlSyntax,
                2,
                4,
                "this `{` is never closed".to_string()
            )
        );
        // An unclosed quote is not an unclosed bracket.
        assert_ne!(at("a: [\"x, y]\n").3, "this `[` is never closed");
        assert_ne!(at("a: [\"x, y]").3, "this `[` is never closed");
        assert_ne!(at("a: ['x, y]\n").3, "this `[` is never closed");
    }

    #[test]
    fn only_a_tab_the_parser_tripped_on_is_a_tab_in_indentation() {
        // Tabs in indentation, wherever saphyr reports them from.
        assert_eq!(codes("a:\n\tb: 1\n"), vec![(Code::TabIndentation, 2, 1)]);
        assert_eq!(codes("a: 1\n\tb: 2\n"), vec![(Code::TabIndentation, 2, 1)]);
        assert_eq!(
            codes("a:\n  b: 1\n  \tc: 2\n"),
            vec![(Code::TabIndentation, 3, 3)]
        );
        assert_eq!(
            codes("a: x\n  y\n  z\n\tw: 1\n"),
            vec![(Code::TabIndentation, 4, 1)]
        );
        assert_eq!(
            codes("x:\n  y: |\n    a\n\tb\n"),
            vec![(Code::TabIndentation, 4, 1)]
        );
        // An error that is not about a tab, but goes away without the tab just before it.
        assert_eq!(
            codes("x:\n  \ta: 1\n  b: 1\n"),
            vec![(Code::TabIndentation, 2, 3)]
        );
        // A tab inside a block scalar is content; a syntax error elsewhere is reported
        // as what it is, before or after the tab.
        assert_eq!(doc("a: |\n  x\n  \ty\n").unwrap().value["a"], "x\n\ty\n");
        assert_eq!(
            codes("a: b: c\nd: |\n  x\n  \ty\n"),
            vec![(Code::YamlSyntax, 1, 5)]
        );
        assert_eq!(
            codes("d: |\n  x\n  \ty\na: b: c\n"),
            vec![(Code::YamlSyntax, 4, 5)]
        );
    }

    #[test]
    fn non_text_scalars_keep_how_they_are_written() {
        let d = doc("a: 1.10\nb: True\nc: ~\nd: [0x1F, 1e3]\ne: text\n\u{e9}: 2.50\n").unwrap();
        assert_eq!(d.literal("/a"), Some("1.10"));
        assert_eq!(d.literal("/b"), Some("True"));
        assert_eq!(d.literal("/c"), Some("~"));
        assert_eq!(d.literal("/d/0"), Some("0x1F"));
        assert_eq!(d.literal("/d/1"), Some("1e3"));
        assert_eq!(d.literal("/e"), None);
        assert_eq!(d.literal("/\u{e9}"), Some("2.50"));
    }

    #[test]
    fn byte_range_counts_characters_not_bytes() {
        let f = SourceFile {
            path: "t".into(),
            text: "é: ü\n".into(),
        };
        let r = f.byte_range(Span::on_line(1, 4, 1));
        assert_eq!(&f.text[r], "ü");
    }
}
