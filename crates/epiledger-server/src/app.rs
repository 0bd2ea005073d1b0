//! The application: shared state, the router, the request middleware (request ids, rate
//! limits, access logs, JSON errors for everything) and the extractors that turn every bad
//! input into a clear 4xx JSON error.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, Request, State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;
use chrono::{DateTime, NaiveTime, Utc};
use epiledger_core::{Date, RegionCode};
use epiledger_store::{Applied, Committed, ReleaseStatus};
use serde::de::DeserializeOwned;

use crate::auth::{self, ClientKey, Principal, RateLimiter, TokenCache};
use crate::backend::{self, Conn, Readers, Writer};
use crate::bulletin;
use crate::error::{code_for, request_id, ApiError, REQUEST_ID};
use crate::http_cache;
use crate::routes;

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
        let on_commit = {
            let tokens = Arc::clone(&tokens);
            let bulletins = Arc::clone(&bulletins);
            Box::new(move |done: &[Committed]| {
                for c in done {
                    match &c.applied {
                        Applied::Release { release }
                            if release.status == ReleaseStatus::Published =>
                        {
                            bulletins.forget_latest(release.date);
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
            ids: AtomicU64::new(1),
            id_prefix: hex::encode(prefix),
        })
    }

    fn next_request_id(&self) -> String {
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

/// The client's address.
#[derive(Clone, Debug)]
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Client>()
            .cloned()
            .unwrap_or_else(|| Client("unknown".into())))
    }
}

/// The request's principal.
pub struct Auth(pub Principal);

impl FromRequestParts<Shared> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        state.principal(&parts.headers).await.map(Auth)
    }
}

/// The request body, within the size limit.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Bytes::from_request(req, state).await {
            Ok(b) => Ok(RawBody(b)),
            Err(e) => Err(body_error(e)),
        }
    }
}

fn body_error(e: BytesRejection) -> ApiError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            "body_too_large",
            "the request body is larger than the server accepts; nothing was stored (split the \
             report, or ask the operators about --max-body)",
        )
    } else {
        ApiError::bad_request(
            "unreadable_body",
            format!("the request body could not be read: {e}"),
        )
    }
}

/// Query parameters, all as text; unknown names are refused by [`Params::check`].
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let q: Result<Query<Vec<(String, String)>>, QueryRejection> =
            Query::from_request_parts(parts, state).await;
        let Query(pairs) = q.map_err(|e| {
            ApiError::bad_request(
                "invalid_query",
                format!("the query string is malformed: {e}"),
            )
        })?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if map.insert(k.clone(), v).is_some() {
                return Err(ApiError::bad_param(
                    &k,
                    "is given twice",
                    "each parameter once",
                ));
            }
        }
        Ok(Params(map))
    }
}

impl Params {
    /// Refuses parameters other than `known`.
    pub fn check(&self, known: &[&str]) -> Result<(), ApiError> {
        for k in self.0.keys() {
            if !known.contains(&k.as_str()) {
                let list = if known.is_empty() {
                    "no query parameters".to_string()
                } else {
                    format!("one of {}", known.join(", "))
                };
                return Err(ApiError::bad_param(
                    k,
                    "is not a parameter of this endpoint",
                    &list,
                ));
            }
        }
        Ok(())
    }

    /// A parameter's text.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str)
    }

    /// A parameter parsed with `FromStr`.
    pub fn parse<T: std::str::FromStr>(
        &self,
        k: &str,
        expected: &str,
    ) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.get(k)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|e| ApiError::bad_param(k, format!("`{v}`: {e}"), expected))
            })
            .transpose()
    }

    /// `as_of`, an RFC 3339 time.
    pub fn as_of(&self) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.get("as_of")
            .map(|v| {
                epiledger_store::time::parse(v).ok_or_else(|| {
                    ApiError::bad_param(
                        "as_of",
                        format!("`{v}` is not an RFC 3339 time"),
                        "a time such as 2023-01-06T08:00:00Z or 2023-01-06T16:00:00+08:00",
                    )
                })
            })
            .transpose()
    }
}

