//! The workflow's primitive operations ([`WorkflowTx`]) on an open PostgreSQL transaction,
//! under the batch's advisory locks.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use epiledger_core::content::Prepared;
use epiledger_core::{Date, Day, RegionCode};
use epiledger_reporting::rules::{AuditRecord, ReportHead};
use postgres::GenericClient;

use crate::read::{Db, SeriesKey};
use crate::reporting::rows::{
    newest_day_version, newest_report_head, release_by_id, token_by_hash, token_row,
};
use crate::{is_retryable, write, PgError};
use epiledger_store::backend::{self, corrupt, opt_text};
use epiledger_store::reports::{Actor, BasisEntry, CaseSegment, IdempotencyKey, Release, Token};
use epiledger_store::workflow::{At, NewRelease, NewReport, NewToken, Stamp, WorkflowTx};
use epiledger_store::StoreError;

/// A transaction of the workflow: the connection, and the series (figure keys) its publications
/// created, kept only for the changes that commit.
pub(super) struct PgTx<'a, 'c, C: GenericClient> {
    pub(super) db: Db<'c, C>,
    /// The series created by the changes released so far.
    pub(super) created: &'a mut HashMap<SeriesKey, i32>,
    /// The series created by the change under way.
    pub(super) pending: HashMap<SeriesKey, i32>,
    pub(super) schema: &'a str,
}

fn int(v: u32, what: &str) -> Result<i32, StoreError> {
    i32::try_from(v).map_err(|_| corrupt("(writing)", what, format!("{v} is out of range")))
}

impl<C: GenericClient> PgTx<'_, '_, C> {
    fn exec(
        &mut self,
        sql: &'static str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
        action: &str,
    ) -> Result<(), StoreError> {
        self.db.execute(sql, params, action).map(|_| ())
    }

    fn returning_id(
        &mut self,
        sql: &'static str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
        action: &str,
        table: &str,
    ) -> Result<i64, StoreError> {
        let rows = self.db.query(sql, params, action)?;
        match rows.first() {
            Some(r) => self.db.get(r, 0),
            None => Err(corrupt(self.db.loc, table, "the insert returned no id")),
        }
    }
}

impl<C: GenericClient> WorkflowTx for PgTx<'_, '_, C> {
    fn savepoint(&mut self) -> Result<(), StoreError> {
        self.pending.clear();
        self.exec("SAVEPOINT change", &[], "starting a savepoint")
    }

    fn release_savepoint(&mut self) -> Result<(), StoreError> {
        self.exec("RELEASE SAVEPOINT change", &[], "releasing a savepoint")?;
        self.created.extend(self.pending.drain());
        Ok(())
    }

    fn rollback_savepoint(&mut self) -> Result<(), StoreError> {
        self.pending.clear();
        self.exec(
            "ROLLBACK TO SAVEPOINT change",
            &[],
            "rolling back a savepoint",
        )?;
        self.exec("RELEASE SAVEPOINT change", &[], "releasing a savepoint")
    }

    /// A deadlock, a serialization failure, or a lost connection.
    fn fails_batch(&self, e: &StoreError) -> bool {
        is_retryable(e)
            || matches!(e, StoreError::Database { source, .. }
                if source.downcast_ref::<PgError>().is_some_and(|e| e.0.is_closed()))
    }

    fn audit_head(&mut self) -> Result<Option<(i64, String)>, StoreError> {
        let rows = self.db.query(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            &[],
            "reading the audit log's head",
        )?;
        match rows.first() {
            Some(r) => Ok(Some((self.db.get(r, 0)?, self.db.get(r, 1)?))),
            None => Ok(None),
        }
    }

