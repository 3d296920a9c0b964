//! Unit tests of the store's pure parts: field encryption, the audit chain, ids and names.
//!
//! Each test lists labelled outcomes and compares them, one per line, with `expect`.

use std::fmt::Write as _;

use expect_test::{Expect, expect};

use super::convert::new_id;
use super::records::validate_new_user;
use super::*;
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

/// Compares labelled outcomes, one `label: outcome` line each, with `expect`.
fn check(outcomes: &[(&str, String)], expect: Expect) {
    let mut out = String::new();
    for (label, outcome) in outcomes {
        let _ = writeln!(out, "{label}: {outcome}");
    }
    expect.assert_eq(&out);
}

/// `ok <value>` or `error: <message>`.
fn show<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(error) => format!("error: {error}"),
    }
}

fn ring(current: (&str, u8), old: &[(&str, u8)]) -> FieldCipher {
    let mut ring = KeyRing::new(
        KeyId::new(current.0).unwrap(),
        FieldKey::from_bytes([current.1; KEY_LEN]),
    );
    for (id, byte) in old {
        ring = ring
            .with_old_key(
                KeyId::new(*id).unwrap(),
                FieldKey::from_bytes([*byte; KEY_LEN]),
            )
            .unwrap();
    }
    FieldCipher::new(ring)
}

const JOURNAL: Aad<'static> = Aad {
    table: "journal_entries",
    column: "body",
    row_id: "row-1",
};

fn open_text(cipher: &FieldCipher, sealed: &[u8], aad: &Aad<'_>) -> String {
    show(cipher.decrypt_text(sealed, aad))
}

