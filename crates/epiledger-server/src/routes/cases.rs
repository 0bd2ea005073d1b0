//! The case register over HTTP (docs/CASES.md): units submit events (`POST /cases`), reporters
//! and compilers read a card (every read in the audit log) and the day's figures against the
//! units' reports, the public reads the de-identified line list.
//!
//! The server holds one register, built from the ledger's stored batches on first use and
//! brought up to date (batches another process stored) before each use; changes to it are one
//! at a time.

use std::io::Cursor;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use epiledger_core::{Date, RegionCode};
use epiledger_register::interchange::{self, Format, ReadOptions, RowError};
use epiledger_register::{CardRef, Key, Pseudonymizer};
use epiledger_store::cases::{self, Chunks, Loaded, Reconciled, Spool};
use epiledger_store::{Change, ReportingStore, Role};
use serde::{Deserialize, Serialize};
use tokio::sync::OwnedMutexGuard;
use utoipa::{IntoParams, ToSchema};

use super::common::{committed_response, replay, CasesStored, IdempotencyHeader};
use super::{json_response, ok, PublicReadErrors, ReadErrors, WriteErrors};
use crate::error::{ApiError, EventProblem};
use crate::extract::{media_type, unsupported, ApiPath, ApiQuery, Auth, Client, WriteRequest};
use crate::params::Unit;
use crate::state::Shared;

/// The register, held by one request at a time.
pub type Held = OwnedMutexGuard<Option<Loaded>>;

/// Runs `f` over the register, up to date with the store, on a blocking thread; returns the
/// register still held, with `f`'s answer.
async fn with_register<R, F>(app: &Shared, f: F) -> Result<(Held, R), ApiError>
where
    F: FnOnce(&dyn ReportingStore, &mut Loaded) -> Result<R, ApiError> + Send + 'static,
    R: Send + 'static,
{
    let held = app.cases.clone().lock_owned().await;
    app.readers
        .run(move |s| {
            let mut held = held;
            let loaded = match held.take() {
                Some(mut l) => {
                    cases::catch_up(s, &mut l, None, &mut |_| {})?;
                    l
                }
                None => cases::load(s, None, &mut |_| {})?,
            };
            let loaded = held.insert(loaded);
            let answer = f(s, loaded)?;
            Ok((held, answer))
        })
        .await
}

fn event_problems(p: interchange::Problems) -> ApiError {
    let n = p.total;
    let mut e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_events",
        format!(
            "the batch was refused whole: {n} problem{} (listed in `events`, by line and column); \
             nothing was stored",
            if n == 1 { "" } else { "s" }
        ),
    );
    e.events = p.listed.into_iter().map(EventProblem::from).collect();
    e
}

impl From<RowError> for EventProblem {
    fn from(r: RowError) -> Self {
        EventProblem {
            line: r.line,
            column: r.column,
            code: r.code.to_string(),
            message: r.message,
        }
    }
}

/// Submits case events: one event (`application/json`, an object of the interchange format's
/// columns), or a batch (`application/x-ndjson`, `text/csv` with a header). The batch is
/// validated against the register as its earlier events leave it and stored whole or not at
/// all; events whose id was recorded before are skipped. Who may call it: a reporter for its
/// unit's events; a compiler.
#[utoipa::path(post, path = "/cases", tag = "cases",
    params(IdempotencyHeader),
    request_body(description = "Events in the interchange format (docs/CASES.md): one JSON object, NDJSON, or CSV with a header.",
        content((Object = "application/json"), (String = "application/x-ndjson"), (String = "text/csv"))),
    responses(
        (status = 201, description = "Stored.", body = CasesStored),
        (status = 200, description = "Every event was recorded before: nothing stored.", body = CasesStored),
        WriteErrors),
    security(("bearer" = [])))]
