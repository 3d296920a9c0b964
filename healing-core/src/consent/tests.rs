//! Unit tests of the consent ledger, written as event scripts.

use std::fmt::Write as _;

use expect_test::{Expect, expect};

use super::*;
use crate::ids::PersonId;
use crate::timestamp::Timestamp;

const SUBJECT: &str = "patient-1";

/// Appends each scripted event to a ledger for [`SUBJECT`], then compares the outcome
/// of every append and the resulting allowed periods with `expect`.
///
/// Script lines: `<grant|withdraw> <purpose> <wording version> <rfc3339 time>`,
/// optionally followed by `staff=<id>` (recorded by staff) or `person=<id>` (the
/// event is about someone else).
fn check(script: &str, expect: Expect) {
    let mut ledger = Ledger::new(person(SUBJECT));
    let mut out = String::new();
    for line in script
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        let outcome = match event(line) {
            Ok(event) => ledger
                .append(event)
                .map_or_else(|error| format!("error: {error}"), |()| "ok".to_owned()),
            Err(error) => format!("error: {error}"),
        };
        let _ = writeln!(out, "{line} -> {outcome}");
    }
    for purpose in Purpose::ALL {
        for period in ledger.allowed_periods(purpose) {
            let until = period
                .until
                .map_or("open".to_owned(), |until| until.to_string());
            let _ = writeln!(
                out,
                "{purpose}: {}..{until} ({})",
                period.from, period.wording_version
            );
        }
    }
    expect.assert_eq(&out);
}

