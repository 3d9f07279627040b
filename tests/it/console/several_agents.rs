//! Several consoles on one file, at the state level: the reply guard, claims, live updates,
//! presence and drafts that survive a killed console.

use crate::support::console::{deliver, numbered_ticket, open_with, press, status, store_of, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::message::Msg;
use frontdesk::domain::*;
use frontdesk::store::{Store, StoreError};
use std::path::{Path, PathBuf};

fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("hiro", Some("Hiro Tanaka"), Role::Agent).unwrap();
    for n in 0..3 {
        numbered_ticket(&store, n);
    }
    (dir, path)
}

fn console(path: &Path, login: &str) -> App {
    crate::support::console::open(path, login)
}

fn bodies(app: &App, id: i64) -> Vec<String> {
    store_of(app).ticket_detail(id).unwrap().messages.into_iter().map(|m| m.body).collect()
}

#[test]
fn a_reply_that_would_cross_another_is_stopped_and_the_draft_kept() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    let mut hiro = console(&path, "hiro");
    press(&mut ana, "enter r");
    let id = ana.state.open_ticket().unwrap().id;
    type_text(&mut ana, "Refund is on its way");
    press(&mut hiro, "enter r");
    type_text(&mut hiro, "Hiro here, refunded");
    press(&mut hiro, "ctrl-s");
    assert_eq!(bodies(&hiro, id).len(), 2, "hiro's reply went out");

    press(&mut ana, "ctrl-s");
    assert!(status(&ana).contains("1 new message since you last looked (reply from hiro)"), "{}", status(&ana));
    assert_eq!(bodies(&ana, id).len(), 2, "ana's reply was not sent");
    assert!(ana.state.composer.is_some(), "the composer stays open");
    let shown = &ana.state.conversation.as_ref().unwrap().detail.messages;
    assert_eq!(shown.last().unwrap().body, "Hiro here, refunded", "the new message is shown");
    assert_eq!(store_of(&ana).draft(id, "ana").unwrap().unwrap().body, "Refund is on its way", "the draft is kept");

    press(&mut ana, "ctrl-s");
    assert_eq!(bodies(&ana, id).last().unwrap(), "Refund is on its way", "the second Ctrl-S sends anyway");
}

