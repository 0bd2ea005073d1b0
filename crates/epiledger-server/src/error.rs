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

/// Where a problem is: a JSON pointer into the body, a CSV cell, or a query parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Loc {
    /// A JSON pointer (`/figures/3/value`); empty for the whole body.
    Pointer {
        /// The pointer.
        pointer: String,
    },
    /// A CSV cell: the line of the file (the header is line 1) and the column's name.
    Cell {
        /// The line, from 1.
        row: u64,
        /// The column (its header name), or empty for the whole row.
        column: String,
    },
    /// A query parameter or header.
    Parameter {
        /// Its name.
        parameter: String,
    },
}

impl Loc {
    /// A JSON pointer.
    pub fn pointer(p: impl Into<String>) -> Loc {
        Loc::Pointer { pointer: p.into() }
    }
    /// A CSV cell.
    pub fn cell(row: u64, column: impl Into<String>) -> Loc {
        Loc::Cell {
            row,
            column: column.into(),
        }
    }
    /// A query parameter.
    pub fn param(p: impl Into<String>) -> Loc {
        Loc::Parameter {
            parameter: p.into(),
        }
    }
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Loc::Pointer { pointer } if pointer.is_empty() => f.write_str("the body"),
            Loc::Pointer { pointer } => f.write_str(pointer),
            Loc::Cell { row, column } if column.is_empty() => write!(f, "row {row}"),
            Loc::Cell { row, column } => write!(f, "row {row}, column {column}"),
            Loc::Parameter { parameter } => write!(f, "parameter {parameter}"),
        }
    }
}

/// The codes of the problems and warnings, each a kind of thing wrong with the input.
pub const PROBLEM_CODES: &[&str] = &[
    // The form of the input.
    "malformed_json",
    "malformed_csv",
    "not_an_object",
    "unknown_field",
    "missing_field",
    "missing_value",
    "wrong_type",
    "not_a_number",
    "quoted_number",
    "not_whole",
    "too_large",
    "negative",
    "no_figures",
    "too_many_rows",
    "empty_csv",
    "duplicate_column",
    "unknown_column",
    "missing_columns",
    "wrong_field_count",
    "not_utf8",
    "mixed_dates",
    // The vocabulary.
    "invalid_date",
    "future_date",
    "invalid_unit",
    "not_a_reporting_unit",
    "invalid_region",
    "unknown_region",
    "unknown_measure",
    "not_reported_by_units",
    "unknown_origin",
    "unknown_correction_kind",
    "correction_without_change",
    // The report as a whole.
    "duplicate_figure",
    "duplicate_part",
    "national_breakdown",
    "part_is_unit",
    "outside_unit",
    "part_without_figure",
    "revision_needs_reason",
    "reason_conflict",
    // The ledger's identities.
    "origins_mismatch",
    "parts_exceed_figure",
    "balance_broken",
    "accumulation_broken",
    "stock_broken",
    // Parameters.
    "invalid_parameter",
    "invalid_time",
    // Warnings (plausibility against the unit's recent days).
    "implausible_high",
    "implausible_jump",
    "implausible_decrease",
];

/// One thing wrong with the input: where, what, and what would be right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What kind of problem: one of [`PROBLEM_CODES`].
    pub code: &'static str,
    /// Where.
    #[serde(flatten)]
    pub loc: Loc,
    /// What is wrong.
    pub message: String,
    /// What would be right.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl Problem {
    /// A problem of a kind ([`PROBLEM_CODES`]).
    pub fn new(
        code: &'static str,
        loc: Loc,
        message: impl Into<String>,
        expected: Option<String>,
    ) -> Problem {
        Problem {
            code,
            loc,
            message: message.into(),
            expected,
        }
    }
}

/// A plausibility warning: the reporter must acknowledge it (by its id) to submit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The id to acknowledge (`plausibility:local:confirmed_new`).
    pub id: String,
    /// What kind of warning: one of [`PROBLEM_CODES`].
    pub code: &'static str,
    /// Where.
    #[serde(flatten)]
    pub loc: Loc,
    /// What looks wrong.
    pub message: String,
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
    pub warnings: Vec<Warning>,
    /// Seconds to wait before retrying (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            problems: Vec::new(),
            warnings: Vec::new(),
            retry_after: None,
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
    pub fn body(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Inner<'a> {
            status: u16,
            code: &'a str,
            message: &'a str,
            request_id: String,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            problems: &'a [Problem],
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            warnings: &'a [Warning],
        }
        serde_json::json!({ "error": Inner {
            status: self.status.as_u16(),
            code: self.code,
            message: &self.message,
            request_id: request_id(),
            problems: &self.problems,
            warnings: &self.warnings,
        }})
    }
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
        let body = self.body().to_string();
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

impl From<ChangeError> for ApiError {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Conflict(m) => ApiError::conflict(m),
            ChangeError::NotFound(m) => ApiError::not_found(m),
            ChangeError::Invalid(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m)
            }
            e @ ChangeError::IdempotencyMismatch(_) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
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
