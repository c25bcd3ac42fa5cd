//! Responses, submissions and dossiers: every bad fixture reports exactly the
//! diagnostics it should, where it should; every good fixture is clean; the published
//! schemas agree with `saq validate` on both.
//!
//! Fixtures:
//! - `tests/fixtures/bad/`: one response or submission with one problem each (validated
//!   on its own, so no cross-file checks);
//! - `tests/fixtures/good/`: valid files, including a JSON response, a file with a
//!   byte-order mark and a response answering a question of every type;
//! - `tests/fixtures/dossiers/<case>/{responses,submissions}/`: the cross-file checks.
//!
//! Every position below was checked by hand against the fixture text: the key for "this
//! key is wrong", the value for "this value is wrong", the `answers:` key for a
//! required question left unanswered (R002 names the question in its message).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use saq_core::source::{self, SourceFile};
use saq_core::structure::SchemaValidator;
use saq_core::validate::FileKind;
use saq_core::Code;
use serde_json::Value;

use crate::util::{fixture, saq};

/// (code, line, column) of one diagnostic, as `saq validate --format json` reports it.
type Expected = (&'static str, usize, usize);

/// File (relative to `tests/fixtures/bad/`) -> every diagnostic it yields, in the order
/// saq prints them (by position).
const FIXTURES: &[(&str, &[Expected])] = &[
    // --- S: source (YAML, encoding, limits) -------------------------------------
    // `value: "partially` never closes its quote: the opening quote.
    ("response_broken_yaml.yaml", &[("S001", 6, 12)]),
    // JSON with a missing comma after `"state": "XAR"`: the next key, just after it.
    ("response_broken_json_missing_comma.json", &[("S001", 4, 3)]),
    // JSON whose outer `{` is never closed: that brace, not the end of the file (line 10
    // does not exist).
    ("response_broken.json", &[("S001", 1, 1)]),
    // A tab as the first character of line 6.
    ("response_tab.yaml", &[("S002", 6, 1)]),
    // `art5.offence` answered twice: the second key.
    ("response_duplicate_answer.yaml", &[("S003", 9, 3)]),
    // `value:` at depth 3 then 70 `[`: the 63rd bracket is at depth 65 (column 12 + 62).
    ("response_too_deep.yaml", &[("S005", 6, 74)]),
    // a..d use 12,344 of saphyr's 100,000-node budget; each `*d` costs 11,111, so the
    // 8th `*d` of line 11 (column 12 + 7 * 4) overflows it.
    ("response_alias_bomb.yaml", &[("S006", 11, 40)]),
    // The Latin-1 byte 0xE9 in `La d\xe9finition`.
    ("response_not_utf8.yaml", &[("S007", 6, 16)]),
    // Zero bytes.
    ("response_empty.yaml", &[("S008", 1, 1)]),
    // The `---` that starts a second document.
    ("response_two_documents.yaml", &[("S009", 7, 1)]),
    // `? [art5.offence, art5.ancillary]`: the flow sequence used as a key.
    ("response_complex_key.yaml", &[("S010", 5, 5)]),
    // `value: .nan` for a number question.
    ("response_nan.yaml", &[("S011", 8, 12)]),
    // --- T: structure (the generated JSON Schema) -------------------------------
    // `art5.offense`: the key, with "did you mean `art5.offence`?".
    ("response_unknown_question.yaml", &[("T001", 5, 3)]),
    // The same in a JSON response: the quoted key.
    ("response_json_unknown_question.json", &[("T001", 7, 5)]),
    // `explanaton`: the key.
    ("response_misspelled_explanation.yaml", &[("T001", 7, 5)]),
    // A submitted, complete response whose `submitted_on` is spelled `submited_on`: the
    // typo, once. R001 (no `submitted_on`) would be the same problem again.
    ("response_misspelled_submitted_on.yaml", &[("T001", 4, 1)]),
    // A submitted response answering `art9.gap` for the required `art9.gaps`: the typo,
    // once. R002 (art9.gaps unanswered) would be the same problem again.
    (
        "response_submitted_misspelled_question.yaml",
        &[("T001", 24, 3)],
    ),
    // `convictons` in a table row: the column key.
    ("response_table_unknown_column.yaml", &[("T001", 7, 60)]),
    // `recomendation` in a comment: the key.
    (
        "submission_misspelled_recommendation.yaml",
        &[("T001", 17, 5)],
    ),
    // No `status`: the start of the file's mapping.
    ("response_missing_status.yaml", &[("T002", 1, 1)]),
    // No `questionnaire`: the start of the file's mapping.
    ("response_missing_questionnaire.yaml", &[("T002", 1, 1)]),
    // An answer with an explanation but no `value`: the answer's key.
    ("response_answer_without_value.yaml", &[("T002", 5, 3)]),
    // A legislation item without `provision`: the start of the item.
    (
        "response_legislation_missing_provision.yaml",
        &[("T002", 9, 9)],
    ),
    // A comment without `body`: the start of the comment.
    ("submission_missing_body.yaml", &[("T002", 20, 5)]),
    // `value: 42` for a text question: the value.
    ("response_number_for_text.yaml", &[("T003", 6, 12)]),
    // `value: True` for a text question: the value.
    ("response_true_for_text.yaml", &[("T003", 6, 12)]),
    // `value: true` for a compliance question: YAML read a boolean, a wrong type.
    ("response_true_for_compliance.yaml", &[("T003", 6, 12)]),
    // `value: [broader, narrower]` for a choice question: a list, a wrong type.
    ("response_list_for_choice.yaml", &[("T003", 8, 12)]),
    // `value:` with nothing after it (null) for a compliance question: a wrong type.
    ("response_value_empty.yaml", &[("T003", 6, 10)]),
    // `value: Penal Code, art. 212` for a legislation question: the value.
    ("response_string_for_legislation.yaml", &[("T003", 8, 12)]),
    // `investigations: twelve` in a table of numbers: the cell.
    ("response_table_cell_wrong_type.yaml", &[("T003", 7, 39)]),
    // `answers:` holding a list: the list.
    ("response_answers_list.yaml", &[("T003", 5, 3)]),
    // `questionnaire: 1.0`: the value.
    ("response_questionnaire_number.yaml", &[("T003", 1, 16)]),
    // `comments:` holding one comment as a mapping: the mapping.
    ("submission_comment_not_a_list.yaml", &[("T003", 14, 3)]),
    // `evidence: { ... }` instead of a list: the mapping.
    ("submission_evidence_not_a_list.yaml", &[("T003", 18, 15)]),
    // `value: partialy`: the value, with "did you mean `partially`?".
    ("response_invalid_compliance.yaml", &[("T004", 6, 12)]),
    // `value: Yes`: the value; the hint suggests `yes`.
    ("response_compliance_capitalized.yaml", &[("T004", 6, 12)]),
    // `value: on` for compliance: `on` is text in YAML 1.2, and not an option.
    ("response_on_for_compliance.yaml", &[("T004", 6, 12)]),
    // `value: wider` for a choice question: the value.
    ("response_invalid_choice.yaml", &[("T004", 8, 12)]),
    // `[research, hotlines]`: the second item.
    ("response_invalid_multi_choice.yaml", &[("T004", 6, 23)]),
    // `kind: trainings` in assistance needs: the value.
    ("response_assistance_kind_invalid.yaml", &[("T004", 7, 15)]),
    // `status: sent`: the value.
    ("response_status_invalid.yaml", &[("T004", 3, 9)]),
    // `stance: disagrees`: the value.
    ("submission_bad_stance.yaml", &[("T004", 15, 13)]),
    // `visibility: private`: the value.
    ("submission_bad_visibility.yaml", &[("T004", 9, 13)]),
    // `attribution: anonymus`: the value.
    ("submission_bad_attribution.yaml", &[("T004", 10, 14)]),
    // `kind: charity`: the value.
    ("submission_bad_contributor_kind.yaml", &[("T004", 5, 9)]),
    // `target: art6.recovry`: the value, with "did you mean `art6.recovery`?".
    ("submission_unknown_target.yaml", &[("T004", 14, 13)]),
    // `target: art99` (an article the protocol does not have): the value.
    (
        "submission_unknown_article_target.yaml",
        &[("T004", 20, 13)],
    ),
    // `state: xar`: the value; the hint suggests `XAR`.
    ("response_state_lowercase.yaml", &[("T005", 2, 8)]),
    // `submitted_on: 2026-02-30`: the value.
    ("response_date_february_30.yaml", &[("T005", 4, 15)]),
    // `submitted_on: 2026-13-01`: the value.
    ("response_date_month_13.yaml", &[("T005", 4, 15)]),
    // `submitted_on: March 5`: the value.
    ("submission_date_in_words.yaml", &[("T005", 12, 15)]),
    // An evidence `date: 2026-02-30` in a flow mapping: the value.
    (
        "submission_evidence_date_february_30.yaml",
        &[("T005", 19, 106)],
    ),
    // A table cell `signed: 14/06/2021` in a date column: the value.
    ("response_table_date_not_iso.yaml", &[("T005", 11, 17)]),
    // A focal point `email: selma.ardent at justice.example`: the value.
    ("response_bad_email.yaml", &[("T005", 6, 10)]),
    // A contributor `contact: coordinator(at)casalumen.example`: the value.
    ("submission_bad_contact_email.yaml", &[("T005", 8, 12)]),
    // A legislation `url: ftp://...`: the value.
    ("response_legislation_url_ftp.yaml", &[("T005", 11, 14)]),
    // An evidence `url: "javascript:..."`: the value.
    (
        "submission_evidence_javascript_url.yaml",
        &[("T005", 19, 55)],
    ),
    // An evidence `url: "ftp://..."`: the value.
    ("submission_evidence_ftp_url.yaml", &[("T005", 19, 55)]),
    // A contributor `website: ftp://...`: the value.
    ("submission_website_ftp.yaml", &[("T005", 7, 12)]),
    // `language: English`: the value.
    ("submission_language_name.yaml", &[("T005", 11, 11)]),
    // `value: -5` for a number question with `min: 0` (smuggling art13.response_days).
    ("response_number_below_min.yaml", &[("T006", 8, 12)]),
    // A case `year: 2150` (cases allow 1900-2100): the value.
    ("response_case_year_out_of_range.yaml", &[("T006", 8, 15)]),
    // `value: ""` for a text question: the value.
    ("response_empty_text.yaml", &[("T006", 6, 12)]),
    // `value: []` for a legislation question: the list.
    ("response_empty_legislation.yaml", &[("T006", 8, 12)]),
    // `comments: []`: the list.
    ("submission_empty_comments.yaml", &[("T006", 13, 11)]),
    // `quote: ""`: the value.
    ("submission_empty_quote.yaml", &[("T006", 15, 12)]),
    // `[research, hotline, research]`: the repeated item.
    ("response_multi_choice_repeated.yaml", &[("T007", 6, 32)]),
    // `answer:` for `answers:`: neither a response, submission nor questionnaire.
    ("unknown_kind.yaml", &[("T008", 1, 1)]),
    // `state: ZZZ` has the form of a code but is no state: the value.
    ("response_unknown_state.yaml", &[("T009", 2, 8)]),
    // `state: ABC`: the value.
    ("submission_unknown_state.yaml", &[("T009", 2, 8)]),
    // A contributor `country: ZZZ`: the value.
    (
        "submission_bad_contributor_country.yaml",
        &[("T009", 6, 12)],
    ),
    // `questionnaire: untoc@9.9`: the value.
    ("response_unknown_version.yaml", &[("T010", 1, 16)]),
    // `questionnaire: untoc` without a version: the value.
    (
        "response_questionnaire_without_version.yaml",
        &[("T010", 1, 16)],
    ),
    // `trafficking@2.0` on line 1 after a byte-order mark, which is not a column.
    ("response_bom_unknown_version.yaml", &[("T010", 1, 16)]),
    // --- R: response rules --------------------------------------------------------
    // `status: submitted` without `submitted_on`: the status key.
    ("response_submitted_without_date.yaml", &[("R001", 3, 1)]),
    // Submitted without the required art9.gaps: the `answers:` key.
    ("response_submitted_incomplete.yaml", &[("R002", 5, 1)]),
    // Submitted, art5.provisions answered although art5.offence and art5.ancillary are
    // both "no": the answer's key (an error).
    (
        "response_hidden_answered_submitted.yaml",
        &[("R003", 12, 3)],
    ),
    // A draft answering art7.conditions although art7.residence is "no": a warning.
    ("response_hidden_answered_draft.yaml", &[("R003", 7, 3)]),
    // Submitted with an `orphans:` section left by a migration: a warning, at the key.
    ("response_orphans_in_submitted.yaml", &[("R004", 35, 1)]),
];

/// Fixtures whose diagnostics are warnings although their code's default severity is
/// error: (fixture, code).
const WARNINGS: &[(&str, &str)] = &[("response_hidden_answered_draft.yaml", "R003")];

/// A dossier diagnostic: (file relative to the dossier, "" for the dossier itself;
/// code; line; column). Line and column are 0 for a diagnostic about the whole dossier.
type DossierExpected = (&'static str, &'static str, usize, usize);

/// Dossier (under `tests/fixtures/dossiers/`) -> every diagnostic of
/// `saq validate <dossier>`, in the order saq prints them.
const DOSSIERS: &[(&str, &[DossierExpected])] = &[
    // Quotes across a line break, of an article, of the whole response; a comment
    // without a quote on an unanswered question.
    ("clean", &[]),
    // The quote is not in the answer to art5.offence: the quote.
    (
        "quote_not_in_answer",
        &[("submissions/casa-lumen.yaml", "C001", 11, 12)],
    ),
    // A quote on art6.safety, which the response does not answer: the quote.
    (
        "quote_on_unanswered",
        &[("submissions/casa-lumen.yaml", "C001", 11, 12)],
    ),
    // A quote on smuggling, and the dossier has only a trafficking response: a warning.
    (
        "quote_without_response",
        &[("submissions/casa-lumen.yaml", "C002", 11, 12)],
    ),
    // A submission on untoc@1.0 targeting art18.languages, removed in untoc@1.1, which
    // the response answers (a warning); its comment on art7.regime is checked against
    // art7.regulatory_regime and matches.
    (
        "removed_target",
        &[("submissions/observatorio.yaml", "C003", 17, 13)],
    ),
    // The other way: a submission on untoc@1.1 targeting art12.non_conviction_based,
    // added in 1.1, with the response on untoc@1.0.
    (
        "added_target",
        &[("submissions/observatorio.yaml", "C003", 17, 13)],
    ),
    // A submission about XBB in XAR's dossier: its state.
    (
        "state_mismatch",
        &[("submissions/casa-lumen.yaml", "D001", 2, 8)],
    ),
    // responses/tip.yaml answers trafficking@1.0: its questionnaire.
    (
        "response_misnamed",
        &[("responses/tip.yaml", "D002", 1, 16)],
    ),
    // responses/trafficking.json and responses/trafficking.yaml: the second one's questionnaire.
    (
        "duplicate_response",
        &[("responses/trafficking.yaml", "D003", 1, 16)],
    ),
    // Only submissions: a warning about the dossier as a whole.
    ("no_responses", &[("", "D004", 0, 0)]),
    // The only response has an invalid value: that error, and nothing else. The dossier
    // does have a response (D004 is false) and it does answer trafficking (C002 is
    // false).
    (
        "broken_response",
        &[("responses/trafficking.yaml", "T004", 6, 12)],
    ),
    // A submission dropped into responses/: one diagnostic saying so, not six about
    // the keys of a response it lacks.
    (
        "submission_in_responses",
        &[("responses/casa-lumen.yaml", "D005", 1, 1)],
    ),
    // The other way: the response in submissions/. Still read as a response, so the
    // dossier has one (no D004), it is not "misnamed" (D002: D005 says where it goes)
    // and the submission's quote is checked against it, and found.
    (
        "response_in_submissions",
        &[("submissions/trafficking.yaml", "D005", 1, 1)],
    ),
];

/// Codes no fixture here can produce, and why.
///
/// - S004 (file too large): needs a file over 16 MiB; `cli_foundation` generates one.
/// - Q001-Q021: they check questionnaire definitions, never responses or submissions
///   (`questionnaires.rs` covers them).
const NOT_COVERABLE_BY_FIXTURES: &[&str] = &["S004"];

/// Fixture -> (code, text its message contains, texts its hints contain, texts that must
/// appear in neither): where the wording is the point.
type MessageCheck = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const MESSAGES: &[MessageCheck] = &[
    (
        "response_unknown_question.yaml",
        "T001",
        "unknown key `art5.offense`",
        &["did you mean `art5.offence`?"],
        &[],
    ),
    (
        "response_json_unknown_question.json",
        "T001",
        "`art5.ancilary`",
        &["did you mean `art5.ancillary`?"],
        &[],
    ),
    (
        "response_misspelled_explanation.yaml",
        "T001",
        "`explanaton`",
        &["did you mean `explanation`?"],
        &[],
    ),
    (
        "response_misspelled_submitted_on.yaml",
        "T001",
        "`submited_on`",
        &["did you mean `submitted_on`?"],
        &[],
    ),
    (
        "response_table_unknown_column.yaml",
        "T001",
        "`convictons`",
        &["did you mean `convictions`?"],
        &[],
    ),
    (
        "response_invalid_compliance.yaml",
        "T004",
        "`partialy`",
        &["did you mean `partially`?", "allowed: yes, partially, no"],
        &[],
    ),
    (
        "response_compliance_capitalized.yaml",
        "T004",
        "`Yes`",
        &["did you mean `yes`?"],
        &[],
    ),
    (
        "response_on_for_compliance.yaml",
        "T004",
        "`on`",
        &["allowed: yes, partially, no"],
        &[],
    ),
    (
        "response_invalid_multi_choice.yaml",
        "T004",
        "`hotlines`",
        &["did you mean `hotline`?"],
        &[],
    ),
    (
        "response_true_for_compliance.yaml",
        "T003",
        "found true/false",
        &["YAML read `true` as true/false", "yes, partially, no"],
        &[],
    ),
    (
        "response_list_for_choice.yaml",
        "T003",
        "found a list",
        &["broader, equivalent, narrower, mixed"],
        &["[\""],
    ),
    (
        "response_value_empty.yaml",
        "T003",
        "found nothing",
        &["the value is missing after the colon"],
        &["`null`"],
    ),
    (
        "response_true_for_text.yaml",
        "T003",
        "expected text, found true/false",
        &["YAML read `True` as true/false"],
        &[],
    ),
    (
        "response_number_for_text.yaml",
        "T003",
        "expected text, found a number",
        &["write it in quotes: \"42\""],
        &[],
    ),
    (
        "response_string_for_legislation.yaml",
        "T003",
        "expected a list, found text",
        &["write a list"],
        &[],
    ),
    (
        "response_state_lowercase.yaml",
        "T005",
        "`xar`",
        &["did you mean `XAR`?"],
        &[],
    ),
    (
        "response_date_february_30.yaml",
        "T005",
        "`2026-02-30` is not a valid date",
        &["a real date written YYYY-MM-DD"],
        &[],
    ),
    (
        "submission_date_in_words.yaml",
        "T005",
        "`March 5` is not a valid date",
        &["YYYY-MM-DD"],
        &[],
    ),
    (
        "submission_evidence_javascript_url.yaml",
        "T005",
        "javascript:",
        &["an http:// or https:// URL"],
        &[],
    ),
    // The questionnaire says `min: 0`, not 0.0.
    (
        "response_number_below_min.yaml",
        "T006",
        "-5 is below the minimum 0",
        &[],
        &["0.0"],
    ),
    (
        "response_multi_choice_repeated.yaml",
        "T007",
        "`research` is listed twice",
        &[],
        &["[\""],
    ),
    (
        "response_broken.json",
        "S001",
        "this `{` is never closed",
        &["`}`"],
        &[],
    ),
    (
        "submission_unknown_target.yaml",
        "T004",
        "`art6.recovry`",
        &["did you mean `art6.recovery`?"],
        &[],
    ),
    (
        "submission_bad_attribution.yaml",
        "T004",
        "`anonymus`",
        &["did you mean `anonymous`?", "allowed: named, anonymous"],
        &[],
    ),
    (
        "response_unknown_state.yaml",
        "T009",
        "`ZZZ` is not an ISO 3166-1 alpha-3 state code",
        &["XAA-XZZ"],
        &[],
    ),
    (
        "response_unknown_version.yaml",
        "T010",
        "has no version 9.9; known: 1.0, 1.1",
        &["saq list"],
        &[],
    ),
    (
        "response_questionnaire_without_version.yaml",
        "T010",
        "`untoc` does not say which version",
        &["untoc@1.1"],
        &[],
    ),
    (
        "response_submitted_without_date.yaml",
        "R001",
        "needs `submitted_on`",
        &["submitted_on: YYYY-MM-DD"],
        &[],
    ),
    // Says which question, and why it applies.
    (
        "response_submitted_incomplete.yaml",
        "R002",
        "required question `art9.gaps` is not answered",
        &["art9.policy in [partially, no] or art9.demand in [partially, no]"],
        &[],
    ),
    // Says which condition fails.
    (
        "response_hidden_answered_submitted.yaml",
        "R003",
        "`art5.provisions` is answered, but its condition does not hold",
        &["show_if: art5.offence in [yes, partially] or art5.ancillary in [yes, partially]"],
        &[],
    ),
    (
        "response_orphans_in_submitted.yaml",
        "R004",
        "1 orphaned answer",
        &["delete `orphans:`"],
        &[],
    ),
    (
        "response_not_utf8.yaml",
        "S007",
        "not valid UTF-8",
        &["UTF-8"],
        &[],
    ),
    (
        "response_tab.yaml",
        "S002",
        "tab in indentation",
        &["spaces"],
        &[],
    ),
];

/// Dossier -> (code, text its message contains, texts its hints contain).
const DOSSIER_MESSAGES: &[(&str, &str, &str, &[&str])] = &[
    (
        "quote_not_in_answer",
        "C001",
        "this passage is not in the government's answer to `art5.offence`",
        &["the answer begins: \u{201c}Trafficking in adults is a crime"],
    ),
    (
        "quote_on_unanswered",
        "C001",
        "does not answer `art6.safety`, so there is nothing to quote",
        &[],
    ),
    (
        "quote_without_response",
        "C002",
        "no smuggling response",
        &[],
    ),
    (
        "removed_target",
        "C003",
        "`art18.languages` does not exist in untoc@1.1",
        &[],
    ),
    (
        "added_target",
        "C003",
        "`art12.non_conviction_based` does not exist in untoc@1.0",
        &[],
    ),
    (
        "state_mismatch",
        "D001",
        "this file is about XBB, the dossier about XAR",
        &[],
    ),
    (
        "response_misnamed",
        "D002",
        "is named tip",
        &["responses/trafficking.yaml"],
    ),
    (
        "duplicate_response",
        "D003",
        "a second response for trafficking",
        &["trafficking.json"],
    ),
    ("no_responses", "D004", "no responses", &[]),
    (
        "submission_in_responses",
        "D005",
        "this is a submission, but it is in responses/",
        &["move it to submissions/"],
    ),
    (
        "response_in_submissions",
        "D005",
        "this is a response, but it is in submissions/",
        &["move it to responses/trafficking.yaml"],
    ),
];

fn bad(name: &str) -> PathBuf {
    fixture("bad").join(name)
}

fn dossier(name: &str) -> PathBuf {
    fixture("dossiers").join(name)
}

/// `saq validate --format json` on some paths: exit status, JSON output, stderr.
fn validate_json(paths: &[&Path]) -> (i32, Value, String) {
    let output = saq()
        .arg("validate")
        .args(paths)
        .args(["--format", "json"])
        .output()
        .expect("saq runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{paths:?}: no JSON ({e}); stderr: {stderr}"));
    (output.status.code().unwrap_or(-1), json, stderr)
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"].as_array().expect("a diagnostics array")
}

