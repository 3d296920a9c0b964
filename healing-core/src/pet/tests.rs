//! Unit tests of the pet engine: each replays a script of events against a new
//! pet through [`check`] and compares the transcript with the expected one.

use expect_test::{Expect, expect};
use time::Date;

use super::*;
use crate::timestamp::Timestamp;

/// What a script line does.
#[derive(Clone)]
enum Action {
    /// `step` with the event at the line's time.
    Step(Event),
    /// `step_on_day` with the event and a local day.
    StepOnDay(Event, Date),
    /// `observe` at the line's time.
    Observe,
}

use Action::{Observe, Step as Do, StepOnDay};

const ADOPTED: &str = "2026-03-01T09:00:00Z";

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

fn day(text: &str) -> Date {
    at(&format!("{text}T12:00:00Z")).date()
}

fn activity(activity: WellbeingActivity) -> Action {
    Do(Event::CompleteActivity { activity })
}

fn summary(state: &PetState) -> String {
    let stats = state.stats();
    let mut line = format!(
        "hunger {} happiness {} energy {} hygiene {} | coins {} xp {} {:?}",
        stats.hunger,
        stats.happiness,
        stats.energy,
        stats.hygiene,
        state.coins(),
        state.xp(),
        state.stage(),
    );
    if !state.food().is_empty() {
        line += &format!(" food {:?}", state.food());
    }
    if !state.hats().is_empty() {
        line += &format!(" hats {:?} wearing {:?}", state.hats(), state.hat());
    }
    if let Some(adventure) = state.adventure() {
        line += &format!(" away until {}", adventure.returns_at);
    }
    let streak = state.streak();
    if streak.days > 0 {
        line += &format!(" streak {}", streak.days);
    }
    line
}

/// Adopts a pet at [`ADOPTED`] holding `coins`, replays `script` (each line a
/// time and an action; a failed step keeps the previous state, as a caller
/// would) and checks the transcript: each event as JSON, its outcomes as JSON
/// or its error message, and the state after it.
fn check(coins: u32, script: &[(&str, Action)], expected: Expect) {
    let mut state = PetState::new(
        PetName::new("Biscuit").unwrap(),
        Species::Hedgehog,
        at(ADOPTED),
    );
    state.coins = coins;
    let mut transcript = String::new();
    for (time, action) in script {
        let now = at(time);
        let (label, result) = match action {
            Do(event) => (
                serde_json::to_string(event).unwrap(),
                step(&state, event, now),
            ),
            StepOnDay(event, local) => (
                format!("{} on {local}", serde_json::to_string(event).unwrap()),
                step_on_day(&state, event, now, *local),
            ),
            Observe => {
                state = observe(&state, now);
                transcript += &format!("{time} observe\n  = {}\n", summary(&state));
                continue;
            }
        };
        transcript += &format!("{time} {label}\n");
        match result {
            Ok(next) => {
                for outcome in &next.outcomes {
                    transcript += &format!("  → {}\n", serde_json::to_string(outcome).unwrap());
                }
                state = next.state;
            }
            Err(error) => transcript += &format!("  ✗ {error}\n"),
        }
        transcript += &format!("  = {}\n", summary(&state));
    }
    expected.assert_eq(&transcript);
}

