//! `saq new response` and `saq new submission` end to end: every shipped questionnaire
//! gets a skeleton that validates as written, keeps validating as answers are
//! uncommented, never overwrites a file without `--force`, and carries any contributor
//! name intact.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{diagnostics, saq};

/// Every shipped questionnaire version, as `id@version`.
fn shipped() -> Vec<String> {
    let output = saq()
        .args(["list", "--format", "json"])
        .output()
        .expect("saq runs");
    assert!(output.status.success());
    let list: Value =
        serde_json::from_slice(&output.stdout).expect("list --format json prints JSON");
    let references: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|q| q["reference"].as_str().expect("a reference").to_string())
        .collect();
    assert!(!references.is_empty(), "{references:?}");
    references
}

fn stdout(args: &[&str]) -> String {
    let output = saq().args(args).output().expect("saq runs");
    assert!(
        output.status.success(),
        "saq {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The file's data, read the way saq reads it.
fn read_value(path: &Path) -> Value {
    let file = saq_core::source::SourceFile {
        path: path.to_path_buf(),
        text: fs::read_to_string(path).expect("readable"),
    };
    saq_core::source::parse(&file).expect("parses").value
}

fn assert_clean(path: &Path) {
    let (code, found) = diagnostics(&[path]);
    assert_eq!(
        (code, found),
        (0, vec![]),
        "{}",
        fs::read_to_string(path).unwrap_or_default()
    );
}

/// Uncomments the placeholder block of `id` the way an editor's "toggle comment" does,
/// and empties nothing else; `{}` goes from `answers:` as the header says.
fn uncomment(text: &str, id: &str) -> String {
    let start = format!("  # {id}:");
    assert!(text.lines().any(|l| l == start), "no block for {id}");
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line == start {
            inside = true;
        } else if inside && !line.starts_with("  # ") {
            inside = false;
        }
        out.push(if inside {
            line.replacen("  # ", "  ", 1)
        } else {
            line.to_string()
        });
    }
    out.join("\n") + "\n"
}

#[test]
fn every_shipped_questionnaire_gets_skeletons_that_validate() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for reference in shipped() {
        // One folder per version, so no schema of an earlier one is in the way.
        let dir = dir.path().join(&reference);
        let response = dir.join("r.yaml");
        let submission = dir.join("s.yaml");
        saq()
            .args(["new", "response", &reference, "--state", "XAR", "-o"])
            .arg(&response)
            .assert()
            .success();
        saq()
            .args([
                "new",
                "submission",
                &reference,
                "--state",
                "XAR",
                "--contributor",
                "Observatorio Ciudadano",
                "--kind",
                "ngo",
                "-o",
            ])
            .arg(&submission)
            .assert()
            .success();

        let text = fs::read_to_string(&response).expect("r.yaml written");
        assert_eq!(
            text.lines().next(),
            Some("# yaml-language-server: $schema=r.schema.json")
        );
        let schema: Value = serde_json::from_str(
            &fs::read_to_string(dir.join("r.schema.json")).expect("r.schema.json written"),
        )
        .expect("the schema is JSON");
        let published: Value =
            serde_json::from_str(&stdout(&["schema", "response", &reference])).expect("JSON");
        assert_eq!(
            schema, published,
            "{reference}: the response schema is the published one"
        );
        assert_clean(&response);
        let value = read_value(&response);
        assert_eq!(value["questionnaire"], reference.as_str());
        assert_eq!(
            value["answers"],
            Value::Null,
            "a bare `answers:` with every answer commented out"
        );

        // Every question of the version has its block, in the version's order.
        let questionnaire: Value =
            serde_json::from_str(&stdout(&["show", &reference, "--format", "json"])).expect("JSON");
        let mut at = 0;
        let mut count = 0;
        for cluster in questionnaire["clusters"].as_array().expect("clusters") {
            for article in cluster["articles"].as_array().expect("articles") {
                for question in article["questions"].as_array().expect("questions") {
                    let block = format!("\n  # {}:\n", question["id"].as_str().expect("an id"));
                    at += text[at..]
                        .find(&block)
                        .unwrap_or_else(|| panic!("{reference}: {block:?} in order"))
                        + 1;
                    count += 1;
                }
            }
        }
        assert!(count > 0);

        let text = fs::read_to_string(&submission).expect("s.yaml written");
        assert_eq!(
            text.lines().next(),
            Some("# yaml-language-server: $schema=s.schema.json")
        );
        let schema: Value = serde_json::from_str(
            &fs::read_to_string(dir.join("s.schema.json")).expect("s.schema.json written"),
        )
        .expect("the schema is JSON");
        let published: Value =
            serde_json::from_str(&stdout(&["schema", "submission", &reference])).expect("JSON");
        assert_eq!(
            schema, published,
            "{reference}: the submission schema is the published one"
        );
        assert_clean(&submission);
        let value = read_value(&submission);
        assert_eq!(value["visibility"], "reviewers");
        assert_eq!(value["attribution"], "named");
        assert_eq!(value["comments"][0]["target"], "general");
    }
}

