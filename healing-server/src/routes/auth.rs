//! `/api/auth/*`: register, login, second factor, logout, check-session,
//! change password and two-factor enrolment.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use healing_core::ids::PersonId;
use healing_store::prelude::*;
use healing_store::{
    NewSession, NewUser, PasswordScheme, RecoveryCodeUse, Role, SessionStage, ThrottleAction,
    ThrottleKey, ThrottleScope, TokenHash, TwoFactorState, User,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::{InvalidField, validate_display_name, validate_email, validate_username};
use crate::auth::password::{self, Verification};
use crate::auth::session::{self, SessionToken};
use crate::auth::{throttle, totp};
use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::{Caller, MaybeCaller};
use crate::state::{AppState, store_error};

/// A user as the API shows them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// Opaque id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Email.
    pub email: String,
    /// Name shown in the app.
    pub display_name: String,
    /// `patient`, `clinician` or `admin`.
    pub role: String,
    /// `not_set_up`, `pending` or `enabled`.
    pub two_factor: String,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.as_str().to_owned(),
            username: user.username.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            two_factor: user.two_factor.as_str().to_owned(),
        }
    }
}

/// The state of the caller's session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionView {
    /// The signed-in user.
    pub user: UserView,
    /// `awaiting_second_factor` or `authenticated`.
    pub stage: String,
    /// Send this in `X-CSRF-Token` on every POST/PUT/PATCH/DELETE.
    pub csrf_token: String,
    /// True for a clinician or admin who must enrol two-factor before anything else.
    pub two_factor_setup_required: bool,
}

/// `POST /api/auth/register` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// 3–32 characters: lower-case letters, digits, `.`, `_`, `-`.
    pub username: String,
    /// Email address (for password reset).
    pub email: String,
    /// At least 12 characters; not common; not containing the username.
    pub password: String,
    /// Name shown in the app (default: the username).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `patient` (default). `clinician` or `admin` only when an admin is signed in.
    #[serde(default)]
    pub role: Option<String>,
}

/// `POST /api/auth/login` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Username or email.
    pub username: String,
    /// Password.
    pub password: String,
}

/// `POST /api/auth/verify-2fa` body: one of the two.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VerifyTwoFactorRequest {
    /// The 6-digit code from the authenticator app.
    #[serde(default)]
    pub code: Option<String>,
    /// Or one unused recovery code.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

/// `POST /api/auth/change-password` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    /// The current password.
    pub current_password: String,
    /// The new password.
    pub new_password: String,
}

/// Logout-everywhere's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionsEnded {
    /// How many sessions were ended, this one included.
    pub sessions_ended: u64,
}

/// Change-password's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordChanged {
    /// How many of the caller's other sessions were ended.
    pub other_sessions_ended: u64,
}

/// Two-factor enrolment: the secret to put in an authenticator app.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TwoFactorSetup {
    /// Base32 secret (for manual entry).
    pub secret: String,
    /// `otpauth://` URI (for a QR code).
    pub otpauth_uri: String,
}

/// `POST /api/auth/2fa/confirm` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ConfirmTwoFactorRequest {
    /// A current code from the app, proving it was set up.
    pub code: String,
}

/// One-time recovery codes, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecoveryCodes {
    /// Each works once in place of a code.
    pub recovery_codes: Vec<String>,
    /// The new CSRF token (the session id changed).
    pub csrf_token: String,
}

impl From<InvalidField> for ApiError {
    fn from(error: InvalidField) -> Self {
        ApiError::validation(error.message())
    }
}

/// Hashes a new password on a blocking thread (Argon2id takes ~tens of ms).
pub async fn hash_new_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || password::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

async fn verify_on_blocking_thread(
    password: String,
    stored: String,
) -> Result<Verification, ApiError> {
    tokio::task::spawn_blocking(move || password::verify_password(&password, &stored))
        .await
        .map_err(ApiError::internal)
}

/// A fixed Argon2id hash checked when the account does not exist, so the
/// answer takes as long as for a real account (no user enumeration by timing).
fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            password::hash_password("no such account, constant work").unwrap_or_default()
        })
        .clone()
}

