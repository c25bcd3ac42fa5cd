//! Definition checks: what makes a questionnaire well-formed beyond its schema.
//!
//! These run after the JSON Schema layer accepted the file, so every field has the
//! right type; they look across fields (ids unique, conditions referring only to
//! earlier questions and to values those questions can take, translations complete,
//! version changes consistent). All problems are collected; none stops the others.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::codes::Code;
use crate::condition::{self, LiteralValue};
use crate::diagnostic::{did_you_mean, Diagnostic, Position, Span};
use crate::source::{Document, SourceFile};
use crate::text::{Text, FALLBACK_LANGUAGE};

use super::model::{Change, Question, QuestionType, Questionnaire};

/// What the checks need besides the questionnaire itself.
pub struct CheckContext<'a> {
    pub source: &'a SourceFile,
    pub doc: &'a Document,
    /// The version before this one, if saq knows it (for `changes`).
    pub previous: Option<&'a Questionnaire>,
}

/// Every definition problem of `q`.
pub fn check(q: &Questionnaire, cx: &CheckContext<'_>) -> Vec<Diagnostic> {
    let mut checker = Checker {
        cx,
        out: Vec::new(),
        file: &cx.source.path,
    };
    checker.path(q);
    checker.texts(q);
    checker.structure(q);
    checker.questions(q);
    checker.changes(q);
    checker.out
}

