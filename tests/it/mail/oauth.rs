//! OAuth 2 (`auth = "xoauth2"` with a `token_command`): SMTP run by the binary against the
//! in-process relay that takes mail only after `AUTH XOAUTH2` with the right access token, and
//! IMAP against a real Dovecot whose oauth2 passdb checks signed JWT access tokens itself.

use crate::support::cli::Desk;
use crate::support::dovecot::{self, access_token, mail, Dovecot, OAUTH_KEY};
use crate::support::smtp::SmtpServer;
use frontdesk::config::{Auth, Config, MailConfig};
use frontdesk::mail::inbound::{poll_once, watch, InboundError, InboundEvent};
use frontdesk::store::Store;
use std::time::{Duration, Instant};

const USER: &str = "support@desk.example";
const TOKEN: &str = "ya29.a0AfB_byC-good-token";
const CUSTOMER_MAIL: &str =
    "From: Carla <carla@shop.example>\r\nSubject: Refund\r\nMessage-ID: <c1@shop.example>\r\n\r\nBroken.\r\n";

/// A desk that mails through `port` with XOAUTH2, its token printed by `token_command`.
fn oauth_desk(port: u16, token_command: &str) -> Desk {
    let desk = Desk::with_config(&format!(
        "[mail]\naddress = \"{USER}\"\n[mail.outbound]\nvia = \"smtp\"\n\
         [mail.outbound.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n\
         username = \"{USER}\"\nauth = \"xoauth2\"\ntoken_command = {token_command:?}\n"
    ));
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    desk
}

fn wait_for_mail(server: &SmtpServer) -> Vec<String> {
    let start = Instant::now();
    while server.received().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    server.received()
}

