//! Skeletons: the files `saq new` writes for a person to fill in with an editor.
//!
//! A focal point answering a questionnaire, or an organization commenting on a
//! review, should not need the questionnaire open beside the file: the skeleton
//! carries every question in order, under its cluster and article, with the prompt,
//! the values allowed, the condition under which it applies, a shortened guidance,
//! and the exact YAML shape of its answer. Three rules shape what is written:
//!
//! - **It validates as written.** A fresh response is a draft with no answers and a
//!   fresh submission has one example comment, so the first `saq validate` reports
//!   only what the person typed, never saq's own scaffolding.
//! - **A placeholder is never data.** Placeholder answers (and the focal point) are
//!   commented out. Once uncommented, their blanks are empty, which YAML reads as null
//!   and the schema rejects, so an unfinished answer is an error pointing at its line
//!   instead of text like "TODO" silently accepted as the state's answer. Optional
//!   fields inside a placeholder are commented a second time, so uncommenting a block
//!   once gives the smallest answer that is valid after its blanks are filled.
//! - **A bare `answers:`.** With every answer commented out, `answers:` has no
//!   value, which YAML reads as null; the response format accepts a null `answers`
//!   as "no answers yet" for exactly this reason, so uncommenting a block is the only
//!   edit needed to give the first answer.
//!
//! Everything embedded from outside (state codes, contributor names, dates, schema
//! references, questionnaire text) is either double-quoted with YAML escapes or, in
//! comments, flattened to one printable line, so no input can change the structure of
//! the file. The functions return text only; writing files and choosing the date are
//! the caller's business.

use crate::questionnaire::{
    Article, Cluster, ColumnType, Question, QuestionType, Questionnaire, ASSISTANCE_KINDS,
    COMPLIANCE_VALUES, YES_NO_VALUES,
};

/// Lines are wrapped to this many characters, a width most editors show whole.
const WIDTH: usize = 90;
/// Guidance is a reminder in the skeleton, not the full text: at most this many lines.
const GUIDANCE_LINES: usize = 5;
/// Trailing `# hints` start at this column (counted from 0), so they line up down the file.
const HINT_COLUMN: usize = 30;
/// Comments inside `answers:` sit at the indentation of its entries, so an uncommented
/// block lands exactly where YAML expects an answer.
const ANSWER_INDENT: &str = "  ";

/// A response skeleton for `state` to fill in: a draft with no answers, and every
/// question of `q` as a comment-guided placeholder. `schema_ref` (a path or URL of the
/// response schema) becomes a `yaml-language-server` modeline so editors check as the
/// person types.
pub fn response(q: &Questionnaire, state: &str, schema_ref: Option<&str>) -> String {
    let mut out = String::new();
    modeline(&mut out, schema_ref);
    let title = one_line(q.title.english());
    paragraph(
        &mut out,
        "",
        &format!(
            "The response of {} to {}: {title}.",
            one_line(state),
            q.reference()
        ),
    );
    comment(
        &mut out,
        "",
        "Written by `saq new response`; check it at any time with `saq validate <this file>`.",
    );
    comment(&mut out, "", "");
    paragraph(
        &mut out,
        "",
        "To answer a question, find its block under `answers:` and delete the \"# \" at the start of each line \
         from \"# <question id>:\" down (keep the two spaces before it), then fill in the blanks. A blank left empty is an error until you \
         fill it, so nothing unfinished goes unnoticed; lines still commented out are ignored.",
    );
    comment(&mut out, "", "");
    paragraph(
        &mut out,
        "",
        "A draft may be incomplete. Set `status: submitted`, with `submitted_on`, only when every required \
         question that applies is answered, and no question whose condition does not hold is.",
    );
    out.push('\n');
    out.push_str(&format!("questionnaire: {}\n", scalar(&q.reference())));
    out.push_str(&format!("state: {}\n", scalar(state)));
    out.push_str(&hinted("status: draft", "draft | submitted"));
    comment(
        &mut out,
        "",
        &hint_line(
            "submitted_on: YYYY-MM-DD",
            "required once status is submitted",
            2,
        ),
    );
    out.push('\n');
    paragraph(
        &mut out,
        "",
        "The focal point who coordinated the answers: shown to reviewers and the secretariat, never in a public \
         pack, and the e-mail in no pack at all. Uncomment, fill in, and delete a line you leave empty \
         (only the name is required).",
    );
    comment(&mut out, "", "focal_point:");
    comment(&mut out, "", "  name:");
    comment(&mut out, "", "  institution:");
    comment(&mut out, "", "  email:");
    out.push('\n');
    out.push_str(&hinted("answers:", "uncomment the answers you give below"));
    for cluster in &q.clusters {
        out.push('\n');
        cluster_banner(&mut out, cluster);
        for article in &cluster.articles {
            out.push('\n');
            article_banner(&mut out, article);
            for question in &article.questions {
                out.push('\n');
                question_block(&mut out, question);
            }
        }
    }
    out
}

