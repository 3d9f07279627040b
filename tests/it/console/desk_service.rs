//! The console and the desk service: a reply whose mail failed shows its attempts and next try,
//! and the status line says when replies wait in the outbox with no service running.

use crate::support::console::{deliver, open_with, press, store_of, ticket_from, type_text};
use crate::support::fixtures::{render, screen_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::message::Msg;
use frontdesk::config::{MailConfig, OutboundConfig, Via};
use frontdesk::domain::Priority;
use frontdesk::store::Store;

const HINT: &str = "1 reply waits in the outbox and no desk service is running (frontdesk serve)";

/// A console whose mail always fails, three minutes from now: its reply has waited past the
/// grace the sending console has, and a heartbeat written now is still fresh.
fn console_with_a_failed_reply(dir: &std::path::Path) -> App {
    let store = Store::open(&dir.join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    ticket_from(&store, "carla@shop.example", "Carla", "Refund", Priority::Normal);
    let later = chrono::Utc::now() + chrono::Duration::minutes(3);
    let mut app = open_with(store, "ana", later, |app| {
        let outbound = OutboundConfig { via: Via::Sendmail, sendmail: "exit 1".into(), ..OutboundConfig::default() };
        let mail =
            MailConfig { address: "support@desk.example".into(), outbound: Some(outbound), ..MailConfig::default() };
        app.mail = Some(mail);
        app.data_dir = dir.to_path_buf();
    });
    press(&mut app, "r");
    type_text(&mut app, "On its way.");
    press(&mut app, "ctrl-s");
    app
}

fn desk_changed(app: &mut App) {
    deliver(app, Msg::StoreChanged { desk_changed: true, presence: Vec::new() });
}

#[test]
fn a_failed_reply_shows_its_attempts_next_try_and_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = console_with_a_failed_reply(dir.path());
    deliver(&mut app, Msg::Resize(200, 40));
    let detail = &app.state.conversation.as_ref().unwrap().detail;
    let reply = detail.messages.last().unwrap();
    let retry = detail.mail.of(reply.id).and_then(|m| m.retry.clone()).expect("the failed reply's retry");
    assert_eq!(retry.attempts, 1);
    assert!(retry.last_error.contains("sendmail command 'exit 1' failed"), "{}", retry.last_error);
    let screen = screen_text(&render(&app.state));
    // The console's clock is three minutes ahead: the first retry (after a minute) is due.
    assert!(screen.contains("✉ not mailed yet: 1 attempt, next try due now, last error: sendmail"), "{screen}");
    // Its next try in the future: the time it is due, in the agent's zone.
    let next = app.state.now + chrono::Duration::minutes(7);
    let conn = rusqlite::Connection::open(dir.path().join("desk.db")).unwrap();
    conn.execute("UPDATE outbox_retries SET next_try_at = ?1", [next.timestamp_millis()]).unwrap();
    desk_changed(&mut app);
    let at = app.state.zone.format(next, "%H:%M");
    let screen = screen_text(&render(&app.state));
    // (Near midnight the time carries its day too: "next try 02 Dec 00:01".)
    let line = screen.lines().find(|l| l.contains("✉ not mailed yet: 1 attempt, next try ")).unwrap_or_default();
    assert!(line.contains(&format!("{at}, last error")), "{screen}");
}

#[test]
fn the_status_line_says_when_replies_wait_and_no_service_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = console_with_a_failed_reply(dir.path());
    desk_changed(&mut app);
    assert_eq!(app.state.unserved_outbox, 1);
    app.state.status = None; // what the send said, gone with the next key
    assert!(screen_text(&render(&app.state)).contains(HINT));

    let store = store_of(&app);
    store.service_started(4242, "alpha").unwrap();
    desk_changed(&mut app);
    assert_eq!(app.state.unserved_outbox, 0, "a running service delivers it");
    assert!(!screen_text(&render(&app.state)).contains("no desk service"));

    store.service_stopped(4242).unwrap();
    desk_changed(&mut app);
    assert_eq!(app.state.unserved_outbox, 1, "a stopped service serves nothing");
}

#[test]
fn a_reply_just_queued_is_no_reason_for_the_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = console_with_a_failed_reply(dir.path());
    app.state.now = chrono::Utc::now();
    desk_changed(&mut app);
    assert_eq!(app.state.unserved_outbox, 0, "the sending console has its go first");
}

#[test]
fn the_status_line_says_which_mailbox_the_running_service_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    ticket_from(&store, "carla@shop.example", "Carla", "Refund", Priority::Normal);
    let problem = "mailbox support: 127.0.0.1:143 refused the login of desk (Authentication failed.); \
                   not read again until the service restarts";
    store.mailbox_failed("support", problem, true).unwrap();
    let mut app = open_with(store, "ana", chrono::Utc::now(), |_| {});
    deliver(&mut app, Msg::Resize(200, 40));
    assert_eq!(app.state.unread_mailbox, None, "with no service running the outbox hint speaks, not this");

    let store = store_of(&app);
    store.service_started(4242, "alpha").unwrap();
    desk_changed(&mut app);
    assert_eq!(app.state.unread_mailbox.as_deref(), Some(problem));
    let screen = screen_text(&render(&app.state));
    assert!(screen.contains("mailbox support: 127.0.0.1:143 refused the login of desk"), "{screen}");

    store.mailbox_read("support").unwrap();
    desk_changed(&mut app);
    assert_eq!(app.state.unread_mailbox, None, "read again: nothing to tell");
}