    fn write_audit(&mut self, e: &AuditRecord, a: &Actor, at: At) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO audit_log (seq, at, token_id, actor, role, address, request_id, \
             action, target, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &e.seq,
                &at.at,
                &a.token_id,
                &a.name,
                &a.role,
                &a.address,
                &a.request_id,
                &e.action,
                &e.target,
                &e.detail,
                &e.prev_hash,
                &e.hash,
            ],
            "writing the audit log",
        )
    }

    fn idempotent(
        &mut self,
        token_key: i64,
        key: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let rows = self.db.query(
            "SELECT request_hash, response FROM idempotency WHERE token_id = $1 AND key = $2",
            &[&token_key, &key],
            "reading an idempotency key",
        )?;
        match rows.first() {
            Some(r) => Ok(Some((self.db.get(r, 0)?, self.db.get(r, 1)?))),
            None => Ok(None),
        }
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
             VALUES ($1, $2, $3, $4, $5)",
            &[&token_key, &idem.key, &idem.request_hash, &response, &at.at],
            "storing an idempotency key",
        )
    }

    fn newest_report_head(
        &mut self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Option<ReportHead>, StoreError> {
        newest_report_head(&mut self.db, date, unit)
    }

    fn insert_report(&mut self, r: NewReport, s: Stamp) -> Result<(), StoreError> {
        let (date, unit) = (r.report.date, r.report.unit);
        let body = backend::encode("encoding a report", r.report)?;
        let version = int(r.version, "the report's version")?;
        self.exec(
            "INSERT INTO reports (date, unit, version, reason, submitted_at, token_id, \
             content_hash, body, audit_seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9)",
            &[
                &date.naive(),
                &unit.to_string(),
                &version,
                &r.reason,
                &s.at.at,
                &s.by,
                &r.content_hash,
                &body,
                &s.seq,
            ],
            &format!("storing the report of {unit} for {date}"),
        )
    }

    fn insert_cutoff(
        &mut self,
        date: Date,
        cutoff: DateTime<Utc>,
        s: Stamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO cutoffs (date, cutoff, set_at, audit_seq) VALUES ($1, $2, $3, $4)",
            &[&date.naive(), &cutoff, &s.at.at, &s.seq],
            &format!("setting the cutoff of {date}"),
        )
    }

    fn newest_reports(&mut self, date: Date) -> Result<Vec<BasisEntry>, StoreError> {
        let rows = self.db.query(
            "SELECT unit, max(version) FROM reports WHERE date = $1 GROUP BY unit ORDER BY unit",
            &[&date.naive()],
            "reading the reports of a day",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let unit: String = self.db.get(r, 0)?;
            let version: i32 = self.db.get(r, 1)?;
            let name = format!("reports row ({date} {unit})");
            out.push(BasisEntry {
                unit: unit.parse().map_err(|e| self.db.corrupt(&name, e))?,
                version: u32::try_from(version).map_err(|e| self.db.corrupt(&name, e))?,
            });
        }
        Ok(out)
    }

    fn newest_day_version(&mut self, date: Date) -> Result<Option<(u32, String)>, StoreError> {
        newest_day_version(&mut self.db, date)
    }

    fn open_releases(&mut self, date: Date) -> Result<Vec<i64>, StoreError> {
        let rows = self.db.query(
            "SELECT r.id FROM releases r WHERE r.date = $1 \
             AND NOT EXISTS (SELECT 1 FROM release_events e WHERE e.release_id = r.id) \
             ORDER BY r.id",
            &[&date.naive()],
            "reading the releases of a day",
        )?;
        rows.iter().map(|r| self.db.get(r, 0)).collect()
    }

    fn supersede(&mut self, ids: &[i64], s: Stamp) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO release_events (release_id, status, number, at, by_token, audit_seq) \
             SELECT id, 'superseded', NULL, $2, $3, $4 FROM unnest($1::bigint[]) AS id",
            &[&ids, &s.at.at, &s.by, &s.seq],
            "superseding a release",
        )
    }

    fn insert_release(&mut self, r: NewRelease, s: Stamp) -> Result<i64, StoreError> {
        let day = backend::encode("encoding a release", r.day)?;
        let basis = backend::encode("encoding a release", &r.basis)?;
        let errata = backend::encode("encoding a release", &r.errata)?;
        let base_version = r
            .base_version
            .map(|v| int(v, "the base version"))
            .transpose()?;
        self.returning_id(
            "INSERT INTO releases (date, content_hash, day, basis, base_version, errata, note, \
             approved_by, approved_at, audit_seq) \
             VALUES ($1, $2, $3::text::jsonb, $4::text::jsonb, $5, $6::text::jsonb, $7, $8, $9, \
             $10) RETURNING id",
            &[
                &r.date.naive(),
                &r.content_hash,
                &day,
                &basis,
                &base_version,
                &errata,
                &r.note,
                &s.by,
                &s.at.at,
                &s.seq,
            ],
            &format!("storing a release of {}", r.date),
            "releases",
        )
    }

    fn release(&mut self, id: i64) -> Result<Option<(Release, Day)>, StoreError> {
        Ok(release_by_id(&mut self.db, id, true)?.and_then(|(r, d)| d.map(|d| (r, d))))
    }

    fn put_day(&mut self, p: &Prepared, at: At) -> Result<u32, StoreError> {
        let outcome = write::put_batch(
            &mut self.db,
            &mut self.pending,
            self.schema,
            &[(p.day.clone(), p.source.clone())],
            Some(at.at),
        )?;
        match outcome.first() {
            Some(o) => Ok(o.version()),
            None => Err(corrupt(
                self.db.loc,
                "day_versions",
                "the day was not stored",
            )),
        }
    }

    fn insert_publication(&mut self, id: i64, number: u32, s: Stamp) -> Result<(), StoreError> {
        let number = int(number, "the release number")?;
        self.exec(
            "INSERT INTO release_events (release_id, status, number, at, by_token, audit_seq) \
             VALUES ($1, 'published', $2, $3, $4, $5)",
            &[&id, &number, &s.at.at, &s.by, &s.seq],
            &format!("publishing release {id}"),
        )
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>, StoreError> {
        token_by_hash(&mut self.db, hash)
    }

    fn token_by_id(&mut self, id: i64) -> Result<Option<Token>, StoreError> {
        let rows = self.db.query(
            concat!(token_select!(), "WHERE t.id = $1"),
            &[&id],
            "reading tokens",
        )?;
        rows.first().map(|r| token_row(&self.db, r)).transpose()
    }

    fn insert_token(&mut self, t: NewToken, s: Stamp) -> Result<i64, StoreError> {
        self.returning_id(
            "INSERT INTO tokens (hash, role, unit, label, created_at, audit_seq) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &t.hash,
                &t.role.name(),
                &opt_text(t.unit),
                &t.label,
                &s.at.at,
                &s.seq,
            ],
            "storing a token",
            "tokens",
        )
    }

    fn insert_revocation(&mut self, id: i64, s: Stamp) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO token_revocations (token_id, revoked_at, audit_seq) VALUES ($1, $2, $3)",
            &[&id, &s.at.at, &s.seq],
            &format!("revoking token {id}"),
        )
    }

    fn insert_case_segment(
        &mut self,
        part: u32,
        segment: &CaseSegment,
        s: Stamp,
    ) -> Result<(), StoreError> {
        let part_i = i32::try_from(part).unwrap_or(i32::MAX);
        self.exec(
            "INSERT INTO case_segments (audit_seq, part, recorded_at, data) \
             VALUES ($1, $2, $3, $4)",
            &[
                &s.seq,
                &part_i,
                &s.at.at,
                &backend::pack_segment(&segment.data),
            ],
            &format!("storing part {part} of a batch of case events"),
        )
    }
}
