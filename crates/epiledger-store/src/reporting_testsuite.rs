//! The conformance tests of [`ReportingStore`], for every backend (feature `testsuite`).
//!
//! A backend runs them all with [`crate::reporting_testsuite!`], giving a function that calls
//! a test with a fresh, empty store:
//!
//! ```ignore
//! use epiledger_store::ReportingStore;
//! use epiledger_store_sqlite::SqliteStore;
//!
//! fn with_store(test: &mut dyn FnMut(&mut dyn ReportingStore)) {
//!     test(&mut SqliteStore::open_in_memory().unwrap());
//! }
//! epiledger_store::reporting_testsuite!(with_store);
//! # fn main() {}
//! ```

use chrono::{DateTime, Duration, TimeZone, Utc};
use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionCode, RegionId};

use crate::auditlog;
use crate::content;
use crate::reports::*;
use crate::Span;
use epiledger_reporting::validate::{validate_report, Context};

/// Runs every test of the suite, one `#[test]` each.
#[macro_export]
macro_rules! reporting_testsuite {
    ($with_store:path) => {
        $crate::reporting_testsuite!(@tests $with_store;
            tokens_are_created_found_and_revoked,
            reports_are_versioned_with_reasons,
            reports_read_as_of,
            day_and_unit_reports,
            retry_keys_answer_the_first_answer,
            a_failing_change_leaves_the_batch,
            releases_are_approved_and_published,
            stale_approvals_are_refused,
            cutoffs_read_as_of,
            the_audit_log_chains_every_change,
            case_batches_are_stored_and_replayed,
        );
    };
    (@tests $with_store:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $with_store(&mut |store: &mut dyn $crate::ReportingStore| {
                    $crate::reporting_testsuite::$name(store)
                });
            }
        )*
    };
}

/// A fixed time: 2023-01-01 00:00 UTC plus `minutes`.
pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn code(s: &str) -> RegionCode {
    s.parse().unwrap()
}

/// An actor with a token id.
pub fn actor(token_id: Option<i64>) -> Actor {
    Actor {
        token_id,
        name: "test".into(),
        role: "compiler".into(),
        address: "127.0.0.1:1".into(),
        request_id: "req-test".into(),
    }
}

/// A report of `unit` on `day` with new local confirmed cases `n` (and all = imported + local),
/// validated as a submission is.
pub fn report(day: &str, unit: &str, n: i64) -> ValidatedReport {
    let r = raw_report(day, unit, n);
    let today = Date::today(Utc::now());
    match validate_report(&r, None, today, &Context::default()) {
        Ok(v) => v,
        Err(problems) => panic!("the test report is invalid: {problems:?}"),
    }
}

/// [`report`], as written.
pub fn raw_report(day: &str, unit: &str, n: i64) -> Report {
    let fig = |origin, value| ReportFigure {
        measure: Measure::ConfirmedNew,
        origin,
        value,
        breakdown: Vec::new(),
    };
    Report {
        date: date(day),
        unit: code(unit),
        figures: vec![
            fig(Origin::All, n + 1),
            fig(Origin::Imported, 1),
            fig(Origin::Local, n),
        ],
        corrections: Vec::new(),
        acknowledged: Vec::new(),
    }
}

fn submit(report: ValidatedReport, reason: Option<&str>) -> ChangeRequest {
    ChangeRequest {
        change: Change::SubmitReport {
            report,
            reason: reason.map(str::to_string),
        },
        actor: actor(Some(1)),
        idempotency: None,
    }
}

fn one(
    store: &mut dyn ReportingStore,
    req: ChangeRequest,
    at: DateTime<Utc>,
) -> Result<Committed, ChangeError> {
    let mut out = store.apply_changes(&[req], at).unwrap();
    assert_eq!(out.len(), 1);
    out.pop().unwrap()
}

fn version_of(c: &Committed) -> (u32, bool) {
    match &c.applied {
        Applied::Report {
            version, unchanged, ..
        } => (*version, *unchanged),
        other => panic!("not a report: {other:?}"),
    }
}

