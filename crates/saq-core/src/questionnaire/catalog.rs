//! The questionnaires saq knows, looked up by `id@version`.
//!
//! A catalog is built from files laid out as `<id>/<version>.yaml`: the shipped
//! ones the binary embeds, or a directory given with `--questionnaires`. Building it
//! loads and checks every definition (a version's `changes` are checked against the
//! version before it), so the rest of saq only ever sees questionnaires that passed.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use crate::diagnostic::{has_errors, Diagnostic};
use crate::schema;
use crate::schema::questionnaire_validator;
use crate::source::SourceFile;
use crate::structure::{self, InvalidSchema, SchemaValidator};

use super::check::{check, CheckContext};
use super::model::Questionnaire;

/// A loaded questionnaire and the file it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    pub questionnaire: Questionnaire,
    pub source: SourceFile,
}

#[derive(Default)]
pub struct Catalog {
    /// Sorted by id, then version.
    entries: Vec<Entry>,
    /// Response and submission schemas, compiled once per questionnaire version and
    /// reused for every file (compiling is far slower than validating).
    validators: Mutex<HashMap<(SchemaKind, String), Arc<SchemaValidator>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SchemaKind {
    Response,
    Submission,
}

/// `id` or `id@version`, as users write it on the command line and in files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionnaireRef {
    pub id: String,
    pub version: Option<String>,
}

impl QuestionnaireRef {
    pub fn parse(text: &str) -> QuestionnaireRef {
        match text.split_once('@') {
            Some((id, version)) => QuestionnaireRef {
                id: id.trim().to_string(),
                version: Some(version.trim().to_string()),
            },
            None => QuestionnaireRef {
                id: text.trim().to_string(),
                version: None,
            },
        }
    }
}

impl fmt::Display for QuestionnaireRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{}@{v}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// Why a questionnaire reference names nothing in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no questionnaire `{id}`; known: {known}")]
    UnknownId { id: String, known: String },
    #[error("questionnaire `{id}` has no version {version}; known: {known}")]
    UnknownVersion {
        id: String,
        version: String,
        known: String,
    },
}

/// Orders versions numerically, so 1.10 comes after 1.9.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| {
        v.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    parts(a).cmp(&parts(b))
}

/// Loads one questionnaire file through the schema layer. Definition checks need the
/// catalog (for the previous version), so they run separately.
pub fn load(file: &SourceFile) -> Result<structure::Loaded<Questionnaire>, Vec<Diagnostic>> {
    let validator = questionnaire_validator().map_err(|e| {
        vec![Diagnostic::new(
            crate::codes::Code::SchemaViolation,
            &file.path,
            e.to_string(),
        )]
    })?;
    structure::load(file, validator)
}

/// Loads and checks one questionnaire file; `previous` is the version before it.
pub fn load_and_check(
    file: &SourceFile,
    previous: Option<&Questionnaire>,
) -> (Option<Questionnaire>, Vec<Diagnostic>) {
    match load(file) {
        Ok(loaded) => {
            let mut diagnostics = loaded.diagnostics;
            diagnostics.extend(check(
                &loaded.value,
                &CheckContext {
                    source: file,
                    doc: &loaded.doc,
                    previous,
                },
            ));
            (Some(loaded.value), diagnostics)
        }
        Err(d) => (None, d),
    }
}

