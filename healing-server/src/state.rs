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
use crate::plugins::{PluginTools, ServerPlugins};
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
    webhook_client: Option<reqwest::Client>,
    companion_model: Option<LlmClient>,
    plugin_tools: PluginTools,
    tools: crate::tools::Catalogue,
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
}

impl AppState {
    /// Wraps a connected, migrated store, screening with the built-in rules.
    pub fn new(store: AnyStore, mailer: Mailer, options: StateOptions) -> Self {
        Self::with_screener(store, mailer, options, Screener::standard())
    }

    /// Wraps a connected, migrated store, screening with the built-in rules
    /// and the installed risk-rule plugins, with the installed CBT tools.
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
        )
    }

    /// Wraps a connected, migrated store with this screener (and no plugin
    /// CBT tools).
    pub fn with_screener(
        store: AnyStore,
        mailer: Mailer,
        options: StateOptions,
        screener: Screener,
    ) -> Self {
        Self::build(store, mailer, options, screener, PluginTools::default())
    }

    fn build(
        store: AnyStore,
        mailer: Mailer,
        options: StateOptions,
        screener: Screener,
        plugin_tools: PluginTools,
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
                webhook_client,
                companion_model,
                plugin_tools,
                tools: crate::tools::Catalogue::built_in(),
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

    /// The CBT tools on offer.
    pub fn tools(&self) -> &crate::tools::Catalogue {
        &self.inner.tools
    }

    /// The one screener every free-text write goes through.
    pub fn screener(&self) -> &Screener {
        &self.inner.screener
    }

    /// Where alerts are delivered beyond the app.
    pub fn alerting(&self) -> &AlertingConfig {
        &self.inner.alerting
    }

    /// The client for webhook calls, if it could be built.
    pub fn webhook_client(&self) -> Option<&reqwest::Client> {
        self.inner.webhook_client.as_ref()
    }

    /// The AI model the companion chat asks, if one is configured.
    pub fn companion_model(&self) -> Option<&LlmClient> {
        self.inner.companion_model.as_ref()
    }

    /// The CBT tools installed as plugins (the CBT tool routes run them).
    pub fn plugin_tools(&self) -> &PluginTools {
        &self.inner.plugin_tools
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
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
