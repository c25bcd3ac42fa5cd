//! saq-corpus: seeded dossiers at scale, for saq's benchmarks and tests.
//!
//! `generate_state(catalog, config, i)` makes the files of the i-th fictional state
//! (codes `XAA`, `XAB`, ... in order): a response to every instrument of the catalog,
//! each in one of three completion states (submitted and complete, a partial draft, a
//! nearly empty draft), and `config.submissions` stakeholder submissions with 5-40
//! comments each. Answers are valid for their question types, `show_if` is respected
//! (evaluated with `saq_core::response::applicability`), quotes are real passages of
//! the quoted answers. Every state has its own random stream derived from the seed, so
//! the same seed gives the same bytes, and a corpus of 380 states starts with the
//! same 190 as a corpus of 190. State `XAA` (index 0) always has four submitted
//! responses: the benchmarks use it as "a full dossier".
//!
//! With `errors > 0`, a fraction of the files gets one planted error each (an option
//! typo, a number out of range, a misspelled key, a bad date, a quote that is not in
//! the answer, a tab in indentation) and [`Planted`] records the file, the diagnostic
//! code saq must report and its line. Planting uses its own random stream, so the
//! files that are not planted are byte-identical to the error-free corpus.

pub mod generate;
pub mod prose;
pub mod rng;
pub mod yaml;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use saq_core::questionnaire::catalog::compare_versions;
use saq_core::questionnaire::{Catalog, Questionnaire};
use saq_core::source::SourceFile;

use generate::{Completion, GeneratedResponse};
use rng::Rng;
use yaml::MarkKind;

/// Bump when the generator's output changes, so cached corpora are regenerated.
pub const GENERATOR_VERSION: u32 = 1;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub seed: u64,
    pub states: usize,
    pub submissions: usize,
    /// Fraction of files with one planted error (0 for a valid corpus).
    pub errors: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            states: 190,
            submissions: 20,
            errors: 0.0,
        }
    }
}

/// One planted error: where saq must report which code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// Relative to the corpus root, with `/` separators.
    pub file: String,
    pub code: &'static str,
    pub line: usize,
    pub what: String,
}

