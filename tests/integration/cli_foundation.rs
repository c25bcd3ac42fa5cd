//! The foundation commands end to end: `list`, `show`, `validate`, `schema`,
//! `explain` and `--help`, with their outputs and exit codes (0 clean, 1 problems in
//! the input, 2 the command could not run).

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{fixture, root, saq};

fn stdout_json(args: &[&str]) -> Value {
    let output = saq().args(args).output().expect("saq runs");
    assert!(
        output.status.success(),
        "saq {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("saq {args:?} prints JSON: {e}"))
}

const VERSIONS: [&str; 5] = [
    "firearms@1.0",
    "smuggling@1.0",
    "trafficking@1.0",
    "untoc@1.0",
    "untoc@1.1",
];

#[test]
fn list_shows_every_shipped_version() {
    let output = saq()
        .arg("list")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).expect("UTF-8");
    let rows: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 5, "{text}");
    for (row, reference) in rows.iter().zip(VERSIONS) {
        assert!(row.starts_with(reference), "{row} should be {reference}");
    }
}

#[test]
fn list_json_has_question_counts() {
    let json = stdout_json(&["list", "--format", "json"]);
    let rows = json.as_array().expect("a JSON array");
    assert_eq!(rows.len(), 5);
    let references: Vec<&str> = rows
        .iter()
        .map(|r| r["reference"].as_str().expect("reference"))
        .collect();
    assert_eq!(references, VERSIONS);
    for row in rows {
        assert!(row["questions"].as_u64().expect("questions") > 0, "{row}");
        assert!(row["articles"].as_u64().expect("articles") > 0, "{row}");
        assert_eq!(
            format!(
                "{}@{}",
                row["id"].as_str().unwrap_or_default(),
                row["version"].as_str().unwrap_or_default()
            ),
            row["reference"].as_str().unwrap_or_default()
        );
    }
}

