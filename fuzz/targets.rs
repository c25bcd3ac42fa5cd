//! The fuzz targets' bodies, shared without copies by two drivers:
//!
//! - cargo-fuzz (nightly, libFuzzer): `fuzz/fuzz_targets/<name>.rs`, each one line
//!   that hands libFuzzer's bytes to the function below;
//! - the stable test suite: `tests/integration/fuzz_targets.rs` drives the same
//!   functions with proptest strategies and replays every saved crash input from
//!   `tests/fixtures/fuzz/<name>/`.
//!
//! Both include this file with `#[path]`, so it may only use crates both have:
//! saq-core, saq-render, serde_json, scraper, pulldown-cmark and tempfile.
//! Every target takes raw bytes (the form crash inputs are saved in); the text
//! targets decode them lossily, so no input is wasted on invalid UTF-8.
//!
//! A target returns normally for any input, or panics: that is the crash.

#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use saq_core::condition::{self, Expr, LiteralValue};
use saq_core::questionnaire::Catalog;
use saq_core::source::SourceFile;
use saq_core::submission::Audience;
use saq_core::Diagnostic;
use saq_render::{assemble, Format, PackOptions, Renderer};
use serde_json::Value;

/// A target: any bytes in, a panic on a bug.
pub type Target = fn(&[u8]);

/// Every target by name: the name is the cargo-fuzz target and the fixture folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("source", source),
    ("condition", condition),
    ("markdown", markdown),
    ("pack", pack),
];

// ---------------------------------------------------------------------------------
// Shared state: the shipped questionnaires and templates, compiled in so that the
// fuzzer needs no files and both drivers see the same ones.

const QUESTIONNAIRES: &[(&str, &str)] = &[
    (
        "questionnaires/untoc/1.0.yaml",
        include_str!("../questionnaires/untoc/1.0.yaml"),
    ),
    (
        "questionnaires/untoc/1.1.yaml",
        include_str!("../questionnaires/untoc/1.1.yaml"),
    ),
    (
        "questionnaires/trafficking/1.0.yaml",
        include_str!("../questionnaires/trafficking/1.0.yaml"),
    ),
    (
        "questionnaires/smuggling/1.0.yaml",
        include_str!("../questionnaires/smuggling/1.0.yaml"),
    ),
    (
        "questionnaires/firearms/1.0.yaml",
        include_str!("../questionnaires/firearms/1.0.yaml"),
    ),
];

const TEMPLATES: &[(&str, &str)] = &[
    ("pack.html", include_str!("../templates/pack.html")),
    ("pack.md", include_str!("../templates/pack.md")),
];

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let files = QUESTIONNAIRES
            .iter()
            .map(|(path, text)| SourceFile {
                path: PathBuf::from(path),
                text: (*text).to_string(),
            })
            .collect();
        let (catalog, diagnostics) = Catalog::from_files(files);
        assert!(
            diagnostics.is_empty(),
            "shipped questionnaires: {diagnostics:#?}"
        );
        catalog
    })
}

pub fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(TEMPLATES.iter().copied()).expect("templates compile"))
}

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

// ---------------------------------------------------------------------------------
// (a) source: bytes -> SourceFile -> parse -> kind detection -> schema -> semantics.

/// What `saq validate` does with one file: never panics, and every diagnostic is
/// about this file and points inside it.
pub fn source(data: &[u8]) {
    let path = PathBuf::from("fuzz.yaml");
    match SourceFile::from_bytes(&path, data.to_vec()) {
        Ok(file) => {
            // The parser alone first, then the whole pipeline.
            let parsed = saq_core::source::parse(&file);
            let report = saq_core::validate::file(catalog(), &file);
            if let Err(found) = &parsed {
                assert!(!found.is_empty(), "a parse error without a diagnostic");
                assert!(
                    !report.diagnostics.is_empty(),
                    "parse failed but validate reported nothing"
                );
            }
            for d in &report.diagnostics {
                assert_located(d, &path, Some(&file.text));
            }
        }
        Err(d) => {
            assert_eq!(d.code, saq_core::Code::NotUtf8, "{d:?}");
            assert_located(&d, &path, None);
        }
    }
}

