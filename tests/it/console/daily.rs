//! Daily work without leaving the console: snoozing to a typed time, a new ticket, attachments
//! saved and opened, spam and delete for admins. Keys in, state and a real database out.

use crate::support::console::{deliver, numbered_ticket, open_with, press, status, store_of, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::action::Action;
use frontdesk::app::model::key::{KeyCode, KeyEvent};
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::overlay::OverlayKind;
use frontdesk::domain::when::Zone;
use frontdesk::domain::*;
use frontdesk::store::Store;
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

const BERLIN: Zone = Zone::Named(chrono_tz::Europe::Berlin);

fn console(path: &Path, login: &str, setup: impl FnOnce(&mut App)) -> App {
    open_with(Store::open(path).unwrap(), login, chrono::Utc::now(), |app| {
        app.state.zone = BERLIN;
        app.state.size = (200, 50); // the conversation's lines are long enough to read whole
        setup(app);
    })
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::from(code))
}

/// The picker's highlighted line.
fn highlighted(app: &App) -> (String, String) {
    let overlay = app.state.overlay.as_ref().expect("a picker is open");
    let item = &overlay.items[overlay.matches[overlay.selected].0];
    (item.label.clone(), item.detail.clone())
}

#[test]
fn a_typed_time_is_shown_as_understood_and_confirmed_in_local_time() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana", |_| {});
    press(&mut ana, "enter z");
    let id = ana.state.open_ticket().unwrap().id;
    type_text(&mut ana, "tomorrow 9:00");
    let now = ana.state.now;
    let until = BERLIN.parse("tomorrow 9:00", now).unwrap();
    assert_eq!(highlighted(&ana).0, format!("until {}", BERLIN.short(until, now)), "shown before Enter");
    press(&mut ana, "enter");
    let store = store_of(&ana);
    let snoozes = store.snoozes(&[store.ticket(id).unwrap()]).unwrap();
    assert_eq!(snoozes.get(&id), Some(&until), "stored as typed, in Berlin time");
    assert_eq!(status(&ana), format!("#{id} snoozed until {}, or until the customer writes", BERLIN.full(until)));
    assert!(status(&ana).ends_with("CET, or until the customer writes") || status(&ana).contains("CEST"));
    assert!(!ana.state.queue.rows.iter().any(|t| t.id == id), "it left the Open tab");
    let under_cursor = ana.state.queue.selected_ticket().map(|t| t.id);
    assert_eq!(ana.state.open_ticket().map(|t| t.id), under_cursor, "the ticket now under the cursor is shown");
    let clock = frontdesk::app::model::conversation::Clock { now, zone: ana.state.zone };
    let lines = frontdesk::app::model::conversation::build_lines(&store.ticket_detail(id).unwrap(), 200, clock);
    let shown: String = lines.iter().map(|l| format!("{l:?}")).collect();
    assert!(shown.contains(&format!("ana snoozed until {}", BERLIN.short(until, now))), "{shown}");
}

#[test]
fn text_that_is_not_a_time_says_why_and_snoozes_nothing() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana", |_| {});
    press(&mut ana, "enter z");
    let id = ana.state.open_ticket().unwrap().id;
    type_text(&mut ana, "someday");
    let (label, detail) = highlighted(&ana);
    assert_eq!(label, "until…?");
    assert!(detail.starts_with("'someday' is not a time"), "{detail}");
    press(&mut ana, "enter");
    assert!(status(&ana).starts_with("'someday' is not a time"), "{}", status(&ana));
    assert_eq!(ana.state.overlay.as_ref().map(|o| o.kind), Some(OverlayKind::Snooze), "the picker stays");
    let store = store_of(&ana);
    assert!(store.snoozes(&[store.ticket(id).unwrap()]).unwrap().is_empty());
    // A fixed delay still works from the same picker.
    for _ in 0.."someday".len() {
        press(&mut ana, "backspace");
    }
    type_text(&mut ana, "1 week");
    assert!(highlighted(&ana).0.starts_with("until "), "{:?}", highlighted(&ana));
    press(&mut ana, "enter");
    assert!(status(&ana).starts_with(&format!("#{id} snoozed until ")), "{}", status(&ana));
}

