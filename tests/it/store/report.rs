//! What a report reads from the store: the tickets its periods can count (recent changes, and
//! every ticket not solved now), their timelines, ratings; on a real database file.

use chrono::{Duration, Utc};
use frontdesk::domain::report::{Builder, Figure, Period, Report, Request, Rules};
use frontdesk::domain::satisfaction::Csat;
use frontdesk::domain::sla::{Hours, Policies};
use frontdesk::domain::when::Zone;
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Status, Ticket, TicketChange};
use frontdesk::store::Store;
use rusqlite::Connection;
use std::path::PathBuf;

fn desk() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, path, store)
}

fn ticket(store: &Store, email: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: None,
        subject: "Refund".into(),
        body: "It broke".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec!["refund".into()],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn set_status(store: &Store, id: i64, status: Status) {
    let version = store.ticket(id).unwrap().version;
    let change = TicketChange { status: Some(status), ..TicketChange::default() };
    store.update_ticket(id, version, &change, "ana").unwrap();
}

/// The last 30 days' report, in calendar hours without SLA policies.
fn report(store: &Store, by: Option<frontdesk::domain::report::Dimension>) -> Report {
    let now = Utc::now() + Duration::seconds(1);
    let period = Period { since: now - Duration::days(30), until: now };
    let request = Request { period, compare: true, by, series: None, zone: Zone::default() };
    let (policies, hours) = (Policies::default(), Hours::Calendar);
    let mut builder = Builder::new(request, Rules { policies: &policies, default_hours: &hours, now });
    store.read_report(&mut builder).unwrap();
    builder.finish("calendar hours".into())
}

fn value(report: &Report, figure: Figure) -> Option<f64> {
    report.row(figure).value
}

/// Move a ticket and its history `days` into the past.
fn backdate(path: &PathBuf, id: i64, days: i64) {
    let ms = days * 86_400_000;
    let conn = Connection::open(path).unwrap();
    conn.execute(
        "UPDATE tickets SET created_at = created_at - ?1, updated_at = updated_at - ?1 WHERE id = ?2",
        [ms, id],
    )
    .unwrap();
    // Events are append-only: the trigger is set aside for the test's time travel only.
    conn.execute_batch("DROP TRIGGER IF EXISTS events_are_append_only").unwrap();
    conn.execute("UPDATE events SET created_at = created_at - ?1 WHERE ticket_id = ?2", [ms, id]).unwrap();
}

#[test]
fn a_months_work_is_counted_from_the_tickets_histories() {
    let (_dir, _path, store) = desk();
    let solved = ticket(&store, "carla@example.com");
    store.add_message(solved.id, MessageKind::Reply, "ana", "Refund on its way", None).unwrap();
    set_status(&store, solved.id, Status::Solved);
    store.rate_ticket(solved.id, Csat::Bad, "Too slow", "carla@example.com").unwrap();
    let open = ticket(&store, "hiro@example.com");
    let r = report(&store, None);
    assert_eq!(value(&r, Figure::New), Some(2.0));
    assert_eq!(value(&r, Figure::Solved), Some(1.0));
    assert_eq!(value(&r, Figure::Backlog), Some(1.0));
    assert_eq!(value(&r, Figure::BacklogUnderDay), Some(1.0));
    assert_eq!(r.row(Figure::Backlog).behind, vec![open.id]);
    assert_eq!(value(&r, Figure::OneTouch), Some(100.0));
    assert_eq!(value(&r, Figure::Csat), Some(0.0));
    assert_eq!(r.bad_ratings.len(), 1);
    assert_eq!(r.bad_ratings[0].comment, "Too slow");
    assert!(value(&r, Figure::FirstResponseMedian).is_some_and(|s| s < 60.0));
    // Nothing happened in the period before: counts are 0, times and shares have no value.
    assert_eq!(r.row(Figure::New).previous, Some(0.0));
    assert_eq!(r.row(Figure::ResolutionMedian).previous, None);
    assert_eq!(r.row(Figure::Csat).previous, None);
}

#[test]
fn old_tickets_count_only_where_they_still_are() {
    let (_dir, path, store) = desk();
    let long_solved = ticket(&store, "old@example.com");
    set_status(&store, long_solved.id, Status::Solved);
    let long_open = ticket(&store, "waiting@example.com");
    let recent = ticket(&store, "new@example.com");
    backdate(&path, long_solved.id, 100);
    backdate(&path, long_open.id, 100);
    let store = Store::open(&path).unwrap();
    let r = report(&store, None);
    assert_eq!(r.row(Figure::New).behind, vec![recent.id], "only the recent ticket is new");
    assert_eq!(value(&r, Figure::Solved), Some(0.0), "the old solve is not this month's");
    assert_eq!(r.row(Figure::BacklogOld).behind, vec![long_open.id], "the old open ticket is in the backlog");
    assert_eq!(r.row(Figure::Backlog).previous, Some(1.0), "and was at the end of the month before");
}

#[test]
fn by_tag_counts_a_ticket_under_each_of_its_tags() {
    let (_dir, _path, store) = desk();
    let t = ticket(&store, "carla@example.com");
    let version = store.ticket(t.id).unwrap().version;
    let change = TicketChange { add_tags: vec!["vip".into()], ..TicketChange::default() };
    store.update_ticket(t.id, version, &change, "ana").unwrap();
    ticket(&store, "hiro@example.com");
    let r = report(&store, Some(frontdesk::domain::report::Dimension::Tag));
    let keys: Vec<&str> = r.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(keys, ["refund", "vip"]);
    let new = |key: &str| r.groups.iter().find(|g| g.key == key).unwrap().figures[0].value;
    assert_eq!((new("refund"), new("vip")), (Some(2.0), Some(1.0)));
}

#[test]
fn by_mailbox_counts_each_ticket_under_the_mailbox_it_came_in_by() {
    let (_dir, _path, store) = desk();
    let sales = [ticket(&store, "carla@example.com"), ticket(&store, "hiro@example.com")];
    let support = ticket(&store, "ines@example.com");
    ticket(&store, "li@example.com");
    for t in &sales {
        store.note_mailbox(t.id, "sales").unwrap();
    }
    store.note_mailbox(support.id, "support").unwrap();
    // A ticket keeps the first mailbox it was noted with.
    store.note_mailbox(support.id, "sales").unwrap();
    assert_eq!(store.ticket_mailbox(support.id).unwrap().as_deref(), Some("support"));
    let r = report(&store, Some(frontdesk::domain::report::Dimension::Mailbox));
    let new = |key: &str| r.groups.iter().find(|g| g.key == key).map(|g| g.figures[0].value);
    assert_eq!((new("sales"), new("support"), new("no mailbox")), (Some(Some(2.0)), Some(Some(1.0)), Some(Some(1.0))));
}

#[test]
fn a_reports_clock_events_are_read_from_their_covering_index_alone() {
    let (_dir, path, _store) = desk();
    let conn = Connection::open(&path).unwrap();
    // The report's and the SLA clocks' read of a chunk of tickets' events.
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT ticket_id, field, new, created_at FROM events
             WHERE ticket_id IN (1, 2, 3) AND (field = 'status' OR field = 'reply' OR field = 'customer') ORDER BY ticket_id, id",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        plan.iter().any(|p| p.contains("COVERING INDEX events_clock_by_ticket")),
        "the events are read from the index, not the table: {plan:?}"
    );
    assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "no sort of its own: {plan:?}");
}

#[test]
fn a_reports_kept_rows_and_ratings_are_ranges_of_their_indexes_not_whole_tables() {
    let (_dir, _path, store) = desk();
    let plans = store.report_plans().unwrap();
    let [kept, nps, csat] = plans.as_slice() else { panic!("three reads: {plans:?}") };
    assert!(
        kept.iter().any(|p| p.contains("COVERING INDEX report_facts_by_time (last_at>?)")),
        "the kept rows since the period's start, from their index alone: {kept:?}"
    );
    for plan in [nps, csat] {
        assert!(
            plan.iter().any(|p| p.contains("INDEX ratings_by_kind_time (kind=? AND created_at>?)")),
            "a range of the ratings' index: {plan:?}"
        );
    }
    for plan in [kept, nps, csat] {
        assert!(!plan.iter().any(|p| p.starts_with("SCAN")), "no scan: {plan:?}");
    }
}
