//! `saq validate` on dossiers, `saq progress`, `saq migrate` and `saq pack` end to end:
//! every format and exit code (0 all good, 1 the input has problems, 2 the command could
//! not run), and no output file when a command fails.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{files_in, fixture, json, path, root, run};

fn arcadia() -> PathBuf {
    root().join("examples/arcadia")
}

fn dossier(name: &str) -> PathBuf {
    fixture("dossiers").join(name)
}

// --- validate -------------------------------------------------------------------

#[test]
fn validate_dossier_human_output_points_at_file_line_column_and_ends_with_a_summary() {
    let d = dossier("quote_not_in_answer");
    let (status, stdout, stderr) = run(&["validate", path(&d)], None);
    assert_eq!(status, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let location = format!("{}:11:12", d.join("submissions/casa-lumen.yaml").display());
    assert!(stderr.contains("error[C001]"), "{stderr}");
    assert!(stderr.contains(&location), "no {location} in {stderr}");
    // The snippet shows the offending line, and the hints follow.
    assert!(
        stderr.contains("quote: \"Trafficking in children is covered in every case\""),
        "{stderr}"
    );
    assert!(stderr.contains("help: the answer begins"), "{stderr}");
    assert_eq!(
        stderr.trim_end().lines().last(),
        Some("2 files: 1 error, 0 warnings"),
        "{stderr}"
    );
}

#[test]
fn validate_the_demo_dossier_is_clean() {
    let (status, _, stderr) = run(&["validate", path(&arcadia())], None);
    assert_eq!(status, 0, "{stderr}");
    let summary = stderr.trim();
    assert!(
        summary.ends_with(" files: 0 errors, 0 warnings") && !summary.contains('\n'),
        "{summary}"
    );
}

#[test]
fn validate_dossier_json_has_files_diagnostics_and_counts() {
    let d = dossier("quote_without_response");
    let (status, stdout, stderr) = run(&["validate", path(&d), "--format", "json"], None);
    assert_eq!(status, 0, "a warning only: {stderr}");
    let out = json(&stdout);
    let keys: Vec<&str> = out
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["files", "diagnostics", "errors", "warnings"]);
    let files = out["files"].as_array().expect("files");
    let kinds: Vec<(String, &str, u64, u64)> = files
        .iter()
        .map(|f| {
            let p = f["path"].as_str().expect("a path");
            let name = Path::new(p)
                .strip_prefix(&d)
                .expect("under the dossier")
                .to_string_lossy()
                .replace('\\', "/");
            (
                name,
                f["kind"].as_str().expect("a kind"),
                f["errors"].as_u64().expect("errors"),
                f["warnings"].as_u64().expect("warnings"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("responses/trafficking.yaml".to_string(), "response", 0, 0),
            (
                "submissions/casa-lumen.yaml".to_string(),
                "submission",
                0,
                1
            ),
        ]
    );
    let diagnostics = out["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1);
    let d0 = &diagnostics[0];
    let fields: Vec<&str> = d0
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "severity",
            "code",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "hints",
            "snippet"
        ]
    );
    assert_eq!(d0["severity"], "warning");
    assert_eq!(d0["code"], "C002");
    assert_eq!(
        (d0["line"].as_u64(), d0["column"].as_u64()),
        (Some(11), Some(12))
    );
    assert_eq!(
        d0["snippet"],
        "    quote: \"migrants are informed of their rights\""
    );
    assert!(d0["end_column"].as_u64() > d0["column"].as_u64());
    assert!(d0["hints"].is_array());
    assert_eq!(
        (out["errors"].as_u64(), out["warnings"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn deny_warnings_turns_a_warning_only_dossier_into_a_failure() {
    for case in ["quote_without_response", "no_responses", "removed_target"] {
        let d = dossier(case);
        let (status, _, stderr) = run(&["validate", path(&d)], None);
        assert_eq!(status, 0, "{case}: warnings only: {stderr}");
        assert!(stderr.contains("0 errors, 1 warning"), "{case}: {stderr}");
        let (status, _, stderr) = run(&["validate", path(&d), "--deny-warnings"], None);
        assert_eq!(status, 1, "{case} with --deny-warnings: {stderr}");
        let (status, stdout, _) = run(
            &["validate", path(&d), "--deny-warnings", "--format", "json"],
            None,
        );
        assert_eq!(status, 1, "{case}");
        let out = json(&stdout);
        assert_eq!(out["errors"], 1, "{case}: {out:#}");
    }
    // A clean dossier stays clean.
    let (status, _, _) = run(&["validate", path(&arcadia()), "--deny-warnings"], None);
    assert_eq!(status, 0);
}

#[test]
fn validate_several_paths_at_once_reports_all_of_them() {
    let bad = fixture("bad/response_invalid_compliance.yaml");
    let good = fixture("good/submission_trafficking.yaml");
    let d = dossier("state_mismatch");
    let (status, stdout, _) = run(
        &[
            "validate",
            path(&bad),
            path(&good),
            path(&d),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(status, 1);
    let out = json(&stdout);
    let codes: Vec<&str> = out["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(
        codes.contains(&"T004") && codes.contains(&"D001"),
        "{codes:?}"
    );
    assert_eq!(out["files"].as_array().map(Vec::len), Some(4));
}

#[test]
fn validate_a_folder_that_is_not_a_dossier_cannot_run() {
    let (status, _, stderr) = run(&["validate", path(&fixture("good"))], None);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("is not a dossier"), "{stderr}");
}

// --- progress -------------------------------------------------------------------

fn count(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("no {key} in {v}"))
}

#[test]
fn progress_json_numbers_are_consistent_for_the_demo_dossier() {
    let (status, stdout, stderr) = run(&["progress", path(&arcadia()), "--format", "json"], None);
    assert_eq!(status, 0, "{stderr}");
    let out = json(&stdout);
    assert_eq!(out["state"], "XAR");
    assert_eq!(out["errors"], 0);
    let instruments = out["instruments"].as_array().expect("instruments");
    let mut seen: Vec<(&str, &str)> = instruments
        .iter()
        .map(|i| {
            (
                i["instrument"].as_str().expect("an instrument"),
                i["status"].as_str().expect("a status"),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("firearms", "draft"),
            ("smuggling", "draft"),
            ("trafficking", "submitted"),
            ("untoc", "submitted"),
        ]
    );
    for i in instruments {
        let name = i["instrument"].as_str().unwrap_or_default();
        let clusters = i["clusters"].as_array().expect("clusters");
        assert!(!clusters.is_empty(), "{name}");
        let mut sum = [0u64; 5];
        for c in clusters {
            let ra = count(c, "required_applicable");
            let rd = count(c, "required_answered");
            let oa = count(c, "optional_applicable");
            let od = count(c, "optional_answered");
            assert!(rd <= ra, "{name} cluster {}: {rd}/{ra}", c["number"]);
            assert!(od <= oa, "{name} cluster {}: {od}/{oa}", c["number"]);
            for (s, v) in sum.iter_mut().zip([ra, rd, oa, od, count(c, "comments")]) {
                *s += v;
            }
        }
        let total = &i["total"];
        let totals = [
            count(total, "required_applicable"),
            count(total, "required_answered"),
            count(total, "optional_applicable"),
            count(total, "optional_answered"),
            count(total, "comments"),
        ];
        assert_eq!(sum, totals, "{name}: the total is the sum of the clusters");
        let missing = i["missing"].as_array().expect("missing");
        assert_eq!(
            missing.len() as u64,
            totals[0] - totals[1],
            "{name}: one missing id per unanswered required question"
        );
        if i["status"] == "submitted" {
            assert!(missing.is_empty(), "{name} is submitted: {missing:?}");
        } else {
            assert!(!missing.is_empty(), "{name} is a draft with gaps");
        }
        let prefix = |id: &&Value| {
            id.as_str()
                .is_some_and(|s| s.starts_with("art") && s.contains('.'))
        };
        assert!(missing.iter().all(|id| prefix(&id)), "{missing:?}");
        assert!(count(i, "submissions") >= 1, "{name}");
    }
}

#[test]
fn progress_text_lists_what_each_draft_misses() {
    let (status, stdout, stderr) = run(&["progress", path(&arcadia())], None);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("(XAR)"), "{stdout}");
    let (_, json_out, _) = run(&["progress", path(&arcadia()), "--format", "json"], None);
    let out = json(&json_out);
    for i in out["instruments"].as_array().expect("instruments") {
        let reference = i["questionnaire"].as_str().expect("a reference");
        let block: String = stdout
            .split("\n\n")
            .find(|b| b.starts_with(reference))
            .unwrap_or_else(|| panic!("no block for {reference} in {stdout}"))
            .to_string();
        assert!(block.contains("required"), "{block}");
        let missing = i["missing"].as_array().expect("missing");
        if missing.is_empty() {
            assert!(
                block.contains("every required question that applies is answered"),
                "{block}"
            );
        } else {
            assert!(
                block.contains(&format!("missing to submit ({})", missing.len())),
                "{block}"
            );
            let first = missing[0].as_str().unwrap_or_default();
            assert!(block.contains(first), "{block} lacks {first}");
        }
    }
}

#[test]
fn progress_on_a_dossier_with_errors_exits_1_and_says_so() {
    let d = dossier("quote_not_in_answer");
    let (status, stdout, _) = run(&["progress", path(&d)], None);
    assert_eq!(status, 1);
    assert!(stdout.contains("1 error(s)"), "{stdout}");
    assert!(stdout.contains("saq validate"), "{stdout}");
    let (status, stdout, _) = run(&["progress", path(&d), "--format", "json"], None);
    assert_eq!(status, 1);
    assert_eq!(json(&stdout)["errors"], 1);
}

#[test]
fn progress_on_a_folder_that_is_not_a_dossier_cannot_run() {
    let (status, _, stderr) = run(&["progress", path(&fixture("good"))], None);
    assert_eq!(status, 2, "{stderr}");
}

// --- migrate --------------------------------------------------------------------

/// A copy of the demo untoc@1.0 response with a comment line of the user's added.
fn untoc_copy(dir: &Path) -> PathBuf {
    let text = fs::read_to_string(arcadia().join("responses/untoc.yaml")).expect("readable");
    assert!(text.starts_with("questionnaire: untoc@1.0\n"));
    let text = text.replacen("\nanswers:\n", "\n# my note\nanswers:\n", 1);
    assert!(text.contains("# my note"));
    let path = dir.join("f.yaml");
    fs::write(&path, text).expect("writable");
    path
}

fn parse(path: &Path) -> Value {
    let text = fs::read_to_string(path).expect("readable");
    let file = saq_core::source::SourceFile {
        path: path.to_path_buf(),
        text,
    };
    saq_core::source::parse(&file).expect("valid YAML").value
}

fn assert_migrated(before: &Value, after: &Value, text: &str) {
    assert_eq!(after["questionnaire"], "untoc@1.1");
    // The rename keeps the answer, value and explanation.
    assert!(after["answers"].get("art7.regime").is_none());
    assert_eq!(
        after["answers"]["art7.regulatory_regime"],
        before["answers"]["art7.regime"]
    );
    // The removed question's answer is an orphan, with why.
    assert!(after["answers"].get("art18.languages").is_none());
    let orphan = &after["orphans"]["art18.languages"];
    assert_eq!(
        orphan["value"],
        before["answers"]["art18.languages"]["value"]
    );
    let reason = orphan["reason"].as_str().expect("a reason");
    assert!(
        reason.contains("removed") && reason.contains("untoc@1.1"),
        "{reason}"
    );
    assert_eq!(orphan["from"], "untoc@1.0");
    // Every other answer is kept as it was.
    let before_answers = before["answers"].as_object().expect("answers");
    let after_answers = after["answers"].as_object().expect("answers");
    assert_eq!(after_answers.len(), before_answers.len() - 1);
    for (id, answer) in before_answers {
        if id != "art7.regime" && id != "art18.languages" {
            assert_eq!(&after_answers[id], answer, "{id}");
        }
    }
    // The user's comments survive.
    assert!(
        text.contains("# my note\nanswers:\n"),
        "the comment is gone"
    );
    assert!(text
        .contains("# ---------------------------------------------------------------- cluster 1"));
}

#[test]
fn migrate_with_output_writes_elsewhere_and_leaves_the_input_untouched() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = untoc_copy(dir.path());
    let original = fs::read(&input).expect("readable");
    let out = dir.path().join("out.yaml");
    let (status, stdout, stderr) = run(
        &[
            "migrate",
            path(&input),
            "--to",
            "untoc@1.1",
            "-o",
            path(&out),
        ],
        None,
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(
        fs::read(&input).expect("readable"),
        original,
        "the input changed"
    );
    assert!(
        stderr.contains("renamed  art7.regime -> art7.regulatory_regime"),
        "{stderr}"
    );
    assert!(stderr.contains("orphaned art18.languages"), "{stderr}");
    let text = fs::read_to_string(&out).expect("written");
    assert_migrated(&parse(&input), &parse(&out), &text);
    // The result validates against untoc@1.1: no errors; the submitted response's
    // orphans are the one warning.
    let (status, stdout, _) = run(&["validate", path(&out), "--format", "json"], None);
    let report = json(&stdout);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!((status, codes), (0, vec!["R004"]), "{report:#}");
}

#[test]
fn migrate_in_place_rewrites_the_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = untoc_copy(dir.path());
    let before = parse(&input);
    let (status, _, stderr) = run(&["migrate", path(&input), "--to", "untoc@1.1"], None);
    assert_eq!(status, 0, "{stderr}");
    let text = fs::read_to_string(&input).expect("readable");
    assert_migrated(&before, &parse(&input), &text);
    // Nothing else is left behind (an atomic write renames its temporary file).
    assert_eq!(files_in(dir.path()), ["f.yaml"]);
}

#[test]
fn migrate_refuses_the_same_an_older_or_another_questionnaire() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = untoc_copy(dir.path());
    let original = fs::read(&input).expect("readable");
    let newer = dir.path().join("newer.yaml");
    let (status, _, stderr) = run(
        &[
            "migrate",
            path(&input),
            "--to",
            "untoc@1.1",
            "-o",
            path(&newer),
        ],
        None,
    );
    assert_eq!(status, 0, "{stderr}");
    let out = dir.path().join("out.yaml");
    let cases: [(&Path, &str, &str); 5] = [
        (&input, "untoc@1.0", "migrate only to a newer version"),
        (&newer, "untoc@1.1", "migrate only to a newer version"),
        (&newer, "untoc@1.0", "migrate only to a newer version"),
        (&input, "trafficking@1.0", "another questionnaire"),
        (&input, "untoc", "--to needs a version"),
    ];
    for (from, to, says) in cases {
        let (status, _, stderr) = run(&["migrate", path(from), "--to", to, "-o", path(&out)], None);
        assert_eq!(status, 2, "{} --to {to}: {stderr}", from.display());
        assert!(stderr.contains(says), "{stderr}");
        assert!(!out.exists(), "--to {to} wrote {}", out.display());
    }
    assert_eq!(fs::read(&input).expect("readable"), original);
}

#[test]
fn migrate_a_response_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("out.yaml");
    let bad = fixture("bad/response_questionnaire_without_version.yaml");
    let (status, _, stderr) = run(
        &["migrate", path(&bad), "--to", "untoc@1.1", "-o", path(&out)],
        None,
    );
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("T010"), "{stderr}");
    assert!(!out.exists());
}

// --- pack -----------------------------------------------------------------------

#[test]
fn pack_refuses_a_dossier_with_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let d = dossier("quote_not_in_answer");
    for format in ["html", "md", "json"] {
        let (status, stdout, stderr) = run(
            &[
                "pack",
                path(&d),
                "--audience",
                "reviewers",
                "--format",
                format,
            ],
            Some(dir.path()),
        );
        assert_eq!(status, 1, "{format}: {stderr}");
        assert!(stdout.is_empty(), "{format}: {stdout}");
        assert!(stderr.contains("error[C001]"), "{stderr}");
        assert!(stderr.contains("no pack written"), "{stderr}");
    }
    let out = dir.path().join("pack.html");
    let (status, _, _) = run(
        &["pack", path(&d), "--audience", "public", "-o", path(&out)],
        Some(dir.path()),
    );
    assert_eq!(status, 1);
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[test]
fn pack_markdown_and_json_go_to_stdout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (status, stdout, stderr) = run(
        &[
            "pack",
            path(&arcadia()),
            "--audience",
            "reviewers",
            "--format",
            "md",
        ],
        Some(dir.path()),
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("# Constructive-dialogue pack: XAR"),
        "{}",
        &stdout[..200.min(stdout.len())]
    );
    let (status, stdout, stderr) = run(
        &[
            "pack",
            path(&arcadia()),
            "--audience",
            "public",
            "--format",
            "json",
        ],
        Some(dir.path()),
    );
    assert_eq!(status, 0, "{stderr}");
    let pack = json(&stdout);
    assert_eq!(pack["state"], "XAR");
    assert_eq!(pack["audience"], "public");
    assert_eq!(pack["instruments"].as_array().map(Vec::len), Some(4));
    assert!(
        files_in(dir.path()).is_empty(),
        "stdout formats write no file"
    );
}

