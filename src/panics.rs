//! Panics that the code catches on purpose (a parser bug quarantines one mail) are not reported
//! as crashes: the panic hook asks [`caught_here`] and only logs them.

use std::cell::Cell;
use std::panic::UnwindSafe;

thread_local! {
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// Run `f`, turning a panic into `Err` without the crash message on stderr.
pub fn catch_quietly<R>(f: impl FnOnce() -> R + UnwindSafe) -> std::thread::Result<R> {
    CATCHING.with(|n| n.set(n.get() + 1));
    let result = std::panic::catch_unwind(f);
    CATCHING.with(|n| n.set(n.get().saturating_sub(1)));
    result
}

/// Whether a panic on this thread now will be caught by [`catch_quietly`].
pub fn caught_here() -> bool {
    CATCHING.with(|n| n.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_known_as_caught_only_while_catching() {
        assert!(!caught_here());
        let inside = catch_quietly(caught_here);
        assert!(matches!(inside, Ok(true)));
        let panicked = catch_quietly(|| -> () { panic!("parser bug") });
        assert!(panicked.is_err());
        assert!(!caught_here());
    }
}
