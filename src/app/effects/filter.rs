//! The `/` filter's matching, on its own thread with its own connection, so typing never waits.
//!
//! Requests carry a generation; the newest one wins. A request overtaken by a newer one is answered
//! with `None` as soon as the worker notices (it checks while scoring). A query that extends the
//! previous one (`ref` → `refu`) only re-scores what the previous one matched.
//!
//! A tab of up to [`IN_MEMORY_UP_TO`] tickets is loaded and matched whole; a larger one goes
//! through [`LargeTab`] (its newest tickets in memory, the rest through the filter index). The
//! console has the tab its queue shows loaded ahead ([`FilterWorker::prepare`]), so `/` finds its
//! tickets ready: on a large desk reading them takes longer than a frame. While no request waits,
//! the worker adds the tickets that predate the filter index to it in batches.

use super::large_tab_filter::LargeTab;
use crate::app::model::message::Msg;
use crate::domain::fuzzy::{fold, Query};
use crate::domain::TicketFilter;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

/// Candidates scored between checks for a newer request.
const CHECK_EVERY: usize = 2048;
/// Below this many candidates one thread is quicker than two.
const SPLIT_ABOVE: usize = 16_384;

pub struct FilterRequest {
    pub generation: u64,
    /// The tickets of the tab being filtered.
    pub filter: TicketFilter,
    pub query: String,
    /// The tickets changed since the worker loaded them.
    pub refresh: bool,
}

/// What the worker is asked to do.
enum Job {
    Match(FilterRequest),
    /// Load the tab's tickets (again, with `refresh`) if they are not what the worker holds; no answer.
    Prepare {
        filter: TicketFilter,
        refresh: bool,
    },
}

/// The console's handle on the worker thread.
pub struct FilterWorker {
    tx: Option<Sender<Job>>,
    latest: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FilterWorker {
    pub fn spawn(db: PathBuf, reply: Sender<Msg>) -> FilterWorker {
        FilterWorker::spawn_with(db, reply, IN_MEMORY_UP_TO)
    }

    /// A worker that matches tabs of up to `in_memory_up_to` tickets in memory, larger ones
    /// through the index.
    pub fn spawn_with(db: PathBuf, reply: Sender<Msg>, in_memory_up_to: usize) -> FilterWorker {
        let (tx, rx) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = latest.clone();
        let thread = std::thread::Builder::new()
            .name("filter".into())
            .spawn(move || run(db, rx, reply, seen, in_memory_up_to))
            .expect("the filter thread starts");
        FilterWorker { tx: Some(tx), latest, thread: Some(thread) }
    }

    pub fn request(&self, request: FilterRequest) {
        self.latest.store(request.generation, Ordering::SeqCst);
        if let Some(tx) = &self.tx {
            let _ = tx.send(Job::Match(request));
        }
    }

    /// Load the tickets of the tab `filter` shows before anyone filters it; nothing is answered.
    pub fn prepare(&self, filter: TicketFilter, refresh: bool) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Job::Prepare { filter, refresh });
        }
    }
}