fn release_of(c: &Committed) -> Release {
    match &c.applied {
        Applied::Release { release } => release.clone(),
        other => panic!("not a release: {other:?}"),
    }
}

fn token_of(c: &Committed) -> Token {
    match &c.applied {
        Applied::Token { token } => token.clone(),
        other => panic!("not a token: {other:?}"),
    }
}

fn create_token(role: Role, unit: Option<&str>, secret: &str) -> ChangeRequest {
    ChangeRequest {
        change: Change::CreateToken {
            hash: token_hash(secret),
            role,
            unit: unit.map(code),
            label: format!("{role} {secret}"),
        },
        actor: actor(None),
        idempotency: None,
    }
}

/// Tokens: created with a hash, found by it, listed, revoked once.
pub fn tokens_are_created_found_and_revoked(store: &mut dyn ReportingStore) {
    let rep = token_of(
        &one(
            store,
            create_token(Role::Reporter, Some("110000"), "elt_a"),
            t(1),
        )
        .unwrap(),
    );
    assert_eq!(rep.role, Role::Reporter);
    assert_eq!(rep.unit, Some(code("110000")));
    let adm = token_of(&one(store, create_token(Role::Admin, None, "elt_b"), t(2)).unwrap());
    assert_ne!(rep.id, adm.id);

    let found = store.token_by_hash(&token_hash("elt_a")).unwrap().unwrap();
    assert_eq!(found, rep);
    assert!(store.token_by_hash(&token_hash("elt_x")).unwrap().is_none());
    assert_eq!(store.tokens().unwrap().len(), 2);

    // Bad bindings and duplicates are refused.
    let e = one(store, create_token(Role::Reporter, None, "elt_c"), t(3)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Invalid(_))),
        "{e}"
    );
    let e = one(
        store,
        create_token(Role::Compiler, Some("110000"), "elt_c"),
        t(3),
    )
    .unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Invalid(_))),
        "{e}"
    );
    let e = one(store, create_token(Role::Admin, None, "elt_b"), t(3)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Conflict(_))),
        "{e}"
    );

    let revoke = |id| ChangeRequest {
        change: Change::RevokeToken { id },
        actor: actor(Some(adm.id)),
        idempotency: None,
    };
    let revoked = token_of(&one(store, revoke(rep.id), t(4)).unwrap());
    assert_eq!(revoked.revoked_at, Some(t(4)));
    assert!(!store
        .token_by_hash(&token_hash("elt_a"))
        .unwrap()
        .unwrap()
        .is_active());
    let e = one(store, revoke(rep.id), t(5)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Conflict(_))),
        "{e}"
    );
    let e = one(store, revoke(999), t(5)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::NotFound(_))),
        "{e}"
    );
    assert_eq!(store.tokens().unwrap().len(), 2);
}

/// Version 1, the same again (unchanged), a revision without a reason (refused), with one.
pub fn reports_are_versioned_with_reasons(store: &mut dyn ReportingStore) {
    let c = one(store, submit(report("2023-01-05", "110000", 3), None), t(1)).unwrap();
    assert_eq!(version_of(&c), (1, false));
    assert!(c.audit_seq.is_some());

    let c = one(store, submit(report("2023-01-05", "110000", 3), None), t(2)).unwrap();
    assert_eq!(version_of(&c), (1, true));
    assert_eq!(c.audit_seq, None);

    let e = one(store, submit(report("2023-01-05", "110000", 4), None), t(3)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::NeedsReason(_))),
        "{e}"
    );
    assert!(e.to_string().contains("reason"), "{e}");
    let e = one(
        store,
        submit(report("2023-01-05", "110000", 4), Some("  ")),
        t(3),
    )
    .unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::NeedsReason(_))),
        "{e}"
    );

    let c = one(
        store,
        submit(report("2023-01-05", "110000", 4), Some("late lab results")),
        t(4),
    )
    .unwrap();
    assert_eq!(version_of(&c), (2, false));

    let versions = store
        .report_versions(date("2023-01-05"), code("110000"))
        .unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version, 1);
    assert_eq!(versions[0].reason, None);
    assert_eq!(
        versions[0].report.get(Origin::Local, Measure::ConfirmedNew),
        Some(3)
    );
    assert_eq!(versions[1].reason.as_deref(), Some("late lab results"));
    assert_eq!(versions[1].submitted_at, t(4));
    assert_eq!(versions[1].submitted_by, Some(1));
    assert_eq!(
        versions[1].content_hash,
        report("2023-01-05", "110000", 4).content_hash()
    );
    let newest = store
        .report(date("2023-01-05"), code("110000"), None)
        .unwrap()
        .unwrap();
    assert_eq!(newest, versions[1]);
    assert!(store
        .report(date("2023-01-05"), code("120000"), None)
        .unwrap()
        .is_none());
}

