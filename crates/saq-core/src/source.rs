//! Reading a user's file into a JSON value that remembers where every node came from.
//!
//! Every format saq reads is YAML 1.2 (core schema: `yes`, `no` and `on` stay strings).
//! The file is read in one pass over saphyr's event stream, which gives a position for
//! every node, keys included, straight into a `serde_json::Value` (what JSON Schema
//! validation and serde work on) plus a map from JSON Pointer to position, so any later
//! stage that finds a problem at `/answers/art5.offence/value` can point at the line and
//! column. No YAML tree is built in between: that tree cost more than the parse itself.
//! This module is also where the input limits live: size, nesting depth and alias
//! expansion are bounded, and exceeding them is a diagnostic, never a hang.

use std::path::{Path, PathBuf};

use foldhash::HashMap;
use saphyr::Scalar;
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
///
/// One pass over saphyr's event stream builds the value, the span map and the
/// literals together, checking the nesting depth and the alias budget as it goes:
/// no intermediate tree, and nothing recursive that a deep file could overflow.
pub fn parse(file: &SourceFile) -> Result<Document, Vec<Diagnostic>> {
    // Editors hide a byte-order mark, so positions are counted without it.
    let text = file.text.strip_prefix(BOM).unwrap_or(&file.text);
    let mut loader = Loader {
        file,
        lines: Lines::new(text),
        stack: Vec::new(),
        pointer: String::new(),
        root: None,
        anchors: HashMap::default(),
        alias_budget: ALIAS_BUDGET,
        spans: HashMap::default(),
        literals: HashMap::default(),
        diagnostics: Vec::new(),
    };
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next() {
        let (event, span) = match next {
            Ok(next) => next,
            Err(err) => return Err(scan_error(file, text, &err)),
        };
        match event {
            saphyr_parser::Event::DocumentStart(explicit) => {
                documents += 1;
                if documents > 1 {
                    // A syntax error anywhere in the file is the more useful report.
                    if let Some(err) = parser.find_map(Result::err) {
                        return Err(scan_error(file, text, &err));
                    }
                    return Err(vec![second_document(file, explicit, span_of(span))]);
                }
            }
            event => match loader.on_event(event, span) {
                Ok(()) => {}
                // Nothing below a node nested too deep is read, so a deep file stays cheap.
                Err(fatal) if fatal.code == Code::TooDeep => return Err(vec![*fatal]),
                Err(fatal) => {
                    // As saphyr's loader does: a syntax error anywhere comes first.
                    if let Some(err) = parser.find_map(Result::err) {
                        return Err(scan_error(file, text, &err));
                    }
                    return Err(vec![*fatal]);
                }
            },
        }
    }
    let empty = || {
        Diagnostic::new(Code::EmptyFile, &file.path, "the file has no content")
            .at(Span::point(Position { line: 1, column: 1 }))
            .hint("`saq new response` and `saq new submission` write a skeleton to start from")
    };
    match loader.root.take() {
        None | Some(Value::Null) => Err(vec![empty()]),
        Some(_) if !loader.diagnostics.is_empty() => Err(loader.diagnostics),
        Some(value) => Ok(Document {
            value,
            spans: loader.spans,
            literals: loader.literals,
        }),
    }
}

/// saphyr's default: the number of nodes aliases may copy over a whole file.
const ALIAS_BUDGET: usize = 100_000;

/// A position as saq counts it (1-based columns) from saphyr's marker.
fn position_of(at: saphyr_parser::Marker) -> Position {
    Position {
        line: at.line(),
        column: at.col() + 1,
    }
}

fn span_of(span: saphyr_parser::Span) -> Span {
    Span::new(position_of(span.start), position_of(span.end))
}

/// S009, pointing at what starts the second document: its `---` line, which the hint
/// tells the user to remove (not the document's first node, which may be lines further
/// down, or past the end of the file when nothing follows the `---`).
fn second_document(file: &SourceFile, explicit: bool, span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::MultipleDocuments,
        &file.path,
        "a second YAML document starts here",
    );
    if explicit {
        d.at(span)
            .hint("put each document in its own file, or remove the `---` line")
    } else {
        // A document after a `...` end marker needs no `---`.
        d.at(Span::point(span.start))
            .hint("put each document in its own file, or remove the `...` line before it")
    }
}

/// A collection still open in the event stream.
struct Frame {
    /// Where the collection starts, and its key's span when it is a mapping's value.
    start: saphyr_parser::Marker,
    key: Option<Span>,
    /// Length of [`Loader::pointer`] before this collection's own segment was added.
    parent_pointer: usize,
    /// Whether the collection is a mapping key (so has no pointer of its own).
    is_key: bool,
    anchor: usize,
    /// Levels of collections inside this one, for the depth check on aliases.
    height: usize,
    body: Body,
}

