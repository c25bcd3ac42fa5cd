//! Untrusted Markdown, made safe for every output format (confidentiality rule 5).
//!
//! Explanations, comments and recommendations are written by people outside saq's
//! control, and a pack is opened by reviewers in a browser. So raw HTML in Markdown
//! is turned into visible text (never markup), images are dropped (a self-contained
//! pack makes no external requests), and only http, https and mailto links survive.
//! HTML output is additionally passed through ammonia with a strict allow-list, as a
//! second wall should the first ever let something through.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// Prose in the two textual output formats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Prose {
    /// Sanitized HTML, safe to embed as is.
    pub html: String,
    /// Sanitized CommonMark, safe to embed in a Markdown document.
    pub md: String,
}

/// A passage to highlight in an answer, and the anchor its `<mark>` gets.
#[derive(Debug, Clone)]
pub struct Highlight {
    pub quote: String,
    pub anchor: String,
}

const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// How deep quotes and lists may nest in prose before their markup is dropped.
pub const MAX_NESTING: usize = 8;

const OPEN: char = '\u{E000}';
const SEP: char = '\u{E001}';
const CLOSE: char = '\u{E002}';

/// Renders untrusted Markdown.
pub fn prose(source: &str) -> Prose {
    highlighted(source, &[])
}

/// Renders untrusted Markdown, wrapping each quoted passage (matched with whitespace
/// collapsed) in `<mark>` in the HTML. Passages that cross Markdown markup are not
/// marked rather than risk breaking the structure; the comment still shows the quote.
pub fn highlighted(source: &str, highlights: &[Highlight]) -> Prose {
    let clean: String = source
        .chars()
        .filter(|c| !matches!(*c, OPEN | SEP | CLOSE))
        .collect();
    let md = to_markdown(&clean);
    let marked = insert_marks(&clean, highlights);
    let mut html = to_html(&marked.0);
    for (i, anchor) in marked.1.iter().enumerate() {
        let open = format!("{OPEN}{i}{SEP}");
        let tag = format!("<mark class=\"quote\" id=\"{}\">", html_escape(anchor));
        html = html.replace(&open, &tag);
    }
    html = html.replace(CLOSE, "</mark>");
    // Any sentinel that did not survive as a pair is removed.
    html.retain(|c| !matches!(c, OPEN | SEP | CLOSE));
    Prose { html, md }
}

fn insert_marks(source: &str, highlights: &[Highlight]) -> (String, Vec<String>) {
    // Normalized text and, for each of its chars, the byte offset it came from.
    let mut normalized = String::new();
    let mut origin: Vec<usize> = Vec::new();
    let mut pending_space = false;
    for (offset, c) in source.char_indices() {
        if c.is_whitespace() {
            pending_space = !normalized.is_empty();
            continue;
        }
        if pending_space {
            normalized.push(' ');
            origin.push(offset);
            pending_space = false;
        }
        normalized.push(c);
        origin.push(offset);
    }
    let chars: Vec<(usize, char)> = normalized.char_indices().collect();
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new(); // (start byte, end byte, highlight index)
    let mut anchors = Vec::new();
    for h in highlights {
        let needle = h.quote.split_whitespace().collect::<Vec<_>>().join(" ");
        if needle.is_empty() || needle.contains(|c: char| "*_[]<>`\\#|!".contains(c)) {
            continue;
        }
        let Some(at) = normalized.find(&needle) else {
            continue;
        };
        // `chars` is sorted by byte offset.
        let first = chars.binary_search_by_key(&at, |(b, _)| *b).ok();
        let last = chars.partition_point(|(b, _)| *b < at + needle.len());
        let (Some(first), Some(last_char)) = (first, last.checked_sub(1)) else {
            continue;
        };
        let start = origin[first];
        let end_char = origin[last_char];
        let end = end_char + source[end_char..].chars().next().map_or(0, char::len_utf8);
        let region = &source[start..end];
        if region.contains(|c: char| "*_[]<>`\\#|!".contains(c)) || region.contains("\n\n") {
            continue;
        }
        if ranges.iter().any(|(s, e, _)| start < *e && *s < end) {
            continue;
        }
        ranges.push((start, end, anchors.len()));
        anchors.push(h.anchor.clone());
    }
    ranges.sort_by_key(|(s, _, _)| std::cmp::Reverse(*s));
    let mut out = source.to_string();
    for (start, end, index) in ranges {
        out.insert(end, CLOSE);
        out.insert_str(start, &format!("{OPEN}{index}{SEP}"));
    }
    (out, anchors)
}

fn parser(source: &str) -> Parser<'_> {
    Parser::new_ext(source, OPTIONS)
}

