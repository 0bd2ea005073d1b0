//! `GET /releases` (every published release with its errata) and
//! `POST /releases/{id}/publish`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use epiledger_core::Date;
use epiledger_store::{Change, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{
    committed_response, published_list, IdempotencyHeader, NoQuery, PublicRelease, ReleaseChanged,
};
use super::{PublicReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::WriteRequest;
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::http_cache;
use crate::params::Instant;
use crate::state::Shared;

/// The largest `limit` of `GET /releases`.
pub const MAX_RELEASES_LIMIT: u32 = 10_000;

/// The order of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first.
    #[default]
    Asc,
    /// Newest first.
    Desc,
}

/// The parameters of `GET /releases`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReleasesQuery {
    /// The first day.
    pub from: Option<Date>,
    /// The last day.
    pub to: Option<Date>,
    /// Answer with what was published at this time (RFC 3339).
    pub as_of: Option<Instant>,
    /// asc (the default: oldest first) or desc (newest first).
    pub order: Option<Order>,
    /// At most this many, after ordering.
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u32>,
}

/// Every published release.
#[derive(Serialize, ToSchema)]
pub struct Releases {
    /// The releases, in the order asked.
    pub releases: Vec<PublicRelease>,
}

/// Every published release with its errata (the shipped history counts as published), with a
/// weak ETag (If-None-Match → 304) and Cache-Control.
#[utoipa::path(get, path = "/releases", tag = "releases",
    params(ReleasesQuery),
    responses((status = 200, body = Releases),
        (status = 304, description = "Not modified (If-None-Match)."), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn list(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ReleasesQuery>,
) -> Result<Response, ApiError> {
    let limit = match q.limit {
        Some(n) if (1..=MAX_RELEASES_LIMIT).contains(&n) => Some(n as usize),
        Some(n) => {
            return Err(ApiError::bad_param(
                "limit",
                format!("{n} is out of range"),
                "a whole number from 1 to 10000",
            ))
        }
        None => None,
    };
    let (from, to, as_of) = (q.from, q.to, q.as_of.map(|t| t.0));
    let mut list = app
        .readers
        .run(move |s| published_list(s, from, to, as_of))
        .await?;
    if q.order.unwrap_or_default() == Order::Desc {
        list.reverse();
    }
    if let Some(n) = limit {
        list.truncate(n);
    }
    Ok(http_cache::respond_json(
        &headers,
        &Releases { releases: list },
        http_cache::policy(as_of),
    ))
}

/// A release id.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
pub struct ReleaseId {
    /// The release's id.
    #[param(minimum = 1)]
    pub id: i64,
}

/// Publish an approved release: immutable, content-hashed, public.
#[utoipa::path(post, path = "/releases/{id}/publish", tag = "releases",
    params(ReleaseId, IdempotencyHeader),
    responses((status = 200, description = "The published release, with its number.", body = ReleaseChanged), WriteErrors),
    security(("bearer" = [])))]
pub async fn publish(
    State(app): State<Shared>,
    ApiPath(p): ApiPath<ReleaseId>,
    ApiQuery(_): ApiQuery<NoQuery>,
    w: WriteRequest,
) -> Result<Response, ApiError> {
    w.who.require(&[Role::Compiler], "publishing a release")?;
    if p.id < 1 {
        return Err(ApiError::bad_param(
            "id",
            "is not a release id",
            "a number from 1",
        ));
    }
    let c = app
        .writer
        .apply(w.change(Change::PublishRelease { id: p.id }))
        .await?;
    Ok(committed_response(&c))
}
