//! The kept report figures of every ticket (`ticket_report_facts`): after every kind of change
//! they are what the tickets' events give, of open tickets at later moments too (their clocks run
//! out meanwhile), a report from them is the report from the events, `check` finds a spoiled row
//! and `repair` mends it, and other SLA rules work them out again; on real database files.

use chrono::{Duration, Utc};
use frontdesk::config::Config;
use frontdesk::demo::{generate, DemoOptions};
use frontdesk::domain::report::{Builder, Dimension, Figure, Period, Report, Request, Rules, SeriesStep};
use frontdesk::domain::satisfaction::Csat;
use frontdesk::domain::sla::{Hours, Policies};
use frontdesk::domain::when::Zone;
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Status, TicketChange, Tier, Timestamp};
use frontdesk::store::{FactsDrift, Store};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The demo's SLA rules: business hours, policies per priority and tier.
fn demo_rules() -> (Policies, Hours) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-config/config.toml");
    let config: Config = frontdesk::config::load(&path, true).unwrap();
    let policies = config.sla_policies();
    assert!(!policies.is_empty(), "the demo's config has SLA policies");
    (policies, config.sla_hours())
}

fn desk() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, path, store)
}

fn request(since: Timestamp, now: Timestamp, by: Option<Dimension>) -> Request {
    let period = Period { since, until: now };
    Request { period, compare: true, by, series: Some(SeriesStep::Day), zone: Zone::default() }
}

fn report(store: &Store, rules: &(Policies, Hours), request: Request, now: Timestamp) -> Report {
    let mut builder = Builder::new(request, Rules { policies: &rules.0, default_hours: &rules.1, now });
    store.read_report(&mut builder).unwrap();
    builder.finish("hours".into())
}

/// The same report read from a copy of the desk without kept figures: every ticket from its events.
fn report_from_events(
    store: &Store,
    dir: &Path,
    rules: &(Policies, Hours),
    request: Request,
    now: Timestamp,
) -> Report {
    let copy = dir.join(format!("copy-{}.db", Utc::now().timestamp_nanos_opt().unwrap_or_default()));
    store.backup_to(&copy).unwrap();
    Connection::open(&copy)
        .unwrap()
        .execute_batch(
            "DELETE FROM ticket_report_facts; DELETE FROM report_stale;
             UPDATE report_facts_state SET fingerprint = '' WHERE id = 1;",
        )
        .unwrap();
    let copy = Store::open(&copy).unwrap();
    assert_eq!(copy.report_facts_kept().unwrap(), (0, 0));
    report(&copy, rules, request, now)
}

/// Kept figures and stale marks after a report, the drift `check` finds, and the report beside
/// the one from the events (the same JSON, the same tickets behind every figure); then again
/// later, from the same kept rows, as the open tickets' clocks run out.
fn assert_exact(store: &Store, dir: &Path, rules: &(Policies, Hours), after: &str) {
    let kept_at = Utc::now() + Duration::seconds(1);
    // By agent, the tickets' table is read beside the kept rows; by nothing, the kept rows alone.
    let times = [Duration::zero(), Duration::hours(3), Duration::days(2), Duration::days(12)];
    for (later, by) in times.into_iter().flat_map(|t| [(t, Some(Dimension::Agent)), (t, None)]) {
        let now = kept_at + later;
        let wanted = || request(now - Duration::days(30), now, by);
        let kept = report(store, rules, wanted(), now);
        assert_eq!(store.report_facts_kept().unwrap().1, 0, "after {after}: a report leaves nothing stale");
        let engine = Rules { policies: &rules.0, default_hours: &rules.1, now };
        assert_eq!(store.report_facts_drift(&engine).unwrap(), FactsDrift::default(), "after {after}");
        let fresh = report_from_events(store, dir, rules, wanted(), now);
        let (ours, theirs) = (serde_json::to_value(&kept).unwrap(), serde_json::to_value(&fresh).unwrap());
        assert_eq!(ours, theirs, "after {after}, {later} later, by {by:?}");
        assert_eq!(kept, fresh, "after {after}, {later} later, by {by:?}: the same tickets behind every figure");
    }
}

