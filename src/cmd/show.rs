//! `saq show`: a questionnaire as a readable tree, Markdown, or JSON.

use std::fmt::Write as _;

use saq_core::questionnaire::{Question, Questionnaire};
use saq_core::Text;

use crate::cli::ShowFormat;
use crate::output::print;
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(
    session: &Session,
    reference: &str,
    cluster: Option<u8>,
    lang: &str,
    format: ShowFormat,
) -> Result<Outcome, Failure> {
    let q = super::resolve(session, reference)?;
    let mut q = q.clone();
    if let Some(n) = cluster {
        q.clusters.retain(|c| c.number == n);
        if q.clusters.is_empty() {
            return Err(Failure::Usage(format!(
                "{} has no cluster {n}",
                q.reference()
            )));
        }
    }
    let text = match format {
        ShowFormat::Json => serde_json::to_string_pretty(&q).unwrap_or_default() + "\n",
        ShowFormat::Text => tree(&q, lang),
        ShowFormat::Md => markdown(&q, lang),
    };
    print(&text)?;
    Ok(Outcome::Clean)
}

/// Text in `lang`, marked `[en]` when English stands in for a missing translation.
fn t(text: &Text, lang: &str) -> String {
    match text.resolve(lang) {
        (s, true) => format!("{s} [en]"),
        (s, false) => s.to_string(),
    }
}

fn flags(q: &Question) -> String {
    let mut parts = vec![q.kind.as_str().to_string()];
    if q.required {
        parts.push("required".into());
    }
    if let Some(values) = q.allowed_values() {
        parts.push(format!("[{}]", values.join(" | ")));
    }
    parts.join(", ")
}

fn tree(q: &Questionnaire, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", q.reference(), t(&q.title, lang));
    let _ = writeln!(out, "{}", t(&q.instrument, lang));
    for c in &q.clusters {
        let _ = writeln!(out, "\nCluster {}  {}", c.number, t(&c.title, lang));
        for a in &c.articles {
            let _ = writeln!(out, "  Article {}  {}", a.article, t(&a.title, lang));
            for question in &a.questions {
                let _ = writeln!(out, "    {}  ({})", question.id, flags(question));
                let _ = writeln!(
                    out,
                    "      {}",
                    t(&question.prompt, lang).replace('\n', "\n      ")
                );
                if let Some(cond) = &question.show_if {
                    let _ = writeln!(out, "      shown if: {cond}");
                }
            }
        }
    }
    out
}

fn markdown(q: &Questionnaire, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({})\n\n{}\n",
        t(&q.title, lang),
        q.reference(),
        t(&q.instrument, lang)
    );
    for c in &q.clusters {
        let _ = writeln!(out, "## Cluster {}: {}\n", c.number, t(&c.title, lang));
        for a in &c.articles {
            let _ = writeln!(out, "### Article {}: {}\n", a.article, t(&a.title, lang));
            for question in &a.questions {
                let _ = writeln!(
                    out,
                    "- **`{}`** ({})  \n  {}",
                    question.id,
                    flags(question),
                    t(&question.prompt, lang).trim()
                );
                if let Some(cond) = &question.show_if {
                    let _ = writeln!(out, "  *Shown if* `{cond}`");
                }
            }
            out.push('\n');
        }
    }
    out
}
