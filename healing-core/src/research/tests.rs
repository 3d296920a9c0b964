//! Tests of the research privacy rules: fixed vectors for the keyed functions (so a
//! change to the scheme is seen), and properties that must hold for any input.

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::outcomes::Measure;
use crate::timestamp::Timestamp;

fn key(byte: u8) -> StudyKey {
    StudyKey::new(&[byte; 32]).expect("32 bytes is long enough")
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(seconds).expect("in range")
}

#[test]
fn short_study_keys_are_refused() {
    assert_eq!(
        StudyKey::new(&[1; 15]).map(|_| ()),
        Err(Error::StudyKeyTooShort {
            bytes: 15,
            minimum: 16
        })
    );
    assert_eq!(
        Error::StudyKeyTooShort {
            bytes: 1,
            minimum: 16
        }
        .kind(),
        "study_key_too_short"
    );
}

#[test]
fn pseudonyms_are_keyed_and_stable() {
    let pseudonym = key(7).pseudonym("patient-1");
    assert_eq!(pseudonym.len(), 33);
    assert!(pseudonym.starts_with('p'));
    assert_eq!(pseudonym, key(7).pseudonym("patient-1"));
    assert_ne!(pseudonym, key(8).pseudonym("patient-1"));
    assert_ne!(pseudonym, key(7).pseudonym("patient-2"));
    assert!(!format!("{:?}", key(7)).contains("07070707"));
}

#[test]
fn dates_leave_shifted_truncated_or_as_recorded() {
    let day = date!(2026 - 11 - 19); // a Thursday
    assert_eq!(DatePolicy::Week.apply_to_day(day, 0), date!(2026 - 11 - 16));
    assert_eq!(
        DatePolicy::Month.apply_to_day(day, 0),
        date!(2026 - 11 - 01)
    );
    assert_eq!(DatePolicy::Day.apply_to_day(day, 5), day);
    assert_eq!(
        DatePolicy::Shift { max_days: 30 }.apply_to_day(day, -3),
        date!(2026 - 11 - 16)
    );
    assert_eq!(iso_day(date!(0999 - 01 - 02)), "0999-01-02");
    for name in ["shift", "week", "month", "day"] {
        assert_eq!(
            DatePolicy::from_name(name, 10).map(DatePolicy::name),
            Some(name)
        );
    }
    assert_eq!(DatePolicy::from_name("year", 10), None);
}

#[test]
fn redaction_replaces_uk_identifiers_and_known_names() {
    let redactor = Redactor::new(["Samira Okafor", "sam.o"]).expect("builds");
    let text = "Samira rang 07700 900123 from SW1A 1AA; NHS 943 476 5919, mail sam@example.org. Sam's fine, same as ever.";
    assert_eq!(
        redactor.redact(text),
        "[NAME] rang [PHONE] from [POSTCODE]; NHS [NHS_NUMBER], mail [EMAIL]. Sam's fine, same as ever."
    );
}

#[test]
fn the_last_score_of_the_session_day_counts() {
    let session = at(1_780_000_000);
    let scores = scores_at_session(
        session,
        [
            CompletedScore {
                instrument_id: "phq9",
                completed_at: at(1_780_000_000 - 600),
                total: 12,
            },
            CompletedScore {
                instrument_id: "phq9",
                completed_at: at(1_780_000_000 + 600),
                total: 10,
            },
            CompletedScore {
                instrument_id: "gad7",
                completed_at: at(1_780_000_000 - 86_400 * 2),
                total: 9,
            },
            CompletedScore {
                instrument_id: "pcl5",
                completed_at: at(1_780_000_000),
                total: 30,
            },
            CompletedScore {
                instrument_id: "epds",
                completed_at: at(1_780_000_000),
                total: 5,
            },
        ],
    );
    let measures: Vec<(Measure, u32)> = scores
        .iter()
        .map(|score| (score.measure, score.value.hundredths()))
        .collect();
    // The later PHQ-9 of the day; the PCL-5 of the day; no GAD-7 (two days
    // before); no EPDS (not a Talking Therapies measure).
    assert_eq!(measures, [(Measure::Phq9, 1000), (Measure::Pcl5, 3000)]);
}

proptest! {
    /// A date offset is never zero and never beyond its bound, so every person's
    /// dates move, and by no more than the study allows.
    #[test]
    fn date_offsets_stay_within_bounds(person in "[a-z0-9-]{1,24}", max_days in 1u16..=365) {
        let offset = key(3).date_offset_days(&person, max_days);
        prop_assert!(offset != 0);
        prop_assert!(offset.abs() <= i64::from(max_days));
    }

    /// Redaction never panics, and never leaves an email address or a run of ten
    /// digits (an NHS number) behind.
    #[test]
    fn redaction_leaves_no_email_or_nhs_number(prefix in "\\PC{0,40}", digits in "[0-9]{10}", suffix in "\\PC{0,40}") {
        let redactor = Redactor::new(["Alex Smith"]).expect("builds");
        let text = format!("{prefix} {digits} someone@example.org {suffix}");
        let redacted = redactor.redact(&text);
        prop_assert!(!redacted.contains("someone@example.org"));
        prop_assert!(!redacted.contains(&digits));
    }

    /// Only scores from the session's own day count, and at most one per measure.
    #[test]
    fn session_scores_come_from_the_session_day(offsets in prop::collection::vec((-200_000i64..200_000, 0i32..28), 0..12)) {
        let session = at(1_780_000_000);
        let completed: Vec<CompletedScore<'_>> = offsets
            .iter()
            .map(|(offset, total)| CompletedScore { instrument_id: "phq9", completed_at: at(1_780_000_000 + offset), total: *total })
            .collect();
        let scores = scores_at_session(session, completed.iter().copied());
        prop_assert!(scores.len() <= 1);
        let same_day = completed.iter().any(|score| score.completed_at.date() == session.date());
        prop_assert_eq!(scores.len() == 1, same_day);
    }
}
