//! Shared application state: the store, mailer, screener, alert delivery settings,
//! the companion chat's AI model, throttle settings and clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use healing_core::timestamp::Timestamp;
use healing_store::AnyStore;

use crate::alerting::AlertingConfig;
use crate::auth::session::CookieSecurity;
use crate::chat::llm::{LlmClient, LlmConfig};
use crate::error::ApiError;
use crate::mailer::Mailer;
use crate::plugins::ServerPlugins;
use crate::screening::Screener;

/// Cheap to clone: everything lives behind one `Arc`.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: AnyStore,
    mailer: Mailer,
    cookie_security: CookieSecurity,
    public_url: String,
    metrics_token: Option<String>,
    fhir_signing_key: Option<healing_core::fhir::SigningKey>,
    clock: Clock,
    screener: Screener,
    alerting: AlertingConfig,
    appointments: crate::appointments::AppointmentConfig,
    webhook_client: Option<reqwest::Client>,
    companion_model: Option<LlmClient>,
    tools: crate::tools::Catalogue,
    plugins: Arc<healing_plugins::PluginSet>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("public_url", &self.inner.public_url)
            .finish_non_exhaustive()
    }
}

/// Where the server reads the time. Tests shift it to exercise expiry.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    /// Now, shifted by the test offset (zero in production).
    pub fn now(&self) -> Timestamp {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |duration| {
                i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
            });
        let seconds = system.saturating_add(self.offset_seconds.load(Ordering::Relaxed));
        // The system clock is within Timestamp's range (years 1..9999) on any real machine.
        Timestamp::from_unix_seconds(seconds)
            .or_else(|_| Timestamp::from_unix_seconds(0))
            .unwrap_or_else(|_| unreachable_epoch())
    }

    /// Moves the clock forward (tests only use this).
    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}

#[expect(clippy::panic, reason = "the Unix epoch is always a valid Timestamp")]
fn unreachable_epoch() -> Timestamp {
    panic!("the unix epoch is not representable")
}

/// Options for [`AppState::new`].
#[derive(Debug, Clone)]
pub struct StateOptions {
    /// Cookie `Secure` flag.
    pub cookie_security: CookieSecurity,
    /// Public origin for emailed links and the Origin check.
    pub public_url: String,
    /// Bearer token for `/metrics`; `None` disables `/metrics`.
    pub metrics_token: Option<String>,
    /// The key FHIR exports are signed with (`HEALING_FHIR_SIGNING_KEY`); `None`: unsigned.
    pub fhir_signing_key: Option<healing_core::fhir::SigningKey>,
    /// Where alerts are delivered beyond the app. The store must have been
    /// opened with the matching [`AlertingConfig::policy`].
    pub alerting: AlertingConfig,
    /// The AI model the companion chat asks; `None`: the offline companion
    /// answers every message.
    pub llm: Option<LlmConfig>,
    /// Appointment notice period and reminder lead time.
    pub appointments: crate::appointments::AppointmentConfig,
}

impl AppState {
    /// Wraps a connected, migrated store, screening with the built-in rules.
    pub fn new(store: AnyStore, mailer: Mailer, options: StateOptions) -> Self {
        Self::with_screener(store, mailer, options, Screener::standard())
    }

    /// Wraps a connected, migrated store, screening with the built-in rules
    /// and the installed risk-rule plugins, offering the built-in CBT tools
    /// and the installed CBT tool plugins.
    pub fn with_plugins(
        store: AnyStore,
        mailer: Mailer,
        options: StateOptions,
        plugins: ServerPlugins,
    ) -> Self {
        Self::build(
            store,
            mailer,
            options,
            Screener::with_engine(plugins.engine),
            plugins.tools,
            plugins.installed,
        )
    }

    /// Wraps a connected, migrated store with this screener and the built-in
    /// CBT tools.
    pub fn with_screener(
        store: AnyStore,
        mailer: Mailer,
        options: StateOptions,
        screener: Screener,
    ) -> Self {
        Self::build(
            store,
            mailer,
            options,
            screener,
            crate::tools::Catalogue::built_in(),
            Arc::new(healing_plugins::PluginSet::new()),
        )
    }

