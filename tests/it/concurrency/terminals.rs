//! Drafts survive a killed console, through the real binary in a pseudo-terminal: kill -9, and the
//! hang-up a dropped SSH connection gives (the terminal closes under the console).

use frontdesk::domain::*;
use frontdesk::store::Store;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

pub(super) use crate::support::terminal::start_showing;
use crate::support::terminal::Console;

fn start(db: &Path, login: &str) -> Console {
    start_showing(db, login, b"Queue")
}

fn desk(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    let t = NewTicket {
        customer_email: "carla@shop.example".into(),
        customer_name: Some("Carla".into()),
        subject: "Refund".into(),
        body: "help".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&t, "ana").unwrap();
    path
}

fn write_a_draft(db: &Path) -> Console {
    let mut console = start(db, "ana");
    console.keys(b"\r");
    console.wait_for(b"help");
    console.keys(b"r");
    console.keys(b"half a reply");
    std::thread::sleep(Duration::from_millis(2500)); // saved 1.5 s after the last key
    console
}

#[test]
fn a_draft_survives_kill_9_and_is_offered_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = desk(dir.path());
    let mut console = write_a_draft(&db);
    console.child.kill().unwrap(); // SIGKILL
    console.child.wait().unwrap();
    let draft = Store::open(&db).unwrap().draft(1, "ana").unwrap().expect("the draft was saved");
    assert_eq!(draft.body, "half a reply");
    // The first frame shows the ticket under the cursor, and with it the offer.
    let mut again = start_showing(&db, "ana", b"draft is waiting");
    again.keys(b"r");
    again.wait_for(b"your unsent reply is back");
    again.child.kill().unwrap();
    again.child.wait().unwrap();
}

#[test]
fn a_draft_survives_a_dropped_connection() {
    let dir = tempfile::tempdir().unwrap();
    let db = desk(dir.path());
    let Console { mut master, mut child, _home, .. } = write_a_draft(&db);
    master.write_all(b" and more").unwrap(); // typed just before the line drops: not saved yet
    std::thread::sleep(Duration::from_millis(200));
    drop(master); // the terminal goes away: the console gets SIGHUP and its input fails
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(10), "the console outlived its terminal");
        std::thread::sleep(Duration::from_millis(50));
    }
    let store = Store::open(&db).unwrap();
    let draft = store.draft(1, "ana").unwrap().expect("the draft was saved");
    assert_eq!(draft.body, "half a reply and more", "even the last keys are saved");
    assert!(store.presence().unwrap().is_empty(), "the console took its presence with it");
}

#[test]
fn two_consoles_see_each_other_and_each_others_changes_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let db = desk(dir.path());
    Store::open(&db).unwrap().add_agent("bob", None, Role::Agent).unwrap();
    let mut ana = start(&db, "ana");
    let mut bob = start(&db, "bob");
    ana.keys(b"\r");
    ana.wait_for(b"help");
    bob.keys(b"\r");
    bob.wait_for(b"help");
    ana.wait_for_within("● bob viewing".as_bytes(), Duration::from_secs(2));
    bob.keys(b"r");
    // Frames carry only the cells that changed: "● bob viewing" becomes "✎ bob writing" by its glyph.
    ana.wait_for_within("✎".as_bytes(), Duration::from_secs(2));
    bob.keys(b"on its way");
    bob.keys(b"\x13"); // Ctrl-S
    ana.wait_for_within(b"on its way", Duration::from_millis(1500));
    ana.written_during(Duration::from_secs(1)); // bob's composer closes: his mark changes
    let idle = ana.written_during(Duration::from_secs(2));
    assert!(idle.is_empty(), "an idle console wrote {} bytes", idle.len());
    for console in [&mut ana, &mut bob] {
        console.child.kill().unwrap();
        console.child.wait().unwrap();
    }
}
