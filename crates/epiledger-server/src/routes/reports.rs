//! `POST /reports` (a unit's report of a day, JSON or CSV, or a dry run of it) and
//! `GET /reports/{date}/{unit}[/versions]`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, Utc};
use epiledger_core::{time, Correction, Date, Measure, MeasureKind, Origin, RegionCode};
use epiledger_reporting::validate::{self, Context};
use epiledger_reporting::{Loc, Problem, ReportFigure, Warning};
use epiledger_store::{Change, ReportingStore, Role, StoredReport};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type,
};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::common::{committed_response, replay, AsOf, IdempotencyHeader, ReportStored};
use super::{ok, ReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::WriteRequest;
use crate::extract::{media_type, unsupported, ApiPath, ApiQuery, Auth};
use crate::params::Unit;
use crate::state::Shared;
use epiledger_store::Span;

/// The parameters of `POST /reports`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubmitQuery {
    /// The reason of a revision (for CSV; a JSON body may give it as `reason`).
    pub reason: Option<String>,
    /// Ids of plausibility warnings acknowledged, comma-separated.
    pub acknowledge: Option<String>,
    /// `true`: validate exactly as a submission would (the same rules, the same 422 with every
    /// problem, the warnings) and store nothing: no version, no audit entry.
    pub dry_run: Option<bool>,
}

/// The answer to a dry run of a valid report: nothing is stored.
#[derive(Serialize, ToSchema)]
pub struct DryRun {
    /// Always true.
    pub dry_run: bool,
    /// Always true (an invalid report gets the 422).
    pub valid: bool,
    /// Always false.
    pub stored: bool,
    /// The day.
    pub date: Date,
    /// The unit.
    #[schema(value_type = Unit)]
    pub unit: String,
    /// The content hash the report would have.
    pub content_hash: String,
    /// Whether it equals the newest stored version.
    pub unchanged: bool,
    /// Every plausibility warning, acknowledged or not.
    pub warnings: Vec<Warning>,
    /// The ids of the warnings not acknowledged yet.
    pub unacknowledged: Vec<String>,
    /// Whether a submission would be stored (no warning left to acknowledge).
    pub submittable: bool,
}

/// What `POST /reports` answers with 200: a report equal to the newest version (or a repeated
/// `Idempotency-Key`), or a dry run.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum SubmitAnswer {
    /// Stored before.
    Stored(ReportStored),
    /// A dry run.
    DryRun(DryRun),
}

/// A version of a unit's report of a day.
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    /// The day.
    pub date: Date,
    /// The unit.
    #[schema(value_type = Unit)]
    pub unit: String,
    /// Its version, from 1.
    pub version: u32,
    /// Why it supersedes the previous version.
    pub reason: Option<String>,
    /// When it was stored.
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: String,
    /// The token that submitted it.
    pub submitted_by: Option<i64>,
    /// Its content hash.
    pub content_hash: String,
    /// The figures.
    pub figures: Vec<ReportFigure>,
    /// The corrections.
    pub corrections: Vec<Correction>,
    /// The warnings the reporter acknowledged.
    pub acknowledged: Vec<String>,
}

impl ReportView {
    fn of(r: &StoredReport) -> ReportView {
        ReportView {
            date: r.report.date,
            unit: r.report.unit.to_string(),
            version: r.version,
            reason: r.reason.clone(),
            submitted_at: time::format(r.submitted_at),
            submitted_by: r.submitted_by,
            content_hash: r.content_hash.clone(),
            figures: r.report.figures.clone(),
            corrections: r.report.corrections.clone(),
            acknowledged: r.report.acknowledged.clone(),
        }
    }
}

/// Every version of a unit's report of a day, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ReportVersions {
    /// The day.
    pub date: Date,
    /// The unit.
    #[schema(value_type = Unit)]
    pub unit: String,
    /// The versions.
    pub versions: Vec<ReportView>,
}

/// A day and a unit.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
pub struct DateUnit {
    /// The reporting day, YYYY-MM-DD.
    pub date: Date,
    /// The unit's code.
    pub unit: Unit,
}

