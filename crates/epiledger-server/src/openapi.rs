//! The OpenAPI 3 document of `/api/v1`, served at `/api/v1/openapi.json`.

use epiledger_core::Measure;
use serde_json::{json, Value};

/// Every path of the API (under `/api/v1`) with its methods; a test checks the document and
/// the router agree.
pub const PATHS: &[(&str, &[&str])] = &[
    ("/openapi.json", &["get"]),
    ("/whoami", &["get"]),
    ("/reports", &["post"]),
    ("/reports/{date}/{unit}", &["get"]),
    ("/reports/{date}/{unit}/versions", &["get"]),
    ("/days/{date}/board", &["get"]),
    ("/days/{date}/compilation", &["get"]),
    ("/days/{date}/compilation/bulletin", &["get"]),
    ("/days/{date}/cutoff", &["put"]),
    ("/days/{date}/releases", &["get", "post"]),
    ("/releases", &["get"]),
    ("/releases/{id}/publish", &["post"]),
    ("/bulletins/{date}", &["get"]),
    ("/series", &["get"]),
    ("/facts", &["get"]),
    ("/tokens", &["get", "post"]),
    ("/tokens/{id}", &["delete"]),
    ("/audit-log", &["get"]),
    ("/audit-log/verify", &["get"]),
];

fn param(name: &str, place: &str, required: bool, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": place, "required": required, "description": description,
            "schema": schema })
}

fn s() -> Value {
    json!({ "type": "string" })
}

fn date_path() -> Value {
    param(
        "date",
        "path",
        true,
        "The reporting day, YYYY-MM-DD (Beijing time, 0–24h).",
        json!({ "type": "string", "format": "date" }),
    )
}

fn as_of() -> Value {
    param(
        "as_of",
        "query",
        false,
        "Answer with what was known at this time (RFC 3339), e.g. 2023-01-06T08:00:00Z.",
        json!({ "type": "string", "format": "date-time" }),
    )
}

fn idem() -> Value {
    param(
        "Idempotency-Key",
        "header",
        false,
        "A retry key: a repeated request with the same key from the same token returns the \
           first answer and stores nothing twice.",
        s(),
    )
}

fn errors(codes: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for c in codes {
        m.insert(
            (*c).to_string(),
            json!({ "description": "An error.", "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Error" } } } }),
        );
    }
    Value::Object(m)
}

