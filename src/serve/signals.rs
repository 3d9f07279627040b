//! Waiting between rounds: asleep in `poll(2)` on a pipe until the next due time, a SIGTERM or
//! SIGINT (the handler only sets a flag and writes a byte), or a wake from a mailbox reader.

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

/// The service's stop flag and wake-up pipe (one per process).
pub struct Signals {
    read: RawFd,
}

/// Wakes the service's loop from another thread (a mailbox reader that saw new mail).
#[derive(Clone, Copy)]
pub struct Waker;

impl Waker {
    pub fn wake(&self) {
        poke();
    }
}

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
    poke();
}

fn poke() {
    let fd = WAKE_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: write(2) is async-signal-safe; a full pipe already holds a wake-up.
        unsafe { libc::write(fd, [1u8].as_ptr().cast(), 1) };
    }
}

impl Signals {
    /// Make SIGTERM and SIGINT ask the service to stop after the mail at hand.
    pub fn install() -> std::io::Result<Signals> {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: pipe2 fills the two descriptors we pass; the handler touches only atomics and write(2).
        unsafe {
            if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            WAKE_FD.store(fds[1], Ordering::SeqCst);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            // A delivery under way carries on (its reads and writes restart); poll(2) never restarts
            // and the pipe wakes it anyway.
            action.sa_flags = libc::SA_RESTART;
            for signal in [libc::SIGTERM, libc::SIGINT] {
                if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
        }
        Ok(Signals { read: fds[0] })
    }

    pub fn stop_requested(&self) -> bool {
        STOP.load(Ordering::SeqCst)
    }

    pub fn waker(&self) -> Waker {
        Waker
    }

    /// Sleep up to `timeout`, or until a signal or a wake; no CPU is used meanwhile.
    pub fn wait(&self, timeout: Duration) {
        if self.stop_requested() {
            return;
        }
        let mut pfd = libc::pollfd { fd: self.read, events: libc::POLLIN, revents: 0 };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one pollfd of ours; EINTR (a signal) simply ends the wait.
        unsafe { libc::poll(&mut pfd, 1, ms) };
        let mut buf = [0u8; 64];
        // SAFETY: draining our own non-blocking pipe into a local buffer.
        while unsafe { libc::read(self.read, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}
