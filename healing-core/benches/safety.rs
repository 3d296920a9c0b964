//! Throughput of the safety engine: a realistic mix of short messages (mostly
//! safe, some risky), long texts at 1 KB, 64 KB and 1 MB to show cost is linear
//! in length, and the bare Aho-Corasick scan over the same lexicon as the ceiling.
//!
//! `cargo bench -p healing-core --bench safety -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use healing_core::safety::{Context, Engine};

/// Everyday messages, 50–300 bytes, invented for the benchmark.
const SAFE: [&str; 16] = [
    "Had a lovely walk along the river with the dog this morning, sun was out for once",
    "Does anyone know what time the Wednesday peer support group starts? I can't find it on the app",
    "Mood 6/10 today. Slept badly but work was fine and I had lunch with my sister, which helped a lot",
    "Therapy went well, we worked on my sleep routine and I'm going to try no screens after ten",
    "This commute is killing me, forty minutes on the bus and not a seat in sight again",
    "I'd kill for a bacon sandwich and a brew right now, long morning at the depot",
    "Feeling a bit anxious about my PIP assessment on Thursday but my support worker is coming with me",
    "Made a lasagne from scratch and the kids actually ate it. Small wins. Going to watch the football later",
    "Can I move my appointment to next week please? I've got a shift I can't swap",
    "Dying to see the new series, no spoilers please!! Been waiting since last summer",
    "Back at the allotment after winter, potatoes in, onions next, the robin followed me around all afternoon",
    "Cried at the end of the film but in a good way. Going to bed early, big day tomorrow",
    "Is it okay to take ibuprofen with sertraline? Bad headache and I don't want to mess anything up",
    "Just finished my first week at the new job. Tired but proud. Thanks everyone for the encouragement in here",
    "Reading a memoir about anxiety that my therapist recommended, it's really helping me put words to things",
    "Missing my nan today, would have been her birthday. Lit a candle and made her lemon drizzle recipe",
];

/// Risky messages, invented for the benchmark.
const RISKY: [&str; 4] = [
    "I'm fine honestly. I've written the letters and I'm doing it tonight when everyone's asleep",
    "My sister keeps saying she wants to die and I'm really worried about her, what do I do",
    "cut again last night after three months clean, feel like such a failure",
    "I wish I could go to sleep and not wake up, everyone would be better off without me",
];

/// 200 messages: 90% safe, 10% risky, in a fixed order.
fn mix() -> Vec<&'static str> {
    (0..200)
        .map(|i| {
            if i % 10 == 7 {
                RISKY[i / 10 % RISKY.len()]
            } else {
                SAFE[i % SAFE.len()]
            }
        })
        .collect()
}

/// A long text of about `bytes` bytes made from the mix.
fn long_text(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 400);
    for m in mix().iter().cycle() {
        if text.len() >= bytes {
            break;
        }
        text.push_str(m);
        text.push_str(". ");
    }
    text
}

fn bench(c: &mut Criterion) {
    let engine = Engine::standard().expect("the built-in lexicon parses");
    let lexicon_only = engine.clone().without_classifier();
    let context = Context::default();
    let messages = mix();
    let mix_bytes: usize = messages.iter().map(|m| m.len()).sum();

    let mut group = c.benchmark_group("safety_mix");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("assess_messages", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(engine.assess(black_box(m), &context));
            }
        });
    });
    group.bench_function("assess_lexicon_only_messages", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(lexicon_only.assess(black_box(m), &context));
            }
        });
    });
    group.bench_function("bare_scan_messages", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(engine.scan_only(black_box(m)));
            }
        });
    });
    group.throughput(Throughput::Bytes(mix_bytes as u64));
    group.bench_function("assess_bytes", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(engine.assess(black_box(m), &context));
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("safety_length");
    for size in [1 << 10, 64 << 10, 1 << 20] {
        let text = long_text(size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        if size >= 1 << 20 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("assess", size), &text, |b, t| {
            b.iter(|| black_box(engine.assess(black_box(t), &context)));
        });
        group.bench_with_input(BenchmarkId::new("bare_scan", size), &text, |b, t| {
            b.iter(|| black_box(engine.scan_only(black_box(t))));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
