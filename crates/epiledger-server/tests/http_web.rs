//! What the web pages need of the API, over real HTTP: the dry run of a report (validated as a
//! submission, nothing stored), the compilation's bulletin rendered by the server, the newest
//! releases first, ETags, 304s, `Cache-Control` and gzip of the public reads, problem codes, a
//! clear 404 for a missing asset, and the pages outside the rate limit.

mod common;

use common::{report, Req, TestServer, Tokens};
use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionCode, RegionId};
use epiledger_server::error::PROBLEM_CODES;
use epiledger_server::Config;
use epiledger_store::{Source, SourceKind, Store};
use epiledger_store_sqlite::SqliteStore;
use serde_json::{json, Value};

fn open_config() -> Config {
    Config {
        rate_limit: None,
        ..Config::default()
    }
}

/// Ten published days, 2020-06-10 … 2020-06-19, recorded on 2025-01-01 (bulletins).
fn ten_days(store: &mut SqliteStore) {
    let days: Vec<(Day, Source)> = (10..=19)
        .map(|d| {
            let date: Date = format!("2020-06-{d}").parse().unwrap();
            let mut day = Day::new(date);
            for (region, origin, value) in [
                (RegionCode::NATION, Origin::All, d + 5),
                (RegionCode::NATION, Origin::Local, d),
                (RegionCode::NATION, Origin::Imported, 5),
                ("110000".parse().unwrap(), Origin::Local, d),
            ] {
                day.facts.push(Fact {
                    region: RegionId::Code(region),
                    origin,
                    measure: Measure::ConfirmedNew,
                    value,
                });
            }
            (
                day,
                Source::new(SourceKind::Bulletin, format!("test {d}"), "0".repeat(64)),
            )
        })
        .collect();
    let at = "2025-01-01T00:00:00Z".parse().unwrap();
    store.put_days_at(&days, at).unwrap();
}

/// The number of audit log entries.
fn audit_entries(srv: &TestServer, tok: &Tokens) -> i64 {
    srv.get("/api/v1/audit-log/verify", Some(&tok.admin))
        .expect(200)
        .json()["entries"]
        .as_i64()
        .unwrap()
}

/// The versions of a unit's report of a day.
fn versions(srv: &TestServer, tok: &Tokens, date: &str, unit: &str) -> usize {
    srv.get(
        &format!("/api/v1/reports/{date}/{unit}/versions"),
        Some(&tok.compiler),
    )
    .expect(200)
    .json()["versions"]
        .as_array()
        .unwrap()
        .len()
}

fn dry_run(srv: &TestServer, token: Option<&str>, body: &Value) -> common::Resp {
    srv.post_json("/api/v1/reports?dry_run=true", token, body)
}

