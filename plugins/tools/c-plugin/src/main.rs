//! `healing-c-plugin`: the two non-compiler steps of building a Healing plugin in C.
//!
//! ```text
//! healing-c-plugin bindings  <wit-dir> <world> <out-dir>
//! healing-c-plugin component <core.wasm> <out.wasm>
//! ```
//!
//! `bindings` writes the C bindings of a world of the plugin contract (`<world>.h`,
//! `<world>.c` and `<world>_component_type.o`, the world's type for the linker to
//! embed), as `wit-bindgen c` would. `component` turns the core module that clang
//! linked into a component, as `wasm-tools component new` would. One small binary built from crates.io with the same
//! generator version as the Rust SDK (wit-bindgen 0.63) is cheaper to build in CI than
//! the two command-line tools, and pins both steps in this package's Cargo.lock.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use wit_bindgen_core::Files;
use wit_component::ComponentEncoder;
use wit_parser::{Resolve, WorldId};

const USAGE: &str = "usage:
  healing-c-plugin bindings  <wit-dir> <world> <out-dir>
  healing-c-plugin component <core.wasm> <out.wasm>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["bindings", wit, world, out_dir] => bindings(Path::new(wit), world, Path::new(out_dir)),
        ["component", core, out] => component(Path::new(core), Path::new(out)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("healing-c-plugin: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the contract folder and finds `world` in it.
fn load_world(wit: &Path, world: &str) -> Result<(Resolve, WorldId)> {
    let mut resolve = Resolve::default();
    let (package, _) = resolve
        .push_dir(wit)
        .with_context(|| format!("reading the contract in {}", wit.display()))?;
    let world = resolve.select_world(&[package], Some(world))?;
    Ok((resolve, world))
}

/// Writes the C header, source and component-type object for `world` into `out_dir`.
fn bindings(wit: &Path, world: &str, out_dir: &Path) -> Result<()> {
    let (mut resolve, world) = load_world(wit, world)?;
    let mut files = Files::default();
    wit_bindgen_c::Opts::default()
        .build()
        .generate(&mut resolve, world, &mut files)
        .context("generating C bindings")?;
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    for (name, contents) in files.iter() {
        let path = out_dir.join(name);
        std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Turns the core module `core` (linked with the `_component_type.o` from `bindings`,
/// so it carries its world's type) into a component at `out`.
fn component(core: &Path, out: &Path) -> Result<()> {
    let module = std::fs::read(core).with_context(|| format!("reading {}", core.display()))?;
    if !module.starts_with(b"\0asm") {
        bail!("{} is not a WebAssembly module", core.display());
    }
    let component = ComponentEncoder::default()
        .module(&module)?
        .validate(true)
        .encode()
        .context("making a component of the core module")?;
    std::fs::write(out, component).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}
