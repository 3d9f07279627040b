//! The console and the audit log: a delete from the console leaves a tombstone naming the agent,
//! and opening a ticket another agent deleted says who deleted it, not that it never was.

use crate::support::console::{deliver, numbered_ticket, open, press, status, store_of};
use frontdesk::app::model::action::Action;
use frontdesk::app::model::message::Msg;
use frontdesk::domain::Role;
use frontdesk::store::Store;

fn desk(tickets: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("root", None, Role::Admin).unwrap();
    for n in 0..tickets {
        numbered_ticket(&store, n);
    }
    (dir, path)
}

#[test]
fn a_delete_from_the_console_leaves_a_tombstone_naming_the_agent() {
    let (_dir, path) = desk(2);
    let mut ana = open(&path, "ana");
    press(&mut ana, "enter");
    let id = ana.state.open_ticket().unwrap().id;
    deliver(&mut ana, Msg::Action(Action::DeleteTicket));
    press(&mut ana, "y");
    let stone = store_of(&ana).tombstone(id).unwrap().expect("a tombstone");
    assert_eq!(stone.by, "ana");
    assert!(stone.what.contains("Problem number"), "{}", stone.what);
}

#[test]
fn opening_a_ticket_someone_deleted_says_who_deleted_it() {
    let (_dir, path) = desk(3);
    let mut ana = open(&path, "ana");
    let shown = ana.state.queue.rows[1].id;
    Store::open(&path).unwrap().delete_ticket(shown, "root").unwrap();
    press(&mut ana, "j enter");
    let said = status(&ana);
    assert!(said.starts_with(&format!("ticket #{shown} was deleted by root at ")), "{said}");
    assert!(said.contains("Problem number"), "{said}");
}
