//! Pack assembly: from a validated dossier and an audience to the pack model, with
//! the confidentiality rules of DESIGN.md applied here and nowhere else.
//!
//! 1. A submission is shown only when the audience may read its `visibility`.
//! 2. Anonymous contributors are "Contributor N (kind)" in every audience but the
//!    secretariat; their name, website and country are never copied into the model.
//! 3. Contact addresses and the focal point's e-mail are never copied into the model.
//! 4. Every count, summary, index and date is computed from what the pack shows.
//! 5. All prose goes through `markdown`, which strips raw HTML and unsafe links.
//!
//! Templates receive only the model, so a template bug can mis-arrange what the
//! audience may see but cannot reveal what it may not.

use std::collections::{BTreeMap, HashMap};

use saq_core::dossier::Dossier;
use saq_core::migrate::map_id;
use saq_core::questionnaire::{Catalog, Question as CoreQuestion, QuestionType, Questionnaire};
use saq_core::response::{
    applicability, is_answered, Answer as CoreAnswer, LoadedResponse, Status,
};
use saq_core::submission::{Attribution, Audience, LoadedSubmission, Target};
use saq_core::Text;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::i18n;
use crate::markdown::{highlighted_in, prose_in, Halves, Highlight};
use crate::model::*;
use crate::render::Format;

/// What to put in a pack.
#[derive(Debug, Clone)]
pub struct PackOptions {
    pub audience: Audience,
    pub lang: String,
    /// Only these instruments (questionnaire ids); empty means all.
    pub instruments: Vec<String>,
    /// Only these clusters; empty means all.
    pub clusters: Vec<u8>,
    /// The cover date; `None` takes the newest date among the inputs shown.
    pub date: Option<String>,
}

/// The canonical order of instruments in a pack: the Convention, then its Protocols.
const INSTRUMENT_ORDER: [&str; 4] = ["untoc", "trafficking", "smuggling", "firearms"];

/// A submission the audience may read, with the name this pack gives its contributor.
struct Shown<'d> {
    index: usize,
    loaded: &'d LoadedSubmission,
    label: String,
    anchor: String,
    /// Whether the pack may show the contributor's identity.
    identified: bool,
}

/// The placed comments of one instrument by target, in the order they were placed.
/// Each target is taken once: a catalog only holds questionnaires whose article
/// numbers and question ids are unique.
type Placed = HashMap<Target, Vec<Comment>>;

/// The pack model with every prose field in both HTML and Markdown, as JSON packs
/// carry it. Use [`assemble_for`] when the format is known: it renders half as much.
pub fn assemble(catalog: &Catalog, dossier: &Dossier, options: &PackOptions) -> Pack {
    assemble_in(catalog, dossier, options, Halves::Both)
}

/// The pack model for rendering in `format`: prose is rendered only in the half that
/// format's template uses (`Prose.html` for HTML, `Prose.md` for Markdown, both for
/// JSON), the other half is left empty. Everything else is as [`assemble`] makes it.
pub fn assemble_for(
    catalog: &Catalog,
    dossier: &Dossier,
    options: &PackOptions,
    format: Format,
) -> Pack {
    let halves = match format {
        Format::Html => Halves::Html,
        Format::Markdown => Halves::Markdown,
        Format::Json => Halves::Both,
    };
    assemble_in(catalog, dossier, options, halves)
}

