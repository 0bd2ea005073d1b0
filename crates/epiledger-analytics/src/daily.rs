//! One count a day, absent days kept absent: what growth rates, averages and rates read.

use epiledger_core::{Count, Date};
use serde::{Deserialize, Serialize};

use crate::dates::add_days;
use crate::incidence::{Incidence, IncidenceError};

/// A daily count on consecutive days from `start`; `None` is an absent day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySeries {
    start: Date,
    values: Vec<Option<Count>>,
}

/// Which cases of an [`Incidence`] a series counts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Local and imported.
    #[default]
    Total,
    /// Local cases.
    Local,
    /// Imported cases.
    Imported,
}

impl DailySeries {
    /// A series from its first day and one value a day; values must be non-negative.
    pub fn new(start: Date, values: Vec<Option<Count>>) -> Result<DailySeries, IncidenceError> {
        if values.is_empty() {
            return Err(IncidenceError::Empty);
        }
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = *v {
                if v < 0 {
                    return Err(IncidenceError::Negative {
                        date: add_days(start, i as i64),
                        column: "value",
                        value: v,
                    });
                }
            }
        }
        Ok(DailySeries { start, values })
    }

    /// A series from dated rows, which must be consecutive days in order (as
    /// `Ledger::series` gives them, for example).
    pub fn from_rows(
        rows: impl IntoIterator<Item = (Date, Option<Count>)>,
    ) -> Result<DailySeries, IncidenceError> {
        let (start, values) = crate::incidence::consecutive(rows)?;
        DailySeries::new(start, values)
    }

    /// One part of an incidence.
    pub fn from_incidence(incidence: &Incidence, part: Part) -> DailySeries {
        let values = incidence
            .days()
            .iter()
            .map(|d| {
                d.map(|c| match part {
                    Part::Total => c.total(),
                    Part::Local => c.local,
                    Part::Imported => c.imported,
                })
            })
            .collect();
        DailySeries {
            start: incidence.start(),
            values,
        }
    }

    /// The first day.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The values, one a day.
    pub fn values(&self) -> &[Option<Count>] {
        &self.values
    }

    /// The number of days.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no day (never true for a series that was built).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The date of the `i`-th day.
    pub fn date(&self, i: usize) -> Date {
        add_days(self.start, i as i64)
    }

    /// The first absent day among days `from..=to`, if any.
    pub(crate) fn first_absent(&self, from: usize, to: usize) -> Option<Date> {
        (from..=to)
            .find(|&i| self.values[i].is_none())
            .map(|i| self.date(i))
    }
}

/// Why a figure derived from a series is absent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Missing {
    /// A day it reads has no figure.
    #[error("the figure of {day} is absent")]
    Day {
        /// The first absent day.
        day: Date,
    },
    /// A day of a log-linear fit has 0 cases, whose logarithm does not exist.
    #[error("{day} has 0 cases, and a log-linear fit needs every day above 0")]
    Zero {
        /// The first day with 0.
        day: Date,
    },
    /// The week compared with has no case, so a relative change does not exist.
    #[error("the week {from} … {to} has no case to compare with")]
    ZeroBase {
        /// Its first day.
        from: Date,
        /// Its last day.
        to: Date,
    },
}

/// A derived daily figure: its value, or why it is absent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The day it is reported under (the last day it reads).
    pub date: Date,
    /// The value, if there is one.
    pub value: Option<f64>,
    /// Why there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<Missing>,
}

impl Point {
    pub(crate) fn of(date: Date, value: Result<f64, Missing>) -> Point {
        match value {
            Ok(v) => Point {
                date,
                value: Some(v),
                absent: None,
            },
            Err(m) => Point {
                date,
                value: None,
                absent: Some(m),
            },
        }
    }
}
