//! Live updates and presence: a watcher thread with its own connection polls `PRAGMA data_version`
//! (no transaction, so nothing is held open while idle), tells the console only when what it shows
//! may have changed, and keeps this console's presence heartbeat fresh.

use crate::app::model::message::Msg;
use crate::app::model::state::State;
use crate::domain::{Presence, PresenceState};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the watcher looks at `data_version`.
pub const POLL: Duration = Duration::from_millis(500);
/// How often a heartbeat is renewed, and how long it lives without renewal.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
pub const HEARTBEAT_TTL: Duration = Duration::from_secs(30);
/// Presence can expire without any write: look again this often even when nothing changed.
const RECHECK: Duration = Duration::from_secs(5);

/// What this console is doing, shared with the watcher thread.
#[derive(Debug, Clone, Default, PartialEq)]
struct Local {
    ticket: Option<i64>,
    writing: bool,
    stop: bool,
}

/// The console's side of the watcher.
pub struct Watcher {
    local: Arc<Mutex<Local>>,
    pub console: String,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watcher {
    /// Watch the database at `path` for `agent`, sending [`Msg::StoreChanged`] to `tx`.
    pub fn spawn(path: PathBuf, agent: String, tx: Sender<Msg>) -> Watcher {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
        let console = format!("{}-{}-{nanos}", agent, std::process::id());
        let local = Arc::new(Mutex::new(Local::default()));
        let shared = local.clone();
        let id = console.clone();
        let thread = std::thread::spawn(move || {
            if let Ok(store) = Store::open(&path) {
                watch(&store, &id, &agent, &shared, &tx);
                let _ = store.leave(&id);
            }
        });
        Watcher { local, console, thread: Some(thread) }
    }

    /// Tell the watcher which ticket this console shows and whether the agent writes on it.
    pub fn show(&self, state: &State) {
        let ticket = state.open_ticket().map(|t| t.id);
        let writing = state.composer.as_ref().is_some_and(|c| Some(c.ticket_id) == ticket);
        if let Ok(mut local) = self.local.lock() {
            local.ticket = ticket;
            local.writing = writing;
        }
    }

    /// Stop watching and remove this console's heartbeat.
    pub fn stop(&mut self) {
        if let Ok(mut local) = self.local.lock() {
            local.stop = true;
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What the console shows that other processes can change: the newest event, the newest ticket
/// change, and who else is where.
#[derive(Debug, PartialEq)]
struct Seen {
    desk: (i64, i64),
    presence: Vec<Presence>,
}

fn watch(store: &Store, console: &str, agent: &str, local: &Mutex<Local>, tx: &Sender<Msg>) {
    let mut version = None;
    let mut seen: Option<Seen> = None;
    let mut beat: Option<(Local, Instant)> = None;
    let mut checked = Instant::now();
    loop {
        let now = local.lock().map(|l| l.clone()).unwrap_or_default();
        if now.stop {
            return;
        }
        let due = beat.as_ref().is_none_or(|(last, at)| *last != now || at.elapsed() >= HEARTBEAT);
        if due {
            let state = if now.writing { PresenceState::Writing } else { PresenceState::Viewing };
            let ttl = HEARTBEAT_TTL.as_millis() as i64;
            if let Err(error) = store.heartbeat(console, agent, now.ticket, state, ttl) {
                tracing::warn!(%error, "presence heartbeat");
            }
            beat = Some((now, Instant::now()));
        }
        let current = store.data_version().ok();
        if current != version || checked.elapsed() >= RECHECK {
            version = current;
            checked = Instant::now();
            if let Some(next) = look(store, console) {
                if seen.as_ref() != Some(&next) {
                    let first = seen.is_none();
                    let desk_changed = seen.as_ref().is_some_and(|s| s.desk != next.desk);
                    let presence = next.presence.clone();
                    seen = Some(next);
                    if tx.send(Msg::StoreChanged { desk_changed: desk_changed && !first, presence }).is_err() {
                        return;
                    }
                }
            }
        }
        // Sleep in short steps so a quitting console is not kept waiting.
        let slept = Instant::now();
        while slept.elapsed() < POLL && !local.lock().map(|l| l.stop).unwrap_or(true) {
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

fn look(store: &Store, console: &str) -> Option<Seen> {
    let desk = store.change_marks().ok()?;
    let mut presence = store.presence().ok()?;
    presence.retain(|p| p.console != console);
    Some(Seen { desk, presence })
}