/// Reads as of a time answer with what was stored then.
pub fn reports_read_as_of(store: &mut dyn ReportingStore) {
    one(
        store,
        submit(report("2023-01-05", "110000", 3), None),
        t(10),
    )
    .unwrap();
    one(
        store,
        submit(report("2023-01-05", "110000", 5), Some("fix")),
        t(20),
    )
    .unwrap();
    let (d, u) = (date("2023-01-05"), code("110000"));
    assert!(store.report(d, u, Some(t(9))).unwrap().is_none());
    assert_eq!(store.report(d, u, Some(t(10))).unwrap().unwrap().version, 1);
    assert_eq!(store.report(d, u, Some(t(19))).unwrap().unwrap().version, 1);
    assert_eq!(store.report(d, u, Some(t(20))).unwrap().unwrap().version, 2);
    assert_eq!(
        store.day_reports(d, Some(t(15))).unwrap()[0].newest.version,
        1
    );
    assert!(store.day_reports(d, Some(t(5))).unwrap().is_empty());
}

/// The newest report of each unit for a day, and of a unit over days.
pub fn day_and_unit_reports(store: &mut dyn ReportingStore) {
    let batch = vec![
        submit(report("2023-01-05", "120000", 1), None),
        submit(report("2023-01-05", "110000", 2), None),
        submit(report("2023-01-04", "110000", 7), None),
        submit(report("2023-01-06", "110000", 8), None),
    ];
    for r in store.apply_changes(&batch, t(1)).unwrap() {
        r.unwrap();
    }
    one(
        store,
        submit(report("2023-01-05", "110000", 9), Some("again")),
        t(2),
    )
    .unwrap();
    let day = store.day_reports(date("2023-01-05"), None).unwrap();
    let units: Vec<String> = day
        .iter()
        .map(|r| r.newest.report.unit.to_string())
        .collect();
    assert_eq!(units, ["110000", "120000"]);
    assert_eq!(day[0].newest.version, 2);
    assert_eq!(day[0].first_submitted_at, t(1));
    let days = store
        .unit_reports(
            code("110000"),
            Span::new(Some(date("2023-01-04")), Some(date("2023-01-05")), None),
        )
        .unwrap();
    let got: Vec<(String, u32)> = days
        .iter()
        .map(|r| (r.report.date.to_string(), r.version))
        .collect();
    assert_eq!(
        got,
        [("2023-01-04".to_string(), 1), ("2023-01-05".to_string(), 2)]
    );
}

