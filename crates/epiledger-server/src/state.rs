//! What the handlers share: the configuration, the writer and the readers, the caches of
//! tokens and bulletins, the rate limiter, and the request ids.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveTime;
use epiledger_store::{Applied, Committed, ReleaseStatus};

use crate::auth::{self, Principal, RateLimiter, TokenCache};
use crate::backend::{Conn, Readers, Writer};
use crate::bulletin;
use crate::error::ApiError;
use crate::ledger_cache::LedgerCache;

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The largest request body accepted, in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Requests a second per client (token, or address without one) and the burst allowed;
    /// `None` for no limit.
    pub rate_limit: Option<(u32, u32)>,
    /// The default cutoff of a day: the next day at this time, Beijing time.
    pub cutoff_time: NaiveTime,
    /// The most changes committed in one transaction.
    pub max_batch: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body_bytes: 1 << 20,
            rate_limit: Some((200, 400)),
            cutoff_time: NaiveTime::from_hms_opt(6, 0, 0).expect("06:00 is a time"),
            max_batch: 512,
        }
    }
}

/// What the handlers share.
pub struct AppState {
    /// The configuration.
    pub config: Config,
    /// The writer.
    pub writer: Writer,
    /// The readers.
    pub readers: Arc<Readers>,
    /// Verified tokens.
    pub tokens: Arc<TokenCache>,
    /// The rate limiter.
    pub limiter: Option<RateLimiter>,
    /// Rendered bulletins.
    pub bulletins: Arc<bulletin::Cache>,
    /// Whole ledgers as known at a time, for the analytics.
    pub ledgers: Arc<LedgerCache>,
    /// The case register, built from the stored batches on first use (routes/cases.rs).
    pub cases: Arc<tokio::sync::Mutex<Option<epiledger_store::cases::Loaded>>>,
    /// The OpenAPI document as JSON, set when the router is built from the operations.
    pub openapi: std::sync::OnceLock<axum::body::Bytes>,
    ids: AtomicU64,
    id_prefix: String,
}

/// Shared state.
pub type Shared = Arc<AppState>;

impl AppState {
    /// The state over a write connection and read connections.
    pub fn new(writer: Conn, readers: Vec<Conn>, config: Config) -> Shared {
        AppState::with_public_readers(writer, readers, Vec::new(), config)
    }

    /// [`AppState::new`] with public reads (no token) on `public` connections (a replica),
    /// when not empty.
    pub fn with_public_readers(
        writer: Conn,
        readers: Vec<Conn>,
        public: Vec<Conn>,
        config: Config,
    ) -> Shared {
        let tokens = Arc::new(TokenCache::default());
        let bulletins = Arc::new(bulletin::Cache::default());
        let ledgers = Arc::new(LedgerCache::default());
        let on_commit = {
            let tokens = Arc::clone(&tokens);
            let bulletins = Arc::clone(&bulletins);
            let ledgers = Arc::clone(&ledgers);
            Box::new(move |done: &[Committed]| {
                for c in done {
                    match &c.applied {
                        Applied::Release { release }
                            if release.status == ReleaseStatus::Published =>
                        {
                            bulletins.forget_latest(release.date);
                            ledgers.forget_mutable();
                        }
                        Applied::Token { token } if token.revoked_at.is_some() => tokens.clear(),
                        _ => {}
                    }
                }
            })
        };
        let mut prefix = [0u8; 4];
        let _ = getrandom::getrandom(&mut prefix);
        Arc::new(AppState {
            writer: Writer::start(writer, config.max_batch.max(1), on_commit),
            readers: Arc::new(Readers::with_public(readers, public)),
            limiter: config.rate_limit.map(|(r, b)| RateLimiter::new(r, b)),
            config,
            tokens,
            bulletins,
            ledgers,
            cases: Arc::default(),
            openapi: std::sync::OnceLock::new(),
            ids: AtomicU64::new(1),
            id_prefix: hex::encode(prefix),
        })
    }

    /// The id of a new request: this server's random prefix and a counter.
    pub fn next_request_id(&self) -> String {
        format!(
            "{}-{:08x}",
            self.id_prefix,
            self.ids.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// Resolves the principal of a request: the public without a token, 401 for a token that
    /// is malformed, unknown or revoked.
    pub async fn principal(&self, headers: &axum::http::HeaderMap) -> Result<Principal, ApiError> {
        let Some(secret) = auth::bearer(headers)? else {
            return Ok(Principal::PUBLIC);
        };
        let hash = auth::hash_of(secret);
        if let Some(token) = self.tokens.get(&hash) {
            return Ok(Principal { token: Some(token) });
        }
        let h = hash.clone();
        let found = self
            .readers
            .quick(move |s| s.token_by_hash(&h).map_err(ApiError::from))
            .await?;
        match found {
            None => Err(ApiError::unauthorized(
                "unknown token: it was never issued here (check for a typo, or ask an admin for \
                 a token)",
            )),
            Some(t) if !t.is_active() => Err(ApiError::unauthorized(format!(
                "token {} was revoked at {}; ask an admin for a new one",
                t.id,
                epiledger_store::time::format(t.revoked_at.unwrap_or_default())
            ))),
            Some(t) => {
                self.tokens.put(hash, t.clone());
                Ok(Principal { token: Some(t) })
            }
        }
    }

    /// Stops accepting changes and waits for the writer to commit what it has.
    pub fn shutdown(&self) {
        self.writer.shutdown();
    }
}