/// Creates a session, sets its cookie, and answers with the session view.
async fn start_session(
    state: &AppState,
    user: &User,
    stage: SessionStage,
    replacing: Option<&TokenHash>,
    client: &str,
) -> Result<(SessionToken, SessionView), ApiError> {
    let token = SessionToken::generate().map_err(ApiError::internal)?;
    let now = state.now();
    let lifetime = match stage {
        SessionStage::AwaitingSecondFactor => session::TWO_FACTOR_PENDING_SECONDS,
        SessionStage::Authenticated => session::ABSOLUTE_TIMEOUT_SECONDS,
    };
    let expires_at = now
        .checked_add_seconds(lifetime)
        .ok_or_else(|| ApiError::internal("expiry overflow"))?;
    let new_session = NewSession {
        id_hash: token.storage_hash(),
        user_id: user.id.clone(),
        csrf_token: token.csrf_token(),
        stage,
        created_at: now,
        expires_at,
        client_address: Some(client.to_owned()),
    };
    match replacing {
        Some(old) => state
            .store()
            .replace_session(old, new_session)
            .await
            .map_err(store_error)?,
        None => state
            .store()
            .create_session(new_session)
            .await
            .map_err(store_error)?,
    }
    let view = SessionView {
        user: UserView::from(user),
        stage: stage.as_str().to_owned(),
        csrf_token: token.csrf_token(),
        two_factor_setup_required: stage == SessionStage::Authenticated
            && user.role != Role::Patient
            && user.two_factor != TwoFactorState::Enabled,
    };
    Ok((token, view))
}

/// Replaces the caller's session with a fully signed-in one (new token, so a
/// session id seen before the second factor is worthless after it), with the
/// user read afresh so the view shows their current two-factor state.
async fn promote_session(
    state: &AppState,
    caller: &Caller,
    client: &str,
) -> Result<(SessionToken, SessionView), ApiError> {
    let user = state
        .store()
        .user(&caller.user_id)
        .await
        .map_err(store_error)?;
    start_session(
        state,
        &user,
        SessionStage::Authenticated,
        Some(&caller.session_hash),
        client,
    )
    .await
}

/// 401 for a second-factor code that is wrong or already used.
fn invalid_code() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "INVALID_CODE",
        "the code is wrong or was already used",
    )
}

fn with_cookie(mut response: Response, value: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Register an account.
///
/// The answer never says whether an email already has an account: for a taken
/// email nothing is created, the email's owner is told by email, and the answer
/// is the one a created account gets (201, the account as typed, under a fresh
/// id that belongs to nobody). A taken username is still 409, naming it. Every
/// attempt counts toward a per-address limit (`auth::throttle`).
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, description = "Account created; the same answer when the email already has an account (its owner is emailed instead)", body = UserView),
        (status = 403, description = "A role other than patient asked for without an admin's session, or a cross-site request", body = crate::error::ErrorBody),
        (status = 409, description = "Username taken", body = crate::error::ErrorBody),
        (status = 429, description = "Too many attempts from this address; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn register(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::ClientAddress(client): crate::auth::ClientAddress,
    MaybeCaller(caller): MaybeCaller,
    JsonBody(request): JsonBody<RegisterRequest>,
) -> Result<Response, ApiError> {
    // Every attempt counts, whatever its outcome, so usernames cannot be probed in bulk;
    // the attempt that reaches the limit is answered, the next ones are refused.
    let keys = [throttle::address_key(ThrottleAction::Register, &client)];
    throttle::check(&state, &keys).await?;
    throttle::record_failure(&state, &keys).await?;
    let username = validate_username(&request.username)?;
    let email = validate_email(&request.email)?;
    let display_name = validate_display_name(request.display_name.as_deref().unwrap_or(&username))?;
    let role = match request.role.as_deref() {
        None | Some("patient") => Role::Patient,
        Some(other) => {
            let role = Role::from_name(other).ok_or_else(|| {
                ApiError::validation(format!(
                    "role {other:?} is not one of patient, clinician, admin"
                ))
            })?;
            let is_admin = caller.as_ref().is_some_and(|caller| {
                caller.role == Role::Admin
                    && caller.stage == SessionStage::Authenticated
                    && !caller.second_factor_outstanding
            });
            if !is_admin {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "FORBIDDEN",
                    "only an admin can create clinician or admin accounts",
                ));
            }
            role
        }
    };
    password::check_password_strength(&request.password, &username)
        .map_err(|weak| ApiError::validation(weak.to_string()))?;
    // Hashed whether or not the email is taken, so both take as long.
    let password_hash = hash_new_password(request.password).await?;
    let store = state.store();
    if store
        .user_by_username(&username)
        .await
        .map_err(store_error)?
        .is_some()
    {
        return Err(username_taken());
    }
    let owner = store.user_by_email(&email).await.map_err(store_error)?;
    let created = match owner {
        Some(_) => None,
        None => match store
            .create_user(NewUser {
                username: username.clone(),
                email: email.clone(),
                display_name: display_name.clone(),
                role,
                password_hash,
                password_scheme: PasswordScheme::Argon2id,
                nhs_number: None,
                year_of_birth: None,
                created_at: state.now(),
            })
            .await
        {
            Ok(user) => Some(user),
            // Taken by a registration that raced this one.
            Err(healing_store::Error::Conflict { field: "email", .. }) => None,
            Err(healing_store::Error::Conflict {
                field: "username", ..
            }) => return Err(username_taken()),
            Err(error) => return Err(store_error(error)),
        },
    };
    let view = match created {
        Some(user) => {
            let actor = caller.as_ref().map_or(&user.id, |caller| &caller.user_id);
            let subject = (role == Role::Patient).then_some(&user.id);
            crate::audit::record(
                &state,
                Some(actor),
                "user_registered",
                subject,
                serde_json::json!({ "user_id": user.id, "role": role }),
            )
            .await?;
            UserView::from(&user)
        }
        None => {
            crate::audit::record(
                &state,
                caller.as_ref().map(|caller| &caller.user_id),
                "registration_email_taken",
                None,
                serde_json::json!({}),
            )
            .await?;
            tell_owner_of_registration_attempt(&state, email.clone());
            // What a created account would show, under an id that belongs to nobody.
            UserView {
                id: healing_store::new_person_id()
                    .map_err(store_error)?
                    .as_str()
                    .to_owned(),
                username,
                email,
                display_name,
                role: role.as_str().to_owned(),
                two_factor: TwoFactorState::NotSetUp.as_str().to_owned(),
            }
        }
    };
    Ok(ok_with(StatusCode::CREATED, view, "account created"))
}

