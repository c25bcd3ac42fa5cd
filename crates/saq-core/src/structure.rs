//! Layer 1 of validation: a file's structure, checked against its JSON Schema.
//!
//! Every file is validated with the `jsonschema` crate against the schema saq
//! publishes for it (`saq schema ...`), so an editor with a YAML language server and
//! `saq validate` agree on what is valid. Each schema error's instance path is mapped
//! back through the [`Document`]'s span map to a line and column, and turned into a
//! diagnostic with a message written for people, not for schema authors. The
//! semantic checks (layer 2) run only on files that pass this layer, so the two
//! layers never report the same problem twice.

use std::path::Path;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::codes::Code;
use crate::diagnostic::{did_you_mean, Diagnostic, Span};
use crate::source::{pointer_join, Document};

/// A compiled schema, built once and reused for every file of its kind.
pub struct SchemaValidator {
    schema: Value,
    validator: Validator,
}

/// A schema saq generated is itself invalid: a bug in saq, not in the user's file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("saq generated an invalid JSON Schema: {0}")]
pub struct InvalidSchema(String);

impl SchemaValidator {
    pub fn new(schema: Value) -> Result<Self, InvalidSchema> {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| InvalidSchema(e.to_string()))?;
        Ok(SchemaValidator { schema, validator })
    }

    /// Whether `value` is valid, without describing why not (e.g. does an old answer fit a new question).
    pub fn is_valid(&self, value: &Value) -> bool {
        self.validator.is_valid(value)
    }

    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Every structural problem of `doc`, located.
    pub fn check(&self, file: &Path, doc: &Document) -> Vec<Diagnostic> {
        self.check_with_repairs(file, doc).0
    }

    /// Like [`check`](Self::check), and also the edits that would let the file be read
    /// anyway (drop an unknown key, or rename a misspelled one to the required key it
    /// was meant to be), so semantic checks can still run and report everything at once.
    fn check_with_repairs(&self, file: &Path, doc: &Document) -> (Vec<Diagnostic>, Vec<Repair>) {
        let mut found = Found::default();
        for error in self.validator.iter_errors(&doc.value) {
            self.describe(file, doc, &error, &mut found);
        }
        // A misspelled required key shows up twice (unknown `promt`, missing `prompt`):
        // report it once, as the typo, and repair it by renaming.
        let mut drop = vec![false; found.out.len()];
        let mut repairs = Vec::new();
        for u in &found.unknown {
            let twin = found
                .missing
                .iter()
                .find(|m| m.object == u.object && Some(&m.key) == u.suggestion.as_ref());
            match twin {
                Some(m) => {
                    drop[m.index] = true;
                    if let Some(d) = found.out.get_mut(u.index) {
                        d.hints = vec![format!("did you mean `{}`? it is required here", m.key)];
                    }
                    repairs.push(Repair::Rename {
                        object: u.object.clone(),
                        from: u.key.clone(),
                        to: m.key.clone(),
                    });
                }
                None => repairs.push(Repair::Remove {
                    object: u.object.clone(),
                    key: u.key.clone(),
                }),
            }
        }
        let mut out: Vec<Diagnostic> = found
            .out
            .into_iter()
            .zip(drop)
            .filter(|(_, d)| !d)
            .map(|(d, _)| d)
            .collect();
        out.dedup();
        (out, repairs)
    }

    fn describe(
        &self,
        file: &Path,
        doc: &Document,
        error: &ValidationError<'_>,
        found: &mut Found,
    ) {
        let out = &mut found.out;
        let at = error.instance_path().as_str().to_string();
        let schema_at = error.schema_path().as_str().to_string();
        let instance = error.instance();
        let shown = show(instance);
        let span = doc.span(&at);
        let d = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let parent = parent_pointer(&schema_at);
                let known: Vec<String> = self
                    .schema
                    .pointer(parent)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                for key in unexpected {
                    let key_at = pointer_join(&at, key);
                    let suggestion =
                        did_you_mean(key, known.iter().map(String::as_str)).map(str::to_string);
                    found.unknown.push(Unknown {
                        object: at.clone(),
                        key: key.clone(),
                        suggestion: suggestion.clone(),
                        index: out.len(),
                    });
                    let hint = match suggestion {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if !known.is_empty() => {
                            format!("known keys here: {}", known.join(", "))
                        }
                        None => "remove this key".to_string(),
                    };
                    out.push(
                        Diagnostic::new(Code::UnknownKey, file, format!("unknown key `{key}`"))
                            .at_opt(doc.key_span(&key_at))
                            .hint(hint),
                    );
                }
                return;
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                found.missing.push(Missing {
                    object: at.clone(),
                    key: name.to_string(),
                    index: out.len(),
                });
                Diagnostic::new(
                    Code::MissingKey,
                    file,
                    format!("missing required key `{name}`"),
                )
                .at_opt(doc.key_span(&at).map(|s| Span::point(s.start)))
                .hint(format!("add `{name}:` to this mapping"))
            }
            ValidationErrorKind::Type { .. } => {
                let expected = self
                    .schema
                    .pointer(&schema_at)
                    .map(describe_types)
                    .unwrap_or_default();
                Diagnostic::new(
                    Code::WrongType,
                    file,
                    format!("expected {expected}, found {}", type_name(instance)),
                )
                .at_opt(span)
                .hint_opt(type_hint(instance, &expected))
            }
            ValidationErrorKind::Enum { options }
            | ValidationErrorKind::Constant {
                expected_value: options,
            } => {
                let allowed: Vec<String> = match options.as_ref() {
                    Value::Array(items) => items.iter().map(show).collect(),
                    other => vec![show(other)],
                };
                let best = instance
                    .as_str()
                    .and_then(|s| did_you_mean(s, allowed.iter().map(String::as_str)));
                let d = Diagnostic::new(
                    Code::InvalidValue,
                    file,
                    format!("`{shown}` is not an allowed value here"),
                )
                .at_opt(span);
                let d = match best {
                    Some(best) => d.hint(format!("did you mean `{best}`?")),
                    None => d,
                };
                d.hint(format!("allowed: {}", abbreviate(&allowed)))
            }
            ValidationErrorKind::Pattern { pattern } => {
                let what = self
                    .schema
                    .pointer(parent_pointer(&schema_at))
                    .and_then(|s| s.get("description"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                Diagnostic::new(
                    Code::InvalidFormat,
                    file,
                    format!("`{shown}` does not have the required form"),
                )
                .at_opt(span)
                .hint(match what {
                    Some(w) => format!("expected {}", w.trim_end_matches('.')),
                    None => format!("expected text matching `{pattern}`"),
                })
            }
            ValidationErrorKind::Format { format } => {
                let expected = match format.as_str() {
                    "date" => "a real date written YYYY-MM-DD, such as 2026-03-01",
                    "uri" | "iri" => "an absolute URL such as https://example.org/page",
                    "email" => "an e-mail address such as someone@example.org",
                    other => other,
                };
                Diagnostic::new(
                    Code::InvalidFormat,
                    file,
                    format!("`{shown}` is not a valid {format}"),
                )
                .at_opt(span)
                .hint(format!("expected {expected}"))
            }
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!("{shown} is below the minimum {limit}"),
            )
            .at_opt(span),
            ValidationErrorKind::Maximum { limit }
            | ValidationErrorKind::ExclusiveMaximum { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!("{shown} is above the maximum {limit}"),
            )
            .at_opt(span),
            ValidationErrorKind::MinItems { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!(
                    "this list needs at least {limit} item{}",
                    if *limit == 1 { "" } else { "s" }
                ),
            )
            .at_opt(span),
            ValidationErrorKind::MaxItems { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!("this list may hold at most {limit} items"),
            )
            .at_opt(span),
            ValidationErrorKind::MinLength { .. } => {
                Diagnostic::new(Code::OutOfRange, file, "this text must not be empty").at_opt(span)
            }
            ValidationErrorKind::MaxLength { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!("this text is longer than {limit} characters"),
            )
            .at_opt(span),
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // Report the branch that got furthest into the value: its errors are the
                // specific ones. If no branch got past the value itself, it has the wrong shape.
                let depth = |errs: &Vec<ValidationError<'static>>| {
                    errs.iter()
                        .map(|e| e.instance_path().as_str().len())
                        .max()
                        .unwrap_or(0)
                };
                let best = context
                    .iter()
                    .filter(|errs| !errs.is_empty())
                    .max_by_key(|errs| (depth(errs), usize::MAX - errs.len()));
                match best {
                    Some(errs) if depth(errs) > at.len() => {
                        for e in errs {
                            self.describe(file, doc, e, found);
                        }
                        return;
                    }
                    _ => {
                        let expected = self
                            .schema
                            .pointer(&schema_at)
                            .and_then(Value::as_array)
                            .map(|branches| {
                                branches
                                    .iter()
                                    .map(describe_types)
                                    .collect::<Vec<_>>()
                                    .join(" or ")
                            })
                            .unwrap_or_else(|| "another form".into());
                        Diagnostic::new(
                            Code::WrongType,
                            file,
                            format!("expected {expected}, found {}", type_name(instance)),
                        )
                        .at_opt(span)
                    }
                }
            }
            _ => Diagnostic::new(Code::SchemaViolation, file, error.to_string()).at_opt(span),
        };
        out.push(d);
    }
}

