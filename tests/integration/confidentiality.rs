//! Confidentiality rules 1-4 as properties over generated dossiers.
//!
//! Every generated submission plants unique markers in every field the rules protect;
//! each pack of each audience, in each format, must contain exactly the markers that
//! audience may see. Markers are `mk<n>z` tokens that nothing else in saq produces.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use saq_core::questionnaire::{Catalog, Questionnaire};
use saq_core::source::SourceFile;
use saq_core::submission::Audience;
use saq_render::{assemble, Format, PackOptions, Renderer};

use crate::util::root;

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut files = Vec::new();
        for dir in std::fs::read_dir(root().join("questionnaires")).expect("questionnaires/") {
            for f in std::fs::read_dir(dir.expect("entry").path()).expect("a questionnaire folder")
            {
                let path = f.expect("entry").path();
                let text = std::fs::read_to_string(&path).expect("readable");
                files.push(SourceFile { path, text });
            }
        }
        let (catalog, diagnostics) = Catalog::from_files(files);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        catalog
    })
}

pub fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| {
        let mut templates = Vec::new();
        for f in std::fs::read_dir(root().join("templates")).expect("templates/") {
            let path = f.expect("entry").path();
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .to_string();
            templates.push((name, std::fs::read_to_string(&path).expect("readable")));
        }
        Renderer::new(templates.iter().map(|(n, c)| (n.as_str(), c.as_str())))
            .expect("templates compile")
    })
}

#[derive(Debug, Clone)]
struct SubmissionSpec {
    visibility: Audience,
    anonymous: bool,
    kind: usize,
    /// (target index into the questionnaire's targets, stance index)
    comments: Vec<(usize, usize)>,
}

fn submission_spec() -> impl Strategy<Value = SubmissionSpec> {
    (
        0..3usize,
        any::<bool>(),
        0..4usize,
        prop::collection::vec((0..10_000usize, 0..3usize), 1..4),
    )
        .prop_map(|(v, anonymous, kind, comments)| SubmissionSpec {
            visibility: Audience::ALL[v],
            anonymous,
            kind,
            comments,
        })
}

/// Markers planted in one submission, grouped by what protects them.
#[derive(Default)]
struct Planted {
    /// Readers at or above the visibility see these; others must not (body, evidence...).
    content: Vec<String>,
    /// Nobody sees these, and readers below the visibility must not learn them even
    /// indirectly (file names, which may name an anonymous group; dates of hidden input).
    hidden: Vec<String>,
    /// Identity: only the secretariat may see it when the submission is anonymous.
    identity: Vec<String>,
    /// Never in any pack.
    secret: Vec<String>,
}