/// How many open tickets' clocks a report finds past due now.
fn breaching(report: &Report) -> f64 {
    [Figure::FirstResponseBreaching, Figure::NextResponseBreaching, Figure::ResolutionBreaching]
        .iter()
        .filter_map(|f| report.row(*f).value)
        .sum()
}

fn new_ticket(store: &Store, email: &str, priority: Priority) -> i64 {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: None,
        subject: "Refund".into(),
        body: "It broke".into(),
        priority,
        channel: Channel::Email,
        tags: vec!["refund".into()],
    };
    store.create_ticket(&new, "ana").unwrap().id
}

fn set(store: &Store, id: i64, change: TicketChange) {
    let version = store.ticket(id).unwrap().version;
    store.update_ticket(id, version, &change, "ana").unwrap();
}

fn status(store: &Store, id: i64, status: Status) {
    set(store, id, TicketChange { status: Some(status), ..TicketChange::default() });
}

fn kept_rows(path: &Path) -> i64 {
    Connection::open(path).unwrap().query_row("SELECT count(*) FROM ticket_report_facts", [], |r| r.get(0)).unwrap()
}

#[test]
fn kept_figures_stay_those_of_the_events_through_every_kind_of_change() {
    let (dir, path, store) = desk();
    let rules = demo_rules();
    let a = new_ticket(&store, "carla@shop.example", Priority::High);
    let b = new_ticket(&store, "hiro@example.com", Priority::Normal);
    let c = new_ticket(&store, "olu@example.com", Priority::Urgent);
    assert_eq!(store.report_facts_kept().unwrap(), (0, 3), "a new ticket is stale, in the same write");
    assert_exact(&store, dir.path(), &rules, "three new tickets");

    store.add_message(a, MessageKind::Reply, "ana", "We are on it", None).unwrap();
    store.add_message(b, MessageKind::Reply, "ana", "Which order?", None).unwrap();
    status(&store, a, Status::Solved);
    status(&store, b, Status::Solved);
    assert_exact(&store, dir.path(), &rules, "replies and solves");
    assert_eq!(kept_rows(&path), 3, "the solved tickets and the open one are kept");

    // The customer writes again: the solved ticket reopens, its kept figures go stale.
    store.add_message(a, MessageKind::Customer, "carla@shop.example", "Still broken", None).unwrap();
    assert_eq!(store.report_facts_kept().unwrap().1, 1, "the ticket written to is stale, in the same write");
    assert_exact(&store, dir.path(), &rules, "a customer's reply reopening a solved ticket");
    assert_eq!(kept_rows(&path), 3, "open tickets are kept too");

    store.add_message(a, MessageKind::Reply, "ana", "A new one is on its way", None).unwrap();
    status(&store, a, Status::Solved);
    status(&store, a, Status::Closed);
    assert_exact(&store, dir.path(), &rules, "solved again, then closed");

    // Mail to the closed ticket opens a new one that follows it up.
    let raw = format!(
        "From: Carla <carla@shop.example>\r\nTo: support@desk.example\r\nSubject: Re: [#{a}] Refund\r\n\
         Message-ID: <after-close@example.com>\r\nDate: {}\r\n\r\nIt broke again\r\n",
        Utc::now().to_rfc2822()
    );
    frontdesk::mail::Importer::new(&store, &Config::default()).import(raw.as_bytes(), "test").unwrap();
    let follows: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM ticket_follow_ups WHERE follows = ?1", [a], |r| r.get(0))
        .unwrap();
    assert_eq!(follows, 1, "the mail opened a follow-up");
    assert_exact(&store, dir.path(), &rules, "a follow-up of a closed ticket");

    // Mail threaded onto a solved ticket by its subject tag.
    let raw = format!(
        "From: Hiro <hiro@example.com>\r\nTo: support@desk.example\r\nSubject: Re: [#{b}] Refund\r\n\
         Message-ID: <again@example.com>\r\nDate: {}\r\n\r\nWhere is it?\r\n",
        Utc::now().to_rfc2822()
    );
    let importer = frontdesk::mail::Importer::new(&store, &Config::default());
    importer.import(raw.as_bytes(), "test").unwrap();
    assert_exact(&store, dir.path(), &rules, "mail threaded onto a solved ticket");
    store.add_message(b, MessageKind::Reply, "ana", "Tomorrow", None).unwrap();
    status(&store, b, Status::Solved);
    assert_exact(&store, dir.path(), &rules, "answered and solved again");

    // The policy a solved ticket is timed by follows its priority and its customer's tier now.
    set(&store, b, TicketChange { priority: Some(Priority::Urgent), ..TicketChange::default() });
    assert_exact(&store, dir.path(), &rules, "a solved ticket's priority changed");
    let hiro = store.ticket(b).unwrap().customer_id;
    store.update_customer(hiro, Some(Tier::Vip), None, "ana").unwrap();
    assert_eq!(store.report_facts_kept().unwrap().1, 1, "the customer's tickets are stale");
    assert_exact(&store, dir.path(), &rules, "the customer's tier changed");

    // Undo a solve.
    store.add_message(c, MessageKind::Reply, "ana", "Done", None).unwrap();
    status(&store, c, Status::Solved);
    assert_exact(&store, dir.path(), &rules, "solved");
    store.undo_last(c, "ana", None).unwrap();
    assert_exact(&store, dir.path(), &rules, "the solve undone");

    // Snoozed, rated, merged, deleted.
    let until = Utc::now() + Duration::days(2);
    store.snooze_ticket(c, until, "ana").unwrap();
    assert_exact(&store, dir.path(), &rules, "snoozed");
    status(&store, c, Status::Solved);
    store.rate_ticket(c, Csat::Good, "Thanks", "olu@example.com").unwrap();
    assert_exact(&store, dir.path(), &rules, "rated");
    let d = new_ticket(&store, "olu@example.com", Priority::Urgent);
    store.add_message(d, MessageKind::Reply, "ana", "Same as before?", None).unwrap();
    status(&store, d, Status::Solved);
    assert_exact(&store, dir.path(), &rules, "a second ticket solved");
    store.merge_tickets(d, c, "ana").unwrap();
    assert_exact(&store, dir.path(), &rules, "merged into another ticket");
    store.delete_ticket(a, "ana").unwrap();
    assert_exact(&store, dir.path(), &rules, "a closed ticket deleted");
    let left: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM ticket_report_facts WHERE ticket_id = ?1", [a], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "nothing is kept of a deleted ticket");
}

