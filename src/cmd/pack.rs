//! `saq pack`: render a constructive-dialogue pack of a dossier for one audience.

use std::fs;
use std::path::{Path, PathBuf};

use saq_core::submission::Audience;
use saq_render::{assemble, Format, PackOptions, Renderer};

use crate::cli::{PackArgs, PackFormat};
use crate::output::{print, write_atomically};
use crate::report::{self, Sources};
use crate::session::Session;
use crate::{embedded, Failure, Outcome};

pub fn run(session: Session, args: PackArgs) -> Result<Outcome, Failure> {
    let audience = Audience::parse(&args.audience)
        .ok_or_else(|| Failure::Usage(format!("unknown audience {}", args.audience)))?;
    if !saq_render::i18n::LANGUAGES.contains(&args.lang.as_str()) {
        return Err(Failure::Usage(format!(
            "--lang must be one of the UN languages: {}",
            saq_render::i18n::LANGUAGES.join(", ")
        )));
    }
    if let Some(date) = &args.date {
        date.parse::<jiff::civil::Date>()
            .map_err(|e| Failure::Usage(format!("--date {date}: {e}")))?;
    }
    let (dossier, diagnostics) = super::validate::load_dossier(&session.catalog, &args.dossier)?;
    if diagnostics.iter().any(|d| d.is_error()) {
        let mut sources = Sources::default();
        sources.add_quoted(&dossier.files, &diagnostics);
        report::print_human(&diagnostics, &sources);
        eprintln!("{}", report::summary(dossier.files.len(), &diagnostics));
        eprintln!(
            "no pack written: fix the errors above first (`saq validate {}`)",
            args.dossier.display()
        );
        return Ok(Outcome::Problems);
    }
    for instrument in &args.instrument {
        let known = dossier.responses.iter().any(|r| {
            r.response
                .questionnaire
                .starts_with(&format!("{instrument}@"))
        }) || dossier.submissions.iter().any(|s| {
            s.submission
                .questionnaire
                .starts_with(&format!("{instrument}@"))
        });
        if !known {
            return Err(Failure::Usage(format!(
                "the dossier has nothing on instrument `{instrument}`"
            )));
        }
    }
    let options = PackOptions {
        audience,
        lang: args.lang.clone(),
        instruments: args.instrument.clone(),
        clusters: args.cluster.clone(),
        date: args.date.clone(),
    };
    let pack = assemble(&session.catalog, &dossier, &options);

    let templates = match &session.templates {
        Some(dir) => read_templates(dir)?,
        None => embedded::TEMPLATES
            .iter()
            .map(|(n, c)| ((*n).to_string(), (*c).to_string()))
            .collect(),
    };
    let renderer = Renderer::new(templates.iter().map(|(n, c)| (n.as_str(), c.as_str())))
        .map_err(|e| Failure::Other(e.to_string()))?;
    let format = match args.format {
        PackFormat::Html => Format::Html,
        PackFormat::Md => Format::Markdown,
        PackFormat::Json => Format::Json,
    };
    let text = renderer
        .render(&pack, format)
        .map_err(|e| Failure::Other(e.to_string()))?;

    let destination = match (&args.output, format) {
        (Some(path), _) => Some(path.clone()),
        (None, Format::Html) => Some(PathBuf::from(format!(
            "{}-{}.html",
            pack.state,
            audience.as_str()
        ))),
        (None, _) => None,
    };
    match destination {
        Some(path) => {
            write_atomically(&path, text.as_bytes())?;
            eprintln!(
                "wrote {} ({} pack of {}, {} instrument(s), {} submission(s) shown)",
                path.display(),
                audience.as_str(),
                pack.state,
                pack.instruments.len(),
                pack.summary.submissions
            );
        }
        None => print(&text)?,
    }
    if !diagnostics.is_empty() {
        eprintln!(
            "{} warning(s) in the dossier; `saq validate {}` shows them",
            diagnostics.len(),
            args.dossier.display()
        );
    }
    Ok(Outcome::Clean)
}

/// Reads every file under `dir`, named by its path relative to `dir`.
fn read_templates(dir: &Path) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = fs::read_dir(&current).map_err(|source| Failure::Read {
            path: current.clone(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| Failure::Read {
                    path: current.clone(),
                    source,
                })?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = fs::read_to_string(&path).map_err(|source| Failure::Read {
                    path: path.clone(),
                    source,
                })?;
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, text));
            }
        }
    }
    out.sort();
    Ok(out)
}
