//! Flow tests: sequences of keys and messages through `update` and the effects, on a real database.

use crate::support::console::{deliver, numbered_ticket, open_with, press, rest, store_of, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::state::Pane;
use frontdesk::app::model::views::View;
use frontdesk::domain::*;
use frontdesk::store::Store;

fn open_app(path: &std::path::Path, login: &str, page_size: usize) -> App {
    open_with(Store::open(path).unwrap(), login, chrono::Utc::now(), |app| app.state.page_size = page_size)
}

struct Desk {
    app: App,
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn desk(tickets: usize, page_size: usize) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("hiro", Some("Hiro Tanaka"), Role::Agent).unwrap();
    for n in 0..tickets {
        numbered_ticket(&store, n);
    }
    drop(store);
    let app = open_app(&path, "ana", page_size);
    Desk { app, _dir: dir, path }
}

fn selected_id(app: &App) -> i64 {
    app.state.queue.selected_ticket().expect("a ticket is selected").id
}

fn open_id(app: &App) -> i64 {
    app.state.open_ticket().expect("a ticket is open").id
}

#[test]
fn the_desk_opens_on_the_queue_with_the_longest_waiting_ticket_selected() {
    let mut d = desk(5, 200);
    let s = &d.app.state;
    assert_eq!(s.queue.rows.len(), 5);
    assert_eq!(s.counts, [Some(5), Some(0), Some(5), Some(5), Some(5)], "every customer waits");
    assert_eq!(s.focus, Pane::Queue);
    assert_eq!(selected_id(&d.app), s.queue.rows[0].id);
    assert_eq!(s.queue.rows[0].subject, "Problem number 0", "every customer waits: the longest wait first");
    assert_eq!(open_id(&d.app), s.queue.rows[0].id, "the first ticket is shown before any key");
    assert_eq!(s.focus, Pane::Queue, "and the agent is still in the queue");
    press(&mut d.app, "enter");
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[0].id);
    assert_eq!(d.app.state.focus, Pane::Conversation);
}

#[test]
fn the_conversation_follows_the_cursor_once_it_rests() {
    let mut d = desk(5, 200);
    let first = open_id(&d.app);
    press(&mut d.app, "j j");
    assert_eq!(d.app.state.queue.selected, 2);
    assert_eq!(open_id(&d.app), first, "a moving cursor does not repaint the conversation");
    rest(&mut d.app);
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[2].id, "the ticket it rests on is shown");
    assert_eq!(d.app.state.focus, Pane::Queue);
    press(&mut d.app, "j enter");
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[3].id, "Enter opens it at once");
    press(&mut d.app, "esc G");
    assert_eq!(d.app.state.queue.selected, 4);
    press(&mut d.app, "g g");
    assert_eq!(d.app.state.queue.selected, 0);
}

#[test]
fn a_reply_is_sent_with_one_key_and_shows_in_the_conversation() {
    let mut d = desk(3, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "r");
    assert!(d.app.state.composer.is_some());
    type_text(&mut d.app, "Hello Customer, on it.");
    press(&mut d.app, "ctrl-s");
    assert!(d.app.state.composer.is_none());
    let detail = store_of(&d.app).ticket_detail(id).unwrap();
    let last = detail.messages.last().unwrap();
    assert_eq!(
        (last.kind, last.body.as_str(), last.author.as_str()),
        (MessageKind::Reply, "Hello Customer, on it.", "ana")
    );
    assert_eq!(detail.ticket.status, Status::Open, "a reply opens a new ticket");
    assert_eq!(detail.messages.len(), 2);
    let next = d.app.state.open_ticket().expect("the next ticket is shown").clone();
    assert_ne!(next.id, id, "the console moved on to the next customer who waits");
    assert!(next.waiting_since.is_some());
    assert!(store_of(&d.app).draft(id, "ana").unwrap().is_none(), "the sent draft is gone");
}

#[test]
fn an_internal_note_is_stored_as_a_note() {
    let mut d = desk(1, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "n");
    type_text(&mut d.app, "customer is a reseller");
    press(&mut d.app, "ctrl-s");
    let detail = store_of(&d.app).ticket_detail(id).unwrap();
    assert_eq!(detail.messages.last().unwrap().kind, MessageKind::Note);
    assert_eq!(detail.ticket.status, Status::New, "a note does not change the status");
}

