//! Test harness: a fresh database per test on SQLite (temp dir) or
//! PostgreSQL (a new database on the server of `HEALING_TEST_POSTGRES_URL`,
//! default `postgres://postgres@127.0.0.1:5432/test`, copied from a migrated
//! template and dropped afterwards),
//! the app driven in-process with `oneshot`, and helpers for sessions.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use healing_core::ids::PersonId;
use healing_server::alerting::AlertingConfig;
use healing_server::auth::session::CookieSecurity;
use healing_server::mailer::Mailer;
use healing_server::screening::Screener;
use healing_server::state::{AppState, StateOptions};
use healing_store::prelude::*;
use healing_store::{
    AlertingPolicy, AnyStore, ConnectOptions, FieldCipher, KeyRing, NewUser, PasswordScheme, Role,
};
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// Runs an `async fn(Backend)` test once per back end.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::support::Backend::Postgres).await;
            }
        }
    )+};
}

pub(crate) fn postgres_admin_url() -> String {
    std::env::var("HEALING_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("os random");
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// A database that exists for one test.
pub(crate) struct TestDb {
    pub(crate) backend: Backend,
    pub(crate) url: String,
    pub(crate) dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub(crate) async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("healing.db").display()
                );
                Self {
                    backend,
                    url,
                    dir,
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                use sqlx::Connection as _;
                let admin = postgres_admin_url();
                let name = format!("healing_t_{}", random_hex(8));
                let mut connection =
                    sqlx::PgConnection::connect(&admin)
                        .await
                        .unwrap_or_else(|error| {
                            panic!(
                                "PostgreSQL at {admin} is needed for the postgres tests: {error}"
                            )
                        });
                let base = admin
                    .rsplit_once('/')
                    .map_or(admin.as_str(), |(base, _)| base)
                    .to_owned();
                let template = migrated_template(&mut connection, &base).await;
                sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut connection)
                    .await
                    .expect("create database");
                connection.close().await.ok();
                Self {
                    backend,
                    url: format!("{base}/{name}"),
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// Raw SQL access for tests that inspect or tamper with rows.
    pub(crate) async fn raw_execute(&self, sql: &str) -> u64 {
        use sqlx::Connection as _;
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("sqlite");
                sqlx::query(sql)
                    .execute(&mut c)
                    .await
                    .expect("raw sql")
                    .rows_affected()
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.expect("pg");
                sqlx::query(sql)
                    .execute(&mut c)
                    .await
                    .expect("raw sql")
                    .rows_affected()
            }
        }
    }

    /// Drops the append-only triggers on `audit_log`, as an attacker with
    /// database access would before editing it (the hash chain must still tell).
    pub(crate) async fn drop_audit_triggers(&self) {
        match self.backend {
            Backend::Sqlite => {
                self.raw_execute("DROP TRIGGER audit_log_no_update").await;
                self.raw_execute("DROP TRIGGER audit_log_no_delete").await;
            }
            Backend::Postgres => {
                self.raw_execute("DROP TRIGGER audit_log_no_update_or_delete ON audit_log")
                    .await;
            }
        }
    }

    /// Whether `text` appears anywhere in the database's bytes (sealed text never does).
    pub(crate) async fn holds_text(&self, text: &str) -> bool {
        self.raw_dump()
            .await
            .windows(text.len())
            .any(|window| window == text.as_bytes())
    }

    /// Every byte of every row of every table, as text (PostgreSQL) or the
    /// raw database files (SQLite: main file and WAL).
    pub(crate) async fn raw_dump(&self) -> Vec<u8> {
        use sqlx::Connection as _;
        match self.backend {
            Backend::Sqlite => {
                let mut bytes = Vec::new();
                for entry in std::fs::read_dir(self.dir.path()).expect("dir") {
                    let path = entry.expect("entry").path();
                    bytes.extend(std::fs::read(&path).unwrap_or_default());
                }
                bytes
            }
            Backend::Postgres => {
                use sqlx::Row as _;
                let mut c = sqlx::PgConnection::connect(&self.url).await.expect("pg");
                let tables: Vec<String> =
                    sqlx::query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                        .fetch_all(&mut c)
                        .await
                        .expect("tables")
                        .iter()
                        .map(|row| row.get::<String, _>(0))
                        .collect();
                let mut bytes = Vec::new();
                for table in tables {
                    // row_to_json renders bytea as \x hex; also take the raw bytes via encode(..,'escape').
                    let rows = sqlx::query(&format!("SELECT row_to_json(t)::text FROM {table} t"))
                        .fetch_all(&mut c)
                        .await
                        .expect("rows");
                    for row in rows {
                        bytes.extend(row.get::<String, _>(0).into_bytes());
                    }
                }
                bytes
            }
        }
    }
}