/// A submission skeleton by `contributor` (of `kind`) on `state`'s review: named,
/// visible to reviewers, in English, dated `date`, with one example comment that
/// validates and says to replace it, then the list of targets a comment may have.
pub fn submission(
    q: &Questionnaire,
    state: &str,
    contributor: &str,
    kind: &str,
    date: &str,
    schema_ref: Option<&str>,
) -> String {
    let mut out = String::new();
    modeline(&mut out, schema_ref);
    paragraph(
        &mut out,
        "",
        &format!(
            "A submission by {} on the review of {} under {}: {}.",
            one_line(contributor),
            one_line(state),
            q.reference(),
            one_line(q.title.english())
        ),
    );
    comment(
        &mut out,
        "",
        "Written by `saq new submission`; check it at any time with `saq validate <this file>`.",
    );
    comment(
        &mut out,
        "",
        "Optional lines are commented out: delete the \"# \" in front of one to use it.",
    );
    out.push('\n');
    out.push_str(&format!("questionnaire: {}\n", scalar(&q.reference())));
    out.push_str(&hinted(
        &format!("state: {}", scalar(state)),
        "the state under review",
    ));
    out.push_str("contributor:\n");
    out.push_str(&format!("  name: {}\n", quote(contributor)));
    out.push_str(&hinted(
        &format!("  kind: {}", scalar(kind)),
        "ngo | academia | private_sector | other",
    ));
    comment(
        &mut out,
        "  ",
        &hint_line(
            "country:",
            "optional: your country, e.g. MEX; hidden if anonymous",
            4,
        ),
    );
    comment(
        &mut out,
        "  ",
        &hint_line("website:", "optional: https://...; hidden if anonymous", 4),
    );
    comment(
        &mut out,
        "  ",
        &hint_line("contact:", "optional e-mail; never shown in any pack", 4),
    );
    out.push('\n');
    paragraph(
        &mut out,
        "",
        "visibility: the lowest audience that may read this submission. A pack for that audience or a higher \
         one shows it; a pack for a lower audience shows nothing of it, not even in counts.",
    );
    comment(
        &mut out,
        "",
        "  public       everyone: the pack may be published",
    );
    comment(
        &mut out,
        "",
        "  reviewers    the reviewing experts and the secretariat",
    );
    comment(&mut out, "", "  secretariat  the secretariat only");
    out.push_str("visibility: reviewers\n");
    out.push('\n');
    paragraph(
        &mut out,
        "",
        "attribution: `named` shows your name, country and website beside your comments to whoever may read \
         them. `anonymous` shows \"Contributor N (your kind)\" instead to everyone but the secretariat, which \
         alone sees who you are. Either way, `contact` is never shown in any pack.",
    );
    comment(&mut out, "", "  named | anonymous");
    out.push_str("attribution: named\n");
    out.push('\n');
    out.push_str(&hinted(
        "language: en",
        "the language of your comments: ar, zh, en, fr, ru, es",
    ));
    out.push_str(&hinted(
        &format!("submitted_on: {}", scalar(date)),
        "YYYY-MM-DD: update it when you send the file",
    ));
    out.push('\n');
    paragraph(
        &mut out,
        "",
        "comments: one entry per point you make. `target` is what it is about (the list of targets is at the \
         end of this file); `stance` is how it relates to the government's answer.",
    );
    out.push_str("comments:\n");
    out.push_str(&hinted(
        "  - target: general",
        "general, an article (art5) or a question (art5.offence)",
    ));
    out.push_str(&hinted(
        "    stance: complements",
        "supports | contests | complements",
    ));
    out.push_str("    body: |\n");
    for line in wrap(
        "Replace this example with your comment, in Markdown. It is here only so that the file is valid from \
         the start: rewrite or delete it before you send the submission.",
        WIDTH - 6,
    ) {
        out.push_str(&format!("      {line}\n"));
    }
    let item = "    ";
    let shift = item.len() + 2;
    comment(
        &mut out,
        item,
        &hint_line(
            "quote:",
            "optional: an exact passage of the government's answer",
            shift,
        ),
    );
    comment(
        &mut out,
        item,
        &hint_line(
            "recommendation: |",
            "optional: what you recommend, in Markdown below",
            shift,
        ),
    );
    comment(
        &mut out,
        item,
        &hint_line("evidence:", "optional: the sources of what you say", shift),
    );
    comment(&mut out, item, &hint_line("  - title:", "", shift));
    comment(
        &mut out,
        item,
        &hint_line("    url:", "optional: https://...", shift),
    );
    comment(
        &mut out,
        item,
        &hint_line("    date:", "optional: YYYY-MM-DD", shift),
    );
    comment(
        &mut out,
        item,
        &hint_line("    publisher:", "optional", shift),
    );
    out.push('\n');
    targets(&mut out, q);
    out
}

