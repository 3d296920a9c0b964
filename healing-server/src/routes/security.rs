//! `/api/security/*`: password reset by emailed single-use token, GDPR data
//! export and account deletion, and the audit log for admins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse as _, Response};
use base64::Engine as _;
use healing_store::prelude::*;
use healing_store::{AuditQuery, PasswordScheme, ThrottleAction, TokenHash};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::password::{self, Verification};
use crate::auth::throttle;
use crate::error::{ApiError, JsonBody, QueryParams, ok, ok_with};
use crate::mailer::OutgoingEmail;
use crate::policy::Caller;
use crate::state::{AppState, store_error};

/// Reset tokens are valid for one hour (OWASP Forgot Password Cheat Sheet:
/// short-lived, single use).
pub const RESET_TOKEN_SECONDS: i64 = 60 * 60;

/// `POST /api/security/password-reset` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    /// The account's email address.
    pub email: String,
}

/// `POST /api/security/password-reset/confirm` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PasswordResetConfirm {
    /// The token from the email.
    pub token: String,
    /// The new password.
    pub new_password: String,
}

/// `POST /api/security/delete-account` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DeleteAccountRequest {
    /// The current password, confirming the intent.
    pub password: String,
}

/// Delete-account's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountErased {
    /// Rows erased, by table.
    pub rows_deleted: std::collections::BTreeMap<String, u64>,
}

/// What a reset request answers, whatever the email (no user enumeration).
pub const RESET_ANSWER: &str = "if an account uses that email, a reset link has been sent to it";

/// Request a password reset email. The answer is the same for known and unknown
/// emails, and so is the work done on the request path: a token is drawn and
/// hashed, the token table is consulted, an audit entry is appended and a send
/// is spawned (the unknown email's sends nothing), so timing tells nothing either.
#[utoipa::path(post, path = "/api/security/password-reset", tag = "security", request_body = PasswordResetRequest,
    responses((status = 202, description = "Accepted (same answer for any email)", body = crate::error::NoData), (status = 429, description = "Too many requests; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    crate::auth::ClientAddress(client): crate::auth::ClientAddress,
    JsonBody(request): JsonBody<PasswordResetRequest>,
) -> Result<Response, ApiError> {
    let email = request.email.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 {
        return Err(ApiError::validation("email is not a valid address"));
    }
    let keys = throttle::keys(ThrottleAction::PasswordReset, &email, &client);
    throttle::check(&state, &keys).await?;
    // Every request counts toward the limit, found or not.
    if let Some(locked) = throttle::record_failure(&state, &keys).await? {
        return Err(locked);
    }
    let user = state
        .store()
        .user_by_email(&email)
        .await
        .map_err(store_error)?
        .filter(|user| user.disabled_at.is_none());
    // A token for everyone: an unknown email's is hashed and looked up, never stored.
    let mut secret = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(secret.as_mut()).map_err(ApiError::internal)?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret.as_ref());
    let token_hash = TokenHash::of_secret(token.as_bytes());
    let now = state.now();
    let expires = now
        .checked_add_seconds(RESET_TOKEN_SECONDS)
        .ok_or_else(|| ApiError::internal("expiry overflow"))?;
    let email = match &user {
        Some(user) => {
            state
                .store()
                .create_password_reset_token(&token_hash, &user.id, now, expires)
                .await
                .map_err(store_error)?;
            Some((
                user.id.as_str().to_owned(),
                OutgoingEmail {
                    to: user.email.clone(),
                    subject: "Reset your Healing password".to_owned(),
                    body: format!(
                        "Someone asked to reset the password of your Healing account.\n\n\
                     To choose a new password, open this link within one hour:\n{}/reset-password#token={token}\n\n\
                     If this was not you, ignore this email; your password is unchanged.\n",
                        state.public_url()
                    ),
                },
            ))
        }
        None => {
            state
                .store()
                .password_reset_token_user(&token_hash, now)
                .await
                .map_err(store_error)?;
            None
        }
    };
    // Unknown emails are audited too (no actor), so both append one entry.
    crate::audit::record(
        &state,
        user.as_ref().map(|user| &user.id),
        "password_reset_requested",
        None,
        serde_json::json!({}),
    )
    .await?;
    // Sent in the background for both, so neither answer waits for SMTP.
    let mailer = state.mailer().clone();
    tokio::spawn(async move {
        let Some((user_id, email)) = email else {
            return;
        };
        match mailer.send(email).await {
            Ok(()) => tracing::info!(user_id, "password reset email sent"),
            Err(crate::mailer::MailError::NotConfigured) => {
                tracing::warn!(
                    user_id,
                    "password reset requested but email is not configured (HEALING_SMTP_URL)"
                );
            }
            Err(error) => tracing::error!(user_id, %error, "password reset email failed"),
        }
    });
    Ok(ok_with(
        StatusCode::ACCEPTED,
        crate::error::NoData {},
        RESET_ANSWER,
    ))
}

