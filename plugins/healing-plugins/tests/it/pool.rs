//! The instance pool: a host runs at most `concurrent_calls` instances at once;
//! a call beyond that waits for a free slot and gives up at its deadline,
//! without counting against the plugin.

use std::time::{Duration, Instant};

use healing_core::safety::Context;
use healing_plugins::{Error, HostConfig, Limits, PluginHost, PluginStatus};

use super::{risk_rule, test_key};

fn host_with_one_slot() -> PluginHost {
    PluginHost::new(HostConfig {
        concurrent_calls: 1,
        ..HostConfig::new(test_key())
    })
    .unwrap()
}

#[test]
fn a_call_gives_up_when_every_slot_stays_busy_past_its_deadline() {
    let host = host_with_one_slot();
    let plugin = risk_rule(&host, "local_terms");
    // An open session keeps its instance, so it holds the only slot.
    let mut session = plugin.session();
    session.findings("hello", &Context::default()).unwrap();

    let started = Instant::now();
    let error = plugin.findings("hello", &Context::default()).unwrap_err();
    assert_eq!(
        error,
        Error::Busy {
            plugin: plugin.id().clone(),
            waited_ms: Limits::DEFAULT.deadline_ms
        }
    );
    assert!(started.elapsed() >= Duration::from_millis(Limits::DEFAULT.deadline_ms));
    // Waiting is the host's limit, not the plugin's fault.
    assert!(!error.is_plugin_fault());
    assert_eq!(
        plugin.status(),
        PluginStatus::Enabled {
            consecutive_failures: 0
        }
    );

    // Closing the session frees the slot for the next call.
    drop(session);
    let findings = plugin
        .findings("the cat scratches are back", &Context::default())
        .unwrap();
    assert_eq!(findings.len(), 1);
}

#[test]
fn a_call_waits_for_a_slot_that_comes_free_before_its_deadline() {
    let host = host_with_one_slot();
    let plugin = risk_rule(&host, "local_terms");
    let mut session = plugin.session();
    session.findings("hello", &Context::default()).unwrap();
    std::thread::scope(|scope| {
        let waiting = scope.spawn(|| {
            let started = Instant::now();
            let result = plugin.findings("the cat scratches are back", &Context::default());
            (result, started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(30));
        drop(session);
        let (result, waited) = waiting.join().unwrap();
        assert_eq!(result.unwrap().len(), 1, "waited {waited:?}");
    });
}
