//! Replies as the customer expects them, sent by the binary to a real SMTP server in this process:
//! Cc in the headers, Bcc only in the envelope, attached files, the customer's Reply-To, threading,
//! and TLS (implicit or STARTTLS) to a relay whose certificate a company CA signed, trusted through
//! `ca_file` or the system's store.

use crate::support::cli::Desk;
use crate::support::smtp::{SmtpServer, TestCa};
use mail_parser::MimeHeaders;
use std::time::{Duration, Instant};

/// A customer mail whose answers should go to another address, then its follow-up.
const CUSTOMER_MAIL: &str = "From: Carla <carla@shop.example>\r\nReply-To: Carla Orders <orders@shop.example>\r\n\
    Subject: Refund\r\nMessage-ID: <c1@shop.example>\r\n\r\nBroken.\r\n";
const FOLLOW_UP: &str = "From: carla@shop.example\r\nReply-To: orders@shop.example\r\nSubject: Re: Refund\r\n\
    In-Reply-To: <c1@shop.example>\r\nMessage-ID: <c2@shop.example>\r\n\r\nAnd?\r\n";

fn smtp_desk(port: u16, security: &str, host: &str, extra: &str) -> Desk {
    Desk::with_config(&format!(
        "[mail]\naddress = \"support@desk.example\"\nname = \"Desk Support\"\n\
         [mail.outbound]\nvia = \"smtp\"\n\
         [mail.outbound.smtp]\nhost = \"{host}\"\nport = {port}\nsecurity = \"{security}\"\n{extra}"
    ))
}

fn wait_for_mail(server: &SmtpServer) -> Vec<String> {
    let start = Instant::now();
    while server.received().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    server.received()
}

#[test]
fn a_reply_with_cc_bcc_and_a_file_reaches_the_relay_as_the_customer_expects() {
    let server = SmtpServer::start();
    let desk = smtp_desk(server.port, "none", "127.0.0.1", "");
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    desk.run(&["import", "-"], FOLLOW_UP);
    let file = desk.path("Rechnung März.pdf");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&file, &bytes).unwrap();
    let file = file.display().to_string();
    let out = desk.ok(&[
        "ticket",
        "reply",
        "1",
        "--body",
        "Your refund is on its way.",
        "--cc",
        "Boss <boss@shop.example>",
        "--cc",
        "team@shop.example",
        "--bcc",
        "audit@desk.example",
        "--attach",
        &file,
    ]);
    assert!(out.contains("and mailed it"), "{out}");
    let received = wait_for_mail(&server);
    assert_eq!(received.len(), 1, "one mail arrives");
    let raw = &received[0];
    let sent = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
    // The customer's Reply-To, not their From.
    assert_eq!(sent.to().unwrap().first().unwrap().address.as_deref(), Some("orders@shop.example"));
    let cc: Vec<_> = sent.cc().unwrap().iter().filter_map(|a| a.address.as_deref()).collect();
    assert_eq!(cc, ["boss@shop.example", "team@shop.example"]);
    assert!(!raw.to_ascii_lowercase().contains("\nbcc:"), "no Bcc header: {raw}");
    assert!(!raw.contains("audit@desk.example"), "the Bcc address is nowhere in the mail");
    let mut envelope = server.recipients()[0].clone();
    envelope.sort();
    assert_eq!(envelope, ["audit@desk.example", "boss@shop.example", "orders@shop.example", "team@shop.example"]);
    assert_eq!(sent.in_reply_to().as_text(), Some("c2@shop.example"));
    let references: Vec<&str> = sent.references().as_text_list().unwrap().iter().map(|r| r.as_ref()).collect();
    assert_eq!(references, ["c1@shop.example", "c2@shop.example"]);
    assert_eq!(sent.body_text(0).unwrap().trim(), "Your refund is on its way.");
    let part = sent.attachment(0).expect("the file is a part of the mail");
    assert_eq!(part.attachment_name(), Some("Rechnung März.pdf"));
    assert_eq!(
        part.content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).as_deref(),
        Some("application/pdf")
    );
    assert_eq!(part.contents(), &bytes[..], "the part decodes to the file's bytes");
    assert!(raw.contains("filename*"), "a non-ASCII name is written as RFC 2231: {raw}");

    // The stored reply keeps its Cc, its Bcc (for agents) and its file.
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    let reply = shown["messages"].as_array().unwrap().iter().find(|m| m["kind"] == "reply").unwrap().clone();
    assert_eq!(reply["cc"], serde_json::json!(["boss@shop.example", "team@shop.example"]));
    assert_eq!(reply["bcc"], serde_json::json!(["audit@desk.example"]));
    assert_eq!(reply["attachments"][0]["name"], "Rechnung März.pdf");
    assert_eq!(reply["attachments"][0]["size"], 70_000);
    let text = desk.ok(&["ticket", "show", "1"]);
    assert!(text.contains("Cc: boss@shop.example, team@shop.example"), "{text}");
    assert!(text.contains("Bcc (not shown to the customer): audit@desk.example"), "{text}");
    let id = reply["attachments"][0]["id"].as_i64().unwrap().to_string();
    let saved = desk.path("saved.pdf").display().to_string();
    desk.ok(&["attachment", "save", &id, &saved]);
    assert_eq!(std::fs::read(&saved).unwrap(), bytes);
}

