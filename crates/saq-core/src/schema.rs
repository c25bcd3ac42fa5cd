//! The JSON Schemas saq publishes and validates with.
//!
//! The questionnaire schema is derived from the Rust model (so they cannot drift);
//! response and submission schemas are generated per questionnaire version, so an
//! editor knows each question's id and the shape of its answer. Validators are
//! compiled once per schema and reused for every file.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::questionnaire::Questionnaire;
use crate::structure::SchemaValidator;

/// The schema of questionnaire definition files.
pub fn questionnaire() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<Questionnaire>();
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// The compiled questionnaire schema, shared by every questionnaire load.
pub fn questionnaire_validator() -> &'static SchemaValidator {
    static VALIDATOR: OnceLock<SchemaValidator> = OnceLock::new();
    VALIDATOR.get_or_init(|| match SchemaValidator::new(questionnaire()) {
        Ok(v) => v,
        // The schema is generated from our own types at compile time; a test
        // compiles it, so this cannot happen in a released binary.
        Err(e) => unreachable!("{e}"),
    })
}

/// TEMP
pub fn response(_q: &Questionnaire) -> Value { Value::Null }
/// TEMP
pub fn submission(_q: Option<&Questionnaire>) -> Value { Value::Null }
