//! IMAP mailboxes against a real Dovecot (started by `support::dovecot`): IDLE, exactly once
//! through kill -9, a new UIDVALIDITY, a dropped connection, a wrong password.

use crate::support::cli::Desk;
use crate::support::dovecot::{mail, Dovecot};
use crate::support::wait_until;
use frontdesk::config::{Config, MailConfig, Security};
use frontdesk::mail::inbound::{poll_once, watch, InboundEvent, Wakeup};
use frontdesk::store::Store;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Mails on the desk and how many distinct Message-IDs they carry.
fn messages(db: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*), count(DISTINCT email_message_id) FROM messages", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .unwrap()
}

fn config() -> Config {
    Config {
        mail: Some(MailConfig { address: "support@desk.example".into(), ..MailConfig::default() }),
        ..Config::default()
    }
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_mail_delivered_while_idle_becomes_a_ticket_within_two_seconds() {
    let mut dovecot = Dovecot::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    Store::open(&db).unwrap().register_first_admin("ana").unwrap();
    let mut mailbox = dovecot.mailbox("support");
    (mailbox.tag, mailbox.priority, mailbox.assignee) =
        (Some("billing".into()), Some("high".into()), Some("ana".into()));
    let stop = Wakeup::new();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(|| watch(&db, &config(), &mailbox, &stop, |e| tx.send(format!("{e:?}")).unwrap()));
        let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(first.starts_with("Connected"), "{first}");
        std::thread::sleep(Duration::from_millis(300)); // in IDLE by now
        dovecot.deliver(&mail(1));
        let delivered = Instant::now();
        let arrived = wait_until(Duration::from_secs(2), || messages(&db).0 == 1);
        let took = delivered.elapsed();
        stop.wake();
        assert!(arrived, "no ticket 2 s after delivery");
        eprintln!("delivered to ticket in {took:?}");
    });
    let store = Store::open(&db).unwrap();
    let ticket = store.ticket(1).unwrap();
    assert_eq!((ticket.priority.as_str(), ticket.assignee.as_deref()), ("high", Some("ana")));
    assert!(ticket.tags.contains(&"billing".to_string()), "{:?}", ticket.tags);
    assert!(wait_until(Duration::from_secs(2), || dovecot.seen_count() == 1), "the mail is not marked seen");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_two_hundred_mails_through_kill_9_are_each_imported_once() {
    let mut dovecot = Dovecot::start();
    for n in 0..200 {
        dovecot.deliver(&mail(n));
    }
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("seed {seed}");
    // The kills fall within the time a whole run takes on this machine (a faster import left
    // fewer moments with part of the mail in).
    let started = std::time::Instant::now();
    Desk::with_config(&dovecot.config_toml("support", "")).ok(&["mailbox", "check", "support"]);
    let mut span = (started.elapsed().as_millis() as u64).max(40);
    eprintln!("a whole run takes {span} ms");
    // A desk whose first run finished before any kill fell mid-way proved nothing: on a new desk
    // (the mails are fetched again from the start), it is tried again, the kills within the time
    // a whole run was seen to take (the first one, timed above, may have been the slowest).
    for _ in 0..5 {
        let desk = Desk::with_config(&dovecot.config_toml("support", ""));
        let (kills, mid_way, pause) = check_with_kills_until_done(&desk, &mut seed, span);
        if kills == 0 {
            span = span.min(pause).max(40);
            eprintln!("a whole run took under {pause} ms: the next desk's kills fall within {span} ms");
        }
        desk.ok(&["mailbox", "check", "support"]);
        assert_eq!(messages(&desk.db), (200, 200), "after {kills} kills");
        assert!(wait_until(Duration::from_secs(2), || dovecot.seen_count() == 200), "{} seen", dovecot.seen_count());
        eprintln!("{kills} kills, {mid_way} of them with part of the mail imported");
        if mid_way > 0 {
            return;
        }
    }
    panic!("no run was killed mid-way on five desks: the test proved nothing");
}

