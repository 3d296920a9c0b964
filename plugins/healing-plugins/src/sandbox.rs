//! The sandbox every call runs in: a fresh store with an empty WASI context, a
//! memory cap, a wall-clock deadline, and the classification of what went
//! wrong when a call fails.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, ResourceLimiter, Store, Trap};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::Error;
use crate::manifest::{Limits, PluginId};
use crate::pool::{CallStore, Slots, TABLE_ELEMENTS_CAP};

/// The per-call state a store carries.
pub(crate) struct CallState {
    wasi: WasiCtx,
    table: ResourceTable,
    memory: MemoryCap,
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Refuses memory growth past the cap and remembers that it did, so the
/// failure is reported as a memory limit rather than as a bare trap.
struct MemoryCap {
    limit: u64,
    refused: Option<u64>,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let desired = u64::try_from(desired).unwrap_or(u64::MAX);
        if desired > self.limit {
            self.refused = Some(desired);
            // An error (not `Ok(false)`) turns the failed `memory.grow` into a
            // trap, so a guest cannot carry on after being refused.
            return Err(wasmtime::Error::msg("memory cap reached"));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= TABLE_ELEMENTS_CAP)
    }
}

/// Increments the engine's epoch every tick on its own thread, so a call's
/// deadline is a number of ticks. Stopped and joined on drop.
pub(crate) struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    pub(crate) fn start(engine: &Engine, tick: Duration) -> Result<Ticker, Error> {
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let engine = engine.clone();
        let thread = std::thread::Builder::new()
            .name("healing-plugin-ticker".to_owned())
            .spawn(move || {
                while !thread_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(tick);
                    engine.increment_epoch();
                }
            })
            .map_err(|error| Error::Ticker {
                message: error.to_string(),
            })?;
        Ok(Ticker {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            // The thread only sleeps and increments; it cannot panic, and if it
            // somehow did there is nothing left to clean up.
            let _ = thread.join();
        }
    }
}

/// What the host shares with every plugin it loaded: the engine, the linker
/// with the empty WASI context, and the ticker that enforces deadlines. A
/// plugin keeps it alive, so its deadlines keep working after the
/// [`PluginHost`](crate::PluginHost) handle is dropped.
pub(crate) struct Runtime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<CallState>,
    pub(crate) tick: Duration,
    pub(crate) fuel_per_call: Option<u64>,
    pub(crate) failures_before_disable: u32,
    /// Free slots of the engine's instance pool.
    slots: Arc<Slots>,
    // Held for its Drop: stops the thread when the last plugin is gone.
    _ticker: Ticker,
}

impl Runtime {
    pub(crate) fn new(
        engine: Engine,
        tick: Duration,
        fuel_per_call: Option<u64>,
        failures_before_disable: u32,
        concurrent_calls: u32,
    ) -> Result<Runtime, Error> {
        let mut linker = Linker::new(&engine);
        // Everything WASI 0.2 defines is linked, but `contract::check_imports`
        // refuses any component importing more than the base set and the
        // capabilities granted to it, and the context is empty: no preopened
        // directories, no network access, no environment, no inherited stdio.
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(|error| Error::Instantiate {
            plugin: PluginId::host(),
            message: format!("linking WASI: {error}"),
        })?;
        let ticker = Ticker::start(&engine, tick)?;
        Ok(Runtime {
            engine,
            linker,
            tick,
            fuel_per_call,
            failures_before_disable,
            slots: Slots::new(concurrent_calls),
            _ticker: ticker,
        })
    }

    /// A fresh store for one call (or one session) in a free slot of the
    /// instance pool: empty WASI context, the memory cap, the deadline armed
    /// and fuel set when metering is on. Waits for a slot up to the call's
    /// deadline ([`Error::Busy`] after that).
    pub(crate) fn new_store(&self, plugin: &PluginId, limits: &Limits) -> Result<CallStore, Error> {
        let slot = self
            .slots
            .acquire(Duration::from_millis(limits.deadline_ms))
            .ok_or_else(|| Error::Busy {
                plugin: plugin.clone(),
                waited_ms: limits.deadline_ms,
            })?;
        let state = CallState {
            // The default context: no preopens, no environment or arguments,
            // empty stdin, stdout and stderr discarded, no name lookup. Sockets
            // are switched off as well, although no component importing them
            // gets this far (`contract::check_imports`).
            wasi: WasiCtx::builder().allow_tcp(false).allow_udp(false).build(),
            table: ResourceTable::new(),
            memory: MemoryCap {
                limit: limits.memory_bytes,
                refused: None,
            },
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.memory);
        store.epoch_deadline_trap();
        self.arm(&mut store, limits);
        Ok(CallStore::new(store, slot))
    }

