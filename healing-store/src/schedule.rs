//! A clinician's availability turned into concrete slots, pure and unit-tested.
//!
//! Availability is kept as people think of it: weekly slots in Europe/London
//! wall-clock time (a weekday, a start such as 09:00, a length) and closures (leave,
//! bank holidays: ranges of local dates with no slots). [`slots_between`] turns it
//! into instants for a range of dates with the time-zone database bundled in jiff,
//! so a 09:00 slot is at 09:00 UTC in winter and 08:00 UTC in summer. Two local
//! times need a rule: a slot starting in the hour the clocks skip (spring) does not
//! exist that day and is not offered; one starting in the hour that happens twice
//! (autumn) is offered once, at its first occurrence (British Summer Time).
//! A slot's end is its start plus its length in real minutes.

use healing_core::timestamp::Timestamp;
/// A local calendar date (`YYYY-MM-DD`), jiff's.
pub use jiff::civil::Date;
use jiff::civil::{DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::{Deserialize, Serialize};

/// The time zone every clinic's availability is written in.
pub const ZONE: &str = "Europe/London";

/// Shortest slot accepted, in minutes.
pub const MIN_SLOT_MINUTES: u16 = 10;
/// Longest slot accepted, in minutes.
pub const MAX_SLOT_MINUTES: u16 = 240;
/// Most weekly slots one clinician may have.
pub const MAX_WEEKLY_SLOTS: usize = 200;
/// Most closures one clinician may have.
pub const MAX_CLOSURES: usize = 200;
/// The longest range of dates one read of slots covers.
pub const MAX_RANGE_DAYS: i32 = 92;

/// A slot that recurs every week, in local (Europe/London) time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySlot {
    /// ISO 8601 weekday: 1 is Monday, 7 is Sunday.
    pub weekday: u8,
    /// Local start, in minutes after midnight (540 is 09:00).
    pub start_minute: u16,
    /// Length in minutes.
    pub length_minutes: u16,
}

/// A range of local dates, both included, on which no slot is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// The first day closed.
    pub first_day: Date,
    /// The last day closed.
    pub last_day: Date,
}

/// A clinician's weekly slots and closures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// The weekly slots.
    pub weekly: Vec<WeeklySlot>,
    /// The closures.
    pub closures: Vec<Closure>,
}

/// One concrete slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// When it starts.
    pub starts_at: Timestamp,
    /// When it ends.
    pub ends_at: Timestamp,
}

/// Why availability or a range of dates was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A weekday outside 1 to 7.
    #[error("weekday {weekday} is not 1 (Monday) to 7 (Sunday)")]
    Weekday {
        /// The weekday given.
        weekday: u8,
    },
    /// A start outside the day.
    #[error("a slot starts at minute {start_minute}; use 0 to 1439")]
    Start {
        /// The start given.
        start_minute: u16,
    },
    /// A length outside the limits.
    #[error(
        "a slot is {length_minutes} minutes long; use {MIN_SLOT_MINUTES} to {MAX_SLOT_MINUTES}"
    )]
    Length {
        /// The length given.
        length_minutes: u16,
    },
    /// A slot running past midnight (each slot belongs to one local day).
    #[error("a slot on weekday {weekday} runs past midnight")]
    PastMidnight {
        /// Its weekday.
        weekday: u8,
    },
    /// Two weekly slots overlap.
    #[error("two slots on weekday {weekday} overlap")]
    Overlap {
        /// Their weekday.
        weekday: u8,
    },
    /// A closure ending before it starts.
    #[error("a closure ends ({last_day}) before it starts ({first_day})")]
    ClosureOrder {
        /// Its first day.
        first_day: Date,
        /// Its last day.
        last_day: Date,
    },
    /// Too many slots or closures.
    #[error("at most {MAX_WEEKLY_SLOTS} weekly slots and {MAX_CLOSURES} closures")]
    TooMany,
    /// A range of dates that is reversed or too long.
    #[error("a range of dates must run forwards and cover at most {MAX_RANGE_DAYS} days")]
    Range,
    /// The bundled time-zone database has no Europe/London (a broken build).
    #[error("the time zone {ZONE} is not in the bundled time-zone database")]
    ZoneUnavailable,
}

