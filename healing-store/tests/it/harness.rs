//! Test databases for both back ends and the macro that instantiates each test twice.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use healing_store::prelude::*;
use healing_store::{
    AnyStore, ConnectOptions, FieldCipher, FieldKey, KeyId, KeyRing, connect, connect_read_only,
};
use sqlx::{Connection, Row};

/// Where PostgreSQL tests create their databases.
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Which back end a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh, migrated database for one test, removed when the test ends.
pub(crate) struct TestDb {
    pub(crate) kind: Kind,
    /// The URL the store connects to.
    pub(crate) url: String,
    /// SQLite: the temporary directory holding the file.
    directory: Option<PathBuf>,
    /// PostgreSQL: the admin URL and the database name, to drop it.
    postgres_admin: Option<(String, String)>,
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("operating system random numbers");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The cipher tests use unless they need their own: one fixed key named `k1`.
pub(crate) fn test_cipher() -> Arc<FieldCipher> {
    cipher_with(&[("k1", 1)])
}

/// A cipher whose first key (by position) is current and the rest old; each key is
/// 32 copies of its byte.
pub(crate) fn cipher_with(keys: &[(&str, u8)]) -> Arc<FieldCipher> {
    let (first_id, first_byte) = keys[0];
    let mut ring = KeyRing::new(
        KeyId::new(first_id).unwrap(),
        FieldKey::from_bytes([first_byte; 32]),
    );
    for (id, byte) in &keys[1..] {
        ring = ring
            .with_old_key(KeyId::new(*id).unwrap(), FieldKey::from_bytes([*byte; 32]))
            .unwrap();
    }
    Arc::new(FieldCipher::new(ring))
}

impl TestDb {
    pub(crate) async fn create(kind: Kind) -> TestDb {
        match kind {
            Kind::Sqlite => {
                let directory =
                    std::env::temp_dir().join(format!("healing-store-{}", random_suffix()));
                std::fs::create_dir_all(&directory).unwrap();
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    directory.join("healing.db").display()
                );
                TestDb {
                    kind,
                    url,
                    directory: Some(directory),
                    postgres_admin: None,
                }
            }
            Kind::Postgres => {
                let admin = std::env::var("HEALING_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
                let name = format!("healing_t_{}", random_suffix());
                let mut connection =
                    sqlx::PgConnection::connect(&admin)
                        .await
                        .unwrap_or_else(|error| {
                            panic!("PostgreSQL tests need a server at {admin}: {error}")
                        });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut connection)
                    .await
                    .unwrap();
                connection.close().await.unwrap();
                let (base, _) = admin.rsplit_once('/').expect("url with a database name");
                TestDb {
                    kind,
                    url: format!("{base}/{name}"),
                    directory: None,
                    postgres_admin: Some((admin, name)),
                }
            }
        }
    }

    /// A read-write store on this database with `cipher`, migrated.
    pub(crate) async fn open_with(&self, cipher: Arc<FieldCipher>) -> AnyStore {
        let store = connect(&self.url, ConnectOptions::new(cipher))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        store
    }

    /// A read-write store with the test cipher, migrated.
    pub(crate) async fn open(&self) -> AnyStore {
        self.open_with(test_cipher()).await
    }

    /// A read-only store with the test cipher.
    pub(crate) async fn open_read_only(&self) -> AnyStore {
        connect_read_only(&self.url, test_cipher()).await.unwrap()
    }

