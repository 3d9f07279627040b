//! The layout's rules, read off the source: every `crate::…` path and every `use` of ratatui,
//! crossterm or I/O in each file under `src/`, checked against what its folder may depend on,
//! and no circle between folders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a folder must not reach: a crate path prefix or an external path prefix.
struct Rule {
    folder: &'static str,
    forbidden: &'static [&'static str],
    why: &'static str,
}

const TERMINAL: &[&str] = &["crossterm"];
const DRAWING: &[&str] = &[
    "ratatui::buffer",
    "ratatui::widgets",
    "ratatui::text",
    "ratatui::style",
    "ratatui::backend",
    "ratatui::Frame",
    "ratatui::Terminal",
];

const RULES: &[Rule] = &[
    Rule {
        folder: "domain",
        forbidden: &["crate::store", "crate::app", "crate::ui", "crate::cli", "crate::mail", "ratatui", "crossterm"],
        why: "the domain is plain types and rules",
    },
    Rule {
        folder: "store",
        forbidden: &["crate::app", "crate::ui", "crate::cli", "ratatui", "crossterm"],
        why: "the store knows nothing of the console",
    },
    Rule {
        folder: "ui",
        forbidden: &["crate::store", "crate::app::effects", "crate::app::update", "crate::app::term", "crate::mail"],
        why: "ui draws from the model and the domain only",
    },
    Rule {
        folder: "app::model",
        forbidden: &[
            "crate::store",
            "crate::app::effects",
            "crate::app::update",
            "crate::app::term",
            "crate::ui",
            "crate::mail",
        ],
        why: "the model imports neither the terminal nor the store",
    },
    Rule {
        folder: "app::update",
        forbidden: &[
            "crate::store",
            "crate::mail",
            "crate::app::effects",
            "crate::app::term",
            "crate::ui",
            "std::fs",
            "std::net",
            "std::process",
            "std::thread",
            "Utc::now",
            "Local::now",
            "SystemTime::now",
            "Instant::now",
        ],
        why: "update is pure: no store, no mail, no files, no clock but State::now",
    },
    Rule {
        folder: "app::term",
        forbidden: &["crate::store", "crate::app::effects", "crate::app::update", "crate::mail"],
        why: "the terminal layer does terminal I/O only",
    },
];

/// Extra forbidden prefixes by folder: the terminal and drawing libraries. The model may use
/// ratatui's geometry (`ratatui::layout::Rect`, for its layout maths) and the text-editing state
/// of `ratatui_textarea` and `tui_input`, nothing that draws or talks to a terminal.
fn library_rules(folder: &str) -> Vec<&'static str> {
    match folder {
        "app::model" => TERMINAL.iter().chain(DRAWING).copied().collect(),
        "app::update" => TERMINAL.iter().chain(DRAWING).copied().collect(),
        "app::effects" => TERMINAL.to_vec(),
        _ => Vec::new(),
    }
}

/// The folder a source file belongs to: `app::model` for `src/app/model/state.rs`, `store` for
/// `src/store/wal.rs`, `app` for `src/app/headless.rs`.
fn folder_of(src: &Path, file: &Path) -> String {
    let parts: Vec<String> = file
        .strip_prefix(src)
        .unwrap()
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [app, sub, _, ..] if app == "app" => format!("app::{sub}"),
        [top, ..] => top.clone(),
        [] => String::new(),
    }
}

/// The folder a `crate::…` path lands in.
fn folder_of_path(path: &str) -> Option<String> {
    let mut parts = path.strip_prefix("crate::")?.split("::");
    let top = parts.next()?;
    match (top, parts.next()) {
        ("app", Some(sub)) if ["model", "update", "effects", "term"].contains(&sub) => Some(format!("app::{sub}")),
        (top, _) => Some(top.to_string()),
    }
}

/// Each line of code (comments dropped) with its number.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if line.trim_start().starts_with("#[cfg(test)]") {
            break; // unit tests may use what they like
        }
        out.push((i + 1, code.to_string()));
    }
    out
}

/// The paths a line names: `crate::a::b`, and for library rules the line itself.
fn crate_paths(line: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let tail = &rest[at..];
        let end = tail.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(tail.len());
        paths.push(tail[..end].trim_end_matches(':').to_string());
        rest = &tail[end..];
    }
    paths
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every broken rule (one line each) and the folder graph, for the tree at `src`.
fn check(src: &Path) -> (Vec<String>, BTreeMap<String, BTreeSet<String>>) {
    let mut files = Vec::new();
    source_files(src, &mut files);
    files.sort();
    let mut broken = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let folder = folder_of(src, file);
        let text = std::fs::read_to_string(file).unwrap();
        let rule = RULES.iter().find(|r| r.folder == folder);
        let libraries = library_rules(&folder);
        let shown = file.strip_prefix(src.parent().unwrap()).unwrap().display().to_string();
        for (n, line) in code_lines(&text) {
            for path in crate_paths(&line) {
                if let Some(to) = folder_of_path(&path) {
                    if to != folder {
                        graph.entry(folder.clone()).or_default().insert(to);
                    }
                }
                if let Some(rule) = rule {
                    if let Some(bad) = rule.forbidden.iter().find(|f| f.starts_with("crate::") && path.starts_with(**f))
                    {
                        broken.push(format!("{shown}:{n}: {folder} → {bad} ({})", rule.why));
                    }
                }
            }
            let external = rule.map(|r| r.forbidden.iter().filter(|f| !f.starts_with("crate::")).copied());
            for bad in external.into_iter().flatten().chain(libraries.iter().copied()) {
                if line.contains(bad) {
                    broken.push(format!("{shown}:{n}: {folder} → {bad}"));
                }
            }
        }
    }
    (broken, graph)
}

/// A circle in the folder graph, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_folder_stays_in_its_layer() {
    let (broken, _) = check(&src());
    assert!(broken.is_empty(), "forbidden arrows:\n{}", broken.join("\n"));
}

#[test]
fn no_folder_depends_on_itself_through_others() {
    let (_, graph) = check(&src());
    assert_eq!(circle(&graph), None, "folders in a circle; the graph: {graph:#?}");
}

/// The checker itself: a copy of the tree with one planted violation of each kind is caught.
#[test]
fn a_planted_violation_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("src");
    copy_tree(&src(), &copy);
    let plant = |file: &str, line: &str| {
        let path = copy.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{line}\n{text}")).unwrap();
    };
    plant("domain/text.rs", "use crate::app::model::state::State;");
    plant("ui/queue.rs", "use crate::store::Store;");
    plant("app/update/navigation.rs", "fn late() -> chrono::DateTime<chrono::Utc> { chrono::Utc::now() }");
    plant("app/model/state.rs", "use crossterm::event::KeyEvent;");
    let (broken, graph) = check(&copy);
    let said = broken.join("\n");
    for expected in [
        "src/domain/text.rs:1: domain → crate::app",
        "src/ui/queue.rs:1: ui → crate::store",
        "src/app/update/navigation.rs:1: app::update → Utc::now",
        "src/app/model/state.rs:1: app::model → crossterm",
    ] {
        assert!(said.contains(expected), "{expected} not caught in:\n{said}");
    }
    assert!(circle(&graph).is_some(), "domain → app::model → domain is a circle");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
