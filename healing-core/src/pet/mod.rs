//! The companion pet: a small creature that thrives when the person looks after
//! themselves, as a pure engine of `state + event + now → new state`.
//!
//! # How it works
//!
//! - [`PetState`] holds everything about one pet; the server stores it as JSON
//!   between requests. [`PetState::new`] adopts a pet.
//! - [`observe`] brings the state up to `now`: each stat in [`Stats`] drifts down
//!   with the time elapsed, at the rates in the rules, and stops at its
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
//! so repeating a call cannot farm coins; [`MAX_COINS_PER_DAY`] is the ceiling,
//! checked by the property tests. `now` must come from the server's clock. If
//! time goes backwards, nothing decays and nothing panics; see [`observe`].
//!
//! # Rules
//!
//! Every number lives in `src/pet/rules.rs`, which starts with a table of them
//! all; rustdoc shows each constant's value on its page. The stats follow
//! [`HUNGER`], [`HAPPINESS`], [`ENERGY`] and [`HYGIENE`] (start, floor, seconds
//! per point); care follows [`PLAY_HAPPINESS`], [`CLEAN_HYGIENE`],
//! [`REST_ENERGY`] and [`food_rule`]; the shop follows [`food_rule`] and
//! [`hat_price`]; rewards follow [`activity_reward`], [`ADVENTURE_REWARD`] and
//! [`DAILY_BONUS`] over [`DAILY_TASKS`]; growth follows [`CHILD_XP`] and
//! [`ADULT_XP`]; [`MAX_COINS_PER_DAY`] is computed from the reward tables.
//!
//! # Example
//!
//! ```
//! use healing_core::pet::{
//!     self, Error, Event, Hat, Outcome, PetName, PetState, ShopItem, Species, WellbeingActivity,
//! };
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
//! let mood_log_coins = pet::activity_reward(WellbeingActivity::MoodLog).coins;
//! assert_eq!(logged.state.coins(), mood_log_coins);
//! assert!(logged.outcomes.iter().any(|o| matches!(o, Outcome::ActivityRewarded { .. })));
//!
//! // A week away: the pet is hungry but never below its floor.
//! let week_later = Timestamp::parse_rfc3339("2026-03-08T09:00:00Z")?;
//! let seen = pet::observe(&logged.state, week_later);
//! assert_eq!(seen.stats().hunger.points(), pet::HUNGER.floor);
//! assert_eq!(seen.coins(), mood_log_coins); // nothing is taken away
//!
//! // Buying needs coins; the engine knows the price.
//! let crown: ShopItem = "crown".parse()?;
//! let err = pet::step(&seen, &Event::Buy { item: crown }, week_later).unwrap_err();
//! assert_eq!(
//!     err,
//!     Error::NotEnoughCoins { item: crown, have: mood_log_coins, need: pet::hat_price(Hat::Crown) }
//! );
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
