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

/// The arms (pattern, body) of every `match` in `code` (comments and literals skipped), with
/// the line of the `match`.
fn matches(code: &str) -> Vec<(usize, Vec<(String, String)>)> {
    // Blank out comments, strings and character literals, keeping lines and offsets.
    let bytes: Vec<char> = code.chars().collect();
    let mut clean = String::with_capacity(code.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == '/' && bytes.get(i + 1) == Some(&'/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' {
            clean.push(' ');
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                if bytes.get(i) == Some(&'\n') {
                    clean.push('\n');
                }
                i += 1;
            }
            clean.push(' ');
            i += 1;
            continue;
        }
        if c == '\'' {
            let end = if bytes.get(i + 1) == Some(&'\\') {
                (i + 2..bytes.len().min(i + 12)).find(|&j| bytes[j] == '\'')
            } else if bytes.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(end) = end {
                clean.push_str("' '");
                i = end + 1;
                continue;
            }
        }
        clean.push(c);
        i += 1;
    }
    let chars: Vec<char> = clean.chars().collect();
    let mut found = Vec::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for start in 0..chars.len() {
        let word: String = chars[start..chars.len().min(start + 6)].iter().collect();
        if word != "match " || (start > 0 && is_ident(chars[start - 1])) {
            continue;
        }
        // The block of arms: the first `{` outside the scrutinee's brackets.
        let mut depth = 0i32;
        let mut open = None;
        for (j, &c) in chars.iter().enumerate().skip(start + 6) {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                '{' if depth == 0 => {
                    open = Some(j);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        // Each arm: its pattern, up to `=>`, and its body, up to the arm's end (a `,` or the
        // closing brace of a block, at the arms' depth).
        let mut depth = 0i32;
        let mut arms: Vec<(String, String)> = Vec::new();
        let mut from = open + 1;
        let mut body_from = None;
        let mut j = open + 1;
        let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>().trim().to_string();
        while j < chars.len() {
            match chars[j] {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 && chars[j] == '}' {
                        if let (Some(b), Some(arm)) = (body_from.take(), arms.last_mut()) {
                            arm.1 = text(b, j + 1);
                        }
                        from = j + 1;
                    }
                }
                ',' if depth == 0 => {
                    if let (Some(b), Some(arm)) = (body_from.take(), arms.last_mut()) {
                        arm.1 = text(b, j);
                    }
                    from = j + 1;
                }
                '=' if depth == 0 && chars.get(j + 1) == Some(&'>') => {
                    arms.push((text(from, j), String::new()));
                    body_from = Some(j + 2);
                    j += 1;
                }
                _ => {}
            }
            j += 1;
        }
        if let (Some(b), Some(arm)) = (body_from, arms.last_mut()) {
            arm.1 = text(b, j);
        }
        let line = chars[..start].iter().filter(|&&c| c == '\n').count() + 1;
        found.push((line, arms));
    }
    found
}

/// The renderers match `Measure` and `Section` exhaustively: a `match` whose arms name a
/// measure or a section has no `_` arm, nor a binding that its arm does not use, which would
/// silently drop a measure added later; the compiler then names every renderer that must learn
/// it. (A binding handed on, `m => m.zh()`, covers every measure.)
#[test]
fn the_renderers_match_measures_and_sections_exhaustively() {
    let render = workspace().join("crates/epiledger-bulletin/src/render");
    let mut checked = 0;
    let mut found = Vec::new();
    for (module, text) in modules(&render) {
        let code: String = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .collect::<Vec<_>>()
            .join("\n");
        for (line, arms) in matches(&code) {
            let names_enum = |(p, _): &(String, String)| {
                p.split('|').any(|alt| {
                    let alt = alt.trim().trim_start_matches('&');
                    ["M::", "Measure::", "Section::"]
                        .iter()
                        .any(|e| alt.starts_with(e))
                })
            };
            if !arms.iter().any(names_enum) {
                continue;
            }
            checked += 1;
            for (p, body) in &arms {
                let head = p.split(" if ").next().unwrap_or(p).trim();
                // `_` drops whatever it matches; a binding (`m => m.zh()`) must hand the value on.
                let binding = !head.is_empty()
                    && head
                        .chars()
                        .all(|c| c.is_lowercase() || c == '_' || c.is_ascii_digit());
                let uses = |name: &str| {
                    body.match_indices(name).any(|(at, _)| {
                        let before = body[..at].chars().next_back();
                        let after = body[at + name.len()..].chars().next();
                        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    })
                };
                if head == "_" || (binding && !uses(head)) {
                    found.push(format!(
                        "render/{}.rs:{line}: `{p} => {body}`",
                        module.join("/")
                    ));
                }
            }
        }
    }
    assert!(
        checked >= 20,
        "found only {checked} matches over Measure or Section in render/"
    );
    assert!(
        found.is_empty(),
        "catch-all arms in matches over Measure or Section:\n{}",
        found.join("\n")
    );
}