fn op(
    summary: &str,
    roles: &str,
    params: Vec<Value>,
    body: Option<Value>,
    ok: (&str, &str),
    errs: &[&str],
) -> Value {
    let mut responses = errors(errs);
    responses[ok.0] = json!({ "description": ok.1 });
    let mut o = json!({
        "summary": summary,
        "description": format!("Who may call it: {roles}."),
        "parameters": params,
        "responses": responses,
    });
    if roles != "anyone" {
        o["security"] = json!([{ "bearer": [] }]);
    }
    if let Some(b) = body {
        o["requestBody"] = b;
    }
    o
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

fn components(measures: &[&str]) -> Value {
    json!({
      "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer",
        "description": "An API token, `elt_` and 64 hex digits (`epiledger token create`)." } },
      "schemas": {
        "Error": { "type": "object", "properties": { "error": { "type": "object",
          "required": ["status", "code", "message", "request_id"],
          "properties": {
            "status": { "type": "integer" }, "code": { "type": "string" },
            "message": { "type": "string" }, "request_id": { "type": "string" },
            "problems": { "type": "array", "items": { "$ref": "#/components/schemas/Problem" } },
            "warnings": { "type": "array", "items": { "$ref": "#/components/schemas/Warning" } }
          } } } },
        "Problem": { "type": "object", "description": "What kind of problem (`code`, stable, \
          for a client to word in its language), where (a JSON `pointer`, a CSV `row` \
          and `column`, or a `parameter`), what is wrong (`message`, English) and what would be \
          right (`expected`).", "required": ["code", "message"], "properties": {
            "code": { "type": "string", "enum": crate::error::PROBLEM_CODES },
            "pointer": { "type": "string" }, "row": { "type": "integer" },
            "column": { "type": "string" }, "parameter": { "type": "string" },
            "message": { "type": "string" }, "expected": { "type": "string" } } },
        "Warning": { "type": "object", "properties": { "id": { "type": "string" },
            "code": { "type": "string", "enum": crate::error::PROBLEM_CODES },
            "pointer": { "type": "string" }, "row": { "type": "integer" },
            "column": { "type": "string" }, "message": { "type": "string" } } },
        "Measure": { "type": "string", "enum": measures },
        "Origin": { "type": "string", "enum": ["all", "imported", "local"] },
        "Report": { "type": "object", "required": ["date", "unit", "figures"],
          "additionalProperties": false, "properties": {
            "date": { "type": "string", "format": "date" },
            "unit": { "type": "string", "description": "A reporting unit's code (110000…660000); 100000 for the compilers' national figures." },
            "figures": { "type": "array", "minItems": 1, "items": { "type": "object",
              "required": ["measure", "value"], "additionalProperties": false, "properties": {
                "measure": { "$ref": "#/components/schemas/Measure" },
                "origin": { "$ref": "#/components/schemas/Origin" },
                "value": { "type": "integer", "minimum": 0,
                  "description": "Whole, not negative (severe_change may be)." },
                "breakdown": { "type": "array", "items": { "type": "object",
                  "required": ["region", "value"], "properties": {
                    "region": { "type": "string", "description": "A prefecture or district inside the unit." },
                    "value": { "type": "integer", "minimum": 0 } } } } } } },
            "corrections": { "type": "array", "items": { "type": "object", "properties": {
              "measure": { "$ref": "#/components/schemas/Measure" },
              "origin": { "$ref": "#/components/schemas/Origin" },
              "kind": { "type": "string", "enum": ["reduce", "increase", "revise"] },
              "delta": { "type": "integer" }, "restated": { "type": "integer" },
              "refers_to": { "type": "string", "format": "date" },
              "reason": { "type": "string" } } } },
            "reason": { "type": "string", "description": "Required for a revision." },
            "acknowledge": { "type": "array", "items": { "type": "string" },
              "description": "Ids of plausibility warnings the reporter acknowledges." } } }
      }
    })
}