fn codes(e: &Value, key: &str) -> Vec<String> {
    e["error"][key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["code"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_dry_run_validates_as_a_submission_and_stores_nothing() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let beijing = tok.reporter("110000");
    let entries = audit_entries(&srv, &tok);

    // A bad report: the same 422 as a submission, every problem with its pointer and code.
    let bad = json!({
        "date": "2023-06-01", "unit": "110000",
        "figures": [
            { "measure": "confirmed_new", "origin": "local", "value": -5 },
            { "measure": "deaths_nwe", "value": 0 },
            { "measure": "suspected_new", "value": 1.5 }
        ]
    });
    let submitted = srv
        .post_json("/api/v1/reports", Some(beijing), &bad)
        .expect_error(422, "invalid_report")
        .json();
    let e = dry_run(&srv, Some(beijing), &bad)
        .expect_error(422, "invalid_report")
        .json();
    assert_eq!(e["error"]["problems"], submitted["error"]["problems"]);
    let problems = e["error"]["problems"].as_array().unwrap();
    let pointers: Vec<&str> = problems
        .iter()
        .map(|p| p["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        ["/figures/0/value", "/figures/1/measure", "/figures/2/value"]
    );
    assert_eq!(
        codes(&e, "problems"),
        ["negative", "unknown_measure", "not_whole"]
    );
    for p in problems {
        assert!(!p["message"].as_str().unwrap().is_empty(), "{p}");
        assert!(!p["expected"].as_str().unwrap().is_empty(), "{p}");
    }

    // As CSV, by row and column.
    let csv = "date,region,origin,measure,value\n\
               2023-06-01,110000,local,confirmed_new,3\n\
               2023-06-01,110000,local,deaths_new,-1\n";
    let e = srv
        .call(
            Req::new("POST", "/api/v1/reports?dry_run=true")
                .token(Some(beijing))
                .body("text/csv", csv),
        )
        .expect_error(422, "invalid_report")
        .json();
    assert_eq!(e["error"]["problems"][0]["row"], 3);
    assert_eq!(e["error"]["problems"][0]["column"], "value");
    assert_eq!(e["error"]["problems"][0]["code"], "negative");

    // A good report: valid, with its (no) warnings, nothing stored.
    let good = report("2023-06-01", "110000", 3, 1, 10);
    let r = dry_run(&srv, Some(beijing), &good).expect(200).json();
    assert_eq!(r["dry_run"], true);
    assert_eq!(r["valid"], true);
    assert_eq!(r["stored"], false);
    assert_eq!(r["submittable"], true);
    assert_eq!(r["warnings"], json!([]));
    assert_eq!(r["date"], "2023-06-01");
    assert_eq!(r["unit"], "110000");
    let good_csv = "date,region,origin,measure,value\n2023-06-01,110000,local,confirmed_new,3\n";
    srv.call(
        Req::new("POST", "/api/v1/reports?dry_run=true")
            .token(Some(beijing))
            .body("text/csv", good_csv),
    )
    .expect(200);
    // `dry_run` is a boolean, as the OpenAPI document says: `1` is refused, nothing stored.
    srv.call(
        Req::new("POST", "/api/v1/reports?dry_run=1")
            .token(Some(beijing))
            .body("text/csv", good_csv),
    )
    .expect_error(400, "invalid_parameter");
    assert_eq!(versions(&srv, &tok, "2023-06-01", "110000"), 0);
    assert_eq!(
        audit_entries(&srv, &tok),
        entries,
        "a dry run writes no audit entry"
    );

    // The content hash is the one the submission stores.
    let stored = srv
        .post_json("/api/v1/reports", Some(beijing), &good)
        .expect(201)
        .json();
    assert_eq!(stored["content_hash"], r["content_hash"]);
    assert_eq!(audit_entries(&srv, &tok), entries + 1);

    // A revision without a reason: the same problem as a submission; the same figures again are
    // `unchanged`.
    let again = dry_run(&srv, Some(beijing), &good).expect(200).json();
    assert_eq!(again["unchanged"], true);
    let revised = report("2023-06-01", "110000", 4, 1, 10);
    let e = dry_run(&srv, Some(beijing), &revised)
        .expect_error(422, "invalid_report")
        .json();
    assert_eq!(e["error"]["problems"][0]["pointer"], "/reason");
    assert_eq!(e["error"]["problems"][0]["code"], "revision_needs_reason");
    let mut with_reason = revised.clone();
    with_reason["reason"] = json!("late laboratory results");
    dry_run(&srv, Some(beijing), &with_reason).expect(200);
    assert_eq!(versions(&srv, &tok, "2023-06-01", "110000"), 1);
    assert_eq!(audit_entries(&srv, &tok), entries + 1);

    // The same authorization as submitting.
    dry_run(&srv, None, &good).expect_error(401, "unauthorized");
    dry_run(&srv, Some(tok.reporter("120000")), &good).expect_error(403, "forbidden");
    dry_run(&srv, Some(&tok.compiler), &good).expect_error(403, "forbidden");
    dry_run(&srv, Some(&tok.admin), &good).expect_error(403, "forbidden");
    srv.post_json("/api/v1/reports?dry_run=maybe", Some(beijing), &good)
        .expect_error(400, "invalid_parameter");
    assert_eq!(audit_entries(&srv, &tok), entries + 1);
}

#[test]
fn a_dry_run_lists_the_warnings_to_acknowledge() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let canton = tok.reporter("440000");
    for d in ["2023-07-01", "2023-07-02", "2023-07-03"] {
        let mut b = report(d, "440000", 2, 0, 10);
        b["figures"].as_array_mut().unwrap().truncate(5);
        srv.post_json("/api/v1/reports", Some(canton), &b)
            .expect(201);
    }
    let mut b = report("2023-07-04", "440000", 900, 0, 10);
    b["figures"].as_array_mut().unwrap().truncate(5);
    let r = dry_run(&srv, Some(canton), &b).expect(200).json();
    assert_eq!(r["valid"], true);
    assert_eq!(r["submittable"], false);
    let ids: Vec<&str> = r["unacknowledged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "plausibility:all:confirmed_new",
            "plausibility:local:confirmed_new"
        ]
    );
    for w in r["warnings"].as_array().unwrap() {
        assert_eq!(w["code"], "implausible_high", "{w}");
        assert!(w["pointer"].as_str().unwrap().starts_with("/figures/"));
    }
    b["acknowledge"] = json!(ids);
    let r = dry_run(&srv, Some(canton), &b).expect(200).json();
    assert_eq!(r["submittable"], true);
    assert_eq!(r["warnings"].as_array().unwrap().len(), 2);
    assert_eq!(versions(&srv, &tok, "2023-07-04", "440000"), 0);
}

#[test]
fn every_problem_has_a_known_code() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let body = json!({
        "date": "2999-01-01", "unit": "110000", "extra": 1,
        "figures": [
            { "measure": "confirmed_new", "origin": "all", "value": "5" },
            { "measure": "confirmed_new", "origin": "abroad", "value": 1 },
            { "value": 3 },
            { "measure": "deaths_new", "value": 1e30 },
            { "measure": "suspected_new", "value": 1,
              "breakdown": [{ "region": "120101", "value": 1 }, { "region": "x" }] }
        ],
        "corrections": [{ "measure": "deaths_cumulative", "kind": "oops" }],
        "reason": 3
    });
    let e = dry_run(&srv, Some(tok.reporter("110000")), &body)
        .expect_error(422, "invalid_report")
        .json();
    let found = codes(&e, "problems");
    assert!(found.len() >= 8, "{e}");
    for c in &found {
        assert!(PROBLEM_CODES.contains(&c.as_str()), "unknown code {c}: {e}");
    }
    let e = srv
        .get("/api/v1/series?measure=nope", None)
        .expect_error(400, "invalid_parameter")
        .json();
    assert_eq!(codes(&e, "problems"), ["invalid_parameter"]);
    // The reporter's form words every code in both languages.
    let form = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../epiledger-web/assets/js/report.js"),
    )
    .unwrap();
    for c in PROBLEM_CODES {
        assert_eq!(
            form.matches(&format!("'code.{c}'")).count(),
            2,
            "report.js words `{c}` in zh and en"
        );
    }
    // The OpenAPI document lists the codes.
    let doc = srv.get("/api/v1/openapi.json", None).expect(200).json();
    let listed = &doc["components"]["schemas"]["Problem"]["allOf"][1]["properties"]["code"]["enum"];
    assert_eq!(listed.as_array().unwrap().len(), PROBLEM_CODES.len());
}