fn targets(q: &Questionnaire) -> Vec<String> {
    let mut t = vec!["general".to_string()];
    for (_, a) in q.articles() {
        t.push(a.id());
        t.extend(a.questions.iter().map(|x| x.id.clone()));
    }
    t
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Writes a dossier with one response and the given submissions; returns what was planted.
fn write_dossier(
    dir: &Path,
    instrument: usize,
    specs: &[SubmissionSpec],
) -> (Vec<(SubmissionSpec, Planted)>, String) {
    let ids: Vec<&str> = vec!["untoc", "trafficking", "smuggling", "firearms"];
    let q = catalog()
        .get(ids[instrument % 4])
        .expect("a shipped questionnaire");
    let reference = q.reference();
    std::fs::create_dir_all(dir.join("responses")).expect("mkdir");
    std::fs::create_dir_all(dir.join("submissions")).expect("mkdir");
    let focal_secret = "mk0z@focal.example".to_string();
    let first = q
        .questions()
        .find(|(_, _, x)| {
            x.kind == saq_core::questionnaire::QuestionType::Compliance && x.show_if.is_none()
        })
        .map(|(_, _, x)| x.id.clone())
        .expect("a compliance question without condition");
    std::fs::write(
        dir.join("responses").join(format!("{}.yaml", q.id)),
        format!(
            "questionnaire: {reference}\nstate: XAR\nstatus: draft\nfocal_point: {{ name: Focal Person, institution: Ministry, email: {focal_secret} }}\nanswers:\n  {first}:\n    value: no\n    explanation: The government explains its position here.\n"
        ),
    )
    .expect("write response");
    let all_targets = targets(q);
    let kinds = ["ngo", "academia", "private_sector", "other"];
    let stances = ["supports", "contests", "complements"];
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let m = |field: &str| format!("mk{}{}z", i + 1, field);
        let mut planted = Planted::default();
        let name = m("name");
        let website = format!("https://{}.example", m("web"));
        // A fictional country code unique to this submission: X + two letters.
        let country = format!(
            "X{}{}",
            (b'B' + (i / 20) as u8) as char,
            (b'A' + (i % 20) as u8) as char
        );
        let contact = format!("{}@contact.example", m("contact"));
        planted
            .identity
            .extend([name.clone(), m("web"), country.clone()]);
        planted.secret.push(contact.clone());
        let date = if spec.visibility == Audience::Public {
            "2026-05-01".to_string()
        } else {
            format!("2030-0{}-1{}", spec.visibility as u8 + 1, i % 10)
        };
        let mut text = format!(
            "questionnaire: {reference}\nstate: XAR\ncontributor:\n  name: {}\n  kind: {}\n  country: {country}\n  website: {website}\n  contact: {contact}\nvisibility: {}\nattribution: {}\nlanguage: en\nsubmitted_on: {date}\ncomments:\n",
            yaml_string(&name),
            kinds[spec.kind],
            spec.visibility.as_str(),
            if spec.anonymous { "anonymous" } else { "named" },
        );
        for (ci, (t, s)) in spec.comments.iter().enumerate() {
            let body = m(&format!("body{ci}"));
            let rec = m(&format!("rec{ci}"));
            let ev = m(&format!("ev{ci}"));
            planted
                .content
                .extend([body.clone(), rec.clone(), ev.clone()]);
            text.push_str(&format!(
                "  - target: {}\n    stance: {}\n    body: {}\n    recommendation: {}\n    evidence:\n      - {{ title: {ev}, url: \"https://{ev}.example/x\", date: 2025-01-01, publisher: {ev} }}\n",
                all_targets[t % all_targets.len()],
                stances[*s],
                yaml_string(&format!("Observation {body} with *emphasis*.")),
                yaml_string(&format!("Do {rec}.")),
            ));
        }
        let file = m("file");
        planted.secret.push(file.clone());
        if spec.visibility != Audience::Public {
            planted.hidden.push(date.clone());
        }
        std::fs::write(dir.join("submissions").join(format!("{file}.yaml")), text)
            .expect("write submission");
        out.push((spec.clone(), planted));
    }
    (out, focal_secret)
}

fn render_all(dir: &Path, audience: Audience) -> (String, serde_json::Value) {
    let (dossier, diagnostics) = saq_core::dossier::load(catalog(), dir).expect("a dossier");
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "generated dossier is invalid: {diagnostics:#?}"
    );
    let options = PackOptions {
        audience,
        lang: "en".into(),
        instruments: vec![],
        clusters: vec![],
        date: None,
    };
    let pack = assemble(catalog(), &dossier, &options);
    let mut all = String::new();
    for format in [Format::Html, Format::Markdown, Format::Json] {
        all.push_str(&renderer().render(&pack, format).expect("renders"));
        all.push('\n');
    }
    let json = serde_json::to_value(&pack).expect("the pack serializes");
    (all.to_lowercase(), json)
}

