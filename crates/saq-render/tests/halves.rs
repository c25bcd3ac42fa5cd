//! `assemble_for` renders prose only in the half its format uses; everything else,
//! quote links included, must be what `assemble` makes.

use std::path::{Path, PathBuf};

use saq_core::questionnaire::Catalog;
use saq_core::source::SourceFile;
use saq_core::submission::Audience;
use saq_render::{assemble, assemble_for, Format, PackOptions};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalog() -> Catalog {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("questionnaires")).expect("questionnaires/") {
        for f in std::fs::read_dir(dir.expect("entry").path()).expect("a questionnaire folder") {
            let path = f.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("readable");
            files.push(SourceFile { path, text });
        }
    }
    let (catalog, diagnostics) = Catalog::from_files(files);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    catalog
}

/// Empties the `other` half of every prose value (an object of exactly `html` and `md`).
fn blank(value: &mut Value, other: &str) {
    match value {
        Value::Object(map) => {
            let prose = map.len() == 2 && map.contains_key("html") && map.contains_key("md");
            if prose {
                map.insert(other.to_string(), Value::String(String::new()));
            } else {
                map.values_mut().for_each(|v| blank(v, other));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| blank(v, other)),
        _ => {}
    }
}

fn json(pack: &saq_render::Pack) -> Value {
    serde_json::to_value(pack).expect("serializes")
}

#[test]
fn each_format_gets_its_half_and_the_same_everything_else() {
    let catalog = catalog();
    let (dossier, _) =
        saq_core::dossier::load(&catalog, &root().join("examples/arcadia")).expect("a dossier");
    for audience in [Audience::Public, Audience::Reviewers, Audience::Secretariat] {
        let options = PackOptions {
            audience,
            lang: "en".into(),
            instruments: Vec::new(),
            clusters: Vec::new(),
            date: None,
        };
        let both = json(&assemble(&catalog, &dossier, &options));
        assert!(
            both.to_string().contains("\"quote_anchor\":\"quote-"),
            "the example links quotes, so the comparison covers them"
        );
        assert_eq!(
            json(&assemble_for(&catalog, &dossier, &options, Format::Json)),
            both
        );
        for (format, other) in [(Format::Html, "md"), (Format::Markdown, "html")] {
            let mut expected = both.clone();
            blank(&mut expected, other);
            assert_ne!(expected, both, "{format:?} drops a half");
            let got = json(&assemble_for(&catalog, &dossier, &options, format));
            assert!(got == expected, "{audience:?} {format:?} differs");
        }
    }
}
