//! Public-API tests of consent: property tests of the ledger's folds and rules.

use healing_core::consent::{
    ConsentEvent, Decision, Error, Ledger, Purpose, RecordedBy, WordingVersion,
};
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use proptest::prelude::*;

const START: i64 = 1_772_355_600; // 2026-03-01T09:00:00Z

fn person(id: &str) -> PersonId {
    PersonId::new(id).unwrap()
}

fn subject() -> PersonId {
    person("patient-1")
}

fn instant(seconds_after_start: i64) -> Timestamp {
    Timestamp::from_unix_seconds(START + seconds_after_start).unwrap()
}

/// Event scripts that are mostly, but not always, valid: steps may go back in time,
/// name another person, repeat a decision or reuse a wording version.
fn scripts() -> impl Strategy<Value = Vec<ConsentEvent>> {
    let step = (
        -2_i64..6,
        0_usize..Purpose::ALL.len(),
        prop::bool::weighted(0.6),
        0_u8..3,
        prop::bool::weighted(0.05),
        0_u8..3,
    );
    prop::collection::vec(step, 0..40).prop_map(|steps| {
        let mut seconds = 0;
        steps
            .into_iter()
            .map(|(delta, purpose, grant, version, other_person, recorder)| {
                seconds += delta;
                ConsentEvent {
                    person: if other_person {
                        person("patient-2")
                    } else {
                        subject()
                    },
                    purpose: Purpose::ALL[purpose],
                    decision: if grant {
                        Decision::Grant
                    } else {
                        Decision::Withdraw
                    },
                    at: instant(seconds),
                    wording_version: WordingVersion::new(format!("v{version}")).unwrap(),
                    recorded_by: match recorder {
                        0 => RecordedBy::Staff(person("clinician-7")),
                        1 => RecordedBy::Staff(subject()),
                        _ => RecordedBy::Subject,
                    },
                }
            })
            .collect()
    })
}

/// Appends every event, keeping the ones the ledger accepts.
fn ledger_from(script: Vec<ConsentEvent>) -> Ledger {
    let mut ledger = Ledger::new(subject());
    for event in script {
        let before = ledger.clone();
        if ledger.append(event).is_err() {
            assert_eq!(ledger, before, "a rejected event changed the ledger");
        }
    }
    ledger
}

proptest! {
    #[test]
    fn replaying_a_ledgers_events_gives_the_same_ledger_and_state(
        script in scripts(),
        probe in -5_i64..250,
    ) {
        let ledger = ledger_from(script);
        let replayed = Ledger::replay(subject(), ledger.events().to_vec()).unwrap();
        prop_assert_eq!(&replayed, &ledger);
        prop_assert_eq!(replayed.state_at(instant(probe)), ledger.state_at(instant(probe)));
    }

    #[test]
    fn is_allowed_agrees_with_allowed_periods_at_every_instant(script in scripts()) {
        let ledger = ledger_from(script);
        let last = ledger.events().last().map_or(0, |event| event.at.unix_seconds() - START);
        for purpose in Purpose::ALL {
            let periods = ledger.allowed_periods(purpose);
            for pair in periods.windows(2) {
                prop_assert!(pair[0].until.is_some_and(|until| until <= pair[1].from));
            }
            for seconds in -1..=last + 1 {
                let at = instant(seconds);
                let in_a_period = periods.iter().any(|period| period.contains(at));
                prop_assert_eq!(ledger.is_allowed(purpose, at), in_a_period);
                prop_assert_eq!(ledger.state_at(at).is_allowed(purpose), in_a_period);
            }
        }
    }

    #[test]
    fn ledger_round_trips_through_json(script in scripts()) {
        let ledger = ledger_from(script);
        let json = serde_json::to_string(&ledger).unwrap();
        prop_assert_eq!(serde_json::from_str::<Ledger>(&json).unwrap(), ledger);
    }

    #[test]
    fn replaying_any_script_never_panics(script in scripts()) {
        let _ = Ledger::replay(subject(), script);
    }

    #[test]
    fn deserialising_arbitrary_json_never_panics(text in ".{0,200}") {
        let _ = serde_json::from_str::<Ledger>(&text);
        let _ = serde_json::from_str::<ConsentEvent>(&text);
        let _ = serde_json::from_str::<WordingVersion>(&text);
    }

    #[test]
    fn wording_versions_accept_exactly_the_documented_characters(text in "[ -~]{0,70}") {
        let valid = !text.is_empty()
            && text.len() <= WordingVersion::MAX_LEN
            && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        prop_assert_eq!(WordingVersion::new(text).is_ok(), valid);
    }
}

#[test]
fn withdrawal_is_not_retrospective() {
    let event = |decision, seconds| ConsentEvent {
        person: subject(),
        purpose: Purpose::Research,
        decision,
        at: instant(seconds),
        wording_version: WordingVersion::new("research-v2").unwrap(),
        recorded_by: RecordedBy::Subject,
    };
    let ledger = Ledger::replay(
        subject(),
        [event(Decision::Grant, 0), event(Decision::Withdraw, 100)],
    )
    .unwrap();
    assert!(ledger.is_allowed(Purpose::Research, instant(0)));
    assert!(ledger.is_allowed(Purpose::Research, instant(99)));
    assert!(!ledger.is_allowed(Purpose::Research, instant(100)));
    assert!(!ledger.is_allowed(Purpose::Research, instant(-1)));
}

#[test]
fn rejects_an_event_about_another_person() {
    let mut ledger = Ledger::new(subject());
    let event = ConsentEvent {
        person: person("patient-2"),
        purpose: Purpose::Care,
        decision: Decision::Grant,
        at: instant(0),
        wording_version: WordingVersion::new("care-v1").unwrap(),
        recorded_by: RecordedBy::Subject,
    };
    assert_eq!(
        ledger.append(event),
        Err(Error::WrongPerson {
            ledger: subject(),
            event: person("patient-2"),
        })
    );
    assert!(ledger.events().is_empty());
}
