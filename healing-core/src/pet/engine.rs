//! The pure transition functions: [`observe`] applies decay, [`step`] applies an event.

use time::Date;

use super::{
    ACTIVITY_HAPPINESS, ADVENTURE_ENERGY_COST, ADVENTURE_HAPPINESS, ADVENTURE_REWARD,
    ADVENTURE_SECONDS, CLEAN_HYGIENE, DAILY_BONUS, DAILY_TASKS, DailyRecord, Error, Event, Food,
    Hat, MAX_FOOD_STACK, Outcome, PLAY_ENERGY_COST, PLAY_HAPPINESS, PetState, REST_ENERGY,
    ShopItem, Stage, StatKind, Step, WellbeingActivity, activity_reward, food_rule,
};
use crate::timestamp::Timestamp;

/// The pet as it is at `now`: each stat has decayed for the time since
/// [`PetState::last_update`], never below its floor, and `last_update` becomes `now`.
///
/// Call it whenever the pet is shown; there is no background job. Decay is
/// exact: seconds short of a whole point are carried in the state, so
/// observing often or rarely gives the same result.
///
/// If `now` is earlier than the last update (a clock moved back, or requests
/// arrived out of order), nothing decays and `last_update` stays at the later
/// time, so the same span is never counted twice.
pub fn observe(state: &PetState, now: Timestamp) -> PetState {
    let mut next = state.clone();
    decay(&mut next, now);
    next
}

/// Applies `event` to the pet at `now`, counting daily caps on the UTC date of `now`.
///
/// Decay up to `now` is applied first (as by [`observe`]). On error the
/// returned error names the problem and the input `state` is untouched; the
/// caller keeps storing it. `now` must come from a clock the caller trusts
/// (the server), not from the person's device, or caps could be sidestepped by
/// changing the date.
pub fn step(state: &PetState, event: &Event, now: Timestamp) -> Result<Step, Error> {
    step_on_day(state, event, now, now.date())
}

/// Like [`step`], but counts daily caps and streaks on `day`, the person's local
/// calendar day (for example in Europe/London, where the day starts an hour
/// before UTC midnight in summer).
///
/// `day` must be within one day of the UTC date of `now`, which covers every
/// time zone, else [`Error::DayTooFarFromNow`]. Days only move forward: a `day`
/// earlier than the stored one counts against the stored day.
pub fn step_on_day(
    state: &PetState,
    event: &Event,
    now: Timestamp,
    day: Date,
) -> Result<Step, Error> {
    let utc_date = now.date();
    if (day - utc_date).whole_days().abs() > 1 {
        return Err(Error::DayTooFarFromNow { day, utc_date });
    }
    let mut next = observe(state, now);
    if day > next.today.day {
        next.today = DailyRecord::empty(day);
    }
    let mut outcomes = Vec::new();
    apply(&mut next, event, now, &mut outcomes)?;
    grow(&mut next, &mut outcomes);
    Ok(Step {
        state: next,
        outcomes,
    })
}

fn decay(state: &mut PetState, now: Timestamp) {
    let elapsed = now.seconds_since(state.last_update);
    if elapsed <= 0 {
        return;
    }
    let elapsed = elapsed.unsigned_abs();
    for kind in StatKind::ALL {
        let rule = kind.rule();
        // The rules refuse a zero period at compile time; `max` keeps this total anyway.
        let period = u64::from(rule.seconds_per_point.max(1));
        let carry = state.decay_carry.seconds_mut(kind);
        let total = u64::from(*carry).saturating_add(elapsed);
        // The remainder is below `period`, which came from a u32, so it fits.
        *carry = u32::try_from(total % period).unwrap_or(0);
        let stat = state.stats.stat_mut(kind);
        *stat = stat.lowered_by(total / period, rule.floor);
    }
    state.last_update = now;
}

