//! Operator subcommands: `migrate`, `create-user`, `rotate-key`,
//! `verify-audit` (`serve` is in [`crate::server`], `seed-demo` in [`crate::seed`]).

use std::io::BufRead as _;

use healing_store::prelude::*;
use healing_store::{AuditChainStatus, NewUser, PasswordScheme, Role};

use crate::accounts::{InvalidField, validate_display_name, validate_email, validate_username};
use crate::cli::{CreateUserArgs, RotateKeyArgs};
use crate::config::{Config, EncryptionKey, KeySource, parse_key, write_key_file};
use crate::server::{CommandError, open_store};

/// What a command prints on success (main prints it; keeps library code free of stdout).
pub type Report = String;

/// `migrate`: apply migrations and exit.
pub async fn migrate(config: &Config) -> Result<Report, CommandError> {
    let store = open_store(config).await?;
    Ok(format!(
        "migrations applied ({} database)",
        store.backend().as_str()
    ))
}

/// `create-user`.
pub async fn create_user(config: &Config, args: &CreateUserArgs) -> Result<Report, CommandError> {
    let invalid = |error: InvalidField| CommandError::Failed(error.message().to_owned());
    let username = validate_username(&args.username).map_err(invalid)?;
    let email = validate_email(&args.email).map_err(invalid)?;
    let display_name = validate_display_name(args.display_name.as_deref().unwrap_or(&username))
        .map_err(invalid)?;
    let role = Role::from_name(&args.role).ok_or_else(|| {
        CommandError::Failed(format!(
            "--role {:?} is not one of patient, clinician, admin",
            args.role
        ))
    })?;
    let password = match &args.password {
        Some(password) => zeroize::Zeroizing::new(password.clone()),
        None => {
            let mut line = zeroize::Zeroizing::new(String::new());
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|source| CommandError::Io {
                    context: "reading the password from standard input",
                    source,
                })?;
            zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned())
        }
    };
    crate::auth::password::check_password_strength(&password, &username)
        .map_err(|weak| CommandError::Failed(weak.to_string()))?;
    let hash = crate::auth::password::hash_password(&password)
        .map_err(|error| CommandError::Failed(error.to_string()))?;
    let store = open_store(config).await?;
    let now = crate::state::Clock::default().now();
    let user = store
        .create_user(NewUser {
            username,
            email,
            display_name,
            role,
            password_hash: hash,
            password_scheme: PasswordScheme::Argon2id,
            nhs_number: None,
            year_of_birth: None,
            created_at: now,
        })
        .await?;
    store
        .append_audit(healing_store::AuditEntry {
            at: now,
            actor_id: None,
            action: healing_store::AuditAction::new("user_created_by_operator")?,
            subject_patient_id: (role == Role::Patient).then(|| user.id.clone()),
            detail: serde_json::json!({ "user_id": user.id, "role": role }),
        })
        .await?;
    let note = if role == Role::Patient {
        ""
    } else {
        " (two-factor sign-in must be set up at first login)"
    };
    Ok(format!(
        "created {} {} with id {}{note}",
        role.as_str(),
        user.username,
        user.id.as_str()
    ))
}

/// `rotate-key`: re-encrypts every value under a new current key, online.
///
/// With a key file: the new key (given or generated) is written first in the
/// file and the old keys kept after it, every value is re-sealed under the
/// new key in small transactions while servers keep running, and the old key
/// ids are marked retired. Restart servers to make them write with the new
/// key; until then they still read everything (the file holds both).
/// With `HEALING_ENCRYPTION_KEY`: set it to the new key and list the old in
/// `HEALING_PREVIOUS_ENCRYPTION_KEYS`; this re-seals everything under it.
pub async fn rotate_key(config: &Config, args: &RotateKeyArgs) -> Result<Report, CommandError> {
    let mut config = config.clone();
    let old: Vec<EncryptionKey> = match &config.keys.source {
        KeySource::File(path) => {
            let new_key = match &args.new_key {
                Some(text) => parse_key(text, "--new-key")?,
                None => EncryptionKey::generate()?,
            };
            if new_key.id() == config.keys.current.id() {
                return Err(CommandError::Failed(
                    "the new key is the current key".to_owned(),
                ));
            }
            let mut old = vec![config.keys.current.clone()];
            old.extend(config.keys.previous.iter().cloned());
            let mut file_keys = vec![new_key.clone()];
            file_keys.extend(old.iter().cloned());
            write_key_file(path, &file_keys, "HEALING_ENCRYPTION_KEY_FILE")?;
            config.keys.current = new_key;
            config.keys.previous = old.clone();
            old
        }
        KeySource::Environment => {
            if args.new_key.is_some() {
                return Err(CommandError::Failed(
                    "with HEALING_ENCRYPTION_KEY set, set it to the new key and list the old key in \
                     HEALING_PREVIOUS_ENCRYPTION_KEYS instead of --new-key"
                        .to_owned(),
                ));
            }
            config.keys.previous.clone()
        }
    };
    let store = open_store(&config).await?;
    let report = healing_store::rotate_keys(&store).await?;
    let now = crate::state::Clock::default().now();
    for key in &old {
        store.retire_key(key.id(), now).await?;
    }
    store
        .append_audit(healing_store::AuditEntry {
            at: now,
            actor_id: None,
            action: healing_store::AuditAction::new("encryption_key_rotated")?,
            subject_patient_id: None,
            detail: serde_json::json!({ "new_key_id": config.keys.current.id().as_str(), "checked": report.checked, "resealed": report.resealed }),
        })
        .await?;
    Ok(format!(
        "re-encrypted {} of {} values under key {}; retired {} old key(s)",
        report.resealed,
        report.checked,
        config.keys.current.id().as_str(),
        old.len()
    ))
}

/// `verify-audit`: fails (exit 1 from main) if the chain is broken.
pub async fn verify_audit(config: &Config) -> Result<Report, CommandError> {
    let store = open_store(config).await?;
    let verification = store.verify_audit().await?;
    let summary = serde_json::to_string(&verification).unwrap_or_default();
    match verification.status {
        AuditChainStatus::Intact => Ok(format!("audit chain intact: {summary}")),
        AuditChainStatus::Broken { .. } => Err(CommandError::Failed(format!(
            "audit chain broken: {summary}"
        ))),
    }
}
