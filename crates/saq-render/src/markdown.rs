//! Untrusted Markdown, made safe for every output format (confidentiality rule 5).
//!
//! Explanations, comments and recommendations are written by people outside saq's
//! control, and a pack is opened by reviewers in a browser. So raw HTML in Markdown
//! is turned into visible text (never markup), images are dropped (a self-contained
//! pack makes no external requests), and only http, https and mailto links survive.
//! HTML output is additionally passed through ammonia with a strict allow-list, as a
//! second wall should the first ever let something through.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

// A pack assembled for one format (`assemble_for`) leaves the other half empty. Not
// said in the doc comment: it is the published pack schema's description.
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

/// Which halves of [`Prose`] to render. A pack is written in one format, and the
/// half it does not use was a third of the time spent assembling it; JSON packs are
/// the whole model, so they carry both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halves {
    Both,
    /// Only `Prose.html`; `md` is left empty.
    Html,
    /// Only `Prose.md`; `html` is left empty.
    Markdown,
}

impl Halves {
    fn html(self) -> bool {
        self != Halves::Markdown
    }

    fn md(self) -> bool {
        self != Halves::Html
    }
}

/// Renders untrusted Markdown.
pub fn prose(source: &str) -> Prose {
    prose_in(source, Halves::Both)
}

/// Renders untrusted Markdown in the halves asked for.
pub fn prose_in(source: &str, halves: Halves) -> Prose {
    highlighted_in(source, &[], halves).0
}

/// Renders untrusted Markdown, wrapping each quoted passage (matched with whitespace
/// collapsed) in `<mark>` in the HTML. Passages that cross Markdown markup are not
/// marked rather than risk breaking the structure; the comment still shows the quote.
pub fn highlighted(source: &str, highlights: &[Highlight]) -> Prose {
    highlighted_in(source, highlights, Halves::Both).0
}

/// [`highlighted`] in the halves asked for, with the indices (into `highlights`) of
/// the passages whose `<mark>` is in the HTML: a comment links to its passage only
/// when the mark is there, whichever format the pack is in.
pub fn highlighted_in(
    source: &str,
    highlights: &[Highlight],
    halves: Halves,
) -> (Prose, Vec<usize>) {
    let clean = without_sentinels(source);
    let md = if halves.md() {
        to_markdown(&clean)
    } else {
        String::new()
    };
    let (marked_source, placed) = insert_marks(&clean, highlights);
    // Whether a placed passage keeps its mark is only known from the HTML (inside a
    // link's address it is lost), so a Markdown-only render still renders the HTML of
    // prose with a placed passage, and throws it away.
    if !halves.html() && placed.is_empty() {
        return (
            Prose {
                html: String::new(),
                md,
            },
            Vec::new(),
        );
    }
    let mut html = to_html(&marked_source);
    if has_sentinel(&html) {
        // A passage inside an attribute (a link's title or address) is not marked:
        // markup there would break the attribute.
        html = drop_sentinels_in_tags(&html);
    }
    let mut marked = Vec::new();
    for (i, &highlight) in placed.iter().enumerate() {
        let open = format!("{OPEN}{i}{SEP}");
        if html.contains(&open) {
            marked.push(highlight);
            let anchor = html_escape(&highlights[highlight].anchor);
            html = html.replace(&open, &format!("<mark class=\"quote\" id=\"{anchor}\">"));
        }
    }
    if !halves.html() {
        return (
            Prose {
                html: String::new(),
                md,
            },
            marked,
        );
    }
    if has_sentinel(&html) {
        html = html.replace(CLOSE, "</mark>");
        // Any sentinel that did not survive as a pair is removed.
        html.retain(|c| !is_sentinel(c));
    }
    (Prose { html, md }, marked)
}

