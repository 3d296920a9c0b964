//! Every tunable number of the pet engine, gathered in one file for designers.
//!
//! The engine reads no other numbers: change a value here, run the tests, and
//! the whole game follows. Compile-time checks at the bottom of this file refuse
//! rules that would break a promise the engine makes (for example a floor above
//! 100, or a stat that starts below its floor).
//!
//! After tuning, `UPDATE_EXPECT=1 cargo test -p healing-core pet` refreshes the
//! unit-test transcripts in `tests.rs`; read the diff before committing it.
//!
//! These are game-design choices, not clinical content: no value here comes from
//! a clinical source, and none needs one. They were chosen so that the pet
//! drifts slowly (about a day from full to its floor), never suffers, and cannot
//! be farmed for coins.
//!
//! | Rule | Value | Constant |
//! |---|---|---|
//! | Hunger: start, floor, decay | 80, 20, 1 point per 15 min (4/h) | [`HUNGER`] |
//! | Happiness: start, floor, decay | 80, 20, 1 point per 20 min (3/h) | [`HAPPINESS`] |
//! | Energy: start, floor, decay | 80, 15, 1 point per 30 min (2/h) | [`ENERGY`] |
//! | Hygiene: start, floor, decay | 80, 15, 1 point per 40 min (1.5/h) | [`HYGIENE`] |
//! | Play | +15 happiness, −5 energy | [`PLAY_HAPPINESS`], [`PLAY_ENERGY_COST`] |
//! | Clean | +30 hygiene | [`CLEAN_HYGIENE`] |
//! | Rest | +30 energy | [`REST_ENERGY`] |
//! | Food | price, hunger, happiness per food | [`food_rule`] |
//! | Hats | price per hat | [`hat_price`] |
//! | Most food of one kind held | 99 | [`MAX_FOOD_STACK`] |
//! | Wellbeing activities | coins, xp, rewarded times per day | [`activity_reward`] |
//! | Any rewarded activity | +5 happiness | [`ACTIVITY_HAPPINESS`] |
//! | Adventure | 30 min away, −10 energy, then +10 happiness | [`ADVENTURE_SECONDS`], [`ADVENTURE_ENERGY_COST`], [`ADVENTURE_HAPPINESS`] |
//! | Adventure reward | 10 coins, 15 xp, 3 rewarded per day | [`ADVENTURE_REWARD`] |
//! | Daily tasks | mood log, breathing, journal | [`DAILY_TASKS`] |
//! | All daily tasks done | 15 coins, 25 xp, once a day | [`DAILY_BONUS`] |
//! | Growing up | child at 100 xp, adult at 400 xp | [`CHILD_XP`], [`ADULT_XP`] |
//! | Most coins earnable in one day | computed: 128 | [`MAX_COINS_PER_DAY`] |

use super::{Food, Hat, WellbeingActivity};

/// How one of the pet's four stats starts, drifts and where it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatRule {
    /// Value of the stat when the pet is adopted (0 to 100).
    pub start: u8,
    /// The stat never goes below this, however long the person is away, so the
    /// pet can grow sleepy or a bit sad but never suffers.
    pub floor: u8,
    /// Seconds of absence that cost one point. Whole seconds are carried between
    /// reads, so decay does not depend on how often the state is read.
    pub seconds_per_point: u32,
}

/// Hunger: the stat that drifts fastest, so feeding is the everyday ritual.
pub const HUNGER: StatRule = StatRule {
    start: 80,
    floor: 20,
    seconds_per_point: 15 * 60,
};

/// Happiness.
pub const HAPPINESS: StatRule = StatRule {
    start: 80,
    floor: 20,
    seconds_per_point: 20 * 60,
};

/// Energy.
pub const ENERGY: StatRule = StatRule {
    start: 80,
    floor: 15,
    seconds_per_point: 30 * 60,
};

/// Hygiene: the slowest, so cleaning is an occasional chore rather than a nag.
pub const HYGIENE: StatRule = StatRule {
    start: 80,
    floor: 15,
    seconds_per_point: 40 * 60,
};

/// Happiness points a play session adds.
pub const PLAY_HAPPINESS: u8 = 15;
/// Energy points a play session costs (never below the energy floor).
pub const PLAY_ENERGY_COST: u8 = 5;
/// Hygiene points a clean adds.
pub const CLEAN_HYGIENE: u8 = 30;
/// Energy points a rest adds.
pub const REST_ENERGY: u8 = 30;
/// Happiness points the pet gains whenever a wellbeing activity is rewarded.
pub const ACTIVITY_HAPPINESS: u8 = 5;

/// Seconds an adventure (a walk) lasts before the pet can be collected.
pub const ADVENTURE_SECONDS: u32 = 30 * 60;
/// Energy points an adventure costs when it starts (never below the energy floor).
pub const ADVENTURE_ENERGY_COST: u8 = 10;
/// Happiness points the pet gains when collected from an adventure.
pub const ADVENTURE_HAPPINESS: u8 = 10;
/// What collecting an adventure pays, and how many collections a day pay.
/// Adventures beyond the cap still happen; they just pay nothing.
pub const ADVENTURE_REWARD: Reward = Reward {
    coins: 10,
    xp: 15,
    per_day: 3,
};

