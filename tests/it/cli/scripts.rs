//! A CLI for scripts: every command that changes data prints what it made or changed with
//! `--json`, in the shapes `show --json` and `list --json` use; a reply sets a status in the same
//! write; `ticket list` takes the console's tabs by name.

use crate::support::cli::Desk;
use serde_json::Value;

const CUSTOMER_MAIL: &str = "From: Carla <carla@shop.example>\r\nTo: support@desk.example\r\n\
Subject: Refund\r\nMessage-ID: <c1@shop.example>\r\n\r\nMy lamp arrived broken.\r\n";

fn new_ticket(desk: &Desk, from: &str, subject: &str) -> Value {
    desk.json(&["ticket", "new", "--from", from, "--subject", subject, "--body", "It broke.", "--json"])
}

#[test]
fn ticket_new_prints_the_ticket_made_as_list_shows_it() {
    let desk = Desk::with_admin();
    let made = desk.json(&[
        "ticket",
        "new",
        "--from",
        "carla@shop.example",
        "--subject",
        "Broken lamp",
        "--priority",
        "high",
        "--tag",
        "refund",
        "--json",
    ]);
    assert_eq!(
        (&made["id"], &made["subject"], &made["priority"]),
        (&Value::from(1), &"Broken lamp".into(), &"high".into())
    );
    assert_eq!(made["customer"]["email"], "carla@shop.example");
    assert_eq!(made["tags"], serde_json::json!(["refund"]));
    assert_eq!(made["snoozed_until"], Value::Null);
    let listed = desk.json(&["ticket", "list", "--json"]);
    assert_eq!(made, listed[0], "the same shape and values as ticket list --json");
}

#[test]
fn ticket_reply_prints_the_message_and_the_ticket() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    let said = desk.json(&["ticket", "reply", "1", "--body", "A new one is on its way.", "--json"]);
    assert_eq!(
        (&said["message"]["kind"], &said["message"]["body"]),
        (&"reply".into(), &"A new one is on its way.".into())
    );
    assert_eq!(said["ticket"]["id"], 1);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(said["message"], shown["messages"][1], "the message as ticket show --json shows it");
    assert_eq!(said["ticket"]["version"], shown["version"]);
    let note = desk.json(&["ticket", "reply", "1", "--note", "--body", "Carrier claim CL-2291", "--json"]);
    assert_eq!(note["message"]["kind"], "note");
}

#[test]
fn a_reply_with_a_status_sets_it_in_the_same_write_and_a_refused_one_leaves_neither() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    let first = desk.json(&["ticket", "show", "1", "--json"])["messages"][0]["id"].as_i64().unwrap().to_string();
    desk.ok(&["ticket", "reply", "1", "--note", "--body", "bob: I am calling her"]);
    // Someone wrote since the message this writer read: neither the reply nor the status is kept.
    let stale =
        desk.run(&["ticket", "reply", "1", "--body", "Solved!", "--status", "solved", "--expect-last", &first], "");
    assert_eq!(stale.code, 3, "{}{}", stale.stdout, stale.stderr);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!((shown["status"].as_str(), shown["messages"].as_array().unwrap().len()), (Some("new"), 2));
    // Both land together, in one write: one version step, and one event time.
    let before = shown["version"].as_i64().unwrap();
    let said =
        desk.json(&["ticket", "reply", "1", "--body", "A new one is on its way.", "--status", "solved", "--json"]);
    assert_eq!(said["ticket"]["status"], "solved");
    assert!(said["ticket"]["solved_at"].is_string());
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(shown["version"].as_i64().unwrap(), before + 1, "one write: {shown}");
    let status = shown["events"].as_array().unwrap().iter().find(|e| e["field"] == "status").unwrap().clone();
    assert_eq!(status["created_at"], said["message"]["created_at"], "{shown}");
    // A closed ticket cannot be reopened by a reply: refused, nothing added.
    desk.ok(&["ticket", "set", "1", "--status", "closed"]);
    let closed = desk.run(&["ticket", "reply", "1", "--body", "One more thing", "--status", "open"], "");
    assert_eq!(closed.code, 1, "{}", closed.stderr);
    assert!(closed.stderr.contains("cannot become open; nothing was added"), "{}", closed.stderr);
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["messages"].as_array().unwrap().len(), 3);
}

