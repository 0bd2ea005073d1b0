//! `GET /healthz`, `/api/v1/openapi.json`, `/whoami` and `/clock`: what anyone may ask.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use epiledger_core::{time, Date};
use epiledger_store::Role;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ok, OpenErrors};
use crate::error::ApiError;
use crate::extract::Auth;
use crate::http_cache;
use crate::params::ReportingUnit;
use crate::state::Shared;

/// The server is up and its ledger answers.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// The server's version.
    pub version: &'static str,
}

/// `GET /healthz` (outside `/api/v1`).
pub async fn healthz(State(app): State<Shared>) -> Result<Response, ApiError> {
    app.readers
        .quick(|s| {
            s.token_by_hash(&"0".repeat(64))
                .map(|_| ())
                .map_err(ApiError::from)
        })
        .await?;
    Ok(ok(&Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    }))
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document of this API.", content_type = "application/json", body = Object),
              (status = 304, description = "Not modified (If-None-Match)."), OpenErrors))]
pub async fn openapi(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let doc = app.openapi.get().cloned().unwrap_or_default();
    http_cache::respond(&headers, "application/json", doc, http_cache::LATEST)
}

/// Who the request is: the public, or a token's role, unit and label.
#[derive(Serialize, ToSchema)]
pub struct WhoAmI {
    /// `public`, `reporter`, `compiler` or `admin`.
    #[schema(value_type = String, pattern = "^(public|reporter|compiler|admin)$")]
    pub role: &'static str,
    /// A reporter's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ReportingUnit>)]
    pub unit: Option<String>,
    /// The token's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_id: Option<i64>,
    /// The token's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The role and unit of the token sent (none: the public).
#[utoipa::path(get, path = "/whoami", tag = "meta",
    responses((status = 200, body = WhoAmI), OpenErrors),
    security((), ("bearer" = [])))]
pub async fn whoami(Auth(who): Auth) -> Response {
    ok(&match &who.token {
        None => WhoAmI {
            role: "public",
            unit: None,
            token_id: None,
            label: None,
        },
        Some(t) => WhoAmI {
            role: match t.role {
                Role::Reporter => "reporter",
                Role::Compiler => "compiler",
                Role::Admin => "admin",
            },
            unit: t.unit.map(|u| u.to_string()),
            token_id: Some(t.id),
            label: Some(t.label.clone()),
        },
    })
}

/// The server's clock and the reporting day under way in Beijing: the pages take their dates
/// from here, never from the browser's clock.
#[derive(Serialize, ToSchema)]
pub struct Clock {
    /// Now, UTC.
    #[schema(value_type = String, format = DateTime)]
    pub now: String,
    /// The reporting day under way in Beijing (0–24h).
    pub today: Date,
    /// The day before: the newest day the units can report complete.
    pub yesterday: Date,
    /// `Asia/Shanghai` (UTC+08:00, no daylight saving time).
    pub time_zone: &'static str,
}

/// The server's clock and the reporting day under way in Beijing.
#[utoipa::path(get, path = "/clock", tag = "meta",
    responses((status = 200, body = Clock), OpenErrors))]
pub async fn clock() -> Response {
    let now = Utc::now();
    let today = Date::today(now);
    ok(&Clock {
        now: time::format(now),
        today,
        yesterday: today.pred(),
        time_zone: "Asia/Shanghai",
    })
}
