//! The demo generator, checked through the store's own queries on a temp database.

use chrono::{TimeZone, Utc};
use frontdesk::demo::{generate, DemoOptions, DemoSummary, DEMO_SEED, DEMO_TICKETS};
use frontdesk::domain::TicketFilter;
use frontdesk::domain::{MessageKind, Priority, Status, Ticket};
use frontdesk::store::Store;
use std::collections::{HashMap, HashSet};
use tempfile::TempDir;

fn options(tickets: usize) -> DemoOptions {
    DemoOptions {
        tickets,
        seed: DEMO_SEED,
        now: Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
        agents: vec!["sysop".into()],
    }
}

fn demo(tickets: usize) -> (TempDir, Store, DemoSummary) {
    let dir = TempDir::new().unwrap();
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    let summary = generate(&store, &options(tickets), &mut |_| {}).unwrap();
    (dir, store, summary)
}

fn all_tickets(store: &Store) -> Vec<Ticket> {
    store.list_tickets(&TicketFilter::default(), None, 1_000_000).unwrap()
}

/// Control characters other than line breaks and tabs, or invisible bidi / zero-width characters.
fn hostile(s: &str) -> bool {
    s.chars().any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{202E}' | '\u{200B}'))
}

#[test]
fn counts_match_the_summary() {
    let (_dir, store, summary) = demo(DEMO_TICKETS);
    assert_eq!(summary.tickets, DEMO_TICKETS);
    assert_eq!(store.count_tickets(&TicketFilter::default()).unwrap(), DEMO_TICKETS as u64);
    assert_eq!(summary.customers, 60);
    assert_eq!(summary.organizations, 3);
    assert_eq!(summary.agents, 7);
    assert_eq!(store.agents().unwrap().len(), 7);
    assert!(store.agent("sysop").unwrap().is_some());
    let messages: usize = all_tickets(&store).iter().map(|t| store.ticket_detail(t.id).unwrap().messages.len()).sum();
    assert_eq!(messages, summary.messages);
    let average = summary.messages as f64 / summary.tickets as f64;
    assert!((6.0..=12.0).contains(&average), "{average} messages per ticket");
}

#[test]
fn every_status_and_priority_is_present() {
    let (_dir, store, _) = demo(DEMO_TICKETS);
    let tickets = all_tickets(&store);
    for status in Status::ALL {
        assert!(tickets.iter().any(|t| t.status == *status), "no {status} ticket");
    }
    for priority in Priority::ALL {
        assert!(tickets.iter().any(|t| t.priority == *priority), "no {priority} ticket");
    }
    let active = TicketFilter { active_only: true, ..TicketFilter::default() };
    assert!(store.count_tickets(&active).unwrap() > 0);
}

#[test]
fn about_a_fifth_of_customer_names_go_beyond_ascii() {
    let (_dir, store, summary) = demo(2_000);
    let customers = store.list_customers(0, 100_000).unwrap();
    assert_eq!(customers.len(), summary.customers);
    let intl = customers.iter().filter(|c| !c.name.is_ascii()).count() as f64 / customers.len() as f64;
    assert!((0.15..=0.30).contains(&intl), "{intl}");
}

#[test]
fn hostile_text_is_present_in_subjects_and_bodies() {
    let (_dir, store, _) = demo(DEMO_TICKETS);
    let tickets = all_tickets(&store);
    assert!(tickets.iter().filter(|t| hostile(&t.subject)).count() >= 3);
    let bodies =
        tickets.iter().flat_map(|t| store.ticket_detail(t.id).unwrap().messages).filter(|m| hostile(&m.body)).count();
    assert!(bodies >= 3, "{bodies} hostile bodies");
}

