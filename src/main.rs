//! The `saq` binary: parses the command line, runs one command, picks the exit code.
//!
//! Libraries return values and diagnostics; only this crate prints and decides how
//! a run ends: 0 all good, 1 the input has problems, 2 the command could not run.

mod cli;
mod cmd;
mod embedded;
mod output;
mod parallel;
mod report;
mod session;

use std::process::ExitCode;

use clap::Parser;

/// How a command that ran to the end judged its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Problems,
}

/// Why a command could not run at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(failure) => {
            report::failure(&failure);
            ExitCode::from(2)
        }
    }
}
