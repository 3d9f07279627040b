//! The database the benchmarks run on: the demo desk of 100,000 tickets, or of as many as
//! `FRONTDESK_BENCH_TICKETS` says (`1000000` for the million-ticket desk).
//!
//! `FRONTDESK_BENCH_DB` names an existing one; otherwise `target/bench/demo-100k.db` (or
//! `demo-1m.db`, `demo-N.db`) is made once with `frontdesk demo --tickets N --seed 7` (about half
//! a minute for 100k, 10 minutes for 1M) and reused.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The desk's size: `FRONTDESK_BENCH_TICKETS`, 100,000 unless set.
pub fn tickets() -> usize {
    std::env::var("FRONTDESK_BENCH_TICKETS").ok().and_then(|n| n.replace('_', "").parse().ok()).unwrap_or(100_000)
}

/// `100k`, `1m`, or the number.
pub fn size_name(n: usize) -> String {
    match n {
        n if n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

pub fn bench_db() -> PathBuf {
    if let Ok(path) = std::env::var("FRONTDESK_BENCH_DB") {
        return PathBuf::from(path);
    }
    let tickets = tickets();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("bench");
    let path = dir.join(format!("demo-{}.db", size_name(tickets)));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("target/bench");
        let partial = dir.join(format!("demo-{}.partial.db", size_name(tickets)));
        let _ = std::fs::remove_file(&partial);
        eprintln!("making the {}-ticket demo desk at {} (once)…", size_name(tickets), path.display());
        let status = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .args(["demo", "--tickets", &tickets.to_string(), "--seed", "7", "--db"])
            .arg(&partial)
            .env("USER", "bench")
            .status()
            .expect("frontdesk demo runs");
        assert!(status.success(), "frontdesk demo failed");
        std::fs::rename(&partial, &path).expect("rename the bench desk");
    }
    path
}

/// The agent the benchmarks act as: the desk's first admin.
pub fn agent(store: &frontdesk::store::Store) -> frontdesk::domain::Agent {
    store.agents().expect("agents").into_iter().find(|a| a.role == frontdesk::domain::Role::Admin).expect("an admin")
}

/// p50, p95, p99 and the worst of some durations.
pub struct Spread {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub n: usize,
}

pub fn spread(mut samples: Vec<Duration>) -> Spread {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    Spread { p50: at(0.50), p95: at(0.95), p99: at(0.99), max: *samples.last().unwrap(), n: samples.len() }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// One line of the figures table: what, measured, target, met?
pub fn row(what: &str, measured: String, target: &str, met: bool) {
    println!("| {what:<58} | {measured:>34} | {target:>9} | {} |", if met { "yes" } else { "NO " });
}

pub fn header() {
    println!("| {:<58} | {:>34} | {:>9} | met |", "figure", "measured", "target");
    println!("|{}|{}|{}|-----|", "-".repeat(60), "-".repeat(36), "-".repeat(11));
}