#[test]
fn without_a_reply_to_the_answer_goes_to_the_customer() {
    let server = SmtpServer::start();
    let desk = smtp_desk(server.port, "none", "127.0.0.1", "");
    desk.run(
        &["import", "-"],
        "From: Hiro <hiro@x.example>\r\nSubject: Login\r\nMessage-ID: <h1@x.example>\r\n\r\nHelp\r\n",
    );
    desk.ok(&["ticket", "reply", "1", "--body", "Try again."]);
    let sent = wait_for_mail(&server);
    let sent = mail_parser::MessageParser::default().parse(sent[0].as_bytes()).unwrap();
    assert_eq!(sent.to().unwrap().first().unwrap().address.as_deref(), Some("hiro@x.example"));
    assert!(sent.cc().is_none());
}

#[test]
fn a_bad_address_or_file_is_one_sentence_and_nothing_is_stored() {
    let server = SmtpServer::start();
    let desk = smtp_desk(server.port, "none", "127.0.0.1", "");
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let run = desk.run(&["ticket", "reply", "1", "--body", "x", "--cc", "boss(at)shop"], "");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("'boss(at)shop' is not an email address; --cc takes addresses"), "{}", run.stderr);
    let missing = desk.path("nowhere.pdf").display().to_string();
    let run = desk.run(&["ticket", "reply", "1", "--attach", &missing], "typed text");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("cannot attach {missing}: ")), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was added"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let big = desk.path("big.iso");
    std::fs::File::create(&big).unwrap().set_len(26 * 1024 * 1024).unwrap();
    let run = desk.run(&["ticket", "reply", "1", "--body", "x", "--attach", &big.display().to_string()], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("may add up to 25 MB at most"), "{}", run.stderr);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(shown["messages"].as_array().unwrap().len(), 1, "only the customer's mail");
    assert!(server.received().is_empty());
}

#[test]
fn a_note_takes_no_copies() {
    let desk = Desk::with_config("");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund", "--body", "x"]);
    let run = desk.run(&["ticket", "reply", "1", "--note", "--body", "x", "--cc", "a@b.example"], "");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = desk.run(&["ticket", "reply", "1", "--body", "x", "--cc", "a@b.example"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("the config sends none"), "{}", run.stderr);
}

#[test]
fn tls_to_a_relay_signed_by_a_company_ca_works_with_ca_file() {
    let ca = TestCa::new();
    let server = SmtpServer::tls(&ca);
    let desk = smtp_desk(server.port, "tls", "localhost", "");
    let ca_path = desk.path("company-ca.pem");
    std::fs::write(&ca_path, &ca.pem).unwrap();
    desk.run(&["import", "-"], CUSTOMER_MAIL);

    // Without the CA: the reply is kept in the outbox, and the error names the certificate.
    let out = desk.ok(&["ticket", "reply", "1", "--body", "First try."]);
    assert!(out.contains("not mailed yet"), "{out}");
    assert!(out.contains("certificate") && out.contains("ca_file"), "{out}");
    assert!(server.received().is_empty());

    // With it named in the config, the waiting reply goes out.
    let config = desk.config.as_ref().unwrap();
    let mut text = std::fs::read_to_string(config).unwrap();
    text.push_str(&format!("ca_file = {:?}\n", ca_path.display().to_string()));
    std::fs::write(config, text).unwrap();
    let flushed = desk.ok(&["outbox", "flush"]);
    assert!(flushed.contains("1 sent, 0 still waiting"), "{flushed}");
    let received = wait_for_mail(&server);
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("First try."));
}

