//! Summaries of mood entries over a window: statistics, trend, streaks, weekday
//! pattern and stand-out days.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Error, MoodEntry, Rating, calendar_date};

/// Fewest logged days needed before a trend is estimated.
///
/// A week of data is the least that spans every weekday once, so a weekly rhythm
/// cannot pass for a trend. Project convention, not a published cut-off.
pub const TREND_MIN_DAYS: usize = 7;

/// Slopes smaller than this many points per week, either way, read as
/// [`Direction::Stable`].
///
/// A quarter of a point a week is about one point a month on the 1-10 scale; slower
/// drift is not something a person or clinician would notice or act on. Project
/// convention, not a published cut-off.
pub const TREND_STABLE_BAND_PER_WEEK: f64 = 0.25;

/// Fewest logged days for a [`Certainty::Moderate`] trend reading.
pub const TREND_MODERATE_MIN_DAYS: usize = 14;

/// Fewest logged days for a [`Certainty::High`] trend reading.
pub const TREND_HIGH_MIN_DAYS: usize = 28;

/// For [`Certainty::Moderate`]: a rising or falling slope must be at least this many
/// standard errors from zero, and a stable slope must stay inside the stable band
/// when widened by this many standard errors.
///
/// Two standard errors is roughly a 95% interval; see the module notes on why this is
/// a guide and not a significance test.
pub const TREND_MODERATE_STANDARD_ERRORS: f64 = 2.0;

/// For [`Certainty::High`]: as [`TREND_MODERATE_STANDARD_ERRORS`], with this many
/// standard errors.
pub const TREND_HIGH_STANDARD_ERRORS: f64 = 3.0;

/// A day stands out when its daily mean is more than this many standard deviations
/// (of daily means in the window) from the window's mean.
pub const NOTABLE_STANDARD_DEVIATIONS: f64 = 2.0;

/// Fewest logged days before days are compared with the window's standard deviation;
/// with fewer days the standard deviation is too unsteady to judge by.
pub const NOTABLE_DEVIATION_MIN_DAYS: usize = 7;

/// A day stands out when its daily mean is at least this many points below the
/// previous calendar day's.
///
/// Three points is close to a third of the 1-10 scale in a single day. Project
/// convention, not a published cut-off.
pub const NOTABLE_DROP_POINTS: u8 = 3;

/// An inclusive range of calendar days, first day not after last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "UncheckedDateRange")]
pub struct DateRange {
    #[serde(with = "calendar_date")]
    first: Date,
    #[serde(with = "calendar_date")]
    last: Date,
}

impl DateRange {
    /// The days from `first` to `last`, both included.
    pub fn new(first: Date, last: Date) -> Result<Self, Error> {
        if first > last {
            return Err(Error::RangeReversed { first, last });
        }
        Ok(Self { first, last })
    }

    /// The first day in the range.
    pub fn first(&self) -> Date {
        self.first
    }

    /// The last day in the range.
    pub fn last(&self) -> Date {
        self.last
    }

    /// Whether `day` is in the range.
    pub fn contains(&self, day: Date) -> bool {
        self.first <= day && day <= self.last
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UncheckedDateRange {
    #[serde(with = "calendar_date")]
    first: Date,
    #[serde(with = "calendar_date")]
    last: Date,
}

impl TryFrom<UncheckedDateRange> for DateRange {
    type Error = Error;

    fn try_from(unchecked: UncheckedDateRange) -> Result<Self, Error> {
        DateRange::new(unchecked.first, unchecked.last)
    }
}

/// Which entries a summary looks at, by the day they are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// Every entry given.
    All,
    /// Entries whose day is in the range.
    Dates(DateRange),
}

impl Window {
    /// Whether an entry for `day` falls in this window.
    pub fn contains(&self, day: Date) -> bool {
        match self {
            Window::All => true,
            Window::Dates(range) => range.contains(day),
        }
    }
}

/// Descriptive statistics of one rating over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// Entries that hold this rating.
    pub entries: usize,
    /// Distinct days that hold this rating.
    pub days: usize,
    /// Mean of the daily means.
    pub mean: f64,
    /// Median of the daily means.
    pub median: f64,
    /// Lowest single entry.
    pub min: u8,
    /// Highest single entry.
    pub max: u8,
    /// Sample standard deviation (n - 1) of the daily means; `None` for fewer than two days.
    pub standard_deviation: Option<f64>,
    /// Mean absolute difference between the daily means of consecutive calendar days;
    /// `None` when no two logged days are consecutive.
    pub mean_absolute_successive_difference: Option<f64>,
}

