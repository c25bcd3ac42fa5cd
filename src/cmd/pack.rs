//! `saq pack`: render constructive-dialogue packs of dossiers for one audience.
//!
//! One dossier: the pack goes to `-o FILE`, else `<STATE>-<audience>.html` for HTML
//! or stdout for Markdown and JSON. Several dossiers (or `-o` naming a folder): one
//! file per dossier in the folder, named after the dossier folder. Either way the
//! catalog, compiled schemas and templates are built once, and each dossier is
//! loaded, checked, assembled, rendered and written on its own, so memory holds
//! about one dossier per thread however many there are.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use saq_core::submission::Audience;
use saq_core::Diagnostic;
use saq_render::{assemble, assemble_for, Format, PackOptions, Renderer};

use crate::cli::{PackArgs, PackFormat};
use crate::output::{print, write_atomically};
use crate::parallel;
use crate::report::{self, Sources};
use crate::session::Session;
use crate::{embedded, Failure, Outcome};

/// What every dossier is packed with, checked once before any dossier is read.
struct Settings {
    options: PackOptions,
    format: Format,
}

/// The pack templates, compiled once and shared by every dossier. With one dossier
/// they are compiled only when a pack is about to be rendered, so a dossier with
/// errors is reported as such even when `--templates` is broken too (as it always was).
struct Templates<'a> {
    dir: Option<&'a Path>,
    compiled: OnceLock<Result<Renderer, String>>,
}

impl Templates<'_> {
    /// The renderer, compiling the templates the first time. A failure is kept as
    /// the words it prints, since every later caller gets it again and a `Failure`
    /// (holding an `io::Error`) cannot be copied.
    fn renderer(&self) -> Result<&Renderer, Failure> {
        self.compiled
            .get_or_init(|| compile(self.dir).map_err(|f| f.to_string()))
            .as_ref()
            .map_err(|message| Failure::Other(message.clone()))
    }
}

fn compile(dir: Option<&Path>) -> Result<Renderer, Failure> {
    let templates = match dir {
        Some(dir) => read_templates(dir)?,
        None => embedded::TEMPLATES
            .iter()
            .map(|(n, c)| ((*n).to_string(), (*c).to_string()))
            .collect(),
    };
    Renderer::new(templates.iter().map(|(n, c)| (n.as_str(), c.as_str())))
        .map_err(|e| Failure::Other(e.to_string()))
}

/// A dossier with errors gets no pack: what to tell the user instead.
struct Refusal {
    diagnostics: Vec<Diagnostic>,
    /// The texts of the dossier's files that the diagnostics quote.
    sources: Sources,
    files: usize,
}

impl Refusal {
    /// Prints the diagnostics and says that no pack was written (naming the dossier
    /// when there are several, since the reports follow one another).
    fn report(&self, dossier: &Path, several: bool) {
        report::print_human(&self.diagnostics, &self.sources);
        eprintln!("{}", report::summary(self.files, &self.diagnostics));
        let which = if several {
            format!(" for {}", dossier.display())
        } else {
            String::new()
        };
        eprintln!(
            "no pack written{which}: fix the errors above first (`saq validate {}`)",
            dossier.display()
        );
    }
}

/// What the "wrote ..." line says about a pack.
struct About {
    state: String,
    instruments: usize,
    submissions: usize,
    /// Warnings in the dossier (a pack is refused on errors, so these are all warnings).
    warnings: usize,
}

pub fn run(session: Session, args: PackArgs) -> Result<Outcome, Failure> {
    let settings = settings(&args)?;
    let templates = Templates {
        dir: session.templates.as_deref(),
        compiled: OnceLock::new(),
    };
    match (args.dossiers.as_slice(), folder(&args)?) {
        ([dossier], None) => one(
            &session,
            &settings,
            &templates,
            dossier,
            args.output.as_deref(),
        ),
        (_, Some(dir)) => several(&session, &settings, &templates, &args, dir),
        (_, None) => Err(Failure::Usage(
            "several dossiers need -o DIR, the folder to write one pack per dossier into".into(),
        )),
    }
}

fn settings(args: &PackArgs) -> Result<Settings, Failure> {
    let audience = Audience::parse(&args.audience)
        .ok_or_else(|| Failure::Usage(format!("unknown audience {}", args.audience)))?;
    if !saq_render::i18n::LANGUAGES.contains(&args.lang.as_str()) {
        return Err(Failure::Usage(format!(
            "--lang must be one of the UN languages: {}",
            saq_render::i18n::LANGUAGES.join(", ")
        )));
    }
    if let Some(date) = &args.date {
        date.parse::<jiff::civil::Date>()
            .map_err(|e| Failure::Usage(format!("--date {date}: {e}")))?;
    }
    Ok(Settings {
        options: PackOptions {
            audience,
            lang: args.lang.clone(),
            instruments: args.instrument.clone(),
            clusters: args.cluster.clone(),
            date: args.date.clone(),
        },
        format: match args.format {
            PackFormat::Html => Format::Html,
            PackFormat::Md => Format::Markdown,
            PackFormat::Json => Format::Json,
        },
    })
}

