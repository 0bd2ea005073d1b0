//! Telling the other processes on a database what changed, so that their caches follow:
//! a batch of reporting changes that publishes a release or revokes a token sends a
//! notification on [`CHANNEL`] inside its transaction (PostgreSQL delivers it at the commit,
//! and never if the batch rolls back); [`listen`] receives them.
//!
//! The payload is `SCHEMA\tpublished\tDATE` or `SCHEMA\trevoked\tID`, so that ledgers in
//! different schemas of one database keep apart.

use std::time::Duration;

use epiledger_core::Date;
use postgres::fallible_iterator::FallibleIterator;
use postgres::GenericClient;

use crate::read::Db;
use crate::{connect_raw, Options};
use epiledger_store::reports::{Applied, Committed, ReleaseStatus};
use epiledger_store::StoreError;

/// The notification channel.
pub const CHANNEL: &str = "epiledger";

/// What another process changed, or what happened to the listening connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A release of this day was published: the day's newest release changed.
    Published(Date),
    /// This token was revoked.
    Revoked(i64),
    /// The listening connection is (again) up: notifications sent while it was down are lost,
    /// so everything cached may be stale.
    Connected,
    /// The listening connection failed (why); it is tried again after a second.
    Lost(String),
}

/// The payloads of what a committed change tells the others.
pub(super) fn payloads(schema: &str, done: &Committed) -> Option<String> {
    match &done.applied {
        Applied::Release { release }
            if release.status == ReleaseStatus::Published && !done.replayed =>
        {
            Some(format!("{schema}\tpublished\t{}", release.date))
        }
        Applied::Token { token } if token.revoked_at.is_some() && !done.replayed => {
            Some(format!("{schema}\trevoked\t{}", token.id))
        }
        _ => None,
    }
}

/// Sends the notifications inside the batch's transaction.
pub(super) fn send<C: GenericClient>(
    db: &mut Db<'_, C>,
    payloads: &[String],
) -> Result<(), StoreError> {
    if payloads.is_empty() {
        return Ok(());
    }
    db.query(
        "SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) AS p",
        &[&CHANNEL, &payloads],
        "notifying the other servers",
    )?;
    Ok(())
}

fn parse(schema: &str, payload: &str) -> Option<Notice> {
    let mut parts = payload.split('\t');
    if parts.next()? != schema {
        return None;
    }
    match (parts.next()?, parts.next()?) {
        ("published", date) => date.parse().ok().map(Notice::Published),
        ("revoked", id) => id.parse().ok().map(Notice::Revoked),
        _ => None,
    }
}

/// Listens on [`CHANNEL`] for the ledger at `url` and calls `on` with each notice of its
/// schema, for ever: a lost connection is reported ([`Notice::Lost`]) and opened again a
/// second later ([`Notice::Connected`]). Run it on a thread of its own.
pub fn listen(url: &str, options: &Options, on: &dyn Fn(Notice)) -> ! {
    loop {
        let failure = match connect_raw(url, options) {
            Err(e) => e.to_string(),
            Ok((mut client, location, schema)) => {
                match client.batch_execute(&format!("LISTEN {CHANNEL}")) {
                    Err(e) => {
                        crate::pg_err(&location, "listening for notifications", e).to_string()
                    }
                    Ok(()) => {
                        on(Notice::Connected);
                        let mut notices = client.notifications();
                        let mut iter = notices.blocking_iter();
                        loop {
                            match iter.next() {
                                Ok(Some(n)) => {
                                    if let Some(notice) = parse(&schema, n.payload()) {
                                        on(notice);
                                    }
                                }
                                Ok(None) => break format!("{location}: the connection closed"),
                                Err(e) => {
                                    break crate::pg_err(&location, "receiving notifications", e)
                                        .to_string()
                                }
                            }
                        }
                    }
                }
            }
        };
        on(Notice::Lost(failure));
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_read_for_their_schema_only() {
        let d: Date = "2023-01-05".parse().unwrap();
        assert_eq!(
            parse("s", "s\tpublished\t2023-01-05"),
            Some(Notice::Published(d))
        );
        assert_eq!(parse("s", "s\trevoked\t7"), Some(Notice::Revoked(7)));
        assert_eq!(parse("s", "other\trevoked\t7"), None);
        assert_eq!(parse("s", "s\tunknown\t7"), None);
        assert_eq!(parse("s", "garbage"), None);
    }
}
