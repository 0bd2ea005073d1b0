//! [`ReportingStore`] for PostgreSQL: the reporting workflow's tables (migration 2), with the
//! SQLite store's behaviour exactly (the same conformance suite runs on both), for several
//! server processes sharing one database.
//!
//! A batch of changes runs in one READ COMMITTED transaction with a savepoint per change.
//! Before reading anything it takes transaction-scoped advisory locks, in one global order (the
//! keys sorted, in one statement): one per date the batch touches (the dates of `put_days`
//! batches, so that publishing and importing a day take turns), `tokens` when it creates or
//! revokes one, and `audit`, which every batch takes. The audit chain's head is read once the
//! locks are held, so two processes never continue the chain from the same entry, and every
//! check (a report's newest version, a release's status, a retry key) sees what the batches
//! before it committed: of two compilers publishing the same day, the second finds the first's
//! publication and gets the same conflict as on SQLite. A deadlock or a serialization failure
//! makes the whole batch run again: the lock order rules them out but for one case, a
//! publication creating a new series (figure key) that an import of the same day is creating
//! too (the import inserts series before its date locks), which PostgreSQL detects. A batch that
//! publishes or revokes a token notifies the other processes at its commit ([`crate::notify`]).

#[macro_use]
mod rows;
mod changes;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use epiledger_core::{Date, Day, RegionCode};
use postgres::{Client, GenericClient, IsolationLevel};

use crate::read::{Db, SeriesKey};
use crate::{lock_key, notify, PostgresStore};
use changes::PgTx;
use epiledger_store::reports::{
    AuditEntry, CaseSegment, Change, ChangeError, ChangeRequest, Committed, Release,
    ReportingStore, StoredReport, StoredSegment, Token, UnitDayReport,
};
use epiledger_store::{backend, workflow, Span, StoreError, VersionInfo};
use rows::{
    audit_row, newest_report, release_by_id, release_row, report_row, token_by_hash, token_row,
};

