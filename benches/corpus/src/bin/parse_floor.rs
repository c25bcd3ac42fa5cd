//! The parse floor: reads YAML files and parses them, nothing else.
//!
//! saq-parse-floor [--mode events|tree] [--threads N] PATH...
//!
//! `events` runs saphyr-parser's event parser over each file (scanning and parsing,
//! no tree); `tree` builds saphyr's `Yaml` tree; `saq` runs saq's own loader
//! (`saq_core::source::parse`: marked tree, JSON value, span map), for comparison. PATHs are files or folders (searched
//! for *.yaml). Prints files, bytes, events or nodes and the elapsed time to stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use saphyr::LoadableYamlNode;

fn main() -> ExitCode {
    let mut mode = "events".to_string();
    let mut threads = 1usize;
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mode" => mode = args.next().unwrap_or_default(),
            "--threads" => threads = args.next().and_then(|t| t.parse().ok()).unwrap_or(1).max(1),
            _ => paths.push(a.into()),
        }
    }
    let mut files = Vec::new();
    for p in &paths {
        if p.is_dir() {
            match saq_corpus::yaml_files(p) {
                Ok(f) => files.extend(f),
                Err(e) => {
                    eprintln!("{}: {e}", p.display());
                    return ExitCode::from(2);
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let items = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let Ok(text) = std::fs::read_to_string(path) else {
                    failures.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                bytes.fetch_add(text.len(), Ordering::Relaxed);
                let n = if mode == "saq" {
                    // saq's own loader: parse, JSON value and span map (not a floor; for comparison).
                    let file = saq_core::source::SourceFile {
                        path: path.clone(),
                        text,
                    };
                    match saq_core::source::parse(&file) {
                        Ok(_) => 1,
                        Err(_) => {
                            failures.fetch_add(1, Ordering::Relaxed);
                            0
                        }
                    }
                } else if mode == "tree" {
                    match saphyr::Yaml::load_from_str(&text) {
                        Ok(docs) => docs.len(),
                        Err(_) => {
                            failures.fetch_add(1, Ordering::Relaxed);
                            0
                        }
                    }
                } else {
                    let mut n = 0;
                    for event in saphyr_parser::Parser::new_from_str(&text) {
                        if event.is_err() {
                            failures.fetch_add(1, Ordering::Relaxed);
                            break;
                        }
                        n += 1;
                    }
                    n
                };
                items.fetch_add(n, Ordering::Relaxed);
            });
        }
    });
    eprintln!(
        "parsed {} files ({:.1} MB, {} {}) with saphyr ({mode}, {threads} thread(s)) in {:.3?}; {} failed",
        files.len(),
        bytes.load(Ordering::Relaxed) as f64 / 1e6,
        items.load(Ordering::Relaxed),
        if mode == "events" { "events" } else { "documents" },
        started.elapsed(),
        failures.load(Ordering::Relaxed)
    );
    if failures.load(Ordering::Relaxed) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