#[test]
fn typing_saves_a_draft_that_survives_a_restart() {
    let mut d = desk(2, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "r");
    type_text(&mut d.app, "half a reply");
    assert!(store_of(&d.app).draft(id, "ana").unwrap().is_none(), "not saved on every keystroke");
    deliver(&mut d.app, Msg::DraftDue); // the timer fires
    assert_eq!(store_of(&d.app).draft(id, "ana").unwrap().unwrap().body, "half a reply");
    type_text(&mut d.app, " and more");
    drop(d.app); // the console dies without closing the composer
    let mut app = open_app(&d.path, "ana", 200);
    press(&mut app, "enter");
    assert!(app.state.status.as_ref().unwrap().text.contains("draft"), "the draft is offered");
    press(&mut app, "r");
    assert_eq!(app.state.composer.as_ref().unwrap().body(), "half a reply");
}

#[test]
fn esc_holds_the_draft_and_a_note_draft_stays_a_note() {
    let mut d = desk(1, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "n");
    type_text(&mut d.app, "internal only");
    press(&mut d.app, "esc");
    assert!(d.app.state.composer.is_none());
    let draft = store_of(&d.app).draft(id, "ana").unwrap().unwrap();
    assert_eq!((draft.kind, draft.body.as_str()), (MessageKind::Note, "internal only"));
    press(&mut d.app, "r");
    let composer = d.app.state.composer.as_ref().unwrap();
    assert_eq!(composer.kind, MessageKind::Note, "a note draft never becomes a reply");
    assert_eq!(composer.body(), "internal only");
}

#[test]
fn quitting_saves_what_is_in_the_composer() {
    let mut d = desk(1, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "r");
    type_text(&mut d.app, "unsaved words");
    press(&mut d.app, "ctrl-c");
    assert!(d.app.state.should_quit);
    assert_eq!(store_of(&d.app).draft(id, "ana").unwrap().unwrap().body, "unsaved words");
}

#[test]
fn the_status_picker_changes_the_status_and_logs_it() {
    let mut d = desk(2, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "s");
    assert!(d.app.state.overlay.is_some());
    type_text(&mut d.app, "pend");
    press(&mut d.app, "enter");
    assert!(d.app.state.overlay.is_none());
    let detail = store_of(&d.app).ticket_detail(id).unwrap();
    assert_eq!(detail.ticket.status, Status::Pending);
    let event = detail.events.iter().rev().find(|e| e.field == "status").unwrap();
    assert_eq!(
        (event.old.as_deref(), event.new.as_deref(), event.actor.as_str()),
        (Some("new"), Some("pending"), "ana")
    );
    assert_eq!(d.app.state.open_ticket().unwrap().status, Status::Pending, "the console shows it");
}

#[test]
fn assign_take_and_tags_go_through_pickers() {
    let mut d = desk(1, 200);
    let id = selected_id(&d.app);
    press(&mut d.app, "a");
    type_text(&mut d.app, "hiro");
    press(&mut d.app, "enter");
    assert_eq!(store_of(&d.app).ticket(id).unwrap().assignee.as_deref(), Some("hiro"));
    press(&mut d.app, "T");
    assert_eq!(store_of(&d.app).ticket(id).unwrap().assignee.as_deref(), Some("ana"));
    press(&mut d.app, "t");
    type_text(&mut d.app, "refund");
    press(&mut d.app, "enter");
    assert_eq!(store_of(&d.app).ticket(id).unwrap().tags, vec!["refund".to_string()]);
    press(&mut d.app, "t");
    type_text(&mut d.app, "refund");
    press(&mut d.app, "enter");
    assert!(store_of(&d.app).ticket(id).unwrap().tags.is_empty(), "choosing a tag the ticket has removes it");
    press(&mut d.app, "p");
    type_text(&mut d.app, "urg");
    press(&mut d.app, "enter");
    assert_eq!(store_of(&d.app).ticket(id).unwrap().priority, Priority::Urgent);
}

#[test]
fn a_change_made_elsewhere_is_a_conflict_not_an_overwrite() {
    let mut d = desk(1, 200);
    press(&mut d.app, "enter");
    let id = open_id(&d.app);
    let other = Store::open(&d.path).unwrap();
    let t = other.ticket(id).unwrap();
    let mut change = TicketChange { priority: Some(Priority::High), ..TicketChange::default() };
    other.update_ticket(id, t.version, &change, "hiro").ok();
    other.add_agent("mei", None, Role::Agent).ok();
    change.priority = Some(Priority::Low);
    press(&mut d.app, "p");
    type_text(&mut d.app, "low");
    press(&mut d.app, "enter");
    let status = d.app.state.status.clone().unwrap();
    assert!(status.is_error && status.text.contains("changed since you last looked: priority"), "{status:?}");
    assert!(status.text.contains(" → high by hiro at "), "{status:?}");
    assert_eq!(store_of(&d.app).ticket(id).unwrap().priority, Priority::High, "hiro's change stands");
    assert_eq!(
        d.app.state.open_ticket().unwrap().priority,
        Priority::High,
        "the console shows the ticket as it is now"
    );
}

