//! Responses and submissions for one state, valid by construction.

use std::collections::BTreeMap;

use saq_core::questionnaire::{
    ColumnType, Question, QuestionType, Questionnaire, ASSISTANCE_KINDS,
};
use saq_core::response::{applicability, Answer};
use serde_json::{json, Map, Value};

use crate::prose::{slug, word, World};
use crate::rng::Rng;
use crate::yaml::{quoted, scalar, MarkKind, Writer};

/// How far a government got with a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Submitted: every applicable required question answered, most optional ones too.
    Submitted,
    /// A draft with a part of the applicable questions answered.
    Partial,
    /// A draft with almost nothing in it.
    NearlyEmpty,
}

impl Completion {
    pub fn choose(rng: &mut Rng) -> Completion {
        match rng.weighted(&[55, 30, 15]) {
            0 => Completion::Submitted,
            1 => Completion::Partial,
            _ => Completion::NearlyEmpty,
        }
    }
}

/// A file's text and the lines worth planting errors on.
pub struct Drafted {
    pub text: String,
    pub marks: Vec<crate::yaml::Mark>,
}

/// A generated response: its file and its answers (for quotes).
pub struct GeneratedResponse {
    pub questionnaire: String,
    pub answers: BTreeMap<String, Answer>,
    pub file: Drafted,
}

fn date(rng: &mut Rng, from_year: usize, to_year: usize) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(from_year, to_year),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

fn candidate(rng: &mut Rng, world: &World, q: &Question, rich: bool) -> Answer {
    let paragraphs = |rng: &mut Rng| if rich { rng.range(1, 2) } else { 1 };
    let value = match q.kind {
        QuestionType::Compliance => json!(["yes", "partially", "no"][rng.weighted(&[50, 32, 18])]),
        QuestionType::YesNo => json!(if rng.chance(0.6) { "yes" } else { "no" }),
        QuestionType::Choice => {
            let options: Vec<&str> = q.options.iter().flatten().map(|o| o.id.as_str()).collect();
            json!(rng.pick(&options))
        }
        QuestionType::MultiChoice => {
            let mut options: Vec<&str> =
                q.options.iter().flatten().map(|o| o.id.as_str()).collect();
            rng.shuffle(&mut options);
            let n = rng.range(1, options.len().min(3));
            json!(options[..n])
        }
        QuestionType::Text => {
            let n = paragraphs(rng);
            json!(world.prose(rng, n, false))
        }
        QuestionType::Number => {
            let min = q.min.unwrap_or(0.0).max(0.0) as usize;
            let mut n = rng.range(min, min + 30);
            if let Some(max) = q.max {
                n = n.min(max as usize);
            }
            json!(n)
        }
        QuestionType::Date => json!(date(rng, 1998, 2025)),
        QuestionType::Legislation => {
            let items: Vec<Value> = (0..rng.range(1, 4))
                .map(|_| {
                    let mut m = Map::new();
                    m.insert("title".into(), json!(world.law(rng)));
                    m.insert("provision".into(), json!(world.provision(rng)));
                    if rng.chance(0.8) {
                        m.insert("url".into(), json!(world.url(rng, "laws")));
                    }
                    if rng.chance(0.7) {
                        let n = rng.range(1, 3);
                        m.insert("excerpt".into(), json!(world.line(rng, n)));
                    }
                    Value::Object(m)
                })
                .collect();
            json!(items)
        }
        QuestionType::Cases => {
            let items: Vec<Value> = (0..rng.range(1, 3))
                .map(|_| {
                    let mut m = Map::new();
                    m.insert("title".into(), json!(world.case_title(rng)));
                    if rng.chance(0.9) {
                        m.insert("year".into(), json!(rng.range(2005, 2025)));
                    }
                    if rng.chance(0.8) {
                        m.insert("court".into(), json!(world.court(rng)));
                    }
                    let n = rng.range(2, 4);
                    m.insert("summary".into(), json!(world.line(rng, n)));
                    if rng.chance(0.6) {
                        m.insert("url".into(), json!(world.url(rng, "courts")));
                    }
                    Value::Object(m)
                })
                .collect();
            json!(items)
        }
        QuestionType::Table => {
            let columns = q.columns.clone().unwrap_or_default();
            let first_year = rng.range(2015, 2021);
            let rows: Vec<Value> = (0..rng.range(1, 5))
                .map(|r| {
                    let mut m = Map::new();
                    for c in &columns {
                        if !m.is_empty() && rng.chance(0.08) {
                            continue; // a cell left empty
                        }
                        let cell = match c.kind {
                            ColumnType::Number if c.id == "year" => json!(first_year + r),
                            ColumnType::Number => json!(rng.range(0, 400)),
                            ColumnType::Text => json!(world.institution(rng)),
                            ColumnType::Date => json!(date(rng, 2005, 2025)),
                            ColumnType::YesNo => json!(if rng.chance(0.5) { "yes" } else { "no" }),
                        };
                        m.insert(c.id.clone(), cell);
                    }
                    Value::Object(m)
                })
                .collect();
            json!(rows)
        }
        QuestionType::AssistanceNeeds => {
            let mut kinds = ASSISTANCE_KINDS.to_vec();
            rng.shuffle(&mut kinds);
            let items: Vec<Value> = kinds[..rng.range(1, 3)]
                .iter()
                .map(|k| {
                    let mut m = Map::new();
                    m.insert("kind".into(), json!(k));
                    if rng.chance(0.8) {
                        let n = rng.range(1, 2);
                        m.insert("detail".into(), json!(world.line(rng, n)));
                    }
                    Value::Object(m)
                })
                .collect();
            json!(items)
        }
    };
    let explain = match q.kind {
        QuestionType::Text => false,
        QuestionType::Compliance | QuestionType::Choice => {
            rng.chance(if rich { 0.85 } else { 0.5 })
        }
        _ => rng.chance(if rich { 0.45 } else { 0.2 }),
    };
    let explanation = explain.then(|| {
        let n = paragraphs(rng);
        world.prose(rng, n, false)
    });
    Answer { value, explanation }
}

