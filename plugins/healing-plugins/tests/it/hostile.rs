//! Hostile plugins: each failure is contained, classified with its own error
//! kind, and the host keeps serving.

use std::time::{Duration, Instant};

use healing_core::safety::Context;
use healing_plugins::{
    Capability, Error, HostConfig, Limits, Plugin, PluginHost, PluginStatus, RequestedLimits,
    RiskRulePlugin, World,
};

use super::{fixture, host, load, manifest, risk_rule, risk_rule_with_limits, test_key};

fn reasons(result: Result<Vec<healing_core::safety::Finding>, Error>) -> Vec<String> {
    result.unwrap().into_iter().map(|f| f.reason).collect()
}

#[test]
fn an_infinite_loop_is_stopped_by_the_deadline() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    let started = Instant::now();
    let error = plugin.findings("loop", &Context::default()).unwrap_err();
    assert_eq!(
        error,
        Error::Timeout {
            plugin: plugin.id().clone(),
            deadline_ms: Limits::DEFAULT.deadline_ms
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn fuel_stops_a_loop_deterministically_when_metering_is_on() {
    let config = HostConfig {
        fuel_per_call: Some(5_000_000),
        ..HostConfig::new(test_key())
    };
    let host = PluginHost::new(config).unwrap();
    // Fuel metering changes the compiled code, so the shared artifacts do not
    // fit this host: compile directly.
    let wasm = fixture("hostile_rule");
    let Ok(Plugin::RiskRule(plugin)) =
        host.load_bytes(&manifest("hostile-rule", World::RiskRule, &wasm), &wasm)
    else {
        panic!("hostile_rule did not load as a risk rule");
    };
    let error = plugin.findings("loop", &Context::default()).unwrap_err();
    assert_eq!(
        error,
        Error::OutOfFuel {
            plugin: plugin.id().clone(),
            fuel: 5_000_000
        }
    );
}

/// The memory and output tests ask for the longest deadline allowed: filling
/// 32 MiB or 4 MiB takes a debug-built host more than the default 100 ms on a
/// loaded machine, and the cap, not the clock, is what they check.
fn hostile_rule_with_time_to_spare(host: &PluginHost) -> RiskRulePlugin {
    let limits = RequestedLimits {
        deadline_ms: Some(Limits::CEILING.deadline_ms),
        ..RequestedLimits::default()
    };
    risk_rule_with_limits(host, "hostile_rule", limits)
}

#[test]
fn a_memory_bomb_is_refused_at_the_cap() {
    let host = host();
    let plugin = hostile_rule_with_time_to_spare(&host);
    let error = plugin.findings("grow", &Context::default()).unwrap_err();
    let Error::MemoryLimit {
        requested, limit, ..
    } = error
    else {
        panic!("expected a memory limit error, got {error:?}");
    };
    assert_eq!(limit, 32 << 20);
    assert!(requested > limit);
}

#[test]
fn a_huge_output_is_refused_by_the_output_cap() {
    let host = host();
    let plugin = hostile_rule_with_time_to_spare(&host);
    let error = plugin.findings("flood", &Context::default()).unwrap_err();
    let Error::OutputTooLarge { bytes, limit, .. } = error else {
        panic!("expected an output cap error, got {error:?}");
    };
    assert_eq!(limit, 256 << 10);
    assert!(bytes > 4 << 20);
}

#[test]
fn a_trap_is_contained_and_the_next_call_gets_a_fresh_instance() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    let error = plugin.findings("trap", &Context::default()).unwrap_err();
    assert!(matches!(error, Error::Trap { .. }), "{error:?}");
    assert_eq!(
        reasons(plugin.findings("hello", &Context::default())),
        ["call 1 on this instance"]
    );
}

#[test]
fn every_call_runs_in_a_fresh_instance() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    for _ in 0..3 {
        assert_eq!(
            reasons(plugin.findings("hello", &Context::default())),
            ["call 1 on this instance"]
        );
    }
}

#[test]
fn a_session_reuses_its_instance_until_a_call_fails() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    let mut session = plugin.session();
    assert_eq!(
        reasons(session.findings("a", &Context::default())),
        ["call 1 on this instance"]
    );
    assert_eq!(
        reasons(session.findings("b", &Context::default())),
        ["call 2 on this instance"]
    );
    assert!(session.findings("trap", &Context::default()).is_err());
    assert_eq!(
        reasons(session.findings("c", &Context::default())),
        ["call 1 on this instance"]
    );
}

#[test]
fn an_undeclared_category_is_malformed_output() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    let error = plugin
        .findings("undeclared", &Context::default())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'hostile-rule' returned malformed output: finding 0 reports category 'suicide', which describe() does not declare"
    );
}

#[test]
fn a_plugin_error_is_reported_with_its_kind() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    let error = plugin.findings("refuse", &Context::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'hostile-rule' reported an error (invalid-input): refused on purpose"
    );
    assert!(!error.is_plugin_fault());
}

