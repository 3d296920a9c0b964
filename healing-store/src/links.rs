//! The rules of clinician–patient links, pure so they are tested without a database.
//!
//! A clinician asks (`requested`); the patient accepts or declines; only the patient
//! ends an accepted link. The store checks a request and every move against these
//! rules inside the transaction that writes it, so concurrent requests cannot get
//! past them. An accepted link alone shows the clinician nothing: the patient's
//! `clinician_sharing` consent must be in force too ([`sharing_in_force`]), the one
//! rule the server's policy layer and the caseload both apply.

use healing_core::consent::{ConsentEvent, Ledger, Purpose};
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use crate::Error;
use crate::records::{Link, LinkStatus};

/// How long a clinician must wait, after a patient declines their request, before
/// asking the same patient again: 30 days. A project convention, not a clinical
/// rule: long enough that a patient who said no is not asked again and again, short
/// enough that a new episode of care can start with a fresh request.
pub const DECLINE_COOLDOWN_SECONDS: i64 = 30 * 24 * 60 * 60;

/// Why a link request or a decision about a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefusal {
    /// The clinician's earlier request is still waiting for the patient's answer.
    #[error("a request from this clinician is already waiting for the patient's answer")]
    AlreadyRequested,
    /// The clinician and patient are already linked.
    #[error("this clinician and patient are already linked")]
    AlreadyLinked,
    /// The patient declined this clinician's request less than
    /// [`DECLINE_COOLDOWN_SECONDS`] ago.
    #[error("the patient declined this clinician's request; it can be made again from {until}")]
    RecentlyDeclined {
        /// When the clinician may ask again.
        until: Timestamp,
    },
    /// The link cannot move from its state to the one asked for (for example an
    /// ended link cannot be accepted again: the clinician must ask anew).
    #[error("a link that is {from} cannot become {to}")]
    InvalidMove {
        /// The link's state.
        from: LinkStatus,
        /// The state asked for.
        to: LinkStatus,
    },
}

/// Whether a link may move from `from` to `to`: a request is accepted or declined,
/// an accepted link is ended, and nothing else (a declined or ended link is final).
pub fn check_link_move(from: LinkStatus, to: LinkStatus) -> Result<(), LinkRefusal> {
    use LinkStatus::{Accepted, Declined, Ended, Requested};
    match (from, to) {
        (Requested, Accepted | Declined) | (Accepted, Ended) => Ok(()),
        _ => Err(LinkRefusal::InvalidMove { from, to }),
    }
}

/// Whether a clinician may ask a patient to link at `at`, given every link of that
/// clinician and patient so far: not while a request waits or a link is accepted,
/// and not within [`DECLINE_COOLDOWN_SECONDS`] of the patient's last decline.
pub fn check_link_request(pair_links: &[Link], at: Timestamp) -> Result<(), LinkRefusal> {
    if pair_links
        .iter()
        .any(|link| link.status == LinkStatus::Accepted)
    {
        return Err(LinkRefusal::AlreadyLinked);
    }
    if pair_links
        .iter()
        .any(|link| link.status == LinkStatus::Requested)
    {
        return Err(LinkRefusal::AlreadyRequested);
    }
    let last_decline = pair_links
        .iter()
        .filter(|link| link.status == LinkStatus::Declined)
        .filter_map(|link| link.decided_at)
        .max();
    if let Some(declined_at) = last_decline
        && at.seconds_since(declined_at) < DECLINE_COOLDOWN_SECONDS
    {
        // `until` only names the date in the message; at the calendar's end it falls
        // back to the decline itself.
        let until = declined_at
            .checked_add_seconds(DECLINE_COOLDOWN_SECONDS)
            .unwrap_or(declined_at);
        return Err(LinkRefusal::RecentlyDeclined { until });
    }
    Ok(())
}

/// Whether a clinician with an accepted link may see the patient's data at `at`:
/// only while the patient's `clinician_sharing` consent is in force, replayed from
/// the patient's stored consent decisions (`events`, in the order recorded). The
/// server's policy layer asks this on every patient-data request and the caseload
/// for each linked patient, so a withdrawal hides the patient from both at once.
///
/// A stored ledger that does not replay is [`Error::CorruptRow`]: the caller fails
/// rather than guess.
pub fn sharing_in_force(
    patient_id: &PersonId,
    events: Vec<ConsentEvent>,
    at: Timestamp,
) -> Result<bool, Error> {
    let ledger = Ledger::replay(patient_id.clone(), events).map_err(|error| Error::CorruptRow {
        table: "consent_events",
        column: "seq",
        reason: format!("the stored ledger does not replay: {error}"),
    })?;
    Ok(ledger.is_allowed(Purpose::ClinicianSharing, at))
}
