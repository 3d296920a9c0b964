//! Resolved configuration: the text settings from [`crate::cli::Settings`]
//! checked once, with errors that name the variable and what was wrong, and
//! the embedded default (data folder, SQLite file, generated key file).

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::alerting::{AlertingConfig, WebhookTarget};
use crate::auth::session::CookieSecurity;
use crate::chat::llm::LlmConfig;
use crate::cli::Settings;

/// A field-encryption key with its id; the format and the id are the store's
/// (`healing_store::EncryptionKey`), shared with the research reader.
pub use healing_store::EncryptionKey;

/// The keys in force: the current one encrypts, all of them decrypt.
#[derive(Debug, Clone)]
pub struct KeySet {
    /// Encrypts new values.
    pub current: EncryptionKey,
    /// Still accepted for reading values written before a rotation.
    pub previous: Vec<EncryptionKey>,
    /// Where the keys came from (a file path, or the variable's name).
    pub source: KeySource,
}

/// Where the keys came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `HEALING_ENCRYPTION_KEY` (and optionally previous keys).
    Environment,
    /// A key file (given or the embedded default).
    File(PathBuf),
}

/// A configuration problem, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A value could not be parsed.
    #[error("{variable} is invalid: {reason}")]
    Invalid {
        /// Environment variable (or flag) name.
        variable: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// A file or folder could not be read or written.
    #[error("{variable}: {path}: {reason}")]
    File {
        /// Environment variable whose value (or default) led to the path.
        variable: &'static str,
        /// The path.
        path: String,
        /// What failed.
        reason: String,
    },
    /// The OS random generator failed.
    #[error("the operating system random generator failed: {reason}")]
    Random {
        /// What failed.
        reason: String,
    },
}

/// The key id (`kid`) of the FHIR signing key, so a verifier can tell which key to use.
pub const FHIR_SIGNING_KEY_ID: &str = "healing-server";

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Listening address.
    pub bind: SocketAddr,
    /// Cookie `Secure` flag.
    pub cookie_security: CookieSecurity,
    /// Public origin (`scheme://host:port`) for links and the Origin check.
    pub public_url: String,
    /// Bearer token for `/metrics`; `None` disables `/metrics`.
    pub metrics_token: Option<String>,
    /// The key FHIR exports are signed with; `None`: unsigned.
    pub fhir_signing_key: Option<healing_core::fhir::SigningKey>,
    /// SMTP URL if email is configured.
    pub smtp_url: Option<String>,
    /// Sender address.
    pub smtp_from: String,
    /// Encryption keys.
    pub keys: KeySet,
    /// Alert delivery and escalation.
    pub alerting: AlertingConfig,
    /// The AI model of the companion chat; `None`: the offline companion answers.
    pub llm: Option<LlmConfig>,
    /// The plugins folder and the artifact key file.
    pub plugins: crate::plugins::PluginSettings,
    /// Appointment notice period and reminder lead time.
    pub appointments: crate::appointments::AppointmentConfig,
}

/// Parses a 32-byte key from base64 (standard or url-safe, padded or not) or 64 hex
/// digits, naming `variable` in the error.
pub fn parse_key(text: &str, variable: &'static str) -> Result<EncryptionKey, ConfigError> {
    EncryptionKey::parse(text).map_err(|error| ConfigError::Invalid {
        variable,
        reason: key_error_reason(error),
    })
}

/// The store's reason a key was refused, without its "key is invalid" prefix (the
/// message names the variable instead).
fn key_error_reason(error: healing_store::Error) -> String {
    match error {
        healing_store::Error::InvalidKey { reason } => reason,
        other => other.to_string(),
    }
}