/// Only these schemes may be linked; everything else (javascript:, data:, file:,
/// vbscript:, relative paths) loses its link and keeps its text.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The event stream every format starts from: raw HTML becomes text, headings become
/// bold paragraphs (they would break the pack's outline), images and unsafe links go.
fn safe_events(source: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut dropped_links = 0usize;
    let mut in_image = 0usize;
    // Containers (quotes, lists, items) nested past MAX_NESTING lose their markup and
    // keep their text: each level repeats its marker on every line of Markdown output,
    // so unbounded nesting would make the pack grow with the square of the input.
    let mut containers: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    for event in parser(source) {
        let container_start = matches!(
            &event,
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item)
        );
        let container_end = matches!(
            &event,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item)
        );
        if container_start {
            let keep = depth < MAX_NESTING;
            containers.push(keep);
            if !keep {
                continue;
            }
            depth += 1;
        } else if container_end {
            if !containers.pop().unwrap_or(false) {
                continue;
            }
            depth = depth.saturating_sub(1);
        }
        match event {
            // An HTML block becomes a paragraph of text: writers copy the content of
            // an HTML block verbatim, but escape text in a paragraph.
            Event::Start(Tag::HtmlBlock) => out.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => out.push(Event::End(TagEnd::Paragraph)),
            Event::Html(h) | Event::InlineHtml(h) => out.push(Event::Text(h)),
            Event::Start(Tag::Heading { .. }) => {
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                out.push(Event::End(TagEnd::Strong));
                out.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Link { ref dest_url, .. }) if !is_safe_url(dest_url) => {
                dropped_links += 1
            }
            Event::End(TagEnd::Link) if dropped_links > 0 => dropped_links -= 1,
            Event::Text(t) if in_image > 0 => out.push(Event::Text(t)),
            other => out.push(other),
        }
    }
    out
}

/// The second wall: built once, since building it (a few hash sets) cost about as
/// much as cleaning a field with it.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"));
    builder
});

fn to_html(source: &str) -> String {
    let mut raw = String::with_capacity(source.len() + source.len() / 2);
    pulldown_cmark::html::push_html(&mut raw, safe_events(source).into_iter());
    SANITIZER.clean(&raw).to_string()
}

fn to_markdown(source: &str) -> String {
    // The writer backslash-escapes `<`, `[`, `*` and the like in text, so text that
    // looks like markup stays text.
    let events = safe_events(source);
    let mut out = String::new();
    if pulldown_cmark_to_cmark::cmark(events, &mut out, OPTIONS).is_err() {
        // Fall back to fully escaped plain text rather than ever emitting unsafe Markdown.
        return escape_markdown(source);
    }
    out
}

/// Escapes plain text (names, titles) for embedding in Markdown.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_becomes_text_in_both_formats() {
        let p = prose("Hello <script>alert(1)</script> and <b onclick=x>bold</b>");
        assert!(!p.html.contains("<script"), "{}", p.html);
        assert!(!p.html.contains("<b"), "{}", p.html);
        assert!(p.html.contains("&lt;script&gt;"), "{}", p.html);
        assert!(
            p.md.contains("\\<script>"),
            "escaped, so it stays text: {}",
            p.md
        );
    }

    #[test]
    fn only_safe_links_survive() {
        let p = prose("[a](javascript:alert(1)) [b](https://ok.example) [c](data:text/html,x) <javascript:alert(2)>");
        assert!(
            !p.html.to_lowercase().contains("javascript:") || !p.html.contains("href=\"javascript"),
            "{}",
            p.html
        );
        assert!(p.html.contains("href=\"https://ok.example\""), "{}", p.html);
        assert!(!p.md.contains("](javascript"), "{}", p.md);
        assert!(!p.md.contains("](data:"), "{}", p.md);
    }

    #[test]
    fn quotes_are_marked_with_whitespace_collapsed() {
        let p = highlighted(
            "The law   covers\nparticipation in groups.",
            &[Highlight {
                quote: "covers participation".into(),
                anchor: "q-1".into(),
            }],
        );
        assert!(
            p.html
                .contains("<mark class=\"quote\" id=\"q-1\">covers\nparticipation</mark>"),
            "{}",
            p.html
        );
        // Inside markup, the mark nests properly.
        let p = highlighted(
            "a *b c* d",
            &[Highlight {
                quote: "b c".into(),
                anchor: "x".into(),
            }],
        );
        assert!(
            p.html
                .contains("<em><mark class=\"quote\" id=\"x\">b c</mark></em>"),
            "{}",
            p.html
        );
        // Across markup, it is left unmarked rather than breaking the structure.
        let p = highlighted(
            "a *b c* d",
            &[Highlight {
                quote: "a *b".into(),
                anchor: "x".into(),
            }],
        );
        assert!(!p.html.contains("<mark"), "{}", p.html);
    }

    #[test]
    fn markdown_output_parses_back_without_html_or_unsafe_links() {
        let p = prose("<script>x</script> [js](javascript:alert(5)) ![i](https://e.example/z.png)\n\n<div onclick=y>\n\n*ok* <b>x</b>");
        for event in parser(&p.md) {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h:?} in {}", p.md),
                Event::Start(Tag::Image { .. }) => panic!("image in {}", p.md),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    assert!(is_safe_url(&dest_url), "{dest_url} in {}", p.md)
                }
                _ => {}
            }
        }
        assert!(p.md.contains("\\<script>"), "{}", p.md);
    }

    #[test]
    fn sentinels_in_input_cannot_forge_marks() {
        let p = highlighted("x\u{E000}0\u{E001}y\u{E002}", &[]);
        assert!(!p.html.contains("<mark"), "{}", p.html);
    }
}
