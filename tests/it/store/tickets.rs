//! The store on temporary database files: schema, pragmas, concurrency checks, events, paging.

use frontdesk::domain::{AssigneeFilter, PageCursor, TicketFilter};
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Role, Status, Ticket, TicketChange};
use frontdesk::store::{Store, StoreError};
use rusqlite::Connection;
use std::path::PathBuf;

struct TempDesk {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
}

/// A fresh database file with `ana` as its first admin.
fn desk() -> TempDesk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    assert!(store.register_first_admin("ana").unwrap());
    TempDesk { _dir: dir, path, store }
}

fn new_ticket(email: &str, subject: &str) -> NewTicket {
    NewTicket {
        customer_email: email.into(),
        customer_name: None,
        subject: subject.into(),
        body: "It broke.".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    }
}

fn open(store: &Store, email: &str) -> Ticket {
    store.create_ticket(&new_ticket(email, "Refund"), "ana").unwrap()
}

/// The (field, old, new) of every event on a ticket, in order.
fn events(store: &Store, id: i64) -> Vec<(String, Option<String>, Option<String>)> {
    store.ticket_detail(id).unwrap().events.into_iter().map(|e| (e.field, e.old, e.new)).collect()
}

fn user_version(path: &std::path::Path) -> i64 {
    Connection::open(path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

#[test]
fn migrations_set_user_version_and_reopening_changes_nothing() {
    let d = desk();
    let version = user_version(&d.path);
    assert!(version >= 1);
    open(&d.store, "carla@x.example");
    drop(d.store);
    let again = Store::open(&d.path).unwrap();
    assert_eq!(user_version(&d.path), version);
    assert_eq!(again.ticket(1).unwrap().subject, "Refund");
    assert!(!again.register_first_admin("bob").unwrap());
}

#[test]
fn a_newer_database_still_reads_but_refuses_writes() {
    let d = desk();
    open(&d.store, "carla@x.example");
    drop(d.store);
    Connection::open(&d.path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let store = Store::open(&d.path).unwrap();
    assert_eq!(store.ticket(1).unwrap().subject, "Refund");
    let err = store.create_ticket(&new_ticket("x@x.example", "New"), "ana").unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err:?}");
    assert!(err.to_string().contains("written by a newer frontdesk"), "{err}");
    assert!(err.to_string().contains("upgrade frontdesk"), "{err}");
}

#[test]
fn connections_use_wal_and_foreign_keys() {
    let d = desk();
    let mode: String =
        Connection::open(&d.path).unwrap().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let t = open(&d.store, "carla@x.example");
    // The message's author must be an agent: only an enforced foreign key refuses this.
    let err = d.store.add_message(t.id, MessageKind::Note, "ghost", "hi", None).unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn a_stale_version_is_a_conflict() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    let change = TicketChange { priority: Some(Priority::High), ..Default::default() };
    d.store.update_ticket(t.id, t.version, &change, "ana").unwrap();
    let stale = TicketChange { status: Some(Status::Solved), ..Default::default() };
    let err = d.store.update_ticket(t.id, t.version, &stale, "ana").unwrap_err();
    assert!(matches!(err, StoreError::Conflict { expected: 1, actual: 2, .. }), "{err:?}");
    let said = err.to_string();
    assert!(
        said.starts_with(&format!("ticket #{} changed since you last looked: priority normal → high by ana at ", t.id)),
        "{said}"
    );
    assert!(said.ends_with("; nothing was changed"), "{said}");
    let StoreError::Conflict { changes, .. } = err else { unreachable!() };
    assert_eq!(changes.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["priority"], "only the write since");
    let err = d.store.add_message(t.id, MessageKind::Reply, "ana", "hi", Some(t.version)).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(d.store.ticket(t.id).unwrap().status, Status::New, "nothing was written");
    assert_eq!(d.store.ticket_detail(t.id).unwrap().messages.len(), 1);
}

#[test]
fn every_change_writes_its_event() {
    let d = desk();
    d.store.add_agent("bob", None, Role::Agent).unwrap();
    let t = open(&d.store, "carla@x.example");
    let change = TicketChange {
        status: Some(Status::Pending),
        priority: Some(Priority::Urgent),
        assignee: Some(Some("bob".into())),
        add_tags: vec!["Refund".into()],
        remove_tags: vec![],
    };
    let t = d.store.update_ticket(t.id, t.version, &change, "ana").unwrap();
    let untag = TicketChange { remove_tags: vec!["refund".into()], assignee: Some(None), ..Default::default() };
    let t = d.store.update_ticket(t.id, t.version, &untag, "ana").unwrap();
    let reply = d.store.add_message(t.id, MessageKind::Reply, "bob", "On its way", Some(t.version)).unwrap();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        events(&d.store, t.id),
        [
            ("created".into(), None, s("Refund")),
            ("status".into(), s("new"), s("pending")),
            ("priority".into(), s("normal"), s("urgent")),
            ("assignee".into(), None, s("bob")),
            ("tag".into(), None, s("refund")),
            ("assignee".into(), s("bob"), None),
            ("tag".into(), s("refund"), None),
            ("reply".into(), None, Some(reply.id.to_string())),
        ]
    );
    let t = d.store.ticket(t.id).unwrap();
    assert_eq!(t.version, 4);
    assert!(t.first_response_at.is_some());
}

#[test]
fn an_unchanged_field_writes_no_event_and_holds_the_version() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    let same = TicketChange { priority: Some(Priority::Normal), ..Default::default() };
    let after = d.store.update_ticket(t.id, t.version, &same, "ana").unwrap();
    assert_eq!(after.version, t.version);
    assert_eq!(events(&d.store, t.id).len(), 1);
}

