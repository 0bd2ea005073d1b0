//! `serve`: the reporting server over the database (see `epiledger-server`).

use std::path::Path;
use std::process::ExitCode;

use epiledger_server::{open_sqlite, AppState, Config, Durability};

use crate::cli::{DurabilityArg, ServeArgs};
use crate::db::{self, Location};
use crate::error::CliError;

/// `serve`: fills a new database with the shipped history, then answers the API until SIGINT or
/// SIGTERM; stops gracefully (requests under way are answered, the writer's queue committed).
pub fn run(db_path: &Path, args: &ServeArgs) -> Result<ExitCode, CliError> {
    let location = Location::parse(db_path);
    let Location::Sqlite(path) = &location else {
        return Err(CliError::Input(format!(
            "{location}: `epiledger serve` runs on an SQLite ledger for now (the reporting \
             workflow's store is implemented for SQLite); give --db PATH"
        )));
    };
    // Creates the ledger and fills it with the shipped history (published releases) if new.
    drop(db::open(db_path, true)?);
    let durability = match args.durability {
        DurabilityArg::Normal => Durability::Normal,
        DurabilityArg::Full => Durability::Full,
    };
    let (writer, readers) = open_sqlite(path, args.readers, durability)?;
    let config = Config {
        max_body_bytes: args.max_body,
        rate_limit: (args.rate_limit > 0)
            .then(|| (args.rate_limit, args.rate_limit.saturating_mul(2))),
        cutoff_time: args.cutoff,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("epiledger-http")
        .build()
        .map_err(|e| CliError::io("the async runtime", e))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| CliError::io(format!("listening on {}", args.listen), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| CliError::io("the listening address", e))?;
        println!("epiledger serve: listening on http://{addr} (ledger {location})");
        tracing::info!(%addr, ledger = %location, readers = args.readers, "serving");
        let state = AppState::new(writer, readers, config);
        epiledger_server::serve(state, listener, shutdown())
            .await
            .map_err(|e| CliError::io("serving", e))
    })?;
    eprintln!("epiledger serve: stopped; every acknowledged change is stored");
    Ok(ExitCode::SUCCESS)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("epiledger serve: shutting down (finishing the requests under way)");
}
