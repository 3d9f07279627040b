//! The audit log: every change that is not a ticket's own event writes one row, in the same write;
//! a change that changes nothing writes none; a deleted ticket leaves a tombstone.

use chrono::{Duration, Utc};
use frontdesk::domain::audit::{AuditEntry, AuditQuery, Source, SubjectKind, TIER_PRIORITY_ACTOR};
use frontdesk::domain::satisfaction::Csat;
use frontdesk::domain::{Channel, NewTicket, Priority, Role, Status, Ticket, TicketChange, Tier};
use frontdesk::store::{Store, StoreError};
use rusqlite::Connection;
use std::path::PathBuf;

fn desk() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    assert!(store.register_first_admin("ana").unwrap());
    (dir, path, store)
}

fn ticket(store: &Store, email: &str, subject: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some("Carla Núñez".into()),
        subject: subject.into(),
        body: "It broke.".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn trail(store: &Store, query: &AuditQuery) -> Vec<AuditEntry> {
    let mut all = Vec::new();
    store
        .audit_trail(query, &mut |e| {
            all.push(e);
            Ok(())
        })
        .unwrap();
    all
}

/// One of the audit log's rows as (actor, subject, field, old, new).
type Row = (String, String, String, Option<String>, Option<String>);

/// The audit log's own rows (not the tickets' events).
fn audit_rows(store: &Store) -> Vec<Row> {
    let rows = trail(store, &AuditQuery::default()).into_iter().filter(|e| e.source == Source::Audit);
    rows.map(|e| (e.subject_label(), e)).map(|(s, e)| (e.actor, s, e.field, e.old, e.new)).collect()
}

fn row(actor: &str, subject: &str, field: &str, old: Option<&str>, new: Option<&str>) -> Row {
    (actor.into(), subject.into(), field.into(), old.map(String::from), new.map(String::from))
}

fn events(store: &Store, id: i64) -> usize {
    store.ticket_detail(id).unwrap().events.len()
}

#[test]
fn each_change_to_customers_and_agents_writes_one_row() {
    let (_dir, _path, store) = desk();
    let carla = ticket(&store, "carla@shop.example", "Refund");
    let c = carla.customer_id.to_string();
    store.add_agent_by("bob", Some("Bob Brown"), Role::Agent, "ana").unwrap();
    store.update_customer(carla.customer_id, Some(Tier::Gold), None, "ana").unwrap();
    store.update_customer(carla.customer_id, None, Some("Prefers email"), "bob").unwrap();
    store.rate_nps(carla.customer_id, 9, "", "bob").unwrap();
    let customer = format!("customer {c}");
    assert_eq!(
        audit_rows(&store),
        vec![
            row("ana", "agent ana", "created", None, Some("admin (ana)")),
            row("ana", &customer, "created", None, Some("Carla Núñez <carla@shop.example>")),
            row("ana", "agent bob", "created", None, Some("agent (Bob Brown)")),
            row("ana", &customer, "tier", Some("standard"), Some("gold")),
            row("bob", &customer, "notes", Some(""), Some("Prefers email")),
            row("bob", &customer, "nps", None, Some("9")),
        ]
    );
}

#[test]
fn a_customer_merge_says_what_went_where_on_both() {
    let (_dir, _path, store) = desk();
    let kept = ticket(&store, "carla@shop.example", "Refund");
    let gone = ticket(&store, "c.nunez@work.example", "Invoice");
    store.update_customer(gone.customer_id, None, Some("Call after 5"), "ana").unwrap();
    let before = audit_rows(&store).len();
    store.merge_customers(gone.customer_id, kept.customer_id, "ana").unwrap();
    let (from, into) = (format!("customer {}", gone.customer_id), format!("customer {}", kept.customer_id));
    let rows = audit_rows(&store).split_off(before);
    assert_eq!(
        rows,
        vec![
            row(
                "ana",
                &from,
                "merged_into",
                Some("Carla Núñez <c.nunez@work.example> (standard)"),
                Some(&kept.customer_id.to_string())
            ),
            row(
                "ana",
                &into,
                "merged",
                None,
                Some(&format!("customer {} (Carla Núñez): tickets #{}", gone.customer_id, gone.id))
            ),
            row("ana", &into, "emails", Some("carla@shop.example"), Some("carla@shop.example c.nunez@work.example")),
            row("ana", &into, "notes", Some(""), Some("Call after 5")),
        ]
    );
    // The removed customer's story still says where they went; the kept one's has both tickets.
    let story = trail(&store, &AuditQuery { customer: Some(gone.customer_id), ..AuditQuery::default() });
    assert_eq!(story.last().unwrap().field, "merged_into");
    let story = trail(&store, &AuditQuery { customer: Some(kept.customer_id), ..AuditQuery::default() });
    assert!(story.iter().any(|e| e.kind == SubjectKind::Ticket && e.subject == gone.id.to_string()), "{story:?}");
    // A new customer never gets the removed one's number.
    let next = ticket(&store, "otto@shop.example", "Hello");
    assert!(next.customer_id > gone.customer_id);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn a_change_that_changes_nothing_writes_nothing() {
    let (_dir, _path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "Refund");
    store.update_customer(t.customer_id, Some(Tier::Standard), Some(""), "ana").unwrap();
    assert_eq!(audit_rows(&store).len(), 2, "only the agent and the customer being created: {:?}", audit_rows(&store));
    let tag = TicketChange { add_tags: vec!["vip".into()], ..TicketChange::default() };
    store.change_ticket(t.id, &tag, "ana").unwrap();
    let solved = TicketChange { status: Some(Status::Solved), ..TicketChange::default() };
    let t = store.change_ticket(t.id, &solved, "ana").unwrap().1;
    let t = store.rate_ticket(t.id, Csat::Good, "thanks", "ana").unwrap();
    let (version, logged) = (t.version, events(&store, t.id));
    let again = TicketChange { add_tags: vec!["vip".into()], ..solved.clone() };
    store.change_ticket(t.id, &again, "ana").unwrap();
    store.rate_ticket(t.id, Csat::Good, "thanks", "ana").unwrap();
    store.rate_ticket(t.id, Csat::Score(5), " thanks ", "ana").unwrap();
    assert_eq!((store.ticket(t.id).unwrap().version, events(&store, t.id)), (version, logged), "nothing changed");
    store.rate_ticket(t.id, Csat::Bad, "thanks", "ana").unwrap();
    assert_eq!(events(&store, t.id), logged + 1, "a different rating is a change");

    let open = ticket(&store, "hiro@mail.example", "Login");
    let until = Utc::now() + Duration::hours(3);
    let snoozed = store.snooze_ticket(open.id, until, "ana").unwrap();
    let logged = events(&store, open.id);
    assert_eq!(store.snooze_ticket(open.id, until, "ana").unwrap().version, snoozed.version);
    let mine = store.claim_ticket(open.id, "ana", None).unwrap();
    assert_eq!(store.claim_ticket(open.id, "ana", None).unwrap().version, mine.version);
    assert_eq!(events(&store, open.id), logged + 1, "the snooze and the claim once each");
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn a_deleted_ticket_leaves_a_tombstone_and_its_story() {
    let (_dir, _path, store) = desk();
    let kept = ticket(&store, "hiro@mail.example", "Login");
    let t = ticket(&store, "carla@shop.example", "Refund \u{1b}[2J");
    store.change_ticket(t.id, &TicketChange { status: Some(Status::Open), ..TicketChange::default() }, "ana").unwrap();
    store.add_agent_by("root", None, Role::Admin, "ana").unwrap();
    store.delete_ticket(t.id, "root").unwrap();
    let stone = store.tombstone(t.id).unwrap().expect("a tombstone");
    assert_eq!(stone.by, "root");
    assert_eq!(
        stone.what,
        format!(
            "\"Refund \u{1b}[2J\" from Carla Núñez <carla@shop.example> (customer {}), open, 1 message",
            t.customer_id
        )
    );
    match store.ticket_detail(t.id) {
        Err(e @ StoreError::TicketDeleted(_)) => {
            let sentence = e.to_string();
            assert!(sentence.starts_with(&format!("ticket #{} was deleted by root at ", t.id)), "{sentence}");
            assert!(sentence.contains("Refund ^[[2J") && !sentence.contains('\u{1b}'), "{sentence}");
        }
        other => panic!("expected the tombstone, got {other:?}"),
    }
    assert!(matches!(store.ticket(999), Err(StoreError::TicketNotFound(999))), "never there is not deleted");
    let story = trail(&store, &AuditQuery { ticket: Some(t.id), ..AuditQuery::default() });
    let fields: Vec<&str> = story.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["created", "status", "deleted"], "its events outlive it");
    assert_eq!(story.last().unwrap().actor, "root");
    // The highest number was deleted: SQLite would give it out again, the store does not.
    let next = ticket(&store, "otto@shop.example", "Hello");
    assert_eq!(next.id, t.id + 1);
    assert!(kept.id < t.id);
    let story = trail(&store, &AuditQuery { ticket: Some(next.id), ..AuditQuery::default() });
    assert_eq!(story.len(), 1, "its own creation, nothing of the deleted ticket's: {story:?}");
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn the_tier_rule_is_named_as_the_actor_of_its_raise() {
    let (_dir, _path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "Refund");
    store.update_customer(t.customer_id, Some(Tier::Vip), None, "ana").unwrap();
    let raised = store.raise_priority_for_tier(t.id, &|tier| if tier == Tier::Vip { 2 } else { 0 }).unwrap();
    assert_eq!(raised.priority, Priority::Urgent);
    let last = store.ticket_detail(t.id).unwrap().events.pop().unwrap();
    assert_eq!((last.actor.as_str(), last.field.as_str()), (TIER_PRIORITY_ACTOR, "priority"));
    let by_rule = trail(&store, &AuditQuery { who: Some(TIER_PRIORITY_ACTOR.into()), ..AuditQuery::default() });
    assert_eq!(by_rule.len(), 1);
}

#[test]
fn the_audit_log_refuses_to_be_changed_or_emptied() {
    let (_dir, path, store) = desk();
    ticket(&store, "carla@shop.example", "Refund");
    let conn = Connection::open(&path).unwrap();
    for sql in ["UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("the audit log is append-only"), "{sql}: {e}");
    }
    assert_eq!(audit_rows(&store).len(), 2);
}

#[test]
fn a_desk_of_schema_7_gets_the_audit_log_and_keeps_its_data() {
    let (_dir, path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "Refund");
    store.change_ticket(t.id, &TicketChange { status: Some(Status::Open), ..TicketChange::default() }, "ana").unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DROP TABLE audit; PRAGMA user_version = 7;").unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let version: i64 = Connection::open(&path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(
        version, 31,
        "the audit log (8), undo (9), raw header bytes (10), the desk service (11), who else a message went to (12), \
         the mailboxes' positions (13), mailbox problems (14), kept counts (15), ticket mailboxes (16), \
         the filter index (17), the clocks' events index (18), pages in priority order (19), \
         the filter index held back for a group of mails (20), organizations' records (21), a customer's erasure (22), \
         rules (23), the report's kept figures (24), conditions without lists of three (25), \
         when timed rules look at a ticket again (26), the clocks by warning time and the creation times' spans (27), events in ticket order (28), \
         ratings by time (29), the report's kept rows by time (30), the search index's words (31)"
    );
    let kept = store.ticket(t.id).unwrap();
    assert_eq!((kept.subject.as_str(), kept.status, kept.version), ("Refund", Status::Open, 2));
    assert_eq!(events(&store, t.id), 2, "created, and the status");
    assert!(audit_rows(&store).is_empty(), "nothing is made up for the past");
    store.update_customer(t.customer_id, Some(Tier::Gold), None, "ana").unwrap();
    assert_eq!(audit_rows(&store).len(), 1);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn check_finds_a_ticket_numbered_like_a_deleted_one() {
    let (_dir, path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "Refund");
    store.delete_ticket(t.id, "ana").unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO tickets (id, subject, customer_id, status, priority, channel, created_at, updated_at)
         VALUES (?1, 'Reused', ?2, 'new', 'normal', 'email', 0, 0)",
        [t.id, t.customer_id],
    )
    .unwrap();
    assert_eq!(store.check().unwrap(), vec!["1 tickets numbered like a deleted ticket".to_string()]);
}
