//! Carrying ids and answers between versions of a questionnaire.
//!
//! A version's `changes` list the renames and removals since the version before.
//! Walking them in order maps a question id of one version to the id it has in
//! another (or to nothing, when it was removed). Migration of a response uses that
//! map and never drops data silently: anything that cannot be placed becomes an
//! orphan with a reason.

use std::cmp::Ordering;

use crate::diagnostic::{Position, Span};
use crate::questionnaire::catalog::compare_versions;
use crate::questionnaire::{Catalog, Change, Questionnaire};
use crate::response::{Orphan, Response};
use crate::source::{pointer_join, Document, SourceFile};
use crate::structure::SchemaValidator;

/// Where a question id of version `from` lives in version `to`: `Some(new id)`, or
/// `None` when it was removed in between. Works in both directions.
pub fn map_id(
    catalog: &Catalog,
    id: &str,
    from: &Questionnaire,
    to: &Questionnaire,
) -> Option<String> {
    match compare_versions(&from.version, &to.version) {
        Ordering::Equal => Some(id.to_string()),
        Ordering::Less => {
            let mut current = id.to_string();
            for step in catalog.versions_between(&from.id, &from.version, &to.version) {
                for change in &step.changes {
                    match change {
                        Change::Renamed { renamed, to } if *renamed == current => {
                            current = to.clone();
                            break;
                        }
                        Change::Removed { removed } if *removed == current => return None,
                        _ => {}
                    }
                }
            }
            Some(current)
        }
        Ordering::Greater => {
            let mut current = id.to_string();
            let steps = catalog.versions_between(&to.id, &to.version, &from.version);
            for step in steps.iter().rev() {
                // A question added in `step` did not exist before it.
                let renamed_from = step.changes.iter().find_map(|c| match c {
                    Change::Renamed { renamed, to } if *to == current => Some(renamed.clone()),
                    _ => None,
                });
                match renamed_from {
                    Some(old) => current = old,
                    None => {
                        let previous = catalog.previous(&step.id, &step.version)?;
                        previous.question(&current)?;
                    }
                }
            }
            Some(current)
        }
    }
}

