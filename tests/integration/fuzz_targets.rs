//! The cargo-fuzz targets on stable, so CI runs them on every change without nightly.
//!
//! The bodies are `fuzz/targets.rs`, included here and by `fuzz/fuzz_targets/*.rs`.
//! Each target is driven by proptest for a few hundred cases: arbitrary bytes and
//! strings, token soup from each format's alphabet, and mutations of real files.
//! Every input a fuzzer ever crashed on is kept in `tests/fixtures/fuzz/<target>/`
//! (one file per input, raw bytes) and replayed in a child process, so that an input
//! that aborts (a stack overflow cannot be caught) fails only its own test.
//!
//! `PROPTEST_CASES` scales every property (the defaults are per property below).

#[path = "../../fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::util::root;

fn config(cases: u32) -> Config {
    let scale = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse::<u32>().ok())
        .map_or(cases, |c| c.max(1));
    Config {
        cases: scale,
        // No regression files: a failure prints its minimal input; save it under
        // tests/fixtures/fuzz/<target>/ to keep it.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Concatenations of up to `max` tokens.
fn soup(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens), 0..max).prop_map(|t| t.concat())
}

/// Edits at character boundaries of `seed`: delete a stretch and/or insert a token.
fn mutated(seed: &'static str, tokens: &'static [&'static str]) -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..16,
        prop::option::of(prop::sample::select(tokens)),
    );
    prop::collection::vec(edit, 1..8).prop_map(move |edits| {
        let mut text: Vec<char> = seed.chars().collect();
        for (at, delete, insert) in edits {
            let at = at.index(text.len() + 1);
            let end = (at + delete).min(text.len());
            text.splice(at..end, insert.unwrap_or("").chars());
        }
        text.into_iter().collect()
    })
}

const SUBMISSION: &str = include_str!("../../examples/arcadia/submissions/survivors-circle.yaml");

const RESPONSE: &str = r#"questionnaire: trafficking@1.0
state: XAR
status: submitted
submitted_on: 2026-03-01
focal_point: { name: A Person, institution: Ministry, email: a@example.org }
answers:
  art5.offence:
    value: partially
    explanation: |
      Participation is criminalized under article 212 of the Penal Code.
  art5.provisions:
    value:
      - { title: Penal Code, provision: "art. 212", url: "https://laws.example/pc" }
"#;

/// Well-formed conditions, from which mutations start.
fn well_formed_condition() -> impl Strategy<Value = String> {
    let id = prop::sample::select(&["a", "art5.x", "b.c", "q_1"][..]);
    let value = prop::sample::select(&["yes", "no", "1", "-2.5", "'s'", "\"q r\"", "\"and\""][..]);
    let leaf = prop_oneof![
        (
            id.clone(),
            prop::sample::select(&["==", "!="][..]),
            value.clone()
        )
            .prop_map(|(i, op, v)| format!("{i} {op} {v}")),
        (
            id.clone(),
            any::<bool>(),
            prop::collection::vec(value, 1..4)
        )
            .prop_map(|(i, not, vs)| format!(
                "{i} {}in [{}]",
                if not { "not " } else { "" },
                vs.join(", ")
            )),
        id.prop_map(|i| format!("{i} answered")),
    ];
    leaf.prop_recursive(5, 32, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("not {e}")),
            inner.clone().prop_map(|e| format!("({e})")),
            (
                inner.clone(),
                prop::sample::select(&["and", "or"][..]),
                inner
            )
                .prop_map(|(l, op, r)| format!("{l} {op} {r}")),
        ]
    })
}