/// Beijing and Tianjin report `date`; returns the compilation.
fn two_units_report(srv: &TestServer, tok: &Tokens, date: &str) -> Value {
    for (unit, local) in [("110000", 7), ("120000", 2)] {
        srv.post_json(
            "/api/v1/reports",
            Some(tok.reporter(unit)),
            &report(date, unit, local, 1, 10),
        )
        .expect(201);
    }
    srv.get(
        &format!("/api/v1/days/{date}/compilation"),
        Some(&tok.compiler),
    )
    .expect(200)
    .json()
}

#[test]
fn the_compilation_bulletin_is_rendered_by_the_publication_renderer() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let day = "2023-09-01";
    let path = format!("/api/v1/days/{day}/compilation/bulletin");

    // Nothing reported: nothing to preview.
    srv.get(&path, Some(&tok.compiler))
        .expect_error(404, "not_found");

    let c = two_units_report(&srv, &tok, day);
    let zh = srv.get(&path, Some(&tok.compiler)).expect(200);
    assert!(zh.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(zh.header("cache-control"), Some("private, no-store"));
    assert_eq!(zh.header("x-epiledger-preview"), Some("true"));
    assert_eq!(zh.header("x-content-hash"), c["content_hash"].as_str());
    assert!(zh.body.contains("2023年9月1日"), "{}", zh.body);
    assert!(zh.body.contains("本土病例9例"), "{}", zh.body);
    let en = srv
        .get(&format!("{path}?lang=en"), Some(&tok.compiler))
        .expect(200);
    assert!(en.body.contains("11 new confirmed cases"), "{}", en.body);
    let json = srv
        .get(&format!("{path}?lang=en&format=json"), Some(&tok.compiler))
        .expect(200)
        .json();
    assert_eq!(json["preview"], true);
    assert_eq!(json["published_at"], Value::Null);
    assert_eq!(json["content_hash"], c["content_hash"]);
    let html = srv
        .get(&format!("{path}?format=html"), Some(&tok.compiler))
        .expect(200);
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(html.body.contains("本土病例9例"));

    // Not public, not for reporters; bad parameters are 400s.
    srv.get(&path, None).expect_error(401, "unauthorized");
    srv.get(&path, Some(tok.reporter("110000")))
        .expect_error(403, "forbidden");
    srv.get(&path, Some(&tok.admin))
        .expect_error(403, "forbidden");
    srv.get(&format!("{path}?lang=fr"), Some(&tok.compiler))
        .expect_error(400, "invalid_parameter");
    srv.get(&format!("{path}?format=pdf"), Some(&tok.compiler))
        .expect_error(400, "invalid_parameter");
    srv.get(
        "/api/v1/days/2023-02-30/compilation/bulletin",
        Some(&tok.compiler),
    )
    .expect_error(400, "invalid_parameter");

    // Published, the bulletin is the preview, word for word.
    let previews: Vec<String> = ["zh", "en"]
        .iter()
        .map(|lang| {
            srv.get(&format!("{path}?lang={lang}"), Some(&tok.compiler))
                .expect(200)
                .body
        })
        .collect();
    let a = srv
        .post_json(
            &format!("/api/v1/days/{day}/releases"),
            Some(&tok.compiler),
            &json!({ "content_hash": c["content_hash"], "accept_discrepancies": true }),
        )
        .expect(201)
        .json();
    let id = a["release"]["id"].as_i64().unwrap();
    srv.call(
        Req::new("POST", &format!("/api/v1/releases/{id}/publish")).token(Some(&tok.compiler)),
    )
    .expect(200);
    for (lang, preview) in ["zh", "en"].iter().zip(previews) {
        let published = srv
            .get(&format!("/api/v1/bulletins/{day}?lang={lang}"), None)
            .expect(200);
        assert_eq!(preview, published.body, "{lang}");
    }
    // After the publication, the compilation would be release 2.
    let next = srv.get(&path, Some(&tok.compiler)).expect(200);
    assert!(next.body.contains("（第2版）"), "{}", next.body);
}

