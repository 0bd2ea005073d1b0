//! Validators and caching of the public answers (series, facts, releases, bulletins): a weak
//! `ETag` from the body's SHA-256 (weak, since the body may be sent gzipped), `If-None-Match`
//! answered with 304, and a `Cache-Control` that says how long the answer holds:
//!
//! - [`LATEST`] (`public, no-cache`): the newest published data, which changes when a release
//!   is published; a cache may keep it but asks again (a 304 when nothing changed), so that
//!   nobody reads a stale day after a publication;
//! - [`PAST`] (`public, max-age=3600`): what was known at a time in the past (`as_of`), which
//!   the append-only ledger never changes;
//! - [`PINNED`]: a given release, immutable;
//! - [`PRIVATE`] (`private, no-store`): everything else (reports, compilations, approvals,
//!   tokens, errors), set by the middleware on every answer that has no policy of its own.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// The newest published data: kept, but revalidated on every use.
pub const LATEST: &str = "public, no-cache";
/// Published data as known at a time in the past.
pub const PAST: &str = "public, max-age=3600";
/// A given release: never changes.
pub const PINNED: &str = "public, max-age=31536000, immutable";
/// Unpublished or authenticated answers: never stored.
pub const PRIVATE: &str = "private, no-store";

/// The policy of a public read: [`PAST`] for an `as_of` more than a minute ago (no commit can
/// still land before it), else [`LATEST`].
pub fn policy(as_of: Option<DateTime<Utc>>) -> &'static str {
    match as_of {
        Some(t) if t < Utc::now() - Duration::minutes(1) => PAST,
        _ => LATEST,
    }
}

/// Whether `If-None-Match` names `etag` (weak comparison) or is `*`.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let want = bare(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == want)
}

/// The weak ETag of a body.
pub fn etag_of(body: &[u8]) -> String {
    format!("W/\"{}\"", hex::encode(&Sha256::digest(body)[..16]))
}

/// A 200 with the body, its ETag and the cache policy, or a 304 when the client has it.
pub fn respond(
    headers: &HeaderMap,
    content_type: &'static str,
    body: impl Into<Bytes>,
    cache: &'static str,
) -> Response {
    let body = body.into();
    let etag = etag_of(&body);
    respond_tagged(headers, content_type, body, &etag, cache)
}

/// [`respond`] with a JSON body.
pub fn respond_json(
    headers: &HeaderMap,
    body: &impl serde::Serialize,
    cache: &'static str,
) -> Response {
    // The answers are plain data: serializing them cannot fail.
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    respond(headers, "application/json", bytes, cache)
}

/// As [`respond`], with an ETag the caller made.
pub fn respond_tagged(
    headers: &HeaderMap,
    content_type: &'static str,
    body: Bytes,
    etag: &str,
    cache: &'static str,
) -> Response {
    let mut res = if not_modified(headers, etag) {
        (StatusCode::NOT_MODIFIED, Body::empty()).into_response()
    } else {
        let mut r = (StatusCode::OK, body).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly() {
        let etag = etag_of(b"abc");
        assert!(etag.starts_with("W/\""));
        let mut h = HeaderMap::new();
        assert!(!not_modified(&h, &etag));
        let strong = etag.trim_start_matches("W/").to_string();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", {strong}")).unwrap(),
        );
        assert!(not_modified(&h, &etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\""));
        assert!(!not_modified(&h, &etag));
    }

    #[test]
    fn the_past_is_cached_longer_than_the_present() {
        assert_eq!(policy(None), LATEST);
        assert_eq!(policy(Some(Utc::now())), LATEST);
        assert_eq!(policy(Some(Utc::now() - Duration::days(1))), PAST);
    }
}
