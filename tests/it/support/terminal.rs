//! The real binary's console in a pseudo-terminal: keys in, the bytes it writes out.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Console {
    pub master: std::fs::File,
    pub child: Child,
    pub _home: tempfile::TempDir,
    /// What was read after the text the last wait looked for: the next wait starts here, so a
    /// frame that came in the same read as the awaited text is not lost.
    unread: Vec<u8>,
    /// Every byte written, played into a terminal emulator: what the screen shows, for failures.
    screen: vt100::Parser,
}

const ROWS: u16 = 40;
const COLS: u16 = 120;

fn pty() -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize { ws_row: ROWS, ws_col: COLS, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors into the integers we pass and reads `size`.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: `master` is the descriptor just opened. The console must not inherit it, or closing
    // ours would not hang its terminal up.
    unsafe { libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC) };
    // SAFETY: both descriptors were just opened for us and are owned by nothing else.
    unsafe { (std::fs::File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Start a console and read its terminal until it has shown `first`.
pub fn start_showing(db: &Path, login: &str, first: &[u8]) -> Console {
    start_with(db, login, &[], first)
}

/// The same with more environment (`FRONTDESK_CONFIG`, …).
pub fn start_with(db: &Path, login: &str, env: &[(&str, &std::ffi::OsStr)], first: &[u8]) -> Console {
    let (master, slave) = pty();
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    command
        .arg("--db")
        .arg(db)
        .env("USER", login)
        .env("TERM", "xterm-256color")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env_remove("FRONTDESK_CONFIG")
        .envs(env.iter().copied())
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave));
    // SAFETY: between fork and exec we only call async-signal-safe functions.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let child = command.spawn().unwrap();
    let mut console = Console { master, child, _home: home, unread: Vec::new(), screen: emulator() };
    console.wait_for(first);
    console
}

fn emulator() -> vt100::Parser {
    let nonzero = |n| std::num::NonZeroU16::new(n).unwrap();
    vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0)
}

impl Console {
    /// Read the terminal until `text` was written (or fail after 10 s).
    pub fn wait_for(&mut self, text: &[u8]) {
        self.wait_for_within(text, Duration::from_secs(10));
    }

    pub fn wait_for_within(&mut self, text: &[u8], limit: Duration) {
        let started = Instant::now();
        let mut seen = std::mem::take(&mut self.unread);
        loop {
            if let Some(at) = seen.windows(text.len()).position(|w| w == text) {
                self.unread = seen.split_off(at + text.len());
                return;
            }
            if started.elapsed() >= limit || !self.read_some(&mut seen) {
                break;
            }
        }
        panic!(
            "the console did not show {:?} within {limit:?}; the screen:\n{}",
            String::from_utf8_lossy(text),
            self.screen.screen().contents()
        );
    }

    /// Read the terminal until one line of the screen, as a terminal shows it, holds each of
    /// `parts` in that order (or fail after `limit`). Unlike `wait_for` this does not care how
    /// or when the bytes drew it: a queue row is drawn in styled pieces, the same words may be
    /// written elsewhere first (a notice on the status line), and text already drawn is not
    /// drawn again (a preview that becomes the open conversation).
    pub fn wait_for_line(&mut self, parts: &[&str], limit: Duration) {
        let started = Instant::now();
        let mut seen = std::mem::take(&mut self.unread);
        let holds = |line: &str| {
            let mut rest = line;
            parts.iter().all(|part| match rest.find(part) {
                Some(at) => {
                    rest = &rest[at + part.len()..];
                    true
                }
                None => false,
            })
        };
        loop {
            if self.screen.screen().contents().lines().any(holds) {
                // Where in the bytes the line was finished is not known: the next wait reads
                // them all again.
                self.unread = seen;
                return;
            }
            if started.elapsed() >= limit || !self.read_some(&mut seen) {
                break;
            }
        }
        panic!(
            "the console showed no line with {parts:?} within {limit:?}; the screen:\n{}",
            self.screen.screen().contents()
        );
    }

    /// Wait up to 50 ms for output and add it to `seen`; false once the terminal is closed.
    fn read_some(&mut self, seen: &mut Vec<u8>) -> bool {
        let mut poll = libc::pollfd { fd: self.master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut poll, 1, 50) } <= 0 {
            return true;
        }
        let mut buf = [0u8; 65536];
        match self.master.read(&mut buf) {
            Ok(n) if n > 0 => {
                self.screen.process(&buf[..n]);
                seen.extend_from_slice(&buf[..n]);
                true
            }
            _ => false,
        }
    }

    /// Everything the console writes during `span` (with what the last wait left unread).
    pub fn written_during(&mut self, span: Duration) -> Vec<u8> {
        let started = Instant::now();
        let mut seen = std::mem::take(&mut self.unread);
        while started.elapsed() < span && self.read_some(&mut seen) {}
        seen
    }

    pub fn keys(&mut self, keys: &[u8]) {
        for key in keys {
            self.master.write_all(&[*key]).unwrap();
            std::thread::sleep(Duration::from_millis(15));
        }
    }
}
