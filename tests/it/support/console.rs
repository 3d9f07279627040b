//! The console without a terminal: an `App` on a real database, fed key presses.

use frontdesk::app::effects::App;
use frontdesk::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::model::keymap::Keymap;
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::state::State;
use frontdesk::app::model::views::View;
use frontdesk::domain::{Channel, NewTicket, Priority, Ticket, Timestamp};
use frontdesk::store::Store;
use std::collections::BTreeMap;

/// The console of `login` on `store` at 120×40, set up by `setup` before its first loads.
pub fn open_with(store: Store, login: &str, now: Timestamp, setup: impl FnOnce(&mut App)) -> App {
    let agent = store.agent(login).unwrap().unwrap();
    let (keymap, _) = Keymap::build(&BTreeMap::new());
    let state = State::new(agent, keymap, View::Open, (120, 40), now);
    let mut app = App::new(state, store);
    setup(&mut app);
    app.start();
    app.wait_idle();
    app
}

/// The console of `login` on the database at `path`, now.
pub fn open(path: &std::path::Path, login: &str) -> App {
    open_with(Store::open(path).unwrap(), login, chrono::Utc::now(), |_| {})
}

/// A key as the tests name it: `enter`, `esc`, `tab`, `backspace`, `ctrl-s`, or one character.
pub fn key(name: &str) -> KeyEvent {
    match name {
        "enter" => KeyEvent::from(KeyCode::Enter),
        "esc" => KeyEvent::from(KeyCode::Esc),
        "tab" => KeyEvent::from(KeyCode::Tab),
        "backspace" => KeyEvent::from(KeyCode::Backspace),
        "down" => KeyEvent::from(KeyCode::Down),
        "space" => KeyEvent::from(KeyCode::Char(' ')),
        "up" => KeyEvent::from(KeyCode::Up),
        _ if name.starts_with("ctrl-") && name.chars().count() == 6 => {
            KeyEvent::new(KeyCode::Char(name.chars().last().unwrap()), KeyModifiers::CONTROL)
        }
        _ if name.starts_with("alt-") && name.chars().count() == 5 => {
            KeyEvent::new(KeyCode::Char(name.chars().last().unwrap()), KeyModifiers::ALT)
        }
        _ if name.chars().count() == 1 => KeyEvent::from(KeyCode::Char(name.chars().next().unwrap())),
        other => panic!("no such key in these tests: {other}"),
    }
}

/// Press the keys named in `keys`, separated by spaces, and let the console answer each.
pub fn press(app: &mut App, keys: &str) {
    for name in keys.split_whitespace() {
        app.handle(Msg::Key(key(name)));
        app.wait_idle();
    }
}

/// The queue's cursor rests: the preview's timer fires (tests have no timers) and the answer is
/// handled.
pub fn rest(app: &mut App) {
    let generation = app.state.preview.generation;
    deliver(app, Msg::PreviewDue { generation });
}

/// Type `text`, one key per character (spaces too).
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        app.wait_idle();
    }
}

/// Hand `msg` to the console as if it had arrived, and let it answer.
pub fn deliver(app: &mut App, msg: Msg) {
    app.handle(msg);
    app.wait_idle();
}

/// A connection of the test's own, to look at what the console did to the desk.
pub fn store_of(app: &App) -> Store {
    Store::open(app.db_path()).unwrap()
}

/// What the status line says.
pub fn status(app: &App) -> String {
    app.state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

/// A ticket from `email` by the agent `ana`.
pub fn ticket_from(store: &Store, email: &str, name: &str, subject: &str, priority: Priority) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: Some(name.into()),
        subject: subject.into(),
        body: "Please help.".into(),
        priority,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

/// Ticket number `n` of a desk of five customers.
pub fn numbered_ticket(store: &Store, n: usize) -> Ticket {
    let new = NewTicket {
        customer_email: format!("customer{}@shop.example", n % 5),
        customer_name: Some(format!("Customer {}", n % 5)),
        subject: format!("Problem number {n}"),
        body: format!("Please help with problem {n}."),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}