struct Checker<'a> {
    cx: &'a CheckContext<'a>,
    file: &'a Path,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    fn span(&self, pointer: &str) -> Option<Span> {
        self.cx.doc.span(pointer)
    }

    /// `questionnaires/<id>/<version>.yaml` must agree with the file's `id` and `version`.
    /// Files not named like a version (a draft elsewhere) are not held to the layout.
    fn path(&mut self, q: &Questionnaire) {
        let path = self.file;
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            return;
        };
        if !stem
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
        {
            return;
        }
        if stem != q.version {
            let d = Diagnostic::new(
                Code::PathMismatch,
                self.file,
                format!("version \"{}\" is in a file named {stem}.yaml", q.version),
            )
            .at_opt(self.span("/version"))
            .hint(format!(
                "rename the file to {}.yaml or set `version: \"{stem}\"`",
                q.version
            ));
            self.push(d);
        }
        let dir = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str());
        if let Some(dir) = dir {
            if dir != q.id {
                let d = Diagnostic::new(
                    Code::PathMismatch,
                    self.file,
                    format!("questionnaire `{}` is in a folder named `{dir}`", q.id),
                )
                .at_opt(self.span("/id"))
                .hint(format!(
                    "move it to questionnaires/{}/{}.yaml",
                    q.id, q.version
                ));
                self.push(d);
            }
        }
    }

    fn texts(&mut self, q: &Questionnaire) {
        let languages: Vec<&str> = q
            .languages
            .iter()
            .map(|l| l.0.as_str())
            .filter(|l| *l != FALLBACK_LANGUAGE)
            .collect();
        let mut texts: Vec<(String, &Text)> = vec![
            ("/instrument".into(), &q.instrument),
            ("/title".into(), &q.title),
        ];
        for (ci, c) in q.clusters.iter().enumerate() {
            let cp = format!("/clusters/{ci}");
            texts.push((format!("{cp}/title"), &c.title));
            for (ai, a) in c.articles.iter().enumerate() {
                let ap = format!("{cp}/articles/{ai}");
                texts.push((format!("{ap}/title"), &a.title));
                for (qi, question) in a.questions.iter().enumerate() {
                    let qp = format!("{ap}/questions/{qi}");
                    texts.push((format!("{qp}/prompt"), &question.prompt));
                    if let Some(g) = &question.guidance {
                        texts.push((format!("{qp}/guidance"), g));
                    }
                    if let Some(u) = &question.unit {
                        texts.push((format!("{qp}/unit"), u));
                    }
                    for (oi, o) in question.options.iter().flatten().enumerate() {
                        texts.push((format!("{qp}/options/{oi}/label"), &o.label));
                    }
                    for (ki, col) in question.columns.iter().flatten().enumerate() {
                        texts.push((format!("{qp}/columns/{ki}/label"), &col.label));
                    }
                }
            }
        }
        for (pointer, text) in texts {
            let have = text.languages();
            if !have.contains(&FALLBACK_LANGUAGE) {
                let d = Diagnostic::new(
                    Code::MissingEnglish,
                    self.file,
                    "this text has no English (`en`) version",
                )
                .at_opt(self.cx.doc.key_span(&pointer))
                .hint("add `en:`; English is what every other language falls back to");
                self.push(d);
            }
            let missing: Vec<&str> = languages
                .iter()
                .copied()
                .filter(|l| !have.contains(l))
                .collect();
            if !missing.is_empty() {
                let d = Diagnostic::new(
                    Code::MissingTranslation,
                    self.file,
                    format!(
                        "this text lacks {} listed in `languages`",
                        missing.join(", ")
                    ),
                )
                .at_opt(self.cx.doc.key_span(&pointer))
                .hint("add the translation, or remove the language from `languages`");
                self.push(d);
            }
        }
    }

    fn structure(&mut self, q: &Questionnaire) {
        let mut last_cluster = 0;
        let mut articles: HashMap<&str, usize> = HashMap::new();
        for (ci, c) in q.clusters.iter().enumerate() {
            let cp = format!("/clusters/{ci}");
            if c.number <= last_cluster {
                let d = Diagnostic::new(
                    Code::DuplicateCluster,
                    self.file,
                    format!("cluster {} comes after cluster {last_cluster}", c.number),
                )
                .at_opt(self.span(&format!("{cp}/number")))
                .hint("list clusters once each, in ascending order");
                self.push(d);
            }
            last_cluster = last_cluster.max(c.number);
            if c.articles.is_empty() {
                let d = Diagnostic::new(
                    Code::EmptySection,
                    self.file,
                    format!("cluster {} has no articles", c.number),
                )
                .at_opt(self.cx.doc.key_span(&format!("{cp}/articles")));
                self.push(d);
            }
            for (ai, a) in c.articles.iter().enumerate() {
                let ap = format!("{cp}/articles/{ai}");
                if let Some(first) = articles.insert(&a.article, c.number.into()) {
                    let d = Diagnostic::new(
                        Code::DuplicateArticle,
                        self.file,
                        format!("article {} appears twice", a.article),
                    )
                    .at_opt(self.span(&format!("{ap}/article")))
                    .hint(format!("it is already in cluster {first}"));
                    self.push(d);
                }
                if a.questions.is_empty() {
                    let d = Diagnostic::new(
                        Code::EmptySection,
                        self.file,
                        format!("article {} has no questions", a.article),
                    )
                    .at_opt(self.cx.doc.key_span(&format!("{ap}/questions")));
                    self.push(d);
                }
            }
        }
    }

    fn questions(&mut self, q: &Questionnaire) {
        // id -> (position in questionnaire order, question)
        let mut seen: HashMap<&str, (usize, &Question)> = HashMap::new();
        let all_ids: Vec<&str> = q.questions().map(|(_, _, q)| q.id.as_str()).collect();
        let mut index = 0;
        for (ci, c) in q.clusters.iter().enumerate() {
            for (ai, a) in c.articles.iter().enumerate() {
                for (qi, question) in a.questions.iter().enumerate() {
                    let qp = format!("/clusters/{ci}/articles/{ai}/questions/{qi}");
                    let prefix = format!("art{}.", a.article);
                    if !question.id.starts_with(&prefix) {
                        let d = Diagnostic::new(
                            Code::IdArticleMismatch,
                            self.file,
                            format!("question `{}` is in article {}", question.id, a.article),
                        )
                        .at_opt(self.span(&format!("{qp}/id")))
                        .hint(format!("ids in this article start with `{prefix}`"));
                        self.push(d);
                    }
                    if seen.contains_key(question.id.as_str()) {
                        let d = Diagnostic::new(
                            Code::DuplicateQuestionId,
                            self.file,
                            format!("question id `{}` is used twice", question.id),
                        )
                        .at_opt(self.span(&format!("{qp}/id")))
                        .hint("question ids must be unique in a questionnaire");
                        self.push(d);
                    } else {
                        seen.insert(&question.id, (index, question));
                    }
                    self.question_keys(question, &qp);
                    if let Some(show_if) = &question.show_if {
                        self.condition(show_if, &format!("{qp}/show_if"), index, &seen, &all_ids);
                    }
                    index += 1;
                }
            }
        }
    }

    fn question_keys(&mut self, question: &Question, qp: &str) {
        let is_choice = matches!(
            question.kind,
            QuestionType::Choice | QuestionType::MultiChoice
        );
        let misplaced: [(&str, bool, bool); 5] = [
            ("options", question.options.is_some(), is_choice),
            (
                "columns",
                question.columns.is_some(),
                question.kind == QuestionType::Table,
            ),
            (
                "min",
                question.min.is_some(),
                question.kind == QuestionType::Number,
            ),
            (
                "max",
                question.max.is_some(),
                question.kind == QuestionType::Number,
            ),
            (
                "unit",
                question.unit.is_some(),
                question.kind == QuestionType::Number,
            ),
        ];
        for (key, present, fits) in misplaced {
            if present && !fits {
                let d = Diagnostic::new(
                    Code::KeyNotForType,
                    self.file,
                    format!(
                        "`{key}` has no meaning on a {} question",
                        question.kind.as_str()
                    ),
                )
                .at_opt(self.cx.doc.key_span(&format!("{qp}/{key}")))
                .hint("remove it, or correct the question's `type`");
                self.push(d);
            }
        }
        if is_choice {
            match &question.options {
                Some(options) if !options.is_empty() => {
                    let mut ids = HashSet::new();
                    for (oi, o) in options.iter().enumerate() {
                        if !ids.insert(o.id.as_str()) {
                            let d = Diagnostic::new(
                                Code::DuplicateOption,
                                self.file,
                                format!("option `{}` appears twice", o.id),
                            )
                            .at_opt(self.span(&format!("{qp}/options/{oi}/id")));
                            self.push(d);
                        }
                    }
                }
                _ => {
                    let d = Diagnostic::new(
                        Code::MissingOptions,
                        self.file,
                        format!(
                            "{} question `{}` has no options",
                            question.kind.as_str(),
                            question.id
                        ),
                    )
                    .at_opt(self.cx.doc.key_span(&format!("{qp}/type")))
                    .hint("add `options: [{ id: ..., label: ... }, ...]`");
                    self.push(d);
                }
            }
        }
        if question.kind == QuestionType::Table {
            match &question.columns {
                Some(columns) if !columns.is_empty() => {
                    let mut ids = HashSet::new();
                    for (ki, col) in columns.iter().enumerate() {
                        if !ids.insert(col.id.as_str()) {
                            let d = Diagnostic::new(
                                Code::DuplicateColumn,
                                self.file,
                                format!("column `{}` appears twice", col.id),
                            )
                            .at_opt(self.span(&format!("{qp}/columns/{ki}/id")));
                            self.push(d);
                        }
                    }
                }
                _ => {
                    let d = Diagnostic::new(
                        Code::MissingColumns,
                        self.file,
                        format!("table question `{}` has no columns", question.id),
                    )
                    .at_opt(self.cx.doc.key_span(&format!("{qp}/type")))
                    .hint("add `columns: [{ id: year, label: Year, type: number }, ...]`");
                    self.push(d);
                }
            }
        }
        if let (Some(min), Some(max)) = (question.min, question.max) {
            if min > max {
                let d = Diagnostic::new(
                    Code::MinAboveMax,
                    self.file,
                    format!("`min` {min} is above `max` {max}"),
                )
                .at_opt(self.span(&format!("{qp}/min")));
                self.push(d);
            }
        }
    }

    fn condition(
        &mut self,
        source: &str,
        pointer: &str,
        index: usize,
        seen: &HashMap<&str, (usize, &Question)>,
        all_ids: &[&str],
    ) {
        let scalar = self.span(pointer);
        // Locating walks the file from the scalar's line: only for a problem found.
        let locate = |offset: usize, len: usize| {
            scalar.map(|span| locate_in_scalar(self.cx.source, span, source, offset, len))
        };
        let parsed = match condition::parse(source) {
            Ok(c) => c,
            Err(e) => {
                let d = Diagnostic::new(Code::ConditionSyntax, self.file, e.message.clone())
                    .at_opt(locate(e.offset, e.len))
                    .hint_opt(e.hint.clone());
                self.push(d);
                return;
            }
        };
        let mut found = Vec::new();
        for (ident, literals) in parsed.comparisons() {
            let at = || locate(ident.offset, ident.len);
            let Some((position, target)) = seen.get(ident.name.as_str()) else {
                let d = if all_ids.contains(&ident.name.as_str()) {
                    Diagnostic::new(
                        Code::ConditionLaterQuestion,
                        self.file,
                        format!("`{}` comes later in the questionnaire", ident.name),
                    )
                    .hint("a condition may only depend on questions asked before it")
                } else {
                    Diagnostic::new(
                        Code::ConditionUnknownQuestion,
                        self.file,
                        format!("no question has the id `{}`", ident.name),
                    )
                    .hint_opt(
                        did_you_mean(&ident.name, all_ids.iter().copied())
                            .map(|b| format!("did you mean `{b}`?")),
                    )
                };
                found.push(d.at_opt(at()));
                continue;
            };
            if *position >= index {
                found.push(
                    Diagnostic::new(
                        Code::ConditionLaterQuestion,
                        self.file,
                        format!("the condition refers to its own question `{}`", ident.name),
                    )
                    .at_opt(at())
                    .hint("a condition may only depend on questions asked before it"),
                );
                continue;
            }
            for literal in literals {
                let problem = match (&literal.value, target.allowed_values(), target.kind) {
                    (LiteralValue::Word(w), Some(allowed), _) if !allowed.contains(&w.as_str()) => {
                        Some((
                            format!("`{}` ({}) cannot be `{w}`", target.id, target.kind.as_str()),
                            match did_you_mean(w, allowed.iter().copied()) {
                                Some(b) => {
                                    format!("did you mean `{b}`? allowed: {}", allowed.join(", "))
                                }
                                None => format!("allowed: {}", allowed.join(", ")),
                            },
                        ))
                    }
                    (LiteralValue::Number(_), Some(allowed), _) => Some((
                        format!(
                            "`{}` ({}) is never a number",
                            target.id,
                            target.kind.as_str()
                        ),
                        format!("allowed: {}", allowed.join(", ")),
                    )),
                    (LiteralValue::Word(w), None, QuestionType::Number) => Some((
                        format!(
                            "`{}` is a number question; `{w}` is not a number",
                            target.id
                        ),
                        "compare it with a number".to_string(),
                    )),
                    (_, None, kind) if kind != QuestionType::Number => Some((
                        format!(
                            "`{}` is a {} question and cannot be compared with a value",
                            target.id,
                            kind.as_str()
                        ),
                        format!("use `{} answered`", target.id),
                    )),
                    _ => None,
                };
                if let Some((message, hint)) = problem {
                    found.push(
                        Diagnostic::new(Code::ConditionInvalidValue, self.file, message)
                            .at_opt(locate(literal.offset, literal.len))
                            .hint(hint),
                    );
                }
            }
        }
        self.out.extend(found);
    }

    fn changes(&mut self, q: &Questionnaire) {
        if q.changes.is_empty() {
            return;
        }
        let Some(previous) = self.cx.previous else {
            let d = Diagnostic::new(Code::ChangesWithoutPrevious, self.file, format!("`changes` describes the step from a version before {}, but saq knows none", q.version))
                .at_opt(self.cx.doc.key_span("/changes"))
                .hint("remove `changes` from a first version, or add the previous version beside this one");
            self.push(d);
            return;
        };
        let current: HashSet<&str> = q.questions().map(|(_, _, q)| q.id.as_str()).collect();
        let old: Vec<&str> = previous
            .questions()
            .map(|(_, _, q)| q.id.as_str())
            .collect();
        for (i, change) in q.changes.iter().enumerate() {
            let cp = format!("/changes/{i}");
            let (old_id, key) = match change {
                Change::Renamed { renamed, .. } => (renamed, "renamed"),
                Change::Removed { removed } => (removed, "removed"),
            };
            if !old.contains(&old_id.as_str()) {
                let d = Diagnostic::new(
                    Code::ChangeUnknownId,
                    self.file,
                    format!("{} has no question `{old_id}`", previous.reference()),
                )
                .at_opt(self.span(&format!("{cp}/{key}")))
                .hint_opt(
                    did_you_mean(old_id, old.iter().copied())
                        .map(|b| format!("did you mean `{b}`?")),
                );
                self.push(d);
            }
            if current.contains(old_id.as_str()) {
                let d = Diagnostic::new(
                    Code::ChangeTargetMissing,
                    self.file,
                    format!("`{old_id}` is {key} but this version still has it"),
                )
                .at_opt(self.span(&format!("{cp}/{key}")));
                self.push(d);
            }
            if let Change::Renamed { to, .. } = change {
                if !current.contains(to.as_str()) {
                    let d = Diagnostic::new(
                        Code::ChangeTargetMissing,
                        self.file,
                        format!("this version has no question `{to}`"),
                    )
                    .at_opt(self.span(&format!("{cp}/to")))
                    .hint_opt(
                        did_you_mean(to, current.iter().copied())
                            .map(|b| format!("did you mean `{b}`?")),
                    );
                    self.push(d);
                }
            }
        }
    }
}

