//! The published figures for analysis: `GET /series` (one figure over time) and `GET /facts`
//! (every figure), as JSON or by the facts codec of `epiledger-formats`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use epiledger_core::{Date, Measure, Origin, RegionId};
use epiledger_formats::{
    facts_bytes, series_csv, write_with_implied, Basis, DatedFact, FactsFormat,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ledger_as_of, region_param};
use super::PublicReadErrors;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Auth};
use crate::http_cache;
use crate::params::Instant;
use crate::state::Shared;
use epiledger_store::{FigureKey, Span};

/// The format of a series.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeriesFormat {
    /// JSON (the default).
    #[default]
    Json,
    /// CSV `date,value`.
    Csv,
}

/// The parameters of `GET /series`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// The measure.
    pub measure: Measure,
    /// A region: a code (default 100000, the Chinese mainland), an ISO 3166-2 code, or a
    /// Chinese or English name; one that names no region is a 404.
    #[param(min_length = 1)]
    pub region: Option<String>,
    /// all (default), imported or local.
    pub origin: Option<Origin>,
    /// The first day.
    pub from: Option<Date>,
    /// The last day.
    pub to: Option<Date>,
    /// json (default) or csv.
    pub format: Option<SeriesFormat>,
    /// Answer with what was published at this time (RFC 3339).
    pub as_of: Option<Instant>,
    /// Add the zeros that complete breakdowns imply (a province a complete list leaves out had
    /// 0), marked `"basis": "implied"` (CSV: a third column `basis`). Default false.
    pub implied: Option<bool>,
}

/// A value of a series.
#[derive(Serialize, ToSchema)]
pub struct Point {
    /// The day.
    pub date: Date,
    /// The figure.
    pub value: i64,
    /// `implied` for a zero that a complete breakdown implies; absent for a stated figure.
    #[serde(skip_serializing_if = "Basis::is_stated")]
    pub basis: Basis,
}

/// A published figure over time: only the days that give it (missing is not zero).
#[derive(Serialize, ToSchema)]
pub struct Series {
    /// The measure.
    pub measure: Measure,
    /// The region.
    pub region: RegionId,
    /// The origin.
    pub origin: Origin,
    /// The values, by day.
    pub values: Vec<Point>,
}

/// A published figure over time.
#[utoipa::path(get, path = "/series", tag = "data",
    params(SeriesQuery),
    responses((status = 200, description = "The values.", content(
            (Series = "application/json"), (String = "text/csv"))),
        (status = 304, description = "Not modified (If-None-Match)."), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn series(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<SeriesQuery>,
) -> Result<Response, ApiError> {
    let measure = q.measure;
    let region = region_param(q.region.as_deref())?;
    let origin = q.origin.unwrap_or(Origin::All);
    let (from, to, as_of) = (q.from, q.to, q.as_of.map(|t| t.0));
    let r = region.clone();
    let values = app
        .readers
        .run(move |s| {
            s.series(
                &FigureKey::new(r.clone(), origin, measure),
                Span::new(from, to, as_of),
            )
            .map_err(ApiError::from)
        })
        .await?;
    let mut points: Vec<Point> = values
        .iter()
        .map(|&(date, value)| Point {
            date,
            value,
            basis: Basis::Stated,
        })
        .collect();
    if q.implied == Some(true) {
        if let RegionId::Code(code) = &region {
            let known = ledger_as_of(&app, as_of).await?;
            let stated: std::collections::HashSet<Date> = values.iter().map(|v| v.0).collect();
            points.extend(
                known
                    .ledger
                    .dates()
                    .iter()
                    .filter(|d| from.is_none_or(|f| **d >= f) && to.is_none_or(|t| **d <= t))
                    .filter(|d| !stated.contains(d))
                    .filter(|d| known.zeros.contains(**d, *code, origin, measure))
                    .map(|&date| Point {
                        date,
                        value: 0,
                        basis: Basis::Implied,
                    }),
            );
            points.sort_by_key(|p| p.date);
        }
    }
    let policy = http_cache::policy(as_of);
    Ok(match q.format.unwrap_or_default() {
        SeriesFormat::Csv if q.implied == Some(true) => {
            let mut csv = String::from("date,value,basis\n");
            for p in &points {
                csv.push_str(&format!("{},{},{}\n", p.date, p.value, p.basis.name()));
            }
            http_cache::respond(&headers, FactsFormat::Csv.content_type(), csv, policy)
        }
        SeriesFormat::Csv => http_cache::respond(
            &headers,
            FactsFormat::Csv.content_type(),
            series_csv(&values),
            policy,
        ),
        SeriesFormat::Json => http_cache::respond_json(
            &headers,
            &Series {
                measure,
                region,
                origin,
                values: points,
            },
            policy,
        ),
    })
}

/// The format of facts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FactsQueryFormat {
    /// CSV `date,region,origin,measure,value` (the default).
    #[default]
    Csv,
    /// JSON Lines: one object a line.
    Jsonl,
    /// One JSON document, `{"facts": […]}`.
    Json,
}

