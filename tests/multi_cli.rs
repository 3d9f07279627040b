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
        self.run_on(&self.db, user, args)
    }

    fn run_on(&self, db: &Path, user: &str, args: &[&str]) -> Run {
        let home = self.dir.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        cmd.arg("--db").arg(db).args(args);
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

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_reply_that_would_cross_another_is_stopped_with_exit_3() {
    let desk = Desk::new();
    let seen = desk.last_message().to_string();
    let shown = desk.ok("ana", &["ticket", "show", "1"]);
    assert!(shown.contains(&format!("· message {seen}")), "{shown}");
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

#[test]
fn a_change_on_a_stale_version_names_what_the_other_agent_changed_and_exits_3() {
    let desk = Desk::new();
    let version = desk.ticket()["version"].as_i64().unwrap().to_string();
    desk.ok("bob", &["ticket", "set", "1", "--status", "pending", "--tag", "vip"]);
    desk.ok("bob", &["ticket", "reply", "1", "--note", "--body", "called her"]);
    let run = desk.run("ana", &["ticket", "set", "1", "--priority", "urgent", "--expect-version", &version]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let said = run.stderr.trim();
    assert!(said.contains("ticket #1 changed while you were editing: "), "{said}");
    assert!(said.contains("status new → pending, tag #vip added by bob at "), "{said}");
    assert!(said.contains(", then a note by bob at "), "{said}");
    assert!(said.ends_with("; nothing was saved"), "{said}");
    assert_eq!(desk.ticket()["priority"], "normal", "nothing of ana's was applied");
    // With the version as it is now, the change goes through.
    let version = desk.ticket()["version"].as_i64().unwrap().to_string();
    desk.ok("ana", &["ticket", "set", "1", "--priority", "urgent", "--expect-version", &version]);
    assert_eq!(desk.ticket()["priority"], "urgent");
}

#[test]
fn a_new_database_is_for_its_owner_only_unless_init_names_a_group() {
    let desk = Desk::new();
    assert_eq!(mode(&desk.db), 0o600);
    let shared = desk.dir.path().join("shared.db");
    let group = if cfg!(target_os = "linux") { "root" } else { "wheel" };
    let run = desk.run_on(&shared, "ana", &["init", "--group", group]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&shared), 0o660);
    let run = desk.run_on(&shared, "ana", &["init", "--group", "no-such-group-here"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("there is no group named 'no-such-group-here'"), "{}", run.stderr);
}

#[test]
fn check_passes_on_a_sound_desk_and_names_what_is_broken() {
    let desk = Desk::new();
    desk.ok("bob", &["ticket", "reply", "1", "--body", "hello"]);
    desk.ok("bob", &["search", "hello"]); // indexes what is queued
    assert!(desk.ok("bob", &["check"]).contains(": ok"));
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute_batch("UPDATE tickets SET version = version + 5; DELETE FROM ticket_search;").unwrap();
    drop(conn);
    let run = desk.run("bob", &["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("1 tickets whose version is ahead of their history"), "{}", run.stdout);
    assert!(run.stdout.contains("1 tickets missing from the search index"), "{}", run.stdout);
}

#[test]
fn backup_makes_a_private_consistent_copy_that_opens_as_a_desk() {
    let desk = Desk::new();
    let copy = desk.dir.path().join("copy.db");
    desk.ok("bob", &["backup", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), 0o600);
    let run = desk.run_on(&copy, "bob", &["ticket", "show", "1", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Refund"));
    assert!(desk.run_on(&copy, "bob", &["check"]).stdout.contains(": ok"));
    let again = desk.run("bob", &["backup", copy.to_str().unwrap()]);
    assert_eq!(again.code, 1, "an existing file is never overwritten");
}

#[test]
fn admin_actions_are_refused_to_agents_with_a_clear_sentence() {
    let desk = Desk::new();
    for args in [&["agent", "add", "mei"][..], &["ticket", "delete", "1", "--yes"], &["demo", "--tickets", "1"]] {
        let run = desk.run("bob", args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(run.stderr.contains("only an admin can"), "{args:?}: {}", run.stderr);
    }
}
