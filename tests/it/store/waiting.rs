//! Who waits on us: `waiting_since` kept by every write, the Needs reply list and its figures, the
//! migration that fills it for an existing desk, and the due order with the waiting first.

use chrono::{Duration, TimeZone, Utc};
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Status, Ticket, TicketChange, TicketFilter};
use frontdesk::store::Store;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn desk() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, path, store)
}

fn ticket(store: &Store, email: &str, body: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: None,
        subject: "Refund".into(),
        body: body.into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn write(store: &Store, id: i64, kind: MessageKind, body: &str) -> Ticket {
    store.add_message(id, kind, "ana", body, None).unwrap();
    store.ticket(id).unwrap()
}

fn set_status(store: &Store, id: i64, status: Status) -> Ticket {
    let version = store.ticket(id).unwrap().version;
    let change = TicketChange { status: Some(status), ..TicketChange::default() };
    store.update_ticket(id, version, &change, "ana").unwrap()
}

fn needs_reply() -> TicketFilter {
    TicketFilter { needs_reply: true, ..TicketFilter::default() }
}

fn ids(tickets: &[Ticket]) -> Vec<i64> {
    tickets.iter().map(|t| t.id).collect()
}

/// The stored column, whatever the status: what the migration and the writes keep.
fn stored_waits(path: &Path) -> Vec<(i64, Option<i64>)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT id, waiting_since FROM tickets ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// Take the desk back to the schema before `waiting_since` (schema 6), as a desk of that release
/// has it: without the later audit log either.
fn forget_waits(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER ticket_counts_on_insert; DROP TRIGGER ticket_counts_on_update;
         DROP TRIGGER ticket_counts_on_delete; DROP TRIGGER tag_counts_on_insert;
         DROP TRIGGER tag_counts_on_delete; DROP TRIGGER tag_counts_on_update;
         DROP INDEX tickets_by_waiting; DROP INDEX tickets_by_due; DROP INDEX tickets_by_warn;
         ALTER TABLE tickets DROP COLUMN waiting_since;
         CREATE INDEX tickets_by_due ON tickets(due_at, id) WHERE due_at IS NOT NULL;
         DROP TABLE audit;",
    )
    .unwrap();
    // `waiting_since` came with the seventh migration; the later ones run again.
    conn.pragma_update(None, "user_version", 6).unwrap();
}

#[test]
fn the_customer_writing_starts_the_wait_and_our_reply_ends_it() {
    let (_dir, _path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "It broke.");
    let since = t.waiting_since.expect("the first message starts the wait");
    assert_eq!(since, store.ticket_detail(t.id).unwrap().messages[0].created_at);
    assert_eq!(write(&store, t.id, MessageKind::Note, "checking").waiting_since, Some(since), "a note is no answer");
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert_eq!(write(&store, t.id, MessageKind::Customer, "Hello?").waiting_since, Some(since), "still the first");
    assert_eq!(write(&store, t.id, MessageKind::Reply, "On it.").waiting_since, None);
    let again = write(&store, t.id, MessageKind::Customer, "Thanks, and one more thing");
    assert!(again.waiting_since.is_some_and(|s| s > since), "a new wait starts");
    assert_eq!(ticket(&store, "otto@shop.example", "").waiting_since, None, "no message, nobody waits");
}

#[test]
fn pending_and_solved_end_the_wait_on_hold_and_snoozed_hide_it() {
    let (_dir, path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "It broke.");
    let since = t.waiting_since.unwrap();
    assert_eq!(set_status(&store, t.id, Status::OnHold).waiting_since, None, "a third party has it");
    assert_eq!(stored_waits(&path)[0].1, Some(since.timestamp_millis()), "kept for when it comes back");
    assert_eq!(set_status(&store, t.id, Status::Open).waiting_since, Some(since));
    store.snooze_ticket(t.id, Utc::now() + Duration::hours(1), "ana").unwrap();
    assert_eq!(store.ticket(t.id).unwrap().waiting_since, None, "snoozed");
    assert_eq!(store.count_tickets(&needs_reply()).unwrap(), 0);
    assert_eq!(set_status(&store, t.id, Status::Pending).waiting_since, None);
    assert_eq!(stored_waits(&path)[0].1, None, "setting it pending ended the wait");
    // The customer answers: the ticket opens and the new wait starts now, not at the first message.
    let answered = write(&store, t.id, MessageKind::Customer, "Here is the photo");
    assert_eq!(answered.status, Status::Open);
    assert!(answered.waiting_since.is_some_and(|s| s > since));
    set_status(&store, t.id, Status::Solved);
    assert_eq!(set_status(&store, t.id, Status::Open).waiting_since, None, "reopened by hand: nobody wrote");
}