/// The one outbox entry, as `outbox list --json` shows it.
fn waiting(desk: &Desk) -> serde_json::Value {
    let list = desk.json(&["outbox", "list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

#[test]
fn a_reply_goes_out_with_the_token_the_command_prints() {
    let server = SmtpServer::requiring_xoauth2(USER, TOKEN);
    let desk = oauth_desk(server.port, &format!("printf '%s\\n' {TOKEN}; echo a second line is ignored"));
    let out = desk.ok(&["ticket", "reply", "1", "--body", "Your refund is on its way."]);
    assert!(out.contains("and mailed it"), "{out}");
    let received = wait_for_mail(&server);
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("Your refund is on its way."), "{}", received[0]);
    assert_eq!(server.recipients()[0], ["carla@shop.example"]);
    assert_eq!(server.login_attempts(), 1);
    assert!(desk.json(&["outbox", "list", "--json"]).as_array().unwrap().is_empty(), "nothing waits");
}

#[test]
fn a_wrong_token_is_one_clear_error_and_the_reply_waits_in_the_outbox() {
    let server = SmtpServer::requiring_xoauth2(USER, TOKEN);
    let desk = oauth_desk(server.port, "echo ya29.expired-token");
    let out = desk.ok(&["ticket", "reply", "1", "--body", "First try."]);
    assert!(out.contains("not mailed yet"), "{out}");
    assert!(out.contains("535"), "the relay's refusal is named: {out}");
    assert!(!out.contains("expired-token"), "the token is never shown: {out}");
    assert!(server.received().is_empty());
    assert_eq!(server.login_attempts(), 1, "one login, not a loop");

    let entry = waiting(&desk);
    assert_eq!(entry["attempts"], 1);
    let error = entry["error"].as_str().unwrap();
    assert!(error.starts_with(&format!("SMTP delivery to 127.0.0.1:{} failed: ", server.port)), "{error}");
    assert!(error.contains("535") && !error.contains('\n'), "{error}");

    // The service waits out the backoff before it tries again: no loop of refused logins.
    desk.ok(&["serve", "--once"]);
    assert_eq!(server.login_attempts(), 1);
    // A flush tries now, and says so in one line per reply; the reply still waits.
    let run = desk.run(&["outbox", "flush"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let refused: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("not sent")).collect();
    assert_eq!(refused.len(), 1, "{}", run.stdout);
    assert!(refused[0].contains("535") && !refused[0].contains("expired-token"), "{}", refused[0]);
    assert_eq!((server.login_attempts(), waiting(&desk)["attempts"].as_i64()), (2, Some(2)));

    // With a good token the waiting reply goes out.
    let config = desk.config.as_ref().unwrap();
    let text = std::fs::read_to_string(config).unwrap().replace("ya29.expired-token", TOKEN);
    std::fs::write(config, text).unwrap();
    let flushed = desk.ok(&["outbox", "flush"]);
    assert!(flushed.contains("1 sent, 0 still waiting"), "{flushed}");
    assert!(wait_for_mail(&server)[0].contains("First try."));
}

#[test]
fn a_token_command_that_fails_or_prints_nothing_is_named() {
    let server = SmtpServer::requiring_xoauth2(USER, TOKEN);
    let desk = oauth_desk(server.port, "exit 3");
    let out = desk.ok(&["ticket", "reply", "1", "--body", "First try."]);
    assert!(out.contains("the SMTP token command 'exit 3' failed"), "{out}");
    assert_eq!(server.login_attempts(), 0, "no login without a token");
    assert_eq!(waiting(&desk)["attempts"], 1);

    let desk = oauth_desk(server.port, "true");
    let out = desk.ok(&["ticket", "reply", "1", "--body", "First try."]);
    assert!(out.contains("the SMTP token command 'true' printed no token"), "{out}");
    assert!(server.received().is_empty());
}

#[test]
fn xoauth2_without_a_token_command_is_one_config_error() {
    let desk = Desk::empty();
    let config = desk.path("config.toml");
    std::fs::write(
        &config,
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"smtp\"\n\
         [mail.outbound.smtp]\nhost = \"smtp.example.com\"\nusername = \"support@desk.example\"\nauth = \"xoauth2\"\n",
    )
    .unwrap();
    let desk = Desk { config: Some(config), ..desk };
    let run = desk.run(&["init"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("auth = \"xoauth2\" but no token_command"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
}

/// The Dovecot's mailbox as a config's text, logging in with the token in `token_file`.
fn oauth_mailbox_toml(dovecot: &Dovecot, token_file: &std::path::Path) -> String {
    let password = format!("password_command = \"echo {}\"", dovecot::PASSWORD);
    let toml = dovecot.config_toml("support", "");
    assert!(toml.contains(&password), "{toml}");
    toml.replace(&password, &format!("auth = \"xoauth2\"\ntoken_command = \"cat '{}'\"", token_file.display()))
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_mailbox_with_xoauth2_imports_its_mail() {
    let mut dovecot = Dovecot::start_with_oauth();
    for n in 0..3 {
        dovecot.deliver(&mail(n));
    }
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, access_token(dovecot::USER, OAUTH_KEY, 600) + "\n").unwrap();
    let desk = Desk::with_config(&oauth_mailbox_toml(&dovecot, &token_file));
    let said = desk.ok(&["serve", "--once"]);
    assert!(said.contains("3 mails read"), "{said}");
    let tickets = desk.json(&["ticket", "list", "--json"]);
    assert_eq!(tickets.as_array().unwrap().len(), 3, "{tickets}");
    let log = dovecot.log();
    assert!(log.contains("method=XOAUTH2") && log.contains("user=<desk>"), "{log}");
    assert!(!log.contains("Login: user=<desk>, method=PLAIN"), "no password login: {log}");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_an_expired_or_forged_token_is_one_login_error_and_no_loop() {
    let dovecot = Dovecot::start_with_oauth();
    let config = Config {
        mail: Some(MailConfig { address: "support@desk.example".into(), ..MailConfig::default() }),
        ..Config::default()
    };
    let mut mailbox = dovecot.mailbox("support");
    (mailbox.auth, mailbox.password_command) = (Auth::Xoauth2, None);
    let expired = access_token(dovecot::USER, OAUTH_KEY, -60);
    mailbox.token_command = Some(format!("echo {expired}"));

    // Watching the mailbox ends by itself after one refused login: it is not tried again.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let (stop, mut events, started) = (frontdesk::mail::inbound::Wakeup::new(), Vec::new(), Instant::now());
    watch(&db, &config, &mailbox, &stop, |e| events.push(e));
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(events.len(), 1, "{events:?}");
    let InboundEvent::Failed { error, retry_in: None } = &events[0] else { panic!("{events:?}") };
    assert!(matches!(error, InboundError::Login { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("refused the login of desk") && !text.contains('\n'), "{text}");
    assert!(!text.contains(&expired), "the token is never shown: {text}");
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(dovecot.log().matches("auth failed").count(), 1, "{}", dovecot.log());
    assert!(dovecot.log().contains("Token has expired"), "Dovecot says why: {}", dovecot.log());

    // A token signed with another key, or for another user, is refused the same way.
    // (Dovecot waits longer after each failure from one address: two more are enough.)
    let store = Store::open_in_memory().unwrap();
    let forged = access_token(dovecot::USER, b"a key the server does not know", 600);
    let someone_else = access_token("mallory", OAUTH_KEY, 600);
    for token in [&forged, &someone_else] {
        mailbox.token_command = Some(format!("echo {token}"));
        let error = poll_once(&store, &config, &mailbox).unwrap_err();
        assert!(matches!(error, InboundError::Login { .. }), "{error:?}");
        assert!(error.to_string().contains("refused the login of desk"), "{error}");
    }
    let log = dovecot.log();
    assert!(log.contains("Incorrect JWT signature") && log.contains("did not match 'mallory'"), "{log}");
}

#[test]
fn a_token_refused_with_a_challenge_as_gmail_does_is_named_as_refused() {
    let server = SmtpServer::requiring_xoauth2_like_gmail(USER, TOKEN);
    let desk = oauth_desk(server.port, "echo ya29.expired-token");
    let out = desk.ok(&["ticket", "reply", "1", "--body", "First try."]);
    assert!(out.contains("not mailed yet"), "{out}");
    assert!(out.contains("refused the access token"), "{out}");
    assert!(!out.contains("expired-token"), "{out}");
    assert!(server.received().is_empty());
    let good = oauth_desk(server.port, &format!("echo {TOKEN}"));
    assert!(good.ok(&["ticket", "reply", "1", "--body", "Second try."]).contains("and mailed it"));
}