#[test]
fn keyset_paging_gives_every_ticket_once_in_order_despite_ties() {
    let d = desk();
    for n in 0..250 {
        d.store.create_ticket(&new_ticket(&format!("c{}@x.example", n % 20), &format!("T{n}")), "ana").unwrap();
    }
    // Equal update and waiting times everywhere: only the id can break the ties.
    let conn = Connection::open(&d.path).unwrap();
    conn.execute("UPDATE tickets SET updated_at = 1000, waiting_since = 1000", []).unwrap();
    let filter = TicketFilter::default();
    let paged = || {
        let mut seen = Vec::new();
        let mut cursor: Option<PageCursor> = None;
        loop {
            let page = d.store.list_page(&filter, cursor, 7).unwrap();
            let Some((_, last)) = page.last() else { break };
            cursor = Some(*last);
            seen.extend(page.iter().map(|(t, _)| t.id));
        }
        seen
    };
    assert_eq!(paged(), (1..=250).collect::<Vec<i64>>(), "all wait on us: the longest wait first");
    conn.execute("UPDATE tickets SET waiting_since = NULL", []).unwrap();
    assert_eq!(paged(), (1..=250).rev().collect::<Vec<i64>>(), "nobody waits: the most recently updated first");
    assert_eq!(d.store.count_tickets(&filter).unwrap(), 250);
}

#[test]
fn filters_select_by_status_assignee_tag_and_activity() {
    let d = desk();
    let ids: Vec<i64> = (0..4).map(|n| open(&d.store, &format!("c{n}@x.example")).id).collect();
    let set = |id: i64, change: TicketChange| {
        let v = d.store.ticket(id).unwrap().version;
        d.store.update_ticket(id, v, &change, "ana").unwrap();
    };
    set(ids[0], TicketChange { status: Some(Status::Solved), ..Default::default() });
    set(ids[1], TicketChange { assignee: Some(Some("ana".into())), ..Default::default() });
    set(ids[2], TicketChange { add_tags: vec!["vip".into()], ..Default::default() });
    let find = |filter: TicketFilter| {
        let mut found: Vec<i64> = d.store.list_tickets(&filter, None, 100).unwrap().iter().map(|t| t.id).collect();
        found.sort();
        assert_eq!(d.store.count_tickets(&filter).unwrap(), found.len() as u64);
        found
    };
    assert_eq!(find(TicketFilter { statuses: vec![Status::Solved], ..Default::default() }), [ids[0]]);
    assert_eq!(find(TicketFilter { active_only: true, ..Default::default() }), [ids[1], ids[2], ids[3]]);
    assert_eq!(find(TicketFilter { assignee: AssigneeFilter::Agent("ana".into()), ..Default::default() }), [ids[1]]);
    assert_eq!(find(TicketFilter { assignee: AssigneeFilter::Nobody, ..Default::default() }), [ids[0], ids[2], ids[3]]);
    assert_eq!(find(TicketFilter { tags: vec!["VIP".into()], ..Default::default() }), [ids[2]]);
}

