//! `GET /audit-log` and `GET /audit-log/verify`: the hash-chained log of every change, for
//! admins.

use axum::extract::State;
use axum::response::Response;
use epiledger_reporting::audit::Verification;
use epiledger_store::{auditlog, AuditEntry, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::NoQuery;
use super::{ok, ReadErrors};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Auth};
use crate::state::Shared;

/// The parameters of `GET /audit-log`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries after this seq (default 0: from the first).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// At most this many (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Audit log entries.
#[derive(Serialize, ToSchema)]
pub struct AuditLog {
    /// The entries, in order.
    pub entries: Vec<AuditEntry>,
}

/// Audit log entries after a seq, in order.
#[utoipa::path(get, path = "/audit-log", tag = "audit",
    params(AuditQuery),
    responses((status = 200, body = AuditLog), ReadErrors),
    security(("bearer" = [])))]
pub async fn entries(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "reading the audit log")?;
    let after = match q.after {
        Some(a) if a < 0 => {
            return Err(ApiError::bad_param(
                "after",
                format!("{a} is negative"),
                "a seq from 0",
            ))
        }
        a => a.unwrap_or(0),
    };
    let limit = match q.limit {
        Some(n) if !(1..=1000).contains(&n) => {
            return Err(ApiError::bad_param(
                "limit",
                format!("{n} is out of range"),
                "a whole number from 1 to 1000",
            ))
        }
        n => n.unwrap_or(100) as usize,
    };
    let entries = app
        .readers
        .run(move |s| s.audit_entries(after, limit).map_err(ApiError::from))
        .await?;
    Ok(ok(&AuditLog { entries }))
}

/// Verify the audit log's hash chain: every entry's hash recomputed, no entry missing.
#[utoipa::path(get, path = "/audit-log/verify", tag = "audit",
    responses((status = 200, description = "The verification: entries, head, first broken entry.", body = Verification), ReadErrors),
    security(("bearer" = [])))]
pub async fn verify(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiQuery(_): ApiQuery<NoQuery>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "verifying the audit log")?;
    let v = app
        .readers
        .run(|s| auditlog::verify(s).map_err(ApiError::from))
        .await?;
    Ok(ok(&v))
}
