//! Native baseline for the Python `assess_many` benchmark: assesses every line of
//! a corpus file with `healing_core::safety::assess` on 1 and on N threads (the
//! same block-parallel scheme the Python bindings use), and prints messages per
//! second, then the speed-up the machine gives work that shares nothing.
//!
//! Run by `healing-py/bench/safety_bench.py`; by hand:
//! `cargo run --release -p healing-core --example safety_throughput -- CORPUS.txt 2`

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use healing_core::safety::{self, Context};

/// Texts per block, as in the bindings.
const BLOCK: usize = 512;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: safety_throughput CORPUS.txt [THREADS]")?;
    let threads: usize = args.next().map_or(Ok(2), |text| text.parse())?;
    let corpus = std::fs::read_to_string(path)?;
    let texts: Vec<&str> = corpus.lines().collect();
    let context = Context::default();
    // Warm the lexicon (built on first use) outside the timings.
    let _ = safety::assess("warm up", &context);

    for workers in [1, threads] {
        // The engine's throughput: each assessment is read (is it above none?)
        // and freed by the worker that made it.
        let started = Instant::now();
        let flags = assess_blocks(&texts, workers, |text| {
            safety::assess(text, &context).level != safety::RiskLevel::None
        });
        report(
            "native",
            workers,
            texts.len(),
            started.elapsed().as_secs_f64(),
        );
        let flagged = flags.iter().filter(|flag| **flag).count();
        // As `assess_many` returns them: every assessment kept, in input order.
        // Freeing them afterwards is not timed (nor is it in the Python benchmark).
        let started = Instant::now();
        let kept = assess_blocks(&texts, workers, |text| safety::assess(text, &context));
        report(
            "native-kept",
            workers,
            texts.len(),
            started.elapsed().as_secs_f64(),
        );
        let flagged_kept = kept
            .iter()
            .filter(|assessment| assessment.level != safety::RiskLevel::None)
            .count();
        drop(kept);
        if flagged != flagged_kept {
            return Err("the two runs disagree".into());
        }
    }
    // The machine's own ceiling: the same split over `threads` of work that
    // shares nothing (no memory, no allocation), so a speed-up below 2x here is
    // the vCPUs', not the engine's.
    let rounds = 400_000_000_u64;
    let one = control_seconds(rounds, 1);
    let many = control_seconds(rounds, threads);
    println!(
        "control threads={threads} speedup={:.2} (pure arithmetic, {rounds} rounds: {one:.3} s on 1 thread, {many:.3} s on {threads})",
        one / many
    );
    Ok(())
}

/// Seconds to run `rounds` rounds of register-only arithmetic split over `workers` threads.
fn control_seconds(rounds: u64, workers: usize) -> f64 {
    let started = Instant::now();
    let share = rounds / workers as u64;
    let sums: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    // xorshift64: cheap, serial and impossible to fold away.
                    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ worker as u64;
                    for _ in 0..share {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                    }
                    state
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_default())
            .collect()
    });
    // Printing nothing of the sums would let the optimiser drop the loops.
    std::hint::black_box(sums);
    started.elapsed().as_secs_f64()
}

/// Prints one timing line.
fn report(label: &str, workers: usize, messages: usize, seconds: f64) {
    println!(
        "{label} threads={workers} messages={messages} seconds={seconds:.3} messages_per_second={:.0}",
        messages as f64 / seconds
    );
}

/// `per_text` of every text on `workers` threads, in input order.
fn assess_blocks<T: Send>(
    texts: &[&str],
    workers: usize,
    per_text: impl Fn(&str) -> T + Sync,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<T>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let block = next.fetch_add(1, Ordering::Relaxed);
                        let start = block * BLOCK;
                        if start >= texts.len() {
                            break;
                        }
                        let end = (start + BLOCK).min(texts.len());
                        mine.push((
                            block,
                            texts[start..end]
                                .iter()
                                .map(|text| per_text(text))
                                .collect(),
                        ));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    });
    parts.sort_by_key(|(block, _)| *block);
    let mut ordered = Vec::with_capacity(texts.len());
    for (_, part) in parts {
        ordered.extend(part);
    }
    ordered
}
