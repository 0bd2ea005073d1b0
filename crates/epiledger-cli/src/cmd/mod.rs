//! The commands.

mod analytics;
mod audit;
mod auditlog;
mod bulletin;
mod cases;
mod copy;
mod import;
mod meta;
mod migrate;
mod read;
mod serve;
mod submit;
mod token;

use std::process::ExitCode;

use epiledger_core::{registry, RegionId};

use crate::cli::{Cli, Command, ImportWhat};
use crate::db;
use crate::error::CliError;

/// Runs a command, returning the exit code.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Import(args) => match args.what {
            ImportWhat::Nhc {
                paths,
                date,
                allow_unplaced,
                lang,
            } => {
                let mut store = db::open(&cli.db, false)?;
                import::nhc(&mut store, &paths, date, lang, allow_unplaced)
            }
        },
        Command::Parse(args) => import::parse(&args),
        Command::Show(args) => read::show(&db::open(&cli.db, true)?, &args),
        Command::Series(args) => read::series(&db::open(&cli.db, true)?, &args),
        Command::Export(args) => read::export(&db::open(&cli.db, true)?, args.what),
        Command::Audit(args) => audit::run(&db::open(&cli.db, true)?, &args),
        Command::Versions(args) => read::versions(&db::open(&cli.db, true)?, args.date),
        Command::Bulletin(args) => bulletin::bulletin(&cli.db, &args),
        Command::Render(args) => bulletin::render(&args),
        Command::Measures => meta::measures(),
        Command::Region(args) => meta::region(&args.name),
        Command::Migrate => migrate::run(&cli.db),
        Command::Copy(args) => copy::run(&args),
        Command::Serve(args) => serve::run(&cli.db, &args),
        Command::Openapi => serve::openapi(),
        Command::Submit(args) => submit::run(&args),
        Command::Token(args) => token::run(&cli.db, &args),
        Command::AuditLog(args) => auditlog::run(&cli.db, &args),
        Command::Analytics(c) => analytics::run(&cli.db, &c),
        Command::Cases(c) => cases::run(&cli.db, c),
    }
}

/// Resolves a region a user names, with the nearest matches when it is unknown.
pub fn resolve_region(name: &str) -> Result<RegionId, CliError> {
    if let Ok(id) = name.parse::<RegionId>() {
        if registry().get(id.code()).is_some() || matches!(id, RegionId::Area { .. }) {
            return Ok(id);
        }
    }
    registry()
        .resolve(name)
        .map(RegionId::Code)
        .map_err(|e| CliError::Input(format!("{e} (`epiledger region NAME` looks one up)")))
}

/// Whether `inner` is `outer` or lies inside it.
pub fn within(outer: &RegionId, inner: &RegionId) -> bool {
    outer == inner || epiledger_core::ledger::hierarchy::contains(outer, inner)
}
