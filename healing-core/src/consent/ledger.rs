//! The per-person consent ledger and the state folded from it.

use serde::{Deserialize, Serialize, Serializer};

use super::{ConsentEvent, Decision, Error, Purpose, RecordedBy, WordingVersion};
use crate::ids::PersonId;
use crate::timestamp::Timestamp;

/// A stretch of time during which a purpose was allowed: from `from` (included) to
/// `until` (excluded), or still allowed when `until` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// The instant of the grant that opened the period (allowed from this instant).
    pub from: Timestamp,
    /// The instant of the withdrawal or re-grant that closed it (not allowed at this
    /// instant under this period); `None` while it is still open.
    pub until: Option<Timestamp>,
    /// The wording version of the grant.
    pub wording_version: WordingVersion,
}

impl Period {
    /// Whether `at` falls inside the period.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }
}

/// A grant in force at some instant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActiveGrant {
    /// The purpose allowed.
    pub purpose: Purpose,
    /// When the grant in force was made (a re-grant with new wording starts a new grant).
    pub since: Timestamp,
    /// The wording version agreed to.
    pub wording_version: WordingVersion,
    /// Who recorded the grant.
    pub recorded_by: RecordedBy,
}

/// Which purposes were allowed at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConsentState {
    /// The instant described.
    pub at: Timestamp,
    /// The grants in force, one per allowed purpose, in [`Purpose::ALL`] order.
    pub grants: Vec<ActiveGrant>,
}

impl ConsentState {
    /// Whether `purpose` was allowed at [`ConsentState::at`].
    pub fn is_allowed(&self, purpose: Purpose) -> bool {
        self.grant(purpose).is_some()
    }

    /// The grant in force for `purpose`, if any.
    pub fn grant(&self, purpose: Purpose) -> Option<&ActiveGrant> {
        self.grants.iter().find(|grant| grant.purpose == purpose)
    }
}

/// The append-only record of one person's consent decisions, in time order.
///
/// Every event has been checked against the ones before it (see
/// [`Ledger::append`]), so the ledger always describes a coherent history, and every
/// question about it is a fold over its events. It serialises as
/// `{"person": ..., "events": [...]}` and deserialising replays the events, so a
/// stored ledger that breaks the rules is rejected rather than trusted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "LedgerRecord")]
pub struct Ledger {
    person: PersonId,
    events: Vec<ConsentEvent>,
}

impl Ledger {
    /// An empty ledger for `person`: nothing is allowed until granted.
    pub fn new(person: PersonId) -> Self {
        Self {
            person,
            events: Vec::new(),
        }
    }

    /// Rebuilds a ledger by appending `events` in order.
    ///
    /// Fails with [`Error::Replay`], naming the first event (counting from 0) that
    /// [`Ledger::append`] rejects.
    pub fn replay(
        person: PersonId,
        events: impl IntoIterator<Item = ConsentEvent>,
    ) -> Result<Self, Error> {
        let mut ledger = Self::new(person);
        for (index, event) in events.into_iter().enumerate() {
            ledger.append(event).map_err(|reason| Error::Replay {
                index,
                reason: Box::new(reason),
            })?;
        }
        Ok(ledger)
    }

    /// Adds `event` after checking it against the ledger; a rejected event leaves the
    /// ledger unchanged.
    ///
    /// Rejected, in this order of checks:
    /// * an event about someone else ([`Error::WrongPerson`]);
    /// * staff recording with the subject's own id ([`Error::StaffIsSubject`]);
    /// * an event earlier than the latest event ([`Error::OutOfOrder`]); events at the
    ///   same instant are fine, for different purposes (one form, several boxes) and
    ///   for the same purpose (a person who changes their mind within the clock's
    ///   resolution): their order is their position in the ledger, not their time;
    /// * a withdrawal when the purpose was never granted
    ///   ([`Error::WithdrawWithoutGrant`]) or is already withdrawn
    ///   ([`Error::AlreadyWithdrawn`]);
    /// * a grant when the purpose is already granted with the same wording version
    ///   ([`Error::AlreadyGranted`]).
    ///
    /// A grant while already granted with a *different* wording version is accepted as
    /// a re-grant: the person agreed to new wording, so the old period ends and a new
    /// one begins at the same instant, with no gap.
    pub fn append(&mut self, event: ConsentEvent) -> Result<(), Error> {
        if event.person != self.person {
            return Err(Error::WrongPerson {
                ledger: self.person.clone(),
                event: event.person,
            });
        }
        if event.recorded_by == RecordedBy::Staff(self.person.clone()) {
            return Err(Error::StaffIsSubject {
                person: self.person.clone(),
            });
        }
        if let Some(latest) = self.events.last()
            && event.at < latest.at
        {
            return Err(Error::OutOfOrder {
                at: event.at,
                latest: latest.at,
            });
        }
        let previous = self
            .events
            .iter()
            .rev()
            .find(|earlier| earlier.purpose == event.purpose);
        match (event.decision, previous) {
            (Decision::Withdraw, None) => {
                return Err(Error::WithdrawWithoutGrant {
                    purpose: event.purpose,
                    at: event.at,
                });
            }
            (Decision::Withdraw, Some(previous)) if previous.decision == Decision::Withdraw => {
                return Err(Error::AlreadyWithdrawn {
                    purpose: event.purpose,
                    at: event.at,
                    withdrawn_at: previous.at,
                });
            }
            (Decision::Grant, Some(previous))
                if previous.decision == Decision::Grant
                    && previous.wording_version == event.wording_version =>
            {
                return Err(Error::AlreadyGranted {
                    purpose: event.purpose,
                    at: event.at,
                    since: previous.at,
                    wording_version: event.wording_version,
                });
            }
            _ => {}
        }
        self.events.push(event);
        Ok(())
    }