fn located(d: &Value) -> (usize, usize) {
    (
        d["line"].as_u64().unwrap_or(0) as usize,
        d["column"].as_u64().unwrap_or(0) as usize,
    )
}

/// What is wrong with one bad fixture's report, if anything.
fn check_fixture(name: &str, expected: &[Expected]) -> Vec<String> {
    let mut failures = Vec::new();
    let (status, json, stderr) = validate_json(&[bad(name).as_path()]);
    if stderr.contains("panicked") {
        failures.push(format!("{name}: saq panicked: {stderr}"));
    }
    let found: Vec<(String, usize, usize)> = diagnostics(&json)
        .iter()
        .map(|d| {
            let (line, column) = located(d);
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                line,
                column,
            )
        })
        .collect();
    let want: Vec<(String, usize, usize)> = expected
        .iter()
        .map(|(c, l, col)| (c.to_string(), *l, *col))
        .collect();
    if found != want {
        failures.push(format!("{name}: expected {want:?}, saq reported {found:?}"));
        return failures;
    }
    let mut errors = false;
    for d in diagnostics(&json) {
        let code = d["code"].as_str().unwrap_or_default();
        let warning = WARNINGS.contains(&(name, code))
            || Code::parse(code).is_some_and(|c| c.severity() == saq_core::Severity::Warning);
        let want = if warning { "warning" } else { "error" };
        errors |= !warning;
        if d["severity"] != want {
            failures.push(format!(
                "{name}: {code} is a {}, expected a {want}",
                d["severity"]
            ));
        }
    }
    let want_status = i32::from(errors);
    if status != want_status {
        failures.push(format!(
            "{name}: exit status {status}, expected {want_status}"
        ));
    }
    failures
}

