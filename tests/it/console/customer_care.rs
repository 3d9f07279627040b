//! Customer care in the console, on a real database: SLA clocks in the queue, snooze, canned
//! replies, ratings, notes, merges, stale pending tickets.

use crate::support::console::{deliver, open_with, press, store_of, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::views::View;
use frontdesk::domain::sla::{ClockKind, ClockState, Hours, Policies, Policy, Targets};
use frontdesk::domain::*;
use frontdesk::store::Store;

fn new_ticket(store: &Store, subject: &str, priority: Priority) -> Ticket {
    crate::support::console::ticket_from(store, "carla@shop.example", "Carla Núñez", subject, priority)
}

fn ticket_from(store: &Store, email: &str, name: &str, subject: &str) -> Ticket {
    crate::support::console::ticket_from(store, email, name, subject, Priority::Normal)
}

fn open_app(store: Store, now: Timestamp, policies: Policies) -> App {
    open_with(store, "ana", now, |app| app.sla = policies)
}

fn desk() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, store)
}

#[test]
fn a_breached_ticket_comes_first_in_the_queue_with_its_clock() {
    let (_dir, store) = desk();
    let urgent = new_ticket(&store, "Site down", Priority::Urgent);
    new_ticket(&store, "Checkout down", Priority::Urgent);
    new_ticket(&store, "Login down", Priority::Urgent);
    for i in 0..5 {
        new_ticket(&store, &format!("A question {i}"), Priority::Normal);
    }
    // A second to answer, and a page of two rows: the breached ticket is first from the store,
    // not just moved up within the page that happened to load.
    let targets = Targets { first_response: Some(1), next_response: None, resolution: None };
    let policies =
        Policies { policies: vec![Policy { priority: Priority::Urgent, tier: None, targets, hours: Hours::Calendar }] };
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    let mut app = open_with(store, "ana", chrono::Utc::now(), |app| {
        app.state.page_size = 2;
        app.sla = policies;
    });
    let q = &app.state.queue;
    assert_eq!(q.rows.len(), 2);
    assert_eq!(q.rows[0].id, urgent.id, "the longest breached ticket comes first although newer ones are below");
    assert_eq!(q.rows[1].id, urgent.id + 1);
    assert_eq!(q.overdue, Some(3), "the status line counts the whole view, not the loaded page");
    assert_eq!(frontdesk::ui::sla::breach_count(&app.state).as_deref(), Some(" × 3 breached "));
    let clock = &q.sla[&urgent.id];
    assert_eq!((clock.kind, clock.state), (ClockKind::FirstResponse, ClockState::Breached));
    assert!(clock.remaining_seconds <= 0, "{clock:?}");
    assert_eq!(q.sla.len(), 2, "the two loaded rows");
    deliver(&mut app, frontdesk::app::model::message::Msg::Action(frontdesk::app::model::action::Action::Open));
    let explained = &app.state.profile.facts.sla;
    assert_eq!(explained.len(), 1);
    assert!(explained[0].starts_with("first response was due "), "{explained:?}");
    assert!(app.state.profile.facts.at_risk.as_deref().unwrap().starts_with("SLA breached on #"));
    assert!(app.state.profile.facts.last_contact.is_some());
}

#[test]
fn without_a_policy_the_queue_has_no_clocks_and_holds_its_order() {
    let (_dir, store) = desk();
    let older = new_ticket(&store, "A question", Priority::Normal);
    std::thread::sleep(std::time::Duration::from_millis(5));
    new_ticket(&store, "Site down", Priority::Urgent);
    let app = open_app(store, chrono::Utc::now(), Policies::default());
    assert!(app.state.queue.sla.is_empty());
    // Both customers wait on us: the longest wait first, the urgent one not hurried by a clock.
    assert_eq!(app.state.queue.rows[0].id, older.id);
}

