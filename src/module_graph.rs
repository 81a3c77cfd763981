//! The app's code shape, checked: no module of `src/` depends on itself through others (outside
//! tests), and no component or reducer function is longer than 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The source of a file without its trailing test module.
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// Each top-level module of the crate (`components` counts as one) and the modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |module: String, text: &str| {
        let deps = g.entry(module.clone()).or_default();
        // Code only: comments may name any module.
        let code: String = without_tests(text)
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                deps.insert(name);
            }
        }
    };
    for dir in [src.clone(), src.join("components")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!("cannot read {}", dir.display())
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().and_then(|x| x.to_str()) != Some("rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let module = if dir.ends_with("components") {
                "components".to_string()
            } else {
                path.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string()
            };
            add(module, &text);
        }
    }
    g
}

/// A cycle in the graph, if there is one (depth-first search for a back edge).
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit<'a>(
        m: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m);
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m);
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|m| visit(m, g, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_depends_on_itself() {
    let g = graph();
    assert!(g.len() > 20, "the source was not found: {:?}", g.keys());
    if let Some(cycle) = find_cycle(&g) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
    // The check finds a cycle when there is one.
    let mut bad = g.clone();
    bad.entry("state".into()).or_default().insert("components".into());
    bad.entry("components".into()).or_default().insert("state".into());
    assert!(find_cycle(&bad).is_some());
}

/// Lengths of functions that start at the beginning of a line (`pub fn`, `fn`) and end at the
/// first `}` at the beginning of a line after them, plus methods named `apply` (the reducers).
fn long_functions(limit: usize) -> Vec<(String, usize)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    for dir in [src.clone(), src.join("components")] {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = e.path();
            if path.extension().and_then(|x| x.to_str()) != Some("rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let lines: Vec<&str> = without_tests(&text).lines().collect();
            for (i, l) in lines.iter().enumerate() {
                let top = l.starts_with("pub fn ") || l.starts_with("fn ");
                let method = l.starts_with("    pub fn apply(");
                if !(top || method) {
                    continue;
                }
                let end_marker = if top { "}" } else { "    }" };
                let len = lines[i + 1..]
                    .iter()
                    .position(|x| *x == end_marker)
                    .map_or(0, |n| n + 2);
                if len > limit {
                    long.push((format!("{}:{}", path.display(), l.trim()), len));
                }
            }
        }
    }
    long
}

#[test]
fn no_component_or_reducer_is_a_400_line_function() {
    assert_eq!(long_functions(400), Vec::<(String, usize)>::new());
    // The measure sees long functions: some function of the app is longer than 50 lines.
    assert!(!long_functions(50).is_empty());
}
