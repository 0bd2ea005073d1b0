//! Estimates over the ledger of epiledger, for `epiledger analytics`, the HTTP API and the
//! dashboard: the reproduction number Rt exactly as EpiEstim 2.2-4 computes it, growth rates
//! with their confidence intervals, doubling and halving times, trailing averages, week-on-week
//! change, incidence per 100,000, and the zeros a complete breakdown implies.
//!
//! This crate does no I/O: everything here is a pure function of its inputs. See
//! `docs/ANALYTICS.md` for what each estimate means and how it is computed.
//!
//! - [`si`] — the discretised serial interval ([`SerialInterval`]).
//! - [`incidence`] — daily local and imported cases, absent days kept absent ([`Incidence`]).
//! - [`rt`] — [`estimate_rt`].
//! - [`implied`] — the zeros that complete breakdowns imply ([`implied_zeros`]).
//! - [`input`] — a region's incidence from the ledger ([`incidence_from_ledger`]).
//! - [`daily`] — one count a day ([`DailySeries`]) and derived points ([`Point`]).
//! - [`growth`] — the growth rate by a log-linear fit, doubling and halving times
//!   ([`growth_rate`]).
//! - [`smooth`] — trailing averages and week-on-week change ([`trailing_average`],
//!   [`week_on_week`]).
//! - [`mod@population`] and [`rates`] — the 2020 census and incidence per 100,000 ([`per_100k`]).
//! - [`query`] — the questions the command line, the API and the dashboard ask: [`query::rt`],
//!   [`query::growth`], [`query::rates`] of an [`Ask`].
//! - [`special`] — the special functions behind them (incomplete gamma and beta, quantiles).

#![warn(missing_docs)]

pub mod daily;
mod dates;
pub mod growth;
pub mod implied;
pub mod incidence;
pub mod input;
pub mod population;
pub mod query;
pub mod rates;
pub mod rt;
pub mod si;
pub mod smooth;
pub mod special;

pub use daily::{DailySeries, Missing, Part, Point};
pub use growth::{growth_rate, Growth, GrowthEntry, GrowthWindowError, Time};
pub use implied::{implied_facts, implied_zeros, ImpliedZero, ImpliedZeros, Known};
pub use incidence::{Cases, Incidence, IncidenceError};
pub use input::{incidence_from_ledger, Counting};
pub use population::{population, PopulationError};
pub use query::{Ask, AskError, RateRow};
pub use rates::{per_100k, points_per_100k, series_per_100k};
pub use rt::{estimate_rt, AbsentReason, RtConfig, RtEntry, RtError, RtEstimate, RtSeries};
pub use si::{SerialInterval, SiError};
pub use smooth::{trailing_average, week_on_week, WeekOnWeek};
