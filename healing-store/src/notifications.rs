//! A person's preferences and what notifications may do, pure and unit-tested:
//! the kinds that may also go by email and those that do by default, the
//! languages the app has text for, the reminder lead time's bounds, and that a
//! patient is emailed only while their `email_notifications` consent is in force.
//! `sql/notifications.rs` applies them; the server's routes only convert.

use healing_core::consent::{ConsentEvent, Ledger, Purpose};
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::records::{NotificationKind, Theme};

/// The languages the web app's text catalogue has (`web/app/js/words.js`). A
/// language is added here when its catalogue is.
pub const LANGUAGES: &[&str] = &["en-GB"];

/// The shortest reminder lead time, in hours.
pub const MIN_REMINDER_LEAD_HOURS: u16 = 1;
/// The longest reminder lead time, in hours (a week).
pub const MAX_REMINDER_LEAD_HOURS: u16 = 168;
/// The reminder lead time before a person chooses one: a day, as issue 16 asks.
pub const DEFAULT_REMINDER_LEAD_HOURS: u16 = 24;

/// The kinds a person may also have by email. Not `alert`: a clinician hears of
/// alerts by the alert outbox (`sql/alerting.rs`), which they cannot turn off.
pub const EMAILABLE: &[NotificationKind] = &[
    NotificationKind::Message,
    NotificationKind::AppointmentChanged,
    NotificationKind::AppointmentReminder,
    NotificationKind::PostReply,
];

/// The kinds that go by email until a person chooses: appointment changes and
/// reminders, because a missed appointment costs the person their care and the
/// email says only that something changed. Messages and replies stay in the app
/// unless the person turns them on: a "new message in Healing" email tells anyone
/// who reads the inbox that the person uses a mental-health service.
pub const DEFAULT_EMAIL: &[NotificationKind] = &[
    NotificationKind::AppointmentChanged,
    NotificationKind::AppointmentReminder,
];

/// A person's settings, as stored and as every reader gets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Colour theme.
    pub theme: Theme,
    /// A language of [`LANGUAGES`].
    pub language: String,
    /// The kinds that also go by email, in [`NotificationKind::ALL`] order, each once.
    pub email: Vec<NotificationKind>,
    /// How long before an appointment its reminder comes, in hours.
    pub reminder_lead_hours: u16,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            language: LANGUAGES[0].to_owned(),
            email: DEFAULT_EMAIL.to_vec(),
            reminder_lead_hours: DEFAULT_REMINDER_LEAD_HOURS,
        }
    }
}

/// Why preferences were refused, naming the field and the value's problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreferenceError {
    /// Not one of light, dark, system.
    #[error("theme {0:?} is not one of light, dark, system")]
    UnknownTheme(String),
    /// A language the app has no text for.
    #[error("language {0:?} is not available (available: en-GB)")]
    UnsupportedLanguage(String),
    /// Not a notification kind.
    #[error("email: {0:?} is not a kind of notification")]
    UnknownKind(String),
    /// A kind that never goes by email.
    #[error("email: {0} notifications are not sent by email")]
    NotByEmail(NotificationKind),
    /// Outside 1 to 168 hours.
    #[error("reminder_lead_hours {0} is outside 1 to 168")]
    LeadOutOfRange(i64),
}

impl Preferences {
    /// Checks preferences as a client sends them. Email kinds may come in any
    /// order and repeat; they are kept once each, in declaration order.
    pub fn new(
        theme: &str,
        language: &str,
        email: &[String],
        reminder_lead_hours: i64,
    ) -> Result<Self, PreferenceError> {
        let theme =
            Theme::from_name(theme).ok_or_else(|| PreferenceError::UnknownTheme(theme.into()))?;
        if !LANGUAGES.contains(&language) {
            return Err(PreferenceError::UnsupportedLanguage(language.into()));
        }
        let mut kinds = Vec::with_capacity(email.len());
        for name in email {
            let kind = NotificationKind::from_name(name)
                .ok_or_else(|| PreferenceError::UnknownKind(name.clone()))?;
            if !EMAILABLE.contains(&kind) {
                return Err(PreferenceError::NotByEmail(kind));
            }
            kinds.push(kind);
        }
        let lead = u16::try_from(reminder_lead_hours)
            .ok()
            .filter(|hours| (MIN_REMINDER_LEAD_HOURS..=MAX_REMINDER_LEAD_HOURS).contains(hours))
            .ok_or(PreferenceError::LeadOutOfRange(reminder_lead_hours))?;
        Ok(Self {
            theme,
            language: language.to_owned(),
            email: NotificationKind::ALL
                .iter()
                .copied()
                .filter(|kind| kinds.contains(kind))
                .collect(),
            reminder_lead_hours: lead,
        })
    }