pub async fn submit(State(app): State<Shared>, w: WriteRequest) -> Result<Response, ApiError> {
    let who = w.who.clone();
    who.require(&[Role::Reporter, Role::Compiler], "submitting case events")?;
    if let Some(k) = &w.idem {
        if let Some(c) = replay(&app, who.token_id(), k).await? {
            return Ok(committed_response(&c));
        }
    }
    let (format, body) = match media_type(&w.headers).as_deref() {
        Some("text/csv") => (Format::Csv, w.body.to_vec()),
        Some("application/x-ndjson") => (Format::Ndjson, w.body.to_vec()),
        Some("application/json") => {
            let v: serde_json::Value = serde_json::from_slice(&w.body).map_err(|e| {
                ApiError::bad_request("malformed_json", format!("the body is not JSON: {e}"))
            })?;
            if !v.is_object() {
                return Err(ApiError::bad_request(
                    "malformed_json",
                    "one event is a JSON object of the interchange format's columns; send a \
                     batch as application/x-ndjson or text/csv",
                ));
            }
            (Format::Ndjson, v.to_string().into_bytes())
        }
        other => {
            return Err(unsupported(
                other,
                "application/json, application/x-ndjson or text/csv",
            ))
        }
    };
    let own = match who.role() {
        Some(Role::Reporter) => who.unit(),
        _ => None,
    };
    let key = std::env::var("EPILEDGER_PSEUDONYM_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    let (mut held, outcome) = with_register(&app, move |_, loaded| {
        let pseudonymizer = key
            .map(|k| Pseudonymizer::new(k.as_bytes()))
            .transpose()
            .map_err(|e| ApiError::unavailable(format!("the pseudonym key: {e}")))?;
        let opts = ReadOptions {
            mapping: None,
            pseudonymizer: pseudonymizer.as_ref(),
        };
        // A reporter's events are its unit's.
        if let Some(own) = own {
            let mut wrong = interchange::Problems::default();
            let read = interchange::read(&body[..], format, opts, |line, e| {
                if e.unit != own {
                    wrong.listed.push(RowError {
                        line,
                        column: Some("unit".into()),
                        code: "unit_not_allowed",
                        message: format!(
                            "this reporter token is bound to unit {own}; it may not submit {}'s \
                             events",
                            e.unit
                        ),
                    });
                    wrong.total += 1;
                }
            });
            if !read.is_empty() {
                return Err(event_problems(read));
            }
            if !wrong.is_empty() {
                return Err(event_problems(wrong));
            }
        }
        // Stored as it came when it is interchange CSV with no identity number to hash.
        let as_is = format == Format::Csv && pseudonymizer.is_none();
        let mut spool = if as_is {
            Spool::tally()
        } else {
            Spool::writing(Vec::with_capacity(body.len()))
                .map_err(|e| ApiError::unavailable(e.to_string()))?
        };
        let summary =
            interchange::import_with(&mut loaded.register, &body[..], format, opts, |e| {
                spool.push(e)
            })
            .map_err(event_problems)?;
        let (events, units, written) = spool
            .finish()
            .map_err(|e| ApiError::unavailable(e.to_string()))?;
        let data = written.unwrap_or(body);
        Ok((summary, events, units, data))
    })
    .await?;
    let (summary, events, units, data) = outcome;
    if events == 0 {
        return Ok(ok(&CasesStored {
            recorded: 0,
            duplicates: Some(summary.duplicates as u64),
            sha256: None,
            audit_seq: None,
        }));
    }
    let batch = cases::batch(events, units, Chunks::new(Cursor::new(data)));
    match app
        .writer
        .apply(w.change(Change::RecordCases { batch }))
        .await
    {
        Ok(c) => {
            let sha256 = match &c.applied {
                epiledger_store::Applied::Cases { sha256, .. } => Some(sha256.clone()),
                _ => None,
            };
            Ok(json_response(
                StatusCode::CREATED,
                &CasesStored {
                    recorded: events,
                    duplicates: Some(summary.duplicates as u64),
                    sha256,
                    audit_seq: c.audit_seq,
                },
            ))
        }
        Err(e) => {
            // The register holds events the store did not keep: build it again next time.
            *held = None;
            Err(e)
        }
    }
}

