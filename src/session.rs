//! What every command starts from: the questionnaire catalog (shipped or from
//! `--questionnaires`), and the source texts diagnostics will quote.

use std::fs;
use std::path::{Path, PathBuf};

use saq_core::questionnaire::Catalog;
use saq_core::source::SourceFile;
use saq_core::Diagnostic;

use crate::embedded;
use crate::report::Sources;
use crate::Failure;

pub struct Session {
    pub catalog: Catalog,
    /// Problems in the questionnaire definitions themselves (only possible with `--questionnaires`).
    pub catalog_diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    pub templates: Option<PathBuf>,
}

impl Session {
    pub fn new(
        questionnaires: Option<&Path>,
        templates: Option<PathBuf>,
    ) -> Result<Session, Failure> {
        // Files that cannot even be decoded are reported with the catalog's problems.
        let mut unreadable = Vec::new();
        let files = match questionnaires {
            None => embedded::QUESTIONNAIRES
                .iter()
                .map(|(path, text)| SourceFile {
                    path: Path::new("questionnaires").join(path),
                    text: (*text).to_string(),
                })
                .collect(),
            Some(dir) => read_tree(dir, &mut unreadable)?,
        };
        // The catalog consumes its files; a copy stays until we know which of them
        // the diagnostics quote (usually none), and only those texts are kept.
        let (catalog, mut catalog_diagnostics) = Catalog::from_files(files.clone());
        let mut sources = Sources::default();
        sources.add_quoted(&files, &catalog_diagnostics);
        drop(files);
        catalog_diagnostics.extend(unreadable);
        Ok(Session {
            catalog,
            catalog_diagnostics,
            sources,
            templates,
        })
    }
}

/// Reads `<dir>/<id>/<version>.yaml` files.
fn read_tree(
    dir: &Path,
    problems: &mut Vec<saq_core::Diagnostic>,
) -> Result<Vec<SourceFile>, Failure> {
    let read_dir = |d: &Path| {
        fs::read_dir(d).map_err(|source| Failure::Read {
            path: d.to_path_buf(),
            source,
        })
    };
    let mut files = Vec::new();
    for entry in read_dir(dir)? {
        let entry = entry.map_err(|source| Failure::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        if !entry.path().is_dir() {
            continue;
        }
        for file in read_dir(&entry.path())? {
            let file = file.map_err(|source| Failure::Read {
                path: entry.path(),
                source,
            })?;
            let path = file.path();
            if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        match SourceFile::read(&path) {
            Ok(Ok(file)) => out.push(file),
            Ok(Err(diagnostic)) => problems.push(*diagnostic),
            Err(source) => return Err(Failure::Read { path, source }),
        }
    }
    Ok(out)
}