/// `source` without the sentinel characters, whether written as themselves or as
/// numeric character references (`&#xE002;`, `&#57346;`), which Markdown decodes:
/// only saq places sentinels.
fn without_sentinels(source: &str) -> Cow<'_, str> {
    if !has_sentinel(source) && !source.contains("&#") {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find(|c: char| c == '&' || is_sentinel(c)) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let reference = sentinel_reference(rest);
        if reference > 0 {
            rest = &rest[reference..];
        } else {
            let c = rest.chars().next().unwrap_or('&');
            if !is_sentinel(c) {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The length of the numeric character reference for a sentinel at the start of
/// `text`, or 0 when there is none.
fn sentinel_reference(text: &str) -> usize {
    let Some(body) = text.strip_prefix("&#") else {
        return 0;
    };
    let (digits, radix, skip) = match body.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 3),
        None => (body, 10, 2),
    };
    let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
    if len == 0 || !digits[len..].starts_with(';') {
        return 0;
    }
    match u32::from_str_radix(digits[..len].trim_start_matches('0'), radix)
        .ok()
        .and_then(char::from_u32)
    {
        Some(c) if is_sentinel(c) => skip + len + 1,
        _ => 0,
    }
}

/// The sanitized HTML without the sentinels that ended up inside a tag. The sanitizer
/// writes every attribute value in double quotes with `"` escaped, so a tag ends at
/// the first `>` outside quotes.
fn drop_sentinels_in_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let (mut in_tag, mut in_quotes, mut in_index) = (false, false, false);
    for c in html.chars() {
        match c {
            // `OPEN i SEP` goes as a whole, the passage's number with it.
            OPEN if in_tag => in_index = true,
            SEP if in_tag => in_index = false,
            d if in_index && d.is_ascii_digit() => {}
            CLOSE if in_tag => {}
            '<' if !in_tag => {
                in_tag = true;
                out.push(c);
            }
            '"' if in_tag => {
                in_quotes = !in_quotes;
                out.push(c);
            }
            '>' if in_tag && !in_quotes => {
                in_tag = false;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn is_sentinel(c: char) -> bool {
    matches!(c, OPEN | SEP | CLOSE)
}

/// `text.contains(is_sentinel)`, but by three fast substring searches: most prose
/// has none, and this runs on every field.
fn has_sentinel(text: &str) -> bool {
    text.contains(OPEN) || text.contains(SEP) || text.contains(CLOSE)
}

/// `source` with each placeable passage between sentinels (`OPEN i SEP` ... `CLOSE`),
/// and for each `i` the index in `highlights` of the passage it marks.
fn insert_marks<'s>(source: &'s str, highlights: &[Highlight]) -> (Cow<'s, str>, Vec<usize>) {
    if highlights.is_empty() {
        return (Cow::Borrowed(source), Vec::new());
    }
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
    let mut placed = Vec::new();
    for (index, h) in highlights.iter().enumerate() {
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
        ranges.push((start, end, placed.len()));
        placed.push(index);
    }
    if placed.is_empty() {
        return (Cow::Borrowed(source), placed);
    }
    ranges.sort_by_key(|(s, _, _)| std::cmp::Reverse(*s));
    let mut out = source.to_string();
    for (start, end, index) in ranges {
        out.insert(end, CLOSE);
        out.insert_str(start, &format!("{OPEN}{index}{SEP}"));
    }
    (Cow::Owned(out), placed)
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
    fn each_half_alone_is_that_half_of_both() {
        let source = "See [the law](https://law.example/covers-participation) *here*.\n\nIt covers participation in groups <b>now</b>.";
        let highlights = [
            Highlight {
                quote: "covers participation in".into(),
                anchor: "q-1".into(),
            },
            // Inside the link's address: placed, but the mark does not survive.
            Highlight {
                quote: "law.example/covers-participation".into(),
                anchor: "q-2".into(),
            },
            Highlight {
                quote: "not in the text".into(),
                anchor: "q-3".into(),
            },
        ];
        assert_eq!(insert_marks(source, &highlights).1, [0, 1]);
        let (both, marked) = highlighted_in(source, &highlights, Halves::Both);
        assert_eq!(marked, [0], "{}", both.html);
        assert!(both.html.contains("id=\"q-1\""), "{}", both.html);
        for (halves, expected) in [
            (
                Halves::Html,
                Prose {
                    html: both.html.clone(),
                    md: String::new(),
                },
            ),
            (
                Halves::Markdown,
                Prose {
                    html: String::new(),
                    md: both.md.clone(),
                },
            ),
        ] {
            assert_eq!(
                highlighted_in(source, &highlights, halves),
                (expected, marked.clone()),
                "{halves:?}"
            );
        }
        assert_eq!(prose_in(source, Halves::Both), prose(source));
    }

    #[test]
    fn sentinels_in_input_cannot_forge_marks() {
        let p = highlighted("x\u{E000}0\u{E001}y\u{E002}", &[]);
        assert!(!p.html.contains("<mark"), "{}", p.html);
        // Regression: written as character references, which Markdown decodes, they
        // used to come out as a stray `</mark>`.
        for source in [
            "a &#xE002; b",
            "a &#XE000;0&#xe001;b&#57346; c",
            "a &#0057346; b",
        ] {
            let p = highlighted(source, &[]);
            assert!(!p.html.contains("mark"), "{source}: {}", p.html);
            assert!(!p.html.contains(is_sentinel), "{source}: {}", p.html);
            assert!(!p.md.contains(is_sentinel), "{source}: {}", p.md);
        }
        // Other references are left alone.
        assert_eq!(
            highlighted("a &#xE9; &#38; &#x; b", &[]).html,
            "<p>a é &amp; &amp;#x; b</p>\n"
        );
    }

    #[test]
    fn a_passage_inside_an_attribute_is_not_marked() {
        let highlights = [Highlight {
            quote: "law covers".into(),
            anchor: "q-1".into(),
        }];
        // Regression: the mark used to be written into the title, breaking the tag.
        let (p, marked) = highlighted_in(
            "See [the act](https://example.org \"the law covers this\").",
            &highlights,
            Halves::Both,
        );
        assert!(marked.is_empty(), "{}", p.html);
        assert!(!p.html.contains("mark"), "{}", p.html);
        assert!(
            p.html.contains("title=\"the law covers this\""),
            "{}",
            p.html
        );
        // In the text, it is.
        let (p, marked) = highlighted_in("The law covers this.", &highlights, Halves::Html);
        assert_eq!(marked, vec![0]);
        assert!(
            p.html
                .contains("<mark class=\"quote\" id=\"q-1\">law covers</mark>"),
            "{}",
            p.html
        );
    }
}
