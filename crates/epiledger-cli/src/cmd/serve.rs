//! `serve`: the reporting server over the database (see `epiledger-server`).

use std::path::Path;
use std::process::ExitCode;

#[cfg(feature = "postgres")]
use epiledger_server::open_postgres;
use epiledger_server::{open_sqlite, AppState, Config, Durability};
#[cfg(feature = "postgres")]
use epiledger_store::location::{is_postgres_url, redact};

use crate::cli::{DurabilityArg, ServeArgs};
use crate::db::{self, Location};
use crate::error::CliError;

/// `serve`: fills a new database with the shipped history, then answers the API until SIGINT or
/// SIGTERM; stops gracefully (requests under way are answered, the writer's queue committed).
pub fn run(db_path: &Path, args: &ServeArgs) -> Result<ExitCode, CliError> {
    let location = Location::parse(db_path);
    // Creates the ledger and fills it with the shipped history (published releases) if new.
    drop(db::open(db_path, true)?);
    let (writer, readers, public) = match &location {
        Location::Sqlite(path) => {
            if args.read_db.is_some() {
                return Err(CliError::Input(
                    "--read-db names a PostgreSQL replica: it needs a PostgreSQL --db".into(),
                ));
            }
            let durability = match args.durability {
                DurabilityArg::Normal => Durability::Normal,
                DurabilityArg::Full => Durability::Full,
            };
            let (writer, readers) = open_sqlite(path, args.readers, durability)?;
            (writer, readers, Vec::new())
        }
        #[cfg(not(feature = "postgres"))]
        Location::Postgres(_) => return Err(db::no_postgres(&location)),
        #[cfg(feature = "postgres")]
        Location::Postgres(url) => {
            if let Some(r) = &args.read_db {
                if !is_postgres_url(r) {
                    return Err(CliError::Input(format!(
                        "--read-db `{}` is not a postgres:// URL",
                        redact(r)
                    )));
                }
            }
            let c = open_postgres(url, args.read_db.as_deref(), args.readers)?;
            (c.writer, c.readers, c.public)
        }
    };
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
        let state = AppState::with_public_readers(writer, readers, public, config);
        #[cfg(feature = "postgres")]
        if let Location::Postgres(url) = &location {
            epiledger_server::pg::watch(url, &state)
                .map_err(|e| CliError::io("starting the listener thread", e))?;
        }
        epiledger_server::serve(state, listener, shutdown())
            .await
            .map_err(|e| CliError::io("serving", e))
    })?;
    eprintln!("epiledger serve: stopped; every acknowledged change is stored");
    Ok(ExitCode::SUCCESS)
}

/// `openapi`: the document of the HTTP API, as the server serves it.
pub fn openapi() -> Result<ExitCode, CliError> {
    let doc = epiledger_server::document()
        .to_pretty_json()
        .map_err(|e| CliError::Input(format!("the OpenAPI document: {e}")))?;
    println!("{doc}");
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
