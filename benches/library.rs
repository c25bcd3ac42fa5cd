//! Benchmarks of saq's libraries (saq-core, saq-render) on the generated corpus.
//!
//! `cargo bench --bench library`. The corpus (190 states, 20 submissions each, seed 1)
//! is generated into target/tmp on first use. See BENCHMARKS.md.

mod common;

use std::path::Path;

use divan::{black_box, Bencher};
use saq_core::questionnaire::catalog::load_and_check;
use saq_core::source::SourceFile;
use saq_core::submission::Audience;
use saq_render::{assemble_for, Format, PackOptions};

fn main() {
    // Generate (or find) the corpus before any timing starts.
    common::dossiers();
    common::flat();
    divan::main();
}

fn options() -> PackOptions {
    PackOptions {
        audience: Audience::Reviewers,
        lang: "en".into(),
        instruments: Vec::new(),
        clusters: Vec::new(),
        date: None,
    }
}

fn read(path: &Path) -> SourceFile {
    SourceFile {
        path: path.to_path_buf(),
        text: std::fs::read_to_string(path).expect("readable"),
    }
}

/// Load (parse + schema layer) and check one shipped questionnaire definition.
#[divan::bench(args = ["firearms/1.0", "smuggling/1.0", "trafficking/1.0", "untoc/1.0", "untoc/1.1"])]
fn questionnaire_load_and_check(bencher: Bencher, which: &str) {
    let file = read(
        &common::repo()
            .join("questionnaires")
            .join(format!("{which}.yaml")),
    );
    let previous = (which == "untoc/1.1").then(|| {
        load_and_check(
            &read(&common::repo().join("questionnaires/untoc/1.0.yaml")),
            None,
        )
        .0
        .expect("untoc 1.0 loads")
    });
    bencher.bench(|| {
        let (q, diagnostics) = load_and_check(black_box(&file), previous.as_ref());
        assert!(q.is_some() && diagnostics.is_empty());
        q
    });
}

/// `saq_core::validate::file` on the corpus's first 1,000 submissions, read into
/// memory beforehand; the catalog's compiled schemas are reused across files.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn validate_1000_submissions(bencher: Bencher) {
    let catalog = common::catalog();
    let files: Vec<SourceFile> = common::flat_files().iter().map(|p| read(p)).collect();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            let mut problems = 0;
            for f in &files {
                problems += saq_core::validate::file(catalog, f).diagnostics.len();
            }
            assert_eq!(problems, 0);
        });
}

/// Loading and validating the full dossier XAA (4 submitted responses, 20 submissions), from disk.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn validate_full_dossier(bencher: Bencher) {
    let catalog = common::catalog();
    let root = common::full_dossier();
    bencher.bench(|| {
        let (dossier, diagnostics) = saq_core::dossier::load(catalog, &root).expect("a dossier");
        assert!(diagnostics.is_empty());
        dossier
    });
}

/// Assembling the reviewers pack of XAA for one format and rendering it (the dossier is
/// loaded beforehand). JSON assembles prose in both halves, as `assemble` does.
#[divan::bench(args = ["html", "md", "json"], sample_count = 20, sample_size = 1)]
fn pack_assemble_and_render(bencher: Bencher, format: &str) {
    let catalog = common::catalog();
    let renderer = common::renderer();
    let (dossier, _) =
        saq_core::dossier::load(catalog, &common::full_dossier()).expect("a dossier");
    let format = match format {
        "html" => Format::Html,
        "md" => Format::Markdown,
        _ => Format::Json,
    };
    let options = options();
    bencher.bench(|| {
        let pack = assemble_for(catalog, &dossier, &options, format);
        renderer.render(&pack, format).expect("renders")
    });
}

/// The whole cycle through the libraries: validate all 190 dossiers and render every
/// reviewers pack as HTML, on 1 and on 2 threads (the machine has 2 cores).
#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn whole_cycle_library(bencher: Bencher, threads: usize) {
    let catalog = common::catalog();
    let renderer = common::renderer();
    let dossiers = common::dossiers();
    let options = options();
    bencher.bench(|| {
        let r = saq_corpus::cycle(
            catalog,
            &renderer,
            dossiers,
            &options,
            Format::Html,
            threads,
            None,
        )
        .expect("the cycle runs");
        assert_eq!((r.dossiers, r.errors, r.packs), (190, 0, 190));
        r
    });
}

/// `source::parse` alone on the same 1,000 files (saq's loader: JSON value and
/// pointer-to-span map from the event stream): the share of validation spent parsing.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn parse_only_1000_submissions(bencher: Bencher) {
    let files: Vec<SourceFile> = common::flat_files().iter().map(|p| read(p)).collect();
    bencher.bench(|| {
        for f in &files {
            black_box(saq_core::source::parse(f).expect("parses"));
        }
    });
}
