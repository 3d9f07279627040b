//! Wide characters cut by what was drawn over them. A pane draws `田` over two columns; an overlay
//! drawn afterwards may cover only the second. A terminal cannot show half a character, and
//! ratatui's diff skips the column after an unchanged wide character, so a border drawn there never
//! reaches the screen. The cut character becomes a blank in its style, as a terminal would show it.

use ratatui::buffer::{Buffer, Cell};
use unicode_width::UnicodeWidthStr;

/// Blank every wide character whose later columns hold something else (or lie past the edge).
pub fn mend_cut_wide_chars(buf: &mut Buffer) {
    let width = buf.area.width as usize;
    if width == 0 {
        return;
    }
    for row in buf.content.chunks_mut(width) {
        for x in 0..row.len() {
            // Most cells are ASCII, and most wide ones are followed by their blank second column:
            // the width is measured only when that column holds something (or is past the edge).
            if row[x].symbol().len() == 1 || row.get(x + 1).is_some_and(is_blank) {
                continue;
            }
            let columns = row[x].symbol().width();
            let cut = (1..columns).any(|k| row.get(x + k).is_none_or(|cell| !is_blank(cell)));
            if columns > 1 && cut {
                row[x].set_symbol(" ");
            }
        }
    }
}

fn is_blank(cell: &Cell) -> bool {
    cell.symbol().trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    fn row(buf: &Buffer) -> String {
        (0..buf.area.width).map(|x| buf[(x, 0)].symbol().to_string()).collect()
    }

    #[test]
    fn a_wide_character_under_a_border_becomes_a_blank_in_its_style() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        buf.set_string(0, 0, "a田中b", Style::new().bg(Color::Blue));
        buf.set_string(2, 0, "│", Style::new());
        mend_cut_wide_chars(&mut buf);
        assert_eq!(row(&buf), "a │中 b  ");
        assert_eq!(buf[(1, 0)].bg, Color::Blue, "the blank keeps the cut character's style");
    }

    #[test]
    fn whole_wide_characters_and_their_blank_second_columns_stay() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 9, 1));
        buf.set_string(0, 0, "田中 👨‍👩‍👧 é", Style::new());
        let before = buf.clone();
        mend_cut_wide_chars(&mut buf);
        assert_eq!(buf, before);
    }
}
