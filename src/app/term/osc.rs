//! What frontdesk writes to the terminal besides frames: the window title and the clipboard
//! (OSC 52). Both carry customer text, so both are sanitized before a byte is written: nothing a
//! customer typed can end the sequence early or start one of its own.

use crate::app::model::state::State;
use crate::domain::text::{for_display, for_display_line};
use std::io::{self, Write};

/// Characters of a window title at most.
const TITLE_LIMIT: usize = 80;

/// `#1042 Refund for order 48213 — frontdesk` with a ticket open, else `frontdesk`.
pub fn window_title(state: &State) -> String {
    let Some(ticket) = state.open_ticket() else { return "frontdesk".into() };
    let subject = for_display_line(&ticket.subject);
    let mut title = format!("#{} {}", ticket.id, subject.trim());
    if title.chars().count() > TITLE_LIMIT {
        title = title.chars().take(TITLE_LIMIT - 1).collect::<String>() + "…";
    }
    format!("{title} — frontdesk")
}

/// OSC 2 (window title), ended by ST. `title` must be sanitized already (see [`window_title`]).
pub fn write_title(out: &mut impl Write, title: &str) -> io::Result<()> {
    debug_assert!(!title.chars().any(char::is_control), "unsanitized title");
    write!(out, "\x1b]2;{title}\x1b\\")
}

/// Before the console's first title: keep the terminal's own title (xterm's title stack).
pub const SAVE_TITLE: &[u8] = b"\x1b[22;0t";
/// On leaving: an empty title, then the saved one back where the terminal keeps a stack.
pub const RESTORE_TITLE: &[u8] = b"\x1b]2;\x1b\\\x1b[23;0t";

/// The window title as last sent, so it is sent again only when it changes.
#[derive(Debug, Default)]
pub struct TitleTracker {
    shown: Option<String>,
}

impl TitleTracker {
    pub fn update(&mut self, out: &mut impl Write, state: &State) -> io::Result<()> {
        let title = window_title(state);
        if self.shown.as_deref() != Some(title.as_str()) {
            write_title(out, &title)?;
            self.shown = Some(title);
        }
        Ok(())
    }

    /// The terminal was handed to another program, which may have set its own title.
    pub fn forget(&mut self) {
        self.shown = None;
    }
}

/// The terminal's bell (BEL): a ticket arrived and `ui.bell` is on. Sent with the next frame.
pub fn write_bell(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"\x07")
}

/// OSC 52: put `text` on the system clipboard, sanitized as the panes show it (controls in caret
/// form), so pasting it cannot replay escape sequences.
pub fn write_clipboard(out: &mut impl Write, text: &str) -> io::Result<()> {
    let safe = for_display(text);
    write!(out, "\x1b]52;c;{}\x1b\\", base64(safe.as_bytes()))
}

/// Standard base64 with padding (RFC 4648), as OSC 52 wants.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a hostile subject could use to break out of a sequence or start one.
    const HOSTILE: &str = "Refund\x1b]2;pwned\x07\x1b[2J\u{9b}31m\u{9d}0;x\u{9c}\x1b\\\r\nend\u{202e}";

    fn raw_controls(bytes: &[u8]) -> Vec<u8> {
        bytes.iter().copied().filter(|b| *b < 0x20 || *b == 0x7f).collect()
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn a_hostile_title_reaches_the_terminal_as_text_between_one_start_and_one_end() {
        let title = format!("#7 {} — frontdesk", for_display_line(HOSTILE));
        let mut out = Vec::new();
        write_title(&mut out, &title).unwrap();
        // Only the sequence's own ESC ] … ESC \ are controls; no C1 (as UTF-8 or raw) gets through.
        assert_eq!(raw_controls(&out), b"\x1b\x1b");
        assert!(out.starts_with(b"\x1b]2;#7 Refund^[]2;pwned^G^[[2J<U+009B>31m<U+009D>0;x<U+009C>^[\\ end<U+202E>"));
        assert!(out.ends_with(b" \xe2\x80\x94 frontdesk\x1b\\"));
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(['\u{9b}', '\u{9c}', '\u{9d}', '\u{202e}']), "{text:?}");
    }

    #[test]
    fn the_clipboard_gets_sanitized_text_in_base64_and_nothing_raw() {
        let mut out = Vec::new();
        write_clipboard(&mut out, HOSTILE).unwrap();
        assert_eq!(raw_controls(&out), b"\x1b\x1b", "only OSC 52's own start and end");
        let payload = out.strip_prefix(b"\x1b]52;c;").unwrap().strip_suffix(b"\x1b\\").unwrap();
        assert!(payload.iter().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)));
        let expected = "Refund^[]2;pwned^G^[[2J<U+009B>31m<U+009D>0;x<U+009C>^[\\\nend<U+202E>";
        assert_eq!(payload, base64(expected.as_bytes()).as_bytes());
    }
}
