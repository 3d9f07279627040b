//! `u` in the console: the agent's own last change undone, checked against the version it left.

use crate::support::console::{deliver, numbered_ticket, open, press, status, store_of, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::action::Action;
use frontdesk::app::model::message::Msg;
use frontdesk::domain::*;
use frontdesk::store::Store;
use std::path::PathBuf;

fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("hiro", Some("Hiro Tanaka"), Role::Agent).unwrap();
    numbered_ticket(&store, 0);
    (dir, path)
}

/// Ana's console with the desk's one ticket open.
fn opened(path: &std::path::Path) -> (App, i64) {
    let mut app = open(path, "ana");
    press(&mut app, "enter");
    let id = app.state.open_ticket().unwrap().id;
    (app, id)
}

/// A moment between two writes, as people type (the event log tells writes apart by the millisecond).
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2));
}

fn pick(app: &mut App, key: &str, text: &str) {
    settle();
    press(app, key);
    type_text(app, text);
    press(app, "enter");
}

#[test]
fn u_undoes_a_status_change_and_says_what_came_back() {
    let (_dir, path) = desk();
    let (mut app, id) = opened(&path);
    pick(&mut app, "s", "solved");
    assert_eq!(store_of(&app).ticket(id).unwrap().status, Status::Solved);
    press(&mut app, "u");
    assert_eq!(status(&app), format!("undone on #{id}: status solved → new"));
    assert_eq!(store_of(&app).ticket(id).unwrap().status, Status::New);
    assert_eq!(app.state.open_ticket().unwrap().status, Status::New, "the console shows it");
    let last = store_of(&app).ticket_detail(id).unwrap().events.pop().unwrap();
    assert_eq!((last.field.as_str(), last.actor.as_str()), ("undo", "ana"));
}

#[test]
fn u_undoes_priority_owner_take_and_tags_one_after_another() {
    let (_dir, path) = desk();
    let (mut app, id) = opened(&path);
    pick(&mut app, "p", "urg");
    pick(&mut app, "a", "hiro");
    settle();
    press(&mut app, "T");
    pick(&mut app, "t", "refund");
    let t = store_of(&app).ticket(id).unwrap();
    assert_eq!((t.priority, t.assignee.as_deref(), t.tags.len()), (Priority::Urgent, Some("ana"), 1));

    press(&mut app, "u");
    assert_eq!(status(&app), format!("undone on #{id}: tag #refund removed"));
    press(&mut app, "u");
    assert_eq!(store_of(&app).ticket(id).unwrap().assignee.as_deref(), Some("hiro"), "{}", status(&app));
    press(&mut app, "u");
    assert_eq!(store_of(&app).ticket(id).unwrap().assignee, None, "{}", status(&app));
    press(&mut app, "u");
    let t = store_of(&app).ticket(id).unwrap();
    assert_eq!((t.priority, t.tags.len()), (Priority::Normal, 0), "{}", status(&app));
    press(&mut app, "u");
    assert_eq!(
        status(&app),
        "nothing left to undo: your changes in this console are all undone (ticket undo N undoes older ones)"
    );
}

#[test]
fn u_undoes_a_snooze() {
    let (_dir, path) = desk();
    let (mut app, id) = opened(&path);
    settle();
    press(&mut app, "z 4 enter");
    assert!(app.state.queue.rows.iter().all(|t| t.id != id), "snoozed: {}", status(&app));
    press(&mut app, "u");
    assert!(status(&app).starts_with(&format!("undone on #{id}: snooze removed")), "{}", status(&app));
    assert!(store_of(&app).snoozes(&[store_of(&app).ticket(id).unwrap()]).unwrap().is_empty());
    assert!(app.state.queue.rows.iter().any(|t| t.id == id), "back in the queue");
}

#[test]
fn u_undoes_a_rating() {
    let (_dir, path) = desk();
    let (mut app, id) = opened(&path);
    pick(&mut app, "s", "solved");
    settle();
    press(&mut app, "R 5 enter");
    let customer = store_of(&app).ticket(id).unwrap().customer_id;
    assert_eq!(store_of(&app).customer_ratings(customer).unwrap().len(), 1, "{}", status(&app));
    press(&mut app, "u");
    assert_eq!(status(&app), format!("undone on #{id}: rating removed"));
    assert!(store_of(&app).customer_ratings(customer).unwrap().is_empty());
    assert_eq!(store_of(&app).ticket(id).unwrap().status, Status::Solved, "only the rating was undone");
}

#[test]
fn another_consoles_write_since_makes_u_a_conflict_that_changes_nothing() {
    let (_dir, path) = desk();
    let (mut ana, id) = opened(&path);
    pick(&mut ana, "s", "pend");
    let mut hiro = open(&path, "hiro");
    press(&mut hiro, "enter");
    pick(&mut hiro, "p", "high");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().priority, Priority::High);

    press(&mut ana, "u");
    let said = ana.state.status.clone().unwrap();
    assert!(said.is_error, "{said:?}");
    assert!(
        said.text.starts_with(&format!("#{id} changed since your change (priority normal → high by hiro at ")),
        "{}",
        said.text
    );
    assert!(said.text.ends_with("); nothing was undone"), "{}", said.text);
    let t = store_of(&ana).ticket(id).unwrap();
    assert_eq!((t.status, t.priority), (Status::Pending, Priority::High), "both changes stand");
    assert_eq!(ana.state.open_ticket().unwrap().priority, Priority::High, "the screen shows the ticket as it is");
    press(&mut ana, "u");
    assert_eq!(
        status(&ana),
        "nothing left to undo: your changes in this console are all undone (ticket undo N undoes older ones)"
    );
}

#[test]
fn nothing_to_undo_says_so_and_the_palette_runs_undo_by_name() {
    let (_dir, path) = desk();
    let (mut app, id) = opened(&path);
    deliver(&mut app, Msg::Action(Action::Undo));
    assert_eq!(
        status(&app),
        "nothing left to undo: your changes in this console are all undone (ticket undo N undoes older ones)"
    );
    pick(&mut app, "s", "pend");
    press(&mut app, ":");
    type_text(&mut app, "undo");
    press(&mut app, "enter");
    assert_eq!(status(&app), format!("undone on #{id}: status pending → new"));
}
