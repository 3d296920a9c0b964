//! Accounts and sessions: users, two-factor secrets and recovery codes, login
//! sessions, sign-in throttling and password-reset tokens ([`AccountStore`]).
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, expect_row, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::contract::AccountStore;
use crate::convert::{
    corrupt, instant, named, new_id, normalise_email, open, optional_instant, page_bounds, person,
    seal,
};
use crate::error::from_sqlx;
use crate::records::*;
use crate::sql::AffectedRows;

macro_rules! user_columns {
    () => {
        "id, username, email, display_name, role, totp_secret, \
     totp_enabled, nhs_number, year_of_birth, created_at, disabled_at"
    };
}

macro_rules! session_columns {
    () => {
        "id_hash, user_id, csrf_token, stage, created_at, \
     last_seen_at, expires_at, client_address"
    };
}

/// Two-factor state from whether a secret is stored and whether it was confirmed.
fn two_factor_state(has_secret: bool, enabled: bool) -> TwoFactorState {
    match (has_secret, enabled) {
        (false, _) => TwoFactorState::NotSetUp,
        (true, false) => TwoFactorState::Pending,
        (true, true) => TwoFactorState::Enabled,
    }
}

impl SqlStore {
    /// Disables (`disabled_at` given) or re-enables an account in one transaction
    /// with its row locked: refuses a move its state does not allow, ends every
    /// session and cancels pending notification emails when disabling, and audits
    /// the change with the admin and their reason.
    async fn change_account_access(
        &self,
        actor: &PersonId,
        id: &PersonId,
        reason: &str,
        disabled_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<User, Error> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT disabled_at FROM users WHERE id = $1 {ROW_LOCK}"
        ))
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("user", id.as_str()))?;
        let was_disabled = column::<Option<i64>>(&row, "disabled_at")?.is_some();
        match (was_disabled, disabled_at.is_some()) {
            (true, true) => {
                return Err(Error::AccountState {
                    state: "already disabled",
                });
            }
            (false, false) => {
                return Err(Error::AccountState {
                    state: "not disabled",
                });
            }
            _ => {}
        }
        sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1")
            .bind(id.as_str())
            .bind(disabled_at.map(Timestamp::unix_seconds))
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        let (action, sessions_ended) = if disabled_at.is_some() {
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?
                .affected();
            sqlx::query(
                "UPDATE notification_emails SET state = 'cancelled', lease_until = NULL \
                 WHERE user_id = $1 AND state = 'pending'",
            )
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            ("account_disabled", ended)
        } else {
            ("account_enabled", 0)
        };
        Self::append_audit_in(
            &mut tx,
            crate::audit::AuditEntry {
                at,
                actor_id: Some(actor.clone()),
                action: crate::audit::AuditAction::new(action)?,
                subject_patient_id: Some(id.clone()),
                detail: serde_json::json!({
                    "user_id": id.as_str(),
                    // The admin's own words, kept so reviewers can judge them.
                    "reason": reason.chars().take(300).collect::<String>(),
                    "sessions_ended": sessions_ended,
                }),
            },
        )
        .await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let user = self.user_from_row(&row)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(user)
    }

    pub(super) fn user_from_row(&self, row: &DbRow) -> Result<User, Error> {
        let id: String = column(row, "id")?;
        let display_name: Vec<u8> = column(row, "display_name")?;
        let nhs_number: Option<Vec<u8>> = column(row, "nhs_number")?;
        let totp_secret: Option<Vec<u8>> = column(row, "totp_secret")?;
        let totp_enabled: bool = column(row, "totp_enabled")?;
        let role: String = column(row, "role")?;
        Ok(User {
            display_name: open(&self.cipher, "users", "display_name", &id, &display_name)?,
            nhs_number: nhs_number
                .map(|sealed| open(&self.cipher, "users", "nhs_number", &id, &sealed))
                .transpose()?,
            two_factor: two_factor_state(totp_secret.is_some(), totp_enabled),
            role: named(&role, Role::from_name, "users", "role")?,
            username: column(row, "username")?,
            email: column(row, "email")?,
            year_of_birth: column(row, "year_of_birth")?,
            created_at: instant(column(row, "created_at")?, "users", "created_at")?,
            disabled_at: optional_instant(column(row, "disabled_at")?, "users", "disabled_at")?,
            id: person(id, "users", "id")?,
        })
    }

    pub(super) fn session_from_row(row: &DbRow) -> Result<LoginSession, Error> {
        let id_hash: Vec<u8> = column(row, "id_hash")?;
        let stage: String = column(row, "stage")?;
        Ok(LoginSession {
            id_hash: TokenHash::from_slice(&id_hash)
                .ok_or_else(|| corrupt("sessions", "id_hash", "not 32 bytes"))?,
            user_id: person(column(row, "user_id")?, "sessions", "user_id")?,
            csrf_token: column(row, "csrf_token")?,
            stage: named(&stage, SessionStage::from_name, "sessions", "stage")?,
            created_at: instant(column(row, "created_at")?, "sessions", "created_at")?,
            last_seen_at: instant(column(row, "last_seen_at")?, "sessions", "last_seen_at")?,
            expires_at: instant(column(row, "expires_at")?, "sessions", "expires_at")?,
            client_address: column(row, "client_address")?,
        })
    }

    pub(super) async fn insert_session<'e, E>(
        executor: E,
        session: &NewSession,
    ) -> Result<(), Error>
    where
        E: sqlx::Executor<'e, Database = Db>,
    {
        sqlx::query(concat!(
            "INSERT INTO sessions (",
            session_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $5, $6, $7)"
        ))
        .bind(session.id_hash.as_bytes().to_vec())
        .bind(session.user_id.as_str())
        .bind(&session.csrf_token)
        .bind(session.stage.as_str())
        .bind(session.created_at.unix_seconds())
        .bind(session.expires_at.unix_seconds())
        .bind(session.client_address.as_deref())
        .execute(executor)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }
}

