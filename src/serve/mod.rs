//! The desk service (`frontdesk serve`): the background work no console should have to do. Each
//! round it reads the inbound mailboxes, delivers the outbox mail that is due (failures come back
//! later, each wait twice the one before), mails the satisfaction surveys that are due, and notes
//! the snoozes that ran out; then it sleeps until the next due time, a signal or a mailbox's wake.
//! A running service watches each IMAP mailbox on a thread of its own, in IDLE ([`Watchers`]);
//! `--once` reads them in its one round.
//!
//! Snoozes end by time in every query (`snoozed_until <= now`), and a console's queue reloads
//! itself when the next one runs out, so the service only reports them.

mod imap;
mod lock;
mod round;
pub mod rules;
mod signals;
mod watchers;

pub use imap::ImapMailbox;
pub use lock::{host_name, lock_path, DeskLock, LockError};
pub use round::{MailboxRead, Round, RoundReport};
pub use signals::{Signals, Waker};
pub use watchers::Watchers;

use crate::store::{Store, StoreError};
use std::time::Duration;

/// The longest sleep between rounds: the heartbeat consoles read is at most this old while a
/// service runs.
pub const HEARTBEAT: Duration = Duration::from_secs(60);

/// The wait after a round that failed (the store refused), before the next one.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(10);

/// A console says no service runs when the heartbeat is older than this.
pub const SERVICE_GONE_AFTER: Duration = Duration::from_secs(5 * 60);

/// An inbound mailbox the service reads each round: with `--once` the IMAP mailboxes of
/// `[[mail.inbound]]` (a running service watches them on their own threads instead: [`Watchers`]).
pub trait MailboxReader: Send {
    /// The mailbox's name, for the log.
    fn name(&self) -> &str;
    /// Import the mail that is new; how many mails were imported, or one sentence.
    fn poll_once(&mut self, store: &Store) -> Result<usize, String>;
    /// How long until it wants to be polled again, if it is not woken (an IDLE watcher on its own
    /// thread wakes the service with a [`Waker`] instead).
    fn poll_every(&self) -> Option<Duration> {
        None
    }
}

/// Run rounds until SIGTERM or SIGINT (or one round with `once`); returns the last round's report.
pub fn serve(store: &Store, round: &mut Round<'_>, signals: &Signals, once: bool) -> Result<RoundReport, StoreError> {
    loop {
        let report = match round.run(store, || signals.stop_requested()) {
            Ok(report) => report,
            Err(error) if once => return Err(error),
            // A desk busy for long or a disk full now and then is no reason to stop serving.
            Err(error) => {
                tracing::warn!(%error, "the round failed; the next one tries again");
                signals.wait(RETRY_AFTER_ERROR);
                if signals.stop_requested() {
                    return Ok(RoundReport::default());
                }
                continue;
            }
        };
        tracing::info!("{}", report.describe());
        if once || signals.stop_requested() {
            return Ok(report);
        }
        let sleep = round.next_wait(store, &report).unwrap_or(RETRY_AFTER_ERROR);
        signals.wait(sleep);
        if signals.stop_requested() {
            return Ok(report);
        }
    }
}