fn check_messages(
    name: &str,
    json: &Value,
    code: &str,
    message: &str,
    hints: &[&str],
    absent: &[&str],
) -> Vec<String> {
    let mut failures = Vec::new();
    let Some(d) = diagnostics(json).iter().find(|d| d["code"] == code) else {
        return vec![format!("{name}: no {code}")];
    };
    let said = d["message"].as_str().unwrap_or_default();
    if !said.contains(message) {
        failures.push(format!("{name}: message {said:?} lacks {message:?}"));
    }
    let given: Vec<&str> = d["hints"]
        .as_array()
        .map(|h| h.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for hint in hints {
        if !given.iter().any(|g| g.contains(hint)) {
            failures.push(format!("{name}: hints {given:?} lack {hint:?}"));
        }
    }
    for text in absent {
        if said.contains(text) || given.iter().any(|g| g.contains(text)) {
            failures.push(format!(
                "{name}: {said:?} / {given:?} should not say {text:?}"
            ));
        }
    }
    failures
}

fn check_file_messages(check: &MessageCheck) -> Vec<String> {
    let (name, code, message, hints, absent) = *check;
    let (_, json, _) = validate_json(&[bad(name).as_path()]);
    check_messages(name, &json, code, message, hints, absent)
}

/// What is wrong with one dossier's report, if anything.
fn check_dossier(name: &str, expected: &[DossierExpected]) -> Vec<String> {
    let root = dossier(name);
    let (status, json, stderr) = validate_json(&[root.as_path()]);
    let mut failures = Vec::new();
    if stderr.contains("panicked") {
        failures.push(format!("{name}: saq panicked: {stderr}"));
    }
    let prefix = root.display().to_string();
    let found: Vec<(String, String, usize, usize)> = diagnostics(&json)
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or_default();
            let relative = file
                .strip_prefix(&prefix)
                .unwrap_or(file)
                .trim_start_matches(['/', '\\'])
                .replace('\\', "/");
            let (line, column) = located(d);
            (
                relative,
                d["code"].as_str().unwrap_or_default().to_string(),
                line,
                column,
            )
        })
        .collect();
    let want: Vec<(String, String, usize, usize)> = expected
        .iter()
        .map(|(f, c, l, col)| (f.to_string(), c.to_string(), *l, *col))
        .collect();
    if found != want {
        failures.push(format!("{name}: expected {want:?}, saq reported {found:?}"));
    }
    let errors = expected.iter().any(|(_, c, _, _)| {
        Code::parse(c).is_none_or(|c| c.severity() == saq_core::Severity::Error)
    });
    let want_status = i32::from(errors);
    if status != want_status {
        failures.push(format!(
            "{name}: exit status {status}, expected {want_status}"
        ));
    }
    failures
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_bad_fixture_reports_exactly_its_diagnostics() {
    let failures = FIXTURES
        .iter()
        .flat_map(|(name, expected)| check_fixture(name, expected))
        .collect();
    report(failures);
}

