//! The committed `include/healing.h` must be what cbindgen makes from the source
//! today: a stale header would let C callers compile against an ABI the library
//! no longer has.

use std::path::Path;

/// Regenerates the header in memory with the committed cbindgen configuration.
fn generated_header() -> String {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("healing-ffi/cbindgen.toml is valid");
    let mut bytes = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        // Parsing the source file tree (not `cargo metadata`) keeps this test offline and fast.
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen understands healing-ffi's source")
        .write(&mut bytes);
    String::from_utf8(bytes).expect("cbindgen writes UTF-8")
}

#[test]
fn committed_header_matches_the_source() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/healing.h");
    let generated = generated_header();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if generated == committed {
        return;
    }
    // UPDATE_GOLDEN is the project's switch for generated files; UPDATE_EXPECT also works.
    if std::env::var_os("UPDATE_GOLDEN").is_some() || std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &generated).expect("include/healing.h is writable");
        return;
    }
    panic!(
        "include/healing.h is stale; regenerate it with \
         `UPDATE_GOLDEN=1 cargo test -p healing-ffi --test it header` and commit it"
    );
}

#[test]
fn header_declares_every_exported_function() {
    let header = generated_header();
    let sources = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .expect("src is readable");
    let mut exported = Vec::new();
    for entry in sources {
        let text = std::fs::read_to_string(entry.expect("src entry").path()).expect("readable");
        for line in text.lines() {
            if let Some(rest) = line.split("extern \"C\" fn ").nth(1) {
                let name: String = rest
                    .chars()
                    .take_while(|c| *c == '_' || c.is_alphanumeric())
                    .collect();
                exported.push(name);
            }
        }
    }
    assert!(exported.len() >= 4, "found only {exported:?}");
    for name in &exported {
        assert!(
            name.starts_with("healing_"),
            "{name} lacks the healing_ prefix"
        );
        assert!(
            header.contains(&format!(" {name}(")),
            "{name} is missing from the header"
        );
    }
}

#[test]
fn every_exported_body_runs_inside_the_panic_boundary() {
    let sources = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .expect("src is readable");
    let mut checked = 0;
    for entry in sources {
        let path = entry.expect("src entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        for (index, _) in text.match_indices("extern \"C\" fn ") {
            // The first statement after the signature's opening brace.
            let after = &text[index..];
            let body = after
                .split_once(") -> ")
                .and_then(|(_, rest)| rest.split_once('{'))
                .map(|(_, body)| body.trim_start())
                .unwrap_or_default();
            assert!(
                body.starts_with("ffi_boundary!"),
                "{}: an exported function does not start with ffi_boundary!: {}",
                path.display(),
                after.lines().next().unwrap_or_default()
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "found only {checked} exported functions");
}