/// The name of a PostgreSQL database with every migration applied, made
/// once per set of migration files by whichever test gets there first: a test
/// database copied from it is ready at once, where migrating each new one
/// took one to two seconds of every PostgreSQL test. Built under another name
/// and renamed when complete, behind an advisory lock, so a test never copies
/// a half-migrated template.
async fn migrated_template(admin: &mut sqlx::PgConnection, base: &str) -> String {
    use sha2::Digest as _;
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("migrations folder")
        .map(|entry| entry.expect("migration file").path())
        .collect();
    files.sort();
    let mut hasher = sha2::Sha256::new();
    for file in &files {
        hasher.update(file.file_name().expect("file name").as_encoded_bytes());
        hasher.update(std::fs::read(file).expect("migration"));
    }
    let digest = hasher.finalize();
    let name = format!("healing_tpl_{}", hex_prefix(&digest, 8));
    // Any fixed key: only the builders of templates take it.
    sqlx::query("SELECT pg_advisory_lock(4242017)")
        .execute(&mut *admin)
        .await
        .expect("advisory lock");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut *admin)
        .await
        .expect("look for the template");
    if exists.is_none() {
        let building = format!("{name}_building_{}", random_hex(4));
        sqlx::query(&format!("CREATE DATABASE {building}"))
            .execute(&mut *admin)
            .await
            .expect("create the template");
        let store = healing_store::connect(
            &format!("{base}/{building}"),
            ConnectOptions::new(test_cipher()),
        )
        .await
        .expect("connect to the template");
        store.migrate().await.expect("migrate the template");
        store.close().await;
        sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .execute(&mut *admin)
            .await
            .expect("publish the template");
    }
    sqlx::query("SELECT pg_advisory_unlock(4242017)")
        .execute(&mut *admin)
        .await
        .expect("advisory unlock");
    name
}

fn hex_prefix(bytes: &[u8], len: usize) -> String {
    bytes[..len].iter().map(|b| format!("{b:02x}")).collect()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        let admin = postgres_admin_url();
        // Drop from a separate thread with its own runtime: Drop cannot await.
        let handle = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                use sqlx::Connection as _;
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut c)
                        .await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// A fixed test key (hex), also used when tests spawn the binary.
pub(crate) const TEST_KEY_HEX: &str =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

pub(crate) fn test_cipher() -> Arc<FieldCipher> {
    let key = healing_server::config::parse_key(TEST_KEY_HEX, "test").expect("key");
    let ring = KeyRing::new(key.id().clone(), key.field_key());
    Arc::new(FieldCipher::new(ring))
}

/// The store with this alerting policy (the server derives it from its
/// configuration with [`AlertingConfig::policy`]).
pub(crate) async fn open_store_with(db: &TestDb, alerting: AlertingPolicy) -> AnyStore {
    // The server queues notification emails when it has SMTP, as alert emails.
    let notification_email = alerting.channels.email_to_clinicians;
    let options = ConnectOptions {
        alerting,
        notification_email,
        ..ConnectOptions::new(test_cipher())
    };
    let store = healing_store::connect(&db.url, options)
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    store
}

/// The app over a fresh database.
pub(crate) struct TestApp {
    pub(crate) db: TestDb,
    pub(crate) state: AppState,
    router: Router,
}

/// A signed-in session as a browser holds it.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
    pub(crate) user_id: PersonId,
}

/// A response, body parsed as JSON (Null if not JSON).
#[derive(Debug)]
pub(crate) struct TestResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) json: Value,
    pub(crate) text: String,
}

impl TestResponse {
    /// The session cookie value set by this response, if any.
    pub(crate) fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.strip_prefix("healing_session=")
                    .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
            })
            .filter(|v| !v.is_empty())
    }
}

