//! Import bench: a generated 20,000-message mbox imported by the release binary.
//! Target: at least 2,000 messages/s, peak memory under 128 MB.
//!
//!     cargo bench --bench import            (FRONTDESK_BENCH_MAILS=N for another size)
//!
//! Prints messages per second and the child's peak RSS (wait4's ru_maxrss); exits 1 when a target
//! is missed.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const TARGET_RATE: f64 = 2_000.0;
const TARGET_RSS_MB: f64 = 128.0;

fn main() {
    let mails: usize = std::env::var("FRONTDESK_BENCH_MAILS").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().expect("a temp dir");
    let mbox = dir.path().join("bench.mbox");
    let bytes = generate(&mbox, mails);
    println!("generated {mails} mails ({:.1} MB) in {}", bytes as f64 / 1e6, mbox.display());
    let db = dir.path().join("bench.db");
    let started = Instant::now();
    // Reaped by wait4 below, which also reports the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&mbox)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env_remove("FRONTDESK_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the frontdesk binary runs");
    let (status, peak_kb) = wait_with_peak_rss(child.id() as libc::pid_t);
    let seconds = started.elapsed().as_secs_f64();
    assert!(status == 0, "frontdesk import exited with status {status}");
    let rate = mails as f64 / seconds;
    let rss_mb = peak_kb as f64 / 1024.0;
    println!("imported {mails} mails in {seconds:.2} s: {rate:.0} msg/s (target ≥ {TARGET_RATE:.0})");
    println!("peak RSS of the import: {rss_mb:.1} MB (target < {TARGET_RSS_MB:.0} MB)");
    let missed = rate < TARGET_RATE || rss_mb >= TARGET_RSS_MB;
    drop(dir); // exit skips destructors: remove the temp dir first
    if missed {
        println!("a target was missed");
        std::process::exit(1);
    }
}

/// Wait for `pid` and return its exit status and peak resident set (KiB, as Linux reports it).
fn wait_with_peak_rss(pid: libc::pid_t) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in, and pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    (code, usage.ru_maxrss)
}

/// A realistic mix: 2,000 customers; about a third of mails answer an earlier one (In-Reply-To or
/// References), some carry a subject tag, some are HTML-only, a few are auto-replies.
fn generate(path: &Path, mails: usize) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).expect("the mbox can be written"));
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let words = ["order", "refund", "parcel", "invoice", "login", "broken", "thanks", "please", "help", "account"];
    let mut written = 0u64;
    for i in 0..mails {
        let customer = next() % 2_000;
        let mut mail = String::with_capacity(1_500);
        let _ = writeln!(mail, "From customer{customer}@shop.example Mon Nov 23 10:00:00 2026");
        let _ = writeln!(mail, "From: Customer {customer} <customer{customer}@shop.example>");
        let _ = writeln!(mail, "To: support@desk.example");
        let _ = writeln!(mail, "Date: Mon, 23 Nov 2026 10:00:00 +0000");
        let _ = writeln!(mail, "Message-ID: <bench-{i}@shop.example>");
        let topic = words[(next() % words.len() as u64) as usize];
        match next() % 10 {
            0..=1 if i > 0 => {
                let _ = writeln!(mail, "Subject: Re: About my {topic}");
                let _ = writeln!(mail, "In-Reply-To: <bench-{}@shop.example>", next() as usize % i);
            }
            2 if i > 0 => {
                let _ = writeln!(mail, "Subject: Re: About my {topic}");
                let _ = writeln!(mail, "References: <bench-{}@shop.example>", next() as usize % i);
            }
            3 => {
                let _ = writeln!(mail, "Subject: Re: About my {topic} [#{}]", 1 + next() % (1 + i as u64 / 2));
            }
            _ => {
                let _ = writeln!(mail, "Subject: About my {topic} {i}");
            }
        }
        if next() % 50 == 0 {
            let _ = writeln!(mail, "Auto-Submitted: auto-replied");
        }
        let html = next() % 20 == 0;
        let _ = writeln!(mail, "MIME-Version: 1.0");
        let _ = writeln!(mail, "Content-Type: text/{}; charset=utf-8\n", if html { "html" } else { "plain" });
        for line in 0..12 {
            let text: Vec<&str> = (0..10).map(|_| words[(next() % words.len() as u64) as usize]).collect();
            match html {
                true => {
                    let _ = writeln!(mail, "<p>Line {line}: {}</p>", text.join(" "));
                }
                false => {
                    let _ = writeln!(mail, "Line {line}: {}", text.join(" "));
                }
            }
        }
        mail.push('\n');
        written += mail.len() as u64;
        out.write_all(mail.as_bytes()).expect("the mbox can be written");
    }
    out.flush().expect("the mbox can be written");
    written
}
