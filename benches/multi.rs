//! Several agents on the 100,000-ticket desk at once: 4 writers and 4 readers, each on its own
//! connection, on a copy of the bench desk (the original is never written).
//!
//! The run is made twice: as 8 threads of this process, and as 8 processes (this program started
//! again, one role each), which is how agents on one machine run frontdesk. `cargo bench --bench
//! multi` runs each for 30 s; `FRONTDESK_MULTI_SECS=600` is the 10-minute run, and
//! `FRONTDESK_MULTI_MODE=threads` or `processes` makes only one of the two.
//! Figures: write p99 ≤ 10 ms, read p99 ≤ 5 ms, 0 lost updates, WAL < 64 MB.

mod common;

use common::{ms, row, spread};
use frontdesk::domain::TicketFilter;
use frontdesk::domain::{MessageKind, Priority, Role, TicketChange};
use frontdesk::store::{Store, StoreError};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

/// The ticket a write or a read goes to: one of the hot ones, or any of the desk's `tickets`; and
/// whether it is a hot one.
fn pick(n: u64, tickets: i64) -> (i64, bool) {
    let hot = (n >> 20).is_multiple_of(4);
    (1 + (n >> 33) as i64 % if hot { HOT } else { tickets.max(1) }, hot)
}

/// One timed operation: what it was (an index into the kinds' names), when it started (since the
/// run began) and how long it took.
struct Sample {
    kind: usize,
    at: Duration,
    took: Duration,
}

const WRITE_KINDS: [&str; 4] = ["priority, hot ticket", "priority, any ticket", "note, hot ticket", "note, any ticket"];
const READ_KINDS: [&str; 3] = ["queue page of 100", "conversation, hot ticket", "conversation, any ticket"];

struct Writes {
    login: String,
    ok: u64,
    conflicts: u64,
    errors: Vec<String>,
    times: Vec<Sample>,
}

fn writer(path: &Path, login: String, seed: u64, begun: Instant, stop: &AtomicBool) -> Writes {
    let store = Store::open(path).expect("open");
    let tickets = store.count_tickets(&TicketFilter::default()).expect("count") as i64;
    let mut w = Writes { login, ok: 0, conflicts: 0, errors: Vec::new(), times: Vec::new() };
    let mut n = seed;
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let (id, hot) = pick(n, tickets);
        let Ok(t) = store.ticket(id) else { continue };
        let started = Instant::now();
        let kind = (n & 1) as usize * 2 + usize::from(!hot);
        let result = if n & 1 == 0 {
            let next = Priority::ALL[(Priority::ALL.iter().position(|p| *p == t.priority).unwrap_or(0) + 1) % 4];
            let change = TicketChange { priority: Some(next), ..TicketChange::default() };
            store.update_ticket(id, t.version, &change, &w.login).map(|_| ())
        } else {
            store.add_message(id, MessageKind::Note, &w.login, "bench note", Some(t.version)).map(|_| ())
        };
        w.times.push(Sample { kind, at: started - begun, took: started.elapsed() });
        match result {
            Ok(()) => w.ok += 1,
            Err(StoreError::Conflict { .. }) => w.conflicts += 1,
            Err(e) => w.errors.push(e.to_string()),
        }
        std::thread::sleep(THINK);
    }
    w
}

struct Reads {
    times: Vec<Sample>,
    errors: Vec<String>,
}

