//! The pack model: everything a template may use, and nothing more.
//!
//! It is built per audience by `assemble`, so what is not in it cannot be rendered:
//! hidden submissions, contact addresses, the focal point's e-mail and anonymous
//! contributors' identities are never copied in. Its JSON form is `--format json`,
//! a contract for other tools (fields are only ever added); `saq schema pack`
//! publishes its schema.

use schemars::JsonSchema;
use serde::Serialize;

use crate::markdown::Prose;

/// Bumped only when a field changes meaning (never for additions).
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Pack {
    pub format_version: u32,
    pub state: String,
    pub audience: String,
    pub audience_label: String,
    pub lang: String,
    /// `ltr`, or `rtl` for Arabic.
    pub dir: String,
    /// The newest date among the inputs shown, or `--date`.
    pub date: String,
    /// The pack's own words (headings, stance names) in `lang`.
    pub labels: std::collections::BTreeMap<String, String>,
    pub cover: Cover,
    pub summary: Summary,
    pub instruments: Vec<Instrument>,
    pub points: Vec<Point>,
    pub contributors: Vec<Contributor>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Cover {
    pub instruments: Vec<CoverInstrument>,
    /// Only in packs for reviewers and the secretariat; never an e-mail address.
    pub focal_points: Vec<FocalPoint>,
    /// The inputs this pack shows, each with its SHA-256.
    pub inputs: Vec<Input>,
    /// SHA-256 over the digests of the inputs listed, in order. Hidden inputs are left
    /// out on purpose: a digest that changed with them would reveal that they exist.
    pub digest: String,
    /// Filters applied (`--instrument`, `--cluster`), for the record.
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoverInstrument {
    pub id: String,
    pub questionnaire: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub submitted_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FocalPoint {
    pub instrument: String,
    pub name: String,
    pub institution: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Input {
    /// A response's path in the dossier, or a submission's contributor as this pack names it.
    pub label: String,
    pub kind: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Summary {
    pub completion: Vec<Completion>,
    pub compliance: Vec<ComplianceCount>,
    pub stakeholders: Vec<KindCount>,
    pub submissions: usize,
    pub comments: usize,
    /// Questions with the most contesting comments, most first.
    pub contested: Vec<Contested>,
    pub assistance: Vec<AssistanceCount>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Completion {
    pub instrument: String,
    pub cluster: u8,
    pub title: String,
    pub required_answered: usize,
    pub required_applicable: usize,
    pub optional_answered: usize,
    pub optional_applicable: usize,
    pub percent: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComplianceCount {
    pub instrument: String,
    pub yes: usize,
    pub partially: usize,
    pub no: usize,
    pub unanswered: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KindCount {
    pub kind: String,
    pub label: String,
    pub submissions: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Contested {
    pub instrument: String,
    pub question: String,
    pub anchor: String,
    pub prompt: String,
    pub contests: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssistanceCount {
    pub kind: String,
    pub label: String,
    pub count: usize,
    /// Anchors of the questions where it was asked for.
    pub questions: Vec<QuestionRef>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionRef {
    pub instrument: String,
    pub id: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Instrument {
    pub id: String,
    pub anchor: String,
    pub questionnaire: String,
    pub title: String,
    pub title_fallback: bool,
    pub status: String,
    pub status_label: String,
    pub general_comments: Vec<Comment>,
    pub clusters: Vec<Cluster>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Cluster {
    pub number: u8,
    pub anchor: String,
    pub title: String,
    pub title_fallback: bool,
    pub articles: Vec<Article>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Article {
    pub number: String,
    pub anchor: String,
    pub title: String,
    pub title_fallback: bool,
    /// Comments on the article as a whole.
    pub comments: Vec<Comment>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Question {
    pub id: String,
    pub anchor: String,
    pub kind: String,
    pub required: bool,
    pub prompt: String,
    pub prompt_fallback: bool,
    /// False when its `show_if` does not hold given the answers (shown greyed, not hidden).
    pub applies: bool,
    pub answer: Option<Answer>,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Answer {
    pub value: Value,
    pub explanation: Option<Prose>,
}

/// An answer's value, already in display form so templates need no type logic.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Value {
    /// compliance, yes_no, choice: one coded value with its label.
    Choice {
        code: String,
        label: String,
    },
    MultiChoice {
        items: Vec<Coded>,
    },
    Text {
        prose: Prose,
    },
    Number {
        value: String,
        unit: Option<String>,
    },
    Date {
        value: String,
    },
    Legislation {
        items: Vec<Legislation>,
    },
    Cases {
        items: Vec<Case>,
    },
    Table {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Assistance {
        items: Vec<Assistance>,
    },
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Coded {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Legislation {
    pub title: String,
    pub provision: String,
    pub url: Option<String>,
    pub excerpt: Option<Prose>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Case {
    pub title: String,
    pub year: Option<i64>,
    pub court: Option<String>,
    pub summary: Prose,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Assistance {
    pub kind: String,
    pub label: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Comment {
    pub anchor: String,
    /// The contributor as this pack may name them: the name, or "Contributor N (kind)".
    pub contributor: String,
    pub contributor_anchor: String,
    pub kind: String,
    pub stance: String,
    pub stance_label: String,
    pub language: String,
    pub quote: Option<String>,
    /// Anchor of the highlighted passage in the answer, when it could be marked.
    pub quote_anchor: Option<String>,
    pub body: Prose,
    pub recommendation: Option<Prose>,
    pub evidence: Vec<Evidence>,
    pub submitted_on: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Evidence {
    pub title: String,
    pub url: Option<String>,
    pub date: Option<String>,
    pub publisher: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Point {
    /// unanswered | no | partially | contested | assistance
    pub kind: String,
    pub label: String,
    pub instrument: String,
    pub question: String,
    pub anchor: String,
    pub prompt: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Contributor {
    pub anchor: String,
    pub label: String,
    pub kind: String,
    pub kind_label: String,
    /// False for anonymous contributors (whose identity only the secretariat sees).
    pub named: bool,
    pub anonymous: bool,
    pub website: Option<String>,
    pub country: Option<String>,
    pub visibility: String,
    pub language: String,
    pub instruments: Vec<String>,
    pub comments: usize,
}
