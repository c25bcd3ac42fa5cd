//! The command line as parsed: every clap type lives here, and nothing else sees clap.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  saq list
  saq show untoc --cluster 1
  saq new response untoc --state XAR -o responses/untoc.yaml
  saq validate examples/arcadia
  saq progress examples/arcadia
  saq pack examples/arcadia --audience reviewers -o arcadia.html
  saq explain Q004

Exit codes: 0 all good, 1 the input has problems, 2 the command could not run.";

/// Self-assessment questionnaires and constructive-dialogue packs for the Review
/// Mechanism of the UN Convention against Transnational Organized Crime.
#[derive(Debug, Parser)]
#[command(name = "saq", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// Use the questionnaires in DIR (laid out as <id>/<version>.yaml) instead of the shipped ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub questionnaires: Option<PathBuf>,
    /// Use the pack templates in DIR instead of the shipped ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the questionnaires available.
    #[command(after_help = "Example:\n  saq list --format json")]
    List {
        #[arg(long, value_enum, default_value_t = DataFormat::Text)]
        format: DataFormat,
    },
    /// Show a questionnaire as a tree of clusters, articles and questions.
    #[command(
        after_help = "Examples:\n  saq show untoc --cluster 1\n  saq show trafficking@1.0 --lang fr --format md"
    )]
    Show {
        /// `id` (latest version) or `id@version`.
        questionnaire: String,
        /// Only this cluster (1-4).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
        cluster: Option<u8>,
        /// Language of titles and prompts (falls back to English, marked).
        #[arg(long, default_value = "en")]
        lang: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Check questionnaires, responses, submissions or whole dossiers.
    #[command(
        after_help = "Examples:\n  saq validate examples/arcadia\n  saq validate responses/untoc.yaml --format json\n  saq validate questionnaires/untoc/1.1.yaml"
    )]
    Validate {
        /// Files or dossier folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
        #[arg(short, long, value_name = "N", help = JOBS_HELP)]
        jobs: Option<NonZeroUsize>,
    },
    /// Print a JSON Schema (draft 2020-12) for a file format.
    #[command(
        after_help = "Examples:\n  saq schema questionnaire\n  saq schema response untoc@1.0 > untoc.schema.json\n  saq schema submission untoc"
    )]
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
        /// For responses and submissions: the questionnaire, `id` or `id@version`.
        questionnaire: Option<String>,
    },
    /// Explain a diagnostic code, or list them all.
    #[command(after_help = "Examples:\n  saq explain Q004\n  saq explain --list")]
    Explain {
        code: Option<String>,
        #[arg(long, conflicts_with = "code")]
        list: bool,
    },
    /// Write a new response or submission skeleton to fill in.
    #[command(subcommand)]
    New(NewCommand),
    /// Show how complete a dossier's responses are, per instrument and cluster.
    #[command(after_help = "Example:\n  saq progress examples/arcadia")]
    Progress {
        dossier: PathBuf,
        #[arg(long, value_enum, default_value_t = DataFormat::Text)]
        format: DataFormat,
    },
    /// Carry a response's answers to a newer questionnaire version.
    #[command(after_help = "Example:\n  saq migrate responses/untoc.yaml --to untoc@1.1")]
    Migrate {
        response: PathBuf,
        /// The target questionnaire, `id@version`.
        #[arg(long)]
        to: String,
        /// Write here instead of rewriting the response in place.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Render constructive-dialogue packs of dossiers for one audience.
    #[command(after_help = PACK_HELP)]
    Pack(PackArgs),
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A response skeleton: every question as a commented placeholder.
    #[command(
        after_help = "Example:\n  saq new response untoc --state XAR -o responses/untoc.yaml"
    )]
    Response {
        questionnaire: String,
        #[arg(long)]
        state: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// A stakeholder submission skeleton with an example comment.
    #[command(
        after_help = "Example:\n  saq new submission untoc --state XAR --contributor \"Observatorio Ciudadano\" --kind ngo"
    )]
    Submission {
        questionnaire: String,
        #[arg(long)]
        state: String,
        #[arg(long)]
        contributor: String,
        #[arg(long, value_parser = ["ngo", "academia", "private_sector", "other"])]
        kind: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long)]
        force: bool,
    },
}

const JOBS_HELP: &str =
    "How many files or dossiers to work on at once [default: the number of CPU cores]";

const PACK_HELP: &str = "\
Several dossiers:
  With several dossier folders (or one and an -o that ends in /), -o DIR is required
  and saq writes one pack per dossier into DIR (created if missing), named after the
  dossier folder and the format: corpus/XAA -> DIR/XAA.html (.md, .json).
  The catalog, schemas and templates are built once and dossiers are packed in
  parallel; messages come in the order the dossiers were given.
  A dossier with errors is reported with its files and gets no pack; the packs of
  the other dossiers are still written, and the exit code is 1. A dossier that
  cannot be packed at all (not a dossier, unreadable, no such --instrument) is
  reported the same way and makes the exit code 2. An existing pack of a dossier
  that gets none is left as it was: check the exit code. Two dossier folders with
  the same name (in any letter case) would write the same file: saq refuses to
  start. Each file is written whole or not at all.

Examples:
  saq pack examples/arcadia --audience reviewers -o arcadia.html
  saq pack examples/arcadia --audience public --format md --lang fr
  saq pack corpus/*/ --audience reviewers -o packs/";

#[derive(Debug, Args)]
pub struct PackArgs {
    /// One dossier folder, or several (then -o DIR is required).
    #[arg(required = true, value_name = "DOSSIER")]
    pub dossiers: Vec<PathBuf>,
    #[arg(long, value_parser = ["public", "reviewers", "secretariat"])]
    pub audience: String,
    /// Language of the pack's labels and questionnaire text.
    #[arg(long, default_value = "en")]
    pub lang: String,
    #[arg(long, value_enum, default_value_t = PackFormat::Html)]
    pub format: PackFormat,
    /// Only this instrument (repeatable).
    #[arg(long)]
    pub instrument: Vec<String>,
    /// Only this cluster (repeatable).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub cluster: Vec<u8>,
    /// The date on the cover (YYYY-MM-DD); default: the newest date among the inputs.
    #[arg(long)]
    pub date: Option<String>,
    /// One dossier: the file to write (default: STATE-AUDIENCE.html for HTML, stdout
    /// for md and json). Several dossiers, or ending in /: the folder to write into.
    #[arg(short, long, value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    #[arg(short, long, value_name = "N", help = JOBS_HELP)]
    pub jobs: Option<NonZeroUsize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Md,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Questionnaire,
    Response,
    Submission,
    Pack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PackFormat {
    Html,
    Md,
    Json,
}