/// Which way mood is heading, in plain words. Higher mood is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Rising by at least [`TREND_STABLE_BAND_PER_WEEK`] points a week.
    Improving,
    /// Changing by less than [`TREND_STABLE_BAND_PER_WEEK`] points a week.
    Stable,
    /// Falling by at least [`TREND_STABLE_BAND_PER_WEEK`] points a week.
    Worsening,
}

crate::wire_name::wire_names!(Direction {
    Improving => "improving",
    Stable => "stable",
    Worsening => "worsening",
});

/// How far the data back a trend's [`Direction`].
///
/// For a rising or falling trend, `|slope| >= k × standard error`; for a stable
/// trend, `|slope| + k × standard error < TREND_STABLE_BAND_PER_WEEK`; with
/// `k = TREND_HIGH_STANDARD_ERRORS` and at least [`TREND_HIGH_MIN_DAYS`] days for
/// `High`, `k = TREND_MODERATE_STANDARD_ERRORS` and at least
/// [`TREND_MODERATE_MIN_DAYS`] days for `Moderate`, and `Low` otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Too little or too noisy data: a hint, not a finding.
    Low,
    /// Enough data for the reading to be worth mentioning.
    Moderate,
    /// Enough data for the reading to be relied on for this window.
    High,
}

crate::wire_name::wire_names!(Certainty {
    Low => "low",
    Moderate => "moderate",
    High => "high",
});

/// A least-squares trend of daily mean mood against the calendar day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendEstimate {
    /// Change in mood per week (points per 7 days).
    pub slope_per_week: f64,
    /// Standard error of the slope, per week.
    pub standard_error_per_week: f64,
    /// Share of the day-to-day variance the straight line explains, 0 to 1; `None`
    /// when every day has the same mood.
    pub r_squared: Option<f64>,
    /// Logged days the line was fitted to.
    pub days: usize,
    /// The plain-words reading of the slope.
    pub direction: Direction,
    /// How far the data back the reading.
    pub certainty: Certainty,
}

/// The trend of mood over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Fewer logged days than [`TREND_MIN_DAYS`].
    InsufficientData {
        /// Logged days in the window.
        days: usize,
        /// Logged days needed.
        needed: usize,
    },
    /// A fitted trend.
    Estimated(TrendEstimate),
}

/// A run of consecutive calendar days with at least one entry each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Streak {
    /// First day of the run.
    #[serde(with = "calendar_date")]
    pub first_day: Date,
    /// Last day of the run.
    #[serde(with = "calendar_date")]
    pub last_day: Date,
    /// Number of days in the run.
    pub days: u32,
}

/// Logging streaks within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Streaks {
    /// The run that includes `today`, or yesterday if today has no entry yet.
    pub current: Option<Streak>,
    /// The longest run; the most recent one when several are equally long.
    pub longest: Option<Streak>,
}

/// A day of the week. Serialised in lower case (`monday`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

crate::wire_name::wire_names!(Weekday {
    Monday => "monday",
    Tuesday => "tuesday",
    Wednesday => "wednesday",
    Thursday => "thursday",
    Friday => "friday",
    Saturday => "saturday",
    Sunday => "sunday",
});

impl Weekday {
    /// All days, Monday first (ISO 8601 order).
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// Days from Monday: 0 for Monday to 6 for Sunday.
    pub const fn days_from_monday(self) -> usize {
        match self {
            Weekday::Monday => 0,
            Weekday::Tuesday => 1,
            Weekday::Wednesday => 2,
            Weekday::Thursday => 3,
            Weekday::Friday => 4,
            Weekday::Saturday => 5,
            Weekday::Sunday => 6,
        }
    }
}