/// Set a new password with a reset token (single use); ends every session.
#[utoipa::path(post, path = "/api/security/password-reset/confirm", tag = "security", request_body = PasswordResetConfirm,
    responses((status = 200, description = "Password changed", body = crate::error::NoData), (status = 400, description = "Token invalid, used or expired; or weak password", body = crate::error::ErrorBody)))]
pub async fn confirm_password_reset(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<PasswordResetConfirm>,
) -> Result<Response, ApiError> {
    if request.token.is_empty() || request.token.len() > 128 {
        return Err(invalid_token());
    }
    let hash = TokenHash::of_secret(request.token.trim().as_bytes());
    let store = state.store();
    let Some(owner) = store
        .password_reset_token_user(&hash, state.now())
        .await
        .map_err(store_error)?
    else {
        return Err(invalid_token());
    };
    let user = store.user(&owner).await.map_err(store_error)?;
    // The same password policy as register and change-password, checked before
    // the token is spent so a weak choice can be corrected.
    password::check_password_strength(&request.new_password, &user.username)
        .map_err(|weak| ApiError::validation(weak.to_string()))?;
    let Some(user_id) = store
        .consume_password_reset_token(&hash, state.now())
        .await
        .map_err(store_error)?
        .filter(|spent| spent == &owner)
    else {
        return Err(invalid_token());
    };
    let new_hash = crate::routes::auth::hash_new_password(request.new_password).await?;
    state
        .store()
        .set_password(&user_id, &new_hash, PasswordScheme::Argon2id)
        .await
        .map_err(store_error)?;
    let ended = state
        .store()
        .delete_user_sessions(&user_id, None)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&user_id),
        "password_reset_completed",
        None,
        serde_json::json!({ "sessions_ended": ended }),
    )
    .await?;
    Ok(ok_with(
        StatusCode::OK,
        crate::error::NoData {},
        "password changed; sign in with the new password",
    ))
}

fn invalid_token() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "INVALID_TOKEN",
        "the reset link is invalid, expired or already used",
    )
}

/// The media type of a FHIR R4 JSON resource (FHIR R4 §2.6.4.2 "JSON").
pub const FHIR_JSON: &str = "application/fhir+json";

/// Which form `GET /api/security/export-data` answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Everything the server holds, in the success envelope (`application/json`).
    Json,
    /// The caller's record as a FHIR R4 `collection` Bundle
    /// (`application/fhir+json`), without the envelope.
    Fhir,
}

/// `GET /api/security/export-data` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (the default) or `fhir`; anything else is refused with
    /// `UNSUPPORTED_EXPORT_FORMAT`.
    #[param(value_type = Option<ExportFormat>, inline)]
    pub format: Option<String>,
}

impl ExportQuery {
    /// The requested format; an unknown one is a 400 with its own code.
    fn export_format(&self) -> Result<ExportFormat, ApiError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(ExportFormat::Json),
            Some("fhir") => Ok(ExportFormat::Fhir),
            Some(_) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "UNSUPPORTED_EXPORT_FORMAT",
                "format must be json or fhir",
            )),
        }
    }
}