    /// Resets the deadline (and fuel) before a call on an existing store.
    pub(crate) fn arm(&self, store: &mut Store<CallState>, limits: &Limits) {
        store.data_mut().memory.refused = None;
        store.set_epoch_deadline(self.deadline_ticks(limits));
        if let Some(fuel) = self.fuel_per_call {
            // Fails only when fuel metering is off in the engine config, and
            // it is on whenever `fuel_per_call` is set (see `PluginHost::new`).
            let _ = store.set_fuel(fuel);
        }
    }

    /// Ticks until the deadline: the deadline rounded up to whole ticks, plus
    /// one because the current tick may be about to end.
    fn deadline_ticks(&self, limits: &Limits) -> u64 {
        let tick_ms = u64::try_from(self.tick.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        limits.deadline_ms.div_ceil(tick_ms).saturating_add(1)
    }

    /// Names a failed call: deadline, fuel, memory cap, or another trap.
    pub(crate) fn classify(
        &self,
        plugin: &PluginId,
        limits: &Limits,
        store: &Store<CallState>,
        error: &wasmtime::Error,
    ) -> Error {
        if let Some(requested) = store.data().memory.refused {
            return Error::MemoryLimit {
                plugin: plugin.clone(),
                requested,
                limit: limits.memory_bytes,
            };
        }
        match error.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => Error::Timeout {
                plugin: plugin.clone(),
                deadline_ms: limits.deadline_ms,
            },
            Some(Trap::OutOfFuel) => Error::OutOfFuel {
                plugin: plugin.clone(),
                fuel: self.fuel_per_call.unwrap_or(0),
            },
            // `{:#}` keeps wasmtime's wasm backtrace, which names the
            // plugin's functions when its name section was not stripped.
            _ => Error::Trap {
                plugin: plugin.clone(),
                message: cut(&format!("{error:#}"), 2000),
            },
        }
    }
}

/// Whether a plugin is serving calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PluginStatus {
    /// Serving calls.
    Enabled {
        /// Failures in a row so far (reset by a success).
        consecutive_failures: u32,
    },
    /// Refusing calls until an operator re-enables it.
    Disabled {
        /// Why, for an admin.
        reason: String,
    },
}

/// Counts consecutive failures and disables a plugin that keeps failing.
pub(crate) struct Health {
    consecutive_failures: AtomicU32,
    disabled: Mutex<Option<String>>,
}

impl Health {
    pub(crate) fn new() -> Health {
        Health {
            consecutive_failures: AtomicU32::new(0),
            disabled: Mutex::new(None),
        }
    }

    /// `Err(Disabled)` when the plugin is disabled.
    pub(crate) fn check(&self, plugin: &PluginId) -> Result<(), Error> {
        // A poisoned lock only means another call panicked while holding it;
        // the `Option` inside is still meaningful.
        match &*self.disabled.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(reason) => Err(Error::Disabled {
                plugin: plugin.clone(),
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Records the outcome of a call, disabling the plugin after
    /// `threshold` plugin faults in a row.
    pub(crate) fn record<T>(&self, result: &Result<T, Error>, threshold: u32) {
        match result {
            Ok(_) => self.consecutive_failures.store(0, Ordering::Relaxed),
            Err(error) if error.is_plugin_fault() => {
                let failures = self.consecutive_failures.fetch_add(1, Ordering::Relaxed) + 1;
                if failures >= threshold {
                    *self.disabled.lock().unwrap_or_else(PoisonError::into_inner) = Some(format!(
                        "disabled after {failures} consecutive failures; the last was: {}",
                        error.cause()
                    ));
                }
            }
            Err(_) => {}
        }
    }

    pub(crate) fn status(&self) -> PluginStatus {
        match &*self.disabled.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(reason) => PluginStatus::Disabled {
                reason: reason.clone(),
            },
            None => PluginStatus::Enabled {
                consecutive_failures: self.consecutive_failures.load(Ordering::Relaxed),
            },
        }
    }

    /// Serves calls again with no failures counted; returns whether it was
    /// disabled (one step under the lock, so of two callers at once exactly
    /// one sees `true`).
    pub(crate) fn enable(&self) -> bool {
        let mut disabled = self.disabled.lock().unwrap_or_else(PoisonError::into_inner);
        self.consecutive_failures.store(0, Ordering::Relaxed);
        disabled.take().is_some()
    }
}

/// `text` cut to at most `max` bytes on a character boundary.
pub(crate) fn cut(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_owned()
}
