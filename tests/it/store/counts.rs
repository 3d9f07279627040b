//! The kept counts (tabs, views, tags, Needs reply) equal a full count after every kind of write:
//! creates, imports, replies, status, priority, assignee and tag changes, snoozes, merges of
//! tickets and customers, deletes, undo, bulk changes; and `check` finds a count that drifted.

use frontdesk::config::Config;
use frontdesk::domain::*;
use frontdesk::mail::Importer;
use frontdesk::store::Store;

fn new_ticket(store: &Store, email: &str, subject: &str, tags: &[&str], priority: Priority) -> Ticket {
    let t = NewTicket {
        customer_email: email.into(),
        customer_name: None,
        subject: subject.into(),
        body: "help".into(),
        priority,
        channel: Channel::Email,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    store.create_ticket(&t, "ana").unwrap()
}

/// Every filter whose count the console shows, and some a config view can make.
fn filters() -> Vec<TicketFilter> {
    let active = |assignee| TicketFilter { active_only: true, assignee, ..TicketFilter::default() };
    let mut filters = vec![
        TicketFilter::default(),
        active(AssigneeFilter::Any),
        active(AssigneeFilter::Nobody),
        active(AssigneeFilter::Agent("ana".into())),
        active(AssigneeFilter::Agent("bob".into())),
        TicketFilter { needs_reply: true, ..active(AssigneeFilter::Any) },
        TicketFilter { needs_reply: true, ..TicketFilter::default() },
        TicketFilter { statuses: vec![Status::Solved, Status::Closed], ..TicketFilter::default() },
        TicketFilter { priorities: vec![Priority::Urgent, Priority::High], ..active(AssigneeFilter::Any) },
        TicketFilter { assignee: AssigneeFilter::Agent("ana".into()), ..TicketFilter::default() },
    ];
    for tag in ["billing", "vip", "Billing"] {
        filters.push(TicketFilter { tags: vec![tag.into()], ..TicketFilter::default() });
        filters.push(TicketFilter { tags: vec![tag.into()], ..active(AssigneeFilter::Any) });
    }
    filters.push(TicketFilter { tags: vec!["billing".into(), "vip".into()], ..TicketFilter::default() });
    filters
}

/// Each filter's count against the tickets its list holds, and no kept cell off a full count.
pub(crate) fn assert_exact(store: &Store, after: &str) {
    assert_eq!(store.count_drift().unwrap(), vec![], "after {after}");
    for filter in filters() {
        let listed = store.list_page(&TicketFilter { sort: Sort::Updated, ..filter.clone() }, None, 10_000).unwrap();
        assert_eq!(store.count_tickets(&filter).unwrap(), listed.len() as u64, "after {after}: {filter:?}");
    }
    let (waiting, _) = store.needs_reply_summary().unwrap();
    let needs = TicketFilter { needs_reply: true, sort: Sort::Updated, ..TicketFilter::default() };
    assert_eq!(waiting, store.list_page(&needs, None, 10_000).unwrap().len() as u64, "after {after}");
}

#[test]
fn kept_counts_equal_a_full_count_after_every_kind_of_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("bob", Some("Bob"), Role::Agent).unwrap();
    assert_exact(&store, "an empty desk");

    let a = new_ticket(&store, "carla@shop.example", "Refund", &["billing"], Priority::Normal);
    let b = new_ticket(&store, "dan@shop.example", "Broken", &["billing", "vip"], Priority::High);
    let c = new_ticket(&store, "carla@shop.example", "Invoice", &[], Priority::Low);
    let d = new_ticket(&store, "erin@other.example", "Login", &["vip"], Priority::Urgent);
    assert_exact(&store, "creates");

    let importer = Importer::new(&store, &Config::default());
    for n in 0..5 {
        let raw = format!(
            "From: buyer{n}@mail.example\r\nSubject: Order {n}\r\nMessage-ID: <o{n}@mail.example>\r\n\r\nWhere is it?\r\n"
        );
        importer.import(raw.as_bytes(), "test").unwrap();
    }
    let answer = format!(
        "From: carla@shop.example\r\nSubject: Re: Refund [#{}]\r\nMessage-ID: <r1@shop.example>\r\n\r\nStill waiting.\r\n",
        a.id
    );
    importer.import(answer.as_bytes(), "test").unwrap();
    assert_exact(&store, "imports");

    store.add_message(a.id, MessageKind::Reply, "ana", "On its way.", None).unwrap();
    store.add_message(c.id, MessageKind::Note, "ana", "Called her.", None).unwrap();
    assert_exact(&store, "a reply and a note");

    let change = |status, priority, assignee: Option<&str>, add: &[&str], remove: &[&str]| TicketChange {
        status,
        priority,
        assignee: assignee.map(|a| Some(a.to_string()).filter(|a| !a.is_empty())),
        add_tags: add.iter().map(|t| t.to_string()).collect(),
        remove_tags: remove.iter().map(|t| t.to_string()).collect(),
    };
    store.change_ticket(a.id, &change(Some(Status::Pending), None, Some("ana"), &[], &[]), "ana").unwrap();
    store
        .change_ticket(b.id, &change(Some(Status::Solved), Some(Priority::Urgent), Some("bob"), &[], &["vip"]), "bob")
        .unwrap();
    store
        .change_ticket(c.id, &change(None, Some(Priority::High), Some("ana"), &["vip", "billing"], &[]), "ana")
        .unwrap();
    store.change_ticket(c.id, &change(None, None, Some(""), &[], &[]), "ana").unwrap();
    assert_exact(&store, "status, priority, assignee and tag changes");

    let later = chrono::Utc::now() + chrono::Duration::days(2);
    store.snooze_ticket(d.id, later, "ana").unwrap();
    store.snooze_ticket(c.id, later, "ana").unwrap();
    assert_exact(&store, "snoozes");
    // A minute passes for c's snooze: it runs out with no write (the counts have no time in them).
    let conn = rusqlite::Connection::open(dir.path().join("desk.db")).unwrap();
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).timestamp_millis();
    conn.execute("UPDATE tickets SET snoozed_until = ?1 WHERE id = ?2", rusqlite::params![past, c.id]).unwrap();
    assert_exact(&store, "a snooze that has run out");

    store.merge_tickets(c.id, a.id, "ana").unwrap();
    let carla = store.ticket(a.id).unwrap().customer_id;
    let erin = store.ticket(d.id).unwrap().customer_id;
    store.merge_customers(erin, carla, "ana").unwrap();
    assert_exact(&store, "merges of tickets and customers");

    store.undo_last(a.id, "ana", None).unwrap();
    assert_exact(&store, "an undo");

    store.delete_ticket(b.id, "ana").unwrap();
    store.delete_ticket(d.id, "ana").unwrap();
    assert_exact(&store, "deletes");

    let all: Vec<i64> =
        store.list_page(&TicketFilter::default(), None, 100).unwrap().iter().map(|(t, _)| t.id).collect();
    for id in &all {
        store.change_ticket(*id, &change(Some(Status::Closed), None, Some("bob"), &["vip"], &[]), "ana").unwrap();
    }
    assert_exact(&store, "closing every ticket");
}

