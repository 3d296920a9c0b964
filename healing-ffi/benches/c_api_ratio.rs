//! The C API's overhead as a ratio, robust to a busy machine: core and C calls
//! are timed in alternating batches and each side keeps its fastest batch, so
//! both see the same load. Prints nanoseconds per call and the ratio.
//!
//! Run: `cargo bench -p healing-ffi --bench c_api_ratio`.

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::ptr;
use std::time::Instant;

use healing::{
    healing_assess, healing_assessment, healing_engine, healing_engine_free, healing_engine_new,
    healing_result, healing_score, healing_score_answers,
};
use healing_core::safety::{self, Context};
use healing_core::scoring;

/// The same 200-byte note as `benches/c_api.rs`.
const NOTE_200: &str = "Telephone review with patient today. Sleep poor, appetite reduced, low mood \
most days. Says she sometimes wishes she could go to sleep and not wake up. No plan. Lives with \
partner; agreed safety plan.";

/// Fastest time per call over `rounds` batches of `calls` calls of each side, alternating.
fn fastest_per_call(
    rounds: usize,
    calls: u32,
    mut core: impl FnMut(),
    mut c_api: impl FnMut(),
) -> (f64, f64) {
    let (mut best_core, mut best_c) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..calls {
            core();
        }
        best_core = best_core.min(start.elapsed().as_nanos() as f64 / f64::from(calls));
        let start = Instant::now();
        for _ in 0..calls {
            c_api();
        }
        best_c = best_c.min(start.elapsed().as_nanos() as f64 / f64::from(calls));
    }
    (best_core, best_c)
}

#[expect(
    clippy::print_stdout,
    reason = "a benchmark program reports its figures on stdout"
)]
fn report(name: &str, (core, c_api): (f64, f64)) {
    println!(
        "{name:<28} core {core:>9.1} ns   c api {c_api:>9.1} ns   ratio {:.2}x",
        c_api / core
    );
}

fn main() {
    let mut engine: *mut healing_engine = ptr::null_mut();
    // SAFETY: "" is valid for 0 bytes; `engine` is a writable local.
    let code = unsafe { healing_engine_new(c"".as_ptr(), 0, &raw mut engine) };
    assert_eq!(code, healing_result::HEALING_OK);

    let core_answers = [2, 2, 1, 2, 1, 1, 2, 1, 1].map(Some);
    let c_answers: [i32; 9] = [2, 2, 1, 2, 1, 1, 2, 1, 1];
    let phq9 = fastest_per_call(
        200,
        2_000,
        || {
            black_box(scoring::score_answers(black_box("phq9"), black_box(&core_answers)).ok());
        },
        || {
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
            black_box((code, out));
        },
    );
    report("phq9 score", phq9);

    assert_eq!(NOTE_200.len(), 200);
    let core_engine = safety::Engine::standard().expect("built-in rules compile");
    let context = Context::default();
    let risk = fastest_per_call(
        100,
        100,
        || {
            black_box(core_engine.assess(black_box(NOTE_200), &context));
        },
        || {
            let mut out = MaybeUninit::<healing_assessment>::uninit();
            let note = black_box(NOTE_200);
            // SAFETY: live engine and str; `out` is writable.
            let code = unsafe {
                healing_assess(engine, note.as_ptr().cast(), note.len(), out.as_mut_ptr())
            };
            black_box((code, out));
        },
    );
    report("risk assessment, 200 bytes", risk);

    // SAFETY: a live engine, freed once.
    let _ = unsafe { healing_engine_free(engine) };
}