#[test]
fn releases_newest_first_and_limited() {
    let (srv, _tok) = TestServer::start(open_config(), ten_days);
    let all = srv.get("/api/v1/releases", None).expect(200).json();
    let all = all["releases"].as_array().unwrap().clone();
    assert_eq!(all.len(), 10);
    let r = srv
        .get("/api/v1/releases?order=desc&limit=3", None)
        .expect(200)
        .json();
    let newest = r["releases"].as_array().unwrap();
    assert_eq!(newest.len(), 3);
    assert_eq!(newest[0], all[all.len() - 1]);
    assert_eq!(newest[2], all[all.len() - 3]);
    let r = srv
        .get("/api/v1/releases?order=asc&limit=2&from=2020-06-18", None)
        .expect(200)
        .json();
    assert_eq!(r["releases"][0]["date"], "2020-06-18");
    assert_eq!(r["releases"].as_array().unwrap().len(), 2);
    for bad in ["order=up", "limit=0", "limit=10001", "limit=x"] {
        srv.get(&format!("/api/v1/releases?{bad}"), None)
            .expect_error(400, "invalid_parameter");
    }
}

#[test]
fn public_reads_have_validators_caching_and_gzip() {
    let (srv, tok) = TestServer::start(open_config(), ten_days);
    for path in [
        "/api/v1/series?measure=confirmed_new&region=110000",
        "/api/v1/series?measure=confirmed_new&format=csv",
        "/api/v1/facts?from=2020-06-19&to=2020-06-19",
        "/api/v1/facts?from=2020-06-19&to=2020-06-19&format=json",
        "/api/v1/releases?order=desc&limit=5",
        "/api/v1/days/2020-06-19/releases",
        "/api/v1/bulletins/2020-06-19",
    ] {
        let r = srv.get(path, None).expect(200);
        assert_eq!(
            r.header("cache-control"),
            Some("public, no-cache"),
            "{path}"
        );
        let etag = r
            .header("etag")
            .unwrap_or_else(|| panic!("{path}: no ETag"));
        assert!(etag.starts_with("W/\""), "{path}: {etag}");
        let again = srv
            .call(Req::new("GET", path).header("If-None-Match", etag))
            .expect(304);
        assert_eq!(again.body, "", "{path}");
        assert_eq!(again.header("etag"), Some(etag), "{path}");
        srv.call(Req::new("GET", path).header("If-None-Match", "W/\"other\""))
            .expect(200);
    }
    // What was known in the past never changes; a given release is immutable.
    let r = srv
        .get(
            "/api/v1/series?measure=confirmed_new&as_of=2026-01-01T00:00:00Z",
            None,
        )
        .expect(200);
    assert_eq!(r.header("cache-control"), Some("public, max-age=3600"));
    let r = srv
        .get("/api/v1/bulletins/2020-06-19?release=1", None)
        .expect(200);
    assert_eq!(
        r.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // Authenticated and unpublished answers are never stored.
    let r = srv
        .get("/api/v1/days/2020-06-19/releases", Some(&tok.compiler))
        .expect(200);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    let r = srv
        .get("/api/v1/days/2020-06-19/board", Some(&tok.compiler))
        .expect(200);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    let r = srv.get("/api/v1/whoami", None).expect(200);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    let r = srv.get("/api/v1/series?measure=nope", None).expect(400);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    // gzip when the client accepts it.
    let r = srv
        .call(Req::new("GET", "/api/v1/facts").header("Accept-Encoding", "gzip"))
        .expect(200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r
        .header("vary")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    let plain = srv.get("/api/v1/facts", None).expect(200);
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.body.starts_with("date,region,origin,measure,value\n"));
}

#[test]
fn a_missing_asset_is_a_clear_404_and_the_pages_are_not_rate_limited() {
    let (srv, _tok) = TestServer::start(
        Config {
            rate_limit: Some((1, 2)),
            ..Config::default()
        },
        |_| {},
    );
    let e = srv
        .get("/assets/js/nope.js", None)
        .expect_error(404, "not_found")
        .json();
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains("no such asset: js/nope.js"), "{msg}");
    for _ in 0..20 {
        let r = srv.get("/assets/css/app.css", None);
        assert_eq!(r.status, 200);
        assert_eq!(srv.get("/report", None).status, 200);
    }
    let limited = (0..20)
        .map(|_| srv.get("/api/v1/whoami", None).status)
        .filter(|s| *s == 429)
        .count();
    assert!(limited > 0, "the API is still limited");
}