#[test]
fn every_dossier_reports_exactly_its_diagnostics() {
    let failures = DOSSIERS
        .iter()
        .flat_map(|(name, expected)| check_dossier(name, expected))
        .collect();
    report(failures);
}

#[test]
fn messages_and_hints_say_what_is_wrong() {
    let mut failures = Vec::new();
    for check in MESSAGES {
        assert!(
            FIXTURES.iter().any(|(f, _)| *f == check.0),
            "{} is not in FIXTURES",
            check.0
        );
        failures.extend(check_file_messages(check));
    }
    for (name, code, message, hints) in DOSSIER_MESSAGES {
        let (_, json, _) = validate_json(&[dossier(name).as_path()]);
        failures.extend(check_messages(name, &json, code, message, hints, &[]));
    }
    report(failures);
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .to_string()
        })
        .collect()
}

fn assert_same_names(what: &str, on_disk: &BTreeSet<String>, names: &[&str]) {
    let mut listed = BTreeSet::new();
    for name in names {
        assert!(listed.insert(name.to_string()), "{name} is listed twice");
    }
    let unlisted: Vec<&String> = on_disk.difference(&listed).collect();
    let missing: Vec<&String> = listed.difference(on_disk).collect();
    assert!(
        unlisted.is_empty(),
        "{what} without expectations: {unlisted:?}"
    );
    assert!(
        missing.is_empty(),
        "expectations without {what}: {missing:?}"
    );
}