fn username_taken() -> ApiError {
    ApiError::conflict("username is already taken")
}

/// Emails the owner of `email` that someone tried to register with it, off the
/// request path (the answer must not wait for SMTP, or its timing would tell).
/// The email holds no password, token or link that acts on the account.
fn tell_owner_of_registration_attempt(state: &AppState, email: String) {
    let message = crate::mailer::OutgoingEmail {
        to: email,
        subject: "Someone tried to register with your email address".to_owned(),
        body: format!(
            "Someone tried to create a Healing account with this email address, \
             which already has an account.\n\n\
             If it was you, sign in with your existing account at {}/sign-in, or reset \
             your password from the sign-in page if you have forgotten it.\n\n\
             If it was not you, you can ignore this email; nothing has changed.\n",
            state.public_url()
        ),
    };
    let mailer = state.mailer().clone();
    tokio::spawn(async move {
        match mailer.send(message).await {
            Ok(()) => tracing::info!("registration attempt email sent"),
            Err(crate::mailer::MailError::NotConfigured) => tracing::warn!(
                "registration with a taken email, but email is not configured (HEALING_SMTP_URL)"
            ),
            Err(error) => tracing::error!(%error, "registration attempt email failed"),
        }
    });
}

/// Sign in with a password. Answers with the session (and sets the cookie);
/// when two-factor is enabled the session awaits `verify-2fa`.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in or awaiting second factor", body = SessionView),
        (status = 401, description = "Wrong username or password", body = crate::error::ErrorBody),
        (status = 429, description = "Locked out; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn login(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::ClientAddress(client): crate::auth::ClientAddress,
    MaybeCaller(previous): MaybeCaller,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    let account = request.username.trim().to_lowercase();
    if account.is_empty() || account.len() > 254 || request.password.len() > 1024 {
        return Err(invalid_credentials());
    }
    let store = state.store();
    let user = if account.contains('@') {
        store.user_by_email(&account).await
    } else {
        store.user_by_username(&account).await
    }
    .map_err(store_error)?
    .filter(|user| user.disabled_at.is_none());
    // Failures count per account (its id), whichever identifier was typed, so the
    // username and the email share one budget; an unknown identifier counts as itself.
    let subject = user
        .as_ref()
        .map_or_else(|| account.clone(), |user| user.id.as_str().to_owned());
    let keys = throttle::keys(ThrottleAction::Login, &subject, &client);
    throttle::check(&state, &keys).await?;
    let Some(user) = user else {
        verify_on_blocking_thread(request.password, dummy_hash()).await?;
        return fail_login(&state, &keys, None).await;
    };
    let credentials = store
        .password_credentials(&user.id)
        .await
        .map_err(store_error)?;
    let verification =
        verify_on_blocking_thread(request.password.clone(), credentials.password_hash.clone())
            .await?;
    if verification == Verification::Invalid {
        return fail_login(&state, &keys, Some(&user)).await;
    }
    if verification == Verification::ValidNeedsRehash {
        // Legacy (bcrypt, PBKDF2, salted SHA-256) or weaker Argon2: upgrade now.
        let upgraded = hash_new_password(request.password).await?;
        store
            .set_password(&user.id, &upgraded, PasswordScheme::Argon2id)
            .await
            .map_err(store_error)?;
        crate::audit::record(
            &state,
            Some(&user.id),
            "password_rehashed",
            None,
            serde_json::json!({ "from": credentials.scheme }),
        )
        .await?;
    }
    let [account_key, _] = &keys;
    throttle::clear(&state, account_key).await?;
    // Never reuse a session the client brought: a pre-login id is never valid after login.
    if let Some(previous) = previous {
        store
            .delete_session(&previous.session_hash)
            .await
            .map_err(store_error)?;
    }
    let stage = if user.two_factor == TwoFactorState::Enabled {
        SessionStage::AwaitingSecondFactor
    } else {
        SessionStage::Authenticated
    };
    let (token, view) = start_session(&state, &user, stage, None, &client).await?;
    crate::audit::record(
        &state,
        Some(&user.id),
        "login_succeeded",
        None,
        serde_json::json!({ "stage": stage }),
    )
    .await?;
    let message = match stage {
        SessionStage::AwaitingSecondFactor => "enter the code from your authenticator app",
        SessionStage::Authenticated => "signed in",
    };
    Ok(with_cookie(
        ok_with(StatusCode::OK, view, message),
        &session::session_cookie(&token, state.cookie_security()),
    ))
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
        "username or password is wrong",
    )
}

