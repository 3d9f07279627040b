//! The agent's text is never lost: a send the store refuses keeps it (and saves it as a draft
//! again), and `e` opens the editor on the saved draft, not on nothing.

use crate::support::console::{deliver, numbered_ticket, open, press, status, store_of, type_text};
use frontdesk::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::model::message::{Effect, Msg};
use frontdesk::domain::{MessageKind, Role, Status, TicketChange};
use frontdesk::store::Store;

fn desk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("bob", None, Role::Agent).unwrap();
    numbered_ticket(&store, 1);
    (dir, path)
}

#[test]
fn a_send_the_store_refuses_keeps_the_text_and_saves_it_as_a_draft() {
    let (_dir, path) = desk();
    let mut ana = open(&path, "ana");
    press(&mut ana, "enter r");
    type_text(&mut ana, "Here is the fix");
    // Meanwhile bob closes the ticket: "send and set solved" can no longer be done whole.
    let store = store_of(&ana);
    let close = TicketChange { status: Some(Status::Closed), ..Default::default() };
    store.change_ticket(1, &close, "bob").unwrap();
    ana.handle(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::ALT)));
    press(&mut ana, "s");
    let said = status(&ana);
    assert!(said.contains("closed") && said.contains("your text is kept"), "{said}");
    let composer = ana.state.composer.as_ref().expect("the composer stays open");
    assert_eq!(composer.body(), "Here is the fix");
    assert!(store.ticket_detail(1).unwrap().messages.iter().all(|m| m.kind != MessageKind::Reply), "nothing sent");
    deliver(&mut ana, Msg::DraftDue);
    let draft = store.draft(1, "ana").unwrap().expect("the text is saved as a draft again");
    assert_eq!(draft.body, "Here is the fix");
}

#[test]
fn e_opens_the_editor_on_the_saved_draft() {
    let (_dir, path) = desk();
    let store = Store::open(&path).unwrap();
    store.save_draft(1, "ana", MessageKind::Reply, "Half an answer").unwrap();
    let mut ana = open(&path, "ana");
    press(&mut ana, "enter e");
    let asked = ana.terminal_requests.iter().find_map(|e| match e {
        Effect::OpenEditor { body } => Some(body.clone()),
        _ => None,
    });
    assert_eq!(asked.as_deref(), Some("Half an answer"), "{:?}", ana.terminal_requests);
}
