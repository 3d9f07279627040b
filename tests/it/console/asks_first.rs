//! The irreversible asks first: merges, a change of several marked tickets and `solve_stale` show
//! a one-line question saying exactly what will happen; only its answer's key does it, `n`, Esc or
//! any other key changes nothing.

use crate::support::console::{deliver, open_with, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::action::Action;
use frontdesk::app::model::message::Msg;
use frontdesk::domain::*;
use frontdesk::store::Store;

fn desk() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("bob", None, Role::Agent).unwrap();
    (dir, store)
}

fn console(store: Store) -> App {
    // Zero days: every pending ticket not touched since a moment ago counts as stale.
    open_with(store, "ana", chrono::Utc::now(), |app| app.stale_days = 0)
}

fn question(app: &App) -> Option<String> {
    app.state.overlay.as_ref().filter(|o| o.kind == frontdesk::app::model::overlay::OverlayKind::Confirm)?.title.clone()
}

/// Ask with `ask`, then answer with each key of `refusals` in turn: each closes the question,
/// says "nothing changed" and leaves `unchanged` true.
fn refused_by_each(app: &mut App, ask: &dyn Fn(&mut App), refusals: &[&str], unchanged: &dyn Fn(&App) -> bool) {
    for key in refusals {
        ask(app);
        assert!(question(app).is_some(), "asked before {key}");
        assert!(unchanged(app), "nothing written while asking");
        press(app, key);
        assert_eq!(question(app), None, "{key} closes the question");
        assert_eq!(status(app), "nothing changed", "after {key}");
        assert!(unchanged(app), "nothing written after {key}");
    }
}

#[test]
fn a_ticket_merge_asks_naming_both_tickets() {
    let (_dir, store) = desk();
    let from = ticket_from(&store, "carla@shop.example", "Carla Núñez", "Refund", Priority::Normal);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let into = ticket_from(&store, "carla@shop.example", "Carla Núñez", "Refund please", Priority::Normal);
    let mut app = console(store);
    let at = app.state.queue.rows.iter().position(|t| t.id == from.id).unwrap();
    for _ in 0..at {
        press(&mut app, "j");
    }
    press(&mut app, "enter");
    let ask = |app: &mut App| {
        deliver(app, Msg::Action(Action::MergeTicket));
        press(app, "enter");
    };
    let unmerged = |app: &App| store_of(app).ticket(from.id).unwrap().status == Status::New;
    refused_by_each(&mut app, &ask, &["n", "esc", "enter", "x"], &unmerged);
    ask(&mut app);
    assert_eq!(
        question(&app).unwrap(),
        format!("merge #{} \"Refund\" into #{} \"Refund please\"? y/N", from.id, into.id)
    );
    press(&mut app, "y");
    assert_eq!(store_of(&app).ticket(from.id).unwrap().status, Status::Closed, "y merges");
    assert_eq!(app.state.open_ticket().map(|t| t.id), Some(into.id));
}

#[test]
fn a_customer_merge_asks_naming_both_customers_and_their_tickets() {
    let (_dir, store) = desk();
    let work = ticket_from(&store, "carla@work.example", "Carla N.", "Invoice", Priority::Normal);
    ticket_from(&store, "carla@work.example", "Carla N.", "Invoice again", Priority::Normal);
    let home = ticket_from(&store, "carla@home.example", "Carla Núñez", "Broken lamp", Priority::Normal);
    let mut app = console(store);
    let at = app.state.queue.rows.iter().position(|t| t.id == home.id).unwrap();
    for _ in 0..at {
        press(&mut app, "j");
    }
    press(&mut app, "enter 3");
    let ask = |app: &mut App| press(app, "M enter");
    let unmerged = |app: &App| store_of(app).customer(home.customer_id).is_ok();
    refused_by_each(&mut app, &ask, &["n", "esc"], &unmerged);
    ask(&mut app);
    assert_eq!(question(&app).unwrap(), "merge Carla Núñez (1 ticket) into Carla N. (2 tickets)? y/N");
    press(&mut app, "y");
    assert_eq!(store_of(&app).ticket(home.id).unwrap().customer_id, work.customer_id, "y merges");
}

