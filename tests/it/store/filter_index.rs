//! The filter index (the `/` filter's trigram index for large tabs) holds exactly each ticket's
//! filter text after every kind of write, whichever code path writes; the build of an existing
//! desk's index goes in batches; `check` finds an index out of step and `--repair` rebuilds it.

use frontdesk::config::Config;
use frontdesk::domain::*;
use frontdesk::mail::Importer;
use frontdesk::store::{Store, FILTER_INDEX_BATCH};
use rusqlite::Connection;
use std::path::Path;

fn new_ticket(store: &Store, email: &str, name: Option<&str>, subject: &str) -> Ticket {
    let t = NewTicket {
        customer_email: email.into(),
        customer_name: name.map(str::to_string),
        subject: subject.into(),
        body: "help".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&t, "ana").unwrap()
}

/// What the index holds, by ticket.
fn indexed(db: &Path) -> Vec<(i64, String)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT rowid, text FROM ticket_filter ORDER BY rowid").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// The index against the text the in-memory filter matches, ticket by ticket.
fn assert_in_step(store: &Store, db: &Path, after: &str) {
    let mut expected = Vec::new();
    store.filter_candidates(&TicketFilter::default(), &mut |id, text| expected.push((id, text.to_string()))).unwrap();
    expected.sort();
    assert_eq!(indexed(db), expected, "after {after}");
    assert_eq!(store.filter_index_drift().unwrap(), (0, 0), "after {after}");
    assert!(store.check().unwrap().is_empty(), "after {after}: {:?}", store.check().unwrap());
}

#[test]
fn the_filter_index_equals_the_tickets_after_every_kind_of_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let store = Store::open(&db).unwrap();
    store.register_first_admin("ana").unwrap();
    assert_in_step(&store, &db, "an empty desk");

    let a = new_ticket(&store, "carla@shop.example", Some("Carla Núñez"), "Refund for order 48213");
    let b = new_ticket(&store, "dan@shop.example", None, "Broken parcel");
    let c = new_ticket(&store, "carla@shop.example", None, "Invoice");
    let d = new_ticket(&store, "erin@other.example", Some("Erin Ødegård"), "Login loop");
    assert_in_step(&store, &db, "creates");

    let importer = Importer::new(&store, &Config::default());
    for n in 0..3 {
        let raw = format!(
            "From: Buyer {n} <buyer{n}@mail.example>\r\nSubject: Order {n}\r\nMessage-ID: <o{n}@mail.example>\r\n\r\nWhere?\r\n"
        );
        importer.import(raw.as_bytes(), "test").unwrap();
    }
    assert_in_step(&store, &db, "imports");

    // No command edits a subject or renames a customer yet: the triggers keep the index whoever writes.
    let conn = Connection::open(&db).unwrap();
    conn.execute("UPDATE tickets SET subject = 'Refund, second try' WHERE id = ?1", [b.id]).unwrap();
    assert_in_step(&store, &db, "a subject edit");
    let carla = store.ticket(a.id).unwrap().customer_id;
    conn.execute("UPDATE customers SET name = 'Carla Núñez-Ruiz' WHERE id = ?1", [carla]).unwrap();
    assert_in_step(&store, &db, "a customer renamed");
    conn.execute("UPDATE customer_emails SET position = -1 WHERE email = 'carla@shop.example'", []).unwrap();
    conn.execute(
        "INSERT INTO customer_emails (email, customer_id, position) VALUES ('c@first.example', ?1, -5)",
        [carla],
    )
    .unwrap();
    assert_in_step(&store, &db, "a new first address");
    conn.execute("DELETE FROM customer_emails WHERE email = 'c@first.example'", []).unwrap();
    assert_in_step(&store, &db, "an address removed");

    store.add_message(a.id, MessageKind::Reply, "ana", "On its way.", None).unwrap();
    store
        .change_ticket(a.id, &TicketChange { status: Some(Status::Pending), ..TicketChange::default() }, "ana")
        .unwrap();
    assert_in_step(&store, &db, "a reply and a status change");

    store.merge_tickets(c.id, a.id, "ana").unwrap();
    let erin = store.ticket(d.id).unwrap().customer_id;
    store.merge_customers(erin, carla, "ana").unwrap();
    assert_in_step(&store, &db, "merges of tickets and customers");

    store.undo_last(a.id, "ana", None).unwrap();
    assert_in_step(&store, &db, "an undo");

    store.delete_ticket(b.id, "ana").unwrap();
    store.delete_ticket(d.id, "ana").unwrap();
    assert_in_step(&store, &db, "deletes");
}

