//! The questionnaire file format as Rust types.
//!
//! Field names and meanings are a contract (DESIGN.md, "Files"): users keep these
//! files for years and other tools read them. Every struct denies unknown keys so a
//! typo is reported instead of silently dropped. The JSON Schema published by
//! `saq schema questionnaire` is derived from these types, so the two cannot drift.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::text::Text;

/// A questionnaire id is an instrument id: lowercase letters, digits and `_`.
pub const ID_PATTERN: &str = "^[a-z][a-z0-9_]*$";
/// A version is `MAJOR.MINOR`, written as a string (`"1.0"`, not `1.0`).
pub const VERSION_PATTERN: &str = r"^[0-9]+\.[0-9]+$";
/// Question ids are `art<N>.<name>`: the article they belong to, then a name.
pub const QUESTION_ID_PATTERN: &str = r"^art[0-9]+[a-z]?\.[a-z][a-z0-9_]*$";
/// Option and column ids are what answers store.
pub const KEY_PATTERN: &str = "^[a-z][a-z0-9_]*$";
/// An article number as the instrument numbers it (`5`, `5bis`).
pub const ARTICLE_PATTERN: &str = "^[0-9]+[a-z]*$";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "saq questionnaire",
    description = "A versioned self-assessment questionnaire for one instrument (questionnaires/<id>/<version>.yaml)."
)]
pub struct Questionnaire {
    /// The instrument: `untoc`, `trafficking`, `smuggling` or `firearms`. It is also the
    /// folder the questionnaire lives in and the first half of `id@version`.
    #[schemars(
        regex(pattern = r"^[a-z][a-z0-9_]*$"),
        description = "an instrument id in lowercase letters, digits and `_`, such as `untoc`"
    )]
    pub id: String,
    /// `MAJOR.MINOR`, quoted so YAML keeps it as text (`1.10` would be the number 1.1).
    #[schemars(
        regex(pattern = r"^[0-9]+\.[0-9]+$"),
        description = "a version MAJOR.MINOR in quotes, such as `\"1.0\"`"
    )]
    pub version: String,
    /// The instrument's full name.
    pub instrument: Text,
    pub title: Text,
    /// Languages this version carries in full (besides the always-present English).
    #[serde(default)]
    pub languages: Vec<Language>,
    /// What changed from the previous version, for migrating responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    #[schemars(length(min = 1))]
    pub clusters: Vec<Cluster>,
}

/// A language code such as `en` or `es` (ISO 639), optionally with a subtag (`pt-BR`).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
#[schemars(description = "a language code in lowercase, such as `en`, `es` or `zh`")]
pub struct Language(#[schemars(regex(pattern = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"))] pub String);

/// One step of a questionnaire's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum Change {
    /// A question kept its meaning under a new id; answers move to `to`.
    Renamed { renamed: String, to: String },
    /// A question no longer exists; its answers become orphans on migration.
    Removed { removed: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// 1 to 4, as the review mechanism numbers its clusters.
    #[schemars(range(min = 1, max = 4))]
    #[serde(deserialize_with = "whole_number")]
    pub number: u8,
    pub title: Text,
    pub articles: Vec<Article>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// The article's number in the instrument, as a string (`"5"`, `"5bis"`).
    #[schemars(
        regex(pattern = r"^[0-9]+[a-z]*$"),
        description = "an article number in quotes, such as `\"5\"` or `\"5bis\"`"
    )]
    pub article: String,
    pub title: Text,
    pub questions: Vec<Question>,
}

impl Article {
    /// The id comments use to target the whole article (`art5`).
    pub fn id(&self) -> String {
        format!("art{}", self.article)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// `art<N>.<name>`, unique in the questionnaire and stable across versions.
    #[schemars(
        regex(pattern = r"^art[0-9]+[a-z]?\.[a-z][a-z0-9_]*$"),
        description = "a question id `art<N>.<name>` in lowercase letters, digits and `_`, such as `art5.offence`"
    )]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// Whether a submitted response must answer it (when its `show_if` holds).
    #[serde(default)]
    pub required: bool,
    pub prompt: Text,
    /// Explains, in CommonMark, what the article asks and what a good answer contains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<Text>,
    /// A condition over earlier answers; the question applies only when it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    /// For `choice` and `multi_choice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<ChoiceOption>>,
    /// For `table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<Column>>,
    /// For `number`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// For `number`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// For `number`; display only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
}

/// The kinds of question, each with its own answer shape (DESIGN.md table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Compliance,
    YesNo,
    Choice,
    MultiChoice,
    Text,
    Number,
    Date,
    Legislation,
    Cases,
    Table,
    AssistanceNeeds,
}

