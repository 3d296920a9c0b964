//! Command-line interface: subcommands and the settings each reads from
//! flags or environment variables (`--help` lists both).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const ABOUT: &str = "Healing reference server: JSON API for patients and clinicians.

With no configuration it runs an embedded default: it creates ./healing-data/,
a SQLite database healing-data/healing.db, and an encryption key file
healing-data/encryption.key (mode 0600, from the OS random generator), applies
migrations, loads the plugins installed in healing-data/plugins and serves on
127.0.0.1:8080. In production set the variables below.";

/// `healing-server [SETTINGS] [COMMAND]`.
#[derive(Debug, Clone, Parser)]
#[command(name = "healing-server", version, about = ABOUT, long_about = ABOUT)]
pub struct Cli {
    /// Settings shared by every subcommand.
    #[command(flatten)]
    pub settings: Settings,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings from flags or environment variables. Kept as text here and
/// checked in [`crate::config`], so an error names the variable.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    /// Default: SQLite at HEALING_DATA_DIR/healing.db.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Folder for the embedded default (SQLite file and generated key file).
    #[arg(
        long,
        env = "HEALING_DATA_DIR",
        default_value = "./healing-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Field-encryption key: 32 bytes as base64 or 64 hex digits.
    /// Overrides the key file.
    #[arg(
        long,
        env = "HEALING_ENCRYPTION_KEY",
        global = true,
        hide_env_values = true
    )]
    pub encryption_key: Option<String>,
    /// File holding the key (one key per line, current first, older keys
    /// after it during a rotation). Must have mode 0600.
    /// Default: HEALING_DATA_DIR/encryption.key, generated on first start.
    #[arg(long, env = "HEALING_ENCRYPTION_KEY_FILE", global = true)]
    pub encryption_key_file: Option<PathBuf>,
    /// Older keys still accepted for reading (comma-separated, base64 or hex),
    /// used with HEALING_ENCRYPTION_KEY while `rotate-key` runs.
    #[arg(
        long,
        env = "HEALING_PREVIOUS_ENCRYPTION_KEYS",
        global = true,
        hide_env_values = true
    )]
    pub previous_encryption_keys: Option<String>,
    /// Address and port to listen on.
    #[arg(
        long,
        env = "HEALING_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Session cookie `Secure` flag: `true`, `false`, or `auto` (on when the
    /// public URL is https or the bind address is not loopback; off only for
    /// plain HTTP on loopback, in development).
    #[arg(
        long,
        env = "HEALING_COOKIE_SECURE",
        default_value = "auto",
        global = true
    )]
    pub cookie_secure: String,
    /// Public base URL of the web app, used in emailed links and the Origin
    /// check (e.g. `https://healing.example.nhs.uk`). Default: http://BIND.
    #[arg(long, env = "HEALING_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Bearer token the Prometheus scraper sends to read `/metrics`
    /// (`Authorization: Bearer <token>`, at least 16 characters). Unset:
    /// `/metrics` answers 404, so metrics are never public by default.
    #[arg(
        long,
        env = "HEALING_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// Secret (at least 32 characters) with which FHIR exports are signed: the
    /// GDPR export's `format=fhir` and a clinician's `…/fhir` download then carry a
    /// `Provenance` with a detached HS256 JWS (key id `healing-server`). Unset:
    /// FHIR exports are unsigned.
    #[arg(
        long,
        env = "HEALING_FHIR_SIGNING_KEY",
        global = true,
        hide_env_values = true
    )]
    pub fhir_signing_key: Option<String>,
    /// SMTP server for password-reset email: `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://user:pass@host:465` (TLS), or plain `smtp://host:25`
    /// for a local relay only. Unset: reset requests are answered the same but
    /// no email is sent (logged).
    #[arg(long, env = "HEALING_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender address for email, e.g. `Healing <no-reply@example.nhs.uk>`.
    #[arg(
        long,
        env = "HEALING_SMTP_FROM",
        default_value = "Healing <no-reply@localhost>",
        global = true
    )]
    pub smtp_from: String,
    /// The service's duty contact, emailed about alerts for patients with no
    /// linked clinician, alerts escalated past the linked clinicians, and alert
    /// deliveries that failed. Needs HEALING_SMTP_URL.
    #[arg(long, env = "HEALING_DUTY_EMAIL", global = true)]
    pub duty_email: Option<String>,
    /// The on-call system's webhook, POSTed a signed JSON body (no patient names,
    /// no words they wrote) for every alert raised or escalated. Needs
    /// HEALING_ALERT_WEBHOOK_SECRET.
    #[arg(long, env = "HEALING_ALERT_WEBHOOK_URL", global = true)]
    pub alert_webhook_url: Option<String>,
    /// The secret the webhook's `Healing-Signature` is an HMAC-SHA256 under (at
    /// least 32 characters), shared with the receiver.
    #[arg(
        long,
        env = "HEALING_ALERT_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub alert_webhook_secret: Option<String>,
    /// Seconds a critical alert may stay unacknowledged before it escalates to
    /// the next contact.
    #[arg(
        long,
        env = "HEALING_ESCALATE_CRITICAL_SECONDS",
        default_value_t = 600,
        global = true
    )]
    pub escalate_critical_seconds: u32,
    /// Seconds a high alert may stay unacknowledged before it escalates.
    #[arg(
        long,
        env = "HEALING_ESCALATE_HIGH_SECONDS",
        default_value_t = 1800,
        global = true
    )]
    pub escalate_high_seconds: u32,
    /// Seconds a medium alert may stay unacknowledged before it escalates.
    /// Unset: one working day (24 hours, past a weekend to Monday).
    #[arg(long, env = "HEALING_ESCALATE_MEDIUM_SECONDS", global = true)]
    pub escalate_medium_seconds: Option<u32>,
    /// The longest one alert email or webhook call may take, in seconds.
    #[arg(
        long,
        env = "HEALING_ALERT_DELIVERY_TIMEOUT_SECONDS",
        default_value_t = 10,
        global = true
    )]
    pub alert_delivery_timeout_seconds: u32,
    /// The OpenAI-compatible chat-completions API the AI companion asks, e.g.
    /// Groq's `https://api.groq.com/openai/v1` (`/chat/completions` is added).
    /// https, or http to a loopback address only. Needs HEALING_LLM_API_KEY.
    #[arg(long, env = "HEALING_LLM_BASE_URL", global = true)]
    pub llm_base_url: Option<String>,
    /// The API key sent as a bearer token. Unset: no AI model; the built-in
    /// offline companion answers every chat message.
    #[arg(
        long,
        env = "HEALING_LLM_API_KEY",
        global = true,
        hide_env_values = true
    )]
    pub llm_api_key: Option<String>,
    /// The model name, e.g. `llama-3.3-70b-versatile`. Needs HEALING_LLM_API_KEY.
    #[arg(long, env = "HEALING_LLM_MODEL", global = true)]
    pub llm_model: Option<String>,
    /// Seconds a connection to the model may take to open.
    #[arg(
        long,
        env = "HEALING_LLM_CONNECT_TIMEOUT_SECONDS",
        default_value_t = 5,
        global = true
    )]
    pub llm_connect_timeout_seconds: u32,
    /// Seconds one reply may take, all retries and the whole stream included;
    /// past it the offline companion answers.
    #[arg(
        long,
        env = "HEALING_LLM_TIMEOUT_SECONDS",
        default_value_t = 20,
        global = true
    )]
    pub llm_timeout_seconds: u32,
    /// Retries after the model answers 429 or 5xx (0 to 5), after its
    /// Retry-After (at most 10 s) or an exponential backoff.
    #[arg(
        long,
        env = "HEALING_LLM_MAX_RETRIES",
        default_value_t = 2,
        global = true
    )]
    pub llm_max_retries: u32,
    /// The plugins folder: one folder per installed WebAssembly plugin, all
    /// loaded at start-up (the server refuses to start if one is refused).
    /// Default: HEALING_DATA_DIR/plugins.
    #[arg(long, env = "HEALING_PLUGIN_DIR", global = true)]
    pub plugin_dir: Option<PathBuf>,
    /// The operator's plugin artifact key (64 hex digits, mode 0600), which
    /// authenticates the compiled plugins `plugin install` writes.
    /// Default: HEALING_DATA_DIR/plugin-artifact.key, generated by the first
    /// `plugin install`.
    #[arg(long, env = "HEALING_PLUGIN_KEY_FILE", global = true)]
    pub plugin_key_file: Option<PathBuf>,
    /// Hours before an appointment after which a patient can no longer cancel or
    /// move it in the app (a clinician always can); 0 to 720.
    #[arg(
        long,
        env = "HEALING_APPOINTMENT_NOTICE_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub appointment_notice_hours: u32,
    /// Hours before an appointment its reminders (in the app, and by email when
    /// HEALING_SMTP_URL is set) are sent; 1 to 720.
    #[arg(
        long,
        env = "HEALING_REMINDER_LEAD_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub reminder_lead_hours: u32,
    /// Log filter (tracing env-filter syntax), e.g. `info` or `healing_server=debug`.
    #[arg(long, env = "HEALING_LOG", default_value = "info", global = true)]
    pub log: String,
}

/// Subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create an account (e.g. the first admin or clinician). The password is
    /// read from HEALING_NEW_USER_PASSWORD or standard input.
    CreateUser(CreateUserArgs),
    /// Re-encrypt every encrypted value under a new key, online.
    RotateKey(RotateKeyArgs),
    /// Walk the audit hash chain; exit 1 and name the first bad entry if it
    /// was edited, deleted or reordered.
    VerifyAudit,
    /// Fill the database with an invented demo clinic (deterministic).
    SeedDemo(SeedDemoArgs),
    /// Manage the WebAssembly plugins in HEALING_PLUGIN_DIR.
    #[command(subcommand)]
    Plugin(PluginCommand),
}

/// `plugin` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum PluginCommand {
    /// Install a plugin (a component .wasm, or a folder with manifest.json
    /// beside its component) into `HEALING_PLUGIN_DIR/<id>`, compiled once with
    /// the operator's artifact key; `serve` then loads it. Replaces an earlier
    /// install of the same id; a refused plugin leaves nothing behind.
    Install(PluginInstallArgs),
}

/// `plugin install` arguments.
#[derive(Debug, Clone, Args)]
pub struct PluginInstallArgs {
    /// The component file or plugin folder.
    pub path: PathBuf,
    /// The id of a component file. Default: its file name with `_` as `-`
    /// (`my_terms.wasm` is `my-terms`); a folder's manifest names its own.
    #[arg(long)]
    pub id: Option<String>,
    /// The version to record. Default: the manifest's, or the one the
    /// component describes.
    #[arg(long = "plugin-version")]
    pub version: Option<String>,
}

