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
/// Due times left from which the status line counts them: ten steps, a noticeable while.
const DUE_SHOWN_FROM: u64 = 10 * crate::store::DUE_BATCH as u64;

/// Working out the due times the queue is sorted by.
pub struct DueTimes {
    policies: Policies,
    /// This console has made the desk's due times follow its policies (once; see `Store::refresh_due`).
    adopted: bool,
    /// A thread is working out the rest.
    running: Arc<AtomicBool>,
    /// How long a queue load may spend on them.
    budget: Duration,
    /// The status line counts what is left from this many on (fewer are done in a blink).
    shown_from: u64,
}

impl DueTimes {
    pub fn new(policies: Policies) -> DueTimes {
        DueTimes {
            policies,
            adopted: false,
            running: Arc::default(),
            budget: DUE_REFRESH_BUDGET,
            shown_from: DUE_SHOWN_FROM,
        }
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
        let deadline = Instant::now() + self.budget;
        let adopt = !std::mem::replace(&mut self.adopted, true);
        let left = loop {
            match store.refresh_due(&self.policies, crate::store::DUE_BATCH, adopt) {
                Ok(0) => return,
                Ok(_) if Instant::now() < deadline => {}
                Ok(left) => break left,
                // Another agent is writing: the next load tries again.
                Err(StoreError::Busy) => return,
                Err(error) => {
                    tracing::warn!(%error, "working out SLA due times");
                    return;
                }
            }
        };
        self.running.store(true, Ordering::SeqCst);
        let shown_from = self.shown_from;
        if left >= shown_from {
            let _ = answers.send(Msg::DueWorking { left });
        }
        let (path, policies, tx, running) =
            (store.path().to_path_buf(), self.policies.clone(), answers.clone(), self.running.clone());
        std::thread::spawn(move || {
            if let Ok(store) = Store::open(&path) {
                finish_due_times(&store, &policies, &tx, shown_from);
            }
            running.store(false, Ordering::SeqCst);
            let _ = tx.send(Msg::DueRefreshed);
        });
    }
}

/// How often the status line hears how many due times are left.
const DUE_PROGRESS_EVERY: Duration = Duration::from_millis(250);

fn finish_due_times(store: &Store, policies: &Policies, tx: &Sender<Msg>, shown_from: u64) {
    let mut said = Instant::now();
    loop {
        match store.refresh_due(policies, crate::store::DUE_BATCH, false) {
            Ok(0) => return,
            Ok(left) => {
                if left >= shown_from && said.elapsed() >= DUE_PROGRESS_EVERY {
                    let _ = tx.send(Msg::DueWorking { left });
                    said = Instant::now();
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(StoreError::Busy) => std::thread::sleep(Duration::from_millis(2)),
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
    if !matches!(store.search_index_pending(), Ok(Some(_))) && !matches!(store.search_terms_pending(), Ok(true)) {
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
    // Then the list of its words, which only makes long prefixes quick: nothing to show for it.
    loop {
        match store.build_search_terms_step(crate::store::search_terms::TERMS_BATCH) {
            Ok(true) => break,
            Ok(false) | Err(StoreError::Busy) => {}
            Err(error) => {
                tracing::warn!(%error, "the search index's words");
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sla::{Hours, Policy, Targets};
    use crate::domain::{Channel, NewTicket, Priority};

    fn policies(first_response: i64) -> Policies {
        let targets = Targets { first_response: Some(first_response), next_response: None, resolution: None };
        Policies { policies: vec![Policy { priority: Priority::Normal, tier: None, targets, hours: Hours::Calendar }] }
    }

    #[test]
    fn new_policies_on_a_large_desk_are_worked_out_on_a_thread_that_says_how_many_are_left() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.db")).unwrap();
        store.register_first_admin("ana").unwrap();
        let tickets = crate::store::DUE_BATCH * 3 + 7;
        for n in 0..tickets {
            let new = NewTicket {
                customer_email: format!("c{n}@shop.example"),
                customer_name: None,
                subject: format!("Order {n}"),
                body: "Where is it?".into(),
                priority: Priority::Normal,
                channel: Channel::Email,
                tags: vec![],
            };
            store.create_ticket(&new, "ana").unwrap();
        }
        let (tx, rx) = std::sync::mpsc::channel();
        // No time on the queue load: one step there, the rest on the thread.
        let mut due = DueTimes { budget: Duration::ZERO, shown_from: 0, ..DueTimes::new(policies(3_600)) };
        due.refresh(&store, &tx);
        let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let left = (tickets - crate::store::DUE_BATCH) as u64;
        assert!(matches!(first, Msg::DueWorking { left: l } if l == left), "{first:?}");
        due.refresh(&store, &tx);
        loop {
            match rx.recv_timeout(Duration::from_secs(30)).unwrap() {
                Msg::DueWorking { left: now } => assert!(now < left, "fewer left each time"),
                Msg::DueRefreshed => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(rx.try_recv().is_err(), "a second load while the thread works starts nothing");
        assert_eq!(store.refresh_due(&policies(3_600), crate::store::DUE_BATCH, false).unwrap(), 0, "all done");
    }
}
