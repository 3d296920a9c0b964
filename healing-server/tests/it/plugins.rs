//! Installed WebAssembly plugins in the server: `plugin install` with the
//! operator's key, `serve` loading them (and refusing to start with a refused
//! one, or with a CBT tool whose id a built-in tool has), a risk rule raising
//! the level of a screened note and of a CBT tool run through HTTP, a failing
//! rule failing closed without taking the server down, and CBT tool plugins in
//! the one tool catalogue: listed with their schemas, run, screened, stored and
//! listed like the built-in tools, a hostile one answering each call with an
//! error while the server stays healthy; and the admin's view of them: each
//! plugin's status, a CBT tool or a risk rule disabled after repeated failures
//! and enabled again through `/api/admin/plugins`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use axum::http::StatusCode;
use healing_server::plugins::{PluginSettings, ServerPlugins};
use healing_store::prelude::*;
use healing_store::{AuditQuery, Role};
use serde_json::{Value, json};

use crate::both_backends;
use crate::processes::{Server, client, register_and_login, run_command};
use crate::support::{Backend, Session, TestApp, TestResponse};

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

/// What every test here installs: the example risk rule and CBT tool, and the
/// hostile fixtures of each world, as (fixture, id).
const INSTALLED: &[(&str, &str)] = &[
    ("local_terms", "local-terms"),
    ("hostile_rule", "hostile-rule"),
    ("box_breathing", "box-breathing"),
    ("hostile_tool", "hostile-tool"),
];

/// Folders of installed plugins, shared by every test of this binary:
/// `plugins` holds [`INSTALLED`]; `clash` holds the box-breathing example
/// installed under a built-in tool's id.
struct Installed {
    plugins: PluginSettings,
    clash: PluginSettings,
}

/// Installs the fixtures with `plugin install`'s own function (what the CLI
/// runs), once per build of this test binary. A debug build of Cranelift takes
/// seconds per component and nextest runs each test in its own process, so the
/// folders live under cargo's temp dir for this target, named by the fixtures'
/// and this binary's fingerprint, and a file lock lets the first process
/// install while the others wait; later processes only load the artifacts.
fn installed() -> &'static Installed {
    static INSTALLED_ONCE: OnceLock<Installed> = OnceLock::new();
    INSTALLED_ONCE.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("server-plugins");
        std::fs::create_dir_all(&root).unwrap();
        let folder = root.join(fingerprint());
        let lock = File::create(root.join("install.lock")).unwrap();
        lock.lock().unwrap();
        let done = folder.join("installed");
        if !done.exists() {
            // A previous build's folders, or a half-finished install.
            for entry in std::fs::read_dir(&root).unwrap().flatten() {
                if entry.path().is_dir() {
                    std::fs::remove_dir_all(entry.path()).unwrap();
                }
            }
            install(&settings(&folder.join("plugins")), INSTALLED);
            install(
                &PluginSettings {
                    dir: folder.join("clash/plugins"),
                    key_file: settings(&folder.join("plugins")).key_file,
                },
                &[("box_breathing", "gratitude")],
            );
            File::create(&done).unwrap();
        }
        lock.unlock().unwrap();
        Installed {
            plugins: settings(&folder.join("plugins")),
            clash: PluginSettings {
                dir: folder.join("clash/plugins"),
                key_file: settings(&folder.join("plugins")).key_file,
            },
        }
    })
}

/// The fixtures' bytes and this test binary's identity (path, size, time):
/// a rebuilt host or a changed fixture installs afresh.
fn fingerprint() -> String {
    let mut identity = Vec::new();
    for (name, _) in INSTALLED {
        identity.extend(std::fs::read(fixture(name)).unwrap());
    }
    let exe = std::env::current_exe().unwrap();
    let meta = std::fs::metadata(&exe).unwrap();
    let built = meta
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    identity.extend(format!("{} {} {built:?}", exe.display(), meta.len()).bytes());
    healing_plugins::sha256_hex(&identity)[..16].to_owned()
}

