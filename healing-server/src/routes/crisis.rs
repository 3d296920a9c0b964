//! `GET /api/crisis-resources`: the crisis directory (UK), public and with no
//! session, so the web app's "Get help now" page works for anyone, and the
//! service worker can keep a copy for when there is no connection.

use axum::response::Response;
use healing_core::safety::{CrisisDirectory, RiskLevel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ok;

/// The directory as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CrisisResourcesView {
    /// Region served, e.g. `United Kingdom`.
    pub region: String,
    /// Version of the directory file.
    pub version: String,
    /// Every resource, most urgent first.
    pub resources: Vec<CrisisResourceView>,
}

/// One service a person can contact.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CrisisResourceView {
    /// Stable id, e.g. `samaritans`.
    pub id: String,
    /// Name to show.
    pub name: String,
    /// How to reach it, in words (`call 116 123 (free, 24 hours)`).
    pub contact: String,
    /// Who it is for.
    pub description: String,
    /// Ways to reach it in one tap, read from `contact`.
    pub links: Vec<ContactLink>,
}

/// A `tel:` or `sms:` link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactLink {
    /// `tel` or `sms`.
    pub kind: String,
    /// The URI, e.g. `tel:116123` or `sms:85258?body=SHOUT`.
    pub href: String,
    /// The number as written, e.g. `116 123`.
    pub number: String,
}

/// The crisis services, most urgent first (every resource, whatever its level).
#[utoipa::path(get, path = "/api/crisis-resources", tag = "safety",
    responses((status = 200, description = "Crisis services", body = CrisisResourcesView)))]
pub async fn crisis_resources() -> Response {
    let directory = CrisisDirectory::uk();
    let resources = directory
        .resources_for_level(RiskLevel::Critical)
        .into_iter()
        .map(|resource| CrisisResourceView {
            id: resource.id.clone(),
            name: resource.name.clone(),
            contact: resource.contact.clone(),
            description: resource.description.clone(),
            links: contact_links(&resource.contact),
        })
        .collect();
    ok(CrisisResourcesView {
        region: directory.region.clone(),
        version: directory.version.clone(),
        resources,
    })
}

/// What every answer of the message routes tells a patient: that their care team
/// reads messages in working hours, not around the clock, and where to turn now
/// instead (the directory's most urgent services). The one place it is worded.
pub fn messages_not_monitored_notice(directory: &CrisisDirectory) -> String {
    let now: Vec<String> = directory
        .resources_for_level(RiskLevel::Critical)
        .into_iter()
        .take(3)
        .map(|resource| format!("{}: {}", resource.name, resource.contact))
        .collect();
    format!(
        "Messages are not monitored around the clock: your care team reads them when they \
         are working, so a reply may take a few days. If you need help now, contact {}.",
        now.join("; ")
    )
}

/// Reads `call N` and `text WORD to N` out of a contact line.
pub fn contact_links(contact: &str) -> Vec<ContactLink> {
    let mut links = Vec::new();
    let words: Vec<&str> = contact.split_whitespace().collect();
    for (index, word) in words.iter().enumerate() {
        match *word {
            "call" => {
                let number = leading_number(&words[index + 1..]);
                if !number.is_empty() {
                    links.push(ContactLink {
                        kind: "tel".to_owned(),
                        href: format!("tel:{}", number.replace(' ', "")),
                        number,
                    });
                }
            }
            "text" => {
                if let (Some(body), Some(&"to")) = (words.get(index + 1), words.get(index + 2)) {
                    let number = leading_number(&words[(index + 3).min(words.len())..]);
                    if !number.is_empty() {
                        links.push(ContactLink {
                            kind: "sms".to_owned(),
                            href: format!("sms:{}?body={}", number.replace(' ', ""), body),
                            number,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    links
}

/// The run of digit groups at the start of `words` (`116 123 (free…` → `116 123`).
fn leading_number(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| word.trim_end_matches(','))
        .take_while(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::{contact_links, messages_not_monitored_notice};

    #[test]
    fn the_messages_notice_says_they_are_not_watched_and_where_to_go_now() {
        let notice = messages_not_monitored_notice(healing_core::safety::CrisisDirectory::uk());
        assert!(
            notice.contains("not monitored around the clock"),
            "{notice}"
        );
        assert!(notice.contains("call 999"), "{notice}");
        assert!(notice.contains("116 123"), "{notice}");
    }

    #[test]
    fn reads_calls_and_texts_from_contact_lines() {
        let links = contact_links("call 116 123 (free, 24 hours)");
        assert_eq!(links[0].href, "tel:116123");
        assert_eq!(links[0].number, "116 123");
        let links = contact_links("call 999, or go to A&E");
        assert_eq!(links[0].href, "tel:999");
        let links = contact_links("text SHOUT to 85258 (free, 24 hours)");
        assert_eq!(links[0].href, "sms:85258?body=SHOUT");
        let links = contact_links("call 111 and choose the mental health option (option 2)");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].href, "tel:111");
    }
}