/// Download everything held about the caller (GDPR Article 15/20): as JSON
/// (default), or with `format=fhir` as a FHIR R4 Bundle of what FHIR can carry
/// (patient, questionnaires with answers and scores, consent, moods, safety
/// events; `crate::fhir_export` lists what stays JSON-only and why). The
/// record is always the session's own.
#[utoipa::path(get, path = "/api/security/export-data", tag = "security", params(ExportQuery),
    responses(
        (status = 200, description = "All the caller's data: the JSON export in the success envelope, or with `format=fhir` a FHIR R4 `collection` Bundle (no envelope)",
            content((serde_json::Value = "application/json"), (serde_json::Value = "application/fhir+json"))),
        (status = 400, description = "`UNSUPPORTED_EXPORT_FORMAT`: format is neither json nor fhir; `VALIDATION_FAILED`: malformed query", body = crate::error::ErrorBody),
        (status = 409, description = "`FHIR_EXPORT_UNAVAILABLE`: a stored record cannot be written as FHIR (for example scored with an instrument version this server no longer defines); the JSON export still has it", body = crate::error::ErrorBody)))]
pub async fn export_data(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = query.export_format()?;
    let export = state
        .store()
        .export_user_data(&caller.user_id)
        .await
        .map_err(store_error)?;
    let response = match format {
        ExportFormat::Json => ok(export),
        ExportFormat::Fhir => fhir_record_response(&state, &export).await?,
    };
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "data_exported",
        Some(&caller.user_id),
        serde_json::json!({ "format": format }),
    )
    .await?;
    Ok(response)
}

/// A stored record as a FHIR R4 Bundle answer (`application/fhir+json`, no
/// envelope), through [`crate::fhir_export::record_bundle`]: the caller's own GDPR
/// export and a linked clinician's copy for the EHR are the same workflow. A record
/// FHIR cannot carry is 409 `FHIR_EXPORT_UNAVAILABLE`.
pub(crate) async fn fhir_record_response(
    state: &AppState,
    export: &healing_store::UserExport,
) -> Result<Response, ApiError> {
    let alerts = state
        .store()
        .alerts_of_patient(&export.user.id)
        .await
        .map_err(store_error)?;
    let bundle =
        crate::fhir_export::record_bundle(export, &alerts, state.now(), state.fhir_signing_key())
            .map_err(|error| {
            if error.is_unrepresentable() {
                ApiError::new(
                    StatusCode::CONFLICT,
                    "FHIR_EXPORT_UNAVAILABLE",
                    format!("{error}; the JSON export still has it"),
                )
            } else {
                ApiError::internal(error)
            }
        })?;
    let body = serde_json::to_vec(&bundle).map_err(ApiError::internal)?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static(FHIR_JSON),
        )],
        body,
    )
        .into_response())
}

/// Delete the caller's account and all its data (GDPR Article 17). Needs the password.
#[utoipa::path(post, path = "/api/security/delete-account", tag = "security", request_body = DeleteAccountRequest,
    responses((status = 200, description = "Account erased", body = AccountErased), (status = 401, description = "Password wrong", body = crate::error::ErrorBody)))]
pub async fn delete_account(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<DeleteAccountRequest>,
) -> Result<Response, ApiError> {
    let credentials = state
        .store()
        .password_credentials(&caller.user_id)
        .await
        .map_err(store_error)?;
    let password = request.password;
    let stored = credentials.password_hash;
    let verification =
        tokio::task::spawn_blocking(move || password::verify_password(&password, &stored))
            .await
            .map_err(ApiError::internal)?;
    if verification == Verification::Invalid {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "password is wrong",
        ));
    }
    let report = state
        .store()
        .erase_user(&caller.user_id, Some(&caller.user_id), None, state.now())
        .await
        .map_err(store_error)?;
    let response = ok_with(
        StatusCode::OK,
        AccountErased {
            rows_deleted: report.rows_deleted,
        },
        "account and data deleted",
    );
    Ok(crate::routes::auth::clear_cookie(response, &state))
}