    /// Applies the repository's migrations up to and including `version` only, as an
    /// older build left the database, through sqlx's own reader of a migrations
    /// folder, so a later [`Store::migrate`] sees them as applied.
    pub(crate) async fn migrate_through(&self, store: &AnyStore, version: i64) {
        let folder = match self.kind {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        };
        let all = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(folder);
        let older = std::env::temp_dir().join(format!("healing-migrations-{}", random_suffix()));
        std::fs::create_dir_all(&older).unwrap();
        for entry in std::fs::read_dir(&all).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let file_version: i64 = name.split('_').next().unwrap().parse().unwrap();
            if file_version <= version {
                std::fs::copy(&path, older.join(&name)).unwrap();
            }
        }
        let migrator = sqlx::migrate::Migrator::new(older.as_path()).await.unwrap();
        match store {
            AnyStore::Sqlite(store) => migrator.run(store.pool()).await.unwrap(),
            AnyStore::Postgres(store) => migrator.run(store.pool()).await.unwrap(),
        }
        std::fs::remove_dir_all(&older).unwrap();
    }

    /// Runs one statement outside the store (to tamper with rows, as an attacker with
    /// database access could).
    pub(crate) async fn raw_execute(&self, store: &AnyStore, statement: &str) -> u64 {
        match store {
            AnyStore::Sqlite(store) => sqlx::query(statement)
                .execute(store.pool())
                .await
                .unwrap()
                .rows_affected(),
            AnyStore::Postgres(store) => sqlx::query(statement)
                .execute(store.pool())
                .await
                .unwrap()
                .rows_affected(),
        }
    }

    /// Removes the triggers that make `audit_log` append-only, as an attacker with
    /// full database access could, so the tests can show the hash chain still catches
    /// the tampering.
    pub(crate) async fn drop_audit_guard(&self, store: &AnyStore) {
        match self.kind {
            Kind::Sqlite => {
                self.raw_execute(store, "DROP TRIGGER audit_log_no_update")
                    .await;
                self.raw_execute(store, "DROP TRIGGER audit_log_no_delete")
                    .await;
            }
            Kind::Postgres => {
                self.raw_execute(store, "ALTER TABLE audit_log DISABLE TRIGGER USER")
                    .await;
            }
        }
    }

    /// Runs one statement outside the store and returns its error message, if any.
    pub(crate) async fn raw_execute_error(
        &self,
        store: &AnyStore,
        statement: &str,
    ) -> Option<String> {
        let result = match store {
            AnyStore::Sqlite(store) => sqlx::query(statement)
                .execute(store.pool())
                .await
                .map(|_| ()),
            AnyStore::Postgres(store) => sqlx::query(statement)
                .execute(store.pool())
                .await
                .map(|_| ()),
        };
        result.err().map(|error| error.to_string())
    }

    /// Counts rows with one query returning a single integer.
    pub(crate) async fn raw_count(&self, store: &AnyStore, query: &str) -> i64 {
        match store {
            AnyStore::Sqlite(store) => sqlx::query(query)
                .fetch_one(store.pool())
                .await
                .unwrap()
                .get::<i64, _>(0),
            AnyStore::Postgres(store) => sqlx::query(query)
                .fetch_one(store.pool())
                .await
                .unwrap()
                .get::<i64, _>(0),
        }
    }

    /// Every byte the database holds, as the operator's disk (SQLite: the database
    /// file and its WAL) or a dump of every row of every table (PostgreSQL) sees it.
    pub(crate) async fn raw_contents(&self, store: &AnyStore) -> Vec<u8> {
        match store {
            AnyStore::Sqlite(_) => {
                let directory = self.directory.as_ref().unwrap();
                let mut bytes = Vec::new();
                for entry in std::fs::read_dir(directory).unwrap() {
                    match std::fs::read(entry.unwrap().path()) {
                        Ok(contents) => bytes.extend(contents),
                        // A WAL or shared-memory file SQLite removed as its last
                        // connection closed: its bytes are no longer on disk.
                        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                        Err(error) => panic!("reading the database folder: {error}"),
                    }
                }
                bytes
            }
            AnyStore::Postgres(store) => {
                let tables: Vec<String> = sqlx::query(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
                )
                .fetch_all(store.pool())
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<String, _>(0))
                .collect();
                let mut bytes = Vec::new();
                for table in tables {
                    let rows = sqlx::query(&format!("SELECT t::text FROM {table} t"))
                        .fetch_all(store.pool())
                        .await
                        .unwrap();
                    for row in rows {
                        bytes.extend(row.get::<String, _>(0).into_bytes());
                        bytes.push(b'\n');
                    }
                }
                bytes
            }
        }
    }

    async fn destroy(&self) {
        if let Some(directory) = &self.directory {
            let _ = std::fs::remove_dir_all(directory);
        }
        if let Some((admin, name)) = &self.postgres_admin {
            let mut connection = sqlx::PgConnection::connect(admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut connection)
                .await
                .unwrap();
            connection.close().await.unwrap();
        }
    }
}

/// Runs a future to completion on a fresh single-threaded runtime.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// Runs `test` on a fresh database of `kind` and removes the database afterwards,
/// also when the test fails.
pub(crate) fn run<F, Fut>(kind: Kind, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = runtime.block_on(TestDb::create(kind));
    let cleanup = TestDb {
        kind,
        url: db.url.clone(),
        directory: db.directory.clone(),
        postgres_admin: db.postgres_admin.clone(),
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(test(db));
    }));
    runtime.block_on(cleanup.destroy());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Declares each test once and runs it on both back ends, as `sqlite::name` and
/// `postgres::name`.
macro_rules! conformance {
    ($( async fn $name:ident($db:ident: TestDb) $body:block )+) => {
        $(
            async fn $name($db: $crate::harness::TestDb) $body
        )+

        mod sqlite {
            $(
                #[test]
                fn $name() {
                    $crate::harness::run($crate::harness::Kind::Sqlite, super::$name);
                }
            )+
        }

        mod postgres {
            $(
                #[test]
                fn $name() {
                    $crate::harness::run($crate::harness::Kind::Postgres, super::$name);
                }
            )+
        }
    };
}

pub(crate) use conformance;
