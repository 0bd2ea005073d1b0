//! The reporting server of epiledger: the 32 reporting units submit their day, the national
//! compilers watch completeness, review the compilation, approve and publish; the public reads
//! what is published. A versioned JSON API under `/api/v1` (described at
//! `/api/v1/openapi.json`), `/healthz`, structured logs with `tracing` (`EPILEDGER_LOG=info`
//! shows a line per change, `debug` per read), graceful shutdown on SIGINT/SIGTERM.
//!
//! ```sh
//! epiledger --db ledger.db token create --role admin          # the first token, on the file
//! epiledger --db ledger.db token create --role reporter --unit 110000
//! epiledger --db ledger.db token create --role compiler
//! epiledger --db ledger.db serve --listen 127.0.0.1:8080
//! epiledger submit report.json --token elt_…                  # or report.csv
//! ```
//!
//! - [`backend`]: one writer thread with group commit, a pool of readers, over
//!   [`epiledger_store::ReportingStore`]: SQLite ([`open_sqlite`]) or PostgreSQL
//!   ([`open_postgres`], several servers on one database, see [`pg`]).
//! - [`routes`]: one module per resource, each handler annotated with its OpenAPI operation;
//!   [`router`] registers them from those annotations (`utoipa-axum`), so the document at
//!   `/api/v1/openapi.json` and the routes are one list; [`extract`] and [`params`]: typed
//!   paths, queries and bodies with the API's own 4xx problems; [`state`]: what the handlers
//!   share; [`middleware`]: request ids, the rate limit, logs, JSON errors for everything.
//! - Validation and compilation are `epiledger-reporting`'s (no I/O).
//! - [`bulletin`]: the published bulletin, rendered once and cached with its ETag;
//!   the preview of the current compilation is rendered by the same renderer.
//! - [`http_cache`]: ETags, 304s and `Cache-Control` of the public reads.
//!
//! # Decisions
//!
//! - **What is public.** The ledger's day versions are the publications. The shipped history
//!   (and anything `import nhc` stores) counts as published: each version is a release, numbered
//!   by its version, published when it was recorded. A day compiled from reports becomes public
//!   only when a compiler publishes an approved release, which writes it as the next day version
//!   in the same transaction; the release number is that version. Reports, cutoffs and
//!   approvals are never public.
//! - **Review → approval → publication.** `GET …/compilation` shows the compiled day and its
//!   content hash; `POST …/releases` approves exactly that hash (refused if any unit reported
//!   since, or the day was published since, or with unaccepted discrepancies); `POST
//!   /releases/{id}/publish` makes it public. A newer approval supersedes an unpublished one.
//!   A release after a publication carries its errata (old value, new value, the revised
//!   reports' reasons), and its bulletin says so.
//! - **Durability.** A change is answered after its transaction committed. SQLite in WAL mode
//!   with `synchronous=NORMAL`: a commit survives the process being killed at any moment, and an
//!   uncommitted transaction is rolled back whole when the file is next opened. Only a crash of
//!   the operating system or a power loss can lose the newest commits; `serve --durability
//!   full` syncs each commit. Concurrent changes share a transaction (group commit), each in
//!   its own savepoint so that one refused change leaves the others.
//! - **Retries.** `Idempotency-Key` (per token): the first answer is stored with the change in
//!   the same transaction, so a retry returns it and stores nothing twice. Not kept for token
//!   creation, whose answer holds a secret.
//! - **Tokens.** `elt_` and 32 random bytes in hex, stored as SHA-256. Verified tokens are
//!   cached for 2 s: a revocation through the server applies at once, one made with
//!   `epiledger token revoke` on the file within 2 s. On PostgreSQL every revocation and
//!   publication, by any server or command, reaches every server at once by notification
//!   ([`pg`]).
//! - **Several servers** (PostgreSQL): they share one database; each change batch takes
//!   advisory locks in one global order and continues the one audit chain under its lock.
//! - **Abuse.** Bodies over `--max-body` (1 MiB) get 413; requests over `--rate-limit` per
//!   client (a verified token, else the address; 200/s, bursts of 400) get 429 with
//!   `Retry-After` (the pages and `/assets/*`, compiled in, are not limited); every error is
//!   JSON with the request id, also the framework's own (404, 405, 413) and a missing asset's,
//!   and a panic would be a JSON 500 (none is known).
//! - **Dry runs.** `POST /reports?dry_run=true` runs every check of a submission, with the
//!   same authorization and the same 422, and stops before the writer: no version, no audit
//!   entry, no idempotency record.
//! - **Caching.** Public reads carry a weak ETag (304 on `If-None-Match`) and
//!   `public, no-cache` (the newest data changes at a publication), `public, max-age=3600` for
//!   an `as_of` in the past, `immutable` for a given release; all else is `private, no-store`.
//!   The API is gzipped for clients that accept it ([`http_cache`]).
//! - **Audit.** Every change is an audit log entry (who, what, when, from which address) in the
//!   change's own transaction, hash-chained; `epiledger audit-log verify` recomputes the chain.

pub mod auth;
pub mod backend;
pub mod bulletin;
pub mod error;
pub mod extract;
pub mod http_cache;
pub mod ledger_cache;
pub mod middleware;
pub mod params;
#[cfg(feature = "postgres")]
pub mod pg;
pub mod router;
pub mod routes;
pub mod state;

use std::path::Path;

use backend::Conn;
use epiledger_store::StoreError;
use epiledger_store_sqlite::SqliteStore;
#[cfg(feature = "postgres")]
pub use pg::{open_postgres, PgConnections};
pub use router::{document, router, serve};
pub use state::{AppState, Config, Shared};

/// How durable a commit is with SQLite.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL mode: a committed change survives the process being killed;
    /// an operating system crash or power loss may lose the last commits.
    #[default]
    Normal,
    /// `synchronous=FULL`: every commit is synced to the disk.
    Full,
}

/// Opens the SQLite ledger at `path`: a write connection and `readers` read connections.
pub fn open_sqlite(
    path: &Path,
    readers: usize,
    durability: Durability,
) -> Result<(Conn, Vec<Conn>), StoreError> {
    let writer = SqliteStore::open(path)?;
    if durability == Durability::Full {
        writer.set_synchronous_full()?;
    }
    let mut pool: Vec<Conn> = Vec::with_capacity(readers);
    for _ in 0..readers.max(1) {
        pool.push(Box::new(SqliteStore::open(path)?));
    }
    Ok((Box::new(writer), pool))
}
