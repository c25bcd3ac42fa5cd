//! The input limits of docs/limits.md, each exceeded on purpose: every one must end
//! in a located diagnostic and exit 1, promptly, without a panic, an abort or
//! running out of memory. Inputs are generated into temporary folders (the largest
//! is 17 MiB). Every run has a watchdog: an input that makes saq hang fails its test
//! instead of hanging CI.

use std::path::Path;
use std::time::Duration;

use crate::util::saq;

/// Generous for a debug build on a busy machine; every input here takes well under
/// a second when handled as documented.
const WATCHDOG: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Found {
    code: String,
    line: usize,
    column: usize,
    message: String,
}

/// Runs `saq validate --format json` on `path`; returns the exit code and diagnostics.
fn validate(path: &Path) -> (i32, Vec<Found>) {
    let output = saq()
        .arg("validate")
        .arg(path)
        .args(["--format", "json"])
        .timeout(WATCHDOG)
        .output()
        .expect("saq runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code().unwrap_or_else(|| {
        panic!(
            "saq validate {} was killed ({}): {stderr}",
            path.display(),
            output.status
        )
    });
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); exit {code}; stderr: {stderr}"));
    let found = json["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| Found {
            code: d["code"].as_str().unwrap_or_default().to_string(),
            line: d["line"].as_u64().unwrap_or(0) as usize,
            column: d["column"].as_u64().unwrap_or(0) as usize,
            message: d["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    (code, found)
}

/// Asserts that validating `text` exits 1 with exactly one diagnostic, `code` at
/// `line`:`column`.
fn assert_one(text: &str, code: &str, line: usize, column: usize) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("input.yaml");
    std::fs::write(&path, text).expect("write");
    let (exit, found) = validate(&path);
    let summary: Vec<String> = found
        .iter()
        .map(|f| format!("{} {}:{} {}", f.code, f.line, f.column, f.message))
        .collect();
    assert_eq!(exit, 1, "{summary:?}");
    assert_eq!(found.len(), 1, "{summary:?}");
    assert_eq!(
        (found[0].code.as_str(), found[0].line, found[0].column),
        (code, line, column),
        "{summary:?}"
    );
}

// ---------------------------------------------------------------------------------
// File size: 16 MiB (S004)

#[test]
fn a_file_over_16_mib_is_s004() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("big.yaml");
    // 17 MiB of valid YAML: a size problem, not a syntax problem.
    let mut text = String::from("answers:\n");
    let line = format!("  # {}\n", "x".repeat(1020));
    while text.len() < 17 * 1024 * 1024 {
        text.push_str(&line);
    }
    std::fs::write(&path, &text).expect("write");
    let (exit, found) = validate(&path);
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "S004");
    assert!(found[0].message.contains("16777216"), "{found:?}");
    // About the file as a whole: no line (JSON `line: null`).
    assert_eq!((found[0].line, found[0].column), (0, 0));
}

/// Runs `saq validate <path>` with its address space capped at 1 GiB, so that a
/// reader that does not stop at the size limit fails fast instead of filling memory.
fn validate_capped(path: &Path) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("saq");
    std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" validate \"$1\" --format json")
        .arg(&bin)
        .arg(path)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

