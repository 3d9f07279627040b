//! What the tests share: the binary on a temporary desk, the console without a terminal, a fixed
//! desk for snapshots, mail fixtures, and an SMTP server inside the test process.
#![allow(dead_code)]

pub mod cli;
pub mod console;
pub mod dovecot;
pub mod fixtures;
pub mod mail;
pub mod postgres;
pub mod smtp;
pub mod terminal;

use std::time::{Duration, Instant};

/// Wait up to `limit` for `done`, looking every 10 ms; whether it came.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}

/// Wake-ups of every thread of process `pid` so far (voluntary context switches), and its CPU
/// time (utime + stime) in clock ticks.
pub fn wakeups_and_ticks(pid: u32) -> (u64, u64) {
    let mut wakeups = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        let line = status.lines().find(|l| l.starts_with("voluntary_ctxt_switches:")).unwrap_or("x 0");
        wakeups += line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap();
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    (wakeups, fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap())
}

/// The resident memory of process `pid`, in kB.
pub fn resident_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}