/// Chooses which questions a response answers: candidates for the `selected` ones,
/// kept only where their `show_if` holds given the answers kept, to a fixpoint
/// (conditions only look at earlier questions, so it is reached quickly).
fn settle(q: &Questionnaire, mut candidates: BTreeMap<String, Answer>) -> BTreeMap<String, Answer> {
    for _ in 0..64 {
        let hidden: Vec<String> = applicability(q, &candidates)
            .into_iter()
            .filter(|a| !a.applies && candidates.contains_key(&a.question.id))
            .map(|a| a.question.id.clone())
            .collect();
        if hidden.is_empty() {
            return candidates;
        }
        // Drop only the first hidden answer per round: dropping it may make a later one apply.
        candidates.remove(&hidden[0]);
    }
    // Fall back to a full pass per drop (never needed with the shipped questionnaires).
    loop {
        let hidden = applicability(q, &candidates)
            .into_iter()
            .find(|a| !a.applies && candidates.contains_key(&a.question.id))
            .map(|a| a.question.id.clone());
        match hidden {
            Some(id) => {
                candidates.remove(&id);
            }
            None => return candidates,
        }
    }
}

pub fn response(
    rng: &mut Rng,
    world: &World,
    q: &Questionnaire,
    completion: Completion,
    full: bool,
) -> GeneratedResponse {
    let completion = if full {
        Completion::Submitted
    } else {
        completion
    };
    let rich = completion == Completion::Submitted;
    let questions: Vec<&Question> = q.questions().map(|(_, _, x)| x).collect();
    let mut candidates = BTreeMap::new();
    match completion {
        Completion::Submitted => {
            for x in &questions {
                if x.required || rng.chance(0.85) {
                    candidates.insert(x.id.clone(), candidate(rng, world, x, rich));
                }
            }
        }
        Completion::Partial => {
            // Governments fill questionnaires roughly in order: a prefix, with gaps.
            let reach = rng.range(questions.len() / 4, questions.len());
            for x in &questions[..reach] {
                if rng.chance(0.75) {
                    candidates.insert(x.id.clone(), candidate(rng, world, x, rich));
                }
            }
        }
        Completion::NearlyEmpty => {
            for x in questions
                .iter()
                .filter(|x| x.show_if.is_none())
                .take(rng.range(0, 4))
            {
                candidates.insert(x.id.clone(), candidate(rng, world, x, rich));
            }
        }
    }
    let answers = settle(q, candidates);
    let file = write_response(rng, world, q, completion, &answers);
    GeneratedResponse {
        questionnaire: q.reference(),
        answers,
        file,
    }
}