    /// Whether `kind` also goes to this person by email.
    pub fn emails(&self, kind: NotificationKind) -> bool {
        self.email.contains(&kind)
    }
}

/// Whether a patient may be emailed at `at`: their `email_notifications` consent
/// ("I agree to receive notifications from Healing by email") is in force,
/// replayed from their stored ledger. Their preferences choose which kinds; this
/// decides whether any. Staff accounts are work accounts and have no ledger; the
/// caller asks this only for patients. A stored ledger that does not replay is
/// [`Error::CorruptRow`].
pub fn email_consent_in_force(
    patient_id: &PersonId,
    events: Vec<ConsentEvent>,
    at: Timestamp,
) -> Result<bool, Error> {
    let ledger = Ledger::replay(patient_id.clone(), events).map_err(|error| Error::CorruptRow {
        table: "consent_events",
        column: "seq",
        reason: format!("the stored ledger does not replay: {error}"),
    })?;
    Ok(ledger.is_allowed(Purpose::EmailNotifications, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kinds: &[&str]) -> Vec<String> {
        kinds.iter().map(|kind| (*kind).to_owned()).collect()
    }

    #[test]
    fn valid_preferences_keep_each_kind_once_in_order() {
        let preferences = Preferences::new(
            "dark",
            "en-GB",
            &names(&["post_reply", "message", "post_reply"]),
            48,
        )
        .unwrap();
        assert_eq!(preferences.theme, Theme::Dark);
        assert_eq!(
            preferences.email,
            [NotificationKind::Message, NotificationKind::PostReply]
        );
        assert!(preferences.emails(NotificationKind::Message));
        assert!(!preferences.emails(NotificationKind::AppointmentReminder));
    }

    #[test]
    fn each_field_is_refused_with_its_own_error() {
        let check = |theme, language, email: &[&str], lead| {
            Preferences::new(theme, language, &names(email), lead).unwrap_err()
        };
        assert_eq!(
            check("sepia", "en-GB", &[], 24),
            PreferenceError::UnknownTheme("sepia".into())
        );
        assert_eq!(
            check("light", "fr-FR", &[], 24),
            PreferenceError::UnsupportedLanguage("fr-FR".into())
        );
        assert_eq!(
            check("light", "en-GB", &["pigeon"], 24),
            PreferenceError::UnknownKind("pigeon".into())
        );
        assert_eq!(
            check("light", "en-GB", &["alert"], 24),
            PreferenceError::NotByEmail(NotificationKind::Alert)
        );
        for lead in [0, 169, -1, i64::from(u16::MAX) + 1] {
            assert_eq!(
                check("light", "en-GB", &[], lead),
                PreferenceError::LeadOutOfRange(lead)
            );
        }
        for lead in [1, 168] {
            assert!(Preferences::new("system", "en-GB", &[], lead).is_ok());
        }
    }

    #[test]
    fn the_defaults_pass_their_own_checks() {
        let defaults = Preferences::default();
        let email: Vec<String> = defaults
            .email
            .iter()
            .map(|kind| kind.as_str().to_owned())
            .collect();
        assert_eq!(
            Preferences::new(
                defaults.theme.as_str(),
                &defaults.language,
                &email,
                i64::from(defaults.reminder_lead_hours)
            ),
            Ok(defaults.clone())
        );
        assert!(DEFAULT_EMAIL.iter().all(|kind| EMAILABLE.contains(kind)));
    }
}