/// A card.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
pub struct CardPath {
    /// The reporting unit of the card.
    pub unit: Unit,
    /// The card's id within its unit.
    #[param(min_length = 1, max_length = 64)]
    pub card: String,
}

/// A card as the register holds it.
#[derive(Serialize, ToSchema)]
pub struct CardBody {
    /// `UNIT:ID`.
    pub card: String,
    /// The disease (`COVID-19`).
    pub disease: String,
    /// suspected, clinically_diagnosed, confirmed, asymptomatic.
    pub classification: String,
    /// mild, moderate, severe, critical (confirmed cases).
    pub severity: Option<String>,
    /// imported or local.
    pub origin: String,
    /// The country of departure (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// The residence (county-level GB/T 2260).
    pub residence: String,
    /// The reporting institution's county.
    pub institution: String,
    /// Sex.
    pub sex: Option<String>,
    /// Age.
    pub age: Option<u8>,
    /// Onset date.
    pub onset: Option<Date>,
    /// Diagnosis date.
    pub diagnosis: Option<Date>,
    /// Report date.
    pub report: Date,
    /// Audit date (审核日期).
    pub audit: Date,
    /// discharged, died, released, excluded, transferred_out.
    pub outcome: Option<String>,
    /// The outcome's date.
    pub outcome_date: Option<Date>,
    /// Whether the card is withdrawn (删除).
    pub withdrawn: bool,
    /// The person's pseudonym.
    pub person: Option<String>,
    /// The name, if given (the reporting unit and compilers only).
    pub name: Option<String>,
    /// The telephone, if given.
    pub phone: Option<String>,
}

/// A card as the register holds it now. Who may call it: a reporter for a card its unit
/// reported or whose residence lies in its province; a compiler. Every read is written to the
/// audit log (`case.read`).
#[utoipa::path(get, path = "/cases/cards/{unit}/{card}", tag = "cases",
    params(CardPath),
    responses((status = 200, body = CardBody), ReadErrors),
    security(("bearer" = [])))]
pub async fn card(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    ApiPath(p): ApiPath<CardPath>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Reporter, Role::Compiler], "reading a case card")?;
    let key = Key::parse(&p.card)
        .map_err(|e| ApiError::bad_request("invalid_parameter", format!("`card`: {e}")))?;
    let r = CardRef {
        unit: p.unit.0,
        card: key,
    };
    let own = match who.role() {
        Some(Role::Reporter) => who.unit(),
        _ => None,
    };
    let wanted = r.clone();
    let (_held, body) = with_register(&app, move |_, loaded| {
        let Some((v, private)) = loaded.register.card(&wanted) else {
            return Err(ApiError::not_found(format!("there is no card {wanted}")));
        };
        if let Some(own) = own {
            if wanted.unit != own && v.residence.province() != own {
                // Not found, rather than forbidden: a card's existence is personal data too.
                return Err(ApiError::not_found(format!(
                    "there is no card {wanted} that unit {own} may read"
                )));
            }
        }
        Ok(CardBody {
            card: v.card.to_string(),
            disease: v.disease.to_string(),
            classification: v.classification.to_string(),
            severity: v.severity.map(|s| s.to_string()),
            origin: v.origin.to_string(),
            country: v.country.map(|c| c.to_string()),
            residence: v.residence.to_string(),
            institution: v.institution.to_string(),
            sex: v.sex.map(|s| s.to_string()),
            age: v.age,
            onset: v.onset,
            diagnosis: v.diagnosis,
            report: v.report,
            audit: v.audit,
            outcome: v.outcome.map(|(o, _)| o.to_string()),
            outcome_date: v.outcome.map(|(_, d)| d),
            withdrawn: v.withdrawn,
            person: v.person.map(|p| p.to_string()),
            name: private.and_then(|p| p.name.as_ref().map(|n| n.to_string())),
            phone: private.and_then(|p| p.phone.as_ref().map(|n| n.to_string())),
        })
    })
    .await?;
    let read = epiledger_store::ChangeRequest {
        change: Change::ReadCase {
            card: r.to_string(),
        },
        actor: who.actor(&addr),
        idempotency: None,
    };
    app.writer.apply(read).await?;
    Ok(ok(&body))
}