fn write_response(
    rng: &mut Rng,
    world: &World,
    q: &Questionnaire,
    completion: Completion,
    answers: &BTreeMap<String, Answer>,
) -> Drafted {
    let mut w = Writer::default();
    w.field(0, "questionnaire", &q.reference());
    w.field(0, "state", &world.code);
    let submitted = completion == Completion::Submitted;
    w.field(0, "status", if submitted { "submitted" } else { "draft" });
    if submitted {
        let d = format!("2026-{:02}-{:02}", rng.range(1, 3), rng.range(1, 28));
        let at = w.line(0, &format!("submitted_on: {d}"));
        w.mark(at, MarkKind::Date { token: d });
    }
    w.line(0, "focal_point:");
    w.field(2, "name", &world.person(rng));
    let at = w.field(
        2,
        "institution",
        &format!("{} of {}", world.institution(rng), world.name),
    );
    w.mark(
        at,
        MarkKind::OptionalKey {
            key: "institution".into(),
        },
    );
    w.field(2, "email", &format!("focal.point@justice.{}", world.domain));
    if answers.is_empty() {
        w.line(0, "answers: {}");
        return w.drafted();
    }
    w.line(0, "answers:");
    let mut cluster = 0;
    for (c, _, x) in q.questions() {
        let Some(answer) = answers.get(&x.id) else {
            continue;
        };
        if c.number != cluster {
            cluster = c.number;
            w.line(2, &format!("# {} cluster {cluster}", "-".repeat(60)));
        }
        let at = w.line(2, &format!("{}:", x.id));
        w.mark(at, MarkKind::Indented);
        write_value(&mut w, x, &answer.value);
        if let Some(e) = &answer.explanation {
            w.block(4, "explanation", e);
        }
    }
    w.drafted()
}

fn write_value(w: &mut Writer, x: &Question, value: &Value) {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match x.kind {
        QuestionType::Compliance | QuestionType::YesNo | QuestionType::Choice => {
            let token = scalar(&text(value));
            let at = w.line(4, &format!("value: {token}"));
            w.mark(at, MarkKind::Enum { token });
        }
        QuestionType::Number => {
            let token = value.to_string();
            let at = w.line(4, &format!("value: {token}"));
            if x.min == Some(0.0) {
                w.mark(
                    at,
                    MarkKind::Bounded {
                        key: "value".into(),
                        token,
                    },
                );
            }
        }
        QuestionType::Date => {
            let token = text(value);
            let at = w.line(4, &format!("value: {token}"));
            w.mark(at, MarkKind::Date { token });
        }
        QuestionType::Text => {
            w.block(4, "value", &text(value));
        }
        QuestionType::MultiChoice => {
            let items: Vec<String> = value
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| scalar(&text(v)))
                .collect();
            w.line(4, &format!("value: [{}]", items.join(", ")));
        }
        QuestionType::Table => {
            w.line(4, "value:");
            for row in value.as_array().into_iter().flatten() {
                let cells: Vec<String> = row
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| match v {
                        Value::String(s) if s.len() == 10 && s.as_bytes()[4] == b'-' => {
                            format!("{k}: {s}")
                        }
                        Value::String(s) => format!("{k}: {}", quoted(s)),
                        other => format!("{k}: {other}"),
                    })
                    .collect();
                w.line(6, &format!("- {{ {} }}", cells.join(", ")));
            }
        }
        QuestionType::Legislation | QuestionType::Cases | QuestionType::AssistanceNeeds => {
            w.line(4, "value:");
            for item in value.as_array().into_iter().flatten() {
                let mut first = true;
                for (k, v) in item.as_object().into_iter().flatten() {
                    let prefix = if first { "- " } else { "  " };
                    first = false;
                    let rendered = match v {
                        Value::String(s) => scalar(s),
                        other => other.to_string(),
                    };
                    let at = w.line(6, &format!("{prefix}{k}: {rendered}"));
                    if k == "year" {
                        w.mark(
                            at,
                            MarkKind::Bounded {
                                key: "year".into(),
                                token: rendered,
                            },
                        );
                    }
                }
            }
        }
    }
}