/// Audit log query. A reader pages forward with `after_seq` and a fixed
/// `until_seq`: the first page (no `until_seq`) fixes it at the newest entry
/// that existed when it was read, and the answer's `next_after_seq` is the
/// next page's `after_seq`. Every read appends an `audit_log_read` entry, so
/// without the bound "page until empty" would never end.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditLogQuery {
    /// Only entries after this sequence number.
    pub after_seq: Option<i64>,
    /// Only entries up to this sequence number; the first page fixes it.
    pub until_seq: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u32>,
    /// Only entries about this patient.
    pub patient_id: Option<String>,
    /// Only entries by this actor.
    pub actor_id: Option<String>,
}

/// One page of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditLogPage {
    /// Entries in sequence order.
    pub entries: Vec<AuditRow>,
    /// The last sequence number this walk reads: send it back with every
    /// later page (0 while the log is empty).
    pub until_seq: i64,
    /// The `after_seq` of the next page; null on the last page.
    pub next_after_seq: Option<i64>,
}

/// Read the audit log (admins), one page of a walk bounded by `until_seq`.
#[utoipa::path(get, path = "/api/security/audit-log", tag = "security", params(AuditLogQuery),
    responses((status = 200, description = "A page of audit entries in sequence order", body = AuditLogPage)))]
pub async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<AuditLogQuery>,
) -> Result<Response, ApiError> {
    let until_seq = match query.until_seq {
        Some(until_seq) => until_seq,
        None => state
            .store()
            .audit_head_seq()
            .await
            .map_err(store_error)?
            .unwrap_or(0),
    };
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let store_query = AuditQuery {
        actor_id: query
            .actor_id
            .as_deref()
            .map(|id| crate::routes::person_id(id, "actor_id"))
            .transpose()?,
        subject_patient_id: query
            .patient_id
            .as_deref()
            .map(|id| crate::routes::person_id(id, "patient_id"))
            .transpose()?,
        after_seq: query.after_seq,
        until_seq: Some(until_seq),
        limit,
    };
    let entries = state
        .store()
        .audit_entries(store_query)
        .await
        .map_err(store_error)?;
    // A short page is the last; so is one that reached the bound.
    let next_after_seq = match entries.last() {
        Some(last) if entries.len() >= limit as usize && last.seq < until_seq => Some(last.seq),
        _ => None,
    };
    let page = AuditLogPage {
        entries: entries.iter().map(AuditRow::from).collect(),
        until_seq,
        next_after_seq,
    };
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "audit_log_read",
        None,
        serde_json::json!({ "entries": page.entries.len() }),
    )
    .await?;
    Ok(ok(page))
}

/// One audit entry as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditRow {
    /// Sequence number.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who acted.
    pub actor_id: Option<String>,
    /// What.
    pub action: String,
    /// Whose data.
    pub subject_patient_id: Option<String>,
    /// Detail (ids and kinds only).
    pub detail: serde_json::Value,
    /// This entry's chain hash (hex).
    pub hash: String,
}

impl From<&healing_store::AuditRecord> for AuditRow {
    fn from(record: &healing_store::AuditRecord) -> Self {
        Self {
            seq: record.seq,
            at: record.at.to_rfc3339(),
            actor_id: record.actor_id.as_ref().map(|id| id.as_str().to_owned()),
            action: record.action.as_str().to_owned(),
            subject_patient_id: record
                .subject_patient_id
                .as_ref()
                .map(|id| id.as_str().to_owned()),
            detail: serde_json::from_str(&record.detail).unwrap_or(serde_json::Value::Null),
            hash: record.hash.to_hex(),
        }
    }
}

/// Verify the audit hash chain (admins): reports the first edited, deleted
/// or reordered entry. Answers 200 with `intact: false` when it is broken.
#[utoipa::path(get, path = "/api/security/audit-log/verify", tag = "security",
    responses((status = 200, description = "Verification result", body = serde_json::Value)))]
pub async fn verify_audit_log(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let verification = state.store().verify_audit().await.map_err(store_error)?;
    let intact = matches!(verification.status, healing_store::AuditChainStatus::Intact);
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "audit_verified",
        None,
        serde_json::json!({ "intact": intact }),
    )
    .await?;
    Ok(ok(serde_json::json!({
        "intact": intact,
        "entries_checked": verification.entries_checked,
        "head_seq": verification.head_seq,
        "chain": verification.status,
    })))
}