#[test]
fn the_needs_reply_list_and_its_summary_count_only_who_waits_on_us() {
    let (_dir, _path, store) = desk();
    let oldest = ticket(&store, "a@shop.example", "First");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let newer = ticket(&store, "b@shop.example", "Second");
    let answered = ticket(&store, "c@shop.example", "Third");
    write(&store, answered.id, MessageKind::Reply, "Done.");
    let pending = ticket(&store, "d@shop.example", "Fourth");
    set_status(&store, pending.id, Status::Pending);
    let snoozed = ticket(&store, "e@shop.example", "Fifth");
    store.snooze_ticket(snoozed.id, Utc::now() + Duration::hours(2), "ana").unwrap();
    ticket(&store, "f@shop.example", "");

    assert_eq!(ids(&store.list_tickets(&needs_reply(), None, 50).unwrap()), vec![oldest.id, newer.id], "oldest first");
    assert_eq!(store.count_tickets(&needs_reply()).unwrap(), 2);
    assert_eq!(store.needs_reply_summary().unwrap(), (2, oldest.waiting_since));
    let mine = TicketFilter { assignee: frontdesk::domain::AssigneeFilter::Agent("ana".into()), ..needs_reply() };
    assert_eq!(store.count_tickets(&mine).unwrap(), 0);
    for sort in [frontdesk::domain::Sort::Updated, frontdesk::domain::Sort::Created] {
        let mut listed = ids(&store.list_tickets(&TicketFilter { sort, ..needs_reply() }, None, 50).unwrap());
        listed.sort();
        assert_eq!(listed, vec![oldest.id, newer.id], "{sort:?}");
    }
    write(&store, oldest.id, MessageKind::Reply, "Sorry for the wait.");
    assert_eq!(store.needs_reply_summary().unwrap(), (1, newer.waiting_since));
}

#[test]
fn mail_starts_the_wait_at_its_date_and_an_auto_reply_does_not() {
    use crate::support::mail::{mail, Desk};
    let desk = Desk::new();
    desk.store.register_first_admin("ana").unwrap();
    let first = mail(
        &[
            ("From", "Carla <carla@shop.example>"),
            ("Subject", "Broken lamp"),
            ("Message-ID", "<c1@shop.example>"),
            ("Date", "Mon, 02 Mar 2026 09:12:00 +0000"),
        ],
        "It arrived broken.",
    );
    let ticket = crate::support::mail::ticket_of(&desk.import(&first));
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 12, 0).unwrap();
    assert_eq!(desk.store.ticket(ticket).unwrap().waiting_since, Some(at));
    desk.store.add_message(ticket, MessageKind::Reply, "ana", "Sorry!", None).unwrap();
    let auto = mail(
        &[
            ("From", "carla@shop.example"),
            ("Subject", "Out of office"),
            ("In-Reply-To", "<c1@shop.example>"),
            ("Message-ID", "<auto@shop.example>"),
            ("Auto-Submitted", "auto-replied"),
        ],
        "I am away.",
    );
    desk.import(&auto);
    assert_eq!(desk.store.ticket(ticket).unwrap().waiting_since, None, "a machine waits on nobody");
    let again = mail(
        &[
            ("From", "carla@shop.example"),
            ("Subject", "Re: Broken lamp"),
            ("In-Reply-To", "<c1@shop.example>"),
            ("Message-ID", "<c2@shop.example>"),
            ("Date", "Tue, 03 Mar 2026 10:00:00 +0000"),
        ],
        "Any news?",
    );
    desk.import(&again);
    let at = Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
    assert_eq!(desk.store.ticket(ticket).unwrap().waiting_since, Some(at));
}

#[test]
fn a_merged_ticket_waits_since_the_older_wait() {
    let (_dir, path, store) = desk();
    let older = ticket(&store, "carla@shop.example", "Where is my refund?");
    write(&store, older.id, MessageKind::Reply, "Looking.");
    let into = ticket(&store, "carla@shop.example", "Refund again");
    let source_wait = write(&store, older.id, MessageKind::Customer, "Any news?").waiting_since;
    // Only the source waits, since after the target's message: the merged ticket waits since then.
    write(&store, into.id, MessageKind::Reply, "Answered.");
    let merged = store.merge_tickets(older.id, into.id, "ana").unwrap();
    assert_eq!(merged.waiting_since, source_wait);
    assert_eq!(stored_waits(&path)[0], (older.id, None), "the closed source waits no more");
}

