//! The JSON Schemas saq publishes and validates with.
//!
//! The questionnaire schema is derived from the Rust model (so they cannot drift);
//! response and submission schemas are generated per questionnaire version, so an
//! editor knows each question's id and the shape of its answer. Validators are
//! compiled once per schema and reused for every file.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

use crate::questionnaire::{
    ColumnType, Question, QuestionType, Questionnaire, ASSISTANCE_KINDS, COMPLIANCE_VALUES,
    YES_NO_VALUES,
};
use crate::structure::{InvalidSchema, SchemaValidator};

/// The schema of questionnaire definition files.
pub fn questionnaire() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<Questionnaire>();
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// The compiled questionnaire schema, shared by every questionnaire load. It is
/// derived from our own types, not from input; a unit test compiles it.
pub fn questionnaire_validator() -> Result<&'static SchemaValidator, InvalidSchema> {
    static VALIDATOR: OnceLock<Result<SchemaValidator, InvalidSchema>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| SchemaValidator::new(questionnaire()))
        .as_ref()
        .map_err(Clone::clone)
}

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
/// An http(s) URL; other schemes (`javascript:`, `file:`) are refused at the door.
const URL: &str = r"^https?://[^\s]+$";

fn url() -> Value {
    json!({ "type": "string", "pattern": URL, "description": "an http:// or https:// URL" })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date", "description": "a date, YYYY-MM-DD" })
}

fn text() -> Value {
    json!({ "type": "string", "minLength": 1 })
}

fn state() -> Value {
    json!({
        "type": "string",
        "pattern": "^[A-Z]{3}$",
        "description": "an ISO 3166-1 alpha-3 state code such as MEX, or XAA-XZZ for a fictional state",
    })
}

fn questionnaire_reference(q: Option<&Questionnaire>) -> Value {
    match q {
        Some(q) => {
            json!({ "const": q.reference(), "description": "the questionnaire, id@version" })
        }
        None => json!({
            "type": "string",
            "pattern": r"^[a-z][a-z0-9_]*@[0-9]+\.[0-9]+$",
            "description": "the questionnaire, id@version, such as untoc@1.0",
        }),
    }
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "additionalProperties": false, "required": required, "properties": properties })
}

fn list_of(item: Value) -> Value {
    json!({ "type": "array", "minItems": 1, "items": item })
}

/// The schema of one answer's `value`, shaped by the question's type.
pub fn answer_value(q: &Question) -> Value {
    match q.kind {
        QuestionType::Compliance => json!({ "enum": COMPLIANCE_VALUES }),
        QuestionType::YesNo => json!({ "enum": YES_NO_VALUES }),
        QuestionType::Choice => json!({ "enum": option_ids(q) }),
        QuestionType::MultiChoice => {
            json!({ "type": "array", "minItems": 1, "uniqueItems": true, "items": { "enum": option_ids(q) } })
        }
        QuestionType::Text => text(),
        QuestionType::Number => {
            let mut s = json!({ "type": "number" });
            if let Some(min) = q.min {
                s["minimum"] = json!(min);
            }
            if let Some(max) = q.max {
                s["maximum"] = json!(max);
            }
            s
        }
        QuestionType::Date => date(),
        QuestionType::Legislation => list_of(object(
            json!({ "title": text(), "provision": text(), "url": url(), "excerpt": text() }),
            &["title", "provision"],
        )),
        QuestionType::Cases => list_of(object(
            json!({
                "title": text(),
                "year": { "type": "integer", "minimum": 1900, "maximum": 2100 },
                "court": text(),
                "summary": text(),
                "url": url(),
            }),
            &["title", "summary"],
        )),
        QuestionType::Table => {
            let mut columns = Map::new();
            for c in q.columns.iter().flatten() {
                let cell = match c.kind {
                    ColumnType::Text => json!({ "type": "string" }),
                    ColumnType::Number => json!({ "type": "number" }),
                    ColumnType::Date => date(),
                    ColumnType::YesNo => json!({ "enum": YES_NO_VALUES }),
                };
                columns.insert(c.id.clone(), cell);
            }
            list_of(
                json!({ "type": "object", "additionalProperties": false, "minProperties": 1, "properties": columns }),
            )
        }
        QuestionType::AssistanceNeeds => list_of(object(
            json!({ "kind": { "enum": ASSISTANCE_KINDS }, "detail": text() }),
            &["kind"],
        )),
    }
}

fn option_ids(q: &Question) -> Vec<&str> {
    q.options.iter().flatten().map(|o| o.id.as_str()).collect()
}