/// A day and, optionally, a unit.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReconcileQuery {
    /// One unit (a reporter's own by default; every unit for a compiler).
    pub unit: Option<Unit>,
}

/// The day of a reconciliation.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
pub struct ReconcileDate {
    /// The reporting day, YYYY-MM-DD.
    pub date: Date,
}

/// A figure from the register against the unit's report.
#[derive(Serialize, ToSchema)]
pub struct ReconcileRow {
    /// The unit.
    pub unit: String,
    /// all, imported, local.
    pub origin: String,
    /// The measure.
    pub measure: String,
    /// What the register derives (absent: no such figure).
    pub register: Option<i64>,
    /// What the unit's newest report says (absent: not reported).
    pub report: Option<i64>,
    /// Whether they differ.
    pub differs: bool,
}

/// A day's reconciliation.
#[derive(Serialize, ToSchema)]
pub struct Reconciliation {
    /// The day.
    pub date: Date,
    /// How many figures differ.
    pub differing: usize,
    /// Every figure of the register or of the reports, by unit, measure and origin.
    pub rows: Vec<ReconcileRow>,
}

fn row(r: Reconciled) -> ReconcileRow {
    ReconcileRow {
        unit: r.unit.to_string(),
        origin: r.origin.to_string(),
        measure: r.measure.to_string(),
        register: r.register,
        report: r.report,
        differs: r.differs(),
    }
}

/// A day's figures from the register against each unit's newest report. Who may call it: a
/// reporter for its unit; a compiler.
#[utoipa::path(get, path = "/cases/reconcile/{date}", tag = "cases",
    params(ReconcileDate, ReconcileQuery),
    responses((status = 200, body = Reconciliation), ReadErrors),
    security(("bearer" = [])))]
pub async fn reconcile(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiPath(p): ApiPath<ReconcileDate>,
    ApiQuery(q): ApiQuery<ReconcileQuery>,
) -> Result<Response, ApiError> {
    let units: Vec<RegionCode> = match (q.unit.map(|u| u.0), who.unit()) {
        (Some(u), _) => {
            who.require_unit(u, "reconciling a unit's day")?;
            vec![u]
        }
        (None, Some(own)) if who.role() == Some(Role::Reporter) => vec![own],
        (None, _) => {
            who.require(&[Role::Compiler], "reconciling every unit's day")?;
            epiledger_core::ledger::hierarchy::REPORTING_UNITS.to_vec()
        }
    };
    if units.contains(&RegionCode::NATION) {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "`unit`: the register reconciles the 32 reporting units, not the nation",
        ));
    }
    let date = p.date;
    let (_held, rows) = with_register(&app, move |s, loaded| {
        let mut rows = Vec::new();
        for unit in units {
            let report = s.report(date, unit, None)?;
            rows.extend(
                cases::reconcile(
                    loaded.register.derivation(),
                    date,
                    unit,
                    report.as_ref().map(|r| &r.report),
                )
                .into_iter()
                .map(row),
            );
        }
        Ok(rows)
    })
    .await?;
    Ok(ok(&Reconciliation {
        date,
        differing: rows.iter().filter(|r| r.differs).count(),
        rows,
    }))
}

/// The de-identified line list's parameters.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PublicQuery {
    /// The smallest group of cards a row may describe (at least 5, the default).
    #[param(minimum = 5, maximum = 1000)]
    pub k: Option<u32>,
}