async fn fail_login(
    state: &AppState,
    keys: &[ThrottleKey],
    user: Option<&User>,
) -> Result<Response, ApiError> {
    let locked = throttle::record_failure(state, keys).await?;
    crate::audit::record(
        state,
        user.map(|user| &user.id),
        "login_failed",
        None,
        serde_json::json!({ "known_account": user.is_some(), "locked": locked.is_some() }),
    )
    .await?;
    Err(locked.unwrap_or_else(invalid_credentials))
}

/// Complete sign-in with a TOTP code or a recovery code. Issues a new session id.
#[utoipa::path(post, path = "/api/auth/verify-2fa", tag = "auth", request_body = VerifyTwoFactorRequest,
    responses((status = 200, description = "Signed in", body = SessionView),
        (status = 401, description = "Wrong code", body = crate::error::ErrorBody),
        (status = 429, description = "Locked out; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn verify_two_factor(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::ClientAddress(client): crate::auth::ClientAddress,
    caller: Caller,
    JsonBody(request): JsonBody<VerifyTwoFactorRequest>,
) -> Result<Response, ApiError> {
    let keys = throttle::keys(
        ThrottleAction::SecondFactor,
        caller.user_id.as_str(),
        &client,
    );
    throttle::check(&state, &keys).await?;
    let accepted = check_second_factor(&state, &caller.user_id, &request).await?;
    if !accepted {
        let locked = throttle::record_failure(&state, &keys).await?;
        crate::audit::record(
            &state,
            Some(&caller.user_id),
            "two_factor_failed",
            None,
            serde_json::json!({}),
        )
        .await?;
        return Err(locked.unwrap_or_else(invalid_code));
    }
    throttle::clear(
        &state,
        &ThrottleKey {
            scope: ThrottleScope::Account,
            action: ThrottleAction::SecondFactor,
            subject: caller.user_id.as_str().to_lowercase(),
        },
    )
    .await?;
    let (token, view) = promote_session(&state, &caller, &client).await?;
    let method = if request.code.is_some() {
        "totp"
    } else {
        "recovery_code"
    };
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "two_factor_succeeded",
        None,
        serde_json::json!({ "method": method }),
    )
    .await?;
    Ok(with_cookie(
        ok_with(StatusCode::OK, view, "signed in"),
        &session::session_cookie(&token, state.cookie_security()),
    ))
}

