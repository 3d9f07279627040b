//! Every write from the console is checked against the ticket as the agent saw it drawn: two
//! consoles see one ticket, the first changes it, the second's write from what it saw is refused
//! with one sentence, nothing is written and its screen shows the ticket as it now is.

use crate::support::console::{deliver, numbered_ticket, open, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::action::Action;
use frontdesk::app::model::message::Msg;
use frontdesk::domain::*;
use frontdesk::store::Store;
use std::path::{Path, PathBuf};

/// A desk of three tickets; ana and hiro are admins (merges need one).
fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("hiro", Some("Hiro Tanaka"), Role::Admin).unwrap();
    for n in 0..3 {
        numbered_ticket(&store, n);
    }
    (dir, path)
}

/// Move the queue's cursor onto ticket `id` without resting (no preview loads it).
fn cursor_to(app: &mut App, id: i64) {
    let at = app.state.queue.rows.iter().position(|t| t.id == id).expect("the ticket is listed");
    while app.state.queue.selected < at {
        press(app, "j");
    }
}

/// The ticket's events on the desk, as `field old → new by actor`.
fn events(path: &Path, id: i64) -> Vec<String> {
    let events = Store::open(path).unwrap().ticket_detail(id).unwrap().events;
    events.iter().map(|e| format!("{} {:?} → {:?} by {}", e.field, e.old, e.new, e.actor)).collect()
}

/// Ana, in her console, makes ticket `id` urgent (opening it from the queue).
fn ana_makes_urgent(ana: &mut App, id: i64) {
    cursor_to(ana, id);
    press(ana, "p");
    type_text(ana, "urgent");
    press(ana, "enter");
    assert_eq!(Store::open(ana.db_path()).unwrap().ticket(id).unwrap().priority, Priority::Urgent, "{}", status(ana));
}

/// Hiro's write was refused with the store's sentence naming ana's change, and his console shows
/// the ticket as it now is.
fn refused(hiro: &App, id: i64) {
    let said = status(hiro);
    assert!(
        said.contains(&format!("ticket #{id} changed since you last looked: priority normal → urgent by ana"))
            && said.ends_with("nothing was changed"),
        "{said}"
    );
    assert!(hiro.state.status.as_ref().unwrap().is_error);
    let now = store_of(hiro).ticket(id).unwrap();
    let row = hiro.state.queue.rows.iter().find(|t| t.id == id).expect("still listed");
    assert_eq!((row.version, row.priority), (now.version, Priority::Urgent), "the queue was refreshed");
    if let Some(open) = hiro.state.open_ticket().filter(|t| t.id == id) {
        assert_eq!(open.version, now.version, "the open ticket was refreshed");
    }
}

/// Both consoles show ticket `id` in the queue under the cursor; ana makes it urgent; hiro then
/// acts on the row as he saw it with `keys` (and `typed` into the picker, then Enter).
fn hiro_acts_on_the_row_after_ana(keys: &str, typed: &str) -> (tempfile::TempDir, PathBuf, App, i64, Vec<String>) {
    let (dir, path) = desk();
    let mut ana = open(&path, "ana");
    let mut hiro = open(&path, "hiro");
    let id = hiro.state.queue.rows[1].id;
    cursor_to(&mut hiro, id);
    ana_makes_urgent(&mut ana, id);
    let before = events(&path, id);
    press(&mut hiro, keys);
    if !typed.is_empty() {
        type_text(&mut hiro, typed);
        press(&mut hiro, "enter");
    }
    (dir, path, hiro, id, before)
}

#[test]
fn t_from_the_queue_is_refused_when_the_ticket_changed_since_its_row_was_drawn() {
    // The owner is still nobody, as the row showed: only the version tells that it changed.
    let (_dir, path, hiro, id, before) = hiro_acts_on_the_row_after_ana("T", "");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().assignee, None, "not taken");
    assert_eq!(events(&path, id), before, "nothing written");
    refused(&hiro, id);
}

#[test]
fn t_on_a_ticket_someone_took_since_says_who_took_it() {
    let (_dir, path) = desk();
    let mut ana = open(&path, "ana");
    let mut hiro = open(&path, "hiro");
    let id = hiro.state.queue.rows[1].id;
    cursor_to(&mut hiro, id);
    cursor_to(&mut ana, id);
    press(&mut ana, "T");
    press(&mut hiro, "T");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().assignee.as_deref(), Some("ana"));
    assert_eq!(status(&hiro), format!("ticket #{id} was just taken by ana; nothing was changed"));
    let assignments = events(&path, id).iter().filter(|e| e.starts_with("assignee")).count();
    assert_eq!(assignments, 1, "one change, not two");
}

#[test]
fn a_status_chosen_from_the_queue_is_checked_against_the_row_not_the_load() {
    let (_dir, path, hiro, id, before) = hiro_acts_on_the_row_after_ana("s", "solved");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().status, Status::New);
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

