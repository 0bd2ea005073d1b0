//! `GET /bulletins/{date}`: the published bulletin of a day, rendered once per release,
//! language and format, and served from memory with its ETag.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use epiledger_bulletin::render::Format;
use epiledger_core::{time, Date, Lang};
use epiledger_store::{ReleaseStatus, ReportingStore};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::DatePath;
use super::PublicReadErrors;
use crate::bulletin::{self, Published};
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::http_cache;
use crate::params::Instant;
use crate::state::Shared;
use epiledger_store::Span;

/// The parameters of a bulletin.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BulletinQuery {
    /// zh (default) or en.
    pub lang: Option<Lang>,
    /// text (default), json, html or md.
    #[param(value_type = Option<String>, pattern = "^(text|json|html|md)$")]
    pub format: Option<Format>,
    /// A release number (default: the newest).
    #[param(minimum = 1, maximum = 4294967295_u64)]
    pub release: Option<u32>,
    /// Answer with what was published at this time (RFC 3339).
    pub as_of: Option<Instant>,
}

fn no_bulletin(date: Date, as_of: Option<chrono::DateTime<Utc>>) -> ApiError {
    ApiError::not_found(format!(
        "{date} has no published bulletin{}; GET /api/v1/releases lists the published days",
        as_of
            .map(|t| format!(" as of {}", time::format(t)))
            .unwrap_or_default()
    ))
}

/// Loads a published release of a day (the newest as of `as_of`, or number `n`).
fn load_published(
    s: &dyn ReportingStore,
    date: Date,
    number: Option<u32>,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Option<Published>, ApiError> {
    let versions = s.published_versions(Span::new(Some(date), Some(date), as_of))?;
    let v = match number {
        Some(n) => versions.iter().find(|v| v.version == n),
        None => versions.last(),
    };
    let Some(v) = v else { return Ok(None) };
    let Some(stored) = s.day(date, Some(v.recorded_at))? else {
        return Ok(None);
    };
    if stored.version != v.version {
        return Err(ApiError::unavailable(format!(
            "release {} of {date} could not be read back; retry",
            v.version
        )));
    }
    let previous = s.day(date.pred(), Some(v.recorded_at))?.map(|d| d.day);
    let errata = s
        .releases(Span::new(Some(date), Some(date), None))?
        .into_iter()
        .find(|r| r.number == Some(v.version) && r.status == ReleaseStatus::Published)
        .map(|r| r.errata)
        .unwrap_or_default();
    Ok(Some(Published {
        date,
        number: v.version,
        published_at: v.recorded_at,
        content_hash: v.content_hash.clone(),
        source: v.source.clone(),
        day: stored.day,
        errata,
        previous,
    }))
}

/// A rendered bulletin with its ETag (weak: the body may go gzipped) and cache policy.
fn rendered_response(r: &bulletin::Rendered, headers: &HeaderMap, cache: &'static str) -> Response {
    http_cache::respond_tagged(
        headers,
        r.content_type,
        r.body.clone(),
        &format!("W/{}", r.etag),
        cache,
    )
}

/// The published bulletin of a day, in Chinese or English, as text, JSON, HTML or Markdown.
#[utoipa::path(get, path = "/bulletins/{date}", tag = "bulletins",
    params(DatePath, BulletinQuery),
    responses((status = 200, description = "The bulletin, with an ETag.", content(
            (String = "text/plain"), (bulletin::BulletinJson = "application/json"),
            (String = "text/html"), (String = "text/markdown"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn get(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(q): ApiQuery<BulletinQuery>,
) -> Result<Response, ApiError> {
    let date = p.date;
    let lang = q.lang.unwrap_or(Lang::Zh);
    let format = q.format.unwrap_or(Format::Text);
    let release = match q.release {
        Some(0) => {
            return Err(ApiError::bad_param(
                "release",
                "0 is no release",
                "a release number, from 1",
            ))
        }
        r => r,
    };
    let as_of = q.as_of.map(|t| t.0);
    // The hot path: the newest (or a given) release, already rendered.
    if as_of.is_none() {
        if let Some(n) = release.or_else(|| app.bulletins.latest(date)) {
            if let Some(r) = app.bulletins.get(&(date, n, lang, format)) {
                let cache = if release.is_some() {
                    http_cache::PINNED
                } else {
                    http_cache::LATEST
                };
                return Ok(rendered_response(&r, &headers, cache));
            }
        }
    }
    let published = app
        .readers
        .run(move |s| load_published(s, date, release, as_of))
        .await?
        .ok_or_else(|| no_bulletin(date, as_of))?;
    if as_of.is_none() && release.is_none() {
        app.bulletins.set_latest(date, published.number);
    }
    let key = (date, published.number, lang, format);
    let rendered = match app.bulletins.get(&key) {
        Some(r) => r,
        None => {
            let r = bulletin::render(&published, lang, format);
            app.bulletins.put(key, r.clone());
            r
        }
    };
    let cache = if release.is_some() {
        http_cache::PINNED
    } else {
        http_cache::policy(as_of)
    };
    Ok(rendered_response(&rendered, &headers, cache))
}
