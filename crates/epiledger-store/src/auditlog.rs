//! Verifying the audit log of a store: the hash chain (`epiledger_reporting::audit`) and that
//! no stored row refers to an entry beyond its end.

pub use epiledger_reporting::audit::{
    entry_hash, expected_hash, BrokenEntry, Verification, Verifier, AUDIT_HASH_TAG, GENESIS_HASH,
};

use crate::{ReportingStore, StoreError};

/// Verifies the audit log of a store: the chain, and that no stored row refers to an entry
/// beyond its end (which would mean its newest entries were deleted).
pub fn verify<S: ReportingStore + ?Sized>(store: &S) -> Result<Verification, StoreError> {
    const PAGE: usize = 10_000;
    let mut v = Verifier::default();
    let mut after = 0;
    'pages: loop {
        let page = store.audit_entries(after, PAGE)?;
        if page.is_empty() {
            break;
        }
        for e in &page {
            if !v.push(e) {
                break 'pages;
            }
            after = e.seq;
        }
    }
    let mut out = v.finish();
    if out.broken.is_none() {
        let last = out.head.as_ref().map_or(0, |h| h.0);
        if let Some(max_ref) = store.audit_max_reference()? {
            if max_ref > last {
                out.broken = Some(BrokenEntry {
                    seq: last + 1,
                    problem: format!(
                        "the log ends at entry {last}, but stored changes refer to entries up to \
                         {max_ref}: the newest entries were deleted"
                    ),
                });
            }
        }
    }
    Ok(out)
}
