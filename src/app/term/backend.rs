//! A ratatui backend that sends fewer bytes than crossterm's for the same cells.
//!
//! ratatui hands a backend only the cells that changed. crossterm's backend moves the cursor with an
//! absolute `ESC[row;colH` before every run of changed cells and sets colours with `ESC[38;5;Nm`. Over
//! SSH those bytes are most of a keystroke's cost, so this backend keeps a copy of what the terminal
//! shows and, for each gap between changed cells, picks the shortest way across: a relative move, or
//! re-sending the few unchanged cells when that is shorter. Colours and attributes change in one
//! `SGR` sequence, with the 16 ANSI colours in their short forms.

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellDiffOption};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Colours and attributes the terminal draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const PLAIN: Pen = Pen { fg: Color::Reset, bg: Color::Reset, modifier: Modifier::empty() };

    fn of(cell: &Cell) -> Pen {
        Pen { fg: cell.fg, bg: cell.bg, modifier: cell.modifier }
    }
}

pub struct ByteSavingBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// What the terminal shows, row by row; grows with the largest size drawn.
    screen: Vec<Cell>,
    width: u16,
    height: u16,
    /// Where the terminal's cursor is, when we know.
    cursor: Option<(u16, u16)>,
    /// The terminal's current colours and attributes, when we know.
    pen: Option<Pen>,
    cursor_hidden: bool,
    /// A fixed size for drawing without a terminal (benchmarks); `None` asks the terminal.
    fixed: Option<Size>,
    out: String,
}

impl<W: Write> ByteSavingBackend<W> {
    pub fn new(writer: W) -> ByteSavingBackend<W> {
        ByteSavingBackend {
            inner: CrosstermBackend::new(writer),
            screen: Vec::new(),
            width: 0,
            height: 0,
            cursor: None,
            pen: None,
            cursor_hidden: false,
            fixed: None,
            out: String::with_capacity(16 * 1024),
        }
    }

    /// A backend that reports `size` instead of asking a terminal.
    pub fn with_size(writer: W, size: Size) -> ByteSavingBackend<W> {
        let mut backend = ByteSavingBackend::new(writer);
        backend.fixed = Some(size);
        backend.forget_screen(size);
        backend
    }

    fn forget_screen(&mut self, size: Size) {
        self.width = size.width;
        self.height = size.height;
        self.screen = vec![Cell::default(); size.width as usize * size.height as usize];
        self.cursor = None;
        self.pen = None;
    }

    fn shown(&self, x: u16, y: u16) -> Option<&Cell> {
        if x < self.width && y < self.height {
            self.screen.get(y as usize * self.width as usize + x as usize)
        } else {
            None
        }
    }

    fn remember(&mut self, x: u16, y: u16, cell: &Cell) {
        if x >= self.width || y >= self.height {
            let size = Size { width: self.width.max(x + 1), height: self.height.max(y + 1) };
            let mut grown = vec![Cell::default(); size.width as usize * size.height as usize];
            for row in 0..self.height as usize {
                let from = row * self.width as usize;
                let to = row * size.width as usize;
                grown[to..to + self.width as usize].clone_from_slice(&self.screen[from..from + self.width as usize]);
            }
            self.screen = grown;
            self.width = size.width;
            self.height = size.height;
        }
        let i = y as usize * self.width as usize + x as usize;
        // A terminal blanks the wide character a write cuts in half: the one it lands on the
        // second column of, and the second column of the one it replaces.
        if self.covered(x, y) {
            self.screen[i - 1].set_symbol(" ");
        }
        let replaced = self.screen[i].symbol().width();
        self.screen[i] = cell.clone();
        let width = cell.symbol().width().max(1);
        let row_end = (y as usize + 1) * self.width as usize;
        for column in i + 1..(i + width.max(replaced)).min(row_end) {
            self.screen[column] = Cell::default();
        }
    }

    /// Whether the terminal shows (x, y) as the second column of a wide character.
    fn covered(&self, x: u16, y: u16) -> bool {
        x > 0 && self.shown(x - 1, y).is_some_and(|cell| cell.symbol().width() > 1)
    }