/// Whether a write left the filter index held back or tickets queued for it.
fn held_back(db: &Path) -> (i64, i64) {
    let conn = Connection::open(db).unwrap();
    conn.query_row("SELECT held, (SELECT count(*) FROM filter_queue) FROM filter_index_hold", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .unwrap()
}

#[test]
fn a_group_of_mails_indexes_every_change_it_made_before_it_commits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let store = Store::open(&db).unwrap();
    store.register_first_admin("ana").unwrap();
    let gone = new_ticket(&store, "dan@shop.example", None, "Spam");
    let kept = new_ticket(&store, "erin@shop.example", Some("Erin Ødegård"), "Login loop");
    let importer = Importer::new(&store, &Config::default());
    store
        .import_group(|| {
            for n in 0..4 {
                let raw = format!(
                    "From: Buyer {n} <buyer{n}@mail.example>\r\nSubject: Order {n}\r\nMessage-ID: <g{n}@mail.example>\r\n\r\nWhere?\r\n"
                );
                importer.import(raw.as_bytes(), "test")?;
            }
            // Other writes in the same group are queued as well.
            store.delete_ticket(gone.id, "ana")?;
            let erin = store.ticket(kept.id)?.customer_id;
            let buyer = store.ticket(kept.id + 1)?.customer_id;
            store.merge_customers(buyer, erin, "ana")?;
            Ok(())
        })
        .unwrap();
    assert_eq!(held_back(&db), (0, 0), "the group indexed its queue and let go");
    assert_in_step(&store, &db, "a group of mails, a delete and a customer merge");
    assert_eq!(indexed(&db).len(), 5, "erin's ticket and the four new ones");
}

#[test]
fn a_group_that_fails_leaves_neither_its_tickets_nor_its_queue() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let store = Store::open(&db).unwrap();
    store.register_first_admin("ana").unwrap();
    new_ticket(&store, "erin@shop.example", None, "Login loop");
    let importer = Importer::new(&store, &Config::default());
    let failed = store.import_group(|| {
        let raw = "From: <late@mail.example>\r\nSubject: Late\r\nMessage-ID: <f1@mail.example>\r\n\r\nWhere?\r\n";
        importer.import(raw.as_bytes(), "test")?;
        Err::<(), _>(frontdesk::store::StoreError::Invalid("the disk is full".into()))
    });
    assert!(failed.is_err());
    assert_eq!(held_back(&db), (0, 0));
    assert_eq!(indexed(&db).len(), 1, "the failed group's ticket is gone, and so is its entry");
    assert_in_step(&store, &db, "a failed group");
    // The next write indexes at once again.
    new_ticket(&store, "olu@shop.example", None, "Parcel");
    assert_in_step(&store, &db, "a write after the failed group");
}

#[test]
fn check_finds_a_queue_left_behind_and_repair_empties_it() {
    let desk = crate::support::cli::Desk::with_admin();
    desk.run(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund"], "It broke.");
    let conn = Connection::open(&desk.db).unwrap();
    conn.execute_batch("UPDATE filter_index_hold SET held = 1; INSERT INTO filter_queue VALUES (1);").unwrap();
    let run = desk.run(&["check"], "");
    assert_ne!(run.code, 0);
    assert!(run.stdout.contains("problem: 1 tickets missing from the filter index or out of step"), "{}", run.stdout);
    assert!(
        run.stdout.contains("problem: the filter index is held back though no write is under way"),
        "{}",
        run.stdout
    );
    assert!(desk.ok(&["check", "--repair"]).contains(": ok ("));
    assert_eq!(held_back(&desk.db), (0, 0));
}

#[test]
fn the_index_finds_words_as_written_in_any_case_and_accent_within_the_tab() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    let a = new_ticket(&store, "carla@shop.example", Some("Carla NÚÑEZ"), "Refund for order 48213");
    let b = new_ticket(&store, "dan@shop.example", None, "REFUNDED twice");
    new_ticket(&store, "erin@shop.example", None, "Rfnd scattered only");
    store
        .change_ticket(b.id, &TicketChange { status: Some(Status::Closed), ..TicketChange::default() }, "ana")
        .unwrap();
    let hits = |filter: &TicketFilter, needles: &[&str], limit| {
        let mut ids = Vec::new();
        let needles: Vec<String> = needles.iter().map(|n| n.to_string()).collect();
        let more = store.filter_index_hits(filter, &needles, limit, &mut |hit| ids.push(hit.id)).unwrap();
        (ids, more)
    };
    let all = TicketFilter::default();
    assert_eq!(hits(&all, &["refund"], 10), (vec![b.id, a.id], false), "newest first, case folded");
    assert_eq!(hits(&all, &["nunez", "482"], 10), (vec![a.id], false), "accents folded, every needle");
    assert_eq!(hits(&all, &[&format!("#{} ref", a.id)], 10).0, vec![a.id], "the number");
    assert_eq!(hits(&all, &["refund"], 1), (vec![b.id], true), "a full page may have more");
    let active = TicketFilter { active_only: true, ..TicketFilter::default() };
    assert_eq!(hits(&active, &["refund"], 10).0, vec![a.id], "only the tab's tickets");
    assert_eq!(hits(&all, &["say \"hi"], 10).0, Vec::<i64>::new(), "quotes are text, not syntax");
}