#[test]
fn kept_figures_of_open_tickets_stay_those_of_their_events_through_every_kind_of_change() {
    let (dir, path, store) = desk();
    let rules = demo_rules();
    let a = new_ticket(&store, "carla@shop.example", Priority::Urgent);
    let b = new_ticket(&store, "hiro@example.com", Priority::High);
    let c = new_ticket(&store, "olu@example.com", Priority::Normal);
    let d = new_ticket(&store, "jose@example.com", Priority::Low);
    assert_exact(&store, dir.path(), &rules, "four open tickets");
    assert_eq!(kept_rows(&path), 4, "every open ticket is kept");
    let later = Utc::now() + Duration::days(12);
    let wanted = request(later - Duration::days(30), later, None);
    assert!(breaching(&report(&store, &rules, wanted, later)) >= 4.0, "their clocks run out from the kept rows");

    store.add_message(a, MessageKind::Reply, "ana", "We are on it", None).unwrap();
    store.add_message(b, MessageKind::Note, "ana", "Asked the carrier", None).unwrap();
    assert_exact(&store, dir.path(), &rules, "a reply and a note on open tickets");
    store.add_message(a, MessageKind::Customer, "carla@shop.example", "Any news?", None).unwrap();
    assert_exact(&store, dir.path(), &rules, "the customer waits for a next reply");
    status(&store, b, Status::Pending);
    status(&store, c, Status::OnHold);
    assert_exact(&store, dir.path(), &rules, "waiting on the customer, and on a third party");
    status(&store, c, Status::Open);
    assert_exact(&store, dir.path(), &rules, "back to work");

    set(&store, d, TicketChange { priority: Some(Priority::Urgent), ..TicketChange::default() });
    assert_exact(&store, dir.path(), &rules, "an open ticket's priority changed");
    let jose = store.ticket(d).unwrap().customer_id;
    store.update_customer(jose, Some(Tier::Vip), None, "ana").unwrap();
    assert_eq!(store.report_facts_kept().unwrap().1, 1, "the customer's open ticket is stale");
    assert_exact(&store, dir.path(), &rules, "an open ticket's customer's tier changed");

    store.snooze_ticket(a, Utc::now() + Duration::days(1), "ana").unwrap();
    assert_exact(&store, dir.path(), &rules, "an open ticket snoozed");
    store.undo_last(a, "ana", None).unwrap();
    assert_exact(&store, dir.path(), &rules, "the snooze undone");

    // Mail onto an open ticket (by its subject tag), and onto a pending one.
    let importer = frontdesk::mail::Importer::new(&store, &Config::default());
    for (n, (id, from)) in [(c, "olu@example.com"), (b, "hiro@example.com")].into_iter().enumerate() {
        let raw = format!(
            "From: <{from}>\r\nTo: support@desk.example\r\nSubject: Re: [#{id}] Refund\r\n\
             Message-ID: <open-{n}@example.com>\r\nDate: {}\r\n\r\nStill waiting\r\n",
            Utc::now().to_rfc2822()
        );
        importer.import(raw.as_bytes(), "test").unwrap();
    }
    assert_exact(&store, dir.path(), &rules, "mail onto an open and a pending ticket");

    let e = new_ticket(&store, "olu@example.com", Priority::High);
    store.add_message(e, MessageKind::Customer, "olu@example.com", "Same problem", None).unwrap();
    assert_exact(&store, dir.path(), &rules, "a second open ticket of one customer");
    store.merge_tickets(e, c, "ana").unwrap();
    assert_exact(&store, dir.path(), &rules, "an open ticket merged into another");
    store.delete_ticket(d, "ana").unwrap();
    assert_exact(&store, dir.path(), &rules, "an open ticket deleted");
    let left: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM ticket_report_facts WHERE ticket_id = ?1", [d], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "nothing is kept of a deleted ticket");
}

