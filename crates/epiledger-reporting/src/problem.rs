//! What is wrong with an input, said so that a person can fix it and a program can word it:
//! every [`Problem`] has a stable `code` (one of [`PROBLEM_CODES`]), where it is ([`Loc`]: a
//! JSON pointer, a CSV cell, a query parameter), a message in English and what would be right.

use serde::Serialize;

/// Where a problem is: a JSON pointer into the body, a CSV cell, or a query parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// What kind of problem: one of [`PROBLEM_CODES`].
    #[cfg_attr(feature = "openapi", schema(schema_with = code_schema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    /// The id to acknowledge (`plausibility:local:confirmed_new`).
    pub id: String,
    /// What kind of warning: one of [`PROBLEM_CODES`].
    #[cfg_attr(feature = "openapi", schema(schema_with = code_schema))]
    pub code: &'static str,
    /// Where.
    #[serde(flatten)]
    pub loc: Loc,
    /// What looks wrong.
    pub message: String,
}

/// The schema of a problem's `code`: one of [`PROBLEM_CODES`].
#[cfg(feature = "openapi")]
fn code_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(PROBLEM_CODES.iter().copied()))
        .description(Some(
            "What kind of problem: stable, for a client to word in its own language.",
        ))
        .build()
}
