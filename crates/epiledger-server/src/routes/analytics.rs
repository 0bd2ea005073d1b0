//! `GET /analytics/{rt|growth|rates}`: the estimates of `epiledger-analytics` over the
//! published ledger as known at a time (`as_of`, or the publication of a `release` of the day
//! `to`), the same as `epiledger analytics` prints. The ledger of a time is built once and kept
//! ([`crate::ledger_cache`]); an estimate over it takes well under a millisecond.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use epiledger_analytics::query::{self, Ask, AskError};
use epiledger_analytics::{
    Counting, GrowthEntry, IncidenceError, Part, RateRow, RtConfig, RtError, RtSeries, SiError,
};
use epiledger_core::{Date, RegionId};
use epiledger_formats::FactsFormat;
use epiledger_store::Span;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ledger_as_of, region_param};
use super::data::SeriesFormat;
use super::PublicReadErrors;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Auth};
use crate::http_cache;
use crate::ledger_cache::{Answer, Known};
use crate::params::Instant;
use crate::state::Shared;

/// The parameters every estimate takes, then those of one endpoint.
macro_rules! analytics_query {
    ($(#[$doc:meta])* $name:ident { $($extra:tt)* }) => {
        $(#[$doc])*
        #[derive(Deserialize, IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// The nation (100000, the default) or a reporting unit: a code, an ISO code
            /// (CN-SH) or a name. One that names no region is a 404; a region below a
            /// province is a 400.
            #[param(min_length = 1)]
            pub region: Option<String>,
            /// The first day reported.
            pub from: Option<Date>,
            /// The last day reported.
            pub to: Option<Date>,
            /// What counts as a case: confirmed (default) or confirmed_and_asymptomatic.
            pub counting: Option<Counting>,
            /// Only stated figures: a province's day the bulletins do not state stays absent
            /// even where a complete list implies 0 (default false).
            pub stated_only: Option<bool>,
            /// Estimate with what was published at this time (RFC 3339).
            pub as_of: Option<Instant>,
            /// Estimate with what was published when this release of the day `to` was
            /// (`to` is then required; not with `as_of`).
            #[param(minimum = 1, maximum = 4294967295_u64)]
            pub release: Option<u32>,
            /// json (default) or csv.
            pub format: Option<SeriesFormat>,
            $($extra)*
        }

        impl $name {
            fn common(&self) -> Common<'_> {
                Common {
                    region: self.region.as_deref(),
                    from: self.from,
                    to: self.to,
                    counting: self.counting.unwrap_or_default(),
                    stated_only: self.stated_only.unwrap_or(false),
                    as_of: self.as_of.as_ref().map(|t| t.0),
                    release: self.release,
                }
            }
        }
    };
}

analytics_query!(
    /// The parameters of `GET /analytics/rt`.
    RtQuery {
        /// The serial interval's mean, in days (default 4.7, Nishiura et al. 2020).
        #[param(exclusive_minimum = 1, maximum = 100)]
        pub si_mean: Option<f64>,
        /// The serial interval's standard deviation, in days (default 2.9).
        #[param(exclusive_minimum = 0, maximum = 100)]
        pub si_sd: Option<f64>,
        /// The sliding window, in days (default 7, EpiEstim's).
        #[param(minimum = 2, maximum = 1000)]
        pub window: Option<u32>,
    }
);

analytics_query!(
    /// The parameters of `GET /analytics/growth`.
    GrowthQuery {
        /// Which cases: total (default), local or imported.
        pub origin: Option<Part>,
        /// The fit's window, in days (default 7).
        #[param(minimum = 3, maximum = 1000)]
        pub window: Option<u32>,
    }
);

analytics_query!(
    /// The parameters of `GET /analytics/rates`.
    RatesQuery {
        /// Which cases: total (default), local or imported.
        pub origin: Option<Part>,
    }
);

/// The parameters every estimate shares, read.
struct Common<'a> {
    region: Option<&'a str>,
    from: Option<Date>,
    to: Option<Date>,
    counting: Counting,
    stated_only: bool,
    as_of: Option<DateTime<Utc>>,
    release: Option<u32>,
}

/// What an estimate read: whose cases, counted how, as known when.
#[derive(Serialize, ToSchema)]
pub struct EstimateBasis {
    /// The region.
    pub region: RegionId,
    /// What counted as a case.
    pub counting: Counting,
    /// Whether provinces' series were completed with implied zeros.
    pub implied: bool,
    /// The time the ledger was read as of (absent: as known now).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub as_of: Option<String>,
}

/// Rt over every window, with the configuration it was estimated with.
#[derive(Serialize, ToSchema)]
pub struct RtAnswer {
    /// What the estimate read.
    pub basis: EstimateBasis,
    /// The estimates; a window without one says why.
    pub rt: RtSeries,
}