    fn build(
        store: AnyStore,
        mailer: Mailer,
        options: StateOptions,
        screener: Screener,
        tools: crate::tools::Catalogue,
        plugins: Arc<healing_plugins::PluginSet>,
    ) -> Self {
        let webhook_client = match crate::alerting::http_client(&options.alerting) {
            Ok(client) => Some(client),
            Err(error) => {
                // Webhook deliveries then fail and are retried, and end in a
                // "delivery failed" alert: a person still hears of it.
                tracing::error!(%error, "the webhook HTTP client could not be built");
                None
            }
        };
        let companion_model = options.llm.and_then(|config| match LlmClient::new(config) {
            Ok(client) => Some(client),
            Err(error) => {
                // The offline companion then answers every message.
                tracing::error!(%error, "the AI model's HTTP client could not be built");
                None
            }
        });
        Self {
            inner: Arc::new(Inner {
                store,
                mailer,
                cookie_security: options.cookie_security,
                public_url: options.public_url,
                metrics_token: options.metrics_token,
                fhir_signing_key: options.fhir_signing_key,
                clock: Clock::default(),
                screener,
                alerting: options.alerting,
                appointments: options.appointments,
                webhook_client,
                companion_model,
                tools,
                plugins,
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &AnyStore {
        &self.inner.store
    }

    /// The mailer.
    pub fn mailer(&self) -> &Mailer {
        &self.inner.mailer
    }

    /// Cookie security.
    pub fn cookie_security(&self) -> CookieSecurity {
        self.inner.cookie_security
    }

    /// Public origin.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The key FHIR exports are signed with, if one is configured.
    pub fn fhir_signing_key(&self) -> Option<&healing_core::fhir::SigningKey> {
        self.inner.fhir_signing_key.as_ref()
    }

    /// The `/metrics` bearer token, if metrics are enabled.
    pub fn metrics_token(&self) -> Option<&str> {
        self.inner.metrics_token.as_deref()
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The CBT tools on offer, built-in and from plugins.
    pub fn tools(&self) -> &crate::tools::Catalogue {
        &self.inner.tools
    }

    /// The installed plugins this process loaded (the same instances the
    /// screener's engine and the tool catalogue run).
    pub fn plugins(&self) -> &healing_plugins::PluginSet {
        &self.inner.plugins
    }

    /// The one screener every free-text write goes through.
    pub fn screener(&self) -> &Screener {
        &self.inner.screener
    }

    /// Where alerts are delivered beyond the app.
    pub fn alerting(&self) -> &AlertingConfig {
        &self.inner.alerting
    }

    /// The rules bookings and reminders follow: the notice period, the reminder
    /// lead, and whether reminders are emailed (SMTP is configured).
    pub fn appointment_rules(&self) -> healing_store::AppointmentRules {
        self.inner.appointments.rules(&self.inner.mailer)
    }

    /// The client for webhook calls, if it could be built.
    pub fn webhook_client(&self) -> Option<&reqwest::Client> {
        self.inner.webhook_client.as_ref()
    }

    /// The AI model the companion chat asks, if one is configured.
    pub fn companion_model(&self) -> Option<&LlmClient> {
        self.inner.companion_model.as_ref()
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }
}

/// The answer to a community write its rules refuse: each with its own code, so
/// the app can say what to do (choose a name first, wait, nothing to be done).
fn community_refusal(
    refusal: healing_store::CommunityRefusal,
    error: &healing_store::Error,
) -> ApiError {
    use axum::http::StatusCode;
    use healing_store::CommunityRefusal as R;
    let message = refusal.to_string();
    match refusal {
        R::NoPseudonym => ApiError::new(StatusCode::CONFLICT, "PSEUDONYM_REQUIRED", message),
        R::NotAMember | R::Blocked => {
            ApiError::new(StatusCode::FORBIDDEN, "COMMUNITY_REFUSED", message)
        }
        R::NotVisible => ApiError::not_found("community post"),
        R::ChannelArchived | R::NotCommentable | R::Moderation { .. } => {
            ApiError::conflict(error.to_string())
        }
        R::Yourself => ApiError::unprocessable(message),
        R::RateLimited {
            retry_after_seconds,
        } => ApiError::new(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", message)
            .with_retry_after(retry_after_seconds),
    }
}

/// Maps a store error to an API error without leaking detail to the client.
pub fn store_error(error: healing_store::Error) -> ApiError {
    use healing_store::Error as E;
    match error {
        E::NotFound { entity, .. } => ApiError::not_found(entity),
        E::Conflict { field, .. } => ApiError::conflict(format!("{field} is already taken")),
        E::InvalidInput { .. } => ApiError::validation(error.to_string()),
        E::MissingReference { .. } => ApiError::not_found("referenced record"),
        // The person's ledger refuses the decision as it stands now (checked in the
        // write's transaction): a conflict with the current state, not a bad request.
        E::ConsentRefused(_) => ApiError::conflict(error.to_string()),
        // A second request while one waits, a request soon after a decline, or a move
        // the link's state does not allow (re-accepting an ended link): 409 as well.
        E::LinkRefused(_) => ApiError::conflict(error.to_string()),
        // Someone the caller may not write to (outside the patient's care team, a
        // link that ended, sharing withdrawn): 403, saying which rule.
        E::MessageRefused(_) => ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "MESSAGE_REFUSED",
            error.to_string(),
        ),
        // An admin's change the account's state refuses (disabling a disabled
        // account): 409, as for the other state conflicts.
        E::AccountState { .. } => ApiError::conflict(error.to_string()),
        // A course's state refuses the write (a second open course, a closed course):
        // 409; its clinical content is refused (a score out of range, a session out
        // of time order): 422.
        E::CourseRefused(
            healing_store::CourseRefusal::AlreadyOpen | healing_store::CourseRefusal::Closed,
        ) => ApiError::conflict(error.to_string()),
        E::CourseRefused(
            healing_store::CourseRefusal::ScoresWithoutAttendance
            | healing_store::CourseRefusal::Invalid(_),
        ) => ApiError::unprocessable(error.to_string()),
        E::AppointmentRefused(refusal) => crate::appointments::refusal_error(&refusal),
        E::CommunityRefused(refusal) => community_refusal(refusal, &error),
        E::Unavailable { .. } => ApiError::unavailable(error),
        E::InvalidUrl { .. }
        | E::MigrationFailed { .. }
        | E::UnknownKey { .. }
        | E::InvalidKey { .. }
        | E::RandomnessUnavailable { .. }
        | E::DecryptionFailed { .. }
        | E::CorruptRow { .. }
        | E::ReadOnly { .. }
        | E::Database { .. } => ApiError::internal(error),
    }
}