#[test]
fn skeletons_make_a_valid_dossier() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dossier = dir.path().join("arcadia");
    // Parent folders are created; the schemas beside the files are not read as dossier files.
    saq()
        .args(["new", "response", "trafficking", "--state", "XAR", "-o"])
        .arg(dossier.join("responses/trafficking.yaml"))
        .assert()
        .success();
    fs::create_dir_all(dossier.join("submissions")).expect("mkdir");
    saq()
        .current_dir(dossier.join("submissions"))
        .args([
            "new",
            "submission",
            "trafficking",
            "--state",
            "XAR",
            "--contributor",
            "Observatorio Ciudadano",
            "--kind",
            "academia",
        ])
        .assert()
        .success();
    assert!(dossier.join("responses/trafficking.schema.json").is_file());
    assert!(dossier
        .join("submissions/observatorio-ciudadano.yaml")
        .is_file());
    assert!(dossier
        .join("submissions/observatorio-ciudadano.schema.json")
        .is_file());
    let (code, found) = diagnostics(&[&dossier]);
    assert_eq!((code, found), (0, vec![]));
}

#[test]
fn default_names_and_folders() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    saq()
        .current_dir(dir.path())
        .args(["new", "response", "untoc", "--state", "MEX"])
        .assert()
        .success();
    let latest = shipped()
        .into_iter()
        .filter(|r| r.starts_with("untoc@"))
        .max_by(|a, b| saq_core::questionnaire::catalog::compare_versions(&a[6..], &b[6..]));
    assert_eq!(
        read_value(&dir.path().join("untoc.yaml"))["questionnaire"],
        latest.expect("untoc ships").as_str()
    );
    assert!(dir.path().join("untoc.schema.json").is_file());
    // `-o FOLDER` puts the default name in it.
    fs::create_dir(dir.path().join("responses")).expect("mkdir");
    saq()
        .current_dir(dir.path())
        .args([
            "new",
            "response",
            "smuggling@1.0",
            "--state",
            "XAR",
            "-o",
            "responses",
        ])
        .assert()
        .success();
    assert_clean(&dir.path().join("responses/smuggling.yaml"));
    // A name that would clash with a schema file is refused.
    saq()
        .current_dir(dir.path())
        .args([
            "new",
            "response",
            "smuggling@1.0",
            "--state",
            "XAR",
            "-o",
            "x.schema.json",
        ])
        .assert()
        .code(2);
}

#[test]
fn uncommenting_an_answer_block_keeps_the_file_valid() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("trafficking.yaml");
    saq()
        .args(["new", "response", "trafficking@1.0", "--state", "XAR", "-o"])
        .arg(&path)
        .assert()
        .success();
    let skeleton = fs::read_to_string(&path).expect("written");

    // Uncommented but not filled in: an error at the blank, not a silent answer.
    let blank = uncomment(&skeleton, "art5.offence");
    fs::write(&path, &blank).expect("write");
    let (code, found) = diagnostics(&[&path]);
    assert_eq!(code, 1, "{found:?}");
    let line = blank
        .lines()
        .position(|l| l.starts_with("    value:"))
        .expect("the value line")
        + 1;
    assert!(
        found.iter().all(|(_, l, _)| *l == line),
        "{found:?} should point at line {line}"
    );

    let filled = blank.replacen("    value: ", "    value: yes", 1);
    fs::write(&path, &filled).expect("write");
    assert_clean(&path);
    assert_eq!(
        read_value(&path)["answers"],
        serde_json::json!({ "art5.offence": { "value": "yes" } })
    );

    // A second block, of a list type, once its blanks are filled.
    let more = uncomment(&filled, "art5.provisions")
        .replacen("      - title: ", "      - title: Penal Code", 1)
        .replacen("        provision: ", "        provision: art. 212", 1);
    fs::write(&path, &more).expect("write");
    assert_clean(&path);
    assert_eq!(
        read_value(&path)["answers"]["art5.provisions"],
        serde_json::json!({ "value": [{ "title": "Penal Code", "provision": "art. 212" }] })
    );
}

