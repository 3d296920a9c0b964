//! Public-API tests of pet: JSON contracts, a realistic week, and property tests
//! over random event sequences and times.

use std::collections::BTreeMap;

use healing_core::pet::{
    self, Error, Event, Food, Hat, MAX_COINS_PER_DAY, Outcome, PetName, PetState, ShopItem,
    Species, StatKind, WellbeingActivity,
};
use healing_core::timestamp::Timestamp;
use proptest::prelude::*;

const ADOPTED: i64 = 1_772_355_600; // 2026-03-01T09:00:00Z

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(seconds).unwrap()
}

fn new_pet() -> PetState {
    PetState::new(
        PetName::new("Biscuit").unwrap(),
        Species::Rabbit,
        at(ADOPTED),
    )
}

#[test]
fn events_and_outcomes_use_stable_snake_case_json() {
    let event: Event = serde_json::from_str(r#"{"kind":"buy","item":"flower_crown"}"#).unwrap();
    assert_eq!(
        event,
        Event::Buy {
            item: ShopItem::Hat(Hat::FlowerCrown)
        }
    );
    let event: Event =
        serde_json::from_str(r#"{"kind":"complete_activity","activity":"cbt_tool"}"#).unwrap();
    assert_eq!(
        event,
        Event::CompleteActivity {
            activity: WellbeingActivity::CbtTool
        }
    );
    let outcome = Outcome::StatChanged {
        stat: StatKind::Hunger,
        from: pet::Stat::new(20).unwrap(),
        to: pet::Stat::new(35).unwrap(),
    };
    assert_eq!(
        serde_json::to_string(&outcome).unwrap(),
        r#"{"kind":"stat_changed","stat":"hunger","from":20,"to":35}"#
    );
}

#[test]
fn unknown_shop_item_in_json_is_refused_with_the_typed_message() {
    let error = serde_json::from_str::<Event>(r#"{"kind":"buy","item":"top_hat"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("shop item 'top_hat' is unknown"),
        "{error}"
    );
    let error = serde_json::from_str::<Event>(r#"{"kind":"rename","name":""}"#)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("pet name is blank"), "{error}");
}

#[test]
fn shop_catalogue_prices_come_from_the_engine() {
    let prices: Vec<(String, u32)> = ShopItem::catalogue()
        .map(|item| (item.to_string(), item.price()))
        .collect();
    assert_eq!(
        prices,
        [
            ("apple", 5),
            ("sandwich", 10),
            ("soup", 12),
            ("cake", 20),
            ("beanie", 30),
            ("sun_hat", 40),
            ("party_hat", 60),
            ("flower_crown", 80),
            ("crown", 150),
        ]
        .map(|(name, price)| (name.to_owned(), price))
    );
}

#[test]
fn failed_step_reports_have_and_need_and_the_state_is_unchanged() {
    let pet = new_pet();
    let before = pet.clone();
    let error = pet::step(
        &pet,
        &Event::Buy {
            item: ShopItem::Food(Food::Cake),
        },
        at(ADOPTED),
    )
    .unwrap_err();
    assert_eq!(
        error,
        Error::NotEnoughCoins {
            item: ShopItem::Food(Food::Cake),
            have: 0,
            need: 20
        }
    );
    assert_eq!(pet, before);
}

#[test]
fn a_long_absence_costs_nothing_but_stat_levels_above_their_floors() {
    let mut pet = new_pet();
    let mut now = ADOPTED;
    for activity in WellbeingActivity::ALL {
        now += 60;
        pet = pet::step(&pet, &Event::CompleteActivity { activity }, at(now))
            .unwrap()
            .state;
    }
    pet = pet::step(
        &pet,
        &Event::Buy {
            item: ShopItem::Hat(Hat::Beanie),
        },
        at(now),
    )
    .unwrap()
    .state;
    pet = pet::step(&pet, &Event::WearHat { hat: Hat::Beanie }, at(now))
        .unwrap()
        .state;
    let year_later = pet::observe(&pet, at(now + 365 * 24 * 3600));
    for kind in StatKind::ALL {
        assert_eq!(
            year_later.stats().stat(kind).points(),
            kind.rule().floor,
            "{kind:?}"
        );
    }
    assert_eq!(
        (
            year_later.coins(),
            year_later.xp(),
            year_later.stage(),
            year_later.hat()
        ),
        (pet.coins(), pet.xp(), pet.stage(), Some(Hat::Beanie))
    );
    assert_eq!(
        year_later.streak().days_on(year_later.last_update().date()),
        0
    );
    assert_eq!(
        year_later.streak().days,
        1,
        "the old streak is kept, not erased"
    );
}

/// Events the person could send, drawn from every variant.
fn any_event() -> impl Strategy<Value = Event> {
    let food = prop::sample::select(Food::ALL.to_vec());
    let hat = prop::sample::select(Hat::ALL.to_vec());
    let item = prop_oneof![
        food.clone().prop_map(ShopItem::Food),
        hat.clone().prop_map(ShopItem::Hat)
    ];
    let activity = prop::sample::select(WellbeingActivity::ALL.to_vec());
    prop_oneof![
        food.prop_map(|food| Event::Feed { food }),
        Just(Event::Play),
        Just(Event::Clean),
        Just(Event::Rest),
        Just(Event::StartAdventure),
        Just(Event::CollectAdventure),
        item.prop_map(|item| Event::Buy { item }),
        hat.prop_map(|hat| Event::WearHat { hat }),
        Just(Event::TakeOffHat),
        "[a-zA-Z ]{1,24}"
            .prop_filter_map("blank", |name| PetName::new(&name).ok())
            .prop_map(|name| Event::Rename { name }),
        activity
            .clone()
            .prop_map(|activity| Event::CompleteActivity { activity }),
        activity.prop_map(|activity| Event::CompleteActivity { activity }),
    ]
}

/// Time moves in jumps from seconds to weeks, sometimes backwards.
fn any_jump() -> impl Strategy<Value = i64> {
    prop_oneof![
        0i64..120,
        0i64..7_200,
        0i64..172_800,
        0i64..2_000_000,
        -7_200i64..0,
    ]
}

fn check_invariants(pet: &PetState) -> Result<(), TestCaseError> {
    for kind in StatKind::ALL {
        let points = pet.stats().stat(kind).points();
        prop_assert!(points <= 100, "{kind:?} is {points}");
        prop_assert!(
            points >= kind.rule().floor,
            "{kind:?} is {points}, below its floor"
        );
    }
    if let Some(hat) = pet.hat() {
        prop_assert!(pet.hats().contains(&hat));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_days_keep_stats_in_range_caps_honest_and_nothing_lost(
        script in prop::collection::vec((any_jump(), any_event()), 1..120),
    ) {
        let mut pet = new_pet();
        let mut now = ADOPTED;
        let mut coins_earned_per_day: BTreeMap<time::Date, u64> = BTreeMap::new();
        for (jump, event) in script {
            now += jump;
            let seen = pet::observe(&pet, at(now));
            check_invariants(&seen)?;
            match pet::step(&pet, &event, at(now)) {
                Ok(step) => {
                    let next = step.state;
                    check_invariants(&next)?;
                    // Only buying spends; nothing is ever taken for absence.
                    if !matches!(event, Event::Buy { .. }) {
                        prop_assert!(next.coins() >= pet.coins());
                    }
                    prop_assert!(next.xp() >= pet.xp());
                    prop_assert!(next.stage() >= pet.stage());
                    prop_assert!(pet.hats().is_subset(next.hats()));
                    let earned = u64::from(next.coins().saturating_sub(pet.coins()));
                    let day = coins_earned_per_day.entry(next.daily_record().day).or_default();
                    *day += earned;
                    prop_assert!(*day <= u64::from(MAX_COINS_PER_DAY), "earned {day} in a day");
                    pet = next;
                }
                Err(_) => check_invariants(&pet)?,
            }
        }
        let json = serde_json::to_string(&pet).unwrap();
        prop_assert_eq!(serde_json::from_str::<PetState>(&json).unwrap(), pet);
    }

    #[test]
    fn one_long_read_decays_exactly_like_many_short_ones(
        jumps in prop::collection::vec(0i64..100_000, 1..40),
    ) {
        let pet = new_pet();
        let mut often = pet.clone();
        let mut now = ADOPTED;
        for jump in jumps {
            now += jump;
            often = pet::observe(&often, at(now));
        }
        prop_assert_eq!(often, pet::observe(&pet, at(now)));
    }

    #[test]
    fn repeating_one_activity_never_pays_past_its_daily_cap(
        activity in prop::sample::select(WellbeingActivity::ALL.to_vec()),
        repeats in 1usize..50,
    ) {
        let mut pet = new_pet();
        for index in 0..repeats {
            let now = at(ADOPTED + i64::try_from(index).unwrap());
            pet = pet::step(&pet, &Event::CompleteActivity { activity }, now).unwrap().state;
        }
        let reward = pet::activity_reward(activity);
        let paid = u32::try_from(repeats).unwrap().min(u32::from(reward.per_day));
        // The daily bonus cannot be reached with one activity, so only its own reward counts.
        prop_assert_eq!(pet.coins(), paid * reward.coins);
    }

    #[test]
    fn any_text_as_a_name_is_accepted_or_refused_without_panicking(name in any::<String>()) {
        if let Ok(valid) = PetName::new(&name) {
            let chars = valid.as_str().chars().count();
            prop_assert!((1..=PetName::MAX_CHARS).contains(&chars));
            prop_assert!(!valid.as_str().chars().any(char::is_control));
        }
    }
}