#[derive(Default)]
struct Found {
    out: Vec<Diagnostic>,
    unknown: Vec<Unknown>,
    missing: Vec<Missing>,
}

struct Unknown {
    object: String,
    key: String,
    suggestion: Option<String>,
    index: usize,
}

struct Missing {
    object: String,
    key: String,
    index: usize,
}

/// An edit that makes a structurally broken file readable, for error recovery.
enum Repair {
    Remove {
        object: String,
        key: String,
    },
    Rename {
        object: String,
        from: String,
        to: String,
    },
}

impl Repair {
    fn apply(&self, value: &mut Value) {
        let (object, key) = match self {
            Repair::Remove { object, key }
            | Repair::Rename {
                object, from: key, ..
            } => (object, key),
        };
        let Some(Value::Object(map)) = value.pointer_mut(object) else {
            return;
        };
        if let Some(v) = map.remove(key) {
            if let Repair::Rename { to, .. } = self {
                map.entry(to.clone()).or_insert(v);
            }
        }
    }
}

/// Deserializes a value that passed its schema. A failure here means the schema and
/// the Rust types disagree; it is still reported, located, rather than panicking.
pub fn deserialize<T: DeserializeOwned>(file: &Path, doc: &Document) -> Result<T, Vec<Diagnostic>> {
    serde_path_to_error::deserialize(&doc.value).map_err(|err| {
        let pointer: String = err
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    Some(format!("/{}", crate::source::escape_pointer(key)))
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        vec![
            Diagnostic::new(Code::SchemaViolation, file, err.inner().to_string())
                .at_opt(doc.span(&pointer)),
        ]
    })
}