#[test]
fn every_fixture_has_expectations() {
    let bad_names: Vec<&str> = FIXTURES.iter().map(|(n, _)| *n).collect();
    let on_disk = names_in(&fixture("bad"));
    assert_same_names("bad fixtures", &on_disk, &bad_names);
    assert!(on_disk.len() >= 45, "only {} bad fixtures", on_disk.len());
    for (name, expected) in FIXTURES {
        // None panics; each gets at least one positioned diagnostic.
        assert!(
            expected
                .iter()
                .any(|(_, line, column)| *line > 0 && *column > 0),
            "{name} expects no positioned diagnostic"
        );
        let response_or_submission =
            name.starts_with("response_") || name.starts_with("submission_");
        assert!(
            response_or_submission || *name == "unknown_kind.yaml",
            "{name}: name it response_* or submission_*"
        );
    }
    let dossier_names: Vec<&str> = DOSSIERS.iter().map(|(n, _)| *n).collect();
    assert_same_names("dossiers", &names_in(&fixture("dossiers")), &dossier_names);
}

#[test]
fn every_source_structure_response_submission_and_dossier_code_is_exercised() {
    let mut exercised: BTreeSet<&str> = FIXTURES
        .iter()
        .flat_map(|(_, ds)| ds.iter().map(|d| d.0))
        .collect();
    exercised.extend(DOSSIERS.iter().flat_map(|(_, ds)| ds.iter().map(|d| d.1)));
    for (name, ds) in FIXTURES {
        for (code, _, _) in *ds {
            assert!(
                Code::parse(code).is_some(),
                "{name}: {code} is not a saq code"
            );
        }
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| matches!(&c[..1], "S" | "T" | "R" | "C" | "D"))
        .filter(|c| !exercised.contains(c) && !NOT_COVERABLE_BY_FIXTURES.contains(c))
        .collect();
    assert!(missing.is_empty(), "no fixture exercises {missing:?}");
}

