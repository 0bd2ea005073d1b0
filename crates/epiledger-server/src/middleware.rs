//! The middleware around every request: a request id, the rate limit, the access log, the
//! cache policy of answers that set none, a JSON error body for every error (also the
//! framework's own 404, 405 and 413), and a JSON 500 should a handler panic.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{self, ClientKey};
use crate::backend;
use crate::error::{code_for, request_id, ApiError, REQUEST_ID};
use crate::extract::Client;
use crate::http_cache;
use crate::state::Shared;

/// Request ids, the rate limit, the access log, and a JSON body for every error.
pub async fn context(State(state): State<Shared>, mut req: Request, next: Next) -> Response {
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
    matches!(path, "/" | "/report" | "/desk" | "/cases") || path.starts_with("/assets/")
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

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!(request_id = %request_id(), "a handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the server failed on this request (a bug); nothing was stored; tell the operators the \
         request id",
    )
    .into_response()
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; the API is described at /api/v1/openapi.json")
}