#[test]
fn views_switch_by_key() {
    let mut d = desk(4, 200);
    press(&mut d.app, "T"); // take the first ticket
    press(&mut d.app, "g m");
    assert_eq!(d.app.state.view, View::Mine);
    assert_eq!(d.app.state.queue.rows.len(), 1);
    press(&mut d.app, "g u");
    assert_eq!(d.app.state.queue.rows.len(), 3);
    press(&mut d.app, "]");
    assert_eq!(d.app.state.view, View::Open);
    assert_eq!(d.app.state.counts, [Some(4), Some(1), Some(3), Some(4), Some(4)]);
}

#[test]
fn the_queue_loads_more_pages_as_the_cursor_nears_the_end() {
    let mut d = desk(65, 20);
    assert_eq!(d.app.state.queue.rows.len(), 20);
    assert!(d.app.state.queue.has_more);
    for _ in 0..8 {
        press(&mut d.app, "G");
    }
    let ids: Vec<i64> = d.app.state.queue.rows.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 65, "every ticket once");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 65);
    assert!(!d.app.state.queue.has_more);
}

#[test]
fn the_palette_runs_actions_by_name() {
    let mut d = desk(2, 200);
    press(&mut d.app, ":");
    type_text(&mut d.app, "view_all");
    press(&mut d.app, "enter");
    assert_eq!(d.app.state.view, View::All);
}

#[test]
fn q_closes_an_overlay_before_it_quits() {
    let mut d = desk(1, 200);
    press(&mut d.app, "?");
    assert!(d.app.state.overlay.is_some());
    press(&mut d.app, "esc");
    assert!(d.app.state.overlay.is_none());
    press(&mut d.app, "q");
    assert!(d.app.state.should_quit);
}

#[test]
fn an_action_in_the_queue_opens_the_selected_ticket_first() {
    let mut d = desk(3, 200);
    press(&mut d.app, "enter esc j");
    let selected = selected_id(&d.app);
    assert_ne!(open_id(&d.app), selected);
    press(&mut d.app, "s");
    assert_eq!(open_id(&d.app), selected, "the status picker is for the ticket under the cursor");
    assert!(d.app.state.overlay.is_some());
    press(&mut d.app, "esc j r");
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[2].id);
    assert_eq!(d.app.state.composer.as_ref().unwrap().ticket_id, d.app.state.queue.rows[2].id);
}

fn subjects(app: &App) -> Vec<String> {
    app.state.queue.rows.iter().map(|t| t.subject.clone()).collect()
}

