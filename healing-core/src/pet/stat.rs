//! The pet's four stats and the bounded [`Stat`] value they share.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ENERGY, Error, HAPPINESS, HUNGER, HYGIENE, StatRule};

/// A stat level from 0 to 100 (higher is better). It cannot leave that range:
/// construction checks it, and every change saturates.
///
/// Serialises as a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stat(u8);

impl Stat {
    /// The highest level.
    pub const MAX: u8 = 100;
    /// A full stat (100).
    pub const FULL: Stat = Stat(Stat::MAX);

    /// Checks and wraps a level from 0 to 100.
    pub const fn new(points: u8) -> Result<Stat, Error> {
        if points > Stat::MAX {
            return Err(Error::StatAboveMaximum {
                points,
                max: Stat::MAX,
            });
        }
        Ok(Stat(points))
    }

    /// Wraps a level, lowering anything above 100 to 100.
    pub const fn saturating(points: u8) -> Stat {
        if points > Stat::MAX {
            Stat::FULL
        } else {
            Stat(points)
        }
    }

    /// The level, 0 to 100.
    pub const fn points(self) -> u8 {
        self.0
    }

    /// The level raised by `points`, stopping at 100.
    pub const fn raised_by(self, points: u8) -> Stat {
        Stat::saturating(self.0.saturating_add(points))
    }

    /// The level lowered by `points`, stopping at `floor` (a level already below
    /// the floor is lifted to it, so the floor holds whatever the stored state).
    pub fn lowered_by(self, points: u64, floor: u8) -> Stat {
        let lowered = u64::from(self.0).saturating_sub(points);
        // Both operands are at most 100 (a Stat and a checked floor), so this fits a u8.
        let level = lowered.max(u64::from(floor)).min(u64::from(Stat::MAX));
        Stat(u8::try_from(level).unwrap_or(Stat::MAX))
    }
}

impl TryFrom<u8> for Stat {
    type Error = Error;

    fn try_from(points: u8) -> Result<Stat, Error> {
        Stat::new(points)
    }
}

impl From<Stat> for u8 {
    fn from(stat: Stat) -> u8 {
        stat.0
    }
}

impl fmt::Display for Stat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which of the four stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatKind {
    /// How well fed the pet is.
    Hunger,
    /// How cheerful the pet is.
    Happiness,
    /// How rested the pet is.
    Energy,
    /// How clean the pet is.
    Hygiene,
}

crate::wire_name::wire_names!(StatKind {
    Hunger => "hunger",
    Happiness => "happiness",
    Energy => "energy",
    Hygiene => "hygiene",
});

impl StatKind {
    /// All four, in display order.
    pub const ALL: [StatKind; 4] = [
        StatKind::Hunger,
        StatKind::Happiness,
        StatKind::Energy,
        StatKind::Hygiene,
    ];

    /// The stat's start, floor and decay rule.
    pub const fn rule(self) -> StatRule {
        match self {
            StatKind::Hunger => HUNGER,
            StatKind::Happiness => HAPPINESS,
            StatKind::Energy => ENERGY,
            StatKind::Hygiene => HYGIENE,
        }
    }
}

/// The pet's four stats, each 0 to 100, higher is better (a full hunger stat
/// means well fed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stats {
    /// How well fed the pet is.
    pub hunger: Stat,
    /// How cheerful the pet is.
    pub happiness: Stat,
    /// How rested the pet is.
    pub energy: Stat,
    /// How clean the pet is.
    pub hygiene: Stat,
}

impl Stats {
    /// Every stat at its start value from the rules.
    pub const fn at_start() -> Stats {
        Stats {
            hunger: Stat::saturating(HUNGER.start),
            happiness: Stat::saturating(HAPPINESS.start),
            energy: Stat::saturating(ENERGY.start),
            hygiene: Stat::saturating(HYGIENE.start),
        }
    }

    /// One stat by kind.
    pub const fn stat(&self, kind: StatKind) -> Stat {
        match kind {
            StatKind::Hunger => self.hunger,
            StatKind::Happiness => self.happiness,
            StatKind::Energy => self.energy,
            StatKind::Hygiene => self.hygiene,
        }
    }

    pub(crate) fn stat_mut(&mut self, kind: StatKind) -> &mut Stat {
        match kind {
            StatKind::Hunger => &mut self.hunger,
            StatKind::Happiness => &mut self.happiness,
            StatKind::Energy => &mut self.energy,
            StatKind::Hygiene => &mut self.hygiene,
        }
    }
}

/// Seconds of absence already counted but not yet worth a whole point of decay,
/// per stat. Carrying them makes decay exact: reading the state every minute or
/// once a day loses the same number of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub(crate) struct DecayCarry {
    pub(crate) hunger: u32,
    pub(crate) happiness: u32,
    pub(crate) energy: u32,
    pub(crate) hygiene: u32,
}

impl DecayCarry {
    pub(crate) fn seconds_mut(&mut self, kind: StatKind) -> &mut u32 {
        match kind {
            StatKind::Hunger => &mut self.hunger,
            StatKind::Happiness => &mut self.happiness,
            StatKind::Energy => &mut self.energy,
            StatKind::Hygiene => &mut self.hygiene,
        }
    }
}