fn assert_located(d: &Diagnostic, path: &std::path::Path, text: Option<&str>) {
    assert!(!d.message.is_empty(), "{d:?}");
    assert_eq!(d.file, path, "{d:?}");
    let Some(span) = d.span else { return };
    assert!(span.start.line >= 1 && span.start.column >= 1, "{d:?}");
    assert!(span.end.line >= 1 && span.end.column >= 1, "{d:?}");
    assert!(span.start <= span.end, "{d:?}");
    if let Some(text) = text {
        // A point just past the last line (end of file) is the furthest a span may go.
        let lines = text.lines().count().max(1);
        assert!(
            span.start.line <= lines + 1,
            "{d:?} is past the end of a {lines}-line file"
        );
    }
}

// ---------------------------------------------------------------------------------
// (b) condition: parse, evaluate, print, re-parse.

/// A `show_if` condition: errors point inside the source on character boundaries;
/// a parsed condition prints to a canonical form that re-parses to the same
/// expression, prints identically again, and evaluates the same on any answers.
pub fn condition(data: &[u8]) {
    let src = text(data);
    let src = src.as_ref();
    let cond = match condition::parse(src) {
        Ok(c) => c,
        Err(e) => {
            assert!(e.offset + e.len <= src.len(), "{src:?}: {e:?}");
            assert!(src.is_char_boundary(e.offset), "{src:?}: {e:?}");
            assert!(src.is_char_boundary(e.offset + e.len), "{src:?}: {e:?}");
            assert!(!e.message.is_empty(), "{src:?}");
            let _ = e.to_string();
            return;
        }
    };
    assert_eq!(cond.source(), src);
    let comparisons = cond.comparisons();
    for (ident, literals) in &comparisons {
        assert_eq!(
            src.get(ident.offset..ident.offset + ident.len),
            Some(ident.name.as_str()),
            "{src:?}"
        );
        for lit in literals {
            assert!(
                src.get(lit.offset..lit.offset + lit.len).is_some(),
                "{src:?}: {lit:?}"
            );
        }
    }
    let printed = cond.to_string();
    let again = match condition::parse(&printed) {
        Ok(c) => c,
        Err(e) => panic!("{src:?} prints as {printed:?}, which does not parse: {e}"),
    };
    assert_eq!(
        strip(again.expr()),
        strip(cond.expr()),
        "{src:?} -> {printed:?}"
    );
    assert_eq!(again.to_string(), printed, "printing is not idempotent");
    for answers in answer_sets(&comparisons) {
        let get = |id: &str| answers.get(id);
        assert_eq!(
            cond.evaluate(&get),
            again.evaluate(&get),
            "{src:?} and {printed:?} disagree on {answers:?}"
        );
    }
}

/// The expression with every span zeroed, to compare structure.
fn strip(expr: &Expr) -> Expr {
    fn lit(l: &condition::Literal) -> condition::Literal {
        condition::Literal {
            offset: 0,
            len: 0,
            ..l.clone()
        }
    }
    fn id(i: &condition::Ident) -> condition::Ident {
        condition::Ident {
            offset: 0,
            len: 0,
            ..i.clone()
        }
    }
    match expr {
        Expr::Compare { id: i, op, value } => Expr::Compare {
            id: id(i),
            op: *op,
            value: lit(value),
        },
        Expr::In {
            id: i,
            negated,
            values,
        } => Expr::In {
            id: id(i),
            negated: *negated,
            values: values.iter().map(lit).collect(),
        },
        Expr::Answered(i) => Expr::Answered(id(i)),
        Expr::Not(e) => Expr::Not(Box::new(strip(e))),
        Expr::And(l, r) => Expr::And(Box::new(strip(l)), Box::new(strip(r))),
        Expr::Or(l, r) => Expr::Or(Box::new(strip(l)), Box::new(strip(r))),
    }
}

