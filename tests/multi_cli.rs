//! Several agents on one file, through the binary: the reply guard, claims, the file's mode,
//! `check` and `backup`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Desk {
    dir: tempfile::TempDir,
    db: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db");
        let desk = Desk { dir, db };
        desk.ok("ana", &["init"]);
        desk.ok("ana", &["agent", "add", "bob"]);
        desk.ok("ana", &["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund", "--body", "help"]);
        desk
    }

    fn run(&self, user: &str, args: &[&str]) -> Run {
        let home = self.dir.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        cmd.arg("--db").arg(&self.db).args(args);
        cmd.env_remove("FRONTDESK_DB").env_remove("FRONTDESK_CONFIG").env_remove("LOGNAME");
        cmd.env("HOME", home).env("USER", user);
        for (var, sub) in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")] {
            cmd.env(var, home.join(sub));
        }
        let output = cmd.stdin(std::process::Stdio::null()).output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    fn ok(&self, user: &str, args: &[&str]) -> String {
        let run = self.run(user, args);
        assert_eq!(run.code, 0, "{args:?} failed: {}", run.stderr);
        run.stdout
    }

    fn ticket(&self) -> Value {
        serde_json::from_str(&self.ok("ana", &["ticket", "show", "1", "--json"])).unwrap()
    }

    fn last_message(&self) -> i64 {
        self.ticket()["messages"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap()
    }
}

#[allow(dead_code)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_reply_that_would_cross_another_is_stopped_with_exit_3() {
    let desk = Desk::new();
    let seen = desk.last_message().to_string();
    desk.ok("bob", &["ticket", "reply", "1", "--body", "bob was faster", "--expect-last", &seen]);
    let run = desk.run("ana", &["ticket", "reply", "1", "--body", "me too", "--expect-last", &seen]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("1 new message since you last looked (reply from bob)"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert_eq!(desk.ticket()["messages"].as_array().unwrap().len(), 2);
    // Having read it, ana answers.
    let seen = desk.last_message().to_string();
    desk.ok("ana", &["ticket", "reply", "1", "--note", "--body", "ok", "--expect-last", &seen]);
    assert_eq!(desk.ticket()["messages"].as_array().unwrap().len(), 3);
}