impl AccountStore for SqlStore {
    // ---- users ----

    async fn create_user(&self, user: NewUser) -> Result<User, Error> {
        validate_new_user(&user)?;
        let id = new_id()?;
        let email = normalise_email(&user.email);
        let display_name = seal(
            &self.cipher,
            "users",
            "display_name",
            &id,
            &user.display_name,
        )?;
        let nhs_number = user
            .nhs_number
            .as_deref()
            .map(|number| seal(&self.cipher, "users", "nhs_number", &id, number))
            .transpose()?;
        sqlx::query(
            "INSERT INTO users (id, username, email, display_name, role, password_hash, \
             password_scheme, totp_secret, totp_enabled, nhs_number, year_of_birth, \
             created_at, disabled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, NULL)",
        )
        .bind(&id)
        .bind(&user.username)
        .bind(&email)
        .bind(display_name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(user.password_scheme.as_str())
        .bind(false)
        .bind(nhs_number)
        .bind(user.year_of_birth)
        .bind(user.created_at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(User {
            id: person(id, "users", "id")?,
            username: user.username,
            email,
            display_name: user.display_name,
            role: user.role,
            two_factor: TwoFactorState::NotSetUp,
            nhs_number: user.nhs_number,
            year_of_birth: user.year_of_birth,
            created_at: user.created_at,
            disabled_at: None,
        })
    }

    async fn user(&self, id: &PersonId) -> Result<User, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("user", id.as_str()))?;
        self.user_from_row(&row)
    }

