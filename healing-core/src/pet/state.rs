//! The pet's whole state, as the server stores it between steps.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize, de};
use time::Date;

use super::stat::DecayCarry;
use super::{
    ADULT_XP, CHILD_XP, DAILY_TASKS, Error, Food, Hat, MAX_FOOD_STACK, PetName, Species, Stats,
    WellbeingActivity, activity_reward, day_format,
};
use crate::timestamp::Timestamp;

/// How grown up the pet is, decided by xp ([`CHILD_XP`], [`ADULT_XP`]). A pet
/// never grows back down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Newly adopted.
    Baby,
    /// From [`CHILD_XP`] xp.
    Child,
    /// From [`ADULT_XP`] xp.
    Adult,
}

crate::wire_name::wire_names!(Stage {
    Baby => "baby",
    Child => "child",
    Adult => "adult",
});

impl Stage {
    /// The stage that `xp` reaches.
    pub const fn for_xp(xp: u32) -> Stage {
        if xp >= ADULT_XP {
            Stage::Adult
        } else if xp >= CHILD_XP {
            Stage::Child
        } else {
            Stage::Baby
        }
    }
}

/// An adventure (a walk) in progress: the pet is away until `returns_at`, then
/// waits to be collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Adventure {
    /// When the pet set off.
    pub started_at: Timestamp,
    /// When it can be collected.
    pub returns_at: Timestamp,
}

/// How many times each reward has been paid on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct RewardCounts {
    /// Mood logs rewarded.
    pub mood_log: u8,
    /// Assessments rewarded.
    pub assessment: u8,
    /// CBT tools rewarded.
    pub cbt_tool: u8,
    /// Journal entries rewarded.
    pub journal: u8,
    /// Breathing exercises rewarded.
    pub breathing: u8,
    /// Chats rewarded.
    pub chat: u8,
    /// Adventures rewarded.
    pub adventure: u8,
}

impl RewardCounts {
    /// Times `activity` has been rewarded.
    pub const fn activity(&self, activity: WellbeingActivity) -> u8 {
        match activity {
            WellbeingActivity::MoodLog => self.mood_log,
            WellbeingActivity::Assessment => self.assessment,
            WellbeingActivity::CbtTool => self.cbt_tool,
            WellbeingActivity::Journal => self.journal,
            WellbeingActivity::Breathing => self.breathing,
            WellbeingActivity::Chat => self.chat,
        }
    }

    pub(crate) fn activity_mut(&mut self, activity: WellbeingActivity) -> &mut u8 {
        match activity {
            WellbeingActivity::MoodLog => &mut self.mood_log,
            WellbeingActivity::Assessment => &mut self.assessment,
            WellbeingActivity::CbtTool => &mut self.cbt_tool,
            WellbeingActivity::Journal => &mut self.journal,
            WellbeingActivity::Breathing => &mut self.breathing,
            WellbeingActivity::Chat => &mut self.chat,
        }
    }
}

/// The rewards paid on the current day. The day only moves forward: a step
/// dated before it counts against it, so stepping back and forth across
/// midnight cannot reopen a day's caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DailyRecord {
    /// The day (UTC, or the caller's local day) these counts belong to.
    #[serde(with = "day_format")]
    pub day: Date,
    /// Rewards paid that day.
    pub rewarded: RewardCounts,
}

impl DailyRecord {
    /// A day with nothing rewarded yet.
    pub const fn empty(day: Date) -> DailyRecord {
        DailyRecord {
            day,
            rewarded: RewardCounts {
                mood_log: 0,
                assessment: 0,
                cbt_tool: 0,
                journal: 0,
                breathing: 0,
                chat: 0,
                adventure: 0,
            },
        }
    }

    /// Whether every one of [`DAILY_TASKS`] has been rewarded at least once.
    pub fn all_tasks_done(&self) -> bool {
        DAILY_TASKS
            .iter()
            .all(|&task| self.rewarded.activity(task) > 0)
    }
}

/// Consecutive days on which all daily tasks were done. A missed day simply
/// lets the streak restart at 1 next time; nothing is taken away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Streak {
    /// Length of the streak that ended on `last_completed_day`.
    pub days: u32,
    /// The last day all daily tasks were done, if ever.
    #[serde(with = "day_format::option")]
    pub last_completed_day: Option<Date>,
}

impl Streak {
    /// The streak as it stands on `today`: its length if the last complete day
    /// was today or yesterday, otherwise 0 (it will restart, with no penalty).
    pub fn days_on(&self, today: Date) -> u32 {
        match self.last_completed_day {
            Some(last) if last == today || last.next_day() == Some(today) => self.days,
            _ => 0,
        }
    }
}

/// Everything about one person's pet. Create it with [`PetState::new`], change
/// it only through [`step`](super::step), read it through
/// [`observe`](super::observe) so that decay is applied.
///
/// Fields are private so the invariants hold: the hat worn is owned, an
/// adventure ends after it starts, no food stack exceeds [`MAX_FOOD_STACK`].
/// Deserialising checks them again, so a tampered JSON state is refused
/// rather than trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PetState {
    pub(crate) name: PetName,
    pub(crate) species: Species,
    pub(crate) stats: Stats,
    pub(crate) decay_carry: DecayCarry,
    pub(crate) coins: u32,
    pub(crate) xp: u32,
    pub(crate) stage: Stage,
    pub(crate) hat: Option<Hat>,
    pub(crate) hats: BTreeSet<Hat>,
    pub(crate) food: BTreeMap<Food, u16>,
    pub(crate) last_update: Timestamp,
    pub(crate) adventure: Option<Adventure>,
    pub(crate) today: DailyRecord,
    pub(crate) streak: Streak,
}

