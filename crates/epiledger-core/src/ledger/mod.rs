//! The ledger: every day indexed by (date, region, origin, measure), and the identities that
//! tie its stocks and flows together.
//!
//! - [`Ledger`] answers `get(date, region, origin, measure)` and iterates series and days.
//! - [`identities`] names the identities ([`Identity`]) and writes them as [`Equation`]s.
//! - [`audit`] checks them over a range of days and returns the [`Break`]s, each with the
//!   corrections that explain it, if any; [`audit_report`] adds an [`AuditSummary`].
//! - [`hierarchy`] says which region lies in which, by code arithmetic.
//!
//! A figure that is absent is never taken as zero: an identity is checked only where all its
//! terms exist.

mod audit;
mod checks;
mod explain;
pub mod hierarchy;
pub mod identities;
mod index;

pub use audit::{audit, audit_report, Audit, AuditSummary, Break};
pub use identities::{Equation, Identity, Lag, Term, EQUATIONS};
pub use index::{Ledger, Series};
