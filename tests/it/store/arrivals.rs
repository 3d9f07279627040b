//! What the console's new-ticket form and its notice of new mail ask of the store: customers by
//! address or name, and what others changed since a mark in the event log.

use frontdesk::domain::*;
use frontdesk::store::Store;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, store)
}

fn ticket_for(store: &Store, email: &str, name: &str, actor: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some(name.into()),
        subject: format!("Help for {name}"),
        body: "Help".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, actor).unwrap()
}

#[test]
fn customers_are_found_by_the_start_of_an_address_or_of_a_word_of_their_name() {
    let (_dir, store) = store();
    ticket_for(&store, "carla@shop.example", "Carla Núñez", "ana");
    ticket_for(&store, "jn@carlton.example", "Jo Carlton", "ana");
    ticket_for(&store, "olu@x.example", "Olu Okafor", "ana");
    ticket_for(&store, "100%_off@x.example", "Percent_Sign", "ana");
    let names = |text: &str| store.find_customers(text, 8).unwrap().into_iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(names("carl"), ["Carla Núñez", "Jo Carlton"], "the address first, then names, newest first");
    assert_eq!(names("CARLA@"), ["Carla Núñez"], "any case; with an @ only addresses");
    assert_eq!(names("okaf"), ["Olu Okafor"]);
    assert_eq!(names("kafor"), Vec::<String>::new(), "the start of a word, not its middle");
    assert_eq!(names("percent_"), ["Percent_Sign"], "_ is a letter here, not a wildcard");
    assert_eq!(names("p%"), Vec::<String>::new(), "and % too");
    assert_eq!(names(""), Vec::<String>::new());
    assert_eq!(store.find_customers("o", 1).unwrap().len(), 1, "at most the limit");
    let carla = &store.find_customers("carla", 8).unwrap()[0];
    assert_eq!((carla.email.as_str(), carla.tickets), ("carla@shop.example", 1));
}

#[test]
fn changes_since_a_mark_are_others_with_their_events_and_the_next_mark() {
    let (_dir, store) = store();
    store.add_agent("hiro", None, Role::Agent).unwrap();
    let mine = ticket_for(&store, "carla@shop.example", "Carla", "ana");
    let mark = store.event_mark().unwrap();
    let theirs = ticket_for(&store, "olu@x.example", "Olu", "hiro");
    let assign = TicketChange { assignee: Some(Some("ana".into())), ..Default::default() };
    store.update_ticket(mine.id, mine.version, &assign, "hiro").unwrap();
    ticket_for(&store, "me@x.example", "Me", "ana");
    let (next, changed) = store.changed_since(mark, "ana").unwrap();
    assert_eq!(next, store.event_mark().unwrap());
    let seen: Vec<(i64, Vec<String>)> =
        changed.iter().map(|c| (c.ticket.id, c.events.iter().map(|e| e.field.clone()).collect())).collect();
    assert_eq!(seen, [(mine.id, vec!["assignee".to_string()]), (theirs.id, vec!["created".to_string()])]);
    let mine_view =
        TicketFilter { active_only: true, assignee: AssigneeFilter::Agent("ana".into()), ..Default::default() };
    let shown = store.shown_in(&mine_view, &[mine.id, theirs.id]).unwrap();
    assert_eq!(shown.into_iter().collect::<Vec<_>>(), [mine.id]);
    assert!(store.changed_since(next, "ana").unwrap().1.is_empty(), "nothing new after the new mark");
}

#[test]
fn a_customer_message_that_ends_a_snooze_is_told_apart_from_one_that_does_not() {
    let (_dir, store) = store();
    let asleep = ticket_for(&store, "carla@shop.example", "Carla", "ana");
    let awake = ticket_for(&store, "olu@x.example", "Olu", "ana");
    let ended = ticket_for(&store, "jo@x.example", "Jo", "ana");
    let later = chrono::Utc::now() + chrono::Duration::days(2);
    store.snooze_ticket(asleep.id, later, "ana").unwrap();
    store.snooze_ticket(ended.id, later, "ana").unwrap();
    store.add_message(ended.id, MessageKind::Customer, "mail", "first", None).unwrap(); // ends it
    let mark = store.event_mark().unwrap();
    for id in [asleep.id, awake.id, ended.id] {
        store.add_message(id, MessageKind::Customer, "mail", "me again", None).unwrap();
    }
    let (_, changed) = store.changed_since(mark, "ana").unwrap();
    let woken: Vec<(i64, bool)> = changed.iter().map(|c| (c.ticket.id, c.woken)).collect();
    assert_eq!(woken, [(asleep.id, true), (awake.id, false), (ended.id, false)]);
}
