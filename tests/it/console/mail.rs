//! The console mails replies (never notes) when the config says how, and shows a failed delivery.

use crate::support::console::{open_with, press, status, store_of, ticket_from, type_text};
use crate::support::smtp::SmtpServer;
use frontdesk::app::effects::App;
use frontdesk::app::headless::{key, Headless};
use frontdesk::app::model::views::View;
use frontdesk::config::{MailConfig, OutboundConfig, Security, SmtpConfig, Via};
use frontdesk::domain::Delivery;
use frontdesk::domain::*;
use frontdesk::store::Store;
use std::time::{Duration, Instant};

fn app(dir: &std::path::Path, outbound: OutboundConfig) -> App {
    let store = Store::open(&dir.join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    ticket_from(&store, "carla@shop.example", "Carla", "Refund", Priority::Normal);
    open_with(store, "ana", chrono::Utc::now(), |app| {
        let mail =
            MailConfig { address: "support@desk.example".into(), outbound: Some(outbound), ..MailConfig::default() };
        app.mail = Some(mail);
        app.data_dir = dir.to_path_buf();
    })
}

fn write_and_send(app: &mut App, key: char, text: &str) {
    press(app, &key.to_string());
    type_text(app, text);
    press(app, "ctrl-s");
}

#[test]
fn a_reply_from_the_console_is_mailed_and_a_note_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut app =
        app(dir.path(), OutboundConfig { via: Via::Maildir, maildir: "out".into(), ..OutboundConfig::default() });
    write_and_send(&mut app, 'r', "On its way.");
    write_and_send(&mut app, 'n', "internal");
    let mailed: Vec<_> = std::fs::read_dir(dir.path().join("out/new")).unwrap().collect();
    assert_eq!(mailed.len(), 1);
    assert!(app.state.composer.is_none());
}

#[test]
fn an_undelivered_reply_is_kept_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let outbound = OutboundConfig { via: Via::Sendmail, sendmail: "exit 1".into(), ..OutboundConfig::default() };
    let mut app = app(dir.path(), outbound);
    write_and_send(&mut app, 'r', "On its way.");
    assert!(app.state.composer.is_none(), "the reply is stored, so the composer closes");
    let shown = &app.state.conversation.as_ref().unwrap().detail;
    let reply = shown.messages.last().unwrap();
    assert_eq!(reply.kind, MessageKind::Reply);
    assert!(matches!(shown.mail.of(reply.id).unwrap().delivery, Some(Delivery::Failed(_))));
    assert_eq!(store_of(&app).outbox(false).unwrap().len(), 1);
}

#[test]
fn a_relay_that_stalls_does_not_stall_the_console() {
    let relay = SmtpServer::stalling(Duration::from_secs(10));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    for subject in ["Refund", "Invoice", "Login"] {
        ticket_from(&store, "carla@shop.example", "Carla", subject, Priority::Normal);
    }
    let agent = store.agent("ana").unwrap().unwrap();
    let smtp =
        SmtpConfig { host: "127.0.0.1".into(), port: relay.port, security: Security::None, ..SmtpConfig::default() };
    let outbound = OutboundConfig { via: Via::Smtp, smtp: Some(smtp), ..OutboundConfig::default() };
    let mail = MailConfig { address: "support@desk.example".into(), outbound: Some(outbound), ..MailConfig::default() };
    let mut console = Headless::start_with(store, agent, View::Open, (80, 24), chrono::Utc::now(), |app| {
        app.mail = Some(mail);
        app.data_dir = dir.path().to_path_buf();
    })
    .unwrap();
    for name in ["Enter", "r", "O", "k", "C-s"] {
        console.press(key(name)).unwrap();
    }
    let sent = Instant::now();
    assert!(status(&console.app).contains("mailing it"), "{}", status(&console.app));
    // While the relay says nothing, the agent moves on: every key is answered at once.
    let mut times = Vec::new();
    for name in ["Esc", "j", "Enter", "j", "Enter", "k", "k", "Enter", "Tab", "Esc", "j", "k"] {
        let pressed = Instant::now();
        console.press(key(name)).unwrap();
        times.push(pressed.elapsed());
    }
    assert!(sent.elapsed() < Duration::from_secs(5), "the keys were answered while the relay stalled");
    times.sort();
    let (median, slowest) = (times[times.len() / 2], times[times.len() - 1]);
    // No key waits for the relay (it stalls 10 s). How fast a key is answered is the console
    // bench's figure (key to frame, p99 ≤ 16 ms, release build): a debug build sharing two cores
    // with the rest of the suite measured 18–60 ms here without any relay involved.
    assert!(slowest < Duration::from_secs(1), "a key waited for the relay: median {median:?}, slowest {slowest:?}");
    assert!(relay.received().is_empty(), "nothing delivered yet");
    // Then the relay speaks, and the outcome reaches the console.
    console.app.wait_idle();
    assert!(sent.elapsed() >= Duration::from_secs(9), "{:?}", sent.elapsed());
    assert_eq!(relay.received().len(), 1);
    assert!(status(&console.app).contains("mailed to the customer"), "{}", status(&console.app));
    assert!(store_of(&console.app).outbox(false).unwrap().is_empty(), "nothing waits in the outbox");
}