/// `# yaml-language-server: $schema=...`, which the YAML language server reads from
/// the first line to fetch the schema.
fn modeline(out: &mut String, schema_ref: Option<&str>) {
    if let Some(reference) = schema_ref {
        out.push_str(&format!(
            "# yaml-language-server: $schema={}\n",
            one_line(reference).replace(' ', "%20")
        ));
    }
}

fn cluster_banner(out: &mut String, cluster: &Cluster) {
    banner(
        out,
        '═',
        &format!(
            "Cluster {}: {}",
            cluster.number,
            one_line(cluster.title.english())
        ),
    );
}

fn article_banner(out: &mut String, article: &Article) {
    banner(
        out,
        '─',
        &format!(
            "Article {}: {}",
            one_line(&article.article),
            one_line(article.title.english())
        ),
    );
}

/// `# ── Title ────`, filled to the line width (longer titles are wrapped, unfilled).
fn banner(out: &mut String, rule: char, title: &str) {
    let lead: String = [rule, rule, ' '].iter().collect();
    let lines = wrap(title, WIDTH - ANSWER_INDENT.len() - 2 - 3 - 4);
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        let mut text = if i == 0 {
            format!("{lead}{line}")
        } else {
            format!("   {line}")
        };
        if i == last {
            let used = ANSWER_INDENT.len() + 2 + text.chars().count() + 1;
            let fill = WIDTH.saturating_sub(used).max(2);
            text.push(' ');
            text.extend(std::iter::repeat_n(rule, fill));
        }
        comment(out, ANSWER_INDENT, &text);
    }
}

/// A question's description (id, type, prompt, values, condition, guidance) and then
/// its placeholder answer, both commented out.
fn question_block(out: &mut String, question: &Question) {
    let need = match (question.required, &question.show_if) {
        (true, Some(_)) => "required when shown",
        (true, None) => "required",
        (false, _) => "optional",
    };
    comment(
        out,
        ANSWER_INDENT,
        &format!("[{}] {}, {need}", question.id, question.kind.as_str()),
    );
    paragraph(out, ANSWER_INDENT, question.prompt.english());
    for line in allowed(question) {
        paragraph_hanging(out, ANSWER_INDENT, &line);
    }
    if let Some(condition) = &question.show_if {
        paragraph_hanging(
            out,
            ANSWER_INDENT,
            &format!(
                "Shown if: {}. Otherwise leave it unanswered.",
                one_line(condition)
            ),
        );
    }
    if let Some(guidance) = &question.guidance {
        guidance_lines(out, guidance.english());
    }
    comment(out, ANSWER_INDENT, "");
    for line in placeholder(question) {
        comment(out, ANSWER_INDENT, &line);
    }
}