#[test]
fn opens_a_value_only_for_the_place_it_was_sealed_for() {
    let cipher = ring(("k1", 1), &[]);
    let sealed = cipher.encrypt_text("dear diary", &JOURNAL).unwrap();
    check(
        &[
            ("same place", open_text(&cipher, &sealed, &JOURNAL)),
            (
                "other row",
                open_text(
                    &cipher,
                    &sealed,
                    &Aad {
                        row_id: "row-2",
                        ..JOURNAL
                    },
                ),
            ),
            (
                "other column",
                open_text(
                    &cipher,
                    &sealed,
                    &Aad {
                        column: "title",
                        ..JOURNAL
                    },
                ),
            ),
            (
                "other table",
                open_text(
                    &cipher,
                    &sealed,
                    &Aad {
                        table: "messages",
                        ..JOURNAL
                    },
                ),
            ),
            (
                "boundary moved between table and column",
                open_text(
                    &cipher,
                    &cipher
                        .encrypt_text(
                            "x",
                            &Aad {
                                table: "ab",
                                column: "c",
                                row_id: "r",
                            },
                        )
                        .unwrap(),
                    &Aad {
                        table: "a",
                        column: "bc",
                        row_id: "r",
                    },
                ),
            ),
        ],
        expect![[r#"
            same place: ok "dear diary"
            other row: error: value in journal_entries.body of row row-2 could not be decrypted: authentication failed (wrong place, key or tampered value)
            other column: error: value in journal_entries.title of row row-1 could not be decrypted: authentication failed (wrong place, key or tampered value)
            other table: error: value in messages.body of row row-1 could not be decrypted: authentication failed (wrong place, key or tampered value)
            boundary moved between table and column: error: value in a.bc of row r could not be decrypted: authentication failed (wrong place, key or tampered value)
        "#]],
    );
}

#[test]
fn refuses_a_value_with_any_byte_changed() {
    let cipher = ring(("k1", 1), &[]);
    let sealed = cipher.encrypt_text("dear diary", &JOURNAL).unwrap();
    let mut opened = 0;
    for index in 0..sealed.len() {
        let mut tampered = sealed.clone();
        tampered[index] ^= 0x01;
        if cipher.decrypt(&tampered, &JOURNAL).is_ok() {
            opened += 1;
        }
    }
    let mut truncated = sealed.clone();
    truncated.pop();
    let mut extended = sealed.clone();
    extended.push(0);
    check(
        &[
            ("bytes in the value", sealed.len().to_string()),
            ("single-bit changes that still opened", opened.to_string()),
            ("truncated", open_text(&cipher, &truncated, &JOURNAL)),
            ("extended", open_text(&cipher, &extended, &JOURNAL)),
            ("empty", open_text(&cipher, &[], &JOURNAL)),
            ("header only", open_text(&cipher, &sealed[..4], &JOURNAL)),
        ],
        expect![[r#"
            bytes in the value: 54
            single-bit changes that still opened: 0
            truncated: error: value in journal_entries.body of row row-1 could not be decrypted: authentication failed (wrong place, key or tampered value)
            extended: error: value in journal_entries.body of row row-1 could not be decrypted: authentication failed (wrong place, key or tampered value)
            empty: error: value in journal_entries.body of row row-1 could not be decrypted: value is empty
            header only: error: value in journal_entries.body of row row-1 could not be decrypted: value is truncated
        "#]],
    );
}

#[test]
fn lays_out_version_key_id_nonce_then_ciphertext() {
    let cipher = ring(("key-2026", 1), &[]);
    let first = cipher.encrypt_text("same", &JOURNAL).unwrap();
    let second = cipher.encrypt_text("same", &JOURNAL).unwrap();
    let id_end = 2 + "key-2026".len();
    check(
        &[
            ("version byte", first[0].to_string()),
            ("key id length", first[1].to_string()),
            (
                "key id",
                String::from_utf8_lossy(&first[2..id_end]).into_owned(),
            ),
            (
                "length = header + nonce + text + tag",
                format!("{} = {} + {NONCE_LEN} + 4 + {TAG_LEN}", first.len(), id_end),
            ),
            (
                "two seals of the same text share a nonce",
                (first[id_end..id_end + NONCE_LEN] == second[id_end..id_end + NONCE_LEN])
                    .to_string(),
            ),
            (
                "key id read from the header",
                show(cipher.key_id_of(&first, &JOURNAL)),
            ),
        ],
        expect![[r#"
            version byte: 1
            key id length: 8
            key id: key-2026
            length = header + nonce + text + tag: 54 = 10 + 24 + 4 + 16
            two seals of the same text share a nonce: false
            key id read from the header: ok KeyId("key-2026")
        "#]],
    );
}

#[test]
fn opens_values_under_old_keys_and_refuses_unknown_keys() {
    let old = ring(("k1", 1), &[]);
    let rotated = ring(("k2", 2), &[("k1", 1)]);
    let new_only = ring(("k2", 2), &[]);
    let impostor = ring(("k1", 9), &[]);
    let sealed_old = old.encrypt_text("kept", &JOURNAL).unwrap();
    let sealed_new = rotated.encrypt_text("fresh", &JOURNAL).unwrap();
    let mut wrong_version = sealed_old.clone();
    wrong_version[0] = 2;
    check(
        &[
            (
                "old value, ring with the old key",
                open_text(&rotated, &sealed_old, &JOURNAL),
            ),
            (
                "new value, ring with the new key",
                open_text(&rotated, &sealed_new, &JOURNAL),
            ),
            (
                "new value, old ring",
                open_text(&old, &sealed_new, &JOURNAL),
            ),
            (
                "old value, new-only ring",
                open_text(&new_only, &sealed_old, &JOURNAL),
            ),
            (
                "old value, same id but another key",
                open_text(&impostor, &sealed_old, &JOURNAL),
            ),
            (
                "format version 2",
                open_text(&old, &wrong_version, &JOURNAL),
            ),
            (
                "a key id given twice",
                show(
                    KeyRing::new(
                        KeyId::new("k1").unwrap(),
                        FieldKey::from_bytes([1; KEY_LEN]),
                    )
                    .with_old_key(
                        KeyId::new("k1").unwrap(),
                        FieldKey::from_bytes([2; KEY_LEN]),
                    )
                    .map(|_| ()),
                ),
            ),
        ],
        expect![[r#"
            old value, ring with the old key: ok "kept"
            new value, ring with the new key: ok "fresh"
            new value, old ring: error: value is sealed with key k2, which the key ring does not hold
            old value, new-only ring: error: value is sealed with key k1, which the key ring does not hold
            old value, same id but another key: error: value in journal_entries.body of row row-1 could not be decrypted: authentication failed (wrong place, key or tampered value)
            format version 2: error: value in journal_entries.body of row row-1 could not be decrypted: format version is 2, expected 1
            a key id given twice: error: key is invalid: key id k1 is given twice
        "#]],
    );
}

#[test]
fn validates_key_ids_and_keys() {
    let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let base64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let id = |text: &str| EncryptionKey::parse(text).map(|key| key.id().clone());
    check(
        &[
            ("key id k1", show(KeyId::new("k1"))),
            ("empty key id", show(KeyId::new(""))),
            ("long key id", show(KeyId::new("k".repeat(33)))),
            ("key id with a space", show(KeyId::new("k 1"))),
            ("hex key", show(id(hex))),
            ("the same key in base64", show(id(base64))),
            (
                "url-safe base64 without padding",
                show(id(base64.trim_end_matches('='))),
            ),
            (
                "base64 round trip",
                show(EncryptionKey::parse(hex).map(|key| key.to_base64().as_str() == base64)),
            ),
            ("upper-case hex key", show(id(&hex.to_uppercase()))),
            ("short key", show(EncryptionKey::parse("abcd"))),
            (
                "hex key with a bad digit",
                show(EncryptionKey::parse(&hex.replace('f', "g"))),
            ),
            (
                "key file",
                show(
                    parse_key_file(&format!("# keys\n\n{hex}\n  {base64}  \n"))
                        .map(|keys| keys.len()),
                ),
            ),
            (
                "key file with a bad line",
                show(parse_key_file(&format!("{hex}\nnot a key\n"))),
            ),
            (
                "debug of a key",
                format!(
                    "{:?} {:?}",
                    FieldKey::from_bytes([7; KEY_LEN]),
                    EncryptionKey::from_bytes([7; KEY_LEN])
                ),
            ),
            (
                "generated keys differ",
                (EncryptionKey::generate().unwrap().id()
                    != EncryptionKey::generate().unwrap().id())
                .to_string(),
            ),
        ],
        expect![[r#"
            key id k1: ok KeyId("k1")
            empty key id: error: key is invalid: key id is 0 bytes long, outside 1 to 32
            long key id: error: key is invalid: key id is 33 bytes long, outside 1 to 32
            key id with a space: error: key is invalid: key id contains ' '; only ascii letters, digits, '-', '_' and '.' are allowed
            hex key: ok KeyId("4808f449afcdfc3b")
            the same key in base64: ok KeyId("4808f449afcdfc3b")
            url-safe base64 without padding: ok KeyId("4808f449afcdfc3b")
            base64 round trip: ok true
            upper-case hex key: ok KeyId("4808f449afcdfc3b")
            short key: error: key is invalid: key is 3 bytes long; expected 32
            hex key with a bad digit: error: key is invalid: key is 48 bytes long; expected 32
            key file: ok 2
            key file with a bad line: error: key is invalid: line 2: expected 32 bytes as base64 or 64 hex digits
            debug of a key: FieldKey([redacted]) EncryptionKey { id: "7005f431891460c3", bytes: .. }
            generated keys differ: true
        "#]],
    );
}

fn record(seq: i64, prev_hash: AuditHash, detail: &str) -> AuditRecord {
    let at = Timestamp::from_unix_seconds(1_780_000_000 + seq).unwrap();
    let actor = PersonId::new("clinician-1").unwrap();
    let action = AuditAction::new("mood_entry_read").unwrap();
    let hash = audit_entry_hash(
        &prev_hash,
        seq,
        at,
        Some(actor.as_str()),
        action.as_str(),
        None,
        detail,
    );
    AuditRecord {
        seq,
        at,
        actor_id: Some(actor),
        action,
        subject_patient_id: None,
        detail: detail.to_owned(),
        prev_hash,
        hash,
    }
}

fn chain(length: i64) -> Vec<AuditRecord> {
    let mut records: Vec<AuditRecord> = Vec::new();
    for seq in 1..=length {
        let prev = records.last().map_or(AuditHash::GENESIS, |last| last.hash);
        records.push(record(seq, prev, "{}"));
    }
    records
}

fn verify(records: &[AuditRecord]) -> String {
    let mut verifier = AuditChainVerifier::new();
    for record in records {
        if verifier.check(record).is_err() {
            break;
        }
    }
    let report = verifier.finish();
    format!(
        "checked {} head {} {:?}",
        report.entries_checked, report.head_seq, report.status
    )
}

#[test]
fn finds_the_first_edited_missing_or_reordered_audit_entry() {
    let intact = chain(4);
    let mut edited = chain(4);
    edited[2].detail = "{\"n\":1}".to_owned();
    let mut rehashed = chain(4);
    // An attacker who edits an entry and recomputes its own hash breaks the next link.
    rehashed[1] = record(2, rehashed[0].hash, "{\"forged\":true}");
    let mut deleted = chain(4);
    deleted.remove(1);
    let mut swapped = chain(4);
    swapped.swap(1, 2);
    let mut swapped_and_renumbered = chain(4);
    swapped_and_renumbered.swap(1, 2);
    swapped_and_renumbered[1].seq = 2;
    swapped_and_renumbered[2].seq = 3;
    let mut cut_head = chain(4);
    cut_head.remove(0);
    check(
        &[
            ("empty", verify(&[])),
            ("intact", verify(&intact)),
            ("edited detail", verify(&edited)),
            ("edited and rehashed", verify(&rehashed)),
            ("deleted", verify(&deleted)),
            ("swapped", verify(&swapped)),
            ("swapped and renumbered", verify(&swapped_and_renumbered)),
            ("first entry removed", verify(&cut_head)),
        ],
        expect![[r#"
            empty: checked 0 head 0 Intact
            intact: checked 4 head 4 Intact
            edited detail: checked 2 head 2 Broken { found: EntryEdited { seq: 3 } }
            edited and rehashed: checked 2 head 2 Broken { found: LinkBroken { seq: 3 } }
            deleted: checked 1 head 1 Broken { found: SequenceGap { expected_seq: 2, found_seq: 3 } }
            swapped: checked 1 head 1 Broken { found: SequenceGap { expected_seq: 2, found_seq: 3 } }
            swapped and renumbered: checked 1 head 1 Broken { found: EntryEdited { seq: 2 } }
            first entry removed: checked 0 head 0 Broken { found: SequenceGap { expected_seq: 1, found_seq: 2 } }
        "#]],
    );
}

#[test]
fn audit_hash_commits_to_every_field() {
    let at = Timestamp::from_unix_seconds(1_780_000_000).unwrap();
    let base = audit_entry_hash(
        &AuditHash::GENESIS,
        1,
        at,
        Some("a"),
        "login",
        Some("p"),
        "{}",
    );
    let later = Timestamp::from_unix_seconds(1_780_000_001).unwrap();
    let variants = [
        audit_entry_hash(
            &AuditHash([1; 32]),
            1,
            at,
            Some("a"),
            "login",
            Some("p"),
            "{}",
        ),
        audit_entry_hash(
            &AuditHash::GENESIS,
            2,
            at,
            Some("a"),
            "login",
            Some("p"),
            "{}",
        ),
        audit_entry_hash(
            &AuditHash::GENESIS,
            1,
            later,
            Some("a"),
            "login",
            Some("p"),
            "{}",
        ),
        audit_entry_hash(&AuditHash::GENESIS, 1, at, None, "login", Some("p"), "{}"),
        audit_entry_hash(
            &AuditHash::GENESIS,
            1,
            at,
            Some("a"),
            "logout",
            Some("p"),
            "{}",
        ),
        audit_entry_hash(&AuditHash::GENESIS, 1, at, Some("a"), "login", None, "{}"),
        audit_entry_hash(
            &AuditHash::GENESIS,
            1,
            at,
            Some("p"),
            "login",
            Some("a"),
            "{}",
        ),
        audit_entry_hash(
            &AuditHash::GENESIS,
            1,
            at,
            Some("a"),
            "login",
            Some("p"),
            "{ }",
        ),
    ];
    check(
        &[
            ("hash", base.to_hex()),
            (
                "same inputs, same hash",
                (base
                    == audit_entry_hash(
                        &AuditHash::GENESIS,
                        1,
                        at,
                        Some("a"),
                        "login",
                        Some("p"),
                        "{}",
                    ))
                .to_string(),
            ),
            (
                "variants equal to the base",
                variants
                    .iter()
                    .filter(|hash| **hash == base)
                    .count()
                    .to_string(),
            ),
            (
                "hex round trip",
                show(AuditHash::try_from(base.to_hex()).map(|hash| hash == base)),
            ),
            ("bad hex", show(AuditHash::try_from("zz".to_owned()))),
        ],
        expect![[r#"
            hash: 265bc74f63ef55b9b167d9814f08bd5b7b1200155904d624a20c4e0cf073b41a
            same inputs, same hash: true
            variants equal to the base: 0
            hex round trip: ok true
            bad hex: error: audit hash is invalid: expected 64 hexadecimal digits
        "#]],
    );
}

#[test]
fn validates_audit_actions_new_users_and_ids() {
    let valid_user = NewUser {
        username: "ada".to_owned(),
        email: "ada@example.org".to_owned(),
        display_name: "Ada".to_owned(),
        role: Role::Patient,
        password_hash: "$argon2id$…".to_owned(),
        password_scheme: PasswordScheme::Argon2id,
        nhs_number: None,
        year_of_birth: None,
        created_at: Timestamp::from_unix_seconds(0).unwrap(),
    };
    let id = new_id().unwrap();
    let id_shape: String = id
        .chars()
        .map(|c| if c.is_ascii_hexdigit() { 'x' } else { c })
        .collect();
    check(
        &[
            (
                "action login_failed",
                show(AuditAction::new("login_failed")),
            ),
            (
                "action with upper case",
                show(AuditAction::new("LoginFailed")),
            ),
            ("empty action", show(AuditAction::new(""))),
            ("valid user", show(validate_new_user(&valid_user))),
            (
                "empty username",
                show(validate_new_user(&NewUser {
                    username: String::new(),
                    ..valid_user.clone()
                })),
            ),
            (
                "blank email",
                show(validate_new_user(&NewUser {
                    email: "  ".to_owned(),
                    ..valid_user.clone()
                })),
            ),
            ("id shape", id_shape),
            ("id version", id[14..15].to_owned()),
            (
                "id variant is 10xx (8, 9, a or b)",
                ["8", "9", "a", "b"].contains(&&id[19..20]).to_string(),
            ),
            (
                "token hash debug",
                format!("{:?}", TokenHash::of_secret(b"secret")),
            ),
        ],
        expect![[r#"
            action login_failed: ok AuditAction("login_failed")
            action with upper case: error: audit action is invalid: contains 'L'; only a-z, 0-9 and '_' are allowed
            empty action: error: audit action is invalid: is 0 bytes long, outside 1 to 64
            valid user: ok ()
            empty username: error: username is invalid: is 0 bytes long, outside 1 to 64
            blank email: error: email is invalid: is 0 bytes long, outside 1 to 254
            id shape: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
            id version: 4
            id variant is 10xx (8, 9, a or b): true
            token hash debug: TokenHash(2bb80d53…)
        "#]],
    );
}

#[test]
fn stores_every_enum_under_its_serde_name() {
    fn names<T: serde::Serialize + Copy>(all: &[T], as_str: fn(T) -> &'static str) -> String {
        all.iter()
            .map(|value| {
                let serde = serde_json::to_value(value).unwrap();
                let stored = as_str(*value);
                if serde == serde_json::Value::String(stored.to_owned()) {
                    stored.to_owned()
                } else {
                    format!("{stored} (serde says {serde})")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
    check(
        &[
            ("role", names(Role::ALL, Role::as_str)),
            (
                "password scheme",
                names(PasswordScheme::ALL, PasswordScheme::as_str),
            ),
            (
                "session stage",
                names(SessionStage::ALL, SessionStage::as_str),
            ),
            (
                "throttle scope",
                names(ThrottleScope::ALL, ThrottleScope::as_str),
            ),
            (
                "throttle action",
                names(ThrottleAction::ALL, ThrottleAction::as_str),
            ),
            ("link status", names(LinkStatus::ALL, LinkStatus::as_str)),
            ("attendance", names(Attendance::ALL, Attendance::as_str)),
            (
                "two factor",
                names(TwoFactorState::ALL, TwoFactorState::as_str),
            ),
            (
                "from_name inverts as_str",
                Role::ALL
                    .iter()
                    .all(|role| Role::from_name(role.as_str()) == Some(*role))
                    .to_string(),
            ),
        ],
        expect![[r#"
            role: patient clinician admin
            password scheme: argon2id bcrypt pbkdf2_sha256 salted_sha256
            session stage: awaiting_second_factor authenticated
            throttle scope: account client_address
            throttle action: login second_factor password_reset register
            link status: requested accepted declined ended
            attendance: attended did_not_attend cancelled_by_patient cancelled_by_service
            two factor: not_set_up pending enabled
            from_name inverts as_str: true
        "#]],
    );
}

/// Every file in `migrations/<back end>/` is embedded, in order, with its version:
/// a new migration that is not added to `migrations.rs` fails here, not in production.
#[test]
fn every_migration_file_is_embedded() {
    for (folder, embedded) in [
        ("sqlite", crate::migrations::SQLITE),
        ("postgres", crate::migrations::POSTGRES),
    ] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(folder);
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("the migrations folder is readable")
            .map(|entry| {
                entry
                    .expect("a directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = embedded
            .iter()
            .map(|migration| migration.file_name)
            .collect();
        assert_eq!(
            on_disk, listed,
            "migrations/{folder} and migrations.rs disagree"
        );
        for migration in embedded {
            let version: i64 = migration.file_name[..4]
                .parse()
                .expect("a four-digit version prefix");
            assert_eq!(
                version, migration.version,
                "{folder}/{}",
                migration.file_name
            );
            let text = std::fs::read_to_string(dir.join(migration.file_name)).expect("readable");
            assert_eq!(
                text, migration.sql,
                "{folder}/{} is embedded as it is on disk",
                migration.file_name
            );
        }
    }
}

#[test]
fn a_link_moves_only_from_request_to_answer_and_from_accepted_to_ended() {
    let mut outcomes = Vec::new();
    for from in LinkStatus::ALL {
        for to in LinkStatus::ALL {
            let outcome = match check_link_move(*from, *to) {
                Ok(()) => "allowed".to_owned(),
                Err(refusal) => format!("refused: {refusal}"),
            };
            outcomes.push((format!("{from} -> {to}"), outcome));
        }
    }
    let outcomes: Vec<(&str, String)> = outcomes
        .iter()
        .map(|(label, outcome)| (label.as_str(), outcome.clone()))
        .collect();
    check(
        &outcomes,
        expect![[r#"
        requested -> requested: refused: a link that is requested cannot become requested
        requested -> accepted: allowed
        requested -> declined: allowed
        requested -> ended: refused: a link that is requested cannot become ended
        accepted -> requested: refused: a link that is accepted cannot become requested
        accepted -> accepted: refused: a link that is accepted cannot become accepted
        accepted -> declined: refused: a link that is accepted cannot become declined
        accepted -> ended: allowed
        declined -> requested: refused: a link that is declined cannot become requested
        declined -> accepted: refused: a link that is declined cannot become accepted
        declined -> declined: refused: a link that is declined cannot become declined
        declined -> ended: refused: a link that is declined cannot become ended
        ended -> requested: refused: a link that is ended cannot become requested
        ended -> accepted: refused: a link that is ended cannot become accepted
        ended -> declined: refused: a link that is ended cannot become declined
        ended -> ended: refused: a link that is ended cannot become ended
    "#]],
    );
}

#[test]
fn a_clinician_asks_again_only_when_nothing_waits_and_no_decline_is_recent() {
    let at = |seconds: i64| Timestamp::from_unix_seconds(1_780_000_000 + seconds).unwrap();
    let link = |status: LinkStatus, decided_at: Option<i64>| Link {
        id: format!("{status}"),
        clinician_id: PersonId::new("doc").unwrap(),
        patient_id: PersonId::new("pat").unwrap(),
        status,
        created_at: at(0),
        decided_at: decided_at.map(at),
    };
    let declined = link(LinkStatus::Declined, Some(100));
    let older_decline = link(LinkStatus::Declined, Some(0));
    let ended = link(LinkStatus::Ended, Some(100));
    let show = |links: &[Link], now: i64| match check_link_request(links, at(now)) {
        Ok(()) => "allowed".to_owned(),
        Err(refusal) => format!("refused: {refusal}"),
    };
    check(
        &[
            ("no links", show(&[], 0)),
            (
                "a request waits",
                show(&[link(LinkStatus::Requested, None)], 0),
            ),
            ("linked", show(&[link(LinkStatus::Accepted, Some(1))], 0)),
            ("just after an end", show(std::slice::from_ref(&ended), 101)),
            (
                "a second before the wait ends",
                show(
                    std::slice::from_ref(&declined),
                    99 + DECLINE_COOLDOWN_SECONDS,
                ),
            ),
            (
                "when the wait ends",
                show(
                    std::slice::from_ref(&declined),
                    100 + DECLINE_COOLDOWN_SECONDS,
                ),
            ),
            (
                "the latest decline counts",
                show(
                    &[older_decline, declined, ended],
                    50 + DECLINE_COOLDOWN_SECONDS,
                ),
            ),
        ],
        expect![[r#"
            no links: allowed
            a request waits: refused: a request from this clinician is already waiting for the patient's answer
            linked: refused: this clinician and patient are already linked
            just after an end: allowed
            a second before the wait ends: refused: the patient declined this clinician's request; it can be made again from 2026-06-27T20:28:20Z
            when the wait ends: allowed
            the latest decline counts: refused: the patient declined this clinician's request; it can be made again from 2026-06-27T20:28:20Z
        "#]],
    );
}