    async fn display_names(
        &self,
        ids: &[PersonId],
    ) -> Result<std::collections::HashMap<PersonId, String>, Error> {
        let mut names = std::collections::HashMap::new();
        if ids.is_empty() {
            return Ok(names);
        }
        // One placeholder per id: `$1, $2, …` (a few dozen at most: a person's links
        // or one page of alerts).
        let placeholders = (1..=ids.len())
            .map(|position| format!("${position}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT id, display_name FROM users WHERE id IN ({placeholders})");
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(id.as_str());
        }
        for row in self.fetch_all(query).await? {
            let id: String = column(&row, "id")?;
            let sealed: Vec<u8> = column(&row, "display_name")?;
            let name = open(&self.cipher, "users", "display_name", &id, &sealed)?;
            names.insert(person(id, "users", "id")?, name);
        }
        Ok(names)
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<User>, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| self.user_from_row(&row)).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE email = $1"
        ))
        .bind(normalise_email(email))
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| self.user_from_row(&row)).transpose()
    }

    async fn list_users(&self, role: Option<Role>, page: Page) -> Result<Vec<User>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users \
                     WHERE ($1 IS NULL OR role = $1) \
                     ORDER BY created_at, id LIMIT $2 OFFSET $3"
                ))
                .bind(role.map(Role::as_str))
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter().map(|row| self.user_from_row(row)).collect()
    }

    async fn password_credentials(&self, id: &PersonId) -> Result<PasswordCredentials, Error> {
        let row = sqlx::query("SELECT password_hash, password_scheme FROM users WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", id.as_str()))?;
        let scheme: String = column(&row, "password_scheme")?;
        Ok(PasswordCredentials {
            user_id: id.clone(),
            password_hash: column(&row, "password_hash")?,
            scheme: named(
                &scheme,
                PasswordScheme::from_name,
                "users",
                "password_scheme",
            )?,
        })
    }

    async fn set_password(
        &self,
        id: &PersonId,
        password_hash: &str,
        scheme: PasswordScheme,
    ) -> Result<(), Error> {
        expect_row(
            sqlx::query("UPDATE users SET password_hash = $2, password_scheme = $3 WHERE id = $1")
                .bind(id.as_str())
                .bind(password_hash)
                .bind(scheme.as_str())
                .execute(&self.pool)
                .await,
            "user",
            id.as_str(),
        )
    }

    async fn set_role(&self, id: &PersonId, role: Role) -> Result<(), Error> {
        expect_row(
            sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
                .bind(id.as_str())
                .bind(role.as_str())
                .execute(&self.pool)
                .await,
            "user",
            id.as_str(),
        )
    }

    async fn set_display_name(&self, id: &PersonId, display_name: &str) -> Result<(), Error> {
        if display_name.is_empty() || display_name.len() > 200 {
            return Err(Error::InvalidInput {
                field: "display_name",
                reason: format!("is {} bytes long, outside 1 to 200", display_name.len()),
            });
        }
        let sealed = seal(
            &self.cipher,
            "users",
            "display_name",
            id.as_str(),
            display_name,
        )?;
        expect_row(
            sqlx::query("UPDATE users SET display_name = $2 WHERE id = $1")
                .bind(id.as_str())
                .bind(sealed)
                .execute(&self.pool)
                .await,
            "user",
            id.as_str(),
        )
    }

    async fn set_disabled(&self, id: &PersonId, at: Option<Timestamp>) -> Result<(), Error> {
        expect_row(
            sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1")
                .bind(id.as_str())
                .bind(at.map(Timestamp::unix_seconds))
                .execute(&self.pool)
                .await,
            "user",
            id.as_str(),
        )
    }

    async fn disable_account(
        &self,
        actor: &PersonId,
        id: &PersonId,
        reason: &str,
        at: Timestamp,
    ) -> Result<User, Error> {
        self.change_account_access(actor, id, reason, Some(at), at)
            .await
    }

    async fn enable_account(
        &self,
        actor: &PersonId,
        id: &PersonId,
        reason: &str,
        at: Timestamp,
    ) -> Result<User, Error> {
        self.change_account_access(actor, id, reason, None, at)
            .await
    }

    async fn search_users(&self, query: &UserQuery) -> Result<UserList, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users \
                     WHERE ($1 IS NULL OR role = $1) \
                       AND ($2 IS NULL OR $2 = (disabled_at IS NOT NULL)) \
                     ORDER BY created_at, id"
                ))
                .bind(query.role.map(Role::as_str))
                .bind(query.disabled),
            )
            .await?;
        let needle = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_lowercase);
        let mut matching = Vec::new();
        for row in &rows {
            let user = self.user_from_row(row)?;
            let found = needle.as_deref().is_none_or(|needle| {
                user.username.to_lowercase().contains(needle)
                    || user.display_name.to_lowercase().contains(needle)
            });
            if found {
                matching.push(user);
            }
        }
        let total = matching.len() as u64;
        let (limit, offset) = page_bounds(query.page);
        Ok(UserList {
            users: matching
                .into_iter()
                .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                .take(usize::try_from(limit).unwrap_or(0))
                .collect(),
            total,
        })
    }

    // ---- two-factor ----

    async fn set_totp_secret(&self, id: &PersonId, secret: &str) -> Result<(), Error> {
        let sealed = seal(&self.cipher, "users", "totp_secret", id.as_str(), secret)?;
        expect_row(
            sqlx::query("UPDATE users SET totp_secret = $2, totp_enabled = $3 WHERE id = $1")
                .bind(id.as_str())
                .bind(sealed)
                .bind(false)
                .execute(&self.pool)
                .await,
            "user",
            id.as_str(),
        )
    }

    async fn enable_totp(&self, id: &PersonId) -> Result<(), Error> {
        expect_row(
            sqlx::query(
                "UPDATE users SET totp_enabled = $2 WHERE id = $1 AND totp_secret IS NOT NULL",
            )
            .bind(id.as_str())
            .bind(true)
            .execute(&self.pool)
            .await,
            "user with a totp secret",
            id.as_str(),
        )
    }

    async fn disable_totp(&self, id: &PersonId) -> Result<(), Error> {
        let mut tx = self.begin_write().await?;
        let updated =
            sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled = $2 WHERE id = $1")
                .bind(id.as_str())
                .bind(false)
                .execute(&mut *tx)
                .await;
        expect_row(updated, "user", id.as_str())?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn totp_secret(
        &self,
        id: &PersonId,
    ) -> Result<Option<zeroize::Zeroizing<String>>, Error> {
        let row = sqlx::query("SELECT totp_secret FROM users WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", id.as_str()))?;
        let sealed: Option<Vec<u8>> = column(&row, "totp_secret")?;
        sealed
            .map(|sealed| {
                open(&self.cipher, "users", "totp_secret", id.as_str(), &sealed)
                    .map(zeroize::Zeroizing::new)
            })
            .transpose()
    }

    async fn accept_totp_step(&self, id: &PersonId, step: i64) -> Result<bool, Error> {
        // One conditional UPDATE: of two concurrent acceptances of one step, the
        // second sees the first's value (row lock on PostgreSQL, the single
        // writer on SQLite) and matches no row.
        let result = sqlx::query(
            "UPDATE users SET totp_last_step = $2 \
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(id.as_str())
        .bind(step)
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(result.affected() == 1)
    }

    async fn replace_recovery_codes(
        &self,
        id: &PersonId,
        code_hashes: &[TokenHash],
        at: Timestamp,
    ) -> Result<(), Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        for code_hash in code_hashes {
            sqlx::query(
                "INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) \
                 VALUES ($1, $2, $3, NULL)",
            )
            .bind(id.as_str())
            .bind(code_hash.as_bytes().to_vec())
            .bind(at.unix_seconds())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        tx.commit().await.map_err(from_sqlx)
    }

    async fn use_recovery_code(
        &self,
        id: &PersonId,
        code_hash: &TokenHash,
        at: Timestamp,
    ) -> Result<RecoveryCodeUse, Error> {
        // One conditional UPDATE: of two concurrent uses, only one matches `used_at IS NULL`.
        let result = sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(id.as_str())
        .bind(code_hash.as_bytes().to_vec())
        .bind(at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(if result.affected() == 1 {
            RecoveryCodeUse::Accepted
        } else {
            RecoveryCodeUse::Rejected
        })
    }

    async fn unused_recovery_codes(&self, id: &PersonId) -> Result<u32, Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS unused FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(id.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let unused: i64 = column(&row, "unused")?;
        Ok(u32::try_from(unused).unwrap_or(u32::MAX))
    }

    // ---- sessions ----

    async fn create_session(&self, session: NewSession) -> Result<(), Error> {
        Self::insert_session(&self.pool, &session).await
    }

    async fn session(&self, id_hash: &TokenHash) -> Result<Option<LoginSession>, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            session_columns!(),
            " FROM sessions WHERE id_hash = $1"
        ))
        .bind(id_hash.as_bytes().to_vec())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        row.as_ref().map(Self::session_from_row).transpose()
    }

    async fn session_account(&self, id_hash: &TokenHash) -> Result<Option<SessionAccount>, Error> {
        let row = sqlx::query(
            "SELECT s.id_hash, s.user_id, s.csrf_token, s.stage, s.created_at, s.last_seen_at, \
                    s.expires_at, s.client_address, u.role, u.totp_secret IS NOT NULL AS has_totp_secret, \
                    u.totp_enabled, u.disabled_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
        )
        .bind(id_hash.as_bytes().to_vec())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let Some(row) = row else { return Ok(None) };
        let role: String = column(&row, "role")?;
        Ok(Some(SessionAccount {
            session: Self::session_from_row(&row)?,
            role: named(&role, Role::from_name, "users", "role")?,
            two_factor: two_factor_state(
                column(&row, "has_totp_secret")?,
                column(&row, "totp_enabled")?,
            ),
            disabled_at: optional_instant(column(&row, "disabled_at")?, "users", "disabled_at")?,
        }))
    }

    async fn touch_session(&self, id_hash: &TokenHash, at: Timestamp) -> Result<(), Error> {
        expect_row(
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
                .bind(id_hash.as_bytes().to_vec())
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await,
            "session",
            "(hashed id)",
        )
    }

    async fn replace_session(
        &self,
        old_id_hash: &TokenHash,
        new_session: NewSession,
    ) -> Result<(), Error> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(old_id_hash.as_bytes().to_vec())
            .execute(&mut *tx)
            .await;
        expect_row(deleted, "session", "(hashed id)")?;
        Self::insert_session(&mut *tx, &new_session).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn delete_session(&self, id_hash: &TokenHash) -> Result<(), Error> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash.as_bytes().to_vec())
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    async fn delete_user_sessions(
        &self,
        user_id: &PersonId,
        keep: Option<&TokenHash>,
    ) -> Result<u64, Error> {
        let result = sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)",
        )
        .bind(user_id.as_str())
        .bind(keep.map(|hash| hash.as_bytes().to_vec()))
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(result.affected())
    }

    async fn delete_expired_sessions(
        &self,
        now: Timestamp,
        idle_seconds: i64,
    ) -> Result<u64, Error> {
        let result =
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now.unix_seconds())
                .bind(now.unix_seconds().saturating_sub(idle_seconds))
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
        Ok(result.affected())
    }

    // ---- sign-in throttling ----

    async fn record_auth_failure(
        &self,
        key: &ThrottleKey,
        at: Timestamp,
        policy: ThrottlePolicy,
    ) -> Result<ThrottleState, Error> {
        let now = at.unix_seconds();
        let mut tx = self.begin_write().await?;
        // Make sure the row exists, then lock it (ROW_LOCK is `FOR UPDATE` on
        // PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes other writers),
        // so concurrent failures are all counted.
        sqlx::query(
            "INSERT INTO auth_throttle \
             (scope, action, subject, failures, window_started_at, locked_until) \
             VALUES ($1, $2, $3, 0, $4, NULL) \
             ON CONFLICT (scope, action, subject) DO NOTHING",
        )
        .bind(key.scope.as_str())
        .bind(key.action.as_str())
        .bind(&key.subject)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let row = sqlx::query(&format!(
            "SELECT failures, window_started_at, locked_until FROM auth_throttle \
             WHERE scope = $1 AND action = $2 AND subject = $3 {ROW_LOCK}"
        ))
        .bind(key.scope.as_str())
        .bind(key.action.as_str())
        .bind(&key.subject)
        .fetch_one(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let (mut failures, mut window_started_at, mut locked_until) = (
            column::<i32>(&row, "failures")?,
            column::<i64>(&row, "window_started_at")?,
            column::<Option<i64>>(&row, "locked_until")?,
        );
        if locked_until.is_some_and(|until| until <= now) {
            // The lockout is over: start counting afresh.
            locked_until = None;
            failures = 0;
            window_started_at = now;
        }
        if now.saturating_sub(window_started_at) >= policy.window_seconds {
            failures = 0;
            window_started_at = now;
        }
        failures = failures.saturating_add(1);
        let max_failures = i32::try_from(policy.max_failures).unwrap_or(i32::MAX);
        if failures >= max_failures && locked_until.is_none() {
            locked_until = Some(now.saturating_add(policy.lockout_seconds));
        }
        sqlx::query(
            "UPDATE auth_throttle SET failures = $4, window_started_at = $5, locked_until = $6 \
             WHERE scope = $1 AND action = $2 AND subject = $3",
        )
        .bind(key.scope.as_str())
        .bind(key.action.as_str())
        .bind(&key.subject)
        .bind(failures)
        .bind(window_started_at)
        .bind(locked_until)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(ThrottleState {
            failures: u32::try_from(failures).unwrap_or(0),
            locked_until: optional_instant(locked_until, "auth_throttle", "locked_until")?,
        })
    }

    async fn throttle_state(
        &self,
        key: &ThrottleKey,
        at: Timestamp,
    ) -> Result<ThrottleState, Error> {
        let row = sqlx::query(
            "SELECT failures, window_started_at, locked_until FROM auth_throttle \
             WHERE scope = $1 AND action = $2 AND subject = $3",
        )
        .bind(key.scope.as_str())
        .bind(key.action.as_str())
        .bind(&key.subject)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let Some(row) = row else {
            return Ok(ThrottleState {
                failures: 0,
                locked_until: None,
            });
        };
        let locked_until =
            column::<Option<i64>>(&row, "locked_until")?.filter(|until| *until > at.unix_seconds());
        Ok(ThrottleState {
            failures: u32::try_from(column::<i32>(&row, "failures")?).unwrap_or(0),
            locked_until: optional_instant(locked_until, "auth_throttle", "locked_until")?,
        })
    }

    async fn clear_auth_failures(&self, key: &ThrottleKey) -> Result<(), Error> {
        sqlx::query("DELETE FROM auth_throttle WHERE scope = $1 AND action = $2 AND subject = $3")
            .bind(key.scope.as_str())
            .bind(key.action.as_str())
            .bind(&key.subject)
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    // ---- password reset ----

    async fn create_password_reset_token(
        &self,
        token_hash: &TokenHash,
        user_id: &PersonId,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(token_hash.as_bytes().to_vec())
        .bind(user_id.as_str())
        .bind(created_at.unix_seconds())
        .bind(expires_at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    async fn password_reset_token_user(
        &self,
        token_hash: &TokenHash,
        at: Timestamp,
    ) -> Result<Option<PersonId>, Error> {
        let row = sqlx::query(
            "SELECT user_id FROM password_reset_tokens \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash.as_bytes().to_vec())
        .bind(at.unix_seconds())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| person(column(&row, "user_id")?, "password_reset_tokens", "user_id"))
            .transpose()
    }

    async fn consume_password_reset_token(
        &self,
        token_hash: &TokenHash,
        at: Timestamp,
    ) -> Result<Option<PersonId>, Error> {
        // One conditional UPDATE: a token is spent at most once, even under races.
        let row = sqlx::query(
            "UPDATE password_reset_tokens SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING user_id",
        )
        .bind(token_hash.as_bytes().to_vec())
        .bind(at.unix_seconds())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| person(column(&row, "user_id")?, "password_reset_tokens", "user_id"))
            .transpose()
    }
}
