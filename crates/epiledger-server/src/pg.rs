//! Serving from PostgreSQL: the connections, and the caches kept right when several servers
//! share one database.
//!
//! A server caches which release is a day's newest ([`crate::bulletin::Cache`], trusted for
//! [`crate::bulletin::LATEST_TTL`]) and verified tokens ([`crate::auth::TokenCache`], for
//! [`crate::auth::TokenCache::TTL`]). Another server's publication or revocation reaches them
//! through PostgreSQL's LISTEN/NOTIFY ([`epiledger_store_postgres::notify`]): the batch that
//! publishes or revokes notifies at its commit, and each server's listener thread forgets the
//! day's newest release or every cached token, in milliseconds. Should the listening
//! connection fail, the TTLs still bound the staleness (1 s and 2 s), and every cache entry is
//! forgotten when it is back (what was sent meanwhile is lost).

use std::sync::Arc;

use epiledger_store::StoreError;
use epiledger_store_postgres::notify::{self, Notice};
use epiledger_store_postgres::{Options, PostgresStore};

use crate::backend::Conn;
use crate::state::Shared;

/// The connections of a server on PostgreSQL: the writer, the readers, and the public readers
/// (of `--read-db`, a replica; none: the readers serve the public too).
pub struct PgConnections {
    /// The write connection (the primary).
    pub writer: Conn,
    /// The read connections of the primary.
    pub readers: Vec<Conn>,
    /// The read connections for the public, on a replica.
    pub public: Vec<Conn>,
}

/// Opens `readers` (at least 1) read connections and a write connection to `url`, and as many
/// read connections to `read_url` when given. The schema must be up to date on the primary
/// (`epiledger migrate`, or the CLI's open); a replica is only read.
pub fn open_postgres(
    url: &str,
    read_url: Option<&str>,
    readers: usize,
) -> Result<PgConnections, StoreError> {
    let options = Options::default();
    let writer: Conn = Box::new(PostgresStore::connect_with(url, &options)?);
    let n = readers.max(1);
    let mut pool: Vec<Conn> = Vec::with_capacity(n);
    for _ in 0..n {
        pool.push(Box::new(PostgresStore::connect_with(url, &options)?));
    }
    let mut public: Vec<Conn> = Vec::new();
    if let Some(read_url) = read_url {
        let replica = Options {
            migrate: false,
            ..Options::default()
        };
        for _ in 0..n {
            public.push(Box::new(PostgresStore::connect_with(read_url, &replica)?));
        }
    }
    Ok(PgConnections {
        writer,
        readers: pool,
        public,
    })
}

/// Starts the thread that listens for the other servers' publications and revocations on the
/// primary at `url`, and keeps this server's caches right (see the module's documentation).
pub fn watch(url: &str, state: &Shared) -> std::io::Result<()> {
    let url = url.to_string();
    let tokens = Arc::clone(&state.tokens);
    let bulletins = Arc::clone(&state.bulletins);
    std::thread::Builder::new()
        .name("epiledger-listen".into())
        .spawn(move || {
            notify::listen(&url, &Options::default(), &|notice| match notice {
                Notice::Published(date) => {
                    tracing::debug!(%date, "another server published");
                    bulletins.forget_latest(date);
                }
                Notice::Revoked(id) => {
                    tracing::debug!(token = id, "another server revoked a token");
                    tokens.clear();
                }
                Notice::Connected => {
                    tracing::info!("listening for other servers' publications and revocations");
                    tokens.clear();
                    bulletins.forget_all_latest();
                }
                Notice::Lost(why) => {
                    tracing::warn!(error = %why, "not listening for other servers' changes; \
                                   caches fall back on their time limits");
                }
            });
        })?;
    Ok(())
}
