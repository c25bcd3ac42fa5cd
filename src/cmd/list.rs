//! `saq list`: the questionnaires available, one line per version.

use serde::Serialize;

use crate::cli::DataFormat;
use crate::output::print;
use crate::session::Session;
use crate::{Failure, Outcome};

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    version: &'a str,
    reference: String,
    title: &'a str,
    instrument: &'a str,
    clusters: usize,
    articles: usize,
    questions: usize,
    languages: Vec<&'a str>,
}

pub fn run(session: &Session, format: DataFormat) -> Result<Outcome, Failure> {
    let rows: Vec<Row<'_>> = session
        .catalog
        .iter()
        .map(|q| {
            let mut languages = vec!["en"];
            languages.extend(
                q.languages
                    .iter()
                    .map(|l| l.0.as_str())
                    .filter(|l| *l != "en"),
            );
            Row {
                id: &q.id,
                version: &q.version,
                reference: q.reference(),
                title: q.title.english(),
                instrument: q.instrument.english(),
                clusters: q.clusters.len(),
                articles: q.articles().count(),
                questions: q.question_count(),
                languages,
            }
        })
        .collect();
    let text = match format {
        DataFormat::Json => serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n",
        DataFormat::Text => {
            let mut out = format!(
                "{:<18} {:>8} {:>9}  {:<10} {}\n",
                "QUESTIONNAIRE", "ARTICLES", "QUESTIONS", "LANGUAGES", "TITLE"
            );
            for r in &rows {
                out.push_str(&format!(
                    "{:<18} {:>8} {:>9}  {:<10} {}\n",
                    r.reference,
                    r.articles,
                    r.questions,
                    r.languages.join(","),
                    r.title
                ));
            }
            out
        }
    };
    print(&text)?;
    Ok(Outcome::Clean)
}