impl From<time::Weekday> for Weekday {
    fn from(weekday: time::Weekday) -> Self {
        match weekday {
            time::Weekday::Monday => Weekday::Monday,
            time::Weekday::Tuesday => Weekday::Tuesday,
            time::Weekday::Wednesday => Weekday::Wednesday,
            time::Weekday::Thursday => Weekday::Thursday,
            time::Weekday::Friday => Weekday::Friday,
            time::Weekday::Saturday => Weekday::Saturday,
            time::Weekday::Sunday => Weekday::Sunday,
        }
    }
}

/// Mean mood on one day of the week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekdayMood {
    /// The day of the week.
    pub weekday: Weekday,
    /// Logged days that fell on this weekday.
    pub days: usize,
    /// Mean of their daily means; `None` when `days` is 0.
    pub mean: Option<f64>,
}

/// Why a day stands out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotableReason {
    /// More than [`NOTABLE_STANDARD_DEVIATIONS`] standard deviations below the window's mean.
    FarBelowMean {
        /// How many standard deviations below (positive).
        standard_deviations: f64,
    },
    /// More than [`NOTABLE_STANDARD_DEVIATIONS`] standard deviations above the window's mean.
    FarAboveMean {
        /// How many standard deviations above (positive).
        standard_deviations: f64,
    },
    /// At least [`NOTABLE_DROP_POINTS`] points below the previous calendar day.
    DropFromPreviousDay {
        /// The previous day's daily mean.
        previous: f64,
        /// How far mood fell (positive).
        points: f64,
    },
}

/// A day whose mood stands out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotableDay {
    /// The day.
    #[serde(with = "calendar_date")]
    pub day: Date,
    /// The day's mean mood.
    pub mood: f64,
    /// Every reason it stands out, in the order of [`NotableReason`]'s variants.
    pub reasons: Vec<NotableReason>,
}

/// Everything [`summarise`] found about the entries in a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoodSummary {
    /// The window summarised.
    pub window: Window,
    /// Entries in the window.
    pub entries: usize,
    /// Distinct days with at least one entry.
    pub days_logged: usize,
    /// Mood statistics; `None` when the window has no entries.
    pub mood: Option<Statistics>,
    /// Sleep statistics; `None` when no entry in the window rates sleep.
    pub sleep: Option<Statistics>,
    /// Anxiety statistics; `None` when no entry in the window rates anxiety.
    pub anxiety: Option<Statistics>,
    /// The mood trend.
    pub trend: Trend,
    /// Logging streaks.
    pub streaks: Streaks,
    /// Mean mood per weekday, Monday first.
    pub weekdays: [WeekdayMood; 7],
    /// Days that stand out, in date order.
    pub notable_days: Vec<NotableDay>,
}

/// Summarises the entries whose day is inside `window`; `today` is the person's
/// current local date, used only to find the current streak.
///
/// The input may be in any order and may hold several entries per day; see the
/// module documentation for how they are combined. The result is the same for any
/// ordering of the same entries.
pub fn summarise(entries: &[MoodEntry], window: Window, today: Date) -> MoodSummary {
    let days = daily_totals(entries, window);
    let mood = statistics(&days, Rating::Mood);
    let mean_and_deviation = mood
        .as_ref()
        .and_then(|stats| Some((stats.mean, stats.standard_deviation?)));
    MoodSummary {
        window,
        entries: days.iter().map(|day| day.mood.count).sum::<u64>() as usize,
        days_logged: days.len(),
        sleep: statistics(&days, Rating::Sleep),
        anxiety: statistics(&days, Rating::Anxiety),
        trend: trend(&days),
        streaks: streaks(&days, today),
        weekdays: weekday_means(&days),
        notable_days: notable_days(&days, mean_and_deviation),
        mood,
    }
}

