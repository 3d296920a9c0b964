//! What a step did, for the UI to show.

use serde::{Deserialize, Serialize};

use super::{Food, Hat, PetName, PetState, ShopItem, Stage, Stat, StatKind, WellbeingActivity};
use crate::timestamp::Timestamp;

/// The result of a successful [`step`](super::step): the new state and what happened, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The pet after the event (decay up to `now` included).
    pub state: PetState,
    /// What changed, in the order it happened.
    pub outcomes: Vec<Outcome>,
}

/// One visible consequence of a step.
///
/// Serialises with a `kind` tag, e.g. `{"kind":"activity_cap_reached","activity":"mood_log","per_day":3}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// A stat went up or down (only reported when it changed).
    StatChanged {
        /// Which stat.
        stat: StatKind,
        /// Its level before.
        from: Stat,
        /// Its level after.
        to: Stat,
    },
    /// The pet ate.
    FoodEaten {
        /// What it ate.
        food: Food,
        /// How many are left, or `None` for food that is always available.
        left: Option<u16>,
    },
    /// An item was bought.
    Bought {
        /// The item.
        item: ShopItem,
        /// Coins paid.
        price: u32,
        /// Coins left.
        coins_left: u32,
    },
    /// A hat was put on.
    HatWorn {
        /// The hat.
        hat: Hat,
    },
    /// A hat was taken off.
    HatTakenOff {
        /// The hat.
        hat: Hat,
    },
    /// The pet was renamed.
    Renamed {
        /// The new name.
        name: PetName,
    },
    /// The pet set off on an adventure.
    AdventureStarted {
        /// When it can be collected.
        returns_at: Timestamp,
    },
    /// The pet came home from an adventure.
    AdventureCollected {
        /// When it set off.
        started_at: Timestamp,
    },
    /// An adventure paid its reward.
    AdventureRewarded {
        /// Coins paid.
        coins: u32,
        /// Xp paid.
        xp: u32,
        /// Paid adventures left today.
        rewards_left_today: u8,
    },
    /// An adventure paid nothing because today's paid adventures are used up.
    AdventureCapReached {
        /// Paid adventures a day.
        per_day: u8,
    },
    /// A wellbeing activity paid its reward.
    ActivityRewarded {
        /// The activity.
        activity: WellbeingActivity,
        /// Coins paid.
        coins: u32,
        /// Xp paid.
        xp: u32,
        /// Further times it pays today.
        rewards_left_today: u8,
    },
    /// A wellbeing activity was recorded but paid nothing: its daily cap is reached.
    ActivityCapReached {
        /// The activity.
        activity: WellbeingActivity,
        /// Times it pays a day.
        per_day: u8,
    },
    /// Every daily task is done for today: the bonus is paid and the streak grows.
    DailyTasksCompleted {
        /// Bonus coins paid.
        coins: u32,
        /// Bonus xp paid.
        xp: u32,
        /// The streak including today.
        streak_days: u32,
    },
    /// The pet grew up.
    StageChanged {
        /// The stage before.
        from: Stage,
        /// The stage now.
        to: Stage,
    },
}