/// A retry key answers the first answer and stores nothing twice; reused for another
/// request, it is refused.
pub fn retry_keys_answer_the_first_answer(store: &mut dyn ReportingStore) {
    let with_key = |r: ValidatedReport, reason: Option<&str>, hash: &str| {
        let mut req = submit(r, reason);
        req.idempotency = Some(IdempotencyKey {
            key: "k-1".into(),
            request_hash: hash.into(),
        });
        req
    };
    let first = one(
        store,
        with_key(report("2023-01-05", "110000", 3), None, "h1"),
        t(1),
    )
    .unwrap();
    assert!(!first.replayed);
    let again = one(
        store,
        with_key(report("2023-01-05", "110000", 3), None, "h1"),
        t(2),
    )
    .unwrap();
    assert!(again.replayed);
    assert_eq!(again.applied, first.applied);
    assert_eq!(again.audit_seq, first.audit_seq);
    assert_eq!(
        store
            .report_versions(date("2023-01-05"), code("110000"))
            .unwrap()
            .len(),
        1
    );
    let (hash, stored) = store.idempotent(Some(1), "k-1").unwrap().unwrap();
    assert_eq!(hash, "h1");
    assert_eq!(stored.applied, first.applied);
    // The same key for another request.
    let e = one(
        store,
        with_key(report("2023-01-05", "110000", 4), Some("x"), "h2"),
        t(3),
    )
    .unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::IdempotencyMismatch(_))),
        "{e}"
    );
    // Keys are per token.
    let mut other = with_key(report("2023-01-06", "110000", 4), None, "h3");
    other.actor.token_id = Some(2);
    assert!(!one(store, other, t(4)).unwrap().replayed);
    assert_eq!(auditlog::verify(store).unwrap().entries, 2);
}

/// In a batch, a refused change is rolled back alone.
pub fn a_failing_change_leaves_the_batch(store: &mut dyn ReportingStore) {
    one(store, submit(report("2023-01-05", "110000", 3), None), t(1)).unwrap();
    let batch = vec![
        submit(report("2023-01-05", "120000", 1), None),
        submit(report("2023-01-05", "110000", 4), None), // no reason: refused
        ChangeRequest {
            change: Change::PublishRelease { id: 42 },
            actor: actor(Some(1)),
            idempotency: None,
        },
        submit(report("2023-01-05", "130000", 1), None),
    ];
    let out = store.apply_changes(&batch, t(2)).unwrap();
    assert!(out[0].is_ok());
    assert!(matches!(
        out[1],
        Err(ChangeError::Refused(Refusal::NeedsReason(_)))
    ));
    assert!(matches!(
        out[2],
        Err(ChangeError::Refused(Refusal::NotFound(_)))
    ));
    assert!(out[3].is_ok());
    assert_eq!(
        store.day_reports(date("2023-01-05"), None).unwrap().len(),
        3
    );
    let v = auditlog::verify(store).unwrap();
    assert!(v.is_ok(), "{v:?}");
    assert_eq!(v.entries, 3);
}

fn compiled(day: &str, n: i64) -> Day {
    let mut d = Day::new(date(day));
    d.facts.push(Fact {
        region: RegionId::NATION,
        origin: Origin::Local,
        measure: Measure::ConfirmedNew,
        value: n,
    });
    d
}

fn approve(day: &str, n: i64, basis: Vec<BasisEntry>, base: Option<u32>) -> ChangeRequest {
    ChangeRequest {
        change: Change::ApproveRelease {
            date: date(day),
            day: compiled(day, n),
            basis,
            base_version: base,
            errata: Vec::new(),
            note: None,
        },
        actor: actor(Some(7)),
        idempotency: None,
    }
}

fn publish(id: i64) -> ChangeRequest {
    ChangeRequest {
        change: Change::PublishRelease { id },
        actor: actor(Some(7)),
        idempotency: None,
    }
}

fn basis(unit: &str, version: u32) -> Vec<BasisEntry> {
    vec![BasisEntry {
        unit: code(unit),
        version,
    }]
}