/// The de-identified public line list, CSV: one row per card (not withdrawn) with the ISO week
/// of its audit date, its 10-year age band, sex, province of residence, classification,
/// origin and outcome; every combination of week, age band, sex and province shared by fewer
/// than k cards is suppressed (`X-Suppressed` says how many cards). Anyone may call it.
#[utoipa::path(get, path = "/cases/public", tag = "cases",
    params(PublicQuery),
    responses((status = 200, description = "The line list.", body = String, content_type = "text/csv"), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn public(
    State(app): State<Shared>,
    Auth(_who): Auth,
    ApiQuery(q): ApiQuery<PublicQuery>,
) -> Result<Response, ApiError> {
    let k = q.k.unwrap_or(5);
    if !(5..=1000).contains(&k) {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            format!("`k` is {k}: a row describes at least 5 cards (k from 5 to 1000)"),
        ));
    }
    let k = k as usize;
    let (_held, (csv, suppressed)) = with_register(&app, move |_, loaded| {
        let list = epiledger_register::public::public_line_list(&loaded.register, k);
        let mut out = Vec::new();
        list.write_csv(&mut out)
            .map_err(|e| ApiError::unavailable(e.to_string()))?;
        Ok((out, list.suppressed))
    })
    .await?;
    let mut res = (StatusCode::OK, csv).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&suppressed.to_string()) {
        res.headers_mut().insert("x-suppressed", v);
    }
    Ok(res)
}

/// A date of onset and its cases.
#[derive(Serialize, ToSchema)]
pub struct OnsetDay {
    /// The date of onset.
    pub date: Date,
    /// Cases (confirmed or clinically diagnosed, not withdrawn) with that onset.
    pub cases: u64,
}

/// The epidemic curve by date of onset.
#[derive(Serialize, ToSchema)]
pub struct Onsets {
    /// Each date of onset, in order.
    pub days: Vec<OnsetDay>,
    /// Cases whose card gives no onset date.
    pub without_onset: u64,
}

/// The nation's cases in the case register by date of onset (an aggregate: no card is
/// identifiable from it). Anyone may call it.
#[utoipa::path(get, path = "/cases/onsets", tag = "cases",
    responses((status = 200, body = Onsets), PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn onsets(State(app): State<Shared>, Auth(_who): Auth) -> Result<Response, ApiError> {
    let (_held, curve) = with_register(&app, move |_, loaded| {
        Ok(epiledger_register::public::onset_curve(&loaded.register))
    })
    .await?;
    Ok(ok(&Onsets {
        days: curve
            .days
            .into_iter()
            .map(|(date, cases)| OnsetDay { date, cases })
            .collect(),
        without_onset: curve.without_onset,
    }))
}

/// A classification, to filter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClassificationParam {
    /// 疑似病例.
    Suspected,
    /// 临床诊断病例.
    ClinicallyDiagnosed,
    /// 确诊病例.
    Confirmed,
    /// 无症状感染者.
    Asymptomatic,
}

impl ClassificationParam {
    fn name(self) -> &'static str {
        match self {
            ClassificationParam::Suspected => "suspected",
            ClassificationParam::ClinicallyDiagnosed => "clinically_diagnosed",
            ClassificationParam::Confirmed => "confirmed",
            ClassificationParam::Asymptomatic => "asymptomatic",
        }
    }
}

/// Which cards to list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CardsQuery {
    /// A unit: the cards it reported or whose residence lies in it (a reporter: its own, the
    /// default; a compiler: every card by default).
    pub unit: Option<Unit>,
    /// Only cards of this classification.
    #[param(inline)]
    pub classification: Option<ClassificationParam>,
    /// Only open cards (no outcome, not withdrawn).
    pub open: Option<bool>,
    /// The first audit date.
    pub from: Option<Date>,
    /// The last audit date.
    pub to: Option<Date>,
    /// How many cards (1 to 500; 50 by default).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// How many to skip (at most 100,000,000).
    #[param(minimum = 0, maximum = 100_000_000)]
    pub offset: Option<u32>,
}

