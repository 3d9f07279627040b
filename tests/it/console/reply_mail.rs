//! A reply's Cc, Bcc and files from the console: `Alt-c` and `Alt-a` add `Cc:` and `Attach:` lines
//! at the top of the composer, the reply goes out with them, and a bad address or file stops the
//! send with one sentence and keeps the text.

use crate::support::console::{open_with, press, status, store_of, ticket_from, type_text};
use crate::support::smtp::SmtpServer;
use frontdesk::app::effects::App;
use frontdesk::config::{MailConfig, OutboundConfig, Security, SmtpConfig, Via};
use frontdesk::domain::{MessageKind, Priority};
use frontdesk::store::Store;
use mail_parser::MimeHeaders;
use std::time::{Duration, Instant};

fn app(dir: &std::path::Path, port: u16) -> App {
    let store = Store::open(&dir.join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    ticket_from(&store, "carla@shop.example", "Carla", "Refund", Priority::Normal);
    let smtp = SmtpConfig { host: "127.0.0.1".into(), port, security: Security::None, ..SmtpConfig::default() };
    let outbound = OutboundConfig { via: Via::Smtp, smtp: Some(smtp), ..OutboundConfig::default() };
    open_with(store, "ana", chrono::Utc::now(), |app| {
        app.mail = Some(MailConfig {
            address: "support@desk.example".into(),
            outbound: Some(outbound),
            ..MailConfig::default()
        });
        app.data_dir = dir.to_path_buf();
    })
}

fn replies(app: &App) -> usize {
    let detail = store_of(app).ticket_detail(1).unwrap();
    detail.messages.iter().filter(|m| m.kind == MessageKind::Reply).count()
}

#[test]
fn cc_bcc_and_a_file_set_in_the_composer_go_out_with_the_reply() {
    let server = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("label.png");
    std::fs::write(&file, b"\x89PNG fake label").unwrap();
    let mut app = app(dir.path(), server.port);
    press(&mut app, "r");
    type_text(&mut app, "Here is your return label.");
    press(&mut app, "alt-c");
    type_text(&mut app, "boss@shop.example");
    press(&mut app, "alt-C");
    type_text(&mut app, "audit@desk.example");
    press(&mut app, "alt-a");
    assert!(status(&app).contains("type the file's path"), "{}", status(&app));
    type_text(&mut app, &file.display().to_string());
    let text = app.state.composer.as_ref().unwrap().body();
    assert_eq!(
        text,
        format!(
            "Cc: boss@shop.example\nBcc: audit@desk.example\nAttach: {}\nHere is your return label.",
            file.display()
        )
    );
    press(&mut app, "ctrl-s");
    app.wait_idle();
    assert!(app.state.composer.is_none(), "{}", status(&app));

    let start = Instant::now();
    while server.received().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let raw = &server.received()[0];
    let sent = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
    assert_eq!(sent.cc().unwrap().first().unwrap().address.as_deref(), Some("boss@shop.example"));
    assert!(!raw.contains("audit@desk.example"));
    assert!(server.recipients()[0].contains(&"audit@desk.example".to_string()));
    assert_eq!(sent.body_text(0).unwrap().trim(), "Here is your return label.", "the lines are not in the text");
    let part = sent.attachment(0).unwrap();
    assert_eq!((part.attachment_name(), part.contents()), (Some("label.png"), &b"\x89PNG fake label"[..]));

    let detail = store_of(&app).ticket_detail(1).unwrap();
    let reply = detail.messages.iter().find(|m| m.kind == MessageKind::Reply).unwrap();
    assert_eq!(reply.body, "Here is your return label.");
    let mail = detail.mail.of(reply.id).unwrap();
    assert_eq!(
        (mail.cc.as_slice(), mail.bcc.as_slice()),
        (&["boss@shop.example".to_string()][..], &["audit@desk.example".to_string()][..])
    );
    assert_eq!(mail.attachments[0].content_type, "image/png");
}

#[test]
fn a_bad_address_stops_the_send_and_keeps_the_text() {
    let server = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), server.port);
    press(&mut app, "r");
    type_text(&mut app, "Hello");
    press(&mut app, "alt-c");
    type_text(&mut app, "boss at shop");
    press(&mut app, "ctrl-s");
    assert!(status(&app).contains("'boss' is not an email address; Cc takes addresses"), "{}", status(&app));
    assert!(status(&app).contains("nothing was sent"), "{}", status(&app));
    assert_eq!(app.state.composer.as_ref().unwrap().body(), "Cc: boss at shop\nHello");
    assert_eq!(replies(&app), 0);
}

#[test]
fn a_missing_file_stops_the_send_and_keeps_the_text() {
    let server = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), server.port);
    let missing = dir.path().join("nowhere.pdf").display().to_string();
    press(&mut app, "r");
    type_text(&mut app, "Hello");
    press(&mut app, "alt-a");
    type_text(&mut app, &missing);
    press(&mut app, "ctrl-s");
    app.wait_idle();
    assert!(status(&app).contains(&format!("cannot attach {missing}: ")), "{}", status(&app));
    assert!(status(&app).contains("nothing was sent; your text is kept"), "{}", status(&app));
    assert_eq!(app.state.composer.as_ref().unwrap().body(), format!("Attach: {missing}\nHello"));
    assert_eq!(replies(&app), 0);
    assert!(server.received().is_empty());
}

#[test]
fn a_note_takes_no_cc() {
    let server = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), server.port);
    press(&mut app, "n alt-c");
    assert!(status(&app).contains("a note is never mailed"), "{}", status(&app));
    assert_eq!(app.state.composer.as_ref().unwrap().body(), "");
}