/// What a question accepts, in words, one entry per line (each may wrap).
fn allowed(question: &Question) -> Vec<String> {
    let options = || {
        question
            .options
            .iter()
            .flatten()
            .map(|o| format!("  {}: {}", o.id, one_line(o.label.english())))
    };
    match question.kind {
        QuestionType::Compliance => vec![format!("Values: {}", COMPLIANCE_VALUES.join(" | "))],
        QuestionType::YesNo => vec![format!("Values: {}", YES_NO_VALUES.join(" | "))],
        QuestionType::Choice => std::iter::once("Options (give one id):".to_string()).chain(options()).collect(),
        QuestionType::MultiChoice => std::iter::once("Options (give a list of one or more ids):".to_string()).chain(options()).collect(),
        QuestionType::Text => vec!["Value: text, in Markdown.".to_string()],
        QuestionType::Number => vec![format!("Value: {}.", number_range(question))],
        QuestionType::Date => vec!["Value: a date, YYYY-MM-DD.".to_string()],
        QuestionType::Legislation => vec![
            "Value: a list of provisions, each with title (the law) and provision (the article or section), \
             optionally url (https://...) and excerpt (its text)."
                .to_string(),
        ],
        QuestionType::Cases => vec![
            "Value: a list of cases, each with title and summary, optionally year (1900-2100), court and url \
             (https://...)."
                .to_string(),
        ],
        QuestionType::Table => {
            let mut lines = vec!["Value: a list of rows; each row gives one or more of these columns:".to_string()];
            for c in question.columns.iter().flatten() {
                lines.push(format!("  {} ({}): {}", c.id, column_type(c.kind), one_line(c.label.english())));
            }
            lines
        }
        QuestionType::AssistanceNeeds => vec![format!(
            "Value: a list of needs, each with kind (one of {}) and optionally detail.",
            ASSISTANCE_KINDS.join(" | ")
        )],
    }
}

fn column_type(kind: ColumnType) -> &'static str {
    match kind {
        ColumnType::Text => "text",
        ColumnType::Number => "number",
        ColumnType::Date => "date, YYYY-MM-DD",
        ColumnType::YesNo => "yes | no",
    }
}

/// "a number from 0 to 100 (days)", with whichever bounds and unit the question has.
fn number_range(question: &Question) -> String {
    let mut text = match (question.min, question.max) {
        (Some(min), Some(max)) => format!("a number from {min} to {max}"),
        (Some(min), None) => format!("a number of at least {min}"),
        (None, Some(max)) => format!("a number of at most {max}"),
        (None, None) => "a number".to_string(),
    };
    if let Some(unit) = &question.unit {
        text.push_str(&format!(", in {}", one_line(unit.english())));
    }
    text
}

/// The guidance, one line per paragraph or list item, wrapped, and cut after
/// [`GUIDANCE_LINES`] lines with an ellipsis.
fn guidance_lines(out: &mut String, guidance: &str) {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in guidance.lines() {
        let trimmed = line.trim();
        let starts_item = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if (trimmed.is_empty() || starts_item) && !current.is_empty() {
            blocks.push(std::mem::take(&mut current));
        }
        if !trimmed.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(trimmed);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let width = WIDTH - ANSWER_INDENT.len() - 2;
    let mut lines: Vec<String> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let text = if i == 0 {
            format!("Guidance: {}", one_line(block))
        } else {
            one_line(block)
        };
        // A list item's continuation lines hang under its text, past the marker.
        let hang = if i > 0 && !block.starts_with(|c: char| c.is_alphanumeric()) {
            "    "
        } else {
            "  "
        };
        for (j, line) in wrap(&text, width - hang.len()).into_iter().enumerate() {
            lines.push(match (i, j) {
                (0, 0) => line,
                (_, 0) => format!("  {line}"),
                _ => format!("{hang}{line}"),
            });
        }
    }
    if lines.len() > GUIDANCE_LINES {
        lines.truncate(GUIDANCE_LINES);
        if let Some(last) = lines.last_mut() {
            while last.chars().count() + 2 > width {
                match last.trim_end().rfind(' ') {
                    Some(i) if i > 0 => last.truncate(i),
                    _ => break,
                }
            }
            last.push_str(" …");
        }
    }
    for line in lines {
        comment(out, ANSWER_INDENT, &line);
    }
}

