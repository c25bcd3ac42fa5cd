//! `saq new`: skeletons to fill in, each with its editor schema beside it.
//!
//! A skeleton is only worth giving if the first `saq validate` of it is clean, so the
//! text is validated in memory before anything is written; one that fails is a bug
//! in saq, reported as such, and nothing reaches the disk. The JSON Schema goes
//! beside the file as `<stem>.schema.json` and is referenced by its bare file name,
//! so a dossier can be moved or shared whole and editors still find it (the dossier
//! loader skips `*.schema.json`). Existing files are never replaced without `--force`:
//! a response holds months of a government's work.

use std::fs;
use std::path::{Path, PathBuf};

use saq_core::source::SourceFile;
use saq_core::validate::FileKind;
use saq_core::{schema, skeleton};

use crate::cli::NewCommand;
use crate::output::write_atomically;
use crate::report::{self, Sources};
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(session: &Session, cmd: NewCommand) -> Result<Outcome, Failure> {
    match cmd {
        NewCommand::Response {
            questionnaire,
            state,
            output,
            force,
        } => {
            let q = super::resolve(session, &questionnaire)?;
            check_state(&state)?;
            let files = Files::plan(output, &format!("{}.yaml", q.id), force)?;
            let text = skeleton::response(q, &state, Some(&files.schema_ref()));
            files.write(session, FileKind::Response, &text, &schema::response(q))?;
            eprintln!(
                "wrote {} ({} questions of {}) and {}",
                files.skeleton.display(),
                q.question_count(),
                q.reference(),
                files.schema.display()
            );
            eprintln!(
                "next: uncomment and fill in the answers (deleting the `{{}}` after `answers:` with the first), then run `saq validate {}`",
                shell_word(&files.skeleton)
            );
        }
        NewCommand::Submission {
            questionnaire,
            state,
            contributor,
            kind,
            output,
            force,
        } => {
            let q = super::resolve(session, &questionnaire)?;
            check_state(&state)?;
            if contributor.trim().is_empty() {
                return Err(Failure::Usage(
                    "--contributor needs the name of the organization or person submitting".into(),
                ));
            }
            let files = Files::plan(output, &format!("{}.yaml", slug(&contributor)), force)?;
            let today = jiff::Zoned::now().date().to_string();
            let text = skeleton::submission(
                q,
                &state,
                &contributor,
                &kind,
                &today,
                Some(&files.schema_ref()),
            );
            files.write(
                session,
                FileKind::Submission,
                &text,
                &schema::submission(Some(q)),
            )?;
            eprintln!(
                "wrote {} (a submission on {} under {}) and {}",
                files.skeleton.display(),
                state,
                q.reference(),
                files.schema.display()
            );
            eprintln!(
                "next: check visibility and attribution, replace the example comment with yours, then run `saq validate {}`",
                shell_word(&files.skeleton)
            );
        }
    }
    Ok(Outcome::Clean)
}

/// Refuses state codes saq would reject in the file anyway, before writing it.
fn check_state(state: &str) -> Result<(), Failure> {
    if saq_core::state::is_known(state) {
        return Ok(());
    }
    let upper = state.to_uppercase();
    if upper != state && saq_core::state::is_known(&upper) {
        return Err(Failure::Usage(format!(
            "state codes are written in capitals: use `--state {upper}`, not `{state}`"
        )));
    }
    Err(Failure::Usage(format!(
        "`{state}` is not an ISO 3166-1 alpha-3 state code; use the state's code (e.g. MEX), or XAA-XZZ for a fictional state"
    )))
}

/// The two files one `saq new` writes.
struct Files {
    skeleton: PathBuf,
    schema: PathBuf,
    force: bool,
}

impl Files {
    /// Where to write: `-o FILE` (or `-o FOLDER/` for the default name in it), else
    /// `default_name` in the current folder; the schema beside it.
    fn plan(output: Option<PathBuf>, default_name: &str, force: bool) -> Result<Files, Failure> {
        let skeleton = match output {
            Some(path) if path.is_dir() => path.join(default_name),
            Some(path) => path,
            None => PathBuf::from(default_name),
        };
        let Some(name) = skeleton
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
        else {
            return Err(Failure::Usage(format!(
                "`{}` does not name a file; give one such as responses/untoc.yaml",
                skeleton.display()
            )));
        };
        if name.ends_with(".schema.json") {
            return Err(Failure::Usage(format!(
                "`{name}`: names ending in .schema.json are kept for the editor schemas saq writes; choose another name"
            )));
        }
        let stem = Path::new(&name)
            .file_stem()
            .map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
        let schema = skeleton.with_file_name(format!("{stem}.schema.json"));
        Ok(Files {
            skeleton,
            schema,
            force,
        })
    }