#[test]
fn pack_html_defaults_to_state_and_audience_in_the_current_folder() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (status, stdout, stderr) = run(
        &["pack", path(&arcadia()), "--audience", "reviewers"],
        Some(dir.path()),
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(files_in(dir.path()), ["XAR-reviewers.html"]);
    assert!(stderr.contains("wrote XAR-reviewers.html"), "{stderr}");
    let html = fs::read_to_string(dir.path().join("XAR-reviewers.html")).expect("written");
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..100.min(html.len())]
    );
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn pack_filters_by_instrument_and_cluster() {
    let (status, stdout, stderr) = run(
        &[
            "pack",
            path(&arcadia()),
            "--audience",
            "reviewers",
            "--format",
            "json",
            "--instrument",
            "trafficking",
            "--cluster",
            "2",
        ],
        None,
    );
    assert_eq!(status, 0, "{stderr}");
    let pack = json(&stdout);
    let instruments = pack["instruments"].as_array().expect("instruments");
    let shown: Vec<(&str, Vec<u64>)> = instruments
        .iter()
        .map(|i| {
            (
                i["id"].as_str().expect("an id"),
                i["clusters"]
                    .as_array()
                    .expect("clusters")
                    .iter()
                    .filter_map(|c| c["number"].as_u64())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(shown, [("trafficking", vec![2])]);
    // Two instruments, two clusters, in Markdown.
    let (status, md, _) = run(
        &[
            "pack",
            path(&arcadia()),
            "--audience",
            "reviewers",
            "--format",
            "md",
            "--instrument",
            "untoc",
            "--instrument",
            "firearms",
            "--cluster",
            "1",
            "--cluster",
            "4",
        ],
        None,
    );
    assert_eq!(status, 0);
    let clusters: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("### Cluster "))
        .collect();
    assert_eq!(clusters.len(), 4, "{clusters:?}");
    assert!(
        clusters
            .iter()
            .all(|c| c.starts_with("### Cluster 1.") || c.starts_with("### Cluster 4.")),
        "{clusters:?}"
    );
    assert!(!md.contains("## Protocol to Prevent, Suppress and Punish Trafficking"));
    assert!(md.contains("## United Nations Convention against Transnational Organized Crime"));
}

#[test]
fn pack_date_is_checked_and_used() {
    let (status, stdout, _) = run(
        &[
            "pack",
            path(&arcadia()),
            "--audience",
            "reviewers",
            "--format",
            "json",
            "--date",
            "2026-05-01",
        ],
        None,
    );
    assert_eq!(status, 0);
    assert_eq!(json(&stdout)["date"], "2026-05-01");
    let dir = tempfile::tempdir().expect("a temp dir");
    for date in ["2026-02-30", "2026-13-01", "March 5", ""] {
        let (status, stdout, stderr) = run(
            &[
                "pack",
                path(&arcadia()),
                "--audience",
                "reviewers",
                "--date",
                date,
            ],
            Some(dir.path()),
        );
        assert_eq!(status, 2, "--date {date:?}: {stderr}");
        assert!(stdout.is_empty());
    }
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn pack_usage_errors_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let cases: [&[&str]; 4] = [
        &["--lang", "xx"],
        &["--instrument", "nothing"],
        &["--cluster", "5"],
        &["--audience", "everyone"],
    ];
    let demo = arcadia();
    for extra in cases {
        let mut args = vec!["pack", path(&demo)];
        if !extra.contains(&"--audience") {
            args.extend(["--audience", "reviewers"]);
        }
        args.extend(extra);
        let (status, _, stderr) = run(&args, Some(dir.path()));
        assert_eq!(status, 2, "{extra:?}: {stderr}");
    }
    assert!(files_in(dir.path()).is_empty());
    // Not a dossier.
    let (status, _, _) = run(
        &["pack", path(&fixture("good")), "--audience", "reviewers"],
        Some(dir.path()),
    );
    assert_eq!(status, 2);
    assert!(files_in(dir.path()).is_empty());
}
