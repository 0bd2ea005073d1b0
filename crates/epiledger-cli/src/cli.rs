//! The command line's arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use epiledger_core::{Date, Measure, Origin};

/// epiledger: the daily epidemic ledger of the Chinese mainland, 2020–2022, and the system that
/// compiles it. Runs on the shipped history with no setup.
#[derive(Debug, Parser)]
#[command(name = "epiledger", version, about, long_about = None)]
pub struct Cli {
    /// The database: a SQLite file, created on first use and filled with the shipped history.
    #[arg(
        long,
        global = true,
        env = "EPILEDGER_DB",
        default_value = "epiledger.db"
    )]
    pub db: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import bulletins into the database (a day is stored whole or not at all).
    Import(ImportArgs),
    /// Parse bulletins and print their facts, storing nothing.
    Parse(ParseArgs),
    /// Show the figures of one day.
    Show(ShowArgs),
    /// A measure over time.
    Series(SeriesArgs),
    /// Export the stored figures.
    Export(ExportArgs),
    /// Check the ledger's identities over the stored history and list every break.
    Audit(AuditArgs),
    /// The stored versions of a day: source, time, what changed.
    Versions(VersionsArgs),
    /// Render the bulletin of a day from the stored ledger, or check the renderer against a
    /// directory of official bulletins (`--check DIR`).
    Bulletin(BulletinArgs),
    /// Render a bulletin from a facts file (CSV or JSON Lines of `export facts`), with no
    /// database.
    Render(RenderArgs),
    /// The measures, with their kind and labels.
    Measures,
    /// Look up a region by code, ISO code, Chinese or English name.
    Region(RegionArgs),
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What to import.
    #[command(subcommand)]
    pub what: ImportWhat,
}

/// What `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// The National Health Commission's Chinese bulletins: files `YYYY-MM-DD.txt`, or
    /// directories of them.
    Nhc {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The reporting day, for a single file whose name does not give it.
        #[arg(long)]
        date: Option<Date>,
        /// Store a day even when some of its numbers could not be placed (they are listed).
        #[arg(long)]
        allow_unplaced: bool,
    },
}

/// `parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Bulletin files or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The reporting day, for a single file whose name does not give it.
    #[arg(long)]
    pub date: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FactsFormat::Csv)]
    pub format: FactsFormat,
}

/// Formats for facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FactsFormat {
    /// `date,region,origin,measure,value`.
    Csv,
    /// One JSON document.
    Json,
    /// One JSON object a line.
    Jsonl,
}

/// Formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// A table for people.
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
}

/// `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The reporting day, YYYY-MM-DD.
    pub date: Date,
    /// Only this region and the areas inside it (code, ISO code, Chinese or English name).
    #[arg(long)]
    pub region: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
    /// Answer with what was known at this time (RFC 3339, e.g. 2026-01-01T00:00:00Z).
    #[arg(long)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// `series`.
#[derive(Debug, Args)]
pub struct SeriesArgs {
    /// The measure, e.g. confirmed_new.
    #[arg(long)]
    pub measure: Measure,
    /// The region (default: the nation, 100000).
    #[arg(long, default_value = "100000")]
    pub region: String,
    /// all, imported or local.
    #[arg(long, default_value = "all")]
    pub origin: Origin,
    /// First day.
    #[arg(long)]
    pub from: Option<Date>,
    /// Last day.
    #[arg(long)]
    pub to: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SeriesFormat::Csv)]
    pub format: SeriesFormat,
    /// Answer with what was known at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// Formats of `series`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeriesFormat {
    /// `date,value`.
    Csv,
    /// A JSON array of `{date, value}`.
    Json,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[command(subcommand)]
    pub what: ExportWhat,
}

/// What `export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Every stored fact: CSV `date,region,origin,measure,value`, or JSON Lines.
    Facts {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// First day.
        #[arg(long)]
        from: Option<Date>,
        /// Last day.
        #[arg(long)]
        to: Option<Date>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

/// Formats of `export facts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV with the header `date,region,origin,measure,value`.
    Csv,
    /// One JSON object a line.
    Jsonl,
}

/// `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// First day.
    #[arg(long)]
    pub from: Option<Date>,
    /// Last day.
    #[arg(long)]
    pub to: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
    /// Exit with code 4 when a break is not explained by a correction.
    #[arg(long)]
    pub check: bool,
}

/// Formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// A line a break, and a summary.
    Text,
    /// A JSON array of breaks.
    Json,
}

/// `versions`.
#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// The reporting day.
    pub date: Date,
}

/// `region`.
#[derive(Debug, Args)]
pub struct RegionArgs {
    /// A code (110000), ISO code (CN-BJ), Chinese (北京, 北京市) or English name (Beijing).
    pub name: String,
}

/// Languages of the bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Chinese, in the NHC's own form.
    Zh,
    /// English.
    En,
}

/// Formats of the bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BulletinFormat {
    /// Plain text.
    Text,
    /// The structured bulletin, for machines.
    Json,
    /// A standalone printable page.
    Html,
    /// Markdown.
    Md,
}

/// `bulletin`.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// The reporting day (not needed with --check).
    #[arg(required_unless_present = "check")]
    pub date: Option<Date>,
    /// Language.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BulletinFormat::Text)]
    pub format: BulletinFormat,
    /// A province's own bulletin (code or name).
    #[arg(long)]
    pub region: Option<String>,
    /// Render every day that DIR holds and compare with the official text.
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
    /// Answer with what was known at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The facts file (CSV `date,region,origin,measure,value` or JSON Lines).
    #[arg(long)]
    pub facts: PathBuf,
    /// Corrections (JSON Lines of corrections with a `date`), optional.
    #[arg(long)]
    pub corrections: Option<PathBuf>,
    /// Notes (JSON Lines of notes with a `date`), optional.
    #[arg(long)]
    pub notes: Option<PathBuf>,
    /// The reporting day.
    #[arg(long)]
    pub date: Date,
    /// Language.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BulletinFormat::Text)]
    pub format: BulletinFormat,
}