/// Changes `state` in place. On `Err` the caller drops `state`, so a partly
/// applied event is never seen; every check still comes before the first change.
fn apply(
    state: &mut PetState,
    event: &Event,
    now: Timestamp,
    outcomes: &mut Vec<Outcome>,
) -> Result<(), Error> {
    match event {
        Event::Feed { food } => feed(state, *food, outcomes),
        Event::Play => {
            ensure_home(state)?;
            raise(state, StatKind::Happiness, PLAY_HAPPINESS, outcomes);
            lower(state, StatKind::Energy, PLAY_ENERGY_COST, outcomes);
            Ok(())
        }
        Event::Clean => {
            ensure_home(state)?;
            raise(state, StatKind::Hygiene, CLEAN_HYGIENE, outcomes);
            Ok(())
        }
        Event::Rest => {
            ensure_home(state)?;
            raise(state, StatKind::Energy, REST_ENERGY, outcomes);
            Ok(())
        }
        Event::StartAdventure => start_adventure(state, now, outcomes),
        Event::CollectAdventure => collect_adventure(state, now, outcomes),
        Event::Buy { item } => buy(state, *item, outcomes),
        Event::WearHat { hat } => wear_hat(state, *hat, outcomes),
        Event::TakeOffHat => {
            if let Some(hat) = state.hat.take() {
                outcomes.push(Outcome::HatTakenOff { hat });
            }
            Ok(())
        }
        Event::Rename { name } => {
            state.name = name.clone();
            outcomes.push(Outcome::Renamed { name: name.clone() });
            Ok(())
        }
        Event::CompleteActivity { activity } => {
            complete_activity(state, *activity, outcomes);
            Ok(())
        }
    }
}

/// Care needs the pet at home: while it is away (or back but not yet collected)
/// it cannot eat, play, wash, rest or set off again.
fn ensure_home(state: &PetState) -> Result<(), Error> {
    match state.adventure {
        Some(adventure) => Err(Error::AdventureInProgress {
            returns_at: adventure.returns_at,
        }),
        None => Ok(()),
    }
}

fn feed(state: &mut PetState, food: Food, outcomes: &mut Vec<Outcome>) -> Result<(), Error> {
    ensure_home(state)?;
    let left = if food.is_always_available() {
        None
    } else {
        let count = state.food.get(&food).copied().unwrap_or(0);
        let Some(left) = count.checked_sub(1) else {
            return Err(Error::FoodNotOwned { food });
        };
        if left == 0 {
            state.food.remove(&food);
        } else {
            state.food.insert(food, left);
        }
        Some(left)
    };
    outcomes.push(Outcome::FoodEaten { food, left });
    let rule = food_rule(food);
    raise(state, StatKind::Hunger, rule.hunger, outcomes);
    raise(state, StatKind::Happiness, rule.happiness, outcomes);
    Ok(())
}

fn start_adventure(
    state: &mut PetState,
    now: Timestamp,
    outcomes: &mut Vec<Outcome>,
) -> Result<(), Error> {
    ensure_home(state)?;
    let returns_at = now
        .checked_add_seconds(i64::from(ADVENTURE_SECONDS))
        .ok_or(Error::AdventureBeyondCalendar { started_at: now })?;
    state.adventure = Some(super::Adventure {
        started_at: now,
        returns_at,
    });
    outcomes.push(Outcome::AdventureStarted { returns_at });
    lower(state, StatKind::Energy, ADVENTURE_ENERGY_COST, outcomes);
    Ok(())
}

fn collect_adventure(
    state: &mut PetState,
    now: Timestamp,
    outcomes: &mut Vec<Outcome>,
) -> Result<(), Error> {
    let adventure = state.adventure.ok_or(Error::NothingToCollect)?;
    if now < adventure.returns_at {
        return Err(Error::AdventureNotOver {
            returns_at: adventure.returns_at,
            seconds_left: adventure.returns_at.seconds_since(now),
        });
    }
    state.adventure = None;
    outcomes.push(Outcome::AdventureCollected {
        started_at: adventure.started_at,
    });
    raise(state, StatKind::Happiness, ADVENTURE_HAPPINESS, outcomes);
    let paid = &mut state.today.rewarded.adventure;
    if *paid < ADVENTURE_REWARD.per_day {
        *paid += 1;
        let rewards_left_today = ADVENTURE_REWARD.per_day - *paid;
        pay(state, ADVENTURE_REWARD.coins, ADVENTURE_REWARD.xp);
        outcomes.push(Outcome::AdventureRewarded {
            coins: ADVENTURE_REWARD.coins,
            xp: ADVENTURE_REWARD.xp,
            rewards_left_today,
        });
    } else {
        outcomes.push(Outcome::AdventureCapReached {
            per_day: ADVENTURE_REWARD.per_day,
        });
    }
    Ok(())
}