fn mutated_condition() -> impl Strategy<Value = String> {
    (
        well_formed_condition(),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                0usize..4,
                prop::option::of(prop::sample::select(targets::CONDITION_TOKENS)),
            ),
            0..3,
        ),
    )
        .prop_map(|(seed, edits)| {
            let mut text: Vec<char> = seed.chars().collect();
            for (at, delete, insert) in edits {
                let at = at.index(text.len() + 1);
                let end = (at + delete).min(text.len());
                text.splice(at..end, insert.unwrap_or("").chars());
            }
            text.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn source_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        targets::source(&bytes);
    }

    #[test]
    fn source_on_arbitrary_strings(text in any::<String>()) {
        targets::source(text.as_bytes());
    }

    #[test]
    fn source_on_yamlish_soup(text in soup(targets::YAML_TOKENS, 120)) {
        targets::source(text.as_bytes());
    }

    #[test]
    fn source_on_mutated_files(
        text in prop_oneof![
            mutated(SUBMISSION, targets::YAML_TOKENS),
            mutated(RESPONSE, targets::YAML_TOKENS),
        ]
    ) {
        targets::source(text.as_bytes());
    }

    #[test]
    fn condition_on_arbitrary_strings(text in any::<String>()) {
        targets::condition(text.as_bytes());
    }

    #[test]
    fn condition_on_token_soup(text in soup(targets::CONDITION_TOKENS, 24)) {
        targets::condition(text.as_bytes());
    }

    #[test]
    fn condition_on_mutated_conditions(text in mutated_condition()) {
        targets::condition(text.as_bytes());
    }

    #[test]
    fn markdown_on_arbitrary_strings(text in any::<String>()) {
        targets::markdown(text.as_bytes());
    }

    #[test]
    fn markdown_on_markdownish_soup(text in soup(targets::MARKDOWN_TOKENS, 60)) {
        targets::markdown(text.as_bytes());
    }
}

proptest! {
    // A whole dossier loaded, assembled and rendered twice per case: fewer cases.
    #![proptest_config(config(48))]

    #[test]
    fn pack_on_markdownish_soup(text in soup(targets::MARKDOWN_TOKENS, 60)) {
        targets::pack(text.as_bytes());
    }

    #[test]
    fn pack_on_arbitrary_strings(text in any::<String>()) {
        targets::pack(text.as_bytes());
    }
}

/// Every target's fixture folder exists, so a crash input has an obvious home.
#[test]
fn every_target_has_a_fixture_folder() {
    for (name, _) in targets::TARGETS {
        let dir = fixtures().join(name);
        assert!(dir.is_dir(), "{} is missing", dir.display());
    }
}

/// The cargo-fuzz dictionaries are the alphabets the stable strategies use.
#[test]
fn dictionaries_match_the_alphabets() {
    for (name, tokens) in [
        ("yaml", targets::YAML_TOKENS),
        ("condition", targets::CONDITION_TOKENS),
        ("markdown", targets::MARKDOWN_TOKENS),
    ] {
        let path = root().join(format!("fuzz/dict/{name}.dict"));
        let expected = targets::dictionary(tokens);
        if std::env::var_os("SAQ_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(&path, &expected).expect("write the dictionary");
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            found,
            expected,
            "{} is stale: rerun with SAQ_BLESS=1",
            path.display()
        );
    }
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/fuzz")
}

/// Saved inputs of every target, sorted: (target, path).
fn saved_inputs() -> Vec<(&'static str, PathBuf)> {
    let mut out = Vec::new();
    for (name, _) in targets::TARGETS {
        let Ok(entries) = std::fs::read_dir(fixtures().join(name)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        out.extend(paths.into_iter().map(|p| (*name, p)));
    }
    out
}

const REPLAY: &str = "SAQ_FUZZ_REPLAY";

/// Replays every saved crash input, each in a child process running
/// [`replay_one_input`], so one that aborts the process is reported like any other.
#[test]
fn saved_crash_inputs_replay() {
    let inputs = saved_inputs();
    let exe = std::env::current_exe().expect("the test binary");
    let mut failures = Vec::new();
    for (target, path) in &inputs {
        let output = Command::new(&exe)
            .args([
                "--exact",
                "fuzz_targets::replay_one_input",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(REPLAY, format!("{target}:{}", path.display()))
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("the test binary runs");
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
            failures.push(format!(
                "{target} {} ({}): {}",
                path.display(),
                output.status,
                tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} saved inputs fail:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

/// Runs one saved input when [`saved_crash_inputs_replay`] asks; otherwise nothing.
#[test]
fn replay_one_input() {
    let Ok(spec) = std::env::var(REPLAY) else {
        return;
    };
    let (name, path) = spec.split_once(':').expect("target:path");
    let (_, target) = targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a known target");
    let bytes = std::fs::read(path).expect("the saved input");
    target(&bytes);
}
