//! The API's errors: every failure is a JSON object with the status, a stable code, a message
//! that says what to do, the request id, and for a rejected report every problem at once.
//!
//! ```json
//! {"error": {"status": 422, "code": "invalid_report", "message": "…", "request_id": "…",
//!            "problems": [{"code": "negative", "pointer": "/figures/3/value", "message": "…",
//!                          "expected": "…"}]}}
//! ```
//!
//! Every problem and warning has a stable `code` (snake_case: `negative`, `unknown_measure`,
//! `revision_needs_reason`, `implausible_jump`, …; the list is [`PROBLEM_CODES`]), so that a
//! client can word it in its own language; the `message` is the server's English.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
pub use epiledger_reporting::{Loc, Problem, Warning, PROBLEM_CODES};
use epiledger_store::Refusal;
use epiledger_store::{ChangeError, StoreError};
use serde::Serialize;

tokio::task_local! {
    /// The id of the request being answered (set by the request middleware).
    pub static REQUEST_ID: String;
}

/// The current request's id, if inside a request.
pub fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine code (`invalid_report`, `forbidden`).
    pub code: &'static str,
    /// What happened and what to do.
    pub message: String,
    /// Every problem of the input.
    pub problems: Vec<Problem>,
    /// Warnings to acknowledge.
    pub warnings: Box<[Warning]>,
    /// Seconds to wait before retrying (429, 503).
    pub retry_after: Option<u64>,
    /// Every problem of a batch of case events.
    pub events: Box<[EventProblem]>,
}

/// A problem of a row of a batch of case events: where (the line, from 1, the CSV header being
/// line 1; the column as the batch names it), a stable code and what is wrong.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EventProblem {
    /// The line (0: the batch as a whole).
    pub line: u64,
    /// The column, when the problem is in one field.
    pub column: Option<String>,
    /// A stable code: `unknown_card`, `dates_out_of_order`, `bad_value`, … (docs/CASES.md).
    pub code: String,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            problems: Vec::new(),
            warnings: Box::default(),
            retry_after: None,
            events: Box::default(),
        }
    }
    /// 400.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }
    /// 400 for a query parameter.
    pub fn bad_param(name: &str, message: impl Into<String>, expected: &str) -> ApiError {
        let message = message.into();
        let mut e = ApiError::bad_request("invalid_parameter", format!("{name}: {message}"));
        e.problems.push(Problem::new(
            "invalid_parameter",
            Loc::param(name),
            message,
            Some(expected.to_string()),
        ));
        e
    }
    /// 401.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    /// 403.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    /// 409.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
    /// 503: the server cannot answer now (database busy or failing); retry later.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message);
        e.retry_after = Some(1);
        e
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                code: self.code.to_string(),
                message: self.message.clone(),
                request_id: request_id(),
                problems: self.problems.clone(),
                warnings: self.warnings.to_vec(),
                events: self.events.to_vec(),
            },
        }
    }
}

/// Every error answer: `{"error": {…}}`.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, said for people and for programs.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status.
    pub status: u16,
    /// A stable machine code: `invalid_parameter`, `invalid_report`, `unauthorized`,
    /// `forbidden`, `not_found`, `conflict`, `too_many_requests`, `unavailable`, …
    pub code: String,
    /// What happened and what to do, in English.
    pub message: String,
    /// The request's id (also in `X-Request-Id`): tell it to the operators.
    pub request_id: String,
    /// Every problem of the input, each with where it is and what would be right.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// Plausibility warnings to acknowledge.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Every problem of a batch of case events (`POST /cases`), by line and column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventProblem>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Plain data: serializing it cannot fail.
        let body = serde_json::to_string(&self.body()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, request_id = %request_id(), "store failed");
        match e {
            StoreError::Busy { .. } => ApiError::unavailable(
                "the ledger is busy (another process is writing to it); retry in a moment",
            ),
            other => ApiError::unavailable(format!(
                "the ledger cannot answer now: {other}; retry later, and tell the operators if \
                 it persists"
            )),
        }
    }
}

impl From<epiledger_reporting::validate::Malformed> for ApiError {
    fn from(m: epiledger_reporting::validate::Malformed) -> Self {
        let mut e = ApiError::bad_request(m.code, m.message);
        e.problems.push(*m.problem);
        e
    }
}

impl From<ChangeError> for ApiError {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Refused(Refusal::Conflict(m)) => ApiError::conflict(m),
            ChangeError::Refused(Refusal::NeedsReason(m)) => {
                let mut e = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_report",
                    "the report was rejected whole: 1 problem (listed in `problems`); nothing was \
                     stored",
                );
                e.problems.push(Problem::new(
                    "revision_needs_reason",
                    Loc::pointer("/reason"),
                    m,
                    Some("why it supersedes the previous version".into()),
                ));
                e
            }
            ChangeError::Refused(Refusal::NotFound(m)) => ApiError::not_found(m),
            ChangeError::Refused(Refusal::Invalid(m)) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m)
            }
            e @ ChangeError::Refused(Refusal::IdempotencyMismatch(_)) => ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                e.to_string(),
            ),
            ChangeError::Store(e) => e.into(),
        }
    }
}

/// The code of a status that the framework answered itself (404, 405, 413, …).
pub fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        409 => "conflict",
        411 => "length_required",
        413 => "body_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_requests",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "error",
    }
}
