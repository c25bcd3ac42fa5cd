//! Localized text: what every human-readable string in a questionnaire is.
//!
//! A `Text` is either a plain string (English) or a map of language codes to strings
//! in which `en` is required, so that any language can fall back to English. The
//! check for `en` and for the languages a questionnaire claims to carry is semantic
//! (in `questionnaire::check`) rather than in the schema, so its message can say which
//! language is missing instead of "matches none of the alternatives".

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The six official languages of the United Nations, in UN order.
pub const UN_LANGUAGES: [&str; 6] = ["ar", "zh", "en", "fr", "ru", "es"];

/// The language every text must carry and every other falls back to.
pub const FALLBACK_LANGUAGE: &str = "en";

/// A string in one or several languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    /// English only.
    Plain(String),
    /// Keyed by language code (`en`, `es`, `fr`, ...).
    Localized(
        #[schemars(extend("propertyNames" = {
            "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*$",
            "description": "a language code in lowercase, such as `en`, `es` or `zh`",
        }))]
        BTreeMap<String, String>,
    ),
}

impl Text {
    /// The text in `lang`, if the text carries that language.
    pub fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Text::Plain(s) => (lang == FALLBACK_LANGUAGE).then_some(s.as_str()),
            Text::Localized(map) => map.get(lang).map(String::as_str),
        }
    }

    /// The text in `lang`, or in English when it lacks `lang`. The flag is true when
    /// English was substituted, so a renderer can mark untranslated text.
    pub fn resolve(&self, lang: &str) -> (&str, bool) {
        match self.get(lang) {
            Some(s) => (s, false),
            None => (self.english(), lang != FALLBACK_LANGUAGE),
        }
    }

    /// The English text; empty only for a (diagnosed) text without `en`.
    pub fn english(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Localized(map) => map.get(FALLBACK_LANGUAGE).map_or("", String::as_str),
        }
    }

    /// The languages this text carries.
    pub fn languages(&self) -> Vec<&str> {
        match self {
            Text::Plain(_) => vec![FALLBACK_LANGUAGE],
            Text::Localized(map) => map.keys().map(String::as_str).collect(),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_and_says_so() {
        let t: Text =
            serde_json::from_value(serde_json::json!({"en": "Yes", "fr": "Oui"})).unwrap();
        assert_eq!(t.resolve("fr"), ("Oui", false));
        assert_eq!(t.resolve("ar"), ("Yes", true));
        assert_eq!(t.resolve("en"), ("Yes", false));
        let plain = Text::from("Hello");
        assert_eq!(plain.resolve("es"), ("Hello", true));
        assert_eq!(plain.languages(), vec!["en"]);
    }
}