#[test]
fn show_text_is_a_tree() {
    saq()
        .args(["show", "untoc@1.0"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("untoc@1.0  "))
        .stdout(predicate::str::contains(
            "\nCluster 1  Criminalization and jurisdiction\n",
        ))
        .stdout(predicate::str::contains("\n  Article 5  "))
        .stdout(predicate::str::contains("\n    art5.offence  (compliance"));
}

#[test]
fn show_markdown_has_headings() {
    saq()
        .args(["show", "trafficking", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# "))
        .stdout(predicate::str::contains("(trafficking@1.0)"))
        .stdout(predicate::str::contains("\n## Cluster 1: "))
        .stdout(predicate::str::contains("\n### Article 3: "));
}

#[test]
fn show_json_is_the_questionnaire() {
    let json = stdout_json(&["show", "smuggling", "--format", "json"]);
    assert_eq!(json["id"], "smuggling");
    assert_eq!(json["version"], "1.0");
    assert!(!json["clusters"].as_array().expect("clusters").is_empty());
    let filtered = stdout_json(&["show", "smuggling", "--cluster", "2", "--format", "json"]);
    let numbers: Vec<u64> = filtered["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .filter_map(|c| c["number"].as_u64())
        .collect();
    assert_eq!(numbers, [2]);
}

#[test]
fn show_in_french_uses_french_cluster_titles() {
    saq()
        .args(["show", "untoc", "--lang", "fr"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Cluster 1  Incrimination et compétence",
        ))
        .stdout(predicate::str::contains("Criminalization and jurisdiction").not());
    saq()
        .args(["show", "untoc", "--lang", "fr", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "## Cluster 1: Incrimination et compétence",
        ));
}

#[test]
fn show_unknown_questionnaire_names_the_known_ones() {
    saq()
        .args(["show", "nonexistent"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("nonexistent"))
        .stderr(predicate::str::contains(
            "firearms, smuggling, trafficking, untoc",
        ));
    saq()
        .args(["show", "untoc@9.9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1.0, 1.1"));
}

#[test]
fn show_unknown_cluster_is_a_usage_error() {
    // The Trafficking in Persons Protocol has nothing in cluster 4.
    saq()
        .args(["show", "trafficking", "--cluster", "4"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no cluster 4"));
    // Outside 1-4 clap refuses it.
    saq()
        .args(["show", "untoc", "--cluster", "5"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn validate_a_clean_file_exits_0() {
    saq()
        .arg("validate")
        .arg(root().join("questionnaires/untoc/1.0.yaml"))
        .assert()
        .success()
        .stderr(predicate::str::contains("1 file: 0 errors, 0 warnings"));
}

#[test]
fn validate_a_bad_file_exits_1() {
    saq()
        .arg("validate")
        .arg(fixture("questionnaire/duplicate_question_id.yaml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[Q001]"))
        .stderr(predicate::str::contains("duplicate_question_id.yaml:15:17"))
        .stderr(predicate::str::contains("1 file: 1 error, 0 warnings"));
}

#[test]
fn validate_warnings_only_exits_0_unless_denied() {
    let path = fixture("questionnaire/empty_cluster.yaml");
    saq()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[Q021]"));
    saq()
        .arg("validate")
        .arg(&path)
        .arg("--deny-warnings")
        .assert()
        .code(1);
}

#[test]
fn validate_a_missing_file_exits_2() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("missing.yaml");
    saq()
        .arg("validate")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.yaml"));
}

#[test]
fn validate_json_has_files_diagnostics_and_counts() {
    let output = saq()
        .arg("validate")
        .arg(fixture("questionnaire/three_problems.yaml"))
        .arg(root().join("questionnaires/firearms/1.0.yaml"))
        .args(["--format", "json"])
        .output()
        .expect("saq runs");
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let object = json.as_object().expect("an object");
    // The JSON shape is a contract for tools: fields may be added, never removed.
    for key in ["files", "diagnostics", "errors", "warnings"] {
        assert!(object.contains_key(key), "{key} missing in {json}");
    }
    assert_eq!(json["errors"], 3);
    assert_eq!(json["warnings"], 0);
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert!(files[0]["path"]
        .as_str()
        .expect("path")
        .ends_with("three_problems.yaml"));
    assert_eq!(files[0]["kind"], "questionnaire");
    assert_eq!(files[0]["errors"], 3);
    assert_eq!(files[1]["errors"], 0);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 3);
    for d in diagnostics {
        for key in [
            "severity",
            "code",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "hints",
            "snippet",
        ] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
        assert_eq!(d["severity"], "error");
        assert!(d["hints"].is_array());
    }
    assert_eq!(diagnostics[1]["code"], "T001");
    assert_eq!(
        diagnostics[1]["snippet"],
        "            guidnce: Paragraph 1 (a) of article 5 requires ..."
    );
}

/// A fixed-seed xorshift64 stream, so the "random" file is the same on every run.
fn xorshift_bytes(len: usize, mut state: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

#[test]
fn validate_random_bytes_is_a_diagnostic_not_a_panic() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("random.yaml");
    std::fs::write(&path, xorshift_bytes(1024 * 1024, 0x9E37_79B9_7F4A_7C15)).expect("written");
    let output = saq()
        .arg("validate")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("saq runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["S007"]);
    // The human format must not panic on it either.
    let output = saq().arg("validate").arg(&path).output().expect("saq runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("error[S007]"), "{stderr}");
}

/// S004 needs a file over 16 MiB, too big to keep as a fixture, so it is made here.
#[test]
fn validate_a_file_over_16_mib_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("huge.yaml");
    let mut text = String::from("# padding\n");
    text.push_str(&"#".repeat(16 * 1024 * 1024));
    std::fs::write(&path, text).expect("written");
    let output = saq()
        .arg("validate")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("saq runs");
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["S004"]);
}

#[test]
fn schema_questionnaire_is_draft_2020_12() {
    let json = stdout_json(&["schema", "questionnaire"]);
    assert!(
        json["$schema"]
            .as_str()
            .expect("$schema")
            .contains("2020-12"),
        "{}",
        json["$schema"]
    );
    assert_eq!(json["type"], "object");
    assert!(json["properties"]["clusters"].is_object());
}

#[test]
fn explain_known_and_unknown_codes() {
    saq()
        .args(["explain", "Q004"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Q004: "))
        .stdout(predicate::str::contains("show_if"));
    saq().args(["explain", "q004"]).assert().success();
    saq()
        .args(["explain", "Z999"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("Z999"));
}

#[test]
fn help_has_examples() {
    saq()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
}
