//! The whole review cycle through the libraries, as one process: validate every
//! dossier of a corpus and render every pack (for hyperfine and /usr/bin/time).
//!
//! saq-cycle [--threads N] [--format html|md|json] [--audience reviewers]
//!           [--out DIR] [--questionnaires DIR] [--templates DIR] CORPUS...

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use saq_core::submission::Audience;
use saq_render::{Format, PackOptions, Renderer};

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("saq-cycle: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    let mut threads = 1usize;
    let mut format = Format::Html;
    let mut audience = Audience::Reviewers;
    let mut out: Option<PathBuf> = None;
    let mut questionnaires = saq_corpus::repo_dir("questionnaires");
    let mut templates = saq_corpus::repo_dir("templates");
    let mut corpora: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--threads" => threads = value()?.parse().map_err(|_| "--threads: a number")?,
            "--format" => {
                format = match value()?.as_str() {
                    "html" => Format::Html,
                    "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => return Err(format!("--format {other}: html, md or json")),
                }
            }
            "--audience" => {
                let v = value()?;
                audience = Audience::parse(&v).ok_or(format!("--audience {v}"))?;
            }
            "--out" => out = Some(value()?.into()),
            "--questionnaires" => questionnaires = value()?.into(),
            "--templates" => templates = value()?.into(),
            _ => corpora.push(a.into()),
        }
    }
    let started = Instant::now();
    let catalog = saq_corpus::load_catalog(&questionnaires)?;
    let list = saq_corpus::read_templates(&templates).map_err(|e| e.to_string())?;
    let renderer = Renderer::new(list.iter().map(|(n, c)| (n.as_str(), c.as_str())))
        .map_err(|e| e.to_string())?;
    let mut dossiers = Vec::new();
    for c in &corpora {
        dossiers.extend(saq_corpus::dossiers(c).map_err(|e| format!("{}: {e}", c.display()))?);
    }
    if let Some(out) = &out {
        std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    }
    let options = PackOptions {
        audience,
        lang: "en".into(),
        instruments: Vec::new(),
        clusters: Vec::new(),
        date: None,
    };
    let r = saq_corpus::cycle(
        &catalog,
        &renderer,
        &dossiers,
        &options,
        format,
        threads,
        out.as_deref(),
    )?;
    let ms = |ns: u128| ns as f64 / 1e6;
    eprintln!(
        "stages (summed over threads): load+validate {:.0} ms, assemble {:.0} ms, render {:.0} ms",
        ms(r.load_ns),
        ms(r.assemble_ns),
        ms(r.render_ns)
    );
    eprintln!(
        "{} dossiers, {} files: {} error(s), {} warning(s); {} packs ({:.1} MB) in {:.3?} on {threads} thread(s)",
        r.dossiers,
        r.files,
        r.errors,
        r.warnings,
        r.packs,
        r.pack_bytes as f64 / 1e6,
        started.elapsed()
    );
    Ok(r.errors == 0)
}
