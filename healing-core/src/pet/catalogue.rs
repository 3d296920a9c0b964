//! The things a pet can be, eat and wear, the shop that sells them, and the
//! wellbeing activities that earn coins.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Error, food_rule, hat_price};

/// The kind of animal the person chose. Purely cosmetic: every species follows the same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Species {
    /// A cat.
    Cat,
    /// A dog.
    Dog,
    /// A rabbit.
    Rabbit,
    /// A hedgehog.
    Hedgehog,
    /// An owl.
    Owl,
    /// A fox.
    Fox,
}

crate::wire_name::wire_names!(Species {
    Cat => "cat",
    Dog => "dog",
    Rabbit => "rabbit",
    Hedgehog => "hedgehog",
    Owl => "owl",
    Fox => "fox",
});

/// Something the pet can eat. Prices and effects are in [`food_rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Food {
    /// Free, unlimited everyday food: the pet can always be fed, even with no coins.
    Kibble,
    /// An apple.
    Apple,
    /// A sandwich.
    Sandwich,
    /// A bowl of soup.
    Soup,
    /// A slice of cake: a treat that cheers more than it fills.
    Cake,
}

crate::wire_name::wire_names!(from_str only Food {
    Kibble => "kibble",
    Apple => "apple",
    Sandwich => "sandwich",
    Soup => "soup",
    Cake => "cake",
});

impl Food {
    /// Every food, in shop order.
    pub const ALL: [Food; 5] = [
        Food::Kibble,
        Food::Apple,
        Food::Sandwich,
        Food::Soup,
        Food::Cake,
    ];

    /// Whether the food can be fed without owning it (its price is 0).
    pub const fn is_always_available(self) -> bool {
        food_rule(self).price == 0
    }

    /// The food's name as used in JSON, e.g. `"apple"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Food::Kibble => "kibble",
            Food::Apple => "apple",
            Food::Sandwich => "sandwich",
            Food::Soup => "soup",
            Food::Cake => "cake",
        }
    }
}

impl fmt::Display for Food {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A hat the pet can wear once bought. Prices are in [`hat_price`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hat {
    /// A woolly beanie.
    Beanie,
    /// A sun hat.
    SunHat,
    /// A party hat.
    PartyHat,
    /// A crown of flowers.
    FlowerCrown,
    /// A golden crown.
    Crown,
}

crate::wire_name::wire_names!(from_str only Hat {
    Beanie => "beanie",
    SunHat => "sun_hat",
    PartyHat => "party_hat",
    FlowerCrown => "flower_crown",
    Crown => "crown",
});

impl Hat {
    /// Every hat, in shop order.
    pub const ALL: [Hat; 5] = [
        Hat::Beanie,
        Hat::SunHat,
        Hat::PartyHat,
        Hat::FlowerCrown,
        Hat::Crown,
    ];

    /// The hat's name as used in JSON, e.g. `"sun_hat"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Hat::Beanie => "beanie",
            Hat::SunHat => "sun_hat",
            Hat::PartyHat => "party_hat",
            Hat::FlowerCrown => "flower_crown",
            Hat::Crown => "crown",
        }
    }
}

impl fmt::Display for Hat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something the shop sells. The caller names the item; the price always comes
/// from the engine ([`ShopItem::price`]), never from the caller.
///
/// Serialises as the item's name (`"apple"`, `"sun_hat"`); an unknown name is
/// rejected with [`Error::UnknownShopItem`]. Free food (kibble) is not sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum ShopItem {
    /// A food to keep for later.
    Food(
        /// The food; never one that is always available.
        Food,
    ),
    /// A hat.
    Hat(
        /// The hat.
        Hat,
    ),
}

impl ShopItem {
    /// Everything the shop sells, foods first, in shop order.
    pub fn catalogue() -> impl Iterator<Item = ShopItem> {
        Food::ALL
            .into_iter()
            .filter(|food| !food.is_always_available())
            .map(ShopItem::Food)
            .chain(Hat::ALL.into_iter().map(ShopItem::Hat))
    }

    /// Finds a shop item by its name, e.g. `"apple"` or `"sun_hat"`.
    pub fn from_name(name: &str) -> Result<ShopItem, Error> {
        ShopItem::catalogue()
            .find(|item| item.as_str() == name)
            .ok_or_else(|| Error::UnknownShopItem {
                // Cut so a hostile name cannot bloat logs.
                name: name.chars().take(64).collect(),
            })
    }

    /// The item's name as used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            ShopItem::Food(food) => food.as_str(),
            ShopItem::Hat(hat) => hat.as_str(),
        }
    }

    /// The price in coins, from the rule tables.
    pub const fn price(self) -> u32 {
        match self {
            ShopItem::Food(food) => food_rule(food).price,
            ShopItem::Hat(hat) => hat_price(hat),
        }
    }
}

impl fmt::Display for ShopItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ShopItem {
    type Err = Error;

    fn from_str(name: &str) -> Result<ShopItem, Error> {
        ShopItem::from_name(name)
    }
}

impl TryFrom<String> for ShopItem {
    type Error = Error;

    fn try_from(name: String) -> Result<ShopItem, Error> {
        ShopItem::from_name(&name)
    }
}

impl From<ShopItem> for &'static str {
    fn from(item: ShopItem) -> &'static str {
        item.as_str()
    }
}

/// A self-care activity done elsewhere in the app that the pet rewards.
/// Rewards and daily caps are in [`activity_reward`](super::activity_reward).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WellbeingActivity {
    /// Logged a mood entry.
    MoodLog,
    /// Completed a questionnaire (for example PHQ-9 or GAD-7).
    Assessment,
    /// Used a CBT tool (for example a thought record).
    CbtTool,
    /// Wrote a journal entry.
    Journal,
    /// Did a breathing exercise.
    Breathing,
    /// Had a supportive chat.
    Chat,
}

crate::wire_name::wire_names!(from_str only WellbeingActivity {
    MoodLog => "mood_log",
    Assessment => "assessment",
    CbtTool => "cbt_tool",
    Journal => "journal",
    Breathing => "breathing",
    Chat => "chat",
});

impl WellbeingActivity {
    /// Every activity.
    pub const ALL: [WellbeingActivity; 6] = [
        WellbeingActivity::MoodLog,
        WellbeingActivity::Assessment,
        WellbeingActivity::CbtTool,
        WellbeingActivity::Journal,
        WellbeingActivity::Breathing,
        WellbeingActivity::Chat,
    ];

    /// The activity's name as used in JSON, e.g. `"mood_log"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            WellbeingActivity::MoodLog => "mood_log",
            WellbeingActivity::Assessment => "assessment",
            WellbeingActivity::CbtTool => "cbt_tool",
            WellbeingActivity::Journal => "journal",
            WellbeingActivity::Breathing => "breathing",
            WellbeingActivity::Chat => "chat",
        }
    }
}

impl fmt::Display for WellbeingActivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