/// Path segments, as text.
pub struct Segments(pub Vec<String>);

impl<S: Send + Sync> FromRequestParts<S> for Segments {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let p: Result<Path<Vec<(String, String)>>, PathRejection> =
            Path::from_request_parts(parts, state).await;
        let Path(pairs) = p.map_err(|e| {
            ApiError::bad_request("invalid_path", format!("the path is malformed: {e}"))
        })?;
        Ok(Segments(pairs.into_iter().map(|(_, v)| v).collect()))
    }
}

/// A reporting day from a path segment.
pub fn path_date(s: &str) -> Result<Date, ApiError> {
    s.parse::<Date>()
        .map_err(|e| ApiError::bad_param("date", e.to_string(), "YYYY-MM-DD, such as 2023-01-05"))
}

/// A unit from a path segment.
pub fn path_unit(s: &str) -> Result<RegionCode, ApiError> {
    match s.parse::<RegionCode>() {
        Ok(c)
            if epiledger_core::ledger::hierarchy::is_reporting_unit(c)
                || c == RegionCode::NATION =>
        {
            Ok(c)
        }
        Ok(c) => Err(ApiError::bad_param(
            "unit",
            format!("{c} is not a reporting unit"),
            "the code of one of the 32 reporting units (or 100000 for the national figures)",
        )),
        Err(e) => Err(ApiError::bad_param(
            "unit",
            e.to_string(),
            "the code of one of the 32 reporting units, such as 110000",
        )),
    }
}

/// Parses a JSON body into a type, as a 400/422 with the place of the problem.
pub fn json_body<T: DeserializeOwned>(
    headers: &axum::http::HeaderMap,
    body: &[u8],
    example: &str,
) -> Result<T, ApiError> {
    require_json(headers)?;
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("the body is not valid JSON: {e}; send {example}"),
        )
    })?;
    serde_json::from_value(value).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("{e}; send {example}"),
        )
    })
}

/// Requires `Content-Type: application/json`.
pub fn require_json(headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    match media_type(headers).as_deref() {
        Some("application/json") => Ok(()),
        other => Err(unsupported(other, "application/json")),
    }
}

/// The media type of the request, lowercased, without parameters.
pub fn media_type(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

/// 415 for a content type that is not accepted.
pub fn unsupported(found: Option<&str>, accepted: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        match found {
            Some(t) => format!("the content type `{t}` is not accepted here; send {accepted}"),
            None => format!("the request has no Content-Type; send {accepted}"),
        },
    )
}

/// Request ids, the rate limit, the access log, and a JSON body for every error.
async fn context(State(state): State<Shared>, mut req: Request, next: Next) -> Response {
    let id = state.next_request_id();
    let started = Instant::now();
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    req.extensions_mut().insert(Client(
        addr.map_or_else(|| "unknown".to_string(), |a| a.to_string()),
    ));
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    // The pages and their assets are not limited: a page load is a burst of asset requests,
    // all compiled in and cheap to answer.
    let limited = state
        .limiter
        .as_ref()
        .filter(|_| !is_page(&path))
        .and_then(|l| {
            // A token counts as its own client once verified (cached); until then, and without
            // one, the address is the client: random tokens do not escape the limit.
            let key = match auth::bearer(req.headers()) {
                Ok(Some(t)) if state.tokens.get(&auth::hash_of(t)).is_some() => {
                    ClientKey::Token(t.to_string())
                }
                _ => ClientKey::Ip(addr.map_or([0, 0, 0, 0].into(), |a| a.ip())),
            };
            l.check(key).err()
        });
    let mut res = REQUEST_ID
        .scope(id.clone(), async move {
            if let Some(wait) = limited {
                let mut e = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    format!("too many requests from this client; retry in {wait} s"),
                );
                e.retry_after = Some(wait);
                return e.into_response();
            }
            // A read without a token goes to the public readers (`--read-db`) if any.
            let public = matches!(auth::bearer(req.headers()), Ok(None))
                && (req.method() == axum::http::Method::GET
                    || req.method() == axum::http::Method::HEAD);
            let res = backend::PUBLIC_READ.scope(public, next.run(req)).await;
            json_errors(res).await
        })
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(http_cache::PRIVATE),
        );
    }
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(request_id = %id, %method, %path, status, ms, "request failed");
    } else if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        tracing::debug!(request_id = %id, %method, %path, status, ms, "request");
    } else {
        tracing::info!(request_id = %id, %method, %path, status, ms, "request");
    }
    res
}

