//! A line-oriented YAML writer that remembers where things are, so errors can be
//! planted at a known line afterwards.

use crate::prose::wrap;

/// A line worth planting an error on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkKind {
    /// `key: value` where value is an enumeration member (compliance, option, stance).
    Enum { token: String },
    /// An optional key whose misspelling has no side effect on other files.
    OptionalKey { key: String },
    /// A number with a lower bound of 0 (or a case year), written as `key: N`.
    Bounded { key: String, token: String },
    /// A date scalar `key: YYYY-MM-DD`.
    Date { token: String },
    /// `quote: "..."` of a comment on an instrument.
    Quote { instrument: String },
    /// A mapping key line indented with spaces, outside any block scalar.
    Indented,
}

#[derive(Debug, Clone)]
pub struct Mark {
    pub line: usize,
    pub kind: MarkKind,
}

#[derive(Debug, Default)]
pub struct Writer {
    pub lines: Vec<String>,
    pub marks: Vec<Mark>,
}

impl Writer {
    /// Writes a line and returns its 1-based number.
    pub fn line(&mut self, indent: usize, text: &str) -> usize {
        self.lines.push(format!("{}{text}", " ".repeat(indent)));
        self.lines.len()
    }

    pub fn mark(&mut self, line: usize, kind: MarkKind) {
        self.marks.push(Mark { line, kind });
    }

    /// `key: value` with the value quoted as needed.
    pub fn field(&mut self, indent: usize, key: &str, value: &str) -> usize {
        self.line(indent, &format!("{key}: {}", scalar(value)))
    }

    /// `key: |` and the text as a literal block.
    pub fn block(&mut self, indent: usize, key: &str, text: &str) -> usize {
        let at = self.line(indent, &format!("{key}: |"));
        for l in wrap(text, 88) {
            if l.is_empty() {
                self.lines.push(String::new());
            } else {
                self.line(indent + 2, &l);
            }
        }
        at
    }

    pub fn drafted(self) -> crate::generate::Drafted {
        let mut text = self.lines.join("\n");
        text.push('\n');
        crate::generate::Drafted {
            text,
            marks: self.marks,
        }
    }
}

/// A string as a YAML scalar: plain when YAML reads it back as the same string,
/// double-quoted otherwise.
pub fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if ["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(&lower.as_str()) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") {
        return false;
    }
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || " .,_-'()/;@".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_what_yaml_would_misread() {
        assert_eq!(scalar("Penal Code"), "Penal Code");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("s. 4: offence"), "\"s. 4: offence\"");
        assert_eq!(scalar("2024"), "\"2024\"");
        assert_eq!(scalar("a \"b\""), "\"a \\\"b\\\"\"");
        assert_eq!(scalar("https://x.example/a"), "\"https://x.example/a\"");
    }
}
