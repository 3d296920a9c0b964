//! What the person (or the rest of the app) can do to the pet.

use serde::{Deserialize, Serialize};

use super::{Food, Hat, PetName, ShopItem, WellbeingActivity};

/// One thing that happens to the pet, applied by [`step`](super::step).
///
/// Serialises with a `kind` tag, e.g. `{"kind":"feed","food":"apple"}` or
/// `{"kind":"complete_activity","activity":"mood_log"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// Feed the pet: free food always works, other food comes out of the inventory.
    Feed {
        /// What to feed.
        food: Food,
    },
    /// Play with the pet: happier, a little more tired.
    Play,
    /// Clean the pet.
    Clean,
    /// Let the pet rest.
    Rest,
    /// Send the pet on an adventure (a walk); it is away for
    /// [`ADVENTURE_SECONDS`](super::ADVENTURE_SECONDS).
    StartAdventure,
    /// Welcome the pet back from an adventure that has ended, and take its reward.
    CollectAdventure,
    /// Buy an item from the shop at the engine's price.
    Buy {
        /// What to buy.
        item: ShopItem,
    },
    /// Put on an owned hat, replacing any hat worn; wearing it already changes nothing.
    WearHat {
        /// The hat.
        hat: Hat,
    },
    /// Take off the hat being worn, if any.
    TakeOffHat,
    /// Give the pet a new name.
    Rename {
        /// The new name.
        name: PetName,
    },
    /// The person did a wellbeing activity elsewhere in the app; the pet rewards
    /// it up to the activity's daily cap.
    CompleteActivity {
        /// Which activity.
        activity: WellbeingActivity,
    },
}