fn person(id: &str) -> PersonId {
    PersonId::new(id).unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

fn event(line: &str) -> Result<ConsentEvent, Error> {
    let words: Vec<&str> = line.split(' ').collect();
    let decision = match words[0] {
        "grant" => Decision::Grant,
        "withdraw" => Decision::Withdraw,
        other => panic!("unknown decision {other}"),
    };
    let purpose = Purpose::ALL
        .into_iter()
        .find(|purpose| purpose.as_str() == words[1])
        .unwrap();
    let option = |name: &str| words.iter().find_map(|word| word.strip_prefix(name));
    Ok(ConsentEvent {
        person: person(option("person=").unwrap_or(SUBJECT)),
        purpose,
        decision,
        at: at(words[3]),
        wording_version: WordingVersion::new(words[2])?,
        recorded_by: option("staff=")
            .map_or(RecordedBy::Subject, |id| RecordedBy::Staff(person(id))),
    })
}

#[test]
fn grant_then_withdraw_makes_one_closed_period() {
    check(
        "
        grant research research-v2 2026-03-01T09:00:00Z
        withdraw research research-v2 2026-06-01T12:00:00Z
        ",
        expect![[r#"
            grant research research-v2 2026-03-01T09:00:00Z -> ok
            withdraw research research-v2 2026-06-01T12:00:00Z -> ok
            research: 2026-03-01T09:00:00Z..2026-06-01T12:00:00Z (research-v2)
        "#]],
    );
}

#[test]
fn allows_at_the_grant_instant_but_not_at_the_withdrawal_instant() {
    let mut ledger = Ledger::new(person(SUBJECT));
    for line in [
        "grant ai_chat chat-v1 2026-03-01T09:00:00Z",
        "withdraw ai_chat chat-v1 2026-03-02T09:00:00Z",
    ] {
        ledger.append(event(line).unwrap()).unwrap();
    }
    let allowed = |time: &str| ledger.is_allowed(Purpose::AiChat, at(time));
    assert!(!allowed("2026-03-01T08:59:59Z"));
    assert!(allowed("2026-03-01T09:00:00Z"));
    assert!(allowed("2026-03-02T08:59:59Z"));
    assert!(!allowed("2026-03-02T09:00:00Z"));
}

#[test]
fn rejects_withdrawal_before_any_grant() {
    check(
        "withdraw research research-v2 2026-03-01T09:00:00Z",
        expect![[r#"
            withdraw research research-v2 2026-03-01T09:00:00Z -> error: withdrawal of research at 2026-03-01T09:00:00Z, but research was never granted
        "#]],
    );
}

#[test]
fn rejects_a_second_withdrawal() {
    check(
        "
        grant email_notifications email-v1 2026-03-01T09:00:00Z
        withdraw email_notifications email-v1 2026-03-02T09:00:00Z
        withdraw email_notifications email-v1 2026-03-03T09:00:00Z
        ",
        expect![[r#"
            grant email_notifications email-v1 2026-03-01T09:00:00Z -> ok
            withdraw email_notifications email-v1 2026-03-02T09:00:00Z -> ok
            withdraw email_notifications email-v1 2026-03-03T09:00:00Z -> error: withdrawal of email_notifications at 2026-03-03T09:00:00Z, but email_notifications was already withdrawn at 2026-03-02T09:00:00Z
            email_notifications: 2026-03-01T09:00:00Z..2026-03-02T09:00:00Z (email-v1)
        "#]],
    );
}

#[test]
fn rejects_granting_the_same_wording_twice_but_accepts_new_wording_as_a_new_period() {
    check(
        "
        grant research research-v2 2026-03-01T09:00:00Z
        grant research research-v2 2026-03-05T09:00:00Z
        grant research research-v3 2026-04-01T09:00:00Z
        ",
        expect![[r#"
            grant research research-v2 2026-03-01T09:00:00Z -> ok
            grant research research-v2 2026-03-05T09:00:00Z -> error: grant of research at 2026-03-05T09:00:00Z, but research is already granted with wording research-v2 since 2026-03-01T09:00:00Z
            grant research research-v3 2026-04-01T09:00:00Z -> ok
            research: 2026-03-01T09:00:00Z..2026-04-01T09:00:00Z (research-v2)
            research: 2026-04-01T09:00:00Z..open (research-v3)
        "#]],
    );
}

#[test]
fn regrants_after_withdrawal_open_a_new_period() {
    check(
        "
        grant clinician_sharing sharing-v1 2026-03-01T09:00:00Z
        withdraw clinician_sharing sharing-v1 2026-03-10T09:00:00Z
        grant clinician_sharing sharing-v1 2026-04-01T09:00:00Z
        ",
        expect![[r#"
            grant clinician_sharing sharing-v1 2026-03-01T09:00:00Z -> ok
            withdraw clinician_sharing sharing-v1 2026-03-10T09:00:00Z -> ok
            grant clinician_sharing sharing-v1 2026-04-01T09:00:00Z -> ok
            clinician_sharing: 2026-03-01T09:00:00Z..2026-03-10T09:00:00Z (sharing-v1)
            clinician_sharing: 2026-04-01T09:00:00Z..open (sharing-v1)
        "#]],
    );
}

#[test]
fn rejects_an_event_earlier_than_the_latest_but_accepts_the_same_instant() {
    check(
        "
        grant care care-v1 2026-03-01T09:00:00Z
        grant research research-v2 2026-03-01T09:00:00Z
        grant ai_chat chat-v1 2026-03-01T08:00:00Z
        withdraw care care-v1 2026-03-01T09:00:00Z
        ",
        expect![[r#"
            grant care care-v1 2026-03-01T09:00:00Z -> ok
            grant research research-v2 2026-03-01T09:00:00Z -> ok
            grant ai_chat chat-v1 2026-03-01T08:00:00Z -> error: event at 2026-03-01T08:00:00Z is earlier than the latest event in the ledger, at 2026-03-01T09:00:00Z
            withdraw care care-v1 2026-03-01T09:00:00Z -> ok
            research: 2026-03-01T09:00:00Z..open (research-v2)
        "#]],
    );
}

#[test]
fn rejects_an_event_for_another_person_or_recorded_by_the_subject_as_staff() {
    check(
        "
        grant care care-v1 2026-03-01T09:00:00Z person=patient-2
        grant care care-v1 2026-03-01T09:00:00Z staff=patient-1
        grant care care-v1 2026-03-01T09:00:00Z staff=clinician-7
        ",
        expect![[r#"
            grant care care-v1 2026-03-01T09:00:00Z person=patient-2 -> error: event is for person patient-2, but the ledger is for person patient-1
            grant care care-v1 2026-03-01T09:00:00Z staff=patient-1 -> error: event for person patient-1 is recorded by staff with the same id; use recorded_by subject
            grant care care-v1 2026-03-01T09:00:00Z staff=clinician-7 -> ok
            care: 2026-03-01T09:00:00Z..open (care-v1)
        "#]],
    );
}

#[test]
fn rejects_malformed_wording_versions() {
    check(
        "
        grant care care_v1! 2026-03-01T09:00:00Z
        ",
        expect![[r#"
            grant care care_v1! 2026-03-01T09:00:00Z -> error: wording version may hold only ascii letters, digits, '-', '_' and '.' (found '!')
        "#]],
    );
    assert_eq!(WordingVersion::new(""), Err(Error::EmptyWordingVersion));
    assert_eq!(
        WordingVersion::new("v".repeat(65)),
        Err(Error::WordingVersionTooLong { len: 65, max: 64 })
    );
}

#[test]
fn a_rejected_event_leaves_the_ledger_unchanged() {
    let mut ledger = Ledger::new(person(SUBJECT));
    ledger
        .append(event("grant care care-v1 2026-03-01T09:00:00Z").unwrap())
        .unwrap();
    let before = ledger.clone();
    let rejected = ledger.append(event("grant care care-v1 2026-03-02T09:00:00Z").unwrap());
    assert!(rejected.is_err());
    assert_eq!(ledger, before);
}

#[test]
fn replay_names_the_first_rejected_event() {
    let events = [
        "grant care care-v1 2026-03-01T09:00:00Z",
        "withdraw care care-v1 2026-03-02T09:00:00Z",
        "withdraw care care-v1 2026-03-03T09:00:00Z",
    ]
    .map(|line| event(line).unwrap());
    let error = Ledger::replay(person(SUBJECT), events).unwrap_err();
    expect!["event 2 cannot be replayed: withdrawal of care at 2026-03-03T09:00:00Z, but care was already withdrawn at 2026-03-02T09:00:00Z"].assert_eq(&error.to_string());
}

#[test]
fn state_lists_the_grants_in_force() {
    let mut ledger = Ledger::new(person(SUBJECT));
    for line in [
        "grant care care-v1 2026-03-01T09:00:00Z",
        "grant research research-v2 2026-03-01T09:00:00Z staff=clinician-7",
        "withdraw care care-v1 2026-03-05T09:00:00Z",
    ] {
        ledger.append(event(line).unwrap()).unwrap();
    }
    let state = ledger.state_at(at("2026-03-06T00:00:00Z"));
    assert!(state.is_allowed(Purpose::Research));
    assert!(!state.is_allowed(Purpose::Care));
    expect![[r#"{"at":"2026-03-06T00:00:00Z","grants":[{"purpose":"research","since":"2026-03-01T09:00:00Z","wording_version":"research-v2","recorded_by":{"staff":"clinician-7"}}]}"#]].assert_eq(&serde_json::to_string(&state).unwrap());
}

#[test]
fn ledger_json_is_its_events_and_deserialising_replays_them() {
    let mut ledger = Ledger::new(person(SUBJECT));
    ledger
        .append(event("grant ai_chat chat-v1 2026-03-01T09:00:00Z staff=clinician-7").unwrap())
        .unwrap();
    let json = serde_json::to_string(&ledger).unwrap();
    expect![[r#"{"person":"patient-1","events":[{"person":"patient-1","purpose":"ai_chat","decision":"grant","at":"2026-03-01T09:00:00Z","wording_version":"chat-v1","recorded_by":{"staff":"clinician-7"}}]}"#]].assert_eq(&json);
    assert_eq!(serde_json::from_str::<Ledger>(&json).unwrap(), ledger);

    let mut doubled: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = doubled["events"].as_array_mut().unwrap();
    events.push(events[0].clone());
    let error = serde_json::from_value::<Ledger>(doubled).unwrap_err();
    expect!["event 1 cannot be replayed: grant of ai_chat at 2026-03-01T09:00:00Z, but ai_chat is already granted with wording chat-v1 since 2026-03-01T09:00:00Z"].assert_eq(&error.to_string());
}

#[test]
fn a_change_of_mind_within_one_instant_is_ordered_by_sequence() {
    let mut ledger = Ledger::new(person(SUBJECT));
    for line in [
        "grant clinician_sharing sharing-v1 2026-03-01T09:00:00Z",
        "withdraw clinician_sharing sharing-v1 2026-03-01T09:00:00Z",
    ] {
        ledger.append(event(line).unwrap()).unwrap();
    }
    let instant = at("2026-03-01T09:00:00Z");
    assert!(!ledger.is_allowed(Purpose::ClinicianSharing, instant));
    assert!(ledger.allowed_periods(Purpose::ClinicianSharing).is_empty());
    ledger
        .append(event("grant clinician_sharing sharing-v1 2026-03-01T09:00:00Z").unwrap())
        .unwrap();
    assert!(ledger.is_allowed(Purpose::ClinicianSharing, instant));
    let replayed = Ledger::replay(person(SUBJECT), ledger.events().to_vec()).unwrap();
    assert_eq!(replayed, ledger);
}

#[test]
fn error_kind_is_the_snake_case_variant_name() {
    let empty = WordingVersion::new(String::new()).unwrap_err();
    assert_eq!(empty.kind(), "empty_wording_version");
    let person = PersonId::new("patient-1").unwrap();
    let staff = Error::StaffIsSubject { person };
    assert_eq!(staff.kind(), "staff_is_subject");
}
