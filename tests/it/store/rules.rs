//! Rules in the store: a rule's actions in one write as its events, the round robin's turn kept
//! in the database, timed firings recorded once, the tickets nobody answered.

use frontdesk::domain::rules::{Action, Assign, Conditions, Rule, Trigger};
use frontdesk::domain::*;
use frontdesk::store::Store;

fn store(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    if store.agent("ana").unwrap().is_none() {
        store.register_first_admin("ana").unwrap();
        store.add_agent("ben", Some("Ben"), Role::Agent).unwrap();
    }
    store
}

fn ticket(store: &Store, from: &str) -> Ticket {
    let new = NewTicket {
        customer_email: from.into(),
        customer_name: None,
        subject: "Refund".into(),
        body: "Help".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn rule(name: &str, actions: Vec<Action>) -> Rule {
    Rule {
        name: name.into(),
        trigger: Trigger::Clock { at: 80, clock: None },
        conditions: Conditions::default(),
        actions,
    }
}

fn actions(rule: &Rule) -> Vec<&Action> {
    rule.actions.iter().collect()
}

#[test]
fn a_rules_actions_are_one_write_of_events_by_the_rule_and_its_firing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let t = ticket(&store, "carla@shop.example");
    let r = rule(
        "escalate",
        vec![
            Action::Priority(Priority::Urgent),
            Action::Tags(vec!["escalated".into()]),
            Action::Snooze(3600),
            Action::Note("Nearly due.".into()),
        ],
    );
    assert!(!store.rule_fired("escalate", t.id, "clock").unwrap());
    let applied = store.apply_rule(t.id, &r, &actions(&r), "clock", None).unwrap();
    assert_eq!(
        (applied.ticket.priority, applied.ticket.tags.clone()),
        (Priority::Urgent, vec!["escalated".to_string()])
    );
    assert!(store.rule_fired("escalate", t.id, "clock").unwrap());
    let detail = store.ticket_detail(t.id).unwrap();
    let by_rule: Vec<&str> =
        detail.events.iter().filter(|e| e.actor == "rule:escalate").map(|e| e.field.as_str()).collect();
    assert_eq!(by_rule, ["priority", "tag", "snoozed_until", "note"]);
    let stamps: std::collections::HashSet<_> =
        detail.events.iter().filter(|e| e.actor == "rule:escalate").map(|e| e.created_at).collect();
    assert_eq!(stamps.len(), 1, "one write, one time");
    let note = detail.messages.iter().find(|m| m.kind == MessageKind::Note).unwrap();
    assert_eq!((note.author.as_str(), note.body.as_str()), ("rule:escalate", "Nearly due."));
    let now = chrono::Utc::now();
    assert!(store.rule_candidates(("escalate", "clock", 1), now, 0, 10).unwrap().is_empty(), "fired: no longer one");
    let other = ticket(&store, "hiro@tanaka.example");
    let ids: Vec<i64> =
        store.rule_candidates(("escalate", "clock", 1), now, 0, 10).unwrap().iter().map(|t| t.id).collect();
    assert_eq!(ids, [other.id]);
}

#[test]
fn a_timed_rule_looks_at_a_ticket_again_when_its_time_comes_or_its_clocks_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let t = ticket(&store, "carla@shop.example");
    let key = ("escalate", "clock", 7);
    let now = chrono::Utc::now();
    let candidates = |at: frontdesk::domain::Timestamp, key: (&str, &str, i64)| -> Vec<i64> {
        store.rule_candidates(key, at, 0, 10).unwrap().iter().map(|t| t.id).collect()
    };
    assert_eq!(candidates(now, key), [t.id], "never looked at");
    store.record_rule_checks(key, &[(t.id, Some(now + chrono::Duration::minutes(30)))]).unwrap();
    assert!(candidates(now, key).is_empty(), "its clock cannot reach the point for 30 minutes");
    assert_eq!(candidates(now + chrono::Duration::minutes(30), key), [t.id], "its time has come");
    assert_eq!(candidates(now, ("escalate", "clock", 8)), [t.id], "worked out with other policies");
    assert_eq!(candidates(now, ("other", "clock", 7)), [t.id], "another rule's own check");
    store.record_rule_checks(key, &[(t.id, None)]).unwrap();
    assert!(candidates(now + chrono::Duration::days(400), key).is_empty(), "no clock runs towards it");
    let change = TicketChange { status: Some(Status::Open), ..TicketChange::default() };
    store.change_ticket(t.id, &change, "ana").unwrap();
    assert_eq!(candidates(now, key), [t.id], "a status change retimes the clocks: looked at again");
    store.record_rule_checks(key, &[(t.id, None)]).unwrap();
    store.add_message(t.id, MessageKind::Reply, "ana", "On it.", None).unwrap();
    assert_eq!(candidates(now, key), [t.id], "so does a reply");
}

#[test]
fn the_round_robin_turn_outlives_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let r = rule("share", vec![Action::Assign(Assign::RoundRobin(vec!["ana".into(), "ben".into()]))]);
    let mut picked = Vec::new();
    for from in ["a@x.example", "b@x.example", "c@x.example"] {
        let store = store(&dir); // a new connection each time, as each `import` is a new process
        let t = ticket(&store, from);
        picked.push(store.apply_rule(t.id, &r, &actions(&r), "new_ticket", None).unwrap().ticket.assignee.unwrap());
    }
    assert_eq!(picked, ["ana", "ben", "ana"]);
}

#[test]
fn a_rule_that_cannot_be_applied_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let t = ticket(&store, "carla@shop.example");
    let r = rule("to nobody", vec![Action::Tags(vec!["vip".into()]), Action::Assign(Assign::Agent("zoe".into()))]);
    assert!(store.apply_rule(t.id, &r, &actions(&r), "clock", None).is_err());
    let after = store.ticket(t.id).unwrap();
    assert_eq!((after.tags.len(), after.assignee, after.version), (0, None, t.version));
    assert!(!store.rule_fired("to nobody", t.id, "clock").unwrap());
}

#[test]
fn unanswered_tickets_are_those_whose_last_public_message_is_our_old_reply() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let answered = ticket(&store, "a@x.example");
    let waiting_on_us = ticket(&store, "b@x.example");
    store.add_message(answered.id, MessageKind::Reply, "ana", "Which order?", None).unwrap();
    store.add_message(answered.id, MessageKind::Note, "ana", "asked", None).unwrap();
    let later = chrono::Utc::now() + chrono::Duration::seconds(5);
    let ids = |cutoff| -> Vec<i64> {
        store.unanswered_since("chase", "no_answer", cutoff, 0, 10).unwrap().iter().map(|t| t.id).collect()
    };
    assert_eq!(ids(later), [answered.id], "a note is no answer either way; #{} waits on us", waiting_on_us.id);
    assert!(ids(chrono::Utc::now() - chrono::Duration::days(1)).is_empty(), "not old enough yet");
    store.add_message(answered.id, MessageKind::Customer, "mail", "Order 48213", None).unwrap();
    assert!(ids(later + chrono::Duration::seconds(5)).is_empty(), "the customer answered");
}