/// The result of migrating a response.
#[derive(Debug, Clone)]
pub struct Migration {
    pub response: Response,
    /// (old id, new id) for every answer that changed id.
    pub renamed: Vec<(String, String)>,
    /// (old id, reason) for every answer that became an orphan in this migration.
    pub orphaned: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrateError {
    #[error("the response answers {from}, which is another questionnaire than {to}")]
    OtherQuestionnaire { from: String, to: String },
    #[error("the response already answers {from}; migrate only to a newer version than that")]
    NotNewer { from: String },
    #[error("{0}")]
    Schema(String),
}

/// Carries `response` (answering `from`) to `to`.
pub fn migrate(
    catalog: &Catalog,
    response: &Response,
    from: &Questionnaire,
    to: &Questionnaire,
) -> Result<Migration, MigrateError> {
    if from.id != to.id {
        return Err(MigrateError::OtherQuestionnaire {
            from: from.reference(),
            to: to.reference(),
        });
    }
    if compare_versions(&to.version, &from.version) != Ordering::Greater {
        return Err(MigrateError::NotNewer {
            from: from.reference(),
        });
    }
    let mut out = response.clone();
    out.questionnaire = to.reference();
    out.answers.clear();
    let mut renamed = Vec::new();
    let mut orphaned = Vec::new();
    for (id, answer) in &response.answers {
        let reason = match map_id(catalog, id, from, to) {
            None => Some(format!("question removed in {}", to.reference())),
            Some(new_id) => match to.question(&new_id) {
                None => Some(format!("{} has no question `{new_id}`", to.reference())),
                Some(question) => {
                    let schema = crate::schema::answer_value(question);
                    let fits = SchemaValidator::new(schema)
                        .map_err(|e| MigrateError::Schema(e.to_string()))?
                        .is_valid(&answer.value);
                    if fits {
                        if new_id != *id {
                            renamed.push((id.clone(), new_id.clone()));
                        }
                        out.answers.insert(new_id, answer.clone());
                        None
                    } else {
                        Some(format!(
                            "the answer no longer fits `{new_id}` ({}) in {}",
                            question.kind.as_str(),
                            to.reference()
                        ))
                    }
                }
            },
        };
        if let Some(reason) = reason {
            out.orphans.insert(
                id.clone(),
                Orphan {
                    value: answer.value.clone(),
                    explanation: answer.explanation.clone(),
                    reason: Some(reason.clone()),
                    from: Some(from.reference()),
                },
            );
            orphaned.push((id.clone(), reason));
        }
    }
    Ok(Migration {
        response: out,
        renamed,
        orphaned,
    })
}

/// Applies a migration to the original text, so the user's comments and layout
/// survive: the questionnaire reference and renamed keys are edited in place, and
/// orphaned answers are moved (with their comments) into an `orphans:` section at
/// the end. Returns `None` when the file's layout does not allow it (flow-style
/// answers, an existing `orphans:` section); the caller then writes the response
/// afresh. The caller must re-validate the result.
pub fn rewrite(source: &SourceFile, doc: &Document, migration: &Migration) -> Option<String> {
    let text = &source.text;
    if doc.value.get("orphans").is_some() {
        return None;
    }
    // Byte range of each answer key's line start .. next answer's line start.
    let answers = doc.value.get("answers")?.as_object()?;
    let line_start = |line: usize| {
        source
            .byte_range(Span::point(Position { line, column: 1 }))
            .start
    };
    let mut keys: Vec<(usize, String)> = answers
        .keys()
        .filter_map(|k| {
            Some((
                doc.key_span(&pointer_join("/answers", k))?.start.line,
                k.clone(),
            ))
        })
        .collect();
    keys.sort();
    // Where the answers mapping ends: the first top-level key after `answers`, or the end.
    let answers_line = doc.key_span("/answers")?.start.line;
    let end_line = doc
        .value
        .as_object()?
        .keys()
        .filter_map(|k| doc.key_span(&pointer_join("", k)).map(|s| s.start.line))
        .filter(|l| *l > answers_line)
        .min();
    let answers_end = end_line.map_or(text.len(), line_start);

    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    edits.push((
        source.byte_range(doc.span("/questionnaire")?),
        migration.response.questionnaire.clone(),
    ));
    for (old, new) in &migration.renamed {
        let span = doc.key_span(&pointer_join("/answers", old))?;
        edits.push((source.byte_range(span), new.clone()));
    }
    let mut moved = String::new();
    for (old, reason) in &migration.orphaned {
        let position = keys.iter().position(|(_, k)| k == old)?;
        let start = line_start(keys[position].0);
        let end = keys
            .get(position + 1)
            .map_or(answers_end, |(l, _)| line_start(*l));
        let block = text.get(start..end)?;
        let mut lines = block.lines();
        let key_line = lines.next()?;
        let indent = key_line.len() - key_line.trim_start().len();
        if !key_line.trim_end().ends_with(':') {
            return None; // a flow-style answer on one line
        }
        moved.push_str(key_line.trim_end());
        moved.push('\n');
        let pad = " ".repeat(indent + 2);
        moved.push_str(&format!(
            "{pad}reason: {}\n",
            serde_json::to_string(reason).ok()?
        ));
        moved.push_str(&format!(
            "{pad}from: {}\n",
            migration
                .response
                .orphans
                .get(old)?
                .from
                .as_deref()
                .unwrap_or_default()
        ));
        for line in lines {
            moved.push_str(line);
            moved.push('\n');
        }
        edits.push((start..end, String::new()));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.clone();
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    if !moved.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("\n# Answers saq migrate could not carry to the new version, with the reason.\n# Move what is still useful into the current questions, then delete this section.\norphans:\n");
        out.push_str(&moved);
    }
    Some(out)
}
