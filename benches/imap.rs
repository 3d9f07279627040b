//! IMAP intake bench: a loopback Dovecot's INBOX of generated mails read by the release binary's
//! `frontdesk mailbox check`, beside `frontdesk import` of the same mails from a Maildir folder.
//! Target: at least 1,000 mails/s from IMAP, peak memory at most 64 MB.
//!
//!     cargo bench --bench imap          (FRONTDESK_IMAP_BENCH_MAILS=N for another size)
//!
//! FRONTDESK_IMAP_BENCH_RUNS=N for another number of runs;
//! FRONTDESK_IMAP_BENCH_BIN names another frontdesk binary (one built with symbols, for `perf`).
//!
//! Each way runs on a fresh desk once to warm up (Dovecot's first read indexes the Maildir), then
//! five times; the medians are printed. Without Dovecot it says so and exits 0. Exits 1 when a
//! target is missed.

#[allow(dead_code)]
#[path = "../tests/it/support/dovecot.rs"]
mod dovecot;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const TARGET_RATE: f64 = 1_000.0;
const TARGET_RSS_MB: f64 = 64.0;

fn main() {
    if !dovecot::installed() {
        println!("imap bench skipped: Dovecot is not installed (apt-get install dovecot-imapd)");
        return;
    }
    let mails: usize = std::env::var("FRONTDESK_IMAP_BENCH_MAILS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let runs: usize = std::env::var("FRONTDESK_IMAP_BENCH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut server = dovecot::Dovecot::start();
    let work = tempfile::tempdir().expect("a temp dir");
    let files = work.path().join("maildir");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(files.join(sub)).expect("the Maildir can be made");
    }
    let mut bytes = 0;
    for (i, mail) in (0..mails).map(generate).enumerate() {
        bytes += mail.len();
        std::fs::write(files.join("new").join(format!("{i}.bench")), &mail).expect("the Maildir can be written");
        server.deliver(&mail);
    }
    println!("{mails} mails ({:.1} MB, some with attachments) in Dovecot's INBOX and a Maildir", bytes as f64 / 1e6);
    let config = work.path().join("config.toml");
    std::fs::write(&config, server.config_toml("bench", "")).expect("the config can be written");

    let imap = Way { name: "IMAP (mailbox check)", args: vec!["mailbox".into(), "check".into(), "bench".into()] };
    let file = Way { name: "files (import DIR)", args: vec!["import".into(), files.display().to_string()] };
    let mut missed = false;
    for way in [&imap, &file] {
        way.run(work.path(), &config, mails); // warm-up
        let mut runs: Vec<(f64, f64)> = (0..runs.max(1)).map(|_| way.run(work.path(), &config, mails)).collect();
        let rates: Vec<String> = runs.iter().map(|(rate, _)| format!("{rate:.0}")).collect();
        let rate = median(runs.iter_mut().map(|r| r.0).collect());
        let rss = median(runs.iter_mut().map(|r| r.1).collect());
        println!("{:<22} median {rate:>6.0} mails/s, peak RSS {rss:>5.1} MB   (runs: {})", way.name, rates.join(", "));
        if std::ptr::eq(way, &imap) {
            missed = rate < TARGET_RATE || rss > TARGET_RSS_MB;
            println!("{:<22} target ≥ {TARGET_RATE:.0} mails/s, ≤ {TARGET_RSS_MB:.0} MB", "");
        }
    }
    drop(server);
    drop(work); // exit skips destructors: remove the temp dirs first
    if missed {
        println!("a target was missed");
        std::process::exit(1);
    }
}

/// One way of taking the mails in: the binary's arguments after `--db` and `--config`.
struct Way {
    name: &'static str,
    args: Vec<String>,
}

