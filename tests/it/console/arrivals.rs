//! New mail noticed: while a console runs, another process's new ticket, or a ticket assigned to
//! the agent, is named on the status line; other changes are not news. The bell rings when asked.

use crate::support::console::{deliver, numbered_ticket, open, status};
use frontdesk::app::effects::watcher::Watcher;
use frontdesk::app::model::message::{Effect, Msg};
use frontdesk::domain::*;
use frontdesk::store::Store;
use std::sync::mpsc::Receiver;

fn wait_for(rx: &Receiver<Msg>, what: impl Fn(&Msg) -> bool) -> Msg {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(msg) if what(&msg) => return msg,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("the watcher said nothing in time")
}

fn desk_changed(msg: &Msg) -> bool {
    matches!(msg, Msg::StoreChanged { desk_changed: true, .. })
}

fn carla() -> NewTicket {
    NewTicket {
        customer_email: "carla@shop.example".into(),
        customer_name: Some("Carla Núñez".into()),
        subject: "Refund for order 48213".into(),
        body: "It arrived broken.".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    }
}

#[test]
fn a_ticket_another_process_writes_is_named_while_the_console_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let setup = Store::open(&path).unwrap();
    setup.register_first_admin("ana").unwrap();
    setup.add_agent("hiro", None, Role::Agent).unwrap();
    for n in 0..3 {
        numbered_ticket(&setup, n);
    }
    let mut ana = open(&path, "ana");
    let (tx, rx) = std::sync::mpsc::channel();
    ana.watcher = Some(Watcher::spawn(path.clone(), "ana".into(), tx));
    let first = wait_for(&rx, |m| matches!(m, Msg::StoreChanged { .. }));
    deliver(&mut ana, first);

    let other = Store::open(&path).unwrap();
    let new = other.create_ticket(&carla(), "hiro").unwrap();
    deliver(&mut ana, wait_for(&rx, desk_changed));
    assert_eq!(status(&ana), format!("new: #{} Carla Núñez — Refund for order 48213", new.id));
    assert!(ana.state.queue.rows.iter().any(|t| t.id == new.id), "and the queue shows it");
    assert!(ana.terminal_requests.is_empty(), "no bell unless asked");

    // A change that brings nothing into the tab or Mine is not news.
    ana.state.set_status("quiet");
    let t1 = other.ticket(1).unwrap();
    other
        .update_ticket(1, t1.version, &TicketChange { priority: Some(Priority::High), ..Default::default() }, "hiro")
        .unwrap();
    deliver(&mut ana, wait_for(&rx, desk_changed));
    assert_eq!(status(&ana), "quiet");

    // Assigned to ana by hiro: it arrives in Mine, though the Open tab had it already.
    ana.state.bell = true;
    let t2 = other.ticket(2).unwrap();
    let assign = TicketChange { assignee: Some(Some("ana".into())), ..Default::default() };
    other.update_ticket(2, t2.version, &assign, "hiro").unwrap();
    deliver(&mut ana, wait_for(&rx, desk_changed));
    assert_eq!(status(&ana), "new: #2 Customer 1 — Problem number 1");
    assert_eq!(ana.terminal_requests, vec![Effect::Bell], "ui.bell rings");

    // The agent's own writes are not news to them.
    ana.terminal_requests.clear();
    ana.state.set_status("quiet");
    other.create_ticket(&carla(), "ana").unwrap();
    deliver(&mut ana, wait_for(&rx, desk_changed));
    assert_eq!(status(&ana), "quiet");

    // Snoozed by ana, then the customer writes: it is back in the Open tab, and that is news.
    other.snooze_ticket(3, chrono::Utc::now() + chrono::Duration::days(3), "ana").unwrap();
    deliver(&mut ana, wait_for(&rx, desk_changed));
    assert!(!ana.state.queue.rows.iter().any(|t| t.id == 3), "asleep");
    other.add_message(3, MessageKind::Customer, "mail", "Any news?", None).unwrap();
    deliver(&mut ana, wait_for(&rx, desk_changed));
    assert_eq!(status(&ana), "new: #3 Customer 2 — Problem number 2");
    assert!(ana.state.queue.rows.iter().any(|t| t.id == 3), "awake");
}

#[test]
fn the_bell_reaches_the_terminal_with_the_next_frame() {
    use frontdesk::app::headless::Headless;
    use frontdesk::app::model::views::View;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    let agent = store.agent("ana").unwrap().unwrap();
    let mut console =
        Headless::start_with(store, agent, View::Open, (80, 24), chrono::Utc::now(), |app| app.state.bell = true)
            .unwrap();
    assert!(!console.last_bytes.contains(&0x07));
    Store::open(&path).unwrap().create_ticket(&carla(), "mail").unwrap();
    console.app.handle(Msg::StoreChanged { desk_changed: true, presence: vec![] });
    console.app.wait_for_store();
    console.draw().unwrap();
    assert!(console.last_bytes.contains(&0x07), "BEL written");
    assert!(console.screen_text().contains("new: #1 Carla Núñez — Refund for order"), "{}", console.screen_text());
}