/// What a submission can quote: per question id, the answer's passages.
fn passages(answer: &Answer) -> Vec<String> {
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
            Value::Object(map) => map.values().for_each(|i| strings(i, out)),
            _ => {}
        }
    }
    let mut out: Vec<String> = answer.explanation.iter().cloned().collect();
    strings(&answer.value, &mut out);
    out
}

/// A passage of 4 to 12 words from `text`, free of Markdown markup.
fn quote_from(rng: &mut Rng, text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 5 {
        return None;
    }
    for _ in 0..6 {
        let len = rng.range(4, 12.min(words.len()));
        let start = rng.below(words.len() - len + 1);
        let slice = &words[start..start + len];
        if slice
            .iter()
            .all(|w| !w.contains(['*', '[', ']', '(', ')', '-', '#', '"', '\\']))
        {
            return Some(slice.join(" "));
        }
    }
    None
}

const KINDS: [&str; 4] = ["ngo", "academia", "private_sector", "other"];
const LANGUAGES: [&str; 6] = ["en", "en", "es", "fr", "ar", "ru"];

pub struct GeneratedSubmission {
    pub name: String,
    pub file: Drafted,
}

pub fn submission(
    rng: &mut Rng,
    world: &World,
    q: &Questionnaire,
    response: &GeneratedResponse,
    taken: &mut Vec<String>,
) -> GeneratedSubmission {
    let kind = KINDS[rng.weighted(&[55, 20, 15, 10])];
    let org = world.organization(rng, kind);
    let mut name = slug(&org);
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{}-{n}", slug(&org));
        n += 1;
    }
    taken.push(name.clone());
    let site = slug(&org).split('-').take(3).collect::<Vec<_>>().join("");

    let mut w = Writer::default();
    w.field(0, "questionnaire", &q.reference());
    w.field(0, "state", &world.code);
    w.line(0, "contributor:");
    let at = w.field(2, "name", &org);
    w.mark(at, MarkKind::Indented);
    let at = w.field(2, "kind", kind);
    w.mark(
        at,
        MarkKind::Enum {
            token: kind.to_string(),
        },
    );
    if rng.chance(0.8) {
        let country = if rng.chance(0.8) {
            world.code.clone()
        } else {
            let letter = |rng: &mut Rng| char::from(b'A' + rng.below(26) as u8);
            format!("X{}{}", letter(rng), letter(rng))
        };
        w.field(2, "country", &country);
    }
    if rng.chance(0.8) {
        let at = w.field(2, "website", &format!("https://{site}.example"));
        w.mark(
            at,
            MarkKind::OptionalKey {
                key: "website".into(),
            },
        );
    }
    if rng.chance(0.9) {
        w.field(2, "contact", &format!("info@{site}.example"));
    }
    let visibility = ["public", "reviewers", "secretariat"][rng.weighted(&[50, 35, 15])];
    let at = w.field(0, "visibility", visibility);
    w.mark(
        at,
        MarkKind::Enum {
            token: visibility.into(),
        },
    );
    w.field(
        0,
        "attribution",
        if rng.chance(0.75) {
            "named"
        } else {
            "anonymous"
        },
    );
    w.field(0, "language", LANGUAGES[rng.below(LANGUAGES.len())]);
    let d = format!("2026-{:02}-{:02}", rng.range(3, 6), rng.range(1, 28));
    let at = w.line(0, &format!("submitted_on: {d}"));
    w.mark(at, MarkKind::Date { token: d });
    w.line(0, "comments:");

    let questions: Vec<&Question> = q.questions().map(|(_, _, x)| x).collect();
    let answered: Vec<(&String, &Answer)> = response.answers.iter().collect();
    let articles: Vec<String> = q.articles().map(|(_, a)| a.id()).collect();
    let instrument = q.id.clone();
    for _ in 0..rng.range(5, 40) {
        // (target, passages it may quote)
        let (target, quotable): (String, Vec<String>) = match rng.weighted(&[55, 15, 15, 15]) {
            0 if !answered.is_empty() => {
                let (id, a) = *rng.pick(&answered);
                (id.clone(), passages(a))
            }
            1 | 0 => (rng.pick(&questions).id.clone(), Vec::new()),
            2 => {
                let article = rng.pick(&articles).clone();
                let prefix = format!("{article}.");
                let quotable = answered
                    .iter()
                    .filter(|(id, _)| id.starts_with(&prefix))
                    .flat_map(|(_, a)| passages(a))
                    .collect();
                (article, quotable)
            }
            _ => (
                "general".to_string(),
                answered
                    .iter()
                    .take(3)
                    .flat_map(|(_, a)| passages(a))
                    .collect(),
            ),
        };
        w.line(2, &format!("- target: {target}"));
        let quote = if !quotable.is_empty() && rng.chance(0.6) {
            let passage = rng.pick(&quotable).clone();
            quote_from(rng, &passage)
        } else {
            None
        };
        if let Some(quote) = &quote {
            let at = w.line(4, &format!("quote: {}", quoted(quote)));
            w.mark(
                at,
                MarkKind::Quote {
                    instrument: instrument.clone(),
                },
            );
        }
        let stance = ["supports", "contests", "complements"][rng.weighted(&[25, 45, 30])];
        let at = w.line(4, &format!("stance: {stance}"));
        w.mark(
            at,
            MarkKind::Enum {
                token: stance.into(),
            },
        );
        let n = rng.range(1, 2);
        let body = world.prose(rng, n, true);
        w.block(4, "body", &body);
        if rng.chance(0.6) {
            let at = w.field(4, "recommendation", &world.recommendation(rng));
            w.mark(
                at,
                MarkKind::OptionalKey {
                    key: "recommendation".into(),
                },
            );
        }
        let evidence = rng.range(0, 3);
        if evidence > 0 {
            w.line(4, "evidence:");
            for _ in 0..evidence {
                let title = format!(
                    "{} report on {}",
                    world.organization(rng, kind),
                    word(rng, 2)
                );
                let d = date(rng, 2020, 2025);
                if rng.chance(0.5) {
                    let at = w.line(
                        6,
                        &format!(
                            "- {{ title: {}, url: {}, date: {d}, publisher: {} }}",
                            quoted(&title),
                            quoted(&world.url(rng, "reports")),
                            quoted(&org)
                        ),
                    );
                    w.mark(at, MarkKind::Date { token: d });
                } else {
                    w.line(6, &format!("- title: {}", scalar(&title)));
                    if rng.chance(0.8) {
                        w.field(8, "url", &world.url(rng, "reports"));
                    }
                    let at = w.line(8, &format!("date: {d}"));
                    w.mark(at, MarkKind::Date { token: d });
                }
            }
        }
    }
    GeneratedSubmission {
        name,
        file: w.drafted(),
    }
}
