//! Shared helpers: run the real binary, find fixtures, read diagnostics as values.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

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