/// A moment after the queue shows a tab, the filter reads its tickets ahead: `/` then matches
/// what it read (a ticket written since behind the console's back is not there), and reads the
/// tab again once the console hears of a change.
#[test]
fn the_filter_reads_the_shown_tab_ahead_and_again_after_a_change() {
    let mut d = desk(10, 200);
    deliver(&mut d.app, Msg::ReadAheadDue { view: View::Open });
    std::thread::sleep(std::time::Duration::from_millis(300)); // the worker reads the tab meanwhile
    let new = NewTicket {
        customer_email: "carla@shop.example".into(),
        customer_name: Some("Carla Núñez".into()),
        subject: "Refund for order 4821".into(),
        body: "x".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store_of(&d.app).create_ticket(&new, "ana").unwrap();
    press(&mut d.app, "/");
    type_text(&mut d.app, "refund");
    let findings = d.app.state.findings.as_ref().unwrap();
    assert_eq!(findings.total, Some(10), "the tab as it was read ahead");
    assert!(subjects(&d.app).is_empty(), "{:?}", subjects(&d.app));
    deliver(&mut d.app, Msg::StoreChanged { desk_changed: true, presence: Vec::new() });
    type_text(&mut d.app, " ");
    assert_eq!(d.app.state.findings.as_ref().unwrap().total, Some(11), "read again after the change");
    assert_eq!(subjects(&d.app), vec!["Refund for order 4821"]);
}

#[test]
fn the_filter_narrows_the_queue_as_the_agent_types_and_esc_restores_it() {
    let mut d = desk(10, 200);
    for (email, name, subject) in [
        ("carla@shop.example", "Carla Núñez", "Refund for order 4821"),
        ("olu@shop.example", "Olu Okafor", "Refurbished lamp question"),
        ("ann@shop.example", "Ann Smith", "Where is my refund?"),
    ] {
        let new = NewTicket {
            customer_email: email.into(),
            customer_name: Some(name.into()),
            subject: subject.into(),
            body: "x".into(),
            priority: Priority::Normal,
            channel: Channel::Email,
            tags: vec![],
        };
        store_of(&d.app).create_ticket(&new, "ana").unwrap();
    }
    press(&mut d.app, "/");
    type_text(&mut d.app, "refund");
    d.app.wait_idle();
    let findings = d.app.state.findings.as_ref().unwrap();
    assert!(!findings.working);
    assert_eq!(findings.total, Some(13), "the filter looks at every ticket of the tab");
    assert_eq!(subjects(&d.app), vec!["Refund for order 4821", "Where is my refund?"], "a word start ranks first");

    // Typing on narrows what the last answer had; accents do not matter; a typo says so.
    type_text(&mut d.app, " nunez");
    d.app.wait_idle();
    assert_eq!(subjects(&d.app), vec!["Refund for order 4821"]);
    type_text(&mut d.app, "k");
    d.app.wait_idle();
    assert!(d.app.state.queue.rows.is_empty());
    press(&mut d.app, "backspace");
    d.app.wait_idle();
    assert_eq!(subjects(&d.app), vec!["Refund for order 4821"]);
    for _ in 0..6 {
        press(&mut d.app, "backspace");
    }
    d.app.wait_idle();
    assert_eq!(subjects(&d.app).len(), 2, "deleting letters widens the results again");
    type_text(&mut d.app, " 4821");
    d.app.wait_idle();

    // Enter keeps the filter and gives the keys back to the queue; Enter again opens.
    press(&mut d.app, "enter");
    assert!(d.app.state.prompt.is_none());
    press(&mut d.app, "enter");
    assert_eq!(d.app.state.open_ticket().unwrap().subject, "Refund for order 4821");
    press(&mut d.app, "esc esc");
    assert!(d.app.state.findings.is_none(), "esc in the queue ends the filter");
    assert_eq!(d.app.state.queue.rows.len(), 13, "the whole tab is back");
}

#[test]
fn ctrl_n_and_ctrl_p_open_the_next_and_previous_match() {
    let mut d = desk(6, 200);
    // On the newest ticket, the filter's first result (results are newest first; the queue puts
    // the longest wait first), so the results start with the cursor on their first row.
    press(&mut d.app, "G");
    press(&mut d.app, "/");
    type_text(&mut d.app, "problem");
    d.app.wait_idle();
    press(&mut d.app, "enter");
    press(&mut d.app, "ctrl-n");
    assert_eq!(d.app.state.queue.selected, 1);
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[1].id, "ctrl-n opens the match it moves to");
    assert_eq!(d.app.state.focus, Pane::Queue, "and stays in the queue for the next ctrl-n");
    press(&mut d.app, "ctrl-n ctrl-n ctrl-p");
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[2].id);
    // From the conversation too: reading one result, the next is one key away.
    press(&mut d.app, "enter ctrl-n");
    assert_eq!(d.app.state.focus, Pane::Conversation);
    assert_eq!(open_id(&d.app), d.app.state.queue.rows[3].id);
    press(&mut d.app, "n");
    assert!(d.app.state.composer.is_some(), "n writes a note, in the results as anywhere");
}

#[test]
fn a_change_to_a_filtered_ticket_shows_in_the_results() {
    let mut d = desk(4, 200);
    press(&mut d.app, "/");
    type_text(&mut d.app, "number 2");
    d.app.wait_idle();
    press(&mut d.app, "enter");
    let id = selected_id(&d.app);
    press(&mut d.app, "s");
    type_text(&mut d.app, "pend");
    press(&mut d.app, "enter");
    assert!(d.app.state.findings.is_some(), "the filter stays");
    assert_eq!(d.app.state.queue.rows[0].id, id);
    assert_eq!(d.app.state.queue.rows[0].status, Status::Pending, "the row shows the new status");
}

#[test]
fn search_lists_matches_from_the_index_and_opens_them() {
    let mut d = desk(8, 200);
    store_of(&d.app).add_message(3, MessageKind::Reply, "ana", "A voucher is on its way.", None).unwrap();
    press(&mut d.app, "S");
    assert!(d.app.state.prompt.is_some());
    type_text(&mut d.app, "vouch*");
    press(&mut d.app, "enter");
    assert_eq!(d.app.state.queue.rows.iter().map(|t| t.id).collect::<Vec<_>>(), vec![3]);
    press(&mut d.app, "enter");
    assert_eq!(open_id(&d.app), 3);
    press(&mut d.app, "1 esc");
    assert!(d.app.state.findings.is_none());
    assert_eq!(d.app.state.queue.rows.len(), 8);
}