fn parent_pointer(pointer: &str) -> &str {
    pointer.rfind('/').map_or("", |i| &pointer[..i])
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn abbreviate(items: &[String]) -> String {
    if items.len() > 12 {
        format!("{}, … ({} in all)", items[..12].join(", "), items.len())
    } else {
        items.join(", ")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn describe_types(schema: &Value) -> String {
    let one = |t: &str| match t {
        "string" => "text",
        "number" => "a number",
        "integer" => "a whole number",
        "array" => "a list",
        "object" => "a mapping",
        "boolean" => "true/false",
        "null" => "nothing",
        _ => "a value",
    };
    let types = match schema {
        Value::String(t) => vec![one(t)],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).map(one).collect(),
        Value::Object(o) => match o.get("type") {
            Some(t) => return describe_types(t),
            None if o.contains_key("enum") => vec!["one of the allowed values"],
            None => vec!["a value"],
        },
        _ => vec!["a value"],
    };
    types.join(" or ")
}

fn type_hint(found: &Value, expected: &str) -> Option<String> {
    match found {
        Value::Bool(b) if expected.contains("text") => Some(format!(
            "YAML read `{b}` as true/false; write it in quotes if you meant text"
        )),
        Value::Number(n) if expected.contains("text") => {
            Some(format!("write it in quotes: \"{n}\""))
        }
        Value::Null => Some("the value is missing after the colon".to_string()),
        Value::String(_) if expected.contains("list") => {
            Some("write a list: one `- item` per line, or `[a, b]`".to_string())
        }
        _ => None,
    }
}

/// A file read into its model, with the structural problems that were recovered from.
pub struct Loaded<T> {
    pub value: T,
    pub doc: Document,
    /// Structural problems (already reported); empty when the file passed its schema.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses, validates and deserializes a file in one step: the common path of every format.
///
/// When the only structural problems are unknown or misspelled keys, the file is
/// still read (without them) so that semantic checks can report their problems in
/// the same run; the structural diagnostics come back in [`Loaded::diagnostics`].
pub fn load<T: DeserializeOwned>(
    file: &crate::source::SourceFile,
    validator: &SchemaValidator,
) -> Result<Loaded<T>, Vec<Diagnostic>> {
    let doc = crate::source::parse(file)?;
    let (problems, repairs) = validator.check_with_repairs(&file.path, &doc);
    if problems.is_empty() {
        let value = deserialize(&file.path, &doc)?;
        return Ok(Loaded {
            value,
            doc,
            diagnostics: problems,
        });
    }
    let mut repaired = doc.clone();
    for r in &repairs {
        r.apply(&mut repaired.value);
    }
    if !validator.validator.is_valid(&repaired.value) {
        return Err(problems);
    }
    match deserialize(&file.path, &repaired) {
        Ok(value) => Ok(Loaded {
            value,
            doc,
            diagnostics: problems,
        }),
        Err(_) => Err(problems),
    }
}
