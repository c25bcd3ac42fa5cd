//! Stakeholder submissions: one organization's comments on one state's review.
//!
//! Resolution 9/1 invites civil society, academia and the private sector to take
//! part. A submission says who speaks (and whether they may be named), who may read
//! it (`visibility`), and comments anchored to questions, articles or the review as
//! a whole. Confidentiality is enforced when packs are assembled; here a submission
//! is only read and checked.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::questionnaire::{Catalog, Questionnaire};
use crate::response::{named_questionnaire, unknown_state};
use crate::source::{self, Document, SourceFile};
use crate::structure;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub questionnaire: String,
    /// The state under review.
    pub state: String,
    pub contributor: Contributor,
    /// The lowest audience that may read this submission.
    pub visibility: Audience,
    pub attribution: Attribution,
    #[serde(default = "english")]
    pub language: String,
    pub submitted_on: String,
    pub comments: Vec<Comment>,
}

fn english() -> String {
    "en".to_string()
}

/// Who a pack is for, and (as a submission's `visibility`) the lowest audience
/// that may read a submission. Ordered: public < reviewers < secretariat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Public,
    Reviewers,
    Secretariat,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Public, Audience::Reviewers, Audience::Secretariat];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Reviewers => "reviewers",
            Audience::Secretariat => "secretariat",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// Confidentiality rule 1: a pack for `self` may show something visible to `visibility`.
    pub fn may_read(self, visibility: Audience) -> bool {
        self >= visibility
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    Named,
    Anonymous,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    pub name: String,
    pub kind: ContributorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Never rendered in any pack (confidentiality rule 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributorKind {
    Ngo,
    Academia,
    PrivateSector,
    Other,
}

impl ContributorKind {
    pub const ALL: [ContributorKind; 4] = [
        ContributorKind::Ngo,
        ContributorKind::Academia,
        ContributorKind::PrivateSector,
        ContributorKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContributorKind::Ngo => "ngo",
            ContributorKind::Academia => "academia",
            ContributorKind::PrivateSector => "private_sector",
            ContributorKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// A question id, an article id (`art5`) or `general`.
    pub target: String,
    /// An exact passage of the government's answer this comment is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    pub stance: Stance,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Supports,
    Contests,
    Complements,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Supports, Stance::Contests, Stance::Complements];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Contests => "contests",
            Stance::Complements => "complements",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
}

/// What a comment is anchored to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    General,
    /// An article number, as in `art5` -> `5`.
    Article(String),
    Question(String),
}

impl Target {
    pub fn parse(text: &str) -> Target {
        if text == "general" {
            Target::General
        } else if text.contains('.') {
            Target::Question(text.to_string())
        } else {
            Target::Article(text.trim_start_matches("art").to_string())
        }
    }
}

/// A submission read from a file.
#[derive(Debug, Clone)]
pub struct LoadedSubmission {
    pub source: SourceFile,
    pub doc: Document,
    pub submission: Submission,
}

/// Validates a submission file on its own (quotes need the dossier's responses).
pub fn validate_file(
    catalog: &Catalog,
    file: &SourceFile,
) -> (Option<LoadedSubmission>, Vec<Diagnostic>) {
    match source::parse(file) {
        Ok(doc) => validate_parsed(catalog, file, doc),
        Err(d) => (None, d),
    }
}

/// Like [`validate_file`], for a file already parsed into `doc` (e.g. to detect its
/// kind), so that it is not parsed again.
pub fn validate_parsed(
    catalog: &Catalog,
    file: &SourceFile,
    doc: Document,
) -> (Option<LoadedSubmission>, Vec<Diagnostic>) {
    let q: &Questionnaire = match named_questionnaire(catalog, file, &doc) {
        Ok(q) => q,
        Err(d) => return (None, vec![d]),
    };
    let validator = match catalog.submission_validator(q) {
        Ok(v) => v,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::new(
                    crate::Code::SchemaViolation,
                    &file.path,
                    e.to_string(),
                )],
            )
        }
    };
    let loaded = match structure::load_document::<Submission>(file, doc, &validator) {
        Ok(l) => l,
        Err(d) => return (None, d),
    };
    let mut diagnostics = loaded.diagnostics;
    let s = &loaded.value;
    if !crate::state::is_known(&s.state) {
        diagnostics.push(unknown_state(file, &loaded.doc, "/state", &s.state));
    }
    if let Some(country) = &s.contributor.country {
        if !crate::state::is_known(country) {
            diagnostics.push(unknown_state(
                file,
                &loaded.doc,
                "/contributor/country",
                country,
            ));
        }
    }
    (
        Some(LoadedSubmission {
            source: file.clone(),
            doc: loaded.doc,
            submission: loaded.value,
        }),
        diagnostics,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_are_ordered_and_rule_one_follows() {
        assert!(
            Audience::Public < Audience::Reviewers && Audience::Reviewers < Audience::Secretariat
        );
        assert!(Audience::Secretariat.may_read(Audience::Reviewers));
        assert!(!Audience::Public.may_read(Audience::Reviewers));
        assert!(Audience::Reviewers.may_read(Audience::Reviewers));
    }

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("general"), Target::General);
        assert_eq!(Target::parse("art5"), Target::Article("5".into()));
        assert_eq!(
            Target::parse("art5.offence"),
            Target::Question("art5.offence".into())
        );
    }
}