fn demo_desk(tickets: usize) -> (tempfile::TempDir, Store, Timestamp) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    let now = Utc::now();
    let options = DemoOptions { tickets, seed: 7, now, agents: vec![] };
    generate(&store, &options, &mut |_| {}).unwrap();
    (dir, store, now)
}

#[test]
fn a_report_from_kept_figures_is_the_report_from_the_events_on_a_generated_desk() {
    let (dir, store, generated) = demo_desk(1_500);
    let rules = demo_rules();
    let first = store.first_ticket_at().unwrap().unwrap();
    // Kept an hour before the reports are read: a solved ticket's figures do not age.
    report(&store, &rules, request(first, generated, None), generated);
    let (kept, stale) = store.report_facts_kept().unwrap();
    assert!(kept > 1_000 && stale == 0, "the solved and closed tickets are kept: {kept}, {stale} stale");
    let mut breaching_seen = Vec::new();
    for (now, since, by) in [
        (generated + Duration::hours(1), generated - Duration::days(30), Some(Dimension::Agent)),
        (generated + Duration::hours(1), generated - Duration::days(90), Some(Dimension::Tag)),
        (generated + Duration::hours(1), first, Some(Dimension::Tier)),
        (generated + Duration::hours(1), first, None),
        // Open tickets' kept clocks run out meanwhile.
        (generated + Duration::days(1), generated - Duration::days(30), None),
        (generated + Duration::days(9), first, Some(Dimension::Priority)),
    ] {
        let ours = report(&store, &rules, request(since, now, by), now);
        breaching_seen.push(breaching(&ours));
        let theirs = report_from_events(&store, dir.path(), &rules, request(since, now, by), now);
        assert!(ours.desk.figures.iter().any(|r| r.value.is_some_and(|v| v > 0.0)), "something is measured");
        assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&theirs).unwrap(), "{by:?}");
        assert_eq!(ours, theirs, "{by:?}: the same tickets behind every figure");
    }
    assert!(breaching_seen.last() > breaching_seen.first(), "more clocks past due later: {breaching_seen:?}");
}