impl Availability {
    /// Checks every slot and closure: weekdays, starts and lengths in range, no slot
    /// past midnight, no two slots of one weekday overlapping, closures in order.
    pub fn check(&self) -> Result<(), ScheduleError> {
        if self.weekly.len() > MAX_WEEKLY_SLOTS || self.closures.len() > MAX_CLOSURES {
            return Err(ScheduleError::TooMany);
        }
        for slot in &self.weekly {
            if !(1..=7).contains(&slot.weekday) {
                return Err(ScheduleError::Weekday {
                    weekday: slot.weekday,
                });
            }
            if slot.start_minute >= 24 * 60 {
                return Err(ScheduleError::Start {
                    start_minute: slot.start_minute,
                });
            }
            if !(MIN_SLOT_MINUTES..=MAX_SLOT_MINUTES).contains(&slot.length_minutes) {
                return Err(ScheduleError::Length {
                    length_minutes: slot.length_minutes,
                });
            }
            if slot.start_minute + slot.length_minutes > 24 * 60 {
                return Err(ScheduleError::PastMidnight {
                    weekday: slot.weekday,
                });
            }
        }
        let mut sorted = self.weekly.clone();
        sorted.sort_by_key(|slot| (slot.weekday, slot.start_minute));
        for pair in sorted.windows(2) {
            if let [first, second] = pair
                && first.weekday == second.weekday
                && first.start_minute + first.length_minutes > second.start_minute
            {
                return Err(ScheduleError::Overlap {
                    weekday: first.weekday,
                });
            }
        }
        for closure in &self.closures {
            if closure.last_day < closure.first_day {
                return Err(ScheduleError::ClosureOrder {
                    first_day: closure.first_day,
                    last_day: closure.last_day,
                });
            }
        }
        Ok(())
    }

    fn closed_on(&self, day: Date) -> bool {
        self.closures
            .iter()
            .any(|closure| closure.first_day <= day && day <= closure.last_day)
    }
}

/// Europe/London from the bundled time-zone database.
pub fn london() -> Result<&'static TimeZone, ScheduleError> {
    static ZONE_CELL: std::sync::OnceLock<Option<TimeZone>> = std::sync::OnceLock::new();
    ZONE_CELL
        .get_or_init(|| TimeZone::get(ZONE).ok())
        .as_ref()
        .ok_or(ScheduleError::ZoneUnavailable)
}

/// The local (Europe/London) date of an instant.
pub fn local_date(at: Timestamp) -> Result<Date, ScheduleError> {
    Ok(london()?.to_datetime(to_jiff(at)?).date())
}

/// The local (Europe/London) wall-clock time of an instant as people read it:
/// `Thursday 1 July 2027, 00:30`.
pub fn local_text(at: Timestamp) -> Result<String, ScheduleError> {
    let local = london()?.to_datetime(to_jiff(at)?);
    Ok(local.strftime("%A %-d %B %Y, %H:%M").to_string())
}

/// The date `days` after `day`.
pub fn add_days(day: Date, days: u32) -> Result<Date, ScheduleError> {
    day.checked_add(jiff::Span::new().days(i64::from(days)))
        .map_err(|_| ScheduleError::Range)
}

/// Every slot on the local dates from `first_day` to `last_day` (both included), in
/// time order, leaving out closed days and slots that do not exist that day (see the
/// module's documentation).
pub fn slots_between(
    availability: &Availability,
    first_day: Date,
    last_day: Date,
) -> Result<Vec<Slot>, ScheduleError> {
    let days = first_day
        .until(last_day)
        .map_err(|_| ScheduleError::Range)?
        .get_days();
    if !(0..MAX_RANGE_DAYS).contains(&days) {
        return Err(ScheduleError::Range);
    }
    let zone = london()?;
    let mut slots = Vec::new();
    let mut day = first_day;
    loop {
        if !availability.closed_on(day) {
            let weekday = u8::try_from(day.weekday().to_monday_one_offset()).unwrap_or(0);
            for weekly in availability
                .weekly
                .iter()
                .filter(|slot| slot.weekday == weekday)
            {
                if let Some(slot) = slot_on(zone, day, weekly)? {
                    slots.push(slot);
                }
            }
        }
        if day >= last_day {
            break;
        }
        day = day.tomorrow().map_err(|_| ScheduleError::Range)?;
    }
    slots.sort_by_key(|slot| slot.starts_at);
    Ok(slots)
}

/// The slot of `availability` that starts at `starts_at`, if there is one.
pub fn slot_starting_at(
    availability: &Availability,
    starts_at: Timestamp,
) -> Result<Option<Slot>, ScheduleError> {
    let day = local_date(starts_at)?;
    Ok(slots_between(availability, day, day)?
        .into_iter()
        .find(|slot| slot.starts_at == starts_at))
}