/// One day's mean mood, a point of a chart over the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DailyMood {
    /// The day.
    #[serde(with = "calendar_date")]
    pub day: Date,
    /// The mean of the day's mood entries.
    pub mood: f64,
    /// How many entries the day has.
    pub entries: usize,
}

/// Each day inside `window` with at least one entry, in date order, with its mean
/// mood: the same daily means [`summarise`] works from, so a chart beside a
/// summary shows exactly what the summary describes.
pub fn daily_moods(entries: &[MoodEntry], window: Window) -> Vec<DailyMood> {
    daily_totals(entries, window)
        .iter()
        .map(|day| DailyMood {
            day: day.day,
            mood: day.mood_mean(),
            entries: usize::try_from(day.mood.count).unwrap_or(usize::MAX),
        })
        .collect()
}

/// Exact running totals of one rating on one day.
#[derive(Debug, Clone, Copy, Default)]
struct Total {
    sum: u64,
    count: u64,
    min: u8,
    max: u8,
}

impl Total {
    fn add(&mut self, value: u8) {
        if self.count == 0 {
            self.min = value;
            self.max = value;
        } else {
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
        self.sum += u64::from(value);
        self.count += 1;
    }

    fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }
}

/// All entries of one day, combined.
#[derive(Debug, Clone, Copy)]
struct DayTotals {
    day: Date,
    /// `day` as a Julian day number, so "is the next calendar day" is one integer
    /// comparison instead of calendar arithmetic in every pass.
    julian_day: i32,
    weekday: Weekday,
    mood: Total,
    sleep: Total,
    anxiety: Total,
}

impl DayTotals {
    /// Whether `self` is the calendar day right after `earlier`.
    fn follows(&self, earlier: &DayTotals) -> bool {
        i64::from(self.julian_day) == i64::from(earlier.julian_day) + 1
    }

    fn total(&self, rating: Rating) -> &Total {
        match rating {
            Rating::Mood => &self.mood,
            Rating::Sleep => &self.sleep,
            Rating::Anxiety => &self.anxiety,
        }
    }

    /// Mean mood; every entry has a mood, so every day has at least one.
    fn mood_mean(&self) -> f64 {
        self.mood.mean().unwrap_or_default()
    }
}

/// Combines the entries in `window` into one total per day, in date order.
///
/// Integer sums make the totals independent of the order of same-day entries, which
/// an unstable sort leaves arbitrary.
fn daily_totals(entries: &[MoodEntry], window: Window) -> Vec<DayTotals> {
    let mut in_window: Vec<&MoodEntry> = entries
        .iter()
        .filter(|entry| window.contains(entry.day()))
        .collect();
    in_window.sort_unstable_by_key(|entry| entry.day());

    let mut days: Vec<DayTotals> = Vec::new();
    for entry in in_window {
        if days.last().is_none_or(|last| last.day != entry.day()) {
            days.push(DayTotals {
                day: entry.day(),
                julian_day: entry.day().to_julian_day(),
                weekday: Weekday::from(entry.day().weekday()),
                mood: Total::default(),
                sleep: Total::default(),
                anxiety: Total::default(),
            });
        }
        if let Some(totals) = days.last_mut() {
            totals.mood.add(entry.mood());
            if let Some(sleep) = entry.sleep() {
                totals.sleep.add(sleep);
            }
            if let Some(anxiety) = entry.anxiety() {
                totals.anxiety.add(anxiety);
            }
        }
    }
    days
}