#[test]
fn a_plugin_that_keeps_failing_is_disabled_until_re_enabled() {
    let host = host();
    let plugin = risk_rule(&host, "hostile_rule");
    for _ in 0..3 {
        assert!(matches!(
            plugin.findings("trap", &Context::default()),
            Err(Error::Trap { .. })
        ));
    }
    let PluginStatus::Disabled { reason } = plugin.status() else {
        panic!("expected disabled, got {:?}", plugin.status());
    };
    assert!(
        reason.starts_with(
            "disabled after 3 consecutive failures; the last was: it trapped (a WebAssembly fault)"
        ),
        "{reason}"
    );
    assert!(matches!(
        plugin.findings("hello", &Context::default()),
        Err(Error::Disabled { .. })
    ));
    assert!(plugin.enable(), "it was disabled");
    assert_eq!(
        plugin.status(),
        PluginStatus::Enabled {
            consecutive_failures: 0
        }
    );
    assert!(!plugin.enable(), "enabling it again changes nothing");
    assert_eq!(
        reasons(plugin.findings("hello", &Context::default())),
        ["call 1 on this instance"]
    );
}

#[test]
fn the_host_keeps_serving_other_plugins_after_hostile_calls() {
    let host = host();
    let hostile = risk_rule(&host, "hostile_rule");
    for text in ["loop", "grow", "flood", "trap"] {
        assert!(hostile.findings(text, &Context::default()).is_err());
    }
    let local = risk_rule(&host, "local_terms");
    assert_eq!(
        local
            .findings("sewerslide", &Context::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn imports_of_files_and_sockets_are_refused_at_load() {
    let host = host();
    let error = load(&host, "sneaky_rule", World::RiskRule).unwrap_err();
    let Error::CapabilityNotGranted { imports, .. } = &error else {
        panic!("expected a capability refusal, got {error:?}");
    };
    for import in [
        "wasi:filesystem/preopens@",
        "wasi:sockets/tcp@",
        "wasi:clocks/monotonic-clock@",
    ] {
        assert!(imports.contains(import), "{import} not in {imports}");
    }
}

#[test]
fn a_capability_the_operator_has_not_allowed_is_refused() {
    let host = host();
    let wasm = fixture("local_terms");
    let mut manifest = manifest("local-terms", World::RiskRule, &wasm);
    manifest.capabilities = vec![Capability::WallClock];
    assert_eq!(
        host.load_bytes(&manifest, &wasm).unwrap_err().to_string(),
        "plugin 'local-terms' asks for capability 'wall_clock', which the operator has not allowed"
    );
}

#[test]
fn a_component_built_for_an_unsupported_contract_is_refused_naming_both_versions() {
    let host = host();
    let wat = r#"(component
        (core module $m (func (export "describe")))
        (core instance $i (instantiate $m))
        (func $describe (canon lift (core func $i "describe")))
        (instance $rule (export "describe" (func $describe)))
        (export "healing:plugin/rule@9.0.0" (instance $rule))
    )"#;
    let error = host
        .load_bytes(
            &manifest("future", World::RiskRule, wat.as_bytes()),
            wat.as_bytes(),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'future' was built for healing:plugin@9.0.0; this host supports healing:plugin@0.1.0"
    );
}

#[test]
fn a_component_of_the_other_world_is_refused() {
    let host = host();
    let error = load(&host, "box_breathing", World::RiskRule).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'box-breathing': the manifest says world 'risk-rule' but the component exports 'cbt-tool'"
    );
}

#[test]
fn a_file_whose_digest_differs_from_the_manifest_is_refused() {
    let host = host();
    let wasm = fixture("local_terms");
    let mut manifest = manifest("local-terms", World::RiskRule, &wasm);
    manifest.sha256 = "0".repeat(64);
    assert!(matches!(
        host.load_bytes(&manifest, &wasm),
        Err(Error::ChecksumMismatch { .. })
    ));
}

#[test]
fn a_manifest_cannot_raise_a_limit_above_the_ceiling() {
    let host = host();
    let wasm = fixture("local_terms");
    let mut manifest = manifest("local-terms", World::RiskRule, &wasm);
    manifest.limits.memory_bytes = Some(1 << 30);
    assert_eq!(
        host.load_bytes(&manifest, &wasm).unwrap_err().to_string(),
        "plugin 'local-terms' asks for memory_bytes of 1073741824, outside 1 to 268435456"
    );
}

#[test]
fn a_plugin_loaded_for_trial_detects_its_world() {
    let host = host();
    let plugin = host
        .load_for_trial(
            healing_plugins::PluginId::new("trial").unwrap(),
            &fixture("grounding_54321"),
        )
        .unwrap();
    assert!(matches!(plugin, Plugin::CbtTool(_)));
}
