//! Keeping the WAL file small while readers never stop.
//!
//! SQLite's own auto-checkpoint is PASSIVE: it copies what no reader still needs, but the WAL is
//! only started over when a writer finds it wholly copied and no reader in it. With consoles and
//! commands reading all the time that moment never comes, and the file grows without end. So after
//! a commit that leaves the WAL past [`RESTART_FRAMES`], the writer asks for a RESTART checkpoint
//! with a short busy timeout: it waits a moment for the readers of the moment to finish, and the
//! next commit starts the WAL over (and `journal_size_limit` cuts the file back).

use super::Store;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, MAIN_DB};
use std::cell::Cell;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Frames (pages) in the WAL past which a writer tries to start it over: 8 MB of 4 KB pages.
pub(crate) const RESTART_FRAMES: i32 = 2048;
/// SQLite's default: a PASSIVE checkpoint after a commit leaves this many frames.
const PASSIVE_FRAMES: i32 = 1000;
/// The WAL file is cut back to this size when it starts over.
const JOURNAL_SIZE_LIMIT: i64 = 4 * 1024 * 1024;
/// How long a RESTART waits for the readers of the moment (a queue page or a conversation each):
/// short, as other writers wait meanwhile, and it happens once per 8 MB written.
const RESTART_WAIT: Duration = Duration::from_millis(20);
/// After a RESTART that waited for readers in vain, this connection waits this long before trying
/// again, twice as long after each further failure, up to [`LONGEST_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const LONGEST_BACKOFF: Duration = Duration::from_secs(2);
/// A RESTART refused sooner than this did not wait at all: another connection was checkpointing
/// (SQLite does not wait for that lock), so the next commit may try again at once.
const REFUSED_AT_ONCE: Duration = Duration::from_millis(1);
/// The usual wait for a lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What the WAL hook saw, shared with the connection that owns it.
pub(crate) struct WalWatch {
    /// Frames in the WAL after this connection's last commit.
    frames: Arc<AtomicI32>,
    /// The PASSIVE auto-checkpoint threshold (an import raises it).
    passive_frames: Arc<AtomicI32>,
    /// Past this many frames, a commit is followed by a RESTART checkpoint.
    pub(crate) restart_frames: Cell<i32>,
    /// How long a RESTART waits ([`RESTART_WAIT`]; tests on a busy machine wait longer).
    pub(crate) restart_wait: Cell<Duration>,
    /// After a failed RESTART: not before this time, and the wait after the next failure.
    not_before: Cell<Option<Instant>>,
    backoff: Cell<Duration>,
}

impl WalWatch {
    /// Watch `conn`'s commits: the hook keeps SQLite's PASSIVE auto-checkpoint and notes the frames.
    /// (`PRAGMA wal_autocheckpoint` would replace this hook: use [`Store::prepare_for_import`].)
    pub(crate) fn install(conn: &mut Connection) -> rusqlite::Result<WalWatch> {
        conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
        let frames = Arc::new(AtomicI32::new(0));
        let passive_frames = Arc::new(AtomicI32::new(PASSIVE_FRAMES));
        let (seen, passive) = (frames.clone(), passive_frames.clone());
        conn.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
            seen.store(pages, Ordering::Relaxed);
            if pages >= passive.load(Ordering::Relaxed) {
                // As SQLite's default hook does; a busy checkpoint is not the commit's failure.
                let _ = wal.checkpoint();
            }
            Ok(())
        }))?;
        Ok(WalWatch {
            frames,
            passive_frames,
            restart_frames: Cell::new(RESTART_FRAMES),
            restart_wait: Cell::new(RESTART_WAIT),
            not_before: Cell::new(None),
            backoff: Cell::new(FIRST_BACKOFF),
        })
    }

    pub(crate) fn set_passive_frames(&self, frames: i32) {
        self.passive_frames.store(frames, Ordering::Relaxed);
    }

    /// Whether the last commit left enough in the WAL to start it over, and it is this
    /// connection's turn to try.
    fn wants_restart(&self, now: Instant) -> bool {
        self.frames.load(Ordering::Relaxed) >= self.restart_frames.get()
            && self.not_before.get().is_none_or(|t| now >= t)
    }

    /// A RESTART begun at `started` took `took`, and finished or not.
    fn restarted(&self, done: bool, started: Instant, took: Duration) {
        if done {
            self.not_before.set(None);
            self.backoff.set(FIRST_BACKOFF);
        } else if took < REFUSED_AT_ONCE {
            self.not_before.set(None);
        } else {
            self.not_before.set(Some(started + self.backoff.get()));
            self.backoff.set((self.backoff.get() * 2).min(LONGEST_BACKOFF));
        }
    }
}

