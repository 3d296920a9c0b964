//! Outgoing email (password reset) over SMTP with lettre, or nothing when
//! SMTP is not configured (the reset endpoint answers the same either way).

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Why an email could not be sent (no addresses or bodies in the message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// An address could not be parsed.
    #[error("email address for {which} is invalid")]
    Address {
        /// `from` or `to`.
        which: &'static str,
    },
    /// The SMTP exchange failed.
    #[error("smtp delivery failed: {reason}")]
    Smtp {
        /// What the transport reported.
        reason: String,
    },
    /// SMTP is not configured.
    #[error("smtp is not configured")]
    NotConfigured,
}

/// Sends email.
#[derive(Clone)]
pub enum Mailer {
    /// SMTP via lettre.
    Smtp {
        /// The transport (pooled).
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// Sender.
        from: Mailbox,
    },
    /// No SMTP configured: nothing is sent (logged once per attempt, without the address).
    Disabled,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp { .. } => f.write_str("Mailer::Smtp"),
            Self::Disabled => f.write_str("Mailer::Disabled"),
        }
    }
}

impl Mailer {
    /// Builds a mailer from `HEALING_SMTP_URL` and `HEALING_SMTP_FROM`.
    /// `smtp://host:port` without `?tls=required` talks plain SMTP (local relays and tests).
    pub fn from_settings(
        url: Option<&str>,
        from: &str,
    ) -> Result<Self, crate::config::ConfigError> {
        let Some(url) = url else {
            return Ok(Self::Disabled);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| crate::config::ConfigError::Invalid {
                variable: "HEALING_SMTP_URL",
                reason: error.to_string(),
            })?
            .build();
        let from =
            from.parse::<Mailbox>()
                .map_err(|error| crate::config::ConfigError::Invalid {
                    variable: "HEALING_SMTP_FROM",
                    reason: error.to_string(),
                })?;
        Ok(Self::Smtp { transport, from })
    }

    /// Sends one email.
    pub async fn send(&self, email: OutgoingEmail) -> Result<(), MailError> {
        let Self::Smtp { transport, from } = self else {
            return Err(MailError::NotConfigured);
        };
        let to = email
            .to
            .parse::<Mailbox>()
            .map_err(|_| MailError::Address { which: "to" })?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(email.subject)
            .body(email.body)
            .map_err(|error| MailError::Smtp {
                reason: error.to_string(),
            })?;
        transport
            .send(message)
            .await
            .map_err(|error| MailError::Smtp {
                reason: error.to_string(),
            })?;
        Ok(())
    }
}
