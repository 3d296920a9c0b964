//! Tests that run the real binary: first start with no configuration,
//! configuration errors, two processes sharing sessions (PostgreSQL), crash
//! durability under `kill -9` (SQLite), and graceful shutdown on SIGTERM.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::process::{Child, Command};

use crate::support::{Backend, PASSWORD, TEST_KEY_HEX, TestDb};

const BINARY: &str = env!("CARGO_BIN_EXE_healing-server");

/// A running server process.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
}

impl Server {
    /// Starts `healing-server serve` with these variables and waits for "listening on".
    pub(crate) async fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(BINARY);
        command
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HEALING_BIND", "127.0.0.1:0")
            .env("HEALING_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("spawn healing-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("server started within 60 s")
            .expect("read stdout")
            .expect("a listening line");
        let base = line
            .strip_prefix("listening on ")
            .expect("listening line")
            .to_owned();
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { child, base }
    }
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub(crate) struct HttpSession {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
    pub(crate) user_id: String,
}

pub(crate) async fn register_and_login(base: &str, username: &str) -> HttpSession {
    let http = client();
    let body = json!({ "username": username, "email": format!("{username}@example.test"), "password": PASSWORD });
    let response = http
        .post(format!("{base}/api/auth/register"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    login(base, username).await
}

async fn login(base: &str, username: &str) -> HttpSession {
    let response = client()
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            v.to_str()
                .ok()?
                .strip_prefix("healing_session=")
                .map(|r| r.split(';').next().unwrap().to_owned())
        })
        .unwrap();
    let body: Value = response.json().await.unwrap();
    HttpSession {
        cookie,
        csrf: body["data"]["csrf_token"].as_str().unwrap().to_owned(),
        user_id: body["data"]["user"]["id"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_creates_data_folder_database_and_private_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]).await;
    let health: Value = client()
        .get(format!("{}/api/health", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["data"]["status"], "ok");
    let data = dir.path().join("healing-data");
    assert!(data.join("healing.db").exists());
    let key = data.join("encryption.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let keys = healing_server::config::read_key_file(&key, "test").unwrap();
    assert_eq!(keys.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_configuration_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("HEALING_BIND", "not-an-address"),
        ("HEALING_ENCRYPTION_KEY", "too-short"),
        ("DATABASE_URL", "mysql://nope"),
        ("HEALING_COOKIE_SECURE", "sometimes"),
    ] {
        let output = Command::new(BINARY)
            .arg("migrate")
            .current_dir(dir.path())
            .env_clear()
            .env(name, value)
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_on_one_postgres_share_sessions() {
    let db = TestDb::new(Backend::Postgres).await;
    let env = [
        ("DATABASE_URL", db.url.as_str()),
        ("HEALING_ENCRYPTION_KEY", TEST_KEY_HEX),
    ];
    let first = Server::start(db.dir.path(), &env).await;
    let second = Server::start(db.dir.path(), &env).await;
    let session = register_and_login(&first.base, "pat").await;
    let http = client();
    let check = http
        .get(format!("{}/api/auth/check-session", second.base))
        .header("cookie", format!("healing_session={}", session.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(
        check.status(),
        200,
        "the session made on the first process works on the second"
    );
    let write = http
        .post(format!(
            "{}/api/patients/{}/moods",
            second.base, session.user_id
        ))
        .header("cookie", format!("healing_session={}", session.cookie))
        .header("x-csrf-token", &session.csrf)
        .json(&json!({ "mood": 6, "note": "written via the second process" }))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 201);
    let logout = http
        .post(format!("{}/api/auth/logout", second.base))
        .header("cookie", format!("healing_session={}", session.cookie))
        .header("x-csrf-token", &session.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    let after = http
        .get(format!("{}/api/auth/check-session", first.base))
        .header("cookie", format!("healing_session={}", session.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        401,
        "logout on one process ends the session on the other"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_write_or_audited_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]).await;
    let session = register_and_login(&server.base, "pat").await;
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let base = server.base.clone();
        let (cookie, csrf, user) = (
            session.cookie.clone(),
            session.csrf.clone(),
            session.user_id.clone(),
        );
        let acknowledged = acknowledged.clone();
        writers.push(tokio::spawn(async move {
            let http = client();
            for i in 0..10_000 {
                let response = http
                    .post(format!("{base}/api/patients/{user}/moods"))
                    .header("cookie", format!("healing_session={cookie}"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({ "mood": 1 + (i % 10), "note": format!("w{writer}-{i}") }))
                    .send()
                    .await;
                let Ok(response) = response else { break };
                if response.status() != 201 {
                    break;
                }
                let Ok(body) = response.json::<Value>().await else {
                    break;
                };
                acknowledged
                    .lock()
                    .unwrap()
                    .push(body["data"]["id"].as_str().unwrap().to_owned());
            }
        }));
    }
    // Readers beside the writers: every read is audited, and a read whose answer
    // arrived must have its audit entry on disk (appends are group-committed).
    let reads_answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..2 {
        let url = format!("{}/api/patients/{}/moods", server.base, session.user_id);
        let cookie = session.cookie.clone();
        let reads_answered = reads_answered.clone();
        writers.push(tokio::spawn(async move {
            let http = client();
            loop {
                let response = http
                    .get(&url)
                    .header("cookie", format!("healing_session={cookie}"))
                    .send()
                    .await;
                match response {
                    Ok(response) if response.status() == 200 => {
                        reads_answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    _ => break,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.start_kill().unwrap(); // SIGKILL on Unix: no chance to flush anything.
    server.child.wait().await.unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "only {} writes before the kill",
        acknowledged.len()
    );
    let reads_answered = reads_answered.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        reads_answered > 20,
        "only {reads_answered} reads before the kill"
    );
    let reads_audited: i64 = {
        use sqlx::Connection as _;
        let url = format!(
            "sqlite://{}",
            dir.path().join("healing-data/healing.db").display()
        );
        let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'patient_data_read' AND subject_patient_id = $1",
        )
        .bind(&session.user_id)
        .fetch_one(&mut connection)
        .await
        .unwrap()
    };
    assert!(
        usize::try_from(reads_audited).unwrap() >= reads_answered,
        "{reads_answered} reads answered but only {reads_audited} audited"
    );
    let (code, stdout, _) = run_command(dir.path(), &["verify-audit"], &[]).await;
    assert_eq!(code, Some(0), "{stdout}");
    let restarted = Server::start(dir.path(), &[]).await;
    let session = login(&restarted.base, "pat").await;
    let stored: Value = client()
        .get(format!(
            "{}/api/patients/{}/moods",
            restarted.base, session.user_id
        ))
        .header("cookie", format!("healing_session={}", session.cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stored: std::collections::HashSet<&str> = stored["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost: {lost:?}",
        lost.len()
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_an_in_flight_request_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]).await;
    let address = server.base.trim_start_matches("http://").to_owned();
    // Start a request and stop halfway through its body, so it is in flight.
    let body =
        json!({ "username": "pat", "email": "pat@example.test", "password": PASSWORD }).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request = format!(
        "POST /api/auth/register HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.child.id().unwrap();
    let status = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    // New connections are refused once shutdown began...
    assert!(
        tokio::net::TcpStream::connect(&address).await.is_err(),
        "listener closed after SIGTERM"
    );
    // ...but the in-flight request completes.
    stream.write_all(tail.as_bytes()).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(
        Duration::from_secs(20),
        stream.read_to_string(&mut response),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    let exit = tokio::time::timeout(Duration::from_secs(20), server.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit:?}");
}

pub(crate) async fn run_command(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HEALING_LOG", "warn");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().await.unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_commands_create_users_rotate_keys_and_verify_the_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_command(dir.path(), &["migrate"], &[]).await;
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run_command(
        dir.path(),
        &[
            "create-user",
            "--username",
            "first.admin",
            "--email",
            "admin@example.test",
            "--role",
            "admin",
        ],
        &[("HEALING_NEW_USER_PASSWORD", PASSWORD)],
    )
    .await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("created admin first.admin"), "{stdout}");
    let (code, _, stderr) = run_command(
        dir.path(),
        &[
            "create-user",
            "--username",
            "weak",
            "--email",
            "weak@example.test",
        ],
        &[("HEALING_NEW_USER_PASSWORD", "short")],
    )
    .await;
    assert_eq!(code, Some(1));
    assert!(stderr.contains("below the minimum of 12"), "{stderr}");

    // Write encrypted data, then rotate the key with the server stopped.
    let server = Server::start(dir.path(), &[]).await;
    let session = register_and_login(&server.base, "pat").await;
    let write = client()
        .post(format!(
            "{}/api/patients/{}/moods",
            server.base, session.user_id
        ))
        .header("cookie", format!("healing_session={}", session.cookie))
        .header("x-csrf-token", &session.csrf)
        .json(&json!({ "mood": 5, "note": "before rotation" }))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 201);
    drop(server);
    let key_file = dir.path().join("healing-data/encryption.key");
    let old = healing_server::config::read_key_file(&key_file, "test").unwrap();
    let (code, stdout, stderr) = run_command(dir.path(), &["rotate-key"], &[]).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("re-encrypted"), "{stdout}");
    let keys = healing_server::config::read_key_file(&key_file, "test").unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[1].id(), old[0].id(), "old key kept after the new one");
    // Every value now opens with the new key alone.
    let ring = healing_store::KeyRing::new(keys[0].id().clone(), keys[0].field_key());
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("healing-data/healing.db").display()
    );
    let store = healing_store::connect(
        &url,
        healing_store::ConnectOptions::new(std::sync::Arc::new(healing_store::FieldCipher::new(
            ring,
        ))),
    )
    .await
    .unwrap();
    use healing_store::prelude::*;
    let patient = healing_core::ids::PersonId::new(session.user_id.clone()).unwrap();
    let entries = store.mood_entries(&patient).await.unwrap();
    assert_eq!(entries[0].entry.note(), Some("before rotation"));

    // verify-audit: intact, then broken after an edit.
    let (code, stdout, _) = run_command(dir.path(), &["verify-audit"], &[]).await;
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("audit chain intact"), "{stdout}");
    {
        use sqlx::Connection as _;
        let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(&mut connection)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET action = 'tampered' WHERE seq = 2")
            .execute(&mut connection)
            .await
            .unwrap();
    }
    let (code, _, stderr) = run_command(dir.path(), &["verify-audit"], &[]).await;
    assert_eq!(code, Some(1));
    assert!(stderr.contains("audit chain broken"), "{stderr}");
}
