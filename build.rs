//! Embeds the shipped questionnaires and templates into the binary.
//!
//! Every file under `questionnaires/` and `templates/` is listed here at build time,
//! so adding a questionnaire version or a template needs no code change, and the
//! binary carries no paths to the source tree at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut out = String::new();
    for (name, dir) in [
        ("QUESTIONNAIRES", "questionnaires"),
        ("TEMPLATES", "templates"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let base = root.join(dir);
        let mut files = Vec::new();
        collect(&base, &mut files);
        files.sort();
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[").ok();
        for file in files {
            let relative = file
                .strip_prefix(&base)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            writeln!(
                out,
                "    ({relative:?}, include_str!({:?})),",
                file.to_string_lossy()
            )
            .ok();
        }
        writeln!(out, "];").ok();
    }
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "tera" || e == "html" || e == "md" || e == "css")
        {
            files.push(path);
        }
    }
}