/// Answers that make comparisons go both ways: none; each id equal to its first
/// literal; each id holding all its literals (a multi_choice answer); blanks.
fn answer_sets(
    comparisons: &[(&condition::Ident, Vec<&condition::Literal>)],
) -> Vec<HashMap<String, Value>> {
    let json = |l: &condition::Literal| match &l.value {
        LiteralValue::Word(w) => Value::String(w.clone()),
        LiteralValue::Number(n) => {
            serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
        }
    };
    let mut first = HashMap::new();
    let mut all = HashMap::new();
    let mut blank = HashMap::new();
    for (i, (ident, literals)) in comparisons.iter().enumerate() {
        let value = literals.first().map_or(Value::from("yes"), |l| json(l));
        first.entry(ident.name.clone()).or_insert(value);
        if let Value::Array(items) = all
            .entry(ident.name.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            items.extend(literals.iter().map(|l| json(l)));
        }
        let empty = [Value::Null, Value::from(" "), Value::Array(Vec::new())];
        blank.insert(ident.name.clone(), empty[i % 3].clone());
    }
    vec![HashMap::new(), first, all, blank]
}

// ---------------------------------------------------------------------------------
// (c) markdown and pack: untrusted prose never becomes markup.

/// Elements sanitized prose may contain (ammonia's allow-list, plus the quote
/// highlight), and the wrappers a fragment parse adds.
const PROSE_ELEMENTS: &[&str] = &[
    "html",
    "body",
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
    "mark",
];

/// Up to four whitespace-separated words of `text`, picked by its length, to quote.
fn some_words(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let start = text.len() % words.len();
    let end = (start + 1 + text.len() % 4).min(words.len());
    Some(words[start..end].join(" "))
}

/// `saq_render::markdown::prose` and `highlighted` on any text.
pub fn markdown(data: &[u8]) {
    let src = text(data);
    let plain = saq_render::markdown::prose(&src);
    check_prose_html(&src, &plain.html);
    check_markdown(&src, &plain.md);
    if let Some(quote) = some_words(&src) {
        let marked = saq_render::markdown::highlighted(
            &src,
            &[saq_render::markdown::Highlight {
                quote,
                anchor: "q-\"1\"<x>".into(),
            }],
        );
        check_prose_html(&src, &marked.html);
        // Highlighting changes only the HTML.
        assert_eq!(marked.md, plain.md, "{src:?}");
    }
}

fn check_prose_html(src: &str, html: &str) {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        assert!(
            PROSE_ELEMENTS.contains(&name),
            "{src:?}: <{name}> in prose: {html}"
        );
        check_attributes(src, element, html);
    }
}

fn check_attributes(src: &str, element: &scraper::node::Element, html: &str) {
    let name = element.name();
    for (attr, value) in element.attrs() {
        let attr = attr.to_ascii_lowercase();
        assert!(
            !attr.starts_with("on"),
            "{src:?}: event handler {attr} on <{name}>: {html}"
        );
        assert!(
            ![
                "srcdoc",
                "formaction",
                "src",
                "action",
                "background",
                "data"
            ]
            .contains(&attr.as_str()),
            "{src:?}: {attr} on <{name}>"
        );
        if attr.ends_with("href") {
            assert!(
                safe_link(value),
                "{src:?}: {attr}={value:?} on <{name}>: {html}"
            );
        }
    }
}

fn unsafe_scheme(value: &str) -> bool {
    let squashed: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:", "file:"]
        .iter()
        .any(|s| squashed.starts_with(s))
}

fn safe_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    !unsafe_scheme(url)
        && (lower.starts_with('#')
            || lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:"))
}

/// Markdown as a CommonMark renderer reads it: no raw HTML, no images, only
/// http(s), mailto and in-page links.
fn check_markdown(src: &str, md: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                panic!("{src:?}: raw HTML {h:?} in the Markdown:\n{md}")
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("{src:?}: image {dest_url:?} in the Markdown:\n{md}")
            }
            Event::Start(Tag::Link { dest_url, .. }) => assert!(
                safe_link(&dest_url),
                "{src:?}: link to {dest_url:?} in the Markdown:\n{md}"
            ),
            _ => {}
        }
    }
}

