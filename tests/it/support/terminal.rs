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
}

fn pty() -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize { ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0 };
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
    let mut console = Console { master, child, _home: home };
    console.wait_for(first);
    console
}

impl Console {
    /// Read the terminal until `text` was written (or fail after 10 s).
    pub fn wait_for(&mut self, text: &[u8]) {
        self.wait_for_within(text, Duration::from_secs(10));
    }

    pub fn wait_for_within(&mut self, text: &[u8], limit: Duration) {
        let started = Instant::now();
        let mut seen = Vec::new();
        let mut buf = [0u8; 65536];
        while started.elapsed() < limit {
            let mut poll = libc::pollfd { fd: self.master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut poll, 1, 50) } <= 0 {
                continue;
            }
            match self.master.read(&mut buf) {
                Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
                _ => break,
            }
            if seen.windows(text.len()).any(|w| w == text) {
                return;
            }
        }
        panic!("the console did not show {:?} within {limit:?}", String::from_utf8_lossy(text));
    }

    /// Everything the console writes during `span`.
    pub fn written_during(&mut self, span: Duration) -> Vec<u8> {
        let started = Instant::now();
        let mut seen = Vec::new();
        let mut buf = [0u8; 65536];
        while started.elapsed() < span {
            let mut poll = libc::pollfd { fd: self.master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut poll, 1, 50) } <= 0 {
                continue;
            }
            match self.master.read(&mut buf) {
                Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
                _ => break,
            }
        }
        seen
    }

    pub fn keys(&mut self, keys: &[u8]) {
        for key in keys {
            self.master.write_all(&[*key]).unwrap();
            std::thread::sleep(Duration::from_millis(15));
        }
    }
}
