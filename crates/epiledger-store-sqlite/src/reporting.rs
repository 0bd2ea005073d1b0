//! [`ReportingStore`] for SQLite: the reporting workflow's tables (migration 2), a batch of
//! changes per transaction with a savepoint per change, and the audit chain continued from the
//! newest entry read inside the transaction (so that other processes writing the same file,
//! such as `epiledger token create`, keep the chain whole).

use std::fmt::Display;

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, RegionCode};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

use epiledger_core::content::Prepared;
use epiledger_reporting::rules::{AuditRecord, ReportHead};

use crate::read::{span_params, Db};
use crate::{db_err, write, SqliteStore};
use epiledger_store::backend::{self, opt_text, ReleaseRow, TokenRow};
use epiledger_store::reports::{
    Actor, AuditEntry, BasisEntry, CaseSegment, ChangeError, ChangeRequest, Committed,
    IdempotencyKey, Release, ReportingStore, StoredReport, StoredSegment, Token, UnitDayReport,
};
use epiledger_store::workflow::{self, At, NewRelease, NewReport, NewToken, Stamp, WorkflowTx};
use epiledger_store::{time, Source, Span, StoreError, VersionInfo};

/// The reporting tables' rows, read through the ledger's connection ([`Db`]).
impl Db<'_> {
    fn time(&self, row: impl Display, text: &str) -> Result<DateTime<Utc>, StoreError> {
        time::parse(text)
            .ok_or_else(|| self.corrupt(row, format!("`{text}` is not an RFC 3339 timestamp")))
    }

    // ----- reports -----

    /// Decodes `version, reason, submitted_at, token_id, content_hash, body, date, unit`.
    fn report_row(&self, r: &Row) -> Result<StoredReport, StoreError> {
        let date: String = self.get(r, 6)?;
        let unit: String = self.get(r, 7)?;
        let version: i64 = self.get(r, 0)?;
        let name = format!("reports row ({date} {unit} version {version})");
        let submitted_at: String = self.get(r, 2)?;
        let body: String = self.get(r, 5)?;
        Ok(StoredReport {
            report: backend::json(self.loc, &name, &body)?,
            version: u32::try_from(version)
                .map_err(|_| self.corrupt(&name, "the version is out of range"))?,
            reason: self.get(r, 1)?,
            submitted_at: self.time(&name, &submitted_at)?,
            submitted_by: self.get(r, 3)?,
            content_hash: self.get(r, 4)?,
        })
    }

    fn newest_report(
        &self,
        date: Date,
        unit: RegionCode,
        as_of: Option<&str>,
    ) -> Result<Option<StoredReport>, StoreError> {
        let sql = "SELECT version, reason, submitted_at, token_id, content_hash, body, date, unit \
                   FROM reports WHERE date = ?1 AND unit = ?2 \
                   AND (?3 IS NULL OR submitted_at <= ?3) ORDER BY version DESC LIMIT 1";
        let action = format!("reading the report of {unit} for {date}");
        Ok(self
            .rows(
                sql,
                params![date.to_string(), unit.to_string(), as_of],
                &action,
                |r| self.report_row(r),
            )?
            .pop())
    }

    /// The newest version of a report without its body: (version, content hash, time).
    fn newest_report_head(
        &self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Option<ReportHead>, StoreError> {
        let action = format!("reading the report of {unit} for {date}");
        let found = self
            .conn
            .prepare_cached(
                "SELECT version, content_hash, submitted_at FROM reports \
                 WHERE date = ?1 AND unit = ?2 ORDER BY version DESC LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row(params![date.to_string(), unit.to_string()], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| self.err(&action, e))?;
        found
            .map(|(version, content_hash, at)| {
                let name = format!("reports row ({date} {unit} version {version})");
                Ok(ReportHead {
                    version: u32::try_from(version)
                        .map_err(|_| self.corrupt(&name, "the version is out of range"))?,
                    content_hash,
                    submitted_at: self.time(&name, &at)?,
                })
            })
            .transpose()
    }

    // ----- releases -----

    /// Decodes the columns of [`RELEASE_COLUMNS`].
    fn release_row(&self, r: &Row) -> Result<Release, StoreError> {
        let id: i64 = self.get(r, 0)?;
        let name = backend::release_row_name(id);
        let date: String = self.get(r, 1)?;
        let approved_at: String = self.get(r, 8)?;
        let event_at: Option<String> = self.get(r, 11)?;
        ReleaseRow {
            id,
            date: date.parse().map_err(|e| self.corrupt(&name, e))?,
            content_hash: self.get(r, 2)?,
            basis: self.get(r, 3)?,
            base_version: self.get(r, 4)?,
            errata: self.get(r, 5)?,
            note: self.get(r, 6)?,
            approved_by: self.get(r, 7)?,
            approved_at: self.time(&name, &approved_at)?,
            status: self.get(r, 9)?,
            number: self.get(r, 10)?,
            event_at: event_at.map(|t| self.time(&name, &t)).transpose()?,
            event_by: self.get(r, 12)?,
        }
        .decode(self.loc)
    }

    fn release_by_id(
        &self,
        id: i64,
        with_day: bool,
    ) -> Result<Option<(Release, Option<Day>)>, StoreError> {
        let sql = format!("SELECT {RELEASE_COLUMNS}, r.day {RELEASE_FROM} WHERE r.id = ?1");
        let action = format!("reading release {id}");
        Ok(self
            .rows(&sql, params![id, None::<String>], &action, |r| {
                let rel = self.release_row(r)?;
                let day = if with_day {
                    let text: String = self.get(r, 13)?;
                    Some(backend::json::<Day>(
                        self.loc,
                        backend::release_row_name(id),
                        &text,
                    )?)
                } else {
                    None
                };
                Ok((rel, day))
            })?
            .pop())
    }

    /// The newest day version of a date: (version, content hash).
    fn newest_day_version(&self, date: Date) -> Result<Option<(u32, String)>, StoreError> {
        let action = format!("reading the newest version of {date}");
        self.conn
            .prepare_cached(
                "SELECT version, content_hash FROM day_versions WHERE date = ?1 \
                 ORDER BY version DESC LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([date.to_string()], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
            })
            .map_err(|e| self.err(&action, e))?
            .map(|(v, h)| {
                u32::try_from(v)
                    .map(|v| (v, h))
                    .map_err(|_| self.corrupt(format!("day_versions of {date}"), "bad version"))
            })
            .transpose()
    }

    // ----- tokens -----

    fn token_row(&self, r: &Row) -> Result<Token, StoreError> {
        let id: i64 = self.get(r, 0)?;
        let name = format!("tokens row {id}");
        let created_at: String = self.get(r, 4)?;
        let revoked_at: Option<String> = self.get(r, 5)?;
        TokenRow {
            id,
            role: self.get(r, 1)?,
            unit: self.get(r, 2)?,
            label: self.get(r, 3)?,
            created_at: self.time(&name, &created_at)?,
            revoked_at: revoked_at.map(|t| self.time(&name, &t)).transpose()?,
        }
        .decode(self.loc)
    }

    fn token_where(&self, cond: &str, p: impl rusqlite::Params) -> Result<Vec<Token>, StoreError> {
        let sql = format!(
            "SELECT t.id, t.role, t.unit, t.label, t.created_at, v.revoked_at FROM tokens t \
             LEFT JOIN token_revocations v ON v.token_id = t.id WHERE {cond} ORDER BY t.id"
        );
        self.rows(&sql, p, "reading tokens", |r| self.token_row(r))
    }

    // ----- audit -----

    fn audit_row(&self, r: &Row) -> Result<AuditEntry, StoreError> {
        let seq: i64 = self.get(r, 0)?;
        let at: String = self.get(r, 1)?;
        Ok(AuditEntry {
            seq,
            at: self.time(format!("audit_log entry {seq}"), &at)?,
            actor: Actor {
                token_id: self.get(r, 2)?,
                name: self.get(r, 3)?,
                role: self.get(r, 4)?,
                address: self.get(r, 5)?,
                request_id: self.get(r, 6)?,
            },
            action: self.get(r, 7)?,
            target: self.get(r, 8)?,
            detail: self.get(r, 9)?,
            prev_hash: self.get(r, 10)?,
            hash: self.get(r, 11)?,
        })
    }
}