#[test]
fn conversations_have_replies_notes_and_matching_events() {
    let (_dir, store, _) = demo(DEMO_TICKETS);
    let details: Vec<_> = all_tickets(&store).iter().map(|t| store.ticket_detail(t.id).unwrap()).collect();
    assert!(details.iter().any(|d| d.messages.len() >= 10));
    assert!(details.iter().any(|d| d.messages.iter().any(|m| m.kind == MessageKind::Note)));
    for d in &details {
        let t = &d.ticket;
        assert_eq!(d.messages[0].kind, MessageKind::Customer, "#{}", t.id);
        assert_eq!(d.events[0].field, "created");
        assert_eq!(t.version, d.events.len() as i64, "#{}", t.id);
        let first_reply = d.messages.iter().find(|m| m.kind == MessageKind::Reply).map(|m| m.created_at);
        assert_eq!(t.first_response_at, first_reply, "#{}", t.id);
        assert_eq!(t.solved_at.is_some(), !t.status.is_active(), "#{}", t.id);
        assert!(t.created_at <= t.updated_at && t.updated_at <= options(0).now);
        // A rating leaves the last update where it was, as `rate_ticket` does.
        let changes = d.events.iter().filter(|e| e.field != "satisfaction").map(|e| e.created_at);
        let last = changes.chain(d.messages.iter().map(|m| m.created_at)).max();
        assert_eq!(last, Some(t.updated_at), "#{}", t.id);
        for m in &d.messages[1..] {
            let logged = d.events.iter().any(|e| e.field == m.kind.as_str() && e.new == Some(m.id.to_string()));
            assert!(logged, "message {} of #{} has no event", m.id, t.id);
        }
        if t.status != Status::New {
            assert!(first_reply.is_some() && t.assignee.is_some(), "#{}", t.id);
        }
    }
}

#[test]
fn customers_have_several_tickets_and_organizations() {
    let (_dir, store, _) = demo(DEMO_TICKETS);
    let mut per_customer: HashMap<i64, usize> = HashMap::new();
    for t in all_tickets(&store) {
        *per_customer.entry(t.customer_id).or_default() += 1;
    }
    assert!(per_customer.values().filter(|n| **n >= 3).count() >= 10);
    let customers = store.list_customers(0, 1_000).unwrap();
    let with_org: Vec<_> = customers.iter().filter(|c| c.organization.is_some()).collect();
    assert!(with_org.len() >= 10);
    let orgs: HashSet<_> = with_org.iter().filter_map(|c| c.organization.clone()).collect();
    assert!(orgs.len() >= 2);
    let profiles: Vec<_> = customers.iter().map(|c| store.customer(c.id).unwrap()).collect();
    assert!(profiles.iter().any(|c| c.emails.len() >= 2));
    assert!(profiles.iter().any(|c| !c.notes.is_empty()));
    assert!(profiles.iter().any(|c| !c.tags.is_empty()));
}

#[test]
fn same_seed_and_now_give_the_same_desk() {
    let snapshot = |store: &Store| -> Vec<String> {
        all_tickets(store)
            .iter()
            .map(|t| {
                let d = store.ticket_detail(t.id).unwrap();
                let bodies: Vec<_> = d.messages.iter().map(|m| m.body.as_str()).collect();
                format!("{t:?} {bodies:?} {:?}", d.events)
            })
            .collect()
    };
    let (_a, first, _) = demo(DEMO_TICKETS);
    let (_b, second, _) = demo(DEMO_TICKETS);
    assert_eq!(snapshot(&first), snapshot(&second));
    let other = Store::open_in_memory().unwrap();
    generate(&other, &DemoOptions { seed: 2, ..options(DEMO_TICKETS) }, &mut |_| {}).unwrap();
    assert_ne!(snapshot(&first), snapshot(&other));
}

#[test]
fn progress_is_reported_up_to_the_total() {
    let store = Store::open_in_memory().unwrap();
    let mut seen = Vec::new();
    generate(&store, &options(12_000), &mut |done| seen.push(done)).unwrap();
    assert_eq!(seen, vec![5_000, 10_000, 12_000]);
}

#[test]
#[ignore = "slow: run with --release --ignored --nocapture"]
fn hundred_thousand_tickets_in_a_few_minutes() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("big.db");
    let store = Store::open(&path).unwrap();
    let started = std::time::Instant::now();
    let summary = generate(&store, &options(100_000), &mut |done| eprint!("\r{done} tickets")).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    drop(store);
    let size: u64 = ["big.db", "big.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.path().join(f)).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "\n{} tickets, {} messages, {} customers, {} organizations, {} agents in {seconds:.1} s; database {:.0} MB",
        summary.tickets,
        summary.messages,
        summary.customers,
        summary.organizations,
        summary.agents,
        size as f64 / 1e6
    );
    assert!(seconds < 300.0);
}
