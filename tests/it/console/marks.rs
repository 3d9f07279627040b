//! Marking tickets and changing all of them at once, each write checked against what was seen.

use crate::support::console::{numbered_ticket, open_with, press, status, store_of, type_text};
use frontdesk::app::effects::App;
use frontdesk::domain::*;
use frontdesk::store::Store;

fn desk(tickets: usize) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("hiro", Some("Hiro Tanaka"), Role::Agent).unwrap();
    for n in 0..tickets {
        numbered_ticket(&store, n);
    }
    let app = open_with(store, "ana", chrono::Utc::now(), |_| {});
    (dir, app)
}

#[test]
fn space_marks_and_s_solves_every_marked_ticket_but_one_changed_meanwhile() {
    let (_dir, mut app) = desk(5);
    let rows: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    press(&mut app, "space space j space");
    assert_eq!(app.state.queue.selected, 4, "Space moves down");
    let marked: Vec<i64> = app.state.marked.keys().copied().collect();
    let mut expected = vec![rows[0], rows[1], rows[3]];
    expected.sort();
    assert_eq!(marked, expected);
    assert!(status(&app).starts_with("3 marked"), "{}", status(&app));
    // Another agent changes one of them after it was marked.
    let other = Store::open(store_of(&app).path()).unwrap();
    let theirs = other.ticket(rows[1]).unwrap();
    let urgent = TicketChange { priority: Some(Priority::Urgent), ..Default::default() };
    other.update_ticket(rows[1], theirs.version, &urgent, "hiro").unwrap();
    press(&mut app, "s");
    assert!(app.state.overlay.is_some(), "the status picker, for the marked tickets");
    type_text(&mut app, "solved");
    press(&mut app, "enter");
    let asked = app.state.overlay.as_ref().and_then(|o| o.title.clone());
    assert_eq!(asked.as_deref(), Some("set 3 marked tickets to solved? y/N"), "more than one: it asks first");
    assert_eq!(store_of(&app).ticket(rows[0]).unwrap().status, Status::New, "nothing before y");
    press(&mut app, "y");
    let store = store_of(&app);
    assert_eq!(store.ticket(rows[0]).unwrap().status, Status::Solved);
    assert_eq!(store.ticket(rows[3]).unwrap().status, Status::Solved);
    assert_eq!(store.ticket(rows[1]).unwrap().status, Status::New, "changed meanwhile: left alone");
    assert_eq!(store.ticket(rows[2]).unwrap().status, Status::New, "never marked");
    let said = status(&app);
    assert!(said.starts_with("status solved on 2 tickets"), "{said}");
    assert!(said.contains(&format!("still marked): #{}", rows[1])), "{said}");
    assert_eq!(app.state.marked.keys().copied().collect::<Vec<_>>(), [rows[1]], "only the one left stays marked");
    // Now the agent has seen it, the same choice goes through.
    press(&mut app, "s");
    type_text(&mut app, "solved");
    press(&mut app, "enter");
    assert_eq!(store.ticket(rows[1]).unwrap().status, Status::Solved);
    assert!(app.state.marked.is_empty());
}

#[test]
fn star_marks_the_filters_results_and_esc_unmarks() {
    let (_dir, mut app) = desk(6);
    press(&mut app, "/");
    type_text(&mut app, "number 1");
    press(&mut app, "enter *");
    let found = app.state.queue.rows.len();
    assert!((1..6).contains(&found), "the filter narrowed: {found}");
    assert_eq!(app.state.marked.len(), found);
    press(&mut app, "t");
    type_text(&mut app, "vip");
    let overlay = app.state.overlay.as_ref().expect("the tag picker");
    assert!(overlay.items.iter().all(|i| !i.current), "nothing is current for several tickets");
    press(&mut app, "esc esc");
    assert!(app.state.marked.is_empty(), "Esc unmarks before it clears the filter");
    assert!(app.state.findings.is_some());
}

#[test]
fn a_picker_opened_for_the_open_ticket_changes_only_it_though_tickets_are_marked() {
    let (_dir, mut app) = desk(4);
    let rows: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    press(&mut app, "space space k k enter");
    assert_eq!(app.state.marked.len(), 2);
    let open = app.state.open_ticket().unwrap().id;
    assert_eq!(open, rows[0]);
    press(&mut app, "s"); // from the conversation: the open ticket's picker
    type_text(&mut app, "pending");
    press(&mut app, "enter");
    let store = store_of(&app);
    assert_eq!(store.ticket(open).unwrap().status, Status::Pending);
    assert_eq!(store.ticket(rows[1]).unwrap().status, Status::New, "the other marked ticket is untouched");
    assert_eq!(app.state.marked.len(), 2, "the marks stay");
}
