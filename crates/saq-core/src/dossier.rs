//! Dossiers: one state's responses and the submissions about it, loaded as a unit.
//!
//! Layout: `<dossier>/responses/<instrument>.yaml` and `<dossier>/submissions/*.yaml`.
//! Each file is validated on its own first, as the kind its content shows (a file in
//! the other kind's folder is reported once as such, D005, and still checked as what
//! it is); then the checks that need several files run: every file is about the same
//! state, responses are named after their instrument and unique, and every quoted
//! passage really is in the government's answer it quotes. A response that fails to
//! load still counts as there: its own diagnostics say what is wrong, and nothing
//! claims the dossier lacks it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Position, Span};
use crate::migrate::map_id;
use crate::questionnaire::Catalog;
use crate::response::{self, LoadedResponse};
use crate::source::{self, SourceFile};
use crate::submission::{self, LoadedSubmission, Target};
use crate::validate::{self, FileKind};

/// Why a folder could not be read as a dossier at all (the command cannot run).
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error("{0} is not a dossier: it has neither a responses/ nor a submissions/ folder")]
    NotADossier(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The most files saq reads from one dossier folder.
pub const MAX_FILES: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct Dossier {
    pub root: PathBuf,
    /// The state the dossier is about (from its responses, else its submissions).
    pub state: Option<String>,
    /// Responses that loaded (wherever they lie: see D005), sorted by path.
    pub responses: Vec<LoadedResponse>,
    /// Submissions that loaded (wherever they lie), sorted by path.
    pub submissions: Vec<LoadedSubmission>,
    /// Every file read, in path order, including those that failed to load: what a
    /// pack's digest covers and what diagnostics quote.
    pub files: Vec<SourceFile>,
}

impl Dossier {
    /// The response for an instrument (questionnaire id), if the dossier has one.
    pub fn response(&self, instrument: &str) -> Option<&LoadedResponse> {
        self.responses
            .iter()
            .find(|r| r.response.questionnaire.split('@').next() == Some(instrument))
    }
}

/// Reads the file paths of a dossier, sorted; the caller reads and decodes them.
pub fn files(root: &Path) -> Result<Vec<PathBuf>, DossierError> {
    let responses = root.join("responses");
    let submissions = root.join("submissions");
    if !responses.is_dir() && !submissions.is_dir() {
        return Err(DossierError::NotADossier(root.to_path_buf()));
    }
    let mut paths = Vec::new();
    for dir in [responses, submissions] {
        if !dir.is_dir() {
            continue;
        }
        let entries = fs::read_dir(&dir).map_err(|source| DossierError::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| DossierError::Io {
                path: dir.clone(),
                source,
            })?;
            let path = entry.path();
            // `*.schema.json` are the editor schemas `saq new` writes beside a file.
            let is_schema = path.to_string_lossy().ends_with(".schema.json");
            if path.is_file()
                && !is_schema
                && path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Loads and validates a dossier. File-level problems that are not about content
/// (a file that cannot be read) stop the load; everything else is a diagnostic.
pub fn load(catalog: &Catalog, root: &Path) -> Result<(Dossier, Vec<Diagnostic>), DossierError> {
    let paths = files(root)?;
    let mut dossier = Dossier {
        root: root.to_path_buf(),
        ..Dossier::default()
    };
    let mut diagnostics = Vec::new();
    let mut unloaded: Vec<String> = Vec::new();
    if paths.len() > MAX_FILES {
        diagnostics.push(Diagnostic::new(
            Code::FileTooLarge,
            root,
            format!(
                "the dossier holds {} files; saq reads at most {MAX_FILES}",
                paths.len()
            ),
        ));
        return Ok((dossier, diagnostics));
    }
    for path in paths {
        let read = SourceFile::read(&path).map_err(|source| DossierError::Io {
            path: path.clone(),
            source,
        })?;
        let folder = if in_responses(&path) {
            FileKind::Response
        } else {
            FileKind::Submission
        };
        let file = match read {
            Ok(f) => f,
            Err(d) => {
                diagnostics.push(*d);
                if folder == FileKind::Response {
                    unloaded.push(instrument_of(&path, None));
                }
                continue;
            }
        };
        let doc = match source::parse(&file) {
            Ok(doc) => doc,
            Err(found) => {
                diagnostics.extend(found);
                if folder == FileKind::Response {
                    unloaded.push(instrument_of(&path, None));
                }
                dossier.files.push(file);
                continue;
            }
        };
        // A file is checked as what it is, wherever it lies; a file of no known kind
        // as what its folder holds, which says best what it lacks.
        let kind = FileKind::detect(&doc.value).unwrap_or(folder);
        if kind != folder {
            diagnostics.push(wrong_folder(&file, kind, &doc));
        }
        match kind {
            FileKind::Response => {
                let instrument = instrument_of(&path, Some(&doc));
                let (loaded, found) = response::validate_parsed(catalog, &file, doc);
                diagnostics.extend(found);
                match loaded {
                    Some(r) => dossier.responses.push(r),
                    None => unloaded.push(instrument),
                }
            }
            FileKind::Submission => {
                let (loaded, found) = submission::validate_parsed(catalog, &file, doc);
                diagnostics.extend(found);
                dossier.submissions.extend(loaded);
            }
            FileKind::Questionnaire => {
                diagnostics.extend(validate::file(catalog, &file).diagnostics);
            }
        }
        dossier.files.push(file);
    }
    cross_check(catalog, &mut dossier, &unloaded, &mut diagnostics);
    Ok((dossier, diagnostics))
}

fn in_responses(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "responses")
}

/// The instrument a response file is for, even when it cannot be loaded: from its
/// `questionnaire:` when that is text, else from its file name.
fn instrument_of(path: &Path, doc: Option<&source::Document>) -> String {
    let named = doc
        .and_then(|d| d.value.get("questionnaire"))
        .and_then(serde_json::Value::as_str)
        .and_then(|q| q.split('@').next())
        .filter(|id| !id.is_empty());
    match named {
        Some(id) => id.to_string(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
    }
}

/// D005, at the start of a file of the wrong kind for its folder.
fn wrong_folder(file: &SourceFile, kind: FileKind, doc: &source::Document) -> Diagnostic {
    let (message, hint) = match kind {
        FileKind::Submission => (
            "this is a submission, but it is in responses/".to_string(),
            "move it to submissions/".to_string(),
        ),
        FileKind::Response => (
            "this is a response, but it is in submissions/".to_string(),
            format!(
                "move it to responses/{}.yaml",
                instrument_of(&file.path, Some(doc))
            ),
        ),
        FileKind::Questionnaire => (
            "this is a questionnaire definition, which does not belong in a dossier".to_string(),
            "keep questionnaires in the folder given to `--questionnaires`; a dossier holds responses/ and submissions/".to_string(),
        ),
    };
    Diagnostic::new(Code::WrongFolder, &file.path, message)
        .at(Span::point(Position { line: 1, column: 1 }))
        .hint(hint)
}

/// `unloaded`: the instruments of responses that are in the dossier but could not be
/// loaded (their own diagnostics say why), so no check claims they are missing.
fn cross_check(
    catalog: &Catalog,
    dossier: &mut Dossier,
    unloaded: &[String],
    out: &mut Vec<Diagnostic>,
) {
    dossier.state = dossier
        .responses
        .first()
        .map(|r| r.response.state.clone())
        .or_else(|| {
            dossier
                .submissions
                .first()
                .map(|s| s.submission.state.clone())
        });
    if dossier.responses.is_empty() && unloaded.is_empty() {
        out.push(
            Diagnostic::new(
                Code::EmptyDossier,
                &dossier.root,
                "this dossier has no responses",
            )
            .hint("add the government's answers as responses/<instrument>.yaml"),
        );
    }
    let state = dossier.state.clone().unwrap_or_default();
    let mut seen: Vec<(&str, &Path)> = Vec::new();
    for r in &dossier.responses {
        let id = r
            .response
            .questionnaire
            .split('@')
            .next()
            .unwrap_or_default();
        let stem = r
            .source
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        // A response outside responses/ already has D005 telling where it belongs.
        if stem != id && in_responses(&r.source.path) {
            out.push(
                Diagnostic::new(
                    Code::ResponseMisnamed,
                    &r.source.path,
                    format!("a response to {} is named {stem}", r.response.questionnaire),
                )
                .at_opt(r.doc.span("/questionnaire"))
                .hint(format!("name it responses/{id}.yaml")),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(i, _)| *i == id) {
            out.push(
                Diagnostic::new(
                    Code::DuplicateResponse,
                    &r.source.path,
                    format!("a second response for {id}"),
                )
                .at_opt(r.doc.span("/questionnaire"))
                .hint(format!("the first is {}", first.display())),
            );
        }
        seen.push((id, &r.source.path));
        if r.response.state != state {
            out.push(state_mismatch(&r.source, &r.doc, &r.response.state, &state));
        }
    }
    let mut normalized = NormalizedAnswers::default();
    for s in &dossier.submissions {
        if s.submission.state != state {
            out.push(state_mismatch(
                &s.source,
                &s.doc,
                &s.submission.state,
                &state,
            ));
        }
        quotes(catalog, dossier, s, unloaded, &mut normalized, out);
    }
}

fn state_mismatch(
    file: &SourceFile,
    doc: &crate::source::Document,
    found: &str,
    state: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::StateMismatch,
        &file.path,
        format!("this file is about {found}, the dossier about {state}"),
    )
    .at_opt(doc.span("/state"))
    .hint("move the file to its state's dossier, or correct `state:`")
}

/// Collapses whitespace runs so line breaks in a YAML block do not defeat a quote.
pub fn normalize_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each response's passages, whitespace-normalized once per dossier (keyed by
/// instrument, then question id) rather than once per comment that quotes them: a
/// dossier with thousands of comments on a long answer stays linear.
#[derive(Default)]
struct NormalizedAnswers {
    by_instrument: HashMap<String, HashMap<String, Vec<String>>>,
}

impl NormalizedAnswers {
    fn of(&mut self, instrument: &str, r: &LoadedResponse) -> &HashMap<String, Vec<String>> {
        self.by_instrument
            .entry(instrument.to_string())
            .or_insert_with(|| {
                r.response
                    .answers
                    .iter()
                    .map(|(id, a)| {
                        let passages = a.passages().into_iter().map(normalize_whitespace);
                        (id.clone(), passages.collect())
                    })
                    .collect()
            })
    }
}

fn quotes(
    catalog: &Catalog,
    dossier: &Dossier,
    s: &LoadedSubmission,
    unloaded: &[String],
    normalized: &mut NormalizedAnswers,
    out: &mut Vec<Diagnostic>,
) {
    let sub = &s.submission;
    let instrument = sub.questionnaire.split('@').next().unwrap_or_default();
    let response = dossier.response(instrument);
    if response.is_none() && unloaded.iter().any(|i| i == instrument) {
        // The response is there but broken, and its diagnostics say so: its quotes and
        // targets are checked once it loads.
        return;
    }
    let versions = response.and_then(|r| {
        Some((
            catalog.get(&sub.questionnaire).ok()?,
            catalog.get(&r.response.questionnaire).ok()?,
        ))
    });
    for (i, comment) in sub.comments.iter().enumerate() {
        let at = format!("/comments/{i}");
        let target = Target::parse(&comment.target);
        // Where the target lives in the response's version of the questionnaire.
        let mapped = match (&target, versions) {
            (Target::Question(id), Some((from, to))) => {
                match map_id(catalog, id, from, to) {
                    Some(new_id) => Some(Target::Question(new_id)),
                    None => {
                        out.push(
                        Diagnostic::new(
                            Code::TargetNotInResponseVersion,
                            &s.source.path,
                            format!("`{id}` does not exist in {}, which the dossier's response answers", to.reference()),
                        )
                        .at_opt(s.doc.span(&format!("{at}/target"))),
                    );
                        None
                    }
                }
            }
            _ => Some(target.clone()),
        };
        let Some(quote) = &comment.quote else {
            continue;
        };
        let Some(r) = response else {
            out.push(
                Diagnostic::new(
                    Code::QuoteUnchecked,
                    &s.source.path,
                    format!("the dossier has no {instrument} response to check this quote against"),
                )
                .at_opt(s.doc.span(&format!("{at}/quote"))),
            );
            continue;
        };
        let Some(mapped) = mapped else { continue };
        let answers = normalized.of(instrument, r);
        // In the response's order of answers, so the hint quotes the same first passage.
        let passages: Vec<&str> = match &mapped {
            Target::Question(id) => answers
                .get(id)
                .map(|p| p.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            Target::Article(number) => {
                let prefix = format!("art{number}.");
                r.response
                    .answers
                    .keys()
                    .filter(|id| id.starts_with(&prefix))
                    .filter_map(|id| answers.get(id))
                    .flatten()
                    .map(String::as_str)
                    .collect()
            }
            Target::General => r
                .response
                .answers
                .keys()
                .filter_map(|id| answers.get(id))
                .flatten()
                .map(String::as_str)
                .collect(),
        };
        let needle = normalize_whitespace(quote);
        if passages.iter().any(|p| p.contains(&needle)) {
            continue;
        }
        let mut d = Diagnostic::new(Code::QuoteNotFound, &s.source.path, match &mapped {
            Target::Question(id) if passages.is_empty() => format!("the {instrument} response does not answer `{id}`, so there is nothing to quote"),
            _ => format!("this passage is not in the government's answer to `{}`", comment.target),
        })
        .at_opt(s.doc.span(&format!("{at}/quote")));
        if let Some(whole) = passages.first() {
            let start: String = whole.chars().take(80).collect();
            d = d.hint(if start.len() < whole.len() {
                format!("the answer begins: \u{201c}{start}…\u{201d}")
            } else {
                format!("the answer reads: \u{201c}{start}\u{201d}")
            });
        }
        d = d.hint(format!("compare with {}", r.source.path.display()));
        out.push(d);
    }
}
