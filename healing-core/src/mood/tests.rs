//! Unit tests of mood entries and summaries, written as small diaries.

use std::fmt::Write as _;

use expect_test::{Expect, expect};
use time::Date;
use time::format_description::well_known::Iso8601;

use super::*;
use crate::timestamp::Timestamp;

/// Reads a diary, summarises it and compares a plain-text rendering with `expect`.
///
/// Diary lines are `today <date>`, `window <first> <last>`, or an entry
/// `<day> mood=<n> [sleep=<n>] [anxiety=<n>] [at=<rfc3339>] [note=<rest of line>]`.
/// An entry recorded without `at=` is recorded at 21:00 UTC on its day. The first
/// entry error is rendered instead of a summary.
fn check(diary: &str, expect: Expect) {
    expect.assert_eq(&render_diary(diary));
}

fn render_diary(diary: &str) -> String {
    let mut today = None;
    let mut window = Window::All;
    let mut entries = Vec::new();
    for line in diary.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let mut words = line.split(' ');
        let first = words.next().unwrap();
        match first {
            "today" => today = Some(date(words.next().unwrap())),
            "window" => {
                let (first, last) = (date(words.next().unwrap()), date(words.next().unwrap()));
                match DateRange::new(first, last) {
                    Ok(range) => window = Window::Dates(range),
                    Err(error) => return format!("error: {error}"),
                }
            }
            day => match entry(date(day), line) {
                Ok(entry) => entries.push(entry),
                Err(error) => return format!("error: {error}"),
            },
        }
    }
    let today = today
        .or_else(|| entries.iter().map(MoodEntry::day).max())
        .unwrap_or(time::macros::date!(2026 - 01 - 01));
    render(&summarise(&entries, window, today))
}

fn date(text: &str) -> Date {
    Date::parse(text, &Iso8601::DEFAULT).unwrap()
}

fn entry(day: Date, line: &str) -> Result<MoodEntry, Error> {
    let field = |name: &str| {
        line.split(' ')
            .find_map(|word| word.strip_prefix(name)?.strip_prefix('='))
    };
    let number = |name: &str| field(name).map(|value| value.parse::<u8>().unwrap());
    let recorded_at = field("at").map_or_else(
        || {
            let seconds = day.midnight().assume_utc().unix_timestamp() + 21 * 3600;
            Timestamp::from_unix_seconds(seconds).unwrap()
        },
        |text| Timestamp::parse_rfc3339(text).unwrap(),
    );
    let mut entry = MoodEntry::new(day, recorded_at, number("mood").unwrap())?;
    if let Some(sleep) = number("sleep") {
        entry = entry.with_sleep(sleep)?;
    }
    if let Some(anxiety) = number("anxiety") {
        entry = entry.with_anxiety(anxiety)?;
    }
    if let Some((_, note)) = line.split_once("note=") {
        entry = entry.with_note(note.replace("\\n", "\n").replace("\\0", "\0"))?;
    }
    Ok(entry)
}

fn render(summary: &MoodSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "entries {}, days {}",
        summary.entries, summary.days_logged
    );
    for (name, statistics) in [
        ("mood", &summary.mood),
        ("sleep", &summary.sleep),
        ("anxiety", &summary.anxiety),
    ] {
        let _ = match statistics {
            None => writeln!(out, "{name}: none"),
            Some(s) => writeln!(
                out,
                "{name}: entries {} days {} mean {:.2} median {:.2} min {} max {} sd {} masd {}",
                s.entries,
                s.days,
                s.mean,
                s.median,
                s.min,
                s.max,
                optional(s.standard_deviation),
                optional(s.mean_absolute_successive_difference),
            ),
        };
    }
    let _ = match &summary.trend {
        Trend::InsufficientData { days, needed } => {
            writeln!(out, "trend: insufficient data ({days} of {needed} days)")
        }
        Trend::Estimated(t) => writeln!(
            out,
            "trend: {:?} ({:?} certainty), {:+.3}/week ± {:.3}, r² {}, {} days",
            t.direction,
            t.certainty,
            t.slope_per_week,
            t.standard_error_per_week,
            optional(t.r_squared),
            t.days
        ),
    };
    let streak = |streak: Option<Streak>| {
        streak.map_or("none".to_owned(), |s| {
            format!("{}..{} ({} days)", s.first_day, s.last_day, s.days)
        })
    };
    let _ = writeln!(
        out,
        "streaks: current {}, longest {}",
        streak(summary.streaks.current),
        streak(summary.streaks.longest)
    );
    let weekdays: Vec<String> = summary
        .weekdays
        .iter()
        .map(|w| format!("{:?} {} ({})", w.weekday, optional(w.mean), w.days))
        .collect();
    let _ = writeln!(out, "weekdays: {}", weekdays.join(", "));
    for day in &summary.notable_days {
        let reasons: Vec<String> = day
            .reasons
            .iter()
            .map(|reason| match reason {
                NotableReason::FarBelowMean {
                    standard_deviations,
                } => format!("{standard_deviations:.2} sd below mean"),
                NotableReason::FarAboveMean {
                    standard_deviations,
                } => format!("{standard_deviations:.2} sd above mean"),
                NotableReason::DropFromPreviousDay { previous, points } => {
                    format!("dropped {points:.2} from {previous:.2}")
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "notable: {} mood {:.2}: {}",
            day.day,
            day.mood,
            reasons.join("; ")
        );
    }
    out
}

fn optional(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |value| format!("{value:.2}"))
}