/// The document.
pub fn document() -> Value {
    let measures: Vec<&str> = Measure::ALL.iter().map(|m| m.name()).collect();
    let read_errs = &["400", "401", "403", "404", "429"];
    let write_errs = &[
        "400", "401", "403", "404", "409", "413", "415", "422", "429", "503",
    ];
    let components = components(&measures);
    let mut paths = serde_json::Map::new();
    paths.insert("/openapi.json".into(), json!({ "get": op("This document.", "anyone", vec![], None, ("200", "The OpenAPI document."), &[]) }));
    paths.insert("/whoami".into(), json!({ "get": op("The role and unit of the token sent.", "anyone", vec![], None, ("200", "The principal."), &["401"]) }));
    paths.insert("/reports".into(), json!({ "post": op(
            "Submit a unit's report of a day (JSON, or CSV date,region,origin,measure,value). \
             Validated whole: stored whole or rejected whole with every problem.",
            "a reporter for its own unit; a compiler for the national figures (100000)",
            vec![idem(),
                 param("reason", "query", false, "The reason of a revision (CSV; JSON may give it in the body).", s()),
                 param("acknowledge", "query", false, "Warning ids acknowledged, comma-separated.", s()),
                 param("dry_run", "query", false,
                   "true: validate exactly as a submission would (same rules, same 422 with every \
                    problem, the warnings) and store nothing: no version, no audit entry. A valid \
                    report answers 200 with `valid`, `warnings`, `unacknowledged` and \
                    `submittable`.",
                   json!({ "type": "boolean", "default": false }))],
            Some(json!({ "required": true, "content": {
              "application/json": { "schema": { "$ref": "#/components/schemas/Report" } },
              "text/csv": { "schema": { "type": "string" } } } })),
            ("201", "Stored: date, unit, version, content_hash, submitted_at (200 when it equals the newest version, for a replayed Idempotency-Key, or for a dry run: {dry_run, valid, stored: false, content_hash, unchanged, warnings, unacknowledged, submittable})."),
            write_errs) }));
    paths.insert(
        "/reports/{date}/{unit}".into(),
        json!({ "get": op("A unit's newest report of a day.",
            "a reporter for its own unit; a compiler",
            vec![date_path(), param("unit", "path", true, "The unit's code.", s()), as_of()],
            None, ("200", "The report."), read_errs) }),
    );
    paths.insert(
        "/reports/{date}/{unit}/versions".into(),
        json!({ "get": op("Every version of a unit's report of a day, with reasons.",
            "a reporter for its own unit; a compiler",
            vec![date_path(), param("unit", "path", true, "The unit's code.", s()), as_of()],
            None, ("200", "The versions, oldest first."), read_errs) }),
    );
    paths.insert("/days/{date}/board".into(), json!({ "get": op("The completeness board: which units reported on time, late, or are missing.",
            "a compiler", vec![date_path(), as_of()], None, ("200", "The board."), read_errs) }));
    paths.insert("/days/{date}/compilation".into(), json!({ "get": op(
            "The national compilation: sums over the units' newest reports, discrepancies with \
             national figures, identity checks, errata against the current publication, and the \
             content hash to approve.",
            "a compiler", vec![date_path(), as_of()], None, ("200", "The compilation."), read_errs) }));
    paths.insert("/days/{date}/compilation/bulletin".into(), json!({ "get": op(
            "A preview of the bulletin the current compilation would publish, rendered by the \
             same renderer as a publication (with the errata a revision would carry). Never \
             cached; `X-Content-Hash` names the compilation rendered.",
            "a compiler",
            vec![date_path(),
                 param("lang", "query", false, "zh (default) or en.", json!({ "type": "string", "enum": ["zh", "en"] })),
                 param("format", "query", false, "text (default), json or html.", json!({ "type": "string", "enum": ["text", "json", "html"] })),
                 as_of()],
            None, ("200", "The preview (404 when no unit has reported the day)."), read_errs) }));
    paths.insert(
        "/days/{date}/cutoff".into(),
        json!({ "put": op("Set the day's cutoff.", "a compiler",
            vec![date_path(), idem()],
            Some(json_body(json!({ "type": "object", "required": ["cutoff"],
              "properties": { "cutoff": { "type": "string", "format": "date-time" } } }))),
            ("200", "The cutoff."), write_errs) }),
    );
    paths.insert("/days/{date}/releases".into(), json!({
          "get": op("A day's published releases (a compiler also sees approvals).", "anyone",
            vec![date_path(), as_of()], None, ("200", "The releases."), read_errs),
          "post": op("Approve the compilation reviewed (by its content hash) as a release.", "a compiler",
            vec![date_path(), idem()],
            Some(json_body(json!({ "type": "object", "required": ["content_hash"], "properties": {
              "content_hash": { "type": "string" }, "note": { "type": "string" },
              "accept_discrepancies": { "type": "boolean" } } }))),
            ("201", "The approved release."), write_errs) }));
    paths.insert("/releases".into(), json!({ "get": op("Every published release with its errata (the shipped history counts as published).",
            "anyone",
            vec![param("from", "query", false, "First day.", s()), param("to", "query", false, "Last day.", s()), as_of(),
                 param("order", "query", false, "asc (default: oldest first) or desc (newest first).", json!({ "type": "string", "enum": ["asc", "desc"] })),
                 param("limit", "query", false, "At most this many (1–10000), after ordering.", json!({ "type": "integer", "minimum": 1, "maximum": 10000 }))],
            None, ("200", "The releases, with a weak ETag (If-None-Match → 304) and Cache-Control."), read_errs) }));
    paths.insert("/releases/{id}/publish".into(), json!({ "post": op("Publish an approved release: immutable, content-hashed, public.",
            "a compiler", vec![param("id", "path", true, "The release id.", json!({ "type": "integer" })), idem()],
            None, ("200", "The published release, with its number."), write_errs) }));
    paths.insert("/bulletins/{date}".into(), json!({ "get": op("The published bulletin of a day.", "anyone",
            vec![date_path(),
                 param("lang", "query", false, "zh (default) or en.", json!({ "type": "string", "enum": ["zh", "en"] })),
                 param("format", "query", false, "text (default), json or html.", json!({ "type": "string", "enum": ["text", "json", "html"] })),
                 param("release", "query", false, "A release number (default: the newest).", json!({ "type": "integer" })),
                 as_of()],
            None, ("200", "The bulletin, with an ETag."), read_errs) }));
    paths.insert("/series".into(), json!({ "get": op("A published figure over time.", "anyone",
            vec![param("measure", "query", true, "The measure.", json!({ "$ref": "#/components/schemas/Measure" })),
                 param("region", "query", false, "A region code (default 100000).", s()),
                 param("origin", "query", false, "all (default), imported or local.", s()),
                 param("from", "query", false, "First day.", s()), param("to", "query", false, "Last day.", s()),
                 param("format", "query", false, "json (default) or csv.", s()), as_of()],
            None, ("200", "The values."), read_errs) }));
    paths.insert("/facts".into(), json!({ "get": op("Every published fact.", "anyone",
            vec![param("from", "query", false, "First day.", s()), param("to", "query", false, "Last day.", s()),
                 param("format", "query", false, "csv (default) or json.", s()), as_of()],
            None, ("200", "The facts."), read_errs) }));
    paths.insert("/tokens".into(), json!({
          "get": op("Every token (never the secrets).", "an admin", vec![], None, ("200", "The tokens."), read_errs),
          "post": op("Create a token; its secret is in the answer, once.", "an admin", vec![],
            Some(json_body(json!({ "type": "object", "required": ["role"], "properties": {
              "role": { "type": "string", "enum": ["reporter", "compiler", "admin"] },
              "unit": { "type": "string" }, "label": { "type": "string" } } }))),
            ("201", "The token and its secret."), write_errs) }));
    paths.insert(
        "/tokens/{id}".into(),
        json!({ "delete": op("Revoke a token.", "an admin",
            vec![param("id", "path", true, "The token id.", json!({ "type": "integer" }))],
            None, ("200", "The revoked token."), write_errs) }),
    );
    paths.insert("/audit-log".into(), json!({ "get": op("Audit log entries after a seq.", "an admin",
            vec![param("after", "query", false, "Entries after this seq.", json!({ "type": "integer" })),
                 param("limit", "query", false, "At most this many (1–1000).", json!({ "type": "integer" }))],
            None, ("200", "The entries."), read_errs) }));
    paths.insert(
        "/audit-log/verify".into(),
        json!({ "get": op("Verify the audit log's hash chain.", "an admin", vec![], None,
            ("200", "The verification: entries, head, first broken entry."), read_errs) }),
    );
    json!({
      "openapi": "3.0.3",
      "info": {
        "title": "epiledger reporting API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "The 32 reporting units (31 provinces and the XPCC, 660000) submit their \
          day; the national compilers watch completeness, review the compilation, approve and \
          publish; the public reads published bulletins, series, facts and releases. Every \
          error is JSON with a request id. Every change is in a hash-chained audit log. Public \
          reads carry an ETag (If-None-Match → 304) and `Cache-Control: public, no-cache` \
          (the newest data, revalidated), `public, max-age=3600` (an `as_of` in the past) or \
          `immutable` (a given release); everything else is `private, no-store`. Answers are \
          gzipped for a client that accepts it."
      },
      "servers": [{ "url": "/api/v1" }],
      "components": components,
      "paths": Value::Object(paths),
    })
}