/// `create-user` arguments.
#[derive(Debug, Clone, Args)]
pub struct CreateUserArgs {
    /// Login name (3-32 of a-z, 0-9, `.`, `_`, `-`).
    #[arg(long)]
    pub username: String,
    /// Email address (for password reset).
    #[arg(long)]
    pub email: String,
    /// `patient`, `clinician` or `admin`.
    #[arg(long, default_value = "patient")]
    pub role: String,
    /// Name shown in the app.
    #[arg(long)]
    pub display_name: Option<String>,
    /// Password (prefer HEALING_NEW_USER_PASSWORD or stdin: flags show in `ps`).
    #[arg(long, env = "HEALING_NEW_USER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

/// `rotate-key` arguments.
#[derive(Debug, Clone, Args)]
pub struct RotateKeyArgs {
    /// The new key (base64 or hex). Default: generate one. With a key file,
    /// the file is rewritten with the new key first; with
    /// HEALING_ENCRYPTION_KEY, set that to the new key and list the old in
    /// HEALING_PREVIOUS_ENCRYPTION_KEYS instead of passing this.
    #[arg(long, hide_env_values = true)]
    pub new_key: Option<String>,
}

/// `seed-demo` arguments.
#[derive(Debug, Clone, Args)]
pub struct SeedDemoArgs {
    /// PRNG seed: the same seed gives the same clinic.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Days of history to invent, ending today.
    #[arg(long, default_value_t = 180)]
    pub days: u32,
    /// Patients to invent (a load test's clinic of 200, say); each is linked to one
    /// of the clinicians in turn.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub patients: u32,
    /// Clinicians to invent.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub clinicians: u32,
    /// Password given to every demo account (printed at the end).
    #[arg(long, default_value = "demo password 2026")]
    pub password: String,
}