/// Approve, publish (a day version appears), revise and publish again with errata.
pub fn releases_are_approved_and_published(store: &mut dyn ReportingStore) {
    let d = date("2023-01-05");
    one(store, submit(report("2023-01-05", "110000", 3), None), t(1)).unwrap();
    let r1 = release_of(
        &one(
            store,
            approve("2023-01-05", 3, basis("110000", 1), None),
            t(2),
        )
        .unwrap(),
    );
    assert_eq!(r1.status, ReleaseStatus::Approved);
    assert_eq!(r1.number, None);
    assert_eq!(
        r1.content_hash,
        content::content_hash(&compiled("2023-01-05", 3))
    );
    // Nothing is public before publication.
    assert!(store.day(d, None).unwrap().is_none());

    let p1 = release_of(&one(store, publish(r1.id), t(3)).unwrap());
    assert_eq!(p1.status, ReleaseStatus::Published);
    assert_eq!(p1.number, Some(1));
    assert_eq!(p1.published_at, Some(t(3)));
    let public = store.day(d, None).unwrap().unwrap();
    assert_eq!(public.day, compiled("2023-01-05", 3));
    assert_eq!(public.version, 1);
    assert_eq!(public.content_hash, r1.content_hash);
    let e = one(store, publish(r1.id), t(4)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Conflict(_))),
        "{e}"
    );

    // A revision after publication: a new release with errata.
    one(
        store,
        submit(report("2023-01-05", "110000", 4), Some("late results")),
        t(5),
    )
    .unwrap();
    let mut req = approve("2023-01-05", 4, basis("110000", 2), Some(1));
    if let Change::ApproveRelease { errata, .. } = &mut req.change {
        errata.push(Erratum {
            region: RegionId::NATION,
            origin: Origin::Local,
            measure: Measure::ConfirmedNew,
            old: Some(3),
            new: Some(4),
            reason: "110000: late results".into(),
        });
    }
    let r2 = release_of(&one(store, req, t(6)).unwrap());
    let p2 = release_of(&one(store, publish(r2.id), t(7)).unwrap());
    assert_eq!(p2.number, Some(2));
    assert_eq!(p2.errata.len(), 1);
    assert_eq!(store.day(d, None).unwrap().unwrap().version, 2);
    assert_eq!(store.day(d, Some(t(6))).unwrap().unwrap().version, 1);

    let all = store.releases(Span::new(Some(d), Some(d), None)).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].errata[0].old, Some(3));
    assert_eq!(all[1].status, ReleaseStatus::Published);
    // As of before the second publication, release 2 was approved only.
    let then = store
        .releases(Span::new(Some(d), Some(d), Some(t(6))))
        .unwrap();
    assert_eq!(then[1].status, ReleaseStatus::Approved);
    assert_eq!(then[1].published_at, None);
    assert_eq!(
        store
            .releases(Span::new(None, None, Some(t(2))))
            .unwrap()
            .len(),
        1
    );

    let (rel, day) = store.release(r2.id).unwrap().unwrap();
    assert_eq!(rel, p2);
    assert_eq!(day, compiled("2023-01-05", 4));
    let versions = store
        .published_versions(Span::new(Some(d), Some(d), None))
        .unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].content_hash, r2.content_hash);
    assert_eq!(
        store
            .published_versions(Span::new(Some(d), Some(d), Some(t(3))))
            .unwrap()
            .len(),
        1
    );
}

/// An approval of reports that changed since, or of an unchanged day, is refused; a newer
/// approval supersedes an unpublished one.
pub fn stale_approvals_are_refused(store: &mut dyn ReportingStore) {
    one(store, submit(report("2023-01-05", "110000", 3), None), t(1)).unwrap();
    let e = one(store, approve("2023-01-05", 3, vec![], None), t(2)).unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Conflict(_))),
        "{e}"
    );
    let e = one(
        store,
        approve("2023-01-05", 3, basis("110000", 1), Some(1)),
        t(2),
    )
    .unwrap_err();
    assert!(
        matches!(e, ChangeError::Refused(Refusal::Conflict(_))),
        "{e}"
    );

    let a = release_of(
        &one(
            store,
            approve("2023-01-05", 3, basis("110000", 1), None),
            t(3),
        )
        .unwrap(),
    );
    let b = release_of(
        &one(
            store,
            approve("2023-01-05", 5, basis("110000", 1), None),
            t(4),
        )
        .unwrap(),
    );
    let e = one(store, publish(a.id), t(5)).unwrap_err();
    assert!(e.to_string().contains("superseded"), "{e}");
    release_of(&one(store, publish(b.id), t(6)).unwrap());
    let statuses: Vec<ReleaseStatus> = store
        .releases(Span::all())
        .unwrap()
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses,
        [ReleaseStatus::Superseded, ReleaseStatus::Published]
    );
    // The same content again is nothing to release.
    let e = one(
        store,
        approve("2023-01-05", 5, basis("110000", 1), Some(1)),
        t(7),
    )
    .unwrap_err();
    assert!(e.to_string().contains("nothing to release"), "{e}");
}