/// The folder to write one pack per dossier into, if the packs go to a folder:
/// with several dossiers, or when `-o` ends in a separator (so `saq pack corpus/*/
/// -o packs/` means the same whether the glob finds one dossier or many). With one
/// dossier, any other `-o` is the file to write, as it always was, even if it names
/// an existing folder (that fails: the user asked for a file).
fn folder(args: &PackArgs) -> Result<Option<&Path>, Failure> {
    let Some(output) = args.output.as_deref() else {
        return Ok(None);
    };
    let ends_in_separator = output
        .as_os_str()
        .as_encoded_bytes()
        .last()
        .is_some_and(|b| *b == b'/' || char::from(*b) == std::path::MAIN_SEPARATOR);
    if args.dossiers.len() == 1 && !ends_in_separator {
        return Ok(None);
    }
    if output.exists() && !output.is_dir() {
        return Err(Failure::Usage(format!(
            "-o {}: with several dossiers -o names the folder to write their packs into, and this is a file",
            output.display()
        )));
    }
    Ok(Some(output))
}

/// A rendered pack, or why the dossier gets none.
type Built = Result<(String, About), Refusal>;

/// Loads, checks, assembles and renders one dossier.
fn build(
    session: &Session,
    settings: &Settings,
    templates: &Templates<'_>,
    path: &Path,
) -> Result<Built, Failure> {
    let (dossier, diagnostics) = super::validate::load_dossier(&session.catalog, path)?;
    if diagnostics.iter().any(|d| d.is_error()) {
        let mut sources = Sources::default();
        sources.add_quoted(&dossier.files, &diagnostics);
        return Ok(Err(Refusal {
            diagnostics,
            sources,
            files: dossier.files.len(),
        }));
    }
    for instrument in &settings.options.instruments {
        let known = dossier.responses.iter().any(|r| {
            r.response
                .questionnaire
                .starts_with(&format!("{instrument}@"))
        }) || dossier.submissions.iter().any(|s| {
            s.submission
                .questionnaire
                .starts_with(&format!("{instrument}@"))
        });
        if !known {
            return Err(Failure::Usage(format!(
                "the dossier has nothing on instrument `{instrument}`"
            )));
        }
    }
    // saq's own templates use only their format's half of each prose field, so only
    // that half is rendered; templates of the user's own may use either, so get both.
    let pack = match templates.dir {
        None => assemble_for(
            &session.catalog,
            &dossier,
            &settings.options,
            settings.format,
        ),
        Some(_) => assemble(&session.catalog, &dossier, &settings.options),
    };
    drop(dossier);
    let text = templates
        .renderer()?
        .render(&pack, settings.format)
        .map_err(|e| Failure::Other(e.to_string()))?;
    Ok(Ok((
        text,
        About {
            state: pack.state,
            instruments: pack.instruments.len(),
            submissions: pack.summary.submissions,
            warnings: diagnostics.len(),
        },
    )))
}

/// The lines that follow a pack: where it went (unless stdout) and the warnings.
fn report_written(destination: Option<&Path>, dossier: &Path, audience: Audience, about: &About) {
    if let Some(path) = destination {
        eprintln!(
            "wrote {} ({} pack of {}, {} instrument(s), {} submission(s) shown)",
            path.display(),
            audience.as_str(),
            about.state,
            about.instruments,
            about.submissions
        );
    }
    if about.warnings > 0 {
        eprintln!(
            "{} warning(s) in the dossier; `saq validate {}` shows them",
            about.warnings,
            dossier.display()
        );
    }
}

/// One dossier, written where `-o` says, or to `<STATE>-<audience>.html`, or stdout.
fn one(
    session: &Session,
    settings: &Settings,
    templates: &Templates<'_>,
    dossier: &Path,
    output: Option<&Path>,
) -> Result<Outcome, Failure> {
    let (text, about) = match build(session, settings, templates, dossier)? {
        Ok(built) => built,
        Err(refusal) => {
            refusal.report(dossier, false);
            return Ok(Outcome::Problems);
        }
    };
    let audience = settings.options.audience;
    let destination = match (output, settings.format) {
        (Some(path), _) => Some(path.to_path_buf()),
        (None, Format::Html) => Some(PathBuf::from(format!(
            "{}-{}.html",
            about.state,
            audience.as_str()
        ))),
        (None, _) => None,
    };
    match &destination {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None => print(&text)?,
    }
    report_written(destination.as_deref(), dossier, audience, &about);
    Ok(Outcome::Clean)
}