    /// The schema as the skeleton's modeline names it: its file name, relative to the
    /// skeleton, percent-encoded as a URI reference.
    fn schema_ref(&self) -> String {
        let name = self
            .schema
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut encoded = String::new();
        for byte in name.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                encoded.push(char::from(byte));
            } else {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
        encoded
    }

    /// Refuses to overwrite, checks the skeleton, then writes the schema and the skeleton, each atomically.
    fn write(
        &self,
        session: &Session,
        kind: FileKind,
        text: &str,
        schema: &serde_json::Value,
    ) -> Result<(), Failure> {
        let schema_text =
            serde_json::to_string_pretty(schema).map_err(|e| Failure::Other(e.to_string()))? + "\n";
        if !self.force {
            if exists(&self.skeleton) {
                return Err(Failure::Usage(format!(
                    "{} already exists; use --force to overwrite it",
                    self.skeleton.display()
                )));
            }
            // Rewriting an identical schema loses nothing; a different file of that name might be someone's.
            if exists(&self.schema)
                && fs::read(&self.schema).ok().as_deref() != Some(schema_text.as_bytes())
            {
                return Err(Failure::Usage(format!(
                    "{} already exists and is not the schema saq would write; use --force to overwrite it",
                    self.schema.display()
                )));
            }
        }
        let source = SourceFile {
            path: self.skeleton.clone(),
            text: text.to_string(),
        };
        let found = saq_core::validate::file(&session.catalog, &source);
        if found.kind != Some(kind) || !found.diagnostics.is_empty() {
            let mut sources = Sources::default();
            sources.add(&source);
            report::print_human(&found.diagnostics, &sources);
            return Err(Failure::Other(format!(
                "the skeleton saq generated for {} does not validate; this is a bug in saq, please report it (nothing was written)",
                self.skeleton.display()
            )));
        }
        if let Some(parent) = self.skeleton.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|source| Failure::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // The schema first, so the skeleton never names a schema that is not there.
        write_atomically(&self.schema, schema_text.as_bytes())?;
        write_atomically(&self.skeleton, text.as_bytes())
    }
}

/// True for anything at `path`, a dangling symbolic link included.
fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A file name from a contributor's name: lowercase letters and digits, other runs
/// of characters as one `-`, at most 60 characters; `submission` if nothing is left.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "submission".to_string()
    } else {
        slug.to_string()
    }
}

/// A path as one shell word, for the command the user is told to run next.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ':' | '@')
        })
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("Observatorio Ciudadano"), "observatorio-ciudadano");
        assert_eq!(slug(r#"O'Brien: "Watch" #1"#), "o-brien-watch-1");
        assert_eq!(slug("Ñandú / Fundação"), "ñandú-fundação");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("***"), "submission");
    }

    #[test]
    fn schema_sits_beside_the_skeleton() {
        let f = Files::plan(Some("responses/untoc.yaml".into()), "x.yaml", false).unwrap();
        assert_eq!(f.schema, Path::new("responses/untoc.schema.json"));
        assert_eq!(f.schema_ref(), "untoc.schema.json");
        let f = Files::plan(Some("my file.yaml".into()), "x.yaml", false).unwrap();
        assert_eq!(f.schema_ref(), "my%20file.schema.json");
        assert!(Files::plan(Some("a.schema.json".into()), "x.yaml", false).is_err());
    }

    #[test]
    fn lowercase_states_are_refused_with_the_fix() {
        assert!(check_state("XAR").is_ok());
        let Err(Failure::Usage(message)) = check_state("xar") else {
            panic!("refused")
        };
        assert!(message.contains("--state XAR"), "{message}");
        let Err(Failure::Usage(message)) = check_state("QQQ") else {
            panic!("refused")
        };
        assert!(message.contains("XAA-XZZ"), "{message}");
    }
}