/// The weekly slot on one local date: `None` when its start falls in the hour the
/// clocks skip; the first occurrence when it falls in the hour that repeats.
fn slot_on(zone: &TimeZone, day: Date, weekly: &WeeklySlot) -> Result<Option<Slot>, ScheduleError> {
    let hour = i8::try_from(weekly.start_minute / 60).map_err(|_| ScheduleError::Start {
        start_minute: weekly.start_minute,
    })?;
    let minute = i8::try_from(weekly.start_minute % 60).map_err(|_| ScheduleError::Start {
        start_minute: weekly.start_minute,
    })?;
    let time = Time::new(hour, minute, 0, 0).map_err(|_| ScheduleError::Start {
        start_minute: weekly.start_minute,
    })?;
    let local = DateTime::from_parts(day, time);
    let offset = match zone.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset,
        AmbiguousOffset::Gap { .. } => return Ok(None),
        AmbiguousOffset::Fold { before, .. } => before,
    };
    let start = offset
        .to_timestamp(local)
        .map_err(|_| ScheduleError::Range)?;
    let starts_at = from_jiff(start)?;
    let ends_at = starts_at
        .checked_add_seconds(i64::from(weekly.length_minutes) * 60)
        .ok_or(ScheduleError::Range)?;
    Ok(Some(Slot { starts_at, ends_at }))
}

fn to_jiff(at: Timestamp) -> Result<jiff::Timestamp, ScheduleError> {
    jiff::Timestamp::from_second(at.unix_seconds()).map_err(|_| ScheduleError::Range)
}

