//! `frontdesk report` on the 100,000-ticket demo desk, as a whole process (the release binary):
//! the 30-day report and the full history's, timed and with the process's peak memory, under the
//! demo's config (business hours, SLA policies per priority and tier).
//!
//! `cargo bench --bench report` (each run 7 times; the table shows the median and the worst).

mod common;

use common::{ms, row};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    took: Duration,
    peak_kb: i64,
}

// The child is reaped with wait4 (for its resource usage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_once(db: &std::path::Path, login: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp home");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-config/config.toml");
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(config)
        .arg("report")
        .args(args)
        .env("USER", login)
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("frontdesk starts");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let took = start.elapsed();
    assert_eq!(pid, child.id() as i32, "wait4");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "frontdesk report failed: {status}");
    Run { took, peak_kb: usage.ru_maxrss }
}

fn measure(db: &std::path::Path, login: &str, args: &[&str]) -> (Duration, Duration, i64) {
    run_once(db, login, args); // warm the page cache
    let runs: Vec<Run> = (0..7).map(|_| run_once(db, login, args)).collect();
    let mut times: Vec<Duration> = runs.iter().map(|r| r.took).collect();
    times.sort();
    (
        times[times.len() / 2],
        *times.last().unwrap_or(&Duration::ZERO),
        runs.iter().map(|r| r.peak_kb).max().unwrap_or(0),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let db = common::bench_db();
    let login = {
        let store = frontdesk::store::Store::open(&db).expect("the bench desk opens");
        common::agent(&store).login
    };
    println!("\nfrontdesk report on {} (whole process, 7 runs after one to warm up)\n", db.display());
    common::header();
    let mut peak = 0;
    for (what, args, target, limit) in [
        ("report --last 30d (median)", &["--last", "30d"][..], "≤ 300 ms", 300),
        ("report --last all, the full history (median)", &["--last", "all"], "≤ 2 s", 2_000),
        (
            "report --last 30d --by agent --series day (median)",
            &["--last", "30d", "--by", "agent", "--series", "day"],
            "",
            0,
        ),
    ] {
        let (median, worst, kb) = measure(&db, &login, args);
        peak = peak.max(kb);
        let met = limit == 0 || median <= Duration::from_millis(limit);
        row(what, format!("{} (worst {})", ms(median), ms(worst)), if target.is_empty() { "-" } else { target }, met);
    }
    row(
        "peak memory of the process, any of the above",
        format!("{:.1} MB", peak as f64 / 1024.0),
        "≤ 64 MB",
        peak <= 64 * 1024,
    );
    println!();
}