fn buy(state: &mut PetState, item: ShopItem, outcomes: &mut Vec<Outcome>) -> Result<(), Error> {
    match item {
        ShopItem::Food(food) if food.is_always_available() => {
            return Err(Error::UnknownShopItem {
                name: food.as_str().to_owned(),
            });
        }
        ShopItem::Food(food) if state.food_count(food) >= MAX_FOOD_STACK => {
            return Err(Error::FoodStackFull {
                food,
                max: MAX_FOOD_STACK,
            });
        }
        ShopItem::Hat(hat) if state.hats.contains(&hat) => {
            return Err(Error::HatAlreadyOwned { hat });
        }
        ShopItem::Food(_) | ShopItem::Hat(_) => {}
    }
    let price = item.price();
    let Some(coins_left) = state.coins.checked_sub(price) else {
        return Err(Error::NotEnoughCoins {
            item,
            have: state.coins,
            need: price,
        });
    };
    state.coins = coins_left;
    match item {
        ShopItem::Food(food) => {
            *state.food.entry(food).or_insert(0) += 1;
        }
        ShopItem::Hat(hat) => {
            state.hats.insert(hat);
        }
    }
    outcomes.push(Outcome::Bought {
        item,
        price,
        coins_left,
    });
    Ok(())
}

fn wear_hat(state: &mut PetState, hat: Hat, outcomes: &mut Vec<Outcome>) -> Result<(), Error> {
    if !state.hats.contains(&hat) {
        return Err(Error::HatNotOwned { hat });
    }
    if state.hat == Some(hat) {
        return Ok(());
    }
    if let Some(old) = state.hat.replace(hat) {
        outcomes.push(Outcome::HatTakenOff { hat: old });
    }
    outcomes.push(Outcome::HatWorn { hat });
    Ok(())
}

fn complete_activity(
    state: &mut PetState,
    activity: WellbeingActivity,
    outcomes: &mut Vec<Outcome>,
) {
    let reward = activity_reward(activity);
    let paid = state.today.rewarded.activity_mut(activity);
    if *paid >= reward.per_day {
        outcomes.push(Outcome::ActivityCapReached {
            activity,
            per_day: reward.per_day,
        });
        return;
    }
    *paid += 1;
    let rewards_left_today = reward.per_day - *paid;
    pay(state, reward.coins, reward.xp);
    outcomes.push(Outcome::ActivityRewarded {
        activity,
        coins: reward.coins,
        xp: reward.xp,
        rewards_left_today,
    });
    raise(state, StatKind::Happiness, ACTIVITY_HAPPINESS, outcomes);
    if DAILY_TASKS.contains(&activity) {
        complete_day_if_done(state, outcomes);
    }
}

/// Pays the daily bonus the first time all daily tasks are done on a day, and
/// extends the streak (or restarts it at 1 after a gap, with no penalty).
fn complete_day_if_done(state: &mut PetState, outcomes: &mut Vec<Outcome>) {
    let today = state.today.day;
    if !state.today.all_tasks_done() || state.streak.last_completed_day == Some(today) {
        return;
    }
    let continues = state
        .streak
        .last_completed_day
        .and_then(Date::next_day)
        .is_some_and(|after_last| after_last == today);
    state.streak.days = if continues {
        state.streak.days.saturating_add(1)
    } else {
        1
    };
    state.streak.last_completed_day = Some(today);
    pay(state, DAILY_BONUS.coins, DAILY_BONUS.xp);
    outcomes.push(Outcome::DailyTasksCompleted {
        coins: DAILY_BONUS.coins,
        xp: DAILY_BONUS.xp,
        streak_days: state.streak.days,
    });
}

fn pay(state: &mut PetState, coins: u32, xp: u32) {
    state.coins = state.coins.saturating_add(coins);
    state.xp = state.xp.saturating_add(xp);
}

fn grow(state: &mut PetState, outcomes: &mut Vec<Outcome>) {
    let reached = Stage::for_xp(state.xp);
    if reached > state.stage {
        outcomes.push(Outcome::StageChanged {
            from: state.stage,
            to: reached,
        });
        state.stage = reached;
    }
}

fn raise(state: &mut PetState, kind: StatKind, points: u8, outcomes: &mut Vec<Outcome>) {
    let stat = state.stats.stat_mut(kind);
    let from = *stat;
    *stat = from.raised_by(points);
    push_change(kind, from, *stat, outcomes);
}

fn lower(state: &mut PetState, kind: StatKind, points: u8, outcomes: &mut Vec<Outcome>) {
    let stat = state.stats.stat_mut(kind);
    let from = *stat;
    *stat = from.lowered_by(u64::from(points), kind.rule().floor);
    push_change(kind, from, *stat, outcomes);
}

fn push_change(stat: StatKind, from: super::Stat, to: super::Stat, outcomes: &mut Vec<Outcome>) {
    if from != to {
        outcomes.push(Outcome::StatChanged { stat, from, to });
    }
}