/// The growth rate over every window.
#[derive(Serialize, ToSchema)]
pub struct GrowthAnswer {
    /// What the estimate read.
    pub basis: EstimateBasis,
    /// Which cases.
    pub origin: Part,
    /// The fit's window, in days.
    pub window: u32,
    /// One entry a window, by its last day.
    pub entries: Vec<GrowthEntry>,
}

/// Daily cases, averages, rates per 100,000 and week-on-week change.
#[derive(Serialize, ToSchema)]
pub struct RatesAnswer {
    /// What the figures read.
    pub basis: EstimateBasis,
    /// Which cases.
    pub origin: Part,
    /// The resident population at the 2020 census (absent for the XPCC, counted in Xinjiang).
    pub population: Option<u64>,
    /// One row a day.
    pub rows: Vec<RateRow>,
}

/// The 400 of a question that cannot be answered, naming the parameter to change.
fn ask_error(e: AskError) -> ApiError {
    let message = e.to_string();
    let (param, expected) = match &e {
        AskError::Region(_) => ("region", "the nation (100000) or a reporting unit"),
        AskError::Incidence(IncidenceError::FromAfterTo { .. }) => {
            ("from", "a first day on or before `to`")
        }
        AskError::Incidence(_) => ("from", "a range inside the published history"),
        AskError::Rt(RtError::Si(SiError::Mean(_))) => ("si_mean", "a mean above 1 day"),
        AskError::Rt(RtError::Si(SiError::Sd(_))) => ("si_sd", "a standard deviation above 0"),
        AskError::Rt(RtError::TooShort { .. }) => {
            ("from", "a range longer than the window by a day")
        }
        AskError::Rt(_) | AskError::Growth(_) => ("window", "a longer window"),
    };
    ApiError::bad_param(param, message, expected)
}

/// Reads the ledger the question asks for (kept, or built and kept) and the question.
async fn known(
    app: &Shared,
    c: &Common<'_>,
) -> Result<(Arc<Known>, Ask, EstimateBasis, Option<DateTime<Utc>>), ApiError> {
    let region = region_param(c.region)?;
    let code = query::estimable(region.code()).map_err(ask_error)?;
    let as_of = match (c.release, c.as_of) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_param(
                "release",
                "give release or as_of, not both",
                "one of release and as_of",
            ))
        }
        (Some(n), None) => Some(release_time(app, c.to, n).await?),
        (None, t) => t,
    };
    let ask = Ask {
        region: code,
        counting: c.counting,
        from: c.from,
        to: c.to,
        implied: !c.stated_only,
    };
    let basis = EstimateBasis {
        region,
        counting: c.counting,
        implied: ask.implied,
        as_of: as_of.map(epiledger_core::time::format),
    };
    let k = ledger_as_of(app, as_of).await?;
    Ok((k, ask, basis, as_of))
}

/// When release `n` of the day `to` was published.
async fn release_time(app: &Shared, to: Option<Date>, n: u32) -> Result<DateTime<Utc>, ApiError> {
    let Some(date) = to else {
        return Err(ApiError::bad_param(
            "to",
            "release names a release of the day `to`, which is missing",
            "the day whose release to read as of",
        ));
    };
    let versions = app
        .readers
        .run(move |s| {
            s.published_versions(Span::new(Some(date), Some(date), None))
                .map_err(ApiError::from)
        })
        .await?;
    versions
        .iter()
        .find(|v| v.version == n)
        .map(|v| v.recorded_at)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "{date} has no published release {n}; GET /api/v1/days/{date}/releases lists them"
            ))
        })
}

/// The answer to a request: over the ledger its parameters ask for, kept from before or
/// computed, written as JSON or CSV, and kept. With its ETag and the cache policy of the time it
/// reads as of.
async fn answer<T: Serialize>(
    app: &Shared,
    common: &Common<'_>,
    uri: &Uri,
    headers: &HeaderMap,
    format: Option<SeriesFormat>,
    compute: impl FnOnce(&Known, &Ask, EstimateBasis) -> Result<T, ApiError>,
    csv: impl FnOnce(&T) -> String,
) -> Result<Response, ApiError> {
    let (known, ask, basis, as_of) = known(app, common).await?;
    let request = uri.to_string();
    let a = match known.answer(&request) {
        Some(a) => a,
        None => {
            let value = compute(&known, &ask, basis)?;
            let (content_type, body) = match format.unwrap_or_default() {
                SeriesFormat::Csv => (FactsFormat::Csv.content_type(), csv(&value).into_bytes()),
                // Plain data: serializing it cannot fail.
                SeriesFormat::Json => (
                    "application/json",
                    serde_json::to_vec(&value).unwrap_or_default(),
                ),
            };
            let body = Bytes::from(body);
            let a = Answer {
                content_type,
                etag: http_cache::etag_of(&body),
                body,
            };
            known.keep(request, a.clone());
            a
        }
    };
    Ok(http_cache::respond_tagged(
        headers,
        a.content_type,
        a.body,
        &a.etag,
        http_cache::policy(as_of),
    ))
}