#[test]
fn existing_files_are_kept_without_force() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("untoc.yaml");
    fs::write(&path, "months of work\n").expect("write");
    saq()
        .args(["new", "response", "untoc", "--state", "XAR", "-o"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(fs::read_to_string(&path).expect("read"), "months of work\n");
    assert!(
        !dir.path().join("untoc.schema.json").exists(),
        "nothing written when refusing"
    );

    saq()
        .args([
            "new", "response", "untoc", "--state", "XAR", "--force", "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    assert_clean(&path);

    // A schema file that differs is someone's too; an identical one is rewritten freely.
    let schema = dir.path().join("s.schema.json");
    fs::write(&schema, "{}\n").expect("write");
    let args = [
        "new",
        "submission",
        "untoc",
        "--state",
        "XAR",
        "--contributor",
        "X",
        "--kind",
        "other",
        "-o",
    ];
    saq()
        .args(args)
        .arg(dir.path().join("s.yaml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert!(!dir.path().join("s.yaml").exists());
    assert_eq!(fs::read_to_string(&schema).expect("read"), "{}\n");
    saq()
        .args(args)
        .arg(dir.path().join("s.yaml"))
        .arg("--force")
        .assert()
        .success();
    fs::remove_file(dir.path().join("s.yaml")).expect("rm");
    saq()
        .args(args)
        .arg(dir.path().join("s.yaml"))
        .assert()
        .success();
}

#[test]
fn bad_arguments_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("r.yaml");
    saq()
        .args(["new", "response", "nonesuch", "--state", "XAR", "-o"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("untoc"));
    saq()
        .args(["new", "response", "untoc@9.9", "--state", "XAR", "-o"])
        .arg(&path)
        .assert()
        .code(2);
    saq()
        .args(["new", "response", "untoc", "--state", "QQQ", "-o"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("XAA-XZZ"));
    saq()
        .args(["new", "response", "untoc", "--state", "xar", "-o"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--state XAR"));
    saq()
        .args([
            "new",
            "submission",
            "untoc",
            "--state",
            "XAR",
            "--contributor",
            " ",
            "--kind",
            "ngo",
            "-o",
        ])
        .arg(&path)
        .assert()
        .code(2);
    assert_eq!(
        fs::read_dir(dir.path()).expect("ls").count(),
        0,
        "nothing was written"
    );
}

#[test]
fn any_contributor_name_validates_and_round_trips() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (i, name) in [
        r#"O'Brien: "Watch" #1"#,
        r#"- [x] {y}: & *z !t | > % @ \ back"#,
        "no",
        "Fundação Ñandú — 观察",
    ]
    .into_iter()
    .enumerate()
    {
        let path = dir.path().join(format!("s{i}.yaml"));
        saq()
            .args([
                "new",
                "submission",
                "untoc@1.0",
                "--state",
                "XAR",
                "--kind",
                "private_sector",
                "-o",
            ])
            .arg(&path)
            // `=` so that a name starting with `-` is not taken for an option.
            .arg(format!("--contributor={name}"))
            .assert()
            .success();
        assert_clean(&path);
        let value = read_value(&path);
        assert_eq!(value["contributor"]["name"], name);
        assert_eq!(value["contributor"]["kind"], "private_sector");
    }
    // Without -o, the name becomes a safe file name.
    saq()
        .current_dir(dir.path())
        .args([
            "new",
            "submission",
            "untoc",
            "--state",
            "XAR",
            "--contributor",
            r#"O'Brien: "Watch" #1"#,
            "--kind",
            "ngo",
        ])
        .assert()
        .success();
    assert_clean(&dir.path().join("o-brien-watch-1.yaml"));
}
