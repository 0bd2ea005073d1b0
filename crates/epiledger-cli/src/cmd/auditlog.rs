//! `audit-log verify`: recomputes the audit log's hash chain and reports the first broken entry.

use std::path::Path;
use std::process::ExitCode;

use epiledger_store::auditlog;

use crate::cli::{AuditLogArgs, AuditLogCommand};
use crate::error::{code, CliError};

/// `audit-log verify [--expect-head SEQ:HASH]`.
pub fn run(db: &Path, args: &AuditLogArgs) -> Result<ExitCode, CliError> {
    let store = crate::db::open_reporting(db)?;
    let AuditLogCommand::Verify { expect_head } = &args.command;
    let mut v = auditlog::verify(&*store)?;
    if let (None, Some(expected)) = (&v.broken, expect_head) {
        let (seq, hash) = expected.split_once(':').ok_or_else(|| {
            CliError::Input(format!(
                "--expect-head `{expected}` is not SEQ:HASH (as `audit-log verify` prints it)"
            ))
        })?;
        let seq: i64 = seq
            .parse()
            .map_err(|_| CliError::Input(format!("--expect-head: `{seq}` is not a number")))?;
        match &v.head {
            Some((s, _)) if *s < seq => {
                v.broken = Some(auditlog::BrokenEntry {
                    seq: s + 1,
                    problem: format!(
                        "the log ends at entry {s}, before the expected head {seq}: entries were \
                         deleted"
                    ),
                })
            }
            None => {
                v.broken = Some(auditlog::BrokenEntry {
                    seq: 1,
                    problem: format!("the log is empty, but its head was {seq}"),
                })
            }
            _ => {
                let at = store
                    .audit_entries(seq - 1, 1)?
                    .into_iter()
                    .find(|e| e.seq == seq)
                    .map(|e| e.hash);
                if at.as_deref() != Some(hash) {
                    v.broken = Some(auditlog::BrokenEntry {
                        seq,
                        problem: format!(
                            "entry {seq} has the hash {}, not the expected {hash}",
                            at.unwrap_or_default()
                        ),
                    });
                }
            }
        }
    }
    match (&v.broken, &v.head) {
        (None, Some((seq, hash))) => {
            println!(
                "audit log verified: {} entries, head {seq}:{hash} (record the head to detect a \
                 later deletion of the newest entries: --expect-head {seq}:{hash})",
                v.entries
            );
            Ok(ExitCode::SUCCESS)
        }
        (None, None) => {
            println!("audit log verified: empty");
            Ok(ExitCode::SUCCESS)
        }
        (Some(b), _) => {
            println!(
                "audit log BROKEN at entry {}: {} ({} entries verified before it)",
                b.seq, b.problem, v.entries
            );
            Ok(ExitCode::from(code::CHECK))
        }
    }
}