pub(crate) const PASSWORD: &str = "plum orbit ladder seven";
/// TOTP secret given to staff created by the harness (base32 of "12345678901234567890").
/// The `/metrics` bearer token of every test app.
pub(crate) const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// The state options of every test app: plain HTTP on loopback, metrics on.
pub(crate) fn test_options() -> StateOptions {
    StateOptions {
        cookie_security: CookieSecurity::PlainHttpLoopback,
        public_url: "http://127.0.0.1:8080".to_owned(),
        metrics_token: Some(METRICS_TOKEN.to_owned()),
        fhir_signing_key: None,
        alerting: AlertingConfig::default(),
        llm: None,
        appointments: healing_server::appointments::AppointmentConfig::default(),
    }
}

pub(crate) const STAFF_TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

impl TestApp {
    pub(crate) async fn new(backend: Backend) -> Self {
        Self::with_mailer(backend, Mailer::Disabled).await
    }

    pub(crate) async fn with_mailer(backend: Backend, mailer: Mailer) -> Self {
        Self::with_parts(backend, mailer, test_options(), Screener::standard()).await
    }

    /// The app with other settings (metrics token, cookie security, public URL).
    pub(crate) async fn with_options(
        backend: Backend,
        mailer: Mailer,
        options: StateOptions,
    ) -> Self {
        Self::with_parts(backend, mailer, options, Screener::standard()).await
    }

    /// The app screening with `screener` (e.g. one that fails closed).
    pub(crate) async fn with_screener(backend: Backend, screener: Screener) -> Self {
        Self::with_parts(backend, Mailer::Disabled, test_options(), screener).await
    }

    /// The app with the plugins loaded from a plugins folder: risk rules in
    /// its safety engine, CBT tools in its plugin tools.
    pub(crate) async fn with_plugins(
        backend: Backend,
        plugins: healing_server::plugins::ServerPlugins,
    ) -> Self {
        let db = TestDb::new(backend).await;
        let options = test_options();
        let mailer = Mailer::Disabled;
        let store = open_store_with(&db, options.alerting.policy(&mailer)).await;
        let state = AppState::with_plugins(store, mailer, options, plugins);
        let router = healing_server::app(state.clone());
        Self { db, state, router }
    }

    async fn with_parts(
        backend: Backend,
        mailer: Mailer,
        options: StateOptions,
        screener: Screener,
    ) -> Self {
        let db = TestDb::new(backend).await;
        let store = open_store_with(&db, options.alerting.policy(&mailer)).await;
        let state = AppState::with_screener(store, mailer, options, screener);
        let router = healing_server::app(state.clone());
        Self { db, state, router }
    }

    /// Another app instance (its own pool, state and router) over this test's
    /// database, standing for a second server process. It must not outlive `self`,
    /// which owns the database.
    pub(crate) async fn second_instance(&self) -> Self {
        self.second_instance_with(Mailer::Disabled).await
    }

    /// [`TestApp::second_instance`] sending email through `mailer`.
    pub(crate) async fn second_instance_with(&self, mailer: Mailer) -> Self {
        let db = TestDb {
            backend: self.db.backend,
            url: self.db.url.clone(),
            dir: tempfile::tempdir().expect("temp dir"),
            // Not the owner: dropping this instance leaves the database in place.
            pg_name: None,
        };
        let options = test_options();
        let store = open_store_with(&db, options.alerting.policy(&mailer)).await;
        let state = AppState::new(store, mailer, options);
        let router = healing_server::app(state.clone());
        Self { db, state, router }
    }