enum Body {
    Sequence(Vec<Value>),
    Mapping {
        map: Map<String, Value>,
        /// The key read and waiting for its value; `Err` for one that is not plain.
        pending: Option<Result<(String, Span), ()>>,
    },
}

/// Where the next node goes in the collection on top of the stack.
enum Slot {
    Root,
    Item(usize),
    Key,
    Value(String, Span),
    /// The value of a key already reported as not plain: read, then dropped.
    Dropped,
}

struct Loader<'a> {
    file: &'a SourceFile,
    lines: Lines<'a>,
    stack: Vec<Frame>,
    /// The JSON Pointer of the node being read, grown and cut back as the walk goes.
    pointer: String,
    root: Option<Value>,
    /// Anchored values, with their height, as aliases copy them.
    anchors: HashMap<usize, (Value, usize)>,
    alias_budget: usize,
    spans: HashMap<String, NodeSpan>,
    literals: HashMap<String, String>,
    /// Problems that do not stop reading; a fatal one is returned at once.
    diagnostics: Vec<Diagnostic>,
}

type Fatal = Box<Diagnostic>;

impl Loader<'_> {
    fn on_event(
        &mut self,
        event: saphyr_parser::Event<'_>,
        span: saphyr_parser::Span,
    ) -> Result<(), Fatal> {
        use saphyr_parser::Event;
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let slot = self.slot();
                self.check_depth(&slot, 0, span.start)?;
                let tag = tag.filter(|t| t.is_yaml_core_schema());
                let scalar = Scalar::parse_from_cow_and_metadata(text, style, tag.as_ref());
                if let (Slot::Key, Some(scalar)) = (&slot, &scalar) {
                    // A key is a name, whatever it looks like: `.inf: x` names `inf`.
                    let name = scalar_key_text(scalar);
                    if anchor > 0 {
                        let value = scalar_value(scalar).unwrap_or(Value::Null);
                        self.anchors.insert(anchor, (value, 0));
                    }
                    self.set_key(Ok((name, span_of(span))));
                    return Ok(());
                }
                let value = match scalar {
                    Some(scalar) => {
                        if !matches!(scalar, Scalar::String(_)) && !matches!(slot, Slot::Key) {
                            self.literal(&slot, span);
                        }
                        self.scalar(scalar, span)
                    }
                    None => {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::YamlSyntax,
                                &self.file.path,
                                "this value cannot be read as its tag says",
                            )
                            .at(span_of(span))
                            .hint("remove the `!!` tag, or write a value of that type"),
                        );
                        Value::Null
                    }
                };
                self.place(slot, value, 0, anchor, span_of(span))
            }
            Event::Alias(id) => {
                let slot = self.slot();
                let Some((value, height)) = self.anchors.get(&id) else {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::YamlSyntax,
                            &self.file.path,
                            "this value cannot be read",
                        )
                        .at(span_of(span))
                        .hint("an alias must name an anchor defined before it"),
                    );
                    return self.place(slot, Value::Null, 0, 0, span_of(span));
                };
                let (value, height) = (value.clone(), *height);
                self.check_depth(&slot, height, span.start)?;
                match nodes_within(&value, self.alias_budget) {
                    Some(used) => self.alias_budget -= used,
                    None => {
                        return Err(Box::new(
                            Diagnostic::new(
                                Code::AliasExpansion,
                                &self.file.path,
                                "aliases expand past saq's node budget",
                            )
                            .at(Span::point(position_of(span.start)))
                            .hint(
                                "write the content out instead of repeating it with anchors and aliases",
                            ),
                        ));
                    }
                }
                self.place(slot, value, height, 0, span_of(span))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let slot = self.slot();
                self.check_depth(&slot, 0, span.start)?;
                let parent_pointer = self.pointer.len();
                let (key, is_key) = match &slot {
                    Slot::Key => (None, true),
                    Slot::Value(_, key) => (Some(*key), false),
                    _ => (None, false),
                };
                self.enter(&slot);
                let body = if matches!(event, Event::SequenceStart(..)) {
                    Body::Sequence(Vec::new())
                } else {
                    Body::Mapping {
                        map: Map::new(),
                        pending: None,
                    }
                };
                self.stack.push(Frame {
                    start: span.start,
                    key,
                    parent_pointer,
                    is_key,
                    anchor,
                    height: 0,
                    body,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let value = match frame.body {
                    Body::Sequence(items) => Value::Array(items),
                    Body::Mapping { map, .. } => Value::Object(map),
                };
                let whole = Span::new(position_of(frame.start), position_of(span.start));
                if !frame.is_key {
                    self.spans.insert(
                        self.pointer.clone(),
                        NodeSpan {
                            key: frame.key,
                            value: whole,
                        },
                    );
                }
                self.pointer.truncate(frame.parent_pointer);
                // The collection's pointer segment is already cut: place it as a whole.
                let slot = match self.stack.last() {
                    None => Slot::Root,
                    Some(_) if frame.is_key => Slot::Key,
                    Some(_) => self.slot(),
                };
                self.attach(slot, value, frame.height, frame.anchor, whole)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    /// What the next node is in the collection being read.
    fn slot(&self) -> Slot {
        match self.stack.last().map(|f| &f.body) {
            None => Slot::Root,
            Some(Body::Sequence(items)) => Slot::Item(items.len()),
            Some(Body::Mapping { pending: None, .. }) => Slot::Key,
            Some(Body::Mapping {
                pending: Some(Ok((name, key))),
                ..
            }) => Slot::Value(name.clone(), *key),
            Some(Body::Mapping {
                pending: Some(Err(())),
                ..
            }) => Slot::Dropped,
        }
    }

    /// Adds the pointer segment of a node in `slot` (keys have none).
    fn enter(&mut self, slot: &Slot) {
        match slot {
            Slot::Item(i) => {
                use std::fmt::Write;
                let _ = write!(self.pointer, "/{i}");
            }
            Slot::Value(name, _) => {
                self.pointer.push('/');
                if name.contains(['~', '/']) {
                    self.pointer.push_str(&escape_pointer(name));
                } else {
                    self.pointer.push_str(name);
                }
            }
            Slot::Root | Slot::Key | Slot::Dropped => {}
        }
    }

    /// S005 when a node in `slot`, `height` levels tall, would sit deeper than [`MAX_DEPTH`].
    fn check_depth(
        &self,
        slot: &Slot,
        height: usize,
        at: saphyr_parser::Marker,
    ) -> Result<(), Fatal> {
        // A mapping's keys were never depth-checked as values are; collections are.
        let depth = self.stack.len() + height;
        if depth > MAX_DEPTH && (!matches!(slot, Slot::Key) || height > 0) {
            return Err(Box::new(
                Diagnostic::new(
                    Code::TooDeep,
                    &self.file.path,
                    format!("nesting goes deeper than {MAX_DEPTH} levels here"),
                )
                .at(Span::point(position_of(at)))
                .hint("saq's formats need fewer than ten levels; check the indentation"),
            ));
        }
        Ok(())
    }

    /// Records how a non-text scalar is written, for hints that quote the user.
    fn literal(&mut self, slot: &Slot, span: saphyr_parser::Span) {
        if let Some(written) = self.lines.slice(span).filter(|w| !w.is_empty()) {
            let len = self.pointer.len();
            self.enter(slot);
            self.literals
                .insert(self.pointer.clone(), written.to_string());
            self.pointer.truncate(len);
        }
    }

    /// Places a scalar or alias: records its span, then attaches it.
    fn place(
        &mut self,
        slot: Slot,
        value: Value,
        height: usize,
        anchor: usize,
        span: Span,
    ) -> Result<(), Fatal> {
        if let Slot::Root | Slot::Item(_) | Slot::Value(..) = slot {
            let len = self.pointer.len();
            self.enter(&slot);
            let key = match &slot {
                Slot::Value(_, key) => Some(*key),
                _ => None,
            };
            self.spans
                .insert(self.pointer.clone(), NodeSpan { key, value: span });
            self.pointer.truncate(len);
        }
        self.attach(slot, value, height, anchor, span)
    }

    /// Puts a finished node where `slot` says.
    fn attach(
        &mut self,
        slot: Slot,
        value: Value,
        height: usize,
        anchor: usize,
        span: Span,
    ) -> Result<(), Fatal> {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), height));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        parent.height = parent.height.max(height + 1);
        match (&mut parent.body, slot) {
            (Body::Sequence(items), _) => items.push(value),
            (Body::Mapping { .. }, Slot::Key) => {
                let key = key_text(&value).map(|name| (name, span)).ok_or(span);
                self.set_key(key);
                return Ok(());
            }
            (Body::Mapping { map, pending }, _) => {
                if let Some(Ok((name, key))) = pending.take() {
                    if map.contains_key(&name) {
                        return Err(Box::new(duplicate_key(self.file, key.start)));
                    }
                    map.insert(name, value);
                }
            }
        }
        Ok(())
    }

    /// Records the key just read in the mapping on top of the stack. A key that is
    /// not plain (`Err`, with its span) is reported; its value is read and dropped.
    fn set_key(&mut self, key: Result<(String, Span), Span>) {
        let key = key.map_err(|span| {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ComplexKey,
                    &self.file.path,
                    "a key must be a plain value such as text or a number",
                )
                .at(span),
            );
        });
        if let Some(Frame {
            body: Body::Mapping { pending, .. },
            ..
        }) = self.stack.last_mut()
        {
            *pending = Some(key);
        }
    }

    fn scalar(&mut self, scalar: Scalar<'_>, span: saphyr_parser::Span) -> Value {
        if let Scalar::String(text) = scalar {
            return Value::String(text.into_owned());
        }
        match scalar_value(&scalar) {
            Some(value) => value,
            None => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::NonFiniteNumber,
                        &self.file.path,
                        "this number is infinite or not a number",
                    )
                    .at(span_of(span))
                    .hint("write a finite number, or quote the value if you meant text"),
                );
                Value::Null
            }
        }
    }
}

