//! `frontdesk report` on the 100,000-ticket demo desk, as a whole process (the release binary):
//! the 30-day report and the full history's, timed and with the process's peak memory, under the
//! demo's config (business hours, SLA policies per priority and tier).
//!
//! `cargo bench --bench report` (each run 7 times; the table shows the median and the worst).
//!
//! Side by side with another build: `FRONTDESK_BENCH_BEFORE_BIN` names its binary and
//! `FRONTDESK_BENCH_BEFORE_DB` a copy of the same desk for it (each binary migrates its own copy);
//! the two are run in turn, run for run, and the first run of each (which migrates and, for a
//! build that keeps report figures, works them out) is shown apart.

mod common;

use common::{ms, row};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    took: Duration,
    cpu: Duration,
    peak_kb: i64,
}

// The child is reaped with wait4 (for its resource usage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_once(bin: &std::path::Path, db: &std::path::Path, login: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp home");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-config/config.toml");
    let start = Instant::now();
    let child = Command::new(bin)
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
    let cpu = |t: libc::timeval| Duration::from_micros(t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64);
    Run { took, cpu: cpu(usage.ru_utime) + cpu(usage.ru_stime), peak_kb: usage.ru_maxrss }
}

/// What one build did: the first run apart, then the median and worst of the rest, the median
/// CPU time and the peak memory of them all.
struct Figures {
    first: Run,
    median: Duration,
    worst: Duration,
    cpu: Duration,
    peak_kb: i64,
}

fn figures(first: Run, runs: Vec<Run>) -> Figures {
    let mut times: Vec<Duration> = runs.iter().map(|r| r.took).collect();
    times.sort();
    let mut cpu: Vec<Duration> = runs.iter().map(|r| r.cpu).collect();
    cpu.sort();
    Figures {
        median: times[times.len() / 2],
        worst: *times.last().unwrap_or(&Duration::ZERO),
        cpu: cpu[cpu.len() / 2],
        peak_kb: runs.iter().map(|r| r.peak_kb).chain([first.peak_kb]).max().unwrap_or(0),
        first,
    }
}

/// One run to warm up (and migrate), then 7, each build in turn.
fn measure(builds: &[(std::path::PathBuf, std::path::PathBuf)], login: &str, args: &[&str]) -> Vec<Figures> {
    let firsts: Vec<Run> = builds.iter().map(|(bin, db)| run_once(bin, db, login, args)).collect();
    let mut runs: Vec<Vec<Run>> = builds.iter().map(|_| Vec::new()).collect();
    for _ in 0..7 {
        for (i, (bin, db)) in builds.iter().enumerate() {
            runs[i].push(run_once(bin, db, login, args));
        }
    }
    firsts.into_iter().zip(runs).map(|(first, runs)| figures(first, runs)).collect()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let db = common::bench_db();
    let opened = Instant::now();
    let login = {
        let store = frontdesk::store::Store::open(&db).expect("the bench desk opens");
        common::agent(&store).login
    };
    // The first open of a desk made by an older build migrates it.
    println!("opening {} (migrating it if older): {}", db.display(), ms(opened.elapsed()));
    let mut builds = vec![(std::path::PathBuf::from(env!("CARGO_BIN_EXE_frontdesk")), db.clone())];
    let before = std::env::var_os("FRONTDESK_BENCH_BEFORE_BIN").zip(std::env::var_os("FRONTDESK_BENCH_BEFORE_DB"));
    if let Some((bin, before_db)) = before {
        builds.insert(0, (bin.into(), before_db.into()));
    }
    for (bin, db) in &builds {
        println!("{}: {}", bin.display(), db.display());
    }
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
        let all = measure(&builds, &login, args);
        for (i, f) in all.iter().enumerate() {
            let name = if all.len() > 1 && i == 0 { format!("{what}, before") } else { what.to_string() };
            let mine = i + 1 == all.len();
            if mine {
                peak = peak.max(f.peak_kb);
            }
            let met = limit == 0 || f.median <= Duration::from_millis(limit);
            let shown = format!("{} (worst {}), {} CPU", ms(f.median), ms(f.worst), ms(f.cpu));
            row(&name, shown, if target.is_empty() { "-" } else { target }, met || !mine);
            row("  its first run (warm-up)", ms(f.first.took), "-", true);
            row("  its peak memory", format!("{:.1} MB", f.peak_kb as f64 / 1024.0), "-", true);
        }
    }
    row(
        "peak memory of the process, any of the above",
        format!("{:.1} MB", peak as f64 / 1024.0),
        "≤ 64 MB",
        peak <= 64 * 1024,
    );
    println!();
}
