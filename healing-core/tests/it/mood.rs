//! Public-API tests of mood: property tests of summaries and a JSON round trip.

use healing_core::mood::{
    DateRange, MoodEntry, MoodSummary, NOTE_MAX_CHARS, Rating, Trend, Window, summarise,
};
use healing_core::timestamp::Timestamp;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

const FIRST_DAY: Date = date!(2026 - 01 - 05);

/// An entry `offset` days after [`FIRST_DAY`], recorded that evening.
fn entry(offset: i64, mood: u8, sleep: Option<u8>, anxiety: Option<u8>) -> MoodEntry {
    let day = FIRST_DAY + Duration::days(offset);
    let evening = day.midnight().assume_utc().unix_timestamp() + 20 * 3600;
    let mut entry =
        MoodEntry::new(day, Timestamp::from_unix_seconds(evening).unwrap(), mood).unwrap();
    if let Some(sleep) = sleep {
        entry = entry.with_sleep(sleep).unwrap();
    }
    if let Some(anxiety) = anxiety {
        entry = entry.with_anxiety(anxiety).unwrap();
    }
    entry
}

fn entries() -> impl Strategy<Value = Vec<MoodEntry>> {
    prop::collection::vec(
        (
            0_i64..120,
            1_u8..=10,
            prop::option::of(0_u8..=10),
            prop::option::of(0_u8..=10),
        )
            .prop_map(|(offset, mood, sleep, anxiety)| entry(offset, mood, sleep, anxiety)),
        0..80,
    )
}

fn window() -> impl Strategy<Value = Window> {
    prop_oneof![
        Just(Window::All),
        (0_i64..120, 0_i64..60).prop_map(|(start, length)| {
            let first = FIRST_DAY + Duration::days(start);
            Window::Dates(DateRange::new(first, first + Duration::days(length)).unwrap())
        }),
    ]
}

fn assert_statistics_within_their_range(summary: &MoodSummary) {
    for statistics in [&summary.mood, &summary.sleep, &summary.anxiety]
        .into_iter()
        .flatten()
    {
        let (min, max) = (f64::from(statistics.min), f64::from(statistics.max));
        assert!(
            min <= statistics.mean && statistics.mean <= max,
            "{statistics:?}"
        );
        assert!(
            min <= statistics.median && statistics.median <= max,
            "{statistics:?}"
        );
        assert!(statistics.days <= statistics.entries);
        for spread in [
            statistics.standard_deviation,
            statistics.mean_absolute_successive_difference,
        ]
        .into_iter()
        .flatten()
        {
            assert!((0.0..=max - min).contains(&spread), "{statistics:?}");
        }
    }
    if let Some(mood) = &summary.mood {
        for weekday in summary.weekdays.iter().filter_map(|weekday| weekday.mean) {
            assert!(f64::from(mood.min) <= weekday && weekday <= f64::from(mood.max));
        }
    }
    if let Trend::Estimated(estimate) = &summary.trend {
        assert!(estimate.slope_per_week.is_finite());
        assert!(estimate.standard_error_per_week >= 0.0);
        assert!(
            estimate
                .r_squared
                .is_none_or(|r_squared| (0.0..=1.0).contains(&r_squared))
        );
    }
}

proptest! {
    #[test]
    fn statistics_stay_within_the_lowest_and_highest_entry(
        entries in entries(),
        window in window(),
        today in 0_i64..150,
    ) {
        let summary = summarise(&entries, window, FIRST_DAY + Duration::days(today));
        assert_statistics_within_their_range(&summary);
        prop_assert_eq!(
            summary.weekdays.iter().map(|weekday| weekday.days).sum::<usize>(),
            summary.days_logged
        );
        if let Some(longest) = summary.streaks.longest {
            prop_assert!(summary.streaks.current.is_none_or(|current| current.days <= longest.days));
            prop_assert!(longest.days as usize <= summary.days_logged);
        }
    }

    #[test]
    fn reordering_the_entries_gives_the_same_summary(
        (entries, shuffled) in entries().prop_flat_map(|entries| {
            let shuffled = Just(entries.clone()).prop_shuffle();
            (Just(entries), shuffled)
        }),
        window in window(),
    ) {
        let today = FIRST_DAY + Duration::days(100);
        prop_assert_eq!(
            summarise(&entries, window, today),
            summarise(&shuffled, window, today)
        );
    }

    #[test]
    fn building_an_entry_never_panics_and_accepts_exactly_the_scales(
        mood in any::<u8>(),
        sleep in any::<u8>(),
        anxiety in any::<u8>(),
        note in ".{0,40}",
        days_ahead in -3_i64..4,
    ) {
        let recorded_at = Timestamp::parse_rfc3339("2026-03-01T12:00:00Z").unwrap();
        let day = recorded_at.date() + Duration::days(days_ahead);
        let built = MoodEntry::new(day, recorded_at, mood)
            .and_then(|entry| entry.with_sleep(sleep))
            .and_then(|entry| entry.with_anxiety(anxiety))
            .and_then(|entry| entry.with_note(note.clone()));
        let in_scales = (Rating::Mood.min()..=Rating::Mood.max()).contains(&mood)
            && sleep <= Rating::Sleep.max()
            && anxiety <= Rating::Anxiety.max();
        let clean_note = !note
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        prop_assert_eq!(built.is_ok(), in_scales && clean_note && days_ahead <= 1);
    }

    #[test]
    fn deserialising_arbitrary_json_never_panics(text in ".{0,200}") {
        let _ = serde_json::from_str::<MoodEntry>(&text);
        let _ = serde_json::from_str::<Window>(&text);
    }
}

#[test]
fn summary_round_trips_through_json() {
    let entries: Vec<MoodEntry> = (0..30)
        .map(|offset| {
            entry(
                offset,
                1 + u8::try_from(offset % 10).unwrap(),
                Some(5),
                None,
            )
        })
        .collect();
    let summary = summarise(&entries, Window::All, FIRST_DAY + Duration::days(29));
    let json = serde_json::to_string(&summary).unwrap();
    let back: MoodSummary = serde_json::from_str(&json).unwrap();
    // serde_json's default float parser may land an ulp away, so numbers are compared
    // with a tolerance and everything else exactly.
    let again = serde_json::to_value(&back).unwrap();
    assert_json_close(&again, &serde_json::to_value(&summary).unwrap());
}

fn assert_json_close(left: &serde_json::Value, right: &serde_json::Value) {
    use serde_json::Value;
    match (left, right) {
        (Value::Number(l), Value::Number(r)) => {
            let (l, r) = (l.as_f64().unwrap(), r.as_f64().unwrap());
            assert!((l - r).abs() <= 1e-12 * r.abs().max(1.0), "{l} != {r}");
        }
        (Value::Array(l), Value::Array(r)) => {
            assert_eq!(l.len(), r.len());
            l.iter().zip(r).for_each(|(l, r)| assert_json_close(l, r));
        }
        (Value::Object(l), Value::Object(r)) => {
            assert_eq!(l.keys().collect::<Vec<_>>(), r.keys().collect::<Vec<_>>());
            l.values()
                .zip(r.values())
                .for_each(|(l, r)| assert_json_close(l, r));
        }
        _ => assert_eq!(left, right),
    }
}

#[test]
fn note_limit_is_counted_in_characters_not_bytes() {
    let emoji_note = "🙂".repeat(NOTE_MAX_CHARS);
    let built = entry(0, 5, None, None).with_note(emoji_note).unwrap();
    assert_eq!(built.note().map(str::len), Some(4 * NOTE_MAX_CHARS));
}