/// The schema of a response to `q`: its answers keyed by `q`'s question ids, each
/// value shaped by its question, so an editor autocompletes a country's answers.
pub fn response(q: &Questionnaire) -> Value {
    let mut answers = Map::new();
    for (_, article, question) in q.questions() {
        let mut answer = object(
            json!({ "value": answer_value(question), "explanation": text() }),
            &["value"],
        );
        let description = format!(
            "Article {}: {}",
            article.article,
            question.prompt.english().trim()
        );
        answer["description"] = json!(description);
        answers.insert(question.id.clone(), answer);
    }
    let orphan = object(
        json!({ "value": {}, "explanation": { "type": "string" }, "reason": { "type": "string" }, "from": { "type": "string" } }),
        &["value"],
    );
    let mut schema = object(
        json!({
            "questionnaire": questionnaire_reference(Some(q)),
            "state": state(),
            "status": { "enum": ["draft", "submitted"] },
            "submitted_on": date(),
            "focal_point": object(
                json!({ "name": text(), "institution": text(), "email": { "type": "string", "format": "email" }, "phone": text() }),
                &["name"],
            ),
            // null: a bare `answers:` with every answer still commented out.
            "answers": { "type": ["object", "null"], "additionalProperties": false, "properties": answers },
            "orphans": { "type": "object", "additionalProperties": orphan },
        }),
        &["questionnaire", "state", "status", "answers"],
    );
    schema["$schema"] = json!(DRAFT);
    schema["title"] = json!(format!("saq response to {}", q.reference()));
    schema
}

/// The schema of a stakeholder submission: with a questionnaire, comment targets are
/// an enumeration of its question ids, article ids and `general`.
pub fn submission(q: Option<&Questionnaire>) -> Value {
    let target = match q {
        Some(q) => {
            let mut targets = vec!["general".to_string()];
            for (_, a) in q.articles() {
                targets.push(a.id());
                targets.extend(a.questions.iter().map(|x| x.id.clone()));
            }
            json!({ "enum": targets, "description": "a question id, an article id such as art5, or general" })
        }
        None => json!({
            "type": "string",
            "pattern": r"^(general|art[0-9]+[a-z]?(\.[a-z][a-z0-9_]*)?)$",
            "description": "a question id, an article id such as art5, or general",
        }),
    };
    let evidence = object(
        json!({ "title": text(), "url": url(), "date": date(), "publisher": text() }),
        &["title"],
    );
    let comment = object(
        json!({
            "target": target,
            "quote": text(),
            "stance": { "enum": ["supports", "contests", "complements"] },
            "body": text(),
            "recommendation": text(),
            "evidence": { "type": "array", "items": evidence },
        }),
        &["target", "stance", "body"],
    );
    let contributor = object(
        json!({
            "name": text(),
            "kind": { "enum": ["ngo", "academia", "private_sector", "other"] },
            "country": state(),
            "website": url(),
            "contact": { "type": "string", "format": "email" },
        }),
        &["name", "kind"],
    );
    let mut schema = object(
        json!({
            "questionnaire": questionnaire_reference(q),
            "state": state(),
            "contributor": contributor,
            "visibility": { "enum": ["public", "reviewers", "secretariat"] },
            "attribution": { "enum": ["named", "anonymous"] },
            "language": { "type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*$", "description": "a language code such as en or es" },
            "submitted_on": date(),
            "comments": list_of(comment),
        }),
        &[
            "questionnaire",
            "state",
            "contributor",
            "visibility",
            "attribution",
            "submitted_on",
            "comments",
        ],
    );
    schema["$schema"] = json!(DRAFT);
    schema["title"] = json!(match q {
        Some(q) => format!("saq submission on {}", q.reference()),
        None => "saq submission".to_string(),
    });
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (pointer, description) of a schema node that has a `pattern`.
    fn patterns(schema: &Value, at: String, out: &mut Vec<(String, Option<String>)>) {
        match schema {
            Value::Object(map) => {
                if map.contains_key("pattern") {
                    let description = map
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    out.push((at.clone(), description));
                }
                for (k, v) in map {
                    patterns(v, format!("{at}/{k}"), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    patterns(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_pattern_is_described_as_a_noun_phrase_for_hints() {
        // A value that does not match a pattern gets the hint "expected <description>",
        // so each description must complete that sentence: "an instrument id in ...".
        let mut found = Vec::new();
        patterns(&questionnaire(), String::new(), &mut found);
        let questionnaire_patterns = found.len();
        patterns(&submission(None), "submission".into(), &mut found);
        assert!(questionnaire_patterns >= 8, "{found:?}");
        for (at, description) in found {
            let d = description.unwrap_or_else(|| panic!("{at} has a pattern but no description"));
            assert!(
                ["a ", "an ", "the "].iter().any(|a| d.starts_with(a)) && !d.ends_with('.'),
                "{at}: {d:?} does not read as `expected {d}`"
            );
        }
    }

    #[test]
    fn the_questionnaire_schema_compiles() {
        assert!(questionnaire_validator().is_ok());
    }
}
