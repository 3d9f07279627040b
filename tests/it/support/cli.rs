//! The built binary on a temporary desk, with every home folder pointed into a temp dir.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A temporary folder with a database path in it, and a config file when one is given.
pub struct Desk {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: Option<PathBuf>,
}

/// What a run of the binary printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Desk {
    /// A folder for a desk that does not exist yet.
    pub fn empty() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db");
        Desk { dir, db, config: None }
    }

    /// A desk initialised by `ana`, its first admin.
    pub fn with_admin() -> Desk {
        let desk = Desk::empty();
        desk.ok(&["init"]);
        desk
    }

    /// A desk with this config, initialised by `ana`.
    pub fn with_config(config: &str) -> Desk {
        let mut desk = Desk::empty();
        let path = desk.path("config.toml");
        std::fs::write(&path, config).unwrap();
        desk.config = Some(path);
        desk.ok(&["init"]);
        desk
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Commands run by `user` instead of `ana`.
    pub fn by<'a>(&'a self, user: &'a str) -> As<'a> {
        As { desk: self, user, db: &self.db }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        self.by("ana").command(args)
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Run {
        self.by("ana").run_with_stdin(args, stdin)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        self.by("ana").ok(args)
    }

    pub fn json(&self, args: &[&str]) -> Value {
        self.by("ana").json(args)
    }
}

/// Commands run as one user, on the desk's database or another.
pub struct As<'a> {
    desk: &'a Desk,
    user: &'a str,
    db: &'a Path,
}

impl<'a> As<'a> {
    /// On another database file, with the same home folders.
    pub fn on(self, db: &'a Path) -> As<'a> {
        As { db, ..self }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let home = self.desk.dir.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        cmd.arg("--db").arg(self.db);
        if let Some(config) = &self.desk.config {
            cmd.arg("--config").arg(config);
        }
        cmd.args(args);
        for var in ["FRONTDESK_DB", "FRONTDESK_CONFIG", "FRONTDESK_LOG", "LOGNAME", "NO_COLOR"] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", home).env("USER", self.user);
        for (var, sub) in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")] {
            cmd.env(var, home.join(sub));
        }
        cmd
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut child =
            self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{args:?} failed: {}{}", run.stdout, run.stderr);
        run.stdout
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}
