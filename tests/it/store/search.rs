//! Full-text search on real database files: what is found, that the index follows every write,
//! the filters, the index build for tickets that predate it, and `frontdesk search`.

use chrono::Utc;
use frontdesk::domain::search::SearchQuery;
use frontdesk::domain::{Channel, MessageKind, NewTicket, Priority, Status, Ticket, TicketChange};
use frontdesk::store::Store;
use std::process::Command;
use std::time::Duration;

struct TempDesk {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
}

fn desk() -> TempDesk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    assert!(store.register_first_admin("ana").unwrap());
    TempDesk { _dir: dir, path, store }
}

/// A ticket of normal priority by email from `email` (also the search-terms tests').
pub(super) fn create(store: &Store, email: &str, name: &str, subject: &str, body: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some(name.into()),
        subject: subject.into(),
        body: body.into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

/// Run the built binary as `ana` on `db`, with a home folder of its own.
fn frontdesk_binary(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "ana")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env_remove("FRONTDESK_CONFIG")
        .output()
        .unwrap()
}

/// The ticket numbers `text` finds, newest first.
fn find(store: &mut Store, text: &str) -> Vec<i64> {
    let query = SearchQuery::parse(text, frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
    store.search(&query, "ana", 50).unwrap().tickets.iter().map(|t| t.id).collect()
}

#[test]
fn subjects_bodies_names_and_addresses_are_found() {
    let mut d = desk();
    let carla = create(&d.store, "carla@shop.example", "Carla Núñez", "Refund for order 48213", "It arrived broken.");
    let hiro = create(&d.store, "hiro@mail.example", "Hiro Tanaka", "Login loop", "Password reset does nothing.");
    let s = &mut d.store;
    assert_eq!(find(s, "refund"), vec![carla.id], "a subject word");
    assert_eq!(find(s, "BROKEN"), vec![carla.id], "a body word, any case");
    assert_eq!(find(s, "nunez"), vec![carla.id], "a name without its accents");
    assert_eq!(find(s, "hiro@mail.example"), vec![hiro.id], "an address");
    assert_eq!(find(s, "passw*"), vec![hiro.id], "a prefix");
    assert_eq!(find(s, "\"order 48213\""), vec![carla.id], "a phrase");
    assert!(find(s, "\"48213 order\"").is_empty(), "a phrase keeps its order");
    assert!(find(s, "refund password").is_empty(), "every word must be found");
    assert_eq!(find(s, "the OR NOT login"), Vec::<i64>::new(), "operators are only words");
    assert_eq!(find(s, &format!("#{}", hiro.id)), vec![hiro.id], "a ticket number");
}

#[test]
fn the_index_follows_replies_notes_changes_and_deletes() {
    let mut d = desk();
    let t = create(&d.store, "olu@shop.example", "Olu Okafor", "Invoice question", "Where is the VAT number?");
    let other = create(&d.store, "ann@shop.example", "Ann Smith", "Thanks", "All good.");
    assert!(find(&mut d.store, "voucher").is_empty());
    d.store.add_message(t.id, MessageKind::Reply, "ana", "We added a voucher.", None).unwrap();
    assert_eq!(find(&mut d.store, "voucher"), vec![t.id], "a reply is searchable at once");
    d.store.add_message(t.id, MessageKind::Note, "ana", "reseller account", None).unwrap();
    assert_eq!(find(&mut d.store, "reseller"), vec![t.id], "so is an internal note, for agents");
    d.store.add_message(t.id, MessageKind::Customer, "olu@shop.example", "Thanks, received.", None).unwrap();
    assert_eq!(find(&mut d.store, "received"), vec![t.id], "and the customer's answer");
    assert_eq!(find(&mut d.store, "VAT"), vec![t.id], "earlier messages stay found");

    let t = d.store.ticket(t.id).unwrap();
    let change = TicketChange { status: Some(Status::Solved), ..TicketChange::default() };
    d.store.update_ticket(t.id, t.version, &change, "ana").unwrap();
    assert_eq!(find(&mut d.store, "voucher status:solved"), vec![t.id], "filters see the new status");
    assert!(find(&mut d.store, "voucher status:open").is_empty());

    // Writes queue their tickets in the same transaction; a search re-indexes the queue first.
    d.store.add_message(other.id, MessageKind::Reply, "ana", "glad to help", None).unwrap();
    d.store.add_message(other.id, MessageKind::Note, "ana", "happy customer", None).unwrap();
    assert_eq!(d.store.index_queued().unwrap(), 1, "one ticket to re-index, however many writes");
    assert_eq!(d.store.index_queued().unwrap(), 0);
    assert_eq!(find(&mut d.store, "glad happy"), vec![other.id]);

    d.store.delete_ticket(t.id, "ana").unwrap();
    assert!(find(&mut d.store, "voucher").is_empty(), "a deleted ticket is gone from the index");
    assert!(find(&mut d.store, "olu").is_empty());
    assert_eq!(find(&mut d.store, "thanks"), vec![other.id]);
}

#[test]
fn filters_narrow_the_results_newest_first() {
    let mut d = desk();
    let a = create(&d.store, "carla@shop.example", "Carla Núñez", "Refund please", "broken");
    let b = create(&d.store, "c.nunez@work.example", "Carla Work", "Refund again", "broken");
    let c = create(&d.store, "hiro@mail.example", "Hiro Tanaka", "Refund too", "broken");
    d.store.add_agent("mei", None, frontdesk::domain::Role::Agent).unwrap();
    let set = |store: &Store, id: i64, change: TicketChange| {
        let t = store.ticket(id).unwrap();
        store.update_ticket(id, t.version, &change, "ana").unwrap();
    };
    set(&d.store, a.id, TicketChange { priority: Some(Priority::Urgent), ..Default::default() });
    set(&d.store, b.id, TicketChange { assignee: Some(Some("mei".into())), ..Default::default() });
    set(&d.store, c.id, TicketChange { add_tags: vec!["vip".into()], ..Default::default() });
    let s = &mut d.store;
    assert_eq!(find(s, "refund"), vec![c.id, b.id, a.id], "newest first");
    assert_eq!(find(s, "refund priority:urgent"), vec![a.id]);
    assert_eq!(find(s, "refund assignee:mei"), vec![b.id]);
    assert_eq!(find(s, "refund assignee:none"), vec![c.id, a.id]);
    assert_eq!(find(s, "tag:vip"), vec![c.id], "a filter alone lists tickets");
    assert_eq!(find(s, "from:carla@shop.example"), vec![a.id], "an exact address");
    assert_eq!(find(s, "from:CARLA@SHOP.EXAMPLE"), vec![a.id], "in any case");
    assert_eq!(find(s, "from:@work.example"), vec![b.id], "a domain");
    assert_eq!(find(s, "from:carla"), vec![b.id, a.id], "part of a name or address");
    let today = Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(find(s, &format!("refund after:{today}")).len(), 3);
    assert!(find(s, &format!("refund after:{tomorrow}")).is_empty());
    assert!(find(s, &format!("refund before:{today}")).is_empty());
    assert_eq!(find(s, &format!("before:{tomorrow} from:hiro")), vec![c.id]);
}

/// A ticket of [`desk_of_invoices`] as it was made.
struct Invoice {
    id: i64,
    status: Status,
    priority: Priority,
    assignee: Option<String>,
    vip: bool,
}

/// A desk where "invoice" matches 60 tickets and each filter passes a few of them.
fn desk_of_invoices() -> (TempDesk, Vec<Invoice>) {
    let d = desk();
    d.store.add_agent("mei", None, frontdesk::domain::Role::Agent).unwrap();
    let mut made = Vec::new();
    for i in 0..60 {
        let t = create(&d.store, &format!("c{i}@shop.example"), "Carla", &format!("Invoice {i}"), "vat");
        let status = if i % 7 == 0 { Status::Open } else { Status::Solved };
        let priority = if i % 11 == 0 { Priority::Urgent } else { Priority::Normal };
        let assignee = (i % 13 != 0).then(|| if i % 2 == 0 { "ana" } else { "mei" }.to_string());
        let vip = i % 17 == 0;
        let change = TicketChange {
            status: Some(status),
            priority: Some(priority),
            assignee: Some(assignee.clone()),
            add_tags: if vip { vec!["vip".into()] } else { vec![] },
            ..Default::default()
        };
        d.store.update_ticket(t.id, t.version, &change, "ana").unwrap();
        made.push(Invoice { id: t.id, status, priority, assignee, vip });
    }
    (d, made)
}

#[test]
fn a_filter_few_tickets_pass_narrows_the_matches_before_their_tickets_are_read() {
    let (mut d, made) = desk_of_invoices();
    let newest_first =
        |passes: &dyn Fn(&Invoice) -> bool| made.iter().rev().filter(|t| passes(t)).map(|t| t.id).collect::<Vec<_>>();
    let cases: [(&str, Vec<i64>); 6] = [
        ("invoice assignee:none", newest_first(&|t| t.assignee.is_none())),
        ("invoice assignee:me", newest_first(&|t| t.assignee.as_deref() == Some("ana"))),
        ("invoice tag:vip", newest_first(&|t| t.vip)),
        ("invoice status:open", newest_first(&|t| t.status == Status::Open)),
        ("invoice priority:urgent", newest_first(&|t| t.priority == Priority::Urgent)),
        (
            "invoice status:open assignee:mei",
            newest_first(&|t| t.status == Status::Open && t.assignee.as_deref() == Some("mei")),
        ),
    ];
    let zone = frontdesk::domain::when::Zone::Named(chrono_tz::UTC);
    for (text, expected) in &cases {
        assert!(!expected.is_empty(), "{text} finds something on this desk");
        let query = SearchQuery::parse(text, zone).unwrap();
        let plan = d.store.search_plan(&query, "ana").unwrap().join("\n");
        assert!(plan.contains("LIST SUBQUERY"), "{text} checks its matches against its filter's set:\n{plan}");
        assert_eq!(&find(&mut d.store, text), expected, "{text} with its filter's set");
    }
    // With no set small enough, the same tickets by reading every match's ticket.
    d.store.set_search_sets_up_to(0);
    for (text, expected) in &cases {
        let query = SearchQuery::parse(text, zone).unwrap();
        let plan = d.store.search_plan(&query, "ana").unwrap().join("\n");
        assert!(!plan.contains("LIST SUBQUERY"), "{text} builds no set larger than allowed:\n{plan}");
        assert_eq!(&find(&mut d.store, text), expected, "{text} without a set");
    }
}

#[test]
fn a_solved_status_or_a_filter_alone_builds_no_set() {
    let (d, _) = desk_of_invoices();
    let zone = frontdesk::domain::when::Zone::Named(chrono_tz::UTC);
    for text in ["invoice status:solved", "invoice status:open,solved", "tag:vip", "invoice before:2030-01-01"] {
        let query = SearchQuery::parse(text, zone).unwrap();
        let plan = d.store.search_plan(&query, "ana").unwrap().join("\n");
        assert!(!plan.contains("LIST SUBQUERY"), "{text}:\n{plan}");
    }
}

#[test]
fn more_and_a_stopped_search_are_said() {
    let mut d = desk();
    let opts = frontdesk::demo::DemoOptions { tickets: 400, seed: 3, now: Utc::now(), agents: vec![] };
    frontdesk::demo::generate(&d.store, &opts, &mut |_| {}).unwrap();
    let query = SearchQuery::parse("order", frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
    let found = d.store.search(&query, "ana", 5).unwrap();
    assert_eq!(found.tickets.len(), 5);
    assert!(found.more && !found.stopped_early);
    let ids: Vec<i64> = found.tickets.iter().map(|t| t.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "newest first");
    // A search that runs out of time says so and keeps what it found.
    let query =
        SearchQuery::parse("from:nobody-at-all status:closed", frontdesk::domain::when::Zone::Named(chrono_tz::UTC))
            .unwrap();
    let found = d.store.search_within(&query, "ana", 5, Duration::ZERO).unwrap();
    assert!(found.stopped_early, "a zero budget stops the search");
}

#[test]
fn tickets_that_predate_the_index_are_indexed_by_the_build() {
    let mut d = desk();
    let opts = frontdesk::demo::DemoOptions { tickets: 50, seed: 5, now: Utc::now(), agents: vec![] };
    frontdesk::demo::generate(&d.store, &opts, &mut |_| {}).unwrap();
    assert_eq!(d.store.search_index_pending().unwrap(), None, "the demo builds its index");
    let before = find(&mut d.store, "order");
    assert!(!before.is_empty());

    // A bulk load leaves its tickets to the build; a new ticket meanwhile waits for it too.
    let bulk = d.store.bulk().unwrap();
    bulk.finish().unwrap();
    let fresh = create(&d.store, "new@shop.example", "New Person", "Parcel order lost", "where?");
    let pending = d.store.search_index_pending().unwrap().expect("tickets wait for the build");
    assert_eq!(pending.total, 51);
    let query = SearchQuery::parse("order", frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
    let partial = d.store.search(&query, "ana", 100).unwrap();
    assert!(partial.unindexed > 0, "a search says what it could not see yet");

    let mut steps = 0;
    while !d.store.build_search_index_step(7).unwrap() {
        steps += 1;
    }
    assert!(steps >= 7, "the build goes in small steps ({steps})");
    assert_eq!(d.store.search_index_pending().unwrap(), None);
    let mut after = find(&mut d.store, "order");
    assert_eq!(after.remove(0), fresh.id);
    assert_eq!(after, before, "the build finds what the triggers had, no more, no less");
}

#[test]
fn a_desk_from_before_search_gets_its_index_built() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let store = Store::open(&path).unwrap();
        store.register_first_admin("ana").unwrap();
        create(&store, "carla@shop.example", "Carla", "Refund for order 48213", "It broke.");
    }
    // Take the file back to schema 1, as a desk made before search existed.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let triggers: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'search%' OR name LIKE 'due%'
                  OR name LIKE '%counts%')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(triggers.len() >= 6, "{triggers:?}");
    for trigger in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {trigger}")).unwrap();
    }
    conn.execute_batch(
        "DROP VIEW ticket_search_docs; DROP TABLE ticket_search; DROP TABLE search_state; DROP TABLE search_queue;\n         DROP TABLE IF EXISTS ratings; DROP TABLE IF EXISTS surveys; DROP INDEX IF EXISTS tickets_by_snooze;\n         DROP INDEX tickets_by_waiting; DROP INDEX tickets_by_due; DROP INDEX tickets_by_warn;
         ALTER TABLE tickets DROP COLUMN waiting_since;
         ALTER TABLE tickets DROP COLUMN due_at; ALTER TABLE tickets DROP COLUMN warn_at;\n         DROP TABLE due_queue; DROP TABLE due_state; DROP TABLE audit;\n         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.search_index_pending().unwrap().unwrap().pending, 1, "opening does not build it");
    store.build_search_index(&mut |_| {}).unwrap();
    assert_eq!(find(&mut store, "refund").len(), 1);
}

