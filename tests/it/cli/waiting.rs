//! `ticket list --needs-reply`, `waiting_since` in the JSON, `ticket reply --status` and
//! `ticket set` on several tickets, through the built binary.

use crate::support::cli::Desk;
use serde_json::Value;

fn new_ticket(desk: &Desk, from: &str, subject: &str, body: &str) {
    desk.ok(&["ticket", "new", "--from", from, "--subject", subject, "--body", body]);
}

fn ids(tickets: &Value) -> Vec<i64> {
    tickets.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

/// Three tickets: #1 and #3 wait on us (#1 the longest), #2 was answered.
fn desk_with_waiting() -> Desk {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@shop.example", "Refund", "It broke.");
    new_ticket(&desk, "otto@shop.example", "Invoice", "Wrong VAT.");
    new_ticket(&desk, "hiro@shop.example", "Login", "Locked out.");
    desk.ok(&["ticket", "reply", "2", "--body", "Fixed it."]);
    desk
}

#[test]
fn needs_reply_lists_only_who_waits_on_us_longest_first() {
    let desk = desk_with_waiting();
    let listed = desk.json(&["ticket", "list", "--needs-reply", "--json"]);
    assert_eq!(ids(&listed), vec![1, 3]);
    let since = listed[0]["waiting_since"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(since).is_ok(), "{since}");
    let all = desk.json(&["ticket", "list", "--json"]);
    let answered = all.as_array().unwrap().iter().find(|t| t["id"] == 2).unwrap();
    assert!(answered["waiting_since"].is_null(), "{answered}");
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(shown["waiting_since"], listed[0]["waiting_since"]);
    let table = desk.ok(&["ticket", "list", "--needs-reply"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].contains("WAITING"), "{table}");
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[1].starts_with("1 ") && lines[2].starts_with("3 "), "{table}");
}

#[test]
fn a_reply_with_a_status_is_one_change_and_ends_the_wait() {
    let desk = desk_with_waiting();
    let said = desk.ok(&["ticket", "reply", "1", "--status", "solved", "--body", "Refunded, sorry!"]);
    assert!(said.contains("added reply") && said.contains("ticket #1: solved"), "{said}");
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(shown["status"], "solved");
    assert!(shown["waiting_since"].is_null());
    assert_eq!(shown["version"], 2, "the reply and its status are one write");
    assert_eq!(ids(&desk.json(&["ticket", "list", "--needs-reply", "--json"])), vec![3]);
    // The body read from stdin, as a script would pipe it.
    let run = desk.run(&["ticket", "reply", "3", "--status", "pending"], "Which account?\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(desk.json(&["ticket", "show", "3", "--json"])["status"], "pending");
}

#[test]
fn a_reply_that_cannot_set_its_status_is_refused_before_stdin_is_read() {
    let desk = desk_with_waiting();
    desk.ok(&["ticket", "set", "1", "--status", "closed"]);
    let run = desk.run(&["ticket", "reply", "1", "--status", "open"], "text typed into stdin");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("#1 is closed"), "{}", run.stderr);
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["messages"].as_array().unwrap().len(), 1);
}

#[test]
fn set_changes_several_tickets_and_names_the_ones_it_could_not() {
    let desk = desk_with_waiting();
    let run = desk.run(&["ticket", "set", "1", "3", "99", "--status", "pending", "--tag", "vip"], "");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "ticket #1: pending · normal · - · tags vip",
            "ticket #3: pending · normal · - · tags vip",
            "ticket #99: not changed: ticket #99 does not exist",
        ]
    );
    assert_eq!(run.stderr.trim(), "frontdesk: 1 of 3 tickets were not changed: #99");
    for id in ["1", "3"] {
        assert_eq!(desk.json(&["ticket", "show", id, "--json"])["status"], "pending");
    }
}

#[test]
fn set_reads_ticket_numbers_from_stdin() {
    let desk = desk_with_waiting();
    let run = desk.run(&["ticket", "set", "-", "--status", "solved", "--json"], "1\n#2 3\n\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(ids(&json), vec![1, 2, 3]);
    assert!(json.as_array().unwrap().iter().all(|t| t["ok"] == true && t["ticket"]["status"] == "solved"), "{json}");
    let run = desk.run(&["ticket", "set", "--priority", "high"], "2");
    assert_eq!(run.code, 0, "no numbers given: stdin has them; {}", run.stderr);
    assert_eq!(desk.json(&["ticket", "show", "2", "--json"])["priority"], "high");
}

#[test]
fn set_refuses_bad_numbers_before_changing_anything() {
    let desk = desk_with_waiting();
    let run = desk.run(&["ticket", "set", "-", "--status", "solved"], "1 2 two");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.trim(), "frontdesk: 'two' is not a ticket number");
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["status"], "new", "nothing changed");
    let run = desk.run(&["ticket", "set", "--status", "solved"], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no ticket numbers"), "{}", run.stderr);
    let run = desk.run(&["ticket", "set", "1", "2", "--status", "solved", "--expect-version", "1"], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("one ticket"), "{}", run.stderr);
}

#[test]
fn set_in_json_names_each_ticket_once_with_what_became_of_it() {
    let desk = desk_with_waiting();
    let json = {
        let run = desk.run(&["ticket", "set", "1", "1", "99", "--status", "open", "--json"], "");
        assert_eq!(run.code, 1);
        serde_json::from_str::<Value>(&run.stdout).unwrap()
    };
    assert_eq!(ids(&json), vec![1, 99], "each ticket once");
    assert_eq!(json[0]["ok"], true);
    assert_eq!(json[1]["ok"], false);
    assert_eq!(json[1]["error"], "ticket #99 does not exist");
    assert!(json[1].get("ticket").is_none());
}