/// The JSON value of a scalar; `None` for a number JSON cannot hold (infinite, NaN).
fn scalar_value(scalar: &Scalar<'_>) -> Option<Value> {
    Some(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => Value::Number(Number::from_f64(f.into_inner())?),
        Scalar::String(s) => Value::String(s.to_string()),
    })
}

/// The name a scalar key gives its entry.
fn scalar_key_text(key: &Scalar<'_>) -> String {
    match key {
        Scalar::String(s) => s.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.into_inner().to_string(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Null => "null".to_string(),
    }
}

/// The name a scalar key gives its entry in the JSON value; `None` for a collection.
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => n.as_f64().map_or_else(|| n.to_string(), |f| f.to_string()),
        }),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// How many nodes copying `value` creates, counted as saphyr does (a mapping entry's
/// key is one node), or `None` past `budget`.
fn nodes_within(value: &Value, budget: usize) -> Option<usize> {
    let mut used = 0usize;
    let mut todo = vec![value];
    while let Some(node) = todo.pop() {
        used += 1;
        match node {
            Value::Array(items) => todo.extend(items),
            Value::Object(map) => {
                used += map.len();
                todo.extend(map.values());
            }
            _ => {}
        }
        if used > budget {
            return None;
        }
    }
    Some(used)
}