#[test]
fn the_search_command_finds_filters_and_explains_mistakes() {
    let d = desk();
    create(&d.store, "carla@shop.example", "Carla Núñez", "Refund for order 48213", "It arrived broken.");
    create(&d.store, "hiro@mail.example", "Hiro Tanaka", "Login loop \u{1b}[31mred", "reset");
    let run = |args: &[&str]| {
        let out = frontdesk_binary(&d.path, &[&["search"], args].concat());
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, out, _) = run(&["refund", "from:carla"]);
    assert_eq!(code, 0);
    assert!(out.contains("Refund for order 48213") && out.contains("Carla Núñez"), "{out}");
    let (_, out, _) = run(&["login"]);
    assert!(!out.contains('\u{1b}'), "customer text is sanitized on a terminal table: {out:?}");
    let (code, out, _) = run(&["--json", "login"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["tickets"][0]["subject"], "Login loop \u{1b}[31mred", "--json is exact");
    assert_eq!(json["more"], false);
    let (code, _, err) = run(&["status:opne"]);
    assert_eq!(code, 1);
    assert!(err.contains("\"opne\" is not a status"), "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    let (code, out, _) = run(&["nothing-like-this"]);
    assert_eq!((code, out.trim()), (0, "no tickets match"));
}

#[test]
fn imported_mail_is_searchable_as_soon_as_the_import_ends() {
    let d = desk();
    let mail = "From: Zoë Quint <zoe@quint.example>\r\nTo: support@shop.example\r\nSubject: Blender arrived \
                cracked\r\nMessage-ID: <blender-1@quint.example>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nThe \
                jug has a hairline crack near the spout.\r\n";
    let eml = d.path.with_file_name("blender.eml");
    std::fs::write(&eml, mail).unwrap();
    let out = frontdesk_binary(&d.path, &["import", eml.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(d.store.index_queued().unwrap(), 0, "the import indexed what it wrote");
    let mut store = Store::open(&d.path).unwrap();
    let found = find(&mut store, "hairline spout");
    assert_eq!(found.len(), 1, "the body is found");
    assert_eq!(find(&mut store, "zoe quint"), found, "and the sender, without accents");
}

#[test]
fn a_long_open_connection_sees_what_another_one_indexed() {
    let mut d = desk();
    let first = create(&d.store, "a@shop.example", "Ann", "Kettle", "It whistles.");
    assert_eq!(find(&mut d.store, "whistles"), vec![first.id], "this connection has read the index");
    // Another process (here: another connection) writes and re-indexes a lot meanwhile.
    let other = Store::open(&d.path).unwrap();
    let mut made = Vec::new();
    for i in 0..300 {
        let t = create(&other, &format!("c{i}@shop.example"), "Someone", &format!("Toaster {i}"), "sparks");
        other.add_message(t.id, MessageKind::Reply, "ana", &format!("fixed with part{i}"), None).unwrap();
        if i % 50 == 0 {
            other.index_queued().unwrap();
        }
        made.push(t.id);
    }
    other.index_queued().unwrap();
    other.delete_ticket(made[10], "ana").unwrap();
    other.index_queued().unwrap();
    drop(other);
    assert_eq!(find(&mut d.store, "part299"), vec![made[299]], "the old connection reads the new index");
    assert!(find(&mut d.store, "part10").is_empty());
    let query = SearchQuery::parse("sparks", frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
    let found = d.store.search(&query, "ana", 500).unwrap();
    assert_eq!(found.tickets.len(), 299);
    assert_eq!(find(&mut d.store, "whistles"), vec![first.id]);
}

/// Every ticket's number and creation time, read from the file itself.
fn numbers_and_times(path: &std::path::Path) -> Vec<(i64, i64)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT id, created_at FROM tickets ORDER BY id").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// Midnight UTC of `day` (`2024-03-01`), in milliseconds.
fn millis(day: &str) -> i64 {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    date.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis()
}

/// A desk whose ticket numbers do not follow their creation times: three runs of 1,024 numbers
/// (tickets numbered 2,000 and 5,000 put in by hand), creation times out of order, one ticket
/// deleted, so each run's span is wider than its tickets.
fn desk_out_of_order() -> TempDesk {
    let d = desk();
    let mut made = Vec::new();
    for i in 0..12 {
        made.push(create(&d.store, &format!("c{i}@shop.example"), "Carla", &format!("Order {i}"), "box").id);
    }
    let conn = rusqlite::Connection::open(&d.path).unwrap();
    let customer: i64 = conn.query_row("SELECT customer_id FROM tickets LIMIT 1", [], |r| r.get(0)).unwrap();
    for (id, day) in [(2_000, "2021-05-01"), (2_001, "2024-07-01"), (5_000, "2020-01-15")] {
        conn.execute(
            "INSERT INTO tickets (id, subject, customer_id, status, priority, channel, created_at, updated_at)
             VALUES (?1, 'Order by hand', ?2, 'new', 'normal', 'email', ?3, ?3)",
            rusqlite::params![id, customer, millis(day)],
        )
        .unwrap();
    }
    let days = ["2023-03-01", "2020-02-01", "2025-01-10", "2022-06-30", "2024-12-31", "2021-01-01"];
    for (id, day) in made.iter().zip(days.iter().cycle()) {
        conn.execute("UPDATE tickets SET created_at = ?1 WHERE id = ?2", rusqlite::params![millis(day), id]).unwrap();
    }
    drop(conn);
    d.store.delete_ticket(made[2], "ana").unwrap();
    d.store.index_queued().unwrap();
    assert!(d.store.check().unwrap().is_empty(), "{:?}", d.store.check().unwrap());
    d
}

#[test]
fn before_and_after_find_exactly_the_tickets_of_their_time_whatever_their_numbers() {
    let mut d = desk_out_of_order();
    let tickets = numbers_and_times(&d.path);
    assert_eq!(tickets.len(), 14);
    let newest_first = |keep: &dyn Fn(i64) -> bool| {
        tickets.iter().rev().filter(|(_, at)| keep(*at)).map(|(id, _)| *id).collect::<Vec<_>>()
    };
    for day in ["2020-01-01", "2020-01-16", "2021-01-01", "2022-01-01", "2023-03-02", "2024-08-01", "2025-02-01"] {
        let at = millis(day);
        let before = newest_first(&|t| t < at);
        let after = newest_first(&|t| t >= at);
        assert_eq!(find(&mut d.store, &format!("order before:{day}")), before, "order before:{day}");
        assert_eq!(find(&mut d.store, &format!("before:{day}")), before, "before:{day} without words");
        assert_eq!(find(&mut d.store, &format!("order after:{day}")), after, "order after:{day}");
        assert_eq!(find(&mut d.store, &format!("after:{day}")), after, "after:{day} without words");
        let between = newest_first(&|t| t >= millis("2021-01-01") && t < at);
        assert_eq!(find(&mut d.store, &format!("order after:2021-01-01 before:{day}")), between, "between");
    }
}

#[test]
fn before_reads_the_text_index_from_the_newest_ticket_of_its_time_on() {
    let d = desk_out_of_order();
    let zone = frontdesk::domain::when::Zone::Named(chrono_tz::UTC);
    let query = SearchQuery::parse("order before:2025-06-01", zone).unwrap();
    let plan = d.store.search_plan(&query, "ana").unwrap().join("\n");
    // FTS5 takes a bound on the rowid as part of its index plan: `ticket_search` is read from it.
    assert!(plan.contains("VIRTUAL TABLE INDEX") && !plan.contains("LIST SUBQUERY"), "{plan}");
}

#[test]
fn a_desk_of_schema_26_gets_the_spans_of_its_creation_times() {
    let d = desk_out_of_order();
    let expected = numbers_and_times(&d.path);
    let conn = rusqlite::Connection::open(&d.path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER created_block_ticket_added; DROP TRIGGER created_block_ticket_changed;
         DROP TABLE ticket_created_blocks; DROP INDEX tickets_by_warn; PRAGMA user_version = 26;",
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&d.path).unwrap();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
    let before: Vec<i64> =
        expected.iter().rev().filter(|(_, at)| *at < millis("2023-01-01")).map(|(id, _)| *id).collect();
    assert_eq!(find(&mut store, "order before:2023-01-01"), before);
    let conn = rusqlite::Connection::open(&d.path).unwrap();
    let spans: i64 = conn.query_row("SELECT count(*) FROM ticket_created_blocks", [], |r| r.get(0)).unwrap();
    assert_eq!(spans, 3, "numbers 1–12, 2,000–2,001 and 5,000: three runs of 1,024");
}

#[test]
fn check_finds_a_ticket_created_outside_its_span() {
    let d = desk_out_of_order();
    let conn = rusqlite::Connection::open(&d.path).unwrap();
    // Ticket 5,000 is alone in its run: a span that ends before it leaves it out.
    conn.execute("UPDATE ticket_created_blocks SET latest = earliest - 1 WHERE block = 5000 >> 10", []).unwrap();
    assert_eq!(
        d.store.check().unwrap(),
        vec!["1 tickets created outside their number's span of creation times".to_string()]
    );
}