/// The parameters of `GET /facts`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FactsQuery {
    /// The first day.
    pub from: Option<Date>,
    /// The last day.
    pub to: Option<Date>,
    /// csv (default), jsonl or json.
    pub format: Option<FactsQueryFormat>,
    /// Answer with what was published at this time (RFC 3339).
    pub as_of: Option<Instant>,
    /// Add the zeros that complete breakdowns imply, marked: a sixth CSV column `basis`
    /// (stated or implied), `"basis": "implied"` in JSON. Default false.
    pub implied: Option<bool>,
}

/// Every published fact, as one JSON document.
#[derive(Serialize, ToSchema)]
pub struct Facts {
    /// The facts by day, region, origin and measure.
    pub facts: Vec<DatedFact>,
}

/// Every published fact (the newest version of each day, as of `as_of`).
#[utoipa::path(get, path = "/facts", tag = "data",
    params(FactsQuery),
    responses((status = 200, description = "The facts.", content(
            (String = "text/csv"), (String = "application/x-ndjson"), (Facts = "application/json"))),
        (status = 304, description = "Not modified (If-None-Match)."), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn facts(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FactsQuery>,
) -> Result<Response, ApiError> {
    let (from, to, as_of) = (q.from, q.to, q.as_of.map(|t| t.0));
    let format = q.format.unwrap_or_default();
    let implied = q.implied == Some(true);
    let (content_type, body) = app
        .readers
        .run(move |s| {
            if implied {
                return Ok(facts_with_implied(s, Span::new(from, to, as_of), format)?);
            }
            let facts = s.facts(Span::new(from, to, as_of))?;
            Ok(match format {
                FactsQueryFormat::Csv => (
                    FactsFormat::Csv.content_type(),
                    facts_bytes(&facts, FactsFormat::Csv),
                ),
                FactsQueryFormat::Jsonl => (
                    FactsFormat::Jsonl.content_type(),
                    facts_bytes(&facts, FactsFormat::Jsonl),
                ),
                FactsQueryFormat::Json => {
                    let doc = Facts {
                        facts: facts.iter().map(|(d, f)| DatedFact::new(*d, f)).collect(),
                    };
                    // Plain data: serializing it cannot fail.
                    (
                        "application/json",
                        serde_json::to_vec(&doc).unwrap_or_default(),
                    )
                }
            })
        })
        .await?;
    Ok(http_cache::respond(
        &headers,
        content_type,
        body,
        http_cache::policy(as_of),
    ))
}

/// Every published figure of a span with the zeros its complete breakdowns imply, marked.
fn facts_with_implied(
    s: &dyn epiledger_store::ReportingStore,
    span: Span,
    format: FactsQueryFormat,
) -> Result<(&'static str, Vec<u8>), epiledger_store::StoreError> {
    let days: Vec<_> = s
        .days(span)?
        .into_iter()
        .filter_map(|d| {
            let implied = epiledger_analytics::implied_facts(&d.day);
            Some((d.day.date?, d.day.facts, implied))
        })
        .collect();
    let file = |f: FactsFormat, days| {
        // Writing into memory cannot fail.
        write_with_implied(Vec::new(), f, days).unwrap_or_default()
    };
    Ok(match format {
        FactsQueryFormat::Csv => (
            FactsFormat::Csv.content_type(),
            file(FactsFormat::Csv, days),
        ),
        FactsQueryFormat::Jsonl => (
            FactsFormat::Jsonl.content_type(),
            file(FactsFormat::Jsonl, days),
        ),
        FactsQueryFormat::Json => {
            let mut facts = Vec::new();
            for (date, stated, implied) in days {
                facts.extend(stated.iter().map(|f| DatedFact::new(date, f)));
                facts.extend(implied.iter().map(|f| DatedFact {
                    basis: Basis::Implied,
                    ..DatedFact::new(date, f)
                }));
            }
            // Plain data: serializing it cannot fail.
            (
                "application/json",
                serde_json::to_vec(&Facts { facts }).unwrap_or_default(),
            )
        }
    })
}