/// Run `mailbox check` and kill it (SIGKILL) at random moments until a run finishes: the kills,
/// those that left part of the mail on the desk, and the pause (ms) before the run that finished
/// was looked at: when it was not killed, it took no longer than that.
/// Each kill falls within the first `span` ms of a run.
fn check_with_kills_until_done(desk: &Desk, seed: &mut u64, span: u64) -> (usize, usize, u64) {
    let (mut kills, mut mid_way) = (0, 0);
    for _ in 0..100 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut child =
            desk.command(&["mailbox", "check", "support"]).stdout(std::process::Stdio::null()).spawn().unwrap();
        let pause = 5 + (*seed >> 33) % span;
        std::thread::sleep(Duration::from_millis(pause));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
            let (on_desk, _) = messages(&desk.db);
            mid_way += usize::from(on_desk > 0 && on_desk < 200);
        }
        if child.wait().unwrap().success() {
            return (kills, mid_way, pause);
        }
    }
    panic!("no run finished in 100 ({kills} kills)");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_new_uidvalidity_reads_again_without_duplicates() {
    let mut dovecot = Dovecot::start();
    for n in 0..5 {
        dovecot.deliver(&mail(n));
    }
    let store = Store::open_in_memory().unwrap();
    let mailbox = dovecot.mailbox("support");
    let first = poll_once(&store, &config(), &mailbox).unwrap();
    assert_eq!((first.imported.len(), first.started_over), (5, false));
    dovecot.recreate_inbox();
    for n in 0..7 {
        dovecot.deliver(&mail(n));
    }
    let again = poll_once(&store, &config(), &mailbox).unwrap();
    assert!(again.started_over);
    assert_ne!(again.uidvalidity, first.uidvalidity);
    let created =
        again.imported.iter().filter(|(_, o)| matches!(o, frontdesk::domain::mail::ImportOutcome::Created { .. }));
    assert_eq!((again.imported.len(), created.count()), (7, 2), "{:?}", again.imported);
    assert_eq!(poll_once(&store, &config(), &mailbox).unwrap().imported.len(), 0);
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_connection_dropped_mid_fetch_resumes_where_it_stopped() {
    let mut dovecot = Dovecot::start();
    for n in 0..1000 {
        dovecot.deliver(&mail(n));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    Store::open(&db).unwrap();
    let mailbox = dovecot.mailbox("support");
    let stop = Wakeup::new();
    let (tx, rx) = mpsc::channel();
    let killed = std::thread::scope(|s| {
        s.spawn(|| watch(&db, &config(), &mailbox, &stop, |e| tx.send(format!("{e:?}")).unwrap()));
        assert!(wait_until(Duration::from_secs(10), || messages(&db).0 > 0));
        let killed = dovecot.kill_sessions();
        let partial = messages(&db).0;
        let done = wait_until(Duration::from_secs(20), || messages(&db).0 == 1000);
        stop.wake();
        assert!(done, "stuck at {} of 1000", messages(&db).0);
        (killed, partial)
    });
    assert!(killed.0 > 0 && killed.1 < 1000, "killed {} sessions at {} mails: not mid-fetch", killed.0, killed.1);
    assert_eq!(messages(&db), (1000, 1000));
    let events: Vec<String> = rx.try_iter().collect();
    assert!(events.iter().any(|e| e.contains("retry_in: Some")), "{events:?}");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_wrong_password_is_one_error_and_no_loop() {
    let dovecot = Dovecot::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let mut mailbox = dovecot.mailbox("support");
    mailbox.password_command = Some("echo wrong".into());
    let stop = Wakeup::new();
    let mut events = Vec::new();
    let started = Instant::now();
    // The watch ends by itself: a refused login is not retried.
    watch(&db, &config(), &mailbox, &stop, |e| events.push(e));
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(events.len(), 1, "{events:?}");
    let InboundEvent::Failed { error, retry_in: None } = &events[0] else { panic!("{events:?}") };
    assert!(error.to_string().contains("refused the login of desk"), "{error}");
    std::thread::sleep(Duration::from_secs(1));
    let attempts = dovecot.log().matches("auth failed").count();
    assert_eq!(attempts, 1, "{}", dovecot.log());

    let desk = Desk::with_config(&dovecot.config_toml("support", "").replace("echo secret", "echo wrong"));
    let run = desk.run(&["mailbox", "check", "support"], "");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("refused the login"), "{}", run.stderr);
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_mailbox_check_json_prints_each_mail_imported_as_the_desk_then_shows_it() {
    let mut dovecot = Dovecot::start();
    dovecot.deliver(&mail(0));
    dovecot.deliver(&mail(0)); // the same Message-ID again: a duplicate
    dovecot.deliver(&mail(1));
    let desk = Desk::with_config(&dovecot.config_toml("support", ""));
    let check = desk.json(&["mailbox", "check", "support", "--json"]);
    assert_eq!((check["mailbox"].as_str(), check["started_over"].as_bool()), (Some("support"), Some(false)));
    assert!(check["uidvalidity"].as_u64().is_some_and(|v| v > 0), "{check}");
    let results = check["results"].as_array().unwrap();
    let sources: Vec<&str> = results.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["imap:support/1", "imap:support/2", "imap:support/3"]);
    let outcomes: Vec<&str> = results.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["created", "duplicate", "created"]);
    assert_eq!(results[1]["ticket"], results[0]["ticket"], "the duplicate names the ticket it already is");
    for r in [&results[0], &results[2]] {
        let shown = desk.json(&["ticket", "show", &r["ticket"].to_string(), "--json"]);
        assert_eq!(shown["messages"][0]["id"], r["message"], "{r}");
        assert_eq!(shown["messages"].as_array().unwrap().len(), 1);
    }
    let summary = &check["summary"];
    assert_eq!((summary["mails"].as_u64(), summary["created"].as_u64()), (Some(3), Some(2)), "{summary}");
    assert_eq!(summary["duplicates"], 1);
    assert_eq!(messages(&desk.db), (2, 2));
    let again = desk.json(&["mailbox", "check", "support", "--json"]);
    assert_eq!(again["results"], serde_json::json!([]), "nothing is read twice");
    assert_eq!(
        (again["summary"]["mails"].as_u64(), again["uidvalidity"].clone()),
        (Some(0), check["uidvalidity"].clone())
    );
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_serve_once_json_counts_the_mails_each_mailbox_read() {
    let mut dovecot = Dovecot::start();
    dovecot.deliver(&mail(0));
    dovecot.deliver(&mail(1));
    let desk = Desk::with_config(&dovecot.config_toml("support", ""));
    let round = desk.json(&["serve", "--once", "--json"]);
    assert_eq!(round["mailboxes"], serde_json::json!([{ "name": "support", "read": 2, "error": null }]), "{round}");
    assert_eq!(round["read"], 2);
    assert_eq!(messages(&desk.db), (2, 2));
    let round = desk.json(&["serve", "--once", "--json"]);
    assert_eq!(round["mailboxes"][0]["read"], 0, "{round}");
}

#[test]
fn a_mailbox_check_json_that_fails_prints_no_json() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desk = Desk::with_config(&format!(
        "[mail]\naddress = \"support@desk.example\"\n[[mail.inbound]]\nname = \"support\"\nhost = \"127.0.0.1\"\n\
         security = \"none\"\nport = {port}\nusername = \"u\"\npassword_command = \"echo p\"\n"
    ));
    for name in ["support", "sales"] {
        let run = desk.run(&["mailbox", "check", name, "--json"], "");
        assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn checking_a_mailbox_the_config_does_not_name_is_one_sentence_naming_those_it_does() {
    let desk = Desk::with_config(
        "[mail]\naddress = \"support@desk.example\"\n[[mail.inbound]]\nname = \"sales\"\nhost = \"127.0.0.1\"\n\
         security = \"none\"\nport = 1\nusername = \"u\"\npassword_command = \"echo p\"\n",
    );
    let run = desk.run(&["mailbox", "check", "support"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "frontdesk: there is no [[mail.inbound]] mailbox named \"support\" (sales)");
}

#[test]
fn a_server_that_is_not_there_is_one_sentence_and_nothing_imported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desk = Desk::with_config(&format!(
        "[mail]\naddress = \"support@desk.example\"\n[[mail.inbound]]\nname = \"support\"\nhost = \"127.0.0.1\"\n\
         security = \"none\"\nport = {port}\nusername = \"u\"\npassword_command = \"echo p\"\n"
    ));
    let run = desk.run(&["mailbox", "check", "support"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("mailbox support: 127.0.0.1:{port}")), "{}", run.stderr);
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_certificate_no_authority_vouches_for_is_refused_in_one_sentence() {
    let dovecot = Dovecot::start_with_tls();
    let store = Store::open_in_memory().unwrap();
    let mut mailbox = dovecot.mailbox("support");
    (mailbox.host, mailbox.port, mailbox.security) = ("localhost".into(), dovecot.tls_port.unwrap(), Security::Tls);
    let error = poll_once(&store, &config(), &mailbox).unwrap_err().to_string();
    assert!(error.contains("mailbox support: localhost:") && error.contains("certificate"), "{error}");
    assert!(!error.contains('\n'), "{error}");
    // STARTTLS on the plain port is checked the same way.
    (mailbox.port, mailbox.security) = (dovecot.port, Security::Starttls);
    let error = poll_once(&store, &config(), &mailbox).unwrap_err().to_string();
    assert!(error.contains("certificate"), "{error}");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_serve_once_reads_the_mailbox_and_a_second_round_reads_nothing_twice() {
    let mut dovecot = Dovecot::start();
    for n in 0..3 {
        dovecot.deliver(&mail(n));
    }
    let desk = Desk::with_config(&dovecot.config_toml("support", ""));
    let said = desk.ok(&["serve", "--once"]);
    assert!(said.contains("3 mails read"), "{said}");
    assert_eq!(messages(&desk.db), (3, 3));
    dovecot.deliver(&mail(3));
    let said = desk.ok(&["serve", "--once"]);
    assert!(said.contains(" 1 mail read"), "{said}");
    assert_eq!(messages(&desk.db), (4, 4), "each mail once");
    // Each ticket remembers the mailbox it came in by, and a report groups by it.
    let report = desk.json(&["report", "--by", "mailbox", "--json"]);
    let groups = report["groups"].as_array().unwrap();
    let keys: Vec<&str> = groups.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["support"], "{report}");
    let new = groups[0]["figures"].as_array().unwrap().iter().find(|f| f["figure"] == "new").unwrap();
    assert_eq!(new["value"], 4.0, "{report}");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_running_service_tries_a_refused_login_once() {
    let dovecot = Dovecot::start();
    let toml = dovecot.config_toml("support", "poll_seconds = 1").replace("echo secret", "echo wrong");
    let desk = Desk::with_config(&toml);
    let mut serve = desk.command(&["serve"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_secs(4)); // four polls' worth
    let attempts = dovecot.log().matches("auth failed").count();
    serve.kill().unwrap();
    serve.wait().unwrap();
    assert_eq!(attempts, 1, "one refused login, then the mailbox is left alone: {}", dovecot.log());
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_certificate_signed_by_the_ca_in_ca_file_is_trusted_over_tls_and_starttls() {
    let mut dovecot = Dovecot::start_with_tls();
    dovecot.deliver(&mail(1));
    let store = Store::open_in_memory().unwrap();
    let mut mailbox = dovecot.mailbox("support");
    (mailbox.host, mailbox.port, mailbox.security) = ("localhost".into(), dovecot.tls_port.unwrap(), Security::Tls);
    mailbox.ca_file = Some(dovecot.ca_file().display().to_string());
    let over_tls = poll_once(&store, &config(), &mailbox).unwrap();
    assert_eq!(over_tls.imported.iter().map(|(uid, _)| *uid).collect::<Vec<_>>(), [1]);
    dovecot.deliver(&mail(2));
    (mailbox.port, mailbox.security) = (dovecot.port, Security::Starttls);
    let over_starttls = poll_once(&store, &config(), &mailbox).unwrap();
    assert_eq!(over_starttls.imported.iter().map(|(uid, _)| *uid).collect::<Vec<_>>(), [2]);

    // The binary reads ca_file from the config file.
    let ca_file = format!("ca_file = {:?}", dovecot.ca_file().display().to_string());
    let toml = dovecot.config_toml("support", &ca_file).replace("127.0.0.1", "localhost");
    let toml = toml.replace("security = \"none\"", "security = \"starttls\"");
    let desk = Desk::with_config(&toml);
    let said = desk.ok(&["mailbox", "check", "support"]);
    assert!(said.contains("2 mails: 2 new tickets"), "{said}");
}

#[test]
fn a_ca_file_that_cannot_be_read_is_one_config_error_and_nothing_is_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("company-ca.pem").display().to_string();
    let desk = Desk::empty();
    let config = desk.path("config.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\naddress = \"support@desk.example\"\n[[mail.inbound]]\nname = \"support\"\n\
             host = \"imap.example.com\"\nusername = \"u\"\npassword_command = \"echo p\"\nca_file = {missing:?}\n"
        ),
    )
    .unwrap();
    let run = desk.run(&["--config", config.to_str().unwrap(), "mailbox", "check", "support"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("mail.inbound \"support\": cannot read its ca_file"), "{}", run.stderr);
    assert!(!desk.db.exists(), "the desk was opened");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_mails_across_several_groups_and_fetches_each_get_the_mailbox_meaning_and_the_position() {
    let mut dovecot = Dovecot::start();
    // Fetched 100 at a time and imported 50 to a transaction: 130 cross both.
    for n in 0..130 {
        dovecot.deliver(&mail(n));
    }
    let store = Store::open_in_memory().unwrap();
    let mut mailbox = dovecot.mailbox("support");
    mailbox.tag = Some("billing".into());
    let first = poll_once(&store, &config(), &mailbox).unwrap();
    let uids: Vec<u32> = first.imported.iter().map(|(uid, _)| *uid).collect();
    assert_eq!(uids, (1..=130).collect::<Vec<u32>>());
    let position = store.mailbox_position("support").unwrap().unwrap();
    assert_eq!((position.uidvalidity, position.last_uid), (first.uidvalidity, 130));
    for ticket in 1..=130 {
        assert!(store.ticket(ticket).unwrap().tags.contains(&"billing".to_string()), "#{ticket}");
    }
    assert!(wait_until(Duration::from_secs(2), || dovecot.seen_count() == 130), "{} seen", dovecot.seen_count());
    assert_eq!(poll_once(&store, &config(), &mailbox).unwrap().imported.len(), 0);
}
