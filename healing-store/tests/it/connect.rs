//! Opening stores from URLs: the cases that concern one back end or none.

use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{Backend, ConnectOptions, Error, NewUser, PasswordScheme, Role, connect};

use crate::harness::{block_on, test_cipher};

#[test]
fn an_in_memory_sqlite_store_keeps_its_data_across_calls() {
    block_on(async {
        let store = connect("sqlite::memory:", ConnectOptions::new(test_cipher()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        let user = store
            .create_user(NewUser {
                username: "ada".to_owned(),
                email: "ada@example.org".to_owned(),
                display_name: "Ada".to_owned(),
                role: Role::Patient,
                password_hash: "$argon2id$…".to_owned(),
                password_scheme: PasswordScheme::Argon2id,
                nhs_number: None,
                year_of_birth: None,
                created_at: Timestamp::from_unix_seconds(1_780_000_000).unwrap(),
            })
            .await
            .unwrap();
        // A second call may use another pooled connection; it must see the same database.
        assert_eq!(store.user(&user.id).await.unwrap(), user);
        assert_eq!(store.user_by_username("ada").await.unwrap(), Some(user));
    });
}

#[test]
fn rejects_an_unknown_url_scheme_without_echoing_the_url() {
    let error = block_on(connect(
        "mysql://user:secret@host/db",
        ConnectOptions::new(test_cipher()),
    ))
    .unwrap_err();
    assert!(matches!(error, Error::InvalidUrl { .. }));
    assert!(!error.to_string().contains("secret"), "{error}");
}

#[test]
fn reports_an_unreachable_postgres_server_as_unavailable() {
    // Port 1 on loopback refuses connections at once.
    let error = block_on(connect(
        "postgres://healing:secret@127.0.0.1:1/healing",
        ConnectOptions::new(test_cipher()),
    ))
    .unwrap_err();
    assert!(matches!(error, Error::Unavailable { .. }), "{error:?}");
    assert!(!error.to_string().contains("secret"), "{error}");
}
