//! Many inputs in one command: `saq validate` on many files and dossiers (checked in
//! parallel, reported as if one after the other) and `saq pack` on several dossiers
//! (one file each in the `-o` folder; see `saq pack --help`, "Several dossiers").

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{files_in, fixture, json, path, root, run};

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

// --- pack -----------------------------------------------------------------------

/// `saq pack DOSSIERS... --audience reviewers [extra...]` in `cwd`.
fn pack_several(dossiers: &[&Path], extra: &[&str], cwd: &Path) -> (i32, String, String) {
    let mut args = vec!["pack"];
    args.extend(dossiers.iter().map(|d| path(d)));
    args.extend(["--audience", "reviewers"]);
    args.extend(extra);
    run(&args, Some(cwd))
}

#[test]
fn pack_several_writes_one_file_per_dossier_identical_to_packing_each_alone() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let packs = dir.path().join("packs");
    for (format, extension) in [("html", "html"), ("md", "md"), ("json", "json")] {
        let out = packs.join(format);
        let (status, stdout, stderr) = pack_several(
            &[&arcadia(), &dossier("clean")],
            &["--format", format, "-o", path(&out)],
            dir.path(),
        );
        assert_eq!(status, 0, "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert_eq!(
            files_in(&out),
            [format!("arcadia.{extension}"), format!("clean.{extension}")]
        );
        assert!(stderr.contains("2 of 2 pack(s) written to"), "{stderr}");
        for name in ["arcadia", "clean"] {
            let alone = dir.path().join(format!("alone.{extension}"));
            let source = if name == "arcadia" {
                arcadia()
            } else {
                dossier(name)
            };
            let (status, _, stderr) = pack_several(
                &[&source],
                &["--format", format, "-o", path(&alone)],
                dir.path(),
            );
            assert_eq!(status, 0, "{stderr}");
            let together = out.join(format!("{name}.{extension}"));
            assert_eq!(
                fs::read(&together).expect("written"),
                fs::read(&alone).expect("written"),
                "{}",
                together.display()
            );
        }
    }
}

#[test]
fn pack_several_writes_the_clean_dossiers_reports_the_broken_one_and_exits_1() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("packs");
    let broken = dossier("quote_not_in_answer");
    let (status, stdout, stderr) = pack_several(
        &[&arcadia(), &broken, &dossier("clean")],
        &["-o", path(&out), "--jobs", "3"],
        dir.path(),
    );
    assert_eq!(status, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(files_in(&out), ["arcadia.html", "clean.html"]);
    // Reported with its files, in the order the dossiers were given.
    let wrote_arcadia = stderr.find("arcadia.html (reviewers pack of XAR");
    let problem = stderr.find(&format!(
        "{}:11:12",
        broken.join("submissions/casa-lumen.yaml").display()
    ));
    let refused = stderr.find(&format!(
        "no pack written for {}: fix the errors above first (`saq validate {}`)",
        broken.display(),
        broken.display()
    ));
    let wrote_clean = stderr.find("clean.html (reviewers pack of XAR");
    let summary = stderr.find("2 of 3 pack(s) written to");
    let order = [wrote_arcadia, problem, refused, wrote_clean, summary];
    assert!(order.iter().all(Option::is_some), "{order:?}\n{stderr}");
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{stderr}");
    assert!(stderr.contains("error[C001]"), "{stderr}");
    assert!(stderr.contains("1 dossier(s) with errors"), "{stderr}");
    // The same report on one thread.
    let sequential = pack_several(
        &[&arcadia(), &broken, &dossier("clean")],
        &["-o", path(&out), "--jobs", "1"],
        dir.path(),
    );
    assert_eq!(sequential, (status, stdout, stderr));
}