impl Way {
    /// Take every mail into a fresh desk: (mails/s, the child's peak RSS in MB).
    fn run(&self, work: &Path, config: &Path, mails: usize) -> (f64, f64) {
        let home = tempfile::tempdir_in(work).expect("a desk folder");
        let db = home.path().join("desk.db");
        let started = Instant::now();
        let binary = std::env::var_os("FRONTDESK_IMAP_BENCH_BIN");
        // Reaped by wait4 below, which also reports the child's peak memory.
        #[allow(clippy::zombie_processes)]
        let child = Command::new(binary.as_deref().unwrap_or(env!("CARGO_BIN_EXE_frontdesk").as_ref()))
            .arg("--db")
            .arg(&db)
            .arg("--config")
            .arg(config)
            .args(&self.args)
            .env("HOME", home.path())
            .env("USER", "bench")
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env_remove("FRONTDESK_DB")
            .env_remove("FRONTDESK_CONFIG")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the frontdesk binary runs");
        let (status, peak_kb) = wait_with_peak_rss(child.id() as libc::pid_t);
        let seconds = started.elapsed().as_secs_f64();
        assert!(status == 0, "frontdesk {} exited with status {status}", self.args.join(" "));
        let on_desk = messages(&db);
        assert_eq!(on_desk, mails, "{}: {on_desk} of {mails} mails on the desk", self.name);
        (mails as f64 / seconds, peak_kb as f64 / 1024.0)
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Messages on the desk.
fn messages(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).expect("the bench desk opens");
    conn.query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0)).expect("a count") as usize
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

/// Mail `i` of a realistic mix: 500 customers, a third of the mails answers to earlier ones, some
/// HTML-only, bodies of 3 to 60 lines, and one in ten with a PDF of 10 to 200 KB.
fn generate(i: usize) -> Vec<u8> {
    let mut rng = 0x2545_f491_4f6c_dd1du64 ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let words = ["order", "refund", "parcel", "invoice", "login", "broken", "thanks", "please", "help", "account"];
    let customer = next() % 500;
    let topic = words[(next() % words.len() as u64) as usize];
    let mut mail = String::with_capacity(4_000);
    let _ = write!(mail, "From: Customer {customer} <customer{customer}@shop.example>\r\n");
    let _ = write!(mail, "To: support@desk.example\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n");
    let _ = write!(mail, "Message-ID: <imap-bench-{i}@shop.example>\r\nMIME-Version: 1.0\r\n");
    match next() % 3 {
        0 if i > 0 => {
            let _ = write!(mail, "Subject: Re: About my {topic}\r\n");
            let _ = write!(mail, "In-Reply-To: <imap-bench-{}@shop.example>\r\n", next() as usize % i);
        }
        _ => {
            let _ = write!(mail, "Subject: About my {topic} {i}\r\n");
        }
    }
    let html = next() % 10 == 0;
    let mut body = String::new();
    for line in 0..3 + next() % 58 {
        let text: Vec<&str> = (0..10).map(|_| words[(next() % words.len() as u64) as usize]).collect();
        match html {
            true => _ = write!(body, "<p>Line {line}: {}</p>\r\n", text.join(" ")),
            false => _ = write!(body, "Line {line}: {}\r\n", text.join(" ")),
        }
    }
    let kind = if html { "html" } else { "plain" };
    if next() % 10 != 0 {
        let _ = write!(mail, "Content-Type: text/{kind}; charset=utf-8\r\n\r\n{body}");
        return mail.into_bytes();
    }
    let _ = write!(mail, "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
    let _ = write!(mail, "Content-Type: text/{kind}; charset=utf-8\r\n\r\n{body}--b{i}\r\n");
    let _ = write!(mail, "Content-Type: application/pdf; name=\"invoice-{i}.pdf\"\r\n");
    let _ = write!(mail, "Content-Disposition: attachment; filename=\"invoice-{i}.pdf\"\r\n");
    let _ = write!(mail, "Content-Transfer-Encoding: base64\r\n\r\n");
    let size = 10_000 + next() as usize % 190_000;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for _ in 0..size.div_ceil(57) {
        let line: String = (0..76).map(|_| alphabet[(next() % 64) as usize] as char).collect();
        mail.push_str(&line);
        mail.push_str("\r\n");
    }
    let _ = write!(mail, "--b{i}--\r\n");
    mail.into_bytes()
}