impl Drop for FilterWorker {
    /// A scan under way stops, and the worker's connection is closed before the console exits:
    /// the last connection to close takes the WAL file away with it.
    fn drop(&mut self) {
        self.latest.store(u64::MAX, Ordering::SeqCst);
        drop(self.tx.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The tab's tickets, folded for matching, most recently updated first. The texts sit end to end
/// in one buffer, so a scan reads memory in order.
#[derive(Default)]
pub struct Candidates {
    pub ids: Vec<i64>,
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Candidates {
    pub fn load(store: &Store, filter: &TicketFilter) -> crate::store::Result<Candidates> {
        let mut c = Candidates::default();
        store.filter_candidates(filter, &mut |id, text| c.push(id, text))?;
        Ok(c)
    }

    pub fn push(&mut self, id: i64, text: &str) {
        self.ids.push(id);
        self.text.extend_from_slice(fold(text).as_bytes());
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn text(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// Matching state kept between requests: the last query and what it matched, in the tab's order.
#[derive(Default)]
pub struct Matcher {
    previous: Option<(Query, Vec<u32>)>,
}

impl Matcher {
    /// The indices of the candidates `query` matches, best first, or `None` if `cancelled` became
    /// true on the way.
    pub fn run(&mut self, candidates: &Candidates, text: &str, cancelled: &dyn Fn() -> bool) -> Option<Vec<u32>> {
        let query = Query::new(text);
        if query.is_empty() {
            self.previous = None;
            return Some((0..candidates.ids.len() as u32).collect());
        }
        let pool: Vec<u32> = match &self.previous {
            Some((earlier, matched)) if query.narrows(earlier) => matched.clone(),
            _ => (0..candidates.ids.len() as u32).collect(),
        };
        // The pool is in the tab's order, so the scan reads the texts in order, the matches come
        // back in that order, and equal scores keep it (most recently updated first).
        let scored = score_all(&query, candidates, &pool, cancelled)?;
        let ranked = rank_by_score(&scored);
        self.previous = Some((query, scored.iter().map(|&(_, i)| i).collect()));
        Some(ranked)
    }

    pub fn forget(&mut self) {
        self.previous = None;
    }
}

/// The indices best score first, keeping the given order among equal scores: a counting sort,
/// since scores are small numbers (linear, where a comparison sort of 100,000 takes milliseconds).
fn rank_by_score(scored: &[(u32, u32)]) -> Vec<u32> {
    let max = scored.iter().map(|&(s, _)| s).max().unwrap_or(0) as usize;
    let mut starts = vec![0usize; max + 2];
    for &(score, _) in scored {
        starts[max - score as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut ranked = vec![0u32; scored.len()];
    for &(score, i) in scored {
        let slot = &mut starts[max - score as usize];
        ranked[*slot] = i;
        *slot += 1;
    }
    ranked
}

fn score_all(query: &Query, c: &Candidates, pool: &[u32], cancelled: &dyn Fn() -> bool) -> Option<Vec<(u32, u32)>> {
    let stop = AtomicBool::new(false);
    let score_chunk = |chunk: &[u32]| -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for block in chunk.chunks(CHECK_EVERY) {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            out.extend(block.iter().filter_map(|&i| query.score(c.text(i as usize)).map(|s| (s, i))));
        }
        out
    };
    let result = if pool.len() > SPLIT_ABOVE {
        let (left, right) = pool.split_at(pool.len() / 2);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| score_chunk(right));
            // Watch for a newer request while both halves work.
            let mut mine = Vec::new();
            for block in left.chunks(CHECK_EVERY) {
                if cancelled() {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                mine.extend(score_chunk(block));
            }
            let theirs = other.join().unwrap_or_default();
            mine.extend(theirs);
            mine
        })
    } else {
        let mut out = Vec::new();
        for block in pool.chunks(CHECK_EVERY) {
            if cancelled() {
                stop.store(true, Ordering::Relaxed);
                break;
            }
            out.extend(score_chunk(block));
        }
        out
    };
    if stop.load(Ordering::Relaxed) {
        None
    } else {
        Some(result)
    }
}

/// Tabs up to this many tickets (the active tabs, the agent's working set: up to about 5 MB) are
/// matched whole in memory; larger ones (All, closed tickets) through the index. A selective tab
/// through the index would read many hits of other tabs before its own.
pub const IN_MEMORY_UP_TO: usize = 65_536;

/// What the worker holds of the tab being filtered.
pub enum TabFilter {
    /// Every ticket of a small tab.
    Whole { filter: TicketFilter, candidates: Candidates, matcher: Matcher },
    /// A large tab's newest tickets, and how many it has.
    Large { tab: LargeTab, total: usize },
}

impl TabFilter {
    pub fn filter(&self) -> &TicketFilter {
        match self {
            TabFilter::Whole { filter, .. } => filter,
            TabFilter::Large { tab, .. } => &tab.filter,
        }
    }

    /// The tab's tickets: all of them when it has up to `in_memory_up_to`, else its newest.
    pub fn load(store: &Store, filter: &TicketFilter, in_memory_up_to: usize) -> crate::store::Result<TabFilter> {
        let total = store.count_tickets(filter)? as usize;
        if total > in_memory_up_to {
            let window = in_memory_up_to.min(super::large_tab_filter::WINDOW);
            return Ok(TabFilter::Large { tab: LargeTab::load(store, filter, window)?, total });
        }
        let candidates = Candidates::load(store, filter)?;
        Ok(TabFilter::Whole { filter: filter.clone(), candidates, matcher: Matcher::default() })
    }

    /// What `query` matches.
    pub fn answer(&mut self, store: &Store, query: &str, cancelled: &dyn Fn() -> bool) -> crate::store::Result<Answer> {
        Ok(match self {
            TabFilter::Whole { candidates, matcher, .. } => {
                let ids = matcher
                    .run(candidates, query, cancelled)
                    .map(|ranked| ranked.iter().map(|&i| candidates.ids[i as usize]).collect());
                (ids, candidates.len(), true)
            }
            TabFilter::Large { tab, total } => match tab.run(store, query, cancelled)? {
                Some(found) => (Some(found.ids.into()), *total, found.complete),
                None => (None, *total, false),
            },
        })
    }
}

/// Ids best first (`None` when overtaken), the tab's size, and whether every match is there.
pub type Answer = (Option<std::sync::Arc<[i64]>>, usize, bool);

fn run(db: PathBuf, rx: Receiver<Job>, reply: Sender<Msg>, latest: Arc<AtomicU64>, in_memory_up_to: usize) {
    let store = match Store::open(&db) {
        Ok(store) => store,
        Err(e) => {
            let _ = reply.send(Msg::Failed(format!("the filter cannot open the database: {e}")));
            return;
        }
    };
    let mut loaded: Option<TabFilter> = None;
    let mut building = !store.filter_index_complete().unwrap_or(true);
    // A tab to prepare that came in behind a request, done after it.
    let mut deferred: Option<Job> = None;
    while let Some(job) = deferred.take().or_else(|| next_job(&store, &rx, &mut building)) {
        let mut request = match job {
            Job::Match(request) => request,
            Job::Prepare { filter, refresh } => {
                match newest_prepare(&rx, filter, refresh) {
                    Job::Prepare { filter, refresh } => {
                        if refresh || !loaded.as_ref().is_some_and(|l| *l.filter() == filter) {
                            // A failed read is said when the agent filters; the tab loads again then.
                            loaded = TabFilter::load(&store, &filter, in_memory_up_to).ok();
                        }
                    }
                    request => deferred = Some(request),
                }
                continue;
            }
        };
        // Only the newest request matters; answer the ones it overtook.
        while let Ok(newer) = rx.try_recv() {
            let newer = match newer {
                Job::Match(newer) => newer,
                prepare => {
                    deferred = Some(prepare);
                    continue;
                }
            };
            let _ = reply.send(Msg::FilterMatched { generation: request.generation, ids: None, total: 0 });
            request.refresh |= newer.refresh;
            request = FilterRequest { refresh: request.refresh, ..newer };
        }
        let generation = request.generation;
        let stale = request.refresh || !loaded.as_ref().is_some_and(|l| *l.filter() == request.filter);
        if stale {
            loaded = None;
            match TabFilter::load(&store, &request.filter, in_memory_up_to) {
                Ok(l) => loaded = Some(l),
                Err(e) => {
                    let _ = reply.send(Msg::Failed(format!("the filter cannot read the tickets: {e}")));
                    let _ = reply.send(Msg::FilterMatched { generation, ids: None, total: 0 });
                    continue;
                }
            }
        }
        let Some(tab) = loaded.as_mut() else { continue };
        let cancelled = || latest.load(Ordering::SeqCst) != generation;
        let (ids, total, complete) = match tab.answer(&store, &request.query, &cancelled) {
            Ok(answer) => answer,
            Err(e) => {
                let _ = reply.send(Msg::Failed(format!("the filter cannot read the tickets: {e}")));
                (None, 0, true)
            }
        };
        let answer = match ids {
            Some(ids) if !complete => Msg::FilterMatchedSome { generation, ids, total },
            ids => Msg::FilterMatched { generation, ids, total },
        };
        let _ = reply.send(answer);
    }
}

/// Of the tabs to prepare waiting in line, the newest (stale when any of them says so); or the
/// request to match behind them, which goes first and loads what it needs itself.
fn newest_prepare(rx: &Receiver<Job>, mut filter: TicketFilter, mut refresh: bool) -> Job {
    while let Ok(job) = rx.try_recv() {
        match job {
            Job::Prepare { filter: newer, refresh: stale } => {
                filter = newer;
                refresh |= stale;
            }
            Job::Match(mut request) => {
                request.refresh |= refresh;
                return Job::Match(request);
            }
        }
    }
    Job::Prepare { filter, refresh }
}

/// The next job; while none waits and the filter index is not complete, build it a batch at a
/// time (each a short write, so the console's own writes hardly wait).
fn next_job(store: &Store, rx: &Receiver<Job>, building: &mut bool) -> Option<Job> {
    while *building {
        match rx.try_recv() {
            Ok(request) => return Some(request),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => {
                // A failed step (a read-only desk) leaves the index as it is: the filter still works.
                *building = matches!(store.build_filter_index_step(crate::store::FILTER_INDEX_BATCH), Ok(false));
            }
        }
    }
    rx.recv().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(texts: &[&str]) -> Candidates {
        let mut c = Candidates::default();
        for (i, text) in texts.iter().enumerate() {
            c.push(i as i64 + 1, text);
        }
        c
    }

    #[test]
    fn best_first_then_the_tabs_order() {
        let c = candidates(&["#1 Login loop", "#2 Refund for order", "#3 refurbished fund", "#4 Refund again"]);
        let mut m = Matcher::default();
        let ranked = m.run(&c, "refund", &|| false).unwrap();
        assert_eq!(ranked, vec![1, 3, 2], "contiguous matches first, in the tab's order, then scattered ones");
    }

    #[test]
    fn ranking_is_by_score_then_by_the_given_order() {
        assert_eq!(rank_by_score(&[(5, 0), (9, 1), (5, 2), (9, 3), (0, 4)]), vec![1, 3, 0, 2, 4]);
        assert!(rank_by_score(&[]).is_empty());
    }

    #[test]
    fn an_extended_query_rescores_only_the_previous_matches() {
        let c = candidates(&["#1 Refund", "#2 Login", "#3 Reset"]);
        let mut m = Matcher::default();
        assert_eq!(m.run(&c, "re", &|| false).unwrap(), vec![0, 2]);
        let calls = std::cell::Cell::new(0);
        let counting = || {
            calls.set(calls.get() + 1);
            false
        };
        assert_eq!(m.run(&c, "ref", &counting).unwrap(), vec![0]);
        assert!(calls.get() >= 1, "the scan looks for newer requests");
        assert_eq!(m.previous.as_ref().unwrap().1, vec![0]);
        // A query that does not extend the last one starts again from every ticket.
        assert_eq!(m.run(&c, "log", &|| false).unwrap(), vec![1]);
    }

    #[test]
    fn a_newer_request_cancels_the_work() {
        let texts: Vec<String> = (0..50_000).map(|i| format!("#{i} Refund for order {i}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let c = candidates(&refs);
        let mut m = Matcher::default();
        assert!(m.run(&c, "order", &|| true).is_none(), "cancelled work gives no answer");
        assert!(m.previous.is_none(), "and is not reused");
        assert_eq!(m.run(&c, "order", &|| false).unwrap().len(), 50_000);
    }

    fn new_ticket(store: &Store, subject: &str) {
        let new = crate::domain::NewTicket {
            customer_email: "c@shop.example".into(),
            customer_name: None,
            subject: subject.into(),
            body: "x".into(),
            priority: crate::domain::Priority::Normal,
            channel: crate::domain::Channel::Email,
            tags: vec![],
        };
        store.create_ticket(&new, "ana").unwrap();
    }

    fn desk_with(subjects: &[&str]) -> (tempfile::TempDir, PathBuf, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let store = Store::open(&path).unwrap();
        store.register_first_admin("ana").unwrap();
        for subject in subjects {
            new_ticket(&store, subject);
        }
        (dir, path, store)
    }

    fn matched(rx: &Receiver<Msg>, generation: u64) -> Vec<i64> {
        loop {
            match rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap() {
                Msg::FilterMatched { generation: g, ids, .. } if g == generation => return ids.unwrap().to_vec(),
                Msg::FilterMatched { .. } => {}
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn a_prepared_tab_is_loaded_before_the_first_request_and_again_when_stale() {
        let (_dir, path, store) = desk_with(&["Refund please", "Login loop"]);
        let (tx, rx) = mpsc::channel();
        let worker = FilterWorker::spawn(path, tx);
        let all = TicketFilter::default();
        worker.prepare(all.clone(), false);
        // The worker has read the tab by now; a ticket written after that is not in what it holds.
        std::thread::sleep(std::time::Duration::from_millis(300));
        new_ticket(&store, "Refund again");
        let ask = |generation, refresh| {
            worker.request(FilterRequest { generation, filter: all.clone(), query: "refund".into(), refresh })
        };
        ask(1, false);
        assert_eq!(matched(&rx, 1), vec![1], "answered from the tickets loaded ahead, not read again");
        worker.prepare(all.clone(), true);
        ask(2, false);
        assert_eq!(matched(&rx, 2), vec![3, 1], "a stale tab prepared again is read again");
        assert!(rx.try_recv().is_err(), "preparing answers nothing");
    }

    #[test]
    fn the_worker_answers_every_request_and_drops_overtaken_ones() {
        let (_dir, path, _store) = desk_with(&["Refund please", "Login loop", "Refund again"]);
        let (tx, rx) = mpsc::channel();
        let worker = FilterWorker::spawn(path, tx);
        for (generation, query) in [(1, "r"), (2, "re"), (3, "refund")] {
            let request =
                FilterRequest { generation, filter: TicketFilter::default(), query: query.into(), refresh: false };
            worker.request(request);
        }
        let mut answered = Vec::new();
        while answered.len() < 3 {
            match rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap() {
                Msg::FilterMatched { generation, ids, total } => answered.push((generation, ids, total)),
                other => panic!("unexpected {other:?}"),
            }
        }
        let last = answered.iter().find(|(g, _, _)| *g == 3).unwrap();
        assert_eq!(last.1.as_deref(), Some(&[3, 1][..]));
        assert_eq!(last.2, 3);
    }
}
