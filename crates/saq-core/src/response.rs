//! Responses: one state's answers to one questionnaire version.
//!
//! A response is validated in two layers: its structure against the schema generated
//! from its questionnaire (so unknown question ids, wrong value shapes and values out
//! of range are caught there, located), then the rules that need the whole response:
//! a submitted response is dated, answers every required question that applies, and
//! answers none that does not.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::Code;
use crate::condition;
use crate::diagnostic::{Diagnostic, Severity};
use crate::questionnaire::{Catalog, Question, Questionnaire};
use crate::source::{self, pointer_join, Document, SourceFile};
use crate::structure;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// `id@version` of the questionnaire answered.
    pub questionnaire: String,
    pub state: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_on: Option<String>,
    /// Who coordinated the answers; never rendered in a public pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focal_point: Option<FocalPoint>,
    /// A bare `answers:` (every answer still commented out, as in a fresh skeleton) is null: no answers yet.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub answers: BTreeMap<String, Answer>,
    /// Answers a migration could not carry to the new version, kept so nothing is lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub orphans: BTreeMap<String, Orphan>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Answer>, D::Error> {
    Ok(Option::<BTreeMap<String, Answer>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Submitted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocalPoint {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Shaped by the question's type; the schema layer has checked it.
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Orphan {
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Why migration could not place it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The version the answer was given in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl Answer {
    /// Every piece of prose in the answer: the explanation, then strings inside the
    /// value (a text answer, legislation excerpts, case summaries, details). This is
    /// what a stakeholder may quote.
    pub fn passages(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.explanation.iter().map(String::as_str).collect();
        collect_strings(&self.value, &mut out);
        out
    }
}

fn collect_strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

/// Whether a question applies to a response, given its other answers.
#[derive(Debug, Clone, Copy)]
pub struct Applicability<'q> {
    pub question: &'q Question,
    pub applies: bool,
}

/// Evaluates every `show_if` of `q` against `answers`, in questionnaire order.
pub fn applicability<'q>(
    q: &'q Questionnaire,
    answers: &BTreeMap<String, Answer>,
) -> Vec<Applicability<'q>> {
    let lookup = |id: &str| answers.get(id).map(|a| &a.value);
    q.questions()
        .map(|(_, _, question)| {
            let applies = match &question.show_if {
                None => true,
                // Definitions in the catalog have parseable conditions; treat a broken one as "applies".
                Some(text) => condition::parse(text).map_or(true, |c| c.evaluate(&lookup)),
            };
            Applicability { question, applies }
        })
        .collect()
}

/// True when a value counts as an answer (not null, not blank, not an empty list).
pub fn is_answered(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// A response read from a file, with what later checks need to point into it.
#[derive(Debug, Clone)]
pub struct LoadedResponse {
    pub source: SourceFile,
    pub doc: Document,
    pub response: Response,
}

/// The questionnaire a file names in `questionnaire:`, or a diagnostic saying why not.
pub fn named_questionnaire<'c>(
    catalog: &'c Catalog,
    file: &SourceFile,
    doc: &Document,
) -> Result<&'c Questionnaire, Diagnostic> {
    let Some(reference) = doc.value.get("questionnaire").and_then(Value::as_str) else {
        let d = if doc.value.get("questionnaire").is_some() {
            Diagnostic::new(
                Code::WrongType,
                &file.path,
                "`questionnaire` must be text such as untoc@1.0",
            )
            .at_opt(doc.span("/questionnaire"))
        } else {
            Diagnostic::new(
                Code::MissingKey,
                &file.path,
                "missing required key `questionnaire`",
            )
            .at_opt(doc.span("").map(|s| crate::Span::point(s.start)))
            .hint("name the questionnaire version, e.g. `questionnaire: untoc@1.0`")
        };
        return Err(d);
    };
    if !reference.contains('@') {
        let latest = catalog
            .get(reference)
            .map(|q| q.reference())
            .unwrap_or_else(|_| format!("{reference}@1.0"));
        return Err(Diagnostic::new(
            Code::UnknownQuestionnaire,
            &file.path,
            format!("`{reference}` does not say which version"),
        )
        .at_opt(doc.span("/questionnaire"))
        .hint(format!("write the version too, e.g. `{latest}`")));
    }
    catalog.get(reference).map_err(|e| {
        Diagnostic::new(Code::UnknownQuestionnaire, &file.path, e.to_string())
            .at_opt(doc.span("/questionnaire"))
            .hint("`saq list` shows the questionnaires available")
    })
}