/// Several dossiers, one file each in `dir`, packed in parallel and reported in the
/// order given. A dossier that fails does not stop the others (see the command's help).
fn several(
    session: &Session,
    settings: &Settings,
    templates: &Templates<'_>,
    args: &PackArgs,
    dir: &Path,
) -> Result<Outcome, Failure> {
    let work = destinations(&args.dossiers, dir, settings.format)?;
    // Broken templates would fail every dossier alike: say so once, before any work.
    templates.renderer()?;
    let audience = settings.options.audience;
    let (mut written, mut refused, mut failed) = (0, 0, 0);
    parallel::ordered(
        &work,
        parallel::threads(args.jobs, work.len()),
        |(dossier, destination)| {
            let done = pack_into(session, settings, templates, dossier, destination);
            (*dossier, destination, done)
        },
        |(dossier, destination, done)| match done {
            Ok(Ok(about)) => {
                written += 1;
                report_written(Some(destination), dossier, audience, &about);
            }
            Ok(Err(refusal)) => {
                refused += 1;
                refusal.report(dossier, true);
            }
            Err(failure) => {
                failed += 1;
                report::failure(&failure);
                eprintln!("no pack written for {}", dossier.display());
            }
        },
    );
    let mut summary = format!(
        "{written} of {} pack(s) written to {}",
        work.len(),
        dir.display()
    );
    if refused > 0 {
        summary += &format!("; {refused} dossier(s) with errors");
    }
    if failed > 0 {
        summary += &format!("; {failed} dossier(s) could not be packed");
    }
    eprintln!("{summary}");
    if failed > 0 {
        return Err(Failure::Other(format!(
            "{failed} of {} dossier(s) could not be packed (see above)",
            work.len()
        )));
    }
    Ok(if refused > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// Builds one dossier's pack and writes it to `destination` (creating its folder).
/// Only the summary is kept, so the rendered text is freed before the next dossier.
fn pack_into(
    session: &Session,
    settings: &Settings,
    templates: &Templates<'_>,
    dossier: &Path,
    destination: &Path,
) -> Result<Result<About, Refusal>, Failure> {
    let (text, about) = match build(session, settings, templates, dossier)? {
        Ok(built) => built,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if let Some(dir) = destination.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|source| Failure::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    write_atomically(destination, text.as_bytes())?;
    Ok(Ok(about))
}

/// The file each dossier's pack goes to: `dir/<dossier folder name>.<extension>`.
/// Two dossiers that would write the same file (names equal in any letter case, as
/// case-insensitive file systems see them) are refused before any work starts.
fn destinations<'a>(
    dossiers: &'a [PathBuf],
    dir: &Path,
    format: Format,
) -> Result<Vec<(&'a Path, PathBuf)>, Failure> {
    let extension = match format {
        Format::Html => "html",
        Format::Markdown => "md",
        Format::Json => "json",
    };
    let mut taken: HashMap<String, &Path> = HashMap::new();
    let mut out = Vec::with_capacity(dossiers.len());
    for dossier in dossiers {
        // `.` and `..` have no name of their own: use the folder they stand for.
        let name = dossier
            .file_name()
            .map(OsString::from)
            .or_else(|| Some(fs::canonicalize(dossier).ok()?.file_name()?.to_os_string()))
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "cannot name a pack after {}; give the dossier folder by its name",
                    dossier.display()
                ))
            })?;
        let mut file = name;
        file.push(".");
        file.push(extension);
        let destination = dir.join(&file);
        if let Some(other) = taken.insert(file.to_string_lossy().to_lowercase(), dossier) {
            return Err(Failure::Usage(format!(
                "{} and {} would both be written to {}; give each dossier folder its own name",
                other.display(),
                dossier.display(),
                destination.display()
            )));
        }
        out.push((dossier.as_path(), destination));
    }
    Ok(out)
}

/// Reads every file under `dir`, named by its path relative to `dir`.
fn read_templates(dir: &Path) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = fs::read_dir(&current).map_err(|source| Failure::Read {
            path: current.clone(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| Failure::Read {
                    path: current.clone(),
                    source,
                })?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = fs::read_to_string(&path).map_err(|source| Failure::Read {
                    path: path.clone(),
                    source,
                })?;
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, text));
            }
        }
    }
    out.sort();
    Ok(out)
}
