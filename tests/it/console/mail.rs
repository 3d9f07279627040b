//! The console mails replies (never notes) when the config says how, and shows a failed delivery.

use crate::support::console::{open_with, press, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::config::{MailConfig, OutboundConfig, Via};
use frontdesk::domain::Delivery;
use frontdesk::domain::*;
use frontdesk::store::Store;

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
    assert_eq!(app.store.outbox(false).unwrap().len(), 1);
}