/// A card in a list (no personal field: the card's own view has them).
#[derive(Serialize, ToSchema)]
pub struct CardRow {
    /// `UNIT:ID`.
    pub card: String,
    /// The reporting unit.
    pub unit: String,
    /// Its classification.
    pub classification: String,
    /// Its severity.
    pub severity: Option<String>,
    /// imported or local.
    pub origin: String,
    /// The residence (county-level code).
    pub residence: String,
    /// The audit date.
    pub audit: Date,
    /// The outcome.
    pub outcome: Option<String>,
    /// The outcome's date.
    pub outcome_date: Option<Date>,
    /// Whether it is withdrawn.
    pub withdrawn: bool,
}

/// A page of cards.
#[derive(Serialize, ToSchema)]
pub struct CardList {
    /// Cards that match, in all.
    pub total: u64,
    /// Skipped.
    pub offset: u64,
    /// This page, newest audit date first.
    pub cards: Vec<CardRow>,
}

/// The cards a unit reported or whose residence lies in it, filtered, newest first. Who may
/// call it: a reporter for its unit; a compiler. Every card listed is a read in the audit log.
#[utoipa::path(get, path = "/cases/cards", tag = "cases",
    params(CardsQuery),
    responses((status = 200, body = CardList), ReadErrors),
    security(("bearer" = [])))]
pub async fn cards(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    ApiQuery(q): ApiQuery<CardsQuery>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Reporter, Role::Compiler], "listing case cards")?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            format!("`limit` is {limit}: list 1 to 500 cards at a time"),
        ));
    }
    let unit = match (q.unit.map(|u| u.0), who.role(), who.unit()) {
        (Some(u), Some(Role::Reporter), Some(own)) if u != own => {
            return Err(ApiError::forbidden(format!(
                "this reporter token is bound to unit {own}; it may not list {u}'s cards"
            )))
        }
        (_, Some(Role::Reporter), own) => own,
        (Some(u), _, _) if u != RegionCode::NATION => Some(u),
        _ => None,
    };
    let offset = q.offset.unwrap_or(0);
    if offset > 100_000_000 {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            format!("`offset` is {offset}: skip at most 100,000,000 cards"),
        ));
    }
    let offset = u64::from(offset);
    let (class, open, from, to) = (q.classification, q.open.unwrap_or(false), q.from, q.to);
    let (_held, list) = with_register(&app, move |_, loaded| {
        let mut found: Vec<_> = loaded
            .register
            .card_views()
            .filter(|v| {
                unit.is_none_or(|u| v.card.unit == u || v.residence.province() == u)
                    && class.is_none_or(|c| v.classification.to_string() == c.name())
                    && (!open || (v.outcome.is_none() && !v.withdrawn))
                    && from.is_none_or(|d| v.audit >= d)
                    && to.is_none_or(|d| v.audit <= d)
            })
            .collect();
        found.sort_by(|a, b| b.audit.cmp(&a.audit).then_with(|| a.card.cmp(&b.card)));
        let total = found.len() as u64;
        let cards = found
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(limit as usize)
            .map(|v| CardRow {
                card: v.card.to_string(),
                unit: v.card.unit.to_string(),
                classification: v.classification.to_string(),
                severity: v.severity.map(|s| s.to_string()),
                origin: v.origin.to_string(),
                residence: v.residence.to_string(),
                audit: v.audit,
                outcome: v.outcome.map(|(o, _)| o.to_string()),
                outcome_date: v.outcome.map(|(_, d)| d),
                withdrawn: v.withdrawn,
            })
            .collect();
        Ok(CardList {
            total,
            offset,
            cards,
        })
    })
    .await?;
    // Every card listed is a read of it.
    for c in &list.cards {
        let read = epiledger_store::ChangeRequest {
            change: Change::ReadCase {
                card: c.card.clone(),
            },
            actor: who.actor(&addr),
            idempotency: None,
        };
        app.writer.apply(read).await?;
    }
    Ok(ok(&list))
}