#[test]
fn an_existing_desk_gets_its_index_in_batches_and_new_writes_are_indexed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let store = Store::open(&db).unwrap();
    store.register_first_admin("ana").unwrap();
    let first = new_ticket(&store, "olu@shop.example", Some("Olu Okafor"), "Parcel lost");
    let n = FILTER_INDEX_BATCH + 7;
    drop(store);
    // The desk as it was before the filter index: its tickets predate it.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("DROP TABLE ticket_filter; DROP TABLE filter_index_state; DROP VIEW ticket_filter_docs;")
        .unwrap();
    let changes = ["ticket_added", "ticket_changed", "ticket_removed", "customer_renamed"];
    for change in changes.iter().chain(&["email_added", "email_removed", "email_changed"]) {
        conn.execute_batch(&format!("DROP TRIGGER filter_{change}; DROP TRIGGER filter_{change}_later;")).unwrap();
    }
    conn.execute_batch("DROP TABLE filter_index_hold; DROP TABLE filter_queue;").unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    conn.execute_batch("BEGIN").unwrap();
    for i in 1..n {
        conn.execute(
            "INSERT INTO tickets (subject, customer_id, status, priority, channel, created_at, updated_at, version)
             VALUES (?1, ?2, 'open', 'normal', 'email', ?3, ?3, 1)",
            rusqlite::params![format!("Parcel {i}"), first.customer_id, now + i as i64],
        )
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
    // The schema just before the filter index's migration (the 17th).
    conn.pragma_update(None, "user_version", 16).unwrap();
    drop(conn);

    let store = Store::open(&db).unwrap();
    assert!(!store.filter_index_complete().unwrap(), "the migration leaves the old tickets to the build");
    assert!(indexed(&db).is_empty(), "and takes no time");
    assert!(store.check().unwrap().is_empty(), "tickets not reached yet are no problem");
    let new = new_ticket(&store, "dan@shop.example", None, "Parcel late");
    assert_eq!(indexed(&db).iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![new.id], "a new ticket at once");
    let mut steps = 0;
    while !store.build_filter_index_step(FILTER_INDEX_BATCH).unwrap() {
        steps += 1;
        assert!(steps <= 3, "the build ends");
    }
    assert_eq!(steps, 2, "{n} old tickets in batches of {FILTER_INDEX_BATCH}");
    assert!(store.filter_index_complete().unwrap());
    assert_in_step(&store, &db, "the build");
}

#[test]
fn check_finds_the_filter_index_out_of_step_and_repair_rebuilds_it() {
    let desk = crate::support::cli::Desk::with_admin();
    desk.run(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund"], "It broke.");
    desk.run(&["ticket", "new", "--from", "dan@shop.example", "--subject", "Parcel"], "Late.");
    assert!(desk.ok(&["check"]).contains(": ok ("));
    let conn = Connection::open(&desk.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER filter_ticket_changed;
         UPDATE tickets SET subject = 'Refund twice' WHERE id = 1;
         INSERT INTO ticket_filter (rowid, text) VALUES (99, '#99 gone');",
    )
    .unwrap();
    let run = desk.run(&["check"], "");
    assert_ne!(run.code, 0);
    assert!(
        run.stdout.contains("problem: 1 tickets missing from the filter index or out of step with it"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("problem: 1 filter index entries for tickets that do not exist"), "{}", run.stdout);
    let repaired = desk.ok(&["check", "--repair"]);
    assert!(repaired.contains("rebuilt the filter index (2 entry(ies) were out of step)"), "{repaired}");
    assert!(repaired.contains(": ok ("), "{repaired}");
}