impl Config {
    /// Resolves settings, creating the data folder and key file if this is a
    /// first start with the embedded default.
    pub fn resolve(settings: &Settings) -> Result<Self, ConfigError> {
        let bind: SocketAddr = settings.bind.parse().map_err(|_| ConfigError::Invalid {
            variable: "HEALING_BIND",
            reason: format!(
                "{:?} is not an address:port such as 127.0.0.1:8080",
                settings.bind
            ),
        })?;
        let public_url = match &settings.public_url {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(url) => {
                return Err(ConfigError::Invalid {
                    variable: "HEALING_PUBLIC_URL",
                    reason: format!("{url:?} does not start with https:// or http://"),
                });
            }
            None => format!("http://{bind}"),
        };
        let cookie_security = match settings.cookie_secure.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => CookieSecurity::Secure,
            "false" | "0" | "no" => CookieSecurity::PlainHttpLoopback,
            // Behind a TLS proxy the bind is loopback but the public URL is https.
            "auto" if bind.ip().is_loopback() && !public_url.starts_with("https://") => {
                CookieSecurity::PlainHttpLoopback
            }
            "auto" => CookieSecurity::Secure,
            other => {
                return Err(ConfigError::Invalid {
                    variable: "HEALING_COOKIE_SECURE",
                    reason: format!("{other:?} is not one of true, false, auto"),
                });
            }
        };
        let metrics_token = match settings.metrics_token.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(token) if token.chars().count() < 16 => {
                return Err(ConfigError::Invalid {
                    variable: "HEALING_METRICS_TOKEN",
                    reason: "the token must be at least 16 characters".to_owned(),
                });
            }
            Some(token) => Some(token.to_owned()),
        };
        let fhir_signing_key = match settings.fhir_signing_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(secret) => Some(
                healing_core::fhir::SigningKey::hs256(FHIR_SIGNING_KEY_ID, secret.as_bytes())
                    .map_err(|error| ConfigError::Invalid {
                        variable: "HEALING_FHIR_SIGNING_KEY",
                        reason: error.to_string(),
                    })?,
            ),
        };
        if let Some(url) = &settings.smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError::Invalid {
                variable: "HEALING_SMTP_URL",
                reason: "expected a URL starting with smtp:// or smtps://".to_owned(),
            });
        }
        let database_url = match &settings.database_url {
            Some(url)
                if url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://") =>
            {
                url.clone()
            }
            Some(_) => {
                return Err(ConfigError::Invalid {
                    variable: "DATABASE_URL",
                    reason: "expected a URL starting with sqlite:// or postgres://".to_owned(),
                });
            }
            None => {
                ensure_data_dir(&settings.data_dir)?;
                format!(
                    "sqlite://{}?mode=rwc",
                    settings.data_dir.join("healing.db").display()
                )
            }
        };
        let keys = resolve_keys(settings)?;
        let alerting = resolve_alerting(settings)?;
        let llm = resolve_llm(settings)?;
        let appointments = resolve_appointments(settings)?;
        let plugins = crate::plugins::PluginSettings {
            dir: settings
                .plugin_dir
                .clone()
                .unwrap_or_else(|| settings.data_dir.join("plugins")),
            key_file: settings
                .plugin_key_file
                .clone()
                .unwrap_or_else(|| settings.data_dir.join("plugin-artifact.key")),
        };
        Ok(Self {
            database_url,
            bind,
            cookie_security,
            public_url,
            metrics_token,
            fhir_signing_key,
            smtp_url: settings.smtp_url.clone(),
            smtp_from: settings.smtp_from.clone(),
            keys,
            alerting,
            llm,
            plugins,
            appointments,
        })
    }
}

/// Longest notice period or reminder lead accepted: 30 days.
const MAX_APPOINTMENT_HOURS: u32 = 720;

fn resolve_appointments(
    settings: &Settings,
) -> Result<crate::appointments::AppointmentConfig, ConfigError> {
    if settings.appointment_notice_hours > MAX_APPOINTMENT_HOURS {
        return Err(ConfigError::Invalid {
            variable: "HEALING_APPOINTMENT_NOTICE_HOURS",
            reason: format!("must be 0 to {MAX_APPOINTMENT_HOURS}"),
        });
    }
    if !(1..=MAX_APPOINTMENT_HOURS).contains(&settings.reminder_lead_hours) {
        return Err(ConfigError::Invalid {
            variable: "HEALING_REMINDER_LEAD_HOURS",
            reason: format!("must be 1 to {MAX_APPOINTMENT_HOURS}"),
        });
    }
    Ok(crate::appointments::AppointmentConfig {
        notice_hours: settings.appointment_notice_hours,
        reminder_lead_hours: settings.reminder_lead_hours,
    })
}

