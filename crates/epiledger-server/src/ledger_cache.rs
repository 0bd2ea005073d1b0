//! The whole ledger as known at a time, with its implied zeros, kept for the analytics
//! endpoints, which read every day of a region's history: building it takes tens of
//! milliseconds, an estimate over it well under one.
//!
//! An entry for a time in the past (more than a minute ago) never changes and is kept until it
//! is pushed out by newer ones (the 8 most recently used are kept). The ledger "as known now"
//! is forgotten when this server publishes a release, and at the latest 5 seconds after it was
//! read, so that a release published by another server on the same PostgreSQL database shows
//! within that time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use epiledger_analytics::ImpliedZeros;
use epiledger_core::Ledger;

/// How long the ledger as known now is reused.
const FRESH: Duration = Duration::from_secs(5);
/// How many ledgers are kept.
const KEPT: usize = 8;

/// A ledger as known at a time, and the zeros its complete lists imply.
pub struct Known {
    /// The ledger.
    pub ledger: Ledger,
    /// Its implied zeros.
    pub zeros: ImpliedZeros,
}

impl Known {
    /// The ledger of `days` and its implied zeros.
    pub fn new(days: impl IntoIterator<Item = epiledger_core::Day>) -> Known {
        let ledger = Ledger::from_days(days);
        let zeros = ImpliedZeros::of_ledger(&ledger);
        Known { ledger, zeros }
    }
}

struct Entry {
    as_of: Option<DateTime<Utc>>,
    built: Instant,
    known: Arc<Known>,
}

/// The kept ledgers, most recently used last.
#[derive(Default)]
pub struct LedgerCache(Mutex<Vec<Entry>>);

/// Whether a ledger read as of `as_of` can still change.
fn mutable(as_of: Option<DateTime<Utc>>) -> bool {
    as_of.is_none_or(|t| t > Utc::now() - chrono::Duration::minutes(1))
}

impl LedgerCache {
    /// The ledger as of `as_of`, if kept and still valid.
    pub fn get(&self, as_of: Option<DateTime<Utc>>) -> Option<Arc<Known>> {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let i = entries.iter().position(|e| e.as_of == as_of)?;
        if mutable(as_of) && entries[i].built.elapsed() > FRESH {
            entries.remove(i);
            return None;
        }
        let e = entries.remove(i);
        let known = Arc::clone(&e.known);
        entries.push(e);
        Some(known)
    }

    /// Keeps a ledger read as of `as_of`.
    pub fn put(&self, as_of: Option<DateTime<Utc>>, known: Arc<Known>) {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| e.as_of != as_of);
        if entries.len() >= KEPT {
            entries.remove(0);
        }
        entries.push(Entry {
            as_of,
            built: Instant::now(),
            known,
        });
    }

    /// Forgets every ledger that a publication can change.
    pub fn forget_mutable(&self) {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| !mutable(e.as_of));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_past_and_forgets_the_present_on_publication() {
        let cache = LedgerCache::default();
        let past = Some(Utc::now() - chrono::Duration::days(30));
        cache.put(None, Arc::new(Known::new([])));
        cache.put(past, Arc::new(Known::new([])));
        assert!(cache.get(None).is_some());
        cache.forget_mutable();
        assert!(cache.get(None).is_none());
        assert!(cache.get(past).is_some());
        for d in 0..KEPT as i64 {
            cache.put(
                Some(Utc::now() - chrono::Duration::days(100 + d)),
                Arc::new(Known::new([])),
            );
        }
        assert!(
            cache.get(past).is_none(),
            "the least recently used goes first"
        );
    }
}
