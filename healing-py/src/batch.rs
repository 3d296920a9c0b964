//! Assessing a batch of texts on worker threads while the calling thread turns
//! finished results into Python objects.
//!
//! Blocks of texts are taken from a shared counter (so uneven texts still
//! balance) by `threads - 1` worker threads and by the calling thread itself,
//! and assessed without the GIL. The calling thread also hands each block's
//! results, in input order, to a consumer that builds the Python side, whenever
//! one is ready. Building Python objects is the part of a batch that cannot run
//! in parallel; doing it while the workers are still assessing, rather than
//! after all of them have finished, and assessing on the calling thread when
//! there is nothing to convert, is what lets a batch on two cores take about
//! half the time it takes on one. The GIL is released while the calling thread
//! assesses or waits, so other Python threads run.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};

use pyo3::Python;

use crate::errors::Error;

/// Texts per block a worker takes at a time: large enough that the shared
/// counter and the channel are touched rarely, small enough to balance a skewed
/// corpus and to start converting early.
const BLOCK: usize = 512;
/// Below this many texts a batch runs on the calling thread (threads cost more
/// than they save).
pub(crate) const PARALLEL_MIN: usize = 2 * BLOCK;

/// One block of results: its index and one result per text.
type Block<T> = (usize, Vec<T>);

/// Runs `assess` on every text on `workers` threads and passes the results to
/// `consume`, in input order, in one or more slices, on the calling thread.
/// Whatever `assess` returns is freed on the calling thread, so it should own
/// little heap memory: freeing many small allocations made by another thread
/// makes glibc's allocator contend between the two.
/// An error from `consume` stops the batch (the workers stop at their next block).
pub(crate) fn assess_in_order<T: Send>(
    py: Python<'_>,
    texts: &[&str],
    workers: usize,
    assess: impl Fn(&str) -> T + Sync,
    mut consume: impl FnMut(Vec<T>) -> Result<(), Error>,
) -> Result<(), Error> {
    if workers <= 1 || texts.len() < PARALLEL_MIN {
        let assessed = py.detach(|| texts.iter().map(|text| assess(text)).collect());
        return consume(assessed);
    }
    let blocks = texts.len().div_ceil(BLOCK);
    let next_block = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<Block<T>>();
    let share = Share {
        texts,
        next_block: &next_block,
        assess: &assess,
    };
    std::thread::scope(|scope| {
        // The calling thread is one of the `workers`.
        let handles: Vec<_> = (1..workers.min(blocks))
            .map(|_| {
                let sender = sender.clone();
                scope.spawn(move || {
                    while let Some(block) = share.take() {
                        // A send fails only when the caller has stopped the batch.
                        if sender.send(block).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        // Only the workers hold senders now, so the channel closes when they end.
        drop(sender);
        let delivered = deliver_in_order(py, receiver, blocks, share, &mut consume);
        let all_joined = handles.into_iter().all(|handle| handle.join().is_ok());
        match delivered {
            Ok(()) if !all_joined => Err(stopped_early()),
            outcome => outcome,
        }
    })
}

/// What every thread of a batch shares: the texts, the counter of the next
/// block to take, and the assessment.
struct Share<'batch, F> {
    texts: &'batch [&'batch str],
    next_block: &'batch AtomicUsize,
    assess: &'batch F,
}

impl<F> Clone for Share<'_, F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for Share<'_, F> {}

impl<F> Share<'_, F> {
    /// Takes the next block and assesses it; `None` when none is left.
    fn take<T>(&self) -> Option<Block<T>>
    where
        F: Fn(&str) -> T,
    {
        let block = self.next_block.fetch_add(1, Ordering::Relaxed);
        let start = block.saturating_mul(BLOCK);
        let end = start.saturating_add(BLOCK).min(self.texts.len());
        let part = self.texts.get(start..end).filter(|part| !part.is_empty())?;
        Some((block, part.iter().map(|text| (self.assess)(text)).collect()))
    }
}

/// Passes every block to `consume` in block order, on the calling thread:
/// converts whatever has arrived, else assesses a block itself, else waits.
/// The receiver is moved into each wait and back, so the GIL can be released
/// while waiting (a `Receiver` may move between threads but not be shared).
fn deliver_in_order<T: Send, F: Fn(&str) -> T + Sync>(
    py: Python<'_>,
    mut receiver: Receiver<Block<T>>,
    blocks: usize,
    share: Share<'_, F>,
    consume: &mut impl FnMut(Vec<T>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut waiting: BTreeMap<usize, Vec<T>> = BTreeMap::new();
    let mut next = 0;
    let mut blocks_left_to_take = true;
    while next < blocks {
        waiting.extend(receiver.try_iter());
        if let Some(assessed) = waiting.remove(&next) {
            consume(assessed)?;
            next += 1;
            continue;
        }
        if blocks_left_to_take {
            match py.detach(|| share.take()) {
                Some((block, assessed)) => {
                    waiting.insert(block, assessed);
                }
                None => blocks_left_to_take = false,
            }
            continue;
        }
        let (returned, received) = py.detach(move || {
            let received = receiver.recv();
            (receiver, received)
        });
        receiver = returned;
        // Every sender is gone before all blocks arrived: a worker panicked.
        let (block, assessed) = received.map_err(|_| stopped_early())?;
        waiting.insert(block, assessed);
    }
    Ok(())
}

fn stopped_early() -> Error {
    Error::Output {
        reason: "a safety worker thread stopped before finishing its texts".to_owned(),
    }
}