fn good_files() -> Vec<PathBuf> {
    let dir = fixture("good");
    let mut files: Vec<PathBuf> = names_in(&dir).into_iter().map(|n| dir.join(n)).collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    files
}

#[test]
fn every_good_fixture_validates_cleanly() {
    for path in good_files() {
        let (status, json, stderr) = validate_json(&[path.as_path()]);
        assert_eq!(
            (status, diagnostics(&json).len()),
            (0, 0),
            "{}: {json:#}\n{stderr}",
            path.display()
        );
        let kind = json["files"][0]["kind"].as_str().unwrap_or_default();
        assert!(
            kind == "response" || kind == "submission",
            "{}: detected as {kind:?}",
            path.display()
        );
    }
}

#[test]
fn the_good_fixtures_include_json_a_bom_and_every_question_type() {
    let names: Vec<String> = good_files()
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".json")), "{names:?}");
    let bom = std::fs::read(fixture("good/response_bom.yaml")).expect("readable");
    assert!(bom.starts_with("\u{feff}".as_bytes()));
    // Every type a shipped questionnaire uses, answered in one response.
    let every = read(&fixture("good/smuggling_every_type.yaml"));
    let questionnaire = show("smuggling@1.0");
    let mut types = BTreeSet::new();
    let mut columns = BTreeSet::new();
    for question in questions(&questionnaire) {
        let id = question["id"].as_str().unwrap_or_default();
        if every.value["answers"].get(id).is_some() {
            types.insert(question["type"].as_str().unwrap_or_default().to_string());
            for c in question["columns"].as_array().into_iter().flatten() {
                columns.insert(c["type"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    let all: BTreeSet<String> = [
        "compliance",
        "yes_no",
        "choice",
        "multi_choice",
        "text",
        "number",
        "legislation",
        "cases",
        "table",
        "assistance_needs",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(types, all, "no shipped questionnaire has a `date` question");
    let all_columns: BTreeSet<String> = ["text", "number", "date", "yes_no"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(columns, all_columns);
}

fn show(reference: &str) -> Value {
    let output = saq()
        .args(["show", reference, "--format", "json"])
        .output()
        .expect("saq runs");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("show --format json prints JSON")
}

fn questions(q: &Value) -> Vec<&Value> {
    q["clusters"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["articles"].as_array().into_iter().flatten())
        .flat_map(|a| a["questions"].as_array().into_iter().flatten())
        .collect()
}

fn read(path: &Path) -> source::Document {
    let bytes = std::fs::read(path).expect("readable");
    let file = SourceFile::from_bytes(path, bytes).expect("UTF-8");
    source::parse(&file).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()))
}

/// The compiled schema `saq schema <kind> <reference>` publishes.
fn published_schema(kind: FileKind, reference: &str) -> SchemaValidator {
    let kind = match kind {
        FileKind::Response => "response",
        FileKind::Submission => "submission",
        FileKind::Questionnaire => "questionnaire",
    };
    // Each schema is printed once per test run: saq is run once per (kind, reference).
    static PRINTED: OnceLock<Mutex<HashMap<String, Value>>> = OnceLock::new();
    let key = format!("{kind} {reference}");
    let mut printed = PRINTED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let schema = printed.entry(key).or_insert_with(|| {
        let output = saq()
            .args(["schema", kind, reference])
            .output()
            .expect("saq runs");
        assert!(output.status.success(), "saq schema {kind} {reference}");
        serde_json::from_slice(&output.stdout).expect("the schema is JSON")
    });
    SchemaValidator::new(schema.clone()).expect("the published schema compiles")
}

fn shipped() -> Vec<String> {
    [
        "untoc@1.0",
        "untoc@1.1",
        "trafficking@1.0",
        "smuggling@1.0",
        "firearms@1.0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The schemas a file is checked against: its questionnaire's, or (when it names none
/// usable) every shipped questionnaire's.
fn schemas_for(doc: &source::Document) -> Vec<(String, SchemaValidator)> {
    let kind = FileKind::detect(&doc.value).expect("a response or submission");
    let named = doc.value["questionnaire"].as_str().map(str::to_string);
    let references = match named {
        Some(r) if shipped().contains(&r) => vec![r],
        _ => shipped(),
    };
    references
        .into_iter()
        .map(|r| {
            let v = published_schema(kind, &r);
            (r, v)
        })
        .collect()
}

#[test]
fn published_schemas_accept_every_good_fixture() {
    for path in good_files() {
        let doc = read(&path);
        for (reference, validator) in schemas_for(&doc) {
            assert!(
                validator.is_valid(&doc.value),
                "{}: the {reference} schema rejects it: {:?}",
                path.display(),
                validator.check(&path, &doc)
            );
        }
    }
}

#[test]
fn published_schemas_reject_every_schema_level_bad_fixture() {
    let schema_level =
        |code: &str| matches!(code, "T001" | "T002" | "T003" | "T004" | "T005" | "T006");
    let mut checked = 0;
    for (name, expected) in FIXTURES {
        if !expected.iter().all(|(c, _, _)| schema_level(c)) {
            continue;
        }
        let path = bad(name);
        let doc = read(&path);
        for (reference, validator) in schemas_for(&doc) {
            assert!(
                !validator.is_valid(&doc.value),
                "{name}: the {reference} schema accepts it"
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} schema-level fixtures");
}

/// Layer 1 and layer 2 never report the same problem: a file whose only problems are
/// semantic (a state that does not exist, response rules) passes its schema.
#[test]
fn published_schemas_accept_fixtures_with_only_semantic_problems() {
    let semantic = |code: &str| code == "T009" || code.starts_with('R');
    for (name, expected) in FIXTURES {
        if !expected.iter().all(|(c, _, _)| semantic(c)) {
            continue;
        }
        let doc = read(&bad(name));
        for (reference, validator) in schemas_for(&doc) {
            assert!(
                validator.is_valid(&doc.value),
                "{name}: the {reference} schema rejects it"
            );
        }
    }
}
