//! Converts YAML files to JSON with saq's own loader (YAML 1.2 core schema), so a
//! JSON-only validator sees exactly the values saq validates: `yes` stays a string
//! and dates stay strings (a YAML 1.1 loader such as js-yaml 3 would turn them into
//! a boolean and a Date). Used once, outside any timed region, by scripts/peers.sh.
//!
//! saq-yaml2json OUTDIR FILE...   (writes OUTDIR/<file stem>.json)

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: saq-yaml2json OUTDIR FILE...");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("{}: {e}", out.display());
        return ExitCode::from(2);
    }
    let mut failed = false;
    for path in args.map(PathBuf::from) {
        let converted = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                let file = saq_core::source::SourceFile {
                    path: path.clone(),
                    text,
                };
                saq_core::source::parse(&file).map_err(|d| format!("{d:?}"))
            })
            .and_then(|doc| serde_json::to_string(&doc.value).map_err(|e| e.to_string()));
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        match converted.and_then(|json| {
            std::fs::write(out.join(format!("{stem}.json")), json).map_err(|e| e.to_string())
        }) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
