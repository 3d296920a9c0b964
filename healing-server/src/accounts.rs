//! Account fields as the server accepts them: the checks shared by
//! registration over HTTP ([`crate::routes::auth`]) and the `create-user`
//! command ([`crate::commands`]), so both normalise and refuse the same way.

/// An account field that is not acceptable; the message names the field and
/// what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidField {
    message: String,
}

impl InvalidField {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message, e.g. `email is not a valid address`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Normalises and checks a username (3–32 of a-z, 0-9, `.`, `_`, `-`).
pub fn validate_username(username: &str) -> Result<String, InvalidField> {
    let username = username.trim().to_lowercase();
    let length = username.chars().count();
    if !(3..=32).contains(&length) {
        return Err(InvalidField::new(format!(
            "username has {length} characters; use 3 to 32"
        )));
    }
    if let Some(bad) = username
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(*c)))
    {
        return Err(InvalidField::new(format!(
            "username contains {bad:?}; use lower-case letters, digits, '.', '_' or '-'"
        )));
    }
    Ok(username)
}

/// Normalises (lower-case) and checks an email address.
pub fn validate_email(email: &str) -> Result<String, InvalidField> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(InvalidField::new("email is not a valid address"))
    }
}

/// Checks a display name (1–100 printable characters).
pub fn validate_display_name(name: &str) -> Result<String, InvalidField> {
    let name = name.trim();
    let length = name.chars().count();
    if !(1..=100).contains(&length) || name.chars().any(char::is_control) {
        return Err(InvalidField::new(
            "display_name must be 1 to 100 printable characters",
        ));
    }
    Ok(name.to_owned())
}

/// Shortest and longest community pseudonym, in characters.
pub const PSEUDONYM_CHARS: std::ops::RangeInclusive<usize> = 3..=30;

/// Checks a community pseudonym: 3 to 30 letters, digits, spaces, `.`, `_`, `-`
/// or `'`, trimmed with inner spaces collapsed, and not the person's own username
/// (ignoring case), so the name others see never gives the account away.
pub fn validate_pseudonym(name: &str, username: &str) -> Result<String, InvalidField> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = name.chars().count();
    if !PSEUDONYM_CHARS.contains(&length) {
        return Err(InvalidField::new(format!(
            "pseudonym has {length} characters; use {} to {}",
            PSEUDONYM_CHARS.start(),
            PSEUDONYM_CHARS.end()
        )));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || " ._-'".contains(*c)))
    {
        return Err(InvalidField::new(format!(
            "pseudonym contains {bad:?}; use letters, digits, spaces, '.', '_', '-' or '\''"
        )));
    }
    if name.to_lowercase() == username.trim().to_lowercase() {
        return Err(InvalidField::new(
            "pseudonym must not be your username; choose a name that does not identify you",
        ));
    }
    Ok(name)
}
