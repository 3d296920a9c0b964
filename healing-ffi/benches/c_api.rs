//! What the C API costs over calling healing-core directly, measured in one run:
//! a PHQ-9 score and a risk assessment of a 200-byte note, each through the core
//! function and through the exported `extern "C"` function (with its parameter
//! checks, panic boundary, last-error bookkeeping and typed-struct conversion).
//!
//! Run: `cargo bench -p healing-ffi --bench c_api`. The target is C API time
//! within 1.5x of the core call.

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::ptr;

use criterion::{Criterion, criterion_group, criterion_main};
use healing::{
    healing_assess, healing_assessment, healing_engine, healing_engine_free, healing_engine_new,
    healing_result, healing_score, healing_score_answers,
};
use healing_core::safety::{self, Context};
use healing_core::scoring;

/// A clinical note of exactly 200 bytes with one risk phrase in it.
const NOTE_200: &str = "Telephone review with patient today. Sleep poor, appetite reduced, low mood \
most days. Says she sometimes wishes she could go to sleep and not wake up. No plan. Lives with \
partner; agreed safety plan.";

fn engine() -> *mut healing_engine {
    let mut engine = ptr::null_mut();
    // SAFETY: "" is valid for 0 bytes; `engine` is a writable local.
    let code = unsafe { healing_engine_new(c"".as_ptr(), 0, &raw mut engine) };
    assert_eq!(code, healing_result::HEALING_OK);
    engine
}

fn phq9(c: &mut Criterion) {
    let core_answers = [2, 2, 1, 2, 1, 1, 2, 1, 1].map(Some);
    let c_answers: [i32; 9] = [2, 2, 1, 2, 1, 1, 2, 1, 1];
    let engine = engine();
    let mut group = c.benchmark_group("phq9_score");
    group.bench_function("rust_core", |b| {
        b.iter(|| scoring::score_answers(black_box("phq9"), black_box(&core_answers)))
    });
    group.bench_function("c_api", |b| {
        b.iter(|| {
            let mut out = MaybeUninit::<healing_score>::uninit();
            let id = black_box("phq9");
            // SAFETY: live engine, str and array; `out` is writable.
            let code = unsafe {
                healing_score_answers(
                    engine,
                    id.as_ptr().cast(),
                    id.len(),
                    black_box(c_answers.as_ptr()),
                    c_answers.len(),
                    out.as_mut_ptr(),
                )
            };
            (code, out)
        })
    });
    group.finish();
    // SAFETY: a live engine, freed once.
    let _ = unsafe { healing_engine_free(engine) };
}

fn risk(c: &mut Criterion) {
    assert_eq!(NOTE_200.len(), 200);
    let core_engine = safety::Engine::standard().expect("built-in rules compile");
    let context = Context::default();
    let engine = engine();
    let mut group = c.benchmark_group("risk_assess_200_bytes");
    group.bench_function("rust_core", |b| {
        b.iter(|| core_engine.assess(black_box(NOTE_200), &context))
    });
    group.bench_function("c_api", |b| {
        b.iter(|| {
            let mut out = MaybeUninit::<healing_assessment>::uninit();
            let note = black_box(NOTE_200);
            // SAFETY: live engine and str; `out` is writable.
            let code = unsafe {
                healing_assess(engine, note.as_ptr().cast(), note.len(), out.as_mut_ptr())
            };
            (code, out)
        })
    });
    group.finish();
    // SAFETY: a live engine, freed once.
    let _ = unsafe { healing_engine_free(engine) };
}

criterion_group!(benches, phq9, risk);
criterion_main!(benches);
