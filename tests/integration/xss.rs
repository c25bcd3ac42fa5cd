//! Confidentiality rule 5: Markdown (and every other string) from responses and
//! submissions is untrusted. Known attack vectors are planted in every field a pack
//! renders; the HTML output is parsed with an HTML parser and inspected element by
//! element, and the Markdown output must contain no raw HTML at all.

use saq_core::submission::Audience;
use saq_render::{assemble, Format, PackOptions};
use scraper::{Html, Selector};

use crate::confidentiality::{catalog, renderer};

/// Script tags, event handlers, dangerous URL schemes, SVG/MathML, encodings,
/// broken and nested tags, Markdown link and image forms.
pub const VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<script>/*</script><script>*/alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
    "<a href=\"&#106;avascript:alert(1)\">entity</a>",
    "<a href=\" javascript:alert(1)\">space</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox(1))",
    "[click](javascript&#58;alert(1))",
    "[ref][x]\n\n[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![img](javascript:alert(1))",
    "![img](https://tracker.example/pixel.png)",
    "![x](x \"onerror=alert(1)\")",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{background:url(https://evil.example/)}</style>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)//",
    "<script",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<p style=\"x:expression(alert(1))\">ie</p>",
    "<table background=\"javascript:alert(1)\">",
    "`<script>alert(1)</script>` and ```\n<script>alert(1)</script>\n```",
];

fn yaml(s: &str) -> String {
    serde_json::to_string(s).expect("serializes")
}

fn write_dossier(dir: &std::path::Path, vector: &str) {
    std::fs::create_dir_all(dir.join("responses")).expect("mkdir");
    std::fs::create_dir_all(dir.join("submissions")).expect("mkdir");
    let v = yaml(vector);
    // trafficking@1.0: art5.offence (compliance), art5.provisions (legislation), art5.cases (cases)
    let response = format!(
        "questionnaire: trafficking@1.0\nstate: XAR\nstatus: draft\nanswers:\n  art5.offence:\n    value: partially\n    explanation: {v}\n  art5.provisions:\n    value:\n      - {{ title: {v}, provision: {v}, url: \"https://laws.example/a\", excerpt: {v} }}\n    explanation: {v}\n"
    );
    std::fs::write(dir.join("responses/trafficking.yaml"), response).expect("write");
    let submission = format!(
        "questionnaire: trafficking@1.0\nstate: XAR\ncontributor: {{ name: {v}, kind: ngo, website: \"https://ngo.example\" }}\nvisibility: public\nattribution: named\nlanguage: en\nsubmitted_on: 2026-04-01\ncomments:\n  - target: art5.offence\n    stance: contests\n    body: {v}\n    recommendation: {v}\n    evidence:\n      - {{ title: {v}, url: \"https://ev.example/r\", publisher: {v} }}\n  - target: general\n    stance: supports\n    body: {v}\n"
    );
    std::fs::write(dir.join("submissions/s.yaml"), submission).expect("write");
}

fn unsafe_url(value: &str) -> bool {
    let squashed: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    squashed.starts_with("javascript:")
        || squashed.starts_with("data:")
        || squashed.starts_with("vbscript:")
}

#[test]
fn no_attack_vector_survives_into_any_pack() {
    assert!(VECTORS.len() >= 50);
    let all = Selector::parse("*").expect("selector");
    let forbidden = [
        "script", "iframe", "object", "embed", "svg", "math", "img", "form", "base", "link",
        "input", "button", "video", "audio", "source", "marquee", "details", "noscript",
        "textarea",
    ];
    for vector in VECTORS {
        let tmp = tempfile::tempdir().expect("tmp");
        write_dossier(tmp.path(), vector);
        let (dossier, diagnostics) =
            saq_core::dossier::load(catalog(), tmp.path()).expect("a dossier");
        assert!(
            diagnostics.iter().all(|d| !d.is_error()),
            "{vector}: {diagnostics:#?}"
        );
        for audience in Audience::ALL {
            let pack = assemble(
                catalog(),
                &dossier,
                &PackOptions {
                    audience,
                    lang: "en".into(),
                    instruments: vec![],
                    clusters: vec![],
                    date: None,
                },
            );
            let html = renderer().render(&pack, Format::Html).expect("renders");
            let doc = Html::parse_document(&html);
            let mut styles = 0;
            let mut policies = 0;
            for element in doc.select(&all) {
                let name = element.value().name();
                assert!(!forbidden.contains(&name), "{vector}: <{name}> in the HTML");
                if name == "style" {
                    styles += 1;
                }
                if let Some(equiv) = element
                    .value()
                    .attr("http-equiv")
                    .filter(|_| name == "meta")
                {
                    // Only the pack's own policy, which forbids scripts and external loads.
                    assert!(
                        equiv.eq_ignore_ascii_case("content-security-policy"),
                        "{vector}: meta http-equiv={equiv}"
                    );
                    assert!(
                        element
                            .value()
                            .attr("content")
                            .is_some_and(|c| c.starts_with("default-src 'none'")),
                        "{vector}: weak policy"
                    );
                    policies += 1;
                }
                for (attr, value) in element.value().attrs() {
                    let attr = attr.to_ascii_lowercase();
                    assert!(
                        !attr.starts_with("on"),
                        "{vector}: event handler {attr} on <{name}>"
                    );
                    assert!(
                        attr != "srcdoc" && attr != "formaction",
                        "{vector}: {attr} on <{name}>"
                    );
                    if attr == "style" {
                        // Only the template's own bar widths, computed from numbers.
                        let width = value
                            .strip_prefix("inline-size: ")
                            .and_then(|v| v.strip_suffix('%'));
                        assert!(
                            width.is_some_and(|w| w.parse::<f64>().is_ok()),
                            "{vector}: style={value} on <{name}>"
                        );
                    }
                    if ["href", "src", "action", "xlink:href", "background", "data"]
                        .contains(&attr.as_str())
                    {
                        assert!(!unsafe_url(value), "{vector}: {attr}={value} on <{name}>");
                        if attr == "href" && !value.starts_with('#') {
                            assert!(
                                value.starts_with("https://")
                                    || value.starts_with("http://")
                                    || value.starts_with("mailto:"),
                                "{vector}: href={value}"
                            );
                        }
                    }
                }
            }
            assert_eq!(styles, 1, "{vector}: only the pack's own stylesheet");
            assert_eq!(
                policies, 1,
                "{vector}: exactly the pack's own content security policy"
            );
            let md = renderer().render(&pack, Format::Markdown).expect("renders");
            check_markdown(vector, &md);
        }
    }
}

/// Parses the Markdown pack as a CommonMark renderer would: it must produce no raw
/// HTML, no images (external requests), and only http(s), mailto and in-page links.
fn check_markdown(vector: &str, md: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                panic!("{vector}: raw HTML {h:?} in the Markdown pack")
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("{vector}: image {dest_url} in the Markdown pack")
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let ok = dest_url.starts_with('#')
                    || dest_url.starts_with("https://")
                    || dest_url.starts_with("http://")
                    || dest_url.starts_with("mailto:");
                assert!(
                    ok && !unsafe_url(&dest_url),
                    "{vector}: link to {dest_url} in the Markdown pack"
                );
            }
            _ => {}
        }
    }
}
