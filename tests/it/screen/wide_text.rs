//! Double-width text under overlays, at the byte level: the console's real backend writes each
//! frame into a real terminal emulator (vt100), and after every key the emulated screen must equal
//! the screen a full redraw of the same state leaves. CJK names, emoji (with VS16 and ZWJ
//! sequences) and combining marks sit where the overlays' borders fall, so every overlay is drawn
//! over, narrowed and removed across them.

use frontdesk::app::headless::{key, Headless};
use frontdesk::app::model::views::View;
use frontdesk::app::term::backend::ByteSavingBackend;
use frontdesk::app::term::output::ByteSink;
use frontdesk::domain::{Channel, NewTicket, Priority};
use frontdesk::store::Store;
use frontdesk::ui::theme::Theme;
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Names and subjects whose wide cells land on every column parity.
const NAMES: &[&str] = &[
    "田中 花子",
    "王伟",
    "x田中花子",
    "山田太郎さん",
    "김민준",
    "😀 Emoji Fan",
    "x❤️ Heart",
    "👨‍👩‍👧 Family",
    "Zoë e\u{301}clair",
    "x한국어이름",
    "🇯🇵 Flag",
    "中文名字很长的客户",
];

const SUBJECTS: &[&str] = &[
    "注文した商品が届きません",
    "x退款申请 🙏 please",
    "Login 👍🏽 loop",
    "パスワードを忘れました",
    "x環境 ☕️ coffee",
    "Où est ma commande ？",
];

/// Only CJK, as on the demo desk where the fault was seen (no emoji, no combining marks).
const CJK_NAMES: &[&str] = &["田中 花子", "x田中 花子", "山田太郎", "王伟", "x中文名字很长的客户", "김민준"];
const CJK_SUBJECTS: &[&str] = &["注文した商品が届きません", "x退款申请", "パスワードを忘れました"];

/// A desk of rows of wide text, opened in a headless console at `size`.
fn console(size: (u16, u16), (names, subjects): (&[&str], &[&str])) -> (tempfile::TempDir, Headless) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    for n in 0..48 {
        let name = names[n % names.len()];
        let new = NewTicket {
            customer_email: format!("c{}@shop.example", n % names.len()),
            customer_name: Some(name.into()),
            subject: format!("{} {n}", subjects[n % subjects.len()]),
            body: format!("{name}: {}\n\n{}", subjects[(n + 1) % subjects.len()], names.join(" · ")),
            priority: [Priority::Normal, Priority::High, Priority::Urgent, Priority::Low][n % 4],
            channel: Channel::Email,
            tags: vec![format!("標籤{}", n % 3), "café".into()],
        };
        store.create_ticket(&new, "ana").unwrap();
    }
    let agent = store.agent("ana").unwrap().unwrap();
    let console = Headless::start(store, agent, View::All, size, chrono::Utc::now()).unwrap();
    (dir, console)
}

/// What a terminal shows after `bytes`, starting from `parser`'s screen.
fn emulator(size: (u16, u16)) -> vt100::Parser {
    let rows = std::num::NonZeroU16::new(size.1).unwrap();
    let cols = std::num::NonZeroU16::new(size.0).unwrap();
    vt100::Parser::new(rows, cols, 0)
}

/// The console's state drawn once onto a blank terminal by the same backend.
fn full_redraw(console: &Headless, size: (u16, u16)) -> vt100::Parser {
    let sink = ByteSink::default();
    let backend = ByteSavingBackend::with_size(sink.clone(), Size { width: size.0, height: size.1 });
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.0, size.1));
    let mut term = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
    frontdesk::app::draw_frame(&mut term, &console.app.state, &Theme::ansi16(), None).unwrap();
    let mut parser = emulator(size);
    parser.process(&sink.take());
    parser
}

/// What a cell shows: a blank is a blank whether written or never touched, and a blank's
/// foreground cannot be seen.
fn look(cell: &vt100::Cell) -> (String, bool, bool, String, bool, bool) {
    let text = cell.contents().trim_end().to_string();
    let fg = if text.is_empty() {
        String::new()
    } else {
        format!("{:?}{}{}{}", cell.fgcolor(), cell.bold(), cell.dim(), cell.italic())
    };
    (
        text,
        cell.is_wide(),
        cell.is_wide_continuation(),
        format!("{:?}{fg}", cell.bgcolor()),
        cell.inverse(),
        cell.underline(),
    )
}

