//! The command line's arguments.

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use epiledger_bulletin::render::Format;
use epiledger_bulletin::LangChoice;
use epiledger_core::{Date, Lang, Measure, Origin};
use epiledger_formats::FactsFormat;

/// epiledger: the daily epidemic ledger of the Chinese mainland, 2020–2022, and the system that
/// compiles it. Runs on the shipped history with no setup.
#[derive(Debug, Parser)]
#[command(name = "epiledger", version, about, long_about = None)]
pub struct Cli {
    /// The database: an SQLite file (PATH or sqlite:PATH), or a PostgreSQL URL
    /// (postgres://USER@HOST:5432/DB); created on first use and filled with the shipped history.
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
    /// Create or upgrade the database's schema (SQLite or PostgreSQL) and say its version.
    Migrate,
    /// Copy a whole history between databases (SQLite ↔ PostgreSQL), every version in order,
    /// then check that both sides export the same facts.
    Copy(CopyArgs),
    /// The reporting server: units submit their day, compilers approve and publish, the public
    /// reads (a JSON API under /api/v1, described at /api/v1/openapi.json).
    Serve(ServeArgs),
    /// Print the OpenAPI document of the HTTP API (`/api/v1/openapi.json`), generated from the
    /// server's operations.
    Openapi,
    /// Send a unit's report (JSON, or CSV date,region,origin,measure,value) to a server.
    Submit(SubmitArgs),
    /// API tokens of the server: create, list, revoke (on the database file; no server needed).
    Token(TokenArgs),
    /// The server's audit log.
    AuditLog(AuditLogArgs),
    /// Estimates over the ledger: Rt (as EpiEstim computes it), growth rate and doubling time,
    /// 7-day averages, week-on-week change and incidence per 100,000, as known at any time.
    #[command(subcommand)]
    Analytics(AnalyticsCommand),
    /// The case register: cases, asymptomatic infections and close contacts as events, from
    /// which the daily figures are derived (see docs/CASES.md).
    #[command(subcommand)]
    Cases(CasesCommand),
}

/// `cases` subcommands (see docs/CASES.md).
#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// Import events (CSV or NDJSON, one row per event): each file is one batch, validated
    /// against the register and stored whole or not at all; events whose id was recorded
    /// before are skipped, so importing a file twice changes nothing.
    Import(CasesImportArgs),
    /// A card as the register holds it now (or as of a time), with its events. The read is
    /// written to the audit log.
    Show(CasesShowArgs),
    /// The figures derived from the register, in the facts format
    /// (`date,region,origin,measure,value`, or JSON Lines).
    Derive(CasesDeriveArgs),
    /// The derived figures against the stored ledger: every difference listed; exit 4 if any.
    Check(CasesSpanArgs),
    /// A day's figures from the register against each unit's submitted report: every figure
    /// listed, differences marked; exit 4 if any differs.
    Reconcile(CasesReconcileArgs),
    /// Open cards of the same person and disease, with the card that survives a merge.
    Duplicates,
    /// Write a synthetic line list (generated persons, no real one) whose derived figures are
    /// the shipped history; reproducible from the seed.
    Simulate(CasesSimulateArgs),
    /// Export the de-identified public line list: ISO week, 10-year age band, sex, province,
    /// classification, origin, outcome; combinations shared by fewer than k cards suppressed.
    Export(CasesExportArgs),
}

