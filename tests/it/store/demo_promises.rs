//! The demo desk keeps the demo config's SLA promises but for a few, whenever it is made: a
//! breach or a few among the running clocks, never a desk on fire, on a weekday or at a weekend.

use chrono::{TimeZone, Utc};
use frontdesk::demo::{generate, DemoOptions, DEMO_SEED, DEMO_TICKETS, DESK_CONFIG};
use frontdesk::domain::sla::{next_due, ClockState};
use frontdesk::domain::{Status, Ticket, TicketFilter, Tier, Timestamp};
use frontdesk::store::Store;
use std::path::Path;

/// The state of each running clock the queue would show, with the ticket's customer tier.
fn running_clocks(now: Timestamp) -> Vec<(Ticket, Tier, ClockState)> {
    let store = Store::open_in_memory().unwrap();
    let options = DemoOptions { tickets: DEMO_TICKETS, seed: DEMO_SEED, now, agents: vec![] };
    generate(&store, &options, &mut |_| {}).unwrap();
    let policies = frontdesk::config::parse(DESK_CONFIG, Path::new("demo.toml")).unwrap().sla_policies();
    let filter = TicketFilter { statuses: vec![Status::New, Status::Open], ..TicketFilter::default() };
    let tickets = store.list_tickets(&filter, None, 10_000).unwrap();
    let timelines = store.sla_timelines(&tickets).unwrap();
    tickets
        .into_iter()
        .filter_map(|t| {
            let (tier, timeline) = timelines.get(&t.id)?;
            let (clocks, _) = policies.clocks_for(t.priority, *tier, timeline, now);
            let state = next_due(&clocks)?.state;
            Some((t, *tier, state))
        })
        .collect()
}

#[test]
fn a_breach_or_a_few_whatever_the_hour() {
    let moments = [
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 30, 0).unwrap(), // Monday, as the shop opens
        Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap(),  // Wednesday afternoon
        Utc.with_ymd_and_hms(2026, 12, 4, 17, 55, 0).unwrap(), // Friday, before closing
        Utc.with_ymd_and_hms(2026, 12, 5, 12, 0, 0).unwrap(),  // Saturday
        Utc.with_ymd_and_hms(2026, 12, 28, 9, 0, 0).unwrap(),  // a bank holiday after Christmas
    ];
    for now in moments {
        let clocks = running_clocks(now);
        let breached: Vec<_> = clocks.iter().filter(|(_, _, s)| *s == ClockState::Breached).collect();
        assert!(clocks.len() >= 10, "{now}: {} running clocks", clocks.len());
        assert!((1..=5).contains(&breached.len()), "{now}: {} breached of {}", breached.len(), clocks.len());
        assert!(breached.iter().any(|(_, tier, _)| *tier == Tier::Vip), "{now}: the late VIP ticket is breached");
        assert!(clocks.iter().any(|(_, _, s)| *s == ClockState::Ok), "{now}: clocks still running");
    }
}

#[test]
fn tiers_raise_the_priority_as_tickets_come_in() {
    let store = Store::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap();
    generate(&store, &DemoOptions { tickets: DEMO_TICKETS, seed: DEMO_SEED, now, agents: vec![] }, &mut |_| {})
        .unwrap();
    let tickets = store.list_tickets(&TicketFilter::default(), None, 10_000).unwrap();
    let mut raised = 0;
    for t in &tickets {
        let tier = store.customer(t.customer_id).unwrap().tier;
        let events = store.ticket_detail(t.id).unwrap().events;
        let raise = events.iter().find(|e| e.field == "priority" && e.actor == "system");
        let first = events.iter().find(|e| e.field == "priority").and_then(|e| e.old.clone());
        let came_in_urgent = first.unwrap_or_else(|| t.priority.to_string()) == "urgent";
        match tier {
            Tier::Gold | Tier::Vip if came_in_urgent => assert!(raise.is_none()),
            Tier::Gold | Tier::Vip => {
                let raise = raise.unwrap_or_else(|| panic!("#{} of a {tier} customer was not raised", t.id));
                assert_eq!(raise.created_at, t.created_at);
                raised += 1;
            }
            _ => assert!(raise.is_none(), "#{} of a {tier} customer was raised", t.id),
        }
    }
    assert!(raised >= 10, "{raised} raised");
}

#[test]
fn customers_rate_some_solved_tickets_mostly_well() {
    let store = Store::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap();
    generate(&store, &DemoOptions { tickets: DEMO_TICKETS, seed: DEMO_SEED, now, agents: vec![] }, &mut |_| {})
        .unwrap();
    let customers = store.list_customers(0, 1_000).unwrap();
    let ratings: Vec<_> = customers.iter().flat_map(|c| store.customer_ratings(c.id).unwrap()).collect();
    assert!(ratings.len() >= 30, "{} ratings", ratings.len());
    let good = ratings.iter().filter(|r| r.good).count() as f64 / ratings.len() as f64;
    assert!((0.65..=0.95).contains(&good), "{good} good");
    for r in &ratings {
        let ticket = store.ticket(r.ticket_id.unwrap()).unwrap();
        assert!(!ticket.status.is_active() && r.created_at <= now, "#{} rated while {}", ticket.id, ticket.status);
    }
}
