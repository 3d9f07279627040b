//! Ending a watcher's wait from another thread: a wait in IDLE blocks in `read(2)` until the
//! server speaks (no timer wakes it), so [`Wakeup::wake`] shuts the idling connection down; a
//! sleep between tries or polls waits on a condition variable.

use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Shared between the watcher and whoever stops it; cloning gives another handle to the same.
#[derive(Clone, Default)]
pub struct Wakeup {
    inner: Arc<(Mutex<State>, Condvar)>,
}

#[derive(Default)]
struct State {
    woken: bool,
    /// The connection waiting in IDLE right now.
    idling: Option<TcpStream>,
}

impl Wakeup {
    pub fn new() -> Wakeup {
        Wakeup::default()
    }

    /// Stop the watcher: its wait in IDLE ends now (the connection is closed under it), a sleep
    /// ends now, and every later wait returns at once.
    pub fn wake(&self) {
        let mut state = self.state();
        state.woken = true;
        if let Some(tcp) = state.idling.take() {
            let _ = tcp.shutdown(Shutdown::Both);
        }
        self.inner.1.notify_all();
    }

    pub fn woken(&self) -> bool {
        self.state().woken
    }

    /// Sleep up to `wait`; `false` when woken.
    pub fn sleep(&self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        let mut state = self.state();
        while !state.woken {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            state = self.inner.1.wait_timeout(state, left).unwrap_or_else(|e| e.into_inner()).0;
        }
        false
    }

    /// The connection is about to wait in IDLE: `false` (and nothing kept) when already woken.
    pub(super) fn idling(&self, tcp: &TcpStream) -> bool {
        let mut state = self.state();
        if state.woken {
            return false;
        }
        state.idling = tcp.try_clone().ok();
        true
    }

    /// The wait in IDLE is over: `true` when it was ended by [`Wakeup::wake`].
    pub(super) fn done_idling(&self) -> bool {
        let mut state = self.state();
        state.idling = None;
        state.woken
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