/// The newest cutoff set at or before the time asked.
pub fn cutoffs_read_as_of(store: &mut dyn ReportingStore) {
    let d = date("2023-01-05");
    assert_eq!(store.cutoff(d, None).unwrap(), None);
    let set = |cutoff| ChangeRequest {
        change: Change::SetCutoff { date: d, cutoff },
        actor: actor(Some(7)),
        idempotency: None,
    };
    one(store, set(t(100)), t(1)).unwrap();
    one(store, set(t(200)), t(2)).unwrap();
    assert_eq!(store.cutoff(d, None).unwrap(), Some(t(200)));
    assert_eq!(store.cutoff(d, Some(t(1))).unwrap(), Some(t(100)));
    assert_eq!(store.cutoff(d, Some(t(0))).unwrap(), None);
}

/// Every stored change has an audit entry with who, what, when and where, chained by hash.
pub fn the_audit_log_chains_every_change(store: &mut dyn ReportingStore) {
    assert!(auditlog::verify(store).unwrap().is_ok());
    assert_eq!(auditlog::verify(store).unwrap().head, None);
    one(store, create_token(Role::Admin, None, "elt_z"), t(1)).unwrap();
    one(store, submit(report("2023-01-05", "110000", 3), None), t(2)).unwrap();
    one(store, submit(report("2023-01-05", "110000", 3), None), t(3)).unwrap(); // unchanged
    let entries = store.audit_entries(0, 100).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].seq, 1);
    assert_eq!(entries[0].prev_hash, auditlog::GENESIS_HASH);
    assert_eq!(entries[0].action, "token.create");
    assert_eq!(entries[1].action, "report.submit");
    assert_eq!(entries[1].target, "2023-01-05/110000");
    assert_eq!(entries[1].actor, actor(Some(1)));
    assert_eq!(entries[1].at, t(2));
    assert_eq!(entries[1].prev_hash, entries[0].hash);
    assert_eq!(entries[1].hash, auditlog::expected_hash(&entries[1]));
    assert_eq!(store.audit_entries(1, 100).unwrap().len(), 1);
    assert_eq!(store.audit_max_reference().unwrap(), Some(2));
    let v = auditlog::verify(store).unwrap();
    assert!(v.is_ok());
    assert_eq!(v.head, Some((2, entries[1].hash.clone())));

    // The verifier catches an edited entry.
    let mut edited = entries.clone();
    edited[0].target = "token/99".into();
    let mut verifier = auditlog::Verifier::default();
    assert!(!verifier.push(&edited[0]));
    assert_eq!(verifier.finish().broken.unwrap().seq, 1);
    // … and a deleted one.
    let mut verifier = auditlog::Verifier::default();
    assert!(!verifier.push(&entries[1]));
    let broken = verifier.finish().broken.unwrap();
    assert_eq!(broken.seq, 1);
    assert!(broken.problem.contains("missing"), "{}", broken.problem);
}

/// A batch of case events as the interchange CSV: `n` cards of Hubei recorded on 2022-04-02,
/// their ids from `first`.
fn case_batch(first: u64, n: u64) -> (u64, Vec<u8>) {
    let mut csv = String::from(
        "event,recorded,author,unit,type,card,disease,classification,severity,origin,residence,\
         institution,report,audit\n",
    );
    for i in first..first + n {
        csv.push_str(&format!(
            "{i},2022-04-02T09:30:00+08:00,cdc,420000,card,A{i},COVID-19,confirmed,mild,local,\
             420106,420106,2022-04-02,2022-04-02\n"
        ));
    }
    (n, csv.into_bytes())
}

