//! The endpoints under `/api/v1`, one module per resource. Every handler is annotated with its
//! OpenAPI operation (`#[utoipa::path]`), and the router is built from those annotations
//! ([`crate::router`]), so that the document and the routes are one list. Who may call what:
//!
//! | endpoint | public | reporter | compiler | admin |
//! |---|---|---|---|---|
//! | `GET /healthz`, `/api/v1/openapi.json`, `/whoami`, `/clock` | ✓ | ✓ | ✓ | ✓ |
//! | `GET /bulletins/{date}`, `/releases`, `/series`, `/facts`, `/analytics/*`, `/days/{date}/releases` | ✓ (published) | ✓ | ✓ (+ approvals) | ✓ |
//! | `POST /reports[?dry_run=true]` | | own unit | national figures (`100000`) | |
//! | `GET /reports/{date}/{unit}[/versions]` | | own unit | ✓ | |
//! | `GET /days/{date}/board`, `/compilation`, `/compilation/bulletin`; `PUT /cutoff`; `POST /releases`, `/publish` | | | ✓ | |
//! | `/tokens`, `/audit-log` | | | | ✓ |
//! | `GET /cases/public`, `/cases/onsets` | ✓ | ✓ | ✓ | ✓ |
//! | `POST /cases` | | own unit's events | ✓ | |
//! | `GET /cases/cards[/{unit}/{card}]` (reads audited) | | cards its unit reported or of its residents | ✓ | |
//! | `GET /cases/reconcile/{date}` | | own unit | ✓ | |

pub mod analytics;
pub mod audit;
pub mod bulletins;
pub mod cases;
pub mod common;
pub mod data;
pub mod days;
pub mod meta;
pub mod releases;
pub mod reports;
pub mod tokens;

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::openapi::response::{Response as ApiResponse, ResponseBuilder};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::IntoResponses;

/// A JSON answer with a status.
pub fn json_response(status: StatusCode, v: &impl Serialize) -> Response {
    // The answers are plain data (strings, numbers, enums): serializing cannot fail.
    let body = serde_json::to_vec(v).unwrap_or_else(|_| b"null".to_vec());
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// A 200 JSON answer.
pub fn ok(v: &impl Serialize) -> Response {
    json_response(StatusCode::OK, v)
}

/// What each error status means, for the document.
fn error_description(status: u16) -> &'static str {
    match status {
        400 => "A parameter or the body is malformed (`invalid_parameter`, `malformed_json`, …): the problem names it.",
        401 => "No token where one is needed, or a token that is malformed, unknown or revoked.",
        403 => "The token's role or unit may not do this.",
        404 => "No such day, release, report, token or endpoint.",
        409 => "The request conflicts with what is stored (a stale approval, a release already published, a token that exists).",
        413 => "The body is larger than the server accepts (`--max-body`).",
        415 => "The body's content type is not accepted here.",
        422 => "The input is well formed but breaks a rule that a schema cannot state (the ledger's identities, a day in the future, parts outside the unit, a revision without a reason): every problem is listed.",
        429 => "Too many requests from this client; `Retry-After` says when to try again.",
        503 => "The ledger cannot answer now (busy, or the writer's queue is full); retry.",
        _ => "An error.",
    }
}

/// The error answers of a set of statuses, each with the `ErrorBody` schema.
fn error_responses(statuses: &[u16]) -> BTreeMap<String, RefOr<ApiResponse>> {
    statuses
        .iter()
        .map(|&s| {
            let response = ResponseBuilder::new()
                .description(error_description(s))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build();
            (s.to_string(), RefOr::T(response))
        })
        .collect()
}

macro_rules! error_set {
    ($(#[$doc:meta])* $name:ident: $($status:literal),*) => {
        $(#[$doc])*
        pub struct $name;
        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<ApiResponse>> {
                error_responses(&[$($status),*])
            }
        }
    };
}

error_set!(
    /// The errors of a public read (a token is optional, but a bad one is refused).
    PublicReadErrors: 400, 401, 404, 429, 503
);
error_set!(
    /// The errors of a read that needs a token.
    ReadErrors: 400, 401, 403, 404, 429, 503
);
error_set!(
    /// The errors of a change.
    WriteErrors: 400, 401, 403, 404, 409, 413, 415, 422, 429, 503
);
error_set!(
    /// The errors of the endpoints anyone may call.
    OpenErrors: 401, 429, 503
);