/// The store's view of the unit's recent days, for the checks.
fn load_context(s: &dyn ReportingStore, date: Date, unit: RegionCode) -> Result<Context, ApiError> {
    let from = Date::from(date.naive() - Duration::days(validate::RECENT_DAYS));
    let recent = s.unit_reports(unit, Span::new(Some(from), Some(date.pred()), None))?;
    let previous = match recent.last().filter(|r| r.report.date == date.pred()) {
        Some(r) => Some((
            r.report.to_day(),
            format!("{unit}'s report (version {}) of", r.version),
        )),
        None if unit != RegionCode::NATION => s
            .day(date.pred(), None)?
            .map(|d| validate::unit_facts(&d.day, unit))
            .filter(|d| !d.facts.is_empty())
            .map(|d| (d, "the published figures of".to_string())),
        None => None,
    };
    let existing = s.report(date, unit, None)?;
    Ok(Context {
        previous,
        recent,
        existing,
    })
}

/// Submit a unit's report of a day (JSON, or CSV `date,region,origin,measure,value`).
/// Validated whole: stored whole or rejected whole with every problem. Who may call it: a
/// reporter for its own unit; a compiler for the national figures (100000).
#[utoipa::path(post, path = "/reports", tag = "reports",
    params(SubmitQuery, IdempotencyHeader),
    request_body(description = "The report: JSON, or CSV with the header date,region,origin,measure,value (the reason and acknowledgements then as parameters).",
        content((ReportBody = "application/json"), (String = "text/csv"))),
    responses(
        (status = 201, description = "Stored as a new version.", body = ReportStored),
        (status = 200, description = "Equal to the newest version (nothing stored), a replayed Idempotency-Key, or a dry run.", body = SubmitAnswer),
        WriteErrors),
    security(("bearer" = [])))]
pub async fn submit(
    State(app): State<Shared>,
    ApiQuery(q): ApiQuery<SubmitQuery>,
    mut w: WriteRequest,
) -> Result<Response, ApiError> {
    let who = w.who.clone();
    who.require(&[Role::Reporter, Role::Compiler], "submitting a report")?;
    let dry_run = q.dry_run.unwrap_or(false);
    // The key was checked either way; a dry run stores nothing, so it has nothing to replay.
    if dry_run {
        w.idem = None;
    }
    if let Some(k) = &w.idem {
        if let Some(c) = replay(&app, who.token_id(), k).await? {
            return Ok(committed_response(&c));
        }
    }
    let today = Date::today(Utc::now());
    let mut parsed = match media_type(&w.headers).as_deref() {
        Some("application/json") => validate::parse_json(&w.body, today)?,
        Some("text/csv") => validate::parse_csv(&w.body, today)?,
        other => return Err(unsupported(other, "application/json or text/csv")),
    };
    if let Some(r) = &q.reason {
        match &parsed.draft.reason {
            Some(b) if b != r => parsed.problems.push(Problem::new(
                "reason_conflict",
                Loc::param("reason"),
                "the reason is given both in the body and as a parameter, differently",
                Some("one reason".into()),
            )),
            _ => parsed.draft.reason = Some(r.clone()),
        }
    }
    if let Some(a) = &q.acknowledge {
        parsed.draft.acknowledge.extend(
            a.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    if let Some(unit) = parsed.draft.unit {
        match (who.role(), who.unit()) {
            (Some(Role::Reporter), Some(own)) if own != unit => {
                return Err(ApiError::forbidden(format!(
                    "this reporter token is bound to unit {own}; it may not submit {unit}'s \
                     report; nothing was stored"
                )))
            }
            (Some(Role::Compiler), _) if unit != RegionCode::NATION => {
                return Err(ApiError::forbidden(format!(
                    "a compiler submits only the national figures (unit 100000), not {unit}'s \
                     report; nothing was stored"
                )))
            }
            _ => {}
        }
    }
    let reason =
        epiledger_reporting::rules::reason(parsed.draft.reason.as_deref()).map(str::to_string);
    let checked = app
        .readers
        .quick(move |s| {
            let ctx = match (parsed.draft.date, parsed.draft.unit) {
                (Some(d), Some(u)) => load_context(s, d, u)?,
                _ => Context::default(),
            };
            Ok(validate::check(parsed, &ctx))
        })
        .await?;
    if !checked.problems.is_empty() {
        let n = checked.problems.len();
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_report",
            format!(
                "the report was rejected whole: {n} problem{} (listed in `problems`); nothing was \
                 stored",
                if n == 1 { "" } else { "s" }
            ),
        );
        e.problems = checked.problems;
        e.warnings = checked.warnings.into();
        return Err(e);
    }
    let Some(report) = checked.report else {
        return Err(ApiError::unavailable(
            "the report could not be checked; retry",
        ));
    };
    if dry_run {
        return Ok(ok(&DryRun {
            dry_run: true,
            valid: true,
            stored: false,
            date: report.date,
            unit: report.unit.to_string(),
            content_hash: report.content_hash(),
            unchanged: checked.unchanged,
            submittable: checked.unacknowledged.is_empty(),
            warnings: checked.warnings,
            unacknowledged: checked.unacknowledged,
        }));
    }
    if !checked.unacknowledged.is_empty() {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unacknowledged_warnings",
            format!(
                "the report has {} plausibility warning(s) against the unit's recent days; check \
                 the figures, then correct them or acknowledge the warnings by their ids \
                 (`acknowledge`); nothing was stored",
                checked.unacknowledged.len()
            ),
        );
        e.warnings = checked
            .warnings
            .into_iter()
            .filter(|w| checked.unacknowledged.contains(&w.id))
            .collect();
        return Err(e);
    }
    let committed = app
        .writer
        .apply(w.change(Change::SubmitReport { report, reason }))
        .await?;
    Ok(committed_response(&committed))
}