async fn check_second_factor(
    state: &AppState,
    user_id: &PersonId,
    request: &VerifyTwoFactorRequest,
) -> Result<bool, ApiError> {
    if let Some(code) = &request.code {
        return check_totp(state, user_id, code).await;
    }
    if let Some(recovery) = &request.recovery_code {
        let hash = TokenHash::of_secret(totp::recovery_code_hash(recovery).as_bytes());
        let used = state
            .store()
            .use_recovery_code(user_id, &hash, state.now())
            .await
            .map_err(store_error)?;
        return Ok(used == RecoveryCodeUse::Accepted);
    }
    Err(ApiError::validation("send either code or recovery_code"))
}

async fn check_totp(state: &AppState, user_id: &PersonId, code: &str) -> Result<bool, ApiError> {
    let Some(secret) = state
        .store()
        .totp_secret(user_id)
        .await
        .map_err(store_error)?
    else {
        return Ok(false);
    };
    let Some(secret) = totp::base32_decode(&secret) else {
        return Err(ApiError::internal("stored totp secret is not base32"));
    };
    let Some(step) = totp::verify(&secret, code, state.now().unix_seconds(), None) else {
        return Ok(false);
    };
    // Replay protection lives in the database, so it holds across every server
    // process and restarts: the step is recorded only if it is newer than the last
    // accepted one, in one conditional UPDATE (of two racing requests one wins).
    state
        .store()
        .accept_totp_step(user_id, step)
        .await
        .map_err(store_error)
}

/// Sign out: ends this session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 200, description = "Signed out", body = crate::error::NoData)))]
pub async fn logout(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    state
        .store()
        .delete_session(&caller.session_hash)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "logout",
        None,
        serde_json::json!({}),
    )
    .await?;
    Ok(with_cookie(
        ok_with(StatusCode::OK, crate::error::NoData {}, "signed out"),
        &session::clearing_cookie(state.cookie_security()),
    ))
}

/// Sign out everywhere: ends every session of the caller.
#[utoipa::path(post, path = "/api/auth/logout-everywhere", tag = "auth", responses((status = 200, description = "All sessions ended", body = SessionsEnded)))]
pub async fn logout_everywhere(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let ended = state
        .store()
        .delete_user_sessions(&caller.user_id, None)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "logout_everywhere",
        None,
        serde_json::json!({ "sessions_ended": ended }),
    )
    .await?;
    Ok(with_cookie(
        ok_with(
            StatusCode::OK,
            SessionsEnded {
                sessions_ended: ended,
            },
            "signed out everywhere",
        ),
        &session::clearing_cookie(state.cookie_security()),
    ))
}

/// The caller's session and CSRF token.
#[utoipa::path(get, path = "/api/auth/check-session", tag = "auth", responses((status = 200, description = "Session is valid", body = SessionView)))]
pub async fn check_session(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let user = state
        .store()
        .user(&caller.user_id)
        .await
        .map_err(store_error)?;
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok());
    let token = session::token_from_cookie_header(cookies).ok_or_else(ApiError::unauthenticated)?;
    Ok(ok(SessionView {
        user: UserView::from(&user),
        stage: caller.stage.as_str().to_owned(),
        csrf_token: token.csrf_token(),
        two_factor_setup_required: caller.second_factor_outstanding,
    }))
}

/// Change password: checks the current one, ends every other session.
#[utoipa::path(post, path = "/api/auth/change-password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 200, description = "Password changed", body = PasswordChanged),
        (status = 401, description = "Current password wrong", body = crate::error::ErrorBody),
        (status = 429, description = "Locked out after wrong current passwords; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn change_password(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::ClientAddress(client): crate::auth::ClientAddress,
    caller: Caller,
    JsonBody(request): JsonBody<ChangePasswordRequest>,
) -> Result<Response, ApiError> {
    let keys = throttle::keys(ThrottleAction::Login, caller.user_id.as_str(), &client);
    throttle::check(&state, &keys).await?;
    let user = state
        .store()
        .user(&caller.user_id)
        .await
        .map_err(store_error)?;
    let credentials = state
        .store()
        .password_credentials(&caller.user_id)
        .await
        .map_err(store_error)?;
    if verify_on_blocking_thread(request.current_password, credentials.password_hash).await?
        == Verification::Invalid
    {
        let locked = throttle::record_failure(&state, &keys).await?;
        return Err(locked.unwrap_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "INVALID_CREDENTIALS",
                "current password is wrong",
            )
        }));
    }
    password::check_password_strength(&request.new_password, &user.username)
        .map_err(|weak| ApiError::validation(weak.to_string()))?;
    let hash = hash_new_password(request.new_password).await?;
    state
        .store()
        .set_password(&caller.user_id, &hash, PasswordScheme::Argon2id)
        .await
        .map_err(store_error)?;
    let ended = state
        .store()
        .delete_user_sessions(&caller.user_id, Some(&caller.session_hash))
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "password_changed",
        None,
        serde_json::json!({ "other_sessions_ended": ended }),
    )
    .await?;
    Ok(ok_with(
        StatusCode::OK,
        PasswordChanged {
            other_sessions_ended: ended,
        },
        "password changed",
    ))
}

