//! Undo in the store: each kind of change reverted from the event log, exactly, as its own events.

use chrono::{Duration, Utc};
use frontdesk::domain::satisfaction::Csat;
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Role, Status, Ticket, TicketChange};
use frontdesk::store::{Store, StoreError};
use rusqlite::Connection;
use std::path::PathBuf;

struct Desk {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    assert!(store.register_first_admin("ana").unwrap());
    store.add_agent("bob", None, Role::Agent).unwrap();
    Desk { _dir: dir, path, store }
}

fn ticket(store: &Store, subject: &str) -> Ticket {
    let new = NewTicket {
        customer_email: "carla@shop.example".into(),
        customer_name: Some("Carla Núñez".into()),
        subject: subject.into(),
        body: "It broke.".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec!["lamp".into()],
    };
    store.create_ticket(&new, "ana").unwrap()
}

/// Change a ticket as `actor`; a moment later than the last write, as people write (the event log
/// tells one write from the next by its actor and millisecond).
fn change(store: &Store, id: i64, change: TicketChange, actor: &str) -> Ticket {
    std::thread::sleep(std::time::Duration::from_millis(2));
    let v = store.ticket(id).unwrap().version;
    store.update_ticket(id, v, &change, actor).unwrap()
}

fn status(s: Status) -> TicketChange {
    TicketChange { status: Some(s), ..Default::default() }
}

fn fields(store: &Store, id: i64) -> Vec<(String, Option<String>, Option<String>)> {
    store.ticket_detail(id).unwrap().events.into_iter().map(|e| (e.field, e.old, e.new)).collect()
}

/// The stored columns no `Ticket` shows whole: solved_at, waiting_since, snoozed_until, satisfaction.
fn hidden(path: &std::path::Path, id: i64) -> (Option<i64>, Option<i64>, Option<i64>, Option<i64>) {
    let conn = Connection::open(path).unwrap();
    conn.query_row(
        "SELECT solved_at, waiting_since, snoozed_until, satisfaction FROM tickets WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

#[test]
fn a_solve_undone_reopens_with_the_wait_it_had_and_is_its_own_event() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    let before = hidden(&d.path, t.id);
    assert!(before.1.is_some(), "the customer waits");
    let solved = change(&d.store, t.id, status(Status::Solved), "ana");
    assert_eq!(hidden(&d.path, t.id).1, None, "solving ends the wait");

    let undone = d.store.undo_last(t.id, "ana", Some(solved.version)).unwrap();
    assert_eq!(undone.sentence(), format!("undone on #{}: status solved → new", t.id));
    assert_eq!(undone.ticket.status, Status::New);
    assert_eq!(undone.ticket.version, solved.version + 1, "one write");
    assert_eq!(hidden(&d.path, t.id), before, "solved_at and waiting_since as they were");
    let log = fields(&d.store, t.id);
    let n = log.len();
    assert_eq!(log[n - 2], ("status".into(), Some("solved".into()), Some("new".into())));
    assert_eq!(log[n - 1].0, "undo");
    assert!(d.store.check().unwrap().is_empty(), "{:?}", d.store.check());
}

#[test]
fn a_reopen_undone_solves_again_at_the_first_solve_time() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    change(&d.store, t.id, status(Status::Solved), "ana");
    let solved = hidden(&d.path, t.id);
    change(&d.store, t.id, status(Status::Open), "bob");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let undone = d.store.undo_last(t.id, "ana", None).unwrap();
    assert_eq!(undone.ticket.status, Status::Solved);
    assert_eq!(hidden(&d.path, t.id), solved, "solved when it was first solved, not now");
}

#[test]
fn priority_owner_and_tags_of_one_write_are_undone_together() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    let all = TicketChange {
        priority: Some(Priority::Urgent),
        assignee: Some(Some("bob".into())),
        add_tags: vec!["vip".into()],
        remove_tags: vec!["lamp".into()],
        ..Default::default()
    };
    let changed = change(&d.store, t.id, all, "ana");
    assert_eq!(changed.tags, vec!["vip".to_string()]);
    let undone = d.store.undo_last(t.id, "ana", Some(changed.version)).unwrap();
    let back = &undone.ticket;
    assert_eq!(
        (back.priority, back.assignee.as_deref(), back.tags.clone()),
        (Priority::Normal, None, vec!["lamp".into()])
    );
    assert_eq!(
        undone.sentence(),
        format!("undone on #{}: tag #lamp added, tag #vip removed, owner bob → nobody, priority urgent → normal", t.id)
    );
}