#[test]
fn decays_at_each_stat_rate_and_stops_at_the_floor() {
    check(
        0,
        &[
            ("2026-03-01T10:00:00Z", Observe),
            ("2026-03-02T09:00:00Z", Observe),
            ("2026-04-01T09:00:00Z", Observe),
        ],
        expect![[r#"
            2026-03-01T10:00:00Z observe
              = hunger 76 happiness 77 energy 78 hygiene 79 | coins 0 xp 0 Baby
            2026-03-02T09:00:00Z observe
              = hunger 20 happiness 20 energy 32 hygiene 44 | coins 0 xp 0 Baby
            2026-04-01T09:00:00Z observe
              = hunger 20 happiness 20 energy 15 hygiene 15 | coins 0 xp 0 Baby
        "#]],
    );
}

#[test]
fn carries_part_points_so_frequent_reads_decay_the_same_as_one_read() {
    let pet = PetState::new(PetName::new("Pip").unwrap(), Species::Cat, at(ADOPTED));
    let start = at(ADOPTED).unix_seconds();
    let mut often = pet.clone();
    for minute in 1..=300 {
        often = observe(
            &often,
            Timestamp::from_unix_seconds(start + minute * 60).unwrap(),
        );
    }
    let once = observe(
        &pet,
        Timestamp::from_unix_seconds(start + 300 * 60).unwrap(),
    );
    assert_eq!(often, once);
    assert_eq!(once.stats().hunger.points(), 60);
}

#[test]
fn time_going_backwards_neither_decays_nor_moves_last_update_back() {
    let pet = PetState::new(PetName::new("Pip").unwrap(), Species::Cat, at(ADOPTED));
    let later = observe(&pet, at("2026-03-01T11:00:00Z"));
    let earlier = observe(&later, at("2026-03-01T08:00:00Z"));
    assert_eq!(earlier, later);
    assert_eq!(earlier.last_update(), at("2026-03-01T11:00:00Z"));
    check(
        0,
        &[
            ("2026-03-01T11:00:00Z", Observe),
            ("2026-02-28T11:00:00Z", Do(Event::Play)),
            ("2026-03-01T11:15:00Z", Observe),
        ],
        expect![[r#"
            2026-03-01T11:00:00Z observe
              = hunger 72 happiness 74 energy 76 hygiene 77 | coins 0 xp 0 Baby
            2026-02-28T11:00:00Z {"kind":"play"}
              → {"kind":"stat_changed","stat":"happiness","from":74,"to":89}
              → {"kind":"stat_changed","stat":"energy","from":76,"to":71}
              = hunger 72 happiness 89 energy 71 hygiene 77 | coins 0 xp 0 Baby
            2026-03-01T11:15:00Z observe
              = hunger 71 happiness 89 energy 71 hygiene 77 | coins 0 xp 0 Baby
        "#]],
    );
}

#[test]
fn feeds_free_kibble_without_coins_and_other_food_from_the_inventory() {
    check(
        20,
        &[
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Feed { food: Food::Kibble }),
            ),
            ("2026-03-01T09:01:00Z", Do(Event::Feed { food: Food::Soup })),
            (
                "2026-03-01T09:02:00Z",
                Do(Event::Buy {
                    item: ShopItem::Food(Food::Soup),
                }),
            ),
            ("2026-03-01T09:03:00Z", Do(Event::Feed { food: Food::Soup })),
            ("2026-03-01T09:04:00Z", Do(Event::Feed { food: Food::Soup })),
        ],
        expect![[r#"
            2026-03-01T09:00:00Z {"kind":"feed","food":"kibble"}
              → {"kind":"food_eaten","food":"kibble","left":null}
              → {"kind":"stat_changed","stat":"hunger","from":80,"to":95}
              = hunger 95 happiness 80 energy 80 hygiene 80 | coins 20 xp 0 Baby
            2026-03-01T09:01:00Z {"kind":"feed","food":"soup"}
              ✗ food soup is not in the inventory
              = hunger 95 happiness 80 energy 80 hygiene 80 | coins 20 xp 0 Baby
            2026-03-01T09:02:00Z {"kind":"buy","item":"soup"}
              → {"kind":"bought","item":"soup","price":12,"coins_left":8}
              = hunger 95 happiness 80 energy 80 hygiene 80 | coins 8 xp 0 Baby food {Soup: 1}
            2026-03-01T09:03:00Z {"kind":"feed","food":"soup"}
              → {"kind":"food_eaten","food":"soup","left":0}
              → {"kind":"stat_changed","stat":"hunger","from":95,"to":100}
              → {"kind":"stat_changed","stat":"happiness","from":80,"to":85}
              = hunger 100 happiness 85 energy 80 hygiene 80 | coins 8 xp 0 Baby
            2026-03-01T09:04:00Z {"kind":"feed","food":"soup"}
              ✗ food soup is not in the inventory
              = hunger 100 happiness 85 energy 80 hygiene 80 | coins 8 xp 0 Baby
        "#]],
    );
}

#[test]
fn shop_refuses_unaffordable_already_owned_full_and_unsold_items() {
    let mut full = PetState::new(PetName::new("Pip").unwrap(), Species::Cat, at(ADOPTED));
    full.coins = 1_000;
    full.food.insert(Food::Apple, MAX_FOOD_STACK);
    assert_eq!(
        step(
            &full,
            &Event::Buy {
                item: ShopItem::Food(Food::Apple)
            },
            at(ADOPTED)
        ),
        Err(Error::FoodStackFull {
            food: Food::Apple,
            max: 99
        })
    );
    assert_eq!(
        "top_hat".parse::<ShopItem>(),
        Err(Error::UnknownShopItem {
            name: "top_hat".to_owned()
        })
    );
    check(
        45,
        &[
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Buy {
                    item: ShopItem::Hat(Hat::Crown),
                }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Buy {
                    item: ShopItem::Food(Food::Kibble),
                }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Buy {
                    item: ShopItem::Hat(Hat::Beanie),
                }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Buy {
                    item: ShopItem::Hat(Hat::Beanie),
                }),
            ),
        ],
        expect![[r#"
            2026-03-01T09:00:00Z {"kind":"buy","item":"crown"}
              ✗ crown costs 150 coins but the pet has 45
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 45 xp 0 Baby
            2026-03-01T09:00:00Z {"kind":"buy","item":"kibble"}
              ✗ shop item 'kibble' is unknown
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 45 xp 0 Baby
            2026-03-01T09:00:00Z {"kind":"buy","item":"beanie"}
              → {"kind":"bought","item":"beanie","price":30,"coins_left":15}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 15 xp 0 Baby hats {Beanie} wearing None
            2026-03-01T09:00:00Z {"kind":"buy","item":"beanie"}
              ✗ hat beanie is already owned
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 15 xp 0 Baby hats {Beanie} wearing None
        "#]],
    );
}

#[test]
fn wears_only_owned_hats_and_swaps_or_removes_them() {
    check(
        100,
        &[
            (
                "2026-03-01T09:00:00Z",
                Do(Event::WearHat { hat: Hat::SunHat }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Buy {
                    item: ShopItem::Hat(Hat::SunHat),
                }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::Buy {
                    item: ShopItem::Hat(Hat::Beanie),
                }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::WearHat { hat: Hat::SunHat }),
            ),
            (
                "2026-03-01T09:00:00Z",
                Do(Event::WearHat { hat: Hat::Beanie }),
            ),
            ("2026-03-01T09:00:00Z", Do(Event::TakeOffHat)),
            ("2026-03-01T09:00:00Z", Do(Event::TakeOffHat)),
        ],
        expect![[r#"
            2026-03-01T09:00:00Z {"kind":"wear_hat","hat":"sun_hat"}
              ✗ hat sun_hat is not owned
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 100 xp 0 Baby
            2026-03-01T09:00:00Z {"kind":"buy","item":"sun_hat"}
              → {"kind":"bought","item":"sun_hat","price":40,"coins_left":60}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 60 xp 0 Baby hats {SunHat} wearing None
            2026-03-01T09:00:00Z {"kind":"buy","item":"beanie"}
              → {"kind":"bought","item":"beanie","price":30,"coins_left":30}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 30 xp 0 Baby hats {Beanie, SunHat} wearing None
            2026-03-01T09:00:00Z {"kind":"wear_hat","hat":"sun_hat"}
              → {"kind":"hat_worn","hat":"sun_hat"}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 30 xp 0 Baby hats {Beanie, SunHat} wearing Some(SunHat)
            2026-03-01T09:00:00Z {"kind":"wear_hat","hat":"beanie"}
              → {"kind":"hat_taken_off","hat":"sun_hat"}
              → {"kind":"hat_worn","hat":"beanie"}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 30 xp 0 Baby hats {Beanie, SunHat} wearing Some(Beanie)
            2026-03-01T09:00:00Z {"kind":"take_off_hat"}
              → {"kind":"hat_taken_off","hat":"beanie"}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 30 xp 0 Baby hats {Beanie, SunHat} wearing None
            2026-03-01T09:00:00Z {"kind":"take_off_hat"}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 30 xp 0 Baby hats {Beanie, SunHat} wearing None
        "#]],
    );
}

#[test]
fn adventure_keeps_the_pet_away_until_collected_after_it_returns() {
    check(
        0,
        &[
            ("2026-03-01T09:00:00Z", Do(Event::CollectAdventure)),
            ("2026-03-01T09:00:00Z", Do(Event::StartAdventure)),
            ("2026-03-01T09:10:00Z", Do(Event::StartAdventure)),
            (
                "2026-03-01T09:10:00Z",
                Do(Event::Feed { food: Food::Kibble }),
            ),
            ("2026-03-01T09:10:00Z", activity(WellbeingActivity::Chat)),
            ("2026-03-01T09:20:00Z", Do(Event::CollectAdventure)),
            ("2026-03-01T09:30:00Z", Do(Event::CollectAdventure)),
        ],
        expect![[r#"
            2026-03-01T09:00:00Z {"kind":"collect_adventure"}
              ✗ there is no adventure to collect
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 0 xp 0 Baby
            2026-03-01T09:00:00Z {"kind":"start_adventure"}
              → {"kind":"adventure_started","returns_at":"2026-03-01T09:30:00Z"}
              → {"kind":"stat_changed","stat":"energy","from":80,"to":70}
              = hunger 80 happiness 80 energy 70 hygiene 80 | coins 0 xp 0 Baby away until 2026-03-01T09:30:00Z
            2026-03-01T09:10:00Z {"kind":"start_adventure"}
              ✗ the pet is on an adventure returning at 2026-03-01T09:30:00Z and must be collected first
              = hunger 80 happiness 80 energy 70 hygiene 80 | coins 0 xp 0 Baby away until 2026-03-01T09:30:00Z
            2026-03-01T09:10:00Z {"kind":"feed","food":"kibble"}
              ✗ the pet is on an adventure returning at 2026-03-01T09:30:00Z and must be collected first
              = hunger 80 happiness 80 energy 70 hygiene 80 | coins 0 xp 0 Baby away until 2026-03-01T09:30:00Z
            2026-03-01T09:10:00Z {"kind":"complete_activity","activity":"chat"}
              → {"kind":"activity_rewarded","activity":"chat","coins":3,"xp":5,"rewards_left_today":2}
              → {"kind":"stat_changed","stat":"happiness","from":80,"to":85}
              = hunger 80 happiness 85 energy 70 hygiene 80 | coins 3 xp 5 Baby away until 2026-03-01T09:30:00Z
            2026-03-01T09:20:00Z {"kind":"collect_adventure"}
              ✗ the adventure returns at 2026-03-01T09:30:00Z, 600 seconds from now
              = hunger 80 happiness 85 energy 70 hygiene 80 | coins 3 xp 5 Baby away until 2026-03-01T09:30:00Z
            2026-03-01T09:30:00Z {"kind":"collect_adventure"}
              → {"kind":"adventure_collected","started_at":"2026-03-01T09:00:00Z"}
              → {"kind":"stat_changed","stat":"happiness","from":84,"to":94}
              → {"kind":"adventure_rewarded","coins":10,"xp":15,"rewards_left_today":2}
              = hunger 78 happiness 94 energy 69 hygiene 80 | coins 13 xp 20 Baby
        "#]],
    );
}

#[test]
fn adventures_beyond_the_daily_cap_pay_nothing_and_say_so() {
    let mut script = Vec::new();
    for hour in ["09", "10", "11", "12"] {
        script.push((
            format!("2026-03-01T{hour}:00:00Z"),
            Do(Event::StartAdventure),
        ));
        script.push((
            format!("2026-03-01T{hour}:30:00Z"),
            Do(Event::CollectAdventure),
        ));
    }
    let script: Vec<(&str, Action)> = script
        .iter()
        .map(|(time, action)| (time.as_str(), action.clone()))
        .collect();
    check(
        0,
        &script,
        expect![[r#"
        2026-03-01T09:00:00Z {"kind":"start_adventure"}
          → {"kind":"adventure_started","returns_at":"2026-03-01T09:30:00Z"}
          → {"kind":"stat_changed","stat":"energy","from":80,"to":70}
          = hunger 80 happiness 80 energy 70 hygiene 80 | coins 0 xp 0 Baby away until 2026-03-01T09:30:00Z
        2026-03-01T09:30:00Z {"kind":"collect_adventure"}
          → {"kind":"adventure_collected","started_at":"2026-03-01T09:00:00Z"}
          → {"kind":"stat_changed","stat":"happiness","from":79,"to":89}
          → {"kind":"adventure_rewarded","coins":10,"xp":15,"rewards_left_today":2}
          = hunger 78 happiness 89 energy 69 hygiene 80 | coins 10 xp 15 Baby
        2026-03-01T10:00:00Z {"kind":"start_adventure"}
          → {"kind":"adventure_started","returns_at":"2026-03-01T10:30:00Z"}
          → {"kind":"stat_changed","stat":"energy","from":68,"to":58}
          = hunger 76 happiness 87 energy 58 hygiene 79 | coins 10 xp 15 Baby away until 2026-03-01T10:30:00Z
        2026-03-01T10:30:00Z {"kind":"collect_adventure"}
          → {"kind":"adventure_collected","started_at":"2026-03-01T10:00:00Z"}
          → {"kind":"stat_changed","stat":"happiness","from":86,"to":96}
          → {"kind":"adventure_rewarded","coins":10,"xp":15,"rewards_left_today":1}
          = hunger 74 happiness 96 energy 57 hygiene 78 | coins 20 xp 30 Baby
        2026-03-01T11:00:00Z {"kind":"start_adventure"}
          → {"kind":"adventure_started","returns_at":"2026-03-01T11:30:00Z"}
          → {"kind":"stat_changed","stat":"energy","from":56,"to":46}
          = hunger 72 happiness 94 energy 46 hygiene 77 | coins 20 xp 30 Baby away until 2026-03-01T11:30:00Z
        2026-03-01T11:30:00Z {"kind":"collect_adventure"}
          → {"kind":"adventure_collected","started_at":"2026-03-01T11:00:00Z"}
          → {"kind":"stat_changed","stat":"happiness","from":93,"to":100}
          → {"kind":"adventure_rewarded","coins":10,"xp":15,"rewards_left_today":0}
          = hunger 70 happiness 100 energy 45 hygiene 77 | coins 30 xp 45 Baby
        2026-03-01T12:00:00Z {"kind":"start_adventure"}
          → {"kind":"adventure_started","returns_at":"2026-03-01T12:30:00Z"}
          → {"kind":"stat_changed","stat":"energy","from":44,"to":34}
          = hunger 68 happiness 98 energy 34 hygiene 76 | coins 30 xp 45 Baby away until 2026-03-01T12:30:00Z
        2026-03-01T12:30:00Z {"kind":"collect_adventure"}
          → {"kind":"adventure_collected","started_at":"2026-03-01T12:00:00Z"}
          → {"kind":"stat_changed","stat":"happiness","from":97,"to":100}
          → {"kind":"adventure_cap_reached","per_day":3}
          = hunger 66 happiness 100 energy 33 hygiene 75 | coins 30 xp 45 Baby
    "#]],
    );
}

#[test]
fn activity_beyond_its_daily_cap_succeeds_with_no_reward_and_resets_next_day() {
    check(
        0,
        &[
            (
                "2026-03-01T09:00:00Z",
                activity(WellbeingActivity::Assessment),
            ),
            (
                "2026-03-01T09:01:00Z",
                activity(WellbeingActivity::Assessment),
            ),
            (
                "2026-03-02T09:00:00Z",
                activity(WellbeingActivity::Assessment),
            ),
        ],
        expect![[r#"
            2026-03-01T09:00:00Z {"kind":"complete_activity","activity":"assessment"}
              → {"kind":"activity_rewarded","activity":"assessment","coins":10,"xp":15,"rewards_left_today":0}
              → {"kind":"stat_changed","stat":"happiness","from":80,"to":85}
              = hunger 80 happiness 85 energy 80 hygiene 80 | coins 10 xp 15 Baby
            2026-03-01T09:01:00Z {"kind":"complete_activity","activity":"assessment"}
              → {"kind":"activity_cap_reached","activity":"assessment","per_day":1}
              = hunger 80 happiness 85 energy 80 hygiene 80 | coins 10 xp 15 Baby
            2026-03-02T09:00:00Z {"kind":"complete_activity","activity":"assessment"}
              → {"kind":"activity_rewarded","activity":"assessment","coins":10,"xp":15,"rewards_left_today":0}
              → {"kind":"stat_changed","stat":"happiness","from":20,"to":25}
              = hunger 20 happiness 25 energy 32 hygiene 44 | coins 20 xp 30 Baby
        "#]],
    );
}

#[test]
fn all_daily_tasks_pay_a_bonus_once_and_grow_the_streak_or_restart_it() {
    let tasks = |date: &'static str| {
        DAILY_TASKS
            .iter()
            .map(move |&task| (date, activity(task)))
            .collect::<Vec<_>>()
    };
    let mut script = tasks("2026-03-01T10:00:00Z");
    script.push(("2026-03-01T11:00:00Z", activity(WellbeingActivity::MoodLog)));
    script.extend(tasks("2026-03-02T10:00:00Z"));
    script.extend(tasks("2026-03-05T10:00:00Z"));
    check(
        0,
        &script,
        expect![[r#"
        2026-03-01T10:00:00Z {"kind":"complete_activity","activity":"mood_log"}
          → {"kind":"activity_rewarded","activity":"mood_log","coins":5,"xp":10,"rewards_left_today":2}
          → {"kind":"stat_changed","stat":"happiness","from":77,"to":82}
          = hunger 76 happiness 82 energy 78 hygiene 79 | coins 5 xp 10 Baby
        2026-03-01T10:00:00Z {"kind":"complete_activity","activity":"breathing"}
          → {"kind":"activity_rewarded","activity":"breathing","coins":5,"xp":5,"rewards_left_today":2}
          → {"kind":"stat_changed","stat":"happiness","from":82,"to":87}
          = hunger 76 happiness 87 energy 78 hygiene 79 | coins 10 xp 15 Baby
        2026-03-01T10:00:00Z {"kind":"complete_activity","activity":"journal"}
          → {"kind":"activity_rewarded","activity":"journal","coins":5,"xp":10,"rewards_left_today":1}
          → {"kind":"stat_changed","stat":"happiness","from":87,"to":92}
          → {"kind":"daily_tasks_completed","coins":15,"xp":25,"streak_days":1}
          = hunger 76 happiness 92 energy 78 hygiene 79 | coins 30 xp 50 Baby streak 1
        2026-03-01T11:00:00Z {"kind":"complete_activity","activity":"mood_log"}
          → {"kind":"activity_rewarded","activity":"mood_log","coins":5,"xp":10,"rewards_left_today":1}
          → {"kind":"stat_changed","stat":"happiness","from":89,"to":94}
          = hunger 72 happiness 94 energy 76 hygiene 77 | coins 35 xp 60 Baby streak 1
        2026-03-02T10:00:00Z {"kind":"complete_activity","activity":"mood_log"}
          → {"kind":"activity_rewarded","activity":"mood_log","coins":5,"xp":10,"rewards_left_today":2}
          → {"kind":"stat_changed","stat":"happiness","from":25,"to":30}
          = hunger 20 happiness 30 energy 30 hygiene 43 | coins 40 xp 70 Baby streak 1
        2026-03-02T10:00:00Z {"kind":"complete_activity","activity":"breathing"}
          → {"kind":"activity_rewarded","activity":"breathing","coins":5,"xp":5,"rewards_left_today":2}
          → {"kind":"stat_changed","stat":"happiness","from":30,"to":35}
          = hunger 20 happiness 35 energy 30 hygiene 43 | coins 45 xp 75 Baby streak 1
        2026-03-02T10:00:00Z {"kind":"complete_activity","activity":"journal"}
          → {"kind":"activity_rewarded","activity":"journal","coins":5,"xp":10,"rewards_left_today":1}
          → {"kind":"stat_changed","stat":"happiness","from":35,"to":40}
          → {"kind":"daily_tasks_completed","coins":15,"xp":25,"streak_days":2}
          → {"kind":"stage_changed","from":"baby","to":"child"}
          = hunger 20 happiness 40 energy 30 hygiene 43 | coins 65 xp 110 Child streak 2
        2026-03-05T10:00:00Z {"kind":"complete_activity","activity":"mood_log"}
          → {"kind":"activity_rewarded","activity":"mood_log","coins":5,"xp":10,"rewards_left_today":2}
          → {"kind":"stat_changed","stat":"happiness","from":20,"to":25}
          = hunger 20 happiness 25 energy 15 hygiene 15 | coins 70 xp 120 Child streak 2
        2026-03-05T10:00:00Z {"kind":"complete_activity","activity":"breathing"}
          → {"kind":"activity_rewarded","activity":"breathing","coins":5,"xp":5,"rewards_left_today":2}
          → {"kind":"stat_changed","stat":"happiness","from":25,"to":30}
          = hunger 20 happiness 30 energy 15 hygiene 15 | coins 75 xp 125 Child streak 2
        2026-03-05T10:00:00Z {"kind":"complete_activity","activity":"journal"}
          → {"kind":"activity_rewarded","activity":"journal","coins":5,"xp":10,"rewards_left_today":1}
          → {"kind":"stat_changed","stat":"happiness","from":30,"to":35}
          → {"kind":"daily_tasks_completed","coins":15,"xp":25,"streak_days":1}
          = hunger 20 happiness 35 energy 15 hygiene 15 | coins 95 xp 160 Child streak 1
    "#]],
    );
}

#[test]
fn grows_from_baby_to_child_to_adult_at_the_xp_thresholds() {
    let mut pet = PetState::new(PetName::new("Pip").unwrap(), Species::Owl, at(ADOPTED));
    pet.xp = CHILD_XP - 1;
    let grown = step(
        &pet,
        &Event::CompleteActivity {
            activity: WellbeingActivity::Chat,
        },
        at(ADOPTED),
    )
    .unwrap();
    assert_eq!(grown.state.stage(), Stage::Child);
    assert!(grown.outcomes.contains(&Outcome::StageChanged {
        from: Stage::Baby,
        to: Stage::Child
    }));
    assert_eq!(Stage::for_xp(ADULT_XP - 1), Stage::Child);
    assert_eq!(Stage::for_xp(ADULT_XP), Stage::Adult);
    assert_eq!(Stage::for_xp(u32::MAX), Stage::Adult);
}

#[test]
fn local_day_counts_caps_but_only_within_a_day_of_utc_and_never_backwards() {
    let chat = || Event::CompleteActivity {
        activity: WellbeingActivity::Assessment,
    };
    check(
        0,
        &[
            // 23:30 UTC in British Summer Time is already the next local day.
            ("2026-06-01T23:30:00Z", StepOnDay(chat(), day("2026-06-02"))),
            ("2026-06-01T23:40:00Z", StepOnDay(chat(), day("2026-06-01"))),
            ("2026-06-01T23:50:00Z", StepOnDay(chat(), day("2026-06-03"))),
        ],
        expect![[r#"
            2026-06-01T23:30:00Z {"kind":"complete_activity","activity":"assessment"} on 2026-06-02
              → {"kind":"activity_rewarded","activity":"assessment","coins":10,"xp":15,"rewards_left_today":0}
              → {"kind":"stat_changed","stat":"happiness","from":20,"to":25}
              = hunger 20 happiness 25 energy 15 hygiene 15 | coins 10 xp 15 Baby
            2026-06-01T23:40:00Z {"kind":"complete_activity","activity":"assessment"} on 2026-06-01
              → {"kind":"activity_cap_reached","activity":"assessment","per_day":1}
              = hunger 20 happiness 24 energy 15 hygiene 15 | coins 10 xp 15 Baby
            2026-06-01T23:50:00Z {"kind":"complete_activity","activity":"assessment"} on 2026-06-03
              ✗ day 2026-06-03 is more than one day from the utc date 2026-06-01
              = hunger 20 happiness 24 energy 15 hygiene 15 | coins 10 xp 15 Baby
        "#]],
    );
}

#[test]
fn renames_and_validates_names() {
    assert_eq!(PetName::new("  "), Err(Error::NameBlank));
    assert_eq!(
        PetName::new(&"x".repeat(25)),
        Err(Error::NameTooLong { chars: 25, max: 24 })
    );
    assert_eq!(
        PetName::new(&"x".repeat(10_000)).map_err(|e| e.to_string()),
        Err("pet name is 10000 characters long, above the maximum of 24".to_owned())
    );
    assert_eq!(
        PetName::new("Bo\u{1b}b"),
        Err(Error::NameHasControlCharacter { found: '\u{1b}' })
    );
    // "e" + combining acute is one character after NFC.
    let composed = PetName::new(&format!("{}e\u{301}", "x".repeat(23))).unwrap();
    assert_eq!(composed.as_str().chars().count(), 24);
    check(
        0,
        &[(
            "2026-03-01T09:00:00Z",
            Do(Event::Rename {
                name: PetName::new("Sir Prickles").unwrap(),
            }),
        )],
        expect![[r#"
            2026-03-01T09:00:00Z {"kind":"rename","name":"Sir Prickles"}
              → {"kind":"renamed","name":"Sir Prickles"}
              = hunger 80 happiness 80 energy 80 hygiene 80 | coins 0 xp 0 Baby
        "#]],
    );
}

#[test]
fn stored_state_round_trips_and_tampering_is_refused() {
    let pet = step(
        &PetState::new(PetName::new("Pip").unwrap(), Species::Fox, at(ADOPTED)),
        &Event::StartAdventure,
        at(ADOPTED),
    )
    .unwrap()
    .state;
    let json = serde_json::to_string(&pet).unwrap();
    expect![[r#"{"name":"Pip","species":"fox","stats":{"hunger":80,"happiness":80,"energy":70,"hygiene":80},"decay_carry":{"hunger":0,"happiness":0,"energy":0,"hygiene":0},"coins":0,"xp":0,"stage":"baby","hat":null,"hats":[],"food":{},"last_update":"2026-03-01T09:00:00Z","adventure":{"started_at":"2026-03-01T09:00:00Z","returns_at":"2026-03-01T09:30:00Z"},"today":{"day":"2026-03-01","rewarded":{"mood_log":0,"assessment":0,"cbt_tool":0,"journal":0,"breathing":0,"chat":0,"adventure":0}},"streak":{"days":0,"last_completed_day":null}}"#]].assert_eq(&json);
    assert_eq!(serde_json::from_str::<PetState>(&json).unwrap(), pet);

    let worn_not_owned = json.replace(r#""hat":null"#, r#""hat":"crown""#);
    let error = serde_json::from_str::<PetState>(&worn_not_owned)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("stored pet wears hat crown but does not own it"),
        "{error}"
    );
    let stat_too_high = json.replace(r#""hunger":80"#, r#""hunger":101"#);
    let error = serde_json::from_str::<PetState>(&stat_too_high)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("stat level is 101, above the maximum of 100"),
        "{error}"
    );
}

#[test]
fn daily_coin_ceiling_adds_up_every_capped_reward() {
    // mood 5×3 + assessment 10×1 + cbt 8×3 + journal 5×2 + breathing 5×3 + chat 3×3
    // + adventure 10×3 + daily bonus 15, from the table in rules.rs.
    assert_eq!(MAX_COINS_PER_DAY, 15 + 10 + 24 + 10 + 15 + 9 + 30 + 15);
}

#[test]
fn stat_never_leaves_zero_to_one_hundred() {
    assert_eq!(
        Stat::new(101),
        Err(Error::StatAboveMaximum {
            points: 101,
            max: 100
        })
    );
    assert_eq!(Stat::saturating(250), Stat::FULL);
    assert_eq!(Stat::FULL.raised_by(u8::MAX), Stat::FULL);
    assert_eq!(Stat::new(3).unwrap().lowered_by(u64::MAX, 0).points(), 0);
    assert_eq!(Stat::new(3).unwrap().lowered_by(0, 15).points(), 15);
}

#[test]
fn error_kind_is_the_snake_case_variant_name() {
    assert_eq!(Error::NameBlank.kind(), "name_blank");
    assert_eq!(
        Error::StatAboveMaximum { points: 2, max: 1 }.kind(),
        "stat_above_maximum"
    );
    assert_eq!(
        "no_such_item".parse::<ShopItem>().unwrap_err().kind(),
        "unknown_shop_item"
    );
}
