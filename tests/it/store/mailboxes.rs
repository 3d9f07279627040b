//! A mailbox's position moves in the same transaction as the mail it took: both or neither.

use frontdesk::config::Config;
use frontdesk::domain::mail::ImportOutcome;
use frontdesk::mail::Importer;
use frontdesk::store::{MailboxPosition, Store, StoreError};

fn mail(n: u32) -> Vec<u8> {
    format!("From: c{n}@shop.example\r\nSubject: Hi {n}\r\nMessage-ID: <m{n}@shop.example>\r\n\r\nBody {n}\r\n")
        .into_bytes()
}

#[test]
fn a_mail_and_its_position_are_kept_together() {
    let store = Store::open_in_memory().unwrap();
    let importer = Importer::new(&store, &Config::default());
    assert_eq!(store.mailbox_position("support").unwrap(), None);
    let at = MailboxPosition { uidvalidity: 7, last_uid: 3 };
    let outcome = store.import_at("support", at, || importer.import(&mail(1), "imap:support/3")).unwrap();
    assert!(matches!(outcome, ImportOutcome::Created { .. }), "{outcome:?}");
    assert_eq!(store.mailbox_position("support").unwrap(), Some(at));
    assert_eq!(store.mailbox_position("other").unwrap(), None);
}

#[test]
fn a_failure_after_the_import_undoes_the_mail_and_keeps_the_old_position() {
    let store = Store::open_in_memory().unwrap();
    let importer = Importer::new(&store, &Config::default());
    let first = MailboxPosition { uidvalidity: 7, last_uid: 1 };
    store.import_at("support", first, || importer.import(&mail(1), "imap:support/1")).unwrap();
    let failed = store.import_at("support", MailboxPosition { last_uid: 2, ..first }, || {
        importer.import(&mail(2), "imap:support/2")?;
        Err::<(), _>(StoreError::Invalid("the process died here".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.mailbox_position("support").unwrap(), Some(first));
    assert!(store.ticket(2).is_err(), "the second mail's ticket was kept without its position");
}

#[test]
fn a_quarantined_mail_moves_the_position_too() {
    let store = Store::open_in_memory().unwrap();
    let importer = Importer::new(&store, &Config::default());
    let at = MailboxPosition { uidvalidity: 9, last_uid: 4 };
    // No sender: the mail is kept aside, and the mailbox does not offer it again.
    let raw = b"Subject: nobody\r\nMessage-ID: <x@y>\r\n\r\nwho am I\r\n";
    let outcome = store.import_at("support", at, || importer.import(raw, "imap:support/4")).unwrap();
    assert!(matches!(outcome, ImportOutcome::Quarantined { .. }), "{outcome:?}");
    assert_eq!(store.mailbox_position("support").unwrap(), Some(at));
    assert_eq!(store.quarantined(false).unwrap().len(), 1);
}

#[test]
fn a_mailbox_problem_is_told_when_permanent_or_lasting_and_gone_once_read() {
    let store = Store::open_in_memory().unwrap();
    let now = chrono::Utc::now();
    store
        .mailbox_failed("billing", "mailbox billing: imap.shop.example:993 is down; trying again in 2s", false)
        .unwrap();
    store.mailbox_failed("support", "mailbox support: the server refused the login of desk", true).unwrap();
    let told = |since| store.mailbox_problems(since).unwrap().into_iter().map(|p| p.mailbox).collect::<Vec<_>>();
    assert_eq!(told(now - chrono::Duration::minutes(2)), ["support"], "a passing problem is not told at once");
    assert_eq!(told(now + chrono::Duration::seconds(1)), ["billing", "support"], "one that lasts is");
    // The same problem again keeps its first time: it has lasted since then.
    let first = store.mailbox_problems(now + chrono::Duration::seconds(1)).unwrap()[0].since;
    std::thread::sleep(std::time::Duration::from_millis(5));
    store.mailbox_failed("billing", "mailbox billing: still down", false).unwrap();
    let again = &store.mailbox_problems(now + chrono::Duration::seconds(1)).unwrap()[0];
    assert_eq!((again.since, again.problem.as_str()), (first, "mailbox billing: still down"));
    store.mailbox_read("support").unwrap();
    assert_eq!(told(now + chrono::Duration::seconds(1)), ["billing"]);
    store.forget_mailbox_problems().unwrap();
    assert!(told(now + chrono::Duration::seconds(1)).is_empty(), "a new service tries every mailbox again");
}
