//! The agent's loop, counted in keys: the ticket that most needs an answer is on screen, a canned
//! reply greets the customer by name, it is sent with its status, and the console lands on the
//! next customer who waits.

use crate::support::console::{open_with, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::domain::*;
use frontdesk::store::Store;

/// Press `keys` (named as `press` names them) and count them.
fn keys(app: &mut App, count: &mut usize, keys: &str) {
    *count += keys.split_whitespace().count();
    press(app, keys);
}

#[test]
fn answer_the_longest_waiting_customer_and_land_on_the_next_in_at_most_six_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    let carla = ticket_from(&store, "carla@shop.example", "Carla Núñez", "Broken lamp", Priority::Normal);
    let answered = ticket_from(&store, "olu@shop.example", "Olu Okafor", "Invoice", Priority::Normal);
    store.add_message(answered.id, MessageKind::Reply, "ana", "Here it is.", None).unwrap();
    let hiro = ticket_from(&store, "hiro@shop.example", "Hiro Tanaka", "Login loop", Priority::Normal);
    let mut app = open_with(store, "ana", chrono::Utc::now(), |_| {});
    app.state.macros = frontdesk::config::load_macros(&dir.path().join("none")).0;

    // The first screen already shows the ticket that waits longest: no key to find or open it.
    assert_eq!(app.state.open_ticket().map(|t| t.id), Some(carla.id), "{:?}", app.state.queue.rows);
    let mut count = 0;
    keys(&mut app, &mut count, "r ctrl-t");
    type_text(&mut app, "solved"); // typing, not counted
    keys(&mut app, &mut count, "enter ctrl-s");

    let store = store_of(&app);
    let sent = store.ticket_detail(carla.id).unwrap();
    let reply = sent.messages.iter().rev().find(|m| m.kind == MessageKind::Reply).expect("a reply");
    assert!(reply.body.starts_with("Hi Carla,"), "greets by first name: {}", reply.body);
    assert_eq!(sent.ticket.status, Status::Solved, "the canned reply's status, in the same send");
    assert_eq!(sent.ticket.waiting_since, None, "Carla no longer waits");
    assert_eq!(app.state.open_ticket().map(|t| t.id), Some(hiro.id), "landed on the next customer who waits");
    assert!(status(&app).contains(&format!("next: #{} Hiro Tanaka", hiro.id)), "{}", status(&app));
    assert!(count <= 6, "the loop took {count} keys");
    assert_eq!(count, 4, "r, Ctrl-t, Enter, Ctrl-s");
}