#[test]
fn a_new_ticket_for_a_customer_picked_by_name_opens_when_created() {
    let (_dir, path) = desk();
    let gold = Store::open(&path).unwrap().customer_by_email("customer1@shop.example").unwrap().unwrap();
    Store::open(&path).unwrap().update_customer(gold.id, Some(Tier::Gold), None, "ana").unwrap();
    let mut ana = console(&path, "ana", |app| app.tier_raise = [("gold".to_string(), 1)].into());
    press(&mut ana, "c");
    assert!(ana.state.ticket_form.is_some());
    type_text(&mut ana, "customer 1");
    let found: Vec<String> = ana.state.ticket_form.as_ref().unwrap().found.iter().map(|c| c.name.clone()).collect();
    assert_eq!(found, ["Customer 1"]);
    press(&mut ana, "enter");
    type_text(&mut ana, "Called: refund for order 48213");
    press(&mut ana, "enter");
    type_text(&mut ana, "She called about the refund.");
    deliver(&mut ana, key(KeyCode::Enter));
    type_text(&mut ana, "Second line.");
    press(&mut ana, "ctrl-s");
    assert!(ana.state.ticket_form.is_none(), "{}", status(&ana));
    let ticket = ana.state.open_ticket().expect("the new ticket is open").clone();
    assert_eq!(ticket.subject, "Called: refund for order 48213");
    assert_eq!(ticket.customer_name, "Customer 1");
    assert_eq!(ticket.priority, Priority::High, "a gold customer's new ticket is raised a step, as from mail");
    assert_eq!(status(&ana), format!("created #{} for Customer 1 <customer1@shop.example>", ticket.id));
    let detail = store_of(&ana).ticket_detail(ticket.id).unwrap();
    assert_eq!(detail.messages[0].body, "She called about the refund.\nSecond line.");
    assert_eq!(detail.messages[0].kind, MessageKind::Customer);
}

#[test]
fn a_new_address_makes_a_new_customer_and_a_missing_subject_is_asked_for() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana", |_| {});
    press(&mut ana, "c");
    type_text(&mut ana, "Olu Okafor <olu@new.example>");
    assert!(ana.state.ticket_form.as_ref().unwrap().is_new_customer());
    press(&mut ana, "ctrl-s");
    assert_eq!(status(&ana), "the ticket needs a subject");
    assert!(ana.state.ticket_form.is_some(), "nothing typed is lost");
    type_text(&mut ana, "Invoice missing");
    press(&mut ana, "ctrl-s");
    let ticket = ana.state.open_ticket().expect("the new ticket is open").clone();
    let customer = store_of(&ana).customer_by_email("olu@new.example").unwrap().expect("a new customer");
    assert_eq!((customer.name.as_str(), ticket.customer_id), ("Olu Okafor", customer.id));
}

#[test]
fn a_form_with_text_asks_before_it_is_thrown_away() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana", |_| {});
    let before = store_of(&ana).count_tickets(&TicketFilter::default()).unwrap();
    press(&mut ana, "c esc");
    assert!(ana.state.ticket_form.is_none(), "an empty form closes at once");
    press(&mut ana, "c");
    type_text(&mut ana, "carla@shop.example");
    press(&mut ana, "esc");
    assert!(ana.state.ticket_form.as_ref().unwrap().confirm_discard, "asks");
    press(&mut ana, "n");
    let form = ana.state.ticket_form.as_ref().expect("n keeps it");
    assert_eq!(form.customer.value(), "carla@shop.example");
    press(&mut ana, "esc y");
    assert!(ana.state.ticket_form.is_none());
    assert_eq!(store_of(&ana).count_tickets(&TicketFilter::default()).unwrap(), before);
}

#[test]
fn admins_delete_or_close_as_spam_after_a_y_and_agents_are_told_why_not() {
    let (_dir, path) = desk();
    let mut hiro = console(&path, "hiro", |_| {});
    press(&mut hiro, "enter");
    deliver(&mut hiro, Msg::Action(Action::DeleteTicket));
    assert_eq!(status(&hiro), "only an admin can delete tickets: ask one, or close the ticket (s) instead");
    assert!(hiro.state.overlay.is_none());

    let mut ana = console(&path, "ana", |_| {});
    press(&mut ana, "enter :");
    type_text(&mut ana, "delete_ticket");
    press(&mut ana, "enter");
    let ticket = ana.state.open_ticket().unwrap().clone();
    let overlay = ana.state.overlay.as_ref().expect("a question");
    assert_eq!(overlay.kind, OverlayKind::Confirm);
    assert_eq!(overlay.title(), format!("Delete #{} {}? y/N", ticket.id, ticket.subject));
    press(&mut ana, "enter");
    assert!(store_of(&ana).ticket(ticket.id).is_ok(), "Enter means no at first");
    deliver(&mut ana, Msg::Action(Action::DeleteTicket));
    press(&mut ana, "y");
    assert!(store_of(&ana).ticket(ticket.id).is_err(), "deleted");
    assert_ne!(ana.state.open_ticket().map(|t| t.id), Some(ticket.id), "the next ticket is shown, not the deleted one");
    assert!(!ana.state.queue.rows.iter().any(|t| t.id == ticket.id));
    assert!(status(&ana).starts_with(&format!("deleted #{}", ticket.id)), "{}", status(&ana));

    press(&mut ana, "enter");
    let spam = ana.state.open_ticket().unwrap().id;
    deliver(&mut ana, Msg::Action(Action::MarkSpam));
    press(&mut ana, "y");
    let closed = store_of(&ana).ticket(spam).unwrap();
    assert_eq!((closed.status, closed.tags), (Status::Closed, vec!["spam".to_string()]));
}