fn statistics(days: &[DayTotals], rating: Rating) -> Option<Statistics> {
    let mut entries = 0_u64;
    let mut min = u8::MAX;
    let mut max = u8::MIN;
    let mut means = Vec::with_capacity(days.len());
    let mut successive_differences = 0.0;
    let mut successive_pairs = 0_usize;
    let mut previous: Option<(&DayTotals, f64)> = None;
    for day in days {
        let total = day.total(rating);
        let Some(mean) = total.mean() else {
            continue;
        };
        entries += total.count;
        min = min.min(total.min);
        max = max.max(total.max);
        means.push(mean);
        if let Some((previous_day, previous_mean)) = previous
            && day.follows(previous_day)
        {
            successive_differences += (mean - previous_mean).abs();
            successive_pairs += 1;
        }
        previous = Some((day, mean));
    }
    if means.is_empty() {
        return None;
    }

    let count = means.len() as f64;
    // Rounding could nudge a mean of equal values a hair outside them; clamp it back.
    // `clamp` cannot panic: `min <= max` because at least one value was seen.
    let mean = (means.iter().sum::<f64>() / count).clamp(f64::from(min), f64::from(max));
    let standard_deviation = (means.len() >= 2).then(|| {
        let squares: f64 = means.iter().map(|value| (value - mean).powi(2)).sum();
        (squares / (count - 1.0)).sqrt()
    });
    let mean_absolute_successive_difference =
        (successive_pairs > 0).then(|| successive_differences / successive_pairs as f64);

    means.sort_unstable_by(f64::total_cmp);
    let middle = means.len() / 2;
    // `means` is not empty, so `middle` and, for an even length, `middle - 1` are in bounds.
    let median = if means.len() % 2 == 1 {
        means[middle]
    } else {
        (means[middle - 1] + means[middle]) / 2.0
    };

    Some(Statistics {
        entries: entries as usize,
        days: means.len(),
        mean,
        median: median.clamp(f64::from(min), f64::from(max)),
        min,
        max,
        standard_deviation,
        mean_absolute_successive_difference,
    })
}