/// Regression: the size cap used to apply after `fs::read` had read the whole file,
/// so a huge file took as much memory and an endless one (`/dev/zero`) never ended.
#[test]
fn a_huge_or_endless_file_is_s004_without_reading_it_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    // A sparse 4 GiB file costs no disk.
    let sparse = dir.path().join("huge.yaml");
    std::fs::File::create(&sparse)
        .and_then(|f| f.set_len(4 << 30))
        .expect("a sparse file");
    let mut inputs = vec![sparse];
    if Path::new("/dev/zero").exists() {
        inputs.push("/dev/zero".into());
    }
    for path in inputs {
        let output = validate_capped(&path);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {} {stderr}",
            path.display(),
            output.status
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(
            json["diagnostics"][0]["code"],
            "S004",
            "{}: {json}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------
// Nesting depth: 64 (S005)

#[test]
fn nesting_64_deep_is_read_and_65_is_s005() {
    // The root and 64 collections below it are fine: the file is read (and then
    // found to be no known kind of file).
    let ok = format!("{}{}", "[".repeat(65), "]".repeat(65));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("ok.yaml");
    std::fs::write(&path, ok).expect("write");
    let (_, found) = validate(&path);
    assert!(found.iter().all(|f| f.code != "S005"), "{found:?}");
    // One more is not; the diagnostic points at the collection that is too deep.
    assert_one(
        &format!("{}{}", "[".repeat(66), "]".repeat(66)),
        "S005",
        1,
        66,
    );
    assert_one(
        &format!("{}x{}", "[".repeat(65), "]".repeat(65)),
        "S005",
        1,
        66,
    );
    assert_one(&format!("{}x\n", "- ".repeat(66)), "S005", 1, 131);
    let mut mapping: String = (0..66).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
    mapping.push_str(&format!("{}x\n", " ".repeat(66)));
    assert_one(&mapping, "S005", 66, 66);
}

#[test]
fn nesting_200_deep_is_s005() {
    assert_one(
        &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        "S005",
        1,
        66,
    );
    assert_one(
        &format!("{}x{}", "{a: ".repeat(200), "}".repeat(200)),
        "S005",
        1,
        261,
    );
}

/// saphyr's scanner reads up to 255 nested flow collections before the first event,
/// so saq cannot count levels first: past 255 the S005 points at the 256th opening
/// bracket. (Regression: this used to be an S001 "recursion limit exceeded".)
#[test]
fn flow_nesting_past_255_levels_is_s005_at_the_256th() {
    assert_one(
        &format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)),
        "S005",
        1,
        256,
    );
    assert_one(
        &format!("{}x{}", "{a: ".repeat(300), "}".repeat(300)),
        "S005",
        1,
        1021,
    );
}

/// Regression: saphyr's loader recurses once per level, so deep block nesting used to
/// overflow the stack (an abort, from about 5,000 levels in a debug build) before
/// saq's own depth check ran.
#[test]
fn block_nesting_of_any_depth_is_s005_not_a_stack_overflow() {
    // 100,000 block sequences on one line: 200 KB.
    assert_one(&format!("{}x\n", "- ".repeat(100_000)), "S005", 1, 131);
    // 4,000 block mappings by indentation: 8 MB, under the size limit.
    let mut mapping = String::with_capacity(9 << 20);
    for i in 0..4_000 {
        mapping.push_str(&" ".repeat(i));
        mapping.push_str("a:\n");
    }
    mapping.push_str(&" ".repeat(4_000));
    mapping.push_str("x\n");
    assert_one(&mapping, "S005", 66, 66);
    // A tab error before deep nesting: the check of whether the tab caused the error
    // re-parses the file without it, and must be as bounded as the first parse.
    assert_one(
        &format!("x:\n  \ta: 1\n  b: 1\nc:\n{}x\n", "- ".repeat(100_000)),
        "S002",
        2,
        3,
    );
}

// ---------------------------------------------------------------------------------
// Alias expansion: saphyr's budget of 100,000 nodes (S006)

#[test]
fn a_billion_laughs_is_s006_at_the_alias_that_crosses_the_budget() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9u8 {
        let (prev, next) = ((b'a' + i) as char, (b'a' + i + 1) as char);
        let refs = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    // e: expands to 10^5 nodes; the last alias on its line crosses the budget.
    assert_one(&bomb, "S006", 5, 36);
}

#[test]
fn many_small_aliases_share_one_budget() {
    // No nesting at all: 120,000 aliases of a scalar add up past 100,000 nodes.
    let mut text = String::from("a: &a x\nb: [");
    text.push_str(&vec!["*a"; 120_000].join(", "));
    text.push_str("]\n");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("wide.yaml");
    std::fs::write(&path, text).expect("write");
    let (exit, found) = validate(&path);
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].code.as_str(), found[0].line), ("S006", 2));
    assert!(found[0].column > 1, "{found:?}");
}

// ---------------------------------------------------------------------------------
// Files per dossier: 10,000