/// A diary line for each of `days` consecutive days from 2026-03-02 (a Monday).
fn daily(days: i64, mood: impl Fn(i64) -> u8) -> String {
    let first = time::macros::date!(2026 - 03 - 02);
    (0..days)
        .map(|offset| {
            let day = first + time::Duration::days(offset);
            format!("{day} mood={}\n", mood(offset))
        })
        .collect()
}

#[test]
fn rejects_mood_below_one_and_above_ten() {
    check(
        "2026-03-01 mood=0",
        expect![[r#"error: mood is 0, outside the range 1 to 10"#]],
    );
    check(
        "2026-03-01 mood=11",
        expect![[r#"error: mood is 11, outside the range 1 to 10"#]],
    );
}

#[test]
fn rejects_sleep_and_anxiety_above_ten() {
    check(
        "2026-03-01 mood=5 sleep=11",
        expect![[r#"error: sleep is 11, outside the range 0 to 10"#]],
    );
    check(
        "2026-03-01 mood=5 anxiety=12",
        expect![[r#"error: anxiety is 12, outside the range 0 to 10"#]],
    );
}

#[test]
fn accepts_the_ends_of_every_scale() {
    check(
        "2026-03-01 mood=1 sleep=0 anxiety=0\n2026-03-02 mood=10 sleep=10 anxiety=10",
        expect![[r#"
            entries 2, days 2
            mood: entries 2 days 2 mean 5.50 median 5.50 min 1 max 10 sd 6.36 masd 9.00
            sleep: entries 2 days 2 mean 5.00 median 5.00 min 0 max 10 sd 7.07 masd 10.00
            anxiety: entries 2 days 2 mean 5.00 median 5.00 min 0 max 10 sd 7.07 masd 10.00
            trend: insufficient data (2 of 7 days)
            streaks: current 2026-03-01..2026-03-02 (2 days), longest 2026-03-01..2026-03-02 (2 days)
            weekdays: Monday 10.00 (1), Tuesday - (0), Wednesday - (0), Thursday - (0), Friday - (0), Saturday - (0), Sunday 1.00 (1)
        "#]],
    );
}

#[test]
fn rejects_a_note_over_two_thousand_characters() {
    let long = "é".repeat(NOTE_MAX_CHARS + 1);
    check(
        &format!("2026-03-01 mood=5 note={long}"),
        expect![[r#"error: note is 2001 characters long, above the maximum of 2000"#]],
    );
    let longest = "é".repeat(NOTE_MAX_CHARS);
    let entry = entry(date("2026-03-01"), &format!("mood=5 note={longest}")).unwrap();
    assert_eq!(entry.note().map(|note| note.chars().count()), Some(2_000));
}

#[test]
fn rejects_control_characters_in_a_note_but_keeps_line_breaks() {
    check(
        "2026-03-01 mood=5 note=fine\\0",
        expect![[r#"error: note contains the control character U+0000 at character 4"#]],
    );
    let entry = entry(date("2026-03-01"), "mood=5 note=slept\\nbadly").unwrap();
    assert_eq!(entry.note(), Some("slept\nbadly"));
}

#[test]
fn stores_a_blank_note_as_no_note() {
    let entry = entry(date("2026-03-01"), "mood=5 note=   ").unwrap();
    assert_eq!(entry.note(), None);
}

#[test]
fn rejects_a_day_that_had_not_begun_anywhere_when_recorded() {
    check(
        "2026-03-03 mood=5 at=2026-03-01T23:00:00Z",
        expect![[
            r#"error: entry is for 2026-03-03, after the day it was recorded (2026-03-01T23:00:00Z) in any time zone"#
        ]],
    );
    // 23:00 UTC is already the next day in Kiribati (UTC+14).
    assert!(entry(date("2026-03-02"), "mood=5 at=2026-03-01T23:00:00Z").is_ok());
}

#[test]
fn summarises_an_empty_window_without_statistics() {
    check(
        "today 2026-03-10",
        expect![[r#"
            entries 0, days 0
            mood: none
            sleep: none
            anxiety: none
            trend: insufficient data (0 of 7 days)
            streaks: current none, longest none
            weekdays: Monday - (0), Tuesday - (0), Wednesday - (0), Thursday - (0), Friday - (0), Saturday - (0), Sunday - (0)
        "#]],
    );
}

#[test]
fn averages_entries_of_the_same_day_but_keeps_single_entry_extremes() {
    check(
        "
        2026-03-02 mood=2
        2026-03-02 mood=8 sleep=4
        2026-03-02 mood=8
        2026-03-03 mood=5 sleep=6
        ",
        expect![[r#"
            entries 4, days 2
            mood: entries 4 days 2 mean 5.50 median 5.50 min 2 max 8 sd 0.71 masd 1.00
            sleep: entries 2 days 2 mean 5.00 median 5.00 min 4 max 6 sd 1.41 masd 2.00
            anxiety: none
            trend: insufficient data (2 of 7 days)
            streaks: current 2026-03-02..2026-03-03 (2 days), longest 2026-03-02..2026-03-03 (2 days)
            weekdays: Monday 6.00 (1), Tuesday 5.00 (1), Wednesday - (0), Thursday - (0), Friday - (0), Saturday - (0), Sunday - (0)
        "#]],
    );
}

#[test]
fn successive_differences_skip_pairs_with_a_missing_day_between() {
    // 2 -> 4 are consecutive (difference 2); 4 -> 9 has a gap and is skipped.
    check(
        "
        2026-03-02 mood=2
        2026-03-03 mood=4
        2026-03-05 mood=9
        ",
        expect![[r#"
            entries 3, days 3
            mood: entries 3 days 3 mean 5.00 median 4.00 min 2 max 9 sd 3.61 masd 2.00
            sleep: none
            anxiety: none
            trend: insufficient data (3 of 7 days)
            streaks: current 2026-03-05..2026-03-05 (1 days), longest 2026-03-02..2026-03-03 (2 days)
            weekdays: Monday 2.00 (1), Tuesday 4.00 (1), Wednesday - (0), Thursday 9.00 (1), Friday - (0), Saturday - (0), Sunday - (0)
        "#]],
    );
}

#[test]
fn reads_a_steady_rise_over_five_weeks_as_improving_with_high_certainty() {
    let diary = daily(35, |offset| 2 + u8::try_from(offset / 5).unwrap());
    let summary = render_diary(&diary);
    let trend = summary
        .lines()
        .find(|line| line.starts_with("trend"))
        .unwrap();
    expect!["trend: Improving (High certainty), +1.373/week ± 0.034, r² 0.98, 35 days"]
        .assert_eq(trend);
}

#[test]
fn reads_a_steady_fall_as_worsening() {
    let diary = daily(21, |offset| 9 - u8::try_from(offset / 3).unwrap());
    let summary = render_diary(&diary);
    let trend = summary
        .lines()
        .find(|line| line.starts_with("trend"))
        .unwrap();
    expect!["trend: Worsening (Moderate certainty), -2.291/week ± 0.072, r² 0.98, 21 days"]
        .assert_eq(trend);
}

#[test]
fn reads_a_flat_diary_as_stable_with_high_certainty() {
    let diary = daily(28, |_| 6);
    let summary = render_diary(&diary);
    let trend = summary
        .lines()
        .find(|line| line.starts_with("trend"))
        .unwrap();
    expect![[r#"trend: Stable (High certainty), +0.000/week ± 0.000, r² -, 28 days"#]]
        .assert_eq(trend);
}

#[test]
fn reads_a_short_noisy_diary_as_low_certainty() {
    let diary = daily(8, |offset| if offset % 2 == 0 { 3 } else { 8 });
    let summary = render_diary(&diary);
    let trend = summary
        .lines()
        .find(|line| line.starts_with("trend"))
        .unwrap();
    expect!["trend: Improving (Low certainty), +1.667/week ± 3.043, r² 0.05, 8 days"]
        .assert_eq(trend);
}

#[test]
fn needs_seven_days_for_a_trend() {
    let diary = daily(6, |offset| 1 + u8::try_from(offset).unwrap());
    let summary = render_diary(&diary);
    let trend = summary
        .lines()
        .find(|line| line.starts_with("trend"))
        .unwrap();
    expect![[r#"trend: insufficient data (6 of 7 days)"#]].assert_eq(trend);
}

#[test]
fn keeps_the_current_streak_alive_until_a_whole_day_is_missed() {
    let diary = "
        2026-03-02 mood=5
        2026-03-03 mood=5
        2026-03-05 mood=5
        2026-03-06 mood=5
        2026-03-07 mood=5
        ";
    let streaks = |today: &str| {
        let summary = render_diary(&format!("today {today}\n{diary}"));
        summary
            .lines()
            .find(|line| line.starts_with("streaks"))
            .unwrap()
            .to_owned()
    };
    expect![[r#"streaks: current 2026-03-05..2026-03-07 (3 days), longest 2026-03-05..2026-03-07 (3 days)"#]]
        .assert_eq(&streaks("2026-03-07"));
    expect![[r#"streaks: current 2026-03-05..2026-03-07 (3 days), longest 2026-03-05..2026-03-07 (3 days)"#]]
        .assert_eq(&streaks("2026-03-08"));
    expect![[r#"streaks: current none, longest 2026-03-05..2026-03-07 (3 days)"#]]
        .assert_eq(&streaks("2026-03-09"));
}

#[test]
fn picks_the_most_recent_of_equally_long_streaks() {
    check(
        "
        today 2026-03-20
        2026-03-02 mood=5
        2026-03-03 mood=5
        2026-03-10 mood=5
        2026-03-11 mood=5
        ",
        expect![[r#"
            entries 4, days 4
            mood: entries 4 days 4 mean 5.00 median 5.00 min 5 max 5 sd 0.00 masd 0.00
            sleep: none
            anxiety: none
            trend: insufficient data (4 of 7 days)
            streaks: current none, longest 2026-03-10..2026-03-11 (2 days)
            weekdays: Monday 5.00 (1), Tuesday 5.00 (2), Wednesday 5.00 (1), Thursday - (0), Friday - (0), Saturday - (0), Sunday - (0)
        "#]],
    );
}

#[test]
fn flags_a_drop_of_exactly_three_points_from_the_previous_day() {
    // Daily means 7 and 4 (from 3 and 5): exactly three points lower.
    check(
        "
        2026-03-02 mood=7
        2026-03-03 mood=3
        2026-03-03 mood=5
        2026-03-05 mood=1
        ",
        expect![[r#"
            entries 4, days 3
            mood: entries 4 days 3 mean 4.00 median 4.00 min 1 max 7 sd 3.00 masd 3.00
            sleep: none
            anxiety: none
            trend: insufficient data (3 of 7 days)
            streaks: current 2026-03-05..2026-03-05 (1 days), longest 2026-03-02..2026-03-03 (2 days)
            weekdays: Monday 7.00 (1), Tuesday 4.00 (1), Wednesday - (0), Thursday 1.00 (1), Friday - (0), Saturday - (0), Sunday - (0)
            notable: 2026-03-03 mood 4.00: dropped 3.00 from 7.00
        "#]],
    );
}

#[test]
fn flags_a_day_far_below_the_window_mean() {
    let mut diary = daily(13, |_| 7);
    diary.push_str("2026-03-15 mood=1\n");
    let summary = render_diary(&diary);
    let notable: Vec<&str> = summary
        .lines()
        .filter(|line| line.starts_with("notable"))
        .collect();
    expect![[r#"["notable: 2026-03-15 mood 1.00: 3.47 sd below mean; dropped 6.00 from 7.00"]"#]]
        .assert_eq(&format!("{notable:?}"));
}

#[test]
fn summarises_only_the_days_inside_a_date_range() {
    check(
        "
        window 2026-03-03 2026-03-04
        today 2026-03-04
        2026-03-02 mood=1
        2026-03-03 mood=6
        2026-03-04 mood=8
        2026-03-05 mood=10
        ",
        expect![[r#"
            entries 2, days 2
            mood: entries 2 days 2 mean 7.00 median 7.00 min 6 max 8 sd 1.41 masd 2.00
            sleep: none
            anxiety: none
            trend: insufficient data (2 of 7 days)
            streaks: current 2026-03-03..2026-03-04 (2 days), longest 2026-03-03..2026-03-04 (2 days)
            weekdays: Monday - (0), Tuesday 6.00 (1), Wednesday 8.00 (1), Thursday - (0), Friday - (0), Saturday - (0), Sunday - (0)
        "#]],
    );
}

#[test]
fn rejects_a_date_range_that_ends_before_it_starts() {
    check(
        "window 2026-03-05 2026-03-04",
        expect![[r#"error: date range starts on 2026-03-05, after its last day 2026-03-04"#]],
    );
}

#[test]
fn entry_json_uses_iso_dates_and_deserialising_runs_the_checks() {
    let entry = entry(date("2026-03-01"), "mood=6 sleep=7 note=walked").unwrap();
    let json = serde_json::to_string(&entry).unwrap();
    expect![[r#"{"day":"2026-03-01","recorded_at":"2026-03-01T21:00:00Z","mood":6,"sleep":7,"anxiety":null,"note":"walked"}"#]]
        .assert_eq(&json);
    assert_eq!(serde_json::from_str::<MoodEntry>(&json).unwrap(), entry);

    let too_high = json.replace("\"mood\":6", "\"mood\":11");
    expect![[r#"mood is 11, outside the range 1 to 10"#]].assert_eq(
        &serde_json::from_str::<MoodEntry>(&too_high)
            .unwrap_err()
            .to_string(),
    );
    let unknown = json.replace("\"note\"", "\"diary\"");
    assert!(serde_json::from_str::<MoodEntry>(&unknown).is_err());
}

#[test]
fn summary_json_names_enums_in_snake_case() {
    let range = DateRange::new(date("2026-03-01"), date("2026-03-31")).unwrap();
    expect![[r#"{"dates":{"first":"2026-03-01","last":"2026-03-31"}}"#]]
        .assert_eq(&serde_json::to_string(&Window::Dates(range)).unwrap());
    expect![[r#""all""#]].assert_eq(&serde_json::to_string(&Window::All).unwrap());
    expect![[r#"{"insufficient_data":{"days":2,"needed":7}}"#]].assert_eq(
        &serde_json::to_string(&Trend::InsufficientData { days: 2, needed: 7 }).unwrap(),
    );
    let reversed = r#"{"dates":{"first":"2026-03-31","last":"2026-03-01"}}"#;
    assert!(serde_json::from_str::<Window>(reversed).is_err());
}

#[test]
fn error_kind_is_the_snake_case_variant_name() {
    assert_eq!(
        Error::NoteTooLong { chars: 2, max: 1 }.kind(),
        "note_too_long"
    );
    let control = Error::NoteControlCharacter {
        code_point: 7,
        position: 0,
    };
    assert_eq!(control.kind(), "note_control_character");
}

#[test]
fn daily_moods_are_the_means_the_summary_works_from_in_date_order() {
    let entries: Vec<MoodEntry> = [
        ("2026-03-05", "mood=3"),
        ("2026-03-02", "mood=8"),
        ("2026-03-05", "mood=6"),
        ("2026-02-27", "mood=1"),
        ("2026-03-10", "mood=5"),
    ]
    .iter()
    .map(|(day, line)| entry(date(day), line).unwrap())
    .collect();
    let range = DateRange::new(date("2026-03-01"), date("2026-03-09")).unwrap();
    let daily = daily_moods(&entries, Window::Dates(range));
    let points: Vec<(String, f64, usize)> = daily
        .iter()
        .map(|day| (day.day.to_string(), day.mood, day.entries))
        .collect();
    assert_eq!(
        points,
        [
            ("2026-03-02".to_owned(), 8.0, 1),
            ("2026-03-05".to_owned(), 4.5, 2)
        ]
    );
    let summary = summarise(&entries, Window::Dates(range), date("2026-03-09"));
    assert_eq!(summary.days_logged, daily.len());
    assert_eq!(
        serde_json::to_value(daily[1]).unwrap(),
        serde_json::json!({ "day": "2026-03-05", "mood": 4.5, "entries": 2 })
    );
}
