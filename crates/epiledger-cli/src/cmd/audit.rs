//! `audit`: the ledger's identities over the stored history.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use epiledger_core::ledger::{audit_report, Ledger};
use epiledger_store::Store;

use crate::cli::{AuditArgs, AuditFormat};
use crate::error::{code, CliError};
use epiledger_store::Span;

/// Runs the audit and prints every break.
pub fn run(store: &dyn Store, args: &AuditArgs) -> Result<ExitCode, CliError> {
    // Accumulations and stocks read the day before `from`.
    let from_read = args.from.map(|d| d.pred());
    let days = store.days(Span::new(from_read, args.to, None))?;
    let ledger = Ledger::from_days(days.into_iter().map(|s| s.day));
    let report = audit_report(&ledger, args.from, args.to);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        AuditFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report.breaks).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        AuditFormat::Text => {
            for b in &report.breaks {
                writeln!(out, "{b}")?;
            }
            writeln!(out, "{}", report.summary)?;
        }
    }
    out.flush()?;
    let unexplained = report.summary.breaks - report.summary.explained;
    Ok(ExitCode::from(if args.check && unexplained > 0 {
        code::CHECK
    } else {
        code::OK
    }))
}