/// `cases import`.
#[derive(Debug, Args)]
pub struct CasesImportArgs {
    /// The files (`.csv`; `.ndjson`, `.jsonl`: NDJSON).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A mapping of the file's own column names and defaults (JSON, see docs/CASES.md).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// The file holding the deployment's pseudonym key (else EPILEDGER_PSEUDONYM_KEY); needed
    /// for rows that carry an identity number.
    #[arg(long)]
    pub pseudonym_key_file: Option<PathBuf>,
    /// Validate only: store nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `cases show`.
#[derive(Debug, Args)]
pub struct CasesShowArgs {
    /// The card, `UNIT:ID` (`420000:A17`).
    pub card: String,
    /// As known at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// Days of the register.
#[derive(Debug, Args)]
pub struct CasesSpanArgs {
    /// The first day (default: the day after the register's first, which opens it).
    #[arg(long)]
    pub from: Option<Date>,
    /// The last day (default: the register's last).
    #[arg(long)]
    pub to: Option<Date>,
}

/// `cases derive`.
#[derive(Debug, Args)]
pub struct CasesDeriveArgs {
    /// The days.
    #[command(flatten)]
    pub span: CasesSpanArgs,
    /// Output format.
    #[arg(long, value_parser = facts_format_arg(), default_value = "csv")]
    pub format: FactsFormat,
    /// As known at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// `cases reconcile`.
#[derive(Debug, Args)]
pub struct CasesReconcileArgs {
    /// The day.
    pub date: Date,
    /// One unit (a code or a name); default: every unit that has cards or a report.
    #[arg(long)]
    pub unit: Option<String>,
    /// Only the figures that differ.
    #[arg(long)]
    pub differences: bool,
}

/// `cases simulate`.
#[derive(Debug, Args)]
pub struct CasesSimulateArgs {
    /// The first day (default: the history's first).
    #[arg(long)]
    pub from: Option<Date>,
    /// The last day (default: the history's last).
    #[arg(long)]
    pub to: Option<Date>,
    /// The seed: the same seed gives the same file.
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
    /// The file to write (`.ndjson`/`.jsonl`: NDJSON, else CSV).
    #[arg(long, short)]
    pub out: PathBuf,
}

/// `cases export`.
#[derive(Debug, Args)]
pub struct CasesExportArgs {
    /// The de-identified line list (the only export: personal data never leaves the register).
    #[arg(long, required = true)]
    pub public: bool,
    /// The smallest group of cards a row may describe (at least 5).
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// `analytics` subcommands (see docs/ANALYTICS.md).
#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// The time-varying reproduction number of local transmission (Cori et al. 2013, EpiEstim's
    /// `estimate_R` with `method = "parametric_si"`): one row a 7-day window, by its last day.
    Rt(RtArgs),
    /// The daily growth rate by a log-linear fit over a window, with its 95% interval, and the
    /// doubling or halving time.
    Growth(GrowthArgs),
    /// Daily cases, their 7-day trailing average, both per 100,000 inhabitants (2020 census),
    /// and the week-on-week change.
    Rates(RatesArgs),
}

/// What the estimates read: whose cases, counted how, over which days, as known when.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// The nation (100000, the default) or a reporting unit: a code, an ISO code or a name.
    #[arg(long, default_value = "100000")]
    pub region: String,
    /// The first day reported.
    #[arg(long)]
    pub from: Option<Date>,
    /// The last day reported.
    #[arg(long)]
    pub to: Option<Date>,
    /// What counts as a case: confirmed (new confirmed cases), or confirmed-and-asymptomatic
    /// (plus new asymptomatic infections, most of what was found in 2022).
    #[arg(long, value_enum, default_value_t = CountingArg::Confirmed)]
    pub counting: CountingArg,
    /// Only the figures the bulletins state: a province's day without a stated figure stays
    /// absent even where a complete list implies 0.
    #[arg(long)]
    pub stated_only: bool,
    /// Estimate with what was known at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SeriesFormat::Csv)]
    pub format: SeriesFormat,
}

/// What counts as a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountingArg {
    /// New confirmed cases.
    Confirmed,
    /// New confirmed cases plus new asymptomatic infections.
    ConfirmedAndAsymptomatic,
}

/// Which cases a growth rate or a rate counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartArg {
    /// Local and imported.
    All,
    /// Local cases.
    Local,
    /// Imported cases.
    Imported,
}