#[test]
fn check_finds_a_kept_count_that_drifted_and_repair_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    new_ticket(&store, "carla@shop.example", "Refund", &["billing"], Priority::Normal);
    new_ticket(&store, "dan@shop.example", "Broken", &[], Priority::High);
    assert!(store.check().unwrap().is_empty());
    let conn = rusqlite::Connection::open(dir.path().join("desk.db")).unwrap();
    conn.execute_batch("UPDATE ticket_counts SET n = n + 3 WHERE priority = 'high' AND n = 1; DELETE FROM tag_counts;")
        .unwrap();
    let problems = store.check().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "the kept ticket counts (new, nobody's, priority high, waiting) say 4 where the tickets count 1"
        ),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with(
            "the kept tag counts of billing (new, nobody's, priority normal, waiting) say 0 where the tickets count 1"
        ),
        "{problems:?}"
    );
    assert!(problems[0].ends_with("(frontdesk check --repair rebuilds them)"), "{problems:?}");
    store.rebuild_counts().unwrap();
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn the_binary_check_fails_on_a_drifted_count_and_check_repair_mends_it() {
    let desk = crate::support::cli::Desk::with_admin();
    desk.run(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund"], "It broke.");
    assert!(desk.ok(&["check"]).contains("kept counts"));
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute("UPDATE ticket_counts SET n = n + 1", []).unwrap();
    let run = desk.run(&["check"], "");
    assert_ne!(run.code, 0);
    assert!(run.stdout.contains("problem: the kept ticket counts (new, nobody's"), "{}", run.stdout);
    let repaired = desk.ok(&["check", "--repair"]);
    assert!(repaired.contains("rebuilt the kept counts (1 cell(s) differed)"), "{repaired}");
    assert!(repaired.contains(": ok ("), "{repaired}");
}
