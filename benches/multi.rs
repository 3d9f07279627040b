//! Several agents on the 100,000-ticket desk at once: 4 writers and 4 readers, each on its own
//! connection, on a copy of the bench desk (the original is never written).
//!
//! `cargo bench --bench multi` runs 30 s; `FRONTDESK_MULTI_SECS=600 cargo bench --bench multi` is
//! the 10-minute run. Figures: write p99 ≤ 10 ms, read p99 ≤ 5 ms, 0 lost updates, WAL < 64 MB.

mod common;

use common::{ms, row, spread};
use frontdesk::domain::{MessageKind, Priority, Role, TicketChange};
use frontdesk::store::{Store, StoreError, TicketFilter};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const WRITERS: usize = 4;
const READERS: usize = 4;
/// A writer's pause between writes (an agent is not a loop).
const THINK: Duration = Duration::from_millis(5);
/// The tickets the writers fight over: one write and one conversation read in four goes to these,
/// the rest anywhere on the desk. (With every write on 200 tickets, ten minutes gave each of them
/// some 1,400 notes and events, and the read figure measured conversations no desk has.)
const HOT: i64 = 200;

/// The ticket a write or a read goes to: one of the hot ones, or any of the desk's `tickets`.
fn pick(n: u64, tickets: i64) -> i64 {
    let among = if (n >> 20).is_multiple_of(4) { HOT } else { tickets.max(1) };
    1 + (n >> 33) as i64 % among
}

struct Writes {
    login: String,
    ok: u64,
    conflicts: u64,
    errors: Vec<String>,
    times: Vec<Duration>,
}

fn writer(path: &Path, login: String, seed: u64, stop: &AtomicBool) -> Writes {
    let store = Store::open(path).expect("open");
    let tickets = store.count_tickets(&TicketFilter::default()).expect("count") as i64;
    let mut w = Writes { login, ok: 0, conflicts: 0, errors: Vec::new(), times: Vec::new() };
    let mut n = seed;
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let id = pick(n, tickets);
        let Ok(t) = store.ticket(id) else { continue };
        let started = Instant::now();
        let result = if n & 1 == 0 {
            let next = Priority::ALL[(Priority::ALL.iter().position(|p| *p == t.priority).unwrap_or(0) + 1) % 4];
            let change = TicketChange { priority: Some(next), ..TicketChange::default() };
            store.update_ticket(id, t.version, &change, &w.login).map(|_| ())
        } else {
            store.add_message(id, MessageKind::Note, &w.login, "bench note", Some(t.version)).map(|_| ())
        };
        w.times.push(started.elapsed());
        match result {
            Ok(()) => w.ok += 1,
            Err(StoreError::Conflict { .. }) => w.conflicts += 1,
            Err(e) => w.errors.push(e.to_string()),
        }
        std::thread::sleep(THINK);
    }
    w
}

fn reader(path: &Path, seed: u64, stop: &AtomicBool) -> (Vec<Duration>, Vec<String>) {
    let store = Store::open(path).expect("open");
    let tickets = store.count_tickets(&TicketFilter::default()).expect("count") as i64;
    let (mut times, mut errors) = (Vec::new(), Vec::new());
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    let mut n = seed;
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let started = Instant::now();
        let result = if n & 1 == 0 {
            store.list_tickets(&filter, None, 100).map(|_| ())
        } else {
            store.ticket_detail(pick(n, tickets)).map(|_| ())
        };
        times.push(started.elapsed());
        if let Err(e) = result {
            errors.push(e.to_string());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (times, errors)
}

fn wal_size(db: &Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(Path::new(&wal)).map(|m| m.len()).unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let secs: u64 = std::env::var("FRONTDESK_MULTI_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let original = common::bench_db();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("multi.db");
    std::fs::copy(&original, &db).expect("copy the bench desk");
    let logins: Vec<String> = (0..WRITERS).map(|w| format!("bench-w{w}")).collect();
    {
        let store = Store::open(&db).expect("the copy opens");
        for login in &logins {
            store.add_agent(login, None, Role::Agent).expect("add a writer");
        }
    }
    let stop = AtomicBool::new(false);
    let wal_peak = AtomicU64::new(0);
    let (writes, reads) = std::thread::scope(|s| {
        let writers: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(i, login)| {
                let (db, stop) = (&db, &stop);
                s.spawn(move || writer(db, login.clone(), i as u64 + 1, stop))
            })
            .collect();
        let readers: Vec<_> = (0..READERS)
            .map(|i| {
                let (db, stop) = (&db, &stop);
                s.spawn(move || reader(db, 100 + i as u64, stop))
            })
            .collect();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(secs) {
            wal_peak.fetch_max(wal_size(&db), Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(100));
        }
        stop.store(true, Ordering::Relaxed);
        let writes: Vec<Writes> = writers.into_iter().map(|h| h.join().expect("writer")).collect();
        let reads: Vec<_> = readers.into_iter().map(|h| h.join().expect("reader")).collect();
        (writes, reads)
    });
    let store = Store::open(&db).expect("reopen");
    let mut lost = 0i64;
    for w in &writes {
        let logged = store.count_events_by(&w.login, &["priority", "note"]).expect("count");
        lost += (w.ok as i64 - logged).abs();
    }
    let ok: u64 = writes.iter().map(|w| w.ok).sum();
    let conflicts: u64 = writes.iter().map(|w| w.conflicts).sum();
    let write_errors: Vec<String> = writes.iter().flat_map(|w| w.errors.clone()).collect();
    let read_errors: Vec<String> = reads.iter().flat_map(|r| r.1.clone()).collect();
    let w = spread(writes.into_iter().flat_map(|w| w.times).collect());
    let r = spread(reads.into_iter().flat_map(|r| r.0).collect());
    let wal_mb = wal_peak.load(Ordering::Relaxed) as f64 / 1_048_576.0;
    println!("{WRITERS} writers and {READERS} readers for {secs} s on a copy of {}", original.display());
    common::header();
    let spread_text = |s: &common::Spread| format!("p50 {} p99 {} max {} (n={})", ms(s.p50), ms(s.p99), ms(s.max), s.n);
    row(
        "write (update or note, with its lock wait), p99",
        spread_text(&w),
        "≤ 10 ms",
        w.p99 <= Duration::from_millis(10),
    );
    row("read (queue page or conversation), p99", spread_text(&r), "≤ 5 ms", r.p99 <= Duration::from_millis(5));
    row(
        "lost updates (successes missing from the log)",
        format!("{lost} of {ok} ({conflicts} conflicts)"),
        "0",
        lost == 0,
    );
    let errors = write_errors.len() + read_errors.len();
    row("errors other than conflicts (e.g. database is locked)", errors.to_string(), "0", errors == 0);
    row("WAL file, peak", format!("{wal_mb:.1} MB"), "< 64 MB", wal_mb < 64.0);
    for e in write_errors.iter().chain(&read_errors).take(5) {
        println!("error: {e}");
    }
}