/// `localhost` or a loopback address (IPv6 in brackets, as URLs write it).
fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Most retries of one model call accepted in `HEALING_LLM_MAX_RETRIES`.
const LLM_MAX_RETRIES: u32 = 5;

/// The companion's AI model: configured only with an API key, and then it needs
/// a base URL and a model name. The key never travels in clear: the URL is
/// https, or http to a loopback address (a model on the same machine).
fn resolve_llm(settings: &Settings) -> Result<Option<LlmConfig>, ConfigError> {
    let invalid = |variable: &'static str, reason: &str| ConfigError::Invalid {
        variable,
        reason: reason.to_owned(),
    };
    let Some(api_key) = settings
        .llm_api_key
        .as_deref()
        .map(str::trim)
        .filter(|key| !key.is_empty())
    else {
        return Ok(None);
    };
    let base_url = settings
        .llm_base_url
        .as_deref()
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .ok_or_else(|| {
            invalid(
                "HEALING_LLM_BASE_URL",
                "must be set when HEALING_LLM_API_KEY is",
            )
        })?;
    let base_url = reqwest::Url::parse(base_url)
        .ok()
        .filter(|url| match (url.scheme(), url.host_str()) {
            ("https", Some(_)) => true,
            ("http", Some(host)) => is_loopback_host(host),
            _ => false,
        })
        .ok_or_else(|| {
            invalid(
                "HEALING_LLM_BASE_URL",
                "expected an https:// URL (or http:// to a loopback address), e.g. https://api.groq.com/openai/v1",
            )
        })?;
    let model = settings
        .llm_model
        .as_deref()
        .map(str::trim)
        .filter(|model| !model.is_empty())
        .ok_or_else(|| {
            invalid(
                "HEALING_LLM_MODEL",
                "must be set when HEALING_LLM_API_KEY is",
            )
        })?;
    // The reply must come, or the offline companion answer, before the request's
    // own time limit answers 408.
    let longest = crate::REQUEST_TIMEOUT.as_secs().saturating_sub(5);
    if settings.llm_timeout_seconds == 0 || u64::from(settings.llm_timeout_seconds) > longest {
        return Err(ConfigError::Invalid {
            variable: "HEALING_LLM_TIMEOUT_SECONDS",
            reason: format!(
                "must be 1 to {longest} (requests time out after {} s)",
                crate::REQUEST_TIMEOUT.as_secs()
            ),
        });
    }
    if settings.llm_connect_timeout_seconds == 0
        || settings.llm_connect_timeout_seconds > settings.llm_timeout_seconds
    {
        return Err(invalid(
            "HEALING_LLM_CONNECT_TIMEOUT_SECONDS",
            "must be at least 1 and at most HEALING_LLM_TIMEOUT_SECONDS",
        ));
    }
    if settings.llm_max_retries > LLM_MAX_RETRIES {
        return Err(invalid("HEALING_LLM_MAX_RETRIES", "must be 0 to 5"));
    }
    Ok(Some(LlmConfig {
        base_url,
        api_key: Zeroizing::new(api_key.to_owned()),
        model: model.to_owned(),
        connect_timeout: std::time::Duration::from_secs(u64::from(
            settings.llm_connect_timeout_seconds,
        )),
        timeout: std::time::Duration::from_secs(u64::from(settings.llm_timeout_seconds)),
        max_retries: settings.llm_max_retries,
    }))
}

/// Shortest webhook secret accepted: 32 characters, about 190 bits if random.
const WEBHOOK_SECRET_MIN_CHARS: usize = 32;