fn assemble_in(
    catalog: &Catalog,
    dossier: &Dossier,
    options: &PackOptions,
    halves: Halves,
) -> Pack {
    let labels = i18n::labels(&options.lang);
    let label = |key: &str| labels.get(key).cloned().unwrap_or_else(|| key.to_string());
    let wanted = |instrument: &str| {
        options.instruments.is_empty() || options.instruments.iter().any(|i| i == instrument)
    };
    let wanted_cluster = |n: u8| options.clusters.is_empty() || options.clusters.contains(&n);

    // Rule 1 (and the instrument filter): the submissions this audience may read.
    let mut anonymous_count = 0;
    let readable: Vec<Shown<'_>> = dossier
        .submissions
        .iter()
        .filter(|s| options.audience.may_read(s.submission.visibility))
        .filter(|s| wanted(instrument_of(&s.submission.questionnaire)))
        .enumerate()
        .map(|(index, s)| {
            let kind_label = label(&format!("kind_{}", s.submission.contributor.kind.as_str()));
            let anonymous = s.submission.attribution == Attribution::Anonymous;
            // Rule 2: numbered only among the anonymous submissions this pack shows.
            let (label_text, identified) = if anonymous {
                anonymous_count += 1;
                let number = format!("{} {anonymous_count} ({kind_label})", label("contributor"));
                if options.audience == Audience::Secretariat {
                    (
                        format!("{} [{number}]", s.submission.contributor.name),
                        true,
                    )
                } else {
                    (number, false)
                }
            } else {
                (s.submission.contributor.name.clone(), true)
            };
            Shown {
                index,
                loaded: s,
                label: label_text,
                anchor: format!("contributor-{}", index + 1),
                identified,
            }
        })
        .collect();

    // Instruments: those with a response, and those only stakeholders wrote about.
    let mut instruments: Vec<(String, &Questionnaire, Option<&LoadedResponse>)> = Vec::new();
    for r in &dossier.responses {
        let Ok(q) = catalog.get(&r.response.questionnaire) else {
            continue;
        };
        if wanted(&q.id) && !instruments.iter().any(|(id, _, _)| *id == q.id) {
            instruments.push((q.id.clone(), q, Some(r)));
        }
    }
    for s in &readable {
        let Ok(q) = catalog.get(&s.loaded.submission.questionnaire) else {
            continue;
        };
        if !instruments.iter().any(|(id, _, _)| *id == q.id) {
            instruments.push((q.id.clone(), q, None));
        }
    }
    instruments.sort_by_key(|(id, _, _)| {
        (
            INSTRUMENT_ORDER
                .iter()
                .position(|i| i == id)
                .unwrap_or(usize::MAX),
            id.clone(),
        )
    });

    // Place every readable comment at its target in the questionnaire version shown.
    let mut placed: HashMap<String, Placed> = HashMap::new();
    // Comments placed, per readable submission.
    let mut placed_of = vec![0usize; readable.len()];
    let mut placed_count = 0usize;
    for s in &readable {
        let sub = &s.loaded.submission;
        let Some((_, shown_q, _)) = instruments
            .iter()
            .find(|(id, _, _)| id == instrument_of(&sub.questionnaire))
        else {
            continue;
        };
        let written_q = catalog.get(&sub.questionnaire).ok();
        for (ci, c) in sub.comments.iter().enumerate() {
            let target = match (Target::parse(&c.target), written_q) {
                (Target::Question(id), Some(from)) => match map_id(catalog, &id, from, shown_q) {
                    Some(mapped) => Target::Question(mapped),
                    None => Target::General,
                },
                (t, _) => t,
            };
            let in_cluster = match &target {
                Target::General => true,
                Target::Article(n) => shown_q
                    .articles()
                    .any(|(cl, a)| a.article == *n && wanted_cluster(cl.number)),
                Target::Question(id) => shown_q
                    .questions()
                    .any(|(cl, _, q)| q.id == *id && wanted_cluster(cl.number)),
            };
            if !in_cluster {
                continue;
            }
            let anchor = format!("c-{}-{}", s.index + 1, ci + 1);
            let comment = Comment {
                quote_anchor: None,
                contributor: s.label.clone(),
                contributor_anchor: s.anchor.clone(),
                kind: sub.contributor.kind.as_str().to_string(),
                stance: c.stance.as_str().to_string(),
                stance_label: label(&format!("stance_{}", c.stance.as_str())),
                language: sub.language.clone(),
                quote: c.quote.clone(),
                body: prose_in(&c.body, halves),
                recommendation: c.recommendation.as_deref().map(|r| prose_in(r, halves)),
                evidence: c
                    .evidence
                    .iter()
                    .map(|e| Evidence {
                        title: e.title.clone(),
                        url: e.url.clone().filter(|u| is_http(u)),
                        date: e.date.clone(),
                        publisher: e.publisher.clone(),
                    })
                    .collect(),
                submitted_on: sub.submitted_on.clone(),
                anchor,
            };
            placed
                .entry(shown_q.id.clone())
                .or_default()
                .entry(target)
                .or_default()
                .push(comment);
            placed_of[s.index] += 1;
            placed_count += 1;
        }
    }

    // Rule 4: a submission counts as shown only if at least one of its comments is.
    let shown: Vec<&Shown<'_>> = readable.iter().filter(|s| placed_of[s.index] > 0).collect();

    let mut summary = Summary {
        submissions: shown.len(),
        comments: placed_count,
        ..Summary::default()
    };
    let mut points = Vec::new();
    let mut assistance: BTreeMap<String, AssistanceCount> = BTreeMap::new();
    let mut contested: Vec<(usize, usize, Contested)> = Vec::new();
    let mut sections = Vec::new();
    let mut order = 0usize;

    for (id, q, response) in &instruments {
        let empty = BTreeMap::new();
        let answers = response.map_or(&empty, |r| &r.response.answers);
        let applies: HashMap<&str, bool> = applicability(q, answers)
            .into_iter()
            .map(|a| (a.question.id.as_str(), a.applies))
            .collect();
        // Each target's comments are moved, not copied, into the one place they go.
        let mut placed = placed.remove(id.as_str()).unwrap_or_default();
        let mut take = |target: Target| placed.remove(&target).unwrap_or_default();
        let mut compliance = ComplianceCount {
            instrument: id.clone(),
            yes: 0,
            partially: 0,
            no: 0,
            unanswered: 0,
        };
        let mut clusters = Vec::new();
        for cluster in q.clusters.iter().filter(|c| wanted_cluster(c.number)) {
            let mut completion = Completion {
                instrument: id.clone(),
                cluster: cluster.number,
                title: resolve(&cluster.title, &options.lang).0,
                required_answered: 0,
                required_applicable: 0,
                optional_answered: 0,
                optional_applicable: 0,
                percent: 100,
            };
            let mut articles = Vec::new();
            for article in &cluster.articles {
                let article_comments = take(Target::Article(article.article.clone()));
                let mut questions = Vec::new();
                for question in &article.questions {
                    order += 1;
                    let anchor = question_anchor(id, &question.id);
                    let applies = applies.get(question.id.as_str()).copied().unwrap_or(true);
                    let answer = answers.get(&question.id).filter(|a| is_answered(&a.value));
                    let mut comments = take(Target::Question(question.id.clone()));
                    let rendered = answer.map(|a| {
                        render_answer(question, a, &mut comments, &labels, &options.lang, halves)
                    });
                    let (prompt, prompt_fallback) = resolve(&question.prompt, &options.lang);

                    if applies {
                        let counter = if question.required {
                            (
                                &mut completion.required_applicable,
                                &mut completion.required_answered,
                            )
                        } else {
                            (
                                &mut completion.optional_applicable,
                                &mut completion.optional_answered,
                            )
                        };
                        *counter.0 += 1;
                        *counter.1 += usize::from(answer.is_some());
                    }
                    let mut point = |kind: &str| {
                        points.push(Point {
                            kind: kind.to_string(),
                            label: label(&format!("point_{kind}")),
                            instrument: id.clone(),
                            question: question.id.clone(),
                            anchor: anchor.clone(),
                            prompt: short(&prompt),
                        })
                    };
                    if applies && question.required && answer.is_none() && response.is_some() {
                        point("unanswered");
                    }
                    if question.kind == QuestionType::Compliance && applies {
                        match answer.and_then(|a| a.value.as_str()) {
                            Some("yes") => compliance.yes += 1,
                            Some("partially") => {
                                compliance.partially += 1;
                                point("partially");
                            }
                            Some("no") => {
                                compliance.no += 1;
                                point("no");
                            }
                            _ => compliance.unanswered += 1,
                        }
                    }
                    let contests = comments.iter().filter(|c| c.stance == "contests").count();
                    if contests > 0 {
                        point("contested");
                        contested.push((
                            contests,
                            order,
                            Contested {
                                instrument: id.clone(),
                                question: question.id.clone(),
                                anchor: anchor.clone(),
                                prompt: short(&prompt),
                                contests,
                            },
                        ));
                    }
                    if question.kind == QuestionType::AssistanceNeeds && applies {
                        if let Some(items) = answer.and_then(|a| a.value.as_array()) {
                            point("assistance");
                            for item in items {
                                let kind = item
                                    .get("kind")
                                    .and_then(Json::as_str)
                                    .unwrap_or("other")
                                    .to_string();
                                let entry = assistance.entry(kind.clone()).or_insert_with(|| {
                                    AssistanceCount {
                                        label: label(&format!("assist_{kind}")),
                                        kind,
                                        count: 0,
                                        questions: Vec::new(),
                                    }
                                });
                                entry.count += 1;
                                if !entry.questions.iter().any(|r| r.anchor == anchor) {
                                    entry.questions.push(QuestionRef {
                                        instrument: id.clone(),
                                        id: question.id.clone(),
                                        anchor: anchor.clone(),
                                    });
                                }
                            }
                        }
                    }
                    questions.push(Question {
                        id: question.id.clone(),
                        anchor,
                        kind: question.kind.as_str().to_string(),
                        required: question.required,
                        prompt,
                        prompt_fallback,
                        applies,
                        answer: rendered,
                        comments,
                    });
                }
                let (title, title_fallback) = resolve(&article.title, &options.lang);
                articles.push(Article {
                    number: article.article.clone(),
                    anchor: format!("i-{id}-art{}", article.article),
                    title,
                    title_fallback,
                    comments: article_comments,
                    questions,
                });
            }
            completion.percent = (completion.required_answered * 100)
                .checked_div(completion.required_applicable)
                .map_or(100, |p| p as u32);
            summary.completion.push(completion);
            let (title, title_fallback) = resolve(&cluster.title, &options.lang);
            clusters.push(Cluster {
                number: cluster.number,
                anchor: format!("i-{id}-c{}", cluster.number),
                title,
                title_fallback,
                articles,
            });
        }
        summary.compliance.push(compliance);
        let (title, title_fallback) = resolve(&q.instrument, &options.lang);
        let status = response.map_or("none", |r| {
            if r.response.status == Status::Submitted {
                "submitted"
            } else {
                "draft"
            }
        });
        sections.push(Instrument {
            id: id.clone(),
            anchor: format!("i-{id}"),
            questionnaire: q.reference(),
            title,
            title_fallback,
            status: status.to_string(),
            status_label: label(&format!("status_{status}")),
            general_comments: take(Target::General),
            clusters,
        });
    }

    contested.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    summary.contested = contested.into_iter().take(5).map(|(_, _, c)| c).collect();
    summary.assistance = assistance.into_values().collect();
    summary
        .assistance
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    for kind in saq_core::submission::ContributorKind::ALL {
        let n = shown
            .iter()
            .filter(|s| s.loaded.submission.contributor.kind == kind)
            .count();
        if n > 0 {
            summary.stakeholders.push(KindCount {
                kind: kind.as_str().to_string(),
                label: label(&format!("kind_{}", kind.as_str())),
                submissions: n,
            });
        }
    }

    let contributors = shown
        .iter()
        .map(|s| {
            let sub = &s.loaded.submission;
            let c = &sub.contributor;
            Contributor {
                anchor: s.anchor.clone(),
                label: s.label.clone(),
                kind: c.kind.as_str().to_string(),
                kind_label: label(&format!("kind_{}", c.kind.as_str())),
                named: sub.attribution == Attribution::Named,
                anonymous: sub.attribution == Attribution::Anonymous,
                // Rule 2: identity only where the audience may see it; rule 3: never `contact`.
                website: c.website.clone().filter(|w| s.identified && is_http(w)),
                country: c.country.clone().filter(|_| s.identified),
                visibility: sub.visibility.as_str().to_string(),
                language: sub.language.clone(),
                instruments: vec![instrument_of(&sub.questionnaire).to_string()],
                comments: placed_of[s.index],
            }
        })
        .collect();

    let cover = cover(dossier, &instruments, &shown, options, &label);
    let date = options.date.clone().unwrap_or_else(|| {
        let response_dates = instruments
            .iter()
            .filter_map(|(_, _, r)| r.and_then(|r| r.response.submitted_on.clone()));
        let submission_dates = shown
            .iter()
            .map(|s| s.loaded.submission.submitted_on.clone());
        response_dates
            .chain(submission_dates)
            .max()
            .unwrap_or_default()
    });

    Pack {
        format_version: FORMAT_VERSION,
        state: dossier.state.clone().unwrap_or_default(),
        audience: options.audience.as_str().to_string(),
        audience_label: label(&format!("audience_{}", options.audience.as_str())),
        lang: options.lang.clone(),
        dir: i18n::direction(&options.lang).to_string(),
        date,
        labels,
        cover,
        summary,
        instruments: sections,
        points,
        contributors,
    }
}