fn record_cases(first: u64, n: u64, segment_bytes: usize) -> ChangeRequest {
    let (events, data) = case_batch(first, n);
    // Cut into parts after a line end, as a store keeps them.
    let mut parts = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let mut end = (start + segment_bytes).min(data.len());
        while end < data.len() && data[end - 1] != b'\n' {
            end += 1;
        }
        parts.push(CaseSegment {
            data: data[start..end].to_vec(),
        });
        start = end;
    }
    ChangeRequest {
        change: Change::RecordCases {
            batch: CaseBatch {
                events,
                units: vec![code("420000")],
                source: std::sync::Arc::new(std::sync::Mutex::new(SegmentsInMemory::new(parts))),
            },
        },
        actor: actor(None),
        idempotency: None,
    }
}

/// A batch of case events is stored as its segments under one audit entry that gives their
/// hash, read back in order, as of a time; a read of a card is an audit entry; the register
/// rebuilt from the store holds every event.
pub fn case_batches_are_stored_and_replayed(store: &mut dyn ReportingStore) {
    let r = store
        .apply_changes(&[record_cases(1, 300, 4096)], t(0))
        .unwrap();
    let c = r[0].as_ref().unwrap();
    let Applied::Cases {
        events,
        segments,
        bytes,
        sha256,
    } = &c.applied
    else {
        panic!("{c:?}")
    };
    assert_eq!(*events, 300);
    assert!(*segments > 1, "{segments}");
    let (_, whole) = case_batch(1, 300);
    assert_eq!(*bytes, whole.len() as u64);
    use sha2::Digest;
    assert_eq!(sha256, &hex::encode(sha2::Sha256::digest(&whole)));
    let first = c.audit_seq.unwrap();
    store
        .apply_changes(&[record_cases(301, 5, 1 << 20)], t(10))
        .unwrap()[0]
        .as_ref()
        .unwrap();
    // An empty batch stores nothing.
    let empty = store
        .apply_changes(&[record_cases(1, 0, 10)], t(11))
        .unwrap();
    assert!(
        matches!(empty[0], Err(ChangeError::Refused(_))),
        "{empty:?}"
    );

    let mut read = Vec::new();
    store
        .case_segments(0, None, &mut |s| {
            read.push((s.audit_seq, s.part, s.segment.data));
            Ok(())
        })
        .unwrap();
    let batch1: Vec<u8> = read
        .iter()
        .filter(|(seq, _, _)| *seq == first)
        .flat_map(|(_, _, d)| d.clone())
        .collect();
    assert_eq!(
        batch1, whole,
        "the parts of a batch, in order, are the batch"
    );
    assert_eq!(read.last().unwrap().0, first + 1);
    // As of a time before the second batch; after the first batch's entry.
    let mut n = 0;
    store
        .case_segments(0, Some(t(5)), &mut |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(n, *segments as usize);
    let mut later = Vec::new();
    store
        .case_segments(first, None, &mut |s| {
            later.push(s.audit_seq);
            Ok(())
        })
        .unwrap();
    assert_eq!(later, vec![first + 1]);

    // The register rebuilt from the store.
    let loaded = crate::cases::load(&*store, None, &mut |_| {}).unwrap();
    assert_eq!((loaded.events, loaded.register.cards()), (305, 305));
    assert_eq!(loaded.last_seq, first + 1);
    let old = crate::cases::load(&*store, Some(t(5)), &mut |_| {}).unwrap();
    assert_eq!(old.register.cards(), 300);

    // A read of a card is an audit entry; the chain and its references verify.
    let read = ChangeRequest {
        change: Change::ReadCase {
            card: "420000:A1".into(),
        },
        actor: actor(None),
        idempotency: None,
    };
    let c = store.apply_changes(&[read], t(20)).unwrap();
    assert!(matches!(
        c[0].as_ref().unwrap().applied,
        Applied::CaseRead { .. }
    ));
    let entries = store.audit_entries(0, 100).unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["cases.record", "cases.record", "case.read"]);
    assert!(entries[0].detail.contains(sha256.as_str()));
    assert_eq!(store.audit_max_reference().unwrap(), Some(first + 1));
    let v = auditlog::verify(&*store).unwrap();
    assert!(v.broken.is_none(), "{v:?}");
}
