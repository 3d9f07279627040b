//! The desk service's round in process: inbound mailboxes through their seam, the outbox that is
//! due, a stop between mails, and the waits after failures, on real desks in temp folders.

use frontdesk::config::{Config, MailConfig, OutboundConfig, Via};
use frontdesk::mail::outbound::Outbound;
use frontdesk::serve::{MailboxReader, Round};
use frontdesk::store::Store;
use std::cell::Cell;

/// A mailbox that holds `mails` and hands the next one over each time it is read.
struct Mailbox {
    mails: Vec<String>,
}

impl MailboxReader for Mailbox {
    fn name(&self) -> &str {
        "support"
    }

    fn poll_once(&mut self, store: &Store) -> Result<usize, String> {
        let Some(mail) = self.mails.pop() else { return Ok(0) };
        frontdesk::mail::parse_and_import(store, mail.as_bytes()).map_err(|e| e.to_string())?;
        Ok(1)
    }
}

/// A mailbox whose server is down.
struct Unreachable;

impl MailboxReader for Unreachable {
    fn name(&self) -> &str {
        "down"
    }

    fn poll_once(&mut self, _: &Store) -> Result<usize, String> {
        Err("cannot connect to imap.example:993".into())
    }
}

fn config(via: Via, sendmail: &str) -> Config {
    let outbound =
        OutboundConfig { via, maildir: "out".into(), sendmail: sendmail.into(), ..OutboundConfig::default() };
    let mail = MailConfig { address: "support@desk.example".into(), outbound: Some(outbound), ..MailConfig::default() };
    Config { mail: Some(mail), ..Config::default() }
}

fn mail(n: usize) -> String {
    format!("From: c{n}@shop.example\r\nSubject: Order {n}\r\nMessage-ID: <m{n}@shop.example>\r\n\r\nWhere is it?\r\n")
}

/// A desk with `n` tickets from mail, each with a reply queued (not delivered) and due now.
fn desk_with_queued_replies(dir: &std::path::Path, config: &Config, n: usize) -> Store {
    let store = Store::open(&dir.join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    let agent = store.agent("ana").unwrap().unwrap();
    let outbound = Outbound::from_config(config.mail.as_ref(), dir).unwrap();
    for i in 0..n {
        frontdesk::mail::parse_and_import(&store, mail(i).as_bytes()).unwrap();
        let ticket = (i + 1) as i64;
        outbound.queue_reply(&store, &agent, ticket, "On its way.", None, None).unwrap();
    }
    let conn = rusqlite::Connection::open(dir.join("desk.db")).unwrap();
    conn.execute("UPDATE outbox_retries SET next_try_at = 0", []).unwrap();
    store.service_started(7, "alpha").unwrap();
    store
}

#[test]
fn each_round_reads_every_mailbox_and_one_that_fails_stops_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(Via::Maildir, "");
    let store = desk_with_queued_replies(dir.path(), &config, 1);
    let mut round = Round::new(7, &config, dir.path());
    round.inbound = vec![Box::new(Unreachable), Box::new(Mailbox { mails: vec![mail(8), mail(9)] })];
    let first = round.run(&store, || false).unwrap();
    assert_eq!((first.read, first.mailed), (1, 1));
    let second = round.run(&store, || false).unwrap();
    assert_eq!((second.read, second.mailed), (1, 0));
    assert_eq!(round.run(&store, || false).unwrap().read, 0);
    assert_eq!(store.ticket(3).unwrap().subject, "Order 8");
}

#[test]
fn a_stop_between_mails_finishes_the_mail_at_hand_and_leaves_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(Via::Maildir, "");
    let store = desk_with_queued_replies(dir.path(), &config, 3);
    let mut round = Round::new(7, &config, dir.path());
    let asked = Cell::new(0);
    let report = round
        .run(&store, || {
            asked.set(asked.get() + 1);
            asked.get() > 1
        })
        .unwrap();
    assert_eq!(report.mailed, 1, "the first mail goes, then the stop is seen");
    assert!(report.more);
    assert_eq!(store.outbox(false).unwrap().len(), 2, "the others wait, untouched");
    assert!(store.outbox(false).unwrap().iter().all(|e| e.attempts == 0));
    assert_eq!(std::fs::read_dir(dir.path().join("out/new")).unwrap().count(), 1);
}

#[test]
fn failures_push_the_next_try_back_and_the_wait_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(Via::Sendmail, "exit 75");
    let store = desk_with_queued_replies(dir.path(), &config, 1);
    let mut round = Round::new(7, &config, dir.path());
    let report = round.run(&store, || false).unwrap();
    assert_eq!((report.mailed, report.failed), (0, 1));
    let entry = &store.outbox(false).unwrap()[0];
    assert_eq!(entry.attempts, 1);
    assert!(entry.last_error.as_deref().unwrap_or_default().contains("exit status: 75"), "{entry:?}");
    let wait = (entry.next_try_at.unwrap() - chrono::Utc::now()).num_seconds();
    assert!((55..=60).contains(&wait), "{wait}");
    let sleep = round.next_wait(&store, &report).unwrap().as_secs();
    assert!((55..=60).contains(&sleep), "the service sleeps until the next try: {sleep} s");
    assert_eq!(round.run(&store, || false).unwrap().failed, 0, "not due yet: not tried");
}

#[test]
fn with_nothing_due_the_service_sleeps_until_its_heartbeat() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(Via::Maildir, "");
    let store = desk_with_queued_replies(dir.path(), &config, 0);
    let mut round = Round::new(7, &config, dir.path());
    let report = round.run(&store, || false).unwrap();
    assert_eq!(round.next_wait(&store, &report).unwrap(), frontdesk::serve::HEARTBEAT);
    let state = store.service_state().unwrap().unwrap();
    assert_eq!((state.pid, state.host.as_str()), (Some(7), "alpha"));
}
