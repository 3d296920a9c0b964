//! The store's one error type.

/// Why a store operation failed.
///
/// Messages never contain patient data, secrets or SQL: they name the table, the
/// field or the id only.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The database URL is not one the store understands.
    #[error("database url is invalid: {reason}")]
    InvalidUrl {
        /// What is wrong with it (never the URL itself, which may hold a password).
        reason: String,
    },
    /// The database could not be reached or refused the connection.
    #[error("database is unavailable: {reason}")]
    Unavailable {
        /// The driver's description of the failure.
        reason: String,
    },
    /// Applying the embedded migrations failed.
    #[error("migration failed: {reason}")]
    MigrationFailed {
        /// The migrator's description of the failure.
        reason: String,
    },
    /// The row asked for does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What was looked for, for example `user`.
        entity: &'static str,
        /// The id that was looked for (an opaque id, never personal data).
        id: String,
    },
    /// A write would break a uniqueness rule.
    #[error("{table}.{field} is already taken")]
    Conflict {
        /// The table written to.
        table: &'static str,
        /// The field whose value is already in use, for example `email`.
        field: &'static str,
    },
    /// A write names a row that does not exist (for example a mood entry for an unknown patient).
    #[error("a referenced row does not exist ({constraint})")]
    MissingReference {
        /// The foreign key or table that failed.
        constraint: String,
    },
    /// A value could not be decrypted: wrong key, wrong row or column, or tampered with.
    #[error("value in {table}.{column} of row {row_id} could not be decrypted: {reason}")]
    DecryptionFailed {
        /// The table of the value.
        table: String,
        /// The column of the value.
        column: String,
        /// The row id the value was read for.
        row_id: String,
        /// Why, without any part of the value.
        reason: String,
    },
    /// The value is sealed with a key id that the key ring does not hold.
    #[error("value is sealed with key {key_id}, which the key ring does not hold")]
    UnknownKey {
        /// The key id found in the value's header.
        key_id: String,
    },
    /// A key id or key ring is malformed.
    #[error("key is invalid: {reason}")]
    InvalidKey {
        /// What is wrong.
        reason: String,
    },
    /// The operating system's random number generator failed.
    #[error("random number generator failed: {reason}")]
    RandomnessUnavailable {
        /// The operating system's error.
        reason: String,
    },
    /// A stored row holds a value the store cannot interpret (a bug or a hand edit).
    #[error("row in {table} holds an invalid {column}: {reason}")]
    CorruptRow {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// What is wrong, without the value.
        reason: String,
    },
    /// A consent decision the person's ledger refuses (for example a withdrawal of a
    /// purpose never granted), checked in the same transaction as the write.
    #[error("consent decision refused: {0}")]
    ConsentRefused(healing_core::consent::Error),
    /// A link request or decision the pair's links refuse (for example a second
    /// request while one waits), checked in the same transaction as the write.
    #[error("link refused: {0}")]
    LinkRefused(crate::links::LinkRefusal),
    /// A message the conversation's rules refuse (someone outside the patient's care
    /// team, a link that ended, sharing consent withdrawn), checked in the same
    /// transaction as the write.
    #[error("message refused: {0}")]
    MessageRefused(crate::threads::MessageRefusal),
    /// An admin's change to an account that its state refuses (disabling an
    /// account that is disabled already, enabling one that is not), checked in
    /// the change's transaction.
    #[error("the account is {state}")]
    AccountState {
        /// `already disabled` or `not disabled`.
        state: &'static str,
    },
    /// A write to a course of care its rules refuse (a second open course, a session
    /// on a closed course, scores core refuses), checked in the same transaction as
    /// the write.
    #[error("course refused: {0}")]
    CourseRefused(crate::courses::CourseRefusal),
    /// An appointment write its rules refuse (not linked, not an open slot, the slot
    /// taken, inside the notice period, not scheduled), checked in the same
    /// transaction as the write; a slot taken is decided by the database's unique
    /// index.
    #[error("appointment refused: {0}")]
    AppointmentRefused(crate::appointments::AppointmentRefusal),
    /// A community write its rules refuse (no pseudonym, an archived channel, a
    /// post the writer may not see or reply to, the posting limit), checked in the
    /// same transaction as the write.
    #[error("community write refused: {0}")]
    CommunityRefused(crate::community::CommunityRefusal),
    /// A value given to the store is not acceptable (for example an empty username).
    #[error("{field} is invalid: {reason}")]
    InvalidInput {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The store was opened read-only and a write was attempted.
    #[error("store is read-only, so {operation} is not allowed")]
    ReadOnly {
        /// The write that was refused.
        operation: &'static str,
    },
    /// Any other database error (the driver's message, which sqlx keeps free of bound values).
    #[error("database error: {reason}")]
    Database {
        /// The driver's message.
        reason: String,
    },
}

/// Maps a sqlx error to a store error, naming the field of a uniqueness conflict.
pub(crate) fn from_sqlx(error: sqlx::Error) -> Error {
    match error {
        sqlx::Error::Database(db) => {
            let message = db.message().to_owned();
            let constraint = db.constraint().map(str::to_owned);
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    conflict_from(constraint.as_deref().unwrap_or(&message))
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => Error::MissingReference {
                    constraint: constraint.unwrap_or_else(|| "foreign key".to_owned()),
                },
                _ => {
                    if message.contains("readonly") || message.contains("read-only") {
                        Error::ReadOnly { operation: "write" }
                    } else {
                        Error::Database { reason: message }
                    }
                }
            }
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => Error::Unavailable {
            reason: error.to_string(),
        },
        sqlx::Error::Migrate(error) => Error::MigrationFailed {
            reason: error.to_string(),
        },
        // The remaining variants (decode, type, column errors) describe the schema, not values.
        other => Error::Database {
            reason: other.to_string(),
        },
    }
}

/// Names the table and field of a uniqueness violation from the constraint name
/// (PostgreSQL, for example `users_email_unique`) or the message (SQLite, for
/// example `UNIQUE constraint failed: users.email`).
fn conflict_from(text: &str) -> Error {
    const KNOWN: [(&str, &str, &str); 14] = [
        (
            "community_members.pseudonym",
            "community_members",
            "pseudonym",
        ),
        (
            "community_members_pseudonym",
            "community_members",
            "pseudonym",
        ),
        ("community_channels.name", "community_channels", "name"),
        ("community_channels_name", "community_channels", "name"),
        ("community_reports", "community_reports", "post_id"),
        ("users.username", "users", "username"),
        ("users_username", "users", "username"),
        ("users.email", "users", "email"),
        ("users_email", "users", "email"),
        ("users.id", "users", "id"),
        ("sessions", "sessions", "id_hash"),
        (
            "password_reset_tokens",
            "password_reset_tokens",
            "token_hash",
        ),
        ("recovery_codes", "recovery_codes", "code_hash"),
        ("encryption_keys", "encryption_keys", "key_id"),
    ];
    for (needle, table, field) in KNOWN {
        if text.contains(needle) {
            return Error::Conflict { table, field };
        }
    }
    Error::Conflict {
        table: "unknown",
        field: "unknown",
    }
}