/// The answer's YAML, relative to the `answers:` entries' indentation, ready to be
/// commented out: the key, `value:` shaped by the type with empty blanks, and the
/// optional `explanation` commented once more.
fn placeholder(question: &Question) -> Vec<String> {
    /// Placeholder lines are written after `  # `.
    const SHIFT: usize = ANSWER_INDENT.len() + 2;
    let mut lines = vec![format!("{}:", question.id)];
    let value = |hint: &str| hint_line("  value:", hint, SHIFT);
    match question.kind {
        QuestionType::Compliance => lines.push(value(&COMPLIANCE_VALUES.join(" | "))),
        QuestionType::YesNo => lines.push(value(&YES_NO_VALUES.join(" | "))),
        QuestionType::Choice => {
            let ids: Vec<&str> = question
                .options
                .iter()
                .flatten()
                .map(|o| o.id.as_str())
                .collect();
            let listed = ids.join(" | ");
            lines.push(value(if listed.chars().count() <= 50 {
                &listed
            } else {
                "one option id from the list above"
            }));
        }
        QuestionType::MultiChoice => {
            lines.push(value("one or more option ids, one per line"));
            lines.push(hint_line(
                "    -",
                "an option id from the list above",
                SHIFT,
            ));
        }
        QuestionType::Text => lines.push(hint_line(
            "  value: |",
            "Markdown, on the indented lines below",
            SHIFT,
        )),
        QuestionType::Number => lines.push(value(&number_range(question))),
        QuestionType::Date => lines.push(value("YYYY-MM-DD")),
        QuestionType::Legislation => {
            lines.push(value("one item per provision"));
            lines.push(hint_line("    - title:", "the law, e.g. Penal Code", SHIFT));
            lines.push(hint_line(
                "      provision:",
                "the article or section, e.g. art. 212",
                SHIFT,
            ));
            lines.push(hint_line("      # url:", "optional: https://...", SHIFT));
            lines.push(hint_line(
                "      # excerpt: |",
                "optional: the provision's text, below",
                SHIFT,
            ));
        }
        QuestionType::Cases => {
            lines.push(value("one item per case"));
            lines.push(hint_line(
                "    - title:",
                "the case's name or number",
                SHIFT,
            ));
            lines.push(hint_line(
                "      summary: |",
                "what was decided, in Markdown, below",
                SHIFT,
            ));
            lines.push(hint_line("      # year:", "optional: 1900-2100", SHIFT));
            lines.push(hint_line("      # court:", "optional", SHIFT));
            lines.push(hint_line("      # url:", "optional: https://...", SHIFT));
        }
        QuestionType::Table => {
            lines.push(value(
                "one item per row; leave out a column you cannot fill",
            ));
            for (i, c) in question.columns.iter().flatten().enumerate() {
                let key = format!("{}{}:", if i == 0 { "    - " } else { "      " }, c.id);
                lines.push(hint_line(&key, column_type(c.kind), SHIFT));
            }
        }
        QuestionType::AssistanceNeeds => {
            lines.push(value("one item per need"));
            lines.push(hint_line(
                "    - kind:",
                "one of the kinds listed above",
                SHIFT,
            ));
            lines.push(hint_line(
                "      # detail: |",
                "optional: what is needed, below",
                SHIFT,
            ));
        }
    }
    lines.push(hint_line(
        "  # explanation: |",
        "optional: Markdown, on the indented lines below",
        SHIFT,
    ));
    lines
}

/// The targets a comment may have, grouped by article, with shortened prompts.
fn targets(out: &mut String, q: &Questionnaire) {
    comment(out, "", "Targets a comment may have:");
    let width = q
        .articles()
        .flat_map(|(_, a)| std::iter::once(a.id()).chain(a.questions.iter().map(|x| x.id.clone())))
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(0)
        .max("general".len());
    let row = |id: &str, text: &str| {
        let lead = format!("  {id:<width$}  ");
        let room = WIDTH.saturating_sub(2 + lead.chars().count()).max(20);
        format!("{lead}{}", shorten(text, room))
    };
    comment(out, "", &row("general", "the review as a whole"));
    for (_, article) in q.articles() {
        comment(
            out,
            "",
            &format!(
                "Article {}: {}",
                one_line(&article.article),
                one_line(article.title.english())
            ),
        );
        comment(out, "", &row(&article.id(), "the article as a whole"));
        for question in &article.questions {
            comment(out, "", &row(&question.id, question.prompt.english()));
        }
    }
}

/// `key` with a trailing `# hint` aligned at [`HINT_COLUMN`]; `shift` is how many
/// characters the line will be written after (`"  # "` is 4). The padding gives way
/// before the line outgrows [`WIDTH`].
fn hint_line(key: &str, hint: &str, shift: usize) -> String {
    if hint.is_empty() {
        return key.to_string();
    }
    let hint = one_line(hint);
    let used = shift + key.chars().count();
    let room = WIDTH.saturating_sub(used + 2 + hint.chars().count());
    let pad = HINT_COLUMN.saturating_sub(used).min(room).max(1);
    format!("{key}{}# {hint}", " ".repeat(pad))
}