#[test]
fn a_mailed_reply_with_a_status_is_queued_as_a_plain_reply_is() {
    let desk = Desk::with_config(
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"sendmail\"\nsendmail = \"exit 75\"\n",
    );
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let said = desk.json(&["ticket", "reply", "1", "--body", "Refunded.", "--status", "pending", "--json"]);
    assert_eq!(said["ticket"]["status"], "pending");
    assert_eq!(said["message"]["delivery"]["state"], "failed", "{said}");
    let outbox = desk.json(&["outbox", "list", "--json"]);
    assert_eq!(
        (outbox[0]["message"].clone(), outbox[0]["recipient"].clone()),
        (said["message"]["id"].clone(), "carla@shop.example".into())
    );
    // A flush that fails again prints what it tried and exits 1.
    let run = desk.run(&["outbox", "flush", "--json"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let tried: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((tried[0]["id"].clone(), tried[0]["attempts"].clone()), (outbox[0]["id"].clone(), Value::from(2)));
    assert!(tried[0]["error"].as_str().unwrap().contains("exit 75"), "{tried}");
}

#[test]
fn rate_snooze_merge_and_delete_print_the_ticket_as_changed() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    new_ticket(&desk, "carla@shop.example", "Broken lamp, again");
    new_ticket(&desk, "spam@spam.example", "Cheap pills");
    desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    let rated = desk.json(&["ticket", "rate", "1", "--csat", "good", "--comment", "Quick!", "--json"]);
    assert_eq!(
        (&rated["id"], &rated["rating"]["score"], &rated["rating"]["comment"]),
        (&Value::from(1), &Value::from(5), &"Quick!".into())
    );
    let again = desk.json(&["ticket", "rate", "1", "--csat", "2", "--json"]);
    assert_eq!(
        (&again["rating"]["score"], &again["rating"]["good"]),
        (&Value::from(2), &Value::from(false)),
        "the rating it has now"
    );
    let snoozed = desk.json(&["ticket", "snooze", "2", "--until", "2030-01-02T09:00:00Z", "--json"]);
    assert_eq!(snoozed["snoozed_until"], "2030-01-02T09:00:00.000Z");
    let until_reply = desk.json(&["ticket", "snooze", "2", "--until", "reply", "--json"]);
    assert_eq!(until_reply["snoozed_until"], "9999-12-31T23:59:59.000Z");
    let merged = desk.json(&["ticket", "merge", "2", "--into", "1", "--json"]);
    assert_eq!(
        (&merged["into"]["id"], &merged["merged"]["id"], &merged["merged"]["status"]),
        (&Value::from(1), &Value::from(2), &"closed".into())
    );
    let deleted = desk.json(&["ticket", "delete", "3", "--yes", "--json"]);
    assert_eq!((&deleted["id"], &deleted["subject"]), (&Value::from(3), &"Cheap pills".into()));
    assert_eq!(desk.run(&["ticket", "show", "3"], "").code, 1, "it is gone");
}

#[test]
fn stale_solve_prints_the_tickets_it_solved() {
    let desk = Desk::with_config("[sla]\nsolve_pending_after_days = 0\n");
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    let listed = desk.json(&["ticket", "stale", "--json"]);
    assert_eq!((listed[0]["id"].clone(), listed[0]["status"].clone()), (Value::from(1), "pending".into()));
    let solved = desk.json(&["ticket", "stale", "--solve", "--json"]);
    assert_eq!((solved[0]["id"].clone(), solved[0]["status"].clone()), (Value::from(1), "solved".into()));
}

#[test]
fn customer_merge_and_rate_print_the_customer_as_show_does() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    new_ticket(&desk, "c.nunez@work.example", "Invoice");
    let merged = desk.json(&["customer", "merge", "2", "--into", "1", "--json"]);
    assert_eq!(merged["emails"], serde_json::json!(["carla@shop.example", "c.nunez@work.example"]));
    assert_eq!(merged["tickets"].as_array().unwrap().len(), 2);
    let rated = desk.json(&["customer", "rate", "1", "--nps", "9", "--json"]);
    assert_eq!(
        (&rated["satisfaction"]["nps"], &rated["satisfaction"]["ratings"][0]["score"]),
        (&Value::from(100.0), &Value::from(9))
    );
    assert_eq!(rated, desk.json(&["customer", "show", "1", "--json"]));
}