/// A mail from Carla with `invoice.pdf` attached under a name that tries to climb out of the folder.
fn import_invoice(path: &Path, bytes: &[u8]) -> i64 {
    use std::fmt::Write as _;
    let mut encoded = String::new();
    for chunk in bytes.chunks(57) {
        let _ = writeln!(encoded, "{}", base64(chunk));
    }
    let raw = format!(
        "From: Carla Nunez <carla@shop.example>\r\nTo: support@desk.example\r\nSubject: Invoice\r\n\
         Message-ID: <invoice-1@shop.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n\
         Here it is.\r\n--b1\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"../../invoice.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{encoded}--b1--\r\n"
    );
    let store = Store::open(path).unwrap();
    let outcome =
        frontdesk::mail::Importer::new(&store, &frontdesk::config::Config::default()).import(raw.as_bytes(), "test");
    crate::support::mail::ticket_of(&outcome.unwrap())
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ABC[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// The bytes of a small PDF-ish file, every byte value in it.
fn invoice_bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(3000));
    bytes
}

#[test]
fn an_attachment_is_saved_by_number_under_a_safe_name_beside_a_file_already_there() {
    let (dir, path) = desk();
    let ticket = import_invoice(&path, &invoice_bytes());
    let downloads = dir.path().join("Downloads");
    std::fs::create_dir(&downloads).unwrap();
    std::fs::write(downloads.join("invoice.pdf"), b"the agent's own").unwrap();
    let mut ana = console(&path, "ana", |app| app.download_dir = Some(downloads.clone()));
    let row = ana.state.queue.rows.iter().position(|t| t.id == ticket).unwrap();
    ana.state.queue.selected = row;
    press(&mut ana, "enter");
    let lines: String = ana.state.conversation.as_ref().unwrap().lines.iter().map(|l| format!("{l:?}")).collect();
    assert!(lines.contains("📎 [1] ../../invoice.pdf 3 KB · application/pdf"), "{lines}");
    press(&mut ana, "d");
    assert_eq!(ana.state.overlay.as_ref().map(|o| o.kind), Some(OverlayKind::SaveAttachment));
    type_text(&mut ana, "1");
    press(&mut ana, "enter");
    let saved = downloads.join("invoice (2).pdf");
    assert_eq!(std::fs::read(&saved).unwrap(), invoice_bytes(), "{}", status(&ana));
    assert_eq!(std::fs::read(downloads.join("invoice.pdf")).unwrap(), b"the agent's own", "never replaced");
    assert_eq!(status(&ana), format!("saved invoice (2).pdf in {}", downloads.display()));
    assert_eq!(std::fs::read_dir(&downloads).unwrap().count(), 2, "one new file, in the folder");
}

#[test]
fn an_attachment_is_opened_by_the_configured_opener_as_a_private_copy() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = desk();
    let ticket = import_invoice(&path, &invoice_bytes());
    let copy = dir.path().join("what the opener got");
    let opener = dir.path().join("opener.sh");
    std::fs::write(&opener, format!("#!/bin/sh\ncp \"$1\" '{}'\n", copy.display())).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut ana = console(&path, "ana", |app| app.opener = Some(opener.display().to_string()));
    ana.state.queue.selected = ana.state.queue.rows.iter().position(|t| t.id == ticket).unwrap();
    press(&mut ana, "enter o enter");
    assert_eq!(status(&ana), format!("opened ../../invoice.pdf with {}", opener.display()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !copy.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(std::fs::read(&copy).unwrap(), invoice_bytes(), "the opener ran on the attachment's bytes");

    // An opener that fails says so once it exits.
    let mut ana = console(&path, "ana", |app| app.opener = Some("false".into()));
    ana.state.queue.selected = ana.state.queue.rows.iter().position(|t| t.id == ticket).unwrap();
    press(&mut ana, "enter o enter");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !status(&ana).starts_with("false could not open") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        ana.wait_idle();
    }
    assert!(status(&ana).starts_with("false could not open ../../invoice.pdf"), "{}", status(&ana));
}

#[test]
fn a_typed_time_snoozes_every_marked_ticket() {
    let (_dir, path) = desk();
    let mut ana = console(&path, "ana", |_| {});
    press(&mut ana, "esc space space");
    let marked: Vec<i64> = ana.state.marked.keys().copied().collect();
    assert_eq!(marked.len(), 2);
    press(&mut ana, "z");
    type_text(&mut ana, "mon 8:30");
    let until = BERLIN.parse("mon 8:30", ana.state.now).unwrap();
    press(&mut ana, "enter");
    let asked = ana.state.overlay.as_ref().and_then(|o| o.title.clone()).unwrap_or_default();
    assert_eq!(asked, format!("snooze 2 marked tickets until {}? y/N", BERLIN.full(until)));
    press(&mut ana, "y");
    let store = store_of(&ana);
    let tickets: Vec<Ticket> = marked.iter().map(|id| store.ticket(*id).unwrap()).collect();
    let snoozes = store.snoozes(&tickets).unwrap();
    assert_eq!(marked.iter().map(|id| snoozes.get(id).copied()).collect::<Vec<_>>(), [Some(until); 2]);
    let said = format!("snoozed until {} on 2 tickets", BERLIN.full(until));
    assert!(status(&ana).starts_with(&said), "{}", status(&ana));
}
