//! `saq migrate`: carry a response to a newer questionnaire version, losing nothing.

use std::path::Path;

use saq_core::migrate;
use saq_core::response::{self, Response};
use saq_core::source::SourceFile;

use crate::output::write_atomically;
use crate::report;
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(
    mut session: Session,
    path: &Path,
    to: &str,
    output: Option<&Path>,
) -> Result<Outcome, Failure> {
    let source = match super::validate::read(path)? {
        Ok(s) => s,
        Err(d) => {
            report::print_human(&[*d], &session.sources);
            return Ok(Outcome::Problems);
        }
    };
    session.sources.add(&source);
    let (loaded, diagnostics) = response::validate_file(&session.catalog, &source);
    let Some(loaded) = loaded.filter(|_| {
        !diagnostics
            .iter()
            .any(|d| d.is_error() && d.code.as_str().starts_with(['S', 'T']))
    }) else {
        report::print_human(&diagnostics, &session.sources);
        eprintln!("saq migrate needs a response that can be read; fix the problems above first");
        return Ok(Outcome::Problems);
    };
    let from = super::resolve(&session, &loaded.response.questionnaire)?;
    if !to.contains('@') {
        return Err(Failure::Usage(format!(
            "--to needs a version, e.g. `{}`",
            session
                .catalog
                .get(to)
                .map(|q| q.reference())
                .unwrap_or_else(|_| format!("{to}@1.1"))
        )));
    }
    let target = super::resolve(&session, to)?;
    let migration = migrate::migrate(&session.catalog, &loaded.response, from, target)
        .map_err(|e| Failure::Usage(e.to_string()))?;

    // Prefer editing the user's text (keeps comments); fall back to writing afresh.
    let destination = output.unwrap_or(path);
    let preserved = migrate::rewrite(&source, &loaded.doc, &migration)
        .filter(|text| reads_back(&session, destination, text, &migration.response));
    let (text, kept_comments) = match preserved {
        Some(text) => (text, true),
        None => {
            let value = serde_json::to_value(&migration.response)
                .map_err(|e| Failure::Other(e.to_string()))?;
            (saq_core::emit::to_yaml(&value), false)
        }
    };
    if !reads_back(&session, destination, &text, &migration.response) {
        return Err(Failure::Other(
            "the migrated response did not read back identically; nothing was written".into(),
        ));
    }
    write_atomically(destination, text.as_bytes())?;

    eprintln!(
        "migrated {} from {} to {}",
        path.display(),
        from.reference(),
        target.reference()
    );
    for (old, new) in &migration.renamed {
        eprintln!("  renamed  {old} -> {new}");
    }
    for (old, reason) in &migration.orphaned {
        eprintln!("  orphaned {old}: {reason}");
    }
    eprintln!("  kept     {} answer(s)", migration.response.answers.len());
    if !migration.orphaned.is_empty() {
        eprintln!("orphaned answers are kept under `orphans:` in {}; move what still matters into current questions", destination.display());
    }
    if !kept_comments {
        eprintln!("note: the file's layout did not allow editing it in place, so it was written afresh and its comments were not kept");
    }
    // The result is re-validated like any file, so remaining problems (e.g. a new required question) show.
    let check = SourceFile {
        path: destination.to_path_buf(),
        text,
    };
    session.sources.add(&check);
    let (_, after) = response::validate_file(&session.catalog, &check);
    report::print_human(&after, &session.sources);
    Ok(if after.iter().any(|d| d.is_error()) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// True when `text` parses to exactly the migrated response, so writing it loses nothing.
fn reads_back(session: &Session, path: &Path, text: &str, expected: &Response) -> bool {
    let file = SourceFile {
        path: path.to_path_buf(),
        text: text.to_string(),
    };
    let Ok(doc) = saq_core::source::parse(&file) else {
        return false;
    };
    serde_json::from_value::<Response>(doc.value).is_ok_and(|r| &r == expected)
        && session.catalog.get(&expected.questionnaire).is_ok()
}