/// A YAML double-quoted scalar holding exactly `s`: everything but printable ASCII
/// is escaped, so any text survives (YAML forbids some characters even in quotes).
fn yaml_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A dossier whose answer explanation, comment body and recommendation are the
/// input, and whose comment quotes a few of its words: it must load cleanly,
/// assemble, and render to HTML and Markdown that carry no markup from the input.
pub fn pack(data: &[u8]) {
    let src = text(data);
    if src.is_empty() {
        // An empty explanation or body is a schema error, not a pack.
        return;
    }
    let v = yaml_quoted(&src);
    let quote = some_words(&src)
        .map(|q| format!("    quote: {}\n", yaml_quoted(&q)))
        .unwrap_or_default();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::create_dir_all(root.join("responses")).expect("mkdir");
    std::fs::create_dir_all(root.join("submissions")).expect("mkdir");
    // trafficking@1.0: art5.offence is a compliance question.
    std::fs::write(
        root.join("responses/trafficking.yaml"),
        format!(
            "questionnaire: trafficking@1.0\nstate: XAR\nstatus: draft\nanswers:\n  art5.offence:\n    value: partially\n    explanation: {v}\n"
        ),
    )
    .expect("write the response");
    std::fs::write(
        root.join("submissions/s.yaml"),
        format!(
            "questionnaire: trafficking@1.0\nstate: XAR\ncontributor: {{ name: Fuzz, kind: ngo, website: \"https://ngo.example\" }}\nvisibility: public\nattribution: named\nlanguage: en\nsubmitted_on: 2026-04-01\ncomments:\n  - target: art5.offence\n{quote}    stance: contests\n    body: {v}\n    recommendation: {v}\n  - target: general\n    stance: supports\n    body: {v}\n"
        ),
    )
    .expect("write the submission");
    let (dossier, diagnostics) =
        saq_core::dossier::load(catalog(), root).expect("the dossier folder reads");
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{src:?}: {diagnostics:#?}"
    );
    assert_eq!(dossier.submissions.len(), 1);
    // Only the cluster holding art5 (and the general comment): a quarter of the
    // pack, four times the executions.
    let options = PackOptions {
        audience: Audience::Public,
        lang: "en".into(),
        instruments: vec![],
        clusters: vec![1],
        date: None,
    };
    let pack = assemble(catalog(), &dossier, &options);
    let html = renderer()
        .render(&pack, Format::Html)
        .expect("renders HTML");
    check_pack_html(&src, &html);
    let md = renderer()
        .render(&pack, Format::Markdown)
        .expect("renders Markdown");
    check_markdown(&src, &md);
    let json = renderer()
        .render(&pack, Format::Json)
        .expect("renders JSON");
    serde_json::from_str::<Value>(&json).expect("the JSON pack is JSON");
}

/// The whole pack: the template's own <style> and CSP <meta> exactly once, nothing
/// executable or loading, the only inline styles the template's bar widths.
fn check_pack_html(src: &str, html: &str) {
    assert!(html.trim_end().ends_with("</html>"), "{src:?}: truncated");
    let doc = scraper::Html::parse_document(html);
    let forbidden = [
        "script", "iframe", "object", "embed", "svg", "math", "img", "form", "base", "link",
        "input", "button", "video", "audio", "source", "marquee", "details", "noscript",
        "textarea", "frame", "frameset", "applet", "template",
    ];
    let (mut styles, mut policies) = (0, 0);
    for node in doc.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        assert!(!forbidden.contains(&name), "{src:?}: <{name}> in the pack");
        if name == "style" {
            styles += 1;
        }
        if name == "meta" {
            if let Some(equiv) = element.attr("http-equiv") {
                assert!(
                    equiv.eq_ignore_ascii_case("content-security-policy")
                        && element
                            .attr("content")
                            .is_some_and(|c| c.starts_with("default-src 'none'")),
                    "{src:?}: <meta http-equiv={equiv:?}>"
                );
                policies += 1;
            }
        }
        for (attr, value) in element.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "{src:?}: event handler {attr} on <{name}>"
            );
            assert!(
                ![
                    "srcdoc",
                    "formaction",
                    "src",
                    "action",
                    "background",
                    "data"
                ]
                .contains(&attr.as_str()),
                "{src:?}: {attr} on <{name}>"
            );
            if attr == "style" {
                let width = value
                    .strip_prefix("inline-size: ")
                    .and_then(|v| v.strip_suffix('%'));
                assert!(
                    width.is_some_and(|w| w.parse::<f64>().is_ok()),
                    "{src:?}: style={value:?} on <{name}>"
                );
            }
            if attr.ends_with("href") {
                assert!(safe_link(value), "{src:?}: {attr}={value:?} on <{name}>");
            }
        }
    }
    assert_eq!(styles, 1, "{src:?}: only the pack's own stylesheet");
    assert_eq!(policies, 1, "{src:?}: only the pack's own policy");
}