impl Store {
    /// After a commit: start the WAL over when it has grown past the threshold. Failing to is not
    /// an error (another connection will try); the write itself is already committed.
    pub(crate) fn after_commit(&self) {
        let now = Instant::now();
        if !self.wal.wants_restart(now) {
            return;
        }
        let _ = self.conn.busy_timeout(self.wal.restart_wait.get());
        let result = self.conn.wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::RESTART);
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        let took = now.elapsed();
        self.wal.restarted(result.is_ok(), now, took);
        let waited_ms = took.as_millis() as u64;
        match result {
            Ok((frames, _)) => tracing::debug!(frames, waited_ms, "WAL started over"),
            Err(error) => tracing::debug!(%error, waited_ms, "WAL restart put off"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, MessageKind, NewTicket, Priority};
    use crate::store::TicketFilter;
    use std::sync::atomic::AtomicBool;

    fn wal_len(db: &std::path::Path) -> u64 {
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        std::fs::metadata(std::path::Path::new(&wal)).map(|m| m.len()).unwrap_or(0)
    }

    fn ticket(store: &Store) -> i64 {
        let new = NewTicket {
            customer_email: "ann@example.com".into(),
            customer_name: None,
            subject: "Refund".into(),
            body: "Where is my refund?".into(),
            priority: Priority::Normal,
            channel: Channel::Email,
            tags: vec![],
        };
        store.create_ticket(&new, "ana").unwrap().id
    }

    /// The WAL file's largest size while one connection writes `writes` notes and two others read
    /// without pause (so some reader nearly always holds an older snapshot).
    fn peak_wal_while_read(restart_frames: i32, writes: usize) -> u64 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db");
        let store = Store::open(&db).unwrap();
        store.add_agent("ana", None, crate::domain::Role::Agent).unwrap();
        store.wal.restart_frames.set(restart_frames);
        // What is tested is that a RESTART gets through readers that never stop, not how fast:
        // a debug build sharing the machine with other tests can take longer than 20 ms a read.
        store.wal.restart_wait.set(Duration::from_secs(2));
        let (id, read) = (ticket(&store), ticket(&store));
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let reader = Store::open(&db).unwrap();
                    while !stop.load(Ordering::Relaxed) {
                        reader.list_tickets(&TicketFilter::default(), None, 50).unwrap();
                        reader.ticket_detail(read).unwrap(); // a conversation that does not grow
                    }
                });
            }
            let mut peak = 0;
            let body = "a note long enough to fill a few pages of the write-ahead log ".repeat(40);
            for _ in 0..writes {
                store.add_message(id, MessageKind::Note, "ana", &body, None).unwrap();
                peak = peak.max(wal_len(&db));
            }
            stop.store(true, Ordering::Relaxed);
            peak
        })
    }

    #[test]
    fn the_wal_starts_over_while_readers_never_stop() {
        // At 256 frames (1 MB) a restart keeps the file near 1 MB; without it, this reaches 5 MB and more.
        let peak = peak_wal_while_read(256, 1500);
        assert!(peak < 3 * 1024 * 1024, "the WAL grew to {peak} bytes");
    }

    #[test]
    fn a_restart_refused_at_once_is_tried_again_and_one_that_waited_in_vain_backs_off() {
        let store = Store::open_in_memory().unwrap();
        let (wal, t0) = (&store.wal, Instant::now());
        wal.frames.store(RESTART_FRAMES, Ordering::Relaxed);
        assert!(wal.wants_restart(t0));
        wal.restarted(false, t0, Duration::from_micros(2)); // another connection was checkpointing
        assert!(wal.wants_restart(t0), "the next commit tries again");
        wal.restarted(false, t0, RESTART_WAIT); // the readers did not finish in time
        assert!(!wal.wants_restart(t0 + Duration::from_millis(249)));
        assert!(wal.wants_restart(t0 + FIRST_BACKOFF));
        for _ in 0..10 {
            wal.restarted(false, t0, RESTART_WAIT);
        }
        assert!(wal.wants_restart(t0 + LONGEST_BACKOFF), "the wait stops growing");
        wal.restarted(true, t0, RESTART_WAIT);
        assert_eq!(wal.backoff.get(), FIRST_BACKOFF);
        wal.frames.store(RESTART_FRAMES - 1, Ordering::Relaxed);
        assert!(!wal.wants_restart(t0 + LONGEST_BACKOFF), "below the threshold, nothing to do");
    }

    #[test]
    fn an_import_raises_the_passive_threshold_without_losing_the_hook() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.db")).unwrap();
        store.prepare_for_import().unwrap();
        assert_eq!(store.wal.passive_frames.load(Ordering::Relaxed), 10_000);
        ticket(&store);
        assert!(store.wal.frames.load(Ordering::Relaxed) > 0, "the hook still counts frames");
    }
}