/// A real YAML line with a trailing hint, newline included.
fn hinted(line: &str, hint: &str) -> String {
    format!("{}\n", hint_line(line, hint, 0))
}

/// One comment line at `indent`: `# text`, or a bare `#` for a blank comment line.
fn comment(out: &mut String, indent: &str, text: &str) {
    let text = text.trim_end();
    out.push_str(indent);
    out.push('#');
    if !text.is_empty() {
        out.push(' ');
        out.push_str(text);
    }
    out.push('\n');
}

/// A flattened, wrapped comment paragraph.
fn paragraph(out: &mut String, indent: &str, text: &str) {
    for line in wrap(&one_line(text), WIDTH - indent.len() - 2) {
        comment(out, indent, &line);
    }
}

/// Like [`paragraph`], continuation lines indented under the first so a list entry
/// reads as one.
fn paragraph_hanging(out: &mut String, indent: &str, text: &str) {
    let lead = text.chars().take_while(|c| *c == ' ').count();
    let hang = " ".repeat(lead + 2);
    let width = WIDTH - indent.len() - 2;
    for (i, line) in wrap(&one_line(text), width - hang.len())
        .into_iter()
        .enumerate()
    {
        if i == 0 {
            comment(out, indent, &format!("{}{line}", " ".repeat(lead)));
        } else {
            comment(out, indent, &format!("{hang}{line}"));
        }
    }
}

/// Text made safe for a comment: one line, printable characters only, runs of
/// whitespace collapsed. A line break in questionnaire text or a user's name must not
/// end the comment and start YAML.
fn one_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '\u{feff}' | '\u{2028}' | '\u{2029}' => ' ',
            '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Greedy word wrap to `width` characters; a word longer than the width gets a line