fn resolve_alerting(settings: &Settings) -> Result<AlertingConfig, ConfigError> {
    let invalid = |variable: &'static str, reason: &str| ConfigError::Invalid {
        variable,
        reason: reason.to_owned(),
    };
    let duty_email = match settings.duty_email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(address) => {
            address
                .parse::<lettre::message::Mailbox>()
                .map_err(|_| invalid("HEALING_DUTY_EMAIL", "not an email address"))?;
            Some(address.to_owned())
        }
    };
    let webhook = match (
        settings.alert_webhook_url.as_deref(),
        settings.alert_webhook_secret.as_deref(),
    ) {
        (None, None) => None,
        (Some(_), None) => {
            return Err(invalid(
                "HEALING_ALERT_WEBHOOK_SECRET",
                "must be set when HEALING_ALERT_WEBHOOK_URL is",
            ));
        }
        (None, Some(_)) => {
            return Err(invalid(
                "HEALING_ALERT_WEBHOOK_URL",
                "must be set when HEALING_ALERT_WEBHOOK_SECRET is",
            ));
        }
        (Some(url), Some(secret)) => {
            let url = reqwest::Url::parse(url)
                .ok()
                .filter(|url| matches!(url.scheme(), "https" | "http") && url.has_host())
                .ok_or_else(|| {
                    invalid(
                        "HEALING_ALERT_WEBHOOK_URL",
                        "expected an https:// (or, for a local receiver, http://) URL",
                    )
                })?;
            if secret.chars().count() < WEBHOOK_SECRET_MIN_CHARS {
                return Err(invalid(
                    "HEALING_ALERT_WEBHOOK_SECRET",
                    "the secret must be at least 32 characters",
                ));
            }
            Some(WebhookTarget {
                url,
                secret: Zeroizing::new(secret.as_bytes().to_vec()),
            })
        }
    };
    if settings.alert_delivery_timeout_seconds == 0 {
        return Err(invalid(
            "HEALING_ALERT_DELIVERY_TIMEOUT_SECONDS",
            "must be at least 1",
        ));
    }
    Ok(AlertingConfig {
        duty_email,
        webhook,
        deadlines: healing_store::EscalationDeadlines {
            critical_seconds: i64::from(settings.escalate_critical_seconds.max(1)),
            high_seconds: i64::from(settings.escalate_high_seconds.max(1)),
            medium_seconds: settings
                .escalate_medium_seconds
                .map(|seconds| i64::from(seconds.max(1))),
        },
        delivery_timeout: std::time::Duration::from_secs(u64::from(
            settings.alert_delivery_timeout_seconds,
        )),
    })
}

fn ensure_data_dir(dir: &Path) -> Result<(), ConfigError> {
    std::fs::create_dir_all(dir).map_err(|error| ConfigError::File {
        variable: "HEALING_DATA_DIR",
        path: dir.display().to_string(),
        reason: error.to_string(),
    })?;
    set_mode(dir, 0o700, "HEALING_DATA_DIR")
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32, variable: &'static str) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|error| {
        ConfigError::File {
            variable,
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    })
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32, _variable: &'static str) -> Result<(), ConfigError> {
    Ok(())
}

fn resolve_keys(settings: &Settings) -> Result<KeySet, ConfigError> {
    let mut previous = Vec::new();
    if let Some(list) = &settings.previous_encryption_keys {
        for item in list.split(',').filter(|item| !item.trim().is_empty()) {
            previous.push(parse_key(item, "HEALING_PREVIOUS_ENCRYPTION_KEYS")?);
        }
    }
    if let Some(text) = &settings.encryption_key {
        let current = parse_key(text, "HEALING_ENCRYPTION_KEY")?;
        return Ok(KeySet {
            current,
            previous,
            source: KeySource::Environment,
        });
    }
    let (path, variable) = match &settings.encryption_key_file {
        Some(path) => (path.clone(), "HEALING_ENCRYPTION_KEY_FILE"),
        None => {
            ensure_data_dir(&settings.data_dir)?;
            (settings.data_dir.join("encryption.key"), "HEALING_DATA_DIR")
        }
    };
    if !path.exists() {
        if settings.encryption_key_file.is_some() {
            return Err(ConfigError::File {
                variable,
                path: path.display().to_string(),
                reason: "file does not exist".to_owned(),
            });
        }
        let key = EncryptionKey::generate().map_err(|error| ConfigError::Random {
            reason: error.to_string(),
        })?;
        write_key_file(&path, std::slice::from_ref(&key), variable)?;
        tracing::info!(path = %path.display(), key_id = %key.id().as_str(), "generated a new encryption key file (mode 0600)");
    }
    let mut keys = read_key_file(&path, variable)?;
    if keys.is_empty() {
        return Err(ConfigError::File {
            variable,
            path: path.display().to_string(),
            reason: "file holds no key".to_owned(),
        });
    }
    let current = keys.remove(0);
    keys.extend(previous);
    Ok(KeySet {
        current,
        previous: keys,
        source: KeySource::File(path),
    })
}