    /// Put the cursor at (x, y) the cheapest way we know.
    fn move_to(&mut self, x: u16, y: u16) {
        if self.cursor == Some((x, y)) {
            return;
        }
        let absolute = if x == 0 { format!("\x1b[{}H", y + 1) } else { format!("\x1b[{};{}H", y + 1, x + 1) };
        let mut best = absolute;
        if let Some((cx, cy)) = self.cursor {
            if cy == y && x > cx {
                let forward = format!("\x1b[{}C", x - cx);
                if forward.len() < best.len() {
                    best = forward;
                }
                if let Some(fill) = self.refill(cx, x, y) {
                    if fill.len() < best.len() {
                        best = fill;
                    }
                }
            } else if cy == y && x < cx {
                let back = if x == 0 { "\r".to_string() } else { format!("\x1b[{}D", cx - x) };
                if back.len() < best.len() {
                    best = back;
                }
            } else if y == cy + 1 && y < self.height {
                let next = if x == 0 { "\r\n".to_string() } else { format!("\r\n\x1b[{x}C") };
                if next.len() < best.len() {
                    best = next;
                }
            }
        }
        self.out.push_str(&best);
        self.cursor = Some((x, y));
    }

    /// The unchanged cells from `from` up to `to` on row `y`, when they can be re-sent as they are
    /// (same pen, one column each) instead of moving over them.
    fn refill(&self, from: u16, to: u16, y: u16) -> Option<String> {
        if to - from > 8 {
            return None;
        }
        let mut text = String::new();
        for x in from..to {
            let cell = self.shown(x, y)?;
            if self.covered(x, y) {
                return None;
            }
            let symbol = terminal_symbol(cell.symbol());
            if Some(Pen::of(cell)) != self.pen || cell.diff_option != CellDiffOption::None || symbol.width() != 1 {
                return None;
            }
            text.push_str(&symbol);
        }
        Some(text)
    }

    fn set_pen(&mut self, pen: Pen) {
        if self.pen == Some(pen) {
            return;
        }
        let reset = sgr_reset(pen);
        let sgr = match self.pen {
            Some(from) => {
                let step = sgr_step(from, pen);
                if step.len() < reset.len() {
                    step
                } else {
                    reset
                }
            }
            None => reset,
        };
        self.out.push_str(&sgr);
        self.pen = Some(pen);
    }
}

/// What the terminal is sent for a cell: its symbol when every terminal gives it the columns ratatui
/// gave it, else a stand-in of exactly those columns. Terminals measure a character at a time
/// (wcwidth), so they disagree on sequences: `👨‍👩‍👧` (ZWJ) is 2 columns to ratatui and 6 to tmux, `❤️`
/// (VS16) is 2 to ratatui and 1 to xterm, and a row drawn with them slides under the cursor. The
/// stand-in is the sequence's first character padded with spaces (`👨`, `❤ `).
/// A symbol with a control character (the panes sanitize text, but `Cell::set_symbol` passes
/// anything) or of no width goes as blanks: the cursor moves as far as the backend counts.
fn terminal_symbol(symbol: &str) -> Cow<'_, str> {
    let cells = symbol.width();
    if cells == 0 || symbol.chars().any(char::is_control) {
        return Cow::Owned(" ".repeat(cells.max(1)));
    }
    let per_char: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    if per_char == cells || symbol.is_ascii() {
        return Cow::Borrowed(symbol);
    }
    let mut stand_in = String::new();
    let mut used = 0;
    if let Some(first) = symbol.chars().next() {
        let width = first.width().unwrap_or(0);
        if width > 0 && width <= cells {
            stand_in.push(first);
            used = width;
        }
    }
    stand_in.extend(std::iter::repeat_n(' ', cells.saturating_sub(used)));
    Cow::Owned(stand_in)
}

const MODIFIER_CODES: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

