//! Why a pet could not be created, read back or changed.

use time::Date;

use super::{Food, Hat, ShopItem};
use crate::timestamp::Timestamp;

/// Everything that can go wrong in the pet engine. A step that fails leaves the
/// state exactly as it was.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A stat level above 100.
    #[error("stat level is {points}, above the maximum of {max}")]
    StatAboveMaximum {
        /// The level given.
        points: u8,
        /// The highest level allowed.
        max: u8,
    },
    /// The name is empty or only white space.
    #[error("pet name is blank")]
    NameBlank,
    /// The name is too long.
    #[error("pet name is {chars} characters long, above the maximum of {max}")]
    NameTooLong {
        /// Its length in characters after NFC normalisation.
        chars: usize,
        /// The most allowed.
        max: usize,
    },
    /// The name holds a control character (such as a newline or escape).
    #[error("pet name contains the control character {found:?}")]
    NameHasControlCharacter {
        /// The first one found.
        found: char,
    },
    /// The shop does not sell an item of this name.
    #[error("shop item '{name}' is unknown")]
    UnknownShopItem {
        /// The name asked for, cut to 64 characters.
        name: String,
    },
    /// The pet has fewer coins than the item costs.
    #[error("{item} costs {need} coins but the pet has {have}")]
    NotEnoughCoins {
        /// The item asked for.
        item: ShopItem,
        /// Coins held.
        have: u32,
        /// The item's price.
        need: u32,
    },
    /// The hat is already owned, so buying it again would waste coins.
    #[error("hat {hat} is already owned")]
    HatAlreadyOwned {
        /// The hat asked for.
        hat: Hat,
    },
    /// The pet already holds as much of this food as it can.
    #[error("the pet already holds {max} of {food}, the most it can hold")]
    FoodStackFull {
        /// The food asked for.
        food: Food,
        /// The most of one food the pet can hold.
        max: u16,
    },
    /// The food is not in the inventory and is not always available.
    #[error("food {food} is not in the inventory")]
    FoodNotOwned {
        /// The food asked for.
        food: Food,
    },
    /// The hat has not been bought.
    #[error("hat {hat} is not owned")]
    HatNotOwned {
        /// The hat asked for.
        hat: Hat,
    },
    /// The pet is away on an adventure, so it cannot do this until collected.
    #[error("the pet is on an adventure returning at {returns_at} and must be collected first")]
    AdventureInProgress {
        /// When the adventure ends.
        returns_at: Timestamp,
    },
    /// Collect was asked for but the pet is not on an adventure.
    #[error("there is no adventure to collect")]
    NothingToCollect,
    /// Collect was asked for before the adventure ended.
    #[error("the adventure returns at {returns_at}, {seconds_left} seconds from now")]
    AdventureNotOver {
        /// When the adventure ends.
        returns_at: Timestamp,
        /// Seconds still to go.
        seconds_left: i64,
    },
    /// An adventure starting now would end past the last date the calendar supports.
    #[error("an adventure starting at {started_at} would end past the supported calendar")]
    AdventureBeyondCalendar {
        /// The start asked for.
        started_at: Timestamp,
    },
    /// A stored adventure ends before it starts.
    #[error("stored adventure returns at {returns_at}, before it started at {started_at}")]
    AdventureReturnsBeforeStart {
        /// When it started.
        started_at: Timestamp,
        /// When it claims to end.
        returns_at: Timestamp,
    },
    /// A stored state wears a hat it does not own.
    #[error("stored pet wears hat {hat} but does not own it")]
    WornHatNotOwned {
        /// The hat worn.
        hat: Hat,
    },
    /// A stored state holds more of a food than allowed.
    #[error("stored pet holds {count} of {food}, above the maximum of {max}")]
    StoredFoodAboveMaximum {
        /// The food.
        food: Food,
        /// The count stored.
        count: u16,
        /// The most allowed.
        max: u16,
    },
    /// The caller's day is more than one day from the UTC date of `now`, which
    /// no time zone explains.
    #[error("day {day} is more than one day from the utc date {utc_date}")]
    DayTooFarFromNow {
        /// The day given.
        day: Date,
        /// The UTC date of `now`.
        utc_date: Date,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"stat_above_maximum"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::StatAboveMaximum { .. } => "stat_above_maximum",
            Self::NameBlank { .. } => "name_blank",
            Self::NameTooLong { .. } => "name_too_long",
            Self::NameHasControlCharacter { .. } => "name_has_control_character",
            Self::UnknownShopItem { .. } => "unknown_shop_item",
            Self::NotEnoughCoins { .. } => "not_enough_coins",
            Self::HatAlreadyOwned { .. } => "hat_already_owned",
            Self::FoodStackFull { .. } => "food_stack_full",
            Self::FoodNotOwned { .. } => "food_not_owned",
            Self::HatNotOwned { .. } => "hat_not_owned",
            Self::AdventureInProgress { .. } => "adventure_in_progress",
            Self::NothingToCollect { .. } => "nothing_to_collect",
            Self::AdventureNotOver { .. } => "adventure_not_over",
            Self::AdventureBeyondCalendar { .. } => "adventure_beyond_calendar",
            Self::AdventureReturnsBeforeStart { .. } => "adventure_returns_before_start",
            Self::WornHatNotOwned { .. } => "worn_hat_not_owned",
            Self::StoredFoodAboveMaximum { .. } => "stored_food_above_maximum",
            Self::DayTooFarFromNow { .. } => "day_too_far_from_now",
        }
    }
}
