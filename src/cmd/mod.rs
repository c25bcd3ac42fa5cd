//! One module per subcommand; `run` dispatches.

mod explain;
mod list;
mod migrate;
mod new;
mod pack;
mod progress;
mod schema;
mod show;
mod validate;

use crate::cli::{Cli, Command};
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(cli: Cli) -> Result<Outcome, Failure> {
    if let Command::Explain { code, list } = &cli.command {
        return explain::run(code.as_deref(), *list);
    }
    let session = Session::new(cli.questionnaires.as_deref(), cli.templates.clone())?;
    let catalog_ok = session.catalog_diagnostics.iter().all(|d| !d.is_error());
    if !session.catalog_diagnostics.is_empty() && !matches!(cli.command, Command::Validate { .. }) {
        crate::report::print_human(&session.catalog_diagnostics, &session.sources);
    }
    let outcome = match cli.command {
        Command::List { format } => list::run(&session, format)?,
        Command::Show {
            questionnaire,
            cluster,
            lang,
            format,
        } => show::run(&session, &questionnaire, cluster, &lang, format)?,
        Command::Validate {
            paths,
            format,
            deny_warnings,
            jobs,
        } => validate::run(session, &paths, format, deny_warnings, jobs)?,
        Command::Schema {
            kind,
            questionnaire,
        } => schema::run(&session, kind, questionnaire.as_deref())?,
        Command::Explain { .. } => Outcome::Clean,
        Command::New(new) => new::run(&session, new)?,
        Command::Progress { dossier, format } => progress::run(&session, &dossier, format)?,
        Command::Migrate {
            response,
            to,
            output,
        } => migrate::run(session, &response, &to, output.as_deref())?,
        Command::Pack(args) => pack::run(session, args)?,
    };
    Ok(if catalog_ok {
        outcome
    } else {
        Outcome::Problems
    })
}

/// Resolves `id[@version]` or explains which ones exist.
pub fn resolve<'a>(
    session: &'a Session,
    reference: &str,
) -> Result<&'a saq_core::questionnaire::Questionnaire, Failure> {
    session
        .catalog
        .get(reference)
        .map_err(|e| Failure::Usage(e.to_string()))
}