const RELEASE_COLUMNS: &str = "r.id, r.date, r.content_hash, r.basis, r.base_version, r.errata, \
     r.note, r.approved_by, r.approved_at, e.status, e.number, e.at, e.by_token";

/// `?2` is the as-of time (NULL: now) for the release's event.
const RELEASE_FROM: &str = "FROM releases r LEFT JOIN release_events e ON e.release_id = r.id \
     AND (?2 IS NULL OR e.at <= ?2)";

/// The workflow's primitive operations on an open SQLite transaction.
struct SqliteTx<'a> {
    db: Db<'a>,
    series: write::SeriesIds,
}

impl SqliteTx<'_> {
    /// Runs one statement.
    fn exec(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
        action: impl FnOnce() -> String,
    ) -> Result<(), StoreError> {
        self.db
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(p))
            .map(|_| ())
            .map_err(|e| self.db.err(action(), e))
    }
}

impl WorkflowTx for SqliteTx<'_> {
    fn savepoint(&mut self) -> Result<(), StoreError> {
        self.exec("SAVEPOINT change", [], || "starting a savepoint".into())
    }

    fn release_savepoint(&mut self) -> Result<(), StoreError> {
        self.exec("RELEASE SAVEPOINT change", [], || {
            "releasing a savepoint".into()
        })
    }

    fn rollback_savepoint(&mut self) -> Result<(), StoreError> {
        self.exec("ROLLBACK TO SAVEPOINT change", [], || {
            "rolling back a savepoint".into()
        })?;
        self.release_savepoint()
    }

    fn audit_head(&mut self) -> Result<Option<(i64, String)>, StoreError> {
        self.db
            .conn
            .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .and_then(|mut s| {
                s.query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                    .optional()
            })
            .map_err(|e| self.db.err("reading the audit log's head", e))
    }

    fn write_audit(&mut self, e: &AuditRecord, a: &Actor, at: At) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO audit_log (seq, at, token_id, actor, role, address, request_id, \
             action, target, detail, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                e.seq,
                at.text,
                a.token_id,
                a.name,
                a.role,
                a.address,
                a.request_id,
                e.action,
                e.target,
                e.detail,
                e.prev_hash,
                e.hash
            ],
            || "writing the audit log".into(),
        )
    }

    fn idempotent(
        &mut self,
        token_key: i64,
        key: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        self.db
            .conn
            .prepare_cached(
                "SELECT request_hash, response FROM idempotency WHERE token_id = ?1 AND key = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![token_key, key], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
            })
            .map_err(|e| self.db.err("reading an idempotency key", e))
    }

    fn remember(
        &mut self,
        token_key: i64,
        idem: &IdempotencyKey,
        response: &str,
        at: At,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO idempotency (token_id, key, request_hash, response, at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_key, idem.key, idem.request_hash, response, at.text],
            || "storing an idempotency key".into(),
        )
    }

    fn newest_report_head(
        &mut self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Option<ReportHead>, StoreError> {
        self.db.newest_report_head(date, unit)
    }

    fn insert_report(&mut self, r: NewReport, s: Stamp) -> Result<(), StoreError> {
        let (date, unit) = (r.report.date, r.report.unit);
        let body = backend::encode("encoding a report", r.report)?;
        self.exec(
            "INSERT INTO reports (date, unit, version, reason, submitted_at, token_id, \
             content_hash, body, audit_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                date.to_string(),
                unit.to_string(),
                r.version,
                r.reason,
                s.at.text,
                s.by,
                r.content_hash,
                body,
                s.seq
            ],
            || format!("storing the report of {unit} for {date}"),
        )
    }

    fn insert_cutoff(
        &mut self,
        date: Date,
        cutoff: DateTime<Utc>,
        s: Stamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO cutoffs (date, cutoff, set_at, audit_seq) VALUES (?1, ?2, ?3, ?4)",
            params![date.to_string(), time::format(cutoff), s.at.text, s.seq],
            || format!("setting the cutoff of {date}"),
        )
    }

    fn newest_reports(&mut self, date: Date) -> Result<Vec<BasisEntry>, StoreError> {
        let db = &self.db;
        db.rows(
            "SELECT unit, max(version) FROM reports WHERE date = ?1 GROUP BY unit ORDER BY unit",
            [date.to_string()],
            "reading the reports of a day",
            |r| {
                let unit: String = db.get(r, 0)?;
                let version: i64 = db.get(r, 1)?;
                let name = format!("reports row ({date} {unit})");
                Ok(BasisEntry {
                    unit: unit.parse().map_err(|e| db.corrupt(&name, e))?,
                    version: u32::try_from(version).map_err(|e| db.corrupt(&name, e))?,
                })
            },
        )
    }

    fn newest_day_version(&mut self, date: Date) -> Result<Option<(u32, String)>, StoreError> {
        self.db.newest_day_version(date)
    }

    fn open_releases(&mut self, date: Date) -> Result<Vec<i64>, StoreError> {
        let db = &self.db;
        db.rows(
            "SELECT r.id FROM releases r WHERE r.date = ?1 \
             AND NOT EXISTS (SELECT 1 FROM release_events e WHERE e.release_id = r.id) \
             ORDER BY r.id",
            [date.to_string()],
            "reading the releases of a day",
            |r| db.get::<i64>(r, 0),
        )
    }

    fn supersede(&mut self, ids: &[i64], s: Stamp) -> Result<(), StoreError> {
        for id in ids {
            self.exec(
                "INSERT INTO release_events (release_id, status, number, at, by_token, audit_seq) \
                 VALUES (?1, 'superseded', NULL, ?2, ?3, ?4)",
                params![id, s.at.text, s.by, s.seq],
                || "superseding a release".into(),
            )?;
        }
        Ok(())
    }

    fn insert_release(&mut self, r: NewRelease, s: Stamp) -> Result<i64, StoreError> {
        let date = r.date;
        let day = backend::encode("encoding a release", r.day)?;
        let basis = backend::encode("encoding a release", &r.basis)?;
        let errata = backend::encode("encoding a release", &r.errata)?;
        self.exec(
            "INSERT INTO releases (date, content_hash, day, basis, base_version, errata, note, \
             approved_by, approved_at, audit_seq) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                date.to_string(),
                r.content_hash,
                day,
                basis,
                r.base_version,
                errata,
                r.note,
                s.by,
                s.at.text,
                s.seq
            ],
            || format!("storing a release of {date}"),
        )?;
        Ok(self.db.conn.last_insert_rowid())
    }

    fn release(&mut self, id: i64) -> Result<Option<(Release, Day)>, StoreError> {
        Ok(self
            .db
            .release_by_id(id, true)?
            .and_then(|(r, d)| d.map(|d| (r, d))))
    }

    fn put_day(&mut self, p: &Prepared, at: At) -> Result<u32, StoreError> {
        let db = Db {
            conn: self.db.conn,
            loc: self.db.loc,
        };
        Ok(write::put_one(&db, &mut self.series, p, at.at, at.text)?.version())
    }

    fn insert_publication(&mut self, id: i64, number: u32, s: Stamp) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO release_events (release_id, status, number, at, by_token, audit_seq) \
             VALUES (?1, 'published', ?2, ?3, ?4, ?5)",
            params![id, number, s.at.text, s.by, s.seq],
            || format!("publishing release {id}"),
        )
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>, StoreError> {
        Ok(self.db.token_where("t.hash = ?1", [hash])?.pop())
    }

    fn token_by_id(&mut self, id: i64) -> Result<Option<Token>, StoreError> {
        Ok(self.db.token_where("t.id = ?1", [id])?.pop())
    }

    fn insert_token(&mut self, t: NewToken, s: Stamp) -> Result<i64, StoreError> {
        self.exec(
            "INSERT INTO tokens (hash, role, unit, label, created_at, audit_seq) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                t.hash,
                t.role.name(),
                t.unit.map(|u| u.to_string()),
                t.label,
                s.at.text,
                s.seq
            ],
            || "storing a token".into(),
        )?;
        Ok(self.db.conn.last_insert_rowid())
    }

    fn insert_revocation(&mut self, id: i64, s: Stamp) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO token_revocations (token_id, revoked_at, audit_seq) VALUES (?1, ?2, ?3)",
            params![id, s.at.text, s.seq],
            || format!("revoking token {id}"),
        )
    }

    fn insert_case_segment(
        &mut self,
        part: u32,
        segment: &CaseSegment,
        s: Stamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO case_segments (audit_seq, part, recorded_at, data) \
             VALUES (?1, ?2, ?3, ?4)",
            params![s.seq, part, s.at.text, backend::pack_segment(&segment.data)],
            || format!("storing part {part} of a batch of case events"),
        )
    }
}