#[test]
fn customer_emails_are_one_customer_in_any_case() {
    let d = desk();
    let first = open(&d.store, "Carla@X.example");
    let second = open(&d.store, "carla@x.example");
    assert_eq!(first.customer_id, second.customer_id);
    let carla = d.store.customer_by_email("CARLA@x.EXAMPLE").unwrap().unwrap();
    assert_eq!(carla.id, first.customer_id);
    assert_eq!(carla.emails, ["carla@x.example"]);
    assert_eq!(d.store.list_customers(0, 10).unwrap().len(), 1);
    assert_eq!(d.store.customer_tickets(carla.id, 10).unwrap().len(), 2);
}

#[test]
fn the_first_admin_is_registered_only_once() {
    let d = desk();
    assert!(!d.store.register_first_admin("bob").unwrap());
    let agents = d.store.agents().unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!((agents[0].login.as_str(), agents[0].role), ("ana", Role::Admin));
    assert!(matches!(d.store.add_agent("ana", None, Role::Agent), Err(StoreError::AgentExists(_))));
}

#[test]
fn drafts_are_saved_loaded_and_deleted() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    assert_eq!(d.store.draft(t.id, "ana").unwrap(), None);
    d.store.save_draft(t.id, "ana", MessageKind::Reply, "Hi Car").unwrap();
    d.store.save_draft(t.id, "ana", MessageKind::Reply, "Hi Carla").unwrap();
    let draft = d.store.draft(t.id, "ana").unwrap().unwrap();
    assert_eq!((draft.kind, draft.body.as_str()), (MessageKind::Reply, "Hi Carla"));
    d.store.delete_draft(t.id, "ana").unwrap();
    assert_eq!(d.store.draft(t.id, "ana").unwrap(), None);
}

#[test]
fn closed_tickets_refuse_status_changes() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    let close = TicketChange { status: Some(Status::Closed), ..Default::default() };
    let t = d.store.update_ticket(t.id, t.version, &close, "ana").unwrap();
    assert!(t.solved_at.is_some());
    let reopen = TicketChange { status: Some(Status::Open), ..Default::default() };
    let err = d.store.update_ticket(t.id, t.version, &reopen, "ana").unwrap_err();
    assert!(err.to_string().contains("is closed"), "{err}");
    assert_eq!(d.store.ticket(t.id).unwrap().status, Status::Closed);
}

#[test]
fn a_message_moves_a_ticket_by_its_kind() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    d.store.add_message(t.id, MessageKind::Note, "ana", "Checking the order", None).unwrap();
    assert_eq!(d.store.ticket(t.id).unwrap().status, Status::New, "a note opens nothing");
    d.store.add_message(t.id, MessageKind::Reply, "ana", "On it", None).unwrap();
    let replied = d.store.ticket(t.id).unwrap();
    assert_eq!(replied.status, Status::Open, "the first reply opens it");
    assert!(replied.first_response_at.is_some());
    for status in [Status::Pending, Status::Solved] {
        let version = d.store.ticket(t.id).unwrap().version;
        d.store
            .update_ticket(t.id, version, &TicketChange { status: Some(status), ..Default::default() }, "ana")
            .unwrap();
        d.store.add_message(t.id, MessageKind::Customer, "carla", "Any news?", None).unwrap();
        assert_eq!(
            d.store.ticket(t.id).unwrap().status,
            Status::Open,
            "the customer writing reopens a {status} ticket"
        );
    }
}

#[test]
fn a_customer_message_leaves_a_closed_ticket_closed() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    let close = TicketChange { status: Some(Status::Closed), ..Default::default() };
    d.store.update_ticket(t.id, t.version, &close, "ana").unwrap();
    d.store.add_message(t.id, MessageKind::Customer, "carla", "Thanks!", None).unwrap();
    assert_eq!(d.store.ticket(t.id).unwrap().status, Status::Closed);
}

#[test]
fn an_unknown_ticket_is_named() {
    let d = desk();
    let err = d.store.ticket(99999).unwrap_err();
    assert_eq!(err.to_string(), "ticket #99999 does not exist");
}