/// Installs `fixtures` (file name, id) as `healing-server plugin install PATH
/// --id ID` does.
fn install(settings: &PluginSettings, fixtures: &[(&str, &str)]) {
    for (name, id) in fixtures {
        let report =
            healing_server::plugins::install(settings, &fixture(name), Some(id), None).unwrap();
        assert!(report.contains(&format!(" {id} 0.1.0 ")), "{report}");
    }
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

    let plugins = ServerPlugins::load(&installed().plugins).unwrap();
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

fn runs_path(patient: &Session, tool: &str) -> String {
    format!(
        "/api/patients/{}/tools/{tool}/runs",
        patient.user_id.as_str()
    )
}

async fn run(app: &TestApp, patient: &Session, tool: &str, input: Value) -> TestResponse {
    app.post(
        &runs_path(patient, tool),
        json!({ "input": input }),
        Some(patient),
    )
    .await
}

async fn cbt_tool_plugins_are_listed_run_stored_and_contained_like_built_in_tools(
    backend: Backend,
) {
    let app =
        TestApp::with_plugins(backend, ServerPlugins::load(&installed().plugins).unwrap()).await;
    app.register_patient("pat").await;
    let patient = app.login("pat").await;

    // One catalogue: the built-in tools, then the plugin tools (not the risk
    // rules), each with its JSON Schemas.
    let tools = app.get("/api/tools", Some(&patient)).await;
    assert_eq!(tools.status, StatusCode::OK, "{}", tools.text);
    let listed = tools.json["data"].as_array().unwrap();
    let ids: Vec<(&str, &str)> = listed
        .iter()
        .map(|tool| {
            (
                tool["id"].as_str().unwrap(),
                tool["origin"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("thought_record", "built_in"),
            ("behavioural_activation", "built_in"),
            ("breathing_grounding", "built_in"),
            ("gratitude", "built_in"),
            ("box-breathing", "plugin"),
            ("hostile-tool", "plugin"),
        ]
    );
    let breathing = &listed[4];
    assert_eq!(breathing["title"], "Box breathing");
    assert!(
        breathing["description"]
            .as_str()
            .unwrap()
            .contains("breathing")
    );
    // The plugin's own input schema, and its output schema for the result's data.
    assert_eq!(
        breathing["input_schema"]["properties"]["cycles"]["maximum"],
        10
    );
    assert_eq!(
        breathing["result_schema"]["properties"]["data"]["required"],
        json!(["cycles", "total_seconds"])
    );
    assert_eq!(
        breathing["result_schema"]["required"],
        json!(["data", "steps", "journal_summary"])
    );

    // A run through HTTP: checked, stored and listed like a built-in tool's,
    // and counted as today's CBT exercise.
    let done = run(
        &app,
        &patient,
        "box-breathing",
        json!({ "cycles": 2, "seconds_per_side": 5 }),
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    let stored = &done.json["data"]["run"];
    assert_eq!(stored["tool_id"], "box-breathing");
    assert_eq!(
        stored["result"]["data"],
        json!({ "cycles": 2, "total_seconds": 40 })
    );
    assert_eq!(
        stored["result"]["steps"].as_array().unwrap().len(),
        1 + 2 * 4
    );
    assert_eq!(stored["result"]["steps"][1]["seconds"], 5);
    assert_eq!(
        stored["result"]["journal_summary"],
        "Box breathing: 2 cycles, 40 seconds."
    );
    assert_eq!(done.json["data"]["safety"]["show_crisis_resources"], false);
    let history = app
        .get(&runs_path(&patient, "box-breathing"), Some(&patient))
        .await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.text);
    assert_eq!(history.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(history.json["data"][0]["id"], stored["id"]);
    assert_eq!(history.json["data"][0]["result"], stored["result"]);
    let today = app
        .get(
            &format!("/api/patients/{}/today", patient.user_id.as_str()),
            Some(&patient),
        )
        .await;
    let cbt = today.json["data"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|task| task["id"] == "cbt_exercise")
        .cloned()
        .unwrap_or_default();
    assert_eq!(cbt["done"], true, "{}", today.text);

    // Input the plugin's schema refuses: 400 like a built-in tool, nothing stored.
    let refused = run(&app, &patient, "box-breathing", json!({ "cycles": 99 })).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert_eq!(refused.json["code"], "VALIDATION_FAILED");
    assert!(refused.text.contains("/cycles"), "{}", refused.text);

    // What the patient typed into a plugin tool is screened like any free
    // text, with the installed risk rules: sealed at rest, level raised.
    let screened = run(&app, &patient, "hostile-tool", json!({ "do": LOCAL_TERM })).await;
    assert_eq!(screened.status, StatusCode::CREATED, "{}", screened.text);
    assert_eq!(screened.json["data"]["run"]["result"]["data"]["length"], 26);
    assert_eq!(
        screened.json["data"]["safety"]["level"], "medium",
        "{}",
        screened.text
    );
    assert!(!app.db.holds_text(LOCAL_TERM).await);

    // A plugin that traps, runs past its deadline or grows past its memory cap
    // answers that call with a clear error; after three failures in a row it
    // is disabled and says so. Nothing is stored and the server stays healthy.
    // (Filling 32 MiB can take a loaded debug build past the 100 ms deadline
    // first: either stop is the clear error this checks.)
    for (hostile, causes) in [
        ("trap", &["trapped"][..]),
        ("loop", &["ran past its deadline"]),
        (
            "grow",
            &["tried to grow its memory", "ran past its deadline"],
        ),
    ] {
        let failed = run(&app, &patient, "hostile-tool", json!({ "do": hostile })).await;
        assert_eq!(
            failed.status,
            StatusCode::BAD_GATEWAY,
            "{hostile}: {}",
            failed.text
        );
        assert_eq!(failed.json["code"], "PLUGIN_FAILED");
        let message = failed.json["error"].as_str().unwrap();
        assert!(
            message.contains("plugin 'hostile-tool'")
                && causes.iter().any(|cause| message.contains(cause)),
            "{hostile}: {message}"
        );
    }
    let disabled = run(&app, &patient, "hostile-tool", json!({ "do": "calm" })).await;
    assert_eq!(
        disabled.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        disabled.text
    );
    assert_eq!(disabled.json["code"], "PLUGIN_UNAVAILABLE");
    assert!(disabled.text.contains("disabled"), "{}", disabled.text);
    let health = app.get("/api/health", None).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.text);
    let hostile_runs = app
        .get(&runs_path(&patient, "hostile-tool"), Some(&patient))
        .await;
    assert_eq!(hostile_runs.json["data"].as_array().unwrap().len(), 1);
    // Every other tool still runs.
    let again = run(&app, &patient, "box-breathing", json!({})).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
}

/// `GET /api/admin/plugins` as `admin`: (rules version, plugins).
async fn installed_plugins(app: &TestApp, admin: &Session) -> (String, Vec<Value>) {
    let listed = app.get("/api/admin/plugins", Some(admin)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    (
        listed.json["data"]["rules_version"]
            .as_str()
            .unwrap()
            .to_owned(),
        listed.json["data"]["plugins"].as_array().unwrap().clone(),
    )
}

/// The status of plugin `id` in `GET /api/admin/plugins`.
async fn status_of(app: &TestApp, admin: &Session, id: &str) -> Value {
    let (_, plugins) = installed_plugins(app, admin).await;
    plugins
        .iter()
        .find(|plugin| plugin["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not listed: {plugins:?}"))["status"]
        .clone()
}

async fn enable(app: &TestApp, admin: &Session, id: &str) -> TestResponse {
    app.post(
        &format!("/api/admin/plugins/{id}/enable"),
        json!({}),
        Some(admin),
    )
    .await
}

/// The `plugin_enabled` audit entries: (actor, detail).
async fn plugin_enabled_entries(app: &TestApp) -> Vec<(Option<String>, Value)> {
    app.state
        .store()
        .audit_entries(AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action.as_str() == "plugin_enabled")
        .map(|entry| {
            (
                entry.actor_id.map(|id| id.as_str().to_owned()),
                serde_json::from_str(&entry.detail).unwrap(),
            )
        })
        .collect()
}

async fn an_admin_sees_a_failing_cbt_tool_disabled_and_enables_it_again(backend: Backend) {
    let app =
        TestApp::with_plugins(backend, ServerPlugins::load(&installed().plugins).unwrap()).await;
    app.register_patient("pat").await;
    let admin_id = app.create_staff("admin", Role::Admin).await;
    let patient = app.login("pat").await;
    let admin = app.login("admin").await;

    // Every installed plugin in id order, with what it says about itself, and
    // the rules version every screening is assessed with.
    let (rules_version, plugins) = installed_plugins(&app, &admin).await;
    assert!(
        rules_version.ends_with("+plugin/hostile-rule@0.1.0+plugin/local-terms@0.1.0"),
        "{rules_version}"
    );
    let summary: Vec<(&str, &str, &str, &str)> = plugins
        .iter()
        .map(|plugin| {
            (
                plugin["id"].as_str().unwrap(),
                plugin["kind"].as_str().unwrap(),
                plugin["version"].as_str().unwrap(),
                plugin["contract"].as_str().unwrap(),
            )
        })
        .collect();
    let contract = "healing:plugin@0.1.0";
    assert_eq!(
        summary,
        [
            ("box-breathing", "cbt_tool", "0.1.0", contract),
            ("hostile-rule", "risk_rule", "0.1.0", contract),
            ("hostile-tool", "cbt_tool", "0.1.0", contract),
            ("local-terms", "risk_rule", "0.1.0", contract),
        ]
    );
    assert_eq!(plugins[0]["title"], "Box breathing");
    assert!(
        plugins[0]["summary"]
            .as_str()
            .unwrap()
            .contains("breathing")
    );
    assert_eq!(plugins[1]["title"], "Hostile rule (test fixture)");
    assert_eq!(plugins[1]["summary"], Value::Null, "a risk rule has none");
    for plugin in &plugins {
        assert_eq!(
            plugin["status"],
            json!({ "state": "enabled", "consecutive_failures": 0 })
        );
    }

    // An enabled plugin: nothing changes, the answer says so, nothing audited.
    let unchanged = enable(&app, &admin, "hostile-tool").await;
    assert_eq!(unchanged.status, StatusCode::OK, "{}", unchanged.text);
    assert_eq!(unchanged.json["data"]["was_disabled"], false);
    assert!(
        unchanged.json["message"]
            .as_str()
            .unwrap()
            .contains("already enabled"),
        "{}",
        unchanged.text
    );
    assert!(plugin_enabled_entries(&app).await.is_empty());

    // Failures are counted, and the third in a row disables the tool.
    let failed = run(&app, &patient, "hostile-tool", json!({ "do": "trap" })).await;
    assert_eq!(failed.status, StatusCode::BAD_GATEWAY, "{}", failed.text);
    assert_eq!(
        status_of(&app, &admin, "hostile-tool").await,
        json!({ "state": "enabled", "consecutive_failures": 1 })
    );
    for _ in 0..2 {
        let failed = run(&app, &patient, "hostile-tool", json!({ "do": "trap" })).await;
        assert_eq!(failed.status, StatusCode::BAD_GATEWAY, "{}", failed.text);
    }
    let status = status_of(&app, &admin, "hostile-tool").await;
    assert_eq!(status["state"], "disabled", "{status}");
    let reason = status["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("disabled after 3 consecutive failures")
            && reason.contains("the last was: it trapped"),
        "{reason}"
    );
    let refused = run(&app, &patient, "hostile-tool", json!({ "do": "calm" })).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.text
    );

    // Enabled again: audited with who, which plugin and version, and serving.
    let enabled = enable(&app, &admin, "hostile-tool").await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.text);
    assert_eq!(enabled.json["data"]["was_disabled"], true);
    assert_eq!(enabled.json["data"]["plugin"]["id"], "hostile-tool");
    assert_eq!(
        enabled.json["data"]["plugin"]["status"],
        json!({ "state": "enabled", "consecutive_failures": 0 })
    );
    assert_eq!(
        plugin_enabled_entries(&app).await,
        [(
            Some(admin_id.as_str().to_owned()),
            json!({ "plugin_id": "hostile-tool", "version": "0.1.0" })
        )]
    );
    let served = run(&app, &patient, "hostile-tool", json!({ "do": "calm" })).await;
    assert_eq!(served.status, StatusCode::CREATED, "{}", served.text);
    assert_eq!(served.json["data"]["run"]["result"]["data"]["length"], 4);
    assert_eq!(
        status_of(&app, &admin, "hostile-tool").await,
        json!({ "state": "enabled", "consecutive_failures": 0 })
    );

    // Enabling it again is idempotent and not audited twice.
    let again = enable(&app, &admin, "hostile-tool").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.json["data"]["was_disabled"], false);
    assert_eq!(plugin_enabled_entries(&app).await.len(), 1);

    // An id no plugin has: 404, and no one but an admin gets this far.
    let unknown = enable(&app, &admin, "no-such-plugin").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
    assert_eq!(unknown.json["code"], "NOT_FOUND");
    let by_patient = enable(&app, &patient, "hostile-tool").await;
    assert_eq!(by_patient.status, StatusCode::FORBIDDEN);
    let listed_by_patient = app.get("/api/admin/plugins", Some(&patient)).await;
    assert_eq!(listed_by_patient.status, StatusCode::FORBIDDEN);
}

async fn a_disabled_risk_rule_reads_every_text_as_high_until_an_admin_enables_it(backend: Backend) {
    let app =
        TestApp::with_plugins(backend, ServerPlugins::load(&installed().plugins).unwrap()).await;
    app.register_patient("pat").await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    const CALM: &str = "a quiet walk by the river";

    // The hostile rule reads ordinary text as low.
    assert_eq!(mood_note(&app, CALM).await["level"], "low");
    // Three traps in a row disable it; the admin sees it at once.
    for _ in 0..3 {
        assert_eq!(mood_note(&app, "trap").await["level"], "high");
    }
    let status = status_of(&app, &admin, "hostile-rule").await;
    assert_eq!(status["state"], "disabled", "{status}");
    assert!(
        status["reason"]
            .as_str()
            .unwrap()
            .contains("the last was: it trapped"),
        "{status}"
    );
    // Disabled, it fails closed: the calm note reads high, with resources.
    let closed = mood_note(&app, CALM).await;
    assert_eq!(closed["level"], "high", "{closed}");
    assert_eq!(closed["show_crisis_resources"], true);
    // The other rule is untouched.
    assert_eq!(
        status_of(&app, &admin, "local-terms").await,
        json!({ "state": "enabled", "consecutive_failures": 0 })
    );

    let enabled = enable(&app, &admin, "hostile-rule").await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.text);
    assert_eq!(enabled.json["data"]["was_disabled"], true);
    assert_eq!(mood_note(&app, CALM).await["level"], "low");
}

async fn with_no_plugin_installed_the_list_is_empty_with_the_built_in_rules_version(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let (rules_version, plugins) = installed_plugins(&app, &admin).await;
    assert!(plugins.is_empty(), "{plugins:?}");
    assert_eq!(rules_version, healing_core::safety::rules_version());
}

both_backends!(
    a_risk_rule_plugin_raises_the_level_of_a_screened_mood_note,
    cbt_tool_plugins_are_listed_run_stored_and_contained_like_built_in_tools,
    an_admin_sees_a_failing_cbt_tool_disabled_and_enables_it_again,
    a_disabled_risk_rule_reads_every_text_as_high_until_an_admin_enables_it,
    with_no_plugin_installed_the_list_is_empty_with_the_built_in_rules_version,
);

#[test]
fn a_cbt_tool_plugin_with_a_built_in_tool_id_stops_the_start_up() {
    let error = ServerPlugins::load(&installed().clash).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("'gratitude'") && message.contains("built-in tool"),
        "{message}"
    );
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