/// of its own rather than being broken.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The first words of `text` that fit in `room` characters, with `…` when cut.
fn shorten(text: &str, room: usize) -> String {
    let text = one_line(text);
    if text.chars().count() <= room {
        return text;
    }
    let mut cut = String::new();
    for word in text.split_whitespace() {
        if cut.chars().count() + usize::from(!cut.is_empty()) + word.chars().count() + 2 > room {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = text.chars().take(room.saturating_sub(2)).collect();
    }
    cut.push_str(" …");
    cut
}

/// A scalar written plain when every YAML reader takes it as the same string (ids,
/// codes, dates), and double-quoted otherwise. Words that YAML 1.1 readers turn into
/// booleans or null are quoted too, for the other tools that read these files.
fn scalar(text: &str) -> String {
    let plain_word = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-'));
    let special = matches!(
        text.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    let date = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if (plain_word && !special) || date {
        text.to_string()
    } else {
        quote(text)
    }
}

/// A YAML double-quoted scalar: `\` and `"` escaped, and every character YAML does
/// not allow raw (controls, line and paragraph separators, byte-order marks) written
/// as an escape, so any string survives a round trip.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Catalog;
    use crate::source::{parse, SourceFile};
    use serde_json::{json, Value};

    /// A small questionnaire with every question type, a condition and long guidance.
    const DEMO: &str = r#"
id: demo
version: "1.0"
instrument: Demo Protocol
title: Self-assessment questionnaire on the Demo Protocol
clusters:
  - number: 1
    title: Criminalization and jurisdiction
    articles:
      - article: "5"
        title: "Criminalization: the basic offence"
        questions:
          - id: art5.offence
            type: compliance
            required: true
            prompt: "Has your country criminalized the conduct described in the Protocol, including every element listed in its first paragraph, when committed intentionally?"
            guidance: |
              First paragraph of guidance that is long enough to wrap onto a second line of
              the skeleton when it is flattened and wrapped at ninety columns.

              - **first**: an item of a list that also goes on for a while, to wrap;
              - **second**: another item;
              - **third**: and another;

              A last paragraph that is certainly cut off by the five-line limit of the skeleton.
          - id: art5.kind
            type: choice
            show_if: "art5.offence in [yes, partially]"
            prompt: Which kind?
            options:
              - { id: broad, label: "Broad: \"wide\" # not a comment" }
              - { id: narrow, label: Narrow }
          - id: art5.forms
            type: multi_choice
            prompt: Which forms?
            options:
              - { id: one, label: One }
              - { id: two, label: Two }
          - id: art5.text
            type: text
            prompt: Describe.
          - id: art5.count
            type: number
            min: 0
            max: 365
            unit: days
            prompt: How many?
          - id: art5.since
            type: date
            prompt: Since when?
          - id: art5.flag
            type: yes_no
            prompt: Is it so?
      - article: "6"
        title: Evidence
        questions:
          - id: art6.provisions
            type: legislation
            required: true
            prompt: Cite the provisions.
          - id: art6.cases
            type: cases
            prompt: Give cases.
          - id: art6.stats
            type: table
            prompt: Give numbers.
            columns:
              - { id: year, label: Year, type: number }
              - { id: note, label: Note, type: text }
              - { id: since, label: Since, type: date }
              - { id: done, label: Done, type: yes_no }
          - id: art6.assistance
            type: assistance_needs
            prompt: Any needs?
"#;

    fn catalog() -> Catalog {
        let file = SourceFile {
            path: "questionnaires/demo/1.0.yaml".into(),
            text: DEMO.to_string(),
        };
        let (catalog, diagnostics) = Catalog::from_files(vec![file]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        catalog
    }

    fn value(text: &str) -> Value {
        parse(&SourceFile {
            path: "x.yaml".into(),
            text: text.to_string(),
        })
        .expect("the skeleton parses")
        .value
    }

    fn validate(catalog: &Catalog, text: &str) -> Vec<crate::Diagnostic> {
        crate::validate::file(
            catalog,
            &SourceFile {
                path: "x.yaml".into(),
                text: text.to_string(),
            },
        )
        .diagnostics
    }

    /// Uncomments the placeholder block of `id` the way an editor's "toggle comment"
    /// does: the first `# ` after the indentation goes.
    fn uncomment(text: &str, id: &str) -> String {
        let start = format!("  # {id}:");
        let mut out = Vec::new();
        let mut inside = false;
        for line in text.lines() {
            if line == start {
                inside = true;
            } else if inside && (line.trim().is_empty() || !line.starts_with("  # ")) {
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
    fn response_skeleton_is_an_empty_valid_draft() {
        let catalog = catalog();
        let q = catalog.get("demo@1.0").unwrap();
        let text = response(q, "XAR", Some("demo.schema.json"));
        assert!(text.starts_with("# yaml-language-server: $schema=demo.schema.json\n"));
        let v = value(&text);
        assert_eq!(
            v,
            json!({ "questionnaire": "demo@1.0", "state": "XAR", "status": "draft", "answers": null })
        );
        assert_eq!(validate(&catalog, &text), vec![]);
        assert!(!response(q, "XAR", None).starts_with("# yaml-language-server"));
    }

    #[test]
    fn response_skeleton_lists_every_question_in_order_with_its_details() {
        let catalog = catalog();
        let q = catalog.get("demo@1.0").unwrap();
        let text = response(q, "XAR", None);
        let mut at = 0;
        for (_, _, question) in q.questions() {
            let found = text[at..]
                .find(&format!("\n  # {}:\n", question.id))
                .unwrap_or_else(|| panic!("{} in order", question.id));
            at += found + 1;
        }
        assert!(text.contains("  # ══ Cluster 1: Criminalization and jurisdiction ══"));
        assert!(text.contains("  # ── Article 5: Criminalization: the basic offence ──"));
        assert!(text.contains(
            "  # Shown if: art5.offence in [yes, partially]. Otherwise leave it unanswered.\n"
        ));
        assert!(text.contains("  #   broad: Broad: \"wide\" # not a comment\n"));
        assert!(text.contains("a number from 0 to 365, in days"));
        assert!(text.contains("legislative_drafting | training"));
        assert!(text.contains("  #   year (number): Year\n"));
        let guidance: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("  # Guidance:"))
            .take_while(|l| *l != "  #")
            .collect();
        assert_eq!(guidance.len(), GUIDANCE_LINES, "{guidance:#?}");
        assert!(guidance[GUIDANCE_LINES - 1].ends_with(" …"));
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line}");
        }
    }

    #[test]
    fn an_uncommented_placeholder_is_an_error_until_filled_then_valid() {
        let catalog = catalog();
        let q = catalog.get("demo@1.0").unwrap();
        let text = uncomment(&response(q, "XAR", None), "art5.offence");
        let v = value(&text);
        assert_eq!(v["answers"], json!({ "art5.offence": { "value": null } }));
        let found = validate(&catalog, &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].is_error());
        let filled = text.replacen("    value: ", "    value: yes", 1);
        assert_eq!(
            value(&filled)["answers"],
            json!({ "art5.offence": { "value": "yes" } })
        );
        assert_eq!(validate(&catalog, &filled), vec![]);
    }

    #[test]
    fn every_placeholder_uncommented_is_yaml_of_the_right_shape() {
        let catalog = catalog();
        let q = catalog.get("demo@1.0").unwrap();
        let mut text = response(q, "XAR", None);
        for (_, _, question) in q.questions() {
            text = uncomment(&text, &question.id);
        }
        let answers = value(&text)["answers"].clone();
        assert_eq!(answers["art5.offence"], json!({ "value": null }));
        assert_eq!(answers["art5.forms"], json!({ "value": [null] }));
        assert_eq!(answers["art5.text"], json!({ "value": "" }));
        assert_eq!(
            answers["art6.provisions"],
            json!({ "value": [{ "title": null, "provision": null }] })
        );
        assert_eq!(
            answers["art6.cases"],
            json!({ "value": [{ "title": null, "summary": "" }] })
        );
        assert_eq!(
            answers["art6.stats"],
            json!({ "value": [{ "year": null, "note": null, "since": null, "done": null }] })
        );
        assert_eq!(
            answers["art6.assistance"],
            json!({ "value": [{ "kind": null }] })
        );
        assert_eq!(
            answers.as_object().map(|m| m.len()),
            Some(q.question_count())
        );
        // Nothing a placeholder holds passes as an answer.
        let found = validate(&catalog, &text);
        assert!(
            found.iter().filter(|d| d.is_error()).count() >= q.question_count(),
            "{found:#?}"
        );
    }

    #[test]
    fn submission_skeleton_is_valid_and_keeps_any_contributor_name() {
        let catalog = catalog();
        let q = catalog.get("demo@1.0").unwrap();
        for name in [
            "Observatorio Ciudadano",
            r#"O'Brien: "Watch" #1 \ back"#,
            "- [x] {y}: & *z !t | > % @",
            "yes",
            "Line\nbreak\ttab\u{85}\u{2028}\u{feff}\u{7}",
        ] {
            let text = submission(q, "XAR", name, "ngo", "2026-04-02", Some("s.schema.json"));
            let v = value(&text);
            assert_eq!(
                v["contributor"],
                json!({ "name": name, "kind": "ngo" }),
                "{text}"
            );
            assert_eq!(v["visibility"], "reviewers");
            assert_eq!(v["attribution"], "named");
            assert_eq!(v["language"], "en");
            assert_eq!(v["submitted_on"], "2026-04-02");
            assert_eq!(v["state"], "XAR");
            assert_eq!(v["questionnaire"], "demo@1.0");
            assert_eq!(v["comments"].as_array().map(Vec::len), Some(1));
            assert_eq!(v["comments"][0]["target"], "general");
            assert_eq!(v["comments"][0]["stance"], "complements");
            assert!(v["comments"][0]["body"]
                .as_str()
                .unwrap()
                .starts_with("Replace this example"));
            assert_eq!(validate(&catalog, &text), vec![], "{text}");
        }
    }

    #[test]
    fn submission_skeleton_lists_every_target() {
        let catalog = catalog();
        let q = catalog.get("demo@1.0").unwrap();
        let text = submission(q, "XAR", "X", "academia", "2026-04-02", None);
        let listed: Vec<&str> = text
            .lines()
            .skip_while(|l| *l != "# Targets a comment may have:")
            .filter_map(|l| l.strip_prefix("#   "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        let mut expected = vec!["general".to_string()];
        for (_, a) in q.articles() {
            expected.push(a.id());
            expected.extend(a.questions.iter().map(|x| x.id.clone()));
        }
        assert_eq!(listed, expected);
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line}");
        }
    }

    #[test]
    fn odd_strings_are_quoted_and_round_trip() {
        for s in [
            "XAR",
            "no",
            "NO",
            "true",
            "1.0",
            "",
            " x",
            "x: y",
            "#",
            "2026-04-02",
            "ñandú",
            "a\u{0}b\u{1b}\u{9f}\u{fffe}",
        ] {
            let text = format!("k: {}\n", scalar(s));
            assert_eq!(value(&text)["k"], json!(s), "{text}");
        }
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("untoc@1.0"), "untoc@1.0");
        assert_eq!(one_line("a\nb:\r\n  c\u{2028}#d"), "a b: c #d");
    }
}