/// The first cell where two screens differ, with both rows, or `None` when they are the same.
fn difference(shown: &vt100::Screen, full: &vt100::Screen, size: (u16, u16)) -> Option<String> {
    for row in 0..size.1 {
        for col in 0..size.0 {
            let (a, b) = (shown.cell(row, col).unwrap(), full.cell(row, col).unwrap());
            if a != b && look(a) != look(b) {
                let rows = |s: &vt100::Screen| s.rows(0, size.0).nth(row as usize).unwrap_or_default();
                return Some(format!(
                    "row {row} col {col}: shown {:?} (wide {}), full redraw {:?} (wide {})\nshown: {}\nfull:  {}",
                    a.contents(),
                    a.is_wide(),
                    b.contents(),
                    b.is_wide(),
                    rows(shown),
                    rows(full),
                ));
            }
        }
    }
    None
}

/// Press `keys` (space-separated key names) one by one; after each frame the incremental screen
/// must equal a full redraw.
fn press_and_compare(console: &mut Headless, screen: &mut vt100::Parser, size: (u16, u16), keys: &str) {
    for name in keys.split(' ').filter(|k| !k.is_empty()) {
        let name = if name == "Space" { " " } else { name };
        console.press(key(name)).unwrap();
        screen.process(&console.last_bytes);
        let full = full_redraw(console, size);
        if let Some(diff) = difference(screen.screen(), full.screen(), size) {
            panic!("after {keys:?} (at {name:?}) the screen is not what a redraw shows:\n{diff}");
        }
    }
}

fn sweep(size: (u16, u16), text: (&[&str], &[&str]), keys: &[&str]) {
    let (_dir, mut console) = console(size, text);
    let mut screen = emulator(size);
    screen.process(&console.last_bytes);
    assert!(difference(screen.screen(), full_redraw(&console, size).screen(), size).is_none());
    for keys in keys {
        press_and_compare(&mut console, &mut screen, size, keys);
    }
}

/// Each overlay opened over the queue, typed into (narrowing its list), stepped and closed.
const OVERLAYS_OVER_THE_QUEUE: &[&str] = &[
    ": f o r c e Backspace Backspace Backspace q z Backspace Backspace Esc",
    "? r a t e Backspace Backspace Down Down Up Esc",
    "j j s o Backspace Down Esc",
    "p h Backspace Down Down Esc",
    "a a n Backspace Backspace Esc",
    "t 標 Backspace c a f Backspace Backspace Backspace Esc",
    "z 1 Backspace Down Esc",
    "R Down Esc",
    "G k k : q u Esc g g",
    "c Esc",
];

/// The same with a conversation open (the pickers for its ticket, the canned replies, merges).
const OVERLAYS_OVER_A_CONVERSATION: &[&str] = &[
    "Enter",
    ": m e r Backspace Backspace Backspace Esc",
    "? Down Down Down Down Down Down Down Down Esc",
    "s Down Esc p Esc a Esc t Esc z Esc R Esc",
    "r C-t Down Esc Esc",
    "Esc j Enter : Esc",
    ": m e r g e _ t i c k e t Enter Down x Backspace Esc",
    ": d e l e t e Enter Esc",
    // Scrolled: the conversation and the queue move under and beside the wide text.
    "2 j j j C-d C-u k 1 C-d C-d C-u G g g",
];

#[test]
fn overlays_over_cjk_names_leave_the_screen_a_full_redraw_shows() {
    for size in [(120, 40), (101, 30)] {
        sweep(size, (CJK_NAMES, CJK_SUBJECTS), OVERLAYS_OVER_THE_QUEUE);
        sweep(size, (CJK_NAMES, CJK_SUBJECTS), OVERLAYS_OVER_A_CONVERSATION);
    }
}

#[test]
fn overlays_over_emoji_and_combining_marks_leave_the_screen_a_full_redraw_shows() {
    for size in [(120, 40), (133, 41)] {
        sweep(size, (NAMES, SUBJECTS), OVERLAYS_OVER_THE_QUEUE);
        sweep(size, (NAMES, SUBJECTS), OVERLAYS_OVER_A_CONVERSATION);
    }
}