#[test]
fn undoing_again_walks_back_until_the_creation() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    change(&d.store, t.id, status(Status::Open), "ana");
    change(&d.store, t.id, TicketChange { priority: Some(Priority::High), ..Default::default() }, "bob");
    assert_eq!(d.store.undo_last(t.id, "ana", None).unwrap().ticket.priority, Priority::Normal);
    assert_eq!(d.store.undo_last(t.id, "ana", None).unwrap().ticket.status, Status::New);
    let version = d.store.ticket(t.id).unwrap().version;
    let err = d.store.undo_last(t.id, "ana", None).unwrap_err();
    assert_eq!(err.to_string(), format!("nothing to undo on #{}: it has not been changed since it was created", t.id));
    assert_eq!(d.store.ticket(t.id).unwrap().version, version, "nothing written");
}

#[test]
fn a_stale_version_is_a_conflict_and_writes_nothing() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    let mine = change(&d.store, t.id, status(Status::Pending), "ana");
    change(&d.store, t.id, status(Status::Open), "bob");
    let err = d.store.undo_last(t.id, "ana", Some(mine.version)).unwrap_err();
    let StoreError::Conflict { by, .. } = &err else { panic!("{err}") };
    assert_eq!(by, "bob");
    assert_eq!(d.store.ticket(t.id).unwrap().status, Status::Open, "bob's change stands");
}

#[test]
fn a_sent_reply_is_not_undone() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    std::thread::sleep(std::time::Duration::from_millis(2));
    d.store.add_message(t.id, MessageKind::Reply, "ana", "On its way.", None).unwrap();
    let before = (d.store.ticket(t.id).unwrap(), fields(&d.store, t.id).len());
    let err = d.store.undo_last(t.id, "ana", None).unwrap_err();
    assert!(err.to_string().contains("cannot be undone: a reply went to the customer"), "{err}");
    assert_eq!((d.store.ticket(t.id).unwrap(), fields(&d.store, t.id).len()), before);
}

#[test]
fn a_snooze_undone_brings_the_earlier_snooze_back_to_the_millisecond() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    let first = Utc::now() + Duration::milliseconds(3_600_123);
    d.store.snooze_ticket(t.id, first, "ana").unwrap();
    let snoozed = hidden(&d.path, t.id).2;
    std::thread::sleep(std::time::Duration::from_millis(2));
    d.store.snooze_ticket(t.id, Utc::now() + Duration::days(2), "ana").unwrap();
    let undone = d.store.undo_last(t.id, "ana", None).unwrap();
    assert_eq!(hidden(&d.path, t.id).2, snoozed);
    assert!(undone.sentence().contains("snoozed until"), "{}", undone.sentence());
    d.store.undo_last(t.id, "ana", None).unwrap();
    assert_eq!(hidden(&d.path, t.id).2, None, "the first snooze undone: not snoozed");
}

#[test]
fn a_rating_undone_brings_the_one_it_replaced_back_then_none() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    change(&d.store, t.id, status(Status::Solved), "ana");
    d.store.rate_ticket(t.id, Csat::Score(2), "slow", "ana").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2));
    d.store.rate_ticket(t.id, Csat::Good, "", "bob").unwrap();
    let undone = d.store.undo_last(t.id, "ana", None).unwrap();
    assert_eq!(undone.sentence(), format!("undone on #{}: rating back to 2/5", t.id));
    let ratings = d.store.customer_ratings(t.customer_id).unwrap();
    assert_eq!((ratings.len(), ratings[0].score, ratings[0].comment.as_str()), (1, 2, "slow"));
    assert_eq!(hidden(&d.path, t.id).3, Some(2));
    d.store.undo_last(t.id, "ana", None).unwrap();
    assert!(d.store.customer_ratings(t.customer_id).unwrap().is_empty());
    assert_eq!(hidden(&d.path, t.id).3, None);
}