#[test]
fn views_from_the_config_are_tabs_with_counts_and_their_own_order() {
    let d = desk(6, 200);
    let store = Store::open(&d.path).unwrap();
    for (id, priority) in [(2, Priority::Urgent), (5, Priority::High), (3, Priority::Urgent)] {
        let t = store.ticket(id).unwrap();
        let change = TicketChange { priority: Some(priority), add_tags: vec!["vip".into()], ..Default::default() };
        store.update_ticket(id, t.version, &change, "ana").unwrap();
    }
    let config: frontdesk::config::Config = toml::from_str(
        r#"
        [[views]]
        name = "Hot"
        status = ["active"]
        priority = ["urgent", "high"]
        tags = ["vip"]
        sort = "priority"

        [[views]]
        name = "Mine, newest"
        assignee = "me"
        sort = "created"
        "#,
    )
    .unwrap();
    let mut app = open_with(store, "ana", chrono::Utc::now(), |app| {
        app.state.size = (160, 40);
        app.state.views = frontdesk::app::model::views::custom_views(&config.views, "ana");
        app.state.view = app.state.view_named("hot").unwrap();
    });
    assert_eq!(app.state.counts, vec![Some(6), Some(0), Some(6), Some(6), Some(6), Some(3), Some(0)]);
    let ids: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![3, 2, 5], "urgent first, most recently updated first among equals");
    press(&mut app, "]");
    assert_eq!(app.state.view, View::Custom(1));
    assert!(app.state.queue.rows.is_empty());
    press(&mut app, "]");
    assert_eq!(app.state.view, View::NeedsReply, "the tabs go round");
}

#[test]
fn past_the_edge_the_queue_moves_by_half_a_page() {
    let mut d = desk(120, 200);
    let rows = frontdesk::app::model::layout::queue_rows(&d.app.state);
    for _ in 0..rows - 1 {
        press(&mut d.app, "j");
    }
    assert_eq!(d.app.state.queue.offset, 0, "no scrolling while the cursor is on the page");
    press(&mut d.app, "j");
    let q = &d.app.state.queue;
    assert_eq!(q.selected, rows);
    assert_eq!(q.offset, rows - rows / 2, "the selected row is now in the middle");
    for _ in 0..rows / 2 - 1 {
        press(&mut d.app, "j");
    }
    assert_eq!(d.app.state.queue.offset, rows - rows / 2, "and the next moves do not scroll");
    press(&mut d.app, "G");
    let q = &d.app.state.queue;
    assert_eq!(q.offset, q.rows.len() - rows, "never past the last row");
}

#[test]
fn a_console_that_quits_after_filtering_leaves_no_wal_file() {
    let Desk { mut app, _dir: dir, path } = desk(3, 200);
    press(&mut app, "/ p esc");
    assert!(app.state.findings.is_none());
    drop(app); // every connection the console opened closes, the last one takes the WAL away
    assert!(!path.with_file_name("desk.db-wal").exists(), "a WAL file is left in {}", dir.path().display());
}

#[test]
fn a_filters_first_results_start_at_the_top_even_when_they_are_the_whole_tab() {
    let mut d = desk(5, 200);
    press(&mut d.app, "j j");
    press(&mut d.app, "/");
    type_text(&mut d.app, "problem");
    assert_eq!(d.app.state.queue.rows.len(), 5, "every ticket matches");
    assert_eq!(d.app.state.queue.selected, 0, "the best match is under the cursor");
}

#[test]
fn the_palette_runs_only_a_command_that_was_named() {
    let mut d = desk(3, 200);
    press(&mut d.app, ":");
    type_text(&mut d.app, "unsend");
    assert!(d.app.state.overlay.as_ref().unwrap().matches.is_empty(), "no command is called unsend");
    press(&mut d.app, "enter");
    assert!(d.app.terminal_requests.is_empty(), "nothing ran: no suspend, no editor");
    assert!(d.app.state.overlay.is_some(), "the palette stays for another try");
    assert!(crate::support::console::status(&d.app).contains("no command is called “unsend”"));
    press(&mut d.app, "esc :");
    type_text(&mut d.app, "next pane");
    let overlay = d.app.state.overlay.as_ref().unwrap();
    let first = &overlay.items[overlay.matches[0].0];
    assert_eq!(first.label, "Next pane");
    press(&mut d.app, "esc :");
    type_text(&mut d.app, "focus_n");
    let overlay = d.app.state.overlay.as_ref().unwrap();
    assert_eq!(overlay.items[overlay.matches[0].0].label, "Next pane", "the config name works too");
}