    /// The person this ledger is about.
    pub fn person(&self) -> &PersonId {
        &self.person
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[ConsentEvent] {
        &self.events
    }

    /// Whether this person's data may be used for `purpose` at `at`.
    ///
    /// True exactly when the latest event for `purpose` at or before `at` is a grant:
    /// data recorded at the very instant of a grant is covered, data recorded at the
    /// very instant of a withdrawal is not. Among events at the same instant the
    /// latest is the last appended, so a grant withdrawn within the same instant is
    /// not in force at that instant. Withdrawal is not retrospective: it does
    /// not change the answer for instants before it (UK GDPR Article 7(3)).
    pub fn is_allowed(&self, purpose: Purpose, at: Timestamp) -> bool {
        self.grant_in_force(purpose, at).is_some()
    }

    /// Every purpose's grant in force at `at`.
    pub fn state_at(&self, at: Timestamp) -> ConsentState {
        let grants = Purpose::ALL
            .iter()
            .filter_map(|&purpose| {
                self.grant_in_force(purpose, at).map(|grant| ActiveGrant {
                    purpose,
                    since: grant.at,
                    wording_version: grant.wording_version.clone(),
                    recorded_by: grant.recorded_by.clone(),
                })
            })
            .collect();
        ConsentState { at, grants }
    }

    /// The periods during which `purpose` was allowed, oldest first; the last one has
    /// no end while the purpose is still allowed.
    ///
    /// A re-grant with new wording ends one period and starts the next at the same
    /// instant, so the periods never overlap and [`Period::contains`] agrees with
    /// [`Ledger::is_allowed`] at every instant. A grant withdrawn at its own instant
    /// leaves no period.
    pub fn allowed_periods(&self, purpose: Purpose) -> Vec<Period> {
        let mut periods: Vec<Period> = Vec::new();
        for event in self.events.iter().filter(|event| event.purpose == purpose) {
            if let Some(open) = periods.last_mut()
                && open.until.is_none()
            {
                open.until = Some(event.at);
            }
            // A period that ended at its own start (grant then change of mind
            // within one instant) was never in force.
            if periods
                .last()
                .is_some_and(|period| period.until == Some(period.from))
            {
                periods.pop();
            }
            if event.decision == Decision::Grant {
                periods.push(Period {
                    from: event.at,
                    until: None,
                    wording_version: event.wording_version.clone(),
                });
            }
        }
        periods
    }

    /// The grant event in force for `purpose` at `at`, if any.
    fn grant_in_force(&self, purpose: Purpose, at: Timestamp) -> Option<&ConsentEvent> {
        // Events are in time order, so those at or before `at` form a prefix.
        let up_to_at = self.events.partition_point(|event| event.at <= at);
        self.events
            .iter()
            .take(up_to_at)
            .rev()
            .find(|event| event.purpose == purpose)
            .filter(|event| event.decision == Decision::Grant)
    }
}

impl Serialize for Ledger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        LedgerView {
            person: &self.person,
            events: &self.events,
        }
        .serialize(serializer)
    }
}

/// The borrowed wire form of a [`Ledger`].
#[derive(Serialize)]
struct LedgerView<'a> {
    person: &'a PersonId,
    events: &'a [ConsentEvent],
}

/// The owned wire form of a [`Ledger`], before replay.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerRecord {
    person: PersonId,
    events: Vec<ConsentEvent>,
}

impl TryFrom<LedgerRecord> for Ledger {
    type Error = Error;

    fn try_from(record: LedgerRecord) -> Result<Self, Error> {
        Ledger::replay(record.person, record.events)
    }
}