/// Reads a key file (one key per line, current first), refusing one that
/// others can read.
pub fn read_key_file(
    path: &Path,
    variable: &'static str,
) -> Result<Vec<EncryptionKey>, ConfigError> {
    let file_error = |reason: String| ConfigError::File {
        variable,
        path: path.display().to_string(),
        reason,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)
            .map_err(|e| file_error(e.to_string()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(file_error(format!(
                "key file has mode {:o}; it must not be readable by group or others (chmod 600)",
                mode & 0o777
            )));
        }
    }
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?);
    healing_store::parse_key_file(&text).map_err(|error| ConfigError::Invalid {
        variable,
        reason: key_error_reason(error),
    })
}

/// Writes keys to a file with mode 0600 atomically (temp file, then rename).
pub fn write_key_file(
    path: &Path,
    keys: &[EncryptionKey],
    variable: &'static str,
) -> Result<(), ConfigError> {
    let file_error = |reason: String| ConfigError::File {
        variable,
        path: path.display().to_string(),
        reason,
    };
    let temporary = path.with_extension("key.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(&temporary)
        .map_err(|e| file_error(e.to_string()))?;
    let text = healing_store::key_file_text(keys);
    file.write_all(text.as_bytes())
        .map_err(|e| file_error(e.to_string()))?;
    file.sync_all().map_err(|e| file_error(e.to_string()))?;
    set_mode(&temporary, 0o600, variable)?;
    std::fs::rename(&temporary, path).map_err(|e| file_error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn llm_settings(flags: &[&str]) -> Result<Option<LlmConfig>, ConfigError> {
        use clap::Parser as _;
        let cli = crate::cli::Cli::parse_from(
            std::iter::once("healing-server").chain(flags.iter().copied()),
        );
        resolve_llm(&cli.settings)
    }

    #[test]
    fn the_model_needs_a_key_a_url_and_a_name() {
        assert!(llm_settings(&["--llm-api-key", ""]).unwrap().is_none());
        let error = llm_settings(&["--llm-api-key", "k"]).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("HEALING_LLM_BASE_URL is invalid"),
            "{error}"
        );
        let error = llm_settings(&[
            "--llm-api-key",
            "k",
            "--llm-base-url",
            "https://api.groq.com/openai/v1",
        ])
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("HEALING_LLM_MODEL is invalid"),
            "{error}"
        );
        let config = llm_settings(&[
            "--llm-api-key",
            "k",
            "--llm-base-url",
            "https://api.groq.com/openai/v1",
            "--llm-model",
            "m",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            (
                config.model.as_str(),
                config.timeout.as_secs(),
                config.max_retries
            ),
            ("m", 20, 2)
        );
    }

    #[test]
    fn the_key_never_travels_in_clear_beyond_this_machine() {
        for url in [
            "http://127.0.0.1:9000/v1",
            "http://localhost:9000/v1",
            "http://[::1]:9000/v1",
        ] {
            assert!(
                llm_settings(&[
                    "--llm-api-key",
                    "k",
                    "--llm-base-url",
                    url,
                    "--llm-model",
                    "m"
                ])
                .is_ok(),
                "{url}"
            );
        }
        let error = llm_settings(&[
            "--llm-api-key",
            "k",
            "--llm-base-url",
            "http://llm.example.org/v1",
            "--llm-model",
            "m",
        ])
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("HEALING_LLM_BASE_URL is invalid"),
            "{error}"
        );
    }

    #[test]
    fn wrong_key_length_names_the_variable() {
        let error = parse_key("AAAA", "HEALING_ENCRYPTION_KEY").unwrap_err();
        assert_eq!(
            error.to_string(),
            "HEALING_ENCRYPTION_KEY is invalid: key is 3 bytes long; expected 32"
        );
    }
}
