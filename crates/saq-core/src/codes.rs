//! The registry of diagnostic codes: the one place every code is defined and explained.
//!
//! Codes are a contract. Scripts match on them and users search for them, so a code
//! is never reused or renumbered; a retired code stays here, explained as retired.
//! The letter says which layer found the problem: `S` source (YAML, encoding,
//! limits), `T` structure (the file's JSON Schema), `Q` questionnaire definitions,
//! `R` responses, `C` submissions (contributions), `D` dossiers (cross-file).
//! `saq explain CODE` prints the explanation; a test checks every code has one and
//! is exercised by a fixture.

use serde::{Serialize, Serializer};

use crate::diagnostic::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $summary:literal, $explanation:literal; )*) => {
        /// A stable diagnostic code. See the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $summary] $variant, )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code as users see it, e.g. `Q004`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// The severity a diagnostic with this code has unless a check says otherwise.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// One line saying what is wrong.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            /// What the rule is, why it exists, and how to fix a file that breaks it.
            pub fn explanation(self) -> &'static str {
                match self { $( Code::$variant => $explanation, )* }
            }

            /// Looks a code up by its text, case-insensitively.
            pub fn parse(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
            }
        }
    };
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    YamlSyntax = "S001", Error, "The file is not valid YAML.",
        "The YAML parser could not read the file. The position points where the parser gave up; the \
         real mistake is often just before it (an unclosed quote or bracket, a line indented one space too \
         far, a `key: value` with a colon inside an unquoted value). Quote values that contain `: ` or `#`.";
    TabIndentation = "S002", Error, "A line is indented with a tab.",
        "YAML forbids tabs in indentation, and editors show them at different widths, which hides the \
         real structure of the file. Replace every tab at the start of a line with spaces (saq uses two \
         spaces per level in the files it writes).";
    DuplicateKey = "S003", Error, "A mapping has the same key twice.",
        "A key may appear only once in a mapping. Other YAML readers silently keep the last value, so a \
         duplicate usually means an answer that was overwritten by mistake. Remove or merge one of them.";
    FileTooLarge = "S004", Error, "The file is larger than saq reads.",
        "saq refuses files above 16 MiB. No questionnaire, response or submission comes near that size, \
         so a larger file is almost always the wrong file (an export, an archive) or a hostile one.";
    TooDeep = "S005", Error, "The file nests too deeply.",
        "Mappings and sequences may nest at most 64 levels. saq's formats need fewer than ten; deeper \
         nesting only appears in broken or hostile files, and refusing it keeps saq from running out of stack.";
    AliasExpansion = "S006", Error, "Anchors and aliases expand to too many nodes.",
        "YAML aliases (`*name`) repeat an anchored node; nested aliases can make a small file expand to \
         billions of nodes (a 'billion laughs' file). saq stops expanding at a fixed node budget. Write the \
         content out instead of using aliases.";
    NotUtf8 = "S007", Error, "The file is not UTF-8 text.",
        "saq reads UTF-8 only. The position is the first byte that is not UTF-8. Re-save the file as \
         UTF-8 in your editor; if it is not a text file at all, it is probably the wrong file.";
    EmptyFile = "S008", Error, "The file is empty.",
        "The file has no YAML content (only whitespace or comments). Start from `saq new response` or \
         `saq new submission`, which write a skeleton to fill in.";
    MultipleDocuments = "S009", Error, "The file holds more than one YAML document.",
        "Each saq file is a single YAML document. A line with `---` started a second one; put each \
         response or submission in its own file.";
    ComplexKey = "S010", Error, "A mapping key is not a plain value.",
        "Keys must be strings (numbers and other plain scalars are read as their text). A sequence or \
         mapping used as a key (`? [a, b]`) has no meaning in saq's formats.";
    NonFiniteNumber = "S011", Error, "A number is infinite or not a number.",
        "`.inf`, `-.inf` and `.nan` are valid YAML but no answer or setting can use them. Write a finite \
         number, or quote the value if you meant text.";
    UnknownKey = "T001", Error, "A key is not part of the format.",
        "Every key saq reads is defined in DESIGN.md and in the file's JSON Schema (`saq schema`). An \
         unknown key is usually a typo, and ignoring it would silently lose what it holds. The hint suggests \
         the closest known key.";
    MissingKey = "T002", Error, "A required key is missing.",
        "The mapping lacks a key the format requires. Add it; `saq schema` shows every key and \
         `saq new` writes files with all required keys in place.";
    WrongType = "T003", Error, "A value has the wrong type.",
        "The value is, say, a number where text is expected, or a single value where a list is expected. \
         YAML reads `yes`, `no` and `on` as text, and `1.0` as a number: quote a version like `\"1.0\"`.";
    InvalidValue = "T004", Error, "A value is not one of the allowed values.",
        "The key accepts a fixed set of values (an enumeration). The hint lists them, and suggests the \
         closest one when the value looks like a typo.";
    InvalidFormat = "T005", Error, "A value does not have the required form.",
        "The value must match a pattern or a format: a date as YYYY-MM-DD (and a real date), a URL \
         starting with http:// or https://, an e-mail address, a question id like `art5.offence`, a state \
         code of three capital letters.";
    OutOfRange = "T006", Error, "A value or list is outside its allowed range.",
        "A number is below `min` or above `max`, a list has fewer items than it needs, or a text is \
         empty where content is required.";
    SchemaViolation = "T007", Error, "The file does not match its schema.",
        "A structural rule of the file's JSON Schema failed that has no more specific code. The message \
         says which rule; `saq schema` prints the schema.";
    UnknownFileKind = "T008", Error, "saq cannot tell what kind of file this is.",
        "saq recognizes a questionnaire by its `clusters` key, a response by `answers` and a submission \
         by `contributor` or `comments`. A file with none of them is not one of saq's formats.";
    UnknownState = "T009", Error, "A state code is not a known ISO 3166-1 alpha-3 code.",
        "States are named by their ISO 3166-1 alpha-3 code (MEX, KEN, FRA). Fictional states in examples \
         and tests use the user-assigned range XAA to XZZ (the demo state Arcadia is XAR).";
    UnknownQuestionnaire = "T010", Error, "The file names a questionnaire saq does not know.",
        "`questionnaire:` must name a questionnaire version saq has, as `id@version` (see `saq list`). \
         Without it saq cannot know which questions the file may answer or comment on.";
    SubmittedWithoutDate = "R001", Error, "A submitted response has no `submitted_on` date.",
        "A response with `status: submitted` records the day it was submitted. Add \
         `submitted_on: YYYY-MM-DD`, or set `status: draft` while work goes on.";
    RequiredUnanswered = "R002", Error, "A submitted response leaves a required question unanswered.",
        "Before a response can be submitted, every required question that applies (whose `show_if` holds, \
         given the other answers) needs an answer. `saq progress` lists what is missing. Drafts may be incomplete.";
    AnsweredButHidden = "R003", Error, "A question is answered although its condition does not hold.",
        "The question only applies when its `show_if` holds, and given the other answers it does not, so the \
         answer would never be shown to reviewers. Remove the answer, or change the answer that the condition \
         depends on. In a draft this is a warning; in a submitted response, an error.";
    OrphansInSubmitted = "R004", Warning, "A submitted response still carries orphaned answers.",
        "`saq migrate` keeps answers that no longer fit the new questionnaire version under `orphans:` so \
         nothing is lost. Move what is still useful into the current questions, then delete the section.";
    QuoteNotFound = "C001", Error, "A comment quotes text that is not in the government's answer.",
        "`quote` must be an exact passage of the government's answer to the targeted question (its \
         explanation or text value), compared with whitespace collapsed. A quote that does not match cannot be \
         highlighted and may misrepresent the answer; copy the passage again from the response.";
    QuoteUnchecked = "C002", Warning, "A comment's quote cannot be checked.",
        "The dossier holds no response for this submission's instrument, so saq cannot confirm the quoted \
         passage. Add the response to the dossier, or check the quote by hand.";
    TargetNotInResponseVersion = "C003", Warning, "A comment targets a question the response's version no longer has.",
        "The submission was written against another version of the questionnaire than the dossier's \
         response, and its target was removed between the two. The comment is kept as a general comment in packs.";
    StateMismatch = "D001", Error, "A file in the dossier is about another state.",
        "A dossier holds one state's responses and the submissions about that state. This file names a \
         different state; move it to that state's dossier or correct `state:`.";
    ResponseMisnamed = "D002", Error, "A response file is not named after its instrument.",
        "Responses live at `<dossier>/responses/<instrument>.yaml` (untoc.yaml, trafficking.yaml, ...), so \
         each instrument has one obvious file. Rename the file to match its `questionnaire:`.";
    DuplicateResponse = "D003", Error, "A dossier holds two responses for one instrument.",
        "Each instrument has one response per dossier. Merge the two files, or migrate the older one.";
    EmptyDossier = "D004", Warning, "A dossier has no responses.",
        "Without the government's responses a pack can only show stakeholder comments, and quotes cannot \
         be checked. Add `responses/<instrument>.yaml`.";
    WrongFolder = "D005", Error, "A file is in the wrong folder of a dossier.",
        "A dossier keeps the government's responses in `responses/` and stakeholders' submissions in \
         `submissions/`. saq tells the two apart by their content (a response has `answers`, a submission \
         `contributor` and `comments`), and this file is the other kind. It is still checked as what it is, \
         so its own problems are reported, but the dossier's naming and quote checks and its packs rely on \
         the folders: move a response to `responses/<instrument>.yaml` and a submission to `submissions/`. \
         A questionnaire definition belongs in neither; keep it in the folder given to `--questionnaires`.";
    DuplicateQuestionId = "Q001", Error, "Two questions have the same id.",
        "Question ids are unique within a questionnaire and stable across versions: responses, \
         submissions and conditions refer to them. Rename one of the two.";
    IdArticleMismatch = "Q002", Error, "A question id does not start with its article.",
        "Question ids have the form `art<N>.<name>` where `<N>` is the number of the article the \
         question belongs to, so an id says where it lives and comment targets like `art5` work.";
    ConditionSyntax = "Q003", Error, "A `show_if` condition cannot be parsed.",
        "Conditions use `==`, `!=`, `in [..]`, `not in [..]`, `answered`, `and`, `or`, `not` and \
         parentheses, e.g. `art5.offence in [yes, partially]`. The position points at the token that \
         could not be read.";
    ConditionUnknownQuestion = "Q004", Error, "A condition refers to a question that does not exist.",
        "Every id in a `show_if` must be a question of the same questionnaire. The hint suggests the \
         closest existing id.";
    ConditionLaterQuestion = "Q005", Error, "A condition refers to the question itself or a later one.",
        "A condition may only depend on questions that come earlier in the questionnaire, so a \
         respondent always answers the trigger first and conditions can never form a cycle.";
    ConditionInvalidValue = "Q006", Error, "A condition compares a question with a value it cannot have.",
        "The value must be one the referenced question can take: `yes`, `partially` or `no` for \
         compliance, `yes` or `no` for yes_no, an option id for choice questions, a number for number \
         questions. A misspelled value would make the condition silently never hold.";
    MissingOptions = "Q007", Error, "A choice question has no options.",
        "`choice` and `multi_choice` questions need a non-empty `options` list of `{ id, label }`.";
    DuplicateOption = "Q008", Error, "Two options of a question have the same id.",
        "Option ids are what answers store, so they must be unique within a question.";
    MissingColumns = "Q009", Error, "A table question has no columns.",
        "`table` questions need a non-empty `columns` list of `{ id, label, type }`.";
    DuplicateColumn = "Q010", Error, "Two columns of a table have the same id.",
        "Column ids key the cells of every row, so they must be unique within a table.";
    MinAboveMax = "Q011", Error, "A number question's `min` is above its `max`.",
        "No answer could satisfy the question. Swap or correct the bounds.";
    MissingEnglish = "Q012", Error, "A localized text has no English version.",
        "English is the fallback for every language, so every localized text must carry `en`.";
    MissingTranslation = "Q013", Error, "A text lacks a language the questionnaire claims to carry.",
        "`languages` lists the translations a version carries in full. Each listed language must be \
         present in every localized text, or be removed from `languages`.";
    DuplicateCluster = "Q014", Error, "A cluster number appears twice or out of order.",
        "Clusters are numbered 1 to 4 and listed once each, in ascending order.";
    DuplicateArticle = "Q015", Error, "An article appears twice in the questionnaire.",
        "Each article of the instrument belongs to one cluster and appears once.";
    ChangeUnknownId = "Q016", Error, "A `changes` entry names an id the previous version does not have.",
        "`renamed` and `removed` refer to question ids of the previous version of the questionnaire. \
         Migration relies on them, so each must exist there.";
    ChangeTargetMissing = "Q017", Error, "A rename points to an id this version does not have.",
        "The `to` of a `renamed` entry must be a question of this version, and a renamed or removed id \
         must no longer exist in it.";
    PathMismatch = "Q018", Error, "The questionnaire's id or version does not match its path.",
        "Questionnaires live at `questionnaires/<id>/<version>.yaml`, and the `id` and `version` inside \
         must match, so `id@version` always names one file.";
    KeyNotForType = "Q019", Error, "A question has a key its type does not use.",
        "`options` belongs to choice questions, `columns` to tables, `min`/`max`/`unit` to numbers. On any \
         other type the key would be ignored, which usually means the `type` is wrong.";
    ChangesWithoutPrevious = "Q020", Error, "A questionnaire has `changes` but no previous version.",
        "`changes` describes the step from the previous version. The first version of a questionnaire \
         has none; remove the key or add the previous version.";
    EmptySection = "Q021", Warning, "A cluster or article has no questions or articles.",
        "An empty section renders as an empty heading in every pack. Add content or remove it.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} is defined twice");
            assert_eq!(text.len(), 4, "{text}");
            assert!(
                "STQRCD".contains(&text[..1]),
                "{text} has an unknown layer letter"
            );
            assert!(text[1..].chars().all(|c| c.is_ascii_digit()), "{text}");
            assert!(
                code.explanation().len() > 40,
                "{text} needs a real explanation"
            );
            assert_eq!(Code::parse(&text.to_lowercase()), Some(*code));
        }
    }
}