fn off_code(modifier: Modifier) -> u8 {
    match modifier {
        Modifier::BOLD | Modifier::DIM => 22,
        Modifier::ITALIC => 23,
        Modifier::UNDERLINED => 24,
        Modifier::SLOW_BLINK | Modifier::RAPID_BLINK => 25,
        Modifier::REVERSED => 27,
        Modifier::HIDDEN => 28,
        _ => 29,
    }
}

/// The SGR parameters for a colour; `base` is 30 for the foreground and 40 for the background.
fn color_code(color: Color, base: u8, out: &mut String) {
    let named = |n: u8| if n < 8 { base + n } else { base + 60 + n - 8 };
    let _ = match color {
        Color::Reset => write!(out, "{}", base + 9),
        Color::Black => write!(out, "{}", named(0)),
        Color::Red => write!(out, "{}", named(1)),
        Color::Green => write!(out, "{}", named(2)),
        Color::Yellow => write!(out, "{}", named(3)),
        Color::Blue => write!(out, "{}", named(4)),
        Color::Magenta => write!(out, "{}", named(5)),
        Color::Cyan => write!(out, "{}", named(6)),
        Color::Gray => write!(out, "{}", named(7)),
        Color::DarkGray => write!(out, "{}", named(8)),
        Color::LightRed => write!(out, "{}", named(9)),
        Color::LightGreen => write!(out, "{}", named(10)),
        Color::LightYellow => write!(out, "{}", named(11)),
        Color::LightBlue => write!(out, "{}", named(12)),
        Color::LightMagenta => write!(out, "{}", named(13)),
        Color::LightCyan => write!(out, "{}", named(14)),
        Color::White => write!(out, "{}", named(15)),
        Color::Indexed(i) => write!(out, "{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => write!(out, "{};2;{r};{g};{b}", base + 8),
    };
}

fn sgr(params: &[String]) -> String {
    format!("\x1b[{}m", params.join(";"))
}

/// Everything off, then `pen` on.
fn sgr_reset(pen: Pen) -> String {
    let mut params = vec!["0".to_string()];
    push_pen(pen, Pen::PLAIN, &mut params);
    sgr(&params)
}

/// Only what differs between `from` and `to`.
fn sgr_step(from: Pen, to: Pen) -> String {
    let mut params = Vec::new();
    let removed = from.modifier - to.modifier;
    let mut shared = from.modifier & to.modifier;
    for (modifier, _) in MODIFIER_CODES {
        if removed.contains(modifier) {
            let code = off_code(modifier);
            let text = code.to_string();
            if !params.contains(&text) {
                params.push(text);
            }
            // 22 ends bold and dim together, 25 both blinks: put back the one that stays.
            if code == 22 || code == 25 {
                shared -= if code == 22 {
                    Modifier::BOLD | Modifier::DIM
                } else {
                    Modifier::SLOW_BLINK | Modifier::RAPID_BLINK
                };
            }
        }
    }
    let start = Pen { modifier: shared, ..from };
    push_pen(to, start, &mut params);
    sgr(&params)
}

/// The parameters that take the terminal from `from` to `to`, adding attributes only.
fn push_pen(to: Pen, from: Pen, params: &mut Vec<String>) {
    for (modifier, code) in MODIFIER_CODES {
        if to.modifier.contains(modifier) && !from.modifier.contains(modifier) {
            params.push(code.to_string());
        }
    }
    if to.fg != from.fg {
        let mut p = String::new();
        color_code(to.fg, 30, &mut p);
        params.push(p);
    }
    if to.bg != from.bg {
        let mut p = String::new();
        color_code(to.bg, 40, &mut p);
        params.push(p);
    }
}

impl<W: Write> Backend for ByteSavingBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.width == 0 {
            let size = self.size()?;
            self.forget_screen(size);
        }
        self.out.clear();
        for (x, y, cell) in content {
            // A blank for the second column of the wide character the terminal shows to its left
            // (ratatui sends some after VS16 emoji): writing it would blank that character.
            if cell.symbol().trim().is_empty() && self.covered(x, y) {
                continue;
            }
            self.move_to(x, y);
            self.set_pen(Pen::of(cell));
            let symbol = cell.symbol();
            self.out.push_str(&terminal_symbol(symbol));
            let width = symbol.width().max(1) as u16;
            // At the last column the cursor waits to wrap; its position is not to be trusted.
            self.cursor = if x + width < self.width { Some((x + width, y)) } else { None };
            self.remember(x, y, cell);
        }
        let out = std::mem::take(&mut self.out);
        let result = self.inner.write_all(out.as_bytes());
        self.out = out;
        result
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if !self.cursor_hidden {
            self.cursor_hidden = true;
            self.inner.hide_cursor()?;
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_hidden = false;
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.cursor = Some((p.x, p.y));
        self.inner.set_cursor_position(p)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Whatever was cleared, assume nothing about the screen, the pen or the cursor afterwards.
        let size = self.size()?;
        self.forget_screen(size);
        self.cursor_hidden = false;
        self.inner.write_all(b"\x1b[0m")?;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed {
            Some(size) => Ok(size),
            None => self.inner.size(),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        match self.fixed {
            Some(columns_rows) => Ok(WindowSize { columns_rows, pixels: Size::default() }),
            None => self.inner.window_size(),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

impl<W: Write> Write for ByteSavingBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::term::output::ByteSink;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    /// A tiny terminal: applies our output to a grid so we can check what the screen would show.
    fn emulate(bytes: &[u8], width: usize, height: usize, grid: &mut [Vec<char>]) {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let (mut x, mut y) = (0usize, 0usize);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => {
                    assert_eq!(chars.next(), Some('['));
                    let mut params = String::new();
                    let mut end = ' ';
                    for c in chars.by_ref() {
                        if c.is_ascii_alphabetic() {
                            end = c;
                            break;
                        }
                        params.push(c);
                    }
                    let nums: Vec<usize> = params.split(';').filter_map(|p| p.parse().ok()).collect();
                    match end {
                        'H' => {
                            y = nums.first().copied().unwrap_or(1) - 1;
                            x = nums.get(1).copied().unwrap_or(1) - 1;
                        }
                        'C' => x += nums.first().copied().unwrap_or(1),
                        'D' => x -= nums.first().copied().unwrap_or(1),
                        'm' | 'l' | 'h' | 'J' => {}
                        other => panic!("unexpected sequence {other}"),
                    }
                }
                '\r' => x = 0,
                '\n' => y += 1,
                c => {
                    assert!(x < width && y < height, "wrote outside the screen at {x},{y}");
                    grid[y][x] = c;
                    x += 1;
                }
            }
        }
    }

    #[test]
    fn what_the_terminal_shows_matches_the_buffer_and_costs_less_than_crossterm() {
        let (w, h) = (40u16, 6u16);
        let mut before = Buffer::empty(Rect::new(0, 0, w, h));
        let mut after = Buffer::empty(Rect::new(0, 0, w, h));
        let dim = Style::new().fg(Color::DarkGray);
        before.set_string(0, 0, "Mine 4 │ Open 57 │ All 312", dim);
        before.set_string(0, 2, "  1042 open  Refund for order", Style::new());
        after.set_string(0, 0, "Mine 5 │ Open 57 │ All 313", dim);
        after.set_string(0, 2, "▌ 1042 open  Refund for order", Style::new().add_modifier(Modifier::REVERSED));
        after.set_string(3, 4, "x y  z", Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD));

        let (ours, theirs) = (ByteSink::default(), ByteSink::default());
        let mut ours_backend = ByteSavingBackend::with_size(ours.clone(), Size { width: w, height: h });
        let mut plain = CrosstermBackend::new(theirs.clone());
        let empty = Buffer::empty(Rect::new(0, 0, w, h));
        for (from, to) in [(&empty, &before), (&before, &after)] {
            ours_backend.draw(from.diff(to).into_iter()).unwrap();
            plain.draw(from.diff(to).into_iter()).unwrap();
        }
        let mut grid = vec![vec![' '; w as usize]; h as usize];
        let (ours, theirs) = (ours.take(), theirs.take());
        emulate(&ours, w as usize, h as usize, &mut grid);
        for y in 0..h {
            let shown: String = grid[y as usize].iter().collect();
            let want: String = (0..w).map(|x| after[(x, y)].symbol().to_string()).collect();
            assert_eq!(shown, want, "row {y}");
        }
        let (ours, theirs) = (ours.len(), theirs.len());
        assert!(ours < theirs * 3 / 4, "{ours} bytes against crossterm's {theirs}");
    }

    /// What a real terminal emulator shows after `frames`, each drawn as ratatui's diff from the last.
    fn shown_after(frames: &[Buffer]) -> vt100::Parser {
        let area = frames[0].area;
        let sink = ByteSink::default();
        let mut backend = ByteSavingBackend::with_size(sink.clone(), Size { width: area.width, height: area.height });
        let mut terminal = vt100::Parser::new(
            std::num::NonZeroU16::new(area.height).unwrap(),
            std::num::NonZeroU16::new(area.width).unwrap(),
            0,
        );
        let mut last = Buffer::empty(area);
        for frame in frames {
            backend.draw(last.diff(frame).into_iter()).unwrap();
            terminal.process(&sink.take());
            last = frame.clone();
        }
        terminal
    }

    fn row_text(terminal: &vt100::Parser) -> String {
        terminal.screen().rows(0, 40).next().unwrap_or_default()
    }

    #[test]
    fn emoji_sequences_terminals_measure_differently_go_as_stand_ins_of_the_same_width() {
        assert_eq!(terminal_symbol("田"), "田");
        assert_eq!(terminal_symbol("e\u{301}"), "e\u{301}", "a combining mark is one column everywhere");
        assert_eq!(terminal_symbol("👨\u{200d}👩\u{200d}👧"), "👨");
        assert_eq!(terminal_symbol("❤\u{fe0f}"), "❤ ");
        assert_eq!(terminal_symbol("☕\u{fe0f}"), "☕\u{fe0f}", "already two columns by itself");
        assert_eq!(terminal_symbol("\x1b"), " ", "a control from a cell set by hand");
        assert_eq!(terminal_symbol("\u{9b}"), " ");
        assert_eq!(terminal_symbol("\u{301}"), " ", "a lone combining mark would join the cell before");
        assert_eq!(terminal_symbol(""), " ");
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        buf.set_string(0, 0, "a👨\u{200d}👩\u{200d}👧b❤\u{fe0f}c|", Style::new());
        assert_eq!(row_text(&shown_after(&[buf])), "a👨b❤ c|", "every cell where ratatui put it");
    }

    #[test]
    fn a_blank_for_the_second_column_of_a_shown_wide_character_is_not_sent() {
        // ratatui follows a changed VS16 emoji with its second column when that changed too.
        let mut before = Buffer::empty(Rect::new(0, 0, 10, 1));
        before.set_string(0, 0, "abcdef", Style::new());
        let mut after = Buffer::empty(Rect::new(0, 0, 10, 1));
        after.set_string(0, 0, "a☕\u{fe0f}def", Style::new());
        let terminal = shown_after(&[before, after]);
        assert_eq!(row_text(&terminal), "a☕\u{fe0f}def");
        assert!(terminal.screen().cell(0, 1).unwrap().is_wide(), "the emoji is whole");
    }

    #[test]
    fn attributes_are_switched_off_precisely() {
        let bold_dim = Pen { modifier: Modifier::BOLD | Modifier::DIM, ..Pen::PLAIN };
        let dim = Pen { modifier: Modifier::DIM, ..Pen::PLAIN };
        assert_eq!(sgr_step(bold_dim, dim), "\x1b[22;2m");
        let reversed = Pen { fg: Color::Cyan, modifier: Modifier::REVERSED, ..Pen::PLAIN };
        assert_eq!(sgr_step(Pen::PLAIN, reversed), "\x1b[7;36m");
        assert_eq!(sgr_reset(reversed), "\x1b[0;7;36m");
        assert_eq!(sgr_reset(Pen::PLAIN), "\x1b[0m");
    }
}
