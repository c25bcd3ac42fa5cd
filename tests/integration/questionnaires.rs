//! Questionnaire definitions: every bad fixture reports exactly the diagnostics it
//! should, where it should; the shipped questionnaires are clean, match their schema,
//! and carry exactly the clusters and articles of DOMAIN.md section 3.
//!
//! Fixtures live in `tests/fixtures/questionnaire/`, one problem each (except
//! `three_problems.yaml`, and `integer_as_float.yaml`, which has none: it pins a form
//! the schema accepts, so the loader must too). Every position in the tables below was
//! checked by hand against the fixture text: it points at the offending token (the key
//! for "this key is wrong", the value for "this value is wrong", the token inside a
//! condition).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use saq_core::source::{self, SourceFile};
use saq_core::structure::SchemaValidator;
use saq_core::Code;
use serde_json::Value;

use crate::util::{diagnostics, fixture, root, saq};

/// (code, line, column) of one diagnostic, as `saq validate --format json` reports it.
type Expected = (&'static str, usize, usize);

/// Fixture (relative to `tests/fixtures/questionnaire/`) -> every diagnostic it yields,
/// in the order saq prints them (by position).
const FIXTURES: &[(&str, &[Expected])] = &[
    // --- S: source (YAML, encoding, limits) -------------------------------------
    // `prompt: Note: is ...`: the second `: ` on the line.
    ("yaml_syntax.yaml", &[("S001", 14, 25)]),
    // `guidance: *nope`: the alias of an anchor that was never defined.
    ("undefined_alias.yaml", &[("S001", 15, 23)]),
    // A tab as the first character of line 13.
    ("tab_indentation.yaml", &[("S002", 13, 1)]),
    // `prompt: Note: is ...` (the second `: `), although a later block scalar holds a
    // line starting with a tab: that tab is content, not indentation, and not reported.
    ("tab_in_block_scalar.yaml", &[("S001", 14, 25)]),
    // The second `prompt` key of the question.
    ("duplicate_key.yaml", &[("S003", 15, 13)]),
    // `guidance:` value starts at column 23 at depth 7; the `[` at depth 65 is the 59th.
    ("too_deep.yaml", &[("S005", 15, 81)]),
    // saphyr's budget is 100,000 nodes: a..d use 12,330 of it, each `*d` costs 11,111,
    // so the 8th `*d` on line 20 (column 22 + 7 * 4) is the one that overflows.
    ("alias_bomb.yaml", &[("S006", 20, 50)]),
    // The byte 0xE9 (Latin-1 `é`) after `prompt: Is participation an `.
    ("not_utf8.yaml", &[("S007", 14, 41)]),
    // Only a comment.
    ("empty.yaml", &[("S008", 1, 1)]),
    // The `---` line that starts the second document (the line the hint says to remove),
    // not the second document's first node.
    ("two_documents.yaml", &[("S009", 15, 1)]),
    // A bare `---` as the last line: that line, not a position past the end of the file.
    ("two_documents_bare_marker.yaml", &[("S009", 15, 1)]),
    // `guidance` holds a mapping with a flow sequence `[min, max]` as its key.
    ("complex_key.yaml", &[("S010", 15, 15)]),
    // `min: .nan`.
    ("nan.yaml", &[("S011", 15, 18)]),
    // --- T: structure (the JSON Schema) -----------------------------------------
    // A top-level `langauges`: the key.
    ("unknown_key.yaml", &[("T001", 5, 1)]),
    // `promt` for the required `prompt`: reported once, as the typo (no T002 twin).
    ("misspelled_required_key.yaml", &[("T001", 14, 13)]),
    // A question without `prompt`: the start of the question mapping.
    ("missing_key.yaml", &[("T002", 12, 13)]),
    // `version: 1.0` (a number): the value.
    ("wrong_type.yaml", &[("T003", 2, 10)]),
    // `version: 1.10` (a number, 1.1): the value; the hint quotes `"1.10"` (see HINTS).
    ("version_unquoted.yaml", &[("T003", 2, 10)]),
    // A change with both `renamed`/`to` and `removed`: the whole entry, which mixes the
    // two forms. This is the one fixture that reaches T007.
    ("change_ambiguous.yaml", &[("T007", 6, 5)]),
    // `type: yesno`: the value.
    ("invalid_value.yaml", &[("T004", 13, 19)]),
    // Question id `art5.Offence`: the value.
    ("invalid_format.yaml", &[("T005", 12, 17)]),
    // `title: { EN: ... }`: the key `EN`, which is not a language code.
    ("language_key_invalid.yaml", &[("T005", 7, 14)]),
    // With a byte order mark, columns on line 1 do not count it (editors do not show
    // it), so `Sample` is at 5 as without one.
    ("bom.yaml", &[("T005", 1, 5)]),
    // Cluster `number: 5`: the value.
    ("out_of_range.yaml", &[("T006", 6, 13)]),
    // `number: 1.0` is an integer for JSON Schema, so `saq schema questionnaire` (and an
    // editor) accepts it; the loader agrees, and the file is valid.
    ("integer_as_float.yaml", &[]),
    // `cluster:` instead of `clusters:`: the file as a whole.
    ("unknown_kind.yaml", &[("T008", 1, 1)]),
    // --- Q: definition checks ---------------------------------------------------
    // The second `id: art5.offence`: the value.
    ("duplicate_question_id.yaml", &[("Q001", 15, 17)]),
    // `id: art6.offence` in article 5: the value.
    ("id_article_mismatch.yaml", &[("Q002", 12, 17)]),
    // `show_if: "art5.offence = yes"`: the `=` inside the quoted scalar.
    ("condition_syntax.yaml", &[("Q003", 17, 36)]),
    // `show_if: art5.offence in [sí, partially]`: the `í`, counted in characters.
    ("condition_syntax_non_ascii.yaml", &[("Q003", 17, 40)]),
    // `show_if: >` (folded) with `and and` on its second line: the second `and`.
    ("condition_syntax_block.yaml", &[("Q003", 19, 19)]),
    // `show_if: |` (literal), a list over three lines, then `and (art5...`: the `(`.
    ("condition_syntax_literal.yaml", &[("Q003", 21, 19)]),
    // A plain scalar over three lines, `= partially` on the third: the `=`.
    ("condition_syntax_multiline.yaml", &[("Q003", 19, 32)]),
    // `art5.ofence`: the id inside the condition.
    ("condition_unknown_question.yaml", &[("Q004", 17, 23)]),
    // `not (art5.offence answered)` on art5.offence itself: the id.
    ("condition_own_question.yaml", &[("Q005", 14, 28)]),
    // `'art5.offence in [yes, partialy]'`: the misspelled value.
    ("condition_invalid_value.yaml", &[("Q006", 17, 45)]),
    // `art5.groups == many` on a number question: the value.
    ("condition_number_value.yaml", &[("Q006", 17, 37)]),
    // A choice question without `options`: its `type` key.
    ("choice_without_options.yaml", &[("Q007", 13, 13)]),
    // The third option reuses `broad`: its id.
    ("duplicate_option.yaml", &[("Q008", 18, 23)]),
    // `columns: []` on a table question: its `type` key.
    ("table_without_columns.yaml", &[("Q009", 13, 13)]),
    // The third column reuses `year`: its id.
    ("duplicate_column.yaml", &[("Q010", 18, 23)]),
    // `min: 10` above `max: 1`: the min value.
    ("min_above_max.yaml", &[("Q011", 15, 18)]),
    // `prompt: { fr: ... }`: the key of the text.
    ("missing_english.yaml", &[("Q012", 14, 13)]),
    // `languages: [fr]` and a prompt in English only: the prompt key.
    ("missing_translation.yaml", &[("Q013", 15, 13)]),
    // Cluster 1 listed after cluster 2: the second cluster's number.
    ("cluster_out_of_order.yaml", &[("Q014", 15, 13)]),
    // Article "5" again in cluster 2: the article value.
    ("duplicate_article.yaml", &[("Q015", 18, 18)]),
    // untoc@1.2 removes `art5.obsolete`, which untoc@1.1 never had.
    ("change_unknown_id.yaml", &[("Q016", 6, 16)]),
    // untoc@1.2 renames art5.offence `to: art5.participation`, which it does not have.
    ("change_target_missing.yaml", &[("Q017", 7, 9)]),
    // untoc@1.2 removes art5.offence but still has it.
    ("change_still_present.yaml", &[("Q017", 6, 16)]),
    // `id: sample` in a folder named `other`: the id value.
    ("path/other/1.0.yaml", &[("Q018", 1, 5)]),
    // `version: "1.0"` in a file named 1.1.yaml: the version value.
    ("path/sample/1.1.yaml", &[("Q018", 2, 10)]),
    // `unit` on a compliance question: the key.
    ("key_not_for_type.yaml", &[("Q019", 15, 13)]),
    // `changes` in a questionnaire saq has no earlier version of: the key.
    ("changes_without_previous.yaml", &[("Q020", 5, 1)]),
    // `questions: []` (a warning): the key.
    ("empty_article.yaml", &[("Q021", 17, 9)]),
    // `articles: []` (a warning): the key.
    ("empty_cluster.yaml", &[("Q021", 17, 5)]),
    // --- several problems at once -----------------------------------------------
    // show_if on art5.offence, which comes later (the id in the plain scalar);
    // `guidnce` (the key; the file is still read without it); the second art5.offence.
    (
        "three_problems.yaml",
        &[("Q005", 14, 22), ("T001", 19, 13), ("Q001", 20, 17)],
    ),
];

/// S, T and Q codes no questionnaire fixture can produce, and why.
///
/// - S004 (file too large): needs a file over 16 MiB; `cli_foundation` generates one in
///   a temporary directory instead of shipping it as a fixture.
/// - T009 (unknown state) and T010 (unknown questionnaire): they check the `state:` and
///   `questionnaire:` keys of responses and submissions; a questionnaire definition has
///   neither (writing one there is a T001 unknown key).
const NOT_COVERABLE_BY_FIXTURES: &[&str] = &["S004", "T009", "T010"];

fn questionnaire_fixtures() -> PathBuf {
    fixture("questionnaire")
}

fn check(cases: &[(&str, &[Expected])]) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, expected) in cases {
        let path = questionnaire_fixtures().join(name);
        let (status, found) = diagnostics(&[path.as_path()]);
        let expected: Vec<(String, usize, usize)> = expected
            .iter()
            .map(|(c, l, col)| (c.to_string(), *l, *col))
            .collect();
        if found != expected {
            failures.push(format!(
                "{name}: expected {expected:?}, saq reported {found:?}"
            ));
        }
        let errors = expected.iter().any(|(c, _, _)| {
            Code::parse(c).is_some_and(|c| c.severity() == saq_core::Severity::Error)
        });
        let want_status = if errors { 1 } else { 0 };
        if status != want_status {
            failures.push(format!(
                "{name}: exit status {status}, expected {want_status}"
            ));
        }
    }
    failures
}