/// Start two-factor enrolment: a new secret for the authenticator app.
#[utoipa::path(post, path = "/api/auth/2fa/setup", tag = "auth", responses((status = 200, description = "Secret to enrol", body = TwoFactorSetup),
    (status = 409, description = "Two-factor sign-in is already enabled", body = crate::error::ErrorBody)))]
pub async fn start_two_factor_setup(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let user = state
        .store()
        .user(&caller.user_id)
        .await
        .map_err(store_error)?;
    if user.two_factor == TwoFactorState::Enabled {
        return Err(ApiError::conflict("two-factor sign-in is already enabled"));
    }
    let mut secret = zeroize::Zeroizing::new([0u8; totp::SECRET_BYTES]);
    getrandom::fill(secret.as_mut()).map_err(ApiError::internal)?;
    let encoded = totp::base32_encode(secret.as_ref());
    state
        .store()
        .set_totp_secret(&caller.user_id, &encoded)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "two_factor_setup_started",
        None,
        serde_json::json!({}),
    )
    .await?;
    Ok(ok(TwoFactorSetup {
        otpauth_uri: totp::provisioning_uri(secret.as_ref(), &user.username),
        secret: encoded,
    }))
}

/// Confirm two-factor enrolment with a code; returns recovery codes once and
/// a new session id (privilege change).
#[utoipa::path(post, path = "/api/auth/2fa/confirm", tag = "auth", request_body = ConfirmTwoFactorRequest,
    responses((status = 200, description = "Enabled; recovery codes", body = RecoveryCodes),
        (status = 401, description = "Wrong code", body = crate::error::ErrorBody),
        (status = 409, description = "Two-factor sign-in is already enabled", body = crate::error::ErrorBody),
        (status = 429, description = "Locked out after wrong codes; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn confirm_two_factor_setup(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::ClientAddress(client): crate::auth::ClientAddress,
    caller: Caller,
    JsonBody(request): JsonBody<ConfirmTwoFactorRequest>,
) -> Result<Response, ApiError> {
    let keys = throttle::keys(
        ThrottleAction::SecondFactor,
        caller.user_id.as_str(),
        &client,
    );
    throttle::check(&state, &keys).await?;
    let user = state
        .store()
        .user(&caller.user_id)
        .await
        .map_err(store_error)?;
    if user.two_factor == TwoFactorState::Enabled {
        return Err(ApiError::conflict("two-factor sign-in is already enabled"));
    }
    if !check_totp(&state, &caller.user_id, &request.code).await? {
        let locked = throttle::record_failure(&state, &keys).await?;
        return Err(locked.unwrap_or_else(invalid_code));
    }
    state
        .store()
        .enable_totp(&caller.user_id)
        .await
        .map_err(store_error)?;
    let mut codes = Vec::with_capacity(totp::RECOVERY_CODE_COUNT);
    let mut hashes = Vec::with_capacity(totp::RECOVERY_CODE_COUNT);
    for _ in 0..totp::RECOVERY_CODE_COUNT {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
        let code = totp::recovery_code_from_bytes(&bytes);
        hashes.push(TokenHash::of_secret(
            totp::recovery_code_hash(&code).as_bytes(),
        ));
        codes.push(code);
    }
    state
        .store()
        .replace_recovery_codes(&caller.user_id, &hashes, state.now())
        .await
        .map_err(store_error)?;
    let (token, view) = promote_session(&state, &caller, &client).await?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "two_factor_enabled",
        None,
        serde_json::json!({}),
    )
    .await?;
    let body = RecoveryCodes {
        recovery_codes: codes,
        csrf_token: view.csrf_token,
    };
    Ok(with_cookie(
        ok_with(
            StatusCode::OK,
            body,
            "two-factor sign-in enabled; store the recovery codes safely",
        ),
        &session::session_cookie(&token, state.cookie_security()),
    ))
}

/// Used by other modules to sign a response out (account deleted).
pub fn clear_cookie(response: Response, state: &AppState) -> Response {
    with_cookie(response, &session::clearing_cookie(state.cookie_security()))
}