fn cover(
    dossier: &Dossier,
    instruments: &[(String, &Questionnaire, Option<&LoadedResponse>)],
    shown: &[&Shown<'_>],
    options: &PackOptions,
    label: &dyn Fn(&str) -> String,
) -> Cover {
    let relative = |path: &std::path::Path| {
        path.strip_prefix(&dossier.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut inputs = Vec::new();
    for (_, _, r) in instruments {
        if let Some(r) = r {
            inputs.push(Input {
                label: relative(&r.source.path),
                kind: "response".into(),
                sha256: sha256(&r.source.text),
            });
        }
    }
    for s in shown {
        // Submissions are named by contributor label, never by file name (which may name an anonymous group).
        inputs.push(Input {
            label: s.label.clone(),
            kind: "submission".into(),
            sha256: sha256(&s.loaded.source.text),
        });
    }
    let mut all = Sha256::new();
    for i in &inputs {
        all.update(i.sha256.as_bytes());
        all.update(b"\n");
    }
    let mut filters = Vec::new();
    if !options.instruments.is_empty() {
        filters.push(format!(
            "{}: {}",
            label("instruments"),
            options.instruments.join(", ")
        ));
    }
    if !options.clusters.is_empty() {
        let list: Vec<String> = options.clusters.iter().map(u8::to_string).collect();
        filters.push(format!("{}: {}", label("cluster"), list.join(", ")));
    }
    Cover {
        instruments: instruments
            .iter()
            .map(|(id, q, r)| {
                let status = r.map_or("none", |r| {
                    if r.response.status == Status::Submitted {
                        "submitted"
                    } else {
                        "draft"
                    }
                });
                CoverInstrument {
                    id: id.clone(),
                    questionnaire: q.reference(),
                    title: resolve(&q.instrument, &options.lang).0,
                    status: status.to_string(),
                    status_label: label(&format!("status_{status}")),
                    submitted_on: r.and_then(|r| r.response.submitted_on.clone()),
                }
            })
            .collect(),
        // Rule 3 and DESIGN: no focal point in a public pack, and never an e-mail.
        focal_points: if options.audience == Audience::Public {
            Vec::new()
        } else {
            instruments
                .iter()
                .filter_map(|(id, _, r)| {
                    let fp = (*r)?.response.focal_point.as_ref()?;
                    Some(FocalPoint {
                        instrument: id.clone(),
                        name: fp.name.clone(),
                        institution: fp.institution.clone(),
                    })
                })
                .collect()
        },
        digest: hex(&all.finalize()),
        inputs,
        filters,
    }
}

fn render_answer(
    question: &CoreQuestion,
    answer: &CoreAnswer,
    comments: &mut [Comment],
    labels: &BTreeMap<String, String>,
    lang: &str,
    halves: Halves,
) -> Answer {
    let label = |key: &str| labels.get(key).cloned().unwrap_or_else(|| key.to_string());
    let highlights: Vec<Highlight> = comments
        .iter()
        .filter_map(|c| {
            Some(Highlight {
                quote: c.quote.clone()?,
                anchor: format!("quote-{}", c.anchor),
            })
        })
        .collect();
    // Which highlights got their mark in some field of the answer.
    let mut marked = vec![false; highlights.len()];
    let mut highlighted = |text: &str| {
        let (prose, placed) = highlighted_in(text, &highlights, halves);
        for i in placed {
            marked[i] = true;
        }
        prose
    };
    let explanation = answer.explanation.as_deref().map(&mut highlighted);
    let option_label = |code: &str| -> String {
        question
            .options
            .iter()
            .flatten()
            .find(|o| o.id == code)
            .map_or_else(|| code.to_string(), |o| resolve(&o.label, lang).0)
    };
    let str_of = |v: &Json| -> String {
        match v {
            Json::String(s) => s.clone(),
            Json::Null => String::new(),
            other => other.to_string(),
        }
    };
    let field = |item: &Json, key: &str| item.get(key).and_then(Json::as_str).map(str::to_string);
    let value = match question.kind {
        QuestionType::Compliance | QuestionType::YesNo => {
            let code = str_of(&answer.value);
            Value::Choice {
                label: label(&code),
                code,
            }
        }
        QuestionType::Choice => {
            let code = str_of(&answer.value);
            Value::Choice {
                label: option_label(&code),
                code,
            }
        }
        QuestionType::MultiChoice => Value::MultiChoice {
            items: answer
                .value
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| Coded {
                    label: option_label(&str_of(v)),
                    code: str_of(v),
                })
                .collect(),
        },
        QuestionType::Text => Value::Text {
            prose: highlighted(&str_of(&answer.value)),
        },
        QuestionType::Number => Value::Number {
            value: str_of(&answer.value),
            unit: question.unit.as_ref().map(|u| resolve(u, lang).0),
        },
        QuestionType::Date => Value::Date {
            value: str_of(&answer.value),
        },
        QuestionType::Legislation => Value::Legislation {
            items: answer
                .value
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| Legislation {
                    title: field(i, "title").unwrap_or_default(),
                    provision: field(i, "provision").unwrap_or_default(),
                    url: field(i, "url").filter(|u| is_http(u)),
                    excerpt: field(i, "excerpt").map(|e| highlighted(&e)),
                })
                .collect(),
        },
        QuestionType::Cases => Value::Cases {
            items: answer
                .value
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| Case {
                    title: field(i, "title").unwrap_or_default(),
                    year: i.get("year").and_then(Json::as_i64),
                    court: field(i, "court"),
                    summary: highlighted(&field(i, "summary").unwrap_or_default()),
                    url: field(i, "url").filter(|u| is_http(u)),
                })
                .collect(),
        },
        QuestionType::Table => {
            let columns = question.columns.clone().unwrap_or_default();
            Value::Table {
                columns: columns.iter().map(|c| resolve(&c.label, lang).0).collect(),
                rows: answer
                    .value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|row| {
                        columns
                            .iter()
                            .map(|c| row.get(&c.id).map(&str_of).unwrap_or_default())
                            .collect()
                    })
                    .collect(),
            }
        }
        QuestionType::AssistanceNeeds => Value::Assistance {
            items: answer
                .value
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| {
                    let kind = field(i, "kind").unwrap_or_else(|| "other".into());
                    Assistance {
                        label: label(&format!("assist_{kind}")),
                        kind,
                        detail: field(i, "detail"),
                    }
                })
                .collect(),
        },
    };
    // Link each comment to its highlighted passage, when the passage could be marked;
    // a comment quoting a passage another comment already marked links to that mark.
    // `highlights` follows the comments with a quote, in order.
    let mut linked: Vec<(String, &str)> = Vec::new(); // (normalized quote, anchor)
    let quoting = comments.iter_mut().filter(|c| c.quote.is_some());
    for ((c, highlight), marked) in quoting.zip(&highlights).zip(marked) {
        let normalized = highlight
            .quote
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if marked {
            c.quote_anchor = Some(highlight.anchor.clone());
            linked.push((normalized, &highlight.anchor));
        } else if let Some((_, anchor)) = linked.iter().find(|(q, _)| *q == normalized) {
            c.quote_anchor = Some((*anchor).to_string());
        }
    }
    Answer { value, explanation }
}

fn resolve(text: &Text, lang: &str) -> (String, bool) {
    let (s, fallback) = text.resolve(lang);
    (s.trim().to_string(), fallback)
}

/// A prompt cut to one line for lists (points, summary).
fn short(prompt: &str) -> String {
    let line = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 140 {
        let cut: String = line.chars().take(137).collect();
        format!("{}…", cut.trim_end())
    } else {
        line
    }
}

fn instrument_of(reference: &str) -> &str {
    reference.split('@').next().unwrap_or(reference)
}

fn question_anchor(instrument: &str, id: &str) -> String {
    format!("q-{instrument}-{}", id.replace('.', "-"))
}

fn is_http(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn sha256(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
