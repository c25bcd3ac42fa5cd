//! Writing values back as YAML, for the files saq rewrites (migrated responses).
//!
//! Block style throughout, strings quoted only when YAML would read them as
//! something else, multi-line text as literal blocks: the way people write these
//! files by hand, so a rewritten file still reads naturally in review.

use serde_json::Value;

/// A whole document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(map, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn mapping(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(key, indent));
        out.push(':');
        entry(value, indent, out);
    }
}

/// The part after `key:` or `-`: inline for scalars and empty collections, nested otherwise.
fn entry(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(m, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(items, indent + 2, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Value::Object(m) if !m.is_empty() => {
                // The first key shares the dash's line; the rest align under it.
                let mut first = true;
                for (key, value) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    out.push_str(&string(key, indent + 2));
                    out.push(':');
                    entry(value, indent + 2, out);
                }
            }
            other => entry(other, indent, out),
        }
    }
}

fn scalar(value: &Value, indent: usize) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, indent),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn string(s: &str, indent: usize) -> String {
    if s.contains('\n')
        && !s.contains('\r')
        && !s.starts_with(' ')
        && s.lines().all(|l| l.trim_end() == l)
    {
        let pad = " ".repeat(indent);
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        let body: Vec<String> = s
            .lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("{pad}{l}")
                }
            })
            .collect();
        return format!("|{chomp}\n{}", body.join("\n"))
            .trim_end_matches('\n')
            .to_string();
    }
    if is_plain(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

/// Whether `s` can be written unquoted and read back as the same string.
fn is_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = [
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
    ];
    first.is_alphabetic()
        && !reserved.contains(&s)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " _-./@(),".contains(c))
        && !s.ends_with(' ')
        && s.parse::<f64>().is_err()
        && !s.starts_with(".inf")
        && !s.starts_with(".nan")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, SourceFile};

    #[test]
    fn round_trips_through_the_loader() {
        let value = serde_json::json!({
            "questionnaire": "untoc@1.1",
            "status": "submitted",
            "answers": {
                "art5.offence": { "value": "yes", "explanation": "Line one.\nLine two: with colon.\n" },
                "art5.stats": { "value": [ { "year": 2023, "cases": 4 }, { "year": 2024, "cases": 5.5 } ] },
                "art5.kinds": { "value": ["training", "other"] },
                "art5.weird": { "value": "no" },
                "art5.quote": { "value": "\"quoted\" # not a comment: really" },
                "art5.empty": { "value": [] },
                "art5.number_like": { "value": "1.0" },
                "art5.trailing": { "value": "no newline\nat end" }
            }
        });
        let text = to_yaml(&value);
        let doc = parse(&SourceFile {
            path: "t.yaml".into(),
            text: text.clone(),
        })
        .unwrap_or_else(|d| panic!("{d:?}\n{text}"));
        assert_eq!(doc.value, value, "{text}");
    }
}