impl Catalog {
    /// Builds a catalog from files; returns every diagnostic found. Definitions with
    /// errors are left out, so lookups never return a broken questionnaire.
    pub fn from_files(files: Vec<SourceFile>) -> (Catalog, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut loaded = Vec::new();
        for file in files {
            match load(&file) {
                Ok(l) => {
                    let broken = has_errors(&l.diagnostics);
                    diagnostics.extend(l.diagnostics);
                    loaded.push((l.value, l.doc, file, broken));
                }
                Err(d) => diagnostics.extend(d),
            }
        }
        loaded.sort_by(|a, b| {
            a.0.id
                .cmp(&b.0.id)
                .then(compare_versions(&a.0.version, &b.0.version))
        });
        let mut entries: Vec<Entry> = Vec::new();
        for i in 0..loaded.len() {
            let (q, doc, file, structurally_broken) = &loaded[i];
            let previous = i
                .checked_sub(1)
                .map(|p| &loaded[p].0)
                .filter(|p| p.id == q.id);
            let found = check(
                q,
                &CheckContext {
                    source: file,
                    doc,
                    previous,
                },
            );
            let broken = *structurally_broken || has_errors(&found);
            diagnostics.extend(found);
            if !broken {
                entries.push(Entry {
                    questionnaire: q.clone(),
                    source: file.clone(),
                });
            }
        }
        (
            Catalog {
                entries,
                validators: Mutex::default(),
            },
            diagnostics,
        )
    }

    /// The compiled schema of responses to `q`.
    pub fn response_validator(
        &self,
        q: &Questionnaire,
    ) -> Result<Arc<SchemaValidator>, InvalidSchema> {
        self.validator(SchemaKind::Response, q)
    }

    /// The compiled schema of submissions on `q`.
    pub fn submission_validator(
        &self,
        q: &Questionnaire,
    ) -> Result<Arc<SchemaValidator>, InvalidSchema> {
        self.validator(SchemaKind::Submission, q)
    }

    fn validator(
        &self,
        kind: SchemaKind,
        q: &Questionnaire,
    ) -> Result<Arc<SchemaValidator>, InvalidSchema> {
        let key = (kind, q.reference());
        let mut cache = match self.validators.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(v) = cache.get(&key) {
            return Ok(Arc::clone(v));
        }
        let schema = match kind {
            SchemaKind::Response => schema::response(q),
            SchemaKind::Submission => schema::submission(Some(q)),
        };
        let validator = Arc::new(SchemaValidator::new(schema)?);
        cache.insert(key, Arc::clone(&validator));
        Ok(validator)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn iter(&self) -> impl Iterator<Item = &Questionnaire> {
        self.entries.iter().map(|e| &e.questionnaire)
    }

    /// The questionnaire named by `r`: the given version, or the latest.
    pub fn resolve(&self, r: &QuestionnaireRef) -> Result<&Questionnaire, LookupError> {
        let versions: Vec<&Questionnaire> = self.iter().filter(|q| q.id == r.id).collect();
        if versions.is_empty() {
            let mut ids: Vec<&str> = self.iter().map(|q| q.id.as_str()).collect();
            ids.dedup();
            return Err(LookupError::UnknownId {
                id: r.id.clone(),
                known: ids.join(", "),
            });
        }
        match &r.version {
            None => Ok(versions[versions.len() - 1]),
            Some(v) => versions
                .iter()
                .copied()
                .find(|q| &q.version == v)
                .ok_or_else(|| LookupError::UnknownVersion {
                    id: r.id.clone(),
                    version: v.clone(),
                    known: versions
                        .iter()
                        .map(|q| q.version.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
        }
    }

    /// Resolves `id@version` text.
    pub fn get(&self, reference: &str) -> Result<&Questionnaire, LookupError> {
        self.resolve(&QuestionnaireRef::parse(reference))
    }

    /// The version of the same questionnaire just before `version` (for `changes`).
    pub fn previous(&self, id: &str, version: &str) -> Option<&Questionnaire> {
        self.iter()
            .filter(|q| q.id == id && compare_versions(&q.version, version) == Ordering::Less)
            .last()
    }

    /// Every version of `id` after `from` up to and including `to`, in order: the
    /// steps a migration walks through.
    pub fn versions_between(&self, id: &str, from: &str, to: &str) -> Vec<&Questionnaire> {
        self.iter()
            .filter(|q| {
                q.id == id
                    && compare_versions(&q.version, from) == Ordering::Greater
                    && compare_versions(&q.version, to) != Ordering::Greater
            })
            .collect()
    }
}
