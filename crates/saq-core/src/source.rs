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
                text,
            }),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                // The prefix is valid UTF-8 by construction; lossy keeps this panic-free regardless.
                let prefix = String::from_utf8_lossy(valid);
                let at = position_after(&prefix);
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

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> Option<&str> {
        self.text.lines().nth(line.checked_sub(1)?)
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
                let content = line.trim_end_matches(['\n', '\r']);
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
}

impl Document {
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
    let (text, bom) = match file.text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, true),
        None => (file.text.as_str(), false),
    };
    let position = |line: usize, col: usize| Position {
        line,
        column: col + 1 + usize::from(bom && line == 1),
    };
    let span_of = |s: saphyr_parser::Span| {
        Span::new(
            position(s.start.line(), s.start.col()),
            position(s.end.line(), s.end.col()),
        )
    };

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
    if let Some(second) = docs.next() {
        return Err(vec![Diagnostic::new(
            Code::MultipleDocuments,
            &file.path,
            "a second YAML document starts here",
        )
        .at(span_of(second.span))
        .hint("put each document in its own file, or remove the `---` line")]);
    }

    let mut builder = Builder {
        file: &file.path,
        spans: HashMap::new(),
        diagnostics: Vec::new(),
        span_of: &span_of,
    };
    let value = builder.convert(&root, String::new(), None, 0);
    if builder.diagnostics.is_empty() {
        Ok(Document {
            value,
            spans: builder.spans,
        })
    } else {
        Err(builder.diagnostics)
    }
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
    let tabs: Vec<Diagnostic> = text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let indent: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let col = indent.find('\t')?;
            Some(
                Diagnostic::new(Code::TabIndentation, &file.path, "tab in indentation")
                    .at(Span::on_line(
                        position(i + 1, col).line,
                        position(i + 1, col).column,
                        1,
                    ))
                    .hint("YAML indents with spaces only; replace the tab with spaces"),
            )
        })
        .collect();
    if !tabs.is_empty() {
        return tabs;
    }
    vec![Diagnostic::new(Code::YamlSyntax, &file.path, info.to_string())
        .at(Span::point(at))
        .hint("the mistake is often just before this point: an unclosed quote or bracket, or a value with `: ` that needs quotes")]
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
    spans: HashMap<String, NodeSpan>,
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
            YamlData::Value(scalar) => self.scalar(scalar, span),
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
        assert_eq!(
            codes("a: [1, 2\n").first().map(|c| c.0),
            Some(Code::YamlSyntax)
        );
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
    fn a_byte_order_mark_is_accepted_and_columns_stay_right() {
        let d = doc("\u{feff}a: 1\n").unwrap();
        assert_eq!(d.value, serde_json::json!({"a": 1}));
        assert_eq!(d.key_span("/a").unwrap().start.column, 1 + 1);
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