#[test]
fn quarantine_release_prints_the_mail_and_its_import() {
    let desk = Desk::with_config("[mail]\nmax_message_size = 10\n");
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let released = desk.json(&["quarantine", "release", "1", "--json"]);
    assert_eq!(
        (&released["quarantine"]["id"], &released["quarantine"]["released"]),
        (&Value::from(1), &Value::from(true))
    );
    assert_eq!((&released["import"]["outcome"], &released["import"]["ticket"]), (&"created".into(), &Value::from(1)));
}

#[test]
fn ticket_list_takes_a_tab_or_a_config_view_by_name_and_narrows_it() {
    let desk = Desk::with_config("[[views]]\nname = \"Urgent work\"\nstatus = [\"active\"]\npriority = [\"urgent\"]\n");
    desk.ok(&["agent", "add", "bob"]);
    for (from, priority) in [("a@x.example", "urgent"), ("b@x.example", "high"), ("c@x.example", "urgent")] {
        desk.ok(&["ticket", "new", "--from", from, "--subject", "Help", "--priority", priority]);
    }
    desk.ok(&["ticket", "set", "1", "--assign", "me"]);
    desk.ok(&["ticket", "set", "3", "--status", "solved"]);
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["ticket", "list", "--json", "--sort", "created"];
        all.extend_from_slice(args);
        desk.json(&all).as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(ids(&["--view", "mine"]), vec![1]);
    assert_eq!(ids(&["--view", "unassigned"]), vec![2]);
    assert_eq!(ids(&["--view", "open"]), vec![2, 1]);
    assert_eq!(ids(&["--view", "all"]), vec![3, 2, 1]);
    assert_eq!(ids(&["--view", "urgent work"]), vec![1], "a config view, case aside");
    assert_eq!(ids(&["--status", "active"]), vec![2, 1]);
    assert_eq!(ids(&["--priority", "urgent"]), vec![3, 1]);
    assert_eq!(ids(&["--priority", "urgent", "--status", "active"]), vec![1]);
    assert_eq!(ids(&["--view", "all", "--priority", "high", "--priority", "urgent", "--status", "solved"]), vec![3]);
    let unknown = desk.run(&["ticket", "list", "--view", "Urgnet"], "");
    assert_eq!(unknown.code, 1);
    assert_eq!(
        unknown.stderr.trim(),
        "frontdesk: there is no view named 'Urgnet'; the views are: needs-reply, mine, unassigned, open, all, \"Urgent work\""
    );
    let bad = desk.run(&["ticket", "list", "--status", "activ"], "");
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("use new, open, pending, on_hold, solved, closed or active"), "{}", bad.stderr);
}

#[test]
fn ticket_list_json_has_the_snooze_and_the_wait() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    new_ticket(&desk, "hiro@shop.example", "Login");
    desk.ok(&["ticket", "snooze", "1", "--until", "2030-01-02T09:00:00Z"]);
    let listed = desk.json(&["ticket", "list", "--json", "--sort", "created"]);
    assert_eq!((&listed[1]["id"], &listed[1]["snoozed_until"]), (&Value::from(1), &"2030-01-02T09:00:00.000Z".into()));
    assert_eq!((&listed[0]["snoozed_until"], listed[0]["waiting_since"].is_string()), (&Value::Null, true), "{listed}");
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["snoozed_until"], "2030-01-02T09:00:00.000Z");
}

#[test]
fn init_and_check_print_what_they_did() {
    let desk = Desk::empty();
    let made = desk.json(&["init", "--json"]);
    assert_eq!((&made["first_admin"]["login"], &made["first_admin"]["role"]), (&"ana".into(), &"admin".into()));
    assert_eq!(made["database"], desk.db.display().to_string());
    assert_eq!(desk.json(&["init", "--json"])["first_admin"], Value::Null, "registered once");
    new_ticket(&desk, "carla@shop.example", "Broken lamp");
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute("UPDATE ticket_counts SET n = n + 5", []).unwrap();
    drop(conn);
    let run = desk.run(&["check", "--json"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (&found["ok"], found["problems"].as_array().unwrap().is_empty()),
        (&Value::from(false), false),
        "{found}"
    );
    let repaired = desk.json(&["check", "--repair", "--json"]);
    assert_eq!((&repaired["ok"], &repaired["problems"]), (&Value::from(true), &serde_json::json!([])), "{repaired}");
    assert!(repaired["repaired"]["counts_differed"].as_u64().unwrap() > 0, "{repaired}");
    assert_eq!(repaired["repaired"]["search_words_missing"], 0, "{repaired}");
}