#[test]
fn a_priority_chosen_from_the_queue_is_checked() {
    let (_dir, path, hiro, id, before) = hiro_acts_on_the_row_after_ana("p", "low");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().priority, Priority::Urgent);
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

#[test]
fn an_assignee_chosen_from_the_queue_is_checked() {
    let (_dir, path, hiro, id, before) = hiro_acts_on_the_row_after_ana("a", "hiro");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().assignee, None);
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

#[test]
fn a_tag_chosen_from_the_queue_is_checked() {
    let (_dir, path, hiro, id, before) = hiro_acts_on_the_row_after_ana("t", "refund");
    assert!(store_of(&hiro).ticket(id).unwrap().tags.is_empty());
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

/// Both consoles have ticket `id` open in the conversation pane; ana makes it urgent from hers.
fn both_open_then_ana_changes(setup: impl FnOnce(&Store, i64)) -> (tempfile::TempDir, PathBuf, App, i64) {
    let (dir, path) = desk();
    let id = Store::open(&path).unwrap().list_tickets(&TicketFilter::default(), None, 1).unwrap()[0].id;
    setup(&Store::open(&path).unwrap(), id);
    let mut ana = open(&path, "ana");
    let mut hiro = open(&path, "hiro");
    for app in [&mut ana, &mut hiro] {
        deliver(app, Msg::Action(Action::ViewAll)); // solved tickets too
        cursor_to(app, id);
        press(app, "enter");
        assert_eq!(app.state.open_ticket().map(|t| t.id), Some(id));
    }
    press(&mut ana, "p");
    type_text(&mut ana, "urgent");
    press(&mut ana, "enter");
    assert_eq!(store_of(&ana).ticket(id).unwrap().priority, Priority::Urgent, "{}", status(&ana));
    (dir, path, hiro, id)
}

#[test]
fn a_snooze_of_the_open_ticket_is_checked() {
    let (_dir, path, mut hiro, id) = both_open_then_ana_changes(|_, _| {});
    let before = events(&path, id);
    press(&mut hiro, "z enter");
    assert!(store_of(&hiro).snoozes(&[store_of(&hiro).ticket(id).unwrap()]).unwrap().is_empty(), "not snoozed");
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

#[test]
fn a_rating_of_the_open_ticket_is_checked() {
    let solve = |store: &Store, id: i64| {
        let change = TicketChange { status: Some(Status::Solved), ..Default::default() };
        store.change_ticket(id, &change, "ana").unwrap();
    };
    let (_dir, path, mut hiro, id) = both_open_then_ana_changes(solve);
    let before = events(&path, id);
    press(&mut hiro, "R");
    type_text(&mut hiro, "good");
    press(&mut hiro, "enter");
    assert!(
        store_of(&hiro).customer_ratings(store_of(&hiro).ticket(id).unwrap().customer_id).unwrap().is_empty(),
        "not rated"
    );
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

#[test]
fn spam_is_checked_against_the_ticket_the_question_named() {
    let (_dir, path, mut hiro, id) = both_open_then_ana_changes(|_, _| {});
    let before = events(&path, id);
    deliver(&mut hiro, Msg::Action(Action::MarkSpam));
    press(&mut hiro, "y");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().status, Status::New, "not closed");
    assert_eq!(events(&path, id), before);
    refused(&hiro, id);
}

#[test]
fn a_delete_is_checked_against_the_ticket_the_question_named() {
    let (_dir, _path, mut hiro, id) = both_open_then_ana_changes(|_, _| {});
    deliver(&mut hiro, Msg::Action(Action::DeleteTicket));
    press(&mut hiro, "y");
    assert!(store_of(&hiro).ticket(id).is_ok(), "not deleted: the ticket changed since hiro saw it");
    refused(&hiro, id);
}

#[test]
fn a_ticket_merge_is_refused_when_the_ticket_merged_into_changed_after_the_question() {
    let (_dir, path) = desk();
    let store = Store::open(&path).unwrap();
    let from = ticket_from(&store, "carla@shop.example", "Carla Núñez", "Refund", Priority::Normal);
    let into = ticket_from(&store, "carla@shop.example", "Carla Núñez", "Refund please", Priority::Normal);
    let mut hiro = open(&path, "hiro");
    cursor_to(&mut hiro, from.id);
    press(&mut hiro, "enter");
    deliver(&mut hiro, Msg::Action(Action::MergeTicket));
    type_text(&mut hiro, &format!("{}", into.id));
    press(&mut hiro, "enter");
    let asked = hiro.state.overlay.as_ref().and_then(|o| o.title.clone()).unwrap_or_default();
    assert_eq!(asked, format!("merge #{} \"Refund\" into #{} \"Refund please\"? y/N", from.id, into.id));
    // Meanwhile another agent makes the ticket merged into urgent.
    let urgent = TicketChange { priority: Some(Priority::Urgent), ..Default::default() };
    store.update_ticket(into.id, into.version, &urgent, "ana").unwrap();
    let before = (events(&path, from.id), events(&path, into.id));
    press(&mut hiro, "y");
    assert_eq!(store_of(&hiro).ticket(from.id).unwrap().status, Status::New, "not merged");
    assert_eq!((events(&path, from.id), events(&path, into.id)), before, "nothing written");
    let said = status(&hiro);
    assert!(said.starts_with(&format!("ticket #{} changed since you last looked: priority", into.id)), "{said}");
    assert!(said.ends_with("nothing was changed"), "{said}");
}

#[test]
fn a_customer_merge_is_refused_when_a_customer_changed_after_the_question() {
    let (_dir, path) = desk();
    let store = Store::open(&path).unwrap();
    let work = ticket_from(&store, "carla@work.example", "Carla Núñez", "Invoice", Priority::Normal);
    let home = ticket_from(&store, "carla.nunez@home.example", "carla núñez", "Broken lamp", Priority::Normal);
    let mut hiro = open(&path, "hiro");
    cursor_to(&mut hiro, home.id);
    press(&mut hiro, "enter 3 M enter");
    let asked = hiro.state.overlay.as_ref().and_then(|o| o.title.clone()).unwrap_or_default();
    assert_eq!(asked, "merge carla núñez (1 ticket) into Carla Núñez (1 ticket)? y/N");
    // Meanwhile the customer merged into writes in again: two tickets now, one shown.
    ticket_from(&store, "carla@work.example", "Carla Núñez", "And the lamp", Priority::Normal);
    press(&mut hiro, "y");
    assert_eq!(store_of(&hiro).ticket(home.id).unwrap().customer_id, home.customer_id, "not merged");
    assert!(store_of(&hiro).customer(home.customer_id).is_ok(), "the customer is still there");
    assert!(events(&path, home.id).iter().all(|e| !e.starts_with("customer_id")), "nothing written");
    let said = status(&hiro);
    assert_eq!(said, "customer Carla Núñez changed while you were looking: 2 tickets now, 1 shown; nothing was merged");
    assert_ne!(store_of(&hiro).customer(work.customer_id).unwrap().emails.len(), 2);
}

#[test]
fn a_bulk_snooze_leaves_the_ticket_changed_since_it_was_marked() {
    let (_dir, path) = desk();
    let mut ana = open(&path, "ana");
    let mut hiro = open(&path, "hiro");
    let rows: Vec<i64> = hiro.state.queue.rows.iter().map(|t| t.id).collect();
    press(&mut hiro, "space space");
    ana_makes_urgent(&mut ana, rows[1]);
    let before = events(&path, rows[1]);
    press(&mut hiro, "z enter y");
    let store = store_of(&hiro);
    let tickets: Vec<Ticket> = rows[..2].iter().map(|id| store.ticket(*id).unwrap()).collect();
    let snoozes = store.snoozes(&tickets).unwrap();
    assert!(snoozes.contains_key(&rows[0]), "the one unchanged is snoozed");
    assert!(!snoozes.contains_key(&rows[1]), "the one changed since it was marked is not");
    assert_eq!(events(&path, rows[1]), before);
    let said = status(&hiro);
    assert!(
        said.contains(&format!(
            "1 had changed since you marked them and were left as they are (still marked): #{}",
            rows[1]
        )),
        "{said}"
    );
}

#[test]
fn a_reply_that_also_sets_the_status_is_checked_and_keeps_its_text() {
    let (_dir, path, mut hiro, id) = both_open_then_ana_changes(|_, _| {});
    press(&mut hiro, "r");
    type_text(&mut hiro, "Solved on our side");
    let before = events(&path, id);
    let alt_s = frontdesk::app::model::key::KeyEvent::new(
        frontdesk::app::model::key::KeyCode::Char('s'),
        frontdesk::app::model::key::KeyModifiers::ALT,
    );
    deliver(&mut hiro, Msg::Key(alt_s));
    press(&mut hiro, "s");
    let said = status(&hiro);
    assert!(
        said.contains(&format!("ticket #{id} changed since you last looked: priority normal → urgent by ana")),
        "{said}"
    );
    assert!(said.ends_with("your text is kept"), "{said}");
    assert_eq!(events(&path, id), before, "neither the reply nor the status was written");
    assert_eq!(hiro.state.composer.as_ref().map(|c| c.body()).as_deref(), Some("Solved on our side"));
    assert_eq!(hiro.state.open_ticket().map(|t| t.priority), Some(Priority::Urgent), "the ticket as it now is");
    // Having seen ana's change, hiro sends again, and it goes through.
    deliver(&mut hiro, Msg::Key(alt_s));
    press(&mut hiro, "s");
    let now = store_of(&hiro).ticket(id).unwrap();
    assert_eq!((now.status, now.priority), (Status::Solved, Priority::Urgent), "{}", status(&hiro));
}