#[test]
fn starttls_to_a_relay_signed_by_a_company_ca_works_with_ca_file() {
    let ca = TestCa::new();
    let server = SmtpServer::starttls(&ca);
    let ca_dir = tempfile::tempdir().unwrap();
    let ca_path = ca_dir.path().join("company-ca.pem");
    std::fs::write(&ca_path, &ca.pem).unwrap();
    let ca_file = format!("ca_file = {:?}\n", ca_path.display().to_string());
    let desk = smtp_desk(server.port, "starttls", "localhost", &ca_file);
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let out = desk.ok(&["ticket", "reply", "1", "--body", "Sent inside TLS."]);
    assert!(out.contains("and mailed it"), "{out}");
    let received = wait_for_mail(&server);
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("Sent inside TLS."));
}

#[test]
fn starttls_without_the_ca_keeps_the_reply_and_names_the_certificate() {
    let ca = TestCa::new();
    let server = SmtpServer::starttls(&ca);
    let desk = smtp_desk(server.port, "starttls", "localhost", "");
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let run = desk.command(&["ticket", "reply", "1", "--body", "First try."]).env_remove("SSL_CERT_FILE").output();
    let out = String::from_utf8_lossy(&run.unwrap().stdout).into_owned();
    assert!(out.contains("not mailed yet"), "{out}");
    assert!(out.contains("certificate") && out.contains("ca_file"), "{out}");
    assert!(server.received().is_empty());
}

#[test]
fn the_system_store_is_trusted_as_ssl_cert_file_points_at_it() {
    let ca = TestCa::new();
    let server = SmtpServer::tls(&ca);
    let desk = smtp_desk(server.port, "tls", "localhost", "");
    let system_store = desk.path("system-ca-bundle.pem");
    std::fs::write(&system_store, &ca.pem).unwrap();
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let reply = |env: Option<&std::path::Path>| {
        let mut command = desk.command(&["ticket", "reply", "1", "--body", "Through the system's store."]);
        command.env_remove("SSL_CERT_FILE").env_remove("SSL_CERT_DIR");
        if let Some(path) = env {
            command.env("SSL_CERT_FILE", path);
        }
        String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned()
    };

    // No ca_file, and a system store that does not hold the CA: refused.
    let out = reply(None);
    assert!(out.contains("not mailed yet") && out.contains("certificate"), "{out}");
    assert!(server.received().is_empty());
    // The same config, with the CA in the store rustls-native-certs reads (SSL_CERT_FILE): delivered.
    let out = reply(Some(&system_store));
    assert!(out.contains("and mailed it"), "{out}");
    assert_eq!(wait_for_mail(&server).len(), 1);
}

#[test]
fn with_sendmail_the_recipients_are_arguments_so_the_bcc_arrives_unseen() {
    let bin = tempfile::tempdir().unwrap();
    let script = bin.path().join("fake-sendmail");
    // A real process standing in for sendmail: it keeps its arguments and the mail it reads.
    let (argv, mail) = (bin.path().join("argv"), bin.path().join("mail"));
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\ncat > '{}'\n", argv.display(), mail.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let desk = Desk::with_config(&format!(
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"sendmail\"\n\
         sendmail = \"{} -t -i\"\n",
        script.display()
    ));
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let out = desk.ok(&[
        "ticket",
        "reply",
        "1",
        "--body",
        "Your refund is on its way.",
        "--cc",
        "boss@shop.example",
        "--bcc",
        "audit@desk.example",
    ]);
    assert!(out.contains("and mailed it"), "{out}");
    let argv = std::fs::read_to_string(&argv).unwrap();
    let argv: Vec<&str> = argv.lines().collect();
    assert_eq!(argv[..2], ["-i", "--"], "no -t: the recipients are ours, not the headers': {argv:?}");
    let mut recipients = argv[2..].to_vec();
    recipients.sort();
    assert_eq!(recipients, ["audit@desk.example", "boss@shop.example", "orders@shop.example"]);
    let raw = std::fs::read_to_string(&mail).unwrap();
    assert!(raw.contains("Your refund is on its way."), "{raw}");
    assert!(raw.contains("boss@shop.example"), "the Cc is in the headers: {raw}");
    assert!(!raw.contains("audit@desk.example"), "the Bcc is nowhere in the mail: {raw}");
}
