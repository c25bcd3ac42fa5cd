//! The Arcadia demo packs: snapshots reviewed by eye, byte-for-byte reproducibility,
//! HTML structure, and the confidentiality promises checked on the real demo data.

use std::collections::HashSet;

use scraper::{Html, Selector};

use crate::util::{root, saq};

fn pack(args: &[&str]) -> String {
    let output = saq()
        .arg("pack")
        .arg(root().join("examples/arcadia"))
        .args(args)
        .output()
        .expect("saq runs");
    assert!(
        output.status.success(),
        "saq pack {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn html(audience: &str, lang: &str) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("pack.html");
    let output = saq()
        .arg("pack")
        .arg(root().join("examples/arcadia"))
        .args(["--audience", audience, "--lang", lang, "-o"])
        .arg(&out)
        .output()
        .expect("saq runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(out).expect("the pack was written")
}

#[test]
fn markdown_and_json_packs_match_their_reviewed_snapshots() {
    for audience in ["public", "reviewers", "secretariat"] {
        insta::assert_snapshot!(
            format!("arcadia_{audience}_md"),
            pack(&["--audience", audience, "--format", "md"])
        );
        insta::assert_snapshot!(
            format!("arcadia_{audience}_json"),
            pack(&["--audience", audience, "--format", "json"])
        );
    }
}

#[test]
fn the_same_inputs_give_byte_identical_packs() {
    for format in ["html", "md", "json"] {
        let dir = tempfile::tempdir().expect("tmp");
        let mut outputs = Vec::new();
        for run in 0..2 {
            let out = dir.path().join(format!("{run}.{format}"));
            saq()
                .arg("pack")
                .arg(root().join("examples/arcadia"))
                .args(["--audience", "reviewers", "--format", format, "-o"])
                .arg(&out)
                .assert()
                .success();
            outputs.push(std::fs::read(out).expect("written"));
        }
        assert_eq!(outputs[0], outputs[1], "{format} differs between two runs");
    }
}

#[test]
fn html_packs_are_self_contained_with_unique_ids_and_working_links() {
    let any = Selector::parse("*").expect("selector");
    let links = Selector::parse("a[href]").expect("selector");
    let root_element = Selector::parse("html").expect("selector");
    for (audience, lang) in [
        ("public", "en"),
        ("reviewers", "en"),
        ("secretariat", "en"),
        ("reviewers", "ar"),
        ("reviewers", "fr"),
        ("public", "zh"),
    ] {
        let text = html(audience, lang);
        let doc = Html::parse_document(&text);
        let html_element = doc.select(&root_element).next().expect("an <html> element");
        assert_eq!(html_element.value().attr("lang"), Some(lang));
        assert_eq!(
            html_element.value().attr("dir"),
            Some(if lang == "ar" { "rtl" } else { "ltr" })
        );
        let mut ids = HashSet::new();
        for element in doc.select(&any) {
            let name = element.value().name();
            assert!(
                !["script", "link", "iframe", "img", "object", "embed"].contains(&name),
                "{audience}/{lang}: <{name}>"
            );
            assert!(
                element.value().attr("src").is_none(),
                "{audience}/{lang}: src= on <{name}> would load something"
            );
            if let Some(id) = element.value().id() {
                assert!(
                    ids.insert(id.to_string()),
                    "{audience}/{lang}: id {id} is used twice"
                );
            }
        }
        let mut internal = 0;
        for a in doc.select(&links) {
            let href = a.value().attr("href").unwrap_or_default();
            if let Some(target) = href.strip_prefix('#') {
                internal += 1;
                assert!(
                    ids.contains(target),
                    "{audience}/{lang}: link to #{target} goes nowhere"
                );
            } else {
                assert!(
                    href.starts_with("https://")
                        || href.starts_with("http://")
                        || href.starts_with("mailto:"),
                    "{audience}/{lang}: href {href}"
                );
            }
        }
        assert!(
            internal > 100,
            "{audience}/{lang}: a table of contents and cross-links ({internal})"
        );
        assert!(text.contains("@media print"), "a print stylesheet");
    }
}

/// What the demo's own submission files say about who may see what.
struct DemoSubmission {
    name: String,
    contact: Option<String>,
    website: Option<String>,
    visibility: String,
    anonymous: bool,
    bodies: Vec<String>,
}

fn demo_submissions() -> Vec<DemoSubmission> {
    let dir = root().join("examples/arcadia/submissions");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("submissions/") {
        let path = entry.expect("entry").path();
        let file = saq_core::source::SourceFile {
            text: std::fs::read_to_string(&path).expect("text"),
            path,
        };
        let v = saq_core::source::parse(&file).expect("parses").value;
        out.push(DemoSubmission {
            name: v["contributor"]["name"]
                .as_str()
                .expect("a name")
                .to_string(),
            contact: v["contributor"]["contact"].as_str().map(str::to_string),
            website: v["contributor"]["website"].as_str().map(str::to_string),
            visibility: v["visibility"].as_str().expect("visibility").to_string(),
            anonymous: v["attribution"] == "anonymous",
            bodies: v["comments"]
                .as_array()
                .expect("comments")
                .iter()
                .filter_map(|c| c["body"].as_str())
                .map(|b| b.split_whitespace().take(8).collect::<Vec<_>>().join(" "))
                .collect(),
        });
    }
    out
}

#[test]
fn the_public_arcadia_pack_holds_no_restricted_submission_anonymous_name_or_contact() {
    let submissions = demo_submissions();
    assert!(
        submissions.iter().any(|s| s.visibility != "public"),
        "the demo has restricted submissions"
    );
    assert!(
        submissions
            .iter()
            .any(|s| s.anonymous && s.visibility == "public"),
        "the demo has a public anonymous submission"
    );
    let focal_emails: Vec<String> = std::fs::read_dir(root().join("examples/arcadia/responses"))
        .expect("responses/")
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.ok()?.path()).ok()?;
            text.lines().find_map(|l| {
                l.split("email:").nth(1).map(|e| {
                    e.trim()
                        .trim_matches(['}', ' ', '"'])
                        .split(',')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string()
                })
            })
        })
        .filter(|e| !e.is_empty())
        .collect();
    assert!(
        !focal_emails.is_empty(),
        "the demo responses name focal points with e-mails"
    );
    for (audience, lang) in [("public", "en"), ("reviewers", "en"), ("secretariat", "en")] {
        let json = pack(&["--audience", audience, "--format", "json"]);
        let text = [
            html(audience, lang),
            pack(&["--audience", audience, "--format", "md"]),
            json.clone(),
        ]
        .concat();
        for e in &focal_emails {
            assert!(
                !text.contains(e.as_str()),
                "{audience}: focal point e-mail {e}"
            );
        }
        for s in &submissions {
            if let Some(contact) = &s.contact {
                assert!(
                    !text.contains(contact.as_str()),
                    "{audience}: contact {contact}"
                );
            }
            let readable = match audience {
                "public" => s.visibility == "public",
                "reviewers" => s.visibility != "secretariat",
                _ => true,
            };
            for body in &s.bodies {
                // Markdown escapes punctuation; compare on the JSON form, which keeps text as written.
                assert_eq!(
                    json.contains(body.as_str()),
                    readable,
                    "{audience}: comment of {} ({})",
                    s.name,
                    s.visibility
                );
            }
            if s.anonymous && audience != "secretariat" {
                assert!(
                    !text.contains(s.name.as_str()),
                    "{audience}: anonymous contributor's name {}",
                    s.name
                );
                if let Some(w) = &s.website {
                    assert!(
                        !text.contains(w.as_str()),
                        "{audience}: anonymous contributor's website {w}"
                    );
                }
            }
        }
    }
}
