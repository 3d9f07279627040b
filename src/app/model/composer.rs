//! A reply or note being written, and what sending it will do.

use crate::domain::{MessageKind, TicketChange};
use ratatui_textarea::{TextArea, WrapMode};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// A reply or note being written.
#[derive(Debug)]
pub struct Composer {
    pub ticket_id: i64,
    pub kind: MessageKind,
    pub text: TextArea<'static>,
    /// Changed since the last save to the store.
    pub dirty: bool,
    /// A save is already scheduled.
    pub save_scheduled: bool,
    /// The newest message on the ticket when the agent started writing (or was last shown newer
    /// ones): a send is stopped when the ticket has newer.
    pub last_seen: Option<i64>,
    /// What the canned replies inserted change on the ticket once the message is sent, with their names.
    pub actions: Vec<(String, TicketChange)>,
    /// The last send was stopped by the reply guard: the next one sends anyway.
    pub stopped: bool,
    /// A send is on its way to the store: no draft is saved meanwhile (it would outlive the sent
    /// message); if the send fails the text is saved as a draft again.
    pub sending: bool,
    /// `e` opened this composer: the editor opens once the saved draft (if any) is back in it.
    pub editor_on_load: bool,
}

impl Composer {
    pub fn new(ticket_id: i64, kind: MessageKind, body: &str) -> Composer {
        let lines: Vec<String> =
            if body.is_empty() { vec![String::new()] } else { body.lines().map(String::from).collect() };
        let mut text = TextArea::new(lines);
        // Long lines wrap at the pane's width, at words, so a canned reply reads whole before it is sent.
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        Composer {
            ticket_id,
            kind,
            text,
            dirty: false,
            save_scheduled: false,
            last_seen: None,
            actions: Vec::new(),
            stopped: false,
            sending: false,
            editor_on_load: false,
        }
    }

    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    /// Screen rows the text takes at `width` columns, wrapped as the text area wraps it.
    pub fn wrapped_rows(&self, width: usize) -> usize {
        let tab = self.text.tab_length() as usize;
        self.text.lines().iter().map(|line| line_rows(line, width.max(1), tab)).sum()
    }
}

/// Rows of one line wrapped as `WrapMode::WordOrGlyph` does: whole words (with the spaces after
/// them) while they fit, a word wider than the line split at graphemes.
fn line_rows(line: &str, width: usize, tab: usize) -> usize {
    let mut rows = 0;
    let mut used = 0;
    let mut words = line.split_word_bounds().peekable();
    while let Some(&word) = words.peek() {
        let w = columns_from(word, used, tab);
        if used + w <= width {
            used += w;
            words.next();
        } else if used > 0 {
            rows += 1;
            used = 0;
        } else {
            rows += grapheme_rows(word, width, tab);
            words.next();
        }
    }
    rows + usize::from(used > 0 || rows == 0)
}

/// Rows of a word wider than the line, split at graphemes.
fn grapheme_rows(word: &str, width: usize, tab: usize) -> usize {
    let mut rows = 0;
    let mut used = 0;
    let mut open = false;
    for grapheme in word.graphemes(true) {
        let mut w = columns_from(grapheme, used, tab);
        if open && used + w > width {
            rows += 1;
            used = 0;
            w = columns_from(grapheme, 0, tab);
        }
        used += w;
        open = true;
        if used > width {
            rows += 1;
            used = 0;
            open = false;
        }
    }
    rows + usize::from(open)
}

/// Columns `text` takes when it starts at column `from` (tabs reach the next tab stop; control
/// characters are not drawn).
fn columns_from(text: &str, from: usize, tab: usize) -> usize {
    let mut at = from;
    for c in text.chars() {
        at += match c {
            '\t' if tab > 0 => tab - at % tab,
            c if c.is_control() => 0,
            c => c.width().unwrap_or(0),
        };
    }
    at - from
}

/// What the status line calls a message of this kind.
pub fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Note => "internal note",
        _ => "reply",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::Widget;

    /// Rows the text area itself draws at `width` (the texts below end in a visible character).
    fn drawn_rows(composer: &Composer, width: u16) -> usize {
        let area = Rect::new(0, 0, width, 60);
        let mut buf = Buffer::empty(area);
        composer.text.render(area, &mut buf);
        (0..60).rev().find(|&y| (0..width).any(|x| buf[(x, y)].symbol().trim() != "")).map_or(0, |y| y as usize + 1)
    }

    #[test]
    fn the_height_follows_the_text_areas_own_wrapping() {
        let texts = [
            "Hi Carla, thank you for writing to us. Your refund for order 48213 is on its way and should reach you within three days.",
            "supercalifragilisticexpialidocious and more words after it x",
            "日本語のテキストを折り返すテストです。終わり",
            "tab\there and\tthere again x",
            "a b c d e f g h i j k l m n o p",
            "don't stop — it's 3.5 km away, isn't it? yes",
            "first line\n\nthird line, after an empty one",
        ];
        for text in texts {
            let composer = Composer::new(1, MessageKind::Reply, text);
            for width in 6..44 {
                assert_eq!(composer.wrapped_rows(width), drawn_rows(&composer, width as u16), "{text:?} at {width}");
            }
        }
    }

    #[test]
    fn an_empty_composer_takes_one_row() {
        assert_eq!(Composer::new(1, MessageKind::Note, "").wrapped_rows(30), 1);
    }
}
