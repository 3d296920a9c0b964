//! Benchmarks of the pet engine: one `step` on a lived-in pet, and `observe`
//! after a month away.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use healing_core::pet::{
    self, Event, Hat, PetName, PetState, ShopItem, Species, WellbeingActivity,
};
use healing_core::timestamp::Timestamp;

const ADOPTED: i64 = 1_772_355_600; // 2026-03-01T09:00:00Z

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(seconds).expect("benchmark times are in range")
}

/// A pet a few days old with coins, a hat and food, as a server would load it.
fn lived_in_pet() -> PetState {
    let mut pet = PetState::new(
        PetName::new("Biscuit").expect("valid name"),
        Species::Hedgehog,
        at(ADOPTED),
    );
    let mut now = ADOPTED;
    for _ in 0..3 {
        for activity in WellbeingActivity::ALL {
            now += 600;
            pet = pet::step(&pet, &Event::CompleteActivity { activity }, at(now))
                .expect("activities always succeed")
                .state;
        }
        now += 86_400;
    }
    for event in [
        Event::Buy {
            item: ShopItem::Hat(Hat::Beanie),
        },
        Event::WearHat { hat: Hat::Beanie },
        Event::Buy {
            item: ShopItem::Food(pet::Food::Apple),
        },
    ] {
        pet = pet::step(&pet, &event, at(now)).expect("affordable").state;
    }
    pet
}

fn benches(c: &mut Criterion) {
    let pet = lived_in_pet();
    let later = at(pet.last_update().unix_seconds() + 3_600);
    let event = Event::CompleteActivity {
        activity: WellbeingActivity::MoodLog,
    };
    c.bench_function("pet step (mood log reward)", |b| {
        b.iter(|| pet::step(black_box(&pet), black_box(&event), black_box(later)))
    });
    let month_later = at(pet.last_update().unix_seconds() + 30 * 86_400);
    c.bench_function("pet observe after 30 days away", |b| {
        b.iter(|| pet::observe(black_box(&pet), black_box(month_later)))
    });
}

criterion_group!(pet_benches, benches);
criterion_main!(pet_benches);
