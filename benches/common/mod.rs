//! What the benchmarks share: the catalog, templates and the generated corpus, built
//! once per process. The corpus is generated into target/tmp (cached by seed,
//! size and a fingerprint of the questionnaires and generator), never committed.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use saq_core::questionnaire::Catalog;
use saq_corpus::Config;
use saq_render::Renderer;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        saq_corpus::load_catalog(&repo().join("questionnaires"))
            .expect("the shipped questionnaires load")
    })
}

pub fn templates() -> &'static [(String, String)] {
    static T: OnceLock<Vec<(String, String)>> = OnceLock::new();
    T.get_or_init(|| {
        saq_corpus::read_templates(&repo().join("templates")).expect("templates/ reads")
    })
}

pub fn renderer() -> Renderer {
    Renderer::new(templates().iter().map(|(n, c)| (n.as_str(), c.as_str())))
        .expect("the shipped templates compile")
}

fn cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("saq-corpus")
}

/// The 190-state corpus (seed 1, 20 submissions per state).
pub fn corpus() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let started = std::time::Instant::now();
        let dir = saq_corpus::cached_corpus(catalog(), &Config::default(), &cache())
            .expect("the corpus is written");
        eprintln!("corpus: {} ({:.1?})", dir.display(), started.elapsed());
        dir
    })
}

pub fn dossiers() -> &'static [PathBuf] {
    static D: OnceLock<Vec<PathBuf>> = OnceLock::new();
    D.get_or_init(|| {
        let d = saq_corpus::dossiers(corpus()).expect("the corpus lists");
        assert_eq!(d.len(), 190);
        d
    })
}

/// The full dossier: XAA, whose four responses are submitted.
pub fn full_dossier() -> PathBuf {
    corpus().join("XAA")
}

/// The corpus's first 1,000 submissions in one folder.
pub fn flat() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        saq_corpus::cached_flat(catalog(), &Config::default(), 1000, &cache())
            .expect("the submissions are written")
    })
}

pub fn flat_files() -> Vec<PathBuf> {
    let files = saq_corpus::yaml_files(flat()).expect("the folder lists");
    assert_eq!(files.len(), 1000);
    files
}