#[test]
fn every_fixture_reports_exactly_its_diagnostics() {
    let failures = check(FIXTURES);
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Fixture -> (code, text its message contains, texts its hints contain): where the
/// wording is the point, the message and hints are checked too.
const MESSAGES: &[(&str, &str, &str, &[&str])] = &[
    // The hint names the line to remove, which is where the diagnostic points.
    (
        "two_documents.yaml",
        "S009",
        "a second YAML document starts here",
        &["remove the `---` line"],
    ),
    // The parser's own message, not a tab complaint.
    (
        "tab_in_block_scalar.yaml",
        "S001",
        "mapping values are not allowed",
        &[],
    ),
    // Quoted as written, not as the number YAML read (1.1).
    (
        "version_unquoted.yaml",
        "T003",
        "expected text, found a number",
        &["write it in quotes: \"1.10\""],
    ),
    // Both forms of a change are named.
    (
        "change_ambiguous.yaml",
        "T007",
        "expected either `{ renamed, to }` or `{ removed }`, found the keys of both",
        &["keep the keys of one form"],
    ),
    // The key is named, with the fix and what a key must be.
    (
        "language_key_invalid.yaml",
        "T005",
        "the key `EN` does not have the required form",
        &[
            "did you mean `en`?",
            "expected a language code in lowercase, such as `en`, `es` or `zh`",
        ],
    ),
    // Pattern hints complete "expected ..." with a noun phrase, not a doc comment.
    (
        "bom.yaml",
        "T005",
        "`Sample` does not have the required form",
        &[
            "did you mean `sample`?",
            "expected an instrument id in lowercase letters, digits and `_`, such as `untoc`",
        ],
    ),
    (
        "invalid_format.yaml",
        "T005",
        "`art5.Offence` does not have the required form",
        &["expected a question id `art<N>.<name>`"],
    ),
];

#[test]
fn messages_and_hints_say_what_is_wrong() {
    let mut failures = Vec::new();
    for (name, code, message, hints) in MESSAGES {
        assert!(
            FIXTURES.iter().any(|(f, _)| f == name),
            "{name} is not in FIXTURES"
        );
        let output = saq()
            .arg("validate")
            .arg(questionnaire_fixtures().join(name))
            .args(["--format", "json"])
            .output()
            .expect("saq runs");
        let json: Value =
            serde_json::from_slice(&output.stdout).expect("validate --format json prints JSON");
        let found = json["diagnostics"]
            .as_array()
            .expect("a diagnostics array")
            .iter()
            .find(|d| d["code"] == *code);
        let Some(d) = found else {
            failures.push(format!("{name}: no {code}"));
            continue;
        };
        let said = d["message"].as_str().unwrap_or_default();
        if !said.contains(message) {
            failures.push(format!("{name}: message {said:?} lacks {message:?}"));
        }
        let given: Vec<&str> = d["hints"]
            .as_array()
            .map(|h| h.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for hint in *hints {
            if !given.iter().any(|g| g.contains(hint)) {
                failures.push(format!("{name}: hints {given:?} lack {hint:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the fixture folder is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_file_has_expectations() {
    let base = questionnaire_fixtures();
    let mut files = Vec::new();
    files_under(&base, &mut files);
    let on_disk: BTreeSet<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&base)
                .expect("under the fixture folder")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let mut listed = BTreeSet::new();
    for (name, _) in FIXTURES {
        assert!(listed.insert(name.to_string()), "{name} is listed twice");
    }
    let unlisted: Vec<&String> = on_disk.difference(&listed).collect();
    let missing: Vec<&String> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty(),
        "fixtures without expectations: {unlisted:?}"
    );
    assert!(
        missing.is_empty(),
        "expectations without a fixture file: {missing:?}"
    );
    assert!(on_disk.len() >= 30, "only {} fixtures", on_disk.len());
}

#[test]
fn every_source_structure_and_questionnaire_code_is_exercised() {
    let exercised: BTreeSet<&str> = FIXTURES
        .iter()
        .flat_map(|(_, ds)| ds.iter().map(|d| d.0))
        .collect();
    for code in &exercised {
        assert!(Code::parse(code).is_some(), "{code} is not a saq code");
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| matches!(&c[..1], "S" | "T" | "Q"))
        .filter(|c| !exercised.contains(c) && !NOT_COVERABLE_BY_FIXTURES.contains(c))
        .collect();
    assert!(missing.is_empty(), "no fixture exercises {missing:?}");
}

fn shipped_questionnaires() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("questionnaires")).expect("questionnaires/ exists") {
        let dir = dir.expect("a directory entry").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("a questionnaire folder") {
            let file = file.expect("a directory entry").path();
            if file.extension().is_some_and(|e| e == "yaml") {
                files.push(file);
            }
        }
    }
    files.sort();
    assert_eq!(
        files.len(),
        5,
        "untoc 1.0 and 1.1, trafficking, smuggling, firearms: {files:?}"
    );
    files
}

#[test]
fn shipped_questionnaires_validate_cleanly() {
    let files = shipped_questionnaires();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (status, found) = diagnostics(&paths);
    assert_eq!(found, vec![], "shipped questionnaires have problems");
    assert_eq!(status, 0);
}

#[test]
fn shipped_questionnaires_match_the_published_schema() {
    // The root package cannot name `jsonschema` (it is a dependency of saq-core only,
    // and Cargo.toml stays as it is), so the published schema is compiled with
    // saq-core's SchemaValidator, which is a thin wrapper around `jsonschema`.
    let output = saq()
        .args(["schema", "questionnaire"])
        .output()
        .expect("saq runs");
    assert!(output.status.success());
    let schema: Value = serde_json::from_slice(&output.stdout).expect("the schema is JSON");
    let validator = SchemaValidator::new(schema).expect("the published schema compiles");
    for path in shipped_questionnaires() {
        let bytes = std::fs::read(&path).expect("readable");
        let file = SourceFile::from_bytes(&path, bytes).expect("UTF-8");
        let doc = source::parse(&file).expect("valid YAML");
        let problems = validator.check(&path, &doc);
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    }
}

/// A cluster number and its article numbers.
type ClusterArticles = (u64, &'static [&'static str]);

/// DOMAIN.md section 3: instrument -> cluster -> article numbers.
const DOMAIN_CLUSTERS: &[(&str, &[ClusterArticles])] = &[
    (
        "untoc",
        &[
            (1, &["2", "5", "6", "8", "9", "10", "15", "23"]),
            (2, &["24", "25", "28", "29", "30", "31"]),
            (3, &["7", "11", "19", "20", "22", "26", "27"]),
            (4, &["12", "13", "14", "16", "17", "18", "21"]),
        ],
    ),
    // TIP has no cluster IV articles, so no cluster 4.
    (
        "trafficking",
        &[
            (1, &["3", "5"]),
            (2, &["6", "7", "8", "9"]),
            (3, &["10", "11", "12", "13"]),
        ],
    ),
    (
        "smuggling",
        &[
            (1, &["3", "5", "6"]),
            (2, &["14", "15", "16", "18"]),
            (3, &["11", "12", "13"]),
            (4, &["7", "8", "9", "10", "17"]),
        ],
    ),
    (
        "firearms",
        &[
            (1, &["3", "5"]),
            (2, &["7", "8", "9", "10", "11", "14", "15"]),
            (3, &["6"]),
            (4, &["12", "13"]),
        ],
    ),
];

/// cluster number -> article numbers, sorted numerically.
fn clusters_of(reference: &str) -> BTreeMap<u64, Vec<String>> {
    let output = saq()
        .args(["show", reference, "--format", "json"])
        .output()
        .expect("saq runs");
    assert!(
        output.status.success(),
        "saq show {reference} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value =
        serde_json::from_slice(&output.stdout).expect("show --format json prints JSON");
    let mut out = BTreeMap::new();
    for cluster in json["clusters"].as_array().expect("clusters") {
        let number = cluster["number"].as_u64().expect("a cluster number");
        let mut articles: Vec<String> = cluster["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .map(|a| {
                a["article"]
                    .as_str()
                    .expect("an article number")
                    .to_string()
            })
            .collect();
        articles.sort_by_key(|a| a.parse::<u32>().unwrap_or(u32::MAX));
        assert!(
            out.insert(number, articles).is_none(),
            "{reference}: cluster {number} twice"
        );
    }
    out
}

#[test]
fn shipped_questionnaires_cover_the_domain_clusters() {
    for reference in [
        "untoc@1.0",
        "untoc@1.1",
        "trafficking@1.0",
        "smuggling@1.0",
        "firearms@1.0",
    ] {
        let id = reference.split('@').next().unwrap_or_default();
        let (_, clusters) = DOMAIN_CLUSTERS
            .iter()
            .find(|(i, _)| *i == id)
            .expect("a DOMAIN.md row");
        let expected: BTreeMap<u64, Vec<String>> = clusters
            .iter()
            .map(|(n, arts)| (*n, arts.iter().map(|a| a.to_string()).collect()))
            .collect();
        assert_eq!(
            clusters_of(reference),
            expected,
            "{reference} does not match DOMAIN.md section 3"
        );
    }
}

#[test]
fn show_untoc_cluster_1_lists_exactly_its_articles() {
    let output = saq()
        .args(["show", "untoc", "--cluster", "1"])
        .output()
        .expect("saq runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    let clusters: Vec<&str> = text.lines().filter(|l| l.starts_with("Cluster ")).collect();
    assert_eq!(clusters.len(), 1, "only cluster 1: {clusters:?}");
    assert!(clusters[0].starts_with("Cluster 1 "), "{clusters:?}");
    let articles: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  Article "))
        .map(|rest| rest.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(articles, ["2", "5", "6", "8", "9", "10", "15", "23"]);
}
