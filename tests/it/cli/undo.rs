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
