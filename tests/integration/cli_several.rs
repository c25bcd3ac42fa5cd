//! Many inputs in one command: `saq validate` on many files and dossiers (checked in
//! parallel, reported as if one after the other).

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{fixture, json, path, root, run};

fn arcadia() -> PathBuf {
    root().join("examples/arcadia")
}

fn dossier(name: &str) -> PathBuf {
    fixture("dossiers").join(name)
}

/// Every fixture dossier, then bad and good single files: inputs with and without
/// problems, of every kind, in an order that is not sorted.
fn many_inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = fs::read_dir(fixture("dossiers"))
        .expect("the fixture dossiers")
        .map(|e| e.expect("an entry").path())
        .collect();
    inputs.sort();
    inputs.reverse();
    for name in [
        "bad/response_tab.yaml",
        "good/submission_trafficking.yaml",
        "bad/response_not_utf8.yaml",
        "bad/submission_unknown_target.yaml",
        "good/response_bom.yaml",
    ] {
        inputs.push(fixture(name));
    }
    inputs.push(arcadia());
    inputs
}

fn with_jobs<'a>(command: &'a str, jobs: &'a str, inputs: &'a [PathBuf]) -> Vec<&'a str> {
    let mut args = vec![command, "--jobs", jobs];
    args.extend(inputs.iter().map(|p| path(p)));
    args
}

// --- validate -------------------------------------------------------------------

#[test]
fn validate_reports_the_same_bytes_on_one_thread_and_on_many() {
    let inputs = many_inputs();
    for format in ["human", "json"] {
        let mut one = with_jobs("validate", "1", &inputs);
        let mut many = with_jobs("validate", "8", &inputs);
        one.extend(["--format", format]);
        many.extend(["--format", format]);
        let sequential = run(&one, None);
        assert_eq!(sequential.0, 1, "{format}: {}", sequential.2);
        for _ in 0..3 {
            assert_eq!(run(&many, None), sequential, "{format}");
        }
    }
}

#[test]
fn validate_lists_files_in_the_order_of_the_inputs() {
    let inputs = many_inputs();
    let mut args = with_jobs("validate", "8", &inputs);
    args.extend(["--format", "json"]);
    let (_, stdout, _) = run(&args, None);
    let report = json(&stdout);
    let files: Vec<&str> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    // Each input's files come together, inputs in the order given.
    let mut position = 0;
    for input in &inputs {
        let start = files[position..]
            .iter()
            .position(|f| Path::new(f).starts_with(input))
            .unwrap_or_else(|| panic!("{} not at or after {position}: {files:?}", input.display()));
        assert_eq!(start, 0, "{} out of order: {files:?}", input.display());
        while files
            .get(position)
            .is_some_and(|f| Path::new(f).starts_with(input))
        {
            position += 1;
        }
    }
    assert_eq!(position, files.len());
}

#[test]
fn validate_quotes_the_lines_of_files_with_problems_among_many_clean_ones() {
    // The text of clean files is dropped as soon as they are checked; the files
    // that have diagnostics must still be quoted, in both formats.
    let broken = dossier("quote_not_in_answer");
    let clean = [
        arcadia(),
        dossier("clean"),
        fixture("good/response_bom.yaml"),
    ];
    let mut inputs: Vec<PathBuf> = clean.to_vec();
    inputs.insert(1, broken.clone());
    let mut args = with_jobs("validate", "3", &inputs);
    args.extend(["--format", "json"]);
    let (status, stdout, _) = run(&args, None);
    assert_eq!(status, 1);
    let report = json(&stdout);
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "C001");
    assert_eq!(
        diagnostics[0]["snippet"].as_str().map(str::trim),
        Some("quote: \"Trafficking in children is covered in every case\"")
    );
    let (status, _, stderr) = run(&with_jobs("validate", "3", &inputs), None);
    assert_eq!(status, 1);
    assert!(
        stderr.contains("quote: \"Trafficking in children is covered in every case\""),
        "{stderr}"
    );
    assert!(stderr.contains("help: the answer begins"), "{stderr}");
}

#[test]
fn validate_jobs_must_be_a_positive_number() {
    for jobs in ["0", "-1", "many"] {
        let (status, _, stderr) = run(&["validate", "--jobs", jobs, path(&arcadia())], None);
        assert_eq!(status, 2, "--jobs {jobs}: {stderr}");
    }
}