impl SqliteStore {
    /// Syncs every commit to the disk (`PRAGMA synchronous=FULL`) on this connection. The
    /// default (`NORMAL`, in WAL mode) keeps every commit through a crash of the process, but
    /// may lose the last ones in a crash of the operating system or a power loss.
    pub fn set_synchronous_full(&self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| db_err(&self.location, "setting PRAGMA synchronous", e))
    }
}

impl ReportingStore for SqliteStore {
    fn apply_changes(
        &mut self,
        changes: &[ChangeRequest],
        at: DateTime<Utc>,
    ) -> Result<Vec<Result<Committed, ChangeError>>, StoreError> {
        let loc = self.location.as_str();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(loc, "starting a transaction", e))?;
        let results = {
            let mut wtx = SqliteTx {
                db: Db { conn: &tx, loc },
                series: write::SeriesIds::default(),
            };
            workflow::apply_batch(&mut wtx, changes, at)?
        };
        tx.commit()
            .map_err(|e| db_err(loc, "committing the changes", e))?;
        Ok(results)
    }

    fn report(
        &self,
        date: Date,
        unit: RegionCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredReport>, StoreError> {
        self.db()
            .newest_report(date, unit, opt_text(as_of.map(time::format)).as_deref())
    }

    fn report_versions(
        &self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Vec<StoredReport>, StoreError> {
        let db = self.db();
        db.rows(
            "SELECT version, reason, submitted_at, token_id, content_hash, body, date, unit \
             FROM reports WHERE date = ?1 AND unit = ?2 ORDER BY version",
            params![date.to_string(), unit.to_string()],
            &format!("reading the reports of {unit} for {date}"),
            |r| db.report_row(r),
        )
    }

    fn day_reports(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<UnitDayReport>, StoreError> {
        let db = self.db();
        db.rows(
            "SELECT r.version, r.reason, r.submitted_at, r.token_id, r.content_hash, r.body, \
                    r.date, r.unit, \
                    (SELECT f.submitted_at FROM reports f WHERE f.date = r.date \
                     AND f.unit = r.unit AND f.version = 1) \
             FROM reports r WHERE r.date = ?1 AND (?2 IS NULL OR r.submitted_at <= ?2) \
             AND NOT EXISTS (SELECT 1 FROM reports w WHERE w.date = r.date AND w.unit = r.unit \
                             AND w.version > r.version \
                             AND (?2 IS NULL OR w.submitted_at <= ?2)) \
             ORDER BY r.unit",
            params![date.to_string(), as_of.map(time::format)],
            &format!("reading the reports of {date}"),
            |r| {
                let newest = db.report_row(r)?;
                let first: String = db.get(r, 8)?;
                Ok(UnitDayReport {
                    first_submitted_at: db.time("reports row (version 1)", &first)?,
                    newest,
                })
            },
        )
    }

    fn unit_reports(&self, unit: RegionCode, span: Span) -> Result<Vec<StoredReport>, StoreError> {
        let db = self.db();
        let (from, to, as_of) = span_params(span);
        db.rows(
            "SELECT r.version, r.reason, r.submitted_at, r.token_id, r.content_hash, r.body, \
                    r.date, r.unit \
             FROM reports r WHERE r.unit = ?1 AND (?2 IS NULL OR r.date >= ?2) \
             AND (?3 IS NULL OR r.date <= ?3) \
             AND (?4 IS NULL OR r.submitted_at <= ?4) \
             AND NOT EXISTS (SELECT 1 FROM reports w WHERE w.unit = r.unit AND w.date = r.date \
                             AND w.version > r.version \
                             AND (?4 IS NULL OR w.submitted_at <= ?4)) \
             ORDER BY r.date",
            params![unit.to_string(), from, to, as_of],
            &format!("reading the reports of {unit}"),
            |r| db.report_row(r),
        )
    }

    fn cutoff(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let db = self.db();
        db.rows(
            "SELECT cutoff FROM cutoffs WHERE date = ?1 AND (?2 IS NULL OR set_at <= ?2) \
             ORDER BY id DESC LIMIT 1",
            params![date.to_string(), as_of.map(time::format)],
            &format!("reading the cutoff of {date}"),
            |r| {
                let t: String = db.get(r, 0)?;
                db.time(format!("cutoffs row of {date}"), &t)
            },
        )
        .map(|mut v| v.pop())
    }

    fn releases(&self, span: Span) -> Result<Vec<Release>, StoreError> {
        let db = self.db();
        let (from, to, as_of) = span_params(span);
        let sql = format!(
            "SELECT {RELEASE_COLUMNS} {RELEASE_FROM} WHERE (?1 IS NULL OR r.date >= ?1) \
             AND (?3 IS NULL OR r.date <= ?3) AND (?2 IS NULL OR r.approved_at <= ?2) \
             ORDER BY r.date, r.id"
        );
        db.rows(&sql, params![from, as_of, to], "reading releases", |r| {
            db.release_row(r)
        })
    }

    fn release(&self, id: i64) -> Result<Option<(Release, Day)>, StoreError> {
        Ok(self
            .db()
            .release_by_id(id, true)?
            .and_then(|(r, d)| d.map(|d| (r, d))))
    }

    fn published_versions(&self, span: Span) -> Result<Vec<VersionInfo>, StoreError> {
        let db = self.db();
        let (from, to, as_of) = span_params(span);
        db.rows(
            "SELECT date, version, source_kind, source_name, source_hash, content_hash, \
                    recorded_at, summary FROM day_versions \
             WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2) \
             AND (?3 IS NULL OR recorded_at <= ?3) ORDER BY date, version",
            params![from, to, as_of],
            "reading the published versions",
            |r| {
                let date: String = db.get(r, 0)?;
                let name = format!("day_versions row of {date}");
                let version: i64 = db.get(r, 1)?;
                let kind: String = db.get(r, 2)?;
                let recorded: String = db.get(r, 6)?;
                Ok(VersionInfo {
                    date: date.parse().map_err(|e| db.corrupt(&name, e))?,
                    version: u32::try_from(version).map_err(|e| db.corrupt(&name, e))?,
                    source: Source {
                        kind: kind.parse().map_err(|e| db.corrupt(&name, e))?,
                        name: db.get(r, 3)?,
                        content_hash: db.get(r, 4)?,
                    },
                    content_hash: db.get(r, 5)?,
                    recorded_at: db.time(&name, &recorded)?,
                    summary: db.get(r, 7)?,
                })
            },
        )
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<Token>, StoreError> {
        Ok(self
            .db()
            .token_where("t.hash = ?1", [hash.to_ascii_lowercase()])?
            .pop())
    }

    fn tokens(&self) -> Result<Vec<Token>, StoreError> {
        self.db().token_where("1", [])
    }

    fn audit_entries(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let db = self.db();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        db.rows(
            "SELECT seq, at, token_id, actor, role, address, request_id, action, target, \
                    detail, prev_hash, hash FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            params![after, limit],
            "reading the audit log",
            |r| db.audit_row(r),
        )
    }

    fn audit_max_reference(&self) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT max(m) FROM (\
                   SELECT max(audit_seq) AS m FROM reports \
                   UNION ALL SELECT max(audit_seq) FROM tokens \
                   UNION ALL SELECT max(audit_seq) FROM token_revocations \
                   UNION ALL SELECT max(audit_seq) FROM cutoffs \
                   UNION ALL SELECT max(audit_seq) FROM releases \
                   UNION ALL SELECT max(audit_seq) FROM release_events \
                   UNION ALL SELECT max(audit_seq) FROM case_segments)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| db_err(&self.location, "reading the audit references", e))
    }

    fn case_segments(
        &self,
        after_seq: i64,
        as_of: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(StoredSegment) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let db = self.db();
        let as_of = opt_text(as_of.map(time::format));
        let action = "reading the case events";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT audit_seq, part, recorded_at, data FROM case_segments \
                 WHERE audit_seq > ?1 AND (?2 IS NULL OR recorded_at <= ?2) \
                 ORDER BY audit_seq, part",
            )
            .map_err(|e| db_err(&self.location, action, e))?;
        let mut rows = stmt
            .query(params![after_seq, as_of])
            .map_err(|e| db_err(&self.location, action, e))?;
        while let Some(r) = rows.next().map_err(|e| db_err(&self.location, action, e))? {
            let audit_seq: i64 = db.get(r, 0)?;
            let part: u32 = db.get(r, 1)?;
            let name = format!("case_segments row ({audit_seq}, {part})");
            let at: String = db.get(r, 2)?;
            f(StoredSegment {
                audit_seq,
                part,
                recorded_at: db.time(&name, &at)?,
                segment: CaseSegment {
                    data: backend::unpack_segment(
                        &self.location,
                        &name,
                        &db.get::<Vec<u8>>(r, 3)?,
                    )?,
                },
            })?;
        }
        Ok(())
    }

    fn idempotent(
        &self,
        token_id: Option<i64>,
        key: &str,
    ) -> Result<Option<(String, Committed)>, StoreError> {
        let db = self.db();
        db.rows(
            "SELECT request_hash, response FROM idempotency WHERE token_id = ?1 AND key = ?2",
            params![epiledger_reporting::rules::idempotency_token(token_id), key],
            "reading an idempotency key",
            |r| {
                let hash: String = db.get(r, 0)?;
                let response: String = db.get(r, 1)?;
                Ok((hash, backend::replayed(key, &response)?))
            },
        )
        .map(|mut v| v.pop())
    }
}
