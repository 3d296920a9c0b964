//! Group commit: concurrent callers' items written by one transaction.
//!
//! Every audited read appends to the hash chain, and each append on its own is
//! one synced commit, one writer at a time (SQLite keeps `synchronous=FULL`), so
//! under load requests queue behind each other's `fsync`. Here a caller puts its
//! item in a shared queue and takes the writer's turn; whoever holds the turn
//! writes everything queued so far in one transaction, then answers every item's
//! caller. A caller whose item was written while it waited for the turn finds
//! its answer and leaves. Nobody is answered before the commit that holds its
//! item, so an acknowledged request's entry survives a crash.
//!
//! The batch runs in a task of its own: if the request that started it is
//! dropped (its client went away), the batch still finishes and answers the
//! others, and the turn is released only when it has.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

use crate::Error;

/// One queued item and the channel its caller waits on.
type Pending<T, R> = (T, oneshot::Sender<Result<R, Error>>);

/// A queue of items written together; cheap to clone (shared state).
#[derive(Debug)]
pub(crate) struct GroupCommit<T, R> {
    queue: Arc<Mutex<Vec<Pending<T, R>>>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl<T, R> Clone for GroupCommit<T, R> {
    fn clone(&self) -> Self {
        Self {
            queue: Arc::clone(&self.queue),
            turn: Arc::clone(&self.turn),
        }
    }
}

impl<T, R> Default for GroupCommit<T, R> {
    fn default() -> Self {
        Self {
            queue: Arc::default(),
            turn: Arc::default(),
        }
    }
}

impl<T: Send + 'static, R: Send + 'static> GroupCommit<T, R> {
    /// Queues `item` and waits until a batch holding it is written, returning
    /// that item's own result. `write_batch` receives the items in the order
    /// their callers queued them and must return one result per item, in that
    /// order (a batch that fails as a whole should retry its items one by one,
    /// so one bad item does not fail its neighbours).
    pub(crate) async fn submit<W, F>(&self, item: T, write_batch: W) -> Result<R, Error>
    where
        W: FnOnce(Vec<T>) -> F,
        F: Future<Output = Vec<Result<R, Error>>> + Send + 'static,
    {
        let (sender, mut answer) = oneshot::channel();
        self.lock_queue().push((item, sender));
        let turn = Arc::clone(&self.turn).lock_owned().await;
        match answer.try_recv() {
            Ok(result) => return result,
            Err(oneshot::error::TryRecvError::Closed) => return Err(lost()),
            // Still queued: nobody holding the turn took it, so this caller writes.
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let (items, senders): (Vec<T>, Vec<_>) =
            std::mem::take(&mut *self.lock_queue()).into_iter().unzip();
        let batch = write_batch(items);
        tokio::spawn(async move {
            let mut results = batch.await.into_iter();
            for sender in senders {
                // A caller that went away no longer listens; its item is written anyway.
                let _ = sender.send(results.next().unwrap_or_else(|| Err(lost())));
            }
            drop(turn);
        });
        answer.await.unwrap_or_else(|_| Err(lost()))
    }

    fn lock_queue(&self) -> std::sync::MutexGuard<'_, Vec<Pending<T, R>>> {
        // The queue holds plain data; a panic elsewhere cannot leave it half-changed.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The answer for an item whose batch ended without one (the batch's task
/// panicked or returned too few results): the caller must not assume it is written.
fn lost() -> Error {
    Error::Database {
        reason: "a group commit ended without answering this item".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_items_share_batches_and_each_gets_its_own_result() {
        let group = GroupCommit::<u32, u32>::default();
        let batches = Arc::new(AtomicUsize::new(0));
        let mut callers = Vec::new();
        for item in 0..200u32 {
            let group = group.clone();
            let batches = Arc::clone(&batches);
            callers.push(tokio::spawn(async move {
                group
                    .submit(item, move |items| async move {
                        batches.fetch_add(1, Ordering::SeqCst);
                        // A slow commit, so later callers queue behind it.
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                        items.into_iter().map(|item| Ok(item * 10)).collect()
                    })
                    .await
            }));
        }
        for (item, caller) in (0..200u32).zip(callers) {
            assert_eq!(caller.await.unwrap().unwrap(), item * 10);
        }
        let batches = batches.load(Ordering::SeqCst);
        assert!(
            batches < 200,
            "every item had its own batch ({batches}): nothing was grouped"
        );
    }

    #[tokio::test]
    async fn a_failed_item_fails_only_its_own_caller() {
        let group = GroupCommit::<u32, u32>::default();
        let write = |items: Vec<u32>| async move {
            items
                .into_iter()
                .map(|item| {
                    if item == 1 {
                        Err(Error::InvalidInput {
                            field: "item",
                            reason: "one".to_owned(),
                        })
                    } else {
                        Ok(item)
                    }
                })
                .collect()
        };
        let (ok, failed) = tokio::join!(group.submit(2, write), group.submit(1, write));
        assert_eq!(ok.unwrap(), 2);
        assert!(matches!(failed, Err(Error::InvalidInput { .. })));
    }

    #[tokio::test]
    async fn a_batch_that_answers_too_few_items_reports_them_lost() {
        let group = GroupCommit::<u32, u32>::default();
        let result = group.submit(7, |_items| async move { Vec::new() }).await;
        assert!(matches!(result, Err(Error::Database { .. })));
    }
}