#[test]
fn check_finds_a_spoiled_row_and_repair_mends_it() {
    let (dir, store, now) = demo_desk(300);
    let rules = demo_rules();
    let engine = Rules { policies: &rules.0, default_hours: &rules.1, now };
    let wanted = || request(now - Duration::days(30), now, Some(Dimension::Agent));
    let right = report(&store, &rules, wanted(), now);
    assert_eq!(store.report_facts_drift(&engine).unwrap(), FactsDrift::default());
    let path = store.path().to_path_buf();
    let conn = Connection::open(&path).unwrap();
    let solved: Vec<i64> = conn
        .prepare("SELECT ticket_id FROM ticket_report_facts ORDER BY ticket_id LIMIT 3")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // Bytes that read as nothing; another ticket's figures; a row gone.
    assert!(store.spoil_report_facts(solved[0]).unwrap());
    conn.execute(
        "UPDATE ticket_report_facts SET facts = (SELECT facts FROM ticket_report_facts WHERE ticket_id = ?2)
         WHERE ticket_id = ?1",
        [solved[1], solved[2]],
    )
    .unwrap();
    conn.execute("DELETE FROM ticket_report_facts WHERE ticket_id = ?1", [solved[2]]).unwrap();
    assert_eq!(store.report_facts_drift(&engine).unwrap(), FactsDrift { wrong: 2, missing: 1 });
    assert_eq!(store.rebuild_report_facts(&engine).unwrap() as i64, store.report_facts_kept().unwrap().0);
    assert_eq!(store.report_facts_drift(&engine).unwrap(), FactsDrift::default());
    assert_eq!(report(&store, &rules, wanted(), now), right, "the repaired rows give the same report");
    drop(dir);
}

#[test]
fn other_sla_rules_work_every_ticket_out_again_and_never_read_the_old_rows() {
    let (dir, store, now) = demo_desk(300);
    let demo = demo_rules();
    let first = store.first_ticket_at().unwrap().unwrap();
    let wanted = || request(first, now, Some(Dimension::Priority));
    report(&store, &demo, wanted(), now);
    let kept = store.report_facts_kept().unwrap().0;
    assert!(kept > 100, "{kept}");
    // Round the clock without policies: every time differs from the business hours'.
    let calendar = (Policies::default(), Hours::Calendar);
    let other = report(&store, &calendar, wanted(), now);
    assert_eq!(other, report_from_events(&store, dir.path(), &calendar, wanted(), now));
    let back = report(&store, &demo, wanted(), now);
    assert_ne!(serde_json::to_value(&back).unwrap(), serde_json::to_value(&other).unwrap(), "the rules matter");
    assert_eq!(back, report_from_events(&store, dir.path(), &demo, wanted(), now));
    let engine = Rules { policies: &calendar.0, default_hours: &calendar.1, now };
    assert_eq!(store.refresh_report_facts(&engine).unwrap() as i64, kept, "every solved ticket worked out again");
}

#[test]
fn customers_tiers_read_in_one_pass_or_joined_give_the_same_report() {
    let (dir, store, generated) = demo_desk(600);
    let rules = demo_rules();
    let first = store.first_ticket_at().unwrap().unwrap();
    let now = generated + Duration::hours(1);
    for since in [first, generated - Duration::days(30)] {
        let in_memory = report(&store, &rules, request(since, now, Some(Dimension::Tier)), now);
        // By organization the customers' table is joined: the desk's figures are the same.
        let joined = report(&store, &rules, request(since, now, Some(Dimension::Organization)), now);
        assert_eq!(serde_json::to_value(&in_memory.desk).unwrap(), serde_json::to_value(&joined.desk).unwrap());
        assert_eq!(in_memory.desk, joined.desk, "the same tickets behind every figure");
    }
    let wanted = || request(first, now, Some(Dimension::Tier));
    let before = report(&store, &rules, wanted(), now);
    // One customer's id far from the others': their tiers are joined ticket by ticket instead.
    Connection::open(store.path())
        .unwrap()
        .execute("INSERT INTO customers (id, name, tier, created_at) VALUES (1000000000000, 'Far Away', 'vip', 0)", [])
        .unwrap();
    let after = report(&store, &rules, wanted(), now);
    assert_eq!(after, before);
    assert_eq!(after, report_from_events(&store, dir.path(), &rules, wanted(), now));
}
