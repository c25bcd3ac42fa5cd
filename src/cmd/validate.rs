//! `saq validate`: check files and dossiers, report every problem, exit 1 if any.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use saq_core::diagnostic::{self, Severity};
use saq_core::questionnaire::Catalog;
use saq_core::source::SourceFile;
use saq_core::validate::FileKind;
use saq_core::Diagnostic;
use serde::Serialize;

use crate::cli::ReportFormat;
use crate::output::print;
use crate::parallel;
use crate::report::{self, Sources};
use crate::session::Session;
use crate::{Failure, Outcome};

#[derive(Serialize)]
struct FileLine {
    path: String,
    kind: Option<FileKind>,
    errors: usize,
    warnings: usize,
}

/// What checking one input on the command line (a file or a dossier) found.
struct Checked {
    files: Vec<FileLine>,
    diagnostics: Vec<Diagnostic>,
    /// The texts of the files the diagnostics quote, and only those: the rest of
    /// the input is dropped as soon as it is checked.
    sources: Sources,
}

pub fn run(
    mut session: Session,
    paths: &[PathBuf],
    format: ReportFormat,
    deny_warnings: bool,
    jobs: Option<NonZeroUsize>,
) -> Result<Outcome, Failure> {
    let mut diagnostics: Vec<Diagnostic> = session.catalog_diagnostics.clone();
    let mut files: Vec<FileLine> = Vec::new();
    let mut checked = Vec::with_capacity(paths.len());
    let catalog = &session.catalog;
    parallel::ordered(
        paths,
        parallel::threads(jobs, paths.len()),
        |path| check(catalog, path),
        |result| checked.push(result),
    );
    // The first input that could not be read ends the command, as it would have
    // if the inputs had been checked one after the other.
    for result in checked {
        let found = result?;
        files.extend(found.files);
        diagnostics.extend(found.diagnostics);
        session.sources.extend(found.sources);
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

/// Checks one file or dossier.
fn check(catalog: &Catalog, path: &Path) -> Result<Checked, Failure> {
    let mut sources = Sources::default();
    if path.is_dir() {
        let (dossier, diagnostics) = load_dossier(catalog, path)?;
        sources.add_quoted(&dossier.files, &diagnostics);
        let files = dossier_files(&dossier, &diagnostics)
            .into_iter()
            .map(|(p, kind)| file_line(&p, kind, &diagnostics))
            .collect();
        return Ok(Checked {
            files,
            diagnostics,
            sources,
        });
    }
    let report = match read(path)? {
        Ok(source) => {
            let report = saq_core::validate::file(catalog, &source);
            sources.add_quoted([&source], &report.diagnostics);
            report
        }
        Err(d) => saq_core::validate::FileReport {
            kind: None,
            diagnostics: vec![*d],
        },
    };
    Ok(Checked {
        files: vec![file_line(path, report.kind, &report.diagnostics)],
        diagnostics: report.diagnostics,
        sources,
    })
}

/// A file's line in the JSON report: its kind and how many problems it has.
fn file_line(path: &Path, kind: Option<FileKind>, diagnostics: &[Diagnostic]) -> FileLine {
    let mine = diagnostics.iter().filter(|d| d.file == path);
    let errors = mine.clone().filter(|d| d.is_error()).count();
    FileLine {
        path: path.display().to_string(),
        kind,
        errors,
        warnings: mine.count() - errors,
    }
}

/// Reads a file; an I/O failure means the command cannot run, while bytes that are
/// not UTF-8 (or too many) are a problem of the input, reported as a diagnostic.
pub fn read(path: &Path) -> Result<Result<SourceFile, Box<Diagnostic>>, Failure> {
    SourceFile::read(path).map_err(|source| Failure::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The files of a dossier with their kinds, including those that could not even be
/// decoded (they have diagnostics but no source).
fn dossier_files(
    dossier: &saq_core::dossier::Dossier,
    diagnostics: &[Diagnostic],
) -> Vec<(PathBuf, Option<FileKind>)> {
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
    for d in diagnostics {
        if !files.iter().any(|(p, _)| *p == d.file) && d.file != dossier.root {
            files.push((d.file.clone(), None));
        }
    }
    files
}

/// Loads and validates a dossier; shared by every command that takes one. The
/// caller keeps the texts its diagnostics quote, if it reports them.
pub fn load_dossier(
    catalog: &Catalog,
    path: &Path,
) -> Result<(saq_core::dossier::Dossier, Vec<Diagnostic>), Failure> {
    saq_core::dossier::load(catalog, path).map_err(|e| match e {
        saq_core::dossier::DossierError::NotADossier(_) => Failure::Usage(e.to_string()),
        saq_core::dossier::DossierError::Io { path, source } => Failure::Read { path, source },
    })
}