/// A generated file, its path relative to the corpus root.
#[derive(Debug, Clone)]
pub struct File {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct State {
    pub code: String,
    /// Responses first (by instrument), then submissions in generation order.
    pub files: Vec<File>,
    pub planted: Vec<Planted>,
}

/// The most states the fictional range XAA..XZZ can name.
pub const MAX_STATES: usize = 26 * 26;

/// `XAA`, `XAB`, ... `XZZ`.
pub fn state_code(index: usize) -> String {
    let a = (index / 26) % 26;
    let b = index % 26;
    format!(
        "X{}{}",
        char::from(b'A' + a as u8),
        char::from(b'A' + b as u8)
    )
}

/// The questionnaires of a catalog grouped by id (sorted), each with its versions in order.
fn instruments(catalog: &Catalog) -> Vec<Vec<&Questionnaire>> {
    let mut out: Vec<Vec<&Questionnaire>> = Vec::new();
    for q in catalog.iter() {
        match out.last_mut() {
            Some(group) if group[0].id == q.id => group.push(q),
            _ => out.push(vec![q]),
        }
    }
    for group in &mut out {
        group.sort_by(|a, b| compare_versions(&a.version, &b.version));
    }
    out
}

/// The files of the `index`-th state.
pub fn generate_state(catalog: &Catalog, config: &Config, index: usize) -> State {
    let mut rng = Rng::derive(config.seed, index as u64);
    let code = state_code(index);
    let world = prose::World::new(&mut rng, &code);
    let mut responses: Vec<(&Questionnaire, GeneratedResponse)> = Vec::new();
    for versions in instruments(catalog) {
        // Most states answer the latest version; some still the one before.
        let q = if versions.len() > 1 && rng.chance(0.2) {
            versions[rng.below(versions.len() - 1)]
        } else {
            versions[versions.len() - 1]
        };
        let completion = Completion::choose(&mut rng);
        let r = generate::response(&mut rng, &world, q, completion, index == 0);
        responses.push((q, r));
    }
    let weights: Vec<u32> = responses
        .iter()
        .map(|(q, _)| q.question_count() as u32)
        .collect();
    let mut taken = Vec::new();
    let mut submissions = Vec::new();
    for _ in 0..config.submissions {
        let (q, r) = &responses[rng.weighted(&weights)];
        let s = generate::submission(&mut rng, &world, q, r, &mut taken);
        submissions.push((q.id.clone(), s));
    }

    // Planting has its own stream, so unplanted files do not depend on `errors`.
    let mut plant_rng = Rng::derive(config.seed ^ 0x5EED_E770_0000_0000, index as u64);
    let mut planted = Vec::new();
    let mut broken_instruments: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for (q, r) in responses {
        let path = format!("{code}/responses/{}.yaml", q.id);
        let mut text = r.file.text;
        if config.errors > 0.0 && plant_rng.chance(config.errors) {
            if let Some(p) = plant(&mut plant_rng, &path, &mut text, &r.file.marks, &[]) {
                broken_instruments.push(q.id.clone());
                planted.push(p);
            }
        }
        files.push(File { path, text });
    }
    for (instrument, s) in submissions {
        let path = format!("{code}/submissions/{}.yaml", s.name);
        let mut text = s.file.text;
        if config.errors > 0.0 && plant_rng.chance(config.errors) {
            // A quote cannot be checked (so not reported as C001) when its response is broken.
            let no_quotes = broken_instruments.contains(&instrument);
            let exclude: &[&str] = if no_quotes { &["quote"] } else { &[] };
            if let Some(p) = plant(&mut plant_rng, &path, &mut text, &s.file.marks, exclude) {
                planted.push(p);
            }
        }
        files.push(File { path, text });
    }
    State {
        code,
        files,
        planted,
    }
}

/// Applies one error to `text` at a marked line; returns what was planted.
fn plant(
    rng: &mut Rng,
    path: &str,
    text: &mut String,
    marks: &[yaml::Mark],
    exclude: &[&str],
) -> Option<Planted> {
    let usable: Vec<&yaml::Mark> = marks
        .iter()
        .filter(|m| !(matches!(m.kind, MarkKind::Quote { .. }) && exclude.contains(&"quote")))
        .collect();
    if usable.is_empty() {
        return None;
    }
    // Choose a kind of error first (so rare kinds are not drowned by common ones), then a line.
    let mut kinds: Vec<u8> = usable.iter().map(|m| kind_index(&m.kind)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let kind = *rng.pick(&kinds);
    let candidates: Vec<&&yaml::Mark> = usable
        .iter()
        .filter(|m| kind_index(&m.kind) == kind)
        .collect();
    let mark = *rng.pick(&candidates);
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let line = &mut lines[mark.line - 1];
    let (code, what) = match &mark.kind {
        MarkKind::Enum { token } => {
            let typo = typo(token);
            *line = line.replacen(&format!(": {token}"), &format!(": {typo}"), 1);
            ("T004", format!("option typo {token} -> {typo}"))
        }
        MarkKind::OptionalKey { key } => {
            let mid = key.len() / 2;
            let misspelled = format!("{}{}", &key[..mid], &key[mid + 1..]);
            *line = line.replacen(&format!("{key}:"), &format!("{misspelled}:"), 1);
            ("T001", format!("misspelled key {key} -> {misspelled}"))
        }
        MarkKind::Bounded { key, token } => {
            let bad = if key == "year" { "2300" } else { "-5" };
            *line = line.replacen(&format!("{key}: {token}"), &format!("{key}: {bad}"), 1);
            ("T006", format!("{key} out of range: {bad}"))
        }
        MarkKind::Date { token } => {
            let bad = *rng.pick(&["2026-02-30", "2025-13-01", "31/12/2025"]);
            *line = line.replacen(token.as_str(), bad, 1);
            ("T005", format!("bad date {bad}"))
        }
        MarkKind::Quote { .. } => {
            *line = format!(
                "{}quote: \"a passage the government never wrote, number {}\"",
                " ".repeat(line.len() - line.trim_start().len()),
                rng.range(1, 9999)
            );
            ("C001", "quote not in the answer".to_string())
        }
        MarkKind::Indented => {
            *line = format!("\t{}", &line[2..]);
            ("S002", "tab in indentation".to_string())
        }
    };
    *text = lines.join("\n");
    Some(Planted {
        file: path.to_string(),
        code,
        line: mark.line,
        what,
    })
}

fn kind_index(kind: &MarkKind) -> u8 {
    match kind {
        MarkKind::Enum { .. } => 0,
        MarkKind::OptionalKey { .. } => 1,
        MarkKind::Bounded { .. } => 2,
        MarkKind::Date { .. } => 3,
        MarkKind::Quote { .. } => 4,
        MarkKind::Indented => 5,
    }
}

/// A misspelling of an enumeration value, keeping its quotes.
fn typo(token: &str) -> String {
    let (open, inner, close) = match token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => ("\"", inner, "\""),
        None => ("", token, ""),
    };
    let wrong = if inner.len() > 4 {
        let at = inner.len() - 2;
        format!("{}{}", &inner[..at], &inner[at + 1..])
    } else {
        format!("{inner}s")
    };
    format!("{open}{wrong}{close}")
}

/// Loads `<dir>/<id>/<version>.yaml` into a catalog; any problem in a definition is an error.
pub fn load_catalog(dir: &Path) -> Result<Catalog, String> {
    let mut paths = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        if entry.path().is_dir() {
            for file in fs::read_dir(entry.path())
                .map_err(|e| e.to_string())?
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "yaml") {
                    paths.push(file.path());
                }
            }
        }
    }
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let text = fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        files.push(SourceFile { path: p, text });
    }
    let (catalog, diagnostics) = Catalog::from_files(files);
    if diagnostics.iter().any(|d| d.is_error()) {
        return Err(format!(
            "the questionnaires in {} have errors: {:?}",
            dir.display(),
            diagnostics
        ));
    }
    Ok(catalog)
}

