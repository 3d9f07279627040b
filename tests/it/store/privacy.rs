//! A customer's erasure in the store: one write that clears their text and keeps the shape of
//! their tickets; the event and audit logs stay append-only for every other write; an old copy
//! left in the file by a writer that did not zero freed content goes with a rewrite of the file.

use frontdesk::domain::{Channel, NewTicket, Priority, Status, TicketChange};
use frontdesk::store::Store;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn desk() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    assert!(store.register_first_admin("ana").unwrap());
    (dir, path, store)
}

fn ticket(store: &Store, email: &str, name: &str, subject: &str) -> i64 {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some(name.into()),
        subject: subject.into(),
        body: "It broke.".into(),
        priority: Priority::High,
        channel: Channel::Email,
        tags: vec!["refund".into()],
    };
    store.create_ticket(&new, "ana").unwrap().id
}

fn file_holds(path: &Path, word: &str) -> bool {
    let mut bytes = std::fs::read(path).unwrap();
    bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
    bytes.windows(word.len()).any(|w| w == word.as_bytes())
}

#[test]
fn the_logs_stay_append_only_outside_an_erasure() {
    let (_dir, path, store) = desk();
    let id = ticket(&store, "carla@shop.example", "Carla Núñez", "Broken lamp");
    store.update_customer(1, None, Some("Prefers email"), "ana").unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let events = conn.execute("UPDATE events SET new = 'x' WHERE ticket_id = ?1", [id]);
    assert!(events.unwrap_err().to_string().contains("events are append-only"));
    let audit = conn.execute("UPDATE audit SET new = 'x' WHERE customer_id = 1", []);
    assert!(audit.unwrap_err().to_string().contains("the audit log is append-only"));
    // Even during an erasure, only the values may be cleared, not who or when.
    conn.execute("INSERT INTO erasing (customer_id) VALUES (1)", []).unwrap();
    assert!(conn.execute("UPDATE audit SET actor = 'bob' WHERE customer_id = 1", []).is_err());
    assert!(conn.execute("UPDATE events SET created_at = 0 WHERE ticket_id = ?1", [id]).is_err());
    assert_eq!(conn.execute("UPDATE audit SET new = NULL WHERE customer_id = 1", []).unwrap(), 2);
}

#[test]
fn an_erasure_keeps_the_tickets_shape_and_another_customers_text() {
    let (_dir, path, store) = desk();
    let carla = ticket(&store, "carla@shop.example", "Carla Núñez", "Broken lamp");
    let hiro = ticket(&store, "hiro@shop.example", "Hiro Tanaka", "Login fails");
    let solved = TicketChange { status: Some(Status::Solved), ..TicketChange::default() };
    store.change_ticket(carla, &solved, "ana").unwrap();
    let before = store.ticket(carla).unwrap();
    let events = store.ticket_detail(carla).unwrap().events;
    let erased = store.erase_customer(1, "ana").unwrap();
    assert_eq!((erased.tickets, erased.messages, erased.log_emptied), (1, 1, true));
    let after = store.ticket(carla).unwrap();
    assert_eq!(
        (after.subject.as_str(), after.status, after.priority, after.created_at, after.solved_at, after.tags),
        ("erased", before.status, before.priority, before.created_at, before.solved_at, before.tags)
    );
    assert_eq!((after.customer_name.as_str(), after.customer_email.as_str()), ("erased customer #1", ""));
    let kept = store.ticket_detail(carla).unwrap().events;
    let fields = |e: &[frontdesk::domain::Event]| e.iter().map(|e| (e.field.clone(), e.created_at)).collect::<Vec<_>>();
    assert_eq!(fields(&kept), fields(&events), "every event stays, with its time");
    assert_eq!((events[0].new.as_deref(), kept[0].new.as_deref()), (Some("Broken lamp"), Some("erased")));
    let other = store.ticket_detail(hiro).unwrap();
    assert_eq!((other.ticket.subject.as_str(), other.messages[0].body.as_str()), ("Login fails", "It broke."));
    assert!(!file_holds(&path, "carla@shop.example") && file_holds(&path, "hiro@shop.example"));
    assert!(store.erase_customer(7, "ana").is_err(), "an unknown customer");
    // The erasure bumped the ticket's version without an event of its own: check knows why.
    assert_eq!(after.version, before.version + 1);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // And still finds a version no history explains.
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE tickets SET version = version + 1 WHERE id = ?1", [carla])
        .unwrap();
    assert_eq!(store.check().unwrap(), ["1 tickets whose version is ahead of their history"]);
}

#[test]
fn an_old_copy_left_by_a_writer_that_did_not_zero_freed_content_goes_with_a_rewrite() {
    let (_dir, path, store) = desk();
    ticket(&store, "carla@shop.example", "Carla Núñez", "Broken lamp");
    drop(store);
    // As an older frontdesk wrote: a draft about her, deleted, stays in its page's free space.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "secure_delete", 0).unwrap();
    conn.execute(
        "INSERT INTO drafts (ticket_id, agent, kind, body, updated_at) VALUES (1, 'ana', 'reply', 'Dear Zanzibar', 0)",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM drafts", []).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    store.erase_customer(1, "ana").unwrap();
    assert!(file_holds(&path, "Dear Zanzibar"), "the old copy is out of the erasure's reach");
    store.rewrite_file().unwrap();
    assert!(!file_holds(&path, "Zanzibar"), "gone with the rewrite");
    assert_eq!(store.ticket(1).unwrap().status, Status::New);
}
