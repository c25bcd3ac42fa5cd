//! `saq validate`: check files and dossiers, report every problem, exit 1 if any.

use std::path::{Path, PathBuf};

use saq_core::diagnostic::{self, Severity};
use saq_core::source::SourceFile;
use saq_core::validate::FileKind;
use saq_core::Diagnostic;
use serde::Serialize;

use crate::cli::ReportFormat;
use crate::output::print;
use crate::report;
use crate::session::Session;
use crate::{Failure, Outcome};

#[derive(Serialize)]
struct FileLine {
    path: String,
    kind: Option<FileKind>,
    errors: usize,
    warnings: usize,
}

pub fn run(
    mut session: Session,
    paths: &[PathBuf],
    format: ReportFormat,
    deny_warnings: bool,
) -> Result<Outcome, Failure> {
    let mut diagnostics: Vec<Diagnostic> = session.catalog_diagnostics.clone();
    let mut files: Vec<FileLine> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (loaded, found) = dossier(&mut session, path)?;
            for (p, kind) in loaded {
                let (errors, warnings) = count(&found, &p);
                files.push(FileLine {
                    path: p.display().to_string(),
                    kind,
                    errors,
                    warnings,
                });
            }
            diagnostics.extend(found);
        } else {
            let source = read(path)?;
            let report = match source {
                Ok(source) => {
                    session.sources.add(&source);
                    saq_core::validate::file(&session.catalog, &source)
                }
                Err(d) => saq_core::validate::FileReport {
                    kind: None,
                    diagnostics: vec![*d],
                },
            };
            let (errors, warnings) = count(&report.diagnostics, path);
            files.push(FileLine {
                path: path.display().to_string(),
                kind: report.kind,
                errors,
                warnings,
            });
            diagnostics.extend(report.diagnostics);
        }
    }
    diagnostic::sort(&mut diagnostics);
    if deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    match format {
        ReportFormat::Human => {
            report::print_human(&diagnostics, &session.sources);
            eprintln!("{}", report::summary(files.len(), &diagnostics));
        }
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                files: Vec<FileLine>,
                diagnostics: Vec<report::JsonDiagnostic<'a>>,
                errors: usize,
                warnings: usize,
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let out = Out {
                warnings: diagnostics.len() - errors,
                errors,
                diagnostics: diagnostics
                    .iter()
                    .map(|d| report::to_json(d, &session.sources))
                    .collect(),
                files,
            };
            print(&(serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"))?;
        }
    }
    Ok(if diagnostic::has_errors(&diagnostics) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn count(diagnostics: &[Diagnostic], path: &Path) -> (usize, usize) {
    let mine = diagnostics.iter().filter(|d| d.file == path);
    let errors = mine.clone().filter(|d| d.is_error()).count();
    (errors, mine.count() - errors)
}

/// Reads a file; an I/O failure means the command cannot run, while bytes that are
/// not UTF-8 (or too many) are a problem of the input, reported as a diagnostic.
pub fn read(path: &Path) -> Result<Result<SourceFile, Box<Diagnostic>>, Failure> {
    SourceFile::read(path).map_err(|source| Failure::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The files of a dossier with their kinds, and the diagnostics of all of them.
type DossierFiles = (Vec<(PathBuf, Option<FileKind>)>, Vec<Diagnostic>);

fn dossier(session: &mut Session, path: &Path) -> Result<DossierFiles, Failure> {
    let (dossier, diagnostics) = load_dossier(session, path)?;
    let mut files: Vec<(PathBuf, Option<FileKind>)> = dossier
        .files
        .iter()
        .map(|f| {
            let kind = if dossier.responses.iter().any(|r| r.source.path == f.path) {
                Some(FileKind::Response)
            } else if dossier.submissions.iter().any(|s| s.source.path == f.path) {
                Some(FileKind::Submission)
            } else {
                None
            };
            (f.path.clone(), kind)
        })
        .collect();
    // Files that could not even be decoded have diagnostics but no source.
    for d in &diagnostics {
        if !files.iter().any(|(p, _)| *p == d.file) && d.file != path {
            files.push((d.file.clone(), None));
        }
    }
    Ok((files, diagnostics))
}

/// Loads a dossier and registers its files for diagnostics; shared by every command
/// that takes a dossier.
pub fn load_dossier(
    session: &mut Session,
    path: &Path,
) -> Result<(saq_core::dossier::Dossier, Vec<Diagnostic>), Failure> {
    let (dossier, diagnostics) =
        saq_core::dossier::load(&session.catalog, path).map_err(|e| match e {
            saq_core::dossier::DossierError::NotADossier(_) => Failure::Usage(e.to_string()),
            saq_core::dossier::DossierError::Io { path, source } => Failure::Read { path, source },
        })?;
    for f in &dossier.files {
        session.sources.add(f);
    }
    Ok((dossier, diagnostics))
}