#[test]
fn a_merge_undone_moves_the_conversation_back_and_restores_both_tickets() {
    let d = desk();
    let into = ticket(&d.store, "Lamp broken");
    let from = ticket(&d.store, "Lamp again");
    change(&d.store, into.id, status(Status::Pending), "ana"); // into waits on nobody
    change(&d.store, from.id, TicketChange { add_tags: vec!["vip".into()], ..Default::default() }, "ana");
    d.store.add_message(from.id, MessageKind::Note, "ana", "supplier fault", None).unwrap();
    let (into_before, from_before) = (hidden(&d.path, into.id), hidden(&d.path, from.id));
    std::thread::sleep(std::time::Duration::from_millis(2));
    d.store.merge_tickets(from.id, into.id, "ana").unwrap();
    assert_eq!(d.store.ticket(from.id).unwrap().status, Status::Closed);

    let undone = d.store.undo_last(into.id, "ana", None).unwrap();
    assert_eq!(undone.other, Some(from.id));
    let source = d.store.ticket_detail(from.id).unwrap();
    assert_eq!(source.ticket.status, Status::New, "the source's status back");
    assert_eq!(source.ticket.tags, vec!["lamp".to_string(), "vip".to_string()]);
    let kinds: Vec<_> = source.messages.iter().map(|m| m.kind).collect();
    use MessageKind::{Customer, Note, System};
    assert_eq!(kinds, vec![Customer, Note, System, System], "its messages, the merge's line, the undo's line");
    let target = d.store.ticket_detail(into.id).unwrap();
    assert_eq!(target.ticket.tags, vec!["lamp".to_string()], "the tag the merge brought is gone");
    assert_eq!(target.messages.iter().filter(|m| m.kind == Customer).count(), 1);
    assert_eq!(hidden(&d.path, into.id), into_before, "the target waits as before: on nobody");
    assert_eq!(hidden(&d.path, from.id), from_before);
    assert!(d.store.check().unwrap().is_empty(), "{:?}", d.store.check());
}

#[test]
fn a_merge_is_not_undone_when_the_other_ticket_changed_since() {
    let d = desk();
    let into = ticket(&d.store, "Lamp broken");
    let from = ticket(&d.store, "Lamp again");
    std::thread::sleep(std::time::Duration::from_millis(2));
    d.store.merge_tickets(from.id, into.id, "ana").unwrap();
    change(&d.store, into.id, TicketChange { priority: Some(Priority::High), ..Default::default() }, "bob");
    let version = d.store.ticket(from.id).unwrap().version;
    let err = d.store.undo_last(from.id, "ana", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("#{} changed since the merge; nothing was undone (undo its later changes first)", into.id)
    );
    assert_eq!(d.store.ticket(from.id).unwrap().version, version);
    // Undo bob's change first, and the merge can go.
    d.store.undo_last(into.id, "ana", None).unwrap();
    let undone = d.store.undo_last(from.id, "ana", None).unwrap();
    assert_eq!((undone.ticket.status, undone.other), (Status::New, Some(into.id)));
}

#[test]
fn a_customer_merge_is_not_undone() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    let other = d
        .store
        .create_ticket(
            &NewTicket {
                customer_email: "c.nunez@work.example".into(),
                customer_name: Some("Carla N.".into()),
                subject: "Chair".into(),
                body: "Wobbly".into(),
                priority: Priority::Normal,
                channel: Channel::Email,
                tags: vec![],
            },
            "ana",
        )
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2));
    d.store.merge_customers(other.customer_id, t.customer_id, "ana").unwrap();
    let err = d.store.undo_last(other.id, "ana", None).unwrap_err();
    assert!(err.to_string().contains("a merge of two customers cannot be undone"), "{err}");
}

#[test]
fn a_change_overwritten_without_a_trace_is_not_undone_over() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    change(&d.store, t.id, TicketChange { priority: Some(Priority::High), ..Default::default() }, "ana");
    // A write that logged nothing (another tool on the file): the undo must not overwrite it.
    Connection::open(&d.path).unwrap().execute("UPDATE tickets SET priority = 'low' WHERE id = ?1", [t.id]).unwrap();
    let version = d.store.ticket(t.id).unwrap().version;
    let err = d.store.undo_last(t.id, "bob", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("#{}'s priority is no longer as ana left it (it is low now); nothing was undone", t.id)
    );
    assert_eq!(d.store.ticket(t.id).unwrap().version, version, "nothing written");
}

#[test]
fn the_consoles_undo_undoes_only_the_agents_own_change() {
    let d = desk();
    let t = ticket(&d.store, "Lamp");
    let bobs = change(&d.store, t.id, TicketChange { priority: Some(Priority::High), ..Default::default() }, "bob");
    let err = d.store.undo_own(t.id, "ana", bobs.version).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("the last change to #{} is bob's (priority normal → high), not yours; nothing was undone", t.id)
    );
    assert_eq!(d.store.ticket(t.id).unwrap().version, bobs.version, "nothing written");
    let undone = d.store.undo_own(t.id, "bob", bobs.version).unwrap();
    assert_eq!((undone.ticket.priority, undone.ticket.version), (Priority::Normal, bobs.version + 1));
}
