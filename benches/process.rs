//! Whole-process figures on the 100,000-ticket demo desk: the release binary runs in a real
//! pseudo-terminal at 200×50; we time start to first frame (the end of its first synchronized
//! update) and read its peak memory after opening a ticket, filtering and searching.
//!
//! `cargo bench --bench process` (runs are repeated; the table shows the median and the worst).

mod common;

use common::{ms, row};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

struct Pty {
    master: std::fs::File,
    slave: OwnedFd,
}

fn pty(cols: u16, rows: u16) -> Pty {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors into the integers we pass and reads `size`.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened for us and are owned by nothing else.
    unsafe { Pty { master: std::fs::File::from_raw_fd(master), slave: OwnedFd::from_raw_fd(slave) } }
}

/// Read from the terminal until `count` frames have ended or `limit` passes; returns the time
/// the last one ended.
fn wait_frames(master: &mut std::fs::File, count: usize, since: Instant, limit: Duration) -> Option<Duration> {
    let mut seen = 0;
    let mut tail: Vec<u8> = Vec::new();
    let mut buf = [0u8; 65536];
    let fd = master.as_raw_fd();
    while since.elapsed() < limit {
        let mut poll = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut poll, 1, 50) } <= 0 {
            continue;
        }
        let n = match master.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => n,
        };
        tail.extend_from_slice(&buf[..n]);
        while let Some(at) = tail.windows(END_OF_FRAME.len()).position(|w| w == END_OF_FRAME) {
            seen += 1;
            tail.drain(..at + END_OF_FRAME.len());
            if seen == count {
                return Some(since.elapsed());
            }
        }
    }
    None
}

struct Run {
    first_frame: Duration,
    peak_kb: i64,
}

// The child is reaped with wait4 (for its resource usage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_once(db: &std::path::Path, login: &str) -> Run {
    let Pty { mut master, slave } = pty(200, 50);
    let dir = tempfile::tempdir().expect("temp home");
    let stdin = Stdio::from(slave.try_clone().expect("dup"));
    let stdout = Stdio::from(slave.try_clone().expect("dup"));
    let stderr = Stdio::from(slave);
    // FRONTDESK_BENCH_BIN: another build of the binary, for a side-by-side run on the same desk.
    let binary = std::env::var_os("FRONTDESK_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_frontdesk").into());
    let mut command = Command::new(binary);
    command
        .arg("--db")
        .arg(db)
        .env("USER", login)
        .env("TERM", "xterm-256color")
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env_remove("FRONTDESK_CONFIG")
        .stdin(stdin)
        .stdout(stdout)
        .stderr(stderr);
    // SAFETY: between fork and exec we only call async-signal-safe functions.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let start = Instant::now();
    let child = command.spawn().expect("frontdesk starts");
    let first_frame = wait_frames(&mut master, 1, start, Duration::from_secs(20)).expect("a first frame");
    // Open a ticket, filter the whole desk, search, then quit.
    let pause = Duration::from_millis(150);
    let script: &[&[u8]] =
        &[b"g", b"a", b"j", b"j", b"\r", b"\x1b", b"/", b"r", b"e", b"f", b"u", b"n", b"d", b" c", b"a"];
    for keys in script {
        master.write_all(keys).expect("keys");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(2)); // the filter loads every ticket the first time
    for keys in [&b"\r"[..], b"S", b"refund order", b"\r"] {
        master.write_all(keys).expect("keys");
        std::thread::sleep(pause);
    }
    std::thread::sleep(Duration::from_millis(500));
    master.write_all(b"q").expect("quit");
    // Keep reading so the child never blocks on a full terminal.
    let reader = std::thread::spawn(move || {
        let mut sink = [0u8; 65536];
        while matches!(master.read(&mut sink), Ok(n) if n > 0) {}
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "frontdesk exited badly: {status}");
    drop(reader);
    Run { first_frame, peak_kb: usage.ru_maxrss }
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
    let runs: Vec<Run> = (0..7).map(|_| run_once(&db, &login)).collect();
    let mut firsts: Vec<Duration> = runs.iter().map(|r| r.first_frame).collect();
    firsts.sort();
    let peak = runs.iter().map(|r| r.peak_kb).max().unwrap_or(0);
    println!("\nfrontdesk whole-process figures on {} (7 runs, 200×50 pseudo-terminal)\n", db.display());
    common::header();
    let median = firsts[firsts.len() / 2];
    let worst = *firsts.last().unwrap_or(&Duration::ZERO);
    row(
        "start to first frame drawn (median of 7)",
        format!("{} (worst {})", ms(median), ms(worst)),
        "≤ 100 ms",
        median <= Duration::from_millis(100),
    );
    row(
        "peak memory after opening, filtering and searching",
        format!("{:.1} MB", peak as f64 / 1024.0),
        "≤ 64 MB",
        peak <= 64 * 1024,
    );
    println!();
}
