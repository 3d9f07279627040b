//! What the console writes besides frames, byte by byte: the window title and OSC 52 copies carry
//! a hostile subject and body as text, never as sequences of their own.

use frontdesk::app::headless::{key, Headless};
use frontdesk::app::model::views::View;
use frontdesk::app::term::osc;
use frontdesk::domain::text::for_display;
use frontdesk::domain::{Channel, NewTicket, Priority};
use frontdesk::store::Store;

const SUBJECT: &str = "Refund\x1b]2;pwned\x07\x1b[2J\u{9b}31m\u{9d}0;x\u{9c}";
const BODY: &str = "paste me\x1b[201~\nrm -rf ~\x1b]52;c;aGk=\x07\u{202e}";

fn console() -> (tempfile::TempDir, Headless) {
    console_with(1)
}

fn console_with(tickets: usize) -> (tempfile::TempDir, Headless) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    let new = NewTicket {
        customer_email: "mallory@evil.example".into(),
        customer_name: Some("Mallory".into()),
        subject: SUBJECT.into(),
        body: BODY.into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    for _ in 0..tickets {
        store.create_ticket(&new, "ana").unwrap();
    }
    let agent = store.agent("ana").unwrap().unwrap();
    let console = Headless::start(store, agent, View::All, (100, 30), chrono::Utc::now()).unwrap();
    (dir, console)
}

/// The text of every `ESC ] N ;` … `ESC \` sequence in `bytes` with that number.
fn osc_payloads(bytes: &[u8], number: &str) -> Vec<Vec<u8>> {
    let start = format!("\x1b]{number};");
    let mut found = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(start.len()).position(|w| w == start.as_bytes()) {
        let after = &rest[at + start.len()..];
        let end = after.windows(2).position(|w| w == b"\x1b\\").expect("every OSC is ended by ST");
        found.push(after[..end].to_vec());
        rest = &after[end + 2..];
    }
    found
}

fn no_controls(text: &[u8]) -> bool {
    let text = String::from_utf8(text.to_vec()).unwrap();
    !text.chars().any(|c| c.is_control() || c == '\u{202e}')
}

#[test]
fn the_window_title_names_the_open_ticket_as_text_and_changes_only_with_it() {
    let (_dir, mut console) = console();
    let titles = osc_payloads(&console.last_bytes, "2");
    assert_eq!(titles.len(), 1, "the first frame names the ticket it shows");
    let title = String::from_utf8(titles[0].clone()).unwrap();
    assert_eq!(title, "#1 Refund^[]2;pwned^G^[[2J<U+009B>31m<U+009D>0;x<U+009C> — frontdesk");
    assert!(no_controls(&titles[0]));
    assert!(!console.last_bytes.contains(&0x07), "no BEL anywhere in what was sent");
    console.press(key("Enter")).unwrap();
    assert!(osc_payloads(&console.last_bytes, "2").is_empty(), "an unchanged title is not sent again");
    console.press(key("Esc")).unwrap();
    console.press(key("j")).unwrap();
    assert!(osc_payloads(&console.last_bytes, "2").is_empty(), "a moving cursor changes no title");
}

#[test]
fn y_copies_the_conversation_through_osc_52_in_base64_of_sanitized_text() {
    let (_dir, mut console) = console();
    console.press(key("Enter")).unwrap();
    console.press(key("y")).unwrap();
    let copies = osc_payloads(&console.last_bytes, "52");
    assert_eq!(copies.len(), 1, "one copy");
    let payload = copies[0].strip_prefix(b"c;").expect("to the clipboard");
    assert!(payload.iter().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)), "base64 only");
    let (text, cut) = frontdesk::app::update::ticket_text(&console.app.state).unwrap();
    assert!(!cut);
    assert!(text.contains("rm -rf ~"), "{text}");
    assert_eq!(payload, osc::base64(for_display(&text).as_bytes()).as_bytes());
    let status = console.app.state.status.as_ref().unwrap();
    assert!(!status.is_error && status.text.starts_with("#1 sent to the terminal's clipboard (OSC 52)"), "{status:?}");
    // The body's own "OSC 52" is inside the base64, never a sequence: there was exactly one.
    assert!(!console.last_bytes.windows(9).any(|w| w == b"\x1b[201~\nrm"));
}

#[test]
fn y_from_the_queue_copies_the_selected_ticket() {
    let (_dir, mut console) = console();
    console.press(key("y")).unwrap();
    assert_eq!(console.app.state.open_ticket().map(|t| t.id), Some(1), "opened first");
    assert_eq!(osc_payloads(&console.last_bytes, "52").len(), 1);
}

#[test]
fn y_with_no_ticket_open_says_so_and_copies_nothing() {
    let (_dir, mut console) = console_with(0);
    console.press(key("y")).unwrap();
    assert!(osc_payloads(&console.last_bytes, "52").is_empty());
    let status = console.app.state.status.as_ref().unwrap();
    assert!(status.is_error && status.text == "open a ticket to copy it", "{status:?}");
}
