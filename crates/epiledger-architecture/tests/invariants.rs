//! The code's invariants of ARCHITECTURE.md, checked over the workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use epiledger_architecture::{module_cycles, modules};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(workspace());
    c
}

/// No module depends on a sibling that depends back on it, in any crate.
#[test]
fn no_module_cycle_in_any_crate() {
    let mut found = Vec::new();
    let mut crates = 0;
    for entry in std::fs::read_dir(workspace().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let src = dir.join("src");
        if !src.is_dir() {
            continue;
        }
        crates += 1;
        for cycle in module_cycles(&modules(&src)) {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            found.push(format!("{}: {}", dir.display(), names.join(" ↔ ")));
        }
    }
    assert!(crates >= 10, "found only {crates} crates");
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

/// The crates that hold the domain (no I/O): their dependencies, direct or not.
const DOMAIN: [&str; 4] = [
    "epiledger-core",
    "epiledger-reporting",
    "epiledger-analytics",
    "epiledger-register",
];

/// Crates that do I/O: databases, the network, the async runtime, HTTP.
const IO_CRATES: [&str; 12] = [
    "rusqlite",
    "libsqlite3-sys",
    "postgres",
    "tokio-postgres",
    "tokio",
    "mio",
    "socket2",
    "axum",
    "hyper",
    "ureq",
    "reqwest",
    "tower",
];

/// The normal (not dev) dependencies of each package, by `cargo metadata`.
fn dependency_closure(root: &str) -> BTreeSet<String> {
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--offline"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for p in meta["packages"].as_array().unwrap() {
        names.insert(
            p["id"].as_str().unwrap().into(),
            p["name"].as_str().unwrap().into(),
        );
    }
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let id = node["id"].as_str().unwrap().to_string();
        let normal: Vec<String> = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                d["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null())
            })
            .map(|d| d["pkg"].as_str().unwrap().to_string())
            .collect();
        deps.insert(id, normal);
    }
    let start = names
        .iter()
        .find(|(_, n)| n.as_str() == root)
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("no package {root}"));
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    while let Some(id) = todo.pop() {
        if seen.insert(id.clone()) {
            todo.extend(deps.get(&id).cloned().unwrap_or_default());
        }
    }
    seen.iter().map(|id| names[id].clone()).collect()
}

/// The core, the reporting workflow and the analytics depend on no I/O crate, and their
/// sources touch no file, network, process, environment or terminal.
#[test]
fn the_domain_crates_do_no_io() {
    for krate in DOMAIN {
        let closure = dependency_closure(krate);
        for io in IO_CRATES {
            assert!(
                !closure.contains(io),
                "{krate} depends on {io} (an I/O crate)"
            );
        }
        let src = workspace().join("crates").join(krate).join("src");
        for (module, text) in modules(&src) {
            let code: String = text
                .lines()
                .take_while(|l| !l.starts_with("#[cfg(test)]"))
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for io in [
                "std::fs",
                "std::net",
                "std::process",
                "std::env",
                "std::io::stdin",
                "std::io::stdout",
                "println!",
                "eprintln!",
                "File::",
            ] {
                assert!(
                    !code.contains(io),
                    "{krate}::{} uses {io}: the domain does no I/O",
                    module.join("::")
                );
            }
        }
    }
}

/// A build without the `postgres` feature compiles no PostgreSQL crate.
#[test]
fn a_build_without_postgres_has_no_postgres_crate() {
    let tree = |args: &[&str]| {
        let out = cargo()
            .args([
                "tree",
                "--offline",
                "-p",
                "epiledger",
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .args(args)
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let without = tree(&["--no-default-features"]);
    assert!(without.contains("epiledger-store-sqlite"), "{without}");
    assert!(
        !without.lines().any(|l| l.contains("postgres")),
        "a build without the postgres feature has: {}",
        without
            .lines()
            .filter(|l| l.contains("postgres"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(tree(&[]).contains("epiledger-store-postgres"));
}
