//! Bad input never panics: arbitrary strings, arbitrary bytes and YAML-ish token soup
//! go through the same path as `saq validate` (decode, parse, detect, schema, checks)
//! against a catalog of the shipped questionnaires, and every located diagnostic
//! points inside the file (line and column 1-based, never 0).
//!
//! 256 cases per property by default (`PROPTEST_CASES` overrides it).

use std::path::PathBuf;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::test_runner::Config;
use saq_core::questionnaire::Catalog;
use saq_core::source::SourceFile;
use saq_core::Diagnostic;

use crate::util::root;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("questionnaires")).expect("questionnaires/ exists") {
        let dir = dir.expect("a directory entry").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("a questionnaire folder") {
            let path = file.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let bytes = std::fs::read(&path).expect("readable");
                files.push(
                    SourceFile::from_bytes(&path, bytes).expect("shipped questionnaires are UTF-8"),
                );
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let (catalog, diagnostics) = Catalog::from_files(files);
    assert!(
        diagnostics.is_empty(),
        "shipped questionnaires have problems: {diagnostics:#?}"
    );
    assert_eq!(catalog.iter().count(), 5);
    catalog
});

fn config() -> Config {
    // No regression files: failures are printed with their minimal input instead.
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

fn assert_located(d: &Diagnostic, text: Option<&str>) {
    let Some(span) = d.span else { return };
    assert!(span.start.line >= 1 && span.start.column >= 1, "{d:?}");
    assert!(span.end.line >= 1 && span.end.column >= 1, "{d:?}");
    assert!(span.start <= span.end, "{d:?}");
    if let Some(text) = text {
        // A point just past the last line (end of file) is the furthest a span may go.
        let lines = text.lines().count().max(1);
        assert!(
            span.start.line <= lines + 1,
            "{d:?} is past the end of a {lines}-line file"
        );
    }
}

/// Runs the `saq validate` path on bytes; panics (failing the property) on a bad span.
fn validate_bytes(bytes: Vec<u8>) {
    match SourceFile::from_bytes(PathBuf::from("fuzz.yaml"), bytes) {
        Ok(file) => {
            let report = saq_core::validate::file(&CATALOG, &file);
            for d in &report.diagnostics {
                assert_located(d, Some(&file.text));
            }
        }
        Err(d) => {
            assert_eq!(d.code, saq_core::Code::NotUtf8, "{d:?}");
            assert_located(&d, None);
        }
    }
}

/// Pieces YAML is made of, including the ones that stress a parser: anchors and
/// aliases, tags, block scalars, flow collections, document markers, tabs, `.nan`,
/// YAML 1.1 booleans, and keys of saq's own formats.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!",
    "!!str ",
    "!!map ",
    "|",
    ">",
    "|-",
    "\"",
    "'",
    "#",
    "\t",
    "\n",
    "\r\n",
    " ",
    "  ",
    "    ",
    "---",
    "...",
    "yes",
    "no",
    "on",
    "null",
    "~",
    ".nan",
    ".inf",
    "-.inf",
    "1.0",
    "0",
    "-1",
    "é",
    "\u{feff}",
    "%YAML 1.2",
    "id",
    "version",
    "\"1.0\"",
    "clusters",
    "number",
    "articles",
    "article",
    "questions",
    "title",
    "prompt",
    "type",
    "compliance",
    "choice",
    "table",
    "options",
    "columns",
    "show_if",
    "art5.offence",
    "art5.x",
    " == ",
    " in ",
    " and ",
    " not ",
    "(",
    ")",
    "answered",
    "changes",
    "renamed",
    "removed",
    "answers",
    "contributor",
    "comments",
    "x",
];

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|tokens| tokens.concat())
}

/// A small valid questionnaire that mutations start from, so the schema and
/// definition checks (not only the YAML parser) see damaged input.
const SEED: &str = r#"id: sample
version: "1.0"
instrument: { en: Sample instrument, fr: Instrument }
title: { en: Sample questionnaire, fr: Questionnaire }
languages: [fr]
clusters:
  - number: 1
    title: { en: Criminalization, fr: Incrimination }
    articles:
      - article: "5"
        title: { en: Participation, fr: Participation }
        questions:
          - id: art5.offence
            type: compliance
            required: true
            prompt: { en: Is participation an offence?, fr: Infraction ? }
          - id: art5.scope
            type: choice
            show_if: "art5.offence in [yes, partially]"
            prompt: { en: Scope?, fr: Portée ? }
            options:
              - { id: broad, label: { en: Broad, fr: Large } }
          - id: art5.statistics
            type: table
            show_if: art5.scope == broad and not (art5.offence == no)
            prompt: { en: Cases?, fr: Affaires ? }
            columns:
              - { id: year, label: { en: Year, fr: Année }, type: number }
          - id: art5.count
            type: number
            min: 0
            max: 10
            prompt: { en: How many?, fr: Combien ? }
"#;

/// Edits at char boundaries of the seed: delete a stretch, or insert a token.
fn mutated_seed() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..12,
        prop::option::of(prop::sample::select(TOKENS)),
    );
    prop::collection::vec(edit, 1..6).prop_map(|edits| {
        let mut text: Vec<char> = SEED.chars().collect();
        for (at, delete, insert) in edits {
            let at = at.index(text.len() + 1);
            let end = (at + delete).min(text.len());
            text.splice(at..end, insert.unwrap_or("").chars());
        }
        text.into_iter().collect()
    })
}

#[test]
fn the_seed_is_a_valid_questionnaire() {
    let file = SourceFile::from_bytes("seed.yaml", SEED.as_bytes().to_vec()).expect("UTF-8");
    let report = saq_core::validate::file(&CATALOG, &file);
    assert_eq!(report.diagnostics, vec![]);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        validate_bytes(text.into_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        validate_bytes(bytes);
    }

    #[test]
    fn yamlish_token_soup_never_panics(text in yamlish()) {
        validate_bytes(text.into_bytes());
    }

    #[test]
    fn damaged_questionnaires_never_panic(text in mutated_seed()) {
        validate_bytes(text.into_bytes());
    }
}