fn reader(path: &Path, seed: u64, begun: Instant, stop: &AtomicBool) -> Reads {
    let store = Store::open(path).expect("open");
    let tickets = store.count_tickets(&TicketFilter::default()).expect("count") as i64;
    let (mut times, mut errors) = (Vec::new(), Vec::new());
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    let mut n = seed;
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let started = Instant::now();
        let (id, hot) = pick(n, tickets);
        let (kind, result) = if n & 1 == 0 {
            (0, store.list_tickets(&filter, None, 100).map(|_| ()))
        } else {
            (1 + usize::from(!hot), store.ticket_detail(id).map(|_| ()))
        };
        times.push(Sample { kind, at: started - begun, took: started.elapsed() });
        if let Err(e) = result {
            errors.push(e.to_string());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Reads { times, errors }
}

fn wal_size(db: &Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(Path::new(&wal)).map(|m| m.len()).unwrap_or(0)
}

/// What one run gathered.
struct Run {
    writes: Vec<Writes>,
    reads: Vec<Reads>,
    wal_peak: u64,
}

/// The 8 roles as threads of this process.
fn run_threads(db: &Path, logins: &[String], secs: u64) -> Run {
    let stop = AtomicBool::new(false);
    let begun = Instant::now();
    let wal_peak = AtomicU64::new(0);
    let (writes, reads) = std::thread::scope(|s| {
        let writers: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(i, login)| {
                let stop = &stop;
                s.spawn(move || writer(db, login.clone(), i as u64 + 1, begun, stop))
            })
            .collect();
        let readers: Vec<_> = (0..READERS)
            .map(|i| {
                let stop = &stop;
                s.spawn(move || reader(db, 100 + i as u64, begun, stop))
            })
            .collect();
        while begun.elapsed() < Duration::from_secs(secs) {
            wal_peak.fetch_max(wal_size(db), Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(100));
        }
        stop.store(true, Ordering::Relaxed);
        let writes: Vec<Writes> = writers.into_iter().map(|h| h.join().expect("writer")).collect();
        let reads: Vec<Reads> = readers.into_iter().map(|h| h.join().expect("reader")).collect();
        (writes, reads)
    });
    Run { writes, reads, wal_peak: wal_peak.load(Ordering::Relaxed) }
}

/// The 8 roles as processes: this program again, told its role by `FRONTDESK_MULTI_ROLE`; each
/// prints its samples and counts on its standard output.
fn run_processes(db: &Path, logins: &[String], secs: u64) -> Run {
    let me = std::env::current_exe().expect("this program");
    let roles = logins.iter().enumerate().map(|(i, login)| format!("writer {} {login}", i + 1));
    let roles: Vec<String> = roles.chain((0..READERS).map(|i| format!("reader {}", 100 + i))).collect();
    let children: Vec<_> = roles
        .iter()
        .map(|role| {
            Command::new(&me)
                .env("FRONTDESK_MULTI_ROLE", role)
                .env("FRONTDESK_MULTI_DB", db)
                .env("FRONTDESK_MULTI_SECS", secs.to_string())
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a role")
        })
        .collect();
    let mut wal_peak = 0;
    let begun = Instant::now();
    while begun.elapsed() < Duration::from_secs(secs) {
        wal_peak = wal_peak.max(wal_size(db));
        std::thread::sleep(Duration::from_millis(100));
    }
    let (mut writes, mut reads) = (Vec::new(), Vec::new());
    for (role, child) in roles.iter().zip(children) {
        let out = child.wait_with_output().expect("a role ends");
        assert!(out.status.success(), "{role} failed");
        let (mut times, mut errors, mut ok, mut conflicts) = (Vec::new(), Vec::new(), 0, 0);
        for line in BufReader::new(&out.stdout[..]).lines() {
            let line = line.expect("a line");
            let mut words = line.splitn(4, ' ');
            match words.next() {
                Some("S") => {
                    let mut n = || words.next().and_then(|w| w.parse::<u64>().ok()).expect("a sample");
                    let (kind, at, took) = (n() as usize, Duration::from_micros(n()), Duration::from_nanos(n()));
                    times.push(Sample { kind, at, took });
                }
                Some("OK") => ok = words.next().and_then(|w| w.parse().ok()).expect("a count"),
                Some("CONFLICTS") => conflicts = words.next().and_then(|w| w.parse().ok()).expect("a count"),
                Some("E") => errors.push(line[2..].to_string()),
                _ => {}
            }
        }
        match role.split(' ').collect::<Vec<_>>()[..] {
            ["writer", _, login] => writes.push(Writes { login: login.to_string(), ok, conflicts, errors, times }),
            _ => reads.push(Reads { times, errors }),
        }
    }
    Run { writes, reads, wal_peak }
}