/// Reads every template under `dir`, named by its path relative to `dir` (as `saq pack --templates` does).
pub fn read_templates(dir: &Path) -> io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, fs::read_to_string(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub bytes: usize,
    pub planted: Vec<Planted>,
}

fn write_file(root: &Path, relative: &str, text: &str) -> io::Result<()> {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes `config.states` dossiers under `out`, and `out/manifest.json`.
pub fn write_corpus(catalog: &Catalog, config: &Config, out: &Path) -> io::Result<Summary> {
    assert!(config.states <= MAX_STATES, "at most {MAX_STATES} states");
    let mut summary = Summary::default();
    for index in 0..config.states {
        let state = generate_state(catalog, config, index);
        for f in &state.files {
            write_file(out, &f.path, &f.text)?;
            summary.files += 1;
            summary.bytes += f.text.len();
        }
        summary.planted.extend(state.planted);
    }
    fs::write(
        out.join("manifest.json"),
        manifest(config, &summary.planted),
    )?;
    Ok(summary)
}

/// The manifest of planted errors, as JSON.
pub fn manifest(config: &Config, planted: &[Planted]) -> String {
    let entries: Vec<serde_json::Value> = planted
        .iter()
        .map(|p| serde_json::json!({ "file": p.file, "code": p.code, "line": p.line, "what": p.what }))
        .collect();
    let doc = serde_json::json!({
        "generator_version": GENERATOR_VERSION,
        "seed": config.seed,
        "states": config.states,
        "submissions": config.submissions,
        "errors": config.errors,
        "planted": entries,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// Writes the first `count` submissions of the corpus `config` describes (no planted
/// errors) into one folder, named `<state>-<name>.yaml`: the same bytes as in the
/// dossiers, for comparing validators file by file.
pub fn write_flat_submissions(
    catalog: &Catalog,
    config: &Config,
    count: usize,
    out: &Path,
) -> io::Result<Summary> {
    let config = Config {
        errors: 0.0,
        ..config.clone()
    };
    fs::create_dir_all(out)?;
    let mut summary = Summary::default();
    let mut index = 0;
    while summary.files < count && index < MAX_STATES {
        let state = generate_state(catalog, &config, index);
        for f in state
            .files
            .iter()
            .filter(|f| f.path.contains("/submissions/"))
        {
            if summary.files == count {
                break;
            }
            let name = f.path.replacen("/submissions/", "-", 1);
            fs::write(out.join(name), &f.text)?;
            summary.files += 1;
            summary.bytes += f.text.len();
        }
        index += 1;
    }
    Ok(summary)
}

/// FNV-1a, for cache keys.
fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A key that changes when the questionnaires or the generator change.
pub fn fingerprint(catalog: &Catalog) -> u64 {
    let mut h = fnv(0xcbf2_9ce4_8422_2325, &GENERATOR_VERSION.to_le_bytes());
    for e in catalog.entries() {
        h = fnv(h, e.source.text.as_bytes());
    }
    h
}

/// The corpus `config` describes under `cache_root`, generated on first use.
pub fn cached_corpus(catalog: &Catalog, config: &Config, cache_root: &Path) -> io::Result<PathBuf> {
    let key = format!(
        "seed{}-states{}-subs{}-errors{}-{:016x}",
        config.seed,
        config.states,
        config.submissions,
        config.errors,
        fingerprint(catalog)
    );
    let dir = cache_root.join(key);
    if dir.join(".complete").exists() {
        return Ok(dir);
    }
    let partial = dir.with_extension("partial");
    if partial.exists() {
        fs::remove_dir_all(&partial)?;
    }
    write_corpus(catalog, config, &partial)?;
    fs::write(partial.join(".complete"), "")?;
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::rename(&partial, &dir)?;
    Ok(dir)
}

/// The first `count` submissions, cached like [`cached_corpus`].
pub fn cached_flat(
    catalog: &Catalog,
    config: &Config,
    count: usize,
    cache_root: &Path,
) -> io::Result<PathBuf> {
    let key = format!(
        "flat-seed{}-subs{}-count{count}-{:016x}",
        config.seed,
        config.submissions,
        fingerprint(catalog)
    );
    let dir = cache_root.join(key);
    if dir.join(".complete").exists() {
        return Ok(dir);
    }
    let partial = dir.with_extension("partial");
    if partial.exists() {
        fs::remove_dir_all(&partial)?;
    }
    write_flat_submissions(catalog, config, count, &partial)?;
    fs::write(partial.join(".complete"), "")?;
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::rename(&partial, &dir)?;
    Ok(dir)
}

/// The dossier folders of a corpus, sorted.
pub fn dossiers(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = fs::read_dir(root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("responses").is_dir() || p.join("submissions").is_dir())
        .collect();
    out.sort();
    Ok(out)
}

/// Every `.yaml` file under `root`, sorted.
pub fn yaml_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The repository's `questionnaires/` and `templates/` (this crate lives at benches/corpus).
pub fn repo_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name)
}

/// What one pass of the review cycle did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleReport {
    pub dossiers: usize,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub packs: usize,
    pub pack_bytes: usize,
    /// Time spent in each stage, summed over threads (nanoseconds).
    pub load_ns: u128,
    pub assemble_ns: u128,
    pub render_ns: u128,
}

/// The whole review cycle through the libraries: validate every dossier (every file,
/// then the cross-file checks) and render the pack of every valid one for `options`
/// in `format`, on `threads` threads (dossiers are handed out one at a time). With
/// `out`, packs are written there as `<state>.<ext>`; otherwise they are dropped.
pub fn cycle(
    catalog: &Catalog,
    renderer: &saq_render::Renderer,
    dossiers: &[PathBuf],
    options: &saq_render::PackOptions,
    format: saq_render::Format,
    threads: usize,
    out: Option<&Path>,
) -> Result<CycleReport, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let total = Mutex::new(CycleReport::default());
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let ext = match format {
        saq_render::Format::Html => "html",
        saq_render::Format::Markdown => "md",
        saq_render::Format::Json => "json",
    };
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                let mut mine = CycleReport::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(root) = dossiers.get(i) else { break };
                    let result = (|| -> Result<(), String> {
                        let t0 = std::time::Instant::now();
                        let (dossier, diagnostics) =
                            saq_core::dossier::load(catalog, root).map_err(|e| e.to_string())?;
                        mine.load_ns += t0.elapsed().as_nanos();
                        mine.dossiers += 1;
                        mine.files += dossier.files.len();
                        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                        mine.errors += errors;
                        mine.warnings += diagnostics.len() - errors;
                        if errors > 0 {
                            return Ok(());
                        }
                        let t1 = std::time::Instant::now();
                        let pack = saq_render::assemble_for(catalog, &dossier, options, format);
                        let t2 = std::time::Instant::now();
                        mine.assemble_ns += (t2 - t1).as_nanos();
                        let text = renderer.render(&pack, format).map_err(|e| e.to_string())?;
                        mine.render_ns += t2.elapsed().as_nanos();
                        mine.packs += 1;
                        mine.pack_bytes += text.len();
                        if let Some(out) = out {
                            let name = format!("{}.{ext}", pack.state);
                            fs::write(out.join(name), text).map_err(|e| e.to_string())?;
                        }
                        Ok(())
                    })();
                    if let Err(e) = result {
                        if let Ok(mut f) = failure.lock() {
                            f.get_or_insert(format!("{}: {e}", root.display()));
                        }
                        break;
                    }
                }
                if let Ok(mut t) = total.lock() {
                    t.dossiers += mine.dossiers;
                    t.files += mine.files;
                    t.errors += mine.errors;
                    t.warnings += mine.warnings;
                    t.packs += mine.packs;
                    t.pack_bytes += mine.pack_bytes;
                    t.load_ns += mine.load_ns;
                    t.assemble_ns += mine.assemble_ns;
                    t.render_ns += mine.render_ns;
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    total.into_inner().map_err(|e| e.to_string())
}