/// `analytics rt`.
#[derive(Debug, Args)]
pub struct RtArgs {
    /// Whose cases, which days, as known when.
    #[command(flatten)]
    pub ask: AskArgs,
    /// The serial interval's mean, in days (Nishiura et al. 2020: 4.7); more than 1.
    #[arg(long, default_value_t = 4.7)]
    pub si_mean: f64,
    /// The serial interval's standard deviation, in days (Nishiura et al. 2020: 2.9).
    #[arg(long, default_value_t = 2.9)]
    pub si_sd: f64,
    /// The sliding window, in days (EpiEstim's default: 7); at least 2.
    #[arg(long, default_value_t = 7)]
    pub window: usize,
    /// Estimate from a CSV file `date,local,imported` (one row a day, consecutive; empty counts
    /// for an unknown day) instead of the ledger; --region, --counting, --stated-only and
    /// --as-of do not apply.
    #[arg(long)]
    pub incidence: Option<PathBuf>,
}

/// `analytics growth`.
#[derive(Debug, Args)]
pub struct GrowthArgs {
    /// Whose cases, which days, as known when.
    #[command(flatten)]
    pub ask: AskArgs,
    /// Which cases: all, local or imported.
    #[arg(long, value_enum, default_value_t = PartArg::All)]
    pub origin: PartArg,
    /// The fit's window, in days; at least 3.
    #[arg(long, default_value_t = 7)]
    pub window: usize,
}

/// `analytics rates`.
#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Whose cases, which days, as known when.
    #[command(flatten)]
    pub ask: AskArgs,
    /// Which cases: all, local or imported.
    #[arg(long, value_enum, default_value_t = PartArg::All)]
    pub origin: PartArg,
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
        /// The language of the texts: auto (each text's own), zh or en (English reports of the
        /// bulletin, as the NHC's briefing, the wire services and newspapers wrote them).
        #[arg(long, value_parser = lang_choice_arg(), default_value = "auto")]
        lang: LangChoice,
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
    #[arg(long, value_enum, default_value_t = ParseFormat::Csv)]
    pub format: ParseFormat,
    /// The language of the texts: auto (each text's own), zh or en.
    #[arg(long, value_parser = lang_choice_arg(), default_value = "auto")]
    pub lang: LangChoice,
}

/// Formats of `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
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
    /// Add the zeros that complete breakdowns imply, marked (`0*` in the table, the `basis`
    /// column in CSV, `implied` in JSON).
    #[arg(long)]
    pub implied: bool,
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
        /// Output format: CSV with the header `date,region,origin,measure,value`, or JSON Lines.
        #[arg(long, value_parser = facts_format_arg(), default_value = "csv")]
        format: FactsFormat,
        /// First day.
        #[arg(long)]
        from: Option<Date>,
        /// Last day.
        #[arg(long)]
        to: Option<Date>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Add the zeros that complete breakdowns imply (a province a complete list leaves
        /// out had 0), marked: a sixth CSV column `basis` (stated or implied), or
        /// `"basis": "implied"` in JSON Lines.
        #[arg(long)]
        implied: bool,
    },
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

/// `--lang zh|en`: the languages of the bulletin ([`Lang`]), listed in `--help`.
fn lang_arg() -> impl clap::builder::TypedValueParser<Value = Lang> {
    clap::builder::PossibleValuesParser::new(Lang::ALL.map(Lang::code))
        .try_map(|s| s.parse::<Lang>())
}

/// `--lang auto|zh|en`: the language a text is read in ([`LangChoice`]).
fn lang_choice_arg() -> impl clap::builder::TypedValueParser<Value = LangChoice> {
    clap::builder::PossibleValuesParser::new(["auto", "zh", "en"])
        .try_map(|s| s.parse::<LangChoice>())
}

/// `--format text|json|html|md`: the formats of the bulletin ([`Format`]).
fn bulletin_format_arg() -> impl clap::builder::TypedValueParser<Value = Format> {
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name))
        .try_map(|s| s.parse::<Format>())
}

/// `--format csv|jsonl`: the formats of facts ([`FactsFormat`]).
fn facts_format_arg() -> impl clap::builder::TypedValueParser<Value = FactsFormat> {
    clap::builder::PossibleValuesParser::new(FactsFormat::ALL.map(FactsFormat::name))
        .try_map(|s| s.parse::<FactsFormat>())
}