/// The advisory lock keys of a batch, sorted: its dates, `tokens`, and `audit`.
fn batch_locks<C: GenericClient>(
    db: &mut Db<'_, C>,
    schema: &str,
    changes: &[ChangeRequest],
) -> Result<Vec<i64>, StoreError> {
    let mut keys = vec![lock_key(schema, "audit")];
    let mut releases = Vec::new();
    for req in changes {
        match &req.change {
            Change::SubmitReport { report, .. } => {
                keys.push(lock_key(schema, &report.date.to_string()))
            }
            Change::SetCutoff { date, .. } | Change::ApproveRelease { date, .. } => {
                keys.push(lock_key(schema, &date.to_string()))
            }
            Change::PublishRelease { id } => releases.push(*id),
            Change::CreateToken { .. } | Change::RevokeToken { .. } => {
                keys.push(lock_key(schema, "tokens"))
            }
            Change::RecordCases { .. } => keys.push(lock_key(schema, "cases")),
            Change::ReadCase { .. } => {}
        }
    }
    if !releases.is_empty() {
        // A release's date never changes: it is read before the locks.
        let rows = db.query(
            "SELECT DISTINCT date FROM releases WHERE id = ANY($1)",
            &[&releases],
            "reading the dates of the releases to publish",
        )?;
        for r in &rows {
            let date: NaiveDate = db.get(r, 0)?;
            keys.push(lock_key(schema, &Date::from(date).to_string()));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    Ok(keys)
}

/// What a committed batch did: each change's result, and the series it created.
type BatchOutcome = Vec<Result<Committed, ChangeError>>;

/// Runs a batch in one transaction (see the module's documentation).
fn run_batch(
    conn: &mut crate::Conn,
    loc: &str,
    schema: &str,
    changes: &[ChangeRequest],
    at: DateTime<Utc>,
    created: &mut HashMap<SeriesKey, i32>,
) -> Result<BatchOutcome, StoreError> {
    let crate::Conn {
        client,
        series,
        stmts,
        ..
    } = conn;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()
        .map_err(|e| crate::pg_err(loc, "starting a transaction", e))?;
    {
        let mut db = Db {
            c: &mut tx,
            series: &mut *series,
            stmts: &mut *stmts,
            loc,
        };
        let keys = batch_locks(&mut db, schema, changes)?;
        // unnest returns the keys in order, and the aggregate takes them one after the other.
        db.query(
            "SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k",
            &[&keys],
            "waiting for other writers of the same days",
        )?;
    }
    let results = {
        let mut wtx = PgTx {
            db: Db {
                c: &mut tx,
                series: &mut *series,
                stmts: &mut *stmts,
                loc,
            },
            created,
            pending: HashMap::new(),
            schema,
        };
        workflow::apply_batch(&mut wtx, changes, at)?
    };
    let notices: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|c| notify::payloads(schema, c))
        .collect();
    notify::send(
        &mut Db {
            c: &mut tx,
            series: &mut *series,
            stmts: &mut *stmts,
            loc,
        },
        &notices,
    )?;
    tx.commit()
        .map_err(|e| crate::pg_err(loc, "committing the changes", e))?;
    Ok(results)
}

impl PostgresStore {
    /// Runs a reporting read (see [`PostgresStore::read`]).
    fn rread<T>(
        &self,
        f: impl Fn(&mut Db<'_, Client>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.read(f)
    }
}

impl ReportingStore for PostgresStore {
    /// The client blocks on a runtime of its own: never on an async worker.
    fn reads_inline(&self) -> bool {
        false
    }

    fn apply_changes(
        &mut self,
        changes: &[ChangeRequest],
        at: DateTime<Utc>,
    ) -> Result<Vec<Result<Committed, ChangeError>>, StoreError> {
        self.write_batch(|conn, loc, schema, created| {
            run_batch(conn, loc, schema, changes, at, created)
        })
    }

    fn report(
        &self,
        date: Date,
        unit: RegionCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredReport>, StoreError> {
        self.rread(|db| newest_report(db, date, unit, as_of))
    }

    fn report_versions(
        &self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Vec<StoredReport>, StoreError> {
        self.rread(|db| {
            let rows = db.query(
                concat!(
                    "SELECT ",
                    report_columns!(),
                    " FROM reports r WHERE r.date = $1 AND r.unit = $2 ORDER BY r.version"
                ),
                &[&date.naive(), &unit.to_string()],
                &format!("reading the reports of {unit} for {date}"),
            )?;
            rows.iter().map(|r| report_row(db, r)).collect()
        })
    }

    fn day_reports(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<UnitDayReport>, StoreError> {
        self.rread(|db| {
            let rows = db.query(
                concat!(
                    "SELECT DISTINCT ON (r.unit) ",
                    report_columns!(),
                    ", (SELECT f.submitted_at FROM reports f WHERE f.date = r.date \
                     AND f.unit = r.unit AND f.version = 1) \
                     FROM reports r WHERE r.date = $1 \
                     AND ($2::timestamptz IS NULL OR r.submitted_at <= $2) \
                     ORDER BY r.unit, r.version DESC"
                ),
                &[&date.naive(), &as_of],
                &format!("reading the reports of {date}"),
            )?;
            rows.iter()
                .map(|r| {
                    Ok(UnitDayReport {
                        newest: report_row(db, r)?,
                        first_submitted_at: db.get(r, 8)?,
                    })
                })
                .collect()
        })
    }

    fn unit_reports(&self, unit: RegionCode, span: Span) -> Result<Vec<StoredReport>, StoreError> {
        let Span { from, to, as_of } = span;
        self.rread(|db| {
            let rows = db.query(
                concat!(
                    "SELECT DISTINCT ON (r.date) ",
                    report_columns!(),
                    " FROM reports r WHERE r.unit = $1 AND ($2::date IS NULL OR r.date >= $2) \
                     AND ($3::date IS NULL OR r.date <= $3) \
                     AND ($4::timestamptz IS NULL OR r.submitted_at <= $4) \
                     ORDER BY r.date, r.version DESC"
                ),
                &[
                    &unit.to_string(),
                    &from.map(Date::naive),
                    &to.map(Date::naive),
                    &as_of,
                ],
                &format!("reading the reports of {unit}"),
            )?;
            rows.iter().map(|r| report_row(db, r)).collect()
        })
    }

    fn cutoff(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.rread(|db| {
            let rows = db.query(
                "SELECT cutoff FROM cutoffs WHERE date = $1 \
                 AND ($2::timestamptz IS NULL OR set_at <= $2) ORDER BY id DESC LIMIT 1",
                &[&date.naive(), &as_of],
                &format!("reading the cutoff of {date}"),
            )?;
            rows.first().map(|r| db.get(r, 0)).transpose()
        })
    }

    fn releases(&self, span: Span) -> Result<Vec<Release>, StoreError> {
        let Span { from, to, as_of } = span;
        self.rread(|db| {
            let rows = db.query(
                concat!(
                    release_select!(),
                    "WHERE ($1::date IS NULL OR r.date >= $1) \
                     AND ($3::date IS NULL OR r.date <= $3) \
                     AND ($2::timestamptz IS NULL OR r.approved_at <= $2) \
                     ORDER BY r.date, r.id"
                ),
                &[&from.map(|d| d.naive()), &as_of, &to.map(|d| d.naive())],
                "reading releases",
            )?;
            rows.iter()
                .map(|r| release_row(db, r, false).map(|(rel, _)| rel))
                .collect()
        })
    }

    fn release(&self, id: i64) -> Result<Option<(Release, Day)>, StoreError> {
        self.rread(|db| Ok(release_by_id(db, id, true)?.and_then(|(r, d)| d.map(|d| (r, d)))))
    }

    fn published_versions(&self, span: Span) -> Result<Vec<VersionInfo>, StoreError> {
        self.rread(|db| db.versions_in(span))
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<Token>, StoreError> {
        self.rread(|db| token_by_hash(db, hash))
    }

    fn tokens(&self) -> Result<Vec<Token>, StoreError> {
        self.rread(|db| {
            let rows = db.query(
                concat!(token_select!(), "ORDER BY t.id"),
                &[],
                "reading tokens",
            )?;
            rows.iter().map(|r| token_row(db, r)).collect()
        })
    }

    fn audit_entries(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.rread(|db| {
            let rows = db.query(
                "SELECT seq, at, token_id, actor, role, address, request_id, action, target, \
                 detail, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after, &limit],
                "reading the audit log",
            )?;
            rows.iter().map(|r| audit_row(db, r)).collect()
        })
    }

    fn audit_max_reference(&self) -> Result<Option<i64>, StoreError> {
        self.rread(|db| {
            let rows = db.query(
                "SELECT max(m) FROM (\
                   SELECT max(audit_seq) AS m FROM reports \
                   UNION ALL SELECT max(audit_seq) FROM tokens \
                   UNION ALL SELECT max(audit_seq) FROM token_revocations \
                   UNION ALL SELECT max(audit_seq) FROM cutoffs \
                   UNION ALL SELECT max(audit_seq) FROM releases \
                   UNION ALL SELECT max(audit_seq) FROM release_events \
                   UNION ALL SELECT max(audit_seq) FROM case_segments) AS refs",
                &[],
                "reading the audit references",
            )?;
            Ok(rows.first().map(|r| db.get(r, 0)).transpose()?.flatten())
        })
    }

    fn case_segments(
        &self,
        after_seq: i64,
        as_of: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(StoredSegment) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // One segment at a time (each may be megabytes): the client would hold every row.
        let (mut seq, mut part) = (after_seq, i32::MAX);
        loop {
            let row = self.rread(|db| {
                let rows = db.query(
                    "SELECT audit_seq, part, recorded_at, data FROM case_segments \
                     WHERE (audit_seq, part) > ($1, $2) \
                       AND ($3::timestamptz IS NULL OR recorded_at <= $3) \
                     ORDER BY audit_seq, part LIMIT 1",
                    &[&seq, &part, &as_of],
                    "reading the case events",
                )?;
                let Some(r) = rows.first() else {
                    return Ok(None);
                };
                let audit_seq: i64 = db.get(r, 0)?;
                let p: i32 = db.get(r, 1)?;
                let name = format!("case_segments row ({audit_seq}, {p})");
                Ok(Some(StoredSegment {
                    audit_seq,
                    part: u32::try_from(p)
                        .map_err(|_| backend::corrupt(&self.location, &name, "part below 1"))?,
                    recorded_at: db.get(r, 2)?,
                    segment: CaseSegment {
                        data: backend::unpack_segment(
                            &self.location,
                            &name,
                            &db.get::<Vec<u8>>(r, 3)?,
                        )?,
                    },
                }))
            })?;
            let Some(stored) = row else {
                return Ok(());
            };
            seq = stored.audit_seq;
            part = i32::try_from(stored.part).unwrap_or(i32::MAX);
            f(stored)?;
        }
    }

    fn idempotent(
        &self,
        token_id: Option<i64>,
        key: &str,
    ) -> Result<Option<(String, Committed)>, StoreError> {
        self.rread(|db| {
            let rows = db.query(
                "SELECT request_hash, response FROM idempotency WHERE token_id = $1 AND key = $2",
                &[
                    &epiledger_reporting::rules::idempotency_token(token_id),
                    &key,
                ],
                "reading an idempotency key",
            )?;
            let Some(r) = rows.first() else {
                return Ok(None);
            };
            let hash: String = db.get(r, 0)?;
            let response: String = db.get(r, 1)?;
            Ok(Some((hash, backend::replayed(key, &response)?)))
        })
    }
}