/// Every comment of the pack, wherever it is placed.
fn comments(pack: &serde_json::Value) -> Vec<&serde_json::Value> {
    let mut out = Vec::new();
    for i in pack["instruments"].as_array().into_iter().flatten() {
        out.extend(i["general_comments"].as_array().into_iter().flatten());
        for c in i["clusters"].as_array().into_iter().flatten() {
            for a in c["articles"].as_array().into_iter().flatten() {
                out.extend(a["comments"].as_array().into_iter().flatten());
                for q in a["questions"].as_array().into_iter().flatten() {
                    out.extend(q["comments"].as_array().into_iter().flatten());
                }
            }
        }
    }
    out
}

fn check(instrument: usize, specs: Vec<SubmissionSpec>) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let (planted, focal) = write_dossier(tmp.path(), instrument, &specs);
    for audience in Audience::ALL {
        let (text, pack) = render_all(tmp.path(), audience);
        // Rule 3: never a contact address or the focal point's e-mail.
        assert!(
            !text.contains(&focal),
            "{audience:?} pack shows the focal point's e-mail"
        );
        let mut visible = 0;
        let mut visible_comments = 0;
        for (spec, p) in &planted {
            for s in &p.secret {
                assert!(!text.contains(s), "{audience:?} pack shows contact {s}");
            }
            let readable = audience.may_read(spec.visibility);
            for c in &p.content {
                // Rule 1.
                assert_eq!(
                    text.contains(c.as_str()),
                    readable,
                    "{audience:?} pack, marker {c}, readable {readable}"
                );
            }
            for h in &p.hidden {
                // Rule 4: a hidden submission's date does not leak through the cover date.
                assert!(
                    readable || !text.contains(h.as_str()),
                    "{audience:?} pack shows {h} of a hidden submission"
                );
            }
            // Rule 2: identity only if readable and (named or secretariat).
            let identified = readable && (!spec.anonymous || audience == Audience::Secretariat);
            for i in &p.identity {
                assert_eq!(
                    text.contains(&i.to_lowercase()),
                    identified,
                    "{audience:?} pack, identity marker {i}, anonymous {}",
                    spec.anonymous
                );
            }
            if readable {
                visible += 1;
                visible_comments += spec.comments.len();
            }
        }
        // Rule 4: counts equal what the pack shows.
        let shown = comments(&pack);
        assert_eq!(
            pack["summary"]["comments"].as_u64(),
            Some(shown.len() as u64)
        );
        assert_eq!(
            shown.len(),
            visible_comments,
            "{audience:?}: every readable comment is placed"
        );
        assert_eq!(
            pack["summary"]["submissions"].as_u64(),
            Some(visible as u64)
        );
        assert_eq!(pack["contributors"].as_array().map(Vec::len), Some(visible));
        let by_kind: u64 = pack["summary"]["stakeholders"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| k["submissions"].as_u64())
            .sum();
        assert_eq!(by_kind, visible as u64);
        let anchors: BTreeSet<&str> = shown
            .iter()
            .filter_map(|c| c["contributor_anchor"].as_str())
            .collect();
        assert_eq!(anchors.len(), visible);
        for c in pack["contributors"].as_array().into_iter().flatten() {
            let n = shown
                .iter()
                .filter(|x| x["contributor_anchor"] == c["anchor"])
                .count();
            assert_eq!(c["comments"].as_u64(), Some(n as u64));
        }
        // Anonymous numbering is 1..=n among shown anonymous contributors.
        if audience != Audience::Secretariat {
            let anonymous = planted
                .iter()
                .filter(|(s, _)| s.anonymous && audience.may_read(s.visibility))
                .count();
            for n in 1..=anonymous {
                assert!(
                    text.contains(&format!("contributor {n} (")),
                    "{audience:?}: Contributor {n} missing"
                );
            }
            assert!(!text.contains(&format!("contributor {} (", anonymous + 1)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn packs_show_exactly_what_each_audience_may_see(instrument in 0..4usize, specs in prop::collection::vec(submission_spec(), 0..7)) {
        check(instrument, specs);
    }
}