impl QuestionType {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Compliance => "compliance",
            QuestionType::YesNo => "yes_no",
            QuestionType::Choice => "choice",
            QuestionType::MultiChoice => "multi_choice",
            QuestionType::Text => "text",
            QuestionType::Number => "number",
            QuestionType::Date => "date",
            QuestionType::Legislation => "legislation",
            QuestionType::Cases => "cases",
            QuestionType::Table => "table",
            QuestionType::AssistanceNeeds => "assistance_needs",
        }
    }
}

/// The values of a `compliance` answer, in the order they are shown.
pub const COMPLIANCE_VALUES: [&str; 3] = ["yes", "partially", "no"];
/// The values of a `yes_no` answer.
pub const YES_NO_VALUES: [&str; 2] = ["yes", "no"];
/// The kinds of technical assistance a state can ask for.
pub const ASSISTANCE_KINDS: [&str; 7] = [
    "legislative_drafting",
    "training",
    "institution_building",
    "equipment",
    "data_collection",
    "international_cooperation",
    "other",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// What an answer stores when this option is chosen; unique within the question.
    #[schemars(
        regex(pattern = r"^[a-z][a-z0-9_]*$"),
        description = "an option id in lowercase letters, digits and `_`, such as `partially`"
    )]
    pub id: String,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The key of this column's cell in every row of an answer; unique within the table.
    #[schemars(
        regex(pattern = r"^[a-z][a-z0-9_]*$"),
        description = "a column id in lowercase letters, digits and `_`, such as `year`"
    )]
    pub id: String,
    pub label: Text,
    #[serde(rename = "type")]
    pub kind: ColumnType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    Text,
    Number,
    Date,
    YesNo,
}

impl Questionnaire {
    /// `id@version`, the name responses and submissions use.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// Every question in questionnaire order, with its cluster and article.
    pub fn questions(&self) -> impl Iterator<Item = (&Cluster, &Article, &Question)> {
        self.clusters.iter().flat_map(|c| {
            c.articles
                .iter()
                .flat_map(move |a| a.questions.iter().map(move |q| (c, a, q)))
        })
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, _, q)| q).find(|q| q.id == id)
    }

    pub fn articles(&self) -> impl Iterator<Item = (&Cluster, &Article)> {
        self.clusters
            .iter()
            .flat_map(|c| c.articles.iter().map(move |a| (c, a)))
    }

    pub fn question_count(&self) -> usize {
        self.questions().count()
    }
}

impl Question {
    /// The values a condition may compare this question with, or `None` when any
    /// value of the right kind will do (numbers, dates, text).
    pub fn allowed_values(&self) -> Option<Vec<&str>> {
        match self.kind {
            QuestionType::Compliance => Some(COMPLIANCE_VALUES.to_vec()),
            QuestionType::YesNo => Some(YES_NO_VALUES.to_vec()),
            QuestionType::Choice | QuestionType::MultiChoice => Some(
                self.options
                    .iter()
                    .flatten()
                    .map(|o| o.id.as_str())
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// Reads a whole number that YAML may have written as `1` or `1.0`.
///
/// JSON Schema counts `1.0` as an integer, so the published schema (and an editor
/// using it) accepts `number: 1.0`; serde on its own would not read it into an integer
/// type. This keeps the loader as permissive as the schema, and no more: `1.5` and
/// numbers out of the type's range are still refused.
fn whole_number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    use serde::de::{Error, Unexpected};
    let expected = "a whole number";
    let n = serde_json::Number::deserialize(deserializer)?;
    let whole = match (n.as_u64(), n.as_f64()) {
        (Some(u), _) => Some(u),
        (None, Some(f)) if f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&f) => {
            Some(f as u64)
        }
        _ => None,
    };
    let Some(whole) = whole else {
        let unexpected = match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Unexpected::Signed(i),
            (None, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("a number"),
        };
        return Err(D::Error::invalid_value(unexpected, &expected));
    };
    T::try_from(whole)
        .map_err(|_| D::Error::invalid_value(Unexpected::Unsigned(whole), &"a smaller number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster_number(number: serde_json::Value) -> Result<u8, String> {
        let cluster = serde_json::json!({ "number": number, "title": "T", "articles": [] });
        serde_json::from_value::<Cluster>(cluster)
            .map(|c| c.number)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_cluster_number_may_be_written_as_a_whole_float() {
        assert_eq!(cluster_number(serde_json::json!(2)), Ok(2));
        assert_eq!(cluster_number(serde_json::json!(1.0)), Ok(1));
        assert!(cluster_number(serde_json::json!(1.5)).is_err());
        assert!(cluster_number(serde_json::json!(-1)).is_err());
        assert!(cluster_number(serde_json::json!(300)).is_err());
        assert!(cluster_number(serde_json::json!("1")).is_err());
    }
}
