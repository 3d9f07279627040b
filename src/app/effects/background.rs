//! Long store work on threads of its own, in short write transactions so other agents' writes
//! wait at most one step: SLA due times after the policies changed, and the search index build.

use crate::app::model::message::Msg;
use crate::domain::sla::Policies;
use crate::store::{Store, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a queue load may spend working out due times before handing the rest to a thread.
const DUE_REFRESH_BUDGET: Duration = Duration::from_millis(10);

/// Working out the due times the queue is sorted by.
pub struct DueTimes {
    policies: Policies,
    /// This console has made the desk's due times follow its policies (once; see `Store::refresh_due`).
    adopted: bool,
    /// A thread is working out the rest.
    running: Arc<AtomicBool>,
}

impl DueTimes {
    pub fn new(policies: Policies) -> DueTimes {
        DueTimes { policies, adopted: false, running: Arc::default() }
    }

    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// Bring the due times up to date: a few short steps here; what is left (after the policies
    /// changed on a large desk) on a thread with its own connection, which asks for the queue to
    /// be reloaded when it is done.
    pub fn refresh(&mut self, store: &Store, answers: &Sender<Msg>) {
        if self.running.load(Ordering::SeqCst) {
            return;
        }
        let deadline = Instant::now() + DUE_REFRESH_BUDGET;
        let adopt = !std::mem::replace(&mut self.adopted, true);
        loop {
            match store.refresh_due(&self.policies, crate::store::DUE_BATCH, adopt) {
                Ok(0) => return,
                Ok(_) if Instant::now() < deadline => {}
                Ok(_) => break,
                // Another agent is writing: the next load tries again.
                Err(StoreError::Busy) => return,
                Err(error) => {
                    tracing::warn!(%error, "working out SLA due times");
                    return;
                }
            }
        }
        self.running.store(true, Ordering::SeqCst);
        let (path, policies, tx, running) =
            (store.path().to_path_buf(), self.policies.clone(), answers.clone(), self.running.clone());
        std::thread::spawn(move || {
            if let Ok(store) = Store::open(&path) {
                finish_due_times(&store, &policies);
            }
            running.store(false, Ordering::SeqCst);
            let _ = tx.send(Msg::DueRefreshed);
        });
    }
}

fn finish_due_times(store: &Store, policies: &Policies) {
    loop {
        match store.refresh_due(policies, crate::store::DUE_BATCH, false) {
            Ok(0) => return,
            Ok(_) | Err(StoreError::Busy) => std::thread::sleep(Duration::from_millis(2)),
            Err(error) => {
                tracing::warn!(%error, "working out SLA due times");
                return;
            }
        }
    }
}

/// Index the tickets the search index does not have yet, on a thread with its own connection.
/// Returns whether a build started (none is needed when the index is complete).
pub fn start_index_build(store: &Store, answers: &Sender<Msg>) -> bool {
    if !matches!(store.search_index_pending(), Ok(Some(_))) {
        return false;
    }
    let (path, tx): (PathBuf, _) = (store.path().to_path_buf(), answers.clone());
    std::thread::spawn(move || {
        let Ok(store) = Store::open(&path) else { return };
        build_index(&store, &tx);
    });
    true
}

fn build_index(store: &Store, tx: &Sender<Msg>) {
    loop {
        match store.search_index_pending() {
            Ok(Some(p)) => {
                let done = (p.total - p.pending) * 100 / p.total.max(1);
                let _ = tx.send(Msg::IndexBuild(Some(done as u8)));
            }
            Ok(None) => break,
            Err(error) => {
                tracing::warn!(%error, "search index build");
                return;
            }
        }
        match store.build_search_index_step(crate::store::search::INDEX_BATCH) {
            Ok(true) => break,
            Ok(false) | Err(StoreError::Busy) => {}
            Err(error) => {
                tracing::warn!(%error, "search index build");
                let _ = tx.send(Msg::Failed(format!("building the search index failed: {error}")));
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = tx.send(Msg::IndexBuild(None));
}