    pub(crate) async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            json,
            text,
        }
    }

    /// A JSON request; with a session, sends its cookie and CSRF token.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        session: Option<&Session>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(session) = session {
            builder = builder
                .header(
                    header::COOKIE,
                    format!("healing_session={}", session.cookie),
                )
                .header("x-csrf-token", &session.csrf);
        }
        let body = match body {
            Some(value) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    pub(crate) async fn get(&self, path: &str, session: Option<&Session>) -> TestResponse {
        self.call(Method::GET, path, None, session).await
    }

    pub(crate) async fn post(
        &self,
        path: &str,
        body: Value,
        session: Option<&Session>,
    ) -> TestResponse {
        self.call(Method::POST, path, Some(body), session).await
    }

    /// Records the signed-in patient's consent decision for `purpose`, naming
    /// the purpose's registered wording.
    pub(crate) async fn consent(
        &self,
        patient: &Session,
        purpose: &str,
        decision: &str,
    ) -> TestResponse {
        self.post(
            &format!("/api/patients/{}/consent", patient.user_id.as_str()),
            json!({ "purpose": purpose, "decision": decision, "wording_version": format!("{purpose}-2026-01") }),
            Some(patient),
        )
        .await
    }

    /// `clinician` asks to link with the patient `username`, and `patient` accepts.
    pub(crate) async fn accept_link(&self, username: &str, patient: &Session, clinician: &Session) {
        let link = self
            .post(
                "/api/links",
                json!({ "patient_username": username }),
                Some(clinician),
            )
            .await;
        assert_eq!(link.status, StatusCode::CREATED, "{}", link.text);
        let accepted = self
            .post(
                &format!(
                    "/api/patients/{}/links/{}/accept",
                    patient.user_id.as_str(),
                    link.json["data"]["id"].as_str().expect("link id")
                ),
                json!({}),
                Some(patient),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    }

    /// Registers a patient through the API and returns their id.
    pub(crate) async fn register_patient(&self, username: &str) -> PersonId {
        let response = self
            .post(
                "/api/auth/register",
                json!({ "username": username, "email": format!("{username}@example.test"), "password": PASSWORD }),
                None,
            )
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        PersonId::new(response.json["data"]["id"].as_str().expect("id")).expect("person id")
    }

    /// Creates a user directly in the store with any password hash (legacy tests).
    pub(crate) async fn create_user_with_hash(
        &self,
        username: &str,
        role: Role,
        hash: &str,
        scheme: PasswordScheme,
    ) -> PersonId {
        self.state
            .store()
            .create_user(NewUser {
                username: username.to_owned(),
                email: format!("{username}@example.test"),
                display_name: username.to_owned(),
                role,
                password_hash: hash.to_owned(),
                password_scheme: scheme,
                nhs_number: None,
                year_of_birth: None,
                created_at: self.state.now(),
            })
            .await
            .expect("create user")
            .id
    }

    /// Creates a clinician or admin with TOTP enrolled (secret [`STAFF_TOTP_SECRET`]).
    pub(crate) async fn create_staff(&self, username: &str, role: Role) -> PersonId {
        let hash = healing_server::auth::password::hash_password(PASSWORD).expect("hash");
        let id = self
            .create_user_with_hash(username, role, &hash, PasswordScheme::Argon2id)
            .await;
        self.state
            .store()
            .set_totp_secret(&id, STAFF_TOTP_SECRET)
            .await
            .expect("secret");
        self.state.store().enable_totp(&id).await.expect("enable");
        id
    }

    /// Logs in with the password, completing TOTP for staff.
    pub(crate) async fn login(&self, username: &str) -> Session {
        let response = self
            .post(
                "/api/auth/login",
                json!({ "username": username, "password": PASSWORD }),
                None,
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "login {username}: {}",
            response.text
        );
        let mut session = session_from(&response);
        if response.json["data"]["stage"] == "awaiting_second_factor" {
            // Each TOTP step is accepted once per user: move the test clock to a
            // fresh step so repeated logins of one user in a test get new codes.
            self.state.clock().advance(30);
            let secret =
                healing_server::auth::totp::base32_decode(STAFF_TOTP_SECRET).expect("base32");
            let now = self.state.now().unix_seconds();
            let mut verified = None;
            for offset in [0, 30] {
                let code = healing_server::auth::totp::code_at(&secret, now + offset);
                let response = self
                    .post(
                        "/api/auth/verify-2fa",
                        json!({ "code": code }),
                        Some(&session),
                    )
                    .await;
                if response.status == StatusCode::OK {
                    verified = Some(response);
                    break;
                }
            }
            let response = verified.expect("second factor accepted");
            session = session_from(&response);
        }
        session
    }
}

pub(crate) fn session_from(response: &TestResponse) -> Session {
    Session {
        cookie: response.session_cookie().expect("session cookie"),
        csrf: response.json["data"]["csrf_token"]
            .as_str()
            .expect("csrf")
            .to_owned(),
        user_id: PersonId::new(
            response.json["data"]["user"]["id"]
                .as_str()
                .expect("user id"),
        )
        .expect("id"),
    }
}

/// A real SMTP server on loopback (mailin-embedded) collecting messages.
pub(crate) struct SmtpSink {
    pub(crate) received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct Collect(
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
);

impl mailin_embedded::Handler for Collect {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.1.lock().unwrap().extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::response::Response {
        let message =
            String::from_utf8_lossy(&std::mem::take(&mut *self.1.lock().unwrap())).into_owned();
        self.0.lock().unwrap().push(message);
        mailin_embedded::response::OK
    }
}

pub(crate) fn start_smtp() -> (SmtpSink, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut server = mailin_embedded::Server::new(Collect(received.clone(), Default::default()));
    server
        .with_name("sink.test")
        .with_addr(format!("127.0.0.1:{port}"))
        .unwrap();
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    (SmtpSink { received }, port)
}

/// The mailer of a test app that sends to `port` on loopback.
pub(crate) fn smtp_mailer(port: u16) -> Mailer {
    Mailer::from_settings(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "Healing <no-reply@test>",
    )
    .expect("smtp mailer")
}

/// How the test webhook receiver answers one call.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reply {
    /// This HTTP status.
    Status(u16),
    /// Never answers (the sender times out, or is killed while waiting).
    Hang,
}

/// One call the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct WebhookCall {
    pub(crate) signature: String,
    pub(crate) idempotency_key: String,
    pub(crate) body: Vec<u8>,
}