#[test]
fn a_snoozed_ticket_comes_back_to_the_top_marked_due() {
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Lamp", Priority::Normal);
    store.snooze_ticket(lamp.id, chrono::Utc::now() + chrono::Duration::milliseconds(300), "ana").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    new_ticket(&store, "Chair", Priority::Normal);
    // The console is open while the snooze runs out: its own timer brings the ticket back.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut app = open_with(store, "ana", chrono::Utc::now(), |app| app.timer_tx = Some(tx));
    assert_eq!(app.state.queue.rows.len(), 1, "snoozed: not in the working view");
    let started = std::time::Instant::now();
    // The filter's read ahead of the shown tab has a timer of its own.
    let msg = loop {
        let msg = rx.recv_timeout(std::time::Duration::from_secs(5)).expect("a timer for the end of the snooze");
        match msg {
            frontdesk::app::model::message::Msg::ReadAheadDue { .. } => deliver(&mut app, msg),
            msg => break msg,
        }
    };
    assert!(matches!(msg, frontdesk::app::model::message::Msg::SlaTick), "{msg:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "on time, not at the next minute");
    app.state.now = chrono::Utc::now();
    deliver(&mut app, msg);
    assert_eq!(app.state.queue.rows.len(), 2);
    assert_eq!(app.state.queue.rows[0].id, lamp.id, "back on top though older");
    assert!(app.state.queue.woken.contains(&lamp.id));
    assert_eq!(app.state.counts[app.state.tab_index(View::Open)], Some(2), "the tab counts it again");
}

#[test]
fn the_profile_shows_ratings_and_why_the_customer_is_at_risk() {
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Lamp", Priority::Normal);
    let solved = TicketChange { status: Some(Status::Solved), ..Default::default() };
    store.update_ticket(lamp.id, lamp.version, &solved, "ana").unwrap();
    store.rate_ticket(lamp.id, frontdesk::domain::satisfaction::Csat::Bad, "Too slow", "ana").unwrap();
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    deliver(&mut app, frontdesk::app::model::message::Msg::Action(frontdesk::app::model::action::Action::ViewAll));
    deliver(&mut app, frontdesk::app::model::message::Msg::Action(frontdesk::app::model::action::Action::Open));
    let facts = &app.state.profile.facts;
    assert_eq!(facts.ratings.len(), 1);
    assert_eq!(facts.at_risk.as_deref(), Some(format!("rated badly on #{}", lamp.id).as_str()));
}

#[test]
fn a_canned_reply_from_the_composer_greets_by_first_name() {
    let (dir, store) = desk();
    new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    let (macros, _) = frontdesk::config::load_macros(&dir.path().join("none"));
    app.state.macros = macros;
    app.state.macros.push(toml::from_str("name = \"Bad\"\nbody = \"Hi {{customer.nick}}\"").unwrap());
    press(&mut app, "enter r ctrl-t");
    assert!(app.state.overlay.is_some(), "the picker opens");
    type_text(&mut app, "need more");
    press(&mut app, "enter");
    let body = app.state.composer.as_ref().unwrap().body();
    assert!(body.starts_with("Hi Carla,"), "{body}");
    assert!(body.contains("\"Broken lamp\""), "{body}");
    press(&mut app, "ctrl-t B a d enter");
    let status = app.state.status.as_ref().unwrap();
    assert!(status.is_error && status.text.contains("{{customer.nick}} is unknown"), "{}", status.text);
    assert_eq!(app.state.composer.as_ref().unwrap().body(), body, "nothing inserted");
}

#[test]
fn sending_a_canned_reply_from_the_composer_applies_its_actions() {
    let (dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    let (macros, _) = frontdesk::config::load_macros(&dir.path().join("none"));
    app.state.macros = macros;
    app.state.macros.push(
        toml::from_str("name = \"Escalate\"\nbody = \"On it.\"\n[actions]\npriority = \"urgent\"\ntags = [\"vip\"]")
            .unwrap(),
    );
    press(&mut app, "enter r ctrl-t");
    type_text(&mut app, "thanks");
    press(&mut app, "enter");
    let status = &app.state.status.as_ref().unwrap().text;
    assert!(status.contains("Ctrl-s sends it and sets status solved"), "the agent is told before sending: {status}");
    assert_eq!(store_of(&app).ticket(lamp.id).unwrap().status, Status::New, "nothing changes yet");
    press(&mut app, "ctrl-t E s c enter");
    press(&mut app, "ctrl-s");
    let ticket = store_of(&app).ticket(lamp.id).unwrap();
    assert_eq!(ticket.status, Status::Solved, "the first canned reply's action");
    assert_eq!(ticket.priority, Priority::Urgent, "the second's");
    assert_eq!(ticket.tags, vec!["vip".to_string()]);
    let detail = store_of(&app).ticket_detail(lamp.id).unwrap();
    let reply = detail.messages.iter().find(|m| m.kind == MessageKind::Reply).unwrap();
    assert!(reply.body.starts_with("Hi Carla,") && reply.body.ends_with("On it."), "{}", reply.body);
    assert!(detail
        .events
        .iter()
        .any(|e| e.field == "status" && e.new.as_deref() == Some("solved") && e.actor == "ana"));
}

#[test]
fn a_canned_reply_discarded_with_its_message_changes_nothing() {
    let (dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    app.state.macros = frontdesk::config::load_macros(&dir.path().join("none")).0;
    press(&mut app, "enter r ctrl-t");
    type_text(&mut app, "thanks");
    press(&mut app, "enter ctrl-x");
    assert!(app.state.composer.is_none(), "discarded");
    // A new reply without the canned one: sending it does not solve the ticket.
    press(&mut app, "r h i ctrl-s");
    let ticket = store_of(&app).ticket(lamp.id).unwrap();
    assert_eq!(ticket.status, Status::Open, "a reply opens a new ticket, and nothing more");
}

#[test]
fn z_snoozes_the_open_ticket_and_it_leaves_the_queue() {
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    press(&mut app, "enter z");
    assert!(app.state.overlay.is_some());
    press(&mut app, "4 enter");
    assert!(app.state.queue.rows.iter().all(|t| t.id != lamp.id), "{:?}", app.state.status);
    let events = store_of(&app).ticket_detail(lamp.id).unwrap().events;
    assert!(events.iter().any(|e| e.field == "snoozed_until"));
}

#[test]
fn capital_r_rates_a_solved_ticket_and_the_profile_shows_it() {
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let solved = TicketChange { status: Some(Status::Solved), ..Default::default() };
    store.update_ticket(lamp.id, lamp.version, &solved, "ana").unwrap();
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    deliver(&mut app, frontdesk::app::model::message::Msg::Action(frontdesk::app::model::action::Action::ViewAll));
    press(&mut app, "enter R 5 enter");
    let ratings = &app.state.profile.facts.ratings;
    assert_eq!(ratings.len(), 1, "{:?}", app.state.status);
    assert!(ratings[0].good);
}

#[test]
fn solving_in_the_console_mails_the_survey_when_the_config_asks() {
    let (dir, store) = desk();
    new_ticket(&store, "Broken lamp", Priority::Normal);
    let config: frontdesk::config::Config = toml::from_str(
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"maildir\"\nmaildir = \"out\"\n",
    )
    .unwrap();
    let mut app = open_with(store, "ana", chrono::Utc::now(), |app| {
        app.mail = config.mail;
        app.data_dir = dir.path().to_path_buf();
        app.csat_survey = true;
    });
    press(&mut app, "enter s");
    type_text(&mut app, "solved");
    press(&mut app, "enter");
    assert_eq!(app.state.open_ticket().unwrap().status, Status::Solved, "{:?}", app.state.status);
    let mails: Vec<_> = std::fs::read_dir(dir.path().join("out/new")).unwrap().collect();
    assert_eq!(mails.len(), 1, "one survey");
}

#[test]
fn capital_e_in_the_profile_edits_the_customer_notes_in_the_editor() {
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    press(&mut app, "enter 3 E");
    assert!(
        matches!(app.terminal_requests.last(), Some(frontdesk::app::model::message::Effect::OpenEditor { body }) if body.is_empty()),
        "{:?}",
        app.terminal_requests
    );
    deliver(&mut app, frontdesk::app::model::message::Msg::EditorDone(Some("Prefers email.\n".into())));
    assert_eq!(store_of(&app).customer(lamp.customer_id).unwrap().notes, "Prefers email.");
    assert_eq!(app.state.conversation.as_ref().unwrap().detail.customer.notes, "Prefers email.");
    assert!(app.state.composer.is_none(), "the composer was not touched");
}

#[test]
fn notes_saved_by_someone_else_meanwhile_are_not_overwritten_and_the_edit_is_kept() {
    use frontdesk::app::model::message::{Effect, Msg};
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    press(&mut app, "enter 3 E");
    // While the editor is open, another agent saves the notes.
    store_of(&app).update_customer(lamp.customer_id, None, Some("Call after 5 pm."), "bob").unwrap();
    deliver(&mut app, Msg::EditorDone(Some("Prefers email.\n".into())));
    assert_eq!(store_of(&app).customer(lamp.customer_id).unwrap().notes, "Call after 5 pm.", "bob's notes stay");
    let said = app.state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(said.contains("changed since you opened them; yours were not saved"), "{said}");
    // The next E opens bob's notes with the agent's edit below them; what is saved then is kept.
    press(&mut app, "E");
    let Some(Effect::OpenEditor { body }) = app.terminal_requests.last() else { panic!("{:?}", app.terminal_requests) };
    assert!(body.starts_with("Call after 5 pm.\n\n-----") && body.ends_with("\nPrefers email."), "{body}");
    deliver(&mut app, Msg::EditorDone(Some("Call after 5 pm. Prefers email.\n".into())));
    assert_eq!(store_of(&app).customer(lamp.customer_id).unwrap().notes, "Call after 5 pm. Prefers email.");
    assert!(app.state.composer.is_none(), "the composer was not touched");
}

#[test]
fn capital_r_on_an_open_ticket_records_an_nps_answer_once_in_30_days() {
    let (_dir, store) = desk();
    new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    press(&mut app, "enter R");
    type_text(&mut app, "nps 9");
    press(&mut app, "enter");
    let ratings = &app.state.profile.facts.ratings;
    assert_eq!(ratings.len(), 1, "{:?}", app.state.status);
    assert_eq!((ratings[0].kind, ratings[0].score), (frontdesk::domain::satisfaction::RatingKind::Nps, 9));
    press(&mut app, "R 3 enter");
    let status = app.state.status.as_ref().unwrap();
    assert!(status.is_error && status.text.contains("at most once in 30 days"), "{}", status.text);
}

#[test]
fn an_admin_merges_the_open_ticket_into_another_of_the_customer() {
    let (_dir, store) = desk();
    // The one merged away has waited longest, so the queue opens on it.
    let second = new_ticket(&store, "Lamp again", Priority::Normal);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let first = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    assert_eq!(app.state.queue.rows[0].id, second.id);
    press(&mut app, "enter");
    deliver(&mut app, frontdesk::app::model::message::Msg::Action(frontdesk::app::model::action::Action::MergeTicket));
    assert!(app.state.overlay.is_some(), "{:?}", app.state.status);
    press(&mut app, "enter");
    let asked = app.state.overlay.as_ref().and_then(|o| o.title.clone());
    let question = format!("merge #{} \"Lamp again\" into #{} \"Broken lamp\"? y/N", second.id, first.id);
    assert_eq!(asked.as_deref(), Some(question.as_str()), "it asks first");
    assert_eq!(store_of(&app).ticket(second.id).unwrap().status, Status::New, "nothing merged before y");
    press(&mut app, "y");
    assert_eq!(app.state.open_ticket().map(|t| t.id), Some(first.id), "the merged-into ticket is shown");
    assert_eq!(store_of(&app).ticket(second.id).unwrap().status, Status::Closed);
    assert!(app.state.queue.rows.iter().all(|t| t.id != second.id));
    let messages = &app.state.conversation.as_ref().unwrap().detail.messages;
    assert_eq!(messages.iter().filter(|m| m.kind == MessageKind::Customer).count(), 2);
}

#[test]
fn pending_tickets_left_unanswered_are_offered_for_solving_in_the_console() {
    let (_dir, store) = desk();
    let waiting = new_ticket(&store, "Which size?", Priority::Normal);
    let pending =
        TicketChange { status: Some(Status::Pending), assignee: Some(Some("ana".into())), ..TicketChange::default() };
    store.update_ticket(waiting.id, waiting.version, &pending, "ana").unwrap();
    let open = new_ticket(&store, "Broken lamp", Priority::Normal);
    std::thread::sleep(std::time::Duration::from_millis(5));
    // Zero days: every pending ticket not touched since a moment ago has waited long enough.
    let mut app = open_with(store, "ana", chrono::Utc::now(), |app| app.stale_days = 0);
    app.after_first_frame();
    app.wait_idle();
    let status = app.state.status.clone().unwrap().text;
    assert_eq!(status, "1 pending ticket of yours unanswered 0+ days (:solve_stale)");
    press(&mut app, ":");
    type_text(&mut app, "solve_stale");
    press(&mut app, "enter");
    assert_eq!(store_of(&app).ticket(waiting.id).unwrap().status, Status::Pending, "it asks first");
    press(&mut app, "y");
    assert_eq!(store_of(&app).ticket(waiting.id).unwrap().status, Status::Solved);
    assert_eq!(store_of(&app).ticket(open.id).unwrap().status, Status::New, "only pending tickets");
    let status = app.state.status.clone().unwrap().text;
    assert_eq!(status, "solved 1 pending ticket the customer left unanswered for 0 days");
    assert!(!app.state.queue.rows.iter().any(|t| t.id == waiting.id), "it left the working view");
}

#[test]
fn z_offers_a_snooze_until_the_customer_writes() {
    let (_dir, store) = desk();
    let lamp = new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    press(&mut app, "enter z");
    type_text(&mut app, "until the");
    assert_eq!(app.state.overlay.as_ref().unwrap().matches.len(), 1, "the timed snoozes' details do not match too");
    press(&mut app, "enter");
    let events = store_of(&app).ticket_detail(lamp.id).unwrap().events;
    let snooze = events.iter().find(|e| e.field == "snoozed_until").expect("snoozed");
    assert!(snooze.new.as_deref().unwrap().starts_with("9999-12-31"), "typing part of it picks it: {snooze:?}");
    assert!(app.state.queue.rows.is_empty(), "it left the working view");
}

#[test]
fn capital_m_in_the_profile_merges_the_customer_into_the_same_person_elsewhere() {
    let (_dir, store) = desk();
    let work = ticket_from(&store, "carla@work.example", "Carla Núñez", "Invoice");
    let home = ticket_from(&store, "carla.nunez@home.example", "carla núñez", "Broken lamp");
    ticket_from(&store, "otto@shop.example", "Otto", "Chair");
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    // The newest ticket first: open #2 (home), go to the profile, M.
    press(&mut app, "j enter 3 M");
    assert_eq!(app.state.open_ticket().map(|t| t.id), Some(home.id));
    let overlay = app.state.overlay.as_ref().expect("a picker of customers alike");
    assert_eq!(overlay.items.len(), 1, "the same name in another case; not Otto, not herself");
    press(&mut app, "enter");
    let asked = app.state.overlay.as_ref().and_then(|o| o.title.clone());
    assert_eq!(asked.as_deref(), Some("merge carla núñez (1 ticket) into Carla Núñez (1 ticket)? y/N"));
    assert_eq!(store_of(&app).ticket(home.id).unwrap().customer_id, home.customer_id, "nothing merged before y");
    press(&mut app, "y");
    let customer = store_of(&app).customer(work.customer_id).unwrap();
    assert_eq!(store_of(&app).ticket(home.id).unwrap().customer_id, work.customer_id);
    assert!(customer.emails.iter().any(|e| e == "carla.nunez@home.example"), "{customer:?}");
    let status = &app.state.status.as_ref().unwrap().text;
    assert!(status.starts_with(&format!("customer {} merged into Carla Núñez", home.customer_id)), "{status}");
    let profile = &app.state.conversation.as_ref().unwrap().detail.customer;
    assert_eq!(profile.id, work.customer_id, "the profile shows the merged customer");
    // Nobody alike any more.
    press(&mut app, "M");
    assert!(app.state.overlay.is_none());
    assert!(app.state.status.as_ref().unwrap().text.starts_with("no other customer has this name or address"));
}

#[test]
fn an_agent_who_is_not_an_admin_cannot_merge_customers() {
    let (_dir, store) = desk();
    ticket_from(&store, "carla@work.example", "Carla", "Invoice");
    ticket_from(&store, "carla@home.example", "Carla", "Lamp");
    store.add_agent("mei", None, Role::Agent).unwrap();
    let mut app = open_with(store, "mei", chrono::Utc::now(), |_| {});
    press(&mut app, "enter 3 M");
    assert!(app.state.overlay.is_none());
    let status = app.state.status.as_ref().unwrap();
    assert!(status.is_error && status.text == "only an admin can merge customers", "{}", status.text);
}

#[test]
fn the_canned_reply_picker_previews_each_reply_for_this_customer() {
    let (dir, store) = desk();
    new_ticket(&store, "Broken lamp", Priority::Normal);
    let mut app = open_app(store, chrono::Utc::now(), Policies::default());
    app.state.macros = frontdesk::config::load_macros(&dir.path().join("none")).0;
    press(&mut app, "enter r ctrl-t");
    let overlay = app.state.overlay.as_ref().expect("the picker opens");
    let details: Vec<&str> = overlay.items.iter().map(|i| i.detail.as_str()).collect();
    assert_eq!(details, ["sets status pending", "sets status solved"]);
    let preview = overlay.selected_preview().expect("a preview");
    assert!(preview.starts_with("Hi Carla,") && preview.contains("\"Broken lamp\""), "{preview}");
    press(&mut app, "down");
    let preview = app.state.overlay.as_ref().unwrap().selected_preview().unwrap();
    assert!(preview.contains("marking ticket #"), "the preview follows the selection: {preview}");
    assert!(app.state.composer.as_ref().unwrap().body().is_empty(), "nothing inserted before Enter");
}
