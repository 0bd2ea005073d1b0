//! The extractors of the API: typed path and query parameters, JSON bodies, the principal, the
//! client's address and the raw body, each turning bad input into a clear 4xx problem
//! ([`ApiError`]) that names the parameter or field and says what would be right.

use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use epiledger_store::IdempotencyKey;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::Shared;

/// Query parameters of type `T` (a struct with `deny_unknown_fields`): a parameter given
/// twice, unknown, or of the wrong form is a 400 `invalid_parameter` naming it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let mut seen = HashSet::new();
        for (k, _) in form_urlencoded::parse(query.as_bytes()) {
            if !seen.insert(k.clone()) {
                return Err(ApiError::bad_param(
                    &k,
                    "is given twice",
                    "each parameter once",
                ));
            }
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| param_error(e, "query"))
    }
}

/// Path parameters of type `T` (a struct naming the path's segments): a segment of the wrong
/// form is a 400 `invalid_parameter` naming it.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                ApiError::bad_request("invalid_path", format!("the path is malformed: {e}"))
            })?;
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &raw {
            form.append_pair(k, v);
        }
        let encoded = form.finish();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiPath)
            .map_err(|e| param_error(e, "path"))
    }
}

/// The 400 of a parameter that could not be read.
fn param_error(e: serde_path_to_error::Error<serde::de::value::Error>, place: &str) -> ApiError {
    let path = e.path().to_string();
    let message = e.into_inner().to_string();
    // serde names an unknown field in its message: "unknown field `x`, expected one of …".
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected = match rest.split_once("expected ") {
            Some((_, list)) => format!("one of {}", list.trim_start_matches("one of ")),
            None => format!("no {place} parameters"),
        };
        return ApiError::bad_param(name, "is not a parameter of this endpoint", &expected);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        return ApiError::bad_param(name, "is required", "see /api/v1/openapi.json");
    }
    let name = if path == "." { place } else { path.as_str() };
    ApiError::bad_param(name, message, "see /api/v1/openapi.json")
}

/// A JSON body of type `T`: a wrong content type is a 415, a body that is not JSON a 400, and a
/// JSON body that is not a `T` a 422 `invalid_body` with the pointer of the problem.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        require_json(req.headers())?;
        let RawBody(body) = RawBody::from_request(req, state).await?;
        json_body(&body).map(ApiJson)
    }
}

/// Reads a JSON body into a type: 400 for text that is not JSON, 422 naming the field for JSON
/// that is not a `T`.
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("the body is not valid JSON: {e}; see /api/v1/openapi.json for its form"),
        )
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = json_pointer(e.path());
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!(
                "{}: {}",
                if pointer.is_empty() {
                    "the body"
                } else {
                    &pointer
                },
                e.inner()
            ),
        );
        err.problems.push(epiledger_reporting::Problem::new(
            "wrong_type",
            epiledger_reporting::Loc::pointer(pointer),
            e.inner().to_string(),
            Some("see /api/v1/openapi.json".into()),
        ));
        err
    })
}

/// The JSON pointer of a serde path (`/figures/0/value`; empty for the whole body).
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Requires `Content-Type: application/json`.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    match media_type(headers).as_deref() {
        Some("application/json") => Ok(()),
        other => Err(unsupported(other, "application/json")),
    }
}

/// The media type of the request, lowercased, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
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

/// The request's principal: the public without a token, 401 for a token that is malformed,
/// unknown or revoked.
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

/// The `Idempotency-Key` of a request, with a hash of what the request asks (method, path and
/// query, content type, body) so that a key reused for another request is caught.
pub fn idempotency_key(
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    body: &[u8],
) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = v
        .to_str()
        .ok()
        .filter(|k| is_idempotency_key(k))
        .ok_or_else(|| {
            ApiError::bad_param(
                "Idempotency-Key",
                "is not 1–255 visible ASCII characters",
                "a unique key per request, such as a UUID",
            )
        })?;
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b"\n");
    h.update(uri.to_string().as_bytes());
    h.update(b"\n");
    h.update(media_type(headers).unwrap_or_default().as_bytes());
    h.update(b"\n");
    h.update(body);
    Ok(Some(IdempotencyKey {
        key: key.to_string(),
        request_hash: hex::encode(h.finalize()),
    }))
}

/// The form of an `Idempotency-Key`: 1–255 visible ASCII characters
/// ([`IDEMPOTENCY_KEY_PATTERN`]).
pub fn is_idempotency_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic())
}

/// The pattern of an `Idempotency-Key`, as the OpenAPI document states it.
pub const IDEMPOTENCY_KEY_PATTERN: &str = r"^[\x21-\x7E]{1,255}$";

/// A request that changes something: who makes it (401 for a bad token), from where, its
/// headers and body (within the size limit), and its retry key (`Idempotency-Key`, checked).
/// The last extractor of a change's handler, since it reads the body.
pub struct WriteRequest {
    /// Who.
    pub who: Principal,
    /// The client's address.
    pub addr: String,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The retry key with the request's hash, if one was sent.
    pub idem: Option<IdempotencyKey>,
}

impl FromRequest<Shared> for WriteRequest {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &Shared) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let who = state.principal(&parts.headers).await?;
        let Ok(Client(addr)) = Client::from_request_parts(&mut parts, state).await;
        let (method, uri, headers) = (
            parts.method.clone(),
            parts.uri.clone(),
            parts.headers.clone(),
        );
        let RawBody(body) = RawBody::from_request(Request::from_parts(parts, body), state).await?;
        let idem = idempotency_key(&headers, &method, &uri, &body)?;
        Ok(WriteRequest {
            who,
            addr,
            headers,
            body,
            idem,
        })
    }
}

impl WriteRequest {
    /// The body as JSON of type `T` (415 for another content type).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        require_json(&self.headers)?;
        json_body(&self.body)
    }

    /// The change, made by this request's principal from its address, with its retry key.
    pub fn change(&self, change: epiledger_store::Change) -> epiledger_store::ChangeRequest {
        epiledger_store::ChangeRequest {
            change,
            actor: self.who.actor(&self.addr),
            idempotency: self.idem.clone(),
        }
    }
}
