//! Installed WebAssembly plugins in the server: `plugin install` with the
//! operator's key, `serve` loading them (and refusing to start with a refused
//! one), a risk rule raising a screened note's level through HTTP, a failing
//! rule failing closed without taking the server down, and the CBT tools the
//! tool routes run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::StatusCode;
use healing_server::plugins::{PluginSettings, PluginToolError, ServerPlugins};
use serde_json::{Value, json};

use crate::both_backends;
use crate::processes::{Server, client, register_and_login, run_command};
use crate::support::{Backend, TestApp};

/// A committed plugin fixture of the host's tests.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plugins/healing-plugins/tests/fixtures")
        .join(format!("{name}.wasm"))
}

/// A plugins folder and key file inside `dir`, as the embedded default lays
/// them out.
fn settings(dir: &Path) -> PluginSettings {
    PluginSettings {
        dir: dir.join("healing-data/plugins"),
        key_file: dir.join("healing-data/plugin-artifact.key"),
    }
}

/// Installs `fixtures` (file name, id) into `dir` as `plugin install` does.
fn install(dir: &Path, fixtures: &[(&str, &str)]) -> PluginSettings {
    let settings = settings(dir);
    for (name, id) in fixtures {
        let report =
            healing_server::plugins::install(&settings, &fixture(name), Some(id), None).unwrap();
        assert!(report.contains(&format!(" {id} 0.1.0 ")), "{report}");
    }
    settings
}

const LOCAL_TERM: &str = "the cat scratches are back";

async fn mood_note(app: &TestApp, note: &str) -> Value {
    let patient = app.login("pat").await;
    let response = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 4, "note": note }),
            Some(&patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json["data"]["safety"].clone()
}

async fn a_risk_rule_plugin_raises_the_level_of_a_screened_mood_note(backend: Backend) {
    // The built-in rules alone do not flag the service's local term.
    let plain = TestApp::new(backend).await;
    plain.register_patient("pat").await;
    let safety = mood_note(&plain, LOCAL_TERM).await;
    assert!(
        matches!(safety["level"].as_str(), Some("none" | "low")),
        "{safety}"
    );
    drop(plain);

    let dir = tempfile::tempdir().unwrap();
    let settings = install(
        dir.path(),
        &[
            ("local_terms", "local-terms"),
            ("hostile_rule", "hostile-rule"),
        ],
    );
    let plugins = ServerPlugins::load(&settings).unwrap();
    assert!(
        plugins
            .engine
            .rules_version()
            .ends_with("+plugin/hostile-rule@0.1.0+plugin/local-terms@0.1.0"),
        "{}",
        plugins.engine.rules_version()
    );
    let app = TestApp::with_plugins(backend, plugins).await;
    app.register_patient("pat").await;
    let safety = mood_note(&app, LOCAL_TERM).await;
    assert_eq!(safety["level"], "medium", "{safety}");
    assert!(safety["signpost"].is_string(), "{safety}");

    // A rule that traps, runs past its deadline or grows past its memory cap
    // fails closed (crisis resources shown), and the server keeps answering.
    for hostile in ["trap", "loop", "grow"] {
        let safety = mood_note(&app, hostile).await;
        assert_eq!(safety["level"], "high", "{hostile}: {safety}");
        assert_eq!(safety["show_crisis_resources"], true, "{hostile}");
    }
    let health = app.get("/api/health", None).await;
    assert_eq!(health.status, StatusCode::OK);
}

both_backends!(a_risk_rule_plugin_raises_the_level_of_a_screened_mood_note);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cbt_tool_plugins_list_their_schemas_and_answer_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let settings = install(
        dir.path(),
        &[
            ("box_breathing", "box-breathing"),
            ("local_terms", "local-terms"),
        ],
    );
    let tools = ServerPlugins::load(&settings).unwrap().tools;
    let listed = tools.list();
    assert_eq!(listed.len(), 1, "risk rules are not tools: {listed:?}");
    assert_eq!(listed[0].id, "box-breathing");
    assert_eq!(listed[0].version, "0.1.0");
    assert_eq!(listed[0].input_schema["type"], "object");
    assert!(tools.contains("box-breathing") && !tools.contains("local-terms"));

    let output = tools
        .run(
            "box-breathing",
            json!({ "cycles": 2, "seconds_per_side": 5 }),
        )
        .await
        .unwrap();
    assert_eq!(output.data, json!({ "cycles": 2, "total_seconds": 40 }));

    let invalid = tools
        .run("box-breathing", json!({ "cycles": 99 }))
        .await
        .unwrap_err();
    assert!(
        matches!(invalid, PluginToolError::InvalidInput(_)),
        "{invalid:?}"
    );
    assert_eq!(
        invalid.api_error().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let unknown = tools.run("local-terms", json!({})).await.unwrap_err();
    assert_eq!(
        unknown,
        PluginToolError::UnknownTool("local-terms".to_owned())
    );
    assert_eq!(unknown.api_error().status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_loads_what_plugin_install_installed_and_refuses_a_refused_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("local_terms");
    let (code, report, stderr) = run_command(
        dir.path(),
        &["plugin", "install", source.to_str().unwrap()],
        &[],
    )
    .await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        report.contains("installed risk rule local-terms 0.1.0"),
        "{report}"
    );
    let data = dir.path().join("healing-data");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let key = std::fs::metadata(data.join("plugin-artifact.key")).unwrap();
        assert_eq!(key.permissions().mode() & 0o777, 0o600);
    }

    // Served: the installed rule screens a patient's note through HTTP.
    let mut server = Server::start(dir.path(), &[]).await;
    let patient = register_and_login(&server.base, "pat").await;
    let written: Value = client()
        .post(format!(
            "{}/api/patients/{}/moods",
            server.base, patient.user_id
        ))
        .header("cookie", format!("healing_session={}", patient.cookie))
        .header("x-csrf-token", &patient.csrf)
        .json(&json!({ "mood": 4, "note": LOCAL_TERM }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(written["data"]["safety"]["level"], "medium", "{written}");
    server.child.kill().await.unwrap();

    // A corrupted artifact: the server refuses to start, naming the plugin.
    let artifact = data.join("plugins/local-terms/plugin.cwasm");
    let mut bytes = std::fs::read(&artifact).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&artifact, &bytes).unwrap();
    let (code, _, stderr) = tokio::time::timeout(
        Duration::from_secs(60),
        run_command(dir.path(), &["serve"], &[("HEALING_BIND", "127.0.0.1:0")]),
    )
    .await
    .expect("the server exits instead of serving");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("'local-terms'") && stderr.contains("hmac does not match"),
        "{stderr}"
    );
}
