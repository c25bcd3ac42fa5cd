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
    /// anyway (drop an unknown key, or rename a misspelled one to the key it was meant
    /// to be), so semantic checks can still run and report everything at once.
    fn check_with_repairs(&self, file: &Path, doc: &Document) -> (Vec<Diagnostic>, Vec<Repair>) {
        let mut found = Found::default();
        for error in self.validator.iter_errors(&doc.value) {
            self.describe(file, doc, &error, &mut found);
        }
        // A misspelled required key shows up twice (unknown `promt`, missing `prompt`):
        // report it once, as the typo, and repair it by renaming.
        // A misspelled optional key (`submited_on`) is renamed too, when the key it was
        // meant to be is absent: dropping it would have layer 2 report the typo again
        // ("a submitted response needs `submitted_on`").
        let mut drop = vec![false; found.out.len()];
        let mut repairs = Vec::new();
        let mut renamed: Vec<(&str, &str)> = Vec::new();
        for u in &found.unknown {
            let twin = found
                .missing
                .iter()
                .find(|m| m.object == u.object && Some(&m.key) == u.suggestion.as_ref());
            if let Some(m) = twin {
                drop[m.index] = true;
                if let Some(d) = found.out.get_mut(u.index) {
                    d.hints = vec![format!("did you mean `{}`? it is required here", m.key)];
                }
            }
            let absent = |key: &str| {
                doc.value
                    .pointer(&u.object)
                    .and_then(Value::as_object)
                    .is_some_and(|map| !map.contains_key(key))
                    && !renamed.contains(&(u.object.as_str(), key))
            };
            match u.suggestion.as_deref().filter(|s| absent(s)) {
                Some(to) => {
                    renamed.push((&u.object, to));
                    repairs.push(Repair::Rename {
                        object: u.object.clone(),
                        from: u.key.clone(),
                        to: to.to_string(),
                        required: twin.is_some(),
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

    /// The schema a `$ref` points to (within this schema), or `schema` itself.
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        // A bound keeps a reference cycle from looping; saq's schemas nest a few deep.
        for _ in 0..16 {
            match schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|r| self.schema.pointer(r))
            {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// What a schema (or a `type` value, or a list of alternatives) accepts, for people:
    /// "text or a mapping".
    fn describe_types(&self, schema: &Value) -> String {
        let mut terms: Vec<&str> = Vec::new();
        self.collect_types(schema, &mut terms, 0);
        if terms.is_empty() {
            terms.push("a value");
        }
        let mut unique: Vec<&str> = Vec::new();
        for t in terms {
            if !unique.contains(&t) {
                unique.push(t);
            }
        }
        unique.join(" or ")
    }

    fn collect_types(&self, schema: &Value, terms: &mut Vec<&'static str>, depth: usize) {
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
        if depth > 16 {
            terms.push("a value");
            return;
        }
        match self.resolve(schema) {
            Value::String(t) => terms.push(one(t)),
            Value::Array(items) => {
                for item in items {
                    self.collect_types(item, terms, depth + 1);
                }
            }
            Value::Object(o) => match (o.get("type"), o.get("anyOf").or_else(|| o.get("oneOf"))) {
                (Some(t), _) => self.collect_types(t, terms, depth + 1),
                (None, Some(branches)) => self.collect_types(branches, terms, depth + 1),
                (None, None) if o.contains_key("enum") || o.contains_key("const") => {
                    terms.push("one of the allowed values")
                }
                (None, None) => terms.push("a value"),
            },
            _ => terms.push("a value"),
        }
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
                    .map(|s| self.describe_types(s))
                    .unwrap_or_default();
                Diagnostic::new(
                    Code::WrongType,
                    file,
                    format!("expected {expected}, found {}", type_name(instance)),
                )
                .at_opt(span)
                .hint_opt(type_hint(instance, doc.literal(&at), &expected))
            }
            ValidationErrorKind::Enum { options }
            | ValidationErrorKind::Constant {
                expected_value: options,
            } => {
                let members: Vec<&Value> = match options.as_ref() {
                    Value::Array(items)
                        if matches!(error.kind(), ValidationErrorKind::Enum { .. }) =>
                    {
                        items.iter().collect()
                    }
                    other => vec![other],
                };
                let allowed: Vec<String> = members.iter().map(|v| show(v)).collect();
                if !members.iter().any(|m| same_type(m, instance)) {
                    // `true`, a list or nothing where one of some words is expected: a
                    // wrong type, which the user should hear about as such, with why.
                    let expected = if allowed.len() <= 5 {
                        let quoted: Vec<String> =
                            allowed.iter().map(|a| format!("`{a}`")).collect();
                        join_or(&quoted)
                    } else {
                        "one of the allowed values".to_string()
                    };
                    out.push(
                        Diagnostic::new(
                            Code::WrongType,
                            file,
                            format!("expected {expected}, found {}", type_name(instance)),
                        )
                        .at_opt(span)
                        .hint_opt(enum_type_hint(instance, doc.literal(&at), &allowed))
                        .hint(format!("allowed: {}", abbreviate(&allowed))),
                    );
                    return;
                }
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
                let rule = self.schema.pointer(parent_pointer(&schema_at));
                Diagnostic::new(
                    Code::InvalidFormat,
                    file,
                    format!("`{shown}` does not have the required form"),
                )
                .at_opt(span)
                .hint_opt(case_fix(rule, &shown))
                .hint(expected_form(rule, pattern))
            }
            ValidationErrorKind::PropertyNames { error } => {
                // The inner error is about the key itself, as a string value.
                let key = show(error.instance());
                let rule = self
                    .schema
                    .pointer(parent_pointer(error.schema_path().as_str()));
                let expected = match error.kind() {
                    ValidationErrorKind::Pattern { pattern } => expected_form(rule, pattern),
                    _ => error.to_string(),
                };
                Diagnostic::new(
                    Code::InvalidFormat,
                    file,
                    format!("the key `{key}` does not have the required form"),
                )
                .at_opt(doc.key_span(&pointer_join(&at, &key)))
                .hint_opt(case_fix(rule, &key))
                .hint(expected)
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
            ValidationErrorKind::Minimum { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!(
                    "{} is below the minimum {}",
                    number(instance),
                    number(limit)
                ),
            )
            .at_opt(span),
            ValidationErrorKind::ExclusiveMinimum { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!("{} must be above {}", number(instance), number(limit)),
            )
            .at_opt(span),
            ValidationErrorKind::Maximum { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!(
                    "{} is above the maximum {}",
                    number(instance),
                    number(limit)
                ),
            )
            .at_opt(span),
            ValidationErrorKind::ExclusiveMaximum { limit } => Diagnostic::new(
                Code::OutOfRange,
                file,
                format!("{} must be below {}", number(instance), number(limit)),
            )
            .at_opt(span),
            ValidationErrorKind::UniqueItems => {
                let items = instance.as_array().map(Vec::as_slice).unwrap_or_default();
                // The first item that repeats an earlier one: where the list goes wrong.
                // (Compared by their JSON text, so a long list stays linear.)
                let mut seen = std::collections::HashSet::new();
                let repeat = items.iter().position(|i| !seen.insert(i.to_string()));
                match repeat {
                    Some(j) => {
                        let item = &items[j];
                        let times = items.iter().filter(|i| *i == item).count();
                        let first = items.iter().position(|i| i == item).unwrap_or(0);
                        let item_at = format!("{at}/{j}");
                        Diagnostic::new(
                            Code::SchemaViolation,
                            file,
                            if times == 2 {
                                format!("`{}` is listed twice", show(item))
                            } else {
                                format!("`{}` is listed {times} times", show(item))
                            },
                        )
                        .at_opt(doc.span(&item_at))
                        .hint(format!(
                            "each value may appear once in this list; it is already item {}",
                            first + 1
                        ))
                    }
                    None => Diagnostic::new(
                        Code::SchemaViolation,
                        file,
                        "this list has an item more than once",
                    )
                    .at_opt(span)
                    .hint("each value may appear once in this list"),
                }
            }
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
                let branches: Vec<&Value> = self
                    .schema
                    .pointer(&schema_at)
                    .and_then(Value::as_array)
                    .map(|b| b.iter().map(|s| self.resolve(s)).collect())
                    .unwrap_or_default();
                // Only the branches that accept the value's type say something useful:
                // "`EN` is not a language code" rather than "a mapping is not text".
                let fitting: Vec<usize> = (0..context.len())
                    .filter(|&i| !context[i].iter().any(|e| rejects_type(e, &at)))
                    .collect();
                if fitting.is_empty() {
                    let expected = self
                        .schema
                        .pointer(&schema_at)
                        .map(|s| self.describe_types(s))
                        .unwrap_or_default();
                    Diagnostic::new(
                        Code::WrongType,
                        file,
                        format!("expected {expected}, found {}", type_name(instance)),
                    )
                    .at_opt(span)
                    .hint_opt(type_hint(instance, doc.literal(&at), &expected))
                } else if let Some(forms) = mixed_forms(instance, &fitting, &branches) {
                    Diagnostic::new(
                        Code::SchemaViolation,
                        file,
                        format!(
                            "expected either {}, found the keys of {}",
                            join_or(&forms),
                            if forms.len() == 2 { "both" } else { "several" }
                        ),
                    )
                    .at_opt(span)
                    .hint("keep the keys of one form; write two entries if both were meant")
                } else {
                    // Of several fitting branches, the one that got furthest into the value,
                    // then the one with the fewest problems (each unknown key counts).
                    let depth = |errs: &Vec<ValidationError<'static>>| {
                        errs.iter()
                            .map(|e| e.instance_path().as_str().len())
                            .max()
                            .unwrap_or(0)
                    };
                    let cost = |errs: &Vec<ValidationError<'static>>| -> usize {
                        errs.iter()
                            .map(|e| match e.kind() {
                                ValidationErrorKind::AdditionalProperties { unexpected } => {
                                    unexpected.len()
                                }
                                _ => 1,
                            })
                            .sum()
                    };
                    let best = fitting
                        .iter()
                        .map(|&i| &context[i])
                        .max_by_key(|errs| (depth(errs), std::cmp::Reverse(cost(errs))));
                    for e in best.into_iter().flatten() {
                        self.describe(file, doc, e, found);
                    }
                    return;
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
#[derive(Clone)]
enum Repair {
    Remove {
        object: String,
        key: String,
    },
    Rename {
        object: String,
        from: String,
        to: String,
        /// Whether `to` is required: without the rename the file cannot be read at all.
        required: bool,
    },
}

impl Repair {
    /// The same repair, but dropping the key instead of renaming it when the rename is
    /// not needed to read the file: for when the renamed value does not fit its new key.
    fn without_optional_rename(&self) -> Repair {
        match self {
            Repair::Rename {
                object,
                from,
                required: false,
                ..
            } => Repair::Remove {
                object: object.clone(),
                key: from.clone(),
            },
            other => other.clone(),
        }
    }

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

/// A hint for a value of the wrong type. `written` is the value as the file writes it
/// (see [`Document::literal`]): the number `1.1` may be written `1.10`, and the quoted
/// text has to be what the user wrote.
fn type_hint(found: &Value, written: Option<&str>, expected: &str) -> Option<String> {
    let written = written.map_or_else(|| show(found), str::to_string);
    match found {
        Value::Bool(_) if expected.contains("text") => Some(format!(
            "YAML read `{written}` as true/false; write it in quotes if you meant text"
        )),
        Value::Number(_) if expected.contains("text") => {
            Some(format!("write it in quotes: \"{written}\""))
        }
        Value::Null => Some("the value is missing after the colon".to_string()),
        Value::String(_) if expected.contains("list") => {
            Some("write a list: one `- item` per line, or `[a, b]`".to_string())
        }
        _ => None,
    }
}

/// Whether two values have the same JSON type (any two numbers do).
fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A number as people write it: a limit of `0` (stored as 0.0) is "0", not "0.0".
fn number(v: &Value) -> String {
    match v.as_f64() {
        Some(f) if v.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => show(v),
    }
}

/// A hint for a value of a type no allowed value has (`true`, a list, nothing), where
/// the allowed values are `allowed`.
fn enum_type_hint(found: &Value, written: Option<&str>, allowed: &[String]) -> Option<String> {
    let written = written.map_or_else(|| show(found), str::to_string);
    match found {
        Value::Bool(_) | Value::Number(_) if allowed.contains(&written) => {
            Some(format!("write it in quotes: \"{written}\""))
        }
        Value::Bool(_) => Some(format!(
            "YAML read `{written}` as true/false; write one of the allowed values instead"
        )),
        Value::Null => Some("the value is missing after the colon".to_string()),
        Value::Array(items)
            if items
                .iter()
                .all(|i| i.as_str().is_some_and(|s| allowed.iter().any(|a| a == s))) =>
        {
            Some(
                "only one value is allowed here, not a list: keep the one that applies".to_string(),
            )
        }
        Value::Array(_) => Some("only one value is allowed here, not a list".to_string()),
        _ => None,
    }
}

/// Whether `error` says the value at `at` has a type its schema does not accept at all
/// (directly, or in every branch of a nested `anyOf`).
fn rejects_type(error: &ValidationError<'_>, at: &str) -> bool {
    if error.instance_path().as_str() != at {
        return false;
    }
    match error.kind() {
        ValidationErrorKind::Type { .. } => true,
        ValidationErrorKind::Enum { options } => {
            let instance = error.instance();
            !options
                .as_array()
                .is_some_and(|items| items.iter().any(|m| same_type(m, instance)))
        }
        ValidationErrorKind::Constant { expected_value } => {
            !same_type(expected_value, error.instance())
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
                .iter()
                .all(|errs| errs.iter().any(|e| rejects_type(e, at)))
        }
        _ => false,
    }
}

/// When a mapping has all the required keys of two or more alternative forms (a change
/// with both `renamed`/`to` and `removed`), those forms, as `{ renamed, to }`.
fn mixed_forms(instance: &Value, fitting: &[usize], branches: &[&Value]) -> Option<Vec<String>> {
    let keys = instance.as_object()?;
    let forms: Vec<String> = fitting
        .iter()
        .filter_map(|&i| branches.get(i)?.get("required")?.as_array())
        .map(|required| {
            required
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
        })
        .filter(|required| !required.is_empty() && required.iter().all(|k| keys.contains_key(*k)))
        .map(|required| format!("`{{ {} }}`", required.join(", ")))
        .collect();
    (forms.len() >= 2).then_some(forms)
}

/// `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// "expected ..." for a value that does not match `pattern`, from the description of
/// the schema `rule` that holds the pattern: every such description is a noun phrase
/// written to complete this sentence ("an instrument id in lowercase ...").
fn expected_form(rule: Option<&Value>, pattern: &str) -> String {
    match rule
        .and_then(|r| r.get("description"))
        .and_then(Value::as_str)
    {
        Some(what) => format!("expected {}", what.trim_end_matches('.')),
        None => format!("expected text matching `{pattern}`"),
    }
}

/// "did you mean `en`?" (or `XAR`) when `text` only fails `rule` because of its case.
fn case_fix(rule: Option<&Value>, text: &str) -> Option<String> {
    let candidates: Vec<String> = [text.to_lowercase(), text.to_uppercase()]
        .into_iter()
        .filter(|c| c != text)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let validator = jsonschema::validator_for(rule?).ok()?;
    candidates
        .into_iter()
        .find(|c| validator.is_valid(&Value::String(c.clone())))
        .map(|c| format!("did you mean `{c}`?"))
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
    load_document(file, crate::source::parse(file)?, validator)
}

/// Like [`load`], for a file its caller has already parsed (to learn its kind or
/// questionnaire): a file is parsed once on every path.
pub fn load_document<T: DeserializeOwned>(
    file: &crate::source::SourceFile,
    doc: Document,
    validator: &SchemaValidator,
) -> Result<Loaded<T>, Vec<Diagnostic>> {
    let (problems, repairs) = validator.check_with_repairs(&file.path, &doc);
    if problems.is_empty() {
        let value = deserialize(&file.path, &doc)?;
        return Ok(Loaded {
            value,
            doc,
            diagnostics: problems,
        });
    }
    let repair = |repairs: &[Repair]| {
        let mut repaired = doc.clone();
        for r in repairs {
            r.apply(&mut repaired.value);
        }
        repaired
    };
    let mut repaired = repair(&repairs);
    if !validator.validator.is_valid(&repaired.value) {
        // A misspelled optional key whose value does not fit the key it was meant to be:
        // drop it instead, so that the rest of the file is still checked.
        let fallback: Vec<Repair> = repairs
            .iter()
            .map(Repair::without_optional_rename)
            .collect();
        repaired = repair(&fallback);
        if !validator.validator.is_valid(&repaired.value) {
            return Err(problems);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// (code, line, column, message, hints) of each structural problem of a questionnaire.
    fn problems(yaml: &str) -> Vec<(Code, usize, usize, String, Vec<String>)> {
        let file = crate::source::SourceFile {
            path: "t.yaml".into(),
            text: yaml.into(),
        };
        let doc = crate::source::parse(&file).expect("valid YAML");
        let validator = crate::schema::questionnaire_validator().expect("the schema compiles");
        validator
            .check(&file.path, &doc)
            .into_iter()
            .map(|d| {
                let at = d.span.unwrap_or_default().start;
                (d.code, at.line, at.column, d.message, d.hints)
            })
            .collect()
    }

    /// A valid questionnaire with `extra` inserted as a top-level key and `question`
    /// as extra lines of its one question.
    fn questionnaire(extra: &str, question: &str) -> String {
        format!(
            "id: sample\nversion: \"1.0\"\ninstrument: I\ntitle: T\n{extra}clusters:\n  - number: 1\n    title: C\n    articles:\n      - article: \"5\"\n        title: A\n        questions:\n          - id: art5.x\n            type: text\n            prompt: P\n{question}"
        )
    }

    #[test]
    fn a_bad_language_key_is_reported_at_the_key_in_every_text() {
        // `guidance` is an optional Text: an anyOf (Text or null) around an anyOf.
        let p = problems(&questionnaire(
            "",
            "            guidance: { en: G, Fr: G }\n",
        ));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::InvalidFormat, 15, 32));
        assert_eq!(p[0].3, "the key `Fr` does not have the required form");
        assert_eq!(p[0].4[0], "did you mean `fr`?");
        // Two bad keys, two diagnostics; no "did you mean" when lowercase does not help.
        let p = problems(&questionnaire(
            "",
            "            unit: { en: P, english: P, FR: P }\n",
        ));
        let p: Vec<_> = p.iter().filter(|d| d.0 == Code::InvalidFormat).collect();
        let at: Vec<_> = p.iter().map(|d| (d.1, d.2)).collect();
        assert_eq!(at, vec![(15, 28), (15, 40)], "{p:?}");
        let english = p.iter().find(|d| d.2 == 28).unwrap();
        assert_eq!(english.4.len(), 1, "{english:?}");
    }

    #[test]
    fn a_value_of_no_accepted_type_names_every_type() {
        let p = problems(&questionnaire("", "            guidance: 5\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::WrongType, 15, 23));
        assert_eq!(
            p[0].3,
            "expected text or a mapping or nothing, found a number"
        );
        assert_eq!(p[0].4, vec!["write it in quotes: \"5\"".to_string()]);
        let p = problems(&questionnaire("", "            guidance: [a]\n"));
        assert_eq!(
            p[0].3,
            "expected text or a mapping or nothing, found a list"
        );
    }

    #[test]
    fn a_change_is_described_by_the_form_it_is_closest_to() {
        let change = |c: &str| problems(&questionnaire(&format!("changes:\n  - {c}\n"), ""));
        let p = change("{ renamed: art5.old, to: art5.x, removed: art5.old }");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::SchemaViolation, 6, 5));
        // One form, incomplete: what it lacks.
        let p = change("{ renamed: art5.old }");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            (p[0].0, p[0].3.as_str()),
            (Code::MissingKey, "missing required key `to`")
        );
        // One form, misspelled: the typo, with the key it was meant to be.
        let p = change("{ rename: art5.old, to: art5.x }");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::UnknownKey, 6, 7));
        assert_eq!(
            p[0].4,
            vec!["did you mean `renamed`? it is required here".to_string()]
        );
        // Not a mapping at all.
        let p = change("art5.old");
        assert_eq!(p[0].3, "expected a mapping, found text");
    }

    /// A small schema of the shapes responses use, to test layer 1 on its own.
    fn sample_validator() -> SchemaValidator {
        SchemaValidator::new(serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["status"],
            "properties": {
                "status": { "enum": ["draft", "submitted"] },
                "submitted_on": { "type": "string", "format": "date" },
                "state": { "type": "string", "pattern": "^[A-Z]{3}$" },
                "days": { "type": "number", "minimum": 0.0 },
                "tags": { "type": "array", "uniqueItems": true, "items": { "type": "string" } }
            }
        }))
        .expect("the schema compiles")
    }

    fn sample_file(yaml: &str) -> crate::source::SourceFile {
        crate::source::SourceFile {
            path: "t.yaml".into(),
            text: yaml.into(),
        }
    }

    /// (code, line, column, message, hints) of a structural problem.
    type Problem = (Code, usize, usize, String, Vec<String>);

    /// Each structural problem, and the value semantic checks would see after recovery
    /// (`None`: the file cannot be read).
    fn sample(yaml: &str) -> (Vec<Problem>, Option<Value>) {
        let file = sample_file(yaml);
        let validator = sample_validator();
        let doc = crate::source::parse(&file).expect("valid YAML");
        let problems = validator
            .check(&file.path, &doc)
            .into_iter()
            .map(|d| {
                let at = d.span.unwrap_or_default().start;
                (d.code, at.line, at.column, d.message, d.hints)
            })
            .collect();
        let value = load::<Value>(&file, &validator).ok().map(|l| l.value);
        (problems, value)
    }

    #[test]
    fn a_misspelled_optional_key_is_reported_once_and_read_as_meant() {
        // Renamed for layer 2, so "a submitted response needs `submitted_on`" cannot follow.
        let (p, value) = sample("status: submitted\nsubmited_on: 2026-03-02\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::UnknownKey, 2, 1));
        assert_eq!(p[0].4, vec!["did you mean `submitted_on`?".to_string()]);
        let value = value.expect("recovered");
        assert_eq!(value["submitted_on"], "2026-03-02");
        assert!(value.get("submited_on").is_none());
        // The key it was meant to be is there already: the typo is dropped, not merged.
        let (p, value) =
            sample("status: submitted\nsubmitted_on: 2026-03-02\nsubmited_on: 2026-03-03\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(value.expect("recovered")["submitted_on"], "2026-03-02");
        // Renamed, the value would not fit: dropped, so the rest is still checked.
        let (p, value) = sample("status: submitted\nsubmited_on: March 5\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(value.expect("recovered").get("submitted_on"), None);
        // A required key differing only in case.
        let (p, value) = sample("Status: draft\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            p[0].4,
            vec!["did you mean `status`? it is required here".to_string()]
        );
        assert_eq!(value.expect("recovered")["status"], "draft");
    }

    #[test]
    fn a_value_of_a_type_no_allowed_value_has_is_a_wrong_type() {
        let (p, _) = sample("status: true\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::WrongType, 1, 9));
        assert_eq!(p[0].3, "expected `draft` or `submitted`, found true/false");
        assert_eq!(
            p[0].4,
            vec![
                "YAML read `true` as true/false; write one of the allowed values instead"
                    .to_string(),
                "allowed: draft, submitted".to_string()
            ]
        );
        let (p, _) = sample("status:\n");
        assert_eq!(p[0].0, Code::WrongType);
        assert_eq!(p[0].4[0], "the value is missing after the colon");
        let (p, _) = sample("status: [draft, submitted]\n");
        assert_eq!(p[0].3, "expected `draft` or `submitted`, found a list");
        assert!(
            p[0].4[0].starts_with("only one value is allowed here"),
            "{p:?}"
        );
        // Text is the right type: a wrong value, with a suggestion for a capital.
        let (p, _) = sample("status: Draft\n");
        assert_eq!(p[0].0, Code::InvalidValue);
        assert_eq!(p[0].4[0], "did you mean `draft`?");
    }

    #[test]
    fn a_repeated_item_is_reported_where_it_repeats() {
        let (p, _) = sample("status: draft\ntags: [a, b, a]\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0, p[0].1, p[0].2), (Code::SchemaViolation, 2, 14));
        assert_eq!(p[0].3, "`a` is listed twice");
        let (p, _) = sample("status: draft\ntags: [a, b, a, a]\n");
        assert_eq!(p[0].3, "`a` is listed 3 times");
    }

    #[test]
    fn a_code_in_the_wrong_case_gets_the_right_case_suggested() {
        let (p, _) = sample("status: draft\nstate: xar\n");
        assert_eq!(p[0].0, Code::InvalidFormat);
        assert_eq!(p[0].4[0], "did you mean `XAR`?");
        let (p, _) = sample("status: draft\nstate: xa\n");
        assert_eq!(p[0].4.len(), 1, "{p:?}");
    }

    #[test]
    fn whole_limits_are_written_as_whole_numbers() {
        let (p, _) = sample("status: draft\ndays: -5\n");
        assert_eq!(p[0].3, "-5 is below the minimum 0");
        let (p, _) = sample("status: draft\ndays: -0.5\n");
        assert_eq!(p[0].3, "-0.5 is below the minimum 0");
    }

    #[test]
    fn type_hints_quote_the_value_as_written() {
        let p = problems("id: sample\nversion: 1.10\ninstrument: I\ntitle: True\nclusters: []\n");
        let hints: Vec<&str> = p
            .iter()
            .flat_map(|d| d.4.iter().map(String::as_str))
            .collect();
        assert!(hints.contains(&"write it in quotes: \"1.10\""), "{p:?}");
        assert!(
            hints.contains(&"YAML read `True` as true/false; write it in quotes if you meant text"),
            "{p:?}"
        );
    }
}
