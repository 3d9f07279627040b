//! The store's writes checked against what the writer saw: a version for tickets, what a list
//! showed for customers; and stale pending tickets by owner.

use chrono::{Duration, Utc};
use frontdesk::domain::satisfaction::Csat;
use frontdesk::domain::*;
use frontdesk::store::{Store, StoreError};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("bob", None, Role::Agent).unwrap();
    (dir, store)
}

fn ticket(store: &Store, email: &str, subject: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some("Carla Núñez".into()),
        subject: subject.into(),
        body: "Help".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

/// Another writer makes the ticket urgent; returns it as it is after.
fn made_urgent(store: &Store, t: &Ticket) -> Ticket {
    let urgent = TicketChange { priority: Some(Priority::Urgent), ..Default::default() };
    store.update_ticket(t.id, t.version, &urgent, "bob").unwrap()
}

fn is_conflict(result: Result<impl std::fmt::Debug, StoreError>, id: i64) {
    match result {
        Err(e @ StoreError::Conflict { .. }) => {
            assert!(e.to_string().starts_with(&format!("ticket #{id} changed since you last looked: priority")), "{e}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn a_claim_at_an_old_version_is_refused_and_an_owner_who_moved_is_named() {
    let (_dir, store) = store();
    let seen = ticket(&store, "carla@shop.example", "Lamp");
    made_urgent(&store, &seen);
    is_conflict(store.claim_ticket_seen(seen.id, "ana", None, Some(seen.version)), seen.id);
    assert_eq!(store.ticket(seen.id).unwrap().assignee, None);
    let now = store.ticket(seen.id).unwrap();
    store.claim_ticket_seen(seen.id, "bob", None, Some(now.version)).unwrap();
    let taken = store.claim_ticket_seen(seen.id, "ana", None, Some(now.version)).unwrap_err();
    assert_eq!(taken.to_string(), format!("ticket #{} was just taken by bob; nothing was changed", seen.id));
}

#[test]
fn a_snooze_and_a_rating_at_an_old_version_are_refused() {
    let (_dir, store) = store();
    let seen = ticket(&store, "carla@shop.example", "Lamp");
    made_urgent(&store, &seen);
    is_conflict(store.snooze_ticket_seen(seen.id, Some(seen.version), Utc::now() + Duration::hours(1), "ana"), seen.id);
    assert!(store.snoozes(&[store.ticket(seen.id).unwrap()]).unwrap().is_empty());
    let solved = TicketChange { status: Some(Status::Solved), ..Default::default() };
    let now = store.change_ticket(seen.id, &solved, "bob").unwrap().1;
    let tag = TicketChange { add_tags: vec!["lamp".into()], ..Default::default() };
    let stale = store.change_ticket(seen.id, &tag, "bob").unwrap().1;
    assert_ne!(stale.version, now.version);
    let err = store.rate_ticket_seen(seen.id, Some(now.version), Csat::Good, "", "ana").unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(store.customer_ratings(seen.customer_id).unwrap().is_empty());
    store.rate_ticket_seen(seen.id, Some(stale.version), Csat::Good, "", "ana").unwrap();
}

#[test]
fn a_ticket_merge_checks_both_versions() {
    let (_dir, store) = store();
    let from = ticket(&store, "carla@shop.example", "Refund");
    let into = ticket(&store, "carla@shop.example", "Refund please");
    let into_now = made_urgent(&store, &into);
    is_conflict(store.merge_tickets_seen(from.id, into.id, Some((from.version, into.version)), "ana"), into.id);
    let from_now = made_urgent(&store, &from);
    is_conflict(store.merge_tickets_seen(from.id, into.id, Some((from.version, into_now.version)), "ana"), from.id);
    assert_eq!(store.ticket(from.id).unwrap().status, Status::New, "nothing merged");
    store.merge_tickets_seen(from.id, into.id, Some((from_now.version, into_now.version)), "ana").unwrap();
    assert_eq!(store.ticket(from.id).unwrap().status, Status::Closed);
}

#[test]
fn a_customer_merge_checks_what_the_list_showed_of_both() {
    let (_dir, store) = store();
    let work = ticket(&store, "carla@work.example", "Invoice");
    let home = ticket(&store, "carla@home.example", "Lamp");
    let (from, into) =
        (store.customer_summary(home.customer_id).unwrap(), store.customer_summary(work.customer_id).unwrap());
    ticket(&store, "carla@home.example", "Lamp again");
    let err = store.merge_customers_seen(from.id, into.id, Some((&from, &into)), "ana").unwrap_err();
    assert_eq!(
        err.to_string(),
        "customer Carla Núñez changed while you were looking: 2 tickets now, 1 shown; nothing was merged"
    );
    assert!(store.customer(from.id).is_ok(), "nothing merged");
    let from = store.customer_summary(home.customer_id).unwrap();
    store.merge_customers_seen(from.id, into.id, Some((&from, &into)), "ana").unwrap();
    assert!(store.customer(from.id).is_err(), "merged away");
    let err = store.merge_customers_seen(from.id, into.id, Some((&from, &into)), "ana").unwrap_err();
    assert!(err.to_string().contains("changed while you were looking: merged or deleted"), "{err}");
}

#[test]
fn stale_pending_tickets_are_counted_and_solved_by_owner() {
    let (_dir, store) = store();
    let pending = |owner: Option<&str>| {
        let t = ticket(&store, "carla@shop.example", "Which size?");
        let change = TicketChange {
            status: Some(Status::Pending),
            assignee: Some(owner.map(String::from)),
            ..Default::default()
        };
        store.update_ticket(t.id, t.version, &change, "ana").unwrap()
    };
    let (mine, bobs, nobodys) = (pending(Some("ana")), pending(Some("bob")), pending(None));
    pending(Some("bob"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    let before = Utc::now();
    assert_eq!(store.count_stale_pending(before, Some("ana")).unwrap(), 1);
    assert_eq!(store.count_stale_pending(before, None).unwrap(), 4);
    let owners = store.stale_pending_owners(before).unwrap();
    assert_eq!(owners, vec![(Some("bob".to_string()), 2), (Some("ana".to_string()), 1), (None, 1)]);
    let solved: Vec<i64> =
        store.solve_stale_pending(before, Some("ana"), "ana").unwrap().iter().map(|t| t.id).collect();
    assert_eq!(solved, vec![mine.id], "only ana's");
    assert_eq!(store.ticket(bobs.id).unwrap().status, Status::Pending);
    assert_eq!(store.ticket(nobodys.id).unwrap().status, Status::Pending);
    assert_eq!(store.solve_stale_pending(before, None, "ana").unwrap().len(), 3, "everyone's");
}

#[test]
fn a_message_that_changes_the_ticket_is_checked_against_the_version_seen_and_one_that_does_not_is_not() {
    let (_dir, store) = store();
    let t = ticket(&store, "carla@shop.example", "Refund");
    made_urgent(&store, &t);
    let solve = TicketChange { status: Some(Status::Solved), ..Default::default() };
    let stale = SeenTicket { last_message: None, version: Some(t.version) };
    is_conflict(store.reply_and_change(t.id, MessageKind::Reply, "ana", "Done", stale, &solve), t.id);
    let kept = store.ticket_detail(t.id).unwrap();
    assert_eq!((kept.ticket.status, kept.messages.len()), (Status::New, 1), "neither the reply nor the status");
    // The same reply without a change does not depend on the version: it goes through.
    let (_, after) =
        store.reply_and_change(t.id, MessageKind::Reply, "ana", "Done", stale, &TicketChange::default()).unwrap();
    assert_eq!(store.ticket_detail(after.id).unwrap().messages.len(), 2);
}
