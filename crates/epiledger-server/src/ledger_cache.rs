//! The whole ledger as known at a time, with its implied zeros, kept for the analytics
//! endpoints, which read every day of a region's history: building it takes tens of
//! milliseconds, an estimate over it well under one.
//!
//! The answers computed over a kept ledger are kept with it (by path and query), so that a
//! request asked before is answered without estimating again.
//!
//! An entry for a time in the past (more than a minute ago) never changes and is kept until it
//! is pushed out by newer ones (the 8 most recently used are kept). The ledger "as known now"
//! is forgotten when this server publishes a release, and at the latest 5 seconds after it was
//! read, so that a release published by another server on the same PostgreSQL database shows
//! within that time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use epiledger_analytics::ImpliedZeros;
use epiledger_core::Ledger;

/// How long the ledger as known now is reused.
const FRESH: Duration = Duration::from_secs(5);
/// How many ledgers are kept.
const KEPT: usize = 8;

/// How many bytes of answers over one ledger are kept (all are forgotten when one more would
/// not fit): 32 MiB, about a hundred whole-history answers.
const ANSWER_BYTES: usize = 32 << 20;

/// A ledger as known at a time, the zeros its complete lists imply, and the answers computed
/// over it (an answer over a ledger that does not change does not change either).
pub struct Known {
    /// The ledger.
    pub ledger: Ledger,
    /// Its implied zeros.
    pub zeros: ImpliedZeros,
    answers: Mutex<Answers>,
}

/// The kept answers, by request, and their bytes.
#[derive(Default)]
struct Answers {
    by_request: HashMap<String, Answer>,
    bytes: usize,
}

/// An answer as sent: its media type, body and ETag.
#[derive(Clone)]
pub struct Answer {
    /// The media type.
    pub content_type: &'static str,
    /// The body.
    pub body: Bytes,
    /// Its ETag.
    pub etag: String,
}

impl Known {
    /// The ledger of `days` and its implied zeros.
    pub fn new(days: impl IntoIterator<Item = epiledger_core::Day>) -> Known {
        let ledger = Ledger::from_days(days);
        let zeros = ImpliedZeros::of_ledger(&ledger);
        Known {
            ledger,
            zeros,
            answers: Mutex::default(),
        }
    }

    /// The answer kept for a request (its path and query), if any.
    pub fn answer(&self, request: &str) -> Option<Answer> {
        let answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        answers.by_request.get(request).cloned()
    }

    /// Keeps the answer to a request.
    pub fn keep(&self, request: String, answer: Answer) {
        let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        let size = answer.body.len() + request.len();
        if answers.bytes + size > ANSWER_BYTES {
            *answers = Answers::default();
        }
        if size <= ANSWER_BYTES {
            answers.bytes += size;
            answers.by_request.insert(request, answer);
        }
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

    #[test]
    fn answers_are_kept_with_their_ledger_within_their_bytes() {
        let known = Known::new([]);
        let a = |n: usize| Answer {
            content_type: "text/csv",
            body: Bytes::from(n.to_string()),
            etag: format!("W/\"{n}\""),
        };
        known.keep("/a?x=1".into(), a(1));
        assert_eq!(
            known.answer("/a?x=1").map(|a| a.body),
            Some(Bytes::from("1"))
        );
        assert!(known.answer("/a?x=2").is_none());
        let big = Answer {
            body: Bytes::from(vec![b'x'; ANSWER_BYTES / 3]),
            ..a(0)
        };
        for n in 0..10 {
            known.keep(format!("/b?{n}"), big.clone());
            assert!(known.answers.lock().unwrap().bytes <= ANSWER_BYTES);
        }
        assert!(known.answer("/a?x=1").is_none(), "forgotten when full");
        assert!(known.answer("/b?9").is_some());
    }
}
