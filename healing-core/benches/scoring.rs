//! Benchmarks of validating and scoring questionnaires.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use healing_core::scoring::{self, InstrumentId, ValidatedAnswers};

fn validate_and_score(c: &mut Criterion) {
    let cases: [(InstrumentId, Vec<Option<u8>>); 5] = [
        (
            InstrumentId::Phq9,
            [2, 2, 1, 2, 1, 1, 2, 1, 1].map(Some).to_vec(),
        ),
        (InstrumentId::Gad7, [1, 2, 3, 0, 1, 2, 3].map(Some).to_vec()),
        (InstrumentId::Pcl5, vec![Some(2); 20]),
        (InstrumentId::MobilityInventoryAlone, vec![Some(3); 27]),
        (
            InstrumentId::CssrsScreener,
            vec![
                Some(1),
                Some(1),
                Some(0),
                Some(0),
                Some(0),
                Some(1),
                Some(0),
            ],
        ),
    ];
    for (id, answers) in &cases {
        let instrument = id.instrument();
        c.bench_function(&format!("validate_and_score/{id}"), |b| {
            b.iter(|| {
                let validated = ValidatedAnswers::new(instrument, black_box(answers));
                validated.map(|validated| scoring::score(&validated))
            });
        });
    }
}

criterion_group!(benches, validate_and_score);
criterion_main!(benches);