#[test]
fn a_change_of_several_marked_tickets_asks_and_of_one_does_not() {
    let (_dir, store) = desk();
    for subject in ["Refund", "Invoice", "Login"] {
        ticket_from(&store, "carla@shop.example", "Carla", subject, Priority::Normal);
    }
    let mut app = console(store);
    let rows: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    press(&mut app, "space space");
    let ask = |app: &mut App| {
        press(app, "p");
        type_text(app, "high");
        press(app, "enter");
    };
    let untouched = |app: &App| rows.iter().all(|id| store_of(app).ticket(*id).unwrap().priority == Priority::Normal);
    refused_by_each(&mut app, &ask, &["n", "esc"], &untouched);
    assert_eq!(app.state.marked.len(), 2, "still marked after no");
    ask(&mut app);
    assert_eq!(question(&app).unwrap(), "set 2 marked tickets to priority high? y/N");
    press(&mut app, "y");
    let high: Vec<i64> =
        rows.iter().copied().filter(|id| store_of(&app).ticket(*id).unwrap().priority == Priority::High).collect();
    assert_eq!(high, rows[..2], "y changes the two marked");
    // One marked ticket: changed at once, like the open one.
    press(&mut app, "G space");
    press(&mut app, "p");
    type_text(&mut app, "low");
    press(&mut app, "enter");
    assert_eq!(question(&app), None);
    assert_eq!(store_of(&app).ticket(rows[2]).unwrap().priority, Priority::Low);
}

/// Pending tickets, last changed a moment ago, owned by each of `owners`.
fn pending(store: &Store, owners: &[Option<&str>]) -> Vec<i64> {
    owners
        .iter()
        .map(|owner| {
            let t = ticket_from(store, "carla@shop.example", "Carla", "Which size?", Priority::Normal);
            let change = TicketChange {
                status: Some(Status::Pending),
                assignee: Some(owner.map(String::from)),
                ..Default::default()
            };
            store.update_ticket(t.id, t.version, &change, "ana").unwrap().id
        })
        .collect()
}

fn statuses(app: &App, ids: &[i64]) -> Vec<Status> {
    ids.iter().map(|id| store_of(app).ticket(*id).unwrap().status).collect()
}

#[test]
fn solve_stale_offers_the_agents_own_and_names_whose_the_others_are() {
    let (_dir, store) = desk();
    let ids = pending(&store, &[Some("ana"), Some("bob"), Some("bob"), None]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut app = console(store);
    app.after_first_frame();
    app.wait_idle();
    assert_eq!(status(&app), "1 pending ticket of yours unanswered 0+ days (:solve_stale)", "the hint counts hers");
    let ask = |app: &mut App| {
        press(app, ":");
        type_text(app, "solve_stale");
        press(app, "enter");
    };
    let all_pending = |app: &App| statuses(app, &ids).iter().all(|s| *s == Status::Pending);
    refused_by_each(&mut app, &ask, &["n", "esc", "enter"], &all_pending);
    ask(&mut app);
    assert_eq!(question(&app).unwrap(), "solve 1 pending ticket unanswered 0+ days (yours: 1)? y/N");
    let answers: Vec<&str> = app.state.overlay.as_ref().unwrap().items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(answers, ["y  solve your 1", "a  all 4: bob 2, ana 1, nobody 1", "n  no (any other key too)"]);
    press(&mut app, "y");
    assert_eq!(statuses(&app, &ids), [Status::Solved, Status::Pending, Status::Pending, Status::Pending], "hers only");
    assert_eq!(status(&app), "solved 1 pending ticket the customer left unanswered for 0 days");
    ask(&mut app);
    assert_eq!(question(&app).unwrap(), "none of yours is pending unanswered 0+ days; solve all agents' 3? a/N");
    press(&mut app, "a");
    assert!(statuses(&app, &ids).iter().all(|s| *s == Status::Solved), "a solves everyone's");
    ask(&mut app);
    assert_eq!(question(&app), None);
    assert_eq!(status(&app), "no pending ticket has waited 0 days for the customer; nothing to solve");
}
