//! Reading and checking a unit's report of a day, as a whole: every problem is listed at once,
//! each with where it is (a JSON pointer such as `/figures/3/value`, or a CSV row and column),
//! what is wrong and what would be right.
//!
//! The report as JSON:
//!
//! ```json
//! {"date": "2023-01-05", "unit": "110000",
//!  "figures": [{"measure": "confirmed_new", "origin": "local", "value": 5,
//!               "breakdown": [{"region": "110105", "value": 3}, {"region": "110108", "value": 2}]}],
//!  "corrections": [{"measure": "deaths_cumulative", "origin": "all", "kind": "reduce", "delta": -1,
//!                   "reason": "duplicate report"}],
//!  "reason": "only for a revision", "acknowledge": ["plausibility:local:confirmed_new"]}
//! ```
//!
//! As CSV, the columns of `epiledger export facts`: `date,region,origin,measure,value`; a row of
//! the unit itself is a figure, a row of a region inside it a part of the breakdown. The reason
//! and the acknowledgements then come as query parameters.
//!
//! Checks, in order: the form (fields, types, whole non-negative numbers, known measures and
//! origins, a reporting unit, a date not in the future); figures given once; breakdowns inside
//! the unit; the ledger's identities from `epiledger-core` (all = imported + local, parts sum to
//! no more than their region, Balance, and Accumulation and Stock against the unit's previous
//! day), a break explained by a correction of the report being no error; a revision needs a
//! reason. Plausibility against the unit's recent history gives warnings, which the reporter
//! acknowledges by their ids.

mod check;
mod csv;
mod json;
mod plausibility;
mod read;

use epiledger_core::{Correction, Count, Date, Day, Measure, Origin, RegionCode, RegionId};

use crate::problem::{Loc, Problem, Warning};
use crate::{StoredReport, ValidatedReport};

pub use self::check::{check, sort_problems, unit_facts};
pub use self::csv::{parse_csv, CSV_COLUMNS};
pub use self::json::parse_json;

/// How many days of a unit's own history the plausibility checks look at.
pub const RECENT_DAYS: i64 = 14;

/// The most figures (with their parts) a report may have.
const MAX_ROWS: usize = 20_000;

/// A part of a figure as read, with where it was.
#[derive(Clone, Debug)]
pub struct DraftPart {
    /// The region.
    pub region: RegionId,
    /// Its value.
    pub value: Count,
    /// Where the region was written.
    pub region_loc: Loc,
    /// Where the value was written.
    pub value_loc: Loc,
}

/// A figure as read, with where it was.
#[derive(Clone, Debug)]
pub struct DraftFigure {
    /// The measure.
    pub measure: Measure,
    /// The origin.
    pub origin: Origin,
    /// The unit's value.
    pub value: Count,
    /// Where the figure is (its object, or its row).
    pub loc: Loc,
    /// Where the measure is.
    pub measure_loc: Loc,
    /// Where the value is.
    pub value_loc: Loc,
    /// Its parts.
    pub breakdown: Vec<DraftPart>,
}

/// A report as read, before the checks that need the store.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// The day, if it could be read.
    pub date: Option<Date>,
    /// The unit, if it could be read.
    pub unit: Option<RegionCode>,
    /// The figures that could be read.
    pub figures: Vec<DraftFigure>,
    /// The corrections that could be read.
    pub corrections: Vec<(Correction, Loc)>,
    /// The reason of a revision.
    pub reason: Option<String>,
    /// Where the reason goes.
    pub reason_loc: Option<Loc>,
    /// The warning ids acknowledged.
    pub acknowledge: Vec<String>,
    /// Whether it came as CSV.
    pub csv: bool,
}

/// A draft and the problems found while reading it.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The draft.
    pub draft: Draft,
    /// The problems.
    pub problems: Vec<Problem>,
}

impl Parsed {
    fn problem(
        &mut self,
        code: &'static str,
        loc: Loc,
        message: impl Into<String>,
        expected: impl Into<Option<String>>,
    ) {
        self.problems
            .push(Problem::new(code, loc, message, expected.into()));
    }
}

/// A body that cannot be read at all (not JSON, not CSV): nothing of it can be checked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Malformed {
    /// `malformed_json` or `malformed_csv`.
    pub code: &'static str,
    /// What is wrong, and that nothing was stored.
    pub message: String,
    /// The one problem, with where it is.
    pub problem: Box<Problem>,
}

/// What the checks need from the store.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The unit's figures of the previous day: its newest report, or else the published
    /// ledger's figures of the unit and the regions inside it.
    pub previous: Option<(Day, String)>,
    /// The unit's newest reports of the [`RECENT_DAYS`] before the day.
    pub recent: Vec<StoredReport>,
    /// The unit's newest report of the day itself, if any.
    pub existing: Option<StoredReport>,
}

/// The outcome of the checks.
#[derive(Debug, Default)]
pub struct Checked {
    /// The report, if there is no problem.
    pub report: Option<ValidatedReport>,
    /// Every problem.
    pub problems: Vec<Problem>,
    /// Every warning (acknowledged or not).
    pub warnings: Vec<Warning>,
    /// The ids of the warnings not acknowledged.
    pub unacknowledged: Vec<String>,
    /// Whether the report equals the newest stored version.
    pub unchanged: bool,
}

#[cfg(test)]
mod tests;

/// Validates a report that was built rather than read (by a converter from another format, a
/// test, a script): the same reading and checks as a body of JSON, with problems that point
/// into the report's JSON form. `today` is the reporting day under way ([`Date::today`]).
pub fn validate_report(
    report: &crate::Report,
    reason: Option<&str>,
    today: Date,
    ctx: &Context,
) -> Result<ValidatedReport, Vec<Problem>> {
    let mut value = serde_json::to_value(report).map_err(|e| {
        vec![Problem::new(
            "not_an_object",
            Loc::pointer(""),
            e.to_string(),
            None,
        )]
    })?;
    if let (Some(reason), Some(obj)) = (reason, value.as_object_mut()) {
        obj.insert("reason".into(), serde_json::Value::from(reason));
    }
    let bytes = value.to_string();
    let parsed = json::parse_json(bytes.as_bytes(), today).map_err(|m| vec![*m.problem])?;
    let checked = check(parsed, ctx);
    match checked.report {
        Some(r) if checked.problems.is_empty() => Ok(r),
        _ => Err(checked.problems),
    }
}