impl PetState {
    /// A newly adopted pet: stats at their start values, no coins, xp or items,
    /// a baby, last updated `now`.
    pub fn new(name: PetName, species: Species, now: Timestamp) -> PetState {
        PetState {
            name,
            species,
            stats: Stats::at_start(),
            decay_carry: DecayCarry::default(),
            coins: 0,
            xp: 0,
            stage: Stage::Baby,
            hat: None,
            hats: BTreeSet::new(),
            food: BTreeMap::new(),
            last_update: now,
            adventure: None,
            today: DailyRecord::empty(now.date()),
            streak: Streak::default(),
        }
    }

    /// The pet's name.
    pub fn name(&self) -> &PetName {
        &self.name
    }

    /// The pet's species.
    pub fn species(&self) -> Species {
        self.species
    }

    /// The four stats as of [`last_update`](Self::last_update); use
    /// [`observe`](super::observe) first to see them as of now.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Coins held.
    pub fn coins(&self) -> u32 {
        self.coins
    }

    /// Experience points earned in total.
    pub fn xp(&self) -> u32 {
        self.xp
    }

    /// The pet's stage of growth.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The hat being worn, if any.
    pub fn hat(&self) -> Option<Hat> {
        self.hat
    }

    /// Hats owned.
    pub fn hats(&self) -> &BTreeSet<Hat> {
        &self.hats
    }

    /// Food held, by kind (kinds with none are absent).
    pub fn food(&self) -> &BTreeMap<Food, u16> {
        &self.food
    }

    /// How many of `food` the pet holds.
    pub fn food_count(&self, food: Food) -> u16 {
        self.food.get(&food).copied().unwrap_or(0)
    }

    /// The latest time the state was brought up to date.
    pub fn last_update(&self) -> Timestamp {
        self.last_update
    }

    /// The adventure in progress or waiting to be collected, if any.
    pub fn adventure(&self) -> Option<Adventure> {
        self.adventure
    }

    /// The rewards paid on the latest day the pet has seen.
    pub fn daily_record(&self) -> DailyRecord {
        self.today
    }

    /// The streak of days with all daily tasks done.
    pub fn streak(&self) -> Streak {
        self.streak
    }

    /// How many more times `activity` pays on `today` (the cap if `today` is
    /// later than the stored day, since a new day starts fresh).
    pub fn rewards_left(&self, activity: WellbeingActivity, today: Date) -> u8 {
        let cap = activity_reward(activity).per_day;
        if today > self.today.day {
            cap
        } else {
            cap.saturating_sub(self.today.rewarded.activity(activity))
        }
    }
}

/// The stored shape of [`PetState`], checked before it becomes one.
#[derive(Deserialize)]
struct StoredPetState {
    name: PetName,
    species: Species,
    stats: Stats,
    #[serde(default)]
    decay_carry: DecayCarry,
    coins: u32,
    xp: u32,
    stage: Stage,
    hat: Option<Hat>,
    hats: BTreeSet<Hat>,
    food: BTreeMap<Food, u16>,
    last_update: Timestamp,
    adventure: Option<Adventure>,
    today: DailyRecord,
    streak: Streak,
}

impl StoredPetState {
    fn check(self) -> Result<PetState, Error> {
        if let Some(hat) = self.hat
            && !self.hats.contains(&hat)
        {
            return Err(Error::WornHatNotOwned { hat });
        }
        if let Some(adventure) = self.adventure
            && adventure.returns_at < adventure.started_at
        {
            return Err(Error::AdventureReturnsBeforeStart {
                started_at: adventure.started_at,
                returns_at: adventure.returns_at,
            });
        }
        if let Some((&food, &count)) = self.food.iter().find(|(_, count)| **count > MAX_FOOD_STACK)
        {
            return Err(Error::StoredFoodAboveMaximum {
                food,
                count,
                max: MAX_FOOD_STACK,
            });
        }
        let mut food = self.food;
        // Empty stacks carry no information; dropping them keeps equality simple.
        food.retain(|_, count| *count > 0);
        Ok(PetState {
            name: self.name,
            species: self.species,
            stats: self.stats,
            decay_carry: self.decay_carry,
            coins: self.coins,
            xp: self.xp,
            // A stage stored behind its xp (e.g. after thresholds were lowered) catches up.
            stage: self.stage.max(Stage::for_xp(self.xp)),
            hat: self.hat,
            hats: self.hats,
            food,
            last_update: self.last_update,
            adventure: self.adventure,
            today: self.today,
            streak: self.streak,
        })
    }
}

impl<'de> Deserialize<'de> for PetState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PetState, D::Error> {
        StoredPetState::deserialize(deserializer)?
            .check()
            .map_err(de::Error::custom)
    }
}