#[test]
fn a_dossier_of_more_than_10000_files_is_refused_before_reading_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let submissions = dir.path().join("submissions");
    std::fs::create_dir_all(&submissions).expect("mkdir");
    // Empty files: were they read, each would be an S008 of its own.
    for i in 0..10_001 {
        std::fs::File::create(submissions.join(format!("s{i:05}.yaml"))).expect("create");
    }
    let (exit, found) = validate(dir.path());
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{:?}", found.first());
    assert_eq!(found[0].code, "S004");
    assert!(found[0].message.contains("10001 files"), "{found:?}");
    // `saq pack` refuses it too, and writes nothing.
    let out = dir.path().join("out.html");
    let output = saq()
        .arg("pack")
        .arg(dir.path())
        .args(["--audience", "public", "-o"])
        .arg(&out)
        .timeout(WATCHDOG)
        .output()
        .expect("saq runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------------
// Condition nesting: 100 (Q003)

#[test]
fn show_if_nested_past_100_levels_is_q003_at_the_101st() {
    let cases = [
        format!("{}art5.a answered{}", "(".repeat(5_000), ")".repeat(5_000)),
        format!("{}art5.a answered", "not ".repeat(5_000)),
        vec!["art5.a answered"; 5_000].join(" and "),
    ];
    for condition in &cases {
        // Where the parser gives up: a byte offset into the condition (all ASCII).
        let error = saq_core::condition::parse(condition).expect_err("too deep");
        let offset = error.offset;
        assert!(offset < condition.len(), "{error:?}");
        let questionnaire = format!(
            r#"id: deep
version: "1.0"
instrument: {{ en: Deep }}
title: {{ en: Deep }}
clusters:
  - number: 1
    title: {{ en: One }}
    articles:
      - article: "5"
        title: {{ en: Five }}
        questions:
          - id: art5.a
            type: yes_no
            prompt: {{ en: A? }}
          - id: art5.b
            type: yes_no
            show_if: {condition}
            prompt: {{ en: B? }}
"#
        );
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("deep.yaml");
        std::fs::write(&path, &questionnaire).expect("write");
        let (exit, found) = validate(&path);
        assert_eq!(exit, 1, "{found:?}");
        let q003: Vec<&Found> = found.iter().filter(|f| f.code == "Q003").collect();
        assert_eq!(q003.len(), 1, "{found:?}");
        assert!(q003[0].message.contains("nested too deeply"), "{found:?}");
        // `show_if: ` starts the value at column 22 of line 17.
        assert_eq!(
            (q003[0].line, q003[0].column),
            (17, 22 + offset),
            "{found:?}"
        );
    }
}

// ---------------------------------------------------------------------------------
// Markdown nesting: 8 levels

/// A dossier whose one comment body is `body`.
fn prose_dossier(dir: &Path, body: &str) {
    std::fs::create_dir_all(dir.join("responses")).expect("mkdir");
    std::fs::create_dir_all(dir.join("submissions")).expect("mkdir");
    std::fs::write(
        dir.join("responses/trafficking.yaml"),
        "questionnaire: trafficking@1.0\nstate: XAR\nstatus: draft\nanswers:\n  art5.offence:\n    value: partially\n",
    )
    .expect("write");
    let body = serde_json::to_string(body).expect("a string");
    std::fs::write(
        dir.join("submissions/s.yaml"),
        format!("questionnaire: trafficking@1.0\nstate: XAR\ncontributor: {{ name: X, kind: ngo }}\nvisibility: public\nattribution: named\nlanguage: en\nsubmitted_on: 2026-04-01\ncomments:\n  - target: art5.offence\n    stance: contests\n    body: {body}\n"),
    )
    .expect("write");
}

/// Regression: every level of a block quote repeats its `>` on each line of the
/// Markdown pack, so the pack used to grow with the square of the depth (6 KB of
/// `> ` made a 13 MB Markdown pack; a 40 KB body took 11 minutes and 2.4 GB), and
/// the HTML sanitizer's time too. Prose nesting is now capped
/// (`saq_render::markdown::MAX_NESTING`).
#[test]
fn deeply_nested_markdown_renders_in_proportion_to_its_size() {
    for (marker, format) in [("> ", "md"), ("- ", "md"), ("1. ", "md")] {
        let dir = tempfile::tempdir().expect("tmp");
        let body = format!("{}x", marker.repeat(3_000));
        prose_dossier(dir.path(), &body);
        let out = dir.path().join("pack.out");
        let output = saq()
            .arg("pack")
            .arg(dir.path())
            .args(["--audience", "public", "--format", format, "-o"])
            .arg(&out)
            .timeout(WATCHDOG)
            .output()
            .expect("saq runs");
        assert!(output.status.success(), "{marker:?} {format}: {output:?}");
        let size = std::fs::metadata(&out).expect("a pack").len();
        assert!(
            size < 1 << 20,
            "{marker:?} x 3,000 ({} bytes) made a {size}-byte {format} pack",
            body.len()
        );
    }
}