#[test]
fn every_sort_pages_without_gaps_or_repeats() {
    use frontdesk::domain::Sort;
    let d = desk();
    let priorities =
        [Priority::Low, Priority::Urgent, Priority::Normal, Priority::High, Priority::Urgent, Priority::Low];
    for (i, priority) in priorities.iter().cycle().take(23).enumerate() {
        let mut new = new_ticket(&format!("c{}@shop.example", i % 4), &format!("Ticket {i}"));
        new.priority = *priority;
        d.store.create_ticket(&new, "ana").unwrap();
    }
    for sort in [Sort::Updated, Sort::Created, Sort::Priority] {
        let filter = TicketFilter { sort, ..TicketFilter::default() };
        let all = d.store.list_tickets(&filter, None, 100).unwrap();
        assert_eq!(all.len(), 23);
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = d.store.list_tickets(&filter, after, 4).unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(PageCursor::after);
            paged.extend(page);
        }
        assert_eq!(paged.iter().map(|t| t.id).collect::<Vec<_>>(), all.iter().map(|t| t.id).collect::<Vec<_>>());
        if sort == Sort::Priority {
            assert!(all.windows(2).all(|w| w[0].priority >= w[1].priority), "most urgent first");
        }
        if sort == Sort::Created {
            assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        }
    }
}

#[test]
fn a_conversation_is_read_from_one_snapshot_while_another_agent_writes() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let desk = desk();
    let id = open(&desk.store, "ann@example.com").id;
    // Each note adds a message and a version: the two agree when read from one snapshot.
    let agree = |d: &frontdesk::domain::TicketDetail| d.ticket.version - d.messages.len() as i64;
    let base = agree(&desk.store.ticket_detail(id).unwrap());
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let bob = Store::open(&desk.path).unwrap();
            while !stop.load(Ordering::Relaxed) {
                bob.add_message(id, MessageKind::Note, "ana", "one more thing", None).unwrap();
            }
        });
        let torn = (0..300).map(|_| agree(&desk.store.ticket_detail(id).unwrap())).find(|a| *a != base);
        stop.store(true, Ordering::Relaxed);
        assert_eq!(torn, None, "the ticket and its conversation were read at different moments");
    });
    assert!(desk.store.ticket_detail(id).unwrap().messages.len() > 2, "the other agent wrote meanwhile");
    // And no snapshot is kept afterwards: a checkpoint that waits for every reader completes.
    let conn = Connection::open(&desk.path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(2)).unwrap();
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0)).unwrap();
    assert_eq!(busy, 0, "a read transaction was left open");
}

#[test]
fn the_bundled_sqlite_is_built_without_memory_statistics() {
    // `.cargo/config.toml` sets SQLITE_DEFAULT_MEMSTATUS=0: with the statistics on, every SQLite
    // allocation takes one lock for the whole process, and a console's threads (or the bench's
    // agents) queue on it; reads took twice as long with 8 threads on 2 cores.
    let desk = desk();
    let conn = Connection::open(&desk.path).unwrap();
    let mut stmt = conn.prepare("PRAGMA compile_options").unwrap();
    let options: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
}

#[test]
fn a_conversations_events_are_read_from_their_index_without_visiting_the_table() {
    let d = desk();
    let plan = d.store.conversation_plan().unwrap();
    assert!(
        plan.iter().any(|p| p.contains("COVERING INDEX events_by_ticket")),
        "a busy ticket's events are a few neighbouring pages of the index, not one table page each: {plan:?}"
    );
    assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "nothing is sorted by SQLite: {plan:?}");
}

#[test]
fn a_desk_of_schema_27_gets_its_events_in_ticket_order_and_keeps_them() {
    let d = desk();
    let t = open(&d.store, "carla@x.example");
    let change = TicketChange { priority: Some(Priority::High), ..TicketChange::default() };
    let t = d.store.update_ticket(t.id, t.version, &change, "ana").unwrap();
    d.store.add_message(t.id, MessageKind::Note, "ana", "Called her back.", Some(t.version)).unwrap();
    let before = events(&d.store, t.id);
    drop(d.store);
    let conn = Connection::open(&d.path).unwrap();
    conn.execute_batch(
        "DROP INDEX events_by_ticket; CREATE INDEX events_by_ticket ON events(ticket_id, id); PRAGMA user_version = 27;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&d.path).unwrap();
    assert_eq!(user_version(&d.path), 31);
    assert_eq!(events(&store, t.id), before);
    assert!(store.conversation_plan().unwrap().iter().any(|p| p.contains("COVERING INDEX events_by_ticket")));
}
