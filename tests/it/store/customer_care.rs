//! Customer care in the store: snoozes, ratings, merges, the due order, customers alike.

use chrono::{Duration, Utc};
use frontdesk::domain::lifecycle::woke_up;
use frontdesk::domain::satisfaction::{csat_percent, Csat, RatingKind};
use frontdesk::domain::TicketFilter;
use frontdesk::domain::*;
use frontdesk::store::Store;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, store)
}

fn ticket(store: &Store, subject: &str) -> Ticket {
    let new = NewTicket {
        customer_email: "carla@shop.example".into(),
        customer_name: Some("Carla Núñez".into()),
        subject: subject.into(),
        body: "Help".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn working_view(store: &Store) -> Vec<i64> {
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    store.list_tickets(&filter, None, 50).unwrap().iter().map(|t| t.id).collect()
}

#[test]
fn a_snoozed_ticket_comes_back_when_due() {
    let (_dir, store) = store();
    let t = ticket(&store, "Lamp");
    let until = Utc::now() + Duration::milliseconds(700);
    let snoozed = store.snooze_ticket(t.id, until, "ana").unwrap();
    assert_eq!(working_view(&store), Vec::<i64>::new());
    assert_eq!(store.count_tickets(&TicketFilter { active_only: true, ..Default::default() }).unwrap(), 0);
    assert_eq!(store.list_tickets(&TicketFilter::default(), None, 50).unwrap().len(), 1, "All still shows it");
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(working_view(&store), vec![t.id]);
    let snoozes = store.snoozes(std::slice::from_ref(&snoozed)).unwrap();
    assert!(woke_up(&snoozed, snoozes[&t.id], Utc::now()), "due again, untouched since");
    let events = store.ticket_detail(t.id).unwrap().events;
    assert!(events.iter().any(|e| e.field == "snoozed_until"));
}

#[test]
fn a_ticket_snoozed_until_the_customer_writes_has_no_wake_up_time() {
    let (_dir, store) = store();
    let t = ticket(&store, "Lamp");
    store.snooze_ticket(t.id, frontdesk::domain::sla::until_reply(), "ana").unwrap();
    assert_eq!(working_view(&store), Vec::<i64>::new());
    assert_eq!(store.next_wake(Utc::now()).unwrap(), None, "no timer for the console to set");
    let later = store.snooze_ticket(ticket(&store, "Chair").id, Utc::now() + Duration::hours(2), "ana").unwrap();
    assert!(store.next_wake(Utc::now()).unwrap().is_some_and(|at| at > Utc::now()), "{later:?}");
    store.add_message(t.id, MessageKind::Customer, "carla", "Any news?", None).unwrap();
    assert_eq!(working_view(&store), vec![t.id], "their answer wakes it");
}

#[test]
fn the_customer_writing_wakes_a_snoozed_ticket() {
    let (_dir, store) = store();
    let t = ticket(&store, "Lamp");
    store.snooze_ticket(t.id, Utc::now() + Duration::days(3), "ana").unwrap();
    store.add_message(t.id, MessageKind::Customer, "carla", "Any news?", None).unwrap();
    assert_eq!(working_view(&store), vec![t.id]);
    let solved = store.update_ticket(
        t.id,
        store.ticket(t.id).unwrap().version,
        &TicketChange { status: Some(Status::Solved), ..Default::default() },
        "ana",
    );
    let err = store.snooze_ticket(t.id, Utc::now() + Duration::days(1), "ana").unwrap_err();
    assert!(solved.is_ok());
    assert_eq!(err.to_string(), format!("ticket #{} is solved; only active tickets snooze", t.id));
}

#[test]
fn ratings_are_kept_per_ticket_and_customer() {
    let (_dir, store) = store();
    let t = ticket(&store, "Lamp");
    let v = store.ticket(t.id).unwrap().version;
    store.update_ticket(t.id, v, &TicketChange { status: Some(Status::Solved), ..Default::default() }, "ana").unwrap();
    store.rate_ticket(t.id, Csat::Score(2), "slow", "ana").unwrap();
    store.rate_ticket(t.id, Csat::Good, "", "ana").unwrap(); // a second answer replaces the first
    let ratings = store.customer_ratings(t.customer_id).unwrap();
    assert_eq!(ratings.len(), 1);
    assert_eq!((ratings[0].kind, ratings[0].good, ratings[0].ticket_id), (RatingKind::Csat, true, Some(t.id)));
    assert_eq!(csat_percent(&ratings), Some(100.0));
    store.rate_nps(t.customer_id, 4, "", "ana").unwrap();
    assert!(store.rate_nps(t.customer_id, 10, "", "ana").is_err());
    assert_eq!(store.customer_ratings(t.customer_id).unwrap()[0].kind, RatingKind::Nps);
}

fn ticket_from(store: &Store, email: &str, subject: &str, body: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some("Carla Núñez".into()),
        subject: subject.into(),
        body: body.into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec!["lamp".into()],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn search(store: &mut Store, text: &str) -> Vec<i64> {
    let query =
        frontdesk::domain::search::SearchQuery::parse(text, frontdesk::domain::when::Zone::Named(chrono_tz::UTC))
            .unwrap();
    store.search(&query, "ana", 50).unwrap().tickets.iter().map(|t| t.id).collect()
}

#[test]
fn merging_tickets_moves_the_conversation_holds_notes_internal_and_logs_it() {
    let (_dir, mut store) = store();
    let first = ticket_from(&store, "carla@shop.example", "Lamp broken", "The lamp flickers");
    let second = ticket_from(&store, "carla@shop.example", "Lamp again", "Still zigzagging light");
    store.add_message(second.id, MessageKind::Note, "ana", "internal: supplier fault", None).unwrap();
    assert_eq!(search(&mut store, "zigzagging"), vec![second.id]);
    let merged = store.merge_tickets(second.id, first.id, "ana").unwrap();
    assert_eq!(merged.id, first.id);
    let into = store.ticket_detail(first.id).unwrap();
    let kinds: Vec<_> = into.messages.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, vec![MessageKind::Customer, MessageKind::Customer, MessageKind::Note, MessageKind::System]);
    assert!(into.events.iter().any(|e| e.field == "merged" && e.new == Some(second.id.to_string())));
    let from = store.ticket_detail(second.id).unwrap();
    assert_eq!(from.ticket.status, Status::Closed);
    assert_eq!(from.messages.len(), 1, "only the system line saying where it went");
    assert_eq!(from.messages[0].kind, MessageKind::System);
    assert_eq!(search(&mut store, "zigzagging"), vec![first.id], "the search index follows the messages");

    let other = ticket_from(&store, "hiro@example.com", "Chair", "Wobbly");
    let err = store.merge_tickets(other.id, first.id, "ana").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("#{} and #{} are from different customers; merge the customers first", other.id, first.id)
    );
    assert!(store.merge_tickets(first.id, first.id, "ana").is_err());
}

#[test]
fn merging_customers_moves_addresses_tickets_and_ratings() {
    let (_dir, mut store) = store();
    let home = ticket_from(&store, "carla@home.example", "Lamp", "Broken");
    let work = ticket_from(&store, "c.nunez@work.example", "Invoice", "Wrong VAT");
    store.update_customer(home.customer_id, None, Some("Prefers email"), "ana").unwrap();
    let v = store.ticket(home.id).unwrap().version;
    store
        .update_ticket(home.id, v, &TicketChange { status: Some(Status::Solved), ..Default::default() }, "ana")
        .unwrap();
    store.rate_ticket(home.id, Csat::Good, "", "ana").unwrap();
    let merged = store.merge_customers(home.customer_id, work.customer_id, "ana").unwrap();
    assert_eq!(merged.emails, vec!["c.nunez@work.example".to_string(), "carla@home.example".to_string()]);
    assert_eq!(merged.notes, "Prefers email");
    assert!(store.customer(home.customer_id).is_err());
    assert_eq!(store.ticket(home.id).unwrap().customer_id, work.customer_id);
    assert_eq!(store.customer_ratings(work.customer_id).unwrap().len(), 1);
    let events = store.ticket_detail(home.id).unwrap().events;
    assert!(events.iter().any(|e| e.field == "customer_id" && e.new == Some(work.customer_id.to_string())));
    assert_eq!(store.customer_by_email("CARLA@home.example").unwrap().unwrap().id, work.customer_id);
    let mut found = search(&mut store, "from:carla@home.example");
    found.sort();
    assert_eq!(found, vec![home.id, work.id], "both tickets are now found by either address");
}

fn urgent_policy(first_response: i64) -> frontdesk::domain::sla::Policies {
    use frontdesk::domain::sla::{Hours, Policies, Policy, Targets};
    let targets = Targets { first_response: Some(first_response), next_response: None, resolution: None };
    Policies { policies: vec![Policy { priority: Priority::Urgent, tier: None, targets, hours: Hours::Calendar }] }
}

fn urgent(store: &Store, subject: &str) -> Ticket {
    let t = ticket(store, subject);
    let change = TicketChange { priority: Some(Priority::Urgent), ..TicketChange::default() };
    store.update_ticket(t.id, t.version, &change, "ana").unwrap()
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
fn the_due_order_puts_woken_then_breached_first_across_the_whole_desk() {
    let (_dir, store) = store();
    let breached = urgent(&store, "Site down");
    let waiting = urgent(&store, "Site down too, waiting on the customer");
    let snoozed = ticket(&store, "Call back");
    store.snooze_ticket(snoozed.id, Utc::now() + Duration::milliseconds(300), "ana").unwrap();
    let pending = TicketChange { status: Some(Status::Pending), ..TicketChange::default() };
    store.update_ticket(waiting.id, waiting.version, &pending, "ana").unwrap();
    let quiet: Vec<i64> = (0..5)
        .map(|i| {
            std::thread::sleep(std::time::Duration::from_millis(2));
            ticket(&store, &format!("Question {i}")).id
        })
        .collect();
    // A one-second first response target: both urgent tickets are breached a second from now.
    let policies = urgent_policy(1);
    assert_eq!(store.refresh_due(&policies, 100, true).unwrap(), 0);
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    assert_eq!(store.refresh_due(&policies, 100, true).unwrap(), 0, "nothing changed since");
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    // The quiet ones wait on us (their customer wrote last): the longest wait first, before the
    // pending ticket, which waits on its customer.
    let mut want = vec![snoozed.id, breached.id];
    want.extend(quiet.iter());
    want.push(waiting.id);
    for size in [1, 2, 3, 50] {
        assert_eq!(pages(&store, &filter, size), want, "pages of {size}");
    }
    // The customer answers the pending ticket: its clock runs again, with most of its second left.
    store.add_message(waiting.id, MessageKind::Customer, "carla", "Still down!", None).unwrap();
    store.refresh_due(&policies, 100, true).unwrap();
    let listed = pages(&store, &filter, 2);
    assert_eq!(listed[..3], [snoozed.id, breached.id, quiet[0]], "not due yet: of all who wait, it waited least");
    assert_eq!(listed.last(), Some(&waiting.id));
    // A second later it is overdue too, but less long than the other one.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    assert_eq!(store.refresh_due(&policies, 100, true).unwrap(), 0);
    assert_eq!(pages(&store, &filter, 2)[..3], [snoozed.id, breached.id, waiting.id], "the longest overdue first");
    assert_eq!(pages(&store, &filter, 2)[2..4], [waiting.id, quiet[0]]);
    // A reply stops the first response clock: the ticket goes back among the rest.
    store.add_message(breached.id, MessageKind::Reply, "ana", "On it.", None).unwrap();
    store.refresh_due(&policies, 100, true).unwrap();
    let listed = pages(&store, &filter, 2);
    assert_eq!(listed[..3], [snoozed.id, waiting.id, quiet[0]], "answered: no longer waiting, nor due");
    assert_eq!(listed.last(), Some(&breached.id), "the only one nobody waits on");
}

#[test]
fn changed_policies_work_every_due_time_out_again() {
    let (_dir, store) = store();
    let b = ticket(&store, "Question");
    let a = urgent(&store, "Site down");
    let filter = TicketFilter { active_only: true, ..TicketFilter::default() };
    // An hour to answer: not near due, so the order is the longest waiting customer first.
    store.refresh_due(&urgent_policy(3_600), 100, true).unwrap();
    assert_eq!(pages(&store, &filter, 10), vec![b.id, a.id]);
    // A second to answer instead: the urgent ticket is now overdue, though nothing was written.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    assert_eq!(store.refresh_due(&urgent_policy(1), 1, true).unwrap(), 1, "one step at a time");
    assert_eq!(store.refresh_due(&urgent_policy(1), 1, true).unwrap(), 0);
    assert_eq!(pages(&store, &filter, 10), vec![a.id, b.id], "overdue first");
    // An agent whose config has no policies leaves the desk's due times alone.
    assert_eq!(store.refresh_due(&frontdesk::domain::sla::Policies::default(), 100, true).unwrap(), 0);
    assert_eq!(pages(&store, &filter, 10), vec![a.id, b.id]);
    // A console that already adopted its policies once does not take the desk back from another
    // agent whose config differs (they would take turns for ever): it only works out what changes.
    assert_eq!(store.refresh_due(&urgent_policy(3_600), 100, false).unwrap(), 0);
    assert_eq!(pages(&store, &filter, 10), vec![a.id, b.id]);
    let c = urgent(&store, "Down again");
    assert_eq!(store.refresh_due(&urgent_policy(3_600), 100, false).unwrap(), 0);
    assert_eq!(pages(&store, &filter, 10), vec![a.id, b.id, c.id], "c by its own policy: not due yet");
}

#[test]
fn customers_alike_share_a_name_or_the_part_of_an_address_before_the_at() {
    let (_dir, store) = store();
    let make = |email: &str, name: &str| {
        let new = NewTicket {
            customer_email: email.into(),
            customer_name: Some(name.into()),
            subject: "Hi".into(),
            body: "Hello".into(),
            priority: Priority::Normal,
            channel: Channel::Email,
            tags: vec![],
        };
        store.create_ticket(&new, "ana").unwrap().customer_id
    };
    let carla = make("carla@work.example", "Carla Núñez");
    let same_name = make("cn@home.example", "CARLA NÚÑEZ");
    let same_local = make("Carla@gmail.example", "C. N.");
    make("otto@shop.example", "Otto");
    make("carlotta@shop.example", "Carlotta");
    let found: Vec<i64> = store.similar_customers(carla, 20).unwrap().iter().map(|c| c.id).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&same_name) && found.contains(&same_local));
    assert!(!found.contains(&carla), "not herself");
}

/// A change of policies queues the tickets with clocks from their small indexes, never by reading
/// every ticket of the desk (seconds at a million, in a write that holds up every other agent).
#[test]
fn a_change_of_policies_finds_its_tickets_without_reading_the_desk() {
    let (_dir, store) = store();
    ticket(&store, "Question");
    let plan = store.due_requeue_plan().unwrap();
    let reads: Vec<_> = plan.iter().filter(|step| step.contains("tickets")).collect();
    assert_eq!(reads.len(), 2, "{plan:#?}");
    for read in reads {
        assert!(
            read.contains("USING INDEX tickets_") || read.contains("USING COVERING INDEX tickets_"),
            "a read of the whole desk: {plan:#?}"
        );
    }
}
