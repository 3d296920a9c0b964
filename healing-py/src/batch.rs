//! Assessing a batch of texts on worker threads while the calling thread turns
//! finished results into Python objects.
//!
//! Workers take fixed-size blocks of texts from a shared counter (so uneven
//! texts still balance) and assess them without the GIL. The calling thread
//! holds the GIL and hands each block's results, in input order, to a consumer
//! that builds the Python side. Building Python objects is the part of a batch
//! that cannot run in parallel; doing it while the workers are still assessing,
//! rather than after all of them have finished, is what lets a batch on two
//! cores take about half the time it takes on one. The GIL is released while
//! the calling thread waits for the next block, so other Python threads run.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};

use healing_core::safety::Assessment;
use pyo3::Python;

use crate::errors::Error;

/// Texts per block a worker takes at a time: large enough that the shared
/// counter and the channel are touched rarely, small enough to balance a skewed
/// corpus and to start converting early.
const BLOCK: usize = 512;
/// Below this many texts a batch runs on the calling thread (threads cost more
/// than they save).
pub(crate) const PARALLEL_MIN: usize = 2 * BLOCK;

/// One block of results: its index and one assessment per text.
type Block = (usize, Vec<Assessment>);

/// Assesses `texts` with `assess` on `workers` threads and passes the results to
/// `consume`, in input order, in one or more slices, on the calling thread.
/// An error from `consume` stops the batch (the workers stop at their next block).
pub(crate) fn assess_in_order(
    py: Python<'_>,
    texts: &[&str],
    workers: usize,
    assess: impl Fn(&str) -> Assessment + Sync,
    mut consume: impl FnMut(Vec<Assessment>) -> Result<(), Error>,
) -> Result<(), Error> {
    if workers <= 1 || texts.len() < PARALLEL_MIN {
        let assessed = py.detach(|| texts.iter().map(|text| assess(text)).collect());
        return consume(assessed);
    }
    let blocks = texts.len().div_ceil(BLOCK);
    let next_block = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<Block>();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(blocks))
            .map(|_| {
                let sender = sender.clone();
                let (next_block, assess) = (&next_block, &assess);
                scope.spawn(move || {
                    loop {
                        let block = next_block.fetch_add(1, Ordering::Relaxed);
                        let start = block.saturating_mul(BLOCK);
                        let end = start.saturating_add(BLOCK).min(texts.len());
                        let Some(part) = texts.get(start..end).filter(|part| !part.is_empty())
                        else {
                            break;
                        };
                        let assessed = part.iter().map(|text| assess(text)).collect();
                        // A send fails only when the caller has stopped the batch.
                        if sender.send((block, assessed)).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        // Only the workers hold senders now, so the channel closes when they end.
        drop(sender);
        let delivered = deliver_in_order(py, receiver, blocks, &mut consume);
        let all_joined = handles.into_iter().all(|handle| handle.join().is_ok());
        match delivered {
            Ok(()) if !all_joined => Err(stopped_early()),
            outcome => outcome,
        }
    })
}

/// Receives the workers' blocks and passes them to `consume` in block order.
/// The receiver is moved into each wait and back, so the GIL can be released
/// while waiting (a `Receiver` may move between threads but not be shared).
fn deliver_in_order(
    py: Python<'_>,
    mut receiver: Receiver<Block>,
    blocks: usize,
    consume: &mut impl FnMut(Vec<Assessment>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut waiting: BTreeMap<usize, Vec<Assessment>> = BTreeMap::new();
    let mut next = 0;
    while next < blocks {
        let (returned, received) = py.detach(move || {
            let received = receiver.recv();
            (receiver, received)
        });
        receiver = returned;
        // Every sender is gone before all blocks arrived: a worker panicked.
        let (block, assessed) = received.map_err(|_| stopped_early())?;
        waiting.insert(block, assessed);
        while let Some(assessed) = waiting.remove(&next) {
            consume(assessed)?;
            next += 1;
        }
    }
    Ok(())
}

fn stopped_early() -> Error {
    Error::Output {
        reason: "a safety worker thread stopped before finishing its texts".to_owned(),
    }
}