/// `bulletin`.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// The reporting day (not needed with --check).
    #[arg(required_unless_present = "check")]
    pub date: Option<Date>,
    /// Language.
    #[arg(long, value_parser = lang_arg(), default_value = "zh")]
    pub lang: Lang,
    /// Output format.
    #[arg(long, value_parser = bulletin_format_arg(), default_value = "text")]
    pub format: Format,
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
    #[arg(long, value_parser = lang_arg(), default_value = "zh")]
    pub lang: Lang,
    /// Output format.
    #[arg(long, value_parser = bulletin_format_arg(), default_value = "text")]
    pub format: Format,
}

/// `copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The database to copy from: sqlite:PATH (or a path) or postgres://….
    #[arg(long, value_name = "DB")]
    pub from: String,
    /// The database to copy to, created if needed: postgres://… or sqlite:PATH.
    #[arg(long, value_name = "DB")]
    pub to: String,
    /// Copy into a database that holds days already: versions it has are skipped, the others
    /// added (also resumes a copy that stopped).
    #[arg(long)]
    pub append: bool,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Read connections to the database.
    #[arg(long, default_value_t = 4)]
    pub readers: usize,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Requests a second allowed per client (token, or address without one), bursts of twice
    /// that; 0 for no limit.
    #[arg(long, default_value_t = 200)]
    pub rate_limit: u32,
    /// The default cutoff of a day: the next day at this time (HH:MM, Beijing time).
    #[arg(long, default_value = "06:00", value_parser = parse_hhmm)]
    pub cutoff: chrono::NaiveTime,
    /// normal: a committed change survives the process being killed (SQLite WAL,
    /// synchronous=NORMAL); full: also an operating system crash or power loss.
    /// (SQLite only: PostgreSQL's durability is the server's `synchronous_commit`.)
    #[arg(long, value_enum, default_value_t = DurabilityArg::Normal)]
    pub durability: DurabilityArg,
    /// With a PostgreSQL --db: serve public reads (no token) from this database, a read-only
    /// replica of --db; they lag the primary by its replication delay. Everything else (tokens,
    /// reporters' and compilers' reads, every change) goes to --db.
    #[arg(long, value_name = "URL", env = "EPILEDGER_READ_DB")]
    pub read_db: Option<String>,
}

/// How durable a commit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DurabilityArg {
    /// Survives a killed process.
    Normal,
    /// Survives a power loss.
    Full,
}

fn parse_hhmm(s: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|_| format!("`{s}` is not a time HH:MM, such as 06:00"))
}

/// `submit`.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The report: a .json file, or a .csv file (date,region,origin,measure,value).
    pub file: PathBuf,
    /// The server.
    #[arg(
        long,
        env = "EPILEDGER_SERVER",
        default_value = "http://127.0.0.1:8080"
    )]
    pub server: String,
    /// The reporter's token.
    #[arg(long, env = "EPILEDGER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Why this version supersedes the previous one (required for a revision).
    #[arg(long)]
    pub reason: Option<String>,
    /// Acknowledge a plausibility warning by its id (repeatable).
    #[arg(long)]
    pub acknowledge: Vec<String>,
    /// The retry key (default: derived from the file and the options).
    #[arg(long)]
    pub idempotency_key: Option<String>,
    /// Print the server's JSON answer.
    #[arg(long)]
    pub json: bool,
}

/// `token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TokenCommand,
}

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; its secret is printed once, on standard output.
    Create {
        /// reporter, compiler or admin.
        #[arg(long)]
        role: String,
        /// The reporting unit of a reporter (code or name).
        #[arg(long)]
        unit: Option<String>,
        /// A label for people.
        #[arg(long)]
        label: Option<String>,
    },
    /// List the tokens (never their secrets).
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token.
    Revoke {
        /// The token's id.
        id: i64,
    },
}

/// `audit-log`.
#[derive(Debug, Args)]
pub struct AuditLogArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: AuditLogCommand,
}

/// `audit-log` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditLogCommand {
    /// Recompute the hash chain; exit 4 and name the first broken entry if it was edited.
    Verify {
        /// The head (SEQ:HASH) printed by an earlier verification: also detects the deletion
        /// of the newest entries.
        #[arg(long, value_name = "SEQ:HASH")]
        expect_head: Option<String>,
    },
}