fn from_jiff(at: jiff::Timestamp) -> Result<Timestamp, ScheduleError> {
    Timestamp::from_unix_seconds(at.as_second()).map_err(|_| ScheduleError::Range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn weekly(weekday: u8, start_minute: u16, length_minutes: u16) -> WeeklySlot {
        WeeklySlot {
            weekday,
            start_minute,
            length_minutes,
        }
    }

    /// Sundays at 00:30 (before both changes), 01:30 (inside both changed hours)
    /// and 10:00 (after them), 50 minutes each.
    fn sundays() -> Availability {
        Availability {
            weekly: vec![weekly(7, 30, 50), weekly(7, 90, 50), weekly(7, 600, 50)],
            closures: vec![],
        }
    }

    fn starts(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|slot| slot.starts_at.to_rfc3339())
            .collect()
    }

    #[test]
    fn spring_2027_slots_either_side_of_the_change_and_none_in_the_skipped_hour() {
        // 28 March 2027: at 01:00 GMT the clocks go forward to 02:00 BST.
        let slots = slots_between(&sundays(), date(2027, 3, 28), date(2027, 3, 28)).unwrap();
        assert_eq!(
            starts(&slots),
            ["2027-03-28T00:30:00Z", "2027-03-28T09:00:00Z"],
            "00:30 is still GMT, 01:30 does not exist, 10:00 is BST"
        );
        assert_eq!(
            slots[1].ends_at.unix_seconds() - slots[1].starts_at.unix_seconds(),
            50 * 60
        );
        // The Sunday before is all GMT; the one after all BST.
        let before = slots_between(&sundays(), date(2027, 3, 21), date(2027, 3, 21)).unwrap();
        assert_eq!(
            starts(&before),
            [
                "2027-03-21T00:30:00Z",
                "2027-03-21T01:30:00Z",
                "2027-03-21T10:00:00Z"
            ]
        );
        let after = slots_between(&sundays(), date(2027, 4, 4), date(2027, 4, 4)).unwrap();
        assert_eq!(
            starts(&after),
            [
                "2027-04-03T23:30:00Z",
                "2027-04-04T00:30:00Z",
                "2027-04-04T09:00:00Z"
            ]
        );
    }

    #[test]
    fn autumn_2027_slots_either_side_of_the_change_and_the_repeated_hour_once() {
        // 31 October 2027: at 02:00 BST the clocks go back to 01:00 GMT.
        let slots = slots_between(&sundays(), date(2027, 10, 31), date(2027, 10, 31)).unwrap();
        assert_eq!(
            starts(&slots),
            [
                "2027-10-30T23:30:00Z",
                "2027-10-31T00:30:00Z",
                "2027-10-31T10:00:00Z"
            ],
            "00:30 is BST, 01:30 is offered at its first (BST) occurrence, 10:00 is GMT"
        );
        let before = slots_between(&sundays(), date(2027, 10, 24), date(2027, 10, 24)).unwrap();
        assert_eq!(starts(&before)[2], "2027-10-24T09:00:00Z");
    }

    #[test]
    fn weekday_slots_keep_their_local_time_across_a_week_with_the_change() {
        // Monday to Friday 09:00 for an hour, over the week of 22 March and the week
        // after 28 March 2027.
        let availability = Availability {
            weekly: (1..=5).map(|day| weekly(day, 540, 60)).collect(),
            closures: vec![],
        };
        let slots = slots_between(&availability, date(2027, 3, 26), date(2027, 3, 29)).unwrap();
        assert_eq!(
            starts(&slots),
            ["2027-03-26T09:00:00Z", "2027-03-29T08:00:00Z"],
            "Friday in GMT, the weekend has no slot, Monday in BST"
        );
    }

    #[test]
    fn closures_remove_whole_local_days_inclusive() {
        let availability = Availability {
            weekly: (1..=7).map(|day| weekly(day, 540, 60)).collect(),
            closures: vec![Closure {
                first_day: date(2027, 12, 24),
                last_day: date(2027, 12, 28),
            }],
        };
        let slots = slots_between(&availability, date(2027, 12, 23), date(2027, 12, 29)).unwrap();
        assert_eq!(
            starts(&slots),
            ["2027-12-23T09:00:00Z", "2027-12-29T09:00:00Z"]
        );
    }

    #[test]
    fn a_slot_is_found_only_at_its_exact_start() {
        let availability = sundays();
        let summer = at("2027-04-04T09:00:00Z");
        assert_eq!(
            slot_starting_at(&availability, summer).unwrap(),
            Some(Slot {
                starts_at: summer,
                ends_at: at("2027-04-04T09:50:00Z")
            })
        );
        assert_eq!(
            slot_starting_at(&availability, at("2027-04-04T10:00:00Z")).unwrap(),
            None,
            "10:00 UTC is 11:00 BST: no slot"
        );
        assert_eq!(
            slot_starting_at(&availability, at("2027-04-04T09:01:00Z")).unwrap(),
            None
        );
        // The second 01:30 of 31 October 2027 (GMT) is not a slot; the first is.
        assert!(
            slot_starting_at(&availability, at("2027-10-31T00:30:00Z"))
                .unwrap()
                .is_some()
        );
        assert_eq!(
            slot_starting_at(&availability, at("2027-10-31T01:30:00Z")).unwrap(),
            None
        );
    }

    #[test]
    fn local_dates_and_times_follow_the_zone() {
        assert_eq!(
            local_date(at("2027-06-30T23:30:00Z")).unwrap(),
            date(2027, 7, 1)
        );
        assert_eq!(
            local_text(at("2027-06-30T23:30:00Z")).unwrap(),
            "Thursday 1 July 2027, 00:30"
        );
        assert_eq!(
            local_text(at("2027-01-15T08:00:00Z")).unwrap(),
            "Friday 15 January 2027, 08:00"
        );
    }

    #[test]
    fn bad_availability_is_refused_with_what_is_wrong() {
        let check = |weekly: Vec<WeeklySlot>| {
            Availability {
                weekly,
                closures: vec![],
            }
            .check()
        };
        assert_eq!(
            check(vec![weekly(0, 540, 60)]),
            Err(ScheduleError::Weekday { weekday: 0 })
        );
        assert_eq!(
            check(vec![weekly(8, 540, 60)]),
            Err(ScheduleError::Weekday { weekday: 8 })
        );
        assert_eq!(
            check(vec![weekly(1, 1440, 60)]),
            Err(ScheduleError::Start { start_minute: 1440 })
        );
        assert_eq!(
            check(vec![weekly(1, 540, 5)]),
            Err(ScheduleError::Length { length_minutes: 5 })
        );
        assert_eq!(
            check(vec![weekly(1, 1410, 60)]),
            Err(ScheduleError::PastMidnight { weekday: 1 })
        );
        assert_eq!(
            check(vec![weekly(2, 540, 60), weekly(2, 570, 30)]),
            Err(ScheduleError::Overlap { weekday: 2 })
        );
        assert_eq!(
            check(vec![
                weekly(2, 540, 60),
                weekly(2, 600, 60),
                weekly(3, 540, 60)
            ]),
            Ok(())
        );
        let reversed = Availability {
            weekly: vec![],
            closures: vec![Closure {
                first_day: date(2027, 5, 2),
                last_day: date(2027, 5, 1),
            }],
        };
        assert!(matches!(
            reversed.check(),
            Err(ScheduleError::ClosureOrder { .. })
        ));
    }

    #[test]
    fn ranges_must_run_forwards_and_stay_short() {
        let availability = sundays();
        assert_eq!(
            slots_between(&availability, date(2027, 3, 2), date(2027, 3, 1)),
            Err(ScheduleError::Range)
        );
        assert_eq!(
            slots_between(&availability, date(2027, 1, 1), date(2027, 6, 1)),
            Err(ScheduleError::Range)
        );
    }
}
