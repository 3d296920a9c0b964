//! Tidy checks over the source tree: conventions a reviewer would otherwise check by eye.

use std::fs;
use std::path::{Path, PathBuf};

/// The repository root, one level above this crate.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("healing-core sits inside the repository")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, skipping build output and vendored packages.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | "node_modules" | ".git" | ".venv") {
                rust_files(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc_comment() {
    let mut files = Vec::new();
    rust_files(&repo_root(), &mut files);
    assert!(files.len() > 5, "found only {} Rust files", files.len());
    let missing: Vec<_> = files
        .iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` line saying what they are for: {missing:#?}"
    );
}

/// The clinical engine reads no clock, file, network, environment or randomness:
/// callers pass time and ids in. These are the ways in that std and common crates offer.
/// Storage lives in its own crate, healing-store, so there is no exception.
#[test]
fn healing_core_does_no_io() {
    const FORBIDDEN: &[&str] = &[
        "SystemTime",
        "Instant::now",
        "now_utc",
        "now_local",
        "std::fs",
        "std::net",
        "std::env",
        "std::process",
        "File::open",
        "rand::",
        "getrandom",
        "println!",
        "eprintln!",
        "print!(",
    ];
    let mut files = Vec::new();
    rust_files(&repo_root().join("healing-core/src"), &mut files);
    let mut offences = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).unwrap_or_default();
        for (line_idx, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for needle in FORBIDDEN {
                if code.contains(needle) {
                    offences.push(format!("{}:{}: {needle}", path.display(), line_idx + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "I/O in healing-core: {offences:#?}");
}
