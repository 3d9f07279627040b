//! A reply that changes its ticket in the same write (with its mail, when mail is configured), and
//! one change applied to several tickets, each its own version-checked write.

use frontdesk::config::{MailConfig, OutboundConfig};
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Status, Ticket, TicketChange};
use frontdesk::mail::outbound::{Outbound, SendError};
use frontdesk::store::{Store, StoreError};

fn desk() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, store)
}

fn ticket(store: &Store, subject: &str) -> Ticket {
    let new = NewTicket {
        customer_email: "carla@shop.example".into(),
        customer_name: Some("Carla".into()),
        subject: subject.into(),
        body: "It broke.".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn solve() -> TicketChange {
    TicketChange { status: Some(Status::Solved), add_tags: vec!["refund".into()], ..TicketChange::default() }
}

/// Everything a write could have left on the ticket: its messages, events and version.
fn footprint(store: &Store, id: i64) -> (usize, usize, i64, Status) {
    let d = store.ticket_detail(id).unwrap();
    (d.messages.len(), d.events.len(), d.ticket.version, d.ticket.status)
}

#[test]
fn a_reply_that_solves_writes_the_message_the_status_and_their_events_at_once() {
    let (_dir, store) = desk();
    let t = ticket(&store, "Refund");
    let seen = store.last_message_id(t.id).unwrap().unwrap();
    let (message, after) =
        store.reply_and_change(t.id, MessageKind::Reply, "ana", "Refunded.", Some(seen), &solve()).unwrap();
    assert_eq!(message.kind, MessageKind::Reply);
    assert_eq!((after.status, after.tags.clone()), (Status::Solved, vec!["refund".to_string()]));
    assert_eq!(after.version, t.version + 1, "one write, one version");
    assert_eq!(after.waiting_since, None);
    assert!(after.first_response_at.is_some());
    let events = store.ticket_detail(t.id).unwrap().events;
    let fields: Vec<(&str, Option<&str>)> =
        events.iter().skip(1).map(|e| (e.field.as_str(), e.new.as_deref())).collect();
    let id = message.id.to_string();
    let want = vec![
        ("reply", Some(id.as_str())),
        ("status", Some("open")),
        ("status", Some("solved")),
        ("tag", Some("refund")),
    ];
    assert_eq!(fields, want);
    assert!(events.iter().skip(1).all(|e| e.created_at == events[1].created_at), "logged as one write");
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn a_newer_message_stops_the_reply_and_its_change() {
    let (_dir, store) = desk();
    let t = ticket(&store, "Refund");
    let seen = store.last_message_id(t.id).unwrap().unwrap();
    store.add_message(t.id, MessageKind::Customer, "carla", "Also, the box was wet.", None).unwrap();
    let before = footprint(&store, t.id);
    let err = store.reply_and_change(t.id, MessageKind::Reply, "ana", "Refunded.", Some(seen), &solve()).unwrap_err();
    assert!(matches!(err, StoreError::NewerMessages { .. }), "{err:?}");
    assert_eq!(footprint(&store, t.id), before, "nothing written");
}

#[test]
fn a_change_that_cannot_be_made_stops_the_reply_too() {
    let (_dir, store) = desk();
    let t = ticket(&store, "Refund");
    let to_nobody = TicketChange { assignee: Some(Some("nobody-here".into())), ..TicketChange::default() };
    let before = footprint(&store, t.id);
    assert!(store.reply_and_change(t.id, MessageKind::Reply, "ana", "Hi", None, &to_nobody).is_err());
    assert_eq!(footprint(&store, t.id), before, "no reply without its change");
    let closed = store
        .update_ticket(t.id, t.version, &TicketChange { status: Some(Status::Closed), ..Default::default() }, "ana")
        .unwrap();
    let before = footprint(&store, t.id);
    let reopen = TicketChange { status: Some(Status::Open), ..TicketChange::default() };
    let err = store.reply_and_change(closed.id, MessageKind::Note, "ana", "Hi", None, &reopen).unwrap_err();
    assert!(err.to_string().contains("closed tickets stay closed"), "{err}");
    assert_eq!(footprint(&store, t.id), before);
    assert!(store.reply_and_change(t.id, MessageKind::Reply, "ana", "  ", None, &solve()).is_err(), "empty");
}

fn mailing(dir: &std::path::Path) -> MailConfig {
    MailConfig {
        address: "support@desk.example".into(),
        name: "Desk Support".into(),
        outbound: Some(OutboundConfig {
            maildir: dir.join("outbox").display().to_string(),
            ..OutboundConfig::default()
        }),
        ..MailConfig::default()
    }
}

#[test]
fn a_mailed_reply_queues_its_mail_and_changes_its_ticket_in_one_write() {
    let (dir, store) = desk();
    let config = mailing(dir.path());
    let outbound = Outbound::from_config(Some(&config), dir.path()).unwrap();
    let agent = store.agent("ana").unwrap().unwrap();
    let t = ticket(&store, "Refund");
    let pending = TicketChange { status: Some(Status::Pending), ..TicketChange::default() };
    let (message, after, queued) =
        outbound.queue_reply(&store, &agent, t.id, "Which order?", None, Some(&pending)).unwrap();
    assert_eq!((after.status, after.version), (Status::Pending, t.version + 1));
    let outbox = store.outbox(false).unwrap();
    assert_eq!((outbox.len(), outbox[0].message_id, outbox[0].id), (1, message.id, queued.outbox));

    // The customer wrote meanwhile: no reply, no mail, no change.
    let seen = store.last_message_id(t.id).unwrap().unwrap();
    store.add_message(t.id, MessageKind::Customer, "carla", "48213", None).unwrap();
    let before = footprint(&store, t.id);
    let err = outbound.send_reply(&store, &agent, t.id, "Solved!", Some(seen), Some(&solve())).unwrap_err();
    assert!(matches!(err, SendError::Store(StoreError::NewerMessages { .. })), "{err:?}");
    assert_eq!(footprint(&store, t.id), before);
    assert_eq!(store.outbox(true).unwrap().len(), 1, "no second mail queued");

    let (_, solved, delivered) = outbound.send_reply(&store, &agent, t.id, "Solved!", None, Some(&solve())).unwrap();
    assert_eq!((solved.status, delivered), (Status::Solved, Ok(())));
}

#[test]
fn one_change_for_many_tickets_reports_each_and_stops_at_none() {
    let (_dir, store) = desk();
    let a = ticket(&store, "A");
    let b = ticket(&store, "B");
    let c = ticket(&store, "C");
    store.add_message(b.id, MessageKind::Customer, "carla", "More", None).unwrap(); // b changed since read
    let outcomes = store
        .update_tickets(&[(a.id, a.version), (b.id, b.version), (999, 1), (c.id, c.version)], &solve(), "ana")
        .unwrap();
    let ids: Vec<i64> = outcomes.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, vec![a.id, b.id, 999, c.id], "in the order given");
    assert_eq!(outcomes[0].1.as_ref().unwrap().status, Status::Solved);
    assert!(matches!(outcomes[1].1, Err(StoreError::Conflict { .. })), "{:?}", outcomes[1].1);
    assert!(matches!(outcomes[2].1, Err(StoreError::TicketNotFound(999))));
    assert_eq!(outcomes[3].1.as_ref().unwrap().status, Status::Solved);
    assert_eq!(store.ticket(b.id).unwrap().status, Status::New, "the changed one is left as it is");
    assert!(store.update_tickets(&[(a.id, 1)], &TicketChange::default(), "ana").is_err(), "nothing to change");
}