/// A libFuzzer dictionary (`-dict=`) of the given tokens, one quoted token a line.
pub fn dictionary(tokens: &[&str]) -> String {
    let mut out = String::new();
    for token in tokens {
        out.push('"');
        for byte in token.bytes() {
            match byte {
                b'"' | b'\\' => out.push_str(&format!("\\x{byte:02x}")),
                b' '..=b'~' => out.push(byte as char),
                _ => out.push_str(&format!("\\x{byte:02x}")),
            }
        }
        out.push_str("\"\n");
    }
    out
}

// ---------------------------------------------------------------------------------
// Token alphabets for structured generators (the stable driver's strategies, and
// the cargo-fuzz dictionaries in fuzz/dict/ hold the same pieces).

/// Pieces of YAML, including what stresses a parser and saq's own keys.
pub const YAML_TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!map ",
    "!tag ",
    "|",
    ">",
    "|-",
    ">+",
    "\"",
    "'",
    "#",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "    ",
    "---",
    "...",
    "yes",
    "no",
    "on",
    "null",
    "~",
    ".nan",
    ".inf",
    "-.inf",
    "1.0",
    "0",
    "-1",
    "0x1F",
    "1e309",
    "é",
    "\u{feff}",
    "\u{85}",
    "\u{2028}",
    "\0",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "\\u0000",
    "\\x",
    "<<: *a",
    "id",
    "version",
    "\"1.0\"",
    "clusters",
    "number",
    "articles",
    "article",
    "questions",
    "title",
    "prompt",
    "type",
    "compliance",
    "choice",
    "table",
    "options",
    "columns",
    "show_if",
    "art5.offence",
    " == ",
    " in ",
    " and ",
    " not ",
    "(",
    ")",
    "answered",
    "changes",
    "renamed",
    "removed",
    "answers",
    "value",
    "explanation",
    "questionnaire",
    "untoc@1.0",
    "trafficking@1.0",
    "state",
    "XAR",
    "status",
    "submitted",
    "draft",
    "contributor",
    "comments",
    "target",
    "quote",
    "stance",
    "body",
    "visibility",
    "attribution",
    "evidence",
    "url",
    "x",
];

/// Pieces of `show_if` conditions, valid and not.
pub const CONDITION_TOKENS: &[&str] = &[
    "art5.x", "a", "b.c", "q_1", "yes", "no", "1", "-2.5", "007", "1.", "1e3", "Yes", "\"q r\"",
    "'s'", "''", "\"and\"", "==", "!=", "=", "!", "&&", "||", "in", "not", "and", "or", "answered",
    "(", ")", "[", "]", ",", ".", "-", "\"", "'", "é", "日", "\u{a0}", " ", " ", " ", "\t", "\n",
];

/// Pieces of Markdown and HTML, with the attack vectors rule 5 is about.
pub const MARKDOWN_TOKENS: &[&str] = &[
    "\n",
    "\n\n",
    " ",
    "  ",
    "    ",
    "\t",
    "# ",
    "## ",
    "> ",
    ">",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "1) ",
    "```",
    "~~~",
    "`",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[x]: ",
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&amp;",
    "&#106;",
    "&#x6A;",
    "&lt;",
    "\\",
    "|",
    "| --- |",
    "---",
    "***",
    "===",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"",
    "\">",
    "</a>",
    "<svg onload=alert(1)>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?php",
    "?>",
    "<div>",
    "</div>",
    "<style>",
    "<mark>",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "data:text/html,",
    "vbscript:",
    "https://x.example/",
    "mailto:a@b",
    "<https://x.example>",
    "<javascript:alert(1)>",
    "alert(1)",
    "\"",
    "'",
    "word",
    "yes",
    "é",
    "\u{E000}",
    "\u{E001}",
    "\u{E002}",
    "\u{0}",
    "\u{feff}",
    "\u{200b}",
];