#[test]
fn the_migration_fills_the_wait_from_each_tickets_messages() {
    let (_dir, path, store) = desk();
    let waiting = ticket(&store, "a@shop.example", "First");
    write(&store, waiting.id, MessageKind::Note, "internal");
    let answered = ticket(&store, "b@shop.example", "Second");
    write(&store, answered.id, MessageKind::Reply, "Done.");
    let asked_again = ticket(&store, "c@shop.example", "Third");
    write(&store, asked_again.id, MessageKind::Reply, "Which order?");
    std::thread::sleep(std::time::Duration::from_millis(5));
    write(&store, asked_again.id, MessageKind::Customer, "48213");
    write(&store, asked_again.id, MessageKind::Customer, "Did you see it?");
    let on_hold = ticket(&store, "d@shop.example", "Fourth");
    set_status(&store, on_hold.id, Status::OnHold);
    let solved = ticket(&store, "e@shop.example", "Fifth");
    set_status(&store, solved.id, Status::Solved);
    let kept = stored_waits(&path);
    assert_eq!(kept.iter().filter(|(_, w)| w.is_some()).count(), 3, "{kept:?}");
    drop(store);

    forget_waits(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(stored_waits(&path), kept, "the migration agrees with the writes");
    assert_eq!(ids(&store.list_tickets(&needs_reply(), None, 50).unwrap()), vec![waiting.id, asked_again.id]);
}

#[test]
fn the_demo_desk_keeps_the_waits_its_migration_would_fill() {
    use frontdesk::demo::{generate, DemoOptions, DEMO_SEED};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let store = Store::open(&path).unwrap();
    let options = DemoOptions {
        tickets: 400,
        seed: DEMO_SEED,
        now: Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
        agents: vec!["ana".into()],
    };
    generate(&store, &options, &mut |_| {}).unwrap();
    let written = stored_waits(&path);
    let waiting = written.iter().filter(|(_, w)| w.is_some()).count();
    assert!(waiting > 20, "the demo has customers waiting: {waiting}");
    assert_eq!(store.needs_reply_summary().unwrap().0 as usize, store.count_tickets(&needs_reply()).unwrap() as usize);
    drop(store);
    forget_waits(&path);
    Store::open(&path).unwrap();
    assert_eq!(stored_waits(&path), written);
}

#[test]
fn in_due_order_the_waiting_come_first_within_each_clock_state() {
    let (_dir, _path, store) = desk();
    let quiet = ticket(&store, "a@shop.example", "");
    let first = ticket(&store, "b@shop.example", "First");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let second = ticket(&store, "c@shop.example", "Second");
    let answered = ticket(&store, "d@shop.example", "Third");
    write(&store, answered.id, MessageKind::Reply, "Done.");
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    // No SLA policy: the waiting, longest first, then the rest, most recently updated first.
    let want = vec![first.id, second.id, answered.id, quiet.id];
    for size in [1, 2, 3, 50] {
        assert_eq!(pages(&store, &filter, size), want, "pages of {size}");
    }
    assert_eq!(pages(&store, &TicketFilter { needs_reply: true, ..filter.clone() }, 1), vec![first.id, second.id]);
}

#[test]
fn breached_tickets_waiting_on_us_come_before_the_other_breached() {
    use frontdesk::domain::sla::{Hours, Policies, Policy, Targets};
    let (_dir, _path, store) = desk();
    let urgent = |email: &str, body: &str| {
        let t = ticket(&store, email, body);
        let change = TicketChange { priority: Some(Priority::Urgent), ..TicketChange::default() };
        store.update_ticket(t.id, t.version, &change, "ana").unwrap()
    };
    // Breached on resolution only, answered: not waiting. Then two waiting, breached on their
    // first response.
    let answered = urgent("a@shop.example", "Down");
    write(&store, answered.id, MessageKind::Reply, "Looking.");
    let waits_long = urgent("b@shop.example", "Down too");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let waits = urgent("c@shop.example", "Down as well");
    let calm = ticket(&store, "d@shop.example", "A question");
    let targets = Targets { first_response: Some(1), next_response: None, resolution: Some(1) };
    let policies =
        Policies { policies: vec![Policy { priority: Priority::Urgent, tier: None, targets, hours: Hours::Calendar }] };
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    while store.refresh_due(&policies, 100, true).unwrap() > 0 {}
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    let want = vec![waits_long.id, waits.id, answered.id, calm.id];
    for size in [1, 2, 50] {
        assert_eq!(pages(&store, &filter, size), want, "pages of {size}");
    }
    assert_eq!(store.count_overdue(&filter).unwrap(), 3);
}

/// Every page of a list by due time, each page starting where the last one ended.
fn pages(store: &Store, filter: &TicketFilter, size: usize) -> Vec<i64> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_page(filter, after, size).unwrap();
        let Some((_, cursor)) = page.last() else { return out };
        after = Some(*cursor);
        out.extend(page.iter().map(|(t, _)| t.id));
    }
}

#[test]
fn the_customer_writing_on_a_closed_ticket_starts_no_wait_on_it() {
    let (_dir, path, store) = desk();
    let t = ticket(&store, "carla@shop.example", "It broke.");
    set_status(&store, t.id, Status::Closed);
    let after = write(&store, t.id, MessageKind::Customer, "Hello again");
    assert_eq!((after.status, after.waiting_since), (Status::Closed, None));
    assert_eq!(stored_waits(&path)[0].1, None);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}
