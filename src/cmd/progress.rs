//! `saq progress`: how far each response is from being submittable.

use std::fmt::Write as _;
use std::path::Path;

use saq_core::progress::{self, Counts};
use saq_core::response::Status;

use crate::cli::DataFormat;
use crate::output::print;
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(session: &Session, path: &Path, format: DataFormat) -> Result<Outcome, Failure> {
    let (dossier, diagnostics) = super::validate::load_dossier(&session.catalog, path)?;
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = progress::of_dossier(&session.catalog, &dossier);
    match format {
        DataFormat::Json => {
            let out = serde_json::json!({
                "dossier": path.display().to_string(),
                "state": dossier.state,
                "instruments": report,
                "errors": errors,
            });
            print(&(serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"))?;
        }
        DataFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{} ({})",
                path.display(),
                dossier.state.as_deref().unwrap_or("no state")
            );
            for p in &report {
                let status = match p.status {
                    Status::Draft => "draft",
                    Status::Submitted => "submitted",
                };
                let _ = writeln!(
                    out,
                    "\n{}  {status}  {} submission(s), {} general comment(s)",
                    p.questionnaire, p.submissions, p.general_comments
                );
                let _ = writeln!(
                    out,
                    "  {:<60} {:>9} {:>9} {:>8}",
                    "cluster", "required", "optional", "comments"
                );
                for c in &p.clusters {
                    let title: String = c.title.chars().take(44).collect();
                    let title = if title.len() < c.title.len() {
                        format!("{title}…")
                    } else {
                        title
                    };
                    let _ = writeln!(
                        out,
                        "  {:<60} {}",
                        format!("{} {title}", c.number),
                        row(&c.counts)
                    );
                }
                let _ = writeln!(out, "  {:<60} {}", "total", row(&p.total));
                if p.missing.is_empty() {
                    let _ = writeln!(out, "  every required question that applies is answered");
                } else {
                    let shown: Vec<&str> = p.missing.iter().take(12).map(String::as_str).collect();
                    let more = p.missing.len().saturating_sub(shown.len());
                    let _ = writeln!(
                        out,
                        "  missing to submit ({}): {}{}",
                        p.missing.len(),
                        shown.join(", "),
                        if more > 0 {
                            format!(", and {more} more")
                        } else {
                            String::new()
                        }
                    );
                }
            }
            if errors > 0 {
                let _ = writeln!(
                    out,
                    "\nthe dossier has {errors} error(s); run `saq validate {}`",
                    path.display()
                );
            }
            print(&out)?;
        }
    }
    Ok(if errors > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn row(c: &Counts) -> String {
    format!(
        "{:>9} {:>9} {:>8}",
        format!("{}/{}", c.required_answered, c.required_applicable),
        format!("{}/{}", c.optional_answered, c.optional_applicable),
        c.comments
    )
}
