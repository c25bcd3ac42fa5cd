//! Benchmarks of the `saq` binary (target/release/saq, built by `cargo bench`), run
//! with std::process on the generated corpus. See BENCHMARKS.md.

mod common;

use std::process::{Command, Stdio};

use divan::Bencher;

fn main() {
    common::dossiers();
    common::flat();
    divan::main();
}

fn saq() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saq"));
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn run(mut c: Command) {
    let status = c.status().expect("saq runs");
    assert!(status.success(), "{c:?} failed: {status}");
}

/// `saq validate` on the corpus's first 1,000 submission files (one process).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn saq_validate_1000_submissions(bencher: Bencher) {
    let files = common::flat_files();
    bencher.bench(|| {
        let mut c = saq();
        c.arg("validate").args(&files);
        run(c);
    });
}

/// `saq pack XAA --audience reviewers --format html -o FILE` (one process: load, validate, assemble, render, write).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn saq_pack_html(bencher: Bencher) {
    let out = tempfile::tempdir().expect("a temp dir");
    let target = out.path().join("XAA.html");
    bencher.bench(|| {
        let mut c = saq();
        c.arg("pack")
            .arg(common::full_dossier())
            .args(["--audience", "reviewers", "--format", "html", "-o"])
            .arg(&target);
        run(c);
    });
}

/// The whole cycle through the binary: `saq validate` on all 190 dossiers, then one
/// `saq pack` writing the 190 reviewers packs into a folder (two processes, each
/// building the catalog once and working on dossiers on every core). The former
/// variant, one `saq pack` process per dossier, took about 48 s here and is gone:
/// three samples of it cost minutes; BENCHMARKS.md keeps its figures.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn whole_cycle_binary(bencher: Bencher) {
    let out = tempfile::tempdir().expect("a temp dir");
    let dossiers = common::dossiers();
    bencher.bench(|| {
        let mut c = saq();
        c.arg("validate").args(dossiers);
        run(c);
        let mut c = saq();
        c.arg("pack")
            .args(dossiers)
            .args(["--audience", "reviewers", "--format", "html", "-o"])
            .arg(out.path());
        run(c);
    });
}
