//! Shared helpers: run the real binary, find fixtures, read diagnostics as values.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The `saq` binary built by cargo for this test run.
pub fn saq() -> Command {
    let mut cmd = Command::cargo_bin("saq").expect("the saq binary is built for tests");
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/fixtures").join(relative)
}

/// (code, line, column) of every diagnostic `saq validate --format json` reports.
pub fn diagnostics(paths: &[&Path]) -> (i32, Vec<(String, usize, usize)>) {
    let output = saq()
        .arg("validate")
        .args(paths)
        .args(["--format", "json"])
        .output()
        .expect("saq runs");
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("validate --format json prints JSON");
    let found = json["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0) as usize,
                d["column"].as_u64().unwrap_or(0) as usize,
            )
        })
        .collect();
    (output.status.code().unwrap_or(-1), found)
}

/// Runs saq with `args`: (exit status, stdout, stderr).
pub fn run(args: &[&str], cwd: Option<&Path>) -> (i32, String, String) {
    let mut cmd = saq();
    cmd.args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let output = cmd.output().expect("saq runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        !stderr.contains("panicked"),
        "saq {args:?} panicked: {stderr}"
    );
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr,
    )
}

pub fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("readable")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    names.sort();
    names
}