/// The reproduction number Rt of local transmission (Cori et al. 2013, exactly as EpiEstim
/// 2.2-4's `estimate_R` with `method = "parametric_si"`), over sliding windows: one entry a
/// window, by its last day, an absent window with its reason. CSV:
/// `date,mean,std,q025,q05,q25,median,q75,q95,q975`.
#[utoipa::path(get, path = "/analytics/rt", tag = "analytics",
    params(RtQuery),
    responses((status = 200, description = "The estimates.", content(
            (RtAnswer = "application/json"), (String = "text/csv"))),
        (status = 304, description = "Not modified (If-None-Match)."), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn rt(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    uri: Uri,
    ApiQuery(q): ApiQuery<RtQuery>,
) -> Result<Response, ApiError> {
    let defaults = RtConfig::default();
    let config = RtConfig::new(
        q.si_mean.unwrap_or(defaults.si.mean),
        q.si_sd.unwrap_or(defaults.si.sd),
        q.window.map_or(defaults.window, |w| w as usize),
    )
    .map_err(|e| ask_error(e.into()))?;
    for (name, v) in [("si_mean", q.si_mean), ("si_sd", q.si_sd)] {
        if v.is_some_and(|v| v > 100.0) {
            return Err(ApiError::bad_param(
                name,
                "is more than 100 days",
                "at most 100",
            ));
        }
    }
    if q.window.is_some_and(|w| w > 1000) {
        return Err(ApiError::bad_param(
            "window",
            "is more than 1000 days",
            "at most 1000",
        ));
    }
    answer(
        &app,
        &q.common(),
        &uri,
        &headers,
        q.format,
        |known, ask, basis| {
            let rt = query::rt(&known.ledger, &known.zeros, ask, &config).map_err(ask_error)?;
            Ok(RtAnswer { basis, rt })
        },
        |a| query::rt_csv(&a.rt),
    )
    .await
}

/// The checked window of growth (3 to 1000 days, default 7).
fn growth_window(w: Option<u32>) -> Result<u32, ApiError> {
    match w.unwrap_or(7) {
        w @ 3..=1000 => Ok(w),
        _ => Err(ApiError::bad_param(
            "window",
            "a log-linear fit with an interval needs a window of 3 to 1000 days",
            "3 to 1000",
        )),
    }
}

/// The daily growth rate r of cases by a log-linear fit over a window ending on each day, with
/// its 95% confidence interval, and the doubling (r > 0) or halving (r < 0) time. CSV:
/// `date,start,rate,lower,upper,doubling,halving`.
#[utoipa::path(get, path = "/analytics/growth", tag = "analytics",
    params(GrowthQuery),
    responses((status = 200, description = "The fits.", content(
            (GrowthAnswer = "application/json"), (String = "text/csv"))),
        (status = 304, description = "Not modified (If-None-Match)."), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn growth(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    uri: Uri,
    ApiQuery(q): ApiQuery<GrowthQuery>,
) -> Result<Response, ApiError> {
    let window = growth_window(q.window)?;
    let origin = q.origin.unwrap_or_default();
    answer(
        &app,
        &q.common(),
        &uri,
        &headers,
        q.format,
        |known, ask, basis| {
            let entries = query::growth(&known.ledger, &known.zeros, ask, origin, window as usize)
                .map_err(ask_error)?;
            Ok(GrowthAnswer {
                basis,
                origin,
                window,
                entries,
            })
        },
        |a| query::growth_csv(&a.entries),
    )
    .await
}

/// Daily cases, their 7-day trailing average, both per 100,000 inhabitants (2020 census), and
/// the week-on-week change. CSV: `date,cases,per_100k,average_7d,average_7d_per_100k,week_on_week`.
#[utoipa::path(get, path = "/analytics/rates", tag = "analytics",
    params(RatesQuery),
    responses((status = 200, description = "One row a day.", content(
            (RatesAnswer = "application/json"), (String = "text/csv"))),
        (status = 304, description = "Not modified (If-None-Match)."), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn rates(
    State(app): State<Shared>,
    Auth(_): Auth,
    headers: HeaderMap,
    uri: Uri,
    ApiQuery(q): ApiQuery<RatesQuery>,
) -> Result<Response, ApiError> {
    let origin = q.origin.unwrap_or_default();
    answer(
        &app,
        &q.common(),
        &uri,
        &headers,
        q.format,
        |known, ask, basis| {
            let (population, rows) =
                query::rates(&known.ledger, &known.zeros, ask, origin).map_err(ask_error)?;
            Ok(RatesAnswer {
                basis,
                origin,
                population,
                rows,
            })
        },
        |a| query::rates_csv(&a.rows),
    )
    .await
}
