//! The invariants of `ARCHITECTURE.md` that concern the code itself, checked by this crate's
//! tests (`tests/invariants.rs`) over the workspace's sources and `cargo metadata`:
//!
//! - the domain crates (`epiledger-core`, `epiledger-reporting`, `epiledger-analytics`,
//!   `epiledger-register`) do no I/O: no I/O crate among their dependencies, direct or not,
//!   and no file, network, process or environment access in their sources;
//! - no module cycle in any crate ([`module_cycles`]);
//! - a build without the `postgres` feature compiles no PostgreSQL crate;
//! - the renderers match `Measure` and `Section` without a catch-all arm.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module of a crate: its path from the crate root (`["routes", "meta"]`; empty for the
/// root).
pub type ModPath = Vec<String>;

/// The modules of a crate (`src/`), each with the text of its file.
pub fn modules(src: &Path) -> BTreeMap<ModPath, String> {
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<ModPath, String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(root, &p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| {
                    c.as_os_str()
                        .to_string_lossy()
                        .trim_end_matches(".rs")
                        .to_string()
                })
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            if parts.first().is_some_and(|p| p == "bin") {
                continue;
            }
            out.insert(parts, fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

/// The text of a file without comments and string literals (roughly: enough to find paths).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The paths a module's code names: `crate::a::b`, `super::c`, `self::d` (resolved to paths
/// from the crate root).
fn references(module: &ModPath, text: &str) -> Vec<ModPath> {
    let code = code_only(text);
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            // A whole word: not `mycrate::`.
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            let mut base: ModPath = match start {
                "crate::" => Vec::new(),
                "super::" => module[..module.len().saturating_sub(1)].to_vec(),
                _ => module.clone(),
            };
            let mut rest = &code[at + start.len()..];
            // `super::super::…`.
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            // Segments up to a non-identifier; a `{` group names several.
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segs: Vec<String> = ident
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let mut path = base.clone();
            path.extend(segs.iter().cloned());
            out.push(path);
            if rest[ident.len()..].starts_with('{') {
                let group: String = rest[ident.len() + 1..]
                    .chars()
                    .take_while(|c| *c != '}')
                    .collect();
                for item in group.split(',') {
                    let item = item.trim().split(" as ").next().unwrap_or("").trim();
                    if item.is_empty() || item == "self" {
                        continue;
                    }
                    let mut p = base.clone();
                    p.extend(segs.iter().cloned());
                    p.extend(item.split("::").map(str::to_string));
                    out.push(p);
                }
            }
        }
    }
    out
}

/// The module a path names: its longest prefix that is a module.
fn owner(mods: &BTreeSet<ModPath>, path: &ModPath) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| mods.contains(p))
        .unwrap_or_default()
}

/// The dependencies between sibling modules of a crate: for every reference from module A to
/// module B, the children of their lowest common ancestor that lead to A and to B (a module
/// using its parent's or its own children's items is containment, not a dependency).
pub fn sibling_edges(mods: &BTreeMap<ModPath, String>) -> BTreeSet<(ModPath, ModPath)> {
    let set: BTreeSet<ModPath> = mods.keys().cloned().collect();
    let mut edges = BTreeSet::new();
    for (m, text) in mods {
        for r in references(m, text) {
            let target = owner(&set, &r);
            let common = m.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common == m.len() || common == target.len() {
                continue;
            }
            edges.insert((m[..=common].to_vec(), target[..=common].to_vec()));
        }
    }
    edges
}

/// The cycles among sibling modules: each as the modules on it.
pub fn module_cycles(mods: &BTreeMap<ModPath, String>) -> Vec<Vec<ModPath>> {
    let edges = sibling_edges(mods);
    let mut graph: BTreeMap<ModPath, Vec<ModPath>> = BTreeMap::new();
    for (a, b) in &edges {
        graph.entry(a.clone()).or_default().push(b.clone());
    }
    // Strongly connected components (Tarjan), those of more than one module.
    struct T<'a> {
        graph: &'a BTreeMap<ModPath, Vec<ModPath>>,
        index: BTreeMap<ModPath, usize>,
        low: BTreeMap<ModPath, usize>,
        stack: Vec<ModPath>,
        on: BTreeSet<ModPath>,
        out: Vec<Vec<ModPath>>,
    }
    fn visit(t: &mut T, v: &ModPath) {
        let i = t.index.len();
        t.index.insert(v.clone(), i);
        t.low.insert(v.clone(), i);
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        for w in t.graph.get(v).cloned().unwrap_or_default() {
            if !t.index.contains_key(&w) {
                visit(t, &w);
                let lw = t.low[&w];
                let lv = t.low[v];
                t.low.insert(v.clone(), lv.min(lw));
            } else if t.on.contains(&w) {
                let iw = t.index[&w];
                let lv = t.low[v];
                t.low.insert(v.clone(), lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    let nodes: Vec<ModPath> = graph.keys().cloned().collect();
    for v in &nodes {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(entries: &[(&str, &str)]) -> BTreeMap<ModPath, String> {
        entries
            .iter()
            .map(|(p, t)| {
                let path = p
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                (path, t.to_string())
            })
            .collect()
    }

    #[test]
    fn finds_a_cycle_between_siblings_and_not_containment() {
        let mods = m(&[
            ("", "mod app; mod routes;"),
            ("app", "use crate::routes::x;"),
            ("routes", "use crate::app::State; mod meta;"),
            ("routes/meta", "use super::ok; use crate::app::State;"),
        ]);
        let cycles = module_cycles(&mods);
        assert_eq!(
            cycles,
            vec![vec![vec!["app".to_string()], vec!["routes".to_string()]]]
        );
        let mods = m(&[
            ("", ""),
            ("app", "use crate::state::S;"),
            ("routes", "use crate::state::S; mod meta;"),
            ("routes/meta", "use super::ok; use crate::app::x;"),
            ("state", "// use crate::app::x;\nlet s = \"crate::app\";"),
        ]);
        assert!(module_cycles(&mods).is_empty());
    }
}