#[test]
fn pack_several_with_one_that_is_not_a_dossier_writes_the_others_and_exits_2() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("packs");
    let not_a_dossier = fixture("good");
    let (status, _, stderr) = pack_several(
        &[&not_a_dossier, &arcadia()],
        &["-o", path(&out)],
        dir.path(),
    );
    assert_eq!(status, 2, "{stderr}");
    assert_eq!(files_in(&out), ["arcadia.html"]);
    assert!(stderr.contains("is not a dossier"), "{stderr}");
    assert!(
        stderr.contains(&format!("no pack written for {}", not_a_dossier.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 2 pack(s) written to")
            && stderr.contains("1 dossier(s) could not be packed"),
        "{stderr}"
    );
}

#[test]
fn pack_several_without_a_folder_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (status, _, stderr) = pack_several(&[&arcadia(), &dossier("clean")], &[], dir.path());
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("several dossiers need -o DIR"), "{stderr}");
    assert!(files_in(dir.path()).is_empty());
    // -o naming an existing file is not a folder: it is left alone.
    let file = dir.path().join("packs");
    fs::write(&file, "keep me").expect("a file");
    let (status, _, stderr) = pack_several(
        &[&arcadia(), &dossier("clean")],
        &["-o", path(&file)],
        dir.path(),
    );
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("this is a file"), "{stderr}");
    assert_eq!(fs::read_to_string(&file).expect("kept"), "keep me");
    assert_eq!(files_in(dir.path()), ["packs"]);
}

#[test]
fn pack_several_refuses_two_dossiers_that_would_write_the_same_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("packs");
    // The same folder twice, and two folders named alike in different letter case.
    let upper = dir.path().join("a/Clean");
    let lower = dir.path().join("b/clean");
    for copy in [&upper, &lower] {
        copy_dossier(&dossier("clean"), copy);
    }
    for pair in [[arcadia(), arcadia()], [upper.clone(), lower.clone()]] {
        let (status, _, stderr) =
            pack_several(&[&pair[0], &pair[1]], &["-o", path(&out)], dir.path());
        assert_eq!(status, 2, "{stderr}");
        assert!(stderr.contains("would both be written to"), "{stderr}");
        assert!(!out.exists(), "nothing is written, not even the folder");
    }
}

#[test]
fn pack_one_dossier_into_a_folder_needs_a_trailing_slash() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // A new folder given with a trailing slash is created (nested) and written into.
    let fresh = format!("{}/new/packs/", dir.path().display());
    let (status, _, stderr) = pack_several(&[&arcadia()], &["-o", &fresh], dir.path());
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(files_in(Path::new(&fresh)), ["arcadia.html"]);
    // Without the slash, one dossier's -o is the file to write, as it always was:
    // an existing folder there is an error, and nothing is written into it.
    let existing = dir.path().join("existing");
    fs::create_dir(&existing).expect("a folder");
    let (status, _, stderr) = pack_several(&[&arcadia()], &["-o", path(&existing)], dir.path());
    assert_eq!(status, 2, "{stderr}");
    assert!(files_in(&existing).is_empty());
    // `.` is named after the folder it stands for.
    let dot = format!("{}/dot/", dir.path().display());
    let (status, _, stderr) = run(
        &["pack", ".", "--audience", "reviewers", "-o", &dot],
        Some(&arcadia()),
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(files_in(Path::new(&dot)), ["arcadia.html"]);
}

#[test]
fn pack_several_with_broken_templates_fails_once_before_writing_anything() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).expect("a folder");
    fs::write(templates.join("pack.html"), "{% if %}").expect("a template");
    let out = dir.path().join("packs");
    let mut args = vec!["--templates", path(&templates), "pack"];
    let (arcadia, clean) = (arcadia(), dossier("clean"));
    args.extend([path(&arcadia), path(&clean)]);
    args.extend(["--audience", "reviewers", "-o", path(&out)]);
    let (status, _, stderr) = run(&args, Some(dir.path()));
    assert_eq!(status, 2, "{stderr}");
    assert_eq!(stderr.matches("error: template").count(), 1, "{stderr}");
    assert!(!out.exists());
}

fn copy_dossier(from: &Path, to: &Path) {
    for entry in walk(from) {
        let target = to.join(entry.strip_prefix(from).expect("inside"));
        fs::create_dir_all(target.parent().expect("a parent")).expect("a folder");
        fs::copy(&entry, &target).expect("copied");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("readable") {
        let p = entry.expect("an entry").path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}