/// Whether a path is one of the pages or their assets (exempt from the rate limit).
fn is_page(path: &str) -> bool {
    matches!(path, "/" | "/report" | "/desk") || path.starts_with("/assets/")
}

/// Gives a JSON error body to an error answer that has none (404, 405, 413 of the framework).
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&text).trim().to_string();
    let message = match status {
        // A missing asset says which (the pages' own text); the framework's 404 says nothing.
        StatusCode::NOT_FOUND if detail.is_empty() => {
            "no such endpoint; the API is described at /api/v1/openapi.json".to_string()
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            "this endpoint does not accept this method; see /api/v1/openapi.json".to_string()
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is larger than the server accepts; nothing was stored".to_string()
        }
        _ if !detail.is_empty() => detail,
        _ => status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase(),
    };
    let mut e = ApiError::new(status, code_for(status), message);
    if let Some(v) = parts.headers.get(header::RETRY_AFTER) {
        e.retry_after = v.to_str().ok().and_then(|s| s.parse().ok());
    }
    let mut out = e.into_response();
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!(request_id = %request_id(), "a handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the server failed on this request (a bug); nothing was stored; tell the operators the \
         request id",
    )
    .into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; the API is described at /api/v1/openapi.json")
}

/// The router with every endpoint and the middleware.
pub fn router(state: Shared) -> Router {
    let limit = state.config.max_body_bytes;
    let api = Router::new()
        .route("/openapi.json", get(routes::openapi))
        .route("/whoami", get(routes::whoami))
        .route("/reports", post(routes::submit_report))
        .route("/reports/{date}/{unit}", get(routes::get_report))
        .route(
            "/reports/{date}/{unit}/versions",
            get(routes::report_versions),
        )
        .route("/days/{date}/board", get(routes::board))
        .route("/days/{date}/compilation", get(routes::compilation))
        .route(
            "/days/{date}/compilation/bulletin",
            get(crate::preview::compilation_bulletin),
        )
        .route("/days/{date}/cutoff", put(routes::set_cutoff))
        .route(
            "/days/{date}/releases",
            get(routes::day_releases).post(routes::approve),
        )
        .route("/releases", get(routes::releases))
        .route("/releases/{id}/publish", post(routes::publish))
        .route("/bulletins/{date}", get(routes::bulletin))
        .route("/series", get(routes::series))
        .route("/facts", get(routes::facts))
        .route(
            "/tokens",
            get(routes::list_tokens).post(routes::create_token),
        )
        .route("/tokens/{id}", delete(routes::revoke_token))
        .route("/audit-log", get(routes::audit_log))
        .route("/audit-log/verify", get(routes::verify_audit_log))
        // gzip for the API's answers when the client accepts it (the pages' assets are
        // compressed once, ahead, by epiledger-web).
        .layer(tower_http::compression::CompressionLayer::new().gzip(true));
    Router::new()
        .route("/healthz", get(routes::healthz))
        .nest("/api/v1", api)
        .merge(epiledger_web::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), context))
        .with_state(state)
}

/// Serves the API on a listener until `shutdown` completes, then finishes the requests under
/// way and the writer's queue.
pub async fn serve(
    state: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(Arc::clone(&state));
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    let s = Arc::clone(&state);
    let _ = tokio::task::spawn_blocking(move || s.shutdown()).await;
    result
}