/// In a child process: play one role for the run's length and print what it measured.
fn play(role: &str) {
    let db = PathBuf::from(std::env::var("FRONTDESK_MULTI_DB").expect("FRONTDESK_MULTI_DB"));
    let secs: u64 = std::env::var("FRONTDESK_MULTI_SECS").ok().and_then(|s| s.parse().ok()).expect("secs");
    let stop = AtomicBool::new(false);
    let begun = Instant::now();
    let words: Vec<&str> = role.split(' ').collect();
    let seed: u64 = words[1].parse().expect("a seed");
    let (times, errors, counts) = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_secs(secs));
            stop.store(true, Ordering::Relaxed);
        });
        match words[..] {
            ["writer", _, login] => {
                let w = writer(&db, login.to_string(), seed, begun, &stop);
                (w.times, w.errors, Some((w.ok, w.conflicts)))
            }
            _ => {
                let r = reader(&db, seed, begun, &stop);
                (r.times, r.errors, None)
            }
        }
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in &times {
        writeln!(out, "S {} {} {}", s.kind, s.at.as_micros(), s.took.as_nanos()).expect("write");
    }
    if let Some((ok, conflicts)) = counts {
        writeln!(out, "OK {ok}\nCONFLICTS {conflicts}").expect("write");
    }
    for e in errors {
        writeln!(out, "E {}", e.replace('\n', " ")).expect("write");
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if let Ok(role) = std::env::var("FRONTDESK_MULTI_ROLE") {
        return play(&role);
    }
    let secs: u64 = std::env::var("FRONTDESK_MULTI_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let mode = std::env::var("FRONTDESK_MULTI_MODE").unwrap_or_default();
    let original = common::bench_db();
    for processes in [false, true] {
        if mode == if processes { "threads" } else { "processes" } {
            continue;
        }
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
        let run = if processes { run_processes(&db, &logins, secs) } else { run_threads(&db, &logins, secs) };
        let how = if processes { "processes" } else { "threads of one process" };
        println!(
            "\n{WRITERS} writers and {READERS} readers as {how}, for {secs} s on a copy of {}",
            original.display()
        );
        report(&db, run, secs);
    }
}

fn spread_text(s: &common::Spread) -> String {
    format!("p50 {} p99 {} max {} (n={})", ms(s.p50), ms(s.p99), ms(s.max), s.n)
}

fn report(db: &Path, run: Run, secs: u64) {
    let store = Store::open(db).expect("reopen");
    let mut lost = 0i64;
    for w in &run.writes {
        let logged = store.count_events_by(&w.login, &["priority", "note"]).expect("count");
        lost += (w.ok as i64 - logged).abs();
    }
    let ok: u64 = run.writes.iter().map(|w| w.ok).sum();
    let conflicts: u64 = run.writes.iter().map(|w| w.conflicts).sum();
    let write_errors: Vec<String> = run.writes.iter().flat_map(|w| w.errors.clone()).collect();
    let read_errors: Vec<String> = run.reads.iter().flat_map(|r| r.errors.clone()).collect();
    let write_samples: Vec<Sample> = run.writes.into_iter().flat_map(|w| w.times).collect();
    let read_samples: Vec<Sample> = run.reads.into_iter().flat_map(|r| r.times).collect();
    let w = spread(write_samples.iter().map(|s| s.took).collect());
    let r = spread(read_samples.iter().map(|s| s.took).collect());
    let wal_mb = run.wal_peak as f64 / 1_048_576.0;
    common::header();
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
    breakdown("writes", &write_samples, &WRITE_KINDS, secs);
    breakdown("reads", &read_samples, &READ_KINDS, secs);
}

/// Where the time goes: each kind of operation's spread, and the p99 of each minute of the run
/// (a tail that grows with the run is the desk growing; a flat one is the machine).
fn breakdown(what: &str, samples: &[Sample], kinds: &[&str], secs: u64) {
    println!("\n{what}, by kind:");
    for (k, name) in kinds.iter().enumerate() {
        let took: Vec<Duration> = samples.iter().filter(|s| s.kind == k).map(|s| s.took).collect();
        if !took.is_empty() {
            println!("  {name:<26} {}", spread_text(&spread(took)));
        }
    }
    let window = Duration::from_secs(secs.clamp(1, 60));
    println!("{what}, by {} s of the run:", window.as_secs());
    let mut start = Duration::ZERO;
    while start < Duration::from_secs(secs) {
        let took: Vec<Duration> =
            samples.iter().filter(|s| s.at >= start && s.at < start + window).map(|s| s.took).collect();
        if !took.is_empty() {
            println!("  from {:>4} s: {}", start.as_secs(), spread_text(&spread(took)));
        }
        start += window;
    }
}