impl WebhookCall {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("webhook body is JSON")
    }
}

/// A real HTTP server on loopback standing for a service's on-call system: it
/// records every call and answers with the scripted replies in turn, then 200.
pub(crate) struct WebhookReceiver {
    pub(crate) url: String,
    calls: Arc<std::sync::Mutex<Vec<WebhookCall>>>,
    _server: tokio::task::JoinHandle<()>,
}

impl WebhookReceiver {
    pub(crate) async fn start(script: Vec<Reply>) -> Self {
        use axum::extract::State;
        use axum::http::HeaderMap;
        type Shared = (
            Arc<std::sync::Mutex<Vec<WebhookCall>>>,
            Arc<std::sync::Mutex<std::collections::VecDeque<Reply>>>,
        );
        async fn receive(
            State((calls, script)): State<Shared>,
            headers: HeaderMap,
            body: axum::body::Bytes,
        ) -> StatusCode {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            calls.lock().unwrap().push(WebhookCall {
                signature: header("healing-signature"),
                idempotency_key: header("idempotency-key"),
                body: body.to_vec(),
            });
            let reply = script.lock().unwrap().pop_front();
            match reply {
                None => StatusCode::OK,
                Some(Reply::Status(code)) => StatusCode::from_u16(code).expect("status"),
                Some(Reply::Hang) => std::future::pending().await,
            }
        }
        let calls = Arc::new(std::sync::Mutex::new(Vec::new()));
        let shared: Shared = (
            calls.clone(),
            Arc::new(std::sync::Mutex::new(script.into())),
        );
        let router = Router::new()
            .route("/hooks/alerts", axum::routing::post(receive))
            .with_state(shared);
        let (address, server) = serve_on_loopback(router).await;
        let url = format!("http://{address}/hooks/alerts");
        Self {
            url,
            calls,
            _server: server,
        }
    }

    pub(crate) fn calls(&self) -> Vec<WebhookCall> {
        self.calls.lock().unwrap().clone()
    }

    /// Waits up to `seconds` for at least `count` calls.
    pub(crate) async fn wait_for(&self, count: usize, seconds: u64) -> Vec<WebhookCall> {
        for _ in 0..seconds * 20 {
            if self.calls.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.calls()
    }
}

/// Serves `router` over real HTTP on a free loopback port, for a test's stand-in
/// of an outside service; the server stops when the returned handle is dropped
/// with the test's runtime.
pub(crate) async fn serve_on_loopback(
    router: axum::Router,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (address, server)
}
