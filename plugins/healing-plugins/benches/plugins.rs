//! Per-call cost of a small risk rule (the `local_terms` example) in a fresh
//! pre-instantiated instance and in a reused one, against the same logic
//! compiled natively; and the time to load a precompiled plugin.
//!
//! Run with `cargo bench -p healing-plugins --bench plugins`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use healing_core::safety::Context;
use healing_plugins::{
    ArtifactKey, HostConfig, Manifest, Plugin, PluginHost, PluginId, RequestedLimits, World,
    sha256_hex,
};

const TEXT: &str =
    "Had a rough week. The cat scratches are back and I keep thinking about sewerslide.";

/// The example rule's logic, compiled natively for comparison: the same terms,
/// the same whole-word ASCII case-insensitive search.
fn native_local_terms(text: &str) -> usize {
    const TERMS: [&str; 5] = [
        "unalive myself",
        "unaliving myself",
        "sewerslide",
        "unalive",
        "cat scratches",
    ];
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for term in TERMS {
        for (start, _) in lower.match_indices(term) {
            let end = start + term.len();
            let before = start.checked_sub(1).and_then(|i| bytes.get(i));
            let after = bytes.get(end);
            let whole = !before.is_some_and(u8::is_ascii_alphanumeric)
                && !after.is_some_and(u8::is_ascii_alphanumeric);
            if whole && !spans.iter().any(|(s, e)| *s <= start && end <= *e) {
                spans.push((start, end));
            }
        }
    }
    spans.len()
}

fn fixture_folder() -> PathBuf {
    let wasm_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/local_terms.wasm");
    let wasm = std::fs::read(&wasm_path).expect("fixture");
    let folder = std::env::temp_dir().join(format!("healing-plugins-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    let manifest = Manifest {
        id: PluginId::new("local-terms").expect("id"),
        version: "0.1.0".to_owned(),
        world: World::RiskRule,
        file: "local_terms.wasm".to_owned(),
        sha256: sha256_hex(&wasm),
        limits: RequestedLimits::default(),
        capabilities: Vec::new(),
    };
    std::fs::write(folder.join("local_terms.wasm"), &wasm).expect("write");
    std::fs::write(
        folder.join("manifest.json"),
        serde_json::to_vec(&manifest).expect("json"),
    )
    .expect("write");
    folder
}

fn benches(c: &mut Criterion) {
    let host = PluginHost::new(HostConfig::new(ArtifactKey::from_bytes([7; 32]))).expect("host");
    let folder = fixture_folder();
    host.install(&folder).expect("install");
    let Ok(Plugin::RiskRule(plugin)) = host.load(&folder) else {
        panic!("local_terms did not load");
    };
    let context = Context::default();
    assert_eq!(
        plugin.findings(TEXT, &context).expect("call").len(),
        native_local_terms(TEXT)
    );

    let mut group = c.benchmark_group("risk_rule_call");
    group.bench_function("native", |b| b.iter(|| native_local_terms(black_box(TEXT))));
    group.bench_function("fresh_instance", |b| {
        b.iter(|| plugin.findings(black_box(TEXT), &context).expect("call"))
    });
    let mut session = plugin.session();
    group.bench_function("reused_instance", |b| {
        b.iter(|| session.findings(black_box(TEXT), &context).expect("call"))
    });
    group.finish();

    c.bench_function("load_precompiled_plugin", |b| {
        b.iter(|| host.load(black_box(&folder)).expect("load"))
    });

    // Memory per loaded plugin: resident set growth over 50 loads of the same
    // plugin (each its own deserialised artifact, InstancePre and description).
    let before = resident_bytes();
    let loaded: Vec<Plugin> = (0..50).map(|_| host.load(&folder).expect("load")).collect();
    let after = resident_bytes();
    eprintln!(
        "memory per loaded plugin: {} KiB (resident set growth over {} loads)",
        after.saturating_sub(before) / loaded.len() as u64 / 1024,
        loaded.len()
    );
    let _ = std::fs::remove_dir_all(&folder);
}

/// The process's resident set size, from `/proc/self/statm` (Linux; 0
/// elsewhere), assuming 4 KiB pages.
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

criterion_group!(plugin_benches, benches);
criterion_main!(plugin_benches);
