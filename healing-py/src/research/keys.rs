//! Reading the server's field-encryption keys, so the research reader can open
//! encrypted columns (mood notes, post bodies, display names for redaction).
//!
//! The format and the key ids are the store's (`healing_store::parse_key_file`), the
//! same code the server reads its key file with. The same text may be passed
//! directly instead of a file.

use healing_store::KeyRing;

/// A key ring from key-file text (one key per line, current first).
pub(crate) fn key_ring(text: &str) -> Result<KeyRing, String> {
    let keys = healing_store::parse_key_file(text).map_err(|error| error.to_string())?;
    let Some((current, previous)) = keys.split_first() else {
        return Err("no key found".to_owned());
    };
    healing_store::key_ring(current, previous).map_err(|error| error.to_string())
}
