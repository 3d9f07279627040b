//! `frontdesk ticket undo`, through the built binary.

use crate::support::cli::Desk;

fn desk_with_ticket() -> Desk {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob"]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund", "--body", "It broke."]);
    desk
}

#[test]
fn undo_reverts_the_last_change_whoever_made_it_and_says_what() {
    let desk = desk_with_ticket();
    desk.ok(&["ticket", "set", "1", "--status", "solved", "--tag", "refund"]);
    let said = desk.by("bob").ok(&["ticket", "undo", "1"]);
    assert_eq!(
        said,
        "undone on #1: tag #refund removed, status solved → new (the change by ana)\n\
         ticket #1: new · normal · - · tags -\n"
    );
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    let last = shown["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["field"].as_str(), last["actor"].as_str()), (Some("undo"), Some("bob")), "{last}");
    assert_eq!(shown["status"], "new");
    let history = desk.ok(&["ticket", "show", "1"]);
    let line = history.lines().last().unwrap();
    assert!(line.contains(" bob undid ana's change of "), "{history}");
}

#[test]
fn undo_json_names_the_write_it_reverted() {
    let desk = desk_with_ticket();
    desk.ok(&["ticket", "set", "1", "--priority", "urgent"]);
    let json = desk.json(&["ticket", "undo", "1", "--json"]);
    assert_eq!(json["ticket"]["priority"], "normal");
    assert_eq!(json["undone"], "priority urgent → normal");
    assert_eq!(json["events"][0]["field"], "priority");
    assert!(json["other_ticket"].is_null());
}

#[test]
fn nothing_to_undo_is_one_sentence_and_exit_1() {
    let desk = desk_with_ticket();
    let run = desk.run(&["ticket", "undo", "1"], "");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.trim(), "frontdesk: nothing to undo on #1: it has not been changed since it was created");
    let run = desk.run(&["ticket", "undo", "99"], "");
    assert_eq!((run.code, run.stderr.trim()), (1, "frontdesk: ticket #99 does not exist"));
}

#[test]
fn a_sent_reply_is_not_undone_and_nothing_changes() {
    let desk = desk_with_ticket();
    desk.ok(&["ticket", "reply", "1", "--body", "On its way."]);
    let before = desk.json(&["ticket", "show", "1", "--json"]);
    let run = desk.run(&["ticket", "undo", "1"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be undone: a reply went to the customer"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"]), before);
}

#[test]
fn a_stale_expected_version_is_a_conflict_exit_3() {
    let desk = desk_with_ticket();
    desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    let seen = desk.json(&["ticket", "show", "1", "--json"])["version"].as_i64().unwrap().to_string();
    desk.by("bob").ok(&["ticket", "set", "1", "--status", "open"]);
    let run = desk.run(&["ticket", "undo", "1", "--expect-version", &seen], "");
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("status pending → open by bob"), "{}", run.stderr);
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["status"], "open");
}

#[test]
fn a_ticket_merge_is_undone_from_the_ticket_it_went_into() {
    let desk = desk_with_ticket();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund again", "--body", "Still broken."]);
    desk.ok(&["ticket", "merge", "2", "--into", "1"]);
    let said = desk.ok(&["ticket", "undo", "1"]);
    assert!(said.starts_with("undone on #1: ticket #2 split out again (the change by ana)\n"), "{said}");
    let source = desk.json(&["ticket", "show", "2", "--json"]);
    assert_eq!(source["status"], "new");
    let bodies: Vec<&str> = source["messages"].as_array().unwrap().iter().filter_map(|m| m["body"].as_str()).collect();
    assert!(bodies.contains(&"Still broken."), "{bodies:?}");
}

/// Spam is solved on any status change; a reopened ticket gets a note; a closed one a note and a
/// goodbye mail (to the Maildir `out`).
const RULES: &str = r#"
[mail]
address = "support@desk.example"
[mail.outbound]
via = "maildir"
maildir = "out"

[[rules]]
name = "close spam"
when = "status_change"
if = { subject_words = ["unsubscribe"] }
then = { status = "solved", tags = ["spam"] }

[[rules]]
name = "reopened"
when = "status_change"
if = { status = ["open"] }
then = { note = "Reopened: read the last answer first." }

[[rules]]
name = "closed"
when = "status_change"
if = { status = ["closed"] }
then = { note = "Closed.", reply = "Bye" }
"#;

const BYE: &str = "name = \"Bye\"\nbody = \"Your ticket is closed.\"\n";

fn desk_with_rules() -> Desk {
    let desk = Desk::with_config(RULES);
    std::fs::create_dir_all(desk.path("macros")).unwrap();
    std::fs::write(desk.path("macros/bye.toml"), BYE).unwrap();
    desk
}

/// The events of ticket `id` by `actor`, as `field new`.
fn events_by(desk: &Desk, id: &str, actor: &str) -> Vec<String> {
    let shown = desk.json(&["ticket", "show", id, "--json"]);
    let events = shown["events"].as_array().unwrap().iter().filter(|e| e["actor"] == actor);
    events.map(|e| format!("{} {}", e["field"].as_str().unwrap(), e["new"].as_str().unwrap_or("-"))).collect()
}

#[test]
fn undoing_a_rules_change_fires_the_status_rules_but_never_that_rule_again() {
    let desk = desk_with_rules();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Please unsubscribe me", "--body", "x"]);
    let said = desk.ok(&["ticket", "set", "1", "--status", "open"]);
    assert!(said.contains("rule 'close spam' fired on #1: status solved, tags +spam"), "{said}");
    // Not spam after all: the undo puts the rule's change back, and the rule does not do it again.
    let said = desk.ok(&["ticket", "undo", "1"]);
    assert!(
        said.starts_with("undone on #1: tag #spam removed, status solved → open (the change by rule:close spam)\n"),
        "{said}"
    );
    assert!(said.ends_with("rule 'reopened' fired on #1: note\n"), "{said}");
    assert!(!said.contains("'close spam' fired"), "{said}");
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!((shown["status"].as_str(), shown["tags"].as_array().unwrap().len()), (Some("open"), 0), "{shown}");
    assert_eq!(events_by(&desk, "1", "rule:close spam"), ["status solved", "tag spam"], "fired once, before the undo");
}

#[test]
fn a_merge_fires_the_status_rules_on_the_ticket_it_closed_but_sends_no_reply() {
    let desk = desk_with_rules();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund", "--body", "It broke."]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund again", "--body", "Still."]);
    let said = desk.ok(&["ticket", "merge", "2", "--into", "1"]);
    assert_eq!(
        said,
        "merged #2 into #1 (Refund); #2 is closed\n\
         rule 'closed' fired on #2: note (no reply: #2 was merged into #1)\n"
    );
    let merged = desk.json(&["ticket", "show", "2", "--json"]);
    let notes: Vec<&str> = merged["messages"].as_array().unwrap().iter().filter_map(|m| m["body"].as_str()).collect();
    assert!(notes.contains(&"Closed."), "{notes:?}");
    assert_eq!(desk.json(&["outbox", "list", "--json"]).as_array().map(Vec::len), Some(0), "no reply queued");
    // With --json, stdout is the merge's document and the rules' lines go to stderr.
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund 3", "--body", "Again."]);
    let run = desk.run(&["ticket", "merge", "3", "--into", "1", "--json"], "");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["merged"]["status"], "closed");
    assert!(run.stderr.contains("rule 'closed' fired on #3: note (no reply: #3 was merged into #1)"), "{}", run.stderr);
}