/// Where bytes `offset..offset + len` of a scalar's value are in the file, given the
/// span of the scalar (`value` is what YAML read from it).
///
/// The value differs from what the file holds: quotes are dropped, the lines of a plain,
/// quoted or folded (`>`) scalar are joined with spaces, a literal (`|`) scalar keeps
/// its line breaks, and a block scalar (whose span starts at its first content line,
/// after the `|` or `>` line) loses its indentation. Only whitespace and quoting change,
/// though: every other character of the value is in the file, in the same order. So the
/// value and the file are walked together, skipping whitespace and quotes in the file,
/// and each character of the value is found where the file has it. A character the walk
/// cannot find (one written as an escape, such as `\u00e9`) stops it, and the problem is
/// located at the whole scalar instead.
fn locate_in_scalar(
    source: &SourceFile,
    scalar: Span,
    value: &str,
    offset: usize,
    len: usize,
) -> Span {
    let bytes = source.byte_range(scalar);
    let mut file = source.text[bytes].chars().peekable();
    let quote = match file.peek() {
        Some(&q @ ('"' | '\'')) => Some(q),
        _ => None,
    };
    let mut at = scalar.start;
    let step = |c: char, at: &mut Position| {
        if c == '\n' {
            *at = Position {
                line: at.line + 1,
                column: 1,
            };
        } else {
            at.column += 1;
        }
    };
    if let Some(q) = quote {
        file.next();
        step(q, &mut at);
    }
    let end = offset.saturating_add(len);
    // Where the token starts, and just after its last character found so far.
    let mut first: Option<Position> = None;
    let mut after: Option<Position> = None;
    'value: for (index, c) in value.char_indices() {
        if index >= end.max(offset + 1) {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        loop {
            let Some(f) = file.next() else {
                return scalar;
            };
            let here = at;
            step(f, &mut at);
            if f == c {
                if index >= offset {
                    first.get_or_insert(here);
                }
                after = Some(at);
                continue 'value;
            }
            let skippable = match f {
                ' ' | '\t' | '\r' | '\n' => true,
                _ if Some(f) == quote => true,
                // A double-quoted line ending in `\` continues on the next line; `\"`
                // and `\\` stand for the character after the backslash.
                '\\' if quote == Some('"') => match file.peek() {
                    Some('\n' | '\r') => true,
                    Some(&next) => next == c,
                    None => false,
                },
                _ => false,
            };
            if !skippable {
                return scalar;
            }
        }
    }
    match (first, after) {
        (Some(first), Some(after)) => Span::new(first, after),
        // The token is the end of the condition (or only whitespace): point just after
        // the last character before it.
        (None, Some(after)) => Span::on_line(after.line, after.column, 1),
        _ => scalar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where `locate_in_scalar` puts the `nth` occurrence of `token` in the value of `c`
    /// (the end of the value when `token` is empty): (line, column, end line, end column).
    fn locate(yaml: &str, token: &str, nth: usize) -> (usize, usize, usize, usize) {
        let source = SourceFile {
            path: "t.yaml".into(),
            text: yaml.into(),
        };
        let doc = crate::source::parse(&source).expect("valid YAML");
        let value = doc.value["c"].as_str().expect("a string");
        let offset = if token.is_empty() {
            value.len()
        } else {
            value
                .match_indices(token)
                .nth(nth)
                .expect("the token is in the value")
                .0
        };
        let span = locate_in_scalar(&source, doc.span("/c").unwrap(), value, offset, token.len());
        (
            span.start.line,
            span.start.column,
            span.end.line,
            span.end.column,
        )
    }

    #[test]
    fn tokens_are_located_in_one_line_scalars() {
        assert_eq!(locate("c: a == b\n", "b", 0), (1, 9, 1, 10));
        assert_eq!(locate("c: \"a = b\"\n", "=", 0), (1, 7, 1, 8));
        assert_eq!(locate("c: 'it''s = x'\n", "=", 0), (1, 11, 1, 12));
        assert_eq!(
            locate("c: \"say \\\"hi\\\" = x\"\n", "=", 0),
            (1, 16, 1, 17)
        );
        assert_eq!(locate("c: a in [sí, no]\n", "no", 0), (1, 14, 1, 16));
        // The end of the condition: just after its last character.
        assert_eq!(locate("c: a ==\n", "", 0), (1, 8, 1, 9));
        assert_eq!(locate("c: 'a ==' # why\n", "", 0), (1, 9, 1, 10));
        // On line 1 after a byte-order mark.
        assert_eq!(locate("\u{feff}c: a = b\n", "=", 0), (1, 6, 1, 7));
    }

    #[test]
    fn tokens_are_located_in_block_scalars() {
        let folded = "c: >\n  a in [x, y]\n  and and\nd: 1\n";
        assert_eq!(locate(folded, "and", 1), (3, 7, 3, 10));
        let literal = "c: |\n  a and\n  and b\n";
        assert_eq!(locate(literal, "and", 1), (3, 3, 3, 6));
        // Indentation indicator, comment on the header, leading blank line, a
        // more-indented line and a blank line (which folding keeps as a line break).
        let indented = "c: >2 # note\n\n    a ==\n     x\n\n   or ==\n";
        assert_eq!(locate(indented, "or", 0), (6, 4, 6, 6));
        assert_eq!(locate(indented, "x", 0), (4, 6, 4, 7));
        // The end of a folded condition is after its last character, not on the next line.
        assert_eq!(locate(folded, "", 0), (3, 10, 3, 11));
        // A token that continues on the next line is underlined across both.
        assert_eq!(locate("c: >\n  a in [x,\n  y\n", "[x, y", 0), (2, 8, 3, 4));
        // Under a sequence item, as show_if sits in a question.
        let nested = "q:\n  - c: x\n    d: 1\nc: |-\n    art5.x in [yes]\n    or or\n";
        assert_eq!(locate(nested, "or", 1), (6, 8, 6, 10));
    }

    #[test]
    fn tokens_are_located_in_multi_line_flow_scalars() {
        let plain = "c: a in [x,\n  y] and\n\n  and\n";
        assert_eq!(locate(plain, "and", 1), (4, 3, 4, 6));
        let double = "c: \"a in [x,\n  y] \\\n  and and\"\n";
        assert_eq!(locate(double, "and", 1), (3, 7, 3, 10));
        let single = "c: 'a in\n    [x] and and'\n";
        assert_eq!(locate(single, "and", 1), (2, 13, 2, 16));
    }

    #[test]
    fn an_escape_before_the_token_falls_back_to_the_scalar() {
        assert_eq!(locate("c: \"caf\\u00e9 ==\"\n", "==", 0), (1, 4, 1, 18));
        // Before the escape, tokens are still found.
        assert_eq!(locate("c: \"a = \\u00e9\"\n", "=", 0), (1, 7, 1, 8));
    }
}
