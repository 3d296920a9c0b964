//! The companion pet: a small creature that thrives when the person looks after
//! themselves, as a pure engine of `state + event + now → new state`.
//!
//! # How it works
//!
//! - [`PetState`] holds everything about one pet; the server stores it as JSON
//!   between requests. [`PetState::new`] adopts a pet.
//! - [`observe`] brings the state up to `now`: each stat in [`Stats`] drifts down
//!   with the time elapsed, at the per-hour rates in the rules, and stops at its
//!   floor. There is no background job: decay is computed whenever the state is read.
//! - [`step`] applies one [`Event`] at `now` and returns a [`Step`]: the new
//!   state and a list of [`Outcome`]s for the UI (rewards paid, caps reached,
//!   stage reached…). On error it returns an [`Error`] that names the problem,
//!   and the old state is still the current one. [`step_on_day`] does the same
//!   with the person's local day for daily caps.
//! - Every number (rates, floors, prices, rewards, caps, xp thresholds,
//!   adventure length) is a named constant or table in `src/pet/rules.rs`,
//!   summarised under "Rules" below.
//!
//! # Safe for vulnerable people
//!
//! The pet rewards self-care but never punishes its absence. It cannot die,
//! fall ill or lose coins, xp or items; stats never fall below their floors, so
//! after a long absence it is sleepy or a little sad, never suffering. A missed
//! day lets the streak restart quietly at 1. Rewards depend only on doing an
//! activity, never on what was written or scored, so the pet cannot nudge
//! anyone's answers to a questionnaire.
//!
//! # Trust
//!
//! Prices and rewards live here, not in the client: the caller only names an
//! item or activity. Each wellbeing activity pays at most a few times per day,
//! so repeating a call cannot farm coins; [`MAX_COINS_PER_DAY`] is the proven
//! ceiling. `now` must come from the server's clock. If time goes backwards,
//! nothing decays and nothing panics; see [`observe`].
//!
//! # Rules
//!
//! | Rule | Value |
//! |---|---|
//! | Hunger ([`HUNGER`]) | starts 80, floor 20, −1 every 15 min |
//! | Happiness ([`HAPPINESS`]) | starts 80, floor 20, −1 every 20 min |
//! | Energy ([`ENERGY`]) | starts 80, floor 15, −1 every 30 min |
//! | Hygiene ([`HYGIENE`]) | starts 80, floor 15, −1 every 40 min |
//! | Food, hats, activities | [`food_rule`], [`hat_price`], [`activity_reward`] |
//! | Adventure | [`ADVENTURE_SECONDS`] (30 min), [`ADVENTURE_REWARD`] |
//! | Daily tasks and bonus | [`DAILY_TASKS`], [`DAILY_BONUS`] |
//! | Growing up | [`CHILD_XP`] (100), [`ADULT_XP`] (400) |
//!
//! The full table, with every constant, is at the top of `src/pet/rules.rs`.
//!
//! # Example
//!
//! ```
//! use healing_core::pet::{self, Event, Outcome, PetName, PetState, Species, WellbeingActivity};
//! use healing_core::timestamp::Timestamp;
//!
//! let adopted = Timestamp::parse_rfc3339("2026-03-01T09:00:00Z")?;
//! let pet = PetState::new(PetName::new("Biscuit")?, Species::Hedgehog, adopted);
//!
//! // Logging a mood pays coins, up to the daily cap.
//! let logged = pet::step(
//!     &pet,
//!     &Event::CompleteActivity { activity: WellbeingActivity::MoodLog },
//!     Timestamp::parse_rfc3339("2026-03-01T09:05:00Z")?,
//! )?;
//! assert_eq!(logged.state.coins(), 5);
//! assert!(logged.outcomes.iter().any(|o| matches!(o, Outcome::ActivityRewarded { .. })));
//!
//! // A week away: the pet is hungry but never below its floor.
//! let week_later = Timestamp::parse_rfc3339("2026-03-08T09:00:00Z")?;
//! let seen = pet::observe(&logged.state, week_later);
//! assert_eq!(seen.stats().hunger.points(), pet::HUNGER.floor);
//! assert_eq!(seen.coins(), 5); // nothing is taken away
//!
//! // Buying needs coins; the engine knows the price.
//! let err = pet::step(&seen, &Event::Buy { item: "crown".parse()? }, week_later).unwrap_err();
//! assert_eq!(err.to_string(), "crown costs 150 coins but the pet has 5");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod catalogue;
mod day_format;
mod engine;
mod error;
mod event;
mod name;
mod outcome;
mod rules;
mod stat;
mod state;

pub use catalogue::{Food, Hat, ShopItem, Species, WellbeingActivity};
pub use engine::{observe, step, step_on_day};
pub use error::Error;
pub use event::Event;
pub use name::PetName;
pub use outcome::{Outcome, Step};
pub use rules::{
    ACTIVITY_HAPPINESS, ADULT_XP, ADVENTURE_ENERGY_COST, ADVENTURE_HAPPINESS, ADVENTURE_REWARD,
    ADVENTURE_SECONDS, CHILD_XP, CLEAN_HYGIENE, DAILY_BONUS, DAILY_TASKS, ENERGY, FoodRule,
    HAPPINESS, HUNGER, HYGIENE, MAX_COINS_PER_DAY, MAX_FOOD_STACK, PLAY_ENERGY_COST,
    PLAY_HAPPINESS, REST_ENERGY, Reward, StatRule, activity_reward, food_rule, hat_price,
};
pub use stat::{Stat, StatKind, Stats};
pub use state::{Adventure, DailyRecord, PetState, RewardCounts, Stage, Streak};

#[cfg(test)]
mod tests;
