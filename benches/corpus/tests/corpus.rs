//! The corpus is valid by construction, deterministic, and its planted errors are
//! reported by saq where the manifest says.

use std::path::Path;

use saq_core::dossier;
use saq_core::questionnaire::Catalog;
use saq_corpus::{
    generate_state, load_catalog, repo_dir, write_corpus, write_flat_submissions, Config,
};

fn catalog() -> Catalog {
    load_catalog(&repo_dir("questionnaires")).expect("the shipped questionnaires load")
}

fn small(errors: f64) -> Config {
    Config {
        seed: 1,
        states: 3,
        submissions: 5,
        errors,
    }
}

fn describe(d: &saq_core::Diagnostic) -> String {
    let line = d.span.map_or(0, |s| s.start.line);
    format!("{} {}:{line} {}", d.code, d.file.display(), d.message)
}

#[test]
fn a_generated_corpus_validates_without_any_diagnostic() {
    let catalog = catalog();
    let dir = tempfile::tempdir().expect("a temp dir");
    let summary = write_corpus(&catalog, &small(0.0), dir.path()).expect("written");
    assert_eq!(summary.files, 3 * (4 + 5));
    assert!(summary.planted.is_empty());
    for state in ["XAA", "XAB", "XAC"] {
        let (d, diagnostics) = dossier::load(&catalog, &dir.path().join(state)).expect("a dossier");
        let all: Vec<String> = diagnostics.iter().map(describe).collect();
        assert!(all.is_empty(), "{state}: {all:#?}");
        assert_eq!(d.responses.len(), 4, "{state}");
        assert_eq!(d.submissions.len(), 5, "{state}");
        assert_eq!(d.state.as_deref(), Some(state));
    }
}

#[test]
fn the_corpus_covers_what_the_benchmarks_need() {
    let catalog = catalog();
    let config = Config {
        states: 12,
        submissions: 6,
        ..Config::default()
    };
    let states: Vec<_> = (0..config.states)
        .map(|i| generate_state(&catalog, &config, i))
        .collect();
    let all: String = states
        .iter()
        .flat_map(|s| s.files.iter().map(|f| f.text.as_str()))
        .collect();
    for needle in [
        "status: submitted",
        "status: draft",
        "answers: {}",
        "visibility: public",
        "visibility: reviewers",
        "visibility: secretariat",
        "attribution: anonymous",
        "attribution: named",
        "kind: academia",
        "kind: private_sector",
        "stance: supports",
        "stance: contests",
        "stance: complements",
        "quote: ",
        "evidence:",
        "recommendation:",
        "questionnaire: untoc@1.0",
        "questionnaire: untoc@1.1",
    ] {
        assert!(all.contains(needle), "no file has {needle:?}");
    }
    // XAA is the full dossier: four submitted responses.
    let xaa = &states[0];
    assert_eq!(
        xaa.files
            .iter()
            .filter(|f| f.text.contains("status: submitted"))
            .count(),
        4
    );
    // Comments per submission stay within 5..=40.
    for s in &states {
        for f in s.files.iter().filter(|f| f.path.contains("/submissions/")) {
            let n = f.text.matches("\n  - target: ").count();
            assert!((5..=40).contains(&n), "{}: {n} comments", f.path);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_states_do_not_depend_on_the_count() {
    let catalog = catalog();
    let a = generate_state(&catalog, &small(0.0), 1);
    let b = generate_state(&catalog, &small(0.0), 1);
    let texts = |s: &saq_corpus::State| {
        s.files
            .iter()
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&a), texts(&b));
    let bigger = Config {
        states: 380,
        ..small(0.0)
    };
    assert_eq!(texts(&a), texts(&generate_state(&catalog, &bigger, 1)));
    let other = Config {
        seed: 2,
        ..small(0.0)
    };
    assert_ne!(texts(&a), texts(&generate_state(&catalog, &other, 1)));
    // Files without a planted error are the same with and without --errors.
    let planted = generate_state(&catalog, &small(0.5), 1);
    for (clean, maybe) in a.files.iter().zip(&planted.files) {
        if !planted.planted.iter().any(|p| p.file == maybe.path) {
            assert_eq!(clean.text, maybe.text, "{}", clean.path);
        }
    }
    // Written corpora are byte-identical too.
    let (d1, d2) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    write_corpus(&catalog, &small(0.1), d1.path()).expect("written");
    write_corpus(&catalog, &small(0.1), d2.path()).expect("written");
    for f in saq_corpus::yaml_files(d1.path()).expect("listed") {
        let rel = f.strip_prefix(d1.path()).expect("inside");
        assert_eq!(
            std::fs::read(&f).ok(),
            std::fs::read(d2.path().join(rel)).ok(),
            "{}",
            rel.display()
        );
    }
    assert_eq!(
        std::fs::read(d1.path().join("manifest.json")).ok(),
        std::fs::read(d2.path().join("manifest.json")).ok()
    );
}

#[test]
fn saq_reports_every_planted_error_at_its_line_and_nothing_else() {
    let catalog = catalog();
    let config = Config {
        seed: 7,
        states: 6,
        submissions: 8,
        errors: 0.6,
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let summary = write_corpus(&catalog, &config, dir.path()).expect("written");
    assert!(summary.planted.len() >= 10, "{:?}", summary.planted);
    let mut codes: Vec<&str> = summary.planted.iter().map(|p| p.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes,
        ["C001", "S002", "T001", "T004", "T005", "T006"],
        "every kind of error is planted"
    );

    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("manifest.json")).expect("a manifest"),
    )
    .expect("JSON");
    assert_eq!(
        manifest["planted"].as_array().map(Vec::len),
        Some(summary.planted.len())
    );

    let mut errors = Vec::new();
    for i in 0..config.states {
        let state = saq_corpus::state_code(i);
        let (_, diagnostics) =
            dossier::load(&catalog, &dir.path().join(&state)).expect("a dossier");
        errors.extend(diagnostics.into_iter().filter(|d| d.is_error()));
    }
    let relative = |p: &Path| {
        p.strip_prefix(dir.path())
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    for p in &summary.planted {
        let found = errors.iter().any(|d| {
            relative(&d.file) == p.file
                && d.code.as_str() == p.code
                && d.span.map(|s| s.start.line) == Some(p.line)
        });
        assert!(
            found,
            "planted {p:?} not reported; saq said {:#?}",
            errors
                .iter()
                .filter(|d| relative(&d.file) == p.file)
                .map(describe)
                .collect::<Vec<_>>()
        );
    }
    for d in &errors {
        let planted = summary.planted.iter().any(|p| relative(&d.file) == p.file);
        assert!(
            planted,
            "an error in a file without a planted one: {}",
            describe(d)
        );
    }
}

#[test]
fn flat_submissions_are_the_corpus_submissions() {
    let catalog = catalog();
    let config = small(0.0);
    let (flat, tree) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let s = write_flat_submissions(&catalog, &config, 12, flat.path()).expect("written");
    assert_eq!(s.files, 12);
    write_corpus(&catalog, &config, tree.path()).expect("written");
    let files = saq_corpus::yaml_files(flat.path()).expect("listed");
    assert_eq!(files.len(), 12);
    for f in files {
        let name = f.file_name().and_then(|n| n.to_str()).expect("a name");
        let (state, rest) = name.split_at(3);
        let original = tree.path().join(state).join("submissions").join(&rest[1..]);
        assert_eq!(
            std::fs::read(&f).ok(),
            std::fs::read(&original).ok(),
            "{name}"
        );
    }
}