/// The wellbeing activities that make up a day's tasks. Doing each at least once
/// in a day pays [`DAILY_BONUS`] and extends the streak.
pub const DAILY_TASKS: &[WellbeingActivity] = &[
    WellbeingActivity::MoodLog,
    WellbeingActivity::Breathing,
    WellbeingActivity::Journal,
];

/// Coins and xp for finishing all [`DAILY_TASKS`] in a day; paid once a day
/// (`per_day` is 1 and is kept for the daily coin bound).
pub const DAILY_BONUS: Reward = Reward {
    coins: 15,
    xp: 25,
    per_day: 1,
};

/// Xp at which a baby becomes a child.
pub const CHILD_XP: u32 = 100;
/// Xp at which a child becomes an adult.
pub const ADULT_XP: u32 = 400;

/// Most of one kind of food the pet can hold, so a stored state stays small.
pub const MAX_FOOD_STACK: u16 = 99;

/// A payment in coins and xp, and how many times a day it is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reward {
    /// Coins paid each time.
    pub coins: u32,
    /// Experience points paid each time.
    pub xp: u32,
    /// Times a day this is paid; further attempts that day succeed but pay nothing.
    pub per_day: u8,
}

/// What a food costs and does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoodRule {
    /// Price in coins; 0 means always available without buying.
    pub price: u32,
    /// Hunger points it adds.
    pub hunger: u8,
    /// Happiness points it adds.
    pub happiness: u8,
}

/// The food table. Kibble is free and unlimited so that a person with no coins
/// can always feed their pet.
pub const fn food_rule(food: Food) -> FoodRule {
    match food {
        Food::Kibble => FoodRule {
            price: 0,
            hunger: 15,
            happiness: 0,
        },
        Food::Apple => FoodRule {
            price: 5,
            hunger: 20,
            happiness: 2,
        },
        Food::Sandwich => FoodRule {
            price: 10,
            hunger: 35,
            happiness: 3,
        },
        Food::Soup => FoodRule {
            price: 12,
            hunger: 40,
            happiness: 5,
        },
        Food::Cake => FoodRule {
            price: 20,
            hunger: 15,
            happiness: 20,
        },
    }
}

/// The hat price table, in coins.
pub const fn hat_price(hat: Hat) -> u32 {
    match hat {
        Hat::Beanie => 30,
        Hat::SunHat => 40,
        Hat::PartyHat => 60,
        Hat::FlowerCrown => 80,
        Hat::Crown => 150,
    }
}

/// The wellbeing reward table. Rewards never depend on what the person wrote or
/// scored, only on having done the activity, so the pet cannot nudge answers.
/// Assessments pay once a day so the pet never encourages re-taking a
/// questionnaire.
pub const fn activity_reward(activity: WellbeingActivity) -> Reward {
    match activity {
        WellbeingActivity::MoodLog => Reward {
            coins: 5,
            xp: 10,
            per_day: 3,
        },
        WellbeingActivity::Assessment => Reward {
            coins: 10,
            xp: 15,
            per_day: 1,
        },
        WellbeingActivity::CbtTool => Reward {
            coins: 8,
            xp: 10,
            per_day: 3,
        },
        WellbeingActivity::Journal => Reward {
            coins: 5,
            xp: 10,
            per_day: 2,
        },
        WellbeingActivity::Breathing => Reward {
            coins: 5,
            xp: 5,
            per_day: 3,
        },
        WellbeingActivity::Chat => Reward {
            coins: 3,
            xp: 5,
            per_day: 3,
        },
    }
}

/// Most coins anyone can earn in one day: every activity at its cap, every paid
/// adventure, and the daily bonus. Computed from the tables, so it stays true
/// when they are tuned; the property tests check the engine against it.
pub const MAX_COINS_PER_DAY: u32 = {
    let mut total = daily_total(ADVENTURE_REWARD) + daily_total(DAILY_BONUS);
    // Evaluated at compile time: the loop bound keeps the index in range, and an
    // overflow here would be a compile error, never a runtime panic.
    let mut index = 0;
    while index < WellbeingActivity::ALL.len() {
        total += daily_total(activity_reward(WellbeingActivity::ALL[index]));
        index += 1;
    }
    total
};

const fn daily_total(reward: Reward) -> u32 {
    reward.coins * reward.per_day as u32
}

// Promises the engine makes, checked when the crate compiles (so the indexing
// below is bounded by its loops and can only fail the build, never a caller).
const _: () = {
    let stats = [HUNGER, HAPPINESS, ENERGY, HYGIENE];
    let mut index = 0;
    while index < stats.len() {
        let rule = stats[index];
        assert!(rule.floor <= 100, "a floor must be at most 100");
        assert!(rule.start <= 100, "a start value must be at most 100");
        assert!(
            rule.start >= rule.floor,
            "a stat must start at or above its floor"
        );
        assert!(rule.seconds_per_point > 0, "decay needs a positive period");
        index += 1;
    }
    assert!(CHILD_XP < ADULT_XP, "stages must need increasing xp");
    assert!(ADVENTURE_SECONDS > 0, "an adventure must take some time");
    assert!(
        DAILY_BONUS.per_day == 1,
        "the daily bonus is paid once a day"
    );
    assert!(!DAILY_TASKS.is_empty(), "a day needs at least one task");
    let mut task = 0;
    while task < DAILY_TASKS.len() {
        assert!(
            activity_reward(DAILY_TASKS[task]).per_day >= 1,
            "every daily task must be rewardable at least once a day"
        );
        task += 1;
    }
};