/// A unit's newest report of a day. Who may call it: a reporter for its own unit; a compiler.
#[utoipa::path(get, path = "/reports/{date}/{unit}", tag = "reports",
    params(DateUnit, AsOf),
    responses((status = 200, body = ReportView), ReadErrors),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiPath(p): ApiPath<DateUnit>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let (date, unit) = (p.date, p.unit.0);
    who.require_unit(unit, "reading a unit's report")?;
    let as_of = q.as_of.map(|t| t.0);
    let found = app
        .readers
        .quick(move |s| s.report(date, unit, as_of).map_err(ApiError::from))
        .await?;
    match found {
        Some(r) => Ok(ok(&ReportView::of(&r))),
        None => Err(ApiError::not_found(format!(
            "{unit} has no report of {date}{}",
            as_of
                .map(|t| format!(" as of {}", time::format(t)))
                .unwrap_or_default()
        ))),
    }
}

/// Every version of a unit's report of a day, with reasons, oldest first. Who may call it: a
/// reporter for its own unit; a compiler.
#[utoipa::path(get, path = "/reports/{date}/{unit}/versions", tag = "reports",
    params(DateUnit, AsOf),
    responses((status = 200, body = ReportVersions), ReadErrors),
    security(("bearer" = [])))]
pub async fn versions(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiPath(p): ApiPath<DateUnit>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let (date, unit) = (p.date, p.unit.0);
    who.require_unit(unit, "reading a unit's reports")?;
    let mut versions = app
        .readers
        .quick(move |s| s.report_versions(date, unit).map_err(ApiError::from))
        .await?;
    if let Some(t) = q.as_of {
        versions.retain(|v| v.submitted_at <= t.0);
    }
    Ok(ok(&ReportVersions {
        date,
        unit: unit.to_string(),
        versions: versions.iter().map(ReportView::of).collect(),
    }))
}

/// The JSON body of `POST /reports`, as its schema states it: the form the validator reads.
/// The rules a schema cannot state (the ledger's identities, a day in the future, parts inside
/// the unit, a revision's reason) answer 422 with every problem.
pub struct ReportBody;

/// The measures a unit reports (coverage counts are the compilers').
fn reportable(signed: bool) -> Vec<&'static str> {
    Measure::ALL
        .iter()
        .filter(|m| m.kind() != MeasureKind::Coverage && m.is_signed() == signed)
        .map(|m| m.name())
        .collect()
}