fn trend(days: &[DayTotals]) -> Trend {
    if days.len() < TREND_MIN_DAYS {
        return Trend::InsufficientData {
            days: days.len(),
            needed: TREND_MIN_DAYS,
        };
    }
    // Days are counted from the first logged day so the x values stay small and exact.
    let origin = days.first().map_or(0, |day| day.julian_day);
    let x = |day: &DayTotals| f64::from(day.julian_day - origin);
    let count = days.len() as f64;
    let mean_x = days.iter().map(x).sum::<f64>() / count;
    let mean_y = days.iter().map(DayTotals::mood_mean).sum::<f64>() / count;

    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for day in days {
        let dx = x(day) - mean_x;
        let dy = day.mood_mean() - mean_y;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // At least TREND_MIN_DAYS distinct days, so sxx > 0.
    let slope = sxy / sxx;
    let residual_squares: f64 = days
        .iter()
        .map(|day| (day.mood_mean() - mean_y - slope * (x(day) - mean_x)).powi(2))
        .sum();
    let standard_error = (residual_squares / (count - 2.0) / sxx).sqrt();
    let r_squared = (syy > 0.0).then(|| (1.0 - residual_squares / syy).clamp(0.0, 1.0));

    let slope_per_week = slope * 7.0;
    let standard_error_per_week = standard_error * 7.0;
    let direction = if slope_per_week.abs() < TREND_STABLE_BAND_PER_WEEK {
        Direction::Stable
    } else if slope_per_week > 0.0 {
        Direction::Improving
    } else {
        Direction::Worsening
    };
    let backed_by = |standard_errors: f64| match direction {
        Direction::Stable => {
            slope_per_week.abs() + standard_errors * standard_error_per_week
                < TREND_STABLE_BAND_PER_WEEK
        }
        Direction::Improving | Direction::Worsening => {
            slope_per_week.abs() >= standard_errors * standard_error_per_week
        }
    };
    let certainty = if days.len() >= TREND_HIGH_MIN_DAYS && backed_by(TREND_HIGH_STANDARD_ERRORS) {
        Certainty::High
    } else if days.len() >= TREND_MODERATE_MIN_DAYS && backed_by(TREND_MODERATE_STANDARD_ERRORS) {
        Certainty::Moderate
    } else {
        Certainty::Low
    };

    Trend::Estimated(TrendEstimate {
        slope_per_week,
        standard_error_per_week,
        r_squared,
        days: days.len(),
        direction,
        certainty,
    })
}

fn streaks(days: &[DayTotals], today: Date) -> Streaks {
    let yesterday = today.previous_day();
    let mut current = None;
    let mut longest: Option<Streak> = None;
    // Each run is found by its first and last day; one extra `None` closes the last run.
    let mut run: Option<(&DayTotals, &DayTotals, u32)> = None;
    for day in days.iter().map(Some).chain([None]) {
        if let (Some((_, last, length)), Some(day)) = (run.as_mut(), day)
            && day.follows(last)
        {
            *last = day;
            *length += 1;
            continue;
        }
        if let Some((first, last, length)) = run {
            let closed = Streak {
                first_day: first.day,
                last_day: last.day,
                days: length,
            };
            if longest.is_none_or(|longest| closed.days >= longest.days) {
                longest = Some(closed);
            }
            let includes = |date: Date| closed.first_day <= date && date <= closed.last_day;
            if includes(today) || yesterday.is_some_and(includes) {
                current = Some(closed);
            }
        }
        run = day.map(|day| (day, day, 1));
    }
    Streaks { current, longest }
}

fn weekday_means(days: &[DayTotals]) -> [WeekdayMood; 7] {
    let mut sums = [0.0_f64; 7];
    let mut counts = [0_usize; 7];
    for day in days {
        // `days_from_monday` is 0 to 6, in bounds for both arrays.
        let slot = day.weekday.days_from_monday();
        sums[slot] += day.mood_mean();
        counts[slot] += 1;
    }
    Weekday::ALL.map(|weekday| {
        // As above, the slot is in bounds.
        let slot = weekday.days_from_monday();
        let days = counts[slot];
        WeekdayMood {
            weekday,
            days,
            mean: (days > 0).then(|| sums[slot] / days as f64),
        }
    })
}

fn notable_days(days: &[DayTotals], mean_and_deviation: Option<(f64, f64)>) -> Vec<NotableDay> {
    let deviation_rule = mean_and_deviation
        .filter(|&(_, deviation)| days.len() >= NOTABLE_DEVIATION_MIN_DAYS && deviation > 0.0);
    let mut notable = Vec::new();
    let mut previous: Option<&DayTotals> = None;
    for day in days {
        let mood = day.mood_mean();
        let mut reasons = Vec::new();
        if let Some((mean, deviation)) = deviation_rule {
            let standard_deviations = (mood - mean) / deviation;
            if standard_deviations < -NOTABLE_STANDARD_DEVIATIONS {
                reasons.push(NotableReason::FarBelowMean {
                    standard_deviations: -standard_deviations,
                });
            } else if standard_deviations > NOTABLE_STANDARD_DEVIATIONS {
                reasons.push(NotableReason::FarAboveMean {
                    standard_deviations,
                });
            }
        }
        if let Some(previous) = previous
            && day.follows(previous)
            && dropped_by_at_least(&previous.mood, &day.mood, NOTABLE_DROP_POINTS)
        {
            let previous_mood = previous.mood_mean();
            reasons.push(NotableReason::DropFromPreviousDay {
                previous: previous_mood,
                points: previous_mood - mood,
            });
        }
        if !reasons.is_empty() {
            notable.push(NotableDay {
                day: day.day,
                mood,
                reasons,
            });
        }
        previous = Some(day);
    }
    notable
}

/// Whether the mean of `later` is at least `points` below the mean of `earlier`,
/// decided in exact integer arithmetic so a drop of exactly `points` always counts.
fn dropped_by_at_least(earlier: &Total, later: &Total, points: u8) -> bool {
    // earlier.sum / earlier.count - later.sum / later.count >= points, multiplied out.
    // Each count is at most the number of entries in memory (far below 2^40) and each
    // sum at most ten times that, so every product fits in u128 with room to spare.
    let earlier_scaled = u128::from(earlier.sum) * u128::from(later.count);
    let later_scaled = u128::from(later.sum) * u128::from(earlier.count)
        + u128::from(points) * u128::from(earlier.count) * u128::from(later.count);
    earlier.count > 0 && later.count > 0 && earlier_scaled >= later_scaled
}
