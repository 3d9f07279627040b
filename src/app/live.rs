//! Live updates and presence: a watcher thread with its own connection polls `PRAGMA data_version`
//! (no transaction, so nothing is held open while idle), tells the console only when what it shows
//! may have changed, and keeps this console's presence heartbeat fresh.

use super::msg::{Effect, Msg};
use super::state::State;
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

/// Other processes changed the desk or who is where: refresh what is shown, keeping the selection
/// and the scroll position.
pub fn on_store_changed(state: &mut State, desk_changed: bool, presence: Vec<Presence>) -> Vec<Effect> {
    state.presence = presence;
    if !desk_changed {
        return vec![];
    }
    let mut effects = vec![Effect::LoadCounts];
    effects.push(match super::narrow::refresh(state) {
        Some(reload) => reload,
        None => Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() },
    });
    if let Some(id) = state.open_ticket().map(|t| t.id) {
        effects.push(Effect::LoadTicket(id));
    }
    effects
}

/// Other agents on `ticket`, writers first.
pub fn others_on(state: &State, ticket: i64) -> Vec<&Presence> {
    let mut others: Vec<&Presence> =
        state.presence.iter().filter(|p| p.ticket_id == Some(ticket) && p.agent != state.agent.login).collect();
    // One entry per agent (writing wins over viewing), then writers first.
    others.sort_by_key(|p| (p.agent.clone(), p.state != PresenceState::Writing));
    others.dedup_by(|a, b| a.agent == b.agent);
    others.sort_by_key(|p| (p.state != PresenceState::Writing, p.agent.clone()));
    others
}

/// One glyph for a queue row: `✎` someone else writes on it, `●` someone else views it.
pub fn glyph(state: &State, ticket: i64) -> &'static str {
    match others_on(state, ticket).first().map(|p| p.state) {
        Some(PresenceState::Writing) => "✎",
        Some(PresenceState::Viewing) => "●",
        None => " ",
    }
}

/// `✎ mei writing · ● hiro viewing`, for the conversation header; `brief` leaves out the words
/// (`✎ mei · ● hiro`) for a narrow pane.
pub fn describe(state: &State, ticket: i64, brief: bool) -> Option<String> {
    let others = others_on(state, ticket);
    if others.is_empty() {
        return None;
    }
    let parts: Vec<String> = others
        .iter()
        .map(|p| {
            let (glyph, doing) = match p.state {
                PresenceState::Writing => ("✎", " writing"),
                PresenceState::Viewing => ("●", " viewing"),
            };
            let who = crate::domain::text::for_display_line(&p.agent);
            format!("{glyph} {who}{}", if brief { "" } else { doing })
        })
        .collect();
    Some(parts.join(" · "))
}
