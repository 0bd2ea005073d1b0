//! `token create|list|revoke`: API tokens, directly on the database (an SQLite file or
//! PostgreSQL; no server needed: the first admin token is made this way). Every change is in
//! the audit log.

use std::path::Path;
use std::process::ExitCode;

use epiledger_core::{ledger::hierarchy, registry, RegionCode};
use epiledger_store::{time, Actor, Change, ChangeRequest, Role};

use crate::cli::{TokenArgs, TokenCommand};
use crate::db;
use crate::error::CliError;

/// Who acts from the command line, for the audit log.
pub fn local_actor() -> Actor {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    Actor {
        token_id: None,
        name: format!("cli:{user}"),
        role: "local".into(),
        address: "local".into(),
        request_id: String::new(),
    }
}

fn unit_of(text: &str) -> Result<RegionCode, CliError> {
    let code = match text.parse::<RegionCode>() {
        Ok(c) => c,
        Err(_) => registry()
            .resolve(text)
            .map_err(|e| CliError::Input(e.to_string()))?,
    };
    if hierarchy::is_reporting_unit(code) {
        Ok(code)
    } else {
        Err(CliError::Input(format!(
            "{code} is not one of the 32 reporting units (31 provinces and the XPCC, 660000)"
        )))
    }
}

/// `token …`.
pub fn run(db: &Path, args: &TokenArgs) -> Result<ExitCode, CliError> {
    let mut store = db::open_reporting(db)?;
    match &args.command {
        TokenCommand::Create { role, unit, label } => {
            let role: Role = role
                .parse()
                .map_err(|e: epiledger_store::reports::RoleError| CliError::Input(e.to_string()))?;
            let unit = match (role, unit) {
                (Role::Reporter, Some(u)) => Some(unit_of(u)?),
                (Role::Reporter, None) => {
                    return Err(CliError::Input(
                        "a reporter token is bound to one unit: give --unit CODE".into(),
                    ))
                }
                (_, Some(_)) => {
                    return Err(CliError::Input(format!(
                        "a {role} token is not bound to a unit: leave out --unit"
                    )))
                }
                (_, None) => None,
            };
            let label = label.clone().unwrap_or_else(|| match unit {
                Some(u) => format!("{role} {u}"),
                None => role.to_string(),
            });
            let (secret, token) = epiledger_server::auth::create_token(
                &mut *store,
                role,
                unit,
                &label,
                local_actor(),
            )
            .map_err(change_error)?;
            println!("{secret}");
            eprintln!(
                "created token {} ({}{}, \"{}\"); the secret above is shown once: it is stored \
                 only as its SHA-256",
                token.id,
                token.role,
                token.unit.map(|u| format!(" of {u}")).unwrap_or_default(),
                token.label
            );
        }
        TokenCommand::List { json } => {
            let tokens = store.tokens()?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&tokens).unwrap_or_default()
                );
            } else {
                println!("id\trole\tunit\tlabel\tcreated_at\trevoked_at");
                for t in tokens {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        t.id,
                        t.role,
                        t.unit.map(|u| u.to_string()).unwrap_or_else(|| "-".into()),
                        t.label,
                        time::format(t.created_at),
                        t.revoked_at.map(time::format).unwrap_or_else(|| "-".into())
                    );
                }
            }
        }
        TokenCommand::Revoke { id } => {
            let req = ChangeRequest {
                change: Change::RevokeToken { id: *id },
                actor: local_actor(),
                idempotency: None,
            };
            store
                .apply_changes(&[req], chrono::Utc::now())?
                .pop()
                .ok_or_else(|| CliError::Input("the store gave no answer".into()))?
                .map_err(change_error)?;
            eprintln!("revoked token {id}; a running server refuses it within 2 seconds");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn change_error(e: epiledger_store::ChangeError) -> CliError {
    match e {
        epiledger_store::ChangeError::Store(s) => CliError::Store(s),
        other => CliError::Input(other.to_string()),
    }
}