/// An optional field: its schema, or null (the validator reads null as absent).
fn nullable(schema: impl Into<RefOr<Schema>>) -> OneOfBuilder {
    OneOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
}

fn integer(min: Option<i64>, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
            utoipa::openapi::schema::KnownFormat::Int64,
        )))
        .minimum(min)
        .maximum(Some(i64::MAX))
        .description(Some(description))
}

fn string_enum(values: Vec<&'static str>, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .description(Some(description))
}

/// A figure of a report: a measure that counts (value from 0) or one that changes (any sign).
fn figure_schema(signed: bool) -> ObjectBuilder {
    let min = if signed { None } else { Some(0) };
    let part = ObjectBuilder::new()
        .property("region", epiledger_core::RegionId::schema())
        .required("region")
        .property("value", integer(min, "The part's figure."))
        .required("value")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    ObjectBuilder::new()
        .property(
            "measure",
            string_enum(
                reportable(signed),
                if signed {
                    "A measure of change, which may be negative (severe_change)."
                } else {
                    "A measure a unit reports (coverage counts are the compilers')."
                },
            ),
        )
        .required("measure")
        .property("origin", nullable(Origin::schema()))
        .property("value", integer(min, "The unit's figure."))
        .required("value")
        .property(
            "breakdown",
            nullable(
                ArrayBuilder::new()
                    .items(part)
                    .max_items(Some(20_000))
                    .description(Some("Parts by prefecture or district inside the unit.")),
            ),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
}

fn correction_schema() -> OneOfBuilder {
    let base = |required: &'static str| {
        ObjectBuilder::new()
            .property(
                "measure",
                string_enum(
                    reportable(false)
                        .into_iter()
                        .chain(reportable(true))
                        .collect(),
                    "The corrected measure.",
                ),
            )
            .required("measure")
            .property("origin", nullable(Origin::schema()))
            .property(
                "kind",
                string_enum(
                    vec!["reduce", "increase", "revise"],
                    "reduce (核减), increase (核增) or revise (订正).",
                ),
            )
            .required("kind")
            .property("delta", integer(None, "The change, signed."))
            .property("restated", nullable(integer(None, "The corrected value.")))
            .property("refers_to", nullable(Date::schema()))
            .property(
                "reason",
                nullable(ObjectBuilder::new().schema_type(Type::String)),
            )
            .required(required)
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
    };
    OneOfBuilder::new()
        .item(base("delta"))
        .item(base("restated").property("delta", ObjectBuilder::new().schema_type(Type::Null)))
        .description(Some(
            "A correction of the unit's figures (核减, 核增, 订正): `delta` (the change) or \
             `restated` (the corrected value), or both.",
        ))
}

impl PartialSchema for ReportBody {
    fn schema() -> RefOr<Schema> {
        let figures = ArrayBuilder::new()
            .items(
                OneOfBuilder::new()
                    .item(figure_schema(false))
                    .item(figure_schema(true)),
            )
            .min_items(Some(1))
            .max_items(Some(20_000))
            .description(Some("The unit's figures, each once."));
        ObjectBuilder::new()
            .property("date", Date::schema())
            .required("date")
            .property("unit", Unit::schema())
            .required("unit")
            .property("figures", figures)
            .required("figures")
            .property(
                "corrections",
                nullable(
                    ArrayBuilder::new()
                        .items(correction_schema())
                        .max_items(Some(20_000)),
                ),
            )
            .property(
                "reason",
                nullable(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .description(Some(
                            "Why this version supersedes the previous one (a revision needs one).",
                        )),
                ),
            )
            .property(
                "acknowledge",
                nullable(
                    ArrayBuilder::new()
                        .items(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some(
                            "Ids of plausibility warnings the reporter acknowledges.",
                        )),
                ),
            )
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .description(Some(
                "A unit's report of a day. A reporter submits its own unit; a compiler the \
                 national figures (100000).",
            ))
            .into()
    }
}
impl ToSchema for ReportBody {}