fn duplicate_key(file: &SourceFile, at: Position) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateKey,
        &file.path,
        "this key appears earlier in the same mapping",
    )
    .at(Span::on_line(at.line, at.column, key_len(file, at)))
    .hint("a key may appear once per mapping; remove or merge one of them")
}

/// The byte offset where each line of `text` starts (the first is 0): an index built
/// once, so that finding line N costs the same however far down the file it is.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Where each line of a text starts, to slice a scalar out of it by its position.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            starts: line_starts(text),
        }
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

fn scan_error(file: &SourceFile, text: &str, err: &saphyr_parser::ScanError) -> Vec<Diagnostic> {
    let marker = err.marker();
    let at = position_of(*marker);
    let position = |line: usize, col: usize| Position {
        line,
        column: col + 1,
    };
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
    fn aliases_count_toward_the_nesting_limit() {
        // An anchor 40 levels tall, copied 40 levels down: 80 levels in the value.
        let tall = format!("{}x{}", "[".repeat(40), "]".repeat(40));
        let text = format!("a: &a {tall}\nb: {}*a{}\n", "[".repeat(39), "]".repeat(39));
        assert_eq!(codes(&text), vec![(Code::TooDeep, 2, 43)]);
        // Within the limit, the copy is the anchor's value.
        let d = doc("a: &a {x: [1, 2]}\nb: [*a]\n").unwrap();
        assert_eq!(d.value["b"][0], serde_json::json!({"x": [1, 2]}));
        // A copied node points at the alias.
        assert_eq!(d.span("/b/0/x/1").unwrap().start.column, 5);
    }

    #[test]
    fn a_tag_the_value_does_not_fit_is_located() {
        assert_eq!(codes("a: !!int abc\n"), vec![(Code::YamlSyntax, 1, 4)]);
        assert_eq!(doc("a: !!str 12\n").unwrap().value["a"], "12");
        // A tag of saq's own kind is ignored, as saphyr does.
        assert_eq!(doc("a: !custom 12\n").unwrap().value["a"], 12);
    }

    #[test]
    fn keys_that_name_the_same_entry_are_duplicates() {
        // YAML tells `1` from `"1"`; the JSON value cannot.
        assert_eq!(codes("1: a\n\"1\": b\n"), vec![(Code::DuplicateKey, 2, 1)]);
        // A syntax error later in the file is reported instead, as it is the cause more often.
        assert_eq!(
            codes("a: 1\na: 2\nb: [\n").first().map(|c| c.0),
            Some(Code::YamlSyntax)
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
