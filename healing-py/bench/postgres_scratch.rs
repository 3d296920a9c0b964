//! Scratch PostgreSQL databases for the research tests: creates one (the fixture
//! clinic is then written into it), prints a fingerprint of every row in it (to prove
//! research access changed nothing), and drops it.
//!
//! ```text
//! postgres_scratch create ADMIN_URL NAME   # CREATE DATABASE NAME on ADMIN_URL's server
//! postgres_scratch fingerprint URL         # one line per table: name, rows, md5 of rows
//! postgres_scratch drop ADMIN_URL NAME     # DROP DATABASE NAME, closing its connections
//! ```
//!
//! Run by `tests/conftest.py`; raw SQL lives here because the store has no business
//! creating databases or hashing tables.

#![expect(clippy::print_stdout, reason = "a command-line tool prints its result")]

use sqlx::{Connection, PgConnection, Row};

type Failure = Box<dyn std::error::Error>;

const USAGE: &str =
    "usage: postgres_scratch create ADMIN_URL NAME | fingerprint URL | drop ADMIN_URL NAME";

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Plain text: the tests show this message as the reason they failed.
            eprintln!("postgres_scratch: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["create", admin, name] => runtime.block_on(create(admin, name)),
        ["fingerprint", url] => runtime.block_on(fingerprint(url)),
        ["drop", admin, name] => runtime.block_on(drop_database(admin, name)),
        _ => Err(USAGE.into()),
    }
}

/// Connects, naming the server in the error (the usual failure is no server at all).
async fn connect(url: &str) -> Result<PgConnection, Failure> {
    PgConnection::connect(url)
        .await
        .map_err(|error| format!("cannot connect to PostgreSQL at {url}: {error}").into())
}

/// A database name that needs no quoting, so it can be spliced into DDL safely.
fn checked_name(name: &str) -> Result<&str, Failure> {
    let mut characters = name.chars();
    let plain = characters
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && characters.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63;
    if plain {
        Ok(name)
    } else {
        Err(format!("'{name}' is not a plain database name ([a-z_][a-z0-9_]*, at most 63)").into())
    }
}

async fn create(admin: &str, name: &str) -> Result<(), Failure> {
    let name = checked_name(name)?;
    on_server(admin, &format!("CREATE DATABASE {name}")).await
}

async fn drop_database(admin: &str, name: &str) -> Result<(), Failure> {
    let name = checked_name(name)?;
    // FORCE: studies the tests opened may still hold pooled connections.
    on_server(
        admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await
}

/// Runs one statement on a connection to `admin`.
async fn on_server(admin: &str, statement: &str) -> Result<(), Failure> {
    let mut connection = connect(admin).await?;
    sqlx::query(statement).execute(&mut connection).await?;
    connection.close().await?;
    Ok(())
}

async fn fingerprint(url: &str) -> Result<(), Failure> {
    let mut connection = connect(url).await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         ORDER BY table_name",
    )
    .fetch_all(&mut connection)
    .await?;
    if tables.is_empty() {
        return Err(format!("no tables in {url}: nothing to fingerprint").into());
    }
    for table in tables {
        // Each row as its text form, sorted, so the digest does not depend on the
        // physical order PostgreSQL happens to return rows in.
        let row = sqlx::query(&format!(
            "SELECT count(*) AS rows, \
                    coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS digest \
             FROM \"{}\" AS t",
            table.replace('"', "\"\"")
        ))
        .fetch_one(&mut connection)
        .await?;
        let rows: i64 = row.try_get("rows")?;
        let digest: String = row.try_get("digest")?;
        println!("{table} {rows} {digest}");
    }
    connection.close().await?;
    Ok(())
}