/// Replies are mailed into a Maildir under `dir`.
fn mail_config(dir: &Path) -> frontdesk::config::MailConfig {
    frontdesk::config::MailConfig {
        address: "support@desk.example".into(),
        outbound: Some(frontdesk::config::OutboundConfig {
            maildir: dir.join("outbox").display().to_string(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn mailed(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("outbox/new")).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn a_mailed_reply_that_would_cross_a_customer_message_is_neither_stored_nor_mailed() {
    let (dir, path) = desk();
    let mut ana = open_with(Store::open(&path).unwrap(), "ana", chrono::Utc::now(), |app| {
        app.mail = Some(mail_config(dir.path()));
        app.data_dir = dir.path().to_path_buf();
    });
    press(&mut ana, "enter r");
    let id = ana.state.open_ticket().unwrap().id;
    type_text(&mut ana, "Refund is on its way");
    Store::open(&path).unwrap().add_message(id, MessageKind::Customer, "mail", "Never mind, found it", None).unwrap();
    press(&mut ana, "ctrl-s");
    assert!(status(&ana).contains("1 new message since you last looked"), "{}", status(&ana));
    assert_eq!(mailed(dir.path()), 0, "nothing was mailed");
    assert!(store_of(&ana).outbox(true).unwrap().is_empty(), "nothing waits in the outbox");
    assert_eq!(bodies(&ana, id).len(), 2, "no reply was stored");
    press(&mut ana, "ctrl-s");
    assert_eq!(mailed(dir.path()), 1, "having seen it, ana sends anyway");
}

/// One agent sends guarded replies by mail while customer messages keep arriving through another
/// connection: no reply may be recorded after a customer message it did not see.
#[test]
fn a_guarded_mailed_reply_never_crosses_a_customer_message() {
    let (dir, path) = desk();
    let config = mail_config(dir.path());
    let outbound = frontdesk::mail::outbound::Outbound::from_config(Some(&config), dir.path()).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let sent = std::thread::scope(|s| {
        s.spawn(|| {
            let customer = Store::open(&path).unwrap();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                customer.add_message(1, MessageKind::Customer, "mail", "and another thing", None).unwrap();
            }
        });
        let store = Store::open(&path).unwrap();
        let ana = store.agent("ana").unwrap().unwrap();
        let mut sent = Vec::new();
        for _ in 0..150 {
            let seen = store.last_message_id(1).unwrap().unwrap();
            match outbound.send_reply(&store, &ana, 1, "We are on it", Some(seen), None) {
                Ok((reply, _, _)) => sent.push((seen, reply.id)),
                Err(frontdesk::mail::outbound::SendError::Store(StoreError::NewerMessages { .. })) => {}
                Err(other) => panic!("{other}"),
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        sent
    });
    let messages = Store::open(&path).unwrap().ticket_detail(1).unwrap().messages;
    for (seen, reply) in &sent {
        let crossed: Vec<i64> = messages.iter().map(|m| m.id).filter(|m| seen < m && m < reply).collect();
        assert!(crossed.is_empty(), "reply {reply} (seen {seen}) crossed customer messages {crossed:?}");
    }
    assert_eq!(mailed(dir.path()), sent.len(), "every recorded reply was mailed, and only those");
}

#[test]
fn a_stopped_reply_can_be_discarded() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    press(&mut ana, "enter n");
    let id = ana.state.open_ticket().unwrap().id;
    type_text(&mut ana, "draft to drop");
    Store::open(&path).unwrap().add_message(id, MessageKind::Customer, "ana", "me again", None).unwrap();
    press(&mut ana, "ctrl-s");
    assert!(status(&ana).contains("customer from Customer"), "{}", status(&ana));
    press(&mut ana, "ctrl-x");
    assert!(ana.state.composer.is_none());
    assert!(store_of(&ana).draft(id, "ana").unwrap().is_none(), "the draft is gone");
    assert_eq!(bodies(&ana, id).len(), 2);
}

#[test]
fn two_agents_taking_one_ticket_give_one_owner_and_one_clear_message() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    let mut hiro = console(&path, "hiro");
    press(&mut ana, "enter");
    press(&mut hiro, "enter");
    let id = ana.state.open_ticket().unwrap().id;
    press(&mut hiro, "T");
    press(&mut ana, "T");
    assert_eq!(store_of(&ana).ticket(id).unwrap().assignee.as_deref(), Some("hiro"));
    assert!(status(&ana).contains(&format!("ticket #{id} was just taken by hiro")), "{}", status(&ana));
    assert_eq!(ana.state.open_ticket().unwrap().assignee.as_deref(), Some("hiro"), "ana sees the owner");
    let assignments = store_of(&ana).ticket_detail(id).unwrap().events.iter().filter(|e| e.field == "assignee").count();
    assert_eq!(assignments, 1);
}

#[test]
fn taking_from_the_queue_checks_against_the_owner_the_row_showed() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    let mut hiro = console(&path, "hiro");
    // Both cursors move to the second ticket and act at once, before any preview loads it.
    press(&mut ana, "j");
    press(&mut hiro, "j");
    let id = ana.state.queue.selected_ticket().unwrap().id;
    assert_eq!(hiro.state.queue.selected_ticket().unwrap().assignee, None, "hiro's row shows nobody");
    press(&mut ana, "T");
    press(&mut hiro, "T");
    assert_eq!(store_of(&hiro).ticket(id).unwrap().assignee.as_deref(), Some("ana"), "not taken from ana");
    assert!(status(&hiro).contains(&format!("ticket #{id} was just taken by ana")), "{}", status(&hiro));
    let assignments = store_of(&ana).ticket_detail(id).unwrap().events.iter().filter(|e| e.field == "assignee").count();
    assert_eq!(assignments, 1, "one change, not two");
}

#[test]
fn claims_from_many_threads_give_exactly_one_owner() {
    let (_dir, path) = desk();
    let logins = ["ana", "hiro", "mei", "olu"];
    let store = Store::open(&path).unwrap();
    for login in &logins[2..] {
        store.add_agent(login, None, Role::Agent).unwrap();
    }
    let winners: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = logins
            .iter()
            .map(|login| {
                let path = path.clone();
                s.spawn(move || Store::open(&path).unwrap().claim_ticket(1, login, None).is_ok())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(winners.iter().filter(|w| **w).count(), 1, "{winners:?}");
}

fn wait_for(rx: &std::sync::mpsc::Receiver<Msg>, what: impl Fn(&Msg) -> bool) -> Msg {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(msg) if what(&msg) => return msg,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("the watcher said nothing in time")
}

#[test]
fn the_watcher_notices_other_processes_within_a_second_and_says_nothing_while_idle() {
    use frontdesk::app::effects::watcher::Watcher;
    let (_dir, path) = desk();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = Watcher::spawn(path.clone(), "ana".into(), tx);
    wait_for(&rx, |m| matches!(m, Msg::StoreChanged { .. }));
    // Idle: nothing changes, nothing is sent (its own heartbeats do not count).
    assert!(rx.recv_timeout(std::time::Duration::from_millis(1200)).is_err(), "an idle desk sends nothing");
    let other = Store::open(&path).unwrap();
    let started = std::time::Instant::now();
    other.update_ticket(1, 1, &TicketChange { priority: Some(Priority::High), ..Default::default() }, "hiro").unwrap();
    wait_for(&rx, |m| matches!(m, Msg::StoreChanged { desk_changed: true, .. }));
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    watcher.stop();
    assert!(other.presence().unwrap().is_empty(), "a console that exits leaves no heartbeat");
}

#[test]
fn presence_shows_who_views_and_who_writes() {
    use frontdesk::app::effects::watcher::Watcher;
    use frontdesk::app::model::presence;
    let (_dir, path) = desk();
    let mut hiro = console(&path, "hiro");
    let (tx, rx) = std::sync::mpsc::channel();
    hiro.watcher = Some(Watcher::spawn(path.clone(), "hiro".into(), tx));
    press(&mut hiro, "enter r");
    let id = hiro.state.open_ticket().unwrap().id;
    type_text(&mut hiro, "x");

    let mut ana = console(&path, "ana");
    let (tx, ana_rx) = std::sync::mpsc::channel();
    let _ana_watch = Watcher::spawn(path.clone(), "ana".into(), tx);
    let msg = wait_for(&ana_rx, |m| match m {
        Msg::StoreChanged { presence, .. } => presence.iter().any(|p| p.agent == "hiro" && p.ticket_id == Some(id)),
        _ => false,
    });
    deliver(&mut ana, msg);
    assert_eq!(presence::glyph(&ana.state, id), "✎");
    assert_eq!(presence::describe(&ana.state, id, false).as_deref(), Some("✎ hiro writing"));
    assert_eq!(presence::describe(&ana.state, id, true).as_deref(), Some("✎ hiro"));
    drop(rx);
    // A console that dies stops renewing; its heartbeat expires (here: removed as on exit).
    drop(hiro.watcher.take());
    let msg = wait_for(&ana_rx, |m| matches!(m, Msg::StoreChanged { presence, .. } if presence.is_empty()));
    deliver(&mut ana, msg);
    assert_eq!(presence::glyph(&ana.state, id), " ");
}

#[test]
fn a_live_refresh_holds_the_selection_and_shows_the_new_message() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    press(&mut ana, "j enter");
    let id = ana.state.open_ticket().unwrap().id;
    let selected = ana.state.queue.selected_ticket().unwrap().id;
    let other = Store::open(&path).unwrap();
    other.add_message(3, MessageKind::Customer, "x", "bump another ticket", None).unwrap();
    other.add_message(id, MessageKind::Customer, "x", "and this one", None).unwrap();
    deliver(&mut ana, Msg::StoreChanged { desk_changed: true, presence: vec![] });
    assert_eq!(ana.state.queue.selected_ticket().unwrap().id, selected, "the selection stays on its ticket");
    let shown = &ana.state.conversation.as_ref().unwrap().detail.messages;
    assert_eq!(shown.last().unwrap().body, "and this one");
}

#[test]
fn a_killed_consoles_draft_is_offered_back() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    press(&mut ana, "enter r");
    let id = ana.state.open_ticket().unwrap().id;
    type_text(&mut ana, "half a reply");
    deliver(&mut ana, Msg::DraftDue); // the save timer fired (1.5 s after the last key)
    std::mem::forget(ana); // killed: nothing else runs
    let mut again = console(&path, "ana");
    press(&mut again, "enter");
    assert_eq!(again.state.open_ticket().unwrap().id, id);
    assert!(status(&again).contains("draft is waiting"), "{}", status(&again));
    press(&mut again, "r");
    assert_eq!(again.state.composer.as_ref().unwrap().body(), "half a reply");
}

#[test]
fn a_lost_race_says_what_the_other_agent_changed() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    press(&mut ana, "enter");
    let id = ana.state.open_ticket().unwrap().id;
    let other = Store::open(&path).unwrap();
    let change = TicketChange { priority: Some(Priority::High), add_tags: vec!["vip".into()], ..Default::default() };
    other.update_ticket(id, 1, &change, "hiro").unwrap();
    press(&mut ana, "s");
    type_text(&mut ana, "pending");
    press(&mut ana, "enter");
    let said = status(&ana);
    let expected =
        format!("ticket #{id} changed since you last looked: priority normal → high, tag #vip added by hiro at ");
    assert!(said.starts_with(&expected), "{said}");
    assert!(said.ends_with("; nothing was changed"), "{said}");
    assert_eq!(store_of(&ana).ticket(id).unwrap().status, Status::New);
}

#[test]
fn an_idle_console_holds_no_read_transaction_so_checkpoints_complete() {
    use frontdesk::app::effects::watcher::Watcher;
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana");
    let (tx, rx) = std::sync::mpsc::channel();
    ana.watcher = Some(Watcher::spawn(path.clone(), "ana".into(), tx));
    press(&mut ana, "enter r");
    type_text(&mut ana, "draft");
    deliver(&mut ana, Msg::DraftDue);
    let first = wait_for(&rx, |m| matches!(m, Msg::StoreChanged { .. })); // the watcher's first look
    deliver(&mut ana, first);
    let other = Store::open(&path).unwrap();
    other.add_message(1, MessageKind::Customer, "x", "news", None).unwrap();
    let msg = wait_for(&rx, |m| matches!(m, Msg::StoreChanged { desk_changed: true, .. }));
    deliver(&mut ana, msg); // the console reloads what it shows, then is idle again
    let conn = rusqlite::Connection::open(&path).unwrap();
    // A short wait covers the watcher's own sub-millisecond looks; a held transaction would not end.
    conn.busy_timeout(std::time::Duration::from_secs(2)).unwrap();
    let (busy, _, _): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    assert_eq!(busy, 0, "a reader held the WAL: the checkpoint could not finish");
}
