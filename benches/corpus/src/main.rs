//! saq-corpus: writes a seeded corpus of dossiers (and/or a flat folder of submissions).
//!
//! saq-corpus --out DIR [--states 190] [--submissions 20] [--seed 1] [--errors 0.05]
//!            [--flat-submissions DIR2 [--count 1000]] [--questionnaires DIR]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use saq_corpus::{load_catalog, repo_dir, write_corpus, write_flat_submissions, Config};

const USAGE: &str = "usage: saq-corpus [--out DIR] [--states N] [--submissions M] [--seed S] [--errors F]
                  [--flat-submissions DIR2] [--count N] [--questionnaires DIR]

  --out DIR               write DIR/<XAA..>/{responses,submissions}/*.yaml and DIR/manifest.json
  --states N              number of fictional states, XAA onwards (default 190, at most 676)
  --submissions M         submissions per state (default 20)
  --seed S                the seed; the same seed gives the same bytes (default 1)
  --errors F              plant one known error in a fraction F of the files (default 0)
  --flat-submissions DIR2 also write the corpus's first --count submissions into one folder
  --count N               how many for --flat-submissions (default 1000)
  --questionnaires DIR    questionnaire definitions (default ./questionnaires, else the repository's)";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saq-corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::default();
    let mut out: Option<PathBuf> = None;
    let mut flat: Option<PathBuf> = None;
    let mut count = 1000usize;
    let mut questionnaires: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        let bad = |name: &str, v: &str| format!("{name}: cannot read {v:?}");
        match arg.as_str() {
            "--out" => out = Some(value("--out")?.into()),
            "--states" => {
                let v = value("--states")?;
                config.states = v.parse().map_err(|_| bad("--states", &v))?;
            }
            "--submissions" => {
                let v = value("--submissions")?;
                config.submissions = v.parse().map_err(|_| bad("--submissions", &v))?;
            }
            "--seed" => {
                let v = value("--seed")?;
                config.seed = v.parse().map_err(|_| bad("--seed", &v))?;
            }
            "--errors" => {
                let v = value("--errors")?;
                config.errors = v.parse().map_err(|_| bad("--errors", &v))?;
                if !(0.0..=1.0).contains(&config.errors) {
                    return Err("--errors must be between 0 and 1".into());
                }
            }
            "--flat-submissions" => flat = Some(value("--flat-submissions")?.into()),
            "--count" => {
                let v = value("--count")?;
                count = v.parse().map_err(|_| bad("--count", &v))?;
            }
            "--questionnaires" => questionnaires = Some(value("--questionnaires")?.into()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if out.is_none() && flat.is_none() {
        return Err(format!("give --out or --flat-submissions\n{USAGE}"));
    }
    if config.states > saq_corpus::MAX_STATES {
        return Err(format!("--states: at most {}", saq_corpus::MAX_STATES));
    }
    let dir = questionnaires.unwrap_or_else(|| {
        let local = PathBuf::from("questionnaires");
        if local.is_dir() {
            local
        } else {
            repo_dir("questionnaires")
        }
    });
    let catalog = load_catalog(&dir)?;
    if let Some(out) = out {
        let started = Instant::now();
        let s =
            write_corpus(&catalog, &config, &out).map_err(|e| format!("{}: {e}", out.display()))?;
        eprintln!(
            "wrote {} files ({:.1} MB) of {} states to {} in {:.1?}; {} planted error(s) in manifest.json",
            s.files,
            s.bytes as f64 / 1e6,
            config.states,
            out.display(),
            started.elapsed(),
            s.planted.len()
        );
    }
    if let Some(flat) = flat {
        let s = write_flat_submissions(&catalog, &config, count, &flat)
            .map_err(|e| format!("{}: {e}", flat.display()))?;
        eprintln!(
            "wrote {} submissions ({:.1} MB) to {}",
            s.files,
            s.bytes as f64 / 1e6,
            flat.display()
        );
    }
    Ok(())
}
