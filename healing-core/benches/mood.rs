//! Benchmark of `mood::summarise` over three years of daily entries.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use healing_core::mood::{DateRange, MoodEntry, Window, summarise};
use healing_core::timestamp::Timestamp;
use time::Duration;
use time::macros::date;

/// Three years of daily entries (1,096 days), in reverse order so the sort does work,
/// with a second entry on every fifth day and sleep and anxiety on most days.
fn three_years_of_entries() -> Vec<MoodEntry> {
    let first = date!(2023 - 01 - 01);
    let mut entries = Vec::new();
    for offset in (0..1_096_i64).rev() {
        let day = first + Duration::days(offset);
        let evening = day.midnight().assume_utc().unix_timestamp() + 21 * 3600;
        let recorded_at = Timestamp::from_unix_seconds(evening).expect("valid instant");
        // A deterministic wobble between 1 and 10 with a weekly rhythm.
        let mood = u8::try_from(1 + (offset * 7 + offset / 7) % 10).expect("small");
        let mut entry = MoodEntry::new(day, recorded_at, mood).expect("valid entry");
        if offset % 4 != 0 {
            let sleep = u8::try_from(offset % 11).expect("small");
            entry = entry.with_sleep(sleep).expect("valid sleep");
            entry = entry.with_anxiety(10 - sleep).expect("valid anxiety");
        }
        entries.push(entry);
        if offset % 5 == 0 {
            let later = MoodEntry::new(day, recorded_at, 11 - mood).expect("valid entry");
            entries.push(later.with_note("second check-in").expect("valid note"));
        }
    }
    entries
}

fn bench_summarise(c: &mut Criterion) {
    let entries = three_years_of_entries();
    let today = date!(2026 - 01 - 01);
    c.bench_function("summarise 3 years of daily entries, all", |b| {
        b.iter(|| summarise(black_box(&entries), Window::All, today));
    });
    let last_quarter =
        Window::Dates(DateRange::new(date!(2025 - 10 - 01), date!(2025 - 12 - 31)).expect("range"));
    c.bench_function("summarise 3 years of daily entries, last 92 days", |b| {
        b.iter(|| summarise(black_box(&entries), last_quarter, today));
    });
}

criterion_group!(benches, bench_summarise);
criterion_main!(benches);
