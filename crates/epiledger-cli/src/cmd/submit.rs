//! `submit FILE`: sends a unit's report (JSON, or CSV `date,region,origin,measure,value`) to a
//! server, and prints what it stored or every problem it found.
//!
//! Retries are safe: the request carries an `Idempotency-Key` derived from the file and the
//! options, so a repeated command (or the command's own retry after a lost connection or a
//! busy server) returns the first answer and stores nothing twice.

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use epiledger_store::content::sha256_hex;
use serde_json::Value;

use crate::cli::SubmitArgs;
use crate::error::{code, CliError};

/// How often a lost connection or a 503 is retried.
const ATTEMPTS: u32 = 5;

/// `submit FILE`.
pub fn run(args: &SubmitArgs) -> Result<ExitCode, CliError> {
    let path = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| CliError::io(&path, e))?;
    let csv = match args.file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => true,
        Some(e) if e.eq_ignore_ascii_case("json") => false,
        _ => bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{'),
    };
    let token = args.token.as_deref().ok_or_else(|| {
        CliError::Input(
            "a token is needed: give --token elt_… or set EPILEDGER_TOKEN (a reporter's token \
             for its unit)"
                .into(),
        )
    })?;
    let key = args.idempotency_key.clone().unwrap_or_else(|| {
        let mut material = bytes.clone();
        material.extend_from_slice(args.reason.as_deref().unwrap_or("").as_bytes());
        material.push(0);
        material.extend_from_slice(args.acknowledge.join(",").as_bytes());
        format!("submit-{}", &sha256_hex(&material)[..32])
    });
    let url = format!("{}/api/v1/reports", args.server.trim_end_matches('/'));
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build();
    let mut attempt = 0;
    let response = loop {
        attempt += 1;
        let mut req = agent
            .post(&url)
            .set("Authorization", &format!("Bearer {token}"))
            .set("Idempotency-Key", &key)
            .set(
                "Content-Type",
                if csv { "text/csv" } else { "application/json" },
            );
        if let Some(r) = &args.reason {
            req = req.query("reason", r);
        }
        if !args.acknowledge.is_empty() {
            req = req.query("acknowledge", &args.acknowledge.join(","));
        }
        let retry = match req.send_bytes(&bytes) {
            Ok(r) => break r,
            Err(ureq::Error::Status(503 | 429, r)) if attempt < ATTEMPTS => {
                let wait = r
                    .header("retry-after")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1u64);
                Duration::from_secs(wait.min(30))
            }
            Err(ureq::Error::Status(_, r)) => break r,
            Err(ureq::Error::Transport(t)) if attempt < ATTEMPTS => {
                eprintln!("{url}: {t}; retrying with the same Idempotency-Key");
                Duration::from_millis(500 * u64::from(attempt))
            }
            Err(ureq::Error::Transport(t)) => {
                return Err(CliError::Input(format!(
                    "cannot reach the server at {url}: {t}; is `epiledger serve` running there? \
                     (--server, EPILEDGER_SERVER)"
                )))
            }
        };
        std::thread::sleep(retry);
    };
    let status = response.status();
    let mut text = String::new();
    response
        .into_reader()
        .take(16 << 20)
        .read_to_string(&mut text)
        .map_err(|e| CliError::io(&url, e))?;
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text.clone()));
    if status < 300 {
        if args.json {
            println!("{body}");
        } else if body["unchanged"] == true {
            println!(
                "{} {}: unchanged, version {} is the same report (content {})",
                body["unit"].as_str().unwrap_or("?"),
                body["date"].as_str().unwrap_or("?"),
                body["version"],
                body["content_hash"].as_str().unwrap_or("?")
            );
        } else {
            println!(
                "{} {}: stored version {} at {} (content {}, audit entry {})",
                body["unit"].as_str().unwrap_or("?"),
                body["date"].as_str().unwrap_or("?"),
                body["version"],
                body["submitted_at"].as_str().unwrap_or("?"),
                body["content_hash"].as_str().unwrap_or("?"),
                body["audit_seq"]
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        println!("{body}");
    } else {
        let e = &body["error"];
        eprintln!(
            "{path}: {} ({} {}, request {})",
            e["message"].as_str().unwrap_or(&text),
            status,
            e["code"].as_str().unwrap_or("error"),
            e["request_id"].as_str().unwrap_or("?")
        );
        for p in e["problems"].as_array().into_iter().flatten() {
            let at = match (&p["pointer"], &p["row"], &p["parameter"]) {
                (Value::String(ptr), _, _) => {
                    if ptr.is_empty() {
                        "(the body)".to_string()
                    } else {
                        ptr.clone()
                    }
                }
                (_, Value::Number(row), _) => match p["column"].as_str() {
                    Some(c) if !c.is_empty() => format!("row {row}, column {c}"),
                    _ => format!("row {row}"),
                },
                (_, _, Value::String(param)) => format!("parameter {param}"),
                _ => "?".to_string(),
            };
            let expected = p["expected"]
                .as_str()
                .map(|x| format!(" — expected: {x}"))
                .unwrap_or_default();
            eprintln!("  {at}: {}{expected}", p["message"].as_str().unwrap_or(""));
        }
        for w in e["warnings"].as_array().into_iter().flatten() {
            eprintln!(
                "  warning {}: {} (acknowledge with --acknowledge {})",
                w["pointer"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| w["row"].as_u64().map(|r| format!("row {r}")))
                    .unwrap_or_default(),
                w["message"].as_str().unwrap_or(""),
                w["id"].as_str().unwrap_or("")
            );
        }
    }
    Ok(ExitCode::from(if status >= 500 {
        code::FAILURE
    } else {
        code::INPUT
    }))
}
