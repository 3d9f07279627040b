//! The demo desk as a new user first sees it: the Open tab in due order, with the demo config's
//! SLA policies, through the console's own loads.

use crate::support::console::{open_with, press, store_of};
use chrono::Utc;
use frontdesk::demo::{generate, DemoOptions, DEMO_SEED, DEMO_TICKETS, DESK_CONFIG};
use frontdesk::domain::sla::{ClockState, Policies};
use frontdesk::domain::{MessageKind, Status, Ticket, Timestamp};
use frontdesk::store::Store;
use std::path::Path;

/// The rows a first screen shows at 80×24 (issue: at least 8).
const FIRST_SCREEN: usize = 8;

fn demo_policies() -> Policies {
    frontdesk::config::parse(DESK_CONFIG, Path::new("demo/config.toml")).unwrap().sla_policies()
}

/// New or open, and the last public message is the customer's, written within the last day.
fn waiting_on_us(store: &Store, ticket: &Ticket, now: Timestamp) -> bool {
    let detail = store.ticket_detail(ticket.id).unwrap();
    let mut public = detail.messages.iter().filter(|m| matches!(m.kind, MessageKind::Customer | MessageKind::Reply));
    let last = public.next_back().unwrap();
    matches!(ticket.status, Status::New | Status::Open)
        && last.kind == MessageKind::Customer
        && now - last.created_at < chrono::Duration::days(1)
}

#[test]
fn the_first_screen_shows_clocks_a_breach_waiting_customers_and_one_at_risk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    let now = Utc::now();
    let options = DemoOptions { tickets: DEMO_TICKETS, seed: DEMO_SEED, now, agents: vec![] };
    generate(&store, &options, &mut |_| {}).unwrap();
    let policies = demo_policies();
    let mut app = open_with(store, "ana", now, |app| app.sla = policies.clone());
    let rows: Vec<Ticket> = app.state.queue.rows.iter().take(FIRST_SCREEN).cloned().collect();
    assert_eq!(rows.len(), FIRST_SCREEN);

    let clocks: Vec<ClockState> = rows.iter().filter_map(|t| app.state.queue.sla.get(&t.id)).map(|c| c.state).collect();
    // Pending and on-hold tickets are in the tab too, their clocks stopped while the customer answers.
    assert!(clocks.len() >= FIRST_SCREEN - 2, "the rows show their clocks: {clocks:?}");
    let breached = clocks.iter().filter(|s| **s == ClockState::Breached).count();
    assert!((1..=4).contains(&breached), "a breach or a few: {clocks:?}");
    assert_eq!(clocks[0], ClockState::Breached, "due order puts a breach first: {clocks:?}");

    let check = store_of(&app);
    let waiting = rows.iter().filter(|t| waiting_on_us(&check, t, now)).count();
    assert!(waiting >= 3, "{waiting} of the first {FIRST_SCREEN} rows wait on us");

    let mut at_risk = Vec::new();
    for row in 0..3 {
        press(&mut app, "enter");
        let facts = &app.state.profile.facts;
        at_risk.extend(facts.at_risk.clone().map(|why| format!("row {row}: {why}")));
        press(&mut app, "1 j");
    }
    assert!(!at_risk.is_empty(), "no customer at risk on the first three tickets");
}

/// The first frame a new user sees at `size`, drawn by the console itself (no key pressed).
fn first_frame(size: (u16, u16)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    let now = Utc::now();
    let options = DemoOptions { tickets: DEMO_TICKETS, seed: DEMO_SEED, now, agents: vec!["ana".into()] };
    generate(&store, &options, &mut |_| {}).unwrap();
    let agent = store.agent("ana").unwrap().unwrap();
    let policies = demo_policies();
    let view = frontdesk::app::model::views::View::Open;
    let console = frontdesk::app::headless::Headless::start_with(store, agent, view, size, now, |app| {
        app.sla = policies.clone();
    })
    .unwrap();
    assert!(console.first_frame <= 16 * 1024, "first frame of {} bytes", console.first_frame);
    console.screen_text()
}

#[test]
fn the_first_frame_shows_a_conversation_clocks_and_who_waits_without_a_key() {
    for size in [(80, 24), (200, 50)] {
        let screen = first_frame(size);
        assert!(!screen.contains("Pick a ticket"), "{size:?}: the conversation is shown\n{screen}");
        assert!(screen.contains("┌ #") || screen.contains("┏ #"), "{size:?}: a ticket's conversation\n{screen}");
        assert!(screen.contains("×"), "{size:?}: a breached clock\n{screen}");
        assert!(screen.contains("⏳"), "{size:?}: customers waiting on us, and for how long\n{screen}");
        assert!(screen.contains("waiting, longest"), "{size:?}: the status line counts them\n{screen}");
        if size.0 >= 160 {
            assert!(screen.contains("at risk"), "{size:?}: the profile says who is at risk\n{screen}");
        }
    }
}
