//! Several agents on one file, through the binary: the reply guard, claims, the file's mode,
//! `check` and `backup`.

use crate::support::cli::Desk;
use serde_json::Value;
use std::path::Path;

/// A desk with `ana` (admin), `bob`, and one ticket from Carla.
fn desk() -> Desk {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob"]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund", "--body", "help"]);
    desk
}

fn ticket(desk: &Desk) -> Value {
    desk.json(&["ticket", "show", "1", "--json"])
}

fn last_message(desk: &Desk) -> i64 {
    ticket(desk)["messages"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_reply_that_would_cross_another_is_stopped_with_exit_3() {
    let desk = desk();
    let seen = last_message(&desk).to_string();
    let shown = desk.ok(&["ticket", "show", "1"]);
    assert!(shown.contains(&format!("· message {seen}")), "{shown}");
    desk.by("bob").ok(&["ticket", "reply", "1", "--body", "bob was faster", "--expect-last", &seen]);
    let run = desk.by("ana").run(&["ticket", "reply", "1", "--body", "me too", "--expect-last", &seen]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("1 new message since you last looked (reply from bob)"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert_eq!(ticket(&desk)["messages"].as_array().unwrap().len(), 2);
    // Having read it, ana answers.
    let seen = last_message(&desk).to_string();
    desk.ok(&["ticket", "reply", "1", "--note", "--body", "ok", "--expect-last", &seen]);
    assert_eq!(ticket(&desk)["messages"].as_array().unwrap().len(), 3);
}

#[test]
fn a_stopped_reply_typed_on_stdin_is_kept_as_a_draft() {
    let desk = desk();
    let seen = last_message(&desk).to_string();
    desk.by("bob").ok(&["ticket", "reply", "1", "--body", "bob was faster", "--expect-last", &seen]);
    let typed = "A long answer typed into stdin.\nSecond line.\n";
    let run = desk.by("ana").run_with_stdin(&["ticket", "reply", "1", "--expect-last", &seen], typed);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent; your reply is kept as a draft on #1"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    let store = frontdesk::store::Store::open(&desk.db).unwrap();
    let draft = store.draft(1, "ana").unwrap().expect("a draft");
    assert_eq!(draft.body.trim_end(), typed.trim_end());
}

#[test]
fn a_change_on_a_stale_version_names_what_the_other_agent_changed_and_exits_3() {
    let desk = desk();
    let version = ticket(&desk)["version"].as_i64().unwrap().to_string();
    desk.by("bob").ok(&["ticket", "set", "1", "--status", "pending", "--tag", "vip"]);
    desk.by("bob").ok(&["ticket", "reply", "1", "--note", "--body", "called her"]);
    let run = desk.by("ana").run(&["ticket", "set", "1", "--priority", "urgent", "--expect-version", &version]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let said = run.stderr.trim();
    assert!(said.contains("ticket #1 changed since you last looked: "), "{said}");
    assert!(said.contains("status new → pending, tag #vip added by bob at "), "{said}");
    assert!(said.contains(", then a note by bob at "), "{said}");
    assert!(said.ends_with("; nothing was changed"), "{said}");
    assert_eq!(ticket(&desk)["priority"], "normal", "nothing of ana's was applied");
    // With the version as it is now, the change goes through.
    let version = ticket(&desk)["version"].as_i64().unwrap().to_string();
    desk.ok(&["ticket", "set", "1", "--priority", "urgent", "--expect-version", &version]);
    assert_eq!(ticket(&desk)["priority"], "urgent");
}

#[test]
fn a_new_database_is_for_its_owner_only_unless_init_names_a_group() {
    let desk = desk();
    assert_eq!(mode(&desk.db), 0o600);
    let shared = desk.dir.path().join("shared.db");
    let group = if cfg!(target_os = "linux") { "root" } else { "wheel" };
    let run = desk.by("ana").on(&shared).run(&["init", "--group", group]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&shared), 0o660);
    let run = desk.by("ana").on(&shared).run(&["init", "--group", "no-such-group-here"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("there is no group named 'no-such-group-here'"), "{}", run.stderr);
}

#[test]
fn check_passes_on_a_sound_desk_and_names_what_is_broken() {
    let desk = desk();
    desk.by("bob").ok(&["ticket", "reply", "1", "--body", "hello"]);
    desk.by("bob").ok(&["search", "hello"]); // indexes what is queued
    assert!(desk.by("bob").ok(&["check"]).contains(": ok"));
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute_batch("UPDATE tickets SET version = version + 5; DELETE FROM ticket_search;").unwrap();
    drop(conn);
    let run = desk.by("bob").run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("1 tickets whose version is ahead of their history"), "{}", run.stdout);
    assert!(run.stdout.contains("1 tickets missing from the search index"), "{}", run.stdout);
}

#[test]
fn backup_makes_a_private_consistent_copy_that_opens_as_a_desk() {
    let desk = desk();
    let copy = desk.dir.path().join("copy.db");
    desk.by("bob").ok(&["backup", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), 0o600);
    let run = desk.by("bob").on(&copy).run(&["ticket", "show", "1", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Refund"));
    assert!(desk.by("bob").on(&copy).run(&["check"]).stdout.contains(": ok"));
    let again = desk.by("bob").run(&["backup", copy.to_str().unwrap()]);
    assert_eq!(again.code, 1, "an existing file is never overwritten");
}

#[test]
fn backup_json_prints_the_copy_as_it_was_written() {
    let desk = desk();
    let copy = desk.dir.path().join("copy.db");
    let made = desk.by("bob").json(&["backup", copy.to_str().unwrap(), "--json"]);
    assert_eq!(made["path"], copy.to_str().unwrap());
    assert_eq!(made["bytes"], std::fs::metadata(&copy).unwrap().len());
    let listed = desk.by("bob").on(&copy).json(&["ticket", "list", "--view", "all", "--json"]);
    assert_eq!(made["tickets"], listed.as_array().unwrap().len() as u64);
    assert!(made["tickets"].as_u64().unwrap() >= 1);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(made["schema"], schema);
    assert!(schema > 0);
    let again = desk.by("bob").run(&["backup", copy.to_str().unwrap(), "--json"]);
    assert_eq!((again.code, again.stdout.as_str()), (1, ""), "a backup refused prints no JSON");
}

#[test]
fn admin_actions_are_refused_to_agents_with_a_clear_sentence() {
    let desk = desk();
    for args in [&["agent", "add", "mei"][..], &["ticket", "delete", "1", "--yes"], &["demo", "--tickets", "1"]] {
        let run = desk.by("bob").run(args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(run.stderr.contains("only an admin can"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_backup_into_a_missing_folder_is_one_sentence_naming_it() {
    let desk = desk();
    let to = desk.dir.path().join("no such folder").join("copy.db");
    let run = desk.by("bob").run(&["backup", to.to_str().unwrap(), "--json"]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert!(run.stderr.contains("the folder") && run.stderr.contains("does not exist"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!to.parent().unwrap().exists());
}