/// Validates a response file on its own. Returns the response when it could be read.
pub fn validate_file(
    catalog: &Catalog,
    file: &SourceFile,
) -> (Option<LoadedResponse>, Vec<Diagnostic>) {
    match source::parse(file) {
        Ok(doc) => validate_parsed(catalog, file, doc),
        Err(d) => (None, d),
    }
}

/// Like [`validate_file`], for a file already parsed into `doc` (e.g. to detect its
/// kind), so that it is not parsed again.
pub fn validate_parsed(
    catalog: &Catalog,
    file: &SourceFile,
    doc: Document,
) -> (Option<LoadedResponse>, Vec<Diagnostic>) {
    let q = match named_questionnaire(catalog, file, &doc) {
        Ok(q) => q,
        Err(d) => return (None, vec![d]),
    };
    let validator = match catalog.response_validator(q) {
        Ok(v) => v,
        Err(e) => {
            return (
                None,
                vec![
                    Diagnostic::new(Code::SchemaViolation, &file.path, e.to_string())
                        .at_opt(doc.span("/questionnaire")),
                ],
            )
        }
    };
    let loaded = match structure::load_document::<Response>(file, doc, &validator) {
        Ok(l) => l,
        Err(d) => return (None, d),
    };
    let mut diagnostics = loaded.diagnostics;
    check(q, &loaded.value, file, &loaded.doc, &mut diagnostics);
    (
        Some(LoadedResponse {
            source: file.clone(),
            doc: loaded.doc,
            response: loaded.value,
        }),
        diagnostics,
    )
}

fn check(
    q: &Questionnaire,
    r: &Response,
    file: &SourceFile,
    doc: &Document,
    out: &mut Vec<Diagnostic>,
) {
    if !crate::state::is_known(&r.state) {
        out.push(unknown_state(file, doc, "/state", &r.state));
    }
    let submitted = r.status == Status::Submitted;
    if submitted && r.submitted_on.is_none() {
        out.push(
            Diagnostic::new(
                Code::SubmittedWithoutDate,
                &file.path,
                "a submitted response needs `submitted_on`",
            )
            .at_opt(doc.key_span("/status"))
            .hint("add `submitted_on: YYYY-MM-DD`, or keep `status: draft` until it is sent"),
        );
    }
    for a in applicability(q, &r.answers) {
        let id = &a.question.id;
        let answered = r.answers.get(id).is_some_and(|x| is_answered(&x.value));
        let condition = a.question.show_if.as_deref().unwrap_or_default();
        if a.applies && !answered && a.question.required && submitted {
            let mut d = Diagnostic::new(
                Code::RequiredUnanswered,
                &file.path,
                format!("required question `{id}` is not answered"),
            )
            .at_opt(doc.key_span("/answers"))
            .hint(format!("{}: {}", id, a.question.prompt.english().trim()));
            if !condition.is_empty() {
                d = d.hint(format!("it applies because `{condition}` holds"));
            }
            out.push(d);
        }
        if !a.applies && r.answers.contains_key(id) {
            let mut d = Diagnostic::new(Code::AnsweredButHidden, &file.path, format!("`{id}` is answered, but its condition does not hold"))
                .at_opt(doc.key_span(&pointer_join("/answers", id)))
                .hint(format!("`show_if: {condition}` is false given the other answers; remove this answer or change the one it depends on"));
            if !submitted {
                d.severity = Severity::Warning;
            }
            out.push(d);
        }
    }
    if submitted && !r.orphans.is_empty() {
        out.push(
            Diagnostic::new(
                Code::OrphansInSubmitted,
                &file.path,
                format!(
                    "{} orphaned answer(s) from a migration remain",
                    r.orphans.len()
                ),
            )
            .at_opt(doc.key_span("/orphans"))
            .hint("move what is still useful into the current questions, then delete `orphans:`"),
        );
    }
}

pub(crate) fn unknown_state(
    file: &SourceFile,
    doc: &Document,
    pointer: &str,
    code: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownState,
        &file.path,
        format!("`{code}` is not an ISO 3166-1 alpha-3 state code"),
    )
    .at_opt(doc.span(pointer))
    .hint("use the state's alpha-3 code (e.g. MEX), or XAA-XZZ for a fictional state")
}
