//! Instances come from wasmtime's pooling allocator: memory, tables and
//! instance state are reserved once per host and handed out per call, so a
//! fresh instance costs a few page resets instead of mapping gigabytes of
//! address space for every call. The pool has a fixed number of slots; a call
//! waits for a free one (up to its deadline) before instantiating, so a burst
//! of calls queues instead of failing.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use wasmtime::{
    AsContext, AsContextMut, PoolingAllocationConfig, Store, StoreContext, StoreContextMut,
};

use crate::manifest::Limits;
use crate::sandbox::CallState;

/// Core instances one plugin component may create: a Rust `wasm32-wasip2`
/// component has four (the program, the WASI adapter and two glue modules).
const CORE_INSTANCES_PER_CALL: u32 = 8;
/// Linear memories per component: the program's, plus one to spare.
const MEMORIES_PER_CALL: u32 = 2;
/// Tables per component: the program's and the glue modules'.
const TABLES_PER_CALL: u32 = 4;
/// Most table elements a plugin instance may have; Rust guests use a few
/// hundred. The memory cap's limiter allows growth up to the same number.
pub(crate) const TABLE_ELEMENTS_CAP: usize = 100_000;
/// Bytes of each memory reset by writing zeros rather than by returning the
/// pages to the kernel when an instance ends: a small guest touches a few
/// stack and heap pages per call, and zeroing them is cheaper than faulting
/// them in again for the next call.
const KEEP_RESIDENT_BYTES: usize = 64 << 10;

/// The pooling allocator's configuration for `calls` concurrent instances,
/// each with memory up to the ceiling's cap.
pub(crate) fn pooling_config(calls: u32, ceiling: &Limits) -> PoolingAllocationConfig {
    let mut config = PoolingAllocationConfig::new();
    config
        .total_component_instances(calls)
        .total_core_instances(calls.saturating_mul(CORE_INSTANCES_PER_CALL))
        .total_memories(calls.saturating_mul(MEMORIES_PER_CALL))
        .total_tables(calls.saturating_mul(TABLES_PER_CALL))
        .max_memory_size(usize::try_from(ceiling.memory_bytes).unwrap_or(usize::MAX))
        .table_elements(TABLE_ELEMENTS_CAP)
        .linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
        .table_keep_resident(KEEP_RESIDENT_BYTES);
    config
}

/// Counts the pool's free slots; one per live store.
pub(crate) struct Slots {
    free: Mutex<u32>,
    freed: Condvar,
}

impl Slots {
    pub(crate) fn new(count: u32) -> Arc<Slots> {
        Arc::new(Slots {
            free: Mutex::new(count),
            freed: Condvar::new(),
        })
    }

    /// Takes a slot, waiting up to `wait` for one; `None` if none came free.
    pub(crate) fn acquire(self: &Arc<Self>, wait: Duration) -> Option<Slot> {
        let deadline = Instant::now() + wait;
        // The count is consistent between any two statements, so a lock
        // poisoned by a panic elsewhere still guards a valid number.
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            let left = deadline.checked_duration_since(Instant::now())?;
            free = self
                .freed
                .wait_timeout(free, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *free -= 1;
        Some(Slot {
            slots: Arc::clone(self),
        })
    }
}

/// One taken slot, given back on drop.
pub(crate) struct Slot {
    slots: Arc<Slots>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut free = self
            .slots
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *free += 1;
        self.slots.freed.notify_one();
    }
}

/// A store and the pool slot its instance occupies. wasmtime returns an
/// instance's memory to the pool when the store drops, so the store is the
/// first field (fields drop in order) and the slot is given back only after.
pub(crate) struct CallStore {
    store: Store<CallState>,
    _slot: Slot,
}

impl CallStore {
    pub(crate) fn new(store: Store<CallState>, slot: Slot) -> CallStore {
        CallStore { store, _slot: slot }
    }
}

impl Deref for CallStore {
    type Target = Store<CallState>;

    fn deref(&self) -> &Store<CallState> {
        &self.store
    }
}

impl DerefMut for CallStore {
    fn deref_mut(&mut self) -> &mut Store<CallState> {
        &mut self.store
    }
}

impl AsContext for CallStore {
    type Data = CallState;

    fn as_context(&self) -> StoreContext<'_, CallState> {
        self.store.as_context()
    }
}

impl AsContextMut for CallStore {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, CallState> {
        self.store.as_context_mut()
    }
}
